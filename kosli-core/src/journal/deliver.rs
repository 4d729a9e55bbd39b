//! The client's side of the journal: a write recorded, sent and marked, and `flush`.

use crate::client::{Client, HostOutcome, Outcome, Request};
use crate::config::Host;
use crate::error::{Error, ErrorKind, Result};

use super::entry::Line;
use super::notify::{notify, DeliveryFailure};
use super::order::{must_follow, Scope};
use super::record::Meta;
use super::report::{FlushReport, HostFlush, JournalStatus};
use super::util::{host_key, to_ms};
use super::Journal;

/// Whether an error after the client's retries means the host is unreachable for now (the
/// record is queued), rather than a refusal of this record.
pub(crate) fn is_outage(e: &Error) -> bool {
    match e {
        Error::Network { .. } | Error::Timeout { .. } => true,
        Error::Api { status, .. } => {
            *status == 409 || *status == 429 || ((500..600).contains(status) && *status != 501)
        }
        _ => false,
    }
}

/// Runs blocking journal work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Journal {
            message: format!("the journal's worker failed: {e}"),
            source: None,
        })?
}

async fn mark(journal: &Journal, lines: Vec<Line>) -> Result<()> {
    let j = journal.clone();
    blocking(move || j.mark(lines)).await
}

/// A live write in progress: when the call ends early (cancelled, or a journal error), the
/// hosts not answered yet are marked queued, so that a flush anywhere takes the record.
struct Live {
    journal: Journal,
    seq: u64,
    open_hosts: Vec<String>,
    at_ms: u64,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.journal.settle(self.seq);
        if self.open_hosts.is_empty() {
            return;
        }
        let lines: Vec<Line> = self
            .open_hosts
            .drain(..)
            .map(|host| Line::Queued {
                seq: self.seq,
                host,
                at_ms: self.at_ms,
                error: None,
            })
            .collect();
        let journal = self.journal.clone();
        let work = move || {
            if let Err(e) = journal.mark(lines) {
                tracing::warn!("journal: could not mark an interrupted write queued: {e}");
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn_blocking(work);
            }
            Err(_) => work(),
        }
    }
}

/// The message the client gives for a missing token (as `send_to` does).
fn no_token() -> Error {
    Error::config(
        "the API token is not set: set api_token in code, KOSLI_API_TOKEN, or api-token in the config file",
    )
}

/// A write through the journal. `None` when every host is in dry-run (the journal is not
/// touched; the caller answers with dry-run values).
pub(crate) async fn write(
    client: &Client,
    journal: &Journal,
    request: &Request,
) -> Result<Option<Outcome>> {
    let config = client.config();
    let at_ms = to_ms(client.clock().system_now());
    if config.is_offline() {
        // Parameters other than the org must be there now; the org may come at delivery.
        request.render_path(Some(config.org().unwrap_or("org")))?;
        let meta = Meta {
            org: config.org().map(str::to_string),
            hosts: None,
            owner: None,
            at_ms,
        };
        let (j, r) = (journal.clone(), request.clone());
        let seq = blocking(move || j.record(&r, meta)).await?;
        tracing::debug!(
            "journal: recorded {} as {seq} (offline)",
            request.operation().name
        );
        return Ok(Some(Outcome::Queued {
            id: seq.to_string(),
        }));
    }
    let hosts = config.hosts();
    let live: Vec<&Host> = hosts.iter().filter(|h| !config.is_dry_run_for(h)).collect();
    if live.is_empty() {
        return Ok(None);
    }
    // The checks sending would make, before anything is recorded.
    request.render_path(config.org())?;
    if request.operation().requires_token && live.iter().any(|h| !h.has_token()) {
        return Err(no_token());
    }
    let keys: Vec<String> = live.iter().map(|h| host_key(h)).collect();
    let meta = Meta {
        org: config.org().map(str::to_string),
        hosts: Some(keys.clone()),
        owner: Some(journal.owner().to_string()),
        at_ms,
    };
    let (j, r) = (journal.clone(), request.clone());
    let seq = blocking(move || j.record(&r, meta)).await?;
    let mut live_call = Live {
        journal: journal.clone(),
        seq,
        open_hosts: keys,
        at_ms,
    };
    let mut results: Vec<HostOutcome> = Vec::with_capacity(hosts.len());
    for host in hosts {
        let result = if config.is_dry_run_for(host) {
            client.dry_run_value(host, request).map(Outcome::DryRun)
        } else {
            let key = host_key(host);
            let r = write_host(client, journal, request, seq, &key, host, at_ms).await;
            if !matches!(&r, Err(Error::Cancelled { .. } | Error::Journal { .. })) {
                live_call.open_hosts.retain(|h| *h != key);
            }
            r
        };
        results.push(HostOutcome {
            host: host.as_str().to_string(),
            result,
        });
    }
    drop(live_call);
    combine(results, seq).map(Some)
}

