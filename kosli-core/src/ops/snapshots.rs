//! Snapshots of a server environment: what runs there, as artifacts fingerprinted from the
//! file system (wire.md §2.5). The CLI's three commands build the same report:
//! `snapshot path` (one artifact: a name and a path), `snapshot paths` (a [`PathsSpec`] file)
//! and the deprecated `snapshot server` (paths or globs, each reported under its absolute
//! path). Each running artifact is its fingerprint and the path's modification time.
//!
//! ```no_run
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::ops::snapshots::{PathsSpec, SnapshotServer};
//! let one = SnapshotServer::path("prod-server", "app", "/srv/app", &["*.log"])?;
//! client.snapshot_server(&one.auto_environment(true)).await?;
//! let spec = PathsSpec::from_file("paths.yml")?;
//! client.snapshot_server(&SnapshotServer::paths("prod-server", &spec)?).await?;
//! # Ok(())
//! # }
//! ```

mod paths_spec;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::Serialize;

pub use paths_spec::{PathSpec, PathsSpec, SpecFormat};

use super::environments::{types, AutoEnvironment};
use crate::client::{Client, Outcome, Request};
use crate::error::{Error, Result};
use crate::fingerprint::{glob, gopath, Fingerprint, Fingerprinter};
use crate::operations;

/// One artifact running in a server environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerArtifact {
    name: String,
    fingerprint: Fingerprint,
    creation_timestamp: i64,
}

impl ServerArtifact {
    /// An artifact reported as `name`, with its fingerprint and when it started (Unix seconds).
    pub fn new(name: impl Into<String>, fingerprint: Fingerprint, creation_timestamp: i64) -> Self {
        ServerArtifact {
            name: name.into(),
            fingerprint,
            creation_timestamp,
        }
    }

    /// The file or directory at `path`, as the CLI reports it: a directory's fingerprint
    /// (without what `excludes` match) or a file's, and the path's modification time. A path
    /// that cannot be read is an error in the CLI's words, naming the artifact.
    pub fn from_path(
        name: impl Into<String>,
        path: impl AsRef<Path>,
        excludes: &[impl AsRef<str>],
    ) -> Result<Self> {
        let name = name.into();
        let path = path.as_ref();
        let context = |message: &str| {
            format!("failed to calculate fingerprint for artifact [{name}]: {message}")
        };
        let meta = std::fs::metadata(path).map_err(|e| {
            let stat = Error::io("stat", path, e);
            let message = context(&format!(
                "failed to open path {} with error: {stat}",
                path.display()
            ));
            super::environments::with_message(stat, message)
        })?;
        let fingerprinter =
            Fingerprinter::new().excludes(excludes.iter().map(|e| e.as_ref().to_string()));
        let fingerprint = if meta.is_dir() {
            fingerprinter.dir(path)
        } else {
            fingerprinter.file(path)
        }
        .map_err(|e| {
            let message = context(&e.to_string());
            super::environments::with_message(e, message)
        })?;
        let creation_timestamp = match meta.modified() {
            Ok(t) => match t.duration_since(UNIX_EPOCH) {
                Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
            },
            Err(_) => 0,
        };
        Ok(ServerArtifact {
            name,
            fingerprint,
            creation_timestamp,
        })
    }

    /// The name it is reported under.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its fingerprint.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// When it started (Unix seconds): the path's modification time.
    pub fn creation_timestamp(&self) -> i64 {
        self.creation_timestamp
    }
}

/// `kosli snapshot path|paths|server`: reports what runs in a server environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotServer {
    environment: String,
    artifacts: Vec<ServerArtifact>,
    auto_environment: bool,
}

/// One entry of the report, in the CLI's shape.
#[derive(Serialize)]
struct Entry<'a> {
    digests: BTreeMap<&'a str, String>,
    #[serde(rename = "creationTimestamp")]
    creation_timestamp: i64,
}

#[derive(Serialize)]
struct Payload<'a> {
    artifacts: Vec<Entry<'a>>,
}

impl SnapshotServer {
    /// A report of nothing running in `environment`; add artifacts with
    /// [`artifact`](Self::artifact).
    pub fn new(environment: impl Into<String>) -> Self {
        SnapshotServer {
            environment: environment.into(),
            artifacts: Vec::new(),
            auto_environment: false,
        }
    }

    /// Adds a running artifact.
    pub fn artifact(mut self, artifact: ServerArtifact) -> Self {
        self.artifacts.push(artifact);
        self
    }

    /// `kosli snapshot path ENV --name NAME --path PATH [--exclude ...]`: one artifact.
    pub fn path(
        environment: impl Into<String>,
        name: impl Into<String>,
        path: impl AsRef<Path>,
        excludes: &[impl AsRef<str>],
    ) -> Result<Self> {
        Ok(Self::new(environment).artifact(ServerArtifact::from_path(name, path, excludes)?))
    }

