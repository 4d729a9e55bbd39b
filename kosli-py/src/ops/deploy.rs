//! The deployment guard (`Client.deploy`: a Python callable as the deploy step) and the
//! snapshot loop (`Client.start_snapshot_loop`, a `SnapshotLoop` handle with `stop()`), over
//! `kosli_core::deploy`, with `PathsCollector` (server environments), `DockerCollector` or
//! `K8sCollector` (the runtime snapshots of `snapshot docker|k8s`) as the collector.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kosli_core::deploy::{
    Collector, DeployReport, Deployment, LoopSummary, Mismatch, PathsCollector, Schedule,
    StopSignal, Tick, Verification,
};
use kosli_core::snapshot::{self, K8sOptions};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use super::history::drift_record;
use crate::artifact::PyArtifactRef;
use crate::client::PyClient;
use crate::convert::invalid;
use crate::errors::{to_py_err, IntoPyResult};
use crate::outcome::PyOutcome;
use crate::records::{build_from, list_from_serde};
use crate::runtime::{docker_options, selector};

/// How often a waiting `join` checks for Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

/// What takes the snapshot of a server environment after a deployment (and on each tick of
/// a snapshot loop): one file or folder, a paths spec file, or globs (`kosli snapshot path`,
/// `paths`, `server`).
#[pyclass(module = "kosli", name = "PathsCollector", frozen)]
pub struct PyPathsCollector(PathsCollector);

#[pymethods]
impl PyPathsCollector {
    /// One artifact `name`: the file or folder at `path` (fingerprinted as `snapshot path`).
    #[staticmethod]
    #[pyo3(signature = (name, path, *, excludes = Vec::new()))]
    fn path(name: String, path: PathBuf, excludes: Vec<String>) -> PyPathsCollector {
        PyPathsCollector(PathsCollector::path(name, path).exclude(excludes))
    }

    /// Each artifact of a paths spec file (YAML, JSON or TOML, as `snapshot paths`).
    #[staticmethod]
    fn spec_file(path: PathBuf) -> PyPathsCollector {
        PyPathsCollector(PathsCollector::spec_file(path))
    }

    /// Every path the globs match (`snapshot server`).
    #[staticmethod]
    #[pyo3(signature = (patterns, *, excludes = Vec::new()))]
    fn server(patterns: Vec<String>, excludes: Vec<String>) -> PyPathsCollector {
        PyPathsCollector(PathsCollector::server(patterns).exclude(excludes))
    }

    fn __repr__(&self) -> String {
        format!("PathsCollector({:?})", self.0)
    }
}

/// What takes the snapshot of a Docker host after a deployment (and on each tick of a loop):
/// the running containers, as `kosli snapshot docker` reports them.
#[pyclass(module = "kosli", name = "DockerCollector", frozen)]
pub struct PyDockerCollector(snapshot::Collector);

#[pymethods]
impl PyDockerCollector {
    /// The Docker Engine at `docker_host` (`unix:///path`, `tcp://host:port`), else
    /// `$DOCKER_HOST`, else the default socket.
    #[new]
    #[pyo3(signature = (*, docker_host = None))]
    fn new(docker_host: Option<String>) -> PyDockerCollector {
        PyDockerCollector(snapshot::Collector::Docker(docker_options(docker_host)))
    }

    fn __repr__(&self) -> String {
        format!("DockerCollector({:?})", self.0)
    }
}

/// What takes the snapshot of a Kubernetes cluster after a deployment (and on each tick of a
/// loop): the running pods, as `kosli snapshot k8s` reports them.
#[pyclass(module = "kosli", name = "K8sCollector", frozen)]
pub struct PyK8sCollector(snapshot::Collector);

#[pymethods]
impl PyK8sCollector {
    /// The cluster of `kubeconfig` (else `~/.kube/config`, else in-cluster credentials): every
    /// namespace, or `namespaces` / `namespaces_regex`, or all but `exclude_namespaces` /
    /// `exclude_namespaces_regex`.
    #[new]
    #[pyo3(signature = (*, kubeconfig = None, namespaces = Vec::new(),
        namespaces_regex = Vec::new(), exclude_namespaces = Vec::new(),
        exclude_namespaces_regex = Vec::new()))]
    fn new(
        kubeconfig: Option<PathBuf>,
        namespaces: Vec<String>,
        namespaces_regex: Vec<String>,
        exclude_namespaces: Vec<String>,
        exclude_namespaces_regex: Vec<String>,
    ) -> PyK8sCollector {
        PyK8sCollector(snapshot::Collector::K8s(K8sOptions {
            kubeconfig,
            selector: selector(
                namespaces,
                namespaces_regex,
                exclude_namespaces,
                exclude_namespaces_regex,
            ),
        }))
    }

    fn __repr__(&self) -> String {
        format!("K8sCollector({:?})", self.0)
    }
}

