//! Reading the dictionaries researchers already have (SPEC §3): spaCy
//! EntityRuler patterns, quanteda/newsmap YAML dictionaries and Stanford
//! CoreNLP RegexNER mapping files, converted to gazetteer [`Row`]s.
//!
//! Each format's reader turns its file into `Entry`s (a pattern with a type
//! and, when the format has one, an id); `Entries::finish` then gives every
//! entry its id, name and kind by rules all formats share, and checks each
//! alias as a cotag TSV row is checked. The cross-row rules (one name and one
//! type per id, across files too) stay with the `GazetteerBuilder`, which
//! takes these rows exactly as it takes a TSV file's.

mod glob;
mod iso;
mod quanteda;
mod regexner;
mod spacy;
mod yaml;

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::{parse_tsv, AliasKind, CaseRule, GazetteerError, GazetteerWarning, ParsedFile, Row};

/// The formats a gazetteer file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// cotag's own TSV (SPEC §3).
    Cotag,
    /// spaCy EntityRuler patterns, one JSON object a line.
    Spacy,
    /// A quanteda (or newsmap) dictionary in YAML.
    Quanteda,
    /// A Stanford CoreNLP RegexNER mapping file.
    RegexNer,
}

impl Format {
    /// Recognizes a file's format by its extension and, for `.tsv` and `.txt`,
    /// by its first line: a file whose header names cotag's columns is cotag's,
    /// whatever its extension (so that a typo in such a header is reported as
    /// one, not as a strange RegexNER line).
    pub fn detect(label: &str, bytes: &[u8]) -> Format {
        let extension = Path::new(label).extension().map(|x| x.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("jsonl") | Some("ndjson") => Format::Spacy,
            Some("yml") | Some("yaml") => Format::Quanteda,
            Some("tsv") | Some("txt") if !has_cotag_header(bytes) => Format::RegexNer,
            _ => Format::Cotag,
        }
    }

    /// A short name for messages and exported files.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Cotag => "cotag gazetteer",
            Format::Spacy => "spaCy EntityRuler patterns",
            Format::Quanteda => "quanteda/newsmap dictionary",
            Format::RegexNer => "CoreNLP RegexNER mapping",
        }
    }
}

/// Whether a file found in a gazetteer folder is read: `.tsv`, `.jsonl`,
/// `.yml` and `.yaml`. A RegexNER `.txt` must be named on its own, since
/// folders often hold READMEs and licences as `.txt`.
pub fn is_folder_extension(extension: &std::ffi::OsStr) -> bool {
    let extension = extension.to_string_lossy().to_ascii_lowercase();
    matches!(extension.as_str(), "tsv" | "jsonl" | "yml" | "yaml")
}

/// Whether the first line that is neither blank nor a `#` comment names one of
/// cotag's required columns.
fn has_cotag_header(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let Some(first) = text.lines().find(|l| !l.trim().is_empty() && !l.starts_with('#')) else {
        return true;
    };
    first.split('\t').map(str::trim).any(|cell| matches!(cell, "id" | "type" | "name" | "alias"))
}

/// Parses a gazetteer file in any format [`Format::detect`] recognizes into
/// rows; `label` names the file in `file:line` messages.
pub fn parse_file(label: &str, bytes: &[u8]) -> Result<ParsedFile, GazetteerError> {
    let format = Format::detect(label, bytes);
    if format == Format::Cotag {
        return parse_tsv(label, bytes);
    }
    let text = decode(label, bytes)?;
    match format {
        Format::Spacy => spacy::parse(label, text),
        Format::Quanteda => quanteda::parse(label, text),
        Format::RegexNer => regexner::parse(label, text),
        Format::Cotag => unreachable!("handled above"),
    }
}

