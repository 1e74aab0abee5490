"""`summarizer export DIR`: a folder of summaries as a SQLite database, CSV files or a
GraphML graph (`summarizer.corpus.exports`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from summarizer.cli.options import error

__all__ = ["add_export_command", "run_export"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

_EPILOG = """\
examples:
  summarizer export out/                               # ./corpus.sqlite
  summarizer export out/ -o news.db                    # SQLite, from the suffix
  summarizer export out/ -o tables/                    # CSV: tables/articles.csv, ...
  summarizer export out/ -o meetings.graphml           # for Gephi or networkx
  summarizer export out/ -o news.db --texts --force    # with article texts, replacing
  sqlite3 corpus.sqlite "SELECT DISTINCT m.* FROM meetings m
      JOIN meeting_participants p ON p.meeting_id = m.id
      JOIN actors a ON a.id = p.actor_id
      WHERE a.name = 'Sergey Lavrov' AND m.date LIKE '2025-%'"

tables (SQLite and CSV): articles, actors (linked across articles), article_actors
(each article's own), meetings, meeting_participants, statements, proposals,
proposal_recipients, evidence; ids like moscow-talks, moscow-talks/m1, n1. SQLite and
GraphML need the 'export' extra: pip install 'summarizer[export]'.

exit status: 0 exported, 1 the output could not be written, 2 usage or configuration
error (nothing is left half-written)
"""


def add_export_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from summarizer.corpus.exports import DEFAULT_OUTPUTS, FORMATS

    export = commands.add_parser(
        "export",
        help="export a folder of summaries as SQLite, CSV or GraphML",
        description="Export a folder of summaries (as `summarize --output-dir` or `batch "
        "collect` write them) with its actors linked across articles: a SQLite database, "
        "a folder of CSV files of the same tables, or a GraphML graph of who met whom. "
        "The output is written whole or not at all.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("folder", type=Path, metavar="DIR", help="a folder of summaries")
    export.add_argument(
        "--format",
        choices=FORMATS,
        help="sqlite: one database file; csv: a folder of TABLE.csv files; graphml: the "
        "meeting graph (default: from --output: .sqlite, .sqlite3 or .db is sqlite, "
        ".graphml is graphml, a folder (existing, or ending in /) is csv; else sqlite)",
    )
    defaults = ", ".join(f"./{path}" for path in DEFAULT_OUTPUTS.values())
    export.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help=f"the database file, CSV folder or GraphML file (default: {defaults})",
    )
    export.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output (a CSV folder only when it holds nothing but "
        "an earlier export's files)",
    )
    export.add_argument(
        "--texts",
        action="store_true",
        help="add each article's text to articles.text, when found unchanged beside its "
        "summary (NAME.source.txt) or at its source path",
    )
    export.add_argument("-q", "--quiet", action="store_true", help="no final line")
    export.add_argument("-v", "--verbose", action="store_true", help="tracebacks on errors")


def run_export(args: argparse.Namespace) -> int:
    import sqlite3

    from summarizer.corpus import load_corpus
    from summarizer.corpus.exports import (
        DEFAULT_OUTPUTS,
        check_export,
        export_corpus,
        format_of,
    )
    from summarizer.errors import ConfigurationError, SummarizerError

    started = time.perf_counter()
    chosen = args.format or (format_of(args.output) if args.output else None) or "sqlite"
    output = Path(args.output or DEFAULT_OUTPUTS[chosen])
    try:
        if args.format is None and args.output and format_of(args.output) is None:
            raise ConfigurationError(
                f"cannot tell the format from {str(args.output)!r}: give --format, or an "
                "output ending in .sqlite, .db or .graphml, or a folder (CSV, one file a table)"
            )
        check_export(chosen, output, force=args.force)
        corpus = load_corpus(args.folder, texts=args.texts)
        skipped = corpus.skipped
        if not corpus.documents:
            why = f" ({len(skipped)} JSON file(s), none a summary)" if skipped else ""
            raise ConfigurationError(f"no summaries in {str(args.folder)!r}{why}")
        if skipped:
            print(
                f"summarizer: note: {len(skipped)} file(s) of {str(args.folder)!r} are not "
                f"summaries, skipped (first: {skipped[0]})",
                file=sys.stderr,
            )
        missing = sum(d.text is None for d in corpus.documents)
        if args.texts and missing and chosen != "graphml":
            print(
                f"summarizer: note: no unchanged text found for {missing} of "
                f"{len(corpus.documents)} articles; their articles.text is empty",
                file=sys.stderr,
            )
        exported = export_corpus(corpus, output, chosen, force=args.force, texts=args.texts)
    except SummarizerError as exc:
        error(exc, args.verbose)
        return EXIT_USAGE
    except (OSError, sqlite3.Error) as exc:
        error(exc, args.verbose, prefix=f"cannot write {str(output)!r}: ")
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"summarizer: interrupted; {str(output)!r} not written", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not args.quiet:
        counts = exported.counts
        if chosen == "graphml":
            what = (
                f"{_n(counts['articles'], 'article')}, {_n(counts['actors'], 'actor')}, "
                f"{_n(counts['meetings'], 'meeting')} ({_n(counts['edges'], 'edge')})"
            )
        else:
            what = ", ".join(
                _n(counts[table], noun)
                for table, noun in (
                    ("articles", "article"),
                    ("actors", "actor"),
                    ("meetings", "meeting"),
                    ("statements", "statement"),
                    ("proposals", "proposal"),
                    ("evidence", "evidence span"),
                )
            )
        seconds = time.perf_counter() - started
        print(f"summarizer: exported {what} to {output} in {seconds:.1f} s", file=sys.stderr)
    return EXIT_OK


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
