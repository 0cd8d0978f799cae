#!/usr/bin/env bash
# Time of `cotag run --discover` on one list-like document as it grows:
# tagging and discovery should take time linear in the document's size, even
# when the document names tens of thousands of people and organizations (a
# directory, a book, a dump pasted into one JSON line).
#
# usage: benches/list_document.sh [BINARY ...]
#   e.g. benches/list_document.sh target/release/cotag /tmp/cotag-old
#
# Writes, with a fixed seed, documents of 0.25, 0.5, 1 and 2 MB made of
# sentences naming invented people ("Yesterday Maria Bokelu met John
# Tarino ..."; given names from src/data/given_names.txt) and companies with
# their acronyms ("Bakol Deru Mitas Corp. ... BDM"), then runs each binary on
# each with `--discover --window sentence` (a document window would add a
# pair for every two of its thousands of entities: see the README, "Long
# documents") and prints the wall time, MB/s and the entities found. The
# seconds per MB should stay flat as the size doubles.
set -euo pipefail

die() { echo "list_document.sh: $*" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
bins=("$@")
[[ ${#bins[@]} -gt 0 ]] || bins=("$here/target/release/cotag")
for b in "${bins[@]}"; do [[ -x $b ]] || die "not an executable: $b (cargo build --release first)"; done
command -v python3 >/dev/null || die "python3 is needed to write the documents"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$here/src/data/given_names.txt" "$work" <<'EOF'
import os, random, sys
given_file, work = sys.argv[1], sys.argv[2]
given = [l.strip() for l in open(given_file, encoding="utf-8") if l.strip() and not l.startswith("#")]
rng = random.Random(1)
def word():
    return rng.choice("BCDFGHKLMNPRSTVW") + "".join(rng.choice("aeiou") + rng.choice("bcdfglmnprst") for _ in range(2))
text, size = [], 0
for mb in (0.25, 0.5, 1, 2):
    while size < mb * 1e6:
        a, b, c = word(), word(), word()
        s = (f"Yesterday {rng.choice(given)} {word()} met {rng.choice(given)} {word()} in the city. "
             f"Analysts at {a} {b} {c} Corp. said profits rose, and {a[0]}{b[0]}{c[0]} agreed. ")
        text.append(s)
        size += len(s)
    folder = os.path.join(work, f"{mb}MB")
    os.makedirs(folder)
    with open(os.path.join(folder, "list.txt"), "w", encoding="utf-8") as f:
        f.write("".join(text))
EOF

printf '%-8s %-40s %8s %8s %9s\n' size binary "wall s" "MB/s" entities
for mb in 0.25 0.5 1 2; do
  for b in "${bins[@]}"; do
    out=$work/out
    rm -rf "$out"
    start=$(date +%s.%N)
    "$b" run "$work/${mb}MB" -o "$out" -q --discover --window sentence
    end=$(date +%s.%N)
    entities=$(($(wc -l < "$out/entities.csv") - 1))
    python3 -c "import sys; w=float(sys.argv[2])-float(sys.argv[1]); print(f'{sys.argv[3]+\"MB\":<8} {sys.argv[4][-40:]:<40} {w:8.2f} {float(sys.argv[3])/w:8.2f} {int(sys.argv[5]):9,}')" \
      "$start" "$end" "$mb" "$b" "$entities"
  done
done
