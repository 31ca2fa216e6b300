//! Bytes to text as coverage.py reads a source file: newlines normalised, form feeds blanked,
//! PEP 263 coding cookie or UTF-8 BOM honoured, undecodable bytes replaced, final newline added.

/// Decodes with a codec of the Python interpreter ferrocov runs in: `(bytes, codec name)` to
/// text with undecodable bytes replaced, or `None` when the interpreter has no such codec.
pub type HostCodec = fn(&[u8], &str) -> Option<String>;

static HOST_CODEC: std::sync::OnceLock<HostCodec> = std::sync::OnceLock::new();

/// Lets the Python binding supply its interpreter's codecs. With it, a cookie naming anything
/// but UTF-8, Latin-1, cp1252 or ASCII is decoded by Python itself, so codecs only Python has
/// (cp437, cp037, mac-roman, ...) work and WHATWG's supersets (windows-1254 for iso-8859-9,
/// ...) do not stand in for Python's exact tables. Without it (pure Rust), `encoding_rs` is used.
pub fn set_host_codec(codec: HostCodec) {
    let _ = HOST_CODEC.set(codec);
}

/// Decode Python source bytes. Errs with a message for an encoding we can't decode.
pub fn decode_source(bytes: &[u8]) -> Result<String, String> {
    let mut norm = Vec::with_capacity(bytes.len() + 1);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' => {
                norm.push(b'\n');
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            // coverage.py blanks form feeds (bpo-19035) before decoding.
            b'\x0c' => norm.push(b' '),
            b => norm.push(b),
        }
        i += 1;
    }
    let mut text = match detect_encoding(&norm)? {
        Encoding::Utf8Sig => String::from_utf8_lossy(&norm[3..]).into_owned(),
        Encoding::Utf8 => String::from_utf8_lossy(&norm).into_owned(),
        Encoding::Latin1 => norm.iter().map(|&b| b as char).collect(),
        Encoding::Cp1252 => norm.iter().map(|&b| cp1252(b)).collect(),
        Encoding::Ascii => norm
            .iter()
            .map(|&b| if b < 0x80 { b as char } else { '\u{fffd}' })
            .collect(),
        // Undecodable bytes become U+FFFD, as Python's errors="replace" does.
        Encoding::Other(encoding) => encoding.decode_without_bom_handling(&norm).0.into_owned(),
        Encoding::Host(name, host) => {
            host(&norm, &name).ok_or_else(|| format!("unknown encoding: {name}"))?
        }
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[derive(Debug)]
enum Encoding {
    Utf8,
    Utf8Sig,
    Latin1,
    Cp1252,
    Ascii,
    /// Any other codec a cookie names that the WHATWG encoding standard also defines
    /// (koi8-r, shift_jis, euc-jp, gbk, big5, iso-8859-N, windows-125N, ...).
    Other(&'static encoding_rs::Encoding),
    /// Decoded by the host interpreter's codec of this name.
    Host(String, HostCodec),
}

/// Python's cp1252 codec with `errors="replace"`: latin-1 except 0x80-0x9f.
fn cp1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9f => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{fffd}'),
        _ => b as char,
    }
}

/// PEP 263 / `tokenize.detect_encoding`: BOM, then a cookie on line 1, or on line 2 when line 1
/// is blank or a comment.
fn detect_encoding(bytes: &[u8]) -> Result<Encoding, String> {
    let bom = bytes.starts_with(b"\xef\xbb\xbf");
    let body = if bom { &bytes[3..] } else { bytes };
    let mut lines = body.split_inclusive(|&b| b == b'\n');
    let default = if bom {
        Encoding::Utf8Sig
    } else {
        Encoding::Utf8
    };
    let Some(first) = lines.next() else {
        return Ok(default);
    };
    // tokenize decodes each line it checks for a cookie as UTF-8 and refuses the file if it can't.
    let refuse = || Err("invalid or missing encoding declaration".to_owned());
    if std::str::from_utf8(first).is_err() {
        return refuse();
    }
    if let Some(name) = cookie(first) {
        return resolve(&name, bom);
    }
    if !is_blank_or_comment(first) {
        return Ok(default);
    }
    let second = lines.next();
    if second.is_some_and(|l| std::str::from_utf8(l).is_err()) {
        return refuse();
    }
    match second.and_then(cookie) {
        Some(name) => resolve(&name, bom),
        None => Ok(default),
    }
}

fn is_blank_or_comment(line: &[u8]) -> bool {
    let trimmed: Vec<u8> = line
        .iter()
        .copied()
        .skip_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
        .collect();
    trimmed.is_empty() || trimmed[0] == b'#' || trimmed[0] == b'\n' || trimmed[0] == b'\r'
}

