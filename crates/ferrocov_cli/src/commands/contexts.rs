//! `ferrocov contexts FILE[:LINE[-LINE]]`: the contexts (tests) that ran those lines, one per
//! line and sorted (the empty context as `(empty)`), or with `--json` as one object.

use ferrocov_config::LoadedConfig;
use serde_json::json;

use super::print;
use crate::EXIT_OK;
use crate::args::ContextsArgs;
use crate::pipeline::contexts::split_option;
use crate::pipeline::line_query::{LineQuery, answer};
use crate::pipeline::{ReportRequest, read_data};
use crate::setup::{Invocation, resolve_data_file};

pub(super) fn execute(
    args: &ContextsArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    // The same reading as the reports: pending data combined first, `--contexts` narrowing.
    let request = ReportRequest {
        data_file: resolve_data_file(args.data_file.data_file.as_deref(), config, invocation),
        cwd: invocation.cwd.clone(),
        python: invocation.python.unwrap_or((3, 13, 0)),
        settings: config.settings.clone(),
        include: None,
        omit: None,
        ignore_errors: false,
        keep_combined: false,
        debug: debug.to_vec(),
        contexts: args.contexts.as_deref().and_then(split_option),
        reports: Vec::new(),
    };
    let mut diagnostics = crate::Diagnostics::new();
    let data = read_data(&request, &mut diagnostics);
    print::diagnostics(&diagnostics);
    let data = data?;
    let cwd = &invocation.cwd;
    let query = LineQuery::parse(&args.spec, |spec| {
        crate::pipeline::line_query::measured_path(&data, spec, cwd).is_some()
    })?;
    let found = answer(&data, &query, cwd)?;
    if args.json {
        let by_line: serde_json::Map<String, serde_json::Value> = found
            .by_line
            .iter()
            .map(|(line, labels)| (line.to_string(), json!(labels)))
            .collect();
        let object = json!({
            "file": found.path,
            "lines": found.lines.map(|(a, b)| [a, b]),
            "contexts": found.contexts,
            "by_line": by_line,
        });
        print::stdout_line(object);
    } else {
        let mut text = String::new();
        for context in &found.contexts {
            text.push_str(if context.is_empty() {
                "(empty)"
            } else {
                context
            });
            text.push('\n');
        }
        print::stdout(&text);
    }
    Ok(EXIT_OK)
}
