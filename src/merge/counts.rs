//! Summing the count tables of parts (`entities.csv`, `cooccurrence.csv` and
//! the manifests' window totals) back into a [`Counts`], from which the
//! tables and every measure are written as a run writes them.
//!
//! Every sum is checked: a count past `u64::MAX`, which only an edited part
//! can hold, stops the merge rather than being written wrapped or capped.
//!
//! Entities are known here only by the ids the parts saw, so the entity list
//! is rebuilt from them, sorted by id bytes: indices then order like ids, as
//! the pair keys of [`Counts`] require (`a < b`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::part::Part;
use crate::count::{Counts, EntityCounts, PairCount, PeriodTotals};
use crate::discover::is_discovered_id;
use crate::gazetteer::Entity;
use crate::interrupt::Interrupt;
use crate::output::tables::{PairRows, COOCCURRENCE_COLUMNS, ENTITIES_COLUMNS};
use crate::registry::keep_smallest_name;
use crate::window::{By, PeriodKey, Window, UNDATED};

/// Summed counts keyed by id, before entity indices exist.
#[derive(Debug, Default)]
pub struct CountSums {
    /// id → (type, name, the part that named it first).
    entities: BTreeMap<String, (String, String, String)>,
    /// (period, id) → counts.
    marginals: HashMap<(PeriodKey, String), EntityCounts>,
    /// Window totals per period.
    totals: BTreeMap<PeriodKey, PeriodTotals>,
}

impl CountSums {
    /// Adds a part's `entities.csv` and window totals.
    pub fn add_entities(&mut self, part: &Part, by: By) -> Result<()> {
        self.add_window_totals(part, by)?;
        let path = part.file("entities.csv");
        let mut reader = open_table(&path, ENTITIES_COLUMNS)?;
        let mut record = csv::StringRecord::new();
        while read_record(&mut reader, &mut record, &path)? {
            let at = || format!("{}:{}", path.display(), record.position().map_or(0, |p| p.line()));
            let period =
                period_key(by, &record[0]).with_context(|| format!("{}: bad period '{}'", at(), &record[0]))?;
            let (id, etype, name) = (&record[1], &record[2], &record[3]);
            match self.entities.get_mut(id) {
                None => {
                    self.entities.insert(id.to_string(), (etype.to_string(), name.to_string(), part.name.clone()));
                }
                // A discovered entity is named by the smallest of its spellings
                // in byte order ("Ellen Johnson Sirleaf", "Ellen Johnson-Sirleaf"),
                // as in a run; each part knows the smallest of its own.
                Some((t, n, _)) if t == etype && is_discovered_id(id) => keep_smallest_name(n, name),
                Some((t, n, first)) if t != etype || n != name => bail!(
                    "{}: entity {id} is {etype} '{name}' here, but {t} '{n}' in {first}; parts must use the same gazetteers",
                    at()
                ),
                Some(_) => {}
            }
            let sum = self.marginals.entry((period, id.to_string())).or_default();
            let sums = [&mut sum.mentions, &mut sum.documents, &mut sum.paragraphs, &mut sum.sentences];
            for (column, sum) in (4..).zip(sums) {
                let what = || format!("{} of {id} in period '{}'", ENTITIES_COLUMNS[column], &record[0]);
                add_count(sum, number(&record[column]).with_context(at)?, what).with_context(at)?;
            }
        }
        Ok(())
    }

    /// Adds a part's window totals (from its manifest), per period.
    fn add_window_totals(&mut self, part: &Part, by: By) -> Result<()> {
        let manifest = || format!("{}/manifest.json: totals", part.name);
        for (label, t) in &part.manifest.totals.windows {
            let key = period_key(by, label).with_context(|| {
                format!("{}/manifest.json: bad period '{label}' for --by {}", part.name, by.as_str())
            })?;
            let sum = self.totals.entry(key).or_default();
            let sums = [
                ("documents", &mut sum.documents, t.documents),
                ("paragraphs", &mut sum.paragraphs, t.paragraphs),
                ("sentences", &mut sum.sentences, t.sentences),
                ("tokens", &mut sum.tokens, t.tokens),
            ];
            for (kind, sum, value) in sums {
                add_count(sum, value, || format!("{kind} of period '{label}'")).with_context(manifest)?;
            }
        }
        Ok(())
    }

