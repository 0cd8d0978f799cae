//! Counting: window totals, entity marginals and pair co-occurrences, per
//! worker thread, merged at the end (SPEC §4).
//!
//! Pairs are packed into `u64` keys (`a << 32 | b`, entity indices, `a < b`).
//! A document's pairs are sorted and run-length counted, then appended to a
//! per-(window, period) buffer that is sorted and folded into a compact table
//! whenever it grows; no shared hash map sits on the hot path, so dense
//! documents cost a sort, not contention. The entries waiting to be folded
//! are bounded over all of a worker's tables too (`PENDING_FLOOR`), so
//! that `--by`, which spreads them over a table per period, does not hold
//! the corpus's every entry until the end.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::radix;
use crate::tag::Mention;
use crate::window::{PeriodKey, Window};

/// Counts of one entity in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EntityCounts {
    /// Mentions.
    pub mentions: u64,
    /// Documents that name it.
    pub documents: u64,
    /// Paragraphs that name it.
    pub paragraphs: u64,
    /// Sentences that name it.
    pub sentences: u64,
}

impl EntityCounts {
    /// How many windows of `window`'s kind these are the counts in: the
    /// documents, paragraphs or sentences, or the mentions for `tokens:N`.
    pub fn of_window(&self, window: Window) -> u64 {
        match window {
            Window::Document => self.documents,
            Window::Paragraph => self.paragraphs,
            Window::Sentence => self.sentences,
            Window::Tokens(_) => self.mentions,
        }
    }

    fn add(&mut self, other: &EntityCounts) {
        self.mentions += other.mentions;
        self.documents += other.documents;
        self.paragraphs += other.paragraphs;
        self.sentences += other.sentences;
    }
}

/// The windows of each kind in one period (empty ones included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeriodTotals {
    /// Documents with text.
    pub documents: u64,
    /// Paragraphs.
    pub paragraphs: u64,
    /// Sentences.
    pub sentences: u64,
    /// Word tokens.
    pub tokens: u64,
}

impl PeriodTotals {
    fn add(&mut self, other: &PeriodTotals) {
        self.documents += other.documents;
        self.paragraphs += other.paragraphs;
        self.sentences += other.sentences;
        self.tokens += other.tokens;
    }

    /// The `windows` value of a window kind: how many windows of it there are.
    pub fn windows(&self, window: Window) -> u64 {
        match window {
            Window::Document => self.documents,
            Window::Paragraph => self.paragraphs,
            Window::Sentence => self.sentences,
            Window::Tokens(_) => self.tokens,
        }
    }
}

/// The co-occurrence of one pair in one window kind and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairCount {
    /// `a << 32 | b` with entity indices `a < b`.
    pub key: u64,
    /// Windows holding both (or mention pairs, for `tokens:N`).
    pub count: u64,
    /// Documents in which the pair shares a window.
    pub documents: u64,
}

impl PairCount {
    /// The two entity indices.
    pub fn entities(&self) -> (u32, u32) {
        ((self.key >> 32) as u32, self.key as u32)
    }
}

/// Packs a pair of distinct entity indices in order.
fn pair_key(x: u32, y: u32) -> u64 {
    let (a, b) = if x < y { (x, y) } else { (y, x) };
    (a as u64) << 32 | b as u64
}

/// Pair entries (pending or folded) of the tables merged between two
/// returns of freed memory to the system, in [`Counter::merge`].
const MERGED_BEFORE_GIVING_BACK: usize = 1 << 20;

/// Pair counts of one (window, period), growing by appends and folded by sorting.
#[derive(Debug, Default)]
struct PairTable {
    /// (key, count in one document), one entry per document and pair.
    pending: Vec<(u64, u32)>,
    /// Folded counts, sorted by key.
    folded: Vec<PairCount>,
}

impl PairTable {
    /// Whether `pending` has grown enough to be folded. Folding when pending
    /// outgrows the folded table keeps the total work near n log n while
    /// memory stays near the number of distinct pairs.
    fn wants_fold(&self) -> bool {
        self.pending.len() >= (1 << 18).max(self.folded.len())
    }

