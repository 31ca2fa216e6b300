//! `ferrocov xml`: a Cobertura XML report as coverage.py writes it.

use std::path::Path;

use ferrocov_config::LoadedConfig;
use ferrocov_report::xml::{XmlOptions, write_report};

use crate::args::XmlArgs;
use crate::reporting::{fail_under_status, report_files, write_output};
use crate::{Invocation, VERSION};

pub(crate) fn execute(
    args: &XmlArgs,
    config: &LoadedConfig,
    debug: &[String],
    invocation: &Invocation,
) -> anyhow::Result<i32> {
    let files = report_files(&args.common, config, debug, invocation)?;
    let mut options = XmlOptions::new(VERSION);
    options.package_depth = config.settings.xml.package_depth as usize;
    options.skip_empty = args.skip_empty || config.settings.report.skip_empty;
    options.sources = source_roots(config, &invocation.cwd);
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| config.settings.xml.output.clone());
    let total = write_output(&output, "XML", args.quiet, invocation, |mut out| {
        write_report(&files, &options, &mut out)
    })?;
    fail_under_status(
        total,
        args.common.fail_under,
        config.settings.report.precision,
        config,
    )
}

/// The `[run] source` directories that exist, as the XML `<sources>` lists them.
fn source_roots(config: &LoadedConfig, cwd: &Path) -> Vec<String> {
    let run = &config.settings.run;
    run.source
        .iter()
        .flatten()
        .map(|entry| cwd.join(entry))
        .filter(|path| path.exists())
        .map(|path| {
            if run.relative_files {
                path.strip_prefix(cwd).map_or_else(
                    |_| path.to_string_lossy().into_owned(),
                    |p| p.to_string_lossy().trim_end_matches('/').to_owned(),
                )
            } else {
                std::fs::canonicalize(&path)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .into_owned()
            }
        })
        .collect()
}
