//! Reading one input: choosing the format by extension and opening the file.

use super::open::{describe, open, open_bytes, Input};
use super::table::read_table;
use super::text::{read_plain_text, read_text};
use super::{jsonl, table, InputFile, Limits, ReadOptions};
use crate::document::{Document, Status};

/// The formats of SPEC §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `.txt`, `.text`, `.md`: one document per file.
    Text,
    /// `.jsonl`, `.ndjson`: one document per line.
    Jsonl,
    /// `.csv` (`b','`) and `.tsv` (`b'\t'`): one document per row.
    Table(u8),
}

/// The format of a file and whether it is gzipped, from its name's
/// extensions (case-insensitive); `Err` with the detail for anything else.
fn format_of(rel: &str) -> Result<(Format, bool), String> {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    let (stem, gz) = match name.strip_suffix(".gz") {
        Some(stem) => (stem, true),
        None => (name.as_str(), false),
    };
    let ext = match stem.rsplit_once('.') {
        Some((base, ext)) if !base.is_empty() => ext,
        _ => return Err("unsupported file type".to_string()),
    };
    let format = match ext {
        "txt" | "text" | "md" => Format::Text,
        "jsonl" | "ndjson" => Format::Jsonl,
        "csv" => Format::Table(b','),
        "tsv" => Format::Table(b'\t'),
        // A common mistake worth a hint: a JSON array file is not JSON Lines.
        "json" => return Err("unsupported file type '.json' (JSON Lines must be named .jsonl or .ndjson)".to_string()),
        _ => return Err(format!("unsupported file type '.{ext}'")),
    };
    Ok((format, gz))
}

/// Whether the file named `rel` is read as a single document (a text file,
/// gzipped or not) rather than a stream of them (JSONL, CSV, TSV) or a
/// record of an unsupported type. The pipeline batches such files by the
/// dozen for its reading threads.
pub fn holds_one_document(rel: &str) -> bool {
    matches!(format_of(rel), Ok((Format::Text, _)))
}

/// Whether the file named `rel` is a stream of documents (JSONL, CSV, TSV,
/// gzipped or not). The pipeline gives each such file to a reading thread
/// of its own, so that decompressing and parsing run on every core.
pub fn holds_many_documents(rel: &str) -> bool {
    matches!(format_of(rel), Ok((Format::Jsonl | Format::Table(_), _)))
}

/// Reads one input and hands each document to `sink`, streaming (a multi-GB
/// JSONL file is read one line at a time). Never panics, never returns an
/// error: every problem becomes a Document with status `error` or `skipped`
/// and a detail, and the rest of the file goes on where it can. Every input
/// yields at least one Document.
///
/// `sink` answers whether to go on: at `false`, reading stops and the rest
/// of the input is left unread (a run that has failed or was interrupted
/// does not parse the rest of a file of gigabytes to drop it).
///
/// - An input with a walk `problem` becomes one record with it.
/// - The format comes from the extension, case-insensitive, optionally
///   followed by `.gz` (decompressed while streaming, members concatenated,
///   at most [`MAX_DECOMPRESSED_BYTES`](super::MAX_DECOMPRESSED_BYTES)).
///   Any other file is one `skipped` record `unsupported file type '.ext'`.
/// - Text: one document, doc_id `rel`, dated from the path.
/// - JSONL: one document per non-blank line, doc_id `id` or `rel:LINE`
///   (LINE 1-based, blank lines counted); a bad line is an `error` record
///   `rel:LINE` and the next line is read.
/// - CSV/TSV: one document per row, doc_id `id` or `rel:ROW` (ROW is the
///   1-based data row, header and blank lines not counted; see `table`).
/// - A UTF-8 BOM is dropped; UTF-16 with a BOM is decoded (status `ok`,
///   detail `decoded from UTF-16LE`); invalid UTF-8 is replaced (status
///   `lossy`); NUL bytes make the file (or line, or row) `skipped`.
/// - An I/O error (file vanished, permission denied) or a corrupt gzip
///   stream is an `error` record with the reason; documents already read
///   from the file are kept.
pub fn read_input(file: &InputFile, opts: &ReadOptions, sink: &mut dyn FnMut(Document) -> bool) {
    read_input_with(file, opts, Limits::current(), sink);
}

