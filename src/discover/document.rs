//! The rules over a whole document, once its sentences are read: spelling
//! variants of one person's name, and full names found by a cue repeated
//! where no cue stands.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Discovered, DiscoveredKind, Discoverer, Rule, F_EVERYDAY_GIVEN};
use crate::matcher::{ends_word, starts_word};
use crate::occurrences::occurrences;

impl Discoverer {
    /// The rules over the whole document, on the people found in it
    /// (`out[first..]`): spelling variants, then repeated full names.
    ///
    /// Both compare names with the names found before them; lists and maps
    /// keyed by name keep that linear in the names of a list-like document
    /// naming thousands of people (a comparison of every name with every
    /// other made such a document cost the square of its size).
    pub(super) fn document(&self, text: &str, taken: &[(u32, u32)], first: usize, out: &mut Vec<Discovered>) {
        if self.options.variants {
            self.merge_variants(&mut out[first..]);
        }
        if !self.options.repeat {
            return;
        }
        // Full names found by a cue that the name alone does not give.
        let mut cued: Vec<(String, Rule)> = Vec::new();
        let mut cued_names: FxHashSet<&str> = FxHashSet::default();
        for d in &out[first..] {
            let by_cue = match d.rule {
                Rule::Title => true,
                Rule::GivenName => d.name.split(' ').next().is_some_and(|g| self.flags(g) & F_EVERYDAY_GIVEN != 0),
                Rule::OrgSuffix | Rule::OrgHead => false,
            };
            if by_cue && d.kind == DiscoveredKind::Person && d.name.contains(' ') && cued_names.insert(&d.name) {
                cued.push((d.name.clone(), d.rule));
            }
        }
        if cued.is_empty() {
            return;
        }
        let finders: Vec<memchr::memmem::Finder<'_>> =
            cued.iter().map(|(name, _)| memchr::memmem::Finder::new(name.as_bytes())).collect();
        let needles: Vec<(&memchr::memmem::Finder<'_>, usize)> = finders.iter().map(|f| (f, 0)).collect();
        let found = occurrences(text.as_bytes(), &needles);
        // The spans taken so far, by start (the listed mentions, sorted and
        // apart, and the discovered ones, apart from those and from each
        // other), when there are many places to check against them.
        let mut occupied: Option<BTreeMap<u32, u32>> = (found.len() * (taken.len() + out.len() - first) > 1024)
            .then(|| out[first..].iter().map(|d| (d.start, d.end)).chain(taken.iter().copied()).collect());
        let before = out.len();
        for (n, at) in found {
            let (name, rule) = &cued[n];
            let (start, end) = (at as u32, (at + name.len()) as u32);
            if !starts_word(text, at) || !ends_word(text, end as usize) || followed_by_name(text, end as usize) {
                continue;
            }
            let overlaps = |s: &(u32, u32)| s.0 < end && start < s.1;
            let is_free = match &mut occupied {
                // The last span starting before this one's end is the only one that may overlap it.
                Some(spans) => spans.range(..end).next_back().is_none_or(|(_, &e)| e <= start),
                None => !taken.iter().any(overlaps) && !out[first..].iter().any(|d| overlaps(&(d.start, d.end))),
            };
            if !is_free {
                continue;
            }
            if let Some(spans) = &mut occupied {
                spans.insert(start, end);
            }
            out.push(Discovered {
                start,
                end,
                cue_start: start,
                kind: DiscoveredKind::Person,
                rule: *rule,
                name: name.clone(),
            });
        }
        if out.len() > before {
            out[first..].sort_by_key(|d| d.start);
        }
    }

    /// Renames each person of `found` (in text order) to the first name found
    /// before it that is a spelling variant of its own ([`is_variant`]).
    pub(super) fn merge_variants(&self, found: &mut [Discovered]) {
        // A document names a few people: comparing each with those before is
        // cheapest; a list-like one, thousands.
        if found.len() <= 32 {
            for i in 1..found.len() {
                if found[i].kind != DiscoveredKind::Person {
                    continue;
                }
                let (before, rest) = found.split_at_mut(i);
                let d = &mut rest[0];
                let earlier = before
                    .iter()
                    .find(|e| e.kind == DiscoveredKind::Person && e.name != d.name && is_variant(&e.name, &d.name));
                if let Some(e) = earlier {
                    d.name = e.name.clone();
                }
            }
            return;
        }
        // The names met so far with the words after their first (the part
        // variants share), each list in the order the names were first met:
        // the first variant there is the first one in the text.
        let mut by_rest: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for d in found.iter_mut().filter(|d| d.kind == DiscoveredKind::Person) {
            let Some((_, rest)) = d.name.split_once(' ') else {
                continue;
            };
            let names = by_rest.entry(rest.to_string()).or_default();
            match names.iter().find(|n| **n != d.name && is_variant(n, &d.name)) {
                Some(n) => d.name = n.clone(),
                None if !names.contains(&d.name) => names.push(d.name.clone()),
                None => {}
            }
        }
    }
}

/// Whether two names of people are spellings of one name: the same words but
/// the first, and first words of four letters or more that differ by a vowel
/// written for another ("Kristin"/"Kristen") or by a doubled letter
/// ("Philip"/"Phillip").
pub(super) fn is_variant(a: &str, b: &str) -> bool {
    // The same words but the first, which differ by one letter at most in
    // length: most pairs of names of a document differ by more.
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (Some((ga, rest_a)), Some((gb, rest_b))) = (a.split_once(' '), b.split_once(' ')) else {
        return false;
    };
    if rest_a != rest_b || ga.len().min(gb.len()) < 4 || !ga.is_ascii() || !gb.is_ascii() {
        return false;
    }
    let (x, y) = (ga.as_bytes(), gb.as_bytes());
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    if x.len() == y.len() {
        let mut diff = (0..x.len()).filter(|&i| x[i] != y[i]);
        return match (diff.next(), diff.next()) {
            (Some(i), None) => i > 0 && vowel(x[i]) && vowel(y[i]),
            _ => false,
        };
    }
    let (short, long) = if x.len() < y.len() { (x, y) } else { (y, x) };
    if long.len() != short.len() + 1 {
        return false;
    }
    // The longer one doubles a letter of the shorter one.
    let i = (0..short.len()).find(|&i| short[i] != long[i]).unwrap_or(short.len());
    i > 0 && long[i] == long[i - 1] && short[i..] == long[i + 1..]
}

/// Whether a capitalized word follows byte `i` after one space: the name
/// before it is part of a longer one ("the Aner Shalev Prize").
fn followed_by_name(text: &str, i: usize) -> bool {
    text[i..].strip_prefix(' ').and_then(|r| r.chars().next()).is_some_and(char::is_uppercase)
}
