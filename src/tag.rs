//! Tagging one document: alias hits from the [`Matcher`], ambiguity resolved
//! from the rest of the document, and each mention placed in its tokens,
//! sentence and paragraph.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::discover::{Discovered, DiscoveredKind, Discoverer, Rule};
use crate::document::Date;
use crate::gazetteer::AliasKind;
use crate::gazetteer::Gazetteer;
use crate::matcher::{Hit, MatchScratch, Matcher, MatcherOptions};
use crate::partial::{FormCache, NamedPerson, PartialNames};
use crate::registry::Registry;
use crate::tokenize::Segmentation;

/// One tagged mention of an entity in a document (a row of `mentions.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset of the first byte in the document text.
    pub start: u32,
    /// Byte offset past the last byte.
    pub end: u32,
    /// Unicode code point offset of the start (the `start` column).
    pub char_start: u32,
    /// Unicode code point offset of the end, exclusive (the `end` column).
    pub char_end: u32,
    /// Index of the first token the mention covers.
    pub token_start: u32,
    /// Index past the last token the mention covers.
    pub token_end: u32,
    /// Index of the sentence holding the mention's first token.
    pub sentence: u32,
    /// Index of the paragraph holding the mention's first token.
    pub paragraph: u32,
    /// Index of the entity in the gazetteer.
    pub entity: u32,
    /// How the mention was found.
    pub via: AliasKind,
}

#[cfg(test)]
impl Mention {
    /// A one-token mention of `entity` at token `token` of sentence
    /// `sentence` and paragraph `paragraph` (byte offsets 0), for tests of
    /// counting.
    pub(crate) fn at_token(entity: u32, token: u32, sentence: u32, paragraph: u32) -> Mention {
        Mention {
            start: 0,
            end: 0,
            char_start: 0,
            char_end: 0,
            token_start: token,
            token_end: token + 1,
            sentence,
            paragraph,
            entity,
            via: AliasKind::Name,
        }
    }
}

/// Reusable buffers for [`Tagger::tag`], one per worker thread.
#[derive(Debug, Default)]
pub struct TagScratch {
    matches: MatchScratch,
    hits: Vec<Hit>,
    /// Entities named by an unambiguous hit, sorted: the evidence that resolves
    /// a shared alias.
    evidence: Vec<u32>,
    discovered: Vec<crate::discover::Discovered>,
    discover: crate::discover::DiscoverScratch,
    /// Entity index of each discovered (kind, name) this thread has interned:
    /// a name seen again skips building its id and the registry's lock.
    discovered_entities: FxHashMap<(DiscoveredKind, String), u32>,
    forms: FormCache,
    /// The resolved spans of a document, (start, end, entity, via), kept
    /// between documents so that its capacity is too.
    found: Vec<(u32, u32, u32, AliasKind)>,
}

/// How many discovered names [`TagScratch`] remembers before starting over
/// (bounds its memory on corpora with millions of names).
const MAX_REMEMBERED_NAMES: usize = 1 << 16;

/// Given names: a two-word person name whose first word is not one of
/// these puts the family name first ("Xi Jinping").
static GIVEN_NAMES: &str = include_str!("data/given_names.txt");

/// Words news mostly writes in lower case (from GMB word frequencies).
fn everyday_words() -> Vec<String> {
    crate::gazetteer::lint::word_frequencies()
        .into_iter()
        .filter(|(_, (lower, capitalized))| *lower >= crate::gazetteer::lint::EVERYDAY_MIN_LOWER && lower > capitalized)
        .map(|(word, _)| word.to_string())
        .collect()
}

/// Turns document texts into mentions.
#[derive(Debug)]
pub struct Tagger {
    matcher: Matcher,
    /// For each gazetteer entity, its name if it is a person (partial names apply).
    person_names: Vec<Option<Box<str>>>,
    partial: PartialNames,
    /// Present with `--discover`.
    discoverer: Option<Discoverer>,
    registry: Registry,
}

/// Everything of a [`Tagger`] but its matcher.
struct TaggerParts {
    person_names: Vec<Option<Box<str>>>,
    partial: PartialNames,
    discoverer: Option<Discoverer>,
    registry: Registry,
}

