//! Attest an artifact: `POST /api/v2/artifacts/{org}/{flow}` with the artifact's fingerprint,
//! name, commit, build and commit URLs, the trail and its template name (wire.md §2.3).
//!
//! The fingerprint comes from an [`ArtifactRef`] (built once and reused for every report about
//! the artifact), from a file or directory fingerprinted here ([`AttestArtifact::from_path`]),
//! or from a given [`Fingerprint`].
//!
//! ```no_run
//! # #[cfg(feature = "git")]
//! # async fn demo(client: kosli_core::Client) -> kosli_core::Result<()> {
//! use kosli_core::ops::attest_artifact::AttestArtifact;
//! use kosli_core::provenance::{ProcessEnv, ProvenanceInput};
//! use kosli_core::ArtifactType;
//! let provenance = ProvenanceInput::new()
//!     .build_url("https://ci.example.com/build/42")
//!     .commit_url("https://github.com/acme/app/commit/3e74850")
//!     .resolve_artifact(&ProcessEnv)?;
//! let attest = AttestArtifact::from_path("payments-api-server", "release-42", "app", "target/app", ArtifactType::File, &[])?
//!     .provenance(&provenance)
//!     .annotate("team", "payments")?;
//! client.attest_artifact(&attest).await?;
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::flows::base_name;
use crate::artifact::{ArtifactRef, ArtifactType};
use crate::client::{Client, Outcome, Request};
use crate::error::{Error, Result};
use crate::fingerprint::{Fingerprint, Fingerprinter};
use crate::operations;
use crate::provenance::{ExternalUrls, GitCommitInfo, RepoInfo};

/// `kosli attest artifact`: reports an artifact to a trail of a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct AttestArtifact {
    flow: String,
    fingerprint: Fingerprint,
    filename: String,
    git_commit: String,
    git_commit_info: Option<GitCommitInfo>,
    repo_info: Option<RepoInfo>,
    build_url: String,
    commit_url: String,
    repo_url: String,
    template_reference_name: String,
    trail_name: String,
    external_urls: ExternalUrls,
    annotations: BTreeMap<String, String>,
}

/// The JSON body, in the CLI's field order and omissions.
#[derive(Serialize)]
struct Payload<'a> {
    fingerprint: String,
    filename: &'a str,
    git_commit: &'a str,
    // The CLI always has it (its commit defaults to HEAD); a caller without git may not.
    #[serde(skip_serializing_if = "Option::is_none")]
    git_commit_info: Option<&'a GitCommitInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repo_info: Option<&'a RepoInfo>,
    build_url: &'a str,
    commit_url: &'a str,
    repo_url: &'a str,
    template_reference_name: &'a str,
    trail_name: &'a str,
    #[serde(skip_serializing_if = "ExternalUrls::is_empty")]
    external_urls: &'a ExternalUrls,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    annotations: &'a BTreeMap<String, String>,
}

impl AttestArtifact {
    /// `artifact` (its name becomes `filename`) as the template's artifact `name` in `trail`.
    pub fn new(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: impl Into<String>,
        artifact: &ArtifactRef,
    ) -> Self {
        Self::with_fingerprint(flow, trail, name, artifact.fingerprint(), artifact.name())
    }

    /// An artifact known by its fingerprint, shown as `filename` (the CLI's `--fingerprint`
    /// with the artifact argument, or `--display-name`).
    pub fn with_fingerprint(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: impl Into<String>,
        fingerprint: Fingerprint,
        filename: impl Into<String>,
    ) -> Self {
        AttestArtifact {
            flow: flow.into(),
            fingerprint,
            filename: filename.into(),
            git_commit: String::new(),
            git_commit_info: None,
            repo_info: None,
            build_url: String::new(),
            commit_url: String::new(),
            repo_url: String::new(),
            template_reference_name: name.into(),
            trail_name: trail.into(),
            external_urls: ExternalUrls::new(),
            annotations: BTreeMap::new(),
        }
    }

