"""Blocking twins of async calls, safe to call from inside a running event loop too."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

__all__ = ["blocking", "run"]

T = TypeVar("T")
P = ParamSpec("P")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to its end: in a new event loop, or, where a loop is already running
    on this thread, in another thread's."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop is running: use another thread
        return pool.submit(asyncio.run, coro).result()


def blocking(coroutine_function: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, T]:
    """The blocking twin of an async call, with its signature and docstring."""

    @functools.wraps(coroutine_function)
    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        return run(coroutine_function(*args, **kwargs))

    call.__name__ = call.__qualname__ = coroutine_function.__name__.removeprefix("a")
    return call
