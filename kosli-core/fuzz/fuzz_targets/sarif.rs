//! Any bytes through the Snyk and generic SARIF/Trivy readers: a value or an error, never a
//! panic; counts must agree with the findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(results) = kosli_core::evidence::snyk::parse_bytes(data, None) {
        for run in &results.results {
            assert_eq!(run.high_count as usize, run.high.len());
            assert_eq!(run.medium_count as usize, run.medium.len());
            assert_eq!(run.low_count as usize, run.low.len());
        }
        let _ = kosli_core::model::go_json::to_string_pretty(&results).expect("serializes");
    }
    if let Ok(summary) = kosli_core::evidence::scan::parse_bytes(data, None) {
        assert_eq!(summary.total() as usize, summary.findings.len());
    }
});
