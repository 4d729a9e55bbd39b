//! Credentials for a Kubernetes API server: a kubeconfig file (its current context's cluster
//! and user: CA file or data, client certificate, token or token file, basic auth, an `exec`
//! credential plugin) or, with no file, the in-cluster service account.
//!
//! As client-go, a bearer token or password is sent only over https.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::HeaderValue;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::PrivateKeyDer;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::fingerprint::image::transport;

const SERVICE_ACCOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct KubeConfig {
    #[serde(default)]
    current_context: Option<String>,
    #[serde(default)]
    clusters: Vec<Named<Cluster>>,
    #[serde(default)]
    users: Vec<Named<User>>,
    #[serde(default)]
    contexts: Vec<Named<Context>>,
}

#[derive(Deserialize)]
struct Named<T> {
    name: String,
    #[serde(alias = "cluster", alias = "user", alias = "context")]
    value: Option<T>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct Cluster {
    server: String,
    #[serde(default)]
    certificate_authority: Option<PathBuf>,
    #[serde(default)]
    certificate_authority_data: Option<String>,
    #[serde(default)]
    insecure_skip_tls_verify: bool,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct User {
    #[serde(default)]
    token: Option<String>,
    #[serde(default, rename = "tokenFile")]
    token_file: Option<PathBuf>,
    #[serde(default)]
    client_certificate: Option<PathBuf>,
    #[serde(default)]
    client_certificate_data: Option<String>,
    #[serde(default)]
    client_key: Option<PathBuf>,
    #[serde(default)]
    client_key_data: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    exec: Option<Exec>,
    #[serde(default, rename = "auth-provider")]
    auth_provider: Option<serde_yaml_ng::Value>,
}

#[derive(Deserialize)]
struct Exec {
    command: String,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    env: Option<Vec<ExecEnv>>,
}

#[derive(Deserialize)]
struct ExecEnv {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct Context {
    cluster: String,
    #[serde(default)]
    user: Option<String>,
}

/// A ready connection to an API server: its URL, an HTTP client with its TLS settings, and
/// the `Authorization` header (none over plain http).
#[derive(Clone)]
pub(crate) struct Connection {
    pub(crate) server: String,
    pub(crate) http: reqwest::Client,
    pub(crate) authorization: Option<HeaderValue>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("server", &self.server)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

/// The connection `kubeconfig` describes; with no path, `$HOME/.kube/config` when it exists,
/// else the in-cluster service account.
pub(crate) fn connect(kubeconfig: Option<&Path>, timeout: Duration) -> Result<Connection> {
    let path = match kubeconfig {
        Some(p) => Some(p.to_path_buf()),
        None => std::env::var_os("HOME")
            .map(|h| Path::new(&h).join(".kube/config"))
            .filter(|p| p.exists()),
    };
    match path {
        Some(p) => from_file(&p, timeout),
        None => in_cluster(timeout),
    }
}

fn build_error(message: String) -> Error {
    // The CLI's words, trailing space included.
    Error::config(format!("could not build config from flags: {message} "))
}

fn from_file(path: &Path, timeout: Duration) -> Result<Connection> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let io = Error::io("stat", path, e);
        let message = format!("could not build config from flags: {io} ");
        crate::ops::environments::with_message(io, message)
    })?;
    let config: KubeConfig = serde_yaml_ng::from_str(&text).map_err(|e| {
        Error::parse(
            Some(path),
            e.location().map(|l| l.line() as u64),
            format!("could not build config from flags: {e} "),
        )
    })?;
    let context_name = config
        .current_context
        .clone()
        .or_else(|| config.contexts.first().map(|c| c.name.clone()))
        .ok_or_else(|| {
            build_error("invalid configuration: no configuration has been provided".into())
        })?;
    let context = find(&config.contexts, &context_name).ok_or_else(|| {
        build_error(format!(
            "context was not found for specified context: {context_name}"
        ))
    })?;
    let cluster = find(&config.clusters, &context.cluster)
        .ok_or_else(|| build_error(format!("cluster \"{}\" not found", context.cluster)))?;
    let empty = User::default();
    let user = match &context.user {
        Some(u) => find(&config.users, u).unwrap_or(&empty),
        None => &empty,
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let resolve = |p: &PathBuf| {
        if p.is_absolute() {
            p.clone()
        } else {
            base.join(p)
        }
    };
    if cluster.insecure_skip_tls_verify {
        return Err(build_error(
            "insecure-skip-tls-verify is not supported by this SDK: give the cluster's certificate-authority".into(),
        ));
    }
    if user.auth_provider.is_some() {
        return Err(build_error(
            "auth-provider users are not supported by this SDK: use a token, a client certificate or an exec plugin".into(),
        ));
    }
    let ca = match (
        &cluster.certificate_authority_data,
        &cluster.certificate_authority,
    ) {
        (Some(data), _) => Some(transport::parse_certs(
            &decode(data, "certificate-authority-data")?,
            "certificate-authority-data",
        )?),
        (None, Some(file)) => Some(transport::read_certs(&resolve(file))?),
        _ => None,
    };
    let cert_pem = match (&user.client_certificate_data, &user.client_certificate) {
        (Some(d), _) => Some(decode(d, "client-certificate-data")?),
        (None, Some(f)) => Some(read(&resolve(f))?),
        _ => None,
    };
    let key_pem = match (&user.client_key_data, &user.client_key) {
        (Some(d), _) => Some(decode(d, "client-key-data")?),
        (None, Some(f)) => Some(read(&resolve(f))?),
        _ => None,
    };
    let https = cluster.server.starts_with("https://");
    let authorization = if !https {
        None
    } else if let Some(t) = &user.token {
        Some(bearer(t)?)
    } else if let Some(f) = &user.token_file {
        Some(bearer(read_token(&resolve(f))?.as_str())?)
    } else if let (Some(u), Some(p)) = (&user.username, &user.password) {
        let raw = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"));
        Some(sensitive(&format!("Basic {raw}"))?)
    } else if let Some(exec) = &user.exec {
        Some(bearer(&exec_token(exec)?)?)
    } else {
        None
    };
    if !https && (user.token.is_some() || user.token_file.is_some()) {
        tracing::debug!(
            "not sending the kubeconfig token to the plain http server {}",
            cluster.server
        );
    }
    let client_auth = match (cert_pem, key_pem) {
        (Some(c), Some(k)) => Some((c, k)),
        _ => None,
    };
    let http = client(ca, client_auth, timeout)?;
    Ok(Connection {
        server: cluster.server.trim_end_matches('/').to_string(),
        http,
        authorization,
    })
}

fn in_cluster(timeout: Duration) -> Result<Connection> {
    let host = std::env::var("KUBERNETES_SERVICE_HOST")
        .ok()
        .filter(|h| !h.is_empty());
    let port = std::env::var("KUBERNETES_SERVICE_PORT")
        .ok()
        .filter(|p| !p.is_empty());
    let (Some(host), Some(port)) = (host, port) else {
        return Err(in_cluster_error(
            "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined".into(),
        ));
    };
    let dir = Path::new(SERVICE_ACCOUNT);
    let in_cluster_io = |e: Error| {
        let message = format!("could not build config from inside the cluster: {e} ");
        crate::ops::environments::with_message(e, message)
    };
    let token = read_token(&dir.join("token")).map_err(in_cluster_io)?;
    let ca = transport::read_certs(&dir.join("ca.crt")).map_err(in_cluster_io)?;
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    Ok(Connection {
        server: format!("https://{host}:{port}"),
        http: client(Some(ca), None, timeout)?,
        authorization: Some(bearer(&token)?),
    })
}

fn in_cluster_error(message: String) -> Error {
    // The CLI's words, trailing space included.
    Error::config(format!(
        "could not build config from inside the cluster: {message} "
    ))
}

fn find<'a, T>(list: &'a [Named<T>], name: &str) -> Option<&'a T> {
    list.iter()
        .find(|n| n.name == name)
        .and_then(|n| n.value.as_ref())
}

