"""Matching by maximum-weight assignment, and the canonical order that makes a matching
independent of the order of its inputs: the algorithms `metrics.py` scores with."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["assign", "canonical"]

G = TypeVar("G")
P = TypeVar("P")
M = TypeVar("M", bound=BaseModel)


def assign(
    gold: Sequence[G], pred: Sequence[P], value: Callable[[G, P], tuple[int, ...] | None]
) -> list[tuple[int, int]]:
    """A one-to-one matching (gold index, pred index) of edges (value not None), the
    best by their values summed and compared component by component (the first
    outweighs all the rest), then by the number of edges. Maximum weight, not greedy:
    a greedy match could give a prediction to the wrong gold item and leave the right
    one unmatched. Deterministic: equal inputs in equal order give equal matchings."""
    values = {
        (i, j): (*v, 1)
        for i, g in enumerate(gold)
        for j, p in enumerate(pred)
        if (v := value(g, p)) is not None
    }
    if not values:
        return []
    rows, cols = sorted({i for i, _ in values}), sorted({j for _, j in values})
    # Component k weighs more than all later components of any matching together.
    size, width = min(len(rows), len(cols)), len(next(iter(values.values())))
    scale = [1] * width
    for k in range(width - 2, -1, -1):
        later = sum(max(v[m] for v in values.values()) * scale[m] for m in range(k + 1, width))
        scale[k] = size * later + 1
    weight = [
        [sum(a * s for a, s in zip(values.get((i, j), ()), scale, strict=False)) for j in cols]
        for i in rows
    ]
    pairs = _hungarian(weight)
    return sorted((rows[r], cols[c]) for r, c in pairs if (rows[r], cols[c]) in values)


def _hungarian(weight: list[list[int]]) -> list[tuple[int, int]]:
    """A maximum-weight assignment (row, column) of a non-empty matrix (Kuhn-Munkres
    with potentials, O(n²m)); integer weights keep it exact."""
    if len(weight) > len(weight[0]):
        return [(r, c) for c, r in _hungarian([list(col) for col in zip(*weight, strict=True)])]
    n, m = len(weight), len(weight[0])
    u: list[float] = [0] * (n + 1)
    v: list[float] = [0] * (m + 1)
    row_of, way = [0] * (m + 1), [0] * (m + 1)  # column -> its row (1-based, 0 none)
    for i in range(1, n + 1):
        row_of[0], j0 = i, 0
        least: list[float] = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while row_of[j0]:
            used[j0] = True
            i0, delta, j1 = row_of[j0], math.inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cost = -weight[i0 - 1][j - 1] - u[i0] - v[j]
                    if cost < least[j]:
                        least[j], way[j] = cost, j0
                    if least[j] < delta:
                        delta, j1 = least[j], j
            for j in range(m + 1):
                if used[j]:
                    u[row_of[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
        while j0:
            row_of[j0] = row_of[way[j0]]
            j0 = way[j0]
    return [(row_of[j] - 1, j - 1) for j in range(1, m + 1) if row_of[j]]


def canonical(items: list[M]) -> list[M]:
    """The items in an order of their own content, lists inside read as sets: items that
    sort together are interchangeable, so no order of the input changes a matching."""

    def plain(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, list):
            return sorted((plain(v) for v in x), key=json.dumps)
        return x

    return sorted(items, key=lambda x: json.dumps(plain(x.model_dump(mode="json")), sort_keys=True))
