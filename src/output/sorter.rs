//! Sorting table rows that may not fit in memory: rows are buffered, sorted
//! runs are spilled to temporary files when the buffer is full, and the runs
//! are merged when the table is written. A corpus of millions of documents
//! thus needs memory for one buffer, not for every mention.
//!
//! Most records arrive sorted already (the pipeline hands them over in the
//! walk's order, which is `doc_id` order for a corpus of dated folders), so
//! a sorter also keeps a *stream*:
//! a record whose key is greater than every key streamed before it is
//! written straight to a file as its final table line, with its key in a
//! side index, and only the others are buffered. When a table's records all
//! went to the stream (documents met in `doc_id` order), that file, which
//! starts with the table's header, *is* the table: it is renamed into place
//! and nothing is sorted, spilled or merged. Otherwise the stream is one
//! more sorted run in the merge.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::writeback::EarlyWriteback;

/// One row with its sort key: rows sort by `key` bytes, then `num`, then the
/// row's own bytes, so the order is total and never depends on arrival order.
///
/// A sorter made with [`Sorter::with_blocks`] takes a *block* instead: all
/// the rows of one key, already in order, in one record (`num` 0), which
/// saves a record per row. See [`Sorter::with_blocks`] for keys that come in
/// several blocks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Record {
    /// Primary key (a `doc_id`).
    pub key: String,
    /// Secondary key (a mention's start), 0 when unused.
    pub num: u64,
    /// The encoded CSV line (or lines, for a block).
    pub line: Vec<u8>,
}

impl Record {
    /// About what the record takes in memory.
    pub fn heap_size(&self) -> usize {
        self.key.len() + self.line.len() + 64
    }

    fn write_to(&self, w: &mut impl Write) -> io::Result<()> {
        self.write_head(w)?;
        w.write_all(&self.line)
    }

    /// The record without its line's bytes: key, `num` and the line's
    /// length (a run's record up to the line, and a stream's index entry).
    fn write_head(&self, w: &mut impl Write) -> io::Result<()> {
        w.write_all(&(self.key.len() as u64).to_le_bytes())?;
        w.write_all(self.key.as_bytes())?;
        w.write_all(&self.num.to_le_bytes())?;
        w.write_all(&(self.line.len() as u64).to_le_bytes())
    }

    /// Reads a record written by [`Record::write_head`] from `heads`, its
    /// line from `lines` (the same reader for a run).
    fn read_from(heads: &mut impl Read, lines: Option<&mut BufReader<File>>) -> io::Result<Option<Record>> {
        let mut word = [0u8; 8];
        match heads.read_exact(&mut word) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut key = vec![0u8; u64::from_le_bytes(word) as usize];
        heads.read_exact(&mut key)?;
        heads.read_exact(&mut word)?;
        let num = u64::from_le_bytes(word);
        heads.read_exact(&mut word)?;
        let mut line = vec![0u8; u64::from_le_bytes(word) as usize];
        match lines {
            Some(lines) => lines.read_exact(&mut line)?,
            None => heads.read_exact(&mut line)?,
        }
        let key = String::from_utf8(key).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "corrupt sort run"))?;
        Ok(Some(Record { key, num, line }))
    }
}

/// The records that arrived in key order, written as they came: their lines
/// to `lines` (after the table's header), their heads to `heads`.
#[derive(Debug)]
struct Stream {
    lines: BufWriter<File>,
    lines_path: PathBuf,
    /// The lines file is the table itself when every record streams: it is
    /// synced as it grows, not all at the end.
    writeback: EarlyWriteback,
    heads: BufWriter<File>,
    heads_path: PathBuf,
    /// The key of the last record streamed: the next must be greater.
    last_key: String,
}

/// Keys that more than one record holds, found as a table is written (in
/// `documents.csv`: doc_ids shared by several documents).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepeatedKeys {
    /// Distinct keys held by two records or more.
    pub keys: u64,
    /// The first such key in the table's order.
    pub first: Option<String>,
}

