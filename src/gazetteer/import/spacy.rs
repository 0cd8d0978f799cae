//! spaCy EntityRuler patterns (`.jsonl`): one JSON object a line with
//! `label`, `pattern` and an optional `id`.
//!
//! A phrase pattern (a string) is matched as written, as spaCy's default
//! PhraseMatcher (attribute `ORTH`) does: case `exact`. A token pattern is read
//! only when every token is one literal `ORTH` (or its v3 synonym `TEXT`) or
//! `LOWER` value; regular expressions, operators (`OP`), set membership (`IN`)
//! and other attributes cannot be expressed as a whole-word alias, so they are
//! refused with the line at fault.

use serde_json::{Map, Value};

use super::{collapse_spaces, map_label, Entries, Entry};
use crate::gazetteer::{CaseRule, GazetteerError, ParsedFile};

/// Reads a pattern file.
pub(super) fn parse(label: &str, text: &str) -> Result<ParsedFile, GazetteerError> {
    let mut out = Entries::new(label);
    let mut patterns = 0;
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        patterns += 1;
        match parse_line(raw) {
            Ok(pattern) => {
                if pattern.mixed_case {
                    out.warn(
                        "mixed-case",
                        line,
                        format!(
                            "pattern '{}' mixes ORTH and LOWER tokens; cotag matches it in any case",
                            pattern.alias
                        ),
                    );
                }
                out.push(Entry {
                    line,
                    id: pattern.id,
                    etype: map_label(&pattern.label),
                    alias: pattern.alias,
                    case: pattern.case,
                    kind: None,
                    generated: false,
                });
            }
            Err(message) => out.error(line, message),
        }
    }
    if patterns == 0 {
        return Err(GazetteerError::new(label, 0, "no patterns (a spaCy pattern file has one JSON object a line)"));
    }
    Ok(out.finish())
}

/// One line's pattern.
struct Pattern {
    label: String,
    id: Option<String>,
    alias: String,
    case: CaseRule,
    /// ORTH and LOWER tokens in one pattern: cotag has one case rule per alias.
    mixed_case: bool,
}

fn parse_line(raw: &str) -> Result<Pattern, String> {
    let value: Value = serde_json::from_str(raw).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(object) = value else {
        return Err("expected a JSON object with 'label' and 'pattern' (a spaCy EntityRuler pattern)".to_string());
    };
    let label = match object.get("label") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::String(_)) => return Err("empty 'label'".to_string()),
        Some(_) => return Err("'label' is not a string".to_string()),
        None => return Err("missing 'label' (a spaCy EntityRuler pattern has 'label' and 'pattern')".to_string()),
    };
    let id = match object.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(_) => return Err("'id' is not a string".to_string()),
    };
    let (alias, case, mixed_case) = match object.get("pattern") {
        Some(Value::String(phrase)) => (collapse_spaces(phrase), CaseRule::Exact, false),
        Some(Value::Array(tokens)) => token_pattern(tokens)?,
        Some(_) => return Err("'pattern' must be a string (a phrase) or a list of token objects".to_string()),
        None => return Err("missing 'pattern' (a spaCy EntityRuler pattern has 'label' and 'pattern')".to_string()),
    };
    Ok(Pattern { label, id, alias, case, mixed_case })
}

/// Reads a token pattern: `(alias, case, mixes ORTH and LOWER)`.
fn token_pattern(tokens: &[Value]) -> Result<(String, CaseRule, bool), String> {
    if tokens.is_empty() {
        return Err("empty token pattern".to_string());
    }
    let mut texts = Vec::with_capacity(tokens.len());
    let (mut orth, mut lower) = (false, false);
    for (i, token) in tokens.iter().enumerate() {
        let n = i + 1;
        let Value::Object(token) = token else {
            return Err(format!("token {n} is not an object like {{\"ORTH\": \"word\"}}"));
        };
        let (key, text) = literal_token(n, token)?;
        if key == "LOWER" {
            lower = true;
        } else {
            orth = true;
        }
        texts.push(text);
    }
    let case = if lower { CaseRule::Any } else { CaseRule::Exact };
    Ok((join_tokens(&texts), case, orth && lower))
}

