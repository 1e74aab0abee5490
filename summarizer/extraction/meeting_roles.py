"""Who met whom in a sentence, read from its wording: the actors in the clause of a
meeting word, the clause itself (its tense is the meeting's), and who visited or hosted
whom. It reads through `Roles` (attribution.py), which knows the article's mentions and
what a pronoun or a title stands for.
"""

from __future__ import annotations

import re

from summarizer.article import Sentence
from summarizer.extraction import cues
from summarizer.extraction.attribution import Mention, Roles
from summarizer.extraction.body_words import KNOWN
from summarizer.extraction.candidates import ActorCandidate
from summarizer.extraction.lexicon import NOT_NAMES
from summarizer.extraction.state_words import CAPITALS, CITIES
from summarizer.extraction.states import state_code
from summarizer.schema import MeetingMode, TemporalStatus

__all__ = [
    "VISITED_SEAT",
    "MeetingRoles",
    "hosts_by_place",
    "mode_from_words",
    "nearest_place",
    "other_calls",
    "place_country",
    "without_other_events",
]

_PLACE_OR_TOPIC = frozenset(
    {
        "in",
        "on",
        "about",
        "over",
        "to",
        "into",
        "from",
        "at",
        "against",
        "regarding",
        "toward",
        "towards",
        "across",
        "inside",
        "within",
        "throughout",
        "for",
        "under",
        "near",
        "outside",
    }
)


def _who_met(named: list[ActorCandidate]) -> list[ActorCandidate]:
    """The participants among the actors of a meeting clause. Where it names people,
    the states and bodies they belong to are not more participants ("Suga's Japanese
    government", "Russia's Putin"), and where it names two people, they are the meeting.
    A news outlet reports; "VOA spoke with Armitage" is an interview, no meeting."""
    named = [a for a in named if a.sector != "MED"]
    people = [a for a in named if a.kind == "person"]
    if len(people) >= 2:
        return [a for a in named if a.kind in ("person", "office")]
    countries = {a.country for a in people if a.country}
    return [
        a
        for a in named
        if a.kind == "person" or not (a.country in countries or _represented(a, people))
    ]


def _represented(actor: ActorCandidate, people: list[ActorCandidate]) -> bool:
    return any(p.represents == actor.name for p in people)


# What may stand between a subject and its meeting verb: "the Ambassador will also meet".
_AUXILIARIES = re.compile(
    r"(?:\s+(?:will|would|shall|is|are|was|were|has|have|had|to|be|also|then|later|"
    r"again|separately|briefly|today|previously|first))+\s*\Z",
    re.IGNORECASE,
)


# "meet (with) the Foreign Minister": a description right after the meeting word.
_DESCRIBED_OBJECT = re.compile(
    r"\s+(?:with\s+)?(?:the|his|her|their)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE
)
_CITY_BEFORE = re.compile(
    r"\b(?:in|to|at|from|and|visit\w*)\s+(?:[A-Z][\w\-]*\s+){0,2}[A-Z][\w\-]*,\s+(?:and\s+)?\Z"
)
_STATE_AFTER = re.compile(r",\s+([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?)")
_VISITED = frozenset({"visit", "visits", "visited", "visiting", "toured"})


