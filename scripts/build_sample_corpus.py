#!/usr/bin/env python3
"""Build the sample corpus (corpus/) from the GUM Wikinews documents.

    python3 scripts/build_sample_corpus.py [DATA_FOLDER] [-o corpus] [--layout nested|flat]

DATA_FOLDER is the source data folder (../shared/data), its D_gum_wikinews
folder, or the folder of GUM CoNLL-U files itself (default:
../shared/data/D_gum_wikinews/conllu, relative to the repository root); every
GUM_news_*.conllu and GUM_interview_*.conllu becomes one plain-text file,
``corpus/YYYY/MM/DD/<doc id>.txt`` (``--layout flat``: ``corpus/YYYY-MM-DD/``)
dated by the document's ``meta::dateCreated``, or ``corpus/undated/`` without
a date. The text is rebuilt from the tokens by eval/gum.py, the same code that
gives eval/evaluate.py its gold offsets. Rerunning gives identical files; text
files of an earlier build that are no longer produced are removed.

Standard library only.
"""

from __future__ import annotations

import argparse
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "eval"))

import gum  # noqa: E402

DEFAULT_DATA = os.path.join("..", "shared", "data", "D_gum_wikinews", "conllu")


README = """\
# Sample corpus: Wikinews articles from the GUM corpus

{n} English news articles and interviews from [Wikinews](https://en.wikinews.org/),
one plain-text file each ({total:,} bytes in all), for trying cotag and for its
accuracy evaluation (`eval/`).

    cotag run corpus -o out

## Source and licence

The texts are the Wikinews documents (`GUM_news_*`, `GUM_interview_*`) of the
**GUM corpus** (Georgetown University Multilayer corpus, Amir Zeldes and the
GUM annotation team, Georgetown University; https://github.com/amir-zeldes/gum;
Zeldes, A. (2017), "The GUM Corpus: Creating Multilayer Resources in the
Classroom", *Language Resources and Evaluation* 51(3), 581–612).

- **Texts**: from Wikinews, © Wikinews contributors, licensed under
  [Creative Commons Attribution 2.5](https://creativecommons.org/licenses/by/2.5/)
  (https://en.wikinews.org/wiki/Wikinews:Copyright). The original article of
  each file is listed in `docs/sample-corpus-sources.md`.
- **Annotations** of GUM (used by `eval/`, not contained in these files):
  [Creative Commons Attribution 4.0](https://creativecommons.org/licenses/by/4.0/).

Changes from the originals: the texts are rebuilt from GUM's tokenization
(tokens rejoined with the original spacing), so that page furniture, links and
images are gone, and image captions, datelines and interview speaker turns are
kept as GUM has them; speaker names of interviews are not part of the text.

## How the files were made

`scripts/build_sample_corpus.py` reads the CoNLL-U files
(`../shared/data/D_gum_wikinews/conllu/`) with `eval/gum.py`:

- each sentence is its `# text =` line (the tokens, `SpaceAfter=No` respected);
- a paragraph starts at `# newpar` and ends after the number of sentences its
  `# newpar_block` announces; paragraphs are separated by a blank line;
  sentences of a paragraph by a space (a newline after a line of verse);
- the title (the document's first heading) is the first paragraph; one document
  without a heading line gets its `# meta::title` as first paragraph;
- the file goes to `YYYY/MM/DD/` after `# meta::dateCreated` (the date the
  Wikinews article was published), so that cotag reads the date from the path.

Rebuild (the output is byte-identical on every run):

    python3 scripts/build_sample_corpus.py            # default data folder
    python3 scripts/build_sample_corpus.py ../shared/data

This README is itself read by `cotag run` as one more document of the corpus
(SPEC §2 reads every `.md` file); it is kept short, and the list of articles
with their titles lives outside `corpus/` so that it adds no co-occurrences.
"""

SOURCES = """# Sample corpus: the articles and their originals

The {n} Wikinews articles of `corpus/` (see `corpus/README.md` for the source
and licence: texts © Wikinews contributors, CC BY 2.5), with the original
article of each file. Written by `scripts/build_sample_corpus.py`.

| file | date | title | original |
|---|---|---|---|
{rows}
"""


def write_readme(docs: list, out: str, layout: str):
    rows = []
    total = 0
    for d in docs:
        total += len(d.text.encode("utf-8"))
        title = d.title.replace("|", "\\|")
        url = d.meta.get("sourceURL", "")
        rows.append(f"| `{d.relpath(layout)}` | {d.date or 'undated'} | {title} | {url} |")
    text = README.format(n=len(docs), total=total)
    path = os.path.join(out, "README.md")
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    # The list of originals belongs to the project's own corpus only; a build
    # into another folder (tests, the evaluation) leaves it alone.
    if os.path.abspath(out) != os.path.join(REPO, "corpus"):
        return
    sources = os.path.join(REPO, "docs", "sample-corpus-sources.md")
    os.makedirs(os.path.dirname(sources), exist_ok=True)
    with open(sources, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(SOURCES.format(n=len(docs), rows="\n".join(rows)))


def build(data: str, out: str, layout: str = "nested") -> list:
    """Write the corpus; returns [(relative path, bytes)] in order."""
    # accept the data root (../shared/data), the GUM folder or its conllu/ folder
    for sub in (os.path.join("D_gum_wikinews", "conllu"), "conllu"):
        if os.path.isdir(os.path.join(data, sub)):
            data = os.path.join(data, sub)
            break
    docs = gum.read_folder(data)
    if not docs:
        sys.exit(f"build_sample_corpus: no GUM_news_*/GUM_interview_* .conllu files in {data}")
    written = []
    wanted = set()
    for d in docs:
        rel = d.relpath(layout)
        path = os.path.join(out, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data_bytes = d.text.encode("utf-8")
        old = None
        if os.path.exists(path):
            with open(path, "rb") as fh:
                old = fh.read()
        if old != data_bytes:
            with open(path, "wb") as fh:
                fh.write(data_bytes)
        wanted.add(os.path.normpath(path))
        written.append((rel, len(data_bytes)))
    write_readme(docs, out, layout)
    # remove GUM texts of an earlier build (another layout, a renamed document)
    for root, dirs, files in os.walk(out, topdown=False):
        for f in files:
            p = os.path.normpath(os.path.join(root, f))
            if f.startswith("GUM_") and f.endswith(".txt") and p not in wanted:
                os.remove(p)
        if root != out and not os.listdir(root):
            os.rmdir(root)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", default=None,
                    help=f"../shared/data, its D_gum_wikinews folder or the folder of GUM .conllu files "
                         f"(default: {DEFAULT_DATA} from the repository root)")
    ap.add_argument("-o", "--out", default=None, help="output folder (default: corpus/ in the repository)")
    ap.add_argument("--layout", choices=("nested", "flat"), default="nested",
                    help="nested: corpus/2015/08/21/x.txt (default); flat: corpus/2015-08-21/x.txt")
    args = ap.parse_args(argv)
    data = args.data or os.path.join(REPO, DEFAULT_DATA)
    out = args.out or os.path.join(REPO, "corpus")
    written = build(data, out, args.layout)
    total = sum(n for _, n in written)
    print(f"{len(written)} documents, {total} bytes written under {os.path.relpath(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
