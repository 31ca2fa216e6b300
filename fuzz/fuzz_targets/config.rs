//! Any bytes as a configuration file of each kind coverage.py reads (INI: `.coveragerc`,
//! `setup.cfg`, `tox.ini`; TOML: `pyproject.toml`, `.coveragerc.toml`), found by discovery or
//! named by `--rcfile`, then the matchers built from the settings: settings or a
//! `ConfigError`, never a crash.
#![no_main]

use std::path::Path;

use ferrocov_config::{GlobMatcher, LoadRequest, PathAliases, load_config};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 5] = [
    ".coveragerc",
    "setup.cfg",
    "tox.ini",
    "pyproject.toml",
    ".coveragerc.toml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, text)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let named = selector & 0x80 != 0;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), text).expect("write");
    let env = |var: &str| match var {
        "HOME" => Some(dir.path().to_string_lossy().into_owned()),
        "FUZZ" => Some("fuzz value".to_owned()),
        _ => None,
    };
    let request = LoadRequest {
        rcfile: named.then_some(name),
        cwd: dir.path(),
        env: &env,
    };
    let Ok(loaded) = load_config(&request) else {
        return;
    };
    let settings = &loaded.settings;
    let _ = GlobMatcher::new(&settings.run.omit);
    let _ = GlobMatcher::for_file_patterns(&settings.run.include, Path::new("/proj"));
    if let Ok(aliases) = PathAliases::new(&settings.paths, settings.run.relative_files, dir.path()) {
        let _ = aliases.map("/proj/src/pkg/mod.py");
    }
});
