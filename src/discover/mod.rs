//! Discovery of people and organizations that no gazetteer lists
//! (`cotag run --discover`, SPEC §1), from name patterns.
//!
//! The unit of work is a *run*: a maximal sequence of capitalized words in one
//! sentence, joined by single spaces (or ". " after an initial or an
//! abbreviated title), that may hold the lower-case connectors of names
//! ("van", "bin", "al-" for people; "of", "for", "on", "and", "the", "&" for
//! organizations) between capitalized words. Words that overlap a mention
//! already tagged from a gazetteer break runs, so a discovered name never
//! overlaps a listed one. Each run is then read by four rules, organizations
//! first (an organization's name often holds a person's: "George Washington
//! University"):
//!
//! * **org suffix** ([`Rule::OrgSuffix`]): the run ends with a word of
//!   `data/org_suffixes.txt` ("Acme Corp.", "Civic Party", "Hamilton Police
//!   Service"), with at least one other capitalized word before it;
//! * **org head** ([`Rule::OrgHead`]): a word of `data/org_heads.txt` followed
//!   by "of", "for" or "on" and a capitalized name ("Ministry of Culture",
//!   "University of Copenhagen", "Council on Foreign Relations");
//! * **title** ([`Rule::Title`]): a title or honorific of `data/titles.txt`
//!   followed by one to four name words ("President Obama", "Gen. Milley",
//!   "Foreign Minister Sergei Lavrov"); the title is not part of the mention.
//!   A lower-case role noun of `data/role_nouns.txt` right before the run
//!   ("writer Aner Shalev", "curator Kristin Wilkins") is a cue too, for two or
//!   three name words that need no listed given name;
//! * **given name** ([`Rule::GivenName`]): a given name of
//!   `data/given_names.txt` followed by one to four name words: surnames,
//!   middle initials ("John F. Kennedy"), particles ("Ludwig van Beethoven",
//!   "Mohammed bin Salman"), hyphenated and apostrophe names. A given name
//!   that is also an everyday word (`data/everyday_given_names.txt`: "Mark",
//!   "Bill") counts only mid-sentence and before a surname that is no
//!   everyday word ("Mark Rathbun", not "Will Congress" or a sentence-initial
//!   "Mark"). Dotted initials stand for given names before one or two name
//!   words ("O.J. Simpson", "V.V.S. Laxman"), unless they are a place or an
//!   era of `data/not_names.txt` ("D.C.", "B.C.").
//!
//! A run may hold several people ("Ann Chiang of DAB and Priscilla Leung"):
//! after a name, the rules go on with the rest of the run.
//!
//! Then, over the whole document:
//!
//! * a person found by a cue (a title, a role noun, an everyday given name)
//!   is also found wherever the same full name is written again as a name of
//!   its own ("Mark Rathbun" at the start of a sentence, where "Mark" alone
//!   is no cue);
//! * two discovered people of one document whose names differ only by a
//!   spelling variant of the given name, with the same other words, are one
//!   person named by the first spelling ("Kristin Wilkins" ... "Kristen
//!   Wilkins"): a vowel written for another ("i"/"e"), or a doubled letter
//!   ("Philip"/"Phillip"), in given names of four letters or more. Anything
//!   else ("Mark"/"Mary", "Jon"/"John") stays two people, so that their shared
//!   surname stays refused (`crate::partial`).
//!
//! What keeps precision up (each was measured, see `examples/discover_eval.rs`):
//! a capitalized everyday word at the start of a sentence or quote is not a
//! name (`data/english_lowercase.tsv`: written in lower case more often than
//! capitalized mid-sentence); a person's name holds no month, day or place noun
//! (`data/not_names.txt`: "Hyde Park", "Hope Street"), no all-capital word, and
//! no everyday word as surname unless a cue vouches for it
//! ([`DiscoverOptions::cued_everyday_surname`]); sentences written in capitals are skipped,
//! and those in title case (headlines, captions) are read for the surest
//! rule only: a listed given name and the name words after it
//! ([`DiscoverOptions::headline_names`]).
//!
//! Cost: one pass over the tokens of [`Segmentation`]; capitalization is read
//! from the first byte (first character for non-ASCII), and only capitalized
//! words are looked up, in hash sets built once by [`Discoverer::new`]. The
//! pass jumps from one capital, apostrophe or non-ASCII byte of a sentence
//! to the next, eight bytes at a time: the lower-case words between them get
//! no look of their own.
//!
//! The parts: `words` reads a sentence into words (and tells which
//! sentences are worth reading at all), `rules` applies the sentence rules
//! above to its runs, and `document` the rules over the whole document.