/// The text of a UTF-8 file without its byte-order mark.
fn decode<'a>(label: &str, bytes: &'a [u8]) -> Result<&'a str, GazetteerError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        GazetteerError::new(label, line, "invalid UTF-8 (dictionaries must be UTF-8)")
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Maps a dictionary's label to a cotag type: the usual NER labels to
/// `person`, `organization` and `country`, any other label kept in lower case.
/// `GPE` stays `gpe`: spaCy's GPE holds cities and states as well as countries,
/// so calling it `country` would count Paris as a country.
pub fn map_label(label: &str) -> String {
    let label = label.trim();
    match label.to_uppercase().as_str() {
        "PERSON" | "PER" => "person".to_string(),
        "ORG" | "ORGANIZATION" | "ORGANISATION" => "organization".to_string(),
        "COUNTRY" => "country".to_string(),
        _ => label.to_lowercase(),
    }
}

/// A slug of `text` for generated ids: lower case, runs of anything but
/// letters and digits turned into one `-` ("World Health Organization" →
/// `world-health-organization`, "Côte d'Ivoire" → `côte-d-ivoire`).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// Collapses runs of whitespace into one space and trims the ends, so that a
/// pattern matches the way its words are written in running text.
fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One pattern read from a dictionary, before ids and names are settled.
#[derive(Debug, Clone)]
struct Entry {
    /// 1-based line of the pattern.
    line: usize,
    /// The id the dictionary gives, if any.
    id: Option<String>,
    /// The cotag type (already mapped by [`map_label`]).
    etype: String,
    /// The surface form.
    alias: String,
    /// How its case must match.
    case: CaseRule,
    /// A kind the reader knows (e.g. a demonym); else `name` or `alias`.
    kind: Option<AliasKind>,
    /// Made by cotag (a glob's expansion), not written by the author: a repeat
    /// of it is not the author's mistake, so it is dropped without a warning.
    generated: bool,
}

/// The entries of one file and the problems found in it.
#[derive(Debug)]
struct Entries {
    label: String,
    entries: Vec<Entry>,
    /// Names fixed by the reader (e.g. a newsmap country's built-in name).
    names: HashMap<String, String>,
    /// Names to use when no pattern of the id has a capital letter.
    fallback_names: HashMap<String, String>,
    warnings: Vec<GazetteerWarning>,
    errors: Vec<GazetteerError>,
}

impl Entries {
    fn new(label: &str) -> Entries {
        Entries {
            label: label.to_string(),
            entries: Vec::new(),
            names: HashMap::new(),
            fallback_names: HashMap::new(),
            warnings: Vec::new(),
            errors: Vec::new(),
        }
    }

    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    fn error(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(GazetteerError::new(&self.label, line, message));
    }

    /// Records a warning under `rule` (a `gazetteer check` rule name).
    fn warn(&mut self, rule: &'static str, line: usize, message: impl Into<String>) {
        self.warnings.push(GazetteerWarning::new(rule, &self.label, line, message));
    }

    /// Fixes the name of `id` (the first call wins).
    fn set_name(&mut self, id: &str, name: &str) {
        self.names.entry(id.to_string()).or_insert_with(|| name.to_string());
    }

    /// The name of `id` when none of its patterns has a capital letter (a
    /// quanteda key such as `economy` names its category better than `econom`).
    fn set_fallback_name(&mut self, id: &str, name: &str) {
        self.fallback_names.entry(id.to_string()).or_insert_with(|| name.to_string());
    }

