"""The export tables as one SQLite database: sqlite-utils creates the tables (primary
keys, foreign keys, NOT NULL) and indexes every foreign key column, `meetings.date`,
`actors.name` and `evidence(item_type, item_id)`."""

from __future__ import annotations

from pathlib import Path

from summarizer.corpus.exports.files import atomic_file, require
from summarizer.corpus.exports.tables import Table

__all__ = ["write_sqlite"]


def write_sqlite(tables: dict[str, Table], path: Path, *, force: bool = False) -> None:
    """Write `tables` to a new database at `path`, atomically; ConfigurationError when
    sqlite-utils is missing or `path` exists without `force`."""
    require("sqlite_utils", "SQLite")
    with atomic_file(path, force=force) as temporary:
        _write(tables, temporary)


def _write(tables: dict[str, Table], path: Path) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(path)
    try:
        # The file is a temporary renamed into place when complete: no journal needed.
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        for table in tables.values():
            db.table(table.name).create(
                {c.name: c.type for c in table.columns},
                pk=table.pk[0] if len(table.pk) == 1 else table.pk,
                foreign_keys=[(c.name, c.references, "id") for c in table.columns if c.references],
                not_null={c.name for c in table.columns if c.not_null},
            )
            # The rows through one prepared statement: sqlite-utils' insert_all would
            # build a statement for every batch of dicts, three times slower here.
            columns = ", ".join(f'"{name}"' for name in table.header)
            marks = ", ".join("?" * len(table.columns))
            with db.conn:
                db.conn.executemany(
                    f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', table.rows
                )
        db.index_foreign_keys()
        db.table("meetings").create_index(["date"])
        db.table("evidence").create_index(["item_type", "item_id"])
        db.table("actors").create_index(["name"])
        db.conn.commit()
    finally:
        db.close()
