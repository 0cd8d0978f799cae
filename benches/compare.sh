#!/usr/bin/env bash
# Side-by-side benchmark of cotag against the tools researchers use (issue 5).
#
# Usage: benches/compare.sh [--size 500MB] [--rounds 3] [--only LIST] [--skip-slow]
#                           [--big-gazetteer] [--rss-scaling] [--discover] [--seed N] [--no-build] [--no-save]
#                           [--name SUFFIX]
#
# On one generated corpus (benches/gen_corpus.py, cached under target/bench-corpus/)
# and one alias list (the shipped gazetteers, exported with `cotag gazetteer
# export`, each alias expanded by its case rule: benches/peers/aliases.py), it
# times whole processes with `/usr/bin/time -f '%e %M'` (wall seconds, peak RSS),
# alternating the tools round by round (the starting tool rotates each round):
#
#   cotag-j1, cotag-j2  cotag run CORPUS -o OUT --force -q -j 1|2 (default windows and tables)
#   grep                LC_ALL=C.UTF-8 grep -r -F -w -o -h -f ALIASES --include='*.txt' CORPUS | wc -l
#                       (a scan that tags and counts nothing: the near-limit reference)
#   pyahocorasick       benches/peers/peer.py: automaton + iter_long + word-boundary check
#   flashtext           benches/peers/peer.py: KeywordProcessor(case_sensitive=True), span_info=True
#   spacy               benches/peers/peer.py: spacy.blank("en") tokenizer + PhraseMatcher(attr=ORTH)
#
# --big-gazetteer adds (builtin + synthetic people = 100,000 aliases, benches/peers/big_gazetteer.py):
#   cotag-100k-j1       cotag run CORPUS -g builtin -g synthetic_people.tsv -j 1  (MB/s per core)
#   cotag-100k-load     the same on a one-article corpus: gazetteer load + automaton build + start-up
#   cotag-load          the built-in gazetteers on that one-article corpus, for reference
# --rss-scaling adds cotag with default threads on 500MB and 2GB corpora (rss-500MB, rss-2GB).
# --discover adds cotag-discover-j1: cotag run CORPUS --discover -j 1, for issue 4's
#   "--discover costs no more than 30% of throughput" (compared with cotag-j1 round by round).
#
# --only LIST runs a subset: a comma list of tool names or prefixes (`cotag` = every cotag-*).
# --skip-slow leaves out flashtext and spacy (slow on big corpora; they are in by default).
# --no-build uses the existing target/release/cotag; --no-save writes no results file;
# --name SUFFIX writes benches/results/<date>-SUFFIX.md (a second run on the same day).
#
# Prints, round by round and then the median: MB/s (1 MB = 10^6 bytes), documents/s,
# peak RSS and mentions found (a sanity check; the tools' rules differ slightly), cotag
# -j 1's ratio to each tool, and PASS/FAIL for each target of issue 5. The same goes
# to benches/results/<YYYY-MM-DD>.md with the machine's CPU, cores, date, corpus and
# command. Installs what it needs: Debian's `time` (apt-get) if missing, and the Python
# tools into a virtualenv under target/bench-venv. Scratch files go to target/bench-work.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

die() { echo "compare.sh: $*" >&2; exit 2; }

