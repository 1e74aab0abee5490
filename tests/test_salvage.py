"""What salvage keeps of a last answer, and that everything it drops is in diagnostics."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from summarizer.article import Article
from summarizer.grounding.salvage import salvage

Answer = dict[str, Any]


def _meeting(answer: Answer, **changes: Any) -> None:
    answer["meetings"][0].update(changes)


# Each kind of drop: how the answer is spoilt, the one diagnostic expected, and what the
# kept draft must look like.
CASES: dict[str, tuple[Callable[[Answer], None], tuple[str, str], Callable[[Any], bool]]] = {
    "evidence out of range": (
        lambda a: _meeting(a, evidence=[1, 2, 99, "two"]),
        ("meetings[0].evidence", "dropped value"),
        lambda d: d.meetings[0].evidence == [1, 2],
    ),
    "unknown participant": (
        lambda a: _meeting(a, participants=["a1", "a2", "a9"]),
        ("meetings[0].participants", "dropped value"),
        lambda d: d.meetings[0].participants == ["a1", "a2"],
    ),
    "visitor who is not a participant": (
        lambda a: _meeting(a, visitor="a3"),
        ("meetings[0].visitor", "dropped value"),
        lambda d: d.meetings[0].visitor is None and d.meetings[0].host == "a1",
    ),
    "host who is not a participant": (
        lambda a: _meeting(a, host="a3"),
        ("meetings[0].host", "dropped value"),
        lambda d: d.meetings[0].host is None and d.meetings[0].visitor == "a2",
    ),
    "unknown host": (
        lambda a: _meeting(a, host="a9"),
        ("meetings[0].host", "dropped value"),
        lambda d: d.meetings[0].host is None,
    ),
    "no known participant": (
        lambda a: _meeting(a, participants=["a8", "a9"], visitor=None, host=None),
        ("meetings[0]", "dropped item"),
        lambda d: len(d.meetings) == 2,
    ),
    "unknown speaker": (
        lambda a: a["statements"][4].update(speaker="a9"),
        ("statements[4]", "dropped item"),
        lambda d: len(d.statements) == 11,
    ),
    "unknown addressee": (
        lambda a: a["statements"][1].update(addressee="a9"),
        ("statements[1].addressee", "dropped value"),
        lambda d: d.statements[1].addressee is None,
    ),
    "unknown proposer": (
        lambda a: a["proposals"][1].update(proposer="a9"),
        ("proposals[1]", "dropped item"),
        lambda d: len(d.proposals) == 1,
    ),
    "unknown recipient": (
        lambda a: a["proposals"][0].update(recipients=["a9", "a3"]),
        ("proposals[0].recipients", "dropped value"),
        lambda d: d.proposals[0].recipients == ["a3"],
    ),
    "quote_id out of range": (
        lambda a: a["statements"][2].update(quote_id="q99"),
        ("statements[2].quote", "dropped value"),
        lambda d: len(d.statements) == 12 and not d.statements[2].verbatim,
    ),
    "quote not in the article": (
        lambda a: a["statements"][2].update(quote_id=None, quote="We will never give up"),
        ("statements[2].quote", "dropped value"),
        lambda d: len(d.statements) == 12 and d.statements[2].quote is None,
    ),
    "quote not inside quotation marks": (
        lambda a: a["statements"][5].update(
            quote_id=None, quote='filled with "challenges and threats" for Syria'
        ),
        ("statements[5].quote", "dropped value"),
        lambda d: not d.statements[5].verbatim and d.statements[5].quote is None,
    ),
    "item that is not an object": (
        lambda a: a["statements"].insert(0, "Lavrov said things"),
        ("statements[0]", "dropped item"),
        lambda d: len(d.statements) == 12,
    ),
    "alias not in the article": (
        lambda a: a["actors"][0]["aliases"].append("the Tsar"),
        ("actors[0].aliases", "dropped value"),
        lambda d: d.actors[0].aliases == ["Lavrov"],
    ),
    "aliases that are not a list": (
        lambda a: a["actors"][0].update(aliases="Lavrov"),
        ("actors[0].aliases", "dropped value"),
        lambda d: d.actors[0].aliases == [],
    ),
    "person not in the article": (
        lambda a: a["actors"].append({"id": "a7", "kind": "person", "name": "Vladimir Putin"}),
        ("actors[6]", "dropped item"),
        lambda d: len(d.actors) == 6,
    ),
    "organisation not in the article": (
        lambda a: a["actors"].append(
            {"id": "a7", "kind": "organisation", "name": "Arab League Secretariat"}
        ),
        ("actors[6]", "dropped item"),
        lambda d: [a.kind for a in d.actors].count("organisation") == 0,
    ),
    "represents an unknown actor": (
        lambda a: a["actors"][0].update(represents="a9"),
        ("actors[0].represents", "dropped value"),
        lambda d: d.actors[0].represents is None,
    ),
    "missing abstract": (
        lambda a: a.update(abstract=""),
        ("abstract", "dropped value"),
        lambda d: d.abstract.startswith("Russian Foreign Minister"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_every_drop_is_in_diagnostics(case: str, good_answer: Answer, article_text: str) -> None:
    spoil, expected, kept = CASES[case]
    answer = copy.deepcopy(good_answer)
    spoil(answer)
    draft, notes = salvage(answer, Article(article_text))
    assert [(n.item, n.action) for n in notes] == [expected], notes
    assert kept(draft)


def test_a_grounded_answer_loses_nothing(good_answer: Answer, article_text: str) -> None:
    draft, notes = salvage(good_answer, Article(article_text))
    assert notes == []
    assert len(draft.statements) == len(good_answer["statements"])


def test_values_of_a_dropped_item_are_not_reported_twice(
    good_answer: Answer, article_text: str
) -> None:
    good_answer["statements"][1].update(speaker="a9", addressee="a8", evidence=[3, 99])
    _, notes = salvage(good_answer, Article(article_text))
    assert [(n.item, n.action) for n in notes] == [("statements[1]", "dropped item")]
