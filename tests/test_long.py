"""A 60,000-word article: split within the context budget, extracted per chunk, merged."""

import json
import re
from typing import Any

from conftest import EXAMPLE, assert_grounded
from openai_server import OpenAIServer, Reply

from summarizer import summarize
from summarizer.article import Article
from summarizer.chunking import split
from summarizer.testing import completion_for

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


def answer_from_the_chunk(request: dict[str, Any]) -> Reply:
    """A model that reads: names the people it sees, attributes every "Lavrov said"."""
    text = request["messages"][-1]["content"]
    sentences = dict(re.findall(r"^\[(\d+)\] (.*)$", text, re.MULTILINE))
    people = []
    if "Sergey Lavrov" in text:
        people.append({"id": "p1", "name": "Sergey Lavrov", "aliases": ["Lavrov"]})
    if "Asaad al-Shaibani" in text:
        people.append({"id": "p2", "name": "Asaad al-Shaibani", "aliases": ["Shaibani"]})
    statements = [
        {"speaker": "p1", "cue": "said", "content": s, "verbatim": False, "evidence": [int(n)]}
        for n, s in sentences.items()
        if "Lavrov said" in s and people
    ]
    answer = {
        "abstract": "Talks.",
        "people": people,
        "meetings": [],
        "statements": statements,
        "proposals": [],
    }
    return Reply(200, {}, json.dumps(completion_for(request, answer)).encode())


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
    with OpenAIServer(default=answer_from_the_chunk) as server:
        summary = summarize(text, base_url=server.url, chunk_chars=CHUNK)
    sizes = [len(r.json["messages"][-1]["content"]) for r in server.received]
    # Each request carries at most CHUNK characters of article plus the prompt's own
    # numbering and list of quotations: far below the whole article's 370,000.
    assert len(sizes) > 10 and max(sizes) < CHUNK * 1.5 < len(text) / 10
    assert [p.name for p in summary.people] == ["Sergey Lavrov", "Asaad al-Shaibani"]
    said = [s for s in Article(text).sentences if "Lavrov said" in s.text]
    assert sorted(s.evidence[0].start for s in summary.statements) == [s.start for s in said]
    assert assert_grounded(summary, text) == len(said)
