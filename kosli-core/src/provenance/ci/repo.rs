//! The CI system's own description of the repository: the base of `repo_info`.

use std::collections::BTreeMap;

use super::azure::{self, Collection};
use super::CiSystem;
use crate::provenance::env::EnvLookup;
use crate::provenance::repo_info::RepoInfo;

/// A CI system the CLI reads no repository description from (TeamCity, CodeBuild, Jenkins).
/// Its `Display` is the CLI's warning text without the `[warning] ` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("failed to get git repo info. unsupported CI: {}", .0.cli_name())]
pub struct UnsupportedCi(pub CiSystem);

/// The repository as the CI environment describes it: `Ok(None)` outside CI, an error for a
/// CI system without repository variables. The result may be incomplete: whether it is sent
/// is decided after merging the `--repo-*` values ([`merge_repo_info`](crate::provenance::merge_repo_info)).
///
/// ```
/// use kosli_core::provenance::{ci_repo_info, CiSystem, UnsupportedCi};
/// let env = [("GITLAB_CI", "true"), ("CI_PROJECT_PATH", "acme/group/app"), ("CI_PROJECT_NAMESPACE", "acme/group")];
/// let info = ci_repo_info(&env).unwrap().unwrap();
/// assert_eq!(info.namespace_path, ["acme", "group"]);
/// assert_eq!(ci_repo_info(&[("JENKINS_URL", "x")]), Err(UnsupportedCi(CiSystem::Jenkins)));
/// ```
pub fn ci_repo_info(env: &dyn EnvLookup) -> Result<Option<RepoInfo>, UnsupportedCi> {
    let Some(ci) = CiSystem::detect(env) else {
        return Ok(None);
    };
    let v = |name: &str| env.get(name);
    let info = match ci {
        CiSystem::GitHub => RepoInfo {
            url: format!("{}/{}", v("GITHUB_SERVER_URL"), v("GITHUB_REPOSITORY")),
            name: v("GITHUB_REPOSITORY"),
            id: v("GITHUB_REPOSITORY_ID"),
            provider: "github".into(),
            ..RepoInfo::default()
        },
        CiSystem::GitLab => RepoInfo {
            url: v("CI_PROJECT_URL"),
            name: v("CI_PROJECT_PATH"),
            id: v("CI_PROJECT_ID"),
            description: v("CI_PROJECT_DESCRIPTION"),
            provider: "gitlab".into(),
            namespace_path: split_path(&v("CI_PROJECT_NAMESPACE")),
            ..RepoInfo::default()
        },
        CiSystem::Bitbucket => {
            let full_name = v("BITBUCKET_REPO_FULL_NAME");
            let workspace = full_name
                .split_once('/')
                .map(|(ws, _)| ws)
                .unwrap_or_default();
            let mut additional_info = BTreeMap::new();
            let project_key = v("BITBUCKET_PROJECT_KEY");
            if !project_key.is_empty() {
                additional_info.insert("project_key".to_string(), project_key.into());
            }
            RepoInfo {
                url: v("BITBUCKET_GIT_HTTP_ORIGIN"),
                id: v("BITBUCKET_REPO_UUID"),
                provider: "bitbucket_cloud".into(),
                namespace_path: split_path(workspace),
                name: full_name,
                additional_info,
                ..RepoInfo::default()
            }
        }
        CiSystem::AzureDevOps => {
            let source = v("BUILD_REPOSITORY_PROVIDER");
            let collection = Collection::parse(&v("SYSTEM_COLLECTIONURI"));
            let (name, project) = (v("BUILD_REPOSITORY_NAME"), v("SYSTEM_TEAMPROJECT"));
            let mut info = RepoInfo {
                url: v("BUILD_REPOSITORY_URI"),
                id: v("BUILD_REPOSITORY_ID"),
                provider: azure::provider(&source, &collection).into(),
                name: name.clone(),
                ..RepoInfo::default()
            };
            // Only Azure Repos git (TfsGit, or no provider from older agents) gets the full
            // collection/project/repo path.
            let composed = matches!(source.as_str(), "TfsGit" | "")
                && !name.is_empty()
                && collection.valid
                && !collection.name.is_empty()
                && !project.is_empty();
            if composed {
                info.name = format!("{}/{project}/{name}", collection.name);
                info.namespace_path = vec![collection.name, project];
            }
            info
        }
        CiSystem::CircleCi => RepoInfo {
            url: v("CIRCLE_REPOSITORY_URL"),
            name: v("CIRCLE_PROJECT_REPONAME"),
            provider: "circleci".into(),
            ..RepoInfo::default()
        },
        CiSystem::TeamCity | CiSystem::CodeBuild | CiSystem::Jenkins => {
            return Err(UnsupportedCi(ci))
        }
    };
    Ok(Some(info))
}

/// `a/b` → `["a", "b"]`; the empty string → no segments.
fn split_path(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split('/').map(str::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitbucket_workspace_and_project_key() {
        let env = [
            ("BITBUCKET_BUILD_NUMBER", "55"),
            ("BITBUCKET_REPO_FULL_NAME", "acme/app"),
            ("BITBUCKET_PROJECT_KEY", "PRJ"),
        ];
        let info = ci_repo_info(&env).unwrap().unwrap();
        assert_eq!(info.namespace_path, ["acme"]);
        assert_eq!(info.additional_info["project_key"], "PRJ");
        let env = [
            ("BITBUCKET_BUILD_NUMBER", "55"),
            ("BITBUCKET_REPO_FULL_NAME", "app"),
        ];
        let info = ci_repo_info(&env).unwrap().unwrap();
        assert!(info.namespace_path.is_empty() && info.additional_info.is_empty());
    }

    #[test]
    fn azure_composes_the_name_only_for_azure_repos() {
        let mut env = vec![
            ("TF_BUILD", "True"),
            ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/acmeorg/"),
            ("SYSTEM_TEAMPROJECT", "proj"),
            ("BUILD_REPOSITORY_NAME", "app"),
            ("BUILD_REPOSITORY_PROVIDER", "TfsGit"),
        ];
        let info = ci_repo_info(&env).unwrap().unwrap();
        assert_eq!(info.name, "acmeorg/proj/app");
        assert_eq!(info.namespace_path, ["acmeorg", "proj"]);
        assert_eq!(info.provider, "azure_devops_services");
        env.push(("BUILD_REPOSITORY_PROVIDER", "GitHub"));
        let info = ci_repo_info(&env).unwrap().unwrap();
        assert_eq!(
            (info.name.as_str(), info.provider.as_str()),
            ("app", "github")
        );
        assert!(info.namespace_path.is_empty());
    }

    #[test]
    fn unsupported_ci_warning_text() {
        let e = ci_repo_info(&[("CODEBUILD_CI", "true")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "failed to get git repo info. unsupported CI: Code Build"
        );
        assert_eq!(ci_repo_info(&[("CI", "true")]), Ok(None));
    }
}
