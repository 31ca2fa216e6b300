//! Process-wide settings of the SQLite library ferrocov links (its own copy, not Python's),
//! made once before ferrocov opens its first connection.

use std::sync::Once;

/// Call before opening any connection.
pub(crate) fn before_first_connection() {
    static SETUP: Once = Once::new();
    SETUP.call_once(|| {
        // SQLite counts every allocation under one global mutex unless told not to; reading
        // inputs on several threads then spends its time passing that mutex around. Nothing
        // in ferrocov asks SQLite for its memory statistics.
        // SAFETY: `sqlite3_config` takes an int for this option. Every connection ferrocov
        // opens comes after this `Once`, so no other thread is inside this SQLite library
        // yet; if it was set up already, the call fails with SQLITE_MISUSE and changes nothing.
        unsafe {
            rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0);
        }
    });
}
