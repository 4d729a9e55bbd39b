//! `fake-kosli`: an in-memory Kosli API on 127.0.0.1 for tests, in process or as a binary.
//!
//! It answers the operations of the contract (flows, trails, artifacts, attestations,
//! environments, snapshots, assert, allow, ready) with the shapes the official CLI reads: 201
//! on create, 200 on update, realistic objects on reads, Kosli's 400/401/404 bodies. Control
//! endpoints (never logged) drive it:
//!
//! | endpoint | what it does |
//! |---|---|
//! | `GET /__control/ping` | `"pong"` |
//! | `POST /__control/seed` | adds data: `{"org", "flows", "trails", "artifacts", "attestations", "environments", "compliance": {fp: bool}}` |
//! | `POST /__control/faults` | queues faults: `[{"method", "path", "path_re", "status", "headers": [[k, v]], "body", "raw_body", "delay_ms", "drop": "before"\|"after", "times"}]` |
//! | `DELETE /__control/faults` | clears the queue |
//! | `GET /__control/requests` | the requests received (capture-server JSON shape); `DELETE` clears them |
//! | `GET /__control/state` | every organization's data |
//! | `POST /__control/reset` | forgets data, faults and requests |

pub mod api;
pub mod exchange;
pub mod faults;
pub mod multipart;
pub mod record;
pub mod seed;
pub mod seed_report;
pub mod server;
pub mod state;
pub mod template;

use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;

use serde_json::Value;

pub use faults::{DropAt, Fault};
use server::{lock, Shared};
pub use state::Store;

/// Settings of a fake server.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The port on 127.0.0.1 (0: any free one).
    pub port: u16,
    /// When set, API calls must carry `Authorization: Bearer <token>` (401 otherwise).
    pub token: Option<String>,
    /// Data to start with (see the seed format above).
    pub seed: Option<Value>,
}

/// A fake Kosli server running on its own thread; stopped when dropped.
#[derive(Debug)]
pub struct FakeKosli {
    port: u16,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeKosli {
    /// Starts a fake on a free port, accepting any token.
    pub fn start() -> std::io::Result<FakeKosli> {
        FakeKosli::start_with(Options::default())
    }

    /// Starts a fake with `options`.
    pub fn start_with(options: Options) -> std::io::Result<FakeKosli> {
        let listener = TcpListener::bind(("127.0.0.1", options.port))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            token: options.token,
            ..Shared::default()
        });
        if let Some(seed) = &options.seed {
            seed::apply(&mut lock(&shared.store), seed).map_err(std::io::Error::other)?;
        }
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fake-kosli")
            .enable_all()
            .build()?;
        let served = shared.clone();
        let thread = std::thread::Builder::new()
            .name("fake-kosli".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => {
                            server::serve(listener, served, async {
                                let _ = stopped.await;
                            })
                            .await
                        }
                        Err(e) => eprintln!("fake-kosli: {e}"),
                    }
                });
            })?;
        Ok(FakeKosli {
            port,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its base URL (`http://127.0.0.1:PORT`), the `--host` to give a client.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The API requests received so far (control calls excluded), oldest first.
    pub fn requests(&self) -> Vec<Value> {
        lock(&self.shared.log).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// Queues faults.
    pub fn push_faults(&self, faults: Vec<Fault>) -> Result<(), String> {
        lock(&self.shared.faults).push(faults)
    }

    /// Adds data.
    pub fn seed(&self, seed: &Value) -> Result<(), String> {
        seed::apply(&mut lock(&self.shared.store), seed)
    }

    /// Reads or changes the data directly.
    pub fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        f(&mut lock(&self.shared.store))
    }
}

impl Drop for FakeKosli {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
