//! quanteda and newsmap dictionaries (`.yml`, `.yaml`): nested keys whose
//! leaves are lists of patterns.
//!
//! Every leaf key is one entity, as every key is one category in quanteda.
//! Its id is the path of keys joined with `.` (what quanteda calls a flattened
//! key, e.g. `PERSON.obama`), its type the top-level key through
//! [`map_label`]. Newsmap's country keys, two-letter ISO
//! codes under a continent (`AFRICA: EAST: KE: [...]`), are countries with the
//! built-in gazetteer's id and name (`KEN`, Kenya), so that they merge with
//! `-g builtin`. A trailing `*` glob becomes whole words as [`glob`] says.
//!
//! Case: quanteda matches case-insensitively, which would make "turkey",
//! "china" and "chad" countries in running text; a pattern written with a
//! capital letter therefore follows cotag's default rule (`smart`, or `exact`
//! for all capitals), and only an all-lower-case pattern, whose author counted
//! on case-insensitive matching, gets `any`.

use super::glob::{self, Vocabulary};
use super::iso::Countries;
use super::yaml::{self, Key, Node};
use super::{collapse_spaces, map_label, Entries, Entry};
use crate::gazetteer::{AliasKind, CaseRule, GazetteerError, ParsedFile};

/// The top-level keys of newsmap's dictionaries (all languages use them).
const CONTINENTS: [&str; 6] = ["AFRICA", "AMERICA", "AMERICAS", "ASIA", "EUROPE", "OCEANIA"];

/// Reads a dictionary.
pub(super) fn parse(label: &str, text: &str) -> Result<ParsedFile, GazetteerError> {
    let root = yaml::parse(text).map_err(|(line, message)| GazetteerError::new(label, line, message))?;
    let entries = match root {
        Some(Node::Map { entries, .. }) if !entries.is_empty() => entries,
        None | Some(Node::Scalar { value: None, .. }) => {
            return Err(GazetteerError::new(label, 0, "empty dictionary"));
        }
        Some(other) => {
            return Err(GazetteerError::new(
                label,
                other.line(),
                "a dictionary is a YAML mapping of keys to lists of patterns",
            ));
        }
    };
    let mut reader = Reader { out: Entries::new(label), countries: None, vocabulary: None };
    let mut path = Vec::new();
    for (key, node) in &entries {
        reader.walk(&mut path, key, node);
    }
    Ok(reader.out.finish())
}

struct Reader {
    out: Entries,
    /// Loaded on the first newsmap country key.
    countries: Option<Countries>,
    /// Loaded on the first glob.
    vocabulary: Option<Vocabulary>,
}

/// The entity a leaf key stands for.
struct Target {
    id: String,
    etype: String,
    /// A built-in country id, whose kinds the patterns take.
    builtin: bool,
}

