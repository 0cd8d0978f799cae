//! Finding the inputs: walking the CORPUS arguments.

use std::ffi::OsStr;
use std::io;
use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use super::InputFile;
use crate::document::Status;

/// Lists every input under the CORPUS arguments.
///
/// - A folder is walked recursively, following symlinks. Hidden entries
///   (name starting with `.`) are skipped silently, folders and files alike,
///   so `.git`, `.DS_Store` and editor lock files never show up; a CORPUS
///   argument that is itself hidden is still walked.
/// - A file argument is taken as is; its `rel` is its file name.
/// - Entries the walk cannot use are listed with a `problem`, so that they
///   appear in `documents.csv`:
///   - a symlink back to one of its own ancestor folders: `skipped`,
///     `symlink loop` (nothing is lost: the folder is walked once already);
///   - a dangling symlink: `error`, `dangling symlink` (something named like
///     a document is missing, which `--strict` should catch);
///   - a folder that cannot be read (permission denied...): `error` with the
///     OS message;
///   - a FIFO, socket or device: `skipped`, `not a regular file` (opening a
///     FIFO would block the run forever);
///   - a CORPUS argument that does not exist: `error`,
///     `no such file or directory`, `rel` its file name.
/// - A file name that is not UTF-8 gets a lossy `rel` and `source` (U+FFFD),
///   and still opens through `path`.
///
/// The result is sorted by (argument index, `rel` bytes), so that output
/// never depends on the order in which the file system lists a folder. The
/// same file reached through two symlinks is listed twice, under two `rel`s.
/// `-` is not passed here (stdin is read separately).
pub fn list_inputs(roots: &[PathBuf]) -> Vec<InputFile> {
    let mut out = Vec::new();
    for root in roots {
        let mut found = Vec::new();
        walk_inputs(root, &mut |input| {
            found.push(input);
            true
        });
        found.sort_by(|a, b| a.rel().as_bytes().cmp(b.rel().as_bytes()));
        out.extend(found);
    }
    out
}

/// Hands every input under one CORPUS argument to `sink` as the walk finds
/// it, by the rules of [`list_inputs`], without holding a list: a run over
/// millions of files needs memory for one folder's entries at a time. The
/// order is depth first with each folder's entries by file name, the same
/// on every run. The walk stops when `sink` returns false.
pub fn walk_inputs(root: &Path, sink: &mut dyn FnMut(InputFile) -> bool) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        // By file name: the entries sorted are one folder's, whose paths are
        // that folder's path and a name, so comparing whole paths compares
        // the names (`sort_by_file_name` takes each name back out of its
        // path at every comparison: a tenth of the reading thread's time on
        // a corpus of small files).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for item in walker {
        match item {
            Ok(entry) => {
                // With follow_links, this is the type of the link's target.
                let kind = entry.file_type();
                if kind.is_dir() {
                    continue;
                }
                let problem = (!kind.is_file())
                    .then(|| (Status::Skipped, "not a regular file (FIFO, socket or device)".to_string()));
                if !sink(input(root, entry.path(), entry.depth(), problem)) {
                    return;
                }
            }
            Err(err) => {
                let depth = err.depth();
                let path = err.path().unwrap_or(root).to_path_buf();
                // filter_entry only sees entries that could be read, so
                // hidden ones that fail (Emacs lock files `.#x` are dangling
                // symlinks) must be dropped here.
                if depth > 0 && path.file_name().is_some_and(is_hidden) {
                    continue;
                }
                let problem = classify(&err, &path, depth);
                if !sink(input(root, &path, depth, Some(problem))) {
                    return;
                }
            }
        }
    }
}

