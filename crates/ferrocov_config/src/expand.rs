//! `$VAR` expansion in configuration values, with coverage.py's forms:
//! `$VAR`, `${VAR}`, `${VAR?}` (error when unset), `${VAR-default}`, `$$`.

use ferrocov_pytext::py_repr;

/// Environment lookup, the same shape as `LoadRequest::env`.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn is_word_char(c: char) -> bool {
    // Python's `\w` in a str pattern is Unicode-aware.
    c == '_' || c.is_alphanumeric()
}

/// Expand variables in `text`. A variable that is set but empty expands to
/// the empty string, even with a `-default`: only unset variables take the
/// default. A `$` that starts none of the forms is kept literally.
///
/// The error message is coverage.py's: `Variable WORD is undefined: 'text'`.
pub(crate) fn expand_vars(text: &str, env: Env<'_>) -> Result<String, String> {
    if !text.contains('$') {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        match parse_reference(after) {
            Some((reference, consumed)) => {
                out.push_str(&resolve(&reference, text, env)?);
                rest = &after[consumed..];
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

enum Reference<'t> {
    Dollar,
    Var {
        name: &'t str,
        strict: bool,
        default: Option<&'t str>,
    },
}

/// Parse what follows a `$`; returns the reference and how many bytes of
/// `after` it used, or None when the `$` is just a character.
fn parse_reference(after: &str) -> Option<(Reference<'_>, usize)> {
    if after.starts_with('$') {
        return Some((Reference::Dollar, 1));
    }
    let word_len = word_prefix_len(after);
    if word_len > 0 {
        let var = Reference::Var {
            name: &after[..word_len],
            strict: false,
            default: None,
        };
        return Some((var, word_len));
    }
    let inner = after.strip_prefix('{')?;
    let word_len = word_prefix_len(inner);
    if word_len == 0 {
        return None;
    }
    let name = &inner[..word_len];
    let tail = &inner[word_len..];
    let (strict, default, used) = if tail.starts_with('}') {
        (false, None, 0)
    } else if tail.starts_with("?}") {
        (true, None, 1)
    } else if let Some(def_and_more) = tail.strip_prefix('-') {
        let close = def_and_more.find('}')?;
        (false, Some(&def_and_more[..close]), 1 + close)
    } else {
        return None;
    };
    // 1 for '{', the name, the modifier, 1 for '}'.
    let consumed = 1 + word_len + used + 1;
    Some((
        Reference::Var {
            name,
            strict,
            default,
        },
        consumed,
    ))
}

fn word_prefix_len(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !is_word_char(c))
        .map_or(s.len(), |(i, _)| i)
}

fn resolve(reference: &Reference<'_>, whole: &str, env: Env<'_>) -> Result<String, String> {
    match *reference {
        Reference::Dollar => Ok("$".to_owned()),
        Reference::Var {
            name,
            strict,
            default,
        } => match env(name) {
            Some(value) => Ok(value),
            None if strict => Err(format!("Variable {name} is undefined: {}", py_repr(whole))),
            None => Ok(default.unwrap_or("").to_owned()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "HOME" => Some("/home/me".into()),
            "EMPTY" => Some(String::new()),
            "X_1" => Some("xx".into()),
            _ => None,
        }
    }

    fn ex(s: &str) -> Result<String, String> {
        expand_vars(s, &env)
    }

    #[test]
    fn expansion_table() {
        let cases = [
            ("plain", "plain"),
            ("$HOME/x", "/home/me/x"),
            ("${HOME}x", "/home/mex"),
            ("$X_1.y", "xx.y"),
            ("a$NOPE.b", "a.b"),
            ("${NOPE}", ""),
            ("${NOPE-dflt val}", "dflt val"),
            ("${NOPE-}", ""),
            ("${HOME-dflt}", "/home/me"),
            ("${EMPTY-dflt}", ""),
            ("$$HOME", "$HOME"),
            ("cost: $$5", "cost: $5"),
            ("$", "$"),
            ("a $ b", "a $ b"),
            ("${", "${"),
            ("${HOME", "${HOME"),
            ("${HO ME}", "${HO ME}"),
            ("${NOPE-no close", "${NOPE-no close"),
            ("${HOME?}", "/home/me"),
            ("$HOME$HOME", "/home/me/home/me"),
        ];
        for (input, want) in cases {
            assert_eq!(ex(input).unwrap(), want, "input {input:?}");
        }
    }

    #[test]
    fn strict_unset_is_error_with_coverage_wording() {
        assert_eq!(
            ex("x ${NOPE?} y").unwrap_err(),
            "Variable NOPE is undefined: 'x ${NOPE?} y'"
        );
    }

    #[test]
    fn strict_set_but_empty_is_fine() {
        assert_eq!(ex("${EMPTY?}").unwrap(), "");
    }
}
