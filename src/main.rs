//! The `cotag` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

// The gazetteer load and the per-document rows make millions of small
// allocations; mimalloc serves them in about half the time of the system
// allocator (measured on startup and on the benchmark corpus).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cotag::cli::Cli::parse();
    match cotag::cli::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cotag: {e:#}");
            match e.downcast_ref::<cotag::interrupt::Interrupted>() {
                Some(signal) => ExitCode::from(signal.exit_code()),
                None => ExitCode::from(2),
            }
        }
    }
}
