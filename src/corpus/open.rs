//! Opening an input as a stream of UTF-8-ish bytes: the file, gzip
//! decompression with a size limit, and the byte-order mark.
//!
//! Every format reader sits on top of the same stack, so that `.gz`, BOMs and
//! UTF-16 work the same for text, JSONL and CSV:
//!
//! ```text
//! File -> BufReader -> MultiGzDecoder -> SizeLimit   (only for .gz)
//!      -> BOM sniffing -> Utf16ToUtf8               (only after a UTF-16 BOM)
//!      -> BufReader                                  (the format reader reads this)
//! ```

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

use super::human_bytes;
use super::utf16::Utf16ToUtf8;

/// Buffer size for file and decompression reads; large enough that a
/// multi-GB file is read in few system calls, small enough per thread.
const BUF_SIZE: usize = 64 * 1024;

/// The encoding an input was found in, from its byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8, with or without a BOM (the BOM is dropped), or anything else
    /// without a BOM (decoded as UTF-8 with replacement).
    Utf8,
    /// UTF-16 little-endian (BOM `FF FE`), transcoded to UTF-8.
    Utf16Le,
    /// UTF-16 big-endian (BOM `FE FF`), transcoded to UTF-8.
    Utf16Be,
}

impl Encoding {
    /// The note for `detail` when the input was not UTF-8.
    pub(crate) fn note(self) -> Option<&'static str> {
        match self {
            Encoding::Utf8 => None,
            Encoding::Utf16Le => Some("decoded from UTF-16LE"),
            Encoding::Utf16Be => Some("decoded from UTF-16BE"),
        }
    }
}

/// An opened input: UTF-8 bytes (invalid sequences possible), BOM removed.
pub(crate) struct Input<'a> {
    /// The bytes to parse.
    pub(crate) reader: Box<dyn BufRead + 'a>,
    /// What the bytes were before transcoding, for the `detail`.
    pub(crate) encoding: Encoding,
    /// Whether the first few KiB hold a NUL character: the sign of a binary
    /// file (a misnamed archive or spreadsheet), which the JSONL and CSV
    /// readers then skip whole instead of reporting every line as broken.
    pub(crate) head_has_nul: bool,
    /// The size in bytes of an input that is not gzipped, known before
    /// reading (a text file's buffer is sized from it).
    pub(crate) size: Option<u64>,
}

/// The error raised when a gzip stream inflates past the limit; a distinct
/// type so that [`describe`] can tell it from a corrupt stream.
#[derive(Debug)]
pub(crate) struct LimitExceeded(pub(crate) u64);

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "decompressed size exceeds {} limit", human_bytes(self.0))
    }
}

impl std::error::Error for LimitExceeded {}

/// Opens `path`, decompressing it if `gz`, and sniffs its byte-order mark.
///
/// Errors (the file vanished, permission denied, not gzip at all) are for the
/// caller to turn into a record with [`describe`].
pub(crate) fn open(path: &Path, gz: bool, max_decompressed: u64) -> io::Result<Input<'static>> {
    let (file, size) = open_regular(path)?;
    inflate_and_sniff(BufReader::with_capacity(BUF_SIZE, file), gz, max_decompressed, size)
}

/// Opens `path` for reading if it is a regular file, with its size.
///
/// The walk only lists regular files, but a file can be replaced between
/// listing and reading, and `--files-from` lists whatever it is given.
/// Opening a FIFO for reading would block the run forever: on Unix the file
/// is opened without blocking (which changes nothing for a regular file) and
/// then looked at; elsewhere it is looked at first, and again once open.
pub(crate) fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    let file = open_unblocked(path)?;
    let size = regular_size(&file)?;
    Ok((file, size))
}

/// Opens `path` for reading so that a FIFO cannot block (see
/// [`open_regular`]), without asking what it is: the caller asks
/// [`regular_size`] before it trusts what it reads.
pub(crate) fn open_unblocked(path: &Path) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
    }
    #[cfg(not(unix))]
    {
        check_regular(&std::fs::metadata(path)?)?;
        File::open(path)
    }
}

/// The size of an open file, or an error unless it is a regular file.
pub(crate) fn regular_size(file: &File) -> io::Result<u64> {
    let meta = file.metadata()?;
    check_regular(&meta)?;
    Ok(meta.len())
}