async fn write_host(
    client: &Client,
    journal: &Journal,
    request: &Request,
    seq: u64,
    key: &str,
    host: &Host,
    at_ms: u64,
) -> Result<Outcome> {
    let id = seq.to_string();
    let (j, k) = (journal.clone(), key.to_string());
    if blocking(move || j.must_wait(seq, &k)).await? {
        tracing::info!("journal: record {id} waits behind pending records it depends on ({key})");
        let line = Line::Queued {
            seq,
            host: key.to_string(),
            at_ms,
            error: None,
        };
        mark(journal, vec![line]).await?;
        return Ok(Outcome::Queued { id });
    }
    match client.send_to(host, request).await {
        Ok(response) => {
            let line = Line::Delivered {
                seq,
                host: key.to_string(),
                status: response.status(),
                at_ms: to_ms(client.clock().system_now()),
            };
            mark(journal, vec![line]).await.map_err(|e| {
                e.with_suffix(&format!(
                    " (record {id} was accepted by {key} but could not be marked delivered: a flush may send it again)"
                ))
            })?;
            Ok(Outcome::Sent(response))
        }
        Err(e) if is_outage(&e) => {
            let line = Line::Queued {
                seq,
                host: key.to_string(),
                at_ms: to_ms(client.clock().system_now()),
                error: Some(e.to_string()),
            };
            mark(journal, vec![line]).await?;
            let failure = failure_of(journal, &id, request.operation().name, key, &e);
            notify_all(client, &failure).await;
            Ok(Outcome::Queued { id })
        }
        Err(e @ Error::Cancelled { .. }) => Err(e),
        Err(e) => {
            let line = Line::Rejected {
                seq,
                host: key.to_string(),
                at_ms: to_ms(client.clock().system_now()),
                error: e.to_string(),
            };
            mark(journal, vec![line]).await?;
            Err(e)
        }
    }
}

