//! The async client of the Kosli API.
//!
//! One [`Client`] holds one configuration and one connection pool; it is `Send + Sync` and
//! cheap to clone. Each operation builds a [`Request`] and the client sends it: reads to the
//! primary host, writes to every host (primary first, each with its own retries), or, in
//! dry-run, returns the [`DryRun`](crate::dryrun::DryRun) value instead of sending.
//!
//! ```no_run
//! # async fn demo() -> kosli_core::Result<()> {
//! use kosli_core::{Client, Config};
//! let client = Client::new(Config::from_env()?)?;
//! tracing::info!("Kosli says {}", client.status().await?);
//! # Ok(())
//! # }
//! ```

mod cancel;
pub mod clock;
mod error_body;
mod external;
mod gofmt;
mod multipart;
mod outcome;
mod request;
mod retry;
mod transport;

use std::fmt;
use std::sync::Arc;

use reqwest::Url;

use crate::config::{Config, Host};
use crate::error::{Error, Result};
use crate::journal::{self, FlushReport, Journal, JournalStatus};
use crate::operations;

pub use cancel::CancelHandle;
pub use clock::{Clock, SystemClock, VirtualClock};
pub use external::ExternalRequest;
pub use outcome::{HostOutcome, Outcome, Response};
pub use request::{escape_path_segment, escape_query, Body, Part, Request};

/// The product token this SDK puts first in its `User-Agent`.
pub const USER_AGENT: &str = concat!("kosli-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`] with a clock or a `User-Agent` product of the caller's.
pub struct ClientBuilder {
    config: Config,
    clock: Arc<dyn Clock>,
    user_agent_product: Option<String>,
    journal: Option<Journal>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("clock", &self.clock)
            .finish()
    }
}

impl ClientBuilder {
    /// The clock and sleep used for waits and time limits (default [`SystemClock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// A journal to use instead of opening the configuration's `journal_dir` (for a journal
    /// on another [`journal::Storage`], or one handle shared by several clients).
    pub fn journal(mut self, journal: Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// A product token added to the `User-Agent` after the SDK's own (`kosli-py/0.1.0`).
    pub fn user_agent_product(mut self, product: impl Into<String>) -> Self {
        self.user_agent_product = Some(product.into());
        self
    }

    /// Builds the client. A token that would travel over plain `http://` to another machine
    /// is refused (a `Config` error) unless the configuration allows insecure HTTP.
    pub fn build(self) -> Result<Client> {
        for host in self.config.hosts() {
            if host.sends_token_in_clear() && !self.config.allow_insecure_http() {
                return Err(Error::config(format!(
                    "refusing to send the API token over plain http to {}: use https, or allow it explicitly (allow_insecure_http)",
                    host.as_str()
                )));
            }
        }
        let user_agent = match &self.user_agent_product {
            Some(p) => format!("{USER_AGENT} {p}"),
            None => USER_AGENT.to_string(),
        };
        let http = transport::http_client(&self.config, &user_agent)?;
        let journal = match (self.journal, self.config.journal_dir()) {
            (Some(j), _) => Some(j),
            (None, Some(dir)) => Some(Journal::open(dir)?),
            (None, None) if self.config.is_offline() => {
                return Err(Error::config("an offline client needs a journal folder"))
            }
            (None, None) => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                config: self.config,
                http,
                clock: self.clock,
                journal,
            }),
        })
    }
}

