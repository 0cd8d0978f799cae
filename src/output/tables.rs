//! The count tables of SPEC §4: `entities.csv`, `cooccurrence.csv`,
//! `nodes.csv` and `edges.csv`, built from [`Counts`].

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::{self, Write};

use super::csv::{header, Row};
use crate::count::Counts;
use crate::gazetteer::Entity;
use crate::stats::{format_g6, measures, Measures};
use crate::window::{By, PeriodKey, Window};

/// Columns of `entities.csv`.
pub const ENTITIES_COLUMNS: &[&str] =
    &["period", "entity_id", "type", "name", "mentions", "documents", "paragraphs", "sentences"];

/// Columns of `cooccurrence.csv`.
pub const COOCCURRENCE_COLUMNS: &[&str] = &[
    "window",
    "period",
    "entity_a",
    "entity_b",
    "type_a",
    "type_b",
    "name_a",
    "name_b",
    "count",
    "count_a",
    "count_b",
    "windows",
    "documents",
    "pmi",
    "npmi",
    "llr",
    "dice",
    "jaccard",
];

/// Columns of `nodes.csv`.
pub const NODES_COLUMNS: &[&str] = &["Id", "Label", "Type", "Mentions", "Documents"];

/// Columns of `edges.csv`.
pub const EDGES_COLUMNS: &[&str] = &["Source", "Target", "Type", "Weight", "Window", "Period", "Npmi"];

/// One row of `cooccurrence.csv`, before formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct PairRow {
    /// The window kind.
    pub window: Window,
    /// The period.
    pub period: PeriodKey,
    /// Entity index of `entity_a` (the smaller id).
    pub a: u32,
    /// Entity index of `entity_b`.
    pub b: u32,
    /// Windows holding both (mention pairs for `tokens:N`).
    pub count: u64,
    /// Windows holding a (mentions of a for `tokens:N`).
    pub count_a: u64,
    /// Windows holding b (mentions of b for `tokens:N`).
    pub count_b: u64,
    /// All windows of the kind in the period (tokens for `tokens:N`).
    pub windows: u64,
    /// Documents in which the pair shares a window.
    pub documents: u64,
    /// The association measures; `None` for `tokens:N`.
    pub measures: Option<Measures>,
}

/// The rows of `cooccurrence.csv` with `count >= min_count`, in table order:
/// window, period, count descending, entity_a, entity_b.
pub fn pair_rows(counts: &Counts, entities: &[Entity], min_count: u64) -> Vec<PairRow> {
    let mut rows = Vec::new();
    for (&(w, period), pairs) in &counts.pairs {
        let window = counts.windows[w];
        let windows = counts.totals.get(&period).map_or(0, |t| t.windows(window));
        for p in pairs.iter().filter(|p| p.count >= min_count) {
            let (mut a, mut b) = p.entities();
            if entities[a as usize].id.as_bytes() > entities[b as usize].id.as_bytes() {
                std::mem::swap(&mut a, &mut b);
            }
            let count_a = counts.marginal(window, period, a);
            let count_b = counts.marginal(window, period, b);
            rows.push(PairRow {
                window,
                period,
                a,
                b,
                count: p.count,
                count_a,
                count_b,
                windows,
                documents: p.documents,
                measures: window.is_unit().then(|| measures(p.count, count_a, count_b, windows)),
            });
        }
    }
    let labels: BTreeMap<Window, String> = counts.windows.iter().map(|w| (*w, w.to_string())).collect();
    rows.sort_by(|x, y| {
        labels[&x.window]
            .cmp(&labels[&y.window])
            .then(x.period.cmp(&y.period))
            .then(y.count.cmp(&x.count))
            .then_with(|| id_order(entities, x.a, y.a))
            .then_with(|| id_order(entities, x.b, y.b))
    });
    rows
}

fn id_order(entities: &[Entity], x: u32, y: u32) -> Ordering {
    entities[x as usize].id.as_bytes().cmp(entities[y as usize].id.as_bytes())
}

/// Writes `entities.csv`.
pub fn write_entities(w: &mut dyn Write, counts: &Counts, entities: &[Entity], by: By) -> io::Result<()> {
    w.write_all(&header(ENTITIES_COLUMNS))?;
    let mut sorted: Vec<_> = counts.entities.iter().collect();
    sorted.sort_by(|x, y| x.0 .0.cmp(&y.0 .0).then_with(|| id_order(entities, x.0 .1, y.0 .1)));
    let mut row = Row::new();
    for ((period, e), c) in sorted {
        let entity = &entities[*e as usize];
        row.text(&by.label(*period))
            .text(&entity.id)
            .text(&entity.etype)
            .text(&entity.name)
            .value(c.mentions)
            .value(c.documents)
            .value(c.paragraphs)
            .value(c.sentences);
        w.write_all(&row.finish())?;
    }
    Ok(())
}

/// Writes `cooccurrence.csv` from rows made by [`pair_rows`].
pub fn write_cooccurrence(w: &mut dyn Write, rows: &[PairRow], entities: &[Entity], by: By) -> io::Result<()> {
    w.write_all(&header(COOCCURRENCE_COLUMNS))?;
    let mut row = Row::new();
    for r in rows {
        let (a, b) = (&entities[r.a as usize], &entities[r.b as usize]);
        row.text(&r.window.to_string())
            .text(&by.label(r.period))
            .text(&a.id)
            .text(&b.id)
            .text(&a.etype)
            .text(&b.etype)
            .text(&a.name)
            .text(&b.name)
            .value(r.count)
            .value(r.count_a)
            .value(r.count_b)
            .value(r.windows)
            .value(r.documents);
        match &r.measures {
            Some(m) => {
                for x in [m.pmi, m.npmi, m.llr, m.dice, m.jaccard] {
                    row.value(format_g6(x));
                }
            }
            None => {
                for _ in 0..5 {
                    row.value("");
                }
            }
        }
        w.write_all(&row.finish())?;
    }
    Ok(())
}

/// Writes `nodes.csv`: every entity seen, with mentions and documents summed over periods.
pub fn write_nodes(w: &mut dyn Write, counts: &Counts, entities: &[Entity]) -> io::Result<()> {
    w.write_all(&header(NODES_COLUMNS))?;
    let mut totals: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
    for ((_, e), c) in &counts.entities {
        let t = totals.entry(*e).or_default();
        t.0 += c.mentions;
        t.1 += c.documents;
    }
    let mut ids: Vec<u32> = totals.keys().copied().collect();
    ids.sort_by(|x, y| id_order(entities, *x, *y));
    let mut row = Row::new();
    for e in ids {
        let entity = &entities[e as usize];
        let (mentions, documents) = totals[&e];
        row.text(&entity.id).text(&entity.name).text(&entity.etype).value(mentions).value(documents);
        w.write_all(&row.finish())?;
    }
    Ok(())
}

/// Writes `edges.csv`: the rows of the first `--window`, in cooccurrence order.
pub fn write_edges(w: &mut dyn Write, rows: &[PairRow], first: Window, entities: &[Entity], by: By) -> io::Result<()> {
    w.write_all(&header(EDGES_COLUMNS))?;
    let mut row = Row::new();
    for r in rows.iter().filter(|r| r.window == first) {
        row.text(&entities[r.a as usize].id)
            .text(&entities[r.b as usize].id)
            .text("Undirected")
            .value(r.count)
            .text(&r.window.to_string())
            .text(&by.label(r.period));
        match &r.measures {
            Some(m) => row.value(format_g6(m.npmi)),
            None => row.value(""),
        };
        w.write_all(&row.finish())?;
    }
    Ok(())
}
