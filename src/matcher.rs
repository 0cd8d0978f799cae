//! Finding gazetteer aliases in a text: whole words, leftmost-longest, each
//! alias under its own case rule (SPEC §3).
//!
//! Design: a hash map of *keys*, where a key is an alias variant with ASCII
//! letters lower-cased. The text is ASCII-lower-cased into a scratch buffer
//! (same byte offsets). A mention can only begin at a word token, so the
//! search looks only at token starts, and only at tokens that begin some key
//! (one lookup in a set of first tokens, after a bitmap of their first two
//! bytes). A one-token key is then checked directly; a longer one only where
//! the text's next token may be the key's second (a bitmap of hashed token
//! pairs), by looking up the text from the token start to each place where a
//! word can end, longest first, walking on to a third token and further only
//! while the tokens walked may begin a longer key (a bitmap of hashed token
//! runs). Every hit is checked against the original
//! text: the alias's case rule (`exact`, `smart`, `any`), word boundaries,
//! and the document date. This honours per-alias case rules at the speed of a
//! case-sensitive search and builds in a fraction of the time of an
//! automaton (aho-corasick's contiguous NFA over 100,000 keys takes most of a
//! second to build, and its anchored search walks cold memory byte by byte).
//! Non-ASCII letters are covered by adding the upper- and lower-case forms of
//! an alias as extra keys.
//!
//! A key that fails its checks is not simply dropped: a shorter key that
//! starts at the same place may still be a valid mention ("NEW YORK times" is
//! "New York" when "New York Times" is `smart`), so the shorter ones are
//! tried in turn; then the search goes on from the next token, which keeps
//! the result leftmost-longest among *valid* matches.

use rustc_hash::FxHashMap;

use crate::document::Date;
use crate::gazetteer::{Alias, AliasKind, CaseRule, Gazetteer};
use crate::packed::PackedMap;
use crate::tokenize::{bytes_in, Segmentation, HIGH_BITS};

/// A place in the text where one or more aliases matched, before ambiguity is
/// resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset past the last byte (a possessive `'s` is not included).
    pub end: u32,
    /// Range into [`MatchScratch::candidates`]: the (entity, kind) pairs that fit.
    pub candidates: std::ops::Range<u32>,
}

/// Reusable buffers for [`Matcher::find`], one per worker thread.
#[derive(Debug, Default)]
pub struct MatchScratch {
    lowered: Vec<u8>,
    /// The places a key could end, for one search.
    ends: Vec<usize>,
    /// (entity, kind) for every hit, sorted and de-duplicated per hit.
    pub candidates: Vec<(u32, AliasKind)>,
}

/// One alias as the matcher checks it.
#[derive(Debug, Clone)]
struct Form {
    text: Box<str>,
    /// `text` in upper case, for `smart`, when `text` is not ASCII (ASCII is compared in place).
    upper: Option<Box<str>>,
    /// `text` in lower case, for `any`, when `text` is not ASCII.
    lower: Option<Box<str>>,
    case: CaseRule,
    entity: u32,
    kind: AliasKind,
    from: Option<Date>,
    to: Option<Date>,
}

impl Form {
    fn new(alias: &Alias) -> Form {
        let ascii = alias.text.is_ascii();
        Form {
            text: alias.text.as_str().into(),
            upper: (!ascii && alias.case == CaseRule::Smart).then(|| alias.text.to_uppercase().into()),
            lower: (!ascii && alias.case == CaseRule::Any).then(|| alias.text.to_lowercase().into()),
            case: alias.case,
            entity: alias.entity,
            kind: alias.kind,
            from: alias.from,
            to: alias.to,
        }
    }

    /// The alias variants that must be search keys (before ASCII lower-casing).
    fn variants(&self) -> Vec<std::borrow::Cow<'_, str>> {
        let mut v = vec![std::borrow::Cow::Borrowed(&*self.text)];
        // ASCII variants differ only in ASCII case, so they share the first key.
        if !self.text.is_ascii() {
            if self.case != CaseRule::Exact {
                v.push(self.text.to_uppercase().into());
            }
            if self.case == CaseRule::Any {
                v.push(self.text.to_lowercase().into());
            }
        }
        v
    }

    fn fits(&self, surface: &str, date: Option<Date>) -> bool {
        let case_ok = match self.case {
            CaseRule::Exact => surface == &*self.text,
            CaseRule::Smart => {
                surface == &*self.text
                    || match &self.upper {
                        Some(upper) => surface == &**upper,
                        None => {
                            surface.len() == self.text.len()
                                && surface.bytes().zip(self.text.bytes()).all(|(s, t)| s == t.to_ascii_uppercase())
                        }
                    }
            }
            CaseRule::Any => match &self.lower {
                Some(lower) => surface.to_lowercase() == **lower,
                None => surface.eq_ignore_ascii_case(&self.text),
            },
        };
        case_ok
            && match date {
                None => true,
                Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
            }
    }
}

/// The compiled search over every alias of a gazetteer.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Every key, to its index.
    keys: FxHashMap<Box<[u8]>, u32>,
    /// Byte length of each key.
    key_len: Vec<u32>,
    /// For each key, the forms it may stand for: `form_ids[form_start[k]..form_start[k+1]]`.
    form_start: Vec<u32>,
    form_ids: Vec<u32>,
    forms: Vec<Form>,
    /// The first word token of every key: a search starts only at a text
    /// token found here, so most tokens cost a bitmap test or two and few
    /// a hash lookup.
    first_tokens: FirstTokens,
    /// The same for the keys that can match text starting with a lower-case
    /// letter (aliases written so, or of case `any`): most tokens of running
    /// text are lower-case and are checked against this far smaller set.
    lower_first_tokens: FirstTokens,
    /// The first two word tokens of every key of two or more, hashed into a
    /// bitmap: a search for such a key is only worth starting where the
    /// text's next token fits too.
    token_pairs: PairFilter,
    /// The first two, three, ... word tokens of every key that goes on after
    /// them, hashed ([`prefix_with`]) into a bitmap: a search walks on to a
    /// text's next token only while the tokens walked so far may begin a
    /// longer key. On the benchmark corpus a search for a longer key (after
    /// "the", "President", "New") walked six tokens and looked up four spans
    /// without it, most of them far past any key that could fit; with it,
    /// three places and 1.4 lookups.
    prefixes: HashBits,
    /// Characters that some key starts with although they are no word
    /// character ("'Ertra"); a search also starts at one right before a token.
    lead_chars: Vec<char>,
    /// The ASCII characters of `lead_chars`, as bits.
    lead_ascii: u128,
    /// Whether `lead_chars` holds a non-ASCII character.
    lead_wide: bool,
    /// The most word tokens of a key that begins with a character of `lead_chars`.
    lead_tokens: u32,
    /// Bytes in the longest key: a search never looks further.
    max_key_len: usize,
}

