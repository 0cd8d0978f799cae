#!/usr/bin/env bash
# A/B timing of two cotag binaries on one corpus, alternated round by round.
#
# usage: benches/ab.sh [--cold] ROUNDS CORPUS OLD NEW [cotag run options...]
#   e.g. benches/ab.sh 4 target/bench-corpus/500MB /tmp/cotag-old target/release/cotag -j 2
#
# Before each timed run, untimed: the output folder is removed and `sync` run,
# so that neither binary pays for the other's output (as in compare.sh). The
# corpus is expected in the page cache (run it once first, or see compare.sh's
# `warm`). With --cold the page cache is dropped instead before each run
# (`echo 1 > /proc/sys/vm/drop_caches`, which needs root), so that every
# file comes from the disk, as in a first run over a corpus. Prints, per binary, the best and mean wall time, the best CPU time
# (user + system), every wall time in order, and the lowest and highest
# peak RSS of its runs: on a shared machine, compare the best and look at
# the spread before believing a difference.
set -euo pipefail

die() { echo "ab.sh: $*" >&2; exit 2; }
cold=false
if [[ ${1:-} == --cold ]]; then
  cold=true
  shift
  [[ -w /proc/sys/vm/drop_caches ]] || die "--cold drops the page cache, which needs root"
fi
[[ $# -ge 4 ]] || die "usage: benches/ab.sh [--cold] ROUNDS CORPUS OLD NEW [cotag run options...]"
rounds=$1 corpus=$2 old=$3 new=$4
shift 4
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number, not '$rounds'"
[[ -e $corpus ]] || die "no corpus at $corpus"
for b in "$old" "$new"; do [[ -x $b ]] || die "not an executable: $b"; done
[[ $old != "$new" ]] || die "OLD and NEW are the same file"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=$out/times.tsv
for ((r = 1; r <= rounds; r++)); do
  for b in "$old" "$new"; do
    rm -rf "$out/tables"
    sync
    if $cold; then echo 1 >/proc/sys/vm/drop_caches; fi
    /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" "$b" run "$corpus" -o "$out/tables" -q "$@"
    printf '%s\t%s\n' "$b" "$(cat "$out/time.txt")" >>"$times"
  done
done
awk -F'\t' '{
  split($2, t, " "); b = $1; w = t[1]; c = t[2] + t[3]
  if (!(b in best) || w < best[b]) best[b] = w
  if (!(b in cpu) || c < cpu[b]) cpu[b] = c
  sum[b] += w; n[b]++; walls[b] = walls[b] " " w
  rss = t[4] / 1024
  if (!(b in low) || rss < low[b]) low[b] = rss
  if (!(b in high) || rss > high[b]) high[b] = rss
  if (!(b in order)) { order[b] = ++k; names[k] = b }
} END {
  for (i = 1; i <= k; i++) {
    b = names[i]
    printf "%s\n  best wall %.2f s  mean %.2f s  best cpu %.2f s  walls%s\n", b, best[b], sum[b] / n[b], cpu[b], walls[b]
    printf "  peak RSS %.0f to %.0f MB\n", low[b], high[b]
  }
}' "$times"
