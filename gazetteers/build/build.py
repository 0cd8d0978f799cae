#!/usr/bin/env python3
"""Build cotag's shipped gazetteers from the source data.

Usage (from the repository root):
    python3 gazetteers/build/build.py [DATA_DIR]

DATA_DIR defaults to ../shared/data (relative to the repository root). Writes
gazetteers/countries.tsv, gazetteers/organizations.tsv, gazetteers/people.tsv and
src/data/english_lowercase.tsv. The output is deterministic: rebuilding from the same
data reproduces the files byte for byte. Standard library only (Python 3.11).
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # leave no __pycache__ in the repository
sys.path.insert(0, HERE)

import countries  # noqa: E402
import orgs  # noqa: E402
import people  # noqa: E402
import wordfreq  # noqa: E402
from common import COLUMNS, KINDS, CASES, curated, norm_key, valid_date  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))


def load_given_names(data):
    names = set()
    for f in ("female.txt", "male.txt"):
        p = os.path.join(data, "C_nltk_names_kantrowitz", f)
        for line in open(p, encoding="utf-8", errors="replace"):
            line = line.strip()
            if line and not line.startswith("#"):
                names.add(line.lower())
    return names


ORG_HINT = {"INC", "INC.", "CORP", "CORPORATION", "COMPANY", "LTD", "GROUP", "HOLDINGS", "BANK",
            "ASSOCIATION", "ORGANIZATION", "ORGANISATION", "FOUNDATION", "INSTITUTE", "COUNCIL",
            "COMMITTEE", "COMMISSION", "AGENCY", "UNION", "FEDERATION", "SOCIETY", "CENTER",
            "CENTRE", "PARTY", "FRONT", "ARMY", "MOVEMENT", "NETWORK", "TRUST", "INTERNATIONAL",
            "FUND", "PROGRAM", "PROGRAMME", "OFFICE", "LEAGUE", "CONGRESS", "UNIVERSITY", "COURT",
            "FORUM", "ALLIANCE", "MINISTRY", "DEPARTMENT", "NEWS", "FORCES", "FORCE", "POLICE",
            "SERVICE", "SERVICES", "BUREAU", "BOARD", "AUTHORITY", "ASSEMBLY", "PARLIAMENT",
            "SECRETARIAT", "MISSION", "TRIBUNAL", "BRIGADE", "BRIGADES", "GUARD", "CORPS",
            "COMMAND", "CHURCH", "SYSTEMS", "INDUSTRIES", "ENERGY", "RESOURCES", "MOTORS",
            "AIRLINES", "PETROLEUM", "CAPITAL", "PARTNERS", "FINANCIAL", "INSURANCE", "BANCORP",
            "INITIATIVE", "PROJECT", "CAMPAIGN", "COALITION", "ACTION", "WATCH", "RIGHTS",
            "NATIONS", "STATES", "REPUBLIC", "UN", "U.N.", "EU", "WORLD", "GLOBAL", "SECURITY",
            "PEOPLE", "PEOPLES", "PEOPLE'S", "COMMUNITY", "COOPERATION", "DEVELOPMENT"}


# Honorifics that open a person's name in Phoenix organization entries ("SHEIKH_HASSAN_NASRALLAH").
PERSON_HONORIFICS = {"SHEIK", "SHEIKH", "SHAIKH", "SAYYID", "SAYYED", "SEYYED", "SAYED", "MULLAH",
                     "MAULANA", "IMAM", "MR", "MR.", "MRS", "DR", "DR.", "AYATOLLAH", "HAJI"}
# Offices, not organizations ("US_SECRETARY_OF_STATE", "PRESIDENT_OF_THE_UNITED_STATES").
OFFICE_START = {"PRESIDENT", "SECRETARY", "VICE", "VICE-PRESIDENT", "PRIME", "MINISTER",
                "CHANCELLOR", "KING", "QUEEN", "GOVERNOR", "MAYOR", "SPEAKER", "PREMIER", "EMIR",
                "SULTAN", "ATTORNEY", "SURGEON", "POTUS", "FLOTUS", "VPOTUS"}
PERSON_COMMENT = re.compile(r"\b(leader|co-founder|founder|member|commander|spokesman|cleric|"
                            r"operative|bomber|ideologue|chief)\b", re.I)


def _up(toks):
    return [t.upper().strip(".,()") for t in toks if t and t != "+"]


def has_org_word(toks):
    return any(t in ORG_HINT or t in _HINT_EXTRA for t in _up(toks))


_HINT_EXTRA = {"BRIGADES", "BATTALION", "BATTALIONS", "GROUP", "CLUB", "COMMANDO", "COMMANDOS",
               "ORDER", "CELL", "CELLS", "SQUAD", "MILITIA", "LEGION", "RESISTANCE", "TIGERS",
               "GUERRILLAS", "GUERRILLA", "DEFENDERS", "PRIESTS", "PRIESTHOOD", "FACTION", "WING",
               "ORGANIZATION", "COMMITTEES", "COUNCILS", "CORPORATION", "INC", "LTD", "CORP"}


def looks_like_office(toks, demonyms_upper):
    """'US Secretary of State', 'President of the United States', 'POTUS': an office."""
    up = _up(toks)
    while up and (up[0] in demonyms_upper or up[0] in ("US", "U.S.", "UN", "U.N.", "THE")):
        up = up[1:]
    if not up or up[0] not in OFFICE_START:
        return False
    return not any(t in _OFFICE_ORG for t in up)


_OFFICE_ORG = (ORG_HINT | _HINT_EXTRA | {"CABINET", "ADMINISTRATION"}) - {
    "STATES", "NATIONS", "REPUBLIC", "UN", "U.N.", "EU", "WORLD", "GLOBAL", "PEOPLE", "PEOPLES",
    "PEOPLE'S", "INTERNATIONAL", "COMMUNITY"}


def looks_like_person(toks, given=None, comment="", everyday=()):
    """A person's name filed among organizations ('OSAMA_BIN_LADEN', 'SHEIKH_HASSAN_NASRALLAH').
    With `given`, also a 2-3 word name opening with a given name (used for aliases only)."""
    up = _up(toks)
    if not up or has_org_word(up):
        return False
    if up[0] in PERSON_HONORIFICS and len(up) >= 2:
        return True
    # a kunya and a name ('ABU_OMAR_AL-SHISHANI', filed among Islamic State's names)
    if up[0] in ("ABU", "UMM") and len(up) >= 3:
        return True
    if 2 <= len(up) <= 6 and any(t in ("BIN", "IBN", "BINT", "BINTI") for t in up[1:-1]):
        return True
    if comment and PERSON_COMMENT.search(comment) and 1 <= len(up) <= 4 and \
            all(re.fullmatch(r"[A-Z'\-]+", t) for t in up):
        return True
    if given is not None and 2 <= len(up) <= 3 and up[0].lower() in given and \
            up[0].lower() not in everyday and up[0] not in ("AL", "EL", "ABU", "UMM", "BEN") and \
            all(re.fullmatch(r"[A-Z'\-]+", t) for t in up) and up[1] not in ("AND", "OF", "THE"):
        return True
    return False


# Words no person's name holds: a list of places ('WALLIS_AND_FUTUNA_ISLANDS', filed with
# a leader's code in the Countries file) or an Arabic name of an armed group
# ('JAISH_AL_MUHAJIREEN_WAL_ANSAR': army, battalion, brigade, front, movement).
NOT_PERSON_WORDS = {"AND", "ISLANDS", "ISLAND", "JAISH", "KATIBAT", "KATAEB", "LIWA", "JABHAT",
                    "HARAKAT", "SARAYA"}


def make_person_test(given):
    def is_person(e, fname):
        prim = [t for t in e["primary"] if t]
        if any(t.upper() in NOT_PERSON_WORDS for t in prim):
            return False
        if fname == "Phoenix.MilNonState.actors.txt":
            # leaders filed under armed groups' names: people, not organizations
            if any(has_org_word(a) for a in e["aliases"]):
                return False
            return looks_like_person(prim, None, e["comment"])
        if any(t.upper().strip(",") in ORG_HINT for t in prim):
            return False
        if fname == "Phoenix.Countries.actors.txt":
            # CountryInfo leaders are marked by their generator comment; later additions
            # (BARACK_OBAMA) are recognized by a given name or dated roles
            if any(len(c[0]) == 3 for c in e["codes"]):
                return False
            if "CountryInfo" in e["comment"]:
                return True
            first = prim[0].strip(".").lower()
            return 2 <= len(prim) <= 5 and (first in given or any(c[1] or c[2] for c in e["codes"]))
        if any(c[0] == "ELI" for c in e["codes"]) or "IGOrulers" in e["comment"]:
            return True
        if any(c[0].startswith("MNC") for c in e["codes"]):
            return False
        if len(prim) < 2 or len(prim) > 5:
            return False
        first = prim[0].strip(".").lower()
        if first in given or re.fullmatch(r"[A-Z]\.", prim[0]):
            return True
        return False
    return is_person


def validate(path):
    """Check the file format: header, 9 columns, one name/type per id, dates, case, kind."""
    ids = {}
    pairs = set()
    header_seen = False
    n = 0
    with open(path, encoding="utf-8", newline="") as f:
        for lineno, line in enumerate(f, 1):
            assert line.endswith("\n") and not line.endswith("\r\n"), (path, lineno)
            line = line[:-1]
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            assert len(cols) == 9, (path, lineno, cols)
            if not header_seen:
                assert cols == COLUMNS, (path, lineno)
                header_seen = True
                continue
            eid, typ, name, alias, kind, case, frm, to, src = cols
            assert eid and typ and name and alias.strip() == alias and alias, (path, lineno)
            assert kind in KINDS and case in CASES, (path, lineno)
            for d in (frm, to):
                assert not d or valid_date(d), (path, lineno, d)
            if frm and to:
                assert frm <= to, (path, lineno)
            prev = ids.setdefault(eid, (typ, name))
            assert prev == (typ, name), (path, lineno, prev, (typ, name))
            assert (eid, alias) not in pairs, (path, lineno, "duplicate")
            pairs.add((eid, alias))
            n += 1
    return len(ids), n


def main(argv):
    data = argv[1] if len(argv) > 1 else os.path.join(REPO, "..", "shared", "data")
    data = os.path.normpath(data)
    gaz_dir = os.path.join(REPO, "gazetteers")
    wf_path = os.path.join(REPO, "src", "data", "english_lowercase.tsv")

    wf = wordfreq.write(data, wf_path)
    given = load_given_names(data)
    unsafe_rows = curated("curated_unsafe_words.tab")
    unsafe = {r["word"] for r in unsafe_rows}
    role_words = {r["word"] for r in curated("curated_generic_words.tab") if r["kind"] == "role"}

    cg = countries.build(data, wf)
    country_aliases = set()
    lookup = {}
    for eid, e in cg.ents.items():
        if e["type"] != "country":
            continue
        for a in e["aliases"]:
            country_aliases.add(a)
            k = norm_key(a)
            lookup.setdefault(k, set()).add(eid)
        lookup.setdefault(norm_key(e["name"]), set()).add(eid)
    # place/region/group blockers also protect organizations and people from these names
    for eid, e in cg.ents.items():
        country_aliases.update(e["aliases"])

    def country_lookup(name):
        name = name.strip()
        cands = [name]
        if ", " in name:
            a, b = name.split(", ", 1)
            cands += [b + " " + a, a]
        for c in cands:
            ids = lookup.get(norm_key(c), set())
            ids = {i for i in ids if len(i) == 3}
            if len(ids) == 1:
                return next(iter(ids))
        return ""

    acronyms = set()
    for r in curated("curated_organizations.tab"):
        if r["kind"] == "acronym":
            acronyms.add(r["alias"])
    ctx = {
        "wordfreq": wf, "given_names": given, "unsafe": unsafe,
        "unsafe_lower": {w.lower() for w in unsafe if w.islower()},
        "country_aliases_upper": {a.upper() for a in country_aliases if len(a) > 4},
        "role_words": role_words, "org_hint": ORG_HINT, "country_aliases": country_aliases, "acronyms": acronyms,
        "is_phoenix_person": make_person_test(given),
        "looks_like_person": looks_like_person, "looks_like_office": looks_like_office,
        "country_lookup": country_lookup,
        "is_country_id": lambda c: c in cg.ents and cg.ents[c]["type"] == "country",
    }
    ctx["demonyms_upper"] = {a.upper() for e in cg.ents.values() for a, r in e["aliases"].items()
                             if r["kind"] in ("demonym", "acronym")} | {"AMERICAN", "US", "U.S."}
    og = orgs.build(data, ctx)
    ctx["org_aliases"] = set(a for e in og.ents.values() for a in e["aliases"])
    pg = people.build(data, ctx)

    outputs = [("countries.tsv", cg, countries.HEADER), ("organizations.tsv", og, orgs.HEADER),
               ("people.tsv", pg, people.HEADER)]
    for fname, g, header in outputs:
        path = os.path.join(gaz_dir, fname)
        g.write(path, header)
        n_ids, n_rows = validate(path)
        size = os.path.getsize(path)
        assert size < 5 * 1024 * 1024, (path, size)
        print("%-20s %6d ids %7d aliases %8d bytes" % (fname, n_ids, n_rows, size))
    print("%-20s %6d words" % ("english_lowercase.tsv", len(wf)))


if __name__ == "__main__":
    main(sys.argv)
