//! Gazetteer loading, matcher building and alias matching (issue 5).
//!
//! Run with `cargo bench --bench matching`. Benches:
//!
//! - `load_builtin`: parsing the built-in gazetteers (`Gazetteer::load(&[])`);
//! - `build_builtin`: compiling them into a `Matcher` (the Aho-Corasick automaton);
//! - `load_and_build_100k`: both, for the built-in set plus synthetic people up
//!   to 100,000 aliases (issue 5's target: under 1 s);
//! - `find_1mb_news`: `Matcher::find` over ~1 MB of news-like text cut into
//!   ~3 KB documents, as cotag runs it (bytes/s);
//! - `find_1mb_news_100k`: the same with the 100,000-alias matcher;
//! - `segment_and_tag_1mb_news`: segmentation plus `Tagger::tag` (matching,
//!   ambiguity resolution, placing mentions in tokens and sentences).
//!
//! The text is deterministic: sentences of wire copy (some with curly quotes,
//! dashes and accents), chosen by a fixed linear congruential sequence, in
//! paragraphs, with about one mention per 100 bytes as in the generated
//! benchmark corpus (benches/gen_corpus.py).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use cotag::gazetteer::{Gazetteer, GazetteerBuilder};
use cotag::matcher::{MatchScratch, Matcher, MatcherOptions};
use cotag::tag::{TagScratch, Tagger};
use cotag::tokenize::Segmentation;

const SENTENCES: &[&str] = &[
    "Thousands of demonstrators have marched through London to protest the war in Iraq and demand the withdrawal of British troops from that country.",
    "The global financial crisis has left Iceland's economy in shambles.",
    "Prime Minister Geir Haarde has refused to resign or call for early elections.",
    "The United States on Thursday announced $190 million in aid for victims of last year’s devastating floods in Pakistan.",
    "Speaking to reporters in Islamabad, the acting U.S. special representative for Pakistan and Afghanistan said the money will be put into a compensation fund.",
    "Human Rights Watch has expressed concerns that Iraq's war crimes tribunals will be flawed, unfair and lacking in credibility.",
    "The Organization for Security and Cooperation in Europe says it will \"assess the entire election process\" in Kyrgyzstan.",
    "Russian President Vladimir Putin and Chinese President Hu Jintao met in Moscow on Tuesday to discuss energy cooperation.",
    "The International Monetary Fund cut its global growth forecast, citing weak demand in Japan and the European Union.",
    "Israeli and Palestinian negotiators met in Cairo under Egyptian mediation, officials said.",
    "NATO says its troops killed at least 20 Taliban insurgents in southern Afghanistan’s Helmand province — the alliance's largest operation this year.",
    "Venezuela's President Hugo Chavez accused Colombia of preparing an attack with the help of the Pentagon.",
    "The U.N. Security Council voted unanimously to extend the peacekeeping mission in Côte d'Ivoire by six months.",
    "Officials in Nairobi said Kenya and Somalia agreed to increase patrols along their shared border.",
    "Shares fell sharply in Tokyo and Hong Kong after the World Bank warned of slowing growth in China.",
    "Iran's foreign ministry spokesman said Tehran would not suspend uranium enrichment despite pressure from France, Germany and Britain.",
    "Heavy rains have caused flooding in parts of Bangladesh and eastern India, killing at least 35 people.",
    "The African Union has called on Sudan to allow more peacekeepers into the Darfur region.",
    "Mexican police arrested a suspected drug lord near the border with the United States, the attorney general's office said.",
    "Economists expect the central bank to keep interest rates unchanged at its meeting next week.",
    "He said the talks would resume after the holidays, but gave no further details.",
    "Witnesses say the explosion shattered windows several blocks away.",
];

/// About `target` bytes of news text, as ~3 KB documents of blank-line paragraphs.
fn news_docs(target: usize) -> Vec<String> {
    let mut docs = Vec::new();
    let mut total = 0;
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    while total < target {
        let size = 1500 + next(3000);
        let mut doc = String::with_capacity(size + 256);
        while doc.len() < size {
            for _ in 0..1 + next(3) {
                doc.push_str(SENTENCES[next(SENTENCES.len())]);
                doc.push(' ');
            }
            doc.pop();
            doc.push_str("\n\n");
        }
        total += doc.len();
        docs.push(doc);
    }
    docs
}