impl TaggerParts {
    fn new(gazetteer: &Gazetteer, discover: bool) -> TaggerParts {
        let person_names =
            gazetteer.entities.iter().map(|e| (e.etype == "person").then(|| e.name.as_str().into())).collect();
        let given = GIVEN_NAMES.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string);
        TaggerParts {
            person_names,
            partial: PartialNames::with_everyday(given, everyday_words()),
            discoverer: discover.then(Discoverer::new),
            registry: Registry::new(gazetteer.entities.clone()),
        }
    }

    fn with(self, matcher: Matcher) -> Tagger {
        let TaggerParts { person_names, partial, discoverer, registry } = self;
        Tagger { matcher, person_names, partial, discoverer, registry }
    }
}

impl Tagger {
    /// A tagger over a compiled matcher for the entities of `gazetteer`;
    /// `discover` also tags unlisted people and organizations.
    pub fn new(matcher: Matcher, gazetteer: &Gazetteer, discover: bool) -> Tagger {
        TaggerParts::new(gazetteer, discover).with(matcher)
    }

    /// [`Tagger::new`] with the matcher compiled from `gazetteer` with
    /// `options`, while the rest is built beside it (on rayon's threads):
    /// the matcher takes most of the start-up after the gazetteer load.
    pub fn build(gazetteer: &Gazetteer, options: MatcherOptions, discover: bool) -> Tagger {
        let (matcher, parts) =
            rayon::join(|| Matcher::new(gazetteer, options), || TaggerParts::new(gazetteer, discover));
        parts.with(matcher)
    }

    /// The entities mentions refer to: the gazetteer's and the discovered ones.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The matcher this tagger uses.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Tags `text` (a document of this `date`, already segmented as `seg`) and
    /// writes its mentions, in text order, to `out` (cleared first).
    ///
    /// An alias that several entities share is resolved to the one entity among
    /// them that the document also names by an unambiguous alias; with none or
    /// several such entities it is left out, never guessed (SPEC §3).
    pub fn tag(
        &self,
        text: &str,
        date: Option<Date>,
        seg: &Segmentation,
        scratch: &mut TagScratch,
        out: &mut Vec<Mention>,
    ) {
        out.clear();
        self.matcher.find(text, seg, date, &mut scratch.matches, &mut scratch.hits);
        let candidates = &scratch.matches.candidates;
        let of = |hit: &Hit| &candidates[hit.candidates.start as usize..hit.candidates.end as usize];

        scratch.evidence.clear();
        scratch.evidence.extend(scratch.hits.iter().map(of).filter(|c| c.len() == 1).map(|c| c[0].0));
        scratch.evidence.sort_unstable();
        scratch.evidence.dedup();

        // Resolved spans first (byte offsets), then partial names around them.
        let mut found = std::mem::take(&mut scratch.found);
        found.clear();
        for hit in &scratch.hits {
            let fits = of(hit);
            let chosen = if fits.len() == 1 {
                Some(fits[0])
            } else {
                let mut supported = fits.iter().filter(|(e, _)| scratch.evidence.binary_search(e).is_ok());
                match (supported.next(), supported.next()) {
                    (Some(&only), None) => Some(only),
                    _ => None,
                }
            };
            if let Some((entity, via)) = chosen {
                found.push((hit.start, hit.end, entity, via));
            }
        }
        let mut discovered_people = Vec::new();
        if let Some(discoverer) = &self.discoverer {
            self.add_discovered(discoverer, text, seg, scratch, &mut found, &mut discovered_people);
        }
        self.add_partial_names(text, &mut found, &discovered_people, &mut scratch.forms);
        let mut places = Placer::new(text, seg);
        for (start, end, entity, via) in found.drain(..) {
            out.push(places.mention(start, end, entity, via));
        }
        scratch.found = found;
    }

