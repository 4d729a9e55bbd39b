//! Adoption metrics over a time window, as the seed asks teams to track them: the share of
//! what runs that Kosli knows the provenance of, the share of deployments tracked, the
//! average evidence per artifact, the time from build to deployment (median and 90th
//! percentile), and drift (the local diff of consecutive snapshots, [`crate::drift`]).
//!
//! (definitions: [`AdoptionMetrics`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::compliance::attestations_on;
use super::known::{soft, Known};
use super::render::{self, cell, Format, Notes};
use super::stats::{share, DurationStats};
use super::timeline;
use crate::client::Client;
use crate::drift::{diff, DriftEvent};
use crate::error::{Error, Result};
use crate::ops::history::{Snapshot, Trail};

/// The window used when none is given: the last 30 days.
pub const DEFAULT_WINDOW_DAYS: u64 = 30;

/// What to measure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AdoptionOptions {
    /// The window's start (Unix seconds); default: 30 days before its end.
    pub since: Option<f64>,
    /// The window's end (Unix seconds, excluded); default: now (the client's clock).
    pub until: Option<f64>,
    /// The environments (empty: every environment that takes snapshots).
    pub environments: Vec<String>,
    /// The flows provenance must be in (empty: any flow).
    pub flows: Vec<String>,
}

impl AdoptionOptions {
    /// The last 30 days, every environment, any flow.
    pub fn new() -> Self {
        Self::default()
    }

    /// From `since` (Unix seconds).
    pub fn since(mut self, since: f64) -> Self {
        self.since = Some(since);
        self
    }

    /// Until `until` (Unix seconds, excluded).
    pub fn until(mut self, until: f64) -> Self {
        self.until = Some(until);
        self
    }

    /// Only these environments.
    pub fn environments<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.environments = names.into_iter().map(Into::into).collect();
        self
    }

    /// Only provenance in these flows counts.
    pub fn flows<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.flows = names.into_iter().map(Into::into).collect();
        self
    }
}

/// The window measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Window {
    /// Its start (Unix seconds).
    pub since: f64,
    /// Its end (Unix seconds, excluded).
    pub until: f64,
}

/// The metrics of one environment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnvironmentAdoption {
    /// The environment.
    pub environment: String,
    /// Snapshots taken in the window.
    pub snapshots: u64,
    /// Running artifacts (fingerprints) during the window.
    pub running_artifacts: u64,
    /// Those with provenance.
    pub with_provenance: u64,
    /// Deployments in the window.
    pub deployments: u64,
    /// Those of artifacts with provenance.
    pub tracked_deployments: u64,
    /// Drift events in the window.
    pub drift_events: u64,
}

/// An artifact whose evidence could not be counted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Unread {
    /// Its flow.
    pub flow: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Why.
    pub reason: String,
}

/// Evidence per artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EvidenceMetrics {
    /// Artifacts with provenance whose evidence was counted.
    pub artifacts: u64,
    /// Attestations reported for them.
    pub attestations: u64,
    /// `attestations / artifacts`.
    pub average: Known<f64>,
    /// Artifacts with provenance whose evidence could not be counted.
    pub unread: Vec<Unread>,
}

/// One drift event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DriftRecord {
    /// The environment.
    pub environment: String,
    /// The snapshot that shows it.
    pub snapshot: u64,
    /// That snapshot's time (Unix seconds).
    pub timestamp: f64,
    /// Whether the artifact it is about has provenance.
    pub tracked: bool,
    /// What changed.
    pub event: DriftEvent,
}

/// The drift events of the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DriftSummary {
    /// All of them.
    pub total: u64,
    /// Artifacts that started running.
    pub added: u64,
    /// Artifacts that stopped.
    pub removed: u64,
    /// Names that now run another fingerprint.
    pub changed: u64,
    /// Artifacts running with another number of instances.
    pub scaled: u64,
    /// Events about artifacts without provenance.
    pub untracked: u64,
    /// Each event, by environment then time.
    pub events: Vec<DriftRecord>,
}

