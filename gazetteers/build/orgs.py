"""organizations.tsv: curated core + supraverden IGOs + dieghernan IGOs + Phoenix + SEC companies."""

import json
import os
import re

import phoenix
from common import Gazetteer, apostrophe_variants, clean_space, curated, fold, is_all_caps, \
    is_ascii, norm_key, slug

HEADER = [
    "cotag built-in gazetteer: organizations (type=organization).",
    "Built by gazetteers/build/build.py from ../shared/data; do not edit by hand, edit gazetteers/build/curated_*.tab.",
    "Rows whose source includes 'supraverden' are derived from supraverden (Confirmordeny, 2025-2026,",
    "https://github.com/confirmordeny/supraverden), licensed CC BY-SA 4.0; those rows are shared under CC BY-SA 4.0.",
    "Other sources: PETRARCH2/Phoenix CAMEO dictionaries (Open Event Data Alliance, MIT), dieghernan",
    "Country-Codes-and-International-Organizations (MIT; CIA World Factbook, public domain), US SEC EDGAR",
    "company tickers (US government work, public domain), and curated additions (cotag).",
    "source column: curated, supraverden, dieghernan, phoenix, sec.",
]

ORG_WORDS = {"INC", "INC.", "CORP", "CORP.", "CORPORATION", "COMPANY", "CO", "CO.", "LTD", "LTD.",
             "LIMITED", "PLC", "LLC", "GROUP", "HOLDINGS", "HOLDING", "BANK", "BANCORP", "FUND",
             "ASSOCIATION", "ORGANIZATION", "ORGANISATION", "FOUNDATION", "INSTITUTE", "COUNCIL",
             "COMMITTEE", "COMMISSION", "AGENCY", "UNION", "FEDERATION", "SOCIETY", "CENTER",
             "CENTRE", "PARTY", "FRONT", "ARMY", "MOVEMENT", "NETWORK", "TRUST", "INTERNATIONAL",
             "INDUSTRIES", "SYSTEMS", "TECHNOLOGIES", "ENERGY", "RESOURCES", "PROGRAM",
             "PROGRAMME", "OFFICE", "SERVICES", "BRIGADE", "BRIGADES", "LEAGUE", "CONGRESS",
             "UNIVERSITY", "COURT", "TRIBUNAL", "FORUM", "ALLIANCE", "MINISTRY", "DEPARTMENT",
             "NEWS", "TIMES", "POST", "PRESS", "RADIO", "TELEVISION", "CHURCH", "COLLEGE",
             "COMMUNICATIONS", "PHARMACEUTICALS", "MOTORS", "AIRLINES", "PETROLEUM", "OIL", "GAS",
             "MINES", "MINING", "CAPITAL", "PARTNERS", "FINANCIAL", "INSURANCE", "ELECTRIC",
             "NV", "AG", "SA", "S.A.", "N.V.", "SE", "LP", "L.P."}
LEGAL_SUFFIXES = {"INC", "INCORPORATED", "CORP", "CORPORATION", "CO", "COMPANY", "LTD",
                  "LIMITED", "PLC", "LLC", "LP", "HOLDINGS", "HOLDING", "GROUP", "SA", "NV", "AG",
                  "SE", "AB", "ASA", "SPA", "S.P.A.", "A/S", "AS", "OYJ", "BHD", "TBK", "KK",
                  "SAB", "CV", "DE", "ADR", "THE", "L.L.C.", "N.V.", "S.A.", "L.P.", "P.L.C.",
                  "INTERNATIONAL"}
FUND_RE = re.compile(r"\b(ETF|ETN|FUND|FUNDS|ISHARES|SPDR|PROSHARES|ACQUISITION|INDEX|PORTFOLIO|"
                     r"SERIES|MUNICIPAL|TRUST,|BITCOIN|ETHER|STRATEGY SHARES|DIREXION|WISDOMTREE|"
                     r"ADVISORS|DIVIDEND|INCOME|OPPORTUNITIES|BDC)\b")