/// The encoding name in a `# ... coding[:=] name` comment line.
fn cookie(line: &[u8]) -> Option<String> {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::bytes::Regex::new(r"^[ \t\x0c]*#.*?coding[:=][ \t]*([-\w.]+)").expect("valid regex")
    });
    let caps = re.captures(line)?;
    Some(String::from_utf8_lossy(&caps[1]).into_owned())
}

/// `tokenize._get_normal_name` plus the codecs we can decode.
fn resolve(name: &str, bom: bool) -> Result<Encoding, String> {
    let enc: String = name
        .chars()
        .take(12)
        .collect::<String>()
        .to_lowercase()
        .replace('_', "-");
    let is = |base: &str| enc == base || enc.starts_with(&format!("{base}-"));
    let found = if is("utf-8") || enc == "utf8" {
        if bom {
            Encoding::Utf8Sig
        } else {
            Encoding::Utf8
        }
    } else if is("latin-1") || is("iso-8859-1") || is("iso-latin-1") || enc == "latin1" {
        Encoding::Latin1
    } else if matches!(enc.as_str(), "cp1252" | "windows-1252" | "1252") {
        Encoding::Cp1252
    } else if matches!(enc.as_str(), "ascii" | "us-ascii" | "646") {
        Encoding::Ascii
    } else if matches!(
        enc.as_str(),
        "iso8859-1" | "l1" | "8859" | "cp819" | "latin"
    ) {
        Encoding::Latin1
    } else if let Some(host) = HOST_CODEC.get() {
        Encoding::Host(name.to_owned(), *host)
    } else {
        // The whole name (normalisation above looks at 12 characters, as Python's does).
        let label = name.to_lowercase().replace('_', "-");
        match encoding_rs::Encoding::for_label(label.as_bytes()) {
            // Python source can't be UTF-16 (the tokenizer reads bytes as ASCII-compatible), and
            // WHATWG's "replacement" encoding is not a codec Python has.
            Some(found)
                if found != encoding_rs::UTF_16LE
                    && found != encoding_rs::UTF_16BE
                    && found != encoding_rs::REPLACEMENT =>
            {
                Encoding::Other(found)
            }
            _ => return Err(format!("unknown encoding: {name}")),
        }
    };
    // With a BOM, tokenize wants the cookie to name exactly utf-8 (after normalising).
    if bom && !is("utf-8") {
        return Err(format!("encoding problem: {name} with BOM"));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_and_form_feeds() {
        assert_eq!(decode_source(b"a\r\nb\rc\x0cd").unwrap(), "a\nb\nc d\n");
        assert_eq!(decode_source(b"").unwrap(), "");
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(decode_source(b"\xef\xbb\xbfx = 1\n").unwrap(), "x = 1\n");
    }

    #[test]
    fn latin1_cookie_first_or_second_line() {
        assert_eq!(
            decode_source(b"# -*- coding: latin-1 -*-\ns='\xe9'\n")
                .unwrap()
                .lines()
                .nth(1),
            Some("s='é'")
        );
        assert_eq!(
            decode_source(b"#!/usr/bin/python\n# vim: set fileencoding=iso-8859-1 :\n'\xe9'\n")
                .unwrap()
                .lines()
                .nth(2),
            Some("'é'")
        );
        // A cookie on line 2 only counts when line 1 is blank or a comment.
        assert_eq!(
            decode_source(b"x = 1\n# coding: latin-1\n'\xe9'\n")
                .unwrap()
                .lines()
                .nth(2),
            Some("'\u{fffd}'")
        );
    }

    #[test]
    fn cp1252_cookie() {
        let text = decode_source(b"# coding: cp1252\n'\x80\x81\x9f\xe9'\n").unwrap();
        assert_eq!(text.lines().nth(1), Some("'\u{20ac}\u{fffd}\u{178}\u{e9}'"));
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        // Past the lines tokenize checks for a cookie, bad bytes become U+FFFD.
        assert_eq!(
            decode_source(b"x = 1\ny = 2\n'\xff'\n").unwrap(),
            "x = 1\ny = 2\n'\u{fffd}'\n"
        );
    }

    #[test]
    fn undecodable_cookie_lines_err() {
        assert!(decode_source(b"x = '\xf6'\n").is_err());
        assert!(decode_source(b"# \xf6\n").is_err());
        assert!(decode_source(b"#!python\n'\xf6'\n").is_err());
        assert!(decode_source(b"x = 1\n'\xf6'\n").is_ok());
    }

    #[test]
    fn unknown_encoding_errs() {
        assert!(decode_source(b"# coding: klingon\n").is_err());
        assert!(decode_source(b"\xef\xbb\xbf# coding: latin-1\n").is_err());
    }
}
