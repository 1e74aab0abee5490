"""Running many inputs with one client and writing one record per input."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from summarizer.article import Article
from summarizer.backends.budget import TokenBudget
from summarizer.client import Summarizer
from summarizer.config import Settings
from summarizer.errors import InternalError, SummarizerError
from summarizer.io.files import remove_leftovers, write_atomic
from summarizer.io.inputs import MAX_INPUT_BYTES, InputRef, read_article
from summarizer.io.markdown import render_markdown
from summarizer.schema import Summary

if TYPE_CHECKING:
    import httpx2

__all__ = [
    "DirectorySink",
    "Outcome",
    "StdoutSink",
    "default_concurrency",
    "error_record",
    "output_is_current",
    "summarize_inputs",
    "summary_json",
]


@dataclass(frozen=True)
class Outcome:
    """What became of one input: a summary, an error, or skipped because its output
    is already there; exactly one of these."""

    ref: InputRef
    summary: Summary | None = None
    error: SummarizerError | None = None
    skipped: bool = False


def default_concurrency(settings: Settings) -> int:
    """Endpoints serve many requests at once; the local model serves one."""
    return 1 if settings.backend == "local" and settings.replay is None else 16


async def summarize_inputs(
    refs: Iterable[InputRef],
    settings: Settings,
    *,
    concurrency: int | None = None,
    stdin: BinaryIO | None = None,
    published: dt.date | None = None,
    done_already: Callable[[InputRef, Article], bool] | None = None,
    max_total_tokens: int | None = None,
    max_input_bytes: int = MAX_INPUT_BYTES,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> AsyncIterator[Outcome]:
    """Summarize inputs with at most `concurrency` requests in flight, yielding each
    outcome as it finishes. A bad input is an error outcome and the rest go on; once
    `max_total_tokens` are spent (see `budget.py`), no request is sent: inputs whose
    next request would go out fail. `transport`, when given, answers every request (see
    `Summarizer`).

    Twice as many documents as requests are in progress, so that one is always ready to
    send while others are being read or checked; memory stays bounded by that."""
    limit = concurrency or default_concurrency(settings)
    budget = TokenBudget(max_total_tokens) if max_total_tokens is not None else None
    in_progress = 2 * limit

    async with Summarizer(
        settings, transport=transport, max_in_flight=limit, budget=budget
    ) as client:

        async def one(ref: InputRef) -> Outcome:
            try:
                article = read_article(ref, stdin, max_bytes=max_input_bytes)
                if published is not None:
                    article = replace(article, published=published)
                if done_already is not None and done_already(ref, article):
                    return Outcome(ref, skipped=True)
                hit = client.cached(article)
                if hit is not None:
                    return Outcome(ref, summary=hit)
                if budget is not None:
                    budget.check()  # before building a request that would be refused
                summary = await client.fresh(article)  # the cache was looked in above
                return Outcome(ref, summary=summary)
            except SummarizerError as exc:
                return Outcome(ref, error=exc)
            except Exception as exc:  # a bug of ours must not sink the other inputs
                error = InternalError(f"unexpected {type(exc).__name__}: {exc} (please report)")
                error.__cause__ = exc
                return Outcome(ref, error=error)

        pending: set[asyncio.Task[Outcome]] = set()
        try:
            for ref in refs:
                while len(pending) >= in_progress:
                    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        yield task.result()
                pending.add(asyncio.create_task(one(ref)))
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    yield task.result()
        finally:
            # The consumer stopped early (break, error, Ctrl-C): send nothing more.
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)


def output_is_current(folder: Path, fmt: str) -> Callable[[InputRef, Article], bool]:
    """For resuming: an input is done when its output in this format, in `folder`,
    summarizes this very text (its sha256 is recorded in both JSON and Markdown)."""
    suffix = ".md" if fmt == "markdown" else ".json"

    def check(ref: InputRef, article: Article) -> bool:
        path = folder / f"{ref.stem}{suffix}"
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        if suffix == ".md":
            return f"source sha256 {article.sha256}" in content
        try:
            return bool(json.loads(content)["provenance"]["source"]["sha256"] == article.sha256)
        except (ValueError, KeyError, TypeError):
            return False

    return check


def error_record(outcome: Outcome) -> dict[str, Any]:
    error = outcome.error
    assert error is not None
    return {
        "source": outcome.ref.name,
        "error": {"kind": error.kind, "type": type(error).__name__, "message": str(error)},
    }


def summary_json(summary: Summary, *, indent: int | None) -> str:
    return summary.model_dump_json(indent=indent, exclude_none=False)


class StdoutSink:
    """One JSON document for one input, JSON Lines for several, or Markdown briefs."""

    def __init__(self, stream: TextIO, fmt: str, count: int):
        self.stream = stream
        self.fmt = "jsonl" if fmt == "json" and count > 1 else fmt

    def write(self, outcome: Outcome) -> None:
        if outcome.skipped:
            return
        if self.fmt == "markdown":
            if outcome.summary is not None:
                self.stream.write(render_markdown(outcome.summary, title=outcome.ref.name) + "\n")
            else:  # one record per input, in Markdown too
                assert outcome.error is not None
                self.stream.write(f"# {outcome.ref.display}\n\n**Failed:** {outcome.error}\n\n")
        elif self.fmt == "json":
            if outcome.summary is not None:
                self.stream.write(summary_json(outcome.summary, indent=2) + "\n")
        elif outcome.summary is not None:
            self.stream.write(summary_json(outcome.summary, indent=None) + "\n")
        else:
            self.stream.write(json.dumps(error_record(outcome), ensure_ascii=False) + "\n")
        self.stream.flush()


class DirectorySink:
    """`NAME.json` (or `NAME.md`) for a summary, `NAME.error.json` for a failure; the
    other of the pair is removed so the folder always tells the latest outcome."""

    def __init__(self, folder: Path, fmt: str):
        """Raises OSError when the folder cannot be made or written, before any work."""
        self.folder = folder
        self.fmt = fmt
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".summarizer-probe-")  # noqa: SIM115
        probe.close()
        remove_leftovers(folder)  # of a run killed (kill -9, power cut) mid-write

    def paths(self, ref: InputRef) -> tuple[Path, Path]:
        suffix = ".md" if self.fmt == "markdown" else ".json"
        return self.folder / f"{ref.stem}{suffix}", self.folder / f"{ref.stem}.error.json"

    def write(self, outcome: Outcome) -> None:
        if outcome.skipped:
            return
        good, bad = self.paths(outcome.ref)
        if outcome.summary is not None:
            if self.fmt == "markdown":
                text = render_markdown(outcome.summary, title=outcome.ref.name)
            else:
                text = summary_json(outcome.summary, indent=2) + "\n"
            write_atomic(good, text)
            bad.unlink(missing_ok=True)
        else:
            write_atomic(
                bad, json.dumps(error_record(outcome), indent=2, ensure_ascii=False) + "\n"
            )
            good.unlink(missing_ok=True)
