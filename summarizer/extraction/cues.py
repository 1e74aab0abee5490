"""The wording that signals a role, a kind or a status: reporting verbs, proposal and
meeting cues, the words of tense and of an answer to a proposal, and the clause patterns
(`attribution.py`) reads roles with. Whole words, case-insensitive; no rule holds a
phrase taken from any one article.
"""

from __future__ import annotations

import re
from typing import TypeVar

from summarizer.schema import ProposalStatus, TemporalStatus

__all__ = [
    "ANSWER_TO",
    "ASIDE",
    "BOUNDARY",
    "CLAUSE_BREAK",
    "DETERMINER",
    "FROM_PROPOSER",
    "HOST_CUE",
    "MEETING_CUE",
    "MEETING_WORDS",
    "OPENING_PHRASE",
    "PASSIVE",
    "POSSESSIVE",
    "PRONOUN",
    "PROPOSAL_CUE",
    "PROPOSAL_CUES",
    "PROPOSED_CONTENT",
    "REPORTING_VERB",
    "RESPONSE",
    "VISIT_CUE",
    "WELCOMED_A_THING",
    "meeting_status",
    "proposal_status",
]

_S = TypeVar("_S", bound=str)

# Reporting verbs, matched as whole words; "according to X" works like "said X". Nouns
# that share a spelling ("a post", "the United States", "calls", "claims") are left out.
_REGULAR = (
    "add argue explain insist urge warn stress note declare remark respond acknowledge "
    "admit concede claim recall announce emphasize emphasise caution complain observe "
    "conclude ask call describe demand suggest accuse allege vow promise predict reiterate "
    "label dub brand quote contend characterize characterise joke lament assert affirm "
    "maintain charge counter retort hail praise criticize criticise condemn denounce welcome "
    "post tweet continue"
).split()


