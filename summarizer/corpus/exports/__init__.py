"""A folder of summaries exported for other tools: a SQLite database, CSV files of the
same tables, or a GraphML graph of who met whom (`graphml.py`).

The tables (SQLite and CSV alike; dates and times are ISO text, booleans 0/1, lists
JSON text; NULL is an empty CSV cell):

    articles              id, path, url, sha256, chars, published, title, backend,
                          model, mode, created_at, abstract, text (only with texts=True)
    actors                id, kind, name, aliases, country, title, articles, meetings
                          (one row per actor linked across the articles, `linking.py`)
    article_actors        id, article_id, local_id, actor_id, kind, name, aliases,
                          title, country, sector, represents_id (the actor as the
                          article has it: name as written, its own id `a1`)
    meetings              id, article_id, mode, place, date, date_text, status,
                          visitor_id, host_id
    meeting_participants  meeting_id, article_actor_id, actor_id
    statements            id, article_id, speaker_id, addressee_id, cue, content,
                          verbatim, topic, quote_start, quote_end, quote_text
    proposals             id, article_id, kind, proposer_id, content, proposed_date,
                          proposed_date_text, status
    proposal_recipients   proposal_id, article_actor_id, actor_id
    evidence              id, article_id, item_type (meeting, statement, proposal),
                          item_id, start, end, text

Ids are text, stable for a given folder: an article's is its summary file's stem
(`moscow-talks`); an item's adds its kind and position in the summary (`moscow-talks/m1`,
`/s1`, `/p1`), an evidence span its position among the item's (`moscow-talks/m1/e1`), an
article actor its id in the summary (`moscow-talks/a1`). Actor ids (`n1`, `n2`, ...)
number the linked actors in order of first mention over the articles sorted by id: they
change when articles are added or removed. Every `*_id` naming an actor (`actor_id`,
`visitor_id`, `host_id`, `speaker_id`, `addressee_id`, `proposer_id`, `represents_id`)
holds an `actors.id`; `article_actor_id` an `article_actors.id`. Span offsets are Python
`str` indices into the article, so in SQLite `substr(text, start + 1, end - start)`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from summarizer.corpus.exports.csv import write_csv
from summarizer.corpus.exports.files import check_output, require
from summarizer.corpus.exports.graphml import meeting_graph, write_graphml
from summarizer.corpus.exports.sqlite import write_sqlite
from summarizer.corpus.exports.tables import TABLE_NAMES, Table, corpus_tables
from summarizer.corpus.load import Corpus, load_corpus

__all__ = [
    "DEFAULT_OUTPUTS",
    "FORMATS",
    "TABLE_NAMES",
    "ExportFormat",
    "Exported",
    "Table",
    "check_export",
    "corpus_tables",
    "export_corpus",
    "format_of",
    "meeting_graph",
    "write_csv",
    "write_graphml",
    "write_sqlite",
]

ExportFormat = Literal["sqlite", "csv", "graphml"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
DEFAULT_OUTPUTS: dict[ExportFormat, str] = {
    "sqlite": "corpus.sqlite",
    "csv": "corpus-csv",
    "graphml": "corpus.graphml",
}
_SUFFIXES: dict[str, ExportFormat] = {
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".db": "sqlite",
    ".graphml": "graphml",
}


@dataclass
class Exported:
    """What an export wrote: `counts` has the rows of each table (sqlite, csv), or the
    articles, actors (nodes), meetings and edges of the graph (graphml)."""

    format: ExportFormat
    path: Path
    counts: dict[str, int]
    skipped: list[str] = field(default_factory=list)  # files of the folder that are not summaries


def format_of(path: str | os.PathLike[str]) -> ExportFormat | None:
    """The format an output's name implies: .sqlite, .sqlite3 and .db are SQLite,
    .graphml is GraphML, a folder (one that exists, or a name ending in a slash) is CSV;
    None for anything else."""
    text = os.fspath(path)
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        return "csv"
    return _SUFFIXES.get(Path(text).suffix.lower())


def check_export(format: ExportFormat, path: str | os.PathLike[str], *, force: bool) -> None:
    """Fail early, in one line (ConfigurationError): an unknown format, the extra the
    format needs missing, or an output that exists without `force`."""
    if format not in FORMATS:
        raise _unknown(format)
    if format == "sqlite":
        require("sqlite_utils", "SQLite")
    elif format == "graphml":
        require("networkx", "GraphML")
    from summarizer.corpus.exports.csv import CSV_FILES

    check_output(Path(path), force=force, folder_of=CSV_FILES if format == "csv" else None)


def export_corpus(
    source: Corpus | str | os.PathLike[str],
    path: str | os.PathLike[str],
    format: ExportFormat = "sqlite",
    *,
    force: bool = False,
    texts: bool = False,
) -> Exported:
    """Export a corpus, or the folder of summaries `source`, to `path` in `format`:
    a SQLite file, a folder of CSV files or a GraphML file, written atomically.
    `force`: replace an existing output. `texts`: add the articles' texts (those found
    unchanged beside their summaries or at their source paths) to `articles.text`.
    ConfigurationError for a missing extra, an existing output or a folder that is not
    one of summaries."""
    out = Path(path)
    check_export(format, out, force=force)
    corpus = source if isinstance(source, Corpus) else load_corpus(Path(source), texts=texts)
    if format == "graphml":
        nodes, edges = write_graphml(corpus, out, force=force)
        meetings = sum(len(d.summary.meetings) for d in corpus.documents)
        counts = {
            "articles": len(corpus.documents),
            "actors": nodes,
            "meetings": meetings,
            "edges": edges,
        }
        return Exported(format, out, counts, list(corpus.skipped))
    tables = corpus_tables(corpus, texts=texts)
    if format == "sqlite":
        write_sqlite(tables, out, force=force)
    else:
        write_csv(tables, out, force=force)
    counts = {name: len(table.rows) for name, table in tables.items()}
    return Exported(format, out, counts, list(corpus.skipped))


def _unknown(format: str) -> Exception:
    from summarizer.errors import ConfigurationError

    return ConfigurationError(
        f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}"
    )
