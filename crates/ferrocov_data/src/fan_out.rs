//! Running per-file work on several threads at once, results in item order.
//!
//! Reading inputs is mostly computing (SQLite, shard parsing), so it gets a thread per core
//! and a few more to cover the waits for the disk. Removing files is mostly waiting (a
//! thousand unlinks take seconds one after another on the project's machines, a tenth of a
//! second sixteen at a time), so it gets many threads. Results come back in item order
//! either way: nothing a combine reports or writes depends on which thread finished first.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

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

/// How many threads `items` are worth for `kind` of work.
fn thread_count(items: usize, kind: Work) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let floor = match kind {
        Work::Compute => COMPUTE_THREADS,
        Work::Wait => WAIT_THREADS,
    };
    floor.max(cores).min(items.div_ceil(ITEMS_PER_THREAD))
}

/// `work` applied to every item; results in item order.
pub(crate) fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    kind: Work,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = thread_count(items.len(), kind);
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

/// `work` applied to every item on helper threads while this thread hands each result to
/// `take`, in item order, as soon as it and all before it are done: taking overlaps with the
/// work, with no pause between batches. Helpers run at most `window` items ahead of `take`,
/// which bounds how many results wait in memory.
pub(crate) fn in_order<T: Sync, R: Send>(
    items: &[T],
    kind: Work,
    window: usize,
    work: impl Fn(&T) -> R + Sync,
    mut take: impl FnMut(usize, R),
) {
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let taken = Mutex::new(0usize);
    let advanced = Condvar::new();
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel();
    let helper = |sender: mpsc::Sender<(usize, std::thread::Result<R>)>| loop {
        let at = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(at) else { break };
        {
            let mut taken = taken.lock().unwrap_or_else(|e| e.into_inner());
            while at >= *taken + window && !stop.load(Ordering::Relaxed) {
                taken = advanced.wait(taken).unwrap_or_else(|e| e.into_inner());
            }
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
        // A panic is handed over like a result and raised again by the taking thread.
        let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
        if sender.send((at, result)).is_err() {
            break;
        }
    };
    std::thread::scope(|scope| {
        let threads = thread_count(items.len(), kind);
        let mut helpers = 0;
        for _ in 0..threads.max(1) {
            let sender = sender.clone();
            let spawned = std::thread::Builder::new().spawn_scoped(scope, move || helper(sender));
            helpers += usize::from(spawned.is_ok());
        }
        drop(sender);
        if helpers == 0 {
            // No thread to be had: do it all here.
            for (at, item) in items.iter().enumerate() {
                take(at, work(item));
            }
            return;
        }
        let mut waiting = BTreeMap::new();
        let mut due = 0;
        while due < items.len() {
            if let Some(result) = waiting.remove(&due) {
                match result {
                    Ok(result) => take(due, result),
                    Err(panic) => {
                        stop.store(true, Ordering::Relaxed);
                        advanced.notify_all();
                        panic::resume_unwind(panic);
                    }
                }
                due += 1;
                *taken.lock().unwrap_or_else(|e| e.into_inner()) = due;
                advanced.notify_all();
                continue;
            }
            // The next result is not ready. Rather than sleep until it is, this thread does an
            // item itself while the window allows: one thread fewer to wake, one more working.
            let claim = || {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let item = items.get(at)?;
                Some((at, panic::catch_unwind(AssertUnwindSafe(|| work(item)))))
            };
            let (at, result) = match receiver.try_recv() {
                Ok(received) => received,
                Err(mpsc::TryRecvError::Empty) if next.load(Ordering::Relaxed) < due + window => {
                    match claim().or_else(|| receiver.recv().ok()) {
                        Some(received) => received,
                        None => break,
                    }
                }
                Err(mpsc::TryRecvError::Empty) => match receiver.recv() {
                    Ok(received) => received,
                    // Every helper is gone: the next round takes what is left.
                    Err(_) => continue,
                },
                Err(mpsc::TryRecvError::Disconnected) => match claim() {
                    Some(received) => received,
                    None => break,
                },
            };
            waiting.insert(at, result);
        }
    });
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

    #[test]
    fn in_order_takes_every_result_in_item_order() {
        for (len, window) in [(0, 4), (1, 1), (7, 1), (100, 3), (1000, 64)] {
            let items: Vec<usize> = (0..len).collect();
            let mut seen = Vec::new();
            in_order(
                &items,
                Work::Compute,
                window,
                |&i| {
                    if i % 5 == 0 {
                        std::thread::sleep(std::time::Duration::from_micros(50));
                    }
                    i * 3
                },
                |at, result| {
                    assert_eq!(result, at * 3);
                    seen.push(at);
                },
            );
            assert_eq!(seen, items);
        }
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let items: Vec<usize> = (0..200).collect();
        let outcome = std::panic::catch_unwind(|| {
            in_order(
                &items,
                Work::Compute,
                8,
                |&i| {
                    assert_ne!(i, 77, "item 77");
                    i
                },
                |_, _| {},
            );
        });
        assert!(outcome.is_err());
    }
}
