//! Co-occurrence counting: `Counter::add_document` on dense documents (issue 5).
//!
//! Run with `cargo bench --bench counting`. Each iteration counts 200
//! synthetic documents of 100 to 500 mentions each (about 300 on average, in
//! 40 sentences and 8 paragraphs, entities drawn with a skew from 2,000, so
//! that a few are named often, as countries are) into a fresh `Counter`, and
//! reports mentions per second (Throughput::Elements):
//!
//! - `add_document_dense`: the default windows (`document,sentence`);
//! - `add_document_dense_tokens10`: `document,sentence,tokens:10`;
//! - `add_and_finish_dense`: default windows, plus `Counter::finish` (the
//!   final fold and sort of the pair tables).
//!
//! The documents are deterministic (a fixed linear congruential sequence).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use cotag::count::{Counter, DocShape};
use cotag::gazetteer::AliasKind;
use cotag::tag::Mention;
use cotag::window::{PeriodKey, Window};

const DOCS: usize = 200;
const ENTITIES: u64 = 2000;
const SENTENCES: u32 = 40;
const PARAGRAPHS: u32 = 8;

struct Doc {
    period: PeriodKey,
    shape: DocShape,
    mentions: Vec<Mention>,
}

fn dense_docs() -> Vec<Doc> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        state >> 33
    };
    (0..DOCS)
        .map(|d| {
            let n = 100 + (next() % 401) as u32;
            let tokens = n * 8;
            let mentions = (0..n)
                .map(|i| {
                    let token = i * 8 + (next() % 4) as u32;
                    // Skewed: the square of a uniform draw favours small indices.
                    let u = next() % ENTITIES;
                    let entity = (u * u / ENTITIES) as u32;
                    let sentence = token * SENTENCES / tokens;
                    Mention {
                        start: token * 6,
                        end: token * 6 + 5,
                        char_start: token * 6,
                        char_end: token * 6 + 5,
                        token_start: token,
                        token_end: token + 1,
                        sentence,
                        paragraph: sentence * PARAGRAPHS / SENTENCES,
                        entity,
                        via: AliasKind::Name,
                    }
                })
                .collect();
            Doc {
                period: (d % 12) as PeriodKey,
                shape: DocShape { tokens: tokens as u64, sentences: SENTENCES as u64, paragraphs: PARAGRAPHS as u64 },
                mentions,
            }
        })
        .collect()
}

fn count(windows: &[Window], docs: &[Doc]) -> Counter {
    let mut counter = Counter::new(windows);
    for doc in docs {
        counter.add_document(doc.period, doc.shape, black_box(&doc.mentions));
    }
    counter
}

fn bench_counting(c: &mut Criterion) {
    let docs = dense_docs();
    let mentions: usize = docs.iter().map(|d| d.mentions.len()).sum();
    let default_windows = [Window::Document, Window::Sentence];
    let with_tokens = [Window::Document, Window::Sentence, Window::Tokens(10)];

    let mut group = c.benchmark_group("counting");
    group.sample_size(20);
    group.throughput(Throughput::Elements(mentions as u64));
    group.bench_function("add_document_dense", |b| {
        b.iter_batched(|| (), |()| count(&default_windows, &docs), BatchSize::PerIteration)
    });
    group.bench_function("add_document_dense_tokens10", |b| {
        b.iter_batched(|| (), |()| count(&with_tokens, &docs), BatchSize::PerIteration)
    });
    group.bench_function("add_and_finish_dense", |b| {
        b.iter(|| black_box(count(&default_windows, &docs).finish().pairs.len()))
    });
    group.finish();
}

criterion_group!(benches, bench_counting);
criterion_main!(benches);
