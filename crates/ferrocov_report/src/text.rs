//! The summary table of `coverage report`: text, markdown and total formats, with
//! coverage.py's column widths, sorting, skip footers and rounding.

use std::cmp::Ordering;
use std::io::Write;

use crate::colour;
use crate::error::ReportError;
use crate::file::FileInput;
use crate::numbers::Numbers;
use crate::pytext::{self, human_cmp};
use crate::ranges::format_lines;

/// `[report] format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextFormat {
    #[default]
    Text,
    Markdown,
    Total,
}

impl std::str::FromStr for TextFormat {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Self, ReportError> {
        match s {
            "" | "text" => Ok(TextFormat::Text),
            "markdown" => Ok(TextFormat::Markdown),
            "total" => Ok(TextFormat::Total),
            other => Err(ReportError::UnknownFormat(other.to_string())),
        }
    }
}

/// The `[report]` settings the table uses.
#[derive(Clone, Debug, Default)]
pub struct TextOptions {
    pub format: TextFormat,
    pub precision: u32,
    pub show_missing: bool,
    pub skip_covered: bool,
    pub skip_empty: bool,
    /// `--sort`: name, stmts, miss, cover, and with branches branch or brpart, optionally
    /// prefixed by `-` (descending) or `+`.
    pub sort: Option<String>,
    /// Colour the Cover cells of the text format (see [`colour::wanted`]); the other formats
    /// are never coloured.
    pub colour: bool,
    /// `fail_under`, when set: a Cover cell below it is red rather than yellow.
    pub fail_under: Option<f64>,
}

struct Row {
    name: String,
    numbers: Numbers,
    cover: String,
    missing: String,
}

#[derive(Clone, Copy)]
enum SortKey {
    Name,
    Stmts,
    Miss,
    Branch,
    BrPart,
    Cover,
}

fn parse_sort(sort: Option<&str>, branches: bool) -> Result<(SortKey, bool), ReportError> {
    let raw = sort.filter(|s| !s.is_empty()).unwrap_or("name");
    let lower = raw.to_lowercase();
    let (reverse, name) = match lower.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, lower.strip_prefix('+').unwrap_or(&lower)),
    };
    let key = match name {
        "name" => SortKey::Name,
        "stmts" => SortKey::Stmts,
        "miss" => SortKey::Miss,
        "cover" => SortKey::Cover,
        "branch" if branches => SortKey::Branch,
        "brpart" if branches => SortKey::BrPart,
        _ => return Err(ReportError::InvalidSort(raw.to_string())),
    };
    Ok((key, reverse))
}

fn compare(a: &Row, b: &Row, key: SortKey) -> Ordering {
    let by_name = || a.name.cmp(&b.name);
    match key {
        // human_sorted_items: the human key, then the other columns.
        SortKey::Name => human_cmp(&a.name, &b.name)
            .then(a.numbers.statements.cmp(&b.numbers.statements))
            .then(a.numbers.missing.cmp(&b.numbers.missing))
            .then(a.numbers.branches.cmp(&b.numbers.branches))
            .then(a.numbers.partial_branches.cmp(&b.numbers.partial_branches))
            .then_with(|| a.cover.cmp(&b.cover))
            .then_with(|| a.missing.cmp(&b.missing)),
        SortKey::Stmts => a
            .numbers
            .statements
            .cmp(&b.numbers.statements)
            .then_with(by_name),
        SortKey::Miss => a.numbers.missing.cmp(&b.numbers.missing).then_with(by_name),
        SortKey::Branch => a
            .numbers
            .branches
            .cmp(&b.numbers.branches)
            .then_with(by_name),
        SortKey::BrPart => a
            .numbers
            .partial_branches
            .cmp(&b.numbers.partial_branches)
            .then_with(by_name),
        SortKey::Cover => a
            .numbers
            .percent()
            .partial_cmp(&b.numbers.percent())
            .unwrap_or(Ordering::Equal)
            .then_with(by_name),
    }
}