impl Reader {
    fn walk<'a>(&mut self, path: &mut Vec<&'a str>, key: &'a Key, node: &'a Node) {
        path.push(&key.text);
        match node {
            Node::Map { entries, .. } => {
                for (k, n) in entries {
                    self.walk(path, k, n);
                }
            }
            Node::Seq { items, .. } => {
                let target = self.target(path);
                for item in items {
                    match item {
                        Node::Scalar { value: Some(value), line } => self.pattern(&target, value, *line),
                        Node::Scalar { value: None, .. } => {}
                        other => self.out.error(
                            other.line(),
                            format!("key '{}' lists a nested list or mapping; expected patterns", path.join(".")),
                        ),
                    }
                }
            }
            Node::Scalar { value: Some(value), line } => {
                let target = self.target(path);
                self.pattern(&target, value, *line);
            }
            Node::Scalar { value: None, line } => {
                self.out.warn("empty-key", *line, format!("key '{}' has no patterns", path.join(".")));
            }
        }
        path.pop();
    }

    /// The entity of the leaf at `path`, with its name settled when known.
    fn target(&mut self, path: &[&str]) -> Target {
        let leaf = path[path.len() - 1];
        let continent = CONTINENTS.iter().any(|c| c.eq_ignore_ascii_case(path[0]));
        if continent && path.len() >= 2 && leaf.len() == 2 {
            let countries = self.countries.get_or_insert_with(Countries::load);
            if let Some(id) = countries.id(&leaf.to_ascii_uppercase()) {
                if let Some(name) = countries.name(id) {
                    self.out.set_name(id, name);
                }
                return Target { id: id.to_string(), etype: "country".to_string(), builtin: true };
            }
        }
        let id = path.join(".");
        self.out.set_fallback_name(&id, leaf);
        Target { id, etype: map_label(path[0]), builtin: false }
    }

    /// Adds one pattern (and its glob's forms).
    fn pattern(&mut self, target: &Target, value: &str, line: usize) {
        let forms = match glob::expand(&collapse_spaces(value), &mut self.vocabulary) {
            Ok(forms) => forms,
            Err(message) => {
                self.out.error(line, message);
                return;
            }
        };
        for (alias, generated) in forms {
            let kind =
                if target.builtin { self.countries.as_ref().and_then(|c| c.kind(&target.id, &alias)) } else { None };
            let case = if alias.chars().any(char::is_uppercase) {
                CaseRule::default_for(&alias, kind.unwrap_or(AliasKind::Alias))
            } else {
                CaseRule::Any
            };
            let entry =
                Entry { line, id: Some(target.id.clone()), etype: target.etype.clone(), alias, case, kind, generated };
            self.out.push(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Row;

    /// An excerpt of newsmap's english.yml, in its real layout.
    const NEWSMAP: &str = "\
# Newsmap Geographical Dictionary in English
# Source: https://github.com/koheiw/newsmap
# Author: Kohei Watanabe

AFRICA:
  EAST:
    'KE': [Kenya, Kenyan*, Nairobi]
    'SO': [Somalia, Somali*, Somalian*, Mogadishu]
  NORTH:
    'SS': [South Sudan, S Sudan, S Sudanese, Juba]
EUROPE:
  NORTH:
    'NO': [Norway, Norwegian*, Oslo]
    'GB': [UK, United Kingdom, Britain, British, Brit*, Briton*, London]
";

    fn parse_ok(text: &str) -> Vec<Row> {
        let parsed = parse("d.yml", text).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        parsed.rows
    }

    fn find<'a>(rows: &'a [Row], alias: &str) -> &'a Row {
        rows.iter().find(|r| r.alias == alias).unwrap_or_else(|| panic!("no row for {alias}"))
    }

    #[test]
    fn newsmap_countries_take_builtin_ids_names_and_kinds() {
        let rows = parse_ok(NEWSMAP);
        let kenya = find(&rows, "Kenya");
        assert_eq!((kenya.id.as_str(), kenya.etype.as_str(), kenya.name.as_str()), ("KEN", "country", "Kenya"));
        assert_eq!((kenya.line, kenya.kind, kenya.case), (7, AliasKind::Name, CaseRule::Smart));
        assert_eq!(find(&rows, "Kenyans").kind, AliasKind::Demonym);
        assert_eq!(find(&rows, "Nairobi").kind, AliasKind::Alias);
        assert_eq!(find(&rows, "Norway").id, "NOR");
        assert_eq!(find(&rows, "S Sudanese").id, "SSD");
        assert_eq!(find(&rows, "Juba").line, 10);
        let uk = find(&rows, "UK");
        assert_eq!((uk.id.as_str(), uk.name.as_str(), uk.case), ("GBR", "United Kingdom", CaseRule::Exact));
        assert_eq!(find(&rows, "British").id, "GBR");
        assert_eq!(find(&rows, "Britons").id, "GBR");
        // "Somali*" and "Somalian*" both give "Somalians": one row, no warning.
        assert_eq!(rows.iter().filter(|r| r.alias == "Somalians").count(), 1);
        assert!(rows.iter().all(|r| r.id != "AFRICA.EAST.KE"));
    }

    #[test]
    fn quanteda_keys_are_ids_and_top_keys_are_types() {
        let rows = parse_ok(
            "PERSON:\n  obama: [Barack Obama, Obama]\nORG:\n  un:\n    - United Nations\n    - UN\neconomy:\n  - econom*\n  - tax\n",
        );
        let obama = find(&rows, "Obama");
        assert_eq!(
            (obama.id.as_str(), obama.etype.as_str(), obama.name.as_str()),
            ("PERSON.obama", "person", "Barack Obama")
        );
        assert_eq!(obama.case, CaseRule::Smart);
        let un = find(&rows, "UN");
        assert_eq!((un.id.as_str(), un.etype.as_str(), un.line), ("ORG.un", "organization", 6));
        // No pattern with a capital: the key names the category; lower case matches any case.
        let tax = find(&rows, "tax");
        assert_eq!((tax.id.as_str(), tax.etype.as_str(), tax.name.as_str()), ("economy", "economy", "economy"));
        assert_eq!(tax.case, CaseRule::Any);
        assert_eq!(find(&rows, "economic").case, CaseRule::Any);
        assert_eq!(find(&rows, "economy").id, "economy");
    }

    #[test]
    fn a_two_letter_key_outside_a_continent_is_not_a_country() {
        let rows = parse_ok("TOPICS:\n  AI: [artificial intelligence]\n");
        assert_eq!(rows[0].id, "TOPICS.AI");
        assert_eq!(rows[0].etype, "topics");
    }

    #[test]
    fn bad_globs_and_shapes_are_refused_with_their_line() {
        let parsed = parse("d.yml", "A:\n  x: [ok, '*stan', Ken*ya]\n  y: [Ke?ya]\n  z: [[nested]]\n  w:\n").unwrap();
        let errors: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].starts_with("d.yml:2: pattern '*stan': a '*' is read only at the end"), "{errors:?}");
        assert!(errors[1].starts_with("d.yml:2: pattern 'Ken*ya'"), "{errors:?}");
        assert!(errors[2].starts_with("d.yml:3: pattern 'Ke?ya': the '?' glob"), "{errors:?}");
        assert!(errors[3].starts_with("d.yml:4: key 'A.z' lists a nested list"), "{errors:?}");
        assert_eq!(parsed.warnings[0].to_string(), "d.yml:5: key 'A.w' has no patterns");
        assert_eq!(parsed.warnings[0].rule, "empty-key");
        assert_eq!(parsed.rows.len(), 1);
    }

    #[test]
    fn whole_file_problems_are_errors() {
        assert_eq!(parse("d.yml", "# nothing\n").unwrap_err().to_string(), "d.yml: empty dictionary");
        assert!(parse("d.yml", "[a, b]\n")
            .unwrap_err()
            .to_string()
            .starts_with("d.yml:1: a dictionary is a YAML mapping"));
        assert!(parse("d.yml", "A:\n  x: [a\n").unwrap_err().to_string().contains("not valid YAML"));
    }
}
