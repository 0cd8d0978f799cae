//! Every occurrence of a few strings in a document, in time linear in the
//! document and the strings, whatever their number.
//!
//! Partial names and discovery's repeated names look for the names of the
//! people a document has named, and a document names a handful of people.
//! Names start with a capital, and capitals are a small part of running
//! text: when every string does, one pass that stops at the capitals of the
//! document and compares the strings that start with the letter there reads
//! it once, where a `memchr` search per string read it once per string (a
//! person takes two to six: surname, given name, in capitals). A `memchr`
//! search reads 32 bytes at a step, the pass 8, so fewer strings than
//! [`AT_CAPITALS`] are still searched one by one. A
//! list-like document (a directory, a book, a dump pasted into one JSON line)
//! may name tens of thousands, and a search per name read such a document
//! once per name (with the other per-name loops fixed with this one, a 2 MB
//! list of invented people took 30 s before and 0.6 s after:
//! `benches/list_document.sh`). When the searches would read the document
//! many times over, one Aho-Corasick automaton finds every name in one pass,
//! with the very same result.

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem::Finder;

use crate::tokenize::{bytes_in, HIGH_BITS};

/// Up to this many needles, they are searched one by one whatever the size.
const FEW: usize = 16;

/// From this many needles on, if all start with a capital, they are
/// searched for at the capitals of the haystack ([`at_capitals`]) rather
/// than one by one. Measured on 15 MB of the benchmark corpus (instructions
/// of the tagging thread, against searches one by one always: 1,075.6 M
/// with `--discover`, 628.0 M without): from 3 needles on, 8 M fewer with
/// `--discover` and none without; from 5, 6 or 8 on, 11 M fewer with it and
/// 2 M fewer without.
const AT_CAPITALS: usize = 6;

/// Bytes the searches one by one may read (needles times haystack) before an
/// automaton is built instead. Not tuned: set so that an article (a few dozen
/// searches over a few KB) never builds one: when every document with over
/// 16 needles built one, partial names took eleven times the instructions
/// on the 20 MB benchmark corpus.
const ONE_BY_ONE_BYTES: usize = 4 << 20;

