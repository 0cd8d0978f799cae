//! `cotag report OUT`: one self-contained HTML page, `OUT/report.html`,
//! drawn from the tables of a run or a merge.
//!
//! The page needs no network to be read: CSS is inline and every chart is an
//! inline SVG drawn by plotters ([`charts`]); there are no scripts, fonts or
//! images to fetch. It shows the corpus statistics, the top entities of each
//! type, an NPMI heatmap of the most co-occurring countries, the strongest
//! pairs of each window, mentions over time (with `--by`) and the run's
//! settings from `manifest.json`.
//!
//! With `--by`, the tables hold one row per period; the page pools the
//! periods: counts are summed, and NPMI is recomputed from the summed counts
//! (`entities.csv` gives each entity's windows, the manifest the windows of
//! each period), which is what one run over the whole corpus would report.
//! With `--min-count` above 1, pairs below it in a period are missing from
//! the sums.

pub mod charts;

/// Text escaped for the page: the XML escaper serves HTML too (the page holds inline SVG).
use crate::output::gexf::escape as escape_html;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

/// Bars per entity type.
const TOP_ENTITIES: usize = 15;
/// Countries in the heatmap.
const HEATMAP_COUNTRIES: usize = 30;
/// Rows per window in the strongest-pairs tables.
const TOP_PAIRS: usize = 15;
/// Lines in the mentions-over-time chart.
const TIME_SERIES: usize = 8;

/// Reads the tables in `out` and writes `out/report.html` (through a
/// temporary file renamed when complete); returns the page's path.
pub fn write_report(out: &Path) -> Result<PathBuf> {
    let tables = Tables::load(out)?;
    let html = render(&tables)?;
    let page = out.join("report.html");
    let tmp = out.join(".report.html.tmp");
    let written = fs::write(&tmp, html).and_then(|()| fs::rename(&tmp, &page));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", page.display()));
    }
    Ok(page)
}

/// An entity's name and type, and its counts pooled over periods.
#[derive(Debug, Clone, Default)]
struct EntityInfo {
    etype: String,
    name: String,
    mentions: u64,
    documents: u64,
    paragraphs: u64,
    sentences: u64,
    /// Mentions per period label.
    by_period: BTreeMap<String, u64>,
}

/// A pair's counts in one window, pooled over periods.
#[derive(Debug, Clone, Copy, Default)]
struct PairSum {
    count: u64,
    documents: u64,
}

/// What the page is drawn from.
struct Tables {
    folder: PathBuf,
    manifest: Value,
    windows: Vec<String>,
    by: String,
    entities: BTreeMap<String, EntityInfo>,
    /// Per window (in `--window` order): pair (entity_a, entity_b) → sums.
    pairs: Vec<HashMap<(String, String), PairSum>>,
    /// Windows of each kind over all periods: (documents, paragraphs, sentences).
    window_totals: (u64, u64, u64),
    /// Period labels with documents, in order.
    periods: Vec<String>,
    cooccurrence_rows: u64,
}

