//! What the CLI shows of one trail event, in both of `get trail`'s views: its time, a
//! description by type, the commit (7 characters of its SHA-1, and its URL), its compliance,
//! and what the markdown view links (an attestation, an environment's snapshot). Observed from
//! CLI v2.43.1 (tests/fixtures/reads/cases/get_trail_*events*): an unknown type is shown as
//! it is; a field the description needs but lacks shows as Go's `%!s(<nil>)`.

use kosli_core::ops::history::TrailEvent;
use serde_json::Value;

use crate::timefmt;

/// The attestation an event's description names, linked in the markdown view.
pub struct AttestationRef {
    /// The name as it appears in the description (`app.snyk-scan`, `pr-review`).
    pub reference: String,
    /// Its id (the link's `attestation_id`).
    pub id: String,
}

/// The environment snapshot an event's description names, linked in the markdown view.
pub struct EnvironmentRef {
    /// The environment's name.
    pub name: String,
    /// The snapshot's index (empty when the event has none).
    pub snapshot: String,
}

/// One event as the CLI shows it.
pub struct EventFields {
    /// `Mon, 10 Jun 2024 06:13:20 UTC`.
    pub time: String,
    /// What happened, in the CLI's words.
    pub description: String,
    /// The commit's first 7 characters (empty when there is no SHA-1 that long).
    pub commit: String,
    /// The commit's URL (empty when none).
    pub commit_url: String,
    /// `Some(true)` compliant, `Some(false)` non-compliant, `None` not said.
    pub compliant: Option<bool>,
    /// The attestation named in the description, with an id.
    pub attestation: Option<AttestationRef>,
    /// The environment named in the description.
    pub environment: Option<EnvironmentRef>,
}

/// Go's `%s` of a JSON value (`%!s(<nil>)` when it is missing).
fn go_s(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => "%!s(<nil>)".to_string(),
        Some(Value::Bool(b)) => format!("%!s(bool={b})"),
        Some(Value::Number(n)) => format!(
            "%!s(float64={})",
            n.as_f64()
                .map(kosli_core::model::go_json::format_f64)
                .unwrap_or_default()
        ),
        Some(other) => crate::cmd_support::go_value(other),
    }
}

/// Go's `%v` of a JSON value (`<nil>` when it is missing).
fn go_v(v: Option<&Value>) -> String {
    v.map_or("<nil>".to_string(), crate::cmd_support::go_value)
}

/// A number as Go's `%.0f` prints it (half to even, as Rust's formatting does).
fn whole(n: f64) -> String {
    format!("{n:.0}")
}

