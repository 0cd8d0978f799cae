//! `network.gexf` (SPEC §4): the network of `nodes.csv` and `edges.csv` as a
//! GEXF 1.3 file for Gephi.
//!
//! Without `--by` the graph is static: one node per entity, one undirected
//! edge per pair of the first `--window`, weighted by its `count`.
//!
//! With `--by` the graph is dynamic (`timeformat="date"`), so that Gephi's
//! timeline plays the network over time: every node and edge has one spell
//! per period it appears in (`2022` → 2022-01-01 to 2022-12-31, `2022-12` →
//! the whole month, `2022-12-04` → that day), and the period's weight, NPMI
//! and mentions as dynamic values. The static values (`weight`, `mentions`,
//! `documents`) are the totals over all periods, as in `nodes.csv`, so the
//! file reads the same in a static tool. Period `undated` has no place on a
//! timeline: it gets no spell and no dynamic value, and a node or edge seen
//! only in undated documents is left out of the file (Gephi would otherwise
//! show an element without spells at every moment).
//!
//! Nodes are sorted by id and edges by (source, target) in byte order, and
//! edge ids number the edges in that order, so the bytes depend only on the
//! counts, never on the thread count or shard layout.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::{self, Write};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::count::Counts;
use crate::gazetteer::Entity;
use crate::output::tables::{id_ranks, span, PairRow, PairRows, RowGroup};
use crate::stats::push_g6;
use crate::window::{By, PeriodKey, Window, UNDATED};

/// Appends formatted text to a `String` (which cannot fail).
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// The GEXF 1.3 namespace.
pub const GEXF_NAMESPACE: &str = "http://gexf.net/1.3";

