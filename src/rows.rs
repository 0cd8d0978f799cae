//! The per-document tables (`documents.csv`, `mentions.csv`) of a run: the
//! rows each batch adds, put back in the walk's order and handed to one
//! [`Sorter`] per table by a thread of their own.
//!
//! The rows have a thread of their own because writing them is no small
//! part of a run: `mentions.csv` is about as large as the corpus, and the
//! system's copy of it into the file cache took 8 % of the worker's time
//! when the worker wrote it itself, 13 % with `--discover` (`perf`, 500 MB
//! benchmark corpus, `-j 1`). With one worker, the writing thread runs
//! beside it on another core; with several, no worker waits for another to
//! finish writing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use anyhow::{Context, Result};

use crate::output::sorter::{Record, Sorter};

/// Where a batch's rows go in the walk's order: the walk's batch number,
/// and the part of the batch (a file of many documents is read and sent in
/// parts, numbered from 0; any other batch is one part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    /// The walk's batch number.
    pub seq: u64,
    /// The part of the batch.
    pub part: u32,
    /// Whether it is the batch's last part: the next batch follows it.
    pub last: bool,
}

impl Turn {
    /// A batch of one part.
    #[cfg(test)]
    fn whole(seq: u64) -> Turn {
        Turn { seq, part: 0, last: true }
    }

    /// The place of the part in the walk's order.
    fn place(self) -> (u64, u32) {
        (self.seq, self.part)
    }

    /// The place of the part that comes after this one.
    fn next(self) -> (u64, u32) {
        if self.last {
            (self.seq + 1, 0)
        } else {
            (self.seq, self.part + 1)
        }
    }
}

/// The rows one batch adds to the per-document tables.
#[derive(Debug, Default)]
pub struct BatchRows {
    /// One record per document of the batch.
    pub documents: Vec<Record>,
    /// One record per document with mentions (all its rows).
    pub mentions: Vec<Record>,
    /// Their size in memory.
    pub bytes: usize,
}

/// The per-document tables, fed one batch of rows at a time in the walk's
/// order, whichever worker tagged it: a batch that arrives early waits for
/// the ones before it. So the rows come to the sorters in the order of the
/// walk, which is `doc_id` order for most corpora, and the sorters write
/// them straight to the tables ([`Sorter`]'s stream) whatever the thread
/// count. Waiting batches are bounded: past `max_waiting` bytes the first
/// of them goes on without the missing ones, which then come later and are
/// sorted like any other out-of-order rows.
#[derive(Debug)]
pub struct OrderedRows {
    /// The place of the part whose rows go next.
    next: (u64, u32),
    waiting: BTreeMap<(u64, u32), (Turn, BatchRows)>,
    waiting_bytes: usize,
    max_waiting: usize,
    documents: Sorter,
    mentions: Option<Sorter>,
    /// The output folder, for messages.
    out: PathBuf,
}

impl OrderedRows {
    /// The tables' sorters; at most `max_waiting` bytes of rows wait for
    /// their turn; `out` is the output folder, named in messages.
    pub fn new(documents: Sorter, mentions: Option<Sorter>, max_waiting: usize, out: &Path) -> OrderedRows {
        OrderedRows {
            next: (0, 0),
            waiting: BTreeMap::new(),
            waiting_bytes: 0,
            max_waiting,
            documents,
            mentions,
            out: out.to_path_buf(),
        }
    }

    /// Hands over the rows of the batch part `turn`, and any waiting ones
    /// that may now go.
    pub fn deliver(&mut self, turn: Turn, rows: BatchRows) -> Result<()> {
        if turn.place() < self.next {
            // Its turn was passed over while it was being tagged.
            return self.push(rows);
        }
        self.waiting_bytes += rows.bytes;
        self.waiting.insert(turn.place(), (turn, rows));
        while let Some(first) = self.waiting.first_entry() {
            if *first.key() != self.next && self.waiting_bytes <= self.max_waiting {
                break;
            }
            let (turn, rows) = first.remove();
            self.next = turn.next();
            self.waiting_bytes -= rows.bytes;
            self.push(rows)?;
        }
        Ok(())
    }

    /// The tables' sorters, with every row delivered.
    pub fn into_tables(mut self) -> (Sorter, Option<Sorter>) {
        // Batches still waiting (a worker stopped on an error) go in as they are.
        for (_, rows) in std::mem::take(&mut self.waiting).into_values() {
            // The run reports the worker's error; a second one here adds nothing.
            let _ = self.push(rows);
        }
        (self.documents, self.mentions)
    }