SEC_TOP = 2500
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"}
GENERIC_WORDS = {"international", "organization", "organisation", "national", "world", "union",
                 "council", "association", "committee", "commission", "agency", "development",
                 "bank", "fund", "group", "corporation", "company", "party", "front", "army",
                 "movement", "institute", "foundation", "federation", "united", "nations",
                 "european", "african", "asian", "american", "arab", "islamic", "economic",
                 "community", "centre", "center", "office", "program", "programme", "news"}


def _alias_ok(a, ctx, curated_alias=False):
    """Shared safety rules for organization aliases from sources."""
    if curated_alias:
        return True
    if not a or len(a) < 3 or not any(c.isalpha() for c in a):
        return False
    if "," in a or ";" in a or "$" in a or "+" in a or "/" in a:
        return False
    words = re.findall(r"[A-Za-z]+", a)
    if any(w.lower() in MONTHS for w in words) and re.search(r"\d", a):
        return False  # '21 June', 'May 19 Movement' would fire on dates
    if not any(len(w) >= 3 for w in words):
        return False
    key = a.lower()
    if a in ctx["unsafe"] or key in ctx["unsafe_lower"]:
        return False
    if a in ctx["country_aliases"] or fold(a) in ctx["country_aliases"]:
        return False
    toks = a.split()
    if len(toks) == 1:
        if a.islower():
            return False
        wf = ctx["wordfreq"].get(key)
        if wf and not is_all_caps(a):
            return False  # everyday lowercase word
        if key in ctx["given_names"]:
            return False
        if is_all_caps(a) and wf and wf[0] >= 10:
            return False  # acronym that is also an everyday word ("AIM", "CAN")
    else:
        if toks[-1].upper().strip(".") in ctx["role_words"]:
            return False
        if all(t[:1].islower() for t in toks):
            return False
    return True


# Shortest compact key that joins two names: shorter ones ("CRA", "ITC") are
# acronyms or words, where one spelling may name two organizations.
COMPACT_MIN = 8


def compact_key(s):
    """norm_key without spaces, with British -isation spellings as American ones:
    names that differ only in spacing, punctuation or that spelling."""
    return norm_key(s).replace("organisation", "organization").replace(" ", "")


class OrgBuilder:
    def __init__(self, ctx):
        self.g = Gazetteer()
        self.ctx = ctx
        self.key_index = {}   # norm_key(full name) -> id
        self.compact_index = {}   # compact_key(full name) -> id
        self.acr_index = {}   # acronym -> set(ids)

    def new_id(self, base):
        base = "org:" + (slug(base) or "x")
        eid, n = base, 2
        while eid in self.g.ents:
            eid = "%s-%d" % (base, n)
            n += 1
        return eid

    def index(self, eid, alias, kind):
        if kind == "acronym":
            self.acr_index.setdefault(alias, set()).add(eid)
        else:
            k = norm_key(alias)
            if k and k not in self.key_index:
                self.key_index[k] = eid
            c = compact_key(alias)
            if c and c not in self.compact_index:
                self.compact_index[c] = eid

    def add(self, eid, alias, kind, source, case="", curated_alias=False):
        alias = clean_space(alias)
        if kind == "acronym":
            if not curated_alias and not self.acronym_ok(alias):
                return
            case = case or "exact"
        elif not _alias_ok(alias, self.ctx, curated_alias):
            return
        self.g.add_alias(eid, alias, kind, case, "", "", source)
        if alias in self.g.ents[eid]["aliases"]:
            self.index(eid, alias, kind)

    def acronym_ok(self, a):
        if len(a.replace(".", "")) < 3 or len(a) > 12:
            return False
        if sum(c.isupper() for c in a) < 2 or " " in a:
            return False
        if a in self.ctx["unsafe"] or a in self.ctx["country_aliases"]:
            return False
        if a.upper() in self.ctx["country_aliases_upper"]:
            return False
        if self.ctx["wordfreq"].get(a.lower()):
            return False  # an everyday word in capitals ("SENATE", "ZERO", "CAN")
        return True

    def find(self, names, acronyms=()):
        for n in names:
            eid = self.key_index.get(norm_key(n))
            if eid:
                return eid
        # The same name spaced or punctuated otherwise: "Moody's Corp" and "Moodys
        # Corp", "ArcelorMittal" and "Arcelor Mittal", "Organisation for Security and
        # Co-operation in Europe" and "Organization for Security and Cooperation".
        for n in names:
            c = compact_key(n)
            if len(c) >= COMPACT_MIN and c in self.compact_index:
                return self.compact_index[c]
        words = {w for n in names for w in norm_key(n).split() if len(w) >= 4} - GENERIC_WORDS
        for a in acronyms:
            ids = set(self.acr_index.get(a, ()))
            if norm_key(a) in self.key_index and (a.isupper() or a in self.ctx["acronyms"]):
                ids.add(self.key_index[norm_key(a)])
            if len(ids) != 1:
                continue
            eid = next(iter(ids))
            if not names or len(a) >= 4:
                return eid
            have = {w for x in self.g.ents[eid]["aliases"] for w in norm_key(x).split()}
            if words & have:
                return eid
        return None

    def entity(self, names, acronyms, source, id_hint=None, display=None):
        """Find or create the entity for these names; add all aliases."""
        names = [clean_space(n) for n in names if n and clean_space(n)]
        acronyms = [a for a in acronyms if a]
        eid = self.find(names, acronyms)
        if eid is None:
            good = [n for n in names if _alias_ok(n, self.ctx)]
            goodacr = [a for a in acronyms if self.acronym_ok(a)]
            if not good and not goodacr:
                return None
            disp = display or (good[0] if good else goodacr[0])
            eid = self.new_id(id_hint or (goodacr[0] if goodacr and len(goodacr[0]) >= 3 else disp))
            self.g.add_entity(eid, "organization", disp)
        for n in names:
            self.add(eid, n, "alias", source)
        for a in acronyms:
            self.add(eid, a, "acronym", source)
        return eid