/// Writes `network.gexf` for the rows of the `first` window.
pub fn write_gexf(
    w: &mut dyn Write,
    counts: &Counts,
    rows: &PairRows,
    first: Window,
    entities: &[Entity],
    by: By,
) -> io::Result<()> {
    let dynamic = by != By::None;
    // Nodes: totals over all periods, and the dated periods they appear in.
    let mut nodes: BTreeMap<&[u8], NodeAcc> = BTreeMap::new();
    for &((period, e), c) in &counts.entities {
        let node = nodes.entry(entities[e as usize].id.as_bytes()).or_insert_with(|| NodeAcc::new(e));
        node.mentions += c.mentions;
        node.documents += c.documents;
        if period != UNDATED {
            node.periods.push((period, c.mentions));
        }
    }
    // Edges: one per pair, its rows in period order (see `edge_order`).
    let id_rank = id_ranks(entities);
    let groups = rows.of_window(first)?;
    let order = edge_order(&rows.rows, groups, &id_rank)?;
    if dynamic {
        nodes.retain(|_, n| !n.periods.is_empty());
    }

    let spells = Spells::of_periods(by, counts.totals.keys().copied());
    let mut out = String::with_capacity(1 << 16);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    out.push_str("  <meta>\n");
    put!(out, "    <creator>cotag {}</creator>\n", env!("CARGO_PKG_VERSION"));
    let slicing = if dynamic {
        format!("; one spell per {} (undated documents counted in the totals only)", by.as_str())
    } else {
        String::new()
    };
    put!(
        out,
        "    <description>co-occurrence of entities in the same {}; weight: windows holding both{}</description>\n",
        Escaped(&first.to_string()),
        Escaped(&slicing)
    );
    out.push_str("  </meta>\n");
    if dynamic {
        out.push_str("  <graph mode=\"dynamic\" defaultedgetype=\"undirected\" timeformat=\"date\" timerepresentation=\"interval\">\n");
    } else {
        out.push_str("  <graph mode=\"static\" defaultedgetype=\"undirected\">\n");
    }
    out.push_str("    <attributes class=\"node\" mode=\"static\">\n");
    out.push_str("      <attribute id=\"type\" title=\"type\" type=\"string\"/>\n");
    out.push_str("      <attribute id=\"mentions\" title=\"mentions\" type=\"long\"/>\n");
    out.push_str("      <attribute id=\"documents\" title=\"documents\" type=\"long\"/>\n");
    out.push_str("    </attributes>\n");
    if dynamic {
        out.push_str("    <attributes class=\"node\" mode=\"dynamic\">\n");
        out.push_str("      <attribute id=\"period_mentions\" title=\"period_mentions\" type=\"long\"/>\n");
        out.push_str("    </attributes>\n");
        // Gephi reads `<attvalue for="weight">` as the edge's weight over time.
        out.push_str("    <attributes class=\"edge\" mode=\"dynamic\">\n");
        out.push_str("      <attribute id=\"weight\" title=\"Weight\" type=\"double\"/>\n");
        out.push_str("      <attribute id=\"npmi\" title=\"npmi\" type=\"double\"/>\n");
        out.push_str("    </attributes>\n");
    } else {
        out.push_str("    <attributes class=\"edge\" mode=\"static\">\n");
        out.push_str("      <attribute id=\"npmi\" title=\"npmi\" type=\"double\"/>\n");
        out.push_str("    </attributes>\n");
    }

    out.push_str("    <nodes>\n");
    for node in nodes.values() {
        let entity = &entities[node.entity as usize];
        put!(out, "      <node id=\"{}\" label=\"{}\">\n", Escaped(&entity.id), Escaped(&entity.name));
        out.push_str("        <attvalues>\n");
        put!(out, "          <attvalue for=\"type\" value=\"{}\"/>\n", Escaped(&entity.etype));
        put!(out, "          <attvalue for=\"mentions\" value=\"{}\"/>\n", node.mentions);
        put!(out, "          <attvalue for=\"documents\" value=\"{}\"/>\n", node.documents);
        if dynamic {
            for &(period, mentions) in &node.periods {
                put!(
                    out,
                    "          <attvalue for=\"period_mentions\" value=\"{mentions}\" {}/>\n",
                    &spells.of(period)
                );
            }
        }
        out.push_str("        </attvalues>\n");
        if dynamic {
            let mut periods: Vec<PeriodKey> = node.periods.iter().map(|p| p.0).collect();
            periods.sort_unstable();
            periods.dedup();
            push_spells(&mut out, &spells, &periods);
        }
        out.push_str("      </node>\n");
    }
    out.push_str("    </nodes>\n");

    out.push_str("    <edges>\n");
    w.write_all(out.as_bytes())?;
    out.clear();
    let edges = EdgeWriter { rows, groups, ids: entity_ids(entities, rows, groups), spells: &spells, dynamic };
    edges.write(w, &order)?;
    out.push_str("    </edges>\n");
    out.push_str("  </graph>\n");
    out.push_str("</gexf>\n");
    w.write_all(out.as_bytes())
}

