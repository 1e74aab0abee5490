"""Actors linked across articles, and the report's data, without a browser."""

from __future__ import annotations

from pathlib import Path

from corpus_data import write_sample

from summarizer.corpus import load_corpus
from summarizer.report.data import payload


def test_the_same_person_under_three_names_is_one_node_and_namesakes_stay_apart(
    tmp_path: Path,
) -> None:
    counts = write_sample(tmp_path)
    corpus = load_corpus(tmp_path)
    assert len(corpus.documents) == counts["documents"] and not corpus.skipped
    by_name = {n.name: n for n in corpus.nodes}
    lavrov = by_name["Sergey Lavrov"]
    assert len(lavrov.mentions) == 3, "'Sergey Lavrov' twice and 'Lavrov' alone"
    assert "Lavrov" in lavrov.aliases and lavrov.country == "RUS"
    assert {"Joe Biden", "Hunter Biden", "Biden"} <= set(by_name), "a lone surname of two people"
    assert len({by_name[n].id for n in ("Joe Biden", "Hunter Biden", "Biden")}) == 3
    shaibani = by_name["Asaad al-Shaibani"]
    assert len(shaibani.mentions) == 2 and "Al-Shaibani" in shaibani.aliases


def test_texts_are_found_only_when_unchanged(tmp_path: Path) -> None:
    write_sample(tmp_path)
    corpus = load_corpus(tmp_path)
    found = {d.name: d.text is not None for d in corpus.documents}
    assert found == {"geneva": True, "moscow-talks": True, "phone-call": True, "planned": False}
    (tmp_path / "geneva.source.txt").write_text("edited since", encoding="utf-8")
    assert load_corpus(tmp_path).documents[0].text is None


def test_error_records_and_other_json_are_not_summaries(tmp_path: Path) -> None:
    write_sample(tmp_path)
    (tmp_path / "x.error.json").write_text('{"error": {}}')
    (tmp_path / "notes.json").write_text("[1, 2]")
    corpus = load_corpus(tmp_path)
    assert len(corpus.documents) == 4 and corpus.skipped == ["notes.json"]


def test_the_payload_counts_what_the_summaries_hold(tmp_path: Path) -> None:
    counts = write_sample(tmp_path)
    data = payload(load_corpus(tmp_path))
    assert data["counts"]["meetings"] == counts["meetings"]
    assert data["counts"]["proposals"] == counts["proposals"]
    pairs = {(e["a"], e["b"]) for e in data["edges"]}
    names = data["names"]
    assert {tuple(sorted((names[a], names[b]))) for a, b in pairs} == {
        ("Joe Biden", "Sergey Lavrov"),
        ("Asaad al-Shaibani", "Sergey Lavrov"),
        ("Biden", "Russian officials"),
    }
    lavrov_shaibani = next(
        e
        for e in data["edges"]
        if {names[e["a"]], names[e["b"]]} == {"Sergey Lavrov", "Asaad al-Shaibani"}
    )
    assert len(lavrov_shaibani["m"]) == 2, "the Moscow talks and the phone call"
    assert len(data["nodes"]) == 5 and all(n["drawn"] for n in data["nodes"])
    few = payload(load_corpus(tmp_path), max_drawn=2)
    assert sum(n["drawn"] for n in few["nodes"]) == 2
    assert few["nodes"][0]["name"] == "Sergey Lavrov", "the best connected are drawn"


def test_linking_keeps_apart_what_an_article_or_a_country_keeps_apart(tmp_path: Path) -> None:
    from corpus_data import summary, write

    text = "Hamad bin Khalifa Al Thani met Hamad bin Jassim Al Thani. Officials of the Foreign Ministry and the Foreign Ministry of China met."
    write(
        tmp_path,
        "doha",
        text,
        summary(
            text,
            actors=[
                {"id": "a1", "name": "Hamad bin Khalifa Al Thani", "country": "QAT"},
                {"id": "a2", "name": "Hamad bin Jassim Al Thani", "country": "QAT"},
            ],
            meetings=[{"participants": ["a1", "a2"], "evidence": text.split(". ")[0] + "."}],
        ),
    )
    other = "Mohammed bin Salman met Salman. Ahmed Hassan spoke. The Foreign Ministry said so."
    write(
        tmp_path,
        "riyadh",
        other,
        summary(
            other,
            actors=[
                {"id": "a1", "name": "Mohammed bin Salman", "country": "SAU"},
                {"id": "a2", "name": "Salman", "country": "SAU"},
                {"id": "a3", "name": "Ahmed Hassan", "country": "EGY"},
                {"id": "a4", "kind": "organisation", "name": "Foreign Ministry", "country": "SAU"},
            ],
        ),
    )
    third = "Ahmed Hassan of Sudan spoke. The Foreign Ministry, the ministry, said so."
    write(
        tmp_path,
        "sudan",
        third,
        summary(
            third,
            actors=[
                {"id": "a1", "name": "Ahmed Hassan", "country": "SDN"},
                {
                    "id": "a2",
                    "kind": "organisation",
                    "name": "Foreign Ministry",
                    "aliases": ["the ministry"],
                    "country": "SDN",
                },
            ],
        ),
    )
    corpus = load_corpus(tmp_path)
    names = [n.name for n in corpus.nodes]
    assert names.count("Ahmed Hassan") == 2, "same name, other country"
    assert names.count("Foreign Ministry") == 2, "a ministry per state"
    assert "Salman" in names, "a lone word after 'bin' is not the family name"
    [meeting] = [m for _, m, _ in corpus.meetings()]
    assert len(corpus.participants(0, meeting)) == 2, "one article's two Hamads stay two"
    assert corpus.nodes[0].name == "Hamad bin Khalifa Al Thani", "numbered in order of mention"