/// The collector a Python caller gave, owned (to use without the GIL).
enum AnyCollector {
    Paths(PathsCollector),
    Runtime(snapshot::Collector),
}

impl AnyCollector {
    /// A `PathsCollector`, `DockerCollector` or `K8sCollector`; anything else is a
    /// `TypeError`.
    fn from_py(collector: &Bound<'_, PyAny>) -> PyResult<AnyCollector> {
        if let Ok(c) = collector.cast::<PyPathsCollector>() {
            Ok(AnyCollector::Paths(c.get().0.clone()))
        } else if let Ok(c) = collector.cast::<PyDockerCollector>() {
            Ok(AnyCollector::Runtime(c.get().0.clone()))
        } else if let Ok(c) = collector.cast::<PyK8sCollector>() {
            Ok(AnyCollector::Runtime(c.get().0.clone()))
        } else {
            Err(PyTypeError::new_err(
                "collector must be a kosli.PathsCollector, DockerCollector or K8sCollector",
            ))
        }
    }

    fn as_dyn(&self) -> &dyn Collector {
        match self {
            AnyCollector::Paths(c) => c,
            AnyCollector::Runtime(c) => c,
        }
    }
}

fn mismatch_arg(py: Python<'_>, text: &str) -> PyResult<Mismatch> {
    match text {
        "fail" => Ok(Mismatch::Fail),
        "warn" => Ok(Mismatch::Warn),
        other => Err(invalid(
            py,
            "on_mismatch",
            format!("on_mismatch must be \"fail\" or \"warn\", not {other:?}"),
        )),
    }
}

/// A `kosli.DeployReport`.
fn report_record<'py>(py: Python<'py>, r: &DeployReport) -> PyResult<Bound<'py, PyAny>> {
    let (kind, names, instances) = match &r.verification {
        Verification::Running { instances } => ("running", Vec::new(), *instances),
        Verification::RunningAs { names, instances } => ("running_as", names.clone(), *instances),
        _ => ("not_running", Vec::new(), 0),
    };
    let d = PyDict::new(py);
    d.set_item("environment", &r.environment)?;
    d.set_item(
        "artifact",
        Bound::new(py, PyArtifactRef(r.artifact.clone()))?,
    )?;
    d.set_item(
        "running",
        list_from_serde(py, "RunningArtifact", &r.running)?,
    )?;
    d.set_item("outcome", Bound::new(py, PyOutcome::from(&r.outcome))?)?;
    d.set_item("verification", kind)?;
    d.set_item("running_as", names)?;
    d.set_item("instances", instances)?;
    d.set_item("message", r.verification.to_string())?;
    build_from(py, "DeployReport", d.as_any())
}

/// A `kosli.SnapshotTick`.
fn tick_record<'py>(py: Python<'py>, tick: &Tick) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    d.set_item("slot", tick.slot)?;
    d.set_item("number", tick.number)?;
    match &tick.result {
        Ok(r) => {
            d.set_item(
                "running",
                list_from_serde(py, "RunningArtifact", &r.running)?,
            )?;
            d.set_item("outcome", Bound::new(py, PyOutcome::from(&r.outcome))?)?;
            match &r.drift {
                Some(drift) => d.set_item("drift", drift_record(py, drift)?)?,
                None => d.set_item("drift", py.None())?,
            }
            d.set_item("error", py.None())?;
        }
        Err(e) => {
            d.set_item("running", pyo3::types::PyList::empty(py))?;
            d.set_item("outcome", py.None())?;
            d.set_item("drift", py.None())?;
            d.set_item("error", to_py_err(py, e).into_value(py))?;
        }
    }
    build_from(py, "SnapshotTick", d.as_any())
}

/// `kosli._hooks.call_tick_hook`, imported once.
fn tick_hook(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static HOOK: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    HOOK.import(py, "kosli._hooks", "call_tick_hook")
}