class MeetingRoles:
    """Meeting lookups over one article's `Roles`."""

    def __init__(self, roles: Roles):
        self.roles = roles

    def meeting_people(self, sentence: Sentence, cue_start: int) -> list[ActorCandidate]:
        """People named in the clauses of a meeting word outside quotations, owners too
        ("Suga's talks with Modi"), plus the person a pronoun subject stands for ("he
        met al-Shaibani"); not whoever reports it ("Roy said Duterte and Suga spoke",
        "…, the White House said")."""
        start = sentence.start
        for cue in cues.REPORTING_VERB.finditer(self.roles.text, sentence.start, cue_start):
            that = re.match(r"\W*(?:\S+\s+){0,3}?that\b", self.roles.text[cue.end() : cue_start])
            if that:  # "Roy said that … Duterte and Suga spoke": neither Roy nor his audience
                start = cue.end() + that.end()
        clause = self.clause(sentence, cue_start)
        lo = max(start, sentence.start + sentence.text.find(clause))
        hi = lo + len(clause)
        text = self.roles.text
        for cue in cues.REPORTING_VERB.finditer(text, cue_start, sentence.end):
            comma = text.rfind(",", cue_start, cue.start())
            if comma >= 0 and not text[comma + 1 : cue.start()].strip().startswith("who"):
                hi = min(hi, comma)  # "…, the White House said": the reporter met no one
                break
        people = [
            m.person
            for m in self.roles.owners
            if lo <= m.start and m.end <= hi and not self._place_or_topic(m)
        ]
        head = self.roles.text[sentence.start : cue_start].split()
        if head and cues.PRONOUN.match(head[0].strip(",")):
            found = self.roles.antecedent(sentence.start)
            if found is not None:
                people.insert(0, found)
        elif not any(lo <= m.start < cue_start for m in self.roles.owners):
            # "In Tirana, the Ambassador will meet with ...", "In Warsaw, she will meet":
            # a subject that names nobody stands for someone named before.
            verb = _AUXILIARIES.search(text, lo, cue_start)
            found = self.roles.subject_before(verb.start() if verb else cue_start, lo)
            if found is not None:
                people.insert(0, found)
        if head and head[-1].lower() in ("his", "her"):  # "his meeting with al-Shaibani"
            opening = cues.OPENING_PHRASE.match(sentence.text)
            later = (
                self.roles.named(sentence.start + opening.end(), sentence.end) if opening else []
            )
            # In an opening phrase the owner is the subject named after it (cataphora).
            owner = later[0].person if later else self.roles.antecedent(cue_start)
            if owner is not None:
                people.insert(0, owner)
        if not any(cue_start < m.start < hi for m in self.roles.owners):
            # "The Secretary will meet the Foreign Minister": an object that describes
            # someone named before.
            described = _DESCRIBED_OBJECT.match(text, self._after_cue(cue_start), hi)
            if described:
                found = self.roles.described(described.start(), described.group(1).lower().split())
                if found is not None and found not in people:
                    people.append(found)
        unique: list[ActorCandidate] = []
        for person in people:
            if not any(person is seen for seen in unique):
                unique.append(person)
        return _who_met(unique)

    def _after_cue(self, cue_start: int) -> int:
        word = re.match(r"\w+", self.roles.text[cue_start:])
        return cue_start + (word.end() if word else 0)

    def _place_or_topic(self, mention: Mention) -> bool:
        """A state or body after "in", "on", "about"... is where or what, not who:
        "talks in Egypt", "talks on Syria"; one that owns something other than a
        meeting ("China's aggression") is the topic too."""
        if mention.person.kind == "person":
            return False
        words = self.roles.text[max(0, mention.start - 30) : mention.start].split()[-2:]
        words = [w.lower() for w in words if w.lower() != "the"]
        if words and words[-1] in _PLACE_OR_TOPIC:
            return True
        if _CITY_BEFORE.search(self.roles.text, max(0, mention.start - 60), mention.start):
            return True  # "traveled to Nairobi, Kenya": the state says where the city is
        written = self.roles.text[mention.start : mention.end]
        state = _STATE_AFTER.match(self.roles.text, mention.end)
        if written in CAPITALS and state and state_code(state.group(1)) == CAPITALS[written]:
            return True  # "and Yerevan, Armenia": a capital named as a place
        if words and words[-1] in _VISITED and mention.person.name in _SEAT_COUNTRY:
            return True  # "visited the White House": where, not whom
        after = self.roles.text[mention.end : mention.end + 40]
        if _EVENT_OR_KIND_AFTER.match(after):
            return True  # "the G20 Ministerial", "the NATO summit", "NATO Allies Turkey"
        if cues.POSSESSIVE.match(after):
            owned = after[2:].split()[:2]
            return not any(cues.MEETING_CUE.match(w) for w in owned)
        return False

    def clause(self, sentence: Sentence, offset: int) -> str:
        """The clause of a sentence around `offset`: its tense is the meeting's."""
        text = sentence.text
        at = offset - sentence.start
        bounds = [(m.start(), m.end()) for m in cues.CLAUSE_BREAK.finditer(text)]
        opening = cues.OPENING_PHRASE.match(text)
        if opening:  # "In his meeting with al-Shaibani in Moscow, Lavrov reiterated …"
            bounds.append((opening.end() - 1, opening.end()))
        cuts = [end for start, end in bounds if end <= at]
        ends = [start for start, end in bounds if start > at]
        return text[max(cuts, default=0) : min(ends, default=len(text))]

    def visit_roles(
        self, sentence: Sentence, clause: str, people: list[ActorCandidate]
    ) -> tuple[ActorCandidate | None, ActorCandidate | None]:
        """(visitor, host) when the clause says who visited or hosted whom."""
        base = sentence.start + max(0, sentence.text.find(clause))
        invited = _INVITED_TO_VISIT.search(clause)
        if invited is not None:  # "Marsh invited Park to make a State Visit": Park comes
            at = base + invited.start()
            asked = next((m.person for m in self.roles.named(at, base + invited.end())), None)
            host = self.roles.subject_before(at, sentence.start)
            if asked in people and host in people and asked is not host:
                return asked, host
        guest = _VISITING_GUEST.search(clause)
        if guest is not None:  # "Kim met visiting Defense Minister Markov": Markov travelled
            at = base + guest.end()
            visitor = next((m.person for m in self.roles.named(at, sentence.end)), None)
            host = self.roles.subject_before(base + guest.start(), sentence.start)
            if visitor in people and host in people and visitor is not host:
                return visitor, host
        for pattern, guest_first in ((cues.VISIT_CUE, True), (cues.HOST_CUE, False)):
            cue = pattern.search(clause)
            if cue is None:
                continue
            at = base + cue.start()
            owner = [
                m.person
                for m in self.roles.owners
                if 0 <= at - m.end <= 3
                and cues.POSSESSIVE.match(self.roles.text[m.end : m.end + 3])
                and m.person in people
            ]
            if guest_first and owner:  # "Suga's visit": Suga travels
                others = [p for p in people if p is not owner[0]]
                return owner[0], (others[0] if len(others) == 1 else None)
            subject = self.roles.subject_before(at, sentence.start)
            after = self.roles.named(at, sentence.end)
            obj = next((m.person for m in after if m.person is not subject), None)
            if subject in people and obj in people and subject is not obj:
                return (subject, obj) if guest_first else (obj, subject)
        return None, None


