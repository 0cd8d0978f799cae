//! Newsmap's country keys mapped onto the built-in countries gazetteer, so that
//! `-g builtin -g english.yml` adds newsmap's words to the same entities
//! instead of making a second Kenya.

use std::collections::HashMap;

use crate::gazetteer::{builtin_files, parse_tsv, AliasKind};

/// ISO 3166-1 alpha-2 → alpha-3 (the built-in country ids).
static ALPHA2: &str = include_str!("../../data/iso3166_alpha2.tsv");

/// What the built-in countries say about the ids newsmap's keys map to.
pub(super) struct Countries {
    alpha3: HashMap<&'static str, &'static str>,
    /// Built-in id → name.
    names: HashMap<String, String>,
    /// (built-in id, alias) → kind, so that newsmap's demonyms stay demonyms
    /// (and `--no-demonyms` leaves them out).
    kinds: HashMap<(String, String), AliasKind>,
}

impl Countries {
    /// Loads the code table and the built-in countries gazetteer.
    pub(super) fn load() -> Countries {
        let alpha3 = ALPHA2.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once('\t')).collect();
        let mut names = HashMap::new();
        let mut kinds = HashMap::new();
        for (file, text) in builtin_files() {
            let Ok(parsed) = parse_tsv(file, text.as_bytes()) else { continue };
            for row in parsed.rows.into_iter().filter(|r| r.etype == "country") {
                names.entry(row.id.clone()).or_insert(row.name);
                kinds.insert((row.id, row.alias), row.kind);
            }
        }
        Countries { alpha3, names, kinds }
    }

    /// The built-in id for a newsmap key (`KE` → `KEN`).
    pub(super) fn id(&self, key: &str) -> Option<&'static str> {
        self.alpha3.get(key).copied()
    }

    /// The built-in name of a country id.
    pub(super) fn name(&self, id: &str) -> Option<&str> {
        self.names.get(id).map(String::as_str)
    }

    /// The built-in kind of one of a country's aliases.
    pub(super) fn kind(&self, id: &str, alias: &str) -> Option<AliasKind> {
        self.kinds.get(&(id.to_string(), alias.to_string())).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_builtin_ids_names_and_kinds() {
        let c = Countries::load();
        assert_eq!(c.id("KE"), Some("KEN"));
        assert_eq!(c.id("GB"), Some("GBR"));
        assert_eq!(c.id("KV"), Some("XKX"));
        assert_eq!(c.id("ZZ"), None);
        assert_eq!(c.name("KEN"), Some("Kenya"));
        assert_eq!(c.name("XKX"), Some("Kosovo"));
        assert_eq!(c.kind("KEN", "Kenyans"), Some(AliasKind::Demonym));
        assert_eq!(c.kind("KEN", "Nairobi"), None);
        // Every alpha-3 of the table is a built-in country, so no newsmap key
        // makes an id that `-g builtin` does not know.
        for line in ALPHA2.lines().filter(|l| !l.starts_with('#')) {
            let (_, alpha3) = line.split_once('\t').unwrap();
            assert!(c.name(alpha3).is_some(), "{alpha3} is not a built-in country");
        }
    }
}
