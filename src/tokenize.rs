//! Word, sentence and paragraph segmentation of one document.
//!
//! [`Segmentation::segment_into`] turns a text into three arrays of offsets:
//! the byte range of every word token, and the index of the first token of
//! every sentence and of every paragraph. Everything downstream (gazetteer
//! matching, co-occurrence windows) is expressed in token indices, so this is
//! the only place that looks at characters.
//!
//! # Tokens
//!
//! A token is a word segment of Unicode Standard Annex #29 ("Unicode Text
//! Segmentation", word boundaries) that holds at least one alphanumeric
//! character (`char::is_alphanumeric`: Alphabetic, which includes ideographs
//! and kana, or Numeric). Whitespace and punctuation segments are not tokens.
//! So `China's` and `China’s` are one token each, `U.S.` gives the token `U.S`
//! followed by the punctuation `.`, `3.5` and `don't` are one token, `e-mail`
//! is two.
//!
//! The reference implementation is the `unicode-segmentation` crate, and the
//! tokens are *exactly* its `split_word_bound_indices` segments filtered as
//! above (a property test checks this). It runs at about 35 MB/s, too slow for
//! a corpus tool, so the text is cut into chunks at ASCII whitespace and:
//!
//! * a chunk made of ASCII plus a few common non-ASCII punctuation marks
//!   (curly quotes and apostrophes, en and em dashes, the ellipsis, no-break
//!   space) goes through a hand-written state machine that implements the
//!   UAX #29 word rules for exactly those characters (WB5–WB13b: letters,
//!   digits, `_` as ExtendNumLet, `:` as MidLetter, `.` `'` `‘` `’` as
//!   MidNumLet, `,` `;` as MidNum);
//! * any other chunk falls back to `unicode-segmentation`. The fallback region
//!   is widened to the whitespace on both sides of the chunk (up to the
//!   neighbouring fast chunks), because UAX #29 does not always break at a
//!   whitespace/non-ASCII edge: a combining mark after a space attaches to the
//!   space (WB4), and Unicode spaces join ASCII spaces (WB3d). The edge
//!   between an ASCII non-space character and ASCII whitespace, which is where
//!   the region starts and ends, is always a boundary, so the result is exact.
//!
//! The fallback is per chunk, not per document, so one curly quote or accented
//! name does not slow down a whole article.
//!
//! # Paragraphs
//!
//! A paragraph is a run of text between blank lines. A line holding only
//! whitespace is blank. Lines end with `\n`, `\r\n`, a lone `\r`, NEL (U+0085)
//! or LINE SEPARATOR (U+2028); PARAGRAPH SEPARATOR (U+2029) always starts a
//! new paragraph. A paragraph break always ends a sentence. Paragraphs and
//! sentences without tokens are not counted.
//!
//! # Sentences
//!
//! Sentence boundaries follow the UAX #29 sentence rules SB1–SB11 (ATerm `.`,
//! the Unicode STerm set such as `!` `?` `。`, Close such as quotes and
//! brackets, Sp, SContinue; SB6 `3.5`, SB7 `U.S`, SB8 a period followed by a
//! lowercase word, SB8a), with these deliberate deviations for news text:
//!
//! * **Line breaks.** UAX #29 ends a sentence at every line break (SB4). News
//!   text is often hard-wrapped, so here a single line break inside a
//!   paragraph counts as a space (`Sp`): only terminators and paragraph breaks
//!   (blank lines, U+2029) end a sentence.
//! * **Abbreviations.** A period right after a word listed in
//!   `data/abbreviations.txt` (titles such as `Mr.` and `Gen.`, months such as
//!   `Jan.`, `U.S.`, `Inc.`, `etc.`, `a.m.`, ...), after a single capital
//!   letter (the initial in `John F. Kennedy`) or after dotted initials
//!   (`N.Y.`, `D.C.`) never ends a sentence when more text follows. This is
//!   also true for `U.S.` at the true end of a sentence followed by a
//!   capitalized word ("... in the U.S. The next day ..."), which is
//!   ambiguous; SPEC.md §2 says U.S. does not end a sentence, so it does not.
//!   Matching is case-sensitive (`Mr`, not `mr` or `MR`).
//! * **Breaks inside a token.** Every token belongs to the sentence in which
//!   it starts. UAX #29 can put a sentence boundary inside a word token only
//!   in rare cases such as a period between a letter and a letter of a
//!   caseless script; such a boundary is ignored.
//! * SB5 (Extend and Format characters are transparent) is applied, which
//!   the `unicode-segmentation` sentence iterator does not do.
//!
//! Characters outside ASCII are classified with a table of the sentence-break
//! classes ATerm, STerm, Close, SContinue, Sp, Sep, Extend/Format and Numeric
//! (Unicode 17, the version of the `unicode-segmentation` tables it was
//! generated from); Upper, Lower and OLetter come from the standard library's
//! `is_uppercase`, `is_lowercase` and `is_alphabetic`.
//!
//! Sentence and paragraph structure is computed only from the text between
//! consecutive tokens (the "gap"), after tokenizing; a gap that holds no
//! terminator, line break or non-ASCII character (almost all of them: a space
//! or a comma) is skipped after one look at its bytes.

use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

/// Word, sentence and paragraph structure of one text, as byte offsets.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Segmentation {
    /// Byte range `[start, end)` of each word token, in text order.
    pub tokens: Vec<(u32, u32)>,
    /// Index into `tokens` of the first token of each sentence (sentences hold at least one token); first is 0 when there are tokens.
    pub sentence_starts: Vec<u32>,
    /// Index into `tokens` of the first token of each paragraph (paragraphs hold at least one token).
    pub paragraph_starts: Vec<u32>,
    /// Working space: the tokens (index ≥ 1) whose gap before them may end
    /// a sentence or paragraph, as the tokenizer saw the gap's bytes go by.
    /// Most gaps of running text are a space or a comma: the sentence pass
    /// then reads only these, not every gap again.
    maybe_breaks: Vec<u32>,
}

impl Segmentation {
    /// Segments `text`, reusing this value's buffers (cleared first).
    ///
    /// `text` must be shorter than `u32::MAX` bytes (the caller refuses longer
    /// documents); offsets would otherwise wrap.
    pub fn segment_into(&mut self, text: &str) {
        self.tokens.clear();
        self.sentence_starts.clear();
        self.paragraph_starts.clear();
        self.maybe_breaks.clear();
        debug_assert!(text.len() < u32::MAX as usize);
        tokenize(text, &mut self.tokens, &mut self.maybe_breaks);
        structure(text, &self.tokens, &self.maybe_breaks, &mut self.sentence_starts, &mut self.paragraph_starts);
    }

    /// Convenience: a new segmentation of `text`.
    pub fn of(text: &str) -> Segmentation {
        let mut s = Segmentation::default();
        s.segment_into(text);
        s
    }

    /// Index of the sentence holding token `t` (binary search).
    ///
    /// A `t` past the last token gives the last sentence; with no tokens at
    /// all the answer is 0.
    pub fn sentence_of(&self, t: u32) -> u32 {
        containing(&self.sentence_starts, t)
    }

    /// The tokens of each sentence, in text order.
    pub fn sentence_tokens(&self) -> impl Iterator<Item = &[(u32, u32)]> + '_ {
        let ends = self.sentence_starts.iter().skip(1).map(|&s| s as usize).chain(std::iter::once(self.tokens.len()));
        self.sentence_starts.iter().zip(ends).map(|(&start, end)| &self.tokens[start as usize..end])
    }

    /// Index of the paragraph holding token `t` (binary search).
    ///
    /// A `t` past the last token gives the last paragraph; with no tokens at
    /// all the answer is 0.
    pub fn paragraph_of(&self, t: u32) -> u32 {
        containing(&self.paragraph_starts, t)
    }

    /// Index of the token holding or following byte offset `byte` (the first
    /// token whose end is greater than `byte`); `tokens.len()` when no token
    /// ends after `byte`.
    pub fn token_at(&self, byte: u32) -> u32 {
        self.tokens.partition_point(|&(_, end)| end <= byte) as u32
    }
}

/// Index of the run (sentence or paragraph) whose start is the last one at or
/// before token `t`.
fn containing(starts: &[u32], t: u32) -> u32 {
    (starts.partition_point(|&s| s <= t) as u32).saturating_sub(1)
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

/// Fast-path word classes (UAX #29 Word_Break values restricted to the
/// characters the fast path handles).
const W_OTHER: u8 = 0;
/// ALetter.
const W_LETTER: u8 = 1;
/// Numeric.
const W_DIGIT: u8 = 2;
/// ExtendNumLet (`_`).
const W_EXTEND_NUM_LET: u8 = 3;
/// MidLetter (`:`): joins letters only (WB6/WB7).
const W_MID_LETTER: u8 = 4;
/// MidNumLet and Single_Quote (`.` `'`, and `‘` `’` decoded separately):
/// join letters (WB6/WB7) and digits (WB11/WB12).
const W_MID_NUM_LET: u8 = 5;
/// MidNum (`,` `;`): joins digits only (WB11/WB12).
const W_MID_NUM: u8 = 6;
/// ASCII whitespace: chunk separator, never part of a token.
const W_SPACE: u8 = 7;
/// A byte of a non-ASCII character; decoded by [`wide_class`].
const W_WIDE: u8 = 8;

/// Word class of every byte.
static WORD_CLASS: [u8; 256] = {
    let mut t = [W_OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_alphabetic() {
            W_LETTER
        } else if c.is_ascii_digit() {
            W_DIGIT
        } else if c >= 0x80 {
            W_WIDE
        } else {
            match c {
                b'_' => W_EXTEND_NUM_LET,
                b':' => W_MID_LETTER,
                b'.' | b'\'' => W_MID_NUM_LET,
                b',' | b';' => W_MID_NUM,
                b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => W_SPACE,
                _ => W_OTHER,
            }
        };
        i += 1;
    }
    t
};

#[inline(always)]
fn is_space(b: u8) -> bool {
    WORD_CLASS[b as usize] == W_SPACE
}

/// Class and length of the non-ASCII character starting at `b[i]`, when it is
/// one the fast path knows; `None` sends the chunk to the fallback.
///
/// These are the non-ASCII characters that are frequent in English news text
/// and have the Word_Break value given here (checked against
/// `unicode-segmentation` by the tests); none of them is Extend, Format or
/// ZWJ, so the fast path's "break around Other" stays exact.
#[inline]
fn wide_class(b: &[u8], i: usize) -> Option<(u8, usize)> {
    match (b[i], b.get(i + 1).copied(), b.get(i + 2).copied()) {
        (0xE2, Some(0x80), Some(x)) => match x {
            // ‘ ’: MidNumLet, like the ASCII apostrophe.
            0x98 | 0x99 => Some((W_MID_NUM_LET, 3)),
            // – — “ ” … : Other.
            0x93 | 0x94 | 0x9C | 0x9D | 0xA6 => Some((W_OTHER, 3)),
            _ => None,
        },
        // U+00A0 NO-BREAK SPACE: Other for word segmentation.
        (0xC2, Some(0xA0), _) => Some((W_OTHER, 2)),
        _ => None,
    }
}

/// Class and length of the character at `b[i]` (which is `< b.len()`), or
/// `None` for a non-ASCII character the fast path does not know.
#[inline(always)]
fn class_at(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let c = WORD_CLASS[b[i] as usize];
    if c != W_WIDE {
        Some((c, 1))
    } else {
        wide_class(b, i)
    }
}

/// Whether a byte is a letter, digit or `_`: the ASCII characters that join
/// each other without a break (WB5, WB8, WB9, WB10, WB13a, WB13b).
static WORDISH: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(WORD_CLASS[i], W_LETTER | W_DIGIT | W_EXTEND_NUM_LET);
        i += 1;
    }
    t
};