/// The one literal attribute of a token: `(attribute, text)`.
fn literal_token(n: usize, token: &Map<String, Value>) -> Result<(&'static str, String), String> {
    const READ: &str = "cotag reads only tokens with one literal ORTH, TEXT or LOWER value";
    if token.len() != 1 {
        let keys: Vec<&str> = token.keys().map(String::as_str).collect();
        return Err(if keys.is_empty() {
            format!("token {n} is empty ({{}} matches any token); {READ}")
        } else {
            format!("token {n} has several attributes ({}); {READ}", keys.join(", "))
        });
    }
    let (key, value) = token.iter().next().expect("one key");
    let attribute = match key.as_str() {
        "ORTH" => "ORTH",
        "TEXT" => "TEXT",
        "LOWER" => "LOWER",
        other => return Err(format!("token {n} uses '{other}', which is not a literal word; {READ}")),
    };
    match value {
        Value::String(s) if !s.trim().is_empty() => Ok((attribute, s.trim().to_string())),
        Value::String(_) => Err(format!("token {n} has an empty {attribute} value")),
        Value::Object(inner) => {
            let operators: Vec<&str> = inner.keys().map(String::as_str).collect();
            Err(format!("token {n}: {attribute} uses {} (not a literal word); {READ}", operators.join(", ")))
        }
        _ => Err(format!("token {n}: the {attribute} value is not a string; {READ}")),
    }
}

