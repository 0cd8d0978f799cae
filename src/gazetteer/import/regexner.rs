//! Stanford CoreNLP RegexNER mapping files (`.txt`, or a `.tsv` without
//! cotag's header): tab-separated pattern, type, overwritable types, priority
//! and group, one mapping a line.
//!
//! A pattern is a sequence of whitespace-separated tokens, each a Java regular
//! expression. cotag reads literal tokens only, and refuses a token with
//! regular-expression syntax. Two readings keep real files usable:
//! - `.` is read as a literal dot: "U.S." and "St." are how RegexNER files
//!   write abbreviations, and the regular expression `U.S.` matches the text
//!   "U.S." among others; `.*`, `.+` and `.?` are refused by their quantifier.
//! - A backslash before punctuation (`U\.S\.`, `AT\&T`) escapes it and is
//!   read as that character; before a letter or digit (`\d`, `\w`) it is a
//!   character class and refused.
//!
//! CoreNLP matches case-sensitively unless `regexner.ignorecase` is set, so
//! patterns are `exact`. Overwritable types and priority steer CoreNLP's
//! choice between its own labels and the file's; cotag resolves overlaps by
//! leftmost-longest matching and ambiguity by context (SPEC §3), so it checks
//! them but does not use them. Every line is its own entity, with an id made
//! from its type and pattern. Blank lines and lines starting with `#` are
//! skipped.

use super::{map_label, Entries, Entry};
use crate::gazetteer::{CaseRule, GazetteerError, ParsedFile};

/// Characters that make a token a regular expression.
const REGEX_SYNTAX: &[char] = &['(', ')', '[', ']', '|', '*', '+', '?', '^', '$', '{', '}'];

/// Where the columns are: CoreNLP's default order, or a header's.
struct Columns {
    pattern: usize,
    ner: usize,
    priority: Option<usize>,
    group: Option<usize>,
}

const DEFAULT_COLUMNS: Columns = Columns { pattern: 0, ner: 1, priority: Some(3), group: Some(4) };

/// Reads a mapping file.
pub(super) fn parse(label: &str, text: &str) -> Result<ParsedFile, GazetteerError> {
    let mut out = Entries::new(label);
    let mut columns: Option<Columns> = None;
    let mut mappings = 0;
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = raw.split('\t').map(str::trim).collect();
        if columns.is_none() {
            // A header (`regexner.mapping.header=true`) names the columns.
            if cells.first().is_some_and(|c| c.eq_ignore_ascii_case("pattern")) {
                columns = Some(header(&cells).map_err(|message| GazetteerError::new(label, line, message))?);
                continue;
            }
        }
        let cols = columns.get_or_insert(DEFAULT_COLUMNS);
        mappings += 1;
        read_line(&mut out, line, cols, &cells);
    }
    if mappings == 0 {
        return Err(GazetteerError::new(label, 0, "no mappings (a RegexNER file has lines of pattern<TAB>type)"));
    }
    Ok(out.finish())
}

/// The columns a header line names.
fn header(cells: &[&str]) -> Result<Columns, String> {
    let find = |name: &str| cells.iter().position(|c| c.eq_ignore_ascii_case(name));
    Ok(Columns {
        pattern: find("pattern").ok_or("header has no 'pattern' column")?,
        ner: find("ner").ok_or("header has no 'ner' column")?,
        priority: find("priority"),
        group: find("group"),
    })
}

fn read_line(out: &mut Entries, line: usize, cols: &Columns, cells: &[&str]) {
    match parse_line(cols, cells) {
        Ok((etype, alias)) => {
            out.push(Entry { line, id: None, etype, alias, case: CaseRule::Exact, kind: None, generated: false })
        }
        Err(message) => out.error(line, message),
    }
}

/// One mapping: `(type, alias)`.
fn parse_line(cols: &Columns, cells: &[&str]) -> Result<(String, String), String> {
    let cell = |i: usize| cells.get(i).copied().unwrap_or("");
    let pattern = cell(cols.pattern);
    let ner = cell(cols.ner);
    if ner.is_empty() {
        return Err(format!("no type for pattern '{pattern}' (expected pattern<TAB>type)"));
    }
    if let Some(priority) = cols.priority.map(cell).filter(|p| !p.is_empty()) {
        if priority.parse::<f64>().is_err() {
            return Err(format!("priority '{priority}' is not a number"));
        }
    }
    if let Some(group) = cols.group.map(cell).filter(|g| !g.is_empty()) {
        match group.parse::<u32>() {
            Ok(0) => {}
            Ok(_) => {
                return Err(format!(
                    "group {group} labels part of a regular expression; cotag reads literal patterns only"
                ))
            }
            Err(_) => return Err(format!("group '{group}' is not a number")),
        }
    }
    Ok((map_label(ner), literal(pattern)?))
}

