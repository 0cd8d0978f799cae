//! `cotag gazetteer check`: what in a gazetteer will surprise a run.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use super::{nested, CaseRule, Gazetteer};
use crate::cli::printable;

/// How often each word form appears all-lowercase and capitalized (not at a
/// sentence start) in real news sentences (GMB); built by
/// `gazetteers/build/wordfreq.py`.
static WORD_FREQUENCIES: &str = include_str!("../data/english_lowercase.tsv");

/// A word is "everyday" when news writes it in lower case at least this often...
pub(crate) const EVERYDAY_MIN_LOWER: u32 = 10;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The gazetteer cannot be used.
    Error,
    /// The gazetteer works, but a run may not do what its author meant.
    Warning,
    /// Worth knowing, handled by the rules (e.g. nested aliases, where the
    /// longest match wins).
    Note,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// A short name for the rule (`ambiguous`, `duplicate`...).
    pub rule: &'static str,
    /// What was found, naming the file, line or alias.
    pub message: String,
}

/// Everything found in a gazetteer.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// Findings in report order.
    pub findings: Vec<Finding>,
}

impl LintReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Warning).count()
    }

    /// Number of notes.
    pub fn notes(&self) -> usize {
        self.findings.iter().filter(|f| f.severity == Severity::Note).count()
    }

    /// The report as text: one line per finding (notes: the first
    /// `max_notes` of each rule), then the counts.
    pub fn render(&self, gazetteer: &Gazetteer, max_notes: usize) -> String {
        let mut out = String::new();
        for f in &gazetteer.files {
            let _ = writeln!(out, "{}: {} entities, {} aliases", printable(&f.label), f.entities, f.aliases);
        }
        let mut notes_shown: HashMap<&str, usize> = HashMap::new();
        for f in &self.findings {
            let word = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => {
                    let shown = notes_shown.entry(f.rule).or_default();
                    *shown += 1;
                    if *shown > max_notes {
                        continue;
                    }
                    "note"
                }
            };
            // Aliases and ids come from the files: a control character in
            // one is shown escaped, never sent to the terminal.
            let _ = writeln!(out, "{word}[{}]: {}", f.rule, printable(&f.message));
        }
        for (rule, shown) in notes_shown {
            if shown > max_notes {
                let _ = writeln!(out, "note[{rule}]: ... and {} more (--all lists them)", shown - max_notes);
            }
        }
        let _ = writeln!(out, "{} errors, {} warnings, {} notes", self.errors(), self.warnings(), self.notes());
        out
    }
}

/// The most entity ids one `ambiguous` warning lists: an alias shared by
/// thousands of entities (a surname in a people list) makes one readable line.
const AMBIGUOUS_IDS_SHOWN: usize = 12;

/// `items` joined by ", ", the first `shown` of them and then how many more.
fn listed(items: &[&str], shown: usize) -> String {
    if items.len() <= shown {
        return items.join(", ");
    }
    format!("{} and {} more", items[..shown].join(", "), items.len() - shown)
}

/// Lints a loaded gazetteer.
pub fn lint(gazetteer: &Gazetteer) -> LintReport {
    let mut report = LintReport::default();
    for e in &gazetteer.errors {
        report.findings.push(Finding { severity: Severity::Error, rule: "invalid", message: e.to_string() });
    }
    for w in &gazetteer.warnings {
        report.findings.push(Finding { severity: Severity::Warning, rule: w.rule, message: w.to_string() });
    }
    // Ambiguous: one surface form, several entities. A run resolves these from
    // the rest of the document or leaves them out (SPEC §3).
    // Sorted (alias, entity) pairs, deduplicated: n log n however many
    // entities share one alias (a list test per entity was quadratic).
    let mut shared: Vec<(&str, u32)> = gazetteer.aliases.iter().map(|a| (a.text.as_str(), a.entity)).collect();
    shared.sort_unstable();
    shared.dedup();
    for group in shared.chunk_by(|x, y| x.0 == y.0) {
        if group.len() > 1 {
            // In the order of the entities in the files, as they were read.
            let ids: Vec<&str> = group.iter().map(|&(_, e)| gazetteer.entities[e as usize].id.as_str()).collect();
            report.findings.push(Finding {
                severity: Severity::Warning,
                rule: "ambiguous",
                message: format!("alias '{}' is shared by {}", group[0].0, listed(&ids, AMBIGUOUS_IDS_SHOWN)),
            });
        }
    }
    case_clashes(gazetteer, &mut report);
    everyday_words(gazetteer, &mut report);
    nested_aliases(gazetteer, &mut report);
    report
}

