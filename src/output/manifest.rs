//! `manifest.json`: what is needed to reproduce a run and to merge its tables.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::count::PeriodTotals;

/// The whole manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// cotag's version.
    pub cotag_version: String,
    /// The command line, as given.
    pub command_line: Vec<String>,
    /// Every option's value.
    pub options: Options,
    /// Each gazetteer file read.
    pub gazetteers: Vec<GazetteerEntry>,
    /// The CORPUS arguments.
    pub corpus_roots: Vec<String>,
    /// The CORPUS arguments and `--files-from` list as absolute paths with
    /// links resolved, on the machine that ran: `merge` takes two parts
    /// whose corpora resolve alike for one corpus, however their paths were
    /// written. Absent from the manifests of older versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_corpus: Option<ResolvedCorpus>,
    /// Totals over the run.
    pub totals: Totals,
    /// Each table written, by file name (`manifest.json` itself aside):
    /// what `merge` checks a part's tables against. Absent from the
    /// manifests of older versions, whose tables are then not checked.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, TableFile>,
    /// `I/N` when the run was one shard, else null.
    pub shard: Option<String>,
    /// Start time, UTC, RFC 3339.
    pub started: String,
    /// End time, UTC, RFC 3339.
    pub finished: String,
    /// Wall-clock seconds.
    pub elapsed_seconds: f64,
    /// Worker threads.
    pub threads: usize,
}

/// The option values of a run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Options {
    /// `--window`, as a list of window names.
    pub window: Vec<String>,
    /// `--by`.
    pub by: String,
    /// `--min-count`.
    pub min_count: u64,
    /// `--no-demonyms`.
    pub no_demonyms: bool,
    /// `--discover`.
    #[serde(default)]
    pub discover: bool,
    /// `--no-mentions`.
    pub no_mentions: bool,
    /// `-g` values (empty: the built-in set).
    pub gazetteer: Vec<String>,
    /// `--text-field`.
    pub text_field: String,
    /// `--id-field`.
    pub id_field: String,
    /// `--date-field`.
    pub date_field: String,
    /// `--strict`.
    pub strict: bool,
    /// `-o`.
    pub out: String,
    /// `--files-from`, if given.
    pub files_from: Option<String>,
}

/// One gazetteer file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GazetteerEntry {
    /// The file as named, or `builtin:NAME`.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Distinct ids it defines.
    pub entities: usize,
    /// Alias rows it holds.
    pub aliases: usize,
}

/// A corpus named by resolved paths (see [`Manifest::resolved_corpus`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResolvedCorpus {
    /// Each CORPUS argument, absolute, links resolved (`-` for standard input).
    pub roots: Vec<String>,
    /// The `--files-from` list, likewise, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_from: Option<String>,
}

impl ResolvedCorpus {
    /// The corpus of `roots` and `files_from` as named on this machine now.
    pub fn of(roots: &[String], files_from: Option<&str>) -> ResolvedCorpus {
        ResolvedCorpus { roots: roots.iter().map(|r| resolve(r)).collect(), files_from: files_from.map(resolve) }
    }
}

/// `path` absolute, links and `..` resolved when it exists; `-` (standard
/// input) as it is.
fn resolve(path: &str) -> String {
    if path == "-" {
        return path.to_string();
    }
    let resolved = std::fs::canonicalize(path).or_else(|_| std::path::absolute(path));
    resolved.map_or_else(|_| path.to_string(), |p| p.to_string_lossy().into_owned())
}

/// One table file as written.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct TableFile {
    /// Its size in bytes.
    pub bytes: u64,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Totals {
    /// Documents by status (`ok`, `lossy`, `skipped`, `error`), all four always present.
    pub documents: BTreeMap<String, u64>,
    /// Bytes of text read.
    pub bytes: u64,
    /// Word tokens.
    pub tokens: u64,
    /// Sentences.
    pub sentences: u64,
    /// Paragraphs.
    pub paragraphs: u64,
    /// Mentions tagged.
    pub mentions: u64,
    /// Windows of each kind per period label.
    pub windows: BTreeMap<String, PeriodTotals>,
}

/// `t` as an RFC 3339 UTC timestamp with seconds, e.g. `2026-11-29T01:02:03Z`.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(1_796_000_523)), "2026-11-30T01:02:03Z");
    }
}
