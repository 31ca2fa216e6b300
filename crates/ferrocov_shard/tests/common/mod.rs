//! Helpers for tests that fork: run a closure in a child process and collect its status.
//!
//! Each forking test lives in its own test binary with a single test, so no other test
//! thread can hold a lock (stdout capture, allocator arenas) at the moment of the fork.

#![allow(dead_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Forks; the child runs `body` and exits with its return value (101 on panic) without
/// running destructors or atexit handlers. Returns the raw wait status of the child.
pub(crate) fn run_in_child(body: impl FnOnce() -> i32) -> i32 {
    // SAFETY: fork has no memory-safety preconditions; the child only runs `body` and then
    // _exit, and this test binary runs a single test, so no other thread holds a lock.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed: {}", std::io::Error::last_os_error());
    if pid == 0 {
        let code = catch_unwind(AssertUnwindSafe(body)).unwrap_or(101);
        // SAFETY: terminating the child immediately is the point; nothing is left to clean up.
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: `status` is a valid out-pointer; `pid` is our own child.
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(waited, pid, "waitpid: {}", std::io::Error::last_os_error());
    status
}

/// The exit code of a child that exited normally.
pub(crate) fn exit_code(status: i32) -> Option<i32> {
    libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status))
}
