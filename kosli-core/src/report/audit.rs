//! The audit trail of one artifact, as the seed lists it: its fingerprint, its build (commit,
//! build URL), its test, security and review evidence with their status, and every
//! environment it ran in, with when it was first and last seen there and who reported it.
//! Read from `get artifact`, `assert artifact`, `get trail`, each attestation's details (`GET
//! /api/v2/attestations/{org}?attestation_id=`, as `evaluate trail` reads them), and the
//! environments' snapshots.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::evidence::EvidenceKind;
use super::known::{soft, Known};
use super::render::{self, cell, Format, Notes};
use super::timeline;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::ops::history::{AttestationStatus, Trail};
use crate::policy::trail_input::get_attestation_request;

/// Which artifact to audit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AuditOptions {
    /// The flow.
    pub flow: String,
    /// The artifact's fingerprint.
    pub fingerprint: String,
    /// The environments to look for it in (empty: every environment that takes snapshots).
    pub environments: Vec<String>,
}

impl AuditOptions {
    /// The audit of the artifact with `fingerprint` in `flow`.
    pub fn new(flow: impl Into<String>, fingerprint: impl Into<String>) -> Self {
        AuditOptions {
            flow: flow.into(),
            fingerprint: fingerprint.into(),
            environments: Vec::new(),
        }
    }

    /// Reads `FLOW@FINGERPRINT`.
    pub fn parse(expression: &str) -> Result<Self> {
        match expression.split_once('@') {
            Some((flow, fp)) if !flow.is_empty() && !fp.is_empty() => Ok(Self::new(flow, fp)),
            _ => Err(Error::invalid_input(
                "artifact",
                format!("invalid expression: {expression}. Use FLOW@FINGERPRINT"),
            )),
        }
    }

    /// Only look in these environments.
    pub fn environments<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.environments = names.into_iter().map(Into::into).collect();
        self
    }
}

/// Whether an attestation belongs to the trail or to the artifact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceLevel {
    /// Reported on the trail (about the commit: a review, a ticket).
    Trail,
    /// Reported on the artifact.
    Artifact,
}

/// One attestation, expected or reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Evidence {
    /// Its name.
    pub name: String,
    /// What it is evidence of.
    pub kind: EvidenceKind,
    /// Its type (`junit`, `snyk`, ...), when Kosli says.
    pub attestation_type: Option<String>,
    /// On the trail or on the artifact.
    pub level: EvidenceLevel,
    /// `COMPLETE`, `MISSING`, ...
    pub status: String,
    /// Whether it is compliant, when Kosli says.
    pub compliant: Option<bool>,
    /// When it was reported (Unix seconds), from its details.
    pub reported_at: Option<f64>,
    /// What it says (`412 tests, 0 failures, ...`): `None` when there is nothing to read
    /// (not reported), unknown when its details could not be read.
    pub details: Option<Known<String>>,
    /// Its page in Kosli.
    pub url: Option<String>,
}

/// The state of one kind of required evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceState {
    /// Reported, and every attestation of the kind is compliant.
    Compliant,
    /// Reported, and one is not compliant.
    NonCompliant,
    /// Expected by the template and not reported.
    Missing,
    /// Neither expected nor reported.
    NoneRecorded,
}

impl EvidenceState {
    fn of(evidence: &[Evidence], kind: EvidenceKind) -> Self {
        let mine: Vec<&Evidence> = evidence.iter().filter(|e| e.kind == kind).collect();
        if mine.is_empty() {
            EvidenceState::NoneRecorded
        } else if mine.iter().any(|e| e.status == "MISSING") {
            EvidenceState::Missing
        } else if mine.iter().any(|e| e.compliant == Some(false)) {
            EvidenceState::NonCompliant
        } else {
            EvidenceState::Compliant
        }
    }

    fn text(self) -> &'static str {
        match self {
            EvidenceState::Compliant => "compliant",
            EvidenceState::NonCompliant => "NON-COMPLIANT",
            EvidenceState::Missing => "MISSING",
            EvidenceState::NoneRecorded => "none recorded",
        }
    }
}

