//! Which aliases stand as whole words inside which other aliases ("Sudan" in
//! "South Sudan"), for `gazetteer check`'s `nested` notes.
//!
//! Words end at separators (whitespace, `-`, `/`), and an alias stands inside
//! another when it is the text from the start of one of the other's words to
//! the end of a later (or the same) word, separators included. Every alias
//! goes into one Aho-Corasick automaton over words, and each alias is then
//! read through it once: the time is linear in the total length of the
//! aliases, plus the pairs found. (Looking every span of words of an alias up
//! costs the cube of its number of words, which a single alias of 5,000 words
//! turns into half a minute.)

use rustc_hash::FxHashMap;

/// No state: the end of a chain of [`Automaton::dict`] links.
const NONE: u32 = u32::MAX;

/// The root state: no word read.
const ROOT: u32 = 0;

/// Whether `c` ends a word, for the nested-alias rule.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '-' || c == '/'
}

/// `text` as words, each after the separator before it: "Papua New-Guinea"
/// is "Papua", " New", "-Guinea". A word may be empty (between two
/// separators, or after one at the end).
fn words(text: &str) -> impl Iterator<Item = &str> {
    let ends = text.char_indices().filter(|&(_, c)| is_separator(c)).map(|(i, _)| i);
    let mut start = 0;
    ends.chain(std::iter::once(text.len())).map(move |end| {
        let word = &text[start..end];
        start = end;
        word
    })
}

/// `word` without the separator before it: the word as it is when it starts
/// an alias.
fn bare(word: &str) -> &str {
    word.strip_prefix(is_separator).unwrap_or(word)
}

/// An Aho-Corasick automaton over [`words`]: a trie of the aliases (states
/// are their word prefixes) with, for each state, the longest proper suffix
/// that is also a state.
///
/// A suffix of a state starts with a word that has a separator before it,
/// while the same word starting an alias has none: an edge from the root is
/// taken by the [`bare`] word, every other edge by the word and its separator.
struct Automaton<'a> {
    /// Trie edges: (state, word) → state.
    next: FxHashMap<(u32, &'a str), u32>,
    /// Each state's parent in the trie (the root's: itself).
    parent: Vec<u32>,
    /// The word on the edge from each state's parent.
    word: Vec<&'a str>,
    /// Each state's depth: the number of words it stands for.
    depth: Vec<u32>,
    /// The alias each state completes, if any.
    alias: Vec<Option<u32>>,
    /// The state each alias ends at.
    end: Vec<u32>,
    /// The longest proper suffix of each state that is a state.
    fail: Vec<u32>,
    /// The longest proper suffix of each state that completes an alias, or [`NONE`].
    dict: Vec<u32>,
}

