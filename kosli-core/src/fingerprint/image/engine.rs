//! A small Docker Engine API client: the calls the CLI makes and nothing else (`HEAD /_ping`
//! before each call, whose `Api-Version` header picks the API version; `GET
//! /v<ver>/containers/json`; `GET /v<ver>/images/<name>/json` with the name put in the path as
//! given). Over the unix socket of `DOCKER_HOST` (default `unix:///var/run/docker.sock`) or
//! plain `tcp://`/`http://`.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::transport;
use crate::error::{Error, Result};

/// The newest Engine API version spoken; a daemon announcing a newer one is spoken to in this.
pub const MAX_API_VERSION: (u32, u32) = (1, 51);
/// The host the Engine is asked for over a socket (moby's client sends the same).
const SOCKET_BASE: &str = "http://api.moby.localhost";
/// The default daemon address.
pub const DEFAULT_DOCKER_HOST: &str = "unix:///var/run/docker.sock";

/// Where the Docker Engine listens.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DockerOptions {
    /// `unix:///path/docker.sock`, `tcp://host:port` or `http://host:port`; `None`:
    /// `$DOCKER_HOST`, else [`DEFAULT_DOCKER_HOST`].
    #[serde(default)]
    pub host: Option<String>,
}

impl DockerOptions {
    /// The daemon at `host`.
    pub fn host(host: impl Into<String>) -> Self {
        DockerOptions {
            host: Some(host.into()),
        }
    }

    /// The address used: the explicit one, `$DOCKER_HOST`, or the default socket.
    pub fn resolved_host(&self) -> String {
        self.host
            .clone()
            .or_else(|| std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()))
            .unwrap_or_else(|| DEFAULT_DOCKER_HOST.to_string())
    }
}

/// What `GET /containers/json` says of one running container (the fields used).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct ContainerSummary {
    /// The container's names, each with a leading `/`.
    #[serde(rename = "Names", default)]
    pub names: Vec<String>,
    /// The image as the container was started with it (tag or `name@sha256:` form).
    #[serde(rename = "Image", default)]
    pub image: String,
    /// When it was created (Unix seconds).
    #[serde(rename = "Created", default)]
    pub created: i64,
}

impl ContainerSummary {
    /// The first name without its leading `/`, as the CLI names containers.
    pub fn name(&self) -> &str {
        self.names
            .first()
            .map(|n| n.strip_prefix('/').unwrap_or(n))
            .unwrap_or_default()
    }
}

/// What `GET /images/<name>/json` says (the fields used).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct ImageInspect {
    /// `repo@sha256:<hex>` for each registry the image was pushed to or pulled from.
    #[serde(rename = "RepoDigests", default)]
    pub repo_digests: Option<Vec<String>>,
}

/// A client of one Docker Engine.
#[derive(Debug, Clone)]
pub struct DockerEngine {
    http: reqwest::Client,
    base: String,
    host: String,
    socket: Option<PathBuf>,
}

impl DockerEngine {
    /// A client of the daemon `options` name; nothing is contacted yet.
    pub fn new(options: &DockerOptions) -> Result<Self> {
        let host = options.resolved_host();
        let (base, socket) = if let Some(path) = host.strip_prefix("unix://") {
            (SOCKET_BASE.to_string(), Some(PathBuf::from(path)))
        } else if let Some(rest) = host.strip_prefix("tcp://") {
            (format!("http://{rest}"), None)
        } else if host.starts_with("http://") {
            (host.trim_end_matches('/').to_string(), None)
        } else {
            return Err(Error::config(format!(
                "unable to parse docker host `{host}`: only unix://, tcp:// and http:// are supported"
            )));
        };
        let http = transport::http_client(None, Duration::from_secs(60), socket.as_deref())?;
        Ok(DockerEngine {
            http,
            base,
            host,
            socket,
        })
    }

