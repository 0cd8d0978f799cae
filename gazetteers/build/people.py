"""people.tsv: heads of state and government, ministers, officials (CIA 2019, Wikidata 2021, Phoenix)."""

import csv
import datetime
import os
import re

import phoenix
from common import Gazetteer, apostrophe_variants, clean_space, curated, fold, is_ascii, \
    norm_key, slug

HEADER = [
    "cotag built-in gazetteer: people (type=person).",
    "Built by gazetteers/build/build.py from ../shared/data; do not edit by hand, edit gazetteers/build/curated_*.tab.",
    "Sources: PETRARCH2/Phoenix CAMEO actor dictionaries (Open Event Data Alliance; CountryInfo by Parus Analytics,",
    "NSF-funded; MIT licence), CIA World Leaders directory June 2019 (US government work, public domain),",
    "every-politician world-leaders-2021 Wikidata extract (CC0), and curated additions (cotag).",
    "source column: phoenix, cia2019, wikidata2021, curated. Name aliases carry no dates; kind=title aliases",
    "('President Obama') carry the office-holding span from the source (from/to) so that dates pick the right person.",
]

EAST_ASIAN = {"CHN", "TWN", "KOR", "PRK", "VNM", "HKG", "MAC", "KHM", "MNG"}
HONORIFICS = {"DR", "DR.", "GEN", "GEN.", "MR", "MR.", "MRS", "MRS.", "MS", "MS.", "SIR", "DAME",
              "LORD", "LADY", "BARON", "BARONESS", "COL", "COL.", "LT", "LT.", "MAJ", "MAJ.",
              "ADM", "ADM.", "BRIG", "BRIG.", "CAPT", "CAPT.", "PROF", "PROF.", "ENG", "ENG.",
              "REV", "REV.", "HON", "HON.", "GENERAL", "COLONEL", "MARSHAL", "FIELD", "HIS",
              "HER", "EXCELLENCY", "HIGHNESS", "MAJESTY", "SHEIKH", "SHAIKH", "SHAYKH", "PRINCE",
              "PRINCESS", "KING", "QUEEN", "EMIR", "AMIR", "SULTAN", "AYATOLLAH", "MULLAH",
              "MAULANA", "IMAM", "CARDINAL", "BISHOP", "ARCHBISHOP", "FATHER", "HAJI", "HAJJI",
              "SENATOR", "SEN.", "GOV.", "GOVERNOR", "PRESIDENT", "MINISTER", "PREMIER", "VICE",
              "DEPUTY", "ADMIRAL", "CAPTAIN", "MAJOR", "SGT", "SGT.", "JUDGE", "JUSTICE"}
# title prefixes (upper-case token tuples) that make dated kind=title aliases
TITLES = [("PRESIDENT",), ("PRIME", "MINISTER"), ("PREMIER",), ("CHANCELLOR",), ("KING",),
          ("QUEEN",), ("EMIR",), ("SULTAN",), ("CROWN", "PRINCE"), ("VICE", "PRESIDENT"),
          ("VICE-PRESIDENT",), ("SECRETARY-GENERAL",), ("SECRETARY", "GENERAL"),
          ("FOREIGN", "MINISTER"), ("DEFENSE", "MINISTER"), ("DEFENCE", "MINISTER"),
          ("FINANCE", "MINISTER"), ("SECRETARY", "OF", "STATE"), ("AYATOLLAH",)]
TITLE_CASE = {"SECRETARY-GENERAL": "Secretary-General", "VICE-PRESIDENT": "Vice-President"}
BAD_ALIAS_WORDS = {"ADMINISTRATION", "GOVERNMENT", "REGIME", "CABINET", "MINISTRY", "OFFICE",
                   "SUPPORTERS", "FORCES", "FAMILY", "ELECT", "PRESIDENT-ELECT", "FORMER", "EX",
                   "LATE", "SPOKESMAN", "ADVISER", "AIDE", "CAMP", "PARTY", "WIFE", "SON",
                   "DAUGHTER", "BROTHER", "HUSBAND"}
