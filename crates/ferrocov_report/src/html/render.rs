//! Turning page facts into HTML through the templates in `templates/` (minijinja, which
//! escapes every value unless it is marked safe): the template data for source pages and
//! index pages, and the highlighted markup of each source line.

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::assets::Statics;
use super::contexts::PageContexts;
use super::index::{IndexKind, IndexPage, Row};
use super::page::LineFacts;
use crate::ReportError;
use crate::numbers::{Numbers, display_covered};

/// The templates' own text, part of what decides whether a page must be rewritten.
pub(crate) const TEMPLATE_TEXT: [&str; 4] = [
    include_str!("templates/page.html"),
    include_str!("templates/index.html"),
    include_str!("templates/controls.html"),
    include_str!("templates/help.html"),
];

pub(crate) fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, text) in ["page.html", "index.html", "controls.html", "help.html"]
        .into_iter()
        .zip(TEMPLATE_TEXT)
    {
        // The texts are compiled into the binary and tested: they always parse.
        env.add_template(name, text)
            .unwrap_or_else(|err| panic!("template {name}: {err}"));
    }
    env
}

fn render(env: &Environment<'_>, name: &str, ctx: Value) -> Result<String, ReportError> {
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|err| ReportError::Template(format!("{err:#}")))
}

/// A `Numbers` as the index and page templates show it.
#[derive(Serialize)]
struct Cells {
    statements: usize,
    executed: usize,
    missing: usize,
    excluded: usize,
    branches: usize,
    partial: usize,
    pc: String,
    ratio: String,
    pc_statements: String,
    ratio_statements: String,
    pc_branches: String,
    ratio_branches: String,
}

impl Cells {
    /// `has_arcs`: whether the statement and branch columns are shown (left empty otherwise:
    /// formatting their percentages is most of an index row's cost).
    fn new(n: &Numbers, precision: u32, has_arcs: bool) -> Self {
        let executed_branches = n.executed_branches();
        let shown = |cell: &dyn Fn() -> String| if has_arcs { cell() } else { String::new() };
        Cells {
            statements: n.statements,
            executed: n.executed(),
            missing: n.missing,
            excluded: n.excluded,
            branches: n.branches,
            partial: n.partial_branches,
            pc: display_covered(n.percent(), precision),
            ratio: format!(
                "{} {}",
                n.executed() + executed_branches,
                n.statements + n.branches
            ),
            pc_statements: shown(&|| display_covered(n.percent_statements(), precision)),
            ratio_statements: shown(&|| format!("{} {}", n.executed(), n.statements)),
            pc_branches: shown(&|| display_covered(n.percent_branches(), precision)),
            ratio_branches: shown(&|| format!("{} {}", executed_branches, n.branches)),
        }
    }
}

/// What every page shows the same way.
pub(crate) struct Common<'a> {
    pub(crate) statics: &'a Statics,
    pub(crate) has_arcs: bool,
    pub(crate) precision: u32,
    pub(crate) version: &'a str,
    pub(crate) created: &'a str,
}

/// One source page; `labels`: the file's context labels, when the page shows contexts.
#[expect(clippy::too_many_arguments, reason = "the page's facts, each its own")]
pub(crate) fn source_page(
    env: &Environment<'_>,
    common: &Common<'_>,
    file: &str,
    numbers: &Numbers,
    lines: &[LineFacts],
    highlighted: &[String],
    (prev, next): (&str, &str),
    labels: Option<&[String]>,
) -> Result<String, ReportError> {
    let contexts = labels.map(|labels| PageContexts::new(labels, lines));
    let lines_html = source_lines(lines, highlighted, contexts.as_ref());
    let contexts_json = contexts
        .as_ref()
        .and_then(PageContexts::json)
        .map(Value::from_safe_string);
    render(
        env,
        "page.html",
        context! {
            page => "source",
            file,
            nums => Serde(Cells::new(numbers, common.precision, common.has_arcs)),
            lines => Value::from_safe_string(lines_html),
            prev,
            next,
            contexts_json,
            statics => Serde(common.statics),
            has_arcs => common.has_arcs,
            version => common.version,
            created => common.created,
        },
    )
}