/// The rows of `groups` (consecutive, in period order) in the order of the
/// file's edges: by the id ranks of their pair (`a` ranks first), and a
/// pair's rows in period order, which is the order of their places.
///
/// Only the rows' places are held, four bytes a row: with `--by day` the
/// network's window has tens of millions of rows, and sorting them as keys
/// of pair and place with a radix sort's second buffer took 32 bytes a row
/// (450 MB of the 500 MB benchmark corpus's 1.3 GB peak). The places are
/// dealt out by their first entity's rank, in increasing order (a counting
/// sort, which keeps a pair's periods in order), and each entity's stretch
/// is then sorted by the second rank and place, stretches side by side.
fn edge_order(rows: &[PairRow], groups: &[RowGroup], id_rank: &[u32]) -> io::Result<Vec<u32>> {
    let span = span(groups);
    if span.end > u32::MAX as usize {
        return Err(io::Error::other(format!("{} rows are too many for one network file", span.end)));
    }
    let rank_a = |i: usize| id_rank[rows[i].a as usize] as usize;
    // Where each first entity's stretch starts, then where its next place goes.
    let mut next = vec![0usize; id_rank.len() + 1];
    for i in span.clone() {
        next[rank_a(i) + 1] += 1;
    }
    for e in 1..next.len() {
        next[e] += next[e - 1];
    }
    let mut order = vec![0u32; span.len()];
    for i in span.clone() {
        let place = &mut next[rank_a(i)];
        order[*place] = i as u32;
        *place += 1;
    }
    // The stretches of two rows or more, in order (those of one are sorted).
    let mut stretches = Vec::new();
    let mut rest = &mut order[..];
    let mut at = 0;
    for &end in &next[..id_rank.len()] {
        let (head, tail) = rest.split_at_mut(end - at);
        if head.len() > 1 {
            stretches.push(head);
        }
        rest = tail;
        at = end;
    }
    stretches.into_par_iter().for_each_init(Vec::new, |keys: &mut Vec<u64>, stretch| {
        keys.clear();
        keys.extend(stretch.iter().map(|&i| u64::from(id_rank[rows[i as usize].b as usize]) << 32 | u64::from(i)));
        keys.sort_unstable();
        for (place, key) in stretch.iter_mut().zip(keys.iter()) {
            *place = *key as u32;
        }
    });
    Ok(order)
}

/// Rows of edges formatted by one task of rayon's pool, about.
const ROWS_PER_PIECE: usize = 16 * 1024;

/// Pieces formatted side by side, then written: the formatted edges held at
/// once stay tens of megabytes, whatever the network's size.
const PIECES_PER_BATCH: usize = 4;

/// `order` (rows in edge order, a pair's rows side by side) cut into
/// stretches of about [`ROWS_PER_PIECE`], each ending where a pair does.
fn pieces_of(rows: &[PairRow], order: &[u32]) -> Vec<std::ops::Range<usize>> {
    let pair = |k: usize| {
        let r = &rows[order[k] as usize];
        (r.a, r.b)
    };
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = (start + ROWS_PER_PIECE).min(order.len());
        while end < order.len() && pair(end) == pair(end - 1) {
            end += 1;
        }
        pieces.push(start..end);
        start = end;
    }
    pieces
}

/// The escaped ids of the entities that the rows of `groups` name (empty
/// for the others), made once for the file's edges.
fn entity_ids(entities: &[Entity], rows: &PairRows, groups: &[RowGroup]) -> Vec<String> {
    let mut named = vec![false; entities.len()];
    for group in groups {
        for r in &rows.rows[group.rows.clone()] {
            named[r.a as usize] = true;
            named[r.b as usize] = true;
        }
    }
    entities
        .iter()
        .zip(named)
        .map(|(e, named)| if named { Escaped(&e.id).to_string() } else { String::new() })
        .collect()
}

/// What formatting the edges needs, shared by the tasks that do it.
struct EdgeWriter<'a> {
    rows: &'a PairRows,
    /// The groups of the network's window, in period order.
    groups: &'a [RowGroup],
    /// Escaped ids by entity index ([`entity_ids`]).
    ids: Vec<String>,
    spells: &'a Spells,
    dynamic: bool,
}

