"""A 60,000-word article: split within the context budget, extracted per chunk, merged."""

import re
from typing import Any

from conftest import EXAMPLE, assert_grounded

from summarizer import summarize
from summarizer.article import Article
from summarizer.extraction.chunking import split
from summarizer.testing import FunctionBackend

CHUNK = 24_000


def long_article() -> str:
    """Real reporting, repeated under numbered headlines to 60,000 words."""
    base = EXAMPLE.read_text(encoding="utf-8").strip()
    parts, words, n = [], 0, 0
    while words < 60_000:
        n += 1
        parts.append(f"Report number {n} from the wire.\n\n{base}")
        words += len(parts[-1].split())
    return "\n\n".join(parts) + "\n"


def answer_from_the_chunk(messages: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
    """A model that reads: names the people it sees, attributes every "Lavrov said"."""
    text = messages[-1]["content"]
    sentences = dict(re.findall(r"^\[(\d+)\] (.*)$", text, re.MULTILINE))
    people = []
    if "Sergey Lavrov" in text:
        people.append({"id": "a1", "name": "Sergey Lavrov", "aliases": ["Lavrov"]})
    if "Asaad al-Shaibani" in text:
        people.append({"id": "a2", "name": "Asaad al-Shaibani", "aliases": ["Shaibani"]})
    statements = [
        {"speaker": "a1", "cue": "said", "content": s, "verbatim": False, "evidence": [int(n)]}
        for n, s in sentences.items()
        if "Lavrov said" in s and people
    ]
    return {
        "abstract": "Talks.",
        "actors": people,
        "meetings": [],
        "statements": statements,
        "proposals": [],
    }


def test_chunks_are_slices_whose_sentences_are_the_articles() -> None:
    article = Article(long_article())
    chunks = split(article, CHUNK)
    assert len(chunks) > 10
    for chunk in chunks:
        assert len(chunk.article.text) <= CHUNK
        for s in chunk.article.sentences:
            assert article.sentences[chunk.first + s.number - 2].text == s.text
    assert chunks[-1].first + len(chunks[-1].article.sentences) - 1 == len(article.sentences)


def test_sixty_thousand_words_within_budget_people_once() -> None:
    text = long_article()
    assert len(text.split()) >= 60_000
    backend = FunctionBackend(answer_from_the_chunk)
    summary = summarize(text, transport=backend, chunk_chars=CHUNK)
    sizes = [len(call.messages[-1]["content"]) for call in backend.calls]
    # Each request carries at most CHUNK characters of article plus the prompt's own
    # numbering and list of quotations: far below the whole article's 370,000.
    assert len(sizes) > 10 and max(sizes) < CHUNK * 1.5 < len(text) / 10
    assert [p.name for p in summary.actors] == ["Sergey Lavrov", "Asaad al-Shaibani"]
    said = [s for s in Article(text).sentences if "Lavrov said" in s.text]
    assert sorted(s.evidence[0].start for s in summary.statements) == [s.start for s in said]
    assert assert_grounded(summary, text) == len(said)


def test_quotation_ids_of_a_chunk_map_to_the_whole_articles() -> None:
    """Each chunk numbers its quotations from q1; the merged summary must quote the
    right one."""
    names = ["Alice Smith", "Bob Jones", "Carol White", "Dan Brown", "Eve Green", "Frank Black"]
    fill = "The weather was mild and the talks went on for hours in the capital city. " * 4
    text = "\n\n".join(
        f'{n} said "{n.split()[0].lower()} wants peace now and forever". {fill}' for n in names
    )

    def last_quote_of_the_chunk(
        messages: list[dict[str, Any]], schema: dict[str, Any]
    ) -> dict[str, Any]:
        prompt = messages[-1]["content"]
        qid, k = re.findall(r"^(q\d+) \(sentences? (\d+)", prompt, re.MULTILINE)[-1]
        line = re.search(rf"^\[{k}\] (.*)$", prompt, re.MULTILINE).group(1)  # type: ignore[union-attr]
        return {
            "abstract": "Talks.",
            "actors": [{"id": "a1", "name": " ".join(line.split()[:2])}],
            "meetings": [],
            "proposals": [],
            "statements": [
                {"speaker": "a1", "cue": "said", "content": "peace", "verbatim": True,
                 "quote_id": qid, "evidence": [int(k)]}
            ],
        }  # fmt: skip

    backend = FunctionBackend(last_quote_of_the_chunk)
    summary = summarize(text, transport=backend, chunk_chars=1000)
    assert len(backend.calls) > 2
    people = {p.id: p.name for p in summary.actors}
    for statement in summary.statements:
        assert statement.quote is not None
        first_name = people[statement.speaker].split()[0].lower()
        assert statement.quote.text == f"{first_name} wants peace now and forever"
    assert_grounded(summary, text)


def test_when_one_part_fails_the_others_stop_asking() -> None:
    """A document whose first part fails sends nothing more for its other parts: they
    are cancelled, not left running for a document that has already failed."""
    import asyncio

    import pytest

    from summarizer import BackendError, asummarize

    finished: list[str] = []

    async def first_part_fails(messages: list[dict[str, Any]], schema: dict[str, Any]) -> Any:
        text = messages[-1]["content"]
        if "Report number 1 from" in text:
            raise KeyError("the first part cannot be read")
        await asyncio.sleep(0.5)
        finished.append(text[:40])
        return answer_from_the_chunk(messages, schema)

    async def run_then_wait() -> None:
        with pytest.raises(BackendError):
            await asummarize(
                long_article(), transport=FunctionBackend(first_part_fails), chunk_chars=CHUNK
            )
        await asyncio.sleep(1.0)  # time enough for parts left running to finish

    asyncio.run(run_then_wait())
    assert finished == []
