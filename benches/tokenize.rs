//! Throughput of `Segmentation::segment_into` on ~1 MB of news-like text.
//!
//! Run with `cargo bench --bench tokenize`. The text is built from repeated
//! sentences: mostly ASCII (the fast path), with curly quotes, dashes and an
//! accented name in some of them, hard-wrapped lines and blank-line
//! paragraphs, as in real wire copy.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use cotag::tokenize::Segmentation;

const SENTENCES: &[&str] = &[
    "WASHINGTON (Reuters) - The U.S. economy grew at a 3.5 percent annual rate in the third quarter, the Commerce Department said on Thursday.",
    "Mr. Biden met Chinese President Xi Jinping on the sidelines of the summit in Bali, Indonesia, on Nov. 14.",
    "“We are not seeking conflict,” Secretary of State Antony Blinken told reporters, adding that China’s actions were “deeply concerning.”",
    "The European Union and the United Kingdom agreed on a new framework for Northern Ireland — a deal that took two years to negotiate.",
    "Shares of Apple Inc. fell 2.1% to $142.50 in early trading, while the S&P 500 index was little changed.",
    "Russia's foreign ministry said it would respond to any new sanctions imposed by the E.U. and Japan.",
    "Israeli and Palestinian officials met in Cairo on Sunday, Egypt's state media reported, citing unnamed sources.",
    "Gen. Mark Milley, chairman of the Joint Chiefs of Staff, said the war in Ukraine could last for years.",
    "The International Monetary Fund cut its global growth forecast to 2.7 percent for next year.",
    "President Emmanuel Macron of France and Chancellor Olaf Scholz of Germany spoke by phone; Côte d’Ivoire was also discussed.",
    "India and Pakistan exchanged fire along the Line of Control early Tuesday, according to officials in New Delhi.",
    "Is a recession coming? Economists at Goldman Sachs say the odds are about 35 percent.",
];

/// About `target` bytes of news-like text.
fn news_text(target: usize) -> String {
    let mut text = String::with_capacity(target + 1024);
    let mut k = 0usize;
    while text.len() < target {
        let s = SENTENCES[k % SENTENCES.len()];
        text.push_str(s);
        k += 1;
        text.push_str(match k % 7 {
            0 => "\n\n",
            3 => "\n",
            _ => " ",
        });
    }
    text
}

fn bench_segment(c: &mut Criterion) {
    let text = news_text(1 << 20);
    let mut seg = Segmentation::default();
    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("segment_into_1mb_news", |b| {
        b.iter(|| {
            seg.segment_into(black_box(&text));
            black_box(seg.tokens.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_segment);
criterion_main!(benches);
