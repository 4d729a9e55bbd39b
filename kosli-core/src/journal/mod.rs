//! The journal: a durable outbox on local disk, so that a Kosli outage never blocks a deploy and
//! never loses a record.
//!
//! Turn it on with `journal_dir` in code ([`crate::config::ConfigBuilder::journal_dir`]),
//! `KOSLI_JOURNAL_DIR`, or the `kosli` example's `--journal DIR`. Every write of a client with a
//! journal is recorded before it is sent and marked delivered after its 200/201. When Kosli
//! cannot be reached (a network error, a time limit, or a 5xx/429/409 after the client's
//! retries), the write returns [`Outcome::Queued`](crate::Outcome::Queued) instead of an
//! error, and [`crate::Client::flush_journal`] delivers it later. A client built for offline use
//! ([`crate::Config::offline`]) has only a journal folder: every write is recorded and queued;
//! host, token and org are bound when a client that has them flushes (an org given when
//! recording is kept). Dry-run never touches the journal.
//!
//! # Guarantees
//! - **Durability.** A write is in the log, synced (`fdatasync`), before its first byte is
//!   sent, and its attachments are synced and renamed into `blobs/` before that. The delivered
//!   mark is synced before the caller gets [`Outcome::Sent`](crate::Outcome::Sent), and before
//!   a flush moves on. Whatever returned `Queued` or `Sent` survives a crash of the process or
//!   of the machine (given a disk that honours `fsync`). A write whose recording failed returns
//!   an [`ErrorKind::Journal`](crate::ErrorKind::Journal) error and is not sent; its record may
//!   still appear later only if the storage failed in a way the journal could not undo
//!   (truncating the half-written append failed too).
//! - **Nothing secret.** Records hold the operation, path parameters, query, JSON payload and
//!   form parts; attachments are copied in under their SHA-256. Never the token: records are
//!   sent with the delivering client's credentials. Host URLs are kept without credentials.
//! - **Order.** Per host, a record is delivered only after every earlier record it depends on
//!   (same flow and trail, its flow, its environment, or an org-wide one such as creating a
//!   flow: see the rules in `order.rs`), so a trail begins before what is attested to it and an
//!   artifact is reported before the attestations that name it. A live write that depends on a
//!   pending record is queued behind it instead of overtaking it. Order is the order of calls
//!   that do not overlap in time; two calls running at once (threads, processes) have none.
//! - **Snapshots.** Several pending snapshots of one environment coalesce to the newest when
//!   flushed: an old snapshot reported late would claim a false history. Kosli stamps a
//!   snapshot when it receives it, so a queued snapshot is reported at delivery time.
//! - **At-least-once.** A record is delivered until a host acknowledged it. A duplicate can
//!   happen, and only, when a host applied a request but the journal could not learn it: the
//!   answer was lost (connection dropped after the request was applied, a time limit during
//!   the answer: the client's retry sends it again, as the official CLI's retries do), the
//!   process died or the call was cancelled between sending and the delivered mark being
//!   synced, or that mark could not be written (the call then returns a `Journal` error saying
//!   so). Each of these gives at most one extra copy per lost answer: the test
//!   `tests/tests/journal_faults.rs` drops 10 % of connections after applying and counts
//!   exactly one duplicate per drop. Kosli's create/update calls are upserts (200 on update), so a
//!   duplicate flow or trail is harmless; a duplicate attestation shows twice.
//! - **Refusals are the caller's.** A live write the host refuses (a 4xx, 401/403) returns its
//!   error as without a journal, and is not queued (marked `rejected`).
//! - **Several processes** may share one folder (parallel CI jobs on one runner): appends are
//!   serialised by a file lock, one process flushes at a time, and a record being sent live by
//!   a process that is still running is never flushed by another. No record is lost or
//!   delivered twice because of the sharing.
//! - **Several hosts**: delivery is tracked per host; a record is done when every host it was
//!   written for (or, offline, the hosts of the client that first delivered it: a flush that
//!   fails binds nothing) has it.
//!
//! Not guaranteed: delivery of a record that a host keeps refusing (a 4xx: it stays pending,
//! holds back what depends on it, is reported by `flush`, `status` and the failure hooks, and
//! can be dropped with [`Journal::discard`]); order between records with no dependency; exactly
//! once delivery; and a journal on a network file system whose locks or `fsync` do not work.
//!
//! # Storage: plain files
//! One append-only JSON-lines log (`journal.jsonl`) plus content-addressed attachment files,
//! behind the small [`Storage`] trait ([`FileStorage`] is the implementation). Chosen over
//! SQLite and redb because: pending records can be read with `cat`, `grep` and `jq` and the
//! folder explains itself (`README.txt`); it adds no C build (bundled SQLite is about a minute
//! of compiling on two cores, for every user of the crate, the bindings included) and no
//! format the user cannot read; redb locks its file to one process, and parallel CI jobs need
//! several. What a database would give is small here: the log is written by appends under a
//! file lock, one `fdatasync` per commit (a batch of records under group commit), a torn last
//! line (a crash during an append) is cut off by the next writer, and compaction rewrites the
//! open records to a new file that is synced and renamed over the log.
//!
//! ```no_run
//! # async fn demo() -> kosli_core::Result<()> {
//! use kosli_core::{Client, Config, Outcome};
//! let offline = Client::new(Config::offline("/var/tmp/kosli-journal")?)?;
//! # let request = kosli_core::client::Request::new(&kosli_core::operations::STATUS);
//! let outcome = offline.write(&request).await?; // Outcome::Queued { id }
//! // Later, with a host, token and org:
//! let online = Client::new(Config::builder().journal_dir("/var/tmp/kosli-journal").load()?)?;
//! let report = online.flush_journal().await?;
//! tracing::info!("{report}");
//! # Ok(())
//! # }
//! ```

