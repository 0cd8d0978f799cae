//! Parsing and validating one gazetteer TSV file (SPEC §3).

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::{AliasKind, CaseRule, GazetteerError, GazetteerWarning, Row};
use crate::corpus::parse_date_field;
use crate::document::Date;

/// Column positions found in the header.
struct Columns {
    id: usize,
    etype: usize,
    name: usize,
    alias: usize,
    kind: Option<usize>,
    case: Option<usize>,
    from: Option<usize>,
    to: Option<usize>,
    count: usize,
}

impl Columns {
    fn from_header(label: &str, line: usize, header: &str) -> Result<Columns, GazetteerError> {
        let cells: Vec<&str> = header.split('\t').map(str::trim).collect();
        let mut positions: HashMap<&str, usize> = HashMap::new();
        for (i, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                return Err(GazetteerError::new(label, line, format!("header column {} is empty", i + 1)));
            }
            if positions.insert(cell, i).is_some() {
                return Err(GazetteerError::new(label, line, format!("header names column '{cell}' twice")));
            }
        }
        let required = |name: &str| {
            positions.get(name).copied().ok_or_else(|| {
                GazetteerError::new(
                    label,
                    line,
                    format!(
                        "missing column '{name}' (a gazetteer needs a header row with id, type, name, alias; found: {})",
                        cells.join(", ")
                    ),
                )
            })
        };
        Ok(Columns {
            id: required("id")?,
            etype: required("type")?,
            name: required("name")?,
            alias: required("alias")?,
            kind: positions.get("kind").copied(),
            case: positions.get("case").copied(),
            from: positions.get("from").copied(),
            to: positions.get("to").copied(),
            count: cells.len(),
        })
    }
}

/// A parsed file: its rows, and the problems that do not stop a run.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Valid rows, in file order, without repeated (id, alias) rows.
    pub rows: Vec<Row>,
    /// Warnings (e.g. a repeated row, which is dropped).
    pub warnings: Vec<GazetteerWarning>,
    /// Rows that break a rule, in file order; a run stops at the first.
    pub errors: Vec<GazetteerError>,
}

/// Parses a gazetteer file's bytes into rows, checking every per-row rule of
/// SPEC §3. `label` names the file in error messages.
///
/// Accepted leniencies: a UTF-8 byte-order mark, `\r\n` line ends, blank lines
/// and `#` comment lines anywhere (also before the header).
pub fn parse_tsv(label: &str, bytes: &[u8]) -> Result<ParsedFile, GazetteerError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        GazetteerError::new(label, line, "invalid UTF-8 (gazetteers must be UTF-8)")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    let mut columns: Option<Columns> = None;
    let mut parsed = ParsedFile::default();
    // Keys borrow from the file's text: no allocation per row.
    let mut seen: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let Some(cols) = &columns else {
            columns = Some(Columns::from_header(label, line, raw)?);
            continue;
        };
        let cells: Vec<&str> = raw.split('\t').collect();
        if cells.len() != cols.count {
            parsed.errors.push(GazetteerError::new(
                label,
                line,
                format!("{} columns, but the header has {}", cells.len(), cols.count),
            ));
            continue;
        }
        let row = match parse_row(label, line, cols, &cells) {
            Ok(row) => row,
            Err(e) => {
                parsed.errors.push(e);
                continue;
            }
        };
        // A repeated (id, alias) row adds nothing: it is dropped with a warning
        // rather than stopping a run that would give the same result.
        let key = (cells[cols.id].trim(), cells[cols.alias].trim());
        if let Some(&first) = seen.get(&key) {
            parsed.warnings.push(GazetteerWarning::new(
                "duplicate",
                label,
                line,
                format!("duplicate row: id '{}' already has alias '{}' at line {first}", row.id, row.alias),
            ));
            continue;
        }
        seen.insert(key, line);
        parsed.rows.push(row);
    }
    if columns.is_none() {
        return Err(GazetteerError::new(label, 0, "empty gazetteer: no header row (id, type, name, alias)"));
    }
    Ok(parsed)
}

