//! Any bytes as a shard file: the reader keeps what is valid and never crashes.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(contents) = ferrocov_shard::parse_shard(Path::new("fuzz.shard"), data) {
        // What it returns is usable: every file named once, lines positive.
        let mut seen = std::collections::HashSet::new();
        for file in &contents.files {
            assert!(seen.insert(file.path.as_str()), "{} twice", file.path);
        }
    }
});
