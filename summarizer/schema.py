"""The output schema: a validated `Summary` of one article.

Items refer to actors by id (people, states, organisations, groups, unnamed
office-holders), and every piece of evidence is a `Span` of the article (Python `str`
offsets), so a consumer can always go back to the words on the page.

Version 3 replaced version 2's `people` with `actors`; the README says how a version 2
consumer migrates.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from summarizer.grounding.checks import answer_problems

__all__ = [
    "SCHEMA_VERSION",
    "Actor",
    "ActorId",
    "ActorKind",
    "Country",
    "Diagnostic",
    "DiagnosticAction",
    "Meeting",
    "MeetingMode",
    "Proposal",
    "ProposalKind",
    "ProposalStatus",
    "Provenance",
    "Sector",
    "Source",
    "Span",
    "Statement",
    "Summary",
    "TemporalStatus",
    "Usage",
    "json_schema",
    "reference_problems",
]


SCHEMA_VERSION = "3"

ActorId = Annotated[str, Field(pattern=r"^a[0-9]+$", description="An actor id such as 'a1'.")]
ActorKind = Literal["person", "state", "organisation", "group", "office"]
Country = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO-3166 alpha-3 code.")]
Sector = Literal["GOV", "MIL", "IGO", "NGO", "OPP", "REB", "BUS", "MED", "CVL"]
MeetingMode = Literal["in_person", "phone", "video", "unknown"]
TemporalStatus = Literal["happened", "ongoing", "planned", "cancelled"]
ProposalKind = Literal["invitation", "offer", "request", "demand", "proposal", "pledge"]
ProposalStatus = Literal["made", "accepted", "rejected", "pending"]


# Validation context key: the JSON is a summary this package wrote after validating it
# (the summary cache), so its actor references are not walked again; the schema is.
CHECKED_BEFORE = "summarizer:checked-before"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of the article: `article[start:end] == text`."""

    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=1)

    @model_validator(mode="after")
    def _offsets_match(self, info: ValidationInfo) -> Span:
        if self.end - self.start != len(self.text):
            raise ValueError(f"span {self.start}:{self.end} does not have the length of its text")
        article = (info.context or {}).get("article") if info is not None else None
        if isinstance(article, str) and article[self.start : self.end] != self.text:
            raise ValueError(f"span {self.start}:{self.end} is not {self.text!r} in the article")
        return self


class Actor(_Model):
    """Someone who meets, speaks or proposes: a named person, a state, an organisation,
    a group (a delegation, a faction, a movement, "Iraqi officials"), or an office-holder
    the article never names ("the Syrian president")."""

    id: ActorId
    kind: ActorKind = Field(
        default="person",
        description=(
            "person: a named individual; state: a country acting ('Russia', 'Egypt's "
            "proposal'); organisation: a ministry, army, party, company, UN body, 'the "
            "Kremlin'; group: a delegation, faction, movement, 'Iraqi officials'; office: "
            "an office-holder the article never names ('the US president')."
        ),
    )
    name: str = Field(
        min_length=1,
        description=(
            "As written in the article: a person's full name without title; a state or "
            "organisation's name, or the adjective when only that is used ('Egyptian'); "
            "for a group or an unnamed office-holder, its description ('Israeli delegation')."
        ),
    )
    aliases: list[str] = Field(
        default_factory=list,
        description="Other ways the article refers to this actor: 'Shaibani', 'Russian', 'WFP'.",
    )
    title: str | None = Field(default=None, description="Office or role, e.g. 'Foreign Minister'.")
    country: Country | None = None
    sector: Sector | None = None
    represents: ActorId | None = Field(
        default=None,
        description="The id of the state or organisation this actor speaks for: Lavrov, Russia.",
    )


class _MeetingFields(_Model):
    participants: list[ActorId] = Field(min_length=1, description="Every actor who took part.")
    visitor: ActorId | None = Field(default=None, description="Who travelled, for a visit.")
    host: ActorId | None = Field(default=None, description="Who received, for a visit.")
    mode: MeetingMode = "unknown"
    place: str | None = None
    date_text: str | None = Field(default=None, description="The date as written.")
    date: dt.date | None = Field(default=None, description="ISO date, when resolvable.")
    status: TemporalStatus = "happened"


class _StatementFields(_Model):
    speaker: ActorId
    cue: str = Field(min_length=1, description="The verb that introduces it: said, noted, urged.")
    content: str = Field(min_length=1, description="What was said, quoted or paraphrased.")
    verbatim: bool = Field(description="True when the article quotes the words directly.")
    addressee: ActorId | None = None
    topic: str | None = None


