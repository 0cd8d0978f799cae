#!/usr/bin/env python3
"""Turn the raw measurements of `benches/compare.sh` into the results table.

Usage: report.py RAW.tsv META.json [--out benches/results/DATE.md]

RAW.tsv has one row per measured process: round, tool, wall_s, rss_kb,
mentions, documents, bytes. META.json describes the machine, corpus and
command. Prints a Markdown report (medians, round-by-round numbers, cotag
-j 1's ratio to each tool, PASS/FAIL per target of issue 5) on stdout and,
with --out, writes the same to a file. MB = 10^6 bytes.
"""

import argparse
import csv
import json
import statistics
import sys

LOAD_TOOLS = ("cotag-100k-load", "cotag-load")
LABELS = {
    "cotag-j1": "cotag -j 1 (end to end)",
    "cotag-j2": "cotag -j 2 (end to end)",
    "grep": "GNU grep -r -F -w -o (counted)",
    "pyahocorasick": "pyahocorasick + word boundaries",
    "flashtext": "flashtext extract_keywords",
    "spacy": "spaCy blank('en') + PhraseMatcher",
    "cotag-100k-j1": "cotag -j 1, 100k aliases",
    "cotag-100k-load": "cotag, 100k aliases, 1-document corpus (load + build)",
    "cotag-load": "cotag, built-in aliases, 1-document corpus",
    "rss-500MB": "cotag (all cores), 500 MB corpus",
    "rss-2GB": "cotag (all cores), 2 GB corpus",
    "cotag-discover-j1": "cotag -j 1 --discover (end to end)",
}


def mbps(row):
    return row["bytes"] / 1e6 / max(row["wall_s"], 0.005)


def docps(row):
    return row["documents"] / max(row["wall_s"], 0.005)


