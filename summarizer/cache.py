"""A content-addressed cache of whole summaries, so a rerun sends no request at all.

The key covers everything that changes the answer: the article's hash and publication
date, the prompt and schema versions, backend, model, mode, strategy and sampling
parameters. One small JSON file per summary, written atomically; a damaged file is a
miss. Whole documents rather than instructor's per-call cache: a hit then skips prompt
building, every model call of the focused strategy and all validation.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from .article import Article
from .config import Settings
from .files import write_atomic
from .prompts import prompt_version
from .schema import SCHEMA_VERSION, Summary


def cache_key(settings: Settings, article: Article) -> str:
    s = settings
    from . import __version__

    parts = {
        "version": __version__,  # code changes (grounding, merging) change summaries too
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


class SummaryCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Summary | None:
        try:
            return Summary.model_validate_json(self._path(key).read_bytes())
        except (OSError, ValidationError):
            return None

    def put(self, key: str, summary: Summary) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, summary.model_dump_json())
        except Exception:  # a cache that cannot be written is only a slower rerun
            pass
