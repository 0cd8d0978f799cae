//! `cotag report OUT`: one self-contained, well-formed page drawn from a
//! run's tables. CI also renders it with headless Chromium (`.ci/run`).

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Names that would break the page if they were not escaped.
const GAZETTEER: &str = "id\ttype\tname\talias\tkind\tcase\n\
    XSS\tcountry\t<script>alert(\"x\")</script> & Co\tScriptland\tname\t\n\
    ISR\tcountry\tIsrael\tIsrael\tname\t\n\
    CHN\tcountry\tChina\tChina\tname\t\n\
    TUR\tcountry\tTurkey\tTurkey\tname\t\n\
    org:un\torganization\tUnited Nations\tUN\tacronym\t\n\
    person:ada\tperson\tAda Lovelace\tAda Lovelace\tname\t\n";

fn cotag(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cotag")).current_dir(dir).args(args).output().expect("cotag runs")
}

fn ok(dir: &Path, args: &[&str]) {
    let out = cotag(dir, args);
    assert!(out.status.success(), "{args:?}: exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
}

fn write(path: &Path, content: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// A corpus over three years, with an undated document.
fn corpus(dir: &Path) {
    write(&dir.join("g.tsv"), GAZETTEER);
    let lines = [
        r#"{"id":"1","date":"2020-01-02","text":"Israel and China met. Scriptland too."}"#,
        r#"{"id":"2","date":"2020-06-02","text":"Israel and Turkey at the UN."}"#,
        r#"{"id":"3","date":"2021-01-02","text":"China and Turkey. Ada Lovelace wrote."}"#,
        r#"{"id":"4","date":"2022-03-02","text":"Israel, China, Scriptland and the UN."}"#,
        r#"{"id":"5","text":"Israel and China, undated."}"#,
    ];
    write(&dir.join("corpus/news.jsonl"), &(lines.join("\n") + "\n"));
}

/// Checks that every element is closed in order (void HTML elements and
/// `/>` aside), so the page parses the same in any browser, and returns the
/// element names in document order.
fn assert_well_formed(html: &str) -> Vec<String> {
    const VOID: &[&str] = &["meta", "br", "hr", "img", "input", "link"];
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = i + rest[i..].find('>').unwrap_or_else(|| panic!("unclosed tag at {}", &rest[i..]));
        let tag = &rest[i + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name.trim(), "</{name}> closes <{open}>");
            continue;
        }
        let name: String = tag.chars().take_while(|c| !c.is_whitespace() && *c != '/').collect();
        assert!(!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()), "odd tag <{tag}>");
        seen.push(name.clone());
        if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "never closed: {stack:?}");
    seen
}

fn check_self_contained(html: &str) {
    // The only URL is the SVG namespace, which no browser fetches.
    let mut rest = html;
    while let Some(i) = rest.find("http") {
        assert!(rest[i..].starts_with("http://www.w3.org/2000/svg\""), "a URL: {}", &rest[i..(i + 60).min(rest.len())]);
        rest = &rest[i + 4..];
    }
    for needle in ["<script", "<link", "<img", "<iframe", "@import", "url(", " src="] {
        assert!(!html.contains(needle), "the page holds {needle}");
    }
}

