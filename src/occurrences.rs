//! Every occurrence of a few strings in a document, in time linear in the
//! document and the strings, whatever their number.
//!
//! Partial names and discovery's repeated names look for the names of the
//! people a document has named, and a document names a handful of people:
//! one `memchr` search per name (with searchers built once per name and
//! kept) is the fastest way. But a list-like document (a directory, a book,
//! a dump pasted into one JSON line) may name tens of thousands, and a
//! search per name read such a document once per name (with the other
//! per-name loops fixed with this one, a 2 MB list of invented people took
//! 30 s before and 0.6 s after: `benches/list_document.sh`). When the
//! searches would read the document many times over, one Aho-Corasick
//! automaton finds every name in one pass, with the very same result.

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem::Finder;

/// Up to this many needles, they are searched one by one whatever the size.
const FEW: usize = 16;

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
        one_by_one(haystack, needles)
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

    proptest! {
        /// The automaton finds what the searches find, over a small alphabet
        /// where needles overlap themselves and each other.
        #[test]
        fn both_ways_agree(
            hay in "[ab ]{0,60}",
            needles in prop::collection::vec(("[ab ]{0,4}", 0usize..70), 0..40),
        ) {
            let needles: Vec<(&str, usize)> = needles.iter().map(|(s, f)| (s.as_str(), *f)).collect();
            let owned = finders(&needles);
            let needles = refs(&owned);
            prop_assert_eq!(one_by_one(hay.as_bytes(), &needles), all_at_once(hay.as_bytes(), &needles));
        }
    }
}