/// The async Kosli client. Calls cancel when their future is dropped.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    journal: Option<Journal>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config` with the real clock.
    pub fn new(config: Config) -> Result<Client> {
        Client::builder(config).build()
    }

    /// A builder, to set a clock or a `User-Agent` product.
    pub fn builder(config: Config) -> ClientBuilder {
        ClientBuilder {
            config,
            clock: Arc::new(SystemClock),
            user_agent_product: None,
            journal: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// `kosli status`: asks the primary host whether it is ready (`GET /ready`, retried like
    /// any call) and returns the body as sent (`"OK"`). A host that does not answer 200/201
    /// after the retries is an error.
    pub async fn status(&self) -> Result<String> {
        let response = self.read(&Request::new(&operations::STATUS)).await?;
        Ok(response.text().into_owned())
    }

    /// The full URL of `request` on `host`: the host's URL (its path prefix kept), the path
    /// and the query.
    pub fn url_for(&self, host: &Host, request: &Request) -> Result<Url> {
        let path = request.render_path(self.config().org())?;
        let mut url = host.url().clone();
        let prefix = host.url().path().trim_end_matches('/').to_string();
        url.set_path(&format!("{prefix}/{path}"));
        let query = request.render_query();
        url.set_query(if query.is_empty() { None } else { Some(&query) });
        url.set_fragment(None);
        Ok(url)
    }

    /// Sends a read to the primary host (dry-run does not stop reads). An offline client
    /// cannot read.
    pub async fn read(&self, request: &Request) -> Result<Response> {
        if self.config().is_offline() {
            return Err(Error::config(
                "this client is offline (a journal folder only): it cannot read from Kosli",
            ));
        }
        self.send_to(self.config().primary(), request).await
    }

    /// The journal, when the client has one.
    pub fn journal(&self) -> Option<&Journal> {
        self.inner.journal.as_ref()
    }

    /// Delivers the journal's pending records to every host of this client, with its token
    /// and (for records recorded without one) its org: per host in the records' order, a
    /// sequence stopping at its first record that still fails, a host at an outage. Several
    /// pending snapshots of one environment are delivered as the newest only. Waits while
    /// another process flushes the same journal. See [`crate::journal`].
    pub async fn flush_journal(&self) -> Result<FlushReport> {
        match &self.inner.journal {
            Some(j) => journal::deliver::flush(self, j).await,
            None => Err(Error::config(
                "this client has no journal (set journal_dir)",
            )),
        }
    }

    /// The journal's pending records, per host (this client's hosts always listed).
    pub async fn journal_status(&self) -> Result<JournalStatus> {
        match &self.inner.journal {
            Some(j) => journal::deliver::status(self, j).await,
            None => Err(Error::config(
                "this client has no journal (set journal_dir)",
            )),
        }
    }

    /// The HTTP client (for the failure webhook).
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The clock.
    pub(crate) fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// Sends a write to every host, the primary first, or returns its dry-run value where
    /// dry-run is on. One host: [`Outcome::Sent`] or [`Outcome::DryRun`], and a failure is an
    /// error. Several hosts: [`Outcome::Hosts`] with one result each, unless all failed, which
    /// is the primary's error (with the others' messages added).
    ///
    /// With a journal, the write is recorded first, and an outage returns
    /// [`Outcome::Queued`] (see [`crate::journal`]); an offline client always queues.
    pub async fn write(&self, request: &Request) -> Result<Outcome> {
        if let Some(j) = &self.inner.journal {
            if let Some(outcome) = journal::deliver::write(self, j, request).await? {
                return Ok(outcome);
            }
        }
        let hosts = self.config().hosts();
        if hosts.len() == 1 {
            return self.write_one(&hosts[0], request).await;
        }
        let mut results = Vec::with_capacity(hosts.len());
        for host in hosts {
            let result = self.write_one(host, request).await;
            results.push(HostOutcome {
                host: host.as_str().to_string(),
                result,
            });
        }
        if results.iter().all(|r| r.result.is_err()) {
            let mut errors = results
                .into_iter()
                .filter_map(|r| r.result.err().map(|e| (r.host, e)));
            let Some((_, first)) = errors.next() else {
                return Err(Error::config("no host is configured"));
            };
            let others: String = errors.map(|(h, e)| format!("\n[{h}] {e}")).collect();
            return Err(first.with_suffix(&others));
        }
        Ok(Outcome::Hosts(results))
    }

    /// The dry-run value `request` would give on `host`.
    pub fn dry_run_value(&self, host: &Host, request: &Request) -> Result<crate::dryrun::DryRun> {
        Ok(request.dry_run(self.url_for(host, request)?.as_str()))
    }

    async fn write_one(&self, host: &Host, request: &Request) -> Result<Outcome> {
        if self.config().is_dry_run_for(host) {
            return Ok(Outcome::DryRun(self.dry_run_value(host, request)?));
        }
        Ok(Outcome::Sent(self.send_to(host, request).await?))
    }

    /// Sends `request` to one host with the retry policy, whatever dry-run says.
    pub async fn send_to(&self, host: &Host, request: &Request) -> Result<Response> {
        if request.operation().requires_token && !host.has_token() {
            return Err(Error::config(
                "the API token is not set: set api_token in code, KOSLI_API_TOKEN, or api-token in the config file",
            ));
        }
        let url = self.url_for(host, request)?;
        let method = match reqwest::Method::from_bytes(request.method().as_str().as_bytes()) {
            Ok(m) => m,
            Err(e) => return Err(Error::invalid_input("method", e.to_string())),
        };
        let (content_type, body) = match request.body() {
            Body::Empty => (transport::JSON_CONTENT_TYPE.to_string(), None),
            Body::Json(bytes) => (
                transport::JSON_CONTENT_TYPE.to_string(),
                Some(bytes.clone()),
            ),
            Body::Multipart(parts) => {
                let form = multipart::encode(parts);
                (form.content_type, Some(form.body))
            }
        };
        let prepared = transport::Prepared {
            method,
            url,
            content_type,
            body,
            headers: Vec::new(),
        };
        retry::send_with_retries(
            &self.inner.http,
            self.inner.clock.as_ref(),
            self.config(),
            host,
            &prepared,
        )
        .await
    }
}

#[cfg(test)]
mod tests;
