"""An actor's name as the article writes it, when the model wrote it otherwise.

A capable model normalises: "United States" for the article's "U.S.", "Antony Blinken"
for "Antony J. Blinken", "Mevlut Cavusoglu" for "Mevlüt Çavuşoğlu", "Cameroonian
officials" for "Cameroon officials". Each rule below finds the article's own words for
the same actor, so the name shown is always text of the article; none of them matches
one letter off, and none moves an actor to another state.

In order:
1. an alias of the answer that the article does use (a person's only if it shares a
   word of the name: "Hamdok" for "Abdalla Hamdok");
2. the same words, ignoring case, accents, and the punctuation and spacing between them
   ("Kim Jong-un" and "Kim Jong Un"; "U.N. Security Council" and "UN Security Council");
3. a person's name without the titles before it ("U.S. President Joe Biden"), and with
   middle names or initials between its words ("Antony J. Blinken");
4. a person's surname alone, when no one else in the article has it with another given
   name;
5. a state by any form of its name the gazetteer knows: its name, its adjective, and,
   where the article uses it for the government, its capital ("Washington said");
6. a group, an office or an organisation by its head phrase: the longest end of the
   name, two words or more, that the article uses ("Security Council" for "U.N. Security
   Council"), with a state word inside it matched by any form of that state ("Cameroonian
   officials" for "Cameroon officials");
7. an organisation by its initials, either way ("U.N." for "United Nations", "North
   Atlantic Treaty Organization" for "NATO").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from summarizer.article import Article
from summarizer.extraction.lexicon import FUNCTION_WORDS, TITLES
from summarizer.extraction.states import find_states, state_code, state_forms

__all__ = ["Resolution", "head_occurs", "resolve_name"]

_TOKEN = re.compile(r"\w+")
_GAP = r"[\W_]*"  # what may stand between two words: nothing, spaces, dots, hyphens
_POSSESSIVE = re.compile("['\u2019]s$")
_NOT_PROPER = FUNCTION_WORDS | {"the", "a", "an", "of", "and", "for", "in", "on", "at"}


@dataclass(frozen=True)
class Resolution:
    name: str
    """The article's words for the actor."""
    how: str
    """Which rule found them, for the diagnostic."""


def resolve_name(actor: Mapping[str, Any], article: Article) -> Resolution | None:
    """The article's words for an actor whose name it does not contain as written."""
    name = actor.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    kind = actor.get("kind", "person")
    aliases = [a for a in actor.get("aliases") or [] if isinstance(a, str)]
    said = [a for a in aliases if article.mentions(a) and (kind != "person" or _part_of(a, name))]
    if said:
        return Resolution(max(said, key=len), "its alias")
    folded = _Folded.of(article.text)
    found = folded.find(_words_pattern(name))
    if found is not None:
        return Resolution(found, "the same words, written differently")
    if kind == "person":
        return _person(name, article, folded)
    if kind == "state":
        country = actor.get("country")
        code = state_code(name.removeprefix("the ")) or (
            country if isinstance(country, str) else None
        )
        mention = _state_mention(article.text, code) if code else None
        return Resolution(mention, "a name of the same state") if mention else None
    return _head_phrase(name, article, folded) or _initials(name, article)


# Heads of descriptions of people acting for a body ("Turkish intelligence officers"):
# the article may word the people otherwise ("Turkish intelligence said"), the body not.
_PEOPLE_HEADS = frozenset(
    {
        *("officials", "officers", "authorities", "representatives", "diplomats"),
        *("delegates", "delegation", "negotiators", "sources", "spokespeople", "leaders"),
        *("ministers", "lawmakers", "members", "staff", "team", "envoys", "aides"),
        *("advisers", "advisors", "commanders", "troops", "forces"),
    }
)


