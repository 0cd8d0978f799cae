"""src/data/english_lowercase.tsv: how often each GMB word form is written lowercase/capitalized."""

import collections
import csv
import io
import os

MIN_LOWER = 3


def sentences(data):
    """GMB ner_dataset.csv sentences as lists of (word, tag). The file is cp1252
    (curly quotes 0x91-0x94, dashes 0x96/0x97, e-acute 0xE9), not UTF-8."""
    path = os.path.join(data, "D_gmb_kaggle_ner_dataset/ner_dataset.csv")
    raw = open(path, "rb").read().decode("cp1252")
    reader = csv.reader(io.StringIO(raw, newline=""))
    next(reader)
    cur = []
    for row in reader:
        if len(row) < 4:
            continue
        s, w = row[0], row[1]
        if s.startswith("Sentence:") and cur:
            yield cur
            cur = []
        cur.append((w, row[3]))
    if cur:
        yield cur


def count(data):
    lower = collections.Counter()
    cap = collections.Counter()
    for sent in sentences(data):
        for i, (w, _tag) in enumerate(sent):
            if not any(c.isalpha() for c in w):
                continue
            lw = w.lower()
            if w == lw:
                lower[lw] += 1
            elif i > 0 and w[0].isupper():
                # capitalized (or all capitals), not at sentence start
                cap[lw] += 1
    return lower, cap


def write(data, out_path):
    lower, cap = count(data)
    words = sorted((w for w, n in lower.items() if n >= MIN_LOWER), key=lambda w: w.encode("utf-8"))
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("word\tlower\tcapitalized\n")
        for w in words:
            f.write("%s\t%d\t%d\n" % (w, lower[w], cap[w]))
    return {w: (lower[w], cap[w]) for w in words}
