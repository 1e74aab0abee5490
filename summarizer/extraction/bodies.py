# ruff: noqa: RUF001
"""Actors that are neither people nor bare states: organisations ("Russian Foreign
Ministry", "the United Nations", "NATO"), groups ("an Israeli delegation", "Hamas") and
office-holders the article does not name ("the Syrian president", "our presidents").

The rules are those of news style, like those of `candidates.py`: a capitalised name
ends in (or starts with, before "of"/"for"/"on") an organisation word such as Ministry or
Council; an acronym in brackets after a name is its alias; a group is a nationality or a
body's name before a collective noun ("Egyptian mediators", "U.N. officials"); an office
is a determiner, an optional nationality and a title ("the Syrian president"). A few
names are data, not rules: metonyms ("the Kremlin"), well-known movements ("Hamas"),
bodies named without an organisation word ("Human Rights Watch") and acronyms whose
sector a rule cannot tell ("NATO"). An acronym the data does not know counts when it
stands alone somewhere (not only inside a longer name) and never in the plural. Countries
come from `states.py`: a nationality in the name ("Russian Foreign Ministry") or a
possessive state before it ("Egypt's foreign ministry"). Each name and mention is a span
of the text, and none overlaps a person's mention; a name's mentions do not overlap one
another's, but a description may contain a name ("U.N. officials" and "U.N.").

An office ("the foreign minister") is returned only when no person in `people` holds it:
no one whose title has its word (and no other qualifier) and whose country is its own or
unknown. A person's alias ("his Syrian counterpart") is never an office.

Decisions: a group's name drops its article ("Israeli delegation"); an office's name keeps
its determiner ("the Syrian president", "our presidents"), since without it the phrase
names nobody. A plural office ("our presidents") is one candidate, returned unless the
article names two or more holders; callers that need the holders one by one split it.
"Front" heads an organisation ("Islamic Salvation Front"); Movement, Brigades and Militia
head groups. Coordinated nationalities ("U.S. and Iraqi officials") make one group with
no country. Media and news agencies are organisations of sector MED.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summarizer.article import Article
from summarizer.extraction.body_words import (
    ABSTRACT,
    ACRONYM,
    ACRONYM_AFTER,
    ALONE_HEADS,
    BODY_NOUNS,
    CONNECTORS,
    DAYS,
    DETERMINERS,
    GROUP_NOUNS,
    HEADS,
    IGO_PREFIX,
    INTERNATIONAL_HEADS,
    KNOWN,
    LEADERS,
    LEADING,
    MEDIA,
    MODIFIERS,
    NOT_ACRONYMS,
    NOT_BODIES,
    NOT_DESCRIBERS,
    OFFICE_MODIFIERS,
    OFFICES,
    QUALIFIERS,
    REGIONAL,
    REGIONAL_HEADS,
    TAILS,
    TIED,
    TOKEN,
    WORLD_HEADS,
)
from summarizer.extraction.candidates import ActorCandidate, ActorKind
from summarizer.extraction.lexicon import TITLES
from summarizer.extraction.states import state_code, state_name

__all__ = ["find_bodies"]


def _country_of(word: str) -> str | None:
    """The alpha-3 code of a state's name or adjective as written ("Russian", "U.S.")."""
    return state_code(word)


@dataclass
class _Token:
    start: int
    end: int  # without a possessive 's
    word: str
    possessive: bool
    initial: bool  # starts a sentence (or a quotation that starts one)

    @property
    def capital(self) -> bool:
        bare = self.word[3:] if self.word[:3].lower() in ("al-", "el-") else self.word
        return bare[:1].isupper()


@dataclass
class _Body:
    """A body being found: its spans as a full name and as an alias, and what it is."""

    kind: ActorKind
    sector: str | None
    country: str | None = None
    represents: str | None = None
    title: str | None = None
    head: str | None = None  # the word a bare "the ministry" would repeat
    names: list[tuple[int, int]] = field(default_factory=list)  # spans of the full name
    others: list[tuple[int, int]] = field(default_factory=list)  # aliases, acronyms
    plural: bool = False
    described: bool = False  # a description, not a name: may contain a name's span