    /// `kosli snapshot paths ENV --paths-file F`: each artifact of the spec.
    pub fn paths(environment: impl Into<String>, spec: &PathsSpec) -> Result<Self> {
        let mut s = Self::new(environment);
        for a in &spec.artifacts {
            s = s.artifact(ServerArtifact::from_path(&a.name, &a.path, &a.exclude)?);
        }
        Ok(s)
    }

    /// The deprecated `kosli snapshot server ENV --paths a,b [--exclude ...]`: every path that
    /// each pattern matches (Go glob with `**`), in order, reported under its absolute path
    /// (relative ones are taken from the working directory). A pattern that matches nothing
    /// is an error, as in the CLI.
    pub fn server(
        environment: impl Into<String>,
        patterns: &[impl AsRef<str>],
        excludes: &[impl AsRef<str>],
    ) -> Result<Self> {
        let cwd = std::env::current_dir().map_err(|e| Error::io("getwd", Path::new("."), e))?;
        let cwd = gopath::to_bytes(&cwd).into_owned();
        let mut s = Self::new(environment);
        for pattern in patterns {
            let pattern = pattern.as_ref();
            let matches = glob::glob_doublestar(pattern.as_bytes()).map_err(|e| match e {
                glob::GlobError::BadPattern => {
                    Error::invalid_input("paths", "syntax error in pattern")
                }
                glob::GlobError::Io { op, path, source } => {
                    Error::io(op, &gopath::to_path_buf(&path), source)
                }
            })?;
            if matches.is_empty() {
                return Err(Error::invalid_input(
                    "paths",
                    format!("no matches found for [{pattern}]"),
                ));
            }
            for m in matches {
                let abs = if m.starts_with(b"/") {
                    gopath::clean(&m)
                } else {
                    gopath::clean(&gopath::join(&cwd, &m))
                };
                let path = gopath::to_path_buf(&abs);
                let name = String::from_utf8_lossy(&abs).into_owned();
                s = s.artifact(ServerArtifact::from_path(name, &path, excludes)?);
            }
        }
        Ok(s)
    }

    /// Creates the environment (type `server`) first if it does not exist, and refuses one
    /// of another type, as the CLI's `--auto-environment` does.
    pub fn auto_environment(mut self, on: bool) -> Self {
        self.auto_environment = on;
        self
    }

    /// The environment.
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// The running artifacts.
    pub fn artifacts(&self) -> &[ServerArtifact] {
        &self.artifacts
    }

    /// Whether the environment is made sure of first.
    pub fn is_auto_environment(&self) -> bool {
        self.auto_environment
    }

    /// The report's request: `{"artifacts":[{"digests":{name: sha256},"creationTimestamp":t}]}`.
    pub fn request(&self) -> Result<Request> {
        if self.environment.is_empty() {
            return Err(Error::invalid_input(
                "environment",
                "the environment name must not be empty",
            ));
        }
        let artifacts = self
            .artifacts
            .iter()
            .map(|a| Entry {
                digests: BTreeMap::from([(a.name.as_str(), a.fingerprint.to_string())]),
                creation_timestamp: a.creation_timestamp,
            })
            .collect();
        Request::new(&operations::SNAPSHOT_SERVER)
            .param("env", &self.environment)
            .json(&Payload { artifacts })
    }
}

/// What a snapshot did: the environment check (with `auto_environment`) and the report.
#[derive(Debug)]
#[non_exhaustive]
pub struct SnapshotOutcome {
    /// What `auto_environment` found or did; `None` without it.
    pub environment: Option<AutoEnvironment>,
    /// The report's outcome.
    pub report: Outcome,
}

impl Client {
    /// Reports a server environment's snapshot (`kosli snapshot path|paths|server`), first
    /// making sure of the environment when asked ([`SnapshotServer::auto_environment`]).
    pub async fn snapshot_server(&self, snapshot: &SnapshotServer) -> Result<SnapshotOutcome> {
        let request = snapshot.request()?;
        let environment = if snapshot.auto_environment {
            Some(
                self.auto_environment(&snapshot.environment, types::SERVER)
                    .await?,
            )
        } else {
            None
        };
        let report = self.write(&request).await?;
        Ok(SnapshotOutcome {
            environment,
            report,
        })
    }
}