/// Counts [`RepeatedKeys`] from keys met in order, where a repeated key
/// follows its first record.
#[derive(Debug, Default)]
pub struct RepeatCounter {
    /// The last key met, and whether `repeated` counts it already.
    last: Option<(String, bool)>,
    repeated: RepeatedKeys,
}

impl RepeatCounter {
    /// Meets the next key.
    pub fn see(&mut self, key: String) {
        match &mut self.last {
            Some((last, counted)) if *last == key => {
                if !*counted {
                    *counted = true;
                    self.repeated.keys += 1;
                    self.repeated.first.get_or_insert(key);
                }
            }
            _ => self.last = Some((key, false)),
        }
    }

    /// The keys met more than once.
    pub fn finish(self) -> RepeatedKeys {
        self.repeated
    }
}

/// Collects records, spilling sorted runs to `dir` past a memory budget.
#[derive(Debug)]
pub struct Sorter {
    dir: PathBuf,
    name: String,
    budget: usize,
    buffer: Vec<Record>,
    buffered: usize,
    /// Spilled runs, each sorted, with its merge level (0 for a spilled buffer).
    runs: Vec<Run>,
    /// For a sorter of blocks, the column holding each row's `num`.
    block_column: Option<usize>,
    /// The table's header line(s), written first by [`Sorter::write_table`].
    header: Vec<u8>,
    /// Records that came in key order; opened by the first record.
    stream: Option<Stream>,
    /// A record has been pushed: only the first opens the stream (a stream
    /// closed into a run is not opened again).
    pushed: bool,
}

impl Sorter {
    /// A sorter spilling into `dir` as files named after `name`, holding up
    /// to about `budget` bytes in memory.
    pub fn new(dir: &Path, name: &str, budget: usize) -> Sorter {
        Sorter {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            budget: budget.max(1),
            buffer: Vec::new(),
            buffered: 0,
            runs: Vec::new(),
            block_column: None,
            header: Vec::new(),
            stream: None,
            pushed: false,
        }
    }

    /// Sets the bytes [`Sorter::write_table`] writes before the rows.
    pub fn with_header(mut self, header: Vec<u8>) -> Sorter {
        self.header = header;
        self
    }

    /// Makes this a sorter of blocks whose rows hold their `num` in CSV
    /// column `column` (0-based). A key that arrives in one block is written
    /// as it is; when several blocks share a key (two documents with one
    /// `doc_id`), their rows are split and sorted by (`num`, bytes), the
    /// order one record per row would have had.
    pub fn with_blocks(mut self, column: usize) -> Sorter {
        self.block_column = Some(column);
        self
    }

    /// Adds a record.
    pub fn push(&mut self, record: Record) -> io::Result<()> {
        // A key equal to the last streamed one is buffered: blocks sharing a
        // key must meet in the merge, where their rows are put in order.
        let first = !std::mem::replace(&mut self.pushed, true);
        if first || self.stream.as_ref().is_some_and(|s| record.key > s.last_key) {
            return self.stream(record);
        }
        self.buffered += record.heap_size();
        self.buffer.push(record);
        if self.buffered >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        self.buffer.sort_unstable();
        let path = self.run_path();
        let mut w = BufWriter::new(File::create(&path)?);
        for r in self.buffer.drain(..) {
            r.write_to(&mut w)?;
        }
        w.flush()?;
        self.runs.push(Run { path, level: 0, lines: None });
        self.buffered = 0;
        // Like a counter in base MERGE_FAN: MERGE_FAN runs of one level
        // become one run of the next, so every record is rewritten once per
        // level (log of the run count) and no more than a few dozen runs are
        // ever open at once, whatever the corpus size or memory budget.
        while self.runs.len() >= MERGE_FAN {
            let tail = &self.runs[self.runs.len() - MERGE_FAN..];
            let level = tail[0].level;
            // u32::MAX: a stream or a merged-down run, never merged again here.
            if level == u32::MAX || tail.iter().any(|r| r.level != level) {
                break;
            }
            let merged = self.merge_runs(self.runs.len() - MERGE_FAN)?;
            self.runs.push(Run { path: merged, level: level + 1, lines: None });
        }
        Ok(())
    }

