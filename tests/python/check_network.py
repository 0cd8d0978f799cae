"""network.gexf reads in networkx as the network of nodes.csv and edges.csv.

Usage: check_network.py OUT...   (each OUT a cotag output folder)

Static (no --by): the same nodes with the same label, type, mentions and
documents; the same edges with the same weight and npmi.
Dynamic (--by): the same nodes and pairs, less those seen only in undated
documents; static weights are the sums over all periods; each dated period
of edges.csv is one spell of its edge, with its weight (read from the XML,
since networkx folds the dynamic `weight` into the static one).
"""

import csv
import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import networkx as nx

NS = {"g": "http://gexf.net/1.3"}


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def spell(by, period):
    """The first and last day of a period label, as cotag writes them."""
    if by == "year":
        return f"{period}-01-01", f"{period}-12-31"
    if by == "month":
        import calendar

        y, m = map(int, period.split("-"))
        return f"{period}-01", f"{period}-{calendar.monthrange(y, m)[1]:02d}"
    return period, period


def check(out):
    out = Path(out)
    by = json.loads((out / "manifest.json").read_text())["options"]["by"]
    G = nx.read_gexf(out / "network.gexf")
    assert isinstance(G, nx.Graph) and not G.is_directed(), type(G)
    nodes = {r["Id"]: r for r in rows(out / "nodes.csv")}
    edges = rows(out / "edges.csv")
    assert edges, f"{out}: edges.csv is empty; the check would prove nothing"

    by_pair = defaultdict(dict)
    for e in edges:
        by_pair[(e["Source"], e["Target"])][e["Period"]] = e
    if by == "none":
        expected_nodes = set(nodes)
        expected_pairs = set(by_pair)
    else:
        assert G.graph["mode"] == "dynamic", G.graph
        dated_nodes = {
            r["entity_id"] for r in rows(out / "entities.csv") if r["period"] != "undated"
        }
        expected_nodes = set(nodes) & dated_nodes
        expected_pairs = {p for p, periods in by_pair.items() if set(periods) - {"undated"}}

    assert set(G.nodes) == expected_nodes, (
        f"{out}: nodes differ: {sorted(set(G.nodes) ^ expected_nodes)[:10]}"
    )
    for node_id, data in G.nodes(data=True):
        row = nodes[node_id]
        assert data["label"] == row["Label"], (node_id, data["label"], row["Label"])
        assert data["type"] == row["Type"], node_id
        assert data["mentions"] == int(row["Mentions"]), node_id
        assert data["documents"] == int(row["Documents"]), node_id

    got_pairs = {tuple(sorted((a, b))) for a, b in G.edges}
    want_pairs = {tuple(sorted(p)) for p in expected_pairs}
    assert got_pairs == want_pairs, f"{out}: edges differ: {sorted(got_pairs ^ want_pairs)[:10]}"
    for a, b, data in G.edges(data=True):
        periods = by_pair.get((a, b)) or by_pair[(b, a)]
        total = sum(int(r["Weight"]) for r in periods.values())
        assert data["weight"] == total, (a, b, data["weight"], total)
        if by == "none":
            npmi = periods["all"]["Npmi"]
            if npmi:
                assert abs(data["npmi"] - float(npmi)) < 1e-9, (a, b)
            else:
                assert "npmi" not in data, (a, b)
        else:
            dated = sorted(p for p in periods if p != "undated")
            assert data["spells"] == [spell(by, p) for p in dated], (a, b, data["spells"])

    if by != "none":
        # Per-period weights, straight from the XML.
        root = ET.parse(out / "network.gexf").getroot()
        checked = 0
        for edge in root.iterfind("g:graph/g:edges/g:edge", NS):
            a, b = edge.get("source"), edge.get("target")
            periods = by_pair.get((a, b)) or by_pair[(b, a)]
            weights = {
                (v.get("start"), v.get("end")): int(v.get("value"))
                for v in edge.iterfind("g:attvalues/g:attvalue", NS)
                if v.get("for") == "weight"
            }
            want = {spell(by, p): int(r["Weight"]) for p, r in periods.items() if p != "undated"}
            assert weights == want, (a, b, weights, want)
            checked += 1
        assert checked == len(want_pairs)
    print(f"network.gexf ok: {out} ({by}): {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for folder in sys.argv[1:]:
        check(folder)
