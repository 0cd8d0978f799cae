//! Turning bytes into text, and collecting the notes that end up in the
//! `detail` column.

use std::borrow::Cow;

use super::open::Encoding;
use crate::document::Status;

/// Decodes UTF-8, replacing each invalid sequence with U+FFFD; returns the
/// text and how many bytes were replaced. Valid input is not copied.
pub(crate) fn utf8_lossy(bytes: Vec<u8>) -> (String, usize) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, 0),
        Err(e) => replace_invalid(&e.into_bytes()),
    }
}

/// [`utf8_lossy`] for a borrowed slice (a JSONL line, a CSV field).
pub(crate) fn utf8_lossy_slice(bytes: &[u8]) -> (Cow<'_, str>, usize) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), 0),
        Err(_) => {
            let (s, n) = replace_invalid(bytes);
            (Cow::Owned(s), n)
        }
    }
}

/// The slow path: one U+FFFD per maximal invalid sequence (as
/// `String::from_utf8_lossy` does), counting the bytes replaced.
fn replace_invalid(bytes: &[u8]) -> (String, usize) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            invalid += chunk.invalid().len();
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    (text, invalid)
}

/// The status and `detail` of a document as they build up while it is read.
///
/// A document is `lossy` when anything in it had to be replaced; notes (the
/// replacement first, as it explains the status, then the encoding, then
/// anything else, such as an unparsed date) are joined with `; `.
#[derive(Debug)]
pub(crate) struct Notes {
    encoding: Encoding,
    invalid: usize,
    others: Vec<String>,
}

impl Notes {
    /// No notes yet, for a document read from an input in `encoding`.
    pub(crate) fn new(encoding: Encoding) -> Self {
        Notes { encoding, invalid: 0, others: Vec::new() }
    }

    /// Records `n` replaced bytes.
    pub(crate) fn invalid(&mut self, n: usize) {
        self.invalid += n;
    }

    /// Records a note (e.g. `unparsed date '...'`).
    pub(crate) fn note(&mut self, note: String) {
        self.others.push(note);
    }

    /// The final status and detail.
    pub(crate) fn finish(self) -> (Status, String) {
        let mut parts: Vec<String> = Vec::new();
        if self.invalid > 0 {
            // Invalid UTF-16 reaches the UTF-8 decoder as one byte per bad
            // code unit (see `utf16`), so the count means code units there.
            let (what, unit) = match self.encoding {
                Encoding::Utf8 => ("UTF-8", "byte"),
                Encoding::Utf16Le | Encoding::Utf16Be => ("UTF-16", "code unit"),
            };
            let plural = if self.invalid == 1 { "" } else { "s" };
            parts.push(format!("invalid {what} replaced ({} {unit}{plural})", self.invalid));
        }
        parts.extend(self.encoding.note().map(str::to_string));
        parts.extend(self.others);
        let status = if self.invalid > 0 { Status::Lossy } else { Status::Ok };
        (status, parts.join("; "))
    }
}

/// A value quoted for a detail, shortened so that a detail stays one
/// readable cell even when a field holds a whole article by mistake.
///
/// Control characters are escaped (`\n`, `\t`, `\u{f}`): a CSV date cell
/// may hold a quoted newline, and a detail must stay on one line (found by
/// the `table` fuzz target).
pub(crate) fn quote_short(s: &str) -> String {
    const MAX_CHARS: usize = 60;
    let mut out = String::from("'");
    for (i, c) in s.chars().enumerate() {
        if i == MAX_CHARS {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_utf8_passes_unchanged() {
        assert_eq!(utf8_lossy("Zürich".as_bytes().to_vec()), ("Zürich".to_string(), 0));
        assert!(matches!(utf8_lossy_slice(b"abc"), (Cow::Borrowed("abc"), 0)));
    }

    #[test]
    fn invalid_utf8_is_replaced_and_counted() {
        // Latin-1 "é", a lone continuation byte, a truncated 3-byte sequence.
        let (s, n) = utf8_lossy(b"caf\xe9 \x80 \xe2\x82".to_vec());
        assert_eq!(s, "caf\u{FFFD} \u{FFFD} \u{FFFD}");
        assert_eq!(n, 4);
        let (s, n) = utf8_lossy_slice(b"a\xffb");
        assert_eq!((s.as_ref(), n), ("a\u{FFFD}b", 1));
    }

    #[test]
    fn notes_order_and_status() {
        assert_eq!(Notes::new(Encoding::Utf8).finish(), (Status::Ok, String::new()));
        let mut n = Notes::new(Encoding::Utf8);
        n.note("unparsed date 'x'".into());
        n.invalid(1);
        assert_eq!(n.finish(), (Status::Lossy, "invalid UTF-8 replaced (1 byte); unparsed date 'x'".into()));
        let mut n = Notes::new(Encoding::Utf16Le);
        n.invalid(2);
        assert_eq!(n.finish(), (Status::Lossy, "invalid UTF-16 replaced (2 code units); decoded from UTF-16LE".into()));
    }

    #[test]
    fn quote_short_cuts_on_char_boundaries() {
        assert_eq!(quote_short("abc"), "'abc'");
        let long = "é".repeat(100);
        assert_eq!(quote_short(&long), format!("'{}...'", "é".repeat(60)));
        assert_eq!(quote_short(&"x".repeat(60)), format!("'{}'", "x".repeat(60)));
    }

    #[test]
    fn quote_short_keeps_a_detail_on_one_line() {
        assert_eq!(quote_short("2022\n-12\r\t\u{f}04"), "'2022\\n-12\\r\\t\\u{f}04'");
        assert_eq!(quote_short("Zürich \u{FFFD}"), "'Zürich \u{FFFD}'");
    }
}
