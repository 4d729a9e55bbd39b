//! Snyk SARIF to the CLI's `snyk_results` (contract: evidence.md §2).
//!
//! The same values as `kosli attest snyk`: only SARIF with one of the OASIS schema URLs is
//! accepted; the tool comes from the first run; each run gives one entry of high/medium/low
//! buckets (the CLI's own, case-sensitive mapping: other levels are dropped); a result's
//! `level` wins, else its rule's `properties.problem.severity`. Where the CLI panics (a
//! `priorityScore` that is not a number), this returns a [`ErrorKind::Parse`] error naming
//! the field.
//!
//! [`ErrorKind::Parse`]: crate::ErrorKind::Parse
//!
//! ```
//! let sarif = br#"{"$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json",
//!   "runs": [{"tool": {"driver": {"name": "Snyk Open Source"}},
//!             "results": [{"ruleId": "SNYK-1", "level": "error", "message": {"text": "bad"}}]}]}"#;
//! let results = kosli_core::evidence::snyk::parse_bytes(sarif, None)?;
//! assert_eq!(results.results[0].high_count, 1);
//! # Ok::<(), kosli_core::Error>(())
//! ```

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::sarif::{Log, Run, SarifResult};
use crate::error::{Error, Result};

/// The schema URL prefixes the CLI accepts (`https://json.schemastore.org/...` is not one).
pub const ACCEPTED_SCHEMA_PREFIXES: [&str; 3] = [
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/",
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-",
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
];

/// The CLI's `snyk_results` object, fields in wire order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnykResults {
    /// Always 1.
    pub schema_version: u32,
    /// The first run's tool.
    pub tool: SnykTool,
    /// One entry per run, in order.
    pub results: Vec<SnykRunResults>,
}

/// The tool that produced the scan.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SnykTool {
    /// `runs[0].tool.driver.name`.
    pub name: String,
    /// `runs[0].tool.driver.version`, `""` when absent.
    pub version: String,
}

/// The findings of one run, in the CLI's three buckets.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SnykRunResults {
    /// Findings whose severity is `error`, `high` or `critical`.
    pub high_count: u64,
    /// Findings whose severity is `warning` or `medium`.
    pub medium_count: u64,
    /// Findings whose severity is `info`, `low` or `note`.
    pub low_count: u64,
    /// The high findings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub high: Vec<SnykVulnerability>,
    /// The medium findings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub medium: Vec<SnykVulnerability>,
    /// The low findings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub low: Vec<SnykVulnerability>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SnykVulnerability {
    /// The rule id (`""` when absent).
    pub id: String,
    /// `message.text` (`""` when absent).
    pub message: String,
    /// The physical locations, duplicates kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<SnykLocation>,
    /// `properties.priorityScore`; omitted when 0 or absent.
    #[serde(skip_serializing_if = "is_zero")]
    pub priority_score: f64,
}

/// A file and its lines.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SnykLocation {
    /// `artifactLocation.uri` (`""` when absent).
    pub uri: String,
    /// `"S"` or `"S-E"`; omitted without a start line.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub lines: String,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// The CLI's bucket for a severity name; `None` drops the finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    High,
    Medium,
    Low,
}

/// Reads a Snyk SARIF file as `kosli attest snyk --scan-results` does.
pub fn parse_file(path: impl AsRef<Path>) -> Result<SnykResults> {
    let path = path.as_ref();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(snyk_error(
                Some(path),
                None,
                "the provided file path doesn't have a file",
            ))
        }
        Err(e) => return Err(Error::io("open", path, e)),
    };
    parse_bytes(&bytes, Some(path))
}

/// Reads Snyk SARIF held in memory; `file` names it in errors.
pub fn parse_bytes(bytes: &[u8], file: Option<&Path>) -> Result<SnykResults> {
    let log = decode(bytes).map_err(|(line, cause)| snyk_error(file, line, &cause))?;
    let schema_ok = log
        .schema
        .as_deref()
        .is_some_and(|s| ACCEPTED_SCHEMA_PREFIXES.iter().any(|p| s.starts_with(p)));
    if !schema_ok {
        return Err(snyk_error(file, None, "invalid sarif file"));
    }
    summarize(&log, file)
}

