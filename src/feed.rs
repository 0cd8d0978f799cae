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
//! A file of many documents (JSONL, CSV, TSV, gzipped or not) gets a batch
//! of its own, and the reading thread that takes it decompresses and
//! parses it, sending its documents on in numbered parts as they come
//! ([`Documents::turn`]); such files are parsed in the walk's order, one
//! per two workers at a time ([`parsing_threads`]). Parsed on the walking
//! thread, as before session 13, such files were read by one core whatever
//! the workers: a folder of `.jsonl.gz` files of news articles took the
//! walk 0.60 s of CPU per 100 MB, a ceiling near 170 MB/s for a run on any
//! number of cores. Standard input is still parsed on the walking thread
//! (it is one stream, read in order), from the bytes a thread of its own
//! reads ([`crate::pump`]), so that a run that stops never waits for a
//! producer that has stalled.
//!
//! Memory stays bounded whatever the files' sizes ([`Flow`]): the walk
//! cannot know a file's size without one more system call a file, so it
//! sizes its batches of files by the mean size of the files read so far
//! (a corpus of books gets batches of one or two files, one of news
//! articles batches of 64), and a reading thread starts a batch only while
//! the documents read and not yet tagged stay under [`IN_FLIGHT_BYTES`].

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use crate::corpus::{
    holds_many_documents, holds_one_document, read_input, read_jsonl_stream, walk_inputs, InputFile, ReadOptions,
};
use crate::document::Document;
use crate::interrupt::Interrupt;
use crate::progress::Progress;
use crate::rows::Turn;
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
    /// A file of many documents (JSONL, CSV, TSV, gzipped or not), alone in
    /// its batch, for a reading thread to read and parse: it sends the
    /// documents on in parts of about a megabyte as they come.
    Stream(InputFile, StreamTicket),
    /// A document read on the walking thread (standard input, or the record
    /// of a file that cannot be read as a corpus file).
    Document(Document),
}

/// Work from the walk, numbered in the walk's order.
pub(crate) struct Batch {
    /// The batch's number: the rows of the per-document tables are put
    /// back in this order, whichever thread finishes first.
    pub(crate) seq: u64,
    pub(crate) work: Vec<Work>,
}

/// A batch read, or one part of it: its documents, in the order of its work.
pub(crate) struct Documents {
    /// The number of the [`Batch`] read and the part of it: a batch of a
    /// [`Work::Stream`] file is sent in parts as it is parsed, any other in
    /// one.
    pub(crate) turn: Turn,
    pub(crate) documents: Vec<Document>,
    /// Its bytes in the [`Flow`]'s count, given back when it is dropped
    /// (tagged, skipped, or dropped with a channel).
    _held: Held,
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

/// How many files of many documents (JSONL, CSV, TSV) are parsed at once
/// for `workers` workers: one per two workers, in the walk's order
/// ([`StreamTicket`]). Parsing is cheaper than tagging (a `.jsonl.gz`
/// folder of news: 0.6 s of CPU per 100 MB against 2 s to tag it), so that
/// keeps the workers fed, and parsing few files at once, in order, keeps
/// the per-document rows in order: the rows of a file parsed beside an
/// earlier one wait for the earlier one's, and past 32 MiB of rows waiting
/// they go on out of order, to be sorted at the end. Eight `.jsonl.gz`
/// files at once, in any order, took 0.5-0.7 s more after tagging on 500
/// MB at `-j 2`; one at a time in order, nothing more than parsing them on
/// the walking thread did.
pub(crate) fn parsing_threads(workers: usize) -> usize {
    workers.div_ceil(2).max(1)
}

/// What the walk needs to know of the run.
pub(crate) struct WalkOptions<'a> {
    /// Field names of structured inputs.
    pub(crate) read: &'a ReadOptions,
    /// Only this shard of the corpus.
    pub(crate) shard: Option<Shard>,
    /// Set by SIGINT/SIGTERM: the walk stops.
    pub(crate) interrupt: Interrupt,
    /// What the reading threads have read, for the size of batches.
    pub(crate) flow: &'a Arc<Flow>,
}

