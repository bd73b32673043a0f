//! About how many tokens an attachment costs, shown before it is sent. These are the
//! providers' published rules of thumb, not a tokenizer: each model family counts a
//! little differently, and a person deciding whether to attach a 300-page PDF needs
//! the order of magnitude, not the exact figure.

/// A picture: Anthropic's stated approximation, width × height / 750, rounded up.
/// OpenAI's tile-based count lands in the same range for the sizes Foxtail sends.
pub fn image_tokens(width: u32, height: u32) -> u64 {
    (u64::from(width) * u64::from(height)).div_ceil(750)
}

/// Text: one token per CJK or Hangul character, and one per four UTF-8 bytes of
/// everything else, rounded up.
///
/// Four bytes per token is the usual figure for English and other Latin-script text.
/// Chinese, Japanese and Korean run close to a token per character, which a
/// bytes-based count would put at a third of that. Other scripts (Cyrillic, Greek,
/// Arabic: two bytes per letter) come out at about two letters per token, near what
/// current tokenizers do.
pub fn text_tokens(text: &str) -> u64 {
    let mut wide = 0u64;
    let mut other_bytes = 0u64;
    for c in text.chars() {
        if is_cjk_or_hangul(c) {
            wide += 1;
        } else {
            other_bytes += c.len_utf8() as u64;
        }
    }
    wide + other_bytes.div_ceil(4)
}

fn is_cjk_or_hangul(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF      // Hangul Jamo
        | 0x2E80..=0x9FFF    // CJK radicals, punctuation, kana, Bopomofo, Hangul
                             // compatibility Jamo, extension A, unified ideographs
        | 0xA960..=0xA97F    // Hangul Jamo extended A
        | 0xAC00..=0xD7FF    // Hangul syllables, Jamo extended B
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF00..=0xFFEF    // full-width and half-width forms
        | 0x20000..=0x3FFFF // CJK extensions B and beyond
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_cost_their_area_over_750() {
        assert_eq!(image_tokens(1000, 750), 1000);
        assert_eq!(image_tokens(1, 1), 1);
        assert_eq!(image_tokens(0, 0), 0);
    }

    #[test]
    fn text_costs_a_token_per_four_bytes_or_per_cjk_character() {
        assert_eq!(text_tokens(""), 0);
        assert_eq!(text_tokens("abcd"), 1);
        assert_eq!(text_tokens("abcde"), 2);
        assert_eq!(text_tokens("日本語"), 3);
        assert_eq!(text_tokens("안녕하세요"), 5);
        assert_eq!(text_tokens("ab日本"), 3);
        assert_eq!(text_tokens("café"), 2);
    }
}
