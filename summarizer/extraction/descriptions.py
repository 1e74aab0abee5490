# ruff: noqa: RUF001
"""Bodies an article describes rather than names, for `bodies.py`: groups and described
organisations, a nationality or a body's name before a collective noun ("Egyptian
mediators", "U.N. officials", "Russian forces"); offices, a determiner, an optional
nationality and a title ("the Syrian president", "our presidents"); and a bare "the
ministry" or "the delegation" after the one body it repeats. Apart from the rules for
names because a description is found only after the names it may contain.

An office ("the foreign minister") counts only when no person in `people` holds it
(`held`): no one whose title has its word (and no other qualifier) and whose country is its
own or unknown. A person's alias ("his Syrian counterpart") is never an office.

Decisions: a group's name drops its article ("Israeli delegation"); an office's name keeps
its determiner ("the Syrian president", "our presidents"), since without it the phrase
names nobody. A plural office ("our presidents") is one candidate, returned unless the
article names two or more holders; callers that need the holders one by one split it.
Coordinated nationalities ("U.S. and Iraqi officials") make one group with no country.
"""

from __future__ import annotations

import re

from summarizer.extraction.body_scan import Body, BodyScan
from summarizer.extraction.body_words import (
    ABSTRACT,
    ACRONYM,
    BODY_NOUNS,
    DAYS,
    DETERMINERS,
    GROUP_NOUNS,
    LEADERS,
    MODIFIERS,
    NOT_DESCRIBERS,
    OFFICE_MODIFIERS,
    OFFICES,
    QUALIFIERS,
    TIED,
)
from summarizer.extraction.candidates import ActorKind
from summarizer.extraction.states import state_code, state_name

__all__ = ["find_described", "held", "tie_heads"]


def _describer(
    scan: BodyScan, i: int, *, name_only: bool
) -> tuple[int, str | None, str | None] | None:
    """What token i (with some before it) is, if it can describe a body: a nationality
    (also coordinated ones, "Egyptian, Qatari and U.S."), a possessive state, a body's
    name, or (unless `name_only`) some other capitalised word ("Alawite fighters").
    Returns where the description starts, its country and what it represents."""
    toks, text = scan.tokens, scan.text
    t = toks[i]
    state = scan.state_at(i)
    if state:
        first, country = state
        codes, joined = {country}, False
        while first > 0 and not t.possessive:
            gap = text[toks[first - 1].end : toks[first].start]
            if toks[first - 1].word in ("and", "or") and gap == " " and first >= 2:
                step, joined = 2, True
            elif gap == ", " and joined:
                step = 1
            else:
                break
            prev = toks[first - step]
            code = state_code(prev.word)
            after = text[prev.end : toks[first - 1].start]
            if code is None or prev.possessive or after not in (" ", ", ", ""):
                break
            first, codes = first - step, codes | {code}
        if len(codes) > 1:
            return toks[first].start, None, None
        return toks[first].start, country, state_name(country)
    for body in scan.bodies.values():
        if body.kind in ("organisation", "group") and not body.described:
            for a, b in body.names + body.others:
                if b == t.end and a <= t.start:
                    return a, body.country, text[a:b]
    if name_only or not t.capital or t.initial or t.word.lower() in NOT_DESCRIBERS:
        return None
    if t.possessive or scan.in_person(t.start, t.end) or ACRONYM.fullmatch(t.word):
        return None
    if len(t.word) < 3:
        return None
    return t.start, None, None  # "Baath government", "Alawite fighters"


def find_described(scan: BodyScan) -> None:
    """ "Russian forces", "an Israeli delegation", "U.N. officials"; then offices; and
    the sides of a conflict asked as one ("all warring parties", "all parties to the
    conflict"; "both sides" is the two of a meeting, which the readers resolve)."""
    toks, text = scan.tokens, scan.text
    for m in _ALL_PARTIES.finditer(text):
        if not scan.in_person(m.start(), m.end()):
            body = scan.body(m.group().casefold(), "group", None, None)
            body.head, body.described = "parties", True
            body.names.append((m.start(), m.end()))
    for i, t in enumerate(toks):
        noun = t.word
        if noun in OFFICES or (noun.lower() in OFFICES and noun.istitle()):
            _office(scan, i)
            continue
        if noun not in BODY_NOUNS and noun not in GROUP_NOUNS:
            continue
        j = i - 1
        while j >= 0 and i - j <= 2 and toks[j].word in MODIFIERS and scan.joined(j, j + 1):
            j -= 1
        if j < 0 or text[toks[j].end : toks[j + 1].start] not in (" ", "'s ", "’s "):
            continue
        if toks[j + 1].initial:
            continue
        found = _describer(scan, j, name_only=False)
        if found is None or scan.in_person(found[0], t.end):
            continue
        if toks[j].possessive and noun in ABSTRACT:
            continue  # "the Taliban's opposition to" is a stance, not a group
        start, country, represents = found
        kind: ActorKind = "organisation"
        sector: str | None
        if noun in BODY_NOUNS:
            sector = BODY_NOUNS[noun]
        else:
            kind, sector = "group", GROUP_NOUNS[noun]
            org = scan.bodies.get(scan.alias_of.get(represents or "", ""))
            org = org or scan.bodies.get((represents or "").casefold())
            if org is not None and sector == "GOV":
                sector = org.sector  # "U.N. officials"
        body = scan.body(text[start : t.end].casefold(), kind, sector, country)
        body.represents, body.head, body.described = represents, noun, True
        body.names.append((start, t.end))


