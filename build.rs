//! Embeds every `gazetteers/*.tsv` file in the binary, so that `cotag` finds
//! its built-in gazetteers from any folder.

use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("gazetteers");
    println!("cargo:rerun-if-changed=gazetteers");
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".tsv") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    // Sorted so that the built-in set, and every id it yields, is the same on every machine.
    names.sort();
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut code = String::from("&[\n");
    for name in &names {
        let full = Path::new(&manifest_dir).join("gazetteers").join(name);
        println!("cargo:rerun-if-changed={}", full.display());
        code.push_str(&format!("    ({:?}, include_str!({:?})),\n", name, full.display().to_string()));
    }
    code.push_str("]\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_gazetteers.rs");
    fs::write(out, code).expect("write builtin_gazetteers.rs");
}
