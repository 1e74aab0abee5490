"""`summarizer eval score|run`: how good a backend is, on gold data (ours or yours)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from summarizer.cli.options import (
    add_backend_options,
    configure_logging,
    error,
    mask_secrets,
    positive_int,
    settings_from,
)

__all__ = ["add_eval_command", "evaluate"]


if TYPE_CHECKING:
    from summarizer import Summary
    from summarizer.evaluation import GoldDocument

    Result = tuple[GoldDocument, Summary | None, str | None]

EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED = 0, 2, 130

_EPILOG = """\
examples:
  summarizer eval score hand-annotated hand-annotated        # gold against itself: all 1.0
  summarizer eval run plover-dev --limit 20                   # the bundled local model
  summarizer eval run plover-dev --base-url http://localhost:11434/v1 \\
      --model qwen2.5:7b --predictions qwen.jsonl             # Ollama
  OPENAI_API_KEY=... summarizer eval run hand-annotated --model gpt-4o-mini
  summarizer eval score plover-dev qwen.jsonl --json          # rescore, for machines
  summarizer eval run my-gold.jsonl --base-url ...            # your own gold file

built-in gold sets (shipped with the package): voa-dev and voa-test (whole Voice of
America stories annotated by eval/GUIDELINES.md; actors include states, organisations
and groups), readouts-dev and readouts-test (readouts in the style of U.S. government
releases, written for the project), plover-dev and plover-test (PLOVER gold-standard
sentences, CC BY-SA 4.0) and hand-annotated (multi-paragraph articles). Report on the
test sets, never tune on them. Gold files are JSON Lines: one article per line with the
actors, meetings, statements and proposals it should yield.
predictions: JSON Lines of {"id": ..., "summary": {...}} as `eval run --predictions` writes.
"""


def add_eval_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evaluate = commands.add_parser(
        "eval",
        help="score summaries against gold annotations",
        description="Score a backend's summaries against gold annotations: participant "
        "pairs, meeting mode, place and temporal status, quotes and their speakers, "
        "proposals, and the precision of the evidence.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = evaluate.add_subparsers(dest="eval_command", metavar="ACTION", required=True)
    score = actions.add_parser(
        "score",
        help="score a predictions file against a gold file",
        description="Score predictions (JSON Lines of {id, summary}, or a gold file) against "
        "a gold file.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    score.add_argument("gold", type=Path, metavar="GOLD", help="gold JSON Lines, or a built-in set")
    score.add_argument(
        "predictions", type=Path, metavar="PREDICTIONS", help="predictions, or a gold file"
    )
    score.add_argument("--json", action="store_true", help="the report as JSON on stdout")

    eval_run = actions.add_parser(
        "run",
        help="summarize a gold file's articles with a backend, then score",
        description="Summarize every article of a gold file with the backend the options "
        "choose (the bundled local model by default), then score the summaries. A document "
        "whose run fails scores as an empty prediction and is listed; the exit status is 0 "
        "once the report is written, 2 on usage or configuration errors.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    eval_run.add_argument(
        "gold", type=Path, metavar="GOLD", help="gold JSON Lines, or a built-in set"
    )
    eval_run.add_argument(
        "--limit", type=positive_int, metavar="N", help="only the first N documents"
    )
    eval_run.add_argument(
        "--predictions", type=Path, metavar="FILE", help="also write the summaries here, to rescore"
    )
    eval_run.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    eval_run.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    eval_run.add_argument("-v", "--verbose", action="store_true", help="tracebacks and debug logs")
    add_backend_options(eval_run)


def evaluate(args: argparse.Namespace) -> int:
    from summarizer import SummarizerError

    try:
        if args.eval_command == "score":
            return _score(args)
        return _summarize_and_score(args)
    except SummarizerError as exc:
        error(exc, getattr(args, "verbose", False))
        return EXIT_USAGE


def _score(args: argparse.Namespace) -> int:
    from summarizer.evaluation import load_gold, load_predictions

    gold = load_gold(args.gold)
    predictions = load_predictions(args.predictions)
    unknown = sorted(set(predictions) - {d.id for d in gold})
    if unknown:
        print(
            f"summarizer: note: {len(unknown)} prediction(s) for documents not in the gold "
            f"file, ignored (first: {unknown[0]})",
            file=sys.stderr,
        )
    results: list[Result] = [
        (doc, predictions.get(doc.id), None if doc.id in predictions else "no prediction")
        for doc in gold
    ]
    return _report(args, results, model=None)


def _summarize_and_score(args: argparse.Namespace) -> int:
    from summarizer import ConfigurationError
    from summarizer.evaluation import load_gold, prediction_line, summarize_gold

    configure_logging(args.verbose)
    settings = settings_from(args)
    redact = mask_secrets(settings)
    gold = load_gold(args.gold)[: args.limit]
    order = {doc.id: i for i, doc in enumerate(gold)}
    results: list[Result] = []
    try:
        out = args.predictions.open("w", encoding="utf-8") if args.predictions else None
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write predictions to {str(args.predictions)!r} ({exc.strerror or exc})"
        ) from None
    tty = not args.quiet and sys.stderr.isatty()

    async def go() -> None:
        async for doc, summary, problem in summarize_gold(
            gold, settings, concurrency=args.concurrency
        ):
            results.append((doc, summary, problem))
            if out is not None:
                out.write(prediction_line(doc.id, summary, problem))
                out.flush()
            if problem and not args.quiet:
                print(redact(f"summarizer: error: {doc.id}: {problem}"), file=sys.stderr)
            if tty:
                print(f"\r{len(results)}/{len(gold)} documents", end="", file=sys.stderr)

    try:
        asyncio.run(go())
    except KeyboardInterrupt:
        kept = f"; {len(results)} written to {args.predictions}" if out is not None else ""
        print(
            f"\nsummarizer: interrupted after {len(results)} of {len(gold)} documents{kept}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    finally:
        if out is not None:
            out.close()
    if tty:
        print(file=sys.stderr)
    results.sort(key=lambda r: order[r[0].id])
    return _report(args, results, model=settings.model)


def _report(args: argparse.Namespace, results: list[Result], model: str | None) -> int:
    from summarizer.evaluation import DocumentResult, Evaluation, score_document

    evaluation = Evaluation(gold=str(args.gold), model=model)
    for doc, summary, problem in results:
        scores = score_document(doc, summary)
        evaluation.documents.append(DocumentResult(doc.id, scores, problem))
        evaluation.spent.add(summary)
    if args.json:
        sys.stdout.write(json.dumps(evaluation.as_json(), indent=2) + "\n")
    else:
        sys.stdout.write(evaluation.as_text())
    return EXIT_OK
