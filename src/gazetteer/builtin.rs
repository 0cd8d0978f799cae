//! The built-in gazetteers: the files under `gazetteers/`, embedded at build time.

/// The `-g` word that names the built-in set.
pub const BUILTIN_NAME: &str = "builtin";

/// File name and content of every built-in gazetteer, sorted by name.
static FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_gazetteers.rs"));

/// File name and content of every built-in gazetteer, sorted by name.
pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
    FILES
}
