"""The article as the code sees it: text, hash, numbered sentences, and span lookup.

The model cites sentences by number and copies only short quotes; everything that
becomes an offset in the output is computed here, never taken from the model.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property

# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before
# white space and an opening capital, quote, bracket or digit; paragraphs always end one.
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "sen", "rep"),
        *("gov", "pres", "st", "no", "vs", "u.s", "u.n", "u.k", "e.g", "i.e"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
    }
)
_PARAGRAPH = re.compile(r"\n\s*\n")

_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»″"} | {c: "'" for c in "‘’‚‛′`"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})


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

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def sentences(self) -> list[Sentence]:
        return split_sentences(self.text)

    @cached_property
    def _normalised(self) -> tuple[str, list[int]]:
        return _normalise_with_map(self.text)

    def locate(self, needle: str) -> tuple[int, int] | None:
        """Offsets of `needle` in the text: exact first, then with quotes, dashes and
        white space normalised. The returned slice is always real article text."""
        needle = needle.strip()
        if not needle:
            return None
        at = self.text.find(needle)
        if at >= 0:
            return at, at + len(needle)
        norm_text, index = self._normalised
        norm_needle, _ = _normalise_with_map(needle)
        norm_needle = norm_needle.strip().strip("\"'").strip()
        if not norm_needle:
            return None
        at = norm_text.find(norm_needle)
        if at < 0:
            at = norm_text.casefold().find(norm_needle.casefold())
            if at < 0 or len(norm_text.casefold()) != len(norm_text):
                return None
        start = index[at]
        end = index[at + len(norm_needle) - 1] + 1
        return start, end

    def mentions(self, name: str) -> bool:
        """Whether a name occurs in the text, ignoring case, quotes and dashes."""
        norm_text, _ = self._normalised
        norm_name, _ = _normalise_with_map(name.strip())
        return bool(norm_name) and norm_name.casefold() in norm_text.casefold()


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; paragraphs never straddle, abbreviations don't split."""
    sentences: list[Sentence] = []
    for p_number, (p_start, p_text) in enumerate(_paragraphs(text), start=1):
        cut = 0
        for m in _SENTENCE_END.finditer(p_text):
            before = p_text[cut : m.start()]
            last_word = before.rsplit(None, 1)[-1] if before.split() else ""
            if last_word.rstrip(".").casefold() in _ABBREVIATIONS and last_word.endswith("."):
                continue
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


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Text with quotes, dashes and white-space runs canonicalised, and for each of its
    characters the offset of the original character it came from."""
    chars: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text.translate(_QUOTES).translate(_DASHES)):
        if ch.isspace():
            if prev_space:
                continue
            ch = " "
            prev_space = True
        else:
            prev_space = False
        chars.append(ch)
        index.append(i)
    return "".join(chars), index
