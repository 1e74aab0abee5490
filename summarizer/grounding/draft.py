"""What the model fills in, how code checks it against the article, and how it becomes
a `Summary`.

The model cites sentences by number and copies quotes as text; offsets are computed
here. Each problem found becomes one short line of the re-ask message, naming the item.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import (
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from summarizer.article import Article
from summarizer.context import current_document
from summarizer.extraction.candidates import surname
from summarizer.grounding.checks import locate_quoted
from summarizer.grounding.dates import find_dateline, resolve
from summarizer.grounding.repair import ground
from summarizer.schema import (
    Actor,
    Diagnostic,
    Meeting,
    Proposal,
    Provenance,
    Span,
    Statement,
    Summary,
    _MeetingFields,
    _Model,
    _ProposalFields,
    _StatementFields,
)

__all__ = [
    "ArticleSummary",
    "DraftMeeting",
    "DraftProposal",
    "DraftStatement",
    "SentenceRefs",
    "merge_duplicates",
    "to_summary",
]

_SCHEMAS: dict[Any, dict[str, Any]] = {}
_GROUNDED = "summarizer:grounded"  # validation context: grounded already, take as it is

SentenceRefs = list[int]
_EVIDENCE = "Numbers of the sentences that support this item, e.g. [2, 3]."


# Words a capable model uses for the schema's values: read, not re-asked (a re-ask
# resends the whole article to change "in-person" to "in_person").
_MODES = {
    **dict.fromkeys(("in-person", "in person", "face-to-face", "face to face"), "in_person"),
    **dict.fromkeys(("telephone", "call", "phone call", "telephone call"), "phone"),
    **dict.fromkeys(("virtual", "videoconference", "video call", "video conference"), "video"),
    **dict.fromkeys(("online",), "video"),
}
_MEETING_STATUS = {
    **dict.fromkeys(("held", "took place", "completed", "past", "occurred"), "happened"),
    **dict.fromkeys(("scheduled", "upcoming", "proposed", "future", "expected"), "planned"),
    **dict.fromkeys(("canceled", "called off"), "cancelled"),
    **dict.fromkeys(("in progress", "continuing"), "ongoing"),
}
_PROPOSAL_STATUS = {
    **dict.fromkeys(("open", "unanswered", "awaiting response"), "pending"),
    **dict.fromkeys(("declined", "refused"), "rejected"),
    **dict.fromkeys(("agreed", "approved"), "accepted"),
    **dict.fromkeys(("proposed", "issued", "extended"), "made"),
}


def _word(value: Any, table: dict[str, str]) -> Any:
    """The schema's value for a model's word; anything else as it came, for the schema
    to accept or refuse."""
    if not isinstance(value, str) or value in table.values():
        return value
    key = value.strip().casefold().replace("_", " ")
    return table.get(key, table.get(key.replace(" ", "-"), value))


def _iso_date(value: Any) -> Any:
    """An ISO date, or nothing: "2025-05" or "May 14" in `date` is no date to keep (the
    words stay in `date_text`, resolved in code where the publication date is known)."""
    if value is None or not isinstance(value, str):
        return value
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


class DraftMeeting(_MeetingFields):
    evidence: SentenceRefs = Field(min_length=1, description=_EVIDENCE)

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        return _word(value, _MODES)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return _word(value, _MEETING_STATUS)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return _iso_date(value)


class DraftStatement(_StatementFields):
    quote_id: str | None = Field(
        default=None,
        pattern=r"^q[0-9]+$",
        description="When verbatim: the id of the quotation listed after the article.",
    )
    quote: str | None = Field(
        default=None,
        description="Quoted words not in the list, exactly as in the article, no quote marks.",
    )
    evidence: SentenceRefs = Field(min_length=1, description=_EVIDENCE)


class DraftProposal(_ProposalFields):
    evidence: SentenceRefs = Field(min_length=1, description=_EVIDENCE)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return _word(value, _PROPOSAL_STATUS)

    @field_validator("proposed_date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return _iso_date(value)


class ArticleSummary(_Model):
    """Who met whom, what was said and what was proposed in the article."""

    # The model gets the error text back in a re-ask: keep it to the problems, without a
    # repr of its whole answer.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Instructor asks for the schema on every call, through a fresh subclass of this
        model each time; generating it took about 5 ms, the largest share of our CPU per
        document in batches. The key is what the schema is made of; callers get a copy."""
        fields = tuple((name, repr(f)) for name, f in cls.model_fields.items())
        key = (cls.__name__, cls.__doc__, fields, args, tuple(sorted(kwargs.items())))
        if key not in _SCHEMAS:
            _SCHEMAS[key] = super().model_json_schema(*args, **kwargs)
        return copy.deepcopy(_SCHEMAS[key])

    abstract: str = Field(min_length=1, description="Two or three sentences.")
    actors: list[Actor]
    meetings: list[DraftMeeting]
    statements: list[DraftStatement]
    proposals: list[DraftProposal]

    _notes: list[Diagnostic] = PrivateAttr(default_factory=list)

    @property
    def grounding_notes(self) -> list[Diagnostic]:
        """What the grounding pass changed in this answer to make it valid (names
        resolved, values left out); empty for an answer taken as it was."""
        return list(self._notes)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> ArticleSummary:
        """Grounded against the validation context's `article` (instructor passes its
        `context`; `model_validate(..., context={"article": ...})`), else, for drafts
        that extraction builds in code, against the document being extracted. What the
        grounding pass can repair is repaired here, in place (`grounding.repair`); the
        answer is refused, and so re-asked, only when something in it would be lost."""
        context = info.context if info is not None else None
        if isinstance(context, dict) and context.get(_GROUNDED):
            return self
        article: Article | None = None
        if isinstance(context, dict) and isinstance(context.get("article"), Article):
            article = context["article"]
        elif (document := current_document()) is not None:
            article = document.article
        if article is None:
            return self
        grounded = ground(self.model_dump(mode="json"), article)
        if grounded.needs_reask:
            raise ValueError(_short(grounded.reask_lines()))
        if grounded.notes:
            # Lax, whatever the answer was validated as: the JSON types are the dump's.
            fixed = ArticleSummary.model_validate(grounded.data, context={_GROUNDED: True})
            for name in ArticleSummary.model_fields:
                setattr(self, name, getattr(fixed, name))
            self._notes = grounded.notes
        return self


