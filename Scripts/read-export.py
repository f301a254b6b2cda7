#!/usr/bin/env python3
"""Reads a Jianbao export back with real engines and prints what they see, as JSON.

    Scripts/read-export.py sqlite FILE   # Python's sqlite3
    Scripts/read-export.py duckdb DIR    # DuckDB over the JSON-lines files (read_json)

Prints {"tables": {name: rows, ...}, "kechuang": paragraphs whose text contains 科创}, so a
test can compare both with Jianbao's own counts (Tests/JianbaoCLITests/ExportTests.swift).
"""
import json
import sys

WORD = "科创"


def read_sqlite(path):
    import sqlite3
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    tables = {n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    hits = db.execute("SELECT count(*) FROM paragraphs WHERE instr(text, ?) > 0", (WORD,)).fetchone()[0]
    return {"tables": tables, "kechuang": hits}


def read_duckdb(folder):
    import duckdb
    import pathlib
    db = duckdb.connect()
    tables = {}
    for path in sorted(pathlib.Path(folder).glob("*.jsonl")):
        tables[path.stem] = db.execute(
            "SELECT count(*) FROM read_json(?, format = 'newline_delimited')", [str(path)]).fetchone()[0]
    hits = db.execute(
        "SELECT count(*) FROM read_json(?, format = 'newline_delimited') WHERE contains(text, ?)",
        [str(pathlib.Path(folder) / "paragraphs.jsonl"), WORD]).fetchone()[0]
    return {"tables": tables, "kechuang": hits}


if __name__ == "__main__":
    engine, path = sys.argv[1], sys.argv[2]
    result = read_sqlite(path) if engine == "sqlite" else read_duckdb(path)
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))
