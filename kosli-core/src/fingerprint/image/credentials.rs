//! Registry credentials and settings found on the machine, as the CLI finds them: the auth
//! files of Podman (`$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`) and Docker
//! (`$DOCKER_CONFIG/config.json`, `~/.docker/config.json`), and the insecure (plain http)
//! registries of `registries.conf` (`~/.config/containers/`, `/etc/containers/`).
//!
//! Credential helpers (`credsStore`, `credHelpers`) are not run: an entry that needs one is
//! skipped with a debug log, and the caller can pass the credentials explicitly.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use secrecy::SecretString;

/// A user name and password (or access token) for one registry.
#[derive(Clone)]
pub struct Credentials {
    /// The user name.
    pub username: String,
    /// The password or token (never logged).
    pub password: SecretString,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

/// The auth files looked at, in order.
pub(crate) fn auth_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(f) = std::env::var_os("REGISTRY_AUTH_FILE") {
        files.push(PathBuf::from(f));
    }
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR") {
        files.push(Path::new(&d).join("containers/auth.json"));
    }
    if let Some(d) = std::env::var_os("DOCKER_CONFIG") {
        files.push(Path::new(&d).join("config.json"));
    } else if let Some(home) = home() {
        files.push(home.join(".docker/config.json"));
    }
    files
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The credentials for `host` in the first of `files` that has them.
pub(crate) fn lookup(files: &[PathBuf], host: &str) -> Option<Credentials> {
    for file in files {
        let Ok(text) = std::fs::read(file) else {
            continue;
        };
        let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&text) else {
            tracing::debug!("ignoring {}: not JSON", file.display());
            continue;
        };
        let Some(auths) = doc.get("auths").and_then(|a| a.as_object()) else {
            continue;
        };
        for (key, entry) in auths {
            if normalise_key(key) != host && !(host == "docker.io" && is_docker_hub_key(key)) {
                continue;
            }
            if let Some(c) = decode_entry(entry) {
                tracing::debug!("registry credentials for {host} from {}", file.display());
                return Some(c);
            }
        }
        if doc.get("credHelpers").and_then(|h| h.get(host)).is_some()
            || doc.get("credsStore").is_some()
        {
            tracing::debug!(
                "{} names a credential helper for {host}; helpers are not run: pass the credentials explicitly",
                file.display()
            );
        }
    }
    None
}

/// `https://host/v1/`, `http://host`, `host/path` all mean `host`.
fn normalise_key(key: &str) -> &str {
    let k = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    k.split('/').next().unwrap_or(k)
}

fn is_docker_hub_key(key: &str) -> bool {
    matches!(
        normalise_key(key),
        "index.docker.io" | "registry-1.docker.io" | "docker.io"
    )
}

fn decode_entry(entry: &serde_json::Value) -> Option<Credentials> {
    if let Some(auth) = entry.get("auth").and_then(|a| a.as_str()) {
        if !auth.is_empty() {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(auth.trim())
                .ok()?;
            let text = String::from_utf8(raw).ok()?;
            let (user, pass) = text.split_once(':')?;
            return Some(Credentials {
                username: user.to_string(),
                password: SecretString::from(pass.to_string()),
            });
        }
    }
    let user = entry.get("username").and_then(|u| u.as_str())?;
    let pass = entry.get("password").and_then(|p| p.as_str())?;
    Some(Credentials {
        username: user.to_string(),
        password: SecretString::from(pass.to_string()),
    })
}

/// The registries `registries.conf` marks `insecure = true` (v2 `[[registry]]` tables and
/// the v1 `[registries.insecure] registries = [...]` list).
pub(crate) fn insecure_registries() -> Vec<String> {
    let mut files = vec![PathBuf::from("/etc/containers/registries.conf")];
    if let Some(home) = home() {
        files.push(home.join(".config/containers/registries.conf"));
    }
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        match text.parse::<toml::Table>() {
            Ok(table) => out.extend(insecure_in(&table)),
            Err(e) => tracing::debug!("ignoring {}: {e}", file.display()),
        }
    }
    out
}

fn insecure_in(table: &toml::Table) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(regs) = table.get("registry").and_then(|r| r.as_array()) {
        for r in regs {
            let insecure = r.get("insecure").and_then(|i| i.as_bool()) == Some(true);
            let location = r
                .get("location")
                .or_else(|| r.get("prefix"))
                .and_then(|l| l.as_str());
            if let (true, Some(l)) = (insecure, location) {
                out.push(l.to_string());
            }
        }
    }
    if let Some(list) = table
        .get("registries")
        .and_then(|r| r.get("insecure"))
        .and_then(|i| i.get("registries"))
        .and_then(|l| l.as_array())
    {
        out.extend(list.iter().filter_map(|v| v.as_str().map(str::to_string)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn docker_config_auths_are_found_by_host() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("config.json");
        std::fs::write(
            &f,
            r#"{"auths":{"127.0.0.1:18873":{"auth":"cmVndXNlcjpyZWdwYXNz"},"https://index.docker.io/v1/":{"username":"hub","password":"pw"}}}"#,
        )
        .unwrap();
        let c = lookup(std::slice::from_ref(&f), "127.0.0.1:18873").unwrap();
        assert_eq!(
            (c.username.as_str(), c.password.expose_secret()),
            ("reguser", "regpass")
        );
        assert!(!format!("{c:?}").contains("regpass"));
        let hub = lookup(std::slice::from_ref(&f), "docker.io").unwrap();
        assert_eq!(hub.username, "hub");
        assert!(lookup(&[f], "ghcr.io").is_none());
    }

    #[test]
    fn registries_conf_insecure_locations() {
        let t: toml::Table = "[[registry]]\nlocation = \"127.0.0.1:18871\"\ninsecure = true\n[[registry]]\nlocation = \"secure.example\"\n[registries.insecure]\nregistries = [\"old.example:5000\"]\n".parse().unwrap();
        assert_eq!(insecure_in(&t), ["127.0.0.1:18871", "old.example:5000"]);
    }
}
