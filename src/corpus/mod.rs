//! Reading the corpus (SPEC §2): finding the input files and turning each one
//! into [`Document`](crate::document::Document)s.
//!
//! The work comes in two steps so that the pipeline can shard and spread it
//! over threads in between:
//!
//! 1. [`walk_inputs`] walks a CORPUS argument and hands over its
//!    [`InputFile`]s one by one, in an order that does not depend on the order
//!    in which the file system lists a folder; [`list_inputs`] collects them
//!    into a list sorted by `rel`. Neither opens a file.
//! 2. [`read_input`] reads one [`InputFile`] and streams its documents into a
//!    sink; [`read_jsonl_stream`] does the same for standard input.
//!
//! Nothing here fails or panics on bad input. Every problem (an unreadable
//! file, a bad JSON line, a ragged CSV row, a corrupt gzip stream) becomes a
//! `Document` with status `skipped` or `error` and a `detail` saying why, so
//! that `documents.csv` accounts for every input, and the rest of a file is
//! still read where that is possible. Every input file yields at least one
//! `Document`; stdin may yield none.
//!
//! The pieces, one job each:
//! - `walk`: the directory walk ([`walk_inputs`], [`list_inputs`]);
//! - `read`: choosing a reader by extension ([`read_input`]);
//! - `open`: opening a file, gzip, size limits, byte-order marks;
//! - `utf16`: transcoding UTF-16 input to UTF-8 as it streams;
//! - `decode`: UTF-8 decoding with replacement, and the notes for `detail`;
//! - `text`, `jsonl`, `table`: the three formats (text, JSON Lines, CSV/TSV);
//! - `fields`: the fields read from one JSON Lines line, numbers as written;
//! - `date`: dates from date fields and from paths.

mod date;
mod decode;
mod fields;
mod jsonl;
mod open;
mod read;
mod table;
mod text;
mod utf16;
mod walk;

#[cfg(test)]
mod testutil;

use std::path::Path;

use crate::document::Status;

pub use date::{date_from_path, parse_date_field};
pub use jsonl::read_jsonl_stream;
pub use read::{holds_many_documents, holds_one_document, read_bytes, read_input};
pub use walk::{list_inputs, walk_inputs};

/// The most bytes one gzip file may decompress to (4 GiB) before reading it
/// stops with an `error` record `decompressed size exceeds 4 GiB limit`.
///
/// A guard against gzip bombs (a few kilobytes that inflate to terabytes):
/// JSONL files are streamed, so memory is not at risk, but a bomb would keep a
/// worker busy forever. Documents read before the limit are kept. Plain
/// (uncompressed) files have no such limit; their size is what it is. The
/// environment variable [`MAX_DECOMPRESSED_BYTES_ENV`] overrides it.
pub const MAX_DECOMPRESSED_BYTES: u64 = 4 << 30;

/// The largest single document (1 GiB): a whole text file, one JSONL line or
/// one CSV/TSV row. A larger one becomes an `error` record
/// `document larger than 1 GiB limit` instead of exhausting memory.
///
/// For text files and JSONL lines, at most this many bytes are ever held. A
/// CSV row is only measured once the `csv` crate has parsed it, so there the
/// memory bound is the file size (or [`MAX_DECOMPRESSED_BYTES`]). The
/// environment variable [`MAX_DOCUMENT_BYTES_ENV`] overrides it.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 30;

/// The size limits in force; the constants above in production, small values
/// in tests so that the limits can be exercised without gigabytes of data.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// See [`MAX_DECOMPRESSED_BYTES`].
    pub(crate) decompressed: u64,
    /// See [`MAX_DOCUMENT_BYTES`].
    pub(crate) document: usize,
}

impl Limits {
    /// The production limits.
    pub(crate) const DEFAULT: Limits = Limits { decompressed: MAX_DECOMPRESSED_BYTES, document: MAX_DOCUMENT_BYTES };

    /// The limits in force for this process: [`Limits::DEFAULT`], each
    /// replaced by the environment variable [`MAX_DECOMPRESSED_BYTES_ENV`] or
    /// [`MAX_DOCUMENT_BYTES_ENV`] when it holds a whole number of bytes.
    ///
    /// The variables exist so that the end-to-end tests can show a gzip bomb
    /// refused without inflating 4 GiB (they are not command-line options on
    /// purpose: no researcher should need them). A value that is not a
    /// number is ignored rather than failing the run. Read once per process.
    pub(crate) fn current() -> Limits {
        static CURRENT: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();
        *CURRENT.get_or_init(|| {
            let var = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok());
            Limits {
                decompressed: var(MAX_DECOMPRESSED_BYTES_ENV).unwrap_or(Limits::DEFAULT.decompressed),
                document: var(MAX_DOCUMENT_BYTES_ENV)
                    .map_or(Limits::DEFAULT.document, |n| usize::try_from(n).unwrap_or(usize::MAX)),
            }
        })
    }
}

/// Environment variable overriding [`MAX_DECOMPRESSED_BYTES`] (in bytes); a
/// hidden testing hook, see the README, "Errors and exit codes".
pub const MAX_DECOMPRESSED_BYTES_ENV: &str = "COTAG_MAX_DECOMPRESSED_BYTES";

