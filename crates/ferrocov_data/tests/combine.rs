//! Combining shards and coverage.py data files; erase.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ferrocov_data::{
    CombineReport, CoverageData, DataError, WriteMeta, combine, erase, read_data_file,
    shard_dir_for, write_data_file,
};
use ferrocov_shard::ShardWriter;

mod common;
use common::request;

fn identity(path: &str) -> String {
    path.to_owned()
}

#[test]
fn a_run_combines_only_its_own_run_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let shards = ferrocov_data::shard_dir_for(&data_file);
    let ours = shards.join(ferrocov_data::run_dir_name());
    let earlier = shards.join("run.1.deadbeef");
    shard(&ours, &[("/p/ours.py", &[1, 2])]);
    let stale = shard(&earlier, &[("/p/stale.py", &[7])]);
    let identity = |p: &str| p.to_owned();
    let mut req = request(&data_file, vec![ours.clone()], &identity);
    req.only_inputs = true;
    combine(&req).unwrap();
    let data = read_data_file(&data_file).unwrap();
    assert_eq!(data.files().collect::<Vec<_>>(), vec!["/p/ours.py"]);
    assert!(
        !ours.exists(),
        "the run's directory is removed once combined"
    );
    assert!(
        stale.exists(),
        "another run's shards are left for `ferrocov combine`"
    );

    // A plain combine then takes in every run directory.
    let mut req = request(&data_file, vec![], &identity);
    req.append = true;
    combine(&req).unwrap();
    let data = read_data_file(&data_file).unwrap();
    assert_eq!(
        data.files().collect::<Vec<_>>(),
        vec!["/p/ours.py", "/p/stale.py"]
    );
    assert!(!shards.exists(), "nothing is left behind");
}

/// Writes a finished shard (writer dropped) into `dir`; returns its path.
fn shard(dir: &Path, files: &[(&str, &[u32])]) -> PathBuf {
    let writer = ShardWriter::create(dir).unwrap();
    for (path, lines) in files {
        let id = writer.file_id(path).unwrap();
        for &line in *lines {
            writer.record_line(id, line);
        }
    }
    writer.path()
}

fn arc_shard(dir: &Path, files: &[(&str, &[(i32, i32)])]) -> PathBuf {
    let writer = ShardWriter::create_arcs(dir).unwrap();
    for (path, arcs) in files {
        let id = writer.file_id(path).unwrap();
        for &(from, to) in *arcs {
            writer.record_arc(id, from, to);
        }
    }
    writer.path()
}

fn arcs(data: &CoverageData, path: &str) -> Vec<(i32, i32)> {
    data.arcs(path).unwrap_or_default().into_iter().collect()
}

#[test]
fn arc_shards_and_arc_files_combine_into_branch_data() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let shards = shard_dir_for(&data_file);
    arc_shard(
        &shards,
        &[("/ci/a.py", &[(-1, 1), (1, 2)]), ("/p/t.py", &[])],
    );
    arc_shard(&shards, &[("/p/a.py", &[(1, 3), (3, -1)])]);
    let parallel = dir.path().join(".coverage.host.pid12.XabcdeFx");
    let mut other = CoverageData::new();
    other.add_arcs("/p/a.py", "", [(2, 2)]);
    write_data_file(&parallel, &other, &WriteMeta::default()).unwrap();
    let remap = |p: &str| p.replace("/ci/", "/p/");
    let report = combine(&request(&data_file, vec![], &remap)).unwrap();
    assert_eq!(report.combined, 3, "{report:?}");
    let data = read_data_file(&data_file).unwrap();
    assert!(data.has_arcs());
    assert_eq!(
        arcs(&data, "/p/a.py"),
        [(-1, 1), (1, 2), (1, 3), (2, 2), (3, -1)]
    );
    assert_eq!(lines(&data, "/p/a.py"), [1, 2, 3]);
    assert_eq!(arcs(&data, "/p/t.py"), []);
}

