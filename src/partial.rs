//! Partial names: a person named in full once and then by surname ("Xi
//! Jinping ... Xi said"), by given name and surname, or by title and surname
//! ("President Xi", "Mr. Kirby") later in the same document (issue 4).
//!
//! Rules, each a refusal where a guess would be needed:
//! - the partial forms of a person are the last word of their name (without
//!   "Jr."-like suffixes; "al-Assad" also as "Assad"), the first word when it
//!   is not a known given name (family name first: "Xi" of "Xi Jinping"), and
//!   "first last" for names of three words or more;
//! - a partial form counts only after the person's first full mention;
//! - a form that two people named in the document share is refused for both;
//! - it matches as written or in capitals, on whole words, and never where a
//!   gazetteer mention already stands (the list wins);
//! - a title from `src/data/titles.txt` right before it joins the mention
//!   (`via=title`); otherwise `via=surname`;
//! - a form that ends a discovered person's full name (the surname) or
//!   starts it (the first word, when the surname is refused), where
//!   discovery did not read it (in capitals, in a caption), is that full
//!   name: one mention, `via=discovered`, and not two partial ones ("NICK"
//!   and "MOREAU").

use rustc_hash::{FxHashMap, FxHashSet};

use crate::gazetteer::AliasKind;
use crate::matcher::{ends_word, starts_word};
use crate::occurrences::occurrences;
use memchr::memmem;

/// Titles, longest first so "Prime Minister" is tried before "Minister".
static TITLES: &str = include_str!("data/titles.txt");

/// Name endings that are not surnames.
const SUFFIXES: &[&str] = &["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// Lower-case particles that may start a surname and are dropped in short forms.
const PARTICLES: &[&str] = &["al-", "el-", "Al-", "El-"];

/// What partial names need to know about the people of a gazetteer.
#[derive(Debug, Clone, Default)]
pub struct PartialNames {
    /// Titles, longest first (the longest one before a name is taken).
    titles: Vec<String>,
    /// The titles (places in `titles`) by their last byte: a place in the
    /// text is compared with the few that can end there.
    titles_ending_in: Vec<Vec<u32>>,
    given: FxHashSet<String>,
    /// Words news mostly writes in lower case ("will", "mark"): never a given-name form.
    everyday: FxHashSet<String>,
}

/// The partial forms of the names met so far (a name has the same forms in
/// every document, and working them out takes several allocations and
/// lookups): one per thread, kept between documents.
#[derive(Debug, Default)]
pub struct FormCache {
    by_name: FxHashMap<Box<str>, Vec<Form>>,
    /// A number for each form text met, so that forms are compared as
    /// numbers (each document compares every form of its people with the
    /// others).
    ids: FxHashMap<String, u32>,
}

/// One partial form with its searchers, as written and in capitals.
#[derive(Debug)]
struct Form {
    /// The form's number in [`FormCache::ids`]: equal numbers, equal texts.
    id: u32,
    finder: memmem::Finder<'static>,
    /// None when the form is in capitals already.
    upper: Option<memmem::Finder<'static>>,
}

impl Form {
    fn new(text: String, ids: &mut FxHashMap<String, u32>) -> Form {
        let upper = text.to_uppercase();
        Form {
            finder: memmem::Finder::new(text.as_bytes()).into_owned(),
            upper: (upper != text).then(|| memmem::Finder::new(upper.as_bytes()).into_owned()),
            id: match ids.get(&text) {
                Some(&id) => id,
                None => {
                    let id = ids.len() as u32;
                    ids.insert(text, id);
                    id
                }
            },
        }
    }
}

impl FormCache {
    /// How many names it holds; past this it starts afresh, so that a
    /// corpus naming millions of people cannot grow it without bound.
    const MAX_NAMES: usize = 1 << 16;
}

/// A person named in full in the document, with where that first happened.
#[derive(Debug, Clone)]
pub struct NamedPerson<'a> {
    /// Entity index.
    pub entity: u32,
    /// The person's canonical name.
    pub name: &'a str,
    /// Byte offset where the first full mention ends.
    pub first_end: u32,
    /// A form that ends or starts the full name ("NICK MOREAU WINS PRIZE",
    /// where discovery does not read) is the full name: one mention, not
    /// two. For discovered people; a listed person's full name is the
    /// gazetteer's to find, with its case rule.
    pub full: bool,
}

