"""What a run tells the person watching it: a progress bar on a terminal, a final line.

The bar goes to stderr and only when stderr is a terminal, so pipes and logs stay clean.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TextIO

from summarizer import Outcome

__all__ = ["PRICES", "Progress", "Tally"]


# US dollars per million tokens (input, output), for the cost estimate only.
PRICES = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
}


@dataclass
class Tally:
    """Counts and tokens of a run; tokens only for documents sent to a model now."""

    total: int
    done: int = 0
    failed: int = 0
    skipped: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # of the prompt tokens, served by the server's prompt cache
    requests: int = 0
    reasks: int = 0
    failed_tokens: int = 0  # spent on inputs that failed in the end
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: Outcome) -> None:
        if outcome.skipped:
            self.skipped += 1
        elif outcome.summary is None:
            self.failed += 1
            self.failed_tokens += outcome.error.tokens if outcome.error is not None else 0
        else:
            self.done += 1
            if outcome.summary.provenance.cached:
                self.cached += 1
            else:
                usage = outcome.summary.provenance.usage
                self.prompt_tokens += usage.prompt_tokens
                self.completion_tokens += usage.completion_tokens
                self.cached_tokens += usage.cached_tokens
                self.requests += usage.requests
                self.reasks += usage.reasks

    def line(self, model: str, backend: str) -> str:
        """The final line; `backend` is a `Settings.label`."""
        seconds = time.monotonic() - self.started
        parts = [
            f"{self.total} input{'s' if self.total != 1 else ''}: {self.done} summarized"
            + (f" ({self.cached} from cache)" if self.cached else ""),
            f"{self.failed} failed",
        ]
        if self.skipped:
            parts.append(f"{self.skipped} skipped (output already there)")
        text = ", ".join(parts)
        if self.requests:
            text += f"; {self.requests:,} request{'s' if self.requests != 1 else ''}"
            text += f" ({self.reasks:,} re-ask{'s' if self.reasks != 1 else ''})"
        cached = f" ({self.cached_tokens:,} cached)" if self.cached_tokens else ""
        text += f"; tokens {self.prompt_tokens:,} in{cached}, {self.completion_tokens:,} out"
        if self.failed_tokens:
            text += f", {self.failed_tokens:,} on failed inputs"
        text += f"; {seconds:.1f} s"
        if backend == "replay":
            text += "; replayed, no cost"
        elif backend == "local":
            text += "; local model, no cost"
        elif model in PRICES:
            price_in, price_out = PRICES[model]
            prompt = self.prompt_tokens + self.failed_tokens  # failures counted at the input price
            cost = (prompt * price_in + self.completion_tokens * price_out) / 1e6
            text += f"; about ${cost:.4f} at {model} list prices"
        return text


class Progress:
    """A rich progress bar on a terminal; nothing at all otherwise."""

    def __init__(self, tally: Tally, stream: TextIO | None = None, enabled: bool | None = None):
        self.tally = tally
        stream = stream or sys.stderr
        self.enabled = stream.isatty() if enabled is None else enabled
        self._bar: Any = None
        self._task: Any = None
        self._stream = stream

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("summarizing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TextColumn("{task.fields[tokens]:,} tokens"),
                TextColumn("{task.fields[rate]:.1f}/s"),
                TimeElapsedColumn(),
                console=Console(file=self._stream),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(
                "", total=self.tally.total, failed=0, tokens=0, rate=0.0
            )
        return self

    def update(self) -> None:
        if self._bar is None:
            return
        t = self.tally
        finished = t.done + t.failed + t.skipped
        elapsed = max(time.monotonic() - t.started, 1e-6)
        self._bar.update(
            self._task,
            completed=finished,
            failed=t.failed,
            tokens=t.prompt_tokens + t.completion_tokens,
            rate=finished / elapsed,
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)