/// What to leave out when building a [`Matcher`].
#[derive(Debug, Clone, Copy, Default)]
pub struct MatcherOptions {
    /// Leave demonyms out (`--no-demonyms`).
    pub no_demonyms: bool,
}

impl Matcher {
    /// Compiles the aliases of `gazetteer`.
    pub fn new(gazetteer: &Gazetteer, options: MatcherOptions) -> Matcher {
        let aliases = gazetteer.aliases.iter().filter(|a| !(options.no_demonyms && a.kind == AliasKind::Demonym));
        let mut key_index: FxHashMap<Vec<u8>, u32> = FxHashMap::default();
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut key_forms: Vec<Vec<u32>> = Vec::new();
        let forms: Vec<Form> = aliases.into_iter().map(Form::new).collect();
        for (form_id, form) in forms.iter().enumerate() {
            let form_id = form_id as u32;
            for variant in form.variants() {
                let key = variant.as_bytes().to_ascii_lowercase();
                let k = match key_index.get(&key) {
                    Some(&k) => k,
                    None => {
                        key_index.insert(key.clone(), keys.len() as u32);
                        keys.push(key);
                        key_forms.push(Vec::new());
                        (keys.len() - 1) as u32
                    }
                };
                let list = &mut key_forms[k as usize];
                if list.last() != Some(&form_id) {
                    list.push(form_id);
                }
            }
        }
        let mut form_start = Vec::with_capacity(keys.len() + 1);
        let mut form_ids = Vec::new();
        for list in &key_forms {
            form_start.push(form_ids.len() as u32);
            form_ids.extend_from_slice(list);
        }
        form_start.push(form_ids.len() as u32);
        let mut first_tokens = FirstTokens::default();
        let mut lower_first_tokens = FirstTokens::default();
        let mut token_pairs = PairFilter::default();
        let mut prefixes = Vec::new();
        let mut lead_chars = Vec::new();
        let mut lead_tokens = 0;
        let mut seg = Segmentation::default();
        for (k, key) in keys.iter().enumerate() {
            let key = std::str::from_utf8(key).expect("keys are ASCII-lowered UTF-8");
            seg.segment_into(key);
            let Some(&(start, end)) = seg.tokens.first() else { continue };
            let (start, end) = (start as usize, end as usize);
            let tokens = seg.tokens.len() as u32;
            // Every run of two or more whole tokens after which the key
            // goes on (its last token may end inside a text's token, so it
            // is never part of a run).
            let mut run = 0;
            for (j, &(s, e)) in seg.tokens[..seg.tokens.len() - 1].iter().enumerate() {
                run = prefix_with(run, j, &key.as_bytes()[s as usize..e as usize]);
                if j >= 1 {
                    prefixes.push(run);
                }
            }
            if let Some(lead) = key[..start].chars().last() {
                // A key that begins before its first token ("'Ertra") is found
                // from its leading character, never from a token start.
                if !lead_chars.contains(&lead) {
                    lead_chars.push(lead);
                }
                lead_tokens = lead_tokens.max(tokens);
                continue;
            }
            let token = &key.as_bytes()[..end];
            let shape = if end == key.len() {
                KeyShape::Whole(k as u32)
            } else if let Some(&(second, second_end)) = seg.tokens.get(1) {
                token_pairs.insert(token, &key.as_bytes()[second as usize..second_end as usize]);
                KeyShape::Followed(tokens)
            } else {
                KeyShape::Open
            };
            first_tokens.insert(token, shape, key.len());
            let lower_ok = key_forms[k].iter().any(|&f| {
                let form = &forms[f as usize];
                form.case == CaseRule::Any || form.text.chars().next().is_some_and(char::is_lowercase)
            });
            if lower_ok {
                lower_first_tokens.insert(token, shape, key.len());
            }
        }
        first_tokens.seal();
        lower_first_tokens.seal();
        Matcher {
            key_len: keys.iter().map(|k| k.len() as u32).collect(),
            max_key_len: keys.iter().map(Vec::len).max().unwrap_or(0),
            keys: keys.into_iter().enumerate().map(|(k, key)| (key.into_boxed_slice(), k as u32)).collect(),
            form_start,
            form_ids,
            forms,
            first_tokens,
            lower_first_tokens,
            token_pairs,
            // 16 bits a run, up to 512 KiB.
            prefixes: HashBits::new(&prefixes, 16, 1 << 22),
            lead_ascii: lead_chars.iter().filter(|c| c.is_ascii()).fold(0, |bits, &c| bits | 1 << (c as u32)),
            lead_wide: lead_chars.iter().any(|c| !c.is_ascii()),
            lead_chars,
            lead_tokens,
        }
    }

    /// Number of distinct search keys (alias variants).
    pub fn key_count(&self) -> usize {
        self.key_len.len()
    }

