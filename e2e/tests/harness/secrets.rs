//! Secret hygiene: a token must never be written anywhere but the keychain. The
//! journeys search the data directory (SQLite database, WAL, logs, config), the app's captured
//! output and every page's source for each token raw, in hex and in base64.

use std::path::Path;

use timebridge_simulators::leaks::contains;
pub(crate) use timebridge_simulators::leaks::token_forms as forms;

/// Every file under `dir`, recursively, with its bytes.
pub(crate) fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
    out
}

/// Where any form of any of `tokens` occurs in `places` (name, bytes): `"<place>: <form>"`.
pub(crate) fn leaks(tokens: &[&str], places: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut found = Vec::new();
    for token in tokens {
        for form in forms(token) {
            for (name, bytes) in places {
                if contains(bytes, &form) {
                    found.push(format!("{name}: {}", String::from_utf8_lossy(&form)));
                }
            }
        }
    }
    found
}

#[test]
fn a_token_is_found_in_every_form() {
    let token = "tbe2e-Secret-42";
    let b64 = "dGJlMmUtU2VjcmV0LTQy"; // base64 of the token
    let places = vec![
        ("raw".to_string(), format!("a{token}b").into_bytes()),
        (
            "hex".to_string(),
            b"..74626532652d5365637265742d3432..".to_vec(),
        ),
        ("b64".to_string(), format!("Basic {b64}").into_bytes()),
        ("clean".to_string(), b"nothing here".to_vec()),
    ];
    let found = leaks(&[token], &places);
    for place in ["raw", "hex", "b64"] {
        assert!(
            found.iter().any(|f| f.starts_with(place)),
            "{place}: {found:?}"
        );
    }
    assert!(!found.iter().any(|f| f.starts_with("clean")));
}
