"""Every hand-written fixture whose article has hand-annotated gold, replayed offline,
scores 1.0 on every metric against that gold: the answers a person wrote and the gold a
person wrote code the same article the same way (states and unnamed office-holders as
actors, as schema v3 does), so a metric below 1.0 is a disagreement to settle, in the
fixture or in the gold (`scripts/write_hand_gold.py`, `eval/GUIDELINES.md`)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, ROOT

from summarizer import Summary, collect_batch, submit_batch, summarize
from summarizer.evaluation.gold import GoldDocument, load_gold
from summarizer.evaluation.metrics import INFORMATIONAL, score_document

GOLD = ROOT / "eval" / "hand-annotated.jsonl"
# The batch fixture's request was written with these settings (fixtures/batch/README.md).
BATCH_MODE = "json_schema"
# Figures every reference-like document has something to score on: a fixture cannot pass
# on a gold that annotates nothing.
SCORED = ("pairs_f1", "quote_recall", "quote_speaker_accuracy", "proposals_f1")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replay_fixtures() -> list[Path]:
    """The replay fixtures whose answer a person wrote (the rest are recorded)."""
    out = []
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("meta", {}).get("origin") == "hand-written":
            out.append(path)
    return out


def batch_fixtures() -> list[Path]:
    return sorted((FIXTURES / "batch").glob("*-results.jsonl"))


def gold_for(sha: str, gold: Path | None = None) -> GoldDocument | None:
    """The gold document of the article with this SHA-256 (or a prefix of it), in `GOLD`
    unless another gold file is given."""
    docs = load_gold(gold or GOLD)
    return next((d for d in docs if sha256(d.text).startswith(sha)), None)


def replayed(fixture: Path, doc: GoldDocument) -> Summary:
    meta: dict[str, Any] = json.loads(fixture.read_text(encoding="utf-8"))["meta"]
    return summarize(
        doc.text,
        source=doc.id,
        replay=FIXTURES,
        model=meta["model"],
        mode=meta["mode"],
        strategy=meta["strategy"],
        cache=False,
    )


def collected(results: Path, doc: GoldDocument, folder: Path) -> Summary:
    """The summary a `vllm run-batch` results file gives, through submit and collect."""
    lines = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    model = lines[0]["response"]["body"]["model"]
    article = folder / f"{doc.id}.txt"
    article.write_text(doc.text, encoding="utf-8", newline="")
    job = folder / "job"
    submit_batch([str(article)], job, dry_run=True, model=model, mode=BATCH_MODE)
    report = collect_batch(job, results=[results])
    assert report.summarized == 1 and report.failed == 0, report
    return Summary.model_validate_json((job / f"{doc.id}.json").read_text(encoding="utf-8"))


def imperfect(doc: GoldDocument, summary: Summary) -> dict[str, float | None]:
    """Every scoring metric that is not 1.0, and those of `SCORED` with nothing to score."""
    metrics = score_document(doc, summary).metrics()
    wrong = {
        k: v for k, v in metrics.items() if k not in INFORMATIONAL and v is not None and v != 1.0
    }
    return wrong | {k: None for k in SCORED if metrics[k] is None}


def test_the_reference_article_has_a_hand_written_fixture_and_gold() -> None:
    """So that the tests below cannot pass by finding nothing to check."""
    shas = [json.loads(f.read_text())["meta"]["article_sha256"] for f in replay_fixtures()]
    docs = [gold_for(sha) for sha in shas]
    assert "lavrov-shaibani-moscow" in {d.id for d in docs if d is not None}
    batch = [json.loads(f.read_text().splitlines()[0])["custom_id"] for f in batch_fixtures()]
    assert "lavrov-shaibani-moscow" in {
        d.id for d in (gold_for(c.split("-")[0]) for c in batch) if d is not None
    }


@pytest.mark.parametrize("fixture", replay_fixtures(), ids=lambda p: p.name)
def test_a_hand_written_replay_scores_perfectly_against_its_gold(fixture: Path) -> None:
    doc = gold_for(json.loads(fixture.read_text(encoding="utf-8"))["meta"]["article_sha256"])
    if doc is None:
        pytest.skip("no hand-annotated gold for this article")
    assert imperfect(doc, replayed(fixture, doc)) == {}


@pytest.mark.parametrize("results", batch_fixtures(), ids=lambda p: p.name)
def test_a_hand_written_batch_result_scores_perfectly_against_its_gold(
    results: Path, tmp_path: Path
) -> None:
    first = json.loads(results.read_text(encoding="utf-8").splitlines()[0])
    doc = gold_for(first["custom_id"].split("-")[0])
    if doc is None:
        pytest.skip("no hand-annotated gold for this article")
    assert imperfect(doc, collected(results, doc, tmp_path)) == {}
