"""One article read once for the focused strategy: its actors with the ids the draft
gives them, its quotations and places, and the roles its wording gives (`Roles`,
`MeetingRoles`). The readers of statements, meetings and proposals ask this document;
none scans the raw text for people again. It also carries the model and how many
choices a question may offer it, so that a reader's question is asked the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.article import Article, Sentence
from summarizer.extraction.actors import find_actors
from summarizer.extraction.attribution import Roles
from summarizer.extraction.candidates import (
    ActorCandidate,
    find_places,
    find_quotations,
    speaker_order,
)
from summarizer.extraction.meeting_roles import MeetingRoles

__all__ = ["NONE", "Ask", "Reading", "closed", "one_of"]

# Ask = (template name, template variables, response model) -> validated answer
Ask = Callable[[str, dict[str, Any], type[BaseModel]], Awaitable[Any]]
NONE = "none"  # the answer that picks none of the places offered


def one_of(values: Sequence[object]) -> Any:
    """A type that admits only `values`: in the grammar, nothing else can be generated."""
    return Literal.__getitem__(tuple(values))


def closed(name: str, **fields: Any) -> type[BaseModel]:
    """A question's answer model: only the fields given, nothing else."""
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
    return model


class Reading:
    """An article, its actors, quotations and places, and the roles its wording gives."""

    def __init__(self, article: Article, ask: Ask, choices: int):
        self.article = article
        self.ask = ask
        self.choices = max(1, choices)
        self.people = find_actors(article)
        self.ids = {p.name: f"a{i}" for i, p in enumerate(self.people, start=1)}
        self.quotes = find_quotations(article)
        self.places = find_places(article, self.people)
        self.roles = Roles(article, self.people)
        self.meeting_roles = MeetingRoles(self.roles)
        self.by_id = {self.ids[p.name]: p for p in self.people}

    async def choose(
        self, order: list[ActorCandidate], template: str, variables: dict[str, Any]
    ) -> ActorCandidate | None:
        """The model's pick among the best-ranked candidates, or the best when only one
        is offered."""
        names_seen: set[str] = set()
        offered: list[ActorCandidate] = []
        for p in order:  # one choice per name: two actors may be written alike
            if p.name not in names_seen and len(offered) < self.choices:
                names_seen.add(p.name)
                offered.append(p)
        if len(offered) <= 1:
            return offered[0] if offered else None
        names = [p.name for p in offered]
        model = closed("Actor", answer=(one_of(names), Field(description="Who.")))
        answer = await self.ask(template, {**variables, "people": names}, model)
        return offered[names.index(answer.answer)]

    async def pick(
        self,
        found: ActorCandidate | None,
        window: list[Sentence],
        template: str,
        variables: dict[str, Any],
    ) -> ActorCandidate | None:
        """The person the sentence's wording gives; a model that is offered choices may
        overrule it among the actors named nearby, the wording's pick first."""
        if found is None or self.choices == 1:
            return found
        order = speaker_order(self.article, window, self.people)
        order = [found, *(p for p in order if p is not found)]
        return await self.choose(order, template, variables)
