//! `cotag gazetteer check`: what in a gazetteer will surprise a run.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Gazetteer;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The gazetteer cannot be used.
    Error,
    /// The gazetteer works, but a run may not do what its author meant.
    Warning,
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

    /// The report as text: one line per finding, then a count.
    pub fn render(&self, gazetteer: &Gazetteer) -> String {
        let mut out = String::new();
        for f in &gazetteer.files {
            let _ = writeln!(out, "{}: {} entities, {} aliases", f.label, f.entities, f.aliases);
        }
        for f in &self.findings {
            let word = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(out, "{word}[{}]: {}", f.rule, f.message);
        }
        let _ = writeln!(out, "{} errors, {} warnings", self.errors(), self.warnings());
        out
    }
}

/// Lints a loaded gazetteer.
pub fn lint(gazetteer: &Gazetteer) -> LintReport {
    let mut report = LintReport::default();
    for w in &gazetteer.warnings {
        report.findings.push(Finding { severity: Severity::Warning, rule: "duplicate", message: w.to_string() });
    }
    // Ambiguous: one surface form, several entities. A run resolves these from
    // the rest of the document or leaves them out (SPEC §3).
    let mut by_alias: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for a in &gazetteer.aliases {
        let ids = by_alias.entry(a.text.as_str()).or_default();
        if !ids.contains(&a.entity) {
            ids.push(a.entity);
        }
    }
    for (alias, mut ids) in by_alias {
        if ids.len() > 1 {
            ids.sort_unstable();
            let names: Vec<&str> = ids.iter().map(|&e| gazetteer.entities[e as usize].id.as_str()).collect();
            report.findings.push(Finding {
                severity: Severity::Warning,
                rule: "ambiguous",
                message: format!("alias '{alias}' is shared by {}", names.join(", ")),
            });
        }
    }
    report
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
        let text = report.render(&g);
        assert!(text.contains("warning[ambiguous]: alias 'Georgia' is shared by GEO, US-GA"), "{text}");
        assert!(text.contains("warning[duplicate]: g.tsv:4: duplicate row"), "{text}");
        assert!(text.ends_with("0 errors, 2 warnings\n"));
    }
}
