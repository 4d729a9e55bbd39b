//! Provenance: where a report came from — the commit, the repository, the build — exactly as
//! the official CLI v2.43.1 reports it (wire.md §3 and §8).
//!
//! Data flows one way:
//! 1. [`ProvenanceInput`]: what the user gave (the CLI's `--commit`, `--repo-root`,
//!    `--build-url`, `--commit-url`, `--repo-id`, `--repository`, `--repo-url`,
//!    `--repo-provider`, `--redact-commit-info`, `--origin-url`);
//! 2. the CI environment, read through an injectable [`EnvLookup`] (never `std::env` directly,
//!    so tests and embedders control it): [`CiSystem`] detection, [`CiDefaults`] for the flags,
//!    [`ci_repo_info`] for the repository;
//! 3. [`ProvenanceInput::plan`]: explicit values win, CI fills the rest, `repo_info` is merged
//!    and kept only when complete ([`merge_repo_info`]); no git needed;
//! 4. with the `git` feature, [`ProvenanceInput::resolve_artifact`],
//!    [`resolve_attestation`](ProvenanceInput::resolve_attestation) and
//!    [`resolve_trail`](ProvenanceInput::resolve_trail) read the commit with [`GitRepo`] and
//!    give the payload fields ([`GitCommitInfo`], [`RepoInfo`], URLs) and the CLI's warnings.
//!
//! [`external_urls`] assembles `external_urls` from `--external-url`/`--external-fingerprint`.
//!
//! The payload types serialize with serde in the CLI's field order and omissions. Go escapes
//! `<`, `>` and `&` in JSON strings (`Alice \u003calice@example.com\u003e`): write the wire
//! JSON with [`crate::model::go_json`], not plain `serde_json`.
//!
//! ```
//! use kosli_core::provenance::{ProvenanceInput, ReportKind};
//! let env = [
//!     ("GITHUB_RUN_NUMBER", "17"), ("GITHUB_RUN_ID", "987654321"),
//!     ("GITHUB_SHA", "3e74850331dadafd9a390fa2be410e026122fd3c"),
//!     ("GITHUB_SERVER_URL", "https://github.com"), ("GITHUB_REPOSITORY", "acme/app"),
//!     ("GITHUB_REPOSITORY_ID", "555111"),
//! ];
//! let plan = ProvenanceInput::new().plan(ReportKind::Artifact, &env)?;
//! assert_eq!(plan.build_url, "https://github.com/acme/app/actions/runs/987654321");
//! assert_eq!(
//!     kosli_core::model::go_json::to_string(&plan.repo_info)?,
//!     r#"{"url":"https://github.com/acme/app","name":"acme/app","id":"555111","provider":"github"}"#
//! );
//! # Ok::<(), kosli_core::Error>(())
//! ```

mod ci;
mod commit_info;
mod env;
mod external_urls;
mod gourl;
mod input;
mod plan;
mod redact;
mod remote_url;
mod repo_info;

#[cfg(feature = "git")]
mod git;
#[cfg(feature = "git")]
mod resolve;

pub use ci::{ci_repo_info, CiDefaults, CiSystem, UnsupportedCi};
pub use commit_info::{GitCommitInfo, REDACTED};
pub use env::{EnvFn, EnvLookup, ProcessEnv};
pub use external_urls::{external_urls, ExternalUrl, ExternalUrls};
pub use input::{ProvenanceInput, ReportKind};
pub use plan::{CommitRequest, ProvenancePlan};
pub use redact::{Redact, Redactions};
pub use remote_url::{commit_url_for, repo_url_from_remote, RemoteUrlError};
pub use repo_info::{
    merge_repo_info, validate_repo_provider, validate_repo_url, RepoFlags, RepoInfo,
    REPO_INFO_INCOMPLETE_WARNING, REPO_PROVIDERS,
};

#[cfg(feature = "git")]
pub use git::{GitError, GitRepo};
#[cfg(feature = "git")]
pub use resolve::{ArtifactProvenance, AttestationProvenance};
