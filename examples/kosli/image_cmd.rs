//! `--artifact-type oci|docker` for `fingerprint` and `attest artifact`: the image's digest
//! from its registry or the local Docker Engine, with the CLI's registry settings (the
//! insecure registries of `registries.conf`, the auth files, `--registry-username/password`).

use kosli_core::fingerprint::image::{DockerOptions, ImageFingerprinter, RegistryOptions};
use kosli_core::{ArtifactType, Error, Fingerprint};

/// The fingerprint of image `name`, as the CLI computes it for `kind` (`oci` or `docker`).
pub fn fingerprint(
    name: &str,
    kind: ArtifactType,
    username: Option<&str>,
    password: Option<&str>,
) -> Result<Fingerprint, Error> {
    let mut registry = RegistryOptions::from_environment();
    if let Some(u) = username {
        registry = registry.username(u);
    }
    if let Some(p) = password {
        registry = registry.password(p);
    }
    ImageFingerprinter::new()
        .registry(registry)
        .docker(DockerOptions::default())
        .fingerprint_blocking(name, kind)
}
