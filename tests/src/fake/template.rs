//! Flow and trail templates, as Kosli reads them for compliance: the attestations a trail
//! expects of itself and of each artifact. A template that does not parse, or names nothing,
//! expects nothing (`version: 1`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::state::Org;

/// One expected attestation: its name and type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Expected {
    /// Its name.
    pub name: String,
    /// Its type (`junit`, `generic`, ...).
    #[serde(rename = "type", default)]
    pub kind: String,
}

#[derive(Debug, Default, Deserialize)]
struct ArtifactPart {
    #[serde(default)]
    name: String,
    #[serde(default)]
    attestations: Vec<Expected>,
}

#[derive(Debug, Default, Deserialize)]
struct TrailPart {
    #[serde(default)]
    attestations: Vec<Expected>,
    #[serde(default)]
    artifacts: Vec<ArtifactPart>,
}

#[derive(Debug, Default, Deserialize)]
struct Template {
    #[serde(default)]
    trail: TrailPart,
}

/// What a template expects: the trail's attestations, and each artifact's by template name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Expectations {
    /// Trail-level attestations.
    pub trail: Vec<Expected>,
    /// Artifact-level attestations, by the artifact's name in the template.
    pub artifacts: BTreeMap<String, Vec<Expected>>,
}

/// Reads a template's YAML (anything else expects nothing).
pub fn parse(yaml: &str) -> Expectations {
    let t: Template = serde_yaml_ng::from_str(yaml).unwrap_or_default();
    Expectations {
        trail: t.trail.attestations,
        artifacts: t
            .trail
            .artifacts
            .into_iter()
            .map(|a| (a.name, a.attestations))
            .collect(),
    }
}

/// What the trail expects: its own template if it was begun with one, else its flow's.
pub fn of_trail(org: &Org, flow: &str, trail: &str) -> Expectations {
    let text = |v: Option<&Value>| {
        v.and_then(|v| v["template"].as_str())
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    };
    text(org.trails.get(&(flow.to_string(), trail.to_string())))
        .or_else(|| text(org.flows.get(flow)))
        .map(|t| parse(&t))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_read() {
        let e = parse(
            "version: 1\ntrail:\n  attestations:\n    - name: pull-request\n      type: pull_request\n  artifacts:\n    - name: api\n      attestations:\n        - name: unit-tests\n          type: junit\n",
        );
        assert_eq!(e.trail[0].name, "pull-request");
        assert_eq!(e.artifacts["api"][0].kind, "junit");
        assert_eq!(parse("version: 1"), Expectations::default());
        assert_eq!(parse(": not yaml ["), Expectations::default());
    }
}
