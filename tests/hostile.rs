//! The hostile corpus (issue 7): inputs that a researcher's real corpus holds
//! sooner or later, generated here at run time (no binary file is
//! committed). For each one, `documents.csv` must say what happened (status
//! and detail), the binary must never panic (exit 101), the rest of the corpus
//! must still be read, and `--strict` must exit 1.
//!
//! The two big inputs (a 200 MB single-line text file, a 100 MB JSONL line)
//! take about a minute in a debug build, so a debug build uses a tenth of
//! the size unless `COTAG_HOSTILE_FULL=1` is set; a release build always
//! uses the full size. `.ci/run` runs them at full size.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cotag::corpus::{list_inputs, read_input, InputFile, ReadOptions};
use cotag::document::{Document, Status};

const SMALL_GAZETTEER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/small.tsv");

/// The control document every hostile corpus also holds: if it is in
/// `documents.csv` with its two mentions, the rest of the corpus was read.
const GOOD: &str = "Israel and China met.";

fn cotag() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cotag"));
    // The size limits of a test must come from the test alone.
    cmd.env_remove("COTAG_MAX_DECOMPRESSED_BYTES").env_remove("COTAG_MAX_DOCUMENT_BYTES");
    cmd
}

fn write(path: &Path, content: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// No panic: exit code 101 is Rust's panic exit, and the message says so.
fn assert_no_panic(out: &Output) {
    let err = stderr(out);
    assert_ne!(out.status.code(), Some(101), "cotag panicked: {err}");
    assert!(!err.contains("panicked"), "cotag panicked: {err}");
    assert!(out.status.code().is_some(), "cotag was killed by a signal: {:?}", out.status);
}

/// One row of a table, by column name.
type Row = BTreeMap<String, String>;

fn table(path: &Path) -> Vec<Row> {
    // `csv` reading into `String`s also checks that the table is valid UTF-8.
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

/// A corpus in a temporary folder: `corpus/` holds the hostile files and the
/// control document `good.txt`; tables go to `out/`.
struct Corpus {
    dir: tempfile::TempDir,
}

impl Corpus {
    fn new() -> Corpus {
        let corpus = Corpus { dir: tempfile::tempdir().unwrap() };
        corpus.file("good.txt", GOOD);
        corpus
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    fn file(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(rel);
        write(&path, content);
        path
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Runs `cotag run corpus -q -g small.tsv` with `args` and `env`.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let out = cotag()
            .current_dir(self.dir.path())
            .args(["run", "corpus", "-q", "-g", SMALL_GAZETTEER])
            .args(args)
            .envs(env.iter().copied())
            .output()
            .expect("cotag runs");
        assert_no_panic(&out);
        out
    }

    /// The whole check: a run succeeds (exit 0) with the control document
    /// read and tagged, a `--strict` run exits 1 when any document is not
    /// `ok` (else 0) and writes the same tables, and the `documents.csv` rows
    /// come back by doc_id.
    fn check(&self, env: &[(&str, &str)]) -> BTreeMap<String, Row> {
        self.check_with(env, true)
    }

    /// [`Corpus::check`], without the `--strict` run when `strict` is false
    /// (for the big inputs, where a second run would double a long test).
    fn check_with(&self, env: &[(&str, &str)], strict: bool) -> BTreeMap<String, Row> {
        let out = self.run(&[], env);
        assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
        let rows = table(&self.out().join("documents.csv"));
        if strict {
            let all_ok = rows.iter().all(|r| r["status"] == "ok");
            let strict = self.run(&["--strict", "-o", "strict-out"], env);
            let want = if all_ok { 0 } else { 1 };
            assert_eq!(strict.status.code(), Some(want), "--strict, all ok: {all_ok}: {}", stderr(&strict));
            // --strict changes the exit code, never the tables.
            assert_eq!(
                fs::read(self.out().join("documents.csv")).unwrap(),
                fs::read(self.dir.path().join("strict-out/documents.csv")).unwrap()
            );
        }
        let mut by_id = BTreeMap::new();
        for row in rows {
            let id = row["doc_id"].clone();
            assert!(by_id.insert(id.clone(), row).is_none(), "doc_id {id} twice");
        }
        let good = &by_id["good.txt"];
        assert_eq!((good["status"].as_str(), good["mentions"].as_str()), ("ok", "2"), "{good:?}");
        by_id
    }
}

/// `(status, detail)` of a row.
fn sd(row: &Row) -> (&str, &str) {
    (row["status"].as_str(), row["detail"].as_str())
}

/// Whether a debug build should still generate the big inputs at full size.
fn full_size() -> bool {
    !cfg!(debug_assertions) || std::env::var_os("COTAG_HOSTILE_FULL").is_some_and(|v| v == "1")
}

#[test]
fn binary_files_and_nul_bytes_are_skipped() {
    let c = Corpus::new();
    c.file("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0");
    // The NUL comes after the first 8 KiB: a text file is checked whole.
    let mut late = "Israel ".repeat(3000).into_bytes();
    late.push(0);
    c.file("late-nul.txt", &late);
    c.file("archive.jsonl", b"PK\x03\x04\x14\0\0\0\x08\0{\"text\": \"Israel\"}\n");
    c.file("sheet.csv", b"PK\x03\x04\0\0text\nIsrael\n");
    c.file("dump.tsv.gz", gzip(b"text\n\0\0\0\0"));
    // A JSONL file whose NUL is on its second line, past the first 8 KiB:
    // that line is skipped, the others are read.
    let long = format!("{{\"text\": \"China {}\"}}\n", "x".repeat(9000));
    c.file("mixed.jsonl", format!("{long}{{\"text\": \"Israel\u{0}\"}}\n{{\"text\": \"Turkey\"}}\n"));
    c.file("program.exe", b"MZ\x90\0");
    let docs = c.check(&[]);
    for id in ["image.txt", "late-nul.txt", "archive.jsonl", "sheet.csv", "dump.tsv.gz"] {
        assert_eq!(sd(&docs[id]), ("skipped", "binary file (NUL bytes)"), "{id}");
        assert_eq!(docs[id]["mentions"], "0", "{id}");
    }
    assert_eq!(sd(&docs["mixed.jsonl:1"]), ("ok", ""));
    assert_eq!(sd(&docs["mixed.jsonl:2"]), ("skipped", "binary data (NUL bytes)"));
    assert_eq!(sd(&docs["mixed.jsonl:3"]), ("ok", ""));
    assert_eq!(docs["mixed.jsonl:3"]["mentions"], "1");
    assert_eq!(sd(&docs["program.exe"]), ("skipped", "unsupported file type '.exe'"));
    assert_eq!(docs.len(), 10);
}

#[test]
fn invalid_utf8_is_replaced_and_the_document_is_lossy() {
    let c = Corpus::new();
    // Latin-1 "ë", then a lone continuation byte and a cut 3-byte sequence.
    c.file("latin1.txt", b"Isra\xebl and China \x80 \xe2\x82");
    c.file("lines.jsonl", b"{\"text\": \"Fran\xe7ois met Israel\"}\n{\"text\": \"China\"}\n");
    c.file("rows.csv", b"id,text\nr1,\"Caf\xe9 in Turkey\"\nr2,Israel\n");
    let docs = c.check(&[]);
    assert_eq!(sd(&docs["latin1.txt"]), ("lossy", "invalid UTF-8 replaced (4 bytes)"));
    assert_eq!(docs["latin1.txt"]["bytes"], "21", "bytes as read, before replacement");
    assert_eq!(sd(&docs["lines.jsonl:1"]), ("lossy", "invalid UTF-8 replaced (1 byte)"));
    assert_eq!(sd(&docs["lines.jsonl:2"]), ("ok", ""));
    assert_eq!(sd(&docs["r1"]), ("lossy", "invalid UTF-8 replaced (1 byte)"));
    assert_eq!(sd(&docs["r2"]), ("ok", ""));
    // Lossy documents are still tagged, with offsets into the replaced text
    // ("Isra\u{FFFD}l and China": China at code points 11..16).
    let mentions = table(&c.out().join("mentions.csv"));
    let china = mentions.iter().find(|m| m["doc_id"] == "latin1.txt").unwrap();
    assert_eq!((china["start"].as_str(), china["end"].as_str(), china["surface"].as_str()), ("11", "16", "China"));
    assert!(mentions.iter().any(|m| m["doc_id"] == "r1" && m["entity_id"] == "TUR"));
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for unit in text.encode_utf16() {
        out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    out
}

#[test]
fn byte_order_marks_utf16_and_utf8() {
    let c = Corpus::new();
    c.file("le.txt", utf16("Israel and Côte d'Ivoire 🌍 China", false));
    c.file("be.jsonl", utf16("{\"text\": \"Turkey\"}\r\n{\"text\": \"China\"}\r\n", true));
    c.file("le.csv.gz", gzip(&utf16("text\nIsrael\n", false)));
    c.file("bom8.txt", b"\xEF\xBB\xBFIsrael");
    c.file("bom8.csv", b"\xEF\xBB\xBFtext,id\nChina,b1\n");
    // A lone surrogate in UTF-16 is replaced: lossy.
    let mut bad = utf16("Israel ", false);
    bad.extend([0x00, 0xDC]);
    c.file("bad16.txt", bad);
    let docs = c.check(&[]);
    assert_eq!(sd(&docs["le.txt"]), ("ok", "decoded from UTF-16LE"));
    assert_eq!(docs["le.txt"]["bytes"], "Israel and Côte d'Ivoire 🌍 China".len().to_string());
    assert_eq!(docs["le.txt"]["mentions"], "3");
    assert_eq!(sd(&docs["be.jsonl:1"]), ("ok", "decoded from UTF-16BE"));
    assert_eq!(sd(&docs["be.jsonl:2"]), ("ok", "decoded from UTF-16BE"));
    assert_eq!(sd(&docs["le.csv.gz:1"]), ("ok", "decoded from UTF-16LE"));
    // A UTF-8 BOM is dropped without a note, and not counted.
    assert_eq!(sd(&docs["bom8.txt"]), ("ok", ""));
    assert_eq!(docs["bom8.txt"]["bytes"], "6");
    assert_eq!(sd(&docs["b1"]), ("ok", ""), "the BOM is not part of the first header name");
    assert_eq!(sd(&docs["bad16.txt"]), ("lossy", "invalid UTF-16 replaced (1 code unit); decoded from UTF-16LE"));
    let mentions = table(&c.out().join("mentions.csv"));
    let spans: Vec<(&str, &str, &str)> = mentions
        .iter()
        .filter(|m| m["doc_id"] == "le.txt" || m["doc_id"] == "bom8.txt")
        .map(|m| (m["start"].as_str(), m["end"].as_str(), m["surface"].as_str()))
        .collect();
    // Code points of the decoded text; the emoji is one code point.
    assert_eq!(
        spans,
        [("0", "6", "Israel"), ("0", "6", "Israel"), ("11", "24", "Côte d'Ivoire"), ("27", "32", "China")]
    );
}

#[test]
fn crlf_and_lone_cr_line_ends() {
    let c = Corpus::new();
    c.file("lf.txt", "Israel met.\n\nChina met.\n");
    c.file("crlf.txt", "Israel met.\r\n\r\nChina met.\r\n");
    c.file("cr.txt", "Israel met.\r\rChina met.\r");
    c.file("crlf.jsonl", "{\"text\": \"Israel\"}\r\n\r\n{\"text\": \"China\"}\r\n");
    c.file("crlf.csv", "id,text\r\nc1,Israel\r\nc2,\"China\r\n\r\nTurkey\"\r\n");
    c.file("cr.csv", "id,text\rr1,Israel\rr2,China\r");
    let docs = c.check(&[]);
    for id in ["lf.txt", "crlf.txt", "cr.txt"] {
        let d = &docs[id];
        let shape = (d["status"].as_str(), d["paragraphs"].as_str(), d["sentences"].as_str(), d["mentions"].as_str());
        assert_eq!(shape, ("ok", "2", "2", "2"), "{id}");
    }
    // The line end is not part of a JSONL or CSV document.
    assert_eq!(docs["crlf.jsonl:1"]["bytes"], "6");
    assert_eq!(docs["crlf.jsonl:3"]["bytes"], "5", "LINE counts the blank line");
    assert_eq!(docs["c1"]["bytes"], "6");
    assert_eq!(docs["c2"]["paragraphs"], "2", "a quoted CRLF CRLF is a paragraph break");
    assert_eq!(docs["r1"]["bytes"], "6");
    assert_eq!(docs["r2"]["bytes"], "5");
}

#[test]
fn empty_files() {
    let c = Corpus::new();
    c.file("empty.txt", "");
    c.file("empty.jsonl", "");
    c.file("blank.ndjson", "\n  \r\n\n");
    c.file("empty.csv", "");
    c.file("header.csv", "id,text\n");
    c.file("empty-member.txt.gz", gzip(b""));
    c.file("zero-bytes.txt.gz", "");
    let docs = c.check(&[]);
    let empty = &docs["empty.txt"];
    assert_eq!((sd(empty), empty["bytes"].as_str(), empty["tokens"].as_str()), (("ok", ""), "0", "0"));
    assert_eq!(sd(&docs["empty.jsonl"]), ("skipped", "no documents (empty file)"));
    assert_eq!(sd(&docs["blank.ndjson"]), ("skipped", "no documents (empty file)"));
    assert_eq!(sd(&docs["empty.csv"]), ("skipped", "empty file (no header row)"));
    assert_eq!(sd(&docs["header.csv"]), ("skipped", "no documents (header row only)"));
    assert_eq!(sd(&docs["empty-member.txt.gz"]), ("ok", ""));
    // Zero bytes are not a gzip stream (`gzip -d` says the same).
    let zero = sd(&docs["zero-bytes.txt.gz"]);
    assert_eq!(zero.0, "error");
    assert!(zero.1.starts_with("corrupt or truncated gzip: "), "{zero:?}");
}

/// Writes `size` bytes: `head`, then filler with no newline, then `tail`.
fn write_one_line(path: &Path, head: &str, size: usize, tail: &str) {
    const FILLER: &[u8] = b"word and more words here, ";
    let mut f = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    let body = size - head.len() - tail.len();
    let block = FILLER.repeat((1 << 20) / FILLER.len());
    let mut left = body;
    while left > 0 {
        let n = left.min(block.len());
        f.write_all(&block[..n]).unwrap();
        left -= n;
    }
    f.write_all(tail.as_bytes()).unwrap();
    f.flush().unwrap();
}

#[test]
fn a_200_mb_single_line_text_file() {
    let size = if full_size() { 200_000_000 } else { 20_000_000 };
    let c = Corpus::new();
    let path = c.root().join("one-line.txt");
    write_one_line(&path, "Israel ", size, " China");
    let docs = c.check_with(&[], false);
    let d = &docs["one-line.txt"];
    assert_eq!((sd(d), d["bytes"].as_str(), d["mentions"].as_str()), (("ok", ""), size.to_string().as_str(), "2"));
    assert_eq!(d["paragraphs"], "1");
    // The last mention's offsets are right at the far end of the line.
    let mentions = table(&c.out().join("mentions.csv"));
    let last = mentions.iter().rfind(|m| m["doc_id"] == "one-line.txt").unwrap();
    assert_eq!((last["start"].clone(), last["end"].clone()), ((size - 5).to_string(), size.to_string()));
}

#[test]
fn a_100_mb_jsonl_line_between_small_ones() {
    let size = if full_size() { 100_000_000 } else { 10_000_000 };
    let c = Corpus::new();
    let path = c.root().join("big.jsonl");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    // Line 2 is {"id": "big", "text": "Israel word ... China"}, `size` bytes in all.
    let head = "{\"text\": \"Turkey first\"}\n{\"id\": \"big\", \"text\": \"Israel ";
    let tail = " China\"}\n{\"text\": \"Israel last\"}\n";
    write_one_line(&path, head, size, tail);
    let docs = c.check_with(&[], false);
    assert_eq!(sd(&docs["big.jsonl:1"]), ("ok", ""));
    assert_eq!(sd(&docs["big"]), ("ok", ""));
    assert_eq!(docs["big"]["mentions"], "2");
    let text_len = size - head.len() - tail.len() + "Israel  China".len();
    assert_eq!(docs["big"]["bytes"], text_len.to_string());
    assert_eq!(sd(&docs["big.jsonl:3"]), ("ok", ""), "the line after the big one is read");
    assert_eq!(docs["big.jsonl:3"]["mentions"], "1");
}

#[test]
fn documents_over_the_size_limit_are_errors() {
    // COTAG_MAX_DOCUMENT_BYTES lowers the 1 GiB limit for this test.
    let c = Corpus::new();
    let big = "Israel ".repeat(200_000); // 1.4 MB
    c.file("big.txt", &big);
    c.file("big.txt.gz", gzip(big.as_bytes()));
    c.file("lines.jsonl", format!("{{\"text\": \"China\"}}\n{{\"text\": \"{big}\"}}\n{{\"text\": \"Turkey\"}}\n"));
    c.file("rows.csv", format!("text\n{big}\nChina\n"));
    let docs = c.check(&[("COTAG_MAX_DOCUMENT_BYTES", "1048576")]);
    assert_eq!(sd(&docs["big.txt"]), ("error", "document larger than 1 MiB limit"));
    assert_eq!(sd(&docs["big.txt.gz"]), ("error", "document larger than 1 MiB limit"));
    let line = format!("document larger than 1 MiB limit ({} bytes)", big.len() + 12);
    assert_eq!(sd(&docs["lines.jsonl:2"]), ("error", line.as_str()));
    assert_eq!(sd(&docs["lines.jsonl:1"]), ("ok", ""));
    assert_eq!(sd(&docs["lines.jsonl:3"]), ("ok", ""));
    assert_eq!(sd(&docs["rows.csv:1"]), ("error", "document larger than 1 MiB limit"));
    assert_eq!(sd(&docs["rows.csv:2"]), ("ok", ""));
}

#[test]
fn folders_nested_200_deep() {
    let c = Corpus::new();
    let rel = format!("{}deep.txt", "d/".repeat(200));
    c.file(&rel, "Israel at the bottom.");
    c.file("d/d/d/2022-12-04-shallow.txt", "China");
    let docs = c.check(&[]);
    assert_eq!(sd(&docs[&rel]), ("ok", ""));
    assert_eq!(docs[&rel]["mentions"], "1");
    assert_eq!(docs["d/d/d/2022-12-04-shallow.txt"]["date"], "2022-12-04");
    assert_eq!(docs.len(), 3);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_dangling_symlinks() {
    use std::os::unix::fs::symlink;
    let c = Corpus::new();
    c.file("sub/inner.txt", "Turkey");
    c.file("../outside/far.txt", "Georgia");
    let root = c.root();
    symlink("..", root.join("sub/up")).unwrap();
    symlink(".", root.join("here")).unwrap();
    symlink("self.txt", root.join("self.txt")).unwrap();
    symlink("pong.txt", root.join("ping.txt")).unwrap();
    symlink("ping.txt", root.join("pong.txt")).unwrap();
    symlink("missing.txt", root.join("gone.txt")).unwrap();
    symlink("../outside", root.join("linked")).unwrap();
    let docs = c.check(&[]);
    assert_eq!(sd(&docs["sub/up"]), ("skipped", "symlink loop"));
    assert_eq!(sd(&docs["here"]), ("skipped", "symlink loop"));
    assert_eq!(sd(&docs["gone.txt"]), ("error", "dangling symlink"));
    for id in ["self.txt", "ping.txt", "pong.txt"] {
        let (status, detail) = sd(&docs[id]);
        assert_eq!(status, "error", "{id}");
        assert!(detail.contains("symbolic links"), "{id}: {detail}");
    }
    // Folders are read once, not once per way into them.
    assert_eq!(sd(&docs["sub/inner.txt"]), ("ok", ""));
    assert_eq!(sd(&docs["linked/far.txt"]), ("ok", ""));
    assert_eq!(docs.len(), 9, "{:?}", docs.keys().collect::<Vec<_>>());
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names() {
    use std::os::unix::ffi::OsStrExt;
    let c = Corpus::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    if fs::write(c.root().join(name), "Israel").is_err() {
        eprintln!("skipped: this file system refuses non-UTF-8 names");
        return;
    }
    let folder = c.root().join(std::ffi::OsStr::from_bytes(b"dir\xff"));
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.jsonl"), "{\"text\": \"China\"}\n").unwrap();
    let docs = c.check(&[]);
    // The names are shown with U+FFFD (the tables are UTF-8), and the files
    // are still opened by their real names.
    let d = &docs["caf\u{FFFD}.txt"];
    assert_eq!((sd(d), d["mentions"].as_str()), (("ok", ""), "1"));
    assert_eq!(d["source"], "corpus/caf\u{FFFD}.txt");
    let d = &docs["dir\u{FFFD}/a.jsonl:1"];
    assert_eq!((sd(d), d["mentions"].as_str()), (("ok", ""), "1"));
}

#[test]
fn malformed_jsonl_lines_are_errors_and_the_rest_is_read() {
    let c = Corpus::new();
    let lines = [
        r#"{"text": "Israel one"}"#,
        r#"{"text": "unterminated"#,
        r#"[1, 2]"#,
        r#"{"title": "no text"}"#,
        r#"{"text": 42}"#,
        "",
        r#"{"text": "China seven", "id": "seven"}"#,
        r#"{"text": "trailing"} garbage"#,
        r#""just a string""#,
        r#"{"text": "Turkey", "date": "yesterday", "id": ["a"]}"#,
    ];
    c.file("bad.jsonl", lines.join("\n"));
    let docs = c.check(&[]);
    assert_eq!(sd(&docs["bad.jsonl:1"]), ("ok", ""));
    let (status, detail) = sd(&docs["bad.jsonl:2"]);
    assert_eq!(status, "error");
    assert!(detail.starts_with("invalid JSON: EOF while parsing a string (column "), "{detail}");
    assert_eq!(sd(&docs["bad.jsonl:3"]), ("error", "not a JSON object (found array)"));
    assert_eq!(sd(&docs["bad.jsonl:4"]), ("error", "no 'text' field"));
    assert_eq!(sd(&docs["bad.jsonl:5"]), ("error", "'text' is not a string (found number)"));
    assert!(!docs.contains_key("bad.jsonl:6"), "blank lines are no documents");
    assert_eq!(sd(&docs["seven"]), ("ok", ""));
    let (status, detail) = sd(&docs["bad.jsonl:8"]);
    assert_eq!(status, "error");
    assert!(detail.starts_with("invalid JSON: trailing characters (column "), "{detail}");
    assert_eq!(sd(&docs["bad.jsonl:9"]), ("error", "not a JSON object (found string)"));
    // Problems with optional fields are notes, not failures.
    assert_eq!(sd(&docs["bad.jsonl:10"]), ("ok", "ignored 'id' (found array); unparsed date 'yesterday'"));
    assert_eq!(docs["bad.jsonl:10"]["mentions"], "1");
    // Bad lines are listed in documents.csv and nowhere else.
    let mentions = table(&c.out().join("mentions.csv"));
    assert!(mentions
        .iter()
        .all(|m| ["good.txt", "bad.jsonl:1", "seven", "bad.jsonl:10"].contains(&m["doc_id"].as_str())));
}

#[test]
fn csv_without_a_text_column() {
    let c = Corpus::new();
    c.file("notext.csv", "id,body\n1,Israel\n");
    c.file("notext.tsv", "id\tbody\n1\tIsrael\n");
    let docs = c.check(&[]);
    assert_eq!(sd(&docs["notext.csv"]), ("error", "no 'text' column"));
    assert_eq!(sd(&docs["notext.tsv"]), ("error", "no 'text' column"));
    assert_eq!(docs.len(), 3);
    // With --text-field naming the column, the same files are read.
    let out = c.run(&["--text-field", "body", "-o", "renamed"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = table(&c.dir.path().join("renamed/documents.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["doc_id"].as_str()).collect();
    assert_eq!(ids, ["1", "1", "good.txt"], "both files' rows, by id");
}

#[test]
fn csv_with_ragged_rows_and_quoted_newlines() {
    let c = Corpus::new();
    c.file(
        "rows.csv",
        "id,text,date\n\
         r1,\"Israel\nand China, \"\"quoted\"\"\",2022-01-02\n\
         r2,too few\n\
         \n\
         r3,China,2022-01-03,extra\n\
         ,\"two\n\nparagraphs on Turkey\",\n\
         r5,Israel again,2022-01-05\n\
         r6,China,\"2022-01-06\nlater\"\n",
    );
    c.file("unclosed.csv", "text\n\"Israel, never closed\nChina\n");
    let docs = c.check(&[]);
    let r1 = &docs["r1"];
    assert_eq!((sd(r1), r1["mentions"].as_str(), r1["date"].as_str()), (("ok", ""), "2", "2022-01-02"));
    assert_eq!(r1["bytes"], "Israel\nand China, \"quoted\"".len().to_string());
    // ROW counts data rows (blank lines and quoted newlines do not count).
    assert_eq!(sd(&docs["rows.csv:2"]), ("error", "row has 2 fields, header has 3"));
    assert_eq!(sd(&docs["rows.csv:3"]), ("error", "row has 4 fields, header has 3"));
    assert_eq!((sd(&docs["rows.csv:4"]), docs["rows.csv:4"]["paragraphs"].as_str()), (("ok", ""), "2"));
    assert_eq!(sd(&docs["r5"]), ("ok", ""));
    // A quoted newline in a date cell: the detail escapes it and stays on one
    // line (found by the `table` fuzz target).
    assert_eq!(sd(&docs["r6"]), ("ok", "unparsed date '2022-01-06\\nlater'"));
    assert!(!docs.contains_key("r2") && !docs.contains_key("r3"), "a ragged row's id cannot be trusted");
    // An unclosed quote runs to the end of the file: one field, one row.
    let d = &docs["unclosed.csv:1"];
    assert_eq!((sd(d), d["mentions"].as_str()), (("ok", ""), "2"));
}

#[test]
fn truncated_and_corrupt_gzip() {
    let c = Corpus::new();
    let text = "Israel and China. ".repeat(20_000);
    let packed = gzip(text.as_bytes());
    c.file("truncated.txt.gz", &packed[..packed.len() / 2]);
    c.file("no-trailer.txt.gz", &packed[..packed.len() - 4]);
    let mut corrupt = packed.clone();
    for b in &mut corrupt[100..140] {
        *b ^= 0x5A;
    }
    c.file("corrupt.txt.gz", &corrupt);
    c.file("not-gzip.csv.gz", "text\nIsrael\n");
    let mut trailing = gzip(b"Turkey");
    trailing.extend(b"garbage after the member");
    c.file("trailing.txt.gz", trailing);
    // A JSONL stream cut in the middle: the lines before the cut are kept,
    // and one error record for the file says where it broke.
    let lines: String = (0..5000).map(|i| format!("{{\"id\": \"l{i:04}\", \"text\": \"Israel {i}\"}}\n")).collect();
    let packed_lines = gzip(lines.as_bytes());
    c.file("cut.jsonl.gz", &packed_lines[..packed_lines.len() * 3 / 4]);
    let docs = c.check(&[]);
    for id in ["truncated.txt.gz", "no-trailer.txt.gz", "corrupt.txt.gz", "not-gzip.csv.gz", "trailing.txt.gz"] {
        let (status, detail) = sd(&docs[id]);
        assert_eq!(status, "error", "{id}");
        assert!(detail.starts_with("corrupt or truncated gzip: "), "{id}: {detail}");
        assert_eq!(docs[id]["mentions"], "0", "{id}: a cut document is not counted");
    }
    let kept = docs.keys().filter(|k| k.starts_with('l')).count();
    assert!(kept > 1000 && kept < 5000, "{kept} lines kept");
    let (status, detail) = sd(&docs["cut.jsonl.gz"]);
    assert_eq!(status, "error");
    assert!(detail.starts_with("corrupt or truncated gzip: "), "{detail}");
    assert!(detail.ends_with(&format!("(at line {})", kept + 1)), "{detail}");
}

/// `n` copies of one gzip member of `chunk` repeated to 1 MiB: a stream that
/// inflates to `n` MiB from a few kilobytes each (gzip members concatenate).
/// Packed at the best level, as a bomb would be (how small the default level
/// packs it depends on flate2's backend).
fn gzip_bomb(chunk: &str, mib: usize) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&chunk.repeat((1 << 20) / chunk.len() + 1).as_bytes()[..1 << 20]).unwrap();
    enc.finish().unwrap().repeat(mib)
}

#[test]
fn gzip_bomb_is_refused_past_the_limit() {
    // The real limit is corpus::MAX_DECOMPRESSED_BYTES (4 GiB); the hidden
    // variable lowers it so that the test does not inflate 4 GiB.
    let c = Corpus::new();
    let bomb = gzip_bomb("Israel bomb ", 64);
    assert!(bomb.len() < 256 * 1024, "{} bytes", bomb.len());
    c.file("bomb.txt.gz", &bomb);
    // Long lines, so that the documents kept before the limit are few.
    let line = format!("{{\"text\": \"China {}\"}}\n", "x".repeat(1000));
    c.file("bomb.jsonl.gz", gzip_bomb(&line, 64));
    c.file("small.txt.gz", gzip(b"Turkey"));
    let docs = c.check(&[("COTAG_MAX_DECOMPRESSED_BYTES", "4194304")]);
    assert_eq!(sd(&docs["bomb.txt.gz"]), ("error", "decompressed size exceeds 4 MiB limit"));
    let (status, detail) = sd(&docs["bomb.jsonl.gz"]);
    assert_eq!(status, "error");
    assert!(detail.starts_with("decompressed size exceeds 4 MiB limit (at line "), "{detail}");
    // The lines before the limit are kept.
    let kept = docs.keys().filter(|k| k.starts_with("bomb.jsonl.gz:")).count();
    assert!(kept > 3000 && kept <= (4 << 20) / line.len(), "{kept}");
    assert!(detail.ends_with(&format!("(at line {})", kept + 1)), "{detail}");
    assert_eq!(sd(&docs["small.txt.gz"]), ("ok", ""));
}

#[test]
fn files_listed_but_missing_or_not_files() {
    // --files-from names files without a walk: one never existed, one is a
    // folder. Both are recorded and the run goes on.
    // A folder without an extension is that error too, not an unsupported
    // file; a path that is not UTF-8 is read (CRLF line ends, as a list made
    // on Windows has them).
    let c = Corpus::new();
    c.file("dir.txt/inner.txt", "Turkey");
    c.file("sub/inner.txt", "Chile");
    let mut list = b"corpus/good.txt\r\ncorpus/gone.txt\ncorpus/dir.txt\ncorpus/sub\n".to_vec();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        fs::write(c.root().join(std::ffi::OsStr::from_bytes(b"caf\xE9.txt")), "Peru").unwrap();
        list.extend_from_slice(b"corpus/caf\xE9.txt\n");
    }
    write(&c.dir.path().join("list.txt"), list);
    let run = |extra: &[&str]| {
        let out = cotag()
            .current_dir(c.dir.path())
            .args(["run", "--files-from", "list.txt", "-q", "-g", SMALL_GAZETTEER])
            .args(extra)
            .output()
            .unwrap();
        assert_no_panic(&out);
        out
    };
    assert_eq!(run(&["--strict", "-o", "strict-out"]).status.code(), Some(1));
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let docs = table(&c.out().join("documents.csv"));
    let got: Vec<(&str, &str, &str)> =
        docs.iter().map(|d| (d["doc_id"].as_str(), d["status"].as_str(), d["detail"].as_str())).collect();
    assert_eq!(
        got,
        [
            #[cfg(unix)]
            ("corpus/caf\u{FFFD}.txt", "ok", ""),
            ("corpus/dir.txt", "error", "is a folder, not a file"),
            ("corpus/gone.txt", "error", "No such file or directory (os error 2)"),
            ("corpus/good.txt", "ok", ""),
            ("corpus/sub", "error", "is a folder, not a file"),
        ]
    );
    // A file that is no list of paths is refused at its first long line,
    // not read until memory runs out.
    #[cfg(unix)]
    {
        let out = cotag().args(["run", "--files-from", "/dev/zero", "-q", "-o"]).arg(c.out()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(stderr(&out).trim_end(), "cotag: /dev/zero:1: a line longer than 65536 bytes: not a list of paths");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_opened() {
    // Opening a FIFO with no writer blocks forever: listed by the walk it is
    // skipped, named by --files-from it is an error, and neither hangs.
    let c = Corpus::new();
    let fifo = c.root().join("pipe.txt");
    if !Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    let docs = c.check(&[]);
    assert_eq!(sd(&docs["pipe.txt"]), ("skipped", "not a regular file (FIFO, socket or device)"));
    let file = InputFile::new(&fifo, "pipe.txt", "pipe.txt", None);
    let got = read_all(&file);
    assert_eq!(got, [("pipe.txt".to_string(), Status::Error, "not a regular file (FIFO, socket or device)".into())]);
}

fn read_all(file: &InputFile) -> Vec<(String, Status, String)> {
    let mut docs: Vec<Document> = Vec::new();
    read_input(file, &ReadOptions::default(), &mut |d| {
        docs.push(d);
        true
    });
    docs.into_iter().map(|d| (d.doc_id, d.status, d.detail)).collect()
}

#[test]
fn files_that_vanish_or_change_between_listing_and_reading() {
    // The race itself cannot be timed from outside, so the library is driven
    // step by step: list, change the file system, then read what was listed.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    for name in ["removed.txt", "to-folder.txt", "to-link.jsonl", "emptied.csv", "kept.txt"] {
        write(&root.join(name), "text\nIsrael\n");
    }
    let listed = list_inputs(std::slice::from_ref(&root));
    assert_eq!(listed.len(), 5);
    fs::remove_file(root.join("removed.txt")).unwrap();
    fs::remove_file(root.join("to-folder.txt")).unwrap();
    fs::create_dir(root.join("to-folder.txt")).unwrap();
    fs::remove_file(root.join("to-link.jsonl")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("nowhere", root.join("to-link.jsonl")).unwrap();
    fs::write(root.join("emptied.csv"), "").unwrap();
    let got: Vec<_> = listed.iter().flat_map(read_all).collect();
    let not_found = "No such file or directory (os error 2)".to_string();
    assert_eq!(
        got,
        [
            ("emptied.csv".to_string(), Status::Skipped, "empty file (no header row)".to_string()),
            ("kept.txt".to_string(), Status::Ok, String::new()),
            ("removed.txt".to_string(), Status::Error, not_found.clone()),
            ("to-folder.txt".to_string(), Status::Error, "is a folder, not a file".to_string()),
            ("to-link.jsonl".to_string(), Status::Error, not_found),
        ]
    );
}

#[test]
fn everything_at_once_is_the_same_whatever_the_thread_count() {
    // All the small hostile inputs in one corpus: the tables do not depend on
    // the number of threads, hostile input or not.
    let c = Corpus::new();
    c.file("image.txt", b"\x89PNG\0\0");
    c.file("latin1.txt", b"Isra\xebl and China");
    c.file("le.txt", utf16("Turkey and Israel", false));
    c.file("bom.txt", b"\xEF\xBB\xBFChina");
    c.file("cr.txt", "Israel.\r\rChina.");
    c.file("empty.txt", "");
    c.file("empty.jsonl", "");
    c.file("bad.jsonl", "{\"text\": \"Israel\"}\nnot json\n{\"text\": \"China\"}\n");
    c.file("notext.csv", "body\nx\n");
    c.file("ragged.csv", "id,text\na,\"Israel\nChina\"\nb\nc,Turkey\n");
    let packed = gzip("China ".repeat(10_000).as_bytes());
    c.file("cut.txt.gz", &packed[..packed.len() / 2]);
    c.file("bomb.txt.gz", gzip_bomb("Israel ", 8));
    for n in 0..40 {
        c.file(&format!("plain/{n:02}.txt"), format!("Israel and China, number {n}. Turkey."));
    }
    let env = [("COTAG_MAX_DECOMPRESSED_BYTES", "1048576")];
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let name = format!("out-{threads}");
        let out = c.run(&["-j", threads, "-o", &name, "-w", "document,sentence,tokens:5"], &env);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let tables: Vec<Vec<u8>> = ["documents.csv", "mentions.csv", "cooccurrence.csv", "entities.csv"]
            .iter()
            .map(|t| fs::read(c.dir.path().join(&name).join(t)).unwrap())
            .collect();
        outputs.push(tables);
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "tables differ between thread counts");
    let docs = c.check(&env);
    let statuses = docs.values().fold(BTreeMap::<&str, usize>::new(), |mut m, d| {
        *m.entry(d["status"].as_str()).or_default() += 1;
        m
    });
    let want: BTreeMap<&str, usize> = [("ok", 49), ("lossy", 1), ("skipped", 2), ("error", 5)].into();
    assert_eq!(statuses, want, "{docs:#?}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(c.out().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["totals"]["documents"]["error"], 5);
}

// ---------------------------------------------------------------------------
// Outputs whole or not at all: signals, a full disk, an unwritable output.
// ---------------------------------------------------------------------------

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Waits for `child` at most `secs` seconds; kills it and fails if it is
/// still running then (a run that ignores a signal, or hangs on an error,
/// must not hang the suite).
fn wait_at_most(child: &mut std::process::Child, secs: u64) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cotag still running after {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Sends `signal` (`INT`, `TERM`) to a process with the `kill` command.
fn send(signal: &str, pid: u32) {
    let sent = Command::new("kill").arg(format!("-{signal}")).arg(pid.to_string()).status().unwrap();
    assert!(sent.success(), "kill -{signal} {pid}");
}

/// Whether a staging folder (`.NAME.cotag-partial-*`) is in `dir`.
fn staging_in(dir: &Path) -> Option<String> {
    names(dir).into_iter().find(|n| n.contains(".cotag-partial-"))
}

/// Starts cotag on a corpus large enough to take a while, waits until its
/// staging folder exists (work has started), sends `signal`, and checks the
/// exit code and that nothing is left behind: no output folder (or the old
/// one untouched, with --force), no staging folder.
fn interrupt_a_run(signal: &str, code: i32, with_old_output: bool) {
    let c = Corpus::new();
    // Big enough to be still running after the signal, in a release build
    // too (about 60 MB of text there, 6 MB in a debug build).
    let per_file = if cfg!(debug_assertions) { 20_000 } else { 200_000 };
    let text = "Israel and China met in Turkey. ".repeat(per_file / 32);
    for n in 0..300 {
        c.file(&format!("part/{n:03}.txt"), &text);
    }
    if with_old_output {
        write(&c.out().join("documents.csv"), "old\n");
    }
    let mut child = cotag()
        .current_dir(c.dir.path())
        .args(["run", "corpus", "-q", "-g", SMALL_GAZETTEER, "-j", "2", "--force"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while staging_in(c.dir.path()).is_none() {
        assert!(child.try_wait().unwrap().is_none(), "cotag ended before its staging folder was seen");
        assert!(std::time::Instant::now() < deadline, "no staging folder after 60 s");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    send(signal, child.id());
    let status = wait_at_most(&mut child, 30);
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(code), "exit status {status:?}, stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(staging_in(c.dir.path()), None, "staging folder left behind");
    if with_old_output {
        assert_eq!(names(&c.out()), ["documents.csv"], "the old output folder is untouched");
        assert_eq!(fs::read_to_string(c.out().join("documents.csv")).unwrap(), "old\n");
    } else {
        assert!(!c.out().exists(), "an output folder was left: {:?}", names(&c.out()));
    }
    assert_eq!(names(c.dir.path()), if with_old_output { ["corpus", "out"].as_slice() } else { &["corpus"] });
}

#[cfg(unix)]
#[test]
fn sigint_stops_the_run_with_130_and_no_tables() {
    interrupt_a_run("INT", 130, false);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_run_with_143_and_keeps_the_old_output() {
    interrupt_a_run("TERM", 143, true);
}

#[cfg(unix)]
#[test]
fn sigterm_while_waiting_on_stdin() {
    // A streaming stage (`cotag run -`) whose upstream stalls: the signal must
    // still end the run, though the reader is blocked in a read.
    let dir = tempfile::tempdir().unwrap();
    let mut child = cotag()
        .current_dir(dir.path())
        .args(["run", "-", "-q", "-g", SMALL_GAZETTEER])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"{\"text\": \"Israel and China\"}\n").unwrap();
    stdin.flush().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while staging_in(dir.path()).is_none() {
        assert!(child.try_wait().unwrap().is_none(), "cotag ended early");
        assert!(std::time::Instant::now() < deadline, "no staging folder after 30 s");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    send("TERM", child.id());
    let status = wait_at_most(&mut child, 20);
    drop(stdin);
    assert_eq!(status.code(), Some(143), "{status:?}");
    assert_eq!(names(dir.path()), Vec::<String>::new(), "nothing left behind");
}

/// A tmpfs mounted for one test, unmounted when dropped (even when the test
/// fails).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` with `options` (`size=2m`, `ro`...), or
    /// `None` (with a note) when this process may not mount.
    fn mount(options: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("skipped: cannot mount a tmpfs here (needs root and mount rights)");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[cfg(unix)]
#[test]
fn a_full_disk_is_a_fatal_error_and_leaves_no_table() {
    let Some(disk) = Tmpfs::mount("size=2m") else { return };
    let c = Corpus::new();
    // 1 MB of text and 110,000 mentions: mentions.csv alone is ~6 MB.
    c.file("many.txt", "Israel and China. ".repeat(55_000));
    let out_dir = disk.path().join("out");
    let out = c.run(&["-o", out_dir.to_str().unwrap()], &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("cotag: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(out_dir.to_str().unwrap()), "the message names the file: {err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(names(disk.path()), Vec::<String>::new(), "no table, no staging folder left");
}

/// The disk fills while batches are still being tagged: the thread that
/// writes the per-document rows fails first, and the run must stop with
/// that error, neither hanging on the batches still coming nor leaving a table.
#[cfg(unix)]
#[test]
fn a_disk_that_fills_mid_run_stops_it_with_one_message() {
    let Some(disk) = Tmpfs::mount("size=2m") else { return };
    let c = Corpus::new();
    // 300 files of 20 KB: 3,300 mentions each, ~200 KB of mentions.csv rows
    // each, so the rows outgrow the disk a tenth of the way through.
    for i in 0..300 {
        c.file(&format!("d/{i:03}.txt"), "Israel and China. ".repeat(1_100));
    }
    let out_dir = disk.path().join("out");
    for threads in ["1", "2"] {
        // A run that hangs on the failed writer fails the test at the watchdog.
        let mut child = cotag()
            .current_dir(c.dir.path())
            .args(["run", "corpus", "-q", "-g", SMALL_GAZETTEER, "-o", out_dir.to_str().unwrap(), "-j", threads])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        stopped_by_the_full_disk(&mut child, disk.path(), threads);
    }
}

/// Waits (at most 60 s) for a run whose output folder is on the full disk
/// `disk`, and checks how it ended: exit 2, one line naming the table and
/// the full disk, no panic, nothing left on the disk.
fn stopped_by_the_full_disk(child: &mut std::process::Child, disk: &Path, threads: &str) {
    let status = wait_at_most(child, 60);
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(!err.contains("panicked"), "-j {threads}: {err}");
    assert_eq!(status.code(), Some(2), "-j {threads}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "-j {threads}, one line: {err}");
    assert!(err.contains("mentions.csv") || err.contains("documents.csv"), "names the table: {err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(names(disk), Vec::<String>::new(), "-j {threads}: no table, no staging folder left");
}

/// Starts `cotag run -` with the small gazetteer, `-j threads`, output in
/// `out_dir`, standard input and error piped: the child and its input.
fn run_on_standard_input(out_dir: &Path, threads: &str) -> (std::process::Child, std::process::ChildStdin) {
    let mut child = cotag()
        .args(["run", "-", "-q", "-g", SMALL_GAZETTEER, "-o", out_dir.to_str().unwrap(), "-j", threads])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    (child, stdin)
}

/// A run reading standard input from a producer that never stops (`zcat
/// huge.gz | cotag run -`) stops reading once a table cannot be written:
/// before, it read on to the end of the input, which here never comes.
#[cfg(target_os = "linux")]
#[test]
fn a_disk_that_fills_stops_the_reading_of_an_endless_standard_input() {
    let Some(disk) = Tmpfs::mount("size=2m") else { return };
    let out_dir = disk.path().join("out");
    // A document of 3,300 mentions: a hundred of them outgrow the disk.
    let line = format!("{{\"text\": \"{}\"}}\n", "Israel and China. ".repeat(1_100));
    for threads in ["1", "2"] {
        let (mut child, mut stdin) = run_on_standard_input(&out_dir, threads);
        let line = line.clone();
        // Writes until cotag has gone (the pipe's reader closed).
        let producer =
            std::thread::spawn(move || while std::io::Write::write_all(&mut stdin, line.as_bytes()).is_ok() {});
        stopped_by_the_full_disk(&mut child, disk.path(), threads);
        producer.join().unwrap();
    }
}

/// A run reading standard input from a producer that has stalled (`tail -f
/// feed.jsonl | cotag run -`, a download that hangs) ends once a table
/// cannot be written. Before, the documents waited for a batch to fill, and
/// the walk sat in its read of standard input: the run waited for the
/// producer's next line, which here never comes.
#[cfg(target_os = "linux")]
#[test]
fn a_disk_that_fills_ends_a_run_whose_standard_input_has_stalled() {
    let Some(disk) = Tmpfs::mount("size=256k") else { return };
    let out_dir = disk.path().join("out");
    // 20 documents of 20 KB and 3,300 mentions each: less than a batch (a
    // megabyte), so they are handed on only because the producer pauses;
    // their rows outgrow the disk. No worker has a batch to take after
    // that: the writer, which meets the failure, has to stop the run itself.
    let lines = format!("{{\"text\": \"{}\"}}\n", "Israel and China. ".repeat(1_100)).repeat(20);
    for threads in ["1", "2"] {
        let (mut child, mut stdin) = run_on_standard_input(&out_dir, threads);
        // cotag may stop reading before the last line: a write that fails
        // then is no error of the test.
        let _ = std::io::Write::write_all(&mut stdin, lines.as_bytes());
        let _ = stdin.flush();
        // The pipe stays open, with nothing more to read, until cotag has ended.
        stopped_by_the_full_disk(&mut child, disk.path(), threads);
        drop(stdin);
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_output_is_refused_before_any_work() {
    let Some(disk) = Tmpfs::mount("ro,size=1m") else { return };
    let out_dir = disk.path().join("out");
    refused_before_work(&out_dir, "Read-only file system");
}

/// Runs `cotag run - -o out` with standard input held open and nothing
/// written to it: a run that reported the bad output only after reading
/// would wait forever, so exit 2 within seconds shows the check came first.
fn refused_before_work(out: &Path, reason: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = cotag()
        .current_dir(dir.path())
        .args(["run", "-", "-q", "-g", SMALL_GAZETTEER, "-o"])
        .arg(out)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let status = wait_at_most(&mut child, 20);
    drop(stdin);
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.starts_with("cotag: ") && err.contains(reason), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

#[test]
fn an_unwritable_output_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    write(&file, "x");
    // A folder under a regular file, and the regular file itself.
    refused_before_work(&file.join("out"), "plain-file");
    refused_before_work(&file, "exists and is not a folder");
    #[cfg(target_os = "linux")]
    refused_before_work(Path::new("/proc/self/no-such/out"), "/proc/self/no-such");
    assert_eq!(names(dir.path()), ["plain-file"]);
}