/// Gives one tick to the Python callback (on the loop's thread, with the GIL); what goes
/// wrong is logged on the `kosli` logger by the hook, never raised into the loop.
fn call_on_tick(callback: &Py<PyAny>, tick: &Tick) {
    Python::attach(|py| {
        let result = tick_record(py, tick)
            .and_then(|record| tick_hook(py)?.call1((callback.bind(py), record)));
        if let Err(e) = result {
            e.print(py);
        }
    });
}

/// A snapshot loop running on its own thread: `stop()` ends it (at once, even mid-wait),
/// `join()` waits for its `LoopSummary`. Also a context manager that stops and joins on exit.
#[pyclass(module = "kosli", name = "SnapshotLoop", frozen)]
pub struct PySnapshotLoop {
    stop: StopSignal,
    finished: Arc<AtomicBool>,
    done: Mutex<Option<Receiver<kosli_core::Result<LoopSummary>>>>,
    summary: Mutex<Option<LoopSummary>>,
}

impl PySnapshotLoop {
    fn summary_record<'py>(py: Python<'py>, s: &LoopSummary) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(py);
        d.set_item("ticks", s.ticks)?;
        d.set_item("sent", s.sent)?;
        d.set_item("queued", s.queued)?;
        d.set_item("failed", s.failed)?;
        d.set_item("skipped", s.skipped)?;
        build_from(py, "LoopSummary", d.as_any())
    }
}

#[pymethods]
impl PySnapshotLoop {
    /// Asks the loop to stop; it stops before its next tick (a wait is cut short).
    fn stop(&self) {
        self.stop.stop();
    }

    /// Whether the loop's thread still runs.
    #[getter]
    fn running(&self) -> bool {
        !self.finished.load(Ordering::SeqCst)
    }

    /// Waits (without the GIL; Ctrl-C interrupts the wait, not the loop) until the loop ends:
    /// its summary, or `None` when `timeout` seconds passed first.
    #[pyo3(signature = (timeout = None))]
    fn join<'py>(&self, py: Python<'py>, timeout: Option<f64>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(s) = *self.summary.lock().map_err(|_| poisoned())? {
            return Self::summary_record(py, &s);
        }
        let deadline = match timeout {
            Some(t) if t.is_finite() && t >= 0.0 => {
                Some(Instant::now() + Duration::from_secs_f64(t))
            }
            Some(_) => {
                return Err(invalid(
                    py,
                    "timeout",
                    "timeout must be seconds >= 0".into(),
                ))
            }
            None => None,
        };
        let mut guard = self.done.lock().map_err(|_| poisoned())?;
        let Some(mut rx) = guard.take() else {
            return Ok(py.None().into_bound(py));
        };
        loop {
            let wait = deadline.map_or(TICK, |d| {
                TICK.min(d.saturating_duration_since(Instant::now()))
            });
            let (back, received) = py.detach(move || {
                let received = rx.recv_timeout(wait);
                (rx, received)
            });
            rx = back;
            match received {
                Ok(result) => {
                    let summary = result.into_py_result(py)?;
                    *self.summary.lock().map_err(|_| poisoned())? = Some(summary);
                    return Self::summary_record(py, &summary);
                }
                Err(RecvTimeoutError::Timeout) => {
                    if let Err(e) = py.check_signals() {
                        *guard = Some(rx);
                        return Err(e);
                    }
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        *guard = Some(rx);
                        return Ok(py.None().into_bound(py));
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(PyRuntimeError::new_err(
                        "the snapshot loop's thread ended without a summary",
                    ));
                }
            }
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__<'py>(
        &self,
        py: Python<'py>,
        _exc: &Bound<'py, pyo3::types::PyTuple>,
    ) -> PyResult<bool> {
        self.stop();
        self.join(py, None)?;
        Ok(false)
    }
}

fn poisoned() -> PyErr {
    PyRuntimeError::new_err("the loop's state is poisoned")
}

