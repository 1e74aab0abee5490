"""`summarizer report DIR -o report.html`: a folder of summaries as one HTML page."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from summarizer.cli.options import error, positive_int

__all__ = ["add_report_command", "run_report"]

EXIT_OK, EXIT_USAGE = 0, 2

_EPILOG = """\
examples:
  summarizer summarize news/ --output-dir out/
  summarizer report out/ -o report.html            # open report.html in any browser
  summarizer report out/ -o report.html --title "Syria talks, October"

The page holds everything it shows (no network when it is opened): a network of the
actors who met (linked across articles: "Sergey Lavrov", "Lavrov" and "Foreign Minister
Sergey Lavrov" are one person; people who only share a surname stay apart), filters by
date and status, a click on a line lists its meetings; a timeline of meetings and
proposals; and each article with its quotes and evidence highlighted, where its text
is found (at the summary's source path, or NAME.source.txt beside the summary, with the
same hash as when it was summarized).
"""


def add_report_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="one HTML page for a folder of summaries: network, timeline, articles",
        description="Build one self-contained HTML page from the summaries in DIR "
        "(as `summarize --output-dir` or `batch collect` write them).",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("folder", type=Path, metavar="DIR", help="a folder of NAME.json summaries")
    report.add_argument(
        "-o", "--output", type=Path, metavar="FILE", required=True, help="the HTML file to write"
    )
    report.add_argument("--title", help="the page's title (default: the folder's name)")
    report.add_argument(
        "--max-drawn",
        type=positive_int,
        metavar="N",
        default=400,
        help="draw the N actors with most meetings (default 400); filters and counts cover all",
    )
    report.add_argument("-q", "--quiet", action="store_true", help="no final line")
    report.add_argument("-v", "--verbose", action="store_true", help="tracebacks")


def run_report(args: argparse.Namespace) -> int:
    from summarizer import SummarizerError
    from summarizer.report import build_report

    started = time.monotonic()
    try:
        corpus = build_report(args.folder, args.output, title=args.title, max_drawn=args.max_drawn)
    except SummarizerError as exc:
        error(exc, args.verbose)
        return EXIT_USAGE
    except OSError as exc:
        error(exc, args.verbose, prefix=f"cannot write {args.output}: ")
        return EXIT_USAGE
    if not args.quiet:
        meetings = sum(len(d.summary.meetings) for d in corpus.documents)
        skipped = f" ({len(corpus.skipped)} files not summaries, skipped)" if corpus.skipped else ""
        size = args.output.stat().st_size
        print(
            f"summarizer: report of {len(corpus.documents):,} summaries{skipped}, "
            f"{len(corpus.nodes):,} actors, {meetings:,} meetings: {args.output} "
            f"({size / 1e6:.1f} MB) in {time.monotonic() - started:.1f} s",
            file=sys.stderr,
        )
    return EXIT_OK
