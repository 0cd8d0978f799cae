//! CSV and TSV (`.csv`, `.tsv`): a header row, then one document per row.
//!
//! Both are read with RFC 4180 quoting, TSV included: that is what pandas
//! (`to_csv(sep="\t")`) and R (`write.table`) write, and a field only counts
//! as quoted when it *starts* with `"`, so quotes inside text are safe.
//! Quoted fields may hold newlines and delimiters.

use csv::ByteRecord;

use super::date::parse_date_field;
use super::decode::{quote_short, utf8_lossy_slice, Notes};
use super::jsonl::with_title;
use super::open::{describe, Input};
use super::{human_bytes, Limits, ReadOptions, TITLE_FIELD};
use crate::document::{Document, Status};

/// Where the rows come from and how to read them.
pub(crate) struct Ctx<'a> {
    /// `rel` of the file: doc_id of file-level records, prefix of `rel:ROW`.
    pub(crate) rel: &'a str,
    /// `source` of every record.
    pub(crate) source: &'a str,
    pub(crate) opts: &'a ReadOptions,
    pub(crate) limits: Limits,
    /// `b','` or `b'\t'`.
    pub(crate) delimiter: u8,
    /// Whether the bytes come through gzip (for wording read errors).
    pub(crate) gz: bool,
}

impl Ctx<'_> {
    fn file_record(&self, status: Status, detail: String) -> Document {
        Document::without_text(self.rel.to_string(), self.source.to_string(), status, detail)
    }

    fn row_record(&self, row: u64, status: Status, detail: String) -> Document {
        Document::without_text(self.row_id(row), self.source.to_string(), status, detail)
    }

    fn row_id(&self, row: u64) -> String {
        format!("{}:{row}", self.rel)
    }
}

/// The columns of the fields cotag reads, from the header row.
struct Columns {
    width: usize,
    text: usize,
    id: Option<usize>,
    date: Option<usize>,
    title: Option<usize>,
}

/// Reads a CSV/TSV input; every row becomes a document.
///
/// The doc_id is the id column's value, or `rel:ROW` when there is no id
/// column or the cell is blank. ROW is the 1-based number of the data row:
/// the header is not counted, nor are blank lines, and a row with quoted
/// newlines counts once. So ROW − 1 is the row's index in
/// `pandas.read_csv(path)` (which skips blank lines too), not a line number.
///
/// A row whose field count differs from the header's is an `error` record
/// (its fields cannot be trusted to be in their columns); a row holding NUL
/// bytes is `skipped`; reading goes on after both. A file without the text
/// column is one `error` record `no 'text' column` (doc_id `rel`); a file
/// with no row at all is one `skipped` record.
pub(crate) fn read_table(input: Input<'_>, ctx: &Ctx<'_>, sink: &mut dyn FnMut(Document) -> bool) {
    let reader = input.reader;
    // Binary check on the first block, as for JSONL: a misnamed spreadsheet
    // (`.xlsx` is a zip) is one record, not a pile of ragged rows.
    if input.head_has_nul {
        sink(ctx.file_record(Status::Skipped, "binary file (NUL bytes)".to_string()));
        return;
    }
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(ctx.delimiter)
        .has_headers(false)
        // Ragged rows are reported by us, row by row, instead of as an error
        // that would stop the reader.
        .flexible(true)
        .from_reader(reader);
    let mut record = ByteRecord::new();
    let read_error = |e: csv::Error, row: u64| {
        let detail = match e.into_kind() {
            csv::ErrorKind::Io(io) => describe(&io, ctx.gz),
            other => format!("{other:?}"),
        };
        ctx.file_record(Status::Error, format!("{detail} (at row {row})"))
    };
    let columns = match rows.read_byte_record(&mut record) {
        Ok(true) => match columns(&record, ctx.opts) {
            Some(columns) => columns,
            None => {
                let detail = format!("no '{}' column", ctx.opts.text_field);
                sink(ctx.file_record(Status::Error, detail));
                return;
            }
        },
        Ok(false) => {
            sink(ctx.file_record(Status::Skipped, "empty file (no header row)".to_string()));
            return;
        }
        Err(e) => {
            sink(read_error(e, 0));
            return;
        }
    };
    let mut row: u64 = 0;
    loop {
        match rows.read_byte_record(&mut record) {
            Ok(true) => {
                row += 1;
                if !sink(parse_row(&record, row, &columns, input.encoding, ctx)) {
                    break;
                }
            }
            Ok(false) => break,
            Err(e) => {
                sink(read_error(e, row + 1));
                break;
            }
        }
    }
    if row == 0 {
        sink(ctx.file_record(Status::Skipped, "no documents (header row only)".to_string()));
    }
}

