//! Feeding the workers of `cotag run`: one thread walks the inputs in order
//! and groups their work into numbered batches, and a few reading threads
//! read the text files of those batches and hand the documents on.
//!
//! ```text
//! walk (cotag-walk) --Batch--> reading threads (cotag-read-N) --Documents--> workers
//! ```
//!
//! Why reading threads apart from the walk: a corpus of small files costs a
//! few system calls a file, and a file that is not in the page cache costs
//! a wait for the disk. One thread reading file after file waits for each
//! in turn, one read in flight at a time; several threads keep several in
//! flight, which is what an SSD, a network file system or a virtual disk
//! needs to deliver its speed, and a corpus read for the first time is
//! mostly not in the page cache. A file in the page cache costs the same
//! CPU whichever thread reads it, so the threads cost nearly nothing when
//! the disk is not waited for.
//!
//! JSONL, CSV and standard input are parsed on the walking thread, which
//! sends their documents in batches of their own; the reading threads pass
//! those batches on as they are.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};

use crate::corpus::{holds_one_document, read_input, read_jsonl_stream, walk_inputs, InputFile, ReadOptions};
use crate::document::Document;
use crate::interrupt::Interrupt;
use crate::progress::Progress;
use crate::shard::Shard;

/// One input of the run, in reading order.
pub(crate) enum Input {
    /// A CORPUS folder or file, walked while it is read.
    Walk(std::path::PathBuf),
    /// A file named by `--files-from`.
    File(InputFile),
    /// Standard input.
    Stdin,
}

/// One piece of a batch from the walk.
pub(crate) enum Work {
    /// A text file, for a reading thread to read.
    File(InputFile),
    /// A document read on the walking thread (JSONL, CSV, standard input).
    Document(Document),
}

/// Work from the walk, numbered in the walk's order.
pub(crate) struct Batch {
    /// The batch's number: the rows of the per-document tables are put
    /// back in this order, whichever thread finishes first.
    pub(crate) seq: u64,
    pub(crate) work: Vec<Work>,
}

/// A batch read: its documents, in the order of its work.
pub(crate) struct Documents {
    /// The number of the [`Batch`] read.
    pub(crate) seq: u64,
    pub(crate) documents: Vec<Document>,
}

/// How many reading threads serve `workers` workers: enough to keep
/// several reads in flight whatever the worker count, one a worker past
/// that, and at most sixteen. Most of the time they wait on the disk or on
/// a full channel. Eight: a cold 100 MB corpus at `-j 1` took 3.14 s with
/// four, 2.44 s with eight and 2.72 s with sixteen (means of three, on the
/// development machine's virtual disk), and a warm 500 MB run the same
/// time with four and eight, within the machine's noise.
pub(crate) fn reading_threads(workers: usize) -> usize {
    workers.clamp(8, 16)
}

/// What the walk needs to know of the run.
pub(crate) struct WalkOptions<'a> {
    /// Field names of structured inputs.
    pub(crate) read: &'a ReadOptions,
    /// Only this shard of the corpus.
    pub(crate) shard: Option<Shard>,
    /// Set by SIGINT/SIGTERM: the walk stops.
    pub(crate) interrupt: Interrupt,
}

/// The walk: goes through every input in order and sends its work in
/// batches to the reading threads. It stops early once they hang up (the
/// workers stopped on an error) or a signal arrives.
pub(crate) fn walk(inputs: &[Input], opts: &WalkOptions<'_>, sender: SyncSender<Batch>, progress: &Progress) {
    let mut batcher =
        Batcher { sender, batch: Vec::new(), seq: 0, bytes: 0, open: true, interrupt: opts.interrupt.clone() };
    // Sends or parses one file of the shard; false once the readers have stopped.
    let read_file = |file: InputFile, batcher: &mut Batcher| {
        if opts.shard.is_some_and(|s| !s.holds(file.rel())) {
            return true;
        }
        if file.problem.is_none() && holds_one_document(file.rel()) {
            batcher.add(Work::File(file));
        } else {
            read_input(&file, opts.read, &mut |doc| batcher.add(Work::Document(doc)));
            progress.file_done();
        }
        batcher.open
    };
    for input in inputs {
        match input {
            Input::Walk(root) => walk_inputs(root, &mut |file| read_file(file, &mut batcher)),
            Input::File(file) => {
                read_file(file.clone(), &mut batcher);
            }
            // Stdin documents are sharded one by one, by doc_id (SPEC §5).
            Input::Stdin => read_jsonl_stream(std::io::stdin().lock(), "-", "-", opts.read, &mut |doc| {
                if opts.shard.is_none_or(|s| s.holds(&doc.doc_id)) {
                    batcher.add(Work::Document(doc))
                }
            }),
        }
        if !batcher.open {
            return;
        }
    }
    batcher.flush();
}

/// Groups work into batches of about a megabyte.
struct Batcher {
    sender: SyncSender<Batch>,
    batch: Vec<Work>,
    /// The number of the next batch.
    seq: u64,
    bytes: usize,
    /// False once the reading threads have hung up or a signal arrived.
    open: bool,
    interrupt: Interrupt,
}

impl Batcher {
    const BATCH_BYTES: usize = 1 << 20;
    const BATCH_ITEMS: usize = 1024;
    /// What a file not yet read counts for: a news article's size, so that
    /// a batch of files is about 64 of them and the workers finish together.
    const FILE_BYTES: usize = 16 * 1024;

