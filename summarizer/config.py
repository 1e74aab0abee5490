"""Settings, resolved once: explicit arguments, then environment, then defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ConfigurationError

DEFAULT_MODEL = "gpt-4o-mini"
MODES = ("tools", "json", "json_schema", "md_json")
PLACEHOLDER_KEY = "not-needed"  # sent where the server wants no key (local servers, replay)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to reach a model. The API key never appears in `repr`."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = "tools"
    timeout: float = 120.0
    max_retries: int = 4
    max_reasks: int = 2
    max_time: float = 600.0
    temperature: float = 0.0
    max_tokens: int | None = 4096
    record: Path | None = None
    replay: Path | None = None

    @property
    def backend(self) -> str:
        return "replay" if self.replay is not None else "openai-compatible"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def resolve_settings(
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    max_reasks: int | None = None,
    max_time: float | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    record: str | os.PathLike[str] | None = None,
    replay: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Merge arguments over `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `SUMMARIZER_MODEL`
    and the defaults, and reject what cannot work before any request is sent."""
    env = os.environ if env is None else env
    defaults = Settings()
    settings = Settings(
        model=model or env.get("SUMMARIZER_MODEL") or defaults.model,
        base_url=(base_url or env.get("OPENAI_BASE_URL") or None),
        api_key=api_key or env.get("OPENAI_API_KEY") or None,
        mode=(mode or defaults.mode).lower().replace("-", "_"),
        timeout=defaults.timeout if timeout is None else float(timeout),
        max_retries=defaults.max_retries if max_retries is None else int(max_retries),
        max_reasks=defaults.max_reasks if max_reasks is None else int(max_reasks),
        max_time=defaults.max_time if max_time is None else float(max_time),
        temperature=defaults.temperature if temperature is None else float(temperature),
        max_tokens=defaults.max_tokens if max_tokens is None else int(max_tokens),
        record=Path(record) if record is not None else None,
        replay=Path(replay) if replay is not None else None,
    )
    _check(settings)
    return settings


def _check(s: Settings) -> None:
    if s.mode not in MODES:
        raise ConfigurationError(f"unknown mode {s.mode!r}: use one of {', '.join(MODES)}")
    if s.timeout <= 0 or s.max_time <= 0:
        raise ConfigurationError("timeout and max time must be positive numbers of seconds")
    if s.max_retries < 0 or s.max_reasks < 0:
        raise ConfigurationError("max retries and max re-asks must be 0 or more")
    if s.max_tokens is not None and s.max_tokens <= 0:
        raise ConfigurationError("max tokens must be a positive number")
    if s.record is not None and s.replay is not None:
        raise ConfigurationError("use either record or replay, not both")
    if s.record is not None and s.record.exists() and not s.record.is_dir():
        raise ConfigurationError(f"record folder {str(s.record)!r} is a file, not a folder")
    if s.replay is not None and not s.replay.is_dir():
        raise ConfigurationError(f"replay folder {str(s.replay)!r} does not exist")
    if s.base_url is not None:
        parts = urlsplit(s.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(
                f"base URL {s.base_url!r} is not an http(s) URL such as http://localhost:11434/v1"
            )
    if s.replay is None and s.base_url is None and s.api_key is None:
        raise ConfigurationError(
            "no endpoint configured: set OPENAI_API_KEY (or --api-key) for OpenAI, "
            "--base-url / OPENAI_BASE_URL for a local server, or --replay DIR for fixtures"
        )
