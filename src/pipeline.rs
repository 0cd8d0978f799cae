//! `cotag run`: read → segment → tag → count → write, joined by small types.
//!
//! One thread walks the inputs in order and groups their work into numbered
//! batches; a few reading threads read the text files of those batches and
//! send the documents over a bounded channel (so memory does not grow with
//! the corpus) to `threads` workers, which segment, tag and count, each
//! into its own [`Counter`] (the `feed` module tells why reading has
//! threads of its own). The workers send the rows of the per-document
//! tables to a writing thread, which hands them, batch by batch in the
//! walk's order, to one [`Sorter`] per table (the `rows` module). At the end the
//! workers' counts are merged and every table is written, sorted, into a
//! staging folder that becomes the output folder only when complete. Every
//! table is sorted by content, so the bytes never depend on the thread
//! count. Rows that arrive in order are written to the staging folder as
//! they come: for a corpus walked in `doc_id` order (dated folders of
//! files), `documents.csv` and `mentions.csv` are complete when tagging
//! ends, with nothing left to sort.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::time::{Instant, SystemTime};

use anyhow::{bail, Context, Result};

use crate::corpus::{walk_inputs, InputFile, ReadOptions};
use crate::count::{Counter, Counts, DocShape};
use crate::document::{Document, Status};
use crate::feed::{self, Documents, Flow, Input, ReadQueue, WalkOptions};
use crate::gazetteer::{Entity, Gazetteer};
use crate::interrupt::Interrupt;
use crate::matcher::MatcherOptions;
use crate::output::csv::{header, push_quoted, Row};
use crate::output::folder::Staging;
use crate::output::gexf;
use crate::output::manifest::{rfc3339, GazetteerEntry, Manifest, Options, ResolvedCorpus, Totals};
use crate::output::sorter::{Record, RepeatedKeys, Sorter};
use crate::output::tables::{self, PairRows};
use crate::progress::Progress;
use crate::rows::{self, BatchRows, OrderedRows, Turn};
use crate::shard::Shard;
use crate::tag::{Mention, TagScratch, Tagger};
use crate::tokenize::Segmentation;
use crate::window::{By, Window};

/// Columns of `documents.csv`.
pub const DOCUMENTS_COLUMNS: &[&str] =
    &["doc_id", "source", "date", "bytes", "tokens", "sentences", "paragraphs", "mentions", "status", "detail"];

/// Columns of `mentions.csv`.
pub const MENTIONS_COLUMNS: &[&str] = &[
    "doc_id",
    "start",
    "end",
    "token_start",
    "token_end",
    "sentence",
    "paragraph",
    "entity_id",
    "type",
    "surface",
    "via",
];

/// Everything `cotag run` needs to know.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// CORPUS arguments; `-` is standard input.
    pub corpus: Vec<String>,
    /// `-g` arguments; empty for the built-in set.
    pub gazetteers: Vec<String>,
    /// Output folder.
    pub out: PathBuf,
    /// Windows, in the order given.
    pub windows: Vec<Window>,
    /// Period slicing.
    pub by: By,
    /// Pairs seen in fewer windows are left out.
    pub min_count: u64,
    /// Leave demonyms out.
    pub no_demonyms: bool,
    /// Also tag unlisted people and organizations by name patterns.
    pub discover: bool,
    /// Do not write `mentions.csv`.
    pub no_mentions: bool,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Replace an existing output folder.
    pub force: bool,
    /// Recorded in the manifest; the exit code is the caller's.
    pub strict: bool,
    /// No progress bar or summary.
    pub quiet: bool,
    /// Field names of structured inputs.
    pub read: ReadOptions,
    /// Memory for each sorted table before it spills to disk, in bytes.
    pub sort_memory: usize,
    /// The command line, for the manifest.
    pub command_line: Vec<String>,
    /// Only this shard of the corpus (`--shard I/N`).
    pub shard: Option<Shard>,
    /// A file listing input paths, one a line (`--files-from`; `-` is stdin).
    pub files_from: Option<String>,
    /// Set by SIGINT/SIGTERM: the run stops and writes nothing.
    pub interrupt: Interrupt,
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Documents by status.
    pub documents: BTreeMap<Status, u64>,
    /// Mentions tagged.
    pub mentions: u64,
    /// Rows of `cooccurrence.csv`.
    pub pairs: u64,
    /// Bytes of text read.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The output folder.
    pub out: PathBuf,
    /// Documents naming so many entities that their document window counts
    /// millions of pairs (see [`CROWDED_ENTITIES`]).
    pub crowded: Crowded,
    /// doc_ids that several documents share (`documents.csv` lists each
    /// document; `mentions.csv` cannot tell theirs apart).
    pub shared_ids: RepeatedKeys,
}

