"""Read GUM CoNLL-U documents: plain text with character offsets, and entity mentions.

Shared by ``scripts/build_sample_corpus.py`` (which writes the text to
``corpus/``) and ``eval/evaluate.py`` (which reads the gold mentions), so that
the gold offsets point into exactly the text that cotag reads.

Standard library only.

Text reconstruction
-------------------
* Each sentence's string is its ``# text =`` line; the tokens are aligned to it
  in order (only whitespace may lie between tokens). When a sentence has no
  ``# text`` or the tokens do not align, the tokens are joined with a space
  unless ``SpaceAfter=No``.
* Multiword tokens (``14-15  I've``) contribute their surface form once; their
  words get offsets inside it when the word forms spell the surface form, else
  the whole surface span.
* Empty nodes (``12.1``) are ignored.
* Sentences of one paragraph are joined with one space (a newline after a
  poem line, ``XML=...</l>``); ``# newpar`` (and the first sentence) starts a
  paragraph; paragraphs are separated by a blank line; the file ends with a
  newline.
* When the document does not open with a heading block (``# newpar_block =
  head``), ``# meta::title`` is written as the first paragraph; that title
  carries no annotation and is reported in ``Document.unannotated``.

Entity annotation
-----------------
``Entity=`` in MISC (CorefUD bracket notation, GUM flavour)::

    (ID-etype-infstat-salience-centering-minspan-link[-identity]   opens
    ID)                                                            closes
    (ID-...)                                                       one token

``identity`` is the Wikipedia title, percent-encoded (``%28`` for ``(``,
``%2D`` for ``-``); it is decoded here. Mentions nest and may share tokens.
"""

from __future__ import annotations

import dataclasses
import os
import re
import urllib.parse
from typing import Iterable

ENTITY_FIELDS = ("eid", "etype", "infstat", "salience", "centering", "minspan", "link", "identity")


@dataclasses.dataclass
class Token:
    """A syntactic word (or the surface form of a multiword token for offsets)."""

    index: int          # position in Document.tokens
    sent: int           # sentence index in the document (0-based)
    wid: int            # word id in the sentence (1-based)
    form: str
    lemma: str
    upos: str
    xpos: str
    head: int           # word id of the syntactic head, 0 for root, -1 unknown
    deprel: str
    misc: dict
    start: int = 0      # code point offsets into Document.text, end exclusive
    end: int = 0


@dataclasses.dataclass
class Mention:
    eid: str
    etype: str
    infstat: str
    salience: str
    centering: str
    minspan: str
    link: str
    identity: str       # decoded Wikipedia title, "" when none
    sent: int
    tok_start: int      # index into Document.tokens, inclusive
    tok_end: int        # exclusive
    start: int = 0      # code point offsets into Document.text
    end: int = 0
    text: str = ""


@dataclasses.dataclass
class Document:
    id: str
    meta: dict
    text: str = ""
    tokens: list = dataclasses.field(default_factory=list)
    mentions: list = dataclasses.field(default_factory=list)
    sentences: list = dataclasses.field(default_factory=list)   # (start, end, first_tok, end_tok)
    paragraphs: list = dataclasses.field(default_factory=list)  # (start, end)
    unannotated: list = dataclasses.field(default_factory=list)  # (start, end) spans with no annotation

    @property
    def title(self) -> str:
        return self.meta.get("title", "")

    @property
    def date(self) -> str:
        """Publication date YYYY-MM-DD (``meta::dateCreated``), or ""."""
        d = self.meta.get("dateCreated", "")
        return d if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) else ""

    def relpath(self, layout: str = "nested") -> str:
        """Path of the document's text file inside the corpus folder."""
        name = self.id + ".txt"
        if not self.date:
            return "undated/" + name
        if layout == "flat":
            return self.date + "/" + name
        y, m, d = self.date.split("-")
        return f"{y}/{m}/{d}/{name}"


# ---------------------------------------------------------------- parsing


def parse_misc(field: str) -> dict:
    if field in ("_", ""):
        return {}
    out = {}
    for part in field.split("|"):
        k, sep, v = part.partition("=")
        out[k] = v if sep else ""
    return out


_OPEN_CLOSE = re.compile(r"\(([^()]+)(\))?|([^()|]+)\)")