_ALL_PARTIES = re.compile(
    r"\ball\s+(?:the\s+)?(?:[a-z]+\s+)?(?:parties|sides)"
    r"(?:\s+to\s+the\s+(?:conflict|war|fighting|dispute))?\b"
)


def _office(scan: BodyScan, i: int) -> None:
    """A determiner, maybe a nationality or a body, and a title: "the Syrian president",
    "our presidents", "Syria's president", "the U.N. special envoy"."""
    toks, text = scan.tokens, scan.text
    t = toks[i]
    end = t.end
    if t.word.lower() == "secretary" and text[end : end + 9] == " of state":
        end += 9
    elif i + 1 < len(toks) and scan.joined(i, i + 1):
        after = toks[i + 1]
        if after.capital and after.word.lower() not in DAYS:
            return  # a title before a name: "the president Ahmed al-Sharaa"
    j, quals = i - 1, []
    while j >= 0 and toks[j].word.lower() in OFFICE_MODIFIERS and scan.joined(j, j + 1):
        quals.append(toks[j].word.lower())
        j -= 1
    country = represents = None
    owner = None  # "North Korea's envoy": the owner is the determiner
    if j >= 0 and (found := _describer(scan, j, name_only=True)):
        start, country, represents = found
        if toks[j].possessive:
            owner = start
        else:
            while j >= 0 and toks[j].start >= start:
                j -= 1
            while j >= 0 and toks[j].word.lower() in OFFICE_MODIFIERS:
                j -= 1  # "the former Syrian president"
    if owner is None and (j < 0 or toks[j].word.lower() not in DETERMINERS):
        return
    start = toks[j].start if owner is None else owner
    phrase = text[start:end]
    if scan.in_person(start, end) or any(
        phrase.casefold() == alias.casefold() for p in scan.people for alias in p.aliases
    ):
        return
    if t.word.lower().startswith("spokes") and country is None and represents is None:
        spoken_for = _spoken_for(scan, start)
        if spoken_for is not None:  # "a State Department spokesperson ... the spokesperson"
            spoken_for.others.append((start, end))
            return
    title = " ".join([*reversed([q for q in quals if q in QUALIFIERS]), t.word.lower()])
    if end > t.end:
        title = "secretary of state"
    org = scan.bodies.get(scan.alias_of.get(represents or "", ""))
    sector = org.sector if org is not None and not country else _office_sector(title)
    body = scan.body("office:" + phrase.casefold(), "office", sector, country)
    body.represents, body.title, body.described = represents, title, True
    body.plural = t.word.endswith("s") and not t.word.endswith("ss")
    body.names.append((start, end))


def _spoken_for(scan: BodyScan, before: int) -> Body | None:
    """The body an unnamed spokesperson was introduced with ("a State Department
    spokesperson told VOA"): GUIDELINES give an unnamed spokesperson's words to the
    body."""
    last = None
    for m in _BODY_SPOKESPERSON.finditer(scan.text, 0, before):
        end = m.start(1)
        for body in scan.bodies.values():
            if any(0 <= end - b <= 1 for _, b in body.names):
                last = body
    return last


_BODY_SPOKESPERSON = re.compile(r"\b(spokes(?:person|man|woman))\b", re.IGNORECASE)


def _office_sector(title: str) -> str | None:
    word = title.split()[-1]
    if word.startswith("spokes"):
        return None  # speaks for a body the title does not name
    return "MIL" if word.startswith("commander") else "GOV"


def held(scan: BodyScan, body: Body) -> bool:
    """Whether the article names the holder(s) of an office: people whose title has
    the office's word and no other qualifiers, of its country or of none."""
    assert body.title is not None
    *quals, word = body.title.split()
    parts = set(word.removesuffix("s").split("-"))
    if body.title == "secretary of state":  # "Secretary of State Marco Rubio"
        quals, parts = [], {"state"}
    holders = 0
    for p in scan.people:
        title = set((p.title or "").lower().replace("-", " ").split())
        if not (parts <= title or (parts == {"leader"} and LEADERS & title)):
            continue
        if quals and QUALIFIERS & title and QUALIFIERS & title != set(quals):
            continue
        if body.country and p.country and p.country != body.country:
            continue
        holders += 1
    return holders >= (2 if body.plural else 1)


def tie_heads(scan: BodyScan) -> None:
    """A bare "the ministry" or "the delegation" after the one body with that word."""
    heads: dict[str, list[Body]] = {}
    for body in scan.bodies.values():
        if body.head in TIED and body.names:
            heads.setdefault(body.head, []).append(body)
    for head, bodies in heads.items():
        if len(bodies) != 1:
            continue
        body = bodies[0]
        first = min(a for a, _ in body.names)
        for m in re.finditer(rf"\bthe ({re.escape(head)})\b", scan.text, re.IGNORECASE):
            if m.start() > first:
                body.others.append(m.span(1))
