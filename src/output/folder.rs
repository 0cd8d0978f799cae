//! The output folder, whole or not at all: tables are written into a hidden
//! staging folder beside it, each under a temporary name renamed when
//! complete, and the staging folder takes the output folder's name only when
//! every table is in it. An interrupted or failed run leaves no table behind.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

use crate::output::manifest::TableFile;
use crate::output::writeback::SyncingFile;

/// A staging folder that becomes the output folder on [`Staging::commit`],
/// and is removed if dropped before that.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    force: bool,
    committed: bool,
    /// The files placed so far, by name, with their sizes (tables are
    /// placed from several threads).
    placed: Mutex<BTreeMap<String, TableFile>>,
}

impl Staging {
    /// Checks that `target` may be written (refusing an existing non-empty
    /// folder unless `force`, and always one that holds any of `inputs` or
    /// the current folder) and creates the staging folder beside it, so an
    /// unwritable place is reported before any work starts.
    pub fn prepare(target: &Path, force: bool, inputs: &[&Path]) -> Result<Staging> {
        if target.exists() {
            if !target.is_dir() {
                bail!("output {} exists and is not a folder", target.display());
            }
            let empty = fs::read_dir(target)
                .with_context(|| format!("cannot read output folder {}", target.display()))?
                .next()
                .is_none();
            if !empty {
                refuse_to_replace_inputs(target, inputs)?;
            }
            if !empty && !force {
                bail!(
                    "output folder {} already exists; use --force to replace it, or -o to name another",
                    target.display()
                );
            }
        }
        let name = target
            .file_name()
            .with_context(|| format!("output folder {} has no name", target.display()))?
            .to_string_lossy()
            .into_owned();
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("cannot create folder {}", parent.display()))?;
        let dir = parent.join(format!(".{name}.cotag-partial-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        fs::create_dir(&dir).with_context(|| format!("cannot write output folder {}", target.display()))?;
        Ok(Staging { target: target.to_path_buf(), dir, force, committed: false, placed: Mutex::default() })
    }

    /// The staging folder, also the place for temporary sort runs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The final output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one table: `write` fills a buffered writer to a temporary file,
    /// which is flushed, synced and renamed to `name`.
    pub fn write_file(&self, name: &str, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        self.place_file(name, |tmp| {
            let mut w = BufWriter::with_capacity(1 << 16, SyncingFile::new(File::create(tmp)?));
            write(&mut w)?;
            w.into_inner().map_err(|e| e.into_error())?.finish();
            Ok(())
        })
    }

    /// Writes one table whose file `make` creates, complete, at the
    /// temporary path it is given (by writing it, or by renaming a file of
    /// the staging folder there); the file is synced and renamed to `name`.
    pub fn place_file(&self, name: &str, make: impl FnOnce(&Path) -> io::Result<()>) -> Result<()> {
        let tmp = self.dir.join(format!("{name}.tmp"));
        // A file opened for writing: some systems sync only such handles.
        let result = make(&tmp).and_then(|()| {
            let file = fs::OpenOptions::new().write(true).open(&tmp)?;
            file.sync_all()?;
            file.metadata()
        });
        let bytes = match result {
            Ok(meta) => meta.len(),
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(e).with_context(|| format!("cannot write {}", self.target.join(name).display()));
            }
        };
        fs::rename(&tmp, self.dir.join(name))
            .with_context(|| format!("cannot write {}", self.target.join(name).display()))?;
        self.placed.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), TableFile { bytes });
        Ok(())
    }

    /// The files placed so far, by name, with their sizes: what the
    /// manifest records of the tables, so that `merge` can tell a table
    /// changed since (see [`crate::merge::part`]).
    pub fn placed(&self) -> BTreeMap<String, TableFile> {
        self.placed.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Writes `value` as pretty-printed JSON with a final line break (the manifest).
    pub fn write_json(&self, name: &str, value: &impl serde::Serialize) -> Result<()> {
        let json = serde_json::to_vec_pretty(value).with_context(|| format!("cannot encode {name}"))?;
        self.write_file(name, |w| {
            w.write_all(&json)?;
            w.write_all(b"\n")
        })
    }

    /// Moves the finished tables into place, replacing the old folder.
    pub fn commit(mut self) -> Result<()> {
        // Sort runs and other leftovers never reach the output.
        for entry in fs::read_dir(&self.dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "tmp") {
                let _ = fs::remove_file(&path);
            }
        }
        if self.target.exists() {
            if !self.force && fs::read_dir(&self.target)?.next().is_some() {
                bail!("output folder {} appeared during the run; not replaced", self.target.display());
            }
            // Named after this run's staging folder (its process id): a
            // leftover of another run (killed while removing its old folder,
            // or running beside this one) cannot be in the way.
            let mut old = self.dir.clone().into_os_string();
            old.push(".old");
            let old = PathBuf::from(old);
            fs::rename(&self.target, &old)
                .with_context(|| format!("cannot replace output folder {}", self.target.display()))?;
            fs::rename(&self.dir, &self.target)
                .with_context(|| format!("cannot move tables into {}", self.target.display()))?;
            // The new tables are in place; the old ones, hidden beside them,
            // must not stay there unnoticed (they may be gigabytes). Said even
            // with --quiet, which silences progress, not what is left on disk.
            if let Err(e) = fs::remove_dir_all(&old) {
                eprintln!(
                    "cotag: warning: the replaced output folder could not be removed and is left as {}: {e}",
                    old.display()
                );
            }
        } else {
            fs::rename(&self.dir, &self.target)
                .with_context(|| format!("cannot move tables into {}", self.target.display()))?;
        }
        self.committed = true;
        Ok(())
    }
}