    /// Fixes the entity list: every id seen, in byte order.
    pub fn into_pairs(self, windows: &[Window]) -> PairSums {
        let entities: Vec<Entity> =
            self.entities.into_iter().map(|(id, (etype, name, _))| Entity { id, etype, name }).collect();
        let index: FxHashMap<String, u32> =
            entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i as u32)).collect();
        let mut marginals: Vec<((PeriodKey, u32), EntityCounts)> =
            self.marginals.into_iter().map(|((period, id), c)| ((period, index[&id]), c)).collect();
        marginals.sort_unstable_by_key(|e| e.0);
        PairSums {
            counts: Counts {
                windows: windows.to_vec(),
                totals: self.totals,
                entities: marginals,
                pairs: BTreeMap::new(),
            },
            entities,
            index,
            tables: FxHashMap::default(),
            paths: Vec::new(),
        }
    }
}

/// Summed counts with fixed entity indices, taking the pair tables.
#[derive(Debug)]
pub struct PairSums {
    counts: Counts,
    entities: Vec<Entity>,
    index: FxHashMap<String, u32>,
    /// (window index, period) → the rows of every part added so far, in
    /// the order they were read. Rows are gathered and summed once at the
    /// end, table by table on every core: summing them into one map as they
    /// were read was most of a merge's reading time (a hash map of
    /// millions of pairs misses the caches at every row).
    tables: PartTables,
    /// The `cooccurrence.csv` of each part added, for messages.
    paths: Vec<PathBuf>,
}

/// A part's pair rows by (window index, period).
type PartTables = FxHashMap<(usize, PeriodKey), Vec<PartPair>>;

/// One row of a part's `cooccurrence.csv`, until the parts are summed.
#[derive(Debug, Clone, Copy)]
struct PartPair {
    /// `a << 32 | b`, entity indices, `a < b`.
    key: u64,
    count: u64,
    documents: u64,
    /// The part (in the order added) and the row's line, for messages.
    part: u32,
    line: u64,
}

impl PairSums {
    /// Adds the `cooccurrence.csv` of every part: read side by side, one
    /// part per task on rayon's pool (parsing the CSV is most of the work),
    /// and kept in the order of `parts`, whose first error is the one
    /// returned. Stops at `interrupt` before each part.
    pub fn add_parts(&mut self, parts: &[Part], by: By, interrupt: &Interrupt) -> Result<()> {
        let first = self.paths.len();
        let read: Vec<Result<PartTables>> = (parts.par_iter().enumerate())
            .map(|(i, part)| {
                interrupt.check()?;
                let index = u32::try_from(first + i).context("too many parts")?;
                self.read_pairs(part, index, by)
            })
            .collect();
        for (part, tables) in parts.iter().zip(read) {
            for (key, rows) in tables? {
                self.tables.entry(key).or_default().extend(rows);
            }
            self.paths.push(part.file("cooccurrence.csv"));
        }
        Ok(())
    }

    /// The rows of a part's `cooccurrence.csv` by (window index, period),
    /// marked as part `part_index` (its place in the order added).
    fn read_pairs(&self, part: &Part, part_index: u32, by: By) -> Result<PartTables> {
        let labels: HashMap<String, usize> =
            self.counts.windows.iter().enumerate().map(|(i, w)| (w.to_string(), i)).collect();
        let path = part.file("cooccurrence.csv");
        let mut reader = open_table(&path, COOCCURRENCE_COLUMNS)?;
        let mut record = csv::StringRecord::new();
        let mut tables = PartTables::default();
        while read_record(&mut reader, &mut record, &path)? {
            let line = record.position().map_or(0, |p| p.line());
            let at = || format!("{}:{line}", path.display());
            let Some(&w) = labels.get(&record[0]) else {
                bail!("{}: window '{}' is not in --window", at(), &record[0])
            };
            let period =
                period_key(by, &record[1]).with_context(|| format!("{}: bad period '{}'", at(), &record[1]))?;
            let entity = |id: &str| {
                self.index.get(id).copied().with_context(|| format!("{}: {id} is not in entities.csv", at()))
            };
            let (a, b) = (entity(&record[2])?, entity(&record[3])?);
            if a >= b {
                bail!("{}: entity_a must sort before entity_b", at());
            }
            let count = number(&record[8]).with_context(at)?;
            let documents = number(&record[12]).with_context(at)?;
            let key = (a as u64) << 32 | b as u64;
            tables.entry((w, period)).or_default().push(PartPair { key, count, documents, part: part_index, line });
        }
        Ok(tables)
    }

