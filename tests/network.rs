//! `network.gexf` (SPEC §4): the same network as `nodes.csv` and `edges.csv`,
//! static without `--by` and dynamic (one spell per period) with it.
//! CI also loads it with networkx (`tests/python/check_network.py`).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Names with every character XML needs escaped, and one that is plain.
const GAZETTEER: &str = "id\ttype\tname\talias\tkind\tcase\n\
    org:att\torganization\tAT&T \"Ma Bell\" <Corp>\tAcmeTel\tname\t\n\
    ISR\tcountry\tIsrael\tIsrael\tname\t\n\
    CHN\tcountry\tChina\tChina\tname\t\n\
    TUR\tcountry\tTurkey\tTurkey\tname\t\n\
    FRA\tcountry\tFrance\tFrance\tname\t\n";

fn cotag(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_cotag")).current_dir(dir).args(args).output().expect("cotag runs");
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    out
}

fn write(path: &Path, content: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

fn table(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The value of XML attribute `name` in one tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(unescape(&tag[start..end]))
}

/// Every `<tag ...>` of a kind, as its text up to `>`, in file order.
fn tags<'a>(xml: &'a str, kind: &str) -> Vec<&'a str> {
    let open = format!("<{kind} ");
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let end = i + rest[i..].find('>').unwrap();
        found.push(&rest[i..=end]);
        rest = &rest[end..];
    }
    found
}

/// The text between `<node id="ID"` (or an edge's opening tag) and its closing tag.
fn element<'a>(xml: &'a str, open: &str, close: &str) -> &'a str {
    let i = xml.find(open).unwrap_or_else(|| panic!("{open} not found"));
    let j = i + xml[i..].find(close).unwrap();
    &xml[i..j]
}

#[test]
fn static_network_matches_nodes_and_edges_and_escapes_names() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("g.tsv"), GAZETTEER);
    write(&dir.path().join("corpus/a.txt"), "AcmeTel sells phones in Israel and China.\n\nTurkey too.");
    write(&dir.path().join("corpus/b.txt"), "Israel and China.");
    write(&dir.path().join("corpus/c.txt"), "France.");
    cotag(dir.path(), &["run", "-g", "g.tsv", "-q", "-w", "sentence,document"]);
    let out = dir.path().join("out");
    let xml = fs::read_to_string(out.join("network.gexf")).unwrap();

    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\""));
    assert!(xml.contains("<graph mode=\"static\" defaultedgetype=\"undirected\">"));
    assert!(!xml.contains("<spell"), "a static graph has no spells");
    // The label is escaped in the file and reads back as written.
    assert!(xml.contains("label=\"AT&amp;T &quot;Ma Bell&quot; &lt;Corp&gt;\""), "{xml}");
    assert!(xml.ends_with("</gexf>\n"));

    let nodes = table(&out.join("nodes.csv"));
    let gexf_nodes = tags(&xml, "node");
    assert_eq!(gexf_nodes.len(), nodes.len());
    for (tag, row) in gexf_nodes.iter().zip(&nodes) {
        assert_eq!(attr(tag, "id").as_deref(), Some(row["Id"].as_str()));
        assert_eq!(attr(tag, "label").as_deref(), Some(row["Label"].as_str()));
        let body = element(&xml, tag, "</node>");
        assert!(body.contains(&format!("<attvalue for=\"mentions\" value=\"{}\"/>", row["Mentions"])), "{body}");
        assert!(body.contains(&format!("<attvalue for=\"documents\" value=\"{}\"/>", row["Documents"])), "{body}");
    }

    // Edges are those of the first window (sentence), not of document.
    let edges = table(&out.join("edges.csv"));
    assert!(edges.iter().all(|e| e["Window"] == "sentence"));
    let gexf_edges = tags(&xml, "edge");
    assert_eq!(gexf_edges.len(), edges.len());
    let by_pair: HashMap<(String, String), &HashMap<String, String>> =
        edges.iter().map(|e| ((e["Source"].clone(), e["Target"].clone()), e)).collect();
    let mut ids = Vec::new();
    for tag in &gexf_edges {
        let pair = (attr(tag, "source").unwrap(), attr(tag, "target").unwrap());
        let row = by_pair.get(&pair).unwrap_or_else(|| panic!("{pair:?} is not in edges.csv"));
        assert_eq!(attr(tag, "weight").unwrap(), row["Weight"]);
        let body = element(&xml, tag, "</edge>");
        assert!(body.contains(&format!("<attvalue for=\"npmi\" value=\"{}\"/>", row["Npmi"])), "{body}");
        ids.push(attr(tag, "id").unwrap());
    }
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "edge ids are unique");
    // France is a node with no edge; AcmeTel–Turkey share no sentence.
    assert!(xml.contains("<node id=\"FRA\" label=\"France\">"));
    assert!(!by_pair.contains_key(&("TUR".to_string(), "org:att".to_string())));
}