/// The state of each required kind of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Checklist {
    /// Test results.
    pub test: EvidenceState,
    /// Security scans.
    pub security: EvidenceState,
    /// Code review.
    pub review: EvidenceState,
}

/// How the artifact was built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Build {
    /// The commit.
    pub git_commit: Known<String>,
    /// The commit's page.
    pub commit_url: Known<String>,
    /// The CI build.
    pub build_url: Known<String>,
    /// The repository.
    pub repo_url: Known<String>,
    /// The commit's author (from the trail, when it was begun for that commit).
    pub commit_author: Known<String>,
}

/// Where the artifact ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Presence {
    /// The environment.
    pub environment: String,
    /// The names it ran under there.
    pub ran_as: Vec<String>,
    /// When it was first seen running (the snapshot's time, Unix seconds).
    pub first_seen: f64,
    /// That snapshot's number.
    pub first_snapshot: u64,
    /// Who reported that snapshot.
    pub reported_by: Option<String>,
    /// Whether the latest snapshot runs it.
    pub running_now: bool,
    /// When it was last seen running: the environment's latest report while it still runs,
    /// else the snapshot that no longer had it.
    pub last_seen: Known<f64>,
    /// How many separate times it started running there.
    pub deployments: u64,
}

/// The audit trail of one artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuditTrail {
    /// The flow.
    pub flow: String,
    /// The fingerprint: what was built, cryptographically.
    pub fingerprint: String,
    /// Its name.
    pub artifact: String,
    /// The trail it was attested in.
    pub trail: Known<String>,
    /// When it was reported (Unix seconds).
    pub created_at: Known<f64>,
    /// Kosli's verdict (`assert artifact --flow`).
    pub compliant: Known<bool>,
    /// Its page in Kosli.
    pub html_url: Option<String>,
    /// How it was built.
    pub build: Build,
    /// Required evidence at a glance.
    pub checklist: Known<Checklist>,
    /// Every attestation, the trail's first.
    pub evidence: Known<Vec<Evidence>>,
    /// Where it ran, by environment name.
    pub environments: Vec<Presence>,
    /// The environments looked in.
    pub environments_checked: Vec<String>,
}

fn text_or(v: Option<String>, why: &str) -> Known<String> {
    v.filter(|s| !s.is_empty())
        .map_or_else(|| Known::unknown(why), Known::Value)
}

/// A one-line summary of an attestation's details, by what they hold.
pub(crate) fn summarize(details: &Value) -> String {
    let n = |v: &Value, k: &str| v[k].as_u64().unwrap_or(0);
    if let Some(suites) = details["junit_results"].as_array() {
        let sum = |k: &str| suites.iter().map(|s| n(s, k)).sum::<u64>();
        return format!(
            "{} tests, {} failures, {} errors, {} skipped",
            sum("total"),
            sum("failures"),
            sum("errors"),
            sum("skipped")
        );
    }
    if let Some(results) = details["snyk_results"]["results"].as_array() {
        let sum = |k: &str| results.iter().map(|r| n(r, k)).sum::<u64>();
        return format!(
            "{} high, {} medium, {} low",
            sum("high_count"),
            sum("medium_count"),
            sum("low_count")
        );
    }
    if let Some(prs) = details["pull_requests"].as_array() {
        let each: Vec<String> = prs
            .iter()
            .map(|p| {
                let approvers: Vec<&str> = p["approvers"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|x| x["username"].as_str()).collect())
                    .unwrap_or_default();
                let url = p["url"].as_str().unwrap_or("a pull request");
                if approvers.is_empty() {
                    format!("{url} (no approval)")
                } else {
                    format!("{url} (approved by {})", approvers.join(", "))
                }
            })
            .collect();
        return if each.is_empty() {
            "no pull request".to_string()
        } else {
            each.join("; ")
        };
    }
    if let Some(status) = details["sonar_results"]["qualityGate"]["status"].as_str() {
        return format!("quality gate {status}");
    }
    if let Some(issues) = details["jira_results"].as_array() {
        let each: Vec<String> = issues
            .iter()
            .map(|i| {
                let id = i["issue_id"].as_str().unwrap_or("?");
                if i["issue_exists"] == Value::Bool(true) {
                    id.to_string()
                } else {
                    format!("{id} (does not exist)")
                }
            })
            .collect();
        return each.join(", ");
    }
    String::new()
}

