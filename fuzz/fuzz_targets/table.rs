//! The CSV and TSV readers on arbitrary bytes: never panic, a file always
//! yields at least one record, every record is well formed.
#![no_main]

mod common;

use cotag::corpus::ReadOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let opts = ReadOptions::default();
    common::check_file("f.csv", bytes, &opts);
    common::check_file("f.tsv", bytes, &opts);
    common::check_file("f.txt", bytes, &opts);
});
