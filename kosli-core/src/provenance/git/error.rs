//! Why commit info could not be read, with the CLI's words and what to do about it.

use std::fmt;
use std::path::PathBuf;

use crate::error::Error;

/// A failure to read commit info from a git repository.
///
/// `Display` gives the CLI's message, then (on a new line, as the CLI's own hints) what to do:
/// fetch more history for a shallow clone, check the revision, make a first commit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GitError {
    /// No git repository at the path (it is not a work tree root or `.git` directory).
    NotARepository {
        /// The repository root as given.
        root: PathBuf,
        /// Why, as gix says it.
        detail: String,
    },
    /// HEAD names a branch that has no commit yet.
    UnbornHead {
        /// The repository root as given.
        root: PathBuf,
    },
    /// The revision names no reference or object in the repository.
    RevisionNotFound {
        /// The revision as given.
        rev: String,
        /// The repository root as given.
        root: PathBuf,
        /// Whether the repository is a shallow clone (older commits are not there).
        shallow: bool,
    },
    /// The revision walks past the start of the history (`HEAD~5` in a 2-commit repository),
    /// or, in a shallow clone, past the commits that were fetched.
    AncestorNotFound {
        /// The revision as given.
        rev: String,
        /// The repository root as given.
        root: PathBuf,
        /// Whether the repository is a shallow clone.
        shallow: bool,
    },
    /// The revision is not valid syntax, or names something that is not a commit.
    InvalidRevision {
        /// The revision as given.
        rev: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The repository could not be read (corrupt objects, bad configuration, I/O).
    Read {
        /// The repository root as given.
        root: PathBuf,
        /// What was being read and why it failed.
        detail: String,
    },
}

impl GitError {
    /// The message as the CLI prints it, without the hint.
    pub fn cli_message(&self) -> String {
        match self {
            GitError::NotARepository { root, .. } => {
                format!(
                    "failed to open git repository at {}: repository does not exist",
                    root.display()
                )
            }
            GitError::UnbornHead { .. } => {
                "failed to get the current HEAD of the git repository: reference not found"
                    .to_string()
            }
            GitError::RevisionNotFound { rev, .. } => {
                format!("failed to resolve git reference {rev}: reference not found")
            }
            GitError::AncestorNotFound {
                rev, shallow: true, ..
            } => {
                format!("failed to resolve git reference {rev}: object not found")
            }
            GitError::AncestorNotFound {
                rev,
                shallow: false,
                ..
            } => {
                format!("failed to resolve git reference {rev}: EOF")
            }
            GitError::InvalidRevision { rev, detail } => {
                format!("failed to resolve git reference {rev}: {detail}")
            }
            GitError::Read { root, detail } => {
                format!(
                    "failed to read the git repository at {}: {detail}",
                    root.display()
                )
            }
        }
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let shallow_hint = |root: &PathBuf| {
            format!(
                "The repository at {} is a shallow clone, so older commits are missing: fetch more history \
                 (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout) or name a commit that was fetched.",
                root.display()
            )
        };
        match self {
            GitError::NotARepository { .. } => Some(
                "Run in the root of a git work tree, or point --repo-root at one.".to_string(),
            ),
            GitError::UnbornHead { root } => Some(format!(
                "The repository at {} has no commits yet: commit first, or point --repo-root at another repository.",
                root.display()
            )),
            GitError::RevisionNotFound { root, shallow: true, .. }
            | GitError::AncestorNotFound { root, shallow: true, .. } => Some(shallow_hint(root)),
            GitError::RevisionNotFound { root, shallow: false, .. } => Some(format!(
                "The commit does not exist in the repository at {}: check the revision, or fetch it first \
                 (`git fetch origin <sha>`).",
                root.display()
            )),
            GitError::AncestorNotFound { rev, shallow: false, .. } => {
                Some(format!("The history has fewer commits than {rev} asks for."))
            }
            GitError::InvalidRevision { .. } | GitError::Read { .. } => None,
        }
    }

    /// Which flag the error is about (`--repo-root` or `--commit`).
    pub fn flag(&self) -> &'static str {
        match self {
            GitError::NotARepository { .. }
            | GitError::UnbornHead { .. }
            | GitError::Read { .. } => "--repo-root",
            _ => "--commit",
        }
    }

    /// Whether the repository is a shallow clone (known for revision errors).
    pub fn is_shallow(&self) -> bool {
        matches!(
            self,
            GitError::RevisionNotFound { shallow: true, .. }
                | GitError::AncestorNotFound { shallow: true, .. }
        )
    }
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cli_message())?;
        if let Some(hint) = self.hint() {
            write!(f, "\n{hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for GitError {}

impl From<GitError> for Error {
    fn from(e: GitError) -> Self {
        Error::invalid_input(e.flag(), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn shallow_errors_say_to_fetch_more_history() {
        let e = GitError::AncestorNotFound {
            rev: "HEAD~1".into(),
            root: ".".into(),
            shallow: true,
        };
        assert_eq!(
            e.cli_message(),
            "failed to resolve git reference HEAD~1: object not found"
        );
        let text = e.to_string();
        assert!(text.starts_with("failed to resolve git reference HEAD~1: object not found\n"));
        assert!(
            text.contains("shallow clone") && text.contains("git fetch --unshallow"),
            "{text}"
        );
        let e: Error = e.into();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(matches!(&e, Error::InvalidInput { what, .. } if what == "--commit"));
    }

    #[test]
    fn missing_revision_says_to_check_or_fetch_it() {
        let e = GitError::RevisionNotFound {
            rev: "deadbeef".into(),
            root: "repo".into(),
            shallow: false,
        };
        assert_eq!(
            e.cli_message(),
            "failed to resolve git reference deadbeef: reference not found"
        );
        assert!(e
            .to_string()
            .contains("check the revision, or fetch it first"));
    }

    #[test]
    fn not_a_repository_names_the_path_and_the_flag() {
        let e = GitError::NotARepository {
            root: "/tmp/nope".into(),
            detail: String::new(),
        };
        assert_eq!(
            e.cli_message(),
            "failed to open git repository at /tmp/nope: repository does not exist"
        );
        assert_eq!(e.flag(), "--repo-root");
        assert!(e.to_string().ends_with("point --repo-root at one."));
    }
}
