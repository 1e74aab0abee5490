"""How every GGUF is loaded in this project's processes: without repacked weights.

Where the CPU has a faster kernel for them, llama.cpp repacks a model's weights into
"extra" buffer types at load time. On Intel CPUs with AMX (Xeons since Sapphire Rapids:
`amx_int8` in /proc/cpuinfo) that path crashes the process at the first inference, in
`ggml_backend_amx_mul_mat` (llama.cpp issue 20824, closed without a fix). A native crash
cannot be caught or retried, so the bundled model, a user's GGUF and `summarizer serve`
load with `use_extra_bufts = False` (llama.cpp's `--no-repack`) unless
SUMMARIZER_LLAMA_REPACK=1 asks for the repacked kernels where they work.

llama-cpp-python's `Llama` takes no argument for it: its model parameters start from
`llama_model_default_params()`, so that is where the setting goes in, for the time of one
load (`loading`) or, in a server process that loads models itself, for good (`install`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

from summarizer.errors import ConfigurationError

__all__ = [
    "REPACK_ENV",
    "install",
    "loading",
    "repacking",
]

REPACK_ENV = "SUMMARIZER_LLAMA_REPACK"
_FIELD = "use_extra_bufts"
_lock = threading.Lock()


def repacking() -> bool:
    """Whether the user asked for llama.cpp's repacked weights (faster where they work)."""
    return os.environ.get(REPACK_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _native() -> Any:
    import llama_cpp.llama_cpp as native

    fields = {name for name, *_ in getattr(native.llama_model_params, "_fields_", ())}
    if _FIELD not in fields:
        raise ConfigurationError(
            "this llama-cpp-python cannot turn off weight repacking, which crashes on "
            "CPUs with AMX: pip install 'llama-cpp-python>=0.3.15'"
        )
    return native


def _defaults(original: Callable[[], Any], announce: bool) -> Callable[[], Any]:
    def defaults() -> Any:
        params, repack = original(), repacking()
        setattr(params, _FIELD, repack)
        if announce:
            state = "on" if repack else f"off ({REPACK_ENV}=1 turns it on)"
            print(f"summarizer: llama.cpp weight repacking {state}", file=sys.stderr)
        return params

    return defaults


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """Around `Llama(...)`: the model it loads gets this project's parameters."""
    native = _native()
    with _lock:
        original = native.llama_model_default_params
        native.llama_model_default_params = _defaults(original, announce=False)
        try:
            yield
        finally:
            native.llama_model_default_params = original


def install() -> None:
    """For the rest of the process (a server loads its models when it pleases); each
    load says on stderr whether weights are repacked."""
    native = _native()
    native.llama_model_default_params = _defaults(native.llama_model_default_params, announce=True)
