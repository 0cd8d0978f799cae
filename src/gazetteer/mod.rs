//! Gazetteers: the lists of entities and the surface forms (aliases) that name
//! them, as SPEC §3 defines them.
//!
//! A [`Gazetteer`] is the union of one or more files. Entities are kept sorted by
//! id, so an entity's index orders pairs the same way as its id's bytes do.

mod builtin;
pub mod import;
pub mod lint;
mod nested;
mod parse;

use std::fmt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use crate::document::Date;

pub use builtin::{builtin_files, BUILTIN_NAME};
pub use parse::{parse_tsv, ParsedFile};

/// A gazetteer problem that stops the run: `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerError {
    /// The file at fault, as the user named it (or `builtin:NAME`).
    pub file: String,
    /// 1-based line number; 0 when the problem is with the file as a whole.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl GazetteerError {
    /// An error at `file:line`.
    pub fn new(file: &str, line: usize, message: impl Into<String>) -> GazetteerError {
        GazetteerError { file: file.to_string(), line, message: message.into() }
    }
}

impl fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for GazetteerError {}

/// A problem that does not stop a run (`file:line: message`), and the rule
/// `gazetteer check` names it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerWarning {
    /// The rule: `duplicate` (a repeated row or pattern, which is dropped),
    /// `mixed-case` (a spaCy pattern of ORTH and LOWER tokens) or `empty-key`
    /// (a quanteda key without patterns).
    pub rule: &'static str,
    /// Where and what.
    pub problem: GazetteerError,
}

impl GazetteerWarning {
    /// A warning under `rule` at `file:line`.
    pub fn new(rule: &'static str, file: &str, line: usize, message: impl Into<String>) -> GazetteerWarning {
        GazetteerWarning { rule, problem: GazetteerError::new(file, line, message) }
    }
}

impl fmt::Display for GazetteerWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

/// What kind of surface form an alias is (the `kind` column, and a mention's `via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AliasKind {
    /// The entity's name, or a full form of it.
    Name,
    /// Any other surface form (the default).
    Alias,
    /// An acronym or abbreviation ("UN", "U.S.").
    Acronym,
    /// A demonym ("Israeli"), counted as a mention of the country.
    Demonym,
    /// A surname; on a mention, a later partial mention of a person named in full.
    Surname,
    /// A title form ("President Xi").
    Title,
    /// Only on mentions: found by `--discover`, not from a list.
    Discovered,
}

impl AliasKind {
    /// The word used in gazetteers and in `mentions.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            AliasKind::Name => "name",
            AliasKind::Alias => "alias",
            AliasKind::Acronym => "acronym",
            AliasKind::Demonym => "demonym",
            AliasKind::Surname => "surname",
            AliasKind::Title => "title",
            AliasKind::Discovered => "discovered",
        }
    }

    /// Parses a `kind` cell; `None` for an unknown word.
    pub fn parse(s: &str) -> Option<AliasKind> {
        Some(match s {
            "name" => AliasKind::Name,
            "alias" => AliasKind::Alias,
            "acronym" => AliasKind::Acronym,
            "demonym" => AliasKind::Demonym,
            "surname" => AliasKind::Surname,
            "title" => AliasKind::Title,
            _ => return None,
        })
    }
}

/// How an alias's letter case must match the text (the `case` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CaseRule {
    /// Only exactly as written.
    Exact,
    /// As written, or in all capitals (headlines).
    Smart,
    /// In any case.
    Any,
}

impl CaseRule {
    /// The word used in gazetteers.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseRule::Exact => "exact",
            CaseRule::Smart => "smart",
            CaseRule::Any => "any",
        }
    }

    /// Parses a `case` cell; `None` for an unknown word.
    pub fn parse(s: &str) -> Option<CaseRule> {
        Some(match s {
            "exact" => CaseRule::Exact,
            "smart" => CaseRule::Smart,
            "any" => CaseRule::Any,
            _ => return None,
        })
    }

    /// The rule SPEC §3 gives when the cell is empty: `exact` for acronyms and
    /// all-capital aliases, `smart` otherwise.
    pub fn default_for(alias: &str, kind: AliasKind) -> CaseRule {
        let has_letter = alias.chars().any(char::is_alphabetic);
        let all_caps = has_letter && !alias.chars().any(char::is_lowercase);
        if kind == AliasKind::Acronym || all_caps {
            CaseRule::Exact
        } else {
            CaseRule::Smart
        }
    }
}

