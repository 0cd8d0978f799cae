//! Summing the count tables of parts (`entities.csv`, `cooccurrence.csv` and
//! the manifests' window totals) back into a [`Counts`], from which the
//! tables and every measure are written as a run writes them.
//!
//! Entities are known here only by the ids the parts saw, so the entity list
//! is rebuilt from them, sorted by id bytes: indices then order like ids, as
//! the pair keys of [`Counts`] require (`a < b`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::part::Part;
use crate::count::{Counts, EntityCounts, PairCount, PeriodTotals};
use crate::discover::is_discovered_id;
use crate::gazetteer::Entity;
use crate::output::tables::{COOCCURRENCE_COLUMNS, ENTITIES_COLUMNS};
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
        for (label, t) in &part.manifest.totals.windows {
            let key = period_key(by, label).with_context(|| {
                format!("{}/manifest.json: bad period '{label}' for --by {}", part.name, by.as_str())
            })?;
            let sum = self.totals.entry(key).or_default();
            sum.documents += t.documents;
            sum.paragraphs += t.paragraphs;
            sum.sentences += t.sentences;
            sum.tokens += t.tokens;
        }
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
            let counts = EntityCounts {
                mentions: number(&record[4]).with_context(at)?,
                documents: number(&record[5]).with_context(at)?,
                paragraphs: number(&record[6]).with_context(at)?,
                sentences: number(&record[7]).with_context(at)?,
            };
            let sum = self.marginals.entry((period, id.to_string())).or_default();
            sum.mentions += counts.mentions;
            sum.documents += counts.documents;
            sum.paragraphs += counts.paragraphs;
            sum.sentences += counts.sentences;
        }
        Ok(())
    }

    /// Fixes the entity list: every id seen, in byte order.
    pub fn into_pairs(self, windows: &[Window]) -> PairSums {
        let entities: Vec<Entity> =
            self.entities.into_iter().map(|(id, (etype, name, _))| Entity { id, etype, name }).collect();
        let index: HashMap<String, u32> = entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i as u32)).collect();
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
            pairs: HashMap::new(),
        }
    }
}

/// Summed counts with fixed entity indices, taking the pair tables.
#[derive(Debug)]
pub struct PairSums {
    counts: Counts,
    entities: Vec<Entity>,
    index: HashMap<String, u32>,
    /// (window index, period, pair key) → (count, documents).
    pairs: HashMap<(usize, PeriodKey, u64), (u64, u64)>,
}

impl PairSums {
    /// Adds a part's `cooccurrence.csv`.
    pub fn add_pairs(&mut self, part: &Part, by: By) -> Result<()> {
        let labels: HashMap<String, usize> =
            self.counts.windows.iter().enumerate().map(|(i, w)| (w.to_string(), i)).collect();
        let path = part.file("cooccurrence.csv");
        let mut reader = open_table(&path, COOCCURRENCE_COLUMNS)?;
        let mut record = csv::StringRecord::new();
        while read_record(&mut reader, &mut record, &path)? {
            let at = || format!("{}:{}", path.display(), record.position().map_or(0, |p| p.line()));
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
            let (count, documents) = (number(&record[8]).with_context(at)?, number(&record[12]).with_context(at)?);
            let sum = self.pairs.entry((w, period, (a as u64) << 32 | b as u64)).or_default();
            sum.0 += count;
            sum.1 += documents;
        }
        Ok(())
    }

    /// The summed counts and the entity list their indices point into.
    pub fn finish(mut self) -> (Counts, Vec<Entity>) {
        let mut tables: BTreeMap<(usize, PeriodKey), Vec<PairCount>> = BTreeMap::new();
        for ((w, period, key), (count, documents)) in self.pairs {
            tables.entry((w, period)).or_default().push(PairCount { key, count, documents });
        }
        for table in tables.values_mut() {
            table.sort_unstable_by_key(|p| p.key);
        }
        self.counts.pairs = tables;
        (self.counts, self.entities)
    }
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
}