fn plural(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("{n} {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// Writes `line` without trailing whitespace, then a newline (coverage.py's `write`).
fn write_line<W: Write>(out: &mut W, line: &str) -> std::io::Result<()> {
    out.write_all(line.trim_end().as_bytes())?;
    out.write_all(b"\n")
}

/// Writes the report for `files` and returns the total percentage (`pc_covered`), which
/// the caller compares with `fail_under`.
pub fn write_report<W: Write>(
    files: &[FileInput],
    options: &TextOptions,
    out: &mut W,
) -> Result<f64, ReportError> {
    if files.is_empty() {
        return Err(ReportError::NoData);
    }
    let branches = FileInput::any_branches(files);
    let mut total = Numbers::default();
    let mut skipped = 0;
    let mut empty = 0;
    let mut rows = Vec::new();
    for file in files {
        let analysis = file.whole();
        let numbers = analysis.numbers();
        total += numbers;
        if options.skip_covered && numbers.missing == 0 && numbers.partial_branches == 0 {
            skipped += 1;
        } else if options.skip_empty && numbers.statements == 0 {
            empty += 1;
        } else {
            rows.push(Row {
                name: pytext::neutralize_control(&file.display_name).into_owned(),
                numbers,
                cover: numbers.display_percent(options.precision),
                missing: if options.show_missing {
                    let arcs = analysis.missing_branch_arcs();
                    format_lines(
                        &analysis.statements,
                        &analysis.missing,
                        analysis.branches.is_some().then_some(&arcs),
                    )
                } else {
                    String::new()
                },
            });
        }
    }
    if options.format == TextFormat::Total {
        write_line(out, &total.display_percent(options.precision))?;
        return Ok(total.percent());
    }

    let (key, reverse) = parse_sort(options.sort.as_deref(), branches)?;
    rows.sort_by(|a, b| {
        let o = compare(a, b, key);
        if reverse { o.reverse() } else { o }
    });

    let mut end_lines = Vec::new();
    if options.skip_covered && skipped > 0 {
        end_lines.push(format!(
            "\n{} skipped due to complete coverage.",
            plural(skipped, "file")
        ));
    }
    if options.skip_empty && empty > 0 {
        end_lines.push(format!("\n{} skipped.", plural(empty, "empty file")));
    }
    let table = Table {
        rows: &rows,
        total_cover: total.display_percent(options.precision),
        total,
        branches,
        show_missing: options.show_missing,
        end_lines,
        colour: options
            .colour
            .then_some((options.fail_under, options.precision)),
    };
    match options.format {
        TextFormat::Markdown => table.markdown(out)?,
        _ => table.text(out)?,
    }
    Ok(total.percent())
}

struct Table<'a> {
    rows: &'a [Row],
    total: Numbers,
    total_cover: String,
    /// Show the Branch and BrPart columns.
    branches: bool,
    show_missing: bool,
    end_lines: Vec<String>,
    /// Colour the Cover cells: (fail_under, precision).
    colour: Option<(Option<f64>, u32)>,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl Table<'_> {
    fn text<W: Write>(&self, out: &mut W) -> std::io::Result<()> {
        let name_w = self
            .rows
            .iter()
            .map(|r| width(&r.name))
            .chain([5])
            .max()
            .unwrap_or(5)
            + 1;
        let cover_w = self
            .rows
            .iter()
            .map(|r| r.cover.len() + 2)
            .chain([(self.total_cover.len() + 2).max(" Cover".len()) + 1])
            .max()
            .unwrap_or(0);
        let mut header = format!("{:name_w$}{:>7}{:>7}", "Name", "Stmts", "Miss");
        if self.branches {
            header.push_str(&format!("{:>7}{:>7}", "Branch", "BrPart"));
        }
        header.push_str(&format!("{:>cover_w$}", "Cover"));
        if self.show_missing {
            header.push_str(&format!("{:>10}", "Missing"));
        }
        let rule = "-".repeat(width(&header));
        write_line(out, &header)?;
        write_line(out, &rule)?;
        let row = |name: &str, numbers: &Numbers, cover: &str, missing: &str| {
            let (stmts, miss) = (numbers.statements, numbers.missing);
            let mut cell = format!("{cover:>w$}%", w = cover_w - 1);
            if let Some((fail_under, precision)) = self.colour {
                // Only the number is painted, so the columns still line up.
                let number = cell.trim_start();
                let style = colour::cover_style(numbers, fail_under, precision);
                cell = format!(
                    "{}{}",
                    &cell[..cell.len() - number.len()],
                    colour::paint(style, number)
                );
            }
            let mut line = format!("{name:name_w$}{stmts:>7}{miss:>7}");
            if self.branches {
                let (br, part) = (numbers.branches, numbers.partial_branches);
                line.push_str(&format!("{br:>7}{part:>7}"));
            }
            line.push_str(&cell);
            if self.show_missing {
                line.push_str(&format!("   {missing:9}"));
            }
            line
        };
        for r in self.rows {
            let line = row(&r.name, &r.numbers, &r.cover, &r.missing);
            write_line(out, &line)?;
        }
        if !self.rows.is_empty() {
            write_line(out, &rule)?;
        }
        let line = row("TOTAL", &self.total, &self.total_cover, "");
        write_line(out, &line)?;
        for end in &self.end_lines {
            write_line(out, end)?;
        }
        Ok(())
    }

    fn markdown<W: Write>(&self, out: &mut W) -> std::io::Result<()> {
        let names: Vec<String> = self.rows.iter().map(|r| escape_markdown(&r.name)).collect();
        let name_w = names.iter().map(|n| width(n)).max().unwrap_or(0).max(9) + 1;
        let cover_w = (self.total_cover.len() + 6).max(" Cover ".len());
        let mut header_items = vec![
            format!("| {:name_w$}|", "Name"),
            format!("{:>9} |", "Stmts"),
            format!("{:>9} |", "Miss"),
        ];
        if self.branches {
            header_items.push(format!("{:>9} |", "Branch"));
            header_items.push(format!("{:>9} |", "BrPart"));
        }
        header_items.push(format!("{:>cover_w$} |", "Cover"));
        if self.show_missing {
            header_items.push(format!("{:>10} |", "Missing"));
        }
        let rjust = |s: &str, w: usize| format!("{}{s}", "-".repeat(w.saturating_sub(width(s))));
        let mut rule_parts = vec![rjust("- |", width(&header_items[0]) - 1)];
        rule_parts.extend(
            header_items[1..]
                .iter()
                .map(|h| rjust("-: |", width(h) - 1)),
        );
        write_line(out, &header_items.concat())?;
        write_line(out, &format!("|{}", rule_parts.join(" ")))?;
        for (r, name) in self.rows.iter().zip(&names) {
            let mut line = format!(
                "| {name:name_w$}|{:>9} |{:>9} |",
                r.numbers.statements, r.numbers.missing,
            );
            if self.branches {
                line.push_str(&format!(
                    "{:>9} |{:>9} |",
                    r.numbers.branches, r.numbers.partial_branches
                ));
            }
            line.push_str(&format!(
                "{:>w$}% |",
                escape_markdown(&r.cover),
                w = cover_w - 1
            ));
            if self.show_missing {
                line.push_str(&format!("{:>10} |", escape_markdown(&r.missing)));
            }
            write_line(out, &line)?;
        }
        let mut line = format!(
            "|{:name_w$} |{:>9} |{:>9} |",
            " **TOTAL**",
            format!(" **{}**", self.total.statements),
            format!(" **{}**", self.total.missing),
        );
        if self.branches {
            line.push_str(&format!(
                "{:>9} |{:>9} |",
                format!(" **{}**", self.total.branches),
                format!(" **{}**", self.total.partial_branches),
            ));
        }
        line.push_str(&format!(
            "{:>cover_w$} |",
            format!(" **{}%**", self.total_cover)
        ));
        if self.show_missing {
            line.push_str(&format!("{:>10} |", ""));
        }
        write_line(out, &line)?;
        for end in &self.end_lines {
            write_line(out, end)?;
        }
        Ok(())
    }
}

/// Backslash before every ASCII punctuation character except `.`, `,`, `/` and `-`.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '.' | ',' | '/' | '-') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_files_is_no_data() {
        let err = write_report(&[], &TextOptions::default(), &mut Vec::new()).unwrap_err();
        assert_eq!(err.to_string(), "No data to report.");
    }

    #[test]
    fn bad_sort_is_an_error() {
        let f = FileInput {
            display_name: "a.py".into(),
            ..FileInput::default()
        };
        let opts = TextOptions {
            sort: Some("Nope".into()),
            ..TextOptions::default()
        };
        let err = write_report(std::slice::from_ref(&f), &opts, &mut Vec::new()).unwrap_err();
        assert_eq!(err.to_string(), "Invalid sorting option: 'Nope'");
        // The branch columns sort only when there are branches.
        let opts = TextOptions {
            sort: Some("-BrPart".into()),
            ..TextOptions::default()
        };
        let err = write_report(std::slice::from_ref(&f), &opts, &mut Vec::new()).unwrap_err();
        assert_eq!(err.to_string(), "Invalid sorting option: '-BrPart'");
        let branchy = FileInput {
            branches: Some(crate::BranchFacts::default()),
            ..f
        };
        assert!(write_report(&[branchy], &opts, &mut Vec::new()).is_ok());
    }

    #[test]
    fn colour_paints_only_the_cover_numbers() {
        let file = |name: &str, executed: &[u32]| FileInput {
            display_name: name.into(),
            statements: [1, 2, 3, 4].into(),
            executed: executed.iter().copied().collect(),
            ..FileInput::default()
        };
        let files = [
            file("full.py", &[1, 2, 3, 4]),
            file("half.py", &[1, 2]),
            file("most.py", &[1, 2, 3]),
        ];
        let render = |colour: bool, format: TextFormat| {
            let opts = TextOptions {
                colour,
                fail_under: Some(60.0),
                show_missing: true,
                format,
                ..TextOptions::default()
            };
            let mut out = Vec::new();
            write_report(&files, &opts, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let plain = render(false, TextFormat::Text);
        let painted = render(true, TextFormat::Text);
        assert!(!plain.contains('\x1b'));
        assert!(painted.contains("\nfull.py       4      0   \x1b[32m100%\x1b[0m\n"));
        assert!(painted.contains("\nhalf.py       4      2    \x1b[31m50%\x1b[0m   3-4\n"));
        assert!(painted.contains("\nmost.py       4      1    \x1b[33m75%\x1b[0m   4\n"));
        assert!(painted.contains("\nTOTAL        12      3    \x1b[33m75%\x1b[0m\n"));
        let stripped = painted
            .replace("\x1b[32m", "")
            .replace("\x1b[31m", "")
            .replace("\x1b[33m", "")
            .replace("\x1b[0m", "");
        assert_eq!(stripped, plain);
        // Markdown and total are never coloured.
        assert_eq!(
            render(true, TextFormat::Markdown),
            render(false, TextFormat::Markdown)
        );
        assert_eq!(
            render(true, TextFormat::Total),
            render(false, TextFormat::Total)
        );
    }

    #[test]
    fn markdown_escapes() {
        assert_eq!(
            escape_markdown("pkg/__init__.py"),
            "pkg/\\_\\_init\\_\\_.py"
        );
        assert_eq!(escape_markdown("a-b,c.d|e*"), "a-b,c.d\\|e\\*");
    }
}