impl crate::blocking::Client {
    /// See [`Client::snapshot_server`].
    pub fn snapshot_server(&self, snapshot: &SnapshotServer) -> Result<SnapshotOutcome> {
        self.run(|c| async move { c.snapshot_server(snapshot).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Body;
    use std::fs::{self, File};
    use std::time::{Duration, SystemTime};

    fn body(s: &SnapshotServer) -> String {
        match s.request().unwrap().body() {
            Body::Json(b) => String::from_utf8(b.to_vec()).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    fn set_mtime(path: &Path, secs: u64) {
        let f = File::open(path).unwrap();
        f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
            .unwrap();
    }

    /// The contract's `server/` fixture: app1/main.py, app2/{main.py, lib.py}.
    fn server_tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("server/app1")).unwrap();
        fs::create_dir_all(d.path().join("server/app2")).unwrap();
        fs::write(d.path().join("server/app1/main.py"), "one\n").unwrap();
        fs::write(d.path().join("server/app2/main.py"), "two\n").unwrap();
        fs::write(d.path().join("server/app2/lib.py"), "lib\n").unwrap();
        fs::write(d.path().join("app.bin"), "binary-ish artifact\n").unwrap();
        set_mtime(&d.path().join("server/app1"), 1795944927);
        set_mtime(&d.path().join("server/app2"), 1795944927);
        set_mtime(&d.path().join("app.bin"), 1700000200);
        d
    }

    #[test]
    fn snapshot_path_matches_the_capture() {
        // Capture snapshot_path: app2 without lib.py.
        let d = server_tree();
        let s = SnapshotServer::path(
            "prod-server",
            "app2",
            d.path().join("server/app2"),
            &["lib.py"],
        )
        .unwrap();
        assert_eq!(
            body(&s),
            r#"{"artifacts":[{"digests":{"app2":"c4fd98fa262ab8e817dbc1d5b3daeb0dbaf01eda1e0ae3471bfcfa741dbd379d"},"creationTimestamp":1795944927}]}"#
        );
        assert_eq!(
            s.request().unwrap().render_path(Some("acme")).unwrap(),
            "api/v2/environments/acme/prod-server/report/server"
        );
        let f =
            SnapshotServer::path("prod", "bin", d.path().join("app.bin"), &[] as &[&str]).unwrap();
        assert_eq!(
            body(&f),
            r#"{"artifacts":[{"digests":{"bin":"bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef"},"creationTimestamp":1700000200}]}"#
        );
    }

    #[test]
    fn snapshot_paths_reports_each_artifact_of_the_spec() {
        let d = server_tree();
        let root = d.path().display();
        let spec = PathsSpec::parse(
            &format!("version: 1\nartifacts:\n  app1:\n    path: {root}/server/app1\n  app2:\n    path: {root}/server/app2\n    exclude: [\"lib.py\"]\n"),
            SpecFormat::Yaml,
            "paths.yml",
        )
        .unwrap();
        let s = SnapshotServer::paths("prod-server", &spec).unwrap();
        assert_eq!(
            body(&s),
            r#"{"artifacts":[{"digests":{"app1":"39e80ba567817f2b44cabdcd05b388d98fb36bbd0815239e4359b1a2e893930a"},"creationTimestamp":1795944927},{"digests":{"app2":"c4fd98fa262ab8e817dbc1d5b3daeb0dbaf01eda1e0ae3471bfcfa741dbd379d"},"creationTimestamp":1795944927}]}"#
        );
    }

    #[test]
    fn snapshot_server_globs_and_names_by_absolute_path() {
        let d = server_tree();
        let root = d.path().to_str().unwrap();
        let s = SnapshotServer::server(
            "prod",
            &[
                format!("{root}/server/*"),
                format!("{root}/server/../app.bin"),
            ],
            &["lib.py"],
        )
        .unwrap();
        let names: Vec<&str> = s.artifacts().iter().map(ServerArtifact::name).collect();
        assert_eq!(
            names,
            [
                format!("{root}/server/app1"),
                format!("{root}/server/app2"),
                format!("{root}/app.bin")
            ]
        );
        assert_eq!(
            s.artifacts()[1].fingerprint().to_string(),
            "c4fd98fa262ab8e817dbc1d5b3daeb0dbaf01eda1e0ae3471bfcfa741dbd379d"
        );
        let s = SnapshotServer::server("prod", &[format!("{root}/**/main.py")], &[] as &[&str])
            .unwrap();
        assert_eq!(s.artifacts().len(), 2);
        let e =
            SnapshotServer::server("prod", &[format!("{root}/nope")], &[] as &[&str]).unwrap_err();
        assert_eq!(e.to_string(), format!("no matches found for [{root}/nope]"));
        let e = SnapshotServer::server("prod", &[format!("{root}/[")], &[] as &[&str]).unwrap_err();
        assert_eq!(e.to_string(), "syntax error in pattern");
    }

    #[test]
    fn a_missing_path_is_named_as_the_cli_names_it() {
        let e = SnapshotServer::path("prod", "x", "/nonexistent/nope", &[] as &[&str]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "failed to calculate fingerprint for artifact [x]: failed to open path /nonexistent/nope with error: stat /nonexistent/nope: no such file or directory"
        );
        assert_eq!(e.kind(), crate::ErrorKind::Io);
    }
}