/// The adoption metrics of a window.
///
/// Definitions, so the numbers can be checked by hand:
/// - A *running artifact* is an (environment, fingerprint) pair running in any snapshot in
///   effect during the window (the one in effect when it opens included). It has
///   *provenance* when the snapshot names its flow (one of `flows`, when given).
/// - A *deployment* is a fingerprint running in a snapshot taken in the window that did not run
///   in the snapshot before it, counted once per environment. An environment's first snapshot
///   has nothing before it: what it shows may have started any time, so it counts as no
///   deployment and no drift.
/// - *Evidence per artifact*: the attestations reported (not missing) for each fingerprint
///   with provenance, its own and its trail's (`get artifact`, `get trail`), averaged over
///   those whose trail could be read.
/// - *Build to deploy*: a deployment's snapshot time minus the artifact's report time.
/// - *Drift events*: [`crate::drift::diff`] of each snapshot in the window with the one before;
///   an event is *untracked* when the artifact it is about (what runs now, or what stopped)
///   has no provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AdoptionMetrics {
    /// The window.
    pub window: Window,
    /// The flows provenance had to be in (empty: any).
    pub flows: Vec<String>,
    /// Per environment.
    pub environments: Vec<EnvironmentAdoption>,
    /// Running artifacts, all environments.
    pub running_artifacts: u64,
    /// Those with provenance.
    pub with_provenance: u64,
    /// `with_provenance / running_artifacts`.
    pub provenance_share: Known<f64>,
    /// Deployments, all environments.
    pub deployments: u64,
    /// Those of artifacts with provenance.
    pub tracked_deployments: u64,
    /// `tracked_deployments / deployments`.
    pub tracked_deployment_share: Known<f64>,
    /// Evidence per artifact.
    pub evidence: EvidenceMetrics,
    /// Build to deploy times of the tracked deployments.
    pub build_to_deploy: DurationStats,
    /// Deployments whose build time is not known (no build-to-deploy sample), and why.
    pub build_to_deploy_unread: Vec<Unread>,
    /// Drift.
    pub drift: DriftSummary,
}

/// The flow an artifact of a snapshot has provenance in, if it counts.
fn provenance<'a>(s: &'a Snapshot, name: &str, fp: &str, flows: &[String]) -> Option<&'a str> {
    s.artifacts
        .iter()
        .find(|a| a.fingerprint == fp && a.name == name)
        .or_else(|| s.artifacts.iter().find(|a| a.fingerprint == fp))
        .and_then(|a| a.flow_name.as_deref())
        .filter(|f| !f.is_empty() && (flows.is_empty() || flows.iter().any(|x| x == f)))
}

