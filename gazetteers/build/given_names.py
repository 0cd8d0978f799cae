#!/usr/bin/env python3
"""Build src/data/given_names.txt, the given-name list of `cotag run --discover`.

Usage (from the repository root):
    python3 gazetteers/build/given_names.py [DATA_DIR]

DATA_DIR defaults to ../shared/data. Sources:

* the Kantrowitz names corpus (DATA_DIR/C_nltk_names_kantrowitz, female.txt and
  male.txt: mostly English given names);
* the first word of every person name in gazetteers/people.tsv that at least
  MIN_PEOPLE listed people share (Jose, Mohamed, Jean, Vladimir, ...), which
  brings the given names of world news that the Kantrowitz list lacks.

A name is left out when it cannot work as a cue for "given name + capitalized
surname" without tagging ordinary text:

* it is a title or honorific (src/data/titles.txt: "King", "General");
* it is a country name, alias or demonym (gazetteers/countries.tsv: "Jordan",
  "Israel", "Chad") or in EXCLUDE below (places and words that are names only
  rarely);
* it is an everyday word: src/data/english_lowercase.tsv counts it written in
  lower case at least MIN_LOWER times and less often capitalized mid-sentence
  than lower case ("Will", "Hope", "Grant");
* it is shorter than two letters or not a plain capitalized word.

Everyday words that are also common given names in news (EVERYDAY_GIVEN:
"Mark", "Bill", "Will", "Drew") are written apart, to
src/data/everyday_given_names.txt: discovery takes them as a given name only
mid-sentence and before a surname that is no everyday word ("Mark Rathbun",
never "Will Congress" or a sentence-initial "Mark").

The outputs are sorted (byte order) and deterministic. Standard library only.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True

MIN_PEOPLE = 2
MIN_LOWER = 5

# Given names in the sources that are more often something else in news text.
EXCLUDE = {
    "Al", "Abd", "Abu", "Bin", "Ibn", "El", "Le", "La", "De", "Van", "Von", "Del", "Da", "Di", "Du",
    "San", "Santa", "St", "Saint", "Fort", "New", "Old", "Los", "Las",
    "Paris", "London", "Sydney", "Austin", "Dallas", "Houston", "Florence", "Victoria", "Lincoln",
    "Washington", "Jackson", "Madison", "Chelsea", "Brooklyn", "Savannah", "Charlotte", "Orlando",
    "Phoenix", "Denver", "Aurora", "Georgia", "Virginia", "Carolina", "Dakota", "Nevada", "Indiana",
    "Montana", "Florida", "Maryland", "Kansas", "Alexandria", "Adelaide", "Regina", "Kent", "Devon",
    "Cleveland", "Beverly", "Hollywood", "Troy", "Salem", "Sharon", "Jordan", "Israel", "Christian",
    "Islam", "Muslim", "Catholic", "Kurd", "Arab", "Gaza", "Sinai", "Tyre", "Mecca", "Medina",
    "Art", "Sun", "Park", "Asia", "Africa", "America", "Europe", "Addis", "Red", "Les", "Fan", "Hill", "Mian",
    "Kitty", "Bay", "Lake", "Forest", "Glen", "Dale", "Brook", "River", "Sky", "Star", "Angel",
    "Chance", "Fate", "Grace", "Hope", "Joy", "Faith", "Justice", "Liberty", "Unity", "Trinity",
    "Easter", "Christmas", "April", "May", "June", "July", "August", "Summer", "Winter", "Autumn",
    "Monday", "Friday", "Sunday", "Major", "Bishop", "Marshal", "Page", "Case", "Chase", "Price",
}

# Everyday words (refused above) that are given names often enough in news to be
# worth a narrower rule (src/data/everyday_given_names.txt). Only names that a
# source lists are written; words that are mostly verbs or function words
# ("Say", "See", "Way") are not here.
EVERYDAY_GIVEN = {"Mark", "Bill", "Will", "Drew", "Grant", "Rose", "Dawn", "Cliff", "Mercy"}


def lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "data")
    titles = {t.rstrip(".") for t in lines(os.path.join(REPO, "src", "data", "titles.txt"))}
    countries = set()
    for line in lines(os.path.join(REPO, "gazetteers", "countries.tsv")):
        f = line.split("\t")
        if f[0] != "id" and len(f) > 3:
            countries.update((f[2], f[3]))
    freq = {}
    for line in lines(os.path.join(REPO, "src", "data", "english_lowercase.tsv")):
        f = line.split("\t")
        if f[0] != "word":
            freq[f[0]] = (int(f[1]), int(f[2]))

    names = set()
    for fname in ("female.txt", "male.txt"):
        names.update(lines(os.path.join(data, "C_nltk_names_kantrowitz", fname)))
    first = {}
    for line in lines(os.path.join(REPO, "gazetteers", "people.tsv")):
        f = line.split("\t")
        if len(f) > 4 and f[4] == "name" and f[1] == "person":
            words = f[2].split()
            if len(words) >= 2:
                first[words[0]] = first.get(words[0], 0) + 1
    names.update(w for w, n in first.items() if n >= MIN_PEOPLE)

    def keep(name):
        if len(name) < 2 or not name[0].isupper() or not name[1:].replace("-", "").replace("'", "").islower():
            return False
        if not all(c.isalpha() or c in "-'" for c in name):
            return False
        if name in titles or name in countries or name in EXCLUDE:
            return False
        lower, cap = freq.get(name.lower(), (0, 0))
        return not (lower >= MIN_LOWER and cap < lower)

    out = sorted((n for n in names if keep(n)), key=lambda s: s.encode("utf-8"))
    path = os.path.join(REPO, "src", "data", "given_names.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Given names for `cotag run --discover`: built by gazetteers/build/given_names.py, do not edit.\n")
        f.write("# Sources: Names Corpus v1.3 (Mark Kantrowitz 1991, additions by Bill Ross; see\n")
        f.write("# ../shared/data/C_nltk_names_kantrowitz/README.txt) and first words of gazetteers/people.tsv.\n")
        for n in out:
            f.write(n + "\n")
    print("given_names.txt: %d names" % len(out))

    # Everyday given names: listed by a source, refused above as everyday words only.
    everyday = sorted(
        (n for n in names if n in EVERYDAY_GIVEN and n not in out and n not in titles and n not in countries and n not in EXCLUDE),
        key=lambda s: s.encode("utf-8"),
    )
    path = os.path.join(REPO, "src", "data", "everyday_given_names.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Given names that are also everyday words, for `cotag run --discover`: built by\n")
        f.write("# gazetteers/build/given_names.py (EVERYDAY_GIVEN), do not edit. A given name only\n")
        f.write("# mid-sentence and before a surname that is no everyday word (\"Mark Rathbun\").\n")
        for n in everyday:
            f.write(n + "\n")
    print("everyday_given_names.txt: %d names" % len(everyday))


if __name__ == "__main__":
    main()
