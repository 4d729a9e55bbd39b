//! `repo_info`: the repository a report came from, merged from the CI environment and the
//! `--repo-*` flags, and sent only when its id, name and URL are all known (wire.md §3).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::gourl::GoUrl;
use crate::error::{Error, Result};

/// The providers `--repo-provider` accepts, in the CLI's order.
pub const REPO_PROVIDERS: [&str; 10] = [
    "github",
    "gitlab",
    "bitbucket",
    "bitbucket_cloud",
    "bitbucket_dc",
    "azure-devops",
    "azure_devops_services",
    "azure_devops_server",
    "git",
    "subversion",
];

/// The warning the CLI prints when `repo_info` is left out.
pub const REPO_INFO_INCOMPLETE_WARNING: &str =
    "Repo information will not be reported as ID, Name and URL are required.";

/// A repository as the CLI reports it; every field is left out when empty.
///
/// ```
/// use kosli_core::provenance::RepoInfo;
/// let info = RepoInfo {
///     url: "https://github.com/acme/app".into(),
///     name: "acme/app".into(),
///     id: "555111".into(),
///     provider: "github".into(),
///     ..RepoInfo::default()
/// };
/// assert_eq!(
///     kosli_core::model::go_json::to_string(&info)?,
///     r#"{"url":"https://github.com/acme/app","name":"acme/app","id":"555111","provider":"github"}"#
/// );
/// # Ok::<(), kosli_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RepoInfo {
    /// The repository's URL.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Its name (`owner/repo`, or the CI system's full path).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its stable id at the provider.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Its description (GitLab only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The hosting provider (one of [`REPO_PROVIDERS`], or what the CI system says).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub provider: String,
    /// The groups above the repository (GitLab namespace, Bitbucket workspace, Azure
    /// collection and project).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespace_path: Vec<String>,
    /// Provider-specific extras (Bitbucket's `project_key`); keys come out sorted.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_info: BTreeMap<String, serde_json::Value>,
}

impl RepoInfo {
    /// Whether id, name and URL are all non-empty, the condition for sending it.
    pub fn is_complete(&self) -> bool {
        !self.id.is_empty() && !self.name.is_empty() && !self.url.is_empty()
    }
}

/// The `--repo-*` values after CI defaulting, with which of them the user gave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RepoFlags {
    /// `--repo-id`.
    pub id: String,
    /// `--repository`.
    pub name: String,
    /// Whether `--repository` was given (a given name replaces the CI's and drops its
    /// namespace and extras; a defaulted one only fills a missing name).
    pub name_explicit: bool,
    /// `--repo-url`.
    pub url: String,
    /// `--repo-provider`.
    pub provider: String,
}

/// Applies the flags onto the CI's repository (if any). Returns `None` when id, name or URL is
/// still missing: the CLI then leaves `repo_info` out and warns
/// ([`REPO_INFO_INCOMPLETE_WARNING`]).
pub fn merge_repo_info(base: Option<RepoInfo>, flags: &RepoFlags) -> Option<RepoInfo> {
    let mut info = base.unwrap_or_default();
    if !flags.id.is_empty() {
        info.id.clone_from(&flags.id);
    }
    if !flags.name.is_empty() && flags.name_explicit {
        info.name.clone_from(&flags.name);
        info.namespace_path.clear();
        info.additional_info.clear();
    } else if !flags.name.is_empty() && info.name.is_empty() {
        info.name.clone_from(&flags.name);
    }
    if !flags.url.is_empty() {
        info.url.clone_from(&flags.url);
    }
    if !flags.provider.is_empty() {
        info.provider.clone_from(&flags.provider);
    }
    info.is_complete().then_some(info)
}