def head_occurs(name: str, article: Article) -> bool:
    """Whether the article supports a description however it is worded: its head (the
    last word: "officials", "mission") occurs, singular or plural; or, for people acting
    for a body ("Turkish intelligence officers"), the body's words do. An invented body
    ("Arab League Secretariat" where the article has only an "Arab League summit") has
    no such support."""
    words = _TOKEN.findall(name)
    if not words or len(words[-1]) < 3:
        return False
    head, body = words[-1], name.split()[:-1]
    if not body or all(w.lower() in _NOT_PROPER for w in body):
        return False  # "the officials": nothing to tell it from any other group
    if any(article.mentions(w) for w in {head, _singular(head), head + "s"}):
        return True
    if head.lower() not in _PEOPLE_HEADS:
        return False
    return _Folded.of(article.text).find(_words_pattern(" ".join(body))) is not None


def _person(name: str, article: Article, folded: _Folded) -> Resolution | None:
    words = name.split()
    while len(words) > 1 and _title_word(words[0]):
        words.pop(0)  # "U.S. Secretary of State Antony Blinken" -> "Antony Blinken"
    if len(words) < len(name.split()):
        bare = " ".join(words)
        found = folded.find(_words_pattern(bare)) if len(words) > 1 else _only_one(bare, folded)
        if found is not None:
            return Resolution(found, "the name without its title")
        name = bare
    tokens = _TOKEN.findall(_fold(name))
    if len(tokens) < 2:
        return None
    # Middle names or initials between the words: capitalised words, at most two.
    middle = r"(?:[\W_]+[A-Z]\w*\.?){0,2}[\W_]+"
    pattern = r"(?<!\w)" + middle.join(re.escape(t) for t in tokens) + r"(?!\w)"
    found = folded.find(pattern, ignore_case=False)
    if found is not None:
        return Resolution(found, "the name with a middle name or initial")
    surname, given = tokens[-1], {t.lower() for t in tokens[:-1]}
    at = list(re.finditer(rf"(?<!\w){re.escape(surname)}(?!\w)", folded.text))
    if not at:
        return None
    for m in at:
        before = folded.text[max(0, m.start() - 60) : m.start()].split()[-1:] or [""]
        word = before[0].strip(".,;:'\"()").lower()
        other = before[0][:1].isupper() and word not in TITLES and word not in given
        if other and state_code(before[0]) is None:
            return None  # someone else of that surname: "Raul Castro", not "Fidel"
    return Resolution(article.text[at[0].start() : at[0].end()], "the surname")


def _only_one(surname: str, folded: _Folded) -> str | None:
    """The one name the article ends with `surname` ("Joe Biden" for "President Biden"),
    or the surname alone where the article never gives more; None when two people share
    it ("Raul Castro", "Fidel Castro")."""
    word = _fold(surname)
    before = r"(?:(?:[A-Z]\.|[A-Z][\w'\-]*) )*"  # capitalised words and initials, no stops
    runs = re.finditer(rf"(?<!\w){before}{re.escape(word)}(?!\w)", folded.text)
    full = set()
    for run in runs:
        words = run.group().split()
        while len(words) > 1 and (_title_word(words[0]) or words[0].lower() in _NOT_PROPER):
            words.pop(0)  # "Prime Minister Hamdok" and "Then Hamdok" are Hamdok
        if len(words) > 1:
            full.add(" ".join(words))
    if len(full) > 1:
        return None
    return folded.find(_words_pattern(next(iter(full), word)), ignore_case=False)


def _title_word(word: str) -> bool:
    w = word.lower().rstrip(".,")
    return w in TITLES or w in ("of", "the") or state_code(word) is not None


def _state_mention(text: str, code: str) -> str | None:
    mentions = [m for m in find_states(text) if m.code == code and not m.modifier]
    for form in ("name", "adjective", "capital"):
        found = next((m for m in mentions if m.form == form), None)
        if found is not None:
            return text[found.start : found.end]
    return None


def _head_phrase(name: str, article: Article, folded: _Folded) -> Resolution | None:
    words = name.split()
    head = words[-1] if words else ""
    for i in range(len(words) - 1):  # ends of two words or more, longest first
        phrase = words[i:]
        if all(w.lower() in _NOT_PROPER for w in phrase[:-1]):
            continue
        for variant in {head, _singular(head), head + "s"}:
            pattern = _words_pattern(" ".join([*phrase[:-1], variant]))
            found = folded.find(pattern)
            if found is not None and not _another_state_before(article.text, found, words[:i]):
                # The whole name as written was tried before (`resolve_name`): what is
                # found here is an end of it, or the whole in the other number.
                return Resolution(found, "its head phrase")
    return None


