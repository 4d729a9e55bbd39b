//! The compliance report of a flow (`get flow`, to know it exists): one row per artifact (as `list artifacts` returns them,
//! newest first) with its trail, Kosli's compliance verdict (`assert artifact --flow`), the
//! attestations its trail holds for it and those missing or failing (`get trail`), and the
//! environments whose latest snapshot runs it.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::known::{soft, Known};
use super::render::{self, cell, csv_field, Format, Notes};
use super::timeline;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;
use crate::ops::artifacts_read::{Artifact, ListArtifacts};
use crate::ops::compliance::AssertArtifact;
use crate::ops::history::Trail;

/// What to report on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ComplianceOptions {
    /// The flow.
    pub flow: String,
    /// The environments to look for the artifacts in (empty: every environment that takes
    /// snapshots).
    pub environments: Vec<String>,
}

impl ComplianceOptions {
    /// The report of `flow`, looking in every environment.
    pub fn new(flow: impl Into<String>) -> Self {
        ComplianceOptions {
            flow: flow.into(),
            environments: Vec::new(),
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

/// One artifact of the flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ComplianceRow {
    /// Its name (`filename` in Kosli).
    pub artifact: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// The trail it was attested in.
    pub trail: Known<String>,
    /// When it was reported (Unix seconds).
    pub created_at: Option<f64>,
    /// The commit it was built from.
    pub git_commit: Option<String>,
    /// Kosli's verdict (`assert artifact --flow`).
    pub compliant: Known<bool>,
    /// How many attestations its trail holds for it (its own and the trail's).
    pub attestations: Known<u64>,
    /// The attestations the template expects that were not reported.
    pub missing: Known<Vec<String>>,
    /// The attestations reported but not compliant.
    pub failing: Known<Vec<String>>,
    /// The environments whose latest snapshot runs it.
    pub environments: Vec<String>,
}

/// The counts of the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ComplianceSummary {
    /// Artifacts in the flow.
    pub artifacts: u64,
    /// Those Kosli says are compliant.
    pub compliant: u64,
    /// Those Kosli says are not.
    pub non_compliant: u64,
    /// Those whose compliance is unknown.
    pub unknown: u64,
    /// Those running in at least one environment checked.
    pub running: u64,
    /// Those running and not compliant.
    pub running_non_compliant: u64,
}

/// The compliance report of a flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ComplianceReport {
    /// The flow.
    pub flow: String,
    /// The environments checked for running artifacts.
    pub environments: Vec<String>,
    /// The counts.
    pub summary: ComplianceSummary,
    /// One row per artifact, newest first.
    pub rows: Vec<ComplianceRow>,
}

/// The attestations of one artifact on its trail: how many were reported, which are missing,
/// which fail.
pub(crate) fn attestations_on(
    trail: &Trail,
    template_name: Option<&str>,
) -> Known<(u64, Vec<String>, Vec<String>)> {
    let Some(status) = &trail.compliance_status else {
        return Known::unknown(format!("trail {} has no compliance status", trail.name));
    };
    let Some(name) = template_name.filter(|n| !n.is_empty()) else {
        return Known::unknown(
            "the artifact has no template name, so its attestations on the trail cannot be told apart",
        );
    };
    let own = status
        .artifacts_statuses
        .get(name)
        .map(|a| a.attestations_statuses.as_slice())
        .unwrap_or_default();
    let (mut reported, mut missing, mut failing) = (0, Vec::new(), Vec::new());
    for a in status.attestations_statuses.iter().chain(own) {
        if a.status.as_deref() == Some("MISSING") {
            missing.push(a.attestation_name.clone());
        } else {
            reported += 1;
            if a.is_compliant == Some(false) {
                failing.push(a.attestation_name.clone());
            }
        }
    }
    Known::Value((reported, missing, failing))
}

