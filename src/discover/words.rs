//! Reading a sentence into words for the rules: which sentences are worth
//! reading at all, how each word is written ([`Case`]), what separates it
//! from the next ([`Gap`]), and the flags of its word lists, looked up
//! through a small cache.

use super::{is_everyday_initial, Discoverer, ORG_CONNECTORS, PARTICLES, RUN_CONNECTORS};
use crate::tokenize::{bytes_in, HIGH_BITS};

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    /// Starts with a lower-case letter (or is not a letter word at all).
    Lower,
    /// Starts with a capital and holds a lower-case letter: a name word.
    Capitalized,
    /// Two or more capitals and no lower-case letter: an acronym or shouting.
    AllCaps,
    /// A single capital letter or dotted initials ("F", "J.R.R").
    Initial,
    /// Starts with a digit or another character.
    Other,
}

/// What separates a word from the next one in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gap {
    /// Whitespace only.
    Space,
    /// A period, then whitespace (after an initial or an abbreviation).
    DotSpace,
    /// " & " ("Johnson & Johnson").
    Amp,
    /// Anything else: punctuation that ends a name.
    Break,
}

/// Working space for [`Discoverer::find`], one per thread.
#[derive(Debug, Default)]
pub struct DiscoverScratch {
    /// Flags of words met lately.
    pub(super) flags: FlagCache,
    /// The tokens of the sentence being read, grouped into words.
    pub(super) groups: Vec<Group>,
    /// The words of the sentence being read.
    pub(super) words: Vec<Word>,
}

/// The [`Discoverer::flags_of`] of recent capitalized words, in a small
/// direct-mapped table: the word lists fill megabytes, so a lookup there
/// mostly misses the processor's caches, while news repeats its capitalized
/// words ("The", "President", a name named again) within and across
/// documents.
///
/// Words and flags are kept apart: a `(u128, u16)` slot takes 32 bytes
/// (the alignment of `u128`), which put the table at twice the size of the
/// processor's first-level cache.
#[derive(Debug)]
pub(super) struct FlagCache {
    /// The packed word of each slot; the packed empty word (0) marks a free slot.
    pub(super) words: Vec<u128>,
    /// The flags of the word in the same slot.
    pub(super) flags: Vec<u16>,
}

/// Slots of [`FlagCache`] (a power of two): 32 KiB of words, 4 KiB of
/// flags, within the first-level cache. One look in five misses on the
/// benchmark corpus (one in ten with 8,192 slots, one in 23 with 32,768),
/// but the larger tables were slower in whole runs (sampled on 500 MB with
/// `--discover`: the time in `cached_flags_of` rose by half and by three
/// quarters): a hit that leaves the first-level cache costs most of what a
/// miss saves.
const FLAG_CACHE_SLOTS: usize = 2048;

impl Default for FlagCache {
    fn default() -> Self {
        FlagCache { words: vec![0; FLAG_CACHE_SLOTS], flags: vec![0; FLAG_CACHE_SLOTS] }
    }
}

/// One word: tokens joined by hyphens ("Ka-chun", "al-Assad", "Secretary-General").
/// `initial` and `flags` are read for capitalized words only (false and 0 for others).
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    pub(super) start: u32,
    /// End of the word, possessive excluded.
    pub(super) end: u32,
    pub(super) case: Case,
    /// First word of a sentence, or right after an opening quote, bracket or colon:
    /// capitalized by position, not by being a name.
    pub(super) initial: bool,
    /// Overlaps a mention already tagged.
    pub(super) taken: bool,
    /// `F_*` flags (capitalized words only; 0 for others).
    pub(super) flags: u16,
    /// Separator before the next word (`Break` for the last word of a sentence).
    pub(super) gap_after: Gap,
}

/// The tokens of one word (hyphen-joined tokens make one word), and whether
/// a rule may start a name at it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Group {
    pub(super) start: u32,
    /// End of the last token (possessive included).
    pub(super) end: u32,
    pub(super) first_token: u32,
    /// The word (possessive aside) overlaps a tagged span; looked up for
    /// words that may be capitalized only (`None` for the others, which
    /// [`Group::is_taken`] looks up if they are read at all).
    pub(super) taken: Option<bool>,
    /// The word is *open* or near an open one (the one before an open word,
    /// or one of the two after it): an open word may be capitalized (see
    /// [`may_be_capitalized`]) and is not taken, so a run of names may start
    /// or go on at it. [`Discoverer::read_words`] reads these.
    pub(super) near_open: bool,
}