    /// Settles ids, names and kinds and checks every alias.
    ///
    /// Ids: the dictionary's, else `type:slug-of-the-pattern`. Names: one fixed
    /// by the reader, else the first pattern of the id (in file order) written
    /// with a capital letter, since dictionaries list the proper name first and
    /// lower-case forms (spaCy `LOWER`) make poor display names; else the
    /// fallback, else the first pattern. Kind: the reader's, else `name` for
    /// the alias equal to the name and `alias` for the others.
    fn finish(mut self) -> ParsedFile {
        let entries = std::mem::take(&mut self.entries);
        let mut valid: Vec<(Entry, String)> = Vec::new();
        for entry in entries {
            if let Err(message) = check_entry(&entry) {
                self.error(entry.line, message);
                continue;
            }
            let id = entry.id.clone().unwrap_or_else(|| format!("{}:{}", entry.etype, slug(&entry.alias)));
            valid.push((entry, id));
        }
        let mut names = std::mem::take(&mut self.names);
        for (entry, id) in &valid {
            if entry.alias.chars().any(char::is_uppercase) {
                names.entry(id.clone()).or_insert_with(|| entry.alias.clone());
            }
        }
        for (id, name) in std::mem::take(&mut self.fallback_names) {
            names.entry(id).or_insert(name);
        }
        for (entry, id) in &valid {
            names.entry(id.clone()).or_insert_with(|| entry.alias.clone());
        }
        let mut parsed = ParsedFile::default();
        let mut seen: HashMap<(String, String), (usize, bool)> = HashMap::new();
        for (entry, id) in valid {
            let key = (id.clone(), entry.alias.clone());
            if let Some(&(first, first_generated)) = seen.get(&key) {
                if !entry.generated && !first_generated {
                    self.warn(
                        "duplicate",
                        entry.line,
                        format!("duplicate pattern: id '{id}' already has alias '{}' at line {first}", entry.alias),
                    );
                }
                continue;
            }
            seen.insert(key, (entry.line, entry.generated));
            let name = names.get(&id).cloned().unwrap_or_else(|| entry.alias.clone());
            let kind = entry.kind.unwrap_or(if entry.alias == name { AliasKind::Name } else { AliasKind::Alias });
            parsed.rows.push(Row {
                line: entry.line,
                id,
                etype: entry.etype,
                name,
                alias: entry.alias,
                kind,
                case: entry.case,
                from: None,
                to: None,
            });
        }
        parsed.warnings = self.warnings;
        parsed.errors = self.errors;
        parsed
    }
}

/// The per-row rules of a cotag TSV row that apply to an imported pattern,
/// plus what a TSV cell cannot hold (so that the export is a valid file).
fn check_entry(entry: &Entry) -> Result<(), String> {
    if entry.alias.is_empty() {
        return Err("empty pattern".to_string());
    }
    if !entry.alias.chars().any(char::is_alphanumeric) {
        return Err(format!("pattern '{}' has no letter or digit, so it can never be a whole word", entry.alias));
    }
    if entry.etype.is_empty() {
        return Err(format!("empty label for pattern '{}'", entry.alias));
    }
    let cells = [Some(entry.alias.as_str()), Some(entry.etype.as_str()), entry.id.as_deref()];
    if cells.into_iter().flatten().any(|cell| cell.chars().any(char::is_control)) {
        return Err(format!(
            "pattern '{}' holds a tab, line break or other control character",
            entry.alias.escape_debug()
        ));
    }
    if entry.id.as_deref().is_some_and(|id| id.trim().is_empty()) {
        return Err(format!("empty id for pattern '{}'", entry.alias));
    }
    Ok(())
}

/// Converts dictionaries to cotag TSV for `cotag gazetteer export --from`:
/// `(file name, content)` for each, named after the source (`english.yml` →
/// `english.tsv`). Fails on the first file that a run would refuse, and
/// rather than overwrite a source or write two sources to one name.
pub fn convert_files(paths: &[PathBuf], out: &Path) -> Result<Vec<(String, String)>, GazetteerError> {
    let mut files: Vec<(String, String)> = Vec::new();
    for path in paths {
        let label = path.display().to_string();
        let bytes = super::read_file(path, &label)?;
        let parsed = parse_file(&label, &bytes)?;
        if let Some(first) = parsed.errors.first() {
            let more = parsed.errors.len() - 1;
            let mut message = first.message.clone();
            if more > 0 {
                message.push_str(&format!(" (and {more} more; `cotag gazetteer check {label}` lists them)"));
            }
            return Err(GazetteerError::new(&first.file, first.line, message));
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "gazetteer".into());
        let name = format!("{stem}.tsv");
        let target = out.join(&name);
        if same_file(path, &target) {
            return Err(GazetteerError::new(
                &label,
                0,
                format!("converting would overwrite it as {}", target.display()),
            ));
        }
        if files.iter().any(|(n, _)| *n == name) {
            return Err(GazetteerError::new(&label, 0, format!("another --from file is also converted to {name}")));
        }
        let tsv = to_tsv(&label, Format::detect(&label, &bytes), &parsed.rows);
        files.push((name, tsv));
    }
    Ok(files)
}