impl EventFields {
    /// The fields of `event`.
    pub fn of(event: &TrailEvent) -> EventFields {
        let field = |k: &str| event.other.get(k);
        let string = |k: &str| field(k).and_then(Value::as_str).map(str::to_string);
        let kind = event.event_type.clone().unwrap_or_default();
        let (mut attestation, mut environment) = (None, None);
        let attestation_id = string("attestation_id");
        let description = match kind.as_str() {
            "trail_reported" => "trail started".to_string(),
            "trail_updated" => "trail updated".to_string(),
            "trail_attestation_reported" => {
                attestation = attestation_id.map(|id| AttestationRef {
                    reference: go_v(field("template_reference_name")),
                    id,
                });
                format!(
                    "'{}' attestation reported for {} on the trail",
                    go_s(field("attestation_type")),
                    go_s(field("template_reference_name"))
                )
            }
            "artifact_creation_reported" => format!(
                "artifact '{}' created for template name '{}'",
                go_s(field("artifact_name")),
                go_s(field("template_reference_name"))
            ),
            "artifact_attestation_reported" | "trail_attestation_for_artifact_reported" => {
                attestation = attestation_id.map(|id| AttestationRef {
                    reference: format!(
                        "{}.{}",
                        go_v(field("target_artifact")),
                        go_v(field("template_reference_name"))
                    ),
                    id,
                });
                format!(
                    "'{}' attestation reported for {}.{}",
                    go_s(field("attestation_type")),
                    go_s(field("target_artifact")),
                    go_s(field("template_reference_name"))
                )
            }
            "artifact_approval_reported" => {
                let number = whole(
                    field("approval_number")
                        .and_then(Value::as_f64)
                        .unwrap_or_default(),
                );
                if string("state").as_deref() == Some("PENDING") {
                    format!("approval #{number} requested")
                } else {
                    format!(
                        "approval #{number} created by '{}'",
                        go_s(field("reviewer"))
                    )
                }
            }
            "artifact_started_running" | "artifact_stopped_running" => {
                let verb = if kind == "artifact_started_running" {
                    "started"
                } else {
                    "stopped"
                };
                environment = string("environment_name").map(|name| EnvironmentRef {
                    name,
                    snapshot: field("snapshot_index")
                        .and_then(Value::as_f64)
                        .map(whole)
                        .unwrap_or_default(),
                });
                format!(
                    "artifact '{}' {verb} running in '{}'",
                    go_s(field("template_reference_name")),
                    go_s(field("environment_name"))
                )
            }
            _ => kind.clone(),
        };
        let commit_info = field("git_commit_info").and_then(Value::as_object);
        let sha = commit_info
            .and_then(|c| c.get("sha1"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        EventFields {
            time: event.timestamp.map(timefmt::rfc1123).unwrap_or_default(),
            description,
            // Shorter than 7 bytes: nothing (as observed).
            commit: sha.get(..7).unwrap_or_default().to_string(),
            commit_url: commit_info
                .and_then(|c| c.get("url"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            compliant: field("is_compliant").and_then(Value::as_bool),
            attestation,
            environment,
        }
    }

    /// The compliance column's word (`compliant`, `non-compliant`, or nothing).
    pub fn compliance(&self) -> &'static str {
        match self.compliant {
            Some(true) => "compliant",
            Some(false) => "non-compliant",
            None => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(v: serde_json::Value) -> EventFields {
        EventFields::of(&serde_json::from_value(v).unwrap())
    }

    #[test]
    fn descriptions_commits_and_compliance_as_observed() {
        let e = event(
            serde_json::json!({"type": "artifact_attestation_reported", "timestamp": 1718000000,
            "attestation_type": "snyk", "target_artifact": "app", "template_reference_name": "scan",
            "attestation_id": "id-2", "is_compliant": false, "git_commit_info": {"sha1": "abcdef12", "url": "u"}}),
        );
        assert_eq!(e.description, "'snyk' attestation reported for app.scan");
        assert_eq!((e.commit.as_str(), e.commit_url.as_str()), ("abcdef1", "u"));
        assert_eq!(e.compliance(), "non-compliant");
        let a = e.attestation.unwrap();
        assert_eq!((a.reference.as_str(), a.id.as_str()), ("app.scan", "id-2"));
        let e = event(
            serde_json::json!({"type": "trail_attestation_reported", "timestamp": 1,
            "template_reference_name": "t", "git_commit_info": {"sha1": "abc"}}),
        );
        assert_eq!(
            e.description,
            "'%!s(<nil>)' attestation reported for t on the trail"
        );
        assert!(e.attestation.is_none() && e.commit.is_empty() && e.compliance().is_empty());
        let e = event(
            serde_json::json!({"type": "artifact_stopped_running", "timestamp": 1,
            "template_reference_name": "app", "environment_name": "prod", "snapshot_index": 12.6}),
        );
        assert_eq!(e.description, "artifact 'app' stopped running in 'prod'");
        assert_eq!(e.environment.unwrap().snapshot, "13");
        let e = event(
            serde_json::json!({"type": "artifact_approval_reported", "timestamp": 1,
            "state": "PENDING", "approval_number": 4}),
        );
        assert_eq!(e.description, "approval #4 requested");
        assert_eq!(event(serde_json::json!({"type": "x_y"})).description, "x_y");
    }
}
