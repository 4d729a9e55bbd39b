//! Time as the client sees it: a clock and a sleep, injectable so that tests of retries and
//! `Retry-After` run in virtual time instead of waiting.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// A boxed, sendable future, as [`Clock::sleep`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The time source of a client: the monotonic time for budgets, the wall time for HTTP-date
/// `Retry-After` values, and a sleep for the waits between attempts.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The monotonic now.
    fn now(&self) -> Instant;
    /// The wall-clock now.
    fn system_now(&self) -> SystemTime;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()>;
}

/// The real clock: `Instant::now`, `SystemTime::now` and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn system_now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A virtual clock for tests: sleeping returns at once and moves the clock forward, and every
/// sleep is recorded, so a test can assert the waits of a retry schedule without waiting.
#[derive(Debug, Clone)]
pub struct VirtualClock {
    inner: Arc<Mutex<VirtualState>>,
}

#[derive(Debug)]
struct VirtualState {
    start: Instant,
    wall_start: SystemTime,
    elapsed: Duration,
    sleeps: Vec<Duration>,
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl VirtualClock {
    /// A virtual clock starting now.
    pub fn new() -> Self {
        VirtualClock {
            inner: Arc::new(Mutex::new(VirtualState {
                start: Instant::now(),
                wall_start: SystemTime::now(),
                elapsed: Duration::ZERO,
                sleeps: Vec::new(),
            })),
        }
    }

    /// Every sleep asked for so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    /// The virtual time that has passed.
    pub fn elapsed(&self) -> Duration {
        self.lock().elapsed
    }

    /// Moves the clock forward without a sleep (as if a request took this long).
    pub fn advance(&self, d: Duration) {
        self.lock().elapsed += d;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VirtualState> {
        // A panic while holding this lock cannot leave the state half-updated (each update is
        // one assignment), so a poisoned lock is still good to use.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Instant {
        let s = self.lock();
        s.start + s.elapsed
    }

    fn system_now(&self) -> SystemTime {
        let s = self.lock();
        s.wall_start + s.elapsed
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'_, ()> {
        let mut s = self.lock();
        s.elapsed += duration;
        s.sleeps.push(duration);
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn virtual_sleeps_are_recorded_and_move_time() {
        let c = VirtualClock::new();
        let t0 = c.now();
        let w0 = c.system_now();
        c.sleep(Duration::from_secs(2)).await;
        c.sleep(Duration::from_millis(500)).await;
        assert_eq!(
            c.sleeps(),
            [Duration::from_secs(2), Duration::from_millis(500)]
        );
        assert_eq!(c.now() - t0, Duration::from_millis(2500));
        assert_eq!(
            c.system_now().duration_since(w0).unwrap(),
            Duration::from_millis(2500)
        );
    }
}
