//! The storage under the journal: one append-only log, content-addressed blobs, and
//! cross-process locks. Small on purpose, so tests can wrap it (to record the order of writes
//! and syncs, or to inject I/O faults) and another backend could replace the plain files.
//!
//! The journal calls these methods in a fixed discipline (see the module docs of
//! [`crate::journal`]): everything that changes the log happens while [`LockName::Append`] is
//! held, and nothing is acknowledged before [`Storage::sync_log`] (and, for attachments,
//! [`Storage::commit_blob`]) returned.

use std::fmt;
use std::io;

/// The cross-process locks of a journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockName<'a> {
    /// Held while the log is read for writing, appended to, synced, truncated or replaced.
    Append,
    /// Held by the one process delivering queued records (`flush`).
    Flush,
    /// Held by a live journal handle for as long as it is open; records it is sending name it,
    /// and another process that can take this lock knows their sender is gone.
    Owner(&'a str),
}

/// A held lock, released when dropped (or when the process ends, however it ends).
pub struct LockGuard {
    _held: Box<dyn Send + Sync>,
}

impl LockGuard {
    /// A guard holding `held` (a locked file, or anything whose drop releases the lock).
    pub fn new(held: impl Send + Sync + 'static) -> LockGuard {
        LockGuard {
            _held: Box::new(held),
        }
    }
}

impl fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LockGuard")
    }
}

/// An attachment written to a temporary place and synced, ready to be committed under its
/// content address.
#[derive(Debug)]
pub struct StagedBlob {
    /// The storage's handle of the temporary copy (a file name for [`super::FileStorage`]).
    pub token: String,
    /// The number of bytes.
    pub len: u64,
}

/// Where the journal keeps its log and attachments. All methods are blocking.
pub trait Storage: Send + Sync + fmt::Debug {
    /// Takes a lock: waits for it when `wait`, else returns `None` when another holder has it.
    fn lock(&self, name: LockName<'_>, wait: bool) -> io::Result<Option<LockGuard>>;
    /// Forgets an owner lock whose holder is gone (its lock was just taken by the caller).
    fn remove_owner(&self, owner: &str) -> io::Result<()>;
    /// The log's bytes from `offset` to its end, at most `max` of them when given; empty when
    /// the log does not exist yet or is shorter.
    fn read_log(&self, offset: u64, max: Option<usize>) -> io::Result<Vec<u8>>;
    /// The log's length in bytes (0 when it does not exist yet).
    fn log_len(&self) -> io::Result<u64>;
    /// Appends `bytes` at the end of the log (creating it). Not durable until `sync_log`.
    fn append_log(&self, bytes: &[u8]) -> io::Result<()>;
    /// Makes everything appended so far durable.
    fn sync_log(&self) -> io::Result<()>;
    /// Cuts the log back to `len` bytes and syncs it (drops a torn tail or an append that
    /// failed half way).
    fn truncate_log(&self, len: u64) -> io::Result<()>;
    /// Replaces the whole log atomically and durably (compaction): after a crash the log is
    /// either the old one or `bytes`, never a mix.
    fn replace_log(&self, bytes: &[u8]) -> io::Result<()>;
    /// Writes an attachment to a temporary place and syncs it; nothing refers to it yet.
    fn stage_blob(&self, bytes: &[u8]) -> io::Result<StagedBlob>;
    /// Moves a staged attachment to its name (its SHA-256) durably, or drops it if a blob of
    /// that name is already there.
    fn commit_blob(&self, staged: StagedBlob, name: &str) -> io::Result<()>;
    /// Drops a staged attachment that will not be committed.
    fn discard_staged(&self, staged: StagedBlob) -> io::Result<()>;
    /// Reads the attachment `name`.
    fn read_blob(&self, name: &str) -> io::Result<Vec<u8>>;
    /// The names of the committed attachments.
    fn list_blobs(&self) -> io::Result<Vec<String>>;
    /// Deletes the attachment `name` (no longer referred to).
    fn remove_blob(&self, name: &str) -> io::Result<()>;
    /// Deletes staged attachments older than an hour (left by a process that died).
    fn remove_stale_staged(&self) -> io::Result<()>;
}