    /// Finds every valid alias hit in `text` (segmented as `seg`),
    /// leftmost-longest, for a document of this `date`. Hits go to `hits`
    /// (cleared first); their candidates to `scratch.candidates`.
    ///
    /// A word can only begin at a token start (or at a key's leading
    /// punctuation right before one), so the search is anchored there, and
    /// only where the token is the first token of some key.
    pub fn find(
        &self,
        text: &str,
        seg: &Segmentation,
        date: Option<Date>,
        scratch: &mut MatchScratch,
        hits: &mut Vec<Hit>,
    ) {
        hits.clear();
        scratch.candidates.clear();
        if self.keys.is_empty() {
            return;
        }
        ascii_lowercase_into(text.as_bytes(), &mut scratch.lowered);
        let hay = scratch.lowered.as_slice();
        let mut next = 0;
        for (i, &(start, end)) in seg.tokens.iter().enumerate() {
            let (start, end) = (start as usize, end as usize);
            if start < next {
                continue;
            }
            if start > next && self.may_lead(text.as_bytes()[start - 1]) {
                if let Some(lead) = text[next..start].chars().next_back().filter(|c| self.lead_chars.contains(c)) {
                    let at = start - lead.len_utf8();
                    let search = Search { text, hay, seg, date };
                    let found = self.longest_at(
                        &search,
                        at,
                        (i, self.lead_tokens as usize),
                        u64::MAX,
                        &mut scratch.ends,
                        &mut scratch.candidates,
                    );
                    if let Some(found) = found {
                        next = found.end as usize;
                        hits.push(found);
                        continue;
                    }
                }
            }
            let first =
                if text.as_bytes()[start].is_ascii_lowercase() { &self.lower_first_tokens } else { &self.first_tokens };
            let token = &hay[start..end];
            let Some(lead) = first.get(token) else { continue };
            // Keys longer than the token are looked for only when one may fit:
            // the text's next token must be the second token of one of them.
            let longer = lead.open
                || (lead.tokens > 1
                    && seg.tokens.get(i + 1).is_some_and(|&(s, e)| {
                        let second = &hay[s as usize..e as usize];
                        // "Hong Kong's": the key's token is the text's without `'s`.
                        self.token_pairs.may_hold(token, second)
                            || strip_possessive(second).is_some_and(|stem| self.token_pairs.may_hold(token, stem))
                    }));
            let found = if longer {
                let search = Search { text, hay, seg, date };
                let tokens = if lead.tokens == MANY_TOKENS { usize::MAX } else { usize::from(lead.tokens.max(1)) };
                self.longest_at(&search, start, (i, tokens), lead.lengths, &mut scratch.ends, &mut scratch.candidates)
            } else if lead.whole != NO_KEY && starts_word(text, start) {
                self.accept_key(text, start, lead.whole, date, &mut scratch.candidates)
            } else {
                None
            };
            if let Some(found) = found {
                next = found.end as usize;
                hits.push(found);
            }
        }
    }

    /// Whether a key may begin at the character whose last byte is `b`,
    /// right before a token: one of `lead_chars` ends with it. One look at
    /// one byte, made before every token of every document.
    #[inline]
    fn may_lead(&self, b: u8) -> bool {
        if b < 0x80 {
            self.lead_ascii & (1 << b) != 0
        } else {
            self.lead_wide
        }
    }

    /// The longest valid hit starting exactly at byte `at`, within the word
    /// tokens `first..first + tokens` (and the punctuation after them), if
    /// any, among keys whose lengths are in `lengths` (bits of
    /// [`length_bit`]). `ends` is scratch space.
    fn longest_at(
        &self,
        search: &Search<'_>,
        at: usize,
        (first, tokens): (usize, usize),
        lengths: u64,
        ends: &mut Vec<usize>,
        candidates: &mut Vec<(u32, AliasKind)>,
    ) -> Option<Hit> {
        let Search { text, hay, seg, date } = *search;
        if !starts_word(text, at) {
            return None;
        }
        // Every place a key could end, in text order: token ends, a
        // possessive's stem, any place inside a non-ASCII token (combining
        // marks end words too), and after each character of the gaps; none
        // further than the longest key, so a megabyte of punctuation or of
        // one unbroken word costs no more than a short one.
        let limit = (at + self.max_key_len).min(text.len());
        ends.clear();
        let last = first.saturating_add(tokens).min(seg.tokens.len());
        // The hash of the tokens walked so far (see `prefix_with`).
        let mut run = 0;
        for t in first..last {
            let (s, e) = (seg.tokens[t].0 as usize, seg.tokens[t].1 as usize);
            // A key can end in this token only if the tokens before it
            // (two or more: the caller has checked one) begin a key that
            // goes on; if none does, none further on does either.
            if s >= limit || (t >= first + 2 && !self.prefixes.may_hold(run)) {
                break;
            }
            if t + 1 < last {
                run = prefix_with(run, t - first, &hay[s..e]);
            }
            let word = &text[s.max(at)..e];
            if !word.is_ascii() {
                ends.extend(word.char_indices().skip(1).map(|(i, _)| s.max(at) + i).take_while(|&end| end <= limit));
            } else if let Some(stem) = strip_possessive(&hay[s..e]) {
                ends.push(s + stem.len());
            }
            ends.push(e);
            // The walk stops at the limit (whitespace included): the
            // iterators are lazy.
            let gap_end = seg.tokens.get(t + 1).map_or(text.len(), |n| n.0 as usize);
            let gap = text[e..gap_end].char_indices().map(|(i, c)| (e + i + c.len_utf8(), c));
            ends.extend(
                gap.take_while(|&(end, _)| end <= limit).filter(|(_, c)| !c.is_whitespace()).map(|(end, _)| end),
            );
        }
        for &end in ends.iter().rev().filter(|&&end| end <= limit && lengths & length_bit(end - at) != 0) {
            let Some(&key) = self.keys.get(&hay[at..end]) else { continue };
            if let Some(hit) = self.accept_key(text, at, key, date, candidates) {
                return Some(hit);
            }
        }
        None
    }

    /// Checks that `key`, found at `start`, ends a word and fits one of its
    /// forms (case rule, date); its (entity, kind) candidates go to `out`.
    fn accept_key(
        &self,
        text: &str,
        start: usize,
        key: u32,
        date: Option<Date>,
        out: &mut Vec<(u32, AliasKind)>,
    ) -> Option<Hit> {
        let end = start + self.key_len[key as usize] as usize;
        if !ends_word(text, end) {
            return None;
        }
        let surface = &text[start..end];
        let first = out.len();
        let range = self.form_start[key as usize] as usize..self.form_start[key as usize + 1] as usize;
        for &f in &self.form_ids[range] {
            let form = &self.forms[f as usize];
            if form.fits(surface, date) {
                out.push((form.entity, form.kind));
            }
        }
        if out.len() == first {
            return None;
        }
        out[first..].sort_unstable();
        let mut kept = first;
        for i in first..out.len() {
            // Keep one (entity, kind) per entity: the first kind in order
            // (name before alias before acronym...).
            if i == first || out[i].0 != out[kept - 1].0 {
                out[kept] = out[i];
                kept += 1;
            }
        }
        out.truncate(kept);
        Some(Hit { start: start as u32, end: end as u32, candidates: first as u32..kept as u32 })
    }
}