def merge_duplicates(draft: ArticleSummary) -> ArticleSummary:
    """One entry per actor: entries of one kind whose proper names agree ("Sergey
    Lavrov" and "Lavrov"; "Russia" and the alias "Russia"), or, for descriptions,
    whose descriptions are the same, merge, aliases pooled, and every reference is
    rewritten to the first entry's id. A person never merges with a state or a body."""
    actors = draft.actors
    if not any(_same_actor(a, b) for i, a in enumerate(actors) for b in actors[i + 1 :]):
        return draft  # the usual case: nothing to merge, nothing to copy
    keep: list[Actor] = []
    rename: dict[str, str] = {}
    for actor in draft.actors:
        match = next((k for k in keep if _same_actor(k, actor)), None)
        if match is None:
            keep.append(actor.model_copy(deep=True))
            continue
        rename[actor.id] = match.id
        for alias in [actor.name, *actor.aliases]:
            if alias != match.name and alias not in match.aliases:
                match.aliases.append(alias)
        for field in ("title", "country", "sector", "represents"):
            if getattr(match, field) is None:
                setattr(match, field, getattr(actor, field))
    if not rename:
        return draft

    def rid(pid: str | None) -> str | None:
        return rename.get(pid, pid) if pid is not None else None

    def unique(ids: list[str]) -> list[str]:
        return list(dict.fromkeys(rename.get(p, p) for p in ids))

    data = draft.model_dump()
    data["actors"] = [a.model_dump() for a in keep]
    for a in data["actors"]:
        a["represents"] = rid(a["represents"])
        if a["represents"] == a["id"]:
            a["represents"] = None  # a merge of an actor with the one it represented
    for m in data["meetings"]:
        m["participants"] = unique(m["participants"])
        m["visitor"], m["host"] = rid(m["visitor"]), rid(m["host"])
    for st in data["statements"]:
        st["speaker"], st["addressee"] = rid(st["speaker"]), rid(st["addressee"])
    for pr in data["proposals"]:
        pr["proposer"] = rid(pr["proposer"])
        pr["recipients"] = unique(pr["recipients"])
    return ArticleSummary.model_validate(data)


def _proper(name: str) -> str | None:
    """A name reduced for comparison, or None for descriptions ("the minister")."""
    words = name.split()
    if not words or not all(w[:1].isupper() or w[:3].lower() in ("al-", "el-") for w in words):
        return None
    return " ".join(w.casefold() for w in words)