impl Client {
    /// The audit trail of one artifact (see [`crate::report`] for the reads). An artifact
    /// Kosli does not know is a `NotFound` error; values Kosli does not give are
    /// [`Known::Unknown`] with the reason.
    pub async fn audit_trail(&self, options: &AuditOptions) -> Result<AuditTrail> {
        if options.flow.is_empty() || options.fingerprint.is_empty() {
            return Err(Error::invalid_input(
                "artifact",
                "the flow and the fingerprint must not be empty",
            ));
        }
        let a = self
            .get_artifact(&options.flow, &options.fingerprint, None)
            .await?;
        let compliant = self.report_verdict(&options.flow, &a.fingerprint).await?;
        let trail_name = a.trail_name.clone().filter(|t| !t.is_empty());
        let trail: Known<Trail> = match &trail_name {
            None => Known::unknown("the artifact was reported without a trail"),
            Some(t) => soft(
                self.get_trail(&options.flow, t).await,
                &format!("get trail {t}"),
            )?,
        };
        let evidence = match &trail {
            Known::Value(t) => {
                self.evidence(t, a.template_reference_name.as_deref())
                    .await?
            }
            Known::Unknown { reason } => Known::unknown(reason.clone()),
        };
        let commit_author = match (&trail, &a.git_commit) {
            (Known::Value(t), Some(sha)) => match &t.git_commit_info {
                Some(c) if &c.sha1 == sha && !c.author.is_empty() => Known::Value(c.author.clone()),
                Some(_) => Known::unknown("the trail was begun for another commit"),
                None => Known::unknown("the trail has no commit information"),
            },
            (Known::Unknown { reason }, _) => Known::unknown(reason.clone()),
            (_, None) => Known::unknown("no commit was recorded with the artifact"),
        };
        let envs = timeline::environments(self, &options.environments).await?;
        let mut environments = Vec::new();
        for env in &envs {
            let h = timeline::history(self, env, None, None).await?;
            if let Some(p) = presence(&h, &a.fingerprint) {
                environments.push(p);
            }
        }
        Ok(AuditTrail {
            flow: options.flow.clone(),
            fingerprint: a.fingerprint.clone(),
            artifact: a.filename.clone(),
            trail: trail_name.map_or_else(
                || Known::unknown("the artifact was reported without a trail"),
                Known::Value,
            ),
            created_at: a
                .created_at
                .map_or_else(|| Known::unknown("Kosli gave no report time"), Known::Value),
            compliant,
            html_url: a.html_url.clone(),
            build: Build {
                git_commit: text_or(a.git_commit.clone(), "no commit was recorded"),
                commit_url: text_or(a.commit_url.clone(), "no commit URL was recorded"),
                build_url: text_or(a.build_url.clone(), "no build URL was recorded"),
                repo_url: text_or(a.repo_url.clone(), "no repository URL was recorded"),
                commit_author,
            },
            checklist: evidence.as_ref().map(|e| Checklist {
                test: EvidenceState::of(e, EvidenceKind::Test),
                security: EvidenceState::of(e, EvidenceKind::Security),
                review: EvidenceState::of(e, EvidenceKind::Review),
            }),
            evidence,
            environments,
            environments_checked: envs.into_iter().map(|e| e.name).collect(),
        })
    }

