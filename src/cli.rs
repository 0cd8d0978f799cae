//! The command line (SPEC §1): clap definitions and dispatch to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::corpus::ReadOptions;
use crate::gazetteer::{builtin_files, lint, GazetteerBuilder};
use crate::interrupt::Interrupt;
use crate::pipeline::{run, RunConfig};
use crate::shard::Shard;
use crate::window::{By, Window};

const RUN_EXAMPLES: &str = "\
Examples:
  cotag run                                  tag ./corpus with the built-in gazetteers into ./out
  cotag run news/ -o tables --by month       monthly tables for the articles under news/
  cotag run a.jsonl.gz -w sentence,tokens:10 sentence and 10-token windows
  cotag run news/ -g builtin -g mine.tsv     the built-in gazetteers plus your own
  zcat dump.jsonl.gz | cotag run - -o out    JSONL documents from standard input

Exit codes: 0 success; 1 --strict and some documents were not read cleanly;
2 usage or fatal error (bad gazetteer, unwritable output).";

/// The most worker threads `-j` takes. Each worker keeps its own tables and
/// buffers, and tens of thousands of threads exhaust the system's memory
/// maps while starting, which aborts the process (no error to report, a
/// staging folder left behind); no machine has cores for more than this.
const MAX_THREADS: i64 = 1024;

/// Tag countries, organizations and people in a news corpus and write
/// co-occurrence tables as CSV.
#[derive(Debug, Parser)]
#[command(name = "cotag", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tag a corpus and write all tables (the main job).
    #[command(after_help = RUN_EXAMPLES)]
    Run(Box<RunArgs>),
    /// Check or export gazetteers.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),
    /// Sum the tables of runs over disjoint shards (SPEC §5).
    #[command(after_help = MERGE_EXAMPLES)]
    Merge(MergeArgs),
    /// Draw OUT/report.html from the tables of a run or a merge.
    Report {
        /// Output folder of `cotag run` or `cotag merge`
        #[arg(value_name = "OUT")]
        out: PathBuf,
    },
    /// Print shell completions for bash, zsh or fish on standard output.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete for
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on standard output.
    #[command(hide = true)]
    Manpage,
}

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  cotag completions bash > ~/.local/share/bash-completion/completions/cotag
  cotag completions zsh > ~/.zfunc/_cotag          (with fpath+=~/.zfunc in ~/.zshrc)
  cotag completions fish > ~/.config/fish/completions/cotag.fish
  cotag manpage > ~/.local/share/man/man1/cotag.1   the man page";

/// `cotag gazetteer ...`.
#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Lint gazetteers; no PATH: the built-in ones. Exits 1 on errors.
    Check {
        /// Gazetteer files or folders (`builtin` names the built-in set).
        paths: Vec<String>,
        /// List every note, not only the first few of each kind.
        #[arg(long)]
        all: bool,
    },
    /// Write the built-in gazetteers as files, or with --from, dictionaries converted to cotag TSV.
    Export {
        /// Folder to write into (created if missing).
        #[arg(short, long)]
        out: PathBuf,
        /// A spaCy, quanteda/newsmap or RegexNER dictionary to convert instead (repeatable); FILE.yml → DIR/FILE.tsv
        #[arg(long, value_name = "FILE")]
        from: Vec<PathBuf>,
        /// Replace files of the same names in the folder
        #[arg(long)]
        force: bool,
    },
}

