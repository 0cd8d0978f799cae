//! JSON Lines (`.jsonl`, `.ndjson`, and a CORPUS of `-`): one JSON object per
//! line, read one line at a time so that a multi-GB file streams.

use std::io::{self, BufRead};

use super::date::parse_date_field;
use super::decode::{quote_short, utf8_lossy_slice, Notes};
use super::fields::{self, Field, Fields, Parsed};
use super::open::{describe, sniff, Encoding, Input};
use super::{human_bytes, Limits, ReadOptions, TITLE_FIELD};
use crate::document::{Document, Status};

/// Reads JSONL documents from a reader (stdin for a CORPUS of `-`); `source`
/// is what `documents.csv` shows (`-`), doc_id the `id` field or
/// `ID_PREFIX:LINE`.
///
/// Lines are handled as in a `.jsonl` file (see [`read_input`](super::read_input)):
/// a BOM is honoured, blank lines are skipped, a bad line becomes an `error`
/// record and reading goes on, a read error ends the stream with an `error`
/// record whose doc_id is `id_prefix`. Unlike a file, an empty stream yields
/// no record at all: a streaming stage (Spark's `RDD.pipe`) may well be handed
/// an empty partition, and a placeholder per partition would collide when
/// shard outputs are merged. `sink` answers whether to go on, as for
/// [`read_input`](super::read_input).
pub fn read_jsonl_stream(
    reader: impl BufRead,
    source: &str,
    id_prefix: &str,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Document) -> bool,
) {
    let ctx = Ctx { source, id_prefix, opts, limits: Limits::current(), gz: false };
    match sniff(reader) {
        Ok(input) => {
            read_lines(input, &ctx, sink);
        }
        Err(e) => {
            sink(ctx.file_record(Status::Error, describe(&e, false)));
        }
    }
}

/// Reads a `.jsonl` input already opened; records a file that holds no
/// document at all as `skipped`, so that every file appears in
/// `documents.csv`.
pub(crate) fn read_jsonl_file(input: Input<'_>, ctx: &Ctx<'_>, sink: &mut dyn FnMut(Document) -> bool) {
    if read_lines(input, ctx, sink) == 0 {
        sink(ctx.file_record(Status::Skipped, "no documents (empty file)".to_string()));
    }
}

/// Where the lines come from and how to read them.
pub(crate) struct Ctx<'a> {
    /// `source` of every record.
    pub(crate) source: &'a str,
    /// `rel` for a file, `-` for stdin: the doc_id of file-level records and
    /// the prefix of `PREFIX:LINE` ids.
    pub(crate) id_prefix: &'a str,
    pub(crate) opts: &'a ReadOptions,
    pub(crate) limits: Limits,
    /// Whether the bytes come through gzip (for wording read errors).
    pub(crate) gz: bool,
}

impl Ctx<'_> {
    /// A record about the whole input (doc_id `id_prefix`).
    fn file_record(&self, status: Status, detail: String) -> Document {
        Document::without_text(self.id_prefix.to_string(), self.source.to_string(), status, detail)
    }

    /// A record about one line that yields no text (doc_id `PREFIX:LINE`).
    fn line_record(&self, line: u64, status: Status, detail: String) -> Document {
        Document::without_text(self.line_id(line), self.source.to_string(), status, detail)
    }

    fn line_id(&self, line: u64) -> String {
        format!("{}:{line}", self.id_prefix)
    }
}

/// Reads every line, handing documents to `sink`, until `sink` answers
/// false; returns how many records were emitted.
fn read_lines(input: Input<'_>, ctx: &Ctx<'_>, sink: &mut dyn FnMut(Document) -> bool) -> usize {
    let mut reader = input.reader;
    let mut emitted = 0;
    let mut emit = |doc| {
        emitted += 1;
        sink(doc)
    };
    // A file whose first block holds NUL bytes is binary (a misnamed
    // archive, a database dump), not text with a few bad lines: one record
    // for the file rather than thousands of "invalid JSON" lines.
    if input.head_has_nul {
        emit(ctx.file_record(Status::Skipped, "binary file (NUL bytes)".to_string()));
        return emitted;
    }
    let mut buf = Vec::new();
    let mut line_no: u64 = 0;
    loop {
        buf.clear();
        match read_line_limited(&mut reader, &mut buf, ctx.limits.document) {
            Ok(Line::Eof) => break,
            Ok(Line::TooLong(len)) => {
                line_no += 1;
                let detail =
                    format!("document larger than {} limit ({} bytes)", human_bytes(ctx.limits.document as u64), len);
                if !emit(ctx.line_record(line_no, Status::Error, detail)) {
                    break;
                }
            }
            Ok(Line::Read) => {
                line_no += 1;
                if !buf.trim_ascii().is_empty() && !emit(parse_line(&buf, line_no, input.encoding, ctx)) {
                    break;
                }
            }
            Err(e) => {
                // Documents before the failure are kept; the line being read
                // when it happened is lost with the rest of the stream.
                let detail = format!("{} (at line {})", describe(&e, ctx.gz), line_no + 1);
                emit(ctx.file_record(Status::Error, detail));
                break;
            }
        }
    }
    emitted
}