/// The text a search runs over.
#[derive(Clone, Copy)]
struct Search<'a> {
    text: &'a str,
    /// `text` with ASCII letters lower-cased.
    hay: &'a [u8],
    seg: &'a Segmentation,
    date: Option<Date>,
}

/// How a key begins, as recorded for its first token.
#[derive(Debug, Clone, Copy)]
enum KeyShape {
    /// The key is exactly one word token (this key).
    Whole(u32),
    /// The key goes on with a second word token (this many tokens in all).
    Followed(u32),
    /// The key goes on without another word token ("u.s.", "yahoo!").
    Open,
}

/// No key: [`Lead::whole`] of a token that is no key by itself.
const NO_KEY: u32 = u32::MAX;

/// What the keys beginning with one token need of the text.
#[derive(Debug, Clone, Copy)]
struct Lead {
    /// The byte lengths of the keys that begin with this token, as bits
    /// (see [`length_bit`]): a search looks a text span up only when some
    /// key is that long.
    lengths: u64,
    /// The key that is exactly this token, or [`NO_KEY`].
    whole: u32,
    /// The most word tokens of a key that begins with this token (1 when
    /// none goes on with a second); [`MANY_TOKENS`] for more than fit.
    tokens: u16,
    /// Some key goes on without another word token.
    open: bool,
}

/// [`Lead::tokens`] of a key too long to count: the search is then bounded
/// by the longest key's bytes only.
const MANY_TOKENS: u16 = u16::MAX;

/// The bit of a key `len` bytes long in [`Lead::lengths`]; keys of 63 bytes
/// and more share the last one.
fn length_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// The first tokens of a set of keys, lower-cased, with a bitmap of their
/// first two bytes that rejects most tokens before any hashing, and a
/// second bitmap of the whole tokens that rejects most of the rest before
/// the map is read.
#[derive(Debug, Clone)]
struct FirstTokens {
    leads: PackedMap<Lead>,
    pairs: Vec<u64>,
    /// One bit per hashed (packed) first token ([`FirstTokens::seal`]).
    /// Two bytes in common with a first token is a weak test: "said" and
    /// "they" pass it by "saudi" and "theresa". On the benchmark corpus,
    /// two in five tokens that pass it are no first token, and the map of
    /// the built-in gazetteers, about a megabyte, is read mostly from
    /// beyond the processor's nearer caches; this bitmap holds 32 bits per
    /// token, small enough to stay near, and lets few of them through.
    whole: HashBits,
}

impl Default for FirstTokens {
    fn default() -> FirstTokens {
        FirstTokens { leads: PackedMap::default(), pairs: vec![0; 1 << 10], whole: HashBits::all() }
    }
}

impl FirstTokens {
    /// Records a key of `key_len` bytes that begins with `token`.
    /// [`FirstTokens::seal`] must follow the last insert.
    fn insert(&mut self, token: &[u8], shape: KeyShape, key_len: usize) {
        let i = pair_index(token);
        self.pairs[i >> 6] |= 1 << (i & 63);
        let blank = Lead { lengths: 0, whole: NO_KEY, tokens: 1, open: false };
        let lead = self.leads.entry_or(token, blank);
        lead.lengths |= length_bit(key_len);
        match shape {
            KeyShape::Whole(k) => lead.whole = k,
            KeyShape::Followed(tokens) => lead.tokens = lead.tokens.max(u16::try_from(tokens).unwrap_or(MANY_TOKENS)),
            KeyShape::Open => lead.open = true,
        }
    }

    /// Builds the bitmap of whole tokens: a power of two of at least 32
    /// bits per token, from 4 KiB to 256 KiB.
    fn seal(&mut self) {
        let hashes: Vec<u64> = self.leads.packed_keys().map(crate::packed::spread).collect();
        self.whole = HashBits::new(&hashes, 32, 1 << 21);
    }

    #[inline]
    fn lookup(&self, token: &[u8]) -> Option<&Lead> {
        match crate::packed::pack(token) {
            Some(packed) => {
                if !self.whole.may_hold(crate::packed::spread(packed)) {
                    return None;
                }
                self.leads.get_packed(packed)
            }
            None => self.leads.get_long(token),
        }
    }

    /// What the keys beginning at a (lower-cased) text token need. A
    /// possessive token ("china's") also stands for its stem, which only a
    /// whole key can match (a longer key cannot go on after the `'s`).
    fn get(&self, token: &[u8]) -> Option<Lead> {
        let i = pair_index(token);
        if self.pairs[i >> 6] & (1 << (i & 63)) == 0 {
            return None;
        }
        let full = self.lookup(token).copied();
        let stem = strip_possessive(token).and_then(|stem| self.lookup(stem)).copied();
        match (full, stem) {
            (full, None) => full,
            (None, Some(stem)) => Some(Lead { tokens: 1, ..stem }),
            (Some(full), Some(stem)) => Some(Lead {
                // Both are lengths from the token's start.
                lengths: full.lengths | stem.lengths,
                whole: full.whole,
                tokens: full.tokens,
                // The stem's key ends inside the token: search for it.
                open: full.open || stem.whole != NO_KEY || stem.open,
            }),
        }
    }
}

/// `text` with its ASCII capitals lower-cased, into `out` (replaced):
/// as `to_ascii_lowercase`, eight bytes at a time, for every byte of every
/// document.
fn ascii_lowercase_into(text: &[u8], out: &mut Vec<u8>) {
    // Sized first and written over in place (what it held is never read): a
    // push of eight bytes would check the capacity and move the length at
    // every step, and a clear would have the growth fill every byte.
    out.resize(text.len(), 0);
    let mut chunks = text.chunks_exact(8);
    let mut into = out.chunks_exact_mut(8);
    for (chunk, dest) in (&mut chunks).zip(&mut into) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // The high bit of each ASCII capital, moved down to 0x20.
        let capitals = bytes_in(x & !HIGH_BITS, b'A', b'Z') & !x;
        dest.copy_from_slice(&(x | capitals >> 2).to_le_bytes());
    }
    for (b, dest) in chunks.remainder().iter().zip(into.into_remainder()) {
        *dest = b.to_ascii_lowercase();
    }
}