TITLE_WORDS = HONORIFICS | {"CHANCELLOR", "KANZLER", "BUNDESKANZLER", "SECRETARY", "CHAIRMAN",
                            "SPEAKER", "AMBASSADOR", "ENVOY", "CHIEF", "COMMANDER", "LEADER", "PM",
                            "VP", "MINISTER", "PRESIDENT-ELECT", "SECRETARY-GENERAL", "MAYOR",
                            "PRESIDENTE", "MINISTRE", "PRESIDENTIAL", "CANDIDATE", "OPPOSITION",
                            "U.S.", "US", "UN", "U.N.", "EU", "FM", "DEFENSE", "FOREIGN"}
NOT_COUNTRY = {"IGO", "NGO", "ELI", "MNC", "INT", "REB", "UIS", "---", "OPP", "GOV", "MIL", "KKL"}


def title_text(toks):
    return " ".join(TITLE_CASE.get(t, t.capitalize()) for t in toks).replace("Of", "of")


class Person:
    __slots__ = ("names", "display", "display_rank", "country", "qid", "titles", "sources",
                 "surname", "idx")

    def __init__(self):
        self.names = {}      # alias -> set(sources)
        self.display = None
        self.display_rank = 9
        self.country = ""
        self.qid = ""
        self.titles = {}     # alias -> [from, to, sources]
        self.sources = set()
        self.surname = ""


def strip_honorifics(tokens):
    toks = list(tokens)
    while len(toks) > 2 and toks[0].upper() in HONORIFICS:
        toks = toks[1:]
    return toks


def name_variants(name, east_asian=False):
    """Spelling variants of one full name (no surname-only forms)."""
    out = {name}
    toks = name.split()
    # drop middle initials: 'George W. Bush' -> 'George Bush'
    noinit = [t for i, t in enumerate(toks) if not (0 < i < len(toks) - 1 and re.fullmatch(r"[A-Z]\.", t))]
    if len(noinit) >= 2:
        out.add(" ".join(noinit))
    for n in list(out):
        t = n.split()
        # hyphenated given names: 'Ki-Moon' -> 'Ki-moon', 'Ki Moon'
        if any("-" in x for x in t[1:]) or (east_asian and any("-" in x for x in t)):
            low = [re.sub(r"-([A-Z])", lambda m: "-" + m.group(1).lower(), x)
                   if not x.lower().startswith(("al-", "el-")) else x for x in t]
            out.add(" ".join(low))
            if east_asian:
                cap = [re.sub(r"-([a-z])", lambda m: " " + m.group(1).upper(), x) for x in t]
                out.add(" ".join(cap))
        # Arabic article: 'Bashar al-Assad' -> 'Bashar Al-Assad', 'Bashar Assad'
        if any(x.startswith(("Al-", "El-")) for x in t[1:]):
            t = [x[:1].lower() + x[1:] if i > 0 and x.startswith(("Al-", "El-")) else x
                 for i, x in enumerate(t)]
            out.add(" ".join(t))
        if any(x.startswith(("al-", "el-")) for x in t[1:]):
            out.add(" ".join(x[:1].upper() + x[1:] if x.startswith(("al-", "el-")) else x for x in t))
            dropped = [x[3:] if x.startswith(("al-", "el-")) else x for x in t]
            if len(dropped) >= 2:
                out.add(" ".join(dropped))
        # Dutch/German/French particles: 'Herman van Rompuy' <-> 'Herman Van Rompuy'
        if any(x in ("van", "von", "de", "der", "den", "du", "da", "di", "le", "la") for x in t[1:-1]):
            out.add(" ".join(x.capitalize() if x in ("van", "von", "de", "der", "den", "du", "da",
                                                      "di", "le", "la") and i > 0 else x
                             for i, x in enumerate(t)))
    return out


def core_tokens(alias):
    """Tokens that are not particles or initials (to refuse surname-only aliases)."""
    t = []
    for x in alias.split():
        xl = x.lower()
        if xl in phoenix.NAME_PARTICLES or re.fullmatch(r"[A-Za-z]\.", x):
            continue
        t.append(x)
    return t


