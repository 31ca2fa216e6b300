//! `coverage annotate`: `,cover` copies of sources with `> ` (run), `! ` (missed) and `- `
//! (excluded) margins, named and placed as coverage.py names them.

use std::path::{Path, PathBuf};

use sha3::{Digest, Sha3_256};

use crate::error::ReportError;
use crate::file::FileInput;
use crate::pytext;

/// Python's `str.isspace` for one character (Rust's set plus the ASCII separators).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// `\s*(#|$)`: blank or comment-only.
fn is_blank(line: &str) -> bool {
    let rest = line.trim_start_matches(is_py_space);
    rest.is_empty() || rest.starts_with('#')
}

/// `\s*else\s*:\s*(#|$)`: a line holding only `else:`.
fn is_else(line: &str) -> bool {
    let rest = line.trim_start_matches(is_py_space);
    let Some(rest) = rest.strip_prefix("else") else {
        return false;
    };
    let Some(rest) = rest.trim_start_matches(is_py_space).strip_prefix(':') else {
        return false;
    };
    is_blank(rest)
}

/// The annotated text for one file.
pub fn annotate(file: &FileInput) -> String {
    let statements: Vec<u32> = file.statements.iter().copied().collect();
    let missing: Vec<u32> = file.missing().into_iter().collect();
    let source = file.source();
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    let (mut i, mut j) = (0, 0);
    let mut covered = true;
    for (idx, line) in pytext::splitlines(&source, true).into_iter().enumerate() {
        let lineno = idx as u32 + 1;
        while i < statements.len() && statements[i] < lineno {
            i += 1;
        }
        while j < missing.len() && missing[j] < lineno {
            j += 1;
        }
        if i < statements.len() && statements[i] == lineno {
            covered = j >= missing.len() || missing[j] > lineno;
        }
        let margin = if is_blank(line) {
            "  "
        } else if is_else(line) {
            // An `else:` is marked missed when the next statement is missed.
            if j >= missing.len() || statements.get(i) != Some(&missing[j]) {
                "> "
            } else {
                "! "
            }
        } else if file.excluded.contains(&lineno) {
            "- "
        } else if covered {
            "> "
        } else {
            "! "
        };
        out.push_str(margin);
        out.push_str(line);
    }
    out
}

/// coverage.py's `flat_rootname`: `a/b/c.py` -> `z_<16 hex of sha3-256("a/b")>_c_py`.
pub fn flat_rootname(filename: &str) -> String {
    // ntpath.split: both separators, trailing separators stripped from the head.
    let cut = filename.rfind(['/', '\\']).map_or(0, |i| i + 1);
    let (head, base) = filename.split_at(cut);
    let trimmed = head.trim_end_matches(['/', '\\']);
    let dir = if trimmed.is_empty() { head } else { trimmed };
    let mut out = String::with_capacity(19 + base.len());
    if !dir.is_empty() {
        use std::fmt::Write as _;
        out.push_str("z_");
        for b in &Sha3_256::digest(dir.as_bytes())[..8] {
            let _ = write!(out, "{b:02x}");
        }
        out.push('_');
    }
    out.push_str(&base.replace('.', "_"));
    out
}

/// `os.path.splitext(name)[1]`: the extension of the last component, leading dots ignored.
fn extension(name: &str) -> &str {
    let base = &name[name.rfind('/').map_or(0, |i| i + 1)..];
    let stem_start = base.len() - base.trim_start_matches('.').len();
    match base.rfind('.') {
        Some(dot) if dot > stem_start => &base[dot..],
        _ => "",
    }
}

/// Where the annotated copy goes: next to the source, or flattened into `directory`.
pub fn output_path(file: &FileInput, directory: Option<&Path>) -> PathBuf {
    match directory {
        Some(dir) if !dir.as_os_str().is_empty() => {
            let flat = flat_rootname(&file.display_name);
            let ext = extension(&file.display_name);
            let keep = flat.chars().count().saturating_sub(ext.chars().count());
            let name: String = flat.chars().take(keep).collect();
            dir.join(format!("{name}{ext},cover"))
        }
        _ => PathBuf::from(format!("{},cover", file.path)),
    }
}

/// Writes every file's annotated copy (files in path order, as coverage.py).
pub fn write_annotations(files: &[FileInput], directory: Option<&Path>) -> Result<(), ReportError> {
    if files.is_empty() {
        return Err(ReportError::NoData);
    }
    if let Some(dir) = directory.filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut order: Vec<&FileInput> = files.iter().collect();
    order.sort_by(|a, b| a.path.cmp(&b.path));
    for file in order {
        std::fs::write(output_path(file, directory), annotate(file))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_names_match_coverage() {
        assert_eq!(flat_rootname("main.py"), "main_py");
        assert_eq!(flat_rootname("a/b/c.py"), "z_86bbcbe134d28fd2_c_py");
    }

    #[test]
    fn output_names() {
        let f = FileInput {
            path: "/p/pkg/sub/deep.py".into(),
            display_name: "pkg/sub/deep.py".into(),
            ..FileInput::default()
        };
        assert_eq!(
            output_path(&f, Some(Path::new("out"))),
            PathBuf::from("out/z_850f681da5c2ca3b_deep.py,cover")
        );
        assert_eq!(
            output_path(&f, None),
            PathBuf::from("/p/pkg/sub/deep.py,cover")
        );
        assert_eq!(extension(".bashrc"), "");
        assert_eq!(extension("a/b.tar.gz"), ".gz");
    }

    #[test]
    fn else_and_blank_lines() {
        assert!(is_blank("   # c\n"));
        assert!(is_blank("\n"));
        assert!(!is_blank("x\n"));
        assert!(is_else("    else:  # why\n"));
        assert!(is_else("else :\n"));
        assert!(!is_else("elsewhere = 1\n"));
    }
}
