//! Helpers for the tests of the corpus module: writing inputs, reading them.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use super::read::read_input_with;
use super::{InputFile, Limits, ReadOptions};
use crate::document::Document;

/// Writes `bytes` to `dir/rel` (creating folders) and returns the input as
/// the walk would, with `source` `corpus/REL`.
pub(crate) fn write(dir: &Path, rel: &str, bytes: &[u8]) -> InputFile {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    InputFile::new(&path, rel, &format!("corpus/{rel}"), None)
}

/// `bytes` gzipped.
pub(crate) fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// `s` as UTF-16LE bytes, without a BOM.
pub(crate) fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Every document of `file`, with default options and limits.
pub(crate) fn read(file: &InputFile) -> Vec<Document> {
    read_with(file, &ReadOptions::default(), Limits::DEFAULT)
}

/// Every document of `file`, with `opts`.
pub(crate) fn read_opts(file: &InputFile, opts: &ReadOptions) -> Vec<Document> {
    read_with(file, opts, Limits::DEFAULT)
}

/// Every document of `file`, with small `limits`.
pub(crate) fn read_limits(file: &InputFile, limits: Limits) -> Vec<Document> {
    read_with(file, &ReadOptions::default(), limits)
}

fn read_with(file: &InputFile, opts: &ReadOptions, limits: Limits) -> Vec<Document> {
    let mut docs = Vec::new();
    read_input_with(file, opts, limits, &mut |d| {
        docs.push(d);
        true
    });
    docs
}