/// [`read_input`] with the size limits as a parameter, for tests.
pub(crate) fn read_input_with(
    file: &InputFile,
    opts: &ReadOptions,
    limits: Limits,
    sink: &mut dyn FnMut(Document) -> bool,
) {
    let record = |status, detail: String| {
        Document::without_text(file.rel().to_string(), file.source().to_string(), status, detail)
    };
    // A lone record: what `sink` answers no longer matters.
    let mut last = |doc| {
        sink(doc);
    };
    if let Some((status, detail)) = &file.problem {
        return last(record(*status, detail.clone()));
    }
    let (format, gz) = match format_of(file.rel()) {
        Ok(found) => found,
        // A walk descends into folders, but a `--files-from` entry may name
        // one: that is an error, as for a folder named like a text file.
        Err(_) if std::fs::metadata(file.path()).is_ok_and(|m| m.is_dir()) => {
            return last(record(Status::Error, "is a folder, not a file".to_string()))
        }
        Err(detail) => return last(record(Status::Skipped, detail)),
    };
    if format == Format::Text && !gz {
        return last(read_plain_text(file, limits));
    }
    let input = match open(file.path(), gz, limits.decompressed) {
        Ok(input) => input,
        Err(e) => return last(record(Status::Error, describe(&e, gz))),
    };
    read_format(input, format, gz, file, opts, limits, sink);
}

/// Reads an input held in memory as if it were a file named `rel` (its
/// extension picks the format, `.gz` included), with the same records as
/// [`read_input`]: `source` and the doc_id prefix are `rel`, and a text
/// document is dated from `rel`.
///
/// For callers that have the bytes already (a fuzzer, an archive member,
/// a database blob); nothing touches the file system. `sink` answers
/// whether to go on, as for [`read_input`].
pub fn read_bytes(rel: &str, bytes: &[u8], opts: &ReadOptions, sink: &mut dyn FnMut(Document) -> bool) {
    let file = InputFile::new(std::path::Path::new(rel), rel, rel, None);
    let limits = Limits::current();
    let record = |status, detail: String| {
        Document::without_text(file.rel().to_string(), file.source().to_string(), status, detail)
    };
    // A lone record, as in `read_input_with`.
    let mut last = |doc| {
        sink(doc);
    };
    let (format, gz) = match format_of(rel) {
        Ok(found) => found,
        Err(detail) => return last(record(Status::Skipped, detail)),
    };
    let input = match open_bytes(bytes, gz, limits.decompressed) {
        Ok(input) => input,
        Err(e) => return last(record(Status::Error, describe(&e, gz))),
    };
    read_format(input, format, gz, &file, opts, limits, sink);
}