/// The walk: goes through every input in order and sends its work in
/// batches to the reading threads. It stops early once they hang up (the
/// workers stopped on an error), a signal arrives, or the run has failed
/// ([`Flow::stop`]).
pub(crate) fn walk(inputs: &[Input], opts: &WalkOptions<'_>, sender: SyncSender<Batch>, progress: &Progress) {
    let mut batcher = Batcher::new(sender, opts.interrupt.clone(), opts.flow);
    // Sends or parses one file of the shard; false once the readers have stopped.
    let read_file = |file: InputFile, batcher: &mut Batcher| {
        if opts.shard.is_some_and(|s| !s.holds(file.rel())) {
            return true;
        }
        if file.problem.is_none() && holds_one_document(file.rel()) {
            batcher.add(Work::File(file));
        } else if file.problem.is_none() && holds_many_documents(file.rel()) {
            batcher.add_stream(file);
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
            Input::Stdin => {
                // The sink adds documents as lines come; the pump's idle hook
                // hands on a batch not yet full when the producer pauses. The
                // pump calls the hook only while it waits for bytes, never
                // while the sink runs, so the batcher is never borrowed twice
                // (and a hook that finds it busy would just do nothing).
                let shared = std::cell::RefCell::new(&mut batcher);
                // Stdin documents are sharded one by one, by doc_id (SPEC §5).
                let mut sink = |doc: Document| {
                    let mut batcher = shared.borrow_mut();
                    if opts.shard.is_none_or(|s| s.holds(&doc.doc_id)) {
                        batcher.add(Work::Document(doc))
                    } else {
                        batcher.is_open()
                    }
                };
                let idle = || {
                    if let Ok(mut batcher) = shared.try_borrow_mut() {
                        batcher.flush();
                    }
                };
                // Read through a pump, so that a run that stops does not
                // wait for a stalled producer; read here if its thread cannot start.
                match crate::pump::stdin(|| opts.interrupt.is_set() || opts.flow.is_stopped(), idle) {
                    Ok(pump) => read_jsonl_stream(pump, "-", "-", opts.read, &mut sink),
                    Err(_) => read_jsonl_stream(std::io::stdin().lock(), "-", "-", opts.read, &mut sink),
                }
            }
        }
        if !batcher.open {
            return;
        }
    }
    batcher.flush();
}

/// Groups work into batches of about a megabyte.
struct Batcher<'a> {
    sender: SyncSender<Batch>,
    batch: Vec<Work>,
    /// The number of the next batch.
    seq: u64,
    bytes: usize,
    /// False once the reading threads have hung up or a signal arrived.
    open: bool,
    interrupt: Interrupt,
    flow: &'a Arc<Flow>,
    /// The number of the next file of many documents.
    streams: u64,
}

impl<'a> Batcher<'a> {
    const BATCH_BYTES: usize = 1 << 20;
    const BATCH_ITEMS: usize = 1024;

