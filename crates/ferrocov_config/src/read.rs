//! Reading one parsed config file into [`Settings`]: every known option,
//! `[paths]`, plugin sections, and warnings for unknown keys.

use std::path::Path;

use crate::convert::expand_user;
use crate::errors::ConfigError;
use crate::expand::Env;
use crate::options::{CHECKED_SECTIONS, ListKind, OPTIONS, StrKind, Target, is_known};
use crate::settings::{Settings, parse_sort};
use crate::source::ConfigSource;
use ferrocov_pytext::py_repr;

/// Which file is being read: `path` (absolute) for errors, `name` (as the
/// user or the lookup order spelled it) for warnings, like coverage.py.
pub(crate) struct FileRef<'a> {
    pub(crate) path: &'a Path,
    pub(crate) name: &'a str,
}

/// Apply `src` to `settings`. Returns whether the file set anything, which
/// decides if a shared file (setup.cfg, tox.ini, pyproject.toml) is used.
pub(crate) fn read_source(
    src: &dyn ConfigSource,
    file: &FileRef<'_>,
    settings: &mut Settings,
    env: Env<'_>,
    warnings: &mut Vec<String>,
) -> Result<bool, ConfigError> {
    let mut any_set = false;
    for spec in OPTIONS {
        if !src.has_option(spec.section, spec.name) {
            continue;
        }
        apply(src, spec.section, spec.name, spec.target, settings, env).map_err(|message| {
            ConfigError::Value {
                path: file.path.to_path_buf(),
                section: src.real_section(spec.section).unwrap_or_default(),
                key: spec.name.to_owned(),
                message,
            }
        })?;
        any_set = true;
    }

    for section in CHECKED_SECTIONS {
        let Some(real) = src.real_section(section) else {
            continue;
        };
        for key in src.options(section) {
            if !is_known(section, &key) {
                warnings.push(format!(
                    "Unrecognized option '[{real}] {key}=' in config file {}",
                    file.name
                ));
            }
        }
    }

    if src.real_section("paths").is_some() {
        for key in src.options("paths") {
            let values = src
                .get_list("paths", &key, ListKind::Plain, env)
                .map_err(|message| ConfigError::Value {
                    path: file.path.to_path_buf(),
                    section: src.real_section("paths").unwrap_or_default(),
                    key: key.clone(),
                    message,
                })?;
            let values = values.iter().map(|v| expand_user(v, env)).collect();
            match settings.paths.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = values,
                None => settings.paths.push((key, values)),
            }
            any_set = true;
        }
    }

    for plugin in settings.run.plugins.clone() {
        if src.real_section(&plugin).is_none() {
            continue;
        }
        let options = src
            .section_strings(&plugin, env)
            .map_err(|message| ConfigError::Value {
                path: file.path.to_path_buf(),
                section: src.real_section(&plugin).unwrap_or_default(),
                key: String::new(),
                message,
            })?;
        settings.plugin_options.insert(plugin, options);
        any_set = true;
    }

    Ok(any_set)
}

fn apply(
    src: &dyn ConfigSource,
    section: &str,
    key: &str,
    target: Target,
    settings: &mut Settings,
    env: Env<'_>,
) -> Result<(), String> {
    match target {
        Target::Bool(field) => *field(settings) = src.get_bool(section, key, env)?,
        Target::OptBool(field) => *field(settings) = Some(src.get_bool(section, key, env)?),
        Target::Count(field) => {
            let n = src.get_int(section, key, env)?;
            *field(settings) =
                u32::try_from(n).map_err(|_| format!("must be between 0 and {}: {n}", u32::MAX))?;
        }
        Target::Float(field) => *field(settings) = src.get_float(section, key, env)?,
        Target::Str(field, kind) => *field(settings) = string_value(src, section, key, kind, env)?,
        Target::OptStr(field, kind) => {
            *field(settings) = Some(string_value(src, section, key, kind, env)?);
        }
        Target::List(field, kind) => *field(settings) = src.get_list(section, key, kind, env)?,
        Target::OptList(field, kind) => {
            *field(settings) = Some(src.get_list(section, key, kind, env)?);
        }
        Target::Ignored => {}
    }
    Ok(())
}

fn string_value(
    src: &dyn ConfigSource,
    section: &str,
    key: &str,
    kind: StrKind,
    env: Env<'_>,
) -> Result<String, String> {
    let text = src.get_str(section, key, env)?;
    match kind {
        StrKind::Plain => Ok(text),
        StrKind::File => Ok(expand_user(&text, env)),
        StrKind::Sort => match parse_sort(&text) {
            Some(_) => Ok(text),
            None => Err(format!("Invalid sorting option: {}", py_repr(&text))),
        },
    }
}
