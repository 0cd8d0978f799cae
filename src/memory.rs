//! Giving freed memory back to the system between the stages of a run.
//!
//! The `cotag` binary allocates with mimalloc (`main.rs`), which keeps the
//! memory freed by a thread to reuse it and returns it to the system only
//! when that thread allocates again, some milliseconds later. The large
//! frees of a run come at the end of its stages: the workers' pair tables,
//! freed when they are merged, by threads that then exit, and the counts,
//! freed when the rows are made of them. Held on, that memory made the peak
//! RSS of a 500 MB `--by month` run 730 MB where the heap's own peak was
//! 404 MB (heaptrack, with the system allocator).
//! Returning memory eagerly all through a run (mimalloc's `purge_delay` of 0)
//! cost a default run 10 % more CPU time; once at each such point costs
//! nothing measurable.

/// Returns to the system the memory freed so far, by every thread, that the
/// allocator still holds. Cheap beside the stages between which it is called.
///
/// Each thread of rayon's pool collects its own heap too: the pair tables
/// are folded there, and a block freed by another thread waits in its
/// owner's list until the owner collects it, so that collecting on this
/// thread alone left the counts freed while the rows are made in memory
/// (the 500 MB benchmark corpus with `--by day`: 1,087 MB against 870 MB).
pub(crate) fn give_back() {
    collect();
    rayon::broadcast(|_| collect());
}

/// Collects the calling thread's heap, and with it the memory that threads
/// which have exited left behind.
fn collect() {
    // SAFETY: `mi_collect` takes no pointers and may be called from any
    // thread at any time; where mimalloc is not the global allocator (the
    // library's tests) it finds nothing to give back.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
