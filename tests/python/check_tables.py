"""Every table of a run reads with the right types in pandas and DuckDB, with no options.

Usage: check_tables.py OUT   (a run with --by and a tokens:N window, so that
empty measure cells and an `undated` period exist)

Counts are integers, measures floats, empty cells missing (NaN / NULL) and
nothing else missing, ids strings. The raw text of every cell, read with the
csv module, is the reference.
"""

import csv
import math
import sys
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

INT, FLOAT, STR, DATE = "int", "float", "str", "date"

# Column kinds per table (SPEC §4).
TABLES = {
    "documents.csv": {
        "doc_id": STR, "source": STR, "date": DATE, "bytes": INT, "tokens": INT, "sentences": INT,
        "paragraphs": INT, "mentions": INT, "status": STR, "detail": STR,
    },
    "mentions.csv": {
        "doc_id": STR, "start": INT, "end": INT, "token_start": INT, "token_end": INT, "sentence": INT,
        "paragraph": INT, "entity_id": STR, "type": STR, "surface": STR, "via": STR,
    },
    "entities.csv": {
        "period": STR, "entity_id": STR, "type": STR, "name": STR, "mentions": INT, "documents": INT,
        "paragraphs": INT, "sentences": INT,
    },
    "cooccurrence.csv": {
        "window": STR, "period": STR, "entity_a": STR, "entity_b": STR, "type_a": STR, "type_b": STR,
        "name_a": STR, "name_b": STR, "count": INT, "count_a": INT, "count_b": INT, "windows": INT,
        "documents": INT, "pmi": FLOAT, "npmi": FLOAT, "llr": FLOAT, "dice": FLOAT, "jaccard": FLOAT,
    },
    "nodes.csv": {"Id": STR, "Label": STR, "Type": STR, "Mentions": INT, "Documents": INT},
    "edges.csv": {
        "Source": STR, "Target": STR, "Type": STR, "Weight": INT, "Window": STR, "Period": STR, "Npmi": FLOAT,
    },
}
DUCK = {
    INT: {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "HUGEINT"},
    FLOAT: {"DOUBLE", "FLOAT"},
    STR: {"VARCHAR"},
    DATE: {"DATE", "VARCHAR"},
}


def raw(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def check_table(out, name, kinds, problems):
    path = out / name
    header, cells = raw(path)
    assert header == list(kinds), f"{name}: header {header}"
    assert cells, f"{name} is empty; the check would prove nothing"
    df = pd.read_csv(path)
    duck = duckdb.sql(f"SELECT * FROM read_csv_auto('{path}')")
    duck_types = dict(zip(duck.columns, map(str, duck.types)))
    duck_rows = duck.fetchall()
    assert len(df) == len(cells) == len(duck_rows), f"{name}: row counts differ"
    notes = []
    for i, column in enumerate(header):
        kind = kinds[column]
        values = [row[i] for row in cells]
        empty = [v == "" for v in values]
        series = df[column]
        duck_values = [row[i] for row in duck_rows]
        if all(empty):
            # Nothing to infer a type from: any type, all missing.
            assert series.isna().all(), f"{name}.{column}: pandas invents values"
            assert all(v is None for v in duck_values), f"{name}.{column}: DuckDB invents values"
            notes.append(f"{column} (all empty)")
            continue
        # Missing exactly where the cell is empty: the text "NA" or "None" stays text.
        missing = list(series.isna())
        if missing != empty:
            bad = [values[j] for j in range(len(values)) if missing[j] != empty[j]][:5]
            problems.append(f"{name}.{column}: pandas reads {bad!r} as missing (use keep_default_na=False)")
        assert [v is None for v in duck_values] == empty, f"{name}.{column}: DuckDB NULLs differ from empty cells"
        dtype = series.dtype
        if kind == INT:
            assert pd.api.types.is_integer_dtype(dtype) or (any(empty) and pd.api.types.is_float_dtype(dtype)), (
                f"{name}.{column}: pandas {dtype}"
            )
            assert not any(empty), f"{name}.{column}: a count is empty"
        elif kind == FLOAT:
            assert pd.api.types.is_float_dtype(dtype), f"{name}.{column}: pandas {dtype}"
            for v, x in zip(values, series):
                assert (v == "" and math.isnan(x)) or float(v) == x, f"{name}.{column}: {v!r} read as {x!r}"
        elif kind == STR:
            if not pd.api.types.is_string_dtype(dtype) and dtype != object:
                problems.append(f"{name}.{column}: pandas reads ids/labels as {dtype}; pass dtype={{'{column}': str}}")
        elif kind == DATE:
            assert not pd.api.types.is_numeric_dtype(dtype), f"{name}.{column}: pandas {dtype}"
        assert duck_types[column] in DUCK[kind], f"{name}.{column}: DuckDB {duck_types[column]}"
    print(f"  {name}: {len(cells)} rows; pandas and DuckDB types as expected"
          + (f"; {', '.join(notes)}" if notes else ""))


def main(out):
    out = Path(out)
    problems = []
    for name, kinds in TABLES.items():
        check_table(out, name, kinds, problems)
    # The cells that motivate the checks are there.
    pairs = pd.read_csv(out / "cooccurrence.csv")
    assert pairs["npmi"].isna().any() and pairs["npmi"].notna().any(), "no empty measure cells: run with tokens:N"
    assert (pairs["period"] == "undated").any(), "no undated period in this run"
    # Without `undated`, periods that are all years are numbers to pandas: the
    # recipes pass dtype={"period": str}, which keeps them labels.
    scratch = tempfile.TemporaryDirectory()
    dated = Path(scratch.name) / "entities.csv"
    entities = pd.read_csv(out / "entities.csv", dtype={"period": str})
    entities[entities.period != "undated"].to_csv(dated, index=False)
    try:
        if pd.read_csv(dated)["period"].dtype.kind in "iu":
            print("  note: all-year periods read as integers without dtype={'period': str}")
        assert pd.read_csv(dated, dtype={"period": str})["period"].str.len().eq(4).all()
        duck = duckdb.sql(f"SELECT period FROM read_csv_auto('{dated}', types = {{'period': 'VARCHAR'}})")
        assert str(duck.types[0]) == "VARCHAR"
    finally:
        scratch.cleanup()
    if problems:
        sys.exit("table types:\n  " + "\n  ".join(problems))
    print(f"tables ok: {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
