//! End-to-end tests of `load_config` against real files in temp directories.

use std::collections::HashMap;
use std::path::Path;

use ferrocov_config::{ConfigError, LoadRequest, LoadedConfig, load_config};

struct Project {
    dir: tempfile::TempDir,
    env: HashMap<String, String>,
}

impl Project {
    fn new() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
            env: HashMap::new(),
        }
    }

    fn file(self, name: &str, text: &str) -> Project {
        std::fs::write(self.dir.path().join(name), text).unwrap();
        self
    }

    fn env(mut self, key: &str, value: &str) -> Project {
        self.env.insert(key.to_owned(), value.to_owned());
        self
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn load_with(&self, rcfile: Option<&str>) -> Result<LoadedConfig, ConfigError> {
        let lookup = |k: &str| self.env.get(k).cloned();
        load_config(&LoadRequest {
            rcfile,
            cwd: self.path(),
            env: &lookup,
        })
    }

    fn load(&self) -> LoadedConfig {
        self.load_with(None).unwrap()
    }

    fn error(&self) -> String {
        self.load_with(None).unwrap_err().to_string()
    }

    fn config_name(&self) -> Option<String> {
        self.load()
            .config_file
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
    }
}

#[test]
fn no_files_gives_defaults() {
    let p = Project::new();
    let c = p.load();
    assert_eq!(c.config_file, None);
    assert_eq!(c.settings, ferrocov_config::Settings::default());
    assert!(c.warnings.is_empty());
}

#[test]
fn coveragerc_wins_over_everything() {
    let p = Project::new()
        .file(".coveragerc", "[run]\nbranch = true\n")
        .file(".coveragerc.toml", "[run]\nparallel = true\n")
        .file("setup.cfg", "[coverage:run]\ntimid = 1\n")
        .file("pyproject.toml", "[tool.coverage.run]\nsigterm = true\n");
    let c = p.load();
    assert_eq!(
        c.config_file.as_deref(),
        Some(p.path().join(".coveragerc").as_path())
    );
    assert!(c.settings.run.branch);
    assert!(!c.settings.run.parallel && !c.settings.run.timid && !c.settings.run.sigterm);
}

#[test]
fn empty_coveragerc_still_counts() {
    let p = Project::new()
        .file(".coveragerc", "")
        .file("setup.cfg", "[coverage:run]\nbranch = 1\n");
    assert_eq!(p.config_name().as_deref(), Some(".coveragerc"));
    assert!(!p.load().settings.run.branch);
}

#[test]
fn coveragerc_toml_accepts_bare_and_prefixed_tables() {
    let p = Project::new()
        .file(
            ".coveragerc.toml",
            "[run]\nbranch = true\n[tool.coverage.report]\nprecision = 2\n",
        )
        .file("setup.cfg", "[coverage:run]\ntimid = 1\n");
    let c = p.load();
    assert_eq!(p.config_name().as_deref(), Some(".coveragerc.toml"));
    assert!(c.settings.run.branch);
    assert_eq!(c.settings.report.precision, 2);
    assert!(!c.settings.run.timid);
}

#[test]
fn setup_cfg_only_if_it_has_coverage_settings() {
    let p = Project::new()
        .file("setup.cfg", "[metadata]\nname = x\n[run]\nbranch = 1\n")
        .file("tox.ini", "[coverage:run]\nparallel = True\n");
    let c = p.load();
    assert_eq!(p.config_name().as_deref(), Some("tox.ini"));
    assert!(c.settings.run.parallel);
    assert!(
        !c.settings.run.branch,
        "unprefixed [run] in setup.cfg is not ours"
    );
}

#[test]
fn setup_cfg_before_tox_and_pyproject() {
    let p = Project::new()
        .file("setup.cfg", "[coverage:report]\nshow_missing = yes\n")
        .file("tox.ini", "[coverage:run]\nparallel = True\n")
        .file("pyproject.toml", "[tool.coverage.run]\nbranch = true\n");
    let c = p.load();
    assert_eq!(p.config_name().as_deref(), Some("setup.cfg"));
    assert!(c.settings.report.show_missing);
    assert!(!c.settings.run.parallel && !c.settings.run.branch);
}

