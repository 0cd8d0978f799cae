//! Stopping cleanly on SIGINT or SIGTERM: the signal sets a flag, the reader
//! and workers stop at the next document, the staging folder is removed, and
//! the process exits 130 or 143 with no table left behind (SPEC §1). A second
//! signal ends the process at once.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};

/// The flag a signal sets; shared by every thread of a run.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    signal: Arc<AtomicUsize>,
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

    /// A flag set by SIGINT and SIGTERM; a second signal exits at once.
    pub fn install() -> std::io::Result<Interrupt> {
        let interrupt = Interrupt::new();
        for signal in [SIGINT, SIGTERM] {
            // Registered first, so it sees the flag as it was before this signal:
            // it exits only when an earlier signal already set it.
            let already = Arc::new(std::sync::atomic::AtomicBool::new(false));
            signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, already.clone())?;
            signal_hook::flag::register(signal, already)?;
            signal_hook::flag::register_usize(signal, interrupt.signal.clone(), signal as usize)?;
        }
        Ok(interrupt)
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