    /// Adds `rows` to the tables; an error names the table.
    fn push(&mut self, rows: BatchRows) -> Result<()> {
        // The rows go to the staging folder as they come: the table itself, or its sort runs.
        let out = &self.out;
        let failed = |table: &str| format!("cannot write {}", out.join(table).display());
        for record in rows.documents {
            self.documents.push(record).with_context(|| failed("documents.csv"))?;
        }
        if let Some(mentions) = &mut self.mentions {
            for record in rows.mentions {
                mentions.push(record).with_context(|| failed("mentions.csv"))?;
            }
        }
        Ok(())
    }
}

/// The writing thread: delivers every `(turn, rows)` that comes until the
/// workers hang up, and gives the tables back. At the first error it calls
/// `failed` (the run stops reading and tagging: a run waiting for more input
/// learns it from there, not from a worker, which may be waiting too), and
/// takes the rows still coming without writing them, so that no worker
/// blocks on a full channel; the error is returned with the tables.
pub fn write_rows(
    mut rows: OrderedRows,
    batches: Receiver<(Turn, BatchRows)>,
    failed: &dyn Fn(),
) -> (OrderedRows, Result<()>) {
    let mut result = Ok(());
    for (turn, batch) in batches {
        if result.is_err() {
            continue;
        }
        if let Err(e) = rows.deliver(turn, batch) {
            failed();
            result = Err(e);
        }
    }
    (rows, result)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::sync_channel;

    use super::*;

    fn record(key: String) -> Record {
        Record { line: format!("{key}\n").into_bytes(), key, num: 0 }
    }

    /// Three documents and one mention record for batch `seq`.
    fn rows_of(seq: u64) -> BatchRows {
        let documents: Vec<Record> = (0..3).map(|k| record(format!("d{seq:03}-{k}"))).collect();
        let mentions = vec![record(format!("d{seq:03}-0"))];
        BatchRows { bytes: 1000, documents, mentions }
    }

    fn sorter(dir: &Path, name: &str) -> Sorter {
        Sorter::new(dir, name, 1 << 20).with_header(b"h\n".to_vec())
    }

    /// The two tables' text.
    fn written(dir: &Path, documents: Sorter, mentions: Sorter) -> Vec<String> {
        let mut written = Vec::new();
        for (sorter, name) in [(documents, "d.csv"), (mentions, "m.csv")] {
            let path = dir.join(name);
            sorter.write_table(&path).unwrap();
            written.push(std::fs::read_to_string(&path).unwrap());
            std::fs::remove_file(&path).unwrap();
        }
        written
    }

    #[test]
    fn rows_reach_the_tables_in_batch_order_whatever_order_batches_end_in() {
        let dir = tempfile::tempdir().unwrap();
        // Batches end in a scrambled order, as workers of unequal speed finish them.
        let order: Vec<u64> = (0..60u64).map(|i| (i * 37) % 60).collect();
        let mut tables = Vec::new();
        for max_waiting in [usize::MAX, 2500, 0] {
            let mut rows = OrderedRows::new(
                sorter(dir.path(), "documents"),
                Some(sorter(dir.path(), "mentions")),
                max_waiting,
                dir.path(),
            );
            for &seq in &order {
                rows.deliver(Turn::whole(seq), rows_of(seq)).unwrap();
            }
            let (documents, mentions) = rows.into_tables();
            // Unbounded waiting hands every row over in order: nothing to sort.
            assert_eq!(documents.all_streamed(), max_waiting == usize::MAX, "max_waiting {max_waiting}");
            tables.push(written(dir.path(), documents, mentions.unwrap()));
        }
        let expected: String = std::iter::once("h\n".to_string())
            .chain((0..60).flat_map(|seq| (0..3).map(move |k| format!("d{seq:03}-{k}\n"))))
            .collect();
        assert_eq!(tables[0][0], expected);
        assert_eq!(tables[0][1].lines().count(), 61);
        assert!(tables.iter().all(|t| t == &tables[0]), "a bounded wait changes the tables");
    }

    #[test]
    fn parts_of_a_batch_reach_the_tables_in_order_before_the_next_batch() {
        let dir = tempfile::tempdir().unwrap();
        // Every third batch is a file of many documents, sent in parts.
        let parts = |seq: u64| if seq % 3 == 1 { 1 + seq % 4 } else { 1 } as u32;
        let mut turns: Vec<Turn> = (0..30u64)
            .flat_map(|seq| (0..parts(seq)).map(move |part| Turn { seq, part, last: part + 1 == parts(seq) }))
            .collect();
        // Parts end in a scrambled order too.
        let n = turns.len();
        turns = (0..n).map(|i| turns[(i * 17) % n]).collect();
        let rows_of = |turn: Turn| {
            let key = format!("d{:03}-{}", turn.seq, turn.part);
            BatchRows { bytes: 1000, documents: vec![record(key.clone())], mentions: vec![record(key)] }
        };
        let mut rows = OrderedRows::new(
            sorter(dir.path(), "documents"),
            Some(sorter(dir.path(), "mentions")),
            usize::MAX,
            dir.path(),
        );
        for &turn in &turns {
            rows.deliver(turn, rows_of(turn)).unwrap();
        }
        let (documents, mentions) = rows.into_tables();
        // Every part came in its place: streamed, nothing to sort.
        assert!(documents.all_streamed());
        let tables = written(dir.path(), documents, mentions.unwrap());
        let expected: String = std::iter::once("h\n".to_string())
            .chain((0..30u64).flat_map(|seq| (0..parts(seq)).map(move |part| format!("d{seq:03}-{part}\n"))))
            .collect();
        assert_eq!(tables[0], expected);
    }

    #[test]
    fn the_writing_thread_takes_every_batch_from_every_sender() {
        let dir = tempfile::tempdir().unwrap();
        let rows =
            OrderedRows::new(sorter(dir.path(), "documents"), Some(sorter(dir.path(), "mentions")), 0, dir.path());
        let (to_writer, batches) = sync_channel(1);
        let failed = AtomicBool::new(false);
        let (rows, result) = std::thread::scope(|scope| {
            let writer = scope.spawn(|| write_rows(rows, batches, &|| failed.store(true, Ordering::Relaxed)));
            // Two senders, as two workers, each with every other batch.
            for parity in 0..2u64 {
                let to_writer = to_writer.clone();
                scope.spawn(move || {
                    for seq in (parity..40).step_by(2) {
                        to_writer.send((Turn::whole(seq), rows_of(seq))).unwrap();
                    }
                });
            }
            drop(to_writer);
            writer.join().unwrap()
        });
        result.unwrap();
        assert!(!failed.load(Ordering::Relaxed));
        let (documents, mentions) = rows.into_tables();
        let tables = written(dir.path(), documents, mentions.unwrap());
        let expected: String = std::iter::once("h\n".to_string())
            .chain((0..40).flat_map(|seq| (0..3).map(move |k| format!("d{seq:03}-{k}\n"))))
            .collect();
        assert_eq!(tables[0], expected);
    }

    #[test]
    fn a_write_error_stops_the_workers_and_the_rest_is_taken_unwritten() {
        let dir = tempfile::tempdir().unwrap();
        // The sorters' folder is gone: the first table file cannot be made.
        let gone = dir.path().join("gone");
        let tiny = |name: &str| Sorter::new(&gone, name, 1).with_header(b"h\n".to_vec());
        let rows = OrderedRows::new(tiny("documents"), Some(tiny("mentions")), 0, dir.path());
        let (to_writer, batches) = sync_channel(0);
        let failed = std::sync::Arc::new(AtomicBool::new(false));
        let writer = {
            let failed = failed.clone();
            std::thread::spawn(move || write_rows(rows, batches, &|| failed.store(true, Ordering::Relaxed)).1)
        };
        // With a channel of no room every send waits for the writer: all 20
        // go through only if it keeps taking rows after the error. A writer
        // that stops taking them fails the test at the watchdog, not by
        // hanging it.
        let (sent, all_sent) = sync_channel(1);
        std::thread::spawn(move || {
            for seq in 0..20 {
                to_writer.send((Turn::whole(seq), rows_of(seq))).unwrap();
            }
            sent.send(()).unwrap();
        });
        all_sent.recv_timeout(std::time::Duration::from_secs(60)).expect("the writer stopped taking rows");
        let message = format!("{:#}", writer.join().unwrap().unwrap_err());
        assert!(message.contains("documents.csv"), "{message}");
        assert!(failed.load(Ordering::Relaxed));
    }
}