/// A further line of a run's or a merge's summary when documents share
/// doc_ids, empty otherwise: their rows of `mentions.csv` carry one doc_id
/// and cannot be told apart.
pub(crate) fn shared_ids_warning(shared: &RepeatedKeys) -> String {
    let Some(first) = &shared.first else {
        return String::new();
    };
    let ids = match shared.keys {
        1 => "1 doc_id is".to_string(),
        n => format!("{n} doc_ids are"),
    };
    format!(
        "\ncotag: warning: {ids} shared by several documents (first: '{}'; see documents.csv): their rows of \
         mentions.csv cannot be told apart. Give each document an id of its own (--id-field), or leave the \
         id out to get path:LINE (README, \"Shared doc_ids\")",
        crate::cli::printable(first)
    )
}

/// From how many distinct entities a document is worth a note after the run:
/// its document window counts a pair for every two of them (half a million
/// pairs here), and a news article names a few dozen.
pub const CROWDED_ENTITIES: u64 = 1000;

/// The documents naming [`CROWDED_ENTITIES`] or more, when a `document`
/// window is counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Crowded {
    /// How many.
    pub documents: u64,
    /// The one naming the most entities, and how many (ties: the smallest doc_id).
    pub most: Option<(u64, String)>,
}

impl Crowded {
    fn add(&mut self, entities: u64, doc_id: &str) {
        self.documents += 1;
        self.consider(entities, doc_id);
    }

    /// Keeps the document as the most crowded if it is.
    fn consider(&mut self, entities: u64, doc_id: &str) {
        let fewer = |(n, id): &(u64, String)| entities > *n || (entities == *n && doc_id < id.as_str());
        if self.most.as_ref().is_none_or(fewer) {
            self.most = Some((entities, doc_id.to_string()));
        }
    }

    fn absorb(&mut self, other: Crowded) {
        self.documents += other.documents;
        if let Some((n, id)) = other.most {
            self.consider(n, &id);
        }
    }
}

impl RunSummary {
    /// Documents whose status is not `ok` (what `--strict` fails on).
    pub fn not_ok(&self) -> u64 {
        self.documents.iter().filter(|(s, _)| **s != Status::Ok).map(|(_, n)| n).sum()
    }

    /// The one-paragraph summary printed after a run.
    pub fn describe(&self) -> String {
        let total: u64 = self.documents.values().sum();
        let by_status: Vec<String> = self.documents.iter().map(|(s, n)| format!("{n} {s}")).collect();
        let mb = self.bytes as f64 / 1e6;
        format!(
            "cotag: {total} documents ({}), {} mentions, {} pairs, {mb:.1} MB in {:.2} s ({:.1} MB/s) -> {}",
            by_status.join(", "),
            self.mentions,
            self.pairs,
            self.seconds,
            mb / self.seconds.max(1e-6),
            self.out.display()
        ) + &self.crowded_note()
            + &shared_ids_warning(&self.shared_ids)
    }

    /// A second line when some documents name over [`CROWDED_ENTITIES`]
    /// entities, empty otherwise.
    fn crowded_note(&self) -> String {
        let Some((n, doc_id)) = &self.crowded.most else {
            return String::new();
        };
        let documents = match self.crowded.documents {
            1 => "1 document names".to_string(),
            d => format!("{d} documents name"),
        };
        format!(
            "\ncotag: note: {documents} {CROWDED_ENTITIES} entities or more ('{doc_id}': {n}); the document \
             window counts a pair for every two entities of a document, {} pairs for that one alone. A book \
             or a list is no article: split it, or count --window sentence (README, \"Long documents\")",
            n * n.saturating_sub(1) / 2
        )
    }
}

