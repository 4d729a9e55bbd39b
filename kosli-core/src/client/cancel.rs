//! A handle that cancels calls in flight: blocking, C and Python callers cannot drop a future,
//! so they cancel through one of these.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

/// Cancels the calls it was given to. Once cancelled it stays cancelled; clones share the state.
#[derive(Debug, Clone, Default)]
pub struct CancelHandle {
    inner: Arc<CancelState>,
}

#[derive(Debug, Default)]
struct CancelState {
    cancelled: AtomicBool,
    notify: Notify,
}

impl CancelHandle {
    /// A new handle, not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every call using this handle; they end with a `Cancelled` error.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// Whether [`CancelHandle::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// Completes when the handle is cancelled.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            // Register before checking the flag, so a cancel in between is not missed.
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn cancel_wakes_waiters() {
        let h = CancelHandle::new();
        let h2 = h.clone();
        let waiter = tokio::spawn(async move { h2.cancelled().await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(!h.is_cancelled());
        h.cancel();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .unwrap()
            .unwrap();
        // Already cancelled: returns at once.
        h.cancelled().await;
    }
}