/// The surface that two aliases written differently (the same in lower
/// case) both match by their case rules, if any: "Saarc" (`smart`) and
/// "SAARC" (`exact`) both match "SAARC".
fn shared_surface(a: (&str, CaseRule), b: (&str, CaseRule)) -> Option<String> {
    use CaseRule::*;
    match (a.1, b.1) {
        // `any` takes the other as written.
        (Any, _) => Some(b.0.to_string()),
        (_, Any) => Some(a.0.to_string()),
        (Exact, Exact) => None,
        (Exact, Smart) => (a.0 == b.0.to_uppercase()).then(|| a.0.to_string()),
        (Smart, Exact) => (b.0 == a.0.to_uppercase()).then(|| b.0.to_string()),
        (Smart, Smart) => {
            let upper = a.0.to_uppercase();
            (upper == b.0.to_uppercase()).then_some(upper)
        }
    }
}

/// Ambiguous by case: aliases of different entities, written differently,
/// that one surface matches through their case rules. A `smart` alias also
/// matches its capitals, so "Saarc" for one id and the acronym "SAARC" of
/// another make every "SAARC" ambiguous, which a run then resolves from
/// context or leaves out, as it does an alias written alike for both.
fn case_clashes(gazetteer: &Gazetteer, report: &mut LintReport) {
    // Each distinct (text, case) form with its entities, grouped by the
    // text in lower case: forms, not aliases, are compared pairwise, so an
    // alias that thousands of ids share costs one form.
    let mut forms: Vec<(String, &str, CaseRule, u32)> =
        gazetteer.aliases.iter().map(|a| (a.text.to_lowercase(), a.text.as_str(), a.case, a.entity)).collect();
    forms.sort_unstable();
    forms.dedup();
    for group in forms.chunk_by(|x, y| x.0 == y.0) {
        if group.iter().all(|f| f.1 == group[0].1) {
            continue;
        }
        let by_form: Vec<&[(String, &str, CaseRule, u32)]> = group.chunk_by(|x, y| (x.1, x.2) == (y.1, y.2)).collect();
        for (i, first) in by_form.iter().enumerate() {
            for second in &by_form[i + 1..] {
                let (a, b) = (&first[0], &second[0]);
                if a.1 == b.1 {
                    continue; // written alike: the `ambiguous` rule above names them
                }
                let entities: BTreeSet<u32> = first.iter().chain(second.iter()).map(|f| f.3).collect();
                if entities.len() < 2 {
                    continue;
                }
                let Some(surface) = shared_surface((a.1, a.2), (b.1, b.2)) else { continue };
                let ids = |form: &[(String, &str, CaseRule, u32)]| -> String {
                    let ids: Vec<&str> = form.iter().map(|f| gazetteer.entities[f.3 as usize].id.as_str()).collect();
                    listed(&ids, AMBIGUOUS_IDS_SHOWN)
                };
                report.findings.push(Finding {
                    severity: Severity::Warning,
                    rule: "ambiguous",
                    message: format!(
                        "aliases '{}' ({}, {}) and '{}' ({}, {}) both match '{surface}'",
                        a.1,
                        a.2.as_str(),
                        ids(first),
                        b.1,
                        b.2.as_str(),
                        ids(second)
                    ),
                });
            }
        }
    }
}

