//! The JSON Lines reader on arbitrary bytes, as a `.jsonl` file, a gzipped
//! one and standard input: never panics, a file always yields at least one
//! record, every record has a doc_id and a source, and a record without
//! text is never `ok` unless the text really is empty.
#![no_main]

mod common;

use cotag::corpus::{read_jsonl_stream, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let opts = ReadOptions::default();
    common::check_file("f.jsonl", bytes, &opts);
    common::check_file("f.jsonl.gz", bytes, &opts);
    let mut docs = Vec::new();
    read_jsonl_stream(bytes, "-", "-", &opts, &mut |d| {
        docs.push(d);
        true
    });
    docs.iter().for_each(common::check_document);
});
