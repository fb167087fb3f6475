//! Searching for leaked tokens: the simulators accept distinctive tokens, and the
//! CLI's and the desktop's secret-hygiene tests search everything the app wrote for them. One
//! definition of "every form a token could leak in", shared by both.

/// Every form a token could leak in: raw, hex (both cases), base64 (standard and URL-safe) in
/// all three alignments.
pub fn token_forms(token: &str) -> Vec<Vec<u8>> {
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

/// Whether `haystack` contains `needle`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether `haystack` holds `token` in any of its [`token_forms`].
pub fn leaks(haystack: &[u8], token: &str) -> bool {
    token_forms(token).iter().any(|f| contains(haystack, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_is_found_inside_longer_text_and_a_near_miss_is_not() {
        let token = "tbsecret-Kimai-9q7Zx2LwPz";
        let hex: String = token.bytes().map(|b| format!("{b:02X}")).collect();
        assert!(leaks(format!("log: {hex} end").as_bytes(), token));
        assert!(leaks(
            format!("Authorization: Bearer {token}").as_bytes(),
            token
        ));
        // "Basic" auth style: base64 of "user:token" puts the token at an alignment of 2.
        let basic = token_forms(&format!("u:{token}"))[3].clone();
        assert!(leaks(&basic, token), "base64 at an offset");
        assert!(
            !leaks(b"tbsecret-Kimai-9q7Zx2LwP", token),
            "a prefix is not the token"
        );
    }
}