/// One entity: what the tables call `entity_id`, `type` and `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Stable canonical id, e.g. `ISR`.
    pub id: String,
    /// `country`, `organization`, `person`, or another type kept as written.
    pub etype: String,
    /// Canonical display name.
    pub name: String,
}

/// One surface form of one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The text to find.
    pub text: String,
    /// Index of the entity in [`Gazetteer::entities`].
    pub entity: u32,
    /// What kind of form it is.
    pub kind: AliasKind,
    /// How its case must match.
    pub case: CaseRule,
    /// First day on which the alias refers to this entity, if bounded.
    pub from: Option<Date>,
    /// Last day on which the alias refers to this entity, if bounded.
    pub to: Option<Date>,
}

impl Alias {
    /// Whether the alias may refer to its entity in a document of this date
    /// (undated documents accept every alias).
    pub fn valid_on(&self, date: Option<Date>) -> bool {
        match date {
            None => true,
            Some(d) => self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t),
        }
    }
}

/// Where a part of the gazetteer came from, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The file as named on the command line, or `builtin:NAME`.
    pub label: String,
    /// SHA-256 of the file's bytes, in lower-case hex.
    pub sha256: String,
    /// Distinct entity ids the file defines.
    pub entities: usize,
    /// Alias rows the file holds.
    pub aliases: usize,
}

/// A row as parsed from a file, before entities are merged across files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line number in its file.
    pub line: usize,
    /// `id` cell.
    pub id: String,
    /// `type` cell.
    pub etype: String,
    /// `name` cell.
    pub name: String,
    /// `alias` cell.
    pub alias: String,
    /// `kind`, defaulted.
    pub kind: AliasKind,
    /// `case`, defaulted.
    pub case: CaseRule,
    /// `from`, if given.
    pub from: Option<Date>,
    /// `to`, if given.
    pub to: Option<Date>,
}

/// The entities and aliases of every gazetteer file of a run.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Entities sorted by id bytes; an [`Alias::entity`] indexes this.
    pub entities: Vec<Entity>,
    /// Every alias row, in file order.
    pub aliases: Vec<Alias>,
    /// The files read, in the order given.
    pub files: Vec<SourceFile>,
    /// Problems that did not stop loading.
    pub warnings: Vec<GazetteerWarning>,
    /// Rule violations, kept only by a [`GazetteerBuilder::lenient`] builder.
    pub errors: Vec<GazetteerError>,
}

/// Builds a [`Gazetteer`] from files, checking SPEC §3's cross-row rules
/// (one name and one type per id, across files too).
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    entities: Vec<Entity>,
    /// Where each id was first defined, for error messages.
    first_seen: FxHashMap<String, (u32, usize, usize)>,
    /// Labels of the files added, indexed by `first_seen`'s file number.
    labels: Vec<String>,
    aliases: Vec<Alias>,
    files: Vec<SourceFile>,
    warnings: Vec<GazetteerWarning>,
    /// When set, errors are collected (and their rows skipped) instead of returned.
    lenient: bool,
    errors: Vec<GazetteerError>,
}

impl GazetteerBuilder {
    /// An empty builder that stops at the first error (for runs).
    pub fn new() -> GazetteerBuilder {
        GazetteerBuilder::default()
    }

    /// An empty builder that collects every error and goes on (for `gazetteer check`).
    pub fn lenient() -> GazetteerBuilder {
        GazetteerBuilder { lenient: true, ..GazetteerBuilder::default() }
    }

    /// Returns `error`, or records it when lenient.
    fn fail(&mut self, error: GazetteerError) -> Result<(), GazetteerError> {
        if self.lenient {
            self.errors.push(error);
            Ok(())
        } else {
            Err(error)
        }
    }

