"""Settings, resolved once: explicit arguments, then environment, then defaults."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

from summarizer.errors import ConfigurationError

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "MODES",
    "PLACEHOLDER_KEY",
    "STRATEGIES",
    "TRANSPORT_AND_REPLAY",
    "Options",
    "Settings",
    "resolve_settings",
]

DEFAULT_MODEL = "gpt-4o-mini"
MODES = ("tools", "json", "json_schema", "md_json")
BACKENDS = ("openai", "local")
STRATEGIES = ("single", "focused")
PLACEHOLDER_KEY = "not-needed"  # sent where the server wants no key (local servers, replay)
TRANSPORT_AND_REPLAY = (
    "give either a transport or a replay folder, not both: each says where answers come from"
)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to reach a model. The API key never appears in `repr`."""

    model: str = DEFAULT_MODEL
    backend: str = "openai"
    strategy: str = "single"
    model_path: Path | None = None
    threads: int | None = None
    repeat_penalty: float | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = "tools"
    timeout: float = 120.0
    max_retries: int = 4
    max_reasks: int = 2
    max_time: float = 600.0
    temperature: float = 0.0
    max_tokens: int | None = 4096
    context: int | None = None  # the server's context in tokens, when it does not say
    record: Path | None = None
    replay: Path | None = None
    chunk_chars: int = 24_000  # about 6,000 tokens of article per request, for long texts
    chunk_concurrency: int = 4  # chunks of one article extracted at once
    cache_dir: Path | None = None  # None: no cache

    @property
    def label(self) -> str:
        """How provenance names where answers came from."""
        if self.replay is not None:
            return "replay"
        return "local" if self.backend == "local" else "openai-compatible"


class Options(TypedDict, total=False):
    """The settings a caller may give by name (`resolve_settings`, `Summarizer`,
    `summarize`...); anything not given comes from the environment, then the defaults."""

    model: str | None
    backend: str | None
    strategy: str | None
    model_path: str | os.PathLike[str] | None
    threads: int | None
    base_url: str | None
    api_key: str | None
    mode: str | None
    timeout: float | None
    max_retries: int | None
    max_reasks: int | None
    max_time: float | None
    temperature: float | None
    max_tokens: int | None
    context: int | None
    record: str | os.PathLike[str] | None
    replay: str | os.PathLike[str] | None
    chunk_chars: int | None
    cache: bool
    cache_dir: str | os.PathLike[str] | None
    env: Mapping[str, str] | None


def resolve_settings(
    *,
    model: str | None = None,
    backend: str | None = None,
    strategy: str | None = None,
    model_path: str | os.PathLike[str] | None = None,
    threads: int | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    mode: str | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    max_reasks: int | None = None,
    max_time: float | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    context: int | None = None,
    record: str | os.PathLike[str] | None = None,
    replay: str | os.PathLike[str] | None = None,
    chunk_chars: int | None = None,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    injected: bool = False,
) -> Settings:
    """Merge arguments over `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `SUMMARIZER_MODEL`
    and the defaults, and reject what cannot work before any request is sent.

    With no endpoint at all (no base URL, no key, no replay folder) the backend is the
    embedded local model; `backend` chooses explicitly. `injected` says a transport is
    given (`Summarizer(transport=...)`): it is the endpoint, so none need be configured."""
    env = os.environ if env is None else env
    defaults = Settings()
    base_url = base_url or env.get("OPENAI_BASE_URL") or None
    api_key = api_key or env.get("OPENAI_API_KEY") or None
    if backend is None:
        endpoint = base_url or api_key or replay is not None or injected
        backend = "openai" if endpoint and model_path is None else "local"
    if backend not in BACKENDS:
        raise ConfigurationError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
    local_path: Path | None = None
    if backend == "local":
        from summarizer.backends.local import check_available, model_name

        local_path = Path(model_path) if model_path is not None else None
        if replay is None and not injected:
            local_path = check_available(local_path)
        model = model or (model_name(local_path) if local_path else None) or _bundled_name()
    settings = Settings(
        model=model or env.get("SUMMARIZER_MODEL") or defaults.model,
        backend=backend,
        strategy=strategy or ("focused" if backend == "local" else "single"),
        model_path=local_path,
        threads=threads,
        repeat_penalty=1.1 if backend == "local" else None,
        base_url=base_url if backend == "openai" else None,
        api_key=api_key if backend == "openai" else None,
        mode=(mode or defaults.mode).lower().replace("-", "_"),
        timeout=_default_timeout(base_url, max_time) if timeout is None else float(timeout),
        max_retries=defaults.max_retries if max_retries is None else int(max_retries),
        max_reasks=defaults.max_reasks if max_reasks is None else int(max_reasks),
        max_time=defaults.max_time if max_time is None else float(max_time),
        temperature=defaults.temperature if temperature is None else float(temperature),
        max_tokens=defaults.max_tokens if max_tokens is None else int(max_tokens),
        context=None if context is None else int(context),
        record=Path(record) if record is not None else None,
        replay=Path(replay) if replay is not None else None,
        chunk_chars=defaults.chunk_chars if chunk_chars is None else int(chunk_chars),
        # Recording must reach the model and replay is already local: neither is cached.
        cache_dir=_cache_dir(cache_dir, env)
        if cache and record is None and replay is None
        else None,
    )
    _check(settings, injected=injected)
    return settings


