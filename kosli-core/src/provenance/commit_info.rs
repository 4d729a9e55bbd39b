//! `git_commit_info`: the commit a report came from, in the CLI's wire shape (wire.md §3).

use serde::{Deserialize, Serialize};

use super::redact::{Redact, Redactions};

/// What the CLI puts in place of a redacted field.
pub const REDACTED: &str = "**REDACTED**";

/// One commit as the CLI reports it: field order and omissions are the wire's.
///
/// ```
/// use kosli_core::provenance::GitCommitInfo;
/// let info = GitCommitInfo {
///     sha1: "3e74850331dadafd9a390fa2be410e026122fd3c".into(),
///     message: "second commit".into(),
///     author: "Alice Dev <alice@example.com>".into(),
///     timestamp: 1717327800,
///     branch: "main".into(),
///     url: None,
/// };
/// let json = kosli_core::model::go_json::to_string(&info)?;
/// assert_eq!(json, r#"{"sha1":"3e74850331dadafd9a390fa2be410e026122fd3c","message":"second commit","author":"Alice Dev \u003calice@example.com\u003e","timestamp":1717327800,"branch":"main"}"#);
/// # Ok::<(), kosli_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitCommitInfo {
    /// The full 40-hex commit id.
    pub sha1: String,
    /// The whole commit message, with surrounding white space trimmed.
    pub message: String,
    /// The author as `Name <email>`.
    pub author: String,
    /// The author time, in seconds since the Unix epoch.
    pub timestamp: i64,
    /// The branch checked out in the repository (not the commit's), `""` when HEAD is detached.
    pub branch: String,
    /// The commit's web URL, derived from the `origin` remote; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl GitCommitInfo {
    /// Replaces the redacted fields with [`REDACTED`].
    pub fn redact(&mut self, redactions: &Redactions) {
        for r in redactions.iter() {
            let field = match r {
                Redact::Author => &mut self.author,
                Redact::Message => &mut self.message,
                Redact::Branch => &mut self.branch,
            };
            *field = REDACTED.to_string();
        }
    }

    /// This commit info with the redacted fields replaced.
    pub fn redacted(mut self, redactions: &Redactions) -> Self {
        self.redact(redactions);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> GitCommitInfo {
        GitCommitInfo {
            sha1: "3e74850331dadafd9a390fa2be410e026122fd3c".into(),
            message: "second commit: add feature\n\nbody line".into(),
            author: "Alice Dev <alice@example.com>".into(),
            timestamp: 1717327800,
            branch: "main".into(),
            url: Some(
                "https://github.com/acme/app/commit/3e74850331dadafd9a390fa2be410e026122fd3c"
                    .into(),
            ),
        }
    }

    #[test]
    fn serializes_like_the_cli() {
        let json = crate::model::go_json::to_string(&sample()).unwrap();
        // From captures/attest_artifact_file.jsonl (CLI v2.43.1).
        assert_eq!(
            json,
            r#"{"sha1":"3e74850331dadafd9a390fa2be410e026122fd3c","message":"second commit: add feature\n\nbody line","author":"Alice Dev \u003calice@example.com\u003e","timestamp":1717327800,"branch":"main","url":"https://github.com/acme/app/commit/3e74850331dadafd9a390fa2be410e026122fd3c"}"#
        );
    }

    #[test]
    fn redaction_replaces_only_the_chosen_fields() {
        let r: Redactions = "author,branch".parse().unwrap();
        let info = sample().redacted(&r);
        assert_eq!(info.author, REDACTED);
        assert_eq!(info.branch, REDACTED);
        assert_eq!(info.message, sample().message);
        assert_eq!(info.sha1, sample().sha1);
        assert_eq!(info.url, sample().url);
    }
}
