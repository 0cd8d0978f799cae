#!/usr/bin/env python3
"""Measure cotag's tagging accuracy against GUM (gold) and GMB (silver).

Usage (from the repository root):

    python3 eval/evaluate.py                       # build cotag if needed, run, score
    python3 eval/evaluate.py --json                # machine-readable
    python3 eval/evaluate.py --show-errors 20      # examples of false positives / negatives
    python3 eval/evaluate.py -- --discover         # arguments after -- go to `cotag run`
    python3 eval/evaluate.py --dataset gum --mentions-gum some/mentions.csv   # score a file

Standard library only. See eval/README.md for what is measured and how the
gold is derived.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import countries as countries_mod  # noqa: E402
import gum  # noqa: E402

REPO = os.path.dirname(HERE)
CATEGORIES = ("country", "demonym", "country+demonym", "organization", "person")
POSSESSIVE = ("'s", "\u2019s", "'", "\u2019")


# ====================================================================== gold


class Gold:
    """Gold spans of one dataset: per doc_id, the text, gold and optional spans."""

    def __init__(self, name: str):
        self.name = name
        self.texts = {}        # doc_id -> text
        self.gold = []         # dicts: doc, start, end, cat, text, entity, note
        self.optional = []     # dicts: doc, start, end, cat, note
        self.unannotated = []  # dicts: doc, start, end

    def add(self, doc, start, end, cat, entity="", note=""):
        self.gold.append({"doc": doc, "start": start, "end": end, "cat": cat,
                          "text": self.texts[doc][start:end], "entity": entity, "note": note})

    def add_optional(self, doc, start, end, cat, note=""):
        self.optional.append({"doc": doc, "start": start, "end": end, "cat": cat,
                              "text": self.texts[doc][start:end], "note": note})

    def finish(self):
        """Deduplicate (same span and category), note for each gold span the
        gold span of another category it is nested in, and sort.

        A tagger that gives non-overlapping, leftmost-longest mentions (as
        cotag does) tags "U.S. Environmental Protection Agency" or "U.S.",
        never both; GUM annotates both. The scoring excuses a missed inner
        span when a prediction covers the outer one."""
        seen = set()
        out = []
        for g in sorted(self.gold, key=lambda g: (g["doc"], g["start"], g["end"], g["cat"], g["entity"])):
            k = (g["doc"], g["start"], g["end"], g["cat"])
            if k not in seen:
                seen.add(k)
                out.append(g)
        by_doc = {}
        for g in out:
            by_doc.setdefault(g["doc"], []).append(g)
        for g in out:
            outers = [o for o in by_doc[g["doc"]] if o["cat"] != g["cat"] and o["start"] <= g["start"]
                      and g["end"] <= o["end"] and (o["end"] - o["start"]) > (g["end"] - g["start"])]
            if outers:
                o = min(outers, key=lambda o: o["end"] - o["start"])
                g["outer"] = {"start": o["start"], "end": o["end"], "cat": o["cat"], "text": o["text"]}
        self.gold = out
        gold_keys = seen
        seen = set()
        opt = []
        for o in sorted(self.optional, key=lambda o: (o["doc"], o["start"], o["end"], o["cat"])):
            k = (o["doc"], o["start"], o["end"], o["cat"])
            if k not in seen and k not in gold_keys:
                seen.add(k)
                opt.append(o)
        self.optional = opt
        return self

    def counts(self) -> dict:
        c = {}
        for g in self.gold:
            c[g["cat"]] = c.get(g["cat"], 0) + 1
        return c


def _span(doc: gum.Document, s: int, e: int):
    return doc.tokens[s].start, doc.tokens[e - 1].end


def gum_gold(docs: list, lex) -> Gold:
    """Gold mentions of countries, demonyms, organizations and persons in GUM documents.

    doc ids are the documents' paths in the corpus folder (``Document.relpath()``).
    """
    g = Gold("gum")
    for doc in docs:
        did = doc.relpath()
        g.texts[did] = doc.text
        for s, e in doc.unannotated:
            g.unannotated.append({"doc": did, "start": s, "end": e})
        name_spans = []   # (start, end) of name cores of all named mentions but person groups
        abstract_demonyms = []
        for m in doc.mentions:
            nested = gum.nested_other(doc, m)
            core = gum.name_core(doc, m, nested)
            if core is None:
                # proper names inside a mention that is not itself named
                # ("the church of Scientology"): optional, GUM's boundary;
                # so is a capitalised unnamed one (GUM tags "Facebook" NN once)
                if m.etype in ("person", "organization"):
                    ts = m.tok_start
                    while ts < m.tok_end - 1 and doc.tokens[ts].upos == "DET":
                        ts += 1
                    if doc.tokens[ts].form[:1].isupper() and m.tok_end - ts <= 4:
                        s, e = _span(doc, ts, m.tok_end)
                        g.add_optional(did, s, e, m.etype, "capitalised unnamed " + m.etype)
                    for rs, re_ in gum._runs(doc, m, nested):
                        if not any(ns <= rs and re_ <= ne for ns, ne in nested):
                            s, e = _span(doc, rs, re_)
                            g.add_optional(did, s, e, m.etype, "inside unnamed " + m.etype)
                continue
            ts, te, kind = core
            s, e = _span(doc, ts, te)
            text = doc.text[s:e]
            if kind == "title":
                g.add_optional(did, s, e, "person", "title")
                continue
            if m.etype == "abstract" and lex.demonym(text):
                abstract_demonyms.append((s, e))   # a language: "in English", "German"
            elif not (m.etype == "person" and (doc.tokens[te - 1].xpos == "NNPS" or lex.demonym(text))):
                name_spans.append((s, e))
            if m.etype in ("place", "organization"):
                # a country: by its Wikipedia link, else by its name
                hit = lex.lookup_title(m.identity) if m.identity else lex.lookup(text)
                if hit:
                    iso3, st = hit
                    if st in ("sovereign", "former") and not lex.lookup(text):
                        # linked to a country but not named by a country name
                        # ("the North" for North Korea, "GB" in "GB News")
                        g.add_optional(did, s, e, "country", f"not a country name for {m.identity}")
                    elif st in ("sovereign", "former"):
                        g.add(did, s, e, "country", iso3, f"gum:{m.etype}:{m.identity or '-'}")
                    else:
                        g.add_optional(did, s, e, "country", f"territory {m.identity or text}")
                    continue
                # a place named after a country it lies in ("mainland Australia",
                # "southern Finland": GUM links the region): optional. A homonym
                # ("Georgia" linked to Georgia_(U.S._state)) is not.
                name_hit = lex.lookup(text)
                if m.etype == "place" and m.identity and name_hit and name_hit[1] in ("sovereign", "former") \
                        and not m.identity.startswith(text.replace(" ", "_")):
                    g.add_optional(did, s, e, "country", f"country name in {m.identity}")
                    continue
                # metonymy: an organization (national team) named by a country ("Belgium", "the Belgians")
                if m.etype == "organization" and (lex.lookup(text) or lex.demonym(text)
                                                  or re.search(r"national_.*team", m.identity)):
                    g.add_optional(did, s, e, "country", f"country name for {m.identity or m.etype}")
                    g.add_optional(did, s, e, "organization", f"country name for {m.identity or m.etype}")
                    continue
            if m.etype == "person":
                last = doc.tokens[te - 1]
                if last.xpos == "NNPS" or lex.demonym(text):
                    # a group ("many Americans", "the Palestinians"), not a named person
                    g.add_optional(did, s, e, "person", "group")
                    g.add_optional(did, s, e, "organization", "group")
                    continue
                g.add(did, s, e, "person", m.identity, "gum:person")
            elif m.etype == "organization":
                g.add(did, s, e, "organization", m.identity, "gum:organization")
            elif m.etype == "place":
                # facilities and the like: whether "Kennedy Space Center" is an
                # organization is a matter of type boundary, not of tagging.
                g.add_optional(did, s, e, "organization", "gum:place")
            else:
                g.add_optional(did, s, e, "organization", f"gum:{m.etype}")
        # languages named like demonyms ("speak English") are not country mentions
        for m in doc.mentions:
            if m.etype == "abstract":
                s, e = m.start, m.end
                if lex.demonym(doc.text[s:e]):
                    abstract_demonyms.append((s, e))
        for s, e in abstract_demonyms:
            g.add_optional(did, s, e, "demonym", "language")
            name_spans.append((s, e))
        _demonyms(g, did, doc.text, [(t.start, t.end) for t in doc.tokens], lex, name_spans)
    return g.finish()


def _demonyms(g: Gold, did: str, text: str, tokens: list, lex, name_spans: list):
    """Silver demonym gold: capitalised tokens that are demonyms of a country
    ("Israeli", "Americans", "South Korean"), unless inside the name of
    something else ("Afghan Girls Robotics Team", "Chinese New Year")."""
    maxw = lex.max_demonym_words()
    i = 0
    n = len(tokens)
    while i < n:
        hit = None
        for w in range(min(maxw, n - i), 0, -1):
            s, e = tokens[i][0], tokens[i + w - 1][1]
            cand = text[s:e]
            if "\n" in cand or not cand[:1].isupper():
                continue
            codes = lex.demonym(cand)
            if codes:
                hit = (s, e, codes, w)
                break
        if hit is None:
            i += 1
            continue
        s, e, codes, w = hit
        inside = any(ns <= s and e <= ne for ns, ne in name_spans)
        if not inside:
            g.add(did, s, e, "demonym", "|".join(codes), "lexicon")
        i += w


# ---------------------------------------------------------------------- GMB


NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re", "'ve", "'ll",
                   "'d", "'m", "\u2019s", "\u2026", "...", "\u201d"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "\u201c", "\u2018"}


def read_gmb(path: str) -> list:
    """Sentences of the GMB Kaggle CSV: lists of (word, pos, tag). cp1252 text."""
    with open(path, "rb") as fh:
        raw = fh.read()
    text = raw.decode("cp1252", errors="replace")
    sents = []
    cur = None
    reader = csv.reader(text.splitlines())
    next(reader)
    for row in reader:
        if len(row) < 4:
            continue
        if row[0].strip():
            cur = []
            sents.append(cur)
        if cur is None:
            continue
        cur.append((row[1], row[2], row[3]))
    return sents


def detokenize(words: list):
    """Join tokens into text; returns (text, [(start, end)] per token)."""
    out = []
    offs = []
    pos = 0
    quote_open = False
    prev = None
    for w in words:
        space = prev is not None
        if w in NO_SPACE_BEFORE or (w.startswith("'") and len(w) > 1 and w[1:].isalpha() and w.lower() in ("'s", "'re", "'ve", "'ll", "'d", "'m")):
            space = False
        if w == '"':
            if quote_open:
                space = False
            quote_open = not quote_open
        if prev is not None and (prev in NO_SPACE_AFTER or (prev == '"' and quote_open and w != '"')):
            space = False
        if space:
            out.append(" ")
            pos += 1
        offs.append((pos, pos + len(w)))
        out.append(w)
        pos += len(w)
        prev = w
    return "".join(out), offs


def gmb_spans(sent: list):
    """BIO spans (start_tok, end_tok, type) of one sentence, with repairs:
    a title-only person span followed by another span makes that span the
    person ("Mr./B-per Yekhanurov/B-org"); adjacent spans forming a country
    name are merged later by the caller."""
    spans = []
    i = 0
    while i < len(sent):
        tag = sent[i][2]
        if tag.startswith("B-") or tag.startswith("I-"):
            typ = tag[2:]
            j = i + 1
            while j < len(sent) and sent[j][2] == "I-" + typ:
                j += 1
            spans.append([i, j, typ])
            i = j
        else:
            i += 1
    return spans


def gmb_gold(sents: list, lex, ndocs: int, block: int):
    """A deterministic sample: ndocs documents of `block` consecutive sentences,
    spread evenly over the file. Returns (Gold, docs) with docs a list of
    {"id", "text"}."""
    g = Gold("gmb")
    # how each string is tagged over the whole file: an org or per span whose
    # text is usually tagged otherwise ("Tehran", "Darfur") is a slip of GMB's
    # partly automatic tagging, optional rather than gold
    votes = gmb_votes(sents, lex)
    nblocks = len(sents) // block
    stride = max(1, nblocks // max(1, ndocs))
    docs = []
    for k in range(0, nblocks, stride):
        if len(docs) >= ndocs:
            break
        did = f"gmb-{k * block + 1:05d}"
        parts = []
        pos = 0
        doc_spans = []
        for sent in sents[k * block:(k + 1) * block]:
            words = [w for w, _, _ in sent]
            stext, offs = detokenize(words)
            if parts:
                parts.append(" ")
                pos += 1
            base = pos
            parts.append(stext)
            pos += len(stext)
            doc_spans.append((base, offs, sent, stext))
        text = "".join(parts)
        docs.append({"id": did, "text": text})
        g.texts[did] = text
        for base, offs, sent, stext in doc_spans:
            _gmb_sentence_gold(g, did, base, offs, sent, text, lex, votes)
    return g.finish(), docs


def gmb_repaired_spans(sent: list, lex) -> list:
    """BIO spans of a sentence as [start_tok, end_tok, type], repaired:
    adjacent spans that together are a country name are merged ("Sri/B-per
    Lanka/B-gpe"); a title-only person span makes its neighbouring span the
    person ("Mr./B-per Yekhanurov/B-org"); person spans lose leading titles
    ("President Bush" -> "Bush") and title-only ones are dropped."""
    def words(a, b):
        return " ".join(w for w, _, _ in sent[a:b])

    merged = []
    for sp in gmb_spans(sent):
        if merged and merged[-1][1] == sp[0] and lex.lookup(words(merged[-1][0], sp[1])):
            merged[-1] = [merged[-1][0], sp[1], "gpe"]
        else:
            merged.append(sp)
    for a, b in zip(merged, merged[1:]):
        if a[2] == "per" and b[0] == a[1] and all(gum.is_title(sent[x][0]) for x in range(a[0], a[1])):
            b[2] = "per"
    out = []
    for s, e, typ in merged:
        if typ == "per":
            while s < e and (gum.is_title(sent[s][0]) or sent[s][0] in ("of", "the")):
                s += 1
            if s >= e:
                continue
        out.append([s, e, typ])
    return out


def gmb_votes(sents: list, lex) -> dict:
    """How often each surface string is tagged with each type over the file."""
    votes = {}
    for sent in sents:
        for s, e, typ in gmb_repaired_spans(sent, lex):
            v = votes.setdefault(" ".join(w for w, _, _ in sent[s:e]), {})
            v[typ] = v.get(typ, 0) + 1
    return votes


def _gmb_sentence_gold(g: Gold, did: str, base: int, offs: list, sent: list, text: str, lex, votes=None):
    votes = votes or {}

    def usual(key, typ):
        """Is typ at least 40% of the tags this string gets over the file?"""
        v = votes.get(key)
        return not v or 5 * v.get(typ, 0) >= 2 * sum(v.values())

    # GMB leaves many country names and demonyms untagged, chiefly adjectival
    # ones ("U.S.-led", "U.S. Marine", "Chinese-made"): optional there; so are
    # names in untagged hyphenated words ("NATO-led", "CIA-backed")
    n = len(sent)
    for i, (w, _, tag) in enumerate(sent):
        if tag == "O" and "-" in w.strip("-") and any(p_[:1].isupper() for p_ in w.split("-")):
            a, b = base + offs[i][0], base + offs[i][1]
            g.add_optional(did, a, b, "organization", "gmb: untagged hyphenated name")
            g.add_optional(did, a, b, "person", "gmb: untagged hyphenated name")
    for i in range(n):
        for j in range(i + 1, min(n, i + 3) + 1):
            if any(sent[x][2] != "O" for x in range(i, j)):
                break
            words = " ".join(w for w, _, _ in sent[i:j])
            parts = [words] + (words.split("-") if j == i + 1 and "-" in words else [])
            if any(lex.lookup(p_) or lex.demonym(p_) for p_ in parts if p_):
                a, b = base + offs[i][0], base + offs[j - 1][1]
                g.add_optional(did, a, b, "country", "gmb: untagged country name")
                g.add_optional(did, a, b, "demonym", "gmb: untagged country name")
    for s, e, typ in gmb_repaired_spans(sent, lex):
        if typ in ("geo", "gpe"):
            # "eastern/B-geo Afghanistan/I-geo": the region's country is named
            while s < e - 1 and sent[s][0][:1].islower():
                s += 1
        # a country name or demonym opening a longer span ("U.S./B-org
        # Marine/I-org", "U.S. Geological Survey"): optional
        for k in range(s + 1, min(e, s + 3)):
            head = " ".join(w for w, _, _ in sent[s:k])
            if lex.lookup(head) or lex.demonym(head):
                a, b = base + offs[s][0], base + offs[k - 1][1]
                g.add_optional(did, a, b, "country", f"gmb: country name opening a {typ} span")
                g.add_optional(did, a, b, "demonym", f"gmb: country name opening a {typ} span")
        a, b = base + offs[s][0], base + offs[e - 1][1]
        t = text[a:b]
        key = " ".join(w for w, _, _ in sent[s:e])
        if typ in ("geo", "gpe", "org", "per"):
            hit = lex.lookup(t)
            if hit:
                if hit[1] in ("sovereign", "former"):
                    g.add(did, a, b, "country", hit[0], f"gmb:{typ}")
                else:
                    g.add_optional(did, a, b, "country", f"gmb:{typ} territory")
                continue
            codes = lex.demonym(t)
            if codes:
                g.add(did, a, b, "demonym", "|".join(codes), f"gmb:{typ}")
                continue
            if typ == "per" and usual(key, "per"):
                g.add(did, a, b, "person", "", "gmb:per")
            elif typ == "per":
                g.add_optional(did, a, b, "person", "gmb:per, mostly tagged otherwise")
            elif typ == "gpe":
                g.add_optional(did, a, b, "country", "gmb:gpe other")   # "Bosnian Serb", "Arab"
                g.add_optional(did, a, b, "demonym", "gmb:gpe other")
            elif typ == "org" and usual(key, "org"):
                g.add(did, a, b, "organization", "", "gmb:org")
            elif typ == "org":
                g.add_optional(did, a, b, "organization", "gmb:org, mostly tagged otherwise")
            else:
                g.add_optional(did, a, b, "organization", "gmb:geo")
        else:
            g.add_optional(did, a, b, "organization", f"gmb:{typ}")


# ================================================================= scoring


def read_mentions(path: str) -> list:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        out.append({"doc": r["doc_id"], "start": int(r["start"]), "end": int(r["end"]),
                    "type": r.get("type", ""), "via": r.get("via", ""), "entity": r.get("entity_id", ""),
                    "surface": r.get("surface", "")})
    return out


def pred_category(p: dict):
    if p["type"] == "country":
        return "demonym" if p["via"] == "demonym" else "country"
    if p["type"] in ("organization", "person"):
        return p["type"]
    return None


def _norm_span(text: str, s: int, e: int):
    """Span without a leading "the " and a trailing possessive or quote."""
    seg = text[s:e]
    if seg.startswith(("the ", "The ")) and e - s > 4:
        s += 4
        seg = text[s:e]
    for suf in POSSESSIVE:
        if seg.endswith(suf) and e - s > len(suf):
            e -= len(suf)
            break
    return s, e


def _overlap(a, b) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def score(gold: Gold, preds: list) -> dict:
    """Precision, recall, F1 per category, exact and relaxed, with the matches."""
    by_doc_gold = {}
    for x in gold.gold:
        by_doc_gold.setdefault(x["doc"], []).append(x)
    by_doc_opt = {}
    for x in gold.optional:
        by_doc_opt.setdefault(x["doc"], []).append(x)
    by_doc_un = {}
    for x in gold.unannotated:
        by_doc_un.setdefault(x["doc"], []).append(x)
    known_docs = set(gold.texts)
    unknown = sorted({p["doc"] for p in preds if p["doc"] not in known_docs})
    preds = [dict(p, cat=pred_category(p)) for p in preds if p["doc"] in known_docs and pred_category(p)]
    preds_by_doc = {}
    for p in preds:
        preds_by_doc.setdefault(p["doc"], []).append(p)

    results = {}
    details = {}
    for cat in CATEGORIES:
        gcats = {"country+demonym": ("country", "demonym")}.get(cat, (cat,))
        # optional spans of neighbouring categories count as optional here too
        ocats = {"country": ("country", "demonym"), "demonym": ("demonym", "country"),
                 "country+demonym": ("country", "demonym")}.get(cat, (cat,))
        res = {}
        det = {"fp": [], "fn": [], "tp": [], "ignored": []}
        for mode in ("exact", "relaxed"):
            tp = fp = fn = ign = excused = 0
            via = {}
            id_agree = id_total = 0
            for did in sorted(known_docs):
                text = gold.texts[did]
                gs = [x for x in by_doc_gold.get(did, []) if x["cat"] in gcats]
                ps = sorted((p for p in preds_by_doc.get(did, []) if p["cat"] in gcats),
                            key=lambda p: (p["start"], p["end"]))
                opts = [x for x in by_doc_opt.get(did, []) if x["cat"] in ocats or x["cat"] in gcats]
                opts += [x for x in by_doc_gold.get(did, []) if x["cat"] in ocats and x["cat"] not in gcats]
                opts += by_doc_un.get(did, [])
                matched_g = set()
                matched_p = {}
                if mode == "exact":
                    index = {}
                    for gi, x in enumerate(gs):
                        index.setdefault(_norm_span(text, x["start"], x["end"]), []).append(gi)
                    for pi, p in enumerate(ps):
                        for gi in index.get(_norm_span(text, p["start"], p["end"]), []):
                            if gi not in matched_g:
                                matched_g.add(gi)
                                matched_p[pi] = gi
                                break
                else:
                    for pi, p in enumerate(ps):
                        for gi, x in enumerate(gs):
                            if gi not in matched_g and _overlap(p, x):
                                matched_g.add(gi)
                                matched_p[pi] = gi
                                break
                for pi, p in enumerate(ps):
                    v = via.setdefault(p["via"] or "-", {"tp": 0, "fp": 0, "ignored": 0})
                    if pi in matched_p:
                        tp += 1
                        v["tp"] += 1
                        x = gs[matched_p[pi]]
                        if x["cat"] == "country" and re.fullmatch(r"[A-Z]{3}", p["entity"] or ""):
                            id_total += 1
                            id_agree += p["entity"] == x["entity"]
                        if mode == "relaxed":
                            det["tp"].append((p, x))
                    elif any(_overlap(p, o) for o in opts) or (mode == "relaxed" and any(_overlap(p, x) for x in gs)):
                        # an optional span, or (relaxed) a second piece of a
                        # gold span matched already: a boundary disagreement
                        ign += 1
                        v["ignored"] += 1
                        if mode == "relaxed":
                            det["ignored"].append(p)
                    else:
                        fp += 1
                        v["fp"] += 1
                        if mode == "relaxed":
                            det["fp"].append(p)
                for gi, x in enumerate(gs):
                    if gi not in matched_g:
                        o = x.get("outer")
                        if o and any(_overlap(p, o) for p in preds_by_doc.get(did, []) if p["cat"] == o["cat"]):
                            excused += 1   # the tagger took the enclosing name instead
                            continue
                        fn += 1
                        if mode == "relaxed":
                            det["fn"].append(x)
            p_ = tp / (tp + fp) if tp + fp else 0.0
            r_ = tp / (tp + fn) if tp + fn else 0.0
            f_ = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
            res[mode] = {"tp": tp, "fp": fp, "fn": fn, "ignored": ign, "excused": excused,
                         "precision": round(p_, 4),
                         "recall": round(r_, 4), "f1": round(f_, 4), "via": via}
            if id_total:
                res[mode]["country_id_agreement"] = {"agree": id_agree, "total": id_total}
        res["gold"] = sum(1 for x in gold.gold if x["cat"] in gcats)
        res["predicted"] = sum(1 for p in preds if p["cat"] in gcats)
        results[cat] = res
        details[cat] = det
    return {"dataset": gold.name, "documents": len(known_docs), "categories": results,
            "unknown_pred_docs": unknown}, details


# ================================================================ running


def default_data_dir() -> str:
    return os.path.normpath(os.path.join(REPO, "..", "shared", "data"))


def ensure_cotag(path: str, build: bool) -> str:
    src = os.path.join(REPO, "src")
    exists = os.path.exists(path)
    stale = False
    if exists and os.path.isdir(src):
        mtime = os.path.getmtime(path)
        for root, _, files in os.walk(src):
            for f in files:
                if os.path.getmtime(os.path.join(root, f)) > mtime:
                    stale = True
    if (not exists or stale) and build and os.path.exists(os.path.join(REPO, "Cargo.toml")):
        print(f"evaluate: building cotag ({'stale' if exists else 'missing'}): cargo build --release",
              file=sys.stderr)
        subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)
    if not os.path.exists(path):
        sys.exit(f"evaluate: no cotag binary at {path} (build it with `cargo build --release`)")
    return path


def run_cotag(cotag: str, corpus: str, out: str, extra: list) -> str:
    cmd = [cotag, "run", corpus, "-o", out, "--force", "-q"] + list(extra)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"evaluate: cotag failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    path = os.path.join(out, "mentions.csv")
    if not os.path.exists(path):
        sys.exit(f"evaluate: cotag wrote no {path}")
    return path


def write_gum_corpus(docs: list, folder: str):
    for d in docs:
        path = os.path.join(folder, *d.relpath().split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(d.text)


def write_jsonl(docs: list, path: str):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")


def write_gold_csv(g: Gold, path: str):
    """Gold and optional spans as a CSV in the shape of mentions.csv (plus a kind column)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["doc_id", "start", "end", "category", "kind", "entity", "surface", "note"])
        rows = [(x["doc"], x["start"], x["end"], x["cat"], "gold", x["entity"], x["text"], x["note"]) for x in g.gold]
        rows += [(x["doc"], x["start"], x["end"], x["cat"], "optional", "", x["text"], x["note"]) for x in g.optional]
        for r in sorted(rows, key=lambda r: (r[0], r[1], r[2], r[3], r[4])):
            w.writerow(r)