pub(crate) mod deliver;
mod entry;
mod fs;
mod group;
mod notify;
mod order;
mod record;
mod report;
mod state;
mod storage;
mod util;

#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use crate::client::Request;
use crate::error::{Error, Result};

use entry::Line;
use group::Group;
use order::must_follow;
use record::{Draft, Meta};
use state::State;
use util::{from_ms, random_hex, to_ms};

pub use fs::{FileStorage, LOG_FILE};
pub use notify::{DeliveryFailure, FailureHook, WebhookNotifier};
pub use report::{FlushReport, HostFlush, HostStatus, JournalStatus, PendingRecord};
pub use storage::{LockGuard, LockName, StagedBlob, Storage};

/// A handle on a journal folder (or another [`Storage`]). Cheap to clone; clones share one
/// in-memory view and one group commit. Several handles, in one process or many, may use the
/// same folder at once.
#[derive(Clone)]
pub struct Journal {
    inner: Arc<Inner>,
}

struct Inner {
    storage: Arc<dyn Storage>,
    dir: Option<PathBuf>,
    owner: String,
    owner_lock: Mutex<Option<LockGuard>>,
    state: Mutex<State>,
    group: Group<Vec<Job>, Result<Vec<u64>>>,
    in_flight: Mutex<HashSet<u64>>,
    dead_owners: Mutex<HashSet<String>>,
}

/// One thing to append: a record (with its staged attachments) or a mark.
enum Job {
    Record(Draft),
    Mark(Line),
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("dir", &self.inner.dir)
            .field("storage", &self.inner.storage)
            .finish()
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Remove the owner file while still holding its lock, so that nobody can take it for
        // a live owner; records this handle was sending have been marked by then.
        let _ = self.storage.remove_owner(&self.owner);
        let held = self.owner_lock.get_mut().map(Option::take);
        drop(held);
    }
}

