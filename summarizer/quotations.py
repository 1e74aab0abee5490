"""The article's quotations: words between quotation marks, as news in many languages
and house styles writes them.

One finder serves both strategies, the list offered to the model and the check of a
verbatim quote. What it knows of news style:

- A quotation that runs over several paragraphs opens each paragraph with a mark and
  closes only at its end; it is one quotation, in pieces.
- Double marks may be “curly”, "straight", „low-high“ (German), „low-high” (Polish) or
  « guillemets » (French, Russian); single marks ‘ ’, ' ' and ‹ › quote in British
  style. A quote inside a quote uses the other kind and stays part of the outer one.
- An apostrophe is the same character as a closing single mark: a mark between two
  letters or digits ("don't", "Ukraine's") never opens or closes anything.
- A double mark left open at a paragraph's end quotes to that end (the paragraph's
  quotation continues, or the source dropped a mark); a single mark left open quotes
  nothing (it is more often an elision such as '90s). A straight double mark that
  opens while one is already open means the first was never closed: that one ends with
  the sentence it began in.

Direction comes from the mark where it has one, and from its neighbours (a space
before and a letter after open) where it has none, as CommonMark decides emphasis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from summarizer.article import Article, Sentence

__all__ = ["Quotation", "find_quotations"]

_Kind = Literal["double", "single"]

# Each opening mark, the kind of quotation it opens, and the marks that may close it.
_OPENS: dict[str, tuple[_Kind, str]] = {
    "“": ("double", '”"“'),
    '"': ("double", '"”'),
    "„": ("double", '“”"'),
    "«": ("double", "»"),
    "‘": ("single", "’'‘"),
    "'": ("single", "'’"),
    "‚": ("single", "‘’"),
    "‹": ("single", "›"),
}
# Marks whose direction is their own: they open whatever their neighbours are.
_ALWAYS_OPENS = frozenset("„«‚‹")
_MARKS = frozenset("“”\"„«»‘’'‚‹›")
_BEFORE_OPENER = frozenset("([{—–-/:") | _MARKS
_AFTER_CLOSER = frozenset(".,;:!?)]}—–-…") | _MARKS
_MIN_CHARS = 3  # "a" or "OK" between marks quotes no one


@dataclass(frozen=True)
class Quotation:
    """Quoted words, without their marks: one piece per paragraph it runs over."""

    start: int
    end: int
    sentences: tuple[int, ...]  # numbers of the sentences it spans
    pieces: tuple[tuple[int, int], ...] = ()
    """(start, end) of the words in each paragraph; empty means the one piece start:end."""

    def text(self, article: Article) -> str:
        """The article's text from the first quoted word to the last (with the marks
        that open continuing paragraphs, as the article has them)."""
        return article.text[self.start : self.end]

    def spans(self) -> tuple[tuple[int, int], ...]:
        return self.pieces or ((self.start, self.end),)

    def words(self, text: str) -> str:
        """`text[start:end]` with everything between pieces blanked to spaces: the
        quoted words at their own offsets, for matching a model's copy against."""
        out = [" "] * (self.end - self.start)
        for a, b in self.spans():
            out[a - self.start : b - self.start] = text[a:b]
        return "".join(out)

    def contains(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.spans())


def find_quotations(text: str, sentences: Sequence[Sentence]) -> list[Quotation]:
    """Every quotation of the text, in order; `sentences` are its numbered sentences
    (they give the paragraphs and the sentence numbers)."""
    paragraphs: list[list[Sentence]] = []
    for s in sentences:
        if paragraphs and paragraphs[-1][0].paragraph == s.paragraph:
            paragraphs[-1].append(s)
        else:
            paragraphs.append([s])
    found: list[Quotation] = []
    carried: list[tuple[int, int]] = []  # pieces of a quotation continuing past its paragraph
    carried_kind: str | None = None
    for sentences_of in paragraphs:
        start, end = sentences_of[0].start, sentences_of[-1].end
        opener = text[start]
        if carried and not (opener in _OPENS and _OPENS[opener][0] == carried_kind):
            found.append(_quotation(carried, sentences))  # the next paragraph does not go on
            carried = []
        pieces, open_piece, kind = _scan(text, start, end, sentences_of, carried)
        for piece in pieces:
            found.append(_quotation(piece, sentences))
        carried, carried_kind = open_piece, kind
    if carried:
        found.append(_quotation(carried, sentences))
    return [q for q in found if q.end - q.start >= _MIN_CHARS]


