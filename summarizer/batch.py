"""Running many inputs with one client and writing one record per input."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .client import Summarizer
from .config import Settings
from .errors import SummarizerError
from .files import write_atomic
from .inputs import InputRef, read_article
from .markdown import render_markdown
from .schema import Summary

FORMATS = ("json", "jsonl", "markdown")


@dataclass(frozen=True)
class Outcome:
    """What became of one input: a summary or an error, never both, never neither."""

    ref: InputRef
    summary: Summary | None = None
    error: SummarizerError | None = None

    @property
    def ok(self) -> bool:
        return self.summary is not None


async def run_batch(
    refs: list[InputRef],
    settings: Settings,
    *,
    stdin: BinaryIO | None = None,
    published: dt.date | None = None,
) -> AsyncIterator[Outcome]:
    """Summarize each input in turn; a bad input yields an error outcome and the
    run goes on."""
    async with Summarizer(settings) as client:
        for ref in refs:
            try:
                article = read_article(ref, stdin)
                if published is not None:
                    article = replace(article, published=published)
                yield Outcome(ref, summary=await client.summarize(article))
            except SummarizerError as exc:
                yield Outcome(ref, error=exc)


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
        if self.fmt == "markdown":
            if outcome.summary is not None:
                self.stream.write(render_markdown(outcome.summary, title=outcome.ref.name) + "\n")
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
        self.folder = folder
        self.fmt = fmt
        folder.mkdir(parents=True, exist_ok=True)

    def paths(self, ref: InputRef) -> tuple[Path, Path]:
        suffix = ".md" if self.fmt == "markdown" else ".json"
        return self.folder / f"{ref.stem}{suffix}", self.folder / f"{ref.stem}.error.json"

    def write(self, outcome: Outcome) -> None:
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
