//! Explicit values merged with CI defaults: everything about provenance that needs no git
//! repository (URLs, `repo_info`, which commit to read), checked as the CLI checks it.

use std::path::PathBuf;

use super::ci::{ci_repo_info, CiDefaults, CiSystem};
use super::env::EnvLookup;
use super::input::{ProvenanceInput, ReportKind};
use super::redact::Redactions;
use super::repo_info::{
    merge_repo_info, validate_repo_provider, validate_repo_url, RepoFlags, RepoInfo,
    REPO_INFO_INCOMPLETE_WARNING,
};
use crate::error::{Error, Result};

/// The commit to read, and where its name came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitRequest {
    /// The revision (`HEAD`, a sha, a branch ...).
    pub rev: String,
    /// Whether it is the CI system's commit rather than one the user gave. The CLI says
    /// `(defaulted from the CI environment)` about such a commit, and for attestations and trails
    /// an unreadable one (with `--repo-root` left at `.`) is a warning, not an error.
    pub from_ci: bool,
}

/// Provenance with every default applied, before the git repository is read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProvenancePlan {
    /// What the provenance is for.
    pub kind: ReportKind,
    /// The CI system detected, if any.
    pub ci: Option<CiSystem>,
    /// The commit to read; always set for artifacts (`HEAD` by default).
    pub commit: Option<CommitRequest>,
    /// The git repository to read it from.
    pub repo_root: PathBuf,
    /// Whether `--repo-root` was left at `.` (given as exactly `.` counts too, as in the CLI).
    pub repo_root_is_default: bool,
    /// The commit fields to redact.
    pub redact: Redactions,
    /// `build_url` (artifacts; empty for other kinds).
    pub build_url: String,
    /// `commit_url` (artifacts; empty for other kinds). A CI default points at the CI's commit
    /// even when `--commit` names another one, as in the CLI.
    pub commit_url: String,
    /// `origin_url` (attestations and trails), `None` when empty.
    pub origin_url: Option<String>,
    /// `repo_info`, when id, name and URL are all known.
    pub repo_info: Option<RepoInfo>,
    /// Warnings about the repository information, in the CLI's order and words.
    pub warnings: Vec<String>,
}

impl ProvenancePlan {
    /// Whether failing to read the commit should only warn: attestations and trails whose
    /// commit came from CI while `--repo-root` was left at `.`.
    pub fn commit_failure_is_a_warning(&self) -> bool {
        self.kind != ReportKind::Artifact
            && self.repo_root_is_default
            && self.commit.as_ref().is_some_and(|c| c.from_ci)
    }
}

