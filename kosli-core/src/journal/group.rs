//! Group commit: writers that arrive while a commit is syncing wait, and the next of them
//! commits all of their work with one write and one sync.
//!
//! The first caller to find no commit running becomes the leader: it takes every queued job,
//! commits them together, hands each its result and wakes the others. A caller whose job was
//! queued after the leader took its batch leads the next one.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard};

/// A queue of jobs committed in batches.
#[derive(Debug)]
pub(crate) struct Group<J, R> {
    state: Mutex<GroupState<J, R>>,
    wake: Condvar,
}

#[derive(Debug)]
struct GroupState<J, R> {
    queue: Vec<(u64, J)>,
    done: HashMap<u64, R>,
    next_ticket: u64,
    busy: bool,
}

impl<J, R> Default for Group<J, R> {
    fn default() -> Self {
        Group {
            state: Mutex::new(GroupState {
                queue: Vec::new(),
                done: HashMap::new(),
                next_ticket: 0,
                busy: false,
            }),
            wake: Condvar::new(),
        }
    }
}

/// Clears `busy` and wakes the waiters if a commit unwinds, so that they do not wait forever.
struct LeaderGuard<'a, J, R> {
    group: &'a Group<J, R>,
    armed: bool,
}

impl<J, R> Drop for LeaderGuard<'_, J, R> {
    fn drop(&mut self) {
        if self.armed {
            self.group.lock().busy = false;
            self.group.wake.notify_all();
        }
    }
}

impl<J, R> Group<J, R> {
    fn lock(&self) -> MutexGuard<'_, GroupState<J, R>> {
        // Every update under this lock is complete before it is released.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `job` and returns its result, committing a batch with `commit` when this caller
    /// leads. `commit` gets the jobs in arrival order and returns one result per job, in order.
    /// `on_lost` is the result of a job whose leader panicked.
    pub(crate) fn run(
        &self,
        job: J,
        commit: impl Fn(Vec<J>) -> Vec<R>,
        on_lost: impl Fn() -> R,
    ) -> R {
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.queue.push((ticket, job));
        loop {
            if let Some(r) = state.done.remove(&ticket) {
                return r;
            }
            let queued = state.queue.iter().any(|(t, _)| *t == ticket);
            if !queued {
                if !state.busy {
                    // Taken by a leader that unwound without answering.
                    return on_lost();
                }
            } else if !state.busy {
                state.busy = true;
                let batch = std::mem::take(&mut state.queue);
                drop(state);
                let mut guard = LeaderGuard {
                    group: self,
                    armed: true,
                };
                let (tickets, jobs): (Vec<u64>, Vec<J>) = batch.into_iter().unzip();
                let results = commit(jobs);
                state = self.lock();
                for (t, r) in tickets.into_iter().zip(results) {
                    state.done.insert(t, r);
                }
                state.busy = false;
                guard.armed = false;
                self.wake.notify_all();
                continue;
            }
            state = self.wake.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn concurrent_jobs_share_commits_and_get_their_own_results() {
        let group: Arc<Group<u32, u32>> = Arc::new(Group::default());
        let commits = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..16u32)
            .map(|i| {
                let group = group.clone();
                let commits = commits.clone();
                std::thread::spawn(move || {
                    (0..20u32).all(|j| {
                        let job = i * 1000 + j;
                        group.run(
                            job,
                            |jobs| {
                                commits.fetch_add(1, Ordering::SeqCst);
                                std::thread::sleep(std::time::Duration::from_millis(1));
                                jobs.into_iter().map(|j| j * 2).collect()
                            },
                            || u32::MAX,
                        ) == job * 2
                    })
                })
            })
            .collect();
        for t in threads {
            assert!(t.join().unwrap());
        }
        // 320 jobs, fewer commits: waiting writers were batched.
        let n = commits.load(Ordering::SeqCst);
        assert!(n < 320, "{n} commits");
    }
}