/// Runs the whole job and writes every table.
pub fn run(config: &RunConfig) -> Result<RunSummary> {
    let started_at = SystemTime::now();
    let clock = Instant::now();

    let gazetteer = Gazetteer::load(&config.gazetteers)?;
    if !config.quiet {
        for warning in &gazetteer.warnings {
            eprintln!("cotag: warning: {}", crate::cli::printable(&warning.to_string()));
        }
    }
    let inputs = plan_inputs(config)?;
    let staging = Staging::prepare(&config.out, config.force, &input_paths(config))?;
    config.interrupt.guard(staging.dir().to_path_buf());
    let tagger = Tagger::build(&gazetteer, MatcherOptions { no_demonyms: config.no_demonyms }, config.discover);

    let progress = Progress::new(!config.quiet);
    // The walk feeds the reading threads, which feed the workers (`feed`).
    let readers = feed::reading_threads(config.threads);
    let (to_readers, batches) = sync_channel::<feed::Batch>(readers);
    let (to_workers, receiver) = sync_channel::<Documents>(config.threads * 2);
    let queue = ReadQueue::new(batches, readers);
    let flow = Flow::with_streams(feed::IN_FLIGHT_BYTES, feed::parsing_threads(config.threads));
    let rows = ordered_rows(config, staging.dir());
    let (to_writer, batch_rows) = sync_channel::<(Turn, BatchRows)>(config.threads);
    // Behind an Option so that the receiver can be dropped if a worker
    // panics: the reading threads, blocked on a full channel, then stop,
    // and the walk after them.
    let receiver = Mutex::new(Some(receiver));
    let reading_done = AtomicBool::new(false);
    let walk_options =
        WalkOptions { read: &config.read, shard: config.shard, interrupt: config.interrupt.clone(), flow: &flow };
    let (results, rows) = std::thread::scope(|scope| -> Result<(Vec<WorkerResult>, OrderedRows)> {
        // The rows' writer first, then the workers, then the reading
        // threads, then the walk: if one cannot start, the ones after it
        // never are, and the channels' senders, dropped on return, stop the
        // ones before.
        // A table that cannot be written stops the run (`Flow::stop`): the
        // workers stop tagging, and the walk and the reading threads stop reading.
        let stop = || flow.stop();
        let writer = spawn_named(scope, "cotag-writer".into(), move || rows::write_rows(rows, batch_rows, &stop))?;
        let workers = (1..=config.threads)
            .map(|i| {
                let to_writer = to_writer.clone();
                let (receiver, tagger, flow, progress) = (&receiver, &tagger, &*flow, &progress);
                spawn_named(scope, format!("cotag-worker-{i}"), move || {
                    work(receiver, tagger, config, to_writer, flow, progress)
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // The writer sees the end once every worker has stopped.
        drop(to_writer);
        let reading = (1..=readers)
            .map(|i| {
                let (queue, to_workers, flow, progress) = (&queue, to_workers.clone(), &flow, &progress);
                spawn_named(scope, format!("cotag-read-{i}"), move || {
                    feed::read_batches(queue, to_workers, flow, &config.read, &config.interrupt, progress)
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // The workers see the end once every reading thread has stopped.
        drop(to_workers);
        let walker =
            spawn_named(scope, "cotag-walk".into(), || feed::walk(&inputs, &walk_options, to_readers, &progress))?;
        if progress.is_visible() {
            // The bar's length: a second, cheap walk beside the reading one
            // (a bar without a length if its thread cannot start).
            let counted = || progress.set_files(count_files(&inputs, config.shard, &reading_done));
            let _ = spawn_named(scope, "cotag-count".into(), counted);
        }
        let mut results = Vec::new();
        for w in workers {
            match w.join() {
                Ok(result) => results.push(result),
                Err(panic) => {
                    // The scope joins the other threads before the panic
                    // goes on: the reading threads stop at the dropped
                    // receiver, and the walk at the stop, even one waiting
                    // for a stalled standard input.
                    receiver.lock().unwrap_or_else(PoisonError::into_inner).take();
                    flow.stop();
                    std::panic::resume_unwind(panic);
                }
            }
        }
        // A reading thread that panicked lost its batch: the run stops
        // with its panic, not with tables that miss documents.
        for r in reading {
            if let Err(panic) = r.join() {
                std::panic::resume_unwind(panic);
            }
        }
        walker.join().expect("the walking thread panicked");
        reading_done.store(true, Ordering::Relaxed);
        let (rows, written) = writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // A worker's own error comes first: a write error may follow from it.
        let results = results.into_iter().collect::<Result<Vec<_>>>()?;
        written?;
        Ok((results, rows))
    })?;
    progress.finish();
    config.interrupt.check()?;

    // Merge the workers' results.
    let mut results = results.into_iter();
    let mut merged = results.next().expect("at least one worker");
    for r in results {
        merged.absorb(r)?;
    }
    let WorkerResult { counter, totals } = merged;
    let (documents, mentions) = rows.into_tables();
    let entities = &tagger.registry().entities();
    // The per-document tables (a merge of sorted runs) and the count tables
    // are independent: they are written side by side.
    let (counts, pairs, shared_ids) = std::thread::scope(|scope| -> Result<(Counts, u64, RepeatedKeys)> {
        let rows_written = spawn_named(scope, "cotag-rows".into(), || -> Result<RepeatedKeys> {
            let mut shared_ids = RepeatedKeys::default();
            staging.place_file("documents.csv", |path| {
                shared_ids = documents.write_table(path)?;
                Ok(())
            })?;
            if let Some(mentions) = mentions {
                staging.place_file("mentions.csv", |path| mentions.write_table(path).map(drop))?;
            }
            Ok(shared_ids)
        })?;
        let mut counts = counter.finish();
        crate::memory::give_back();
        let rows = tables::pair_rows(&mut counts, entities, config.min_count);
        crate::memory::give_back();
        let written = write_count_tables(&staging, &counts, &rows, entities, config.windows[0], config.by);
        let shared_ids = rows_written.join().expect("the table writer thread panicked")?;
        written?;
        Ok((counts, rows.len() as u64, shared_ids))
    })?;
    config.interrupt.check()?;

    let seconds = clock.elapsed().as_secs_f64();
    let mut manifest = manifest(config, &gazetteer, &totals, &counts, started_at, seconds);
    manifest.tables = staging.placed();
    staging.write_json("manifest.json", &manifest)?;
    // A signal during writing still leaves nothing: the staging folder is dropped.
    config.interrupt.check()?;
    staging.commit()?;

    let mut documents = BTreeMap::new();
    for (status, n) in &totals.documents {
        if *n > 0 {
            documents.insert(parse_status(status), *n);
        }
    }
    Ok(RunSummary {
        documents,
        mentions: totals.mentions,
        pairs,
        bytes: totals.bytes,
        seconds,
        out: config.out.clone(),
        crowded: totals.crowded.clone(),
        shared_ids,
    })
}

/// Writes the count tables: `entities.csv`, `cooccurrence.csv` and
/// `nodes.csv` on this thread, and beside them each network file
/// (`edges.csv`, `network.gexf`) on a thread of its own, as each is about as
/// much work as the co-occurrence table. `run` and `merge` both write them so.
pub(crate) fn write_count_tables(
    staging: &Staging,
    counts: &Counts,
    rows: &PairRows,
    entities: &[Entity],
    first: Window,
    by: By,
) -> Result<()> {
    std::thread::scope(|scope| -> Result<()> {
        let edges_written = spawn_named(scope, "cotag-edges".into(), move || {
            staging.write_file("edges.csv", |w| tables::write_edges(w, rows, first, entities, by))
        })?;
        let gexf_written = spawn_named(scope, "cotag-gexf".into(), move || {
            staging.write_file("network.gexf", |w| gexf::write_gexf(w, counts, rows, first, entities, by))
        })?;
        let tables_written = (|| -> Result<()> {
            staging.write_file("entities.csv", |w| tables::write_entities(w, counts, entities, by))?;
            staging.write_file("cooccurrence.csv", |w| tables::write_cooccurrence(w, rows, entities, by))?;
            staging.write_file("nodes.csv", |w| tables::write_nodes(w, counts, entities))
        })();
        edges_written.join().expect("the edges writer thread panicked")?;
        gexf_written.join().expect("the network writer thread panicked")?;
        tables_written
    })
}

/// Starts `f` on a thread of `scope` named `name`, the name `top -H`,
/// `perf` and debuggers show ("cotag-walk", "cotag-read-1", "cotag-worker-1", ...).
pub(crate) fn spawn_named<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    name: String,
    f: impl FnOnce() -> T + Send + 'scope,
) -> Result<std::thread::ScopedJoinHandle<'scope, T>> {
    let builder = std::thread::Builder::new().name(name.clone());
    builder.spawn_scoped(scope, f).with_context(|| format!("cannot start thread {name}"))
}

fn parse_status(s: &str) -> Status {
    match s {
        "ok" => Status::Ok,
        "lossy" => Status::Lossy,
        "skipped" => Status::Skipped,
        _ => Status::Error,
    }
}

/// The paths a run reads, which its output folder must not hold: the
/// CORPUS folders and files, the gazetteers and the `--files-from` list
/// (standard input and the built-in gazetteers are no paths).
fn input_paths(config: &RunConfig) -> Vec<&Path> {
    let roots = config.corpus.iter().chain(&config.gazetteers).chain(&config.files_from);
    let named = |arg: &&String| *arg != "-" && *arg != crate::gazetteer::BUILTIN_NAME;
    let mut paths: Vec<&Path> = roots.filter(named).map(Path::new).collect();
    if config.corpus.is_empty() && config.files_from.is_none() {
        paths.push(Path::new("corpus"));
    }
    paths
}

/// The CORPUS arguments, with the default (`corpus`) when neither they nor `--files-from` name any.
fn corpus_roots(config: &RunConfig) -> Vec<String> {
    if config.corpus.is_empty() && config.files_from.is_none() {
        vec!["corpus".to_string()]
    } else {
        config.corpus.clone()
    }
}

/// The inputs in reading order, refusing CORPUS arguments that do not
/// exist. Folders are walked only while they are read, so a corpus of
/// millions of files is never held as a list.
fn plan_inputs(config: &RunConfig) -> Result<Vec<Input>> {
    let corpus = corpus_roots(config);
    let stdin_uses =
        corpus.iter().filter(|c| *c == "-").count() + usize::from(config.files_from.as_deref() == Some("-"));
    if stdin_uses > 1 {
        bail!("standard input (-) can be read only once");
    }
    let mut inputs = Vec::new();
    for root in &corpus {
        if root == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(root);
        if std::fs::symlink_metadata(path).is_err() {
            bail!("corpus {root}: no such file or folder");
        }
        inputs.push(Input::Walk(path.to_path_buf()));
    }
    refuse_nested_roots(&corpus)?;
    if let Some(name) = &config.files_from {
        let list = read_file_list(name)?;
        if let Some(warning) = list.warning(if name == "-" { "standard input" } else { name }) {
            if !config.quiet {
                eprintln!("cotag: warning: {}", crate::cli::printable(&warning));
            }
        }
        inputs.extend(list.files.into_iter().map(Input::File));
    }
    Ok(inputs)
}

/// An error if one CORPUS argument is another or lies inside another
/// (`cotag run news news/2022`): its files would be read, and counted, twice
/// under two doc_ids. Compared resolved, links and `..` followed.
///
/// Sorted by their components, a path inside another comes after it, and
/// so does everything between them: comparing each path with the one before
/// finds any nesting, in n log n for the thousands of files a shell glob
/// (`cotag run news/*.txt`) passes.
fn refuse_nested_roots(corpus: &[String]) -> Result<()> {
    let mut resolved: Vec<(PathBuf, &String)> = corpus
        .iter()
        .filter(|root| *root != "-")
        .filter_map(|root| std::fs::canonicalize(root).ok().map(|path| (path, root)))
        .collect();
    resolved.sort();
    for pair in resolved.windows(2) {
        let ((outer_path, outer), (inner_path, inner)) = (&pair[0], &pair[1]);
        if inner_path.starts_with(outer_path) {
            let place = if inner_path == outer_path { "is the same as" } else { "is inside" };
            bail!("corpus {inner} {place} corpus {outer}: its files would be read and counted twice");
        }
    }
    Ok(())
}

/// Counts the input files of `inputs` in `shard`, for the progress bar;
/// gives up (with a partial count) once `stop` is set.
fn count_files(inputs: &[Input], shard: Option<Shard>, stop: &AtomicBool) -> u64 {
    let mut n = 0;
    for input in inputs {
        match input {
            Input::Walk(root) => walk_inputs(root, &mut |f| {
                n += u64::from(shard.is_none_or(|s| s.holds(f.rel())));
                !stop.load(Ordering::Relaxed)
            }),
            Input::File(f) => n += u64::from(shard.is_none_or(|s| s.holds(f.rel()))),
            Input::Stdin => {}
        }
    }
    n
}

/// Reads a `--files-from` list: one path a line, blank lines ignored. Each
/// path is also the file's doc_id and shard key, as written (with `/`
/// separators, a leading `./` dropped), so list paths relative to the folder a
/// walk would start from to get the same ids as a walk. A path that is not
/// UTF-8 is opened by its bytes and named with replacement characters, as
/// a walk names it. A path listed again is read once (see [`FileList`]).
fn read_file_list(list: &str) -> Result<FileList> {
    let (name, reader): (&str, Box<dyn std::io::BufRead>) = if list == "-" {
        ("standard input", Box::new(std::io::stdin().lock()))
    } else {
        let file = std::fs::File::open(list).with_context(|| format!("cannot read file list {list}"))?;
        (list, Box::new(std::io::BufReader::new(file)))
    };
    list_paths(name, reader)
}

/// The longest line of a `--files-from` list: far beyond any path a system
/// can open (Linux: 4,096 bytes), and a bound on what a file that is no
/// list (`--files-from /dev/zero`) can take before it is refused.
const MAX_LIST_LINE: u64 = 64 * 1024;

/// The files a `--files-from` list names, each once.
#[derive(Debug, Default)]
struct FileList {
    /// The files, in the order of their first line.
    files: Vec<InputFile>,
    /// Lines naming a path an earlier line named (the same bytes once a
    /// leading `./` is dropped): the same file under the same doc_id, which
    /// read again would be counted twice.
    repeated: u64,
    /// The first such line: its number and path, for the warning.
    first_repeat: Option<(u64, String)>,
}

impl FileList {
    /// The warning a list with repeated paths gets (`None` without).
    fn warning(&self, name: &str) -> Option<String> {
        let (line, path) = self.first_repeat.as_ref()?;
        Some(format!(
            "{name}:{line}: '{path}' is listed again; each path is read once ({} repeated line{} left out)",
            self.repeated,
            if self.repeated == 1 { "" } else { "s" }
        ))
    }
}

/// The inputs a `--files-from` list (`name` in errors) names, read from `reader`.
fn list_paths(name: &str, mut reader: impl std::io::BufRead) -> Result<FileList> {
    use std::io::{BufRead, Read};
    let mut list = FileList::default();
    // Paths as listed, `./` dropped: a million lines of paths take tens of
    // megabytes here, beside the inputs' own hundreds.
    let mut seen: rustc_hash::FxHashSet<Vec<u8>> = rustc_hash::FxHashSet::default();
    let mut line = Vec::new();
    for number in 1u64.. {
        line.clear();
        let read = (&mut reader).take(MAX_LIST_LINE + 1).read_until(b'\n', &mut line);
        if read.with_context(|| format!("cannot read file list {name}"))? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        } else if line.len() as u64 > MAX_LIST_LINE {
            bail!("{name}:{number}: a line longer than {MAX_LIST_LINE} bytes: not a list of paths");
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.trim_ascii().is_empty() {
            continue;
        }
        let shown = String::from_utf8_lossy(&line);
        let rel = shown.replace('\\', "/");
        let rel = rel.strip_prefix("./").unwrap_or(&rel);
        let path = list_path(name, number, &line)?;
        if !seen.insert(line.strip_prefix(b"./").unwrap_or(&line).to_vec()) {
            list.repeated += 1;
            list.first_repeat.get_or_insert_with(|| (number, rel.to_string()));
            continue;
        }
        list.files.push(InputFile::new(&path, rel, rel, None));
    }
    Ok(list)
}

/// The path a line of a `--files-from` list names: its bytes on Unix, where
/// a file name is any bytes; elsewhere it must be UTF-8.
fn list_path(name: &str, number: u64, line: &[u8]) -> Result<PathBuf> {
    #[cfg(unix)]
    {
        let _ = (name, number);
        Ok(PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(line)))
    }
    #[cfg(not(unix))]
    {
        match std::str::from_utf8(line) {
            Ok(path) => Ok(PathBuf::from(path)),
            Err(_) => bail!("{name}:{number}: a path that is not UTF-8"),
        }
    }
}

/// The per-document tables of a run, sorted in `spill_dir`, within
/// `--sort-memory`: half for batches waiting their turn, the rest for the
/// two sorters' buffers (`documents.csv` has a row per document,
/// `mentions.csv` about ten rows per KB of text).
fn ordered_rows(config: &RunConfig, spill_dir: &Path) -> OrderedRows {
    let budget = config.sort_memory;
    OrderedRows::new(
        Sorter::new(spill_dir, "documents", budget / 8).with_header(header(DOCUMENTS_COLUMNS)),
        (!config.no_mentions).then(|| {
            Sorter::new(spill_dir, "mentions", budget / 8 * 3).with_blocks(1).with_header(header(MENTIONS_COLUMNS))
        }),
        budget / 2,
        &config.out,
    )
}

/// Run-wide totals that every worker adds to.
#[derive(Debug, Default)]
struct RunTotals {
    documents: BTreeMap<String, u64>,
    bytes: u64,
    tokens: u64,
    sentences: u64,
    paragraphs: u64,
    mentions: u64,
    crowded: Crowded,
}

/// What one worker produced.
struct WorkerResult {
    counter: Counter,
    totals: RunTotals,
}

impl WorkerResult {
    fn absorb(&mut self, other: WorkerResult) -> Result<()> {
        self.counter.merge(other.counter);
        for (status, n) in other.totals.documents {
            *self.totals.documents.entry(status).or_default() += n;
        }
        self.totals.bytes += other.totals.bytes;
        self.totals.tokens += other.totals.tokens;
        self.totals.sentences += other.totals.sentences;
        self.totals.paragraphs += other.totals.paragraphs;
        self.totals.mentions += other.totals.mentions;
        self.totals.crowded.absorb(other.totals.crowded);
        Ok(())
    }
}

/// A worker: takes batches until the reading threads are done, and processes each document.
fn work(
    receiver: &Mutex<Option<Receiver<Documents>>>,
    tagger: &Tagger,
    config: &RunConfig,
    to_writer: SyncSender<(Turn, BatchRows)>,
    flow: &Flow,
    progress: &Progress,
) -> Result<WorkerResult> {
    let mut result = WorkerResult { counter: Counter::new(&config.windows), totals: RunTotals::default() };
    for status in [Status::Ok, Status::Lossy, Status::Skipped, Status::Error] {
        result.totals.documents.insert(status.as_str().to_string(), 0);
    }
    let mut scratch = WorkerScratch::default();
    let mut failure = None;
    loop {
        let batch = {
            let guard = receiver.lock().unwrap_or_else(PoisonError::into_inner);
            match guard.as_ref() {
                Some(receiver) => receiver.recv(),
                None => break,
            }
        };
        let Ok(batch) = batch else { break };
        // After a failure (its own, or the writer's) the worker still
        // drains the channel, so the reading threads never block on a full
        // channel; the run then stops with the error.
        if failure.is_some() || flow.is_stopped() || config.interrupt.is_set() {
            flow.stop();
            continue;
        }
        let (mut count, mut bytes) = (0, 0);
        let mut batch_rows = BatchRows::default();
        let mut take = |doc: Document| {
            count += 1;
            bytes += doc.text.len() as u64;
            process(&doc, tagger, config, &mut scratch, &mut result, &mut batch_rows);
        };
        for doc in batch.documents {
            take(doc);
        }
        if to_writer.send((batch.turn, batch_rows)).is_err() {
            // The writer is gone: it panicked, and the run stops with its panic.
            failure = Some(anyhow::anyhow!("the table writer thread stopped"));
        }
        progress.batch_done(count, bytes);
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(result),
    }
}

/// What a worker keeps between documents.
#[derive(Default)]
struct WorkerScratch {
    seg: Segmentation,
    tag: TagScratch,
    mentions: Vec<Mention>,
    entity_fields: EncodedEntities,
}

/// Each entity's `entity_id,type` fields of `mentions.csv`, encoded on first
/// use: encoding them at every mention was a tenth of the rows' cost, and a
/// discovered entity's fields sit behind the registry's lock.
#[derive(Default)]
struct EncodedEntities(Vec<Option<Box<[u8]>>>);

impl EncodedEntities {
    /// The encoded `entity_id,type` of `entity` (an entity's id and type never change).
    fn get(&mut self, tagger: &Tagger, entity: u32) -> &[u8] {
        let e = entity as usize;
        if e >= self.0.len() {
            self.0.resize(e + 1, None);
        }
        self.0[e].get_or_insert_with(|| {
            let mut row = Row::new();
            tagger.registry().with(entity, |entity| {
                row.text(&entity.id).text(&entity.etype);
            });
            let mut fields = row.finish();
            fields.pop(); // the line break
            fields.into_boxed_slice()
        })
    }
}

/// Tags and counts one document and adds its rows to `rows`.
fn process(
    doc: &Document,
    tagger: &Tagger,
    config: &RunConfig,
    scratch: &mut WorkerScratch,
    result: &mut WorkerResult,
    rows: &mut BatchRows,
) {
    let WorkerScratch { seg, tag, mentions, entity_fields } = scratch;
    let mut shape = DocShape::default();
    mentions.clear();
    if doc.status.has_text() {
        seg.segment_into(&doc.text);
        tagger.tag(&doc.text, doc.date, seg, tag, mentions);
        shape = DocShape {
            tokens: seg.tokens.len() as u64,
            sentences: seg.sentence_starts.len() as u64,
            paragraphs: seg.paragraph_starts.len() as u64,
        };
        let entities = result.counter.add_document(config.by.key(doc.date), shape, mentions) as u64;
        if entities >= CROWDED_ENTITIES && config.windows.contains(&Window::Document) {
            result.totals.crowded.add(entities, &doc.doc_id);
        }
        if !config.no_mentions && !mentions.is_empty() {
            // Mentions come in text order, so one record per document
            // sorts them as (doc_id, start) would, with one allocation.
            let mut doc_id = Vec::with_capacity(doc.doc_id.len());
            push_quoted(&mut doc_id, &doc.doc_id);
            let mut row = Row::appending_to(Vec::with_capacity(mentions.len() * 96));
            for m in mentions.iter() {
                row.encoded(&doc_id)
                    .int(m.char_start)
                    .int(m.char_end)
                    .int(m.token_start)
                    .int(m.token_end)
                    .int(m.sentence)
                    .int(m.paragraph)
                    .encoded(entity_fields.get(tagger, m.entity))
                    .text(&doc.text[m.start as usize..m.end as usize])
                    .text(m.via.as_str());
                row.end_line();
            }
            let record = Record { key: doc.doc_id.clone(), num: 0, line: row.into_bytes() };
            rows.bytes += record.heap_size();
            rows.mentions.push(record);
        }
    }
    let date = doc.date.map(|d| d.to_string()).unwrap_or_default();
    let line = Row::new()
        .text(&doc.doc_id)
        .text(&doc.source)
        .text(&date)
        .int(doc.bytes)
        .int(shape.tokens)
        .int(shape.sentences)
        .int(shape.paragraphs)
        .int(mentions.len())
        .text(doc.status.as_str())
        .text(&doc.detail)
        .finish();
    let record = Record { key: doc.doc_id.clone(), num: 0, line };
    rows.bytes += record.heap_size();
    rows.documents.push(record);
    let totals = &mut result.totals;
    *totals.documents.entry(doc.status.as_str().to_string()).or_default() += 1;
    totals.bytes += doc.bytes;
    totals.tokens += shape.tokens;
    totals.sentences += shape.sentences;
    totals.paragraphs += shape.paragraphs;
    totals.mentions += mentions.len() as u64;
}

fn manifest(
    config: &RunConfig,
    gazetteer: &Gazetteer,
    totals: &RunTotals,
    counts: &Counts,
    started_at: SystemTime,
    seconds: f64,
) -> Manifest {
    let by = config.by;
    Manifest {
        cotag_version: env!("CARGO_PKG_VERSION").to_string(),
        command_line: config.command_line.clone(),
        options: Options {
            window: config.windows.iter().map(|w| w.to_string()).collect(),
            by: by.as_str().to_string(),
            min_count: config.min_count,
            no_demonyms: config.no_demonyms,
            discover: config.discover,
            no_mentions: config.no_mentions,
            gazetteer: config.gazetteers.clone(),
            text_field: config.read.text_field.clone(),
            id_field: config.read.id_field.clone(),
            date_field: config.read.date_field.clone(),
            strict: config.strict,
            out: config.out.display().to_string(),
            files_from: config.files_from.clone(),
        },
        gazetteers: gazetteer
            .files
            .iter()
            .map(|f| GazetteerEntry {
                file: f.label.clone(),
                sha256: f.sha256.clone(),
                entities: f.entities,
                aliases: f.aliases,
            })
            .collect(),
        corpus_roots: corpus_roots(config),
        resolved_corpus: Some(ResolvedCorpus::of(&corpus_roots(config), config.files_from.as_deref())),
        totals: Totals {
            documents: totals.documents.clone(),
            bytes: totals.bytes,
            tokens: totals.tokens,
            sentences: totals.sentences,
            paragraphs: totals.paragraphs,
            mentions: totals.mentions,
            windows: counts.totals.iter().map(|(k, t)| (by.label(*k), *t)).collect(),
        },
        // Filled in once every table is written.
        tables: BTreeMap::new(),
        shard: config.shard.map(|s| s.to_string()),
        started: rfc3339(started_at),
        finished: rfc3339(SystemTime::now()),
        elapsed_seconds: (seconds * 1000.0).round() / 1000.0,
        threads: config.threads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_crowded_document_is_the_same_whatever_the_workers() {
        let docs = [(1500, "b"), (2000, "c"), (2000, "a"), (1200, "d")];
        let mut one = Crowded::default();
        docs.iter().for_each(|(n, id)| one.add(*n, id));
        for split in 0..=docs.len() {
            let (mut left, mut right) = (Crowded::default(), Crowded::default());
            docs[..split].iter().for_each(|(n, id)| left.add(*n, id));
            docs[split..].iter().for_each(|(n, id)| right.add(*n, id));
            right.absorb(left);
            assert_eq!(right, one, "split at {split}");
        }
        assert_eq!(one, Crowded { documents: 4, most: Some((2000, "a".into())) });
    }

    #[test]
    fn threads_carry_their_names() {
        let names = std::thread::scope(|scope| -> Result<Vec<String>> {
            let handles = ["cotag-walk", "cotag-worker-2"]
                .map(|name| spawn_named(scope, name.into(), || std::thread::current().name().map(str::to_string)));
            handles.into_iter().map(|h| Ok(h?.join().expect("no panic").unwrap_or_default())).collect()
        })
        .unwrap();
        assert_eq!(names, ["cotag-walk", "cotag-worker-2"]);
    }
}
