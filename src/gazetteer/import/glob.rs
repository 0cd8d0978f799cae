//! quanteda's trailing `*` glob, made into whole words.
//!
//! cotag matches whole words, so `Kenyan*` cannot be a prefix match. It
//! becomes the stem, the stem plus `s`, and the stem plus each other suffix of
//! [`GLOB_SUFFIXES`] that makes a word cotag knows: an alias of the built-in
//! gazetteers (which hold the demonyms: Kenyans, British, Swedes) or a word of
//! English news (economy, economists). Checking the words keeps the converted
//! dictionary free of forms such as "Kenyanians" that no text holds; keeping
//! to the suffix list stops `Turk*` from taking Turkmenistan from its own
//! entity. Forms outside it (Madagas* → Madagascar) must be written out.

use std::collections::HashSet;

use crate::gazetteer::{builtin_files, parse_tsv};

/// Words of English news, as the lint's everyday-word check reads them.
static NEWS_WORDS: &str = include_str!("../../data/english_lowercase.tsv");

/// The endings tried after a stem: the plural and the demonym and adjective
/// endings of country words (Kenyans, Sudanese, Israelis, British, Islanders,
/// Somalia), then the common endings of topical stems (economy, economic,
/// economist, taxes).
pub const GLOB_SUFFIXES: [&str; 25] = [
    "s", "es", "n", "ns", "an", "ans", "ian", "ians", "ese", "er", "ers", "i", "is", "ish", "ia", "y", "ies", "ic",
    "ical", "ics", "ist", "ists", "ism", "ed", "ing",
];

/// Known words, in lower case.
pub(super) struct Vocabulary {
    words: HashSet<String>,
}

impl Vocabulary {
    /// The aliases of the built-in gazetteers and the words of English news.
    pub(super) fn load() -> Vocabulary {
        let mut words: HashSet<String> =
            NEWS_WORDS.lines().skip(1).filter_map(|l| l.split('\t').next()).map(str::to_lowercase).collect();
        for (file, text) in builtin_files() {
            if let Ok(parsed) = parse_tsv(file, text.as_bytes()) {
                words.extend(parsed.rows.into_iter().map(|r| r.alias.to_lowercase()));
            }
        }
        Vocabulary { words }
    }

    /// A vocabulary of the given words (for tests).
    #[cfg(test)]
    pub(super) fn of(words: &[&str]) -> Vocabulary {
        Vocabulary { words: words.iter().map(|w| w.to_lowercase()).collect() }
    }

    fn knows(&self, word: &str) -> bool {
        self.words.contains(&word.to_lowercase())
    }
}

/// The forms of a pattern: `(form, made by cotag)`. A pattern without `*` is
/// itself; a trailing `*` expands as the module says (suffixes in upper case
/// after an all-capital stem). The vocabulary is loaded on the first glob.
pub(super) fn expand(pattern: &str, vocabulary: &mut Option<Vocabulary>) -> Result<Vec<(String, bool)>, String> {
    if pattern.contains('?') {
        return Err(format!(
            "pattern '{pattern}': the '?' glob is not supported (cotag reads only a '*' at the end of a pattern)"
        ));
    }
    let Some(stem) = pattern.strip_suffix('*') else {
        if pattern.contains('*') {
            return Err(format!("pattern '{pattern}': a '*' is read only at the end of a pattern (Kenyan*)"));
        }
        return Ok(vec![(pattern.to_string(), false)]);
    };
    if stem.contains('*') || stem.ends_with(char::is_whitespace) || !stem.chars().any(char::is_alphanumeric) {
        return Err(format!("pattern '{pattern}': a '*' is read only at the end of a word (Kenyan*)"));
    }
    let vocabulary = vocabulary.get_or_insert_with(Vocabulary::load);
    let upper = stem.chars().any(char::is_alphabetic) && !stem.chars().any(char::is_lowercase);
    let mut forms = vec![(stem.to_string(), true)];
    for suffix in GLOB_SUFFIXES {
        let suffix = if upper { suffix.to_uppercase() } else { suffix.to_string() };
        let form = format!("{stem}{suffix}");
        if suffix.eq_ignore_ascii_case("s") || vocabulary.knows(&form) {
            forms.push((form, true));
        }
    }
    Ok(forms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(pattern: &str, words: &[&str]) -> Vec<String> {
        expand(pattern, &mut Some(Vocabulary::of(words))).unwrap().into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_glob_keeps_the_stem_the_plural_and_known_words() {
        let words = ["Britain", "British", "Brits", "economy", "economic", "Turkmenistan", "Kenyanians"];
        assert_eq!(forms("Brit*", &words), ["Brit", "Brits", "British"]);
        assert_eq!(forms("econom*", &words), ["econom", "economs", "economy", "economic"]);
        // Only suffixes of the list: Turk* does not take Turkmenistan.
        assert_eq!(forms("Turk*", &words), ["Turk", "Turks"]);
        assert_eq!(forms("Cook Island*", &["cook islanders"]), ["Cook Island", "Cook Islands", "Cook Islanders"]);
        assert_eq!(forms("NATO*", &[]), ["NATO", "NATOS"]);
    }

    #[test]
    fn a_pattern_without_a_glob_is_itself_and_loads_nothing() {
        let mut vocabulary = None;
        let got = expand("Kenya", &mut vocabulary).unwrap();
        assert_eq!(got, [("Kenya".to_string(), false)]);
        assert!(vocabulary.is_none());
    }

    #[test]
    fn other_globs_are_refused() {
        let err = |p: &str| expand(p, &mut Some(Vocabulary::of(&[]))).unwrap_err();
        assert!(err("*stan").contains("a '*' is read only at the end of a pattern"));
        assert!(err("Ken*ya").contains("a '*' is read only at the end of a pattern"));
        assert!(err("Ke?ya").contains("the '?' glob is not supported"));
        assert!(err("Kenya *").contains("at the end of a word"));
        assert!(err("**").contains("at the end of a word"));
    }

    #[test]
    fn the_builtin_vocabulary_knows_demonyms_and_news_words() {
        let v = Vocabulary::load();
        assert!(v.knows("Kenyans") && v.knows("economy") && v.knows("British"));
        assert!(!v.knows("Kenyanians"));
    }
}
