//! What shard files need from the operating system, one `cfg` per platform: reserving disk space,
//! whether a mapping may outrun its file, the lock that marks a writer alive, whether a process
//! exists, and the host name.
//!
//! Linux is what the tests run on. The macOS and Windows bodies are written from the platforms'
//! documentation and checked by compiling them (`tools/cross-check.sh`); they have never run here,
//! so they are kept short and say why they do what they do.

use std::fs::File;
use std::io;

/// Whether a shared mapping may be longer than its file. POSIX allows it (touching a page past
/// the end faults, which is why every store stays below the reserved length), so the writer maps
/// its largest size once. Windows maps a file only up to its length: there the writer maps what it
/// has reserved and maps again after each growth.
pub(crate) const MAP_PAST_END: bool = cfg!(unix);

/// Makes the first `len` bytes of `file` allocated, zero-filled and part of the file, so stores
/// through the mapping can never fault for lack of disk space. Never shrinks the file.
#[cfg(all(unix, not(target_vendor = "apple")))]
pub(crate) fn reserve(file: &File, len: usize) -> io::Result<()> {
    use std::os::fd::AsRawFd;

    let len = libc::off_t::try_from(len).map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
    loop {
        // SAFETY: plain syscall wrapper on an fd we own; no pointers involved.
        let rc = unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, len) };
        match rc {
            0 => return Ok(()),
            // posix_fallocate returns the error number instead of setting errno.
            libc::EINTR => continue,
            errno => return Err(io::Error::from_raw_os_error(errno)),
        }
    }
}

/// macOS has no `posix_fallocate`: `F_PREALLOCATE` reserves the blocks past the end of the file,
/// then `ftruncate` makes them part of it. A file system that cannot preallocate (`ENOTSUP`, or
/// `EINVAL` from some network file systems) only gets the `ftruncate`: the file is as long as
/// needed, but a full disk may then surface as SIGBUS on a store instead of as an error here.
#[cfg(target_vendor = "apple")]
pub(crate) fn reserve(file: &File, len: usize) -> io::Result<()> {
    use std::os::fd::AsRawFd;

    let len = u64::try_from(len).map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
    let current = file.metadata()?.len();
    if len <= current {
        return Ok(());
    }
    let missing = libc::off_t::try_from(len - current)
        .map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
    let mut store = libc::fstore_t {
        fst_flags: libc::F_ALLOCATEALL,
        // Relative to the end of the blocks already allocated: exactly what is missing.
        fst_posmode: libc::F_PEOFPOSMODE,
        fst_offset: 0,
        fst_length: missing,
        fst_bytesalloc: 0,
    };
    loop {
        // SAFETY: `store` is a valid, writable fstore_t that outlives the call; fd is ours.
        let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_PREALLOCATE, &raw mut store) };
        if rc != -1 {
            break;
        }
        let error = io::Error::last_os_error();
        match error.raw_os_error() {
            Some(libc::EINTR) => continue,
            Some(libc::ENOTSUP | libc::EINVAL) => break,
            _ => return Err(error),
        }
    }
    file.set_len(len)
}

/// Windows: extending a file (`SetFileInformationByHandle`, end of file) allocates its clusters on
/// NTFS, so a full disk is an error here; the new bytes read as zeros.
#[cfg(windows)]
pub(crate) fn reserve(file: &File, len: usize) -> io::Result<()> {
    let len = u64::try_from(len).map_err(|_| io::Error::from(io::ErrorKind::FileTooLarge))?;
    if len <= file.metadata()?.len() {
        return Ok(());
    }
    file.set_len(len)
}

/// Marks the shard's writer alive for as long as `file` stays open in any process that has it:
/// `combine` (and the stale temp file sweep) take an exclusive lock on the whole file, which fails
/// while this lock is held.
#[cfg(unix)]
pub(crate) fn lock_alive(file: &File) -> io::Result<()> {
    // flock: shared with a forked child, released when the last copy of the descriptor closes.
    file.lock_shared()
}

