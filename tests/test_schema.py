import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer import Span, json_schema
from summarizer.article import Article
from summarizer.grounding.draft import ArticleSummary

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
    return ArticleSummary.model_validate(answer, context={"article": article})


def test_draft_accepts_the_hand_written_answer(
    good_answer: dict[str, Any], article_text: str
) -> None:
    draft = _draft(good_answer, Article(article_text))
    assert len(draft.statements) == 12


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda a: a["statements"][1].update(speaker="a9"),
            "statements[1].speaker refers to unknown actor a9",
        ),
        (lambda a: a["actors"][2].update(id="a1"), "actor id a1 is used by more than one actor"),
        (
            lambda a: a["actors"][0].update(name="Vladimir Putin"),
            "actors[0].name 'Vladimir Putin' does not occur",
        ),
        (lambda a: a["proposals"][0].update(evidence=[99]), "proposals[0].evidence cites [99]"),
    ],
)
def test_draft_problems_that_lose_something_are_refused_naming_the_item(
    good_answer: dict[str, Any], article_text: str, change: Any, message: str
) -> None:
    change(good_answer)
    with pytest.raises(ValidationError) as caught:
        _draft(good_answer, Article(article_text))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("change", "item", "note"),
    [
        (
            lambda a: a["meetings"][0].update(host="a3"),
            "meetings[0].host",
            "'a3' is not among its participants",
        ),
        (
            lambda a: a["statements"][5].update(
                quote_id=None, quote="We will never stand with Russia"
            ),
            "statements[5].quote",
            "is not in the article; kept as reported speech",
        ),
        (
            lambda a: a["statements"][0].update(verbatim=True, quote=None),
            "statements[0].quote",
            "kept as reported speech",
        ),
        (
            lambda a: a["statements"][1].update(quote_id="q42"),
            "statements[1].quote",
            "quote_id 'q42' is not a quotation of the article; kept as reported speech",
        ),
    ],
)
def test_draft_problems_that_lose_nothing_are_repaired_in_place(
    good_answer: dict[str, Any], article_text: str, change: Any, item: str, note: str
) -> None:
    """A re-ask resends the whole article: not worth it for a value the item can lose."""
    change(good_answer)
    draft = _draft(good_answer, Article(article_text))
    [diagnostic] = draft.grounding_notes
    assert diagnostic.item == item and note in diagnostic.problem
    assert diagnostic.action == "dropped value"
    assert len(draft.statements) == len(good_answer["statements"])
    assert len(draft.meetings) == len(good_answer["meetings"])


def test_duplicate_people_merge_with_their_aliases(
    good_answer: dict[str, Any], article_text: str
) -> None:
    from summarizer.grounding.draft import merge_duplicates

    good_answer["actors"].append(
        {"id": "a7", "kind": "person", "name": "Lavrov", "aliases": ["the Russian minister"]}
    )
    good_answer["actors"].append({"id": "a8", "kind": "person", "name": "Shaibani"})
    good_answer["actors"].append({"id": "a9", "kind": "state", "name": "Russian", "country": "RUS"})
    good_answer["actors"][3]["aliases"] = []
    good_answer["statements"][1]["speaker"] = "a7"
    good_answer["proposals"][1]["recipients"] = ["a7", "a1", "a9"]
    good_answer["actors"][0]["aliases"] = []
    article = Article(article_text + "\n\nThe Russian minister left.")
    merged = merge_duplicates(_draft(good_answer, article))
    names = {p.id: p for p in merged.actors}
    assert sorted(names) == ["a1", "a2", "a3", "a4", "a5", "a6"]
    assert "Lavrov" in names["a1"].aliases and "the Russian minister" in names["a1"].aliases
    assert "Shaibani" in names["a2"].aliases
    assert merged.statements[1].speaker == "a1"
    assert merged.proposals[1].recipients == ["a1", "a4"]  # "Russian" is Russia: both RUS
    assert names["a4"].aliases == ["Russian"]
    assert merged.actors[2].name == "Ahmad al-Sharaa"  # different people stay apart


def test_each_direct_quote_of_the_reference_resolves_to_its_speaker(
    good_answer: dict[str, Any], article_text: str
) -> None:
    """Gold, by reading: who speaks each quotation of the reference article."""
    gold = {
        "The talks are expected": "Sergey Lavrov",
        "will overcome all difficulties": "Sergey Lavrov",
        "I remember our meeting": "Sergey Lavrov",
        "challenges and threats": "Asaad al-Shaibani",
        "We are keen for Russia": "Asaad al-Shaibani",
        "historical in nature": "Asaad al-Shaibani",
        "there are certain factors": "Asaad al-Shaibani",
        "Today, we represent a new Syria": "Asaad al-Shaibani",
        "Now, we are striving": "Asaad al-Shaibani",
    }
    from summarizer.extraction.candidates import find_quotations

    article = Article(article_text)
    quotations = find_quotations(article)
    draft = _draft(good_answer, article)
    people = {p.id: p.name for p in draft.actors}
    found = {}
    for s in draft.statements:
        if s.verbatim and s.quote_id:
            words = quotations[int(s.quote_id[1:]) - 1].text(article)
            opening = next(g for g in gold if words.startswith(g))
            found[opening] = people[s.speaker]
    assert found == gold
