//! Mutable artifact references: `:latest` (or an image with no tag, which means `:latest`)
//! names whatever was pushed last, so a deployment of it cannot say what was deployed.

use crate::artifact::{ArtifactRef, ArtifactType};
use crate::error::{Error, Result};

/// Refuses a mutable reference: a name whose tag is `latest`, or (for `docker` and `oci`
/// artifacts) an image with no tag, unless it is pinned by digest (`name@sha256:<64 hex>`).
pub fn check_reference(artifact: &ArtifactRef) -> Result<()> {
    let name = artifact.name();
    if let Some((_, digest)) = name.rsplit_once('@') {
        let hex = digest.strip_prefix("sha256:").unwrap_or_default();
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(());
        }
    }
    // The tag is after the last ':' of the last path component (a registry's port is not).
    let last = name.rsplit('/').next().unwrap_or(name);
    let tag = last
        .split_once('@')
        .map_or(last, |(n, _)| n)
        .rsplit_once(':')
        .map(|(_, t)| t);
    let image = matches!(
        artifact.artifact_type(),
        ArtifactType::Docker | ArtifactType::Oci
    );
    let why = match tag {
        Some(t) if t.eq_ignore_ascii_case("latest") => "its tag :latest",
        None if image => "an image with no tag (which means :latest)",
        _ => return Ok(()),
    };
    Err(Error::invalid_input(
        "artifact",
        format!(
            "refusing to deploy {name}: {why} is a mutable reference, so the deployment could not say what was deployed; use an immutable tag, or pin it by digest ({}@sha256:{})",
            name.split('@').next().unwrap_or(name),
            artifact.fingerprint()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fingerprint;

    fn check(name: &str, t: ArtifactType) -> Result<()> {
        check_reference(&ArtifactRef::new(name, Fingerprint::of_bytes(b"x"), t).unwrap())
    }

    #[test]
    fn latest_and_untagged_images_are_refused() {
        for (name, t) in [
            ("myapp:latest", ArtifactType::Docker),
            ("registry:5000/team/myapp:latest", ArtifactType::Oci),
            ("myapp", ArtifactType::Docker),
            ("registry:5000/team/myapp", ArtifactType::Oci),
            ("myapp:LATEST", ArtifactType::File),
        ] {
            let e = check(name, t).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
            assert!(e.to_string().contains("mutable reference"), "{e}");
            assert!(e.to_string().contains(name), "{e}");
        }
    }

    #[test]
    fn tags_digests_and_files_are_accepted() {
        let pinned = format!("myapp:latest@sha256:{}", "a".repeat(64));
        for (name, t) in [
            ("myapp:v1.2.3", ArtifactType::Docker),
            ("registry:5000/team/myapp:1.0", ArtifactType::Oci),
            (pinned.as_str(), ArtifactType::Docker),
            ("target/release/app", ArtifactType::File),
            ("app", ArtifactType::Dir),
        ] {
            assert!(check(name, t).is_ok(), "{name}");
        }
        let short = "myapp:latest@sha256:abc";
        assert!(check(short, ArtifactType::Docker).is_err());
    }
}