#[test]
fn pyproject_only_if_it_has_tool_coverage() {
    let p = Project::new().file(
        "pyproject.toml",
        "[project]\nname = \"x\"\n[run]\nbranch = true\n",
    );
    assert_eq!(p.config_name(), None);
    assert!(!p.load().settings.run.branch);

    let p = Project::new().file(
        "pyproject.toml",
        "[project]\nname = \"x\"\n[tool.coverage.run]\nbranch = true\nomit = [\"a/*\", \"b/*\"]\n[tool.coverage.paths]\nsrc = [\"src/\", \"*/site-packages/\"]\n",
    );
    let c = p.load();
    assert_eq!(p.config_name().as_deref(), Some("pyproject.toml"));
    assert!(c.settings.run.branch);
    assert_eq!(c.settings.run.omit, ["a/*", "b/*"]);
    assert_eq!(
        c.settings.paths,
        [(
            "src".to_owned(),
            vec!["src/".to_owned(), "*/site-packages/".to_owned()]
        )]
    );
}

#[test]
fn coverage_rcfile_env_names_the_only_file() {
    let p = Project::new()
        .file(".coveragerc", "[run]\nbranch = 1\n")
        .file("custom.ini", "[run]\nparallel = 1\n")
        .env("COVERAGE_RCFILE", "custom.ini");
    let c = p.load();
    assert_eq!(p.config_name().as_deref(), Some("custom.ini"));
    assert!(c.settings.run.parallel && !c.settings.run.branch);

    let p = Project::new()
        .file(".coveragerc", "[run]\nbranch = 1\n")
        .env("COVERAGE_RCFILE", "missing.ini");
    assert_eq!(p.error(), "Couldn't read 'missing.ini' as a config file");
}

#[test]
fn explicit_rcfile_beats_env_and_must_exist() {
    let p = Project::new()
        .file("a.cfg", "[run]\nbranch = 1\n")
        .file("b.cfg", "[run]\ntimid = 1\n")
        .env("COVERAGE_RCFILE", "b.cfg");
    let c = p.load_with(Some("a.cfg")).unwrap();
    assert!(c.settings.run.branch && !c.settings.run.timid);

    let err = p.load_with(Some("nope.cfg")).unwrap_err();
    assert!(matches!(err, ConfigError::Unreadable { .. }));
    assert_eq!(err.to_string(), "Couldn't read 'nope.cfg' as a config file");
}

#[test]
fn explicit_rcfile_in_setup_cfg_style_is_used_even_without_coverage_keys() {
    let p = Project::new().file("setup.cfg", "[metadata]\nname = x\n");
    let c = p.load_with(Some("setup.cfg")).unwrap();
    assert!(c.config_file.is_some());
}

#[test]
fn rcfile_named_coveragerc_means_discovery() {
    let p = Project::new().file("setup.cfg", "[coverage:run]\nbranch = 1\n");
    let c = p.load_with(Some(".coveragerc")).unwrap();
    assert!(c.settings.run.branch);
    assert_eq!(
        c.config_file
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy(),
        "setup.cfg"
    );
}

#[test]
fn empty_rcfile_reads_nothing() {
    let p = Project::new().file(".coveragerc", "[run]\nbranch = 1\n");
    let c = p.load_with(Some("")).unwrap();
    assert_eq!(c.config_file, None);
    assert!(!c.settings.run.branch);
}

#[test]
fn explicit_toml_rcfile_is_read_as_toml() {
    let p = Project::new().file(
        "cov.toml",
        "[tool.coverage.run]\nbranch = true\n[html]\ntitle = \"T\"\n",
    );
    let c = p.load_with(Some("cov.toml")).unwrap();
    assert!(c.settings.run.branch);
    assert_eq!(c.settings.html.title, "T");
}