# "invited X to visit", "invited X to make a State Visit to Washington"
_INVITED_TO_VISIT = re.compile(
    r"\binvit(?:ed|es|ing)\s+[^,;]{1,80}?\s+to\s+(?:make\s+(?:a|an)\s+(?:[\w-]+\s+){0,2})?"
    r"(?:visit|travel|come)\b",
    re.IGNORECASE,
)
# "X met (with) visiting Y", "X received the visiting Y": the one after "visiting" came.
_VISITING_GUEST = re.compile(
    r"\b(?:met|meets|meeting|received|receives|welcomed|welcomes|hosted|hosts|greeted)"
    r"\s+(?:(?:today|yesterday|again|also|separately)\s+)?(?:with\s+)?(?:the\s+)?visiting\b",
    re.IGNORECASE,
)
# A body or state named before an event's noun is where the meeting happened, and one
# named before "allies" or "members" describes the ones who met.
_EVENT_OR_KIND_AFTER = re.compile(
    r"(?:['\u2019]s?)?\s+(?:[A-Z][\w-]*\s+){0,2}(?i:summit|ministerial|conference|forum|meeting|session|"
    r"dialogue|talks|allies|ally|members|member states|partners)\b"
)
# "... a week after a phone call between the two": a mode word in a time adjunct names
# another event, not this meeting.
_OTHER_EVENT = re.compile(
    r"\b(?:after|before|since|following|than|ahead of|preceding)\s+(?:\w+\s+){0,4}?"
    r"(?:phone|telephone|video|online)?\s*(?:call|calls|conference|meeting|talks|summit|visit)\b"
    r"(?:\s+(?:between|with)\s+[^,.;]*)?",
    re.IGNORECASE,
)


