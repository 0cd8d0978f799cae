//! Which documents a part holds, as shards of a corpus, so that `merge` can
//! refuse overlapping parts and, with `--expect-shards`, incomplete ones.
//!
//! A corpus is named by its CORPUS arguments and `--files-from` list as the
//! run recorded them; a part holds a set of shards of N of one or more such
//! corpora. A run without `--shard` holds shard 0 of 1 (every shard). A
//! merged part lists its holdings in the manifest's `coverage` field, so
//! nested merges and later batches (another corpus) check the same way.

use std::collections::BTreeSet;
use std::fmt;

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

use crate::output::manifest::{Manifest, ResolvedCorpus};
use crate::shard::Shard;

/// The shards of one corpus that a part holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Coverage {
    /// The CORPUS arguments of the runs.
    pub corpus_roots: Vec<String>,
    /// Their `--files-from` list, if any.
    #[serde(default)]
    pub files_from: Option<String>,
    /// The shard indices held, ascending.
    pub shards: Vec<u64>,
    /// N: how many shards the corpus was cut into.
    pub of: u64,
    /// The corpus as resolved paths on the machine that ran, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedCorpus>,
}

impl Coverage {
    /// What a plain run's manifest says it holds: its `--shard`, or everything.
    pub fn of_run(manifest: &Manifest) -> Result<Coverage> {
        let (shards, of) = match &manifest.shard {
            None => (vec![0], 1),
            Some(s) => {
                let shard = Shard::parse(s).map_err(|e| anyhow::anyhow!("manifest.json: {e}"))?;
                (vec![shard.index], shard.count)
            }
        };
        Ok(Coverage {
            corpus_roots: manifest.corpus_roots.clone(),
            files_from: manifest.options.files_from.clone(),
            shards,
            of,
            resolved: manifest.resolved_corpus.clone(),
        })
    }

    /// Whether every shard of the corpus is held.
    pub fn is_complete(&self) -> bool {
        self.shards.len() as u64 == self.of
    }

    /// Whether two holdings are of one corpus: the same CORPUS arguments,
    /// compared as paths written (`news`, `./news/` and `news//` are one),
    /// and the same `--files-from` list; or the same resolved paths, when
    /// both parts recorded them (`news` run in `/data`, and `/data/news`).
    /// Parts from other machines may resolve one corpus differently, so
    /// paths written alike still name one corpus.
    fn same_corpus(&self, other: &Coverage) -> bool {
        self.written_alike(other) || self.resolved.is_some() && self.resolved == other.resolved
    }

    /// Whether two holdings name their corpus by the same written paths.
    fn written_alike(&self, other: &Coverage) -> bool {
        let roots = |c: &Coverage| c.corpus_roots.iter().map(|r| written_path(r)).collect::<Vec<_>>();
        roots(self) == roots(other)
            && self.files_from.as_deref().map(written_path) == other.files_from.as_deref().map(written_path)
    }

    /// For a message about `self` and `other` of one corpus: how `other`
    /// wrote it, when it wrote it otherwise.
    fn written_by(&self, other: &Coverage, part: &str) -> String {
        if self.written_alike(other) {
            String::new()
        } else {
            format!(" (written {} in {part}: the same folders on the machine that ran them)", other.corpus())
        }
    }

    /// A CORPUS argument of `self` that is, or lies inside, or holds one of
    /// `other`'s (standard input aside), with that one: compared as written,
    /// and as resolved when both parts recorded it.
    fn shared_root(&self, other: &Coverage) -> Option<(String, String)> {
        let resolved =
            |c: &Coverage, i: usize| c.resolved.as_ref().and_then(|r| r.roots.get(i)).map(|r| written_path(r));
        for (i, mine) in self.corpus_roots.iter().enumerate().filter(|(_, r)| *r != "-") {
            for (j, theirs) in other.corpus_roots.iter().enumerate().filter(|(_, r)| *r != "-") {
                let (a, b) = (written_path(mine), written_path(theirs));
                let nested = |a: &str, b: &str| within(a, b) || within(b, a);
                let by_resolved = match (resolved(self, i), resolved(other, j)) {
                    (Some(a), Some(b)) => nested(&a, &b),
                    _ => false,
                };
                if nested(&a, &b) || by_resolved {
                    return Some((mine.clone(), theirs.clone()));
                }
            }
        }
        None
    }

