//! Artifact fingerprints identical to the official Kosli CLI's, computed faster.
//!
//! * `file`: the SHA-256 of the file's bytes (symlinks followed).
//! * `dir`: the CLI's directory digest: a depth-first walk in bytewise name order hashing each
//!   entry's base name and, for files, their content; exclude patterns with Go glob and `**`
//!   semantics and the root `.kosli_ignore`, quirks included (see the tests' fixtures).
//!
//! Files are hashed in parallel on a pool the library owns and combined in walk order, so the
//! result is the CLI's whatever the thread count. Where the CLI hangs (a FIFO) or panics, this
//! returns a typed error naming the path.
//!
//! ```no_run
//! use kosli_core::fingerprint::{self, Fingerprinter};
//! let jar = fingerprint::file("target/app.jar")?;
//! let site = Fingerprinter::new().exclude("**/*.log").dir("public/")?;
//! tracing::info!(%jar, %site, "fingerprinted");
//! # Ok::<(), kosli_core::Error>(())
//! ```

mod dir;
mod exclude;
pub(crate) mod glob;
pub(crate) mod gopath;
mod hasher;
pub mod image;
mod pool;
#[cfg(test)]
mod tests;
mod value;

use std::fs;
use std::path::Path;

pub use exclude::{split_exclude_values, IGNORE_FILE};
pub use value::Fingerprint;

use crate::artifact::ArtifactType;
use crate::error::{Error, Result};
use crate::progress::{Progress, ProgressControl, ProgressFn};

/// The CLI's hint for a path that is a single space.
const SPACE_HINT: &str =
    "https://docs.kosli.com/faq/#pathimage-name-is-a-single-whitespace-character";

/// A directory fingerprint with what was hashed and any warning the CLI would print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirReport {
    /// The digest.
    pub fingerprint: Fingerprint,
    /// Files (and links to files) whose content was hashed.
    pub files: u64,
    /// Bytes of content hashed.
    pub bytes: u64,
    /// Warnings the CLI prints on stderr for this input (without its `[warning] ` prefix).
    pub warnings: Vec<String>,
}

/// Computes fingerprints with options: exclude patterns, thread count, progress callback.
///
/// Cheap to clone; one value can fingerprint many paths, from several threads.
#[derive(Debug, Clone, Default)]
pub struct Fingerprinter {
    excludes: Vec<String>,
    threads: Option<usize>,
    progress: Option<ProgressFn>,
    on_warning: Option<WarningFn>,
}

/// A warning callback (see [`Fingerprinter::on_warning`]).
#[derive(Clone)]
struct WarningFn(std::sync::Arc<dyn Fn(&str) + Send + Sync>);

impl std::fmt::Debug for WarningFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WarningFn(..)")
    }
}