mod document;
mod rules;
#[cfg(test)]
mod tests;
mod words;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::packed::PackedMap;
use crate::tokenize::Segmentation;

pub use words::DiscoverScratch;

static GIVEN_NAMES: &str = include_str!("../data/given_names.txt");
static TITLES: &str = include_str!("../data/titles.txt");
static ORG_SUFFIXES: &str = include_str!("../data/org_suffixes.txt");
static ORG_HEADS: &str = include_str!("../data/org_heads.txt");
static NOT_NAMES: &str = include_str!("../data/not_names.txt");
static TIME_WORDS: &str = include_str!("../data/time_words.txt");
static WORD_FREQUENCIES: &str = include_str!("../data/english_lowercase.tsv");
static LATIN_FOLD: &str = include_str!("../data/latin_fold.tsv");
static EVERYDAY_GIVEN_NAMES: &str = include_str!("../data/everyday_given_names.txt");
static ROLE_NOUNS: &str = include_str!("../data/role_nouns.txt");
/// Nouns naming a person in an apposition after the name ("..., an Australian woman").
static APPOSITIVE_NOUNS: &str = include_str!("../data/appositive_nouns.txt");

/// Lower-case words that join the parts of a person's name ("Ludwig van
/// Beethoven", "Mohammed bin Salman", "Abu Bakr al-Baghdadi").
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "abu", "ould", "wa", "van", "von", "der", "den", "de", "da", "di", "du", "del",
    "della", "dos", "das", "la", "le", "ter", "ten", "y",
];

/// Abbreviations inside a name, after which ". " does not end it ("Martin St. Louis", "Martin Luther King Jr.").
const NAME_ABBREVIATIONS: &[&str] = &["St", "Ste", "Mt", "Ft", "Jr", "Sr"];

/// Lower-case words that join the parts of an organization's name ("Bank of
/// England", "Department of Health and Human Services").
const ORG_CONNECTORS: &[&str] = &["of", "for", "on", "and", "the", "de"];

/// A bound on the lower-case words (particles, connectors) that a run of
/// names takes in a row: [`Discoverer::run_end`] takes one ("Bank of
/// England", "Ludwig van Beethoven"); [`Discoverer::read_words`] allows
/// for two, so that it never hides what a run could reach, and so does the
/// first, cheap look of [`Discoverer::worth_reading`] (its exact test
/// takes one).
const RUN_CONNECTORS: usize = 2;

/// Flag: a given name (`data/given_names.txt`).
const F_GIVEN: u16 = 1;
/// Flag: the last word of a title (`data/titles.txt`).
const F_TITLE_END: u16 = 1 << 1;
/// Flag: an organization suffix (`data/org_suffixes.txt`).
const F_SUFFIX: u16 = 1 << 2;
/// Flag: an organization suffix written with a period ("Inc.").
const F_SUFFIX_DOT: u16 = 1 << 3;
/// Flag: an organization head (`data/org_heads.txt`).
const F_HEAD: u16 = 1 << 4;
/// Flag: never in a person's name (`data/not_names.txt`).
const F_NOT_NAME: u16 = 1 << 5;
/// Flag: a month, day or holiday (`data/time_words.txt`).
const F_TIME: u16 = 1 << 6;
/// Flag: written in lower case more often than capitalized mid-sentence.
const F_EVERYDAY_INITIAL: u16 = 1 << 7;
/// Flag: a common lower-case word rarely capitalized: a poor surname ("Said", "Young").
const F_EVERYDAY: u16 = 1 << 8;
/// Flag: a given name that is also an everyday word ("Mark", "Bill", "Will";
/// `data/everyday_given_names.txt`): a given name only mid-sentence and before
/// a surname that is no everyday word.
const F_EVERYDAY_GIVEN: u16 = 1 << 9;
/// Flags of a word that is never a name word after the first: a place,
/// month or day, a title, an organization word. The name rules add
/// [`F_EVERYDAY`] where no cue vouches for the name.
const F_NEVER_IN_NAME: u16 = F_NOT_NAME | F_TITLE_END | F_SUFFIX | F_HEAD | F_TIME;