/// Word frequencies: word → (lower-case count, capitalized count).
pub(crate) fn word_frequencies() -> HashMap<&'static str, (u32, u32)> {
    WORD_FREQUENCIES
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let word = cells.next()?;
            let lower = cells.next()?.parse().ok()?;
            let capitalized = cells.next()?.parse().ok()?;
            Some((word, (lower, capitalized)))
        })
        .collect()
}

/// Aliases that are everyday lower-case words in English news: they fire on
/// ordinary text when their case rule lets a lower-case or sentence-initial
/// form through.
fn everyday_words(gazetteer: &Gazetteer, report: &mut LintReport) {
    let frequencies = word_frequencies();
    let mut seen = std::collections::HashSet::new();
    for a in &gazetteer.aliases {
        if a.text.contains(char::is_whitespace) || !seen.insert((a.text.as_str(), a.case)) {
            continue;
        }
        let lower = a.text.to_lowercase();
        let Some(&(in_lower, capitalized)) = frequencies.get(lower.as_str()) else {
            continue;
        };
        // Mostly written in lower case: an everyday word, not a name.
        if in_lower < EVERYDAY_MIN_LOWER || in_lower <= capitalized {
            continue;
        }
        let id = &gazetteer.entities[a.entity as usize].id;
        let written_lower = a.text == lower;
        let risk = match a.case {
            CaseRule::Any => "case 'any' matches it in running text",
            _ if written_lower => "it is written in lower case, so it matches running text",
            CaseRule::Smart => "case 'smart' still matches it capitalized at a sentence start",
            CaseRule::Exact => continue,
        };
        report.findings.push(Finding {
            severity: Severity::Warning,
            rule: "everyday-word",
            message: format!(
                "alias '{}' ({id}) is an everyday word (lower case {in_lower}×, capitalized {capitalized}× in news): {risk}",
                a.text
            ),
        });
    }
}

