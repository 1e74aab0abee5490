"""`summarizer batch submit|status|collect|cancel`: provider batches from the shell."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer import DEFAULT_MODEL, MODES
from summarizer.cli.options import (
    configure_logging,
    error,
    non_negative_int,
    positive_float,
    positive_int,
)
from summarizer.cli.progress import PRICES

if TYPE_CHECKING:
    from summarizer.batch_api import BatchJob, BatchReport

__all__ = ["add_batch_command", "run_batch"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PENDING, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

_EPILOG = """\
examples:
  export OPENAI_API_KEY=...
  summarizer batch submit news/ --output-dir out/ --model gpt-4o-mini
  summarizer batch status out/
  summarizer batch collect out/ --wait          # until every round is in
  summarizer batch collect out/                 # or now and then: exit 3 while waiting

  # vLLM on your own GPUs: write the requests, run them, collect the results
  summarizer batch submit news/ --output-dir out/ --dry-run --model Qwen/Qwen2.5-7B-Instruct \\
      --mode json_schema
  vllm run-batch -i out/batch/requests-r1-001.jsonl -o r1.jsonl --model Qwen/Qwen2.5-7B-Instruct
  summarizer batch collect out/ --results r1.jsonl   # writes requests-r2-*.jsonl if re-asks

how it works: every input becomes one request (one per part of a long article) of the
single strategy, with the same prompts, schema and mode as a live run; the focused
strategy asks its questions one after another and runs live only. Collect validates
and grounds every answer exactly as a live run would, writes DIR/NAME.json or
NAME.error.json, caches each summary (a later live run of the same input and settings
is free), and sends the answers that failed validation back in a follow-up batch with
the re-ask message, up to --max-reasks rounds; requests that failed in the batch
(5xx, 429) are sent again, up to --max-retries. The job's state is DIR/batch/job.json:
kill any command at any point and run it again. Prices are the provider's batch
prices, half the live ones at OpenAI.