impl ProvenanceInput {
    /// The flags an artifact report needs that neither the user nor CI gave (`build-url`,
    /// `commit-url`), so a command can name them with its own missing flags, as the CLI does.
    pub fn missing_required(&self, kind: ReportKind, env: &dyn EnvLookup) -> Vec<&'static str> {
        self.missing_with(kind, &CiDefaults::from_env(env))
    }

    fn missing_with(&self, kind: ReportKind, defaults: &CiDefaults) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if kind == ReportKind::Artifact {
            if self.build_url.is_none() && defaults.build_url.is_empty() {
                missing.push("build-url");
            }
            if self.commit_url.is_none() && defaults.commit_url.is_empty() {
                missing.push("commit-url");
            }
        }
        missing
    }

    /// The commit to read: `--commit`, else the CI's commit, else `HEAD` for artifacts and
    /// nothing for attestations and trails.
    pub fn commit_request(&self, kind: ReportKind, env: &dyn EnvLookup) -> Option<CommitRequest> {
        self.commit_with(kind, &CiDefaults::from_env(env))
    }

    fn commit_with(&self, kind: ReportKind, defaults: &CiDefaults) -> Option<CommitRequest> {
        if let Some(rev) = &self.commit {
            return (kind == ReportKind::Artifact || !rev.is_empty()).then(|| CommitRequest {
                rev: rev.clone(),
                from_ci: false,
            });
        }
        if !defaults.commit.is_empty() {
            return Some(CommitRequest {
                rev: defaults.commit.clone(),
                from_ci: true,
            });
        }
        (kind == ReportKind::Artifact).then(|| CommitRequest {
            rev: "HEAD".into(),
            from_ci: false,
        })
    }

    /// Checks the `--repo-*` values and applies CI defaults (wire.md §3, §8).
    ///
    /// Errors, in the CLI's words: an artifact without a build or commit URL
    /// (`required flag(s) "build-url", "commit-url" not set`), a `--repo-url` that is not a URL,
    /// a `--repo-provider` not in [`REPO_PROVIDERS`](super::REPO_PROVIDERS).
    ///
    /// ```
    /// use kosli_core::provenance::{ProvenanceInput, ReportKind};
    /// let env = [
    ///     ("GITLAB_CI", "true"), ("CI_COMMIT_SHA", "3e74850331dadafd9a390fa2be410e026122fd3c"),
    ///     ("CI_JOB_URL", "https://gitlab.com/acme/app/-/jobs/77"),
    /// ];
    /// let plan = ProvenanceInput::new().plan(ReportKind::Trail, &env)?;
    /// assert_eq!(plan.origin_url.as_deref(), Some("https://gitlab.com/acme/app/-/jobs/77"));
    /// assert!(plan.commit.unwrap().from_ci);
    /// assert_eq!(plan.repo_info, None); // no project id, path or URL
    /// # Ok::<(), kosli_core::Error>(())
    /// ```
    pub fn plan(&self, kind: ReportKind, env: &dyn EnvLookup) -> Result<ProvenancePlan> {
        let defaults = CiDefaults::from_env(env);
        let missing = self.missing_with(kind, &defaults);
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|m| format!("\"{m}\"")).collect();
            return Err(Error::invalid_input(
                missing.join(","),
                format!("required flag(s) {} not set", names.join(", ")),
            ));
        }
        if let Some(url) = &self.repo_url {
            validate_repo_url(url)?;
        }
        let flags = RepoFlags {
            id: pick(&self.repo_id, &defaults.repo_id),
            name: pick(&self.repository, &defaults.repository),
            name_explicit: self.repository.is_some(),
            url: pick(&self.repo_url, &defaults.repo_url),
            provider: pick(&self.repo_provider, &defaults.repo_provider),
        };
        validate_repo_provider(&flags.provider)?;

        let mut warnings = Vec::new();
        let base = ci_repo_info(env).unwrap_or_else(|unsupported| {
            warnings.push(unsupported.to_string());
            None
        });
        let repo_info = merge_repo_info(base, &flags);
        if repo_info.is_none() {
            warnings.push(REPO_INFO_INCOMPLETE_WARNING.to_string());
        }

        let artifact = kind == ReportKind::Artifact;
        let origin_url = (!artifact)
            .then(|| pick(&self.origin_url, &defaults.build_url))
            .filter(|u| !u.is_empty());
        Ok(ProvenancePlan {
            kind,
            ci: defaults.system,
            commit: self.commit_with(kind, &defaults),
            repo_root: self.effective_repo_root().to_path_buf(),
            repo_root_is_default: self
                .repo_root
                .as_deref()
                .is_none_or(|p| p.as_os_str() == "."),
            redact: self.redact,
            build_url: if artifact {
                pick(&self.build_url, &defaults.build_url)
            } else {
                String::new()
            },
            commit_url: if artifact {
                pick(&self.commit_url, &defaults.commit_url)
            } else {
                String::new()
            },
            origin_url,
            repo_info,
            warnings,
        })
    }
}