/// Whether [`case_of`] may read the word `bytes[start..end]` as capitalized
/// (it errs towards yes): its first byte is an ASCII capital or not ASCII,
/// or a lower-case particle may be joined to a capitalized name in its
/// first bytes ("al-Bashir", "d'Ettorre"; [`case_of`] looks at five bytes).
///
/// This runs at every word of every sentence: the five bytes are tested
/// at once, as one integer, where eight bytes of the text are there to read.
#[inline]
pub(super) fn may_be_capitalized(bytes: &[u8], start: u32, end: u32) -> bool {
    let (start, end) = (start as usize, end as usize);
    let b = bytes[start];
    if !b.is_ascii_lowercase() {
        return !b.is_ascii() || b.is_ascii_uppercase();
    }
    // The first byte is a lower-case letter: a joint among the next four?
    let n = (end - start).min(5);
    if n < 2 {
        return false;
    }
    match bytes.get(start..start + 8) {
        Some(chunk) => {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            const ONES: u64 = 0x0101_0101_0101_0101;
            // The high bit of each byte equal to `c`; a false one only above
            // a true one (borrows run upwards), and byte 0 (a letter) is
            // none, so within bytes 1..n the answer is exact.
            let equal = |c: u8| {
                let y = x ^ (ONES * c as u64);
                y.wrapping_sub(ONES) & !y & (ONES << 7)
            };
            let within = (u64::MAX >> (64 - 8 * n)) & !0xFF;
            (equal(b'-') | equal(b'\'') | equal(0xE2)) & within != 0
        }
        None => bytes[start + 1..start + n].iter().any(|&c| matches!(c, b'-' | b'\'' | 0xE2)),
    }
}

/// Whether [`next_notable`] stops at byte `b`: a capital, a byte of a
/// non-ASCII character or an apostrophe.
fn is_notable(b: u8) -> bool {
    b >= 0x80 || b.is_ascii_uppercase() || b == b'\''
}

/// The first position in `at..end` of `bytes` that holds a notable byte (see
/// [`is_notable`]), eight bytes at a time.
///
/// A token that [`may_be_capitalized`] reads as capitalized holds one: its
/// first byte is a capital or not ASCII, or an apostrophe or the first byte
/// of '’' follows within it (no token holds a hyphen: hyphens join tokens
/// into one word, see [`hyphen_joined`]). So the tokens between two notable
/// bytes need no look of their own: in news, most stretches of a sentence
/// between two capitals are lower-case words.
pub(super) fn next_notable(bytes: &[u8], mut at: usize, end: usize) -> Option<usize> {
    while at < end {
        let Some(chunk) = bytes.get(at..at + 8) else {
            return bytes[at..end].iter().position(|&b| is_notable(b)).map(|i| at + i);
        };
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // A byte at or past 0x80 is notable as it is; the ranges are tested
        // on the low seven bits of each byte, as the tokenizer's are.
        let y = x & !HIGH_BITS;
        let notable = (x & HIGH_BITS) | bytes_in(y, b'A', b'Z') | bytes_in(y, b'\'', b'\'');
        if notable != 0 {
            let p = at + (notable.trailing_zeros() / 8) as usize;
            return (p < end).then_some(p);
        }
        at += 8;
    }
    None
}

impl Group {
    /// Whether the word (possessive aside) overlaps a span of `taken`, as
    /// [`is_taken`] with its cursor `at`.
    pub(super) fn is_taken(&self, text: &str, taken: &[(u32, u32)], at: &mut usize) -> bool {
        self.taken.unwrap_or_else(|| is_taken(taken, at, self.start, strip_possessive(text, self.start, self.end)))
    }
}

/// Whether the word `start..end` overlaps a span of `taken` (sorted by
/// start); `at` is the first span that may, moved on past the ones that end
/// before `start` (words are asked about in text order).
pub(super) fn is_taken(taken: &[(u32, u32)], at: &mut usize, start: u32, end: u32) -> bool {
    while *at < taken.len() && taken[*at].1 <= start {
        *at += 1;
    }
    taken[*at..].iter().take_while(|s| s.0 < end.max(start + 1)).any(|s| s.1 > start)
}

/// Whether token `next` is joined to token `prev` by a hyphen into one
/// word ("Ka-chun", "al-Assad").
pub(super) fn hyphen_joined(bytes: &[u8], prev: (u32, u32), next: (u32, u32)) -> bool {
    next.0 == prev.1 + 1 && bytes[prev.1 as usize] == b'-'
}