def _given_names_clash(a: str | None, b: str | None) -> bool:
    """Two full names with one surname whose given names differ (neither's given names
    within the other's, as "Sergey Lavrov" and "Sergey V. Lavrov" are)."""
    if not a or not b or " " not in a or " " not in b or _surname(a) != _surname(b):
        return False
    given_a, given_b = set(a.split()[:-1]), set(b.split()[:-1])
    return not (given_a <= given_b or given_b <= given_a)


def _surname(name: str) -> str:
    return surname(name).casefold()


def _same_actor(a: Actor, b: Actor) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind == "person":
        return _same_person(a, b)
    if a.kind == "state" and a.country is not None and a.country == b.country:
        return True  # "Russia" and "Russian", both coded RUS
    names_a = {n.casefold() for n in [a.name, *a.aliases]}
    return bool(names_a & {n.casefold() for n in [b.name, *b.aliases]})


def _same_person(a: Actor, b: Actor) -> bool:
    if _given_names_clash(_proper(a.name), _proper(b.name)):
        return False  # "Raul Castro" and "Fidel Castro": a shared "Castro" joins no one
    names_a = {n for n in map(_proper, [a.name, *a.aliases]) if n}
    names_b = {n for n in map(_proper, [b.name, *b.aliases]) if n}
    if names_a & names_b:
        return True
    # A bare surname is the same person as the full name ending in it.
    single_a = {n for n in names_a if " " not in n}
    single_b = {n for n in names_b if " " not in n}
    return bool({_surname(n) for n in single_a} & {_surname(b.name)}) or bool(
        {_surname(n) for n in single_b} & {_surname(a.name)}
    )


def to_summary(
    draft: ArticleSummary,
    article: Article,
    provenance: Provenance,
    diagnostics: list[Diagnostic] | None = None,
) -> Summary:
    """Turn sentence numbers and quote text into checked spans of the article."""
    draft = merge_duplicates(draft)

    def spans(numbers: list[int]) -> list[Span]:
        out = []
        for n in sorted(set(numbers)):
            s = article.sentences[n - 1]
            out.append(Span(text=s.text, start=s.start, end=s.end))
        return out

    quotations = article.quotations

    def quote_span(item: DraftStatement) -> Span | None:
        if item.quote_id is not None:
            q = quotations[int(item.quote_id[1:]) - 1]
            return Span(text=q.text(article), start=q.start, end=q.end)
        if not item.quote:
            return None
        found = locate_quoted(article, item.quote, item.evidence)  # grounding found it
        if found is None:
            return None
        start, end = found
        return Span(text=article.text[start:end], start=start, end=end)

    published = article.published or find_dateline(article.text)

    def fields(item: _Model) -> dict[str, Any]:
        data = item.model_dump(exclude={"evidence", "quote", "quote_id"})
        if published is not None:  # "Thursday", "Oct. 15" -> ISO dates
            for text_field, date_field in (
                ("date_text", "date"),
                ("proposed_date_text", "proposed_date"),
            ):
                if data.get(text_field) and data.get(date_field) is None and date_field in data:
                    future = data.get("status") == "planned" or date_field == "proposed_date"
                    data[date_field] = resolve(data[text_field], published, future=future)
        return data

    summary = Summary(
        abstract=draft.abstract,
        actors=draft.actors,
        meetings=[Meeting(**fields(m), evidence=spans(m.evidence)) for m in draft.meetings],
        statements=[
            Statement(**fields(s), quote=quote_span(s), evidence=spans(s.evidence))
            for s in draft.statements
        ],
        proposals=[Proposal(**fields(p), evidence=spans(p.evidence)) for p in draft.proposals],
        diagnostics=diagnostics or [],
        provenance=provenance,
    )
    # Every span is checked against the article once more, whatever built it.
    for span in _spans(summary):
        if article.text[span.start : span.end] != span.text:
            raise ValueError(f"span {span.start}:{span.end} is not {span.text!r} in the article")
    return summary


def _spans(summary: Summary) -> Iterator[Span]:
    items: list[Meeting | Statement | Proposal] = [
        *summary.meetings,
        *summary.statements,
        *summary.proposals,
    ]
    for item in items:
        yield from item.evidence
    for statement in summary.statements:
        if statement.quote is not None:
            yield statement.quote


def _short(problems: list[str], limit: int = 40) -> str:
    """One numbered line per problem: every problem of the answer in one re-ask (capped
    only against a runaway answer)."""
    shown = problems[:limit]
    more = len(problems) - len(shown)
    lines = [f"{n}. {p}" for n, p in enumerate(shown, start=1)]
    if more:
        lines.append(f"... and {more} more problems of the same kinds")
    return "Fix these problems and answer again:\n" + "\n".join(lines)
