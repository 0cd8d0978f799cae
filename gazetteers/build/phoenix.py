"""Parser for PETRARCH2/Phoenix CAMEO actor dictionaries and name re-casing helpers."""

import datetime
import re

CODE_RE = re.compile(r"\[([^\]]*)\]")

# words kept lowercase inside names (not at the start)
LOWER_WORDS = {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "de", "du", "des",
               "la", "le", "les", "et", "del", "della", "di", "da", "do", "dos", "das", "von",
               "van", "der", "den", "y", "e", "al", "el", "bin", "ibn", "bint", "ter", "zu", "with"}
NAME_PARTICLES = {"de", "du", "des", "del", "della", "di", "da", "do", "dos", "das", "von", "van",
                  "der", "den", "ter", "al", "el", "bin", "ibn", "bint", "y", "zu", "ben", "binti",
                  "la", "le"}
MAC_NAMES = {"MACDONALD", "MACARTHUR", "MACKENZIE", "MACLEOD", "MACMILLAN", "MACGREGOR",
             "MACKAY", "MACNEIL", "MACLEAN", "MACINTYRE", "MACAULAY", "MACDONNELL", "MACKINNON",
             "MACFARLANE", "MACPHERSON", "MACASKILL", "MACSHANE", "MACGUIRE"}


def parse_date(s):
    """CAMEO date: YYMMDD or YYYYMMDD -> ISO; None when malformed."""
    s = s.strip()
    if len(s) == 6:
        yy = int(s[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        m, d = int(s[2:4]), int(s[4:6])
    elif len(s) == 8:
        year, m, d = int(s[:4]), int(s[4:6]), int(s[6:8])
    else:
        return None
    if m == 0:
        m = 1
    if d == 0:
        d = 1
    for dd in (d, 30, 29, 28):
        try:
            return datetime.date(year, m, min(d, dd)).isoformat()
        except ValueError:
            continue
    return None


def parse_code(c):
    """'USAGOV 930120-010120' -> (code, from, to). '>d' = from, '<d' = to."""
    c = c.strip()
    parts = c.split()
    if not parts:
        return None
    code = parts[0]
    frm = to = ""
    if len(parts) > 1:
        rng = parts[1]
        if rng.startswith(">"):
            frm = parse_date(rng[1:]) or ""
        elif rng.startswith("<"):
            to = parse_date(rng[1:]) or ""
        elif "-" in rng:
            a, b = rng.split("-", 1)
            frm = parse_date(a) or ""
            to = parse_date(b) or ""
            if not frm or not to:
                return (code, "", "", False)
        else:
            return (code, "", "", False)
    return (code, frm, to, True)


def phrase(s):
    s = s.strip().replace(" ", "_")
    toks = [t for t in s.split("_") if t]
    return toks


def read_actors(path):
    """Yield entries: {'primary': [tokens], 'aliases': [[tokens]...], 'codes': [...], 'comment': str}."""
    entries = []
    cur = None
    for raw in open(path, encoding="utf-8", errors="replace"):
        line = raw.rstrip("\n").rstrip("\r")
        comment = ""
        if "#" in line:
            line, comment = line.split("#", 1)
        if not line.strip():
            if comment and cur is not None:
                cur["comment"] += " " + comment
            continue
        codes = CODE_RE.findall(line)
        text = CODE_RE.sub(" ", line)
        if line[0] in " \t":
            if cur is not None:
                cur["codes"] += codes
                cur["comment"] += " " + comment
                # a stray indented name (seen in the data) is treated as an alias
                if text.strip():
                    cur["aliases"].append(phrase(text))
            continue
        if line.startswith("+"):
            if cur is not None:
                t = phrase(text[1:])
                if t:
                    cur["aliases"].append(t)
                cur["codes"] += codes
                cur["comment"] += " " + comment
            continue
        cur = {"primary": phrase(text), "aliases": [], "codes": codes, "comment": comment}
        entries.append(cur)
    for e in entries:
        e["codes"] = [p for p in (parse_code(c) for c in e["codes"]) if p]
    return [e for e in entries if e["primary"]]


# Initials of states and unions that open or fill organizations' names in capitals
# ('US_AIRWAYS', 'UK_HOME_OFFICE', 'EU_COMMISSION'): kept in capitals.
COUNTRY_INITIALS = {"US", "USA", "UK", "UN", "EU", "UAE", "DPRK", "PRC", "ROK"}


def recase_token(tok, first, acronyms=(), person=False):
    """Re-case one ALL-CAPS token: 'AL-ASSAD' -> 'al-Assad', "O'BRIEN" -> "O'Brien"."""
    if not tok.isupper() and any(c.islower() for c in tok):
        return tok  # already mixed case in the source
    bare = tok.strip(".,()")
    if re.fullmatch(r"(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI)", tok) and not first:
        return tok  # regnal numbers
    if bare in acronyms or (re.fullmatch(r"([A-Z]\.)+", tok)):
        return tok
    if bare in COUNTRY_INITIALS and not person:
        return tok  # 'US_SENATE' -> 'US Senate', not 'Us Senate'
    if re.fullmatch(r"[A-Z]{1,3}&[A-Z]{1,3}", bare):
        return tok  # initials joined by '&' ("AT&T", "S&P", "P&G"), not "At&t"

    low = tok.lower()
    if not first and low in (NAME_PARTICLES if person else LOWER_WORDS):
        return low
    # hyphenated parts: 'al-assad' -> 'al-Assad', 'ki-moon' -> 'Ki-moon'
    if "-" in tok:
        parts = tok.split("-")
        out = []
        for i, p in enumerate(parts):
            pl = p.lower()
            if i == 0 and pl in ("al", "el", "ad", "as", "ash", "at", "az", "an", "ar") and len(parts) > 1:
                out.append(pl if not first else pl.capitalize())
            elif i == 0:
                out.append(recase_token(p, True, acronyms, person))
            else:
                out.append(recase_token(p, True, acronyms, person))
        return "-".join(out)
    if "'" in tok and len(tok) > 2:
        a, b = tok.split("'", 1)
        if len(a) == 1:  # O'BRIEN, D'ALEMA
            return a.upper() + "'" + b[:1].upper() + b[1:].lower()
        return a.capitalize() + "'" + b.lower()
    if tok.startswith("MC") and len(tok) > 3 and tok[2].isalpha():
        return "Mc" + tok[2].upper() + tok[3:].lower()
    if tok in MAC_NAMES:
        return "Mac" + tok[3].upper() + tok[4:].lower()
    if low[:1].isdigit():
        return low  # '1ST', '20TH', '1920S'
    # capitalize the first letter (after any leading punctuation)
    for i, ch in enumerate(low):
        if ch.isalpha():
            return low[:i] + ch.upper() + low[i + 1:]
    return low


def recase(tokens, acronyms=(), person=False):
    return " ".join(recase_token(t, i == 0, acronyms, person) for i, t in enumerate(tokens))