#[derive(Serialize)]
struct Button {
    label: &'static str,
    url: &'static str,
    current: bool,
}

/// Everything an index page needs beyond its rows.
pub(crate) struct IndexContext<'a> {
    pub(crate) title: &'a str,
    /// The index pages the site has, for the buttons between them.
    pub(crate) kinds: &'a [IndexKind],
    pub(crate) skip_covered: bool,
    /// The first and last file pages, for `[` and `]`.
    pub(crate) first_html: &'a str,
    pub(crate) final_html: &'a str,
}

/// One index page.
pub(crate) fn index_page(
    env: &Environment<'_>,
    common: &Common<'_>,
    ctx: &IndexContext<'_>,
    page: &IndexPage,
) -> Result<Pieces, ReportError> {
    let buttons: Vec<Button> = ctx
        .kinds
        .iter()
        .map(|&kind| Button {
            label: kind.label(),
            url: kind.file_name(),
            current: kind == page.kind,
        })
        .collect();
    let mut notes = Vec::new();
    let noun = page.kind.noun();
    let plural = |n: usize| {
        if n == 1 {
            noun.to_owned()
        } else if page.kind == IndexKind::Classes {
            "classes".to_owned()
        } else {
            format!("{noun}s")
        }
    };
    if page.skipped_covered > 0 {
        let n = page.skipped_covered;
        notes.push(format!("{n} fully covered {} not listed.", plural(n)));
    }
    if page.skipped_empty > 0 {
        let n = page.skipped_empty;
        notes.push(format!("{n} {} with no statements not listed.", plural(n)));
    }
    let region_heading = match page.kind {
        IndexKind::Files => None,
        _ => Some(noun),
    };
    let region_plural = match page.kind {
        IndexKind::Classes => "classes",
        _ => "functions",
    };
    let rows = index_rows(page, region_plural, common);
    // The rows (megabytes of them) are spliced in after rendering rather than handed to the
    // template, which would copy them twice. The marker is markup no value can render as:
    // every value the template shows is escaped or ours.
    let frame = render(
        env,
        "index.html",
        context! {
            page => "index",
            title => ctx.title,
            noun,
            region_heading => Serde(region_heading),
            rows => Value::from_safe_string(ROWS_MARKER.to_owned()),
            totals => Serde(Cells::new(&page.totals, common.precision, common.has_arcs)),
            buttons => Serde(buttons),
            notes => Serde(notes),
            skip_covered => ctx.skip_covered,
            first_html => ctx.first_html,
            final_html => ctx.final_html,
            statics => Serde(common.statics),
            has_arcs => common.has_arcs,
            version => common.version,
            created => common.created,
        },
    )?;
    let Some((head, tail)) = frame.split_once(ROWS_MARKER) else {
        return Err(ReportError::Template(
            "the index template shows no rows".to_owned(),
        ));
    };
    let mut parts = Vec::with_capacity(rows.len() + 2);
    parts.push(head.to_owned());
    parts.extend(rows);
    parts.push(tail.to_owned());
    Ok(Pieces(parts))
}

/// A page as consecutive pieces of text: a big index is written piece by piece rather than
/// copied into one string first.
#[derive(Debug, Default)]
pub(crate) struct Pieces(Vec<String>);

impl Pieces {
    pub(crate) fn len(&self) -> usize {
        self.0.iter().map(String::len).sum()
    }

    pub(crate) fn parts(&self) -> impl Iterator<Item = &[u8]> {
        self.0.iter().map(String::as_bytes)
    }

    pub(crate) fn push_to(&self, out: &mut String) {
        self.0.iter().for_each(|part| out.push_str(part));
    }
}

const ROWS_MARKER: &str = "<!--ferrocov:index-rows-->";