/// Checks a `--repo-url` the user gave: it must parse (as Go parses URLs) with a scheme and a
/// host. Values defaulted from CI are not checked, as the CLI.
pub fn validate_repo_url(url: &str) -> Result<()> {
    if url.is_empty() {
        return Ok(());
    }
    match GoUrl::parse(url) {
        Ok(u) if !u.scheme.is_empty() && !u.host.is_empty() => Ok(()),
        _ => Err(Error::invalid_input(
            "--repo-url",
            format!("--repo-url '{url}' is not a valid URL"),
        )),
    }
}

/// Checks a `--repo-provider` value against [`REPO_PROVIDERS`] (empty means not set).
pub fn validate_repo_provider(provider: &str) -> Result<()> {
    if provider.is_empty() || REPO_PROVIDERS.contains(&provider) {
        return Ok(());
    }
    Err(Error::invalid_input(
        "--repo-provider",
        format!(
            "--repo-provider '{provider}' is not allowed. Must be one of: {}",
            REPO_PROVIDERS.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gitlab_base() -> RepoInfo {
        RepoInfo {
            url: "https://gitlab.com/acme/group/app".into(),
            name: "acme/group/app".into(),
            id: "8888".into(),
            description: "demo project".into(),
            provider: "gitlab".into(),
            namespace_path: vec!["acme".into(), "group".into()],
            additional_info: BTreeMap::new(),
        }
    }

    #[test]
    fn serializes_gitlab_like_the_cli() {
        // From captures/ci_gitlab_attest_artifact.jsonl (CLI v2.43.1).
        assert_eq!(
            crate::model::go_json::to_string(&gitlab_base()).unwrap(),
            r#"{"url":"https://gitlab.com/acme/group/app","name":"acme/group/app","id":"8888","description":"demo project","provider":"gitlab","namespace_path":["acme","group"]}"#
        );
    }

    #[test]
    fn defaulted_name_does_not_replace_the_ci_name() {
        let flags = RepoFlags {
            name: "app".into(),
            ..RepoFlags::default()
        };
        let info = merge_repo_info(Some(gitlab_base()), &flags).unwrap();
        assert_eq!(info, gitlab_base());
    }

    #[test]
    fn explicit_name_replaces_it_and_drops_namespace_and_extras() {
        let mut base = gitlab_base();
        base.additional_info
            .insert("project_key".into(), "PRJ".into());
        let flags = RepoFlags {
            name: "other/x".into(),
            name_explicit: true,
            ..RepoFlags::default()
        };
        let info = merge_repo_info(Some(base), &flags).unwrap();
        assert_eq!(info.name, "other/x");
        assert!(info.namespace_path.is_empty() && info.additional_info.is_empty());
        assert_eq!(info.description, "demo project");
    }

    #[test]
    fn incomplete_info_is_left_out() {
        let flags = RepoFlags {
            id: "1".into(),
            name: "acme/app".into(),
            ..RepoFlags::default()
        };
        assert_eq!(merge_repo_info(None, &flags), None);
        let flags = RepoFlags {
            url: "https://x/y".into(),
            ..flags
        };
        let info = merge_repo_info(None, &flags).unwrap();
        assert_eq!(
            crate::model::go_json::to_string(&info).unwrap(),
            r#"{"url":"https://x/y","name":"acme/app","id":"1"}"#
        );
    }

    #[test]
    fn repo_url_and_provider_checks_use_the_cli_words() {
        assert!(validate_repo_url("https://github.com/acme/app").is_ok());
        assert!(validate_repo_url("").is_ok());
        for bad in ["not a url", "github.com/acme/app", "bad", "https:///x"] {
            let e = validate_repo_url(bad).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("--repo-url '{bad}' is not a valid URL")
            );
        }
        assert!(validate_repo_provider("azure-devops").is_ok());
        let e = validate_repo_provider("GitHub").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--repo-provider 'GitHub' is not allowed. Must be one of: github, gitlab, bitbucket, bitbucket_cloud, bitbucket_dc, azure-devops, azure_devops_services, azure_devops_server, git, subversion"
        );
    }
}
