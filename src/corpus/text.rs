//! Plain text files (`.txt`, `.text`, `.md`): the whole file is one document.

use std::io::Read;

use super::date::date_from_path;
use super::decode::{utf8_lossy, Notes};
use super::open::{describe, Input};
use super::{human_bytes, InputFile, Limits};
use crate::document::{Document, Status};

/// Reads a whole text file as one document, doc_id `rel`.
///
/// `size_hint` is the file size when it is known before reading (plain
/// files), so that an oversized file is refused without reading it and the
/// buffer is allocated once.
///
/// `bytes` is the size of the content as read: after decompression, without
/// a BOM, UTF-16 counted as its UTF-8 transcoding, before invalid bytes are
/// replaced (so it equals `text.len()` for clean UTF-8).
///
/// The date comes from the path: `rel` first, then the whole `source` (so
/// that `cotag run corpus/2022-12-04/` or a file argument
/// `corpus/2022/12/04/a.txt` still dates its files). A text file has no title.
pub(crate) fn read_text(
    input: Input<'_>,
    file: &InputFile,
    gz: bool,
    size_hint: Option<u64>,
    limits: Limits,
) -> Document {
    let fail = |status, detail: String| {
        Document::without_text(file.rel().to_string(), file.source().to_string(), status, detail)
    };
    let too_large =
        || fail(Status::Error, format!("document larger than {} limit", human_bytes(limits.document as u64)));
    if size_hint.is_some_and(|n| n > limits.document as u64) {
        return too_large();
    }
    let mut buf = Vec::with_capacity(size_hint.unwrap_or(0) as usize);
    // One byte over the limit is enough to know the document is too large,
    // without ever holding more than that.
    if let Err(e) = input.reader.take(limits.document as u64 + 1).read_to_end(&mut buf) {
        return fail(Status::Error, describe(&e, gz));
    }
    if buf.len() > limits.document {
        return too_large();
    }
    // The raw bytes are checked, but after UTF-16 transcoding, so this is a
    // check of the decoded content: UTF-16's own zero bytes do not count.
    if memchr::memchr(0, &buf).is_some() {
        return fail(Status::Skipped, "binary file (NUL bytes)".to_string());
    }
    let bytes = buf.len() as u64;
    let (text, invalid) = utf8_lossy(buf);
    let mut notes = Notes::new(input.encoding);
    notes.invalid(invalid);
    let (status, detail) = notes.finish();
    Document {
        doc_id: file.rel().to_string(),
        source: file.source().to_string(),
        date: date_from_path(file.rel()).or_else(|| date_from_path(file.source())),
        text,
        bytes,
        status,
        detail,
    }
}
