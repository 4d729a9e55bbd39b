//! SonarQube / SonarCloud: the analysis of a scan and its quality gate, as `attest sonar`
//! reads them (wire-2.md §6, captures attest_sonar_*): the CE task (`--sonar-ce-task-url`, or
//! `ceTaskUrl` of `report-task.txt`), the project's analyses (to date the analysis and find
//! its revision), then the quality gate of the analysis. Calls carry `Bearer <sonar token>`.

use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::answer::{decode, Answer};
use crate::client::{escape_query, Client, ExternalRequest};
use crate::error::{Error, Result};

/// `sonar_results` of the attestation, in the CLI's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SonarResults {
    /// The server's URL.
    pub server_url: String,
    /// The CE task's id (left out when the analysis was found by project key and revision).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub task_id: String,
    /// The CE task's status (`SUCCESS`); left out without a task.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    /// When the analysis ran, as Sonar writes it.
    pub analysed_at: String,
    /// The analysed commit.
    pub revision: String,
    /// The project.
    pub project: SonarProject,
    /// The branch, when the scan ran on one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<SonarBranch>,
    /// The quality gate's verdict.
    pub quality_gate: QualityGate,
}

/// The analysed project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SonarProject {
    /// Its key.
    pub key: String,
    /// Its dashboard URL.
    pub url: String,
}

/// The analysed branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SonarBranch {
    /// Its name.
    pub name: String,
}

/// A quality gate's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityGate {
    /// `OK`, `ERROR`, ...
    pub status: String,
    /// Its conditions.
    pub conditions: Vec<GateCondition>,
}

/// One condition of a quality gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GateCondition {
    /// The metric (`new_coverage`).
    pub metric: String,
    /// The threshold.
    pub error_threshold: String,
    /// The comparator (`LT`, `GT`).
    pub operator: String,
    /// The measured value.
    pub value: String,
    /// The condition's status.
    pub status: String,
}

/// Where the scan is found.
#[derive(Clone)]
pub struct SonarSource {
    /// `--sonar-api-token`.
    pub token: SecretString,
    /// `--sonar-ce-task-url`.
    pub ce_task_url: Option<String>,
    /// `--sonar-working-dir` (its `report-task.txt`); used when no task URL or project key.
    pub working_dir: Option<String>,
    /// `--sonar-project-key`.
    pub project_key: Option<String>,
    /// `--sonar-revision` (defaults to the commit in the CLI).
    pub revision: Option<String>,
    /// `--sonar-branch`.
    pub branch: Option<String>,
    /// `--pull-request`.
    pub pull_request: Option<String>,
    /// `--sonar-server-url` (default `https://sonarcloud.io`).
    pub server_url: String,
}

impl std::fmt::Debug for SonarSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SonarSource")
            .field("token", &"<redacted>")
            .field("ce_task_url", &self.ce_task_url)
            .field("working_dir", &self.working_dir)
            .field("project_key", &self.project_key)
            .field("revision", &self.revision)
            .field("branch", &self.branch)
            .field("server_url", &self.server_url)
            .finish_non_exhaustive()
    }
}

impl SonarSource {
    /// A source with `token` and the CLI's defaults (working dir `.scannerwork`, SonarCloud).
    pub fn new(token: &str) -> SonarSource {
        SonarSource {
            token: SecretString::from(token.to_string()),
            ce_task_url: None,
            working_dir: None,
            project_key: None,
            revision: None,
            branch: None,
            pull_request: None,
            server_url: "https://sonarcloud.io".into(),
        }
    }
}

