//! The matcher and tagger on arbitrary text with a small fixed gazetteer:
//! every mention's code-point span slices the text to the alias found there
//! (what `mentions.csv` promises: `text[start:end] == surface` in Python),
//! mentions are in order and do not overlap, and their token, sentence and
//! paragraph indexes are in range.
#![no_main]

use std::sync::OnceLock;

use cotag::gazetteer::GazetteerBuilder;
use cotag::matcher::{Matcher, MatcherOptions};
use cotag::tag::{TagScratch, Tagger};
use cotag::tokenize::Segmentation;
use libfuzzer_sys::fuzz_target;

/// Aliases chosen to stress the matcher: nested names, shared aliases,
/// acronyms with dots, non-ASCII, case rules, a dated alias, an alias whose
/// lower case changes length (`İ`).
const GAZETTEER: &str = "id\ttype\tname\talias\tkind\tcase\tfrom\tto
ISR\tcountry\tIsrael\tIsrael\tname\t\t\t
ISR\tcountry\tIsrael\tIsraeli\tdemonym\t\t\t
USA\tcountry\tUnited States\tU.S.\tacronym\t\t\t
USA\tcountry\tUnited States\tUnited States\tname\t\t\t
SSD\tcountry\tSouth Sudan\tSouth Sudan\tname\t\t\t
SDN\tcountry\tSudan\tSudan\tname\t\t\t
OMN\tcountry\tOman\tOman\tname\tany\t\t
CIV\tcountry\tCôte d'Ivoire\tCôte d’Ivoire\tname\t\t\t
TUR\tcountry\tTürkiye\tTÜRKİYE\tname\tany\t\t
GEO\tcountry\tGeorgia\tGeorgia\tname\t\t\t
US-GA\tstate\tGeorgia (US state)\tGeorgia\tname\t\t\t
US-GA\tstate\tGeorgia (US state)\tAtlanta\talias\t\t\t
org:nyt\torganization\tNew York Times\tNew York Times\tname\t\t\t
US-NY\tstate\tNew York\tNew York\tname\t\t\t
org:un\torganization\tUnited Nations\tUN\tacronym\t\t\t
person:xi\tperson\tXi Jinping\tXi Jinping\tname\t\t2013-03-14\t
person:xi\tperson\tXi Jinping\tXi\tsurname\t\t\t
JPN\tcountry\tJapan\t日本\tname\t\t\t
";

fn tagger() -> &'static Tagger {
    static TAGGER: OnceLock<Tagger> = OnceLock::new();
    TAGGER.get_or_init(|| {
        let mut b = GazetteerBuilder::new();
        b.add_text("fuzz.tsv", GAZETTEER.as_bytes()).expect("the fuzz gazetteer is valid");
        let gazetteer = b.build();
        Tagger::new(Matcher::new(&gazetteer, MatcherOptions::default()), &gazetteer, false)
    })
}

fuzz_target!(|text: &str| {
    let seg = Segmentation::of(text);
    let mut scratch = TagScratch::default();
    let mut mentions = Vec::new();
    tagger().tag(text, None, &seg, &mut scratch, &mut mentions);
    let chars: Vec<char> = text.chars().collect();
    let mut last_end = 0;
    for m in &mentions {
        assert!(m.start < m.end && m.end as usize <= text.len(), "bad byte span {m:?} in {text:?}");
        assert!(m.start >= last_end, "mentions overlap or go back: {m:?} in {text:?}");
        last_end = m.end;
        let surface = &text[m.start as usize..m.end as usize];
        let by_chars: String = chars[m.char_start as usize..m.char_end as usize].iter().collect();
        assert_eq!(by_chars, surface, "code-point span differs from byte span: {m:?} in {text:?}");
        assert!(m.token_start < m.token_end && m.token_end as usize <= seg.tokens.len(), "{m:?} in {text:?}");
        assert!(m.sentence as usize <= seg.sentence_starts.len().saturating_sub(1), "{m:?} in {text:?}");
        assert!(m.paragraph as usize <= seg.paragraph_starts.len().saturating_sub(1), "{m:?} in {text:?}");
    }
});
