"""The export tables as a folder of CSV files, `TABLE.csv` each: UTF-8, a header row,
the csv module's quoting; NULL is an empty cell. Needs no extra."""

from __future__ import annotations

import csv
from pathlib import Path

from summarizer.corpus.exports.files import atomic_folder
from summarizer.corpus.exports.tables import TABLE_NAMES, Table

__all__ = ["CSV_FILES", "write_csv"]

CSV_FILES = frozenset(f"{name}.csv" for name in TABLE_NAMES)


def write_csv(tables: dict[str, Table], folder: Path, *, force: bool = False) -> None:
    """Write `tables` to a new folder at `folder`, atomically; ConfigurationError when
    `folder` exists with files, unless `force` and they are all an earlier export's."""
    with atomic_folder(folder, force=force, names=CSV_FILES) as temporary:
        for table in tables.values():
            with (temporary / f"{table.name}.csv").open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(table.header)
                writer.writerows(table.rows)
