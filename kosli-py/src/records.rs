//! Typed results of reads (and journal reports) as the frozen dataclasses of
//! `kosli/_records.py`: each area converts its core type with a [`Record`], field by field, so a
//! Python user gets attributes, `==`, `repr` and `to_dict()`, and mypy sees every field.
//!
//! To return a new core type: add its dataclass to `_records.py` (and `__all__` there and in
//! `kosli/__init__.py(i)`), then build it here with `Record::new(py, "Name")?.set(...)?.build()`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule};
use serde::Serialize;

use crate::convert::json_to_py;

/// The Python module that defines the record classes.
const RECORDS_MODULE: &str = "kosli._records";

/// `kosli._records`, imported once.
fn records_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || py.import(RECORDS_MODULE).map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// One record being built: its class name and keyword arguments.
pub(crate) struct Record<'py> {
    class: &'static str,
    kwargs: Bound<'py, PyDict>,
}

impl<'py> Record<'py> {
    /// A record of the dataclass `class` of `kosli._records`.
    pub(crate) fn new(py: Python<'py>, class: &'static str) -> Record<'py> {
        Record {
            class,
            kwargs: PyDict::new(py),
        }
    }

    /// Sets field `name`.
    pub(crate) fn set<V>(self, name: &str, value: V) -> PyResult<Self>
    where
        V: IntoPyObject<'py>,
    {
        self.kwargs.set_item(name, value)?;
        Ok(self)
    }

    /// Instantiates the dataclass.
    pub(crate) fn build(self) -> PyResult<Bound<'py, PyAny>> {
        let py = self.kwargs.py();
        records_module(py)?
            .getattr(self.class)?
            .call((), Some(&self.kwargs))
    }
}

/// A list of records, each converted by `convert`.
pub(crate) fn list_of<'py, T>(
    py: Python<'py>,
    items: &[T],
    convert: impl Fn(Python<'py>, &T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for item in items {
        list.append(convert(py, item)?)?;
    }
    Ok(list)
}

/// A `SystemTime` as Unix seconds (a float), as the API's timestamps are given.
pub(crate) fn unix_seconds(t: std::time::SystemTime) -> f64 {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

/// A core value's JSON form (its serde fields) as a dict, to add fields to before
/// [`build_from`]: the records of the later areas are filled this way, and `_build` on the
/// Python side checks every key against the dataclass (an unknown key is a `TypeError`, so a
/// field the core adds cannot go unnoticed by the tests).
pub(crate) fn serde_dict<'py, T: Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyDict>> {
    let json = serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("{e}")))?;
    Ok(json_to_py(py, &json)?.cast_into::<PyDict>()?)
}

/// The dataclass `class` of `kosli._records` built from `data` (wire names, nested records as
/// dicts), by its `_build`.
pub(crate) fn build_from<'py>(
    py: Python<'py>,
    class: &'static str,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    records_module(py)?.getattr("_build")?.call1((class, data))
}

/// [`build_from`] of a core value's serde fields.
pub(crate) fn from_serde<'py, T: Serialize>(
    py: Python<'py>,
    class: &'static str,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    build_from(py, class, serde_dict(py, value)?.as_any())
}

/// A list of [`from_serde`] records.
pub(crate) fn list_from_serde<'py, T: Serialize>(
    py: Python<'py>,
    class: &'static str,
    items: &[T],
) -> PyResult<Bound<'py, PyList>> {
    list_of(py, items, |py, item| from_serde(py, class, item))
}
