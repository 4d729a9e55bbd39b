//! [`PathsCollector`]: snapshots of a server environment, as `kosli snapshot path|paths|server`
//! take them (files and folders fingerprinted where they run).

use std::path::PathBuf;

use super::collector::{Collected, Collector};
use crate::client::clock::BoxFuture;
use crate::drift::RunningArtifact;
use crate::error::{Error, Result};
use crate::ops::environments::types;
use crate::ops::snapshots::{PathsSpec, SnapshotServer};

/// Collects a server environment: each artifact is a file or folder, fingerprinted (without
/// its excluded paths) at every collection; one instance each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathsCollector {
    source: Source,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Path {
        name: String,
        path: PathBuf,
        excludes: Vec<String>,
    },
    Spec(PathsSpec),
    SpecFile(PathBuf),
    Server {
        patterns: Vec<String>,
        excludes: Vec<String>,
    },
}

impl PathsCollector {
    /// One artifact, `name`, at `path` (`kosli snapshot path`).
    pub fn path(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        PathsCollector {
            source: Source::Path {
                name: name.into(),
                path: path.into(),
                excludes: Vec::new(),
            },
        }
    }

    /// The artifacts of a paths spec (`kosli snapshot paths`).
    pub fn spec(spec: PathsSpec) -> Self {
        PathsCollector {
            source: Source::Spec(spec),
        }
    }

    /// The artifacts of a paths spec file, read again at every collection.
    pub fn spec_file(path: impl Into<PathBuf>) -> Self {
        PathsCollector {
            source: Source::SpecFile(path.into()),
        }
    }

    /// Every path the patterns match, named by its absolute path (the deprecated
    /// `kosli snapshot server`).
    pub fn server<I, S>(patterns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        PathsCollector {
            source: Source::Server {
                patterns: patterns.into_iter().map(Into::into).collect(),
                excludes: Vec::new(),
            },
        }
    }

    /// Paths left out of the fingerprints (for [`path`](Self::path) and
    /// [`server`](Self::server); a spec names its own).
    pub fn exclude<I, S>(mut self, patterns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let more = patterns.into_iter().map(Into::into);
        match &mut self.source {
            Source::Path { excludes, .. } | Source::Server { excludes, .. } => {
                excludes.extend(more)
            }
            Source::Spec(_) | Source::SpecFile(_) => {}
        }
        self
    }

    /// The snapshot operation's value for `environment`, fingerprinted now.
    pub fn snapshot(&self, environment: &str) -> Result<SnapshotServer> {
        match &self.source {
            Source::Path {
                name,
                path,
                excludes,
            } => SnapshotServer::path(environment, name, path, excludes),
            Source::Spec(spec) => SnapshotServer::paths(environment, spec),
            Source::SpecFile(file) => {
                SnapshotServer::paths(environment, &PathsSpec::from_file(file)?)
            }
            Source::Server { patterns, excludes } => {
                SnapshotServer::server(environment, patterns, excludes)
            }
        }
    }

    fn collect_now(&self, environment: &str) -> Result<Collected> {
        let snapshot = self.snapshot(environment)?;
        let running = snapshot
            .artifacts()
            .iter()
            .map(|a| RunningArtifact::new(a.name(), a.fingerprint(), 1))
            .collect();
        Ok(Collected::new(environment, running, snapshot.request()?))
    }
}

impl Collector for PathsCollector {
    fn env_type(&self) -> &str {
        types::SERVER
    }

    fn collect<'a>(&'a self, environment: &'a str) -> BoxFuture<'a, Result<Collected>> {
        let (me, env) = (self.clone(), environment.to_string());
        Box::pin(async move {
            // Hashing reads whole files: off the async threads.
            tokio::task::spawn_blocking(move || me.collect_now(&env))
                .await
                .map_err(|e| Error::Fingerprint {
                    path: PathBuf::new(),
                    message: format!("the snapshot's worker failed: {e}"),
                })?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn collects_what_the_snapshot_operation_reports() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("app.bin"), "binary-ish artifact\n").unwrap();
        let c = PathsCollector::path("bin", d.path().join("app.bin"));
        let got = c.collect("prod").await.unwrap();
        let fp = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef";
        assert_eq!(got.running(), [RunningArtifact::new("bin", fp, 1)]);
        assert_eq!(
            got.report(),
            &c.snapshot("prod").unwrap().request().unwrap()
        );
        assert_eq!(got.environment(), "prod");
        assert_eq!(c.env_type(), "server");
        let missing = PathsCollector::path("x", d.path().join("nope"));
        let e = missing.collect("prod").await.unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Io);
    }
}