#[test]
fn line_and_branch_data_refuse_to_combine_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let shards = shard_dir_for(&data_file);
    let arcs_shard = arc_shard(&shards, &[("/p/a.py", &[(1, 2)])]);
    let parallel = dir.path().join(".coverage.host.pid12.XabcdeFx");
    parallel_file(&parallel, "/p/a.py", &[1]);
    let err = combine(&request(&data_file, vec![], &identity)).unwrap_err();
    assert!(matches!(err, DataError::CantCombine { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with("Can't combine statement coverage data with branch data: data file ")
            || message
                .starts_with("Can't combine branch coverage data with statement data: data file "),
        "{message}"
    );
    assert!(message.contains("but data file '"), "{message}");
    assert!(arcs_shard.exists() && parallel.exists() && !data_file.exists());

    // Appending branch data to a line data file: the data file stays as it was.
    parallel_file(&data_file, "/p/a.py", &[7]);
    fs::remove_file(&parallel).unwrap();
    let mut req = request(&data_file, vec![], &identity);
    req.append = true;
    let err = combine(&req).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Can't combine branch coverage data with statement data: data file '{}' measured \
             branch coverage, but data file '{}' didn't",
            arcs_shard.display(),
            data_file.display()
        )
    );
    assert!(arcs_shard.exists());
    assert_eq!(lines(&read_data_file(&data_file).unwrap(), "/p/a.py"), [7]);
}

fn parallel_file(path: &Path, file: &str, lines: &[u32]) {
    let mut data = CoverageData::new();
    data.add_lines(file, "", lines.iter().copied());
    write_data_file(path, &data, &WriteMeta::default()).unwrap();
}

fn lines(data: &CoverageData, path: &str) -> Vec<u32> {
    data.lines(path).unwrap_or_default().into_iter().collect()
}

#[test]
fn combines_shards_and_parallel_files_then_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let shards = shard_dir_for(&data_file);
    shard(&shards, &[("/p/a.py", &[1, 2]), ("/p/b.py", &[])]);
    shard(&shards, &[("/p/a.py", &[3])]);
    let parallel = dir.path().join(".coverage.host.pid12.XabcdeFx");
    parallel_file(&parallel, "/p/c.py", &[5]);

    let report = combine(&request(&data_file, vec![], &identity)).unwrap();
    assert_eq!((report.combined, report.skipped), (3, 0), "{report:?}");
    assert!(report.warnings.is_empty(), "{report:?}");

    let data = read_data_file(&data_file).unwrap();
    assert_eq!(lines(&data, "/p/a.py"), [1, 2, 3]);
    assert_eq!(lines(&data, "/p/b.py"), Vec::<u32>::new());
    assert_eq!(lines(&data, "/p/c.py"), [5]);
    // Inputs and the shard directory are gone; the data file stays.
    assert!(!shards.exists());
    assert!(!parallel.exists());
    assert!(data_file.exists());
}

#[test]
fn keep_leaves_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let s = shard(&shard_dir_for(&data_file), &[("/p/a.py", &[1])]);
    let mut req = request(&data_file, vec![], &identity);
    req.keep = true;
    combine(&req).unwrap();
    assert!(s.exists());
}

#[test]
fn append_starts_from_the_existing_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    parallel_file(&data_file, "/p/old.py", &[9]);
    shard(&shard_dir_for(&data_file), &[("/p/a.py", &[1])]);
    let mut req = request(&data_file, vec![], &identity);
    req.append = true;
    combine(&req).unwrap();
    let data = read_data_file(&data_file).unwrap();
    assert_eq!(lines(&data, "/p/old.py"), [9]);
    assert_eq!(lines(&data, "/p/a.py"), [1]);

    // Without append, the old data is replaced.
    shard(&shard_dir_for(&data_file), &[("/p/new.py", &[2])]);
    combine(&request(&data_file, vec![], &identity)).unwrap();
    let data = read_data_file(&data_file).unwrap();
    assert_eq!(data.files().collect::<Vec<_>>(), ["/p/new.py"]);
}

#[test]
fn corrupt_shard_is_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let shards = shard_dir_for(&data_file);
    shard(&shards, &[("/p/a.py", &[1])]);
    let bad = shards.join("bad.1.XXXXXXXX.fcshard");
    fs::write(&bad, b"definitely not a shard").unwrap();
    let report = combine(&request(&data_file, vec![], &identity)).unwrap();
    assert_eq!(report.combined, 1);
    assert_eq!(report.warnings.len(), 1, "{report:?}");
    assert!(
        report.warnings[0].contains("bad.1.XXXXXXXX.fcshard"),
        "{report:?}"
    );
    assert!(bad.exists());
    assert!(shards.exists(), "the directory still holds the bad shard");
    assert_eq!(lines(&read_data_file(&data_file).unwrap(), "/p/a.py"), [1]);
}

