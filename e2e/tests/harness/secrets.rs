//! Secret hygiene (issue #8): a token must never be written anywhere but the keychain. The
//! journeys search the data directory (SQLite database, WAL, logs, config), the app's captured
//! output and every page's source for each token raw, in hex and in base64.

use std::path::Path;

/// Every form a token could leak in: raw, hex (both cases), base64 (standard and URL-safe) in
/// all three alignments.
pub(crate) fn forms(token: &str) -> Vec<Vec<u8>> {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b64 = |bytes: &[u8]| -> String {
        bytes
            .chunks(3)
            .flat_map(|c| {
                let n = c.iter().fold(0u32, |n, b| n << 8 | u32::from(*b)) << (8 * (3 - c.len()));
                (0..=c.len()).map(move |i| B64[(n >> (18 - 6 * i) & 63) as usize] as char)
            })
            .collect()
    };
    let hex: String = token.bytes().map(|b| format!("{b:02x}")).collect();
    let mut out = vec![
        token.as_bytes().to_vec(),
        hex.clone().into_bytes(),
        hex.to_uppercase().into_bytes(),
    ];
    // After 0, 1 or 2 leading bytes the token's own characters start at a fresh 4-char group;
    // the chunk in the middle is the same wherever the token sits in a longer base64 text.
    for pad in 0..3 {
        let mut bytes = vec![b'x'; pad];
        bytes.extend_from_slice(token.as_bytes());
        let text = b64(&bytes);
        let skip = if pad == 0 { 0 } else { 4 };
        let usable = (bytes.len() / 3) * 4;
        out.push(text.as_bytes()[skip..usable].to_vec());
        out.push(
            text[skip..usable]
                .replace('+', "-")
                .replace('/', "_")
                .into_bytes(),
        );
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

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