impl EdgeWriter<'_> {
    /// Writes the edges of `order` (rows in edge order, [`edge_order`]),
    /// numbered from 0.
    ///
    /// Edges are most of a large network (3.2 GB of the 500 MB benchmark
    /// corpus's with `--by day`), and one thread writing them was the last
    /// to finish: they are formatted in pieces on rayon's pool, a batch at a
    /// time. A piece ends where a pair does, and each piece's edges are
    /// counted first, so that each knows the number of its first edge.
    fn write(&self, w: &mut dyn Write, order: &[u32]) -> io::Result<()> {
        let pieces = pieces_of(&self.rows.rows, order);
        let counts: Vec<usize> = pieces.par_iter().map(|p| self.count(&order[p.clone()])).collect();
        let mut firsts = Vec::with_capacity(counts.len());
        let mut first = 0;
        for n in counts {
            firsts.push(first);
            first += n;
        }
        for (batch, firsts) in pieces.chunks(PIECES_PER_BATCH).zip(firsts.chunks(PIECES_PER_BATCH)) {
            let formatted: Vec<io::Result<String>> =
                batch.par_iter().zip(firsts).map(|(p, &first)| self.format(&order[p.clone()], first)).collect();
            for piece in formatted {
                w.write_all(piece?.as_bytes())?;
            }
        }
        Ok(())
    }

    /// Row `i`, and the group (window and period) it stands in, found
    /// once a row: a binary search among the groups at every use of a row
    /// made the file nearly three times as costly with `--by month`.
    fn at(&self, i: u32) -> (&RowGroup, &PairRow) {
        let i = i as usize;
        (&self.groups[self.groups.partition_point(|g| g.rows.end <= i)], &self.rows.rows[i])
    }

    /// Whether rows `x` and `y` are of the same pair.
    fn same_pair(&self, x: u32, y: u32) -> bool {
        let (x, y) = (&self.rows.rows[x as usize], &self.rows.rows[y as usize]);
        (x.a, x.b) == (y.a, y.b)
    }

    /// Whether a pair with these rows is an edge of the file: with `--by`,
    /// one seen in a dated period.
    fn is_edge(&self, same_pair: &[u32]) -> bool {
        !self.dynamic || same_pair.iter().any(|&i| self.at(i).0.period != UNDATED)
    }

    /// How many edges the rows of `order` (whole pairs) make.
    fn count(&self, order: &[u32]) -> usize {
        order.chunk_by(|&x, &y| self.same_pair(x, y)).filter(|same_pair| self.is_edge(same_pair)).count()
    }

    /// The edges of the rows of `order` (whole pairs), numbered from `first`.
    fn format(&self, order: &[u32], first: usize) -> io::Result<String> {
        let mut out = String::with_capacity(order.len() * if self.dynamic { 320 } else { 120 });
        let mut number = itoa::Buffer::new();
        let mut digits = Vec::with_capacity(24);
        // The rows of the pair being written, and their dated periods.
        let mut values: Vec<(&RowGroup, &PairRow)> = Vec::new();
        let mut periods: Vec<PeriodKey> = Vec::new();
        let mut n = first;
        for same_pair in order.chunk_by(|&x, &y| self.same_pair(x, y)) {
            if !self.is_edge(same_pair) {
                continue;
            }
            values.clear();
            values.extend(same_pair.iter().map(|&i| self.at(i)));
            periods.clear();
            periods.extend(values.iter().map(|v| v.0.period).filter(|&p| p != UNDATED));
            let (a, b) = (values[0].1.a, values[0].1.b);
            let weight: u64 = values.iter().map(|v| v.1.count).sum();
            out.push_str("      <edge id=\"e");
            out.push_str(number.format(n));
            n += 1;
            for (attribute, e) in [("\" source=\"", a), ("\" target=\"", b)] {
                out.push_str(attribute);
                out.push_str(&self.ids[e as usize]);
            }
            out.push_str("\" weight=\"");
            out.push_str(number.format(weight));
            let npmi = |(group, row): &(&RowGroup, &PairRow)| group.npmi(row).filter(|x| x.is_finite());
            if !self.dynamic {
                // One line an edge: indenting its attribute values took a third
                // of each edge's bytes (a sixth of the file with --discover on
                // the benchmark corpus), for a file no one reads by eye.
                match npmi(&values[0]) {
                    Some(npmi) => {
                        out.push_str("\"><attvalues><attvalue for=\"npmi\" value=\"");
                        push_g6_str(&mut out, &mut digits, npmi);
                        out.push_str("\"/></attvalues></edge>\n");
                    }
                    None => out.push_str("\"/>\n"),
                }
                continue;
            }
            out.push_str("\">\n");
            // The rows of one pair have distinct periods in increasing
            // order (see `edge_order`), as the spells must be.
            if values.windows(2).any(|v| v[0].0.period >= v[1].0.period) {
                return Err(io::Error::other("internal error: a pair's rows are not in period order"));
            }
            out.push_str("        <attvalues>\n");
            for v in values.iter().filter(|v| v.0.period != UNDATED) {
                let dates = self.spells.of(v.0.period);
                out.push_str("          <attvalue for=\"weight\" value=\"");
                out.push_str(number.format(v.1.count));
                out.push_str("\" ");
                out.push_str(&dates);
                out.push_str("/>\n");
                if let Some(npmi) = npmi(v) {
                    out.push_str("          <attvalue for=\"npmi\" value=\"");
                    push_g6_str(&mut out, &mut digits, npmi);
                    out.push_str("\" ");
                    out.push_str(&dates);
                    out.push_str("/>\n");
                }
            }
            out.push_str("        </attvalues>\n");
            push_spells(&mut out, self.spells, &periods);
            out.push_str("      </edge>\n");
        }
        Ok(out)
    }
}