    /// Writes `record` to the stream (opened, header first, for the first record).
    fn stream(&mut self, record: Record) -> io::Result<()> {
        if self.stream.is_none() {
            let (lines_path, heads_path) = (self.run_path(), self.run_path());
            let mut lines = BufWriter::with_capacity(1 << 16, File::create(&lines_path)?);
            lines.write_all(&self.header)?;
            let writeback = EarlyWriteback::new(lines.get_ref());
            let heads = BufWriter::with_capacity(1 << 16, File::create(&heads_path)?);
            self.stream = Some(Stream { lines, lines_path, writeback, heads, heads_path, last_key: String::new() });
        }
        let stream = self.stream.as_mut().expect("opened above");
        record.write_head(&mut stream.heads)?;
        stream.lines.write_all(&record.line)?;
        stream.writeback.wrote(record.line.len() as u64);
        stream.last_key = record.key;
        Ok(())
    }

    /// Closes the stream, if any, into a run of the merge.
    fn close_stream(&mut self) -> io::Result<()> {
        if let Some(mut stream) = self.stream.take() {
            // A run of the merge, not the table: no sync needed.
            stream.writeback.finish();
            let run = Run {
                path: stream.heads_path,
                level: u32::MAX,
                lines: Some((stream.lines_path, self.header.len() as u64)),
            };
            // Pushed before flushing, so that the files are removed on an error too.
            self.runs.push(run);
            stream.lines.into_inner().map_err(|e| e.into_error())?;
            stream.heads.into_inner().map_err(|e| e.into_error())?;
        }
        Ok(())
    }

    /// A new run file name. Sorters may share a folder, even under one
    /// name (the tests run many at once): the run number is unique across
    /// the process.
    fn run_path(&self) -> PathBuf {
        static RUNS: AtomicU64 = AtomicU64::new(0);
        let run = RUNS.fetch_add(1, Ordering::Relaxed);
        self.dir.join(format!("{}.run{run}-{}.tmp", self.name, std::process::id()))
    }

    /// Merges the runs from index `from` on into one new run file, removes
    /// them, and returns the new file's path.
    fn merge_runs(&mut self, from: usize) -> io::Result<PathBuf> {
        let merged = self.run_path();
        let mut w = BufWriter::new(File::create(&merged)?);
        let runs: Vec<Run> = self.runs.drain(from..).collect();
        let result = merge(&runs, std::iter::empty(), &mut |r| r.write_to(&mut w)).and_then(|()| w.flush());
        for run in &runs {
            run.remove();
        }
        if let Err(e) = result {
            let _ = std::fs::remove_file(&merged);
            return Err(e);
        }
        Ok(merged)
    }

    /// Whether every record so far went to the stream (the table needs no sorting).
    #[cfg(test)]
    pub(crate) fn all_streamed(&self) -> bool {
        self.runs.is_empty() && self.buffer.is_empty() && self.stream.is_some()
    }