    /// Sorts `pending` and merges it into `folded`.
    fn fold(&mut self, scratch: &mut FoldScratch) {
        if self.pending.is_empty() {
            return;
        }
        radix::sort_by_key(&mut self.pending, &mut scratch.sorted);
        let runs = &mut scratch.runs;
        runs.clear();
        for &(key, count) in &self.pending {
            match runs.last_mut() {
                Some(last) if last.key == key => {
                    last.count += u64::from(count);
                    last.documents += 1;
                }
                _ => runs.push(PairCount { key, count: u64::from(count), documents: 1 }),
            }
        }
        self.pending.clear();
        merge_into(&mut self.folded, runs);
    }
}

/// Working space for folding pair tables, shared by a counter's tables.
#[derive(Debug, Default)]
struct FoldScratch {
    /// For the radix sort.
    sorted: Vec<(u64, u32)>,
    /// The sorted pending entries, one per pair.
    runs: Vec<PairCount>,
}

/// Merges `fresh` into `folded` (both sorted, keys distinct), adding up
/// the counts of a pair in both.
///
/// The merge is done in place, from the back, into `folded` grown to its
/// new length: a table of millions of pairs is rewritten where it is,
/// where a merge into a new table took fresh memory, which the system had
/// to fault in and zero at every fold.
fn merge_into(folded: &mut Vec<PairCount>, fresh: &[PairCount]) {
    let old = folded.len();
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < old && j < fresh.len() {
        match folded[i].key.cmp(&fresh[j].key) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let new_len = old + fresh.len() - shared;
    folded.resize(new_len, PairCount { key: 0, count: 0, documents: 0 });
    // `k - i` is the number of fresh pairs not yet placed that `folded`
    // lacks, so a write at `k - 1` never overwrites a pair still to be read.
    let (mut i, mut j, mut k) = (old, fresh.len(), new_len);
    while j > 0 {
        let f = fresh[j - 1];
        k -= 1;
        if i > 0 && folded[i - 1].key > f.key {
            folded[k] = folded[i - 1];
            i -= 1;
        } else if i > 0 && folded[i - 1].key == f.key {
            let both = folded[i - 1];
            folded[k] = PairCount { key: f.key, count: both.count + f.count, documents: both.documents + f.documents };
            i -= 1;
            j -= 1;
        } else {
            folded[k] = f;
            j -= 1;
        }
    }
    debug_assert_eq!(k, i, "the pairs before the first fresh one stay where they are");
}

/// The size of one document, for the window totals.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocShape {
    /// Word tokens.
    pub tokens: u64,
    /// Sentences.
    pub sentences: u64,
    /// Paragraphs.
    pub paragraphs: u64,
}

/// One worker's counts.
#[derive(Debug)]
pub struct Counter {
    windows: Vec<Window>,
    totals: BTreeMap<PeriodKey, PeriodTotals>,
    entities: FxHashMap<(PeriodKey, u32), EntityCounts>,
    pairs: FxHashMap<(usize, PeriodKey), PairTable>,
    units: Vec<(u32, u32)>,
    /// Per entity index, the serial of the last unit it was collected in
    /// (see [`Counter::collect_units`]).
    last_unit: Vec<u32>,
    /// The serial of the unit being collected; 0 is no unit.
    unit_serial: u32,
    doc_pairs: Vec<u64>,
    /// Working space for folding pair tables.
    fold_scratch: FoldScratch,
    /// Entries waiting in the `pending` buffers of all tables.
    pending: usize,
    /// Pairs in the `folded` tables of all tables.
    folded: usize,
    /// [`PENDING_FLOOR`], smaller in tests.
    pending_floor: usize,
}

/// Pending entries (16 bytes each) a counter holds across all its tables
/// before it folds them all, whatever their own sizes: 16 MiB.
///
/// Why a bound over all tables and not only each table's own rule
/// ([`PairTable::wants_fold`]): with `--by`, a run counts into one table per
/// window and period, hundreds or thousands of them, each too small to
/// reach its own threshold, so every (document, pair) entry of the corpus
/// waited unfolded until the end: 575 MB of the 870 MB heap peak of a 500
/// MB corpus's `--by month` run (heaptrack), growing with the corpus,
/// where the folded pairs they make take about a fifth of that.
const PENDING_FLOOR: usize = 1 << 20;

