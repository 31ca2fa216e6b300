//! The HTML report: coverage.py 7.17's site layout (`index.html`, `function_index.html`,
//! `class_index.html`, one page per source file under coverage.py's file names, hashed static
//! files, `status.json`, a `.gitignore` in a new directory) showing coverage.py's facts, with
//! pages, style and script of our own.
//!
//! A page whose source, measured data, neighbours and settings are those recorded in
//! `status.json` last time is not written again; the caller can even skip analysing such a file
//! (see [`Reuse`]): the record holds its index rows.

mod assets;
mod contexts;
mod disk;
mod index;
mod page;
mod render;
mod reuse;
mod single;
mod status;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::ReportError;
use crate::annotate::flat_rootname;
use crate::file::FileInput;
use crate::numbers::Numbers;
use index::{IndexKind, IndexPage, Row, Skips};
pub use reuse::{KeptFile, Recorded, Reuse, input_hash};
use status::{FileStatus, IndexEntry, Status, StatusNumbers, StoredRow};

/// A piece of a highlighted line: its token class (`None` for whitespace) and its text.
pub type TokenPiece = (Option<&'static str>, String);

/// Splits a source text into highlighted lines (the analysis crate's `source_token_lines`).
pub type Highlighter<'a> = &'a (dyn Fn(&str) -> Vec<Vec<TokenPiece>> + Sync);

/// Analyses a kept file after all, when its page must be written again (its neighbours changed).
pub type Reanalyse<'a> = &'a (dyn Fn(&KeptFile) -> Result<FileInput, ReportError> + Sync);

/// How to write the site.
#[derive(Clone, Debug)]
pub struct HtmlOptions {
    /// The directory to write, created if needed.
    pub directory: PathBuf,
    pub title: String,
    /// A style sheet of the user's, copied into the site and linked after ours.
    pub extra_css: Option<PathBuf>,
    pub skip_covered: bool,
    pub skip_empty: bool,
    pub precision: u32,
    /// Show the contexts of each line (from [`FileInput::contexts`]).
    pub show_contexts: bool,
    /// ferrocov's version, shown on the pages and recorded in `status.json`.
    pub version: String,
    /// Everything else the pages' content depends on (the configuration, the Python version):
    /// when it changes, every page is written again.
    pub fingerprint: String,
    /// Write the whole report as this one self-contained file instead of the directory (which
    /// is then not touched).
    pub single_file: Option<PathBuf>,
}

/// What a run wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HtmlSummary {
    /// The index page.
    pub index: PathBuf,
    /// Source pages written, and left as they were because nothing they show had changed.
    pub pages_written: usize,
    pub pages_kept: usize,
    /// Files the caller had kept unanalysed that had to be analysed after all.
    pub reanalysed: usize,
}

/// Where a reported file's facts come from.
enum Facts<'a> {
    Analysed(&'a FileInput, crate::Narrowed),
    Kept(&'a KeptFile),
}

/// A file that gets a page.
struct Reported<'a> {
    facts: Facts<'a>,
    display_name: &'a str,
    numbers: Numbers,
    rootname: String,
    page: String,
    /// The hash of its inputs (see [`input_hash`]).
    input: String,
}

/// The analysed and the kept files, in the order of their paths (each list is in that order).
fn merged<'a>(files: &'a [FileInput], kept: &'a [KeptFile]) -> Vec<Facts<'a>> {
    let mut out = Vec::with_capacity(files.len() + kept.len());
    let (mut f, mut k) = (files.iter().peekable(), kept.iter().peekable());
    loop {
        let take_file = match (f.peek(), k.peek()) {
            (Some(a), Some(b)) => a.path <= b.path,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_file {
            if let Some(file) = f.next() {
                out.push(Facts::Analysed(file, file.whole()));
            }
        } else if let Some(kept) = k.next() {
            out.push(Facts::Kept(kept));
        }
    }
    out
}

/// The identity of an analysed file's inputs: the caller's, or one made from its facts.
fn input_of(file: &FileInput) -> String {
    file.input_hash.clone().unwrap_or_else(|| {
        let data = match &file.branches {
            Some(facts) => format!("{:?}", facts.executed_arcs),
            None => format!("{:?}", file.executed),
        };
        input_hash(file.text.as_bytes(), &data, &file.display_name)
    })
}

/// The user's extra style sheet: its name and content.
fn extra_css(options: &HtmlOptions) -> Result<Option<(String, Vec<u8>)>, ReportError> {
    let Some(path) = &options.extra_css else {
        return Ok(None);
    };
    let bytes = std::fs::read(path).map_err(|err| {
        ReportError::Html(format!("cannot read extra_css {}: {err}", path.display()))
    })?;
    let name = path.file_name().map_or_else(
        || "extra.css".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(Some((name, bytes)))
}

/// What every page depends on besides its own inputs: a change rewrites every page.
fn globals(options: &HtmlOptions, has_arcs: bool) -> Result<String, ReportError> {
    let css = extra_css(options)?;
    let statics = assets::names(css.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())));
    Ok(globals_of(options, has_arcs, &statics))
}

