//! What `status` and `flush` report.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::notify::DeliveryFailure;

/// The pending records of a journal, overall and per host.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JournalStatus {
    /// The journal folder, when it is one.
    pub dir: Option<PathBuf>,
    /// Records not delivered everywhere yet.
    pub pending: usize,
    /// When the oldest of them was recorded.
    pub oldest: Option<SystemTime>,
    /// Offline records not bound to a host yet (they go to the hosts of the first client that
    /// flushes them).
    pub unbound: usize,
    /// Per host: the hosts records were written for, and those of the asking client.
    pub hosts: Vec<HostStatus>,
    /// Every pending record, oldest first.
    pub records: Vec<PendingRecord>,
    /// Lines of the log that could not be read (0 unless the disk damaged it).
    pub corrupt_lines: u64,
}

impl JournalStatus {
    /// How long ago the oldest pending record was recorded.
    pub fn oldest_age(&self, now: SystemTime) -> Option<Duration> {
        self.oldest
            .map(|t| now.duration_since(t).unwrap_or(Duration::ZERO))
    }
}

/// The pending records of one host.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HostStatus {
    /// The host (its URL without credentials).
    pub host: String,
    /// Records still to deliver to it (unbound records included).
    pub pending: usize,
    /// When the oldest of them was recorded.
    pub oldest: Option<SystemTime>,
    /// The last failure delivering to it, if any.
    pub last_error: Option<String>,
}

/// One pending record.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PendingRecord {
    /// Its id (the `id` of [`crate::Outcome::Queued`]).
    pub id: String,
    /// The operation's name.
    pub operation: String,
    /// When it was recorded.
    pub recorded_at: SystemTime,
    /// The hosts it still has to reach (`None`: not bound yet, any host).
    pub hosts: Option<Vec<String>>,
    /// Failed deliveries so far.
    pub failures: u32,
    /// The last failure's message.
    pub last_error: Option<String>,
}

/// What a flush did on one host.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HostFlush {
    /// The host (its URL without credentials).
    pub host: String,
    /// Records delivered now.
    pub delivered: usize,
    /// Older snapshots dropped in favour of a newer one of the same environment.
    pub superseded: usize,
    /// Records still pending on this host.
    pub left: usize,
    /// Why delivery to this host stopped early (an outage or refused credentials), if it did.
    pub stopped: Option<String>,
    /// Every failed delivery of this flush.
    pub failures: Vec<DeliveryFailure>,
}

/// What a flush did, per host of the delivering client.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct FlushReport {
    /// One entry per host, the primary first.
    pub hosts: Vec<HostFlush>,
}

impl FlushReport {
    /// Records delivered now, over all hosts.
    pub fn delivered(&self) -> usize {
        self.hosts.iter().map(|h| h.delivered).sum()
    }

    /// Records still pending, over all hosts.
    pub fn left(&self) -> usize {
        self.hosts.iter().map(|h| h.left).sum()
    }

    /// Whether nothing is left on any host.
    pub fn is_complete(&self) -> bool {
        self.left() == 0
    }
}

impl fmt::Display for FlushReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for h in &self.hosts {
            write!(
                f,
                "{}: {} delivered, {} superseded, {} left",
                h.host, h.delivered, h.superseded, h.left
            )?;
            if let Some(why) = &h.stopped {
                write!(f, " (stopped: {why})")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}
