//! End-to-end tests of `cotag merge` (SPEC §5): shards merged give exactly
//! one run's tables, whatever the shard count, merge order or nesting; parts
//! that cannot be summed are refused with a message naming the part.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proptest::prelude::*;

const SMALL_GAZETTEER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/small.tsv");

/// The tables compared byte for byte.
const TABLES: &[&str] =
    &["documents.csv", "mentions.csv", "entities.csv", "cooccurrence.csv", "nodes.csv", "edges.csv", "network.gexf"];

/// Manifest fields that may differ between a run and a merge (SPEC §5).
const FREE_FIELDS: &[&str] = &["started", "finished", "elapsed_seconds", "command_line", "shard", "coverage"];

/// Words of the generated articles: aliases of `tests/data/small.tsv` and filler.
const WORDS: &[&str] = &[
    "Israel",
    "Israeli",
    "United States",
    "U.S.",
    "China",
    "Chinese",
    "Turkey",
    "Georgia",
    "Tbilisi",
    "Atlanta",
    "United Nations",
    "UN",
    "WHO",
    "Ivory Coast",
    "talks",
    "met",
    "with",
    "officials",
];

/// File name endings, so doc_ids need CSV quoting and are not ASCII.
const SUFFIXES: &[&str] = &["", ",x", " \"q\"", "-ü"];

fn run_in(dir: &Path, args: &[&str]) -> Output {
    fs::create_dir_all(dir).unwrap();
    Command::new(env!("CARGO_BIN_EXE_cotag")).current_dir(dir).args(args).output().expect("cotag runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_ok(out: &Output) {
    assert!(out.status.success(), "exit {:?}\nstderr: {}", out.status.code(), stderr(out));
}

/// Asserts exit 2 and a one-line message holding every one of `needles`.
fn assert_refused(out: &Output, needles: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in: {err}");
    }
}