/// The first position from `i` on whose byte is not a letter, digit or `_`
/// ([`WORDISH`]), or `b.len()`.
///
/// Eight bytes at a time ([`wordish_bytes`]): a byte-by-byte loop
/// mispredicts its exit at nearly every token, and word tokens of news are
/// mostly shorter than eight bytes.
#[inline(always)]
fn skip_wordish(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let word = wordish_bytes(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if word != HIGH_BITS {
            return i + ((!word & HIGH_BITS).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && WORDISH[b[i] as usize] {
        i += 1;
    }
    i
}

/// The high bit of every byte of a `u64`.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// `c` in every byte of a `u64`.
pub(crate) const fn every_byte(c: u8) -> u64 {
    c as u64 * 0x0101_0101_0101_0101
}

/// The high bit of each byte of `v` (whose bytes are all below 0x80) that
/// lies in `lo..=hi` (`lo` ≥ 1): no sum below carries into the next byte.
pub(crate) const fn bytes_in(v: u64, lo: u8, hi: u8) -> u64 {
    (v + every_byte(0x80 - lo)) & !(v + every_byte(0x7F - hi)) & HIGH_BITS
}

/// The high bit of each byte of the eight bytes `x` (little-endian) that is
/// an ASCII letter, digit or `_`: [`WORDISH`] for eight bytes at once.
const fn wordish_bytes(x: u64) -> u64 {
    let ascii = !x & HIGH_BITS;
    let low = x & !HIGH_BITS;
    let letter = bytes_in(low | every_byte(0x20), b'a', b'z');
    let digit = bytes_in(low, b'0', b'9');
    let underscore = bytes_in(low, b'_', b'_');
    (letter | digit | underscore) & ascii
}

/// Appends the tokens of `text` to `tokens`, and to `maybe_breaks` the
/// index of each token (but the first) whose gap before it holds a byte of
/// [`GAP_INTERESTING`] (or comes out of the fallback): every gap that may
/// end a sentence or paragraph is among them.
///
/// One pass over the bytes with the fast path, 64 bytes at a time: the
/// bytes of a [`Block`] are classified at once, as bit masks, and the
/// common cases (a gap of spaces; a word ending at a space, or at a byte
/// that joins nothing to it) are read from the masks, with no look at a
/// byte of their own. Every other position takes one [`Scan::step`], the
/// byte-by-byte path, which gives the same tokens and breaks. When it
/// meets a non-ASCII character it does not know, the chunk holding it (and
/// any following such chunks, with the whitespace around them) is handed
/// to the fallback, and the tokens the fast path already pushed for that
/// chunk are dropped.
fn tokenize(text: &str, tokens: &mut Vec<(u32, u32)>, maybe_breaks: &mut Vec<u32>) {
    let b = text.as_bytes();
    let n = b.len();
    let mut scan = Scan::default();
    while scan.i < n {
        let base = scan.i;
        let block = Block::at(b, base);
        let block_end = (base + 64).min(n);
        while scan.i < block_end {
            let rel = scan.i - base;
            // Spaces are gap bytes that change nothing: passed over at once.
            let ahead = !block.space & (u64::MAX << rel);
            if ahead == 0 {
                scan.i = block_end;
                break;
            }
            let at = ahead.trailing_zeros() as usize;
            scan.i = base + at;
            if scan.i >= block_end {
                break;
            }
            if block.wordish >> at & 1 == 1 && b[scan.i] != b'_' {
                let end = (!block.wordish & (u64::MAX << at)).trailing_zeros() as usize;
                if block.ends_word(b, base, end) {
                    scan.push(scan.i, base + end, tokens, maybe_breaks);
                    scan.i = base + end;
                    continue;
                }
            }
            scan.step(text, tokens, maybe_breaks);
        }
    }
}

/// The byte-by-byte tokenizer alone, without [`Block`]s: what [`tokenize`]
/// must give, for the tests.
#[cfg(test)]
fn tokenize_bytewise(text: &str, tokens: &mut Vec<(u32, u32)>, maybe_breaks: &mut Vec<u32>) {
    let mut scan = Scan::default();
    while scan.i < text.len() {
        scan.step(text, tokens, maybe_breaks);
    }
}

/// Sixty-four bytes of text from `base` on (spaces past the end of the
/// text), as masks: bit `k` of each stands for byte `base + k`.
struct Block {
    /// ASCII letters, digits and `_` ([`WORDISH`]).
    wordish: u64,
    /// The space character (other whitespace takes the byte-by-byte path).
    space: u64,
}

impl Block {
    fn at(b: &[u8], base: usize) -> Block {
        let mut padded = [b' '; 64];
        let bytes: &[u8] = match b.get(base..base + 64) {
            Some(bytes) => bytes,
            None => {
                padded[..b.len() - base].copy_from_slice(&b[base..]);
                &padded
            }
        };
        let (mut wordish, mut space) = (0, 0);
        for (k, chunk) in bytes.chunks_exact(16).enumerate() {
            let lo = u64::from_le_bytes(chunk[..8].try_into().expect("eight bytes"));
            let hi = u64::from_le_bytes(chunk[8..].try_into().expect("eight bytes"));
            let (w, s) = masks16(lo, hi);
            let shift = 16 * k;
            wordish |= w << shift;
            space |= s << shift;
        }
        Block { wordish, space }
    }

    /// Whether the run of letters, digits and `_` that stops at byte `end`
    /// of the block (`< 64`; the run holds a letter or digit before it) is
    /// a whole token, as [`scan_token`] would find it: the byte at `end` is
    /// a space, or an ASCII byte that joins nothing (not a middle
    /// character of UAX #29: `:` `.` `'` `,` `;`), or a middle one followed
    /// by a byte that is no ASCII letter or digit (WB6/7, WB11/12 need
    /// one). Anything else, among which a non-ASCII byte at `end` ("China’s")
    /// and a run reaching the block's end, is left to [`scan_token`].
    ///
    /// A non-ASCII byte after a middle one may start a letter that joins
    /// ("a.é"): the fast path does not know such a character, so its chunk,
    /// this word with it, goes to the fallback, which reads the chunk again.
    #[inline(always)]
    fn ends_word(&self, b: &[u8], base: usize, end: usize) -> bool {
        if end >= 64 || self.space >> end & 1 == 1 {
            // The padding past the text's end is spaces.
            return end < 64;
        }
        match WORD_CLASS[b[base + end] as usize] {
            W_MID_LETTER | W_MID_NUM_LET | W_MID_NUM => {
                let next = end + 1;
                next < 64 && self.wordish >> next & 1 == 0
            }
            W_WIDE => false,
            _ => true,
        }
    }
}

/// The [`Block`] masks of 16 bytes (`lo`, then `hi`), as 16 bits each.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks16(lo: u64, hi: u64) -> (u64, u64) {
    // SAFETY: SSE2 is part of the x86-64 base instruction set: every
    // processor of this architecture, and every Rust target for it, has it.
    unsafe { sse2_masks(lo, hi) }
}

/// The [`Block`] masks of 16 bytes, eight at a time in integers, where
/// the processor's vector instructions are not known to be there.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn masks16(lo: u64, hi: u64) -> (u64, u64) {
    swar_masks16(lo, hi)
}

/// [`masks16`] with SSE2: six comparisons of 16 bytes at once, where the
/// integer version takes some thirty operations for eight bytes. Tokenizing took a
/// quarter of the tagging thread's instructions before blocks were read
/// this way.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2_masks(lo: u64, hi: u64) -> (u64, u64) {
    use std::arch::x86_64::*;
    let x = _mm_set_epi64x(hi as i64, lo as i64);
    let mask = |m: __m128i| _mm_movemask_epi8(m) as u16 as u64;
    // Bytes compare as signed: those of non-ASCII characters are negative,
    // below every range tested here.
    let lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
    let letter = _mm_and_si128(
        _mm_cmpgt_epi8(lower, _mm_set1_epi8(b'a' as i8 - 1)),
        _mm_cmplt_epi8(lower, _mm_set1_epi8(b'z' as i8 + 1)),
    );
    let digit = _mm_and_si128(
        _mm_cmpgt_epi8(x, _mm_set1_epi8(b'0' as i8 - 1)),
        _mm_cmplt_epi8(x, _mm_set1_epi8(b'9' as i8 + 1)),
    );
    let underscore = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'_' as i8));
    let wordish = _mm_or_si128(_mm_or_si128(letter, digit), underscore);
    (mask(wordish), mask(_mm_cmpeq_epi8(x, _mm_set1_epi8(b' ' as i8))))
}

/// [`masks16`] in integers ([`wordish_bytes`] and a test for spaces).
#[cfg(any(test, not(target_arch = "x86_64")))]
fn swar_masks16(lo: u64, hi: u64) -> (u64, u64) {
    let eight = |x: u64| {
        // Exact: a byte is zero after the `xor` only if it was a space, and
        // no sum below carries into the next byte.
        let y = x ^ every_byte(b' ');
        let space = !(((y & !HIGH_BITS) + !HIGH_BITS) | y) & HIGH_BITS;
        (high_bits_packed(wordish_bytes(x)), high_bits_packed(space))
    };
    let ((w0, s0), (w1, s1)) = (eight(lo), eight(hi));
    (w0 | w1 << 8, s0 | s1 << 8)
}

