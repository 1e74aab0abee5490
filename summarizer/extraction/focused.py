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
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, create_model

from summarizer.article import Article, Sentence
from summarizer.extraction.actors import find_actors, plural_office
from summarizer.extraction.attribution import Roles
from summarizer.extraction.candidates import (
    ActorCandidate,
    find_places,
    find_quotations,
    speaker_order,
)
from summarizer.extraction.cues import (
    ANSWER_TO,
    MEETING_CUE,
    OPENING_PHRASE,
    PROPOSED_CONTENT,
    WELCOMED_A_THING,
    meeting_status,
    proposal_status,
)
from summarizer.extraction.meeting_roles import (
    VISITED_SEAT,
    MeetingRoles,
    hosts_by_place,
    mode_from_words,
    nearest_place,
    other_calls,
    place_country,
    without_other_events,
)
from summarizer.grounding.dates import find_date
from summarizer.grounding.draft import ArticleSummary, DraftMeeting, DraftProposal, DraftStatement
from summarizer.schema import Actor, MeetingMode, ProposalStatus, TemporalStatus

__all__ = ["CHOICES", "CHOICES_SMALL_MODEL", "Ask", "extract_focused"]

# Ask = (template name, template variables, response model) -> validated answer
Ask = Callable[[str, dict[str, Any], type[BaseModel]], Awaitable[Any]]

# The closed answers a question allows: the schema's own values, in its order.
_MEETING_MODES: tuple[MeetingMode, ...] = get_args(MeetingMode)
_MEETING_STATUSES: tuple[TemporalStatus, ...] = get_args(TemporalStatus)
_PROPOSAL_STATUSES: tuple[ProposalStatus, ...] = get_args(ProposalStatus)
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
_NONE = "none"


async def extract_focused(article: Article, ask: Ask, *, choices: int = CHOICES) -> ArticleSummary:
    """Build a draft from closed questions; nothing in it is free text from the model."""
    return await _Focused(article, ask, choices).draft()


def _one_of(values: Sequence[object]) -> Any:
    """A type that admits only `values`: in the grammar, nothing else can be generated."""
    return Literal.__getitem__(tuple(values))


def _model(name: str, **fields: Any) -> type[BaseModel]:
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
    return model