    /// The trail's attestations and the artifact's, each with its details.
    async fn evidence(
        &self,
        trail: &Trail,
        template_name: Option<&str>,
    ) -> Result<Known<Vec<Evidence>>> {
        let Some(status) = &trail.compliance_status else {
            return Ok(Known::unknown(format!(
                "trail {} has no compliance status",
                trail.name
            )));
        };
        let Some(name) = template_name.filter(|n| !n.is_empty()) else {
            return Ok(Known::unknown(
                "the artifact has no template name, so its attestations on the trail cannot be told apart",
            ));
        };
        let own = status
            .artifacts_statuses
            .get(name)
            .map(|a| a.attestations_statuses.as_slice())
            .unwrap_or_default();
        let all = status
            .attestations_statuses
            .iter()
            .map(|s| (EvidenceLevel::Trail, s))
            .chain(own.iter().map(|s| (EvidenceLevel::Artifact, s)));
        let mut out = Vec::new();
        for (level, s) in all {
            out.push(self.one_evidence(level, s).await?);
        }
        Ok(Known::Value(out))
    }

    async fn one_evidence(&self, level: EvidenceLevel, s: &AttestationStatus) -> Result<Evidence> {
        let mut e = Evidence {
            name: s.attestation_name.clone(),
            kind: EvidenceKind::classify(s.attestation_type.as_deref(), &s.attestation_name),
            attestation_type: s.attestation_type.clone(),
            level,
            status: s.status.clone().unwrap_or_default(),
            compliant: s.is_compliant,
            reported_at: None,
            details: None,
            url: None,
        };
        let Some(id) = s.attestation_id.as_deref().filter(|i| !i.is_empty()) else {
            return Ok(e);
        };
        let read = async {
            let body: Value = self.read(&get_attestation_request(id)).await?.json()?;
            body["data"]
                .as_array()
                .and_then(|d| d.first())
                .cloned()
                .ok_or_else(|| Error::NotFound {
                    message: format!("no attestation with id {id}"),
                })
        };
        match soft(read.await, &format!("attestation {id}"))? {
            Known::Value(d) => {
                e.reported_at = d["created_at"].as_f64();
                e.url = d["html_url"].as_str().map(str::to_string);
                e.details = Some(Known::Value(summarize(&d)));
            }
            Known::Unknown { reason } => e.details = Some(Known::unknown(reason)),
        }
        Ok(e)
    }
}

/// Where `fingerprint` ran in `h`'s snapshots, if it ever did.
fn presence(h: &timeline::History, fingerprint: &str) -> Option<Presence> {
    let mut p: Option<Presence> = None;
    let mut was_running = false;
    let mut ended_at = None;
    for s in &h.snapshots {
        let here: Vec<&str> = s
            .running_artifacts()
            .filter(|a| a.fingerprint == fingerprint)
            .map(|a| a.name.as_str())
            .collect();
        let running = !here.is_empty();
        if running && !was_running {
            let entry = p.get_or_insert_with(|| Presence {
                environment: h.environment.clone(),
                ran_as: Vec::new(),
                first_seen: s.timestamp,
                first_snapshot: s.index,
                reported_by: s.user_name.clone(),
                running_now: false,
                last_seen: Known::unknown("not seen yet"),
                deployments: 0,
            });
            entry.deployments += 1;
        }
        if let Some(entry) = p.as_mut() {
            for n in here {
                if !entry.ran_as.iter().any(|x| x == n) {
                    entry.ran_as.push(n.to_string());
                }
            }
        }
        if !running && was_running {
            ended_at = Some(s.timestamp);
        }
        was_running = running;
    }
    let mut p = p?;
    p.running_now = was_running;
    p.last_seen = if was_running {
        h.last_reported_at.map_or_else(
            || Known::unknown("Kosli gave no time for the environment's latest report"),
            Known::Value,
        )
    } else {
        ended_at.map_or_else(|| Known::unknown("no end was seen"), Known::Value)
    };
    Some(p)
}

