//! The registry path (`--artifact-type oci`, and `docker` with registry credentials): the
//! image's manifest digest as its registry reports it, with the CLI's requests (wire-2.md §3):
//! `GET /v2/` (the ping, which also tells how to authenticate), then one `HEAD
//! /v2/<repo>/manifests/<tag|digest>` accepting every manifest type, whose
//! `Docker-Content-Digest` is the fingerprint. For a multi-arch image that is the index (or
//! manifest list) digest. Nothing is downloaded; should a registry leave the header out, the
//! manifest is fetched and hashed, which gives the same digest.

use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, WWW_AUTHENTICATE};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::credentials::{self, Credentials};
use super::reference::ImageReference;
use super::transport;
use crate::error::{Error, Result};
use crate::fingerprint::Fingerprint;

/// Every manifest type, in the CLI's order, each in its own `Accept` header.
pub const MANIFEST_TYPES: [&str; 6] = [
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    "application/vnd.docker.distribution.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.index.v1+json",
];

/// How to reach registries: explicit credentials, insecure (plain http) registries, the auth
/// files to search, an extra CA bundle.
#[derive(Clone, Default)]
pub struct RegistryOptions {
    username: Option<String>,
    password: Option<SecretString>,
    insecure: Vec<String>,
    auth_files: Option<Vec<std::path::PathBuf>>,
    ca_bundle: Option<std::path::PathBuf>,
    timeout: Option<Duration>,
}

impl std::fmt::Debug for RegistryOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryOptions")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .field("insecure", &self.insecure)
            .field("auth_files", &self.auth_files)
            .field("ca_bundle", &self.ca_bundle)
            .finish()
    }
}

impl RegistryOptions {
    /// No explicit credentials; the machine's auth files; no insecure registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// The CLI's settings: [`new`](Self::new) plus the insecure registries of the user's and
    /// the system's `registries.conf` (the only way the CLI talks plain http).
    pub fn from_environment() -> Self {
        Self::new().insecure_registries(credentials::insecure_registries())
    }

    /// `--registry-username`: with it (or a password) the auth files are not searched.
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// `--registry-password` (a password or an access token).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(SecretString::from(password.into()));
        self
    }

    /// Registries (`host:port`) that may be reached over plain http when https fails.
    pub fn insecure_registries<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.insecure.extend(hosts.into_iter().map(Into::into));
        self
    }

    /// The auth files to search instead of the default ones (Podman's, then Docker's).
    pub fn auth_files<I, P>(mut self, files: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<std::path::PathBuf>,
    {
        self.auth_files = Some(files.into_iter().map(Into::into).collect());
        self
    }

    /// A PEM bundle of extra CAs trusted besides the platform's (a private registry's CA).
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// A time budget per request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Whether credentials were given explicitly (the CLI's `--registry-username` or
    /// `--registry-password`).
    pub fn has_explicit_credentials(&self) -> bool {
        self.username.is_some() || self.password.is_some()
    }

    fn credentials_for(&self, domain: &str) -> Option<Credentials> {
        if self.has_explicit_credentials() {
            return Some(Credentials {
                username: self.username.clone().unwrap_or_default(),
                password: self
                    .password
                    .clone()
                    .unwrap_or_else(|| SecretString::from(String::new())),
            });
        }
        let files = self
            .auth_files
            .clone()
            .unwrap_or_else(credentials::auth_files);
        credentials::lookup(&files, domain)
    }

    fn is_insecure(&self, domain: &str) -> bool {
        self.insecure
            .iter()
            .any(|h| h == domain || h.strip_suffix('/').is_some_and(|h| h == domain))
    }
}

/// How the ping said requests must authenticate.
#[derive(Debug, PartialEq)]
enum Challenge {
    None,
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
    },
}

/// The manifest digest of `reference` (`registry/repo:tag`, `repo@sha256:...`) from its
/// registry.
pub async fn oci_digest(reference: &str, options: &RegistryOptions) -> Result<Fingerprint> {
    let image = ImageReference::parse(reference)?;
    let fail = |e: Error| {
        let message = format!("failed to get digest for //{reference}: {e}");
        crate::ops::environments::with_message(e, message)
    };
    digest(&image, options).await.map_err(fail)
}

