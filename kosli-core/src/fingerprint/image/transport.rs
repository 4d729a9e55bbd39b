//! The HTTP clients that talk to registries, the Docker Engine and Kubernetes: reqwest over
//! rustls (ring; the platform's roots plus an optional CA bundle), or over a unix socket for
//! the Engine. Our own User-Agent, not the CLI's (only Kosli's wire has to be identical).

use std::error::Error as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use crate::error::{Error, Result};

/// The User-Agent sent to registries, the Docker Engine and Kubernetes.
pub(crate) const USER_AGENT: &str = concat!("kosli-sdk/", env!("CARGO_PKG_VERSION"));

/// A client trusting the platform's roots plus `ca_bundle`; over `unix_socket` when given.
pub(crate) fn http_client(
    ca_bundle: Option<&Path>,
    timeout: Duration,
    unix_socket: Option<&Path>,
) -> Result<reqwest::Client> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = match ca_bundle {
        None => rustls_platform_verifier::Verifier::new(provider.clone()),
        Some(path) => {
            let certs = read_certs(path)?;
            #[cfg(not(target_os = "android"))]
            {
                rustls_platform_verifier::Verifier::new_with_extra_roots(certs, provider.clone())
            }
            #[cfg(target_os = "android")]
            {
                drop(certs);
                rustls_platform_verifier::Verifier::new(provider.clone())
            }
        }
    }
    .map_err(|e| {
        Error::config(format!(
            "could not set up TLS certificate verification: {e}"
        ))
    })?;
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config(format!("could not set up TLS: {e}")))?
        .dangerous() // not dangerous: the platform verifier checks certificates fully
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    client_with_tls(tls, timeout, unix_socket)
}

/// A client with a TLS configuration made by the caller (Kubernetes' own CA, client certs).
pub(crate) fn client_with_tls(
    mut tls: rustls::ClientConfig,
    timeout: Duration,
    unix_socket: Option<&Path>,
) -> Result<reqwest::Client> {
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .user_agent(USER_AGENT)
        .connect_timeout(timeout)
        .timeout(timeout)
        .gzip(true);
    #[cfg(unix)]
    if let Some(socket) = unix_socket {
        builder = builder.unix_socket(socket);
    }
    #[cfg(not(unix))]
    if unix_socket.is_some() {
        return Err(Error::config(
            "unix sockets are not available on this platform",
        ));
    }
    builder.build().map_err(|e| {
        Error::config(format!(
            "could not set up the HTTP client: {}",
            describe(&e)
        ))
    })
}

/// PEM certificates from `path`; none is an error.
pub(crate) fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let pem = std::fs::read(path).map_err(|e| Error::io("open", path, e))?;
    parse_certs(&pem, &path.display().to_string())
}

/// PEM certificates from `pem` (`what` names the source in errors).
pub(crate) fn parse_certs(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::config(format!("{what}: {e}")))?;
    if certs.is_empty() {
        return Err(Error::config(format!("{what}: no PEM certificate in it")));
    }
    Ok(certs)
}

/// The innermost useful cause, worded as Go words the common ones (`connect: connection
/// refused`, `connect: no such file or directory`), else reqwest's chain.
pub(crate) fn describe(e: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = e.source();
    let mut chain = vec![e.to_string()];
    while let Some(s) = source {
        let text = s.to_string();
        // Plain http where TLS was expected: the first bytes are not a TLS record (matched on
        // rustls' words: the error may come from another rustls version than ours).
        if text.ends_with("message of type InvalidContentType") {
            return "tls: first record does not look like a TLS handshake".to_string();
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return io_text(io);
        }
        chain.push(text);
        source = s.source();
    }
    if e.is_timeout() {
        return "timeout awaiting response".to_string();
    }
    chain.dedup();
    chain.join(": ")
}

/// Go's wording of an I/O error on connect.
pub(crate) fn io_text(io: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match io.kind() {
        K::NotFound => "connect: no such file or directory".to_string(),
        K::ConnectionRefused => "connect: connection refused".to_string(),
        K::PermissionDenied => "connect: permission denied".to_string(),
        _ => io.to_string(),
    }
}
