//! Environment history reads (`kosli get trail`, `list trails`, `get snapshot`, `list
//! snapshots`, `log environment`, `diff snapshots`) over `kosli_core::ops::history`, and the
//! local drift of two snapshots (`kosli.diff_running`, `kosli_core::drift`).

use kosli_core::drift::{self, Drift, RunningArtifact};
use kosli_core::ops::history::{
    ListSnapshots, ListTrails, LogEnvironment, Snappish, Snapshot, SnapshotDiff, TrailList,
};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::client::PyClient;
use crate::convert::{invalid, typed_arg};
use crate::records::{build_from, from_serde, list_from_serde, list_of, serde_dict};

/// A `kosli.EnvironmentSnapshot`, with what it shows running.
fn snapshot_record<'py>(py: Python<'py>, s: &Snapshot) -> PyResult<Bound<'py, PyAny>> {
    let d = serde_dict(py, s)?;
    d.set_item(
        "running",
        list_from_serde(py, "RunningArtifact", &s.running())?,
    )?;
    build_from(py, "EnvironmentSnapshot", d.as_any())
}

/// A `kosli.Drift`: each event with its name and description.
pub(crate) fn drift_record<'py>(py: Python<'py>, drift: &Drift) -> PyResult<Bound<'py, PyAny>> {
    let events = list_of(py, drift.events(), |py, e| {
        let d = serde_dict(py, e)?;
        d.set_item("name", e.name())?;
        d.set_item("description", e.to_string())?;
        build_from(py, "DriftEvent", d.as_any())
    })?;
    let d = serde_dict(py, drift)?;
    d.set_item("events", events)?;
    build_from(py, "Drift", d.as_any())
}

fn diff_record<'py>(py: Python<'py>, diff: &SnapshotDiff) -> PyResult<Bound<'py, PyAny>> {
    let d = serde_dict(py, diff)?;
    d.set_item("drift", drift_record(py, &diff.drift())?)?;
    build_from(py, "SnapshotDiff", d.as_any())
}

fn trail_list_record<'py>(py: Python<'py>, list: &TrailList) -> PyResult<Bound<'py, PyAny>> {
    let pagination = match &list.pagination {
        Some(p) => super::flows::pagination_record(py, p)?,
        None => py.None().into_bound(py),
    };
    let d = pyo3::types::PyDict::new(py);
    d.set_item("trails", list_from_serde(py, "TrailSummary", &list.data)?)?;
    d.set_item("pagination", pagination)?;
    build_from(py, "TrailList", d.as_any())
}

/// Running artifacts given as `kosli.RunningArtifact` records (or dicts of their fields).
fn running_arg(
    py: Python<'_>,
    what: &str,
    items: &Bound<'_, PyAny>,
) -> PyResult<Vec<RunningArtifact>> {
    let mut out = Vec::new();
    for item in items.try_iter()? {
        let item = item?;
        let item = if item.hasattr("to_dict")? {
            item.call_method0("to_dict")?
        } else {
            item
        };
        out.push(typed_arg(py, what, &item)?);
    }
    Ok(out)
}

/// The local drift between two lists of running artifacts (`before`, `after`): the artifacts
/// added, removed, changed (same name, another fingerprint) and scaled, by name.
#[pyfunction]
pub(crate) fn diff_running<'py>(
    py: Python<'py>,
    before: &Bound<'py, PyAny>,
    after: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let before = running_arg(py, "before", before)?;
    let after = running_arg(py, "after", after)?;
    drift_record(py, &drift::diff(&before, &after))
}

#[pymethods]
impl PyClient {
    /// `kosli get trail`: one trail of `flow`; an unknown one is a `NotFoundError`.
    fn get_trail<'py>(
        &self,
        py: Python<'py>,
        flow: String,
        trail: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = self.run(py, move |c| c.get_trail(&flow, &trail))?;
        from_serde(py, "Trail", &t)
    }

    /// `kosli list trails`: a page of trails (of `flow`, holding the artifact `fingerprint`, or
    /// of the flows tagged `flow_tag` `key=value`).
    #[pyo3(signature = (*, flow = None, fingerprint = None, flow_tag = None, page = 1,
        per_page = 20))]
    fn list_trails<'py>(
        &self,
        py: Python<'py>,
        flow: Option<String>,
        fingerprint: Option<String>,
        flow_tag: Option<String>,
        page: u64,
        per_page: u64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut list = ListTrails::new().page(page).per_page(per_page);
        if let Some(f) = flow {
            list = list.flow(f);
        }
        if let Some(fp) = fingerprint {
            list = list.fingerprint(fp);
        }
        if let Some(tag) = flow_tag {
            list = list.flow_tag(tag);
        }
        let trails = self.run(py, move |c| c.list_trails(&list))?;
        trail_list_record(py, &trails)
    }

    /// `kosli get snapshot`: `environment` as the CLI takes it (`prod` the latest, `prod#7`
    /// number 7, `prod~1` one before the latest, `prod@{2024-06-10T12:00:00}` at a time).
    fn get_snapshot<'py>(
        &self,
        py: Python<'py>,
        environment: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let snappish =
            Snappish::parse(&environment).map_err(|e| invalid(py, "environment", e.to_string()))?;
        let s = self.run(py, move |c| c.get_snapshot(&snappish))?;
        snapshot_record(py, &s)
    }

    /// `kosli list snapshots`: a page of an environment's snapshots, newest first (oldest
    /// first with `reverse`), optionally those of an `interval` expression (`3..5`).
    #[pyo3(signature = (environment, *, interval = None, page = 1, per_page = 15,
        reverse = false))]
    fn list_snapshots<'py>(
        &self,
        py: Python<'py>,
        environment: String,
        interval: Option<String>,
        page: u64,
        per_page: u64,
        reverse: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let mut list = ListSnapshots::new(environment)
            .page(page)
            .per_page(per_page)
            .reverse(reverse);
        if let Some(i) = interval {
            list = list.interval(i);
        }
        let snapshots = self.run(py, move |c| c.list_snapshots(&list))?;
        list_from_serde(py, "SnapshotSummary", &snapshots)
    }

    /// `kosli log environment`: a page of an environment's events, newest first (oldest first
    /// with `reverse`), optionally those of an `interval` of snapshots.
    #[pyo3(signature = (environment, *, interval = None, page = 1, per_page = 15,
        reverse = false))]
    fn log_environment<'py>(
        &self,
        py: Python<'py>,
        environment: String,
        interval: Option<String>,
        page: u64,
        per_page: u64,
        reverse: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let mut log = LogEnvironment::new(environment)
            .page(page)
            .per_page(per_page)
            .reverse(reverse);
        if let Some(i) = interval {
            log = log.interval(i);
        }
        let events = self.run(py, move |c| c.log_environment(&log))?;
        list_from_serde(py, "EnvironmentEvent", &events)
    }

    /// `kosli diff snapshots A B`: the server's diff of two snapshots, each given as
    /// `get_snapshot` takes it; `drift` holds the same difference as local drift events.
    fn diff_snapshots<'py>(
        &self,
        py: Python<'py>,
        first: String,
        second: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let diff = self.run(py, move |c| c.diff_snapshots(&first, &second))?;
        diff_record(py, &diff)
    }
}