#[test]
fn every_type_and_section_is_parsed() {
    let p = Project::new().env("HOME", "/home/me").file(
        ".coveragerc",
        "\
[run]
branch = on
command_line = -m pytest
concurrency = thread, multiprocessing
context = ci
core = sysmon
cover_pylib = no
data_file = ~/data/.cov
debug = trace,config
debug_file = dbg.txt
disable_warnings = no-data-collected
dynamic_context = test_function
include =
    src/*
    lib/*
omit = */tests/*
parallel = 1
patch = subprocess
plugins = my_plugin
relative_files = TRUE
sigterm = off
source = src
source_pkgs = pkg1, pkg2
source_dirs = dir1
timid = false

[report]
exclude_lines =
    pragma: no cover
    if x, y:
exclude_also = raise NotImplementedError
fail_under = 87.5
format = markdown
ignore_errors = yes
include_namespace_packages = 1
include = a/*
omit = b/*
partial_branches = no branch
partial_also = maybe
partial_branches_always = while 1:
precision = 2
contexts = ctx1
show_missing = true
skip_covered = true
skip_empty = true
sort = -Cover

[html]
directory = out/html
extra_css = extra.css
show_contexts = true
skip_covered = false
skip_empty = true
title = My Title

[xml]
output = out.xml
package_depth = 3

[json]
output = out.json
pretty_print = true
show_contexts = true

[lcov]
output = out.lcov
line_checksums = true

[paths]
source =
    src/
    /ci/*/src
other = a, b

[my_plugin]
Option_A = 1
",
    );
    let c = p.load();
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    let s = c.settings;
    let r = &s.run;
    assert!(r.branch && r.parallel && r.relative_files);
    assert!(!r.cover_pylib && !r.sigterm && !r.timid);
    assert_eq!(r.command_line.as_deref(), Some("-m pytest"));
    assert_eq!(r.concurrency, ["thread", "multiprocessing"]);
    assert_eq!(r.context.as_deref(), Some("ci"));
    assert_eq!(r.core.as_deref(), Some("sysmon"));
    assert_eq!(r.data_file, "/home/me/data/.cov");
    assert_eq!(r.debug, ["trace", "config"]);
    assert_eq!(r.debug_file.as_deref(), Some("dbg.txt"));
    assert_eq!(r.disable_warnings, ["no-data-collected"]);
    assert_eq!(r.dynamic_context.as_deref(), Some("test_function"));
    assert_eq!(r.include, ["src/*", "lib/*"]);
    assert_eq!(r.omit, ["*/tests/*"]);
    assert_eq!(r.patch, ["subprocess"]);
    assert_eq!(r.plugins, ["my_plugin"]);
    assert_eq!(r.source.as_deref(), Some(&["src".to_owned()][..]));
    assert_eq!(r.source_pkgs, ["pkg1", "pkg2"]);
    assert_eq!(r.source_dirs, ["dir1"]);

    let rep = &s.report;
    assert_eq!(rep.exclude_lines, ["pragma: no cover", "if x, y:"]);
    assert_eq!(rep.exclude_also, ["raise NotImplementedError"]);
    assert_eq!(rep.exclude_regexes().len(), 3);
    assert_eq!(rep.fail_under, 87.5);
    assert_eq!(rep.format.as_deref(), Some("markdown"));
    assert!(rep.ignore_errors && rep.include_namespace_packages);
    assert_eq!(rep.include, Some(vec!["a/*".to_owned()]));
    assert_eq!(rep.omit, Some(vec!["b/*".to_owned()]));
    assert_eq!(rep.partial_branches, ["no branch"]);
    assert_eq!(rep.partial_also, ["maybe"]);
    assert_eq!(rep.partial_branches_always, ["while 1:"]);
    assert_eq!(rep.precision, 2);
    assert_eq!(rep.contexts, Some(vec!["ctx1".to_owned()]));
    assert!(rep.show_missing && rep.skip_covered && rep.skip_empty);
    assert_eq!(rep.sort_key(), Some(("Cover", true)));

    assert_eq!(s.html.directory, "out/html");
    assert_eq!(s.html.extra_css.as_deref(), Some("extra.css"));
    assert!(s.html.show_contexts);
    assert_eq!(s.html.skip_covered, Some(false));
    assert_eq!(s.html.skip_empty, Some(true));
    assert_eq!(s.html.title, "My Title");
    assert_eq!((s.xml.output.as_str(), s.xml.package_depth), ("out.xml", 3));
    assert_eq!(s.json.output, "out.json");
    assert!(s.json.pretty_print && s.json.show_contexts);
    assert_eq!(s.lcov.output, "out.lcov");
    assert!(s.lcov.line_checksums);
    assert_eq!(
        s.paths,
        [
            (
                "source".to_owned(),
                vec!["src/".to_owned(), "/ci/*/src".to_owned()]
            ),
            ("other".to_owned(), vec!["a".to_owned(), "b".to_owned()]),
        ]
    );
    assert_eq!(s.plugin_options["my_plugin"]["option_a"], "1");
}