def parse_entity_field(value: str) -> list:
    """Parse an ``Entity=`` value into events, in order.

    Returns a list of ``("open", fields, single)`` and ``("close", eid)``,
    where ``fields`` is a dict of ENTITY_FIELDS and ``single`` tells that the
    mention opens and closes on this token.
    """
    events = []
    pos = 0
    while pos < len(value):
        m = _OPEN_CLOSE.match(value, pos)
        if not m:
            raise ValueError(f"bad Entity value {value!r} at {pos}")
        if m.group(1) is not None:
            parts = m.group(1).split("-")
            fields = dict(zip(ENTITY_FIELDS, parts[:7]))
            for k in ENTITY_FIELDS[:7]:
                fields.setdefault(k, "")
            # identity is percent-encoded, so it holds no '-' in GUM; join
            # defensively all the same.
            ident = "-".join(parts[7:])
            fields["identity"] = urllib.parse.unquote(ident) if ident else ""
            events.append(("open", fields, m.group(2) is not None))
        else:
            events.append(("close", m.group(3)))
        pos = m.end()
    return events


def _align(sentence_text: str, forms: list) -> list | None:
    """Offsets of each surface form in sentence_text, or None if they do not align."""
    spans = []
    pos = 0
    for form in forms:
        while pos < len(sentence_text) and sentence_text[pos].isspace():
            pos += 1
        if not sentence_text.startswith(form, pos):
            return None
        spans.append((pos, pos + len(form)))
        pos += len(form)
    if sentence_text[pos:].strip():
        return None
    return spans


class _Sentence:
    def __init__(self):
        self.comments = {}
        self.newpar = False
        self.block = ""
        self.units = []   # surface units: (form, space_after, [word rows])
        self.words = []   # word rows (list of 10 fields)


def _read_blocks(lines: Iterable[str]):
    """Yield (doc_meta_updates, sentence) pairs; doc boundaries via '# newdoc'."""
    sent = _Sentence()
    pending_mwt = None  # (first, last, form, space_after, rows)
    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip():
            if sent.words or sent.comments:
                yield sent
            sent = _Sentence()
            pending_mwt = None
            continue
        if line.startswith("#"):
            body = line[1:].strip()
            if body == "newpar" or body.startswith("newpar "):
                sent.newpar = True
            key, sep, val = body.partition("=")
            key = key.strip()
            if sep:
                if key == "newpar_block":
                    sent.newpar = True
                    sent.block = val.strip()
                elif key == "newpar id" or key.startswith("newpar"):
                    sent.newpar = True
                sent.comments.setdefault(key, val.strip())
                if key == "speaker":
                    sent.comments["speaker"] = val.strip()
            elif body.startswith("newdoc"):
                sent.comments["newdoc id"] = ""
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ValueError(f"bad CoNLL-U line: {line!r}")
        tid = cols[0]
        if "." in tid:
            continue  # empty node
        misc = parse_misc(cols[9])
        if "-" in tid:
            a, b = (int(x) for x in tid.split("-"))
            pending_mwt = [a, b, cols[1], misc.get("SpaceAfter") != "No", []]
            sent.units.append(pending_mwt)
            continue
        sent.words.append(cols)
        wid = int(tid)
        if pending_mwt is not None and pending_mwt[0] <= wid <= pending_mwt[1]:
            pending_mwt[4].append(cols)
            continue
        pending_mwt = None
        sent.units.append([wid, wid, cols[1], misc.get("SpaceAfter") != "No", [cols]])
    if sent.words or sent.comments:
        yield sent


