#!/usr/bin/env python3
"""Write a synthetic people gazetteer that brings the alias count to N (issue 5).

Usage: big_gazetteer.py EXPORTED_DIR -o synthetic_people.tsv [--total 100000]
                        [--names DIR] [--seed 1]

EXPORTED_DIR holds the built-in gazetteers (`cotag gazetteer export -o DIR`).
The synthetic people are plausible "Given Surname" names: given names from the
NLTK names corpus (Kantrowitz; `../shared/data/C_nltk_names_kantrowitz/`,
male.txt and female.txt) crossed with surnames taken from the built-in people
gazetteer (the last word of each person's canonical name), drawn in a seeded
order, skipping names the built-in set already has. One cotag TSV row per
person (`person:synthetic-N`, type person, kind name), so that built-in rows +
synthetic rows = N aliases. Deterministic for a given seed and inputs.
"""

import argparse
import glob
import os
import random
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_NAMES = os.path.join(REPO, "..", "shared", "data", "C_nltk_names_kantrowitz")


def rows(path):
    header = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = {c: i for i, c in enumerate(cells)}
                continue
            yield {c: (cells[i] if i < len(cells) else "") for c, i in header.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("exported")
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--total", type=int, default=100_000)
    ap.add_argument("--names", default=DEFAULT_NAMES)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    existing = set()
    surnames = set()
    count = 0
    for path in sorted(glob.glob(os.path.join(args.exported, "*.tsv"))):
        for row in rows(path):
            if not row.get("alias", "").strip():
                continue
            count += 1
            existing.add(row["alias"])
            if row.get("type") == "person":
                last = row.get("name", "").split(" ")[-1]
                if len(last) >= 3 and last.isalpha() and last[0].isupper() and last[1:].islower():
                    surnames.add(last)
    given = set()
    for name in ("male.txt", "female.txt"):
        with open(os.path.join(args.names, name), encoding="utf-8") as f:
            given.update(line.strip() for line in f if line.strip() and not line.startswith("#"))
    given_list, surname_list = sorted(given), sorted(surnames)
    need = args.total - count
    if need <= 0:
        sys.exit(f"big_gazetteer.py: the built-in set already has {count} aliases (>= {args.total})")
    if len(given_list) * len(surname_list) < 2 * need:
        sys.exit(f"big_gazetteer.py: too few names ({len(given_list)} x {len(surname_list)}) for {need} people")
    rng = random.Random(args.seed)
    made = set()
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# Synthetic people for the 100k-alias benchmark (benches/peers/big_gazetteer.py); not real people.\n")
        f.write("id\ttype\tname\talias\tkind\n")
        n = 0
        while n < need:
            g = given_list[int(rng.random() * len(given_list))]
            s = surname_list[int(rng.random() * len(surname_list))]
            name = f"{g} {s}"
            if name in made or name in existing:
                continue
            made.add(name)
            n += 1
            f.write(f"person:synthetic-{n}\tperson\t{name}\t{name}\tname\n")
    print(f"big_gazetteer.py: {count} built-in aliases + {need} synthetic people = {args.total} in {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