    /// A file or directory fingerprinted here (`kind` is [`ArtifactType::File`] or
    /// [`ArtifactType::Dir`]; `excludes` apply to directories), named by its base name as the
    /// CLI names it.
    pub fn from_path(
        flow: impl Into<String>,
        trail: impl Into<String>,
        name: impl Into<String>,
        path: impl AsRef<Path>,
        kind: ArtifactType,
        excludes: &[&str],
    ) -> Result<Self> {
        let path = path.as_ref();
        let fingerprinter = Fingerprinter::new().excludes(excludes.iter().copied());
        let fingerprint = match kind {
            ArtifactType::File => fingerprinter.file(path)?,
            ArtifactType::Dir => fingerprinter.dir(path)?,
            other => {
                return Err(Error::invalid_input(
                    "artifact type",
                    format!("--artifact-type {other} is not fingerprinted from a path by the SDK yet: give the fingerprint"),
                ))
            }
        };
        Ok(Self::with_fingerprint(
            flow,
            trail,
            name,
            fingerprint,
            base_name(path),
        ))
    }

    /// The name shown for the artifact (the CLI's `--display-name`).
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.filename = name.into();
        self
    }

    /// The commit (its sha is also sent as `git_commit`).
    pub fn git_commit_info(mut self, info: GitCommitInfo) -> Self {
        self.git_commit = info.sha1.clone();
        self.git_commit_info = Some(info);
        self
    }

    /// The repository; sent only when its id, name and URL are all known (the CLI's rule).
    pub fn repo_info(mut self, info: RepoInfo) -> Self {
        self.repo_info = Some(info);
        self
    }

    /// The URL of the CI build that made the artifact.
    pub fn build_url(mut self, url: impl Into<String>) -> Self {
        self.build_url = url.into();
        self
    }

    /// The URL of the commit the artifact was built from.
    pub fn commit_url(mut self, url: impl Into<String>) -> Self {
        self.commit_url = url.into();
        self
    }

    /// The repository's web URL (the CLI takes it from the `origin` remote).
    pub fn repo_url(mut self, url: impl Into<String>) -> Self {
        self.repo_url = url.into();
        self
    }

    /// Everything the provenance module resolved: commit, repository, build, commit and
    /// repository URLs.
    #[cfg(feature = "git")]
    pub fn provenance(mut self, p: &crate::provenance::ArtifactProvenance) -> Self {
        self.git_commit = p.git_commit.clone();
        self.git_commit_info = Some(p.git_commit_info.clone());
        self.repo_info = p.repo_info.clone();
        self.build_url = p.build_url.clone();
        self.commit_url = p.commit_url.clone();
        self.repo_url = p.repo_url.clone();
        self
    }

    /// Labelled links to external resources.
    pub fn external_urls(mut self, urls: ExternalUrls) -> Self {
        self.external_urls = urls;
        self
    }

    /// Adds an annotation; the key must match `[A-Za-z0-9_]+` (the CLI's rule and words).
    pub fn annotate(mut self, key: impl Into<String>, value: impl Into<String>) -> Result<Self> {
        let key = check_annotation_key(key.into())?;
        self.annotations.insert(key, value.into());
        Ok(self)
    }

    /// The flow.
    pub fn flow(&self) -> &str {
        &self.flow
    }

    /// The fingerprint.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }

    /// The name shown for the artifact (`filename` on the wire).
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The request the CLI would send.
    pub fn request(&self) -> Result<Request> {
        if self.template_reference_name.is_empty() {
            return Err(Error::invalid_input(
                "name",
                "the artifact's template name must not be empty",
            ));
        }
        Request::new(&operations::ATTEST_ARTIFACT)
            .param("flow", self.flow.as_str())
            .json(&Payload {
                fingerprint: self.fingerprint.to_string(),
                filename: &self.filename,
                git_commit: &self.git_commit,
                git_commit_info: self.git_commit_info.as_ref(),
                repo_info: self.repo_info.as_ref().filter(|r| r.is_complete()),
                build_url: &self.build_url,
                commit_url: &self.commit_url,
                repo_url: &self.repo_url,
                template_reference_name: &self.template_reference_name,
                trail_name: &self.trail_name,
                external_urls: &self.external_urls,
                annotations: &self.annotations,
            })
    }
}

/// The CLI's rule for annotation keys, `[A-Za-z0-9_]+`, with its message.
pub fn check_annotation_key(key: String) -> Result<String> {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Ok(key);
    }
    Err(Error::invalid_input(
        "annotate",
        format!("--annotate flag should be in the format key=value. Invalid key: '{key}'. Key can only contain [A-Za-z0-9_]"),
    ))
}

