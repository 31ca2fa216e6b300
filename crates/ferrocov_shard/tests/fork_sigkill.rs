//! A child that records lines and is then SIGKILLed loses none of them.

// fork and SIGKILL are POSIX: Windows has neither.
#![cfg(unix)]

mod common;

use ferrocov_shard::{ShardWriter, list_shards, read_shard};

#[test]
fn sigkilled_child_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run_dir = dir.path().join("run");
    let status = common::run_in_child(|| {
        let Ok(writer) = ShardWriter::create(&run_dir) else {
            return 3;
        };
        let (Some(a), Some(b)) = (writer.file_id("/src/a.py"), writer.file_id("/src/b.py")) else {
            return 4;
        };
        for line in 1..=5000 {
            writer.record_line(a, line);
        }
        writer.record_line(b, 42);
        // No flush, no destructors: die the hard way.
        // SAFETY: signalling ourselves; SIGKILL can't be caught, the process ends here.
        unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
        5
    });
    assert!(libc::WIFSIGNALED(status), "status {status:#x}");
    assert_eq!(libc::WTERMSIG(status), libc::SIGKILL);

    let shards = list_shards(&run_dir).unwrap();
    assert_eq!(shards.len(), 1, "{shards:?}");
    let contents = read_shard(&shards[0]).unwrap();
    assert_eq!(contents.torn_tail, None);
    assert_eq!(contents.files.len(), 2);
    assert_eq!(contents.files[0].path, "/src/a.py");
    assert_eq!(contents.files[0].lines, (1..=5000).collect::<Vec<u32>>());
    assert_eq!(contents.files[1].lines, vec![42]);
    assert_ne!(contents.pid, std::process::id());
}