    /// The summed counts and the entity list their indices point into;
    /// refuses a pair whose counts sum past `u64::MAX` over the parts,
    /// naming the row where the sum overflows.
    pub fn finish(self, by: By) -> Result<(Counts, Vec<Entity>)> {
        let PairSums { mut counts, entities, tables, paths, .. } = self;
        let mut tables: Vec<((usize, PeriodKey), Vec<PartPair>)> = tables.into_iter().collect();
        tables.sort_unstable_by_key(|t| t.0);
        // Each table's rows are let go of once summed: the rows of every
        // part and the sums are not all held at once.
        let sum = |((w, period), mut rows): ((usize, PeriodKey), Vec<PartPair>)| -> Result<Vec<PairCount>> {
            // A pair's rows in the order they were read, so that an overflow
            // is found at the row where reading the parts in turn finds it.
            rows.sort_unstable_by_key(|r| (r.key, r.part, r.line));
            let mut summed: Vec<PairCount> = Vec::new();
            for row in &rows {
                let last = match summed.last_mut() {
                    Some(last) if last.key == row.key => last,
                    _ => {
                        summed.push(PairCount { key: row.key, count: 0, documents: 0 });
                        summed.last_mut().expect("just pushed")
                    }
                };
                for (column, sum, value) in [(8, &mut last.count, row.count), (12, &mut last.documents, row.documents)]
                {
                    let what = || {
                        let (a, b) = ((row.key >> 32) as usize, row.key as u32 as usize);
                        let (column, window, period) =
                            (COOCCURRENCE_COLUMNS[column], counts.windows[w], by.label(period));
                        format!(
                            "{column} of {} and {} in window '{window}', period '{period}'",
                            entities[a].id, entities[b].id
                        )
                    };
                    add_count(sum, value, what)
                        .with_context(|| format!("{}:{}", paths[row.part as usize].display(), row.line))?;
                }
            }
            Ok(summed)
        };
        let keys: Vec<(usize, PeriodKey)> = tables.iter().map(|t| t.0).collect();
        let summed: Vec<Result<Vec<PairCount>>> = tables.into_par_iter().map(sum).collect();
        for (key, table) in keys.into_iter().zip(summed) {
            counts.pairs.insert(key, table?);
        }
        Ok((counts, entities))
    }
}

/// Refuses counts that the network files would sum past `u64::MAX`:
/// `nodes.csv` and `network.gexf` add each entity's mentions and documents
/// over the periods, and a GEXF edge's weight adds its pair's `count` over
/// the periods of the `first` window. Each period's sum was checked as the
/// parts were added; these totals over periods are the only sums left, and
/// the writers, shared with `run`, add them unchecked.
pub fn check_network_sums(counts: &Counts, rows: &PairRows, first: Window, entities: &[Entity]) -> Result<()> {
    let id = |e: u32| &entities[e as usize].id;
    let mentions = overflowing_group(counts.entities.iter().map(|((_, e), c)| (*e, c.mentions)));
    let documents = overflowing_group(counts.entities.iter().map(|((_, e), c)| (*e, c.documents)));
    for (column, overflowing) in [("mentions", mentions), ("documents", documents)] {
        if let Some(e) = overflowing {
            bail!(
                "entities.csv: {column} of {} over all periods: the sum overflows (more than {}; \
                 nodes.csv and network.gexf add the periods)",
                id(e),
                u64::MAX
            );
        }
    }
    let groups = rows.of_window(first)?;
    let weights = groups.iter().flat_map(|g| &rows.rows[g.rows.clone()]).map(|r| ((r.a, r.b), r.count));
    if let Some((a, b)) = overflowing_group(weights) {
        bail!(
            "cooccurrence.csv: count of {} and {} in window '{first}' over all periods: the sum overflows \
             (more than {}; network.gexf adds the periods into the edge's weight)",
            id(a),
            id(b),
            u64::MAX
        );
    }
    Ok(())
}

/// The key of a group whose values sum past `u64::MAX`, if any, of
/// `(key, value)` items in any order.
fn overflowing_group<K: Ord + Copy>(items: impl Iterator<Item = (K, u64)> + Clone) -> Option<K> {
    // When all the values fit together, so does every group's sum: one pass,
    // and no copy of a table of millions of pairs.
    if checked_sum(items.clone().map(|i| i.1)).is_some() {
        return None;
    }
    let mut items: Vec<(K, u64)> = items.collect();
    items.sort_unstable_by_key(|i| i.0);
    let mut groups = items.chunk_by(|x, y| x.0 == y.0);
    groups.find(|group| checked_sum(group.iter().map(|i| i.1)).is_none()).map(|group| group[0].0)
}

