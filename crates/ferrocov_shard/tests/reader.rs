//! Reader tests: round trips through the writer, torn tails, foreign files, versions.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use ferrocov_shard::{
    FORMAT_VERSION, ShardBits, ShardContents, ShardError, ShardWriter, parse_shard,
    parse_shard_bits, read_shard,
};
use proptest::prelude::*;

type Expected = BTreeMap<String, BTreeSet<u32>>;

/// Lines per path, every context united.
fn as_map(contents: &ShardContents) -> Expected {
    let mut map = Expected::new();
    for file in &contents.files {
        map.entry(file.path.clone())
            .or_default()
            .extend(file.lines.iter().copied());
    }
    map
}

fn bits_as_map(bits: &ShardBits) -> Expected {
    let mut map = Expected::new();
    for file in &bits.files {
        let lines = map.entry(file.path.to_owned()).or_default();
        for (index, &byte) in file.line_bits.iter().enumerate() {
            for bit in 0..8 {
                if byte & (1 << bit) != 0 {
                    lines.insert(index as u32 * 8 + bit);
                }
            }
        }
        assert_ne!(file.line_bits.last(), Some(&0), "trailing zero byte");
    }
    map
}

/// Both readers on the same bytes: the same result or the same error.
fn assert_readers_agree(bytes: &[u8]) {
    match (
        parse_shard(Path::new("x"), bytes),
        parse_shard_bits(Path::new("x"), bytes),
    ) {
        (Ok(lines), Ok(bits)) => {
            assert_eq!(as_map(&lines), bits_as_map(&bits));
            assert_eq!(lines.torn_tail, bits.torn_tail);
            assert_eq!(
                (lines.pid, lines.created_micros),
                (bits.pid, bits.created_micros)
            );
            assert!(bits.log_end <= bytes.len());
            // Past the records read there are only reserved zeros, a dropped tail, or a cut
            // shorter than one record word.
            let rest = &bytes[bits.log_end..];
            if bits.torn_tail.is_none() && rest.len() >= 8 {
                assert!(rest.iter().all(|&b| b == 0));
            }
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("the readers disagree: {a:?} against {b:?}"),
    }
}

/// Writes `data` (in the given order) through a writer; returns the shard's bytes.
fn write_shard(dir: &Path, data: &[(String, Vec<u32>)]) -> Vec<u8> {
    let writer = ShardWriter::create(dir).unwrap();
    for (path, lines) in data {
        let id = writer.file_id(path).unwrap();
        for &line in lines {
            writer.record_line(id, line);
        }
    }
    fs::read(writer.path()).unwrap()
}

fn sample() -> Vec<(String, Vec<u32>)> {
    vec![
        ("/proj/pkg/__init__.py".to_owned(), vec![1, 2]),
        ("/proj/pkg/mod.py".to_owned(), vec![10, 3, 3, 70_000, 4]),
        ("/proj/é/ünïcode.py".to_owned(), vec![]),
        ("/proj/pkg/mod2.py".to_owned(), vec![1]),
    ]
}

#[test]
fn round_trip_sample() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_shard(dir.path(), &sample());
    let contents = parse_shard(Path::new("x"), &bytes).unwrap();
    let expected: Expected = sample()
        .into_iter()
        .map(|(p, l)| (p, l.into_iter().collect()))
        .collect();
    assert_eq!(as_map(&contents), expected);
    assert_eq!(contents.torn_tail, None);
    assert_eq!(contents.pid, std::process::id());
    assert!(contents.created_micros > 0);
}

/// The bytes actually used by records (the rest is reserved zeros), plus one zero word.
fn used_len(bytes: &[u8]) -> usize {
    let last = bytes.iter().rposition(|&b| b != 0).unwrap();
    (last + 1).next_multiple_of(8) + 8
}

#[test]
fn truncation_at_every_offset_yields_a_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_shard(dir.path(), &sample());
    let full = as_map(&parse_shard(Path::new("x"), &bytes).unwrap());
    let used = used_len(&bytes);
    for cut in 0..=used {
        let result = parse_shard(Path::new("cut"), &bytes[..cut]);
        match result {
            Err(e) => assert!(cut < 64, "cut {cut}: {e}"),
            Ok(contents) => {
                for (path, lines) in as_map(&contents) {
                    assert!(lines.is_subset(&full[&path]), "cut {cut}");
                }
                // A cut inside a path record is reported; a cut between records is a clean end.
                if let Some(torn) = &contents.torn_tail {
                    assert!(torn.contains("byte offset"), "{torn}");
                }
            }
        }
    }
    // The full prefix gives everything back.
    assert_eq!(
        as_map(&parse_shard(Path::new("x"), &bytes[..used]).unwrap()),
        full
    );
}