/// What [`read_line_limited`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line is in the buffer (without its `\n`).
    Read,
    /// The line had this many bytes, more than the limit; it was skipped and
    /// the buffer is empty.
    TooLong(u64),
    /// Nothing left.
    Eof,
}

/// Reads one line into `buf` without its `\n` (and `\r`), holding at most
/// `max` bytes of it: unlike `BufRead::read_until`, a 50 GB file without a
/// newline cannot exhaust memory.
fn read_line_limited<R: BufRead + ?Sized>(reader: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    let mut len: u64 = 0;
    let mut any = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, used, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        len += part.len() as u64;
        if len <= max as u64 {
            buf.extend_from_slice(part);
        } else {
            buf.clear();
        }
        reader.consume(used);
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if len > max as u64 {
        return Ok(Line::TooLong(len));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Line::Read)
}

/// Turns one non-blank line into a document, or into a record saying what is
/// wrong with it (doc_id `PREFIX:LINE`, since its id cannot be trusted).
fn parse_line(raw: &[u8], line_no: u64, encoding: Encoding, ctx: &Ctx<'_>) -> Document {
    let fail = |detail: String| ctx.line_record(line_no, Status::Error, detail);
    if memchr::memchr(0, raw).is_some() {
        return ctx.line_record(line_no, Status::Skipped, "binary data (NUL bytes)".to_string());
    }
    let mut notes = Notes::new(encoding);
    let (line, invalid) = utf8_lossy_slice(raw);
    notes.invalid(invalid);
    let opts = ctx.opts;
    let Fields { text, id, date: date_field, title: title_field } = match fields::parse(&line, opts) {
        Ok(Parsed::Object(fields)) => fields,
        Ok(Parsed::NotObject(kind)) => return fail(format!("not a JSON object (found {kind})")),
        Err(e) => return fail(format!("invalid JSON: {}", json_error(&e))),
    };
    let text_field = opts.text_field.as_str();
    let body = match text {
        Some(Field::Str(s)) => s,
        None => return fail(format!("no '{text_field}' field")),
        Some(other) => return fail(format!("'{text_field}' is not a string (found {})", other.kind())),
    };
    let doc_id = doc_id(id, &opts.id_field, &mut notes).unwrap_or_else(|| ctx.line_id(line_no));
    let date = date(date_field, &mut notes);
    // With `--text-field title` the title field is the body and `title_field`
    // is `None` (see `fields`): the title is not a second copy.
    let title = title(title_field.as_ref(), &mut notes);
    let text = with_title(title, body);
    let (status, detail) = notes.finish();
    Document { doc_id, source: ctx.source.to_string(), date, bytes: text.len() as u64, text, status, detail }
}

/// The id: a non-blank string as written, a number as written in the line
/// (`42`, `1E2`, `12345678901234567890123`: never through a float, which
/// would make distinct ids one); `None` (so `PREFIX:LINE`) when absent, null
/// or blank. An id of another type is ignored with a note rather than failing
/// the document.
fn doc_id(id: Option<Field<'_>>, field: &str, notes: &mut Notes) -> Option<String> {
    match id? {
        Field::Str(s) if !s.trim().is_empty() => Some(s),
        Field::Number(n) => Some(n.to_string()),
        Field::Null | Field::Str(_) => None,
        other => {
            notes.note(format!("ignored '{field}' (found {})", other.kind()));
            None
        }
    }
}