/// Decodes SARIF (or Trivy) JSON; on failure, the line (when known) and the cause.
pub(crate) fn decode(bytes: &[u8]) -> std::result::Result<Log, (Option<u64>, String)> {
    // Go names the JSON type it cannot decode into its report struct.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let wrong = match first {
        Some(b'[') => Some("array"),
        Some(b'"') => Some("string"),
        Some(b't' | b'f') => Some("bool"),
        Some(b'-' | b'0'..=b'9') => Some("number"),
        _ => None,
    };
    if let (Some(wrong), Ok(_)) = (
        wrong,
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes),
    ) {
        return Err((
            Some(1),
            format!("json: cannot unmarshal {wrong} into Go value of type sarif.Report"),
        ));
    }
    if first == Some(&b'n') && serde_json::from_slice::<()>(bytes).is_ok() {
        return Ok(Log::default()); // `null` decodes to an empty report in Go.
    }
    serde_json::from_slice(bytes).map_err(|e| {
        let line = (e.line() > 0).then_some(e.line() as u64);
        let cause = match e.classify() {
            serde_json::error::Category::Eof => format!(
                "unexpected end of JSON input (line {}, column {})",
                e.line(),
                e.column()
            ),
            _ => e.to_string(),
        };
        (line, cause)
    })
}

fn summarize(log: &Log, file: Option<&Path>) -> Result<SnykResults> {
    let tool = log
        .runs
        .first()
        .map(|run| SnykTool {
            name: run.tool.driver.name.clone(),
            version: run.tool.driver.version.clone().unwrap_or_default(),
        })
        .unwrap_or_default();
    let mut results = Vec::with_capacity(log.runs.len());
    for (r, run) in log.runs.iter().enumerate() {
        let mut entry = SnykRunResults::default();
        for (i, result) in run.results.iter().enumerate() {
            let severity = severity_of(run, result, file)?;
            let bucket = match severity {
                "error" | "high" | "critical" => Bucket::High,
                "warning" | "medium" => Bucket::Medium,
                "info" | "low" | "note" => Bucket::Low,
                _ => continue,
            };
            let vuln = vulnerability(result, file, r, i)?;
            match bucket {
                Bucket::High => {
                    entry.high_count += 1;
                    entry.high.push(vuln);
                }
                Bucket::Medium => {
                    entry.medium_count += 1;
                    entry.medium.push(vuln);
                }
                Bucket::Low => {
                    entry.low_count += 1;
                    entry.low.push(vuln);
                }
            }
        }
        results.push(entry);
    }
    Ok(SnykResults {
        schema_version: 1,
        tool,
        results,
    })
}

/// The result's `level`, else its rule's `properties.problem.severity` (rule found by
/// `ruleId` among the driver's rules, first match).
fn severity_of<'a>(run: &'a Run, result: &'a SarifResult, file: Option<&Path>) -> Result<&'a str> {
    if let Some(level) = result.level.as_deref() {
        return Ok(level);
    }
    let id = result.rule_id.as_deref().unwrap_or("");
    let Some((index, rule)) = run
        .tool
        .driver
        .rules
        .iter()
        .enumerate()
        .find(|(_, r)| r.id == id)
    else {
        return Err(snyk_error(
            file,
            None,
            &format!("could not find rule ID: {id}. couldn't find rule {id}"),
        ));
    };
    let problem = rule.properties.as_ref().and_then(|p| p.problem.as_ref());
    let field = |what: &str| format!("runs[].tool.driver.rules[{index}].properties.problem{what}");
    let severity = match problem {
        None | Some(Value::Null) => None,
        Some(Value::Object(problem)) => match problem.get("severity") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                return Err(snyk_error(
                    file,
                    None,
                    &format!(
                        "{}: expected a string, found {}",
                        field(".severity"),
                        kind(other)
                    ),
                ))
            }
        },
        Some(other) => {
            return Err(snyk_error(
                file,
                None,
                &format!("{}: expected an object, found {}", field(""), kind(other)),
            ))
        }
    };
    severity.ok_or_else(|| {
        snyk_error(
            file,
            None,
            &format!("could not find level for rule ID: {id}"),
        )
    })
}

fn vulnerability(
    result: &SarifResult,
    file: Option<&Path>,
    run: usize,
    index: usize,
) -> Result<SnykVulnerability> {
    let priority_score = match result
        .properties
        .as_ref()
        .and_then(|p| p.priority_score.as_ref())
    {
        None | Some(Value::Null) => 0.0,
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(other) => {
            return Err(snyk_error(
                file,
                None,
                &format!(
                    "runs[{run}].results[{index}].properties.priorityScore: expected a number, found {}",
                    kind(other)
                ),
            ))
        }
    };
    let locations = result
        .locations
        .iter()
        .filter_map(|l| l.physical_location.as_ref())
        .map(|p| {
            let uri = p
                .artifact_location
                .as_ref()
                .and_then(|a| a.uri.clone())
                .unwrap_or_default();
            let lines = match p.region.as_ref() {
                Some(r) => match (r.start_line, r.end_line) {
                    (Some(s), Some(e)) if e != s => format!("{s}-{e}"),
                    (Some(s), _) => s.to_string(),
                    (None, _) => String::new(),
                },
                None => String::new(),
            };
            SnykLocation { uri, lines }
        })
        .collect();
    Ok(SnykVulnerability {
        id: result.rule_id.clone().unwrap_or_default(),
        message: result.message.text.clone().unwrap_or_default(),
        locations,
        priority_score,
    })
}

