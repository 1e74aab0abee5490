"""The article as the code sees it: text, hash, numbered sentences, and span lookup.

The model cites sentences by number and copies only short quotes; everything that
becomes an offset in the output is computed here, never taken from the model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from summarizer.quotations import Quotation, find_quotations

__all__ = ["FUZZY_MIN_CHARS", "FUZZY_MIN_SCORE", "Article", "Sentence", "split_sentences"]


# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before
# white space and a capital or digit (maybe after an opening quote); paragraphs end one.
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+""")
_OPENERS = "\"'“‘(["
_ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "sen", "rep"),
        *("gov", "pres", "st", "vs", "u.s", "u.n", "u.k", "e.g", "i.e"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    }
)
_PARAGRAPH = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # runs to collapse; a lone space maps to itself
FUZZY_MIN_CHARS = 16  # shorter needles match by chance
FUZZY_MIN_SCORE = 90.0  # rapidfuzz partial ratio, 0-100

_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»″"} | {c: "'" for c in "‘’‚‛′`"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})
_MARKS = _QUOTES | _DASHES  # one pass over the text instead of two


@dataclass(frozen=True)
class Sentence:
    number: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """Decoded article text plus what the prompt and the grounding code derive from it."""

    text: str
    path: str | None = None
    published: dt.date | None = None  # from the caller, --date, or found in a dateline

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.text)

    @cached_property
    def quotations(self) -> list[Quotation]:
        """Words between quotation marks, found once per article (see `quotations`)."""
        return find_quotations(self.text, self.sentences)

    @cached_property
    def _views(self) -> tuple[_View, _View]:
        return _View.of(self.text, fold=False), _View.of(self.text, fold=True)

    def locate(self, needle: str) -> tuple[int, int] | None:
        """Offsets of `needle` in the text, at word boundaries: exact first, then with
        Unicode form, quotes, dashes and white space normalised, then ignoring case, then
        a bounded fuzzy match. The slice is always real article text."""
        needle = needle.strip()
        if not needle:
            return None
        at = _find(self.text, needle)
        if at >= 0:
            return at, at + len(needle)
        marks = "\"'“”‘’«»"
        trimmed = needle.strip(marks + " \t\n")
        # Quote marks around the whole needle are the model's, not the article's words;
        # a single trailing mark may be an apostrophe ("the generals’") and stays.
        enclosed = len(needle) > 1 and needle[0] in marks and needle[-1] in marks
        order = (trimmed, needle) if enclosed else (needle, trimmed)
        for view in self._views:
            for candidate in dict.fromkeys(order):
                if not candidate:
                    continue
                probe = _View.of(candidate, fold=view.folded).text.strip()
                at = _find(view.text, probe) if probe else -1
                if at >= 0:
                    return view.starts[at], view.ends[at + len(probe) - 1]
        return self._fuzzy(trimmed)

    def _fuzzy(self, needle: str) -> tuple[int, int] | None:
        """Last resort, bounded: a long needle that matches one stretch of the text
        almost exactly (a changed word or two). The span is still the article's text."""
        from rapidfuzz import fuzz

        view = self._views[1]
        probe = _View.of(needle, fold=True).text.strip()
        if len(probe) < FUZZY_MIN_CHARS:
            return None
        found = fuzz.partial_ratio_alignment(probe, view.text, score_cutoff=FUZZY_MIN_SCORE)
        if found is None or found.dest_end <= found.dest_start:
            return None
        start, end = found.dest_start, found.dest_end
        if abs((end - start) - len(probe)) > max(3, len(probe) // 10):
            return None
        while start > 0 and view.text[start - 1].isalnum() and view.text[start].isalnum():
            start -= 1  # widen to whole words
        while end < len(view.text) and view.text[end - 1].isalnum() and view.text[end].isalnum():
            end += 1
        return view.starts[start], view.ends[end - 1]

    def mentions(self, name: str) -> bool:
        """Whether a name occurs as whole words, ignoring case, quotes and dashes (never
        fuzzily: a name one letter off is another name)."""
        name = name.strip()
        if not name:
            return False
        for view in self._views:
            if _find(view.text, _View.of(name, fold=view.folded).text.strip()) >= 0:
                return True
        return False


@dataclass(frozen=True)
class _View:
    """A normalised copy of some text with, for each of its characters, the span of
    the original characters it came from; so matches map back to exact offsets."""

    text: str
    starts: list[int]
    ends: list[int]
    folded: bool

    @classmethod
    def of(cls, text: str, *, fold: bool) -> _View:
        plain = text.translate(_MARKS)
        if fold:
            folded = plain.casefold()
            if len(folded) != len(plain):
                return cls._char_by_char(text, fold=fold)
            plain = folded
        if not unicodedata.is_normalized("NFC", plain):
            return cls._char_by_char(text, fold=fold)
        # The common case, at C speed: one character in, one out, but white-space runs.
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for m in _SPACES.finditer(plain):
            pieces.append(plain[pos : m.start()])
            starts.extend(range(pos, m.start()))
            ends.extend(range(pos + 1, m.start() + 1))
            pieces.append(" ")
            starts.append(m.start())
            ends.append(m.end())
            pos = m.end()
        pieces.append(plain[pos:])
        starts.extend(range(pos, len(plain)))
        ends.extend(range(pos + 1, len(plain) + 1))
        return cls("".join(pieces), starts, ends, fold)

    @classmethod
    def _char_by_char(cls, text: str, *, fold: bool) -> _View:
        """Combining marks to compose, or case folding that changes lengths ("ß")."""
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        i = 0
        while i < len(text):
            j = i + 1
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            piece = unicodedata.normalize("NFC", text[i:j]).translate(_MARKS)
            if fold:
                piece = piece.casefold()
            if piece.isspace():
                if out and out[-1] == " ":
                    ends[-1] = j  # one space stands for the whole run
                else:
                    out.append(" ")
                    starts.append(i)
                    ends.append(j)
            else:
                for ch in piece:
                    out.append(ch)
                    starts.append(i)
                    ends.append(j)
            i = j
        return cls("".join(out), starts, ends, fold)


def _find(haystack: str, needle: str) -> int:
    """First occurrence that does not start or end inside a word."""
    at = haystack.find(needle)
    while at >= 0:
        end = at + len(needle)
        left_ok = at == 0 or not (needle[0].isalnum() and haystack[at - 1].isalnum())
        right_ok = end == len(haystack) or not (needle[-1].isalnum() and haystack[end].isalnum())
        if left_ok and right_ok:
            return at
        at = haystack.find(needle, at + 1)
    return -1


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; paragraphs never straddle, abbreviations don't split."""
    sentences: list[Sentence] = []
    for p_number, (p_start, p_text) in enumerate(_paragraphs(text), start=1):
        cut = 0
        for m in _SENTENCE_END.finditer(p_text):
            following = p_text[m.end() : m.end() + 3].lstrip(_OPENERS)[:1]
            if not (following.isupper() or following.isdigit()):
                continue
            before = p_text[cut : m.start()]
            last_word = before.rsplit(None, 1)[-1] if before.split() else ""
            if last_word.rstrip(".").casefold() in _ABBREVIATIONS and last_word.endswith("."):
                continue
            if re.fullmatch(r"[A-Z]\.", last_word):
                continue  # an initial: "Antony J. Blinken"
            _add(sentences, text, p_number, p_start + cut, p_start + m.start())
            cut = m.end()
        _add(sentences, text, p_number, p_start + cut, p_start + len(p_text))
    return sentences


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _PARAGRAPH.finditer(text):
        out.append((pos, text[pos : m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return out


def _add(sentences: list[Sentence], text: str, paragraph: int, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    start += len(chunk) - len(chunk.lstrip())
    end = start + len(stripped)
    sentences.append(Sentence(len(sentences) + 1, paragraph, start, end, stripped))