fn write(path: &Path, content: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// One generated article.
#[derive(Debug, Clone)]
struct Doc {
    date: Option<(u32, u32, u32)>,
    /// Paragraphs of sentences of word indices.
    paragraphs: Vec<Vec<Vec<usize>>>,
    suffix: usize,
}

fn doc() -> impl Strategy<Value = Doc> {
    let sentence = prop::collection::vec(0..WORDS.len(), 1..8);
    let paragraph = prop::collection::vec(sentence, 1..4);
    (prop::option::of((2020u32..2023, 1u32..13, 1u32..29)), prop::collection::vec(paragraph, 1..3), 0..SUFFIXES.len())
        .prop_map(|(date, paragraphs, suffix)| Doc { date, paragraphs, suffix })
}

/// Writes the articles into dated folders under `root`, plus a file cotag skips.
fn write_corpus(root: &Path, docs: &[Doc]) {
    for (i, d) in docs.iter().enumerate() {
        let folder = match d.date {
            Some((y, m, day)) => format!("{y:04}/{m:02}/{day:02}"),
            None => "misc".to_string(),
        };
        let text: Vec<String> = d
            .paragraphs
            .iter()
            .map(|p| {
                p.iter()
                    .map(|s| s.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ") + ".")
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        write(&root.join(folder).join(format!("doc{i}{}.txt", SUFFIXES[d.suffix])), text.join("\n\n"));
    }
    write(&root.join("misc/notes.pdf"), "not an article");
}

/// `cotag run` over `corpus` with `options` into `dir/out` (run from `dir`,
/// so that the manifest's `out` is the same for every run compared).
fn run_part(dir: &Path, corpus: &Path, options: &[&str], extra: &[&str]) -> PathBuf {
    let mut args = vec!["run", corpus.to_str().unwrap(), "-g", SMALL_GAZETTEER, "-o", "out", "-q", "-j", "2"];
    args.extend_from_slice(options);
    args.extend_from_slice(extra);
    assert_ok(&run_in(dir, &args));
    dir.join("out")
}

/// `cotag merge` of `parts` into `dir/out`, from `dir`.
fn merge(dir: &Path, parts: &[PathBuf], extra: &[&str]) -> PathBuf {
    let mut args: Vec<&str> = vec!["merge", "-q", "-o", "out"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend_from_slice(extra);
    assert_ok(&run_in(dir, &args));
    dir.join("out")
}

/// The manifest without the fields that may differ.
fn manifest(dir: &Path) -> serde_json::Value {
    let mut m = read_manifest(dir);
    let map = m.as_object_mut().unwrap();
    for field in FREE_FIELDS {
        map.remove(*field);
    }
    m
}

/// Asserts that two output folders hold the same tables and manifest.
fn assert_same_output(expected: &Path, actual: &Path, what: &str) {
    for table in TABLES {
        let (e, a) = (fs::read(expected.join(table)), fs::read(actual.join(table)));
        let (e, a) =
            (e.unwrap_or_else(|err| panic!("{table}: {err}")), a.unwrap_or_else(|err| panic!("{table}: {err}")));
        assert!(
            e == a,
            "{what}: {table} differs\n--- expected\n{}\n--- actual\n{}",
            String::from_utf8_lossy(&e),
            String::from_utf8_lossy(&a)
        );
    }
    assert_eq!(manifest(expected), manifest(actual), "{what}: manifest.json");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Every shard run and merged equals one run, for N in {1, 2, 3, 8}, in
    /// any merge order and nested; the merged output is itself a whole part.
    #[test]
    fn shards_merged_equal_one_run(
        docs in prop::collection::vec(doc(), 1..12),
        by in prop::sample::select(vec!["none", "year", "month"]),
        window in prop::sample::select(vec!["document,sentence", "paragraph,tokens:3,document"]),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        write_corpus(&corpus, &docs);
        let options = ["--by", by, "-w", window];
        let single = run_part(&tmp.path().join("single"), &corpus, &options, &[]);
        for n in [1usize, 2, 3, 8] {
            let parts: Vec<PathBuf> = (0..n)
                .map(|i| run_part(&tmp.path().join(format!("n{n}/p{i}")), &corpus, &options, &["--shard", &format!("{i}/{n}")]))
                .collect();
            let flat = merge(&tmp.path().join(format!("n{n}/flat")), &parts, &["--expect-shards", &n.to_string()]);
            assert_same_output(&single, &flat, &format!("{n} shards"));
            let mut reversed = parts.clone();
            reversed.rotate_left(n / 2);
            reversed.reverse();
            let other = merge(&tmp.path().join(format!("n{n}/reversed")), &reversed, &[]);
            assert_same_output(&flat, &other, &format!("{n} shards, another order"));
            if n >= 2 {
                let left = merge(&tmp.path().join(format!("n{n}/left")), &parts[..n / 2], &[]);
                let right = merge(&tmp.path().join(format!("n{n}/right")), &parts[n / 2..], &[]);
                let nested = merge(&tmp.path().join(format!("n{n}/nested")), &[right, left], &["--expect-shards", &n.to_string()]);
                assert_same_output(&flat, &nested, &format!("{n} shards, nested"));
            }
        }
    }
}

/// A fixed corpus for the refusal tests.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    for i in 0..12 {
        let text = format!(
            "Israel and China met in Turkey.\n\nThe UN and WHO, with {}, talked.",
            if i % 2 == 0 { "Georgia" } else { "the United States" }
        );
        write(&corpus.join(format!("2022/0{}/0{}/a{i}.txt", 1 + i % 3, 1 + i % 5)), text);
    }
    (tmp, corpus)
}

/// The fixture and its two shards, run as `p0` and `p1`.
fn two_shards() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let (tmp, corpus) = fixture();
    let p0 = shard(tmp.path(), &corpus, "p0", 0, 2, &[]);
    let p1 = shard(tmp.path(), &corpus, "p1", 1, 2, &[]);
    (tmp, corpus, p0, p1)
}

/// Runs shard `i` of `n` of the fixture into `tmp/name`, with more options.
fn shard(tmp: &Path, corpus: &Path, name: &str, i: usize, n: usize, extra: &[&str]) -> PathBuf {
    run_part(&tmp.join(name), corpus, &[], &[&["--shard", &format!("{i}/{n}")], extra].concat())
}

fn merge_out(tmp: &Path, parts: &[&PathBuf], extra: &[&str]) -> Output {
    let mut args: Vec<&str> = vec!["merge", "-q", "-o", "merged"];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    args.extend_from_slice(extra);
    run_in(tmp, &args)
}

/// A copy of the output folder `part` at `to` (to edit its manifest).
fn copy_part(part: &Path, to: &Path) -> PathBuf {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(part).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
    to.to_path_buf()
}

/// The whole `manifest.json` of `part`.
fn read_manifest(part: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(part.join("manifest.json")).unwrap()).unwrap()
}

/// Writes `m` as `part`'s `manifest.json`.
fn write_manifest(part: &Path, m: &serde_json::Value) {
    fs::write(part.join("manifest.json"), serde_json::to_vec_pretty(m).unwrap()).unwrap();
}

/// Records `table`'s present size in `part`'s manifest, as if the table had
/// been edited without changing its size: the checks behind the size check
/// (headers, order, counts, row totals) then have their turn.
fn record_size(part: &Path, table: &str) {
    let mut m = read_manifest(part);
    let bytes = fs::metadata(part.join(table)).unwrap().len();
    assert!(m["tables"][table]["bytes"].is_u64(), "no size of {table} in {}", part.display());
    m["tables"][table]["bytes"] = serde_json::json!(bytes);
    write_manifest(part, &m);
}

#[test]
fn refuses_parts_made_differently_naming_part_and_reason() {
    let (tmp, corpus) = fixture();
    let t = tmp.path();
    let p0 = shard(t, &corpus, "p0", 0, 2, &[]);
    let cases: Vec<(&str, Vec<&str>, Vec<&str>)> = vec![
        ("window", vec!["-w", "sentence"], vec!["--window sentence", "document,sentence"]),
        ("by", vec!["--by", "year"], vec!["--by year", "none"]),
        ("demonyms", vec!["--no-demonyms"], vec!["--no-demonyms on"]),
        ("field", vec!["--text-field", "body"], vec!["--text-field body"]),
        ("mincount", vec!["--min-count", "2"], vec!["--min-count 2", "--min-count 1"]),
        ("nomentions", vec!["--no-mentions"], vec!["has no mentions.csv"]),
    ];
    for (name, options, needles) in cases {
        let p1 = shard(t, &corpus, name, 1, 2, &options);
        let out = merge_out(t, &[&p0, &p1], &[]);
        assert_refused(&out, &needles);
        assert!(stderr(&out).contains(&format!("{name}/out")), "{name}: names the part: {}", stderr(&out));
        assert!(!t.join("merged").exists(), "{name}: nothing written");
    }

    // Another gazetteer, by content: the same file name with one more alias.
    let other = t.join("gaz/small.tsv");
    let mut text = fs::read_to_string(SMALL_GAZETTEER).unwrap();
    text.push_str("TUR\tcountry\tTurkey\tTürkiye\talias\t\t\t\n");
    write(&other, text);
    let args = ["run", corpus.to_str().unwrap(), "-g", other.to_str().unwrap(), "-o", "out", "-q", "--shard", "1/2"];
    assert_ok(&run_in(&t.join("gaz1"), &args));
    assert_refused(&merge_out(t, &[&p0, &t.join("gaz1/out")], &[]), &["gaz1/out", "different gazetteers"]);

    // Another cotag version.
    let p1 = shard(t, &corpus, "p1", 1, 2, &[]);
    let old = copy_part(&p1, &t.join("old/out"));
    let manifest = fs::read_to_string(old.join("manifest.json")).unwrap();
    let version = format!("\"cotag_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(manifest.contains(&version));
    fs::write(old.join("manifest.json"), manifest.replace(&version, "\"cotag_version\": \"0.0.1\"")).unwrap();
    assert_refused(&merge_out(t, &[&p0, &old], &[]), &["old/out", "made by cotag 0.0.1"]);

    // Manifests edited to name a window twice (the CLI refuses that).
    let twice: Vec<PathBuf> = ["twice0", "twice1"]
        .iter()
        .zip([&p0, &p1])
        .map(|(name, part)| {
            let copy = copy_part(part, &t.join(name).join("out"));
            let mut m = read_manifest(&copy);
            assert_eq!(m["options"]["window"], serde_json::json!(["document", "sentence"]));
            m["options"]["window"] = serde_json::json!(["document", "document"]);
            write_manifest(&copy, &m);
            copy
        })
        .collect();
    assert_refused(&merge_out(t, &[&twice[0], &twice[1]], &[]), &["twice0/out", "window 'document' named twice"]);
    assert!(!t.join("merged").exists());

    // Not a part at all.
    assert_refused(&merge_out(t, &[&p0, &corpus], &[]), &["not a cotag output folder"]);
    assert_ok(&merge_out(t, &[&p0, &p1], &[]));
}

#[test]
fn refuses_overlaps_and_missing_shards() {
    let (tmp, corpus) = fixture();
    let t = tmp.path();
    let parts: Vec<PathBuf> = (0..4).map(|i| shard(t, &corpus, &format!("p{i}"), i, 4, &[])).collect();
    let again = shard(t, &corpus, "again", 2, 4, &[]);
    assert_refused(&merge_out(t, &[&parts[2], &parts[0], &again], &[]), &["again/out: overlaps", "shard 2/4"]);
    // A merged part still knows its shards.
    let half = merge(&t.join("half"), &parts[..3], &[]);
    assert_refused(&merge_out(t, &[&half, &again], &[]), &["again/out: overlaps", "half/out", "2/4"]);
    let manifest = read_manifest(&half);
    assert_eq!(manifest["shard"], "0,1,2/4");
    assert_eq!(manifest["coverage"][0]["shards"], serde_json::json!([0, 1, 2]));
    // A run without --shard holds every shard.
    let whole = run_part(&t.join("whole"), &corpus, &[], &[]);
    assert_refused(&merge_out(t, &[&whole, &parts[1]], &[]), &["p1/out", "whole/out"]);
    // The same folder written another way is the same corpus; a folder
    // inside it shares its files.
    let slashed = format!("{}/", corpus.display());
    let again_whole = run_part(&t.join("slashed"), Path::new(&slashed), &[], &[]);
    assert_refused(&merge_out(t, &[&whole, &again_whole], &[]), &["slashed/out: overlaps", "whole/out", "all of"]);
    // A folder inside it may hold files it did not (a later batch): merged, with a warning.
    let inner = run_part(&t.join("inner"), &corpus.join("2022/01"), &[], &[]);
    let out = run_in(t, &["merge", "-o", "nested", whole.to_str().unwrap(), inner.to_str().unwrap()]);
    assert_ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("cotag: warning: ") && said.contains("inner/out: its corpus"), "{said}");
    assert!(said.contains("share a folder") && said.contains("whole/out"), "{said}");
    let wider = shard(t, &corpus, "wider", 5, 8, &[]);
    assert_refused(&merge_out(t, &[&parts[0], &wider], &[]), &["wider/out", "shards of 8", "shards of 4"]);
    // --expect-shards: every shard must be there.
    assert_refused(
        &merge_out(t, &[&parts[0], &parts[1], &parts[3]], &["--expect-shards", "4"]),
        &["missing shards 2/4"],
    );
    assert_refused(&merge_out(t, &[&half], &["--expect-shards", "4"]), &["missing shards 3/4"]);
    assert_refused(
        &merge_out(t, &parts.iter().collect::<Vec<_>>(), &["--expect-shards", "8"]),
        &["--expect-shards is 8"],
    );
    assert!(!t.join("merged").exists());
    let all = merge(&t.join("all"), &[half, parts[3].clone()], &["--expect-shards", "4"]);
    assert_same_output(&whole, &all, "half plus the last shard");
    let manifest = read_manifest(&all);
    assert_eq!(manifest["shard"], serde_json::Value::Null, "whole again");
}

#[test]
fn min_count_applies_at_merge_time() {
    let (tmp, corpus) = fixture();
    let t = tmp.path();
    let parts: Vec<PathBuf> = (0..3).map(|i| shard(t, &corpus, &format!("p{i}"), i, 3, &[])).collect();
    let single = run_part(&t.join("single"), &corpus, &["--min-count", "7"], &[]);
    let merged = merge(&t.join("merged"), &parts, &["--min-count", "7"]);
    assert_same_output(&single, &merged, "--min-count 7");
    let rows = fs::read_to_string(merged.join("cooccurrence.csv")).unwrap();
    let counts: Vec<u64> = rows.lines().skip(1).map(|l| l.split(',').nth(8).unwrap().parse().unwrap()).collect();
    assert!(!counts.is_empty() && counts.iter().all(|&c| c >= 7), "{rows}");
    let unfiltered = merge(&t.join("unfiltered"), &parts, &[]);
    let all_rows = fs::read_to_string(unfiltered.join("cooccurrence.csv")).unwrap();
    assert!(all_rows.lines().count() > rows.lines().count(), "some pairs are below 7");
    // A part filtered at merge time cannot be merged again.
    let out = merge_out(t, &[&merged], &[]);
    assert_refused(&out, &["merged/out", "--min-count 7"]);
}

#[test]
fn a_later_batch_adds_to_a_merge() {
    let (tmp, corpus) = fixture();
    let t = tmp.path();
    let batch = t.join("batch2");
    write(&batch.join("2023/01/01/b.txt"), "China and Israel, and China and the UN.");
    write(&batch.join("2022/01/01/a0.txt"), "Turkey and Georgia.");
    let parts: Vec<PathBuf> = (0..2).map(|i| shard(t, &corpus, &format!("p{i}"), i, 2, &[])).collect();
    let first = merge(&t.join("first"), &parts, &[]);
    let later = run_part(&t.join("later"), &batch, &[], &[]);
    let both = merge(&t.join("both"), &[later.clone(), first.clone()], &[]);
    let args = ["run", corpus.to_str().unwrap(), batch.to_str().unwrap(), "-g", SMALL_GAZETTEER, "-o", "out", "-q"];
    assert_ok(&run_in(&t.join("single"), &args));
    // Tables as one run over both folders; the corpus roots are listed in
    // the order of the holdings, not of the command line.
    let single = t.join("single/out");
    let (mut expected, mut actual) = (manifest(&single), manifest(&both));
    for field in ["/corpus_roots", "/resolved_corpus/roots"] {
        let roots = actual.pointer_mut(field).unwrap().take();
        assert_eq!(roots.as_array().unwrap().len(), 2);
        for root in expected.pointer_mut(field).unwrap().take().as_array().unwrap() {
            assert!(roots.as_array().unwrap().contains(root), "{root} in {roots}");
        }
    }
    assert_eq!(expected, actual, "manifest.json");
    for table in TABLES {
        assert_eq!(fs::read(single.join(table)).unwrap(), fs::read(both.join(table)).unwrap(), "{table}");
    }
    // The batch cannot be added twice.
    assert_refused(&merge_out(t, &[&both, &later], &[]), &["later/out: overlaps", "both/out"]);
}

#[test]
fn output_folder_is_refused_unless_forced() {
    let (tmp, corpus) = fixture();
    let t = tmp.path();
    let p0 = shard(t, &corpus, "p0", 0, 1, &[]);
    assert_ok(&merge_out(t, &[&p0], &[]));
    assert_refused(&merge_out(t, &[&p0], &[]), &["already exists"]);
    assert_ok(&merge_out(t, &[&p0], &["--force"]));
    for table in TABLES {
        assert_eq!(fs::read(p0.join(table)).unwrap(), fs::read(t.join("merged").join(table)).unwrap(), "{table}");
    }
    // A part is never the folder replaced, even with --force.
    let before = fs::read(p0.join("entities.csv")).unwrap();
    let part = p0.to_str().unwrap();
    let into_part = run_in(t, &["merge", "-q", "-o", part, part, "--force"]);
    assert_refused(&into_part, &["holds the input"]);
    assert_eq!(fs::read(p0.join("entities.csv")).unwrap(), before);
}

/// A discovered person spelled two ways ("Ellen Johnson Sirleaf", "Ellen
/// Johnson-Sirleaf") has one id; a run names it by the smaller spelling, and
/// so does a merge of shards that each saw only some of the spellings.
#[test]
fn discovered_names_merge_as_in_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let corpus = t.join("corpus");
    for i in 0..12 {
        let name = if i % 3 == 0 { "Ellen Johnson Sirleaf" } else { "Ellen Johnson-Sirleaf" };
        write(
            &corpus.join(format!("2022/01/0{}/a{i}.txt", 1 + i % 4)),
            format!("President {name} met the UN in China."),
        );
    }
    let options = ["--discover"];
    let single = run_part(&t.join("single"), &corpus, &options, &[]);
    let entities = fs::read_to_string(single.join("entities.csv")).unwrap();
    assert!(entities.contains(",new:person:ellen-johnson-sirleaf,person,Ellen Johnson Sirleaf,12,"), "{entities}");
    let mut parts_disagree = false;
    for n in [2usize, 3, 4] {
        let parts: Vec<PathBuf> = (0..n)
            .map(|i| run_part(&t.join(format!("n{n}/p{i}")), &corpus, &options, &["--shard", &format!("{i}/{n}")]))
            .collect();
        parts_disagree |= parts
            .iter()
            .any(|p| fs::read_to_string(p.join("entities.csv")).unwrap().contains(",person,Ellen Johnson-Sirleaf,"));
        let merged = merge(&t.join(format!("n{n}/merged")), &parts, &["--expect-shards", &n.to_string()]);
        assert_same_output(&single, &merged, &format!("{n} shards with --discover"));
    }
    assert!(parts_disagree, "some shard saw only the hyphenated spelling");
}