    /// Parses and adds one file's content; `label` names it in errors.
    pub fn add_text(&mut self, label: &str, bytes: &[u8]) -> Result<(), GazetteerError> {
        self.add_parsed(ParsedSource::of(label.to_string(), bytes))
    }

    /// Adds a file parsed by [`ParsedSource::of`].
    fn add_parsed(&mut self, source: ParsedSource) -> Result<(), GazetteerError> {
        let ParsedSource { label, parsed, sha256 } = source;
        let label = label.as_str();
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(e) => return self.fail(e),
        };
        self.warnings.extend(parsed.warnings);
        for e in parsed.errors {
            self.fail(e)?;
        }
        let rows = parsed.rows;
        let file_number = self.labels.len();
        self.labels.push(label.to_string());
        let mut ids_in_file: FxHashMap<&str, ()> = FxHashMap::default();
        for row in &rows {
            ids_in_file.insert(&row.id, ());
            let entity = match self.first_seen.get(&row.id) {
                Some(&(index, where_file, where_line)) => {
                    let where_file = &self.labels[where_file];
                    let known = &self.entities[index as usize];
                    let conflict = if known.name != row.name {
                        Some(format!("has name '{}' here but '{}'", row.name, known.name))
                    } else if known.etype != row.etype {
                        Some(format!("has type '{}' here but '{}'", row.etype, known.etype))
                    } else {
                        None
                    };
                    match conflict {
                        Some(what) => Err(GazetteerError::new(
                            label,
                            row.line,
                            format!("id '{}' {what} at {where_file}:{where_line}", row.id),
                        )),
                        None => Ok(index),
                    }
                }
                None => {
                    let index = self.entities.len() as u32;
                    self.entities.push(Entity { id: row.id.clone(), etype: row.etype.clone(), name: row.name.clone() });
                    self.first_seen.insert(row.id.clone(), (index, file_number, row.line));
                    Ok(index)
                }
            };
            let entity = match entity {
                Ok(entity) => entity,
                Err(e) => {
                    self.fail(e)?;
                    continue;
                }
            };
            self.aliases.push(Alias {
                text: row.alias.clone(),
                entity,
                kind: row.kind,
                case: row.case,
                from: row.from,
                to: row.to,
            });
        }
        self.files.push(SourceFile {
            label: label.to_string(),
            sha256,
            entities: ids_in_file.len(),
            aliases: rows.len(),
        });
        Ok(())
    }

    /// Adds the built-in gazetteers embedded in the binary.
    pub fn add_builtin(&mut self) -> Result<(), GazetteerError> {
        // Parsed all at once (most of a run's start-up), added in order.
        let sources: Vec<ParsedSource> = builtin_files()
            .par_iter()
            .map(|(name, text)| ParsedSource::of(format!("{BUILTIN_NAME}:{name}"), text.as_bytes()))
            .collect();
        for source in sources {
            self.add_parsed(source)?;
        }
        Ok(())
    }

    /// Adds a file, or every gazetteer file under a folder (sorted by path;
    /// see [`import::is_folder_extension`]).
    pub fn add_path(&mut self, path: &Path) -> Result<(), GazetteerError> {
        let label = path.display().to_string();
        if path.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(true)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| p.extension().is_some_and(import::is_folder_extension))
                .collect();
            files.sort();
            if files.is_empty() {
                let message = "folder holds no gazetteer (.tsv, .jsonl, .yml or .yaml)";
                return self.fail(GazetteerError::new(&label, 0, message));
            }
            // Read and parsed a few at once (as many as rayon has threads,
            // so that a folder of large files is not all held parsed at
            // once), added in order: the first error in path order is the
            // one reported, as when they were read one by one.
            for batch in files.chunks(rayon::current_num_threads().max(1)) {
                let sources: Vec<Result<ParsedSource, GazetteerError>> = batch
                    .par_iter()
                    .map(|file| {
                        let label = file.display().to_string();
                        let bytes = read_file(file, &label)?;
                        Ok(ParsedSource::of(label, &bytes))
                    })
                    .collect();
                for source in sources {
                    self.add_parsed(source?)?;
                }
            }
            return Ok(());
        }
        let bytes = read_file(path, &label)?;
        self.add_text(&label, &bytes)
    }

    /// Adds a `-g` argument: the word `builtin`, a file or a folder.
    pub fn add_spec(&mut self, spec: &str) -> Result<(), GazetteerError> {
        if spec == BUILTIN_NAME {
            self.add_builtin()
        } else {
            self.add_path(Path::new(spec))
        }
    }

    /// Finishes: sorts entities by id and renumbers aliases to match.
    pub fn build(self) -> Gazetteer {
        let mut order: Vec<u32> = (0..self.entities.len() as u32).collect();
        order.sort_by(|&a, &b| self.entities[a as usize].id.as_bytes().cmp(self.entities[b as usize].id.as_bytes()));
        let mut new_index = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old as usize] = new as u32;
        }
        let entities = order.iter().map(|&old| self.entities[old as usize].clone()).collect();
        let aliases = self
            .aliases
            .into_iter()
            .map(|mut a| {
                a.entity = new_index[a.entity as usize];
                a
            })
            .collect();
        Gazetteer { entities, aliases, files: self.files, warnings: self.warnings, errors: self.errors }
    }
}

