//! A forked child never writes into its parent's shard: it gets a shard of its own.

// fork is POSIX: Windows has neither.
#![cfg(unix)]

mod common;

use std::fs;

use ferrocov_shard::{ShardWriter, list_shards, read_shard};

#[test]
fn forked_child_gets_its_own_shard() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ShardWriter::create(dir.path()).unwrap();
    let parent_shard = writer.path();
    let a = writer.file_id("/src/a.py").unwrap();
    for line in 1..=3 {
        writer.record_line(a, line);
    }
    let before = fs::read(&parent_shard).unwrap();

    let status = common::run_in_child(|| {
        writer.record_line(a, 1); // recorded by the parent already: nothing to do
        writer.record_line(a, 4);
        let Some(b) = writer.file_id("/src/b.py") else {
            return 3;
        };
        writer.record_line(b, 1);
        if writer.path() == parent_shard {
            return 4;
        }
        0
    });
    assert_eq!(common::exit_code(status), Some(0), "status {status:#x}");

    // The parent's shard is byte-for-byte untouched by the child.
    assert_eq!(fs::read(&parent_shard).unwrap(), before);

    let shards = list_shards(dir.path()).unwrap();
    assert_eq!(shards.len(), 2);
    let child_shard = shards.iter().find(|s| **s != parent_shard).unwrap();
    let child = read_shard(child_shard).unwrap();
    assert_ne!(child.pid, std::process::id());
    assert_eq!(child.files.len(), 2);
    assert_eq!(
        (child.files[0].path.as_str(), &child.files[0].lines[..]),
        ("/src/a.py", &[4][..])
    );
    assert_eq!(
        (child.files[1].path.as_str(), &child.files[1].lines[..]),
        ("/src/b.py", &[1][..])
    );

    // The parent goes on writing to its own shard.
    writer.record_line(a, 5);
    assert_eq!(writer.path(), parent_shard);
    let parent = read_shard(&parent_shard).unwrap();
    assert_eq!(parent.pid, std::process::id());
    assert_eq!(parent.files.len(), 1);
    assert_eq!(parent.files[0].lines, vec![1, 2, 3, 5]);
}

#[test]
fn after_fork_hook_switches_before_any_line() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ShardWriter::create(dir.path()).unwrap();
    let parent_shard = writer.path();
    let a = writer.file_id("/src/a.py").unwrap();
    writer.record_line(a, 1);

    let status = common::run_in_child(|| {
        writer.after_fork_in_child();
        // Switched at once, though the child has recorded nothing yet.
        if writer.path() == parent_shard {
            return 4;
        }
        0
    });
    assert_eq!(common::exit_code(status), Some(0), "status {status:#x}");
    let shards = list_shards(dir.path()).unwrap();
    assert_eq!(
        shards.len(),
        2,
        "the child made a shard of its own: {shards:?}"
    );
    writer.after_fork_in_child(); // in the parent (no fork happened): nothing changes
    assert_eq!(writer.path(), parent_shard);
}
