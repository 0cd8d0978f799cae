//! Combining the per-document tables (`documents.csv`, `mentions.csv`) of
//! parts: each part's table is already in run order, so a streaming k-way
//! merge gives the single-run order while holding one row per part.
//!
//! Rows are re-encoded with the writer's own quoting, which gives back their
//! exact bytes, and ordered by the run's [`Record`] order: `doc_id`, then
//! the mention's `start` (0 for documents), then the row's bytes.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::interrupt::Interrupt;
use crate::output::csv::{header, push_quoted};
use crate::output::sorter::Record;

/// Which column, if any, is the numeric second sort key.
#[derive(Debug, Clone, Copy)]
pub enum SortKey {
    /// `doc_id` only (`documents.csv`).
    DocId,
    /// `doc_id`, then this column as a number (`mentions.csv`: `start`).
    DocIdThen(usize),
}

/// One part's table, read row by row.
struct Source {
    path: PathBuf,
    reader: csv::Reader<BufReader<File>>,
    record: csv::ByteRecord,
    key: SortKey,
    last: Option<Record>,
}

impl Source {
    fn open(path: &Path, columns: &[&str], key: SortKey) -> Result<Source> {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut reader = csv::ReaderBuilder::new().from_reader(BufReader::with_capacity(1 << 16, file));
        let found = reader.byte_headers().with_context(|| format!("cannot read {}", path.display()))?;
        if found.iter().ne(columns.iter().map(|c| c.as_bytes())) {
            bail!("{}: unexpected header (not a table of this cotag version)", path.display());
        }
        Ok(Source { path: path.to_path_buf(), reader, record: csv::ByteRecord::new(), key, last: None })
    }

    /// The next row, checking that the table is in run order.
    fn next(&mut self) -> Result<Option<Record>> {
        if !self
            .reader
            .read_byte_record(&mut self.record)
            .with_context(|| format!("cannot read {}", self.path.display()))?
        {
            return Ok(None);
        }
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
        if self.last.as_ref().is_some_and(|last| *last > record) {
            bail!("{}: rows are out of order (was the table edited?)", at());
        }
        self.last = Some(record.clone());
        Ok(Some(record))
    }
}

/// Writes the header and the rows of every table in `paths`, in run order.
pub fn merge_sorted(
    out: &mut dyn Write,
    paths: &[PathBuf],
    columns: &[&str],
    key: SortKey,
    interrupt: &Interrupt,
) -> Result<()> {
    out.write_all(&header(columns))?;
    let mut sources = Vec::with_capacity(paths.len());
    for path in paths {
        sources.push(Source::open(path, columns, key)?);
    }
    let mut heap = BinaryHeap::with_capacity(sources.len());
    for (i, source) in sources.iter_mut().enumerate() {
        if let Some(r) = source.next()? {
            heap.push(Reverse((r, i)));
        }
    }
    let mut written: u64 = 0;
    while let Some(Reverse((record, i))) = heap.pop() {
        out.write_all(&record.line)?;
        if let Some(r) = sources[i].next()? {
            heap.push(Reverse((r, i)));
        }
        written += 1;
        if written % 65_536 == 0 {
            interrupt.check()?;
        }
    }
    Ok(())
}
