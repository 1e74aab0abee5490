"""What the report page shows, as one JSON-able payload built from a corpus.

The page draws what is here and nothing else: actors that took part in a meeting are
the network's nodes (sized by their meetings); every pair of participants of a meeting
is an edge (weighted by the meetings between them). Evidence is given as spans of each
article's text, so the page can highlight them where the text is known.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from summarizer.corpus import Corpus, Document
from summarizer.schema import Span

__all__ = ["MAX_DRAWN", "payload"]

# Past this many actors the network shows the best connected ones (the filters and
# counts still cover all): a canvas of a few hundred nodes stays readable and quick.
MAX_DRAWN = 400


def payload(corpus: Corpus, *, max_drawn: int = MAX_DRAWN) -> dict[str, Any]:
    meetings: list[dict[str, Any]] = []
    edges: dict[tuple[str, str], list[int]] = defaultdict(list)
    degree: Counter[str] = Counter()
    for doc, meeting, took_part in corpus.meetings():
        index = len(meetings)
        meetings.append(
            {
                "doc": doc,
                "p": took_part,
                "mode": meeting.mode,
                "status": meeting.status,
                "date": _iso(meeting.date),
                "when": meeting.date_text,
                "place": meeting.place,
                "ev": [s.text for s in meeting.evidence],
            }
        )
        for node in took_part:
            degree[node] += 1
        for i, a in enumerate(took_part):
            for b in took_part[i + 1 :]:
                edges[(min(a, b), max(a, b))].append(index)
    by_id = {n.id: n for n in corpus.nodes}
    ranked = sorted(degree, key=lambda n: (-degree[n], n))
    drawn = set(ranked[:max_drawn])
    nodes = [
        {
            "id": node_id,
            "name": by_id[node_id].name,
            "kind": by_id[node_id].kind,
            "country": by_id[node_id].country,
            "meetings": degree[node_id],
            "drawn": node_id in drawn,
        }
        for node_id in ranked
    ]
    proposals = []
    for doc, proposal in corpus.proposals():
        linked = corpus.node_of.get
        proposals.append(
            {
                "doc": doc,
                "kind": proposal.kind,
                "from": linked((doc, proposal.proposer)),
                "to": [n for r in proposal.recipients if (n := linked((doc, r)))],
                "status": proposal.status,
                "date": _iso(proposal.proposed_date)
                or _iso(corpus.documents[doc].summary.provenance.source.published),
                "content": proposal.content,
            }
        )
    return {
        "counts": {
            "documents": len(corpus.documents),
            "actors": len(corpus.nodes),
            "meetings": len(meetings),
            "proposals": len(proposals),
        },
        "nodes": nodes,
        "names": {n.id: n.name for n in corpus.nodes},
        "edges": [{"a": a, "b": b, "m": ms} for (a, b), ms in sorted(edges.items())],
        "meetings": meetings,
        "proposals": proposals,
        "docs": [_document(corpus, i, d) for i, d in enumerate(corpus.documents)],
    }


def _document(corpus: Corpus, index: int, document: Document) -> dict[str, Any]:
    summary = document.summary
    spans: list[list[Any]] = []

    def mark(kind: str, item: int, span: Span, who: str | None = None) -> None:
        spans.append([span.start, span.end, kind, item, who])

    for i, meeting in enumerate(summary.meetings):
        for span in meeting.evidence:
            mark("meeting", i, span)
    for i, statement in enumerate(summary.statements):
        speaker = corpus.node_of.get((index, statement.speaker))
        if statement.quote is not None:
            mark("quote", i, statement.quote, speaker)
        else:
            for span in statement.evidence:
                mark("statement", i, span, speaker)
    for i, proposal in enumerate(summary.proposals):
        for span in proposal.evidence:
            mark("proposal", i, span)
    source = summary.provenance.source
    return {
        "name": document.name,
        "title": document.title,
        "published": _iso(source.published),
        "path": source.path,
        "abstract": summary.abstract,
        "text": document.text,
        "actors": [
            {
                "node": corpus.node_of.get((index, a.id)),
                "name": a.name,
                "kind": a.kind,
                "title": a.title,
                "country": a.country,
            }
            for a in summary.actors
        ],
        "statements": [
            {
                "speaker": corpus.node_of.get((index, s.speaker)),
                "cue": s.cue,
                "content": s.content,
                "verbatim": s.verbatim,
            }
            for s in summary.statements
        ],
        "spans": sorted(spans, key=lambda s: (s[0], -s[1])),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None