    /// Adds the people and organizations `--discover` finds outside the
    /// listed mentions, and notes the discovered people's names.
    fn add_discovered(
        &self,
        discoverer: &Discoverer,
        text: &str,
        seg: &Segmentation,
        scratch: &mut TagScratch,
        found: &mut Vec<(u32, u32, u32, AliasKind)>,
        people: &mut Vec<(u32, String)>,
    ) {
        let taken: Vec<(u32, u32)> = found.iter().map(|f| (f.0, f.1)).collect();
        scratch.discovered.clear();
        discoverer.find(text, seg, &taken, &mut scratch.discover, &mut scratch.discovered);
        self.leave_titled_surnames(found, &mut scratch.discovered);
        if scratch.discovered.is_empty() {
            return;
        }
        if scratch.discovered_entities.len() > MAX_REMEMBERED_NAMES {
            scratch.discovered_entities.clear();
        }
        let mut organizations: Vec<(u32, u32, Vec<String>)> = Vec::new();
        let mut with_acronyms: FxHashSet<u32> = FxHashSet::default();
        for d in scratch.discovered.drain(..) {
            // A name interned before is interned again unchanged (the registry
            // keeps the smallest name of an id, and this one is already in).
            let key = (d.kind, d.name);
            let entity = match scratch.discovered_entities.get(&key) {
                Some(&entity) => entity,
                None => {
                    let entity = self.registry.intern(&discoverer.id(key.0, &key.1), key.0.as_str(), &key.1);
                    scratch.discovered_entities.insert(key.clone(), entity);
                    entity
                }
            };
            match key.0 {
                DiscoveredKind::Person => people.push((entity, key.1)),
                // Its acronyms once, at its first mention; names of one or two
                // capitalized words have none, and no scan for them.
                DiscoveredKind::Organization if !with_acronyms.contains(&entity) => {
                    let acronyms = acronyms(&key.1);
                    if !acronyms.is_empty() {
                        with_acronyms.insert(entity);
                        organizations.push((entity, d.end, acronyms));
                    }
                }
                DiscoveredKind::Organization => {}
            }
            found.push((d.start, d.end, entity, AliasKind::Discovered));
        }
        // Two sorted runs (here, after the partial names and the acronyms
        // below too): the stable sort merges them in one pass, where the
        // unstable one sorted them anew (2 % of a tagging thread with
        // `--discover`). Spans never repeat, so the order is the same.
        found.sort_by_key(|f| (f.0, f.1));
        if !organizations.is_empty() {
            add_acronyms(text, seg, &organizations, found);
        }
    }

    /// Leaves out of `discovered` a title before the surname of a person
    /// named in full earlier in the document, listed (in `found`) or
    /// discovered: "Narendra Modi ... Prime Minister Modi", "John Kirby ...
    /// Mr. Kirby" are that person by title (`via=title`, from partial
    /// names, which also refuse a surname two people of the document
    /// share), not a new person named "Modi" or "Kirby". A title before a
    /// surname no earlier name ends with stays a discovered person
    /// ("President Obama" in a document that never names him in full).
    fn leave_titled_surnames(&self, found: &[(u32, u32, u32, AliasKind)], discovered: &mut Vec<Discovered>) {
        let titled_surname =
            |d: &Discovered| d.kind == DiscoveredKind::Person && d.rule == Rule::Title && !d.name.contains(' ');
        if !discovered.iter().any(titled_surname) {
            return;
        }
        // Full names with where they start: listed people named as partial
        // names count them (not by a surname or demonym alias, which names
        // no one in full), and discovered people of two words or more.
        let listed = found.iter().filter_map(|&(start, _, entity, via)| match self.person_names.get(entity as usize) {
            Some(Some(name)) if !matches!(via, AliasKind::Surname | AliasKind::Demonym) => Some((start, &**name)),
            _ => None,
        });
        let found_here = discovered.iter().filter(|d| d.kind == DiscoveredKind::Person && d.name.contains(' '));
        let named: Vec<(u32, &str)> = listed.chain(found_here.map(|d| (d.start, d.name.as_str()))).collect();
        // Every partial form is a substring of its name: the forms (several
        // allocations each) are worked out only for a name that holds the
        // surname, a few in a document.
        let mut forms: FxHashMap<&str, Vec<String>> = FxHashMap::default();
        let left: Vec<bool> = discovered
            .iter()
            .map(|d| {
                titled_surname(d)
                    && named.iter().any(|&(start, name)| {
                        start < d.start
                            && name.contains(d.name.as_str())
                            && forms.entry(name).or_insert_with(|| self.partial.forms(name)).contains(&d.name)
                    })
            })
            .collect();
        let mut left = left.into_iter();
        discovered.retain(|_| !left.next().unwrap_or(false));
    }

