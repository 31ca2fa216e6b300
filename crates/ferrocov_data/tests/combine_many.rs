//! Combining many inputs at once: inputs are read in parallel, and the outcome must be what
//! reading them one at a time gives, with every safety rule kept.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use ferrocov_data::{
    CombineReport, CoverageData, WriteMeta, combine, read_data_file, run_dir_name, shard_dir_for,
    write_data_file,
};
use ferrocov_shard::ShardWriter;

mod common;
use common::request;

type Lines = BTreeMap<String, BTreeSet<u32>>;

/// The lines input `n` holds: a varying share of a dozen files, some of them under `/ci/`.
fn lines_of(n: u32) -> Lines {
    let mut lines = Lines::new();
    for file in 0..12 {
        if (n + file).is_multiple_of(3) {
            continue;
        }
        let root = if file % 4 == 0 { "/ci/src" } else { "/src" };
        let set = (0..40)
            .map(|i| 1 + (i * (file + 1) + n) % 500)
            .filter(|line| !(line + n).is_multiple_of(5))
            .collect();
        lines.insert(format!("{root}/mod{file}.py"), set);
    }
    lines
}

fn remap(path: &str) -> String {
    path.replace("/ci/src/", "/src/")
}

fn write_shard(dir: &Path, lines: &Lines) -> PathBuf {
    let writer = ShardWriter::create(dir).unwrap();
    for (path, set) in lines {
        let id = writer.file_id(path).unwrap();
        for &line in set {
            writer.record_line(id, line);
        }
    }
    writer.path()
}

fn write_parallel_file(path: &Path, lines: &Lines) {
    let mut data = CoverageData::new();
    for (file, set) in lines {
        data.add_lines(file, "", set.iter().copied());
    }
    // A file measured but never run, as coverage.py records unexecuted source files.
    data.touch_file("/src/never_run.py");
    write_data_file(path, &data, &WriteMeta::default()).unwrap();
}

/// `count` inputs next to `data_file`: shards, each in a run directory of its own as
/// `ferrocov run -p` leaves them, and coverage.py parallel files, alternating.
fn make_inputs(data_file: &Path, count: u32) -> Vec<PathBuf> {
    let dir = data_file.parent().unwrap();
    (0..count)
        .map(|n| {
            if n % 2 == 0 {
                let run = shard_dir_for(data_file).join(format!("run.{n}.{:08x}", n * 7919));
                write_shard(&run, &lines_of(n))
            } else {
                let path = dir.join(format!(".coverage.host.pid{n}.X{n:06}x"));
                write_parallel_file(&path, &lines_of(n));
                path
            }
        })
        .collect()
}

fn as_lines(data: &CoverageData) -> Lines {
    data.files()
        .map(|file| (file.to_owned(), data.lines(file).unwrap()))
        .collect()
}

fn expected_union(inputs: impl IntoIterator<Item = u32>) -> Lines {
    let mut union = Lines::new();
    for n in inputs {
        for (file, set) in lines_of(n) {
            union.entry(remap(&file)).or_default().extend(set);
        }
    }
    union
}

/// The report's messages with the temporary directory and the shards' random names taken out.
fn normalized(report: &CombineReport, dir: &Path) -> Vec<String> {
    let dir = dir.display().to_string();
    let mut lines = vec![format!("{} {}", report.combined, report.skipped)];
    for line in report.warnings.iter().chain(&report.debug) {
        let line = line.replace(&dir, "<dir>");
        let parts: Vec<&str> = line
            .split('/')
            .map(|part| {
                if part.ends_with(".fcshard") {
                    "<shard>"
                } else {
                    part
                }
            })
            .collect();
        lines.push(parts.join("/"));
    }
    lines
}

#[test]
fn parallel_read_gives_what_reading_one_at_a_time_gives() {
    // More inputs than reading may run ahead of merging (128).
    const COUNT: u32 = 200;
    let all = tempfile::tempdir().unwrap();
    let data_file = all.path().join(".coverage");
    let inputs = make_inputs(&data_file, COUNT);
    let report = combine(&request(&data_file, vec![], &remap)).unwrap();
    assert_eq!((report.combined, report.skipped), (COUNT as usize, 0));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let combined = read_data_file(&data_file).unwrap();

    // The same inputs, one combine each, appending.
    let serial = tempfile::tempdir().unwrap();
    let serial_file = serial.path().join(".coverage");
    let serial_inputs = make_inputs(&serial_file, COUNT);
    for input in &serial_inputs {
        let mut req = request(&serial_file, vec![input.clone()], &remap);
        req.only_inputs = true;
        req.append = true;
        let one = combine(&req).unwrap();
        assert_eq!(one.combined, 1, "{one:?}");
    }
    assert_eq!(combined, read_data_file(&serial_file).unwrap());

    let mut expected = expected_union(0..COUNT);
    expected.insert("/src/never_run.py".into(), BTreeSet::new());
    assert_eq!(as_lines(&combined), expected);
    assert!(inputs.iter().all(|input| !input.exists()));
    assert!(
        !shard_dir_for(&data_file).exists(),
        "run directories remain"
    );

    // Run again on fresh copies: the same report, message for message, in input order.
    let again = tempfile::tempdir().unwrap();
    let again_file = again.path().join(".coverage");
    make_inputs(&again_file, COUNT);
    let second = combine(&request(&again_file, vec![], &remap)).unwrap();
    let (first, second) = (
        normalized(&report, all.path()),
        normalized(&second, again.path()),
    );
    assert_eq!(first.len(), second.len());
    if let Some((a, b)) = first.iter().zip(&second).find(|(a, b)| a != b) {
        panic!("the reports differ: {a:?} against {b:?}");
    }
    assert_eq!(read_data_file(&again_file).unwrap(), combined);
}

