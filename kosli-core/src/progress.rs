//! Progress reports for long operations, and the caller's answer: go on or cancel.

use std::fmt;
use std::sync::Arc;

/// How far an operation has come. Totals are `None` until they are known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes hashed so far.
    pub bytes_done: u64,
    /// Files finished so far.
    pub files_done: u64,
    /// All bytes to hash, when known.
    pub bytes_total: Option<u64>,
    /// All files to hash, when known.
    pub files_total: Option<u64>,
}

/// What a progress callback asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressControl {
    /// Keep going.
    #[default]
    Continue,
    /// Stop as soon as possible; the operation fails with [`crate::ErrorKind::Cancelled`].
    Cancel,
}

/// A progress callback. It runs on a library thread, one call at a time per operation, and
/// must return quickly.
#[derive(Clone)]
pub struct ProgressFn(Arc<dyn Fn(&Progress) -> ProgressControl + Send + Sync>);

impl ProgressFn {
    /// Wraps a closure.
    pub fn new(f: impl Fn(&Progress) -> ProgressControl + Send + Sync + 'static) -> Self {
        ProgressFn(Arc::new(f))
    }

    /// Reports `progress`; `true` means the caller asked to cancel.
    pub(crate) fn report(&self, progress: &Progress) -> bool {
        (self.0)(progress) == ProgressControl::Cancel
    }
}

impl fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressFn(..)")
    }
}