def build(data, ctx):
    persons = []
    country_of = ctx["country_lookup"]  # name -> ISO id

    # ---------------- Wikidata 2021 (CC0), grouped by Q-id
    by_q = {}
    with open(os.path.join(data, "C_everypolitician_world_leaders_2021/wikidata.csv"),
              encoding="utf-8") as f:
        for row in csv.DictReader(f):
            q = row["officeholder"].strip()
            label = clean_space(row["officeholderLabel"])
            if not q or not label or label.startswith("Q"):
                continue
            p = by_q.get(q)
            if p is None:
                p = Person()
                p.qid = q
                by_q[q] = p
                persons.append(p)
            p.names.setdefault(label, set()).add("wikidata2021")
            p.sources.add("wikidata2021")
            if p.display_rank > 0:
                p.display, p.display_rank = label, 0
            p.country = p.country or country_of(row["country"]) or ""
            pos = row["positionLabel"]
            m = re.match(r"^(President|Prime Minister|Chancellor|King|Queen|Emir|Sultan|Premier)\b", pos)
            if m:
                toks = label.split()
                sur = toks[0] if p.country in EAST_ASIAN else toks[-1]
                if len(toks) >= 2 and sur.lower() not in phoenix.NAME_PARTICLES:
                    frm = row["start_year"].strip()
                    to = row["end_year"].strip()
                    frm = frm + "-01-01" if re.fullmatch(r"\d{4}", frm) else ""
                    to = to + "-12-31" if re.fullmatch(r"\d{4}", to) else ""
                    if frm:
                        t = p.titles.setdefault(m.group(1) + " " + sur, [frm, to, {"wikidata2021"}])
                        t[0] = min(t[0], frm)
                        t[1] = "" if (not to or not t[1]) else max(t[1], to)

    # ---------------- CIA World Leaders 2019 (public domain facts)
    cia = {}
    with open(os.path.join(data, "C_cia_world_leaders_2019/cia_world_leaders_2019.tsv"),
              encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            raw = clean_space(row["name"])
            if not raw:
                continue
            cc = country_of(row["country"]) or ""
            key = (raw, cc)
            if key in cia:
                continue
            toks = strip_honorifics(raw.split())
            caps = [i for i, t in enumerate(toks) if re.fullmatch(r"[A-Z][A-Z'\-]+\.?", t.replace("\u2019", "'"))
                    or (t.lower() in ("al", "bin", "van", "de") and False)]
            if not caps:
                continue
            rec = [phoenix.recase_token(t, i == 0, (), True) if i in caps else t
                   for i, t in enumerate(toks)]
            # 'al-NUAYMI' style: lowercase article attached to a capitalised surname
            rec = [re.sub(r"^(al|el)-([A-Z])", lambda m: m.group(1) + "-" + m.group(2), t) for t in rec]
            p = Person()
            p.country = cc
            p.sources.add("cia2019")
            names = []
            full = " ".join(rec)
            if caps[0] == 0 and len(toks) >= 2:
                if cc in EAST_ASIAN or cc == "JPN":
                    names.append(full)
                    p.surname = rec[0]
                    if cc == "JPN":
                        names.append(" ".join(rec[len(caps):] + rec[:len(caps)]))
                elif any(t.lower() in ("bin", "binti", "bte") for t in toks):
                    names.append(full)
                else:
                    west = " ".join(rec[len(caps):] + rec[:len(caps)]) if len(caps) < len(rec) else full
                    names.append(west)
                    names.append(full)
                    p.surname = " ".join(rec[:len(caps)])
            else:
                names.append(full)
                p.surname = " ".join(rec[caps[0]:])
                given = rec[:caps[0]]
                if len(given) > 1:
                    names.append(given[0] + " " + p.surname)
            for n in names:
                p.names.setdefault(n, set()).add("cia2019")
            p.display, p.display_rank = names[0], 1
            cia[key] = p
            persons.append(p)

    # ---------------- Phoenix (MIT): Countries (CountryInfo leaders) and International (IGO heads)
    pdir = os.path.join(data, "BC_petrarch2_phoenix")
    for fname in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                  "Phoenix.MilNonState.actors.txt"):
        for e in phoenix.read_actors(os.path.join(pdir, fname)):
            if not ctx["is_phoenix_person"](e, fname):
                continue
            prim = strip_honorifics([t for t in e["primary"] if t])
            if not prim:
                continue
            milns = fname == "Phoenix.MilNonState.actors.txt"
            if milns and (len(prim) < 2 or prim[0].upper() in TITLE_WORDS):
                continue  # 'COMMANDER_KASTARI', 'SHEIKH_HAMID': no usable full name
            p = Person()
            p.sources.add("phoenix")
            # country: most frequent 3-letter code prefix that is a country
            cnt = {}
            for code, frm, to, ok in e["codes"]:
                c3 = code[:3]
                if c3 not in NOT_COUNTRY and ctx["is_country_id"](c3):
                    cnt[c3] = cnt.get(c3, 0) + 1
            if cnt:
                p.country = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            spans = [(frm, to) for code, frm, to, ok in e["codes"]
                     if ok and frm and "ELI" not in code[3:6] and code[:3] != "ELI"]
            east = p.country in EAST_ASIAN
            full = phoenix.recase(prim, (), True)
            p.names.setdefault(full, set()).add("phoenix")
            p.display, p.display_rank = full, 2
            ptoks = [t for t in prim if not re.fullmatch(r"[A-Z]\.", t)]
            p.surname = (ptoks[0] if east else ptoks[-1]) if ptoks else ""
            p.surname = phoenix.recase_token(p.surname, True, (), True)
            for al in e["aliases"]:
                al = [t for t in al if t]
                if not al or any(t.upper().strip(".") in BAD_ALIAS_WORDS for t in al):
                    continue
                if milns and not ({t.upper() for t in al} & {t.upper() for t in prim
                                                             if t.lower() not in phoenix.NAME_PARTICLES}):
                    continue  # armed-group files list other members under a leader
                # title + surname: 'PRESIDENT_CLINTON'
                tt = None
                for T in TITLES:
                    if tuple(al[:len(T)]) == T:
                        tt = T
                        break
                if tt:
                    rest = al[len(tt):]
                    if len(rest) == 1 and spans:
                        frm = min(s[0] for s in spans)
                        to = "" if any(not s[1] for s in spans) else max(s[1] for s in spans)
                        alias = title_text(tt) + " " + phoenix.recase(rest, (), True)
                        p.titles.setdefault(alias, [frm, to, {"phoenix"}])
                    continue
                if any(t.upper() in TITLE_WORDS for t in al) or al[0].upper() in ctx["demonyms_upper"]:
                    continue
                if len(al) < 2:
                    continue
                p.names.setdefault(phoenix.recase(al, (), True), set()).add("phoenix")
            persons.append(p)

    # ---------------- curated people (mononyms etc.)
    cur_rows = curated("curated_people.tab")
    cur_by_id = {}
    for r in cur_rows:
        cur_by_id.setdefault(r["id"], []).append(r)

    # ---------------- merge: same normalized name (+ same country when both known)
    def keys(p):
        ks = set()
        for n in p.names:
            k = norm_key(n)
            if len(k.split()) >= 2:
                ks.add(k)
        return ks

    parent = list(range(len(persons)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key = {}
    for i, p in enumerate(persons):
        for k in sorted(keys(p)):
            by_key.setdefault(k, []).append(i)
    for k, idxs in sorted(by_key.items()):
        # group by country; persons without a country join the single country group if unique
        groups = {}
        for i in idxs:
            groups.setdefault(persons[i].country, []).append(i)
        for c, g in groups.items():
            for i in g[1:]:
                parent[find(i)] = find(g[0])
        others = sorted(c for c in groups if c)
        if "" in groups and len(others) == 1:
            parent[find(groups[""][0])] = find(groups[others[0]][0])
        # across countries: long names, regnal names, and office holders with titles
        # (Macron as co-prince of Andorra, Elizabeth II in each realm, Guinea/Guinea-Bissau mix-ups)
        distinctive = len(k.split()) >= 3 or re.search(r" (i|ii|iii|iv|v|vi)$", k) or \
            any(persons[i].titles for i in idxs)
        if distinctive and len(groups) > 1:
            for i in idxs[1:]:
                parent[find(i)] = find(idxs[0])
    # same name without middle initials, same country ('Boris N. Yeltsin' = 'Boris Yeltsin'),
    # unless both carry different initials ('George H. W. Bush' vs 'George W. Bush')
    def initials(p):
        return {norm_key(n) for n in p.names if re.search(r"\b[A-Z]\.", n)}
    by_stripped = {}
    for i, p in enumerate(persons):
        for n in p.names:
            k = norm_key(" ".join(t for t in n.split() if not re.fullmatch(r"[A-Z]\.", t)))
            if len(k.split()) >= 2:
                by_stripped.setdefault((k, p.country), set()).add(i)
    for (k, c), idxs in sorted(by_stripped.items()):
        idxs = sorted(idxs)
        roots = sorted({find(i) for i in idxs})
        if len(roots) < 2:
            continue
        inits = [set().union(*(initials(persons[j]) for j in idxs if find(j) == r)) for r in roots]
        if sum(1 for x in inits if x) >= 2:
            continue
        for r in roots[1:]:
            parent[find(r)] = find(roots[0])
    # same name but for spaces and punctuation, same known country: the Factbook's
    # 'Abdelfattah Elsisi' is 'Abdel Fattah el-Sisi', Phoenix's 'Kasymzhomart Tokayev'
    # is 'Kasym-Zhomart Tokayev' (10 letters or more; initials still tell people apart:
    # 'georgehwbush' is not 'georgewbush')
    by_compact = {}
    for i, p in enumerate(persons):
        if not p.country:
            continue
        for n in p.names:
            k = norm_key(n).replace(" ", "")
            if len(k) >= 10:
                by_compact.setdefault((k, p.country), set()).add(i)
    for (k, c), idxs in sorted(by_compact.items()):
        roots = sorted({find(i) for i in idxs})
        for r in roots[1:]:
            parent[find(r)] = find(roots[0])

    clusters = {}
    for i in range(len(persons)):
        clusters.setdefault(find(i), []).append(i)

    merged = []
    for root, idxs in sorted(clusters.items()):
        m = Person()
        for i in idxs:
            p = persons[i]
            for n, s in p.names.items():
                m.names.setdefault(n, set()).update(s)
            for t, (frm, to, s) in p.titles.items():
                cur = m.titles.get(t)
                if cur is None:
                    m.titles[t] = [frm, to, set(s)]
                else:
                    cur[0] = min(cur[0], frm)
                    cur[1] = "" if (not cur[1] or not to) else max(cur[1], to)
                    cur[2] |= s
            better = p.display_rank < m.display_rank or (p.display_rank == m.display_rank and
                                                         (m.display is None or p.display < m.display))
            if m.display is not None and p.display_rank == m.display_rank and \
                    norm_key(p.display).replace(" ", "") == norm_key(m.display).replace(" ", ""):
                # one name spaced two ways ('Guido Mantega', 'Guido Mant Ega'): the fewer words
                better = (len(p.display.split()), p.display) < (len(m.display.split()), m.display)
            if better:
                m.display, m.display_rank = p.display, p.display_rank
            m.country = m.country or p.country
            m.qid = m.qid or p.qid
            m.surname = m.surname or p.surname
            m.sources |= p.sources
        merged.append(m)

    # ---------------- ids
    g = Gazetteer()
    for r in curated("curated_removals.tab"):
        g.removed.add((r["id"], r["alias"]))
    base = {}
    for m in merged:
        base.setdefault(slug(m.display), []).append(m)
    for s, ms in sorted(base.items()):
        if len(ms) == 1:
            ms[0].idx = "person:" + s
            continue
        ms.sort(key=lambda m: (m.country, m.qid, sorted(m.names)))
        seen = {}
        for m in ms:
            cand = "person:%s-%s" % (s, (m.country or "xx").lower())
            n = seen.get(cand, 0) + 1
            seen[cand] = n
            m.idx = cand if n == 1 else "%s-%d" % (cand, n)

    # ---------------- aliases with safety rules
    country_aliases = ctx["country_aliases"]
    org_aliases = ctx["org_aliases"]
    wf = ctx["wordfreq"]

    def ok(alias):
        core = core_tokens(alias)
        if len(core) < 2:
            return False  # no surname-only or mononym aliases from sources
        if alias in country_aliases or alias in org_aliases:
            return False
        if any(ch.isdigit() for ch in alias) or "(" in alias or "," in alias:
            return False
        # every word an everyday lowercase word ("Grace Will", "Mark Young")
        if all(w.lower() in wf and wf[w.lower()][0] > wf[w.lower()][1] for w in core):
            return False
        if not alias[:1].isupper():
            return False
        return True

    for m in merged:
        g.add_entity(m.idx, "person", m.display)
        east = m.country in EAST_ASIAN
        for n in sorted(m.names):
            srcs = ",".join(sorted(m.names[n]))
            for v in sorted(name_variants(n, east)):
                if ok(v):
                    g.add_alias(m.idx, v, "name" if v == m.display else "alias", "", "", "", srcs)
        for t, (frm, to, s) in sorted(m.titles.items()):
            if len(t.split()) >= 2:
                g.add_alias(m.idx, t, "title", "", frm, to, ",".join(sorted(s)))

    for eid, rows in sorted(cur_by_id.items()):
        name = next((r["name"] for r in rows if r["name"]), rows[0]["alias"])
        if eid not in g.ents:
            g.add_entity(eid, "person", name)
        for r in rows:
            g.add_alias(eid, r["alias"], r["kind"] or "alias", r["case"], r["from"], r["to"], "curated")

    # folded and apostrophe variants
    for eid, e in sorted(g.ents.items()):
        for a, r in sorted(e["aliases"].items()):
            srcs = ",".join(sorted(r["source"]))
            vs = ([fold(a)] if not is_ascii(a) else []) + apostrophe_variants(a)
            for v in vs:
                if v != a and v not in e["aliases"]:
                    g.add_alias(eid, v, r["kind"], r["case"], r["from"], r["to"], srcs)

    for r in curated("curated_removals.tab"):
        g.remove_alias(r["id"], r["alias"])
    g.drop_empty()
    for eid, e in g.ents.items():
        for a, r in e["aliases"].items():
            if r["kind"] == "name" and a != e["name"]:
                r["kind"] = "alias"
        if e["name"] in e["aliases"]:
            e["aliases"][e["name"]]["kind"] = "name"
    # an entity whose display name did not survive the rules takes its longest name alias
    for eid, e in g.ents.items():
        if e["name"] not in e["aliases"]:
            names = sorted((a for a, r in e["aliases"].items() if r["kind"] != "title"),
                           key=lambda a: (-len(a), a))
            if names:
                e["name"] = names[0]
                e["aliases"][names[0]]["kind"] = "name"
    # drop entities left with title aliases only
    for eid in [k for k, e in g.ents.items() if all(r["kind"] == "title" for r in e["aliases"].values())]:
        del g.ents[eid]
    end_open_titles(g, {m.idx: m.country for m in merged})
    return g


def end_open_titles(g, country_of):
    """Ends an open title span where a later holder of the same title is in office.

    The sources date each term, but their newest terms are open ('in office'
    when the source was made: Phoenix about 2014, Wikidata 2021), and a span
    left open then outlives the term. Where another person has the same title
    alias with an open span that starts later ('Prime Minister Sharif': Nawaz
    Sharif, open since 1990 in Phoenix, and Shehbaz Sharif, open since 2022
    in Wikidata), both fit every later document, so the alias was ambiguous
    there and left out. One person holds these offices at a time, and the
    later open span is the newer source's 'in office': the earlier one now
    ends the day before it starts. A later span that a source closes says
    nothing of the earlier holder after it (they may have come back, as Nawaz
    Sharif did), so it ends nothing. People of two different countries (both
    known) are not compared. Closed spans are kept as the sources give them:
    where two overlap by their years only, the alias stays ambiguous in the
    year they share, rather than guessed.
    """
    holders = {}
    for eid, e in g.ents.items():
        for alias, row in e["aliases"].items():
            if row["kind"] == "title" and row["from"]:
                holders.setdefault(alias, []).append((row["from"], eid, row, not row["to"]))
    for alias, rows in holders.items():
        for frm, eid, row, is_open in rows:
            if not is_open:
                continue
            later = [f for f, other, _, other_open in rows
                     if other_open and other != eid and f > frm
                     and not (country_of.get(eid) and country_of.get(other)
                              and country_of[eid] != country_of[other])]
            if later:
                row["to"] = (datetime.date.fromisoformat(min(later)) - datetime.timedelta(days=1)).isoformat()