impl Tables {
    fn load(folder: &Path) -> Result<Tables> {
        if !folder.is_dir() {
            bail!("{} is not a folder; name the output folder of cotag run or cotag merge", folder.display());
        }
        let manifest_path = folder.join("manifest.json");
        let bytes = fs::read(&manifest_path)
            .map_err(|_| anyhow!("{} is not a cotag output folder: it has no manifest.json", folder.display()))?;
        let manifest: Value = serde_json::from_slice(&bytes)
            .map_err(|e| anyhow!("{}: not a cotag manifest: {e}", manifest_path.display()))?;
        if manifest.get("cotag_version").and_then(Value::as_str).is_none() {
            bail!("{}: not a cotag manifest (no cotag_version)", manifest_path.display());
        }
        let options = &manifest["options"];
        let windows: Vec<String> = options["window"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
            .unwrap_or_default();
        if windows.is_empty() {
            bail!("{}: no windows in options.window", manifest_path.display());
        }
        let by = options["by"].as_str().unwrap_or("none").to_string();

        let mut window_totals = (0, 0, 0);
        let mut periods = Vec::new();
        if let Some(per_period) = manifest["totals"]["windows"].as_object() {
            for (period, t) in per_period {
                window_totals.0 += t["documents"].as_u64().unwrap_or(0);
                window_totals.1 += t["paragraphs"].as_u64().unwrap_or(0);
                window_totals.2 += t["sentences"].as_u64().unwrap_or(0);
                periods.push(period.clone());
            }
        }
        periods.sort();

        let mut entities: BTreeMap<String, EntityInfo> = BTreeMap::new();
        read_table(folder, "entities.csv", |row| {
            let e = entities.entry(row.text("entity_id")?.to_string()).or_default();
            e.etype = row.text("type")?.to_string();
            e.name = row.text("name")?.to_string();
            let mentions = row.count("mentions")?;
            e.mentions += mentions;
            e.documents += row.count("documents")?;
            e.paragraphs += row.count("paragraphs")?;
            e.sentences += row.count("sentences")?;
            *e.by_period.entry(row.text("period")?.to_string()).or_default() += mentions;
            Ok(())
        })?;

        let mut pairs: Vec<HashMap<(String, String), PairSum>> = vec![HashMap::new(); windows.len()];
        let mut cooccurrence_rows = 0;
        read_table(folder, "cooccurrence.csv", |row| {
            let window = row.text("window")?;
            let w = windows
                .iter()
                .position(|x| x == window)
                .ok_or_else(|| anyhow!("window {window:?} is not in the manifest's windows"))?;
            let key = (row.text("entity_a")?.to_string(), row.text("entity_b")?.to_string());
            let sum = pairs[w].entry(key).or_default();
            sum.count += row.count("count")?;
            sum.documents += row.count("documents")?;
            cooccurrence_rows += 1;
            Ok(())
        })?;
        Ok(Tables {
            folder: folder.to_path_buf(),
            manifest,
            windows,
            by,
            entities,
            pairs,
            window_totals,
            periods,
            cooccurrence_rows,
        })
    }

    /// An entity's windows of a unit kind, pooled; `None` for `tokens:N`.
    fn marginal(&self, window: &str, id: &str) -> Option<u64> {
        let e = self.entities.get(id)?;
        match window {
            "document" => Some(e.documents),
            "paragraph" => Some(e.paragraphs),
            "sentence" => Some(e.sentences),
            _ => None,
        }
    }

    fn total_windows(&self, window: &str) -> Option<u64> {
        match window {
            "document" => Some(self.window_totals.0),
            "paragraph" => Some(self.window_totals.1),
            "sentence" => Some(self.window_totals.2),
            _ => None,
        }
    }

    /// NPMI of a pair in a unit window over the whole corpus.
    fn npmi(&self, window: &str, a: &str, b: &str, count: u64) -> Option<f64> {
        npmi(count, self.marginal(window, a)?, self.marginal(window, b)?, self.total_windows(window)?)
    }

    fn name<'a>(&'a self, id: &'a str) -> &'a str {
        self.entities.get(id).map_or(id, |e| e.name.as_str())
    }
}

/// SPEC §4's NPMI; `None` where it is undefined.
fn npmi(count: u64, a: u64, b: u64, n: u64) -> Option<f64> {
    if count == 0 || a == 0 || b == 0 || n == 0 || count > n {
        return None;
    }
    if count == n {
        return Some(1.0);
    }
    let (k, a, b, n) = (count as f64, a as f64, b as f64, n as f64);
    Some((k * n / (a * b)).log2() / -(k / n).log2())
}

/// One row of a table being read, with errors that name the file and line.
struct CsvRow<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl CsvRow<'_> {
    fn text(&self, column: &str) -> Result<&str> {
        let i = self.columns.get(column).ok_or_else(|| anyhow!("no column {column}"))?;
        self.record.get(*i).ok_or_else(|| anyhow!("missing field {column}"))
    }

    fn count(&self, column: &str) -> Result<u64> {
        let text = self.text(column)?;
        text.parse().map_err(|_| anyhow!("{column} is {text:?}, not a whole number"))
    }
}