/// Aliases found as whole words inside another entity's alias ("Sudan" in
/// "South Sudan"): the longest match wins, so these are notes, sorted by
/// inner alias, its entity, outer alias and its entity.
fn nested_aliases(gazetteer: &Gazetteer, report: &mut LintReport) {
    // Sorted, the rows of one text come together, and texts that start with
    // the same words are neighbours: building the automaton then finds the
    // states they share still in cache.
    let mut rows: Vec<(&str, u32)> = gazetteer.aliases.iter().map(|a| (a.text.as_str(), a.entity)).collect();
    rows.sort_unstable();
    rows.dedup();
    let groups: Vec<&[(&str, u32)]> = rows.chunk_by(|a, b| a.0 == b.0).collect();
    let texts: Vec<&str> = groups.iter().map(|group| group[0].0).collect();
    let mut found = BTreeSet::new();
    for (inner, outer) in nested::nested_texts(&texts) {
        for &(inner, inner_entity) in groups[inner] {
            for &(outer, outer_entity) in groups[outer].iter().filter(|&&(_, e)| e != inner_entity) {
                found.insert((inner, inner_entity, outer, outer_entity));
            }
        }
    }
    for (inner, inner_entity, outer, outer_entity) in found {
        let (i, o) = (&gazetteer.entities[inner_entity as usize].id, &gazetteer.entities[outer_entity as usize].id);
        report.findings.push(Finding {
            severity: Severity::Note,
            rule: "nested",
            message: format!("alias '{inner}' ({i}) stands inside '{outer}' ({o}); the longer match wins"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerBuilder;

    #[test]
    fn ambiguous_aliases_and_duplicates_are_warnings() {
        let mut b = GazetteerBuilder::new();
        b.add_text(
            "g.tsv",
            b"id\ttype\tname\talias\nGEO\tcountry\tGeorgia\tGeorgia\nUS-GA\tstate\tGeorgia (US)\tGeorgia\nGEO\tcountry\tGeorgia\tGeorgia\n",
        )
        .unwrap();
        let g = b.build();
        let report = lint(&g);
        assert_eq!(report.errors(), 0);
        assert_eq!(report.warnings(), 2);
        let text = report.render(&g, 10);
        assert!(text.contains("warning[ambiguous]: alias 'Georgia' is shared by GEO, US-GA"), "{text}");
        assert!(text.contains("warning[duplicate]: g.tsv:4: duplicate row"), "{text}");
        assert!(text.ends_with("0 errors, 2 warnings, 0 notes\n"));
    }

    #[test]
    fn aliases_written_differently_that_one_surface_matches_are_ambiguous() {
        let mut b = GazetteerBuilder::new();
        b.add_text(
            "g.tsv",
            "id\ttype\tname\talias\tkind\tcase\n\
             org:saarc\torganization\tSAARC\tSAARC\tacronym\texact\n\
             org:saarc-2\torganization\tSaarc\tSaarc\tname\tsmart\n\
             org:acme\torganization\tAcme\tAcme\tname\texact\n\
             org:acme-2\torganization\tACME\tACME\tname\texact\n\
             org:kim\torganization\tKim\tKim\tname\tsmart\n\
             org:kim-2\torganization\tKIM\tkim\talias\tany\n\
             org:one\torganization\tOne\tOne Org\tname\tsmart\n\
             org:one\torganization\tOne\tONE ORG\talias\texact\n\
             org:us-senate\torganization\tUS Senate\tUS Senate\tname\tsmart\n\
             org:us-congress\torganization\tCongress\tUs Senate\talias\tsmart\n"
                .as_bytes(),
        )
        .unwrap();
        let g = b.build();
        let text = lint(&g).render(&g, 10);
        // "Saarc" matches its capitals, which the other id's acronym is.
        assert!(
            text.contains(
                "warning[ambiguous]: aliases 'SAARC' (exact, org:saarc) and 'Saarc' (smart, org:saarc-2) both match 'SAARC'"
            ),
            "{text}"
        );
        // `any` matches the other as written.
        assert!(text.contains("aliases 'Kim' (smart, org:kim) and 'kim' (any, org:kim-2) both match 'Kim'"), "{text}");
        // Two `smart` aliases share their capitals.
        assert!(
            text.contains(
                "aliases 'US Senate' (smart, org:us-senate) and 'Us Senate' (smart, org:us-congress) both match \
                 'US SENATE'"
            ),
            "{text}"
        );
        // Two `exact` aliases written differently share no surface; two forms of one id are no ambiguity.
        assert!(!text.contains("Acme") && !text.contains("ONE ORG"), "{text}");
        assert_eq!(lint(&g).warnings(), 3, "{text}");
    }

    #[test]
    fn an_alias_shared_by_thousands_is_one_short_line() {
        let rows: String = (0..5000).map(|i| format!("P{i:04}\tperson\tSmith {i}\tSmith\n")).collect();
        let mut b = GazetteerBuilder::new();
        b.add_text("g.tsv", format!("id\ttype\tname\talias\n{rows}").as_bytes()).unwrap();
        let g = b.build();
        let text = lint(&g).render(&g, 10);
        let line = text.lines().find(|l| l.starts_with("warning[ambiguous]")).expect("an ambiguous warning");
        assert_eq!(
            line,
            "warning[ambiguous]: alias 'Smith' is shared by P0000, P0001, P0002, P0003, P0004, P0005, P0006, \
             P0007, P0008, P0009, P0010, P0011 and 4988 more"
        );
    }

    #[test]
    fn control_characters_in_findings_are_escaped() {
        let mut b = GazetteerBuilder::new();
        b.add_text("g.tsv", b"id\ttype\tname\talias\nA\tperson\tA\tBad\x1b[2JName\nB\tperson\tB\tBad\x1b[2JName\n")
            .unwrap();
        let g = b.build();
        let text = lint(&g).render(&g, 10);
        assert!(!text.contains('\x1b'), "{text:?}");
        assert!(text.contains("alias 'Bad\\u{1b}[2JName' is shared by A, B"), "{text}");
    }

    fn lint_rows(rows: &str) -> LintReport {
        let mut b = GazetteerBuilder::lenient();
        b.add_text("g.tsv", format!("id\ttype\tname\talias\tcase\n{rows}").as_bytes()).unwrap();
        lint(&b.build())
    }

    fn rules(report: &LintReport) -> Vec<(&'static str, Severity)> {
        report.findings.iter().map(|f| (f.rule, f.severity)).collect()
    }

    #[test]
    fn everyday_words_are_found_from_news_frequencies() {
        // "said" and "state" are everyday words in news; "Israel" is a name.
        let report = lint_rows("x\torganization\tX\tstate\t\ny\torganization\tY\tSaid\tany\nz\torganization\tZ\tState\texact\nISR\tcountry\tIsrael\tIsrael\t\n");
        let messages: Vec<&str> = report.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(report.warnings(), 2, "{messages:?}");
        assert!(messages[0].starts_with("alias 'state' (x) is an everyday word"), "{messages:?}");
        assert!(messages[1].contains("case 'any'"), "{messages:?}");
    }

    #[test]
    fn nested_aliases_are_notes_and_errors_are_all_listed() {
        let report = lint_rows(
            "SDN\tcountry\tSudan\tSudan\t\nSSD\tcountry\tSouth Sudan\tSouth Sudan\t\nq\tperson\tQ\t\t\nr\tperson\tR\tR\tloud\n",
        );
        assert_eq!(
            rules(&report),
            [("invalid", Severity::Error), ("invalid", Severity::Error), ("nested", Severity::Note)]
        );
        assert!(report.findings[2].message.contains("'Sudan' (SDN) stands inside 'South Sudan' (SSD)"));
        let text = report.render(&GazetteerBuilder::new().build(), 0);
        assert!(text.contains("note[nested]: ... and 1 more"), "{text}");
    }

    #[test]
    fn an_alias_of_many_words_is_checked_whole() {
        // Its words are found in one pass: looking up every span of them took
        // minutes. "w19990" and "w3 w4" stand inside it; "w3 w5" does not.
        let long: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
        let report = lint_rows(&format!(
            "L\torganization\tL\t{}\t\nA\torganization\tA\tw19990\t\nB\torganization\tB\tw3 w4\t\nC\torganization\tC\tw3 w5\t\n",
            long.join(" ")
        ));
        assert_eq!(rules(&report), [("nested", Severity::Note), ("nested", Severity::Note)]);
        assert!(
            report.findings[0].message.starts_with("alias 'w19990' (A) stands inside 'w0 w1 w2 "),
            "{}",
            report.findings[0].message
        );
        assert!(report.findings[1].message.starts_with("alias 'w3 w4' (B) stands inside 'w0 w1 w2 "));
        assert!(report.findings[1].message.ends_with(" w19999' (L); the longer match wins"));
    }

    #[test]
    fn import_warnings_are_named_by_their_own_rule() {
        let mut b = GazetteerBuilder::lenient();
        let spacy = r#"{"label": "ORG", "pattern": [{"LOWER": "apple"}, {"ORTH": "Inc."}]}"#;
        b.add_text("p.jsonl", spacy.as_bytes()).unwrap();
        b.add_text("d.yml", b"A:\n  x: [Xland]\n  w:\n").unwrap();
        b.add_text("g.tsv", b"id\ttype\tname\talias\nY\tcountry\tY\tYland\nY\tcountry\tY\tYland\n").unwrap();
        let g = b.build();
        let report = lint(&g);
        let warnings: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
        assert_eq!(warnings, ["mixed-case", "empty-key", "duplicate"]);
        let text = report.render(&g, 10);
        assert!(text.contains("warning[mixed-case]: p.jsonl:1: pattern 'apple Inc.' mixes ORTH and LOWER"), "{text}");
        assert!(text.contains("warning[empty-key]: d.yml:3: key 'A.w' has no patterns"), "{text}");
        assert!(text.contains("warning[duplicate]: g.tsv:3: duplicate row"), "{text}");
    }
}