impl AuditTrail {
    /// The audit trail in `format` (JSON or Markdown; CSV is refused).
    pub fn render(&self, format: Format) -> Result<String> {
        match format {
            Format::Json => render::json(self),
            Format::Markdown => Ok(self.to_markdown()),
            Format::Csv => Err(Error::invalid_input(
                "output",
                "the audit trail has no CSV view: use json or markdown",
            )),
        }
    }

    /// The audit trail as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut notes = Notes::default();
        let mut out = format!("# Audit trail: `{}`\n\n", cell(&self.artifact));
        let yes_no = |b: &bool| if *b { "yes" } else { "no" }.to_string();
        let time = |t: &f64| render::utc(*t);
        let text = |s: &String| cell(s);
        let b = &self.build;
        let lines = [
            ("Flow", cell(&self.flow)),
            ("Fingerprint", format!("`{}`", self.fingerprint)),
            ("Trail", notes.show(&self.trail, text)),
            ("Reported", notes.show(&self.created_at, time)),
            ("Compliant", notes.show(&self.compliant, yes_no)),
            ("Commit", notes.show(&b.git_commit, text)),
            ("Commit author", notes.show(&b.commit_author, text)),
            ("Commit URL", notes.show(&b.commit_url, text)),
            ("Build URL", notes.show(&b.build_url, text)),
            ("Repository", notes.show(&b.repo_url, text)),
        ];
        for (k, v) in lines {
            let _ = writeln!(out, "- **{k}:** {v}");
        }
        if let Some(url) = &self.html_url {
            let _ = writeln!(out, "- **In Kosli:** {}", cell(url));
        }
        out.push_str("\n## Required evidence\n\n");
        match &self.checklist {
            Known::Value(c) => render::table(
                &mut out,
                &["Test", "Security", "Review"],
                &[vec![
                    c.test.text().to_string(),
                    c.security.text().to_string(),
                    c.review.text().to_string(),
                ]],
            ),
            k => {
                let _ = writeln!(out, "{}", notes.show(k, |_| String::new()));
            }
        }
        out.push_str("\n## Evidence\n\n");
        match &self.evidence {
            Known::Value(list) if list.is_empty() => out.push_str("No attestation.\n"),
            Known::Value(list) => {
                let rows: Vec<Vec<String>> =
                    list.iter()
                        .map(|e| {
                            vec![
                                cell(&e.name),
                                e.kind.as_str().to_string(),
                                cell(e.attestation_type.as_deref().unwrap_or("-")),
                                match e.level {
                                    EvidenceLevel::Trail => "trail",
                                    EvidenceLevel::Artifact => "artifact",
                                }
                                .to_string(),
                                cell(&e.status),
                                e.compliant.as_ref().map_or_else(|| "-".into(), yes_no),
                                e.reported_at.map_or_else(|| "-".into(), render::utc),
                                match &e.details {
                                    None => "-".to_string(),
                                    Some(k) => notes.show(k, |d| {
                                        if d.is_empty() {
                                            "-".into()
                                        } else {
                                            cell(d)
                                        }
                                    }),
                                },
                            ]
                        })
                        .collect();
                render::table(
                    &mut out,
                    &[
                        "Attestation",
                        "Kind",
                        "Type",
                        "Level",
                        "Status",
                        "Compliant",
                        "Reported",
                        "Details",
                    ],
                    &rows,
                );
            }
            k => {
                let _ = writeln!(out, "{}", notes.show(k, |_| String::new()));
            }
        }
        out.push_str("\n## Deployments\n\n");
        let _ = writeln!(
            out,
            "Environments checked: {}\n",
            if self.environments_checked.is_empty() {
                "none".to_string()
            } else {
                self.environments_checked.join(", ")
            }
        );
        if self.environments.is_empty() {
            out.push_str("It never ran in the environments checked.\n");
        } else {
            let rows: Vec<Vec<String>> = self
                .environments
                .iter()
                .map(|p| {
                    vec![
                        cell(&p.environment),
                        cell(&p.ran_as.join(", ")),
                        format!("{} (#{})", render::utc(p.first_seen), p.first_snapshot),
                        cell(p.reported_by.as_deref().unwrap_or("-")),
                        notes.show(&p.last_seen, time),
                        yes_no(&p.running_now),
                        p.deployments.to_string(),
                    ]
                })
                .collect();
            render::table(
                &mut out,
                &[
                    "Environment",
                    "Ran as",
                    "First seen",
                    "Reported by",
                    "Last seen",
                    "Running now",
                    "Deployments",
                ],
                &rows,
            );
        }
        notes.write(&mut out);
        out
    }
}

