//! The facts of one source page: each line's category (run, missing, excluded, partial, or the
//! dimmed form of these on the continuation lines of a multi-line statement) and the annotations
//! of partial branches, decided as coverage.py's HTML report decides them.

use crate::file::{FileInput, Narrowed};

/// How a line is marked. The CSS class strings are coverage.py's, so a page can be compared
/// with its page line by line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    /// Not a statement, nor part of one.
    Plain,
    Run,
    Missing,
    Excluded,
    /// Ran, but some branch from it never did.
    Partial,
    /// A continuation line of a statement in one of the categories above.
    RunContinued,
    MissingContinued,
    ExcludedContinued,
    PartialContinued,
}

impl Category {
    /// The `class` attribute of the line.
    pub(crate) fn css(self) -> &'static str {
        match self {
            Category::Plain => "pln",
            Category::Run => "run",
            Category::Missing => "mis show_mis",
            Category::Excluded => "exc show_exc",
            Category::Partial => "par run show_par",
            Category::RunContinued => "run run2",
            Category::MissingContinued => "mis mis2 show_mis",
            Category::ExcludedContinued => "exc exc2 show_exc",
            Category::PartialContinued => "par par2 ru2 show_par",
        }
    }
}

/// One line's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LineFacts {
    pub(crate) number: u32,
    pub(crate) category: Category,
    /// Where the missed branches would have gone: a line number, `exit`, or `anywhere` when
    /// none of the line's branches ran (it always raised).
    pub(crate) short: Vec<String>,
    /// The same as sentences ("line 2 didn't jump to line 4 because ...").
    pub(crate) long: Vec<String>,
    /// With `show_contexts`, the contexts that ran a line of a statement's first line (indexes
    /// into the file's [`crate::LineContexts::labels`]); empty otherwise, as coverage.py shows
    /// them on categorized lines only.
    pub(crate) contexts: Vec<u32>,
}

/// The facts of lines `1..=line_count` of `file`, whose whole-file results are `whole`; with
/// `show_contexts`, each categorized line's contexts too.
pub(crate) fn line_facts(
    file: &FileInput,
    whole: &Narrowed,
    line_count: usize,
    show_contexts: bool,
) -> Vec<LineFacts> {
    let has_arcs = file.branches.is_some();
    let missing_branches = whole.missing_branch_arcs();
    let stats = whole.branch_stats();
    let describe = |from: u32, to: i32| -> String {
        file.branches
            .as_ref()
            .and_then(|b| b.missing_descriptions.get(&(from as i32, to)))
            .cloned()
            .unwrap_or_else(|| match to {
                to if to < 0 => format!("line {from} didn't exit"),
                to => format!("line {from} didn't jump to line {to}"),
            })
    };
    (1..=line_count as u32)
        .map(|number| {
            let mut short = Vec::new();
            let mut long = Vec::new();
            let partial = has_arcs
                .then(|| missing_branches.get(&(number as i32)))
                .flatten();
            let category = if whole.excluded.contains(&number) {
                Category::Excluded
            } else if whole.missing.contains(&number) {
                Category::Missing
            } else if let Some(destinations) = partial {
                let exits = stats.get(&(number as i32)).map_or(0, |s| s.0);
                if destinations.len() == exits {
                    short.push("anywhere".to_owned());
                    long.push(format!(
                        "line {number} didn't jump anywhere: it always raised an exception."
                    ));
                } else {
                    for &to in destinations {
                        short.push(if to < 0 {
                            "exit".to_owned()
                        } else {
                            to.to_string()
                        });
                        long.push(describe(number, to));
                    }
                }
                Category::Partial
            } else if whole.statements.contains(&number) {
                Category::Run
            } else {
                continued(file, whole, &missing_branches, number)
            };
            let categorized = matches!(
                category,
                Category::Run | Category::Missing | Category::Excluded | Category::Partial
            );
            let contexts = match &file.contexts {
                Some(contexts) if show_contexts && categorized => {
                    contexts.lines.get(&number).cloned().unwrap_or_default()
                }
                _ => Vec::new(),
            };
            LineFacts {
                number,
                category,
                short,
                long,
                contexts,
            }
        })
        .collect()
}

/// A line that is not a statement's first: the dimmed category of its statement, if any.
fn continued(
    file: &FileInput,
    whole: &Narrowed,
    missing_branches: &crate::BranchArcs,
    number: u32,
) -> Category {
    let Some(&first) = file.multiline.get(&number) else {
        return Category::Plain;
    };
    if whole.excluded.contains(&first) {
        Category::ExcludedContinued
    } else if whole.missing.contains(&first) {
        Category::MissingContinued
    } else if file.branches.is_some() && missing_branches.contains_key(&(first as i32)) {
        Category::PartialContinued
    } else if whole.statements.contains(&first) {
        Category::RunContinued
    } else {
        Category::Plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BranchFacts;

    fn categories(facts: &[LineFacts]) -> Vec<&'static str> {
        facts.iter().map(|f| f.category.css()).collect()
    }

    #[test]
    fn line_categories_and_continuations() {
        let file = FileInput {
            statements: [1, 2, 5].into(),
            excluded: [4].into(),
            executed: [1].into(),
            multiline: [(2, 2), (3, 2)].into(),
            ..FileInput::default()
        };
        let facts = line_facts(&file, &file.whole(), 6, false);
        assert_eq!(
            categories(&facts),
            [
                "run",
                "mis show_mis",
                "mis mis2 show_mis",
                "exc show_exc",
                "mis show_mis",
                "pln"
            ]
        );
    }

    #[test]
    fn partial_branches_are_annotated() {
        let mut branches = BranchFacts {
            possible_arcs: [(1, 2), (1, 3), (2, 3), (3, 4), (3, -1), (4, 5), (4, 6)].into(),
            executed_arcs: [(-1, 1), (1, 2), (2, 3), (3, -1), (4, 5)].into(),
            ..BranchFacts::default()
        };
        branches
            .missing_descriptions
            .insert((1, 3), "line 1 didn't jump to line 3 because ...".into());
        let file = FileInput {
            statements: [1, 2, 3, 4, 5, 6].into(),
            executed: [1, 2, 3].into(),
            branches: Some(branches),
            ..FileInput::default()
        };
        let facts = line_facts(&file, &file.whole(), 6, false);
        assert_eq!(facts[0].category, Category::Partial);
        assert_eq!(facts[0].short, ["3"]);
        assert_eq!(facts[0].long, ["line 1 didn't jump to line 3 because ..."]);
        // Line 3 took its exit but never jumped to 4.
        assert_eq!(facts[2].short, ["4"]);
        assert_eq!(facts[2].long, ["line 3 didn't jump to line 4"]);
        // Line 4 never ran: missing, with no annotation.
        assert_eq!(facts[3].category, Category::Missing);
        assert!(facts[3].short.is_empty());
    }

    #[test]
    fn no_branch_taken_is_anywhere() {
        let file = FileInput {
            statements: [1, 2, 3].into(),
            executed: [1].into(),
            branches: Some(BranchFacts {
                possible_arcs: [(1, 2), (1, 3)].into(),
                executed_arcs: [(-1, 1)].into(),
                ..BranchFacts::default()
            }),
            ..FileInput::default()
        };
        let facts = line_facts(&file, &file.whole(), 3, false);
        assert_eq!(facts[0].short, ["anywhere"]);
        assert_eq!(
            facts[0].long,
            ["line 1 didn't jump anywhere: it always raised an exception."]
        );
    }
}