/// The date from the date field; a value that is present but not an ISO
/// date leaves the date empty and says so in `detail` (the status stays `ok`:
/// the text is fine).
fn date(date: Option<Field<'_>>, notes: &mut Notes) -> Option<crate::document::Date> {
    match date? {
        Field::Null => None,
        Field::Str(s) if s.trim().is_empty() => None,
        Field::Str(s) => {
            let date = parse_date_field(&s);
            if date.is_none() {
                notes.note(format!("unparsed date {}", quote_short(&s)));
            }
            date
        }
        // As written, like a numeric id, and shortened like a string.
        Field::Number(n) => {
            notes.note(format!("unparsed date {}", quote_short(n)));
            None
        }
        other => {
            notes.note(format!("unparsed date (found {})", other.kind()));
            None
        }
    }
}

/// The title, when it is a non-blank string.
fn title<'f>(title: Option<&'f Field<'_>>, notes: &mut Notes) -> Option<&'f str> {
    match title? {
        Field::Str(s) if !s.trim().is_empty() => Some(s),
        Field::Str(_) | Field::Null => None,
        other => {
            notes.note(format!("ignored '{TITLE_FIELD}' (found {})", other.kind()));
            None
        }
    }
}

/// `title + "\n\n" + body`: the title becomes the document's first paragraph.
pub(crate) fn with_title(title: Option<&str>, body: String) -> String {
    match title {
        None => body,
        Some(title) => {
            let mut text = String::with_capacity(title.len() + 2 + body.len());
            text.push_str(title);
            text.push_str("\n\n");
            text.push_str(&body);
            text
        }
    }
}

