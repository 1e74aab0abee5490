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
from summarizer.io.web import TEXT_SUFFIX, WebArticle, fetch_page, page_provenance, save_text
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
    is already there; exactly one of these. `text` is the article text extracted from
    a web page (what the summary's spans point into), for a sink to save; None for
    other inputs and for pages that could not be read."""

    ref: InputRef
    summary: Summary | None = None
    error: SummarizerError | None = None
    skipped: bool = False
    text: str | None = None


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
    `Summarizer`); it does not fetch pages.

    URLs are fetched within `settings.timeout`; a web page's date is the article's
    publication date unless `published` (the CLI's `--date`) is given, and its summary's
    provenance names the extractor, the URL and the page's title.

    Twice as many documents as requests are in progress, so that one is always ready to
    send while others are being read or checked; memory stays bounded by that."""
    limit = concurrency or default_concurrency(settings)
    budget = TokenBudget(max_total_tokens) if max_total_tokens is not None else None
    in_progress = 2 * limit

    async with Summarizer(
        settings, transport=transport, max_in_flight=limit, budget=budget
    ) as client:

        async def one(ref: InputRef) -> Outcome:
            text = None  # a web page's article text, once read
            try:
                if ref.is_url:  # fetched within the timeout of a request
                    article: Article = await fetch_page(
                        ref.name, timeout=settings.timeout, max_bytes=max_input_bytes
                    )
                else:
                    article = read_article(ref, stdin, max_bytes=max_input_bytes)
                if isinstance(article, WebArticle):
                    text = article.text
                if published is not None:
                    article = replace(article, published=published)
                if done_already is not None and done_already(ref, article):
                    return Outcome(ref, skipped=True)
                summary = client.cached(article)
                if summary is None:
                    if budget is not None:
                        budget.check()  # before building a request that would be refused
                    summary = await client.fresh(article)  # the cache was looked in above
                return Outcome(ref, summary=page_provenance(summary, article), text=text)
            except SummarizerError as exc:
                return Outcome(ref, error=exc, text=text)
            except Exception as exc:  # a bug of ours must not sink the other inputs
                error = InternalError(f"unexpected {type(exc).__name__}: {exc} (please report)")
                error.__cause__ = exc
                return Outcome(ref, error=error, text=text)

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
    summarizes this very text (its sha256 is recorded in both JSON and Markdown; for a
    web page, the text extracted from it), and the page text a JSON summary names is
    there beside it."""
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
            source = json.loads(content)["provenance"]["source"]
            saved = source.get("text_file")
            return bool(source["sha256"] == article.sha256) and (
                saved is None or (folder / saved).is_file()
            )
        except (ValueError, KeyError, TypeError, AttributeError):
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
    other of the pair is removed so the folder always tells the latest outcome. A web
    page's article text goes beside its summary as `NAME.source.txt` (written first,
    named in the summary's `provenance.source.text_file`), and goes with it."""

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

    def text_path(self, ref: InputRef) -> Path:
        return self.folder / f"{ref.stem}{TEXT_SUFFIX}"

    def write(self, outcome: Outcome) -> None:
        if outcome.skipped:
            return
        good, bad = self.paths(outcome.ref)
        summary = outcome.summary
        if summary is not None:
            if outcome.text is not None:  # first, so that a summary never names a missing file
                saved = self.text_path(outcome.ref)
                save_text(saved, outcome.text)
                source = summary.provenance.source.model_copy(update={"text_file": saved.name})
                provenance = summary.provenance.model_copy(update={"source": source})
                summary = summary.model_copy(update={"provenance": provenance})
            if self.fmt == "markdown":
                text = render_markdown(summary, title=outcome.ref.name)
            else:
                text = summary_json(summary, indent=2) + "\n"
            write_atomic(good, text)
            bad.unlink(missing_ok=True)
        else:
            write_atomic(
                bad, json.dumps(error_record(outcome), indent=2, ensure_ascii=False) + "\n"
            )
            good.unlink(missing_ok=True)
            if outcome.text is not None or outcome.ref.is_page:
                self.text_path(outcome.ref).unlink(missing_ok=True)