/// u64::MAX, as a table would hold it.
const MAX: &str = "18446744073709551615";

/// `table` of `part` with the row whose first fields are `key` changed by
/// `edit` (given the row's fields).
fn edit_row(part: &Path, table: &str, key: &[&str], edit: impl Fn(&mut Vec<String>)) {
    let path = part.join(table);
    let text = fs::read_to_string(&path).unwrap();
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
            if fields.iter().zip(key).filter(|(f, k)| f == k).count() < key.len() {
                return line.to_string();
            }
            found = true;
            edit(&mut fields);
            fields.join(",")
        })
        .collect();
    assert!(found, "no row {key:?} in {}:\n{text}", path.display());
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    record_size(part, table);
}

/// Asserts that `out` was refused with `needles`, leaving neither the
/// output folder nor its staging folder behind in `tmp`.
fn assert_refused_leaving_nothing(tmp: &Path, out: &Output, needles: &[&str]) {
    assert_refused(out, needles);
    let left: Vec<String> = fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("merged"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// The parts' pair tables are read side by side; of two bad parts, the one
/// named first is reported, whichever was read first.
#[test]
fn of_two_bad_parts_the_first_named_is_reported() {
    let (tmp, _, p0, p1) = two_shards();
    let t = tmp.path();
    let bad0 = copy_part(&p0, &t.join("bad0/out"));
    let bad1 = copy_part(&p1, &t.join("bad1/out"));
    for part in [&bad0, &bad1] {
        edit_row(part, "cooccurrence.csv", &["document"], |f| f[8] = "many".to_string());
    }
    for (first, second, name) in [(&bad0, &bad1, "bad0"), (&bad1, &bad0, "bad1")] {
        let needle = format!("{name}/out/cooccurrence.csv:");
        assert_refused_leaving_nothing(t, &merge_out(t, &[first, second], &[]), &[&needle, "'many' is not a count"]);
    }
}

/// A count that sums past u64::MAX (only an edited table can hold one) is
/// refused, naming the table, line and entity, rather than wrapped: before,
/// `u64::MAX + 3` merged as 2 with exit 0.
#[test]
fn counts_that_overflow_when_summed_are_refused() {
    let (tmp, _, p0, p1) = two_shards();
    let t = tmp.path();
    assert_ok(&merge_out(t, &[&p0, &p1], &[]));
    fs::remove_dir_all(t.join("merged")).unwrap();

    let entities = copy_part(&p1, &t.join("entities/out"));
    edit_row(&entities, "entities.csv", &["all", "ISR"], |f| f[5] = MAX.to_string());
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &entities], &[]),
        &["entities/out/entities.csv:", "documents of ISR in period 'all'", "overflows", MAX],
    );

    let pairs = copy_part(&p1, &t.join("pairs/out"));
    edit_row(&pairs, "cooccurrence.csv", &["document", "all", "CHN", "ISR"], |f| f[8] = MAX.to_string());
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &pairs], &[]),
        &["pairs/out/cooccurrence.csv:", "count of CHN and ISR in window 'document', period 'all'", "overflows"],
    );
    let documents = copy_part(&p1, &t.join("documents/out"));
    edit_row(&documents, "cooccurrence.csv", &["sentence", "all", "CHN", "ISR"], |f| f[12] = MAX.to_string());
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &documents], &[]),
        &["documents/out/cooccurrence.csv:", "documents of CHN and ISR in window 'sentence'", "overflows"],
    );

    // The manifests' window totals, summed into `windows`.
    let totals = copy_part(&p1, &t.join("totals/out"));
    let mut m = read_manifest(&totals);
    m["totals"]["windows"]["all"]["sentences"] = serde_json::json!(u64::MAX);
    write_manifest(&totals, &m);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &totals], &[]),
        &["totals/out/manifest.json: totals: sentences of period 'all'", "overflows"],
    );
    // Each status's total fits, but not the documents of all statuses.
    m["totals"]["windows"]["all"]["sentences"] = serde_json::json!(1);
    m["totals"]["documents"]["skipped"] = serde_json::json!(u64::MAX);
    write_manifest(&totals, &m);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &totals], &[]),
        &["manifest.json: totals: documents of all statuses", "overflows"],
    );
}

