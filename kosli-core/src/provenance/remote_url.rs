//! From a git remote to the web URLs the CLI reports: `repo_url` and `git_commit_info.url`.
//!
//! The rules, as observed from the CLI v2.43.1 (fixtures in `tests/fixtures/provenance/`):
//! * a remote starting with `git@` is an scp-like SSH remote: its first `:` becomes `/` and
//!   `git@` becomes `https://` (`git@github.com:acme/app.git` → `https://github.com/acme/app`);
//!   other SSH forms (`ssh://git@host/...`) keep their scheme;
//! * the first `.git` anywhere in the text is removed (so `app.github.io.git` loses the `.git`
//!   of `.github`, a CLI quirk kept for parity);
//! * user information (`user:password@`) is dropped, and the URL is printed as Go prints it;
//! * a remote Go cannot parse (`alice@host:path`) gives no URL, with Go's parse error.
//!
//! The commit URL appends `/-/commit/<sha>` when the host contains `gitlab.com`, `/commits/<sha>`
//! when it contains `bitbucket.org`, and `/commit/<sha>` otherwise.

use super::gourl::{GoUrl, GoUrlError};

/// The web URL of a repository from its remote URL, as the CLI derives `repo_url`.
///
/// ```
/// use kosli_core::provenance::repo_url_from_remote;
/// assert_eq!(repo_url_from_remote("git@github.com:acme/app.git").unwrap(), "https://github.com/acme/app");
/// assert_eq!(repo_url_from_remote("https://user:pw@gitlab.com/acme/app.git").unwrap(), "https://gitlab.com/acme/app");
/// assert!(repo_url_from_remote("alice@example.com:acme/app.git").is_err());
/// ```
pub fn repo_url_from_remote(remote: &str) -> Result<String, RemoteUrlError> {
    Ok(parse_remote(remote)?.to_string())
}

/// The URL of commit `sha` in the repository at `repo_url` (itself from
/// [`repo_url_from_remote`]), chosen by host: GitLab, Bitbucket, or the `/commit/` form.
///
/// Returns `None` when `repo_url` cannot be parsed.
///
/// ```
/// use kosli_core::provenance::commit_url_for;
/// let sha = "3e74850331dadafd9a390fa2be410e026122fd3c";
/// assert_eq!(commit_url_for("https://gitlab.com/acme/app", sha).unwrap(),
///            format!("https://gitlab.com/acme/app/-/commit/{sha}"));
/// assert_eq!(commit_url_for("https://bitbucket.org/acme/app", sha).unwrap(),
///            format!("https://bitbucket.org/acme/app/commits/{sha}"));
/// assert_eq!(commit_url_for("https://github.com/acme/app", sha).unwrap(),
///            format!("https://github.com/acme/app/commit/{sha}"));
/// ```
pub fn commit_url_for(repo_url: &str, sha: &str) -> Option<String> {
    let url = GoUrl::parse(repo_url).ok()?;
    let joined = if url.host.contains("gitlab.com") {
        url.join_path(&["-", "commit", sha])
    } else if url.host.contains("bitbucket.org") {
        url.join_path(&["commits", sha])
    } else {
        url.join_path(&["commit", sha])
    };
    Some(joined.to_string())
}

/// A remote URL that Go's URL parser rejects; the message is Go's (`parse "...": ...`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RemoteUrlError(String);

impl From<GoUrlError> for RemoteUrlError {
    fn from(e: GoUrlError) -> Self {
        RemoteUrlError(e.to_string())
    }
}

/// The CLI's conversion of a remote into a URL, before printing.
pub(crate) fn parse_remote(remote: &str) -> Result<GoUrl, RemoteUrlError> {
    let mut text = remote.to_string();
    if text.starts_with("git@") {
        text = text.replacen(':', "/", 1).replacen("git@", "https://", 1);
    }
    let text = text.replacen(".git", "", 1);
    let mut url = GoUrl::parse(&text)?;
    url.has_user = false;
    Ok(url)
}

/// The commit-URL default of CircleCI, CodeBuild and Jenkins: `<repository URL>/commit/<sha>`
/// put through the remote conversion, with Bitbucket's first `commit` made `commits`; `""` when
/// the result cannot be parsed (as the CLI).
pub(crate) fn ci_commit_url(repo_url: &str, sha: &str) -> String {
    let raw = format!("{repo_url}/commit/{sha}");
    let Ok(url) = repo_url_from_remote(&raw) else {
        return String::new();
    };
    if url.contains("bitbucket.org") {
        url.replacen("commit", "commits", 1)
    } else {
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "3e74850331dadafd9a390fa2be410e026122fd3c";

    #[test]
    fn remote_forms_observed_from_the_cli() {
        let cases = [
            ("git@github.com:acme/app.git", "https://github.com/acme/app"),
            (
                "git@gitlab.com:acme/group/app.git",
                "https://gitlab.com/acme/group/app",
            ),
            (
                "https://user:pw@github.com/acme/app.git",
                "https://github.com/acme/app",
            ),
            (
                "ssh://git@github.com/acme/app.git",
                "ssh://github.com/acme/app",
            ),
            (
                "ssh://git@github.com:2222/acme/app.git",
                "ssh://github.com:2222/acme/app",
            ),
            (
                "https://git.example.com/acme/app.github.io.git",
                "https://git.example.com/acme/apphub.io.git",
            ),
            (
                "git://example.com/acme/app.git",
                "git://example.com/acme/app",
            ),
            ("/srv/git/app.git", "/srv/git/app"),
            ("file:///srv/git/app.git", "file:///srv/git/app"),
            (
                "git@ssh.dev.azure.com:v3/acmeorg/proj/app",
                "https://ssh.dev.azure.com/v3/acmeorg/proj/app",
            ),
            (
                "https://github.com/acme/my app.git",
                "https://github.com/acme/my%20app",
            ),
            (
                "git@github.com:/acme/app.git",
                "https://github.com//acme/app",
            ),
        ];
        for (remote, want) in cases {
            assert_eq!(repo_url_from_remote(remote).unwrap(), want, "{remote}");
        }
    }

    #[test]
    fn unparsable_remote_is_an_error_in_gos_words() {
        let e = repo_url_from_remote("alice@example.com:acme/app.git").unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"parse "alice@example.com:acme/app": first path segment in URL cannot contain colon"#
        );
    }

    #[test]
    fn commit_url_by_host() {
        let c = |u: &str| commit_url_for(u, SHA).unwrap();
        assert_eq!(
            c("https://mygitlab.com/a/b"),
            format!("https://mygitlab.com/a/b/-/commit/{SHA}")
        );
        assert_eq!(
            c("http://bitbucket.org:8080/acme/app"),
            format!("http://bitbucket.org:8080/acme/app/commits/{SHA}")
        );
        assert_eq!(
            c("https://gitlab.example.com/acme/app"),
            format!("https://gitlab.example.com/acme/app/commit/{SHA}")
        );
        assert_eq!(
            c("ssh://github.com/acme/app"),
            format!("ssh://github.com/acme/app/commit/{SHA}")
        );
    }

    #[test]
    fn ci_commit_urls() {
        assert_eq!(
            ci_commit_url("git@github.com:acme/app.git", SHA),
            format!("https://github.com/acme/app/commit/{SHA}")
        );
        assert_eq!(
            ci_commit_url("https://user:pw@bitbucket.org/acme/app.git", SHA),
            format!("https://bitbucket.org/acme/app/commits/{SHA}")
        );
        assert_eq!(ci_commit_url("", SHA), format!("/commit/{SHA}"));
        assert_eq!(ci_commit_url("alice@h:x", SHA), "");
    }
}