/// Whether at most [`RUN_CONNECTORS`] words stand between the word of the
/// first of `tokens` and the word of the last (hyphen-joined tokens make one
/// word), so that one run may hold both.
pub(super) fn near(bytes: &[u8], tokens: &[(u32, u32)]) -> bool {
    // Never more words than tokens: most pairs are decided without a look.
    if tokens.len() <= RUN_CONNECTORS + 2 {
        return true;
    }
    // Word breaks: one ends the first word, each further one a word between.
    tokens.windows(2).filter(|t| !hyphen_joined(bytes, t[0], t[1])).count() <= RUN_CONNECTORS + 1
}

/// Whether the text `between` two capitalized tokens may join them in one
/// run (it errs towards yes): whitespace, periods and hyphens around at
/// most one lower-case word that joins names ([`PARTICLES`],
/// [`ORG_CONNECTORS`], the lists [`Discoverer::run_end`] reads: "Bank of
/// England", "Omar al-Bashir", "Mr. de Villepin", "John F. Kennedy"), or
/// an "&" ("Johnson & Johnson").
/// [`Discoverer::run_end`] joins no more: anything else (a comma, a quote,
/// a possessive "'s", a digit, a lower-case word that joins no name, as in
/// "Mastrogiacomo in Helmand", or two) is a [`Gap::Break`] or a word that
/// ends every run between them.
fn joinable(between: &[u8]) -> bool {
    // [`gap`] trims any Unicode whitespace around "&": such a gap is let through.
    if between.contains(&b'&') {
        return true;
    }
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'.' | b'-');
    let Some(first) = between.iter().position(|b| !is_space(b)) else {
        return true;
    };
    let last = between.iter().rposition(|b| !is_space(b)).map_or(first, |p| p + 1);
    let word = &between[first..last];
    word.iter().all(u8::is_ascii_lowercase) && PARTICLES.iter().chain(ORG_CONNECTORS).any(|c| c.as_bytes() == word)
}

/// The text between the word of token `l` (which ends at `l_end`,
/// possessive aside, unless hyphens join more tokens to it) and the word of
/// token `k` (`l < k`): empty when one word holds both ("Jean-Claude"). The
/// words, not the tokens: "-elect " is no text between "President-elect"
/// and "Obama", nor "al-" between "Omar" and "al-Bashir".
fn between_words<'a>(text: &'a str, tokens: &[(u32, u32)], l: usize, l_end: usize, k: usize) -> &'a [u8] {
    let bytes = text.as_bytes();
    let mut last = l;
    while last < k && hyphen_joined(bytes, tokens[last], tokens[last + 1]) {
        last += 1;
    }
    if last == k {
        return &[];
    }
    let mut first = k;
    while first > last + 1 && hyphen_joined(bytes, tokens[first - 1], tokens[first]) {
        first -= 1;
    }
    let end = if last == l { l_end } else { strip_possessive(text, tokens[last].0, tokens[last].1) as usize };
    &bytes[end..tokens[first].0 as usize]
}

/// The words of a sentence's `tokens` into `groups` (cleared first);
/// `taken` holds the tagged spans from the sentence's start on. Returns
/// whether one word is surely lower case and four bytes or more, possessive
/// aside (which makes [`is_headline`] false whatever the other words are).
pub(super) fn word_groups(text: &str, tokens: &[(u32, u32)], taken: &[(u32, u32)], groups: &mut Vec<Group>) -> bool {
    groups.clear();
    let bytes = text.as_bytes();
    let (mut t, mut taken_at, mut long_lower) = (0, 0, false);
    // Words still to come within two after the last open word.
    let mut after_open = 0u8;
    let sentence_end = tokens.last().map_or(0, |t| t.1 as usize);
    // The next notable byte from the word on (`sentence_end` when none): a
    // word of one token before it is not capitalized.
    let mut notable = tokens.first().map_or(0, |t| t.0 as usize);
    while t < tokens.len() {
        let (start, mut end) = tokens[t];
        let first = t;
        t += 1;
        while t < tokens.len() && hyphen_joined(bytes, tokens[t - 1], tokens[t]) {
            end = tokens[t].1;
            t += 1;
        }
        if notable < start as usize {
            notable = next_notable(bytes, start as usize, sentence_end).unwrap_or(sentence_end);
        }
        // Most words are lower case: no rule starts a name there, and
        // whether they are tagged matters only if they are read.
        let (taken_here, open) = if (notable < end as usize || t > first + 1) && may_be_capitalized(bytes, start, end) {
            let taken_here = is_taken(taken, &mut taken_at, start, strip_possessive(text, start, end));
            (Some(taken_here), !taken_here)
        } else {
            long_lower = long_lower
                || (end - start >= 4
                    && bytes[start as usize].is_ascii_lowercase()
                    && strip_possessive(text, start, end) - start >= 4);
            (None, false)
        };
        let near_open = open || after_open > 0;
        if open {
            after_open = 2;
            if let Some(prev) = groups.last_mut() {
                prev.near_open = true;
            }
        } else {
            after_open = after_open.saturating_sub(1);
        }
        groups.push(Group { start, end, first_token: first as u32, taken: taken_here, near_open });
    }
    long_lower
}

