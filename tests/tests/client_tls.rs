//! HTTPS: the platform's roots plus an extra CA bundle (for corporate proxies), and a refused
//! certificate failing at once (no retry can fix it). The server is a local TLS listener with
//! a test-only certificate for localhost/127.0.0.1 (tests/fixtures/client/tls).

mod client_common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use kosli_core::{Config, ErrorKind};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn tls_dir() -> PathBuf {
    kosli_tests::fixtures_dir().join("client").join("tls")
}

/// An HTTPS server answering `"OK"` to everything; returns its port and its connection count.
async fn https_server() -> (u16, Arc<AtomicUsize>) {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(tls_dir().join("server.pem"))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls_dir().join("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            counted.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tls
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\n\"OK\"",
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, connections)
}

#[tokio::test]
async fn an_extra_ca_bundle_is_trusted() {
    let (port, _) = https_server().await;
    for host in [
        format!("https://localhost:{port}"),
        format!("https://127.0.0.1:{port}"),
    ] {
        let config = Config::builder()
            .host(&host)
            .api_token("t")
            .ca_bundle(tls_dir().join("ca.pem"))
            .build()
            .unwrap();
        let (client, _) = client_common::client(config);
        assert_eq!(client.status().await.unwrap(), "\"OK\"", "{host}");
    }
}

#[tokio::test]
async fn an_unknown_issuer_fails_at_once_without_retries() {
    let (port, connections) = https_server().await;
    let config = Config::builder()
        .host(format!("https://localhost:{port}"))
        .api_token("t")
        .build()
        .unwrap();
    let (client, clock) = client_common::client(config);
    let e = client.status().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(e.to_string().to_lowercase().contains("certificate"), "{e}");
    assert!(
        clock.sleeps().is_empty(),
        "a refused certificate is not retried: {e:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[test]
fn bad_ca_bundles_are_named() {
    let missing = Config::builder()
        .ca_bundle("/nonexistent/ca.pem")
        .build()
        .unwrap();
    let e = kosli_core::Client::new(missing).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
    assert!(e.to_string().contains("/nonexistent/ca.pem"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "no certificates here\n").unwrap();
    let e =
        kosli_core::Client::new(Config::builder().ca_bundle(&empty).build().unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.to_string().contains("empty.pem"), "{e}");
}
