//! The HTTP side of the fake: hyper on 127.0.0.1, the control endpoints, faults, the request
//! log, and the API handlers.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

use super::exchange::{Answer, ApiRequest};
use super::faults::{DropAt, Fault, FaultQueue};
use super::state::Store;
use super::{api, record, seed};

/// What every connection shares.
#[derive(Debug, Default)]
pub struct Shared {
    /// The data.
    pub store: Mutex<Store>,
    /// The queued faults.
    pub faults: Mutex<FaultQueue>,
    /// The received requests, as JSON records.
    pub log: Mutex<Vec<Value>>,
    /// The last record number used.
    pub seq: AtomicU64,
    /// When set, API calls must carry `Authorization: Bearer <token>`.
    pub token: Option<String>,
}

/// Locks a mutex, carrying on after a panic elsewhere (the fake's state stays usable).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The error that makes hyper close a connection without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Serves connections from `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(shared.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn percent_decode(s: &str, plus_as_space: bool) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
        match (bytes[i], hex) {
            (b'%', Some(h)) => {
                let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                out.push(digit(h[0]) * 16 + digit(h[1]));
                i += 3;
            }
            (b'+', _) if plus_as_space => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn to_response(answer: &Answer) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder()
        .status(answer.status)
        .header("Content-Type", &answer.content_type);
    for (k, v) in &answer.headers {
        builder = builder.header(k, v);
    }
    builder
        .body(Full::new(answer.body.clone()))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::from_static(b"bad answer"))))
}

fn fault_answer(fault: &Fault, status: u16) -> Answer {
    let mut answer = match &fault.raw_body {
        Some(raw) => Answer::raw(status, raw.clone(), "text/html; charset=utf-8"),
        None => Answer::json(
            status,
            fault
                .body
                .clone()
                .unwrap_or_else(|| json!({"message": "injected fault"})),
        ),
    };
    answer.headers = fault.headers.clone();
    answer
}

async fn handle(
    shared: Arc<Shared>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Err(Dropped),
    };
    let path = parts.uri.path().to_string();
    let query: Vec<(String, String)> = parts
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect();
    let api_req = ApiRequest {
        method: parts.method.as_str().to_string(),
        target: parts.uri.to_string(),
        segments: path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| percent_decode(s, false))
            .collect(),
        path,
        query,
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    if api_req.path.starts_with("/__control/") {
        return Ok(to_response(&control(&shared, &api_req)));
    }
    let fault = lock(&shared.faults).take(&api_req.method, &api_req.path);
    if let Some(ms) = fault.as_ref().and_then(|f| f.delay_ms) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let seq = shared.seq.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(f) = &fault {
        if f.drop == Some(DropAt::Before) {
            lock(&shared.log).push(record::record(seq, &api_req, None, Some("drop-before")));
            return Err(Dropped);
        }
        if let Some(status) = f.status {
            let answer = fault_answer(f, status);
            lock(&shared.log).push(record::record(seq, &api_req, Some(&answer), Some("status")));
            return Ok(to_response(&answer));
        }
    }
    let answer = match authorize(&shared, &api_req) {
        Some(refused) => refused,
        None => api::handle(&mut lock(&shared.store), &api_req),
    };
    if fault
        .as_ref()
        .is_some_and(|f| f.drop == Some(DropAt::After))
    {
        lock(&shared.log).push(record::record(seq, &api_req, None, Some("drop-after")));
        return Err(Dropped);
    }
    let fault_name = fault.map(|_| "delay");
    lock(&shared.log).push(record::record(seq, &api_req, Some(&answer), fault_name));
    Ok(to_response(&answer))
}

/// The 401 Kosli gives (a JSON string body) when a token is required and not the right one.
fn authorize(shared: &Shared, req: &ApiRequest) -> Option<Answer> {
    let token = shared.token.as_deref()?;
    if !req.path.starts_with("/api/") {
        return None;
    }
    let expected = format!("Bearer {token}");
    if req.header("authorization") == Some(expected.as_str()) {
        return None;
    }
    Some(Answer::json(401, json!("Invalid API token")))
}

fn control(shared: &Shared, req: &ApiRequest) -> Answer {
    let bad = |e: String| Answer::json(400, json!({ "message": e }));
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/__control/ping") => Answer::json(200, json!("pong")),
        ("GET", "/__control/requests") => {
            Answer::json(200, Value::Array(lock(&shared.log).clone()))
        }
        ("DELETE", "/__control/requests") => {
            lock(&shared.log).clear();
            Answer::json(200, json!({"cleared": true}))
        }
        ("POST", "/__control/faults") => {
            let faults: Vec<Fault> = match serde_json::from_slice(&req.body) {
                Ok(f) => f,
                Err(e) => return bad(format!("faults must be a JSON list of faults: {e}")),
            };
            let mut q = lock(&shared.faults);
            match q.push(faults) {
                Ok(()) => Answer::json(200, json!({"pending": q.pending()})),
                Err(e) => bad(e),
            }
        }
        ("DELETE", "/__control/faults") => {
            lock(&shared.faults).clear();
            Answer::json(200, json!({"pending": 0}))
        }
        ("POST", "/__control/seed") => {
            let seed: Value = match serde_json::from_slice(&req.body) {
                Ok(s) => s,
                Err(e) => return bad(format!("the seed must be JSON: {e}")),
            };
            match seed::apply(&mut lock(&shared.store), &seed) {
                Ok(()) => Answer::json(200, json!({"seeded": true})),
                Err(e) => bad(e),
            }
        }
        ("POST", "/__control/reset") => {
            lock(&shared.store).reset();
            lock(&shared.faults).clear();
            lock(&shared.log).clear();
            Answer::json(200, json!({"reset": true}))
        }
        ("GET", "/__control/state") => {
            let store = lock(&shared.store);
            let orgs: serde_json::Map<String, Value> = store
                .orgs
                .iter()
                .map(|(name, o)| {
                    (
                        name.clone(),
                        json!({
                            "flows": o.flows.values().collect::<Vec<_>>(),
                            "trails": o.trails.values().collect::<Vec<_>>(),
                            "artifacts": o.artifacts,
                            "attestations": o.attestations,
                            "environments": o.environments.values().collect::<Vec<_>>(),
                            "snapshots": o.snapshots,
                            "allowlists": o.allowlists,
                        }),
                    )
                })
                .collect();
            Answer::json(200, Value::Object(orgs))
        }
        _ => Answer::not_found(format!(
            "unknown control endpoint {} {}",
            req.method, req.path
        )),
    }
}