fn globals_of(options: &HtmlOptions, has_arcs: bool, statics: &assets::Statics) -> String {
    let settings = format!(
        "{has_arcs} {} {} {statics:?}",
        options.precision, options.show_contexts
    );
    status::digest(
        [
            options.fingerprint.as_bytes(),
            options.title.as_bytes(),
            settings.as_bytes(),
        ]
        .into_iter()
        .chain(render::TEMPLATE_TEXT.iter().map(|t| t.as_bytes())),
    )
}

/// The files that get a page, in order, and the pages of those that no longer do.
struct Plan<'a> {
    has_arcs: bool,
    skips: Skips,
    file_index: IndexPage,
    reported: Vec<Reported<'a>>,
    /// Pages of files `skip_covered`/`skip_empty` leave out.
    skipped: Vec<String>,
}

fn plan<'a>(files: &'a [FileInput], kept: &'a [KeptFile], options: &HtmlOptions) -> Plan<'a> {
    let has_arcs = FileInput::any_branches(files) || kept.iter().any(|k| k.has_arcs);
    let skips = Skips {
        covered: options.skip_covered,
        empty: options.skip_empty,
    };
    let mut file_index = IndexPage::new(IndexKind::Files);
    let mut reported = Vec::new();
    let mut skipped = Vec::new();
    for facts in merged(files, kept) {
        let (display_name, numbers, input) = match &facts {
            Facts::Analysed(file, whole) => {
                (file.display_name.as_str(), whole.numbers(), input_of(file))
            }
            Facts::Kept(k) => (k.display_name.as_str(), k.numbers(), k.status.input.clone()),
        };
        let rootname = flat_rootname(display_name);
        let page = format!("{rootname}.html");
        if file_index.admit(numbers, skips) {
            reported.push(Reported {
                facts,
                display_name,
                numbers,
                rootname,
                page,
                input,
            });
        } else {
            skipped.push(page);
        }
    }
    Plan {
        has_arcs,
        skips,
        file_index,
        reported,
        skipped,
    }
}

/// What rendering pages needs besides each page's own facts.
struct Renderer<'a> {
    env: minijinja::Environment<'static>,
    common: render::Common<'a>,
    highlighter: Highlighter<'a>,
    reanalyse: Reanalyse<'a>,
    show_contexts: bool,
}