/// The high bit of each of the eight bytes of `m` (its only bits) as the
/// eight low bits of the result, byte 0 as bit 0: the multiplication moves
/// bit `8k + 7` to bit `56 + k`, with no two terms meeting.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn high_bits_packed(m: u64) -> u64 {
    (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The byte-by-byte tokenizer's place and state.
#[derive(Default)]
struct Scan {
    /// The next byte to read.
    i: usize,
    /// Start of the text not yet covered by a fallback region: a region
    /// never reaches back before it.
    floor: usize,
    /// Whether the gap since the last token holds an interesting byte.
    interesting: bool,
}

impl Scan {
    /// Pushes the token `start..end`, noting in `maybe_breaks` whether an
    /// interesting byte stood in the gap before it.
    #[inline(always)]
    fn push(&mut self, start: usize, end: usize, tokens: &mut Vec<(u32, u32)>, maybe_breaks: &mut Vec<u32>) {
        if self.interesting && !tokens.is_empty() {
            maybe_breaks.push(tokens.len() as u32);
        }
        self.interesting = false;
        tokens.push((start as u32, end as u32));
    }

    /// Reads one token or one gap character at `i` (`< text.len()`), or
    /// hands a region to the fallback.
    fn step(&mut self, text: &str, tokens: &mut Vec<(u32, u32)>, maybe_breaks: &mut Vec<u32>) {
        let b = text.as_bytes();
        let i = self.i;
        let c = WORD_CLASS[b[i] as usize];
        let bail_at = if WORDISH[b[i] as usize] {
            match scan_token(b, i) {
                Ok(end) => {
                    // A run of `_` alone has no alphanumeric character.
                    if c != W_EXTEND_NUM_LET || b[i..end].iter().any(|x| x.is_ascii_alphanumeric()) {
                        self.push(i, end, tokens, maybe_breaks);
                    }
                    self.i = end;
                    return;
                }
                Err(at) => at,
            }
        } else if c == W_WIDE {
            match wide_class(b, i) {
                // A known non-ASCII character outside a word: punctuation.
                Some((_, len)) => {
                    self.interesting = true;
                    self.i += len;
                    return;
                }
                None => i,
            }
        } else {
            self.interesting |= GAP_INTERESTING[b[i] as usize];
            self.i += 1;
            return;
        };
        let (first_new, end) = fallback_around(text, bail_at, self.floor, tokens);
        // The region's gaps, and the one after it, are all looked at.
        while maybe_breaks.last().is_some_and(|&t| t as usize >= first_new) {
            maybe_breaks.pop();
        }
        maybe_breaks.extend((first_new.max(1)..tokens.len()).map(|t| t as u32));
        self.interesting = true;
        self.i = end;
        self.floor = end;
    }
}

/// Handles an unknown non-ASCII character at `b[at]`: runs the fallback from
/// the end of the last fast chunk before it (not before `floor`) up to the
/// start of the next chunk the fast path can take, replacing any tokens the
/// fast path pushed in that region. Returns the index of the region's first
/// token (the number of tokens before it) and the end of the region.
#[cold]
#[inline(never)]
fn fallback_around(text: &str, at: usize, floor: usize, tokens: &mut Vec<(u32, u32)>) -> (usize, usize) {
    let b = text.as_bytes();
    let n = b.len();
    let mut start = at;
    while start > floor && !is_space(b[start - 1]) {
        start -= 1;
    }
    while start > floor && is_space(b[start - 1]) {
        start -= 1;
    }
    while tokens.last().is_some_and(|t| t.0 as usize >= start) {
        tokens.pop();
    }
    let first_new = tokens.len();
    let mut end = at;
    loop {
        while end < n && !is_space(b[end]) {
            end += 1;
        }
        while end < n && is_space(b[end]) {
            end += 1;
        }
        if end == n || chunk_is_fast(b, end) {
            break;
        }
    }
    fallback(text, start, end, tokens);
    (first_new, end)
}

/// Whether every character of the chunk starting at `b[i]` is one the fast
/// path handles.
fn chunk_is_fast(b: &[u8], mut i: usize) -> bool {
    while i < b.len() && !is_space(b[i]) {
        match class_at(b, i) {
            Some((_, len)) => i += len,
            None => return false,
        }
    }
    true
}

/// Scans the word segment starting with the letter, digit or `_` at
/// `b[start]` by the UAX #29 word rules. Returns its end, or `Err` with the
/// position of a non-ASCII character the fast path does not know.
#[inline(always)]
fn scan_token(b: &[u8], start: usize) -> Result<usize, usize> {
    let n = b.len();
    let mut i = start + 1;
    loop {
        i = skip_wordish(b, i);
        if i >= n {
            return Ok(i);
        }
        let (c, len) = match WORD_CLASS[b[i] as usize] {
            W_WIDE => wide_class(b, i).ok_or(i)?,
            c => (c, 1),
        };
        // WB6/WB7 (letter, mid, letter) and WB11/WB12 (digit, mid, digit):
        // a middle character joins only when the kind of the character
        // before it follows it. After `_` nothing joins.
        let before = WORD_CLASS[b[i - 1] as usize];
        let joins = match c {
            W_MID_LETTER => before == W_LETTER,
            W_MID_NUM_LET => before == W_LETTER || before == W_DIGIT,
            W_MID_NUM => before == W_DIGIT,
            _ => false,
        };
        if !joins || i + len >= n {
            return Ok(i);
        }
        let next = match WORD_CLASS[b[i + len] as usize] {
            // An unknown character after a middle one may be a letter.
            W_WIDE => wide_class(b, i + len).ok_or(i + len)?.0,
            c => c,
        };
        if next != before {
            return Ok(i);
        }
        i += len + 1;
    }
}

/// Tokenizes `text[start..end]` with `unicode-segmentation`. Both ends must be
/// word boundaries of the whole text (see the module doc).
#[cold]
fn fallback(text: &str, start: usize, end: usize, tokens: &mut Vec<(u32, u32)>) {
    for (off, seg) in text[start..end].split_word_bound_indices() {
        if seg.chars().any(char::is_alphanumeric) {
            let s = start + off;
            tokens.push((s as u32, (s + seg.len()) as u32));
        }
    }
}

// ---------------------------------------------------------------------------
// Sentences and paragraphs
// ---------------------------------------------------------------------------

/// Bytes that make a gap between tokens worth a closer look: terminators,
/// line breaks, and the lead bytes of non-ASCII characters (which may be
/// terminators or separators).
static GAP_INTERESTING: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = i >= 0x80 || matches!(i as u8, b'.' | b'!' | b'?' | b'\n' | b'\r');
        i += 1;
    }
    t
};

/// Whether a gap between two tokens may hold a sentence or paragraph break.
/// Most gaps are a space or a comma; the curly quotes, dashes, ellipsis and
/// no-break space of news text are neither terminators nor line breaks, so
/// they are stepped over here without decoding.
#[inline]
fn gap_is_interesting(gap: &[u8]) -> bool {
    let mut i = 0;
    while i < gap.len() {
        if !GAP_INTERESTING[gap[i] as usize] {
            i += 1;
        } else if gap[i] < 0x80 {
            return true;
        } else if let Some((_, len)) = wide_class(gap, i) {
            i += len;
        } else {
            return true;
        }
    }
    false
}

/// Fills the sentence and paragraph starts from the gaps between tokens:
/// the gaps before the tokens of `maybe_breaks` (see [`tokenize`]), as
/// the others hold no byte that can end a sentence or paragraph.
fn structure(
    text: &str,
    tokens: &[(u32, u32)],
    maybe_breaks: &[u32],
    sentence_starts: &mut Vec<u32>,
    paragraph_starts: &mut Vec<u32>,
) {
    if tokens.is_empty() {
        return;
    }
    sentence_starts.push(0);
    paragraph_starts.push(0);
    let b = text.as_bytes();
    for &i in maybe_breaks {
        let i = i as usize;
        let (prev_start, gap_start) = tokens[i - 1];
        let gap_end = tokens[i].0;
        if !gap_is_interesting(&b[gap_start as usize..gap_end as usize]) {
            continue;
        }
        let gap_str = &text[gap_start as usize..gap_end as usize];
        if has_paragraph_break(gap_str) {
            paragraph_starts.push(i as u32);
            sentence_starts.push(i as u32);
        } else if ends_sentence(text, prev_start as usize, gap_start as usize, gap_end as usize) {
            sentence_starts.push(i as u32);
        }
    }
}

/// Line terminator handling shared by the paragraph scan and the SB8
/// look-ahead: tracks whether the current line is blank so far.
#[derive(Default)]
struct BlankLines {
    /// A line terminator was seen and only whitespace since.
    blank: bool,
    /// The previous character was `\r` (so a `\n` now is part of `\r\n`).
    after_cr: bool,
}

impl BlankLines {
    /// Feeds one character; true when it completes a blank line, or is a
    /// PARAGRAPH SEPARATOR: a paragraph break.
    #[inline]
    fn feed(&mut self, c: char) -> bool {
        let after_cr = std::mem::replace(&mut self.after_cr, c == '\r');
        match c {
            '\n' if after_cr => false,
            '\n' | '\r' | '\u{85}' | '\u{2028}' => std::mem::replace(&mut self.blank, true),
            '\u{2029}' => true,
            c if c.is_whitespace() => false,
            _ => {
                self.blank = false;
                false
            }
        }
    }
}

/// Whether the text between two tokens holds a blank line or a paragraph
/// separator. The line before the gap holds a token, so it is not blank.
fn has_paragraph_break(gap: &str) -> bool {
    let mut lines = BlankLines::default();
    gap.chars().any(|c| lines.feed(c))
}

/// Sentence-break classes (UAX #29 Sentence_Break, with CR, LF, and Sep split
/// into line breaks and the paragraph separator).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sb {
    Other,
    /// Extend or Format: transparent (SB5).
    Extend,
    Sp,
    /// CR, LF, NEL, LINE SEPARATOR.
    LineBreak,
    /// PARAGRAPH SEPARATOR.
    ParaSep,
    Lower,
    Upper,
    OLetter,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
}

/// Sentence-break class of every ASCII character.
static ASCII_SB: [Sb; 128] = {
    let mut t = [Sb::Other; 128];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = if c.is_ascii_lowercase() {
            Sb::Lower
        } else if c.is_ascii_uppercase() {
            Sb::Upper
        } else if c.is_ascii_digit() {
            Sb::Numeric
        } else {
            match c {
                b'.' => Sb::ATerm,
                b'!' | b'?' => Sb::STerm,
                b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Sb::Close,
                b',' | b'-' | b':' | b';' => Sb::SContinue,
                b' ' | b'\t' | 0x0B | 0x0C => Sb::Sp,
                b'\n' | b'\r' => Sb::LineBreak,
                _ => Sb::Other,
            }
        };
        i += 1;
    }
    t
};

