//! One part to merge: an output folder of `cotag run` or `cotag merge`, its
//! manifest, and the checks that parts were made alike (SPEC §5).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use super::coverage::Coverage;
use crate::output::manifest::Manifest;

/// A manifest as `merge` reads and writes it: a run's, plus the shards held.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartManifest {
    /// Everything a run records.
    #[serde(flatten)]
    pub manifest: Manifest,
    /// The shards held, written by `merge` (absent in a run's manifest, which
    /// holds its `shard`, or everything).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<Coverage>,
}

/// An opened part.
#[derive(Debug)]
pub struct Part {
    /// The folder, as named on the command line (for messages).
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// The shards it holds.
    pub coverage: Vec<Coverage>,
    /// Whether it has `mentions.csv` (it was not run with `--no-mentions`).
    pub has_mentions: bool,
    /// The rows of its `documents.csv` by its manifest: the documents of
    /// every status.
    pub documents: u64,
}

/// The tables `merge` reads from a part.
const READ_TABLES: &[&str] = &["documents.csv", "mentions.csv", "entities.csv", "cooccurrence.csv"];

/// Refuses a part whose tables are not the size its manifest records: a
/// table cut short by a copy that stopped (at a row boundary, which no
/// other check of `entities.csv` and `cooccurrence.csv` would notice),
/// saved again by a spreadsheet, or edited. A manifest of an older version
/// records no sizes, and its tables are not checked.
fn check_table_sizes(name: &str, dir: &Path, manifest: &Manifest, has_mentions: bool) -> Result<()> {
    if manifest.tables.is_empty() {
        return Ok(());
    }
    for &table in READ_TABLES.iter().filter(|&&t| has_mentions || t != "mentions.csv") {
        let Some(recorded) = manifest.tables.get(table) else {
            bail!(
                "part {name}: its manifest.json records no size for {table} (it lists {}): the manifest was \
                 changed; rerun the part",
                manifest.tables.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
            );
        };
        let path = dir.join(table);
        let bytes = match std::fs::metadata(&path) {
            Ok(meta) => meta.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
                "part {name}: {table} is missing (its manifest.json records {}): the part is incomplete; \
                 copy it again or rerun it",
                plural(recorded.bytes, "byte")
            ),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        if bytes != recorded.bytes {
            bail!(
                "part {name}: {table} holds {}, but its manifest.json records {}: the table was changed \
                 since the part was made (a copy cut short, or saved again by another program); copy the \
                 part again or rerun it",
                plural(bytes, "byte"),
                plural(recorded.bytes, "byte")
            );
        }
    }
    Ok(())
}

/// Options that may differ between parts: they do not change the tables.
/// `gazetteer` (paths) is checked by the files' SHA-256 instead, `min_count`
/// and `no_mentions` by their own checks.
const FREE_OPTIONS: &[&str] = &["out", "strict", "files_from", "gazetteer", "min_count", "no_mentions"];