impl Counter {
    /// An empty counter for these windows (in `--window` order).
    pub fn new(windows: &[Window]) -> Counter {
        Counter {
            windows: windows.to_vec(),
            totals: BTreeMap::new(),
            entities: FxHashMap::default(),
            pairs: FxHashMap::default(),
            units: Vec::new(),
            last_unit: Vec::new(),
            unit_serial: 0,
            doc_pairs: Vec::new(),
            fold_scratch: FoldScratch::default(),
            pending: 0,
            folded: 0,
            pending_floor: PENDING_FLOOR,
        }
    }

    /// Counts one document with text, of this shape, in `period`, whose
    /// mentions are `mentions` in text order. Returns how many distinct
    /// entities the document names.
    pub fn add_document(&mut self, period: PeriodKey, shape: DocShape, mentions: &[Mention]) -> usize {
        self.totals.entry(period).or_default().add(&PeriodTotals {
            documents: 1,
            paragraphs: shape.paragraphs,
            sentences: shape.sentences,
            tokens: shape.tokens,
        });
        if mentions.is_empty() {
            return 0;
        }
        let mut entities = 0;
        // Marginals: mentions, then the distinct (unit, entity) pairs per unit kind.
        for m in mentions {
            self.entities.entry((period, m.entity)).or_default().mentions += 1;
        }
        for unit_kind in [Window::Document, Window::Paragraph, Window::Sentence] {
            self.collect_units(unit_kind, mentions);
            if unit_kind == Window::Document {
                entities = self.units.len();
            }
            for &(_, entity) in &self.units {
                let counts = self.entities.entry((period, entity)).or_default();
                match unit_kind {
                    Window::Document => counts.documents += 1,
                    Window::Paragraph => counts.paragraphs += 1,
                    _ => counts.sentences += 1,
                }
            }
            for w in 0..self.windows.len() {
                if self.windows[w] == unit_kind {
                    self.unit_pairs();
                    // The document is one unit: its pairs are distinct already.
                    self.flush_pairs(w, period, unit_kind == Window::Document);
                }
            }
        }
        for w in 0..self.windows.len() {
            if let Window::Tokens(n) = self.windows[w] {
                self.doc_pairs.clear();
                for (i, a) in mentions.iter().enumerate() {
                    for b in &mentions[i + 1..] {
                        if b.token_start.saturating_sub(a.token_start) > n {
                            break;
                        }
                        if a.entity != b.entity {
                            self.doc_pairs.push(pair_key(a.entity, b.entity));
                        }
                    }
                }
                self.flush_pairs(w, period, false);
            }
        }
        entities
    }

    /// Fills `units` with the distinct (unit index, entity) of `mentions`,
    /// grouped by unit in increasing order.
    ///
    /// Mentions come in text order, so their units do too: an entity is
    /// kept at its first mention in a unit, found by the unit serial it was
    /// last seen in, in one pass, where sorting the pairs took 4 % of a
    /// tagging thread (a unit's entities are then in text order rather than
    /// by index, which no count depends on). Mentions out of order are
    /// sorted.
    fn collect_units(&mut self, kind: Window, mentions: &[Mention]) {
        self.units.clear();
        let unit_of = |m: &Mention| match kind {
            Window::Document => 0,
            Window::Paragraph => m.paragraph,
            _ => m.sentence,
        };
        let mut unit = None;
        for m in mentions {
            let this = unit_of(m);
            if unit.is_some_and(|u| this < u) {
                // Not in text order: no grouping to trust.
                self.units.clear();
                self.units.extend(mentions.iter().map(|m| (unit_of(m), m.entity)));
                self.units.sort_unstable();
                self.units.dedup();
                return;
            }
            if unit != Some(this) {
                unit = Some(this);
                self.next_unit_serial();
            }
            let e = m.entity as usize;
            if e >= self.last_unit.len() {
                self.last_unit.resize(e + 1, 0);
            }
            if self.last_unit[e] != self.unit_serial {
                self.last_unit[e] = self.unit_serial;
                self.units.push((this, m.entity));
            }
        }
    }

    /// Moves on to a new unit serial, starting the marks over when the
    /// serials run out.
    fn next_unit_serial(&mut self) {
        if self.unit_serial == u32::MAX {
            self.last_unit.fill(0);
            self.unit_serial = 0;
        }
        self.unit_serial += 1;
    }

