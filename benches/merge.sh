#!/usr/bin/env bash
# What `cotag merge` costs against running the whole corpus at once.
#
# usage: benches/merge.sh ROUNDS CORPUS SHARDS BINARY [OTHER_BINARY] [-- cotag run options...]
#   e.g. benches/merge.sh 3 target/bench-corpus/500MB 2 target/release/cotag -- -j 2 --by month
#
# Runs CORPUS as SHARDS parts (`--shard I/SHARDS`, untimed, with BINARY and
# the run options), then, round by round: the merge of the parts with
# BINARY (and with OTHER_BINARY, to compare two builds: the two take turns
# at merging first in a round) and one run over the whole corpus with
# BINARY and the same options. Prints the wall
# seconds and peak RSS of each, then the medians, and checks that every
# merged table (manifest.json aside) is byte-identical to the whole run's.
# Before each timed command the output folder is removed and `sync` run.
set -euo pipefail

die() { echo "merge.sh: $*" >&2; exit 2; }
[[ $# -ge 4 ]] || die "usage: benches/merge.sh ROUNDS CORPUS SHARDS BINARY [OTHER_BINARY] [-- cotag run options...]"
rounds=$1 corpus=$2 shards=$3 bin=$4
shift 4
other=
if [[ $# -gt 0 && $1 != -- ]]; then
  other=$1
  shift
fi
[[ $# -gt 0 && $1 == -- ]] && shift
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number, not '$rounds'"
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "SHARDS must be a positive number, not '$shards'"
[[ -e $corpus ]] || die "no corpus at $corpus"
for b in "$bin" ${other:+"$other"}; do
  [[ -x $b ]] || die "not an executable: $b (build with cargo build --release)"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "running $shards parts (untimed)..." >&2
parts=()
for ((i = 0; i < shards; i++)); do
  "$bin" run "$corpus" -o "$work/part$i" -q --shard "$i/$shards" "$@"
  parts+=("$work/part$i")
done
find "$corpus" -type f -print0 | xargs -0 cat >/dev/null

# Runs a command into $work/out, timed, setting $wall (s) and $rss (MB);
# stops the script, saying which, if the command fails.
timed() {
  rm -rf "$work/out"
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" ||
    die "failed: $* ($(tail -n 3 "$work/stderr.txt"))"
  read -r wall rss <"$work/time.txt"
  rss=$((rss / 1024))
}

results=$work/results.txt
for ((r = 1; r <= rounds; r++)); do
  # The first merge of a round follows the whole run's tables, written just
  # before, and tends to be the slower: the two binaries take turns at it.
  order=("$bin" ${other:+"$other"})
  if [[ -n $other && $((r % 2)) == 0 ]]; then
    order=("$other" "$bin")
  fi
  for b in "${order[@]}"; do
    timed "$b" merge "${parts[@]}" -o "$work/out" -q
    echo "round $r  merge $b  ${wall} s  ${rss} MB"
    echo "merge:$b $wall" >>"$results"
  done
  timed "$bin" run "$corpus" -o "$work/out" -q "$@"
  echo "round $r  whole run $bin  ${wall} s  ${rss} MB"
  echo "whole $wall" >>"$results"
  if [[ $r == 1 ]]; then
    mv "$work/out" "$work/whole"
  fi
done
# The tables of one merge by each binary against the whole run's (untimed).
for b in "$bin" ${other:+"$other"}; do
  rm -rf "$work/out"
  "$b" merge "${parts[@]}" -o "$work/out" -q || die "failed: $b merge"
  for table in "$work"/out/*; do
    name=$(basename "$table")
    [[ $name == manifest.json ]] && continue
    cmp -s "$table" "$work/whole/$name" || die "$b: merged $name differs from the whole run's"
  done
done
echo "every merged table is byte-identical to the whole run's"
for key in $(cut -d' ' -f1 "$results" | sort -u); do
  awk -v k="$key" '$1 == k { print $2 }' "$results" | sort -n |
    awk -v k="$key" '{ a[NR] = $1 } END { printf "median %-40s %.2f s\n", k, (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
done
