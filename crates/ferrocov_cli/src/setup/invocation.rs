//! What a command may know about the process that invoked it: its arguments, working directory
//! and environment. Passing these in (instead of reading globals) keeps commands testable.

use std::collections::HashMap;
use std::path::PathBuf;

/// The invoking process's view of the world.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// Arguments, program name first.
    pub argv: Vec<String>,
    /// Current working directory.
    pub cwd: PathBuf,
    /// Environment variables.
    pub env: HashMap<String, String>,
    /// The Python version (major, minor, micro) whose compiler source analysis must match (the
    /// interpreter running the command); `None` outside Python, where the newest supported
    /// version is assumed.
    pub python: Option<(u8, u8, u8)>,
    /// Facts about the interpreter the command runs in (executable, tracer core, ...), as
    /// `ferrocov debug sys` shows them; filled by the Python shell, empty elsewhere.
    pub interpreter: Vec<(String, String)>,
}

impl Invocation {
    /// Captures the current process's arguments, directory and environment.
    pub fn from_process(argv: Vec<String>) -> std::io::Result<Self> {
        Ok(Self {
            argv,
            cwd: std::env::current_dir()?,
            env: std::env::vars().collect(),
            python: None,
            interpreter: Vec::new(),
        })
    }

    /// Looks up one environment variable; an empty value counts as unset, as coverage.py treats it.
    pub fn var(&self, name: &str) -> Option<String> {
        self.env.get(name).filter(|v| !v.is_empty()).cloned()
    }
}