    /// The corpus, for messages: its roots and list.
    pub fn corpus(&self) -> String {
        let mut s = self.corpus_roots.join(" ");
        if let Some(list) = &self.files_from {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&format!("--files-from {list}"));
        }
        s
    }

    /// `0,2/4`: the shards held, for the manifest's `shard` field.
    pub fn label(&self) -> String {
        let shards: Vec<String> = self.shards.iter().map(u64::to_string).collect();
        format!("{}/{}", shards.join(","), self.of)
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "shards {} of corpus {}", self.label(), self.corpus())
    }
}

/// `path` as its components, without empty and `.` ones: `./news/` and
/// `news` name one folder, as a walk reads it. `..` is kept: only the file
/// system knows where it leads, and parts may come from other machines.
fn written_path(path: &str) -> String {
    let absolute = path.starts_with('/');
    let parts: Vec<&str> = path.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    match (absolute, parts.is_empty()) {
        (true, _) => format!("/{}", parts.join("/")),
        (false, true) => ".".to_string(),
        (false, false) => parts.join("/"),
    }
}

/// Whether written path `inner` is `outer` or lies inside it (both from [`written_path`]).
fn within(inner: &str, outer: &str) -> bool {
    if outer == "." {
        return !inner.starts_with('/') && !inner.starts_with("..");
    }
    inner == outer || inner.strip_prefix(outer).is_some_and(|rest| rest.starts_with('/') || outer.ends_with('/'))
}

/// The union of the holdings of parts, refusing overlaps.
#[derive(Debug, Default)]
pub struct CoverageSet {
    /// (holding, name of the part it came from), one per corpus.
    entries: Vec<(Coverage, String)>,
    /// Corpora whose folders nest, each pair once: for the summary.
    pub warnings: Vec<String>,
}

impl CoverageSet {
    /// Adds the holdings of the part named `part`, refusing any shard that an
    /// earlier part already holds.
    pub fn add(&mut self, part: &str, holdings: &[Coverage]) -> Result<()> {
        for c in holdings {
            // Two corpora that share a folder may share its files, under
            // doc_ids and shards of their own that nothing here can compare:
            // a batch run on `news/2025-08` after a run on `news` counts
            // twice what that run already read, unless the folder is new.
            // Only the user knows which: a warning, not a refusal.
            for (e, first) in self.entries.iter().filter(|(e, _)| !e.same_corpus(c)) {
                if let Some((mine, theirs)) = c.shared_root(e) {
                    self.warnings.push(format!(
                        "{part}: its corpus {} and corpus {} of {first} share a folder ({mine} and {theirs}): \
                         files read by both are counted twice; merge them only if no file was",
                        c.corpus(),
                        e.corpus()
                    ));
                }
            }
            match self.entries.iter_mut().find(|(e, _)| e.same_corpus(c)) {
                None => self.entries.push((c.clone(), part.to_string())),
                Some((e, first)) => {
                    if e.of != c.of {
                        bail!(
                            "{part}: holds shards of {} of corpus {}{}, but {first} holds shards of {}; \
                             shards cut differently overlap (run every part with the same --shard I/N)",
                            c.of,
                            c.corpus(),
                            c.written_by(e, first),
                            e.of
                        );
                    }
                    let mine: BTreeSet<u64> = e.shards.iter().copied().collect();
                    if let Some(twice) = c.shards.iter().find(|s| mine.contains(s)) {
                        let what = if c.of == 1 { "all of".to_string() } else { format!("shard {twice}/{} of", c.of) };
                        bail!(
                            "{part}: overlaps {first}: both hold {what} corpus {}{}",
                            c.corpus(),
                            c.written_by(e, first)
                        );
                    }
                    let mut union: Vec<u64> = mine.into_iter().chain(c.shards.iter().copied()).collect();
                    union.sort_unstable();
                    e.shards = union;
                    // A part of an older version recorded no resolved paths.
                    if e.resolved.is_none() {
                        e.resolved.clone_from(&c.resolved);
                    }
                }
            }
        }
        Ok(())
    }