impl Client {
    /// The adoption metrics of a window (definitions: [`AdoptionMetrics`]).
    pub async fn adoption_metrics(&self, options: &AdoptionOptions) -> Result<AdoptionMetrics> {
        let until = match options.until {
            Some(u) => u,
            None => self
                .clock()
                .system_now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0),
        };
        let since = options
            .since
            .unwrap_or(until - (DEFAULT_WINDOW_DAYS * 86_400) as f64);
        if !since.is_finite() || !until.is_finite() || since >= until {
            return Err(Error::invalid_input(
                "since",
                format!(
                    "the window must start before it ends ({} is not before {})",
                    render::utc(since),
                    render::utc(until)
                ),
            ));
        }
        let flows = &options.flows;
        let envs = timeline::environments(self, &options.environments).await?;
        let mut per_env = Vec::new();
        // Fingerprints with provenance: flow, and their deployments (env, time).
        let mut tracked: BTreeMap<String, String> = BTreeMap::new();
        let mut deployments_of: Vec<(String, f64)> = Vec::new();
        let mut drift = DriftSummary::default();
        for env in &envs {
            let h = timeline::history(self, env, Some(since), Some(until)).await?;
            let mut m = EnvironmentAdoption {
                environment: env.name.clone(),
                ..EnvironmentAdoption::default()
            };
            let mut seen: BTreeMap<String, bool> = BTreeMap::new();
            for s in &h.snapshots {
                if s.timestamp >= since {
                    m.snapshots += 1;
                }
                for a in s.running_artifacts() {
                    let flow = provenance(s, &a.name, &a.fingerprint, flows);
                    let known = seen.entry(a.fingerprint.clone()).or_insert(false);
                    *known |= flow.is_some();
                    if let Some(f) = flow {
                        tracked
                            .entry(a.fingerprint.clone())
                            .or_insert_with(|| f.to_string());
                    }
                }
            }
            m.running_artifacts = seen.len() as u64;
            m.with_provenance = seen.values().filter(|p| **p).count() as u64;
            let mut deployed: BTreeSet<String> = BTreeSet::new();
            for (prev, cur) in h.steps(Some(since)) {
                let Some(prev) = prev else { continue };
                for a in cur.running_artifacts() {
                    let before = prev
                        .running_artifacts()
                        .any(|p| p.fingerprint == a.fingerprint);
                    if before || !deployed.insert(a.fingerprint.clone()) {
                        continue;
                    }
                    m.deployments += 1;
                    if provenance(cur, &a.name, &a.fingerprint, flows).is_some() {
                        m.tracked_deployments += 1;
                        deployments_of.push((a.fingerprint.clone(), cur.timestamp));
                    }
                }
                for event in diff(&prev.running(), &cur.running()).events {
                    let is_tracked = match &event {
                        DriftEvent::Removed { artifact } => {
                            provenance(prev, &artifact.name, &artifact.fingerprint, flows).is_some()
                        }
                        DriftEvent::Added { artifact } => {
                            provenance(cur, &artifact.name, &artifact.fingerprint, flows).is_some()
                        }
                        DriftEvent::Changed {
                            name,
                            to_fingerprint,
                            ..
                        } => provenance(cur, name, to_fingerprint, flows).is_some(),
                        DriftEvent::Scaled {
                            name, fingerprint, ..
                        } => provenance(cur, name, fingerprint, flows).is_some(),
                    };
                    match &event {
                        DriftEvent::Added { .. } => drift.added += 1,
                        DriftEvent::Removed { .. } => drift.removed += 1,
                        DriftEvent::Changed { .. } => drift.changed += 1,
                        DriftEvent::Scaled { .. } => drift.scaled += 1,
                    }
                    if !is_tracked {
                        drift.untracked += 1;
                    }
                    m.drift_events += 1;
                    drift.events.push(DriftRecord {
                        environment: env.name.clone(),
                        snapshot: cur.index,
                        timestamp: cur.timestamp,
                        tracked: is_tracked,
                        event,
                    });
                }
            }
            per_env.push(m);
        }
        drift.total = drift.events.len() as u64;
        // Each tracked artifact once: its report time and its evidence.
        let mut trails: BTreeMap<(String, String), Known<Trail>> = BTreeMap::new();
        let mut created: BTreeMap<String, Known<f64>> = BTreeMap::new();
        let mut evidence = EvidenceMetrics {
            artifacts: 0,
            attestations: 0,
            average: Known::unknown("no artifact with provenance ran in the window"),
            unread: Vec::new(),
        };
        for (fp, flow) in &tracked {
            let artifact = soft(
                self.get_artifact(flow, fp, None).await,
                &format!("get artifact {flow}@{fp}"),
            )?;
            let a = match artifact {
                Known::Value(a) => a,
                Known::Unknown { reason } => {
                    created.insert(fp.clone(), Known::unknown(reason.clone()));
                    evidence.unread.push(Unread {
                        flow: flow.clone(),
                        fingerprint: fp.clone(),
                        reason,
                    });
                    continue;
                }
            };
            created.insert(
                fp.clone(),
                a.created_at
                    .map_or_else(|| Known::unknown("Kosli gave no report time"), Known::Value),
            );
            let Some(trail_name) = a.trail_name.clone().filter(|t| !t.is_empty()) else {
                evidence.unread.push(Unread {
                    flow: flow.clone(),
                    fingerprint: fp.clone(),
                    reason: "the artifact was reported without a trail".into(),
                });
                continue;
            };
            let key = (flow.clone(), trail_name.clone());
            if !trails.contains_key(&key) {
                let t = soft(
                    self.get_trail(flow, &trail_name).await,
                    &format!("get trail {trail_name}"),
                )?;
                trails.insert(key.clone(), t);
            }
            let counts = match &trails[&key] {
                Known::Value(t) => attestations_on(t, a.template_reference_name.as_deref()),
                Known::Unknown { reason } => Known::unknown(reason.clone()),
            };
            match counts {
                Known::Value((n, _, _)) => {
                    evidence.artifacts += 1;
                    evidence.attestations += n;
                }
                Known::Unknown { reason } => evidence.unread.push(Unread {
                    flow: flow.clone(),
                    fingerprint: fp.clone(),
                    reason,
                }),
            }
        }
        if evidence.artifacts > 0 {
            evidence.average =
                Known::Value(evidence.attestations as f64 / evidence.artifacts as f64);
        } else if !evidence.unread.is_empty() {
            evidence.average =
                Known::unknown("the evidence of no artifact with provenance could be read");
        }
        let mut samples = Vec::new();
        let mut build_to_deploy_unread = Vec::new();
        for (fp, at) in &deployments_of {
            match created.get(fp) {
                Some(Known::Value(c)) => samples.push(at - c),
                Some(Known::Unknown { reason }) => build_to_deploy_unread.push(Unread {
                    flow: tracked.get(fp).cloned().unwrap_or_default(),
                    fingerprint: fp.clone(),
                    reason: reason.clone(),
                }),
                None => {}
            }
        }
        let running_artifacts = per_env.iter().map(|e| e.running_artifacts).sum();
        let with_provenance = per_env.iter().map(|e| e.with_provenance).sum();
        let deployments = per_env.iter().map(|e| e.deployments).sum();
        let tracked_deployments = per_env.iter().map(|e| e.tracked_deployments).sum();
        Ok(AdoptionMetrics {
            window: Window { since, until },
            flows: flows.clone(),
            environments: per_env,
            running_artifacts,
            with_provenance,
            provenance_share: share(
                with_provenance,
                running_artifacts,
                "nothing ran in the window",
            ),
            deployments,
            tracked_deployments,
            tracked_deployment_share: share(
                tracked_deployments,
                deployments,
                "no deployment in the window",
            ),
            evidence,
            build_to_deploy: DurationStats::of(
                &samples,
                "no deployment of an artifact with a known build time in the window",
            ),
            build_to_deploy_unread,
            drift,
        })
    }
}