class _Finder:
    """One article's tokens and the bodies found so far, by their casefolded name."""

    def __init__(self, article: Article, people: list[ActorCandidate]):
        self.text = text = article.text
        starts = {s.start for s in article.sentences}
        self.tokens: list[_Token] = []
        for m in TOKEN.finditer(text):
            word, end = m.group(), m.end()
            possessive = bool(re.search(r"['’]s?$", word))
            if possessive:
                word = re.sub(r"['’]s?$", "", word)
                end = m.start() + len(word)
            lead = text[max(0, m.start() - 1) : m.start()]
            initial = m.start() in starts or (lead in "\"“‘'(" and m.start() - 1 in starts)
            self.tokens.append(_Token(m.start(), end, word, possessive, initial))
        self.person_spans = sorted(span for p in people for span in p.mentions)
        self.people = people
        self.bodies: dict[str, _Body] = {}  # by the casefolded canonical name
        self.alias_of: dict[str, str] = {}  # a form as written -> its body's key

    # ---- helpers
    def joined(self, i: int, j: int) -> bool:
        """Tokens i and j (= i + 1) are one space apart within one sentence."""
        a, b = self.tokens[i], self.tokens[j]
        return self.text[a.end : b.start] == " " and not a.possessive and not b.initial

    def in_person(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.person_spans)

    def body(self, key: str, kind: ActorKind, sector: str | None, country: str | None) -> _Body:
        found = self.bodies.setdefault(key, _Body(kind, sector, country))
        found.sector = found.sector or sector
        found.country = found.country or country
        return found

    def state_at(self, i: int) -> tuple[int, str] | None:
        """The state whose name or adjective ends with token i, with the index of its
        first token: "Russian", "South Korean", "United States"; not the end of a longer
        name ("Voice of America")."""
        toks = self.tokens
        for first in (i - 2, i - 1, i):
            if first < 0 or not all(self.joined(k, k + 1) for k in range(first, i)):
                continue
            code = _country_of(self.text[toks[first].start : toks[i].end])
            if code is None:
                continue
            before = toks[first - 1] if first > 0 and self.joined(first - 1, first) else None
            if before and before.capital and before.word.lower() not in LEADING:
                return None  # "Voice of America", "Kurdish Regional"
            if before and before.word in CONNECTORS and first > 1:
                owner = toks[first - 2]
                if owner.capital and not owner.initial and self.joined(first - 2, first - 1):
                    return None
            return first, code
        return None

    def owner_country(self, i: int) -> str | None:
        """The state before token i if it is a possessive one: "Egypt's foreign ministry"."""
        if i == 0 or not self.tokens[i - 1].possessive:
            return None
        gap = self.text[self.tokens[i - 1].end : self.tokens[i].start]
        found = self.state_at(i - 1) if gap in ("'s ", "’s ", "' ", "’ ") else None
        return found[1] if found else None

    # ---- capitalised names
    def runs(self) -> list[list[int]]:
        """Capitalised words one space apart; after an organisation word, "of", "for" or
        "on" (and "the") joins the next capitalised word: "Ministry of Foreign Affairs"."""
        toks, runs, i = self.tokens, [], 0
        while i < len(toks):
            if not toks[i].capital:
                i += 1
                continue
            run = [i]
            while (k := run[-1] + 1) < len(toks) and self.joined(run[-1], k):
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
                if not all(self.joined(a, a + 1) for a in chain[:-1]):
                    break
                run.extend(chain)
            runs.append(run)
            i = run[-1] + 1
        return runs

    def named(self, run: list[int]) -> None:
        toks, text = self.tokens, self.text
        while run and (toks[run[0]].word.lower() in LEADING or not toks[run[0]].capital):
            run = run[1:]
        # "Kurdish-led", "Germany-based" describe what follows them.
        modifier = max(
            (n for n, r in enumerate(run) if re.search(r"-[a-z]", toks[r].word)), default=-1
        )
        run = run[modifier + 1 :]
        if not run:
            return
        run_end = toks[run[-1]].end
        acronym = ACRONYM_AFTER.match(text, run_end)
        if acronym:
            run = self.spelled_by(run, acronym.group(1).replace(".", ""))
        heads = [n for n, r in enumerate(run) if toks[r].word in HEADS]
        if not heads:
            letters = acronym.group(1).replace(".", "") if acronym else ""
            if len(run) >= 2 and _initials(self, run) == letters:
                # A name spelled out before its acronym is a body's, heads or not:
                # "Asia-Pacific Economic Cooperation (APEC)".
                self.add_name(run, toks[run[0]].start, ("organisation", None), acronym)
            return
        for n in range(heads[0] + 1, len(run)):
            t = toks[run[n]]
            if self.in_person(t.start, t.end):  # and a name cut short is no name
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
            if _country_of(before) and after[:1].isupper():
                start = first.end - len(after)
        if len(run) == 1 and (head not in ALONE_HEADS or first.initial):
            return
        end = toks[run[-1]].end
        if text[start:end] in NOT_BODIES or (head in MEDIA and len(run) == 1):
            return
        self.add_name(run, start, HEADS[head], acronym if end == run_end else None)

    def spelled_by(self, run: list[int], letters: str) -> list[int]:
        """The run, or the run with words before it that "and" or "of" cut off, whose
        initials are the acronym after it: "National Intelligence and Security Agency"."""
        toks = self.tokens
        first = run[0]
        while first > 0 and run[0] - first < 8 and _initials(self, run) != letters:
            if not self.joined(first - 1, first):
                break
            first -= 1
            longer = list(range(first, run[-1] + 1))
            if toks[first].capital and _initials(self, longer) == letters:
                return longer
            if not (toks[first].capital or toks[first].word in CONNECTORS | {"and", "the"}):
                break
        return run

    def add_name(
        self,
        run: list[int],
        start: int,
        kind_sector: tuple[ActorKind, str | None],
        acronym: re.Match[str] | None,
    ) -> None:
        toks, text = self.tokens, self.text
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
        key = self.alias_of.get(name, name.casefold())
        known = self.bodies.get(key)
        if known is not None:  # data: "Syrian Democratic Forces" is a movement
            kind, country = known.kind, known.country
        else:  # from the words before "of": not "Inter-Parliamentary Alliance on China"
            modifiers = next((words[:n] for n, w in enumerate(words) if w in CONNECTORS), words)
            country = self.owner_country(run[0])
            country = country or next(filter(None, map(_country_of, modifiers)), None)
            owner = re.search(r" of (?:the )?([^()]+)$", name)  # "Guard Corps of Iran"
            country = country or (_country_of(owner.group(1)) if owner else None)
        found = self.body(key, kind, sector, country)
        found.head = found.head or (head.lower() if head else None)
        found.names.append((start, end))
        if acronym:
            letters = acronym.group(1)
            if letters in self.alias_of:  # "World Food Program (WFP)": the data's WFP
                self.merge(self.alias_of[letters], key)
            self.alias_of[letters] = key
            found.others.append(acronym.span(1))

    def merge(self, source: str, target: str) -> None:
        if source == target or source not in self.bodies or target not in self.bodies:
            return
        old, new = self.bodies.pop(source), self.bodies[target]
        new.others += old.names + old.others
        new.sector, new.country = new.sector or old.sector, new.country or old.country
        for form, key in self.alias_of.items():
            if key == source:
                self.alias_of[form] = target

    def known(self) -> None:
        """Metonyms, movements, acronyms and bodies named without an organisation word."""
        for forms, kind, sector, country in KNOWN:
            key = forms[0].casefold()
            for n, form in enumerate(forms):
                self.alias_of[form] = key
                for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", self.text):
                    body = self.body(key, kind, sector, country)
                    (body.names if n == 0 else body.others).append(m.span())

    def acronyms(self) -> None:
        """All-capital words standing alone, outside a longer capitalised name: "NATO",
        "the IAEA said"; their letters may spell a name found ("UN", "United Nations")."""
        toks = self.tokens
        found: dict[str, list[tuple[int, int]]] = {}
        for i, t in enumerate(toks):
            if not ACRONYM.fullmatch(t.word) or t.word in NOT_ACRONYMS or _country_of(t.word):
                continue
            near = [toks[j].word for j in range(i - 3, i + 4) if j != i and 0 <= j < len(toks)]
            shouted = [w for w in near if w.isalpha() and w.isupper() and len(w) > 1]
            if len(shouted) >= 2 or any(len(w) > 6 for w in shouted):
                continue  # words in capitals for emphasis, not an acronym
            prev_cap = i > 0 and self.joined(i - 1, i) and toks[i - 1].capital
            nxt = toks[i + 1] if i + 1 < len(toks) and self.joined(i, i + 1) else None
            next_cap = nxt is not None and nxt.capital and nxt.word.lower() not in TITLES
            if not (prev_cap and toks[i - 1].word.lower() not in LEADING) and not next_cap:
                found.setdefault(t.word, []).append((t.start, t.end))
        spelled = {_spell(key): key for key, b in self.bodies.items() if b.names}
        for word, spans in found.items():
            key = self.alias_of.get(word) or spelled.get(word.replace(".", ""))
            if key is None and not self.acronym_like(word):
                continue
            body = self.body(key or word.casefold(), "organisation", None, None)
            (body.others if body.names else body.names).extend(spans)
        for key in list(self.bodies):  # the data's "WFP" in an article that names it in full
            target = spelled.get(key.upper().replace(".", ""))
            if ACRONYM.fullmatch(key.upper()) and target:
                self.merge(key, target)

    def acronym_like(self, word: str) -> bool:
        """Whether an acronym neither the data nor the article spells out names a body:
        three letters or more, never in the plural ("ICBMs": a thing, not a body)."""
        plural = re.search(rf"\b{re.escape(word)}s\b", self.text)
        return len(word.replace(".", "")) >= 3 and plural is None

    def merge_suffixes(self) -> None:
        """ "Central Command" after "U.S. Central Command" is the same body: a name that
        another ends with, after a state or U.N. prefix only."""
        for key, body in list(self.bodies.items()):
            longer = [
                other
                for k, other in self.bodies.items()
                if k.endswith(" " + key) and other.names and other.kind == body.kind
            ]
            if len(longer) != 1 or body.country not in (None, longer[0].country):
                continue
            a, b = longer[0].names[0]
            prefix = self.text[a:b].split()[: -len(key.split())]
            if all(_country_of(re.sub(r"['’]s?$", "", w)) or w in ("U.N.", "UN") for w in prefix):
                longer[0].others += body.names + body.others
                del self.bodies[key]

    # ---- described bodies, groups and offices
    def describer(self, i: int, *, name_only: bool) -> tuple[int, str | None, str | None] | None:
        """What token i (with some before it) is, if it can describe a body: a nationality
        (also coordinated ones, "Egyptian, Qatari and U.S."), a possessive state, a body's
        name, or (unless `name_only`) some other capitalised word ("Alawite fighters").
        Returns where the description starts, its country and what it represents."""
        toks, text = self.tokens, self.text
        t = toks[i]
        state = self.state_at(i)
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
                code = _country_of(prev.word)
                after = text[prev.end : toks[first - 1].start]
                if code is None or prev.possessive or after not in (" ", ", ", ""):
                    break
                first, codes = first - step, codes | {code}
            if len(codes) > 1:
                return toks[first].start, None, None
            return toks[first].start, country, state_name(country)
        for body in self.bodies.values():
            if body.kind in ("organisation", "group") and not body.described:
                for a, b in body.names + body.others:
                    if b == t.end and a <= t.start:
                        return a, body.country, text[a:b]
        if name_only or not t.capital or t.initial or t.word.lower() in NOT_DESCRIBERS:
            return None
        if t.possessive or self.in_person(t.start, t.end) or ACRONYM.fullmatch(t.word):
            return None
        if len(t.word) < 3:
            return None
        return t.start, None, None  # "Baath government", "Alawite fighters"

    def described(self) -> None:
        """ "Russian forces", "an Israeli delegation", "U.N. officials"; then offices."""
        toks, text = self.tokens, self.text
        for i, t in enumerate(toks):
            noun = t.word
            if noun in OFFICES or (noun.lower() in OFFICES and noun.istitle()):
                self.office(i)
                continue
            if noun not in BODY_NOUNS and noun not in GROUP_NOUNS:
                continue
            j = i - 1
            while j >= 0 and i - j <= 2 and toks[j].word in MODIFIERS and self.joined(j, j + 1):
                j -= 1
            if j < 0 or text[toks[j].end : toks[j + 1].start] not in (" ", "'s ", "’s "):
                continue
            if toks[j + 1].initial:
                continue
            found = self.describer(j, name_only=False)
            if found is None or self.in_person(found[0], t.end):
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
                org = self.bodies.get(self.alias_of.get(represents or "", ""))
                org = org or self.bodies.get((represents or "").casefold())
                if org is not None and sector == "GOV":
                    sector = org.sector  # "U.N. officials"
            body = self.body(text[start : t.end].casefold(), kind, sector, country)
            body.represents, body.head, body.described = represents, noun, True
            body.names.append((start, t.end))

    def office(self, i: int) -> None:
        """A determiner, maybe a nationality or a body, and a title: "the Syrian president",
        "our presidents", "Syria's president", "the U.N. special envoy"."""
        toks, text = self.tokens, self.text
        t = toks[i]
        end = t.end
        if t.word.lower() == "secretary" and text[end : end + 9] == " of state":
            end += 9
        elif i + 1 < len(toks) and self.joined(i, i + 1):
            after = toks[i + 1]
            if after.capital and after.word.lower() not in DAYS:
                return  # a title before a name: "the president Ahmed al-Sharaa"
        j, quals = i - 1, []
        while j >= 0 and toks[j].word.lower() in OFFICE_MODIFIERS and self.joined(j, j + 1):
            quals.append(toks[j].word.lower())
            j -= 1
        country = represents = None
        owner = None  # "North Korea's envoy": the owner is the determiner
        if j >= 0 and (found := self.describer(j, name_only=True)):
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
        if self.in_person(start, end) or any(
            phrase.casefold() == alias.casefold() for p in self.people for alias in p.aliases
        ):
            return
        title = " ".join([*reversed([q for q in quals if q in QUALIFIERS]), t.word.lower()])
        if end > t.end:
            title = "secretary of state"
        org = self.bodies.get(self.alias_of.get(represents or "", ""))
        sector = org.sector if org is not None and not country else _office_sector(title)
        body = self.body("office:" + phrase.casefold(), "office", sector, country)
        body.represents, body.title, body.described = represents, title, True
        body.plural = t.word.endswith("s") and not t.word.endswith("ss")
        body.names.append((start, end))

    def held(self, body: _Body) -> bool:
        """Whether the article names the holder(s) of an office: people whose title has
        the office's word and no other qualifiers, of its country or of none."""
        assert body.title is not None
        *quals, word = body.title.split()
        parts = set(word.removesuffix("s").split("-"))
        if body.title == "secretary of state":  # "Secretary of State Marco Rubio"
            quals, parts = [], {"state"}
        holders = 0
        for p in self.people:
            title = set((p.title or "").lower().replace("-", " ").split())
            if not (parts <= title or (parts == {"leader"} and LEADERS & title)):
                continue
            if quals and QUALIFIERS & title and QUALIFIERS & title != set(quals):
                continue
            if body.country and p.country and p.country != body.country:
                continue
            holders += 1
        return holders >= (2 if body.plural else 1)

    def tie_heads(self) -> None:
        """A bare "the ministry" or "the delegation" after the one body with that word."""
        heads: dict[str, list[_Body]] = {}
        for body in self.bodies.values():
            if body.head in TIED and body.names:
                heads.setdefault(body.head, []).append(body)
        for head, bodies in heads.items():
            if len(bodies) != 1:
                continue
            body = bodies[0]
            first = min(a for a, _ in body.names)
            for m in re.finditer(rf"\bthe ({re.escape(head)})\b", self.text, re.IGNORECASE):
                if m.start() > first:
                    body.others.append(m.span(1))


