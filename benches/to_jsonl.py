#!/usr/bin/env python3
"""Writes a generated corpus (benches/gen_corpus.py) as JSONL: one gzipped
file per month folder, one line per article with its `id` (the article's
path), `date` and `text`, as news archives are often delivered.

    python3 benches/to_jsonl.py target/bench-corpus/100MB target/bench-corpus/100MB-jsonl

The same corpus read either way gives the same counts (the doc_ids differ:
a path, or the `id` field, which is that path). Deterministic: files in
sorted order, gzip without a timestamp.
"""
import argparse
import gzip
import json
import os
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", help="a folder made by benches/gen_corpus.py (YYYY/MM/DD/article_N.txt)")
    ap.add_argument("out", help="the folder to write (made if missing; must not hold .jsonl.gz files)")
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        print(f"to_jsonl.py: no corpus folder at {args.corpus}", file=sys.stderr)
        return 2
    months: dict[str, list[str]] = {}
    for folder, _, files in os.walk(args.corpus):
        for name in files:
            if name.endswith(".txt"):
                rel = os.path.relpath(os.path.join(folder, name), args.corpus).replace(os.sep, "/")
                months.setdefault("-".join(rel.split("/")[:2]), []).append(rel)
    if not months:
        print(f"to_jsonl.py: no .txt articles under {args.corpus}", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    if any(n.endswith(".jsonl.gz") for n in os.listdir(args.out)):
        print(f"to_jsonl.py: {args.out} already holds .jsonl.gz files", file=sys.stderr)
        return 2
    articles = 0
    for month, rels in sorted(months.items()):
        path = os.path.join(args.out, f"{month}.jsonl.gz")
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            for rel in sorted(rels):
                with open(os.path.join(args.corpus, rel), encoding="utf-8") as f:
                    text = f.read()
                date = "-".join(rel.split("/")[:3])
                line = json.dumps({"id": rel, "date": date, "text": text}, ensure_ascii=False) + "\n"
                gz.write(line.encode("utf-8"))
                articles += 1
    print(f"to_jsonl.py: {articles} articles in {len(months)} files under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
