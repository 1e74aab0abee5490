"""Every output this suite can produce is checked against its article, span by span."""

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from conftest import FIXTURES, ROOT, assert_grounded

from summarizer import summarize_file


def _runs() -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """One replayable run per article, model, backend and strategy in fixtures/."""
    runs: dict[tuple[str, str, str, str], dict[str, Any]] = defaultdict(dict)
    for file in sorted(FIXTURES.glob("*.json")):
        data = json.loads(file.read_text())
        meta, body = data["meta"], data["request"]["body"]
        key = (meta["source"], meta["model"], meta["backend"], meta.get("strategy", "single"))
        runs[key].setdefault("max_tokens", body.get("max_tokens"))
    return runs


def test_every_fixture_replays_to_grounded_spans() -> None:
    runs = _runs()
    assert len(runs) >= 3  # hand-written, recorded from a loopback server, local model
    checked = 0
    for (source, model, backend, strategy), seen in runs.items():
        options: dict[str, Any] = {"model": model, "replay": FIXTURES}
        if backend == "local":
            options["backend"] = "local"
        elif seen["max_tokens"]:
            options["max_tokens"] = seen["max_tokens"]
        summary = summarize_file(ROOT / source, strategy=strategy, **options)
        checked += assert_grounded(summary, (ROOT / source).read_text(encoding="utf-8"))
    assert checked > 30


def test_examples_are_all_covered_by_fixtures() -> None:
    sources = {Path(k[0]).name for k in _runs()}
    assert {p.name for p in (ROOT / "examples").glob("*.txt")} <= sources