/// A capitalized everyday word opening a sentence is capitalized by position
/// ("Yesterday", "The"), unless it is also a given name or a title.
fn is_everyday_initial(flags: u16) -> bool {
    flags & F_EVERYDAY_INITIAL != 0 && flags & (F_GIVEN | F_TITLE_END) == 0
}

/// What a discovered name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DiscoveredKind {
    /// A person (`type=person`).
    Person,
    /// An organization (`type=organization`).
    Organization,
}

impl DiscoveredKind {
    /// The `type` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            DiscoveredKind::Person => "person",
            DiscoveredKind::Organization => "organization",
        }
    }
}

/// The pattern that found a name (for evaluation and explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// A given name followed by a surname ("Jane Doe").
    GivenName,
    /// A title followed by a name ("President Obama"); the mention is the name.
    Title,
    /// Capitalized words ending with an organization word ("Acme Corp.").
    OrgSuffix,
    /// An organization word followed by "of"/"for"/"on" and a name ("Ministry of Culture").
    OrgHead,
}

/// A person or organization found by [`Discoverer::find`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// Byte offset of the first byte of the name in the document text.
    pub start: u32,
    /// Byte offset past the name (a possessive "'s" is not included).
    pub end: u32,
    /// Byte offset where the cue starts: the title before a [`Rule::Title`]
    /// name ("President" in "President Obama"), else `start`.
    pub cue_start: u32,
    /// Person or organization.
    pub kind: DiscoveredKind,
    /// The rule that found it.
    pub rule: Rule,
    /// Canonical display name: the surface without title and possessive, with
    /// runs of whitespace written as one space ("Jane Doe", "Acme Corp.").
    pub name: String,
}

/// Knobs for measuring the rules one by one; [`Default`] is what `--discover` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscoverOptions {
    /// Apply [`Rule::GivenName`].
    pub given_name: bool,
    /// Apply [`Rule::Title`].
    pub title: bool,
    /// Apply [`Rule::OrgSuffix`].
    pub org_suffix: bool,
    /// Apply [`Rule::OrgHead`].
    pub org_head: bool,
    /// Let a given name start a person's name after other capitalized words of
    /// its run ("Nonpartisan Paul Tse", "Microsoft CEO Bill Gates").
    pub given_after_prefix: bool,
    /// Skip sentences written in title case or capitals (headlines).
    pub skip_headlines: bool,
    /// In a skipped headline, still read a listed given name and the
    /// capitalized words after it that are no everyday word ("Jennifer Lopez
    /// Files For Divorce", "Editorial Manager Chet Clem").
    pub headline_names: bool,
    /// A lower-case role noun before a run is a cue ("writer Aner Shalev").
    pub role_noun: bool,
    /// An apposition naming a person after a run is a cue ("Valeska Paris, an
    /// Australian woman").
    pub appositive: bool,
    /// Everyday given names mid-sentence ("Mark Rathbun").
    pub everyday_given: bool,
    /// A listed given name and an everyday word as surname where a cue
    /// vouches for a name: a title or role noun before it, an apposition
    /// after it ("director Kathryn Waters", "Kathryn Waters, director of").
    pub cued_everyday_surname: bool,
    /// A person found by a cue is found again where the full name is repeated.
    pub repeat: bool,
    /// Spelling variants of a given name with the same surname are one person.
    pub variants: bool,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            given_name: true,
            title: true,
            org_suffix: true,
            org_head: true,
            given_after_prefix: true,
            skip_headlines: true,
            headline_names: true,
            role_noun: true,
            appositive: true,
            everyday_given: true,
            cued_everyday_surname: true,
            repeat: true,
            variants: true,
        }
    }
}

/// The word lists of discovery, loaded once and shared by all threads.
#[derive(Debug, Clone)]
pub struct Discoverer {
    /// Every listed word → its `F_*` flags: one lookup per capitalized word.
    lexicon: PackedMap<u16>,
    /// Titles as their words joined by one space, periods dropped ("Mr", "Lt Gen").
    titles: FxHashSet<String>,
    /// Most words in a title.
    title_len: usize,
    /// Lower-case role nouns (`data/role_nouns.txt`).
    roles: FxHashSet<&'static str>,
    /// The role nouns and the nouns of `data/appositive_nouns.txt`.
    appositive_nouns: FxHashSet<&'static str>,
    fold: FxHashMap<char, &'static str>,
    options: DiscoverOptions,
}

