//! [`ScanSummary`]: counts by severity and the findings of any security scan, from SARIF 2.1.0
//! (Snyk, Trivy, Semgrep, CodeQL, ...) or Trivy's JSON report, so a gate can check "no
//! critical vulnerabilities" whatever the scanner.
//!
//! A finding's severity is the first rule that applies:
//! 1. a CVSS score in the result's or its rule's `properties.security-severity` (a number or
//!    a numeric string): ≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium, > 0 low;
//! 2. a named severity: Trivy's `Severity`, or Snyk's rule `properties.problem.severity`
//!    (critical, high, medium, low);
//! 3. the result's `level` (or, as SARIF defines it, its rule's
//!    `defaultConfiguration.level`): error → high, warning → medium, note → low;
//! 4. otherwise unknown.
//!
//! This is not the CLI's `snyk_results` (see [`super::snyk`] for that).
//!
//! ```
//! let sarif = br#"{"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
//!   "runs": [{"tool": {"driver": {"name": "Semgrep", "rules": [
//!       {"id": "r1", "properties": {"security-severity": "9.8"}}]}},
//!     "results": [{"ruleId": "r1", "level": "warning", "message": {"text": "x"}}]}]}"#;
//! let summary = kosli_core::evidence::scan::parse_bytes(sarif, None)?;
//! assert_eq!(summary.critical, 1);
//! # Ok::<(), kosli_core::Error>(())
//! ```

use std::fmt;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::sarif::{Log, Properties, Run, SarifResult};
use super::snyk::{self, ACCEPTED_SCHEMA_PREFIXES};
use crate::error::{Error, Result};

/// A finding's severity, most severe first (so `Ord` sorts by severity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// CVSS ≥ 9.0, or named critical.
    Critical,
    /// CVSS ≥ 7.0, named high, or level error.
    High,
    /// CVSS ≥ 4.0, named medium, or level warning.
    Medium,
    /// CVSS > 0, named low, or level note.
    Low,
    /// Nothing says.
    Unknown,
}

impl Severity {
    /// The lowercase name (`critical`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Unknown => "unknown",
        }
    }

    /// The severity of a CVSS score; `None` for 0, negative or not a number.
    pub fn from_cvss(score: f64) -> Option<Severity> {
        if score >= 9.0 {
            Some(Severity::Critical)
        } else if score >= 7.0 {
            Some(Severity::High)
        } else if score >= 4.0 {
            Some(Severity::Medium)
        } else if score > 0.0 {
            Some(Severity::Low)
        } else {
            None
        }
    }

    /// A named severity (`critical`, `HIGH`, ...; any case); `None` for other names.
    pub fn from_name(name: &str) -> Option<Severity> {
        match name.to_ascii_lowercase().as_str() {
            "critical" => Some(Severity::Critical),
            "high" => Some(Severity::High),
            "medium" => Some(Severity::Medium),
            "low" => Some(Severity::Low),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of a scan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule or vulnerability id (`CVE-2024-1234`, `python/PT`).
    pub id: String,
    /// How severe it is.
    pub severity: Severity,
    /// The message or title.
    pub message: String,
    /// Where: `uri:line` for SARIF, the target (and package) for Trivy; `None` if unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Counts by severity and the findings of a scan.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ScanSummary {
    /// The scanner (first run's tool for SARIF, `Trivy` for Trivy JSON).
    pub tool: String,
    /// The scanner's version, `""` when unknown.
    pub version: String,
    /// Critical findings.
    pub critical: u64,
    /// High findings.
    pub high: u64,
    /// Medium findings.
    pub medium: u64,
    /// Low findings.
    pub low: u64,
    /// Findings of unknown severity.
    pub unknown: u64,
    /// Every finding, in file order.
    pub findings: Vec<Finding>,
}

impl ScanSummary {
    /// The number of findings of one severity.
    pub fn count(&self, severity: Severity) -> u64 {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Unknown => self.unknown,
        }
    }

    /// The number of findings at `severity` or worse (unknown counts only for `Unknown`).
    pub fn at_least(&self, severity: Severity) -> u64 {
        [
            Severity::Critical,
            Severity::High,
            Severity::Medium,
            Severity::Low,
            Severity::Unknown,
        ]
        .into_iter()
        .filter(|s| *s <= severity)
        .map(|s| self.count(s))
        .sum()
    }

    /// All findings.
    pub fn total(&self) -> u64 {
        self.critical + self.high + self.medium + self.low + self.unknown
    }

    fn push(&mut self, finding: Finding) {
        match finding.severity {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Unknown => self.unknown += 1,
        }
        self.findings.push(finding);
    }
}

/// Reads a scan file: SARIF 2.1.0 or Trivy JSON, told apart by content.
pub fn parse_file(path: impl AsRef<Path>) -> Result<ScanSummary> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| Error::io("open", path, e))?;
    parse_bytes(&bytes, Some(path))
}

