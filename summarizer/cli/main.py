"""The `summarizer` command: argument parsing and exit codes only; work happens elsewhere.

Exit 0 when every input succeeded, 1 when some failed, 2 on usage or configuration
errors. Errors are one line on stderr; `-v` adds the traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from summarizer import __version__
from summarizer.cli.batch import add_batch_command, run_batch
from summarizer.cli.eval import add_eval_command, evaluate
from summarizer.cli.export import add_export_command, run_export
from summarizer.cli.options import (
    add_backend_options,
    configure_logging,
    error,
    mask_secrets,
    positive_int,
    settings_from,
)
from summarizer.cli.report import add_report_command, run_report
from summarizer.cli.serve import add_serve_command, run_serve

__all__ = ["build_parser", "main", "run"]


EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_SUMMARIZE_EPILOG = """\
examples:
  summarizer summarize article.txt                       # bundled local model, no setup
  summarizer summarize article.txt --model-path qwen2.5-7b-instruct-q4_k_m.gguf
  OPENAI_API_KEY=... summarizer summarize article.txt    # OpenAI
  summarizer summarize news/ --output-dir out/           # every *.txt/*.md in a folder
  summarizer summarize page.html --output-dir out/       # a web page (summarizer[web]); its
                                                         # article text saved as page.source.txt
  summarizer summarize https://example.com/news/story    # fetched within --timeout
  cat article.txt | summarizer summarize - --format markdown
  summarizer summarize a.txt --base-url http://localhost:11434/v1 --model qwen2.5:7b
  summarizer summarize a.txt --record fixtures/          # save every exchange
  summarizer summarize a.txt --replay fixtures/          # answer from saved exchanges only

environment (with none of these set, the bundled local model runs in process):
  OPENAI_API_KEY     API key (not needed for local servers or --replay)
  OPENAI_BASE_URL    any OpenAI-compatible endpoint: Ollama, vLLM, llama.cpp server
  SUMMARIZER_MODEL   model name when --model is not given

exit status: 0 all inputs summarized, 1 some failed, 2 usage or configuration error
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarizer",
        description="Structured, validated summaries of news articles: who met whom, "
        "what was said and what was proposed, with every quote located in the text.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    summarize = commands.add_parser(
        "summarize",
        help="summarize article files, web pages, folders or stdin",
        description="Summarize each input into a validated Summary (JSON by default).",
        epilog=_SUMMARIZE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    summarize.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="an article file, a folder (its *.txt and *.md files; *.html and *.htm too with "
        "the web extra), an HTML page or an http(s) URL (web extra), or - for stdin",
    )
    batch = add_backend_options(summarize)
    batch.add_argument(
        "--force",
        action="store_true",
        help="with --output-dir, redo inputs whose summary is already there (default: skip)",
    )
    batch.add_argument(
        "--max-total-tokens",
        type=positive_int,
        metavar="N",
        help="token budget: a request waits while the tokens used plus a reservation for "
        "each request in flight (body at 4 bytes a token + --max-tokens) reach N, and is "
        "refused once N are used; requests in flight finish and count, so the run passes N "
        "only by what they use",
    )
    batch.add_argument(
        "--max-input-bytes",
        type=positive_int,
        metavar="N",
        help="refuse input files larger than N bytes (default 5,000,000; a long article "
        "is about 50,000)",
    )
    batch.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no final line"
    )
    out = summarize.add_argument_group("output")
    out.add_argument(
        "--format",
        choices=("json", "jsonl", "markdown"),
        default="json",
        help="json (one document; JSON Lines for several inputs), jsonl, or a markdown brief",
    )
    out.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="write DIR/NAME.json (or NAME.error.json) per input instead of stdout; inputs "
        "with the same NAME in different folders get NAME-<8 hex>.json",
    )
    summarize.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="publication date, to turn 'Thursday' or 'Oct. 15' into ISO dates "
        "(default: a dateline in the text, else dates stay as written)",
    )
    summarize.add_argument("-v", "--verbose", action="store_true", help="tracebacks and debug logs")

    add_batch_command(commands)
    add_report_command(commands)
    add_export_command(commands)
    add_eval_command(commands)
    add_serve_command(commands)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of the output",
        description="Print the JSON Schema of a Summary, the document `summarize` writes.",
    )
    schema.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    return parser