    /// Fills `doc_pairs` with every pair of distinct entities sharing a unit of `units`.
    fn unit_pairs(&mut self) {
        self.doc_pairs.clear();
        let units = &self.units;
        let mut start = 0;
        while start < units.len() {
            let unit = units[start].0;
            let end = start + units[start..].iter().take_while(|u| u.0 == unit).count();
            for i in start..end {
                for j in i + 1..end {
                    self.doc_pairs.push(pair_key(units[i].1, units[j].1));
                }
            }
            start = end;
        }
    }

    /// Run-length counts `doc_pairs` into the table of window `w` and
    /// `period`; `distinct` says that no pair is in it twice (each then
    /// counts once), which spares sorting them.
    fn flush_pairs(&mut self, w: usize, period: PeriodKey, distinct: bool) {
        if self.doc_pairs.is_empty() {
            return;
        }
        // Equal pairs side by side, to be counted as one run each; distinct
        // pairs are runs of one in any order.
        if !distinct {
            self.doc_pairs.sort_unstable();
        }
        let table = self.pairs.entry((w, period)).or_default();
        let before = table.pending.len();
        let mut i = 0;
        while i < self.doc_pairs.len() {
            let key = self.doc_pairs[i];
            let run = self.doc_pairs[i..].iter().take_while(|&&k| k == key).count();
            table.pending.push((key, run as u32));
            i += run;
        }
        self.pending += table.pending.len() - before;
        if table.wants_fold() {
            let (pending, folded) = (table.pending.len(), table.folded.len());
            table.fold(&mut self.fold_scratch);
            self.pending -= pending;
            self.folded += table.folded.len() - folded;
        }
        // Folding every table costs a pass over all folded pairs, so it
        // waits until as many entries are pending: linear work overall, and
        // pending entries never more than the pairs folded (or the floor).
        if self.pending >= self.pending_floor.max(self.folded) {
            self.fold_all();
        }
    }

    /// Folds the pending entries of every table.
    fn fold_all(&mut self) {
        let scratch = &mut self.fold_scratch;
        for table in self.pairs.values_mut() {
            table.fold(scratch);
            // `fold` keeps `pending`'s room for the next entries; a table
            // of a period that is over would keep it to the end.
            table.pending = Vec::new();
        }
        self.pending = 0;
        self.folded = self.pairs.values().map(|t| t.folded.len()).sum();
    }

    /// Adds another worker's counts to this one.
    pub fn merge(&mut self, other: Counter) {
        self.merge_in_stretches(other, MERGED_BEFORE_GIVING_BACK);
    }

    /// [`Counter::merge`], giving memory back after every `stretch` pair
    /// entries merged.
    fn merge_in_stretches(&mut self, mut other: Counter, stretch: usize) {
        for (period, totals) in &other.totals {
            self.totals.entry(*period).or_default().add(totals);
        }
        for (key, counts) in &other.entities {
            self.entities.entry(*key).or_default().add(counts);
        }
        // The tables are independent: each pair of them is folded and
        // merged on its own, on every core (rayon's pool). With `--by` there
        // are hundreds, which one thread took in turn while the others waited
        // for the tables to be written.
        let mut both: Vec<((usize, PeriodKey), PairTable, PairTable)> = (other.pairs.drain())
            .map(|(key, theirs)| (key, self.pairs.remove(&key).unwrap_or_default(), theirs))
            .collect();
        //
        // They are merged a few megabytes of pairs at a time, and the memory
        // freed given back after each stretch: the other worker's tables and
        // the tables outgrown by merging are freed here, and held by the
        // allocator they added to the peak of the run (the 500 MB benchmark
        // corpus with `--by day`: RSS from 576 to 926 MB as two workers'
        // tables were merged, when the tables merged take 380).
        let mut start = 0;
        while start < both.len() {
            let mut end = start;
            let mut entries = 0;
            while end < both.len() && entries < stretch {
                let (_, mine, theirs) = &both[end];
                entries += mine.folded.len() + mine.pending.len() + theirs.folded.len() + theirs.pending.len();
                end += 1;
            }
            both[start..end].par_iter_mut().for_each_init(FoldScratch::default, |scratch, (_, mine, theirs)| {
                theirs.fold(scratch);
                mine.fold(scratch);
                merge_into(&mut mine.folded, &theirs.folded);
                *theirs = PairTable::default();
            });
            if end < both.len() {
                crate::memory::give_back();
            }
            start = end;
        }
        self.pairs.extend(both.into_iter().map(|(key, mine, _)| (key, mine)));
        // The tables of both were folded, and those only this one had may not be.
        self.pending = self.pairs.values().map(|t| t.pending.len()).sum();
        self.folded = self.pairs.values().map(|t| t.folded.len()).sum();
    }

