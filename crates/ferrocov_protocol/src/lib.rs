//! What the parts of ferrocov agree on across process and language boundaries: the names of the
//! environment variables a run is published in ([`env`]), the version of every format ferrocov
//! writes or reads ([`formats`]), and ferrocov's own version.
//!
//! This is the one home of these values. The Rust crates use the constants; the Python shell
//! reads them from the extension module (`_ferrocov.ENV`, `_ferrocov.FORMATS`,
//! `_ferrocov.__version__`), and the one file that cannot import anything, the start-up hook
//! `wheel-data/purelib/ferrocov.pth`, is checked against them by a test below.

pub mod env;
pub mod formats;

/// ferrocov's version: the workspace version in `Cargo.toml`, which is also the Python
/// distribution's version (pyproject.toml declares it dynamic, maturin takes it from Cargo).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests {
    use super::env;

    /// The start-up hook runs in every Python process before anything is imported, so it
    /// spells the run variable out; it must be the variable the owner of a run sets.
    #[test]
    fn start_up_hook_tests_the_run_variable() {
        let hook = include_str!("../../../wheel-data/purelib/ferrocov.pth");
        let quoted = format!("\"{}\" in os.environ", env::FERROCOV_RUN_DIR);
        assert!(hook.contains(&quoted), "{hook}");
        assert_eq!(
            hook.lines().count(),
            1,
            ".pth files run only lines starting with import"
        );
        assert!(hook.starts_with("import "));
    }

    #[test]
    fn every_variable_is_listed_once() {
        let mut names: Vec<_> = env::ALL.iter().map(|(_, name)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), env::ALL.len());
    }
}