    /// A batcher sending to `sender` from batch 0.
    fn new(sender: SyncSender<Batch>, interrupt: Interrupt, flow: &'a Arc<Flow>) -> Batcher<'a> {
        Batcher { sender, batch: Vec::new(), seq: 0, bytes: 0, open: true, interrupt, flow, streams: 0 }
    }

    /// Adds a file of many documents, as a batch of its own with the next
    /// turn to be parsed.
    fn add_stream(&mut self, file: InputFile) {
        let ticket = StreamTicket { flow: Arc::clone(self.flow), number: self.streams };
        self.streams += 1;
        self.flush();
        self.add(Work::Stream(file, ticket));
        self.flush();
    }

    /// Whether work is still taken: false once the reading threads have
    /// hung up, a signal came, or the run was stopped ([`Flow::stop`]).
    fn is_open(&mut self) -> bool {
        if self.interrupt.is_set() || self.flow.is_stopped() {
            self.open = false;
        }
        self.open
    }

    /// Adds `work` to the batch; false once the batcher is closed (the
    /// readers hung up, a signal came, or the run was stopped), when it
    /// drops `work` and every later one.
    fn add(&mut self, work: Work) -> bool {
        if !self.is_open() {
            return false;
        }
        self.bytes += match &work {
            Work::File(_) => self.flow.file_estimate(),
            Work::Stream(..) => Self::BATCH_BYTES,
            Work::Document(doc) => doc.text.len(),
        };
        self.batch.push(work);
        if self.bytes >= Self::BATCH_BYTES || self.batch.len() >= Self::BATCH_ITEMS {
            self.flush();
        }
        self.open
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

/// How many bytes of documents may be read and not yet tagged before the
/// reading threads wait (each may still finish the batch it has begun).
pub(crate) const IN_FLIGHT_BYTES: usize = 32 << 20;

/// What a file not yet read counts for in a batch before any file has been
/// read: batches of four files, so that the first batches of a corpus of
/// big files stay small.
const FIRST_FILE_BYTES: usize = 256 * 1024;

/// What a file not yet read counts for at least: a news article's size and
/// more, so that a batch of articles is 64 files and the workers, taking
/// batches of about the same work, finish together.
const MIN_FILE_BYTES: usize = 16 * 1024;

/// The flow of documents from the reading threads to the workers, shared
/// by the walk, the reading threads and every batch read: the sizes of the
/// files read so far (the walk's estimate of the next ones), and the bytes
/// of documents read and not yet tagged, which the reading threads keep
/// under a budget.
#[derive(Debug)]
pub(crate) struct Flow {
    files: AtomicU64,
    file_bytes: AtomicU64,
    in_flight: Mutex<usize>,
    /// Signalled when bytes in flight are given back.
    room: Condvar,
    budget: usize,
    /// The files of many documents done with (see [`StreamTicket`]).
    streams: Mutex<StreamsDone>,
    /// Signalled when one is done.
    stream_done: Condvar,
    max_streams: u64,
    /// Set by [`Flow::stop`].
    stopped: AtomicBool,
}

/// The [`StreamTicket`]s done with: every number below `all_below`, and
/// the others done so far.
#[derive(Debug, Default)]
struct StreamsDone {
    all_below: u64,
    others: std::collections::BTreeSet<u64>,
}

impl Flow {
    /// A flow that lets `budget` bytes be in flight, and one file of many
    /// documents be parsed at a time.
    #[cfg(test)]
    fn new(budget: usize) -> Arc<Flow> {
        Flow::with_streams(budget, 1)
    }

    /// A flow that lets `budget` bytes be in flight, and `streams` files of
    /// many documents be parsed at once.
    pub(crate) fn with_streams(budget: usize, streams: usize) -> Arc<Flow> {
        Arc::new(Flow {
            files: AtomicU64::new(0),
            file_bytes: AtomicU64::new(0),
            in_flight: Mutex::new(0),
            room: Condvar::new(),
            budget,
            streams: Mutex::new(StreamsDone::default()),
            stream_done: Condvar::new(),
            max_streams: streams.max(1) as u64,
            stopped: AtomicBool::new(false),
        })
    }

    /// Stops the run: the workers tag no more, the walk sends no more work
    /// (and gives up waiting for standard input), and the reading threads
    /// take no more files and leave the rest of a file of many documents
    /// unread. Called once the run has failed (a table could not be
    /// written, a worker failed or panicked) or a signal came, so that a
    /// failure early in a run of hours is reported then, not after the
    /// whole corpus has been read for nothing.
    pub(crate) fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
    }

    /// Whether [`Flow::stop`] was called.
    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// The size the walk expects of a file not yet read: the mean size of
    /// the files read so far, at least [`MIN_FILE_BYTES`]
    /// ([`FIRST_FILE_BYTES`] before the first).
    fn file_estimate(&self) -> usize {
        match self.files.load(Ordering::Relaxed) {
            0 => FIRST_FILE_BYTES,
            files => {
                let mean = self.file_bytes.load(Ordering::Relaxed) / files;
                usize::try_from(mean).unwrap_or(usize::MAX).max(MIN_FILE_BYTES)
            }
        }
    }

    /// Notes `files` text files of `bytes` in all read (once a batch: the
    /// counters are shared by every reading thread).
    fn files_read(&self, files: u64, bytes: u64) {
        self.files.fetch_add(files, Ordering::Relaxed);
        self.file_bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Waits until the bytes in flight are under the budget (or none are:
    /// one batch always goes, however big its files).
    fn wait_for_room(&self) {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        while *in_flight > 0 && *in_flight >= self.budget {
            in_flight = self.room.wait(in_flight).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// The turn of a file of many documents to be parsed, numbered by the walk
/// in its order: file `n` starts once every file before `n - k` is done,
/// for `k` files parsed at once ([`parsing_threads`]). So files are parsed
/// in the walk's order, their rows come to the tables in order, and no
/// reading thread waits on a file that no thread has taken (the reading
/// threads take batches in order). A ticket is done when dropped, however
/// its batch ends: parsed, passed over after a signal, or dropped unread.
#[derive(Debug)]
pub(crate) struct StreamTicket {
    flow: Arc<Flow>,
    number: u64,
}

impl StreamTicket {
    /// Waits until this file may be parsed.
    fn wait_turn(&self) {
        let flow = &self.flow;
        let mut done = flow.streams.lock().unwrap_or_else(PoisonError::into_inner);
        while self.number >= done.all_below + flow.max_streams {
            done = flow.stream_done.wait(done).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for StreamTicket {
    fn drop(&mut self) {
        let flow = &self.flow;
        let mut done = flow.streams.lock().unwrap_or_else(PoisonError::into_inner);
        done.others.insert(self.number);
        let done = &mut *done;
        while done.others.remove(&done.all_below) {
            done.all_below += 1;
        }
        flow.stream_done.notify_all();
    }
}

/// Bytes of documents in flight held by one batch; given back to the
/// [`Flow`] when dropped, however the batch ends.
#[derive(Debug)]
struct Held {
    flow: Arc<Flow>,
    bytes: usize,
}

impl Held {
    fn new(flow: &Arc<Flow>) -> Held {
        Held { flow: Arc::clone(flow), bytes: 0 }
    }

    /// Counts `bytes` more in flight. A file's bytes count as soon as it is
    /// read, not when its batch is sent: the other reading threads then see
    /// the batches being read too (when this was measured, 209 files of 5
    /// MB at `-j 1` peaked at 259 to 268 MB so in three runs, and at 321 MB
    /// counted a batch at a time).
    fn add(&mut self, bytes: usize) {
        self.bytes += bytes;
        *self.flow.in_flight.lock().unwrap_or_else(PoisonError::into_inner) += bytes;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.bytes > 0 {
            let mut in_flight = self.flow.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
            *in_flight -= self.bytes;
            self.flow.room.notify_all();
        }
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
/// reads their files, and sends their documents to the workers. It stops
/// early once the workers hang up; after a signal or once the run has
/// failed ([`Flow::stop`]) it passes batches over unread (the workers
/// would drop them).
pub(crate) fn read_batches(
    queue: &ReadQueue,
    workers: SyncSender<Documents>,
    flow: &Arc<Flow>,
    read: &ReadOptions,
    interrupt: &Interrupt,
    progress: &Progress,
) {
    let _running = Running(queue);
    while let Some(Batch { seq, work }) = queue.next() {
        // After a signal or a failed run, the batches left are passed over
        // (taken, so that the walk never blocks on a full queue).
        if interrupt.is_set() || flow.is_stopped() {
            continue;
        }
        flow.wait_for_room();
        let mut part = Part::new(seq, flow);
        let (mut files, mut file_bytes) = (0, 0);
        for work in work {
            match work {
                Work::File(file) => {
                    let first = part.documents.len();
                    read_input(&file, read, &mut |doc| {
                        part.documents.push(doc);
                        true
                    });
                    let bytes = part.documents[first..].iter().map(|d| d.text.len()).sum();
                    part.held.add(bytes);
                    files += 1;
                    file_bytes += bytes as u64;
                    progress.file_done();
                }
                Work::Stream(file, ticket) => {
                    // The workers start on the first documents while the
                    // rest of the file is parsed. After a signal, a failed
                    // run, or once the workers hang up, the reader stops
                    // where it is: the rest of a file of gigabytes is left
                    // unread, not parsed to be dropped.
                    ticket.wait_turn();
                    read_input(&file, read, &mut |doc| {
                        if part.stopped || interrupt.is_set() || flow.is_stopped() {
                            return false;
                        }
                        part.push(doc);
                        if part.is_full() && part.send(&workers, false) {
                            flow.wait_for_room();
                        }
                        !part.stopped
                    });
                    drop(ticket);
                    progress.file_done();
                }
                Work::Document(doc) => part.push(doc),
            }
        }
        if files > 0 {
            flow.files_read(files, file_bytes);
        }
        if !part.send(&workers, true) {
            return;
        }
    }
}

/// The part of a batch being read, before it is sent.
struct Part {
    seq: u64,
    number: u32,
    documents: Vec<Document>,
    /// The part's bytes, in flight.
    held: Held,
    /// Set once the workers have hung up.
    stopped: bool,
}

impl Part {
    /// Bytes of a part of a [`Work::Stream`] file: as a batch from the walk.
    const BYTES: usize = Batcher::BATCH_BYTES;
    /// Documents of a part at most: as a batch from the walk.
    const DOCUMENTS: usize = Batcher::BATCH_ITEMS;

    fn new(seq: u64, flow: &Arc<Flow>) -> Part {
        Part { seq, number: 0, documents: Vec::new(), held: Held::new(flow), stopped: false }
    }

    fn push(&mut self, doc: Document) {
        self.held.add(doc.text.len());
        self.documents.push(doc);
    }

    fn is_full(&self) -> bool {
        self.held.bytes >= Self::BYTES || self.documents.len() >= Self::DOCUMENTS
    }

    /// Sends the documents so far as the next part (`last`: the batch's
    /// last), and starts the part after it. False once the workers have
    /// hung up.
    fn send(&mut self, workers: &SyncSender<Documents>, last: bool) -> bool {
        if self.stopped {
            return false;
        }
        let fresh = Held::new(&self.held.flow);
        let documents = Documents {
            turn: Turn { seq: self.seq, part: self.number, last },
            documents: std::mem::take(&mut self.documents),
            _held: std::mem::replace(&mut self.held, fresh),
        };
        self.number += 1;
        self.stopped = workers.send(documents).is_err();
        !self.stopped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Status;
    use std::sync::mpsc::sync_channel;

    /// `dir/news.jsonl`, `n` documents with ids `n0000`, `n0001`...
    fn numbered_jsonl(dir: &std::path::Path, n: usize) -> InputFile {
        let path = dir.join("news.jsonl");
        let lines: String = (0..n).map(|i| format!("{{\"id\": \"n{i:04}\", \"text\": \"Israel {i}\"}}\n")).collect();
        std::fs::write(&path, lines).unwrap();
        InputFile::new(&path, "news.jsonl", "news.jsonl", None)
    }

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
        let flow = Flow::new(IN_FLIGHT_BYTES);
        read_batches(&queue, to_workers, &flow, &ReadOptions::default(), &Interrupt::new(), &Progress::new(false));
        let read = documents.recv().unwrap();
        assert_eq!(read.turn, Turn { seq: 7, part: 0, last: true });
        assert_eq!(texts(&read.documents), ["b.jsonl:1 ", "a.txt Israel"]);
        assert!(documents.recv().is_err(), "one batch in, one batch out");
        // The file's size is known to the walk, and the batch's bytes are
        // in flight until the batch is dropped.
        assert_eq!(flow.file_estimate(), MIN_FILE_BYTES);
        assert_eq!(flow.file_bytes.load(Ordering::Relaxed), 6);
        assert_eq!(in_flight(&flow), 6);
        drop(read);
        assert_eq!(in_flight(&flow), 0);
    }

    #[test]
    fn a_file_of_many_documents_goes_to_the_workers_in_numbered_parts() {
        let dir = tempfile::tempdir().unwrap();
        let file = numbered_jsonl(dir.path(), 2500);
        // The walk gives it a batch of its own, between two batches of text files.
        let flow = Flow::new(IN_FLIGHT_BYTES);
        let (sender, batches) = sync_channel(8);
        let mut batcher = Batcher::new(sender, Interrupt::new(), &flow);
        let text_file = |name: &str| Work::File(InputFile::new(&dir.path().join(name), name, name, None));
        batcher.add(text_file("a.txt"));
        batcher.add_stream(file);
        batcher.add(text_file("b.txt"));
        batcher.flush();
        drop(batcher);
        let batches: Vec<Batch> = batches.iter().collect();
        assert_eq!(batches.iter().map(|b| (b.seq, b.work.len())).collect::<Vec<_>>(), [(0, 1), (1, 1), (2, 1)]);
        // A reading thread sends it in parts of at most 1,024 documents as it parses it.
        let (to_readers, queued) = sync_channel(1);
        let (to_workers, documents) = sync_channel(8);
        let stream = batches.into_iter().nth(1).unwrap();
        to_readers.send(stream).unwrap();
        drop(to_readers);
        let queue = ReadQueue::new(queued, 1);
        read_batches(&queue, to_workers, &flow, &ReadOptions::default(), &Interrupt::new(), &Progress::new(false));
        let parts: Vec<Documents> = documents.iter().collect();
        let turns: Vec<(u64, u32, bool, usize)> =
            parts.iter().map(|p| (p.turn.seq, p.turn.part, p.turn.last, p.documents.len())).collect();
        assert_eq!(turns, [(1, 0, false, 1024), (1, 1, false, 1024), (1, 2, true, 452)]);
        let ids: Vec<&str> = parts.iter().flat_map(|p| p.documents.iter().map(|d| d.doc_id.as_str())).collect();
        let expected: Vec<String> = (0..2500).map(|i| format!("n{i:04}")).collect();
        assert_eq!(ids, expected);
        // Each part holds its own bytes in flight, given back when it is dropped.
        let total: usize = parts.iter().flat_map(|p| p.documents.iter().map(|d| d.text.len())).sum();
        assert_eq!(in_flight(&flow), total);
        drop(parts);
        assert_eq!(in_flight(&flow), 0);
    }

    #[test]
    fn a_stopped_run_leaves_the_rest_of_a_file_of_many_documents_unread() {
        let dir = tempfile::tempdir().unwrap();
        let file = numbered_jsonl(dir.path(), 5000);
        let flow = Flow::new(IN_FLIGHT_BYTES);
        let ticket = StreamTicket { flow: Arc::clone(&flow), number: 0 };
        let (to_readers, queued) = sync_channel(1);
        to_readers.send(Batch { seq: 0, work: vec![Work::Stream(file, ticket)] }).unwrap();
        drop(to_readers);
        // Room for one part: the reading thread parses at most one part
        // ahead of the worker, and waits to send it.
        let (to_workers, documents) = sync_channel(1);
        let queue = ReadQueue::new(queued, 1);
        let received = std::thread::scope(|scope| {
            scope.spawn(|| {
                read_batches(
                    &queue,
                    to_workers,
                    &flow,
                    &ReadOptions::default(),
                    &Interrupt::new(),
                    &Progress::new(false),
                )
            });
            // The worker takes the first part, then the run fails.
            let first = documents.recv().unwrap();
            flow.stop();
            let rest: Vec<Documents> = documents.iter().collect();
            (first, rest)
        });
        let (first, rest) = received;
        assert_eq!(first.documents.len(), 1024);
        // At most the part being sent and the one being parsed when the run
        // stopped, then the batch's last part: four of the five parts (the
        // 5,000 documents) unread would be too many to go on parsing.
        let read: usize = rest.iter().map(|p| p.documents.len()).sum();
        assert!(read <= 2 * 1024, "{read} documents parsed after the stop");
        assert!(rest.last().is_some_and(|p| p.turn.last), "the batch still ends with its last part");
        // A stopped run's walk sends nothing more.
        let (sender, batches) = sync_channel(8);
        let mut batcher = Batcher::new(sender, Interrupt::new(), &flow);
        // Closed before anything is added (the walk asks so of standard
        // input's documents of other shards).
        assert!(!batcher.is_open());
        let text_file = Work::File(InputFile::new(&dir.path().join("a.txt"), "a.txt", "a.txt", None));
        assert!(!batcher.add(text_file));
        batcher.flush();
        drop(batcher);
        assert_eq!(batches.iter().count(), 0);
    }

    #[test]
    fn files_of_many_documents_take_their_turns_in_the_walks_order() {
        let flow = Flow::with_streams(IN_FLIGHT_BYTES, 2);
        let ticket = |number| StreamTicket { flow: Arc::clone(&flow), number };
        let (t0, t1, t2, t3) = (ticket(0), ticket(1), ticket(2), ticket(3));
        // Two at a time: the first two go at once.
        t0.wait_turn();
        t1.wait_turn();
        let (started, turn) = std::sync::mpsc::channel();
        let waiting = std::thread::spawn(move || {
            t3.wait_turn();
            started.send(()).unwrap();
            t3
        });
        let wait = std::time::Duration::from_millis(200);
        assert!(turn.recv_timeout(wait).is_err(), "file 3 went before files 0 and 1 were done");
        // Done out of order: file 1 before file 0 lets nothing more go.
        drop(t1);
        assert!(turn.recv_timeout(wait).is_err(), "file 3 went before file 0 was done");
        drop(t0);
        turn.recv_timeout(std::time::Duration::from_secs(60)).expect("file 3's turn once 0 and 1 are done");
        let t3 = waiting.join().unwrap();
        // A file passed over unparsed is done too: file 4 may go beside file 3.
        drop(t2);
        let t4 = ticket(4);
        t4.wait_turn();
        let t5 = ticket(5);
        let (started, turn) = std::sync::mpsc::channel();
        let waiting = std::thread::spawn(move || {
            t5.wait_turn();
            started.send(()).unwrap();
        });
        assert!(turn.recv_timeout(wait).is_err(), "file 5 went before file 3 was done");
        drop(t3);
        turn.recv_timeout(std::time::Duration::from_secs(60)).expect("file 5's turn once 3 is done");
        waiting.join().unwrap();
        drop(t4);
    }

    fn in_flight(flow: &Flow) -> usize {
        *flow.in_flight.lock().unwrap()
    }

    /// The number of files in each batch the walk's batcher makes of
    /// `files` files, with `flow` as the reading threads left it.
    fn batch_lengths(flow: &Arc<Flow>, files: usize) -> Vec<usize> {
        let (sender, batches) = sync_channel(files);
        let mut batcher = Batcher::new(sender, Interrupt::new(), flow);
        for i in 0..files {
            let name = format!("{i}.txt");
            batcher.add(Work::File(InputFile::new(std::path::Path::new(&name), &name, &name, None)));
        }
        batcher.flush();
        drop(batcher);
        batches.iter().map(|b| b.work.len()).collect()
    }

    #[test]
    fn batches_of_files_are_sized_by_the_files_read_so_far() {
        // Nothing read yet: batches of four files.
        let flow = Flow::new(IN_FLIGHT_BYTES);
        assert_eq!(batch_lengths(&flow, 10), [4, 4, 2]);
        // News articles: 64 files a batch.
        flow.files_read(100, 300_000);
        assert_eq!(batch_lengths(&flow, 130), [64, 64, 2]);
        // Books: a file a batch.
        let flow = Flow::new(IN_FLIGHT_BYTES);
        flow.files_read(10, 30 << 20);
        assert_eq!(batch_lengths(&flow, 3), [1, 1, 1]);
    }

    #[test]
    fn reading_waits_while_the_documents_in_flight_fill_the_budget() {
        let flow = Flow::new(100);
        let mut held = Held::new(&flow);
        held.add(150);
        let (done, waited) = std::sync::mpsc::channel();
        let waiting = Arc::clone(&flow);
        std::thread::spawn(move || {
            waiting.wait_for_room();
            let _ = done.send(());
        });
        let a_while = std::time::Duration::from_millis(300);
        assert!(waited.recv_timeout(a_while).is_err(), "a batch may not start while the budget is full");
        // The batch holding the bytes is tagged (or dropped): room again.
        drop(held);
        assert!(waited.recv_timeout(std::time::Duration::from_secs(60)).is_ok());
        // With nothing in flight, a batch starts whatever the budget.
        Flow::new(0).wait_for_room();
    }

    #[test]
    fn batches_dropped_unread_by_the_workers_give_their_bytes_back() {
        let flow = Flow::new(IN_FLIGHT_BYTES);
        let (to_workers, documents) = sync_channel(2);
        for seq in 0..2 {
            let mut held = Held::new(&flow);
            held.add(1000);
            let turn = Turn { seq, part: 0, last: true };
            to_workers.send(Documents { turn, documents: Vec::new(), _held: held }).unwrap();
        }
        assert_eq!(in_flight(&flow), 2000);
        // A worker panicked: its channel is dropped with the batches in it.
        drop(documents);
        assert_eq!(in_flight(&flow), 0);
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
            let flow = Flow::new(IN_FLIGHT_BYTES);
            let (read, progress, interrupt) = (ReadOptions::default(), Progress::new(false), Interrupt::new());
            let opts = WalkOptions { read: &read, shard: None, interrupt: interrupt.clone(), flow: &flow };
            std::thread::scope(|scope| {
                for _ in 0..threads {
                    let to_workers = to_workers.clone();
                    scope.spawn(|| read_batches(&queue, to_workers, &flow, &read, &interrupt, &progress));
                }
                drop(to_workers);
                // Three thousand files are many batches, far more than the
                // channel holds.
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