#[test]
fn unreadable_parallel_file_is_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    shard(&shard_dir_for(&data_file), &[("/p/a.py", &[1])]);
    let bad = dir.path().join(".coverage.broken");
    fs::write(&bad, b"garbage garbage garbage").unwrap();
    let report = combine(&request(&data_file, vec![], &identity)).unwrap();
    assert_eq!(report.combined, 1);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains(".coverage.broken")),
        "{report:?}"
    );
    assert!(bad.exists());
}

#[test]
fn torn_shard_is_combined_and_deleted_with_debug_only() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let path = shard(
        &shard_dir_for(&data_file),
        &[("/p/a.py", &[1, 2]), ("/src/b.py", &[])],
    );
    // Cut the file inside the last path record, as a crash mid-write could leave it.
    let bytes = fs::read(&path).unwrap();
    let last = bytes.iter().rposition(|&b| b != 0).unwrap();
    fs::write(&path, &bytes[..last]).unwrap();

    let report = combine(&request(&data_file, vec![], &identity)).unwrap();
    assert_eq!(report.combined, 1);
    assert!(report.warnings.is_empty(), "{report:?}");
    assert!(
        report.debug.iter().any(|d| d.contains("torn")),
        "{report:?}"
    );
    assert!(!path.exists());
    let data = read_data_file(&data_file).unwrap();
    assert_eq!(data.files().collect::<Vec<_>>(), ["/p/a.py"]);
    assert_eq!(lines(&data, "/p/a.py"), [1, 2]);
}

#[test]
fn live_shard_is_combined_but_kept() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let writer = ShardWriter::create(&shard_dir_for(&data_file)).unwrap();
    let id = writer.file_id("/p/live.py").unwrap();
    writer.record_line(id, 4);
    let report = combine(&request(&data_file, vec![], &identity)).unwrap();
    assert_eq!(report.combined, 1);
    assert!(writer.path().exists());
    assert!(
        report
            .debug
            .iter()
            .any(|d| d.contains("still being written")),
        "{report:?}"
    );
    assert_eq!(
        lines(&read_data_file(&data_file).unwrap(), "/p/live.py"),
        [4]
    );
    drop(writer);
    // Once the writer is gone, the next combine deletes it.
    combine(&request(&data_file, vec![], &identity)).unwrap();
    assert!(!shard_dir_for(&data_file).exists());
}

#[test]
fn remap_applies_to_every_input_path() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    shard(&shard_dir_for(&data_file), &[("/ci/work/a.py", &[1])]);
    parallel_file(&dir.path().join(".coverage.win"), "C:\\work\\a.py", &[2]);
    let remap = |p: &str| {
        p.replace("/ci/work/", "/home/me/")
            .replace("C:\\work\\", "/home/me/")
    };
    combine(&request(&data_file, vec![], &remap)).unwrap();
    let data = read_data_file(&data_file).unwrap();
    assert_eq!(data.files().collect::<Vec<_>>(), ["/home/me/a.py"]);
    assert_eq!(data.lines("/home/me/a.py").unwrap(), BTreeSet::from([1, 2]));
}

#[test]
fn named_directories_and_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let artifacts = dir.path().join("artifacts");
    fs::create_dir(&artifacts).unwrap();
    parallel_file(&artifacts.join(".coverage.one"), "/p/a.py", &[1]);
    fs::copy(
        artifacts.join(".coverage.one"),
        artifacts.join(".coverage.copy"),
    )
    .unwrap();
    shard(&artifacts.join(".coverage-shards"), &[("/p/b.py", &[2])]);
    shard(&artifacts, &[("/p/c.py", &[3])]);
    // A parallel file in the data file's own directory is not read when paths are named.
    parallel_file(&dir.path().join(".coverage.local"), "/p/local.py", &[1]);

    let report = combine(&request(&data_file, vec![artifacts.clone()], &identity)).unwrap();
    assert_eq!((report.combined, report.skipped), (3, 1), "{report:?}");
    let data = read_data_file(&data_file).unwrap();
    assert_eq!(
        data.files().collect::<Vec<_>>(),
        ["/p/a.py", "/p/b.py", "/p/c.py"]
    );
    // Duplicates are deleted too (like coverage.py); the untouched local file stays.
    assert!(!artifacts.join(".coverage.copy").exists());
    assert!(!artifacts.join(".coverage.one").exists());
    assert!(dir.path().join(".coverage.local").exists());
}