#[test]
fn bits_reader_agrees_with_the_line_reader_at_every_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = sample();
    data.push((
        "/proj/big.py".to_owned(),
        vec![5, (1 << 20) + 3, 1 << 20, 64, 63],
    ));
    let bytes = write_shard(dir.path(), &data);
    for cut in 0..=used_len(&bytes) {
        assert_readers_agree(&bytes[..cut]);
    }
    assert_readers_agree(&bytes);
    let bits = parse_shard_bits(Path::new("x"), &bytes).unwrap();
    assert_eq!(
        bits.log_end,
        used_len(&bytes) - 8,
        "the end of the last record"
    );
}

#[test]
fn torn_path_record_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_shard(dir.path(), &[("/a.py".to_owned(), vec![1])]);
    // Header (64) + path record header word: the body is cut off.
    let contents = parse_shard(Path::new("x"), &bytes[..72]).unwrap();
    assert!(contents.files.is_empty());
    let torn = contents.torn_tail.unwrap();
    assert!(torn.contains("offset 64"), "{torn}");
    assert!(torn.contains("past the end"), "{torn}");
}

#[test]
fn corrupt_checksum_keeps_the_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let data = vec![
        ("/a.py".to_owned(), vec![1, 2]),
        ("/b.py".to_owned(), vec![5]),
    ];
    let mut bytes = write_shard(dir.path(), &data);
    // Layout: header 64, /a.py record 24 bytes, 2 lines (16), /b.py record at 104.
    bytes[104 + 16] ^= 0xff; // first path byte of /b.py
    let contents = parse_shard(Path::new("x"), &bytes).unwrap();
    assert_eq!(contents.files.len(), 1);
    assert_eq!(contents.files[0].lines, vec![1, 2]);
    assert!(contents.torn_tail.unwrap().contains("checksum"));
}

#[test]
fn unknown_kind_and_orphan_lines_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = write_shard(dir.path(), &[("/a.py".to_owned(), vec![1, 2])]);
    // A line record naming file id 9 (never defined), then an unknown kind.
    let orphan = (1u64 << 60) | (9u64 << 32) | 3;
    bytes[104..112].copy_from_slice(&orphan.to_le_bytes());
    bytes[112..120].copy_from_slice(&(7u64 << 60).to_le_bytes());
    let contents = parse_shard(Path::new("x"), &bytes).unwrap();
    assert_eq!(contents.files[0].lines, vec![1, 2]);
    let torn = contents.torn_tail.unwrap();
    assert!(torn.contains("unknown record kind 7"), "{torn}");
    assert!(torn.contains("unknown file ids"), "{torn}");
}

#[test]
fn foreign_file_is_rejected_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.fcshard");
    fs::write(&path, b"SQLite format 3\0 and more bytes here").unwrap();
    let err = read_shard(&path).unwrap_err();
    assert!(matches!(err, ShardError::NotAShard { .. }));
    assert!(err.to_string().contains("notes.fcshard"), "{err}");
    fs::write(&path, b"").unwrap();
    assert!(matches!(
        read_shard(&path),
        Err(ShardError::NotAShard { .. })
    ));
}

#[test]
fn wrong_version_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ShardWriter::create(dir.path()).unwrap();
    let path = writer.path();
    let mut bytes = fs::read(&path).unwrap();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    fs::write(&path, &bytes).unwrap();
    let err = read_shard(&path).unwrap_err();
    assert!(
        matches!(err, ShardError::UnsupportedVersion { found, .. } if found == FORMAT_VERSION + 1)
    );
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("version"), "{message}");
}

#[test]
fn missing_file_is_an_io_error() {
    let err = read_shard(Path::new("/nonexistent/dir/x.fcshard")).unwrap_err();
    assert!(matches!(err, ShardError::Io { .. }));
    assert!(err.to_string().contains("x.fcshard"));
}