/// Finds the columns in the header row; `None` without a text column.
fn columns(header: &ByteRecord, opts: &ReadOptions) -> Option<Columns> {
    let names: Vec<String> = header.iter().map(|f| utf8_lossy_slice(f).0.trim().to_string()).collect();
    // Exact first, so that a header with both `id` and `ID` means `id`.
    let find = |name: &str| {
        names.iter().position(|n| n == name).or_else(|| names.iter().position(|n| n.eq_ignore_ascii_case(name)))
    };
    let text = find(&opts.text_field)?;
    Some(Columns {
        width: names.len(),
        text,
        id: find(&opts.id_field).filter(|&i| i != text),
        date: find(&opts.date_field).filter(|&i| i != text),
        title: find(TITLE_FIELD).filter(|&i| i != text),
    })
}

/// Turns one data row into a document, or into a record of what is wrong.
fn parse_row(
    record: &ByteRecord,
    row: u64,
    cols: &Columns,
    encoding: super::open::Encoding,
    ctx: &Ctx<'_>,
) -> Document {
    if record.len() != cols.width {
        let detail = format!("row has {} fields, header has {}", record.len(), cols.width);
        return ctx.row_record(row, Status::Error, detail);
    }
    if record.as_slice().len() > ctx.limits.document {
        let detail = format!("document larger than {} limit", human_bytes(ctx.limits.document as u64));
        return ctx.row_record(row, Status::Error, detail);
    }
    if memchr::memchr(0, record.as_slice()).is_some() {
        return ctx.row_record(row, Status::Skipped, "binary data (NUL bytes)".to_string());
    }
    let mut notes = Notes::new(encoding);
    let mut field = |i: usize| {
        let (s, invalid) = utf8_lossy_slice(&record[i]);
        notes.invalid(invalid);
        s
    };
    let body = field(cols.text).into_owned();
    let id = cols.id.map(&mut field).filter(|s| !s.trim().is_empty());
    let title = cols.title.map(&mut field).filter(|s| !s.trim().is_empty());
    let date_cell = cols.date.map(&mut field);
    let doc_id = id.map_or_else(|| ctx.row_id(row), |s| s.into_owned());
    let date = date_cell.as_deref().map(str::trim).filter(|s| !s.is_empty()).and_then(|s| {
        let date = parse_date_field(s);
        if date.is_none() {
            notes.note(format!("unparsed date {}", quote_short(s)));
        }
        date
    });
    let text = with_title(title.as_deref(), body);
    let (status, detail) = notes.finish();
    Document { doc_id, source: ctx.source.to_string(), date, bytes: text.len() as u64, text, status, detail }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::testutil::*;
    use crate::document::Date;

    fn summary(docs: &[Document]) -> Vec<(String, String, Status)> {
        docs.iter().map(|d| (d.doc_id.clone(), d.text.clone(), d.status)).collect()
    }

    fn row(id: &str, text: &str, status: Status) -> (String, String, Status) {
        (id.to_string(), text.to_string(), status)
    }

    #[test]
    fn csv_and_tsv_plain_and_gzipped() {
        let dir = tempfile::tempdir().unwrap();
        let csv = "id,date,title,text\nr1,2022-12-04,Head,\"Body, with comma\"\n,,,\"no id\"\n7,2022-13-01,,seven\n";
        let tsv = csv.replace(',', "\t").replace("\"Body\t with comma\"", "\"Body, with comma\"");
        for (name, bytes) in [
            ("t.csv", csv.as_bytes().to_vec()),
            ("t.CSV.gz", gz(csv.as_bytes())),
            ("t.tsv", tsv.as_bytes().to_vec()),
            ("t.tsv.gz", gz(tsv.as_bytes())),
        ] {
            let docs = read(&write(dir.path(), name, &bytes));
            assert_eq!(
                summary(&docs),
                [
                    row("r1", "Head\n\nBody, with comma", Status::Ok),
                    row(&format!("{name}:2"), "no id", Status::Ok),
                    row("7", "seven", Status::Ok),
                ],
                "{name}"
            );
            assert_eq!(docs[0].date, Date::new(2022, 12, 4));
            assert_eq!(docs[2].date, None);
            assert_eq!(docs[2].detail, "unparsed date '2022-13-01'");
        }
    }

    #[test]
    fn quoted_newlines_ragged_rows_and_row_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let body = "text,title\r\n\"line one\r\n\r\nline two\",T\r\n\r\nragged\r\n\"he said \"\"hi\"\"\",\r\nx,y,z\r\nlast,\r\n";
        let docs = read(&write(dir.path(), "q.csv", body.as_bytes()));
        assert_eq!(
            summary(&docs),
            [
                row("q.csv:1", "T\n\nline one\r\n\r\nline two", Status::Ok),
                row("q.csv:2", "", Status::Error),
                row("q.csv:3", "he said \"hi\"", Status::Ok),
                row("q.csv:4", "", Status::Error),
                row("q.csv:5", "last", Status::Ok),
            ]
        );
        assert_eq!(docs[1].detail, "row has 1 fields, header has 2");
        assert_eq!(docs[3].detail, "row has 3 fields, header has 2");
    }

    #[test]
    fn missing_text_column_names_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "m.csv", b"id,body\n1,hello\n");
        let docs = read(&file);
        assert_eq!(docs.len(), 1);
        assert_eq!(
            (docs[0].doc_id.as_str(), docs[0].status, docs[0].detail.as_str()),
            ("m.csv", Status::Error, "no 'text' column")
        );
        let opts = ReadOptions { text_field: "content".into(), ..ReadOptions::default() };
        assert_eq!(read_opts(&file, &opts)[0].detail, "no 'content' column");
    }

    #[test]
    fn renamed_and_spreadsheet_style_headers() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(
            dir.path(),
            "s.csv",
            b"\xEF\xBB\xBF Story_ID ,Published,Body,Title\nk9,2020-02-29 08:00,Text here,\n",
        );
        let opts =
            ReadOptions { text_field: "body".into(), id_field: "story_id".into(), date_field: "published".into() };
        let docs = read_opts(&file, &opts);
        assert_eq!(summary(&docs), [row("k9", "Text here", Status::Ok)]);
        assert_eq!(docs[0].date, Date::new(2020, 2, 29));
        assert_eq!(docs[0].detail, "");
    }

    #[test]
    fn header_only_and_empty_files_are_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let docs = read(&write(dir.path(), "h.csv", b"id,text\n"));
        assert_eq!((docs.len(), docs[0].status), (1, Status::Skipped));
        assert_eq!(docs[0].doc_id, "h.csv");
        let docs = read(&write(dir.path(), "e.tsv", b""));
        assert_eq!((docs.len(), docs[0].status), (1, Status::Skipped));
    }

    #[test]
    fn invalid_utf8_nul_and_utf16() {
        let dir = tempfile::tempdir().unwrap();
        // The NUL row comes after the first block, so it costs only itself.
        let mut body = b"text\nna\xefve\n".to_vec();
        body.extend("padding\n".repeat(2000).as_bytes());
        body.extend(b"\"a\0b\"\nok\n");
        let docs = read(&write(dir.path(), "l.csv", &body));
        assert_eq!(docs.len(), 2003);
        assert_eq!(summary(&docs[..1]), [row("l.csv:1", "na\u{FFFD}ve", Status::Lossy)]);
        assert_eq!(
            summary(&docs[2001..]),
            [row("l.csv:2002", "", Status::Skipped), row("l.csv:2003", "ok", Status::Ok)]
        );
        assert_eq!(docs[0].detail, "invalid UTF-8 replaced (1 byte)");
        assert_eq!(docs[2001].detail, "binary data (NUL bytes)");

        let docs = read(&write(dir.path(), "bin.csv", b"text\n\0\0\0\x01\x02"));
        assert_eq!(summary(&docs), [row("bin.csv", "", Status::Skipped)]);

        // Excel's "Unicode Text": UTF-16LE with BOM, tab-separated.
        let mut raw = vec![0xFF, 0xFE];
        raw.extend(utf16le("id\ttext\r\nü1\tGrüße aus Köln\r\n"));
        let docs = read(&write(dir.path(), "x.tsv", &raw));
        assert_eq!(summary(&docs), [row("ü1", "Grüße aus Köln", Status::Ok)]);
        assert_eq!(docs[0].detail, "decoded from UTF-16LE");
    }

    #[test]
    fn truncated_gzip_keeps_earlier_rows() {
        let dir = tempfile::tempdir().unwrap();
        let body: String = std::iter::once("id,text\n".to_string())
            .chain((0..5000).map(|i| format!("{i},row {i} {}\n", i * 7919)))
            .collect();
        let packed = gz(body.as_bytes());
        let docs = read(&write(dir.path(), "cut.csv.gz", &packed[..packed.len() / 2]));
        let last = docs.last().unwrap();
        assert_eq!((last.doc_id.as_str(), last.status), ("cut.csv.gz", Status::Error));
        assert!(last.detail.starts_with("corrupt or truncated gzip: "), "{}", last.detail);
        assert!(docs.len() > 100);
    }

    #[test]
    fn oversized_row_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let body = format!("text\n{}\nsmall\n", "x".repeat(100));
        let docs = read_limits(
            &write(dir.path(), "big.csv", body.as_bytes()),
            Limits { decompressed: u64::MAX, document: 50 },
        );
        assert_eq!(summary(&docs), [row("big.csv:1", "", Status::Error), row("big.csv:2", "small", Status::Ok)]);
        assert_eq!(docs[0].detail, "document larger than 50 bytes limit");
    }
}