def _default_timeout(base_url: str | None, max_time: float | None) -> float:
    """120 s, or the article's whole max time for a server on this machine: a local
    model may take minutes for one long answer, and it goes on generating a request
    the client gave up on, so a retry would only queue behind it."""
    host = urlsplit(base_url).hostname if base_url else None
    if host == "localhost" or _is_loopback(host):
        return Settings.max_time if max_time is None else float(max_time)
    return Settings.timeout


def _is_loopback(host: str | None) -> bool:
    import ipaddress

    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _cache_dir(given: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path:
    """--cache-dir, else $SUMMARIZER_CACHE_DIR, else the platform's user cache folder."""
    if given is not None:
        return Path(given)
    if env.get("SUMMARIZER_CACHE_DIR"):
        return Path(env["SUMMARIZER_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summarizer")) / "summaries"


def _bundled_name() -> str:
    from summarizer.backends.local import DEFAULT_GGUF

    return DEFAULT_GGUF.removesuffix(".gguf")


def _check(s: Settings, *, injected: bool = False) -> None:
    if s.mode not in MODES:
        raise ConfigurationError(f"unknown mode {s.mode!r}: use one of {', '.join(MODES)}")
    if s.strategy not in STRATEGIES:
        raise ConfigurationError(
            f"unknown strategy {s.strategy!r}: use one of {', '.join(STRATEGIES)}"
        )
    if s.backend == "local" and s.mode != "tools":
        raise ConfigurationError(
            "the local backend constrains output through a forced tool call: use --mode tools"
        )
    if s.chunk_chars < 1000:
        raise ConfigurationError("chunk size must be at least 1000 characters")
    if s.threads is not None and s.threads <= 0:
        raise ConfigurationError("threads must be a positive number")
    if not (s.timeout > 0 and s.max_time > 0 and math.isfinite(s.timeout + s.max_time)):
        raise ConfigurationError("timeout and max time must be positive numbers of seconds")
    if not (math.isfinite(s.temperature) and 0 <= s.temperature <= 2):
        raise ConfigurationError(f"temperature must be between 0 and 2, not {s.temperature}")
    if s.max_retries < 0 or s.max_reasks < 0:
        raise ConfigurationError("max retries and max re-asks must be 0 or more")
    if s.max_tokens is not None and s.max_tokens <= 0:
        raise ConfigurationError("max tokens must be a positive number")
    if s.context is not None and s.context < 512:
        raise ConfigurationError(
            f"a context of {s.context} tokens is too small: the shortest prompt takes ~300"
        )
    if s.record is not None and s.replay is not None:
        raise ConfigurationError("use either record or replay, not both")
    if s.record is not None and s.record.exists() and not s.record.is_dir():
        raise ConfigurationError(f"record folder {str(s.record)!r} is a file, not a folder")
    if s.replay is not None and not s.replay.is_dir():
        what = "is a file, not a folder" if s.replay.exists() else "does not exist"
        raise ConfigurationError(f"replay folder {str(s.replay)!r} {what}")
    if s.base_url is not None:
        parts = urlsplit(s.base_url)
        try:
            parts.port  # noqa: B018 - raises on a port out of range
        except ValueError:
            raise ConfigurationError(
                f"base URL {s.base_url!r} has no valid port (1 to 65535)"
            ) from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(
                f"base URL {s.base_url!r} is not an http(s) URL such as http://localhost:11434/v1"
            )
    if injected and s.replay is not None:
        raise ConfigurationError(TRANSPORT_AND_REPLAY)
    if (
        s.backend == "openai"
        and not injected
        and s.replay is None
        and s.base_url is None
        and s.api_key is None
    ):
        raise ConfigurationError(
            "no endpoint configured: set OPENAI_API_KEY (or --api-key) for OpenAI, "
            "--base-url / OPENAI_BASE_URL for a local server, or --replay DIR for fixtures"
        )