    /// Writes the table to a new file at `path`: the header, then every
    /// record's line in order; removes the runs. When every record went to
    /// the stream, the stream's file is the table and is renamed to `path`.
    ///
    /// Returns the keys that several records hold (none when every record
    /// went to the stream: a key equal to the last streamed one is buffered).
    pub fn write_table(mut self, path: &Path) -> io::Result<RepeatedKeys> {
        if self.runs.is_empty() && self.buffer.is_empty() {
            if let Some(mut stream) = self.stream.take() {
                let result = (|| {
                    stream.lines.into_inner().map_err(|e| e.into_error())?;
                    stream.writeback.finish();
                    std::fs::rename(&stream.lines_path, path)
                })();
                let _ = std::fs::remove_file(&stream.heads_path);
                if result.is_err() {
                    let _ = std::fs::remove_file(&stream.lines_path);
                }
                return result.map(|()| RepeatedKeys::default());
            }
        }
        let mut w = BufWriter::with_capacity(1 << 16, File::create(path)?);
        w.write_all(&self.header)?;
        let repeated = self.write_sorted(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?;
        Ok(repeated)
    }

    /// Writes every record's line, in order, to `out` (no header), and
    /// removes the runs. Returns the keys that several records hold.
    pub fn write_sorted(mut self, out: &mut dyn Write) -> io::Result<RepeatedKeys> {
        self.close_stream()?;
        self.buffer.sort_unstable();
        // The runs of every level and the stream may be more than are
        // opened at once: merge them down first.
        while self.runs.len() > MAX_OPEN_RUNS {
            let merged = self.merge_runs(self.runs.len() - MERGE_FAN)?;
            self.runs.insert(0, Run { path: merged, level: u32::MAX, lines: None });
        }
        let mut sink = Sink { out, column: self.block_column, group: Vec::new(), repeated: RepeatCounter::default() };
        let memory = std::mem::take(&mut self.buffer);
        merge(&self.runs, memory.into_iter(), &mut |r| sink.write(r))?;
        sink.finish()
    }
}

/// Runs merged at once while spilling.
const MERGE_FAN: usize = 16;

/// Runs open at once when the table is written.
const MAX_OPEN_RUNS: usize = 64;

/// One sorted run: spilled records, or a closed stream.
#[derive(Debug)]
struct Run {
    /// The records, or for a stream their heads.
    path: PathBuf,
    level: u32,
    /// A stream's lines, and the length of the header before them.
    lines: Option<(PathBuf, u64)>,
}

impl Run {
    fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
        if let Some((lines, _)) = &self.lines {
            let _ = std::fs::remove_file(lines);
        }
    }
}

/// Reads the records of one run in order.
struct RunReader {
    heads: BufReader<File>,
    /// A stream's lines, past the header.
    lines: Option<BufReader<File>>,
}

impl RunReader {
    fn open(run: &Run) -> io::Result<RunReader> {
        let heads = BufReader::with_capacity(1 << 16, File::open(&run.path)?);
        let lines = match &run.lines {
            Some((path, skip)) => {
                let mut lines = BufReader::with_capacity(1 << 16, File::open(path)?);
                lines.seek_relative(*skip as i64)?;
                Some(lines)
            }
            None => None,
        };
        Ok(RunReader { heads, lines })
    }

    fn next(&mut self) -> io::Result<Option<Record>> {
        Record::read_from(&mut self.heads, self.lines.as_mut())
    }
}

/// Streams the records of sorted `runs` and of the sorted `memory`, in
/// order, to `emit`.
fn merge(
    runs: &[Run],
    mut memory: impl Iterator<Item = Record>,
    emit: &mut dyn FnMut(Record) -> io::Result<()>,
) -> io::Result<()> {
    let mut readers = Vec::with_capacity(runs.len());
    for run in runs {
        readers.push(RunReader::open(run)?);
    }
    // Sources: 0..runs are files, runs.len() is the in-memory buffer.
    let mut heap = BinaryHeap::with_capacity(readers.len() + 1);
    for (i, reader) in readers.iter_mut().enumerate() {
        if let Some(r) = reader.next()? {
            heap.push(Reverse((r, i)));
        }
    }
    let memory_source = readers.len();
    if let Some(r) = memory.next() {
        heap.push(Reverse((r, memory_source)));
    }
    while let Some(Reverse((record, source))) = heap.pop() {
        let next = if source == memory_source { memory.next() } else { readers[source].next()? };
        emit(record)?;
        if let Some(r) = next {
            heap.push(Reverse((r, source)));
        }
    }
    Ok(())
}

