"""Organisations, groups and unnamed office-holders found by the wording of news."""

from __future__ import annotations

import pytest

from summarizer.article import Article
from summarizer.extraction.bodies import find_bodies
from summarizer.extraction.candidates import ActorCandidate, find_people


def bodies(text: str) -> dict[str, ActorCandidate]:
    article = Article(text)
    return {b.name: b for b in find_bodies(article, find_people(article))}


def test_a_ministry_has_its_country_and_sector() -> None:
    found = bodies(
        "Russian Foreign Ministry spokeswoman Maria Zakharova said on Tuesday that "
        "Moscow would respond. Egypt's foreign ministry did not comment."
    )
    ministry = found["Russian Foreign Ministry"]
    assert (ministry.kind, ministry.country, ministry.sector) == ("organisation", "RUS", "GOV")
    assert ministry.represents == "Russia"
    egypt = found["Egypt's foreign ministry"]
    assert (egypt.country, egypt.sector, egypt.represents) == ("EGY", "GOV", "Egypt")


def test_an_acronym_in_brackets_is_an_alias_and_its_later_mentions_count() -> None:
    text = (
        "The World Food Program (WFP) said aid reached 20,000 people. "
        "WFP officials added that more trucks were waiting."
    )
    found = bodies(text)
    wfp = found["World Food Program"]
    assert (wfp.sector, wfp.aliases) == ("IGO", ["WFP"])
    assert [text[a:b] for a, b in wfp.mentions] == ["World Food Program", "WFP", "WFP"]
    assert "WFP" not in found  # one body, not two


def test_metonyms_stand_for_governments() -> None:
    found = bodies(
        "The Kremlin rejected the plan on Friday, while the White House said talks would go on."
    )
    kremlin, white_house = found["Kremlin"], found["White House"]
    assert (kremlin.kind, kremlin.country, kremlin.sector) == ("organisation", "RUS", "GOV")
    assert (white_house.country, white_house.sector) == ("USA", "GOV")


def test_a_delegation_and_mediators_described_by_nationality_are_groups() -> None:
    found = bodies(
        "An Israeli delegation arrived in Cairo on Sunday, where Egyptian mediators "
        "presented a new proposal. The delegation is expected to return on Monday."
    )
    delegation = found["Israeli delegation"]  # the name drops its article
    assert (delegation.kind, delegation.country, delegation.represents) == (
        "group",
        "ISR",
        "Israel",
    )
    assert len(delegation.mentions) == 2  # "The delegation" is the one delegation
    mediators = found["Egyptian mediators"]
    assert (mediators.kind, mediators.country) == ("group", "EGY")


def test_a_named_movement_is_a_group_beside_other_factions() -> None:
    found = bodies("Hamas and four other factions met in Cairo, a Hamas official said.")
    hamas = found["Hamas"]
    assert hamas.kind == "group"
    assert len(hamas.mentions) == 2


def test_an_unnamed_office_holder_is_an_office() -> None:
    found = bodies(
        "Turkish President Recep Tayyip Erdogan spoke by phone with the Syrian president on "
        "Monday. The Syrian president thanked him for his support."
    )
    office = found["the Syrian president"]  # a president of another country is named
    assert (office.kind, office.country, office.title) == ("office", "SYR", "president")
    assert len(office.mentions) == 2


def test_no_office_when_the_article_names_its_holder() -> None:
    found = bodies(
        "Syrian President Ahmed al-Sharaa arrived in Riyadh on Monday. "
        "The visit is his first abroad, the Syrian president said."
    )
    assert not [b for b in found.values() if b.kind == "office"]


def test_the_reference_article(article_text: str) -> None:
    found = bodies(article_text)
    assert found["our presidents"].kind == "office"  # one named president of the two
    assert not [b for b in found.values() if "minister" in b.name.lower()]  # Lavrov
    assert found["Arab League"].sector == "IGO"


def test_acronyms_standing_alone_are_bodies_and_state_codes_are_not() -> None:
    found = bodies(
        "NATO said on Monday that the alliance would meet. The US and the UK agreed, "
        "and the IAEA sent inspectors."
    )
    assert {"NATO", "IAEA"} <= set(found)
    assert not {"US", "UK"} & set(found)


def test_a_shorter_name_after_a_state_prefix_is_the_same_body() -> None:
    found = bodies(
        "U.S. Central Command said the strike killed two men. Central Command gave no names."
    )
    command = found["U.S. Central Command"]
    assert (command.country, command.sector, command.aliases) == ("USA", "MIL", ["Central Command"])


TEXTS = [
    "Russian Foreign Minister Sergey Lavrov met his Syrian counterpart Asaad al-Shaibani. "
    "The Russian Foreign Ministry said the ministers discussed the U.N. Security Council.",
    "Hamas said an Israeli delegation and Egyptian mediators met Qatari officials in Doha, "
    "as the Islamic State (IS) claimed an attack. IS fighters fled, U.S. officials said.",
    "The European Union and NATO urged restraint. EU foreign ministers met in Brussels, "
    "where Human Rights Watch said Iran's Revolutionary Guard Corps had detained activists.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_names_and_mentions_are_spans_and_never_a_persons(text: str) -> None:
    article = Article(text)
    people = find_people(article)
    found = find_bodies(article, people)
    assert found
    taken = [span for p in people for span in p.mentions]
    for body in found:
        assert body.mentions == sorted(body.mentions)
        assert body.name in [text[a:b] for a, b in body.mentions]
        for alias in body.aliases:
            assert alias in [text[a:b] for a, b in body.mentions]
        for a, b in body.mentions:
            assert not any(x < b and a < y for x, y in taken), (body.name, text[a:b])


def test_a_persons_name_is_never_part_of_a_body() -> None:
    article = Article("Foreign Ministry spokesperson Mao Ning said on Monday that China objected.")
    people = find_people(article)
    names = [b.name for b in find_bodies(article, people)]
    assert "Foreign Ministry" in names
    assert all("Mao" not in name for name in names)


def test_a_plural_office_is_held_only_when_two_holders_are_named() -> None:
    one = "Syrian President Ahmed al-Sharaa agreed. “The call between our presidents helped,” the envoy said."
    two = "Russian President Vladimir Putin and " + one
    assert bodies(one)["our presidents"].kind == "office"
    assert "our presidents" not in bodies(two)
