//! Scheduled snapshots: a loop that snapshots an environment every interval (with jitter) on
//! the client's clock, until stopped.

use std::time::{Duration, Instant};

use super::collector::Collector;
use crate::client::{CancelHandle, Client, Outcome};
use crate::drift::{self, Drift, RunningArtifact};
use crate::error::{Error, Result};

/// When the loop snapshots: every `interval` from its start (a slow collection does not push
/// the next ones later), each tick moved later by a random part of `jitter` (so that many
/// reporters do not all call at once); ticks missed while a collection overran are skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    interval: Duration,
    jitter: Duration,
    seed: u64,
    max_ticks: Option<u64>,
}

impl Schedule {
    /// The seed's schedule: every 15 minutes.
    pub const SEED_INTERVAL: Duration = Duration::from_secs(15 * 60);

    /// Every `interval` (not zero), without jitter.
    pub fn every(interval: Duration) -> Result<Self> {
        if interval.is_zero() {
            return Err(Error::invalid_input(
                "interval",
                "the snapshot interval must be longer than zero",
            ));
        }
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        Ok(Schedule {
            interval,
            jitter: Duration::ZERO,
            seed,
            max_ticks: None,
        })
    }

    /// Moves each tick after the first later by up to `max` (less than the interval).
    pub fn jitter(mut self, max: Duration) -> Self {
        self.jitter = max.min(self.interval / 2);
        self
    }

    /// The seed of the jitter (the same seed gives the same ticks: for tests).
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Stops by itself after `n` ticks.
    pub fn max_ticks(mut self, n: u64) -> Self {
        self.max_ticks = Some(n);
        self
    }

    /// The interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The offset of tick `slot` from `slot * interval` (zero for the first).
    pub fn offset(&self, slot: u64) -> Duration {
        if slot == 0 || self.jitter.is_zero() {
            return Duration::ZERO;
        }
        // SplitMix64 of (seed, slot): a few lines instead of a random-number dependency.
        let mut z = self.seed ^ slot.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let span = self.jitter.as_nanos().min(u128::from(u64::MAX)) as u64;
        Duration::from_nanos(z % span.saturating_add(1))
    }

    /// When tick `slot` is due, for a loop started at `start`.
    pub fn due(&self, start: Instant, slot: u64) -> Instant {
        let n = u32::try_from(slot).unwrap_or(u32::MAX);
        start + self.interval.saturating_mul(n) + self.offset(slot)
    }
}

/// Stops a snapshot loop: at once while it waits, after the current snapshot while it takes
/// one. Clones share the state.
#[derive(Debug, Clone, Default)]
pub struct StopSignal {
    handle: CancelHandle,
}

impl StopSignal {
    /// A signal not given yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the loops using this signal to stop.
    pub fn stop(&self) {
        self.handle.cancel();
    }

    /// Whether [`stop`](Self::stop) was called.
    pub fn is_stopped(&self) -> bool {
        self.handle.is_cancelled()
    }

    /// Completes when stopped.
    pub async fn stopped(&self) {
        self.handle.cancelled().await;
    }
}

/// What one tick of the loop did.
#[derive(Debug)]
#[non_exhaustive]
pub struct Tick {
    /// Its slot in the schedule (0, 1, ...; a skipped slot is not run).
    pub slot: u64,
    /// How many ticks ran, this one included.
    pub number: u64,
    /// The snapshot taken and reported, or why not.
    pub result: std::result::Result<TickReport, Error>,
}

/// A snapshot taken by the loop.
#[derive(Debug)]
#[non_exhaustive]
pub struct TickReport {
    /// What runs.
    pub running: Vec<RunningArtifact>,
    /// The report's outcome (sent, or queued in the journal while Kosli is unreachable).
    pub outcome: Outcome,
    /// The drift since the loop's previous snapshot (`None` for the first).
    pub drift: Option<Drift>,
}

/// What a loop did, when it stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoopSummary {
    /// Ticks run.
    pub ticks: u64,
    /// Snapshots sent (or dry-run).
    pub sent: u64,
    /// Snapshots queued in the journal.
    pub queued: u64,
    /// Ticks that failed (collection or report).
    pub failed: u64,
    /// Slots skipped because a tick overran.
    pub skipped: u64,
}

