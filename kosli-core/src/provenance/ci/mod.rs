//! Which CI system a report runs in, and what the CLI takes from its environment (wire.md §8).
//!
//! Detection looks for one variable per system, in a fixed order, and the first one *set*
//! (even to an empty string) wins: `BITBUCKET_BUILD_NUMBER`, `GITHUB_RUN_NUMBER`,
//! `TEAMCITY_VERSION`, `GITLAB_CI`, `TF_BUILD`, `CIRCLECI`, `CODEBUILD_CI`, `JENKINS_URL`.
//! Two things come from the environment:
//! * flag defaults ([`CiDefaults`]): the commit, build URL, commit URL and the `--repo-*` values
//!   a flag takes when the user does not give it. Setting `KOSLI_TESTS` or `DOCS` (to anything)
//!   turns these off, as in the CLI;
//! * the CI's own description of the repository ([`ci_repo_info`]), the base that the
//!   `--repo-*` values are merged onto. `KOSLI_TESTS`/`DOCS` do not turn this off (CLI parity).
//!
//! Missing variables read as empty strings, so a half-set environment gives the same odd values
//! the CLI sends (`//actions/runs/` on GitHub without `GITHUB_SERVER_URL`, ...).

mod azure;
mod defaults;
mod repo;

pub use defaults::CiDefaults;
pub use repo::{ci_repo_info, UnsupportedCi};

use std::fmt;

use super::env::EnvLookup;

/// A CI system the CLI recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CiSystem {
    /// Bitbucket Pipelines (`BITBUCKET_BUILD_NUMBER`).
    Bitbucket,
    /// GitHub Actions (`GITHUB_RUN_NUMBER`; `GITHUB_ACTIONS` is not what detects it).
    GitHub,
    /// TeamCity (`TEAMCITY_VERSION`).
    TeamCity,
    /// GitLab CI (`GITLAB_CI`).
    GitLab,
    /// Azure DevOps Pipelines (`TF_BUILD`).
    AzureDevOps,
    /// CircleCI (`CIRCLECI`).
    CircleCi,
    /// AWS CodeBuild (`CODEBUILD_CI`).
    CodeBuild,
    /// Jenkins (`JENKINS_URL`).
    Jenkins,
}

impl CiSystem {
    /// Every system with the variable that detects it, in detection order.
    pub const DETECTION_ORDER: [(CiSystem, &'static str); 8] = [
        (CiSystem::Bitbucket, "BITBUCKET_BUILD_NUMBER"),
        (CiSystem::GitHub, "GITHUB_RUN_NUMBER"),
        (CiSystem::TeamCity, "TEAMCITY_VERSION"),
        (CiSystem::GitLab, "GITLAB_CI"),
        (CiSystem::AzureDevOps, "TF_BUILD"),
        (CiSystem::CircleCi, "CIRCLECI"),
        (CiSystem::CodeBuild, "CODEBUILD_CI"),
        (CiSystem::Jenkins, "JENKINS_URL"),
    ];

    /// The CI system the environment belongs to, if any.
    ///
    /// ```
    /// use kosli_core::provenance::CiSystem;
    /// let env = [("GITHUB_RUN_NUMBER", "17"), ("GITLAB_CI", "true")];
    /// assert_eq!(CiSystem::detect(&env), Some(CiSystem::GitHub));
    /// assert_eq!(CiSystem::detect(&[("CI", "true")]), None);
    /// ```
    pub fn detect(env: &dyn EnvLookup) -> Option<CiSystem> {
        Self::DETECTION_ORDER
            .iter()
            .find(|(_, var)| env.is_set(var))
            .map(|(ci, _)| *ci)
    }

    /// The name the CLI uses in its messages (`Github`, `Code Build`, ...).
    pub fn cli_name(self) -> &'static str {
        match self {
            CiSystem::Bitbucket => "Bitbucket",
            CiSystem::GitHub => "Github",
            CiSystem::TeamCity => "Teamcity",
            CiSystem::GitLab => "Gitlab",
            CiSystem::AzureDevOps => "Azure Devops",
            CiSystem::CircleCi => "CircleCI",
            CiSystem::CodeBuild => "Code Build",
            CiSystem::Jenkins => "Jenkins",
        }
    }
}

impl fmt::Display for CiSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

/// Whether CI defaulting of flags is switched off (`KOSLI_TESTS` or `DOCS` set).
pub(crate) fn defaults_disabled(env: &dyn EnvLookup) -> bool {
    env.is_set("KOSLI_TESTS") || env.is_set("DOCS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_follows_the_cli_order() {
        assert_eq!(
            CiSystem::detect(&[("GITHUB_RUN_NUMBER", "1"), ("BITBUCKET_BUILD_NUMBER", "1")]),
            Some(CiSystem::Bitbucket)
        );
        assert_eq!(
            CiSystem::detect(&[("TEAMCITY_VERSION", "1"), ("GITHUB_RUN_NUMBER", "1")]),
            Some(CiSystem::GitHub)
        );
        assert_eq!(
            CiSystem::detect(&[("GITLAB_CI", "1"), ("TEAMCITY_VERSION", "1")]),
            Some(CiSystem::TeamCity)
        );
        assert_eq!(
            CiSystem::detect(&[
                ("JENKINS_URL", "1"),
                ("CODEBUILD_CI", "1"),
                ("CIRCLECI", "1"),
                ("TF_BUILD", "1"),
                ("GITLAB_CI", "1")
            ]),
            Some(CiSystem::GitLab)
        );
        assert_eq!(
            CiSystem::detect(&[
                ("JENKINS_URL", "1"),
                ("CODEBUILD_CI", "1"),
                ("CIRCLECI", "1"),
                ("TF_BUILD", "1")
            ]),
            Some(CiSystem::AzureDevOps)
        );
        assert_eq!(
            CiSystem::detect(&[
                ("JENKINS_URL", "1"),
                ("CODEBUILD_CI", "1"),
                ("CIRCLECI", "1")
            ]),
            Some(CiSystem::CircleCi)
        );
        assert_eq!(
            CiSystem::detect(&[("JENKINS_URL", "1"), ("CODEBUILD_CI", "1")]),
            Some(CiSystem::CodeBuild)
        );
        assert_eq!(
            CiSystem::detect(&[("JENKINS_URL", "")]),
            Some(CiSystem::Jenkins)
        );
    }

    #[test]
    fn github_actions_alone_is_not_github() {
        assert_eq!(CiSystem::detect(&[("GITHUB_ACTIONS", "true")]), None);
        assert_eq!(
            CiSystem::detect(&[("GITHUB_RUN_NUMBER", "")]),
            Some(CiSystem::GitHub)
        );
    }

    #[test]
    fn kosli_tests_and_docs_switch_defaults_off() {
        assert!(defaults_disabled(&[("KOSLI_TESTS", "")]));
        assert!(defaults_disabled(&[("DOCS", "1")]));
        assert!(!defaults_disabled(&[("CI", "1")]));
    }
}