exit status: 0 every input summarized, 1 finished but some failed, 2 usage or
configuration error, 3 (collect) not finished yet: batches still running, or requests
waiting for --resubmit
"""


def add_batch_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    batch = commands.add_parser(
        "batch",
        help="summarize many inputs through a provider's batch API (half price, slower)",
        description="Summarize many inputs through OpenAI's Batch API, or write request "
        "files for `vllm run-batch` and collect its results.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    steps = batch.add_subparsers(dest="batch_command", metavar="STEP", required=True)

    submit = steps.add_parser(
        "submit",
        help="write the requests and send them as batches",
        description="Write one request per input into DIR/batch/requests-r1-NNN.jsonl "
        "(split at the provider's limits), upload them and create a batch of each.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    submit.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    submit.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        required=True,
        help="the job's folder: summaries go here as NAME.json, its state into DIR/batch/",
    )
    submit.add_argument(
        "--dry-run",
        action="store_true",
        help="write the request files only, for `vllm run-batch` or another runner; "
        "collect their results with `batch collect DIR --results FILE`",
    )
    submit.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="publication date, to turn 'Thursday' into an ISO date (default: a dateline)",
    )
    model = submit.add_argument_group("model and endpoint")
    model.add_argument(
        "--model", help=f"model name (default: $SUMMARIZER_MODEL or {DEFAULT_MODEL})"
    )
    model.add_argument(
        "--base-url",
        help="a server with OpenAI's Files and Batches API (default: $OPENAI_BASE_URL, "
        "else OpenAI)",
    )
    model.add_argument("--api-key", help="API key (default: $OPENAI_API_KEY); never printed")
    model.add_argument(
        "--mode",
        choices=MODES,
        type=str.lower,
        help="how the schema is sent (default tools); for `vllm run-batch` use json_schema, "
        "which its request validation accepts without tool parsing",
    )
    model.add_argument(
        "--strategy",
        choices=("single", "focused"),
        help="single only: the focused strategy asks one question after another and runs "
        "live only (`summarizer summarize`)",
    )
    model.add_argument("--temperature", type=float, help="sampling temperature (default 0)")
    model.add_argument(
        "--max-tokens", type=positive_int, help="cap on each answer's tokens (default 4096)"
    )
    model.add_argument(
        "--chunk-chars",
        type=positive_int,
        metavar="N",
        help="longer articles are split into parts of at most N characters, one request "
        "each (default 24000)",
    )
    rounds = submit.add_argument_group("rounds")
    rounds.add_argument(
        "--max-reasks",
        type=non_negative_int,
        help="follow-up batches re-asking answers that failed validation (default 2)",
    )
    rounds.add_argument(
        "--max-retries",
        type=non_negative_int,
        help="times a request that failed in a batch (5xx, 429) is sent again (default 4)",
    )
    rounds.add_argument("--timeout", type=positive_float, help="seconds per API call (default 120)")
    files = submit.add_argument_group("request files")
    files.add_argument(
        "--max-requests-per-file",
        type=positive_int,
        metavar="N",
        default=50_000,
        help="start a new file after N requests (default 50,000, OpenAI's limit)",
    )
    files.add_argument(
        "--max-file-bytes",
        type=positive_int,
        metavar="N",
        default=200_000_000,
        help="start a new file before one passes N bytes (default 200,000,000, OpenAI's limit)",
    )
    _cache_options(submit)
    _common(submit)

    status = steps.add_parser(
        "status",
        help="the job's batches as the provider reports them",
        description="Ask the provider about each batch of the job; count the outputs.",
    )
    status.add_argument(
        "folder", type=Path, metavar="DIR", help="the job's folder (submit's --output-dir)"
    )
    status.add_argument("--json", action="store_true", help="the job's state as JSON")
    _key(status)
    _common(status)

    collect = steps.add_parser(
        "collect",
        help="download results, write summaries, send the next round",
        description="Download what finished, validate and ground every answer as a live "
        "run would, write DIR/NAME.json or NAME.error.json, and send re-asks and retries "
        "as the next round. Safe to run again at any time.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    collect.add_argument(
        "folder", type=Path, metavar="DIR", help="the job's folder (submit's --output-dir)"
    )
    collect.add_argument(
        "--wait", action="store_true", help="poll until every round is in (with backoff)"
    )
    collect.add_argument(
        "--poll",
        type=positive_float,
        default=30.0,
        metavar="SECONDS",
        help="first wait between polls with --wait, growing to 10 minutes (default 30)",
    )
    collect.add_argument(
        "--results",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a results file made elsewhere (`vllm run-batch -o FILE`); may be repeated",
    )
    collect.add_argument(
        "--resubmit",
        action="store_true",
        help="send what an expired, cancelled, failed or refused batch did not answer (or a "
        "results file did not cover), and inputs whose request changed since submit; "
        "lifts a cancel",
    )
    collect.add_argument(
        "--max-reasks",
        type=non_negative_int,
        metavar="N",
        help="rounds of re-asks for answers that fail validation, from now on (default: "
        "the job's, 2 unless submit said otherwise)",
    )
    collect.add_argument(
        "--max-retries",
        type=non_negative_int,
        metavar="N",
        help="times a request that failed in a batch is sent again, from now on (default: "
        "the job's, 4 unless submit said otherwise)",
    )
    _key(collect)
    _cache_options(collect)
    _common(collect)

    cancel = steps.add_parser(
        "cancel",
        help="cancel the job's running batches",
        description="Cancel the job's running batches. What they finished is still "
        "collected; `collect --resubmit` sends the rest again.",
    )
    cancel.add_argument(
        "folder", type=Path, metavar="DIR", help="the job's folder (submit's --output-dir)"
    )
    _key(cancel)
    _common(cancel)


def _key(command: argparse.ArgumentParser) -> None:
    command.add_argument("--api-key", help="API key (default: $OPENAI_API_KEY); never printed")


def _cache_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="summary cache (default: $SUMMARIZER_CACHE_DIR or the user cache folder)",
    )
    command.add_argument("--no-cache", action="store_true", help="neither read nor write it")


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("-q", "--quiet", action="store_true", help="no progress and no final line")
    command.add_argument("-v", "--verbose", action="store_true", help="tracebacks and debug logs")


def run_batch(args: argparse.Namespace) -> int:
    import os

    from summarizer import ConfigurationError, Redactor, SummarizerError

    configure_logging(args.verbose)
    redact = Redactor(getattr(args, "api_key", None), os.environ.get("OPENAI_API_KEY"))
    try:
        report = asyncio.run(_step(args))
    except ConfigurationError as exc:
        error(exc, args.verbose, redact=redact)
        return EXIT_USAGE
    except SummarizerError as exc:
        error(exc, args.verbose, redact=redact)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(
            "summarizer: interrupted; the job is saved: run the same command again",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    if args.batch_command == "status":
        _print_status(report, as_json=args.json)
    if not args.quiet:
        print(redact(f"summarizer: {final_line(report, args.batch_command)}"), file=sys.stderr)
    if args.batch_command == "collect" and not report.finished:
        return EXIT_PENDING  # before failures: a script waits on 3, then reads 0 or 1
    if (report.failed or report.failed_before) and args.batch_command == "collect":
        return EXIT_FAILED
    return EXIT_OK


async def _step(args: argparse.Namespace) -> BatchReport:
    doing = "building requests" if args.batch_command == "submit" else "reading answers"
    watcher = _Watcher(enabled=not args.quiet, doing=doing)
    try:
        return await _dispatch(args, watcher)
    finally:
        watcher.close()


async def _dispatch(args: argparse.Namespace, watcher: _Watcher) -> BatchReport:
    from summarizer import parse_date
    from summarizer.batch_api import (
        abatch_status,
        acancel_batch,
        acollect_batch,
        asubmit_batch,
        batch_settings,
    )

    if args.batch_command == "submit":
        settings = batch_settings(
            dry_run=args.dry_run,
            model=args.model,
            base_url=args.base_url,
            api_key=args.api_key,
            mode=args.mode,
            strategy=args.strategy,
            temperature=args.temperature,
            max_tokens=args.max_tokens,
            chunk_chars=args.chunk_chars,
            max_reasks=args.max_reasks,
            max_retries=args.max_retries,
            timeout=args.timeout,
            cache=not args.no_cache,
            cache_dir=args.cache_dir,
        )
        return await asubmit_batch(
            args.paths,
            args.output_dir,
            dry_run=args.dry_run,
            published=parse_date(args.date),
            max_requests=args.max_requests_per_file,
            max_bytes=args.max_file_bytes,
            settings=settings,
            on_progress=watcher.handled,
        )
    if args.batch_command == "status":
        return await abatch_status(args.folder, api_key=args.api_key)
    if args.batch_command == "cancel":
        return await acancel_batch(args.folder, api_key=args.api_key)
    return await acollect_batch(
        args.folder,
        wait=args.wait,
        results=args.results,
        resubmit=args.resubmit,
        poll=args.poll,
        api_key=args.api_key,
        cache=False if args.no_cache else None,
        cache_dir=args.cache_dir,
        max_reasks=args.max_reasks,
        max_retries=args.max_retries,
        on_poll=watcher,
        on_progress=watcher.handled,
    )


class _Watcher:
    """While collect waits: a spinner with each batch's progress on a terminal; on a
    pipe or log, one line each time a batch's status changes."""

    def __init__(self, enabled: bool, doing: str):
        self.enabled = enabled
        self.doing = doing
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self._status: Any = None
        self._last = ""

    def handled(self, done: int, total: int) -> None:
        """Inputs gone through the pipeline: shown on a terminal only."""
        if self.enabled and self.tty and (done % 50 == 0 or done == total):
            self._show(f"{self.doing}: {done:,} of {total:,} inputs")

    def _show(self, text: str) -> None:
        if self._status is None:
            from rich.console import Console

            self._status = Console(file=sys.stderr).status(text)
            self._status.start()
        self._status.update(text)

    def __call__(self, job: BatchJob) -> None:
        if not self.enabled:
            return
        running = [f for f in job.files if f.running]
        parts = [
            f"{f.batch_id} {f.status} {f.counts.get('completed', 0):,}/{f.lines:,}"
            for f in running[:3]
        ]
        more = f" and {len(running) - 3} more" if len(running) > 3 else ""
        text = f"waiting for {len(running)} batch(es): {', '.join(parts)}{more}"
        if self.tty:
            minutes = (time.monotonic() - self.started) / 60
            self._show(f"{text} ({minutes:.0f} min)")
        else:
            summary = ", ".join(f"{f.batch_id} {f.status}" for f in running)
            if summary != self._last:
                print(f"summarizer: {text}", file=sys.stderr)
                self._last = summary

    def close(self) -> None:
        if self._status is not None:
            self._status.stop()


