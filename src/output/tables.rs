//! The count tables of SPEC §4: `entities.csv`, `cooccurrence.csv`,
//! `nodes.csv` and `edges.csv`, built from [`Counts`].

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::{self, Write};

use rayon::prelude::*;

use super::csv::{header, push_quoted, Row};
use crate::count::{Counts, EntityCounts, PairCount};
use crate::gazetteer::Entity;
use crate::stats::{measures, npmi, Measures};
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

/// One row of `cooccurrence.csv`, before formatting: a pair and its
/// counts. Its window, period and `windows` are its [`RowGroup`]'s, kept
/// once a group rather than on every row: with `--by` a table holds
/// millions of rows, all of them in memory while the tables are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairRow {
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
    /// Documents in which the pair shares a window.
    pub documents: u64,
}

/// The rows of one window kind and period: a stretch of [`PairRows::rows`].
#[derive(Debug, Clone, PartialEq)]
pub struct RowGroup {
    /// The window kind.
    pub window: Window,
    /// The period.
    pub period: PeriodKey,
    /// All windows of the kind in the period (tokens for `tokens:N`).
    pub windows: u64,
    /// Where its rows are in [`PairRows::rows`].
    pub rows: std::ops::Range<usize>,
}

impl RowGroup {
    /// The association measures of row `r` of the group; `None` for
    /// `tokens:N`. Computed when written rather than stored.
    pub fn measures(&self, r: &PairRow) -> Option<Measures> {
        self.window.is_unit().then(|| measures(r.count, r.count_a, r.count_b, self.windows))
    }

    /// The `npmi` of [`RowGroup::measures`] alone (the network files need no
    /// other measure).
    pub fn npmi(&self, r: &PairRow) -> Option<f64> {
        self.window.is_unit().then(|| npmi(r.count, r.count_a, r.count_b, self.windows))
    }
}

/// The rows of `cooccurrence.csv`, in table order (window, period, count
/// descending, entity_a, entity_b), in groups of one window and period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairRows {
    /// The groups, in table order, none empty; each names its stretch of `rows`.
    pub groups: Vec<RowGroup>,
    /// The rows, in table order.
    pub rows: Vec<PairRow>,
}

impl PairRows {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each row with its group, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (&RowGroup, &PairRow)> {
        self.groups.iter().flat_map(move |g| self.rows[g.rows.clone()].iter().map(move |r| (g, r)))
    }

    /// The groups of `window`: one stretch of the groups, as the table is
    /// ordered by window first. Checked, so that a change to that order
    /// could never leave a short `edges.csv` or network behind without a
    /// word.
    pub fn of_window(&self, window: Window) -> io::Result<&[RowGroup]> {
        let start = self.groups.iter().position(|g| g.window == window).unwrap_or(self.groups.len());
        let end = start + self.groups[start..].iter().take_while(|g| g.window == window).count();
        let groups = &self.groups[start..end];
        let apart = self.groups[end..].iter().any(|g| g.window == window)
            || groups.windows(2).any(|g| g[0].rows.end != g[1].rows.start);
        if apart {
            return Err(io::Error::other(format!(
                "internal error: the {window} rows of the pair table are not together"
            )));
        }
        Ok(groups)
    }
}

/// The stretch of [`PairRows::rows`] that `groups` (consecutive) hold.
pub(crate) fn span(groups: &[RowGroup]) -> std::ops::Range<usize> {
    match (groups.first(), groups.last()) {
        (Some(first), Some(last)) => first.rows.start..last.rows.end,
        _ => 0..0,
    }
}

/// The place in `groups` (consecutive, none empty) of the group holding row `i`.
fn group_of(groups: &[RowGroup], i: usize) -> usize {
    groups.partition_point(|g| g.rows.end <= i)
}