#[test]
fn list_shards_finds_only_shards() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ShardWriter::create(dir.path()).unwrap();
    fs::write(dir.path().join("other.txt"), b"").unwrap();
    fs::write(dir.path().join(".hidden.fcshard.tmp"), b"").unwrap();
    assert_eq!(
        ferrocov_shard::list_shards(dir.path()).unwrap(),
        vec![writer.path()]
    );
    assert!(
        ferrocov_shard::list_shards(&dir.path().join("missing"))
            .unwrap()
            .is_empty()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn round_trip_any(data in prop::collection::btree_map(
        "/[a-zA-Z0-9_/é]{1,40}\\.py",
        prop::collection::vec(prop_oneof![0u32..200, any::<u32>()], 0..50),
        0..8,
    )) {
        let dir = tempfile::tempdir().unwrap();
        let ordered: Vec<(String, Vec<u32>)> = data.clone().into_iter().collect();
        let bytes = write_shard(dir.path(), &ordered);
        let contents = parse_shard(Path::new("x"), &bytes).unwrap();
        prop_assert_eq!(&contents.torn_tail, &None);
        let expected: Expected = data.into_iter().map(|(p, l)| (p, l.into_iter().collect())).collect();
        prop_assert_eq!(as_map(&contents), expected);
    }

    #[test]
    fn garbage_after_header_never_panics(tail in prop::collection::vec(any::<u8>(), 0..512)) {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = write_shard(dir.path(), &[("/a.py".to_owned(), vec![1])]);
        bytes.truncate(64);
        bytes.extend_from_slice(&tail);
        assert_readers_agree(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        assert_readers_agree(&bytes);
        let mut with_magic = b"FCSHARD\x1a".to_vec();
        with_magic.extend_from_slice(&bytes);
        assert_readers_agree(&with_magic);
    }
}

/// Lines per (path, context).
fn by_context(contents: &ShardContents) -> BTreeMap<(String, String), Vec<u32>> {
    contents
        .files
        .iter()
        .map(|f| ((f.path.clone(), f.context.clone()), f.lines.clone()))
        .collect()
}

#[test]
fn contexts_round_trip_and_a_torn_context_record_ends_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let writer = ShardWriter::create(dir.path()).unwrap();
    let a = writer.file_id("/a.py").unwrap();
    writer.record_line(a, 1);
    writer.switch_context("t.py::test_é|run");
    writer.record_line(a, 1);
    writer.record_line(a, 2);
    writer.switch_context("t.py::test_b|run");
    writer.record_line(a, 3);
    let path = writer.path();
    drop(writer);
    let bytes = fs::read(&path).unwrap();
    assert_readers_agree(&bytes);
    let contents = parse_shard(Path::new("x"), &bytes).unwrap();
    assert_eq!(contents.torn_tail, None);
    let key = |c: &str| ("/a.py".to_owned(), c.to_owned());
    assert_eq!(
        by_context(&contents),
        BTreeMap::from([
            (key(""), vec![1]),
            (key("t.py::test_b|run"), vec![3]),
            (key("t.py::test_é|run"), vec![1, 2]),
        ])
    );
    // Header 64, path record 24, line 8, then the first context record (8 + 8 + 24 bytes of
    // a 17-byte label): damage its checksum; the log ends there, what came before stays.
    let context_at = 64 + 24 + 8;
    let mut damaged = bytes.clone();
    damaged[context_at + 8] ^= 0xff;
    assert_readers_agree(&damaged);
    let contents = parse_shard(Path::new("x"), &damaged).unwrap();
    assert_eq!(by_context(&contents), BTreeMap::from([(key(""), vec![1])]));
    let torn = contents.torn_tail.unwrap();
    assert!(torn.contains("context record checksum"), "{torn}");
    // A label past the end of the file, and one claiming more than the limit.
    for len in [4096u64, 1 << 20] {
        let mut long = bytes.clone();
        let word = (4u64 << 60) | (1u64 << 32) | len;
        long[context_at..context_at + 8].copy_from_slice(&word.to_le_bytes());
        assert_readers_agree(&long);
        let contents = parse_shard(Path::new("x"), &long).unwrap();
        assert!(contents.torn_tail.unwrap().contains("context record"));
    }
    // Cut inside the body: the zeros after the cut are the end of the log.
    let mut cut = bytes.clone();
    cut[context_at..].fill(0);
    assert_readers_agree(&cut);
    let contents = parse_shard(Path::new("x"), &cut).unwrap();
    assert_eq!(contents.torn_tail, None);
    assert_eq!(by_context(&contents), BTreeMap::from([(key(""), vec![1])]));
}