def final_line(report: BatchReport, step: str) -> str:
    r = report
    head = f"batch {r.job_id}: {r.total:,} input{'s' if r.total != 1 else ''}"
    if step == "status":
        known = " (last known: not asked now)" if r.last_known and r.provider == "openai" else ""
        return (
            f"{head}: {r.done_before:,} summarized, {r.failed_before:,} failed, "
            f"{r.waiting:,} not yet; {_batches_text(r)}{known}"
        )
    parts = [f"{r.summarized + r.done_before:,} summarized"]
    notes = []
    if r.done_before:
        notes.append(f"{r.done_before:,} earlier")
    if r.cached:
        notes.append(f"{r.cached:,} from cache")
    if notes:
        parts[0] += f" ({', '.join(notes)})"
    failed = f"{r.failed + r.failed_before:,} failed"
    if r.failed_before:
        failed += f" ({r.failed_before:,} earlier)"
    parts.append(failed)
    if r.waiting:
        parts.append(f"{r.waiting:,} waiting")
    if r.missing:
        parts.append(f"{r.missing:,} missing")
    text = f"{head}: {', '.join(parts)}"
    if r.new_files:
        rounds = sorted({f.round for f in r.files if f.name in r.new_files})
        kinds = []
        if r.reasks:
            kinds.append(_count(r.reasks, "re-ask"))
        if r.retries:
            kinds.append(_count(r.retries, "retry", "retries"))
        what = f" ({', '.join(kinds)})" if kinds else ""
        text += f"; {_count(r.sent_requests, 'request')}{what} in round {rounds[-1]}"
        if r.provider == "none":
            text += (
                f": run {', '.join(r.new_files)} (in {r.folder / 'batch'}) and collect --results"
            )
        else:
            text += " sent"
    if r.missing:
        text += f"; not sent ({'; '.join(r.missing_why)}): collect --resubmit sends them"
    if step == "submit":  # nothing answered yet: no tokens, no cost
        return text
    text += f"; tokens {r.prompt_tokens:,} in, {r.completion_tokens:,} out"
    if r.failed_tokens:
        text += f", {r.failed_tokens:,} on failed inputs"
    if r.provider == "openai" and r.model in PRICES:
        price_in, price_out = PRICES[r.model]
        prompt = r.prompt_tokens + r.failed_tokens
        cost = (prompt * price_in + r.completion_tokens * price_out) / 1e6 / 2
        text += f"; about ${cost:.4f} at {r.model} batch prices (half the live price)"
    if step != "submit" and r.running:
        text += "; " + _batches_text(r)
    return text


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _batches_text(r: BatchReport) -> str:
    running = r.running
    if not running:
        return f"{len(r.files)} batch file(s), none running"
    return f"{len(running)} of {len(r.files)} batch(es) running"


def _print_status(report: BatchReport, *, as_json: bool) -> None:
    if as_json:
        data = {
            "job": report.job_id,
            "inputs": report.total,
            "summarized": report.done_before,
            "failed": report.failed,
            "not_yet": report.waiting,
            "files": [f.model_dump() for f in report.files],
        }
        print(json.dumps(data, indent=2))
        return
    for f in report.files:
        counts = f.counts
        done = (
            f"{counts.get('completed', 0):,}/{f.lines:,} done, {counts.get('failed', 0):,} failed"
        )
        print(f"round {f.round}  {f.name}  {f.batch_id or '-'}  {f.status}  {done}")
        for problem in f.errors:
            print(f"    {problem}")
