"""Roles read from a sentence's wording: who spoke, who proposed to whom, who met whom.

Each case is one that ranking people by where they first appear gets wrong."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from pydantic import BaseModel

from summarizer.article import Article
from summarizer.extraction.attribution import Roles
from summarizer.extraction.candidates import find_people, find_quotations
from summarizer.extraction.cues import meeting_status
from summarizer.extraction.focused import extract_focused
from summarizer.grounding.draft import ArticleSummary


def roles(text: str) -> tuple[Article, Roles]:
    article = Article(text)
    return article, Roles(article, find_people(article))


def speakers(text: str) -> list[str | None]:
    article, r = roles(text)
    return [(who.name if who else None) for who, _ in map(r.speaker, find_quotations(article))]


def proposals(text: str) -> list[tuple[str, str | None, str | None]]:
    article, r = roles(text)
    out = []
    for sentence in article.sentences:
        for kind, start, end in r.proposals(sentence):
            proposer, recipient = r.proposal_roles(sentence, start, end)
            out.append(
                (kind, proposer.name if proposer else None, recipient.name if recipient else None)
            )
    return out


def test_the_speaker_is_the_subject_of_the_reporting_verb_not_the_first_named() -> None:
    text = (
        "French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris.\n\n"
        '"We are ready to help," Macron told Scholz.\n\n'
        '"Thank you," Scholz said.'
    )
    assert speakers(text) == ["Emmanuel Macron", "Olaf Scholz"]


def test_inverted_and_pronoun_attributions() -> None:
    text = (
        "Foreign Minister Sergey Lavrov received Syrian Foreign Minister Asaad al-Shaibani.\n\n"
        '"The talks were useful," said al-Shaibani.\n\n'
        'Lavrov spoke next. "We will continue," he said.\n\n'
        '"And we will meet again."'
    )
    assert speakers(text) == ["Asaad al-Shaibani", "Sergey Lavrov", "Sergey Lavrov"]


def test_a_quote_before_its_verb_and_according_to() -> None:
    text = (
        "Prime Minister Anna Berg spoke after President Tomas Ruell arrived.\n\n"
        'Ruell said: "This is a good day."\n\n'
        'According to Berg, "nothing was agreed."'
    )
    assert speakers(text) == ["Tomas Ruell", "Anna Berg"]


def test_a_quote_by_an_organisation_is_given_to_no_person() -> None:
    text = (
        "Foreign Minister Sergey Lavrov met Secretary of State Marco Rubio.\n\n"
        '"The meeting was constructive," the ministry said in a statement.'
    )
    assert speakers(text) == [None]


def test_proposer_and_recipient_by_role() -> None:
    text = "President Emmanuel Macron invited Chancellor Olaf Scholz to Paris."
    assert proposals(text) == [("invitation", "Emmanuel Macron", "Olaf Scholz")]
    passive = "Chancellor Olaf Scholz was invited by President Emmanuel Macron to Paris."
    assert proposals(passive) == [("invitation", "Emmanuel Macron", "Olaf Scholz")]
    nominal = (
        "Chancellor Olaf Scholz travelled to Paris at the invitation of President Emmanuel Macron."
    )
    assert proposals(nominal) == [("invitation", "Emmanuel Macron", "Olaf Scholz")]


def test_a_proposal_inside_a_quotation_is_the_speakers() -> None:
    text = (
        "President Emmanuel Macron met Chancellor Olaf Scholz.\n\n"
        '"We invite Chancellor Scholz to the summit," Macron said.'
    )
    assert proposals(text) == [("invitation", "Emmanuel Macron", "Olaf Scholz")]


def test_cue_words_match_whole_words_only() -> None:
    text = "Mayor Peter Tschentscher met Minister Anna Berg in Hamburg and pledged support."
    kinds = [k for k, _, _ in proposals(text)]
    assert "request" not in kinds  # "urg" inside "Hamburg" is no request


def test_people_sharing_a_surname_stay_apart() -> None:
    text = (
        "President Raul Castro met former leader Fidel Castro in Havana.\n\n"
        '"We agree," Fidel Castro said.\n\n'
        '"We do," Raul Castro said. Castro then left.'
    )
    people = find_people(Article(text))
    names = sorted(p.name for p in people)
    assert names == ["Fidel Castro", "Raul Castro"]
    assert all("Castro" not in p.aliases for p in people)  # ambiguous: neither's alias
    assert speakers(text) == ["Fidel Castro", "Raul Castro"]


def test_merging_keeps_people_sharing_a_surname_apart() -> None:
    """A model that lists "Castro" for both Raul and Fidel does not merge them."""
    from summarizer.grounding.draft import merge_duplicates
    from summarizer.schema import Actor

    draft = ArticleSummary(
        abstract="Two leaders met.",
        actors=[
            Actor(kind="person", id="a1", name="Raul Castro", aliases=["Castro"]),
            Actor(kind="person", id="a2", name="Fidel Castro", aliases=["Castro"]),
        ],
        meetings=[],
        statements=[],
        proposals=[],
    )
    merged = merge_duplicates(draft)
    assert [p.name for p in merged.actors] == ["Raul Castro", "Fidel Castro"]


def test_meeting_status_from_the_wording() -> None:
    assert meeting_status("Lavrov met Rubio in Riyadh on Tuesday.") == "happened"
    assert meeting_status("Lavrov will meet Rubio next week.") == "planned"
    assert meeting_status("Lavrov is set to visit Ankara.") == "planned"
    assert meeting_status("The talks in Jeddah are continuing.") == "ongoing"
    assert meeting_status("The summit was called off.") == "cancelled"


def test_focused_fills_roles_and_dates_without_asking_a_small_model() -> None:
    text = (
        "President Emmanuel Macron hosted Chancellor Olaf Scholz in Paris last Thursday.\n\n"
        "Macron invited Scholz to visit again on Oct. 15."
    )
    asked: list[str] = []

    async def ask(template: str, variables: dict[str, Any], model: type[BaseModel]) -> Any:
        asked.append(template)
        return model.model_validate({"sentences": [1]})

    article = Article(text, published=dt.date(2025, 10, 2))
    draft: ArticleSummary = asyncio.run(extract_focused(article, ask, choices=1))
    ids = {p.name: p.id for p in draft.actors}
    hosted, invited = draft.meetings  # the visit that happened, and the one invited to
    assert (hosted.visitor, hosted.host) == (ids["Olaf Scholz"], ids["Emmanuel Macron"])
    assert hosted.date_text == "last Thursday" and hosted.status == "happened"
    assert invited.date_text == "Oct. 15" and invited.status == "planned"
    (proposal,) = draft.proposals
    assert proposal.proposer == ids["Emmanuel Macron"]
    assert proposal.recipients == [ids["Olaf Scholz"]]
    assert proposal.proposed_date_text == "Oct. 15"
    assert asked == ["focused_abstract.j2"]


def test_he_in_a_second_clause_is_the_sentence_s_subject() -> None:
    from summarizer import summarize

    summary = summarize(
        "President Jonathan Harrow thanked Prime Minister Tane Whakarongo for his help, and "
        "he asked New Zealand to join the initiative.",
        cache=False,
    )
    names = {a.id: a.name for a in summary.actors}
    [request] = summary.proposals
    assert names[request.proposer or ""] == "Jonathan Harrow"
