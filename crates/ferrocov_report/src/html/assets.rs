//! The static files every site gets (style sheet, script, icon) and the user's `extra_css`,
//! each written under a name carrying a hash of its content (`style_cb_1a2b3c4d.css`) so a
//! browser never shows a page with the previous run's assets.

use std::path::Path;

use super::status::digest;

/// A static file: the name it is known by, and its bytes.
struct Asset {
    name: &'static str,
    bytes: &'static [u8],
}

const ASSETS: [Asset; 3] = [
    Asset {
        name: "style.css",
        bytes: include_bytes!("assets/style.css"),
    },
    Asset {
        name: "coverage_html.js",
        bytes: include_bytes!("assets/coverage_html.js"),
    },
    Asset {
        name: "favicon_32.svg",
        bytes: include_bytes!("assets/favicon_32.svg"),
    },
];

/// The names the pages link to.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub(crate) struct Statics {
    pub(crate) style: String,
    pub(crate) script: String,
    pub(crate) icon: String,
    pub(crate) extra_css: Option<String>,
}

/// `name` with `_cb_` and the first 8 hex digits of the content's hash before its extension.
fn busted(name: &str, bytes: &[u8]) -> String {
    let hash = digest([bytes]);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}_cb_{}.{ext}", &hash[..8]),
        None => format!("{name}_cb_{}", &hash[..8]),
    }
}

/// The names the assets will have, without writing anything (pages need them first).
pub(crate) fn names(extra_css: Option<(&str, &[u8])>) -> Statics {
    let [style, script, icon] = ASSETS.map(|a| busted(a.name, a.bytes));
    Statics {
        style,
        script,
        icon,
        extra_css: extra_css.map(|(name, bytes)| busted(name, bytes)),
    }
}

/// The style sheet, script and icon themselves, for a report that inlines them.
pub(crate) fn contents() -> [&'static [u8]; 3] {
    ASSETS.map(|a| a.bytes)
}

/// Writes the assets into `directory`; `extra_css` is the user's file name and content.
pub(crate) fn write(
    directory: &Path,
    extra_css: Option<(&str, &[u8])>,
) -> Result<Statics, crate::ReportError> {
    let statics = names(extra_css);
    let targets = [&statics.style, &statics.script, &statics.icon];
    for (asset, target) in ASSETS.iter().zip(targets) {
        super::disk::write_file(&directory.join(target), asset.bytes)?;
    }
    if let (Some((_, bytes)), Some(target)) = (extra_css, &statics.extra_css) {
        super::disk::write_file(&directory.join(target), bytes)?;
    }
    Ok(statics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_content_hash() {
        let statics = names(Some(("extra.css", b"body {}")));
        assert!(statics.style.starts_with("style_cb_") && statics.style.ends_with(".css"));
        assert_eq!(statics.style.len(), "style_cb_12345678.css".len());
        assert!(statics.script.starts_with("coverage_html_cb_"));
        let extra = statics.extra_css.unwrap();
        assert!(extra.starts_with("extra_cb_") && extra.ends_with(".css"));
        assert_ne!(
            extra,
            names(Some(("extra.css", b"p {}"))).extra_css.unwrap()
        );
    }
}
