//! Path string helpers with the semantics coverage.py gets from `os.path`:
//! making paths absolute against a given cwd, separator detection, and
//! "absolute on any OS" checks.
//!
//! On Windows `os.path` is `ntpath`: both slashes separate, the drive or UNC share
//! stays in front, the separator written is `\`, and coverage.py gives existing
//! paths the case they have on disk. The Windows bodies below follow that; they
//! are compiled for Windows but have not run there.

use std::path::{Path, PathBuf};

/// The separator paths are written with here (`os.sep`).
pub const SEP: char = std::path::MAIN_SEPARATOR;

/// `os.path.normpath` for `/`-separated paths: collapse repeated slashes,
/// drop `.` components, resolve `..` lexically (never above the root).
#[cfg(not(windows))]
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

/// `os.path.normpath` on Windows.
#[cfg(windows)]
pub(crate) fn normpath(path: &str) -> String {
    nt_normpath(path)
}

/// `ntpath.normpath`: `/` becomes `\`, the drive or `\\server\share` stays in
/// front, `.` components go, `..` is resolved lexically (never above the root).
/// Plain string work, so the Linux tests check it too.
#[cfg(any(windows, test))]
fn nt_normpath(path: &str) -> String {
    let path = path.replace('/', "\\");
    let (drive, rest) = nt_split_drive(&path);
    let rooted = rest.starts_with('\\');
    let mut parts: Vec<&str> = Vec::new();
    for comp in rest.split('\\') {
        match comp {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let mut out = drive.to_owned();
    if rooted {
        out.push('\\');
    }
    out.push_str(&parts.join("\\"));
    if out.is_empty() { ".".to_owned() } else { out }
}

/// `ntpath.splitdrive` of a path with `\` separators: `C:`, or `\\server\share`.
#[cfg(any(windows, test))]
fn nt_split_drive(path: &str) -> (&str, &str) {
    if let Some(unc) = path.strip_prefix("\\\\") {
        let Some(server_end) = unc.find('\\') else {
            return (path, "");
        };
        let share = &unc[server_end + 1..];
        let share_end = share.find('\\').unwrap_or(share.len());
        return path.split_at(2 + server_end + 1 + share_end);
    }
    let b = path.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return path.split_at(2);
    }
    ("", path)
}

/// `ntpath.join(cwd, path)`: a path with a drive and a root replaces `cwd`, a
/// rooted one keeps only `cwd`'s drive, a relative one is appended.
#[cfg(any(windows, test))]
fn nt_join(cwd: &str, path: &str) -> String {
    let (cwd, path) = (cwd.replace('/', "\\"), path.replace('/', "\\"));
    let (drive, rest) = nt_split_drive(&path);
    let rooted = rest.starts_with('\\');
    let (cwd_drive, _) = nt_split_drive(&cwd);
    match (drive.is_empty(), rooted) {
        (false, true) => path,
        (true, true) => format!("{cwd_drive}{path}"),
        // `C:x` on the drive of `cwd` is relative to it; on another drive, to that
        // drive's own directory, which only the process knows: its root stands in.
        (false, false) if !drive.eq_ignore_ascii_case(cwd_drive) => format!("{drive}\\{rest}"),
        _ => format!("{}\\{rest}", cwd.trim_end_matches('\\')),
    }
}

/// coverage.py's `abs_file`: absolute (against `cwd`, not the process cwd),
/// normalized, with symlinks resolved as far as the path exists. Resolving
/// only the existing prefix matches `os.path.realpath`, which also leaves
/// missing components (and glob characters) untouched.
pub(crate) fn abs_file(path: &str, cwd: &Path) -> String {
    let normal = normpath(&join_to_cwd(path, cwd));
    resolve_existing_prefix(&normal)
}

#[cfg(not(windows))]
fn join_to_cwd(path: &str, cwd: &Path) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{}/{}", cwd.to_string_lossy(), path)
    }
}

#[cfg(windows)]
fn join_to_cwd(path: &str, cwd: &Path) -> String {
    nt_join(&cwd.to_string_lossy(), path)
}

