# ruff: noqa: RUF001
"""Actors that are neither people nor bare states: organisations ("Russian Foreign
Ministry", "the United Nations", "NATO"), groups ("an Israeli delegation", "Hamas") and
office-holders the article does not name ("the Syrian president", "our presidents").

This module holds `find_bodies` and the rules for bodies the article names; groups and
offices, which it describes, are `descriptions.py`'s; the tokens and the bodies found so
far, which both read, `body_scan.py`'s; the words, `body_words.py`'s.

The rules are those of news style, like those of `candidates.py`: a capitalised name
ends in (or starts with, before "of"/"for"/"on") an organisation word such as Ministry or
Council; an acronym in brackets after a name is its alias. A few names are data, not
rules: metonyms ("the Kremlin"), well-known movements ("Hamas"), bodies named without an
organisation word ("Human Rights Watch") and acronyms whose sector a rule cannot tell
("NATO"). An acronym the data does not know counts when it stands alone somewhere (not
only inside a longer name) and never in the plural. Countries come from `states.py`: a
nationality in the name ("Russian Foreign Ministry") or a possessive state before it
("Egypt's foreign ministry"). Each name and mention is a span of the text, and none
overlaps a person's mention; a name's mentions do not overlap one another's, but a
description may contain a name ("U.N. officials" and "U.N.").

Decisions: "Front" heads an organisation ("Islamic Salvation Front"); Movement, Brigades
and Militia head groups. Media and news agencies are organisations of sector MED.
"""

from __future__ import annotations

import re

from summarizer.article import Article
from summarizer.extraction.body_scan import BodyScan, Token
from summarizer.extraction.body_words import (
    ACRONYM,
    ACRONYM_AFTER,
    ALONE_HEADS,
    CONNECTORS,
    DAYS,
    HEADS,
    IGO_PREFIX,
    INTERNATIONAL_HEADS,
    KNOWN,
    LEADING,
    MEDIA,
    NOT_ACRONYMS,
    NOT_BODIES,
    REGIONAL,
    REGIONAL_HEADS,
    TAILS,
    WORLD_HEADS,
)
from summarizer.extraction.candidates import ActorCandidate, ActorKind
from summarizer.extraction.descriptions import find_described, held, tie_heads
from summarizer.extraction.lexicon import TITLES
from summarizer.extraction.states import state_code, state_name

__all__ = ["find_bodies"]


def find_bodies(article: Article, people: list[ActorCandidate]) -> list[ActorCandidate]:
    """Organisations, groups and unnamed office-holders in `article`, in order of their
    first mention; no mention overlaps one of `people`'s, nor a longer name's."""
    scan = BodyScan(article, people)
    _known(scan)
    for run in _runs(scan):
        _named(scan, run)
    _acronyms(scan)
    _merge_suffixes(scan)
    find_described(scan)
    tie_heads(scan)
    taken: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    spans = [
        (span, key, n == 0)
        for key, body in scan.bodies.items()
        for n, group in enumerate((body.names, body.others))
        for span in group
    ]
    kept: dict[str, list[tuple[tuple[int, int], bool]]] = {}
    for (a, b), key, full in sorted(spans, key=lambda s: s[0][0] - s[0][1]):
        layer = scan.bodies[key].described
        if scan.in_person(a, b) or any(x < b and a < y for x, y in taken[layer]):
            continue
        taken[layer].append((a, b))
        kept.setdefault(key, []).append(((a, b), full))
    out: list[ActorCandidate] = []
    for key, found in kept.items():
        body = scan.bodies[key]
        if body.kind == "office" and held(scan, body):
            continue
        found.sort()
        mentions = [span for span, _ in found]
        a, b = next((span for span, full in found if full), mentions[0])
        name = article.text[a:b]
        aliases = list(dict.fromkeys(article.text[x:y] for x, y in mentions))
        out.append(
            ActorCandidate(
                name=name,
                aliases=[alias for alias in aliases if alias != name],
                title=body.title,
                country=body.country,
                sector=body.sector,
                mentions=mentions,
                kind=body.kind,
                represents=body.represents or (state_name(body.country) if body.country else None),
            )
        )
    return sorted(out, key=lambda c: c.mentions[0])


