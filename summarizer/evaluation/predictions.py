"""Predictions to score: JSON Lines of `{"id": ..., "summary": {...}}` (or `"error"` where
the run failed), as `summarizer eval run` writes them. A gold file is accepted too: each
gold document is turned into the summary that says exactly what the gold says, which is
how the scorer checks itself (gold against gold scores 1.0 everywhere)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from summarizer.errors import InputError
from summarizer.evaluation.gold import GoldDocument, gold_path, json_lines
from summarizer.evaluation.metrics import gold_evidence
from summarizer.evaluation.names import normal
from summarizer.schema import (
    Actor,
    Meeting,
    Proposal,
    Provenance,
    Source,
    Span,
    Statement,
    Summary,
    Usage,
)

__all__ = ["gold_as_summary", "load_predictions", "prediction_line"]


_UNNAMED = "(not annotated)"


def prediction_line(doc_id: str, summary: Summary | None, error: str | None = None) -> str:
    record: dict[str, Any] = {"id": doc_id}
    if summary is not None:
        record["summary"] = json.loads(summary.model_dump_json())
    else:
        record["error"] = error or "no summary"
    return json.dumps(record, ensure_ascii=False) + "\n"


def load_predictions(path: Path) -> dict[str, Summary | None]:
    """Summaries by document id; None for a document whose run failed."""
    path = gold_path(path)  # a built-in gold set by name scores as perfect predictions
    out: dict[str, Summary | None] = {}
    for number, line in json_lines(path, "predictions"):
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or "id" not in record:
                raise ValueError("expected an object with an id")
            if "text" in record and "summary" not in record:
                out[str(record["id"])] = gold_as_summary(GoldDocument.model_validate(record))
            elif record.get("summary") is not None:
                out[str(record["id"])] = Summary.model_validate(record["summary"])
            else:
                out[str(record["id"])] = None
        except (ValueError, TypeError) as exc:
            first = " ".join(str(exc).splitlines()[:2])
            raise InputError(f"{path}:{number}: not a prediction ({first})") from None
    return out


def gold_as_summary(doc: GoldDocument) -> Summary:
    """The summary a perfect system would give for this gold document: its evidence is
    the gold's where the gold has some, else the whole text."""
    text = doc.text
    whole = Span(text=text, start=0, end=len(text))

    def evidence(strings: list[str]) -> list[Span]:
        found = gold_evidence(doc, strings)
        return [Span(text=text[a:b], start=a, end=b) for a, b in found] or [whole]

    ids: dict[str, str] = {}
    actors: list[Actor] = []

    def pid(name: str | None) -> str:
        name = name or _UNNAMED
        known = next(
            (p for p in doc.people if normal(name) in {normal(n) for n in [p.name, *p.aliases]}),
            None,
        )
        key = normal(known.name if known else name)
        if key not in ids:
            ids[key] = f"a{len(ids) + 1}"
            actors.append(
                Actor(
                    id=ids[key],
                    kind=(known.kind if known else None) or "person",
                    name=known.name if known else name,
                    aliases=known.aliases if known else [],
                )
            )
        return ids[key]

    for person in doc.people:
        pid(person.name)
    meetings = [
        Meeting(
            participants=list(dict.fromkeys(pid(n) for n in m.participants)),
            visitor=pid(m.visitor) if m.visitor else None,
            host=pid(m.host) if m.host else None,
            mode=m.mode or "unknown",
            place=m.place,
            status=m.status or "happened",
            date=m.date,
            evidence=evidence(m.evidence),
        )
        for m in doc.meetings
    ]
    statements = []
    for s in doc.statements:
        quote = None
        if s.quote is not None:
            start = text.find(s.quote)
            if start < 0:
                raise ValueError(f"{doc.id}: gold quote not in the text: {s.quote!r}")
            quote = Span(text=s.quote, start=start, end=start + len(s.quote))
        statements.append(
            Statement(
                speaker=pid(s.speaker),
                cue="said",
                content=s.content or s.quote or "(not annotated)",
                verbatim=quote is not None,
                quote=quote,
                evidence=[quote or whole],
            )
        )
    proposals = [
        Proposal(
            kind=p.kind or "proposal",
            proposer=pid(p.proposer),
            recipients=[pid(r) for r in p.recipients],
            content=p.content or "(not annotated)",
            status=p.status or "made",
            proposed_date=p.date,
            evidence=evidence(p.evidence),
        )
        for p in doc.proposals
    ]
    return Summary(
        abstract=f"Gold annotation of {doc.id}.",
        actors=actors,
        meetings=meetings,
        statements=statements,
        proposals=proposals,
        provenance=Provenance(
            source=Source(
                path=doc.id, sha256=hashlib.sha256(text.encode()).hexdigest(), chars=len(text)
            ),
            backend="gold",
            model=doc.origin,
            mode="gold",
            prompt_version="gold",
            attempts=1,
            usage=Usage(),
            seconds=0.0,
            created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
        ),
    )
