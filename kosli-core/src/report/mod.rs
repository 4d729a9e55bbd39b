//! Compliance documents built from Kosli's reads: the compliance report of a flow, the audit
//! trail of one artifact, and adoption metrics over a time window (the seed's "regular
//! compliance reports", "audit trail documentation" and "monitor adoption").
//!
//! Each document is a typed value (serde both ways) rendered as JSON, Markdown, and, for the
//! compliance report, CSV. Every value comes from a read the CLI's contract documents (`list
//! artifacts`, `get artifact`, `assert artifact`, `get trail`, an attestation's details, `list
//! environments`, `list snapshots`, `get snapshot`) or from the local [`crate::drift`] diff of
//! two snapshots; one Kosli does not give is a [`Known::Unknown`] with the reason, never a
//! guess.
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::report::{AdoptionOptions, AuditOptions, ComplianceOptions, Format};
//! let report = client.compliance_report(&ComplianceOptions::new("payments-api")).await?;
//! tracing::info!(compliant = report.summary.compliant, "of {}", report.summary.artifacts);
//! let csv = report.render(Format::Csv)?;
//! let audit = client.audit_trail(&AuditOptions::parse("payments-api@a43a43")?).await?;
//! let metrics = client.adoption_metrics(&AdoptionOptions::new().since(1717200000.0)).await?;
//! # let _ = (csv, audit, metrics);
//! # Ok(())
//! # }
//! ```
//!
//! For the bindings, [`ReportRequest`] (JSON in) and [`Document`] (typed out, rendered in any
//! format) are the one entry point: `client.report(&request)?.render(format)`.

mod adoption;
mod audit;
mod compliance;
mod evidence;
mod known;
mod render;
mod stats;
mod timeline;

pub use adoption::{
    AdoptionMetrics, AdoptionOptions, DriftRecord, DriftSummary, EnvironmentAdoption,
    EvidenceMetrics, Unread, Window, DEFAULT_WINDOW_DAYS,
};
pub use audit::{
    AuditOptions, AuditTrail, Build, Checklist, Evidence, EvidenceLevel, EvidenceState, Presence,
};
pub use compliance::{ComplianceOptions, ComplianceReport, ComplianceRow, ComplianceSummary};
pub use evidence::EvidenceKind;
pub use known::Known;
pub use render::{duration, parse_time, percent, rfc3339, utc, Format};
pub use stats::{median, nearest_rank, DurationStats};

use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};

/// Which document to build, with its options: what a binding receives as JSON, e.g.
/// `{"kind": "compliance", "flow": "payments-api"}`, `{"kind": "audit", "flow": "payments-api",
/// "fingerprint": "..."}`, `{"kind": "adoption", "since": 1717200000}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReportRequest {
    /// The compliance report of a flow.
    Compliance(ComplianceOptions),
    /// The audit trail of one artifact.
    Audit(AuditOptions),
    /// Adoption metrics over a window.
    Adoption(AdoptionOptions),
}

impl ReportRequest {
    /// Reads a request from JSON, naming the field at fault.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| {
            Error::invalid_input("report request", format!("invalid report request: {e}"))
        })
    }
}

/// A document built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Document {
    /// The compliance report of a flow.
    Compliance(ComplianceReport),
    /// The audit trail of one artifact.
    Audit(AuditTrail),
    /// Adoption metrics over a window.
    Adoption(AdoptionMetrics),
}

impl Document {
    /// The document in `format` (CSV for the compliance report only).
    pub fn render(&self, format: Format) -> Result<String> {
        match self {
            Document::Compliance(d) => d.render(format),
            Document::Audit(d) => d.render(format),
            Document::Adoption(d) => d.render(format),
        }
    }
}

impl Client {
    /// Builds the document `request` asks for.
    pub async fn report(&self, request: &ReportRequest) -> Result<Document> {
        Ok(match request {
            ReportRequest::Compliance(o) => Document::Compliance(self.compliance_report(o).await?),
            ReportRequest::Audit(o) => Document::Audit(self.audit_trail(o).await?),
            ReportRequest::Adoption(o) => Document::Adoption(self.adoption_metrics(o).await?),
        })
    }
}

impl crate::blocking::Client {
    /// See [`Client::report`].
    pub fn report(&self, request: &ReportRequest) -> Result<Document> {
        self.run(|c| async move { c.report(request).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_from_json() {
        let r = ReportRequest::from_json(
            r#"{"kind": "compliance", "flow": "payments-api", "environments": ["production"]}"#,
        )
        .unwrap();
        assert_eq!(
            r,
            ReportRequest::Compliance(
                ComplianceOptions::new("payments-api").environments(["production"])
            )
        );
        let r = ReportRequest::from_json(r#"{"kind": "adoption", "since": 1717200000}"#).unwrap();
        assert_eq!(
            r,
            ReportRequest::Adoption(AdoptionOptions::new().since(1717200000.0))
        );
        let e = ReportRequest::from_json(r#"{"kind": "weekly"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown variant `weekly`"), "{e}");
        let e = ReportRequest::from_json(r#"{"kind": "audit", "flow": 3}"#).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
    }
}
