//! Shell completions and the man page, generated from the CLI definition.

use std::process::{Command, Output};

fn cotag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cotag")).args(args).output().expect("cotag runs")
}

fn stdout_of(args: &[&str]) -> String {
    let out = cotag(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn completions_name_every_subcommand_and_option() {
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef cotag"), ("fish", "complete -c cotag")] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        for word in ["run", "merge", "gazetteer", "report", "completions", "window", "min-count", "expect-shards"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let out = cotag(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "an unknown shell is a usage error");
}

#[test]
fn man_page_is_roff_and_lists_the_subcommands() {
    let page = stdout_of(&["manpage"]);
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80.min(page.len())]);
    assert!(page.contains(".TH cotag 1"), "{page}");
    for word in ["run", "merge", "gazetteer", "report", "completions"] {
        assert!(page.contains(&format!("cotag\\-{word}")) || page.contains(word), "man page lacks {word}");
    }
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    // The hidden command that prints this page is not listed in it.
    assert!(!page.contains("manpage"), "{page}");
}