/// Puts a gzip decoder (with the size limit) in front of `reader` if `gz`,
/// and sniffs the result; `size` is the input's size in bytes.
fn inflate_and_sniff<'a, R: BufRead + 'a>(
    reader: R,
    gz: bool,
    max_decompressed: u64,
    size: u64,
) -> io::Result<Input<'a>> {
    if gz {
        // MultiGzDecoder, not GzDecoder: `cat a.gz b.gz > c.gz` and bgzip
        // files are several members, and GzDecoder silently stops after
        // the first one.
        let inflated =
            SizeLimit { inner: MultiGzDecoder::new(reader), remaining: max_decompressed, limit: max_decompressed };
        sniff(BufReader::with_capacity(BUF_SIZE, inflated))
    } else {
        Ok(Input { size: Some(size), ..sniff(reader)? })
    }
}

/// An error unless `meta` is a regular file: `is a folder, not a file`, or
/// `not a regular file (FIFO, socket or device)` as the walk says it.
fn check_regular(meta: &std::fs::Metadata) -> io::Result<()> {
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        Err(io::Error::other("is a folder, not a file"))
    } else {
        Err(io::Error::other("not a regular file (FIFO, socket or device)"))
    }
}

/// [`open`] for an input already in memory (no file to open): the same
/// gzip, size-limit and byte-order-mark handling.
pub(crate) fn open_bytes(bytes: &[u8], gz: bool, max_decompressed: u64) -> io::Result<Input<'_>> {
    inflate_and_sniff(bytes, gz, max_decompressed, bytes.len() as u64)
}

/// How much of an input [`sniff`] looks at: enough to tell a binary file
/// from text (as `grep` and `git` do), small enough to copy once.
const HEAD_SIZE: usize = 8 * 1024;

/// Reads the byte-order mark, if any, and returns a reader of UTF-8 bytes
/// without it: a UTF-8 BOM is dropped, UTF-16 (either order) is transcoded.
/// Also notes whether the first block holds NUL characters.
///
/// Without a BOM the input is taken to be UTF-8: guessing UTF-16 or Latin-1
/// from content is unreliable, and invalid UTF-8 is reported as `lossy`.
pub(crate) fn sniff<'a, R: BufRead + 'a>(mut reader: R) -> io::Result<Input<'a>> {
    // Read the head, looping because a decompressor may hand out a few
    // bytes at a time; it is put back in front of the rest below.
    let mut head = Vec::with_capacity(HEAD_SIZE);
    // An error after part of the head was read (a short `.gz` member
    // followed by garbage) comes after those bytes, so that the documents
    // they hold are read and the error is reported where it stands, as
    // further into the input; an error before any byte fails the input.
    let mut deferred = None;
    while head.len() < HEAD_SIZE {
        let got = match reader.fill_buf() {
            Ok(got) => got,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if head.is_empty() => return Err(e),
            Err(e) => {
                deferred = Some(e);
                break;
            }
        };
        if got.is_empty() {
            break;
        }
        let n = got.len().min(HEAD_SIZE - head.len());
        head.extend_from_slice(&got[..n]);
        reader.consume(n);
    }
    let (skip, encoding) = match head.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => (3, Encoding::Utf8),
        [0xFF, 0xFE, ..] => (2, Encoding::Utf16Le),
        [0xFE, 0xFF, ..] => (2, Encoding::Utf16Be),
        _ => (0, Encoding::Utf8),
    };
    let head = head.split_off(skip);
    // A NUL character, not a NUL byte: UTF-16 text is full of zero bytes.
    let head_has_nul = match encoding {
        Encoding::Utf8 => memchr::memchr(0, &head).is_some(),
        Encoding::Utf16Le | Encoding::Utf16Be => head.chunks_exact(2).any(|u| u == [0, 0]),
    };
    let rest: Box<dyn BufRead + 'a> = match deferred {
        None => Box::new(Cursor::new(head).chain(reader)),
        Some(err) => Box::new(Cursor::new(head).chain(BufReader::new(FailOnce(Some(err))))),
    };
    let reader: Box<dyn BufRead + 'a> = match encoding {
        Encoding::Utf8 => rest,
        Encoding::Utf16Le | Encoding::Utf16Be => {
            Box::new(BufReader::with_capacity(BUF_SIZE, Utf16ToUtf8::new(rest, encoding == Encoding::Utf16Be)))
        }
    };
    Ok(Input { reader, encoding, head_has_nul, size: None })
}

/// A reader that fails once with an error met earlier, then ends.
struct FailOnce(Option<io::Error>);

