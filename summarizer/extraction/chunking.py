"""Long articles: split on paragraph boundaries, extract each part, merge the parts.

A chunk is an exact slice of the article that starts and ends on paragraph boundaries,
so its sentences are the article's sentences, renumbered from one. Merging maps them
back (sentence k of a chunk is sentence `first + k - 1` of the article), renumbers
actors, then merges actors by name and alias and drops items that overlapping chunks
both found. Offsets are computed afterwards on the whole article, as for any draft.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from summarizer.article import Article, Sentence
from summarizer.grounding.draft import ArticleSummary, merge_duplicates

__all__ = [
    "OVERLAP_PARAGRAPHS",
    "Chunk",
    "combine",
    "split",
]

OVERLAP_PARAGRAPHS = 1  # a statement split over a boundary is whole in one of two chunks


@dataclass(frozen=True)
class Chunk:
    article: Article  # the slice, as an article of its own
    first: int  # the article's number for the chunk's sentence 1


def split(article: Article, max_chars: int) -> list[Chunk]:
    """Chunks of at most `max_chars` (a paragraph longer than that is cut between
    sentences), each overlapping the previous by one paragraph."""
    if len(article.text) <= max_chars or not article.sentences:
        return [Chunk(article, 1)]
    units: list[list[Sentence]] = []
    for paragraph in _paragraphs(article.sentences):
        if paragraph[-1].end - paragraph[0].start <= max_chars:
            units.append(paragraph)
            continue
        current: list[Sentence] = []
        for sentence in paragraph:
            if current and sentence.end - current[0].start > max_chars:
                units.append(current)
                current = []
            current.append(sentence)
        units.append(current)
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1][-1].end - units[i][0].start <= max_chars:
            j += 1
        start, end = units[i][0].start, units[j][-1].end
        text = article.text[start:end]
        chunks.append(
            Chunk(Article(text, path=article.path, published=article.published), units[i][0].number)
        )
        if j + 1 >= len(units):
            break
        i = max(j + 1 - OVERLAP_PARAGRAPHS, i + 1)
    return chunks


def combine(parts: list[tuple[Chunk, ArticleSummary]], article: Article) -> ArticleSummary:
    """One draft of the whole article from the drafts of its chunks; deterministic."""
    data: dict[str, Any] = {
        "abstract": parts[0][1].abstract,
        "actors": [],
        "meetings": [],
        "statements": [],
        "proposals": [],
    }
    next_id = 1
    whole = article.quotations
    by_start = {q.start: i for i, q in enumerate(whole, start=1)}
    for chunk, draft in parts:
        offset = article.sentences[chunk.first - 1].start
        local = chunk.article.quotations

        def global_quote(
            quote_id: str | None, local: list[Any] = local, offset: int = offset
        ) -> str | None:
            """A chunk numbers its quotations from q1; the article numbers all of them."""
            if quote_id is None:
                return None
            at = local[int(quote_id[1:]) - 1].start + offset
            index = by_start.get(at)
            if index is None:  # a piece of a quotation the chunk's edge cut
                index = next((i for i, q in enumerate(whole, 1) if q.contains(at)), None)
            return f"q{index}" if index is not None else None

        ids: dict[str, str] = {}

        def rid(pid: str | None, ids: dict[str, str] = ids) -> str | None:
            return ids[pid] if pid is not None else None

        for actor in draft.actors:
            ids[actor.id] = f"a{next_id}"
            next_id += 1
        for actor in draft.actors:
            data["actors"].append(
                {**actor.model_dump(), "id": ids[actor.id], "represents": rid(actor.represents)}
            )
        shift = chunk.first - 1

        for m in draft.meetings:
            data["meetings"].append(
                {
                    **m.model_dump(),
                    "participants": [ids[p] for p in m.participants],
                    "visitor": rid(m.visitor),
                    "host": rid(m.host),
                    "evidence": [n + shift for n in m.evidence],
                }
            )
        for s in draft.statements:
            data["statements"].append(
                {
                    **s.model_dump(),
                    "quote_id": global_quote(s.quote_id),
                    "speaker": ids[s.speaker],
                    "addressee": rid(s.addressee),
                    "evidence": [n + shift for n in s.evidence],
                }
            )
        for p in draft.proposals:
            data["proposals"].append(
                {
                    **p.model_dump(),
                    "proposer": ids[p.proposer],
                    "recipients": [ids[r] for r in p.recipients],
                    "evidence": [n + shift for n in p.evidence],
                }
            )
    # Checked against the whole article; the drafts rebuilt after merging are checked
    # against the document being extracted (`DocumentContext.article`).
    merged = merge_duplicates(ArticleSummary.model_validate(data, context={"article": article}))
    return _dedupe(merged)


def _dedupe(draft: ArticleSummary) -> ArticleSummary:
    """Items found twice where chunks overlap: same actors, same sentences."""
    data = draft.model_dump()
    keys: dict[str, Callable[[dict[str, Any]], Hashable]] = {
        "meetings": lambda m: (
            frozenset(m["participants"]),
            m["place"],
            m["date_text"],
            m["status"],
        ),
        "statements": lambda s: (s["speaker"], s["quote"] or s["content"], tuple(s["evidence"])),
        "proposals": lambda p: (
            p["kind"],
            p["proposer"],
            frozenset(p["recipients"]),
            tuple(p["evidence"]),
        ),
    }
    for kind, key in keys.items():
        seen: dict[Any, dict[str, Any]] = {}
        for item in data[kind]:
            k = key(item)
            if k in seen:
                if kind == "meetings":  # the same meeting told twice: keep all the evidence
                    merged = sorted(set(seen[k]["evidence"]) | set(item["evidence"]))
                    seen[k]["evidence"] = merged
                continue
            seen[k] = item
        data[kind] = list(seen.values())
    return ArticleSummary.model_validate(data)


def _paragraphs(sentences: list[Sentence]) -> list[list[Sentence]]:
    out: list[list[Sentence]] = []
    for s in sentences:
        if out and out[-1][-1].paragraph == s.paragraph:
            out[-1].append(s)
        else:
            out.append([s])
    return out
