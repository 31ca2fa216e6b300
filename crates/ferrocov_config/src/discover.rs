//! Finding and loading the configuration: coverage.py's lookup order
//! (`--rcfile`, `COVERAGE_RCFILE`, `.coveragerc`, `.coveragerc.toml`,
//! `setup.cfg`, `tox.ini`, `pyproject.toml`), then the environment
//! overrides coverage.py applies after the file.

use std::path::{Path, PathBuf};

use crate::errors::ConfigError;
use crate::ini::IniFile;
use crate::pathutil::normpath;
use crate::read::{FileRef, read_source};
use crate::settings::Settings;
use crate::source::{ConfigSource, IniSource};
use crate::toml_source::TomlSource;
use ferrocov_protocol::env as env_vars;

/// What to load, and from where.
pub struct LoadRequest<'a> {
    /// `--rcfile` / `--cov-config`. None = discovery (`COVERAGE_RCFILE`,
    /// `.coveragerc`, ...). `Some(".coveragerc")` also means discovery, as in
    /// coverage.py; `Some("")` means read no file at all.
    pub rcfile: Option<&'a str>,
    /// Directory that relative config file names are resolved against.
    pub cwd: &'a Path,
    /// Environment lookup (for `COVERAGE_RCFILE`, `COVERAGE_FILE`,
    /// `COVERAGE_DEBUG`, `COVERAGE_CORE`, `HOME` and `$VAR` expansion).
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

/// The result of [`load_config`].
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    pub settings: Settings,
    /// The file the settings came from (absolute), if any.
    pub config_file: Option<PathBuf>,
    /// Warnings to show the user, e.g. unrecognized options.
    pub warnings: Vec<String>,
}

struct Candidate {
    name: String,
    /// Coverage's own file: used even if empty, and `[run]` works unprefixed.
    our_file: bool,
    /// Named by the user: failing to read it is an error.
    specified: bool,
}

/// Load settings as coverage.py does: defaults, then the first config file
/// that supplies configuration, then `COVERAGE_FILE`, `COVERAGE_DEBUG` and
/// `COVERAGE_CORE`, then [`Settings::finalize`].
pub fn load_config(req: &LoadRequest<'_>) -> Result<LoadedConfig, ConfigError> {
    let mut settings = Settings::default();
    let mut warnings = Vec::new();
    let mut config_file = None;

    for candidate in candidates(req) {
        let path = PathBuf::from(normpath(&req.cwd.join(&candidate.name).to_string_lossy()));
        let file = FileRef {
            path: &path,
            name: &candidate.name,
        };
        if read_file(
            &file,
            candidate.our_file,
            &mut settings,
            req.env,
            &mut warnings,
        )? {
            config_file = Some(path);
            break;
        }
        if candidate.specified {
            return Err(ConfigError::Unreadable {
                name: candidate.name,
                path,
            });
        }
    }

    apply_env_overrides(&mut settings, req.env);
    settings.finalize()?;
    Ok(LoadedConfig {
        settings,
        config_file,
        warnings,
    })
}

fn candidates(req: &LoadRequest<'_>) -> Vec<Candidate> {
    let (first, specified) = match req.rcfile {
        Some("") => return Vec::new(),
        Some(name) if name != ".coveragerc" => (name.to_owned(), true),
        _ => match non_empty((req.env)(env_vars::COVERAGE_RCFILE)) {
            Some(name) => (name, true),
            None => (".coveragerc".to_owned(), false),
        },
    };
    let mut list = vec![Candidate {
        name: first,
        our_file: true,
        specified,
    }];
    if !specified {
        for (name, our_file) in [
            (".coveragerc.toml", true),
            ("setup.cfg", false),
            ("tox.ini", false),
            ("pyproject.toml", false),
        ] {
            list.push(Candidate {
                name: name.to_owned(),
                our_file,
                specified: false,
            });
        }
    }
    list
}

/// Read one candidate. Ok(true) when it supplied the configuration; a
/// missing or unreadable file is Ok(false), as Python's readers treat it.
fn read_file(
    file: &FileRef<'_>,
    our_file: bool,
    settings: &mut Settings,
    env: &dyn Fn(&str) -> Option<String>,
    warnings: &mut Vec<String>,
) -> Result<bool, ConfigError> {
    let Ok(bytes) = std::fs::read(file.path) else {
        return Ok(false);
    };
    let text = String::from_utf8(bytes).map_err(|e| ConfigError::Syntax {
        path: file.path.to_path_buf(),
        line: None,
        message: format!("file is not valid UTF-8: {e}"),
    })?;
    let source: Box<dyn ConfigSource> = if is_toml(file.path) {
        let parsed = TomlSource::parse(&text, our_file).map_err(|e| ConfigError::Syntax {
            path: file.path.to_path_buf(),
            line: e.line,
            message: e.message,
        })?;
        Box::new(parsed)
    } else {
        let parsed = IniFile::parse(&text).map_err(|e| ConfigError::Syntax {
            path: file.path.to_path_buf(),
            line: Some(e.line),
            message: e.message,
        })?;
        Box::new(IniSource::new(parsed, our_file))
    };
    let any_set = read_source(source.as_ref(), file, settings, env, warnings)?;
    Ok(our_file || any_set)
}

/// coverage.py picks the TOML reader by extension (`os.path.splitext`), so a
/// file named just `.toml` is INI.
fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "toml")
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

fn apply_env_overrides(settings: &mut Settings, env: &dyn Fn(&str) -> Option<String>) {
    if let Some(file) = non_empty(env(env_vars::COVERAGE_FILE)) {
        settings.run.data_file = file;
    }
    if let Some(debugs) = non_empty(env(env_vars::COVERAGE_DEBUG)) {
        settings.run.debug.extend(
            debugs
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
        );
    }
    if let Some(core) = non_empty(env(env_vars::COVERAGE_CORE)) {
        settings.run.core = Some(core);
    }
}
