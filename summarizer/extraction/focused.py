"""The focused strategy: many small, closed questions instead of one big open one.

A 135M-parameter model cannot fill the whole schema in one go (it repeats itself
until the token limit), but it can answer "which of these three people said this?"
when the grammar only lets it answer with one of the three. Code finds the actors of
every kind (`actors.py`), quotations and places (`candidates.py`) and reads roles from the
wording (`attribution.py`, `meeting_roles.py`: who said, proposed or met whom, and when;
the template variable `people` holds the actors offered); a capable model may overrule
those readings among the candidates, the bundled one only picks the abstract's sentences.
Everything the model returns is a span of the article or a label from a closed list, and
the result is the same draft the single-call strategy gets, checked the same way.

The article is read once (`reading.py`); the readers of meetings, statements and
proposals (`meeting_reader.py`, `statement_reader.py`, `proposal_reader.py`) ask that
reading; this module asks for the abstract and lists the actors the items use.
"""

from __future__ import annotations

from pydantic import Field

from summarizer.article import Article
from summarizer.extraction.meeting_reader import read_meetings
from summarizer.extraction.proposal_reader import read_proposals
from summarizer.extraction.reading import Ask, Reading, closed, one_of
from summarizer.extraction.statement_reader import read_statements
from summarizer.grounding.draft import ArticleSummary
from summarizer.schema import Actor

__all__ = ["CHOICES", "CHOICES_SMALL_MODEL", "Ask", "extract_focused"]


# How many candidates a question offers. The bundled 135M model, offered three
# speakers, named the same one for every quote (2 of 10 right on the reference article),
# and its meeting statuses were right 1 time in 14 on real news; so for it the sentence's
# wording decides (attribution.py) and the model only picks the abstract's sentences. A
# larger GGUF or an endpoint chooses among three, the wording's pick offered first.
CHOICES_SMALL_MODEL = 1
CHOICES = 3
# The abstract is chosen from the article's first sentences (a news lead sums up its
# story). Each token of the question costs the bundled model about 4 ms on 2 cores, and
# this question is most of its time per article; three sentences, or two long ones, keep
# an article under a second.
_ABSTRACT_FROM = 3
_ABSTRACT_CHARS = 500


async def extract_focused(article: Article, ask: Ask, *, choices: int = CHOICES) -> ArticleSummary:
    """Build a draft from closed questions; nothing in it is free text from the model."""
    doc = Reading(article, ask, choices)
    abstract = await _abstract(doc)
    meetings = await read_meetings(doc)
    statements = await read_statements(doc)
    proposals = await read_proposals(doc, meetings)
    # Every person found is listed; a state or body only where an item needs it, or a
    # listed actor speaks for it.
    used = {
        *(p for m in meetings for p in [*m.participants, m.visitor, m.host]),
        *(s.speaker for s in statements),
        *(p for x in proposals for p in [x.proposer, *x.recipients]),
    }
    acting = [p for p in doc.people if p.kind == "person" or doc.ids[p.name] in used]
    spoken_for = {p.represents for p in acting}
    listed = [p for p in doc.people if p in acting or p.name in spoken_for]
    listed_names = {p.name for p in listed}
    actors = [
        Actor(
            id=doc.ids[p.name],
            kind=p.kind,
            name=p.name,
            aliases=p.aliases,
            title=p.title,
            country=p.country,
            sector=p.sector,  # type: ignore[arg-type]
            represents=doc.ids.get(p.represents) if p.represents in listed_names else None,
        )
        for p in listed
    ]
    return ArticleSummary(
        abstract=abstract,
        actors=actors,
        meetings=meetings,
        statements=statements,
        proposals=proposals,
    )


async def _abstract(doc: Reading) -> str:
    """One or two opening sentences, chosen by the model: extractive, so true."""
    opening = doc.article.sentences[:_ABSTRACT_FROM]
    while len(opening) > 2 and sum(len(s.text) for s in opening) > _ABSTRACT_CHARS:
        opening = opening[:-1]
    if len(opening) == 1:
        return opening[0].text
    numbers = [s.number for s in opening]
    model = closed(
        "Abstract",
        sentences=(list[one_of(numbers)], Field(min_length=1, max_length=2)),  # type: ignore[misc]
    )
    answer = await doc.ask("focused_abstract.j2", {"sentences": opening}, model)
    chosen = sorted(set(answer.sentences))
    return " ".join(doc.article.sentences[n - 1].text for n in chosen)
