//! The directory digest: a depth-first walk in bytewise name order whose name and content
//! digests are combined in walk order, while file contents are hashed in parallel.
//!
//! Memory stays flat whatever the tree: at most a bounded number of pieces wait between the
//! walk and the combining hasher, and each is 64 bytes or a pending job number.

use std::collections::{HashMap, VecDeque};
use std::fs;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::exclude::ExcludeSet;
use super::gopath::{join, to_bytes, to_path, to_path_buf};
use super::hasher::{hash_file, hex_of, new_buffer};
use super::pool::{HashPool, Job, OpState};
use super::value::Fingerprint;
use crate::error::{Error, Result};
use crate::progress::{Progress, ProgressFn};

/// What the walk contributes next, in order.
enum Piece {
    /// 64 hex bytes ready to append.
    Hex([u8; 64]),
    /// The content digest of a file still being hashed.
    File(u64),
    /// The walk failed here; earlier pieces still decide which error is reported first.
    Failed(Error),
}

/// Counts reported with a directory fingerprint.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WalkStats {
    pub(crate) files: u64,
    pub(crate) bytes: u64,
}

/// How often progress is reported while waiting for hashes.
const PROGRESS_TICK: Duration = Duration::from_millis(100);

/// Combines pieces in order, feeding the outer hasher as soon as the front is ready.
struct Combiner<'a> {
    outer: Sha256,
    queue: VecDeque<Piece>,
    done: HashMap<u64, Result<Fingerprint>>,
    in_flight: usize,
    max_in_flight: usize,
    max_queue: usize,
    replies: Receiver<(u64, Result<Fingerprint>)>,
    op: Arc<OpState>,
    progress: Option<&'a ProgressFn>,
    files_done: u64,
    files_total: Option<u64>,
    last_reported: (u64, u64),
}

impl Combiner<'_> {
    fn push(&mut self, piece: Piece) -> Result<()> {
        self.queue.push_back(piece);
        self.settle()
    }

    /// Drains what is ready, then waits while too much is pending (back-pressure).
    fn settle(&mut self) -> Result<()> {
        self.drain()?;
        while self.in_flight >= self.max_in_flight || self.queue.len() >= self.max_queue {
            self.wait_one()?;
        }
        Ok(())
    }

    /// Appends every ready piece at the front; the first failure in walk order wins.
    fn drain(&mut self) -> Result<()> {
        while let Some(front) = self.queue.front() {
            match front {
                Piece::Hex(hex) => self.outer.update(hex),
                Piece::File(index) => match self.done.remove(index) {
                    Some(Ok(fp)) => self.outer.update(fp.to_hex_bytes()),
                    Some(Err(e)) => return Err(e),
                    None => break,
                },
                Piece::Failed(_) => {
                    if let Some(Piece::Failed(e)) = self.queue.pop_front() {
                        return Err(e);
                    }
                }
            }
            self.queue.pop_front();
        }
        Ok(())
    }

    /// Waits for one hash result, reporting progress while it waits.
    fn wait_one(&mut self) -> Result<()> {
        loop {
            match self.replies.recv_timeout(PROGRESS_TICK) {
                Ok((index, result)) => {
                    self.in_flight -= 1;
                    self.files_done += 1;
                    self.done.insert(index, result);
                    self.report(false)?;
                    return self.drain();
                }
                Err(RecvTimeoutError::Timeout) => self.report(true)?,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Error::Fingerprint {
                        path: Default::default(),
                        message: "the hashing pool stopped answering".to_string(),
                    })
                }
            }
        }
    }

    /// Calls the progress callback when enough happened (or `force`), honouring a cancel.
    fn report(&mut self, force: bool) -> Result<()> {
        let Some(progress) = self.progress else {
            return Ok(());
        };
        let bytes = self.op.bytes_done.load(Ordering::Relaxed);
        let (files0, bytes0) = self.last_reported;
        if !force && self.files_done - files0 < 64 && bytes - bytes0 < 8 << 20 {
            return Ok(());
        }
        self.last_reported = (self.files_done, bytes);
        let snapshot = Progress {
            bytes_done: bytes,
            files_done: self.files_done,
            bytes_total: None,
            files_total: self.files_total,
        };
        if progress.report(&snapshot) {
            self.op.stop.store(true, Ordering::Relaxed);
            return Err(Error::cancelled("fingerprinting the directory"));
        }
        Ok(())
    }

    fn finish(mut self, files: u64) -> Result<(Fingerprint, WalkStats)> {
        self.files_total = Some(files);
        while !self.queue.is_empty() {
            if self.in_flight == 0 {
                self.drain()?;
                break;
            }
            self.wait_one()?;
        }
        let bytes = self.op.bytes_done.load(Ordering::Relaxed);
        self.report(true)?;
        let digest = Fingerprint::from_digest(self.outer.finalize().into());
        Ok((digest, WalkStats { files, bytes }))
    }
}

/// Where the file contents are hashed.
pub(crate) enum Hashing<'a> {
    /// On the calling thread, one file after another.
    Inline,
    /// On the shared pool.
    Pool(&'a HashPool),
}

