//! The values flags take from the CI environment when the user does not give them.

use super::azure::{self, Collection};
use super::{defaults_disabled, CiSystem};
use crate::provenance::env::EnvLookup;
use crate::provenance::remote_url::ci_commit_url;

/// Flag defaults from the CI environment (wire.md §8). Empty strings mean "no default", as in
/// the CLI; outside CI, or with `KOSLI_TESTS`/`DOCS` set, everything is empty.
///
/// ```
/// use kosli_core::provenance::{CiDefaults, CiSystem};
/// let env = [
///     ("GITHUB_RUN_NUMBER", "17"), ("GITHUB_RUN_ID", "987654321"),
///     ("GITHUB_SHA", "3e74850331dadafd9a390fa2be410e026122fd3c"),
///     ("GITHUB_SERVER_URL", "https://github.com"), ("GITHUB_REPOSITORY", "acme/app"),
/// ];
/// let d = CiDefaults::from_env(&env);
/// assert_eq!(d.system, Some(CiSystem::GitHub));
/// assert_eq!(d.build_url, "https://github.com/acme/app/actions/runs/987654321");
/// assert_eq!(d.commit_url, "https://github.com/acme/app/commit/3e74850331dadafd9a390fa2be410e026122fd3c");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CiDefaults {
    /// The CI system detected (even when its defaults are switched off).
    pub system: Option<CiSystem>,
    /// `--commit` (`--git-commit`): the commit the CI built.
    pub commit: String,
    /// `--build-url`, also the `--origin-url` default of attestations and trails.
    pub build_url: String,
    /// `--commit-url`: built from the CI's commit, whatever `--commit` says.
    pub commit_url: String,
    /// `--repository` (a short name in some CIs, e.g. GitLab's `CI_PROJECT_NAME`).
    pub repository: String,
    /// `--repo-id`.
    pub repo_id: String,
    /// `--repo-url`.
    pub repo_url: String,
    /// `--repo-provider`.
    pub repo_provider: String,
}

impl CiDefaults {
    /// The defaults for the CI system `env` belongs to.
    pub fn from_env(env: &dyn EnvLookup) -> CiDefaults {
        let system = CiSystem::detect(env);
        let mut defaults = match system {
            Some(ci) if !defaults_disabled(env) => Self::for_system(ci, env),
            _ => CiDefaults::default(),
        };
        defaults.system = system;
        defaults
    }

