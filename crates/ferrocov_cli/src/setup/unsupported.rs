//! Settings coverage.py has and ferrocov does not act on (yet): each one that is set becomes a
//! warning naming it, so a configuration never loses a behaviour silently. Settings whose effect
//! ferrocov gives anyway (`concurrency = multiprocessing`, `patch = subprocess`, `sigterm`,
//! `parallel`) are not listed: nothing is lost.

use ferrocov_config::Settings;

/// What measuring with `settings` leaves out, one warning per setting.
pub fn measuring(settings: &Settings) -> Vec<String> {
    let run = &settings.run;
    let mut warnings = Vec::new();
    if !run.plugins.is_empty() {
        warnings.push(format!(
            "[run] plugins = {} is ignored: ferrocov does not run coverage.py plugins, so files \
             only a plugin measures (templates, ...) are not measured",
            run.plugins.join(", ")
        ));
    }
    for light in run
        .concurrency
        .iter()
        .filter(|c| matches!(c.as_str(), "gevent" | "greenlet" | "eventlet"))
    {
        warnings.push(format!(
            "[run] concurrency = {light} is not supported: ferrocov follows threads and \
             processes, not {light}'s switches, so lines run in them may be missed"
        ));
    }
    // `test_function` is measured; `none` (and an empty value) turns dynamic contexts off.
    if let Some(dynamic) = &run.dynamic_context
        && !matches!(dynamic.trim(), "test_function" | "none" | "")
    {
        warnings.push(format!(
            "[run] dynamic_context = {dynamic} is ignored: ferrocov starts dynamic contexts \
             for test_function only"
        ));
    }
    if let Some(core) = &run.core {
        warnings.push(format!(
            "[run] core = {core} is ignored: ferrocov measures with its own core \
             (sys.monitoring on 3.12+, a C trace function before)"
        ));
    }
    if run.timid {
        warnings.push(
            "[run] timid = true is ignored: ferrocov has no Python tracer to fall back to"
                .to_owned(),
        );
    }
    if let Some(file) = &run.debug_file {
        warnings.push(format!(
            "[run] debug_file = {file} is ignored: debug output goes to stderr"
        ));
    }
    if let Some(command) = &run.command_line {
        warnings.push(format!(
            "[run] command_line = {command} is ignored: name the program to `ferrocov run`"
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unsupported_setting_is_named() {
        let mut settings = Settings::default();
        settings.run.branch = true;
        settings.run.context = Some("py312".into());
        assert!(
            measuring(&settings).is_empty(),
            "branches and static contexts are measured"
        );
        settings.run.plugins = vec!["django_coverage_plugin".into()];
        settings.run.concurrency = vec!["gevent".into(), "multiprocessing".into()];
        settings.run.dynamic_context = Some("test_function".into());
        assert_eq!(measuring(&settings).len(), 2, "test_function is measured");
        settings.run.dynamic_context = Some("none".into());
        assert_eq!(measuring(&settings).len(), 2, "none is off");
        settings.run.dynamic_context = Some("my_plugin_context".into());
        settings.run.timid = true;
        settings.run.core = Some("ctrace".into());
        let warnings = measuring(&settings);
        let named = |needle: &str| warnings.iter().filter(|w| w.contains(needle)).count();
        assert_eq!(named("[run] plugins = django_coverage_plugin"), 1);
        assert_eq!(named("concurrency = gevent"), 1);
        assert_eq!(named("multiprocessing"), 0, "measured anyway: {warnings:?}");
        assert_eq!(named("dynamic_context = my_plugin_context"), 1);
        assert_eq!(named("timid"), 1);
        assert_eq!(named("core = ctrace"), 1);
        assert_eq!(named("branch"), 0);
        assert_eq!(warnings.len(), 5);
    }
}