/// The rows of `cooccurrence.csv` with `count >= min_count`, in table order:
/// window, period, count descending, entity_a, entity_b.
///
/// The pair counts are taken out of `counts` (its `pairs` are left empty):
/// each (window, period) table is freed once its rows are made, so that
/// the counts and the rows made of them are not both held whole, which
/// with `--by` are millions of each.
///
/// Each group's keys are sorted and its rows made on every core (rayon's
/// pool): this runs once every count is in (after tagging, or in `merge`),
/// when at most the per-document tables' writer runs beside it.
pub fn pair_rows(counts: &mut Counts, entities: &[Entity], min_count: u64) -> PairRows {
    let mut pairs = std::mem::take(&mut counts.pairs);
    let counts = &*counts;
    // Sorting compares ranks, not id strings: the rank of an entity is its
    // place in id order, of a window its place in label order.
    let id_rank = id_ranks(entities);
    let mut labels: Vec<(String, Window)> = counts.windows.iter().map(|w| (w.to_string(), *w)).collect();
    labels.sort();
    let window_rank = |w: Window| labels.iter().position(|(_, x)| *x == w).unwrap_or(usize::MAX);
    let kept = pairs.values().map(|pairs| pairs.iter().filter(|p| p.count >= min_count).count()).sum();
    let mut rows = Vec::with_capacity(kept);
    let mut row_groups = Vec::new();
    // The (window, period) groups in table order; each group's rows are then
    // sorted apart, with a far cheaper key than one sort of the whole table.
    let mut groups: Vec<(usize, PeriodKey, usize)> =
        pairs.keys().map(|&(w, period)| (window_rank(counts.windows[w]), period, w)).collect();
    groups.sort_unstable();
    // Each group is sorted as small keys (count descending, id order, then
    // where the pair is) and its rows made in that order: sorting the rows
    // themselves would move and compare large structs.
    let mut keys: Vec<(u64, u64, u32, u32)> = Vec::new();
    let mut marginals = PeriodCounts::new(entities.len());
    let mut n = 0;
    let mut freed = 0;
    while n < groups.len() {
        // A window given twice would make two groups of one window and
        // period, sorted together here; `run` and `merge` both refuse it.
        let (rank, period) = (groups[n].0, groups[n].1);
        let same = groups[n..].iter().take_while(|g| (g.0, g.1) == (rank, period)).count();
        keys.clear();
        let sources: Vec<Vec<PairCount>> = groups[n..n + same]
            .iter()
            .map(|&(_, _, w)| pairs.remove(&(w, period)).expect("a group of the table"))
            .collect();
        for (g, pairs) in sources.iter().enumerate() {
            for (i, p) in pairs.iter().enumerate() {
                if p.count >= min_count {
                    let (a, b) = p.entities();
                    let (ra, rb) = (id_rank[a as usize], id_rank[b as usize]);
                    let (ra, rb) = (ra.min(rb), ra.max(rb));
                    keys.push((u64::MAX - p.count, (ra as u64) << 32 | rb as u64, g as u32, i as u32));
                }
            }
        }
        n += same;
        freed += sources.iter().map(|s| s.capacity() * std::mem::size_of::<PairCount>()).sum::<usize>();
        if keys.is_empty() {
            continue;
        }
        // Keys are distinct (a pair once per source), so the order is total.
        keys.par_sort_unstable();
        let window = counts.windows[groups[n - 1].2];
        marginals.of_period(counts, period);
        let marginals = &marginals;
        let start = rows.len();
        rows.par_extend(keys.par_iter().map(|&(_, _, g, i)| {
            let p = &sources[g as usize][i as usize];
            let (mut a, mut b) = p.entities();
            if id_rank[a as usize] > id_rank[b as usize] {
                std::mem::swap(&mut a, &mut b);
            }
            PairRow {
                a,
                b,
                count: p.count,
                count_a: marginals.marginal(window, a),
                count_b: marginals.marginal(window, b),
                documents: p.documents,
            }
        }));
        let windows = counts.totals.get(&period).map_or(0, |t| t.windows(window));
        row_groups.push(RowGroup { window, period, windows, rows: start..rows.len() });
        drop(sources);
        if freed >= GIVE_BACK_AFTER {
            crate::memory::give_back();
            freed = 0;
        }
    }
    PairRows { groups: row_groups, rows }
}

/// Bytes of pair counts freed, while the rows are made, before they are
/// given back to the system ([`crate::memory::give_back`]): the rows fill
/// memory of their own, so that freed counts held by the allocator add to
/// the peak. On the 500 MB benchmark corpus with `--by day` (627 MB of
/// rows), RSS rose by 556 MB while the rows were made when the counts
/// were given back only at the end, and by 343 MB with 8 MiB here; giving
/// back after every one of the 4,122 groups cost no time to be seen.
const GIVE_BACK_AFTER: usize = 8 << 20;

