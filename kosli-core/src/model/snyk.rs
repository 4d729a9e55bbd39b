//! The `snyk` attestation payload (`POST /api/v2/attestations/{org}/{flow}/trail/{trail}/snyk`).

use serde::Serialize;

use super::attestation::AttestationCommon;
use crate::evidence::snyk::SnykResults;

/// `data_json` of a Snyk attestation: the common fields, then `snyk_results`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnykAttestation {
    /// The fields every attestation has.
    #[serde(flatten)]
    pub common: AttestationCommon,
    /// The scan's summary.
    pub snyk_results: SnykResults,
}

/// The attestation type segment of the URL.
pub const TYPE: &str = "snyk";