def _runs(scan: BodyScan) -> list[list[int]]:
    """Capitalised words one space apart; after an organisation word, "of", "for" or
    "on" (and "the") joins the next capitalised word: "Ministry of Foreign Affairs"."""
    toks, runs, i = scan.tokens, [], 0
    while i < len(toks):
        if not toks[i].capital:
            i += 1
            continue
        run = [i]
        while (k := run[-1] + 1) < len(toks) and scan.joined(run[-1], k):
            if toks[k].capital:
                run.append(k)
                continue
            if toks[k].word == "and" and _after_connector(toks, run):
                m = k + 2  # "Center for Studies and Legal Research": two words after "and"
            elif toks[k].word in CONNECTORS and any(toks[r].word in HEADS for r in run):
                m = k + 1 + (k + 1 < len(toks) and toks[k + 1].word == "the")
            else:
                break
            chain = range(k, m + 1)
            if m >= len(toks) or toks[m].word.lower() in DAYS:
                break
            if not all(toks[c].capital for c in chain[1:] if toks[c].word != "the"):
                break
            if not all(scan.joined(a, a + 1) for a in chain[:-1]):
                break
            run.extend(chain)
        runs.append(run)
        i = run[-1] + 1
    return runs


def _named(scan: BodyScan, run: list[int]) -> None:
    toks, text = scan.tokens, scan.text
    while run and (toks[run[0]].word.lower() in LEADING or not toks[run[0]].capital):
        run = run[1:]
    # "Kurdish-led", "Germany-based" describe what follows them.
    modifier = max((n for n, r in enumerate(run) if re.search(r"-[a-z]", toks[r].word)), default=-1)
    run = run[modifier + 1 :]
    if not run:
        return
    run_end = toks[run[-1]].end
    acronym = ACRONYM_AFTER.match(text, run_end)
    if acronym:
        run = _spelled_by(scan, run, acronym.group(1).replace(".", ""))
    heads = [n for n, r in enumerate(run) if toks[r].word in HEADS]
    if not heads:
        letters = acronym.group(1).replace(".", "") if acronym else ""
        if len(run) >= 2 and _initials(scan, run) == letters:
            # A name spelled out before its acronym is a body's, heads or not:
            # "Asia-Pacific Economic Cooperation (APEC)".
            _add_name(scan, run, toks[run[0]].start, ("organisation", None), acronym)
        return
    for n in range(heads[0] + 1, len(run)):
        t = toks[run[n]]
        if scan.in_person(t.start, t.end):  # and a name cut short is no name
            inside = [m for m in range(n) if toks[run[m]].word in CONNECTORS]
            run = run[: inside[0] if inside else n]
            break
        if any(toks[r].word in CONNECTORS for r in run[:n]):
            continue  # "Court of Justice", "Ministry of Defense"
        if t.word.lower() in TITLES | TAILS:
            run = run[:n]  # "Foreign Ministry Spokesperson Mao Ning"
            break
    while run and toks[run[-1]].word not in HEADS and not _after_connector(toks, run):
        run = run[:-1]
    while run and toks[run[-1]].word in CONNECTORS | {"the", "and"}:
        run = run[:-1]
    heads = [n for n, r in enumerate(run) if toks[r].word in HEADS]
    if not heads:
        return
    head = toks[run[heads[-1]]].word
    first = toks[run[0]]
    start = first.start
    if "-" in first.word:  # "Russia-Arab League": the state is the other party
        before, _, after = first.word.rpartition("-")
        if state_code(before) and after[:1].isupper():
            start = first.end - len(after)
    if len(run) == 1 and (head not in ALONE_HEADS or first.initial):
        return
    end = toks[run[-1]].end
    if text[start:end] in NOT_BODIES or (head in MEDIA and len(run) == 1):
        return
    _add_name(scan, run, start, HEADS[head], acronym if end == run_end else None)