/// The counts of the entities of one period, found by entity index: each
/// row reads two of them, where a binary search over the counts of every
/// period (millions of them with `--by`) missed the caches at every step.
struct PeriodCounts<'a> {
    /// The period's counts, sorted by entity.
    counts: &'a [((PeriodKey, u32), EntityCounts)],
    /// Per entity index, its place in `counts` plus one; 0 when absent.
    place: Vec<u32>,
}

impl<'a> PeriodCounts<'a> {
    /// Room for `entities` entity indices, and no period yet.
    fn new(entities: usize) -> PeriodCounts<'a> {
        PeriodCounts { counts: &[], place: vec![0; entities] }
    }

    /// Makes it hold the counts of `period`.
    fn of_period(&mut self, counts: &'a Counts, period: PeriodKey) {
        for &((_, e), _) in self.counts {
            self.place[e as usize] = 0;
        }
        let all = &counts.entities;
        let start = all.partition_point(|e| e.0 .0 < period);
        let end = start + all[start..].partition_point(|e| e.0 .0 == period);
        self.counts = &all[start..end];
        for (i, &((_, e), _)) in self.counts.iter().enumerate() {
            if e as usize >= self.place.len() {
                self.place.resize(e as usize + 1, 0);
            }
            self.place[e as usize] = i as u32 + 1;
        }
    }

    /// [`Counts::marginal`] of `entity` in the period.
    fn marginal(&self, window: Window, entity: u32) -> u64 {
        let c = match self.place.get(entity as usize) {
            Some(&i) if i > 0 => self.counts[i as usize - 1].1,
            _ => EntityCounts::default(),
        };
        c.of_window(window)
    }
}

/// Each entity's place in the order of ids (ids are unique).
pub(crate) fn id_ranks(entities: &[Entity]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..entities.len() as u32).collect();
    order.sort_unstable_by(|x, y| id_order(entities, *x, *y));
    let mut rank = vec![0; entities.len()];
    for (place, e) in order.into_iter().enumerate() {
        rank[e as usize] = place as u32;
    }
    rank
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
            .int(c.mentions)
            .int(c.documents)
            .int(c.paragraphs)
            .int(c.sentences);
        row.write_to(w)?;
    }
    Ok(())
}

/// Writes `cooccurrence.csv` from rows made by [`pair_rows`].
pub fn write_cooccurrence(w: &mut dyn Write, rows: &PairRows, entities: &[Entity], by: By) -> io::Result<()> {
    w.write_all(&header(COOCCURRENCE_COLUMNS))?;
    let fields = EntityFields::of_rows(entities, &rows.rows);
    write_rows(w, &rows.rows, &rows.groups, by, |row, g, r, window, period| {
        let (a, b) = (fields.of(r.a), fields.of(r.b));
        row.text(window)
            .text(period)
            .encoded(&a.id)
            .encoded(&b.id)
            .encoded(&a.etype)
            .encoded(&b.etype)
            .encoded(&a.name)
            .encoded(&b.name)
            .int(r.count)
            .int(r.count_a)
            .int(r.count_b)
            .int(g.windows)
            .int(r.documents);
        match g.measures(r) {
            Some(m) => {
                for x in [m.pmi, m.npmi, m.llr, m.dice, m.jaccard] {
                    row.g6(x);
                }
            }
            None => {
                for _ in 0..5 {
                    row.empty();
                }
            }
        }
    })
}

/// Rows formatted together, by one thread of rayon's pool.
const ROWS_PER_CHUNK: usize = 2048;

/// Bytes reserved per row of a pair table (`cooccurrence.csv`, `edges.csv`).
const PAIR_ROW_BYTES: usize = 192;

/// Chunks formatted side by side while the batch before them is written:
/// the formatted lines held at once stay a few megabytes, whatever the
/// table's size.
const CHUNKS_PER_BATCH: usize = 4;