/// The options of `cotag run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Files or folders, walked recursively; `-` reads JSONL from stdin [default: corpus]
    pub corpus: Vec<String>,
    /// A gazetteer file or folder; repeatable; replaces the built-in set, which the word `builtin` names
    #[arg(short = 'g', long = "gazetteer", value_name = "PATH")]
    pub gazetteer: Vec<String>,
    /// Output folder
    #[arg(short, long, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// Comma list of document, paragraph, sentence, tokens:N
    #[arg(short, long, default_value = "document,sentence", value_name = "LIST", value_parser = parse_windows)]
    pub window: WindowList,
    /// Slice every table by the document date: none, year, month, day
    #[arg(long, default_value = "none", value_name = "PERIOD", value_parser = By::parse)]
    pub by: By,
    /// Leave out pairs seen in fewer than N windows
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub min_count: u64,
    /// Do not count demonyms ("Israeli") as country mentions
    #[arg(long)]
    pub no_demonyms: bool,
    /// Also tag people and organizations no gazetteer lists, by name patterns (ids start with `new:`)
    #[arg(long)]
    pub discover: bool,
    /// Do not write mentions.csv
    #[arg(long)]
    pub no_mentions: bool,
    /// Worker threads, at most 1024 [default: all cores]
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=MAX_THREADS))]
    pub threads: Option<u32>,
    /// Replace an existing output folder
    #[arg(long)]
    pub force: bool,
    /// Process only shard I of N (0-based), by the hash of SPEC §5
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    pub shard: Option<Shard>,
    /// Read the list of input files from FILE (`-`: stdin), one path a line
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<String>,
    /// Exit 1 when any document was not read cleanly (status other than ok)
    #[arg(long)]
    pub strict: bool,
    /// No progress bar, no summary
    #[arg(short, long)]
    pub quiet: bool,
    /// Name of the text field in JSONL and CSV inputs
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    /// Name of the id field in JSONL and CSV inputs
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
    /// Name of the date field in JSONL and CSV inputs
    #[arg(long, default_value = "date", value_name = "NAME")]
    pub date_field: String,
    /// Memory for sorting the per-document tables before spilling to disk, in bytes
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES", hide = true)]
    pub sort_memory: usize,
}

/// A parsed `--window` list.
#[derive(Debug, Clone)]
pub struct WindowList(pub Vec<Window>);

fn parse_windows(s: &str) -> Result<WindowList, String> {
    Window::parse_list(s).map(WindowList)
}

/// Runs a parsed command line and returns the exit code.
pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run(args) => run_command(*args),
        Command::Gazetteer(GazetteerCommand::Check { paths, all }) => check_command(&paths, all),
        Command::Gazetteer(GazetteerCommand::Export { out, from, force }) => export_command(&out, &from, force),
        Command::Merge(args) => merge_command(args),
        Command::Report { out } => {
            let page = crate::report::write_report(&out)?;
            eprintln!("wrote {}", page.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cotag", &mut script);
            print_bytes(&script)
        }
        Command::Manpage => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page).context("cannot render the man page")?;
            print_bytes(&page)
        }
    }
}

/// Writes generated text to standard output; a reader that stops early
/// (`cotag manpage | head`) is not an error.
fn print_bytes(bytes: &[u8]) -> Result<ExitCode> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("cannot write to standard output"),
        _ => Ok(ExitCode::SUCCESS),
    }
}

const MERGE_EXAMPLES: &str = "\
Examples:
  cotag merge part0 part1 part2 part3 -o all --expect-shards 4
  cotag merge all batch2024 -o all2 --min-count 5    add a later batch; keep pairs seen 5 times

Parts must be run alike (gazetteers, --window, --by, --no-demonyms, field options,
cotag version) with --min-count 1, and must not hold the same shard twice.";

/// The options of `cotag merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output folders of `cotag run --shard I/N` (or of `cotag merge`) over disjoint shards
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Output folder
    #[arg(short, long, value_name = "DIR")]
    pub out: PathBuf,
    /// Leave out pairs seen in fewer than N windows
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub min_count: u64,
    /// Refuse unless the parts hold every shard of N
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub expect_shards: Option<u64>,
    /// Replace an existing output folder
    #[arg(long)]
    pub force: bool,
    /// No summary
    #[arg(short, long)]
    pub quiet: bool,
}