def check_corpus_folder(docs: list, corpus: str) -> list:
    """Files of corpus/ that differ from what gum.py produces (should be none)."""
    bad = []
    for d in docs:
        path = os.path.join(corpus, *d.relpath().split("/"))
        try:
            with open(path, encoding="utf-8", newline="") as fh:
                if fh.read() != d.text:
                    bad.append(d.relpath())
        except FileNotFoundError:
            bad.append(d.relpath() + " (missing)")
    return bad


# ================================================================= report


def _context(text: str, s: int, e: int, width: int = 40) -> str:
    left = text[max(0, s - width):s].replace("\n", " ")
    right = text[e:e + width].replace("\n", " ")
    return f"...{left}[[{text[s:e]}]]{right}..."


def print_table(result: dict, out=sys.stdout):
    cats = result["categories"]
    print(f"\n{result['dataset'].upper()}: {result['documents']} documents", file=out)
    hdr = f"{'category':<16}{'gold':>6}{'pred':>6}{'ign':>5}{'exc':>5} | {'TP':>5}{'FP':>5}{'FN':>5}{'P':>7}{'R':>7}{'F1':>7} | " \
          f"{'TP':>5}{'FP':>5}{'FN':>5}{'P':>7}{'R':>7}{'F1':>7}"
    print(f"{'':<38} | {'exact span':^41} | {'relaxed (overlap)':^41}", file=out)
    print(hdr, file=out)
    print("-" * len(hdr), file=out)
    for cat in CATEGORIES:
        r = cats[cat]
        ex, rl = r["exact"], r["relaxed"]
        print(f"{cat:<16}{r['gold']:>6}{r['predicted']:>6}{rl['ignored']:>5}{rl['excused']:>5} | "
              f"{ex['tp']:>5}{ex['fp']:>5}{ex['fn']:>5}{ex['precision']:>7.3f}{ex['recall']:>7.3f}{ex['f1']:>7.3f} | "
              f"{rl['tp']:>5}{rl['fp']:>5}{rl['fn']:>5}{rl['precision']:>7.3f}{rl['recall']:>7.3f}{rl['f1']:>7.3f}",
              file=out)
    idag = cats["country"]["relaxed"].get("country_id_agreement")
    if idag:
        print(f"country ids: {idag['agree']}/{idag['total']} relaxed country matches carry the gold ISO code",
              file=out)
    vias = {}
    for cat in ("country", "demonym", "organization", "person"):
        for v, c in cats[cat]["relaxed"]["via"].items():
            agg = vias.setdefault(v, {"tp": 0, "fp": 0, "ignored": 0})
            for k in agg:
                agg[k] += c[k]
    if vias:
        parts = [f"{v}: {c['tp']} TP / {c['fp']} FP / {c['ignored']} ign" for v, c in sorted(vias.items())]
        print("by via (relaxed): " + "; ".join(parts), file=out)
    if result.get("unknown_pred_docs"):
        print(f"warning: predictions for {len(result['unknown_pred_docs'])} unknown doc ids, e.g. "
              f"{result['unknown_pred_docs'][:3]}", file=out)