impl Renderer<'_> {
    /// The page of `r`, the `i`th reported file; says whether its file had to be analysed.
    fn source_page(
        &self,
        reported: &[Reported<'_>],
        i: usize,
    ) -> Result<(String, bool), ReportError> {
        let r = &reported[i];
        let again;
        let (file, whole, reanalysed) = match &r.facts {
            Facts::Analysed(file, whole) => (*file, whole, false),
            Facts::Kept(k) => {
                let file = (self.reanalyse)(k)?;
                let whole = file.whole();
                again = (file, whole);
                (&again.0, &again.1, true)
            }
        };
        let source = file.source();
        let tokens = (self.highlighter)(&source);
        let lines = page::line_facts(file, whole, tokens.len(), self.show_contexts);
        let labels = file.contexts.as_ref().filter(|_| self.show_contexts);
        let html = render::source_page(
            &self.env,
            &self.common,
            r.display_name,
            &r.numbers,
            &lines,
            &render::highlight(&tokens),
            neighbours(reported, i),
            labels.map(|c| c.labels.as_slice()),
        )?;
        Ok((html, reanalysed))
    }

    /// The index pages, the file index first.
    fn index_pages(
        &self,
        plan: Plan<'_>,
        all_rows: &[Vec<(IndexKind, Row)>],
        title: &str,
    ) -> Result<Vec<(IndexKind, render::Pieces)>, ReportError> {
        let Plan {
            skips,
            mut file_index,
            reported,
            ..
        } = plan;
        for r in &reported {
            file_index.rows.push(Row {
                url: r.page.clone(),
                file: r.display_name.to_owned(),
                region: None,
                numbers: r.numbers,
            });
        }
        let mut pages = vec![file_index];
        if !reported.is_empty() {
            for kind in [IndexKind::Functions, IndexKind::Classes] {
                let mut region_index = IndexPage::new(kind);
                for rows in all_rows {
                    region_index.add_rows(rows, skips);
                }
                pages.push(region_index);
            }
        }
        let kinds: Vec<IndexKind> = pages.iter().map(|p| p.kind).collect();
        let (first_html, final_html) = match (reported.first(), reported.last()) {
            (Some(first), Some(last)) => (first.page.as_str(), last.page.as_str()),
            _ => ("index.html", "index.html"),
        };
        let ctx = render::IndexContext {
            title,
            kinds: &kinds,
            skip_covered: skips.covered,
            first_html,
            final_html,
        };
        pages
            .par_iter()
            .map(|page| {
                let html = render::index_page(&self.env, &self.common, &ctx, page)?;
                Ok((page.kind, html))
            })
            .collect()
    }
}

/// A reported file's function and class rows.
fn region_rows_of(r: &Reported<'_>) -> Vec<(IndexKind, Row)> {
    match &r.facts {
        Facts::Analysed(file, whole) => index::region_rows(file, whole, &r.page),
        Facts::Kept(k) => k.region_rows(),
    }
}

fn created_now() -> String {
    jiff::ZonedDateTime::now()
        .strftime("%Y-%m-%d %H:%M %z")
        .to_string()
}

