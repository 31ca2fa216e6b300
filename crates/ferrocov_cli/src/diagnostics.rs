//! What ferrocov has to tell the person running it, as values: an error, a warning or a debug
//! line, with the chain of causes behind it. Every layer returns these instead of printing, so
//! the command line prints them on stderr and the pytest plugin turns them into pytest warnings
//! without parsing any text.

use std::fmt;

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// `--debug` output for a topic.
    Debug,
    /// Something worth knowing that changes nothing (coverage.py's warnings).
    Warning,
    /// The step failed; what it should have produced is missing.
    Error,
}

impl Level {
    /// The lower-case name the Python shell sees.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// One message, with the causes that explain it (outermost first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    pub message: String,
    pub causes: Vec<String>,
    /// The `--debug` topic of a debug line (`combine`, `config`, ...).
    pub topic: Option<String>,
}

impl Diagnostic {
    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            level: Level::Warning,
            message: message.into(),
            causes: Vec::new(),
            topic: None,
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            message: message.into(),
            causes: Vec::new(),
            topic: None,
        }
    }

    pub fn debug(topic: &str, message: impl Into<String>) -> Self {
        Self {
            level: Level::Debug,
            message: message.into(),
            causes: Vec::new(),
            topic: Some(topic.to_owned()),
        }
    }

    /// An error and its chain of causes.
    pub fn from_error(err: &anyhow::Error) -> Self {
        Self {
            level: Level::Error,
            message: err.to_string(),
            causes: err.chain().skip(1).map(ToString::to_string).collect(),
            topic: None,
        }
    }

    /// The message and its causes as one sentence (`outer: cause: cause`).
    pub fn sentence(&self) -> String {
        std::iter::once(self.message.as_str())
            .chain(self.causes.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(": ")
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// The lines the command line prints for it on stderr: `ferrocov: error: ...` with one
    /// `  Cause: ...` line per cause, `ferrocov: warning: ...`, `ferrocov debug[topic]: ...`.
    pub fn render(&self) -> String {
        let mut text = match self.level {
            Level::Error => format!("ferrocov: error: {}\n", self.message),
            Level::Warning => format!("ferrocov: warning: {}\n", self.message),
            Level::Debug => format!(
                "ferrocov debug[{}]: {}\n",
                self.topic.as_deref().unwrap_or("debug"),
                self.message
            ),
        };
        for cause in &self.causes {
            text.push_str(&format!("  Cause: {cause}\n"));
        }
        text
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence())
    }
}

/// The diagnostics a step collected, in the order they arose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn warning(&mut self, message: impl Into<String>) {
        self.push(Diagnostic::warning(message));
    }

    pub fn debug(&mut self, topic: &str, message: impl Into<String>) {
        self.push(Diagnostic::debug(topic, message));
    }

    pub fn error(&mut self, err: &anyhow::Error) {
        self.push(Diagnostic::from_error(err));
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_keeps_its_causes_in_order() {
        let err = anyhow::anyhow!("disk full")
            .context("cannot write coverage.xml")
            .context("XML report failed");
        let d = Diagnostic::from_error(&err);
        assert_eq!(d.level, Level::Error);
        assert_eq!(d.message, "XML report failed");
        assert_eq!(d.causes, ["cannot write coverage.xml", "disk full"]);
        assert_eq!(
            d.sentence(),
            "XML report failed: cannot write coverage.xml: disk full"
        );
        assert_eq!(
            d.render(),
            "ferrocov: error: XML report failed\n  Cause: cannot write coverage.xml\n  Cause: disk full\n"
        );
        assert_eq!(
            Diagnostic::debug("combine", "Combined a").render(),
            "ferrocov debug[combine]: Combined a\n"
        );
    }

    #[test]
    fn collected_diagnostics_know_whether_one_is_an_error() {
        let mut all = Diagnostics::new();
        all.warning("careful");
        all.debug("combine", "Combined x");
        assert!(!all.has_errors());
        all.error(&anyhow::anyhow!("broken"));
        assert!(all.has_errors());
        let levels: Vec<_> = all.iter().map(|d| d.level.as_str()).collect();
        assert_eq!(levels, ["warning", "debug", "error"]);
    }
}
