"""What code can find in an article before any model reads it: people named in it,
quotations, places, and who most likely said what.

Everything here is a span of the text, so whatever a model later picks from these
lists is grounded by construction. The rules are the plain ones of news style
("Foreign Minister Sergey Lavrov", "Lavrov said", "he noted"), not a full NER.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Literal

from summarizer.article import Article, Sentence
from summarizer.extraction.lexicon import (
    DEPARTMENT_WORDS,
    FUNCTION_WORDS,
    GOV_TITLES,
    MIL_TITLES,
    NAME_PARTICLES,
    NOT_NAMES,
    TITLES,
)
from summarizer.extraction.state_words import OFFICES
from summarizer.extraction.states import is_state_word, state_code, state_names
from summarizer.quotations import Quotation

__all__ = [
    "ActorCandidate",
    "ActorKind",
    "Quotation",
    "find_people",
    "find_places",
    "find_quotations",
    "speaker_order",
    "surname",
]

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


def _country(word: str) -> str | None:
    """The state a nationality word names: "Russian", "U.S.", "South Korean"."""
    return state_code(word)


def _adjective(word: str) -> bool:
    """A state's adjective as written ("Emirati", "U.S."), not its name ("Jordan")."""
    code = state_code(word)
    return code is not None and word not in state_names()


def _leading_state(words: list[tuple[int, str]], i: int) -> bool:
    """A state's name opening a run of three or more words ("Myanmar Andrew Kirkwood",
    the U.N.'s man for Myanmar) describes the name after it; "Georgia Bell" and "Michael
    Jordan" are names."""
    return i == 0 and len(words) >= 3 and is_state_word(words[0][1])


def _is_title(word: str) -> bool:
    """A title or nationality word, hyphenated ones too ("Secretary-General")."""
    w = word.lower().rstrip(".")
    if w in TITLES or (word[:1].isupper() and _adjective(word)):
        return True
    parts = w.split("-")
    return len(parts) > 1 and all(part in TITLES for part in parts)


ActorKind = Literal["person", "organisation", "state", "group", "office"]


@dataclass
class ActorCandidate:
    """An actor the article names (a person, a state, an organisation, a group) or
    describes (an unnamed office-holder), with the spans where it does."""

    name: str
    aliases: list[str] = field(default_factory=list)
    title: str | None = None
    country: str | None = None
    sector: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    titled: bool = False  # named after a title or a role word ("counterpart John Doe")
    kind: ActorKind = "person"
    represents: str | None = None  # the name of the state or organisation it speaks for

    @property
    def surname(self) -> str:
        return surname(self.name)


def surname(name: str) -> str:
    """The last word of a name without an Arabic article or a generational suffix:
    "Asaad al-Shaibani" -> "Shaibani", "Lloyd J. Austin III" -> "Austin"."""
    words = name.split()
    last = words[-2] if len(words) > 2 and _suffix(words[-1]) else words[-1]
    for particle in ("al-", "el-"):
        if last.lower().startswith(particle) and len(last) > len(particle):
            return last[len(particle) :]
    return last


def _one_office(words: list[str]) -> bool:
    """An office's words join two departments only ("Minister of Foreign and European
    Affairs"), never a name and another office."""
    return all(
        words[i - 1].lower() in DEPARTMENT_WORDS
        for i, w in enumerate(words)
        if w in ("and", "&") and i > 0
    )


def _initial(text: str, i: int, at: int, word: str) -> bool:
    """A middle initial ("Thomas A. Whitcombe"), not the article "A" opening a run."""
    return i > 0 and len(word) == 1 and text[at + 1 : at + 2] == "."


