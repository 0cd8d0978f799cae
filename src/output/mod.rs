//! Writing the tables of SPEC §4: CSV encoding, external sorting of the
//! per-document tables, the count tables, the manifest, and the output folder
//! that appears whole or not at all.

pub mod csv;
pub mod folder;
pub mod gexf;
pub mod manifest;
pub mod sorter;
pub mod tables;
pub mod writeback;
