#!/usr/bin/env python3
"""One peer of `benches/compare.sh`: tag a corpus with a Python tool.

Usage: peer.py TOOL ALIASES CORPUS

TOOL is one of
  pyahocorasick  ahocorasick.Automaton over the aliases, `iter_long`
                 (leftmost-longest, non-overlapping) on each text, then a
                 word-boundary check (no letter, digit or `_` on either side);
  flashtext      KeywordProcessor(case_sensitive=True),
                 extract_keywords(text, span_info=True) (its own word boundaries);
  spacy          spacy.blank("en") tokenizer + PhraseMatcher(attr="ORTH") over
                 the aliases tokenized the same way; overlapping matches are
                 reduced to the longest with spacy.util.filter_spans.

ALIASES holds one search string a line (benches/peers/aliases.py). Every
`*.txt` file under CORPUS is read (sorted walk, UTF-8 with replacement) and
tagged; mentions are counted per alias. Prints one JSON line on stdout:
{"tool", "documents", "bytes", "mentions", "distinct_aliases", "aliases"}.
"""

import json
import os
import sys


def corpus_files(root):
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".txt") and not name.startswith("."):
                yield os.path.join(folder, name)


def texts(root, stats):
    for path in corpus_files(root):
        with open(path, "rb") as f:
            data = f.read()
        stats["documents"] += 1
        stats["bytes"] += len(data)
        yield data.decode("utf-8", errors="replace")


def is_word(c):
    return c.isalnum() or c == "_"


def run_pyahocorasick(aliases, root, stats, counts):
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for i, alias in enumerate(aliases):
        automaton.add_word(alias, i)
    automaton.make_automaton()
    for text in texts(root, stats):
        n = len(text)
        for end, i in automaton.iter_long(text):
            start = end - len(aliases[i]) + 1
            if (start == 0 or not is_word(text[start - 1])) and (end + 1 == n or not is_word(text[end + 1])):
                counts[i] += 1


def run_flashtext(aliases, root, stats, counts):
    from flashtext import KeywordProcessor

    processor = KeywordProcessor(case_sensitive=True)
    index = {}
    for i, alias in enumerate(aliases):
        processor.add_keyword(alias)
        index[alias] = i
    for text in texts(root, stats):
        for keyword, _start, _end in processor.extract_keywords(text, span_info=True):
            counts[index[keyword]] += 1


def run_spacy(aliases, root, stats, counts):
    import spacy
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    # One match key for all aliases (a key per alias makes `add` many times
    # slower); mentions are counted per alias by their surface text.
    matcher.add("ALIAS", list(nlp.tokenizer.pipe(aliases, batch_size=1000)))
    index = {alias: i for i, alias in enumerate(aliases)}
    for text in texts(root, stats):
        doc = nlp.make_doc(text)
        for span in filter_spans(matcher(doc, as_spans=True)):
            # A span whose text differs from its pattern's (other whitespace) counts in the last slot.
            counts[index.get(span.text, -1)] += 1


TOOLS = {"pyahocorasick": run_pyahocorasick, "flashtext": run_flashtext, "spacy": run_spacy}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in TOOLS:
        sys.exit(f"usage: peer.py {{{','.join(TOOLS)}}} ALIASES CORPUS")
    tool, alias_path, root = sys.argv[1:]
    with open(alias_path, encoding="utf-8") as f:
        aliases = [line.rstrip("\n") for line in f if line.strip()]
    if not os.path.isdir(root):
        sys.exit(f"peer.py: not a folder: {root}")
    stats = {"documents": 0, "bytes": 0}
    counts = [0] * (len(aliases) + 1)
    TOOLS[tool](aliases, root, stats, counts)
    if stats["documents"] == 0:
        sys.exit(f"peer.py: no .txt file under {root}")
    result = dict(tool=tool, **stats, mentions=sum(counts), distinct_aliases=sum(1 for c in counts[:-1] if c),
                  aliases=len(aliases))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
