import socket

import pytest

from summarizer.article import Article, split_sentences


def test_network_is_guarded() -> None:
    with pytest.raises(RuntimeError, match="network"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


def test_sentences_are_exact_slices_and_keep_abbreviations(article_text: str) -> None:
    sentences = split_sentences(article_text)
    assert len(sentences) == 16
    for s in sentences:
        assert article_text[s.start : s.end] == s.text
    assert sentences[1].text.endswith("scheduled for Oct. 15.")  # "Oct." does not split
    assert [s.paragraph for s in sentences[2:4]] == [3, 3]  # one paragraph, two sentences


def test_locate_exact_then_normalised() -> None:
    article = Article("He said: “We are keen — truly keen.”\n\nThen  left.")
    assert article.locate("We are keen") == (10, 21)
    start, end = article.locate('"We are keen - truly keen."')  # straight quotes, plain dash
    assert article.text[start:end] == "We are keen — truly keen."
    start, end = article.locate("Then left.")  # white space differs
    assert article.text[start:end] == "Then  left."
    assert article.locate("We are not keen") is None
    assert article.locate("   ") is None


def test_mentions_ignores_case_but_not_content() -> None:
    article = Article("Asaad al-Shaibani met Lavrov.")
    assert article.mentions("Al-Shaibani")
    assert article.mentions("lavrov")
    assert not article.mentions("Sergey Shoigu")


def test_locate_respects_words_case_and_unicode_forms() -> None:
    import unicodedata

    article = Article("They moved toward war in the Straße. The generals’ plan failed.")
    start, end = article.locate("war")
    assert (article.text[start - 1], article.text[start:end]) == (" ", "war")  # not "toward"
    start, end = article.locate("STRASSE")  # casefolding changes the length: offsets still map
    assert article.text[start:end] == "Straße"
    assert article.locate("Strass") is None  # would end inside the word
    start, end = article.locate("the generals'")
    assert article.text[start:end] == "The generals’"  # the apostrophe is the article's
    decomposed = Article(unicodedata.normalize("NFD", "Talks in Türkiye ended."))
    start, end = decomposed.locate("in Türkiye")
    assert decomposed.text[start:end] == unicodedata.normalize("NFD", "in Türkiye")
    assert decomposed.mentions("Türkiye")
    assert not Article("The Syrian minister").mentions("Ian")


def test_sentences_start_at_any_capital_and_abbreviations_hold() -> None:
    texts = [
        s.text
        for s in split_sentences("Lavrov arrived. Émile Dupont met him. He said no. Talks ended.")
    ]
    assert texts == ["Lavrov arrived.", "Émile Dupont met him.", "He said no.", "Talks ended."]
    texts = [
        s.text
        for s in split_sentences("Gen. Smith met U.S. President Biden on Oct. 3. Лавров сказал.")
    ]
    assert texts == ["Gen. Smith met U.S. President Biden on Oct. 3.", "Лавров сказал."]


def test_fuzzy_match_is_bounded() -> None:
    article = Article('He noted: "We are keen for Russia to stand with us on this path," he said.')
    start, end = article.locate("We are keen for Russia to stand with us on the path")
    assert article.text[start:end] == "We are keen for Russia to stand with us on this path"
    assert article.locate("We are eager for China to stand with us today") is None
    assert article.locate("keen for Rusia") is None  # short needles never match fuzzily
    assert not article.mentions("Russa")


@pytest.mark.parametrize(
    "text",
    [
        "Hello  world — “quoted”\n\n next",
        "Straße in Türkiye",
        "a\u0308b  c",
        " lead and trail  ",
        "tab\t\tx",
    ],
)
@pytest.mark.parametrize("fold", [False, True])
def test_fast_normalised_view_equals_the_careful_one(text: str, fold: bool) -> None:
    from summarizer.article import _View

    fast, careful = _View.of(text, fold=fold), _View._char_by_char(text, fold=fold)
    assert (fast.text, fast.starts, fast.ends) == (careful.text, careful.starts, careful.ends)