async fn digest(image: &ImageReference, options: &RegistryOptions) -> Result<Fingerprint> {
    let http = transport::http_client(
        options.ca_bundle.as_deref(),
        options.timeout.unwrap_or(Duration::from_secs(30)),
        None,
    )?;
    let host = image.api_host();
    let (base, challenge) = ping(&http, host, options.is_insecure(&image.domain)).await?;
    let credentials = options.credentials_for(&image.domain);
    let auth = match (&challenge, &credentials) {
        (Challenge::None, _) => None,
        (Challenge::Basic, Some(c)) => Some(basic(c)),
        (Challenge::Basic, None) => None,
        (Challenge::Bearer { realm, service }, c) => {
            Some(bearer_token(&http, realm, service.as_deref(), &image.path, c.as_ref()).await?)
        }
    };
    let url = format!(
        "{base}/v2/{}/manifests/{}",
        image.path,
        image.manifest_reference()
    );
    let mut headers = HeaderMap::new();
    for t in MANIFEST_TYPES {
        headers.append(ACCEPT, HeaderValue::from_static(t));
    }
    if let Some(a) = &auth {
        headers.insert(AUTHORIZATION, a.clone());
    }
    let answer = http
        .head(&url)
        .headers(headers.clone())
        .header(API_VERSION, API_VERSION_VALUE)
        .send()
        .await
        .map_err(|e| network(format!("Head \"{url}\""), &e))?;
    let status = answer.status().as_u16();
    let reading = format!(
        "reading digest {} in {}",
        image.manifest_reference(),
        image.repository()
    );
    match status {
        200 => {}
        401 => {
            return Err(Error::Auth {
                status,
                message: format!("{reading}: authentication required"),
            })
        }
        403 => {
            return Err(Error::Auth {
                status,
                message: format!("{reading}: requested access to the resource is denied"),
            })
        }
        404 => {
            return Err(Error::NotFound {
                message: format!("{reading}: StatusCode: 404, \"\""),
            })
        }
        other => {
            return Err(Error::Api {
                status: other,
                message: format!("{reading}: StatusCode: {other}, \"\""),
            })
        }
    }
    let header = answer
        .headers()
        .get("Docker-Content-Digest")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let digest = match header {
        Some(d) => d,
        None => {
            // No header: hash the manifest itself, which is what the header would say.
            let body = http
                .get(&url)
                .headers(headers)
                .header(API_VERSION, API_VERSION_VALUE)
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map_err(|e| network(format!("Get \"{url}\""), &e))?
                .bytes()
                .await
                .map_err(|e| network(format!("Get \"{url}\""), &e))?;
            let mut hex = String::with_capacity(71);
            hex.push_str("sha256:");
            for b in Sha256::digest(&body) {
                hex.push_str(&format!("{b:02x}"));
            }
            hex
        }
    };
    let hex = digest
        .strip_prefix("sha256:")
        .ok_or_else(|| Error::Fingerprint {
            path: image.given.clone().into(),
            message: format!("{reading}: unsupported digest algorithm in {digest}"),
        })?;
    hex.parse()
}

const API_VERSION: &str = "Docker-Distribution-Api-Version";
const API_VERSION_VALUE: &str = "registry/2.0";

/// `GET /v2/` over https, then over http for an insecure registry whose https failed.
async fn ping(http: &reqwest::Client, host: &str, insecure: bool) -> Result<(String, Challenge)> {
    let schemes: &[&str] = if insecure {
        &["https", "http"]
    } else {
        &["https"]
    };
    let mut last = None;
    for scheme in schemes {
        let url = format!("{scheme}://{host}/v2/");
        match http
            .get(&url)
            .header(API_VERSION, API_VERSION_VALUE)
            .send()
            .await
        {
            Ok(answer) => {
                let challenge = if answer.status().as_u16() == 401 {
                    parse_challenge(answer.headers())
                } else {
                    Challenge::None
                };
                return Ok((format!("{scheme}://{host}"), challenge));
            }
            Err(e) => {
                tracing::debug!("ping {url}: {e}");
                last = Some(network(
                    format!("pinging container registry {host}: Get \"{url}\""),
                    &e,
                ));
            }
        }
    }
    Err(last.unwrap_or_else(|| Error::config("no scheme to reach the registry")))
}

fn parse_challenge(headers: &HeaderMap) -> Challenge {
    for value in headers.get_all(WWW_AUTHENTICATE) {
        let Ok(v) = value.to_str() else { continue };
        let (scheme, params) = v.split_once(' ').unwrap_or((v, ""));
        if scheme.eq_ignore_ascii_case("basic") {
            return Challenge::Basic;
        }
        if scheme.eq_ignore_ascii_case("bearer") {
            let p = auth_params(params);
            let get = |k: &str| {
                p.iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v.clone())
            };
            if let Some(realm) = get("realm") {
                return Challenge::Bearer {
                    realm,
                    service: get("service"),
                };
            }
        }
    }
    Challenge::None
}

/// `k="v", k2=v2` (quoted strings may hold commas).
fn auth_params(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let key = key.trim().trim_start_matches(',').trim().to_string();
        let after = after.trim_start();
        let (value, tail) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').unwrap_or(q.len());
            (q[..end].to_string(), q.get(end + 1..).unwrap_or(""))
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        out.push((key, value));
        rest = tail.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

fn basic(c: &Credentials) -> HeaderValue {
    let raw = format!("{}:{}", c.username, c.password.expose_secret());
    let mut v = HeaderValue::from_str(&format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""));
    v.set_sensitive(true);
    v
}

