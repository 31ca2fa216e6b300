//! `--single-file`: the whole report as one self-contained HTML file, for CI artifacts and
//! mail. The style sheet, script and icon are inlined; every page of the site (the three
//! indexes, each source file's page), rendered as for the site, becomes a `<template
//! data-page="NAME">` in the head, and the script shows the one the address's fragment names:
//! `report.html#NAME`, or `report.html#NAME#tN` for a line, so pages keep the site's names.
//! Nothing is requested from anywhere else, and no other file is written.

use std::path::Path;

use rayon::prelude::*;

use super::{
    Highlighter, HtmlOptions, HtmlSummary, KeptFile, Reanalyse, Renderer, assets, disk,
    region_rows_of, render,
};
use crate::ReportError;
use crate::file::FileInput;

/// Writes the report for the analysed `files` and the `kept` ones into `path`.
pub(super) fn write(
    files: &[FileInput],
    kept: &[KeptFile],
    options: &HtmlOptions,
    path: &Path,
    highlighter: Highlighter<'_>,
    reanalyse: Reanalyse<'_>,
) -> Result<HtmlSummary, ReportError> {
    let plan = super::plan(files, kept, options);
    let css = super::extra_css(options)?;
    let statics = assets::names(css.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())));
    let created = super::created_now();
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
    let pages: Vec<Result<(String, bool), ReportError>> = (0..reported.len())
        .into_par_iter()
        .map(|i| renderer.source_page(reported, i))
        .collect();
    let all_rows: Vec<_> = reported.iter().map(region_rows_of).collect();
    let mut summary = HtmlSummary {
        index: path.to_owned(),
        ..HtmlSummary::default()
    };
    let mut sources = Vec::with_capacity(pages.len());
    for (r, page) in reported.iter().zip(pages) {
        let (html, reanalysed) = page?;
        summary.pages_written += 1;
        summary.reanalysed += usize::from(reanalysed);
        sources.push((r.page.clone(), html));
    }
    let indexes = renderer.index_pages(plan, &all_rows, &options.title)?;

    let size = sources.iter().map(|(_, h)| h.len()).sum::<usize>()
        + indexes.iter().map(|(_, h)| h.len()).sum::<usize>();
    let indexes: Vec<(super::index::IndexKind, String)> = indexes
        .into_iter()
        .map(|(kind, pieces)| {
            let mut html = String::with_capacity(pieces.len());
            pieces.push_to(&mut html);
            (kind, html)
        })
        .collect();
    let mut out = String::with_capacity(size + 64 * 1024);
    head(
        &mut out,
        &options.title,
        css.as_ref().map(|(_, b)| b.as_slice()),
    );
    let all = indexes
        .iter()
        .map(|(kind, html)| (kind.file_name(), html.as_str()))
        .chain(
            sources
                .iter()
                .map(|(name, html)| (name.as_str(), html.as_str())),
        );
    for (name, html) in all {
        template(&mut out, name, html);
    }
    out.push_str(
        "</head>\n<body class=\"single-file\">\n<noscript><p>This report shows its pages with \
         JavaScript: allow it for this file, or make the report as a directory \
         (<code>ferrocov html</code>).</p></noscript>\n</body>\n</html>\n",
    );
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|err| {
            ReportError::Html(format!(
                "cannot create the directory {}: {err}",
                parent.display()
            ))
        })?;
    }
    disk::write_file(path, out.as_bytes())?;
    Ok(summary)
}

/// The document's head up to the pages: title, icon, style and script, all inline.
fn head(out: &mut String, title: &str, extra_css: Option<&[u8]>) {
    let [style, script, icon] = assets::contents();
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    escape_into(out, title);
    out.push_str("</title>\n<link rel=\"icon\" href=\"data:image/svg+xml,");
    percent_encode_into(out, icon);
    out.push_str("\">\n");
    for css in std::iter::once(style).chain(extra_css) {
        out.push_str("<style>\n");
        out.push_str(&raw_text(css, "style"));
        out.push_str("</style>\n");
    }
    out.push_str("<script>\n");
    out.push_str(&raw_text(script, "script"));
    out.push_str("</script>\n");
}

/// One page as a template: its title and `<body>` attributes become `data-` attributes
/// (`class` as `data-body-class`), its body the template's content.
fn template(out: &mut String, name: &str, html: &str) {
    let title = between(html, "<title>", "</title>").unwrap_or("");
    let (attributes, body) = match html.find("<body") {
        Some(at) => {
            let rest = &html[at + "<body".len()..];
            let close = rest.find('>').unwrap_or(rest.len());
            let body = &rest[(close + 1).min(rest.len())..];
            let end = body.rfind("</body>").unwrap_or(body.len());
            (&rest[..close], &body[..end])
        }
        None => ("", html),
    };
    out.push_str("<template data-page=\"");
    escape_into(out, name);
    // The title is already escaped markup, and so are the attributes: both are ours.
    out.push_str("\" data-title=\"");
    out.push_str(title);
    out.push('"');
    out.push_str(&attributes.replacen(" class=\"", " data-body-class=\"", 1));
    out.push('>');
    out.push_str(body);
    out.push_str("</template>\n");
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

/// An asset's text made safe inside `<tag>`: a `</tag` in it would end the element early
/// (`<\/` means the same in CSS and in JavaScript strings, the only places it can occur).
fn raw_text(bytes: &[u8], tag: &str) -> String {
    let text = String::from_utf8_lossy(bytes);
    let closing = format!("</{tag}");
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest
        .as_bytes()
        .windows(closing.len())
        .position(|w| w.eq_ignore_ascii_case(closing.as_bytes()))
    {
        out.push_str(&rest[..at]);
        out.push_str("<\\/");
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

fn percent_encode_into(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~/:=;,".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
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
    fn a_page_becomes_a_template() {
        let mut out = String::new();
        let page = "<!DOCTYPE html>\n<html><head><title>Coverage for a.py: 50%</title></head>\n\
                    <body class=\"source-page\" data-prev=\"index.html\" data-next=\"b_py.html\">\n\
                    <main id=\"source\"><p id=\"t1\">x</p></main>\n</body>\n</html>\n";
        template(&mut out, "a_py.html", page);
        assert_eq!(
            out,
            "<template data-page=\"a_py.html\" data-title=\"Coverage for a.py: 50%\" \
             data-body-class=\"source-page\" data-prev=\"index.html\" data-next=\"b_py.html\">\n\
             <main id=\"source\"><p id=\"t1\">x</p></main>\n</template>\n"
        );
    }

    #[test]
    fn inlined_text_cannot_close_its_element() {
        assert_eq!(
            raw_text(b"a { content: \"</STYLE>\" }", "style"),
            "a { content: \"<\\/STYLE>\" }"
        );
        // The icon is percent-encoded into an attribute, not inlined as text.
        let [style, script, _icon] = assets::contents();
        for (bytes, tag) in [(style, "style"), (script, "script")] {
            assert_eq!(raw_text(bytes, tag).len(), bytes.len(), "{tag}");
        }
        let mut out = String::new();
        percent_encode_into(&mut out, b"<svg a=\"#1\">");
        assert_eq!(out, "%3Csvg%20a=%22%231%22%3E");
    }
}
