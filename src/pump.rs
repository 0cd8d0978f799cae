//! Standard input, read on a thread of its own so that a run that has
//! stopped does not wait for a producer that has stalled.
//!
//! `tail -f feed.jsonl | cotag run -`, or a download that hangs: a read of
//! standard input may block for as long as the producer likes. Read on the
//! walking thread, such a read kept a run that had failed (a full disk) or
//! been interrupted from ending: the failure waited for the producer's next
//! line or its end, which might never come (SIGINT had a watchdog that
//! exits after a grace period; a failure had none).
//!
//! So a detached thread (`cotag-stdin`) does the blocking reads and hands
//! the bytes over in chunks, and the walk reads the chunks through
//! [`Pump`], which asks every [`POLL`] while it waits whether the run still
//! wants them. When it does not, the walk gets an error and ends at once;
//! the thread stays blocked in its read until the process exits, which it
//! now can.
//!
//! A wait of a [`POLL`] or more also tells the walk that the producer is
//! slow (the `idle` hook), so that it hands on the documents it holds in a
//! batch not yet full: a producer that writes a few lines and then pauses
//! has them tagged now, not when a megabyte has come.

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::time::Duration;

/// Most bytes read from standard input at a time. A pipe hands over at most
/// what its buffer holds (64 KiB by default on Linux) at a read; a file
/// redirected to standard input fills the whole chunk.
const CHUNK: usize = 256 << 10;

/// Chunks read ahead of the walk: memory stays near a megabyte whatever
/// the producer's speed.
const AHEAD: usize = 4;

/// How often a walk waiting for standard input asks whether the run still
/// wants it.
pub(crate) const POLL: Duration = Duration::from_millis(50);

/// Standard input as a [`BufRead`], read ahead by a detached thread; see the
/// module documentation.
pub(crate) struct Pump<F: Fn() -> bool, I: FnMut()> {
    /// Chunks from the reading thread; it hangs up at the end of the input.
    chunks: Receiver<io::Result<Vec<u8>>>,
    /// The chunk being read and how far.
    chunk: Vec<u8>,
    at: usize,
    /// Whether the run has stopped wanting input (asked while waiting).
    stopped: F,
    /// Called once a wait has lasted a [`POLL`], once per wait.
    idle: I,
}

/// Standard input through a [`Pump`] that gives up once `stopped` says so,
/// and calls `idle` when the producer keeps it waiting.
pub(crate) fn stdin<F: Fn() -> bool, I: FnMut()>(stopped: F, idle: I) -> io::Result<Pump<F, I>> {
    from(io::stdin(), stopped, idle)
}

/// A [`Pump`] over any reader (standard input in a run; a pipe in tests).
pub(crate) fn from<R: Read + Send + 'static, F: Fn() -> bool, I: FnMut()>(
    mut input: R,
    stopped: F,
    idle: I,
) -> io::Result<Pump<F, I>> {
    let (to_walk, chunks) = sync_channel(AHEAD);
    std::thread::Builder::new().name("cotag-stdin".into()).spawn(move || {
        // One buffer, read into again and again; each chunk sent is a copy
        // of just the bytes read. A fresh zeroed buffer per read would zero
        // four times what a full pipe brings, and hold 256 KiB per chunk
        // queued however few bytes it carries.
        let mut buffer = vec![0; CHUNK];
        loop {
            let sent = match input.read(&mut buffer) {
                Ok(0) => return,
                Ok(n) => to_walk.send(Ok(buffer[..n].to_vec())),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = to_walk.send(Err(e));
                    return;
                }
            };
            // The walk has ended (the run is over or has stopped).
            if sent.is_err() {
                return;
            }
        }
    })?;
    Ok(Pump { chunks, chunk: Vec::new(), at: 0, stopped, idle })
}