/// Whether two paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The rows of an imported file as a cotag gazetteer TSV (SPEC §3), with a
/// `source` column naming the file and line each row came from, so that users
/// can see, edit and reuse the conversion.
pub fn to_tsv(label: &str, format: Format, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# converted by cotag {} from {label} ({})", env!("CARGO_PKG_VERSION"), format.describe());
    out.push_str("id\ttype\tname\talias\tkind\tcase\tsource\n");
    for row in rows {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{label}:{}",
            row.id,
            row.etype,
            row.name,
            row.alias,
            row.kind.as_str(),
            row.case.as_str(),
            row.line
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognized_by_extension_and_header() {
        assert_eq!(Format::detect("p.jsonl", b"{}"), Format::Spacy);
        assert_eq!(Format::detect("d/EN.YML", b"a: [b]"), Format::Quanteda);
        assert_eq!(Format::detect("d.yaml", b"a: [b]"), Format::Quanteda);
        assert_eq!(Format::detect("m.txt", b"Kenya\tCOUNTRY\n"), Format::RegexNer);
        assert_eq!(Format::detect("m.tsv", b"Kenya\tCOUNTRY\n"), Format::RegexNer);
        assert_eq!(Format::detect("g.tsv", b"# c\n\xef\xbb\xbfid\ttype\tname\talias\n"), Format::Cotag);
        // A broken cotag header is still cotag's, so its error says what is missing.
        assert_eq!(Format::detect("g.tsv", b"id\ttype\tname\n"), Format::Cotag);
        assert_eq!(Format::detect("g.txt", b"alias\tid\n"), Format::Cotag);
        assert_eq!(Format::detect("builtin:countries.tsv", b"id\ttype\tname\talias\n"), Format::Cotag);
        assert_eq!(Format::detect("g.csv", b"Kenya\tCOUNTRY\n"), Format::Cotag);
    }

    #[test]
    fn a_broken_cotag_header_keeps_its_message() {
        let err = parse_file("g.tsv", b"id\ttype\tname\n").unwrap_err();
        assert!(err.to_string().starts_with("g.tsv:1: missing column 'alias'"), "{err}");
    }

    #[test]
    fn imported_rows_meet_the_cross_row_rules_and_folders_read_imports() {
        use crate::gazetteer::GazetteerBuilder;
        // One id, two types across a TSV and a pattern file: the builder's rule.
        let mut b = GazetteerBuilder::new();
        b.add_text("g.tsv", b"id\ttype\tname\talias\nwho\torganization\tWHO\tWHO\n").unwrap();
        let err = b.add_text("p.jsonl", br#"{"label": "PERSON", "pattern": "WHO", "id": "who"}"#).unwrap_err();
        assert_eq!(err.to_string(), "p.jsonl:1: id 'who' has type 'person' here but 'organization' at g.tsv:2");

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.jsonl"), r#"{"label": "ORG", "pattern": "UN"}"#).unwrap();
        std::fs::write(dir.path().join("b.yml"), "ORG:\n  eu: [European Union]\n").unwrap();
        std::fs::write(dir.path().join("README.txt"), "Read me first.\n").unwrap();
        let mut b = GazetteerBuilder::new();
        b.add_path(dir.path()).unwrap();
        let g = b.build();
        let ids: Vec<&str> = g.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["ORG.eu", "organization:un"]);
        assert_eq!(g.files.len(), 2);
    }

    proptest::proptest! {
        /// No input makes a reader panic: user files only ever give errors.
        #[test]
        fn no_input_panics(text in "[\\PC\t\n'\"\\[\\]{}:,*?&!|#-]{0,80}") {
            for label in ["x.jsonl", "x.yml", "x.txt", "x.tsv"] {
                let _ = parse_file(label, text.as_bytes());
            }
        }
    }

    #[test]
    fn labels_map_to_cotag_types() {
        assert_eq!(map_label("PERSON"), "person");
        assert_eq!(map_label("PER"), "person");
        assert_eq!(map_label("ORG"), "organization");
        assert_eq!(map_label("ORGANIZATION"), "organization");
        assert_eq!(map_label("country"), "country");
        assert_eq!(map_label("GPE"), "gpe");
        assert_eq!(map_label(" NATIONALITY "), "nationality");
    }

    #[test]
    fn slugs_keep_letters_and_digits_only() {
        assert_eq!(slug("World Health Organization"), "world-health-organization");
        assert_eq!(slug("Côte d'Ivoire"), "côte-d-ivoire");
        assert_eq!(slug("  U.S.  "), "u-s");
        assert_eq!(slug("G20"), "g20");
    }

    fn entry(line: usize, id: Option<&str>, alias: &str) -> Entry {
        Entry {
            line,
            id: id.map(str::to_string),
            etype: "organization".to_string(),
            alias: alias.to_string(),
            case: CaseRule::Exact,
            kind: None,
            generated: false,
        }
    }

    #[test]
    fn names_prefer_the_first_capitalized_pattern() {
        let mut e = Entries::new("x");
        e.push(entry(1, Some("who"), "who"));
        e.push(entry(2, Some("who"), "World Health Organization"));
        e.push(entry(3, Some("who"), "WHO"));
        e.push(entry(4, None, "unicef"));
        let parsed = e.finish();
        let rows: Vec<(&str, &str, &str, AliasKind)> =
            parsed.rows.iter().map(|r| (r.id.as_str(), r.name.as_str(), r.alias.as_str(), r.kind)).collect();
        assert_eq!(
            rows,
            [
                ("who", "World Health Organization", "who", AliasKind::Alias),
                ("who", "World Health Organization", "World Health Organization", AliasKind::Name),
                ("who", "World Health Organization", "WHO", AliasKind::Alias),
                ("organization:unicef", "unicef", "unicef", AliasKind::Name),
            ]
        );
    }

    #[test]
    fn repeats_warn_unless_cotag_made_them() {
        let mut e = Entries::new("x");
        e.push(entry(1, None, "UN"));
        e.push(entry(2, None, "UN"));
        e.push(Entry { generated: true, ..entry(3, None, "UN") });
        e.push(entry(4, None, "--"));
        e.push(entry(5, None, "A\tB"));
        let parsed = e.finish();
        assert_eq!(parsed.rows.len(), 1);
        let warnings: Vec<String> = parsed.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings, ["x:2: duplicate pattern: id 'organization:un' already has alias 'UN' at line 1"]);
        assert_eq!(parsed.warnings[0].rule, "duplicate");
        let errors: Vec<String> = parsed.errors.iter().map(|w| w.to_string()).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("x:4: pattern '--' has no letter or digit"), "{errors:?}");
        assert!(errors[1].starts_with("x:5: pattern 'A\\tB' holds a tab"), "{errors:?}");
    }

    #[test]
    fn the_export_is_a_cotag_gazetteer() {
        let mut e = Entries::new("p.jsonl");
        e.push(entry(3, None, "World Health Organization"));
        let rows = e.finish().rows;
        let tsv = to_tsv("p.jsonl", Format::Spacy, &rows);
        assert!(tsv.contains(
            "organization:world-health-organization\torganization\tWorld Health Organization\tWorld Health Organization\tname\texact\tp.jsonl:3\n"
        ));
        let back = parse_tsv("out.tsv", tsv.as_bytes()).unwrap();
        assert!(back.errors.is_empty());
        assert_eq!(back.rows[0].alias, "World Health Organization");
        assert_eq!(back.rows[0].case, CaseRule::Exact);
    }
}