def _suffix(word: str) -> bool:
    """A generational suffix after a surname: "Jr.", "III"."""
    return word.rstrip(".,").lower() in _SUFFIXES


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def find_people(article: Article) -> list[ActorCandidate]:
    """Names of two or more capitalised words, or one after a title, outside quotes;
    each later bare surname ("Lavrov", "Shaibani") becomes an alias."""
    text = article.text
    quoted = find_quotations(article)
    people: list[ActorCandidate] = []
    for run_start, words in _split_possessives(_capitalised_runs(text)):
        if _inside(run_start, quoted):
            continue
        while words and words[0][1].lower() in FUNCTION_WORDS:
            words.pop(0)  # "Like Lutnick, …", "Two U.S. officials"
        modifier = max((i for i, (_, w) in enumerate(words) if _MODIFIER.search(w)), default=-1)
        words = words[modifier + 1 :]  # "Muslim-led Seleka", "Beijing-based TechMoat"
        if words and any(
            state_code(text[words[i][0] : words[-1][0] + len(words[-1][1])]) is not None
            for i in range(len(words))
        ):
            continue  # ends in a state's name: "Saudi Arabia", "the Central African Republic"
        # "Secretary of Commerce Laura M. Whitfield", "Minister of Foreign Affairs Ana
        # Ruiz": the run opens with the office's department, the name is its end.
        window = max(0, run_start - 80)
        office = _OFFICE_OF.search(text[window:run_start])
        if office and (
            office.group(1).lower() not in TITLES or not _one_office(office.group().split())
        ):
            office = None  # "Secretary of State Vivian Marchetti and New Zealand ..."
        department: list[str] = []
        if office and len(words) >= 3:
            # "Paul T. Dawson III": the initial and the suffix belong to the name.
            suffix = 1 if _suffix(words[-1][1]) else 0
            base = words[: len(words) - suffix]
            keep = (3 if len(base) >= 4 and len(base[-2][1]) == 1 else 2) + suffix
            # "Minister of Defence Ibrahim Danjuma Yakubu": the department's words end
            # where the name begins
            named = len(
                list(itertools.dropwhile(lambda w: w[1].lower() in DEPARTMENT_WORDS, words))
            )
            if named >= keep and named < len(words):
                keep = named
            # "Special Envoy for the Horn of Africa", "Minister of Foreign and European
            # Affairs": the office runs from its title to the name.
            written = text[window + office.start() : run_start].split()
            # "Ethiopian Minister of Water", "Deputy Secretary of State": the words
            # before the office belong to it
            before = _preceding_titles(text, window + office.start())
            department = [*before, *written, *(w for _, w in words[:-keep])]
            words = words[-keep:]
        elif office and len(words) == 2 and is_state_word(words[0][1]):
            # "Foreign Minister of Ghana Mensah-Boateng"
            department = [*text[window + office.start() : run_start].split(), words[0][1]]
            words = words[1:]
        # Words up to the last title or nationality describe the name that follows:
        # "European Commission President Ursula von der Leyen".
        cut = max(
            (i for i, (_, w) in enumerate(words) if _is_title(w) or _leading_state(words, i)),
            default=-1,
        )
        titles = [w for _, w in words[: cut + 1]]
        words = words[cut + 1 :]
        if any(
            w.lower() in NOT_NAMES and not _initial(text, i, at, w)
            for i, (at, w) in enumerate(words)
        ):
            continue
        if not words:
            continue
        start, end = words[0][0], words[-1][0] + len(words[-1][1])
        name = text[start:end]
        if len(words) == 1 and not titles:
            continue  # a bare word: a surname alias at most, handled below
        known = next((p for p in people if _same_person(p, name)), None)
        if known is not None:
            if len(name.split()) > len(known.name.split()):
                # "Secretary Halvorsen's call ... Secretary Erik Halvorsen": the fullest
                # name is the name, the shorter one an alias.
                known.name, name = name, known.name
            if name != known.name and name not in known.aliases:
                known.aliases.append(name)
            known.mentions.append((start, end))
            continue
        person = ActorCandidate(name=name, mentions=[(start, end)])
        described = _description(text, run_start)
        if described:  # "his Syrian counterpart Asaad al-Shaibani"
            person.aliases.append(described)
        titles = department or (_preceding_titles(text, run_start) + titles)
        apposed = _APPOSED_ROLE.search(text[max(0, run_start - 40) : run_start])
        if not titles and apposed and apposed.group(2).lower() in TITLES:
            titles = apposed.group(1).split()  # "A spokesman, Ahmed Karimi, said"
        person.titled = bool(titles)
        lowered = [t.lower().rstrip(".") for t in titles]
        pairs = [f"{a} {b}" for a, b in itertools.pairwise(titles)]
        person.country = next((c for t in [*pairs, *titles] if (c := _country(t))), None)
        if person.country is None and titles:  # "Russia's President Vladimir Putin"
            owner = _OWNING_STATE.search(text[max(0, run_start - 40) : run_start])
            person.country = state_code(owner.group(1)) if owner else None
        if person.country is None and titles:  # "Crown Prince Faisal of Bahrain"
            of = _OF_STATE.match(text, end)
            person.country = state_code(of.group(1)) if of else None
        role = [
            t
            for i, t in enumerate(titles)
            if (not _country(t) or (i > 0 and titles[i - 1] in ("to", "of", "for")))
            and t.lower() != "counterpart"
            # "South" of "South Korean Foreign Minister" is part of the nationality
            and not (i + 1 < len(titles) and _country(f"{t} {titles[i + 1]}"))
            and not (i > 0 and _country(f"{titles[i - 1]} {t}"))  # "Zealand" of "New Zealand"
        ]
        person.title = " ".join(role) or None
        after = _TITLE_AFTER.match(text, end) if not titles else None
        if after and after.group(1).split()[-1].lower() in TITLES:
            # "Matías Aránguiz Valdés, Minister of Foreign Affairs of Chile, said"
            person.title, person.titled = after.group(1) + (after.group(2) or ""), True
            states = [state_code(m.group(1)) for m in _OF_STATE.finditer(after.group())]
            person.country = next((c for c in states if c), person.country)
        if person.title is None and "counterpart" in lowered and people:
            person.title = people[-1].title  # "Lavrov and his counterpart al-Shaibani"
        if any(t in MIL_TITLES for t in lowered):
            person.sector = "MIL"
        elif any(t in GOV_TITLES for t in lowered):
            person.sector = "GOV"
        people.append(person)
    for person in people:
        # The surname, and the first word for names written surname first ("Lee" of
        # "Lee Jae-sung", "Xi" of "Xi Jinping"): news calls a person by either alone.
        first = person.name.split()[0]
        given_first = (
            len(person.name.split()) > 1
            and first.lower() not in NAME_PARTICLES | TITLES
            and not is_state_word(first)
        )
        last = person.name.split()[-1]
        ends = (person.surname, *([] if _suffix(last) else [last]))
        for alias in (*ends, *([first] if given_first else [])):
            sharing = [p for p in people if alias in (p.surname, p.name.split()[-1])]
            for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text):
                at = (m.start(), m.end())
                if any(a <= at[0] < b for p in people for a, b in p.mentions):
                    continue  # quoted mentions are kept too: users of them filter by role
                if len(sharing) > 1 and _nearest_before(sharing, at[0]) is not person:
                    continue  # "Castro" after "Fidel Castro" is Fidel, not Raul
                person.mentions.append(at)
                if alias != person.name and alias not in person.aliases and len(sharing) == 1:
                    person.aliases.append(alias)
        person.mentions.sort()
    for person in people:
        if person.country is None:
            # "Deputy Secretary of State Vivian Marchetti": the office says the state
            before = [text[max(0, a - 45) : a].lower().rstrip() for a, _ in person.mentions]
            person.country = next(
                (c for o, c in OFFICES.items() for b in before if b.endswith(o)), None
            )
        if person.country is None:
            # "Minister of Defence Yakubu" in a headline, "Nigerian Minister of Defence
            # Ibrahim Danjuma Yakubu" in the text: any mention's nationality is theirs
            person.country = next(
                (
                    c
                    for a, _ in person.mentions
                    for t in _preceding_titles(text, a)
                    if (c := _country(t))
                ),
                None,
            )
    return [p for p in people if _person_like(p, text)]


