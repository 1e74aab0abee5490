"""The quotation finder: news styles of quoting, apostrophes, and what the model is
offered and checked against."""

from __future__ import annotations

import pytest

from summarizer.article import Article
from summarizer.extraction.prompts import build_messages
from summarizer.grounding.checks import locate_quoted


def quoted(text: str) -> list[str]:
    article = Article(text)
    return [q.words(article.text).strip() for q in article.quotations]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will act,” he said. “And soon.”", ["We will act", "And soon."]),
        ('"We will act," he said.', ["We will act"]),
        ("The minister said ‘we will not yield’ and left.", ["we will not yield"]),
        ("The minister said 'we will not yield' and left.", ["we will not yield"]),
        ("Il a dit « nous ne céderons pas » hier.", ["nous ne céderons pas"]),
        ("Er sagte „wir geben nicht nach“ gestern.", ["wir geben nicht nach"]),
        ("Powiedział „nie ustąpimy” wczoraj.", ["nie ustąpimy"]),
        ("Он сказал «мы не уступим» вчера.", ["мы не уступим"]),
    ],
)
def test_every_style_of_quotation_mark_is_found(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def test_apostrophes_inside_words_open_and_close_nothing() -> None:
    text = "Ukraine's army doesn't stop, and the generals’ plan holds. Russia’s envoy left."
    assert quoted(text) == []


def test_an_apostrophe_inside_a_single_quoted_quotation_does_not_end_it() -> None:
    assert quoted("He said 'Ukraine's army won't stop' on Monday.") == ["Ukraine's army won't stop"]


def test_a_quote_inside_a_quote_stays_part_of_it() -> None:
    text = "“He told me ‘never again,’ and I believed him,” she said."
    assert quoted(text) == ["He told me ‘never again,’ and I believed him"]
    british = "‘He told me “never again,” and I believed him,’ she said."
    assert quoted(british) == ["He told me “never again,” and I believed him"]


def test_a_quotation_over_paragraphs_is_one_quotation_in_pieces() -> None:
    text = (
        "Khoshbo spoke at length.\n\n"
        "“We have waited for years for this day.\n\n"
        "“Now we will build,” said Khoshbo, but nobody listened.\n\n"
        "“Another,” he added."
    )
    article = Article(text)
    first, second = article.quotations
    assert first.words(text).split() == (
        "We have waited for years for this day. Now we will build".split()
    )
    assert first.sentences == (2, 3)
    assert second.text(article) == "Another"
    # Nothing between two quotations is offered as one.
    assert "said Khoshbo" not in build_messages(article)[1]["content"].split("Quotations")[1]


def test_a_model_copying_a_multi_paragraph_quotation_is_quoting() -> None:
    text = "“We have waited for years.\n\n“Now we will build,” said Khoshbo."
    article = Article(text)
    found = locate_quoted(article, "We have waited for years. Now we will build", [1, 2])
    assert found is not None
    assert article.text[found[0] : found[1]].startswith("We have waited")
    assert article.text[found[0] : found[1]].endswith("will build")


def test_a_lost_closing_mark_does_not_turn_the_text_between_quotes_into_a_quote() -> None:
    text = (
        'Pak said, "The use of force is not theirs only . While tensions grow, experts '
        'said more. "Unless they change, there is no progress," said Samore. Gause said, '
        '"Unless concessions come, talks are unlikely." Later, "Now is not the time," '
        "said the spokesperson."
    )
    found = quoted(text)
    assert found == [
        "The use of force is not theirs only .",
        "Unless they change, there is no progress",
        "Unless concessions come, talks are unlikely.",
        "Now is not the time",
    ]
    assert not any(q.startswith("said") for q in found)


def test_a_paragraph_left_open_quotes_to_its_end_but_a_single_mark_does_not() -> None:
    assert quoted("He said: “We will not stop") == ["We will not stop"]
    assert quoted("Back in the '90s the talks failed.") == []