/// A (lower-cased) token without its possessive `'s`, if it has one.
fn strip_possessive(token: &[u8]) -> Option<&[u8]> {
    token
        .strip_suffix(b"'s")
        .or_else(|| token.strip_suffix("\u{2019}s".as_bytes()))
        .or_else(|| token.strip_suffix(b"'S"))
}

/// A bitmap of hashed (first token, second token) pairs: a clear bit proves
/// that no key begins with the pair; a set bit is checked by the search.
///
/// The bitmap is split into regions, one chosen by the first token and the
/// bit within it by the second: the pairs of a frequent first token ("the",
/// for "the Netherlands") then share one region of 512 bytes that stays in
/// the cache, where a bit anywhere in the 256 KiB missed it at every "the".
#[derive(Debug, Clone)]
struct PairFilter {
    bits: Vec<u64>,
}

impl PairFilter {
    /// Bits of the bitmap: 2^21 (256 KiB), a few percent set for 100,000 keys.
    const BITS: u32 = 21;
    /// Bits of a region: 2^12 (512 bytes, eight cache lines).
    const REGION_BITS: u32 = 12;

    fn bit(first: &[u8], second: &[u8]) -> usize {
        let hash = |token: &[u8]| {
            use std::hash::Hasher;
            let mut h = rustc_hash::FxHasher::default();
            h.write(token);
            h.finish()
        };
        let region = hash(first) >> (64 - (Self::BITS - Self::REGION_BITS));
        let within = hash(second) >> (64 - Self::REGION_BITS);
        (region << Self::REGION_BITS | within) as usize
    }

    fn insert(&mut self, first: &[u8], second: &[u8]) {
        let b = Self::bit(first, second);
        self.bits[b >> 6] |= 1 << (b & 63);
    }

    fn may_hold(&self, first: &[u8], second: &[u8]) -> bool {
        let b = Self::bit(first, second);
        self.bits[b >> 6] & (1 << (b & 63)) != 0
    }
}

impl Default for PairFilter {
    fn default() -> PairFilter {
        PairFilter { bits: vec![0; 1 << (Self::BITS - 6)] }
    }
}