/// Where sorted records go: straight out, except the blocks of a key that
/// came in several blocks, which are held until the key changes and then
/// written row by row in order.
struct Sink<'a> {
    out: &'a mut dyn Write,
    column: Option<usize>,
    /// The records of the current key (blocks only).
    group: Vec<Record>,
    /// Keys met twice or more (records only).
    repeated: RepeatCounter,
}

impl Sink<'_> {
    fn write(&mut self, record: Record) -> io::Result<()> {
        if self.column.is_none() {
            let Record { key, line, .. } = record;
            self.out.write_all(&line)?;
            self.repeated.see(key);
            return Ok(());
        }
        if self.group.first().is_some_and(|g| g.key != record.key) {
            self.flush_group()?;
        }
        self.group.push(record);
        Ok(())
    }

    fn flush_group(&mut self) -> io::Result<()> {
        let group = std::mem::take(&mut self.group);
        match (group.len(), self.column) {
            (0, _) => Ok(()),
            (1, _) | (_, None) => group.iter().try_for_each(|r| self.out.write_all(&r.line)),
            (_, Some(column)) => {
                let mut rows = Vec::new();
                for block in &group {
                    split_block(block, column, &mut rows)?;
                }
                rows.sort_unstable();
                rows.iter().try_for_each(|r| self.out.write_all(&r.line))
            }
        }
    }

    fn finish(mut self) -> io::Result<RepeatedKeys> {
        self.flush_group()?;
        Ok(self.repeated.finish())
    }
}

/// The rows of a block as records of their own, `num` read from `column`.
fn split_block(block: &Record, column: usize, rows: &mut Vec<Record>) -> io::Result<()> {
    let corrupt = || io::Error::new(io::ErrorKind::InvalidData, "corrupt sort block");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(block.line.as_slice());
    let mut fields = csv::ByteRecord::new();
    let mut start = 0;
    while reader.read_byte_record(&mut fields).map_err(|_| corrupt())? {
        // The reader has consumed the row and its line end: its bytes are
        // the block's bytes up to there.
        let end = reader.position().byte() as usize;
        let num = fields
            .get(column)
            .and_then(|f| std::str::from_utf8(f).ok())
            .and_then(|f| f.parse().ok())
            .ok_or_else(corrupt)?;
        rows.push(Record { key: block.key.clone(), num, line: block.line[start..end].to_vec() });
        start = end;
    }
    Ok(())
}

