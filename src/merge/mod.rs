//! `cotag merge` (SPEC §5): sums the tables of runs over disjoint shards into
//! exactly the tables of one run over the whole corpus.
//!
//! Counts are summed and every measure is recomputed from the sums by the
//! run's own table writers ([`counts`]); the per-document tables are
//! combined by a streaming merge of the sorted part tables ([`rows`]), so
//! memory is bounded by the pair table, not by the corpus. Parts must have
//! been made alike and must not overlap ([`part`], [`coverage`]). The output
//! is itself a part: its manifest lists the shards it holds, so merges nest
//! and later batches can be added.

pub mod counts;
pub mod coverage;
pub mod part;
pub mod rows;

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

use self::counts::CountSums;
use self::coverage::{shard_label, Coverage, CoverageSet};
use self::part::{Part, PartManifest};
use self::rows::{merge_sorted, PartTable, SortKey};
use crate::cli::printable;
use crate::interrupt::Interrupt;
use crate::output::folder::Staging;
use crate::output::manifest::{rfc3339, ResolvedCorpus, Totals};
use crate::output::sorter::RepeatedKeys;
use crate::output::tables;
use crate::pipeline::{shared_ids_warning, spawn_named, write_count_tables, DOCUMENTS_COLUMNS, MENTIONS_COLUMNS};
use crate::window::{By, Window};

/// Everything `cotag merge` needs to know.
#[derive(Debug, Clone)]
pub struct MergeConfig {
    /// The part folders, outputs of `cotag run` or `cotag merge`.
    pub parts: Vec<PathBuf>,
    /// Output folder.
    pub out: PathBuf,
    /// Pairs seen in fewer windows are left out.
    pub min_count: u64,
    /// Refuse unless every shard of this many is held (`--expect-shards`).
    pub expect_shards: Option<u64>,
    /// Replace an existing output folder.
    pub force: bool,
    /// The command line, for the manifest.
    pub command_line: Vec<String>,
    /// Set by SIGINT or SIGTERM: stop and leave no table behind.
    pub interrupt: Interrupt,
}

/// What a finished merge reports.
#[derive(Debug, Clone)]
pub struct MergeSummary {
    /// Parts merged.
    pub parts: usize,
    /// Documents in the merged tables.
    pub documents: u64,
    /// Rows of `cooccurrence.csv`.
    pub pairs: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The output folder.
    pub out: PathBuf,
    /// doc_ids that several documents of the merged tables share.
    pub shared_ids: RepeatedKeys,
    /// What the parts' holdings leave in doubt (corpora whose folders nest).
    pub warnings: Vec<String>,
}

impl MergeSummary {
    /// The line printed after a merge.
    pub fn describe(&self) -> String {
        format!(
            "cotag: merged {} parts: {} documents, {} pairs in {:.2} s -> {}",
            self.parts,
            self.documents,
            self.pairs,
            self.seconds,
            self.out.display()
        ) + &shared_ids_warning(&self.shared_ids)
            + &self.warnings_said()
    }

    /// The warnings, one a line: the first few, then how many more (a
    /// thousand batches inside one folder make a thousand).
    fn warnings_said(&self) -> String {
        const SHOWN: usize = 5;
        let mut said: String =
            self.warnings.iter().take(SHOWN).map(|w| format!("\ncotag: warning: {}", printable(w))).collect();
        if self.warnings.len() > SHOWN {
            said.push_str(&format!("\ncotag: warning: ... and {} more like these", self.warnings.len() - SHOWN));
        }
        said
    }
}

