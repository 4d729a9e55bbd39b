//! `kosli snapshot docker`: the containers running on a Docker host (wire-2.md §1).
//!
//! `GET /containers/json` (running ones only), then each container's image, in that order;
//! each container is one entry `{"digests":{<image as listed>: <repo digest>},
//! "creationTimestamp": <container created>}`. A container whose image has no repo digest (a
//! local build) or is no longer present is skipped, and said so in [`DockerSnapshot::skipped`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::client::Request;
use crate::error::{Error, Result};
use crate::fingerprint::image::engine::{select_repo_digest, DockerEngine, DockerOptions};
use crate::fingerprint::Fingerprint;
use crate::operations;

/// One running container, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DockerArtifact {
    /// The container's name (without the leading `/`).
    pub container: String,
    /// The image as the container lists it (`nginx:1.25`, `repo@sha256:...`): the digest key.
    pub image: String,
    /// The image's repo digest.
    pub fingerprint: Fingerprint,
    /// When the container was created (Unix seconds).
    pub creation_timestamp: i64,
}

/// Why a container was left out of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipReason {
    /// Its image has no repo digest (built locally, never pushed or pulled).
    NoRepoDigest,
    /// Its image is no longer present locally; the daemon's words.
    ImageMissing {
        /// The daemon's message (`Error response from daemon: No such image: ...`).
        message: String,
    },
}

/// A container left out of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedContainer {
    /// The container's name.
    pub container: String,
    /// Its image.
    pub image: String,
    /// Why.
    #[serde(flatten)]
    pub reason: SkipReason,
}

impl SkippedContainer {
    /// The CLI's line for it (stdout for a missing repo digest, a `[warning]` on stderr for a
    /// missing image, without the `[warning] ` prefix).
    pub fn message(&self) -> String {
        match &self.reason {
            SkipReason::NoRepoDigest => format!(
                "ignoring container '{}' as it uses an image with no repo digest",
                self.container
            ),
            SkipReason::ImageMissing { message } => format!(
                "ignoring container '{}' as its image is no longer present locally: {message}",
                self.container
            ),
        }
    }

    /// Whether the CLI prints it as a warning (stderr) rather than as information (stdout).
    pub fn is_warning(&self) -> bool {
        matches!(self.reason, SkipReason::ImageMissing { .. })
    }
}

/// What runs on a Docker host: the report of one environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DockerSnapshot {
    /// The environment it is reported to.
    pub environment: String,
    /// The running containers reported, in the daemon's order.
    pub artifacts: Vec<DockerArtifact>,
    /// The containers left out, in the daemon's order.
    pub skipped: Vec<SkippedContainer>,
}

#[derive(Serialize)]
struct Entry<'a> {
    digests: BTreeMap<&'a str, String>,
    #[serde(rename = "creationTimestamp")]
    creation_timestamp: i64,
}

#[derive(Serialize)]
struct Payload<'a> {
    artifacts: Vec<Entry<'a>>,
}

impl DockerSnapshot {
    /// Collects what runs on the Docker host `options` name (the CLI's calls, in its order).
    pub async fn collect(environment: impl Into<String>, options: &DockerOptions) -> Result<Self> {
        let engine = DockerEngine::new(options)?;
        let mut snapshot = DockerSnapshot {
            environment: environment.into(),
            artifacts: Vec::new(),
            skipped: Vec::new(),
        };
        for c in engine.containers().await? {
            let container = c.name().to_string();
            let image = match engine.image(&c.image).await {
                Ok(image) => image,
                Err(Error::NotFound { message }) => {
                    tracing::warn!(%container, "{message}");
                    snapshot.skipped.push(SkippedContainer {
                        container,
                        image: c.image.clone(),
                        reason: SkipReason::ImageMissing { message },
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            let digests = image.repo_digests.unwrap_or_default();
            match select_repo_digest(&c.image, &digests).map(str::parse::<Fingerprint>) {
                Some(Ok(fingerprint)) => snapshot.artifacts.push(DockerArtifact {
                    container,
                    image: c.image.clone(),
                    fingerprint,
                    creation_timestamp: c.created,
                }),
                _ => {
                    tracing::info!(%container, image = %c.image, "no repo digest: skipped");
                    snapshot.skipped.push(SkippedContainer {
                        container,
                        image: c.image.clone(),
                        reason: SkipReason::NoRepoDigest,
                    });
                }
            }
        }
        Ok(snapshot)
    }

    /// The report's request: `PUT .../report/docker`,
    /// `{"artifacts":[{"digests":{image: sha256},"creationTimestamp":t}]}`.
    pub fn request(&self) -> Result<Request> {
        super::check_environment(&self.environment)?;
        let artifacts = self
            .artifacts
            .iter()
            .map(|a| Entry {
                digests: BTreeMap::from([(a.image.as_str(), a.fingerprint.to_string())]),
                creation_timestamp: a.creation_timestamp,
            })
            .collect();
        Request::new(&operations::SNAPSHOT_DOCKER)
            .param("env", &self.environment)
            .json(&Payload { artifacts })
    }
}
