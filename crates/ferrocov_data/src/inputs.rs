//! Finding what `combine` reads: the run's shard directory and the paths the user named.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use ferrocov_shard::{SHARD_EXTENSION, list_shards};

use crate::error::DataError;

/// Where the shards of the run writing `data_file` live: `<data_file>-shards`, next to it.
pub fn shard_dir_for(data_file: &Path) -> PathBuf {
    let mut name = OsString::from(data_file.as_os_str());
    name.push("-shards");
    PathBuf::from(name)
}

/// What kind of file an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum InputKind {
    Shard,
    /// A coverage.py-format SQLite data file (e.g. a parallel `.coverage.<suffix>` file).
    DataFile,
}

#[derive(Debug, Clone)]
pub(crate) struct Input {
    pub(crate) path: PathBuf,
    pub(crate) kind: InputKind,
}

/// Everything to combine, plus the shard directories to remove if they end up empty.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    pub(crate) files: Vec<Input>,
    pub(crate) shard_dirs: Vec<PathBuf>,
    /// Directories that could not be listed (reported as warnings, not fatal).
    pub(crate) warnings: Vec<String>,
}

/// Collects the inputs for combining into `data_file`:
/// - the shards in `shard_dir_for(data_file)`;
/// - each named path: a file as given; a directory contributes its `<data file name>.*`
///   files (not `*-journal`), its `*.fcshard` files and the shards of its own
///   `<data file name>-shards` subdirectory;
/// - with no named paths, the data file's own directory is scanned like a named one
///   (coverage.py combines the parallel files next to the data file by default).
///
/// The data file itself and repeated paths are left out.
pub(crate) fn collect_inputs(
    data_file: &Path,
    named: &[PathBuf],
    only_named: bool,
) -> Result<Inputs, DataError> {
    let mut inputs = Inputs::default();
    let base_name = data_file
        .file_name()
        .map_or_else(|| ".coverage".into(), |n| n.to_string_lossy().into_owned());
    let mut seen = HashSet::new();
    seen.insert(identity(data_file));

    if !only_named {
        add_shard_dir(&mut inputs, &mut seen, &shard_dir_for(data_file));
    }
    if named.is_empty() && !only_named {
        let dir = match data_file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if dir.is_dir() {
            add_dir(&mut inputs, &mut seen, &dir, &base_name);
        }
    }
    for path in named {
        if only_named && path.is_dir() {
            add_shard_dir(&mut inputs, &mut seen, path);
        } else if path.is_dir() {
            add_dir(&mut inputs, &mut seen, path, &base_name);
        } else if path.exists() {
            add_file(&mut inputs, &mut seen, path.clone());
        } else {
            return Err(DataError::NoSuchInput { path: path.clone() });
        }
    }
    Ok(inputs)
}

/// A key that is the same for two spellings of one file.
fn identity(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn is_shard_name(name: &str) -> bool {
    !name.starts_with('.')
        && Path::new(name)
            .extension()
            .is_some_and(|ext| ext == SHARD_EXTENSION)
}

fn add_file(inputs: &mut Inputs, seen: &mut HashSet<PathBuf>, path: PathBuf) {
    let key = identity(&path);
    add_file_as(inputs, seen, path, key);
}

fn add_file_as(inputs: &mut Inputs, seen: &mut HashSet<PathBuf>, path: PathBuf, key: PathBuf) {
    if !seen.insert(key) {
        return;
    }
    let is_shard = path.extension().is_some_and(|ext| ext == SHARD_EXTENSION);
    let kind = if is_shard {
        InputKind::Shard
    } else {
        InputKind::DataFile
    };
    inputs.files.push(Input { path, kind });
}

/// A shard directory holds one subdirectory per run (see [`run_dir_name`]) and, from older
/// layouts or hand copies, shards directly. Runs come first in `shard_dirs` so that a run's
/// directory is removed before its parent is tried.
fn add_shard_dir(inputs: &mut Inputs, seen: &mut HashSet<PathBuf>, dir: &Path) {
    let canonical = identity(dir);
    if !seen.insert(canonical.clone()) {
        return;
    }
    // Real directories only (a symbolic link's entry is not a directory), so the canonical
    // path of a run is the canonical shard directory joined with its name; likewise for the
    // shards in it, which `list_shards` only returns when they are real files. That spares a
    // realpath per shard.
    let mut runs: Vec<(PathBuf, PathBuf)> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| (e.path(), canonical.join(e.file_name())))
            .collect(),
        Err(_) => Vec::new(),
    };
    runs.sort();
    for (run, canonical_run) in runs {
        add_shards_in(inputs, seen, &run, &canonical_run, true);
    }
    add_shards_in(inputs, seen, dir, &canonical, false);
}

fn add_shards_in(
    inputs: &mut Inputs,
    seen: &mut HashSet<PathBuf>,
    dir: &Path,
    canonical_dir: &Path,
    known_dir: bool,
) {
    match list_shards(dir) {
        Ok(shards) => {
            if known_dir || dir.is_dir() {
                inputs.shard_dirs.push(dir.to_path_buf());
            }
            for shard in shards {
                let key = match shard.file_name() {
                    Some(name) => canonical_dir.join(name),
                    None => identity(&shard),
                };
                add_file_as(inputs, seen, shard, key);
            }
        }
        Err(e) => inputs
            .warnings
            .push(format!("Couldn't list shards in {}: {e}", dir.display())),
    }
}