/// Writes the site for the analysed `files` and the `kept` ones (both sorted by path) into
/// `options.directory`, or into the one file `options.single_file` names.
pub fn write_site(
    files: &[FileInput],
    kept: &[KeptFile],
    options: &HtmlOptions,
    highlighter: Highlighter<'_>,
    reanalyse: Reanalyse<'_>,
) -> Result<HtmlSummary, ReportError> {
    if files.is_empty() && kept.is_empty() {
        return Err(ReportError::NoData);
    }
    if let Some(path) = &options.single_file {
        return single::write(files, kept, options, path, highlighter, reanalyse);
    }
    let directory = &options.directory;
    let plan = plan(files, kept, options);
    let css = extra_css(options)?;
    let statics = assets::names(css.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())));
    let globals = globals_of(options, plan.has_arcs, &statics);
    // The last run's record, for the analysed files (a kept file carries its own): read
    // before the directory is touched, and only when some file was analysed.
    let previous = if files.is_empty() {
        None
    } else {
        Status::read(directory, &options.version, &globals)
    };
    let was_empty = disk::prepare_directory(directory)?;
    if was_empty {
        disk::write_file(
            &directory.join(".gitignore"),
            b"# Written by ferrocov: a generated report, not sources.\n*\n",
        )?;
    }
    // Until this run is complete the directory must neither look like a finished site nor
    // vouch for its pages: a run stopped half-way leaves no index page, and no record that a
    // later run could take as proof that a page it half-rewrote is still the old one.
    disk::remove_if_present(&directory.join("status.json"))?;
    disk::remove_if_present(&directory.join("index.html"))?;
    for page in &plan.skipped {
        // A page left from an earlier run would still be reachable by its old links.
        disk::remove_if_present(&directory.join(page))?;
    }
    assets::write(
        directory,
        css.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
    )?;
    let mut status = Status::new(&options.version, globals);

    let created = created_now();
    let renderer = Renderer {
        env: render::environment(),
        common: render::Common {
            statics: &statics,
            has_arcs: plan.has_arcs,
            precision: options.precision,
            version: &options.version,
            created: &created,
        },
        highlighter,
        reanalyse,
        show_contexts: options.show_contexts,
    };
    let reported = &plan.reported;
    type Outcome = (String, bool, bool, Vec<(IndexKind, Row)>);
    let outcomes: Vec<Result<Outcome, ReportError>> = reported
        .par_iter()
        .enumerate()
        .map(|(i, r)| -> Result<Outcome, ReportError> {
            let (prev, next) = neighbours(reported, i);
            let hash = status::digest([r.input.as_bytes(), prev.as_bytes(), next.as_bytes()]);
            let recorded = match &r.facts {
                Facts::Kept(k) => Some(k.status.as_ref()),
                Facts::Analysed(..) => previous.as_ref().and_then(|p| p.files.get(&r.rootname)),
            };
            let rows = region_rows_of(r);
            if recorded.is_some_and(|f| f.hash == hash) && directory.join(&r.page).is_file() {
                return Ok((hash, false, false, rows));
            }
            let (html, reanalysed) = renderer.source_page(reported, i)?;
            disk::write_file(&directory.join(&r.page), html.as_bytes())?;
            Ok((hash, true, reanalysed, rows))
        })
        .collect();
    let mut summary = HtmlSummary {
        index: directory.join("index.html"),
        ..HtmlSummary::default()
    };
    let mut all_rows = Vec::with_capacity(reported.len());
    for (r, outcome) in reported.iter().zip(outcomes) {
        let (hash, written, reanalysed, rows) = outcome?;
        if written {
            summary.pages_written += 1;
        } else {
            summary.pages_kept += 1;
        }
        summary.reanalysed += usize::from(reanalysed);
        let stored = rows
            .iter()
            .map(|(kind, row)| StoredRow {
                kind: kind.noun().to_owned(),
                url: row.url.clone(),
                region: row.region.clone(),
                nums: StatusNumbers::new(row.numbers, options.precision),
            })
            .collect();
        status.files.insert(
            r.rootname.clone(),
            FileStatus {
                hash,
                index: IndexEntry {
                    url: r.page.clone(),
                    file: r.display_name.to_owned(),
                    description: String::new(),
                    nums: StatusNumbers::new(r.numbers, options.precision),
                },
                input: r.input.clone(),
                regions: stored,
            },
        );
        all_rows.push(rows);
    }
    let (pages, record) = rayon::join(
        || renderer.index_pages(plan, &all_rows, &options.title),
        || disk::stage(&directory.join("status.json"), |out| status.write_json(out)),
    );
    // The file index, then the record, last: a site with an index.html is complete, and a
    // status.json vouches only for pages this run finished.
    let record = record?;
    for (kind, html) in pages?.iter().rev() {
        disk::write_parts(&directory.join(kind.file_name()), html.parts())?;
    }
    record.commit()?;
    Ok(summary)
}