/// With `--by`, `nodes.csv` and `network.gexf` add each entity's counts and
/// each edge's weight over the periods: sums that each period's check
/// cannot see, refused as well.
#[test]
fn sums_over_periods_that_overflow_are_refused() {
    let (tmp, corpus) = fixture();
    let t = tmp.path();
    let part = shard(t, &corpus, "p", 0, 1, &["--by", "month"]);
    let (jan, feb) = ("2022-01", "2022-02");
    assert!(fs::read_to_string(part.join("entities.csv")).unwrap().contains(&format!("{feb},ISR,")));

    let nodes = copy_part(&part, &t.join("nodes/out"));
    edit_row(&nodes, "entities.csv", &[jan, "ISR"], |f| f[4] = MAX.to_string());
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&nodes], &[]),
        &["entities.csv: mentions of ISR over all periods", "overflows", "nodes.csv"],
    );

    let edges = copy_part(&part, &t.join("edges/out"));
    edit_row(&edges, "cooccurrence.csv", &["document", jan, "CHN", "ISR"], |f| f[8] = MAX.to_string());
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&edges], &[]),
        &["cooccurrence.csv: count of CHN and ISR in window 'document' over all periods", "network.gexf"],
    );
    // Not the first window: no file adds its periods, and the count is written as it is.
    let sentence = copy_part(&part, &t.join("sentence/out"));
    edit_row(&sentence, "cooccurrence.csv", &["sentence", jan, "CHN", "ISR"], |f| f[8] = MAX.to_string());
    assert_ok(&merge_out(t, &[&sentence], &[]));
    let merged = fs::read_to_string(t.join("merged/cooccurrence.csv")).unwrap();
    assert!(merged.contains(&format!("sentence,{jan},CHN,ISR,country,country,China,Israel,{MAX},")), "{merged}");
}