    /// Refuses holdings that miss a shard of `n` (`--expect-shards`). A corpus
    /// run without `--shard` is whole already.
    pub fn expect(&self, n: u64) -> Result<()> {
        for (c, part) in &self.entries {
            if c.of == 1 {
                continue;
            }
            if c.of != n {
                bail!("{part}: holds shards of {} of corpus {}, but --expect-shards is {n}", c.of, c.corpus());
            }
            let missing: Vec<String> =
                (0..n).filter(|i| c.shards.binary_search(i).is_err()).map(|i| format!("{i}/{n}")).collect();
            if !missing.is_empty() {
                bail!("missing shards {} of corpus {} (--expect-shards {n})", missing.join(", "), c.corpus());
            }
        }
        Ok(())
    }

    /// The holdings, sorted by corpus, for the merged manifest.
    pub fn into_sorted(self) -> Vec<Coverage> {
        let mut all: Vec<Coverage> = self.entries.into_iter().map(|(c, _)| c).collect();
        all.sort();
        all
    }
}

/// The manifest's `shard` field for holdings: null when every corpus is
/// whole (as for a single run), else the shards held, e.g. `0,2/4`.
pub fn shard_label(holdings: &[Coverage]) -> Option<String> {
    if holdings.iter().all(Coverage::is_complete) {
        None
    } else {
        Some(holdings.iter().map(Coverage::label).collect::<Vec<_>>().join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cov(root: &str, shards: &[u64], of: u64) -> Coverage {
        Coverage { corpus_roots: vec![root.to_string()], files_from: None, shards: shards.to_vec(), of, resolved: None }
    }

    #[test]
    fn disjoint_shards_join_and_overlaps_are_refused() {
        let mut set = CoverageSet::default();
        set.add("p0", &[cov("c", &[0], 4)]).unwrap();
        set.add("p2", &[cov("c", &[2], 4)]).unwrap();
        let err = set.add("p2b", &[cov("c", &[1, 2], 4)]).unwrap_err().to_string();
        assert_eq!(err, "p2b: overlaps p0: both hold shard 2/4 of corpus c");
        let err = set.add("q", &[cov("c", &[1], 8)]).unwrap_err().to_string();
        assert!(err.starts_with("q: holds shards of 8 of corpus c, but p0 holds shards of 4"), "{err}");
        let err = set.expect(4).unwrap_err().to_string();
        assert_eq!(err, "missing shards 1/4, 3/4 of corpus c (--expect-shards 4)");
        set.add("p13", &[cov("c", &[1, 3], 4)]).unwrap();
        set.expect(4).unwrap();
        assert!(set.expect(8).is_err());
        // Another corpus (a later batch) is not an overlap, and whole already.
        set.add("batch", &[cov("d", &[0], 1)]).unwrap();
        set.expect(4).unwrap();
        let err = set.add("again", &[cov("d", &[0], 1)]).unwrap_err().to_string();
        assert_eq!(err, "again: overlaps batch: both hold all of corpus d");
        let all = set.into_sorted();
        assert_eq!(all, [cov("c", &[0, 1, 2, 3], 4), cov("d", &[0], 1)]);
        assert_eq!(shard_label(&all), None);
        assert_eq!(shard_label(&[cov("c", &[0, 2], 4)]).as_deref(), Some("0,2/4"));
    }

    /// A holding of `root` that resolved to `resolved`.
    fn resolved(root: &str, resolved: &str, shards: &[u64], of: u64) -> Coverage {
        Coverage {
            resolved: Some(ResolvedCorpus { roots: vec![resolved.to_string()], files_from: None }),
            ..cov(root, shards, of)
        }
    }

    #[test]
    fn corpora_that_resolve_alike_are_one() {
        // `news` run in /data, and /data/news: one folder, one corpus.
        let mut set = CoverageSet::default();
        set.add("p0", &[resolved("news", "/data/news", &[0], 2)]).unwrap();
        let err = set.add("p0b", &[resolved("/data/news", "/data/news", &[0], 2)]).unwrap_err().to_string();
        assert_eq!(
            err,
            "p0b: overlaps p0: both hold shard 0/2 of corpus /data/news (written news in p0: the same folders on \
             the machine that ran them)"
        );
        set.add("p1", &[resolved("/data/news/", "/data/news", &[1], 2)]).unwrap();
        set.expect(2).unwrap();
        // Written alike, resolved otherwise (another machine's mount): one corpus still.
        let err = set.add("elsewhere", &[resolved("news", "/scratch/news", &[1], 2)]).unwrap_err().to_string();
        assert_eq!(err, "elsewhere: overlaps p0: both hold shard 1/2 of corpus news");
        // A part that recorded no resolved paths is compared as written
        // only: /data/news is not `news` as far as it can tell.
        set.add("old", &[cov("/data/news", &[0], 1)]).unwrap();
        assert!(set.add("old again", &[cov("/data/news/", &[0], 1)]).is_err());
        // Folders that nest once resolved are said to.
        let mut set = CoverageSet::default();
        set.add("all", &[resolved("news", "/data/news", &[0], 1)]).unwrap();
        set.add("month", &[resolved("2025-08", "/data/news/2025-08", &[0], 1)]).unwrap();
        assert_eq!(set.warnings.len(), 1, "{:?}", set.warnings);
        assert!(set.warnings[0].starts_with("month: its corpus 2025-08 and corpus news of all share a folder"));
        // An older part's holding takes the resolved paths of the newer one it joins.
        let mut set = CoverageSet::default();
        set.add("old", &[cov("news", &[0], 2)]).unwrap();
        set.add("new", &[resolved("news", "/data/news", &[1], 2)]).unwrap();
        assert_eq!(set.into_sorted(), [resolved("news", "/data/news", &[0, 1], 2)]);
    }

    #[test]
    fn corpora_written_alike_are_one_and_nested_ones_overlap() {
        // One folder, written three ways: one corpus, whose shards join.
        let mut set = CoverageSet::default();
        set.add("p0", &[cov("news", &[0], 3)]).unwrap();
        set.add("p1", &[cov("./news/", &[1], 3)]).unwrap();
        set.add("p2", &[cov("news//", &[2], 3)]).unwrap();
        set.expect(3).unwrap();
        let err = set.add("again", &[cov("./news", &[0], 1)]).unwrap_err().to_string();
        assert!(err.contains("holds shards of 1 of corpus ./news, but p0 holds shards of 3"), "{err}");
        assert!(set.warnings.is_empty(), "{:?}", set.warnings);
        // A folder inside another, or holding it, may share its files: said.
        set.add("inner", &[cov("news/2022", &[0], 1)]).unwrap();
        assert_eq!(
            set.warnings,
            ["inner: its corpus news/2022 and corpus news of p0 share a folder (news/2022 and news): files read \
              by both are counted twice; merge them only if no file was"]
        );
        let nested = |first: &str, then: &str| {
            let mut set = CoverageSet::default();
            set.add("first", &[cov(first, &[0], 1)]).unwrap();
            set.add("then", &[cov(then, &[0], 1)]).unwrap();
            set.warnings.len()
        };
        assert_eq!(nested("data/news/2022/", "./data"), 1);
        assert_eq!(nested("data/news", "."), 1);
        // Shared among several arguments.
        let two = Coverage {
            corpus_roots: vec!["a".into(), "b".into()],
            files_from: None,
            shards: vec![0],
            of: 1,
            resolved: None,
        };
        let mut set = CoverageSet::default();
        set.add("ab", &[two]).unwrap();
        set.add("b", &[cov("b/", &[0], 1)]).unwrap();
        assert_eq!(set.warnings.len(), 1);
        // Neighbours, names that only start alike, and streams share nothing.
        for other in ["c", "bb", "/a", "../a", "-"] {
            assert_eq!(nested("a", other), 0, "{other}");
        }
    }
}
