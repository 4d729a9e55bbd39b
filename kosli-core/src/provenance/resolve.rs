//! Provenance fully resolved (feature `git`): the plan's defaults plus the commit read from the
//! repository, ready for a payload, with the CLI's warnings.

use super::ci::CiSystem;
use super::commit_info::GitCommitInfo;
use super::env::EnvLookup;
use super::git::{GitError, GitRepo};
use super::input::{ProvenanceInput, ReportKind};
use super::plan::{CommitRequest, ProvenancePlan};
use super::repo_info::RepoInfo;
use crate::error::{Error, Result};

/// The provenance fields of an artifact report (`attest artifact`), in the CLI's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ArtifactProvenance {
    /// `git_commit`: the resolved sha.
    pub git_commit: String,
    /// `git_commit_info`.
    pub git_commit_info: GitCommitInfo,
    /// `repo_info`, when complete.
    pub repo_info: Option<RepoInfo>,
    /// `build_url`.
    pub build_url: String,
    /// `commit_url`.
    pub commit_url: String,
    /// `repo_url`: from the `origin` remote, `""` without one (with a warning).
    pub repo_url: String,
    /// The CI system detected.
    pub ci: Option<CiSystem>,
    /// Warnings to show the user, in the CLI's order and words (without `[warning] `).
    pub warnings: Vec<String>,
}

/// The provenance fields of an attestation or a trail, in the CLI's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttestationProvenance {
    /// `git_commit_info`, when a commit was given (or defaulted by CI) and could be read.
    pub git_commit_info: Option<GitCommitInfo>,
    /// `repo_info`, when complete.
    pub repo_info: Option<RepoInfo>,
    /// `origin_url`, when given or defaulted by CI.
    pub origin_url: Option<String>,
    /// The CI system detected.
    pub ci: Option<CiSystem>,
    /// Warnings to show the user, in the CLI's order and words (without `[warning] `).
    pub warnings: Vec<String>,
}

impl ProvenanceInput {
    /// Resolves provenance for `attest artifact`: CI defaults, the commit (`HEAD` by default),
    /// `repo_url` from the `origin` remote.
    ///
    /// Errors: those of [`plan`](Self::plan), then a repository or revision that cannot be read
    /// ([`GitError`], converted to [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput)
    /// naming `--repo-root` or `--commit`, with a hint such as fetching more history in a
    /// shallow clone).
    pub fn resolve_artifact(&self, env: &dyn EnvLookup) -> Result<ArtifactProvenance> {
        let plan = self.plan(ReportKind::Artifact, env)?;
        let rev = plan.commit.as_ref().map_or("HEAD", |c| c.rev.as_str());
        let repo = GitRepo::open_at(&self.repo_path(), &plan.repo_root)?;
        let info = repo.commit_info(rev, &plan.redact)?;
        let mut warnings = plan.warnings;
        let repo_url = repo.repo_url().unwrap_or_else(|why| {
            warnings.push(format!("Repo URL will not be reported, {why}"));
            String::new()
        });
        Ok(ArtifactProvenance {
            git_commit: info.sha1.clone(),
            git_commit_info: info,
            repo_info: plan.repo_info,
            build_url: plan.build_url,
            commit_url: plan.commit_url,
            repo_url,
            ci: plan.ci,
            warnings,
        })
    }

    /// Resolves provenance for an attestation (`attest generic`, `junit`, ...): commit info
    /// only when `--commit` is given or CI defaults it.
    ///
    /// A commit defaulted from CI that cannot be read, with `--repo-root` left at `.`, is a
    /// warning and no commit info (as in the CLI); otherwise it is an error that says to point
    /// `--repo-root` at a repository containing it.
    pub fn resolve_attestation(&self, env: &dyn EnvLookup) -> Result<AttestationProvenance> {
        // The CLI reads the commit before it checks the --repo-* flags.
        let commit = self.commit_request(ReportKind::Attestation, env);
        let root_is_default = self
            .repo_root
            .as_deref()
            .is_none_or(|p| p.as_os_str() == ".");
        let soft = root_is_default && commit.as_ref().is_some_and(|c| c.from_ci);
        let (info, commit_warnings) = self.read_commit(commit.as_ref(), soft)?;
        let plan = self.plan(ReportKind::Attestation, env)?;
        Ok(finish(plan, info, commit_warnings))
    }

    /// Resolves provenance for `begin trail`: as [`resolve_attestation`](Self::resolve_attestation),
    /// with the `--repo-*` flags checked before the commit is read, as the CLI does.
    pub fn resolve_trail(&self, env: &dyn EnvLookup) -> Result<AttestationProvenance> {
        let plan = self.plan(ReportKind::Trail, env)?;
        let (info, commit_warnings) =
            self.read_commit(plan.commit.as_ref(), plan.commit_failure_is_a_warning())?;
        Ok(finish(plan, info, commit_warnings))
    }

    fn read_commit(
        &self,
        commit: Option<&CommitRequest>,
        soft: bool,
    ) -> Result<(Option<GitCommitInfo>, Vec<String>)> {
        let Some(commit) = commit else {
            return Ok((None, Vec::new()));
        };
        let read = GitRepo::open_at(&self.repo_path(), self.effective_repo_root())
            .and_then(|repo| repo.commit_info(&commit.rev, &self.redact));
        match read {
            Ok(info) => Ok((Some(info), Vec::new())),
            Err(e) if soft => {
                tracing::debug!(rev = %commit.rev, error = %e, "CI commit unreadable; continuing without it");
                Ok((None, soft_failure_warnings(&commit.rev, &e)))
            }
            Err(e) => Err(commit_error(commit, &e)),
        }
    }
}

fn finish(
    plan: ProvenancePlan,
    info: Option<GitCommitInfo>,
    mut warnings: Vec<String>,
) -> AttestationProvenance {
    warnings.extend(plan.warnings);
    AttestationProvenance {
        git_commit_info: info,
        repo_info: plan.repo_info,
        origin_url: plan.origin_url,
        ci: plan.ci,
        warnings,
    }
}

const FROM_CI: &str = " (defaulted from the CI environment)";

/// The CLI's two warnings when a CI-defaulted commit cannot be read for an attestation.
fn soft_failure_warnings(rev: &str, e: &GitError) -> Vec<String> {
    vec![
        format!("proceeding without commit info: --commit {rev}{FROM_CI} could not be read: {}.", e.cli_message()),
        "Kosli binds an attestation reported before its artifact through this commit, so point --repo-root \
         at a repository containing it if that binding is needed."
            .to_string(),
    ]
}

/// The CLI's error for an unreadable commit of an attestation or trail, plus the hint for
/// shallow clones and empty repositories.
fn commit_error(commit: &CommitRequest, e: &GitError) -> Error {
    let from = if commit.from_ci { FROM_CI } else { "" };
    let mut message = format!(
        "failed to get commit info for --commit {}{from}: {}. Point --repo-root at a repository containing it",
        commit.rev,
        e.cli_message()
    );
    if let (false, Some(hint)) = (matches!(e, GitError::NotARepository { .. }), e.hint()) {
        message.push('\n');
        message.push_str(&hint);
    }
    Error::invalid_input(e.flag(), message)
}