fn decode(data: &str, field: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| build_error(format!("{field}: {e}")))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io("open", path, e))
}

fn read_token(path: &Path) -> Result<String> {
    Ok(String::from_utf8_lossy(&read(path)?).trim().to_string())
}

fn sensitive(v: &str) -> Result<HeaderValue> {
    let mut h = HeaderValue::from_str(v)
        .map_err(|_| build_error("the credentials are not a valid header value".into()))?;
    h.set_sensitive(true);
    Ok(h)
}

fn bearer(token: &str) -> Result<HeaderValue> {
    sensitive(&format!("Bearer {token}"))
}

/// Runs an `exec` credential plugin (EKS, GKE, ...) and takes `status.token` of its
/// ExecCredential.
fn exec_token(exec: &Exec) -> Result<String> {
    let mut cmd = std::process::Command::new(&exec.command);
    cmd.args(&exec.args);
    for e in exec.env.iter().flatten() {
        cmd.env(&e.name, &e.value);
    }
    let out = cmd.output().map_err(|e| {
        let io = Error::io("exec", Path::new(&exec.command), e);
        let message = format!("could not run the credential plugin {}: {io}", exec.command);
        crate::ops::environments::with_message(io, message)
    })?;
    if !out.status.success() {
        return Err(Error::config(format!(
            "the credential plugin {} failed ({}): {}",
            exec.command,
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        Error::parse(
            None,
            Some(e.line() as u64),
            format!("the credential plugin {}'s output: {e}", exec.command),
        )
    })?;
    v.pointer("/status/token")
        .and_then(|t| t.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            Error::config(format!(
                "the credential plugin {} gave no status.token",
                exec.command
            ))
        })
}

/// TLS for the API server: its CA alone when given (as client-go), else the platform's roots;
/// the client certificate when given.
fn client(
    ca: Option<Vec<rustls::pki_types::CertificateDer<'static>>>,
    client_auth: Option<(Vec<u8>, Vec<u8>)>,
    timeout: Duration,
) -> Result<reqwest::Client> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config(format!("could not set up TLS: {e}")))?;
    let builder = match ca {
        Some(certs) => {
            let mut roots = rustls::RootCertStore::empty();
            for c in certs {
                roots
                    .add(c)
                    .map_err(|e| build_error(format!("certificate-authority: {e}")))?;
            }
            builder.with_root_certificates(roots)
        }
        None => {
            let verifier = rustls_platform_verifier::Verifier::new(provider).map_err(|e| {
                Error::config(format!(
                    "could not set up TLS certificate verification: {e}"
                ))
            })?;
            builder
                .dangerous() // not dangerous: the platform verifier checks certificates fully
                .with_custom_certificate_verifier(Arc::new(verifier))
        }
    };
    let tls = match client_auth {
        Some((cert, key)) => {
            let certs = transport::parse_certs(&cert, "client-certificate")?;
            let key = PrivateKeyDer::from_pem_slice(&key)
                .map_err(|e| build_error(format!("client-key: {e}")))?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| build_error(format!("client certificate: {e}")))?
        }
        None => builder.with_no_client_auth(),
    };
    transport::client_with_tls(tls, timeout, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_kubeconfig_is_the_cli_error() {
        let e = connect(Some(Path::new("/nonexist")), Duration::from_secs(1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "could not build config from flags: stat /nonexist: no such file or directory "
        );
    }

    #[test]
    fn tokens_go_only_over_https() {
        let d = tempfile::tempdir().unwrap();
        let write = |server: &str| {
            let p = d.path().join("config");
            std::fs::write(&p, format!("apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: u\nclusters:\n- name: k\n  cluster:\n    server: {server}\nusers:\n- name: u\n  user:\n    token: kube-token-abc\n")).unwrap();
            p
        };
        let c = connect(Some(&write("http://127.0.0.1:1")), Duration::from_secs(1)).unwrap();
        assert!(c.authorization.is_none());
        let c = connect(Some(&write("https://127.0.0.1:1/")), Duration::from_secs(1)).unwrap();
        assert_eq!(c.server, "https://127.0.0.1:1");
        assert_eq!(
            c.authorization.unwrap().to_str().unwrap(),
            "Bearer kube-token-abc"
        );
        assert!(!format!(
            "{:?}",
            connect(Some(&write("https://x")), Duration::from_secs(1)).unwrap()
        )
        .contains("kube-token"));
    }
}
