"""A content-addressed cache of whole summaries, so a rerun sends no request at all.

The key covers everything that changes the answer: the article's hash and publication
date, a fingerprint of the code and templates that shape a summary, the prompt and
schema versions, backend, model, mode, strategy and sampling parameters. One small JSON
file per summary, written atomically; a damaged file is a miss. Whole documents rather
than instructor's per-call cache: a hit then skips prompt building, every model call of
the focused strategy and all validation.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from summarizer.article import Article
from summarizer.config import Settings
from summarizer.extraction import prompts
from summarizer.extraction.prompts import prompt_version
from summarizer.io.files import write_atomic
from summarizer.schema import CHECKED_BEFORE, SCHEMA_VERSION, Summary

__all__ = [
    "SummaryCache",
    "cache_key",
    "code_fingerprint",
    "worth_caching",
]


def cache_key(settings: Settings, article: Article) -> str:
    s = settings
    from summarizer import __version__

    parts = {
        "version": __version__,
        "code": code_fingerprint(),  # grounding, merging, salvage: code changes summaries too
        "article": article.sha256,
        "published": article.published.isoformat() if article.published else None,
        "prompt": prompt_version(s.strategy),
        "schema": SCHEMA_VERSION,
        "backend": s.label,
        "base_url": s.base_url,
        "model": s.model,
        "model_path": str(s.model_path) if s.model_path else None,
        "mode": s.mode,
        "strategy": s.strategy,
        "temperature": s.temperature,
        "max_tokens": s.max_tokens,
        "chunk_chars": s.chunk_chars,
        "max_reasks": s.max_reasks,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


_PACKAGE = Path(__file__).resolve().parent.parent  # the whole package, not just io/


def code_fingerprint() -> str:
    """A hash of the package's Python sources and the prompt templates, so that a change
    to either (an edit in a checkout, an upgrade without a version bump) is a miss."""
    return _fingerprint(_PACKAGE)


@cache
def _fingerprint(package: Path) -> str:
    """Read once per process: about 3 ms for some 250 KB."""
    digest = hashlib.sha256()
    for root, pattern in ((package, "*.py"), (prompts._template_dir(), "*.j2")):
        for path in sorted(root.rglob(pattern)):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class SummaryCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Summary | None:
        try:
            # Written by `put` after the summary passed every check: a rerun of 10,000
            # cached summaries would spend half its time walking their references again.
            raw = self._path(key).read_bytes()
            return Summary.model_validate_json(raw, context={CHECKED_BEFORE: True})
        except (OSError, ValidationError):
            return None

    def find(self, settings: Settings, article: Article) -> Summary | None:
        """The summary of `article` made under `settings`, as a cache hit: its source
        path is this article's and its provenance says `cached`."""
        hit = self.get(cache_key(settings, article))
        if hit is None:
            return None
        source = hit.provenance.source.model_copy(update={"path": article.path})
        provenance = hit.provenance.model_copy(update={"source": source, "cached": True})
        return hit.model_copy(update={"provenance": provenance})

    def put(self, key: str, summary: Summary) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, summary.model_dump_json())
        except Exception:  # a cache that cannot be written is only a slower rerun
            pass


def worth_caching(summary: Summary) -> bool:
    """Not an answer that lost items after its last re-ask: that may be a passing
    glitch, so the next run asks again. Names resolved and values left out are the
    answer's own and are cached with it."""
    return not any(d.action == "dropped item" for d in summary.diagnostics)
