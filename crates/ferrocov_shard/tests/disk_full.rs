//! When shard space can't be reserved, the writer warns once and stops; the program goes on.

// RLIMIT_FSIZE and SIGXFSZ are POSIX: Windows has neither.
#![cfg(unix)]

mod common;

use std::fs::{self, File};
use std::os::fd::AsRawFd;

use ferrocov_shard::{ShardWriter, list_shards, read_shard};

#[test]
fn file_size_limit_disables_the_writer_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let run_dir = dir.path().join("run");
    let stderr_path = dir.path().join("stderr.txt");
    let stderr_file = File::create(&stderr_path).unwrap();

    let status = common::run_in_child(|| {
        // SAFETY: plain syscalls on valid arguments, in the single-threaded child.
        unsafe {
            libc::dup2(stderr_file.as_raw_fd(), 2);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 200_000,
                rlim_max: 200_000,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return 3;
            }
        }
        let Ok(writer) = ShardWriter::create(&run_dir) else {
            return 4;
        };
        let Some(id) = writer.file_id("/src/many.py") else {
            return 5;
        };
        for line in 1..=100_000 {
            writer.record_line(id, line);
        }
        if !writer.is_disabled() || writer.file_id("/src/other.py").is_some() {
            return 6;
        }
        writer.record_line(id, 200_000); // disabled: silently ignored
        0
    });
    assert_eq!(common::exit_code(status), Some(0), "status {status:#x}");

    let stderr = fs::read_to_string(&stderr_path).unwrap();
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("ferrocov: warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    let shards = list_shards(&run_dir).unwrap();
    assert_eq!(shards.len(), 1);
    let warning = warnings[0];
    assert!(
        warning.contains(&shards[0].display().to_string()),
        "{warning}"
    );
    assert!(
        warning.contains("File too large") || warning.contains("os error"),
        "{warning}"
    );
    assert!(warning.contains("measurement of this process"), "{warning}");

    // What was stored before the failure is intact: a prefix 1..=k with k > 0.
    let contents = read_shard(&shards[0]).unwrap();
    assert_eq!(contents.torn_tail, None);
    let lines = &contents.files[0].lines;
    assert!(lines.len() > 10_000, "{}", lines.len());
    assert_eq!(*lines, (1..=lines.len() as u32).collect::<Vec<u32>>());
}
