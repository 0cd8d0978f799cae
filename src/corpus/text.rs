//! Plain text files (`.txt`, `.text`, `.md`): the whole file is one document.

use std::io::Read;

use super::date::date_from_path;
use super::decode::{utf8_lossy, Notes};
use super::open::{describe, open_unblocked, regular_size, sniff, Encoding, Input};
use super::{human_bytes, InputFile, Limits};
use crate::document::{Document, Status};

/// How much of a plain text file is read before asking its size.
const FIRST_READ: usize = 64 * 1024;

thread_local! {
    /// The first block of a plain text file, reused from file to file.
    static FIRST_BLOCK: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

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
    text_document(buf, input.encoding, file)
}

/// [`read_text`] for a plain (not gzipped) file, read straight into one
/// buffer of its size: a corpus of small articles spends much of its
/// reading time in system calls and copies, and this path makes the fewest.
/// A file is first read into a per-thread buffer of [`FIRST_READ`] bytes;
/// one that ends there (most articles) costs open, read, read (the end),
/// close, and one copy. Only a larger file, an empty read or a failed one
/// asks what the file is: a folder or a FIFO (which reads as empty, or
/// fails, when opened without blocking) is reported as such, and a file
/// over the limit is refused after its first block. UTF-16 files take the
/// general path.
pub(crate) fn read_plain_text(file: &InputFile, limits: Limits) -> Document {
    let fail = |status, detail: String| {
        Document::without_text(file.rel().to_string(), file.source().to_string(), status, detail)
    };
    let too_large =
        || fail(Status::Error, format!("document larger than {} limit", human_bytes(limits.document as u64)));
    let opened = match open_unblocked(file.path()) {
        Ok(opened) => opened,
        Err(e) => return fail(Status::Error, describe(&e, false)),
    };
    // An error or an empty read from something that is not a regular file
    // is reported as what it is (a folder, a FIFO), not as the read's error.
    let not_regular =
        |e: std::io::Error| fail(Status::Error, describe(&regular_size(&opened).err().unwrap_or(e), false));
    let first = FIRST_BLOCK.with_borrow_mut(|block| {
        block.resize(FIRST_READ, 0);
        let mut n = 0;
        loop {
            match (&opened).read(&mut block[n..]) {
                Ok(0) => return Ok((block[..n].to_vec(), true)),
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            if n == FIRST_READ {
                // A larger file keeps the block as the start of its buffer.
                return Ok((std::mem::take(block), false));
            }
        }
    });
    let mut buf = match first {
        Ok((buf, true)) if !buf.is_empty() => buf,
        Ok((buf, at_end)) => {
            // Empty (a FIFO reads so), or more to come: ask what the file is.
            let size = match regular_size(&opened) {
                Ok(size) => size,
                Err(e) => return not_regular(e),
            };
            if at_end {
                buf
            } else if size > limits.document as u64 || buf.len() > limits.document {
                // The block alone may be over a limit under 64 KiB (a file
                // that shrank after it was read reports a smaller size).
                return too_large();
            } else {
                // One byte more than the size, so that the end is found without
                // growing the buffer; a file that grew since is still read whole.
                let mut all = buf;
                all.reserve_exact((size as usize + 1).saturating_sub(all.len()));
                let rest = limits.document as u64 + 1 - all.len() as u64;
                if let Err(e) = (&opened).take(rest).read_to_end(&mut all) {
                    return not_regular(e);
                }
                all
            }
        }
        Err(e) => return not_regular(e),
    };
    drop(opened);
    if buf.len() > limits.document {
        return too_large();
    }
    match buf.as_slice() {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => match sniff(buf.as_slice()) {
            Ok(input) => read_text(input, file, false, Some(buf.len() as u64), limits),
            Err(e) => fail(Status::Error, describe(&e, false)),
        },
        [0xEF, 0xBB, 0xBF, ..] => {
            buf.drain(..3);
            text_document(buf, Encoding::Utf8, file)
        }
        _ => text_document(buf, Encoding::Utf8, file),
    }
}

/// The document of a text file whose content (without a BOM, transcoded to
/// UTF-8 bytes) is `buf`.
fn text_document(buf: Vec<u8>, encoding: Encoding, file: &InputFile) -> Document {
    // The raw bytes are checked, but after UTF-16 transcoding, so this is a
    // check of the decoded content: UTF-16's own zero bytes do not count.
    if memchr::memchr(0, &buf).is_some() {
        return Document::without_text(
            file.rel().to_string(),
            file.source().to_string(),
            Status::Skipped,
            "binary file (NUL bytes)".to_string(),
        );
    }
    let bytes = buf.len() as u64;
    let (text, invalid) = utf8_lossy(buf);
    let mut notes = Notes::new(encoding);
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
