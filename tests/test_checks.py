"""The per-item checks: one problem gives both the re-ask line and salvage's verdict."""

from typing import Any

from summarizer.article import Article
from summarizer.grounding.checks import answer_problems, meeting_problems, statement_problems
from summarizer.grounding.draft import ArticleSummary

_UNQUOTED = "the current Syrian government managed to ensure the stable functioning"


def test_an_unquoted_quote_is_one_problem_for_both(
    good_answer: dict[str, Any], article_text: str
) -> None:
    statement = {**good_answer["statements"][9], "verbatim": True, "quote": _UNQUOTED}
    [problem] = statement_problems(
        "statements[9]", statement, {"a1", "a2", "a3"}, Article(article_text)
    )
    assert problem.reask is not None and "is not inside quotation marks" in problem.reask
    assert (problem.item, problem.action) == ("statements[9].quote", "dropped value")
    assert problem.note is not None and problem.note.endswith("kept as reported speech")
    assert problem.fix == {"verbatim": False, "quote": None, "quote_id": None}


def test_an_unknown_visitor_is_said_once_to_salvage(article_text: str) -> None:
    meeting = {"participants": ["a1", "a2"], "visitor": "a9", "evidence": [1]}
    problems = meeting_problems("meetings[0]", meeting, {"a1", "a2"}, Article(article_text))
    assert [p.reask for p in problems] == [
        "meetings[0].visitor refers to unknown actor a9",
        "meetings[0].visitor a9 is not among its participants",
    ]
    assert [p.note for p in problems] == ["'a9' is not an actor of the article", None]


def test_a_grounded_answer_has_no_problems(good_answer: dict[str, Any], article_text: str) -> None:
    article = Article(article_text)
    draft = ArticleSummary.model_validate(good_answer, context={"article": article})
    assert answer_problems(draft, article) == []