/// The status and detail for an entry the walk could not use.
fn classify(err: &walkdir::Error, path: &Path, depth: usize) -> (Status, String) {
    if err.loop_ancestor().is_some() {
        return (Status::Skipped, "symlink loop".to_string());
    }
    let Some(io_err) = err.io_error() else {
        return (Status::Error, err.to_string());
    };
    let is_link = path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink());
    match io_err.kind() {
        io::ErrorKind::NotFound if is_link => (Status::Error, "dangling symlink".to_string()),
        io::ErrorKind::NotFound if depth == 0 => (Status::Error, "no such file or directory".to_string()),
        _ => (Status::Error, io_err.to_string()),
    }
}

/// An input at `path`, `depth` levels below `root`.
fn input(root: &Path, path: &Path, depth: usize, problem: Option<(Status, String)>) -> InputFile {
    InputFile::new(path, &rel_path(root, path, depth), &slashed(path), problem)
}

/// `path` relative to `root` with `/` separators; for the argument itself,
/// its file name (or the whole argument if it has none, like `..`).
fn rel_path(root: &Path, path: &Path, depth: usize) -> String {
    if depth == 0 {
        return match root.file_name() {
            Some(name) => name.to_string_lossy().into_owned(),
            None => slashed(root),
        };
    }
    // The walk makes a path as the argument's, a separator unless the
    // argument ends with one, and names: what follows the argument is
    // already the relative path, on systems whose separator is `/`.
    if std::path::MAIN_SEPARATOR == '/' {
        if let Some(rest) = path.as_os_str().as_encoded_bytes().strip_prefix(root.as_os_str().as_encoded_bytes()) {
            let rest = rest.strip_prefix(b"/").unwrap_or(rest);
            if !rest.is_empty() && !rest.starts_with(b"/") {
                return String::from_utf8_lossy(rest).into_owned();
            }
        }
    }
    rel_by_components(root, path)
}