/// The pages before and after the `i`th: the index page at both ends.
fn neighbours<'a>(reported: &'a [Reported<'_>], i: usize) -> (&'a str, &'a str) {
    let prev = match i.checked_sub(1) {
        Some(before) => reported[before].page.as_str(),
        None => "index.html",
    };
    let next = reported
        .get(i + 1)
        .map_or("index.html", |r| r.page.as_str());
    (prev, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn plain(text: &str) -> Vec<Vec<TokenPiece>> {
        text.lines()
            .map(|line| vec![(Some("nam"), line.to_owned())])
            .collect()
    }

    fn no_reanalysis(_: &KeptFile) -> Result<FileInput, ReportError> {
        panic!("nothing was kept")
    }

    fn options(directory: &Path) -> HtmlOptions {
        HtmlOptions {
            directory: directory.to_owned(),
            title: "T".into(),
            extra_css: None,
            skip_covered: false,
            skip_empty: false,
            precision: 0,
            show_contexts: false,
            version: "0.0".into(),
            fingerprint: String::new(),
            single_file: None,
        }
    }

    fn file(name: &str, executed: &[u32]) -> FileInput {
        FileInput {
            path: format!("/p/{name}"),
            display_name: name.into(),
            statements: [1, 2].into(),
            executed: executed.iter().copied().collect(),
            text: "a = 1\nb = 2\n".into(),
            ..FileInput::default()
        }
    }

    #[test]
    fn site_layout_and_incremental_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("htmlcov");
        let files = [file("m.py", &[1, 2]), file("pkg/n.py", &[1])];
        let summary = write_site(&files, &[], &options(&site), &plain, &no_reanalysis).unwrap();
        assert_eq!((summary.pages_written, summary.pages_kept), (2, 0));
        let mut names: Vec<String> = std::fs::read_dir(&site)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.contains("_cb_"))
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".gitignore",
                "class_index.html",
                "function_index.html",
                "index.html",
                "m_py.html",
                "status.json",
                "z_8580997e71e7a198_n_py.html"
            ]
        );
        let page = std::fs::read_to_string(site.join("m_py.html")).unwrap();
        assert!(
            page.contains("<title>Coverage for m.py: 100%</title>"),
            "{page}"
        );
        assert!(page.contains(r#"href="z_8580997e71e7a198_n_py.html""#));
        // Nothing changed: no page is written; one file's data changed: its page only.
        let summary = write_site(&files, &[], &options(&site), &plain, &no_reanalysis).unwrap();
        assert_eq!((summary.pages_written, summary.pages_kept), (0, 2));
        let files = [file("m.py", &[1, 2]), file("pkg/n.py", &[1, 2])];
        let summary = write_site(&files, &[], &options(&site), &plain, &no_reanalysis).unwrap();
        assert_eq!((summary.pages_written, summary.pages_kept), (1, 1));
        let index = std::fs::read_to_string(site.join("index.html")).unwrap();
        assert!(index.contains("<title>T</title>"), "{index}");
    }

    #[test]
    fn a_run_failing_half_way_leaves_nothing_to_trust() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("htmlcov");
        let before = [file("m.py", &[1]), file("pkg/n.py", &[1])];
        write_site(&before, &[], &options(&site), &plain, &no_reanalysis).unwrap();
        // The next run's data: one of its pages cannot be written.
        let blocked = site.join("z_8580997e71e7a198_n_py.html");
        std::fs::remove_file(&blocked).unwrap();
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("x"), "").unwrap();
        let after = [file("m.py", &[1, 2]), file("pkg/n.py", &[1, 2])];
        let err = write_site(&after, &[], &options(&site), &plain, &no_reanalysis).unwrap_err();
        assert!(err.to_string().contains("_n_py.html"), "{err}");
        assert!(!site.join("index.html").exists() && !site.join("status.json").exists());
        // Back to the first data: m.py's page holds the failed run's data, and is rewritten.
        std::fs::remove_dir_all(&blocked).unwrap();
        let summary = write_site(&before, &[], &options(&site), &plain, &no_reanalysis).unwrap();
        assert_eq!((summary.pages_written, summary.pages_kept), (2, 0));
    }

    #[test]
    fn single_file_holds_every_page_and_nothing_else_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("htmlcov");
        let one = dir.path().join("out/report.html");
        let options = HtmlOptions {
            single_file: Some(one.clone()),
            ..options(&site)
        };
        let files = [file("m.py", &[1, 2]), file("pkg/n.py", &[1])];
        let summary = write_site(&files, &[], &options, &plain, &no_reanalysis).unwrap();
        assert_eq!((summary.pages_written, summary.index), (2, one.clone()));
        assert!(!site.exists());
        let text = std::fs::read_to_string(&one).unwrap();
        let pages: Vec<&str> = text
            .split("<template data-page=\"")
            .skip(1)
            .map(|t| &t[..t.find('"').unwrap()])
            .collect();
        assert_eq!(
            pages,
            [
                "index.html",
                "function_index.html",
                "class_index.html",
                "m_py.html",
                "z_8580997e71e7a198_n_py.html"
            ]
        );
        assert!(text.contains("data-title=\"Coverage for m.py: 100%\""));
        assert!(!text.contains("<link rel=\"stylesheet\"") && !text.contains("<script src"));
        assert_eq!(
            std::fs::read_dir(dir.path().join("out")).unwrap().count(),
            1
        );
    }
}