def _initials(name: str, article: Article) -> Resolution | None:
    """An organisation by its initials, either way: "United Nations" for the article's
    "U.N.", "NATO" for its "North Atlantic Treaty Organization"."""
    words = [w for w in _TOKEN.findall(_fold(name)) if w[:1].isupper()]
    letters = re.sub(r"[^A-Z]", "", name)
    if len(words) >= 2 and all(w.lower() not in _NOT_PROPER for w in words):
        acronym = "".join(w[0] for w in words)
        dotted = r"(?<!\w)" + r"\.".join(acronym) + r"\.(?!\w)"  # U.N.
        plain = r"(?<!\w)" + acronym + r"(?!\w)"  # UN
        found = re.search(dotted, article.text) or re.search(plain, article.text)
        if found is not None:
            return Resolution(found.group(), "its initials")
    if 2 <= len(letters) == len(name.replace(".", "")) and len(words) <= 2:
        run = r"\s+(?:(?:of|the|for|and)\s+)*".join(rf"{c}[\w'\-]+" for c in letters)
        found = re.search(rf"(?<!\w){run}(?!\w)", article.text)
        if found is not None:
            return Resolution(found.group(), "the name its initials stand for")
    return None


def _another_state_before(text: str, found: str, dropped: list[str]) -> bool:
    """Whether the words dropped from the front named a state other than the one the
    article puts before the phrase ("Russian Defense Ministry" is not "Ukraine's")."""
    codes = {c for w in dropped if (c := state_code(w.removesuffix("'s"))) is not None}
    at = text.find(found)
    near = [m.code for m in find_states(text[max(0, at - 40) : at])]
    return bool(near) and bool(codes) and near[-1] not in codes


def _words_pattern(name: str) -> str:
    """A pattern for the words of `name` in order, whatever stands between them; a state
    word matches any form of its state ("Cameroon" or "Cameroonian")."""
    parts: list[str] = []
    for word in name.split():
        code = state_code(_POSSESSIVE.sub("", word))
        tokens = _TOKEN.findall(_fold(word))
        if not tokens:
            continue
        plain = _GAP.join(re.escape(t) for t in tokens)
        if code is not None:
            forms = sorted(_forms(code), key=len, reverse=True)
            plain = "(?:" + "|".join([plain, *forms]) + r")(?:['\u2019]s)?"
        parts.append(plain)
    return r"(?<!\w)" + _GAP.join(parts) + r"(?!\w)" if parts else r"(?!)"


def _forms(code: str) -> set[str]:
    return {_GAP.join(re.escape(t) for t in _TOKEN.findall(_fold(f))) for f in state_forms(code)}


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _part_of(alias: str, name: str) -> bool:
    """A person's alias that shares a capitalised word with the name ("Hamdok" of
    "Abdalla Hamdok"): another name ("Lavrov" for "Vladimir Putin") is another person,
    and a description ("the minister") is no name."""
    words = {w.casefold() for w in _TOKEN.findall(_fold(name)) if w[:1].isupper()}
    return any(w.casefold() in words for w in _TOKEN.findall(_fold(alias)) if w[:1].isupper())


def _fold(text: str) -> str:
    """Accents off, one character for one ("Çavuşoğlu" -> "Cavusoglu"), so offsets hold."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1] or ch
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


@dataclass(frozen=True)
class _Folded:
    """The article with accents off, one character for one, so offsets are the text's."""

    text: str
    original: str

    @classmethod
    def of(cls, text: str) -> _Folded:
        return cls(_fold(text), text)

    def find(self, pattern: str, *, ignore_case: bool = True) -> str | None:
        m = re.search(pattern, self.text, re.IGNORECASE if ignore_case else 0)
        if m is None or m.end() <= m.start():
            return None
        return self.original[m.start() : m.end()]