impl Discoverer {
    /// [`Discoverer::flags_of`], through `cache`.
    pub(super) fn cached_flags_of(&self, w: &str, cache: &mut FlagCache) -> u16 {
        let Some(key) = crate::packed::pack(w.as_bytes()).filter(|&k| k != 0) else {
            return self.flags_of(w);
        };
        let slot = (crate::packed::spread(key) >> (64 - FLAG_CACHE_SLOTS.trailing_zeros())) as usize;
        if cache.words[slot] == key {
            return cache.flags[slot];
        }
        let flags = self.flags_of(w);
        (cache.words[slot], cache.flags[slot]) = (key, flags);
        flags
    }

    /// Whether the sentence of `tokens` can hold a name: whether two of its
    /// words near each other are capitalized and not tagged yet, apart from
    /// an everyday word opening it ("The", "But"), which no rule takes for a
    /// name. Every rule needs two capitalized words in one run ("President
    /// Obama", "Jane Doe", "Acme Corp.", "Bank of England"), and a run joins
    /// them with at most one lower-case connector between them. Most
    /// sentences of news have no such pair left once the gazetteers have
    /// tagged theirs, and this look at first bytes (at the tokens that hold
    /// a notable byte only, see [`next_notable`]) is far cheaper than
    /// reading their words. It errs only towards reading: a
    /// token that may be capitalized ([`may_be_capitalized`]; a
    /// hyphen-joined word such as "al-Bashir" that [`case_of`] reads as
    /// capitalized has a token with a capital first byte) counts unless it
    /// is itself inside a tagged span, which its word then is too; and two
    /// such tokens count as near when no more than whitespace, periods,
    /// hyphens and one connector, or an "&", lie between their words
    /// ([`joinable`]), or when they are in one word. A comma, a quote, a
    /// possessive, any other word or a tagged word between them ends any
    /// run that could hold both. [`joinable`] implies [`near`]; `near`
    /// comes first as the cheaper look (without it, discovery took 1.4 %
    /// more instructions on the benchmark corpus).
    pub(super) fn worth_reading(
        &self,
        text: &str,
        tokens: &[(u32, u32)],
        taken: &[(u32, u32)],
        cache: &mut FlagCache,
    ) -> bool {
        let bytes = text.as_bytes();
        let Some(&(first_start, _)) = tokens.first() else {
            return false;
        };
        let sentence_end = tokens[tokens.len() - 1].1 as usize;
        let mut taken_at = 0;
        // The last capitalized token seen, and where its word ends (possessive aside).
        let mut last_capitalized: Option<usize> = None;
        let mut last_end = 0;
        // The end of the opening token, possessive aside.
        let mut opening_end = 0;
        // Only tokens that hold a notable byte may be capitalized: the
        // others are passed over without a look at their bytes.
        let (mut k, mut at) = (0, first_start as usize);
        while let Some(p) = next_notable(bytes, at, sentence_end) {
            while tokens[k].1 as usize <= p {
                k += 1;
            }
            let (start, end) = tokens[k];
            if start as usize > p {
                // Between tokens (a quote, a dash).
                at = start as usize;
                continue;
            }
            at = end as usize;
            if !may_be_capitalized(bytes, start, end) {
                continue;
            }
            let end = strip_possessive(text, start, end);
            if is_taken(taken, &mut taken_at, start, end) {
                continue;
            }
            if k == 0 {
                // Whether the opening word counts is asked only once a
                // capitalized token near it is found.
                opening_end = end;
            } else if let Some(l) = last_capitalized
                .filter(|&l| near(bytes, &tokens[l..=k]) && joinable(between_words(text, tokens, l, last_end, k)))
            {
                // The opening word, when it is the first token alone (no
                // hyphen joins the next one to it), read as `read_words`
                // reads it: an everyday word there does not count.
                let opening_skipped = l == 0
                    && !hyphen_joined(bytes, tokens[0], tokens[1])
                    && is_cap(case_of(&text[first_start as usize..opening_end as usize]))
                    && is_everyday_initial(
                        self.cached_flags_of(&text[first_start as usize..opening_end as usize], cache),
                    );
                if !opening_skipped {
                    return true;
                }
            }
            last_capitalized = Some(k);
            last_end = end as usize;
        }
        false
    }

