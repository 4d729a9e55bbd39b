//! One opened repository and the reads provenance needs from it.

use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;

use super::error::GitError;
use crate::provenance::commit_info::GitCommitInfo;
use crate::provenance::redact::Redactions;
use crate::provenance::remote_url::{commit_url_for, repo_url_from_remote};

/// A git repository opened at `--repo-root`.
///
/// ```no_run
/// use kosli_core::provenance::{GitRepo, Redactions};
/// let repo = GitRepo::open(".")?;
/// let info = repo.commit_info("HEAD", &Redactions::none())?;
/// assert_eq!(info.sha1.len(), 40);
/// # Ok::<(), kosli_core::provenance::GitError>(())
/// ```
pub struct GitRepo {
    repo: gix::Repository,
    root: PathBuf,
}

impl std::fmt::Debug for GitRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitRepo")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl GitRepo {
    /// Opens the repository whose work tree root (or `.git` directory, or bare repository) is
    /// `root`. Parent directories are not searched, as in the CLI.
    pub fn open(root: impl Into<PathBuf>) -> Result<GitRepo, GitError> {
        let root = root.into();
        Self::open_at(&root.clone(), root)
    }

    /// Opens the repository at `path`, naming it `root` in messages (the `--repo-root` the user
    /// gave, when `path` was made absolute from it).
    pub fn open_at(path: &Path, root: impl Into<PathBuf>) -> Result<GitRepo, GitError> {
        let root = root.into();
        let not_a_repo = |detail: String| GitError::NotARepository {
            root: root.clone(),
            detail,
        };
        if path.as_os_str().is_empty() {
            return Err(not_a_repo("no path given".into()));
        }
        match gix::open_opts(path, gix::open::Options::isolated()) {
            Ok(repo) => {
                tracing::debug!(root = %root.display(), shallow = repo.is_shallow(), "opened git repository");
                Ok(GitRepo { repo, root })
            }
            Err(e @ (gix::open::Error::NotARepository { .. } | gix::open::Error::Io(_))) => {
                Err(not_a_repo(e.to_string()))
            }
            Err(e) => Err(GitError::Read {
                root: root.clone(),
                detail: e.to_string(),
            }),
        }
    }

    /// The path the repository was opened at, as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether this is a shallow clone (some history was not fetched).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The checked-out branch (`main` for `refs/heads/main`), or `""` when HEAD is detached
    /// or names something that is not a branch. A branch without commits is an error, as in
    /// the CLI.
    pub fn branch(&self) -> Result<String, GitError> {
        let head = self.repo.head().map_err(|e| self.read_error("HEAD", e))?;
        match &head.kind {
            gix::head::Kind::Unborn(_) => Err(GitError::UnbornHead {
                root: self.root.clone(),
            }),
            gix::head::Kind::Detached { .. } => Ok(String::new()),
            gix::head::Kind::Symbolic(reference) => {
                let name = reference.name.as_bstr();
                Ok(name
                    .strip_prefix(b"refs/heads/")
                    .map(|b| b.to_str_lossy().into_owned())
                    .unwrap_or_default())
            }
        }
    }

    /// The full sha of the commit `rev` names; annotated tags are peeled to their commit.
    pub fn resolve(&self, rev: &str) -> Result<String, GitError> {
        Ok(self.find_commit(rev)?.id.to_string())
    }

    fn find_commit(&self, rev: &str) -> Result<gix::Commit<'_>, GitError> {
        let id = match self.repo.rev_parse_single(rev.as_bytes().as_bstr()) {
            Ok(id) => id,
            Err(e) => return Err(self.classify_rev_error(rev, &e)),
        };
        let object = id.object().map_err(|_| self.not_found(rev))?;
        object
            .peel_to_commit()
            .map_err(|e| GitError::InvalidRevision {
                rev: rev.to_string(),
                detail: format!("not a commit ({e})"),
            })
    }

    /// Tells a name that does not exist from a walk past the start of the history: the CLI says
    /// `reference not found` for the first, `EOF` (or `object not found` in a shallow clone)
    /// for the second.
    fn classify_rev_error(
        &self,
        rev: &str,
        error: &gix::revision::spec::parse::single::Error,
    ) -> GitError {
        tracing::debug!(rev, %error, "revision did not resolve");
        if let gix::revision::spec::parse::single::Error::RangedRev { .. } = error {
            return GitError::InvalidRevision {
                rev: rev.to_string(),
                detail: "a range names more than one commit".to_string(),
            };
        }
        let base_end = rev.find(['~', '^']).unwrap_or(rev.len());
        let base = &rev[..base_end];
        if base_end < rev.len()
            && !base.is_empty()
            && self
                .repo
                .rev_parse_single(base.as_bytes().as_bstr())
                .is_ok()
        {
            return GitError::AncestorNotFound {
                rev: rev.to_string(),
                root: self.root.clone(),
                shallow: self.is_shallow(),
            };
        }
        self.not_found(rev)
    }

    fn not_found(&self, rev: &str) -> GitError {
        GitError::RevisionNotFound {
            rev: rev.to_string(),
            root: self.root.clone(),
            shallow: self.is_shallow(),
        }
    }

    fn read_error(&self, what: &str, e: impl std::fmt::Display) -> GitError {
        GitError::Read {
            root: self.root.clone(),
            detail: format!("{what}: {e}"),
        }
    }

    /// The first URL of the `origin` remote, as written in the repository's configuration.
    pub fn origin_remote(&self) -> Option<String> {
        let config = self.repo.config_snapshot();
        let urls = config.plumbing().strings("remote.origin.url")?;
        urls.first().map(|u| u.to_str_lossy().into_owned())
    }

    /// The CLI's `repo_url`: the `origin` remote as a web URL. The error is the CLI's warning
    /// text after `Repo URL will not be reported, `.
    pub fn repo_url(&self) -> Result<String, String> {
        let Some(remote) = self.origin_remote() else {
            return Err(format!(
                "remote('origin') is not found in git repository: {}",
                self.root.display()
            ));
        };
        repo_url_from_remote(&remote).map_err(|e| e.to_string())
    }

    /// The commit info for `rev`, with the checked-out branch, the commit URL from the
    /// `origin` remote (none without one), and `redact` applied.
    ///
    /// As in the CLI the branch is read first, so a repository without commits fails even when
    /// `rev` is a sha.
    pub fn commit_info(&self, rev: &str, redact: &Redactions) -> Result<GitCommitInfo, GitError> {
        let branch = self.branch()?;
        let commit = self.find_commit(rev)?;
        let sha1 = commit.id.to_string();
        let author = commit
            .author()
            .map_err(|e| self.read_error(&format!("the author of {sha1}"), e))?;
        let timestamp = author
            .time()
            .map_err(|e| self.read_error(&format!("the author time of {sha1}"), e))?
            .seconds;
        let author_text = format!(
            "{} <{}>",
            author.name.to_str_lossy(),
            author.email.to_str_lossy()
        );
        let message = commit
            .message_raw()
            .map_err(|e| self.read_error(&format!("the message of {sha1}"), e))?;
        let url = self
            .repo_url()
            .ok()
            .and_then(|repo_url| commit_url_for(&repo_url, &sha1));
        let info = GitCommitInfo {
            message: message.to_str_lossy().trim().to_string(),
            author: author_text,
            timestamp,
            branch,
            url,
            sha1,
        };
        Ok(info.redacted(redact))
    }
}
