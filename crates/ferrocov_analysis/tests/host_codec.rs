//! With a host codec registered (as the Python binding does), cookies other than UTF-8, Latin-1,
//! cp1252 and ASCII are decoded by the host, and a codec the host lacks is an error.
//! Its own test binary: the registration is process-wide.

use ferrocov_analysis::{decode_source, set_host_codec};

fn fake_host(bytes: &[u8], name: &str) -> Option<String> {
    (name == "cp437").then(|| format!("decoded-by-host:{}", bytes.len()))
}

#[test]
fn host_codec_decodes_what_rust_does_not() {
    set_host_codec(fake_host);
    let src = b"# coding: cp437\nx = '\x82'\n";
    assert_eq!(
        decode_source(src).unwrap(),
        format!("decoded-by-host:{}\n", src.len())
    );
    // Codecs handled in Rust stay in Rust.
    assert_eq!(
        decode_source(b"# coding: latin-1\nx = '\xe9'\n").unwrap(),
        "# coding: latin-1\nx = '\u{e9}'\n"
    );
    let err = decode_source(b"# coding: no-such-codec\nx = 1\n").unwrap_err();
    assert!(err.contains("no-such-codec"), "{err}");
}
