"""The states gazetteer: names and adjectives as news writes them, found longest first on
whole words, and every UN member covered."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pycountry
import pytest

from summarizer.extraction import state_words
from summarizer.extraction.states import (
    StateMention,
    find_states,
    is_state_word,
    state_code,
    state_name,
)


def found(text: str) -> list[tuple[str, str, str]]:
    """(matched text, code, form) of every unhyphenated mention."""
    return [(text[m.start : m.end], m.code, m.form) for m in find_states(text) if not m.modifier]


def table_rows() -> dict[str, tuple[list[str], list[str]]]:
    return {code: (row["names"], row["adjectives"]) for code, row in state_words.STATES.items()}


def test_the_mediators_sentence() -> None:
    text = (
        "Egyptian mediators met an Israeli delegation in Cairo as Hamas rejected Egypt's proposal"
    )
    mentions = find_states(text)
    assert [(m.code, m.form) for m in mentions] == [
        ("EGY", "adjective"),
        ("ISR", "adjective"),
        ("EGY", "capital"),
        ("EGY", "name"),
    ]
    assert [text[m.start : m.end] for m in mentions] == ["Egyptian", "Israeli", "Cairo", "Egypt"]
    assert state_code("Cairo") is None  # a capital is found, but is no name of the state


def test_a_capital_is_found_unless_it_starts_another_name() -> None:
    text = "Moscow rejected the plan, the Washington Post reported from Moscow-based sources."
    assert [(text[m.start : m.end], m.code, m.form) for m in find_states(text)] == [
        ("Moscow", "RUS", "capital")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("talks in South Korea", [("South Korea", "KOR", "name")]),
        ("the Democratic Republic of Congo", [("Democratic Republic of Congo", "COD", "name")]),
        ("a North Korean envoy", [("North Korean", "PRK", "adjective")]),
        ("a South Korean envoy", [("South Korean", "KOR", "adjective")]),
        ("Papua New Guinea", [("Papua New Guinea", "PNG", "name")]),
        ("Equatorial Guinea", [("Equatorial Guinea", "GNQ", "name")]),
        ("Guinea-Bissau", [("Guinea-Bissau", "GNB", "name")]),
        ("Guinea and Dominica", [("Guinea", "GIN", "name"), ("Dominica", "DMA", "name")]),
        ("the Dominican Republic", [("Dominican Republic", "DOM", "name")]),
        (
            "the Republic of Congo and Congo",
            [("Republic of Congo", "COG", "name"), ("Congo", "COD", "name")],
        ),
        ("Saudi Arabia", [("Saudi Arabia", "SAU", "name")]),
        (
            "Saudi and Emirati officials",
            [("Saudi", "SAU", "adjective"), ("Emirati", "ARE", "adjective")],
        ),
        ("the Russian Federation", [("Russian Federation", "RUS", "name")]),
    ],
)
def test_longest_form_wins(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


def test_abbreviations_need_their_dots_and_capitals() -> None:
    assert found("the U.S. and the U.K.") == [("U.S.", "USA", "name"), ("U.K.", "GBR", "name")]
    assert found("US troops") == [("US", "USA", "adjective")]
    assert found("join us, Us and U.S.S.R. and USB") == []
    assert state_code("U.S.") == "USA"
    assert state_code("U.S") is None


def test_a_word_both_name_and_adjective_takes_its_form_from_the_next_word() -> None:
    assert found("the U.S. said on Monday") == [("U.S.", "USA", "name")]
    assert found("U.S. officials said") == [("U.S.", "USA", "adjective")]
    assert found("New Zealand Prime Minister") == [("New Zealand", "NZL", "adjective")]
    assert found("in New Zealand.") == [("New Zealand", "NZL", "name")]


@pytest.mark.parametrize("word", ["Türkiye", "Turkiye", "Turkey", "Turkish"])
def test_turkey_in_every_spelling(word: str) -> None:
    assert state_code(word) == "TUR"


@pytest.mark.parametrize(
    "word", ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire", "Côte d\u2019Ivoire", "Ivorian"]
)
def test_ivory_coast_in_every_spelling(word: str) -> None:
    assert state_code(word) == "CIV"
    assert found(f"in {word} today") == [
        (word, "CIV", "name" if word != "Ivorian" else "adjective")
    ]


@pytest.mark.parametrize(
    "text", ["Israelis", "Russians", "Palestinians", "South Koreans", "Saudis", "Americans"]
)
def test_plural_nationality_nouns_are_people_not_the_state(text: str) -> None:
    assert find_states(f"{text} protested on Monday") == []
    assert state_code(text) is None


def test_niger_is_not_inside_nigeria() -> None:
    assert found("Niger and Nigeria and Nigerien and Nigerian troops") == [
        ("Niger", "NER", "name"),
        ("Nigeria", "NGA", "name"),
        ("Nigerien", "NER", "adjective"),
        ("Nigerian", "NGA", "adjective"),
    ]


def test_chad_before_a_capitalised_name_is_a_person() -> None:
    assert found("Chad Smith said") == []
    assert found("Chad President Mahamat Deby visited Chad.") == [
        ("Chad", "TCD", "name"),
        ("Chad", "TCD", "name"),
    ]
    assert found("Jordan Bardella met officials in Jordan Monday") == [("Jordan", "JOR", "name")]


@pytest.mark.parametrize(
    ("text", "word", "code"),
    [
        ("Russian-backed separatists", "Russian", "RUS"),
        ("the U.S.-led coalition", "U.S.", "USA"),
        ("Iran-backed militias", "Iran", "IRN"),
        ("pro-Russia rebels", "Russia", "RUS"),
    ],
)
def test_hyphenated_modifiers_are_marked(text: str, word: str, code: str) -> None:
    start = text.index(word)
    assert find_states(text) == [
        StateMention(start, start + len(word), code, "adjective", modifier=True)
    ]


def test_places_that_contain_a_state_are_not_the_state() -> None:
    text = (
        "From Latin America to New Mexico, Mexico City, Northern Ireland, the Korean Peninsula, "
        "the South China Sea, the Niger Delta and Turkish Cypriots"
    )
    assert find_states(text) == []
    assert found("Mexico and China") == [("Mexico", "MEX", "name"), ("China", "CHN", "name")]


def test_lookups_are_case_sensitive() -> None:
    assert state_code("Russian") == "RUS"
    assert state_code("Russia") == "RUS"
    assert state_code("russia") is None
    assert state_code("RUSSIA") is None
    assert state_code("Ruritania") is None
    assert find_states("turkey and china for dinner") == []
    assert is_state_word("Emirati")
    assert is_state_word("South Korean")
    assert not is_state_word("Minister")


def test_short_names() -> None:
    assert state_name("RUS") == "Russia"
    assert state_name("USA") == "United States"
    assert state_name("GBR") == "Britain"
    assert state_name("KOR") == "South Korea"
    assert state_name("XKX") == "Kosovo"
    with pytest.raises(KeyError):
        state_name("PRI")  # Puerto Rico: a territory


def test_offsets_slice_the_matched_form() -> None:
    text = (
        "U.S. Secretary of State Marco Rubio met South Korean, Saudi and Emirati envoys in "
        "Britain after Russia's strike; the Democratic Republic of Congo and Côte d\u2019Ivoire "
        "sent notes, as did Türkiye."
    )
    mentions = find_states(text)
    assert [text[m.start : m.end] for m in mentions] == [
        "U.S.", "South Korean", "Saudi", "Emirati", "Britain", "Russia",
        "Democratic Republic of Congo", "Côte d\u2019Ivoire", "Türkiye",
    ]  # fmt: skip
    assert [m.code for m in mentions] == [
        "USA", "KOR", "SAU", "ARE", "GBR", "RUS", "COD", "CIV", "TUR",
    ]  # fmt: skip
    for m in mentions:
        assert state_code(text[m.start : m.end]) == m.code
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_every_un_member_has_a_name_and_an_adjective() -> None:
    rows = table_rows()
    members = set(rows) - state_words.NOT_UN_MEMBERS
    iso = {c.alpha_3: c for c in pycountry.countries}
    assert len(members) == 193  # the UN's membership since 2011
    assert members <= set(iso)
    for code in rows:
        name = state_name(code)
        assert state_code(name) == code, name
        assert not set(name) & set(",()"), name
        adjectives = rows[code][1]
        assert adjectives, code
        for adjective in adjectives:
            assert state_code(adjective) == state_words.SHARED.get(adjective, code), adjective
    # pycountry's entries with a sovereign's official name are all in the table, and the
    # others (territories) are not found under their ISO names.
    sovereign = ("Republic", "Kingdom", "State of", "Federation", "Principality", "Sultanate")
    for code, country in iso.items():
        official = getattr(country, "official_name", "")
        if code not in rows:
            assert state_code(country.name) is None, country.name
            assert not any(word in official for word in sovereign), official


def test_pycountry_is_not_imported_with_the_module() -> None:
    code = "import sys, summarizer.extraction.states; print('pycountry' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