def _spelled_by(scan: BodyScan, run: list[int], letters: str) -> list[int]:
    """The run, or the run with words before it that "and" or "of" cut off, whose
    initials are the acronym after it: "National Intelligence and Security Agency"."""
    toks = scan.tokens
    first = run[0]
    while first > 0 and run[0] - first < 8 and _initials(scan, run) != letters:
        if not scan.joined(first - 1, first):
            break
        first -= 1
        longer = list(range(first, run[-1] + 1))
        if toks[first].capital and _initials(scan, longer) == letters:
            return longer
        if not (toks[first].capital or toks[first].word in CONNECTORS | {"and", "the"}):
            break
    return run


def _add_name(
    scan: BodyScan,
    run: list[int],
    start: int,
    kind_sector: tuple[ActorKind, str | None],
    acronym: re.Match[str] | None,
) -> None:
    toks, text = scan.tokens, scan.text
    end = toks[run[-1]].end
    name = text[start:end]
    words = name.split()
    kind, sector = kind_sector
    head = next((w for w in reversed(words) if w in HEADS), None)
    if (
        (IGO_PREFIX.match(name) and head != "Party")
        or (words[0] == "World" and head in WORLD_HEADS)
        or (words[0] in REGIONAL and head in REGIONAL_HEADS)
        or (words[0] == "International" and head in INTERNATIONAL_HEADS)
    ):
        sector = "IGO"
    elif "News" in words:
        sector = "MED"
    key = scan.alias_of.get(name, name.casefold())
    known = scan.bodies.get(key)
    if known is not None:  # data: "Syrian Democratic Forces" is a movement
        kind, country = known.kind, known.country
    else:  # from the words before "of": not "Inter-Parliamentary Alliance on China"
        modifiers = next((words[:n] for n, w in enumerate(words) if w in CONNECTORS), words)
        country = scan.owner_country(run[0])
        country = country or next(filter(None, map(state_code, modifiers)), None)
        owner = re.search(r" of (?:the )?([^()]+)$", name)  # "Guard Corps of Iran"
        country = country or (state_code(owner.group(1)) if owner else None)
    found = scan.body(key, kind, sector, country)
    found.head = found.head or (head.lower() if head else None)
    found.names.append((start, end))
    if acronym:
        letters = acronym.group(1)
        if letters in scan.alias_of:  # "World Food Program (WFP)": the data's WFP
            _merge(scan, scan.alias_of[letters], key)
        scan.alias_of[letters] = key
        found.others.append(acronym.span(1))


def _merge(scan: BodyScan, source: str, target: str) -> None:
    if source == target or source not in scan.bodies or target not in scan.bodies:
        return
    old, new = scan.bodies.pop(source), scan.bodies[target]
    new.others += old.names + old.others
    new.sector, new.country = new.sector or old.sector, new.country or old.country
    for form, key in scan.alias_of.items():
        if key == source:
            scan.alias_of[form] = target


def _known(scan: BodyScan) -> None:
    """Metonyms, movements, acronyms and bodies named without an organisation word."""
    for forms, kind, sector, country in KNOWN:
        key = forms[0].casefold()
        for n, form in enumerate(forms):
            scan.alias_of[form] = key
            for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", scan.text):
                body = scan.body(key, kind, sector, country)
                (body.names if n == 0 else body.others).append(m.span())