/// Sentence-break class of `c`.
#[inline(always)]
fn sb_class(c: char) -> Sb {
    if c.is_ascii() {
        ASCII_SB[c as usize]
    } else {
        sb_class_wide(c)
    }
}

/// Sentence-break class of a non-ASCII character.
#[inline(never)]
fn sb_class_wide(c: char) -> Sb {
    if c == '\u{2029}' {
        return Sb::ParaSep;
    }
    let cp = c as u32;
    if let Ok(k) = SB_TABLE.binary_search_by(|&(lo, hi, _)| {
        if hi < cp {
            std::cmp::Ordering::Less
        } else if lo > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        return SB_TABLE[k].2;
    }
    if c.is_lowercase() {
        Sb::Lower
    } else if c.is_uppercase() {
        Sb::Upper
    } else if c.is_alphabetic() {
        Sb::OLetter
    } else {
        Sb::Other
    }
}

/// An open `SATerm Close* Sp*` sequence, waiting for the character that
/// decides whether a sentence ends after it.
#[derive(Clone, Copy)]
struct Term {
    /// The terminator is ATerm (SB6–SB8 and abbreviations apply), not STerm.
    aterm: bool,
    /// The character before the terminator was Upper or Lower (SB7).
    after_letter: bool,
    /// The terminator came right after the previous token, which may then be
    /// an abbreviation.
    after_token: bool,
    /// Close characters followed the terminator.
    close: bool,
    /// Spaces (or single line breaks) followed.
    sp: bool,
}

/// Whether a sentence boundary falls between the token `text[prev_start..
/// gap_start]` and the token starting at `gap_end`, by the UAX #29 sentence
/// rules and this module's deviations. The gap holds no paragraph break.
fn ends_sentence(text: &str, prev_start: usize, gap_start: usize, gap_end: usize) -> bool {
    let mut prev = text[..gap_start].chars().next_back().map_or(Sb::Other, sb_class);
    let mut term: Option<Term> = None;
    for (off, c) in text[gap_start..].char_indices() {
        let pos = gap_start + off;
        if pos >= gap_end && term.is_none() {
            // The decision is made; normally at the first character of the
            // next token.
            break;
        }
        let class = sb_class(c);
        if class == Sb::Extend {
            continue; // SB5
        }
        match (&mut term, class) {
            (_, Sb::ATerm | Sb::STerm) => {
                // SB8a: SATerm Close* Sp* × SATerm; a new sequence starts.
                term = Some(Term {
                    aterm: class == Sb::ATerm,
                    after_letter: matches!(prev, Sb::Upper | Sb::Lower),
                    after_token: pos == gap_start,
                    close: false,
                    sp: false,
                });
            }
            (None, _) => {}
            (Some(t), Sb::Close) if !t.sp => t.close = true, // SB9
            // SB9, SB10; a single line break counts as a space (deviation).
            (Some(t), Sb::Sp | Sb::LineBreak) => t.sp = true,
            (Some(_), Sb::SContinue) => term = None, // SB8a
            (Some(t), _) => {
                let t = *t;
                if !continues_sentence(text, &t, class, pos, prev_start, gap_start) {
                    return true; // SB11
                }
                term = None;
            }
        }
        prev = class;
    }
    false
}

/// For an ATerm sequence `t` followed by the character at `pos` of class
/// `class`: whether SB6, SB7, SB8 or the abbreviation rule keeps the sentence
/// going.
fn continues_sentence(text: &str, t: &Term, class: Sb, pos: usize, prev_start: usize, gap_start: usize) -> bool {
    if !t.aterm {
        return false;
    }
    if !t.close && !t.sp {
        // SB6: ATerm × Numeric. SB7: (Upper | Lower) ATerm × Upper.
        if class == Sb::Numeric || (class == Sb::Upper && t.after_letter) {
            return true;
        }
    }
    // SB8: ATerm Close* Sp* × (¬(OLetter | Upper | Lower | ParaSep | SATerm))* Lower
    if lowercase_follows(&text[pos..]) {
        return true;
    }
    t.after_token && is_abbreviation(&text[prev_start..gap_start])
}

/// The look-ahead of SB8: skipping characters that are not letters,
/// terminators or paragraph breaks, is the next one lowercase? Single line
/// breaks are skipped like spaces (deviation, see the module doc).
fn lowercase_follows(ahead: &str) -> bool {
    let mut lines = BlankLines::default();
    for c in ahead.chars() {
        match sb_class(c) {
            Sb::Lower => return true,
            Sb::OLetter | Sb::Upper | Sb::ATerm | Sb::STerm | Sb::ParaSep => return false,
            _ => {}
        }
        if lines.feed(c) {
            return false;
        }
    }
    false
}

/// The abbreviation list, without final periods, bucketed by first byte.
/// This is asked at almost every sentence end, so it should cost a few
/// length comparisons, not a hash or a binary search of string compares.
fn abbreviations() -> &'static [Vec<&'static str>] {
    static BUCKETS: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    BUCKETS.get_or_init(|| {
        let mut buckets = vec![Vec::new(); 256];
        for word in include_str!("data/abbreviations.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.strip_suffix('.').unwrap_or(l))
        {
            let bucket: &mut Vec<&str> = &mut buckets[word.as_bytes()[0] as usize];
            if !bucket.contains(&word) {
                bucket.push(word);
            }
        }
        buckets
    })
}

/// Whether `word` is in the abbreviation list.
fn is_listed_abbreviation(word: &str) -> bool {
    let Some(&first) = word.as_bytes().first() else {
        return false;
    };
    abbreviations()[first as usize].iter().any(|a| a.len() == word.len() && a.as_bytes() == word.as_bytes())
}

/// Whether a period after `word` (a token) marks an abbreviation: a listed
/// one, a single capital initial (`F` in "John F. Kennedy"), or dotted
/// single-letter initials (`N.Y`, `D.C`, `J.R.R`).
fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    if word.contains('.')
        && word.split('.').all(|part| {
            let mut cs = part.chars();
            matches!((cs.next(), cs.next()), (Some(c), None) if c.is_alphabetic())
        })
    {
        return true;
    }
    is_listed_abbreviation(word)
}