/// Environment variable overriding [`MAX_DOCUMENT_BYTES`] (in bytes); a
/// hidden testing hook, see the README, "Errors and exit codes".
pub const MAX_DOCUMENT_BYTES_ENV: &str = "COTAG_MAX_DOCUMENT_BYTES";

/// Field names for structured inputs (`--text-field`, `--id-field`,
/// `--date-field`); defaults `text`, `id`, `date`. The title field is always
/// `title`.
///
/// JSON keys must match exactly. CSV/TSV header names are matched after
/// trimming surrounding spaces, exactly if possible, else ignoring ASCII case
/// (spreadsheets like to write `Text`, `Date`).
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The field holding the document body (required).
    pub text_field: String,
    /// The field holding the document id (optional).
    pub id_field: String,
    /// The field holding the document date (optional).
    pub date_field: String,
}

impl Default for ReadOptions {
    /// `text`, `id`, `date`, as SPEC §2 names them.
    fn default() -> Self {
        ReadOptions { text_field: "text".to_string(), id_field: "id".to_string(), date_field: "date".to_string() }
    }
}

/// The name of the title field (fixed: SPEC §2 offers no option to rename it).
pub(crate) const TITLE_FIELD: &str = "title";

/// One input found by the walk.
///
/// A run lists every input before reading (for the order, the shards and the
/// progress bar), so an input is kept small: one string holds `source` and,
/// unless it is the end of `source` (as it nearly always is), `rel`; the path
/// to open is kept apart only when it is not `source` itself (a name that is
/// not UTF-8). A million inputs thus take about 100 MB, not 250.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// `source`, then `rel` when `rel` is not its end.
    names: Box<str>,
    /// Length of `source` in `names`.
    source_len: u32,
    /// Where `rel` starts in `names`.
    rel_at: u32,
    /// The path to open, when it is not `source`.
    path: Option<Box<Path>>,
    /// Set when the walk itself could not use the entry (symlink loop,
    /// dangling symlink, permission denied on a folder, something that is not
    /// a regular file, a CORPUS argument that does not exist): it becomes one
    /// `Document` with that status and detail, doc_id `rel`.
    pub problem: Option<(Status, String)>,
}

impl InputFile {
    /// An input at `path`, known as `rel` and `source` (see their accessors).
    pub fn new(path: &Path, rel: &str, source: &str, problem: Option<(Status, String)>) -> InputFile {
        let (names, rel_at) = if source.ends_with(rel) {
            (source.into(), source.len() - rel.len())
        } else {
            (format!("{source}{rel}").into_boxed_str(), source.len())
        };
        let path = (Path::new(source) != path).then(|| path.into());
        InputFile { names, source_len: source.len() as u32, rel_at: rel_at as u32, path, problem }
    }

    /// Path to open (the CORPUS argument joined with the relative path).
    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or_else(|| Path::new(self.source()))
    }

    /// Path relative to the CORPUS argument, `/`-separated, lossy UTF-8: the
    /// doc_id of a text file, and the shard key of SPEC §5. For a CORPUS
    /// argument that is a file (or does not exist), its file name.
    pub fn rel(&self) -> &str {
        &self.names[self.rel_at as usize..]
    }

    /// What `documents.csv` shows as `source`: the path as found,
    /// `/`-separated (e.g. `corpus/2022/a.txt`).
    pub fn source(&self) -> &str {
        &self.names[..self.source_len as usize]
    }
}

/// `n` bytes in words for a detail: `4 GiB`, `512 KiB`, `100 bytes`.
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    UNITS
        .iter()
        .find(|(size, _)| n >= *size && n % size == 0)
        .map(|(size, unit)| format!("{} {unit}", n / size))
        .unwrap_or_else(|| format!("{n} bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_words() {
        assert_eq!(human_bytes(MAX_DECOMPRESSED_BYTES), "4 GiB");
        assert_eq!(human_bytes(MAX_DOCUMENT_BYTES as u64), "1 GiB");
        assert_eq!(human_bytes(3 << 20), "3 MiB");
        assert_eq!(human_bytes(100), "100 bytes");
        assert_eq!(human_bytes(1500), "1500 bytes");
    }

    #[test]
    fn an_input_gives_back_its_names_and_path() {
        // The usual case: rel ends source, source is the path.
        let walked = InputFile::new(Path::new("corpus/2022/a.txt"), "2022/a.txt", "corpus/2022/a.txt", None);
        assert_eq!((walked.rel(), walked.source()), ("2022/a.txt", "corpus/2022/a.txt"));
        assert_eq!(walked.path(), Path::new("corpus/2022/a.txt"));
        // rel that is not the end of source, and a path that is not source.
        let odd = InputFile::new(Path::new("../x/b.txt"), "b2.txt", "x/b.txt", Some((Status::Error, "gone".into())));
        assert_eq!((odd.rel(), odd.source(), odd.path()), ("b2.txt", "x/b.txt", Path::new("../x/b.txt")));
        assert_eq!(odd.problem, Some((Status::Error, "gone".to_string())));
    }

    #[test]
    fn default_options_are_the_spec_names() {
        let o = ReadOptions::default();
        assert_eq!((o.text_field.as_str(), o.id_field.as_str(), o.date_field.as_str()), ("text", "id", "date"));
    }
}