/// An error if the existing folder `target` is, or holds, one of `inputs`
/// or the current folder: replacing it (`--force`) would delete the corpus,
/// a gazetteer or a part being read, or the folder the user works in. Paths
/// are compared resolved (symbolic links, `..`), so `-o "$PWD"` and `-o
/// news/..` are caught as `-o .` is; an input that cannot be resolved (`-`,
/// `builtin`, a missing file) holds nothing to lose.
fn refuse_to_replace_inputs(target: &Path, inputs: &[&Path]) -> Result<()> {
    let Ok(folder) = fs::canonicalize(target) else {
        return Ok(());
    };
    for input in inputs {
        if fs::canonicalize(input).is_ok_and(|p| p.starts_with(&folder)) {
            bail!(
                "output folder {} holds the input {}; replacing it would delete it: name another output folder",
                target.display(),
                input.display()
            );
        }
    }
    if std::env::current_dir().is_ok_and(|cwd| cwd.starts_with(&folder)) {
        bail!(
            "output folder {} holds the current folder; replacing it would delete it: name another output folder",
            target.display()
        );
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_appear_only_on_commit() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        let staging = Staging::prepare(&out, false, &[]).unwrap();
        staging.write_file("a.csv", |w| w.write_all(b"x\n")).unwrap();
        assert!(!out.exists());
        staging.commit().unwrap();
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"x\n");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1, "no staging left");
    }

    #[test]
    fn a_leftover_old_folder_does_not_block_replacing() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("a.csv"), "old").unwrap();
        // What an earlier run killed while removing the folder it replaced,
        // or a run beside this one, may leave (this name was once shared).
        let leftover = root.path().join(".out.old");
        fs::create_dir(&leftover).unwrap();
        fs::write(leftover.join("a.csv"), "older").unwrap();
        let staging = Staging::prepare(&out, true, &[]).unwrap();
        staging.write_file("a.csv", |w| w.write_all(b"new")).unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"new");
        let mut names: Vec<_> = fs::read_dir(root.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, [".out.old", "out"], "the replaced folder is removed, the leftover left alone");
    }

    #[test]
    fn existing_folder_needs_force_and_drop_cleans_up() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        fs::create_dir(&out).unwrap();
        // An empty folder is fine to fill.
        drop(Staging::prepare(&out, false, &[]).unwrap());
        fs::write(out.join("old.csv"), "old").unwrap();
        let err = Staging::prepare(&out, false, &[]).unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
        {
            let staging = Staging::prepare(&out, true, &[]).unwrap();
            staging.write_file("a.csv", |w| w.write_all(b"new")).unwrap();
            // Dropped without commit: the old folder stays as it was.
        }
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
        assert!(out.join("old.csv").exists());
        let staging = Staging::prepare(&out, true, &[]).unwrap();
        staging.write_file("a.csv", |w| w.write_all(b"new")).unwrap();
        staging.commit().unwrap();
        assert!(!out.join("old.csv").exists());
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"new");
    }
}