impl crate::blocking::Client {
    /// See [`Client::audit_trail`].
    pub fn audit_trail(&self, options: &AuditOptions) -> Result<AuditTrail> {
        self.run(|c| async move { c.audit_trail(options).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn details_summarize_by_type() {
        let junit = json!({"junit_results": [{"total": 400, "failures": 1, "errors": 0, "skipped": 2},
                                             {"total": 12, "failures": 0, "errors": 1, "skipped": 1}]});
        assert_eq!(
            summarize(&junit),
            "412 tests, 1 failures, 1 errors, 3 skipped"
        );
        let snyk = json!({"snyk_results": {"results": [{"high_count": 2, "medium_count": 1, "low_count": 0}]}});
        assert_eq!(summarize(&snyk), "2 high, 1 medium, 0 low");
        let pr = json!({"pull_requests": [{"url": "https://x/pull/7", "approvers": [{"username": "bob"}, {"username": "eve"}]},
                                          {"url": "https://x/pull/8", "approvers": []}]});
        assert_eq!(
            summarize(&pr),
            "https://x/pull/7 (approved by bob, eve); https://x/pull/8 (no approval)"
        );
        assert_eq!(summarize(&json!({"pull_requests": []})), "no pull request");
        assert_eq!(
            summarize(
                &json!({"jira_results": [{"issue_id": "A-1", "issue_exists": true}, {"issue_id": "B-2", "issue_exists": false}]})
            ),
            "A-1, B-2 (does not exist)"
        );
        assert_eq!(summarize(&json!({"is_compliant": true})), "");
    }

    #[test]
    fn expressions() {
        let o = AuditOptions::parse("payments@abc").unwrap();
        assert_eq!(
            (o.flow.as_str(), o.fingerprint.as_str()),
            ("payments", "abc")
        );
        for bad in ["payments", "@abc", "payments@"] {
            assert!(AuditOptions::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn presence_over_snapshots() {
        let snap = |index: u64, t: f64, fps: &[&str]| -> crate::ops::history::Snapshot {
            let artifacts: Vec<Value> = fps
                .iter()
                .map(|f| json!({"name": format!("app-{f}"), "fingerprint": f, "creationTimestamp": [1]}))
                .collect();
            serde_json::from_value(json!({"index": index, "timestamp": t, "user_name": format!("u{index}"), "artifacts": artifacts})).unwrap()
        };
        let h = timeline::History {
            environment: "prod".into(),
            last_reported_at: Some(900.0),
            snapshots: vec![
                snap(1, 100.0, &["a"]),
                snap(2, 200.0, &["b"]),
                snap(3, 300.0, &["b", "c"]),
                snap(4, 400.0, &["c"]),
                snap(5, 500.0, &["b"]),
            ],
            starts_at_first: true,
        };
        let b = presence(&h, "b").unwrap();
        assert_eq!(
            (b.first_seen, b.first_snapshot, b.deployments),
            (200.0, 2, 2)
        );
        assert_eq!(b.reported_by.as_deref(), Some("u2"));
        assert!(b.running_now);
        assert_eq!(b.last_seen, Known::Value(900.0));
        let c = presence(&h, "c").unwrap();
        assert!(!c.running_now);
        assert_eq!(c.last_seen, Known::Value(500.0));
        assert_eq!(c.ran_as, ["app-c"]);
        assert!(presence(&h, "z").is_none());
    }
}