    fn add(&mut self, work: Work) {
        if self.interrupt.is_set() {
            self.open = false;
        }
        if !self.open {
            return;
        }
        self.bytes += match &work {
            Work::File(_) => Self::FILE_BYTES,
            Work::Document(doc) => doc.text.len(),
        };
        self.batch.push(work);
        if self.bytes >= Self::BATCH_BYTES || self.batch.len() >= Self::BATCH_ITEMS {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.open || self.batch.is_empty() {
            return;
        }
        self.bytes = 0;
        let batch = Batch { seq: self.seq, work: std::mem::take(&mut self.batch) };
        self.seq += 1;
        self.open = self.sender.send(batch).is_ok();
    }
}

/// The reading threads' shared end of the walk's channel. It is behind an
/// `Option` so that the last reading thread to stop can drop it: the walk,
/// blocked on a full channel, then stops too, even when the threads stopped
/// because the workers hung up or one of them panicked.
pub(crate) struct ReadQueue {
    batches: Mutex<Option<Receiver<Batch>>>,
    /// Reading threads not yet stopped.
    running: AtomicUsize,
}

impl ReadQueue {
    /// The queue of `batches` for `threads` reading threads.
    pub(crate) fn new(batches: Receiver<Batch>, threads: usize) -> ReadQueue {
        ReadQueue { batches: Mutex::new(Some(batches)), running: AtomicUsize::new(threads) }
    }

    /// The next batch, or `None` once the walk is over (or cut short).
    fn next(&self) -> Option<Batch> {
        let guard = self.batches.lock().unwrap_or_else(PoisonError::into_inner);
        guard.as_ref()?.recv().ok()
    }
}

/// Counts a reading thread out of its [`ReadQueue`] when dropped, however
/// the thread ends (a panic included); the last one out closes the queue.
struct Running<'a>(&'a ReadQueue);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        if self.0.running.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.batches.lock().unwrap_or_else(PoisonError::into_inner).take();
        }
    }
}

/// A reading thread: takes batches from `queue` until the walk is over,
/// reads their text files, and sends their documents to the workers. It
/// stops early once the workers hang up; after a signal it passes batches
/// over unread (the workers would drop them).
pub(crate) fn read_batches(
    queue: &ReadQueue,
    workers: SyncSender<Documents>,
    read: &ReadOptions,
    interrupt: &Interrupt,
    progress: &Progress,
) {
    let _running = Running(queue);
    while let Some(Batch { seq, work }) = queue.next() {
        if interrupt.is_set() {
            continue;
        }
        let mut documents = Vec::with_capacity(work.len());
        for work in work {
            match work {
                Work::File(file) => {
                    read_input(&file, read, &mut |doc| documents.push(doc));
                    progress.file_done();
                }
                Work::Document(doc) => documents.push(doc),
            }
        }
        if workers.send(Documents { seq, documents }).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Status;
    use std::sync::mpsc::sync_channel;

    fn texts(documents: &[Document]) -> Vec<String> {
        documents.iter().map(|d| format!("{} {}", d.doc_id, d.text)).collect()
    }

    #[test]
    fn reading_threads_read_files_in_place_and_keep_the_batch_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "Israel").unwrap();
        let file = InputFile::new(&path, "a.txt", "a.txt", None);
        let doc = Document::without_text("b.jsonl:1".into(), "b.jsonl".into(), Status::Error, "bad".to_string());
        let (to_readers, batches) = sync_channel(4);
        let (to_workers, documents) = sync_channel(4);
        to_readers.send(Batch { seq: 7, work: vec![Work::Document(doc), Work::File(file)] }).unwrap();
        drop(to_readers);
        let queue = ReadQueue::new(batches, 1);
        read_batches(&queue, to_workers, &ReadOptions::default(), &Interrupt::new(), &Progress::new(false));
        let read = documents.recv().unwrap();
        assert_eq!(read.seq, 7);
        assert_eq!(texts(&read.documents), ["b.jsonl:1 ", "a.txt Israel"]);
        assert!(documents.recv().is_err(), "one batch in, one batch out");
    }

    #[test]
    fn the_walk_stops_when_the_workers_hang_up() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3000 {
            std::fs::write(dir.path().join(format!("{i:04}.txt")), "Israel").unwrap();
        }
        let root = dir.path().to_path_buf();
        // The run is watched from outside: a walk blocked for ever on its
        // full channel fails the test instead of hanging it.
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (to_readers, batches) = sync_channel(1);
            let (to_workers, documents) = sync_channel(1);
            // The workers are gone before anything is read.
            drop(documents);
            let threads = 3;
            let queue = ReadQueue::new(batches, threads);
            let (read, progress, interrupt) = (ReadOptions::default(), Progress::new(false), Interrupt::new());
            let opts = WalkOptions { read: &read, shard: None, interrupt: interrupt.clone() };
            std::thread::scope(|scope| {
                for _ in 0..threads {
                    let to_workers = to_workers.clone();
                    scope.spawn(|| read_batches(&queue, to_workers, &read, &interrupt, &progress));
                }
                drop(to_workers);
                // Three thousand files are about 47 batches, far more than
                // the channel holds.
                walk(&[Input::Walk(root)], &opts, to_readers, &progress);
            });
            let closed = queue.batches.lock().unwrap().is_none();
            done.send(closed).unwrap();
        });
        let closed = finished.recv_timeout(std::time::Duration::from_secs(60));
        assert_eq!(closed, Ok(true), "the walk must stop, and the last reading thread close the queue");
    }

    #[test]
    fn a_reading_thread_that_panics_still_counts_itself_out() {
        let (_to_readers, batches) = sync_channel::<Batch>(1);
        let queue = ReadQueue::new(batches, 2);
        for expect_open in [true, false] {
            let stopped = std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        let _running = Running(&queue);
                        panic!("a reading thread panics");
                    })
                    .join()
            });
            assert!(stopped.is_err());
            assert_eq!(queue.batches.lock().unwrap().is_some(), expect_open);
        }
    }
}
