"""Options and helpers shared by the commands that call a model (`summarize`, `eval run`)."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from summarizer import DEFAULT_MODEL, MODES

if TYPE_CHECKING:
    from summarizer import Redactor, Settings

__all__ = [
    "add_backend_options",
    "configure_logging",
    "error",
    "mask_secrets",
    "non_negative_int",
    "positive_float",
    "positive_int",
    "settings_from",
]


_T = TypeVar("_T")


def add_backend_options(command: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """Model, endpoint, limits, fixtures, concurrency and cache; returns the "batches"
    group for the command to add its own."""
    model = command.add_argument_group("model and endpoint")
    model.add_argument(
        "--backend",
        choices=("local", "openai"),
        help="local: the embedded model, in process; openai: any OpenAI-compatible endpoint "
        "(default: openai when an endpoint, key or --replay is given, else local)",
    )
    model.add_argument(
        "--model-path",
        type=Path,
        metavar="FILE.gguf",
        help="run this GGUF locally instead of the bundled SmolLM2-135M (implies --backend local)",
    )
    model.add_argument(
        "--threads", type=positive_int, help="CPU threads for the local model (default: all)"
    )
    model.add_argument(
        "--strategy",
        choices=("single", "focused"),
        help="single: one call fills the whole schema (default for endpoints); focused: many "
        "small closed questions about candidates found in the text (default for local)",
    )
    model.add_argument(
        "--model", help=f"model name (default: $SUMMARIZER_MODEL or {DEFAULT_MODEL})"
    )
    model.add_argument("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    model.add_argument("--api-key", help="API key (default: $OPENAI_API_KEY); never printed")
    model.add_argument(
        "--mode",
        choices=MODES,
        type=str.lower,
        help="how the schema is sent: forced tool call (tools, default), json, json_schema "
        "or md_json; use json for servers without tool calling",
    )
    model.add_argument("--temperature", type=float, help="sampling temperature (default 0)")
    model.add_argument(
        "--max-tokens", type=positive_int, help="cap on each answer's tokens (default 4096)"
    )
    model.add_argument(
        "--context",
        type=positive_int,
        metavar="TOKENS",
        help="the server's context window, where it does not report it (llama.cpp's "
        "llama-server, vLLM, LM Studio and Ollama are asked; llama-cpp-python's server is "
        "learned from its first error): answers and long-article parts are fitted to it",
    )
    model.add_argument(
        "--chunk-chars",
        type=positive_int,
        metavar="N",
        help="longer articles are split on paragraphs into parts of at most N characters, "
        "extracted at once and merged (default 24000, about 6000 tokens; smaller when the "
        "server's context needs it)",
    )
    limits = command.add_argument_group("retries and time limits")
    limits.add_argument(
        "--timeout",
        type=positive_float,
        help="seconds per request (default 120; for a server on this machine, --max-time: "
        "a local model may need minutes for one answer)",
    )
    limits.add_argument(
        "--max-retries",
        type=non_negative_int,
        help="retries of 429, 5xx, timeouts and dropped connections (default 4)",
    )
    limits.add_argument(
        "--max-reasks",
        type=non_negative_int,
        help="re-asks after an answer fails validation or is cut off at max tokens (default 2)",
    )
    limits.add_argument(
        "--max-time",
        type=positive_float,
        help="seconds for all attempts on one input (default 600)",
    )
    fixtures = command.add_mutually_exclusive_group()
    fixtures.add_argument(
        "--record", type=Path, metavar="DIR", help="save every model exchange as a fixture in DIR"
    )
    fixtures.add_argument(
        "--replay",
        type=Path,
        metavar="DIR",
        help="answer only from fixtures in DIR; no network, no key; a miss says what differs",
    )
    batch = command.add_argument_group("batches")
    batch.add_argument(
        "--concurrency",
        type=positive_int,
        metavar="N",
        help="requests in flight at once (default 16 for endpoints, 1 for the local model)",
    )
    batch.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="summary cache (default: $SUMMARIZER_CACHE_DIR or the user cache folder); "
        "a rerun of the same inputs and settings sends no request",
    )
    batch.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    return batch


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the options `add_backend_options` added; ConfigurationError if wrong."""
    from summarizer import resolve_settings

    return resolve_settings(
        model=args.model,
        backend=args.backend,
        strategy=args.strategy,
        model_path=args.model_path,
        threads=args.threads,
        base_url=args.base_url,
        api_key=args.api_key,
        mode=args.mode,
        timeout=args.timeout,
        max_retries=args.max_retries,
        max_reasks=args.max_reasks,
        max_time=args.max_time,
        temperature=args.temperature,
        max_tokens=args.max_tokens,
        context=args.context,
        record=args.record,
        replay=args.replay,
        chunk_chars=args.chunk_chars,
        cache=not args.no_cache,
        cache_dir=args.cache_dir,
    )


def configure_logging(verbose: bool) -> None:
    # Instructor logs every failed attempt at ERROR; the CLI's one-line errors say what
    # matters, so those logs show only with -v.
    logging.getLogger("instructor").propagate = verbose
    if verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
        for noisy in ("httpcore", "httpx2", "openai"):
            logging.getLogger(noisy).setLevel(logging.INFO)
    else:
        # A handler of our own rather than logging's last resort, so that the redacting
        # filter sees any warning a library logs.
        logging.basicConfig(level=logging.WARNING, format="summarizer: %(name)s: %(message)s")


def mask_secrets(settings: Settings) -> Redactor:
    """The key masked in every log record from here on; the returned redactor masks it in
    what the command prints itself."""
    import os

    from summarizer import Redactor

    redact = Redactor(settings.api_key, os.environ.get("OPENAI_API_KEY"))
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    return redact


def error(
    exc: BaseException, verbose: bool, prefix: str = "", redact: Callable[[str], str] = str
) -> None:
    """One line on stderr; the traceback first with -v. Both pass through `redact`."""
    if verbose:
        sys.stderr.write(redact("".join(traceback.format_exception(exc))))
    print(redact(f"summarizer: error: {prefix}{exc}"), file=sys.stderr)


def positive_int(text: str) -> int:
    value = _number(int, text, "a positive whole number")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def non_negative_int(text: str) -> int:
    value = _number(int, text, "a whole number, 0 or more")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
    return value


def positive_float(text: str) -> float:
    value = _number(float, text, "a positive number of seconds")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text}")
    return value


def _number(kind: Callable[[str], _T], text: str, what: str) -> _T:
    try:
        return kind(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, not {text!r}") from None