    /// The daemon's address, as given.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `HEAD /_ping`: the API version to speak (the daemon's, capped at
    /// [`MAX_API_VERSION`]).
    pub async fn ping(&self) -> Result<String> {
        let answer = self
            .http
            .head(format!("{}/_ping", self.base))
            .send()
            .await
            .map_err(|e| self.connect_error(&e))?;
        let announced = answer
            .headers()
            .get("Api-Version")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_version);
        let (major, minor) = match announced {
            Some(v) if v <= MAX_API_VERSION => v,
            _ => MAX_API_VERSION,
        };
        Ok(format!("{major}.{minor}"))
    }

    /// The running containers, in the daemon's order.
    pub async fn containers(&self) -> Result<Vec<ContainerSummary>> {
        let v = self.ping().await?;
        self.get_json(&format!("/v{v}/containers/json")).await
    }

    /// The image `name` (as a container or the caller names it); an unknown one is a
    /// `NotFound` error with the daemon's words (`Error response from daemon: No such
    /// image: ...`).
    pub async fn image(&self, name: &str) -> Result<ImageInspect> {
        let v = self.ping().await?;
        self.get_json(&format!("/v{v}/images/{name}/json")).await
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        let url = format!("{}{path}", self.base);
        let answer = self
            .http
            .get(&url)
            .send()
            .await
            .map_err(|e| self.connect_error(&e))?;
        let status = answer.status().as_u16();
        let body = answer.bytes().await.map_err(|e| self.connect_error(&e))?;
        if status != 200 {
            let message = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("message")?.as_str().map(str::to_string))
                .unwrap_or_else(|| String::from_utf8_lossy(&body).trim().to_string());
            let message = format!("Error response from daemon: {message}");
            return Err(match status {
                404 => Error::NotFound { message },
                401 | 403 => Error::Auth { status, message },
                _ => Error::Api { status, message },
            });
        }
        serde_json::from_slice(&body).map_err(|e| {
            Error::parse(
                None,
                Some(e.line() as u64),
                format!("the docker API's answer to GET {path}: {e}"),
            )
        })
    }

    fn connect_error(&self, e: &reqwest::Error) -> Error {
        let cause = transport::describe(e);
        let dial = match &self.socket {
            Some(p) => format!("dial unix {}: {cause}", p.display()),
            None => cause,
        };
        Error::Network {
            message: format!(
                "failed to connect to the docker API at {}; check if the path is correct and if the daemon is running: {dial}",
                self.host
            ),
            source: None,
        }
    }
}

fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (a, b) = v.trim().split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The CLI's choice among an image's repo digests for the reference `name`: the only one;
/// the first for a bare 64-hex image ID; else the first that starts with `name` stripped of
/// a leading `library/`, cut at its first `:` (a registry port cuts too, as in the CLI) and
/// stripped of a trailing `@sha256`. Returns the hex after `@sha256:`.
pub fn select_repo_digest<'a>(name: &str, repo_digests: &'a [String]) -> Option<&'a str> {
    let chosen = match repo_digests {
        [] => return None,
        [only] => only,
        [first, ..] if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) => first,
        all => {
            let n = name.strip_prefix("library/").unwrap_or(name);
            let n = n.split(':').next().unwrap_or(n);
            let n = n.strip_suffix("@sha256").unwrap_or(n);
            all.iter().find(|d| d.starts_with(n))?
        }
    };
    let (_, digest) = chosen.split_once('@')?;
    Some(digest.strip_prefix("sha256:").unwrap_or(digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn repo_digest_choice_follows_the_cli() {
        let two = v(&["ghcr.io/acme/tool@sha256:88", "acme/tool@sha256:99"]);
        assert_eq!(select_repo_digest("acme/tool:2.0", &two), Some("99"));
        assert_eq!(select_repo_digest("ghcr.io/acme/tool", &two), Some("88"));
        assert_eq!(select_repo_digest("other", &two), None);
        assert_eq!(
            select_repo_digest("anything", &v(&["x@sha256:11"])),
            Some("11")
        );
        assert_eq!(select_repo_digest(&"a".repeat(64), &two), Some("88"));
        assert_eq!(select_repo_digest("nginx", &[]), None);
        // A registry port cuts the name at its first `:` (the CLI's behaviour).
        let ported = v(&["other@sha256:00", "reg:5000/app@sha256:55"]);
        assert_eq!(select_repo_digest("reg:5000/app:1", &ported), Some("55"));
        // Prefix match: `foo` matches `foobar`.
        assert_eq!(
            select_repo_digest("foo", &v(&["foobar@sha256:77", "foo@sha256:66"])),
            Some("77")
        );
        assert_eq!(
            select_repo_digest("library/nginx:1", &v(&["x@sha256:1", "nginx@sha256:2"])),
            Some("2")
        );
    }

    #[test]
    fn versions_are_capped() {
        assert_eq!(parse_version("1.47"), Some((1, 47)));
        assert_eq!(parse_version("x"), None);
    }

    #[test]
    fn unsupported_hosts_are_config_errors() {
        let e = DockerEngine::new(&DockerOptions::host("ssh://x")).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
    }
}
