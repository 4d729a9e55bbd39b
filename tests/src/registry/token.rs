//! A fake registry with Bearer-token auth (Docker's token protocol), over plain http on
//! 127.0.0.1, with its token service beside it on the same port (`/token`):
//!
//! * any `/v2/...` request without a valid `Authorization: Bearer <token>` answers 401 with
//!   `WWW-Authenticate: Bearer realm="http://127.0.0.1:PORT/token",service="fake-registry"`;
//! * `GET /token?[account=U&]scope=repository:<repo>:pull&service=fake-registry` answers
//!   `{"token": ...}`: [`ANONYMOUS_TOKEN`] without credentials (good for [`PUBLIC_REPO`]
//!   only), [`USER_TOKEN`] with Basic [`USER`]:[`PASSWORD`] (good for every repository); wrong
//!   credentials answer 401 `{"details":"incorrect username or password"}`;
//! * `HEAD /v2/<repo>/manifests/<tag>` with a good token answers 200 with the
//!   `Docker-Content-Digest` of that image, 404 for an unknown one.
//!
//! The official CLI v2.43.1 was observed against the same protocol (see
//! tests/fixtures/images/token_flow.json).

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::fake_docker::http::{Answer, Handler, Seen, ServerThread};

/// The token service's user.
pub const USER: &str = "tokuser";
/// Its password.
pub const PASSWORD: &str = "tokpass";
/// The token given without credentials.
pub const ANONYMOUS_TOKEN: &str = "anon-token";
/// The token given to [`USER`].
pub const USER_TOKEN: &str = "user-token";
/// The repository anonymous tokens may pull.
pub const PUBLIC_REPO: &str = "test/public";
/// The `service` of the challenge.
pub const SERVICE: &str = "fake-registry";

/// A running token-auth registry; stops when dropped.
pub struct TokenRegistry {
    server: ServerThread,
    port: u16,
}

impl TokenRegistry {
    /// Starts it with `images`: `"repo:tag"` → `sha256:...` digest.
    pub fn start(images: BTreeMap<String, String>) -> std::io::Result<TokenRegistry> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let images = Arc::new(images);
        let handler: Handler = Arc::new(move |seen: &Seen<'_>| answer(&images, port, seen));
        let server = ServerThread::spawn(
            "fake-token-registry",
            move |log, mut stopped| async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            tokio::spawn(crate::fake_docker::http::serve_connection(stream, handler.clone(), log.clone()));
                        }
                    }
                }
            },
        )?;
        Ok(TokenRegistry { server, port })
    }

    /// `127.0.0.1:PORT`.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The requests seen: `{method, target, headers, status}`.
    pub fn requests(&self) -> Vec<Value> {
        self.server.requests()
    }
}

fn query(target: &str) -> BTreeMap<String, String> {
    let q = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
    url_pairs(q)
}

fn url_pairs(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(v) => {
                    out.push(v);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn challenge(port: u16) -> Answer {
    let mut a = Answer::json(
        401,
        &json!({"errors": [{"code": "UNAUTHORIZED", "message": "authentication required", "detail": null}]}),
    );
    a.headers.push((
        "WWW-Authenticate".into(),
        format!("Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"{SERVICE}\""),
    ));
    a
}

fn answer(images: &BTreeMap<String, String>, port: u16, seen: &Seen<'_>) -> Answer {
    let path = seen.target.split('?').next().unwrap_or_default();
    if path == "/token" {
        let q = query(seen.target);
        let token = match seen.header("authorization") {
            None => ANONYMOUS_TOKEN.to_string(),
            Some(a) => {
                let good = format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
                );
                if a != good || q.get("account").map(String::as_str) != Some(USER) {
                    return Answer::json(
                        401,
                        &json!({"details": "incorrect username or password"}),
                    );
                }
                USER_TOKEN.to_string()
            }
        };
        // Only the public repository may be pulled with the anonymous token: checked on the
        // manifest request, as a registry does.
        return Answer::json(200, &json!({"token": token, "expires_in": 300}));
    }
    let Some(rest) = path.strip_prefix("/v2/") else {
        return Answer::json(404, &json!({}));
    };
    let token = seen
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap_or_default();
    let manifest = rest.split_once("/manifests/");
    let allowed = match (token, manifest) {
        (USER_TOKEN, _) => true,
        (ANONYMOUS_TOKEN, Some((repo, _))) => repo == PUBLIC_REPO,
        (ANONYMOUS_TOKEN, None) => true,
        _ => false,
    };
    if !allowed {
        return challenge(port);
    }
    match manifest {
        None => Answer::json(200, &json!({})),
        Some((repo, reference)) => match images.get(&format!("{repo}:{reference}")) {
            Some(digest) => Answer {
                status: 200,
                headers: vec![
                    (
                        "Content-Type".into(),
                        "application/vnd.oci.image.manifest.v1+json".into(),
                    ),
                    ("Docker-Content-Digest".into(), digest.clone()),
                    (
                        "Docker-Distribution-Api-Version".into(),
                        "registry/2.0".into(),
                    ),
                ],
                body: Vec::new(),
            },
            None => Answer::json(
                404,
                &json!({"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}),
            ),
        },
    }
}