impl Gazetteer {
    /// Loads the gazetteers named by `-g` arguments; none means the built-in set.
    pub fn load(specs: &[String]) -> Result<Gazetteer, GazetteerError> {
        let mut builder = GazetteerBuilder::new();
        if specs.is_empty() {
            builder.add_builtin()?;
        }
        for spec in specs {
            builder.add_spec(spec)?;
        }
        Ok(builder.build())
    }

    /// The entity with this id, if any.
    pub fn entity_index(&self, id: &str) -> Option<u32> {
        self.entities.binary_search_by(|e| e.id.as_bytes().cmp(id.as_bytes())).ok().map(|i| i as u32)
    }
}

/// One gazetteer file parsed, with its checksum: the work on a file that
/// needs no builder, so that several files can be parsed at once.
struct ParsedSource {
    /// The file as the user named it (or `builtin:NAME`).
    label: String,
    parsed: Result<ParsedFile, GazetteerError>,
    sha256: String,
}

impl ParsedSource {
    /// Parses `bytes`, in any format `-g` reads (SPEC §3): cotag TSV or an
    /// imported dictionary.
    fn of(label: String, bytes: &[u8]) -> ParsedSource {
        ParsedSource { parsed: import::parse_file(&label, bytes), sha256: sha256_hex(bytes), label }
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The most bytes a gazetteer file may hold. The largest lists of people
/// (every human in Wikidata, with aliases) stay well below it, and a folder
/// of files has no limit; what is larger is a mistake such as `-g
/// /dev/zero`, which would otherwise fill memory until the system stops the
/// run.
pub(crate) const MAX_FILE_BYTES: u64 = 1 << 30;

/// The bytes of the gazetteer file `path` (`label` in errors), at most
/// [`MAX_FILE_BYTES`].
pub(crate) fn read_file(path: &Path, label: &str) -> Result<Vec<u8>, GazetteerError> {
    read_file_within(path, label, MAX_FILE_BYTES)
}

/// [`read_file`] with a limit of `limit` bytes, read no further.
fn read_file_within(path: &Path, label: &str, limit: u64) -> Result<Vec<u8>, GazetteerError> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| GazetteerError::new(label, 0, format!("cannot read: {e}"));
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)).map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        let size = crate::corpus::human_bytes(limit);
        let message = format!("larger than {size}: not a gazetteer (split a list this large into a folder of files)");
        return Err(GazetteerError::new(label, 0, message));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id\ttype\tname\talias\n";

    #[test]
    fn entities_are_sorted_by_id_and_aliases_follow() {
        let mut b = GazetteerBuilder::new();
        let text = format!("{HEADER}b\tcountry\tBee\tBee\na\tcountry\tAy\tAy\nb\tcountry\tBee\tBeeland\n");
        b.add_text("t.tsv", text.as_bytes()).unwrap();
        let g = b.build();
        assert_eq!(g.entities[0].id, "a");
        assert_eq!(g.entities[1].id, "b");
        let bee: Vec<&str> = g.aliases.iter().filter(|a| a.entity == 1).map(|a| a.text.as_str()).collect();
        assert_eq!(bee, ["Bee", "Beeland"]);
        assert_eq!(g.files[0].entities, 2);
        assert_eq!(g.files[0].aliases, 3);
        assert_eq!(g.entity_index("b"), Some(1));
        assert_eq!(g.entity_index("c"), None);
    }

    #[test]
    fn an_id_with_two_names_across_files_names_both_places() {
        let mut b = GazetteerBuilder::new();
        b.add_text("one.tsv", format!("{HEADER}x\tperson\tX One\tX\n").as_bytes()).unwrap();
        let err = b.add_text("two.tsv", format!("{HEADER}\nx\tperson\tX Two\tXX\n").as_bytes()).unwrap_err();
        assert_eq!(err.file, "two.tsv");
        assert_eq!(err.line, 3);
        assert!(err.message.contains("one.tsv:2"), "{}", err.message);
        assert_eq!(err.to_string(), "two.tsv:3: id 'x' has name 'X Two' here but 'X One' at one.tsv:2");
    }

    #[test]
    fn a_file_past_the_size_limit_is_an_error_read_no_further() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.tsv");
        std::fs::write(&path, "id\ttype\tname\nA\tcountry\tAland\n").unwrap();
        assert_eq!(read_file_within(&path, "g.tsv", 64).unwrap().len(), 29);
        let err = read_file_within(&path, "g.tsv", 28).unwrap_err().to_string();
        assert!(err.starts_with("g.tsv: larger than 28 bytes: not a gazetteer"), "{err}");
        // An endless stream ends at the limit, not when memory does.
        #[cfg(unix)]
        {
            let err = read_file_within(Path::new("/dev/zero"), "/dev/zero", 1 << 20).unwrap_err().to_string();
            assert!(err.contains("larger than 1 MiB"), "{err}");
        }
    }

    #[test]
    fn an_id_with_two_types_is_an_error() {
        let mut b = GazetteerBuilder::new();
        let text = format!("{HEADER}x\tperson\tX\tX\nx\torganization\tX\tXo\n");
        let err = b.add_text("t.tsv", text.as_bytes()).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("type"));
    }

    #[test]
    fn default_case_follows_the_spec() {
        assert_eq!(CaseRule::default_for("UN", AliasKind::Alias), CaseRule::Exact);
        assert_eq!(CaseRule::default_for("U.N.", AliasKind::Alias), CaseRule::Exact);
        assert_eq!(CaseRule::default_for("Nato", AliasKind::Acronym), CaseRule::Exact);
        assert_eq!(CaseRule::default_for("Israel", AliasKind::Name), CaseRule::Smart);
        assert_eq!(CaseRule::default_for("123", AliasKind::Alias), CaseRule::Smart);
    }

    #[test]
    fn date_bounds_hold_inclusively() {
        let alias = Alias {
            text: "President Bush".into(),
            entity: 0,
            kind: AliasKind::Title,
            case: CaseRule::Smart,
            from: Date::new(2001, 1, 20),
            to: Date::new(2009, 1, 20),
        };
        assert!(alias.valid_on(None));
        assert!(alias.valid_on(Date::new(2001, 1, 20)));
        assert!(alias.valid_on(Date::new(2009, 1, 20)));
        assert!(!alias.valid_on(Date::new(2009, 1, 21)));
        assert!(!alias.valid_on(Date::new(1991, 6, 1)));
    }

    #[test]
    fn builtin_set_loads_without_errors() {
        let g = Gazetteer::load(&[]).expect("built-in gazetteers are valid");
        assert!(!g.entities.is_empty());
        assert!(g.files.iter().all(|f| f.label.starts_with("builtin:")));
    }
}