#[test]
fn nothing_to_combine() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let err = combine(&request(&data_file, vec![], &identity)).unwrap_err();
    assert!(matches!(err, DataError::NoDataToCombine));
    assert_eq!(err.to_string(), "No data to combine");

    // With a data file but no inputs: nothing happens, the file is untouched.
    parallel_file(&data_file, "/p/a.py", &[1]);
    let before = fs::read(&data_file).unwrap();
    let report = combine(&request(&data_file, vec![], &identity)).unwrap();
    assert_eq!(
        report,
        CombineReport {
            debug: vec![],
            ..CombineReport::default()
        }
    );
    assert_eq!(fs::read(&data_file).unwrap(), before);

    let err = combine(&request(
        &data_file,
        vec![dir.path().join("nope")],
        &identity,
    ))
    .unwrap_err();
    assert!(matches!(err, DataError::NoSuchInput { .. }));
}

#[test]
fn erase_removes_data_shards_and_parallel_files() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    parallel_file(&data_file, "/p/a.py", &[1]);
    parallel_file(
        &dir.path().join(".coverage.x.pid1.Xabcdefx"),
        "/p/a.py",
        &[1],
    );
    shard(&shard_dir_for(&data_file), &[("/p/a.py", &[1])]);
    fs::write(dir.path().join(".coveragerc"), "[run]\n").unwrap();
    erase(&data_file).unwrap();
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [".coveragerc"]);
    // Erasing nothing is fine.
    erase(&data_file).unwrap();
    erase(&dir.path().join("missing-dir/.coverage")).unwrap();
}

/// (context, lines) of `path`.
fn lines_by_context(data: &CoverageData, path: &str) -> Vec<(String, Vec<u32>)> {
    data.lines_by_context(path)
        .into_iter()
        .flatten()
        .map(|(context, lines)| (context.clone(), lines.iter().copied().collect()))
        .collect()
}

#[test]
fn shard_contexts_combine_by_label() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let shards = shard_dir_for(&data_file);
    // Two processes: the same label in both is one context.
    for (test, line) in [("t.py::test_a|run", 5), ("t.py::test_b|run", 6)] {
        let writer = ShardWriter::create(&shards).unwrap();
        let id = writer.file_id("/p/a.py").unwrap();
        writer.record_line(id, 1);
        writer.switch_context(test);
        writer.record_line(id, 1);
        writer.record_line(id, line);
        writer.switch_context("t.py::test_a|run");
        writer.record_line(id, 9);
        // A context that ran nothing gets no row.
        writer.switch_context("t.py::test_a|teardown");
    }
    combine(&request(&data_file, vec![], &identity)).unwrap();
    let data = read_data_file(&data_file).unwrap();
    let s = |v: &str| v.to_owned();
    assert_eq!(
        lines_by_context(&data, "/p/a.py"),
        [
            (s(""), vec![1]),
            (s("t.py::test_a|run"), vec![1, 5, 9]),
            // 9 ran in test_a's context in both processes.
            (s("t.py::test_b|run"), vec![1, 6]),
        ]
    );
    assert_eq!(
        data.contexts().into_iter().collect::<Vec<_>>(),
        ["", "t.py::test_a|run", "t.py::test_b|run"]
    );
}

#[test]
fn arc_shard_contexts_combine_by_label() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let shards = shard_dir_for(&data_file);
    let writer = ShardWriter::create_arcs(&shards).unwrap();
    let id = writer.file_id("/p/a.py").unwrap();
    writer.record_arc(id, -1, 1);
    writer.switch_context("static|t.py::test_a|run");
    writer.record_arc(id, -1, 1);
    writer.record_arc(id, 1, 2);
    drop(writer);
    combine(&request(&data_file, vec![], &identity)).unwrap();
    let data = read_data_file(&data_file).unwrap();
    let by_context: Vec<(String, Vec<(i32, i32)>)> = data
        .arcs_by_context("/p/a.py")
        .into_iter()
        .flatten()
        .map(|(c, arcs)| (c.clone(), arcs.iter().copied().collect()))
        .collect();
    assert_eq!(
        by_context,
        [
            ("".to_owned(), vec![(-1, 1)]),
            ("static|t.py::test_a|run".to_owned(), vec![(-1, 1), (1, 2)]),
        ]
    );
}