impl Client {
    /// The compliance report of a flow (see [`crate::report`] for the reads it makes).
    /// Values Kosli does not give are [`Known::Unknown`] with the reason; an unknown flow,
    /// or an environment named that does not exist, is a `NotFound` error.
    pub async fn compliance_report(&self, options: &ComplianceOptions) -> Result<ComplianceReport> {
        if options.flow.is_empty() {
            return Err(Error::invalid_input(
                "flow",
                "the flow name must not be empty",
            ));
        }
        // An unknown flow is an error, not an empty report (listing its artifacts says nothing).
        self.get_flow(&options.flow).await?;
        let artifacts: Vec<Artifact> = self
            .list_all_artifacts(&ListArtifacts::flow(&options.flow).per_page(100))
            .await?;
        let envs = timeline::environments(self, &options.environments).await?;
        let mut running: HashMap<String, Vec<String>> = HashMap::new();
        for env in &envs {
            if let Some(snapshot) = timeline::latest(self, env).await? {
                for a in snapshot.running_artifacts() {
                    let list = running.entry(a.fingerprint.clone()).or_default();
                    if !list.contains(&env.name) {
                        list.push(env.name.clone());
                    }
                }
            }
        }
        let mut trails: BTreeMap<String, Known<Trail>> = BTreeMap::new();
        let mut verdicts: HashMap<String, Known<bool>> = HashMap::new();
        let mut rows = Vec::with_capacity(artifacts.len());
        for a in artifacts {
            let trail_name = a.trail_name.clone().filter(|t| !t.is_empty());
            let trail = match &trail_name {
                None => Known::unknown("the artifact was reported without a trail"),
                Some(t) => {
                    if !trails.contains_key(t) {
                        let read = soft(
                            self.get_trail(&options.flow, t).await,
                            &format!("get trail {t}"),
                        )?;
                        trails.insert(t.clone(), read);
                    }
                    trails[t].clone()
                }
            };
            let counts = match &trail {
                Known::Value(t) => attestations_on(t, a.template_reference_name.as_deref()),
                Known::Unknown { reason } => Known::unknown(reason.clone()),
            };
            if !verdicts.contains_key(&a.fingerprint) {
                let v = self.report_verdict(&options.flow, &a.fingerprint).await?;
                verdicts.insert(a.fingerprint.clone(), v);
            }
            rows.push(ComplianceRow {
                trail: trail_name.map_or_else(
                    || Known::unknown("the artifact was reported without a trail"),
                    Known::Value,
                ),
                created_at: a.created_at,
                git_commit: a.git_commit.clone().filter(|c| !c.is_empty()),
                compliant: verdicts[&a.fingerprint].clone(),
                attestations: counts.as_ref().map(|c| c.0),
                missing: counts.as_ref().map(|c| c.1.clone()),
                failing: counts.map(|c| c.2),
                environments: running.get(&a.fingerprint).cloned().unwrap_or_default(),
                artifact: a.filename,
                fingerprint: a.fingerprint,
            });
        }
        let mut summary = ComplianceSummary {
            artifacts: rows.len() as u64,
            ..ComplianceSummary::default()
        };
        for r in &rows {
            match r.compliant {
                Known::Value(true) => summary.compliant += 1,
                Known::Value(false) => summary.non_compliant += 1,
                Known::Unknown { .. } => summary.unknown += 1,
            }
            if !r.environments.is_empty() {
                summary.running += 1;
                if r.compliant == Known::Value(false) {
                    summary.running_non_compliant += 1;
                }
            }
        }
        Ok(ComplianceReport {
            flow: options.flow.clone(),
            environments: envs.into_iter().map(|e| e.name).collect(),
            summary,
            rows,
        })
    }

    /// Kosli's verdict on an artifact of `flow`, or why it is not known.
    pub(crate) async fn report_verdict(
        &self,
        flow: &str,
        fingerprint: &str,
    ) -> Result<Known<bool>> {
        let fp: Fingerprint = match fingerprint.parse() {
            Ok(fp) => fp,
            Err(e) => {
                return Ok(Known::unknown(format!(
                    "the fingerprint Kosli lists cannot be asserted: {e}"
                )))
            }
        };
        let verdict = self
            .assert_artifact(&AssertArtifact::new(fp).flow(flow))
            .await;
        Ok(soft(verdict, "assert artifact")?.map(|v| v.compliant))
    }
}

impl crate::blocking::Client {
    /// See [`Client::compliance_report`].
    pub fn compliance_report(&self, options: &ComplianceOptions) -> Result<ComplianceReport> {
        self.run(|c| async move { c.compliance_report(options).await })
    }
}

fn yes_no(b: &bool) -> String {
    if *b { "yes" } else { "no" }.to_string()
}

fn names(list: &[String]) -> String {
    if list.is_empty() {
        "-".to_string()
    } else {
        list.join(", ")
    }
}

impl ComplianceReport {
    /// The report in `format`.
    pub fn render(&self, format: Format) -> Result<String> {
        match format {
            Format::Json => render::json(self),
            Format::Csv => Ok(self.to_csv()),
            Format::Markdown => Ok(self.to_markdown()),
        }
    }

