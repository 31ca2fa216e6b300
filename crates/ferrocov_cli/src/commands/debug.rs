//! `ferrocov debug sys|config|data`: what a bug report needs, as coverage.py's `coverage debug`
//! shows it: a `-- topic ---` heading, then one `key: value` line per fact.

use ferrocov_config::LoadedConfig;
use ferrocov_protocol::{env, formats};

use super::print;
use crate::EXIT_OK;
use crate::args::{DebugArgs, DebugTopic};
use crate::setup::{Invocation, config_source, resolve_data_file};

pub(super) fn execute(
    args: &DebugArgs,
    config: &LoadedConfig,
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let data_file = resolve_data_file(args.data_file.data_file.as_deref(), config, invocation);
    let text = match args.topic {
        DebugTopic::Sys => section("sys", &sys_facts(config, invocation, &data_file)),
        DebugTopic::Config => {
            let mut facts = vec![("config_file".to_owned(), config_source(config))];
            facts.push(("settings".to_owned(), format!("{:#?}", config.settings)));
            section("config", &facts)
        }
        DebugTopic::Data => data_section(&data_file)?,
    };
    print::stdout(&text);
    Ok(EXIT_OK)
}

fn sys_facts(
    config: &LoadedConfig,
    invocation: &Invocation,
    data_file: &std::path::Path,
) -> Vec<(String, String)> {
    let mut facts = vec![
        ("ferrocov_version".to_owned(), crate::VERSION.to_owned()),
        (
            "platform".to_owned(),
            format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
        ),
        (
            "python".to_owned(),
            invocation
                .python
                .map_or_else(|| "-none-".to_owned(), |(a, b, _)| format!("{a}.{b}")),
        ),
    ];
    facts.extend(invocation.interpreter.iter().cloned());
    facts.push(("cwd".to_owned(), invocation.cwd.display().to_string()));
    facts.push(("config_file".to_owned(), config_source(config)));
    facts.push(("data_file".to_owned(), data_file.display().to_string()));
    facts.push((
        "shard_dir".to_owned(),
        ferrocov_data::shard_dir_for(data_file)
            .display()
            .to_string(),
    ));
    for (name, version) in formats::ALL {
        facts.push((format!("format_{name}"), version.to_string()));
    }
    let set: Vec<String> = env::ALL
        .iter()
        .filter_map(|(_, name)| invocation.env.get(*name).map(|v| format!("{name} = {v}")))
        .collect();
    facts.push((
        "environment".to_owned(),
        if set.is_empty() {
            "-none-".to_owned()
        } else {
            set.join("\n")
        },
    ));
    facts
}

/// coverage.py's `debug data`: the data file's path, whether it holds arcs, then each file
/// with its number of measured lines.
fn data_section(data_file: &std::path::Path) -> anyhow::Result<String> {
    let mut out = section(
        "data",
        &[("path".to_owned(), data_file.display().to_string())],
    );
    if crate::pipeline::pending_inputs(data_file) {
        out.push_str("pending: shards or parallel data files not combined yet\n");
    }
    if !data_file.exists() {
        out.push_str("No data collected: file doesn't exist\n");
        return Ok(out);
    }
    let data = ferrocov_data::read_data_file(data_file)?;
    out.push_str("has_arcs: False\n");
    let mut files: Vec<&str> = data.files().collect();
    files.sort_unstable();
    out.push_str(&format!("\n{} files:\n", files.len()));
    for file in files {
        let lines = data.lines(file).map_or(0, |l| l.len());
        let plural = if lines == 1 { "" } else { "s" };
        out.push_str(&format!("{file}: {lines} line{plural}\n"));
    }
    Ok(out)
}

/// A heading and right-aligned `key: value` lines; a multi-line value continues under it.
fn section(topic: &str, facts: &[(String, String)]) -> String {
    let width = facts.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = format!(
        "-- {topic} {}\n",
        "-".repeat(60usize.saturating_sub(topic.len() + 4))
    );
    for (key, value) in facts {
        let mut lines = value.lines();
        out.push_str(&format!("{key:>width$}: {}\n", lines.next().unwrap_or("")));
        for more in lines {
            out.push_str(&format!("{:>width$}  {more}\n", ""));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_align_keys_and_continue_values() {
        let text = section(
            "sys",
            &[
                ("a".to_owned(), "1".to_owned()),
                ("long_key".to_owned(), "x\ny".to_owned()),
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("-- sys ---"));
        assert_eq!(lines[1], "       a: 1");
        assert_eq!(lines[2], "long_key: x");
        assert_eq!(lines[3], "          y");
    }
}