def _scan(
    text: str,
    start: int,
    end: int,
    sentences: list[Sentence],
    carried: list[tuple[int, int]],
) -> tuple[list[list[tuple[int, int]]], list[tuple[int, int]], str | None]:
    """One paragraph: its closed quotations (each a list of pieces), and the pieces of
    one still open at its end, with its kind."""
    closed: list[list[tuple[int, int]]] = []
    opened_at: int | None = None  # offset of the words after the open mark
    opener = ""
    pieces: list[tuple[int, int]] = list(carried)
    i = start
    while i < end:
        ch = text[i]
        if ch not in _MARKS or _apostrophe(text, i):
            i += 1
            continue
        if opened_at is not None:
            kind, closers = _OPENS[opener]
            if ch in closers and _may_close(text, i, opener, ch):
                closed.append([*pieces, _trimmed(text, opened_at, i)])
                pieces, opened_at = [], None
            elif ch == opener == '"' and _left_flanking(text, i):
                # A second straight opener: the first quotation lost its closing mark.
                until = next((s.end for s in sentences if s.start <= opened_at < s.end), i)
                closed.append([*pieces, _trimmed(text, opened_at, min(until, i))])
                pieces, opened_at = [], i + 1
            elif ch in _OPENS and _OPENS[ch][0] != kind and _opens(text, i):
                i = _skip_nested(text, i, end, closers)  # a quote inside the quote
                continue
            i += 1
            continue
        if ch in _OPENS and _opens(text, i):
            opened_at, opener = i + 1, ch
            if pieces and i != start:
                pieces = []  # a carried quotation continues only from the paragraph's start
        elif ch == "”" and _left_flanking(text, i):
            opened_at, opener = i + 1, "“"  # ”Swedish” style, or a misprint
        i += 1
    if opened_at is None:
        return closed, [], None
    kind = _OPENS[opener][0]
    if kind == "single":
        return closed, [], None  # an unclosed single mark quotes nothing
    return closed, [*pieces, _trimmed(text, opened_at, end)], kind


def _opens(text: str, i: int) -> bool:
    ch = text[i]
    if ch == '"':  # spaced on both sides (" a scraped quote "): nothing is open, so it opens
        return _left_flanking(text, i) or not _right_flanking(text, i)
    return ch in _ALWAYS_OPENS or ch == "“" or _left_flanking(text, i)


def _skip_nested(text: str, i: int, end: int, outer: str) -> int:
    """Past the quote of the other kind that opens at `i` (inside the quotation), or
    past its mark alone when the outer quotation closes first or it never closes."""
    _, closers = _OPENS[text[i]]
    j = i + 1
    while j < end:
        ch = text[j]
        if ch in closers and not _apostrophe(text, j) and _may_close(text, j, text[i], ch):
            return j + 1
        if ch in outer and _may_close(text, j, "", ch):
            break
        j += 1
    return i + 1


def _may_close(text: str, i: int, opener: str, mark: str) -> bool:
    """Whether `mark` at `i` closes what `opener` opened: a mark of one direction does;
    a straight or ambiguous one must stand after a word."""
    if mark in "”»›" or (opener in "„‚" and mark in "“‘"):
        return True
    if mark == "“":  # “sloppy“ closing with the opening mark
        return _right_flanking(text, i) and not _left_flanking(text, i)
    return _right_flanking(text, i) or not _left_flanking(text, i)


def _left_flanking(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in _BEFORE_OPENER) and not after.isspace()


def _right_flanking(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in _AFTER_CLOSER)


def _apostrophe(text: str, i: int) -> bool:
    """don't, Ukraine's, rock'n'roll: a single mark between two letters or digits."""
    if text[i] not in "'’":
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The quoted words without the spaces inside the marks or a comma before the
    closing mark ("We will," he said)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _quotation(pieces: list[tuple[int, int]], sentences: Sequence[Sentence]) -> Quotation:
    pieces = [p for p in pieces if p[1] > p[0]] or pieces[:1]
    start, end = pieces[0][0], pieces[-1][1]
    numbers = tuple(
        s.number for s in sentences if any(s.end > a and s.start < b for a, b in pieces)
    )
    return Quotation(start, end, numbers, tuple(pieces) if len(pieces) > 1 else ())