/// A mention found by a partial form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialHit {
    /// Byte offset of the start (of the title, if any).
    pub start: u32,
    /// Byte offset of the end.
    pub end: u32,
    /// The person.
    pub entity: u32,
    /// `Surname` or `Title`; `Discovered` for the full name of a
    /// [`NamedPerson::full`] person, one mention and not two partial ones.
    pub via: AliasKind,
}

impl PartialNames {
    /// Loads the titles; `given` lists given names (first words that are not
    /// family names).
    pub fn new(given: impl IntoIterator<Item = String>) -> PartialNames {
        PartialNames::with_everyday(given, std::iter::empty())
    }

    /// Like [`PartialNames::new`], with `everyday` words (lower case) that a
    /// given name alone must not be ("Will", "Mark").
    pub fn with_everyday(
        given: impl IntoIterator<Item = String>,
        everyday: impl IntoIterator<Item = String>,
    ) -> PartialNames {
        let mut titles: Vec<String> = TITLES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        titles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let mut titles_ending_in = vec![Vec::new(); 256];
        for (t, title) in titles.iter().enumerate() {
            if let Some(&last) = title.as_bytes().last() {
                titles_ending_in[last as usize].push(t as u32);
            }
        }
        PartialNames {
            titles,
            titles_ending_in,
            given: given.into_iter().collect(),
            everyday: everyday.into_iter().collect(),
        }
    }