impl Part {
    /// Opens the part in `dir`, refusing a folder that is not a cotag output.
    pub fn open(dir: &Path) -> Result<Part> {
        let name = dir.display().to_string();
        let path = dir.join("manifest.json");
        if !dir.is_dir() {
            bail!("{name}: no such folder");
        }
        let bytes =
            std::fs::read(&path).with_context(|| format!("{name}: not a cotag output folder (no manifest.json)"))?;
        let read: PartManifest =
            serde_json::from_slice(&bytes).with_context(|| format!("{}: not a cotag manifest", path.display()))?;
        let PartManifest { manifest, coverage } = read;
        // A run's manifest names its shard; a merged part's lists its holdings.
        let coverage = if coverage.is_empty() {
            vec![Coverage::of_run(&manifest).with_context(|| name.clone())?]
        } else {
            coverage
        };
        let documents = manifest.totals.documents.values().try_fold(0u64, |sum, &n| sum.checked_add(n));
        let documents = documents.with_context(|| {
            format!(
                "{name}/manifest.json: totals: documents of all statuses: the sum overflows (more than {})",
                u64::MAX
            )
        })?;
        // The manifest says whether the part has mentions.csv; a table lost
        // or added since is a changed part, not a run with other options.
        let has_mentions = !manifest.options.no_mentions;
        match (has_mentions, dir.join("mentions.csv").is_file()) {
            (true, false) => bail!(
                "part {name}: mentions.csv is missing, but the part was not run with --no-mentions (its \
                 manifest.json counts {}): the part is incomplete or was changed; rerun it",
                plural(manifest.totals.mentions, "mention")
            ),
            (false, true) => bail!(
                "part {name}: holds a mentions.csv, but its manifest.json says it was run with --no-mentions: \
                 the part was changed; rerun it"
            ),
            _ => {}
        }
        check_table_sizes(&name, dir, &manifest, has_mentions)?;
        Ok(Part { has_mentions, documents, name, dir: dir.to_path_buf(), manifest, coverage })
    }

    /// A table of the part.
    pub fn file(&self, table: &str) -> PathBuf {
        self.dir.join(table)
    }

    /// Refuses a part made in a way that its counts cannot be summed with
    /// `first`'s (or, for `first` itself, by this version of cotag).
    pub fn check_against(&self, first: &Part) -> Result<()> {
        let (m, f) = (&self.manifest, &first.manifest);
        let (name, first_name) = (&self.name, &first.name);
        let ours = env!("CARGO_PKG_VERSION");
        if m.cotag_version != ours {
            bail!(
                "{name}: made by cotag {}, but this is cotag {ours}; rerun it or merge with that version",
                m.cotag_version
            );
        }
        if m.options.min_count != 1 {
            bail!(
                "{name}: made with --min-count {}; parts must be run with --min-count 1 (merge takes its own --min-count)",
                m.options.min_count
            );
        }
        if self.has_mentions != first.has_mentions {
            let (with, without) = if self.has_mentions { (first_name, name) } else { (name, first_name) };
            bail!("{without}: has no mentions.csv (--no-mentions), but {with} has; run every part alike");
        }
        let hashes = |m: &Manifest| m.gazetteers.iter().map(|g| g.sha256.clone()).collect::<Vec<_>>();
        if hashes(m) != hashes(f) {
            let list = |m: &Manifest| m.gazetteers.iter().map(|g| g.file.as_str()).collect::<Vec<_>>().join(", ");
            bail!("{name}: made with different gazetteers than {first_name} (by SHA-256: {} vs {})", list(m), list(f));
        }
        let options = |m: &Manifest| -> Result<serde_json::Map<String, serde_json::Value>> {
            match serde_json::to_value(&m.options)? {
                serde_json::Value::Object(mut map) => {
                    map.retain(|k, _| !FREE_OPTIONS.contains(&k.as_str()));
                    Ok(map)
                }
                _ => bail!("manifest options are not an object"),
            }
        };
        let (mine, theirs) = (options(m)?, options(f)?);
        for key in mine.keys().chain(theirs.keys()) {
            let (a, b) = (mine.get(key), theirs.get(key));
            if a != b {
                bail!(
                    "{name}: made with --{} {}, but {first_name} with {}; parts must be run with the same options",
                    key.replace('_', "-"),
                    show(a),
                    show(b)
                );
            }
        }
        Ok(())
    }
}

/// `n` and `noun`, in the plural unless `n` is 1: `1 row`, `120 rows`.
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// An option value for a message: lists joined by commas, booleans as on/off.
fn show(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "(none)".to_string(),
        Some(serde_json::Value::Bool(b)) => if *b { "on" } else { "off" }.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(items)) => items.iter().map(|i| show(Some(i))).collect::<Vec<_>>().join(","),
        Some(other) => other.to_string(),
    }
}