/// A `Journal` error for an I/O failure while doing `what`.
fn journal_error(dir: Option<&Path>, what: &str, e: &io::Error) -> Error {
    let place = dir
        .map(|d| format!("journal {}", d.display()))
        .unwrap_or_else(|| "journal".to_string());
    Error::Journal {
        message: format!(
            "{place}: could not {what}: {}",
            crate::error::os_error_text(e)
        ),
        source: Some(Box::new(io::Error::new(e.kind(), e.to_string()))),
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Each update under these locks is complete before it is released.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The generation named by the log's first line, if it is complete.
fn header_generation(head: &[u8]) -> Option<String> {
    let end = memchr::memchr(b'\n', head)?;
    match serde_json::from_slice::<Line>(&head[..end]) {
        Ok(Line::Journal { generation, .. }) => Some(generation),
        _ => None,
    }
}

/// Parses a record id.
fn parse_id(id: &str) -> Result<u64> {
    id.parse::<u64>()
        .map_err(|_| Error::invalid_input("id", format!("{id:?} is not a journal record id")))
}

/// A record a flush considers for one host, in order.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub(crate) seq: u64,
    pub(crate) scope: order::Scope,
    pub(crate) op: String,
    pub(crate) in_flight: bool,
    /// An offline record with no hosts yet: bound when first delivered.
    pub(crate) unbound: bool,
    /// Its org, if it has one.
    pub(crate) org: Option<String>,
}

impl Journal {
    /// Opens (creating) the journal in folder `dir`.
    pub fn open(dir: impl AsRef<Path>) -> Result<Journal> {
        let dir = dir.as_ref();
        let storage =
            FileStorage::open(dir).map_err(|e| journal_error(Some(dir), "open the folder", &e))?;
        Journal::with_storage(Arc::new(storage), Some(dir.to_path_buf()))
    }

    /// A journal on `storage` (for tests that wrap [`FileStorage`], or another backend);
    /// `dir` is only used in messages.
    pub fn with_storage(storage: Arc<dyn Storage>, dir: Option<PathBuf>) -> Result<Journal> {
        let owner = format!("{}-{}", std::process::id(), random_hex(6));
        let held = storage
            .lock(LockName::Owner(&owner), false)
            .map_err(|e| journal_error(dir.as_deref(), "take its owner lock", &e))?;
        let journal = Journal {
            inner: Arc::new(Inner {
                storage,
                dir,
                owner,
                owner_lock: Mutex::new(held),
                state: Mutex::new(State::default()),
                group: Group::default(),
                in_flight: Mutex::new(HashSet::new()),
                dead_owners: Mutex::new(HashSet::new()),
            }),
        };
        {
            let mut st = lock(&journal.inner.state);
            journal
                .refresh(&mut st, false)
                .map_err(|e| journal.error("read the log", &e))?;
        }
        Ok(journal)
    }

    /// The journal folder, when it is one.
    pub fn dir(&self) -> Option<&Path> {
        self.inner.dir.as_deref()
    }

    fn error(&self, what: &str, e: &io::Error) -> Error {
        journal_error(self.dir(), what, e)
    }

    /// Reads what other handles appended since the last look. With the append lock held,
    /// a torn last line (a writer died mid-append) is cut off.
    fn refresh(&self, st: &mut State, locked: bool) -> io::Result<()> {
        let storage = &self.inner.storage;
        let head = storage.read_log(0, Some(512))?;
        let generation = header_generation(&head);
        let replaced = match (&generation, &st.generation) {
            (Some(g), Some(mine)) => g != mine,
            (None, _) => head.is_empty() && st.offset > 0,
            (Some(_), None) => st.offset > 0,
        };
        if replaced {
            *st = State::default();
        }
        let bytes = storage.read_log(st.offset, None)?;
        let used = st.apply(&bytes);
        if locked && used < bytes.len() {
            tracing::warn!(
                "journal: cutting off {} bytes of an append that did not finish",
                bytes.len() - used
            );
            storage.truncate_log(st.offset)?;
        }
        Ok(())
    }

    /// Appends `jobs` durably through group commit; returns the numbers given to records.
    fn commit(&self, jobs: Vec<Job>) -> Result<Vec<u64>> {
        self.inner.group.run(
            jobs,
            |batch| self.commit_batch(batch),
            || {
                Err(Error::Journal {
                    message: "the journal's writer stopped before committing".into(),
                    source: None,
                })
            },
        )
    }

    fn commit_batch(&self, batch: Vec<Vec<Job>>) -> Vec<Result<Vec<u64>>> {
        let sizes: Vec<usize> = batch.iter().map(Vec::len).collect();
        let mut st = lock(&self.inner.state);
        match self.append_locked(&mut st, batch) {
            Ok(seqs) => {
                let mut out = Vec::with_capacity(sizes.len());
                let mut it = seqs.into_iter();
                for ids in sizes
                    .iter()
                    .map(|n| it.by_ref().take(*n).flatten().collect())
                {
                    out.push(Ok(ids));
                }
                out
            }
            Err(e) => sizes
                .iter()
                .map(|_| Err(self.error("record to the log", &e)))
                .collect(),
        }
    }

    /// Under the append lock: blobs into place, lines appended and synced. Per job entry, the
    /// record number given (None for marks).
    fn append_locked(&self, st: &mut State, batch: Vec<Vec<Job>>) -> io::Result<Vec<Option<u64>>> {
        let storage = &self.inner.storage;
        let mut jobs: Vec<Job> = batch.into_iter().flatten().collect();
        let guard = match storage.lock(LockName::Append, true) {
            Ok(g) => g,
            Err(e) => {
                discard_staged(storage.as_ref(), &mut jobs);
                return Err(e);
            }
        };
        let result = self.append_jobs(st, &mut jobs);
        if result.is_err() {
            discard_staged(storage.as_ref(), &mut jobs);
        }
        drop(guard);
        result
    }

    fn append_jobs(&self, st: &mut State, jobs: &mut [Job]) -> io::Result<Vec<Option<u64>>> {
        let storage = &self.inner.storage;
        self.refresh(st, true)?;
        let mut text = String::new();
        if st.offset == 0 {
            text.push_str(
                &Line::Journal {
                    version: entry::FORMAT_VERSION,
                    generation: random_hex(8),
                    next_seq: st.next_seq.max(1),
                }
                .encode()
                .map_err(io::Error::other)?,
            );
        }
        // Attachments first: a record never names a blob that is not in place.
        for job in jobs.iter_mut() {
            if let Job::Record(draft) = job {
                while let Some((staged, name)) = draft.blobs.pop() {
                    storage.commit_blob(staged, &name)?;
                }
            }
        }
        let mut next = st.next_seq.max(1);
        let mut seqs = Vec::with_capacity(jobs.len());
        for job in jobs.iter_mut() {
            match job {
                Job::Record(draft) => {
                    draft.line.seq = next;
                    seqs.push(Some(next));
                    next += 1;
                    text.push_str(
                        &Line::Record(draft.line.clone())
                            .encode()
                            .map_err(io::Error::other)?,
                    );
                }
                Job::Mark(line) => {
                    seqs.push(None);
                    text.push_str(&line.encode().map_err(io::Error::other)?);
                }
            }
        }
        let before = st.offset;
        if let Err(e) = storage
            .append_log(text.as_bytes())
            .and_then(|()| storage.sync_log())
        {
            // Undo the append so that nothing unacknowledged stays; if even that fails, the
            // next writer cuts a torn line, and complete lines become records (documented).
            if let Err(t) = storage.truncate_log(before) {
                tracing::warn!("journal: could not undo a failed append: {t}");
            }
            return Err(e);
        }
        st.apply(text.as_bytes());
        {
            let mut in_flight = lock(&self.inner.in_flight);
            for (job, seq) in jobs.iter().zip(&seqs) {
                if let (Job::Record(d), Some(seq)) = (job, seq) {
                    if d.line.owner.as_deref() == Some(self.inner.owner.as_str()) {
                        in_flight.insert(*seq);
                    }
                }
            }
        }
        if st.dead_lines >= 256 && st.dead_lines > st.live_lines() {
            if let Err(e) = self.compact_locked(st) {
                tracing::warn!("journal: compaction failed (the log stays as it is): {e}");
            }
        }
        Ok(seqs)
    }

    /// Rewrites the log with only the open records, and removes attachments nobody names.
    fn compact_locked(&self, st: &mut State) -> io::Result<()> {
        let storage = &self.inner.storage;
        let text = st.compacted(&random_hex(8)).map_err(io::Error::other)?;
        storage.replace_log(text.as_bytes())?;
        let mut fresh = State::default();
        fresh.apply(text.as_bytes());
        *st = fresh;
        let named: HashSet<&str> = st
            .records
            .values()
            .flat_map(|r| record::blobs_of(&r.line))
            .collect();
        for blob in storage.list_blobs()? {
            if !named.contains(blob.as_str()) {
                storage.remove_blob(&blob)?;
            }
        }
        storage.remove_stale_staged()
    }

    /// Compacts the log now if records are done (after a flush).
    pub(crate) fn compact(&self) -> Result<()> {
        let mut st = lock(&self.inner.state);
        let storage = &self.inner.storage;
        let _guard = storage
            .lock(LockName::Append, true)
            .map_err(|e| self.error("lock the log", &e))?;
        self.refresh(&mut st, true)
            .map_err(|e| self.error("read the log", &e))?;
        if st.dead_lines > 0 {
            self.compact_locked(&mut st)
                .map_err(|e| self.error("compact the log", &e))?;
        }
        Ok(())
    }

    /// Records `request` durably; returns its number. With `meta.owner` this handle's owner,
    /// the record counts as being sent by this process until [`Journal::settle`].
    pub(crate) fn record(&self, request: &Request, meta: Meta) -> Result<u64> {
        let draft = record::draft(self.inner.storage.as_ref(), request, meta)
            .map_err(|e| self.error("copy the request's attachments", &e))?;
        let seqs = self.commit(vec![Job::Record(draft)])?;
        seqs.into_iter().next().ok_or_else(|| Error::Journal {
            message: "the journal gave no number to a record".into(),
            source: None,
        })
    }

    /// Appends marks durably.
    pub(crate) fn mark(&self, lines: Vec<Line>) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        self.commit(lines.into_iter().map(Job::Mark).collect())
            .map(|_| ())
    }

    /// This handle's owner name (recorded with live writes).
    pub(crate) fn owner(&self) -> &str {
        &self.inner.owner
    }

    /// The live write of record `seq` is over: its outcome is marked.
    pub(crate) fn settle(&self, seq: u64) {
        lock(&self.inner.in_flight).remove(&seq);
    }

    /// Whether the live writer of a record is still running: this handle's own records are
    /// in flight while their call runs; another owner is alive while it holds its lock.
    fn owner_alive(&self, owner: Option<&str>, seq: u64) -> bool {
        let Some(owner) = owner else { return false };
        if owner == self.inner.owner {
            return lock(&self.inner.in_flight).contains(&seq);
        }
        if lock(&self.inner.dead_owners).contains(owner) {
            return false;
        }
        match self.inner.storage.lock(LockName::Owner(owner), false) {
            Ok(Some(_held)) => {
                let _ = self.inner.storage.remove_owner(owner);
                lock(&self.inner.dead_owners).insert(owner.to_string());
                false
            }
            Ok(None) => true,
            Err(e) => {
                // Unknown: treat it as alive, so that nothing is sent twice.
                tracing::warn!("journal: could not check owner {owner}: {e}");
                true
            }
        }
    }

    /// Whether the live write `seq` must wait on `host` behind an earlier pending record it
    /// depends on (not one that another live call is sending right now).
    pub(crate) fn must_wait(&self, seq: u64, host: &str) -> Result<bool> {
        let mut st = lock(&self.inner.state);
        self.refresh(&mut st, false)
            .map_err(|e| self.error("read the log", &e))?;
        let Some(me) = st.records.get(&seq) else {
            return Ok(false);
        };
        for (s, r) in st.records.range(..seq) {
            if !r.pending_for(host) || !must_follow(&me.scope, &r.scope) {
                continue;
            }
            if r.maybe_in_flight(host) && self.owner_alive(r.line.owner.as_deref(), *s) {
                continue;
            }
            return Ok(true);
        }
        Ok(false)
    }

    /// The records pending on `host`, oldest first.
    pub(crate) fn plan(&self, host: &str) -> Result<Vec<Planned>> {
        let mut st = lock(&self.inner.state);
        self.refresh(&mut st, false)
            .map_err(|e| self.error("read the log", &e))?;
        Ok(st
            .records
            .values()
            .filter(|r| r.pending_for(host))
            .map(|r| Planned {
                seq: r.line.seq,
                scope: r.scope.clone(),
                op: r.line.op.clone(),
                in_flight: r.maybe_in_flight(host)
                    && self.owner_alive(r.line.owner.as_deref(), r.line.seq),
                unbound: r.hosts.is_none(),
                org: r.org.clone(),
            })
            .collect())
    }

    /// Checks that every offline record has an org, or that `org` (the delivering client's)
    /// can stand in for it.
    pub(crate) fn check_unbound_orgs(&self, org: Option<&str>) -> Result<()> {
        let mut st = lock(&self.inner.state);
        self.refresh(&mut st, false)
            .map_err(|e| self.error("read the log", &e))?;
        let orphan = st
            .records
            .values()
            .find(|r| r.hosts.is_none() && !r.discarded && r.org.is_none() && org.is_none());
        match orphan {
            Some(r) => Err(Error::config(format!(
                "record {} of the journal has no org and neither has this client: set org in code, KOSLI_ORG, or org in the config file",
                r.line.seq
            ))),
            None => Ok(()),
        }
    }

    /// Marks all but the newest pending snapshot of each environment superseded on `host`;
    /// returns how many.
    pub(crate) fn coalesce(
        &self,
        host: &str,
        hosts: &[String],
        org: Option<&str>,
    ) -> Result<usize> {
        let lines = {
            let mut st = lock(&self.inner.state);
            self.refresh(&mut st, false)
                .map_err(|e| self.error("read the log", &e))?;
            let org_of = |r: &state::Rec| r.org.clone().or_else(|| org.map(str::to_string));
            let mut newest: std::collections::HashMap<(Option<String>, String), u64> =
                std::collections::HashMap::new();
            let snapshots: Vec<&state::Rec> = st
                .records
                .values()
                .filter(|r| r.snapshot && r.pending_for(host) && r.scope.env.is_some())
                .collect();
            for r in &snapshots {
                let key = (org_of(r), r.scope.env.clone().unwrap_or_default());
                newest.insert(key, r.line.seq);
            }
            let mut lines = Vec::new();
            for r in &snapshots {
                let key = (org_of(r), r.scope.env.clone().unwrap_or_default());
                let Some(by) = newest.get(&key).copied() else {
                    continue;
                };
                let busy = r.maybe_in_flight(host)
                    && self.owner_alive(r.line.owner.as_deref(), r.line.seq);
                if by == r.line.seq || busy {
                    continue;
                }
                if r.hosts.is_none() {
                    // Superseded offline snapshots are bound like delivered ones.
                    lines.push(Line::Bind {
                        seq: r.line.seq,
                        hosts: hosts.to_vec(),
                        org: org_of(r),
                    });
                }
                lines.push(Line::Superseded {
                    seq: r.line.seq,
                    host: host.to_string(),
                    by,
                });
            }
            lines
        };
        let n = lines
            .iter()
            .filter(|l| matches!(l, Line::Superseded { .. }))
            .count();
        self.mark(lines)?;
        Ok(n)
    }

    /// The request record `seq` stands for, with `org` for a record without one.
    pub(crate) fn request_for(&self, seq: u64, org: Option<&str>) -> Result<Request> {
        let (line, bound_org) = {
            let st = lock(&self.inner.state);
            let rec = st.records.get(&seq).ok_or_else(|| Error::Journal {
                message: format!("record {seq} is not in the journal"),
                source: None,
            })?;
            (rec.line.clone(), rec.org.clone())
        };
        record::to_request(
            self.inner.storage.as_ref(),
            &line,
            bound_org.as_deref().or(org),
        )
        .map_err(|message| Error::Journal {
            message,
            source: None,
        })
    }

    /// Takes the flush lock (waiting for another process's flush to end).
    pub(crate) fn lock_flush(&self) -> Result<LockGuard> {
        self.inner
            .storage
            .lock(LockName::Flush, true)
            .map_err(|e| self.error("take the flush lock", &e))?
            .ok_or_else(|| Error::Journal {
                message: "the flush lock was not given".into(),
                source: None,
            })
    }

    /// The pending records, per host of the records and of `hosts` (a client's).
    pub fn status_for(&self, hosts: &[String]) -> Result<JournalStatus> {
        let mut st = lock(&self.inner.state);
        self.refresh(&mut st, false)
            .map_err(|e| self.error("read the log", &e))?;
        let open: Vec<&state::Rec> = st.records.values().filter(|r| !r.discarded).collect();
        let mut names: Vec<String> = hosts.to_vec();
        for r in &open {
            for h in r.hosts.iter().flatten() {
                if !names.contains(h) {
                    names.push(h.clone());
                }
            }
        }
        let host_status = names
            .into_iter()
            .map(|host| {
                let pending: Vec<&&state::Rec> =
                    open.iter().filter(|r| r.pending_for(&host)).collect();
                let last_error = pending
                    .iter()
                    .rev()
                    .find_map(|r| r.marks.get(&host).and_then(|m| m.last_error.clone()));
                HostStatus {
                    pending: pending.len(),
                    oldest: pending.first().map(|r| from_ms(r.line.at_ms)),
                    last_error,
                    host,
                }
            })
            .collect();
        let records = open
            .iter()
            .map(|r| PendingRecord {
                id: r.line.seq.to_string(),
                operation: r.line.op.clone(),
                recorded_at: from_ms(r.line.at_ms),
                hosts: r.pending_hosts(),
                failures: r.marks.values().map(|m| m.failures).sum(),
                last_error: r.marks.values().rev().find_map(|m| m.last_error.clone()),
            })
            .collect();
        Ok(JournalStatus {
            dir: self.inner.dir.clone(),
            pending: open.len(),
            oldest: open.first().map(|r| from_ms(r.line.at_ms)),
            unbound: open.iter().filter(|r| r.hosts.is_none()).count(),
            hosts: host_status,
            records,
            corrupt_lines: st.corrupt_lines,
        })
    }

    /// The pending records, per host they were written for.
    pub fn status(&self) -> Result<JournalStatus> {
        self.status_for(&[])
    }

    /// Drops the pending record `id` (one a host keeps refusing): it is never delivered.
    /// Returns whether it was pending.
    pub fn discard(&self, id: &str) -> Result<bool> {
        let seq = parse_id(id)?;
        let known = {
            let mut st = lock(&self.inner.state);
            self.refresh(&mut st, false)
                .map_err(|e| self.error("read the log", &e))?;
            st.records.get(&seq).is_some_and(|r| !r.discarded)
        };
        if known {
            self.mark(vec![Line::Discarded {
                seq,
                at_ms: to_ms(SystemTime::now()),
            }])?;
        }
        Ok(known)
    }
}

fn discard_staged(storage: &dyn Storage, jobs: &mut [Job]) {
    for job in jobs {
        if let Job::Record(draft) = job {
            for (staged, _) in draft.blobs.drain(..) {
                let _ = storage.discard_staged(staged);
            }
        }
    }
}
