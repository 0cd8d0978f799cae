//! cotag tags every mention of a country, an organization and a named person
//! in a news corpus against gazetteers, and writes co-occurrence tables.
//!
//! The pieces, each in its own module, are joined by small types:
//! [`corpus`] reads inputs into [`document::Document`]s; [`tokenize`] finds
//! words, sentences and paragraphs; [`matcher`] and [`tag`] find mentions
//! against a [`gazetteer::Gazetteer`]; [`count`] counts windows and pairs;
//! [`output`] writes the tables; [`pipeline`] runs them together.

pub mod cli;
pub mod corpus;
pub mod count;
pub mod discover;
pub mod document;
mod feed;
pub mod gazetteer;
pub mod interrupt;
pub mod matcher;
mod memory;
pub mod merge;
mod occurrences;
pub mod output;
mod packed;
pub mod partial;
pub mod pipeline;
pub mod progress;
mod pump;
mod radix;
pub mod registry;
pub mod report;
mod rows;
pub mod shard;
pub mod stats;
pub mod tag;
pub mod tokenize;
pub mod window;