#[test]
fn bad_values_name_file_section_and_key() {
    let cases = [
        (
            "[coverage:report]\nprecision = abc\n",
            "[coverage:report] precision: invalid literal for int: 'abc'",
        ),
        (
            "[coverage:report]\nprecision = -1\n",
            "[coverage:report] precision: must be between 0 and 4294967295: -1",
        ),
        (
            "[coverage:report]\nfail_under = 9O\n",
            "[coverage:report] fail_under: could not convert string to float: '9O'",
        ),
        (
            "[coverage:run]\nbranch = maybe\n",
            "[coverage:run] branch: Not a boolean: maybe",
        ),
        (
            "[coverage:html]\nskip_empty = 2\n",
            "[coverage:html] skip_empty: Not a boolean: 2",
        ),
        (
            "[coverage:xml]\npackage_depth = 1.5\n",
            "[coverage:xml] package_depth: invalid literal for int: '1.5'",
        ),
        (
            "[coverage:report]\nsort = Size\n",
            "[coverage:report] sort: Invalid sorting option: 'Size'",
        ),
        (
            "[coverage:run]\ndata_file = ${NOPE?}\n",
            "[coverage:run] data_file: Variable NOPE is undefined: '${NOPE?}'",
        ),
    ];
    for (text, want) in cases {
        let p = Project::new().file("setup.cfg", text);
        let path = p.path().join("setup.cfg");
        assert_eq!(p.error(), format!("{}: {want}", path.display()), "{text}");
    }
}

#[test]
fn bad_toml_values_name_file_section_and_key() {
    let cases = [
        (
            "[tool.coverage.run]\nbranch = 1\n",
            "[tool.coverage.run] branch: not a boolean: 1",
        ),
        (
            "[tool.coverage.run]\nomit = \"a/*\"\n",
            "[tool.coverage.run] omit: not a list: 'a/*'",
        ),
        (
            "[tool.coverage.report]\nprecision = \"x\"\n",
            "[tool.coverage.report] precision: couldn't convert to an integer: 'x'",
        ),
        (
            "[tool.coverage.report]\nfail_under = true\n",
            "[tool.coverage.report] fail_under: not a float: True",
        ),
        (
            "[tool.coverage.html]\ntitle = 3\n",
            "[tool.coverage.html] title: not a string: 3",
        ),
    ];
    for (text, want) in cases {
        let p = Project::new().file("pyproject.toml", text);
        let path = p.path().join("pyproject.toml");
        assert_eq!(p.error(), format!("{}: {want}", path.display()), "{text}");
    }
}

#[test]
fn malformed_files_name_file_and_line() {
    let p = Project::new().file(".coveragerc", "[run]\nbranch = 1\nnot an option line\n");
    let path = p.path().join(".coveragerc");
    let err = p.error();
    assert!(
        err.starts_with(&format!("{}: line 3: ", path.display())),
        "{err}"
    );

    let p = Project::new().file(".coveragerc", "[run]\nbranch = 1\n[run]\n");
    assert!(p.error().contains("line 3: section 'run' already exists"));

    let p = Project::new().file("tox.ini", "[coverage:run]\nomit = a\nOMIT = b\n");
    assert!(
        p.error()
            .contains("line 3: option 'omit' in section 'coverage:run' already exists")
    );

    let p = Project::new().file("pyproject.toml", "[tool.coverage.run]\nbranch = \n");
    let err = p.error();
    assert!(
        err.starts_with(&format!(
            "{}: line 2: ",
            p.path().join("pyproject.toml").display()
        )),
        "{err}"
    );
}

