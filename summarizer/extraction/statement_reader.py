"""Statements, read from a `Reading`: every quotation with the speaker its wording gives
(or the model's pick among those named nearby), then reported speech outside them."""

from __future__ import annotations

from summarizer.extraction.reading import Reading
from summarizer.grounding.draft import DraftStatement

__all__ = ["read_statements"]


async def read_statements(doc: Reading) -> list[DraftStatement]:
    statements: list[DraftStatement] = []
    for q in doc.quotes:
        window = [doc.article.sentences[n - 1] for n in q.sentences]
        words = q.text(doc.article)
        found, cue = doc.roles.speaker(q)
        passage = " ".join(s.text for s in window)
        speaker = await doc.pick(
            found, window, "focused_speaker.j2", {"passage": passage, "words": words}
        )
        if speaker is not None:
            statements.append(
                DraftStatement(
                    speaker=doc.ids[speaker.name],
                    cue=cue or "said",
                    content=words,
                    verbatim=True,
                    quote=words,
                    evidence=list(q.sentences),
                )
            )
    quoted = {n for q in doc.quotes for n in q.sentences}
    for sentence in doc.article.sentences:
        if sentence.number in quoted:
            continue
        found, cue = doc.roles.reported(sentence)
        speaker = await doc.pick(
            found,
            [sentence],
            "focused_speaker.j2",
            {"passage": sentence.text, "words": sentence.text},
        )
        if speaker is not None and cue is not None:
            statements.append(
                DraftStatement(
                    speaker=doc.ids[speaker.name],
                    cue=cue,
                    content=sentence.text,
                    verbatim=False,
                    evidence=[sentence.number],
                )
            )
    statements.sort(key=lambda s: s.evidence[0])
    return statements