impl Client {
    /// Snapshots `environment` with `collector` on `schedule` until `stop` (or the schedule's
    /// `max_ticks`), calling `observe` after each tick. The first tick runs at once. Waits use
    /// the client's clock. A failed tick is logged, counted and given to `observe`; the loop
    /// goes on. With a journal, a report made while Kosli is unreachable is queued, and the
    /// next tick first delivers what is pending (older snapshots coalesce to the newest).
    pub async fn snapshot_loop(
        &self,
        environment: &str,
        collector: &dyn Collector,
        schedule: &Schedule,
        stop: &StopSignal,
        observe: &mut (dyn FnMut(&Tick) + Send),
    ) -> LoopSummary {
        let clock = self.clock();
        let start = clock.now();
        let mut summary = LoopSummary::default();
        let mut previous: Option<Vec<RunningArtifact>> = None;
        let mut slot = 0u64;
        while !stop.is_stopped() {
            let result = self.loop_tick(environment, collector).await;
            summary.ticks += 1;
            let result = result.map(|(running, outcome)| {
                let drift = previous.as_ref().map(|p| drift::diff(p, &running));
                previous = Some(running.clone());
                TickReport {
                    running,
                    outcome,
                    drift,
                }
            });
            match &result {
                Ok(r) if matches!(r.outcome, Outcome::Queued { .. }) => summary.queued += 1,
                Ok(_) => summary.sent += 1,
                Err(e) => {
                    summary.failed += 1;
                    tracing::warn!("snapshot of {environment} failed: {e}");
                }
            }
            observe(&Tick {
                slot,
                number: summary.ticks,
                result,
            });
            if schedule.max_ticks.is_some_and(|m| summary.ticks >= m) || stop.is_stopped() {
                break;
            }
            slot += 1;
            let now = clock.now();
            while schedule.due(start, slot) < now {
                tracing::warn!(
                    "snapshot of {environment}: tick {slot} skipped (the previous one overran)"
                );
                summary.skipped += 1;
                slot += 1;
            }
            let wait = schedule.due(start, slot).saturating_duration_since(now);
            tokio::select! {
                () = clock.sleep(wait) => {}
                () = stop.stopped() => break,
            }
        }
        summary
    }

    async fn loop_tick(
        &self,
        environment: &str,
        collector: &dyn Collector,
    ) -> Result<(Vec<RunningArtifact>, Outcome)> {
        if self.journal().is_some() && self.journal_status().await.is_ok_and(|s| s.pending > 0) {
            match self.flush_journal().await {
                Ok(r) => tracing::info!("journal: delivered {} pending record(s)", r.delivered()),
                Err(e) => tracing::debug!("journal: still pending ({e})"),
            }
        }
        let (collected, outcome) = self.snapshot_with(environment, collector).await?;
        Ok((collected.running().to_vec(), outcome))
    }
}

impl crate::blocking::Client {
    /// See [`Client::snapshot_loop`]: blocks this thread until stopped; `observe` runs on a
    /// library thread.
    pub fn snapshot_loop(
        &self,
        environment: &str,
        collector: &dyn Collector,
        schedule: &Schedule,
        stop: &StopSignal,
        observe: &mut (dyn FnMut(&Tick) + Send),
    ) -> Result<LoopSummary> {
        self.run(|c| async move {
            Ok(
                c.snapshot_loop(environment, collector, schedule, stop, observe)
                    .await,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_bounded_deterministic_and_not_on_the_first_tick() {
        let s = Schedule::every(Duration::from_secs(900))
            .unwrap()
            .jitter(Duration::from_secs(30))
            .jitter_seed(7);
        assert_eq!(s.offset(0), Duration::ZERO);
        let offsets: Vec<Duration> = (1..200).map(|i| s.offset(i)).collect();
        assert!(offsets.iter().all(|o| *o <= Duration::from_secs(30)));
        assert!(offsets.iter().any(|o| *o != offsets[0]), "not random");
        assert_eq!(s.offset(5), s.clone().offset(5));
        let start = Instant::now();
        assert_eq!(
            s.due(start, 3),
            start + Duration::from_secs(2700) + s.offset(3)
        );
        // Jitter never reaches half the interval.
        let big = Schedule::every(Duration::from_secs(10))
            .unwrap()
            .jitter(Duration::from_secs(60));
        assert!((1..50).all(|i| big.offset(i) <= Duration::from_secs(5)));
        assert!(Schedule::every(Duration::ZERO).is_err());
    }
}