# ---------------------------------------------------------------- sources

def load_supraverden(path):
    """Minimal reader for general_list.yaml: top-level keys with 2-space 'Field: value' lines."""
    recs = []
    cur = None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            cur = {"_key": _yaml_scalar(line.rstrip(":"))}
            recs.append(cur)
            continue
        m = re.match(r"^  ([A-Za-z0-9_]+):\s?(.*)$", line)
        if m and cur is not None:
            cur[m.group(1)] = _yaml_scalar(m.group(2))
    return recs


def _yaml_scalar(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] == "'":
        return v[1:-1].replace("''", "'")
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1].replace('\\"', '"')
    return v


def sec_names(title, ctx):
    """SEC title -> (full recased legal name, short name or None)."""
    t = re.sub(r"\s*/[A-Z]{2,}/?\s*$", "", title.strip())   # '/DE/', '/NEW'
    t = re.sub(r"\s*/[A-Z]+/?\s*", " ", t)
    t = clean_space(t.replace(",", " ").replace(" & CO.", " & CO"))
    was_caps = t.upper() == t
    toks = t.split()
    if was_caps:
        full = phoenix.recase(toks, ctx["acronyms"])
    else:
        full = t
    # strip legal suffixes from the end
    core = list(toks)
    while len(core) > 1 and core[-1].upper().strip(".") in {s.strip(".") for s in LEGAL_SUFFIXES}:
        core.pop()
    while len(core) > 1 and core[-1] in ("&",):
        core.pop()
    dotcom = False
    if len(core) > 1 and core[-1].upper() == "COM":
        core.pop()
        dotcom = True
    short = phoenix.recase(core, ctx["acronyms"]) if was_caps else " ".join(core)
    if dotcom:
        return full, short, short + ".com"
    return full, short, None


