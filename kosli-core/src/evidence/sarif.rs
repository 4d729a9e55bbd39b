//! The part of SARIF 2.1.0 the evidence summaries read, as lenient serde types: unknown
//! fields are skipped, missing ones default, so any tool's output decodes.

use serde::Deserialize;
use serde_json::Value;

/// A SARIF log, or (for [`crate::evidence::scan`]) a Trivy JSON report: one pass reads either.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Log {
    /// The JSON schema URL the file declares.
    #[serde(rename = "$schema")]
    pub schema: Option<String>,
    /// The SARIF version (`2.1.0`).
    pub version: Option<String>,
    /// The runs; `null` and absent are empty.
    #[serde(default, deserialize_with = "null_as_default")]
    pub runs: Vec<Run>,
    /// Trivy: the report's schema version.
    #[serde(rename = "SchemaVersion")]
    pub trivy_schema_version: Option<Value>,
    /// Trivy: one entry per scanned target.
    #[serde(rename = "Results", default, deserialize_with = "null_as_default")]
    pub trivy_results: Vec<crate::evidence::trivy::TrivyTarget>,
    /// Trivy: the scanner's own metadata (newer versions).
    #[serde(rename = "Trivy")]
    pub trivy: Option<crate::evidence::trivy::TrivyMeta>,
}

/// One run of one tool.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Run {
    /// The tool.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tool: Tool,
    /// The findings; `null` and absent are empty.
    #[serde(default, deserialize_with = "null_as_default")]
    pub results: Vec<SarifResult>,
}

/// The tool of a run.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Tool {
    /// The main component.
    #[serde(default, deserialize_with = "null_as_default")]
    pub driver: Component,
    /// Plug-ins (CodeQL keeps its query packs' rules here).
    #[serde(default, deserialize_with = "null_as_default")]
    pub extensions: Vec<Component>,
}

/// A tool component: name, version and rules.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Component {
    /// The component's name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// The component's version.
    pub version: Option<String>,
    /// The rules it reports against.
    #[serde(default, deserialize_with = "null_as_default")]
    pub rules: Vec<Rule>,
}

/// A rule (`reportingDescriptor`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Rule {
    /// The rule's id.
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    /// Its property bag (`security-severity`, Snyk's `problem.severity`, ...).
    pub properties: Option<Properties>,
    /// Its default configuration (`level`).
    pub default_configuration: Option<Configuration>,
}

/// A rule's default configuration.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Configuration {
    /// `error`, `warning`, `note` or `none`.
    pub level: Option<String>,
}

/// One finding.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SarifResult {
    /// The rule's id.
    pub rule_id: Option<String>,
    /// The rule's index in the driver's (or the extension's) rules.
    pub rule_index: Option<i64>,
    /// A reference to the rule (`id`, `index`, `toolComponent.index`).
    pub rule: Option<RuleReference>,
    /// `error`, `warning`, `note` or `none`.
    pub level: Option<String>,
    /// The message.
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: Message,
    /// Where the finding is.
    #[serde(default, deserialize_with = "null_as_default")]
    pub locations: Vec<Location>,
    /// The result's property bag.
    pub properties: Option<Properties>,
}

/// The entries of a property bag the summaries read; the rest is skipped unparsed (a bag can
/// be large: Snyk's priority factors, tags).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Properties {
    /// Snyk's priority score (a number; anything else is reported as an error).
    #[serde(rename = "priorityScore")]
    pub priority_score: Option<Value>,
    /// A CVSS score, as a number or a numeric string (GitHub's convention).
    #[serde(rename = "security-severity")]
    pub security_severity: Option<Value>,
    /// Snyk's `{"severity": ...}` on rules.
    pub problem: Option<Value>,
}

/// A `reportingDescriptorReference`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RuleReference {
    /// The rule's id.
    pub id: Option<String>,
    /// The rule's index.
    pub index: Option<i64>,
    /// Which component holds the rule.
    pub tool_component: Option<ComponentReference>,
}

/// A `toolComponentReference`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ComponentReference {
    /// The extension's index in `tool.extensions`.
    pub index: Option<i64>,
}

/// A message; only its plain text is used.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Message {
    /// The plain text.
    pub text: Option<String>,
}

/// A location.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Location {
    /// The file and region; locations without one are skipped.
    pub physical_location: Option<PhysicalLocation>,
}

/// A file and a region in it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PhysicalLocation {
    /// The file.
    pub artifact_location: Option<ArtifactLocation>,
    /// The lines.
    pub region: Option<Region>,
}

/// A file reference.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ArtifactLocation {
    /// The file's URI.
    pub uri: Option<String>,
}

/// A region of a file.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Region {
    /// The first line.
    pub start_line: Option<i64>,
    /// The last line.
    pub end_line: Option<i64>,
}

impl Run {
    /// The rule a result refers to: by index (in the driver or an extension), else the first
    /// driver rule with its id, else the first extension rule with its id.
    pub(crate) fn rule_for(&self, result: &SarifResult) -> Option<&Rule> {
        let reference = result.rule.as_ref();
        let index = result
            .rule_index
            .or_else(|| reference.and_then(|r| r.index));
        let component = match reference.and_then(|r| r.tool_component.as_ref()?.index) {
            Some(i) => usize::try_from(i)
                .ok()
                .and_then(|i| self.tool.extensions.get(i)),
            None => Some(&self.tool.driver),
        };
        if let (Some(index), Some(component)) = (index, component) {
            if let Some(rule) = usize::try_from(index)
                .ok()
                .and_then(|i| component.rules.get(i))
            {
                return Some(rule);
            }
        }
        let id = result
            .rule_id
            .as_deref()
            .or_else(|| reference.and_then(|r| r.id.as_deref()))?;
        self.tool
            .driver
            .rules
            .iter()
            .chain(self.tool.extensions.iter().flat_map(|c| c.rules.iter()))
            .find(|r| r.id == id)
    }
}

/// Go decodes `null` into a field as "leave it at its zero value"; serde needs to be told.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
