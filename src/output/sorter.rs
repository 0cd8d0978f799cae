//! Sorting table rows that may not fit in memory: rows are buffered, sorted
//! runs are spilled to temporary files when the buffer is full, and the runs
//! are merged when the table is written. A corpus of millions of documents
//! thus needs memory for one buffer, not for every mention.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// One row with its sort key: rows sort by `key` bytes, then `num`, then the
/// row's own bytes, so the order is total and never depends on arrival order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Record {
    /// Primary key (a `doc_id`).
    pub key: String,
    /// Secondary key (a mention's start), 0 when unused.
    pub num: u64,
    /// The encoded CSV line.
    pub line: Vec<u8>,
}

impl Record {
    fn heap_size(&self) -> usize {
        self.key.len() + self.line.len() + 64
    }

    fn write_to(&self, w: &mut impl Write) -> io::Result<()> {
        w.write_all(&(self.key.len() as u64).to_le_bytes())?;
        w.write_all(self.key.as_bytes())?;
        w.write_all(&self.num.to_le_bytes())?;
        w.write_all(&(self.line.len() as u64).to_le_bytes())?;
        w.write_all(&self.line)
    }

    fn read_from(r: &mut impl Read) -> io::Result<Option<Record>> {
        let mut word = [0u8; 8];
        match r.read_exact(&mut word) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut key = vec![0u8; u64::from_le_bytes(word) as usize];
        r.read_exact(&mut key)?;
        r.read_exact(&mut word)?;
        let num = u64::from_le_bytes(word);
        r.read_exact(&mut word)?;
        let mut line = vec![0u8; u64::from_le_bytes(word) as usize];
        r.read_exact(&mut line)?;
        let key = String::from_utf8(key).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "corrupt sort run"))?;
        Ok(Some(Record { key, num, line }))
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
    runs: Vec<PathBuf>,
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
        }
    }

    /// Adds a record.
    pub fn push(&mut self, record: Record) -> io::Result<()> {
        self.buffered += record.heap_size();
        self.buffer.push(record);
        if self.buffered >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        self.buffer.sort_unstable();
        // Every worker has its own sorter over the same folder: the run number
        // must be unique across all of them, not per sorter.
        static RUNS: AtomicU64 = AtomicU64::new(0);
        let run = RUNS.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.join(format!("{}.run{run}-{}.tmp", self.name, std::process::id()));
        let mut w = BufWriter::new(File::create(&path)?);
        for r in self.buffer.drain(..) {
            r.write_to(&mut w)?;
        }
        w.flush()?;
        self.runs.push(path);
        self.buffered = 0;
        Ok(())
    }

    /// Takes in another sorter's records (another worker's).
    pub fn absorb(&mut self, mut other: Sorter) -> io::Result<()> {
        self.runs.append(&mut other.runs);
        for r in other.buffer.drain(..) {
            self.push(r)?;
        }
        Ok(())
    }

    /// Writes every record's line, in order, to `out`, and removes the runs.
    pub fn write_sorted(mut self, out: &mut dyn Write) -> io::Result<()> {
        self.buffer.sort_unstable();
        if self.runs.is_empty() {
            for r in &self.buffer {
                out.write_all(&r.line)?;
            }
            return Ok(());
        }
        let mut readers = Vec::with_capacity(self.runs.len());
        for path in &self.runs {
            readers.push(BufReader::with_capacity(1 << 16, File::open(path)?));
        }
        let mut memory = std::mem::take(&mut self.buffer).into_iter();
        // Sources: 0..runs are files, runs.len() is the in-memory buffer.
        let mut heap = BinaryHeap::new();
        for (i, reader) in readers.iter_mut().enumerate() {
            if let Some(r) = Record::read_from(reader)? {
                heap.push(Reverse((r, i)));
            }
        }
        let memory_source = readers.len();
        if let Some(r) = memory.next() {
            heap.push(Reverse((r, memory_source)));
        }
        while let Some(Reverse((record, source))) = heap.pop() {
            out.write_all(&record.line)?;
            let next = if source == memory_source { memory.next() } else { Record::read_from(&mut readers[source])? };
            if let Some(r) = next {
                heap.push(Reverse((r, source)));
            }
        }
        Ok(())
    }
}

impl Drop for Sorter {
    fn drop(&mut self) {
        for path in &self.runs {
            let _ = std::fs::remove_file(path);
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
            // Two sorters of one name over one folder, as the workers of a run have.
            let mut a = Sorter::new(dir.path(), "t", budget);
            let mut b = Sorter::new(dir.path(), "t", budget);
            for (i, (k, n)) in keys.iter().enumerate() {
                if i % 3 == 0 { &mut b } else { &mut a }.push(record(k, *n)).unwrap();
            }
            a.absorb(b).unwrap();
            let mut out = Vec::new();
            a.write_sorted(&mut out).unwrap();
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
}