    /// The words of the sentence of `tokens` into `words` (cleared first);
    /// `taken` holds the tagged spans from the sentence's start on.
    ///
    /// The rules read a word only if a name may start or go on at it (an
    /// *open* word, see [`Group`]) or near one: the word right before (a role
    /// noun, "writer Aner Shalev") and the two after (connectors, "Bank of
    /// the ..."; a run never reaches further past its last capitalized word).
    /// Apart from that only [`is_headline`] reads words, and it answers no
    /// at the first lower-case word of four bytes or more. So, in a sentence
    /// that has such a word, each stretch of words far from every open word
    /// is read as one lower-case placeholder word spanning them: the rules
    /// see what they would have seen, and most words of a sentence cost a
    /// glance at their first bytes.
    pub(super) fn read_words(
        &self,
        text: &str,
        tokens: &[(u32, u32)],
        taken: &[(u32, u32)],
        cache: &mut FlagCache,
        groups: &mut Vec<Group>,
        words: &mut Vec<Word>,
    ) {
        words.clear();
        let long_lower = word_groups(text, tokens, taken, groups);
        let mut taken_at = 0;
        let read = |g: usize| !long_lower || groups[g].near_open;
        let mut g = 0;
        while g < groups.len() {
            if read(g) {
                let is_taken = groups[g].is_taken(text, taken, &mut taken_at);
                self.push_word(text, tokens, &groups[g], is_taken, cache, words);
                g += 1;
                continue;
            }
            let first = g;
            while g < groups.len() && !read(g) {
                g += 1;
            }
            let (start, end) = (groups[first].start, groups[g - 1].end);
            if let Some(prev) = words.last_mut() {
                prev.gap_after = gap(&text[prev.end as usize..start as usize]);
            }
            words.push(Word {
                start,
                end,
                case: Case::Lower,
                initial: false,
                taken: false,
                flags: 0,
                gap_after: Gap::Break,
            });
        }
    }

    /// Reads the word of `group` (of the sentence of `tokens`; tagged or not
    /// as `is_taken` says) onto `words`.
    pub(super) fn push_word(
        &self,
        text: &str,
        tokens: &[(u32, u32)],
        group: &Group,
        is_taken: bool,
        cache: &mut FlagCache,
        words: &mut Vec<Word>,
    ) {
        let (start, first) = (group.start, group.first_token as usize);
        let end = strip_possessive(text, start, group.end);
        if let Some(prev) = words.last_mut() {
            prev.gap_after = gap(&text[prev.end as usize..start as usize]);
        }
        let word = &text[start as usize..end as usize];
        let case = case_of(word);
        // The rules read no flags of a word already tagged (runs stop
        // there), and the place of capitalized words only.
        let (initial, flags) = if is_cap(case) {
            // Most gaps are one space: look at bytes, and at characters only around a non-ASCII one.
            let initial = words.is_empty() || {
                let before = if first == 0 { "" } else { &text[tokens[first - 1].1 as usize..start as usize] };
                before != " "
                    && (before.bytes().any(|b| matches!(b, b'"' | b'(' | b'[' | b':'))
                        || (!before.is_ascii() && before.contains(['“', '‘'])))
            };
            (initial, if is_taken { 0 } else { self.cached_flags_of(word, cache) })
        } else {
            (false, 0)
        };
        words.push(Word { start, end, case, initial, taken: is_taken, flags, gap_after: Gap::Break });
    }
}

pub(super) fn word_text<'a>(text: &'a str, w: &Word) -> &'a str {
    &text[w.start as usize..w.end as usize]
}

pub(super) fn is_cap(c: Case) -> bool {
    matches!(c, Case::Capitalized | Case::AllCaps | Case::Initial)
}