fn parse_row(label: &str, line: usize, cols: &Columns, cells: &[&str]) -> Result<Row, GazetteerError> {
    let err = |message: String| GazetteerError::new(label, line, message);
    let cell = |i: usize| cells[i].trim();
    let optional = |i: Option<usize>| i.map(cell).unwrap_or("");

    let id = cell(cols.id);
    if id.is_empty() {
        return Err(err("empty id".into()));
    }
    let etype = cell(cols.etype);
    if etype.is_empty() {
        return Err(err(format!("empty type for id '{id}'")));
    }
    let name = cell(cols.name);
    if name.is_empty() {
        return Err(err(format!("empty name for id '{id}'")));
    }
    let alias = cell(cols.alias);
    if alias.is_empty() {
        return Err(err(format!("empty alias for id '{id}'")));
    }
    if !alias.chars().any(char::is_alphanumeric) {
        return Err(err(format!("alias '{alias}' has no letter or digit, so it can never be a whole word")));
    }
    let kind = match optional(cols.kind) {
        "" => AliasKind::Alias,
        k => AliasKind::parse(k).ok_or_else(|| {
            err(format!("unknown kind '{k}' (expected name, alias, acronym, demonym, surname or title)"))
        })?,
    };
    let case = match optional(cols.case) {
        "" => CaseRule::default_for(alias, kind),
        c => CaseRule::parse(c).ok_or_else(|| err(format!("unknown case '{c}' (expected exact, smart or any)")))?,
    };
    let date = |column: &str, value: &str| -> Result<Option<Date>, GazetteerError> {
        if value.is_empty() {
            return Ok(None);
        }
        parse_date_field(value)
            .map(Some)
            .ok_or_else(|| err(format!("bad date '{value}' in column '{column}' (expected YYYY-MM-DD)")))
    };
    let from = date("from", optional(cols.from))?;
    let to = date("to", optional(cols.to))?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(err(format!("'from' {f} is after 'to' {t}")));
        }
    }
    Ok(Row {
        line,
        id: id.to_string(),
        etype: etype.to_string(),
        name: name.to_string(),
        alias: alias.to_string(),
        kind,
        case,
        from,
        to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Row>, GazetteerError> {
        let mut parsed = parse_tsv("g.tsv", text.as_bytes())?;
        if parsed.errors.is_empty() {
            Ok(parsed.rows)
        } else {
            Err(parsed.errors.remove(0))
        }
    }

    fn error_of(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn parses_all_columns_and_defaults() {
        let rows = parse(
            "# comment\nid\ttype\tname\talias\tkind\tcase\tfrom\tto\tsource\n\
             ISR\tcountry\tIsrael\tIsrael\tname\t\t\t\tx\n\
             ISR\tcountry\tIsrael\tIsraeli\tdemonym\tany\t\t\t\n\
             org:un\torganization\tUnited Nations\tUN\t\t\t\t\t\n\
             p\tperson\tP\tPresident P\ttitle\t\t2001-01-20\t2009-01-20\t\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].line, 3);
        assert_eq!((rows[0].kind, rows[0].case), (AliasKind::Name, CaseRule::Smart));
        assert_eq!((rows[1].kind, rows[1].case), (AliasKind::Demonym, CaseRule::Any));
        assert_eq!((rows[2].kind, rows[2].case), (AliasKind::Alias, CaseRule::Exact));
        assert_eq!(rows[3].from, Date::new(2001, 1, 20));
        assert_eq!(rows[3].to, Date::new(2009, 1, 20));
    }

    #[test]
    fn bom_crlf_and_column_order_are_accepted() {
        let rows = parse("\u{feff}alias\tname\ttype\tid\r\nBeeland\tBee\tcountry\tb\r\n").unwrap();
        assert_eq!(rows[0].id, "b");
        assert_eq!(rows[0].alias, "Beeland");
    }

    #[test]
    fn every_rule_names_file_and_line() {
        let h = "id\ttype\tname\talias\tkind\tcase\tfrom\tto\n";
        let cases = [
            ("id\ttype\tname\n", "g.tsv:1: missing column 'alias'"),
            (&format!("{h}x\tperson\tX\t\t\t\t\t\n") as &str, "g.tsv:2: empty alias for id 'x'"),
            (&format!("{h}\tperson\tX\tX\t\t\t\t\n"), "g.tsv:2: empty id"),
            (&format!("{h}x\t\tX\tX\t\t\t\t\n"), "g.tsv:2: empty type"),
            (&format!("{h}x\tperson\t\tX\t\t\t\t\n"), "g.tsv:2: empty name"),
            (&format!("{h}x\tperson\tX\tX\tnick\t\t\t\n"), "g.tsv:2: unknown kind 'nick'"),
            (&format!("{h}x\tperson\tX\tX\t\tupper\t\t\n"), "g.tsv:2: unknown case 'upper'"),
            (&format!("{h}x\tperson\tX\tX\t\t\t2020-02-30\t\n"), "g.tsv:2: bad date '2020-02-30'"),
            (&format!("{h}x\tperson\tX\tX\t\t\t2020-01-01\t2019-01-01\n"), "g.tsv:2: 'from' 2020-01-01 is after 'to'"),
            (&format!("{h}x\tperson\tX\tX\t\t\t\n"), "g.tsv:2: 7 columns, but the header has 8"),
            (&format!("{h}x\tperson\tX\t--\t\t\t\t\n"), "g.tsv:2: alias '--' has no letter or digit"),
            ("", "g.tsv: empty gazetteer"),
            ("# only a comment\n", "g.tsv: empty gazetteer"),
            ("id\ttype\tid\talias\n", "g.tsv:1: header names column 'id' twice"),
        ];
        for (text, expected) in cases {
            let message = error_of(text);
            assert!(message.starts_with(expected), "{text:?}\n  got: {message}\n  want: {expected}");
        }
    }

    #[test]
    fn a_duplicate_row_is_a_warning_and_dropped() {
        let parsed = parse_tsv("g.tsv", b"id\ttype\tname\talias\nx\tperson\tX\tX\nx\tperson\tX\tX\n").unwrap();
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].to_string().starts_with("g.tsv:3: duplicate row"));
    }

    #[test]
    fn every_bad_row_is_listed() {
        let parsed = parse_tsv("g.tsv", b"id\ttype\tname\talias\nx\tperson\tX\t\ny\tperson\tY\tY\nz\n").unwrap();
        let errors: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors, ["g.tsv:2: empty alias for id 'x'", "g.tsv:4: 1 columns, but the header has 4"]);
        assert_eq!(parsed.rows.len(), 1);
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let err = parse_tsv("g.tsv", b"id\ttype\tname\talias\nx\tperson\tX\t\xff\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