/// A table whose header row is not this version's exactly (here replaced by
/// one other line) is refused, naming the part's file.
#[test]
fn tables_with_another_header_are_refused() {
    let (tmp, _, p0, p1) = two_shards();
    let t = tmp.path();
    let tables = ["documents.csv", "mentions.csv", "entities.csv", "cooccurrence.csv"];
    for (i, table) in tables.iter().enumerate() {
        // Another table's header, one line of data, one column renamed.
        let other_header = fs::read_to_string(p1.join(tables[(i + 1) % tables.len()])).unwrap();
        let text = fs::read_to_string(p1.join(table)).unwrap();
        let (header, rows) = text.split_once('\n').unwrap();
        let renamed = header.replacen(',', ",x", 1);
        for (n, line) in
            [other_header.lines().next().unwrap(), rows.lines().next().unwrap(), &renamed].iter().enumerate()
        {
            let part = copy_part(&p1, &t.join(format!("{table}-{n}/out")));
            fs::write(part.join(table), format!("{line}\n{rows}")).unwrap();
            record_size(&part, table);
            assert_refused_leaving_nothing(
                t,
                &merge_out(t, &[&p0, &part], &[]),
                &[&format!("{table}-{n}/out/{table}: unexpected header")],
            );
        }
    }
}

/// The lines of `part`'s `table`, the header first.
fn lines(part: &Path, table: &str) -> Vec<String> {
    fs::read_to_string(part.join(table)).unwrap().lines().map(str::to_string).collect()
}

