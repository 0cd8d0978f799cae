//! Measures `--discover` rule by rule against the evaluation gold (a development aid).
//!
//! ```sh
//! python3 eval/evaluate.py --write-gold /tmp/gold --no-build --dataset gum,gmb
//! cargo run --release --example discover_eval -- /tmp/gold [--show N] [--off RULE,...] [--no-prefix]
//! ```
//!
//! Each discovered span is scored against the gold spans of its type (person or
//! organization), like `eval/evaluate.py` does: exact (same span, a leading
//! "the " ignored) or relaxed (overlap); a span that matches no gold but
//! overlaps an optional span is ignored; else it is a false positive. The
//! gazetteer mentions of the built-in gazetteers are the `taken` spans, as in a
//! real run. "new" counts gold spans that discovery covers and the gazetteer
//! mentions did not: the recall it adds.

use std::collections::BTreeMap;
use std::path::Path;

use cotag::discover::{DiscoverOptions, DiscoverScratch, Discovered, DiscoveredKind, Discoverer, Rule};
use cotag::gazetteer::Gazetteer;
use cotag::matcher::{Matcher, MatcherOptions};
use cotag::tag::{TagScratch, Tagger};
use cotag::tokenize::Segmentation;

#[derive(Debug, Clone)]
struct Span {
    start: usize,
    end: usize,
    category: String,
    gold: bool,
}

#[derive(Default, Debug)]
struct Score {
    n: usize,
    exact: usize,
    relaxed: usize,
    ignored: usize,
    fp: usize,
    new_gold: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.first().expect("usage: discover_eval GOLD_DIR [--show N] [--off RULES] [--no-prefix]");
    let mut show = 0;
    let mut options = DiscoverOptions::default();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--show" => {
                show = args[i + 1].parse().unwrap();
                i += 1;
            }
            "--off" => {
                for r in args[i + 1].split(',') {
                    match r {
                        "given" => options.given_name = false,
                        "title" => options.title = false,
                        "suffix" => options.org_suffix = false,
                        "head" => options.org_head = false,
                        "headlines" => options.skip_headlines = false,
                        "headline-names" => options.headline_names = false,
                        "cued-everyday" => options.cued_everyday_surname = false,
                        _ => panic!("unknown rule {r}"),
                    }
                }
                i += 1;
            }
            "--no-prefix" => options.given_after_prefix = false,
            other => panic!("unknown option {other}"),
        }
        i += 1;
    }
    let g = Gazetteer::load(&[]).unwrap();
    let tagger = Tagger::new(Matcher::new(&g, MatcherOptions::default()), &g, false);
    let discoverer = Discoverer::with_options(options);
    let dir = Path::new(dir);
    for dataset in ["gum", "gmb"] {
        let gold = read_gold(&dir.join(format!("{dataset}_gold.csv")));
        let docs =
            if dataset == "gum" { read_gum(&dir.join("gum_corpus")) } else { read_gmb(&dir.join("gmb_sample.jsonl")) };
        let mut scores: BTreeMap<String, Score> = BTreeMap::new();
        let mut shown = 0;
        let mut gold_total: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (doc_id, text) in &docs {
            let spans = gold.get(doc_id).cloned().unwrap_or_default();
            let seg = Segmentation::of(text);
            let mut mentions = Vec::new();
            tagger.tag(text, None, &seg, &mut TagScratch::default(), &mut mentions);
            let taken: Vec<(u32, u32)> = mentions.iter().map(|m| (m.start, m.end)).collect();
            let listed: Vec<(usize, usize, &str)> = mentions
                .iter()
                .map(|m| {
                    let t = g.entities[m.entity as usize].etype.as_str();
                    (m.char_start as usize, m.char_end as usize, t)
                })
                .collect();
            let mut found = Vec::new();
            discoverer.find(text, &seg, &taken, &mut DiscoverScratch::default(), &mut found);
            let chars = char_offsets(text);
            for cat in ["person", "organization"] {
                for s in spans.iter().filter(|s| s.gold && s.category == cat) {
                    let e = gold_total.entry(cat).or_default();
                    e.0 += 1;
                    if listed.iter().any(|l| l.2 == cat && l.0 < s.end && s.start < l.1) {
                        e.1 += 1;
                    }
                }
            }
            for d in &found {
                let (cat, rule) = (d.kind.as_str(), rule_name(d));
                let (s, e) = (chars[d.start as usize], chars[d.end as usize]);
                let (s_norm, e_norm) = normalize(text, d, s, e);
                let score = scores.entry(format!("{cat:<12} {rule}")).or_default();
                score.n += 1;
                let same: Vec<&Span> = spans.iter().filter(|g| g.category == cat).collect();
                let hit = same.iter().find(|g| g.gold && g.start < e && s < g.end);
                let verdict = if let Some(h) = hit {
                    score.relaxed += 1;
                    if h.start == s_norm && h.end == e_norm {
                        score.exact += 1;
                    }
                    if !listed.iter().any(|l| l.2 == cat && l.0 < h.end && h.start < l.1) {
                        score.new_gold += 1;
                    }
                    if h.start == s_norm && h.end == e_norm {
                        "ok"
                    } else {
                        "overlap"
                    }
                } else if same.iter().any(|g| !g.gold && g.start < e && s < g.end) {
                    score.ignored += 1;
                    "ign"
                } else {
                    score.fp += 1;
                    "FP"
                };
                if shown < show && verdict != "ok" && verdict != "ign" {
                    shown += 1;
                    let other: Vec<String> = spans
                        .iter()
                        .filter(|g| g.start < e && s < g.end)
                        .map(|g| {
                            format!("{}:{}{}", g.category, if g.gold { "" } else { "opt:" }, slice(text, &chars, g))
                        })
                        .collect();
                    let mut lo = (d.start as usize).saturating_sub(40);
                    while !text.is_char_boundary(lo) {
                        lo -= 1;
                    }
                    let mut hi = (d.end as usize + 30).min(text.len());
                    while !text.is_char_boundary(hi) {
                        hi += 1;
                    }
                    println!(
                        "{verdict:<7} {cat:<12} {rule:<7} [{}]  gold: {:?}  | {}",
                        d.name,
                        other,
                        text[lo..hi].replace('\n', " ")
                    );
                }
            }
        }
        // Cost: segmentation + gazetteer tagging, against discovery on top of it.
        let (mut base, mut disc) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
        let mut scratch = TagScratch::default();
        let mut words = DiscoverScratch::default();
        let (mut mentions, mut found) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            for (_, text) in &docs {
                let t = std::time::Instant::now();
                let seg = Segmentation::of(text);
                tagger.tag(text, None, &seg, &mut scratch, &mut mentions);
                let taken: Vec<(u32, u32)> = mentions.iter().map(|m| (m.start, m.end)).collect();
                let t2 = std::time::Instant::now();
                found.clear();
                discoverer.find(text, &seg, &taken, &mut words, &mut found);
                disc += t2.elapsed();
                base += t2 - t;
            }
        }
        println!(
            "\n{dataset}: discovery costs {:.1}% of segmentation + tagging",
            100.0 * disc.as_secs_f64() / base.as_secs_f64()
        );
        println!("{dataset}: gold spans (covered by gazetteer mentions): {gold_total:?}");
        println!(
            "{:<20} {:>5} {:>6} {:>6} {:>5} {:>5} {:>7} {:>7} {:>5}",
            "rule", "n", "exact", "relax", "ign", "FP", "P.ex", "P.rel", "new"
        );
        for (k, s) in &scores {
            let p = |tp: usize| tp as f64 / (s.relaxed + s.fp).max(1) as f64;
            println!(
                "{k:<20} {:>5} {:>6} {:>6} {:>5} {:>5} {:>7.3} {:>7.3} {:>5}",
                s.n,
                s.exact,
                s.relaxed,
                s.ignored,
                s.fp,
                p(s.exact),
                p(s.relaxed),
                s.new_gold
            );
        }
    }
}

