//! Running per-file work on several threads at once, results in item order.
//!
//! Reading inputs is mostly computing (SQLite, shard parsing), so it gets a thread per core
//! and a few more to cover the waits for the disk. Removing files is mostly waiting (a
//! thousand unlinks take seconds one after another on the project's machines, a tenth of a
//! second sixteen at a time), so it gets many threads. Results come back in item order
//! either way: nothing a combine reports or writes depends on which thread finished first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads a kind of work is worth.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Work {
    /// Mostly computing: one thread per core, at least [`COMPUTE_THREADS`].
    Compute,
    /// Mostly waiting for the filesystem: at least [`WAIT_THREADS`].
    Wait,
}

/// Threads for computing work even with fewer cores (4 measured as fast as 2 on 2 cores
/// with less memory than 16, and leaves room to overlap reads from a cold disk).
const COMPUTE_THREADS: usize = 4;
/// Threads for waiting work.
const WAIT_THREADS: usize = 16;
/// Items per thread below which a thread costs more than it saves.
const ITEMS_PER_THREAD: usize = 8;

/// `work` applied to every item; results in item order.
pub(crate) fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    kind: Work,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let floor = match kind {
        Work::Compute => COMPUTE_THREADS,
        Work::Wait => WAIT_THREADS,
    };
    let threads = floor.max(cores).min(items.len().div_ceil(ITEMS_PER_THREAD));
    if threads <= 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let take_items = || {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(at) else { break };
            done.push((at, work(item)));
        }
        done
    };
    let mut slots: Vec<(usize, R)> = std::thread::scope(|scope| {
        // A thread the system refuses is no error: this thread takes the items it would have.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, take_items)
                    .ok()
            })
            .collect();
        let mut all = take_items();
        for helper in helpers {
            match helper.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    slots.sort_unstable_by_key(|(at, _)| *at);
    slots.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order() {
        for len in [0, 1, 7, 8, 9, 100, 1000] {
            let items: Vec<usize> = (0..len).collect();
            let out = in_parallel(&items, Work::Wait, |&i| {
                if i % 7 == 0 {
                    std::thread::yield_now();
                }
                i * 2
            });
            assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
