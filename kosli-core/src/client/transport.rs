//! The HTTP layer: one reqwest client (one connection pool) per SDK client, HTTP/1.1 over
//! rustls with the platform's certificate roots plus an optional extra CA bundle, gzip, the
//! proxy, and one attempt of a request.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Url;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use secrecy::{ExposeSecret, SecretString};

use crate::config::{redact_userinfo, Config};
use crate::error::{Error, Result};

/// The `Content-Type` the CLI sends on every JSON request, GETs included.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Builds the reqwest client for `config`.
pub(crate) fn http_client(config: &Config, user_agent: &str) -> Result<reqwest::Client> {
    let tls = tls_config(config)?;
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .user_agent(user_agent)
        .connect_timeout(config.timeouts().connect())
        .gzip(true);
    if let Some(proxy) = config.http_proxy() {
        let p = reqwest::Proxy::all(proxy.as_str()).map_err(|e| {
            Error::config(format!(
                "invalid http proxy {}: {e}",
                redact_userinfo(proxy)
            ))
        })?;
        builder = builder.proxy(p);
    }
    builder.build().map_err(|e| {
        Error::config(format!(
            "could not set up the HTTP client: {}",
            error_chain(&e)
        ))
    })
}

/// rustls with the `ring` provider (chosen here, not installed process-wide, so the host
/// program keeps its own choice) and the platform verifier, extended with the CA bundle.
fn tls_config(config: &Config) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = match config.ca_bundle() {
        None => rustls_platform_verifier::Verifier::new(provider.clone()),
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| Error::io("open", path, e))?;
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| Error::config(format!("CA bundle {}: {e}", path.display())))?;
            if certs.is_empty() {
                return Err(Error::config(format!(
                    "CA bundle {}: no PEM certificate in it",
                    path.display()
                )));
            }
            extra_roots_verifier(certs, provider.clone())
        }
    }
    .map_err(|e| {
        Error::config(format!(
            "could not set up TLS certificate verification: {e}"
        ))
    })?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config(format!("could not set up TLS: {e}")))?
        .dangerous() // not dangerous: the platform verifier checks certificates fully
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

#[cfg(not(target_os = "android"))]
fn extra_roots_verifier(
    certs: Vec<CertificateDer<'static>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> std::result::Result<rustls_platform_verifier::Verifier, rustls::Error> {
    rustls_platform_verifier::Verifier::new_with_extra_roots(certs, provider)
}

#[cfg(target_os = "android")]
fn extra_roots_verifier(
    _certs: Vec<CertificateDer<'static>>,
    _provider: Arc<rustls::crypto::CryptoProvider>,
) -> std::result::Result<rustls_platform_verifier::Verifier, rustls::Error> {
    Err(rustls::Error::General(
        "an extra CA bundle is not supported on Android".into(),
    ))
}

/// A request ready to be sent, the same bytes on every attempt.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) method: reqwest::Method,
    pub(crate) url: Url,
    pub(crate) content_type: String,
    pub(crate) body: Option<Bytes>,
    /// Headers of the caller's, sent after the others (a provider's own auth header; their
    /// values are marked sensitive).
    pub(crate) headers: Vec<(reqwest::header::HeaderName, HeaderValue)>,
}

/// The raw answer of one attempt.
#[derive(Debug)]
pub(crate) struct RawAnswer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Sends one attempt and reads the whole answer.
pub(crate) async fn attempt(
    http: &reqwest::Client,
    prepared: &Prepared,
    token: Option<&SecretString>,
    timeout: Option<Duration>,
) -> std::result::Result<RawAnswer, reqwest::Error> {
    let mut req = http.request(prepared.method.clone(), prepared.url.clone());
    if !prepared.content_type.is_empty() {
        if let Ok(ct) = HeaderValue::from_str(&prepared.content_type) {
            req = req.header(CONTENT_TYPE, ct);
        }
    }
    for (name, value) in &prepared.headers {
        req = req.header(name.clone(), value.clone());
    }
    if let Some(token) = token {
        // Marked sensitive so that no layer below prints it (hyper and reqwest show
        // "Sensitive" instead of the value in Debug output).
        if let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())) {
            value.set_sensitive(true);
            req = req.header(AUTHORIZATION, value);
        }
    }
    if let Some(body) = &prepared.body {
        req = req.body(body.clone());
    }
    if let Some(t) = timeout {
        req = req.timeout(t);
    }
    let resp = req.send().await?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.bytes().await?;
    Ok(RawAnswer {
        status,
        headers,
        body,
    })
}

/// An error and its causes, joined with `: `, without repeats and without reqwest's own
/// "error sending request for url (...)" line (the caller names the URL).
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        let skip = text.starts_with("error sending request for url") && e.source().is_some();
        if !skip && parts.last() != Some(&text) && !text.is_empty() {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// Whether a transport error is a refused certificate, which retrying cannot fix.
pub(crate) fn is_certificate_error(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if refused_certificate(e) {
            return true;
        }
        current = e.source();
    }
    false
}

/// Whether `e` is a rustls certificate refusal, possibly inside nested `io::Error`s (which hide
/// the error they wrap from `source()`: hyper-rustls wraps it twice).
fn refused_certificate(e: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(r) = e.downcast_ref::<rustls::Error>() {
        return matches!(r, rustls::Error::InvalidCertificate(_));
    }
    match e
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        Some(inner) => refused_certificate(inner),
        None => false,
    }
}