#[test]
fn a_corrupt_input_among_a_hundred_good_ones_is_kept_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let good = make_inputs(&data_file, 100);
    let bad_run = shard_dir_for(&data_file).join("run.50.00000000");
    fs::create_dir_all(&bad_run).unwrap();
    let bad_shard = bad_run.join("host.50.BROKENXX.fcshard");
    fs::write(&bad_shard, b"FCSHARD\x1a but then nonsense").unwrap();
    let bad_file = dir.path().join(".coverage.host.pid50.XBROKENx");
    fs::write(&bad_file, b"not SQLite at all, only text ".repeat(100)).unwrap();

    let report = combine(&request(&data_file, vec![], &remap)).unwrap();
    assert_eq!((report.combined, report.skipped), (100, 0), "{report:?}");
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    // Warnings come in input order: the run's shards, then the parallel files.
    assert!(
        report.warnings[0].contains("host.50.BROKENXX.fcshard"),
        "{:?}",
        report.warnings
    );
    assert!(
        report.warnings[1].contains(".coverage.host.pid50.XBROKENx"),
        "{:?}",
        report.warnings
    );
    assert!(
        bad_shard.exists() && bad_file.exists(),
        "bad inputs are kept"
    );
    assert!(good.iter().all(|input| !input.exists()), "good ones go");
    assert!(
        bad_shard.parent().unwrap().exists(),
        "the bad shard's directory stays"
    );
    let data = read_data_file(&data_file).unwrap();
    let mut expected = expected_union(0..100);
    expected.insert("/src/never_run.py".into(), BTreeSet::new());
    assert_eq!(as_lines(&data), expected);
}

#[test]
fn a_live_shard_among_many_is_combined_and_kept_with_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let inputs = make_inputs(&data_file, 64);
    let live_dir = shard_dir_for(&data_file).join(run_dir_name());
    let writer = ShardWriter::create(&live_dir).unwrap();
    let id = writer.file_id("/src/live.py").unwrap();
    writer.record_line(id, 42);

    let report = combine(&request(&data_file, vec![], &remap)).unwrap();
    assert_eq!(report.combined, 65, "{report:?}");
    assert!(writer.path().exists(), "the live shard stays");
    assert!(inputs.iter().all(|input| !input.exists()));
    let runs: Vec<_> = fs::read_dir(shard_dir_for(&data_file))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(runs, [live_dir], "only the live run's directory is left");
    let data = read_data_file(&data_file).unwrap();
    assert_eq!(data.lines("/src/live.py").unwrap(), BTreeSet::from([42]));
}

#[test]
fn duplicates_are_skipped_wherever_they_fall() {
    let dir = tempfile::tempdir().unwrap();
    let data_file = dir.path().join(".coverage");
    let shards = shard_dir_for(&data_file);
    // 300 shards, more than reading runs ahead of merging; the last is a copy of the first.
    let first = write_shard(&shards.join("run.0.00000000"), &lines_of(0));
    for n in 1..299 {
        write_shard(&shards.join(format!("run.{n}.00000000")), &lines_of(n));
    }
    let copy_dir = shards.join("run.999.00000000");
    fs::create_dir_all(&copy_dir).unwrap();
    fs::copy(&first, copy_dir.join("copy.999.AAAAAAAA.fcshard")).unwrap();

    // coverage.py names files by a hash of their data and skips a hash it has combined,
    // without reading the file: so does ferrocov, whatever the file holds.
    let hashed = |random: &str| {
        dir.path()
            .join(format!(".coverage.h.pid1.X{random}x.HAAAAAAAAAAh"))
    };
    write_parallel_file(&hashed("aaaaaa"), &lines_of(1000));
    write_parallel_file(&hashed("bbbbbb"), &lines_of(1001));
    // Same bytes under names without a hash: found by comparing the files.
    write_parallel_file(&dir.path().join(".coverage.one"), &lines_of(1002));
    fs::copy(
        dir.path().join(".coverage.one"),
        dir.path().join(".coverage.two"),
    )
    .unwrap();

    let report = combine(&request(&data_file, vec![], &remap)).unwrap();
    assert_eq!((report.combined, report.skipped), (301, 3), "{report:?}");
    let skipped: Vec<_> = report
        .debug
        .iter()
        .filter(|line| line.starts_with("Skipping duplicate data"))
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    // In input order: the run's shards, then the parallel files.
    assert!(
        skipped[0].ends_with("copy.999.AAAAAAAA.fcshard"),
        "{skipped:?}"
    );
    assert!(skipped[1].contains(".Xbbbbbbx."), "{skipped:?}");
    assert!(skipped[2].ends_with(".coverage.two"), "{skipped:?}");
    let data = read_data_file(&data_file).unwrap();
    let mut expected = expected_union((0..299).chain([1000, 1002]));
    expected.insert("/src/never_run.py".into(), BTreeSet::new());
    assert_eq!(as_lines(&data), expected);
    assert!(
        !shards.exists(),
        "duplicates are deleted too, as coverage.py does"
    );
}
