//! `show_contexts` on a source page: coverage.py's per-line facts ("N ctx" and the sorted
//! labels, or "(empty)" when only the empty context ran the line), in a page that stays small
//! with thousands of tests: the labels are written once, in a table in the page's head, and a
//! line lists its labels as runs of indexes into it ([`encode_runs`]).

use std::fmt::Write as _;

use super::page::LineFacts;
use crate::pytext::human_cmp;

/// What coverage.py shows for the empty context.
pub(crate) const EMPTY: &str = "(empty)";

/// The page's table of labels and where each of the file's labels sits in it.
pub(crate) struct PageContexts {
    /// The labels some line lists, in coverage.py's order (`human_sorted`, with the empty
    /// context as "(empty)"); a line's indexes ascending are then its labels in that order.
    table: Vec<String>,
    /// The file's label index -> the table's.
    slot: Vec<Option<u32>>,
    /// The file's index of the empty context, if it ran anything.
    empty: Option<u32>,
}

impl PageContexts {
    /// The table for `lines`, whose indexes point into the file's `labels`.
    pub(crate) fn new(labels: &[String], lines: &[LineFacts]) -> Self {
        let empty = labels.iter().position(String::is_empty).map(|i| i as u32);
        let mut used = vec![false; labels.len()];
        for line in lines.iter().filter(|l| !only_empty(&l.contexts, empty)) {
            for &i in &line.contexts {
                used[i as usize] = true;
            }
        }
        let mut order: Vec<usize> = (0..labels.len()).filter(|&i| used[i]).collect();
        order.sort_by(|&a, &b| human_cmp(shown(&labels[a]), shown(&labels[b])));
        let mut slot = vec![None; labels.len()];
        for (position, &i) in order.iter().enumerate() {
            slot[i] = Some(position as u32);
        }
        let table = order
            .iter()
            .map(|&i| shown(&labels[i]).to_owned())
            .collect();
        PageContexts { table, slot, empty }
    }

    /// The table as JSON for an inline `<script>`: `<`, `>` and `&` escaped as `\u` escapes,
    /// so a label like `</script>` cannot end the element. `None` when no line lists labels.
    pub(crate) fn json(&self) -> Option<String> {
        if self.table.is_empty() {
            return None;
        }
        let text = serde_json::to_string(&self.table).ok()?;
        Some(
            text.replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026"),
        )
    }

    /// A line's contexts: nothing when none ran it, "(empty)" when only the empty context did,
    /// else an "N ctx" toggle and where its labels sit in the table ([`encode_runs`]), which
    /// the page's script turns into the labels when opened.
    pub(crate) fn line_markup(&self, out: &mut String, number: u32, contexts: &[u32]) {
        if contexts.is_empty() {
            return;
        }
        if only_empty(contexts, self.empty) {
            let _ = write!(out, "<span class=\"ctx\">{EMPTY}</span>");
            return;
        }
        let mut slots: Vec<u32> = contexts
            .iter()
            .filter_map(|&i| self.slot.get(i as usize).copied().flatten())
            .collect();
        slots.sort_unstable();
        let _ = write!(
            out,
            "<input type=\"checkbox\" class=\"ctx-toggle\" id=\"ctxs{number}\">\
             <label for=\"ctxs{number}\" class=\"ctx\">{} ctx</label>\
             <span class=\"ctxs\" data-c=\"{}\"></span>",
            slots.len(),
            encode_runs(&slots)
        );
    }
}

/// A label as coverage.py's page shows it.
fn shown(label: &str) -> &str {
    if label.is_empty() { EMPTY } else { label }
}

fn only_empty(contexts: &[u32], empty: Option<u32>) -> bool {
    matches!((contexts, empty), ([one], Some(e)) if *one == e)
}

/// Ascending numbers as runs, each run its gap from the end of the one before (from 0 for the
/// first) and, when longer than one, `-` and its length less one. A number is written in base
/// 26, most significant digit first, its last digit upper case (`A`-`Z`) and the others lower
/// case (`a`-`z`), so it needs no separator: `[0, 1, 2, 5, 36, 37, 100]` -> `A-CCbE-BcK`. A line
/// run by every other test costs one character per test.
pub(crate) fn encode_runs(sorted: &[u32]) -> String {
    let mut out = String::new();
    let mut next = 0u32;
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            end += 1;
            i += 1;
        }
        push_number(&mut out, start.saturating_sub(next));
        if end > start {
            out.push('-');
            push_number(&mut out, end - start);
        }
        next = end + 1;
        i += 1;
    }
    out
}

fn push_number(out: &mut String, mut n: u32) {
    let mut digits = vec![b'A' + (n % 26) as u8];
    n /= 26;
    while n > 0 {
        digits.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.extend(digits.iter().rev().map(|&d| d as char));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::page::Category;

    fn line(number: u32, contexts: &[u32]) -> LineFacts {
        LineFacts {
            number,
            category: Category::Run,
            short: Vec::new(),
            long: Vec::new(),
            contexts: contexts.to_vec(),
        }
    }

    #[test]
    fn runs_as_gaps_and_lengths() {
        assert_eq!(encode_runs(&[0, 1, 2, 5, 36, 37, 100]), "A-CCbE-BcK");
        assert_eq!(encode_runs(&[]), "");
        assert_eq!(encode_runs(&[1, 3, 5]), "BBB");
        let all: Vec<u32> = (0..2000).collect();
        assert_eq!(encode_runs(&all), "A-cyX");
    }

    #[test]
    fn table_in_human_order_and_lines_point_into_it() {
        let labels: Vec<String> = ["", "t10|run", "t2|run", "unused"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let lines = [
            line(1, &[0]),
            line(2, &[0, 1, 2]),
            line(3, &[]),
            line(4, &[2]),
        ];
        let page = PageContexts::new(&labels, &lines);
        // "(empty)" sorts before the letters; t2 before t10; unused labels are left out.
        assert_eq!(page.table, ["(empty)", "t2|run", "t10|run"]);
        let mut out = String::new();
        page.line_markup(&mut out, 1, &lines[0].contexts);
        assert_eq!(out, "<span class=\"ctx\">(empty)</span>");
        out.clear();
        page.line_markup(&mut out, 2, &lines[1].contexts);
        assert!(out.contains(">3 ctx</label>"), "{out}");
        assert!(out.contains("data-c=\"A-C\""), "{out}");
        out.clear();
        page.line_markup(&mut out, 3, &lines[2].contexts);
        assert_eq!(out, "");
    }

    #[test]
    fn labels_cannot_close_the_script() {
        let labels = vec!["</script><b>&".to_owned()];
        let page = PageContexts::new(&labels, &[line(1, &[0])]);
        let json = page.json().unwrap();
        assert!(!json.contains('<') && !json.contains('&'), "{json}");
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, labels);
    }
}