/// On Windows byte-range locks are mandatory: a shared lock on the data would deny this process
/// its own writes to it. So the writer locks one byte far past any shard's end (locking past the
/// end of a file is allowed), which the readers' whole-file lock still overlaps.
#[cfg(windows)]
pub(crate) fn lock_alive(file: &File) -> io::Result<()> {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{LOCKFILE_FAIL_IMMEDIATELY, LockFileEx};
    use windows_sys::Win32::System::IO::{OVERLAPPED, OVERLAPPED_0, OVERLAPPED_0_0};

    /// 2^62: far beyond the 64 MiB a shard grows to, inside the readers' `0..u64::MAX` range.
    const LIVENESS_BYTE: u64 = 1 << 62;
    let mut overlapped = OVERLAPPED {
        Anonymous: OVERLAPPED_0 {
            Anonymous: OVERLAPPED_0_0 {
                Offset: LIVENESS_BYTE as u32,
                OffsetHigh: (LIVENESS_BYTE >> 32) as u32,
            },
        },
        ..OVERLAPPED::default()
    };
    // SAFETY: the handle is open for the call; `overlapped` is valid and outlives it. A shared
    // lock that fails immediately never waits, so the handle's sync mode does not matter.
    let ok = unsafe {
        LockFileEx(
            file.as_raw_handle(),
            LOCKFILE_FAIL_IMMEDIATELY,
            0,
            1,
            0,
            &mut overlapped,
        )
    };
    if ok == 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Whether a process with this id may exist. Errs towards "yes": a wrong "yes" only keeps a
/// stale temp file for a later combine to remove.
#[cfg(unix)]
pub(crate) fn process_exists(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists and may be signalled; no pointers.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Windows: a process that can't be opened for an id that is invalid does not exist; one that
/// exits keeps its object (and id) while handles to it are open, so the exit code tells whether
/// it still runs. (A process that exited with code 259, `STILL_ACTIVE`, reads as alive.)
#[cfg(windows)]
pub(crate) fn process_exists(pid: u32) -> bool {
    use windows_sys::Win32::Foundation::{CloseHandle, ERROR_INVALID_PARAMETER, STILL_ACTIVE};
    use windows_sys::Win32::System::Threading::{
        GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
    };

    // SAFETY: OpenProcess takes no pointers; a null handle means failure.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if handle.is_null() {
        // Access denied and the like: the process exists but is not ours to query.
        return io::Error::last_os_error().raw_os_error() != Some(ERROR_INVALID_PARAMETER as i32);
    }
    let mut code = 0u32;
    // SAFETY: `handle` is a process handle we own; `code` is a valid out pointer.
    let ok = unsafe { GetExitCodeProcess(handle, &mut code) };
    // SAFETY: closing the handle opened above, once.
    unsafe { CloseHandle(handle) };
    ok == 0 || code == STILL_ACTIVE as u32
}

/// The host name as the OS reports it (what Python's `socket.gethostname()` returns), if any.
pub(crate) fn hostname() -> Option<String> {
    let name = gethostname::gethostname().to_string_lossy().into_owned();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_process_exists() {
        assert!(process_exists(std::process::id()));
    }

    #[test]
    fn reaped_child_does_not_exist() {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        child.wait().unwrap();
        // Ids are reused, but not this soon on any system the tests run on.
        assert!(!process_exists(pid));
    }

    #[test]
    fn host_name_is_not_empty() {
        let name = hostname().expect("a host name");
        assert!(!name.contains('\0'), "{name:?}");
    }

    #[test]
    fn reserve_grows_and_never_shrinks() {
        let file = tempfile::tempfile().unwrap();
        reserve(&file, 4096).unwrap();
        assert_eq!(file.metadata().unwrap().len(), 4096);
        reserve(&file, 1024).unwrap();
        assert_eq!(file.metadata().unwrap().len(), 4096);
        reserve(&file, 8192).unwrap();
        assert_eq!(file.metadata().unwrap().len(), 8192);
    }

    #[test]
    fn alive_lock_blocks_a_readers_exclusive_lock_until_closed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shard");
        let writer = File::create(&path).unwrap();
        lock_alive(&writer).unwrap();
        let reader = File::open(&path).unwrap();
        assert!(matches!(
            reader.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(writer);
        reader.try_lock().unwrap();
    }
}
