#!/usr/bin/env bash
# CPU time of one cotag run, thread by thread, from perf's samples.
#
# usage: benches/threads.sh CORPUS [BINARY] [cotag run options...]
#   e.g. benches/threads.sh target/bench-corpus/500MB target/release/cotag -j 2
#
# Runs `cotag run CORPUS` once under `perf record` (a sample every ~1 ms of
# CPU time on each thread) and prints each thread's CPU seconds by its name
# (cotag-walk, cotag-read-N reading the text files, cotag-worker-N,
# cotag-writer writing the rows of documents.csv and mentions.csv,
# cotag-pool-N for the pair tables, cotag-rows/-edges/-gexf after tagging,
# cotag for the main thread: start-up and the tables), the sums by role, the
# wall time, and the wall time the machine's cores would allow if all that CPU
# time were spread over them evenly. With `-j` equal to the core count, the
# gap between the two is time a core stood idle; the bound itself is what
# more workers cannot beat. Last, when tagging ended (the last sample of a
# worker) and how long the tables took after it (to the last sample).
# Before the run, untimed: the corpus is read into
# the page cache and `sync` run; the tables go to a fresh temporary folder,
# removed after. Needs `perf` (Debian: linux-perf).
set -euo pipefail

die() { echo "threads.sh: $*" >&2; exit 2; }
[[ $# -ge 1 ]] || die "usage: benches/threads.sh CORPUS [BINARY] [cotag run options...]"
corpus=$1
shift
bin=target/release/cotag
if [[ $# -gt 0 && $1 != -* ]]; then
  bin=$1
  shift
fi
[[ -e $corpus ]] || die "no corpus at $corpus"
[[ -x $bin ]] || die "not an executable: $bin (build with cargo build --release)"
command -v perf >/dev/null || die "perf is not installed"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
hz=999
find "$corpus" -type f -print0 | xargs -0 cat >/dev/null
sync
# The wall time of cotag alone (perf's start and its writing of the samples aside).
perf record -q -F $hz -o "$work/perf.data" -- /usr/bin/time -f %e -o "$work/wall.txt" \
  "$bin" run "$corpus" -o "$work/out" -q "$@" 2>"$work/perf.log" ||
  die "the run failed: $(cat "$work/perf.log")"
perf report -i "$work/perf.data" --sort comm -n --stdio 2>/dev/null | grep '%' >"$work/threads.txt" ||
  die "perf report gave nothing"
awk -v hz=$hz -v wall="$(cat "$work/wall.txt")" -v cores="$(nproc)" '
$3 != "time" { n = $2; name = $3; cpu[name] += n / hz; total += n / hz
  role = name; sub(/-[0-9]+$/, "", role); by_role[role] += n / hz }
END {
  printf "%-16s %8s\n", "thread", "CPU s"
  for (t in cpu) printf "%-16s %8.2f\n", t, cpu[t] | "sort -k2 -rn"
  close("sort -k2 -rn")
  printf "\n%-16s %8s\n", "role", "CPU s"
  for (r in by_role) printf "%-16s %8.2f\n", r, by_role[r] | "sort -k2 -rn"
  close("sort -k2 -rn")
  printf "\nwall %.2f s, CPU %.2f s in all; spread over %d cores: %.2f s\n", wall, total, cores, total / cores
}' "$work/threads.txt"
# When tagging ended and how long the tables took after it, from the times
# of the samples: the last of a tagging worker, and the last of all.
perf script -i "$work/perf.data" -F comm,time 2>/dev/null | awk '
{ t = $2 + 0; if (start == "") start = t; last = t; if ($1 ~ /^cotag-worker/) tagged = t }
END { if (tagged != "") printf "tagging ended %.2f s after the first sample; the tables took %.2f s after it\n", tagged - start, last - tagged }'

