//! The small HTTP/1.1 server the fake Docker Engine and the fake Kubernetes API share: one
//! thread with its own runtime, a handler from request to answer, and a log of what came.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncWrite};

/// A request as the fakes log it (as the contract's tools log them).
pub type Record = Value;

/// An answer: status, headers, body.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, v: &Value) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: v.to_string().into_bytes(),
        }
    }
}

/// What a handler sees.
pub struct Seen<'a> {
    /// The method.
    pub method: &'a str,
    /// The raw target (path and query).
    pub target: &'a str,
    /// The headers, in order.
    pub headers: &'a [(String, String)],
}

impl Seen<'_> {
    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The handler type.
pub type Handler = Arc<dyn Fn(&Seen<'_>) -> Answer + Send + Sync>;

/// Serves one connection with `handler`, logging into `log`.
pub async fn serve_connection<S>(io: S, handler: Handler, log: Arc<Mutex<Vec<Record>>>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let handler = handler.clone();
        let log = log.clone();
        async move {
            let method = req.method().to_string();
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            let headers: Vec<(String, String)> = req
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect();
            let _ = req.into_body().collect().await;
            let seen = Seen {
                method: &method,
                target: &target,
                headers: &headers,
            };
            let answer = handler(&seen);
            log.lock().unwrap_or_else(|p| p.into_inner()).push(json!({
                "method": method,
                "target": target,
                "headers": headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
                "status": answer.status,
            }));
            let mut resp = hyper::Response::builder().status(answer.status);
            for (k, v) in &answer.headers {
                resp = resp.header(k, v);
            }
            let body = if method == "HEAD" {
                Bytes::new()
            } else {
                Bytes::from(answer.body)
            };
            Ok::<_, Infallible>(
                resp.body(Full::new(body))
                    .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new()))),
            )
        }
    });
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .await;
}

/// A server thread with its own runtime; stops when dropped.
pub struct ServerThread {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The requests seen, in order.
    pub log: Arc<Mutex<Vec<Record>>>,
}

impl ServerThread {
    /// Runs `accept_loop` (given the log and a stop signal) on a new thread.
    pub fn spawn<F, Fut>(name: &str, accept_loop: F) -> std::io::Result<ServerThread>
    where
        F: FnOnce(Arc<Mutex<Vec<Record>>>, tokio::sync::oneshot::Receiver<()>) -> Fut
            + Send
            + 'static,
        Fut: std::future::Future<Output = ()>,
    {
        let log = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let l = log.clone();
        let thread = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || runtime.block_on(accept_loop(l, stopped)))?;
        Ok(ServerThread {
            stop: Some(stop),
            thread: Some(thread),
            log,
        })
    }

    /// The requests seen so far.
    pub fn requests(&self) -> Vec<Record> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for ServerThread {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