# "Muslim-led", "Beijing-based", "Kremlin-backed", "Russian-speaking": a capitalised
# word made a modifier; "Lee Jae-sung" and "Jean-Yves" are names.
_MODIFIER = re.compile(r"-(?:[a-z]+(?:ed|en|ing)|based|born|run|made|built|held|owned)$")
# "the EU's special envoy, Tomas Lindqvist, said": a name in apposition to its role.
_APPOSED_ROLE = re.compile(r"\b((?:(?:special|chief|top|senior|deputy|former)\s+)*(\w+))\s*,\s*$")
_PLACE_AFTER = re.compile(
    r"\b(?:[Ii]n|[Aa]t|(?:travel\w*|flew|fly|flies|trip) to|[Vv]isit(?:s|ed)?(?: to)?)\s+"
    r"(?:the\s+)?"
    r"((?:[^\W\d_][\w\-]*)(?:\s+(?:(?:of|de|del|da|la)\s+)?[A-Z][\w\-]*)*)"
)
# A gathering is where people meet, not a place: "at the NATO Foreign Ministerial".
_GATHERING = frozenset(
    "summit ministerial conference meeting meetings forum session dialogue talks assembly "
    "games olympics festival expo week".split()
)
_OFFICE_OF = re.compile(  # within one line: a headline is not the next line's title
    r"\b([A-Za-z]+) +(?:of|for|to) +"
    r"(?:(?:the +)?[A-Z][\w\-]* +(?:(?:of|for|and|&|on) +)?)*(?:the +)?$"
)
_TITLE_AFTER = re.compile(
    r",\s+(?:the\s+)?((?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*)((?:\s+(?:of|for|to)\s+[^,.;]{1,60})?),"
)
_OF_STATE = re.compile(r" of (?:the )?([A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,3})")
_OWNING_STATE = re.compile(r"([A-Z][\w.]*(?: [A-Z][\w.]*)?)['\u2019]s\s+$")
_POSSESSIVE_WORD = re.compile(r"^(.+?)['’]s?$")
_ROLE_AFTER = re.compile(r"^,\s+(?:who|a|an|[a-z]+\s+(?:of|at|for|with))\b")