def _inflected(verb: str) -> list[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    double = verb in ("dub",)
    past = verb + "d" if verb.endswith("e") else (verb + "bed" if double else verb + "ed")
    return [past, (verb + "bing") if double else stem + "ing"]


REPORTING_VERB = re.compile(
    r"\b("
    + "|".join(
        sorted(
            {
                *(form for verb in _REGULAR for form in _inflected(verb)),
                *"said says say told tells telling wrote writes writing adds insists argues "
                "explains warns urges testified testifying replied replying stated".split(),
                "according to",
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(r"^(he|she)$", re.IGNORECASE)
DETERMINER = re.compile(r"^(the|his|her|its|their|our)$", re.IGNORECASE)
# Words that open a clause which is not the subject itself ("Lavrov, speaking in Moscow,
# said"; "the man, who asked not to be named, said"): look further back.
ASIDE = re.compile(
    r"^\s*(who|which|whose|where|when|[a-z]+ing|in|at|on|during|after|before|from|with|for|"
    r"as|like|also|then|however|a|an|the|one|two|three|its|his|her|their)\b"
)
BOUNDARY = re.compile(r"[,;:()\"“”—–]")
POSSESSIVE = re.compile(r"^['’](?:s\b|\s)")

# Proposal cues, as whole words: a stem and its endings, then the kind it signals.
PROPOSAL_CUES: tuple[tuple[str, str], ...] = (
    (r"invit(?:e|es|ed|ing|ation|ations)", "invitation"),
    (r"offer(?:s|ed|ing)?", "offer"),
    (r"request(?:s|ed|ing)?", "request"),
    (r"urg(?:e|es|ed|ing)", "request"),
    (r"encourag(?:es|ed)(?!\s+by\b)(?=\s+\S+(?:\s+\S+){0,4}\s+to\s)", "request"),
    (r"call(?:s|ed|ing)?\s+(?:on|upon)", "request"),
    (r"call(?:s|ed|ing)?\s+for", "request"),
    (r"appeal(?:s|ed|ing)?\s+to", "request"),
    (r"ask(?:s|ed|ing)?(?=\s+\S+(?:\s+\S+){0,4}\s+(?:to|for)\s)", "request"),
    (r"demand(?:s|ed|ing)?", "demand"),
    (r"propos(?:e|es|ed|ing|al|als)", "proposal"),
    (r"pledg(?:e|es|ed|ing)", "pledge"),
    (r"promis(?:e|es|ed|ing)", "pledge"),
    (r"vow(?:s|ed|ing)?", "pledge"),
    (r"agree(?:s|d)?\s+to", "pledge"),
    (r"commit(?:s|ted)?\s+to", "pledge"),
    # an announced commitment: "Finland will give Tanzania...", "is ready to lift the ban"
    (
        r"will\s+(?:give|provide|support|send|grant|supply|contribute|deliver|release|return)",
        "pledge",
    ),
    (r"(?:prepared|ready|willing)\s+to", "pledge"),
)
PROPOSAL_CUE = re.compile(
    r"\b(?:" + "|".join(f"(?P<k{i}>{stem})" for i, (stem, _) in enumerate(PROPOSAL_CUES)) + r")\b",
    re.IGNORECASE,
)
# The words of an answer to a proposal, shared by the cues below.
_REJECT_WORDS = r"reject\w*|refus\w*|declin\w*|dismiss\w*|turned down|rebuff\w*|denied|denies"
_REJECTED = re.compile(rf"\b({_REJECT_WORDS}|deny)\b", re.I)
_ACCEPT_WORDS = r"accept\w*|agreed to"
_ACCEPTED = re.compile(rf"\b({_ACCEPT_WORDS})\b", re.I)
# A response to someone's proposal: its subject is the recipient ("Hamas rejected Egypt's
# proposal").
RESPONSE = re.compile(
    rf"\b({_REJECT_WORDS}|accept\w*|welcom\w*|consider\w*|weigh\w*|studying|backed|endorsed)\b",
    re.IGNORECASE,
)
_PENDING = re.compile(r"\b(consider\w*|weigh\w*|yet to (?:respond|reply|decide)|awaiting)\b", re.I)
# "invitation from X", "at the invitation of X", "was invited by X": X proposes.
FROM_PROPOSER = re.compile(r"^\s*(?:from|of|by)\b", re.IGNORECASE)
# "Trump denied the request", "Ethiopia accepted the offer": an answer to a proposal
# reported before, named by its noun.
ANSWER_TO = re.compile(
    rf"\b(?:{_REJECT_WORDS}|{_ACCEPT_WORDS})\s+(?:the|that|this|his|her|their|its)\s+"
    r"(?:\w+\s+)?"
    r"(?:request|proposal|offer|invitation|call|demand|plan|appeal)s?\b",
    re.IGNORECASE,
)
PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$", re.IGNORECASE)

# A courtesy call: "Ambassador Carrow called on Secretary-General Kao at the Secretariat",
# a visit; "called on Greece to resume talks" is a request (what follows "to" is asked).
COURTESY_CALL = r"call(?:s|ed)?\s+on(?![^.;]*?\bto\s+(?!discuss\b|review\b|talk\b|exchange\b)[a-z])"
MEETING_CUE = re.compile(
    rf"\b({COURTESY_CALL}|"
    r"met|meet|meets|meeting|meetings|talks|visit|visits|visited|visiting|hosted|hosts|"
    r"hosting|received|receives|welcomed|summit|summits|negotiations|conversation|"
    r"conversations|(?:phone|telephone|"
    r"video)\s+call|call|calls|spoke|speaks|talked)\b",
    re.IGNORECASE,
)
# The words `_nearest_place` (focused.py) measures a place's distance from.
MEETING_WORDS = (
    "met", "meet", "meeting", "meetings", "talks", "visit", "visited", "visiting", "call",
    "called", "phone", "summit", "conversation", "hosted", "received", "held", "discussed",
)  # fmt: skip
_CANCELLED = re.compile(r"\b(cancel\w*|called off|postpon\w*|scrapped)\b", re.IGNORECASE)
_PLANNED = re.compile(
    r"\b(will|shall|set to|expected to|plans? to|planning to|scheduled|due to|"
    r"upcoming (?:\w+ )?(?:visit|trip|meeting|talks|summit|call|conference|round)|"
    r"to (?:meet|visit|hold|host|travel|attend|join)|later this|"
    r"next (?:week|month|year|spring|summer|fall|autumn|winter|round|\w+day)|"
    r"invit(?:ed|es|ation)\b[^.;]{0,80}?\bto (?:make|pay|come))\b",
    re.IGNORECASE,
)
_ONGOING = re.compile(
    r"\b((?:is|are) (?:meeting|holding|visiting|hosting|in talks)|under ?way|ongoing|"
    r"continu(?:e|es|ing))\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(
    r"[;:]|,\s+(?:although|though|but|while|after|before|because|since|as)\b|"
    r"\b(?:although|though|but|while|whereas)\b"
)
# An opening adverbial phrase, up to its comma: "In his meeting with X in Moscow, …".
OPENING_PHRASE = re.compile(
    r"^(?:In|During|After|Before|At|On|Following|Since|While|Ahead of|Like|Unlike|As with)\b"
    r"[^,;:]{0,120},"
)
# A meeting word inside what someone is urged, called on or asked to do is that
# request's content, not a meeting: "urged Kenya and Uganda to resume border talks",
# "called on both sides to hold talks"; so is a gathering someone is invited to join
# ("invited al-Sharaa to join the summit"). The text runs from the clause's start to
# the meeting word.
PROPOSED_CONTENT = re.compile(
    r"\b(?:urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+(?:on|upon)|ask(?:s|ed|ing)?|"
    r"press(?:es|ed|ing)?|appeal(?:s|ed|ing)?\s+to|encourag\w*)\b[^.;]*?"
    r"\bto\s+(?:[\w'\u2019-]+\s+){0,6}?[\w'\u2019-]+$"
    # An invitation to a gathering of many is its content too; one to visit or to talks
    # is a planned meeting of the two (GUIDELINES: "invited to" is planned).
    r"|\binvit\w*\b[^.;]*?\bto\s+(?:(?:join|attend|participate in|take part in)\s+"
    r"(?:[\w'\u2019-]+\s+){0,6}?[\w'\u2019-]+|(?:a|an|the|its|their)\s+"
    r"(?:[\w'\u2019-]+\s+){0,3}?(?:summit|conference|forum|gathering|ceremony))$",
    re.IGNORECASE,
)
# "welcomed the proposal", "the plan was welcomed by": a response, not a reception.
_THING = (
    r"(?:proposals?|plans?|offers?|invitations?|initiatives?|decisions?|moves?|ideas?|deal|"
    r"agreement|ceasefire|truce|news|calls?|resolution|statement|announcement|report|steps?|"
    r"commitments?|support|efforts?|progress|role|leadership|contributions?|cooperation)"
)
WELCOMED_A_THING = re.compile(
    rf"\b{_THING}\s+(?:was|were|is|are|has been|have been)\s+(?:\w+\s+)?"
    rf"(?:welcomed|received)\b|\b(?:welcom\w*|received|receives)\s+(?:the|a|an|its|their|"
    rf"his|her|this|that)?\s*(?:[\w-]+\s+){{0,2}}{_THING}\b|"
    # "welcomed Minister Mori's commitment": one welcomes a person, not what is theirs
    rf"\bwelcom\w*\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+){{0,3}}[A-Z][\w.-]*['’]s?\s+[a-z]",
    re.IGNORECASE,
)
VISIT_CUE = re.compile(
    rf"\b(visit|visits|visited|visiting|travel(?:s|ed|led|ing|ling)? to|trip to|{COURTESY_CALL})\b",
    re.IGNORECASE,
)
HOST_CUE = re.compile(r"\b(hosted|hosts|hosting|received|receives|welcomed)\b", re.IGNORECASE)


def proposal_status(text: str) -> ProposalStatus:
    """Rejected, accepted, pending or just made, from the words of the sentence."""
    return _first_said(
        text, ((_REJECTED, "rejected"), (_ACCEPTED, "accepted"), (_PENDING, "pending")), "made"
    )


def meeting_status(text: str) -> TemporalStatus:
    """Cancelled, planned, ongoing or happened, from the words given (callers blank the
    quoted words first: their tense is the speaker's)."""
    return _first_said(
        text, ((_CANCELLED, "cancelled"), (_PLANNED, "planned"), (_ONGOING, "ongoing")), "happened"
    )


def _first_said(text: str, rules: tuple[tuple[re.Pattern[str], _S], ...], otherwise: _S) -> _S:
    """The label of the first rule whose words the text has, in the rules' order."""
    return next((label for words, label in rules if words.search(text)), otherwise)
