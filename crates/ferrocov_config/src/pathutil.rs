//! Path string helpers with the semantics coverage.py gets from `os.path`:
//! making paths absolute against a given cwd, separator detection, and
//! "absolute on any OS" checks.

use std::path::{Path, PathBuf};

/// `os.path.normpath` for `/`-separated paths: collapse repeated slashes,
/// drop `.` components, resolve `..` lexically (never above the root).
pub(crate) fn normpath(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// coverage.py's `abs_file`: absolute (against `cwd`, not the process cwd),
/// normalized, with symlinks resolved as far as the path exists. Resolving
/// only the existing prefix matches `os.path.realpath`, which also leaves
/// missing components (and glob characters) untouched.
pub(crate) fn abs_file(path: &str, cwd: &Path) -> String {
    let joined = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{}/{}", cwd.to_string_lossy(), path)
    };
    let normal = normpath(&joined);
    resolve_existing_prefix(&normal)
}

fn resolve_existing_prefix(normal: &str) -> String {
    let mut prefix = PathBuf::from(normal);
    let mut tail: Vec<String> = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&prefix) {
            let mut out = real.to_string_lossy().into_owned();
            for comp in tail.iter().rev() {
                if !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(comp);
            }
            return out;
        }
        let Some(name) = prefix.file_name() else {
            return normal.to_owned();
        };
        tail.push(name.to_string_lossy().into_owned());
        if !prefix.pop() {
            return normal.to_owned();
        }
    }
}

/// The separator a path string uses: the first `/` or `\` in it, else `/`.
pub(crate) fn sep_of(s: &str) -> char {
    s.chars().find(|c| *c == '/' || *c == '\\').unwrap_or('/')
}

/// Is `s` absolute on POSIX or on Windows (`C:\`, `C:/`, `\\server`)?
pub(crate) fn isabs_anywhere(s: &str) -> bool {
    if s.starts_with('/') || s.starts_with("\\\\") {
        return true;
    }
    let b = s.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'/' || b[2] == b'\\')
}

/// coverage.py's `source_exists`: the file exists, or it lives inside an
/// existing zip-like archive (`.zip`, `.whl`, `.egg`, `.pex`, `.par`).
pub(crate) fn source_exists(path: &str, cwd: &Path) -> bool {
    let full = cwd.join(path);
    if full.exists() {
        return true;
    }
    let sep = sep_of(path);
    for ext in [".zip", ".whl", ".egg", ".pex", ".par"] {
        let marker = format!("{ext}{sep}");
        if let Some(pos) = path.find(&marker) {
            let archive = &path[..pos + ext.len()];
            if cwd.join(archive).exists() {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normpath_cases() {
        let cases = [
            ("/a/b/../c", "/a/c"),
            ("/a//b/./c/", "/a/b/c"),
            ("/../a", "/a"),
            ("a/../..", ".."),
            ("./a", "a"),
            ("", "."),
            ("/", "/"),
        ];
        for (input, want) in cases {
            assert_eq!(normpath(input), want, "{input}");
        }
    }

    #[test]
    fn abs_file_joins_cwd_and_resolves_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("real")).unwrap();
        std::os::unix::fs::symlink(real.join("real"), real.join("link")).unwrap();
        let r = real.to_string_lossy();
        assert_eq!(abs_file("link/x/*.py", &real), format!("{r}/real/x/*.py"));
        assert_eq!(abs_file("a/../b", &real), format!("{r}/b"));
        assert_eq!(abs_file("/nonexistent/q", &real), "/nonexistent/q");
    }

    #[test]
    fn separators_and_absoluteness() {
        assert_eq!(sep_of("a\\b/c"), '\\');
        assert_eq!(sep_of("abc"), '/');
        assert!(isabs_anywhere("/x"));
        assert!(isabs_anywhere("c:\\x"));
        assert!(isabs_anywhere("C:/x"));
        assert!(isabs_anywhere("\\\\srv\\share"));
        assert!(!isabs_anywhere("x/y"));
        assert!(!isabs_anywhere("c:x"));
    }

    #[test]
    fn source_exists_checks_archives() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("lib.zip"), b"").unwrap();
        std::fs::write(tmp.path().join("a.py"), b"").unwrap();
        assert!(source_exists("a.py", tmp.path()));
        assert!(source_exists("lib.zip/pkg/mod.py", tmp.path()));
        assert!(!source_exists("b.py", tmp.path()));
    }
}