    /// The defaults of `ci`, read from `env` without detection.
    pub fn for_system(ci: CiSystem, env: &dyn EnvLookup) -> CiDefaults {
        let v = |name: &str| env.get(name);
        let mut d = CiDefaults {
            system: Some(ci),
            ..CiDefaults::default()
        };
        match ci {
            CiSystem::GitHub => {
                let (server, repo, sha) = (
                    v("GITHUB_SERVER_URL"),
                    v("GITHUB_REPOSITORY"),
                    v("GITHUB_SHA"),
                );
                d.commit_url = format!("{server}/{repo}/commit/{sha}");
                d.build_url = format!("{server}/{repo}/actions/runs/{}", v("GITHUB_RUN_ID"));
                d.repo_url = format!("{server}/{repo}");
                d.commit = sha;
                d.repository = repo;
                d.repo_id = v("GITHUB_REPOSITORY_ID");
                d.repo_provider = "github".into();
            }
            CiSystem::Bitbucket => {
                let (ws, slug, sha) = (
                    v("BITBUCKET_WORKSPACE"),
                    v("BITBUCKET_REPO_SLUG"),
                    v("BITBUCKET_COMMIT"),
                );
                d.commit_url = format!("https://bitbucket.org/{ws}/{slug}/commits/{sha}");
                d.build_url = format!(
                    "https://bitbucket.org/{ws}/{slug}/addon/pipelines/home#!/results/{}",
                    v("BITBUCKET_BUILD_NUMBER")
                );
                d.commit = sha;
                d.repository = slug;
                d.repo_id = v("BITBUCKET_REPO_UUID");
                d.repo_url = v("BITBUCKET_GIT_HTTP_ORIGIN");
                d.repo_provider = "bitbucket_cloud".into();
            }
            CiSystem::TeamCity => {
                d.commit = v("BUILD_VCS_NUMBER");
            }
            CiSystem::GitLab => {
                let (project_url, sha) = (v("CI_PROJECT_URL"), v("CI_COMMIT_SHA"));
                d.commit_url = format!("{project_url}/-/commit/{sha}");
                d.build_url = v("CI_JOB_URL");
                d.commit = sha;
                d.repository = v("CI_PROJECT_NAME");
                d.repo_id = v("CI_PROJECT_ID");
                d.repo_url = project_url;
                d.repo_provider = "gitlab".into();
            }
            CiSystem::AzureDevOps => {
                let (collection, project) = (v("SYSTEM_COLLECTIONURI"), v("SYSTEM_TEAMPROJECT"));
                let (name, sha) = (v("BUILD_REPOSITORY_NAME"), v("BUILD_SOURCEVERSION"));
                d.build_url = format!(
                    "{collection}{project}/_build/results?buildId={}",
                    v("BUILD_BUILDID")
                );
                d.commit_url = format!("{collection}{project}/_git/{name}/commit/{sha}");
                d.repo_provider = azure::provider(
                    &v("BUILD_REPOSITORY_PROVIDER"),
                    &Collection::parse(&collection),
                )
                .into();
                d.commit = sha;
                d.repository = name;
                d.repo_id = v("BUILD_REPOSITORY_ID");
                d.repo_url = v("BUILD_REPOSITORY_URI");
            }
            CiSystem::CircleCi => {
                let (repo_url, sha) = (v("CIRCLE_REPOSITORY_URL"), v("CIRCLE_SHA1"));
                d.commit_url = ci_commit_url(&repo_url, &sha);
                d.build_url = v("CIRCLE_BUILD_URL");
                d.commit = sha;
                d.repository = v("CIRCLE_PROJECT_REPONAME");
                d.repo_url = repo_url;
            }
            CiSystem::CodeBuild => {
                let (repo_url, sha) = (
                    v("CODEBUILD_SOURCE_REPO_URL"),
                    v("CODEBUILD_RESOLVED_SOURCE_VERSION"),
                );
                d.commit_url = ci_commit_url(&repo_url, &sha);
                d.build_url = v("CODEBUILD_BUILD_URL");
                d.commit = sha;
                d.repo_url = repo_url;
            }
            CiSystem::Jenkins => {
                let sha = v("GIT_COMMIT");
                d.commit_url = ci_commit_url(&v("GIT_URL"), &sha);
                d.build_url = v("BUILD_URL");
                d.commit = sha;
            }
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "3e74850331dadafd9a390fa2be410e026122fd3c";

    #[test]
    fn outside_ci_nothing_is_defaulted() {
        assert_eq!(
            CiDefaults::from_env(&[("PATH", "/bin")]),
            CiDefaults::default()
        );
    }

    #[test]
    fn kosli_tests_switches_defaults_off_but_keeps_the_system() {
        let d = CiDefaults::from_env(&[
            ("GITHUB_RUN_NUMBER", "1"),
            ("GITHUB_SHA", SHA),
            ("KOSLI_TESTS", ""),
        ]);
        assert_eq!(d.system, Some(CiSystem::GitHub));
        assert_eq!(d.commit, "");
        assert_eq!(d.build_url, "");
    }

    #[test]
    fn missing_variables_read_as_empty() {
        let d = CiDefaults::from_env(&[("GITHUB_RUN_NUMBER", "")]);
        assert_eq!(d.build_url, "//actions/runs/");
        let d = CiDefaults::from_env(&[("BITBUCKET_BUILD_NUMBER", "1")]);
        assert_eq!(
            d.build_url,
            "https://bitbucket.org///addon/pipelines/home#!/results/1"
        );
    }

    #[test]
    fn teamcity_defaults_only_the_commit() {
        let d = CiDefaults::from_env(&[("TEAMCITY_VERSION", "2023.1"), ("BUILD_VCS_NUMBER", SHA)]);
        assert_eq!(d.commit, SHA);
        assert_eq!(
            (
                d.build_url.as_str(),
                d.commit_url.as_str(),
                d.repo_url.as_str()
            ),
            ("", "", "")
        );
    }

    #[test]
    fn jenkins_commit_url_comes_from_git_url() {
        let d = CiDefaults::from_env(&[
            ("JENKINS_URL", "https://jenkins.example.com/"),
            ("GIT_COMMIT", SHA),
            ("GIT_URL", "https://user:pw@bitbucket.org/acme/app.git"),
            ("BUILD_URL", "https://jenkins.example.com/job/app/5/"),
        ]);
        assert_eq!(
            d.commit_url,
            format!("https://bitbucket.org/acme/app/commits/{SHA}")
        );
        assert_eq!(d.build_url, "https://jenkins.example.com/job/app/5/");
    }
}