/// The rows of an index page, `<tr>` by `<tr>`, one string per run of rows. Built here rather
/// than in the template for the reason [`source_lines`] is: a site of 5,000 files has some
/// 50,000 function rows, formatted in parallel.
fn index_rows(page: &IndexPage, region_plural: &str, common: &Common<'_>) -> Vec<String> {
    use rayon::prelude::*;
    const RUN: usize = 1024;
    page.rows
        .par_chunks(RUN)
        .enumerate()
        .map(|(run, rows)| {
            let mut out = String::with_capacity(rows.len() * 400);
            for (i, row) in rows.iter().enumerate() {
                if run > 0 || i > 0 {
                    out.push('\n');
                }
                index_row(&mut out, page.kind, row, region_plural, common);
            }
            out
        })
        .collect()
}

fn index_row(
    out: &mut String,
    kind: IndexKind,
    row: &Row,
    region_plural: &str,
    common: &Common<'_>,
) {
    use std::fmt::Write as _;
    let n = &row.numbers;
    let covered = n.missing == 0 && n.partial_branches == 0;
    out.push_str(if covered {
        "<tr class=\"row covered\">\n"
    } else {
        "<tr class=\"row\">\n"
    });
    let mut url = String::new();
    escape_into(&mut url, &row.url);
    let mut file = String::new();
    escape_into(&mut file, &row.file);
    let _ = write!(
        out,
        "<td class=\"name\" data-sort=\"{file}\"><a href=\"{url}\">{file}</a></td>"
    );
    if kind != IndexKind::Files {
        match &row.region {
            None => {
                let _ = write!(
                    out,
                    "\n<td class=\"name\" data-sort=\"\"><a class=\"outside\" href=\"{url}\">(outside {region_plural})</a></td>"
                );
            }
            Some(region) => {
                out.push_str("\n<td class=\"name\" data-sort=\"");
                escape_into(out, &row.sort_name());
                let _ = write!(out, "\"><a href=\"{url}\">");
                escape_into(out, region);
                out.push_str("</a></td>");
            }
        }
    }
    let n = Cells::new(n, common.precision, common.has_arcs);
    if common.has_arcs {
        let _ = write!(
            out,
            "\n<td class=\"count\" data-ratio=\"{}\">{}%</td>",
            n.ratio_statements, n.pc_statements
        );
    }
    let _ = write!(
        out,
        "\n<td class=\"count\">{}</td>\n<td class=\"count\">{}</td>\n<td class=\"count\">{}</td>",
        n.statements, n.missing, n.excluded
    );
    if common.has_arcs {
        let _ = write!(
            out,
            "\n<td class=\"count\" data-ratio=\"{}\">{}%</td>\n<td class=\"count\">{}</td>\n<td class=\"count\">{}</td>",
            n.ratio_branches, n.pc_branches, n.branches, n.partial
        );
    }
    let _ = write!(
        out,
        "\n<td class=\"count pc\" data-ratio=\"{}\">{}%</td>\n</tr>",
        n.ratio, n.pc
    );
}

/// Every line of a source page: `<p id="tN" class="CATEGORY">`, the line number linking to
/// itself, the highlighted text and any partial-branch annotation. Built here rather than in
/// the template: it is the one loop over every line of every file, and a template loop pays an
/// interpreted step per value for markup that never varies.
pub(crate) fn source_lines(
    lines: &[LineFacts],
    highlighted: &[String],
    contexts: Option<&PageContexts>,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(highlighted.iter().map(|h| h.len() + 80).sum());
    for (i, facts) in lines.iter().enumerate() {
        let n = facts.number;
        let html = highlighted.get(i).map_or("", String::as_str);
        let _ = write!(
            out,
            "<p id=\"t{n}\" class=\"{}\"><a class=\"n\" href=\"#t{n}\">{n}</a><span class=\"t\">{html}</span>",
            facts.category.css()
        );
        if !facts.short.is_empty() {
            out.push_str("<span class=\"ann\"><span class=\"short\">");
            for (j, to) in facts.short.iter().enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{n}&#8239;&#8603;&#8239;");
                escape_into(&mut out, to);
            }
            out.push_str("</span><span class=\"long\">");
            escape_into(&mut out, &facts.long.join("; "));
            out.push_str("</span></span>");
        }
        if let Some(contexts) = contexts {
            contexts.line_markup(&mut out, n, &facts.contexts);
        }
        out.push_str("</p>\n");
    }
    out
}

