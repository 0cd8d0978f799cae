"""A reference list of country names and demonyms for deriving country gold.

The list is built from the source data in ``../shared/data`` (not from
cotag's own gazetteer, so that the gold does not depend on the tagger):

* ``A_mledoze_countries/countries.json``: common and official names,
  alternative spellings (two-letter codes left out), English demonyms;
  ``independent`` tells sovereign countries from dependent territories.
* ``A_i18n_iso_countries/en.json``: extra English names.
* ``A_iso_codes_debian/iso_3166-3.json``: former countries.
* ``A_newsmap/english.yml``: demonym globs (``Slovenian*``, ``Kenyan*``), read
  as the stem plus up to three letters (stems of five letters or more).
* a short curated list below: common short forms (``U.S.``, ``Britain``),
  Wikipedia titles (``Georgia (country)``), former countries as Wikipedia names
  them, partially recognised states counted as countries, constituent
  countries of the United Kingdom (treated as territories, i.e. optional).

Status of a name: ``sovereign`` (incl. Taiwan, Kosovo, Palestine, Vatican),
``former``, ``territory`` (dependent territories, Hong Kong, England ...).
Lookups are case-sensitive on the name as written (``US`` is a country,
``us`` is not), after normalising curly apostrophes and spaces.
"""

from __future__ import annotations

import csv
import json
import os
import re

# Treated as sovereign although mledoze marks them not independent.
PARTIAL_STATES = {"TWN", "XKX", "PSE", "ESH"}

EXTRA_NAMES = {
    # short forms and spellings common in news text
    "USA": ["U.S.", "U.S", "U.S.A.", "US", "USA", "America", "United States", "the United States",
            "United States of America"],
    "GBR": ["U.K.", "UK", "Britain", "Great Britain", "United Kingdom"],
    "RUS": ["Russian Federation"],
    "KOR": ["Korea, South", "Republic of Korea"],
    "PRK": ["Korea, North", "DPRK"],
    "NLD": ["Holland", "The Netherlands", "the Netherlands"],
    "CZE": ["Czech Republic", "Czechia"],
    "GEO": ["Georgia (country)"],
    "IRL": ["Republic of Ireland"],
    "GMB": ["The Gambia", "the Gambia"],
    "BHS": ["The Bahamas", "the Bahamas"],
    "COG": ["Republic of the Congo", "Congo-Brazzaville"],
    "COD": ["Democratic Republic of the Congo", "Congo-Kinshasa"],
    "FSM": ["Federated States of Micronesia"],
    "TLS": ["East Timor"],
    "MKD": ["Macedonia", "Republic of Macedonia"],
    "SWZ": ["Swaziland"],
    "CPV": ["Cape Verde"],
    "PSE": ["State of Palestine", "Palestinian territories"],
    "CHN": ["People's Republic of China", "PRC"],
    "TWN": ["Republic of China"],
    "XKX": ["Kosovo"],
    "VAT": ["Holy See", "Vatican"],
    "MMR": ["Burma"],
    "ARE": ["UAE", "U.A.E."],
}

FORMER = {
    "SUN": ["Soviet Union", "USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"],
    "YUG": ["Yugoslavia", "Socialist Federal Republic of Yugoslavia", "Federal Republic of Yugoslavia"],
    "CSK": ["Czechoslovakia"],
    "DDR": ["East Germany", "German Democratic Republic"],
    "DEU-W": ["West Germany"],
    "SCG": ["Serbia and Montenegro"],
    "ZAR": ["Zaire"],
    "RHO": ["Rhodesia", "Southern Rhodesia"],
    "VDR": ["North Vietnam"],
    "VNM-S": ["South Vietnam"],
    "YMD": ["South Yemen"],
    "OTT": ["Ottoman Empire"],
    "AUH": ["Austria-Hungary"],
    "PRU": ["Prussia"],
    "DHY": ["Dahomey"],
    "HVO": ["Upper Volta"],
}

# Constituent countries, regions and other places that a country tagger may
# reasonably treat as countries: optional in the gold.
TERRITORY_EXTRA = {
    "ENG": ["England"], "SCT": ["Scotland"], "WLS": ["Wales"], "NIR": ["Northern Ireland"],
    "HKG": ["Hong Kong"], "MAC": ["Macau", "Macao"],
    "BES": ["Bonaire", "Sint Eustatius", "Saba"],
    "PSE": ["West Bank", "Gaza", "Gaza Strip", "Palestinian Territories", "Palestinian territories"],
}