/// Sentence-break classes of non-ASCII characters: ATerm, STerm, Close,
/// SContinue, Sp, Sep (as [`Sb::LineBreak`]), Extend and Format (as
/// [`Sb::Extend`]) and Numeric, as sorted disjoint inclusive ranges. Generated
/// from the Unicode 17 tables of `unicode-segmentation` 1.13 (its own table
/// is private). Letters are left to the standard library.
#[rustfmt::skip]
static SB_TABLE: &[(u32, u32, Sb)] = {
    use Sb::{ATerm as AT, Close as CL, Extend as EX, LineBreak as SE, Numeric as NU,
             SContinue as SC, STerm as ST, Sp as SP};
    &[
    (0x85, 0x85, SE), (0xA0, 0xA0, SP), (0xAB, 0xAB, CL), (0xAD, 0xAD, EX), (0xBB, 0xBB, CL),
    (0x300, 0x36F, EX), (0x37E, 0x37E, SC), (0x483, 0x489, EX), (0x55D, 0x55D, SC),
    (0x589, 0x589, ST), (0x591, 0x5BD, EX), (0x5BF, 0x5BF, EX), (0x5C1, 0x5C2, EX),
    (0x5C4, 0x5C5, EX), (0x5C7, 0x5C7, EX), (0x600, 0x605, NU), (0x60C, 0x60D, SC),
    (0x610, 0x61A, EX), (0x61C, 0x61C, EX), (0x61D, 0x61F, ST), (0x64B, 0x65F, EX),
    (0x660, 0x669, NU), (0x66B, 0x66C, NU), (0x670, 0x670, EX), (0x6D4, 0x6D4, ST),
    (0x6D6, 0x6DC, EX), (0x6DD, 0x6DD, NU), (0x6DF, 0x6E4, EX), (0x6E7, 0x6E8, EX),
    (0x6EA, 0x6ED, EX), (0x6F0, 0x6F9, NU), (0x700, 0x702, ST), (0x70F, 0x70F, EX),
    (0x711, 0x711, EX), (0x730, 0x74A, EX), (0x7A6, 0x7B0, EX), (0x7C0, 0x7C9, NU),
    (0x7EB, 0x7F3, EX), (0x7F8, 0x7F8, SC), (0x7F9, 0x7F9, ST), (0x7FD, 0x7FD, EX),
    (0x816, 0x819, EX), (0x81B, 0x823, EX), (0x825, 0x827, EX), (0x829, 0x82D, EX),
    (0x837, 0x837, ST), (0x839, 0x839, ST), (0x83D, 0x83E, ST), (0x859, 0x85B, EX),
    (0x890, 0x891, NU), (0x897, 0x89F, EX), (0x8CA, 0x8E1, EX), (0x8E2, 0x8E2, NU),
    (0x8E3, 0x903, EX), (0x93A, 0x93C, EX), (0x93E, 0x94F, EX), (0x951, 0x957, EX),
    (0x962, 0x963, EX), (0x964, 0x965, ST), (0x966, 0x96F, NU), (0x981, 0x983, EX),
    (0x9BC, 0x9BC, EX), (0x9BE, 0x9C4, EX), (0x9C7, 0x9C8, EX), (0x9CB, 0x9CD, EX),
    (0x9D7, 0x9D7, EX), (0x9E2, 0x9E3, EX), (0x9E6, 0x9EF, NU), (0x9FE, 0x9FE, EX),
    (0xA01, 0xA03, EX), (0xA3C, 0xA3C, EX), (0xA3E, 0xA42, EX), (0xA47, 0xA48, EX),
    (0xA4B, 0xA4D, EX), (0xA51, 0xA51, EX), (0xA66, 0xA6F, NU), (0xA70, 0xA71, EX),
    (0xA75, 0xA75, EX), (0xA81, 0xA83, EX), (0xABC, 0xABC, EX), (0xABE, 0xAC5, EX),
    (0xAC7, 0xAC9, EX), (0xACB, 0xACD, EX), (0xAE2, 0xAE3, EX), (0xAE6, 0xAEF, NU),
    (0xAFA, 0xAFF, EX), (0xB01, 0xB03, EX), (0xB3C, 0xB3C, EX), (0xB3E, 0xB44, EX),
    (0xB47, 0xB48, EX), (0xB4B, 0xB4D, EX), (0xB55, 0xB57, EX), (0xB62, 0xB63, EX),
    (0xB66, 0xB6F, NU), (0xB82, 0xB82, EX), (0xBBE, 0xBC2, EX), (0xBC6, 0xBC8, EX),
    (0xBCA, 0xBCD, EX), (0xBD7, 0xBD7, EX), (0xBE6, 0xBEF, NU), (0xC00, 0xC04, EX),
    (0xC3C, 0xC3C, EX), (0xC3E, 0xC44, EX), (0xC46, 0xC48, EX), (0xC4A, 0xC4D, EX),
    (0xC55, 0xC56, EX), (0xC62, 0xC63, EX), (0xC66, 0xC6F, NU), (0xC81, 0xC83, EX),
    (0xCBC, 0xCBC, EX), (0xCBE, 0xCC4, EX), (0xCC6, 0xCC8, EX), (0xCCA, 0xCCD, EX),
    (0xCD5, 0xCD6, EX), (0xCE2, 0xCE3, EX), (0xCE6, 0xCEF, NU), (0xCF3, 0xCF3, EX),
    (0xD00, 0xD03, EX), (0xD3B, 0xD3C, EX), (0xD3E, 0xD44, EX), (0xD46, 0xD48, EX),
    (0xD4A, 0xD4D, EX), (0xD57, 0xD57, EX), (0xD62, 0xD63, EX), (0xD66, 0xD6F, NU),
    (0xD81, 0xD83, EX), (0xDCA, 0xDCA, EX), (0xDCF, 0xDD4, EX), (0xDD6, 0xDD6, EX),
    (0xDD8, 0xDDF, EX), (0xDE6, 0xDEF, NU), (0xDF2, 0xDF3, EX), (0xE31, 0xE31, EX),
    (0xE34, 0xE3A, EX), (0xE47, 0xE4E, EX), (0xE50, 0xE59, NU), (0xEB1, 0xEB1, EX),
    (0xEB4, 0xEBC, EX), (0xEC8, 0xECE, EX), (0xED0, 0xED9, NU), (0xF18, 0xF19, EX),
    (0xF20, 0xF29, NU), (0xF35, 0xF35, EX), (0xF37, 0xF37, EX), (0xF39, 0xF39, EX),
    (0xF3A, 0xF3D, CL), (0xF3E, 0xF3F, EX), (0xF71, 0xF84, EX), (0xF86, 0xF87, EX),
    (0xF8D, 0xF97, EX), (0xF99, 0xFBC, EX), (0xFC6, 0xFC6, EX), (0x102B, 0x103E, EX),
    (0x1040, 0x1049, NU), (0x104A, 0x104B, ST), (0x1056, 0x1059, EX), (0x105E, 0x1060, EX),
    (0x1062, 0x1064, EX), (0x1067, 0x106D, EX), (0x1071, 0x1074, EX), (0x1082, 0x108D, EX),
    (0x108F, 0x108F, EX), (0x1090, 0x1099, NU), (0x109A, 0x109D, EX), (0x135D, 0x135F, EX),
    (0x1362, 0x1362, ST), (0x1367, 0x1368, ST), (0x166E, 0x166E, ST), (0x1680, 0x1680, SP),
    (0x169B, 0x169C, CL), (0x1712, 0x1715, EX), (0x1732, 0x1734, EX), (0x1735, 0x1736, ST),
    (0x1752, 0x1753, EX), (0x1772, 0x1773, EX), (0x17B4, 0x17D3, EX), (0x17D4, 0x17D5, ST),
    (0x17DD, 0x17DD, EX), (0x17E0, 0x17E9, NU), (0x1802, 0x1802, SC), (0x1803, 0x1803, ST),
    (0x1808, 0x1808, SC), (0x1809, 0x1809, ST), (0x180B, 0x180F, EX), (0x1810, 0x1819, NU),
    (0x1885, 0x1886, EX), (0x18A9, 0x18A9, EX), (0x1920, 0x192B, EX), (0x1930, 0x193B, EX),
    (0x1944, 0x1945, ST), (0x1946, 0x194F, NU), (0x19D0, 0x19DA, NU), (0x1A17, 0x1A1B, EX),
    (0x1A55, 0x1A5E, EX), (0x1A60, 0x1A7C, EX), (0x1A7F, 0x1A7F, EX), (0x1A80, 0x1A89, NU),
    (0x1A90, 0x1A99, NU), (0x1AA8, 0x1AAB, ST), (0x1AB0, 0x1ADD, EX), (0x1AE0, 0x1AEB, EX),
    (0x1B00, 0x1B04, EX), (0x1B34, 0x1B44, EX), (0x1B4E, 0x1B4F, ST), (0x1B50, 0x1B59, NU),
    (0x1B5A, 0x1B5B, ST), (0x1B5E, 0x1B5F, ST), (0x1B6B, 0x1B73, EX), (0x1B7D, 0x1B7F, ST),
    (0x1B80, 0x1B82, EX), (0x1BA1, 0x1BAD, EX), (0x1BB0, 0x1BB9, NU), (0x1BE6, 0x1BF3, EX),
    (0x1C24, 0x1C37, EX), (0x1C3B, 0x1C3C, ST), (0x1C40, 0x1C49, NU), (0x1C50, 0x1C59, NU),
    (0x1C7E, 0x1C7F, ST), (0x1CD0, 0x1CD2, EX), (0x1CD4, 0x1CE8, EX), (0x1CED, 0x1CED, EX),
    (0x1CF4, 0x1CF4, EX), (0x1CF7, 0x1CF9, EX), (0x1DC0, 0x1DFF, EX), (0x2000, 0x200A, SP),
    (0x200B, 0x200F, EX), (0x2013, 0x2014, SC), (0x2018, 0x201F, CL), (0x2024, 0x2024, AT),
    (0x2028, 0x2029, SE), (0x202A, 0x202E, EX), (0x202F, 0x202F, SP), (0x2039, 0x203A, CL),
    (0x203C, 0x203D, ST), (0x2045, 0x2046, CL), (0x2047, 0x2049, ST), (0x205F, 0x205F, SP),
    (0x2060, 0x2064, EX), (0x2066, 0x206F, EX), (0x207D, 0x207E, CL), (0x208D, 0x208E, CL),
    (0x20D0, 0x20F0, EX), (0x2308, 0x230B, CL), (0x2329, 0x232A, CL), (0x275B, 0x2760, CL),
    (0x2768, 0x2775, CL), (0x27C5, 0x27C6, CL), (0x27E6, 0x27EF, CL), (0x2983, 0x2998, CL),
    (0x29D8, 0x29DB, CL), (0x29FC, 0x29FD, CL), (0x2CEF, 0x2CF1, EX), (0x2CF9, 0x2CFB, ST),
    (0x2D7F, 0x2D7F, EX), (0x2DE0, 0x2DFF, EX), (0x2E00, 0x2E0D, CL), (0x2E1C, 0x2E1D, CL),
    (0x2E20, 0x2E29, CL), (0x2E2E, 0x2E2E, ST), (0x2E3C, 0x2E3C, ST), (0x2E42, 0x2E42, CL),
    (0x2E53, 0x2E54, ST), (0x2E55, 0x2E5C, CL), (0x3000, 0x3000, SP), (0x3001, 0x3001, SC),
    (0x3002, 0x3002, ST), (0x3008, 0x3011, CL), (0x3014, 0x301B, CL), (0x301D, 0x301F, CL),
    (0x302A, 0x302F, EX), (0x3099, 0x309A, EX), (0xA4FF, 0xA4FF, ST), (0xA60E, 0xA60F, ST),
    (0xA620, 0xA629, NU), (0xA66F, 0xA672, EX), (0xA674, 0xA67D, EX), (0xA69E, 0xA69F, EX),
    (0xA6F0, 0xA6F1, EX), (0xA6F3, 0xA6F3, ST), (0xA6F7, 0xA6F7, ST), (0xA802, 0xA802, EX),
    (0xA806, 0xA806, EX), (0xA80B, 0xA80B, EX), (0xA823, 0xA827, EX), (0xA82C, 0xA82C, EX),
    (0xA876, 0xA877, ST), (0xA880, 0xA881, EX), (0xA8B4, 0xA8C5, EX), (0xA8CE, 0xA8CF, ST),
    (0xA8D0, 0xA8D9, NU), (0xA8E0, 0xA8F1, EX), (0xA8FF, 0xA8FF, EX), (0xA900, 0xA909, NU),
    (0xA926, 0xA92D, EX), (0xA92F, 0xA92F, ST), (0xA947, 0xA953, EX), (0xA980, 0xA983, EX),
    (0xA9B3, 0xA9C0, EX), (0xA9C8, 0xA9C9, ST), (0xA9D0, 0xA9D9, NU), (0xA9E5, 0xA9E5, EX),
    (0xA9F0, 0xA9F9, NU), (0xAA29, 0xAA36, EX), (0xAA43, 0xAA43, EX), (0xAA4C, 0xAA4D, EX),
    (0xAA50, 0xAA59, NU), (0xAA5D, 0xAA5F, ST), (0xAA7B, 0xAA7D, EX), (0xAAB0, 0xAAB0, EX),
    (0xAAB2, 0xAAB4, EX), (0xAAB7, 0xAAB8, EX), (0xAABE, 0xAABF, EX), (0xAAC1, 0xAAC1, EX),
    (0xAAEB, 0xAAEF, EX), (0xAAF0, 0xAAF1, ST), (0xAAF5, 0xAAF6, EX), (0xABE3, 0xABEA, EX),
    (0xABEB, 0xABEB, ST), (0xABEC, 0xABED, EX), (0xABF0, 0xABF9, NU), (0xFB1E, 0xFB1E, EX),
    (0xFD3E, 0xFD3F, CL), (0xFE00, 0xFE0F, EX), (0xFE10, 0xFE11, SC), (0xFE12, 0xFE12, ST),
    (0xFE13, 0xFE14, SC), (0xFE15, 0xFE16, ST), (0xFE17, 0xFE18, CL), (0xFE20, 0xFE2F, EX),
    (0xFE31, 0xFE32, SC), (0xFE35, 0xFE44, CL), (0xFE47, 0xFE48, CL), (0xFE50, 0xFE51, SC),
    (0xFE52, 0xFE52, AT), (0xFE54, 0xFE55, SC), (0xFE56, 0xFE57, ST), (0xFE58, 0xFE58, SC),
    (0xFE59, 0xFE5E, CL), (0xFE63, 0xFE63, SC), (0xFEFF, 0xFEFF, EX), (0xFF01, 0xFF01, ST),
    (0xFF08, 0xFF09, CL), (0xFF0C, 0xFF0D, SC), (0xFF0E, 0xFF0E, AT), (0xFF10, 0xFF19, NU),
    (0xFF1A, 0xFF1B, SC), (0xFF1F, 0xFF1F, ST), (0xFF3B, 0xFF3B, CL), (0xFF3D, 0xFF3D, CL),
    (0xFF5B, 0xFF5B, CL), (0xFF5D, 0xFF5D, CL), (0xFF5F, 0xFF60, CL), (0xFF61, 0xFF61, ST),
    (0xFF62, 0xFF63, CL), (0xFF64, 0xFF64, SC), (0xFF9E, 0xFF9F, EX), (0xFFF9, 0xFFFB, EX),
    (0x101FD, 0x101FD, EX), (0x102E0, 0x102E0, EX), (0x10376, 0x1037A, EX),
    (0x104A0, 0x104A9, NU), (0x10A01, 0x10A03, EX), (0x10A05, 0x10A06, EX),
    (0x10A0C, 0x10A0F, EX), (0x10A38, 0x10A3A, EX), (0x10A3F, 0x10A3F, EX),
    (0x10A56, 0x10A57, ST), (0x10AE5, 0x10AE6, EX), (0x10D24, 0x10D27, EX),
    (0x10D30, 0x10D39, NU), (0x10D40, 0x10D49, NU), (0x10D69, 0x10D6D, EX),
    (0x10EAB, 0x10EAC, EX), (0x10EFA, 0x10EFF, EX), (0x10F46, 0x10F50, EX),
    (0x10F55, 0x10F59, ST), (0x10F82, 0x10F85, EX), (0x10F86, 0x10F89, ST),
    (0x11000, 0x11002, EX), (0x11038, 0x11046, EX), (0x11047, 0x11048, ST),
    (0x11066, 0x1106F, NU), (0x11070, 0x11070, EX), (0x11073, 0x11074, EX),
    (0x1107F, 0x11082, EX), (0x110B0, 0x110BA, EX), (0x110BD, 0x110BD, NU),
    (0x110BE, 0x110C1, ST), (0x110C2, 0x110C2, EX), (0x110CD, 0x110CD, NU),
    (0x110F0, 0x110F9, NU), (0x11100, 0x11102, EX), (0x11127, 0x11134, EX),
    (0x11136, 0x1113F, NU), (0x11141, 0x11143, ST), (0x11145, 0x11146, EX),
    (0x11173, 0x11173, EX), (0x11180, 0x11182, EX), (0x111B3, 0x111C0, EX),
    (0x111C5, 0x111C6, ST), (0x111C9, 0x111CC, EX), (0x111CD, 0x111CD, ST),
    (0x111CE, 0x111CF, EX), (0x111D0, 0x111D9, NU), (0x111DE, 0x111DF, ST),
    (0x1122C, 0x11237, EX), (0x11238, 0x11239, ST), (0x1123B, 0x1123C, ST),
    (0x1123E, 0x1123E, EX), (0x11241, 0x11241, EX), (0x112A9, 0x112A9, ST),
    (0x112DF, 0x112EA, EX), (0x112F0, 0x112F9, NU), (0x11300, 0x11303, EX),
    (0x1133B, 0x1133C, EX), (0x1133E, 0x11344, EX), (0x11347, 0x11348, EX),
    (0x1134B, 0x1134D, EX), (0x11357, 0x11357, EX), (0x11362, 0x11363, EX),
    (0x11366, 0x1136C, EX), (0x11370, 0x11374, EX), (0x113B8, 0x113C0, EX),
    (0x113C2, 0x113C2, EX), (0x113C5, 0x113C5, EX), (0x113C7, 0x113CA, EX),
    (0x113CC, 0x113D0, EX), (0x113D2, 0x113D2, EX), (0x113D4, 0x113D5, ST),
    (0x113E1, 0x113E2, EX), (0x11435, 0x11446, EX), (0x1144B, 0x1144C, ST),
    (0x11450, 0x11459, NU), (0x1145E, 0x1145E, EX), (0x114B0, 0x114C3, EX),
    (0x114D0, 0x114D9, NU), (0x115AF, 0x115B5, EX), (0x115B8, 0x115C0, EX),
    (0x115C2, 0x115C3, ST), (0x115C9, 0x115D7, ST), (0x115DC, 0x115DD, EX),
    (0x11630, 0x11640, EX), (0x11641, 0x11642, ST), (0x11650, 0x11659, NU),
    (0x116AB, 0x116B7, EX), (0x116C0, 0x116C9, NU), (0x116D0, 0x116E3, NU),
    (0x1171D, 0x1172B, EX), (0x11730, 0x11739, NU), (0x1173C, 0x1173E, ST),
    (0x1182C, 0x1183A, EX), (0x118E0, 0x118E9, NU), (0x11930, 0x11935, EX),
    (0x11937, 0x11938, EX), (0x1193B, 0x1193E, EX), (0x11940, 0x11940, EX),
    (0x11942, 0x11943, EX), (0x11944, 0x11944, ST), (0x11946, 0x11946, ST),
    (0x11950, 0x11959, NU), (0x119D1, 0x119D7, EX), (0x119DA, 0x119E0, EX),
    (0x119E4, 0x119E4, EX), (0x11A01, 0x11A0A, EX), (0x11A33, 0x11A39, EX),
    (0x11A3B, 0x11A3E, EX), (0x11A42, 0x11A43, ST), (0x11A47, 0x11A47, EX),
    (0x11A51, 0x11A5B, EX), (0x11A8A, 0x11A99, EX), (0x11A9B, 0x11A9C, ST),
    (0x11B60, 0x11B67, EX), (0x11BF0, 0x11BF9, NU), (0x11C2F, 0x11C36, EX),
    (0x11C38, 0x11C3F, EX), (0x11C41, 0x11C42, ST), (0x11C50, 0x11C59, NU),
    (0x11C92, 0x11CA7, EX), (0x11CA9, 0x11CB6, EX), (0x11D31, 0x11D36, EX),
    (0x11D3A, 0x11D3A, EX), (0x11D3C, 0x11D3D, EX), (0x11D3F, 0x11D45, EX),
    (0x11D47, 0x11D47, EX), (0x11D50, 0x11D59, NU), (0x11D8A, 0x11D8E, EX),
    (0x11D90, 0x11D91, EX), (0x11D93, 0x11D97, EX), (0x11DA0, 0x11DA9, NU),
    (0x11DE0, 0x11DE9, NU), (0x11EF3, 0x11EF6, EX), (0x11EF7, 0x11EF8, ST),
    (0x11F00, 0x11F01, EX), (0x11F03, 0x11F03, EX), (0x11F34, 0x11F3A, EX),
    (0x11F3E, 0x11F42, EX), (0x11F43, 0x11F44, ST), (0x11F50, 0x11F59, NU),
    (0x11F5A, 0x11F5A, EX), (0x13430, 0x13440, EX), (0x13447, 0x13455, EX),
    (0x1611E, 0x1612F, EX), (0x16130, 0x16139, NU), (0x16A60, 0x16A69, NU),
    (0x16A6E, 0x16A6F, ST), (0x16AC0, 0x16AC9, NU), (0x16AF0, 0x16AF4, EX),
    (0x16AF5, 0x16AF5, ST), (0x16B30, 0x16B36, EX), (0x16B37, 0x16B38, ST),
    (0x16B44, 0x16B44, ST), (0x16B50, 0x16B59, NU), (0x16D6E, 0x16D6F, ST),
    (0x16D70, 0x16D79, NU), (0x16E98, 0x16E98, ST), (0x16F4F, 0x16F4F, EX),
    (0x16F51, 0x16F87, EX), (0x16F8F, 0x16F92, EX), (0x16FE4, 0x16FE4, EX),
    (0x16FF0, 0x16FF1, EX), (0x1BC9D, 0x1BC9E, EX), (0x1BC9F, 0x1BC9F, ST),
    (0x1BCA0, 0x1BCA3, EX), (0x1CCF0, 0x1CCF9, NU), (0x1CF00, 0x1CF2D, EX),
    (0x1CF30, 0x1CF46, EX), (0x1D165, 0x1D169, EX), (0x1D16D, 0x1D182, EX),
    (0x1D185, 0x1D18B, EX), (0x1D1AA, 0x1D1AD, EX), (0x1D242, 0x1D244, EX),
    (0x1D7CE, 0x1D7FF, NU), (0x1DA00, 0x1DA36, EX), (0x1DA3B, 0x1DA6C, EX),
    (0x1DA75, 0x1DA75, EX), (0x1DA84, 0x1DA84, EX), (0x1DA88, 0x1DA88, ST),
    (0x1DA9B, 0x1DA9F, EX), (0x1DAA1, 0x1DAAF, EX), (0x1E000, 0x1E006, EX),
    (0x1E008, 0x1E018, EX), (0x1E01B, 0x1E021, EX), (0x1E023, 0x1E024, EX),
    (0x1E026, 0x1E02A, EX), (0x1E08F, 0x1E08F, EX), (0x1E130, 0x1E136, EX),
    (0x1E140, 0x1E149, NU), (0x1E2AE, 0x1E2AE, EX), (0x1E2EC, 0x1E2EF, EX),
    (0x1E2F0, 0x1E2F9, NU), (0x1E4EC, 0x1E4EF, EX), (0x1E4F0, 0x1E4F9, NU),
    (0x1E5EE, 0x1E5EF, EX), (0x1E5F1, 0x1E5FA, NU), (0x1E6E3, 0x1E6E3, EX),
    (0x1E6E6, 0x1E6E6, EX), (0x1E6EE, 0x1E6EF, EX), (0x1E6F5, 0x1E6F5, EX),
    (0x1E8D0, 0x1E8D6, EX), (0x1E944, 0x1E94A, EX), (0x1E950, 0x1E959, NU),
    (0x1F676, 0x1F678, CL), (0x1FBF0, 0x1FBF9, NU), (0xE0001, 0xE0001, EX),
    (0xE0020, 0xE007F, EX), (0xE0100, 0xE01EF, EX),
    ]
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// The token texts of `text`.
    fn words(text: &str) -> Vec<&str> {
        Segmentation::of(text).tokens.iter().map(|&(s, e)| &text[s as usize..e as usize]).collect()
    }

    /// The sentences of `text`, as the token texts of each.
    fn sentences(text: &str) -> Vec<Vec<&str>> {
        group(text, |s| &s.sentence_starts)
    }

    /// The paragraphs of `text`, as the token texts of each.
    fn paragraphs(text: &str) -> Vec<Vec<&str>> {
        group(text, |s| &s.paragraph_starts)
    }

    fn group(text: &str, starts: impl Fn(&Segmentation) -> &Vec<u32>) -> Vec<Vec<&str>> {
        let seg = Segmentation::of(text);
        let mut out: Vec<Vec<&str>> = Vec::new();
        for (i, &(s, e)) in seg.tokens.iter().enumerate() {
            if starts(&seg).contains(&(i as u32)) {
                out.push(Vec::new());
            }
            out.last_mut().expect("first token starts a run").push(&text[s as usize..e as usize]);
        }
        out
    }

    /// The reference: `unicode-segmentation` word segments holding an
    /// alphanumeric character.
    fn reference_tokens(text: &str) -> Vec<(u32, u32)> {
        text.split_word_bound_indices()
            .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
            .map(|(s, w)| (s as u32, (s + w.len()) as u32))
            .collect()
    }

    #[test]
    fn sentence_tokens_are_the_sentences() {
        for text in ["", "...", "One. Two words! Three\n\nFour five.", "No end"] {
            let seg = Segmentation::of(text);
            let by_iterator: Vec<Vec<&str>> = seg
                .sentence_tokens()
                .map(|tokens| tokens.iter().map(|&(s, e)| &text[s as usize..e as usize]).collect())
                .collect();
            assert_eq!(by_iterator, sentences(text), "{text:?}");
        }
        assert_eq!(Segmentation::of("One. Two words! Three\n\nFour five.").sentence_tokens().count(), 4);
    }

    #[test]
    fn sentence_counts() {
        let cases: &[(&str, usize)] = &[
            ("Mr. Smith went to Washington. He left.", 2),
            ("The U.S. economy grew.", 1),
            ("The U.S. Senate voted.", 1),
            // Ambiguous, but SPEC.md says U.S. does not end a sentence.
            ("He lives in the U.S. The rest stayed.", 1),
            ("He lives in the US. The rest stayed.", 2),
            ("John F. Kennedy spoke.", 1),
            ("It rose 3.5 percent. Then fell.", 2),
            ("He said \"Stop.\" Then left.", 2),
            ("He said “Stop.” Then left.", 2),
            // `?` is STerm; SB8 (lowercase continues) applies to ATerm only.
            ("Is it? yes it is.", 2),
            ("It is e.g. fine. And done.", 2),
            ("The end. the start.", 1),
            ("Jan. 5 was cold.", 1),
            ("On Aug. 12, Gen. Smith and Sen. Jones met Dr. Who at 5 p.m. Friday.", 1),
            ("Apple Inc. Reported gains. Shares rose.", 2),
            ("Wait... What? No! Fine.", 4),
            ("Wait... what now?", 1),
            ("He left (finally.) Then she came.", 2),
            ("They met in Washington, D.C. Later they left.", 1),
            ("Stop!, he said.", 1),
            ("First。Second。", 2),
            ("A sentence without a terminator", 1),
            ("One. Two. Three.", 3),
            ("No terminator\nat the wrapped line end\nstill one sentence", 1),
            ("Ends here.\nNext one starts on the next line.", 2),
            ("Ends here.\r\nNext one.", 2),
            ("See No. 10 Downing Street.", 1),
            ("Mr.\nSmith arrived.", 1),
            ("", 0),
            ("... !!! ???", 0),
            ("Hello.", 1),
            ("Hello. ", 1),
            ("Hello!!! World", 2),
        ];
        for &(text, want) in cases {
            let got = sentences(text);
            assert_eq!(got.len(), want, "{text:?} -> {got:?}");
        }
    }

    #[test]
    fn sentence_contents() {
        assert_eq!(
            sentences("Mr. Smith went to Washington. He left."),
            vec![vec!["Mr", "Smith", "went", "to", "Washington"], vec!["He", "left"]]
        );
        assert_eq!(sentences("He said \"Stop.\" Then left."), vec![vec!["He", "said", "Stop"], vec!["Then", "left"]]);
    }

    #[test]
    fn token_cases() {
        let cases: &[(&str, &[&str])] = &[
            ("China's economy", &["China's", "economy"]),
            ("China’s economy", &["China’s", "economy"]),
            ("the U.S. economy", &["the", "U.S", "economy"]),
            ("rose 3.5 percent", &["rose", "3.5", "percent"]),
            ("1,000,000 people", &["1,000,000", "people"]),
            ("e-mail", &["e", "mail"]),
            ("don't", &["don't"]),
            ("Côte d'Ivoire", &["Côte", "d'Ivoire"]),
            ("Côte d’Ivoire", &["Côte", "d’Ivoire"]),
            ("“Stop,” he said — twice…", &["Stop", "he", "said", "twice"]),
            ("a:b a.1 1.a 1a a_b __ _x", &["a:b", "a", "1", "1", "a", "1a", "a_b", "_x"]),
            ("", &[]),
            ("  ... ,;:!? — “” ", &[]),
            ("start", &["start"]),
            ("start and end", &["start", "and", "end"]),
            ("naïve café 東京 カタカナ", &["naïve", "café", "東", "京", "カタカナ"]),
            ("x\u{a0}y", &["x", "y"]),
        ];
        for &(text, want) in cases {
            assert_eq!(words(text), want, "{text:?}");
        }
    }

    #[test]
    fn token_offsets_at_edges() {
        let s = Segmentation::of("Alpha beta.");
        assert_eq!(s.tokens, vec![(0, 5), (6, 10)]);
        let s = Segmentation::of("é");
        assert_eq!(s.tokens, vec![(0, 2)]);
        assert_eq!(s.sentence_starts, vec![0]);
        assert_eq!(s.paragraph_starts, vec![0]);
    }

    #[test]
    fn empty_and_punctuation_only() {
        for text in ["", "   \n\n  ", "...!?", "— “” …"] {
            let s = Segmentation::of(text);
            assert_eq!(s, Segmentation::default(), "{text:?}");
            assert_eq!(s.sentence_of(0), 0);
            assert_eq!(s.token_at(0), 0);
        }
    }

    #[test]
    fn paragraph_cases() {
        let cases: &[(&str, usize)] = &[
            ("One para.\n\nTwo para.", 2),
            ("One para.\r\n\r\nTwo para.", 2),
            ("One para.\r\rTwo para.", 2),
            ("One para.\n   \t\nTwo para.", 2),
            ("One para.\n \u{a0}\n\n\nTwo para.", 2),
            ("Line one\nline two\nline three.", 1),
            ("Line one\r\nline two.", 1),
            ("\n\n\nLeading blank lines.\n\n\n", 1),
            ("One\u{2029}Two", 2),
            ("A\n\n--\n\nB", 2),
            ("A\n\n\n\nB\n\nC", 3),
        ];
        for &(text, want) in cases {
            let got = paragraphs(text);
            assert_eq!(got.len(), want, "{text:?} -> {got:?}");
        }
    }

    #[test]
    fn paragraph_break_ends_sentence() {
        // No terminator, yet two sentences: the blank line ends the first.
        let text = "A title without a period\n\nThe body starts here. And goes on";
        assert_eq!(
            sentences(text),
            vec![
                vec!["A", "title", "without", "a", "period"],
                vec!["The", "body", "starts", "here"],
                vec!["And", "goes", "on"]
            ]
        );
        let s = Segmentation::of(text);
        assert_eq!(s.paragraph_starts, vec![0, 5]);
        // An abbreviation does not hold a paragraph together.
        assert_eq!(sentences("In the U.S.\n\nNext").len(), 2);
    }

    #[test]
    fn hard_wrapped_sentence() {
        let text = "The minister said on Tuesday that the\nnegotiations would resume\r\nnext week";
        assert_eq!(sentences(text).len(), 1);
        assert_eq!(paragraphs(text).len(), 1);
    }

    #[test]
    fn lookups() {
        let text = "Ab cd. Ef gh.\n\nIj kl.";
        let s = Segmentation::of(text);
        assert_eq!(s.sentence_starts, vec![0, 2, 4]);
        assert_eq!(s.paragraph_starts, vec![0, 4]);
        let sent: Vec<u32> = (0..6).map(|t| s.sentence_of(t)).collect();
        assert_eq!(sent, vec![0, 0, 1, 1, 2, 2]);
        let para: Vec<u32> = (0..6).map(|t| s.paragraph_of(t)).collect();
        assert_eq!(para, vec![0, 0, 0, 0, 1, 1]);
        assert_eq!(s.token_at(0), 0);
        assert_eq!(s.token_at(1), 0);
        assert_eq!(s.token_at(2), 1); // the space after "Ab"
        assert_eq!(s.token_at(5), 2); // the period after "cd"
        assert_eq!(s.token_at(text.len() as u32), 6);
    }

    #[test]
    fn segment_into_reuses_and_clears() {
        let mut s = Segmentation::of("One. Two.\n\nThree.");
        s.segment_into("Only");
        assert_eq!(s, Segmentation::of("Only"));
    }

    #[test]
    fn block_masks_agree_with_the_bytes() {
        // Every byte value at every place of a block, the others changing,
        // and a block cut short by the text's end (padded with spaces).
        for v in 0..=255u8 {
            for fill in [b'a', b' ', 0xE2, b'_', b'.'] {
                for place in [0, 7, 8, 31, 63] {
                    let mut bytes = [fill; 64];
                    bytes[place] = v;
                    for len in [64, place + 1] {
                        let block = Block::at(&bytes[..len], 0);
                        for (k, &c) in bytes.iter().enumerate() {
                            let c = if k < len { c } else { b' ' };
                            assert_eq!(block.wordish >> k & 1 == 1, WORDISH[c as usize], "{v} at {place}, byte {k}");
                            assert_eq!(block.space >> k & 1 == 1, c == b' ', "{v} at {place}, byte {k}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn integer_masks_agree_with_the_vector_ones() {
        // Every byte value in every lane, next to letters, spaces, `_` and
        // non-ASCII bytes: the integer version, which other architectures
        // use, gives what the tests of `Block` check.
        for v in 0..=255u8 {
            for lane in 0..16 {
                for fill in [b'a', b' ', 0xE2, b'_', b'9', b'.'] {
                    let mut bytes = [fill; 16];
                    bytes[lane] = v;
                    let lo = u64::from_le_bytes(bytes[..8].try_into().unwrap());
                    let hi = u64::from_le_bytes(bytes[8..].try_into().unwrap());
                    assert_eq!(swar_masks16(lo, hi), masks16(lo, hi), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn high_bits_pack_in_byte_order() {
        for bits in 0..=255u64 {
            let spread = (0..8).fold(0u64, |m, k| m | if bits >> k & 1 == 1 { 0x80 << (8 * k) } else { 0 });
            assert_eq!(high_bits_packed(spread), bits);
        }
    }

    /// Tokens and possible breaks of [`tokenize`] and of the byte-by-byte
    /// path alone.
    fn check_blocks_against_bytewise(text: &str) -> Result<(), TestCaseError> {
        let (mut tokens, mut breaks) = (Vec::new(), Vec::new());
        tokenize(text, &mut tokens, &mut breaks);
        let (mut want_tokens, mut want_breaks) = (Vec::new(), Vec::new());
        tokenize_bytewise(text, &mut want_tokens, &mut want_breaks);
        prop_assert_eq!(&tokens, &want_tokens, "{:?}", text);
        prop_assert_eq!(&breaks, &want_breaks, "{:?}", text);
        Ok(())
    }

    #[test]
    fn blocks_read_what_bytes_read_at_their_edges() {
        // Words and joints across the 64th byte, and texts ending there.
        for filler in 55..70 {
            for tail in
                ["U.S. talks", "1,000 km", "a.b", "don't", "x.", "word, and", "_a b", "China’s", "é x", "a.é b", "a:b"]
            {
                let text = format!("{}{tail}", "ab ".repeat(filler / 3) + &" ".repeat(filler % 3));
                check_blocks_against_bytewise(&text).unwrap();
                let mut cut = text.len() - 1 - tail.len() / 2;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                check_blocks_against_bytewise(&text[..cut]).unwrap();
            }
        }
    }

    #[test]
    fn wordish_bytes_agree_with_the_table() {
        // Every byte value in every lane, and the lanes around it changing.
        for v in 0..=255u8 {
            for lane in 0..8 {
                for fill in [b'a', b' ', 0xFF, b'_', b'9'] {
                    let mut bytes = [fill; 8];
                    bytes[lane] = v;
                    let got = wordish_bytes(u64::from_le_bytes(bytes));
                    let want = bytes
                        .iter()
                        .enumerate()
                        .fold(0u64, |m, (k, &c)| m | if WORDISH[c as usize] { 0x80 << (8 * k) } else { 0 });
                    assert_eq!(got, want, "{bytes:?}");
                }
            }
        }
        let text = b"Pyongyang_2024 and U.S.-led talks\xC3\xA9t\xC3\xA9 ok";
        for i in 0..text.len() {
            let slow = (i..text.len()).find(|&k| !WORDISH[text[k] as usize]).unwrap_or(text.len());
            assert_eq!(skip_wordish(text, i), slow, "from {i}");
        }
    }

    #[test]
    fn abbreviation_file_parses() {
        for w in ["Mr", "Mrs", "Dr", "Gen", "Sen", "Jan", "Sept", "U.S", "Inc", "Co", "etc", "a.m"] {
            assert!(is_listed_abbreviation(w), "{w}");
        }
        for w in ["M", "Mrx", "", "Washington", "said", "May"] {
            assert!(!is_listed_abbreviation(w), "{w}");
        }
        let all: Vec<&str> = abbreviations().iter().flatten().copied().collect();
        assert!(all.len() > 80);
        assert!(!all.iter().any(|w| w.ends_with('.') || w.is_empty() || w.starts_with('#')));
        assert!(is_abbreviation("F"));
        assert!(is_abbreviation("D.C"));
        assert!(!is_abbreviation("a"));
        assert!(!is_abbreviation("Washington"));
    }

    #[test]
    fn known_wide_characters_match_reference_classes() {
        // The fast path's table of non-ASCII characters must agree with
        // unicode-segmentation in every context.
        for c in ['‘', '’', '“', '”', '–', '—', '…', '\u{a0}'] {
            for ctx in ["a{}b", "1{}2", "a{}1", "{}a", "a{}", "_{}_", "a{}’b", "1{}{}2"] {
                let text = ctx.replace("{}", &c.to_string());
                assert_eq!(Segmentation::of(&text).tokens, reference_tokens(&text), "{text:?}");
            }
        }
    }

    /// Strings from an alphabet that exercises the word rules, both paths
    /// and the edges between them.
    fn mixed_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "b", "Z", "é", "ß", "0", "7", ".", ",", ";", ":", "'", "’", "‘", "_", "-", "\"", "“", "”", "—", "…",
            " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\u{a0}", "\u{3000}", "\u{2009}", "\u{301}", "\u{93f}",
            "\u{200d}", "\u{200b}", "\u{ad}", "ש", "カ", "東", "😀", "🇫🇷", "!", "?", "(", ")", "%", "$", "\u{2029}",
            "\u{85}",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    /// ASCII-only strings over the same kind of alphabet.
    fn ascii_text() -> impl Strategy<Value = String> {
        "[a-cA-C0-2.,;:'_\\-\" \t\n\r!?()#]{0,40}"
    }

    /// ASCII text of a few hundred bytes.
    fn long_ascii_text() -> impl Strategy<Value = String> {
        "[a-cA-C0-2.,;:'_\\-\" \t\n\r!?()#]{0,400}"
    }

    /// Mostly ASCII words and gaps, with now and then a non-ASCII piece
    /// (known to the fast path or not) between or inside them.
    fn long_mostly_ascii_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "word", "Ab", "x1", "3.5", "U.S.", "O'Neill", "a_b", "_", "__", "1,000", "e.g.", "Mr.", " ", " ", " ",
            "  ", ", ", ". ", ".\n", "\n\n", "\r\n", "\t", "(", ")", "-", "\"", ":", ";", "!", "?", "’", "“", "”", "—",
            "\u{a0}", "é", "東", "\u{301}", "😀",
        ]);
        prop::collection::vec(pieces, 0..200).prop_map(|v| v.concat())
    }

    /// The sentence and paragraph starts found by reading every gap, as
    /// the sentence pass did before the token pass noted the gaps that may
    /// end one.
    fn structure_of_every_gap(text: &str, tokens: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
        let every: Vec<u32> = (1..tokens.len() as u32).collect();
        let (mut sentences, mut paragraphs) = (Vec::new(), Vec::new());
        structure(text, tokens, &every, &mut sentences, &mut paragraphs);
        (sentences, paragraphs)
    }

    fn check_invariants(text: &str, s: &Segmentation) {
        let mut last_end = 0;
        for &(a, b) in &s.tokens {
            assert!(a < b && a >= last_end, "{text:?}: {:?}", s.tokens);
            assert!(text.is_char_boundary(a as usize) && text.is_char_boundary(b as usize));
            last_end = b;
        }
        for starts in [&s.sentence_starts, &s.paragraph_starts] {
            if s.tokens.is_empty() {
                assert!(starts.is_empty());
            } else {
                assert_eq!(starts[0], 0);
                assert!(starts.windows(2).all(|w| w[0] < w[1]));
                assert!(*starts.last().unwrap() < s.tokens.len() as u32);
            }
        }
        // Every paragraph start is a sentence start.
        assert!(s.paragraph_starts.iter().all(|p| s.sentence_starts.contains(p)));
        // The gaps the token pass passed over hold no break.
        let (sentences, paragraphs) = structure_of_every_gap(text, &s.tokens);
        assert_eq!((&s.sentence_starts, &s.paragraph_starts), (&sentences, &paragraphs), "{text:?}");
    }

    /// Segments `text` and checks its tokens against the reference and
    /// every invariant, and the blocks' path against the bytes' path.
    fn check_against_reference(text: &str) -> Result<(), TestCaseError> {
        let s = Segmentation::of(text);
        prop_assert_eq!(&s.tokens, &reference_tokens(text), "{:?}", text);
        check_invariants(text, &s);
        check_blocks_against_bytewise(text)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn tokens_equal_reference_mixed(text in mixed_text()) {
            check_against_reference(&text)?;
        }

        #[test]
        fn tokens_equal_reference_long_ascii(text in long_ascii_text()) {
            check_against_reference(&text)?;
        }

        #[test]
        fn tokens_equal_reference_long_mostly_ascii(text in long_mostly_ascii_text()) {
            check_against_reference(&text)?;
        }

        #[test]
        fn tokens_equal_reference_ascii(text in ascii_text()) {
            check_against_reference(&text)?;
        }

        /// News-like text: words, names with accents, curly quotes and
        /// apostrophes, numbers, dashes, line breaks.
        #[test]
        fn tokens_equal_reference_newslike(parts in prop::collection::vec((
            prop::sample::select(vec![
                "The", "president", "said", "China’s", "Russia's", "U.S.", "3.5", "1,000",
                "Côte", "d’Ivoire", "São", "Paulo", "Zürich", "naïve", "東京", "Москва",
                "e-mail", "don’t", "’90s", "A.", "$4.2", "10:30", "—", "“", "”", "…", "🙂",
                "Ελλάδα", "القاهرة", "x\u{301}", "I\u{200d}",
            ]),
            prop::sample::select(vec![
                " ", " ", " ", ", ", ". ", "\n", "\n\n", "\r\n", "” ", " “", "’ ", "", "\u{a0}",
                " — ", "? ", "! ", ": ",
            ]),
        ), 0..60)) {
            let text: String = parts.iter().flat_map(|(w, s)| [*w, *s]).collect();
            check_against_reference(&text)?;
        }

        /// Where this module's deviations cannot apply (no line breaks, no
        /// abbreviations, no initials, no Extend characters), sentence
        /// starts are those of unicode-segmentation's sentence boundaries.
        #[test]
        fn sentences_equal_reference(parts in prop::collection::vec((
            prop::sample::select(vec![
                "the", "cat", "Dog", "alpha", "Beta", "42", "3.5", "über", "Élan", "d'Or", "ab.cd",
                "Ab.Cd", "x1",
            ]),
            prop::sample::select(vec![
                " ", " ", " ", ". ", "? ", "! ", ", ", " \"", "\" ", ".\" ", "...", ": ", "; ",
                " (", ") ", ".) ", "?!", ".", "!", " - ", ".  ", " ’", "” ", ".” ", "。", "\t",
                ". 5 ", ". , ",
            ]),
        ), 0..20)) {
            let text: String = parts.iter().flat_map(|(w, s)| [*w, *s]).collect();
            let s = Segmentation::of(&text);
            let bounds: Vec<usize> = text.split_sentence_bound_indices().map(|(i, _)| i).collect();
            let want: Vec<u32> = (0..s.tokens.len())
                .filter(|&i| {
                    let lo = if i == 0 { 0 } else { s.tokens[i - 1].1 as usize };
                    let hi = s.tokens[i].0 as usize;
                    i == 0 || bounds.iter().any(|&b| b > lo && b <= hi)
                })
                .map(|i| i as u32)
                .collect();
            prop_assert_eq!(&s.sentence_starts, &want, "{:?}", text);
        }
    }
}
