//! Small text helpers shared by the modules that echo untrusted values in messages.

/// At most `max` characters, for echoing untrusted values in messages.
pub fn truncate(value: &str, max: usize) -> String {
    match value.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", value.get(..end).unwrap_or_default()),
        None => value.to_owned(),
    }
}

/// Where `needle` first occurs in `haystack`. A byte scan instead of `str::find`, whose
/// substring searcher costs kilobytes of wasm for needles this short.
pub fn find_text(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_characters_not_bytes() {
        assert_eq!(truncate("短信签名测试", 2), "短信…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