impl<F: Fn() -> bool, I: FnMut()> Read for Pump<F, I> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<F: Fn() -> bool, I: FnMut()> BufRead for Pump<F, I> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let mut idle_told = false;
        while self.at == self.chunk.len() {
            match self.chunks.recv_timeout(POLL) {
                Ok(Ok(chunk)) => (self.chunk, self.at) = (chunk, 0),
                Ok(Err(e)) => return Err(e),
                Err(RecvTimeoutError::Timeout) if (self.stopped)() => {
                    return Err(io::Error::other("the run stopped while waiting for standard input"));
                }
                Err(RecvTimeoutError::Timeout) if !idle_told => {
                    (self.idle)();
                    idle_told = true;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(&[]),
            }
        }
        Ok(&self.chunk[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at = (self.at + n).min(self.chunk.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Instant;

    #[test]
    fn every_byte_comes_through_in_order() {
        // More than a few chunks, with a line that spans two of them.
        let data: Vec<u8> = (0..CHUNK * 5 + 17).map(|i| (i % 251) as u8).collect();
        let mut pump = from(io::Cursor::new(data.clone()), || false, || {}).unwrap();
        let mut got = Vec::new();
        pump.read_to_end(&mut got).unwrap();
        assert_eq!(got.len(), data.len());
        assert!(got == data);
        // At the end, it stays at the end.
        assert_eq!(pump.fill_buf().unwrap(), &[] as &[u8]);
    }

    #[test]
    fn lines_come_through_as_written() {
        let text = "{\"text\": \"a\"}\n{\"text\": \"b\"}\nno end of line";
        let pump = from(io::Cursor::new(text.as_bytes().to_vec()), || false, || {}).unwrap();
        let lines: Vec<String> = pump.lines().map(Result::unwrap).collect();
        assert_eq!(lines, ["{\"text\": \"a\"}", "{\"text\": \"b\"}", "no end of line"]);
    }

    /// A reader that gives `first` and then blocks until the test ends.
    struct Stalls {
        first: Option<Vec<u8>>,
        release: Receiver<()>,
    }

    impl Read for Stalls {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if let Some(first) = self.first.take() {
                out[..first.len()].copy_from_slice(&first);
                return Ok(first.len());
            }
            let _ = self.release.recv();
            Ok(0)
        }
    }

    #[test]
    fn a_stopped_run_stops_waiting_for_a_stalled_producer() {
        let (release, wait) = sync_channel(1);
        let stopped = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stopped);
        let stalls = Stalls { first: Some(b"first line\n".to_vec()), release: wait };
        let idle = std::rc::Rc::new(std::cell::Cell::new(0));
        let idle_seen = std::rc::Rc::clone(&idle);
        let mut pump = from(stalls, move || flag.load(Ordering::SeqCst), move || idle.set(idle.get() + 1)).unwrap();
        let mut line = String::new();
        pump.read_line(&mut line).unwrap();
        assert_eq!(line, "first line\n");
        let idle_before = idle_seen.get();
        // The producer has stalled: the walk waits while the run goes on...
        let stop_at = Instant::now() + POLL * 4;
        // (The producer ends after 20 s, so that a pump that waits for it
        // fails this test rather than hanging it.)
        let setter = std::thread::spawn(move || {
            std::thread::sleep(POLL * 4);
            stopped.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(20));
            let _ = release.send(());
        });
        let err = pump.read_line(&mut line).unwrap_err();
        // ...and gives up once the run has stopped, not at the producer's end.
        let now = Instant::now();
        assert!(now >= stop_at, "gave up before the run stopped");
        assert!(now < stop_at + Duration::from_secs(10), "took {:?} after the stop", now - stop_at);
        assert!(err.to_string().contains("stopped"), "{err}");
        // The walk heard once, in that wait of several polls, that the
        // producer is slow.
        assert_eq!(idle_seen.get() - idle_before, 1);
        drop(setter);
    }

    #[test]
    fn read_errors_are_passed_on() {
        struct Fails;
        impl Read for Fails {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::InvalidData, "bad pipe"))
            }
        }
        let mut pump = from(Fails, || false, || {}).unwrap();
        let err = pump.fill_buf().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