impl Default for Discoverer {
    fn default() -> Self {
        Discoverer::new()
    }
}

/// Lines of a data file that are not blank or comments.
fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

impl Discoverer {
    /// Loads the word lists (a few milliseconds; build one and share it).
    pub fn new() -> Discoverer {
        Discoverer::with_options(DiscoverOptions::default())
    }

    /// Like [`Discoverer::new`] with some rules switched off (for evaluation).
    pub fn with_options(options: DiscoverOptions) -> Discoverer {
        let mut lexicon: PackedMap<u16> = PackedMap::default();
        let mut add = |word: &str, flag: u16| *lexicon.entry_or(word.as_bytes(), 0) |= flag;
        let mut titles = FxHashSet::default();
        let mut title_len = 1;
        for line in data_lines(TITLES) {
            let words: Vec<&str> = line.split([' ', '-']).map(|w| w.trim_end_matches('.')).collect();
            title_len = title_len.max(words.len());
            add(words.last().unwrap_or(&""), F_TITLE_END);
            titles.insert(words.join(" "));
        }
        for line in data_lines(GIVEN_NAMES) {
            add(line, F_GIVEN);
        }
        for line in data_lines(EVERYDAY_GIVEN_NAMES) {
            add(line, F_EVERYDAY_GIVEN);
        }
        for line in data_lines(ORG_SUFFIXES) {
            add(line.trim_end_matches('.'), if line.ends_with('.') { F_SUFFIX | F_SUFFIX_DOT } else { F_SUFFIX });
        }
        for line in data_lines(ORG_HEADS) {
            add(line, F_HEAD);
        }
        for line in data_lines(NOT_NAMES) {
            add(line, F_NOT_NAME);
        }
        for line in data_lines(TIME_WORDS) {
            add(line, F_TIME);
        }
        // Word frequencies are kept in lower case; the words looked up are capitalized.
        for line in data_lines(WORD_FREQUENCIES).skip(1) {
            let mut f = line.split('\t');
            let (Some(w), Some(Ok(lower)), Some(Ok(cap))) =
                (f.next(), f.next().map(str::parse::<u32>), f.next().map(str::parse::<u32>))
            else {
                continue;
            };
            let mut flags = 0;
            if lower > cap {
                flags |= F_EVERYDAY_INITIAL;
            }
            if lower >= 20 && cap * 4 < lower {
                flags |= F_EVERYDAY;
            }
            if flags != 0 && w.is_ascii() {
                let mut capitalized = w.to_string();
                capitalized[..1].make_ascii_uppercase();
                add(&capitalized, flags);
            }
        }
        let fold = data_lines(LATIN_FOLD)
            .filter_map(|l| {
                let (c, a) = l.split_once('\t')?;
                Some((c.chars().next()?, a))
            })
            .collect();
        let roles: FxHashSet<&'static str> = data_lines(ROLE_NOUNS).collect();
        let appositive_nouns = roles.iter().copied().chain(data_lines(APPOSITIVE_NOUNS)).collect();
        Discoverer { lexicon, titles, title_len, roles, appositive_nouns, fold, options }
    }

    /// The `F_*` flags the lists give `w` itself (0 for a word in none).
    fn flags(&self, w: &str) -> u16 {
        self.lexicon.get(w.as_bytes()).copied().unwrap_or(0)
    }

    /// The `F_*` flags of a capitalized word: its own, the title flag of its
    /// last hyphen part ("Secretary-General") and the given-name flag of its
    /// first ("Jean-Claude"), diacritics folded for given names ("Jérôme").
    fn flags_of(&self, w: &str) -> u16 {
        let mut f = self.flags(w);
        if let Some(p) = w.bytes().position(|b| b == b'-') {
            let first = &w[..p];
            let last = &w[w.bytes().rposition(|b| b == b'-').map_or(0, |q| q + 1)..];
            f |= self.flags(last) & F_TITLE_END;
            f |= self.flags(first) & F_GIVEN;
        }
        if f & F_GIVEN == 0 && !w.is_ascii() {
            let first = w.split('-').next().unwrap_or(w);
            f |= self.flags(&self.fold_str(first)) & F_GIVEN;
        }
        f
    }