/// `end` moved before a trailing possessive ("Obama's", "Obama’s").
// Inlined for the fast path: called at most words read.
#[inline(always)]
pub(super) fn strip_possessive(text: &str, start: u32, end: u32) -> u32 {
    // Most words end in no "s": one look.
    if end <= start + 2 || text.as_bytes()[end as usize - 1] | 0x20 != b's' {
        return end;
    }
    strip_possessive_s(text, start, end)
}

/// [`strip_possessive`] of a word that ends in "s" or "S".
fn strip_possessive_s(text: &str, start: u32, end: u32) -> u32 {
    let w = &text.as_bytes()[start as usize..end as usize];
    if w.len() > 2 && (w.ends_with(b"'s") || w.ends_with(b"'S")) {
        end - 2
    } else if w.len() > 4 && (w.ends_with("’s".as_bytes()) || w.ends_with("’S".as_bytes())) {
        end - 4
    } else {
        end
    }
}

// Inlined for the fast path: called at most words read.
#[inline(always)]
pub(super) fn case_of(w: &str) -> Case {
    let b = w.as_bytes();
    // Most capitalized words: a capital, then a lower-case letter (no initial then).
    if b.len() >= 2 && b[0].is_ascii_uppercase() && b[1].is_ascii_lowercase() {
        return Case::Capitalized;
    }
    case_of_other(w)
}

/// [`case_of`] of a word that is not a capital followed by a lower-case letter.
fn case_of_other(w: &str) -> Case {
    let b = w.as_bytes();
    let first = b[0];
    let upper_start =
        if first.is_ascii() { first.is_ascii_uppercase() } else { w.chars().next().is_some_and(char::is_uppercase) };
    if !upper_start {
        if first.is_ascii_lowercase() {
            // "al-Bashir", "d'Ettorre": a lower-case particle (at most four
            // bytes) joined to a capitalized name. Only the word's first
            // characters are looked at: this runs for every lower-case word,
            // and most have no joint byte ('-', '\'', the first of '’') at all.
            if !b.iter().take(5).any(|&c| matches!(c, b'-' | b'\'' | 0xE2)) {
                return Case::Lower;
            }
            let joint = w.char_indices().take_while(|&(i, _)| i <= 4).find(|&(_, c)| matches!(c, '-' | '\'' | '’'));
            if joint.is_some_and(|(p, _)| w[p..].chars().nth(1).is_some_and(char::is_uppercase)) {
                return Case::Capitalized;
            }
            return Case::Lower;
        }
        return if !first.is_ascii() && w.chars().next().is_some_and(char::is_lowercase) {
            Case::Lower
        } else {
            Case::Other
        };
    }
    if b.len() == 1 || (b.len() <= 8 && b.iter().skip(1).step_by(2).all(|&c| c == b'.') && b.len() % 2 == 1) {
        // "F", "J.R.R" (the final period is outside the token).
        if b.iter().step_by(2).all(u8::is_ascii_uppercase) {
            return Case::Initial;
        }
    }
    let has_lower = if w.is_ascii() { b.iter().any(u8::is_ascii_lowercase) } else { w.chars().any(char::is_lowercase) };
    if has_lower {
        Case::Capitalized
    } else {
        Case::AllCaps
    }
}

pub(super) fn gap(g: &str) -> Gap {
    let b = g.as_bytes();
    // Most gaps: one space.
    if b == b" " {
        return Gap::Space;
    }
    if b.iter().all(|&c| c == b' ' || c == b'\t' || c == b'\n' || c == b'\r') {
        // Several line breaks mean a paragraph break, which also ends the sentence.
        return Gap::Space;
    }
    if b.first() == Some(&b'.') && b.len() > 1 && b[1..].iter().all(u8::is_ascii_whitespace) {
        return Gap::DotSpace;
    }
    if g.trim() == "&" && g.len() > 1 {
        return Gap::Amp;
    }
    Gap::Break
}

/// A sentence in title case or capitals: four or more capitalized words,
/// more than twice the lower-case ones, and no lower-case word of four
/// letters or more (running text nearly always has one: "said", "would").
pub(super) fn is_headline(words: &[Word]) -> bool {
    let (mut caps, mut lower) = (0, 0);
    for w in words {
        match w.case {
            Case::Lower if w.end - w.start >= 4 => return false,
            Case::Lower => lower += 1,
            Case::Capitalized | Case::AllCaps => caps += 1,
            _ => {}
        }
    }
    caps >= 4 && lower * 2 < caps
}