def fmt(x, digits=1):
    return "—" if x is None else f"{x:,.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("meta")
    ap.add_argument("--out")
    ap.add_argument("--failed", help="round<TAB>tool<TAB>message of runs that failed")
    args = ap.parse_args()
    failed = []
    if args.failed:
        with open(args.failed, encoding="utf-8") as f:
            failed = [line.rstrip("\n").split("\t", 2) for line in f if line.strip()]
    failed_tools = {f[1] for f in failed}
    with open(args.meta, encoding="utf-8") as f:
        meta = json.load(f)
    rows = []
    with open(args.raw, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows.append(dict(round=int(r["round"]), tool=r["tool"], wall_s=float(r["wall_s"]),
                             rss_kb=int(r["rss_kb"]), mentions=int(r["mentions"]),
                             documents=int(r["documents"]), bytes=int(r["bytes"])))
    if not rows and not failed:
        sys.exit("report.py: no measurements")
    tools = list(dict.fromkeys(r["tool"] for r in rows))
    tools.sort(key=lambda t: list(LABELS).index(t) if t in LABELS else len(LABELS))
    by = {(r["round"], r["tool"]): r for r in rows}
    rounds = sorted({r["round"] for r in rows})

    def ratio(tool, rnd):
        base, other = by.get((rnd, "cotag-j1")), by.get((rnd, tool))
        if base is None or other is None or tool in LOAD_TOOLS or tool.startswith("rss-"):
            return None
        return mbps(base) / mbps(other)

    def median(tool, key):
        values = [key(by[(rnd, tool)]) for rnd in rounds if (rnd, tool) in by]
        return statistics.median(values) if values else None

    def median_ratio(tool):
        values = [x for x in (ratio(tool, rnd) for rnd in rounds) if x is not None]
        return statistics.median(values) if values else None

    def line(tool, wall, speed, docs, rss, mentions, rat):
        load = tool in LOAD_TOOLS
        return (f"| {LABELS.get(tool, tool)} | {fmt(wall, 2)} | {'—' if load else fmt(speed)} | "
                f"{'—' if load else fmt(docs, 0)} | {fmt(rss, 0)} | {mentions:,} | "
                f"{'—' if rat is None else f'{rat:.2f}×'} |")

    header = ("| tool | wall s | MB/s | docs/s | peak RSS MB | mentions | cotag -j 1 ÷ tool |\n"
              "|---|---:|---:|---:|---:|---:|---:|")
    out = []
    size_mb = meta["bytes"] / 1e6
    out.append(f"# cotag benchmark, {meta['date']}\n")
    out.append(f"- Machine: {meta['cpu']}, {meta['cores']} cores, {meta['memory']} RAM, {meta['kernel']}")
    out.append(f"- cotag: {meta['cotag']} (commit {meta['commit']}); {meta['grep']} (LC_ALL={meta['grep_locale']}); "
               f"{meta['python']}; {meta['peers'].strip() or 'no Python peers'}")
    out.append(f"- Corpus: `{meta['corpus']}`, {meta['documents']:,} documents, {size_mb:,.1f} MB "
               f"(benches/gen_corpus.py --size {meta['size']} --seed {meta['seed']})")
    out.append(f"- Aliases: the shipped gazetteers, {meta['alias_rows']:,} alias rows, "
               f"{meta['search_strings']:,} search strings for the peers after case-rule expansion")
    out.append(f"- Command: `{meta['command']}` ({meta['rounds']} round(s), tools alternated; "
               f"started {meta['time']})")
    out.append("")
    out.append(f"## Median over {len(rounds)} round(s)\n")
    out.append(header)
    for tool in tools:
        out.append(line(tool, median(tool, lambda r: r["wall_s"]), median(tool, mbps), median(tool, docps),
                        median(tool, lambda r: r["rss_kb"] / 1024), int(median(tool, lambda r: r["mentions"])),
                        median_ratio(tool)))
    out.append("")

    # Targets of issue 5, on the medians.
    targets = []

    def target(name, value, ok, shown, tool=None):
        if value is not None:
            targets.append(f"| {name} | {shown} | {'PASS' if ok else 'FAIL'} |")
        elif tool in failed_tools:
            targets.append(f"| {name} | run failed | FAIL |")

    j1 = median("cotag-j1", mbps)
    target("cotag -j 1 ≥ 55 MB/s end to end", j1, j1 is not None and j1 >= 55, f"{fmt(j1)} MB/s")
    for tool, need in (("grep", 0.8), ("pyahocorasick", 3), ("flashtext", 9), ("spacy", 9)):
        r = median_ratio(tool)
        target(f"cotag -j 1 ≥ {need}× {LABELS[tool].split(' ')[0] if tool != 'grep' else 'GNU grep'}", r,
               r is not None and r >= need, f"{fmt(r, 2)}×")
    scale = [mbps(by[(rnd, "cotag-j2")]) / mbps(by[(rnd, "cotag-j1")]) for rnd in rounds
             if (rnd, "cotag-j2") in by and (rnd, "cotag-j1") in by]
    s = statistics.median(scale) if scale else None
    target("cotag -j 2 ≥ 1.7× -j 1", s, s is not None and s >= 1.7, f"{fmt(s, 2)}×")
    big = median("cotag-100k-j1", mbps)
    target("100k aliases ≥ 40 MB/s per core (-j 1)", big, big is not None and big >= 40, f"{fmt(big)} MB/s", "cotag-100k-j1")
    load = median("cotag-100k-load", lambda r: r["wall_s"])
    target("100k aliases: load + build < 1 s (whole process, 1 document)", load, load is not None and load < 1,
           f"{fmt(load, 2)} s", "cotag-100k-load")
    rss2 = median("rss-2GB", lambda r: r["rss_kb"] / 1024)
    target("peak RSS ≤ 400 MB on 2 GB", rss2, rss2 is not None and rss2 <= 400, f"{fmt(rss2, 0)} MB", "rss-2GB")
    rss5 = median("rss-500MB", lambda r: r["rss_kb"] / 1024)
    growth = (rss2 / rss5 - 1) * 100 if rss2 is not None and rss5 else None
    target("peak RSS grows < 25 % from 500 MB to 2 GB", growth, growth is not None and growth < 25,
           f"{fmt(growth, 1)} %", "rss-2GB")
    # Issue 4: --discover keeps at least 70 % of the throughput, round by round.
    kept = [mbps(by[(rnd, "cotag-discover-j1")]) / mbps(by[(rnd, "cotag-j1")]) for rnd in rounds
            if (rnd, "cotag-discover-j1") in by and (rnd, "cotag-j1") in by]
    k = statistics.median(kept) if kept else None
    target("--discover costs ≤ 30 % of -j 1 throughput (issue 4)", k, k is not None and k >= 0.7,
           f"{fmt(100 * (1 - k), 0) if k is not None else '—'} % slower", "cotag-discover-j1")
    out.append("## Targets (issue 5)\n")
    if abs(meta["bytes"] - 500e6) > 5e6:
        out.append(f"The targets are defined on a 500 MB corpus; this run used {size_mb:,.0f} MB.\n")
    out.append("| target | measured (median) | |\n|---|---:|---|")
    out.extend(targets or ["| (no target measurable with the tools run) | | |"])
    out.append("")

    if failed:
        out.append("## Failed runs\n")
        out.extend(f"- round {f[0]}, {LABELS.get(f[1], f[1])}: `{f[2] if len(f) > 2 else ''}`" for f in failed)
        out.append("")
    out.append("## Round by round\n")
    out.append(header.replace("| tool |", "| round | tool |").replace("|---|", "|---:|---|", 1))
    for rnd in rounds:
        for tool in tools:
            r = by.get((rnd, tool))
            if r:
                out.append(f"| {rnd} " + line(tool, r["wall_s"], mbps(r), docps(r), r["rss_kb"] / 1024,
                                             r["mentions"], ratio(tool, rnd)))
    out.append("")
    out.append("MB = 10^6 bytes of corpus text; wall time and peak RSS of the whole process "
               "(`/usr/bin/time -f '%e %M'`), start-up, gazetteer load and table writing included. "
               "Mentions are a sanity check: the tools' matching rules differ slightly "
               "(boundaries, overlaps, cotag's ambiguity resolution and dates).")
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"report.py: wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