/// A fresh name for a parallel data file of `data_file`, as coverage.py names them in parallel
/// mode: `<data file>.<host>.pid<pid>.X<six letters>x`, so `coverage combine` and any
/// `.coverage.*` glob (a CI artifact step) find it.
pub fn parallel_file_for(data_file: &Path) -> PathBuf {
    use std::hash::{BuildHasher, RandomState};
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut random = RandomState::new().hash_one(std::time::SystemTime::now());
    let rolls: String = (0..6)
        .map(|_| {
            let letter = LETTERS[(random % 52) as usize] as char;
            random /= 52;
            letter
        })
        .collect();
    let mut name = OsString::from(data_file.as_os_str());
    name.push(format!(
        ".{}.pid{}.X{rolls}x",
        ferrocov_shard::host_component(),
        std::process::id()
    ));
    PathBuf::from(name)
}

/// A fresh, unique name for one run's directory inside the shard directory: every process of
/// the run writes there, so the run's end can combine exactly its own shards.
pub fn run_dir_name() -> String {
    use std::hash::{BuildHasher, RandomState};
    let random = RandomState::new().hash_one(std::time::SystemTime::now());
    format!("run.{}.{:08x}", std::process::id(), random as u32)
}

fn add_dir(inputs: &mut Inputs, seen: &mut HashSet<PathBuf>, dir: &Path, base_name: &str) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            inputs
                .warnings
                .push(format!("Couldn't list {}: {e}", dir.display()));
            return;
        }
    };
    let prefix = format!("{base_name}.");
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let wanted =
            (name.starts_with(&prefix) && !name.ends_with("-journal")) || is_shard_name(&name);
        if wanted && entry.file_type().is_ok_and(|t| t.is_file()) {
            found.push(entry.path());
        }
    }
    found.sort();
    for path in found {
        add_file(inputs, seen, path);
    }
    add_shard_dir(inputs, seen, &dir.join(format!("{base_name}-shards")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_dir_is_next_to_the_data_file() {
        assert_eq!(
            shard_dir_for(Path::new("/p/.coverage")),
            PathBuf::from("/p/.coverage-shards")
        );
        assert_eq!(
            shard_dir_for(Path::new("x.db")),
            PathBuf::from("x.db-shards")
        );
    }

    #[test]
    fn directory_scan_picks_parallel_files_and_shards() {
        let dir = tempfile::tempdir().unwrap();
        let data_file = dir.path().join(".coverage");
        for name in [
            ".coverage",
            ".coverage.host.pid1.Xabcdefx",
            ".coverage.host.pid1.Xabcdefx-journal",
            "a.fcshard",
            ".hidden.fcshard.tmp",
            "unrelated.txt",
            ".coveragerc",
        ] {
            fs::write(dir.path().join(name), b"").unwrap();
        }
        fs::create_dir(dir.path().join(".coverage-shards")).unwrap();
        fs::write(dir.path().join(".coverage-shards/b.fcshard"), b"").unwrap();
        let inputs = collect_inputs(&data_file, &[], false).unwrap();
        let mut names: Vec<(String, InputKind)> = inputs
            .files
            .iter()
            .map(|i| {
                (
                    i.path.file_name().unwrap().to_string_lossy().into_owned(),
                    i.kind,
                )
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![
                (
                    ".coverage.host.pid1.Xabcdefx".to_owned(),
                    InputKind::DataFile
                ),
                ("a.fcshard".to_owned(), InputKind::Shard),
                ("b.fcshard".to_owned(), InputKind::Shard),
            ]
        );
        assert_eq!(inputs.shard_dirs.len(), 1);
    }

    // Symbolic links need a privilege on Windows.
    #[cfg(unix)]
    #[test]
    fn a_shard_named_and_found_in_a_scan_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let data_file = dir.path().join(".coverage");
        let run = shard_dir_for(&data_file).join("run.1.00000000");
        fs::create_dir_all(&run).unwrap();
        fs::write(run.join("h.1.AAAAAAAA.fcshard"), b"").unwrap();
        // Another spelling of the same file, through `..` and a symbolic link to the run.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&run, &link).unwrap();
        let named = vec![
            run.join("../run.1.00000000/h.1.AAAAAAAA.fcshard"),
            link.join("h.1.AAAAAAAA.fcshard"),
        ];
        let inputs = collect_inputs(&data_file, &named, false).unwrap();
        assert_eq!(inputs.files.len(), 1, "{:?}", inputs.files);
        assert_eq!(inputs.files[0].kind, InputKind::Shard);
    }

    #[test]
    fn missing_named_path_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = collect_inputs(
            &dir.path().join(".coverage"),
            &[dir.path().join("nope")],
            false,
        )
        .unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
    }
}
