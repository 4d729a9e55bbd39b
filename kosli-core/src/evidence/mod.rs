//! Evidence parsers: test results and security scans to the typed summaries that attestation
//! payloads and local gates use. Pure: files or bytes in, values out, no HTTP.
//!
//! * [`junit`]: JUnit XML to the CLI's `junit_results` ([`junit::SuiteSummary`]).
//! * [`snyk`]: Snyk SARIF to the CLI's `snyk_results` ([`snyk::SnykResults`]).
//! * [`scan`]: any SARIF 2.1.0 or Trivy JSON scan to a [`scan::ScanSummary`] with counts by
//!   severity.

mod encoding;
mod go_time;
pub mod junit;
mod sarif;
pub mod scan;
pub mod snyk;
mod trivy;

pub use junit::{JunitSummary, SuiteSummary};
pub use scan::{ScanSummary, Severity};
pub use snyk::SnykResults;
