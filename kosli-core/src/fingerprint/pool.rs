//! The hashing pool the library owns: a few named threads that hash files for every
//! fingerprint operation in the process, rebuilt after a `fork`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};

use super::hasher::{hash_file, new_buffer};
use super::value::Fingerprint;
use crate::error::{Error, Result};

/// State one operation shares with the workers hashing its files.
#[derive(Debug, Default)]
pub(crate) struct OpState {
    /// Set when the operation was cancelled or failed: its remaining jobs are skipped.
    pub(crate) stop: AtomicBool,
    /// Bytes hashed so far by all workers, for progress reports.
    pub(crate) bytes_done: AtomicU64,
}

/// One file to hash, and where to send the answer.
pub(crate) struct Job {
    pub(crate) path: PathBuf,
    pub(crate) index: u64,
    pub(crate) op: Arc<OpState>,
    pub(crate) reply: Sender<(u64, Result<Fingerprint>)>,
}

/// A fixed set of worker threads fed by one bounded queue.
pub(crate) struct HashPool {
    threads: usize,
    pid: u32,
    jobs: SyncSender<Job>,
}

impl HashPool {
    fn start(threads: usize) -> Result<HashPool> {
        let (jobs, queue) = mpsc::sync_channel::<Job>(threads * 64);
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("kosli-hash-{i}"))
                .spawn(move || worker(&queue))
                .map_err(|e| Error::Io {
                    path: PathBuf::new(),
                    message: format!("could not start a hashing thread: {e}"),
                    source: e,
                })?;
        }
        Ok(HashPool {
            threads,
            pid: std::process::id(),
            jobs,
        })
    }

    /// Number of worker threads.
    pub(crate) fn threads(&self) -> usize {
        self.threads
    }

    /// Queues a job; fails only if every worker is gone.
    pub(crate) fn submit(&self, job: Job) -> Result<()> {
        self.jobs.send(job).map_err(|_| Error::Fingerprint {
            path: PathBuf::new(),
            message: "the hashing pool has stopped".to_string(),
        })
    }
}

fn worker(queue: &Mutex<Receiver<Job>>) {
    let mut buf = new_buffer();
    loop {
        let job = {
            let Ok(guard) = queue.lock() else { return };
            match guard.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        let Job {
            path,
            index,
            op,
            reply,
        } = job;
        let result = if op.stop.load(Ordering::Relaxed) {
            Err(Error::cancelled(format!(
                "fingerprinting {}",
                path.display()
            )))
        } else {
            // A panic while hashing must not kill the worker nor leave its caller waiting.
            catch_unwind(AssertUnwindSafe(|| {
                hash_file(&path, &mut buf, &mut |n| {
                    op.bytes_done.fetch_add(n, Ordering::Relaxed);
                    !op.stop.load(Ordering::Relaxed)
                })
            }))
            .unwrap_or_else(|_| {
                Err(Error::Fingerprint {
                    path: path.clone(),
                    message: format!("internal error while hashing {}", path.display()),
                })
            })
        };
        // The caller may have gone (cancelled or failed early); nothing to do then.
        let _ = reply.send((index, result));
    }
}

/// The process-wide pools, one per thread count, keyed by the process that built them.
static POOLS: OnceLock<Mutex<Vec<Arc<HashPool>>>> = OnceLock::new();

/// The shared pool with `threads` workers, built on first use and rebuilt after a `fork`
/// (a child process inherits the pool's queue but none of its threads).
pub(crate) fn shared(threads: usize) -> Result<Arc<HashPool>> {
    let threads = threads.max(1);
    let pools = POOLS.get_or_init(|| Mutex::new(Vec::new()));
    let mut pools = pools
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let pid = std::process::id();
    pools.retain(|p| p.pid == pid);
    if let Some(pool) = pools.iter().find(|p| p.threads == threads) {
        return Ok(Arc::clone(pool));
    }
    let pool = Arc::new(HashPool::start(threads)?);
    pools.push(Arc::clone(&pool));
    Ok(pool)
}

/// The default worker count: the machine's cores.
pub(crate) fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}