/// Merges the parts and writes every table.
pub fn merge(config: &MergeConfig) -> Result<MergeSummary> {
    let started_at = SystemTime::now();
    let clock = Instant::now();
    if config.parts.is_empty() {
        bail!("merge: name at least one part");
    }
    let parts: Vec<Part> = config.parts.iter().map(|p| Part::open(p)).collect::<Result<_>>()?;
    let first = &parts[0];
    let mut holdings = CoverageSet::default();
    for part in &parts {
        part.check_against(first)?;
        holdings.add(&part.name, &part.coverage)?;
    }
    if let Some(n) = config.expect_shards {
        holdings.expect(n)?;
    }
    let options = &first.manifest.options;
    let by = By::parse(&options.by).map_err(|e| anyhow!("{}/manifest.json: {e}", first.name))?;
    let windows: Vec<Window> = options
        .window
        .iter()
        .map(|w| Window::parse(w))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow!("{}/manifest.json: {e}", first.name))?;
    if windows.is_empty() {
        bail!("{}/manifest.json: no window", first.name);
    }
    // As `--window` refuses a repeat: the count tables hold one group per window.
    if let Some(w) = windows.iter().enumerate().find_map(|(i, w)| windows[..i].contains(w).then_some(w)) {
        bail!("{}/manifest.json: window '{w}' named twice", first.name);
    }
    let staging =
        Staging::prepare(&config.out, config.force, &config.parts.iter().map(PathBuf::as_path).collect::<Vec<_>>())?;

    let mut sums = CountSums::default();
    for part in &parts {
        sums.add_entities(part, by)?;
        config.interrupt.check()?;
    }
    let mut pair_sums = sums.into_pairs(&windows);
    pair_sums.add_parts(&parts, by, &config.interrupt)?;
    config.interrupt.check()?;
    let (mut counts, entities) = pair_sums.finish(by)?;
    crate::memory::give_back();
    let rows = tables::pair_rows(&mut counts, &entities, config.min_count);
    crate::memory::give_back();
    counts::check_network_sums(&counts, &rows, windows[0], &entities)?;

    let tables_of = |name: &str, rows: fn(&Part) -> u64| -> Vec<PartTable> {
        parts.iter().map(|p| PartTable { part: p.name.clone(), path: p.file(name), rows: rows(p) }).collect()
    };
    // As in `run`, the per-document tables (a merge of sorted runs) and the
    // count tables are independent: they are written side by side. One
    // thread wrote them all in turn, so that a merge took longer than
    // running the whole corpus again.
    let (per_document, count_tables) = std::thread::scope(|scope| -> Result<_> {
        let (counts, rows, staging) = (&counts, &rows, &staging);
        let per_document = spawn_named(scope, "cotag-rows".into(), || -> Result<RepeatedKeys> {
            let documents = tables_of("documents.csv", |p| p.documents);
            let shared_ids = write_merged(
                staging,
                "documents.csv",
                &documents,
                DOCUMENTS_COLUMNS,
                SortKey::DocId,
                "document",
                config,
            )?;
            if first.has_mentions {
                let mentions = tables_of("mentions.csv", |p| p.manifest.totals.mentions);
                // Its keys repeat by design: a document's mentions share its doc_id.
                let key = SortKey::DocIdThen(1);
                write_merged(staging, "mentions.csv", &mentions, MENTIONS_COLUMNS, key, "mention", config)?;
            }
            Ok(shared_ids)
        })?;
        let written = write_count_tables(staging, counts, rows, &entities, windows[0], by);
        let per_document = per_document.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok((per_document, written))
    })?;
    // The per-document tables' error first, as they were written first.
    let shared_ids = per_document?;
    count_tables?;
    config.interrupt.check()?;

    let seconds = clock.elapsed().as_secs_f64();
    let mut manifest = first.manifest.clone();
    manifest.command_line = config.command_line.clone();
    manifest.options.min_count = config.min_count;
    manifest.options.out = config.out.display().to_string();
    manifest.options.no_mentions = !first.has_mentions;
    manifest.options.strict = parts.iter().any(|p| p.manifest.options.strict);
    if parts.iter().any(|p| p.manifest.options.files_from != options.files_from) {
        manifest.options.files_from = None;
    }
    manifest.totals = sum_totals(&parts)?;
    // For the summary line: each status's total was checked, but not their sum.
    let documents = manifest.totals.documents.values().try_fold(0u64, |sum, &n| sum.checked_add(n));
    let documents = documents.with_context(|| {
        format!("manifest.json: totals: documents of all statuses: the sum overflows (more than {})", u64::MAX)
    })?;
    // The widest part: what the merged tables were made with at most.
    manifest.threads = parts.iter().map(|p| p.manifest.threads).max().unwrap_or(1);
    manifest.started = rfc3339(started_at);
    manifest.finished = rfc3339(SystemTime::now());
    manifest.elapsed_seconds = (seconds * 1000.0).round() / 1000.0;
    let warnings = std::mem::take(&mut holdings.warnings);
    let coverage = holdings.into_sorted();
    // In the order of the holdings, so that the merge order does not matter.
    manifest.corpus_roots = Vec::new();
    for root in coverage.iter().flat_map(|c| &c.corpus_roots) {
        if !manifest.corpus_roots.contains(root) {
            manifest.corpus_roots.push(root.clone());
        }
    }
    manifest.resolved_corpus = resolved_union(&coverage);
    manifest.shard = shard_label(&coverage);
    manifest.tables = staging.placed();
    staging.write_json("manifest.json", &PartManifest { manifest, coverage })?;
    config.interrupt.check()?;
    staging.commit()?;
    Ok(MergeSummary {
        parts: parts.len(),
        documents,
        pairs: rows.len() as u64,
        seconds,
        out: config.out.clone(),
        shared_ids,
        warnings,
    })
}