/// The text a pattern stands for, or why it is a regular expression.
fn literal(pattern: &str) -> Result<String, String> {
    if pattern.starts_with("( ") {
        return Err(format!(
            "pattern '{pattern}' is a TokensRegex regular expression; cotag reads literal token sequences only"
        ));
    }
    let mut tokens = Vec::new();
    for token in pattern.split_whitespace() {
        tokens.push(literal_token(token).map_err(|what| {
            format!("pattern '{pattern}' is a regular expression ({what}); cotag reads literal token sequences only")
        })?);
    }
    Ok(tokens.join(" "))
}

/// One token's literal text, or the syntax that makes it a regular expression.
fn literal_token(token: &str) -> Result<String, String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) if escaped.is_ascii_punctuation() => out.push(escaped),
                Some(class) => return Err(format!("'\\{class}'")),
                None => return Err("a trailing '\\'".to_string()),
            },
            c if REGEX_SYNTAX.contains(&c) => return Err(format!("'{c}'")),
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Row;

    fn rows(text: &str) -> Vec<Row> {
        let parsed = parse("m.txt", text).unwrap();
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        parsed.rows
    }

    #[test]
    fn mappings_become_one_entity_each() {
        let rows = rows(
            "World Health Organization\tORGANIZATION\tMISC,LOCATION\t1.0\n\
                   # a comment\n\
                   \n\
                   U\\.S\\. Army\tORGANIZATION\n\
                   U.S.\tCOUNTRY\tLOCATION\n\
                   Xi Jinping\tPERSON\r\n\
                   Lutheran\tRELIGION\tMISC\t0\t0\n",
        );
        let got: Vec<(usize, &str, &str, &str, CaseRule)> =
            rows.iter().map(|r| (r.line, r.id.as_str(), r.etype.as_str(), r.alias.as_str(), r.case)).collect();
        assert_eq!(
            got,
            [
                (
                    1,
                    "organization:world-health-organization",
                    "organization",
                    "World Health Organization",
                    CaseRule::Exact
                ),
                (4, "organization:u-s-army", "organization", "U.S. Army", CaseRule::Exact),
                (5, "country:u-s", "country", "U.S.", CaseRule::Exact),
                (6, "person:xi-jinping", "person", "Xi Jinping", CaseRule::Exact),
                (7, "religion:lutheran", "religion", "Lutheran", CaseRule::Exact),
            ]
        );
        assert_eq!(rows[0].name, "World Health Organization");
    }

    #[test]
    fn a_header_names_the_columns() {
        let rows = rows("pattern\toverwrite\tner\nUNICEF\tMISC\tORG\n");
        assert_eq!((rows[0].alias.as_str(), rows[0].etype.as_str(), rows[0].line), ("UNICEF", "organization", 2));
    }

    #[test]
    fn regular_expressions_are_refused_with_their_line() {
        let cases = [
            ("Ch.*na\tCOUNTRY\n", "m.txt:1: pattern 'Ch.*na' is a regular expression ('*')"),
            (
                "Bachelor of (Arts|Science)\tDEGREE\n",
                "m.txt:1: pattern 'Bachelor of (Arts|Science)' is a regular expression ('(')",
            ),
            ("[A-Z]+ Inc\tORG\n", "m.txt:1: pattern '[A-Z]+ Inc' is a regular expression ('[')"),
            ("\\d+ Corp\tORG\n", "m.txt:1: pattern '\\d+ Corp' is a regular expression ('\\d')"),
            ("colou?r\tX\n", "m.txt:1: pattern 'colou?r' is a regular expression ('?')"),
            ("^Acme$\tORG\n", "m.txt:1: pattern '^Acme$' is a regular expression ('^')"),
            ("( /Acme/ /Corp/ )\tORG\n", "m.txt:1: pattern '( /Acme/ /Corp/ )' is a TokensRegex regular expression"),
            ("Acme\n", "m.txt:1: no type for pattern 'Acme'"),
            ("Acme\tORG\t\thigh\n", "m.txt:1: priority 'high' is not a number"),
            ("Acme\tORG\t\t1\t2\n", "m.txt:1: group 2 labels part of a regular expression"),
            ("ok\tX\n--\tX\n", "m.txt:2: pattern '--' has no letter or digit"),
        ];
        for (text, expected) in cases {
            let parsed = parse("m.txt", text).unwrap();
            let message = parsed.errors.first().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.starts_with(expected), "{text:?}\n  got: {message}\n  want: {expected}");
        }
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert!(parse("m.txt", "# only\n\n").unwrap_err().to_string().starts_with("m.txt: no mappings"));
    }
}