/// Joins token texts into the text they stand for. spaCy splits some pieces
/// off a word without a space between them, so those are glued back: a
/// piece starting with an apostrophe (`'s`, `’s`, `'`) or made of closing
/// punctuation (`.`, `,`, `)`) joins the token before; a hyphen, slash or dash
/// (`Guinea - Bissau` is written `Guinea-Bissau`) joins both neighbours; an
/// opening bracket joins the token after. Every other pair gets one space.
fn join_tokens(tokens: &[String]) -> String {
    let mut out = String::new();
    let mut glue_next = false;
    for token in tokens {
        let infix = matches!(token.as_str(), "-" | "/" | "–" | "—");
        let attaches_left = infix
            || token.starts_with(['\'', '’'])
            || token.chars().all(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}'));
        if !out.is_empty() && !attaches_left && !glue_next {
            out.push(' ');
        }
        out.push_str(token);
        glue_next = infix || token.chars().all(|c| matches!(c, '(' | '[' | '{'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{AliasKind, Row};

    fn rows(text: &str) -> Vec<Row> {
        let parsed = parse("p.jsonl", text).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        parsed.rows
    }

    fn first_error(text: &str) -> String {
        let parsed = parse("p.jsonl", text).unwrap();
        parsed.errors.first().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn phrase_and_token_patterns_become_rows() {
        let rows = rows(concat!(
            r#"{"label": "ORG", "pattern": "Apple"}"#,
            "\n\n",
            r#"{"label": "GPE", "pattern": [{"LOWER": "san"}, {"LOWER": "francisco"}]}"#,
            "\n",
            r#"{"label": "PERSON", "pattern": [{"ORTH": "Xi"}, {"TEXT": "Jinping"}], "id": "xi"}"#,
            "\n",
            r#"{"label": "PERSON", "pattern": "President  Xi", "id": "xi"}"#,
            "\n",
        ));
        let got: Vec<(usize, &str, &str, &str, &str, AliasKind, CaseRule)> = rows
            .iter()
            .map(|r| (r.line, r.id.as_str(), r.etype.as_str(), r.name.as_str(), r.alias.as_str(), r.kind, r.case))
            .collect();
        assert_eq!(
            got,
            [
                (1, "organization:apple", "organization", "Apple", "Apple", AliasKind::Name, CaseRule::Exact),
                (3, "gpe:san-francisco", "gpe", "san francisco", "san francisco", AliasKind::Name, CaseRule::Any),
                (4, "xi", "person", "Xi Jinping", "Xi Jinping", AliasKind::Name, CaseRule::Exact),
                (5, "xi", "person", "Xi Jinping", "President Xi", AliasKind::Alias, CaseRule::Exact),
            ]
        );
    }

    #[test]
    fn split_off_pieces_are_glued_back() {
        let pieces = |t: &[&str]| join_tokens(&t.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(pieces(&["McDonald", "'s"]), "McDonald's");
        assert_eq!(pieces(&["McDonald", "’s"]), "McDonald’s");
        assert_eq!(pieces(&["Coca", "-", "Cola"]), "Coca-Cola");
        assert_eq!(pieces(&["Apple", "Inc", "."]), "Apple Inc.");
        assert_eq!(pieces(&["Party", "(", "PRI", ")"]), "Party (PRI)");
        assert_eq!(pieces(&["U.S.", "Army"]), "U.S. Army");
    }

    #[test]
    fn mixed_orth_and_lower_is_any_case_with_a_warning() {
        let parsed =
            parse("p.jsonl", r#"{"label": "ORG", "pattern": [{"LOWER": "apple"}, {"ORTH": "Inc."}]}"#).unwrap();
        assert_eq!(parsed.rows[0].case, CaseRule::Any);
        assert_eq!(parsed.rows[0].alias, "apple Inc.");
        assert!(parsed.warnings[0].to_string().starts_with("p.jsonl:1: pattern 'apple Inc.' mixes ORTH and LOWER"));
        assert_eq!(parsed.warnings[0].rule, "mixed-case");
    }

    #[test]
    fn anything_but_literal_tokens_is_refused_with_its_line() {
        let cases = [
            (r#"{"label": "ORG", "pattern": [{"TEXT": {"REGEX": "^App"}}]}"#, "p.jsonl:1: token 1: TEXT uses REGEX"),
            (r#"{"label": "ORG", "pattern": [{"LOWER": {"IN": ["a", "b"]}}]}"#, "p.jsonl:1: token 1: LOWER uses IN"),
            (
                r#"{"label": "ORG", "pattern": [{"ORTH": "a"}, {"ORTH": "b", "OP": "?"}]}"#,
                "p.jsonl:1: token 2 has several attributes (OP, ORTH)",
            ),
            (r#"{"label": "ORG", "pattern": [{"IS_DIGIT": true}]}"#, "p.jsonl:1: token 1 uses 'IS_DIGIT'"),
            (r#"{"label": "ORG", "pattern": [{"POS": "PROPN"}]}"#, "p.jsonl:1: token 1 uses 'POS'"),
            (r#"{"label": "ORG", "pattern": [{}]}"#, "p.jsonl:1: token 1 is empty"),
            (r#"{"label": "ORG", "pattern": []}"#, "p.jsonl:1: empty token pattern"),
            (r#"{"label": "ORG", "pattern": ["Apple"]}"#, "p.jsonl:1: token 1 is not an object"),
            (r#"{"label": "ORG", "pattern": 3}"#, "p.jsonl:1: 'pattern' must be a string"),
            (r#"{"pattern": "Apple"}"#, "p.jsonl:1: missing 'label'"),
            (r#"{"label": "ORG"}"#, "p.jsonl:1: missing 'pattern'"),
            (r#"{"label": "ORG", "pattern": "Apple", "id": 7}"#, "p.jsonl:1: 'id' is not a string"),
            (r#"{"label": "ORG", "pattern": "..."}"#, "p.jsonl:1: pattern '...' has no letter or digit"),
            (r#"["ORG", "Apple"]"#, "p.jsonl:1: expected a JSON object"),
            (r#"{"label": "ORG", "#, "p.jsonl:1: not valid JSON"),
        ];
        for (text, expected) in cases {
            let message = first_error(text);
            assert!(message.starts_with(expected), "{text}\n  got: {message}\n  want: {expected}");
        }
    }

    #[test]
    fn every_bad_line_is_listed_and_good_lines_kept() {
        let parsed = parse(
            "p.jsonl",
            "{\"label\": \"ORG\", \"pattern\": \"UN\"}\n{\"label\": \"ORG\", \"pattern\": [{\"REGEX\": \"x\"}]}\n{\"label\": \"ORG\"}\n",
        )
        .unwrap();
        assert_eq!(parsed.rows.len(), 1);
        let lines: Vec<usize> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert_eq!(
            parse("p.jsonl", "\n \n").unwrap_err().to_string(),
            "p.jsonl: no patterns (a spaCy pattern file has one JSON object a line)"
        );
    }
}