fn merge_command(args: MergeArgs) -> Result<ExitCode> {
    let config = crate::merge::MergeConfig {
        parts: args.parts,
        out: args.out,
        min_count: args.min_count,
        expect_shards: args.expect_shards,
        force: args.force,
        command_line: command_line(),
        interrupt: Interrupt::install().context("cannot install the signal handlers")?,
    };
    let summary = crate::merge::merge(&config)?;
    if !args.quiet {
        eprintln!("{}", summary.describe());
    }
    Ok(ExitCode::SUCCESS)
}

fn run_command(args: RunArgs) -> Result<ExitCode> {
    let threads = match args.threads {
        Some(n) => n as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS as usize),
    };
    let config = RunConfig {
        corpus: args.corpus,
        gazetteers: args.gazetteer,
        out: args.out,
        windows: args.window.0,
        by: args.by,
        min_count: args.min_count,
        no_demonyms: args.no_demonyms,
        discover: args.discover,
        no_mentions: args.no_mentions,
        threads,
        force: args.force,
        strict: args.strict,
        quiet: args.quiet,
        read: ReadOptions { text_field: args.text_field, id_field: args.id_field, date_field: args.date_field },
        sort_memory: args.sort_memory.max(1024),
        command_line: command_line(),
        shard: args.shard,
        files_from: args.files_from,
        interrupt: Interrupt::install().context("cannot install the signal handlers")?,
    };
    let result = run(&config);
    // The run has cleaned up after itself, whichever way it ended.
    config.interrupt.finish();
    let summary = result?;
    if !config.quiet {
        eprintln!("{}", summary.describe());
    }
    if config.strict && summary.not_ok() > 0 {
        if !config.quiet {
            eprintln!("cotag: --strict: {} documents were not read cleanly (see documents.csv)", summary.not_ok());
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn check_command(paths: &[String], all: bool) -> Result<ExitCode> {
    let mut builder = GazetteerBuilder::lenient();
    let specs: Vec<String> = if paths.is_empty() { vec!["builtin".to_string()] } else { paths.to_vec() };
    // A path that cannot be read at all (missing, too large, a folder of
    // no gazetteer) does not hide the findings of the others: they are
    // listed, then it is reported, and the check fails as a run would.
    let unreadable: Vec<_> = specs.iter().filter_map(|spec| builder.add_spec(spec).err()).collect();
    let gazetteer = builder.build();
    let report = lint::lint(&gazetteer);
    print!("{}", report.render(&gazetteer, if all { usize::MAX } else { 10 }));
    for err in &unreadable {
        eprintln!("cotag: {}", printable(&err.to_string()));
    }
    Ok(if !unreadable.is_empty() {
        ExitCode::from(2)
    } else if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn export_command(out: &std::path::Path, from: &[PathBuf], force: bool) -> Result<ExitCode> {
    let files: Vec<(String, String)> = if from.is_empty() {
        builtin_files().iter().map(|(name, text)| (name.to_string(), text.to_string())).collect()
    } else {
        crate::gazetteer::import::convert_files(from, out)?
    };
    // A gazetteer of that name may be the user's own, edited by hand: as
    // `run` does with its output folder, replace nothing unasked.
    if let Some((name, _)) = files.iter().find(|(name, _)| !force && out.join(name).exists()) {
        anyhow::bail!(
            "{} already exists; use --force to replace it, or -o to name another folder",
            out.join(name).display()
        );
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, text) in &files {
        let path = out.join(name);
        let tmp = out.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", path.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The command line for the manifest. A path that is not UTF-8 (`-o`, a
/// merge part) is written with replacement characters: `std::env::args`
/// would panic on it.
fn command_line() -> Vec<String> {
    std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect()
}

/// `message` as one line that a terminal shows as written: control
/// characters escaped (`\r`, `\u{1b}`). Messages quote gazetteer values and
/// paths, and a carriage return or an escape sequence there would overwrite
/// the `file:line` part on the screen.
pub fn printable(message: &str) -> String {
    if !message.chars().any(char::is_control) {
        return message.to_string();
    }
    message.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}
