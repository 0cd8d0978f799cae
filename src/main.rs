//! The `cotag` binary: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

// The gazetteer load and the per-document rows make millions of small
// allocations: with mimalloc, start-up takes half the time it took with the
// system allocator, and a run of the 100 MB benchmark corpus about 9 % less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cotag::cli::Cli::parse();
    // Rayon's threads (the pair tables are made on them) named like the
    // pipeline's own; the default pool is kept if this fails.
    let _ = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("cotag-pool-{}", i + 1)).build_global();
    match cotag::cli::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cotag: {}", cotag::cli::printable(&format!("{e:#}")));
            match e.downcast_ref::<cotag::interrupt::Interrupted>() {
                Some(signal) => ExitCode::from(signal.exit_code()),
                None => ExitCode::from(2),
            }
        }
    }
}