/// The real path of what exists, as `os.path.realpath` gives it: on Windows
/// with the case the file system has and without the `\\?\` prefix
/// `std::fs::canonicalize` adds there (which `dunce` drops when the path means
/// the same without it).
pub fn real_path(path: &Path) -> std::io::Result<PathBuf> {
    dunce::canonicalize(path)
}

fn resolve_existing_prefix(normal: &str) -> String {
    let mut prefix = PathBuf::from(normal);
    let mut tail: Vec<String> = Vec::new();
    loop {
        if let Ok(real) = real_path(&prefix) {
            let mut out = real.to_string_lossy().into_owned();
            for comp in tail.iter().rev() {
                if !out.ends_with(SEP) {
                    out.push(SEP);
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

/// `os.path.normcase`: how coverage.py compares paths. On Windows, lower case
/// with `\` separators; elsewhere the path as it is.
pub fn normcase(path: &str) -> std::borrow::Cow<'_, str> {
    if cfg!(windows) {
        path.replace('/', "\\").to_lowercase().into()
    } else {
        path.into()
    }
}

/// coverage.py's `relative_filename`: `path` without the directory `dir` in
/// front of it, the two compared as [`normcase`] leaves them; otherwise `path`.
pub fn relative_to<'a>(path: &'a str, dir: &str) -> &'a str {
    let mut prefix = normcase(dir).into_owned();
    if !prefix.ends_with(SEP) {
        prefix.push(SEP);
    }
    if !normcase(path).starts_with(&prefix) {
        return path;
    }
    // As coverage.py slices: by the length of the normalised prefix, in characters.
    let cut = path
        .char_indices()
        .nth(prefix.chars().count())
        .map_or(path.len(), |(at, _)| at);
    &path[cut..]
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

    // Symbolic links need a privilege on Windows.
    #[cfg(unix)]
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
    fn nt_normpath_cases() {
        let cases = [
            ("C:/a/b/../c", "C:\\a\\c"),
            ("C:\\a\\\\b\\.\\c\\", "C:\\a\\b\\c"),
            ("C:\\..\\a", "C:\\a"),
            ("a\\..\\..", ".."),
            (".\\a", "a"),
            ("", "."),
            ("\\\\srv\\share\\x\\..\\y", "\\\\srv\\share\\y"),
            ("//srv/share/..", "\\\\srv\\share\\"),
            ("c:", "c:"),
        ];
        for (input, want) in cases {
            assert_eq!(nt_normpath(input), want, "{input}");
        }
    }

    #[test]
    fn nt_join_cases() {
        let cwd = "C:\\work\\proj";
        assert_eq!(nt_join(cwd, "D:\\x"), "D:\\x");
        assert_eq!(nt_join(cwd, "\\x"), "C:\\x");
        assert_eq!(nt_join(cwd, "src/m.py"), "C:\\work\\proj\\src\\m.py");
        assert_eq!(nt_join(cwd, "//srv/share/m.py"), "\\\\srv\\share\\m.py");
        assert_eq!(nt_join(cwd, "c:m.py"), "C:\\work\\proj\\m.py");
        assert_eq!(nt_join(cwd, "D:m.py"), "D:\\m.py");
        assert_eq!(nt_join("C:\\", "m.py"), "C:\\m.py");
        assert_eq!(
            nt_normpath(&nt_join(cwd, "..\\other/./m.py")),
            "C:\\work\\other\\m.py"
        );
    }

    #[test]
    fn relative_to_strips_the_directory_at_a_separator_only() {
        let sep = SEP;
        let dir = format!("{sep}work{sep}proj");
        let inside = format!("{dir}{sep}pkg{sep}m.py");
        assert_eq!(relative_to(&inside, &dir), format!("pkg{sep}m.py"));
        assert_eq!(
            relative_to(&inside, &format!("{dir}{sep}")),
            format!("pkg{sep}m.py")
        );
        let sibling = format!("{dir}x{sep}m.py");
        assert_eq!(relative_to(&sibling, &dir), sibling);
        // Case matters where the file system's case does (not on Windows).
        let upper = inside.to_uppercase();
        assert_eq!(relative_to(&upper, &dir) != upper, cfg!(windows));
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