impl Fingerprinter {
    /// A fingerprinter with no excludes, one thread per core and no progress callback.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one exclude pattern (Go glob with `**`, relative to the directory). Directory
    /// fingerprints only; the CLI ignores excludes for files.
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.excludes.push(pattern.into());
        self
    }

    /// Adds several exclude patterns.
    pub fn excludes<I, S>(mut self, patterns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.excludes.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Hashes with `threads` worker threads (at least 1; default: the machine's cores).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads.max(1));
        self
    }

    /// Calls `f` with progress as work advances; returning [`ProgressControl::Cancel`] stops
    /// the operation with a `Cancelled` error.
    pub fn on_progress(
        mut self,
        f: impl Fn(&Progress) -> ProgressControl + Send + Sync + 'static,
    ) -> Self {
        self.progress = Some(ProgressFn::new(f));
        self
    }

    /// Calls `f` with each warning the CLI would print (without its `[warning] ` prefix) as soon
    /// as it arises, so a warning that precedes an error is not lost. Warnings of a successful
    /// call are also in [`DirReport::warnings`].
    pub fn on_warning(mut self, f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_warning = Some(WarningFn(std::sync::Arc::new(f)));
        self
    }

    /// The exclude patterns given so far.
    pub fn exclude_patterns(&self) -> &[String] {
        &self.excludes
    }

    /// Fingerprints a file or a directory, as `--artifact-type` says.
    pub fn artifact(&self, path: impl AsRef<Path>, kind: ArtifactType) -> Result<Fingerprint> {
        match kind {
            ArtifactType::File => self.file(path),
            ArtifactType::Dir => self.dir(path),
            other => Err(Error::invalid_input(
                "artifact-type",
                format!("{other} artifacts are fingerprinted from an image, not a path"),
            )),
        }
    }

    /// The SHA-256 of the file at `path` (symlinks followed).
    pub fn file(&self, path: impl AsRef<Path>) -> Result<Fingerprint> {
        let path = path.as_ref();
        self.check_excludes()?;
        let total = fs::metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let mut done = 0u64;
        let mut since_report = 0u64;
        let progress = self.progress.as_ref();
        let mut buf = hasher::new_buffer();
        let result = hasher::hash_file(path, &mut buf, &mut |n| {
            done += n;
            since_report += n;
            match progress {
                Some(p) if since_report >= 8 << 20 => {
                    since_report = 0;
                    !p.report(&Progress {
                        bytes_done: done,
                        files_done: 0,
                        bytes_total: total,
                        files_total: Some(1),
                    })
                }
                _ => true,
            }
        });
        let fp = result.map_err(|e| space_hint(e, path, "filename"))?;
        if let Some(p) = progress {
            let last = Progress {
                bytes_done: done,
                files_done: 1,
                bytes_total: Some(done),
                files_total: Some(1),
            };
            if p.report(&last) {
                return Err(Error::cancelled(format!(
                    "fingerprinting {}",
                    path.display()
                )));
            }
        }
        Ok(fp)
    }

    /// The CLI's digest of the directory at `path`.
    pub fn dir(&self, path: impl AsRef<Path>) -> Result<Fingerprint> {
        self.dir_report(path).map(|r| r.fingerprint)
    }

    /// The CLI's digest of the directory at `path`, with counts and warnings.
    pub fn dir_report(&self, path: impl AsRef<Path>) -> Result<DirReport> {
        let path = path.as_ref();
        self.check_excludes()?;
        let meta = fs::metadata(path)
            .map_err(|e| space_hint(Error::io("stat", path, e), path, "directory path"))?;
        if !meta.is_dir() {
            return Err(Error::Fingerprint {
                path: path.to_path_buf(),
                message: format!("{} is not a directory", path.display()),
            });
        }
        let root = gopath::to_bytes(path);
        let on_warning = self.on_warning.clone();
        let excludes = exclude::ExcludeSet::build(&root, &self.excludes, &mut |w| {
            if let Some(f) = &on_warning {
                (f.0)(w);
            }
        })?;
        let threads = self.threads.unwrap_or_else(pool::default_threads);
        let pool;
        let hashing = if threads <= 1 {
            dir::Hashing::Inline
        } else {
            pool = pool::shared(threads)?;
            dir::Hashing::Pool(&pool)
        };
        let (fingerprint, stats) = dir::digest(&root, &excludes, hashing, self.progress.as_ref())?;
        tracing::debug!(path = %path.display(), files = stats.files, bytes = stats.bytes, "fingerprinted directory");
        Ok(DirReport {
            fingerprint,
            files: stats.files,
            bytes: stats.bytes,
            warnings: excludes.warnings,
        })
    }

    fn check_excludes(&self) -> Result<()> {
        if self.excludes.iter().any(String::is_empty) {
            return Err(Error::invalid_input(
                "exclude pattern",
                "an exclude pattern is empty",
            ));
        }
        Ok(())
    }
}

/// Adds the CLI's hint when the path is a single space (a common shell-quoting mistake).
fn space_hint(err: Error, path: &Path, noun: &str) -> Error {
    if path.as_os_str() == " " {
        err.with_suffix(&format!(". The {noun} is ' '. {SPACE_HINT}"))
    } else {
        err
    }
}

/// The SHA-256 of the file at `path`, as `kosli fingerprint --artifact-type file`.
pub fn file(path: impl AsRef<Path>) -> Result<Fingerprint> {
    Fingerprinter::new().file(path)
}

/// The digest of the directory at `path`, as `kosli fingerprint --artifact-type dir -x ...`.
pub fn dir<I, S>(path: impl AsRef<Path>, excludes: I) -> Result<Fingerprint>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Fingerprinter::new().excludes(excludes).dir(path)
}