impl<'a> Automaton<'a> {
    /// The automaton of the distinct `aliases`; alias `i` is reported as `i`.
    fn new(aliases: &[&'a str]) -> Automaton<'a> {
        // At most one state per word: sized once, the edge table is not
        // rehashed as it grows.
        let states = aliases.iter().map(|t| words(t).count()).sum::<usize>() + 1;
        let mut automaton = Automaton {
            next: FxHashMap::with_capacity_and_hasher(states, Default::default()),
            parent: vec![ROOT],
            word: vec![""],
            depth: vec![0],
            alias: vec![None],
            end: Vec::with_capacity(aliases.len()),
            fail: Vec::new(),
            dict: Vec::new(),
        };
        for (i, text) in aliases.iter().enumerate() {
            automaton.insert(text, i as u32);
        }
        automaton.link();
        automaton
    }

    /// Adds one alias to the trie.
    fn insert(&mut self, text: &'a str, alias: u32) {
        let mut state = ROOT;
        for word in words(text) {
            let fresh = self.alias.len() as u32;
            let child = *self.next.entry((state, word)).or_insert(fresh);
            if child == fresh {
                self.parent.push(state);
                self.word.push(word);
                self.depth.push(self.depth[state as usize] + 1);
                self.alias.push(None);
            }
            state = child;
        }
        self.alias[state as usize] = Some(alias);
        self.end.push(state);
    }

    /// Sets `fail` and `dict`, shallow states first, since a state's links are
    /// found from those of its parent and its parent's suffixes.
    fn link(&mut self) {
        let states = self.alias.len();
        self.fail = vec![ROOT; states];
        self.dict = vec![NONE; states];
        let mut order: Vec<u32> = (1..states as u32).collect();
        order.sort_by_key(|&s| self.depth[s as usize]);
        for state in order.into_iter().map(|s| s as usize) {
            let parent = self.parent[state];
            let fail = if parent == ROOT { ROOT } else { self.step(self.fail[parent as usize], self.word[state]) };
            self.fail[state] = fail;
            self.dict[state] = if self.alias[fail as usize].is_some() { fail } else { self.dict[fail as usize] };
        }
    }

    /// The state after reading `word` (with its separator) in `state`.
    fn step(&self, mut state: u32, word: &str) -> u32 {
        while state != ROOT {
            if let Some(&child) = self.next.get(&(state, word)) {
                return child;
            }
            state = self.fail[state as usize];
        }
        self.next.get(&(ROOT, bare(word))).copied().unwrap_or(ROOT)
    }

    /// Adds to `found` the aliases that stand inside alias `outer`, itself
    /// included, each once; `seen` holds, for each state, the alias it was
    /// last reported for.
    ///
    /// Reading an alias through the automaton would visit the states of its
    /// prefixes, since each prefix is a state: so its parent chain is walked
    /// instead. The aliases ending at a prefix are its state (if it completes
    /// one) and the `dict` chain after it. A chain is left at a state already
    /// reported for `outer`, since the rest of it was reported then: so each
    /// state is reported at most once for each alias.
    fn occurrences(&self, outer: u32, seen: &mut [u32], found: &mut Vec<u32>) {
        let mut prefix = self.end[outer as usize];
        while prefix != ROOT {
            let p = prefix as usize;
            let mut at = if self.alias[p].is_some() { prefix } else { self.dict[p] };
            while at != NONE && seen[at as usize] != outer {
                seen[at as usize] = outer;
                found.extend(self.alias[at as usize]);
                at = self.dict[at as usize];
            }
            prefix = self.parent[p];
        }
    }
}

/// For each of the distinct `texts`, the other texts that stand as whole words
/// inside it: `(inner, outer)` pairs of indices into `texts`, each pair once.
/// An empty text stands inside nothing.
pub(super) fn nested_texts(texts: &[&str]) -> Vec<(usize, usize)> {
    let automaton = Automaton::new(texts);
    let mut seen = vec![NONE; automaton.alias.len()];
    let (mut pairs, mut found) = (Vec::new(), Vec::new());
    for outer in 0..texts.len() {
        // One word holds no other text but itself.
        if automaton.depth[automaton.end[outer] as usize] == 1 {
            continue;
        }
        found.clear();
        automaton.occurrences(outer as u32, &mut seen, &mut found);
        let inner = found.iter().map(|&i| i as usize).filter(|&i| i != outer && !texts[i].is_empty());
        pairs.extend(inner.map(|i| (i, outer)));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs as text, sorted; each pair must come once.
    fn pairs<'a>(texts: &[&'a str]) -> Vec<(&'a str, &'a str)> {
        let mut out: Vec<_> = nested_texts(texts).into_iter().map(|(i, o)| (texts[i], texts[o])).collect();
        out.sort_unstable();
        let count = out.len();
        out.dedup();
        assert_eq!(out.len(), count, "a pair came twice: {texts:?}");
        out
    }

    /// The pairs found the slow way, by looking up every span of words of
    /// every text: the rule as it was first written.
    fn pairs_by_every_span<'a>(texts: &[&'a str]) -> Vec<(&'a str, &'a str)> {
        let known: std::collections::HashSet<&str> = texts.iter().copied().collect();
        let mut out = Vec::new();
        for text in texts {
            let separators = text.char_indices().filter(|&(_, c)| is_separator(c));
            let starts: Vec<usize> =
                std::iter::once(0).chain(separators.clone().map(|(i, c)| i + c.len_utf8())).collect();
            let ends: Vec<usize> = separators.map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
            for &s in &starts {
                for &e in ends.iter().filter(|&&e| e > s && (s, e) != (0, text.len())) {
                    if known.contains(&text[s..e]) {
                        out.push((&text[s..e], *text));
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn whole_words_only() {
        let texts = ["Sudan", "South Sudan", "Sudanese", "Guinea", "Guinea-Bissau", "Papua New Guinea", "New"];
        assert_eq!(
            pairs(&texts),
            [
                ("Guinea", "Guinea-Bissau"),
                ("Guinea", "Papua New Guinea"),
                ("New", "Papua New Guinea"),
                ("Sudan", "South Sudan")
            ]
        );
    }

    #[test]
    fn separators_are_part_of_the_text() {
        // "a b" is not inside "a-b" nor "a  b"; " b" (an empty word, a space,
        // "b") is inside "a  b"; the empty text is inside nothing.
        let texts = ["a b", "a-b", "a  b", " b", "", "b"];
        assert_eq!(pairs(&texts), [(" b", "a  b"), ("b", " b"), ("b", "a  b"), ("b", "a b"), ("b", "a-b")]);
    }

    #[test]
    fn suffix_chains_and_repeats_are_reported_once() {
        let texts = ["w w w w w w", "w", "w w", "w w w", "x w w"];
        assert_eq!(
            pairs(&texts),
            [
                ("w", "w w"),
                ("w", "w w w"),
                ("w", "w w w w w w"),
                ("w", "x w w"),
                ("w w", "w w w"),
                ("w w", "w w w w w w"),
                ("w w", "x w w"),
                ("w w w", "w w w w w w")
            ]
        );
    }

    #[test]
    fn agrees_with_looking_up_every_span() {
        // Texts of a few pieces: words sharing prefixes, empty words, runs of
        // separators, non-ASCII letters and whitespace.
        let pieces = ["a", "b", "ab", "é", " ", "-", "/", "\u{a0}", "\u{3000}", "a b", "b-a", "  "];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut random = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut texts: Vec<String> =
                (0..1 + random(10)).map(|_| (0..random(7)).map(|_| pieces[random(pieces.len())]).collect()).collect();
            texts.sort_unstable();
            texts.dedup();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            assert_eq!(pairs(&texts), pairs_by_every_span(&texts), "{texts:?}");
        }
    }
}
