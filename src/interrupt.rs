//! Stopping cleanly on SIGINT or SIGTERM: the signal sets a flag, the reader
//! and workers stop at the next document, the staging folder is removed, and
//! the process exits 130 or 143 with no table left behind (SPEC §1).
//!
//! A watcher thread receives the signals. If the run has not wound down
//! within a grace period (a thread may be deep in a huge document, or blocked
//! in a read of a file system that hangs; standard input no longer holds a
//! run, see `crate::pump`), or when a second signal arrives, the watcher
//! removes the registered temporary folders itself and exits the process.

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// How long a signalled run may take to stop by itself before the watcher
/// cleans up and exits on its behalf.
const GRACE: Duration = Duration::from_secs(3);

/// The flag a signal sets; shared by every thread of a run.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    signal: Arc<AtomicUsize>,
    /// Temporary folders to remove if the watcher has to exit the process.
    cleanup: Arc<Mutex<Vec<PathBuf>>>,
    /// Set when the run has returned (successfully or not).
    finished: Arc<AtomicBool>,
}

/// The error a run stops with when interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted(pub i32);

impl Interrupted {
    /// The conventional exit code: 128 + the signal number (130, 143).
    pub fn exit_code(self) -> u8 {
        (128 + self.0) as u8
    }
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            SIGINT => "SIGINT",
            SIGTERM => "SIGTERM",
            _ => "a signal",
        };
        write!(f, "interrupted by {name}; no tables written")
    }
}

impl std::error::Error for Interrupted {}

impl Interrupt {
    /// A flag that only [`Interrupt::raise`] sets (for library use and tests).
    pub fn new() -> Interrupt {
        Interrupt::default()
    }

    /// A flag set by SIGINT and SIGTERM, with the watcher thread that
    /// enforces the grace period and honours a second signal at once.
    pub fn install() -> std::io::Result<Interrupt> {
        let interrupt = Interrupt::new();
        let mut signals = Signals::new([SIGINT, SIGTERM])?;
        let watcher = interrupt.clone();
        std::thread::Builder::new().name("cotag-signals".into()).spawn(move || {
            let Some(first) = signals.forever().next() else { return };
            watcher.raise(first);
            let deadline = Instant::now() + GRACE;
            while Instant::now() < deadline {
                if signals.pending().next().is_some() {
                    break;
                }
                if watcher.finished.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            watcher.abandon(first);
        })?;
        Ok(interrupt)
    }

    /// Removes the registered temporary folders and exits with the signal's code.
    fn abandon(&self, signal: i32) -> ! {
        let paths = self.cleanup.lock().map(|p| p.clone()).unwrap_or_default();
        for path in paths {
            let _ = std::fs::remove_dir_all(path);
        }
        eprintln!("cotag: {}", Interrupted(signal));
        std::process::exit(128 + signal);
    }

    /// Registers a temporary folder to remove should the process have to exit
    /// before the run cleans up after itself.
    pub fn guard(&self, path: PathBuf) {
        if let Ok(mut paths) = self.cleanup.lock() {
            paths.push(path);
        }
    }

    /// Forgets every registered folder (they were committed or removed) and
    /// marks the run finished, so the watcher leaves the exit to the run.
    pub fn finish(&self) {
        if let Ok(mut paths) = self.cleanup.lock() {
            paths.clear();
        }
        self.finished.store(true, Ordering::SeqCst);
    }

    /// Sets the flag as if `signal` had arrived.
    pub fn raise(&self, signal: i32) {
        self.signal.store(signal as usize, Ordering::SeqCst);
    }

    /// Whether a signal has arrived.
    pub fn is_set(&self) -> bool {
        self.signal.load(Ordering::Relaxed) != 0
    }

    /// `Err(Interrupted)` once a signal has arrived.
    pub fn check(&self) -> Result<(), Interrupted> {
        match self.signal.load(Ordering::SeqCst) {
            0 => Ok(()),
            s => Err(Interrupted(s as i32)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raised_flag_reports_the_signal() {
        let i = Interrupt::new();
        assert!(i.check().is_ok());
        i.clone().raise(SIGTERM);
        assert_eq!(i.check(), Err(Interrupted(SIGTERM)));
        assert_eq!(Interrupted(SIGTERM).exit_code(), 143);
        assert_eq!(Interrupted(SIGINT).exit_code(), 130);
        assert_eq!(Interrupted(SIGINT).to_string(), "interrupted by SIGINT; no tables written");
    }
}