    /// Adds the later partial mentions of people named in full (see
    /// [`crate::partial`]); `discovered` names the discovered people.
    fn add_partial_names(
        &self,
        text: &str,
        found: &mut Vec<(u32, u32, u32, AliasKind)>,
        discovered: &[(u32, String)],
        forms: &mut FormCache,
    ) {
        // Lists are searched while they are short (most documents), maps
        // built past that (a list-like document naming thousands of people).
        const SHORT: usize = 32;
        let mut discovered_names: FxHashMap<u32, &str> = FxHashMap::default();
        if discovered.len() > SHORT {
            for (entity, name) in discovered {
                discovered_names.entry(*entity).or_insert(name);
            }
        }
        let mut people: Vec<NamedPerson<'_>> = Vec::new();
        let mut named: FxHashSet<u32> = FxHashSet::default();
        for &(_, end, entity, via) in found.iter() {
            // Listed people have names in `person_names`; discovered ones
            // (interned past them) are looked for by full name too.
            let (name, full) = match self.person_names.get(entity as usize) {
                Some(Some(name)) => (&**name, false),
                Some(None) => continue,
                None if discovered.len() > SHORT => match discovered_names.get(&entity) {
                    Some(name) => (*name, true),
                    None => continue,
                },
                None => match discovered.iter().find(|(e, _)| *e == entity) {
                    Some((_, name)) => (name.as_str(), true),
                    None => continue,
                },
            };
            if matches!(via, AliasKind::Surname | AliasKind::Demonym) {
                continue;
            }
            if people.len() == SHORT && named.is_empty() {
                named.extend(people.iter().map(|p| p.entity));
            }
            let seen =
                if people.len() >= SHORT { !named.insert(entity) } else { people.iter().any(|p| p.entity == entity) };
            if seen {
                continue;
            }
            people.push(NamedPerson { entity, name, first_end: end, full });
        }
        if people.is_empty() {
            return;
        }
        let taken: Vec<(u32, u32)> = found.iter().map(|f| (f.0, f.1)).collect();
        let hits = self.partial.find(text, &people, &taken, forms);
        if hits.is_empty() {
            return;
        }
        found.extend(hits.iter().map(|h| (h.start, h.end, h.entity, h.via)));
        found.sort_by_key(|f| (f.0, f.1));
    }
}

/// The acronyms a discovered organization's name may be written as: the
/// initials of its capitalized words ("University of Southern Indiana" →
/// "USI"), and the same without a last word that is a company form
/// ("Global Crossing Holdings Ltd" → "GCHL" and "GCH"; "Hadson Petroleum
/// Corp." → "HPC" only, "HP" being too short). Only three to six letters:
/// two-letter initials stand for too many things.
fn acronyms(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let initials = |words: &[&str]| -> String {
        words.iter().filter_map(|w| w.chars().next()).filter(|c| c.is_ascii_uppercase()).collect()
    };
    let mut out = vec![initials(&words)];
    if let Some((last, rest)) = words.split_last() {
        if last.ends_with('.') || matches!(*last, "Ltd" | "LLC" | "Plc" | "plc" | "PLC" | "AG" | "SA" | "NV") {
            out.push(initials(rest));
        }
    }
    out.retain(|a| (3..=6).contains(&a.len()));
    out.dedup();
    out
}

/// Adds the later mentions of discovered organizations by acronym
/// (`via=acronym`): an all-capital token (possessive aside) after the first
/// mention of the organization whose initials it spells, not tagged yet. An
/// acronym that two organizations of the document share names neither.
/// `organizations` holds each organization's entity, the end of its first
/// mention and its [`acronyms`].
fn add_acronyms(
    text: &str,
    seg: &Segmentation,
    organizations: &[(u32, u32, Vec<String>)],
    found: &mut Vec<(u32, u32, u32, AliasKind)>,
) {
    let bytes = text.as_bytes();
    // Each acronym, the organization it spells (the first) and whether a
    // second one spells it too, in a map: a list-like document may name
    // thousands of organizations.
    let mut spelled: FxHashMap<&[u8], (u32, u32, bool)> = FxHashMap::default();
    for (entity, first_end, acronyms) in organizations {
        for acronym in acronyms {
            spelled
                .entry(acronym.as_bytes())
                .and_modify(|o| o.2 |= o.0 != *entity)
                .or_insert((*entity, *first_end, false));
        }
    }
    let mut added = Vec::new();
    for &(start, end) in &seg.tokens {
        let word = &bytes[start as usize..end as usize];
        // Most tokens are lower case: passed over before any suffix is
        // looked at (an acronym and its `’s` fill at most ten bytes).
        if word.len() < 3 || word.len() > 10 || !word[0].is_ascii_uppercase() {
            continue;
        }
        let word = word.strip_suffix(b"'s").or_else(|| word.strip_suffix("’s".as_bytes())).unwrap_or(word);
        if !(3..=6).contains(&word.len()) || !word.iter().all(u8::is_ascii_uppercase) {
            continue;
        }
        let Some(&(entity, first_end, false)) = spelled.get(word) else {
            continue;
        };
        let end = start + word.len() as u32;
        // `found` is sorted and its spans are apart: only the last one
        // starting before `end` may overlap.
        let before = found.partition_point(|f| f.0 < end);
        if start < first_end || before.checked_sub(1).is_some_and(|i| found[i].1 > start) {
            continue;
        }
        added.push((start, end, entity, AliasKind::Acronym));
    }
    if !added.is_empty() {
        found.extend(added);
        found.sort_by_key(|f| (f.0, f.1));
    }
}