/// The hash of a run of (lower-cased) word tokens: `run`, the hash of the
/// tokens before `token`, with `token`, the `j`th (0-based), added. From
/// the second token on, its high bits are mixed for [`HashBits`].
fn prefix_with(run: u64, j: usize, token: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(token);
    let token = h.finish();
    if j == 0 {
        token
    } else {
        (run.rotate_left(23) ^ token).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// A bitmap of hashed items, indexed by the hashes' high bits (so those
/// must be well mixed): a clear bit proves an item absent, a set bit lets
/// it through to the exact test.
#[derive(Debug, Clone)]
struct HashBits {
    bits: Vec<u64>,
    /// `64 - log2(bit count)`: the shift that takes a hash to its bit.
    shift: u32,
}

impl HashBits {
    /// Sixty-four bits, every one set: lets everything through.
    fn all() -> HashBits {
        HashBits { bits: vec![u64::MAX], shift: 58 }
    }

    /// A bitmap of `hashes`, of a power of two of at least `per_item` bits
    /// per hash, from 2^15 bits (4 KiB) to `max_bits`.
    fn new(hashes: &[u64], per_item: usize, max_bits: usize) -> HashBits {
        let bits = (hashes.len() * per_item).next_power_of_two().clamp(1 << 15, max_bits);
        let mut filter = HashBits { bits: vec![0; bits / 64], shift: 64 - bits.trailing_zeros() };
        for &hash in hashes {
            let b = filter.bit(hash);
            filter.bits[b >> 6] |= 1 << (b & 63);
        }
        filter
    }

    #[inline]
    fn bit(&self, hash: u64) -> usize {
        (hash >> self.shift) as usize
    }

    #[inline]
    fn may_hold(&self, hash: u64) -> bool {
        let b = self.bit(hash);
        self.bits[b >> 6] & (1 << (b & 63)) != 0
    }
}

/// The bit of a token in a [`FirstTokens`] bitmap: its first two bytes
/// (the second 0 for a one-byte token).
fn pair_index(token: &[u8]) -> usize {
    let first = token.first().copied().unwrap_or(0) as usize;
    let second = token.get(1).copied().unwrap_or(0) as usize;
    first << 8 | second
}

/// Letters, digits and the underscore join into words (UAX #29 ALetter,
/// Numeric, ExtendNumLet).
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Characters that join two letters into one word (UAX #29 MidLetter and
/// MidNumLet): "O'Neill", "U.S", "e.g".
fn joins_letters(c: char) -> bool {
    matches!(
        c,
        '\'' | '.'
            | ':'
            | '\u{00B7}'
            | '\u{0387}'
            | '\u{055F}'
            | '\u{05F4}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{2024}'
            | '\u{2027}'
            | '\u{FE13}'
            | '\u{FE52}'
            | '\u{FE55}'
            | '\u{FF07}'
            | '\u{FF0E}'
            | '\u{FF1A}'
    )
}

/// Characters that join two digits into one number (UAX #29 MidNum and MidNumLet): "3.5", "1,000".
fn joins_digits(c: char) -> bool {
    matches!(c, ',' | ';' | '.' | '\'' | '\u{2019}' | '\u{066C}' | '\u{FE50}' | '\u{FE54}' | '\u{FF0C}' | '\u{FF1B}')
}

/// Whether a word may begin at byte `i` (a UAX #29 word boundary before it).
pub(crate) fn starts_word(text: &str, i: usize) -> bool {
    // Most places are between two ASCII characters: decided from the two
    // bytes unless the one before may join two words.
    let bytes = text.as_bytes();
    if i > 0 && i < bytes.len() && bytes[i].is_ascii() && bytes[i - 1].is_ascii() {
        if !is_ascii_word(bytes[i]) {
            return true;
        }
        if is_ascii_word(bytes[i - 1]) {
            return false;
        }
        if !is_ascii_joiner(bytes[i - 1]) {
            return true;
        }
    }
    starts_word_by_chars(text, i)
}

/// [`starts_word`], character by character.
fn starts_word_by_chars(text: &str, i: usize) -> bool {
    let Some(first) = text[i..].chars().next() else {
        return true;
    };
    if !is_word(first) {
        return true;
    }
    let mut before = text[..i].chars().rev();
    let Some(x) = before.next() else {
        return true;
    };
    if is_word(x) {
        return false;
    }
    match before.next() {
        Some(w) if w.is_alphabetic() && first.is_alphabetic() && joins_letters(x) => false,
        Some(w) if w.is_numeric() && first.is_numeric() && joins_digits(x) => false,
        _ => true,
    }
}

/// Whether a word may end at byte `i` (a UAX #29 word boundary after it), also
/// accepting a possessive `'s` / `’s` after it.
pub(crate) fn ends_word(text: &str, i: usize) -> bool {
    // As in `starts_word`: two ASCII bytes decide unless the one after may
    // join two words (or begin a possessive).
    let bytes = text.as_bytes();
    if i > 0 && i < bytes.len() && bytes[i - 1].is_ascii() && bytes[i].is_ascii() {
        if !is_ascii_word(bytes[i - 1]) {
            return true;
        }
        if is_ascii_word(bytes[i]) {
            return false;
        }
        if !is_ascii_joiner(bytes[i]) {
            return true;
        }
    }
    ends_word_by_chars(text, i)
}

/// An ASCII letter, digit or underscore: [`is_word`] for an ASCII byte.
#[inline]
fn is_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// An ASCII byte that [`joins_letters`] or [`joins_digits`].
#[inline]
fn is_ascii_joiner(b: u8) -> bool {
    matches!(b, b'\'' | b'.' | b':' | b',' | b';')
}

/// [`ends_word`], character by character.
fn ends_word_by_chars(text: &str, i: usize) -> bool {
    let Some(last) = text[..i].chars().next_back() else {
        return true;
    };
    if !is_word(last) {
        return true;
    }
    let mut after = text[i..].chars();
    let Some(y) = after.next() else {
        return true;
    };
    if is_word(y) {
        return false;
    }
    let z = after.next();
    match z {
        Some(z) if last.is_alphabetic() && z.is_alphabetic() && joins_letters(y) => {
            // "China's" is one UAX #29 word, but its stem is a mention.
            (y == '\'' || y == '\u{2019}') && (z == 's' || z == 'S') && after.next().is_none_or(|c| !is_word(c))
        }
        Some(z) if last.is_numeric() && z.is_numeric() && joins_digits(y) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerBuilder;

    #[test]
    fn eight_bytes_at_a_time_lower_case_as_std_does() {
        // Every byte value, at every place of a chunk and in the remainder.
        let all: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).chain(b"ABCxyz@[`{".iter().copied()).collect();
        let mut out = Vec::new();
        for start in 0..9 {
            for len in [0, 1, 7, 8, 9, 15, 16, 17, all.len() - start] {
                let text = &all[start..start + len];
                ascii_lowercase_into(text, &mut out);
                assert_eq!(out, text.to_ascii_lowercase(), "{text:?}");
            }
        }
    }

    #[test]
    fn whole_token_bitmap_lets_every_first_token_through() {
        let mut first = FirstTokens::default();
        let tokens: Vec<String> =
            (0..5000).map(|i| format!("t{i}")).chain(["a-very-long-first-token".into()]).collect();
        for t in &tokens {
            first.insert(t.as_bytes(), KeyShape::Open, t.len() + 3);
        }
        first.seal();
        assert!(tokens.iter().all(|t| first.get(t.as_bytes()).is_some_and(|lead| lead.open)));
        // It rejects most tokens that are not there (a few share a bit).
        assert!((0..5000).all(|i| first.lookup(format!("u{i}").as_bytes()).is_none()));
        let through = (0..5000)
            .filter(|i| {
                let packed = crate::packed::pack(format!("u{i}").as_bytes()).unwrap();
                first.whole.may_hold(crate::packed::spread(packed))
            })
            .count();
        assert!(through < 500, "{through} of 5000 absent tokens passed the bitmap");
    }

    fn gazetteer(rows: &str) -> Gazetteer {
        let mut b = GazetteerBuilder::new();
        let text = format!("id\ttype\tname\talias\tkind\tcase\tfrom\tto\n{rows}");
        b.add_text("t.tsv", text.as_bytes()).unwrap();
        b.build()
    }

    /// Finds hits and renders them as `surface=id,id` strings.
    fn hits(g: &Gazetteer, text: &str) -> Vec<String> {
        hits_on(g, text, None)
    }

    fn hits_on(g: &Gazetteer, text: &str, date: Option<Date>) -> Vec<String> {
        let m = Matcher::new(g, MatcherOptions::default());
        let mut scratch = MatchScratch::default();
        let mut out = Vec::new();
        m.find(text, &Segmentation::of(text), date, &mut scratch, &mut out);
        out.iter()
            .map(|h| {
                let ids: Vec<&str> = scratch.candidates[h.candidates.start as usize..h.candidates.end as usize]
                    .iter()
                    .map(|(e, _)| g.entities[*e as usize].id.as_str())
                    .collect();
                format!("{}={}", &text[h.start as usize..h.end as usize], ids.join(","))
            })
            .collect()
    }

    const COUNTRIES: &str = "\
OMN\tcountry\tOman\tOman\tname\t\t\t
ROU\tcountry\tRomania\tRomania\tname\t\t\t
SDN\tcountry\tSudan\tSudan\tname\t\t\t
SSD\tcountry\tSouth Sudan\tSouth Sudan\tname\t\t\t
USA\tcountry\tUnited States\tUS\tacronym\t\t\t
USA\tcountry\tUnited States\tU.S.\tacronym\t\t\t
USA\tcountry\tUnited States\tUnited States\tname\t\t\t
TUR\tcountry\tTurkey\tTurkey\tname\t\t\t
CHN\tcountry\tChina\tChina\tname\t\t\t
CHN\tcountry\tChina\tChinese\tdemonym\t\t\t
CIV\tcountry\tCôte d'Ivoire\tCôte d'Ivoire\tname\t\t\t
STP\tcountry\tSão Tomé and Príncipe\tSão Tomé and Príncipe\tname\t\t\t
org:who\torganization\tWorld Health Organization\tWHO\tacronym\t\t\t
org:nyt\torganization\tThe New York Times\tNew York Times\tname\t\t\t
org:nyt\torganization\tThe New York Times\tnytimes\talias\tany\t\t
US-NY\tplace\tNew York\tNew York\tname\t\t\t
HKG\tcountry\tHong Kong\tHong Kong\tname\t\t\t
USA\tcountry\tUnited States\tAmerica\talias\t\t\t
org:cup\tevent\tAmerica's Cup\tAmerica's Cup\tname\t\t\t
org:yahoo\torganization\tYahoo!\tYahoo!\tname\t\t\t
org:ertra\torganization\t'Ertra\t'Ertra\tname\t\t\t
org:mcd\torganization\tMcDonald's\tMcDonald's\tname\texact\t\t
org:mcd\torganization\tMcDonald's\tMcDonald\talias\tany\t\t
";

    #[test]
    fn table_of_matching_cases() {
        let g = gazetteer(COUNTRIES);
        let cases: &[(&str, &[&str])] = &[
            ("Oman and Romania", &["Oman=OMN", "Romania=ROU"]),
            ("Romanian", &[]),
            ("South Sudan, not Sudan", &["South Sudan=SSD", "Sudan=SDN"]),
            ("the New York Times in New York", &["New York Times=org:nyt", "New York=US-NY"]),
            ("NEW YORK TIMES", &["NEW YORK TIMES=org:nyt"]),
            ("NEW YORK times", &["NEW YORK=US-NY"]),
            ("New Yorkers", &[]),
            ("China's and China’s and CHINA'S", &["China=CHN", "China=CHN", "CHINA=CHN"]),
            ("Chinas", &[]),
            ("China'sx", &[]),
            ("the US and us", &["US=USA"]),
            ("the U.S. said", &["U.S.=USA"]),
            ("WHO said who", &["WHO=org:who"]),
            ("Turkey and turkey and TURKEY", &["Turkey=TUR", "TURKEY=TUR"]),
            ("Côte d'Ivoire", &["Côte d'Ivoire=CIV"]),
            ("CÔTE D'IVOIRE", &["CÔTE D'IVOIRE=CIV"]),
            ("São Tomé and Príncipe", &["São Tomé and Príncipe=STP"]),
            ("China", &["China=CHN"]),
            ("Oman.", &["Oman=OMN"]),
            ("(Oman)", &["Oman=OMN"]),
            ("pro-China", &["China=CHN"]),
            ("Chinese-made", &["Chinese=CHN"]),
            ("xOman", &[]),
            ("Oman2", &[]),
            ("NYTimes and nytimes", &["NYTimes=org:nyt", "nytimes=org:nyt"]),
            ("Oman.com", &[]),
            // A possessive on the last token of a longer key, on a whole
            // key that is also the start of a longer one, and after both.
            ("Hong Kong's index", &["Hong Kong=HKG"]),
            ("New York’s mayor", &["New York=US-NY"]),
            ("America's image, America's Cup", &["America=USA", "America's Cup=org:cup"]),
            ("South Sudanese", &[]),
            ("the U.S.", &["U.S.=USA"]),
            ("Hong", &[]),
            // Keys that end in punctuation, begin with it, or whose longer
            // form fails its case rule while its stem fits.
            ("Yahoo! said", &["Yahoo!=org:yahoo"]),
            ("Yahoo said", &[]),
            ("the 'Ertra band", &["'Ertra=org:ertra"]),
            ("McDonald's and MCDONALD'S", &["McDonald's=org:mcd", "MCDONALD=org:mcd"]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(hits(&g, text), *expected, "text: {text:?}");
        }
    }

    #[test]
    fn keys_of_every_length_are_found_behind_their_first_word() {
        // A search looks up only the lengths some key with that first word
        // has; keys of 63 bytes and more share one bit. "McDonald's" begins
        // a key of its own and is the possessive of another: the search
        // after it needs the lengths of both.
        let long = "United Nations Educational, Scientific and Cultural Organization";
        let longer = format!("{long} Regional Bureau for Science in Asia");
        let g = gazetteer(&format!(
            "un\torganization\tUnited Nations\tUnited Nations\tname\t\t\t\n\
             unesco\torganization\tUNESCO\t{long}\talias\t\t\t\n\
             bureau\torganization\tBureau\t{longer}\talias\t\t\t\n\
             us\tcountry\tUnited States\tUnited States\tname\t\t\t\n\
             u\torganization\tUnited\tUnited\tname\t\t\t\n\
             corp\torganization\tMcDonald's Corp\tMcDonald's Corp\tname\t\t\t\n\
             mcd\tperson\tMcDonald\tMcDonald\tname\t\t\t\n"
        ));
        let text = format!(
            "{long} and {longer}, United Nations, United's and United States's. McDonald's Corp, McDonald's son."
        );
        assert_eq!(
            hits(&g, &text),
            [
                format!("{long}=unesco"),
                format!("{longer}=bureau"),
                "United Nations=un".to_string(),
                "United=u".to_string(),
                "United States=us".to_string(),
                "McDonald's Corp=corp".to_string(),
                "McDonald=mcd".to_string(),
            ]
        );
    }

    #[test]
    fn a_search_looks_no_further_than_the_longest_key() {
        // After "Yahoo" (which begins the key "yahoo!") a megabyte of
        // punctuation: every place after a '!' could end a key, and looking
        // each up would take hours; only the first few can.
        let g = gazetteer(COUNTRIES);
        let text = format!("Yahoo{} and U.S{}", "!".repeat(1 << 20), ".".repeat(1 << 20));
        assert_eq!(hits(&g, &text), ["Yahoo!=org:yahoo", "U.S.=USA"]);
    }

    #[test]
    fn pair_filter_holds_every_pair_and_keeps_a_first_token_in_one_region() {
        let mut filter = PairFilter::default();
        let firsts = ["the", "john", "bank", "a", "\u{00e9}cole"];
        let pairs: Vec<(String, String)> =
            firsts.iter().flat_map(|f| (0..300).map(move |i| (f.to_string(), format!("w{i}")))).collect();
        for (first, second) in &pairs {
            filter.insert(first.as_bytes(), second.as_bytes());
        }
        for (first, second) in &pairs {
            assert!(filter.may_hold(first.as_bytes(), second.as_bytes()), "{first} {second}");
        }
        // All pairs of one first token share a region (one 512-byte block).
        for first in firsts {
            let regions: std::collections::BTreeSet<usize> = (0..300)
                .map(|i| PairFilter::bit(first.as_bytes(), format!("w{i}").as_bytes()) >> PairFilter::REGION_BITS)
                .collect();
            assert_eq!(regions.len(), 1, "{first}");
        }
        // Few pairs never inserted pass: the region of "the" has 300 of its
        // 4,096 bits set, so about 7 % (a filter that set bits outside the
        // pair's region, or set them all, lets far more through).
        let passing = (0..10_000).filter(|i| filter.may_hold(b"the", format!("x{i}").as_bytes())).count();
        assert!(passing < 10_000 * 300 / 4096 * 2, "{passing} false positives");
    }

    #[test]
    fn shared_alias_yields_every_candidate() {
        let g = gazetteer(
            "GEO\tcountry\tGeorgia\tGeorgia\tname\t\t\t\nUS-GA\tstate\tGeorgia (US state)\tGeorgia\tname\t\t\t\n",
        );
        assert_eq!(hits(&g, "in Georgia"), ["Georgia=GEO,US-GA"]);
    }

    #[test]
    fn dates_bound_aliases() {
        let g = gazetteer(
            "p:bush41\tperson\tGeorge H. W. Bush\tPresident Bush\ttitle\t\t1989-01-20\t1993-01-20\n\
             p:bush43\tperson\tGeorge W. Bush\tPresident Bush\ttitle\t\t2001-01-20\t2009-01-20\n",
        );
        assert_eq!(hits_on(&g, "President Bush", Date::new(1991, 5, 1)), ["President Bush=p:bush41"]);
        assert_eq!(hits_on(&g, "President Bush", Date::new(2005, 5, 1)), ["President Bush=p:bush43"]);
        assert_eq!(hits_on(&g, "President Bush", Date::new(2015, 5, 1)), Vec::<String>::new());
        assert_eq!(hits_on(&g, "President Bush", None), ["President Bush=p:bush41,p:bush43"]);
    }

    #[test]
    fn demonyms_can_be_left_out() {
        let g = gazetteer(COUNTRIES);
        let m = Matcher::new(&g, MatcherOptions { no_demonyms: true });
        let mut scratch = MatchScratch::default();
        let mut out = Vec::new();
        let text = "Chinese and China";
        m.find(text, &Segmentation::of(text), None, &mut scratch, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].start, 12);
    }

    #[test]
    fn word_boundaries_follow_uax29_joiners() {
        assert!(starts_word("a b", 2));
        assert!(!starts_word("ab", 1));
        assert!(!starts_word("O'Neill", 2));
        assert!(!starts_word("3.5", 2));
        assert!(starts_word("'Neill", 1));
        assert!(starts_word("x.5", 2));
        assert!(ends_word("ab c", 2));
        assert!(!ends_word("abc", 2));
        assert!(ends_word("China's", 5));
        assert!(ends_word("China’S.", 5));
        assert!(!ends_word("China'sa", 5));
        assert!(!ends_word("O'Neill", 1));
        assert!(ends_word("Philippines' own", 11));
    }

    /// Keys of many tokens that share their first ones: the walk past the
    /// second token goes on only while the tokens walked begin a longer
    /// key, and still finds every key, whatever follows it.
    #[test]
    fn long_keys_are_found_through_the_runs_that_begin_them() {
        let g = gazetteer(
            "COD\tcountry\tDemocratic Republic of the Congo\tDemocratic Republic of the Congo\tname\t\t\t
COG\tcountry\tRepublic of the Congo\tRepublic of the Congo\tname\t\t\t
org:brc\torganization\tBank of the Republic of Côte d'Ivoire\tBank of the Republic of Côte d'Ivoire\tname\t\t\t
org:dp\torganization\tDemocratic Party\tDemocratic Party\tname\t\t\t
org:un\torganization\tUnited Nations Security Council\tU.N. Security Council\talias\t\t\t
",
        );
        let cases: [(&str, &[&str]); 8] = [
            ("the Democratic Republic of the Congo said", &["Democratic Republic of the Congo=COD"]),
            ("the Democratic Republic of the Congo's army", &["Democratic Republic of the Congo=COD"]),
            ("DEMOCRATIC REPUBLIC OF THE CONGO.", &["DEMOCRATIC REPUBLIC OF THE CONGO=COD"]),
            // Three tokens in, the run stops being any key's beginning.
            ("the Democratic Republic of Freedonia", &[]),
            (
                "a Democratic Party of the Republic of the Congo",
                &["Democratic Party=org:dp", "Republic of the Congo=COG"],
            ),
            ("Bank of the Republic of Côte d'Ivoire", &["Bank of the Republic of Côte d'Ivoire=org:brc"]),
            ("Bank of the Republic of Côte d'Azur", &[]),
            ("the U.N. Security Council met", &["U.N. Security Council=org:un"]),
        ];
        for (text, expected) in cases {
            assert_eq!(hits(&g, text), expected, "{text}");
        }
        // The bitmap holds the runs of two tokens and more that keys go on after.
        let m = Matcher::new(&g, MatcherOptions::default());
        let run = |tokens: &[&str]| tokens.iter().enumerate().fold(0, |run, (j, t)| prefix_with(run, j, t.as_bytes()));
        assert!(m.prefixes.may_hold(run(&["democratic", "republic", "of", "the"])));
        assert!(m.prefixes.may_hold(run(&["u.n", "security"])));
        let absent = (0..2000).filter(|i| m.prefixes.may_hold(run(&["democratic", &format!("w{i}")]))).count();
        assert!(absent < 20, "{absent} of 2000 absent runs passed the bitmap");
    }

    /// The two-byte shortcuts of `starts_word` and `ends_word` answer as
    /// the character by character rules do, at every place of every
    /// string of four characters from an alphabet of word characters,
    /// joiners, spaces, punctuation and non-ASCII letters and marks.
    #[test]
    fn word_boundary_shortcuts_agree_with_the_rules() {
        let alphabet = ['a', 'S', '7', '_', '\'', '.', ':', ',', ';', ' ', '-', '"', 'é', '\u{2019}', '\u{301}', '日'];
        let mut text = String::new();
        let n = alphabet.len();
        for code in 0..n.pow(4) {
            text.clear();
            let mut c = code;
            for _ in 0..4 {
                text.push(alphabet[c % n]);
                c /= n;
            }
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(starts_word(&text, i), starts_word_by_chars(&text, i), "starts_word({text:?}, {i})");
                assert_eq!(ends_word(&text, i), ends_word_by_chars(&text, i), "ends_word({text:?}, {i})");
            }
        }
    }
}