impl Read for FailOnce {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        self.0.take().map_or(Ok(0), Err)
    }
}

/// An I/O error in words for `detail`: the OS message for file errors, the
/// limit for a gzip bomb, and what went wrong for a corrupt gzip stream.
pub(crate) fn describe(err: &io::Error, gz: bool) -> String {
    if let Some(limit) = err.get_ref().and_then(|e| e.downcast_ref::<LimitExceeded>()) {
        return limit.to_string();
    }
    match err.kind() {
        // flate2 reports bad headers, bad deflate data and bad trailers as
        // InvalidInput/InvalidData, and a cut-off stream as UnexpectedEof.
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof if gz => {
            format!("corrupt or truncated gzip: {err}")
        }
        _ => err.to_string(),
    }
}

/// A reader that fails with [`LimitExceeded`] once more than `limit` bytes
/// have come through (rather than stopping quietly, as `Read::take` would,
/// which would pass a cut-off document for a whole one).
struct SizeLimit<R> {
    inner: R,
    remaining: u64,
    limit: u64,
}

impl<R: Read> Read for SizeLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.remaining {
            self.remaining = 0;
            return Err(io::Error::other(LimitExceeded(self.limit)));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: Input<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut r = input.reader;
        r.read_to_end(&mut out).unwrap();
        out
    }

    /// A reader handing out one byte per call, like a slow decompressor.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    #[test]
    fn utf8_bom_is_dropped_and_plain_input_kept() {
        let input = sniff(&b"\xEF\xBB\xBFhello"[..]).unwrap();
        assert_eq!(input.encoding, Encoding::Utf8);
        assert_eq!(all(input), b"hello");
        assert_eq!(all(sniff(&b"hi"[..]).unwrap()), b"hi");
        assert_eq!(all(sniff(&b""[..]).unwrap()), b"");
        // A BOM only at the start counts.
        assert_eq!(all(sniff(&b"a\xEF\xBB\xBF"[..]).unwrap()), b"a\xEF\xBB\xBF");
    }

    #[test]
    fn bom_is_found_when_bytes_come_one_at_a_time() {
        let slow = BufReader::with_capacity(1, Trickle(b"\xEF\xBB\xBFok"));
        assert_eq!(all(sniff(slow).unwrap()), b"ok");
        let slow = BufReader::with_capacity(1, Trickle(b"\xFF\xFEo\0k\0"));
        let input = sniff(slow).unwrap();
        assert_eq!(input.encoding, Encoding::Utf16Le);
        assert_eq!(all(input), b"ok");
    }

    #[test]
    fn nul_in_head_is_noticed_but_not_utf16_zero_bytes() {
        assert!(sniff(&b"PK\x03\x04\0\0"[..]).unwrap().head_has_nul);
        assert!(!sniff(&b"plain"[..]).unwrap().head_has_nul);
        assert!(!sniff(&b"\xFF\xFEa\0b\0"[..]).unwrap().head_has_nul);
        assert!(sniff(&b"\xFF\xFEa\0\0\0"[..]).unwrap().head_has_nul);
        // The head is found even when it comes one byte at a time, and all
        // of it is handed on.
        let long: Vec<u8> = (0..20_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let slow = BufReader::with_capacity(1, Trickle(&long));
        assert_eq!(all(sniff(slow).unwrap()), long);
    }

    #[test]
    fn utf16_boms_are_transcoded() {
        let le = sniff(&b"\xFF\xFEh\0\xe9\0"[..]).unwrap();
        assert_eq!(le.encoding, Encoding::Utf16Le);
        assert_eq!(all(le), "hé".as_bytes());
        let be = sniff(&b"\xFE\xFF\0h\0\xe9"[..]).unwrap();
        assert_eq!(be.encoding, Encoding::Utf16Be);
        assert_eq!(all(be), "hé".as_bytes());
    }

    #[test]
    fn size_limit_fails_loudly() {
        let mut r = SizeLimit { inner: &[1u8; 10][..], remaining: 5, limit: 5 };
        let mut buf = Vec::new();
        let err = r.read_to_end(&mut buf).unwrap_err();
        assert_eq!(describe(&err, true), "decompressed size exceeds 5 bytes limit");
        let mut r = SizeLimit { inner: &[1u8; 5][..], remaining: 5, limit: 5 };
        assert_eq!(r.read_to_end(&mut Vec::new()).unwrap(), 5);
    }
}
