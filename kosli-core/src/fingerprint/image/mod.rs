//! Image fingerprints identical to the CLI's (`fingerprint.md` §4–5, `wire-2.md` §1, §3).
//!
//! * `oci`: the manifest digest the image's registry reports (`Docker-Content-Digest` of one
//!   `HEAD`), the index or manifest-list digest for a multi-arch image. A missing tag means
//!   `latest`; credentials come from [`RegistryOptions`] or the machine's auth files; Basic and
//!   Bearer-token auth; plain http only for registries marked insecure.
//! * `docker`: the repo digest of a local image, read from the Docker Engine over its socket,
//!   chosen among several as the CLI chooses ([`engine::select_repo_digest`]). With registry
//!   credentials it is the registry path instead, as in the CLI.
//!
//! ```no_run
//! # async fn demo() -> kosli_core::Result<()> {
//! use kosli_core::fingerprint::image::{ImageFingerprinter, RegistryOptions};
//! use kosli_core::ArtifactType;
//! let images = ImageFingerprinter::new().registry(RegistryOptions::from_environment());
//! let fp = images.fingerprint("ghcr.io/acme/api:1.4", ArtifactType::Oci).await?;
//! tracing::info!(%fp, "image fingerprint");
//! # Ok(())
//! # }
//! ```

mod credentials;
pub mod engine;
pub mod reference;
pub mod registry;
pub(crate) mod transport;

pub use credentials::Credentials;
pub use engine::{DockerEngine, DockerOptions};
pub use reference::ImageReference;
pub use registry::{oci_digest, RegistryOptions};

use crate::artifact::ArtifactType;
use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;

/// The CLI's error for an image without a usable repo digest.
pub const NO_REPO_DIGEST: &str =
    "repo digest unavailable for the image, has it been pushed to or pulled from a registry?";

/// Fingerprints images from a registry or the local Docker Engine.
#[derive(Debug, Clone, Default)]
pub struct ImageFingerprinter {
    registry: RegistryOptions,
    docker: DockerOptions,
}

impl ImageFingerprinter {
    /// Default registry settings (the machine's auth files, no insecure registry) and the
    /// Docker Engine of `$DOCKER_HOST`.
    pub fn new() -> Self {
        Self::default()
    }

    /// How to reach registries.
    pub fn registry(mut self, options: RegistryOptions) -> Self {
        self.registry = options;
        self
    }

    /// Which Docker Engine to ask.
    pub fn docker(mut self, options: DockerOptions) -> Self {
        self.docker = options;
        self
    }

    /// The fingerprint of image `name`: `Oci` from its registry, `Docker` from the Engine (or
    /// the registry when credentials were given). `File`/`Dir` are an `InvalidInput` error.
    pub async fn fingerprint(&self, name: &str, kind: ArtifactType) -> Result<Fingerprint> {
        match kind {
            ArtifactType::Oci => oci_digest(name, &self.registry).await,
            ArtifactType::Docker if self.registry.has_explicit_credentials() => {
                oci_digest(name, &self.registry).await
            }
            ArtifactType::Docker => docker_digest(name, &self.docker).await,
            other => Err(Error::invalid_input(
                "artifact-type",
                format!("{other} artifacts are fingerprinted from a path, not an image"),
            )),
        }
    }

    /// [`fingerprint`](Self::fingerprint) on the SDK's shared runtime, for callers without
    /// one (the bindings). Fails, rather than blocking, inside an async runtime.
    pub fn fingerprint_blocking(&self, name: &str, kind: ArtifactType) -> Result<Fingerprint> {
        block_on(self.fingerprint(name, kind))
    }
}

/// The repo digest of the local image `name` (`--artifact-type docker`).
pub async fn docker_digest(name: &str, options: &DockerOptions) -> Result<Fingerprint> {
    let engine = DockerEngine::new(options)?;
    let image = engine.image(name).await?;
    let digests = image.repo_digests.unwrap_or_default();
    let hex = engine::select_repo_digest(name, &digests).ok_or_else(|| Error::Fingerprint {
        path: name.into(),
        message: NO_REPO_DIGEST.to_string(),
    })?;
    hex.parse()
}

/// Runs `future` on the SDK's shared runtime (see [`crate::blocking::runtime`]).
pub(crate) fn block_on<T>(future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::invalid_input(
            "runtime",
            "a blocking call cannot be made from inside an async runtime: use the async function there",
        ));
    }
    crate::blocking::runtime()?.block_on(future)
}