/// The occurrences of each needle `(searcher, from)` in `haystack` that
/// start at `from` or later, as `(needle index, start)` sorted by needle,
/// then start. A needle's occurrences are those of a left-to-right search
/// that goes on after each one (as [`memchr::memmem::find_iter`]): an
/// occurrence overlapping the one before of the same needle is not one.
/// Empty needles have none.
pub(crate) fn occurrences(haystack: &[u8], needles: &[(&Finder<'_>, usize)]) -> Vec<(usize, usize)> {
    if needles.len() <= FEW || needles.len().saturating_mul(haystack.len()) <= ONE_BY_ONE_BYTES {
        if (AT_CAPITALS..=usize::from(u16::MAX)).contains(&needles.len())
            && needles.iter().all(|n| n.0.needle().first().is_none_or(|&b| is_capital(b)))
        {
            at_capitals(haystack, needles)
        } else {
            one_by_one(haystack, needles)
        }
    } else {
        all_at_once(haystack, needles)
    }
}

/// [`occurrences`] by one search per needle.
fn one_by_one(haystack: &[u8], needles: &[(&Finder<'_>, usize)]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (n, &(finder, from)) in needles.iter().enumerate() {
        let len = finder.needle().len();
        if len == 0 {
            continue;
        }
        // `find_iter` would copy the searcher at every call.
        let mut next = from;
        while let Some(at) = haystack.get(next..).and_then(|rest| finder.find(rest)) {
            found.push((n, next + at));
            next += at + len;
        }
    }
    found
}

/// Whether [`next_capital`] stops at byte `b`: an ASCII capital or a byte of
/// a non-ASCII character (which is where any other capital starts).
fn is_capital(b: u8) -> bool {
    b >= 0x80 || b.is_ascii_uppercase()
}

/// The first place at `at` or after in `bytes` that holds a byte
/// [`is_capital`] takes, eight bytes at a time.
fn next_capital(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // A byte at or past 0x80 is taken as it is; the range is tested on
        // the low seven bits of the others.
        let capitals = (x & HIGH_BITS) | bytes_in(x & !HIGH_BITS, b'A', b'Z');
        if capitals != 0 {
            return Some(at + (capitals.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|&b| is_capital(b)).map(|i| at + i)
}

/// [`occurrences`] of needles that all start with a byte [`is_capital`]
/// takes (or are empty), by one pass over the places of the haystack that
/// hold such a byte: at each, the needles that start with that byte are
/// compared with the text there. Each needle keeps the end of its last
/// occurrence, so its occurrences are the left-to-right chain that a search
/// from `from` on finds.
fn at_capitals(haystack: &[u8], needles: &[(&Finder<'_>, usize)]) -> Vec<(usize, usize)> {
    // The needles by first byte: those that start with byte `b` are
    // `by_first[first[b] as usize..first[b + 1] as usize]` (a counting sort).
    let mut first = [0u16; 257];
    for n in needles {
        if let Some(&b) = n.0.needle().first() {
            first[usize::from(b) + 1] += 1;
        }
    }
    for b in 1..257 {
        first[b] += first[b - 1];
    }
    let mut by_first = vec![0u16; usize::from(first[256])];
    let mut place = first;
    for (i, n) in needles.iter().enumerate() {
        if let Some(&b) = n.0.needle().first() {
            by_first[usize::from(place[usize::from(b)])] = i as u16;
            place[usize::from(b)] += 1;
        }
    }
    let mut next: Vec<usize> = needles.iter().map(|n| n.1).collect();
    let Some(mut at) = needles.iter().filter(|n| !n.0.needle().is_empty()).map(|n| n.1).min() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    while let Some(p) = next_capital(haystack, at) {
        let b = usize::from(haystack[p]);
        for &n in &by_first[usize::from(first[b])..usize::from(first[b + 1])] {
            let (n, needle) = (usize::from(n), needles[usize::from(n)].0.needle());
            if p >= next[n] && haystack[p..].starts_with(needle) {
                found.push((n, p));
                next[n] = p + needle.len();
            }
        }
        at = p + 1;
    }
    // By needle; a stable sort keeps each needle's starts in order.
    found.sort_by_key(|&(n, _)| n);
    found
}

/// [`occurrences`] by one automaton over every needle: every occurrence of
/// every needle (overlapping ones included), then each needle's
/// left-to-right chain kept.
fn all_at_once(haystack: &[u8], needles: &[(&Finder<'_>, usize)]) -> Vec<(usize, usize)> {
    let patterns: Vec<&[u8]> = needles.iter().map(|n| n.0.needle()).collect();
    let Ok(automaton) = AhoCorasick::builder().match_kind(MatchKind::Standard).build(&patterns) else {
        // Only a size limit can refuse the build; the searches need none.
        return one_by_one(haystack, needles);
    };
    let mut all: Vec<(usize, usize)> = automaton
        .find_overlapping_iter(haystack)
        .map(|m| (m.pattern().as_usize(), m.start()))
        .filter(|&(n, start)| !patterns[n].is_empty() && start >= needles[n].1)
        .collect();
    all.sort_unstable();
    // The chain of each needle: an occurrence starting before the end of the
    // needle's previous one is skipped.
    let mut kept = Vec::with_capacity(all.len());
    let mut next = (usize::MAX, 0);
    for (n, start) in all {
        if n == next.0 && start < next.1 {
            continue;
        }
        kept.push((n, start));
        next = (n, start + patterns[n].len());
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn finders<'a>(needles: &'a [(&str, usize)]) -> Vec<(Finder<'a>, usize)> {
        needles.iter().map(|&(s, from)| (Finder::new(s.as_bytes()), from)).collect()
    }

    fn refs<'a>(finders: &'a [(Finder<'a>, usize)]) -> Vec<(&'a Finder<'a>, usize)> {
        finders.iter().map(|(f, from)| (f, *from)).collect()
    }

    #[test]
    fn a_needle_does_not_overlap_itself() {
        let hay = b"aaaa Ma Ma Ma";
        let owned = finders(&[("aa", 0), ("Ma Ma", 0), ("a", 2), ("", 0), ("Ma", 99)]);
        let needles = refs(&owned);
        let expected = vec![(0, 0), (0, 2), (1, 5), (2, 2), (2, 3), (2, 6), (2, 9), (2, 12)];
        assert_eq!(one_by_one(hay, &needles), expected);
        assert_eq!(all_at_once(hay, &needles), expected);
        assert_eq!(occurrences(hay, &needles), expected);
    }

    #[test]
    fn needles_that_start_with_capitals_are_found_at_the_capitals() {
        let hay = "Xi said. XI JINPING and Xi Jinping met Jérôme; Ève, XiXi, Xi".as_bytes();
        let owned = finders(&[("Xi", 0), ("XI", 0), ("Jinping", 10), ("Ève", 0), ("XiXi", 0), ("Jérôme", 50)]);
        let needles = refs(&owned);
        // "Jérôme" stands before its `from`; "Xi" twice in "XiXi".
        let expected = vec![(0, 0), (0, 24), (0, 55), (0, 57), (0, 61), (1, 9), (2, 27), (3, 49), (4, 55)];
        assert_eq!(one_by_one(hay, &needles), expected);
        assert_eq!(at_capitals(hay, &needles), expected);
        assert_eq!(occurrences(hay, &needles), expected);
    }

    proptest! {
        /// The automaton, and the pass over the capitals for the needles
        /// it takes (those that start with a capital, and empty ones), find
        /// what the searches one by one find, over a small alphabet where
        /// needles overlap themselves and each other, some are non-ASCII,
        /// and capitals start none of them; `occurrences` agrees whichever
        /// way it picks.
        #[test]
        fn every_way_agrees(
            hay in "[aAbBé’ .]{0,60}",
            needles in prop::collection::vec(("[aAbB€é ’]{0,4}", 0usize..70), 0..40),
        ) {
            let needles: Vec<(&str, usize)> = needles.iter().map(|(s, f)| (s.as_str(), *f)).collect();
            let capitals: Vec<(&str, usize)> =
                needles.iter().copied().filter(|n| n.0.bytes().next().is_none_or(is_capital)).collect();
            let hay = hay.as_bytes();
            for needles in [needles, capitals] {
                let owned = finders(&needles);
                let needles = refs(&owned);
                let expected = one_by_one(hay, &needles);
                prop_assert_eq!(&all_at_once(hay, &needles), &expected);
                prop_assert_eq!(&occurrences(hay, &needles), &expected);
                if needles.iter().all(|n| n.0.needle().first().is_none_or(|&b| is_capital(b))) {
                    prop_assert_eq!(&at_capitals(hay, &needles), &expected);
                }
            }
        }
    }
}
