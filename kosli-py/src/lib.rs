//! The native part of the Python module `kosli` (`kosli._kosli`): argument conversion, the GIL
//! and error mapping around `kosli-core`. No logic lives here; the package `python/kosli/`
//! re-exports what this defines.

mod artifact;
mod attest;
mod client;
mod config;
mod convert;
mod errors;
mod evidence;
mod fingerprint;
mod interrupt;
mod ops;
mod outcome;
mod policy;
mod progress;
mod records;
mod runtime;
mod scan;

use pyo3::prelude::*;

/// The native part of the Kosli SDK's Python module; import `kosli`, not this.
#[pymodule]
fn _kosli(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<fingerprint::PyFingerprint>()?;
    m.add_class::<artifact::PyArtifactRef>()?;
    m.add_class::<config::PyConfig>()?;
    m.add_class::<client::PyClient>()?;
    m.add_class::<outcome::PyOutcome>()?;
    m.add_class::<progress::PyProgress>()?;
    m.add_class::<evidence::PySuiteSummary>()?;
    m.add_class::<evidence::PyJunitSummary>()?;
    m.add_class::<scan::PyScanSummary>()?;
    m.add_class::<scan::PyFinding>()?;
    m.add_function(wrap_pyfunction!(fingerprint::fingerprint_file, m)?)?;
    m.add_function(wrap_pyfunction!(fingerprint::fingerprint_dir, m)?)?;
    m.add_function(wrap_pyfunction!(evidence::parse_junit, m)?)?;
    m.add_function(wrap_pyfunction!(evidence::parse_junit_xml, m)?)?;
    m.add_function(wrap_pyfunction!(scan::parse_scan, m)?)?;
    m.add_class::<policy::PyEvidenceSet>()?;
    m.add_class::<policy::PyGate>()?;
    m.add_class::<runtime::PyCollectedSnapshot>()?;
    m.add_class::<ops::deploy::PyPathsCollector>()?;
    m.add_class::<ops::deploy::PyDockerCollector>()?;
    m.add_class::<ops::deploy::PyK8sCollector>()?;
    m.add_class::<ops::deploy::PySnapshotLoop>()?;
    m.add_class::<ops::review::PyPrSource>()?;
    m.add_function(wrap_pyfunction!(policy::evaluate_input, m)?)?;
    m.add_function(wrap_pyfunction!(policy::unsupported_rego_builtins, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::fingerprint_image, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::collect_docker_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::collect_k8s_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(ops::history::diff_running, m)?)?;
    m.add_function(wrap_pyfunction!(ops::reports::render_report, m)?)?;
    m.add_function(wrap_pyfunction!(error_classes, m)?)?;
    m.add_function(wrap_pyfunction!(operation_names, m)?)?;
    Ok(())
}

/// `(kind, class name)` for every `kosli_core::ErrorKind`, in the order of their stable
/// numbers: the Python column of DESIGN.md's error table, for the tests.
#[pyfunction]
#[pyo3(name = "_error_classes")]
fn error_classes() -> Vec<(&'static str, &'static str)> {
    kosli_core::ErrorKind::ALL
        .iter()
        .map(|k| (k.name(), errors::class_name(*k)))
        .collect()
}

/// The names of `kosli_core::operations::ALL`, for the test that every operation of the core has
/// a Python counterpart.
#[pyfunction]
#[pyo3(name = "_operation_names")]
fn operation_names() -> Vec<&'static str> {
    kosli_core::operations::ALL
        .iter()
        .map(|op| op.name)
        .collect()
}
