#!/usr/bin/env python3
"""Write the alias list that every peer of `benches/compare.sh` searches for.

Usage: aliases.py GAZETTEER_DIR... -o aliases.txt

Reads every `.tsv` of cotag's gazetteer format (SPEC §3) in the given folders
(as written by `cotag gazetteer export -o DIR`, plus any synthetic gazetteer)
and writes one search string a line, sorted, without duplicates. Each alias is
expanded by its case rule so that peers without per-pattern case rules
(grep -F, pyahocorasick, flashtext, spaCy's ORTH PhraseMatcher) look for the
same surface forms that cotag accepts:

    exact  -> the alias as written
    smart  -> as written, and in all capitals (headlines)
    any    -> as written, all capitals, all lower case, first letter capital

An empty `case` cell takes SPEC §3's default: `exact` for acronyms and
all-capital aliases, `smart` otherwise. Prints the counts on stderr.
"""

import argparse
import glob
import os
import sys


def default_case(alias: str, kind: str) -> str:
    has_letter = any(c.isalpha() for c in alias)
    all_caps = has_letter and not any(c.islower() for c in alias)
    return "exact" if kind == "acronym" or all_caps else "smart"


def variants(alias: str, case: str) -> list:
    out = [alias]
    if case in ("smart", "any"):
        out.append(alias.upper())
    if case == "any":
        out += [alias.lower(), alias[:1].upper() + alias[1:].lower()]
    return out


def read_rows(path: str):
    with open(path, encoding="utf-8") as f:
        header = None
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = {name: i for i, name in enumerate(cells)}
                if "alias" not in header:
                    sys.exit(f"aliases.py: {path}: no alias column")
                continue
            get = lambda name: cells[header[name]] if name in header and header[name] < len(cells) else ""
            yield get("alias"), get("kind") or "alias", get("case")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="+")
    ap.add_argument("-o", "--out", required=True)
    args = ap.parse_args()
    rows = 0
    forms = set()
    for folder in args.folders:
        files = sorted(glob.glob(os.path.join(folder, "*.tsv")))
        if not files:
            sys.exit(f"aliases.py: no .tsv in {folder}")
        for path in files:
            for alias, kind, case in read_rows(path):
                if not alias.strip():
                    continue
                rows += 1
                forms.update(v for v in variants(alias, case or default_case(alias, kind)) if v.strip())
    with open(args.out, "w", encoding="utf-8") as f:
        for form in sorted(forms):
            f.write(form + "\n")
    print(f"aliases.py: {rows} alias rows -> {len(forms)} search strings in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
