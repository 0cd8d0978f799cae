"""The Python and DuckDB recipes of the README's "Using the output" run, and the README shows them verbatim.

Usage: check_recipes.py WORK   (WORK/out: a run on corpus/; WORK/parts/*: the
same run in shards, with the same options)
"""

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
DOC = HERE.parent.parent / "README.md"


def main(work):
    work = Path(work).resolve()
    doc = DOC.read_text(encoding="utf-8")
    for recipe in ["recipe_pandas.py", "recipe_duckdb.sql"]:
        text = (HERE / recipe).read_text(encoding="utf-8")
        assert text in doc, f"README.md does not show tests/python/{recipe} verbatim"

    result = subprocess.run(
        [sys.executable, str(HERE / "recipe_pandas.py"), str(work / "out")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, f"recipe_pandas.py failed:\n{result.stderr}"
    assert "Empty DataFrame" not in result.stdout, result.stdout
    print("recipe_pandas.py ok")

    statements = [s for s in (HERE / "recipe_duckdb.sql").read_text().split(";\n") if s.strip()]
    os.chdir(work)  # the recipe names out/ and parts/ relative to where it runs
    con = duckdb.connect()
    results = []
    for statement in statements:
        rows = con.execute(statement).fetchall()
        assert rows, f"no rows from:\n{statement}"
        results.append(rows)
    # The shard sums are the counts of one run over the whole corpus.
    with open(work / "out" / "cooccurrence.csv", newline="", encoding="utf-8") as f:
        whole = {
            (r["window"], r["period"], r["entity_a"], r["entity_b"]): (int(r["count"]), int(r["documents"]))
            for r in csv.DictReader(f)
        }
    summed = {tuple(r[:4]): (r[4], r[5]) for r in results[-1]}
    assert summed == whole, f"shard sums differ from one run: {len(summed)} vs {len(whole)} pairs"
    assert len(list((work / "parts").iterdir())) > 1
    print(f"recipe_duckdb.sql ok: {len(statements)} statements; shard sums equal one run ({len(whole)} pairs)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
