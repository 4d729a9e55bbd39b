//! The `junit` attestation payload (`POST /api/v2/attestations/{org}/{flow}/trail/{trail}/junit`).

use serde::Serialize;

use super::attestation::AttestationCommon;
use crate::evidence::junit::SuiteSummary;

/// `data_json` of a JUnit attestation: the common fields, then `junit_results`.
///
/// ```
/// use kosli_core::model::{attestation::AttestationCommon, junit::JunitAttestation};
/// let suites = kosli_core::evidence::junit::parse_bytes(b"<testsuite name='s'><testcase/></testsuite>", None)?;
/// let payload = JunitAttestation { common: AttestationCommon::new("unit")?, junit_results: suites };
/// assert_eq!(
///     kosli_core::model::go_json::to_string(&payload)?,
///     r#"{"attestation_name":"unit","user_data":{},"junit_results":[{"name":"s","failures":0,"errors":0,"skipped":0,"total":1,"duration":0}]}"#
/// );
/// # Ok::<(), kosli_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JunitAttestation {
    /// The fields every attestation has.
    #[serde(flatten)]
    pub common: AttestationCommon,
    /// One entry per outermost `<testsuite>`.
    pub junit_results: Vec<SuiteSummary>,
}

/// The attestation type segment of the URL.
pub const TYPE: &str = "junit";