/// The resolved corpus of the merged holdings, as one run over them all
/// records it: their roots in order, and the `--files-from` list they share
/// (none when they differ, as for the written list); none unless every
/// holding recorded one.
fn resolved_union(coverage: &[Coverage]) -> Option<ResolvedCorpus> {
    let all: Vec<&ResolvedCorpus> = coverage.iter().map(|c| c.resolved.as_ref()).collect::<Option<_>>()?;
    let mut roots: Vec<String> = Vec::new();
    for root in all.iter().flat_map(|r| &r.roots) {
        if !roots.contains(root) {
            roots.push(root.clone());
        }
    }
    let files_from = all.first().and_then(|r| r.files_from.clone());
    let files_from = if all.iter().all(|r| r.files_from == files_from) { files_from } else { None };
    Some(ResolvedCorpus { roots, files_from })
}

/// Writes one per-document table merged from the parts' tables, keeping the
/// merge's own error (a part's bad row or row count, an interrupt) rather
/// than a write error. Returns the keys that several rows hold.
fn write_merged(
    staging: &Staging,
    name: &str,
    tables: &[PartTable],
    columns: &[&str],
    key: SortKey,
    counted: &'static str,
    config: &MergeConfig,
) -> Result<RepeatedKeys> {
    let mut failure = None;
    let mut repeated = RepeatedKeys::default();
    let written = staging.write_file(name, |w| {
        repeated = merge_sorted(w, tables, columns, key, counted, &config.interrupt).map_err(|e| {
            let io = std::io::Error::other(format!("{e:#}"));
            failure = Some(e);
            io
        })?;
        Ok(())
    });
    match failure {
        Some(e) => Err(e),
        None => written.map(|()| repeated),
    }
}

/// The parts' totals summed, field by field (every total is a count).
fn sum_totals(parts: &[Part]) -> Result<Totals> {
    let mut sum = Value::Null;
    for part in parts {
        let value = serde_json::to_value(&part.manifest.totals)?;
        add_json(&mut sum, &value).with_context(|| format!("{}/manifest.json: totals", part.name))?;
    }
    Ok(serde_json::from_value(sum)?)
}

/// Adds `value` into `sum`: numbers are added, objects key by key.
fn add_json(sum: &mut Value, value: &Value) -> Result<()> {
    match (sum, value) {
        (sum @ Value::Null, v) => *sum = v.clone(),
        (Value::Object(s), Value::Object(v)) => {
            for (key, x) in v {
                match s.get_mut(key) {
                    Some(y) => add_json(y, x)?,
                    None => {
                        s.insert(key.clone(), x.clone());
                    }
                }
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            *a = match (a.as_u64(), b.as_u64()) {
                (Some(x), Some(y)) => x.checked_add(y).context("a total overflows")?.into(),
                _ => serde_json::Number::from_f64(a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0))
                    .context("a total is not a finite number")?,
            };
        }
        (s, v) if s == v => {}
        _ => bail!("a total that is not a count differs"),
    }
    Ok(())
}
