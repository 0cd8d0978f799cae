#!/usr/bin/env python3
"""Generate a benchmark corpus of realistic English news articles (issue 5).

Usage:
    python3 benches/gen_corpus.py [--size 500MB] [--seed 1] [--out DIR] [--source CSV]

Articles are assembled from the real sentences of the GMB / Kaggle NER dataset
(`../shared/data/D_gmb_kaggle_ner_dataset/ner_dataset.csv`, mostly Voice of
America newswire): each article takes a run of consecutive sentences (so the
people, places and organizations in it belong together, as in the original
stories), a headline cut from its lead sentence (sentence case, Title Case or
ALL CAPS), and paragraphs of one to four sentences separated by blank lines.
Some articles use curly quotes and em dashes, some are hard-wrapped at 72
columns, as wire copy is. Article sizes are lognormal (median 2.4 KB, mean
about 3.0 KB).

The corpus is written as `YYYY/MM/DD/article_NNNNNNN.txt` (UTF-8, one
document a file), dated from 2016-01-01 over six years in article order, so
that `cotag run --by year|month|day` has work. Sizes use decimal units
(1 MB = 1,000,000 bytes); generation stops once the corpus holds `--size`
bytes of text.

Deterministic: the same `--size`, `--seed` and source file give byte-identical
output on any machine (only `random.Random.random()` is used, whose sequence
CPython guarantees for a given seed). The default output folder is
`target/bench-corpus/<size>` (under `$CARGO_TARGET_DIR` when set). A stamp
file, `.bench-corpus.json` (hidden: cotag skips hidden entries; other tools
are pointed at `*.txt` only), records the parameters; when it matches, the
folder is reused as is. A folder without a matching stamp is regenerated if
it is one of ours (it has a stamp) or empty, and refused otherwise. The corpus
is written under a temporary name and renamed when complete.

Needs only Python 3.9+ and its standard library. Fails loudly on any error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import shutil
import sys
import time

GENERATOR_VERSION = 1
STAMP = ".bench-corpus.json"
START_DATE = dt.date(2016, 1, 1)
YEARS = 6
MEDIAN_BYTES = 2400.0
SIGMA = 0.6
MIN_BYTES, MAX_BYTES = 400, 40000

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SOURCE = os.path.join(REPO, "..", "shared", "data", "D_gmb_kaggle_ner_dataset", "ner_dataset.csv")

UNITS = {"": 1, "B": 1, "K": 10**3, "KB": 10**3, "M": 10**6, "MB": 10**6, "G": 10**9, "GB": 10**9}


def parse_size(text: str) -> int:
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    if not m or m.group(2).upper() not in UNITS:
        raise argparse.ArgumentTypeError(f"bad size '{text}' (expected e.g. 500MB, 2GB, 100M)")
    n = int(float(m.group(1)) * UNITS[m.group(2).upper()])
    if n < 1000:
        raise argparse.ArgumentTypeError(f"size '{text}' is too small (at least 1KB)")
    return n


def size_label(n: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n % factor == 0:
            return f"{n // factor}{unit}"
    return f"{n}B"


# --- sentences -----------------------------------------------------------------

NO_SPACE_BEFORE = {".", ",", ";", ":", "?", "!", ")", "]", "%", "...", "..", "…", "'s", "’s", "'ll", "'m", "'re",
                   "'ve", "'d", "n't", "'"}
NO_SPACE_AFTER = {"(", "[", "$", "#", "`", "‘", "“"}


def detokenize(tokens: list[str], curly: bool) -> str:
    """Rebuilds a sentence from its tokens with the spacing of edited text."""
    out: list[str] = []
    quote_open = False
    glue = True  # no space before the next token
    for tok in tokens:
        if tok == '"':
            if quote_open:
                out.append("”" if curly else '"')
                quote_open, glue = False, False
            else:
                if not glue:
                    out.append(" ")
                out.append("“" if curly else '"')
                quote_open, glue = True, True
            continue
        if curly:
            if tok in ("'s", "'ll", "'m", "'re", "'ve", "'d", "n't", "'"):
                tok = tok.replace("'", "’")
            elif tok == "--" or tok == "-":
                tok = "—"
        if tok in ("—", "--", "-", "–"):
            out.append(" " + tok)
            glue = False
            continue
        if tok == "/":
            out.append(tok)
            glue = True
            continue
        attach = glue or tok in NO_SPACE_BEFORE or tok.replace("’", "'") in NO_SPACE_BEFORE
        if not attach:
            out.append(" ")
        out.append(tok)
        glue = tok in NO_SPACE_AFTER
    if quote_open:  # an unbalanced quote: close it
        out.append("”" if curly else '"')
    text = "".join(out).strip()
    return re.sub(r"  +", " ", text)


def load_sentences(path: str) -> list[list[str]]:
    """Token lists of every sentence, in file order.

    The file is cp1252 (Windows Latin-1): curly quotes and dashes are bytes
    0x91-0x97, accented letters Latin-1; it is decoded as such, with any
    undefined byte replaced rather than guessed.
    """
    sentences: list[list[str]] = []
    with open(path, encoding="cp1252", errors="replace", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header[:2] != ["Sentence #", "Word"]:
            sys.exit(f"gen_corpus: {path}: unexpected header {header!r}")
        current: list[str] | None = None
        for row in reader:
            if len(row) < 2:
                continue
            if row[0]:
                current = []
                sentences.append(current)
            if current is not None and row[1]:
                current.append(row[1])
    sentences = [s for s in sentences if len(s) >= 3]
    if len(sentences) < 1000:
        sys.exit(f"gen_corpus: {path}: only {len(sentences)} sentences read")
    return sentences


# --- articles ------------------------------------------------------------------

SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with",
               "from", "into", "over", "than"}
TRAILING = SMALL_WORDS | {"has", "have", "is", "are", "was", "were", "will", "would", "its", "their", "his", "her",
                          "that", "said", "says", "says,", "who", "which"}


def headline(tokens: list[str], style: float) -> str:
    words = [t for t in tokens if t[:1].isalnum()]
    words = words[:4 + int(style * 1000) % 7]  # 4 to 10 words
    while len(words) > 3 and words[-1].lower() in TRAILING:
        words.pop()
    if style < 0.45:
        return " ".join(words)
    if style < 0.9:
        return " ".join(w if (i > 0 and w in SMALL_WORDS) or not w[:1].islower() else w[:1].upper() + w[1:]
                        for i, w in enumerate(words))
    return " ".join(words).upper()


def wrap(paragraph: str, width: int = 72) -> str:
    lines, line = [], ""
    for word in paragraph.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


class Generator:
    def __init__(self, tokens: list[list[str]], seed: int):
        self.tokens = tokens
        self.straight = [detokenize(s, curly=False) for s in tokens]
        self.curly = [detokenize(s, curly=True) for s in tokens]
        self.rng = random.Random(seed)

    def normal(self) -> float:
        # Box-Muller from random() alone, for a sequence fixed by the seed.
        u1 = 1.0 - self.rng.random()
        u2 = self.rng.random()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def article(self) -> str:
        r = self.rng.random
        target = min(MAX_BYTES, max(MIN_BYTES, int(MEDIAN_BYTES * math.exp(SIGMA * self.normal()))))
        curly = r() < 0.3
        wrapped = r() < 0.2
        sentences = self.curly if curly else self.straight
        n = len(sentences)
        i = int(r() * n)
        title = headline(self.tokens[i], r())
        paragraphs: list[str] = []
        size = len(title)
        while size < target:
            k = (1, 1, 2, 2, 2, 3, 3, 4)[int(r() * 8)]
            para = " ".join(sentences[(i + j) % n] for j in range(k))
            i += k
            paragraphs.append(wrap(para) if wrapped else para)
            size += len(para) + 2
        return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=parse_size, default=parse_size("500MB"), help="corpus size, e.g. 100MB, 2GB")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="output folder (default: target/bench-corpus/<size>)")
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="the GMB/Kaggle ner_dataset.csv")
    ap.add_argument("-q", "--quiet", action="store_true")
    ap.add_argument("--print-path", action="store_true", help="print the corpus folder on stdout when done")
    args = ap.parse_args()

    target_dir = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    out = args.out or os.path.join(target_dir, "bench-corpus", size_label(args.size))
    if not os.path.isfile(args.source):
        sys.exit(f"gen_corpus: source not found: {args.source}")
    params = {
        "generator_version": GENERATOR_VERSION,
        "size": args.size,
        "seed": args.seed,
        "source_sha256": sha256_file(args.source),
    }
    stamp_path = os.path.join(out, STAMP)
    if os.path.isdir(out):
        stamp = None
        if os.path.isfile(stamp_path):
            with open(stamp_path, encoding="utf-8") as f:
                stamp = json.load(f)
            if all(stamp.get(k) == v for k, v in params.items()):
                if not args.quiet:
                    print(f"gen_corpus: reusing {out} ({stamp['documents']} documents, {stamp['bytes']} bytes)",
                          file=sys.stderr)
                if args.print_path:
                    print(os.path.abspath(out))
                return
        if stamp is None and os.listdir(out):
            sys.exit(f"gen_corpus: {out} exists and is not a generated corpus (no {STAMP}); not touching it")
        shutil.rmtree(out)

    t0 = time.monotonic()
    gen = Generator(load_sentences(args.source), args.seed)
    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    tmp = os.path.join(parent, f".{os.path.basename(out)}.partial-{os.getpid()}")
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)

    days = (START_DATE.replace(year=START_DATE.year + YEARS) - START_DATE).days
    expected_docs = max(1, int(args.size / (MEDIAN_BYTES * math.exp(SIGMA * SIGMA / 2))))
    made_dirs: set[str] = set()
    total = docs = 0
    try:
        while total < args.size:
            day = START_DATE + dt.timedelta(days=min(days - 1, docs * days // expected_docs))
            folder = os.path.join(tmp, f"{day.year:04d}", f"{day.month:02d}", f"{day.day:02d}")
            if folder not in made_dirs:
                os.makedirs(folder, exist_ok=True)
                made_dirs.add(folder)
            data = gen.article().encode("utf-8")
            with open(os.path.join(folder, f"article_{docs:07d}.txt"), "wb") as f:
                f.write(data)
            total += len(data)
            docs += 1
            if not args.quiet and docs % 20000 == 0:
                print(f"gen_corpus: {docs} documents, {total / 1e6:.0f} MB", file=sys.stderr)
        stamp = dict(params, documents=docs, bytes=total, first_date=str(START_DATE), days=days)
        with open(os.path.join(tmp, STAMP), "w", encoding="utf-8") as f:
            json.dump(stamp, f, indent=1)
            f.write("\n")
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if args.print_path:
        print(os.path.abspath(out))
    if not args.quiet:
        print(f"gen_corpus: wrote {out}: {docs} documents, {total} bytes in {time.monotonic() - t0:.1f} s",
              file=sys.stderr)


if __name__ == "__main__":
    main()