    /// One CSV row per artifact, after a header; lists are `;`-separated, times RFC 3339,
    /// unknown values empty with their reasons in the `unknown` column.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "artifact,fingerprint,trail,created_at,git_commit,compliant,attestations,missing,failing,environments,unknown\n",
        );
        for r in &self.rows {
            let mut reasons = Vec::new();
            let mut field = |name: &str, k: Known<String>| match k {
                Known::Value(v) => v,
                Known::Unknown { reason } => {
                    reasons.push(format!("{name}: {reason}"));
                    String::new()
                }
            };
            let trail = field("trail", r.trail.clone());
            let compliant = field("compliant", r.compliant.as_ref().map(|b| b.to_string()));
            let attestations = field(
                "attestations",
                r.attestations.as_ref().map(|n| n.to_string()),
            );
            let missing = field("missing", r.missing.as_ref().map(|m| m.join(";")));
            let failing = field("failing", r.failing.as_ref().map(|m| m.join(";")));
            let cols = [
                r.artifact.clone(),
                r.fingerprint.clone(),
                trail,
                r.created_at.map(render::rfc3339).unwrap_or_default(),
                r.git_commit.clone().unwrap_or_default(),
                compliant,
                attestations,
                missing,
                failing,
                r.environments.join(";"),
                reasons.join("; "),
            ];
            let line: Vec<String> = cols.iter().map(|c| csv_field(c)).collect();
            let _ = writeln!(out, "{}", line.join(","));
        }
        out
    }

    /// The report as Markdown: the counts, then one table row per artifact; unknown values
    /// are numbered and explained under the table.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# Compliance report: flow `{}`\n\n", self.flow);
        let _ = writeln!(
            out,
            "Environments checked: {}\n",
            if self.environments.is_empty() {
                "none".to_string()
            } else {
                self.environments.join(", ")
            }
        );
        let s = &self.summary;
        render::table(
            &mut out,
            &[
                "Artifacts",
                "Compliant",
                "Non-compliant",
                "Unknown",
                "Running",
                "Running and non-compliant",
            ],
            &[vec![
                s.artifacts.to_string(),
                s.compliant.to_string(),
                s.non_compliant.to_string(),
                s.unknown.to_string(),
                s.running.to_string(),
                s.running_non_compliant.to_string(),
            ]],
        );
        out.push_str("\n## Artifacts\n\n");
        let mut notes = Notes::default();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    cell(&r.artifact),
                    format!("`{}`", r.fingerprint),
                    notes.show(&r.trail, |t| cell(t)),
                    r.created_at.map(render::utc).unwrap_or_else(|| "-".into()),
                    notes.show(&r.compliant, yes_no),
                    notes.show(&r.attestations, u64::to_string),
                    notes.show(&r.missing, |m| cell(&names(m))),
                    notes.show(&r.failing, |m| cell(&names(m))),
                    cell(&names(&r.environments)),
                ]
            })
            .collect();
        if rows.is_empty() {
            out.push_str("The flow has no artifacts.\n");
        } else {
            render::table(
                &mut out,
                &[
                    "Artifact",
                    "Fingerprint",
                    "Trail",
                    "Reported",
                    "Compliant",
                    "Attestations",
                    "Missing",
                    "Failing",
                    "Runs in",
                ],
                &rows,
            );
        }
        notes.write(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail(json: &str) -> Trail {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn counts_reported_missing_and_failing_of_one_artifact() {
        let t = trail(
            r#"{"name": "t", "compliance_status": {"attestations_statuses": [
                {"attestation_name": "pull-request", "status": "MISSING", "is_compliant": false}],
              "artifacts_statuses": {
                "api": {"attestations_statuses": [
                  {"attestation_name": "unit-tests", "status": "COMPLETE", "is_compliant": false},
                  {"attestation_name": "security-scan", "status": "COMPLETE", "is_compliant": true}]},
                "web": {"attestations_statuses": [{"attestation_name": "x", "status": "COMPLETE"}]}}}}"#,
        );
        let got = attestations_on(&t, Some("api"));
        assert_eq!(
            got,
            Known::Value((2, vec!["pull-request".into()], vec!["unit-tests".into()]))
        );
        // No entry for the artifact: only the trail's own.
        assert_eq!(
            attestations_on(&t, Some("db")),
            Known::Value((0, vec!["pull-request".into()], vec![]))
        );
        assert!(!attestations_on(&t, None).is_known());
        assert!(!attestations_on(&trail(r#"{"name": "t"}"#), Some("api")).is_known());
    }

    #[test]
    fn csv_quotes_and_explains_unknowns() {
        let report = ComplianceReport {
            flow: "f".into(),
            environments: vec!["prod".into()],
            summary: ComplianceSummary::default(),
            rows: vec![ComplianceRow {
                artifact: "app, v1".into(),
                fingerprint: "ab".into(),
                trail: Known::unknown("no trail"),
                created_at: Some(1717200000.0),
                git_commit: None,
                compliant: Known::Value(false),
                attestations: Known::unknown("no trail"),
                missing: Known::unknown("no trail"),
                failing: Known::unknown("no trail"),
                environments: vec!["prod".into(), "dev".into()],
            }],
        };
        let csv = report.to_csv();
        let line = csv.lines().nth(1).unwrap();
        assert_eq!(
            line,
            "\"app, v1\",ab,,2024-06-01T00:00:00Z,,false,,,,prod;dev,trail: no trail; attestations: no trail; missing: no trail; failing: no trail"
        );
        let md = report.to_markdown();
        assert!(md.contains("| app, v1 | `ab` | unknown [1] |"), "{md}");
        assert!(md.ends_with("### Unknown values\n\n1. no trail\n"), "{md}");
        let json: serde_json::Value =
            serde_json::from_str(&report.render(Format::Json).unwrap()).unwrap();
        assert_eq!(json["rows"][0]["trail"]["unknown"], "no trail");
        assert_eq!(json["rows"][0]["compliant"], false);
    }
}