#[test]
fn report_of_a_dated_run_has_every_section() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    ok(dir.path(), &["run", "-g", "g.tsv", "-q", "--by", "year", "-w", "sentence,document,tokens:4"]);
    let out = cotag(dir.path(), &["report", "out"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "standard output carries nothing");
    let html = fs::read_to_string(dir.path().join("out/report.html")).unwrap();

    let elements = assert_well_formed(&html);
    check_self_contained(&html);
    // Bars for the three types, the heatmap and the lines: five charts.
    assert_eq!(elements.iter().filter(|e| *e == "svg").count(), 5, "{html}");
    for heading in [
        "<h2 id=\"corpus\">Corpus</h2>",
        "<h2 id=\"entities\">Top entities</h2>",
        "<h3>country</h3>",
        "<h3>organization</h3>",
        "<h3>person</h3>",
        "<h2 id=\"heatmap\">Country associations (NPMI)</h2>",
        "<h2 id=\"pairs\">Strongest pairs</h2>",
        "<h3>sentence</h3>",
        "<h3>tokens:4</h3>",
        "<h2 id=\"time\">Mentions over time</h2>",
        "<h2 id=\"settings\">Settings</h2>",
    ] {
        assert!(html.contains(heading), "missing {heading}");
    }
    // The hostile name is shown, escaped, in the tables and the charts.
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"), "{html}");
    // Mentions over time: the three dated years label the x axis; undated is left out and said so.
    for year in ["2020", "2021", "2022"] {
        assert!(html.contains(&format!(">\n{year}\n</text>")), "{year} is not a label");
    }
    assert!(html.contains("mentions in undated documents are not shown"));
    // Settings come from the manifest.
    assert!(html.contains("<tr><th>by</th><td>year</td></tr>"), "{html}");
    assert!(html.contains("g.tsv"));
    // No temporary file is left beside the page.
    let names: Vec<String> =
        fs::read_dir(dir.path().join("out")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn pooled_npmi_equals_the_tables_npmi_without_by() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    ok(dir.path(), &["run", "-g", "g.tsv", "-q", "-w", "document"]);
    ok(dir.path(), &["report", "out"]);
    let html = fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert_well_formed(&html);
    check_self_contained(&html);
    assert!(!html.contains("Mentions over time"), "no --by, no time chart");
    let mut reader = csv::Reader::from_path(dir.path().join("out/cooccurrence.csv")).unwrap();
    let mut checked = 0;
    for row in reader.records() {
        let row = row.unwrap();
        if row[6].contains('<') || row[7].contains('<') {
            continue;
        }
        let npmi: f64 = row[14].parse().unwrap();
        let expected = format!(
            "<tr><td>{} <code>{}</code></td><td>{} <code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{npmi:.3}</td></tr>",
            &row[6], &row[2], &row[7], &row[3], &row[8], &row[12]
        );
        assert!(html.contains(&expected), "missing {expected}");
        checked += 1;
    }
    assert!(checked >= 4, "{checked}");
}

#[test]
fn a_folder_that_is_not_a_cotag_output_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |args: &[&str], needle: &str| {
        let out = cotag(dir.path(), args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    };
    refused(&["report", "missing"], "missing is not a folder");
    fs::create_dir(dir.path().join("empty")).unwrap();
    refused(&["report", "empty"], "empty is not a cotag output folder: it has no manifest.json");
    write(&dir.path().join("json/manifest.json"), "{\"name\": \"something else\"}");
    refused(&["report", "json"], "not a cotag manifest");

    corpus(dir.path());
    ok(dir.path(), &["run", "-g", "g.tsv", "-q"]);
    fs::remove_file(dir.path().join("out/cooccurrence.csv")).unwrap();
    refused(&["report", "out"], "it has no cooccurrence.csv");
    let entities = dir.path().join("out/entities.csv");
    let text = fs::read_to_string(&entities).unwrap();
    // The mentions of the first entity (row 2) made unreadable.
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut fields: Vec<&str> = lines[1].split(',').collect();
    fields[4] = "lots";
    lines[1] = fields.join(",");
    let broken = lines.join("\n") + "\n";
    fs::write(&entities, broken).unwrap();
    refused(&["report", "out"], "entities.csv:2: mentions is \"lots\", not a whole number");
    assert!(!dir.path().join("out/report.html").exists(), "no page from broken tables");
    // A usage error is clap's, several lines long, but exits 2 as well.
    let usage = cotag(dir.path(), &["report"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("<OUT>"));
}

#[test]
fn report_of_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    for i in 0..2 {
        ok(
            dir.path(),
            &["run", "-g", "g.tsv", "-q", "--by", "month", "--shard", &format!("{i}/2"), "-o", &format!("p{i}")],
        );
    }
    ok(dir.path(), &["merge", "p0", "p1", "-o", "all", "-q"]);
    ok(dir.path(), &["report", "all"]);
    let html = fs::read_to_string(dir.path().join("all/report.html")).unwrap();
    assert_well_formed(&html);
    assert!(html.contains("<h2 id=\"time\">Mentions over time</h2>"));
    assert!(html.contains(">\n2022-03\n</text>"));
}
