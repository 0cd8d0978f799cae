//! The tokenizer on arbitrary text: tokens are non-empty, in order, do not
//! overlap, lie inside the text on code-point boundaries, and hold a letter
//! or digit; sentence and paragraph starts are valid, increasing token
//! indexes, every paragraph start also a sentence start.
#![no_main]

use cotag::tokenize::Segmentation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let s = Segmentation::of(text);
    let mut last_end = 0usize;
    for &(start, end) in &s.tokens {
        let (start, end) = (start as usize, end as usize);
        assert!(start < end, "empty token {start}..{end} in {text:?}");
        assert!(start >= last_end, "tokens overlap or go back at {start} in {text:?}");
        assert!(end <= text.len(), "token past the end in {text:?}");
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end), "token off a code point in {text:?}");
        // A word holds a letter or digit. (It may start with white space: a
        // combining mark after a space joins it, UAX #29 WB4, as in the
        // reference `unicode_words`; found by this target, see README.md.)
        let token = &text[start..end];
        assert!(token.chars().any(char::is_alphanumeric), "token {token:?} holds no letter or digit");
        last_end = end;
    }
    let n = s.tokens.len() as u32;
    for starts in [&s.sentence_starts, &s.paragraph_starts] {
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "starts not increasing in {text:?}");
        assert!(starts.iter().all(|&i| i < n), "start past the last token in {text:?}");
        assert_eq!(starts.first().is_some(), n > 0, "first start missing or extra in {text:?}");
        if n > 0 {
            assert_eq!(starts[0], 0);
        }
    }
    assert!(s.paragraph_starts.iter().all(|p| s.sentence_starts.binary_search(p).is_ok()));
});
