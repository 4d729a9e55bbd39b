//! A fake Kubernetes API server on 127.0.0.1 answering what `snapshot k8s` asks (wire-2.md
//! §2), as the contract's `fake_kube.py`: `GET /api/v1/namespaces`, `GET /api/v1/pods`, `GET
//! /api/v1/namespaces/{ns}/pods` (empty for an unknown namespace). With a token, a wrong or
//! missing bearer answers 401 (a `Status` object). Over TLS with the test certificate of
//! `tests/fixtures/client/tls` (the kubeconfig then carries its CA), or plain http.
//! State: `{"namespaces": [names], "pods": {ns: [pod without apiVersion/kind]}}`.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::{json, Value};

use crate::fake_docker::http::{self, Answer, Handler, Seen, ServerThread};

/// A running fake API server; stops when dropped.
pub struct FakeKube {
    server: ServerThread,
    port: u16,
    tls: bool,
}

impl FakeKube {
    /// Starts a fake over TLS (the fixtures' certificate for 127.0.0.1) that demands `token`
    /// when given.
    pub fn start(state: Value, token: Option<&str>) -> std::io::Result<FakeKube> {
        FakeKube::start_with(state, token, true)
    }

    /// Starts a fake, over TLS or plain http.
    pub fn start_with(state: Value, token: Option<&str>, tls: bool) -> std::io::Result<FakeKube> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let acceptor = if tls { Some(acceptor()?) } else { None };
        let state = Arc::new(state);
        let token = token.map(str::to_string);
        let handler: Handler =
            Arc::new(move |seen: &Seen<'_>| answer(&state, token.as_deref(), seen));
        let server = ServerThread::spawn("fake-kube", move |log, mut stopped| async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let (handler, log) = (handler.clone(), log.clone());
                        match &acceptor {
                            Some(a) => {
                                let a = a.clone();
                                tokio::spawn(async move {
                                    if let Ok(tls) = a.accept(stream).await {
                                        http::serve_connection(tls, handler, log).await;
                                    }
                                });
                            }
                            None => { tokio::spawn(http::serve_connection(stream, handler, log)); }
                        }
                    }
                }
            }
        })?;
        Ok(FakeKube { server, port, tls })
    }

    /// The server's URL.
    pub fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// A kubeconfig for this server with `token` (and the CA, over TLS).
    pub fn kubeconfig(&self, token: &str) -> String {
        let ca = if self.tls {
            use base64::Engine as _;
            let pem = std::fs::read(tls_dir().join("ca.pem")).unwrap_or_default();
            format!(
                "    certificate-authority-data: {}\n",
                base64::engine::general_purpose::STANDARD.encode(pem)
            )
        } else {
            String::new()
        };
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: fake\nclusters:\n- name: fake\n  cluster:\n    server: {}\n{ca}contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: fake\nusers:\n- name: fake\n  user:\n    token: {token}\n",
            self.url()
        )
    }

    /// The requests seen: `{method, target, headers, status}`.
    pub fn requests(&self) -> Vec<Value> {
        self.server.requests()
    }
}

fn tls_dir() -> std::path::PathBuf {
    crate::fixtures_dir().join("client").join("tls")
}

fn acceptor() -> std::io::Result<tokio_rustls::TlsAcceptor> {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(tls_dir().join("server.pem"))
            .map_err(std::io::Error::other)?
            .collect::<Result<_, _>>()
            .map_err(std::io::Error::other)?;
    let key = PrivateKeyDer::from_pem_file(tls_dir().join("server.key"))
        .map_err(std::io::Error::other)?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(std::io::Error::other)?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(std::io::Error::other)?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

fn status(code: u16, reason: &str, message: &str) -> Answer {
    Answer::json(
        code,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": message, "reason": reason, "code": code}),
    )
}

fn answer(state: &Value, token: Option<&str>, seen: &Seen<'_>) -> Answer {
    if let Some(t) = token {
        if seen.header("authorization") != Some(&format!("Bearer {t}")) {
            return status(401, "Unauthorized", "Unauthorized");
        }
    }
    let path = seen.target.split('?').next().unwrap_or_default();
    let names: Vec<String> = state["namespaces"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let pods_of = |ns: &str| -> Vec<Value> {
        state["pods"][ns]
            .as_array()
            .map(|pods| {
                pods.iter()
                    .map(|p| {
                        let mut p = p.clone();
                        p["metadata"]["namespace"] = json!(ns);
                        p
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let list = |kind: &str, items: Vec<Value>| {
        Answer::json(
            200,
            &json!({"kind": kind, "apiVersion": "v1",
            "metadata": {"resourceVersion": "100"}, "items": items}),
        )
    };
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        ["", "api", "v1", "namespaces"] => list(
            "NamespaceList",
            names
                .iter()
                .map(|n| {
                    json!({"metadata": {"name": n, "uid": format!("ns-{n}"),
                    "creationTimestamp": "2024-06-01T00:00:00Z"}, "status": {"phase": "Active"}})
                })
                .collect(),
        ),
        ["", "api", "v1", "pods"] => {
            list("PodList", names.iter().flat_map(|n| pods_of(n)).collect())
        }
        ["", "api", "v1", "namespaces", ns, "pods"] => list("PodList", pods_of(ns)),
        _ => status(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ),
    }
}
