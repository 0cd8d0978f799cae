"""Shared helpers for the cotag gazetteer build (standard library only)."""

import csv
import datetime
import os
import re
import unicodedata

COLUMNS = ["id", "type", "name", "alias", "kind", "case", "from", "to", "source"]
KINDS = {"", "name", "alias", "acronym", "demonym", "surname", "title"}
CASES = {"", "exact", "smart", "any"}
KIND_PRIORITY = {"name": 0, "acronym": 1, "demonym": 2, "alias": 3, "title": 4, "surname": 5, "": 3}

HERE = os.path.dirname(os.path.abspath(__file__))

# Letters that NFKD does not decompose into ASCII.
_SPECIAL_FOLD = {
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
    "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L",
    "ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "ʿ": "'", "ʾ": "'", "`": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-",
}


def fold(s):
    """ASCII-fold: strip diacritics, map special letters; keep other chars."""
    s = "".join(_SPECIAL_FOLD.get(ch, ch) for ch in s)
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def is_ascii(s):
    return all(ord(c) < 128 for c in s)


def is_latin(s):
    for ch in s:
        if ord(ch) < 128:
            continue
        if unicodedata.category(ch).startswith("M"):
            continue
        name = unicodedata.name(ch, "")
        if "LATIN" in name or ch in _SPECIAL_FOLD or ch in "\u00a0":
            continue
        return False
    return True


def norm_key(s):
    """Key for merging names: folded, lowercased, punctuation-free, no leading 'the'."""
    s = fold(s).lower()
    s = s.replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"^the ", "", s)
    return s


def slug(s):
    s = fold(s).lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def clean_space(s):
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


def is_all_caps(s):
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) >= 2


def valid_date(s):
    try:
        datetime.date.fromisoformat(s)
        return len(s) == 10
    except ValueError:
        return False


def read_tsv(path):
    """Read a curated TSV (header row, '#' comments). Returns list of dicts."""
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        header = None
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if header is None:
                header = parts
                continue
            parts += [""] * (len(header) - len(parts))
            d = {h: p.strip() for h, p in zip(header, parts)}
            d["_line"] = lineno
            rows.append(d)
    return rows


def curated(name):
    return read_tsv(os.path.join(HERE, name))


class Gazetteer:
    """Entities with aliases; merges sources; writes a deterministic TSV."""

    def __init__(self):
        self.ents = {}  # id -> {"type", "name", "aliases": {alias: row}}
        self.removed = set()  # (id or '*', alias)

    def has(self, eid):
        return eid in self.ents

    def add_entity(self, eid, etype, name):
        e = self.ents.get(eid)
        if e is None:
            e = {"type": etype, "name": name, "aliases": {}}
            self.ents[eid] = e
        return e

    def add_alias(self, eid, alias, kind="alias", case="", frm="", to="", source=""):
        alias = clean_space(alias)
        if not alias:
            return
        if (eid, alias) in self.removed or ("*", alias) in self.removed or (eid, "*") in self.removed:
            return
        e = self.ents[eid]
        row = e["aliases"].get(alias)
        srcs = set(x for x in source.split(",") if x)
        if row is None:
            e["aliases"][alias] = {"kind": kind, "case": case, "from": frm, "to": to,
                                   "source": srcs}
            return
        row["source"] |= srcs
        if KIND_PRIORITY.get(kind, 3) < KIND_PRIORITY.get(row["kind"], 3):
            # a stronger kind wins; a dated title never overrides an undated name
            row["kind"] = kind
            if not frm and not to:
                row["from"], row["to"] = "", ""
        if case and not row["case"]:
            row["case"] = case
        if row["kind"] == "title" and kind == "title":
            # widen the validity span
            if frm and row["from"]:
                row["from"] = min(frm, row["from"])
            if to and row["to"]:
                row["to"] = max(to, row["to"])
            if not to:
                row["to"] = ""

    def remove_alias(self, eid, alias):
        self.removed.add((eid, alias))
        if alias == "*":
            # every alias of the id: the entity itself goes (drop_empty)
            if eid in self.ents:
                self.ents[eid]["aliases"].clear()
        elif eid == "*":
            for e in self.ents.values():
                e["aliases"].pop(alias, None)
        elif eid in self.ents:
            self.ents[eid]["aliases"].pop(alias, None)

    def set_case(self, eid, alias, case):
        ids = self.ents.keys() if eid == "*" else [eid]
        for i in ids:
            e = self.ents.get(i)
            if e and alias in e["aliases"]:
                e["aliases"][alias]["case"] = case

    def alias_index(self):
        idx = {}
        for eid, e in self.ents.items():
            for a in e["aliases"]:
                idx.setdefault(a, set()).add(eid)
        return idx

    def drop_empty(self):
        for eid in [k for k, e in self.ents.items() if not e["aliases"]]:
            del self.ents[eid]

    def rows(self):
        out = []
        for eid, e in self.ents.items():
            for a, r in e["aliases"].items():
                out.append((eid, e["type"], e["name"], a, r["kind"], r["case"], r["from"],
                            r["to"], ",".join(sorted(r["source"]))))
        out.sort(key=lambda r: (r[0].encode("utf-8"), r[3].encode("utf-8")))
        return out

    def write(self, path, header_comments):
        rows = self.rows()
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for c in header_comments:
                f.write(("# " + c).rstrip() + "\n")
            f.write("\t".join(COLUMNS) + "\n")
            for r in rows:
                for v in r:
                    assert "\t" not in v and "\n" not in v, r
                f.write("\t".join(r) + "\n")
        return rows


def apostrophe_variants(alias):
    """Aliases with a straight apostrophe also get the typographic one, and back."""
    out = []
    if "'" in alias:
        out.append(alias.replace("'", "\u2019"))
    if "\u2019" in alias:
        out.append(alias.replace("\u2019", "'"))
    return out
