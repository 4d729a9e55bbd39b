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
    /// The CE task's id (`""` when no task of the analysis was found: the CLI sends it empty).
    #[serde(default)]
    pub task_id: String,
    /// The CE task's status (`SUCCESS`); `""` without a task.
    #[serde(default)]
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
    /// The pull request, when the scan was found by `--pull-request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<String>,
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
    /// `--sonar-working-dir` (its `report-task.txt`); used when there is no task URL, and no
    /// project key with a revision or pull request.
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
            .field("pull_request", &self.pull_request)
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
    // The CLI's message (observed: sonar_key_no_revision) says what else would do.
    let text = std::fs::read_to_string(&path).map_err(|e| match Error::io("open", &path, e) {
        Error::Io {
            path,
            message,
            source,
        } => Error::Io {
            path,
            message: format!("{message}. Check your working directory is set correctly. Alternatively provide the project key and either revision or pull-request ID for the scan to attest"),
            source,
        },
        other => other,
    })?;
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

    /// The project's CE tasks (`/api/ce/activity?component=KEY`). The CLI carries on without
    /// them when the call fails (observed: a 404 gives an empty task id and status).
    async fn sonar_tasks(&self, source: &SonarSource, server: &str, key: &str) -> Vec<Value> {
        let url = format!("{server}/api/ce/activity?component={}", escape_query(key));
        match self.sonar_get(source, &url).await {
            Ok(v) => Answer::new("SonarQube CE activity", &v)
                .list("/tasks")
                .to_vec(),
            Err(e) => {
                tracing::debug!(error = %e, "SonarQube CE activity unavailable; no task id");
                Vec::new()
            }
        }
    }

    /// The quality gate at `query` (`analysisId=..` or `projectKey=..&pullRequest=..`).
    async fn sonar_gate(
        &self,
        source: &SonarSource,
        server: &str,
        query: &str,
    ) -> Result<QualityGate> {
        let gate = self
            .sonar_get(
                source,
                &format!("{server}/api/qualitygates/project_status?{query}"),
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
        Ok(QualityGate {
            status: g.text("/projectStatus/status"),
            conditions,
        })
    }

    /// A pull request's scan by project key (observed: CE activity for the task whose
    /// `pullRequest` matches, the project's pull requests for its analysis date and commit,
    /// then the gate by `projectKey` and `pullRequest`); with a revision, the pull request's
    /// commit must be it.
    async fn sonar_pull_request(
        &self,
        source: &SonarSource,
        server: &str,
        key: &str,
        pr: &str,
    ) -> Result<SonarResults> {
        let tasks = self.sonar_tasks(source, server, key).await;
        let task = tasks
            .iter()
            .find(|t| t.get("pullRequest").and_then(Value::as_str) == Some(pr));
        let list = self
            .sonar_get(
                source,
                &format!(
                    "{server}/api/project_pull_requests/list?project={}",
                    escape_query(key)
                ),
            )
            .await
            .map_err(|e| match e {
                Error::NotFound { .. } => Error::NotFound {
                    message: format!("pull request {pr} not found for project {key} on {server}"),
                },
                other => other,
            })?;
        let found = Answer::new("SonarQube pull requests", &list)
            .list("/pullRequests")
            .iter()
            .find(|p| p.get("key").and_then(Value::as_str) == Some(pr))
            .ok_or_else(|| Error::NotFound {
                message: format!("pull request {pr} not found for project {key} on {server}"),
            })?;
        let p = Answer::new("SonarQube pull request", found);
        let revision = p.text("/commit/sha");
        if let Some(want) = source.revision.as_deref().filter(|r| *r != revision) {
            return Err(Error::NotFound {
                message: format!("analysis for pull request {pr} of project {key} is of revision {revision}, not {want}.\nThe scan for that revision may still be being processed by SonarQube, try again later.\nOtherwise check the revision is correct"),
            });
        }
        let quality_gate = self
            .sonar_gate(
                source,
                server,
                &format!(
                    "projectKey={}&pullRequest={}",
                    escape_query(key),
                    escape_query(pr)
                ),
            )
            .await?;
        let t = task.map(|t| Answer::new("SonarQube CE task", t));
        Ok(SonarResults {
            server_url: server.to_string(),
            task_id: t.as_ref().map(|t| t.text("/id")).unwrap_or_default(),
            status: t.as_ref().map(|t| t.text("/status")).unwrap_or_default(),
            analysed_at: p.text("/analysisDate"),
            revision,
            project: SonarProject {
                url: format!("{server}/dashboard?id={}", escape_query(key)),
                key: key.to_string(),
            },
            branch: None,
            pull_request: Some(pr.to_string()),
            quality_gate,
        })
    }

    /// The scan's results, as `attest sonar` reads them: by `--sonar-ce-task-url`, by project
    /// key with a revision (analyses, then CE activity for the analysis's task) or a pull
    /// request, else by the working dir's `report-task.txt`.
    pub async fn sonar_results(&self, source: &SonarSource) -> Result<SonarResults> {
        let by_key = source.ce_task_url.is_none()
            && source.project_key.is_some()
            && (source.revision.is_some() || source.pull_request.is_some());
        let mut ce_task_url = source.ce_task_url.clone();
        let mut server_url = None;
        let mut dashboard = None;
        if ce_task_url.is_none() && !by_key {
            let dir = source.working_dir.as_deref().unwrap_or(".scannerwork");
            for (k, v) in report_task(dir)? {
                match k.as_str() {
                    "ceTaskUrl" => ce_task_url = Some(v),
                    "serverUrl" => server_url = Some(v),
                    "dashboardUrl" => dashboard = Some(v),
                    _ => {}
                }
            }
            if ce_task_url.is_none() {
                return Err(Error::invalid_input(
                    "report-task.txt",
                    format!("no ceTaskUrl in {dir}/report-task.txt"),
                ));
            }
        }
        if let (None, Some(pr)) = (&ce_task_url, &source.pull_request) {
            let server = source.server_url.trim_end_matches('/');
            let key = source.project_key.clone().unwrap_or_default();
            return self.sonar_pull_request(source, server, &key, pr).await;
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
        // By key, the analysis's CE task (observed: asked after the analyses) gives the task
        // id, status and branch; the task's branch wins over --sonar-branch.
        let (task_id, status, branch) = if ce_task_url.is_none() {
            let tasks = self.sonar_tasks(source, &server, &key).await;
            match tasks.iter().find(|t| {
                t.get("analysisId").and_then(Value::as_str) == Some(analysis_key.as_str())
            }) {
                Some(t) => {
                    let t = Answer::new("SonarQube CE task", t);
                    let task_branch = Some(t.text("/branch")).filter(|b| !b.is_empty());
                    (t.text("/id"), t.text("/status"), task_branch.or(branch))
                }
                None => (task_id, status, branch),
            }
        } else {
            (task_id, status, branch)
        };
        let quality_gate = self
            .sonar_gate(
                source,
                &server,
                &format!("analysisId={}", escape_query(&analysis_key)),
            )
            .await?;
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
            pull_request: None,
            quality_gate,
        })
    }
}
