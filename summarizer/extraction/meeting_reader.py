"""Meetings, read from a `Reading`: a meeting word and the actors its clause names; who
visited and who hosted, how, where, when and whether it happened, from the wording (or
the model, when it is offered choices); reports of one occasion made one."""

from __future__ import annotations

import re
from typing import get_args

from summarizer.article import Sentence
from summarizer.extraction.actors import plural_office
from summarizer.extraction.candidates import ActorCandidate
from summarizer.extraction.cues import (
    MEETING_CUE,
    OPENING_PHRASE,
    PROPOSED_CONTENT,
    WELCOMED_A_THING,
    meeting_status,
)
from summarizer.extraction.meeting_roles import (
    VISITED_SEAT,
    hosts_by_place,
    mode_from_words,
    nearest_place,
    other_calls,
    place_country,
    without_other_events,
)
from summarizer.extraction.reading import NONE, Reading, closed, one_of
from summarizer.grounding.dates import find_date
from summarizer.grounding.draft import DraftMeeting
from summarizer.schema import MeetingMode, TemporalStatus

__all__ = ["read_meetings"]

_MEETING_MODES: tuple[MeetingMode, ...] = get_args(MeetingMode)
_MEETING_STATUSES: tuple[TemporalStatus, ...] = get_args(TemporalStatus)


async def read_meetings(doc: Reading) -> list[DraftMeeting]:
    """A meeting word and two actors around it make a meeting; visitor and host,
    how, where, when and whether it happened come from the sentence's wording, or
    from the model when it is offered choices."""
    places = doc.places
    found: dict[tuple[frozenset[str], str | None, str, str], DraftMeeting] = {}
    for sentence in doc.article.sentences:
        clauses: set[str] = set()
        for cue in MEETING_CUE.finditer(sentence.text):
            clause = doc.meeting_roles.clause(sentence, sentence.start + cue.start())
            named = doc.meeting_roles.meeting_people(sentence, sentence.start + cue.start())
            invited = PROPOSED_CONTENT.search(clause[: clause.find(cue.group()) + len(cue.group())])
            welcomed_a_thing = WELCOMED_A_THING.search(
                sentence.text[max(0, cue.start() - 40) : cue.end() + 40]
            )
            if invited:
                clauses.add(clause)  # "... to resume talks, known as negotiations"
            # "Crown Prince Faisal visited the White House": one side named, at the
            # other's seat; its host may be named later (_hosted_later).
            at_seat = len(named) == 1 and VISITED_SEAT.search(clause) is not None
            if len(named) < 2 and _THE_TWO.search(sentence.text[: cue.start()]):
                # "The two leaders last met in Apia in June": the two just reported
                named = _the_two(doc, found) or named
            if (len(named) < 2 and not at_seat) or clause in clauses or invited or welcomed_a_thing:
                continue  # each clause that names two actors around a meeting word
            clauses.add(clause)
            await _meeting(doc, sentence, clause, named, places, found)
    for office in (p for p in doc.people if plural_office(p)):
        await _meeting_of_holders(doc, office, places, found)
    meetings = _one_per_occasion(list(found.values()))
    _hosted_later(doc, meetings, places)
    return _one_per_occasion(meetings)  # a host named later may make two one


def _hosted_later(doc: Reading, meetings: list[DraftMeeting], places: list[str]) -> None:
    """ "Berg held talks with Laine. The meeting was hosted by Laine in Helsinki.":
    a sentence about "the meeting" names the host (and where) of the meeting just
    reported; the other participant of a meeting of two is the visitor."""
    for sentence in doc.article.sentences:
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
            host = next((m.person for m in doc.roles.named(at, sentence.end)), None)
        elif hosted is not None:  # "Vice President Mercer hosted the meeting."
            host = doc.roles.subject_before(sentence.start + hosted.start(), sentence.start)
        else:
            continue
        if host is None or host.name not in doc.ids:
            continue
        if doc.ids[host.name] not in meeting.participants and len(meeting.participants) == 1:
            meeting.participants.append(doc.ids[host.name])  # the other side, named now
        if doc.ids[host.name] not in meeting.participants:
            continue
        meeting.host = doc.ids[host.name]
        others = [p for p in meeting.participants if p != meeting.host]
        if len(others) == 1:
            meeting.visitor = others[0]
        local = [p for p in places if re.search(rf"\b{re.escape(p)}\b", sentence.text)]
        meeting.place = meeting.place or nearest_place(sentence, local)
        meeting.evidence.append(sentence.number)