/// Reads a scan held in memory; `file` names it in errors.
pub fn parse_bytes(bytes: &[u8], file: Option<&Path>) -> Result<ScanSummary> {
    let log = snyk::decode(bytes).map_err(|(line, cause)| scan_error(file, line, &cause))?;
    if is_sarif(&log) {
        Ok(from_sarif(&log))
    } else if log.trivy_schema_version.is_some() {
        Ok(from_trivy(&log))
    } else {
        Err(scan_error(
            file,
            None,
            "not a SARIF 2.1.0 log (no SARIF $schema or version \"2.1.0\") nor a Trivy JSON report (no SchemaVersion)",
        ))
    }
}

/// SARIF: a schema URL from OASIS or schemastore, or version 2.1.0.
fn is_sarif(log: &Log) -> bool {
    let schema_ok = log.schema.as_deref().is_some_and(|s| {
        ACCEPTED_SCHEMA_PREFIXES.iter().any(|p| s.starts_with(p))
            || s.starts_with("https://json.schemastore.org/sarif-")
            || s.starts_with("http://json.schemastore.org/sarif-")
    });
    schema_ok || log.version.as_deref() == Some("2.1.0")
}

fn from_sarif(log: &Log) -> ScanSummary {
    let mut summary = ScanSummary::default();
    if let Some(run) = log.runs.first() {
        summary.tool = run.tool.driver.name.clone();
        summary.version = run.tool.driver.version.clone().unwrap_or_default();
    }
    for run in &log.runs {
        for result in &run.results {
            let finding = Finding {
                id: result
                    .rule_id
                    .clone()
                    .or_else(|| result.rule.as_ref().and_then(|r| r.id.clone()))
                    .unwrap_or_default(),
                severity: sarif_severity(run, result),
                message: result.message.text.clone().unwrap_or_default(),
                location: sarif_location(result),
            };
            summary.push(finding);
        }
    }
    summary
}

fn sarif_severity(run: &Run, result: &SarifResult) -> Severity {
    let rule = run.rule_for(result);
    let rule_props = rule.and_then(|r| r.properties.as_ref());
    // 1. A CVSS score, the result's first.
    let cvss = [result.properties.as_ref(), rule_props]
        .into_iter()
        .flatten()
        .find_map(|props| security_severity(props).and_then(Severity::from_cvss));
    if let Some(severity) = cvss {
        return severity;
    }
    // 2. Snyk's named severity on the rule.
    let named = rule_props
        .and_then(|p| p.problem.as_ref()?.get("severity")?.as_str())
        .and_then(Severity::from_name);
    if let Some(severity) = named {
        return severity;
    }
    // 3. The level, defaulting to the rule's configuration as SARIF specifies.
    let level = result
        .level
        .as_deref()
        .or_else(|| rule.and_then(|r| r.default_configuration.as_ref()?.level.as_deref()));
    match level {
        Some("error") => Severity::High,
        Some("warning") => Severity::Medium,
        Some("note") => Severity::Low,
        _ => Severity::Unknown,
    }
}

