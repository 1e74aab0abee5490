# ruff: noqa: SIM905, RUF001
"""The words and names `bodies.py` and `descriptions.py` read organisations, groups and
offices with: the heads of organisation names and the sector each tells, metonyms and
well-known movements (data, not rules), acronyms that are not bodies, collective nouns of
groups, office titles and their qualifiers. The heads and the well-known bodies are data,
`words/bodies.toml`; the smaller lists stay beside the patterns that use them.
"""

from __future__ import annotations

import re
from typing import cast

from summarizer.extraction.candidates import ActorKind
from summarizer.extraction.lexicon import FUNCTION_WORDS
from summarizer.extraction.wordfiles import load, words

__all__ = [
    "ABSTRACT",
    "ACRONYM",
    "ACRONYM_AFTER",
    "ALONE_HEADS",
    "BODY_NOUNS",
    "CONNECTORS",
    "DAYS",
    "DETERMINERS",
    "GROUP_NOUNS",
    "HEADS",
    "IGO_PREFIX",
    "INTERNATIONAL_HEADS",
    "KNOWN",
    "LEADERS",
    "LEADING",
    "MEDIA",
    "MODIFIERS",
    "NOT_ACRONYMS",
    "NOT_BODIES",
    "NOT_DESCRIBERS",
    "OFFICES",
    "OFFICE_MODIFIERS",
    "QUALIFIERS",
    "REGIONAL",
    "REGIONAL_HEADS",
    "TAILS",
    "TIED",
    "TOKEN",
    "WORLD_HEADS",
]


_DATA = load("bodies")
# Organisation words: the kind they make and the sector they tell (None: cannot tell).
HEADS: dict[str, tuple[ActorKind, str | None]] = {
    head: (cast(ActorKind, kind), sector if sector != "any" else None)
    for key, heads in _DATA["heads"].items()
    for kind, sector in [key.split("-")]
    for head in heads
}
ALONE_HEADS = words("bodies", "alone_heads")
MEDIA = frozenset(h for h, (_, s) in HEADS.items() if s == "MED")
IGO_PREFIX = re.compile(r"U\.N\.|(?:UN|United Nations)\b")
WORLD_HEADS = frozenset(
    {"Bank", "Organization", "Organisation", "Program", "Programme", "Fund", "Assembly"}
)
REGIONAL = frozenset({"European", "African", "Arab", "Asian", "Inter-American", "Gulf"})
REGIONAL_HEADS = frozenset(
    {"Union", "League", "Commission", "Council", "Parliament", "Court", "Bank", "Fund"}
)
INTERNATIONAL_HEADS = frozenset({"Court", "Fund", "Agency", "Organization", "Organisation"})
# Capitalised words after an organisation's name that show it is used as a modifier.
TAILS = frozenset(
    "summit conference meeting talks resolution resolutions headquarters report charter "
    "session member members official officials chief building day".split()
)
DAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december jan feb mar apr jun jul aug "
    "sep sept oct nov dec".split()
)
LEADING = FUNCTION_WORDS | DAYS | {"the", "a", "an", "in", "on", "at", "of", "to", "by"}
NOT_DESCRIBERS = LEADING | {"western", "eastern", "northern", "southern", "local", "global"}
CONNECTORS = frozenset({"of", "for", "on"})
NOT_BODIES = frozenset({"West Bank", "Soviet Union", "United States", "United Kingdom"})

# Known bodies: (forms, the first the canonical one), kind, sector, country.
_Known = tuple[tuple[str, ...], ActorKind, str | None, str | None]
KNOWN: tuple[_Known, ...] = tuple(
    (tuple(k["forms"]), cast(ActorKind, k["kind"]), k["sector"] or None, k["country"] or None)
    for k in _DATA["known"]
)
# All-capital words that are not bodies (states and common abbreviations).
NOT_ACRONYMS = frozenset(
    "US USA UK U.K. UAE DRC PRC DPRK ROK AI TV CEO GDP COVID ID HIV AIDS DNA NGO NGOs LGBT LGBTQ "
    "PM AM UTC GMT OK II III IV VI MP UAV USD EST EDT ET PT FAQ PDF IT CAR C.A.R. "
    "WATCH LISTEN READ VIDEO PHOTO PHOTOS UPDATE BREAKING".split()
)
# An acronym given after a name: "World Food Program (WFP)", "Security Agency, or NISA,".
ACRONYM_AFTER = re.compile(r"(?: \(|, or )((?:[A-Z]\.?){2,7})(?:\)|(?=[,.;]))")
ACRONYM = re.compile(r"(?:[A-Z]{2,6}|(?:[A-Z]\.){2,6})")
TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_][\w\-&]*(?:['’][^\W\d_]+)*")

# Lower-case words: bodies described by a nationality or a name ("Russian forces").
BODY_NOUNS = {
    **dict.fromkeys(
        "government administration ministry cabinet embassy parliament regime junta police".split(),
        "GOV",
    ),
    **dict.fromkeys("army military navy forces".split(), "MIL"),
}
GROUP_NOUNS: dict[str, str | None] = {
    **dict.fromkeys(
        "delegation delegations officials diplomats negotiators mediators envoys lawmakers "
        "legislators authorities leaders".split(),
        "GOV",
    ),
    **dict.fromkeys("troops soldiers".split(), "MIL"),
    **dict.fromkeys(
        "rebels militants insurgents fighters militia militias militiamen gunmen jihadists "
        "separatists".split(),
        "REB",
    ),
    **dict.fromkeys("protesters protestors demonstrators activists".split(), "CVL"),
    **dict.fromkeys("factions faction movement opposition team".split(), None),
}
ABSTRACT = frozenset({"opposition", "movement", "team"})  # also not-a-group senses
MODIFIERS = frozenset(
    "senior top military security government intelligence health defense defence foreign "
    "ministry negotiating opposition armed special transitional interim caretaker new former "
    "local regional federal national state army police border peace trade allied rebel "
    "militant interior finance justice current".split()
)
# Offices: the title words, the words that may qualify them, and which titles a head of
# state or government holds ("the Syrian leader" is its president).
OFFICES = frozenset(
    "president presidents minister ministers premier premiers chancellor king queen emir "
    "prince sultan secretary-general secretary ambassador ambassadors envoy envoys spokesman "
    "spokeswoman spokesperson leader governor mayor speaker commander".split()
)
QUALIFIERS = frozenset(
    "prime foreign defense defence interior finance justice health economy energy trade oil "
    "deputy vice crown".split()
)
OFFICE_MODIFIERS = QUALIFIERS | frozenset(
    "special top new former interim acting current outgoing incoming late then supreme "
    "military army chief state".split()
)
LEADERS = frozenset("president prime premier king queen emir chancellor leader sultan".split())
DETERMINERS = frozenset({"the", "his", "her", "their", "our", "its", "your", "my"})


# Words that "the <word>" repeats for the one body with it: "the ministry", "the delegation".
TIED = frozenset(
    "ministry department council committee commission parliament assembly agency court "
    "embassy party alliance union government administration army military delegation "
    "mediators negotiators".split()
)
