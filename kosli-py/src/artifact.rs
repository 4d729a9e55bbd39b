//! `kosli.ArtifactRef`: one artifact's name, fingerprint and type, built once and reused.

use kosli_core::{ArtifactRef, ArtifactType, Fingerprint};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};

use crate::errors::IntoPyResult;
use crate::fingerprint::PyFingerprint;

/// An artifact as Kosli knows it: a name and the fingerprint that identifies it, and how that
/// fingerprint was computed. Report every fact about one artifact through one value.
#[pyclass(module = "kosli", name = "ArtifactRef", frozen, eq, hash)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PyArtifactRef(pub(crate) ArtifactRef);

#[pymethods]
impl PyArtifactRef {
    /// `fingerprint` is a `Fingerprint` or its 64 hex digits; `artifact_type` an
    /// `ArtifactType` or its name (`"file"`, `"dir"`, `"oci"`, `"docker"`).
    #[new]
    fn new(
        py: Python<'_>,
        name: String,
        fingerprint: &Bound<'_, PyAny>,
        artifact_type: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let fingerprint = fingerprint_arg(py, fingerprint)?;
        let artifact_type = artifact_type_arg(py, artifact_type)?;
        ArtifactRef::new(name, fingerprint, artifact_type)
            .into_py_result(py)
            .map(PyArtifactRef)
    }

    /// The artifact's name.
    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    /// The artifact's fingerprint.
    #[getter]
    fn fingerprint(&self) -> PyFingerprint {
        PyFingerprint(self.0.fingerprint())
    }

    /// How the fingerprint was computed.
    #[getter]
    fn artifact_type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        artifact_type_class(py)?.call1((self.0.artifact_type().as_str(),))
    }

    /// `{"name": ..., "fingerprint": "<hex>", "artifact_type": "file"}`: plain, JSON-ready values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("name", self.0.name())?;
        d.set_item("fingerprint", self.0.fingerprint().to_string())?;
        d.set_item("artifact_type", self.0.artifact_type().as_str())?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let name = PyString::new(py, self.0.name()).repr()?;
        Ok(format!(
            "ArtifactRef(name={name}, fingerprint='{}', artifact_type='{}')",
            self.0.fingerprint(),
            self.0.artifact_type()
        ))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let inner = &slf.get().0;
        let args = (
            inner.name(),
            inner.fingerprint().to_string(),
            inner.artifact_type().as_str(),
        );
        let args = args.into_pyobject(py)?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}

/// A `Fingerprint`, or a string parsed as one.
pub(crate) fn fingerprint_arg(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Fingerprint> {
    if let Ok(fp) = value.cast::<PyFingerprint>() {
        return Ok(fp.get().0);
    }
    if let Ok(hex) = value.cast::<PyString>() {
        return hex.to_str()?.parse::<Fingerprint>().into_py_result(py);
    }
    Err(PyTypeError::new_err(format!(
        "fingerprint must be a kosli.Fingerprint or a str, not {}",
        value.get_type().name()?
    )))
}

/// An `ArtifactType` member or its name (the enum's members are strings).
pub(crate) fn artifact_type_arg(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<ArtifactType> {
    let Ok(name) = value.cast::<PyString>() else {
        return Err(PyTypeError::new_err(format!(
            "artifact_type must be a kosli.ArtifactType or a str, not {}",
            value.get_type().name()?
        )));
    };
    name.to_str()?.parse::<ArtifactType>().into_py_result(py)
}

/// `kosli._types.ArtifactType`, imported once.
fn artifact_type_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CLASS.import(py, "kosli._types", "ArtifactType")
}