def _norm(s: str) -> str:
    s = s.replace("\u2019", "'").replace("_", " ")
    return re.sub(r"\s+", " ", s).strip()


def plural_demonym(d: str) -> list:
    """English plural forms of a demonym: American -> Americans, Israeli -> Israelis."""
    if d.endswith(("an", "i", "on", "er", "ite")):
        return [d + "s"]
    return []


class CountryLexicon:
    def __init__(self):
        self.names = {}      # normalised name -> (iso3, status)
        self.demonyms = {}   # normalised demonym -> set of iso3 (sovereign preferred)
        self.globs = []      # (compiled pattern, iso3): newsmap demonym globs ("Slovenian*")
        self.display = {}    # iso3 -> display name

    # -- building

    def add_name(self, name: str, iso3: str, status: str):
        n = _norm(name)
        if not n:
            return
        old = self.names.get(n)
        rank = {"sovereign": 0, "former": 1, "territory": 2}
        if old is None or rank[status] < rank[old[1]]:
            self.names[n] = (iso3, status)

    def add_demonym(self, dem: str, iso3: str):
        d = _norm(dem)
        if not d or not d[0].isupper():
            return
        for form in [d] + plural_demonym(d):
            self.demonyms.setdefault(form, set()).add(iso3)

    # -- lookups

    def lookup(self, text: str):
        """(iso3, status) of a country name as written, or None."""
        t = _norm(text)
        hit = self.names.get(t)
        if hit is None and t.lower().startswith("the "):
            hit = self.names.get(t[4:])
        return hit

    def lookup_title(self, title: str):
        """(iso3, status) of a Wikipedia title (``United_States``), or None."""
        return self.lookup(title)

    def add_glob(self, glob: str, iso3: str):
        """A demonym glob of newsmap ("Kenyan*"): the stem and up to three more letters."""
        stem = _norm(glob.rstrip("*"))
        if len(stem) >= 5 and stem[0].isupper():
            self.globs.append((re.compile(re.escape(stem) + r"[a-z]{0,3}"), iso3))

    def demonym(self, text: str):
        """Sorted iso3 codes a demonym may stand for (sovereign ones when any), or []."""
        t = _norm(text)
        codes = self.demonyms.get(t)
        if not codes and self.globs and t not in self.names:
            codes = {c for pat, c in self.globs if pat.fullmatch(t)}
        if not codes:
            return []
        sov = [c for c in codes if self.status(c) == "sovereign"]
        return sorted(sov or codes)

    def status(self, iso3: str) -> str:
        """Best status of any name of iso3 ("" when unknown)."""
        if not hasattr(self, "_status") or len(self._status_src) != len(self.names):
            rank = {"sovereign": 0, "former": 1, "territory": 2}
            st = {}
            for c, s in self.names.values():
                if c not in st or rank[s] < rank[st[c]]:
                    st[c] = s
            self._status, self._status_src = st, dict(self.names)
        return self._status.get(iso3, "")

    def max_demonym_words(self) -> int:
        return max((len(d.split()) for d in self.demonyms), default=1)


