//! A streaming UTF-16 to UTF-8 transcoder, for inputs that start with a
//! UTF-16 byte-order mark (Excel's "Unicode Text", some Windows tools).
//!
//! Transcoding as a `Read` adapter lets the JSONL and CSV readers work on
//! UTF-16 files unchanged, line by line, without loading them whole.

use std::io::{self, Read};

/// Stands in for an unpaired surrogate or a dangling odd byte. `0xFF` never
/// occurs in UTF-8, so the UTF-8 decoder downstream replaces each one with
/// U+FFFD and counts it, and the document is marked `lossy` like any other
/// invalid input.
const INVALID: u8 = 0xFF;

/// Reads UTF-16 (BOM already consumed) from `inner`, yields UTF-8.
pub(crate) struct Utf16ToUtf8<R> {
    inner: R,
    big_endian: bool,
    /// Raw bytes read but not yet decoded (an odd byte, at most).
    carry: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    /// UTF-8 decoded but not yet handed out, from `start`.
    out: Vec<u8>,
    start: usize,
    /// Whether `inner` has reached its end (and the tail has been flushed).
    done: bool,
}

impl<R: Read> Utf16ToUtf8<R> {
    /// Transcodes `inner`, which holds UTF-16 in the given byte order.
    pub(crate) fn new(inner: R, big_endian: bool) -> Self {
        Utf16ToUtf8 { inner, big_endian, carry: None, high: None, out: Vec::new(), start: 0, done: false }
    }

    /// Decodes the next chunk of `inner` into `out`; at the end of `inner`,
    /// flushes what cannot be completed as invalid.
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.start = 0;
        let mut raw = [0u8; 8192];
        while self.out.is_empty() && !self.done {
            let n = match self.inner.read(&mut raw) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.done = true;
                if self.high.take().is_some() {
                    self.out.push(INVALID);
                }
                if self.carry.take().is_some() {
                    self.out.push(INVALID);
                }
                break;
            }
            let mut bytes = &raw[..n];
            if let Some(first) = self.carry.take() {
                self.push_unit([first, bytes[0]]);
                bytes = &bytes[1..];
            }
            let mut pairs = bytes.chunks_exact(2);
            for pair in &mut pairs {
                self.push_unit([pair[0], pair[1]]);
            }
            self.carry = pairs.remainder().first().copied();
        }
        Ok(())
    }

    /// Decodes one code unit, pairing surrogates.
    fn push_unit(&mut self, bytes: [u8; 2]) {
        let unit = if self.big_endian { u16::from_be_bytes(bytes) } else { u16::from_le_bytes(bytes) };
        if let Some(high) = self.high.take() {
            if (0xDC00..0xE000).contains(&unit) {
                let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                self.push_char(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                return;
            }
            // The high surrogate had no partner; `unit` stands on its own.
            self.out.push(INVALID);
        }
        match unit {
            0xD800..=0xDBFF => self.high = Some(unit),
            0xDC00..=0xDFFF => self.out.push(INVALID),
            _ => self.push_char(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.start == self.out.len() {
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.start);
        buf[..n].copy_from_slice(&self.out[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn transcode(bytes: &[u8], big_endian: bool) -> Vec<u8> {
        let mut out = Vec::new();
        Utf16ToUtf8::new(bytes, big_endian).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn decodes_both_orders_and_surrogate_pairs() {
        let s = "Zürich 🌍 北京\r\n";
        assert_eq!(transcode(&le(s), false), s.as_bytes());
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(transcode(&be, true), s.as_bytes());
    }

    #[test]
    fn broken_input_becomes_invalid_bytes() {
        // Lone low surrogate, lone high surrogate before 'a', odd tail byte.
        let raw = [0x00, 0xDC, 0x00, 0xD8, b'a', 0, b'b'];
        assert_eq!(transcode(&raw, false), [INVALID, INVALID, b'a', INVALID]);
        // A high surrogate at the very end.
        assert_eq!(transcode(&[b'a', 0, 0x3D, 0xD8], false), [b'a', INVALID]);
    }

    /// A reader that returns the input in chunks of a given size, to split
    /// code units and surrogate pairs across reads.
    struct Chunked<'a>(&'a [u8], usize);

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    proptest! {
        #[test]
        fn any_string_in_any_chunking_round_trips(s in "\\PC{0,60}", chunk in 1usize..7) {
            let raw = le(&s);
            let mut out = Vec::new();
            Utf16ToUtf8::new(Chunked(&raw, chunk), false).read_to_end(&mut out).unwrap();
            prop_assert_eq!(out, s.as_bytes());
        }
    }
}
