//! End-to-end tests of dictionary imports (SPEC §3): `cotag run -g` on a spaCy
//! pattern file, a newsmap dictionary and CoreNLP RegexNER mapping files, and
//! `cotag gazetteer export --from`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const CORPUS: &str = "Kenyans in Nairobi met WHO staff. Xi Jinping told the World Health Organization \
that Coca-Cola and McDonald's sell in Kenya.";

fn cotag(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cotag")).current_dir(dir).args(args).output().expect("cotag runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `cotag run -g GAZETTEER` on the corpus and returns the mentions as
/// `entity_id type surface via` strings, in table order.
fn mentions_with(dir: &Path, gazetteer: &str, content: &str) -> Vec<String> {
    fs::create_dir_all(dir.join("corpus")).unwrap();
    fs::write(dir.join("corpus/a.txt"), CORPUS).unwrap();
    fs::write(dir.join(gazetteer), content).unwrap();
    let out = cotag(dir, &["run", "-q", "--force", "-g", gazetteer, "-o", "out", "corpus"]);
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), stderr(&out));
    read_mentions(&dir.join("out/mentions.csv"))
}

fn read_mentions(path: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, etype, surface, via) = (column("entity_id"), column("type"), column("surface"), column("via"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            format!("{} {} {} {}", &r[id], &r[etype], &r[surface], &r[via])
        })
        .collect()
}

#[test]
fn spacy_patterns_tag_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let patterns = concat!(
        r#"{"label": "ORG", "pattern": "WHO", "id": "who"}"#,
        "\n",
        r#"{"label": "ORG", "pattern": [{"LOWER": "world"}, {"LOWER": "health"}, {"LOWER": "organization"}], "id": "who"}"#,
        "\n",
        r#"{"label": "PERSON", "pattern": [{"ORTH": "Xi"}, {"ORTH": "Jinping"}]}"#,
        "\n",
        r#"{"label": "ORG", "pattern": [{"ORTH": "Coca"}, {"ORTH": "-"}, {"ORTH": "Cola"}]}"#,
        "\n",
        r#"{"label": "ORG", "pattern": [{"ORTH": "McDonald"}, {"ORTH": "'s"}]}"#,
        "\n",
    );
    let mentions = mentions_with(dir.path(), "patterns.jsonl", patterns);
    assert_eq!(
        mentions,
        [
            "who organization WHO name",
            "person:xi-jinping person Xi Jinping name",
            "who organization World Health Organization alias",
            "organization:coca-cola organization Coca-Cola name",
            "organization:mcdonald-s organization McDonald's name",
        ]
    );
}

#[test]
fn a_newsmap_dictionary_tags_countries_with_builtin_ids() {
    let dir = tempfile::tempdir().unwrap();
    let dictionary = "\
# Newsmap Geographical Dictionary in English
AFRICA:
  EAST:
    'KE': [Kenya, Kenyan*, Nairobi]
    'UG': [Uganda, Ugandan*, Kampala]
";
    let mentions = mentions_with(dir.path(), "english.yml", dictionary);
    assert_eq!(mentions, ["KEN country Kenyans demonym", "KEN country Nairobi alias", "KEN country Kenya name"]);
    // With the built-in set, the newsmap words join the built-in Kenya.
    let out =
        cotag(dir.path(), &["run", "-q", "--force", "-g", "builtin", "-g", "english.yml", "-o", "both", "corpus"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let both = read_mentions(&dir.path().join("both/mentions.csv"));
    assert!(both.contains(&"KEN country Nairobi alias".to_string()), "{both:?}");
}

#[test]
fn regexner_mappings_tag_the_corpus_as_txt_and_headerless_tsv() {
    let mapping = "World Health Organization\tORGANIZATION\tMISC\t1\nXi Jinping\tPERSON\nKenya\tCOUNTRY\tLOCATION\n";
    let expected = [
        "person:xi-jinping person Xi Jinping name",
        "organization:world-health-organization organization World Health Organization name",
        "country:kenya country Kenya name",
    ];
    for name in ["mapping.txt", "mapping.tsv"] {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(mentions_with(dir.path(), name, mapping), expected, "{name}");
    }
}

#[test]
fn a_regular_expression_stops_the_run_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("corpus")).unwrap();
    fs::write(dir.path().join("corpus/a.txt"), CORPUS).unwrap();
    fs::write(dir.path().join("bad.txt"), "Kenya\tCOUNTRY\nKen(ya|yan)\tCOUNTRY\n").unwrap();
    let out = cotag(dir.path(), &["run", "-q", "-g", "bad.txt", "corpus"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("bad.txt:2: pattern 'Ken(ya|yan)' is a regular expression"), "{message}");
    let check = cotag(dir.path(), &["gazetteer", "check", "bad.txt"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("bad.txt:2:"));
}

#[test]
fn export_from_writes_an_editable_gazetteer_that_tags_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let dictionary = "AFRICA:\n  EAST:\n    'KE': [Kenya, Kenyan*, Nairobi]\n";
    let direct = mentions_with(dir.path(), "english.yml", dictionary);
    let out = cotag(dir.path(), &["gazetteer", "export", "--from", "english.yml", "-o", "converted"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tsv = fs::read_to_string(dir.path().join("converted/english.tsv")).unwrap();
    assert!(tsv.contains("id\ttype\tname\talias\tkind\tcase\tsource\n"), "{tsv}");
    assert!(tsv.contains("KEN\tcountry\tKenya\tNairobi\talias\tsmart\tenglish.yml:3\n"), "{tsv}");
    let converted = cotag(dir.path(), &["run", "-q", "--force", "-g", "converted/english.tsv", "-o", "out2", "corpus"]);
    assert!(converted.status.success(), "{}", stderr(&converted));
    assert_eq!(read_mentions(&dir.path().join("out2/mentions.csv")), direct);
    // A source is never overwritten by its conversion.
    fs::write(dir.path().join("m.tsv"), "Kenya\tCOUNTRY\n").unwrap();
    let clash = cotag(dir.path(), &["gazetteer", "export", "--from", "m.tsv", "-o", "."]);
    assert_eq!(clash.status.code(), Some(2));
    assert_eq!(fs::read_to_string(dir.path().join("m.tsv")).unwrap(), "Kenya\tCOUNTRY\n");
}