impl Drop for Sorter {
    fn drop(&mut self) {
        for run in &self.runs {
            run.remove();
        }
        if let Some(stream) = &self.stream {
            let _ = std::fs::remove_file(&stream.lines_path);
            let _ = std::fs::remove_file(&stream.heads_path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: &str, num: u64) -> Record {
        Record { key: key.to_string(), num, line: format!("{key},{num}\n").into_bytes() }
    }

    #[test]
    fn spilled_and_in_memory_sorts_agree() {
        let dir = tempfile::tempdir().unwrap();
        let keys: Vec<(String, u64)> =
            (0..2000u64).map(|i| (format!("d{}", (i * 7919) % 113), (i * 31) % 17)).collect();
        let mut outputs = Vec::new();
        for budget in [usize::MAX, 500, 10_000] {
            let mut s = Sorter::new(dir.path(), "t", budget);
            for (k, n) in &keys {
                s.push(record(k, *n)).unwrap();
            }
            let mut out = Vec::new();
            s.write_sorted(&mut out).unwrap();
            outputs.push(out);
        }
        let lines_of = |o: &Vec<u8>| o.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(outputs.iter().map(lines_of).collect::<Vec<_>>(), [2000, 2000, 2000]);
        assert!(outputs[0] == outputs[1], "spilled often differs from in memory");
        assert!(outputs[0] == outputs[2], "spilled rarely differs from in memory");
        let text = String::from_utf8(outputs[0].clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2000);
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(lines[0], format!("{},{}", sorted[0].0, sorted[0].1));
        // Runs are removed once written.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn keys_held_by_several_records_are_counted_once_each() {
        let dir = tempfile::tempdir().unwrap();
        // Pushed out of order, so that they meet in the merge; "b" thrice, "d" twice.
        let pushed = ["c", "b", "d", "a", "b", "d", "b", "e"];
        for budget in [usize::MAX, 1] {
            let mut s = Sorter::new(dir.path(), "t", budget).with_header(b"key,num\n".to_vec());
            for (n, k) in pushed.iter().enumerate() {
                s.push(record(k, n as u64)).unwrap();
            }
            let repeated = s.write_table(&dir.path().join("table.csv")).unwrap();
            assert_eq!(repeated, RepeatedKeys { keys: 2, first: Some("b".to_string()) }, "budget {budget}");
        }
        // Distinct keys in order all go to the stream: nothing repeated.
        let mut s = Sorter::new(dir.path(), "t", usize::MAX);
        for (n, k) in ["a", "b", "c"].iter().enumerate() {
            s.push(record(k, n as u64)).unwrap();
        }
        assert!(s.all_streamed());
        assert_eq!(s.write_table(&dir.path().join("table.csv")).unwrap(), RepeatedKeys::default());
        // A key equal to the last streamed one leaves the stream: it is found.
        let mut s = Sorter::new(dir.path(), "t", usize::MAX);
        for (n, k) in ["a", "b", "b"].iter().enumerate() {
            s.push(record(k, n as u64)).unwrap();
        }
        let repeated = s.write_table(&dir.path().join("table.csv")).unwrap();
        assert_eq!(repeated, RepeatedKeys { keys: 1, first: Some("b".to_string()) });
    }

    #[test]
    fn a_tiny_budget_keeps_few_runs_and_the_same_order() {
        let dir = tempfile::tempdir().unwrap();
        let keys: Vec<(String, u64)> = (0..5000u64).map(|i| (format!("d{}", (i * 7919) % 1013), i % 7)).collect();
        let mut outputs = Vec::new();
        for budget in [usize::MAX, 1] {
            let mut s = Sorter::new(dir.path(), "t", budget);
            for (k, n) in &keys {
                s.push(record(k, *n)).unwrap();
                // One run a record, merged as they come: never many files.
                assert!(s.runs.len() <= 4 * MERGE_FAN, "{} runs", s.runs.len());
            }
            let mut out = Vec::new();
            s.write_sorted(&mut out).unwrap();
            outputs.push(out);
        }
        assert!(outputs[0] == outputs[1]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// `write_table` of `records` pushed in this order to a sorter of `budget`.
    fn table_of(dir: &Path, records: &[Record], budget: usize) -> String {
        let mut s = Sorter::new(dir, "t", budget).with_blocks(1).with_header(b"key,num\n".to_vec());
        for r in records {
            s.push(r.clone()).unwrap();
        }
        let path = dir.join("table.csv");
        s.write_table(&path).unwrap();
        let table = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        // Streams and runs are removed once the table is written.
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), 0);
        table
    }

    #[test]
    fn records_in_key_order_become_the_table_unmerged() {
        let dir = tempfile::tempdir().unwrap();
        let records: Vec<Record> = (0..3000u64).map(|i| record(&format!("d{i:05}"), i % 7)).collect();
        let mut s = Sorter::new(dir.path(), "t", 100).with_header(b"key,num\n".to_vec());
        for r in &records {
            s.push(r.clone()).unwrap();
        }
        // All streamed, whatever the tiny budget: nothing buffered or spilled.
        assert!(s.buffer.is_empty() && s.runs.is_empty() && s.stream.is_some());
        let path = dir.path().join("table.csv");
        s.write_table(&path).unwrap();
        let expected: String = std::iter::once("key,num\n".to_string())
            .chain(records.iter().map(|r| String::from_utf8(r.line.clone()).unwrap()))
            .collect();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "only the table is left");
    }

    #[test]
    fn streamed_buffered_and_spilled_records_merge_into_one_order() {
        let dir = tempfile::tempdir().unwrap();
        // Mostly in order, with keys that come back (a block of a doc_id seen
        // before), keys that arrive early, and an empty table.
        let mut records: Vec<Record> = (0..2000u64).map(|i| record(&format!("d{:05}", i * 3), i % 5)).collect();
        for i in (0..2000).step_by(97) {
            records.insert(i, record(&format!("d{:05}", (i * 7919) % 6000), 9));
        }
        records.insert(500, record("d00600", 1));
        records.insert(100, record("a", 0));
        let mut sorted = records.clone();
        sorted.sort();
        let mut expected = "key,num\n".to_string();
        let mut at = 0;
        while at < sorted.len() {
            // Blocks of one key are written row by row in (num, bytes) order.
            let same = sorted[at..].iter().take_while(|r| r.key == sorted[at].key).count();
            let mut rows: Vec<String> =
                sorted[at..at + same].iter().map(|r| String::from_utf8(r.line.clone()).unwrap()).collect();
            rows.sort_by_key(|r| (r.split(',').nth(1).unwrap().trim().parse::<u64>().unwrap(), r.clone()));
            expected.extend(rows);
            at += same;
        }
        for budget in [usize::MAX, 300, 1] {
            assert_eq!(table_of(dir.path(), &records, budget), expected, "budget {budget}");
        }
        assert_eq!(table_of(dir.path(), &[], 1), "key,num\n");
        // A key that comes again right away is no longer in order.
        let again = [record("a", 5), record("a", 2), record("b", 0)];
        assert_eq!(table_of(dir.path(), &again, usize::MAX), "key,num\na,2\na,5\nb,0\n");
    }

    #[test]
    fn blocks_write_as_their_rows_would() {
        let dir = tempfile::tempdir().unwrap();
        // Documents "a" and "c" once each, "b" three times (same doc_id):
        // its rows interleave by start, then by bytes.
        let docs: [(&str, &[u64]); 5] = [("b", &[5, 40]), ("a", &[1, 2, 3]), ("b", &[7, 40]), ("c", &[0]), ("b", &[6])];
        let line = |key: &str, num: u64, doc: usize| format!("{key},{num},\"x,{doc}\"\n");
        let mut outputs = Vec::new();
        for budget in [usize::MAX, 1] {
            let mut rows = Sorter::new(dir.path(), "rows", budget);
            let mut blocks = Sorter::new(dir.path(), "blocks", budget).with_blocks(1);
            for (doc, (key, nums)) in docs.iter().enumerate() {
                let mut block = Vec::new();
                for &num in nums.iter() {
                    let l = line(key, num, doc);
                    block.extend_from_slice(l.as_bytes());
                    rows.push(Record { key: key.to_string(), num, line: l.into_bytes() }).unwrap();
                }
                blocks.push(Record { key: key.to_string(), num: 0, line: block }).unwrap();
            }
            let (mut by_row, mut by_block) = (Vec::new(), Vec::new());
            rows.write_sorted(&mut by_row).unwrap();
            blocks.write_sorted(&mut by_block).unwrap();
            assert_eq!(String::from_utf8(by_block.clone()).unwrap(), String::from_utf8(by_row).unwrap());
            outputs.push(by_block);
        }
        assert_eq!(outputs[0], outputs[1], "spilled blocks differ");
        let text = String::from_utf8(outputs.remove(0)).unwrap();
        let order: Vec<&str> = text.lines().map(|l| &l[..l.find(",\"").unwrap()]).collect();
        assert_eq!(order, ["a,1", "a,2", "a,3", "b,5", "b,6", "b,7", "b,40", "b,40", "c,0"]);
    }
}