def _split_possessives(
    runs: list[tuple[int, list[tuple[int, str]]]],
) -> list[tuple[int, list[tuple[int, str]]]]:
    """ "Omar al-Bashir's government" names Omar al-Bashir; in "China's Sinovac Biotech"
    the owner and the owned are two runs."""
    out = []
    for _, words in runs:
        current: list[tuple[int, str]] = []
        for start, word in words:
            m = _POSSESSIVE_WORD.match(word) if word[-2:] in ("'s", "’s") else None
            if m is None:
                current.append((start, word))
                continue
            current.append((start, m.group(1)))
            out.append((current[0][0], current))
            current = []
        if current:
            out.append((current[0][0], current))
    return out


def _person_like(person: ActorCandidate, text: str) -> bool:
    """Capitalised runs name places, bodies and things as often as people. News names a
    person in full once, with a title or a role, and by surname afterwards; a run with
    none of these ("Sohae Satellite Launching Ground", "Burkina Faso") is left out."""
    words = person.name.split()
    if len(words[-1].strip(".")) < 2:
        return False  # "Republican U" of "Republican U.S. senators"
    if person.titled or person.title or person.country:
        return True
    ends = {surname(person.name), words[0]}
    alone = [
        m
        for end in ends
        for m in re.finditer(rf"(?<![\w-]){re.escape(end)}(?![\w-])", text)
        if not any(a <= m.start() < b for a, b in person.mentions if b - a > len(end))
    ]
    if alone:
        return True
    for a, b in person.mentions:
        before = text[max(0, a - 25) : a].split()[-1:]
        if _ROLE_AFTER.match(text[b : b + 20]) or any(_REPORTING.match(w) for w in before):
            return True
        if _REPORTING.match(text[b : b + 12].strip()) or _MEETS.match(text[b : b + 40]):
            return True
        if _MET.search(text[max(0, a - 30) : a]):
            return True
    return False


_REPORTING = re.compile(r"^(said|says|told|wrote|added|noted|asked)\b")
# "Kim Jong Un met visiting ...", "... held talks with Olaf Scholz": a name without a
# title that meets someone is a person's (a place or a body is caught before).
_MEETS = re.compile(
    r"^\s+(?:(?:has|had|have|will|would|also|then|later|again)\s+)*"
    r"(?:met|meets|meet|hosted|hosts|host|received|receives|welcomed|welcomes|visited|"
    r"visits|phoned|spoke|speaks|talked|held\s+talks|holds\s+talks)\b"
)
_MET = re.compile(
    r"\b(?:met|meets|meet|meeting|hosted|hosts|received|welcomed|visiting|"
    r"talks|spoke|speaks|talked|call|calls)(?:\s+(?:with|by))?\s+$"
)


def _nearest_before(people: list[ActorCandidate], offset: int) -> ActorCandidate:
    """The person among `people` named last before `offset` (else the first named)."""
    return max(people, key=lambda p: max((a for a, _ in p.mentions if a < offset), default=-1))


def find_quotations(article: Article) -> list[Quotation]:
    """The article's quotations (`Article.quotations`)."""
    return article.quotations


def speaker_order(
    article: Article, window: list[Sentence], people: list[ActorCandidate]
) -> list[ActorCandidate]:
    """People most likely to have said what some sentences quote or report, best
    first: one named in them outside quotes, else for "he said" and "the minister"
    the person named last before them; the rest by closeness."""
    quoted = find_quotations(article)
    start, end = window[0].start, window[-1].end
    in_sentence = [
        p for p in people if any(start <= a < end and not _inside(a, quoted) for a, _ in p.mentions)
    ]

    def last_mention_before(p: ActorCandidate) -> int:
        before = [a for a, _ in p.mentions if a < start and not _inside(a, quoted)]
        return max(before, default=-1)

    by_recency = sorted(people, key=last_mention_before, reverse=True)
    ordered = in_sentence + [p for p in by_recency if p not in in_sentence]
    return [p for p in ordered if last_mention_before(p) >= 0 or p in in_sentence] or ordered