/// Hands an opened input to the reader of its format.
fn read_format(
    input: Input<'_>,
    format: Format,
    gz: bool,
    file: &InputFile,
    opts: &ReadOptions,
    limits: Limits,
    sink: &mut dyn FnMut(Document) -> bool,
) {
    match format {
        Format::Text => {
            let size_hint = input.size;
            sink(read_text(input, file, gz, size_hint, limits));
        }
        Format::Jsonl => {
            let ctx = jsonl::Ctx { source: file.source(), id_prefix: file.rel(), opts, limits, gz };
            jsonl::read_jsonl_file(input, &ctx, sink);
        }
        Format::Table(delimiter) => {
            let ctx = table::Ctx { rel: file.rel(), source: file.source(), opts, limits, delimiter, gz };
            read_table(input, &ctx, sink);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::*;
    use crate::document::Date;

    #[test]
    fn reading_stops_at_the_record_the_sink_refuses() {
        // Five records each, a bad one among them (line or row 3), so that a
        // stop lands on error records as well as on documents.
        let jsonl = "{\"text\": \"a\"}\n{\"text\": \"b\"}\nnot json\n{\"text\": \"d\"}\n{\"text\": \"e\"}\n";
        let csv = "id,text\n1,a\n2,b\n3,c,ragged\n4,d\n5,e\n";
        let tsv = csv.replace(',', "\t");
        let inputs: [(&str, Vec<u8>); 4] = [
            ("a.jsonl", jsonl.into()),
            ("a.jsonl.gz", gz(jsonl.as_bytes())),
            ("a.csv", csv.into()),
            ("a.tsv", tsv.into()),
        ];
        for (rel, bytes) in &inputs {
            let mut all = 0;
            read_bytes(rel, bytes, &ReadOptions::default(), &mut |_| {
                all += 1;
                true
            });
            assert_eq!(all, 5, "{rel}");
            for stop_at in 1..=all {
                let mut seen = Vec::new();
                read_bytes(rel, bytes, &ReadOptions::default(), &mut |d| {
                    seen.push(d.status);
                    seen.len() < stop_at
                });
                assert_eq!(seen.len(), stop_at, "{rel}: no record after the refused one");
            }
        }
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(format_of("a/b.txt"), Ok((Format::Text, false)));
        assert_eq!(format_of("B.TXT.GZ"), Ok((Format::Text, true)));
        assert_eq!(format_of("x.Text"), Ok((Format::Text, false)));
        assert_eq!(format_of("x.md.gz"), Ok((Format::Text, true)));
        assert_eq!(format_of("x.ndjson"), Ok((Format::Jsonl, false)));
        assert_eq!(format_of("x.jsonl.gz"), Ok((Format::Jsonl, true)));
        assert_eq!(format_of("x.tsv"), Ok((Format::Table(b'\t'), false)));
        assert_eq!(format_of("x.csv.gz"), Ok((Format::Table(b','), true)));
        assert_eq!(format_of("x.pdf"), Err("unsupported file type '.pdf'".to_string()));
        assert_eq!(format_of("x.tar.gz"), Err("unsupported file type '.tar'".to_string()));
        assert!(format_of("x.json").unwrap_err().contains(".jsonl"));
        for name in ["README", "x.gz", "txt", "dir.txt/README", ".gz"] {
            assert_eq!(format_of(name), Err("unsupported file type".to_string()), "{name}");
        }
    }

    #[test]
    fn only_text_files_hold_one_document() {
        for rel in ["a/b.txt", "B.TXT.GZ", "x.md", "2020/01/02/x.text.gz"] {
            assert!(holds_one_document(rel), "{rel}");
        }
        for rel in ["x.jsonl", "x.ndjson.gz", "x.csv", "x.tsv.gz", "x.pdf", "README", "x.json"] {
            assert!(!holds_one_document(rel), "{rel}");
        }
    }

    #[test]
    fn plain_text_is_read_as_the_general_path_reads_it() {
        // The direct path for plain files against the general one (gzip).
        let dir = tempfile::tempdir().unwrap();
        let long = "Israel and the U.N. ".repeat(5000);
        // Around the first block a plain file is read into (64 KiB).
        let block = |n: usize| "Israel ".repeat(n / 7 + 1)[..n].to_string();
        let (under, at, over) = (block(65_535), block(65_536), block(65_537));
        let bodies: [&[u8]; 11] = [
            b"",
            b"x",
            b"\xEF\xBB\xBFIsrael",
            b"\xEF\xBB",
            long.as_bytes(),
            under.as_bytes(),
            at.as_bytes(),
            over.as_bytes(),
            b"caf\xe9 \xF0\x9F",
            b"\xFF\xFEI\0s\0",
            b"bin\0ary",
        ];
        for body in bodies {
            let plain = &read(&write(dir.path(), "p.txt", body))[0];
            let packed = &read(&write(dir.path(), "p.txt.gz", &gz(body)))[0];
            assert_eq!(
                (&plain.text, plain.bytes, plain.status, &plain.detail),
                (&packed.text, packed.bytes, packed.status, &packed.detail),
                "{body:?}"
            );
        }
    }

    #[test]
    fn text_files_plain_and_gzipped() {
        let dir = tempfile::tempdir().unwrap();
        let body = "Israel and the U.N.\n\nSecond paragraph.\n";
        for (name, bytes) in [("2022/12/04/a.txt", body.as_bytes().to_vec()), ("2022-12-04.md.gz", gz(body.as_bytes()))]
        {
            let docs = read(&write(dir.path(), name, &bytes));
            assert_eq!(docs.len(), 1);
            let d = &docs[0];
            assert_eq!((d.doc_id.as_str(), d.source.clone()), (name, format!("corpus/{name}")));
            assert_eq!((d.text.as_str(), d.bytes), (body, body.len() as u64));
            assert_eq!((d.status, d.detail.as_str()), (Status::Ok, ""));
            assert_eq!(d.date, Date::new(2022, 12, 4));
        }
    }

    #[test]
    fn text_dates_from_path() {
        let dir = tempfile::tempdir().unwrap();
        let date_of = |rel: &str, source: &str| {
            let written = write(dir.path(), rel, b"x");
            let f = InputFile::new(written.path(), rel, source, None);
            read(&f)[0].date
        };
        assert_eq!(date_of("2022-12-04-x.txt", "c/2022-12-04-x.txt"), Date::new(2022, 12, 4));
        assert_eq!(date_of("2022/12/04.txt", "c/2022/12/04.txt"), Date::new(2022, 12, 4));
        assert_eq!(date_of("2022-13-01.txt", "c/2022-13-01.txt"), None);
        assert_eq!(date_of("20221204.txt", "c/20221204.txt"), None);
        // rel first, then the path as given on the command line.
        assert_eq!(date_of("a.txt", "news/2021-05-06/a.txt"), Date::new(2021, 5, 6));
        assert_eq!(date_of("2020-01-01.txt", "news/2021-05-06/2020-01-01.txt"), Date::new(2020, 1, 1));
    }

    #[test]
    fn text_encodings() {
        let dir = tempfile::tempdir().unwrap();
        let d = &read(&write(dir.path(), "bom.txt", b"\xEF\xBB\xBFhello"))[0];
        assert_eq!((d.text.as_str(), d.bytes, d.status), ("hello", 5, Status::Ok));

        let d = &read(&write(dir.path(), "latin1.txt", b"Fran\xe7ois Hollande"))[0];
        assert_eq!(d.text, "Fran\u{FFFD}ois Hollande");
        assert_eq!((d.status, d.detail.as_str()), (Status::Lossy, "invalid UTF-8 replaced (1 byte)"));
        assert_eq!(d.bytes, 17);

        let mut raw = vec![0xFF, 0xFE];
        raw.extend(utf16le("Grüße 🌍"));
        let d = &read(&write(dir.path(), "u16le.txt", &raw))[0];
        assert_eq!((d.text.as_str(), d.status, d.detail.as_str()), ("Grüße 🌍", Status::Ok, "decoded from UTF-16LE"));
        let mut raw = vec![0xFE, 0xFF];
        raw.extend("Grüße".encode_utf16().flat_map(u16::to_be_bytes));
        let d = &read(&write(dir.path(), "u16be.txt.gz", &gz(&raw)))[0];
        assert_eq!((d.text.as_str(), d.detail.as_str()), ("Grüße", "decoded from UTF-16BE"));

        // A lone surrogate in UTF-16 is lossy too.
        let d = &read(&write(dir.path(), "bad16.txt", &[0xFF, 0xFE, b'a', 0, 0x00, 0xDC]))[0];
        assert_eq!((d.text.as_str(), d.status), ("a\u{FFFD}", Status::Lossy));
        assert_eq!(d.detail, "invalid UTF-16 replaced (1 code unit); decoded from UTF-16LE");
    }

    #[test]
    fn binary_and_unsupported_files_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let d = &read(&write(dir.path(), "img.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"))[0];
        assert_eq!((d.status, d.detail.as_str(), d.text.as_str()), (Status::Skipped, "binary file (NUL bytes)", ""));
        let d = &read(&write(dir.path(), "paper.pdf", b"%PDF"))[0];
        assert_eq!((d.doc_id.as_str(), d.status), ("paper.pdf", Status::Skipped));
        assert_eq!(d.detail, "unsupported file type '.pdf'");
    }

    #[test]
    fn empty_text_file_is_an_empty_document() {
        let dir = tempfile::tempdir().unwrap();
        let d = &read(&write(dir.path(), "empty.txt", b""))[0];
        assert_eq!((d.status, d.text.as_str(), d.bytes), (Status::Ok, "", 0));
    }

    #[test]
    fn gzip_problems() {
        let dir = tempfile::tempdir().unwrap();
        let body = "word ".repeat(50_000);
        let packed = gz(body.as_bytes());
        let d = &read(&write(dir.path(), "cut.txt.gz", &packed[..packed.len() - 20]))[0];
        assert_eq!((d.doc_id.as_str(), d.status), ("cut.txt.gz", Status::Error));
        assert!(d.detail.starts_with("corrupt or truncated gzip: "), "{}", d.detail);
        assert!(d.text.is_empty());

        let d = &read(&write(dir.path(), "notgz.txt.gz", b"plain text, not gzip"))[0];
        assert_eq!(d.status, Status::Error);
        assert!(d.detail.starts_with("corrupt or truncated gzip: "), "{}", d.detail);

        let limits = Limits { decompressed: 1000, document: 1 << 20 };
        let d = &read_limits(&write(dir.path(), "bomb.txt.gz", &packed), limits)[0];
        assert_eq!((d.status, d.detail.as_str()), (Status::Error, "decompressed size exceeds 1000 bytes limit"));
    }

    #[test]
    fn concatenated_gzip_members_are_all_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut both = gz(b"{\"text\": \"first\"}\n");
        both.extend(gz(b"{\"text\": \"second\"}\n"));
        let docs = read(&write(dir.path(), "multi.jsonl.gz", &both));
        let texts: Vec<_> = docs.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["first", "second"]);
    }

    #[test]
    fn oversized_text_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let limits = Limits { decompressed: u64::MAX, document: 10 };
        for (name, bytes) in [("big.txt", b"01234567890".to_vec()), ("big.txt.gz", gz(b"01234567890"))] {
            let d = &read_limits(&write(dir.path(), name, &bytes), limits)[0];
            assert_eq!((d.status, d.detail.as_str()), (Status::Error, "document larger than 10 bytes limit"), "{name}");
        }
        let d = &read_limits(&write(dir.path(), "fits.txt", b"0123456789"), limits)[0];
        assert_eq!(d.status, Status::Ok);
        // Past the first block a plain file is read into, the size decides.
        let limits = Limits { decompressed: u64::MAX, document: 70_000 };
        for (len, fits) in [(70_000, true), (70_001, false), (200_000, false)] {
            let d = &read_limits(&write(dir.path(), "big.txt", &vec![b'a'; len]), limits)[0];
            assert_eq!(d.status == Status::Ok, fits, "{len} bytes: {}", d.detail);
            assert_eq!(d.text.len(), if fits { len } else { 0 });
        }
    }

    #[test]
    fn io_errors_and_walk_problems_become_records() {
        let dir = tempfile::tempdir().unwrap();
        let mut gone = write(dir.path(), "gone.txt", b"x");
        std::fs::remove_file(gone.path()).unwrap();
        let d = &read(&gone)[0];
        assert_eq!((d.doc_id.as_str(), d.status), ("gone.txt", Status::Error));
        assert!(d.detail.contains("No such file"), "{}", d.detail);

        gone.problem = Some((Status::Skipped, "symlink loop".to_string()));
        let d = &read(&gone)[0];
        assert_eq!(
            (d.status, d.detail.as_str(), d.source.as_str()),
            (Status::Skipped, "symlink loop", "corpus/gone.txt")
        );
    }

    #[cfg(unix)]
    #[test]
    fn permission_denied_is_an_error() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "locked.txt", b"x");
        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::File::open(file.path()).is_ok() {
            return; // running as root: permissions do not apply
        }
        let d = &read(&file)[0];
        assert_eq!(d.status, Status::Error);
        assert!(d.detail.contains("ermission denied"), "{}", d.detail);
    }
}
