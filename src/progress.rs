//! The progress bar and counters shown on stderr while a run works.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shared counters, updated by the reader and the workers, drawn as a bar
/// when stderr is a terminal and the run is not `--quiet`.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    documents: AtomicU64,
    bytes: AtomicU64,
}

impl Progress {
    /// A progress display, drawn only when `visible` and stderr is a
    /// terminal; a spinner until [`Progress::set_files`] gives the length.
    pub fn new(visible: bool) -> Progress {
        let bar = (visible && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
            bar.set_style(ProgressStyle::with_template("{spinner} {pos} files  {msg}").expect("the template is valid"));
            bar.enable_steady_tick(Duration::from_millis(250));
            bar
        });
        Progress { bar, documents: AtomicU64::new(0), bytes: AtomicU64::new(0) }
    }

    /// A progress that draws nothing.
    pub fn hidden() -> Progress {
        Progress::new(false)
    }

    /// Whether anything is drawn.
    pub fn is_visible(&self) -> bool {
        self.bar.is_some()
    }

    /// The number of input files, once counted: the spinner becomes a bar.
    pub fn set_files(&self, files: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(files);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} files  {msg}  ETA {eta}")
                    .expect("the template is valid"),
            );
        }
    }

    /// One input file has been read.
    pub fn file_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// A batch of documents holding `bytes` of text has been processed.
    pub fn batch_done(&self, documents: u64, bytes: u64) {
        let docs = self.documents.fetch_add(documents, Ordering::Relaxed) + documents;
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if let Some(bar) = &self.bar {
            let secs = bar.elapsed().as_secs_f64().max(1e-3);
            let mb = total as f64 / 1e6;
            bar.set_message(format!("{docs} documents  {mb:.1} MB  {:.1} MB/s", mb / secs));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
