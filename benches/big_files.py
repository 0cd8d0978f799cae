#!/usr/bin/env python3
"""Writes a corpus of large text files (books, reports, dumps in one file
each) from a generated corpus (benches/gen_corpus.py): its articles, in
sorted order, joined by blank lines into files of at least --mb megabytes,
going round the corpus again if it runs out. For measuring memory on
large files.

    python3 benches/big_files.py target/bench-corpus/500MB target/bench-corpus/books --files 209 --mb 5

Deterministic: the same corpus and options give the same files.
"""
import argparse
import os
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="a folder made by benches/gen_corpus.py")
    ap.add_argument("out", help="the folder to write (made if missing; must hold no .txt file)")
    ap.add_argument("--files", type=int, default=209, help="how many files (default 209)")
    ap.add_argument("--mb", type=float, default=5, help="least size of a file, in MB of 10^6 bytes (default 5)")
    args = ap.parse_args()
    if args.files < 1 or args.mb <= 0:
        print("big_files.py: --files and --mb must be positive", file=sys.stderr)
        return 2
    articles = sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(args.corpus)
        for name in names
        if name.endswith(".txt")
    )
    if not articles:
        print(f"big_files.py: no .txt articles under {args.corpus}", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    if any(n.endswith(".txt") for n in os.listdir(args.out)):
        print(f"big_files.py: {args.out} already holds .txt files", file=sys.stderr)
        return 2
    least = int(args.mb * 1_000_000)
    i = 0
    for n in range(args.files):
        parts, size = [], 0
        while size < least:
            with open(articles[i % len(articles)], encoding="utf-8") as f:
                text = f.read()
            i += 1
            parts.append(text)
            size += len(text.encode("utf-8")) + 2
        with open(os.path.join(args.out, f"book{n:04d}.txt"), "w", encoding="utf-8") as f:
            f.write("\n\n".join(parts))
    print(f"big_files.py: {args.files} files of {args.mb:g} MB or more under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
