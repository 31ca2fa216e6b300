//! Selection and `[paths]` remapping against real directories.

use std::path::PathBuf;

use ferrocov_config::PathAliases;

fn canonical_tempdir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().canonicalize().unwrap();
    (dir, real)
}

#[test]
fn aliases_map_only_onto_existing_files() {
    let (_guard, root) = canonical_tempdir();
    std::fs::create_dir_all(root.join("src/pkg")).unwrap();
    std::fs::write(root.join("src/pkg/m.py"), "").unwrap();
    let paths = vec![(
        "source".to_owned(),
        vec!["src/".to_owned(), "/ci/build/*/src".to_owned()],
    )];

    let aliases = PathAliases::new(&paths, false, &root).unwrap();
    let want = root.join("src/pkg/m.py");
    assert_eq!(
        aliases.map("/ci/build/77/src/pkg/m.py"),
        want.to_string_lossy()
    );
    // The mapped file does not exist here, so the path is left alone.
    assert_eq!(
        aliases.map("/ci/build/77/src/pkg/gone.py"),
        "/ci/build/77/src/pkg/gone.py"
    );
    // Windows separators in recorded data are normalised.
    let aliases = PathAliases::new(
        &[(
            "s".to_owned(),
            vec!["src".to_owned(), "C:\\agent\\src".to_owned()],
        )],
        false,
        &root,
    )
    .unwrap();
    assert_eq!(
        aliases.map("c:\\AGENT\\src\\pkg\\m.py"),
        want.to_string_lossy()
    );

    let relative = PathAliases::new(&paths, true, &root).unwrap();
    assert_eq!(relative.map("/ci/build/77/src/pkg/m.py"), "src/pkg/m.py");
    assert_eq!(
        relative.map(&root.join("src/pkg/m.py").to_string_lossy()),
        "src/pkg/m.py"
    );
}

// Symbolic links need a privilege on Windows.
#[cfg(unix)]
mod symlinks {
    use ferrocov_config::{Decision, FileSelector, SelectionInputs};

    use super::canonical_tempdir;

    #[test]
    fn selector_resolves_symlinked_inputs() {
        let (_guard, root) = canonical_tempdir();
        std::fs::create_dir_all(root.join("real_src")).unwrap();
        std::os::unix::fs::symlink(root.join("real_src"), root.join("src")).unwrap();
        let s = FileSelector::new(SelectionInputs {
            cwd: root.clone(),
            source_dirs: vec![root.join("src")],
            ..SelectionInputs::default()
        })
        .unwrap();
        let canonical = root.join("real_src/mod.py");
        assert_eq!(s.decide(&canonical.to_string_lossy()), Decision::Measure);
        assert!(matches!(
            s.decide(&root.join("other/mod.py").to_string_lossy()),
            Decision::Skip(_)
        ));
    }

    #[test]
    fn selector_omit_relative_to_cwd_with_symlinks() {
        let (_guard, root) = canonical_tempdir();
        std::fs::create_dir_all(root.join("real_gen")).unwrap();
        std::os::unix::fs::symlink(root.join("real_gen"), root.join("gen")).unwrap();
        let s = FileSelector::new(SelectionInputs {
            cwd: root.clone(),
            omit: vec!["gen/*".to_owned()],
            ..SelectionInputs::default()
        })
        .unwrap();
        assert_eq!(
            s.decide(&root.join("real_gen/x.py").to_string_lossy()),
            Decision::Skip("is inside an --omit pattern".to_owned())
        );
        assert_eq!(
            s.decide(&root.join("app.py").to_string_lossy()),
            Decision::Measure
        );
    }
}
