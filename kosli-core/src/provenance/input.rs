//! What the user said about provenance: the CLI's `--commit`, `--repo-root`, `--build-url`,
//! `--commit-url`, `--repo-id`, `--repository`, `--repo-url`, `--repo-provider`,
//! `--redact-commit-info` and `--origin-url`, as explicit values (CI defaults come later).

use std::path::{Path, PathBuf};

use super::redact::Redactions;

/// The kind of report provenance is resolved for; the CLI treats them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportKind {
    /// `attest artifact`: the commit defaults to `HEAD` and must be readable; build and commit
    /// URLs are required; `repo_url` comes from the `origin` remote.
    Artifact,
    /// `attest <type>`: commit info only with `--commit` (or CI); `origin_url`.
    Attestation,
    /// `begin trail`: as attestations (its checks run in a different order).
    Trail,
}

/// Explicit provenance values, `None` where the user gave nothing (so CI defaults apply).
///
/// A value given through the CLI's `KOSLI_<FLAG>` environment variables counts as explicit.
///
/// ```
/// use kosli_core::provenance::{ProvenanceInput, Redact, Redactions};
/// let input = ProvenanceInput::new()
///     .commit("HEAD~1")
///     .repo_root("../app")
///     .redact(Redactions::none().with(Redact::Author));
/// assert_eq!(input.commit.as_deref(), Some("HEAD~1"));
/// assert!(input.build_url.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProvenanceInput {
    /// `--commit`: a revision (`HEAD`, a sha, `main~1`, a tag ...).
    pub commit: Option<String>,
    /// `--repo-root`: the git repository (default `.`).
    pub repo_root: Option<PathBuf>,
    /// `--build-url` (artifacts).
    pub build_url: Option<String>,
    /// `--commit-url` (artifacts).
    pub commit_url: Option<String>,
    /// `--repo-id`.
    pub repo_id: Option<String>,
    /// `--repository`.
    pub repository: Option<String>,
    /// `--repo-url` (checked to be a URL).
    pub repo_url: Option<String>,
    /// `--repo-provider` (one of [`REPO_PROVIDERS`](super::REPO_PROVIDERS)).
    pub repo_provider: Option<String>,
    /// `--redact-commit-info`.
    pub redact: Redactions,
    /// `--origin-url` (attestations and trails).
    pub origin_url: Option<String>,
    /// The directory a relative `--repo-root` is taken from (default: the process's current
    /// directory). Messages still show `--repo-root` as given, as the CLI's do.
    pub working_dir: Option<PathBuf>,
}

impl ProvenanceInput {
    /// Nothing given: everything from CI defaults or the CLI's built-in defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `--commit`.
    pub fn commit(mut self, rev: impl Into<String>) -> Self {
        self.commit = Some(rev.into());
        self
    }

    /// Sets `--repo-root`.
    pub fn repo_root(mut self, path: impl Into<PathBuf>) -> Self {
        self.repo_root = Some(path.into());
        self
    }

    /// Sets `--build-url`.
    pub fn build_url(mut self, url: impl Into<String>) -> Self {
        self.build_url = Some(url.into());
        self
    }

    /// Sets `--commit-url`.
    pub fn commit_url(mut self, url: impl Into<String>) -> Self {
        self.commit_url = Some(url.into());
        self
    }

    /// Sets `--repo-id`.
    pub fn repo_id(mut self, id: impl Into<String>) -> Self {
        self.repo_id = Some(id.into());
        self
    }

    /// Sets `--repository`.
    pub fn repository(mut self, name: impl Into<String>) -> Self {
        self.repository = Some(name.into());
        self
    }

    /// Sets `--repo-url`.
    pub fn repo_url(mut self, url: impl Into<String>) -> Self {
        self.repo_url = Some(url.into());
        self
    }

    /// Sets `--repo-provider`.
    pub fn repo_provider(mut self, provider: impl Into<String>) -> Self {
        self.repo_provider = Some(provider.into());
        self
    }

    /// Sets `--redact-commit-info`.
    pub fn redact(mut self, redactions: Redactions) -> Self {
        self.redact = redactions;
        self
    }

    /// Sets `--origin-url`.
    pub fn origin_url(mut self, url: impl Into<String>) -> Self {
        self.origin_url = Some(url.into());
        self
    }

    /// Sets the directory a relative `--repo-root` is taken from, for callers that must not
    /// change the process's current directory.
    pub fn working_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.working_dir = Some(dir.into());
        self
    }

    /// The repository root as given: `--repo-root`, or `.`.
    pub fn effective_repo_root(&self) -> &Path {
        self.repo_root.as_deref().unwrap_or_else(|| Path::new("."))
    }

    /// Where the repository is opened: the root, taken from [`working_dir`](Self::working_dir)
    /// when it is relative.
    pub fn repo_path(&self) -> PathBuf {
        let root = self.effective_repo_root();
        match &self.working_dir {
            // `dir/.` is not opened as `dir` by gix: drop the `.` components.
            Some(dir) if root.is_relative() => dir
                .join(root)
                .components()
                .filter(|c| !matches!(c, std::path::Component::CurDir))
                .collect(),
            _ => root.to_path_buf(),
        }
    }
}