def run() -> None:
    """The `summarizer` command. Once main() has returned, all output is written and
    flushed; tearing the interpreter's objects down one by one took a noticeable
    share of a large batch's wall time, and there is nothing left to clean up."""
    _settle_imports()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or EXIT_FAILED
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, passed = parser.parse_known_args(argv)
    if args.command == "serve":  # the rest is the server's to read
        return run_serve(passed)
    if passed:
        parser.error(f"unrecognized arguments: {' '.join(passed)}")
    if args.command == "schema":
        return _schema(args)
    if args.command == "eval":
        return evaluate(args)
    if args.command == "batch":
        return run_batch(args)
    if args.command == "report":
        return run_report(args)
    if args.command == "export":
        return run_export(args)
    return _summarize(args)


def _schema(args: argparse.Namespace) -> int:
    from summarizer import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _summarize(args: argparse.Namespace) -> int:
    from summarizer import (
        MAX_INPUT_BYTES,
        ConfigurationError,
        DirectorySink,
        StdoutSink,
        SummarizerError,
        expand_paths,
        output_is_current,
        parse_date,
        summarize_inputs,
    )
    from summarizer.cli.progress import Progress, Tally

    configure_logging(args.verbose)
    try:
        settings = settings_from(args)
        redact = mask_secrets(settings)
        published = parse_date(args.date)
        refs = expand_paths(args.paths)
        if sum(ref.is_stdin for ref in refs) > 1:
            raise ConfigurationError("stdin (-) can be given only once")
        sink: DirectorySink | StdoutSink
        if args.output_dir is not None:
            try:
                sink = DirectorySink(args.output_dir, args.format)
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot write to output folder {str(args.output_dir)!r} "
                    f"({exc.strerror or exc}); give --output-dir a folder you can write to"
                ) from exc
        else:
            sink = StdoutSink(sys.stdout, args.format, len(refs))
    except ConfigurationError as exc:
        error(exc, args.verbose)
        return EXIT_USAGE

    tally = Tally(total=len(refs))
    resume = (
        output_is_current(args.output_dir, args.format)
        if args.output_dir and not args.force
        else None
    )

    async def go() -> int:
        outcomes = summarize_inputs(
            refs,
            settings,
            concurrency=args.concurrency,
            published=published,
            done_already=resume,
            max_total_tokens=args.max_total_tokens,
            max_input_bytes=args.max_input_bytes or MAX_INPUT_BYTES,
        )
        with Progress(tally, enabled=False if args.quiet else None) as progress:
            async for outcome in outcomes:
                if outcome.error is not None:  # what an endpoint said may quote the key
                    outcome.error.args = (redact(str(outcome.error)),)
                sink.write(outcome)
                tally.add(outcome)
                progress.update()
                if outcome.error is not None:
                    prefix = _prefix(outcome.ref.display, outcome.error)
                    error(outcome.error, args.verbose, prefix=prefix, redact=redact)
        if not args.quiet:
            print(f"summarizer: {tally.line(settings.model, settings.label)}", file=sys.stderr)
        return EXIT_FAILED if tally.failed else EXIT_OK

    try:
        return asyncio.run(go())
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except KeyboardInterrupt:
        # What finished is written; what was in flight is cancelled, nothing half-written.
        done = tally.done + tally.failed + tally.skipped
        again = " (the same command resumes)" if args.output_dir else ""
        print(
            f"summarizer: interrupted after {done} of {tally.total} inputs{again}",
            file=sys.stderr,
        )
        return 130
    except SummarizerError as exc:  # pragma: no cover - defensive: batches yield errors
        error(exc, args.verbose, redact=redact)
        return EXIT_FAILED


def _settle_imports() -> None:
    """Move everything imported so far out of the garbage collector's reach: the
    long-lived import graph is never garbage, and re-scanning it on every collection
    slowed large batches by several percent."""
    import gc

    gc.collect()
    gc.freeze()
    # Each summary is thousands of small objects that live until it is written; the
    # default thresholds then run young collections hundreds of times a second.
    gc.set_threshold(50_000, 20, 20)


def _prefix(name: str, error: Exception) -> str:
    """Input errors already start with the input's name; others get it prepended."""
    return "" if str(error).startswith(name) else f"{name}: "