def load_reference(data_dir: str) -> CountryLexicon:
    """Build the reference lexicon from ``data_dir`` (the ``../shared/data`` folder)."""
    lex = CountryLexicon()
    cca2 = {}
    with open(os.path.join(data_dir, "A_mledoze_countries", "countries.json"), encoding="utf-8") as fh:
        records = json.load(fh)
    for c in records:
        iso3 = {"UNK": "XKX"}.get(c["cca3"], c["cca3"])   # Kosovo: the usual user-assigned code
        sov = bool(c.get("independent")) or iso3 in PARTIAL_STATES
        status = "sovereign" if sov else "territory"
        cca2[c["cca2"]] = iso3
        lex.display[iso3] = c["name"]["common"]
        names = [c["name"]["common"], c["name"]["official"]]
        names += [a for a in c.get("altSpellings", []) if len(a) > 2 and a.isascii()]
        for n in names:
            lex.add_name(n, iso3, status)
        dem = (c.get("demonyms") or {}).get("eng") or {}
        for k in ("m", "f"):
            for part in (dem.get(k) or "").split(","):
                lex.add_demonym(part, iso3)
    i18n = os.path.join(data_dir, "A_i18n_iso_countries", "en.json")
    if os.path.exists(i18n):
        with open(i18n, encoding="utf-8") as fh:
            data = json.load(fh)["countries"]
        for code, val in sorted(data.items()):
            iso3 = cca2.get(code)
            if not iso3:
                continue
            status = lex.lookup(lex.display[iso3])[1]
            for n in (val if isinstance(val, list) else [val]):
                lex.add_name(n, iso3, status)
    for iso3, names in EXTRA_NAMES.items():
        if iso3 not in lex.display and names:
            lex.display[iso3] = names[0]
        for n in names:
            lex.add_name(n, iso3, "sovereign")
    for iso3, names in FORMER.items():
        lex.display.setdefault(iso3, names[0])
        for n in names:
            lex.add_name(n, iso3, "former")
    former_path = os.path.join(data_dir, "A_iso_codes_debian", "iso_3166-3.json")
    if os.path.exists(former_path):
        with open(former_path, encoding="utf-8") as fh:
            for rec in json.load(fh)["3166-3"]:
                name = rec["name"].split(",")[0]
                lex.display.setdefault(rec["alpha_3"], name)
                if _norm(name) not in lex.names:
                    lex.add_name(name, rec["alpha_3"], "former")
    newsmap = os.path.join(data_dir, "A_newsmap", "english.yml")
    if os.path.exists(newsmap):
        with open(newsmap, encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r"\s*'([A-Z]{2})':\s*\[(.*)\]", line)
                if not m or m.group(1) not in cca2:
                    continue
                for item in m.group(2).split(","):
                    item = item.strip()
                    if item.endswith("*"):
                        lex.add_glob(item, cca2[m.group(1)])
    for iso3, names in TERRITORY_EXTRA.items():
        lex.display.setdefault(iso3, names[0])
        for n in names:
            lex.add_name(n, iso3, "territory")
    # demonyms used in news that mledoze lacks
    for dem, iso3 in (("Briton", "GBR"), ("Brit", "GBR"), ("Soviet", "SUN"), ("Yugoslav", "YUG"),
                      ("Palestinian", "PSE"), ("Kosovar", "XKX"), ("Filipino", "PHL"),
                      ("Argentinian", "ARG"), ("Argentine", "ARG"), ("Emirati", "ARE"),
                      ("Saudi", "SAU"), ("Saudi Arabian", "SAU")):
        lex.add_demonym(dem, iso3)
    # words that are demonyms as well as alternative names ("Thai", "Togolese",
    # "Saudi") count as demonyms; a country's common name stays a name
    # ("Djibouti", "Vatican")
    commons = {_norm(c["name"]["common"]) for c in records}
    for n in [n for n in lex.names if n in lex.demonyms and n not in commons and n != "Vatican"]:
        del lex.names[n]
    return lex


def load_gazetteer_countries(path: str):
    """Country aliases of a cotag gazetteer file (``countries.tsv``).

    Returns (names, demonyms): dicts alias -> id. Only rows of type country.
    """
    names, demonyms = {}, {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [line for line in fh if not line.startswith("#")]
    for row in csv.DictReader(rows, delimiter="\t"):
        if (row.get("type") or "").strip() != "country":
            continue
        alias = _norm(row.get("alias") or "")
        if not alias:
            continue
        target = demonyms if (row.get("kind") or "").strip() == "demonym" else names
        target.setdefault(alias, (row.get("id") or "").strip())
    return names, demonyms


def extend_with_gazetteer(lex: CountryLexicon, path: str, replace: bool = False) -> CountryLexicon:
    """Add the country aliases of a cotag gazetteer file to lex (``replace``:
    use only the gazetteer's). Aliases of ids the reference knows keep its
    status; other ids count as sovereign."""
    names, demonyms = load_gazetteer_countries(path)
    out = CountryLexicon() if replace else lex
    if replace:
        out.display = dict(lex.display)
    for alias, cid in sorted(names.items()):
        if not replace and _norm(alias) in lex.names:
            continue
        st = lex.status(cid) or "sovereign"
        out.add_name(alias, cid, st)
    for alias, cid in sorted(demonyms.items()):
        if not replace and _norm(alias) in lex.demonyms:
            continue
        d = _norm(alias)
        if d and d[0].isupper():
            out.demonyms.setdefault(d, set()).add(cid)
    return out
