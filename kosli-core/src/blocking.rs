//! The blocking facade: the async [`crate::Client`] driven on one shared runtime, for
//! synchronous Rust, and for the C and Python bindings.
//!
//! Every blocking client in the process shares one lazily built multi-thread tokio runtime.
//! After a `fork` (the process id changed), the runtime and each client's connection pool are
//! rebuilt in the child instead of being used from threads that do not exist there. A call is
//! cancelled through a [`CancelHandle`] given with [`Client::with_cancel`].
//!
//! ```no_run
//! use kosli_core::blocking::Client;
//! use kosli_core::Config;
//! let client = Client::new(Config::from_env()?)?;
//! tracing::info!("Kosli says {}", client.status()?);
//! # Ok::<(), kosli_core::Error>(())
//! ```

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::runtime::Runtime;

use crate::client::{self, CancelHandle, Clock, Outcome, Request, Response};
use crate::config::Config;
use crate::error::{Error, Result};

/// The process's shared runtime and the process id it was built in.
struct Shared {
    pid: u32,
    runtime: Arc<Runtime>,
}

static RUNTIME: Mutex<Option<Shared>> = Mutex::new(None);

fn lock_runtime() -> MutexGuard<'static, Option<Shared>> {
    // The guarded value is replaced whole, never left half-built: a poisoned lock is usable.
    RUNTIME.lock().unwrap_or_else(|p| p.into_inner())
}

/// The shared runtime, built on first use and rebuilt after a `fork`.
pub fn runtime() -> Result<Arc<Runtime>> {
    let pid = std::process::id();
    let mut guard = lock_runtime();
    if let Some(shared) = guard.as_ref() {
        if shared.pid == pid {
            return Ok(shared.runtime.clone());
        }
    }
    if let Some(stale) = guard.take() {
        // Built in the parent: its worker threads do not exist in this child, and dropping it
        // would wait for them. Leak it instead.
        tracing::debug!(
            "process id changed from {} to {pid} (fork): rebuilding the runtime",
            stale.pid
        );
        std::mem::forget(stale);
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("kosli-runtime")
        .enable_all()
        .build()
        .map_err(|e| Error::Io {
            path: Default::default(),
            message: format!("could not start the SDK's runtime: {e}"),
            source: e,
        })?;
    let runtime = Arc::new(runtime);
    *guard = Some(Shared {
        pid,
        runtime: runtime.clone(),
    });
    Ok(runtime)
}

/// The async client of one process, rebuilt after a `fork` (a pool's connections must not be
/// shared with the parent).
struct PerProcess {
    pid: u32,
    client: client::Client,
}

struct Inner {
    config: Config,
    clock: Option<Arc<dyn Clock>>,
    user_agent_product: Option<String>,
    current: Mutex<PerProcess>,
}

/// A blocking Kosli client. `Send + Sync`, cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    cancel: Option<CancelHandle>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("config", &self.inner.config)
            .field("cancellable", &self.cancel.is_some())
            .finish()
    }
}

impl Client {
    /// A blocking client for `config`.
    pub fn new(config: Config) -> Result<Client> {
        Client::build(config, None, None)
    }

    /// A blocking client with its own clock (for tests) and `User-Agent` product (for bindings).
    pub fn with_options(
        config: Config,
        clock: Option<Arc<dyn Clock>>,
        user_agent_product: Option<String>,
    ) -> Result<Client> {
        Client::build(config, clock, user_agent_product)
    }

