"""What grounding keeps of a capable model's answer: names it normalised, groups it
described in other words, quotations in every style, and the items of an actor that
cannot be kept. The article and the answers are written for these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import assert_grounded
from openai_server import OpenAIServer, answer

from summarizer import Summary, summarize
from summarizer.article import Article
from summarizer.cli.main import main
from summarizer.extraction.prompts import build_messages
from summarizer.grounding.checks import locate_quoted
from summarizer.grounding.names import head_occurs, resolve_name
from summarizer.testing import FunctionBackend

ARTICLE = (
    "BRUSSELS — Secretary of State Antony J. Blinken met Turkish Foreign Minister Mevlüt "
    "Çavuşoğlu at NATO headquarters on Tuesday. The U.S. said the talks were useful.\n\n"
    "A White House official said Washington would send an envoy. Last week, Cameroon and "
    "C.A.R. officials met in Garoua to discuss the border.\n\n"
    "“We will not give up on the talks.\n\n"
    "“We will be back next month,” Çavuşoğlu said.\n\n"
    "Blinken called the meeting ‘a good start’ and said the two sides would meet again.\n\n"
    "The French minister said the alliance was « plus forte que jamais » after the vote."
)


def _answer(**changes: Any) -> dict[str, Any]:
    """An answer as a capable model writes it: names normalised, quotes by their words."""
    answer: dict[str, Any] = {
        "abstract": "Blinken met Cavusoglu in Brussels.",
        "actors": [
            {"id": "a1", "kind": "person", "name": "Antony Blinken", "represents": "a3"},
            {"id": "a2", "kind": "person", "name": "Mevlut Cavusoglu", "country": "TUR"},
            {"id": "a3", "kind": "state", "name": "United States", "country": "USA"},
            {"id": "a4", "kind": "group", "name": "White House officials", "country": "USA"},
            {"id": "a5", "kind": "group", "name": "Cameroonian officials", "country": "CMR"},
            {"id": "a6", "kind": "group", "name": "Central African officials", "country": "CAF"},
            {"id": "a7", "kind": "person", "name": "French Foreign Minister"},
        ],
        "meetings": [
            {"participants": ["a1", "a2"], "mode": "in_person", "place": "Brussels",
             "date_text": "Tuesday", "status": "happened", "evidence": [1]},
            {"participants": ["a5", "a6"], "mode": "in_person", "place": "Garoua",
             "date_text": "Last week", "status": "happened", "evidence": [4]},
        ],
        "statements": [
            {"speaker": "a3", "cue": "said", "content": "The talks were useful.",
             "verbatim": False, "evidence": [2]},
            {"speaker": "a4", "cue": "said", "content": "Washington would send an envoy.",
             "verbatim": False, "evidence": [3]},
            {"speaker": "a2", "cue": "said", "content": "Turkey will not give up.",
             "verbatim": True,
             "quote": "We will not give up on the talks. We will be back next month",
             "evidence": [5, 6]},
            {"speaker": "a1", "cue": "called", "content": "A good start.", "verbatim": True,
             "quote": "a good start", "evidence": [7]},
            {"speaker": "a7", "cue": "said", "content": "The alliance is stronger.",
             "verbatim": True, "quote": "plus forte que jamais", "evidence": [8]},
        ],
        "proposals": [
            {"kind": "proposal", "proposer": "a1", "recipients": ["a2"],
             "content": "Meet again.", "status": "made", "evidence": [7]},
        ],
    }  # fmt: skip
    answer.update(changes)
    return answer


def _summarize(answer: dict[str, Any]) -> tuple[Summary, FunctionBackend]:
    backend = FunctionBackend.returning(answer)
    summary = summarize(ARTICLE, transport=backend, max_reasks=1, cache=False)
    assert_grounded(summary, ARTICLE)
    return summary, backend


def _by_item(summary: Summary) -> dict[str, tuple[str, str]]:
    return {d.item: (d.action, d.problem) for d in summary.diagnostics}


def test_normalised_names_resolve_to_the_articles_words_without_a_reask() -> None:
    summary, backend = _summarize(_answer())
    assert len(backend.calls) == 1
    names = [a.name for a in summary.actors]
    assert names[:3] == ["Antony J. Blinken", "Mevlüt Çavuşoğlu", "U.S."]
    notes = _by_item(summary)
    assert notes["actors[0]"][0] == "resolved" and "middle name" in notes["actors[0]"][1]
    assert notes["actors[2]"][0] == "resolved" and "'United States'" in notes["actors[2]"][1]
    # Everything that pointed at them is there.
    assert len(summary.meetings) == 2 and len(summary.statements) == 5
    assert summary.meetings[0].participants == ["a1", "a2"]
    assert summary.statements[0].speaker == "a3"


def test_a_group_worded_otherwise_resolves_to_its_head_phrase_or_is_kept_as_described() -> None:
    summary, _ = _summarize(_answer())
    names = [a.name for a in summary.actors]
    assert names[3] == "White House official"  # the article's words for it
    assert names[4] == "Cameroonian officials"  # the article: "Cameroon and C.A.R. officials"
    action, problem = _by_item(summary)["actors[4]"]
    assert action == "kept as described" and "kept as the model described it" in problem
    [kept] = [d for d in summary.diagnostics if d.item == "actors[4]"]
    assert [s.text for s in kept.evidence] == [
        "Last week, Cameroon and C.A.R. officials met in Garoua to discuss the border."
    ]
    assert summary.meetings[1].participants == ["a5", "a6"]  # the meeting stands


def test_quotations_over_paragraphs_and_in_other_marks_stay_verbatim() -> None:
    summary, _ = _summarize(_answer())
    quotes = [s.quote.text if s.quote else None for s in summary.statements]
    assert quotes[2] is not None and quotes[2].startswith("We will not give up on the talks.")
    assert quotes[2].endswith("We will be back next month")
    assert quotes[3] == "a good start"
    assert quotes[4] == "plus forte que jamais"
    assert all(s.verbatim for s in summary.statements[2:])
    assert not [d for d in summary.diagnostics if d.action.startswith("dropped")]


def test_the_items_of_an_actor_that_cannot_be_kept_are_repointed_not_dropped() -> None:
    answer = _answer()
    # An aide the article never names, speaking for the U.S.; and one for no one.
    answer["actors"].append(
        {"id": "a8", "kind": "person", "name": "John Kirby", "represents": "a3"}
    )
    answer["actors"].append({"id": "a9", "kind": "person", "name": "Jane Roe"})
    answer["statements"][1]["speaker"] = "a8"
    answer["meetings"][0]["participants"].append("a9")
    answer["proposals"][0]["recipients"] = ["a2", "a9"]
    summary, backend = _summarize(answer)
    assert len(backend.calls) == 2  # the invented names were re-asked once, then left out
    assert "John Kirby" not in summary.model_dump_json(exclude={"diagnostics"})
    assert len(summary.statements) == 5 and summary.statements[1].speaker == "a3"
    assert summary.meetings[0].participants == ["a1", "a2"]  # the unknown one's role empty
    assert summary.proposals[0].recipients == ["a2"]
    notes = _by_item(summary)
    assert notes["statements[1].speaker"][0] == "resolved"
    assert "re-pointed to the actor it represents" in notes["statements[1].speaker"][1]
    assert notes["actors[7]"][0] == "dropped item"
    assert not [d for d in summary.diagnostics if d.action == "dropped item" and "]." in d.item]


def test_each_run_reports_requests_reasks_and_cached_prompt_tokens(
    good_answer: dict[str, Any], article_text: str, tmp_path: Path, capsys: Any
) -> None:
    """What a run cost, from the usage the server reports: the second request's prompt
    shares the static rules with the first, and a prompt cache served them."""
    bad = {**good_answer, "statements": [dict(s) for s in good_answer["statements"]]}
    bad["statements"][2]["speaker"] = "a9"  # would be lost: re-asked
    steps = (answer(bad, tokens=1000, cached=0), answer(good_answer, tokens=1400, cached=1024))
    with OpenAIServer(*steps) as server:
        summary = summarize(article_text, base_url=server.url, cache=False)
    usage = summary.provenance.usage
    assert (usage.requests, usage.reasks) == (2, 1)
    assert (usage.prompt_tokens, usage.cached_tokens) == (2400, 1024)

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(article_text, encoding="utf-8")
    args = ["summarize", str(folder), "--output-dir", str(tmp_path / "out"), "--no-cache"]
    with OpenAIServer(*steps) as server:
        assert main([*args, "--base-url", server.url]) == 0
    assert "1 summarized, 0 failed; 2 requests (1 re-ask); tokens 2,400 in (1,024 cached)" in (
        capsys.readouterr().err
    )


def test_the_static_rules_come_before_the_article_for_prompt_caches() -> None:
    """Providers cache the longest prefix two requests share: the rules (and the tools'
    schema, sent before the messages) must not depend on the article."""
    first, second = build_messages(Article(ARTICLE)), build_messages(Article("Other text."))
    assert first[0] == second[0] and first[0]["role"] == "system"
    assert "Blinken" not in first[0]["content"] and "Blinken" in first[1]["content"]


RULES_TEXT = (
    "The U.N. said talks would resume. The North Atlantic Treaty Organization met in "
    "Brussels. Prime Minister Hamdok left for Cairo. Raul Castro spoke; later Castro "
    "left. Ukraine's Defense Ministry said the strike failed. President Joe Biden spoke. "
    "Then Biden left."
)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ({"kind": "organisation", "name": "United Nations"}, "U.N."),
        ({"kind": "organisation", "name": "NATO"}, "North Atlantic Treaty Organization"),
        ({"kind": "person", "name": "Abdalla Hamdok"}, "Hamdok"),
        # Another given name with that surname in the article: not the same person.
        ({"kind": "person", "name": "Fidel Castro"}, None),
        # A state word dropped from the front must not move the actor to another state.
        ({"kind": "organisation", "name": "Russian Defense Ministry"}, None),
        (
            {"kind": "organisation", "name": "Ukrainian Defense Ministry"},
            "Ukraine's Defense Ministry",
        ),
        # An alias naming someone else is no resolution of a person.
        ({"kind": "person", "name": "Vladimir Putin", "aliases": ["Hamdok"]}, None),
        ({"kind": "state", "name": "Russia", "country": "RUS"}, None),
        ({"kind": "person", "name": "U.S. President Joe Biden"}, "Joe Biden"),
        ({"kind": "person", "name": "President Biden"}, "Joe Biden"),
        ({"kind": "person", "name": "President Castro"}, "Raul Castro"),  # the one Castro
        ({"kind": "person", "name": "President Fidel Castro"}, None),  # not Raul
    ],
)
def test_each_rule_finds_the_articles_words_and_never_another_actor(
    actor: dict[str, Any], expected: str | None
) -> None:
    found = resolve_name(actor, Article(RULES_TEXT))
    assert (found.name if found else None) == expected


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Turkish intelligence officers", True),  # the article: "Turkish intelligence said"
        ("Cameroonian border officials", True),  # the head occurs
        ("Arab League Secretariat", False),  # a body the article never names
        ("the officials", False),  # no words of its own
    ],
)
def test_a_description_is_kept_only_where_the_articles_words_support_it(
    name: str, kept: bool
) -> None:
    text = "Turkish intelligence said the suspects were held. Border officials met. The Arab League summit opens."
    assert head_occurs(name, Article(text)) is kept


@pytest.mark.parametrize(
    ("copied", "span"),
    [
        ("We will act.", "We will act"),  # the stop the article puts outside the marks
        (
            "We will not give up ... we will rebuild the country",
            "We will not give up on the talks, whatever happens, and we will rebuild the country",
        ),
        ("We will act … rebuild the country", None),  # pieces of two quotations
    ],
)
def test_a_quote_copied_with_a_stop_or_an_ellipsis_is_the_quotation(
    copied: str, span: str | None
) -> None:
    article = Article(
        "“We will act,” he said. “We will not give up on the talks, whatever happens, and "
        "we will rebuild the country,” she added."
    )
    found = locate_quoted(article, copied, [])
    assert (article.text[found[0] : found[1]] if found else None) == span


def test_a_capable_models_wording_of_the_schemas_values_is_read_not_reasked() -> None:
    """ "In-Person", "took place", "declined", a month for a date: a re-ask would resend the
    whole article to change a spelling."""
    answer = _answer()
    answer["meetings"][0].update(mode="In-Person", status="took place", date="2025-05")
    answer["meetings"][1].update(mode="video call", date="2025-05-13")
    answer["proposals"][0].update(status="declined", proposed_date="next month")
    summary, backend = _summarize(answer)
    assert len(backend.calls) == 1
    first, second = summary.meetings
    assert (first.mode, first.status, first.date) == ("in_person", "happened", None)
    assert (second.mode, str(second.date)) == ("video", "2025-05-13")
    assert summary.proposals[0].status == "rejected" and summary.proposals[0].proposed_date is None


def test_salvage_repoints_around_values_of_the_wrong_type() -> None:
    """Raw JSON after the last re-ask: a list may hold an object where an id belongs."""
    from summarizer.grounding.salvage import salvage

    answer = _answer()
    answer["actors"].append(
        {"id": "a8", "kind": "person", "name": "John Kirby", "represents": "a3"}
    )
    answer["meetings"][0]["participants"] = ["a1", "a8", {"id": "a2"}]
    draft, notes = salvage(answer, Article(ARTICLE))
    assert draft.meetings[0].participants == ["a1", "a3"]
    assert ("meetings[0].participants", "resolved") in {(n.item, n.action) for n in notes}