/// One host: its result. Several: `Queued` when every host queued it, the first error when
/// every host failed (as without a journal), else one result per host.
fn combine(mut results: Vec<HostOutcome>, seq: u64) -> Result<Outcome> {
    if results.len() == 1 {
        return results
            .pop()
            .map_or_else(|| Err(Error::config("no host is configured")), |r| r.result);
    }
    if results
        .iter()
        .all(|r| matches!(r.result, Ok(Outcome::Queued { .. })))
    {
        return Ok(Outcome::Queued {
            id: seq.to_string(),
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

fn failure_of(journal: &Journal, id: &str, op: &str, host: &str, e: &Error) -> DeliveryFailure {
    DeliveryFailure {
        id: id.to_string(),
        operation: op.to_string(),
        host: host.to_string(),
        kind: e.kind(),
        message: e.to_string(),
        journal: journal.dir().map(|d| d.to_path_buf()),
    }
}

async fn notify_all(client: &Client, failure: &DeliveryFailure) {
    let config = client.config();
    notify(
        config.failure_hooks(),
        config.failure_webhook(),
        client.http(),
        failure,
    )
    .await;
}

/// The hosts of `client` that records are delivered to (dry-run hosts never are).
fn live_keys(client: &Client) -> Vec<String> {
    let config = client.config();
    if config.is_offline() {
        return Vec::new();
    }
    config
        .hosts()
        .iter()
        .filter(|h| !config.is_dry_run_for(h))
        .map(host_key)
        .collect()
}

/// `status` as seen by `client`: its hosts listed even when nothing is pending on them.
pub(crate) async fn status(client: &Client, journal: &Journal) -> Result<JournalStatus> {
    let (j, keys) = (journal.clone(), live_keys(client));
    blocking(move || j.status_for(&keys)).await
}

/// Delivers the pending records to every host of `client` (see [`Client::flush_journal`]).
pub(crate) async fn flush(client: &Client, journal: &Journal) -> Result<FlushReport> {
    let config = client.config();
    if config.is_offline() {
        return Err(Error::config(
            "this client is offline (a journal folder only): flush with a client that has a host, an API token and an org",
        ));
    }
    let live: Vec<&Host> = config
        .hosts()
        .iter()
        .filter(|h| !config.is_dry_run_for(h))
        .collect();
    let mut report = FlushReport::default();
    if live.is_empty() {
        return Ok(report);
    }
    let keys = live_keys(client);
    let j = journal.clone();
    let _flushing = blocking(move || j.lock_flush()).await?;
    let (j, org) = (journal.clone(), config.org().map(str::to_string));
    blocking(move || j.check_unbound_orgs(org.as_deref())).await?;
    for host in live {
        report
            .hosts
            .push(flush_host(client, journal, host, &keys).await?);
    }
    let j = journal.clone();
    if let Err(e) = blocking(move || j.compact()).await {
        tracing::warn!("journal: compaction after flush failed: {e}");
    }
    Ok(report)
}

async fn flush_host(
    client: &Client,
    journal: &Journal,
    host: &Host,
    keys: &[String],
) -> Result<HostFlush> {
    let key = host_key(host);
    let mut out = HostFlush {
        host: key.clone(),
        ..HostFlush::default()
    };
    let (j, k, all) = (journal.clone(), key.clone(), keys.to_vec());
    let org = client.config().org().map(str::to_string);
    out.superseded = blocking(move || j.coalesce(&k, &all, org.as_deref())).await?;
    let (j, k) = (journal.clone(), key.clone());
    let plan = blocking(move || j.plan(&k)).await?;
    let mut held: Vec<Scope> = Vec::new();
    for p in plan {
        if out.stopped.is_some() {
            out.left += 1;
            continue;
        }
        if p.in_flight || held.iter().any(|h| must_follow(&p.scope, h)) {
            held.push(p.scope);
            out.left += 1;
            continue;
        }
        let (j, org) = (journal.clone(), client.config().org().map(str::to_string));
        let seq = p.seq;
        let sent = match blocking(move || j.request_for(seq, org.as_deref())).await {
            Ok(request) => client.send_to(host, &request).await,
            Err(e) => Err(e),
        };
        let now = to_ms(client.clock().system_now());
        match sent {
            Ok(response) => {
                let mut lines = Vec::with_capacity(2);
                if p.unbound {
                    // An offline record is bound at its first delivery: to this client's
                    // hosts, with the org it was sent with.
                    lines.push(Line::Bind {
                        seq,
                        hosts: keys.to_vec(),
                        org: p
                            .org
                            .clone()
                            .or_else(|| client.config().org().map(str::to_string)),
                    });
                }
                lines.push(Line::Delivered {
                    seq,
                    host: key.clone(),
                    status: response.status(),
                    at_ms: now,
                });
                mark(journal, lines).await?;
                out.delivered += 1;
            }
            Err(e @ Error::Cancelled { .. }) => return Err(e),
            Err(e) => {
                let line = Line::Failed {
                    seq,
                    host: key.clone(),
                    at_ms: now,
                    kind: e.kind().name().to_string(),
                    error: e.to_string(),
                };
                mark(journal, vec![line]).await?;
                let failure = failure_of(journal, &seq.to_string(), &p.op, &key, &e);
                notify_all(client, &failure).await;
                out.failures.push(failure);
                out.left += 1;
                if is_outage(&e) || matches!(e.kind(), ErrorKind::Auth | ErrorKind::Config) {
                    // The host is down or refuses these credentials: the rest would fail too.
                    out.stopped = Some(e.to_string());
                } else {
                    held.push(p.scope);
                }
            }
        }
    }
    Ok(out)
}