def _acronyms(scan: BodyScan) -> None:
    """All-capital words standing alone, outside a longer capitalised name: "NATO",
    "the IAEA said"; their letters may spell a name found ("UN", "United Nations")."""
    toks = scan.tokens
    found: dict[str, list[tuple[int, int]]] = {}
    for i, t in enumerate(toks):
        if not ACRONYM.fullmatch(t.word) or t.word in NOT_ACRONYMS or state_code(t.word):
            continue
        near = [toks[j].word for j in range(i - 3, i + 4) if j != i and 0 <= j < len(toks)]
        shouted = [w for w in near if w.isalpha() and w.isupper() and len(w) > 1]
        if len(shouted) >= 2 or any(len(w) > 6 for w in shouted):
            continue  # words in capitals for emphasis, not an acronym
        prev_cap = i > 0 and scan.joined(i - 1, i) and toks[i - 1].capital
        nxt = toks[i + 1] if i + 1 < len(toks) and scan.joined(i, i + 1) else None
        next_cap = nxt is not None and nxt.capital and nxt.word.lower() not in TITLES
        if not (prev_cap and toks[i - 1].word.lower() not in LEADING) and not next_cap:
            found.setdefault(t.word, []).append((t.start, t.end))
    spelled = {
        spelling: key
        for key, b in scan.bodies.items()
        if b.names
        for spelling in (_spell(key), _spell(key, connectors=True))
        if spelling
    }
    for word, spans in found.items():
        key = scan.alias_of.get(word) or spelled.get(word.replace(".", ""))
        if key is None and not _acronym_like(scan, word):
            continue
        body = scan.body(key or word.casefold(), "organisation", None, None)
        (body.others if body.names else body.names).extend(spans)
    for key in list(scan.bodies):  # the data's "WFP" in an article that names it in full
        target = spelled.get(key.upper().replace(".", ""))
        if ACRONYM.fullmatch(key.upper()) and target:
            _merge(scan, key, target)


def _acronym_like(scan: BodyScan, word: str) -> bool:
    """Whether an acronym neither the data nor the article spells out names a body:
    three letters or more, never in the plural ("ICBMs": a thing, not a body)."""
    plural = re.search(rf"\b{re.escape(word)}s\b", scan.text)
    return len(word.replace(".", "")) >= 3 and plural is None


def _merge_suffixes(scan: BodyScan) -> None:
    """ "Central Command" after "U.S. Central Command" is the same body: a name that
    another ends with, after a state or U.N. prefix only."""
    for key, body in list(scan.bodies.items()):
        longer = [
            other
            for k, other in scan.bodies.items()
            if k.endswith(" " + key) and other.names and other.kind == body.kind
        ]
        if len(longer) != 1 or body.country not in (None, longer[0].country):
            continue
        a, b = longer[0].names[0]
        prefix = scan.text[a:b].split()[: -len(key.split())]
        if all(state_code(re.sub(r"['’]s?$", "", w)) or w in ("U.N.", "UN") for w in prefix):
            longer[0].others += body.names + body.others
            del scan.bodies[key]


def _after_connector(toks: list[Token], run: list[int]) -> bool:
    """The run continues a head with "of"/"for"/"on" + name: "Ministry of Defense"."""
    words = [toks[r].word for r in run]
    return any(w in HEADS for w in words) and any(
        words[n] in CONNECTORS and any(w in HEADS for w in words[:n]) for n in range(len(words))
    )


def _initials(scan: BodyScan, run: list[int]) -> str:
    words = [scan.tokens[r].word for r in run]
    return "".join(
        (w[3:] if w[:3].lower() in ("al-", "el-") else w)[:1].upper()
        for w in words
        if w not in CONNECTORS and w not in ("the", "and")
    )


def _spell(key: str, *, connectors: bool = False) -> str:
    """The acronym a name's initials spell: "world food program" -> "WFP",
    "immigration and customs enforcement" -> "ICE"; with `connectors`, "of" counts too:
    "department of justice" -> "DOJ"."""
    skip = {"the", "and", "&"} | (set() if connectors else set(CONNECTORS))
    words = [w for w in key.split() if w not in skip]
    return "".join(w[:1] for w in words).upper() if len(words) > 1 else ""