/// `security-severity` as a number, whether written as one or as a string.
fn security_severity(props: &Properties) -> Option<f64> {
    match props.security_severity.as_ref()? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn sarif_location(result: &SarifResult) -> Option<String> {
    let physical = result
        .locations
        .iter()
        .find_map(|l| l.physical_location.as_ref())?;
    let uri = physical
        .artifact_location
        .as_ref()
        .and_then(|a| a.uri.clone())
        .unwrap_or_default();
    match physical.region.as_ref().and_then(|r| r.start_line) {
        Some(line) => Some(format!("{uri}:{line}")),
        None => Some(uri),
    }
}

fn from_trivy(log: &Log) -> ScanSummary {
    let mut summary = ScanSummary {
        tool: "Trivy".to_owned(),
        version: log
            .trivy
            .as_ref()
            .and_then(|t| t.version.clone())
            .unwrap_or_default(),
        ..ScanSummary::default()
    };
    for target in &log.trivy_results {
        let all = target
            .vulnerabilities
            .iter()
            .chain(&target.misconfigurations)
            .chain(&target.secrets);
        for finding in all {
            let location = match (
                &finding.pkg_name,
                &finding.installed_version,
                finding.start_line,
            ) {
                (Some(pkg), Some(version), _) => format!("{} ({pkg}@{version})", target.target),
                (Some(pkg), None, _) => format!("{} ({pkg})", target.target),
                (None, _, Some(line)) => format!("{}:{line}", target.target),
                _ => target.target.clone(),
            };
            summary.push(Finding {
                id: finding.any_id(),
                severity: finding
                    .severity
                    .as_deref()
                    .and_then(Severity::from_name)
                    .unwrap_or(Severity::Unknown),
                message: finding.title.clone().unwrap_or_default(),
                location: Some(location),
            });
        }
    }
    summary
}

fn scan_error(file: Option<&Path>, line: Option<u64>, cause: &str) -> Error {
    let name = file
        .map(|f| format!(" {}", f.display()))
        .unwrap_or_default();
    Error::parse(
        file,
        line,
        format!("failed to parse scan results file{name}: {cause}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss_thresholds() {
        assert_eq!(Severity::from_cvss(9.0), Some(Severity::Critical));
        assert_eq!(Severity::from_cvss(8.9), Some(Severity::High));
        assert_eq!(Severity::from_cvss(7.0), Some(Severity::High));
        assert_eq!(Severity::from_cvss(4.0), Some(Severity::Medium));
        assert_eq!(Severity::from_cvss(0.1), Some(Severity::Low));
        assert_eq!(Severity::from_cvss(0.0), None);
        assert_eq!(Severity::from_cvss(f64::NAN), None);
    }

    #[test]
    fn severity_rules_apply_in_order() {
        let sarif = br#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t", "rules": [
            {"id": "cvss", "properties": {"security-severity": "7.5", "problem": {"severity": "low"}}},
            {"id": "named", "properties": {"problem": {"severity": "critical"}}},
            {"id": "default", "defaultConfiguration": {"level": "note"}},
            {"id": "zero", "properties": {"security-severity": "0.0"}}]}},
          "results": [
            {"ruleId": "cvss", "level": "note"},
            {"ruleId": "cvss", "level": "note", "properties": {"security-severity": 9.1}},
            {"ruleId": "named", "level": "note"},
            {"ruleId": "default"},
            {"ruleId": "zero", "level": "warning"},
            {"ruleId": "missing", "level": "error"},
            {"ruleId": "missing"},
            {"ruleId": "missing", "level": "none"}]}]}"#;
        let s = parse_bytes(sarif, None).unwrap();
        let got: Vec<Severity> = s.findings.iter().map(|f| f.severity).collect();
        use Severity::*;
        assert_eq!(
            got,
            [High, Critical, Critical, Low, Medium, High, Unknown, Unknown]
        );
        assert_eq!(
            (s.critical, s.high, s.medium, s.low, s.unknown),
            (2, 2, 1, 1, 2)
        );
        assert_eq!(s.at_least(High), 4);
        assert_eq!(s.total(), 8);
    }

    #[test]
    fn codeql_rules_by_index_in_extensions() {
        let sarif =
            br#"{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
          "runs": [{"tool": {"driver": {"name": "CodeQL", "rules": []},
              "extensions": [{"name": "pack", "rules": [
                 {"id": "js/xss", "properties": {"security-severity": "6.1"}}]}]},
            "results": [{"ruleId": "js/xss", "ruleIndex": 0,
                         "rule": {"id": "js/xss", "index": 0, "toolComponent": {"index": 0}},
                         "message": {"text": "XSS"},
                         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"},
                                        "region": {"startLine": 3}}}]}]}]}"#;
        let s = parse_bytes(sarif, None).unwrap();
        assert_eq!(s.medium, 1);
        assert_eq!(s.findings[0].location.as_deref(), Some("a.js:3"));
        assert_eq!(s.tool, "CodeQL");
    }

    #[test]
    fn trivy_json_uses_named_severity() {
        let trivy = br#"{"SchemaVersion": 2, "ArtifactName": "alpine:3.19", "Trivy": {"Version": "0.50.1"},
          "Results": [{"Target": "alpine:3.19 (alpine 3.19.1)", "Vulnerabilities": [
              {"VulnerabilityID": "CVE-1", "PkgName": "libssl3", "InstalledVersion": "3.1.4-r5",
               "Severity": "CRITICAL", "Title": "t1"},
              {"VulnerabilityID": "CVE-2", "PkgName": "zlib", "Severity": "UNKNOWN"}]},
            {"Target": "app/.env", "Secrets": [{"RuleID": "aws-key", "Severity": "HIGH", "StartLine": 4}]},
            {"Target": "empty", "Vulnerabilities": null}]}"#;
        let s = parse_bytes(trivy, None).unwrap();
        assert_eq!((s.critical, s.high, s.unknown), (1, 1, 1));
        assert_eq!(s.version, "0.50.1");
        assert_eq!(
            s.findings[0].location.as_deref(),
            Some("alpine:3.19 (alpine 3.19.1) (libssl3@3.1.4-r5)")
        );
        assert_eq!(s.findings[2].location.as_deref(), Some("app/.env:4"));
    }

    #[test]
    fn other_json_is_rejected_with_the_file_named() {
        let err =
            parse_bytes(br#"{"vulnerabilities": []}"#, Some(Path::new("x.json"))).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Parse);
        assert!(err.to_string().contains("x.json"), "{err}");
        let err = parse_bytes(b"{\n\"runs\": [", Some(Path::new("y.json"))).unwrap_err();
        assert!(matches!(err, Error::Parse { line: Some(2), .. }), "{err:?}");
    }
}