/// The markup of each line: every token in a `<span>` of its class, whitespace as text.
pub(crate) fn highlight(lines: &[Vec<(Option<&'static str>, String)>]) -> Vec<String> {
    lines
        .iter()
        .map(|pieces| {
            let mut html = String::new();
            for (class, text) in pieces {
                match class {
                    Some(class) => {
                        html.push_str("<span class=\"");
                        html.push_str(class);
                        html.push_str("\">");
                        escape_into(&mut html, text);
                        html.push_str("</span>");
                    }
                    None => escape_into(&mut html, text),
                }
            }
            html
        })
        .collect()
}

fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighted_lines_are_escaped() {
        let lines = vec![vec![
            (Some("nam"), "a".to_owned()),
            (None, " ".to_owned()),
            (Some("op"), "<".to_owned()),
            (Some("str"), "\"&\"".to_owned()),
        ]];
        assert_eq!(
            highlight(&lines),
            [
                "<span class=\"nam\">a</span> <span class=\"op\">&lt;</span><span class=\"str\">&quot;&amp;&quot;</span>"
            ]
        );
    }

    #[test]
    fn escaping_keeps_the_text_between_the_characters_it_replaces() {
        let mut out = String::new();
        escape_into(&mut out, "a<b>&\"c\"é&");
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&quot;é&amp;");
    }

    /// A big index is rendered in runs of rows on several threads and written as pieces: the
    /// page must be exactly what one pass over the rows gives, in order, each row once.
    #[test]
    fn a_big_index_is_one_page_of_rows_in_order() {
        let statics = Statics::default();
        let common = Common {
            statics: &statics,
            has_arcs: true,
            precision: 1,
            version: "0",
            created: "now",
        };
        let mut page = IndexPage::new(IndexKind::Functions);
        for i in 0..2_500usize {
            page.rows.push(Row {
                url: format!("m{i}.html#t{i}"),
                file: format!("pkg/m{i}.py"),
                region: (i % 3 != 0).then(|| format!("C.f_{i}")),
                numbers: Numbers {
                    files: 1,
                    statements: 10,
                    missing: i % 7,
                    branches: 4,
                    missing_branches: i % 3,
                    partial_branches: i % 2,
                    ..Numbers::default()
                },
            });
        }
        let kinds = [IndexKind::Files, IndexKind::Functions];
        let ctx = IndexContext {
            title: "T <&>",
            kinds: &kinds,
            skip_covered: false,
            first_html: "a.html",
            final_html: "b.html",
        };
        let pieces = index_page(&environment(), &common, &ctx, &page).unwrap();
        let mut html = String::new();
        pieces.push_to(&mut html);
        assert_eq!(html.len(), pieces.len());
        assert!(!html.contains(ROWS_MARKER));
        assert!(html.contains("T &lt;&amp;&gt;"));
        let mut one_pass = String::new();
        for (i, row) in page.rows.iter().enumerate() {
            if i > 0 {
                one_pass.push('\n');
            }
            index_row(&mut one_pass, page.kind, row, "functions", &common);
        }
        assert!(html.contains(&one_pass));
        assert_eq!(html.matches("<tr class=\"row").count(), 2_500);
        let at = |i: usize| html.find(&format!("\"m{i}.html#t{i}\"")).unwrap();
        assert!(at(1023) < at(1024) && at(1024) < at(2047) && at(2048) < at(2499));
    }

    #[test]
    fn templates_parse() {
        let env = environment();
        for name in ["page.html", "index.html"] {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }
}
