//! Turning page facts into HTML through the templates in `templates/` (minijinja, which
//! escapes every value unless it is marked safe): the template data for source pages and
//! index pages, and the highlighted markup of each source line.

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::assets::Statics;
use super::contexts::PageContexts;
use super::index::{IndexKind, IndexPage};
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
    fn new(n: &Numbers, precision: u32) -> Self {
        let executed_branches = n.executed_branches();
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
            pc_statements: display_covered(n.percent_statements(), precision),
            ratio_statements: format!("{} {}", n.executed(), n.statements),
            pc_branches: display_covered(n.percent_branches(), precision),
            ratio_branches: format!("{} {}", executed_branches, n.branches),
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
            nums => Serde(Cells::new(numbers, common.precision)),
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
) -> Result<String, ReportError> {
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
    render(
        env,
        "index.html",
        context! {
            page => "index",
            title => ctx.title,
            noun,
            region_heading => Serde(region_heading),
            rows => Value::from_safe_string(rows),
            totals => Serde(Cells::new(&page.totals, common.precision)),
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
    )
}

/// The rows of an index page, `<tr>` by `<tr>`. Built here rather than in the template for the
/// reason [`source_lines`] is: a site of 5,000 files has some 50,000 function rows.
fn index_rows(page: &IndexPage, region_plural: &str, common: &Common<'_>) -> String {
    use std::fmt::Write as _;
    let regions = page.kind != IndexKind::Files;
    let mut out = String::with_capacity(page.rows.len() * 400);
    for row in &page.rows {
        if !out.is_empty() {
            out.push('\n');
        }
        let covered = row.numbers.missing == 0 && row.numbers.partial_branches == 0;
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
        if regions {
            match &row.region {
                None => {
                    let _ = write!(
                        out,
                        "\n<td class=\"name\" data-sort=\"\"><a class=\"outside\" href=\"{url}\">(outside {region_plural})</a></td>"
                    );
                }
                Some(region) => {
                    out.push_str("\n<td class=\"name\" data-sort=\"");
                    escape_into(&mut out, &row.sort_name());
                    let _ = write!(out, "\"><a href=\"{url}\">");
                    escape_into(&mut out, region);
                    out.push_str("</a></td>");
                }
            }
        }
        let n = Cells::new(&row.numbers, common.precision);
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
    out
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
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
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
    fn templates_parse() {
        let env = environment();
        for name in ["page.html", "index.html"] {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }
}