SIZE=500MB ROUNDS=3 ONLY="" SKIP_SLOW=0 BIG=0 RSS_SCALING=0 DISCOVER=0 SEED=1 BUILD=1 SAVE=1 NAME=""
ARGS=("$@")
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) SIZE=${2:?--size needs a value}; shift 2 ;;
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
    --only) ONLY=${2:?--only needs a value}; shift 2 ;;
    --skip-slow) SKIP_SLOW=1; shift ;;
    --big-gazetteer) BIG=1; shift ;;
    --rss-scaling) RSS_SCALING=1; shift ;;
    --discover) DISCOVER=1; shift ;;
    --seed) SEED=${2:?--seed needs a value}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-save) SAVE=0; shift ;;
    --name) NAME=${2:?--name needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive whole number"

cd "$(dirname "$0")/.."
STARTED=$(date -u +%FT%TZ)
REPO=$PWD
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
WORK=$TARGET/bench-work
VENV=$TARGET/bench-venv
COTAG=$TARGET/release/cotag
mkdir -p "$WORK"

# --- the tools to run ------------------------------------------------------------
ALL_TOOLS=(cotag-j1 cotag-j2 grep pyahocorasick)
[[ $SKIP_SLOW == 1 ]] || ALL_TOOLS+=(flashtext spacy)
[[ $BIG == 1 ]] && ALL_TOOLS+=(cotag-100k-j1 cotag-100k-load cotag-load)
[[ $RSS_SCALING == 1 ]] && ALL_TOOLS+=(rss-500MB rss-2GB)
[[ $DISCOVER == 1 ]] && ALL_TOOLS+=(cotag-discover-j1)
TOOLS=()
for tool in "${ALL_TOOLS[@]}"; do
  if [[ -z $ONLY ]]; then TOOLS+=("$tool"); continue; fi
  IFS=, read -ra wanted <<<"$ONLY"
  for w in "${wanted[@]}"; do
    if [[ $tool == "$w" || $tool == "$w"-* ]]; then TOOLS+=("$tool"); break; fi
  done
done
[[ ${#TOOLS[@]} -gt 0 ]] || die "--only '$ONLY' selects no tool (known: ${ALL_TOOLS[*]})"
uses() { local t; for t in "${TOOLS[@]}"; do [[ $t == "$1"* ]] && return 0; done; return 1; }

# --- what the script needs ---------------------------------------------------------
apt_install() {
  local sudo=""
  [[ $(id -u) == 0 ]] || sudo=sudo
  echo "compare.sh: installing Debian package(s) $*" >&2
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
[[ -x /usr/bin/time ]] || apt_install time
command -v python3 >/dev/null || apt_install python3
GREP_LOCALE=C.UTF-8
if uses grep; then
  # grep -w in the C locale is ~50x slower with this pattern set; UTF-8 text wants a UTF-8 locale.
  if ! locale -a 2>/dev/null | grep -qix 'c.utf-\?8'; then
    GREP_LOCALE=$(locale -a 2>/dev/null | grep -i 'utf-\?8$' | sed -n 1p)
    [[ -n $GREP_LOCALE ]] || die "no UTF-8 locale for grep (install the locales package)"
  fi
fi
PEER_PKGS=(pyahocorasick==2.3.1 flashtext==2.7 "spacy>=3.8,<3.9")
if uses pyahocorasick || uses flashtext || uses spacy; then
  if ! "$VENV/bin/python" -c 'import ahocorasick, flashtext, spacy' 2>/dev/null; then
    python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
    echo "compare.sh: creating $VENV with ${PEER_PKGS[*]}" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "${PEER_PKGS[@]}"
  fi
fi
if [[ $BUILD == 1 ]]; then
  echo "compare.sh: cargo build --release" >&2
  cargo build --release -q
fi
[[ -x $COTAG ]] || die "no $COTAG (build it, or drop --no-build)"

# --- corpus and aliases ----------------------------------------------------------------
corpus() { python3 benches/gen_corpus.py --size "$1" --seed "$SEED" --print-path; }
CORPUS=$(corpus "$SIZE")
stamp() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/.bench-corpus.json"))[sys.argv[2]])' "$@"; }
DOCS=$(stamp "$CORPUS" documents)
BYTES=$(stamp "$CORPUS" bytes)

rm -rf "$WORK/gazetteers"
"$COTAG" gazetteer export -o "$WORK/gazetteers" >/dev/null
ALIASES=$WORK/aliases.txt
python3 benches/peers/aliases.py "$WORK/gazetteers" -o "$ALIASES"
ALIAS_ROWS=$(cat "$WORK"/gazetteers/*.tsv | grep -v '^#' | awk -F'\t' 'FNR > 0 && $4 != "" && $4 != "alias"' | wc -l)
SEARCH_STRINGS=$(wc -l <"$ALIASES")

BIG_TSV=$WORK/big/synthetic_people.tsv
TINY=$WORK/tiny
if [[ $BIG == 1 ]]; then
  mkdir -p "$WORK/big"
  python3 benches/peers/big_gazetteer.py "$WORK/gazetteers" -o "$BIG_TSV" --total 100000 --seed "$SEED"
  rm -rf "$TINY" && mkdir -p "$TINY/2020/01/01"
  first=$(find "$CORPUS" -name '*.txt' -print | LC_ALL=C sort | sed -n 1p)
  cp "$first" "$TINY/2020/01/01/article.txt"
fi
if uses rss-; then
  CORPUS_500=$(corpus 500MB)
  CORPUS_2G=$(corpus 2GB)
fi

# Reads every corpus file once so that the first tool does not pay for the disk.
warm() { find "$1" -name '*.txt' -print0 | xargs -0 cat >/dev/null; }
warm "$CORPUS"

# --- one measured run ------------------------------------------------------------------------
# run TOOL ROUND: times TOOL and appends "round tool wall_s rss_kb mentions documents bytes" to RAW.
RAW=$WORK/raw.tsv
printf 'round\ttool\twall_s\trss_kb\tmentions\tdocuments\tbytes\n' >"$RAW"
FAILED=$WORK/failed.tsv
: >"$FAILED"
run() {
  local tool=$1 round=$2 out=$WORK/run-$1 docs=$DOCS bytes=$BYTES corpus=$CORPUS
  local -a cmd
  case $tool in
    cotag-j1) cmd=("$COTAG" run "$CORPUS" -o "$out" --force -q -j 1) ;;
    cotag-j2) cmd=("$COTAG" run "$CORPUS" -o "$out" --force -q -j 2) ;;
    cotag-discover-j1) cmd=("$COTAG" run "$CORPUS" --discover -o "$out" --force -q -j 1) ;;
    cotag-100k-j1) cmd=("$COTAG" run "$CORPUS" -g builtin -g "$BIG_TSV" -o "$out" --force -q -j 1) ;;
    cotag-100k-load) cmd=("$COTAG" run "$TINY" -g builtin -g "$BIG_TSV" -o "$out" --force -q -j 1) ;;
    cotag-load) cmd=("$COTAG" run "$TINY" -o "$out" --force -q -j 1) ;;
    rss-500MB) corpus=$CORPUS_500; cmd=("$COTAG" run "$corpus" -o "$out" --force -q) ;;
    rss-2GB) corpus=$CORPUS_2G; cmd=("$COTAG" run "$corpus" -o "$out" --force -q) ;;
    grep)
      # `| wc -l`: with its output on /dev/null, GNU grep stops at the first match.
      cmd=(sh -c 'LC_ALL=$1 grep -r -F -w -o -h -f "$2" --include="*.txt" "$3" | wc -l >"$4"' grep
        "$GREP_LOCALE" "$ALIASES" "$CORPUS" "$out.count") ;;
    pyahocorasick | flashtext | spacy)
      cmd=(sh -c '"$1" benches/peers/peer.py "$2" "$3" "$4" >"$5"' peer "$VENV/bin/python" "$tool" "$ALIASES"
        "$CORPUS" "$out.json") ;;
    *) die "unknown tool $tool" ;;
  esac
  case $tool in
    *-load) docs=1 bytes=$(wc -c <"$TINY/2020/01/01/article.txt") ;;
    rss-*) docs=$(stamp "$corpus" documents) bytes=$(stamp "$corpus" bytes) ;;
  esac
  # Untimed, for every tool alike: the last round's output is removed (a
  # --discover run leaves nearly 1 GB, which --force would otherwise delete
  # inside the timing) and the corpus read into the page cache again (this
  # machine kind reclaims page cache left idle while another tool runs).
  # `sync`: the deletion and the tool before (a --discover run writes
  # nearly 1 GB) leave no writeback to run during the timing.
  rm -rf "$out" "$out.count" "$out.json"
  warm "$corpus"
  sync
  if ! /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "${cmd[@]}" 2>"$WORK/stderr.txt"; then
    # Recorded and reported (the run exits 1 at the end), so that one crash does not lose the other numbers.
    tail -n 20 "$WORK/stderr.txt" >&2
    echo "compare.sh: FAILED: $tool (round $round): ${cmd[*]}" >&2
    printf '%s\t%s\t%s\n' "$round" "$tool" "$(grep -v '^Command exited' "$WORK/stderr.txt" | sed -n 1p)" >>"$FAILED"
    return 0
  fi
  local wall rss mentions
  read -r wall rss <"$WORK/time.txt"
  case $tool in
    # Rows, not lines: a surface may hold a line break ("Jane\nDoe" found by
    # --discover in wrapped text), quoted in mentions.csv. documents.csv
    # gives each document's mentions, one per row of mentions.csv.
    cotag-* | rss-*) mentions=$(python3 -c 'import csv,sys; print(sum(int(r["mentions"]) for r in csv.DictReader(open(sys.argv[1], newline=""))))' "$out/documents.csv") ;;
    grep) mentions=$(tr -d ' ' <"$out.count") ;;
    *) mentions=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mentions"])' "$out.json") ;;
  esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" "$wall" "$rss" "$mentions" "$docs" "$bytes" >>"$RAW"
  awk -v t="$tool" -v r="$round" -v w="$wall" -v m="$rss" -v n="$mentions" -v b="$bytes" -v d="$docs" 'BEGIN {
    printf "compare.sh: round %d  %-16s %8.2f s  %8.1f MB/s  %9.0f docs/s  %6.0f MB RSS  %9d mentions\n",
      r, t, w, b / 1e6 / (w > 0 ? w : 0.005), d / (w > 0 ? w : 0.005), m / 1024, n }' >&2
}

echo "compare.sh: corpus $CORPUS ($DOCS documents, $BYTES bytes); $ALIAS_ROWS aliases," \
  "$SEARCH_STRINGS search strings; tools: ${TOOLS[*]}; $ROUNDS round(s)" >&2
n=${#TOOLS[@]}
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < n; i++)); do
    run "${TOOLS[(i + round - 1) % n]}" "$round"
  done
done

# --- report ----------------------------------------------------------------------------------
META=$WORK/meta.json
python3 - "$META" <<EOF
import json, sys
json.dump({
    "date": "$(date +%F)",
    "time": "$STARTED",
    "cpu": """$(lscpu | sed -n 's/^Model name: *//p' | sed -n 1p)""",
    "cores": $(nproc),
    "memory": """$(free -h | awk '/^Mem:/ {print $2}')""",
    "kernel": """$(uname -sr)""",
    "cotag": """$("$COTAG" --version)""",
    "commit": """$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo +changes)""",
    "grep": """$(grep --version | sed -n 1p)""",
    "grep_locale": "$GREP_LOCALE",
    "python": """$(python3 --version)""",
    "peers": """$([[ -x $VENV/bin/pip ]] && "$VENV/bin/pip" freeze 2>/dev/null | grep -iE '^(pyahocorasick|flashtext|spacy)=' | tr '\n' ' ')""",
    "size": "$SIZE",
    "seed": $SEED,
    "corpus": "${CORPUS#"$REPO"/}",
    "documents": $DOCS,
    "bytes": $BYTES,
    "alias_rows": $ALIAS_ROWS,
    "search_strings": $SEARCH_STRINGS,
    "rounds": $ROUNDS,
    "command": """benches/compare.sh$(printf ' %q' "${ARGS[@]}")""",
}, open(sys.argv[1], "w"), indent=1)
EOF
RESULTS=""
if [[ $SAVE == 1 ]]; then
  mkdir -p benches/results
  RESULTS=benches/results/$(date +%F)${NAME:+-$NAME}.md
fi
python3 benches/peers/report.py "$RAW" "$META" --failed "$FAILED" ${RESULTS:+--out "$RESULTS"}
if [[ -s $FAILED ]]; then
  echo "compare.sh: some runs failed (see 'Failed runs' in the report)" >&2
  exit 1
fi