/// Reads `key=value` lines of a `report-task.txt`.
fn report_task(dir: &str) -> Result<Vec<(String, String)>> {
    let path = Path::new(dir).join("report-task.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io("open", &path, e))?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect())
}

impl Client {
    async fn sonar_get(&self, source: &SonarSource, url: &str) -> Result<Value> {
        let url = reqwest::Url::parse(url).map_err(|e| {
            Error::invalid_input("sonar url", format!("invalid Sonar URL {url:?}: {e}"))
        })?;
        let request = ExternalRequest::get(url).header(
            "authorization",
            &format!("Bearer {}", source.token.expose_secret()),
        )?;
        decode("SonarQube", &self.send_external(&request).await?)
    }

    /// The scan's results, as `attest sonar` reads them.
    pub async fn sonar_results(&self, source: &SonarSource) -> Result<SonarResults> {
        let mut ce_task_url = source.ce_task_url.clone();
        let mut server_url = None;
        let mut dashboard = None;
        if ce_task_url.is_none() && source.project_key.is_none() {
            let dir = source.working_dir.as_deref().unwrap_or(".scannerwork");
            for (k, v) in report_task(dir)? {
                match k.as_str() {
                    "ceTaskUrl" => ce_task_url = Some(v),
                    "serverUrl" => server_url = Some(v),
                    "dashboardUrl" => dashboard = Some(v),
                    _ => {}
                }
            }
        }
        let (server, task_id, status, analysis_id, key, branch) = match &ce_task_url {
            Some(url) => {
                let task = self.sonar_get(source, url).await?;
                let t = Answer::new("SonarQube CE task", &task);
                let server = server_url.unwrap_or_else(|| {
                    url.split("/api/ce/task")
                        .next()
                        .unwrap_or_default()
                        .to_string()
                });
                (
                    server,
                    t.text("/task/id"),
                    t.text("/task/status"),
                    t.text("/task/analysisId"),
                    t.text("/task/componentKey"),
                    Some(t.text("/task/branch")).filter(|b| !b.is_empty()),
                )
            }
            None => (
                source.server_url.trim_end_matches('/').to_string(),
                String::new(),
                String::new(),
                String::new(),
                source.project_key.clone().unwrap_or_default(),
                source.branch.clone(),
            ),
        };
        let mut query: Vec<(&str, String)> = vec![("project", key.clone()), ("ps", "500".into())];
        if let Some(b) = &branch {
            query.push(("branch", b.clone()));
        }
        if let Some(pr) = &source.pull_request {
            query.push(("pullRequest", pr.clone()));
        }
        query.sort_by(|a, b| a.0.cmp(b.0));
        let q: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{}={}", escape_query(k), escape_query(v)))
            .collect();
        let analyses = self
            .sonar_get(
                source,
                &format!("{server}/api/project_analyses/search?{}", q.join("&")),
            )
            .await?;
        let list = Answer::new("SonarQube analyses", &analyses).list("/analyses");
        let found = if analysis_id.is_empty() {
            let revision = source.revision.clone().unwrap_or_default();
            list.iter().find(|a| a.get("revision").and_then(Value::as_str) == Some(revision.as_str()))
                .ok_or_else(|| {
                    let why = match &branch {
                        None => "only the project's main branch was searched, because no --sonar-branch was given. Check the revision is correct, and pass --sonar-branch if the scan ran on another branch. ".to_string(),
                        Some(b) => format!("the branch {b} was searched. Check the revision and branch are correct. "),
                    };
                    Error::NotFound {
                        message: format!("analysis for revision {revision} of project {key} not found: {why}\nThe scan may still be being processed by SonarQube, try again later.\n Otherwise if you are attesting an older scan, the snapshot may also have been deleted by SonarQube"),
                    }
                })?
        } else {
            list.iter()
                .find(|a| a.get("key").and_then(Value::as_str) == Some(analysis_id.as_str()))
                .ok_or_else(|| Error::NotFound {
                    message: format!("analysis {analysis_id} of project {key} not found"),
                })?
        };
        let a = Answer::new("SonarQube analysis", found);
        let analysis_key = a.text("/key");
        let gate = self
            .sonar_get(
                source,
                &format!(
                    "{server}/api/qualitygates/project_status?analysisId={}",
                    escape_query(&analysis_key)
                ),
            )
            .await?;
        let g = Answer::new("SonarQube quality gate", &gate);
        let conditions = g
            .list("/projectStatus/conditions")
            .iter()
            .map(|c| {
                let c = Answer::new("SonarQube condition", c);
                GateCondition {
                    metric: c.text("/metricKey"),
                    error_threshold: c.text("/errorThreshold"),
                    operator: c.text("/comparator"),
                    value: c.text("/actualValue"),
                    status: c.text("/status"),
                }
            })
            .collect();
        Ok(SonarResults {
            server_url: server.clone(),
            task_id,
            status,
            analysed_at: a.text("/date"),
            revision: a.text("/revision"),
            project: SonarProject {
                url: dashboard
                    .unwrap_or_else(|| format!("{server}/dashboard?id={}", escape_query(&key))),
                key,
            },
            branch: branch.map(|name| SonarBranch { name }),
            quality_gate: QualityGate {
                status: g.text("/projectStatus/status"),
                conditions,
            },
        })
    }
}