#[test]
fn a_static_edge_without_npmi_is_one_empty_element() {
    // The first window is tokens:N, which has no npmi: each edge is a
    // self-closed element carrying its weight, nothing else.
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("g.tsv"), GAZETTEER);
    write(&dir.path().join("corpus/a.txt"), "Israel and China met. Turkey and China, later France.");
    cotag(dir.path(), &["run", "-g", "g.tsv", "-q", "-w", "tokens:3,document"]);
    let out = dir.path().join("out");
    let xml = fs::read_to_string(out.join("network.gexf")).unwrap();
    let edges = table(&out.join("edges.csv"));
    assert!(edges.len() >= 2 && edges.iter().all(|e| e["Window"] == "tokens:3" && e["Npmi"].is_empty()), "{edges:?}");
    let gexf_edges = tags(&xml, "edge");
    assert_eq!(gexf_edges.len(), edges.len());
    let weights: HashMap<(String, String), &str> =
        edges.iter().map(|e| ((e["Source"].clone(), e["Target"].clone()), e["Weight"].as_str())).collect();
    for tag in &gexf_edges {
        assert!(tag.ends_with("\"/>"), "{tag}");
        let pair = (attr(tag, "source").unwrap(), attr(tag, "target").unwrap());
        assert_eq!(Some(attr(tag, "weight").unwrap().as_str()), weights.get(&pair).copied(), "{tag}");
    }
    assert!(!xml.contains("</edge>") && !xml.contains("for=\"npmi\" value"), "{xml}");
    assert!(xml.contains("    <edges>\n      <edge id=\"e0\" ") && xml.ends_with("</edges>\n  </graph>\n</gexf>\n"));
}