/// The sum of `values`, or `None` past `u64::MAX`.
fn checked_sum(mut values: impl Iterator<Item = u64>) -> Option<u64> {
    values.try_fold(0u64, u64::checked_add)
}

/// Opens a table, refusing a header other than `columns`.
fn open_table(path: &Path, columns: &[&str]) -> Result<csv::Reader<std::fs::File>> {
    let mut reader =
        csv::ReaderBuilder::new().from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let header = reader.headers().with_context(|| format!("cannot read {}", path.display()))?;
    if header.iter().ne(columns.iter().copied()) {
        bail!("{}: unexpected header (not a table of this cotag version)", path.display());
    }
    Ok(reader)
}

/// Reads the next record, refusing one with the wrong number of fields.
fn read_record(reader: &mut csv::Reader<std::fs::File>, record: &mut csv::StringRecord, path: &Path) -> Result<bool> {
    // The csv reader refuses rows whose field count differs from the header's.
    reader.read_record(record).with_context(|| format!("cannot read {}", path.display()))
}

/// Adds `value` into `sum`, refusing a sum past `u64::MAX`: merged counts
/// are written as summed, so a sum that wrapped (or saturated) would put a
/// wrong number in the tables. Real corpora come nowhere near the limit; an
/// edited table can. `what` names the count for the message.
fn add_count(sum: &mut u64, value: u64, what: impl FnOnce() -> String) -> Result<()> {
    match sum.checked_add(value) {
        Some(total) => *sum = total,
        None => bail!("{}: the sum over the parts overflows (more than {}; was a part edited?)", what(), u64::MAX),
    }
    Ok(())
}

/// A count field of a table.
fn number(s: &str) -> Result<u64> {
    s.parse().with_context(|| format!("'{s}' is not a count"))
}

/// The key of a period label as `--by` writes it (the inverse of [`By::label`]).
pub fn period_key(by: By, label: &str) -> Option<PeriodKey> {
    if label == "undated" && by != By::None {
        return Some(UNDATED);
    }
    let part = |s: Option<&str>, len: usize| -> Option<u32> {
        let s = s?;
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    let mut fields = label.split('-');
    let key = match by {
        By::None => return (label == "all").then_some(0),
        By::Year => part(fields.next(), 4)? * 10000,
        By::Month => part(fields.next(), 4)? * 10000 + part(fields.next(), 2)? * 100,
        By::Day => part(fields.next(), 4)? * 10000 + part(fields.next(), 2)? * 100 + part(fields.next(), 2)?,
    };
    fields.next().is_none().then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Date;

    #[test]
    fn period_labels_read_back() {
        for by in [By::None, By::Year, By::Month, By::Day] {
            for date in [Date::new(2022, 12, 4), Date::new(1999, 1, 31), None] {
                let key = by.key(date);
                assert_eq!(period_key(by, &by.label(key)), Some(key), "{by:?} {date:?}");
            }
        }
        assert_eq!(period_key(By::Month, "2022"), None);
        assert_eq!(period_key(By::Year, "2022-12"), None);
        assert_eq!(period_key(By::None, "undated"), None);
        assert_eq!(period_key(By::Day, "2022-1-04"), None);
    }

    #[test]
    fn sums_past_u64_max_are_refused_not_wrapped() {
        let mut sum = u64::MAX - 3;
        add_count(&mut sum, 3, || "mentions of ISR".to_string()).unwrap();
        assert_eq!(sum, u64::MAX);
        let err = add_count(&mut sum, 1, || "mentions of ISR".to_string()).unwrap_err().to_string();
        assert!(err.starts_with("mentions of ISR: the sum over the parts overflows"), "{err}");
        assert_eq!(sum, u64::MAX, "left as it was");
    }

    #[test]
    fn the_group_whose_sum_overflows_is_found() {
        let max = u64::MAX;
        assert_eq!(overflowing_group([(1, 5), (2, max - 5), (1, 7)].into_iter()), None);
        // Together the values overflow, but no group's sum does.
        assert_eq!(overflowing_group([(1, max), (2, max), (3, 0)].into_iter()), None);
        assert_eq!(overflowing_group([(1, max), (2, 1), (3, 4), (2, max), (1, 0)].into_iter()), Some(2));
        assert_eq!(overflowing_group(std::iter::empty::<(u8, u64)>()), None);
    }
}
