//! Writing a growing file to disk while it grows.
//!
//! Every table is synced before it is renamed into place, so that it is
//! whole or absent after a crash too (see [`super::folder`]). A table written
//! during tagging (`mentions.csv` reaches hundreds of MB) used to meet that
//! sync only at the end of the run, which then waited for all of it to reach
//! the disk: a third of a second on the 500 MB benchmark corpus, with every
//! worker done. [`EarlyWriteback`] syncs such a file on a thread of its own
//! every few tens of MB, so that the final sync finds little left to write.
//!
//! Once synced, those bytes are also let go of the system's file cache
//! (`forget_synced`): a table is written once and read later, by another
//! program, and hundreds of MB of it kept in the cache push out what a
//! researcher reads again, the corpus of the next run above all. (A
//! `mentions.csv` written out of order is the one exception: cotag reads it
//! back once, from the disk, to merge it with its sorted runs.) It also
//! speeds the run: the pages let go of can be reused for the next bytes
//! written, where a table kept whole takes a fresh page for every 4 KB. On
//! the benchmark machine, a virtual machine on which memory left free for a
//! while is slow to fill again (its host seems to take it back), a fresh
//! page costs ten times the copy into it: 500 MB written in 1 MB pieces,
//! each time after 40 s idle, took 2.0 and 2.1 s of system time kept whole,
//! 1.9 s synced every 32 MB, and 0.3 s synced and let go of
//! (`benches/cache_write.py`, two rounds; see
//! benches/HISTORY.md, session 24).

use std::fs::File;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

/// Bytes written between two syncs of [`EarlyWriteback`].
pub const SYNC_EVERY: u64 = 32 << 20;

/// Syncs a file being written, on a thread of its own, every `every` bytes
/// the writer reports; [`EarlyWriteback::finish`] (or dropping it) waits for
/// the sync under way.
///
/// Its syncs only start the work early: their errors are left to the final
/// sync of the file, which reports them. The thread starts at the first
/// sync asked for, so a file smaller than `every` costs none (most tables).
/// Without a second handle to the file or a thread, it does nothing.
#[derive(Debug)]
pub struct EarlyWriteback {
    every: u64,
    /// Bytes written since the last request.
    pending: u64,
    /// A second handle to the file, for the thread until it starts.
    file: Option<File>,
    requests: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// Syncs done, for the tests.
    synced: Arc<AtomicUsize>,
}

impl EarlyWriteback {
    /// Syncs `file` every [`SYNC_EVERY`] bytes.
    pub fn new(file: &File) -> EarlyWriteback {
        EarlyWriteback::every(file, SYNC_EVERY)
    }