/// Writes `lines` as `part`'s `table` (its new size recorded, so that the
/// row counts are what is checked).
fn write_lines(part: &Path, table: &str, lines: &[String]) {
    fs::write(part.join(table), lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    record_size(part, table);
}

/// A part whose `documents.csv` or `mentions.csv` lost or gained rows since
/// it was made is refused, naming the part and the table, as its rows are
/// counted against its manifest's totals: before, a table cut to its header
/// merged with exit 0, and the part's documents were missing from the
/// output. A merged part is checked by its own manifest the same way.
#[test]
fn tables_that_lost_or_gained_rows_are_refused() {
    let (tmp, corpus, p0, p1) = two_shards();
    let t = tmp.path();
    let (documents, mentions) = (lines(&p1, "documents.csv"), lines(&p1, "mentions.csv"));
    let (d, m) = (documents.len() - 1, mentions.len() - 1);
    assert!(d >= 2 && m >= 3, "{d} documents, {m} mentions");
    let counts = |n: usize, what: &str| format!("but its manifest.json counts {n} {what}");

    let cut = copy_part(&p1, &t.join("cut/out"));
    write_lines(&cut, "documents.csv", &documents[..1]);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &cut], &[]),
        &["part ", "cut/out: documents.csv holds 0 rows", &counts(d, "documents"), "incomplete or was changed"],
    );

    let lost = copy_part(&p1, &t.join("lost/out"));
    let mut fewer = mentions.clone();
    fewer.remove(m / 2 + 1);
    write_lines(&lost, "mentions.csv", &fewer);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&lost, &p0], &[]),
        &[&format!("lost/out: mentions.csv holds {} rows", m - 1), &counts(m, "mentions")],
    );

    // A row copied stays in order, but is one row too many.
    let copied = copy_part(&p1, &t.join("copied/out"));
    let mut more = documents.clone();
    more.insert(2, documents[1].clone());
    write_lines(&copied, "documents.csv", &more);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &copied], &[]),
        &[&format!("copied/out: documents.csv holds {} rows", d + 1), &counts(d, "documents")],
    );
    let copied = copy_part(&p1, &t.join("copied-mention/out"));
    let mut more = mentions.clone();
    more.insert(m, mentions[m].clone());
    write_lines(&copied, "mentions.csv", &more);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &copied], &[]),
        &[&format!("copied-mention/out: mentions.csv holds {} rows", m + 1), &counts(m, "mentions")],
    );

    // The manifest changed instead of the table.
    let counted = copy_part(&p1, &t.join("counted/out"));
    let mut manifest = read_manifest(&counted);
    manifest["totals"]["documents"]["error"] = serde_json::json!(1);
    write_manifest(&counted, &manifest);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &counted], &[]),
        &[&format!("counted/out: documents.csv holds {d} rows"), &counts(d + 1, "documents")],
    );

    // A table lost whole: not a part run with --no-mentions.
    let gone = copy_part(&p1, &t.join("gone/out"));
    fs::remove_file(gone.join("mentions.csv")).unwrap();
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &gone], &[]),
        &["gone/out: mentions.csv is missing", "not run with --no-mentions", &format!("counts {m} mentions")],
    );
    // Nor may a part run with --no-mentions gain one.
    let q0 = shard(t, &corpus, "q0", 0, 2, &["--no-mentions"]);
    let q1 = shard(t, &corpus, "q1", 1, 2, &["--no-mentions"]);
    assert!(!q1.join("mentions.csv").exists());
    assert_ok(&merge_out(t, &[&q0, &q1], &[]));
    fs::remove_dir_all(t.join("merged")).unwrap();
    let stray = copy_part(&q1, &t.join("stray/out"));
    fs::copy(p1.join("mentions.csv"), stray.join("mentions.csv")).unwrap();
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&q0, &stray], &[]),
        &["stray/out: holds a mentions.csv", "run with --no-mentions"],
    );

    // A merged part, nested into another merge.
    let half = merge(&t.join("half"), std::slice::from_ref(&p0), &[]);
    let whole = merge(&t.join("whole"), &[half.clone(), p1.clone()], &[]);
    let cut = copy_part(&half, &t.join("half-cut/out"));
    write_lines(&cut, "documents.csv", &lines(&half, "documents.csv")[..1]);
    assert_refused_leaving_nothing(t, &merge_out(t, &[&cut, &p1], &[]), &["half-cut/out: documents.csv holds 0 rows"]);

    // The honest parts still merge, as one run would.
    let merged = merge(&t.join("honest"), &[p0, p1], &[]);
    let single = run_part(&t.join("single"), &corpus, &[], &[]);
    assert_same_output(&single, &merged, "after the refusals");
    assert_same_output(&single, &whole, "nested");
}

