//! [`ArtifactRef`]: one artifact's name, fingerprint and type, built once and reused.
//!
//! The seed's first pitfall is reporting one name and deploying another; passing one
//! `ArtifactRef` value to every report about an artifact makes that mistake hard to write.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;

/// How an artifact's fingerprint is computed, as the CLI's `--artifact-type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ArtifactType {
    /// The SHA-256 of one file's bytes.
    File,
    /// The CLI's directory digest.
    Dir,
    /// An image's manifest digest read from its registry.
    Oci,
    /// An image's repo digest read from a local Docker Engine.
    Docker,
}

impl ArtifactType {
    /// The CLI's spelling (`file`, `dir`, `oci`, `docker`).
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactType::File => "file",
            ArtifactType::Dir => "dir",
            ArtifactType::Oci => "oci",
            ArtifactType::Docker => "docker",
        }
    }
}

impl fmt::Display for ArtifactType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ArtifactType {
    type Err = Error;

    /// Parses the CLI's spelling; anything else is the CLI's "not a supported artifact type".
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "file" => Ok(ArtifactType::File),
            "dir" => Ok(ArtifactType::Dir),
            "oci" => Ok(ArtifactType::Oci),
            "docker" => Ok(ArtifactType::Docker),
            other => Err(Error::invalid_input(
                "artifact-type",
                format!("{other} is not a supported artifact type"),
            )),
        }
    }
}

/// An artifact as Kosli knows it: a display name and the fingerprint that identifies it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ArtifactRef {
    name: String,
    fingerprint: Fingerprint,
    artifact_type: ArtifactType,
}

impl ArtifactRef {
    /// Builds a reference; the name must not be empty or blank.
    pub fn new(
        name: impl Into<String>,
        fingerprint: Fingerprint,
        artifact_type: ArtifactType,
    ) -> Result<Self> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(Error::invalid_input(
                "artifact name",
                "the artifact name must not be empty",
            ));
        }
        Ok(ArtifactRef {
            name,
            fingerprint,
            artifact_type,
        })
    }

    /// The artifact's name (for a file or dir, usually its path; for an image, its reference).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The artifact's fingerprint.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// How the fingerprint was computed.
    pub fn artifact_type(&self) -> ArtifactType {
        self.artifact_type
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_names_are_refused() {
        let fp = Fingerprint::of_bytes(b"x");
        let err = ArtifactRef::new("  ", fp, ArtifactType::File).unwrap_err();
        assert!(err.to_string().contains("artifact name"));
        let ok = ArtifactRef::new("app.tar", fp, ArtifactType::File).unwrap();
        assert_eq!(
            (ok.name(), ok.fingerprint(), ok.artifact_type()),
            ("app.tar", fp, ArtifactType::File)
        );
    }

    #[test]
    fn artifact_types_parse_like_the_cli() {
        assert_eq!("dir".parse::<ArtifactType>().unwrap(), ArtifactType::Dir);
        let err = "zip".parse::<ArtifactType>().unwrap_err();
        assert_eq!(err.to_string(), "zip is not a supported artifact type");
    }
}