/// Appends `x` with six significant digits ([`push_g6`]) to a string;
/// `digits` is working space.
fn push_g6_str(out: &mut String, digits: &mut Vec<u8>, x: f64) {
    digits.clear();
    push_g6(digits, x);
    out.push_str(std::str::from_utf8(digits).expect("push_g6 writes ASCII"));
}

/// A node's totals while they are summed.
struct NodeAcc {
    entity: u32,
    mentions: u64,
    documents: u64,
    /// Dated periods and the mentions in each.
    periods: Vec<(PeriodKey, u64)>,
}

impl NodeAcc {
    fn new(entity: u32) -> NodeAcc {
        NodeAcc { entity, mentions: 0, documents: 0, periods: Vec::new() }
    }
}

/// Writes the `<spells>` of an element seen in `periods` (dated, distinct,
/// in increasing order).
fn push_spells(out: &mut String, spells: &Spells, periods: &[PeriodKey]) {
    out.push_str("        <spells>\n");
    for &period in periods {
        out.push_str("          <spell ");
        out.push_str(&spells.of(period));
        out.push_str("/>\n");
    }
    out.push_str("        </spells>\n");
}

/// The `start="..." end="..."` attributes of each period, written once for
/// the file (formatting them for every value was most of the file's time)
/// and then shared by the threads that write the edges.
struct Spells {
    by: By,
    written: FxHashMap<PeriodKey, String>,
}

impl Spells {
    /// The attributes of every dated period of `periods`.
    fn of_periods(by: By, periods: impl Iterator<Item = PeriodKey>) -> Spells {
        let mut written = FxHashMap::default();
        for period in periods.filter(|&p| p != UNDATED) {
            written.entry(period).or_insert_with(|| spell_attributes(by, period));
        }
        Spells { by, written }
    }

    /// The attributes of the spell of `period` (see [`spell`]); made on the
    /// spot for a period not written up front, which a run never asks for.
    fn of(&self, period: PeriodKey) -> Cow<'_, str> {
        match self.written.get(&period) {
            Some(attributes) => Cow::Borrowed(attributes),
            None => Cow::Owned(spell_attributes(self.by, period)),
        }
    }
}

/// `start="..." end="..."` of the spell of `period`.
fn spell_attributes(by: By, period: PeriodKey) -> String {
    let (start, end) = spell(by, period);
    format!("start=\"{start}\" end=\"{end}\"")
}