/// A part's manifest records the size of each table; a table of another
/// size is refused before anything is read, naming the part and table: a
/// `cooccurrence.csv` or `entities.csv` cut at a row boundary (by a copy
/// that stopped) was merged with exit 0 before, its last pairs missing
/// from the output, as those tables have no row totals to count against.
/// A part whose manifest records no sizes (an older version's) is not
/// checked; a merged part records its own.
#[test]
fn tables_of_another_size_than_recorded_are_refused() {
    let (tmp, corpus, p0, p1) = two_shards();
    let t = tmp.path();
    let size = |part: &Path, table: &str| fs::metadata(part.join(table)).unwrap().len();

    let pairs = lines(&p1, "cooccurrence.csv");
    assert!(pairs.len() > 3, "{pairs:?}");
    let cut = copy_part(&p1, &t.join("cut/out"));
    let kept = pairs[..pairs.len() - 1].iter().map(|l| format!("{l}\n")).collect::<String>();
    fs::write(cut.join("cooccurrence.csv"), &kept).unwrap();
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &cut], &[]),
        &[
            "part ",
            "cut/out: cooccurrence.csv holds ",
            &format!("{} bytes, but its manifest.json records {} bytes", kept.len(), size(&p1, "cooccurrence.csv")),
            "changed since the part was made",
        ],
    );

    // Saved again by a spreadsheet: the same rows, with CRLF line ends.
    let saved = copy_part(&p1, &t.join("saved/out"));
    let crlf = fs::read_to_string(p1.join("entities.csv")).unwrap().replace('\n', "\r\n");
    fs::write(saved.join("entities.csv"), crlf).unwrap();
    assert_refused_leaving_nothing(t, &merge_out(t, &[&saved, &p0], &[]), &["saved/out: entities.csv holds "]);

    // A table the manifest records, gone.
    let gone = copy_part(&p1, &t.join("gone/out"));
    fs::remove_file(gone.join("entities.csv")).unwrap();
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &gone], &[]),
        &["gone/out: entities.csv is missing", &format!("records {} bytes", size(&p1, "entities.csv"))],
    );

    // A manifest that lost a size it should hold was changed.
    let unlisted = copy_part(&p1, &t.join("unlisted/out"));
    let mut m = read_manifest(&unlisted);
    m["tables"].as_object_mut().unwrap().remove("documents.csv");
    write_manifest(&unlisted, &m);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &unlisted], &[]),
        &["unlisted/out: its manifest.json records no size for documents.csv"],
    );

    // A manifest without sizes, as older versions wrote, is not checked:
    // the cut table merges, its lost pair missing.
    m.as_object_mut().unwrap().remove("tables");
    let older = copy_part(&cut, &t.join("older/out"));
    write_manifest(&older, &m);
    assert_ok(&merge_out(t, &[&p0, &older], &[]));
    fs::remove_dir_all(t.join("merged")).unwrap();

    // A merged part records the sizes of its own tables, and is checked by them.
    let half = merge(&t.join("half"), std::slice::from_ref(&p1), &[]);
    let recorded = manifest(&half)["tables"].clone();
    for table in TABLES {
        assert_eq!(recorded[*table]["bytes"], size(&half, table), "{table}");
    }
    let half_cut = copy_part(&half, &t.join("half-cut/out"));
    fs::write(half_cut.join("cooccurrence.csv"), &kept).unwrap();
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&p0, &half_cut], &[]),
        &["half-cut/out: cooccurrence.csv holds "],
    );
    let merged = merge(&t.join("honest"), &[p0, half], &[]);
    assert_same_output(&run_part(&t.join("single"), &corpus, &[], &[]), &merged, "with sizes checked");
}