    /// Finds unlisted people and organizations in `text` (segmented as `seg`)
    /// and appends them to `out` in text order, none overlapping another or
    /// any span of `taken` (byte ranges of the mentions already tagged from
    /// gazetteers, sorted by start).
    /// `scratch` is working space, kept between documents.
    pub fn find(
        &self,
        text: &str,
        seg: &Segmentation,
        taken: &[(u32, u32)],
        scratch: &mut DiscoverScratch,
        out: &mut Vec<Discovered>,
    ) {
        if seg.tokens.is_empty() {
            return;
        }
        let first_found = out.len();
        let DiscoverScratch { flags, groups, words } = scratch;
        // Sentences are read one by one (a name never spans two).
        let mut taken_at = 0;
        for tokens in seg.sentence_tokens() {
            while taken_at < taken.len() && taken[taken_at].1 <= tokens[0].0 {
                taken_at += 1;
            }
            if self.worth_reading(text, tokens, &taken[taken_at..], flags) {
                self.read_words(text, tokens, &taken[taken_at..], flags, groups, words);
                self.sentence(text, words, out);
            }
        }
        if out.len() > first_found {
            self.document(text, taken, first_found, out);
        }
    }

    /// `s` with Latin diacritics folded to ASCII (`data/latin_fold.tsv`: "Jérôme" → "Jerome").
    fn fold_str(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match self.fold.get(&c) {
                Some(a) => out.push_str(a),
                None => out.push(c),
            }
        }
        out
    }

    /// The name found at `text[start..end]`, its cue starting at `cue_start`.
    fn discovered(
        &self,
        text: &str,
        start: u32,
        end: u32,
        cue_start: u32,
        kind: DiscoveredKind,
        rule: Rule,
    ) -> Discovered {
        let surface = &text[start as usize..end as usize];
        let name = if is_single_spaced(surface) {
            surface.to_string()
        } else {
            surface.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        Discovered { start, end, cue_start, kind, rule, name }
    }

    /// The id of a discovered entity: `new:person:<slug>` or
    /// `new:organization:<slug>`, where the slug is the name in lower-case
    /// ASCII letters and digits, runs of anything else written as one `-`, and
    /// Latin diacritics folded ("José Núñez" → `jose-nunez`). A letter with no
    /// ASCII spelling is written as `u` and its code point in hex, so that the
    /// slug stays ASCII and distinct names keep distinct ids.
    pub fn id(&self, kind: DiscoveredKind, name: &str) -> String {
        let mut slug = String::with_capacity(name.len());
        let mut gap = false;
        let push = |slug: &mut String, part: &str, gap: &mut bool| {
            if *gap && !slug.is_empty() {
                slug.push('-');
            }
            *gap = false;
            slug.push_str(part);
        };
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                push(&mut slug, &c.to_ascii_lowercase().to_string(), &mut gap);
            } else if let Some(a) = self.fold.get(&c) {
                push(&mut slug, &a.to_ascii_lowercase(), &mut gap);
            } else if c.is_alphanumeric() {
                let lower = c.to_lowercase().next().unwrap_or(c);
                push(&mut slug, &format!("u{:x}", lower as u32), &mut gap);
            } else if c == '\'' || c == '’' || c == '.' {
                // "O'Brien" → obrien, "Corp." → corp: no separator inside a word.
            } else {
                gap = true;
            }
        }
        format!("{DISCOVERED_ID_PREFIX}{}:{}", kind.as_str(), slug)
    }
}

/// Whether `s` is written as [`str::split_whitespace`] joined by one space
/// would write it (most names are): ASCII, with no whitespace but single
/// spaces between words (whitespace as `split_whitespace` reads it, which
/// takes the vertical tab that [`u8::is_ascii_whitespace`] does not).
fn is_single_spaced(s: &str) -> bool {
    let b = s.as_bytes();
    b.first() != Some(&b' ')
        && b.last() != Some(&b' ')
        && b.iter().all(|&c| c.is_ascii() && (c == b' ' || !char::from(c).is_whitespace()))
        && !b.windows(2).any(|w| w == b"  ")
}

/// What the id of every discovered entity starts with (SPEC §1).
pub const DISCOVERED_ID_PREFIX: &str = "new:";

/// Whether `id` has the form of a discovered entity's id.
pub fn is_discovered_id(id: &str) -> bool {
    id.starts_with(DISCOVERED_ID_PREFIX)
}