    /// The final, sorted counts.
    pub fn finish(self) -> Counts {
        let mut entities: Vec<((PeriodKey, u32), EntityCounts)> = self.entities.into_iter().collect();
        entities.sort_unstable_by_key(|e| e.0);
        // Folded on every core, as in `merge`.
        let mut tables: Vec<((usize, PeriodKey), PairTable)> = self.pairs.into_iter().collect();
        tables.par_iter_mut().for_each_init(FoldScratch::default, |scratch, (_, table)| table.fold(scratch));
        let pairs = tables.into_iter().map(|(key, table)| (key, table.folded)).collect();
        Counts { windows: self.windows, totals: self.totals, entities, pairs }
    }
}

/// Everything counted in a run, ready to be written.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// The windows, in `--window` order.
    pub windows: Vec<Window>,
    /// Window totals per period (every period with a document in it).
    pub totals: BTreeMap<PeriodKey, PeriodTotals>,
    /// Entity counts, sorted by (period, entity index).
    pub entities: Vec<((PeriodKey, u32), EntityCounts)>,
    /// Pair counts per (window index, period), each sorted by key.
    pub pairs: BTreeMap<(usize, PeriodKey), Vec<PairCount>>,
}

impl Counts {
    /// The counts of an entity in a period (zero if it never appeared).
    pub fn entity(&self, period: PeriodKey, entity: u32) -> EntityCounts {
        self.entities.binary_search_by_key(&(period, entity), |e| e.0).map(|i| self.entities[i].1).unwrap_or_default()
    }