def _after_connector(toks: list[_Token], run: list[int]) -> bool:
    """The run continues a head with "of"/"for"/"on" + name: "Ministry of Defense"."""
    words = [toks[r].word for r in run]
    return any(w in HEADS for w in words) and any(
        words[n] in CONNECTORS and any(w in HEADS for w in words[:n]) for n in range(len(words))
    )


def _initials(finder: _Finder, run: list[int]) -> str:
    words = [finder.tokens[r].word for r in run]
    return "".join(
        (w[3:] if w[:3].lower() in ("al-", "el-") else w)[:1].upper()
        for w in words
        if w not in CONNECTORS and w not in ("the", "and")
    )


def _spell(key: str) -> str:
    """The acronym a name's initials spell: "world food program" -> "WFP"."""
    words = [w for w in key.split() if w not in CONNECTORS and w != "the"]
    return "".join(w[:1] for w in words).upper() if len(words) > 1 else ""


def _office_sector(title: str) -> str | None:
    word = title.split()[-1]
    if word.startswith("spokes"):
        return None  # speaks for a body the title does not name
    return "MIL" if word.startswith("commander") else "GOV"


def find_bodies(article: Article, people: list[ActorCandidate]) -> list[ActorCandidate]:
    """Organisations, groups and unnamed office-holders in `article`, in order of their
    first mention; no mention overlaps one of `people`'s, nor a longer name's."""
    finder = _Finder(article, people)
    finder.known()
    for run in finder.runs():
        finder.named(run)
    finder.acronyms()
    finder.merge_suffixes()
    finder.described()
    finder.tie_heads()
    taken: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    spans = [
        (span, key, n == 0)
        for key, body in finder.bodies.items()
        for n, group in enumerate((body.names, body.others))
        for span in group
    ]
    kept: dict[str, list[tuple[tuple[int, int], bool]]] = {}
    for (a, b), key, full in sorted(spans, key=lambda s: s[0][0] - s[0][1]):
        layer = finder.bodies[key].described
        if finder.in_person(a, b) or any(x < b and a < y for x, y in taken[layer]):
            continue
        taken[layer].append((a, b))
        kept.setdefault(key, []).append(((a, b), full))
    out: list[ActorCandidate] = []
    for key, found in kept.items():
        body = finder.bodies[key]
        if body.kind == "office" and finder.held(body):
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