/// A JSON value's kind, quoted briefly for error messages.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string ({s:?})"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The CLI's wording: `failed to parse Snyk sarif results file [<path>]: <cause>`.
fn snyk_error(file: Option<&Path>, line: Option<u64>, cause: &str) -> Error {
    let name = file.map(|f| f.display().to_string()).unwrap_or_default();
    Error::parse(
        file,
        line,
        format!("failed to parse Snyk sarif results file [{name}]: {cause}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/x";

    fn sarif(results: &str) -> Vec<u8> {
        format!(
            r#"{{"$schema": "{SCHEMA}", "runs": [{{"tool": {{"driver": {{"name": "T", "rules": [
            {{"id": "R1", "properties": {{"problem": {{"severity": "medium"}}}}}},
            {{"id": "R2", "properties": {{"problem": "high"}}}}]}}}}, "results": [{results}]}}]}}"#
        )
        .into_bytes()
    }

    #[test]
    fn priority_scores_print_exactly_as_go() {
        // Checked against the CLI: floats are parsed exactly (serde_json's float_roundtrip).
        let r = parse_bytes(
            &sarif(
                r#"{"ruleId": "R1", "properties": {"priorityScore": 7.3064935803929335e31}},
                      {"ruleId": "R1", "properties": {"priorityScore": 0.30000000000000004}},
                      {"ruleId": "R1", "properties": {"priorityScore": null}}"#,
            ),
            None,
        )
        .unwrap();
        let text = crate::model::go_json::to_string(&r).unwrap();
        assert!(
            text.contains(r#""priority_score":7.3064935803929335e+31"#),
            "{text}"
        );
        assert!(
            text.contains(r#""priority_score":0.30000000000000004"#),
            "{text}"
        );
        assert_eq!(r.results[0].medium_count, 3);
    }

    #[test]
    fn malformed_values_name_the_field_instead_of_crashing() {
        let err = parse_bytes(
            &sarif(r#"{"ruleId": "R1", "level": "error", "properties": {"priorityScore": "700"}}"#),
            Some(Path::new("scan.json")),
        )
        .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Parse);
        assert!(
            err.to_string().contains(
                r#"runs[0].results[0].properties.priorityScore: expected a number, found a string ("700")"#
            ),
            "{err}"
        );
        let err = parse_bytes(&sarif(r#"{"ruleId": "R2"}"#), None).unwrap_err();
        assert!(
            err.to_string()
                .contains("properties.problem: expected an object"),
            "{err}"
        );
        let err = parse_bytes(&sarif(r#"{"ruleId": "missing"}"#), None).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("could not find rule ID: missing. couldn't find rule missing"),
            "{err}"
        );
    }

    #[test]
    fn schema_and_shape_errors_read_like_the_cli() {
        let err = parse_bytes(br#"{"runs": []}"#, None).unwrap_err();
        assert!(err.to_string().ends_with("invalid sarif file"), "{err}");
        let err = parse_bytes(
            br#"{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": []}"#,
            None,
        )
        .unwrap_err();
        assert!(err.to_string().ends_with("invalid sarif file"), "{err}");
        let err = parse_bytes(b"[]", None).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("json: cannot unmarshal array into Go value of type sarif.Report"),
            "{err}"
        );
        let err = parse_bytes(b"{\n\"$schema\": \n", Some(Path::new("s.json"))).unwrap_err();
        assert!(
            matches!(&err, Error::Parse { line: Some(3), .. }),
            "{err:?}"
        );
        assert!(
            err.to_string().starts_with(
                "failed to parse Snyk sarif results file [s.json]: unexpected end of JSON input"
            ),
            "{err}"
        );
        // `null` is an empty report to Go: no schema, so invalid.
        assert!(parse_bytes(b"null", None)
            .unwrap_err()
            .to_string()
            .ends_with("invalid sarif file"));
    }
}