#[pymethods]
impl PyClient {
    /// The deployment guard: deploys `artifact` (the `ArtifactRef` attested at build time) to
    /// `environment` by calling `step()` on this thread (it succeeds unless it raises), and
    /// only if it succeeded snapshots the environment with `collector` (a `PathsCollector`,
    /// `DockerCollector` or `K8sCollector`), reports the snapshot,
    /// and checks that the artifact runs there. A mutable reference (`:latest`, an untagged
    /// image) is refused before the step (`InvalidInputError`). A step that raises reports
    /// nothing and its exception is re-raised as is. An artifact not found running is a
    /// `PolicyDeniedError` (with `on_mismatch="warn"`: a report saying so).
    #[pyo3(signature = (environment, artifact, collector, step, *, on_mismatch = "fail",
        auto_environment = false, environment_description = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn deploy<'py>(
        &self,
        py: Python<'py>,
        environment: String,
        artifact: PyRef<'py, PyArtifactRef>,
        collector: Bound<'py, PyAny>,
        step: Bound<'py, PyAny>,
        on_mismatch: &str,
        auto_environment: bool,
        environment_description: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let collector = AnyCollector::from_py(&collector)?;
        if !step.is_callable() {
            return Err(PyTypeError::new_err(
                "step must be callable (it deploys; it fails by raising)",
            ));
        }
        let mut deployment = Deployment::new(environment, &artifact.0)
            .into_py_result(py)?
            .on_mismatch(mismatch_arg(py, on_mismatch)?)
            .auto_environment(auto_environment);
        if let Some(text) = environment_description {
            deployment = deployment.environment_description(text);
        }
        let step = step.unbind();
        let client = self.blocking().clone();
        // The step runs here, on the caller's thread, taking the GIL back for itself; the
        // snapshot after it runs without the GIL.
        let result = py.detach(|| {
            client.deploy(&deployment, collector.as_dyn(), || {
                Python::attach(|py| step.call0(py).map(drop))
            })
        });
        match result {
            Ok(report) => report_record(py, &report),
            Err(e) => match e.into_error() {
                Ok(error) => Err(to_py_err(py, &error)),
                // The step's own exception, unchanged.
                Err(step_error) => Err(step_error),
            },
        }
    }

    /// Starts a snapshot loop on its own thread: snapshots `environment` with `collector` at
    /// once, then every `interval` seconds (each tick later by up to `jitter` seconds), until
    /// `stop()` (or `max_ticks`). `on_tick(tick)` gets each `SnapshotTick` on the loop's
    /// thread (what it raises is logged on the `kosli` logger). With a journal, reports made
    /// while Kosli is unreachable are queued and delivered on a later tick.
    #[pyo3(signature = (environment, collector, *, interval = 900.0, jitter = 0.0,
        max_ticks = None, on_tick = None))]
    #[allow(clippy::too_many_arguments, reason = "Python keyword arguments")]
    fn start_snapshot_loop(
        &self,
        py: Python<'_>,
        environment: String,
        collector: Bound<'_, PyAny>,
        interval: f64,
        jitter: f64,
        max_ticks: Option<u64>,
        on_tick: Option<Bound<'_, PyAny>>,
    ) -> PyResult<PySnapshotLoop> {
        let seconds = |what: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(Duration::from_secs_f64(v))
            } else {
                Err(invalid(
                    py,
                    what,
                    format!("{what} must be seconds >= 0, not {v}"),
                ))
            }
        };
        let mut schedule = Schedule::every(seconds("interval", interval)?)
            .into_py_result(py)?
            .jitter(seconds("jitter", jitter)?);
        if let Some(n) = max_ticks {
            schedule = schedule.max_ticks(n);
        }
        let on_tick = match on_tick {
            Some(cb) if !cb.is_none() => {
                if !cb.is_callable() {
                    return Err(PyTypeError::new_err("on_tick must be callable"));
                }
                Some(cb.unbind())
            }
            _ => None,
        };
        let collector = AnyCollector::from_py(&collector)?;
        let client = self.blocking().clone();
        let stop = StopSignal::new();
        let for_loop = stop.clone();
        let (tx, rx) = mpsc::channel();
        let finished = Arc::new(AtomicBool::new(false));
        let finished_by_loop = finished.clone();
        std::thread::Builder::new()
            .name(format!("kosli-snapshot-loop-{environment}"))
            .spawn(move || {
                let mut observe = |tick: &Tick| {
                    if let Some(cb) = &on_tick {
                        call_on_tick(cb, tick);
                    }
                };
                let result = client.snapshot_loop(
                    &environment,
                    collector.as_dyn(),
                    &schedule,
                    &for_loop,
                    &mut observe,
                );
                finished_by_loop.store(true, Ordering::SeqCst);
                let _ = tx.send(result);
            })
            .map_err(|e| {
                PyRuntimeError::new_err(format!("cannot start the snapshot loop's thread: {e}"))
            })?;
        Ok(PySnapshotLoop {
            stop,
            finished,
            done: Mutex::new(Some(rx)),
            summary: Mutex::new(None),
        })
    }
}