fn read_table(folder: &Path, name: &str, mut each: impl FnMut(&CsvRow) -> Result<()>) -> Result<()> {
    let path = folder.join(name);
    let mut reader = csv::Reader::from_path(&path).map_err(|e| match e.kind() {
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            anyhow!("{} is not a cotag output folder: it has no {name}", folder.display())
        }
        _ => anyhow!("cannot read {}: {e}", path.display()),
    })?;
    let columns: HashMap<String, usize> = reader
        .headers()
        .with_context(|| format!("cannot read {}", path.display()))?
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_string(), i))
        .collect();
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => bail!("{}: {e}", path.display()),
        }
        line = record.position().map_or(line + 1, |p| p.line());
        each(&CsvRow { columns: &columns, record: &record }).with_context(|| format!("{}:{line}", path.display()))?;
    }
}

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}h3{margin-bottom:.3rem}
.sub{color:#666;margin-top:0}.note{color:#555;font-size:.92rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f4f4f4}
.grid{display:flex;flex-wrap:wrap;gap:1rem}.grid>div{flex:1 1 520px}
svg{max-width:100%;height:auto}
code{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px;word-break:break-all}
.legend{display:inline-block;width:220px;height:12px;vertical-align:middle;border:1px solid #ccc;
background:linear-gradient(to right,rgb(33,102,172),rgb(255,255,255),rgb(178,24,43))}
";

fn render(t: &Tables) -> Result<String> {
    let mut h = String::with_capacity(1 << 18);
    let m = &t.manifest;
    let folder = t.folder.display().to_string();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(h, "<title>cotag report: {}</title>", escape_html(&folder));
    let _ = writeln!(h, "<style>\n{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(h, "<h1>cotag report</h1>");
    let _ = writeln!(
        h,
        "<p class=\"sub\">Tables in <code>{}</code>, made by cotag {} (finished {}).</p>",
        escape_html(&folder),
        escape_html(m["cotag_version"].as_str().unwrap_or("?")),
        escape_html(m["finished"].as_str().unwrap_or("?"))
    );

    corpus_section(&mut h, t);
    entities_section(&mut h, t)?;
    heatmap_section(&mut h, t)?;
    pairs_section(&mut h, t);
    time_section(&mut h, t)?;
    settings_section(&mut h, t);
    h.push_str("</body>\n</html>\n");
    Ok(h)
}

fn stat_row(h: &mut String, label: &str, value: impl std::fmt::Display) {
    let _ =
        writeln!(h, "<tr><th>{}</th><td class=\"n\">{}</td></tr>", escape_html(label), escape_html(&value.to_string()));
}

fn corpus_section(h: &mut String, t: &Tables) {
    let totals = &t.manifest["totals"];
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    h.push_str("<h2 id=\"corpus\">Corpus</h2>\n<table>\n");
    if let Some(docs) = totals["documents"].as_object() {
        let all: u64 = docs.values().map(n).sum();
        stat_row(h, "documents", all);
        for (status, count) in docs {
            if n(count) > 0 {
                stat_row(h, &format!("documents {status}"), n(count));
            }
        }
    }
    stat_row(h, "megabytes of text", format!("{:.1}", n(&totals["bytes"]) as f64 / 1e6));
    for key in ["tokens", "sentences", "paragraphs", "mentions"] {
        stat_row(h, key, n(&totals[key]));
    }
    stat_row(h, "entities seen", t.entities.len());
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for e in t.entities.values() {
        *by_type.entry(e.etype.as_str()).or_default() += 1;
    }
    for (etype, count) in by_type {
        stat_row(h, &format!("entities of type {etype}"), count);
    }
    for (w, pairs) in t.windows.iter().zip(&t.pairs) {
        stat_row(h, &format!("pairs sharing a {w} window"), pairs.len());
    }
    stat_row(h, "rows of cooccurrence.csv", t.cooccurrence_rows);
    if t.by != "none" {
        stat_row(h, &format!("periods (--by {})", t.by), t.periods.len());
    }
    h.push_str("</table>\n");
}

/// Types in the order a reader looks for them: the three of SPEC §3, then others by size.
fn types_in_order(t: &Tables) -> Vec<String> {
    let mut mentions: BTreeMap<&str, u64> = BTreeMap::new();
    for e in t.entities.values() {
        *mentions.entry(e.etype.as_str()).or_default() += e.mentions;
    }
    let mut types: Vec<String> = ["country", "organization", "person"]
        .iter()
        .filter(|x| mentions.contains_key(*x))
        .map(|x| x.to_string())
        .collect();
    let mut others: Vec<(&str, u64)> =
        mentions.iter().filter(|(k, _)| !types.iter().any(|t| t == *k)).map(|(k, v)| (*k, *v)).collect();
    others.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    types.extend(others.into_iter().map(|(k, _)| k.to_string()));
    types
}

fn entities_section(h: &mut String, t: &Tables) -> Result<()> {
    h.push_str("<h2 id=\"entities\">Top entities</h2>\n");
    if t.entities.is_empty() {
        h.push_str("<p class=\"note\">No entity was tagged in this corpus.</p>\n");
        return Ok(());
    }
    let _ =
        writeln!(h, "<p class=\"note\">The {TOP_ENTITIES} most mentioned entities of each type, over all periods.</p>");
    h.push_str("<div class=\"grid\">\n");
    for (k, etype) in types_in_order(t).iter().enumerate() {
        let mut top: Vec<(&String, &EntityInfo)> = t.entities.iter().filter(|(_, e)| &e.etype == etype).collect();
        top.sort_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then(a.0.cmp(b.0)));
        top.truncate(TOP_ENTITIES);
        let items: Vec<(String, u64)> = top.iter().map(|(_, e)| (e.name.clone(), e.mentions)).collect();
        let svg = charts::bars(&items, charts::PALETTE[k % charts::PALETTE.len()], "mentions")?;
        let _ = writeln!(h, "<div>\n<h3>{}</h3>\n{svg}\n</div>", escape_html(etype));
    }
    h.push_str("</div>\n");
    Ok(())
}

fn heatmap_section(h: &mut String, t: &Tables) -> Result<()> {
    h.push_str("<h2 id=\"heatmap\">Country associations (NPMI)</h2>\n");
    let Some(w) = t.windows.iter().position(|w| t.total_windows(w).is_some()) else {
        h.push_str("<p class=\"note\">NPMI is not defined for tokens:N windows, the only ones of this run.</p>\n");
        return Ok(());
    };
    let window = &t.windows[w];
    let is_country = |id: &str| t.entities.get(id).is_some_and(|e| e.etype == "country");
    let mut strength: HashMap<&str, u64> = HashMap::new();
    for ((a, b), s) in &t.pairs[w] {
        if is_country(a) && is_country(b) {
            *strength.entry(a).or_default() += s.count;
            *strength.entry(b).or_default() += s.count;
        }
    }
    let mut top: Vec<(&str, u64)> = strength.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top.truncate(HEATMAP_COUNTRIES);
    if top.len() < 2 {
        h.push_str("<p class=\"note\">Fewer than two countries share a window: nothing to compare.</p>\n");
        return Ok(());
    }
    let ids: Vec<&str> = top.iter().map(|x| x.0).collect();
    let cells: Vec<Vec<Option<f64>>> = ids
        .iter()
        .map(|a| {
            ids.iter()
                .map(|b| {
                    let key = if a < b { (a.to_string(), b.to_string()) } else { (b.to_string(), a.to_string()) };
                    t.pairs[w].get(&key).and_then(|s| t.npmi(window, &key.0, &key.1, s.count))
                })
                .collect()
        })
        .collect();
    let short: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let long: Vec<String> = ids.iter().map(|id| t.name(id).to_string()).collect();
    let svg = charts::heatmap(&short, &long, &cells)?;
    let _ = writeln!(
        h,
        "<p class=\"note\">The {} countries that share the most {} windows with other countries, \
         by NPMI over the whole corpus: <span class=\"legend\"></span> from −1 (never together) through 0 \
         (independent) to +1 (always together); grey: no shared window.</p>",
        ids.len(),
        escape_html(window)
    );
    h.push_str(&svg);
    h.push('\n');
    Ok(())
}

fn pairs_section(h: &mut String, t: &Tables) {
    h.push_str("<h2 id=\"pairs\">Strongest pairs</h2>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">The {TOP_PAIRS} pairs that share the most windows of each kind, over all periods.</p>"
    );
    for (w, window) in t.windows.iter().enumerate() {
        let _ = writeln!(h, "<h3>{}</h3>", escape_html(window));
        let mut top: Vec<(&(String, String), &PairSum)> = t.pairs[w].iter().collect();
        if top.is_empty() {
            h.push_str("<p class=\"note\">No pair shares such a window.</p>\n");
            continue;
        }
        top.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        top.truncate(TOP_PAIRS);
        let unit = t.total_windows(window).is_some();
        let what = if unit { "windows" } else { "mention pairs" };
        let _ = writeln!(
            h,
            "<table>\n<tr><th>entity a</th><th>entity b</th><th class=\"n\">{what}</th><th class=\"n\">documents</th><th class=\"n\">NPMI</th></tr>"
        );
        for ((a, b), s) in top {
            let npmi = t.npmi(window, a, b, s.count).map_or("—".to_string(), |x| format!("{x:.3}"));
            let _ = writeln!(
                h,
                "<tr><td>{} <code>{}</code></td><td>{} <code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape_html(t.name(a)),
                escape_html(a),
                escape_html(t.name(b)),
                escape_html(b),
                s.count,
                s.documents,
                npmi
            );
        }
        h.push_str("</table>\n");
    }
}

fn time_section(h: &mut String, t: &Tables) -> Result<()> {
    if t.by == "none" {
        return Ok(());
    }
    h.push_str("<h2 id=\"time\">Mentions over time</h2>\n");
    let periods: Vec<String> = t.periods.iter().filter(|p| p.as_str() != "undated").cloned().collect();
    if periods.is_empty() {
        h.push_str("<p class=\"note\">No document has a date.</p>\n");
        return Ok(());
    }
    let mut top: Vec<(&String, &EntityInfo)> = t.entities.iter().collect();
    top.sort_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then(a.0.cmp(b.0)));
    top.truncate(TIME_SERIES);
    let series: Vec<(String, Vec<u64>)> = top
        .iter()
        .map(|(_, e)| (e.name.clone(), periods.iter().map(|p| e.by_period.get(p).copied().unwrap_or(0)).collect()))
        .collect();
    let undated: u64 = t.entities.values().filter_map(|e| e.by_period.get("undated")).sum();
    let _ = writeln!(
        h,
        "<p class=\"note\">Mentions per {} of the {} most mentioned entities{}.</p>",
        escape_html(&t.by),
        series.len(),
        if undated > 0 { format!("; {undated} mentions in undated documents are not shown") } else { String::new() }
    );
    h.push_str(&charts::lines(&periods, &series)?);
    h.push('\n');
    Ok(())
}