/// serde_json's message without its `at line 1 column N` (always line 1
/// here, which would mislead), with the column kept.
fn json_error(e: &serde_json::Error) -> String {
    format!("{} (column {})", fields::message(e), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::*;
    use crate::document::Date;

    #[test]
    fn line_reader_splits_lines_and_strips_crlf() {
        let mut r = &b"a\r\n\nbb\nlast"[..];
        let mut got = Vec::new();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match read_line_limited(&mut r, &mut buf, 100).unwrap() {
                Line::Eof => break,
                Line::Read => got.push(String::from_utf8(buf.clone()).unwrap()),
                Line::TooLong(_) => unreachable!(),
            }
        }
        assert_eq!(got, ["a", "", "bb", "last"]);
    }

    #[test]
    fn line_reader_refuses_long_lines_and_goes_on() {
        // A tiny buffer so the long line spans many fill_buf calls.
        let mut r = std::io::BufReader::with_capacity(2, &b"12345678\nok\n"[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_limited(&mut r, &mut buf, 4).unwrap(), Line::TooLong(8));
        assert!(buf.is_empty());
        buf.clear();
        assert_eq!(read_line_limited(&mut r, &mut buf, 4).unwrap(), Line::Read);
        assert_eq!(buf, b"ok");
        buf.clear();
        assert_eq!(read_line_limited(&mut r, &mut buf, 4).unwrap(), Line::Eof);
    }

    #[test]
    fn documents_ids_titles_and_dates() {
        let dir = tempfile::tempdir().unwrap();
        let body = concat!(
            r#"{"id": "a1", "text": "Body one.", "title": "Head", "date": "2022-12-04T10:00:00Z"}"#,
            "\n",
            r#"{"id": 42, "text": "Number id."}"#,
            "\n",
            r#"{"text": "No id.", "title": "  ", "date": ""}"#,
            "\n   \n",
            r#"{"id": "", "text": "Blank id.", "date": "last Tuesday"}"#,
            "\n",
            r#"{"id": null, "text": "", "title": null}"#,
        );
        for (name, bytes) in [("d/news.jsonl", body.as_bytes().to_vec()), ("d/news.NDJSON.gz", gz(body.as_bytes()))] {
            let file = write(dir.path(), name, &bytes);
            let docs = read(&file);
            let r = name;
            let got: Vec<_> = docs
                .iter()
                .map(|d| (d.doc_id.as_str(), d.text.as_str(), d.date, d.status, d.detail.as_str()))
                .collect();
            let date = Date::new(2022, 12, 4);
            assert_eq!(
                got,
                [
                    ("a1", "Head\n\nBody one.", date, Status::Ok, ""),
                    ("42", "Number id.", None, Status::Ok, ""),
                    (&format!("{r}:3") as &str, "No id.", None, Status::Ok, ""),
                    (&format!("{r}:5"), "Blank id.", None, Status::Ok, "unparsed date 'last Tuesday'"),
                    (&format!("{r}:6"), "", None, Status::Ok, ""),
                ]
            );
            assert_eq!(docs[0].bytes, "Head\n\nBody one.".len() as u64);
            assert!(docs.iter().all(|d| d.source == format!("corpus/{name}")));
        }
    }

    #[test]
    fn bad_lines_become_errors_and_reading_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let body = concat!(
            "{\"text\": \"one\"}\n",
            "{\"text\": \"two\"\n",
            "[1, 2]\n",
            "{\"id\": \"x\", \"body\": \"no text\"}\n",
            "{\"id\": \"y\", \"text\": 7}\n",
            "{\"text\": \"three\"}\r\n",
        );
        let file = write(dir.path(), "bad.jsonl", body.as_bytes());
        let docs = read(&file);
        let got: Vec<_> = docs.iter().map(|d| (d.doc_id.as_str(), d.status)).collect();
        assert_eq!(
            got,
            [
                ("bad.jsonl:1", Status::Ok),
                ("bad.jsonl:2", Status::Error),
                ("bad.jsonl:3", Status::Error),
                ("bad.jsonl:4", Status::Error),
                ("bad.jsonl:5", Status::Error),
                ("bad.jsonl:6", Status::Ok),
            ]
        );
        assert!(docs[1].detail.starts_with("invalid JSON: EOF while parsing an object (column "));
        assert_eq!(docs[2].detail, "not a JSON object (found array)");
        assert_eq!(docs[3].detail, "no 'text' field");
        assert_eq!(docs[4].detail, "'text' is not a string (found number)");
        assert_eq!(docs[5].text, "three");
    }

    #[test]
    fn renamed_fields() {
        let dir = tempfile::tempdir().unwrap();
        let line = r#"{"uid": "u1", "body": "Renamed.", "published": "2021-01-02", "text": "not me", "id": "not me", "title": "T"}"#;
        let file = write(dir.path(), "r.jsonl", line.as_bytes());
        let opts = ReadOptions { text_field: "body".into(), id_field: "uid".into(), date_field: "published".into() };
        let docs = read_opts(&file, &opts);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].doc_id, "u1");
        assert_eq!(docs[0].text, "T\n\nRenamed.");
        assert_eq!(docs[0].date, Date::new(2021, 1, 2));
        // The error names the renamed field.
        let file = write(dir.path(), "s.jsonl", br#"{"text": "x"}"#);
        assert_eq!(read_opts(&file, &opts)[0].detail, "no 'body' field");
    }

    #[test]
    fn numeric_ids_are_used_as_written() {
        // Through an f64 the first two were one id, 1.2345678901234568e+22;
        // 1E2 was 100.0, 0.1e-999 was 0.0, -0 was -0.0 and 1.50 was 1.5.
        let dir = tempfile::tempdir().unwrap();
        let ids = ["12345678901234567890123", "12345678901234567890124", "1E2", "0.1e-999", "42", "-7", "-0", "1.50"];
        let body: String = ids.iter().map(|id| format!("{{\"id\": {id}, \"text\": \"x\"}}\n")).collect();
        let docs = read(&write(dir.path(), "n.jsonl", body.as_bytes()));
        let got: Vec<_> = docs.iter().map(|d| (d.doc_id.as_str(), d.status, d.detail.as_str())).collect();
        let want: Vec<_> = ids.iter().map(|&id| (id, Status::Ok, "")).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn numbers_in_renamed_and_date_fields_are_as_written() {
        let dir = tempfile::tempdir().unwrap();
        // 1e400 is beyond an f64: it failed the whole line before.
        let body = "{\"uid\": 1e400, \"text\": \"x\", \"date\": 2.0E3}\n{\"uid\": 7, \"id\": 8, \"text\": \"y\"}\n";
        let file = write(dir.path(), "r.jsonl", body.as_bytes());
        let opts = ReadOptions { id_field: "uid".into(), ..ReadOptions::default() };
        let got: Vec<_> = read_opts(&file, &opts).into_iter().map(|d| (d.doc_id, d.status, d.detail)).collect();
        assert_eq!(
            got,
            [
                ("1e400".to_string(), Status::Ok, "unparsed date '2.0E3'".to_string()),
                ("7".to_string(), Status::Ok, String::new()),
            ]
        );
    }

    #[test]
    fn only_the_fields_read_must_be_unicode() {
        let dir = tempfile::tempdir().unwrap();
        // A lone surrogate in a field cotag reads fails the line, as it did;
        // in a field it skips, it no longer does.
        let body = concat!(
            r#"{"id": "\ud800", "text": "x"}"#,
            "\n",
            r#"{"id": "b", "text": "y", "note": "\ud800", "score": 1e400}"#,
        );
        let docs = read(&write(dir.path(), "s.jsonl", body.as_bytes()));
        assert_eq!((docs[0].doc_id.as_str(), docs[0].status), ("s.jsonl:1", Status::Error));
        assert!(
            docs[0].detail.starts_with("invalid JSON: unexpected end of hex escape (column "),
            "{}",
            docs[0].detail
        );
        assert_eq!((docs[1].doc_id.as_str(), docs[1].text.as_str(), docs[1].status), ("b", "y", Status::Ok));
    }

    #[test]
    fn title_as_text_field_is_not_doubled() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "t.jsonl", br#"{"title": "Only a headline"}"#);
        let opts = ReadOptions { text_field: "title".into(), ..ReadOptions::default() };
        assert_eq!(read_opts(&file, &opts)[0].text, "Only a headline");
    }

    #[test]
    fn odd_field_types_are_noted() {
        let dir = tempfile::tempdir().unwrap();
        let line = r#"{"id": true, "text": "x", "date": 20221204, "title": ["a"]}"#;
        let file = write(dir.path(), "o.jsonl", line.as_bytes());
        let doc = &read(&file)[0];
        assert_eq!(doc.doc_id, "o.jsonl:1");
        assert_eq!(doc.status, Status::Ok);
        assert_eq!(doc.detail, "ignored 'id' (found boolean); unparsed date '20221204'; ignored 'title' (found array)");
    }

    #[test]
    fn invalid_utf8_line_is_lossy_with_correct_text() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "l.jsonl", b"{\"text\": \"caf\xe9 au lait\"}\n{\"text\": \"ok\"}\n");
        let docs = read(&file);
        assert_eq!(docs[0].status, Status::Lossy);
        assert_eq!(docs[0].text, "caf\u{FFFD} au lait");
        assert_eq!(docs[0].detail, "invalid UTF-8 replaced (1 byte)");
        assert_eq!((docs[1].status, docs[1].detail.as_str()), (Status::Ok, ""));
    }

    #[test]
    fn nul_bytes_skip_the_file_or_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "bin.jsonl", b"PK\x03\x04\0\0\0garbage\n{\"text\": \"x\"}\n");
        let docs = read(&file);
        assert_eq!(docs.len(), 1);
        assert_eq!(
            (docs[0].doc_id.as_str(), docs[0].status, docs[0].detail.as_str()),
            ("bin.jsonl", Status::Skipped, "binary file (NUL bytes)")
        );
        // A NUL far into the file only costs its own line.
        let mut body = "{\"text\": \"fine\"}\n".repeat(10_000).into_bytes();
        body.extend_from_slice(b"{\"text\": \"a\0b\"}\n{\"text\": \"after\"}\n");
        let file = write(dir.path(), "late.jsonl", &body);
        let docs = read(&file);
        assert_eq!(docs.len(), 10_002);
        assert_eq!(docs[10_000].doc_id, "late.jsonl:10001");
        assert_eq!(docs[10_000].status, Status::Skipped);
        assert_eq!(docs[10_001].text, "after");
    }

    #[test]
    fn bom_and_utf16() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "bom.jsonl", b"\xEF\xBB\xBF{\"text\": \"x\"}\n");
        let docs = read(&file);
        assert_eq!((docs[0].text.as_str(), docs[0].status), ("x", Status::Ok));

        let mut raw = vec![0xFF, 0xFE];
        raw.extend(utf16le("{\"id\": \"é\", \"text\": \"Zürich\"}\r\n{\"text\": \"two\"}\r\n"));
        let file = write(dir.path(), "u16.jsonl", &raw);
        let docs = read(&file);
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].doc_id.as_str(), docs[0].text.as_str()), ("é", "Zürich"));
        assert_eq!((docs[0].status, docs[0].detail.as_str()), (Status::Ok, "decoded from UTF-16LE"));
        assert_eq!(docs[1].doc_id, "u16.jsonl:2");
    }

    #[test]
    fn empty_file_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in [("e.jsonl", b"\n \n".to_vec()), ("e.jsonl.gz", gz(b""))] {
            let docs = read(&write(dir.path(), name, &bytes));
            assert_eq!(docs.len(), 1, "{name}");
            assert_eq!(
                (docs[0].doc_id.as_str(), docs[0].status, docs[0].detail.as_str()),
                (name, Status::Skipped, "no documents (empty file)")
            );
        }
    }

    #[test]
    fn oversized_line_is_an_error_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let body = format!("{{\"text\": \"{}\"}}\n{{\"text\": \"small\"}}\n", "x".repeat(100));
        let file = write(dir.path(), "big.jsonl", body.as_bytes());
        let docs = read_limits(&file, Limits { decompressed: u64::MAX, document: 50 });
        assert_eq!(docs[0].doc_id, "big.jsonl:1");
        assert_eq!(docs[0].status, Status::Error);
        assert_eq!(docs[0].detail, "document larger than 50 bytes limit (112 bytes)");
        assert_eq!(docs[1].text, "small");
    }

    #[test]
    fn truncated_gzip_keeps_earlier_documents() {
        let dir = tempfile::tempdir().unwrap();
        let body: String =
            (0..5000).map(|i| format!("{{\"id\": {i}, \"text\": \"doc {i} {}\"}}\n", i * 7919)).collect();
        let packed = gz(body.as_bytes());
        let file = write(dir.path(), "cut.jsonl.gz", &packed[..packed.len() / 2]);
        let docs = read(&file);
        let last = docs.last().unwrap();
        assert_eq!((last.doc_id.as_str(), last.status), ("cut.jsonl.gz", Status::Error));
        assert!(last.detail.starts_with("corrupt or truncated gzip: "), "{}", last.detail);
        assert!(last.detail.contains(" (at line "), "{}", last.detail);
        let good = &docs[..docs.len() - 1];
        assert!(good.len() > 100, "kept {}", good.len());
        assert!(good.iter().enumerate().all(|(i, d)| d.doc_id == i.to_string() && d.status == Status::Ok));
    }

    /// Damage within the first 8 KiB of inflated text (where the input's
    /// head is read to tell text from binary) keeps the documents before
    /// it too: two lines and garbage after the gzip member lost both.
    #[test]
    fn damage_near_the_start_keeps_earlier_documents() {
        let dir = tempfile::tempdir().unwrap();
        let mut packed = gz(b"{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
        packed.extend_from_slice(b"garbage after the member");
        let docs = read(&write(dir.path(), "short.jsonl.gz", &packed));
        let summary: Vec<(&str, Status, &str)> =
            docs.iter().map(|d| (d.doc_id.as_str(), d.status, d.text.as_str())).collect();
        assert_eq!(
            summary[..2],
            [("short.jsonl.gz:1", Status::Ok, "one"), ("short.jsonl.gz:2", Status::Ok, "two")],
            "{docs:?}"
        );
        let last = docs.last().unwrap();
        assert_eq!((docs.len(), last.status), (3, Status::Error), "{docs:?}");
        assert!(last.detail.starts_with("corrupt or truncated gzip: "), "{}", last.detail);
        assert!(last.detail.ends_with(" (at line 3)"), "{}", last.detail);
    }

    #[test]
    fn gzip_bomb_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let body = "{\"text\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}\n".repeat(100_000);
        let file = write(dir.path(), "bomb.jsonl.gz", &gz(body.as_bytes()));
        let docs = read_limits(&file, Limits { decompressed: 1 << 20, document: 1 << 20 });
        let last = docs.last().unwrap();
        assert_eq!(last.status, Status::Error);
        assert!(last.detail.starts_with("decompressed size exceeds 1 MiB limit (at line "), "{}", last.detail);
        assert!(docs.len() > 1000 && docs.len() < 100_000);
    }

    #[test]
    fn stdin_stream() {
        let input = b"{\"id\": \"s1\", \"text\": \"one\"}\n\n{\"text\": \"two\"}\nnot json\n";
        let mut docs = Vec::new();
        read_jsonl_stream(&input[..], "-", "-", &ReadOptions::default(), &mut |d| {
            docs.push(d);
            true
        });
        let got: Vec<_> = docs.iter().map(|d| (d.doc_id.as_str(), d.source.as_str(), d.status)).collect();
        assert_eq!(got, [("s1", "-", Status::Ok), ("-:3", "-", Status::Ok), ("-:4", "-", Status::Error)]);
        // An empty stream yields nothing (see the doc comment).
        let mut n = 0;
        read_jsonl_stream(&b""[..], "-", "-", &ReadOptions::default(), &mut |_| {
            n += 1;
            true
        });
        assert_eq!(n, 0);
    }
}