impl crate::blocking::Client {
    /// See [`Client::adoption_metrics`].
    pub fn adoption_metrics(&self, options: &AdoptionOptions) -> Result<AdoptionMetrics> {
        self.run(|c| async move { c.adoption_metrics(options).await })
    }
}

/// A number with at most two decimals, trailing zeros dropped (`2.6`, `3`).
fn number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl AdoptionMetrics {
    /// The metrics in `format` (JSON or Markdown; CSV is refused).
    pub fn render(&self, format: Format) -> Result<String> {
        match format {
            Format::Json => render::json(self),
            Format::Markdown => Ok(self.to_markdown()),
            Format::Csv => Err(Error::invalid_input(
                "output",
                "the adoption metrics have no CSV view: use json or markdown",
            )),
        }
    }

    /// The metrics as a Markdown summary.
    pub fn to_markdown(&self) -> String {
        let mut notes = Notes::default();
        let mut out = String::from("# Adoption metrics\n\n");
        let _ = writeln!(
            out,
            "- **Window:** {} to {}",
            render::utc(self.window.since),
            render::utc(self.window.until)
        );
        let names: Vec<&str> = self
            .environments
            .iter()
            .map(|e| e.environment.as_str())
            .collect();
        let _ = writeln!(
            out,
            "- **Environments:** {}",
            if names.is_empty() {
                "none".to_string()
            } else {
                cell(&names.join(", "))
            }
        );
        let _ = writeln!(
            out,
            "- **Provenance in:** {}\n",
            if self.flows.is_empty() {
                "any flow".to_string()
            } else {
                cell(&self.flows.join(", "))
            }
        );
        out.push_str("## Summary\n\n");
        let of = |part: u64, whole: u64, s: &Known<f64>, notes: &mut Notes| {
            format!(
                "{part} of {whole} ({})",
                notes.show(s, |v| render::percent(*v))
            )
        };
        let e = &self.evidence;
        let b = &self.build_to_deploy;
        let rows = vec![
            vec![
                "Running artifacts with provenance".to_string(),
                of(
                    self.with_provenance,
                    self.running_artifacts,
                    &self.provenance_share,
                    &mut notes,
                ),
            ],
            vec![
                "Deployments tracked".to_string(),
                of(
                    self.tracked_deployments,
                    self.deployments,
                    &self.tracked_deployment_share,
                    &mut notes,
                ),
            ],
            vec![
                "Average evidence per artifact".to_string(),
                format!(
                    "{} ({} attestations over {} artifacts)",
                    notes.show(&e.average, |v| number(*v)),
                    e.attestations,
                    e.artifacts
                ),
            ],
            vec![
                "Build to deploy, median".to_string(),
                format!(
                    "{} ({} deployments)",
                    notes.show(&b.median_seconds, |v| render::duration(*v)),
                    b.samples
                ),
            ],
            vec![
                "Build to deploy, 90th percentile".to_string(),
                notes.show(&b.p90_seconds, |v| render::duration(*v)),
            ],
            vec![
                "Drift events".to_string(),
                format!(
                    "{} ({} added, {} removed, {} changed, {} scaled; {} without provenance)",
                    self.drift.total,
                    self.drift.added,
                    self.drift.removed,
                    self.drift.changed,
                    self.drift.scaled,
                    self.drift.untracked
                ),
            ],
        ];
        render::table(&mut out, &["Metric", "Value"], &rows);
        out.push_str("\n## Environments\n\n");
        let rows: Vec<Vec<String>> = self
            .environments
            .iter()
            .map(|e| {
                vec![
                    cell(&e.environment),
                    e.snapshots.to_string(),
                    e.running_artifacts.to_string(),
                    e.with_provenance.to_string(),
                    e.deployments.to_string(),
                    e.tracked_deployments.to_string(),
                    e.drift_events.to_string(),
                ]
            })
            .collect();
        render::table(
            &mut out,
            &[
                "Environment",
                "Snapshots",
                "Running artifacts",
                "With provenance",
                "Deployments",
                "Tracked deployments",
                "Drift events",
            ],
            &rows,
        );
        out.push_str("\n## Drift\n\n");
        if self.drift.events.is_empty() {
            out.push_str("No drift in the window.\n");
        } else {
            let rows: Vec<Vec<String>> = self
                .drift
                .events
                .iter()
                .map(|d| {
                    vec![
                        cell(&d.environment),
                        format!("#{}", d.snapshot),
                        render::utc(d.timestamp),
                        cell(&d.event.to_string()),
                        if d.tracked { "yes" } else { "no" }.to_string(),
                    ]
                })
                .collect();
            render::table(
                &mut out,
                &["Environment", "Snapshot", "Time", "Change", "Provenance"],
                &rows,
            );
        }
        let unread: Vec<&Unread> = e
            .unread
            .iter()
            .chain(&self.build_to_deploy_unread)
            .collect();
        if !unread.is_empty() {
            out.push_str("\n## Not counted\n\n");
            for u in unread {
                let _ = writeln!(
                    out,
                    "- `{}` ({}): {}",
                    u.fingerprint,
                    cell(&u.flow),
                    cell(&u.reason)
                );
            }
        }
        notes.write(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(2.6), "2.6");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.666), "2.67");
    }
}