#[test]
fn unknown_keys_warn_with_coverage_wording() {
    let p = Project::new().file(
        ".coveragerc",
        "[run]\nbranch = 1\nfoo = 2\n[report]\nbar = 1\n[paths]\nanything = x\n[custom]\nz = 1\n",
    );
    let c = p.load();
    assert_eq!(
        c.warnings,
        [
            "Unrecognized option '[run] foo=' in config file .coveragerc",
            "Unrecognized option '[report] bar=' in config file .coveragerc",
        ]
    );

    let p = Project::new().file("setup.cfg", "[coverage:run]\nbrnch = 1\nbranch = 1\n");
    assert_eq!(
        p.load().warnings,
        ["Unrecognized option '[coverage:run] brnch=' in config file setup.cfg"]
    );

    let p = Project::new().file(
        "pyproject.toml",
        "[tool.coverage.run]\nbranch = true\nfoo = 1\n",
    );
    assert_eq!(
        p.load().warnings,
        ["Unrecognized option '[tool.coverage.run] foo=' in config file pyproject.toml"]
    );
}

#[test]
fn env_expansion_in_ini_and_toml() {
    let p = Project::new().env("SRC", "/abs/src").env("PREC", "3").file(
        ".coveragerc",
        "[run]\nsource = $SRC, ${OTHER-/dflt}\n[report]\nprecision = $PREC\ntitle = $$notvar\n",
    );
    let c = p.load();
    assert_eq!(
        c.settings.run.source,
        Some(vec!["/abs/src".to_owned(), "/dflt".to_owned()])
    );
    assert_eq!(c.settings.report.precision, 3);

    let p = Project::new()
        .env("SRC", "/abs/src")
        .file("pyproject.toml", "[tool.coverage.run]\nsource = [\"$SRC\"]\ndata_file = \"${SRC}/.cov\"\n[tool.coverage.html]\ntitle = \"cost $$5\"\n");
    let c = p.load();
    assert_eq!(c.settings.run.source, Some(vec!["/abs/src".to_owned()]));
    assert_eq!(c.settings.run.data_file, "/abs/src/.cov");
    assert_eq!(c.settings.html.title, "cost $5");
}

#[test]
fn environment_overrides_after_file() {
    let p = Project::new()
        .file(
            ".coveragerc",
            "[run]\ndata_file = from_file\ndebug = config\ncore = ctrace\n",
        )
        .env("COVERAGE_FILE", "from_env")
        .env("COVERAGE_DEBUG", "trace, pathmap")
        .env("COVERAGE_CORE", "sysmon");
    let r = p.load().settings.run;
    assert_eq!(r.data_file, "from_env");
    assert_eq!(r.debug, ["config", "trace", "pathmap"]);
    assert_eq!(r.core.as_deref(), Some("sysmon"));
}

#[test]
fn patch_subprocess_implies_parallel_and_concurrency_is_checked() {
    let p = Project::new().file(".coveragerc", "[run]\npatch = subprocess\n");
    assert!(p.load().settings.run.parallel);
    let p = Project::new().file(".coveragerc", "[run]\nconcurrency = gevent, eventlet\n");
    assert_eq!(
        p.error(),
        "Conflicting concurrency settings: eventlet, gevent"
    );
}

#[test]
fn plugin_sections_only_for_listed_plugins() {
    let p = Project::new().file(
        "pyproject.toml",
        "[tool.coverage.run]\nplugins = [\"django_coverage_plugin\"]\n[tool.coverage.django_coverage_plugin]\ntemplate_extensions = \"html, txt\"\nflag = true\n[tool.coverage.unlisted]\nx = 1\n",
    );
    let s = p.load().settings;
    let opts = &s.plugin_options["django_coverage_plugin"];
    assert_eq!(opts["template_extensions"], "html, txt");
    assert_eq!(opts["flag"], "true");
    assert!(!s.plugin_options.contains_key("unlisted"));
}