/// Writes one line per row of `rows`, in order, its fields put in by `fill`
/// (given the row's window and period labels).
///
/// A large table is most of the work left after tagging, and one thread
/// formatting it was the longest stretch of the end of a run (500 MB with
/// `--discover`: `cooccurrence.csv` took 0.95 s of the 1.25 s after
/// tagging, the other tables half that): chunks of rows are formatted on
/// rayon's pool, a batch at a time, while this thread writes the batch
/// before. The bytes are the same as one thread's.
fn write_rows(
    w: &mut dyn Write,
    rows: &[PairRow],
    groups: &[RowGroup],
    by: By,
    fill: impl Fn(&mut Row, &RowGroup, &PairRow, &str, &str) + Sync,
) -> io::Result<()> {
    // Each chunk finds its own group and labels: a chunk may begin anywhere in a group.
    let format = |chunk: std::ops::Range<usize>| {
        // Sized for the rows written at once: growing a chunk's buffer from
        // empty copied it a dozen times (a row of the pair tables is
        // about 160 bytes; a longer one grows the buffer once).
        let mut row = Row::appending_to(Vec::with_capacity(chunk.len() * PAIR_ROW_BYTES));
        let mut labels = GroupLabels::new(by);
        let mut g = group_of(groups, chunk.start);
        for i in chunk {
            while groups[g].rows.end <= i {
                g += 1;
            }
            let group = &groups[g];
            let (window, period) = labels.of(group);
            fill(&mut row, group, &rows[i], window, period);
            row.end_line();
        }
        row.into_bytes()
    };
    let chunks = |batch: std::ops::Range<usize>| {
        (batch.start..batch.end).step_by(ROWS_PER_CHUNK).map(move |i| i..(i + ROWS_PER_CHUNK).min(batch.end))
    };
    let format_batch = |batch: std::ops::Range<usize>| -> Vec<Vec<u8>> {
        chunks(batch).collect::<Vec<_>>().into_par_iter().map(format).collect()
    };
    let all = span(groups);
    let mut batches = (all.start..all.end)
        .step_by(ROWS_PER_CHUNK * CHUNKS_PER_BATCH)
        .map(|i| i..(i + ROWS_PER_CHUNK * CHUNKS_PER_BATCH).min(all.end));
    let mut formatted = batches.next().map(format_batch);
    while let Some(done) = formatted.take() {
        let following = batches.next();
        let mut next = None;
        // `in_place_scope`: the writer (not `Send`) stays on this thread.
        let written = rayon::in_place_scope(|scope| {
            if let Some(batch) = following {
                scope.spawn(|_| next = Some(format_batch(batch)));
            }
            done.iter().try_for_each(|buf| w.write_all(buf))
        });
        written?;
        formatted = next;
    }
    Ok(())
}

/// The CSV fields of the entities a table names, each encoded once: a large
/// table names the same entities on many rows.
struct EntityFields<'a> {
    entities: &'a [Entity],
    encoded: Vec<Option<Box<Encoded>>>,
}

/// One entity's fields, encoded by [`push_quoted`].
struct Encoded {
    id: Vec<u8>,
    etype: Vec<u8>,
    name: Vec<u8>,
}

impl<'a> EntityFields<'a> {
    /// The fields of the entities that `rows` name, encoded.
    fn of_rows(entities: &'a [Entity], rows: &[PairRow]) -> EntityFields<'a> {
        let mut fields = EntityFields { entities, encoded: (0..entities.len()).map(|_| None).collect() };
        for r in rows {
            fields.prepare(r.a);
            fields.prepare(r.b);
        }
        fields
    }

    /// Encodes entity `e`'s fields if not done yet.
    fn prepare(&mut self, e: u32) {
        let entity = &self.entities[e as usize];
        self.encoded[e as usize].get_or_insert_with(|| {
            let field = |s: &str| {
                let mut out = Vec::with_capacity(s.len());
                push_quoted(&mut out, s);
                out
            };
            Box::new(Encoded { id: field(&entity.id), etype: field(&entity.etype), name: field(&entity.name) })
        });
    }

    /// Entity `e`'s fields, once [`EntityFields::prepare`]d.
    fn of(&self, e: u32) -> &Encoded {
        self.encoded[e as usize].as_deref().expect("prepared before use")
    }
}

/// The window and period labels of the row group being written: rows come
/// grouped by window and period, so each label is made once a group.
struct GroupLabels {
    by: By,
    key: Option<(Window, PeriodKey)>,
    window: String,
    period: String,
}

impl GroupLabels {
    fn new(by: By) -> GroupLabels {
        GroupLabels { by, key: None, window: String::new(), period: String::new() }
    }

    fn of(&mut self, g: &RowGroup) -> (&str, &str) {
        if self.key != Some((g.window, g.period)) {
            self.key = Some((g.window, g.period));
            self.window = g.window.to_string();
            self.period = self.by.label(g.period);
        }
        (&self.window, &self.period)
    }
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
        row.text(&entity.id).text(&entity.name).text(&entity.etype).int(mentions).int(documents);
        row.write_to(w)?;
    }
    Ok(())
}