/// The registry's token service (`realm`) for a pull of `repo`.
async fn bearer_token(
    http: &reqwest::Client,
    realm: &str,
    service: Option<&str>,
    repo: &str,
    credentials: Option<&Credentials>,
) -> Result<HeaderValue> {
    let mut url = reqwest::Url::parse(realm)
        .map_err(|e| Error::config(format!("the registry's token realm {realm}: {e}")))?;
    {
        // Go's url.Values.Encode: keys in sorted order (account, scope, service).
        let mut q = url.query_pairs_mut();
        if let Some(c) = credentials {
            q.append_pair("account", &c.username);
        }
        q.append_pair("scope", &format!("repository:{repo}:pull"));
        if let Some(s) = service {
            q.append_pair("service", s);
        }
    }
    let mut request = http.get(url.clone());
    if let Some(c) = credentials {
        request = request.header(AUTHORIZATION, basic(c));
    }
    let answer = request
        .send()
        .await
        .map_err(|e| network(format!("Get \"{url}\""), &e))?;
    let status = answer.status();
    let bytes = answer
        .bytes()
        .await
        .map_err(|e| network(format!("Get \"{url}\""), &e))?;
    let status = match status.as_u16() {
        200 => 200,
        401 => {
            return Err(Error::Auth {
                status: 401,
                message: format!(
                    "unable to retrieve auth token: invalid username/password: {}",
                    unauthorized_detail(&bytes)
                ),
            })
        }
        code => {
            let message = format!(
                "Requesting bearer token: received unexpected HTTP status: {code} {}",
                status.canonical_reason().unwrap_or_default()
            );
            return Err(if code == 403 {
                Error::Auth {
                    status: code,
                    message,
                }
            } else {
                Error::Api {
                    status: code,
                    message,
                }
            });
        }
    };
    let body: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| Error::Api {
        status,
        message: format!("requesting bearer token: {e}"),
    })?;
    // No token: the manifest request goes without one and the registry refuses it, as with
    // the CLI ("authentication required").
    let token = body
        .get("token")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .or_else(|| body.get("access_token").and_then(|t| t.as_str()))
        .unwrap_or_default();
    let mut v = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| Error::Api {
        status,
        message: "requesting bearer token: the token is not a valid header value".to_string(),
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// What a token service's 401 says, worded as the CLI's registry client words it: the
/// distribution error list (`unauthorized: <message>`), an old-style `{"details": ...}`, or
/// `authentication required` when the body says nothing.
fn unauthorized_detail(body: &[u8]) -> String {
    const DEFAULT: &str = "authentication required";
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return DEFAULT.to_string();
    };
    if let Some(details) = v.get("details").and_then(|d| d.as_str()) {
        return format!("unauthorized: {details}");
    }
    let errors: Vec<String> = v
        .get("errors")
        .and_then(|e| e.as_array())
        .map(|list| {
            list.iter()
                .map(|e| {
                    let code = e.get("code").and_then(|c| c.as_str()).unwrap_or("UNKNOWN");
                    let code = code.replace('_', " ").to_lowercase();
                    match e.get("message").and_then(|m| m.as_str()) {
                        Some(m) if !m.is_empty() => format!("{code}: {m}"),
                        _ => format!("{code}: {DEFAULT}"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    match errors.len() {
        0 => DEFAULT.to_string(),
        1 => errors.concat(),
        _ => format!("errors:\n{}\n", errors.join("\n")),
    }
}

fn network(context: String, e: &reqwest::Error) -> Error {
    Error::Network {
        message: format!("{context}: {}", transport::describe(e)),
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_are_parsed() {
        let mut h = HeaderMap::new();
        h.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"test-realm\""),
        );
        assert_eq!(parse_challenge(&h), Challenge::Basic);
        h.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"a,b\"",
            ),
        );
        assert_eq!(
            parse_challenge(&h),
            Challenge::Bearer {
                realm: "https://auth.example/token".into(),
                service: Some("registry.example".into())
            }
        );
        assert_eq!(parse_challenge(&HeaderMap::new()), Challenge::None);
    }

    #[test]
    fn token_refusals_are_worded_as_the_cli_words_them() {
        assert_eq!(unauthorized_detail(b""), "authentication required");
        assert_eq!(
            unauthorized_detail(br#"{"details":"bad"}"#),
            "unauthorized: bad"
        );
        assert_eq!(
            unauthorized_detail(
                br#"{"errors":[{"code":"UNAUTHORIZED","message":"nope","detail":null}]}"#
            ),
            "unauthorized: nope"
        );
        assert_eq!(
            unauthorized_detail(
                br#"{"errors":[{"code":"DENIED"},{"code":"NAME_UNKNOWN","message":"x"}]}"#
            ),
            "errors:\ndenied: authentication required\nname unknown: x\n"
        );
    }

    #[test]
    fn options_hide_the_password_and_prefer_explicit_credentials() {
        let o = RegistryOptions::new()
            .username("u")
            .password("hunter2")
            .auth_files(Vec::<std::path::PathBuf>::new());
        assert!(!format!("{o:?}").contains("hunter2"));
        let c = o.credentials_for("any.example").unwrap();
        assert_eq!(c.password.expose_secret(), "hunter2");
        assert!(RegistryOptions::new()
            .auth_files(Vec::<std::path::PathBuf>::new())
            .credentials_for("x")
            .is_none());
        let o = RegistryOptions::new().insecure_registries(["127.0.0.1:5000"]);
        assert!(o.is_insecure("127.0.0.1:5000") && !o.is_insecure("127.0.0.1:5001"));
    }
}