def parse_conllu(lines: Iterable[str] | str) -> list:
    """Parse CoNLL-U text (a string or an iterable of lines) into Documents."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    docs = []
    doc_sents = []
    meta = {}
    doc_id = None

    def flush():
        if doc_sents:
            docs.append(_build_document(doc_id or "doc", meta, doc_sents))

    for sent in _read_blocks(lines):
        if "newdoc id" in sent.comments:
            flush()
            doc_id = sent.comments["newdoc id"] or f"doc{len(docs) + 1}"
            meta = {}
            doc_sents = []
        for k, v in sent.comments.items():
            if k.startswith("meta::"):
                meta[k[6:]] = v
        if sent.words:
            doc_sents.append(sent)
    flush()
    return docs


def _build_document(doc_id: str, meta: dict, sents: list) -> Document:
    doc = Document(id=doc_id, meta=dict(meta))
    pieces = []       # strings appended to the text
    length = 0        # code points so far

    def emit(s: str):
        nonlocal length
        pieces.append(s)
        length += len(s)

    first_block = sents[0].block if sents else ""
    starts_with_heading = first_block.split(" ")[0] == "head" if first_block else False
    title = meta.get("title", "").strip()
    if title and not starts_with_heading:
        emit(title)
        doc.unannotated.append((0, length))
        doc.paragraphs.append((0, length))

    para_start = None
    prev_sep = " "
    remaining = None     # sentences left in the current block, when its size is known
    open_mentions = {}   # eid -> stack of Mention
    for si, sent in enumerate(sents):
        new_par = sent.newpar or si == 0 or remaining == 0
        if sent.newpar:
            # innermost block of e.g. 'sp who:::"#X" (10 s) | p (3 s)'
            sizes = re.findall(r"\((\d+) s\)", sent.block.split("|")[-1])
            remaining = int(sizes[-1]) if sizes else None
        elif new_par:
            remaining = None
        if remaining is not None:
            remaining -= 1
        if new_par:
            if para_start is not None:
                doc.paragraphs.append((para_start, length))
            if length:
                emit("\n\n")
            para_start = length
        elif length:
            emit(prev_sep)
        # sentence string and unit offsets
        forms = [u[2] for u in sent.units]
        stext = sent.comments.get("text")
        spans = _align(stext, forms) if stext is not None else None
        if spans is None:
            parts = []
            spans = []
            pos = 0
            for ui, u in enumerate(sent.units):
                spans.append((pos, pos + len(u[2])))
                parts.append(u[2])
                pos += len(u[2])
                if u[3] and ui < len(sent.units) - 1:
                    parts.append(" ")
                    pos += 1
            stext = "".join(parts)
        # a poem line (XML=...</l>) ending inside a sentence ends with a
        # newline instead of the space (same length: offsets stay valid)
        chars = list(stext)
        for u, (us, ue) in zip(sent.units[:-1], spans[:-1]):
            if u[4] and "</l>" in parse_misc(u[4][-1][9]).get("XML", "") and ue < len(chars) and chars[ue] == " ":
                chars[ue] = "\n"
        stext = "".join(chars)
        base = length
        emit(stext)
        sent_tok_start = len(doc.tokens)
        wid2index = {}
        for u, (us, ue) in zip(sent.units, spans):
            rows = u[4]
            joined = "".join(r[1] for r in rows)
            offs = []
            if joined == u[2]:
                p = us
                for r in rows:
                    offs.append((p, p + len(r[1])))
                    p += len(r[1])
            else:
                offs = [(us, ue)] * len(rows)
            for r, (ws, we) in zip(rows, offs):
                head = int(r[6]) if r[6].isdigit() else -1
                tok = Token(index=len(doc.tokens), sent=si, wid=int(r[0]), form=r[1], lemma=r[2],
                            upos=r[3], xpos=r[4], head=head, deprel=r[7], misc=parse_misc(r[9]),
                            start=base + ws, end=base + we)
                wid2index[tok.wid] = tok.index
                doc.tokens.append(tok)
        doc.sentences.append((base, length, sent_tok_start, len(doc.tokens)))
        # entities
        for tok in doc.tokens[sent_tok_start:]:
            ent = tok.misc.get("Entity")
            if not ent:
                continue
            for ev in parse_entity_field(ent):
                if ev[0] == "open":
                    f = ev[1]
                    m = Mention(eid=f["eid"], etype=f["etype"], infstat=f["infstat"], salience=f["salience"],
                                centering=f["centering"], minspan=f["minspan"], link=f["link"],
                                identity=f["identity"], sent=si, tok_start=tok.index, tok_end=tok.index + 1)
                    if ev[2]:
                        _finish(doc, m, tok)
                    else:
                        open_mentions.setdefault(m.eid, []).append(m)
                else:
                    stack = open_mentions.get(ev[1])
                    if not stack:
                        raise ValueError(f"{doc_id}: closing unopened entity {ev[1]} at {tok.form!r}")
                    _finish(doc, stack.pop(), tok)
        last = doc.tokens[-1] if len(doc.tokens) > sent_tok_start else None
        prev_sep = "\n" if last is not None and "</l>" in last.misc.get("XML", "") else " "
    if para_start is not None:
        doc.paragraphs.append((para_start, length))
    leftover = [m for st in open_mentions.values() for m in st]
    if leftover:
        raise ValueError(f"{doc_id}: unclosed entities {[m.eid for m in leftover]}")
    emit("\n")
    doc.text = "".join(pieces)
    doc.mentions.sort(key=lambda m: (m.start, -m.end, m.tok_start, int(m.eid) if m.eid.isdigit() else 0))
    return doc


def _finish(doc: Document, m: Mention, last_tok: Token):
    m.tok_end = last_tok.index + 1
    m.start = doc.tokens[m.tok_start].start
    m.end = last_tok.end
    doc.mentions.append(m)


def finalize_text(doc: Document):
    for m in doc.mentions:
        m.text = doc.text[m.start:m.end]


def read_file(path: str) -> list:
    with open(path, encoding="utf-8") as fh:
        docs = parse_conllu(fh)
    for d in docs:
        finalize_text(d)
    return docs


def read_folder(folder: str, prefixes=("GUM_news_", "GUM_interview_")) -> list:
    """All documents of the ``*.conllu`` files in folder whose names start with one of prefixes, by name."""
    docs = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".conllu") and (not prefixes or name.startswith(tuple(prefixes))):
            docs.extend(read_file(os.path.join(folder, name)))
    return docs


def parse_string(text: str) -> list:
    docs = parse_conllu(text)
    for d in docs:
        finalize_text(d)
    return docs


# ---------------------------------------------------------------- mention helpers


def mention_tokens(doc: Document, m: Mention) -> list:
    return doc.tokens[m.tok_start:m.tok_end]


def head_token(doc: Document, m: Mention) -> Token:
    """The syntactic head of a mention: its first token whose head lies outside the span."""
    toks = mention_tokens(doc, m)
    wids = {t.wid for t in toks}
    cands = [t for t in toks if t.head not in wids and t.upos != "PUNCT"]
    if not cands:
        cands = [t for t in toks if t.upos != "PUNCT"] or toks
    return cands[0]


def is_proper(tok: Token) -> bool:
    return tok.upos == "PROPN" or tok.xpos in ("NNP", "NNPS")


# ---------------------------------------------------------------- named mentions

# Words that precede a person's name without being part of it.
TITLE_WORDS = {
    "President", "Vice", "Prime", "Minister", "Secretary", "General", "Gen.", "Mr", "Mr.", "Mrs", "Mrs.",
    "Ms", "Ms.", "Miss", "Dr", "Dr.", "Prof", "Prof.", "Professor", "Sir", "Dame", "Lord", "Lady", "King",
    "Queen", "Prince", "Princess", "Pope", "Senator", "Sen.", "Governor", "Gov.", "Rep.", "Representative",
    "Congressman", "Congresswoman", "Mayor", "Judge", "Justice", "Chief", "Administrator", "Director",
    "Chairman", "Chairwoman", "Chair", "Chancellor", "Captain", "Capt.", "Colonel", "Col.", "Lieutenant",
    "Lt.", "Sergeant", "Sgt.", "Admiral", "Adm.", "Commander", "Major", "Maj.", "Officer", "Sheriff",
    "Rev.", "Reverend", "Father", "Brother", "Sister", "Rabbi", "Imam", "Sheikh", "Ayatollah", "Emperor",
    "Empress", "Sultan", "Emir", "Crown", "Ambassador", "Commissioner", "Speaker", "Deputy", "Assistant",
    "Attorney", "Councillor", "Councilor", "Coach", "CEO", "Founder", "Former", "Then", "Late", "Ex",
    "Foreign", "Interior", "Defence", "Defense", "Home", "Finance", "State", "Supreme", "Leader", "Premier",
    "Chief Executive", "Executive", "Head", "Editor", "Spokesman", "Spokeswoman", "Dean", "Cardinal",
    "Bishop", "Archbishop", "Saint", "St.", "Detective", "Inspector", "Constable", "Superintendent",
    "High", "Undersecretary", "Shadow", "Team", "Manager", "Spokesperson", "MP", "Councilman", "Major",
}
_TITLE_LOWER = {w.lower() for w in TITLE_WORDS}


def is_title(word: str) -> bool:
    return word.lower() in _TITLE_LOWER

CONNECTORS = {"of", "and", "&", "for", "the", "de", "du", "des", "la", "le", "van", "von", "der", "den",
              "al", "el", "bin", "da", "di", "del", "y", "at", "on", "upon", "-", "'s", "\u2019s", "d'"}

_NON_NAME_UPOS = {"PRON", "DET", "ADP", "CCONJ", "SCONJ", "PUNCT", "AUX", "PART", "SYM", "INTJ"}


def is_name_like(tok: Token) -> bool:
    """A token that can be part of a proper name: a proper noun, or capitalised content word."""
    if is_proper(tok):
        return True
    f = tok.form
    return bool(f) and f[0].isupper() and tok.upos not in _NON_NAME_UPOS


def nested_other(doc: Document, m: Mention) -> list:
    """Token ranges (start, end) of mentions of other entities nested inside m,
    without leading determiners or connectors and trailing possessives or
    punctuation ("the Refugee Council" -> "Refugee Council", "Italy's" -> "Italy")."""
    out = []
    for o in doc.mentions:
        if o is m or o.eid == m.eid:
            continue
        if m.tok_start <= o.tok_start and o.tok_end <= m.tok_end and (o.tok_start, o.tok_end) != (m.tok_start, m.tok_end):
            out.append(_trim_range(doc, o.tok_start, o.tok_end))
    return out


def _trim_range(doc: Document, s: int, e: int):
    toks = doc.tokens
    while s < e - 1 and (toks[s].upos == "DET" or toks[s].form in CONNECTORS):
        s += 1
    while e > s + 1 and (toks[e - 1].upos in ("PART", "PUNCT") or toks[e - 1].form in CONNECTORS):
        e -= 1
    return s, e


def _inner_name_like(tok: Token) -> bool:
    """Inside a run, any capitalised token continues a name ("Make-A-Wish")."""
    if is_name_like(tok):
        return True
    return bool(tok.form) and tok.form[0].isupper() and tok.upos != "PUNCT"


def _runs(doc: Document, m: Mention, nested: list, nested_types: dict | None = None) -> list:
    """Maximal name runs (token index ranges) inside mention m.

    A run is a sequence of name-like tokens, possibly joined by up to three
    connectors ("of the", "&", "-", "'s"), holding at least one proper noun.
    A run stops before a possessive of a nested name ("Saudi Arabia's Civil
    Defense Authority") and before a connector that introduces a nested
    organization or person ("Centre for Social Evolution at the University
    of Copenhagen", "Cloud9 and Immortals").
    """
    toks = doc.tokens
    nested_types = nested_types or {}
    covers = {}
    for ns, ne in nested:
        for x in range(ns, ne):
            covers.setdefault(x, []).append((ns, ne))
    starts_other = {ns for (ns, ne), et in nested_types.items() if et in ("organization", "person")}
    runs = []
    i = m.tok_start
    while i < m.tok_end:
        if not is_name_like(toks[i]):
            i += 1
            continue
        j = i + 1
        while j < m.tok_end:
            if _inner_name_like(toks[j]) or (toks[j].upos == "NUM" and toks[j].sent == toks[j - 1].sent):
                j += 1
                continue
            # up to three connectors followed by a name-like token
            k = j
            while k < m.tok_end and k - j < 3 and toks[k].form in CONNECTORS:
                k += 1
            if k == j or k >= m.tok_end or not _inner_name_like(toks[k]):
                break
            conn = [t.form for t in toks[j:k]]
            if any(c in ("'s", "\u2019s") for c in conn) and ((j - 1) in covers or j in covers):
                break  # possessive of a nested name
            if k in starts_other and conn[0] in ("at", "and", "&") and not any(ns <= j - 1 < ne for ns, ne in covers.get(k, [])):
                break  # connector introducing another organization or person
            j = k
        if any(is_proper(t) for t in toks[i:j]):
            runs.append((i, j))
        i = j
    return runs


def _strip_person(toks: list, s: int, e: int, nested: list):
    """Drop what precedes a person's name in a run: titles, nested names of
    other entities ("NASA Administrator Charles Bolden", "CEO of the Refugee
    Council Enver Solomon"); cut what follows ("Priscilla Leung of BPA").
    After a title and "of", only a nested name may follow before the person's
    name ("Secretary of State" is a title, not a name)."""
    passed_of = False
    while s < e:
        hit = max(((ne, ns) for ns, ne in nested if ns == s and ne <= e), default=None)
        if hit:
            s, passed_of = hit[0], False
            while s < e and toks[s].form in CONNECTORS:
                s += 1
            continue
        if passed_of:
            return e, e
        if s < e - 1 and (is_title(toks[s].form) or toks[s].form in CONNECTORS or toks[s].upos == "ADJ"):
            # titles, and adjectives such as demonyms ("Afghan Ambassador Hamdullah Mohib")
            while s < e - 1 and (is_title(toks[s].form) or toks[s].form in CONNECTORS or toks[s].upos == "ADJ"):
                if toks[s].form in ("of", "for", "at"):
                    passed_of = True
                s += 1
            continue
        break
    starts = {ns for ns, ne in nested}
    for i in range(s + 1, e):
        if toks[i].form in ("of", "at", "for", "on", "from", "and", "&"):
            k = i + 1
            while k < e and (toks[k].form in CONNECTORS or toks[k].upos == "DET"):
                k += 1
            if k in starts:
                e = i
            break
    return s, e


def name_core(doc: Document, m: Mention, nested: list | None = None):
    """The proper-name part of a mention as (tok_start, tok_end, kind), or None.

    kind is "name" for a name, "title" for a person mention that is only a
    title ("the President"). The run holding the syntactic head is taken; when
    the head is a common noun ("English captain Harry Kane"), a name run that
    ends the mention and is no nested mention of another entity. Leading
    determiners are never part of it, except "The" of a name whose Wikipedia
    title starts with "The_"; for persons, leading titles, demonyms and nested
    names of other entities ("NASA Administrator Charles Bolden") are dropped.
    """
    if nested is None:
        nested = nested_other(doc, m)
    types = {}
    for o in doc.mentions:
        if o.eid != m.eid and m.tok_start <= o.tok_start and o.tok_end <= m.tok_end:
            r = _trim_range(doc, o.tok_start, o.tok_end)
            if r in nested:
                types[r] = o.etype
    runs = _runs(doc, m, nested, types)
    if not runs:
        return None
    toks = doc.tokens
    head = head_token(doc, m)
    run = next((r for r in runs if r[0] <= head.index < r[1]), None)
    fallback = run is None
    if fallback:
        run = runs[-1]
        last = m.tok_end
        while last > run[0] and toks[last - 1].upos in ("PUNCT", "PART"):
            last -= 1
        if run[1] != last:
            return None
        # an apposition ("curator Elaine Gustafon"), not the object of a
        # preposition ("director of exhibits at ... Fayetteville")
        p = run[0] - 1
        while p >= m.tok_start and toks[p].upos == "DET":
            p -= 1
        if p >= m.tok_start and (toks[p].upos in ("ADP", "PUNCT", "CCONJ", "SCONJ", "VERB", "AUX")
                                 or toks[p].form in CONNECTORS):
            return None
    s, e = run
    kind = "name"
    if m.etype == "person":
        s0, e0 = s, e
        whole = doc.text[toks[s].start:toks[e - 1].end].replace(" ", "_")
        if not (m.identity and m.identity.split("_(")[0] == whole):
            s, e = _strip_person(toks, s, e, nested)
        if s >= e or all(is_title(toks[i].form) or toks[i].form in CONNECTORS for i in range(s, e)) \
                or not any(is_proper(toks[i]) for i in range(s, e)):
            # a title-only mention ("the Secretary of State", "Malaysia's
            # Prime Minister") when its words outside nested names are titles
            covered = {x for ns, ne in nested for x in range(ns, ne)}
            rest = [toks[i].form for i in range(s0, e0) if i not in covered and toks[i].form not in CONNECTORS]
            if not rest or not all(is_title(w) for w in rest):
                return None
            kind = "title"
            s, e = s0, e0
    if kind == "name":
        if any((ns, ne) == (s, e) for ns, ne in nested):
            return None  # the name belongs to a nested mention of another entity
        if fallback and any(ns < e and s < ne for ns, ne in nested):
            return None
    if s > m.tok_start and doc.tokens[s - 1].form == "The" and m.identity.startswith("The_"):
        s -= 1
    while e > s and doc.tokens[e - 1].form in CONNECTORS:
        e -= 1
    if s >= e:
        return None
    return s, e, kind