def build(data, ctx):
    b = OrgBuilder(ctx)
    g = b.g
    for r in curated("curated_removals.tab"):
        g.removed.add((r["id"], r["alias"]))

    # ---- curated core
    names = {}
    for r in curated("curated_organizations.tab"):
        names.setdefault(r["id"], r["name"])
    for r in curated("curated_organizations.tab"):
        eid = r["id"]
        g.add_entity(eid, "organization", names[eid])
        kind = r["kind"] or "alias"
        b.add(eid, r["alias"], kind, "curated", r["case"], curated_alias=True)
    for eid, e in g.ents.items():
        b.index(eid, e["name"], "name")

    # ---- supraverden (CC BY-SA 4.0)
    recs = load_supraverden(os.path.join(data, "B_supraverden_intl_orgs/general_list.yaml"))
    for rec in sorted(recs, key=lambda r: r.get("SPRVD_id", r["_key"])):
        nm = [rec.get(k) for k in ("Name_en", "Name_other_en", "Name_other_2_en", "Name_other_3_en",
                                   "Name_former_en")]
        nm = [n for n in nm if n and not n.startswith("[")]
        ac = [rec.get(k) for k in ("Abbreviation_en", "Abbreviation_other_en",
                                   "Abbreviation_other_2_en", "Abbreviation_former_en")]
        ac = [a for a in ac if a and not a.startswith("[")]
        if not nm:
            continue
        b.entity(nm, ac, "supraverden", display=nm[0])

    # ---- dieghernan (MIT; CIA Factbook)
    import csv
    seen = set()
    with open(os.path.join(data, "AB_dieghernan_country_codes_orgs/CountrycodesOrgs.csv"),
              encoding="utf-8") as f:
        for row in csv.DictReader(f):
            nm, ac = clean_space(row["org_name"]), row["org_id"].strip()
            if (nm, ac) in seen:
                continue
            seen.add((nm, ac))
    for nm, ac in sorted(seen):
        acs = [ac] if re.fullmatch(r"[A-Za-z0-9-]+", ac) and "_" not in ac else []
        b.entity([nm], acs, "dieghernan", display=nm)

    # ---- Phoenix: MilNonState, International (non-person), Countries (institutions)
    pdir = os.path.join(data, "BC_petrarch2_phoenix")
    role_words = ctx["role_words"]

    def ph_names(tokens_list):
        out, acr = [], []
        surnames = set()
        for toks in tokens_list[1:]:
            # a person filed under an organization (Hezbollah's 'HASSAN_NASRALLAH'): not an alias
            if ctx["looks_like_person"](toks, ctx["given_names"], "", ctx["wordfreq"]):
                surnames.add(toks[-1].upper())
        for i, toks in enumerate(tokens_list):
            toks = [t for t in toks if t not in ("+",)]
            if not toks:
                continue
            if i > 0 and ctx["looks_like_person"](toks, ctx["given_names"], "", ctx["wordfreq"]):
                continue
            if len(toks) == 1 and toks[0].upper() in surnames:
                continue
            if ctx["looks_like_office"](toks, ctx["demonyms_upper"]):
                continue
            s = " ".join(toks)
            # parenthesized acronym: NAME_(AAIA)
            m = re.search(r"\(([A-Z0-9\-]{2,})\)", s)
            if m:
                acr.append(m.group(1))
                s = clean_space(s.replace(m.group(0), " "))
            toks = s.split()
            while toks and toks[0] == "THE":
                toks = toks[1:]
            if not toks:
                continue
            if toks[-1].upper() in role_words or any(t in ("MR", "MR.", "MRS") for t in toks):
                continue
            # One word in capitals: an acronym when short, known as one (from the
            # curated list, or from an earlier source: "SAARC", "OAPEC", which
            # read as names would be new ids, "Saarc", whose capitals clash
            # with the real one's acronym), or unpronounceable.
            if len(toks) == 1 and is_all_caps(toks[0]) and (len(toks[0]) <= 4 or toks[0] in ctx["acronyms"]
                                                            or toks[0] in b.acr_index
                                                            or not re.search(r"[AEIOU]", toks[0])):
                acr.append(toks[0])
                continue
            out.append(phoenix.recase(toks, ctx["acronyms"]))
        return out, acr

    for fname in ("Phoenix.MilNonState.actors.txt", "Phoenix.International.actors.txt",
                  "Phoenix.Countries.actors.txt"):
        for e in phoenix.read_actors(os.path.join(pdir, fname)):
            if ctx["is_phoenix_person"](e, fname):
                continue
            prim = e["primary"]
            if ctx["looks_like_office"](prim, ctx["demonyms_upper"]) and \
                    not any(c[0].startswith("MNC") for c in e["codes"]):
                continue  # an office ('President of the United States'), not an organization
            if fname == "Phoenix.Countries.actors.txt":
                # country entries ([AFG]) are not organizations
                if any(len(c[0]) == 3 for c in e["codes"]) or "CountryInfo" in e["comment"]:
                    continue
            hint = any(t.upper().strip(",()") in ctx["org_hint"] for toks in [prim] + e["aliases"]
                       for t in toks)
            is_mnc = any(c[0].startswith("MNC") for c in e["codes"])
            if fname == "Phoenix.Countries.actors.txt" and not hint:
                continue
            if fname == "Phoenix.International.actors.txt" and not (hint or is_mnc or len(prim) == 1):
                continue
            toks_all = [prim] + e["aliases"]
            nm, ac = ph_names(toks_all)
            if not nm and not ac:
                continue
            company = any(c[0].startswith("MNC") for c in e["codes"])
            if company:
                nm2 = []
                for n in nm:
                    full, short, dotcom = sec_names(n.upper(), ctx)
                    nm2 += [full, short] + ([dotcom] if dotcom else [])
                nm = nm2
            b.entity(nm, ac, "phoenix")

    # ---- SEC company tickers (public domain): the largest SEC_TOP companies by listing order
    d = json.load(open(os.path.join(data, "B_sec_company_tickers/company_tickers.json"),
                       encoding="utf-8"))
    seen_cik = set()
    for k in sorted(d, key=int):
        v = d[k]
        if v["cik_str"] in seen_cik:
            continue
        seen_cik.add(v["cik_str"])
        if len(seen_cik) > SEC_TOP:
            break
        title = v["title"]
        if FUND_RE.search(title.upper()) or title.upper().split()[-1] == "TRUST":
            continue
        full, short, dotcom = sec_names(title, ctx)
        cand = [x for x in (full, dotcom, short) if x]
        # a short name made only of everyday words (e.g. "Target", "Public Storage")
        # is kept only when capitalized words are rare in that sense; else keep the legal form.
        safe = []
        for x in cand:
            words = [w.lower() for w in x.replace(".com", "").split()]
            everyday = all(w in ctx["wordfreq"] for w in words)
            if x == short and everyday and x != full:
                continue
            safe.append(x)
        if not safe:
            continue
        # A short name in capitals ("AT&T") is looked up among acronyms too,
        # where another source may have filed the same company.
        eid = b.find(cand, [x for x in cand if " " not in x and x.upper() == x and re.search(r"[A-Z]", x)])
        if eid is None:
            disp = short if short in safe else full
            eid = b.new_id(dotcom or short)
            g.add_entity(eid, "organization", disp)
        for x in safe:
            b.add(eid, x, "alias", "sec")

    # ---- curated case overrides / unsafe words / removals
    for r in curated("curated_removals.tab"):
        g.remove_alias(r["id"], r["alias"])
    for w in ctx["unsafe"]:
        for eid, e in g.ents.items():
            row = e["aliases"].get(w)
            if row is not None and "curated" not in row["source"]:
                del e["aliases"][w]

    # apostrophe variants, ASCII folds
    for eid, e in sorted(g.ents.items()):
        for a, r in sorted(e["aliases"].items()):
            srcs = ",".join(sorted(r["source"]))
            vs = ([fold(a)] if not is_ascii(a) else []) + apostrophe_variants(a)
            for v in vs:
                if v != a and v not in e["aliases"]:
                    g.add_alias(eid, v, r["kind"], r["case"], "", "", srcs)

    g.drop_empty()
    # display name always present; kind=name on it
    for eid, e in g.ents.items():
        for a, r in e["aliases"].items():
            if r["kind"] == "name" and a != e["name"]:
                r["kind"] = "alias"
        if e["name"] not in e["aliases"]:
            # the display name failed a safety rule: pick the longest alias as display name
            cands = sorted(e["aliases"], key=lambda a: (-len(a), a))
            e["name"] = cands[0]
        r = e["aliases"][e["name"]]
        if r["kind"] != "acronym":
            r["kind"] = "name"
    return g