/// `path` relative to `root` with `/` separators, component by component
/// (any separator, `.` components dropped).
fn rel_by_components(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// A path as a `/`-separated string, lossy UTF-8.
fn slashed(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Whether a file name marks a hidden entry.
fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(root: &Path, rel: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"x").unwrap();
    }

    fn rels(inputs: &[InputFile]) -> Vec<&str> {
        inputs.iter().map(|i| i.rel()).collect()
    }

    #[test]
    fn walks_recursively_sorted_by_rel_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        for rel in ["b.txt", "a/b.txt", "a.txt", "a-b.txt", "Z.txt", "é.txt", "x/y/z.jsonl"] {
            touch(&root, rel);
        }
        let inputs = list_inputs(std::slice::from_ref(&root));
        // '-' (0x2D) < '.' (0x2E) < '/' (0x2F) < 'Z' < 'a' < 'é': bytes, not
        // path components or locale order.
        assert_eq!(rels(&inputs), ["Z.txt", "a-b.txt", "a.txt", "a/b.txt", "b.txt", "x/y/z.jsonl", "é.txt"]);
        let a = &inputs[3];
        assert_eq!(a.path(), root.join("a").join("b.txt"));
        assert_eq!(a.source(), format!("{}/a/b.txt", root.to_string_lossy()));
        assert!(inputs.iter().all(|i| i.problem.is_none()));
    }

    #[test]
    fn arguments_keep_their_order_and_files_are_taken_as_is() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "z/2.txt");
        touch(dir.path(), "z/1.txt");
        touch(dir.path(), "a/9.txt");
        touch(dir.path(), ".hidden/file.txt");
        let inputs = list_inputs(&[dir.path().join("z"), dir.path().join("a/9.txt"), dir.path().join(".hidden")]);
        assert_eq!(rels(&inputs), ["1.txt", "2.txt", "9.txt", "file.txt"]);
        assert_eq!(inputs[2].path(), dir.path().join("a/9.txt"));
    }

    #[test]
    fn relative_paths_are_read_off_the_walked_paths() {
        // However the argument is spelled, the relative path read off the
        // bytes of the walk's paths is the one built component by component.
        let dir = tempfile::tempdir().unwrap();
        for rel in ["a.txt", "sub/b.txt", "sub/deeper/c d.txt", "é/ü.txt"] {
            touch(&dir.path().join("c"), rel);
        }
        let base = dir.path().to_string_lossy().into_owned();
        let spellings = ["c", "c/", "c//", "./c", "./c/.", "c/./"].map(|s| format!("{base}/{s}"));
        for root in spellings.iter().map(Path::new) {
            let mut seen = Vec::new();
            walk_inputs(root, &mut |input| {
                let depth = input.path().strip_prefix(root).unwrap().components().count();
                assert_eq!(input.rel(), rel_by_components(root, input.path()), "{}", input.path().display());
                assert_eq!(input.rel(), rel_path(root, input.path(), depth));
                seen.push(input.rel().to_string());
                true
            });
            assert_eq!(seen, ["a.txt", "sub/b.txt", "sub/deeper/c d.txt", "é/ü.txt"], "{}", root.display());
        }
    }

    #[test]
    fn trailing_slash_on_argument_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "corpus/2022/a.txt");
        let inputs = list_inputs(&[dir.path().join("corpus/")]);
        assert_eq!(rels(&inputs), ["2022/a.txt"]);
        let expected = format!("{}/corpus/2022/a.txt", dir.path().to_string_lossy());
        assert_eq!(inputs[0].source(), expected);
    }

    #[test]
    fn hidden_entries_are_skipped_silently() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [".git/config.txt", ".DS_Store", "a/.secret.txt", "a/ok.txt", "b.txt"] {
            touch(dir.path(), rel);
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("nowhere", dir.path().join("a/.#lock.txt")).unwrap();
        let inputs = list_inputs(&[dir.path().to_path_buf()]);
        assert_eq!(rels(&inputs), ["a/ok.txt", "b.txt"]);
    }

    #[test]
    fn missing_argument_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = list_inputs(&[dir.path().join("nope")]);
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].rel(), "nope");
        assert_eq!(inputs[0].problem, Some((Status::Error, "no such file or directory".to_string())));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_loops_and_dangling_links() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        touch(&root, "a/doc.txt");
        touch(dir.path(), "outside/far.txt");
        symlink("..", root.join("a/up")).unwrap();
        symlink("missing.txt", root.join("gone.txt")).unwrap();
        symlink(dir.path().join("outside"), root.join("linked")).unwrap();
        let inputs = list_inputs(std::slice::from_ref(&root));
        let got: Vec<_> = inputs.iter().map(|i| (i.rel(), i.problem.clone())).collect();
        assert_eq!(
            got,
            [
                ("a/doc.txt", None),
                ("a/up", Some((Status::Skipped, "symlink loop".to_string()))),
                ("gone.txt", Some((Status::Error, "dangling symlink".to_string()))),
                ("linked/far.txt", None),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn fifo_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        let inputs = list_inputs(&[dir.path().to_path_buf()]);
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].problem.as_ref().unwrap().0, Status::Skipped);
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_folder_is_an_error() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "locked/x.txt");
        touch(dir.path(), "open.txt");
        let locked = dir.path().join("locked");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let readable = std::fs::read_dir(&locked).is_ok();
        let inputs = list_inputs(&[dir.path().to_path_buf()]);
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        if readable {
            return; // running as root: permissions do not apply
        }
        assert_eq!(rels(&inputs), ["locked", "open.txt"]);
        let (status, detail) = inputs[0].problem.clone().unwrap();
        assert_eq!(status, Status::Error);
        assert!(detail.contains("ermission denied"), "{detail}");
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_are_lossy_but_open() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let name = OsStr::from_bytes(b"caf\xe9.txt");
        if std::fs::write(dir.path().join(name), b"x").is_err() {
            return; // file system refuses non-UTF-8 names
        }
        let inputs = list_inputs(&[dir.path().to_path_buf()]);
        assert_eq!(rels(&inputs), ["caf\u{FFFD}.txt"]);
        assert_eq!(std::fs::read(inputs[0].path()).unwrap(), b"x");
    }
}
