//! Combining the per-document tables (`documents.csv`, `mentions.csv`) of
//! parts: each part's table is already in run order, so a streaming k-way
//! merge gives the single-run order while holding one row per part.
//!
//! Rows are re-encoded with the writer's own quoting, which gives back their
//! exact bytes, and ordered by the run's [`Record`] order: `doc_id`, then
//! the mention's `start` (0 for documents), then the row's bytes.
//!
//! Each part's rows are counted and, once its table is read to the end,
//! compared with its manifest's totals, so that a table that lost rows (cut
//! to its header, say) or gained some (a row copied) is refused rather than
//! merged short or long. Rows are not refused for sharing a `doc_id`, even
//! byte for byte: a corpus may repeat one (a JSONL id on two lines, the same
//! relative path under two CORPUS folders, a path listed twice in
//! `--files-from`), one run keeps every such row, and so must the merge of
//! its shards or batches.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use super::part::plural;
use crate::interrupt::Interrupt;
use crate::output::csv::{header, push_quoted};
use crate::output::sorter::{Record, RepeatCounter, RepeatedKeys};

/// Which column, if any, is the numeric second sort key.
#[derive(Debug, Clone, Copy)]
pub enum SortKey {
    /// `doc_id` only (`documents.csv`).
    DocId,
    /// `doc_id`, then this column as a number (`mentions.csv`: `start`).
    DocIdThen(usize),
}

/// One part's table to merge, and the rows that the part's manifest counts
/// in it.
#[derive(Debug, Clone)]
pub struct PartTable {
    /// The part's folder as named on the command line, for messages.
    pub part: String,
    /// The table's file in that folder.
    pub path: PathBuf,
    /// Its rows by the part's `manifest.json`: the documents of every status
    /// for `documents.csv`, the mentions for `mentions.csv`.
    pub rows: u64,
}

/// One part's table, read row by row.
struct Source {
    path: PathBuf,
    reader: csv::Reader<BufReader<File>>,
    record: csv::ByteRecord,
    key: SortKey,
    last: Option<Record>,
    /// The part, for messages.
    part: String,
    /// What a row is, as the manifest counts it (`document`, `mention`).
    counted: &'static str,
    /// The rows the manifest counts.
    expected: u64,
    /// The rows read so far.
    read: u64,
}

impl Source {
    fn open(table: &PartTable, columns: &[&str], key: SortKey, counted: &'static str) -> Result<Source> {
        let path = table.path.as_path();
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut reader = csv::ReaderBuilder::new().from_reader(BufReader::with_capacity(1 << 16, file));
        let found = reader.byte_headers().with_context(|| format!("cannot read {}", path.display()))?;
        if found.iter().ne(columns.iter().map(|c| c.as_bytes())) {
            bail!("{}: unexpected header (not a table of this cotag version)", path.display());
        }
        Ok(Source {
            path: path.to_path_buf(),
            reader,
            record: csv::ByteRecord::new(),
            key,
            last: None,
            part: table.part.clone(),
            counted,
            expected: table.rows,
            read: 0,
        })
    }

    /// The next row, checking that the table is in run order and, at its
    /// end, that it held as many rows as the part's manifest counts.
    fn next(&mut self) -> Result<Option<Record>> {
        if !self
            .reader
            .read_byte_record(&mut self.record)
            .with_context(|| format!("cannot read {}", self.path.display()))?
        {
            if self.read != self.expected {
                let table = self
                    .path
                    .file_name()
                    .map_or_else(|| self.path.display().to_string(), |n| n.to_string_lossy().into_owned());
                bail!(
                    "part {}: {table} holds {}, but its manifest.json counts {}: the part is incomplete or was \
                     changed; rerun it",
                    self.part,
                    plural(self.read, "row"),
                    plural(self.expected, self.counted)
                );
            }
            return Ok(None);
        }
        self.read = self.read.saturating_add(1);
        let at = || format!("{}:{}", self.path.display(), self.record.position().map_or(0, |p| p.line()));
        let mut line = Vec::with_capacity(self.record.as_slice().len() + self.record.len() + 8);
        for (i, field) in self.record.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            let text = std::str::from_utf8(field).with_context(|| format!("{}: not UTF-8", at()))?;
            push_quoted(&mut line, text);
        }
        line.push(b'\n');
        let key = std::str::from_utf8(&self.record[0]).with_context(|| format!("{}: not UTF-8", at()))?.to_string();
        let num = match self.key {
            SortKey::DocId => 0,
            SortKey::DocIdThen(col) => std::str::from_utf8(&self.record[col])
                .ok()
                .and_then(|s| s.parse().ok())
                .with_context(|| format!("{}: column {} is not a number", at(), col + 1))?,
        };
        let record = Record { key, num, line };
        // An equal row is in order: a corpus may repeat a doc_id (see the
        // module's doc); a row copied by hand is caught by the row count.
        if self.last.as_ref().is_some_and(|last| *last > record) {
            bail!("{}: rows are out of order (was the table edited?)", at());
        }
        self.last = Some(record.clone());
        Ok(Some(record))
    }
}

/// Writes the header and the rows of every table in `tables`, in run order,
/// refusing a table that holds more or fewer rows than its part's manifest
/// counts of `counted` (`document`, `mention`). Returns the keys that
/// several rows hold, as [`crate::output::sorter::Sorter::write_table`]
/// does (for `documents.csv`: the doc_ids that documents share).
pub fn merge_sorted(
    out: &mut dyn Write,
    tables: &[PartTable],
    columns: &[&str],
    key: SortKey,
    counted: &'static str,
    interrupt: &Interrupt,
) -> Result<RepeatedKeys> {
    out.write_all(&header(columns))?;
    let mut sources = Vec::with_capacity(tables.len());
    for table in tables {
        sources.push(Source::open(table, columns, key, counted)?);
    }
    let mut heap = BinaryHeap::with_capacity(sources.len());
    for (i, source) in sources.iter_mut().enumerate() {
        if let Some(r) = source.next()? {
            heap.push(Reverse((r, i)));
        }
    }
    let mut written: u64 = 0;
    let mut repeated = RepeatCounter::default();
    while let Some(Reverse((record, i))) = heap.pop() {
        out.write_all(&record.line)?;
        repeated.see(record.key);
        if let Some(r) = sources[i].next()? {
            heap.push(Reverse((r, i)));
        }
        written += 1;
        if written % 65_536 == 0 {
            interrupt.check()?;
        }
    }
    Ok(repeated.finish())
}