def find_places(article: Article, people: list[ActorCandidate]) -> list[str]:
    """Capitalised names after "in" or "at" ("at the White House" too), or where someone
    travels ("travel to Beijing", "visited Hanoi"), that are neither people nor
    gatherings."""
    # A body can be where people meet ("at the White House", "in the Kremlin"); a person
    # cannot.
    names = {w for p in people if p.kind == "person" for w in (p.name, *p.aliases)}
    places: list[str] = []
    for m in _PLACE_AFTER.finditer(article.text):
        place = m.group(1)
        known = place in names or place in places or place.lower() in NOT_NAMES
        gathering = any(w.lower().strip("'’") in _GATHERING for w in place.split())
        if place[:1].isupper() and not known and not gathering and len(place) > 2:
            places.append(place)
    return places


def _capitalised_runs(text: str) -> list[tuple[int, list[tuple[int, str]]]]:
    """Runs of capitalised words separated by single spaces; a lowercase name particle
    between two of them stays in the run ("Ursula von der Leyen")."""
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    runs: list[tuple[int, list[tuple[int, str]]]] = []
    current: list[tuple[int, str]] = []
    pending: list[tuple[int, str]] = []  # particles waiting for a capitalised word
    last_end = -1
    for start, end, word in tokens:
        bare = word
        for particle in ("al-", "el-"):
            if word.lower().startswith(particle) and len(word) > len(particle):
                bare = word[len(particle) :]
        capital = bare[:1].isupper() or word.lower().rstrip(".") in ("u.s",)
        gap = text[last_end:start] if current else ""
        # "Antony J. Blinken": an initial's stop does not end the run.
        initial = (
            gap == ". "
            and bool(current)
            and len(current[-1][1]) == 1
            and text[current[-1][0] - 1 : current[-1][0]] in (" ", "")  # not "U.S. Sheinbaum"
        )
        joined = bool(current) and (gap in (" ", "") or initial)
        if capital and (joined or not current):
            current += pending
            current.append((start, word.rstrip("'’")))
        elif capital:
            runs.append((current[0][0], current))
            current = [(start, word.rstrip("'’"))]
        elif current and joined and word in NAME_PARTICLES and len(pending) < 2:
            pending.append((start, word))
            last_end = end
            continue
        else:
            if current:
                runs.append((current[0][0], current))
            current = []
        pending = []
        last_end = end
    if current:
        runs.append((current[0][0], current))
    return runs


def _preceding_titles(text: str, start: int) -> list[str]:
    """Title and nationality words just before a name, whatever their case."""
    words = text[max(0, start - 60) : start].split()
    found: list[str] = []
    for word in reversed(words):
        clean = word.strip(",;:()")
        if clean != word or not (clean.lower().rstrip(".") in TITLES or _adjective(clean)):
            break
        found.insert(0, clean)
    return found


def _description(text: str, start: int) -> str | None:
    """A description that stands before a name with its determiner, such as "his
    Syrian counterpart": the article may use it alone for the same person."""
    titles = _preceding_titles(text, start)
    if not titles or not any(t[:1].islower() for t in titles):
        return None
    before = text[max(0, start - 80) : start].split()
    determiner = before[-len(titles) - 1] if len(before) > len(titles) else ""
    if determiner.lower() not in ("his", "her", "their", "the"):
        return None
    return " ".join([determiner, *titles])


def _same_person(person: ActorCandidate, name: str) -> bool:
    """The same name, or one name's words inside the other's ("Lavrov", "Sergey
    Lavrov"), or a name's first word alone (written surname first); two full names
    with one surname and other given names ("Raul Castro",
    "Fidel Castro") are two people."""
    if name.lower() == person.name.lower():
        return True
    mine, theirs = (
        [w for w in n.lower().split() if not _suffix(w)] or n.lower().split()
        for n in (person.name, name)
    )
    short, full = sorted((mine, theirs), key=len)
    if len(short) == 1 and len(full) > 1 and short[0] in full and short[0] not in TITLES:
        # "Park" of "Park Min-jae", "Minister Dawit" of "Dawit Gebremedhin", "Minister
        # Ferreyra" of "Julián Ferreyra Sosa" (a first surname)
        return short[0] not in NAME_PARTICLES
    if mine[-1] != theirs[-1]:
        return False
    return set(mine[:-1]) <= set(theirs[:-1]) or set(theirs[:-1]) <= set(mine[:-1])


def _inside(offset: int, quotes: list[Quotation]) -> bool:
    return any(q.start <= offset < q.end for q in quotes)