def hosts_by_place(
    people: list[ActorCandidate], place: str | None
) -> tuple[ActorCandidate | None, ActorCandidate | None]:
    """(visitor, host) of a meeting of two held in one side's country: "Georgian Foreign
    Minister Chkheidze" met in Tbilisi is the host, and whoever came to him the visitor
    (GUIDELINES: a visit is one side travelling to the other's country, city or office)."""
    code = place_country(place) if place else None
    if code is None or len(people) != 2:
        return None, None
    local = [p for p in people if p.country == code]
    if len(local) != 1:
        return None, None  # in a third country, or no side's country is known
    return next(p for p in people if p is not local[0]), local[0]


def place_country(place: str) -> str | None:
    """The state a place is in, where the gazetteer knows it: a state's name, a capital
    or another city it lists, or the seat of a known body ("the Pentagon")."""
    return state_code(place) or CAPITALS.get(place) or CITIES.get(place) or _SEAT_COUNTRY.get(place)


_SEAT_COUNTRY = {form: k[3] for k in KNOWN if k[3] for form in k[0]}
VISITED_SEAT = re.compile(
    r"\b(?:visit\w*|toured)\s+the\s+(?:"
    + "|".join(re.escape(f) for f in sorted(_SEAT_COUNTRY, key=len, reverse=True))
    + r")\b"
)


def other_calls(clause: str) -> list[tuple[MeetingMode, str, TemporalStatus]]:
    """The calls of the same two a clause dates its meeting by ("a week after a phone call
    between the two", "following up on their Monday call"): each its own meeting, with its
    mode, its words (for its day) and its tense."""
    found: list[tuple[MeetingMode, str, TemporalStatus]] = []
    for m in _OTHER_EVENT.finditer(clause):
        words = m.group()
        if not re.search(r"\b(?:call|calls)\b", words, re.IGNORECASE):
            continue
        if not re.search(r"\b(?:their|the two|both|them)\b", words, re.IGNORECASE):
            continue
        later = re.match(r"(?:before|ahead of|preceding)\b", words, re.IGNORECASE)
        status: TemporalStatus = "planned" if later else "happened"
        found.append((mode_from_words(words, other=False), words, status))
    return found


def without_other_events(text: str) -> str:
    return _OTHER_EVENT.sub(" ", text)


def mode_from_words(text: str, *, other: bool = True) -> MeetingMode:
    lowered = (_OTHER_EVENT.sub(" ", text) if other else text).lower()
    if re.search(cues.COURTESY_CALL, lowered):
        return "in_person"  # "called on the minister at the ministry"
    if re.search(r"\b(video|videoconference|online|virtual|virtually|teleconference)\b", lowered):
        return "video"  # a "video call" is no phone call
    if re.search(r"\b(phone|telephone|call|called|calls)\b", lowered):
        return "phone"
    if re.search(r"\b(met|meet|meeting|visit\w*|talks|hosted|received|summit)\b", lowered):
        return "in_person"
    return "unknown"


def nearest_place(sentence: Sentence, places: list[str]) -> str | None:
    """The place named closest to the sentence's first meeting word."""
    pattern = r"\b(" + "|".join(cues.MEETING_WORDS) + r")\b"
    cue = re.search(pattern, sentence.text, re.IGNORECASE)
    if cue is None or not places:
        return None
    at = cue.start()
    # "at the Foreign Ministry in Helsinki": the city is the place (GUIDELINES), the
    # building only where no city or country is named.
    towns = [p for p in places if not _building(p)]
    return min(towns or places, key=lambda p: abs(sentence.text.find(p) - at))


def _building(place: str) -> bool:
    """A body's seat named as a place: "the White House", "the Foreign Ministry"."""
    return place in _KNOWN_FORMS or any(w.lower() in NOT_NAMES for w in place.split())


_KNOWN_FORMS = frozenset(form for k in KNOWN for form in k[0])
