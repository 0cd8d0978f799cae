#!/usr/bin/env bash
# Where the cost of `--discover` goes: finding names, or tagging and
# counting the names found.
#
# usage: benches/discover_cost.sh ROUNDS CORPUS [BINARY] [cotag run options...]
#   e.g. benches/discover_cost.sh 3 target/bench-corpus/500MB target/release/cotag -j 1
#
# One untimed `--discover` run lists the people and organizations that
# discovery finds in CORPUS; they are written as a gazetteer (one `name` alias
# each, ids `listed:<type>:<slug>`). Then, alternated round by round, three
# runs are timed:
#   plain     the built-in gazetteers
#   listed    the built-in gazetteers and the discovered names as listed ones:
#             about the tables of a `--discover` run (its extra mentions and
#             pairs), without the work of finding names
#   discover  the built-in gazetteers and `--discover`
# The throughput each loses against `plain` (1 - plain's time / its time) is
# printed round by round, then the medians: what `listed` loses is the cost
# of the larger tables alone. Before each timed run, untimed, the output
# folder is removed and `sync` run (as in compare.sh and ab.sh); the corpus is
# read into the page cache before each round.
set -euo pipefail

die() { echo "discover_cost.sh: $*" >&2; exit 2; }
[[ $# -ge 2 ]] || die "usage: benches/discover_cost.sh ROUNDS CORPUS [BINARY] [cotag run options...]"
rounds=$1 corpus=$2
shift 2
bin=target/release/cotag
if [[ $# -gt 0 && $1 != -* ]]; then
  bin=$1
  shift
fi
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number, not '$rounds'"
[[ -e $corpus ]] || die "no corpus at $corpus"
[[ -x $bin ]] || die "not an executable: $bin (build with cargo build --release)"
command -v python3 >/dev/null || die "python3 is needed to write the gazetteer"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gazetteer=$work/discovered.tsv

echo "listing the discovered names (one untimed --discover run)..." >&2
"$bin" run "$corpus" -o "$work/tables" -q --discover "$@"
python3 - "$work/tables/entities.csv" "$gazetteer" <<'EOF'
import csv, sys
seen = set()
with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("id\ttype\tname\talias\tkind\n")
    for row in csv.DictReader(f):
        eid = row["entity_id"]
        if eid.startswith("new:") and eid not in seen:
            seen.add(eid)
            out.write(f"listed:{eid[4:]}\t{row['type']}\t{row['name']}\t{row['name']}\tname\n")
print(f"{len(seen)} discovered names listed", file=sys.stderr)
EOF

warm() { find "$corpus" -type f -print0 | xargs -0 cat >/dev/null; }
times=$work/times.tsv
for ((r = 1; r <= rounds; r++)); do
  warm
  for mode in plain listed discover; do
    case $mode in
      plain) extra=() ;;
      listed) extra=(-g builtin -g "$gazetteer") ;;
      discover) extra=(--discover) ;;
    esac
    rm -rf "$work/tables"
    sync
    /usr/bin/time -f "%e" -o "$work/time.txt" "$bin" run "$corpus" -o "$work/tables" -q "${extra[@]}" "$@"
    # Rows, not lines: a surface found across a wrapped line holds a line break.
    mentions=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["totals"]["mentions"])' \
      "$work/tables/manifest.json")
    pairs=$(($(wc -l <"$work/tables/cooccurrence.csv") - 1))
    printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$mode" "$(cat "$work/time.txt")" "$mentions" "$pairs" >>"$times"
  done
done
awk -F'\t' '
function median(v, n,    i, j, t) {
  for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
  return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{ wall[$1, $2] = $3; mentions[$2] = $4; pairs[$2] = $5; if ($1 > rounds) rounds = $1 }
END {
  printf "%-9s %12s %10s  %s\n", "run", "mentions", "pairs", "wall s by round"
  split("plain listed discover", modes, " ")
  for (m = 1; m <= 3; m++) {
    line = ""
    for (r = 1; r <= rounds; r++) line = line sprintf(" %.2f", wall[r, modes[m]])
    printf "%-9s %12d %10d %s\n", modes[m], mentions[modes[m]], pairs[modes[m]], line
  }
  for (m = 2; m <= 3; m++) {
    line = ""
    for (r = 1; r <= rounds; r++) {
      loss[r] = 100 * (1 - wall[r, "plain"] / wall[r, modes[m]])
      line = line sprintf(" %.0f%%", loss[r])
    }
    printf "throughput lost by %-8s: median %.0f%% (by round:%s)\n", modes[m], median(loss, rounds), line
  }
}' "$times"
