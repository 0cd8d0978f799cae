"""countries.tsv: ISO 3166-1 + former states + a few extra entities, with names and demonyms."""

import json
import os
import re

from common import (Gazetteer, apostrophe_variants, clean_space, curated, fold, is_all_caps,
                    is_ascii, is_latin)

HEADER = [
    "cotag built-in gazetteer: countries (type=country) plus a few place/region/group blockers.",
    "Built by gazetteers/build/build.py from ../shared/data; do not edit by hand, edit gazetteers/build/curated_*.tab.",
    "Contains information from mledoze/countries (https://github.com/mledoze/countries), made available under",
    "the Open Database License (ODbL) 1.0: this file is a derived database and is itself licensed under ODbL 1.0.",
    "Also from: Debian iso-codes 4.15.0 (ISO 3166-1/3, LGPL-2.1+), newsmap english.yml (Kohei Watanabe, MIT),",
    "i18n-iso-countries 7.14.0 (MIT), NLTK gazetteers nationalities (public domain), and curated additions (cotag).",
    "source column: mledoze, iso-codes, newsmap, i18n, nltk, curated.",
]

# Demonym endings that take a plain -s plural ("Israeli" -> "Israelis", "Kenyan" -> "Kenyans").
_PLURAL_OK = re.compile(r"(an|i|ot|er)$")


def invert_catalogue(name):
    """'Korea, Republic of' -> 'Republic of Korea'; None when not safely invertible."""
    if "," not in name:
        return name
    a, b = [x.strip() for x in name.split(",", 1)]
    if "," in b:
        return None
    if re.search(r"\bof( the)?$", b) or b in ("British", "U.S."):
        inv = b + " " + a
        return re.sub(r"^The ", "the ", inv)
    return None


def acceptable(alias, curated_alias=False):
    if not alias or not is_latin(alias):
        return False
    if "," in alias or "(" in alias:
        return False
    if any(0x250 <= ord(ch) <= 0x2AF for ch in alias):  # IPA transcriptions
        return False
    if curated_alias:
        return True
    # bare ISO-style codes only via the curated file
    if is_all_caps(alias) and len(alias.replace(".", "")) <= 4:
        return False
    if len(alias) <= 2:
        return False
    return True


