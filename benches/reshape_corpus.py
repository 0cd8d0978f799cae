#!/usr/bin/env python3
"""Writes the articles of a generated corpus (benches/gen_corpus.py) in
another shape, for measuring how cotag reads it:

  jsonl  one gzipped JSONL file per month folder, one line per article with
         its `id` (the article's path), `date` and `text`, as news archives
         are often delivered. cotag gives the same tables for both shapes
         but for the `source` column of documents.csv (the .jsonl.gz file).
  dump   one JSONL file of every article (`corpus.jsonl`, or with --gzip
         `corpus.jsonl.gz`), lines as for jsonl: a whole archive in one
         file, which one thread reads (see the README's "How long will it
         take?").
  books  --files large text files of at least --mb MB each: the articles,
         in sorted order, joined by blank lines, going round the corpus
         again if it runs out (books, reports, dumps in one file each).

    python3 benches/reshape_corpus.py jsonl target/bench-corpus/100MB target/bench-corpus/100MB-jsonl
    python3 benches/reshape_corpus.py dump target/bench-corpus/500MB target/bench-corpus/500MB-dump-gz --gzip
    python3 benches/reshape_corpus.py books target/bench-corpus/500MB target/bench-corpus/books --files 209 --mb 5

Deterministic: files in sorted order, gzip without a timestamp.
"""
import argparse
import gzip
import json
import os
import sys


def articles_of(corpus: str) -> list[str]:
    """The corpus's articles as sorted paths relative to it, `/`-separated."""
    return sorted(
        os.path.relpath(os.path.join(folder, name), corpus).replace(os.sep, "/")
        for folder, _, names in os.walk(corpus)
        for name in names
        if name.endswith(".txt")
    )


def read(corpus: str, rel: str) -> str:
    with open(os.path.join(corpus, rel), encoding="utf-8") as f:
        return f.read()


def jsonl_line(corpus: str, rel: str) -> bytes:
    """The JSONL line of one article: its `id` (path), `date` and `text`."""
    date = "-".join(rel.split("/")[:3])
    line = json.dumps({"id": rel, "date": date, "text": read(corpus, rel)}, ensure_ascii=False)
    return (line + "\n").encode("utf-8")


def write_jsonl(corpus: str, articles: list[str], out: str, _args: argparse.Namespace) -> str:
    months: dict[str, list[str]] = {}
    for rel in articles:
        months.setdefault("-".join(rel.split("/")[:2]), []).append(rel)
    for month, rels in months.items():
        with open(os.path.join(out, f"{month}.jsonl.gz"), "wb") as raw, gzip.GzipFile(
            fileobj=raw, mode="wb", mtime=0
        ) as gz:
            for rel in rels:
                gz.write(jsonl_line(corpus, rel))
    return f"{len(articles)} articles in {len(months)} .jsonl.gz files"


def write_dump(corpus: str, articles: list[str], out: str, args: argparse.Namespace) -> str:
    name = "corpus.jsonl.gz" if args.gzip else "corpus.jsonl"
    with open(os.path.join(out, name), "wb") as raw:
        sink = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if args.gzip else raw
        with sink:
            for rel in articles:
                sink.write(jsonl_line(corpus, rel))
    return f"{len(articles)} articles in {name}"


def write_books(corpus: str, articles: list[str], out: str, args: argparse.Namespace) -> str:
    least = int(args.mb * 1_000_000)
    i = 0
    for n in range(args.files):
        parts, size = [], 0
        while size < least:
            text = read(corpus, articles[i % len(articles)])
            i += 1
            parts.append(text)
            size += len(text.encode("utf-8")) + 2
        with open(os.path.join(out, f"book{n:04d}.txt"), "w", encoding="utf-8") as f:
            f.write("\n\n".join(parts))
    return f"{args.files} files of {args.mb:g} MB or more"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("shape", choices=["jsonl", "dump", "books"])
    ap.add_argument("corpus", help="a folder made by benches/gen_corpus.py (YYYY/MM/DD/article_N.txt)")
    ap.add_argument("out", help="the folder to write (made if missing; must be empty)")
    ap.add_argument("--files", type=int, default=209, help="books: how many files (default 209)")
    ap.add_argument("--gzip", action="store_true", help="dump: write corpus.jsonl.gz (gzip level 9)")
    ap.add_argument("--mb", type=float, default=5, help="books: least size of a file, MB of 10^6 bytes (default 5)")
    args = ap.parse_args()
    if args.files < 1 or args.mb <= 0:
        print("reshape_corpus.py: --files and --mb must be positive", file=sys.stderr)
        return 2
    articles = articles_of(args.corpus) if os.path.isdir(args.corpus) else []
    if not articles:
        print(f"reshape_corpus.py: no .txt articles under {args.corpus}", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    if os.listdir(args.out):
        print(f"reshape_corpus.py: {args.out} is not empty", file=sys.stderr)
        return 2
    write = {"jsonl": write_jsonl, "dump": write_dump, "books": write_books}[args.shape]
    summary = write(args.corpus, articles, args.out, args)
    print(f"reshape_corpus.py: {summary} under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