class _Focused:
    def __init__(self, article: Article, ask: Ask, choices: int):
        self.article = article
        self.ask = ask
        self.choices = max(1, choices)
        self.people = find_actors(article)
        self.ids = {p.name: f"a{i}" for i, p in enumerate(self.people, start=1)}
        self.quotes = find_quotations(article)
        self.roles = Roles(article, self.people)
        self.meeting_roles = MeetingRoles(self.roles)

    async def draft(self) -> ArticleSummary:
        abstract = await self._abstract()
        meetings = await self._meetings()
        statements = await self._statements()
        proposals = await self._proposals()
        # Every person found is listed; a state or body only where an item needs it, or a
        # listed actor speaks for it.
        used = {
            *(p for m in meetings for p in [*m.participants, m.visitor, m.host]),
            *(s.speaker for s in statements),
            *(p for x in proposals for p in [x.proposer, *x.recipients]),
        }
        acting = [p for p in self.people if p.kind == "person" or self.ids[p.name] in used]
        spoken_for = {p.represents for p in acting}
        listed = [p for p in self.people if p in acting or p.name in spoken_for]
        listed_names = {p.name for p in listed}
        actors = [
            Actor(
                id=self.ids[p.name],
                kind=p.kind,
                name=p.name,
                aliases=p.aliases,
                title=p.title,
                country=p.country,
                sector=p.sector,  # type: ignore[arg-type]
                represents=self.ids.get(p.represents) if p.represents in listed_names else None,
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

    async def _choose(
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
        model = _model("Actor", answer=(_one_of(names), Field(description="Who.")))
        answer = await self.ask(template, {**variables, "people": names}, model)
        return offered[names.index(answer.answer)]

    async def _pick(
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
        return await self._choose(order, template, variables)

    async def _statements(self) -> list[DraftStatement]:
        statements: list[DraftStatement] = []
        for q in self.quotes:
            window = [self.article.sentences[n - 1] for n in q.sentences]
            words = q.text(self.article)
            found, cue = self.roles.speaker(q)
            passage = " ".join(s.text for s in window)
            speaker = await self._pick(
                found, window, "focused_speaker.j2", {"passage": passage, "words": words}
            )
            if speaker is not None:
                statements.append(
                    DraftStatement(
                        speaker=self.ids[speaker.name],
                        cue=cue or "said",
                        content=words,
                        verbatim=True,
                        quote=words,
                        evidence=list(q.sentences),
                    )
                )
        quoted = {n for q in self.quotes for n in q.sentences}
        for sentence in self.article.sentences:
            if sentence.number in quoted:
                continue
            found, cue = self.roles.reported(sentence)
            speaker = await self._pick(
                found,
                [sentence],
                "focused_speaker.j2",
                {"passage": sentence.text, "words": sentence.text},
            )
            if speaker is not None and cue is not None:
                statements.append(
                    DraftStatement(
                        speaker=self.ids[speaker.name],
                        cue=cue,
                        content=sentence.text,
                        verbatim=False,
                        evidence=[sentence.number],
                    )
                )
        statements.sort(key=lambda s: s.evidence[0])
        return statements

    async def _meetings(self) -> list[DraftMeeting]:
        """A meeting word and two actors around it make a meeting; visitor and host,
        how, where, when and whether it happened come from the sentence's wording, or
        from the model when it is offered choices."""
        places = find_places(self.article, self.people)
        found: dict[tuple[frozenset[str], str | None, str, str], DraftMeeting] = {}
        for sentence in self.article.sentences:
            clauses: set[str] = set()
            for cue in MEETING_CUE.finditer(sentence.text):
                clause = self.meeting_roles.clause(sentence, sentence.start + cue.start())
                named = self.meeting_roles.meeting_people(sentence, sentence.start + cue.start())
                invited = PROPOSED_CONTENT.search(
                    clause[: clause.find(cue.group()) + len(cue.group())]
                )
                welcomed_a_thing = WELCOMED_A_THING.search(
                    sentence.text[max(0, cue.start() - 40) : cue.end() + 40]
                )
                if invited:
                    clauses.add(clause)  # "... to resume talks, known as negotiations"
                # "Crown Prince Faisal visited the White House": one side named, at the
                # other's seat; its host may be named later (_hosted_later).
                at_seat = len(named) == 1 and VISITED_SEAT.search(clause) is not None
                if (len(named) < 2 and not at_seat) or clause in clauses or invited:
                    continue  # each clause that names two actors around a meeting word
                if welcomed_a_thing:
                    continue
                clauses.add(clause)
                await self._meeting(sentence, clause, named, places, found)
        for office in (p for p in self.people if plural_office(p)):
            await self._meeting_of_holders(office, places, found)
        meetings = _one_per_occasion(list(found.values()))
        self._hosted_later(meetings, places)
        return _one_per_occasion(meetings)  # a host named later may make two one

    def _hosted_later(self, meetings: list[DraftMeeting], places: list[str]) -> None:
        """ "Berg held talks with Laine. The meeting was hosted by Laine in Helsinki.":
        a sentence about "the meeting" names the host (and where) of the meeting just
        reported; the other participant of a meeting of two is the visitor."""
        for sentence in self.article.sentences:
            said = _HOSTED_BY.match(sentence.text)
            hosted = _HOSTED_IT.search(sentence.text) if said is None else None
            if said is None and hosted is None:
                continue
            earlier = [m for m in meetings if max(m.evidence) < sentence.number]
            if not earlier:
                continue
            meeting = max(earlier, key=lambda m: max(m.evidence))
            if said is not None:
                at = sentence.start + said.end()
                host = next((m.person for m in self.roles.named(at, sentence.end)), None)
            elif hosted is not None:  # "Vice President Mercer hosted the meeting."
                host = self.roles.subject_before(sentence.start + hosted.start(), sentence.start)
            else:
                continue
            if host is None or host.name not in self.ids:
                continue
            if self.ids[host.name] not in meeting.participants and len(meeting.participants) == 1:
                meeting.participants.append(self.ids[host.name])  # the other side, named now
            if self.ids[host.name] not in meeting.participants:
                continue
            meeting.host = self.ids[host.name]
            others = [p for p in meeting.participants if p != meeting.host]
            if len(others) == 1:
                meeting.visitor = others[0]
            local = [p for p in places if re.search(rf"\b{re.escape(p)}\b", sentence.text)]
            meeting.place = meeting.place or nearest_place(sentence, local)
            meeting.evidence.append(sentence.number)

    async def _meeting_of_holders(
        self,
        office: ActorCandidate,
        places: list[str],
        found: dict[tuple[frozenset[str], str | None, str, str], DraftMeeting],
    ) -> None:
        """ "The phone call between our presidents", said by someone meeting a
        counterpart: a meeting of the holder of that office in the speaker's country and
        in each country the speaker is meeting; a holder the article names stands for
        themself, an unnamed one is the office."""
        start, end = office.mentions[0]
        sentence = self.roles.sentence_at(start)
        clause = self.meeting_roles.clause(sentence, start)
        quote = self.roles.quote_at(start)
        at = start - sentence.start
        cue = [m for m in MEETING_CUE.finditer(sentence.text) if m.start() < at]
        if not cue or quote is None or sentence.text[cue[-1].start() : at] not in clause:
            return
        # Its mode and tense are those of its own words ("the phone call between our
        # presidents"), not of the clause around them ("as it continues the contacts").
        words = sentence.text[cue[-1].start() : end - sentence.start]
        speaker = self.roles.speaker(quote)[0]
        if speaker is None or speaker.country is None:
            return
        partners = [
            p
            for m in found.values()
            if self.ids[speaker.name] in m.participants
            for p in self.people
            if self.ids[p.name] in m.participants and p is not speaker
        ]
        countries = list(dict.fromkeys([speaker.country, *(p.country for p in partners)]))
        title = str(office.title).rstrip("s").lower()
        holders: list[ActorCandidate] = []
        for country in (c for c in countries if c):
            named = next(
                (
                    p
                    for p in self.people
                    if p.kind == "person"
                    and p.country == country
                    and title in (p.title or "").lower().split()
                ),
                None,
            )
            if named is None and office not in holders:
                office.country, office.title = country, title.capitalize()
                office.represents = next(
                    (p.name for p in self.people if p.kind == "state" and p.country == country),
                    None,
                )
                named = office
            if named is not None:
                holders.append(named)
        if len(holders) >= 2:
            await self._meeting(sentence, words, holders, places, found)

    def _travelled_to(self, sentence: Sentence) -> str | None:
        """The last place someone travelled or arrived to, up to this sentence."""
        last = None
        for earlier in self.article.sentences[: sentence.number]:
            for m in _TRAVELLED.finditer(earlier.text):
                last = m.group(1)
        return last

    async def _meeting(
        self,
        sentence: Sentence,
        clause: str,
        named: list[ActorCandidate],
        places: list[str],
        found: dict[tuple[frozenset[str], str | None, str, str], DraftMeeting],
    ) -> None:
        """One meeting from a clause; the same actors met the same way once."""
        names = [p.name for p in named]
        local_places = [p for p in places if re.search(rf"\b{re.escape(p)}\b", sentence.text)]
        mode: MeetingMode = mode_from_words(clause)
        place = nearest_place(sentence, local_places)
        status: TemporalStatus = meeting_status(clause)
        if self.choices > 1:
            model = _model(
                "Meeting",
                mode=(_one_of(_MEETING_MODES), ...),
                place=(_one_of([*local_places, _NONE]), ...),
                status=(_one_of(_MEETING_STATUSES), ...),
            )
            variables = {"passage": sentence.text, "people": names, "places": local_places}
            answer = await self.ask("focused_meeting.j2", variables, model)
            mode, status = answer.mode, answer.status
            place = None if answer.place == _NONE else answer.place
        if mode in ("phone", "video"):
            place = None  # a call has no place: "spoke by phone about the South China Sea"
        key = (frozenset(self.ids[n] for n in names), place, mode, status)
        visitor, host = self.meeting_roles.visit_roles(sentence, clause, named)
        if visitor is None and host is None and mode == "in_person":
            visitor, host = hosts_by_place(named, place)
        unplaced = place is None or place_country(place) is None
        if visitor is None and host is None and mode == "in_person" and unplaced:
            # "Haverford traveled to Nairobi, Kenya ... the Secretary met with Kenyan
            # President Langat": where the story last travelled is where they met
            visitor, host = hosts_by_place(named, self._travelled_to(sentence))
        if key in found:
            known = found[key]
            if sentence.number not in known.evidence:
                known.evidence.append(sentence.number)
            if known.host is None and visitor is not None and host is not None:
                # the headline's "X's Meeting with Y", the body's "met visiting Y"
                known.visitor, known.host = self.ids[visitor.name], self.ids[host.name]
            known.date_text = known.date_text or _date_of(sentence, clause)
            return
        date_text = _date_of(sentence, without_other_events(clause))
        for other_mode, words, other_status in other_calls(clause):
            other = (key[0], None, other_mode, other_status)
            found.setdefault(
                other,
                DraftMeeting(
                    participants=[self.ids[n] for n in names],
                    mode=other_mode,
                    date_text=find_date(words),
                    status=other_status,
                    evidence=[sentence.number],
                ),
            )
        found[key] = DraftMeeting(
            participants=[self.ids[n] for n in names],
            visitor=self.ids[visitor.name] if visitor else None,
            host=self.ids[host.name] if host else None,
            mode=mode,
            place=place,
            date_text=date_text,
            status=status,
            evidence=[sentence.number],
        )

    async def _proposals(self) -> list[DraftProposal]:
        """Kind from the cue word, proposer and recipient from the roles around it,
        status from the words of the sentence (or the model, when it is offered
        choices); a proposal without a proposer is left out, and so is one without a
        recipient, except a pledge."""
        proposals: list[DraftProposal] = []
        seen: set[tuple[str, str, str, int]] = set()
        for sentence in self.article.sentences:
            for kind, start, end in self.roles.proposals(sentence):
                proposer, recipient = self.roles.proposal_roles(sentence, start, end)
                if proposer is None or proposer is recipient:
                    continue
                cue = self.article.text[start:end].lower()
                if recipient is None and kind != "pledge" and not cue.startswith("call"):
                    # A pledge may bind its maker to no one ("vowed to rebuild"), and a
                    # call for something may be put to no one ("called for calm"); any
                    # other proposal whose addressee the wording does not give is left
                    # out rather than put to no one.
                    continue
                to = (
                    self.roles.coordinated(recipient, end, sentence.end)
                    if recipient is not None
                    else []
                )
                to = [r for r in to if r is not proposer]
                key = (kind, proposer.name, ",".join(r.name for r in to), sentence.number)
                if key in seen:
                    continue
                seen.add(key)
                status: ProposalStatus = proposal_status(sentence.text)
                if self.choices > 1:
                    model = _model("Status", status=(_one_of(_PROPOSAL_STATUSES), ...))
                    variables = {
                        "passage": sentence.text,
                        "people": [proposer.name, *(r.name for r in to)],
                    }
                    status = (await self.ask("focused_proposal.j2", variables, model)).status
                # "a Chinese and Russian proposal", "Egypt and Qatar proposed": one each
                also = self.roles.joined_before(proposer, sentence.start, start)
                for maker in [proposer, *(o for o in also if o not in to and o.name in self.ids)]:
                    proposals.append(
                        DraftProposal(
                            kind=kind,  # type: ignore[arg-type]
                            proposer=self.ids[maker.name],
                            recipients=[self.ids[r.name] for r in to],
                            content=sentence.text,
                            proposed_date_text=find_date(sentence.text),
                            status=status,
                            evidence=[sentence.number],
                        )
                    )
        proposals = _responses_joined(proposals)
        self._answers_later(proposals)
        return proposals

    def _answers_later(self, proposals: list[DraftProposal]) -> None:
        """ "Kim asked Trump for relief. Trump denied the request.": a later sentence
        whose subject answers "the request" sets the status of the latest proposal put
        to that subject, or to the state the subject speaks for."""
        for sentence in self.article.sentences:
            answer = ANSWER_TO.search(sentence.text)
            if answer is None:
                continue
            who = self.roles.subject_before(sentence.start + answer.start(), sentence.start)
            if who is None or who.name not in self.ids:
                continue
            # the one asked, or the state they speak for ("offered Indonesia ...";
            # "Minister Siregar accepted the offer")
            answering = {self.ids[who.name]} | {
                self.ids[p.name]
                for p in self.people
                if p.kind == "state" and who.country and p.country == who.country
            }
            asked = [
                p
                for p in proposals
                if answering & set(p.recipients)
                and p.status == "made"
                and max(p.evidence) < sentence.number
            ]
            if asked:
                latest = max(asked, key=lambda p: max(p.evidence))
                latest.status = proposal_status(answer.group())
                latest.evidence.append(sentence.number)

    async def _abstract(self) -> str:
        """One or two opening sentences, chosen by the model: extractive, so true."""
        opening = self.article.sentences[:_ABSTRACT_FROM]
        while len(opening) > 2 and sum(len(s.text) for s in opening) > _ABSTRACT_CHARS:
            opening = opening[:-1]
        if len(opening) == 1:
            return opening[0].text
        numbers = [s.number for s in opening]
        model = _model(
            "Abstract",
            sentences=(list[_one_of(numbers)], Field(min_length=1, max_length=2)),  # type: ignore[misc]
        )
        answer = await self.ask("focused_abstract.j2", {"sentences": opening}, model)
        chosen = sorted(set(answer.sentences))
        return " ".join(self.article.sentences[n - 1].text for n in chosen)


def _date_of(sentence: Sentence, clause: str) -> str | None:
    """The day a clause names, or the sentence's opening phrase ("In Tbilisi on October
    8, the Under Secretary will meet ...")."""
    opening = OPENING_PHRASE.match(sentence.text)
    return find_date(clause) or (find_date(opening.group()) if opening else None)


def _responses_joined(proposals: list[DraftProposal]) -> list[DraftProposal]:
    """ "Lund urged Ethiopia and Eritrea to withdraw. ... Ethiopia rejected Lund's
    proposal": the answer is the status of the proposal it answers, not a second
    proposal. An answer (accepted, rejected, pending) joins the latest earlier proposal
    of the same proposer whose recipients include all of its own and that was only
    made; its sentence becomes more evidence."""
    kept: list[DraftProposal] = []
    for p in proposals:
        if p.status != "made" and p.recipients:
            answered = next(
                (
                    q
                    for q in reversed(kept)
                    if q.proposer == p.proposer
                    and q.status == "made"
                    and set(p.recipients) <= set(q.recipients)
                    and q.evidence[0] < p.evidence[0]
                ),
                None,
            )
            if answered is not None:
                answered.status = p.status
                answered.evidence.extend(n for n in p.evidence if n not in answered.evidence)
                continue
        kept.append(p)
    return kept


_TRAVELLED = re.compile(
    r"\b(?:travel(?:s|ed|led|ing|ling)?|arrived|arrives|flew|trip)\s+(?:to|in)\s+"
    r"(?:[A-Z][\w\-]*\s*,\s+)?([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?)"
)
_HOSTED_IT = re.compile(
    r"\b(?:hosted|received|welcomed)\s+(?:the|that|this|their)\s+"
    r"(?:meeting|talks|visit|call|summit|session|delegation)\b",
    re.IGNORECASE,
)
_HOSTED_BY = re.compile(
    r"^(?:The|That|This|Their|Those)\s+(?:meeting|talks|visit|call|summit|session)\s+"
    r"(?:was|were)\s+(?:hosted|held)\s+by\b",
    re.IGNORECASE,
)


def _one_per_occasion(meetings: list[DraftMeeting]) -> list[DraftMeeting]:
    """One entry per occasion: a readout's headline ("Call with X") and its first line
    ("spoke today with X") report one call. Two meetings of the same actors, in the same
    tense, merge where nothing they say differs (a mode, place or day one of them leaves
    unsaid is taken from the other); a call and a visit, or two places, stay two."""
    kept: list[DraftMeeting] = []
    for m in meetings:
        same = next((k for k in kept if _one_occasion(k, m)), None)
        if same is None:
            kept.append(m)
            continue
        if same.mode == "unknown":
            same.mode = m.mode
        same.place = same.place or m.place
        same.date_text = same.date_text or m.date_text
        same.visitor, same.host = same.visitor or m.visitor, same.host or m.host
        same.evidence = sorted({*same.evidence, *m.evidence})
    return kept


def _one_occasion(a: DraftMeeting, b: DraftMeeting) -> bool:
    def agree(x: object, y: object, unsaid: object = None) -> bool:
        return x == y or unsaid in (x, y)

    return (
        set(a.participants) == set(b.participants)
        and a.status == b.status
        and agree(a.mode, b.mode, "unknown")
        and agree(a.place, b.place)
        and agree(a.date_text, b.date_text)
    )