/// Built-in rows plus synthetic people ("Given Surname" from the people
/// gazetteer's first and last words) up to 100,000 aliases, as TSV text.
fn synthetic_people(builtin: &Gazetteer) -> String {
    let need = 100_000usize.saturating_sub(builtin.aliases.len());
    let mut given = Vec::new();
    let mut surnames = Vec::new();
    for entity in builtin.entities.iter().filter(|e| e.etype == "person") {
        let words: Vec<&str> = entity.name.split(' ').collect();
        if words.len() >= 2 && words.iter().all(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic)) {
            given.push(words[0]);
            surnames.push(words[words.len() - 1]);
        }
    }
    given.sort_unstable();
    given.dedup();
    surnames.sort_unstable();
    surnames.dedup();
    let mut seen = std::collections::HashSet::new();
    let mut tsv = String::from("id\ttype\tname\talias\tkind\n");
    let (mut i, mut n) = (0usize, 0usize);
    while n < need {
        let name = format!("{} {}", given[(i * 7919) % given.len()], surnames[(i * 104_729 + i / 13) % surnames.len()]);
        i += 1;
        if seen.insert(name.clone()) {
            n += 1;
            tsv.push_str(&format!("person:synthetic-{n}\tperson\t{name}\t{name}\tname\n"));
        }
    }
    tsv
}

fn load_big(synthetic: &str) -> Gazetteer {
    let mut builder = GazetteerBuilder::new();
    builder.add_builtin().expect("built-in gazetteers load");
    builder.add_text("synthetic.tsv", synthetic.as_bytes()).expect("synthetic gazetteer loads");
    builder.build()
}

fn bench_matching(c: &mut Criterion) {
    let gazetteer = Gazetteer::load(&[]).expect("built-in gazetteers load");
    let matcher = Matcher::new(&gazetteer, MatcherOptions::default());
    let synthetic = synthetic_people(&gazetteer);
    let big = load_big(&synthetic);
    let big_matcher = Matcher::new(&big, MatcherOptions::default());
    let docs = news_docs(1 << 20);
    let bytes: usize = docs.iter().map(String::len).sum();

    let mut group = c.benchmark_group("matching");
    group.sample_size(10);
    group.bench_function("load_builtin", |b| b.iter(|| black_box(Gazetteer::load(&[]).unwrap().aliases.len())));
    group.bench_function("build_builtin", |b| {
        b.iter(|| black_box(Matcher::new(black_box(&gazetteer), MatcherOptions::default()).key_count()))
    });
    group.bench_function(format!("load_and_build_100k ({} aliases)", big.aliases.len()), |b| {
        b.iter(|| black_box(Matcher::new(&load_big(black_box(&synthetic)), MatcherOptions::default()).key_count()))
    });

    group.sample_size(20);
    group.throughput(Throughput::Bytes(bytes as u64));
    let mut scratch = MatchScratch::default();
    let mut hits = Vec::new();
    // The matcher searches at token starts, so it is given each document's segmentation.
    let segs: Vec<Segmentation> = docs.iter().map(|d| Segmentation::of(d)).collect();
    for (name, m) in [("find_1mb_news", &matcher), ("find_1mb_news_100k", &big_matcher)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for (doc, seg) in docs.iter().zip(&segs) {
                    m.find(black_box(doc), seg, None, &mut scratch, &mut hits);
                    n += hits.len();
                }
                black_box(n)
            })
        });
    }
    // With `--discover` too, for its cost to the tagging stage on these
    // sentences, steadier than whole runs. They name few people no list
    // holds: on the generated benchmark corpus (real GMB sentences) the
    // cost is several times higher.
    for (name, discover) in [("segment_and_tag_1mb_news", false), ("segment_and_tag_1mb_news_discover", true)] {
        let tagger = Tagger::new(matcher.clone(), &gazetteer, discover);
        let mut seg = Segmentation::default();
        let mut tag_scratch = TagScratch::default();
        let mut mentions = Vec::new();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for doc in &docs {
                    seg.segment_into(black_box(doc));
                    tagger.tag(doc, None, &seg, &mut tag_scratch, &mut mentions);
                    n += mentions.len();
                }
                black_box(n)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_matching);
criterion_main!(benches);
