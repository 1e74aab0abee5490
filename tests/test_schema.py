import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer import Span, json_schema
from summarizer.article import Article
from summarizer.draft import ArticleSummary, grounded_in

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "summary.schema.json"


def test_committed_schema_matches_code() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema(), "run `summarizer schema -o schema/summary.schema.json`"


def test_schema_command_prints_the_schema() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "summarizer", "schema"], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == json_schema()


def test_span_must_match_the_article() -> None:
    text = "Lavrov met Shaibani."
    Span.model_validate({"text": "Lavrov", "start": 0, "end": 6}, context={"article": text})
    with pytest.raises(ValidationError, match="not 'Shaibani' in the article"):
        Span.model_validate({"text": "Shaibani", "start": 0, "end": 8}, context={"article": text})
    with pytest.raises(ValidationError, match="length"):
        Span(text="Lavrov", start=0, end=9)


def _draft(answer: dict[str, Any], article: Article) -> ArticleSummary:
    with grounded_in(article):
        return ArticleSummary.model_validate(answer)


def test_draft_accepts_the_hand_written_answer(
    good_answer: dict[str, Any], article_text: str
) -> None:
    draft = _draft(good_answer, Article(article_text))
    assert len(draft.statements) == 12


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda a: a["statements"][1].update(speaker="p9"),
            "statements[1].speaker refers to unknown person p9",
        ),
        (
            lambda a: a["meetings"][0].update(host="p3"),
            "meetings[0].host p3 is not among its participants",
        ),
        (lambda a: a["people"][2].update(id="p1"), "person id p1 is used by more than one person"),
        (
            lambda a: a["statements"][5].update(quote="We will never stand with Russia"),
            "statements[5].quote",
        ),
        (
            lambda a: a["people"][0].update(name="Vladimir Putin"),
            "people[0].name 'Vladimir Putin' does not occur",
        ),
        (lambda a: a["proposals"][0].update(evidence=[99]), "proposals[0].evidence cites [99]"),
        (
            lambda a: a["statements"][0].update(verbatim=True, quote=None),
            "statements[0] is verbatim but has no quote",
        ),
    ],
)
def test_draft_problems_name_the_item(
    good_answer: dict[str, Any], article_text: str, change: Any, message: str
) -> None:
    change(good_answer)
    with pytest.raises(ValidationError) as caught:
        _draft(good_answer, Article(article_text))
    assert message in str(caught.value)
