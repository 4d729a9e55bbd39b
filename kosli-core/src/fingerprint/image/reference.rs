//! Image references as the CLI parses them (the `docker://` transport of containers/image): an
//! optional registry, a lowercase repository path, a tag and/or a digest, with Docker Hub's
//! normalisation (`nginx` is `docker.io/library/nginx:latest`).

use std::fmt;

use crate::error::{Error, Result};

/// Docker Hub as references name it.
pub const DOCKER_HUB: &str = "docker.io";
/// Docker Hub's API endpoint (references say `docker.io`, the API lives here).
const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImageReference {
    /// The reference as given.
    pub given: String,
    /// The registry host (with its port), `docker.io` for Docker Hub.
    pub domain: String,
    /// The repository path (`library/nginx`, `acme/api`).
    pub path: String,
    /// The tag; `latest` when neither a tag nor a digest was given.
    pub tag: Option<String>,
    /// The `sha256:<hex>` digest, when given.
    pub digest: Option<String>,
}

impl ImageReference {
    /// Parses `name` with the CLI's rules and messages (`invalid reference format`, `...:
    /// repository name must be lowercase`); the error names the reference as the CLI does.
    pub fn parse(name: &str) -> Result<Self> {
        parse(name).map_err(|reason| {
            Error::invalid_input(
                "image",
                format!(
                    "failed to parse image reference for //{name}: invalid reference format{}",
                    reason.map(|r| format!(": {r}")).unwrap_or_default()
                ),
            )
        })
    }

    /// What the registry's `HEAD /v2/<path>/manifests/<reference>` asks for: the digest when
    /// given, else the tag (`latest` by default).
    pub fn manifest_reference(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }

    /// The host the registry API is reached at (Docker Hub's API host for `docker.io`).
    pub fn api_host(&self) -> &str {
        if self.domain == DOCKER_HUB {
            DOCKER_HUB_API
        } else {
            &self.domain
        }
    }

    /// `domain/path`, as the CLI's messages name the repository.
    pub fn repository(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }
}

impl fmt::Display for ImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.domain, self.path)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// `Err(None)`: a plain format error; `Err(Some(reason))`: one with the grammar's reason.
fn parse(name: &str) -> std::result::Result<ImageReference, Option<&'static str>> {
    let (rest, digest) = match name.rsplit_once('@') {
        Some((rest, d)) => {
            let hex = d.strip_prefix("sha256:").ok_or(None)?;
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(None);
            }
            (rest, Some(d.to_string()))
        }
        None => (name, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => {
            let t = &rest[last_slash + i + 1..];
            if !valid_tag(t) {
                return Err(None);
            }
            (&rest[..last_slash + i], Some(t.to_string()))
        }
        None => (rest, None),
    };
    if repo.is_empty() {
        return Err(None);
    }
    if repo.len() > 255 {
        return Err(Some("repository name must not be more than 255 characters"));
    }
    let (domain, path) = split_domain(repo);
    if !valid_domain(&domain) {
        return Err(None);
    }
    if path.to_ascii_lowercase() != path {
        // Only when the rest of the grammar holds for the lowercased path, as Go's parser.
        if path
            .to_ascii_lowercase()
            .split('/')
            .all(valid_path_component)
        {
            return Err(Some("repository name must be lowercase"));
        }
        return Err(None);
    }
    if !path.split('/').all(valid_path_component) {
        return Err(None);
    }
    let tag = if tag.is_none() && digest.is_none() {
        Some("latest".to_string())
    } else {
        tag
    };
    Ok(ImageReference {
        given: name.to_string(),
        domain,
        path,
        tag,
        digest,
    })
}

/// Docker's rule: the first component is a registry when it has a `.` or `:`, is
/// `localhost`, or has an uppercase letter; otherwise the name is on Docker Hub, under
/// `library/` when it has one component.
fn split_domain(repo: &str) -> (String, String) {
    match repo.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.to_ascii_lowercase() != first =>
        {
            (first.to_string(), rest.to_string())
        }
        Some(_) => (DOCKER_HUB.to_string(), repo.to_string()),
        None => (DOCKER_HUB.to_string(), format!("library/{repo}")),
    }
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator: `.`, `_`, `__` or a run of `-`.
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

/// A host name or `[ipv6]`, with an optional numeric port.
fn valid_domain(d: &str) -> bool {
    let (host_ok, port) = if let Some(rest) = d.strip_prefix('[') {
        let Some((ip, tail)) = rest.split_once(']') else {
            return false;
        };
        let ok = !ip.is_empty() && ip.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
        let port = if tail.is_empty() {
            None
        } else {
            match tail.strip_prefix(':') {
                Some(p) => Some(p),
                None => return false,
            }
        };
        (ok, port)
    } else {
        match d.split_once(':') {
            Some((h, p)) => (valid_host(h), Some(p)),
            None => (valid_host(d), None),
        }
    };
    host_ok && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Dot-separated labels of letters, digits and inner `-`.
fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        })
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|x| word(*x) || *x == b'.' || *x == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(name: &str) -> ImageReference {
        ImageReference::parse(name).unwrap()
    }

    #[test]
    fn docker_hub_names_are_normalised() {
        let r = ok("nginx");
        assert_eq!(
            (r.domain.as_str(), r.path.as_str(), r.tag.as_deref()),
            ("docker.io", "library/nginx", Some("latest"))
        );
        assert_eq!(r.api_host(), "registry-1.docker.io");
        assert_eq!(ok("acme/tool:2.0").path, "acme/tool");
        assert_eq!(ok("localhost/x").domain, "localhost");
    }

    #[test]
    fn registries_ports_tags_and_digests() {
        let d = "sha256:7f537cd892aee922382fe4dd775fa9def6b94e2821a8abe937312ed26805f85e";
        let r = ok(&format!("127.0.0.1:18871/test/multi@{d}"));
        assert_eq!(r.domain, "127.0.0.1:18871");
        assert_eq!(r.tag, None);
        assert_eq!(r.manifest_reference(), d);
        let r = ok(&format!("127.0.0.1:18871/test/multi:1.0@{d}"));
        assert_eq!((r.tag.as_deref(), r.manifest_reference()), (Some("1.0"), d));
        let r = ok("127.0.0.1:5000/test/oci");
        assert_eq!(r.manifest_reference(), "latest");
        assert_eq!(r.repository(), "127.0.0.1:5000/test/oci");
        assert_eq!(ok("[::1]:5000/a/b:c").domain, "[::1]:5000");
        assert_eq!(ok("a__b/c-d.e--f:t").path, "a__b/c-d.e--f");
    }

    #[test]
    fn bad_references_fail_with_the_cli_messages() {
        let cases = [
            ("127.0.0.1:18871/Test/UPPER:1.0", "failed to parse image reference for //127.0.0.1:18871/Test/UPPER:1.0: invalid reference format: repository name must be lowercase"),
            ("a b", "failed to parse image reference for //a b: invalid reference format"),
            ("x:y:z", "failed to parse image reference for //x:y:z: invalid reference format"),
            ("foo@sha256:abc", "failed to parse image reference for //foo@sha256:abc: invalid reference format"),
            ("", "failed to parse image reference for //: invalid reference format"),
            ("a/-b", "failed to parse image reference for //a/-b: invalid reference format"),
            ("a/b:", "failed to parse image reference for //a/b:: invalid reference format"),
        ];
        for (name, message) in cases {
            let e = ImageReference::parse(name).unwrap_err();
            assert_eq!(e.to_string(), message, "{name}");
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        }
    }
}