/// One folder named two ways (`../corpus` from one folder, its absolute
/// path from another) is one corpus, as the manifests record the resolved
/// paths: a shard both parts hold is refused as an overlap, where before it
/// merged and was counted twice; the other shard completes it.
#[test]
fn one_folder_written_two_ways_is_one_corpus() {
    let (tmp, corpus) = fixture();
    let t = tmp.path();
    let relative = run_part(&t.join("rel"), Path::new("../corpus"), &[], &["--shard", "0/2"]);
    assert_eq!(manifest(&relative)["corpus_roots"], serde_json::json!(["../corpus"]));
    let absolute0 = shard(t, &corpus, "abs0", 0, 2, &[]);
    let absolute1 = shard(t, &corpus, "abs1", 1, 2, &[]);
    assert_refused_leaving_nothing(
        t,
        &merge_out(t, &[&relative, &absolute0], &[]),
        &["abs0/out: overlaps ", "both hold shard 0/2 of corpus ", "(written ../corpus in ", "the same folders"],
    );
    let merged = merge(&t.join("m"), &[relative, absolute1], &["--expect-shards", "2"]);
    let single = run_part(&t.join("single"), &corpus, &[], &[]);
    for table in TABLES.iter().filter(|&&t| t != "documents.csv") {
        assert_eq!(fs::read(single.join(table)).unwrap(), fs::read(merged.join(table)).unwrap(), "{table}");
    }
    // The `source` column names each file as its part's run wrote it.
    let without_source = |part: &Path| -> Vec<String> {
        let rows = lines(part, "documents.csv");
        rows.iter().map(|l| l.split(',').enumerate().filter(|(i, _)| *i != 1).map(|(_, f)| f).collect()).collect()
    };
    assert_eq!(without_source(&single), without_source(&merged));
    assert!(lines(&merged, "documents.csv").iter().any(|l| l.contains(",../corpus/")));
    assert_eq!(manifest(&merged)["resolved_corpus"], manifest(&single)["resolved_corpus"]);
}

/// A corpus may repeat a doc_id (a JSONL id in several files, a line given
/// twice): one run keeps every such row, so rows that share a doc_id, in one
/// part or across parts, are no sign of a broken part, and shards merge to
/// the run's bytes.
#[test]
fn repeated_doc_ids_merge_as_in_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let corpus = t.join("corpus");
    for i in 0..6 {
        let mut text = format!("{{\"id\":\"1\",\"text\":\"Israel and China met in Turkey, {i} times.\"}}\n");
        if i == 0 {
            text = text.repeat(2);
        }
        write(&corpus.join(format!("f{i}.jsonl")), text);
    }
    let single = run_part(&t.join("single"), &corpus, &[], &[]);
    let documents = lines(&single, "documents.csv");
    assert_eq!(documents.len(), 8, "{documents:?}");
    assert_eq!(documents[1], documents[2], "the line given twice");
    let mut shared = false;
    for n in [2usize, 3] {
        let parts: Vec<PathBuf> = (0..n)
            .map(|i| run_part(&t.join(format!("n{n}/p{i}")), &corpus, &[], &["--shard", &format!("{i}/{n}")]))
            .collect();
        shared |= parts.iter().filter(|p| lines(p, "documents.csv").len() > 1).count() > 1;
        let merged = merge(&t.join(format!("n{n}/merged")), &parts, &["--expect-shards", &n.to_string()]);
        assert_same_output(&single, &merged, &format!("{n} shards"));
    }
    assert!(shared, "some parts share doc_id 1");
    // Without -q, the merge says what the run says: documents share a doc_id.
    let parts = [t.join("n2/p0/out"), t.join("n2/p1/out")];
    let out = run_in(t, &["merge", "-o", "said", parts[0].to_str().unwrap(), parts[1].to_str().unwrap()]);
    assert_ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("cotag: warning: 1 doc_id is shared by several documents (first: '1'"), "{said}");
}
