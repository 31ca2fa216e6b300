//! Running per-file work on many threads at once, results in item order.
//!
//! What a combine does per input is short and mostly waits: opening, locking, reading and
//! deleting files, with a little parsing in between. More threads than cores overlap those
//! waits (a thousand unlinks take seconds one after another and a tenth of a second sixteen at
//! a time on the project's machines); the results come back in item order, so nothing a
//! combine reports or writes depends on which thread finished first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads at least, even on a machine with fewer cores: the work waits more than it computes.
const MIN_THREADS: usize = 16;
/// Items per thread below which a thread costs more than it saves.
const ITEMS_PER_THREAD: usize = 8;

/// `work` applied to every item; results in item order.
pub(crate) fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = MIN_THREADS
        .max(cores)
        .min(items.len().div_ceil(ITEMS_PER_THREAD));
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
            let out = in_parallel(&items, |&i| {
                if i % 7 == 0 {
                    std::thread::yield_now();
                }
                i * 2
            });
            assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
