"""The gold format: one JSON object per line, an article and what it should yield.

People are named, not numbered: a gold file is written and read by people. Fields set to
null are not annotated and not scored (PLOVER codes no temporal status, for example);
`annotated` says which lists are exhaustive, so that a prediction is only counted wrong
where the gold would have listed it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from summarizer.errors import InputError
from summarizer.schema import MeetingMode, ProposalKind, ProposalStatus, TemporalStatus

__all__ = [
    "BUILT_IN",
    "PARTS",
    "ActorKind",
    "GoldDocument",
    "GoldMeeting",
    "GoldPerson",
    "GoldProposal",
    "GoldSpan",
    "GoldStatement",
    "Part",
    "dump_gold",
    "gold_path",
    "json_lines",
    "load_gold",
]


Part = Literal["meetings", "statements", "proposals"]
PARTS: tuple[Part, ...] = ("meetings", "statements", "proposals")


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")


ActorKind = Literal["person", "state", "organisation", "group", "office"]


class GoldPerson(_Gold):
    """An actor: a person, or (where the article says so) a state, an organisation, a
    group or an unnamed office-holder, as the summary's `actors` are. The gold format
    keeps the key `people` for its list of actors, so files written before schema v3 still
    read."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind | None = None


class _Dated(_Gold):
    """A gold item that may carry an ISO date: written only where it has one, so gold
    files annotated before dates were scored stay as they are."""

    @model_serializer(mode="wrap")
    def _date_only_when_given(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and data.get("date") is None:
            data.pop("date", None)
        return data


class GoldMeeting(_Dated):
    participants: list[str] = Field(min_length=1, description="Names, as in `people`.")
    visitor: str | None = None
    host: str | None = None
    mode: MeetingMode | None = None
    place: str | None = None
    status: TemporalStatus | None = None
    date: dt.date | None = Field(
        default=None, description="The day it took place or is planned for, where the text says."
    )
    evidence: list[str] = Field(
        default_factory=list, description="Stretches of the text that report it, verbatim."
    )


class GoldStatement(_Gold):
    speaker: str
    quote: str | None = Field(default=None, description="The quoted words, verbatim.")
    content: str | None = None


class GoldProposal(_Dated):
    kind: ProposalKind | None = None
    proposer: str | None = None
    recipients: list[str] = Field(default_factory=list)
    status: ProposalStatus | None = None
    date: dt.date | None = Field(
        default=None, description="The day it is proposed for, where the text says."
    )
    content: str | None = None
    evidence: list[str] = Field(
        default_factory=list, description="Stretches of the text that report it, verbatim."
    )


class GoldSpan(_Gold):
    """A labelled stretch of the text, where the gold source marks one (PLOVER's markup)."""

    label: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class GoldDocument(_Gold):
    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    origin: str = Field(
        description="Where the annotation comes from: 'plover-gsr', 'hand-annotated'."
    )
    note: str | None = None
    published: str | None = None
    annotated: list[Part] = Field(default_factory=lambda: list(PARTS))
    people: list[GoldPerson] = Field(default_factory=list)
    meetings: list[GoldMeeting] = Field(default_factory=list)
    statements: list[GoldStatement] = Field(default_factory=list)
    proposals: list[GoldProposal] = Field(default_factory=list)
    spans: list[GoldSpan] = Field(default_factory=list)


BUILT_IN = (
    "plover-dev",
    "plover-test",
    "hand-annotated",
    "voa-dev",
    "voa-test",
    "readouts-dev",
    "readouts-test",
)


def gold_path(name: str | Path) -> Path:
    """A gold file's path, or one of the built-in sets by name ("plover-dev"): shipped in
    the package, or beside it in a checkout."""
    path = Path(name)
    if path.exists() or str(name) not in BUILT_IN:
        return path
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "eval", package.parent / "eval"):
        if (folder / f"{name}.jsonl").is_file():
            return folder / f"{name}.jsonl"
    return path


def json_lines(path: Path, what: str) -> Iterator[tuple[int, str]]:
    """The non-blank lines of a UTF-8 file with their numbers; unreadable or undecodable
    files are an InputError saying which `what` it was."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (at byte {exc.start})") from None
    return ((n, line) for n, line in enumerate(lines, 1) if line.strip())


def load_gold(path: Path) -> list[GoldDocument]:
    """Every document of a gold file; a clear error naming the line that is wrong."""
    path = gold_path(path)
    if not path.exists():
        raise InputError(f"{path}: no such gold file (built-in sets: {', '.join(BUILT_IN)})")
    docs = []
    for number, line in json_lines(path, "gold file"):
        try:
            docs.append(GoldDocument.model_validate_json(line))
        except ValueError as exc:
            first = " ".join(str(exc).splitlines()[:3])
            raise InputError(f"{path}:{number}: not a gold document ({first})") from None
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise InputError(f"{path}: document ids are not unique")
    if not docs:
        raise InputError(f"{path}: no gold documents")
    return docs


def dump_gold(docs: list[GoldDocument]) -> str:
    return "".join(
        json.dumps(d.model_dump(exclude_defaults=False), ensure_ascii=False) + "\n" for d in docs
    )