/// The first and last day of a dated period, inclusive, as GEXF dates.
pub fn spell(by: By, period: PeriodKey) -> (String, String) {
    let (y, m, d) = (period / 10000, period / 100 % 100, period % 100);
    match by {
        By::Year => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
        By::Month => (format!("{y:04}-{m:02}-01"), format!("{y:04}-{m:02}-{:02}", days_in_month(y, m))),
        By::Day | By::None => (format!("{y:04}-{m:02}-{d:02}"), format!("{y:04}-{m:02}-{d:02}")),
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `s` escaped for an XML attribute or text node. Characters that XML 1.0
/// cannot hold at all (most control characters) become U+FFFD, and tabs and
/// line breaks are written as references so that attribute normalization
/// does not turn them into spaces.
pub fn escape(s: &str) -> String {
    Escaped(s).to_string()
}

/// `s`, displayed as [`escape`] writes it, without an intermediate string.
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut plain = 0;
        for (i, c) in self.0.char_indices() {
            let replacement = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                '\t' => "&#9;",
                '\n' => "&#10;",
                '\r' => "&#13;",
                '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => "\u{fffd}",
                _ => continue,
            };
            f.write_str(&self.0[plain..i])?;
            f.write_str(replacement)?;
            plain = i + c.len_utf8();
        }
        f.write_str(&self.0[plain..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three periods (one undated) of pairs among 800 entities, more rows
    /// than a batch of pieces holds, with a pair's rows in several periods;
    /// and the rows in edge order, with entity `e` of id rank `e`.
    fn network() -> (PairRows, Vec<u32>) {
        let mut rows = PairRows::default();
        for (g, period) in [20200100, 20200200, UNDATED].into_iter().enumerate() {
            let start = rows.len();
            for a in 0..700u32 {
                for b in a + 1..a + 2 + (a + g as u32) % 90 {
                    let row = PairRow { a, b, count: 1 + u64::from(a % 7), count_a: 9, count_b: 9, documents: 1 };
                    rows.rows.push(row);
                }
            }
            let group = RowGroup { window: Window::Document, period, windows: 1000, rows: start..rows.len() };
            rows.groups.push(group);
        }
        let ranks: Vec<u32> = (0..800).collect();
        let order = edge_order(&rows.rows, &rows.groups, &ranks).unwrap();
        (rows, order)
    }

    #[test]
    fn edge_order_sorts_by_the_ranks_of_the_pair_then_by_period() {
        // Ranks that are not the entity indices, and each period's rows in
        // table order (count descending), as `pair_rows` leaves them.
        let entities = 300u32;
        let rank = |e: u32| (e * 7919) % entities;
        let ranks: Vec<u32> = (0..entities).map(rank).collect();
        let mut rows = PairRows::default();
        for (g, period) in [20200100, 20200200, 20200300, UNDATED].into_iter().enumerate() {
            let start = rows.len();
            let mut group = Vec::new();
            for x in 0..entities {
                for y in x + 1..entities {
                    if (x * 31 + y * 17) % 11 < 2 || (x + y + g as u32) % 7 == 0 {
                        let (a, b) = if rank(x) < rank(y) { (x, y) } else { (y, x) };
                        let count = 1 + u64::from((x + y + g as u32) % 13);
                        group.push(PairRow { a, b, count, count_a: 99, count_b: 99, documents: 1 });
                    }
                }
            }
            group.sort_by_key(|r| (u64::MAX - r.count, rank(r.a), rank(r.b)));
            rows.rows.extend(group);
            rows.groups.push(RowGroup { window: Window::Sentence, period, windows: 9, rows: start..rows.len() });
        }
        let order = edge_order(&rows.rows, &rows.groups, &ranks).unwrap();
        let mut expected: Vec<u32> = (0..rows.len() as u32).collect();
        expected.sort_by_key(|&i| {
            let r = &rows.rows[i as usize];
            (rank(r.a), rank(r.b), i)
        });
        assert_eq!(order, expected);
        // Pairs seen in several periods keep them in increasing order.
        let pairs = order.chunk_by(|&x, &y| {
            let (x, y) = (&rows.rows[x as usize], &rows.rows[y as usize]);
            (x.a, x.b) == (y.a, y.b)
        });
        assert!(pairs.clone().any(|p| p.len() == 4));
        let group = |i: u32| rows.groups.iter().position(|g| g.rows.contains(&(i as usize))).unwrap();
        for pair in pairs {
            assert!(pair.windows(2).all(|w| group(w[0]) < group(w[1])), "{pair:?}");
        }
        // Only the groups given are ordered: the rows of the last period alone.
        let last = &rows.groups[3..];
        let order = edge_order(&rows.rows, last, &ranks).unwrap();
        assert_eq!(order.len(), last[0].rows.len());
        assert!(order.iter().all(|&i| last[0].rows.contains(&(i as usize))));
    }

    #[test]
    fn pieces_cover_the_rows_and_never_split_a_pair() {
        let (rows, order) = network();
        let pieces = pieces_of(&rows.rows, &order);
        assert!(pieces.len() > PIECES_PER_BATCH, "{} pieces", pieces.len());
        assert_eq!(pieces[0].start, 0);
        assert_eq!(pieces.last().unwrap().end, order.len());
        let pair = |k: usize| {
            let r = &rows.rows[order[k] as usize];
            (r.a, r.b)
        };
        for (p, q) in pieces.iter().zip(&pieces[1..]) {
            assert_eq!(p.end, q.start);
            assert_ne!(pair(p.end - 1), pair(q.start), "a pair split at {}", p.end);
            assert!(p.len() >= ROWS_PER_PIECE);
        }
    }

    #[test]
    fn edges_written_in_pieces_are_the_edges_written_at_once() {
        let (rows, order) = network();
        let entities: Vec<Entity> =
            (0..800).map(|i| Entity { id: format!("E<{i}>"), etype: "person".into(), name: format!("N{i}") }).collect();
        for by in [By::None, By::Month] {
            let spells = Spells::of_periods(by, [20200100, 20200200].into_iter());
            let edges = EdgeWriter {
                rows: &rows,
                groups: &rows.groups,
                ids: entity_ids(&entities, &rows, &rows.groups),
                spells: &spells,
                dynamic: by != By::None,
            };
            let whole = edges.format(&order, 0).unwrap();
            let mut pieces = Vec::new();
            edges.write(&mut pieces, &order).unwrap();
            assert!(whole.as_bytes() == pieces, "the edges differ when written in pieces ({by:?})");
            let first = edges.count(&order);
            // Numbered from 0 without a gap; pairs seen only undated are no edges with --by.
            assert_eq!(whole.matches("<edge id=").count(), first);
            assert!(whole.contains(&format!("<edge id=\"e{}\"", first - 1)));
            assert!(whole.contains("source=\"E&lt;0&gt;\""));
            let pairs = order.chunk_by(|&x, &y| edges.same_pair(x, y)).count();
            if by == By::None {
                assert_eq!(first, pairs);
            } else {
                assert!(first < pairs, "undated-only pairs left out");
            }
        }
    }

    #[test]
    fn spells_cover_whole_periods() {
        assert_eq!(spell(By::Year, 20220000), ("2022-01-01".into(), "2022-12-31".into()));
        assert_eq!(spell(By::Month, 20240200), ("2024-02-01".into(), "2024-02-29".into()));
        assert_eq!(spell(By::Month, 19000200), ("1900-02-01".into(), "1900-02-28".into()));
        assert_eq!(spell(By::Month, 20000200), ("2000-02-01".into(), "2000-02-29".into()));
        assert_eq!(spell(By::Month, 20221100), ("2022-11-01".into(), "2022-11-30".into()));
        assert_eq!(spell(By::Month, 20221200), ("2022-12-01".into(), "2022-12-31".into()));
        assert_eq!(spell(By::Day, 20221204), ("2022-12-04".into(), "2022-12-04".into()));
    }

    #[test]
    fn escapes_markup_and_unrepresentable_characters() {
        assert_eq!(escape(r#"AT&T <"x"> 'y'"#), "AT&amp;T &lt;&quot;x&quot;&gt; &apos;y&apos;");
        assert_eq!(escape("a\tb\nc\u{1}d"), "a&#9;b&#10;c\u{fffd}d");
        assert_eq!(escape("Côte d’Ivoire"), "Côte d’Ivoire");
    }
}