    /// The partial forms of a full name.
    pub fn forms(&self, name: &str) -> Vec<String> {
        let mut words: Vec<&str> = name.split_whitespace().map(|w| w.trim_end_matches(',')).collect();
        while words.len() > 1 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
            words.pop();
        }
        let mut forms = Vec::new();
        if words.len() < 2 {
            return forms;
        }
        let last = words[words.len() - 1];
        forms.push(last.to_string());
        for p in PARTICLES {
            if let Some(rest) = last.strip_prefix(p) {
                forms.push(rest.to_string());
            }
        }
        // The first word alone: a family name written first ("Xi" of "Xi
        // Jinping"), or a given name ("Frank" of "Frank Messina", as
        // interviews name people) unless it is an everyday word. Without a
        // given-name list neither can be told, so there is no first-word form.
        let first = words[0];
        // An everyday word is neither: "Mark" of "Mark Rathbun" is a given name
        // missing from the list because it is an everyday word.
        let everyday = self.everyday.contains(&first.to_lowercase());
        let family_first = words.len() == 2 && !self.given.contains(first) && !everyday;
        let given_alone = self.given.contains(first) && !everyday;
        if !self.given.is_empty() && (family_first || given_alone) {
            forms.push(first.to_string());
        }
        if words.len() >= 3 {
            forms.push(format!("{} {}", words[0], last));
        }
        // A form must look like a name: capitalized, more than one letter.
        forms.retain(|f| {
            f.chars().count() > 1
                && (f.chars().next().is_some_and(char::is_uppercase) || PARTICLES.iter().any(|p| f.starts_with(p)))
        });
        forms.sort();
        forms.dedup();
        forms
    }

    /// Finds the partial mentions of `people` in `text`, avoiding `taken`
    /// byte ranges (sorted, non-overlapping), in text order.
    /// `cache` keeps the forms of names between calls.
    pub fn find(
        &self,
        text: &str,
        people: &[NamedPerson<'_>],
        taken: &[(u32, u32)],
        cache: &mut FormCache,
    ) -> Vec<PartialHit> {
        if cache.by_name.len() + people.len() > FormCache::MAX_NAMES {
            cache.by_name.clear();
            cache.ids.clear();
        }
        for p in people {
            if !cache.by_name.contains_key(p.name) {
                let forms = self.forms(p.name).into_iter().map(|f| Form::new(f, &mut cache.ids)).collect();
                cache.by_name.insert(p.name.into(), forms);
            }
        }
        // Each form, the first person it may stand for (a place in
        // `people`), and whether a second person shares it. A document names
        // a handful of people: a list beats a map here, up to a list-like
        // document naming thousands.
        let mut by_form: Vec<(&Form, usize, bool)> = Vec::new();
        let mut places: FxHashMap<u32, usize> = FxHashMap::default();
        let many = people.len() > 16;
        for (i, p) in people.iter().enumerate() {
            for form in &cache.by_name[p.name] {
                let known =
                    if many { places.get(&form.id).copied() } else { by_form.iter().position(|f| f.0.id == form.id) };
                match known {
                    Some(k) => by_form[k].2 |= people[by_form[k].1].entity != p.entity,
                    None => {
                        if many {
                            places.insert(form.id, by_form.len());
                        }
                        by_form.push((form, i, false));
                    }
                }
            }
        }
        // The spellings looked for, as written and in capitals, each from the
        // end of its person's full name (a form counts only after it); a
        // form shared by two people named here is refused for both.
        let mut spellings: Vec<(&memmem::Finder<'static>, usize)> = Vec::new();
        let mut persons: Vec<usize> = Vec::new();
        for &(form, person, shared) in &by_form {
            if shared {
                continue;
            }
            for finder in std::iter::once(&form.finder).chain(&form.upper) {
                spellings.push((finder, (people[person].first_end as usize).min(text.len())));
                persons.push(person);
            }
        }
        let mut hits = Vec::new();
        for (n, start) in occurrences(text.as_bytes(), &spellings) {
            let end = start + spellings[n].0.needle().len();
            if !starts_word(text, start) || !ends_word(text, end) || overlaps(taken, start as u32, end as u32) {
                continue;
            }
            let p = &people[persons[n]];
            // The full name, after the first: without a title before it, as discovery finds it.
            let full = p.full.then(|| full_name_around(text, p.name, start, end)).flatten().filter(|&(s, e)| {
                s >= p.first_end as usize
                    && starts_word(text, s)
                    && ends_word(text, e)
                    && !overlaps(taken, s as u32, e as u32)
            });
            let (start, end, via) = match (full, self.title_before(text, start)) {
                (Some((s, e)), _) => (s, e, AliasKind::Discovered),
                (None, Some(t)) if !overlaps(taken, t as u32, start as u32) => (t, end, AliasKind::Title),
                _ => (start, end, AliasKind::Surname),
            };
            hits.push(PartialHit { start: start as u32, end: end as u32, entity: p.entity, via });
        }
        hits.sort_by_key(|h| (h.start, h.end));
        // Two forms may find overlapping spans ("Assad" inside "al-Assad"):
        // keep the first, longest; a full name over the partial forms within
        // it ("NICK MOREAU", not "NICK" and "MOREAU"; not "President NICK").
        let is_full = |h: &PartialHit| h.via == AliasKind::Discovered;
        let mut kept: Vec<PartialHit> = Vec::with_capacity(hits.len());
        for h in hits {
            match kept.last_mut() {
                Some(last) if h.start < last.end => {
                    if (h.start == last.start && h.end > last.end) || (is_full(&h) && !is_full(last)) {
                        *last = h;
                    }
                }
                _ => kept.push(h),
            }
        }
        kept
    }

    /// The start of a title standing right before byte `i` (separated by
    /// spaces), if any.
    fn title_before(&self, text: &str, i: usize) -> Option<usize> {
        let before = text[..i].trim_end_matches([' ', '\u{a0}']);
        if before.len() == i {
            return None;
        }
        let last = *before.as_bytes().last()?;
        // `get`: a default (empty) PartialNames has no titles at all.
        self.titles_ending_in
            .get(last as usize)?
            .iter()
            .map(|&t| self.titles[t as usize].as_str())
            .find(|t| before.ends_with(t) && starts_word(text, before.len() - t.len()))
            .map(|t| before.len() - t.len())
    }
}

/// The span of `name` in `text`, as written or in capitals, if it ends at
/// byte `end` (the form found is its surname) or starts at byte `start`
/// (its first word: the surname may be one two people share).
fn full_name_around(text: &str, name: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let upper = || name.chars().flat_map(char::to_uppercase);
    let upper_len = upper().map(char::len_utf8).sum();
    // `get`: a span's far end may fall inside a character, or past the text.
    let is_name = |&(s, e): &(usize, usize)| text.get(s..e).is_some_and(|t| t == name || t.chars().eq(upper()));
    [name.len(), upper_len].into_iter().find_map(|len| {
        let ending = end.checked_sub(len).map(|s| (s, end));
        [ending, Some((start, start + len))].into_iter().flatten().find(is_name)
    })
}

/// Whether `[start, end)` overlaps any of the sorted ranges.
fn overlaps(taken: &[(u32, u32)], start: u32, end: u32) -> bool {
    let i = taken.partition_point(|r| r.1 <= start);
    taken.get(i).is_some_and(|r| r.0 < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> PartialNames {
        PartialNames::with_everyday(["Barack", "George", "John", "Angela", "Mark"].map(String::from), ["mark".into()])
    }

    #[test]
    fn forms_of_a_name() {
        let n = names();
        assert_eq!(n.forms("Barack Obama"), ["Barack", "Obama"]);
        assert_eq!(n.forms("Mark Rathbun"), ["Rathbun"], "an everyday word alone is no name");
        assert_eq!(n.forms("Xi Jinping"), ["Jinping", "Xi"]);
        assert_eq!(n.forms("George W. Bush"), ["Bush", "George", "George Bush"]);
        assert_eq!(n.forms("Bashar al-Assad"), ["Assad", "Bashar", "al-Assad"]);
        assert_eq!(n.forms("Martin Luther King Jr."), ["King", "Martin King"]);
        assert_eq!(n.forms("John Kirby"), ["John", "Kirby"]);
        assert_eq!(n.forms("Suharto"), Vec::<String>::new());
        // "Will" is missing from the given names as an everyday word: not a family name either.
        let n = PartialNames::with_everyday(["Barack"].map(String::from), ["will".into()]);
        assert_eq!(n.forms("Will Rathbun"), ["Rathbun"]);
    }

    fn person<'a>(entity: u32, name: &'a str, text: &str) -> NamedPerson<'a> {
        let at = text.find(name).expect("named in full");
        NamedPerson { entity, name, first_end: (at + name.len()) as u32, full: false }
    }

    fn show(text: &str, hits: &[PartialHit]) -> Vec<String> {
        hits.iter().map(|h| format!("{}={}:{:?}", &text[h.start as usize..h.end as usize], h.entity, h.via)).collect()
    }

    #[test]
    fn surname_and_title_after_the_full_name() {
        let n = names();
        let text = "Obama spoke. Barack Obama arrived; Obama said, and President Obama's aides and OBAMA agreed.";
        let hits = n.find(text, &[person(1, "Barack Obama", text)], &[(13, 25)], &mut FormCache::default());
        assert_eq!(show(text, &hits), ["Obama=1:Surname", "President Obama=1:Title", "OBAMA=1:Surname"]);
    }

    #[test]
    fn a_discovered_full_name_is_one_mention() {
        let n = names();
        let text = "Nick Moreau spoke. NICK MOREAU WINS. President NICK MOREAU left. Moreau said.";
        let discovered = NamedPerson { full: true, ..person(5, "Nick Moreau", text) };
        let hits = n.find(text, &[discovered], &[(0, 11)], &mut FormCache::default());
        assert_eq!(show(text, &hits), ["NICK MOREAU=5:Discovered", "NICK MOREAU=5:Discovered", "Moreau=5:Surname"]);
        // Found from its first word when the surname is refused, shared with another person.
        let text = "Ahmed Mohamed and Mohamed El-Hassan Mohamed spoke. AHMED MOHAMED WINS. Mohamed left.";
        let people = [
            NamedPerson { full: true, ..person(6, "Ahmed Mohamed", text) },
            NamedPerson { full: true, ..person(7, "Mohamed El-Hassan Mohamed", text) },
        ];
        let hits = n.find(text, &people, &[(0, 13), (18, 43)], &mut FormCache::default());
        assert_eq!(show(text, &hits), ["AHMED MOHAMED=6:Discovered"]);
        let text = "Nick Moreau spoke. NICK MOREAU WINS. President NICK MOREAU left. Moreau said.";
        // A listed person's full name is the gazetteer's to find: partial forms only.
        let hits = n.find(text, &[person(5, "Nick Moreau", text)], &[(0, 11)], &mut FormCache::default());
        assert_eq!(
            show(text, &hits),
            ["NICK=5:Surname", "MOREAU=5:Surname", "President NICK=5:Title", "MOREAU=5:Surname", "Moreau=5:Surname"]
        );
    }

    #[test]
    fn shared_surnames_are_refused() {
        let n = names();
        let text = "George W. Bush met Jeb Bush. Bush said. Mr. Kirby and John Kirby: Mr. Kirby.";
        let people = [person(1, "George W. Bush", text), person(2, "Jeb Bush", text), person(3, "John Kirby", text)];
        let hits = n.find(text, &people, &[], &mut FormCache::default());
        assert_eq!(show(text, &hits), ["Mr. Kirby=3:Title"]);
    }

    #[test]
    fn titles_and_list_mentions() {
        let n = names();
        let text = "Angela Merkel won. Chancellor Merkel and Prime Minister Merkel met Merkelism fans.";
        let hits = n.find(text, &[person(4, "Angela Merkel", text)], &[], &mut FormCache::default());
        assert_eq!(show(text, &hits), ["Chancellor Merkel=4:Title", "Prime Minister Merkel=4:Title"]);
        // A gazetteer mention in the way wins.
        let hits = n.find(text, &[person(4, "Angela Merkel", text)], &[(30, 36)], &mut FormCache::default());
        assert_eq!(show(text, &hits), ["Prime Minister Merkel=4:Title"]);
    }

    /// A document naming more people than the lists searched one by one
    /// hold gets the rules a short one gets.
    #[test]
    fn many_people_are_found_as_a_few_are() {
        let n = names();
        let surnames: Vec<String> =
            (0..30).map(|i| format!("Qwerty{}", char::from(b'a' + i as u8 % 26)).repeat(1 + i / 26)).collect();
        let mut text = String::new();
        let mut people = Vec::new();
        for s in &surnames {
            text += &format!("John {s} came. ");
        }
        text += "Jeb Smith and Jim Smith came. ";
        for s in &surnames {
            text += &format!("Then Mr. {s} and {} spoke, and Smith. ", s.to_uppercase());
        }
        let full: Vec<String> =
            surnames.iter().map(|s| format!("John {s}")).chain(["Jeb Smith".into(), "Jim Smith".into()]).collect();
        for (i, name) in full.iter().enumerate() {
            people.push(person(i as u32, name, &text));
        }
        let hits = n.find(&text, &people, &[], &mut FormCache::default());
        let expected: Vec<String> = surnames
            .iter()
            .enumerate()
            .flat_map(|(i, s)| [format!("Mr. {s}={i}:Title"), format!("{}={i}:Surname", s.to_uppercase())])
            .collect();
        assert_eq!(show(&text, &hits), expected, "no 'John' (shared by thirty), no 'Smith' (shared by two)");
    }
}
