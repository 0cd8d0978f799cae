//! Gazetteer faults, end to end through the binary (SPEC §3, issue 7): every
//! rule a gazetteer can break stops `cotag run` before any work with exit 2,
//! one line `cotag: FILE:LINE: message` on stderr, nothing on stdout and no
//! output (nor staging) folder; what is only odd (a byte-order mark, CRLF
//! line ends, a repeated row) lets the run go on. `cotag gazetteer check`
//! reports the same errors and exits 1.
//!
//! The parser's unit tests (`src/gazetteer/parse.rs`) cover the rules one by
//! one too; these check what a user sees.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// The header with every column of SPEC §3.
const HEADER: &str = "id\ttype\tname\talias\tkind\tcase\tfrom\tto\n";

fn cotag() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cotag"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A folder holding `corpus/a.txt` and the gazetteer files given.
fn setup(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(&corpus).unwrap();
    fs::write(corpus.join("a.txt"), "Israel, Xland and Yland met in Zity.").unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

/// Runs `cotag run corpus -g G...` in `dir`.
fn run(dir: &Path, gazetteers: &[&str]) -> Output {
    let mut cmd = cotag();
    cmd.current_dir(dir).args(["run", "corpus"]);
    for g in gazetteers {
        cmd.args(["-g", g]);
    }
    let out = cmd.output().unwrap();
    assert_ne!(out.status.code(), Some(101), "panic: {}", stderr(&out));
    out
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A gazetteer file `g.tsv` with `content` must stop the run with exactly
/// `cotag: MESSAGE`, exit 2, and leave nothing; `gazetteer check` must
/// report the same message and exit 1.
fn refused(content: &[u8], message: &str) {
    refused_files(&[("g.tsv", content)], &["g.tsv"], message);
}

/// [`refused`] for several files.
fn refused_files(files: &[(&str, &[u8])], gazetteers: &[&str], message: &str) {
    let dir = setup(files);
    let before = names(dir.path());
    let out = run(dir.path(), gazetteers);
    assert_eq!(out.status.code(), Some(2), "stderr: {}", stderr(&out));
    assert_eq!(stderr(&out), format!("cotag: {message}\n"));
    assert!(out.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(names(dir.path()), before, "no output folder, no staging folder");

    let check = cotag().current_dir(dir.path()).args(["gazetteer", "check"]).args(gazetteers).output().unwrap();
    assert_eq!(check.status.code(), Some(1), "gazetteer check: {}", stderr(&check));
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(report.contains(message), "gazetteer check does not report '{message}':\n{report}");
}

/// A run that goes on: exit 0, the tables written, and stderr as returned.
fn accepted(files: &[(&str, &[u8])], gazetteers: &[&str]) -> (tempfile::TempDir, String) {
    let dir = setup(files);
    let out = run(dir.path(), gazetteers);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(dir.path().join("out/documents.csv").exists());
    (dir, stderr(&out))
}

/// The entity ids tagged in `corpus/a.txt`, in text order.
fn tagged(dir: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(dir.join("out/mentions.csv")).unwrap();
    reader.records().map(|r| r.unwrap()[7].to_string()).collect()
}

fn row(cells: &str) -> String {
    format!("{HEADER}{cells}\n")
}

// --- Missing and bad columns -------------------------------------------------

#[test]
fn a_missing_required_column() {
    for (missing, header) in [
        ("id", "type\tname\talias"),
        ("type", "id\tname\talias"),
        ("name", "id\ttype\talias"),
        ("alias", "id\ttype\tname"),
    ] {
        let cells = header.replace(['\t'], ", ");
        let content = format!("{header}\nx\ty\tz\n");
        let message = format!(
            "g.tsv:1: missing column '{missing}' (a gazetteer needs a header row with id, type, name, alias; found: {cells})"
        );
        refused(content.as_bytes(), &message);
    }
}

#[test]
fn a_misspelled_header_is_reported_as_such() {
    // `aliases` for `alias`: the header names cotag's columns, so it is read
    // as a cotag gazetteer and the missing column is reported.
    refused(
        b"# comments first are fine\nid\ttype\tname\taliases\nISR\tcountry\tIsrael\tIsrael\n",
        "g.tsv:2: missing column 'alias' (a gazetteer needs a header row with id, type, name, alias; found: id, type, name, aliases)",
    );
}

#[test]
fn a_header_with_an_empty_or_repeated_column() {
    refused(b"id\ttype\t\tname\talias\n", "g.tsv:1: header column 3 is empty");
    refused(b"id\ttype\tname\talias\tname\n", "g.tsv:1: header names column 'name' twice");
}

#[test]
fn a_row_with_the_wrong_number_of_columns() {
    refused(row("ISR\tcountry\tIsrael\tIsrael\tname\t\t").as_bytes(), "g.tsv:2: 7 columns, but the header has 8");
    refused(
        row("ISR\tcountry\tIsrael\tIsrael\tname\t\t\t\textra").as_bytes(),
        "g.tsv:2: 9 columns, but the header has 8",
    );
}

// --- Empty values --------------------------------------------------------------

#[test]
fn an_empty_alias() {
    refused(row("X\tcountry\tXland\t\t\t\t\t").as_bytes(), "g.tsv:2: empty alias for id 'X'");
    // Blank is empty: spaces are trimmed.
    refused(row("X\tcountry\tXland\t   \t\t\t\t").as_bytes(), "g.tsv:2: empty alias for id 'X'");
}

#[test]
fn an_empty_id_type_or_name() {
    refused(row("\tcountry\tXland\tXland\t\t\t\t").as_bytes(), "g.tsv:2: empty id");
    refused(row("X\t\tXland\tXland\t\t\t\t").as_bytes(), "g.tsv:2: empty type for id 'X'");
    refused(row("X\tcountry\t\tXland\t\t\t\t").as_bytes(), "g.tsv:2: empty name for id 'X'");
}

#[test]
fn an_alias_that_can_never_be_a_word() {
    refused(
        row("X\tcountry\tXland\t--\t\t\t\t").as_bytes(),
        "g.tsv:2: alias '--' has no letter or digit, so it can never be a whole word",
    );
}

// --- One name and one type per id --------------------------------------------------

#[test]
fn an_id_with_two_names() {
    let content = format!("{HEADER}X\tcountry\tXland\tXland\t\t\t\t\nX\tcountry\tExland\tXlandia\t\t\t\t\n");
    refused(content.as_bytes(), "g.tsv:3: id 'X' has name 'Exland' here but 'Xland' at g.tsv:2");
}

#[test]
fn an_id_with_two_types() {
    let content = format!("{HEADER}X\tcountry\tXland\tXland\t\t\t\t\nX\tstate\tXland\tXlandia\t\t\t\t\n");
    refused(content.as_bytes(), "g.tsv:3: id 'X' has type 'state' here but 'country' at g.tsv:2");
}

#[test]
fn an_id_with_two_names_across_files() {
    let one = row("X\tcountry\tXland\tXland\t\t\t\t");
    let two = format!("# second file\n{HEADER}\nX\tcountry\tXland Republic\tXlandia\t\t\t\t\n");
    refused_files(
        &[("one.tsv", one.as_bytes()), ("two.tsv", two.as_bytes())],
        &["one.tsv", "two.tsv"],
        "two.tsv:4: id 'X' has name 'Xland Republic' here but 'Xland' at one.tsv:2",
    );
}

#[test]
fn an_id_of_the_builtin_set_redefined() {
    // `-g builtin -g mine.tsv` extends the built-in set: an id it already has
    // must keep its name.
    let mine = "id\ttype\tname\talias\nISR\tcountry\tState of Israel\tEretz Israel\n";
    let dir = setup(&[("mine.tsv", mine.as_bytes())]);
    let out = run(dir.path(), &["builtin", "mine.tsv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("cotag: mine.tsv:2: id 'ISR' has name 'State of Israel' here but 'Israel' at builtin:"),
        "{err}"
    );
    assert_eq!(names(dir.path()), ["corpus", "mine.tsv"]);
}

// --- kind, case, dates ------------------------------------------------------------

#[test]
fn an_unknown_kind() {
    refused(
        row("X\tcountry\tXland\tXland\tnickname\t\t\t").as_bytes(),
        "g.tsv:2: unknown kind 'nickname' (expected name, alias, acronym, demonym, surname or title)",
    );
}

#[test]
fn an_unknown_case() {
    refused(
        row("X\tcountry\tXland\tXland\t\tupper\t\t").as_bytes(),
        "g.tsv:2: unknown case 'upper' (expected exact, smart or any)",
    );
}

#[test]
fn an_invalid_date() {
    for (from, to, column, bad) in [
        ("2020-02-30", "", "from", "2020-02-30"),
        ("", "31/12/2020", "to", "31/12/2020"),
        ("2020-13-01", "", "from", "2020-13-01"),
        ("", "soon", "to", "soon"),
    ] {
        let content = row(&format!("X\tperson\tX Y\tX Y\tname\t\t{from}\t{to}"));
        let message = format!("g.tsv:2: bad date '{bad}' in column '{column}' (expected YYYY-MM-DD)");
        refused(content.as_bytes(), &message);
    }
}

#[test]
fn a_term_that_ends_before_it_starts() {
    refused(
        row("X\tperson\tX Y\tX Y\tname\t\t2020-01-01\t2019-12-31").as_bytes(),
        "g.tsv:2: 'from' 2020-01-01 is after 'to' 2019-12-31",
    );
}

// --- Files that are not gazetteers -------------------------------------------------

#[test]
fn an_empty_file() {
    refused(b"", "g.tsv: empty gazetteer: no header row (id, type, name, alias)");
    refused(b"# only a comment\n\n", "g.tsv: empty gazetteer: no header row (id, type, name, alias)");
}

#[test]
fn invalid_utf8() {
    refused(
        b"id\ttype\tname\talias\nX\tcountry\tXland\tXl\xe4nd\n",
        "g.tsv:2: invalid UTF-8 (gazetteers must be UTF-8)",
    );
}

#[test]
fn a_missing_file_or_an_empty_folder() {
    let dir = setup(&[("empty/README.md", b"no gazetteer here")]);
    let out = run(dir.path(), &["nope.tsv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "cotag: nope.tsv: cannot read: No such file or directory (os error 2)\n");
    let out = run(dir.path(), &["empty"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err, "cotag: empty: folder holds no gazetteer (.tsv, .jsonl, .yml or .yaml)\n");
    assert_eq!(names(dir.path()), ["corpus", "empty"]);
}

/// `gazetteer check` lists the findings of the files it can read, then
/// names those it cannot, exit 2: before, a missing path stopped it before
/// any finding of the others was shown.
#[test]
fn a_check_with_a_missing_path_still_lists_the_other_findings() {
    let dir = setup(&[("bad.tsv", b"id\ttype\tname\talias\nX\t\tY\tZ\n")]);
    let check = cotag().current_dir(dir.path()).args(["gazetteer", "check", "nope.tsv", "bad.tsv"]).output().unwrap();
    assert_eq!(check.status.code(), Some(2), "stderr: {}", stderr(&check));
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(report.contains("error[invalid]: bad.tsv:2: empty type for id 'X'"), "{report}");
    assert_eq!(stderr(&check), "cotag: nope.tsv: cannot read: No such file or directory (os error 2)\n");
}

#[test]
fn a_file_without_any_header() {
    // Data rows with no header row at all: not a cotag gazetteer (a `.tsv`
    // without cotag's header is read as a CoreNLP RegexNER file), and not a
    // valid mapping either. The run stops at line 1, whatever the reading.
    let dir = setup(&[("g.tsv", b"ISR\tcountry\tIsrael\tIsrael\tname\t\t\t\n")]);
    let out = run(dir.path(), &["g.tsv"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("cotag: g.tsv:1: "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(names(dir.path()), ["corpus", "g.tsv"]);
}

#[test]
fn the_first_error_stops_the_run_and_check_lists_them_all() {
    let content = format!(
        "{HEADER}X\tcountry\tXland\t\t\t\t\t\nY\tcountry\tYland\tYland\tnick\t\t\t\nZ\tcity\tZity\tZity\t\t\t2020-02-30\t\n"
    );
    let dir = setup(&[("g.tsv", content.as_bytes())]);
    let out = run(dir.path(), &["g.tsv"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "cotag: g.tsv:2: empty alias for id 'X'\n");
    let check = cotag().current_dir(dir.path()).args(["gazetteer", "check", "g.tsv"]).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let report = String::from_utf8_lossy(&check.stdout);
    for line in ["g.tsv:2: empty alias", "g.tsv:3: unknown kind 'nick'", "g.tsv:4: bad date '2020-02-30'"] {
        assert!(report.contains(line), "missing '{line}' in:\n{report}");
    }
}

/// A folder's files are read several at once but added in path order: the
/// run stops at the first error in that order, and a name given twice is
/// reported against the file before it, whatever file was parsed first.
#[test]
fn a_folder_reports_its_first_error_in_path_order() {
    let good = |id: &str, name: &str| row(&format!("{id}\tcountry\t{name}\t{name}\t\t\t\t"));
    let a = good("X", "Xland");
    let b = good("V", "Vland");
    let c = row("Y\tcountry\tYland\t\t\t\t\t");
    let d = row("Z\tcountry\tZland\tZland\tnick\t\t\t");
    let e = good("X", "Xland Republic");
    let f = good("W", "Wland");
    let files: [(&str, &[u8]); 6] = [
        ("gaz/e.tsv", e.as_bytes()),
        ("gaz/a.tsv", a.as_bytes()),
        ("gaz/sub/f.tsv", f.as_bytes()),
        ("gaz/d.tsv", d.as_bytes()),
        ("gaz/b.tsv", b.as_bytes()),
        ("gaz/c.tsv", c.as_bytes()),
    ];
    refused_files(&files, &["gaz"], "gaz/c.tsv:2: empty alias for id 'Y'");
    let dir = setup(&files);
    let check = cotag().current_dir(dir.path()).args(["gazetteer", "check", "gaz"]).output().unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    let found: Vec<usize> =
        ["gaz/c.tsv:2: empty alias", "gaz/d.tsv:2: unknown kind 'nick'", "gaz/e.tsv:2: id 'X' has name"]
            .iter()
            .map(|line| report.find(line).unwrap_or_else(|| panic!("missing '{line}' in:\n{report}")))
            .collect();
    assert!(found.windows(2).all(|w| w[0] < w[1]), "findings out of path order:\n{report}");
    assert!(report.contains("at gaz/a.tsv:2"), "{report}");
}

// --- What is accepted ---------------------------------------------------------------

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_accepted() {
    let content = "\u{feff}id\ttype\tname\talias\r\nX\tcountry\tXland\tXland\r\nY\tcountry\tYland\tYland\r\n";
    let (dir, _) = accepted(&[("g.tsv", content.as_bytes())], &["g.tsv"]);
    // The BOM is not part of `id`, and no alias ends with `\r`.
    assert_eq!(tagged(dir.path()), ["X", "Y"]);
}

#[test]
fn a_duplicate_row_is_a_warning_and_the_run_goes_on() {
    let content = format!(
        "{HEADER}X\tcountry\tXland\tXland\t\t\t\t\nY\tcountry\tYland\tYland\t\t\t\t\nX\tcountry\tXland\tXland\t\t\t\t\n"
    );
    let (dir, err) = accepted(&[("g.tsv", content.as_bytes())], &["g.tsv"]);
    assert!(
        err.contains("cotag: warning: g.tsv:4: duplicate row: id 'X' already has alias 'Xland' at line 2\n"),
        "stderr: {err}"
    );
    assert_eq!(tagged(dir.path()), ["X", "Y"], "the repeated row adds nothing");
    // With -q the warning is not shown, and the run is the same.
    let quiet =
        cotag().current_dir(dir.path()).args(["run", "corpus", "-g", "g.tsv", "-q", "-o", "q"]).output().unwrap();
    assert_eq!(quiet.status.code(), Some(0));
    assert!(quiet.stderr.is_empty(), "{}", stderr(&quiet));
    // gazetteer check: a warning only, exit 0.
    let check = cotag().current_dir(dir.path()).args(["gazetteer", "check", "g.tsv"]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    assert!(String::from_utf8_lossy(&check.stdout).contains("duplicate row"));
}

#[test]
fn optional_columns_in_any_order_and_extra_columns() {
    // Columns by name, not position; unknown columns are ignored; an empty
    // optional value means its default.
    let content = "wikidata\talias\tcase\tname\tid\tsource\ttype\tkind\n\
                   Q1\tXland\t\tXland\tX\tme\tcountry\t\n\
                   Q2\tYLAND\tany\tYland\tY\tme\tcountry\tacronym\n";
    let (dir, _) = accepted(&[("g.tsv", content.as_bytes())], &["g.tsv"]);
    assert_eq!(tagged(dir.path()), ["X", "Y"], "'Yland' matches YLAND with case any");
}