    /// How many windows of `window`'s kind an entity is in: its `count_a`.
    pub fn marginal(&self, window: Window, period: PeriodKey, entity: u32) -> u64 {
        self.entity(period, entity).of_window(window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(entity: u32, token: u32, sentence: u32, paragraph: u32) -> Mention {
        Mention::at_token(entity, token, sentence, paragraph)
    }

    fn shape(tokens: u64, sentences: u64, paragraphs: u64) -> DocShape {
        DocShape { tokens, sentences, paragraphs }
    }

    #[test]
    fn boolean_counting_per_window() {
        let windows = [Window::Document, Window::Sentence, Window::Paragraph, Window::Tokens(3)];
        let mut counter = Counter::new(&windows);
        // Doc 1: sentence 0: A A B (tokens 0, 2, 5); sentence 1: B C (tokens 8, 9); one paragraph.
        counter.add_document(
            0,
            shape(10, 2, 1),
            &[mention(0, 0, 0, 0), mention(0, 2, 0, 0), mention(1, 5, 0, 0), mention(1, 8, 1, 0), mention(2, 9, 1, 0)],
        );
        // Doc 2: A and C in separate paragraphs.
        counter.add_document(0, shape(6, 2, 2), &[mention(0, 0, 0, 0), mention(2, 4, 1, 1)]);
        // Doc 3: nothing.
        counter.add_document(0, shape(3, 1, 1), &[]);
        let counts = counter.finish();
        let t = counts.totals[&0];
        assert_eq!(t, PeriodTotals { documents: 3, paragraphs: 4, sentences: 5, tokens: 19 });

        let pairs = |w: usize| -> Vec<(u32, u32, u64, u64)> {
            counts
                .pairs
                .get(&(w, 0))
                .map_or(vec![], |v| v.iter().map(|p| (p.entities().0, p.entities().1, p.count, p.documents)).collect())
        };
        // Document: doc1 has AB, AC, BC; doc2 has AC.
        assert_eq!(pairs(0), [(0, 1, 1, 1), (0, 2, 2, 2), (1, 2, 1, 1)]);
        // Sentence: AB in s0 (once, boolean), BC in s1.
        assert_eq!(pairs(1), [(0, 1, 1, 1), (1, 2, 1, 1)]);
        // Paragraph: doc1's single paragraph holds all three.
        assert_eq!(pairs(2), [(0, 1, 1, 1), (0, 2, 1, 1), (1, 2, 1, 1)]);
        // tokens:3: A@2-B@5 (3 apart), B@8-C@9; A@0-B@5 is 5 apart; B@5-B@8 same entity.
        assert_eq!(pairs(3), [(0, 1, 1, 1), (1, 2, 1, 1)]);

        let a = counts.entity(0, 0);
        assert_eq!(a, EntityCounts { mentions: 3, documents: 2, paragraphs: 2, sentences: 2 });
        assert_eq!(counts.marginal(Window::Tokens(3), 0, 1), 2);
        assert_eq!(counts.marginal(Window::Sentence, 0, 1), 2);
        assert_eq!(counts.entity(0, 9), EntityCounts::default());
    }

    #[test]
    fn a_pair_in_two_units_of_a_document_counts_two_windows_and_one_document() {
        let windows = [Window::Document, Window::Sentence, Window::Paragraph];
        let mut counter = Counter::new(&windows);
        // A B C in sentence 0 (paragraph 0), A B again in sentence 1 (paragraph 1):
        // the second A B comes after A C and B C, not next to the first.
        let mentions =
            [mention(0, 0, 0, 0), mention(1, 1, 0, 0), mention(2, 2, 0, 0), mention(1, 4, 1, 1), mention(0, 5, 1, 1)];
        counter.add_document(0, shape(12, 2, 2), &mentions);
        let counts = counter.finish();
        let pairs = |w: usize| -> Vec<(u32, u32, u64, u64)> {
            counts.pairs[&(w, 0)].iter().map(|p| (p.entities().0, p.entities().1, p.count, p.documents)).collect()
        };
        assert_eq!(pairs(0), [(0, 1, 1, 1), (0, 2, 1, 1), (1, 2, 1, 1)]);
        assert_eq!(pairs(1), [(0, 1, 2, 1), (0, 2, 1, 1), (1, 2, 1, 1)]);
        assert_eq!(pairs(2), [(0, 1, 2, 1), (0, 2, 1, 1), (1, 2, 1, 1)]);
    }

    #[test]
    fn merging_workers_equals_one_worker() {
        let windows = [Window::Document, Window::Sentence];
        let docs: Vec<Vec<Mention>> = (0..50u32)
            .map(|d| (0..(d % 7)).map(|i| mention((d * 3 + i * 5) % 11, i * 2, i / 2, 0)).collect())
            .collect();
        let mut one = Counter::new(&windows);
        for (i, m) in docs.iter().enumerate() {
            one.add_document((i % 3) as PeriodKey, shape(20, 3, 1), m);
        }
        let workers = || {
            let mut left = Counter::new(&windows);
            let mut right = Counter::new(&windows);
            for (i, m) in docs.iter().enumerate() {
                let period = (i % 3) as PeriodKey;
                if i % 2 == 0 { &mut left } else { &mut right }.add_document(period, shape(20, 3, 1), m);
            }
            // A period only one side has seen: its tables are new to the other.
            for period in [8, 9] {
                if period == 8 { &mut left } else { &mut right }.add_document(period, shape(20, 3, 1), &docs[6]);
            }
            (left, right)
        };
        for period in [8, 9] {
            one.add_document(period, shape(20, 3, 1), &docs[6]);
        }
        let a = one.finish();
        assert!(a.pairs.len() > 4);
        // At once, and a table or a few at a time, as with --by on a large corpus.
        for stretch in [usize::MAX, 1, 40] {
            let (mut left, right) = workers();
            left.merge_in_stretches(right, stretch);
            let b = left.finish();
            assert_eq!(a.totals, b.totals);
            assert_eq!(a.entities, b.entities);
            assert_eq!(a.pairs, b.pairs, "merged {stretch} entries at a time");
        }
    }

    #[test]
    fn many_small_tables_are_folded_by_the_counters_bound() {
        let windows = [Window::Document, Window::Sentence];
        let mut bounded = Counter::new(&windows);
        bounded.pending_floor = 64;
        let mut unbounded = Counter::new(&windows);
        unbounded.pending_floor = usize::MAX;
        let mut entries = 0;
        // A period a month for ten years, each table far below its own
        // fold threshold: only the counter's bound folds them.
        for d in 0..3000u32 {
            let mentions: Vec<Mention> = (0..8).map(|i| mention((d * 7 + i * 3) % 11, i * 3, i / 3, 0)).collect();
            let period = d % 120;
            bounded.add_document(period, shape(40, 3, 1), &mentions);
            unbounded.add_document(period, shape(40, 3, 1), &mentions);
            entries = unbounded.pending;
            let held: usize = bounded.pairs.values().map(|t| t.pending.len()).sum();
            assert_eq!(held, bounded.pending);
            // The bound, plus at most one document's pairs past it.
            assert!(bounded.pending < 64.max(bounded.folded) + 28 + 3 * 3, "{} pending", bounded.pending);
        }
        assert!(entries > 5 * bounded.folded, "the tables were small: {entries} entries, {} pairs", bounded.folded);
        let (a, b) = (bounded.finish(), unbounded.finish());
        assert_eq!(a.pairs, b.pairs);
        assert_eq!(a.entities, b.entities);
    }

    #[test]
    fn folding_keeps_counts() {
        let (mut table, mut scratch) = (PairTable::default(), FoldScratch::default());
        for i in 0..3_000_000u64 {
            table.pending.push((i % 5, 2));
            if table.wants_fold() {
                table.fold(&mut scratch);
            }
        }
        table.fold(&mut scratch);
        assert_eq!(table.folded.len(), 5);
        assert!(table.folded.iter().all(|p| p.count == 1_200_000 && p.documents == 600_000));
    }

    proptest::proptest! {
        /// The units of a document, collected in one pass, are its distinct
        /// (unit, entity) pairs grouped by unit in increasing order, for
        /// mentions in text order and (sorted instead) out of it; the marks
        /// of one document do not leak into the next.
        #[test]
        fn units_are_the_distinct_unit_entity_pairs(
            docs in proptest::collection::vec(proptest::collection::vec((0u32..6, 0u32..40), 0..30), 1..4),
            shuffle in proptest::bool::ANY,
        ) {
            let mut counter = Counter::new(&[Window::Document]);
            for doc in docs {
                let mut mentions: Vec<Mention> =
                    doc.iter().enumerate().map(|(i, &(s, e))| mention(e, i as u32, s, s / 2)).collect();
                if !shuffle {
                    mentions.sort_by_key(|m| (m.sentence, m.token_start));
                }
                for kind in [Window::Document, Window::Paragraph, Window::Sentence] {
                    counter.collect_units(kind, &mentions);
                    let unit = |m: &Mention| match kind {
                        Window::Document => 0,
                        Window::Paragraph => m.paragraph,
                        _ => m.sentence,
                    };
                    let mut expected: Vec<(u32, u32)> = mentions.iter().map(|m| (unit(m), m.entity)).collect();
                    expected.sort_unstable();
                    expected.dedup();
                    let units = counter.units.clone();
                    proptest::prop_assert!(units.windows(2).all(|w| w[0].0 <= w[1].0), "grouped by unit");
                    let mut sorted = units.clone();
                    sorted.sort_unstable();
                    proptest::prop_assert_eq!(sorted, expected);
                }
            }
        }

        /// Folding in batches of any size, into tables that share one
        /// scratch, sums each pair's counts and documents as a map does.
        #[test]
        fn folds_sum_counts_and_documents(
            batches in proptest::collection::vec(proptest::collection::vec((0u64..40, 1u32..5, 0usize..2), 0..300), 1..8),
        ) {
            let mut tables = [PairTable::default(), PairTable::default()];
            let mut scratch = FoldScratch::default();
            let mut expected = [BTreeMap::new(), BTreeMap::new()];
            for batch in &batches {
                for &(key, count, table) in batch {
                    tables[table].pending.push((key, count));
                    let e = expected[table].entry(key).or_insert((0u64, 0u64));
                    e.0 += u64::from(count);
                    e.1 += 1;
                }
                for table in &mut tables {
                    table.fold(&mut scratch);
                }
            }
            for (table, expected) in tables.iter().zip(&expected) {
                let got: BTreeMap<u64, (u64, u64)> =
                    table.folded.iter().map(|p| (p.key, (p.count, p.documents))).collect();
                proptest::prop_assert_eq!(table.folded.len(), got.len(), "keys repeated");
                proptest::prop_assert!(table.folded.windows(2).all(|w| w[0].key < w[1].key));
                proptest::prop_assert_eq!(&got, expected);
            }
        }
    }
}
