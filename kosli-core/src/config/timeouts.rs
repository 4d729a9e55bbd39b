//! Time limits of a call and the shape of the waits between its attempts.

use std::time::Duration;

/// Time limits: to connect, for one attempt, and for a whole call with its retries.
///
/// The defaults follow the CLI: 30 s to connect, and no limit on an attempt or a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    connect: Duration,
    attempt: Option<Duration>,
    total: Option<Duration>,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(30),
            attempt: None,
            total: None,
        }
    }
}

impl Timeouts {
    /// The time allowed to open a connection.
    pub fn connect(&self) -> Duration {
        self.connect
    }

    /// The time allowed for one attempt (request sent, answer read), if limited.
    pub fn attempt(&self) -> Option<Duration> {
        self.attempt
    }

    /// The time allowed for a whole call, waits and retries included, if limited.
    pub fn total(&self) -> Option<Duration> {
        self.total
    }

    /// Sets the time allowed to open a connection.
    pub fn with_connect(mut self, d: Duration) -> Self {
        self.connect = d;
        self
    }

    /// Sets (or lifts, with `None`) the time allowed for one attempt.
    pub fn with_attempt(mut self, d: Option<Duration>) -> Self {
        self.attempt = d;
        self
    }

    /// Sets (or lifts, with `None`) the time allowed for a whole call.
    pub fn with_total(mut self, d: Option<Duration>) -> Self {
        self.total = d;
        self
    }
}

/// The waits between attempts: exponential from `initial`, doubled each time, capped at `max`,
/// optionally jittered. The defaults are the CLI's: 1 s, 2 s, 4 s, ... capped at 30 s, no jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    jitter: bool,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(30),
            jitter: false,
        }
    }
}

impl Backoff {
    /// The first wait.
    pub fn initial(&self) -> Duration {
        self.initial
    }

    /// The longest wait.
    pub fn max(&self) -> Duration {
        self.max
    }

    /// Whether waits are jittered.
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// Sets the first wait.
    pub fn with_initial(mut self, d: Duration) -> Self {
        self.initial = d;
        self
    }

    /// Sets the longest wait.
    pub fn with_max(mut self, d: Duration) -> Self {
        self.max = d;
        self
    }

    /// Turns jitter on or off. With jitter, each wait is drawn between half and all of its
    /// exponential value, so that many clients retrying at once spread out.
    pub fn with_jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// The exponential wait after the attempt numbered `retry` (0 for the first attempt), before
    /// jitter: `initial * 2^retry`, capped at `max`.
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.initial
            .checked_mul(factor)
            .unwrap_or(self.max)
            .min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_backoff_is_1_2_4_capped_at_30() {
        let b = Backoff::default();
        let waits: Vec<u64> = (0..7).map(|n| b.delay(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(b.delay(200), Duration::from_secs(30));
    }

    #[test]
    fn timeouts_default_to_the_cli() {
        let t = Timeouts::default();
        assert_eq!(t.connect(), Duration::from_secs(30));
        assert_eq!(t.attempt(), None);
        assert_eq!(t.total(), None);
    }
}
