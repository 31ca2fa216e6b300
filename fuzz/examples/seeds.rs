//! Writes the fuzz targets' seed corpora into `fuzz/seeds/<target>/` from the repository's
//! fixtures: the analysis fixtures, shards written by the real writer (whole and torn), and
//! configuration files of each kind. `make fuzz` runs it before fuzzing.

use std::fs;
use std::path::{Path, PathBuf};

use ferrocov_shard::ShardWriter;

fn main() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = fuzz.parent().expect("repository");
    let seeds = fuzz.join("seeds");
    analysis(&repo.join("crates/ferrocov_analysis/resources"), &dir(&seeds, "analysis"));
    shards(&dir(&seeds, "shard"));
    config(repo, &dir(&seeds, "config"));
}

fn dir(seeds: &Path, target: &str) -> PathBuf {
    let dir = seeds.join(target);
    fs::create_dir_all(&dir).expect("seed directory");
    dir
}

fn analysis(resources: &Path, out: &Path) {
    for entry in fs::read_dir(resources).expect("resources") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "py") {
            fs::copy(&path, out.join(path.file_name().expect("name"))).expect("copy");
        }
    }
}

fn shards(out: &Path) {
    let samples: [&[(&str, &[u32])]; 3] = [
        &[("/proj/pkg/__init__.py", &[1, 2]), ("/proj/pkg/mod.py", &[10, 3, 70_000])],
        &[("/proj/é/ünïcode.py", &[]), ("/p/a.py", &[1])],
        &[("/p/many.py", &(1..300).collect::<Vec<u32>>())],
    ];
    for (i, sample) in samples.iter().enumerate() {
        let run = tempfile::tempdir().expect("temp dir");
        let writer = ShardWriter::create(run.path()).expect("shard writer");
        for (n, (path, lines)) in sample.iter().enumerate() {
            // Every file after the first in a context of its own (a test's label).
            if n > 0 {
                writer.switch_context(&format!("t.py::test_{n}|run"));
            }
            let id = writer.file_id(path).expect("file id");
            for &line in *lines {
                writer.record_line(id, line);
            }
        }
        writer.flush();
        let bytes = fs::read(writer.path()).expect("shard bytes");
        // The used part, whole and torn in the middle of a record.
        let used = bytes.iter().rposition(|&b| b != 0).map_or(bytes.len(), |p| p + 9);
        let used = used.min(bytes.len());
        fs::write(out.join(format!("shard{i}")), &bytes[..used]).expect("write");
        fs::write(out.join(format!("shard{i}-torn")), &bytes[..used * 2 / 3]).expect("write");
    }
}

const INI: &str = "\
[run]
branch = True
source = pkg, $FUZZ
omit =
    */tests/*
    ${HOME}/x/*
relative_files = true

[report]
exclude_also =
    def __repr__
    if TYPE_CHECKING:
fail_under = 90.5
precision = 2
show_missing = yes
sort = -cover

[paths]
source =
    src/
    /ci/*/src/
";

const TOML: &str = "\
[tool.coverage.run]
branch = true
source = [\"pkg\"]
omit = [\"*/tests/*\", \"$HOME/x\"]

[tool.coverage.report]
exclude_also = [\"def __repr__\", \"raise NotImplementedError\"]
fail_under = 80
skip_covered = true

[tool.coverage.paths]
source = [\"src/\", \"/ci/*/src/\"]
";

fn config(repo: &Path, out: &Path) {
    let ini_prefixed = INI.replace("[run]", "[coverage:run]").replace("[report]", "[coverage:report]").replace("[paths]", "[coverage:paths]");
    let bare_toml = TOML.replace("tool.coverage.", "");
    let pyproject = fs::read_to_string(repo.join("pyproject.toml")).unwrap_or_default();
    // The first byte picks the file name (see fuzz_targets/config.rs); +0x80 names it with --rcfile.
    let seeds: [(u8, &str); 7] = [
        (0, INI),
        (0x80, INI),
        (1, &ini_prefixed),
        (2, &ini_prefixed),
        (3, TOML),
        (4, &bare_toml),
        (3, &pyproject),
    ];
    for (i, (selector, text)) in seeds.iter().enumerate() {
        let mut bytes = vec![*selector];
        bytes.extend_from_slice(text.as_bytes());
        fs::write(out.join(format!("config{i}")), bytes).expect("write");
    }
}
