//! Argument conversion shared by the operations: Python values into the core's typed inputs,
//! and JSON values back into plain Python objects. A value that does not fit is an
//! `InvalidInputError` naming the argument.

use std::collections::BTreeMap;

use kosli_core::provenance::{external_urls, ExternalUrls};
use kosli_core::Error;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::errors::to_py_err;

/// An `InvalidInputError` about argument `what`.
pub(crate) fn invalid(py: Python<'_>, what: &str, message: String) -> PyErr {
    to_py_err(py, &Error::invalid_input(what, message))
}

/// Any JSON-able Python value (dicts, lists, str, numbers, bool, None), through Python's own
/// encoder, so that what Python would write is what is sent.
pub(crate) fn json_arg(py: Python<'_>, what: &str, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    let text: String = match py.import("json")?.call_method1("dumps", (value,)) {
        Ok(text) => text.extract()?,
        Err(e) => {
            return Err(invalid(
                py,
                what,
                format!("{what} must be JSON-able: {}", e.value(py)),
            ))
        }
    };
    serde_json::from_str(&text).map_err(|e| invalid(py, what, format!("{what} is not JSON: {e}")))
}

/// A typed core input given as a dict of its wire fields (`GitCommitInfo`, `RepoInfo`,
/// `PullRequest`, ...); a missing or mistyped field names the argument and the field.
pub(crate) fn typed_arg<T: DeserializeOwned>(
    py: Python<'_>,
    what: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<T> {
    let json = json_arg(py, what, value)?;
    serde_json::from_value(json).map_err(|e| invalid(py, what, format!("{what}: {e}")))
}

/// An optional typed input (`None` stays `None`).
pub(crate) fn optional_typed_arg<T: DeserializeOwned>(
    py: Python<'_>,
    what: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<T>> {
    match value {
        Some(v) if !v.is_none() => typed_arg(py, what, v).map(Some),
        _ => Ok(None),
    }
}

/// `external_urls` (label to URL) and `external_fingerprints` (label to SHA-256), paired by
/// label with the CLI's checks.
pub(crate) fn external_urls_arg(
    py: Python<'_>,
    urls: Option<BTreeMap<String, String>>,
    fingerprints: Option<BTreeMap<String, String>>,
) -> PyResult<Option<ExternalUrls>> {
    if urls.is_none() && fingerprints.is_none() {
        return Ok(None);
    }
    external_urls(urls.unwrap_or_default(), fingerprints.unwrap_or_default())
        .map(Some)
        .map_err(|e| match e {
            // The core names the CLI's flag; name the Python argument, keep the CLI's words.
            Error::InvalidInput { message, .. } => invalid(py, "external_fingerprints", message),
            other => to_py_err(py, &other),
        })
}

/// A JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A map of JSON values (tags) as a dict.
pub(crate) fn json_map_to_py<'py>(
    py: Python<'py>,
    map: Option<&BTreeMap<String, Value>>,
) -> PyResult<Bound<'py, PyAny>> {
    match map {
        None => Ok(py.None().into_bound(py)),
        Some(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            Ok(dict.into_any())
        }
    }
}