fn settings_section(h: &mut String, t: &Tables) {
    let m = &t.manifest;
    h.push_str("<h2 id=\"settings\">Settings</h2>\n<table>\n");
    let show = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_string(),
        Value::Array(a) if a.is_empty() => "—".to_string(),
        Value::Array(a) => {
            a.iter().map(|x| x.as_str().map_or_else(|| x.to_string(), String::from)).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    };
    if let Some(options) = m["options"].as_object() {
        for (key, value) in options {
            let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", escape_html(key), escape_html(&show(value)));
        }
    }
    for key in ["shard", "threads", "started", "finished", "elapsed_seconds"] {
        let _ = writeln!(h, "<tr><th>{key}</th><td>{}</td></tr>", escape_html(&show(&m[key])));
    }
    let _ = writeln!(h, "<tr><th>corpus roots</th><td>{}</td></tr>", escape_html(&show(&m["corpus_roots"])));
    let command: Vec<String> = m["command_line"].as_array().map_or_else(Vec::new, |a| a.iter().map(show).collect());
    let _ = writeln!(h, "<tr><th>command line</th><td><code>{}</code></td></tr>", escape_html(&command.join(" ")));
    h.push_str("</table>\n");
    if let Some(gazetteers) = m["gazetteers"].as_array() {
        h.push_str("<h3>Gazetteers</h3>\n<table>\n<tr><th>file</th><th class=\"n\">entities</th><th class=\"n\">aliases</th><th>SHA-256</th></tr>\n");
        for g in gazetteers {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td></tr>",
                escape_html(&show(&g["file"])),
                escape_html(&show(&g["entities"])),
                escape_html(&show(&g["aliases"])),
                escape_html(&show(&g["sha256"]))
            );
        }
        h.push_str("</table>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npmi_follows_the_spec() {
        assert_eq!(npmi(5, 5, 5, 5), Some(1.0));
        assert_eq!(npmi(0, 5, 5, 10), None);
        // Independent: count·windows = count_a·count_b.
        assert!(npmi(2, 4, 5, 10).unwrap().abs() < 1e-12);
        // Always together but not everywhere: +1.
        assert!((npmi(3, 3, 3, 10).unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html("<b>\"AT&T\"</b> 'x'"), "&lt;b&gt;&quot;AT&amp;T&quot;&lt;/b&gt; &apos;x&apos;");
        assert_eq!(escape_html("a\u{1}b"), "a\u{fffd}b");
    }
}
