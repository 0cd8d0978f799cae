//! The tagging thread's stages on the generated benchmark corpus (issue 5):
//! segmenting, tagging (with and without `--discover`) and counting, each
//! over the same real articles in memory, as one worker runs them.
//!
//! Run with `cargo bench --bench stages` after `python3
//! benches/gen_corpus.py --size 20MB --seed 1` (the corpus is read from
//! `target/bench-corpus/20MB`, or from the folder in `COTAG_STAGES_CORPUS`;
//! without it the bench says so and measures nothing). Reports bytes of
//! text per second:
//!
//! - `segment`: `Segmentation::segment_into`;
//! - `tag`, `tag_discover`: `Tagger::tag` on segmented documents (matching,
//!   resolution, partial names; and discovery);
//! - `count`: `Counter::add_document` of the tagged mentions, default
//!   windows.
//!
//! Unlike the other criterion benches, whose texts are a few sentences
//! repeated, this one reads tens of thousands of distinct words, so the
//! matcher's tables miss the caches as they do in a run; unlike whole runs
//! (`benches/compare.sh`), it leaves out reading, rows and tables, and
//! moves less with the machine's load. Use it to compare builds of the
//! tagging code: `cargo bench --bench stages -- --save-baseline before`,
//! then `-- --baseline before` after the change.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use cotag::count::{Counter, DocShape};
use cotag::gazetteer::Gazetteer;
use cotag::matcher::{Matcher, MatcherOptions};
use cotag::tag::{Mention, TagScratch, Tagger};
use cotag::tokenize::Segmentation;
use cotag::window::Window;

/// The corpus folder: `COTAG_STAGES_CORPUS`, else the generated 20 MB one.
fn corpus_dir() -> PathBuf {
    std::env::var_os("COTAG_STAGES_CORPUS")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus/20MB"), PathBuf::from)
}

/// Every `.txt` article under `dir`, in path order.
fn articles(dir: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect()
}

/// The shape of a segmented document, for the counter.
fn shape(seg: &Segmentation) -> DocShape {
    DocShape {
        tokens: seg.tokens.len() as u64,
        sentences: seg.sentence_starts.len() as u64,
        paragraphs: seg.paragraph_starts.len() as u64,
    }
}

fn bench_stages(c: &mut Criterion) {
    let dir = corpus_dir();
    let docs = articles(&dir);
    if docs.is_empty() {
        eprintln!(
            "stages: no articles under {}; run python3 benches/gen_corpus.py --size 20MB --seed 1 first",
            dir.display()
        );
        return;
    }
    let bytes: usize = docs.iter().map(String::len).sum();
    let gazetteer = Gazetteer::load(&[]).expect("built-in gazetteers load");
    let matcher = Matcher::new(&gazetteer, MatcherOptions::default());
    let segs: Vec<Segmentation> = docs.iter().map(|d| Segmentation::of(d)).collect();

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    let mut seg = Segmentation::default();
    group.bench_function("segment", |b| {
        b.iter(|| {
            let mut tokens = 0;
            for doc in &docs {
                seg.segment_into(black_box(doc));
                tokens += seg.tokens.len();
            }
            black_box(tokens)
        })
    });
    let mut tagged: Vec<Vec<Mention>> = Vec::new();
    for (name, discover) in [("tag", false), ("tag_discover", true)] {
        let tagger = Tagger::new(matcher.clone(), &gazetteer, discover);
        let mut scratch = TagScratch::default();
        let mut mentions = Vec::new();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for (doc, seg) in docs.iter().zip(&segs) {
                    tagger.tag(black_box(doc), None, seg, &mut scratch, &mut mentions);
                    n += mentions.len();
                }
                black_box(n)
            })
        });
        if !discover {
            tagged = docs
                .iter()
                .zip(&segs)
                .map(|(doc, seg)| {
                    tagger.tag(doc, None, seg, &mut scratch, &mut mentions);
                    mentions.clone()
                })
                .collect();
        }
    }
    let windows = [Window::Document, Window::Sentence];
    group.bench_function("count", |b| {
        b.iter(|| {
            let mut counter = Counter::new(&windows);
            for (mentions, seg) in tagged.iter().zip(&segs) {
                counter.add_document(0, shape(seg), black_box(mentions));
            }
            black_box(counter.finish())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_stages);
criterion_main!(benches);