/// Places byte spans, given in increasing order, in code points, tokens,
/// sentences and paragraphs.
///
/// As the spans come in order, so do their tokens, sentences and
/// paragraphs: cursors move on from one span's to the next, where a
/// binary search per span and per table cost a few per cent of a tagging
/// thread (mentions are dense in news: 10 per KB).
struct Placer<'a> {
    text: &'a str,
    seg: &'a Segmentation,
    ascii: bool,
    /// Last byte offset converted, and its code point offset.
    byte: usize,
    chars: usize,
    /// The first token that ends after the last span's start.
    token: usize,
    /// The sentence and paragraph of the last span's first token.
    sentence: usize,
    paragraph: usize,
}

/// Moves `at` on to the last run of `starts` (first tokens of sentences or
/// paragraphs) that starts at or before token `t`, as
/// [`Segmentation::sentence_of`] finds it, for a `t` never smaller than
/// the one before.
fn run_at(starts: &[u32], at: &mut usize, t: u32) -> u32 {
    while *at + 1 < starts.len() && starts[*at + 1] <= t {
        *at += 1;
    }
    *at as u32
}

impl<'a> Placer<'a> {
    fn new(text: &'a str, seg: &'a Segmentation) -> Placer<'a> {
        Placer { text, seg, ascii: text.is_ascii(), byte: 0, chars: 0, token: 0, sentence: 0, paragraph: 0 }
    }

    /// Code point offset of byte offset `byte` (not before the previous call's).
    fn char_offset(&mut self, byte: usize) -> u32 {
        if self.ascii {
            return byte as u32;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars as u32
    }

    fn mention(&mut self, start: u32, end: u32, entity: u32, via: AliasKind) -> Mention {
        let tokens = &self.seg.tokens;
        while self.token < tokens.len() && tokens[self.token].1 <= start {
            self.token += 1;
        }
        let mut token_end = self.token;
        while token_end < tokens.len() && tokens[token_end].0 < end {
            token_end += 1;
        }
        let token_start = self.token as u32;
        let token_end = token_end as u32;
        let anchor = token_start.min(tokens.len().saturating_sub(1) as u32);
        let (sentence, paragraph) = if tokens.is_empty() {
            (0, 0)
        } else {
            (
                run_at(&self.seg.sentence_starts, &mut self.sentence, anchor),
                run_at(&self.seg.paragraph_starts, &mut self.paragraph, anchor),
            )
        };
        let char_start = self.char_offset(start as usize);
        let char_end = self.char_offset(end as usize);
        Mention { start, end, char_start, char_end, token_start, token_end, sentence, paragraph, entity, via }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerBuilder;

    fn gazetteer(rows: &str) -> Gazetteer {
        let mut b = GazetteerBuilder::new();
        let text = format!("id\ttype\tname\talias\tkind\n{rows}");
        b.add_text("t.tsv", text.as_bytes()).unwrap();
        b.build()
    }

    fn tag(g: &Gazetteer, text: &str) -> Vec<Mention> {
        let tagger = Tagger::new(Matcher::new(g, MatcherOptions::default()), g, false);
        let seg = Segmentation::of(text);
        let mut out = Vec::new();
        tagger.tag(text, None, &seg, &mut TagScratch::default(), &mut out);
        out
    }

    fn ids(g: &Gazetteer, mentions: &[Mention]) -> Vec<String> {
        mentions.iter().map(|m| g.entities[m.entity as usize].id.clone()).collect()
    }

    const GEORGIA: &str = "GEO\tcountry\tGeorgia\tGeorgia\tname\n\
        GEO\tcountry\tGeorgia\tTbilisi\talias\n\
        US-GA\tstate\tGeorgia (US state)\tGeorgia\tname\n\
        US-GA\tstate\tGeorgia (US state)\tAtlanta\talias\n";

    #[test]
    fn a_shared_alias_is_resolved_from_the_document_or_left_out() {
        let g = gazetteer(GEORGIA);
        assert_eq!(ids(&g, &tag(&g, "Georgia votes; Tbilisi waits.")), ["GEO", "GEO"]);
        assert_eq!(ids(&g, &tag(&g, "Atlanta, Georgia.")), ["US-GA", "US-GA"]);
        assert!(tag(&g, "Georgia votes.").is_empty(), "never guessed");
        assert_eq!(
            ids(&g, &tag(&g, "Georgia, Tbilisi and Atlanta.")),
            ["GEO", "US-GA"],
            "two supported readings: left out"
        );
    }

    #[test]
    fn mentions_carry_code_points_tokens_sentences_and_paragraphs() {
        let g = gazetteer("CIV\tcountry\tCôte d'Ivoire\tCôte d'Ivoire\tname\nFRA\tcountry\tFrance\tFrance\tname\n");
        let text = "Côte d'Ivoire won.\n\nThen France's turn. France lost.";
        let m = tag(&g, text);
        assert_eq!(m.len(), 3);
        let chars: Vec<char> = text.chars().collect();
        for mention in &m {
            let surface: String = chars[mention.char_start as usize..mention.char_end as usize].iter().collect();
            assert_eq!(surface, text[mention.start as usize..mention.end as usize]);
        }
        assert_eq!((m[0].char_start, m[0].char_end), (0, 13));
        assert_eq!((m[0].token_start, m[0].token_end), (0, 2));
        assert_eq!((m[0].sentence, m[0].paragraph), (0, 0));
        // "Then France's" : token 3 is "Then", 4 is "France's" (one UAX #29 word).
        assert_eq!((m[1].token_start, m[1].token_end), (4, 5));
        assert_eq!((m[1].sentence, m[1].paragraph), (1, 1));
        assert_eq!((m[2].sentence, m[2].paragraph), (2, 1));
        assert_eq!(m[1].via, AliasKind::Name);
    }

    /// `--discover` mentions of `text` as (surface, id, via).
    fn discovered(g: &Gazetteer, text: &str) -> Vec<(String, String, &'static str)> {
        let tagger = Tagger::new(Matcher::new(g, MatcherOptions::default()), g, true);
        let seg = Segmentation::of(text);
        let mut out = Vec::new();
        tagger.tag(text, None, &seg, &mut TagScratch::default(), &mut out);
        out.iter()
            .map(|m| {
                let id = tagger.registry().with(m.entity, |e| e.id.clone());
                (text[m.start as usize..m.end as usize].to_string(), id, m.via.as_str())
            })
            .collect()
    }

    /// With `--discover`, a title before the surname of a person named in
    /// full earlier is that person by title, listed or discovered, not a
    /// new person named by the surname alone (which split one person in two
    /// in the tables); a surname two people share stays refused; a title
    /// before a surname never named in full is still a discovered person.
    #[test]
    fn a_titled_surname_after_the_full_name_is_that_person() {
        let g = gazetteer("person:narendra-modi\tperson\tNarendra Modi\tNarendra Modi\tname\n");
        let row = |surface: &str, id: &str, via: &'static str| (surface.to_string(), id.to_string(), via);
        assert_eq!(
            discovered(&g, "Narendra Modi arrived in Delhi. Prime Minister Modi spoke later."),
            [
                row("Narendra Modi", "person:narendra-modi", "name"),
                row("Prime Minister Modi", "person:narendra-modi", "title")
            ]
        );
        assert_eq!(
            discovered(&g, "John Kirby spoke on Monday. Mr. Kirby arrived later."),
            [
                row("John Kirby", "new:person:john-kirby", "discovered"),
                row("Mr. Kirby", "new:person:john-kirby", "title")
            ]
        );
        // Two people named Bush: neither gets "Mr. Bush".
        let bushes = gazetteer("person:george-w-bush\tperson\tGeorge W. Bush\tGeorge W. Bush\tname\n");
        assert_eq!(
            discovered(&bushes, "George W. Bush met Jeb Bush in Texas. Mr. Bush said nothing."),
            [
                row("George W. Bush", "person:george-w-bush", "name"),
                row("Jeb Bush", "new:person:jeb-bush", "discovered")
            ]
        );
        // Before the full name, and with no full name at all: discovered as named.
        assert_eq!(
            discovered(&g, "Mr. Kirby arrived. John Kirby spoke.")[0],
            row("Kirby", "new:person:kirby", "discovered")
        );
        assert_eq!(
            discovered(&g, "President Ortega spoke on Monday."),
            [row("Ortega", "new:person:ortega", "discovered")]
        );
        // A listed surname alias names no one in full, for partial names
        // as here: "President Silva" after "Lula" alone stays discovered,
        // not left to partial names that would not tag it.
        let lula = gazetteer(
            "person:lula\tperson\tLuiz Inacio Lula da Silva\tLuiz Inacio Lula da Silva\tname\n\
             person:lula\tperson\tLuiz Inacio Lula da Silva\tLula\tsurname\n",
        );
        assert_eq!(
            discovered(&lula, "Lula arrived on Monday. President Silva spoke later."),
            [row("Lula", "person:lula", "surname"), row("Silva", "new:person:silva", "discovered")]
        );
    }

    #[test]
    fn discovered_organizations_are_named_again_by_acronym() {
        let g = gazetteer("FRA\tcountry\tFrance\tFrance\tname\n");
        let usi = "new:organization:university-of-southern-indiana";
        assert_eq!(
            discovered(
                &g,
                "The University of Southern Indiana opened a show. USI's gallery is full, and USI is proud."
            ),
            [
                ("University of Southern Indiana".to_string(), usi.to_string(), "discovered"),
                ("USI".to_string(), usi.to_string(), "acronym"),
                ("USI".to_string(), usi.to_string(), "acronym"),
            ]
        );
        // A company form left out: "Global Crossing Holdings Ltd" is also "GCH".
        let found = discovered(&g, "Shares of Global Crossing Holdings Ltd fell. GCH said more.");
        assert_eq!(found.last().map(|m| (m.0.as_str(), m.2)), Some(("GCH", "acronym")));
        // The longest acronym, six letters, with either possessive.
        let text = concat!(
            "The University of Southern Indiana Rail Freight Unit opened a show.\n\n",
            "USIRFU’s gallery and USIRFU's staff."
        );
        let six = discovered(&g, text);
        let acronyms: Vec<&str> = six.iter().filter(|m| m.2 == "acronym").map(|m| m.0.as_str()).collect();
        assert_eq!(acronyms, ["USIRFU", "USIRFU"], "{six:?}");
        // Refusals: before the full name; two organizations with one acronym; too short.
        let before = discovered(&g, "USI said so. The University of Southern Indiana opened a show.");
        assert!(before.iter().all(|m| m.2 != "acronym"), "{before:?}");
        let shared =
            discovered(&g, "The University of Southern Indiana and the Union of South Islands met. USI said so.");
        assert!(shared.iter().all(|m| m.2 != "acronym"), "{shared:?}");
        let short = discovered(&g, "The Civic Party met. CP said so.");
        assert!(short.iter().all(|m| m.2 != "acronym"), "{short:?}");
    }

    #[test]
    fn a_discovered_name_in_a_headline_or_in_capitals_is_one_mention() {
        let g = gazetteer("FRA\tcountry\tFrance\tFrance\tname\n");
        let nick = "new:person:nick-moreau";
        let found = discovered(
            &g,
            "Photographer Nick Moreau said so.\n\nBelle Image: Nick Moreau.\n\nNICK MOREAU WINS PRIZE\n\nMoreau left.",
        );
        let expected = [
            ("Nick Moreau", "discovered"),
            ("Nick Moreau", "discovered"),
            ("NICK MOREAU", "discovered"),
            ("Moreau", "surname"),
        ];
        assert_eq!(found, expected.map(|(surface, via)| (surface.to_string(), nick.to_string(), via)));
    }
}