fn rule_name(d: &Discovered) -> &'static str {
    match d.rule {
        Rule::GivenName => "given",
        Rule::Title => "title",
        Rule::OrgSuffix => "suffix",
        Rule::OrgHead => "head",
    }
}

/// The predicted span without a leading "the " (as `eval/evaluate.py` compares).
fn normalize(text: &str, d: &Discovered, s: usize, e: usize) -> (usize, usize) {
    let t = &text[d.start as usize..d.end as usize];
    if d.kind == DiscoveredKind::Organization && (t.starts_with("The ") || t.starts_with("the ")) && t.len() > 4 {
        (s + 4, e)
    } else {
        (s, e)
    }
}

fn slice(text: &str, chars: &[usize], g: &Span) -> String {
    let b: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
    let _ = chars;
    text[b[g.start]..b[g.end]].to_string()
}

/// Code point offset of every byte offset.
fn char_offsets(text: &str) -> Vec<usize> {
    let mut v = vec![0; text.len() + 1];
    let mut n = 0;
    for (i, slot) in v.iter_mut().enumerate() {
        *slot = n;
        if i < text.len() && text.is_char_boundary(i + 1) {
            n += 1;
        }
    }
    v
}

fn read_gold(path: &Path) -> BTreeMap<String, Vec<Span>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut out: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for row in r.records() {
        let row = row.unwrap();
        let cat = &row[3];
        let category = if cat == "country" || cat == "demonym" { "country".to_string() } else { cat.to_string() };
        out.entry(row[0].to_string()).or_default().push(Span {
            start: row[1].parse().unwrap(),
            end: row[2].parse().unwrap(),
            category,
            gold: &row[4] == "gold",
        });
    }
    out
}

fn read_gum(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let id = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.push((id, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn read_gmb(path: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v["text"].as_str().unwrap().to_string())
        })
        .collect()
}
