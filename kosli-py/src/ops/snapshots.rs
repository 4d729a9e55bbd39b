//! `kosli snapshot path|paths|server`: what runs in a server environment, fingerprinted here
//! (without the GIL) and reported, over `kosli_core::ops::snapshots::SnapshotServer`.

use std::path::PathBuf;

use kosli_core::ops::snapshots::{PathsSpec, SnapshotServer};
use pyo3::prelude::*;

use crate::client::PyClient;
use crate::outcome::PyOutcome;

/// Reports `snapshot` (built when the call runs), first making sure of the environment when
/// asked; the outcome is the report's.
fn report(
    client: &PyClient,
    py: Python<'_>,
    auto_environment: bool,
    build: impl FnOnce() -> kosli_core::Result<SnapshotServer> + Send,
) -> PyResult<PyOutcome> {
    client.run(py, move |c| {
        let snapshot = build()?.auto_environment(auto_environment);
        c.snapshot_server(&snapshot)
            .map(|o| PyOutcome::from(&o.report))
    })
}

#[pymethods]
impl PyClient {
    /// `kosli snapshot path`: one artifact, the file or folder at `path` (without what
    /// `excludes` match), reported as `name` running in `environment`. With
    /// `auto_environment`, a missing environment is created (type `server`) first.
    #[pyo3(signature = (environment, name, path, *, excludes = Vec::new(),
        auto_environment = false))]
    fn snapshot_path(
        &self,
        py: Python<'_>,
        environment: String,
        name: String,
        path: PathBuf,
        excludes: Vec<String>,
        auto_environment: bool,
    ) -> PyResult<PyOutcome> {
        report(self, py, auto_environment, move || {
            SnapshotServer::path(environment, name, path, &excludes)
        })
    }

    /// `kosli snapshot paths`: each artifact of a paths spec file (YAML, JSON or TOML, as the
    /// CLI's `--paths-file`).
    #[pyo3(signature = (environment, paths_file, *, auto_environment = false))]
    fn snapshot_paths(
        &self,
        py: Python<'_>,
        environment: String,
        paths_file: PathBuf,
        auto_environment: bool,
    ) -> PyResult<PyOutcome> {
        report(self, py, auto_environment, move || {
            let spec = PathsSpec::from_file(&paths_file)?;
            SnapshotServer::paths(environment, &spec)
        })
    }

    /// The deprecated `kosli snapshot server`: every path each of `paths` (Go globs with `**`)
    /// matches, reported under its absolute path.
    #[pyo3(signature = (environment, paths, *, excludes = Vec::new(),
        auto_environment = false))]
    fn snapshot_server(
        &self,
        py: Python<'_>,
        environment: String,
        paths: Vec<String>,
        excludes: Vec<String>,
        auto_environment: bool,
    ) -> PyResult<PyOutcome> {
        report(self, py, auto_environment, move || {
            SnapshotServer::server(environment, &paths, &excludes)
        })
    }
}
