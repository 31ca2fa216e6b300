//! coverage.py's English for arcs: what an arc does (`arc_description`, LCOV's BRDA) and why a
//! missing one didn't run (`missing_arc_description`, the HTML report).

use super::analyzer::Fragment;

const NO_FRAGMENT: &[Fragment] = &[(None, None)];

fn action(action: Option<&str>, end: i32) -> String {
    match action {
        Some(text) => text.replace("{lineno}", &end.to_string()),
        None if end < 0 => "jump to the function exit".to_owned(),
        None => format!("jump to line {end}"),
    }
}

pub(super) fn arc_description(fragments: Option<&[Fragment]>, end: i32) -> String {
    let first = fragments.unwrap_or(NO_FRAGMENT).first();
    action(first.and_then(|f| f.1.as_deref()), end)
}

pub(super) fn missing_arc_description(
    fragments: Option<&[Fragment]>,
    start: i32,
    end: i32,
) -> String {
    let fragments = match fragments {
        Some(f) if !f.is_empty() => f,
        _ => NO_FRAGMENT,
    };
    let parts: Vec<String> = fragments
        .iter()
        .map(|(cause, act)| {
            let mut msg = format!("line {start} didn't {}", action(act.as_deref(), end));
            if let Some(cause) = cause {
                msg.push_str(" because ");
                msg.push_str(&cause.replace("{lineno}", &start.to_string()));
            }
            msg
        })
        .collect();
    parts.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_words() {
        assert_eq!(arc_description(None, 7), "jump to line 7");
        assert_eq!(arc_description(None, -1), "jump to the function exit");
        let frags: Vec<Fragment> = vec![
            (Some("the condition on line {lineno} was never true"), None),
            (Some(""), Some("return from function 'f'".to_owned())),
        ];
        assert_eq!(
            missing_arc_description(Some(&frags), 3, -1),
            "line 3 didn't jump to the function exit because the condition on line 3 was never \
             true or line 3 didn't return from function 'f' because "
        );
        assert_eq!(
            arc_description(Some(&frags[1..]), -1),
            "return from function 'f'"
        );
    }
}