/// Writes `edges.csv`: the rows of the first `--window`, in cooccurrence order.
pub fn write_edges(w: &mut dyn Write, rows: &PairRows, first: Window, entities: &[Entity], by: By) -> io::Result<()> {
    w.write_all(&header(EDGES_COLUMNS))?;
    let groups = rows.of_window(first)?;
    let fields = EntityFields::of_rows(entities, &rows.rows[span(groups)]);
    write_rows(w, &rows.rows, groups, by, |row, g, r, window, period| {
        row.encoded(&fields.of(r.a).id)
            .encoded(&fields.of(r.b).id)
            .text("Undirected")
            .int(r.count)
            .text(window)
            .text(period);
        match g.npmi(r) {
            Some(npmi) => row.g6(npmi),
            None => row.empty(),
        };
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::{Counter, DocShape};
    use crate::tag::Mention;

    fn mention(entity: u32, token: u32, sentence: u32) -> Mention {
        Mention::at_token(entity, token, sentence, 0)
    }

    #[test]
    fn pair_rows_are_in_table_order() {
        // Three windows and three periods: nine groups, each with its own
        // sort (rayon's, which may run on one thread for groups this small).
        let windows = [Window::Sentence, Window::Document, Window::Tokens(2)];
        let mut counter = Counter::new(&windows);
        for doc in 0..300u32 {
            let mentions: Vec<Mention> =
                (0..2 + doc % 9).map(|i| mention((doc * 7 + i * 3) % 23, i * 2, i / 3)).collect();
            let shape = DocShape { tokens: 40, sentences: 4, paragraphs: 1 };
            counter.add_document((doc % 3) as PeriodKey, shape, &mentions);
        }
        let counts = counter.finish();
        // Ids in another order than the entity numbers.
        let entities: Vec<Entity> = (0..23)
            .map(|i| Entity { id: format!("E{}", (i * 5) % 23), etype: "country".into(), name: format!("N{i}") })
            .collect();
        let rows = pair_rows(&mut counts.clone(), &entities, 1);
        assert_eq!(rows.len(), counts.pairs.values().map(Vec::len).sum::<usize>());
        assert_eq!(counts.pairs.len(), 9);
        // The groups cover the rows one after the other, none empty.
        assert_eq!(rows.groups.len(), 9);
        assert_eq!(rows.groups[0].rows.start, 0);
        assert_eq!(rows.groups[8].rows.end, rows.len());
        assert!(rows.groups.windows(2).all(|g| g[0].rows.end == g[1].rows.start));
        assert!(rows.groups.iter().all(|g| !g.rows.is_empty()));
        // Window label, period, count descending, then ids: each row after the last.
        let key = |(g, r): (&RowGroup, &PairRow)| {
            let id = |e: u32| entities[e as usize].id.clone();
            (g.window.to_string(), g.period, std::cmp::Reverse(r.count), id(r.a), id(r.b))
        };
        let keys: Vec<_> = rows.iter().map(key).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "rows out of table order");
        // Every row's counts are its pair's.
        for (g, r) in rows.iter() {
            let w = windows.iter().position(|x| *x == g.window).unwrap();
            let pairs = &counts.pairs[&(w, g.period)];
            let p = pairs.iter().find(|p| p.entities() == (r.a.min(r.b), r.a.max(r.b))).unwrap();
            assert_eq!((r.count, r.documents), (p.count, p.documents));
            assert_eq!(r.count_a, counts.marginal(g.window, g.period, r.a));
            assert_eq!(r.count_b, counts.marginal(g.window, g.period, r.b));
            assert_eq!(g.windows, counts.totals[&g.period].windows(g.window));
        }
        // A bound that keeps some rows of a group and none of others.
        let mut taken = counts.clone();
        let some = pair_rows(&mut taken, &entities, 3);
        assert!(taken.pairs.is_empty(), "the pair counts are taken");
        assert_eq!((taken.entities, taken.totals), (counts.entities, counts.totals));
        let expected: Vec<_> = keys.iter().filter(|k| k.2 .0 >= 3).cloned().collect();
        assert!(!expected.is_empty() && expected.len() < keys.len());
        assert_eq!(some.iter().map(key).collect::<Vec<_>>(), expected);
        assert!(some.groups.iter().all(|g| !g.rows.is_empty()));
    }

    /// Rows over two windows and several periods, more than one batch of
    /// [`write_rows`].
    fn many_rows() -> (PairRows, Vec<Entity>) {
        let entities: Vec<Entity> = (0..40)
            .map(|i| Entity { id: format!("E{i:02}"), etype: "person".into(), name: format!("Name, {i}") })
            .collect();
        let n = ROWS_PER_CHUNK * CHUNKS_PER_BATCH * 2 + 123;
        let mut rows = PairRows::default();
        for i in 0..n as u64 {
            let window = if i < n as u64 / 3 { Window::Document } else { Window::Sentence };
            let period = (2020_0000 + (1 + i / 5000) * 100) as PeriodKey;
            if rows.groups.last().map(|g| (g.window, g.period)) != Some((window, period)) {
                let start = rows.len();
                rows.groups.push(RowGroup { window, period, windows: 1000 + i, rows: start..start });
            }
            rows.rows.push(PairRow {
                a: (i % 39) as u32,
                b: 39,
                count: 1 + i % 7,
                count_a: 10 + i % 13,
                count_b: 20 + i % 11,
                documents: 1 + i % 5,
            });
            rows.groups.last_mut().expect("a group").rows.end += 1;
        }
        assert!(rows.groups.len() > 3);
        (rows, entities)
    }

    /// Row `r` of group `g` as a table of its own.
    fn alone(g: &RowGroup, r: &PairRow) -> PairRows {
        PairRows { groups: vec![RowGroup { rows: 0..1, ..g.clone() }], rows: vec![*r] }
    }

    /// The table's lines after its header, as `write` writes them.
    fn body(write: impl Fn(&mut Vec<u8>) -> io::Result<()>) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        let header_end = out.iter().position(|&b| b == b'\n').unwrap() + 1;
        out.split_off(header_end)
    }

    #[test]
    fn tables_written_in_chunks_are_the_rows_written_one_by_one() {
        let (rows, entities) = many_rows();
        let by = By::Month;
        let whole = body(|w| write_cooccurrence(w, &rows, &entities, by));
        let one_by_one: Vec<u8> =
            rows.iter().flat_map(|(g, r)| body(|w| write_cooccurrence(w, &alone(g, r), &entities, by))).collect();
        assert_eq!(whole.iter().filter(|&&b| b == b'\n').count(), rows.len());
        assert!(whole == one_by_one, "cooccurrence.csv differs when written in chunks");
        for first in [Window::Document, Window::Sentence] {
            let whole = body(|w| write_edges(w, &rows, first, &entities, by));
            let one_by_one: Vec<u8> = rows
                .iter()
                .filter(|(g, _)| g.window == first)
                .flat_map(|(g, r)| body(|w| write_edges(w, &alone(g, r), first, &entities, by)))
                .collect();
            assert!(!whole.is_empty() && whole == one_by_one, "edges.csv of {first} differs when written in chunks");
        }
    }

    #[test]
    fn edges_refuse_a_window_split_in_two() {
        // The rows as `pair_rows` never orders them: a sentence row between
        // document rows. A short edges.csv would lose the last stretch.
        let (mut rows, entities) = many_rows();
        let last_document = rows.groups.iter().rposition(|g| g.window == Window::Document).unwrap();
        assert!(last_document > 0);
        let sentence = rows.groups.iter().position(|g| g.window == Window::Sentence).unwrap();
        rows.groups.swap(last_document - 1, sentence);
        let err = write_edges(&mut Vec::new(), &rows, Window::Document, &entities, By::Month).unwrap_err();
        assert!(err.to_string().contains("not together"), "{err}");
        assert!(write_edges(&mut Vec::new(), &rows, Window::Sentence, &entities, By::Month).is_err());
    }

    /// A writer that fails once `room` bytes are written.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if buf.len() > self.room {
                return Err(io::Error::other("disk full"));
            }
            self.room -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_error_in_any_batch_is_returned() {
        let (rows, entities) = many_rows();
        let mut all = Vec::new();
        write_cooccurrence(&mut all, &rows, &entities, By::Year).unwrap();
        // Failing in the header, in the first batch, in a later one, at the last byte.
        let header = header(COOCCURRENCE_COLUMNS).len();
        for room in [10, header + 10, all.len() / 2, all.len() - 1] {
            let err = write_cooccurrence(&mut Full { room }, &rows, &entities, By::Year).unwrap_err();
            assert_eq!(err.to_string(), "disk full");
        }
        assert!(write_cooccurrence(&mut Full { room: all.len() }, &rows, &entities, By::Year).is_ok());
    }
}