impl Client {
    /// Reports an artifact (`kosli attest artifact`).
    pub async fn attest_artifact(&self, artifact: &AttestArtifact) -> Result<Outcome> {
        self.write(&artifact.request()?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Body;
    use crate::provenance::external_urls;

    const FP: &str = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef";
    const SHA: &str = "3e74850331dadafd9a390fa2be410e026122fd3c";

    fn body(r: &Request) -> String {
        match r.body() {
            Body::Json(b) => String::from_utf8(b.to_vec()).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    fn commit() -> GitCommitInfo {
        GitCommitInfo {
            sha1: SHA.into(),
            message: "second commit: add feature\n\nbody line".into(),
            author: "Alice Dev <alice@example.com>".into(),
            timestamp: 1717327800,
            branch: "main".into(),
            url: Some(format!("https://github.com/acme/app/commit/{SHA}")),
        }
    }

    #[test]
    fn a_file_matches_the_capture() {
        // Capture attest_artifact_file (CLI v2.43.1): the file's bytes are `binary-ish artifact\n`.
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("app.bin");
        std::fs::write(&f, "binary-ish artifact\n").unwrap();
        let a =
            AttestArtifact::from_path("demo-flow", "trail-1", "app", &f, ArtifactType::File, &[])
                .unwrap()
                .git_commit_info(commit())
                .build_url("https://ci.example.com/build/42")
                .commit_url(format!("https://github.com/acme/app/commit/{SHA}"))
                .repo_url("https://github.com/acme/app");
        let r = a.request().unwrap();
        assert_eq!(
            r.render_path(Some("acme")).unwrap(),
            "api/v2/artifacts/acme/demo-flow"
        );
        assert_eq!(
            body(&r),
            format!(
                r#"{{"fingerprint":"{FP}","filename":"app.bin","git_commit":"{SHA}","git_commit_info":{{"sha1":"{SHA}","message":"second commit: add feature\n\nbody line","author":"Alice Dev \u003calice@example.com\u003e","timestamp":1717327800,"branch":"main","url":"https://github.com/acme/app/commit/{SHA}"}},"build_url":"https://ci.example.com/build/42","commit_url":"https://github.com/acme/app/commit/{SHA}","repo_url":"https://github.com/acme/app","template_reference_name":"app","trail_name":"trail-1"}}"#
            )
        );
    }

    #[test]
    fn annotations_external_urls_and_display_name_in_wire_order() {
        let fp: Fingerprint = FP.parse().unwrap();
        let artifact =
            ArtifactRef::new("registry.example.com/acme/app:1.0", fp, ArtifactType::Oci).unwrap();
        let a = AttestArtifact::new("f", "t", "app", &artifact)
            .display_name("my app")
            .external_urls(external_urls([("j", "https://j")], [("j", FP)]).unwrap())
            .annotate("k2", "v2")
            .unwrap()
            .annotate("k", "v")
            .unwrap()
            .repo_info(RepoInfo {
                url: "https://github.com/acme/app".into(),
                name: "acme/app".into(),
                id: "555111".into(),
                provider: "github".into(),
                ..RepoInfo::default()
            });
        let text = body(&a.request().unwrap());
        assert_eq!(
            text,
            format!(
                r#"{{"fingerprint":"{FP}","filename":"my app","git_commit":"","repo_info":{{"url":"https://github.com/acme/app","name":"acme/app","id":"555111","provider":"github"}},"build_url":"","commit_url":"","repo_url":"","template_reference_name":"app","trail_name":"t","external_urls":{{"j":{{"href":"https://j","fingerprint":"{FP}"}}}},"annotations":{{"k":"v","k2":"v2"}}}}"#
            )
        );
    }

    #[test]
    fn annotation_keys_follow_the_clis_rule() {
        let fp: Fingerprint = FP.parse().unwrap();
        let a = AttestArtifact::with_fingerprint("f", "t", "app", fp, "x");
        let e = a.clone().annotate("bad-key", "v").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--annotate flag should be in the format key=value. Invalid key: 'bad-key'. Key can only contain [A-Za-z0-9_]"
        );
        assert!(a.clone().annotate("", "v").is_err());
        assert!(a.annotate("Ok_9", "").is_ok());
    }

    #[test]
    fn incomplete_repo_info_is_left_out() {
        let fp: Fingerprint = FP.parse().unwrap();
        let a = AttestArtifact::with_fingerprint("f", "t", "app", fp, "x").repo_info(RepoInfo {
            url: "https://x".into(),
            ..RepoInfo::default()
        });
        assert!(!body(&a.request().unwrap()).contains("repo_info"));
    }
}