#[test]
fn dynamic_network_has_a_spell_per_period_and_leaves_undated_out() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("g.tsv"), GAZETTEER);
    let docs = [
        r#"{"id":"a","date":"2021-03-04","text":"Israel and China."}"#,
        r#"{"id":"b","date":"2021-11-30","text":"Israel and China again."}"#,
        r#"{"id":"c","date":"2023-02-01","text":"Israel, China and Turkey."}"#,
        r#"{"id":"d","text":"Israel and China, undated."}"#,
        r#"{"id":"e","text":"France and AcmeTel, undated only."}"#,
    ];
    write(&dir.path().join("corpus/news.jsonl"), &(docs.join("\n") + "\n"));
    for by in ["year", "month"] {
        let out = format!("out-{by}");
        cotag(dir.path(), &["run", "-g", "g.tsv", "-q", "--by", by, "-o", &out, "-w", "document,tokens:3"]);
        let out = dir.path().join(out);
        let xml = fs::read_to_string(out.join("network.gexf")).unwrap();
        assert!(xml.contains("<graph mode=\"dynamic\" defaultedgetype=\"undirected\" timeformat=\"date\""), "{xml}");

        // Seen only in undated documents: in nodes.csv, not on the timeline.
        let nodes = table(&out.join("nodes.csv"));
        assert!(nodes.iter().any(|n| n["Id"] == "FRA"));
        assert!(!xml.contains("id=\"FRA\""), "{xml}");
        assert!(!xml.contains("source=\"FRA\""));

        // Israel: totals over all periods (undated included), spells for dated periods only.
        let isr = element(&xml, "<node id=\"ISR\"", "</node>");
        let isr_row = nodes.iter().find(|n| n["Id"] == "ISR").unwrap();
        assert_eq!(isr_row["Mentions"], "4");
        assert!(isr.contains("<attvalue for=\"mentions\" value=\"4\"/>"), "{isr}");
        let spells: Vec<(String, String)> =
            tags(isr, "spell").iter().map(|t| (attr(t, "start").unwrap(), attr(t, "end").unwrap())).collect();
        let expected: &[(&str, &str)] = if by == "year" {
            &[("2021-01-01", "2021-12-31"), ("2023-01-01", "2023-12-31")]
        } else {
            &[("2021-03-01", "2021-03-31"), ("2021-11-01", "2021-11-30"), ("2023-02-01", "2023-02-28")]
        };
        let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(spells, expected, "{by}");

        // The edge's per-period weights are the rows of edges.csv; its weight their sum.
        let edges = table(&out.join("edges.csv"));
        let rows: BTreeMap<String, String> = edges
            .iter()
            .filter(|e| e["Source"] == "CHN" && e["Target"] == "ISR")
            .map(|e| (e["Period"].clone(), e["Weight"].clone()))
            .collect();
        assert!(rows.contains_key("undated"));
        let total: u64 = rows.values().map(|w| w.parse::<u64>().unwrap()).sum();
        let tag = tags(&xml, "edge").into_iter().find(|t| t.contains("source=\"CHN\" target=\"ISR\"")).unwrap();
        assert_eq!(attr(tag, "weight").unwrap(), total.to_string());
        let body = element(&xml, tag, "</edge>");
        let dated: Vec<(String, String)> = tags(body, "attvalue")
            .iter()
            .filter(|t| attr(t, "for").as_deref() == Some("weight"))
            .map(|t| (attr(t, "start").unwrap(), attr(t, "value").unwrap()))
            .collect();
        let expected: Vec<(String, String)> = rows
            .iter()
            .filter(|(p, _)| p.as_str() != "undated")
            .map(|(p, w)| (if by == "year" { format!("{p}-01-01") } else { format!("{p}-01") }, w.clone()))
            .collect();
        assert_eq!(dated, expected, "{by}: {body}");
        assert_eq!(tags(body, "spell").len(), expected.len());
    }
}

#[test]
fn the_file_does_not_depend_on_threads_or_shards() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("g.tsv"), GAZETTEER);
    let names = ["Israel", "China", "Turkey", "France", "AcmeTel"];
    for i in 0..40 {
        let text = format!(
            "{} and {}.\n\n{} met {}.",
            names[i % 5],
            names[(i * 3 + 1) % 5],
            names[(i + 2) % 5],
            names[i * 7 % 5]
        );
        write(&dir.path().join(format!("corpus/{}/01/02/{i:03}.txt", 2020 + i % 3)), &text);
    }
    cotag(dir.path(), &["run", "-g", "g.tsv", "-q", "--by", "year", "-j", "1", "-o", "one"]);
    cotag(dir.path(), &["run", "-g", "g.tsv", "-q", "--by", "year", "-j", "4", "-o", "four"]);
    for i in 0..3 {
        let shard = format!("{i}/3");
        cotag(dir.path(), &["run", "-g", "g.tsv", "-q", "--by", "year", "--shard", &shard, "-o", &format!("p{i}")]);
    }
    cotag(dir.path(), &["merge", "p2", "p0", "p1", "-o", "merged", "-q"]);
    let read = |name: &str| fs::read(dir.path().join(name).join("network.gexf")).unwrap();
    let one = read("one");
    assert!(String::from_utf8_lossy(&one).contains("<spell start=\"2021-01-01\" end=\"2021-12-31\"/>"));
    assert!(one == read("four"), "thread count changed network.gexf");
    assert!(one == read("merged"), "merged shards differ from one run");
}