/// The explicit value if given (even empty), else the default.
fn pick(explicit: &Option<String>, default: &str) -> String {
    explicit.clone().unwrap_or_else(|| default.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const SHA: &str = "3e74850331dadafd9a390fa2be410e026122fd3c";
    const PREV: &str = "8d575ff0dabd97f377d896e6645025b44b8f2011";

    fn github() -> Vec<(&'static str, &'static str)> {
        vec![
            ("GITHUB_RUN_NUMBER", "17"),
            ("GITHUB_RUN_ID", "987654321"),
            ("GITHUB_SHA", SHA),
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/app"),
            ("GITHUB_REPOSITORY_ID", "555111"),
        ]
    }

    #[test]
    fn artifact_outside_ci_requires_both_urls_in_the_cli_words() {
        let e = ProvenanceInput::new()
            .plan(ReportKind::Artifact, &[("HOME", "/root")])
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            e.to_string(),
            r#"required flag(s) "build-url", "commit-url" not set"#
        );
        let e = ProvenanceInput::new()
            .build_url("b")
            .plan(ReportKind::Artifact, &[("HOME", "/")])
            .unwrap_err();
        assert_eq!(e.to_string(), r#"required flag(s) "commit-url" not set"#);
        let missing = ProvenanceInput::new()
            .missing_required(ReportKind::Artifact, &[("TEAMCITY_VERSION", "1")]);
        assert_eq!(missing, ["build-url", "commit-url"]);
        assert!(ProvenanceInput::new()
            .missing_required(ReportKind::Trail, &[("HOME", "/")])
            .is_empty());
    }

    #[test]
    fn explicit_commit_keeps_the_ci_commit_url() {
        let plan = ProvenanceInput::new()
            .commit("HEAD~1")
            .plan(ReportKind::Artifact, &github())
            .unwrap();
        assert_eq!(
            plan.commit,
            Some(CommitRequest {
                rev: "HEAD~1".into(),
                from_ci: false
            })
        );
        assert_eq!(
            plan.commit_url,
            format!("https://github.com/acme/app/commit/{SHA}")
        );
        assert_eq!(
            plan.build_url,
            "https://github.com/acme/app/actions/runs/987654321"
        );
        assert!(plan.warnings.is_empty());
    }

    #[test]
    fn explicit_values_win_over_ci() {
        let input = ProvenanceInput::new()
            .build_url("https://b")
            .commit_url("https://c")
            .repo_url("https://r.example.com/x")
            .repo_id("7")
            .repo_provider("gitlab");
        let plan = input.plan(ReportKind::Artifact, &github()).unwrap();
        assert_eq!(
            (plan.build_url.as_str(), plan.commit_url.as_str()),
            ("https://b", "https://c")
        );
        let info = plan.repo_info.unwrap();
        assert_eq!(
            (
                info.url.as_str(),
                info.name.as_str(),
                info.id.as_str(),
                info.provider.as_str()
            ),
            ("https://r.example.com/x", "acme/app", "7", "gitlab")
        );
        let plan = ProvenanceInput::new()
            .origin_url("https://o")
            .plan(ReportKind::Trail, &github())
            .unwrap();
        assert_eq!(plan.origin_url.as_deref(), Some("https://o"));
    }

    #[test]
    fn commit_defaults_per_kind() {
        let none: [(&str, &str); 0] = [];
        assert_eq!(
            ProvenanceInput::new()
                .commit_request(ReportKind::Artifact, &none)
                .unwrap()
                .rev,
            "HEAD"
        );
        assert_eq!(
            ProvenanceInput::new().commit_request(ReportKind::Attestation, &none),
            None
        );
        let tc = [("TEAMCITY_VERSION", "1"), ("BUILD_VCS_NUMBER", PREV)];
        assert_eq!(
            ProvenanceInput::new().commit_request(ReportKind::Trail, &tc),
            Some(CommitRequest {
                rev: PREV.into(),
                from_ci: true
            })
        );
        let with_tests = [
            ("TEAMCITY_VERSION", "1"),
            ("BUILD_VCS_NUMBER", PREV),
            ("KOSLI_TESTS", "1"),
        ];
        assert_eq!(
            ProvenanceInput::new().commit_request(ReportKind::Trail, &with_tests),
            None
        );
    }

    #[test]
    fn soft_commit_failure_only_for_ci_commit_and_default_root() {
        let env = github();
        let plan = ProvenanceInput::new()
            .plan(ReportKind::Attestation, &env)
            .unwrap();
        assert!(plan.commit_failure_is_a_warning());
        let plan = ProvenanceInput::new()
            .repo_root(".")
            .plan(ReportKind::Attestation, &env)
            .unwrap();
        assert!(plan.commit_failure_is_a_warning());
        let plan = ProvenanceInput::new()
            .repo_root("./")
            .plan(ReportKind::Attestation, &env)
            .unwrap();
        assert!(!plan.commit_failure_is_a_warning());
        let plan = ProvenanceInput::new()
            .commit(SHA)
            .plan(ReportKind::Attestation, &env)
            .unwrap();
        assert!(!plan.commit_failure_is_a_warning());
        let plan = ProvenanceInput::new()
            .plan(ReportKind::Artifact, &env)
            .unwrap();
        assert!(!plan.commit_failure_is_a_warning());
    }

    #[test]
    fn unsupported_ci_and_incomplete_repo_warnings_in_order() {
        let env = [("JENKINS_URL", "x"), ("BUILD_URL", "https://j/1")];
        let plan = ProvenanceInput::new()
            .plan(ReportKind::Attestation, &env)
            .unwrap();
        assert_eq!(
            plan.warnings,
            [
                "failed to get git repo info. unsupported CI: Jenkins",
                "Repo information will not be reported as ID, Name and URL are required."
            ]
        );
        assert_eq!(plan.origin_url.as_deref(), Some("https://j/1"));
    }

    #[test]
    fn repo_url_is_checked_only_when_given() {
        let e = ProvenanceInput::new()
            .repo_url("bad")
            .plan(ReportKind::Trail, &[("HOME", "/")])
            .unwrap_err();
        assert_eq!(e.to_string(), "--repo-url 'bad' is not a valid URL");
        let env = [
            ("GITLAB_CI", "1"),
            ("CI_PROJECT_URL", "bad"),
            ("CI_PROJECT_PATH", "a/b"),
            ("CI_PROJECT_ID", "1"),
        ];
        let plan = ProvenanceInput::new()
            .plan(ReportKind::Trail, &env)
            .unwrap();
        assert_eq!(plan.repo_info.unwrap().url, "bad");
        let e = ProvenanceInput::new()
            .repo_provider("bogus")
            .plan(ReportKind::Trail, &env)
            .unwrap_err();
        assert!(e
            .to_string()
            .starts_with("--repo-provider 'bogus' is not allowed."));
    }

    #[test]
    fn kosli_tests_keeps_ci_repo_info() {
        // The CLI switches flag defaults off but still reads the CI's repository description.
        let mut env = github();
        env.push(("KOSLI_TESTS", ""));
        let plan = ProvenanceInput::new()
            .plan(ReportKind::Trail, &env)
            .unwrap();
        assert_eq!(plan.origin_url, None);
        assert_eq!(plan.commit, None);
        assert_eq!(plan.repo_info.unwrap().id, "555111");
    }
}