    fn build(
        config: Config,
        clock: Option<Arc<dyn Clock>>,
        user_agent_product: Option<String>,
    ) -> Result<Client> {
        let client = async_client(&config, clock.clone(), user_agent_product.clone())?;
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                clock,
                user_agent_product,
                current: Mutex::new(PerProcess {
                    pid: std::process::id(),
                    client,
                }),
            }),
            cancel: None,
        })
    }

    /// A clone whose calls end with a `Cancelled` error when `handle` is cancelled (from any
    /// thread, or from a progress callback).
    pub fn with_cancel(&self, handle: CancelHandle) -> Client {
        Client {
            inner: self.inner.clone(),
            cancel: Some(handle),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The async client this one drives (rebuilt in a forked child).
    pub fn async_client(&self) -> Result<client::Client> {
        let pid = std::process::id();
        let mut current = self.inner.current.lock().unwrap_or_else(|p| p.into_inner());
        if current.pid != pid {
            let fresh = async_client(
                &self.inner.config,
                self.inner.clock.clone(),
                self.inner.user_agent_product.clone(),
            )?;
            let stale = std::mem::replace(&mut *current, PerProcess { pid, client: fresh });
            // Its pool belongs to the parent's runtime; leave it alone.
            std::mem::forget(stale);
        }
        Ok(current.client.clone())
    }

    /// Runs `call` with the async client on the shared runtime and waits for it, or for the
    /// cancel handle. Fails (instead of panicking) when called from inside an async runtime.
    pub fn run<T, F>(&self, call: impl FnOnce(client::Client) -> F) -> Result<T>
    where
        F: Future<Output = Result<T>>,
    {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::invalid_input(
                "runtime",
                "the blocking client cannot be used from inside an async runtime: use kosli_core::Client there",
            ));
        }
        if self.cancel.as_ref().is_some_and(CancelHandle::is_cancelled) {
            return Err(Error::cancelled("the call"));
        }
        let runtime = runtime()?;
        let client = self.async_client()?;
        let cancel = self.cancel.clone();
        runtime.block_on(async move {
            match cancel {
                None => call(client).await,
                Some(handle) => tokio::select! {
                    result = call(client) => result,
                    () = handle.cancelled() => Err(Error::cancelled("the call")),
                },
            }
        })
    }

    /// See [`crate::Client::status`].
    pub fn status(&self) -> Result<String> {
        self.run(|c| async move { c.status().await })
    }

    /// See [`crate::Client::read`].
    pub fn read(&self, request: &Request) -> Result<Response> {
        self.run(|c| async move { c.read(request).await })
    }

    /// See [`crate::Client::write`].
    pub fn write(&self, request: &Request) -> Result<Outcome> {
        self.run(|c| async move { c.write(request).await })
    }

    /// See [`crate::Client::flush_journal`].
    pub fn flush_journal(&self) -> Result<crate::journal::FlushReport> {
        self.run(|c| async move { c.flush_journal().await })
    }

    /// See [`crate::Client::journal_status`].
    pub fn journal_status(&self) -> Result<crate::journal::JournalStatus> {
        self.run(|c| async move { c.journal_status().await })
    }

    /// See [`crate::Client::create_flow`].
    pub fn create_flow(&self, flow: &crate::ops::flows::CreateFlow) -> Result<Outcome> {
        self.run(|c| async move { c.create_flow(flow).await })
    }

    /// See [`crate::Client::get_flow`].
    pub fn get_flow(&self, name: &str) -> Result<crate::ops::flows::Flow> {
        self.run(|c| async move { c.get_flow(name).await })
    }

    /// See [`crate::Client::list_flows`].
    pub fn list_flows(
        &self,
        list: &crate::ops::flows::ListFlows,
    ) -> Result<crate::ops::flows::FlowList> {
        self.run(|c| async move { c.list_flows(list).await })
    }

    /// See [`crate::Client::begin_trail`].
    pub fn begin_trail(&self, trail: &crate::ops::trails::BeginTrail) -> Result<Outcome> {
        self.run(|c| async move { c.begin_trail(trail).await })
    }

    /// See [`crate::Client::attest_artifact`].
    pub fn attest_artifact(
        &self,
        artifact: &crate::ops::attest_artifact::AttestArtifact,
    ) -> Result<Outcome> {
        self.run(|c| async move { c.attest_artifact(artifact).await })
    }

    /// See [`crate::Client::attest`].
    pub fn attest(&self, attestation: &crate::ops::attestations::Attestation) -> Result<Outcome> {
        self.run(|c| async move { c.attest(attestation).await })
    }
}

fn async_client(
    config: &Config,
    clock: Option<Arc<dyn Clock>>,
    user_agent_product: Option<String>,
) -> Result<client::Client> {
    let mut builder = client::Client::builder(config.clone());
    if let Some(c) = clock {
        builder = builder.clock(c);
    }
    if let Some(p) = user_agent_product {
        builder = builder.user_agent_product(p);
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn clients_are_send_and_sync() {
        assert_send_sync::<Client>();
        assert_send_sync::<crate::Client>();
    }

    #[test]
    fn one_runtime_is_shared() {
        let a = runtime().unwrap();
        let b = runtime().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn refuses_to_block_inside_a_runtime() {
        let client = Client::new(Config::builder().build().unwrap()).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let e = rt.block_on(async { client.status() }).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
    }

    #[test]
    fn a_cancelled_handle_ends_the_call() {
        // A listener that accepts and never answers: the call would hang without the cancel.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let host = format!("http://{}", listener.local_addr().unwrap());
        let client = Client::new(Config::builder().host(host).build().unwrap()).unwrap();
        let handle = CancelHandle::new();
        let cancelling = client.with_cancel(handle.clone());
        let t = std::thread::spawn(move || cancelling.status());
        std::thread::sleep(Duration::from_millis(100));
        handle.cancel();
        let e = t.join().unwrap().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Cancelled);
        // A handle already cancelled stops the call before it starts.
        let e = client.with_cancel(handle).status().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Cancelled);
        drop(listener);
    }
}