def errors_json(gold: Gold, details: dict, n: int) -> dict:
    """The first n false positives and negatives per category (relaxed), for --json."""
    out = {}
    for cat in ("country", "demonym", "organization", "person"):
        det = details[cat]
        out[cat] = {
            "fp": [{"doc_id": p["doc"], "start": p["start"], "end": p["end"], "surface": gold.texts[p["doc"]][p["start"]:p["end"]],
                    "entity_id": p["entity"], "via": p["via"],
                    "context": _context(gold.texts[p["doc"]], p["start"], p["end"])} for p in det["fp"][:n]],
            "fn": [{"doc_id": x["doc"], "start": x["start"], "end": x["end"], "surface": x["text"],
                    "entity": x["entity"], "note": x["note"],
                    "context": _context(gold.texts[x["doc"]], x["start"], x["end"])} for x in det["fn"][:n]],
        }
    return out


def print_errors(gold: Gold, details: dict, n: int, out=sys.stdout):
    for cat in ("country", "demonym", "organization", "person"):
        det = details[cat]
        ign = {}
        for p in det["ignored"]:
            k = gold.texts[p["doc"]][p["start"]:p["end"]]
            ign[k] = ign.get(k, 0) + 1
        fps = det["fp"]
        fns = det["fn"]
        print(f"\n{gold.name.upper()} {cat}: {len(fps)} false positives, {len(fns)} false negatives (relaxed)",
              file=out)
        # most frequent surfaces first, then document order
        for label, items, surf in (("FP", fps, lambda p: gold.texts[p["doc"]][p["start"]:p["end"]]),
                                   ("FN", fns, lambda x: x["text"])):
            freq = {}
            for it in items:
                freq[surf(it)] = freq.get(surf(it), 0) + 1
            if freq:
                top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
                print(f"  {label} most frequent: " + ", ".join(f"{k!r}×{v}" for k, v in top), file=out)
            for it in items[:n]:
                text = gold.texts[it["doc"]]
                extra = f" via={it['via']} id={it['entity']}" if label == "FP" else f" ({it['note']})"
                print(f"  {label} {it['doc']}:{it['start']}{extra}  {_context(text, it['start'], it['end'])}",
                      file=out)
        if ign:
            top = sorted(ign.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
            print("  ignored (optional spans) most frequent: " + ", ".join(f"{k!r}×{v}" for k, v in top), file=out)


# =================================================================== main


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Arguments after -- are passed to `cotag run` (e.g. -- --discover).")
    ap.add_argument("--cotag", default=os.path.join("target", "release", "cotag"),
                    help="cotag binary (default: target/release/cotag, built with cargo if missing or older than src/)")
    ap.add_argument("--no-build", action="store_true", help="never run cargo build")
    ap.add_argument("--data", default=None, help="source data folder (default: ../shared/data)")
    ap.add_argument("--dataset", default="gum,gmb", help="comma list of gum, gmb (default: both)")
    ap.add_argument("--country-names", choices=("reference", "gazetteer", "union"), default="reference",
                    help="which country names and demonyms decide country gold: the reference list from "
                         "../shared/data (default), cotag's gazetteers/countries.tsv, or both")
    ap.add_argument("--gmb-docs", type=int, default=250, help="GMB documents in the sample (default 250)")
    ap.add_argument("--gmb-block", type=int, default=20, help="consecutive GMB sentences per document (default 20)")
    ap.add_argument("--mentions-gum", help="score this mentions.csv for GUM instead of running cotag")
    ap.add_argument("--mentions-gmb", help="score this mentions.csv for GMB instead of running cotag")
    ap.add_argument("--write-gold", metavar="DIR", help="also write the gold (and corpora) to DIR")
    ap.add_argument("--keep", metavar="DIR", help="run in DIR (kept) instead of a temporary folder")
    ap.add_argument("--json", action="store_true", help="print JSON instead of tables")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N",
                    help="print N false positives and negatives per category, with context")
    args = ap.parse_args(argv)
    os.chdir(REPO)

    data = args.data or default_data_dir()
    datasets = [d.strip() for d in args.dataset.split(",") if d.strip()]
    lex = countries_mod.load_reference(data)
    if args.country_names != "reference":
        gz = os.path.join("gazetteers", "countries.tsv")
        if not os.path.exists(gz):
            sys.exit(f"evaluate: --country-names {args.country_names} needs {gz}")
        lex = countries_mod.extend_with_gazetteer(lex, gz, replace=args.country_names == "gazetteer")

    work = args.keep or tempfile.mkdtemp(prefix="cotag-eval-")
    os.makedirs(work, exist_ok=True)
    cotag = None
    reports = []
    notes = []
    try:
        for ds in datasets:
            if ds == "gum":
                docs = gum.read_folder(os.path.join(data, "D_gum_wikinews", "conllu"))
                gold = gum_gold(docs, lex)
                if os.path.isdir("corpus"):
                    bad = check_corpus_folder(docs, "corpus")
                    if bad:
                        notes.append(f"corpus/ differs from the GUM texts in {len(bad)} files (rebuild with "
                                     f"scripts/build_sample_corpus.py), e.g. {bad[:3]}")
                corpus = os.path.join(work, "gum_corpus")
                if os.path.isdir(corpus):
                    shutil.rmtree(corpus)
                write_gum_corpus(docs, corpus)
                mentions = args.mentions_gum
            elif ds == "gmb":
                sents = read_gmb(os.path.join(data, "D_gmb_kaggle_ner_dataset", "ner_dataset.csv"))
                gold, gdocs = gmb_gold(sents, lex, args.gmb_docs, args.gmb_block)
                corpus = os.path.join(work, "gmb_corpus")
                os.makedirs(corpus, exist_ok=True)
                write_jsonl(gdocs, os.path.join(corpus, "gmb_sample.jsonl"))
                mentions = args.mentions_gmb
            else:
                sys.exit(f"evaluate: unknown dataset {ds!r}")
            if args.write_gold:
                os.makedirs(args.write_gold, exist_ok=True)
                write_gold_csv(gold, os.path.join(args.write_gold, f"{ds}_gold.csv"))
                if ds == "gum":
                    write_gum_corpus(docs, os.path.join(args.write_gold, "gum_corpus"))
                else:
                    write_jsonl(gdocs, os.path.join(args.write_gold, "gmb_sample.jsonl"))
            if not mentions:
                if cotag is None:
                    cotag = ensure_cotag(args.cotag, not args.no_build)
                mentions = run_cotag(cotag, corpus, os.path.join(work, f"{ds}_out"), extra)
            result, details = score(gold, read_mentions(mentions))
            result["gold_counts"] = gold.counts()
            result["optional_spans"] = len(gold.optional)
            reports.append((gold, result, details))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    if args.json:
        if args.show_errors:
            for gold, result, details in reports:
                result["errors"] = errors_json(gold, details, args.show_errors)
        out = {"cotag_args": extra, "datasets": {r["dataset"]: r for _, r, _ in reports}, "notes": notes}
        print(json.dumps(out, indent=2, sort_keys=True))
    else:
        if extra:
            print(f"cotag run arguments: {' '.join(extra)}")
        for gold, result, details in reports:
            print_table(result)
            if args.show_errors:
                print_errors(gold, details, args.show_errors)
        for n in notes:
            print("note: " + n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