def build(data, wordfreq):
    g = Gazetteer()
    iso1 = json.load(open(os.path.join(data, "A_iso_codes_debian/iso_3166-1.json"),
                          encoding="utf-8"))["3166-1"]
    mled = json.load(open(os.path.join(data, "A_mledoze_countries/countries.json"),
                          encoding="utf-8"))
    mled = {("XKX" if c["cca3"] == "UNK" else c["cca3"]): c for c in mled}
    a2_to_a3 = {c["alpha_2"]: c["alpha_3"] for c in iso1}
    a2_to_a3["XK"] = "XKX"

    cur = curated("curated_countries.tab")
    removals = curated("curated_removals.tab")
    for r in removals:
        g.removed.add((r["id"], r["alias"]))
    curated_names = {r["id"]: r["name"] for r in cur if r["name"]}
    for r in cur:  # a curated kind=name row sets the display name
        if r["kind"] == "name" and r["type"] == "country":
            curated_names[r["id"]] = r["alias"]
    curated_types = {r["id"]: r["type"] for r in cur}

    # ---- entities
    for c in iso1:
        a3 = c["alpha_3"]
        name = curated_names.get(a3) or (mled[a3]["name"]["common"] if a3 in mled
                                         else c.get("common_name", c["name"]))
        g.add_entity(a3, "country", name)
    for eid, name in curated_names.items():
        g.add_entity(eid, curated_types[eid], name)

    def add(eid, alias, kind, source, case="", curated_alias=False):
        alias = clean_space(alias)
        if not acceptable(alias, curated_alias):
            return
        g.add_alias(eid, alias, kind, case, "", "", source)

    # ---- ISO 3166-1 (iso-codes)
    for c in iso1:
        a3 = c["alpha_3"]
        for key, kind in (("name", "name"), ("common_name", "name"), ("official_name", "alias")):
            if key in c:
                inv = invert_catalogue(c[key])
                if inv:
                    add(a3, inv, kind if inv == c[key] else "alias", "iso-codes")

    # ---- mledoze (ODbL)
    for a3, c in sorted(mled.items()):
        if a3 not in g.ents:
            continue
        add(a3, c["name"]["common"], "name", "mledoze")
        add(a3, c["name"]["official"], "alias", "mledoze")
        for alt in c.get("altSpellings", []):
            inv = invert_catalogue(alt)
            if inv:
                add(a3, inv, "alias", "mledoze")
        dem = c.get("demonyms", {}).get("eng", {})
        for d in sorted(set(v for v in dem.values() if v)):
            add(a3, d, "demonym", "mledoze")
            if _PLURAL_OK.search(d) and " " not in d:
                add(a3, d + "s", "demonym", "mledoze")

    # ---- i18n-iso-countries (MIT)
    en = json.load(open(os.path.join(data, "A_i18n_iso_countries/en.json"), encoding="utf-8"))
    for a2, names in sorted(en["countries"].items()):
        a3 = a2_to_a3.get(a2)
        if a3 not in g.ents:
            continue
        for n in ([names] if isinstance(names, str) else names):
            inv = invert_catalogue(n)
            if inv:
                add(a3, inv, "alias", "i18n")

    # ---- newsmap (MIT): country name (first item) and demonym globs ('Kenyan*')
    for line in open(os.path.join(data, "A_newsmap/english.yml"), encoding="utf-8"):
        m = re.match(r"\s*'([A-Z]{2})':\s*\[(.*)\]\s*$", line)
        if not m:
            continue
        a3 = a2_to_a3.get(m.group(1))
        if a3 not in g.ents:
            continue
        items = [x.strip() for x in m.group(2).split(",")]
        add(a3, items[0], "alias", "newsmap")
        for it in items[1:]:
            if it.endswith("*"):
                stem = it[:-1]
                if re.search(r"(an|i|ese)$", stem) and " " not in stem and not stem.startswith("S "):
                    add(a3, stem, "demonym", "newsmap")
                    if _PLURAL_OK.search(stem):
                        add(a3, stem + "s", "demonym", "newsmap")

    # ---- curated additions (after sources so they can set kind/case)
    for r in cur:
        kind = r["kind"] or "alias"
        if r["case"] not in ("", "exact", "smart", "any"):
            raise SystemExit("curated_countries.tab:%d: bad case" % r["_line"])
        g.add_alias(r["id"], r["alias"], kind, r["case"], r["from"], r["to"], "curated")
        row = g.ents[r["id"]]["aliases"].get(r["alias"])
        if row is not None:
            row["kind"] = kind
            if r["case"]:
                row["case"] = r["case"]

    # ---- NLTK nationalities (public domain): corroborate demonyms
    nat = set(x.strip() for x in open(os.path.join(data, "A_nltk_gazetteers/nationalities.txt"),
                                      encoding="utf-8", errors="replace") if x.strip())
    for e in g.ents.values():
        for a, r in e["aliases"].items():
            if r["kind"] == "demonym" and a in nat:
                r["source"].add("nltk")

    # ---- ASCII-folded and apostrophe variants
    for eid, e in sorted(g.ents.items()):
        for a, r in sorted(e["aliases"].items()):
            srcs = ",".join(sorted(r["source"]))
            variants = []
            if not is_ascii(a):
                variants.append(fold(a))
            variants += apostrophe_variants(a)
            for v in variants:
                if v != a and v not in e["aliases"]:
                    g.add_alias(eid, v, r["kind"], r["case"], r["from"], r["to"], srcs)

    # a demonym shared with a sovereign state is dropped from dependent territories
    # ("American" for the Northern Mariana Islands, "French" for the French Southern Territories)
    independent = {a3 for a3, c in mled.items() if c.get("independent")}
    idx = g.alias_index()
    for a, ids in sorted(idx.items()):
        if len(ids) < 2:
            continue
        dem = [i for i in ids if g.ents[i]["aliases"][a]["kind"] == "demonym"
               and "curated" not in g.ents[i]["aliases"][a]["source"]]
        sov = [i for i in ids if i in independent or i not in mled]
        for i in dem:
            if i not in independent and sov:
                del g.ents[i]["aliases"][a]
            elif not sov and len(ids) == len(dem):
                del g.ents[i]["aliases"][a]

    # "Team Estonia", "Team USA": national teams in multi-sport events, not the country
    # (blockers of type team, generated for every sovereign country's display name)
    for eid in sorted(g.ents):
        e = g.ents[eid]
        if e["type"] != "country" or not (eid in independent or eid in ("TWN", "PSE", "XKX")):
            continue
        tid = "team:" + eid.lower()
        names = [e["name"]] + (["USA"] if eid == "USA" else ["GB"] if eid == "GBR" else [])
        g.add_entity(tid, "team", "Team " + e["name"])
        for n in names:
            g.add_alias(tid, "Team " + n, "alias", "", "", "", "curated")

    # the display name must be one of the aliases with kind=name
    for eid, e in g.ents.items():
        for a, r in e["aliases"].items():
            if r["kind"] == "name" and a != e["name"]:
                r["kind"] = "alias"
        if e["name"] in e["aliases"]:
            e["aliases"][e["name"]]["kind"] = "name"
        else:
            g.add_alias(eid, e["name"], "name", "", "", "", "curated")
    return g