    /// Syncs `file` every `every` bytes.
    pub fn every(file: &File, every: u64) -> EarlyWriteback {
        EarlyWriteback {
            every: every.max(1),
            pending: 0,
            file: file.try_clone().ok(),
            requests: None,
            thread: None,
            synced: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Starts the syncing thread (once; not after [`EarlyWriteback::finish`]).
    fn start(&mut self) {
        let Some(file) = self.file.take() else { return };
        let (requests, received) = mpsc::channel::<()>();
        let synced = Arc::clone(&self.synced);
        let spawned = std::thread::Builder::new().name("cotag-writeback".into()).spawn(move || {
            while received.recv().is_ok() {
                // Requests made during a sync are answered by the next one.
                while received.try_recv().is_ok() {}
                if file.sync_data().is_ok() {
                    forget_synced(&file);
                }
                synced.fetch_add(1, Ordering::Relaxed);
            }
        });
        if let Ok(thread) = spawned {
            self.requests = Some(requests);
            self.thread = Some(thread);
        }
    }

    /// Notes `bytes` more written to the file, asking for a sync every
    /// `every` bytes (the thread syncs what has reached the system by then).
    pub fn wrote(&mut self, bytes: u64) {
        self.pending += bytes;
        if self.pending >= self.every {
            self.pending = 0;
            self.start();
            if let Some(requests) = &self.requests {
                let _ = requests.send(());
            }
        }
    }

    /// Stops the thread, after the sync under way and any asked for.
    pub fn finish(&mut self) {
        self.file = None;
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Syncs done so far.
    #[cfg(test)]
    fn synced(&self) -> usize {
        self.synced.load(Ordering::Relaxed)
    }
}

/// A file being written whole, synced early as it grows ([`EarlyWriteback`]):
/// for the tables written after tagging, which reach a hundred MB with
/// `--discover` on a large corpus.
#[derive(Debug)]
pub struct SyncingFile {
    file: File,
    writeback: EarlyWriteback,
}

impl SyncingFile {
    /// Writes to `file`, syncing it every [`SYNC_EVERY`] bytes.
    pub fn new(file: File) -> SyncingFile {
        SyncingFile::every(file, SYNC_EVERY)
    }

    /// Writes to `file`, syncing it every `every` bytes.
    pub fn every(file: File, every: u64) -> SyncingFile {
        let writeback = EarlyWriteback::every(&file, every);
        SyncingFile { file, writeback }
    }

    /// Waits for the sync under way and hands the file back.
    pub fn finish(mut self) -> File {
        self.writeback.finish();
        self.file
    }
}

impl std::io::Write for SyncingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.writeback.wrote(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Lets the system drop `file`'s cached pages that are on disk already
/// (Linux: `posix_fadvise(POSIX_FADV_DONTNEED)` over the whole file; pages
/// written since the last sync stay, being dirty). Only a hint: the file's
/// contents are the same either way, and an error changes nothing.
fn forget_synced(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is open for as long as `file` lives, and
        // the call reads no memory of ours.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

impl Drop for EarlyWriteback {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, Write};

    #[test]
    fn syncs_as_the_file_grows_and_leaves_it_whole() {
        let mut file = tempfile::tempfile().unwrap();
        let mut writeback = EarlyWriteback::every(&file, 1000);
        let mut expected = Vec::new();
        for i in 0..50u32 {
            let line = format!("row {i:03} of a growing table\n");
            file.write_all(line.as_bytes()).unwrap();
            writeback.wrote(line.len() as u64);
            expected.extend_from_slice(line.as_bytes());
        }
        writeback.finish();
        // 50 lines of 27 bytes: a request at every 1,000 bytes, so one sync
        // at least, and at most one per request.
        assert!((1..=expected.len() / 1000).contains(&writeback.synced()), "{} syncs", writeback.synced());
        let mut written = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut written).unwrap();
        assert_eq!(written, expected);
        // Finished twice (and dropped): nothing left to wait for.
        writeback.finish();
    }

    #[test]
    fn no_sync_before_the_first_stretch() {
        let file = tempfile::tempfile().unwrap();
        let mut writeback = EarlyWriteback::every(&file, 1 << 20);
        writeback.wrote(1000);
        // A file smaller than one stretch starts no thread at all.
        assert!(writeback.thread.is_none());
        writeback.finish();
        assert_eq!(writeback.synced(), 0);
    }

    #[test]
    fn a_syncing_file_writes_every_byte_through_a_buffer_and_syncs_on_the_way() {
        let file = tempfile::tempfile().unwrap();
        let mut w = std::io::BufWriter::with_capacity(4096, SyncingFile::every(file, 10_000));
        let mut expected = Vec::new();
        for i in 0..5_000u32 {
            let line = format!("{i},a row of a table written whole\n");
            w.write_all(line.as_bytes()).unwrap();
            expected.extend_from_slice(line.as_bytes());
        }
        let mut syncing = w.into_inner().map_err(|e| e.into_error()).unwrap();
        syncing.writeback.finish();
        let (synced, requests) = (syncing.writeback.synced(), expected.len() / 10_000);
        // A sync for every 10,000 bytes asked for (some answered together),
        // and the file whole. (That the synced pages leave the cache is a
        // hint to the system that no test here can see reliably.)
        assert!((1..=requests).contains(&synced), "{synced} syncs for {requests} requests");
        let mut file = syncing.finish();
        let mut written = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut written).unwrap();
        assert_eq!(written, expected);
    }
}