/// The CLI's digest of the directory `root` (spelled as the caller gave it).
pub(crate) fn digest(
    root: &[u8],
    excludes: &ExcludeSet,
    hashing: Hashing<'_>,
    progress: Option<&ProgressFn>,
) -> Result<(Fingerprint, WalkStats)> {
    let (reply, replies) = mpsc::channel();
    let op = Arc::new(OpState::default());
    let threads = match hashing {
        Hashing::Inline => 1,
        Hashing::Pool(pool) => pool.threads(),
    };
    let mut combiner = Combiner {
        outer: Sha256::new(),
        queue: VecDeque::new(),
        done: HashMap::new(),
        in_flight: 0,
        max_in_flight: threads * 16,
        max_queue: 8192,
        replies,
        op: Arc::clone(&op),
        progress,
        files_done: 0,
        files_total: None,
        last_reported: (0, 0),
    };
    let result = walk(
        root,
        excludes,
        &mut combiner,
        &mut |path, index, combiner| match &hashing {
            Hashing::Inline => {
                let mut buf = new_buffer();
                let res = hash_file(&to_path_buf(path), &mut buf, &mut |n| {
                    op.bytes_done.fetch_add(n, Ordering::Relaxed);
                    true
                });
                combiner.done.insert(index, res);
                combiner.files_done += 1;
                combiner.report(false)
            }
            Hashing::Pool(pool) => {
                combiner.in_flight += 1;
                pool.submit(Job {
                    path: to_path_buf(path),
                    index,
                    op: Arc::clone(&op),
                    reply: reply.clone(),
                })
            }
        },
    );
    drop(reply);
    let outcome = result.and_then(|files| combiner.finish(files));
    if outcome.is_err() {
        // Jobs still queued for this operation are skipped by the workers.
        op.stop.store(true, Ordering::Relaxed);
    }
    outcome
}

type Dispatch<'d> = dyn FnMut(&[u8], u64, &mut Combiner<'_>) -> Result<()> + 'd;

/// One open directory of the walk: its path and its remaining sorted entries.
struct Level {
    path: Vec<u8>,
    entries: std::vec::IntoIter<(Vec<u8>, fs::FileType)>,
}

fn read_sorted(path: &[u8]) -> Result<Vec<(Vec<u8>, fs::FileType)>> {
    let shown = to_path_buf(path);
    let iter = fs::read_dir(to_path(path)).map_err(|e| Error::io("open", &shown, e))?;
    let mut entries = Vec::new();
    for entry in iter {
        let entry = entry.map_err(|e| Error::io("readdirent", &shown, e))?;
        let kind = entry
            .file_type()
            .map_err(|e| Error::io("lstat", &entry.path(), e))?;
        entries.push((to_bytes(Path::new(&entry.file_name())).into_owned(), kind));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// Walks like Go's `filepath.WalkDir`, returning the number of files dispatched.
fn walk(
    root: &[u8],
    excludes: &ExcludeSet,
    combiner: &mut Combiner<'_>,
    dispatch: &mut Dispatch<'_>,
) -> Result<u64> {
    // The root is lstat-ed: a symlink to a directory, spelled without a trailing slash,
    // is not walked at all.
    let root_meta = fs::symlink_metadata(to_path(root))
        .map_err(|e| Error::io("lstat", &to_path_buf(root), e))?;
    if !root_meta.is_dir() {
        return Ok(0);
    }
    let mut files = 0u64;
    let mut stack = vec![Level {
        path: root.to_vec(),
        entries: read_sorted(root)?.into_iter(),
    }];
    while let Some(level) = stack.last_mut() {
        let Some((name, kind)) = level.entries.next() else {
            stack.pop();
            continue;
        };
        let path = join(&level.path, &name);
        if excludes.paths.contains(&path) {
            continue;
        }
        let shown = || to_path_buf(&path);
        let is_link = kind.is_symlink();
        let target_is_dir = if is_link {
            match fs::metadata(to_path(&path)) {
                Ok(meta) => meta.is_dir(),
                Err(e) => {
                    combiner.push(Piece::Failed(Error::io("stat", &shown(), e)))?;
                    break;
                }
            }
        } else {
            kind.is_dir()
        };
        combiner.push(Piece::Hex(hex_of(&name)))?;
        if target_is_dir {
            if is_link {
                match fs::read_link(to_path(&path)) {
                    Ok(target) => combiner.push(Piece::Hex(hex_of(&to_bytes(&target))))?,
                    Err(e) => {
                        combiner.push(Piece::Failed(Error::io("readlink", &shown(), e)))?;
                        break;
                    }
                }
            } else {
                match read_sorted(&path) {
                    Ok(entries) => stack.push(Level {
                        path,
                        entries: entries.into_iter(),
                    }),
                    Err(e) => {
                        combiner.push(Piece::Failed(e))?;
                        break;
                    }
                }
            }
        } else {
            let index = files;
            files += 1;
            combiner.queue.push_back(Piece::File(index));
            dispatch(&path, index, combiner)?;
            combiner.settle()?;
        }
    }
    Ok(files)
}
