//! The gazetteer parser and builder on arbitrary bytes: never panics, every
//! error names the file (`fuzz.tsv:LINE: ...` or `fuzz.tsv: ...`), ids are
//! unique, and whatever the strict builder accepts compiles into a matcher.
#![no_main]

use cotag::gazetteer::{parse_tsv, GazetteerBuilder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Err(e) = parse_tsv("fuzz.tsv", bytes) {
        assert!(e.to_string().starts_with("fuzz.tsv:"), "{e}");
    }
    // The lenient builder (`cotag gazetteer check`) goes on past errors: it
    // must not trip over what the strict parser refused. (The lint is left
    // out: it parses its 9,770-word frequency table on every call, which
    // under the sanitizer slows this target to 30 runs a second.)
    let mut lenient = GazetteerBuilder::lenient();
    let _ = lenient.add_text("fuzz.tsv", bytes);
    let gazetteer = lenient.build();
    assert_eq!(
        gazetteer.entities.len(),
        gazetteer.entities.iter().map(|e| &e.id).collect::<std::collections::BTreeSet<_>>().len()
    );
    // The other dictionary formats `-g` reads, chosen by extension: spaCy
    // patterns, quanteda YAML, CoreNLP RegexNER.
    for label in ["fuzz.jsonl", "fuzz.yml", "fuzz.txt"] {
        let mut b = GazetteerBuilder::new();
        if let Err(e) = b.add_text(label, bytes) {
            assert!(e.to_string().starts_with(label), "{e}");
        }
    }
    // The strict builder: anything it accepts must compile into a matcher.
    let mut strict = GazetteerBuilder::new();
    if strict.add_text("fuzz.tsv", bytes).is_ok() {
        let _ = cotag::matcher::Matcher::new(&strict.build(), Default::default());
    }
});