class _ProposalFields(_Model):
    kind: ProposalKind
    proposer: ActorId
    recipients: list[ActorId] = Field(
        description="Who it is put to; empty when to no one in particular ('called for calm')."
    )
    content: str = Field(min_length=1, description="What is proposed, invited, offered or asked.")
    proposed_date_text: str | None = Field(default=None, description="When, as written.")
    proposed_date: dt.date | None = None
    status: ProposalStatus = "made"


class Meeting(_MeetingFields):
    evidence: list[Span] = Field(min_length=1)


class Statement(_StatementFields):
    quote: Span | None = Field(default=None, description="The quoted words, when verbatim.")
    evidence: list[Span] = Field(min_length=1)

    @model_validator(mode="after")
    def _verbatim_has_quote(self) -> Statement:
        if self.verbatim and self.quote is None:
            raise ValueError("a verbatim statement needs its quote span")
        return self


class Proposal(_ProposalFields):
    evidence: list[Span] = Field(min_length=1)


class Usage(_Model):
    """What one article cost: tokens as the server counted them, and requests."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = Field(
        default=0,
        description="Prompt tokens the server's prompt cache served (OpenAI's "
        "prompt_tokens_details.cached_tokens), where the server reports them.",
    )
    requests: int = Field(default=0, description="Chat completions answered.")
    reasks: int = Field(
        default=0, description="Of those, answers to a re-ask (a correction or a cut answer)."
    )


class Source(_Model):
    path: str | None = Field(
        default=None, description="Input path (or URL, as given); None for text and stdin."
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="sha256 of the article text as UTF-8 (for a web page, of the text "
        "extracted from it).",
    )
    chars: int = Field(ge=0)
    published: dt.date | None = Field(
        default=None,
        description="Publication date used to resolve relative dates (for a web page, "
        "from its metadata unless given).",
    )
    extractor: str | None = Field(
        default=None,
        description="For a web page: the program and version that extracted its article "
        "text ('trafilatura 2.3.1'); spans point into that text. None for text input.",
    )
    url: str | None = Field(
        default=None,
        description="For a web page fetched over HTTP: the URL it was read from, after "
        "redirects. None for files and text.",
    )
    title: str | None = Field(
        default=None, description="For a web page: its title, from the page's metadata."
    )
    text_file: str | None = Field(
        default=None,
        description="For a web page: the file beside this summary that holds the extracted "
        "article text (NAME.source.txt); None when it was not saved (output on stdout).",
    )


class Provenance(_Model):
    source: Source
    backend: str
    model: str
    mode: str
    prompt_version: str
    schema_version: str = SCHEMA_VERSION
    attempts: int = Field(ge=1)
    usage: Usage
    seconds: float = Field(ge=0)
    created_at: dt.datetime
    cached: bool = Field(
        default=False, description="Served from the summary cache: no request was sent."
    )
    batches: list[str] = Field(
        default_factory=list,
        description="The provider batches (or results files) whose answers made this "
        "summary; empty for live requests.",
    )


DiagnosticAction = Literal["dropped item", "dropped value", "resolved", "kept as described"]


class Diagnostic(_Model):
    """What grounding did to the model's answer: an item or a value left out (the article
    does not support it), a name resolved to the article's own words for the same actor,
    or an actor kept as the model described it (the article words it otherwise)."""

    item: str = Field(description="Where it was in the model's answer: 'statements[3].quote'.")
    problem: str = Field(description="What was wrong, and what was done.")
    action: DiagnosticAction = "dropped item"
    evidence: list[Span] = Field(
        default_factory=list,
        description="For an actor kept as described: the sentences of the items it is in.",
    )

    @property
    def lost(self) -> bool:
        """Whether something the model said was left out (not only reworded)."""
        return self.action in ("dropped item", "dropped value")


class Summary(_Model):
    """Who met whom, what was said and what was proposed, in one article."""

    abstract: str = Field(min_length=1)
    actors: list[Actor]
    meetings: list[Meeting]
    statements: list[Statement]
    proposals: list[Proposal]
    diagnostics: list[Diagnostic] = Field(
        default_factory=list,
        description="What grounding changed in the model's answer: what the article does "
        "not support, left out; names resolved to the article's words; actors kept as "
        "described.",
    )
    provenance: Provenance

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> Summary:
        if (info.context or {}).get(CHECKED_BEFORE):
            return self  # this package's own output, checked before it was written
        problems = reference_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def reference_problems(doc: Any) -> list[str]:
    """Every dangling or duplicated actor id, with the path of the item that holds it.

    Shared by the model's draft and the final summary so both speak the same language.
    """
    return [p.reask for p in answer_problems(doc, None) if p.reask is not None]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of `Summary`, as `summarizer schema` prints it."""
    return Summary.model_json_schema()