async def _meeting_of_holders(
    doc: Reading,
    office: ActorCandidate,
    places: list[str],
    found: dict[tuple[frozenset[str], str | None, str, str], DraftMeeting],
) -> None:
    """ "The phone call between our presidents", said by someone meeting a
    counterpart: a meeting of the holder of that office in the speaker's country and
    in each country the speaker is meeting; a holder the article names stands for
    themself, an unnamed one is the office."""
    start, end = office.mentions[0]
    sentence = doc.roles.sentence_at(start)
    clause = doc.meeting_roles.clause(sentence, start)
    quote = doc.roles.quote_at(start)
    at = start - sentence.start
    cue = [m for m in MEETING_CUE.finditer(sentence.text) if m.start() < at]
    if not cue or quote is None or sentence.text[cue[-1].start() : at] not in clause:
        return
    # Its mode and tense are those of its own words ("the phone call between our
    # presidents"), not of the clause around them ("as it continues the contacts").
    words = sentence.text[cue[-1].start() : end - sentence.start]
    speaker = doc.roles.speaker(quote)[0]
    if speaker is None or speaker.country is None:
        return
    partners = [
        p
        for m in found.values()
        if doc.ids[speaker.name] in m.participants
        for p in doc.people
        if doc.ids[p.name] in m.participants and p is not speaker
    ]
    countries = list(dict.fromkeys([speaker.country, *(p.country for p in partners)]))
    title = str(office.title).rstrip("s").lower()
    holders: list[ActorCandidate] = []
    for country in (c for c in countries if c):
        named = next(
            (
                p
                for p in doc.people
                if p.kind == "person"
                and p.country == country
                and title in (p.title or "").lower().split()
            ),
            None,
        )
        if named is None and office not in holders:
            office.country, office.title = country, title.capitalize()
            office.represents = next(
                (p.name for p in doc.people if p.kind == "state" and p.country == country),
                None,
            )
            named = office
        if named is not None:
            holders.append(named)
    if len(holders) >= 2:
        await _meeting(doc, sentence, words, holders, places, found)


def _travelled_to(doc: Reading, sentence: Sentence) -> str | None:
    """The last place someone travelled or arrived to, up to this sentence."""
    last = None
    for earlier in doc.article.sentences[: sentence.number]:
        for m in _TRAVELLED.finditer(earlier.text):
            last = m.group(1)
    return last


async def _meeting(
    doc: Reading,
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
    status: TemporalStatus = meeting_status(_unquoted(doc, sentence, clause))
    if doc.choices > 1:
        model = closed(
            "Meeting",
            mode=(one_of(_MEETING_MODES), ...),
            place=(one_of([*local_places, NONE]), ...),
            status=(one_of(_MEETING_STATUSES), ...),
        )
        variables = {"passage": sentence.text, "people": names, "places": local_places}
        answer = await doc.ask("focused_meeting.j2", variables, model)
        mode, status = answer.mode, answer.status
        place = None if answer.place == NONE else answer.place
    if mode in ("phone", "video"):
        place = None  # a call has no place: "spoke by phone about the South China Sea"
    key = (frozenset(doc.ids[n] for n in names), place, mode, status)
    visitor, host = doc.meeting_roles.visit_roles(sentence, clause, named)
    if visitor is None and host is None and mode == "in_person":
        visitor, host = hosts_by_place(named, place)
    unplaced = place is None or place_country(place) is None
    if visitor is None and host is None and mode == "in_person" and unplaced:
        # "Haverford traveled to Nairobi, Kenya ... the Secretary met with Kenyan
        # President Langat": where the story last travelled is where they met
        visitor, host = hosts_by_place(named, _travelled_to(doc, sentence))
    if key in found:
        known = found[key]
        if sentence.number not in known.evidence:
            known.evidence.append(sentence.number)
        if known.host is None and visitor is not None and host is not None:
            # the headline's "X's Meeting with Y", the body's "met visiting Y"
            known.visitor, known.host = doc.ids[visitor.name], doc.ids[host.name]
        known.date_text = known.date_text or _date_of(sentence, clause)
        return
    date_text = _date_of(sentence, without_other_events(clause))
    for other_mode, words, other_status in other_calls(clause):
        other = (key[0], None, other_mode, other_status)
        found.setdefault(
            other,
            DraftMeeting(
                participants=[doc.ids[n] for n in names],
                mode=other_mode,
                date_text=find_date(words),
                status=other_status,
                evidence=[sentence.number],
            ),
        )
    found[key] = DraftMeeting(
        participants=[doc.ids[n] for n in names],
        visitor=doc.ids[visitor.name] if visitor else None,
        host=doc.ids[host.name] if host else None,
        mode=mode,
        place=place,
        date_text=date_text,
        status=status,
        evidence=[sentence.number],
    )


def _unquoted(doc: Reading, sentence: Sentence, clause: str) -> str:
    """The clause with the article's quoted words blanked: in '"We will not accept
    this," the envoy said after meeting Ilic', the "will" is the envoy's, not the
    meeting's tense."""
    base = sentence.start + max(0, sentence.text.find(clause))
    chars = list(clause)
    for quote in doc.quotes:
        for a, b in quote.spans():
            for i in range(max(a, base), min(b, base + len(clause))):
                chars[i - base] = " "
    return "".join(chars)


def _date_of(sentence: Sentence, clause: str) -> str | None:
    """The day a clause names, or the sentence's opening phrase ("In Tbilisi on October
    8, the Under Secretary will meet ...")."""
    opening = OPENING_PHRASE.match(sentence.text)
    return find_date(clause) or (find_date(opening.group()) if opening else None)


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


# A meeting whose subject is the two sides of the one reported before it.
_THE_TWO = re.compile(
    r"\b(?:the two(?: (?:leaders|sides|ministers|presidents|delegations|officials|men|women))?|"
    r"both (?:leaders|sides|ministers))\b[^,;]*$",
    re.IGNORECASE,
)


def _the_two(
    doc: Reading, found: dict[tuple[frozenset[str], str | None, str, str], DraftMeeting]
) -> list[ActorCandidate]:
    """The participants of the latest meeting found so far, when it has two."""
    if not found:
        return []
    latest = list(found.values())[-1]
    two = [doc.by_id[i] for i in latest.participants if i in doc.by_id]
    return two if len(two) == 2 else []
