//! The fake provider server: an HTTP/1.1 server on 127.0.0.1 that answers from a list of
//! routes (the shape of `tests/fixtures/review/*.routes.json`: method, raw path, optional
//! `query` and `body_contains`, status, JSON body, optional headers), first match wins, as the
//! observation server the CLI ran against did. Faults queued with [`FakeProvider::fail`] answer
//! first (a status, an optional `Retry-After`), once each. Every request is logged with its
//! headers and body, so tests compare what the SDK sent with what the CLI sent.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

use crate::fake_docker::http::ServerThread;

/// One answer of the fake: the request it matches and what it answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The raw path (percent-encoding as sent: `/api/v4/projects/acme%2Fapp/...`).
    pub path: String,
    /// The raw query the request must have exactly, when set.
    pub query: Option<String>,
    /// Texts the request body must all contain (GraphQL queries and their variables).
    pub body_contains: Vec<String>,
    /// The status answered.
    pub status: u16,
    /// The JSON body answered.
    pub body: Value,
    /// Extra headers answered.
    pub headers: Vec<(String, String)>,
}

impl Route {
    /// A `GET` of `path` answered with `status` and `body`.
    pub fn get(path: &str, status: u16, body: Value) -> Route {
        Route::new("GET", path, status, body)
    }

    /// A `POST` of `path` answered with `status` and `body`.
    pub fn post(path: &str, status: u16, body: Value) -> Route {
        Route::new("POST", path, status, body)
    }

    /// A route of any method.
    pub fn new(method: &str, path: &str, status: u16, body: Value) -> Route {
        Route {
            method: method.to_string(),
            path: path.to_string(),
            query: None,
            body_contains: Vec::new(),
            status,
            body,
            headers: Vec::new(),
        }
    }

    /// Matches only this exact raw query.
    pub fn query(mut self, query: &str) -> Route {
        self.query = Some(query.to_string());
        self
    }

    /// Matches only a body containing `text` (and the texts given before).
    pub fn body_contains(mut self, text: &str) -> Route {
        self.body_contains.push(text.to_string());
        self
    }

    /// Adds an answered header.
    pub fn header(mut self, name: &str, value: &str) -> Route {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// A route read from a fixture's JSON object (the observation server's format).
    pub fn from_json(v: &Value) -> Route {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        Route {
            method: text("method").unwrap_or_else(|| "GET".into()),
            path: text("path").unwrap_or_default(),
            query: text("query"),
            body_contains: text("body_contains").into_iter().collect(),
            status: v.get("status").and_then(Value::as_u64).unwrap_or(200) as u16,
            body: v.get("body").cloned().unwrap_or(Value::Null),
            headers: v
                .get("headers")
                .and_then(Value::as_object)
                .map(|h| {
                    h.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    fn matches(&self, method: &str, path: &str, query: &str, body: &str) -> bool {
        self.method == method
            && self.path == path
            && self.query.as_deref().is_none_or(|q| q == query)
            && self.body_contains.iter().all(|t| body.contains(t.as_str()))
    }
}

/// A fault answered once, before any route, to the first request whose path starts with
/// `path_prefix`.
#[derive(Debug, Clone)]
pub struct Fault {
    /// The path prefix matched (`""`: any request).
    pub path_prefix: String,
    /// The status answered.
    pub status: u16,
    /// `Retry-After` answered, when set.
    pub retry_after: Option<String>,
    /// The JSON body answered.
    pub body: Value,
}

/// A request the fake received.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    /// The method.
    pub method: String,
    /// The raw path.
    pub path: String,
    /// The raw query (`""` when none).
    pub query: String,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
    /// The status answered.
    pub status: u16,
}

impl Seen {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    routes: Vec<Route>,
    faults: VecDeque<Fault>,
    seen: Vec<Seen>,
}

/// A running fake provider; stops when dropped.
pub struct FakeProvider {
    _server: ServerThread,
    state: Arc<Mutex<State>>,
    port: u16,
}

impl FakeProvider {
    /// Starts a fake answering `routes`.
    pub fn start(routes: Vec<Route>) -> std::io::Result<FakeProvider> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let state = Arc::new(Mutex::new(State {
            routes,
            ..State::default()
        }));
        let s = state.clone();
        let server = ServerThread::spawn("fake-provider", move |_log, mut stopped| async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        tokio::spawn(serve(stream, s.clone()));
                    }
                }
            }
        })?;
        Ok(FakeProvider {
            _server: server,
            state,
            port,
        })
    }

    /// The fake's base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Adds routes after the existing ones.
    pub fn add_routes(&self, routes: impl IntoIterator<Item = Route>) {
        self.lock().routes.extend(routes);
    }

    /// Queues a fault: the next request whose path starts with `path_prefix` gets `status`
    /// (with `Retry-After: retry_after` when given) instead of its route's answer.
    pub fn fail(&self, path_prefix: &str, status: u16, retry_after: Option<&str>) {
        self.lock().faults.push_back(Fault {
            path_prefix: path_prefix.to_string(),
            status,
            retry_after: retry_after.map(str::to_string),
            body: json!({"message": format!("fault {status}")}),
        });
    }

    /// Queues a fault with its own body.
    pub fn push_fault(&self, fault: Fault) {
        self.lock().faults.push_back(fault);
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Seen> {
        self.lock().seen.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The answer to one request: a queued fault, else the first matching route, else 404.
fn answer(state: &Mutex<State>, seen: &mut Seen) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
    let fault = st
        .faults
        .iter()
        .position(|f| seen.path.starts_with(&f.path_prefix))
        .and_then(|i| st.faults.remove(i));
    let (status, mut headers, body) = match fault {
        Some(f) => {
            let headers = f
                .retry_after
                .map(|r| vec![("Retry-After".to_string(), r)])
                .unwrap_or_default();
            (f.status, headers, f.body)
        }
        None => match st
            .routes
            .iter()
            .find(|r| r.matches(&seen.method, &seen.path, &seen.query, &seen.body))
        {
            Some(r) => (r.status, r.headers.clone(), r.body.clone()),
            None => (404, Vec::new(), json!({"message": "404 Not Found"})),
        },
    };
    headers.push(("Content-Type".into(), "application/json".into()));
    seen.status = status;
    st.seen.push(seen.clone());
    (status, headers, body.to_string().into_bytes())
}

async fn serve(stream: tokio::net::TcpStream, state: Arc<Mutex<State>>) {
    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let state = state.clone();
        async move {
            let mut seen = Seen {
                method: req.method().to_string(),
                path: req.uri().path().to_string(),
                query: req.uri().query().unwrap_or_default().to_string(),
                headers: req
                    .headers()
                    .iter()
                    .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                    .collect(),
                body: String::new(),
                status: 0,
            };
            let body = req
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            seen.body = String::from_utf8_lossy(&body).into_owned();
            let (status, headers, body) = answer(&state, &mut seen);
            let mut resp = hyper::Response::builder().status(status);
            for (k, v) in &headers {
                resp = resp.header(k, v);
            }
            Ok::<_, Infallible>(
                resp.body(Full::new(Bytes::from(body)))
                    .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new()))),
            )
        }
    });
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
