"""Who does what in a sentence, read from its wording: the speaker of a quotation, the
proposer and recipient of a proposal, the actors of a meeting, and its tense.

News style is regular enough for rules. A reporting verb's subject stands right before it
("Lavrov said") or right after it ("said Lavrov"); a pronoun or a bare title ("he", "the
minister") points back to the person last named as the subject of a sentence; a quotation
with no reporting verb of its own continues the speaker of the one before it. Roles come
from these positions, never from where a person first appears in the article, and no rule
holds a phrase taken from any one article. Actors are of every kind (`actors.py`): "the
Kremlin said" is the Kremlin's, "Russia's invitation" Russia's; "he" and "the minister"
stand only for people and office-holders. Where the subject is no actor found ("officials
said"), the answer is None: naming the wrong actor would be worse than naming none.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from summarizer.article import Article, Sentence
from summarizer.extraction import cues
from summarizer.extraction.candidates import ActorCandidate, Quotation, find_quotations
from summarizer.extraction.lexicon import PERSON_NOUNS, TITLES

__all__ = ["Mention", "Roles"]


_NOUN_CUE = re.compile(
    r"proposals?|invitations?|offers?|requests?|demands?|pledges?|promises?|vows?"
)


def _owns(between: str) -> bool:
    """What stands between a possessive and a proposal word: "'s", or "'s" and up to
    three lower-case words ("Egypt's ceasefire proposal"); empty where the possessive
    comes after the word, which it does not own."""
    words = between[2:].split()
    return 2 <= len(between) <= 4 or (
        len(between) > 4 and len(words) <= 3 and all(w.isalpha() and w.islower() for w in words)
    )


def _describes(between: str) -> bool:
    """An adjective before a proposal word, with up to two lower-case words between."""
    words = between.split()
    return (
        between[:1].isspace()
        and len(words) <= 2
        and all(w.isalpha() and w.islower() for w in words)
    )


def _someone(actor: ActorCandidate) -> bool:
    """An actor a personal pronoun or a title can stand for."""
    return actor.kind in ("person", "office")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    person: ActorCandidate


class Roles:
    """Role lookups over one article and the people found in it."""

    def __init__(self, article: Article, people: list[ActorCandidate]):
        self.article = article
        self.text = article.text
        self.quotes = find_quotations(article)
        every = sorted(
            (Mention(a, b, p) for p in people for a, b in p.mentions), key=lambda m: m.start
        )
        self.quoted_mentions = [m for m in every if self._quoted(m.start)]
        self.owners = [m for m in every if not self._quoted(m.start)]  # possessives too
        self.mentions = [
            m for m in self.owners if not cues.POSSESSIVE.match(self.text[m.end : m.end + 3])
        ]
        self._speakers: dict[int, tuple[ActorCandidate | None, str | None]] = {}
        self._reported: dict[int, tuple[ActorCandidate | None, str | None]] = {}
        self._said_in: dict[int, ActorCandidate] = {}  # sentence number -> its speaker
        self._attributed = False
        self._genders: dict[int, str] | None = None

    def _quoted(self, offset: int) -> bool:
        return any(q.start <= offset < q.end for q in self.quotes)

    def genders(self) -> dict[int, str]:
        """What the article itself says of each person's sex, by `id`: an honorific
        before a mention ("Mr.", "Queen"), else the pronouns of the sentences that name
        only that person ("Berg said she had raised it"). Nothing is guessed from a
        name."""
        if self._genders is not None:
            return self._genders
        votes: dict[int, dict[str, int]] = {}
        text = self.text
        for m in self.mentions:
            word = text[max(0, m.start - 12) : m.start].split()[-1:]
            sex = _HONORIFIC_SEX.get(word[0].lower().rstrip(".")) if word else None
            if sex is not None:
                votes.setdefault(id(m.person), {}).setdefault(sex, 0)
                votes[id(m.person)][sex] += 10
        sentences = self.article.sentences
        for sentence in sentences:
            people = {id(m.person): m for m in self.named(sentence.start, sentence.end)}
            persons = [m for m in people.values() if m.person.kind == "person"]
            if len(persons) != 1:
                continue
            mention = persons[0]
            for p in _PRONOUNS.finditer(text, mention.end, sentence.end):
                if self._quoted(p.start()):
                    continue
                sex = _PRONOUN_SEX[p.group().lower()]
                votes.setdefault(id(mention.person), {}).setdefault(sex, 0)
                votes[id(mention.person)][sex] += 1
        self._genders = {}
        for pid, tally in votes.items():
            ranked = sorted(tally.items(), key=lambda kv: -kv[1])
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                self._genders[pid] = ranked[0][0]
        return self._genders

    def sentence_at(self, offset: int) -> Sentence:
        for s in self.article.sentences:
            if s.start <= offset < s.end:
                return s
        return self.article.sentences[-1]

    def named(self, start: int, end: int) -> list[Mention]:
        """Mentions of people inside text[start:end], outside quotations, in order."""
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    # Who a pronoun or a title points back to.

    def antecedent(
        self, offset: int, title: str | None = None, pronoun: str | None = None
    ) -> ActorCandidate | None:
        """For "the minister": the last person before `offset` whose title has the word.
        For "he": the subject (first person named) of the nearest sentence before that
        names someone, or the subject of its own sentence when named before it ("Harrow
        thanked Whakarongo ..., and he asked New Zealand": Harrow asked). Only people
        and office-holders: "he" is never a state or a ministry; and "she" is never
        someone the article calls "he" (`genders`), nor "he" someone it calls "she"."""
        sex = _PRONOUN_SEX.get((pronoun or "").lower())
        known = self.genders() if sex else {}

        def fits(person: ActorCandidate) -> bool:
            return _someone(person) and known.get(id(person), sex) == sex

        before = [m for m in self.mentions if m.end <= offset and fits(m.person)]
        if title is not None:
            # "the vice president" is the one whose title has both words, before anyone
            # whose title has only "president".
            wanted = title.split()
            titled = [m for m in before if _has_words((m.person.title or "").lower(), wanted)]
            titled = titled or [
                m for m in before if wanted[-1] in (m.person.title or "").lower().split()
            ]
            if titled:
                return titled[-1].person
            if before:  # "the former minister": the person the story is most about
                counts: dict[int, int] = {}
                for m in before:
                    counts[id(m.person)] = counts.get(id(m.person), 0) + 1
                return max(before, key=lambda m: counts[id(m.person)]).person
        here = self.sentence_at(offset)
        same = [m for m in before if m.start >= here.start]
        if same:
            return same[0].person
        for sentence in reversed(self.article.sentences[: here.number - 1]):
            said = self._said_in.get(sentence.number)
            if said is not None and fits(said):  # "…," he added: whoever spoke last
                return said
            inside = [m for m in self.named(sentence.start, sentence.end) if fits(m.person)]
            opening = cues.OPENING_PHRASE.match(sentence.text)
            described = self._described_subject(sentence, opening, inside)
            if described is not None and fits(described):
                return described  # "In Tirana, the Ambassador will meet Kola. Then she…"
            if opening and any(m.start >= sentence.start + opening.end() for m in inside):
                # "Like Lutnick, Kevin Hassett … emphasized …": the subject follows
                inside = [m for m in inside if m.start >= sentence.start + opening.end()]
            if inside:
                return inside[0].person
        return None

    def _described_subject(
        self, sentence: Sentence, opening: re.Match[str] | None, inside: list[Mention]
    ) -> ActorCandidate | None:
        """The person a sentence's subject describes ("the Ambassador", "the vice
        president"), when the description comes before anyone the sentence names."""
        lead_from = sentence.start + (opening.end() if opening else 0)
        lead = self.text[lead_from : inside[0].start if inside else sentence.end]
        words = re.match(r"\s*the\s+((?:[\w-]+\s+){1,3})", lead, re.IGNORECASE)
        if words is None:
            return None
        titles = itertools.takewhile(_title_word, words.group(1).lower().split())
        return self.described(lead_from, list(titles))

    def described(self, offset: int, words: list[str]) -> ActorCandidate | None:
        """The person before `offset` a description's title words name ("the vice
        president", "the crown prince"); None when it has no title word."""
        titles = [w for w in words if _title_word(w)]
        return self.antecedent(offset, title=" ".join(titles)) if titles else None

    def _phrase(self, start: int, end: int, *, first: bool) -> ActorCandidate | bool | None:
        """The person a noun phrase names: a mention in it (the first or the last), a
        pronoun's or a title's antecedent; False when it names someone who is not a
        person ("officials", "the ministry"); None when it is empty."""
        words = self.text[start:end].split()
        if not words:
            return None
        inside = self.named(start, end)
        if inside:
            return (inside[0] if first else inside[-1]).person
        bare = [w.strip(".,;:'’\"“”").lower() for w in words]
        if len(bare) <= 2 and cues.PRONOUN.match(bare[-1]):
            return self.antecedent(start, pronoun=bare[-1]) or False
        if cues.DETERMINER.match(bare[0]) and len(bare) <= 7 and bare[-1] in PERSON_NOUNS:
            return self.antecedent(start, title=bare[-1]) or False  # "the French politician"
        if cues.DETERMINER.match(bare[0]) and _title_word(bare[-1]) and len(bare) <= 7:
            return self.described(start, bare[1:]) or False
        return False

    def subject_before(self, cue: int, floor: int) -> ActorCandidate | None:
        """The subject of a verb at `cue`. Without a comma before the verb, the phrase
        back to the last clause boundary is the subject ("the ministry said" names no
        person: None). With one ("Samore, a former White House official, said"; "Baidu,
        which has launched Ernie Bot, said"), the subject is the clause's first phrase
        that is not an aside (a relative or prepositional clause)."""
        segments = self._segments(floor, cue)
        if not segments:
            return None
        start, end = segments[0]
        if self.text[start:end].strip():
            # "X blamed Y for the violence and called on Z": the second verb of one
            # subject; its subject opens the clause.
            coordinated = re.search(r"\band\s*$", self.text[start:end]) is not None
            found = self._phrase(start, end, first=coordinated)
            return found if isinstance(found, ActorCandidate) else None
        front = list(reversed(segments[1:]))  # from the front of the clause
        for i, (start, end) in enumerate(front):
            segment = self.text[start:end]
            if not segment.strip() or cues.ASIDE.match(segment):
                continue
            if start == floor and cues.OPENING_PHRASE.match(self.text[start:]):
                continue  # "Like Lutnick, Hassett … said": the opening phrase is no subject
            found = self._phrase(start, end, first=False)
            if not isinstance(found, ActorCandidate) and i + 1 < len(front):
                return self._apposed(*front[i + 1])  # "A spokesman, Ahmed Karimi, said"
            return found if isinstance(found, ActorCandidate) else None
        return None

    def _apposed(self, start: int, end: int) -> ActorCandidate | None:
        """The person a segment names and nothing else: a name in apposition."""
        named = self.named(start, end)
        if (
            len(named) == 1
            and self.text[start:end].strip(" ,") == self.text[named[0].start : named[0].end]
        ):
            return named[0].person
        return None

    def _segments(self, floor: int, end: int) -> list[tuple[int, int]]:
        """text[floor:end] cut at clause boundaries, the last piece first."""
        cuts = [b.start() for b in cues.BOUNDARY.finditer(self.text, floor, end)]
        starts = [floor, *(c + 1 for c in cuts)]
        ends = [*cuts, end]
        return list(reversed(list(zip(starts, ends, strict=True))))

    def subject_after(self, cue_end: int, ceiling: int) -> ActorCandidate | None:
        """The subject of an inverted verb ("said Foreign Minister Sergey Lavrov")."""
        stop = cues.BOUNDARY.search(self.text, cue_end, ceiling)
        end = stop.start() if stop else ceiling
        found = self._phrase(cue_end, end, first=True)
        return found if isinstance(found, ActorCandidate) else None

    # Quotations.

    def attribute(self) -> None:
        """Speakers of every quotation and reported sentence, in reading order, so that
        a pronoun can point back at whoever spoke last."""
        if self._attributed:
            return
        self._attributed = True
        opening: dict[int, list[Quotation]] = {}
        for q in self.quotes:
            opening.setdefault(q.sentences[0], []).append(q)
        quoted = {n for q in self.quotes for n in q.sentences}
        for sentence in self.article.sentences:
            for q in opening.get(sentence.number, []):
                self._speakers[q.start] = found = self._speaker(q)
                if found[0] is not None:
                    self._said_in.update({n: found[0] for n in q.sentences})
            if sentence.number not in quoted:
                self._reported[sentence.number] = found = self._reported_speech(sentence)
                if found[0] is not None:
                    self._said_in[sentence.number] = found[0]

    def speaker(self, quote: Quotation) -> tuple[ActorCandidate | None, str | None]:
        """Who said a quotation, and the reporting verb (see `_speaker`)."""
        self.attribute()
        return self._speakers.get(quote.start, (None, None))

    def reported(self, sentence: Sentence) -> tuple[ActorCandidate | None, str | None]:
        """The speaker and verb of a sentence of reported speech: "X said (that) …"."""
        self.attribute()
        return self._reported.get(sentence.number, (None, None))

    def _speaker(self, quote: Quotation) -> tuple[ActorCandidate | None, str | None]:
        """Who said a quotation, and the reporting verb: the clause after it ("…," he
        said), else the clause before it (Lavrov said: "…"), else the speaker of the
        quotation before it when this one opens its paragraph or follows on."""
        first = self.article.sentences[quote.sentences[0] - 1]
        last = self.article.sentences[quote.sentences[-1] - 1]
        following = [q.start for q in self.quotes if q.start > quote.end]
        close = quote.end
        while close < len(self.text) and self.text[close] in ",.!?'’\"” ":
            close += 1
        after_end = min([last.end, *(s - 1 for s in following)])
        after = self.text[close:after_end] if close < after_end else ""
        cue = cues.REPORTING_VERB.search(after)
        lead = re.split(r"[,;:]", after[: cue.start()])[0] if cue else ""
        if cue is not None and cue.group(1).lower() == "according to":
            before = self._before_cue(quote, first)
            if before is not None and before[0] is not None:
                return before  # "X described as “…,” according to media": X's words
        if cue is not None and len(lead.split()) <= 8:
            at = close + cue.start()
            verb = cue.group(1).lower()
            if not after[: cue.start()].strip() and verb.endswith("ing"):
                # "…,” calling it a crime: the participle shares the sentence's subject
                return self._sentence_subject(first, quote.start), verb
            who = (
                self.subject_after(close + cue.end(), after_end)
                if not after[: cue.start()].strip()
                else self._after_subject(close, at)
            )
            return who, verb
        before = self._before_cue(quote, first)
        if before is not None:
            return before
        previous = [q for q in self.quotes if q.end <= quote.start]
        if previous and previous[-1].start in self._speakers:
            prior = previous[-1]
            gap = self.article.sentences[prior.sentences[-1] - 1].paragraph
            if first.paragraph - gap <= 1:  # same paragraph, or the one after it
                return self._speakers[prior.start][0], None
        return None, None

    def _before_cue(
        self, quote: Quotation, first: Sentence
    ) -> tuple[ActorCandidate | None, str | None] | None:
        """The reporting clause before a quotation (Lavrov said: "…"), if there is one."""
        earlier = [q.end for q in self.quotes if q.end <= quote.start]
        floor = max([first.start, *(e + 1 for e in earlier)])
        before = self.text[floor : quote.start - 1]
        found = list(cues.REPORTING_VERB.finditer(before))
        if found:
            cue = found[-1]
            verb = cue.group(1).lower()
            at = floor + cue.start()
            if verb == "according to":
                who = self.subject_after(floor + cue.end(), quote.start - 1)
            elif verb.endswith("ing"):  # "…, noting that": the sentence's subject
                who = self._sentence_subject(first, at)
            else:
                who = self.subject_before(at, floor) or self.subject_after(
                    floor + cue.end(), quote.start - 1
                )
            return who, verb
        return None

    def _after_subject(self, start: int, cue: int) -> ActorCandidate | None:
        """The subject between a quotation and its verb: '"…," Lavrov, who …, said'."""
        found = self._phrase(start, cue, first=True)
        return found if isinstance(found, ActorCandidate) else None

    def _sentence_subject(self, sentence: Sentence, limit: int) -> ActorCandidate | None:
        """The subject of a sentence: its first person named, or a pronoun or "the
        minister" opening it."""
        found = self._phrase(sentence.start, limit, first=True)
        if isinstance(found, ActorCandidate):
            return found
        words = [w.strip(".,;:").lower() for w in self.text[sentence.start : limit].split()[:7]]
        if words and cues.PRONOUN.match(words[0]):
            return self.antecedent(sentence.start, pronoun=words[0])
        if words and cues.DETERMINER.match(words[0]):
            title = next((w for w in words[1:] if w in TITLES), None)
            if title is not None:
                return self.antecedent(sentence.start, title=title)
        return None

    def quote_at(self, offset: int) -> Quotation | None:
        return next((q for q in self.quotes if q.start <= offset < q.end), None)

    # Reported speech and proposals.

    def _reported_speech(self, sentence: Sentence) -> tuple[ActorCandidate | None, str | None]:
        for cue in cues.REPORTING_VERB.finditer(sentence.text):
            at = sentence.start + cue.start()
            if self._quoted(at):
                continue
            verb = cue.group(1).lower()
            if verb == "according to":
                return self.subject_after(at + len(cue.group()), sentence.end), verb
            who = self.subject_before(at, sentence.start) or self.subject_after(
                at + len(cue.group()), sentence.end
            )
            if who is not None:
                return who, verb
        return None, None

    def proposals(self, sentence: Sentence) -> list[tuple[str, int, int]]:
        """(kind, start, end) of each proposal cue in a sentence, as whole words."""
        out = []
        for m in cues.PROPOSAL_CUE.finditer(sentence.text):
            if re.match(cues.COURTESY_CALL, m.group(), re.IGNORECASE) and re.match(
                cues.COURTESY_CALL, sentence.text[m.start() :], re.IGNORECASE
            ):
                continue  # "called on the Secretary-General at the Secretariat": a visit
            group = next(k for k, v in m.groupdict().items() if v is not None)
            kind = cues.PROPOSAL_CUES[int(group[1:])][1]
            out.append((kind, sentence.start + m.start(), sentence.start + m.end()))
        return out

    def coordinated(self, first: ActorCandidate, start: int, end: int) -> list[ActorCandidate]:
        """`first` and whoever the text joins to its mention in text[start:end] with
        "and", "or" or a comma: "called on Ethiopia and Eritrea", "urged Kenya, Uganda and
        Tanzania" put one request to all of them."""
        mentions = self.named(start, end) or [
            m for m in self.quoted_mentions if start <= m.start and m.end <= end
        ]
        at = next((i for i, m in enumerate(mentions) if m.person is first), None)
        if at is None:
            return [first]
        out = [first]
        for prev, nxt in zip(mentions[at:], mentions[at + 1 :], strict=False):
            gap = self.text[prev.end : nxt.start]
            if not _COORDINATION.fullmatch(gap):
                break
            if nxt.person not in out:
                out.append(nxt.person)
        return out

    def joined_before(self, last: ActorCandidate, start: int, end: int) -> list[ActorCandidate]:
        """Whoever the text joins before `last`'s final mention in text[start:end] with
        "and" or a comma: "a Chinese and Russian proposal", "Egypt and Qatar proposed"."""
        mentions = self.owners if start < end else []
        mentions = [m for m in mentions if start <= m.start and m.end <= end]
        at = max((i for i, m in enumerate(mentions) if m.person is last), default=None)
        if at is None:
            return []
        out: list[ActorCandidate] = []
        for prev, nxt in zip(reversed(mentions[:at]), reversed(mentions[1 : at + 1]), strict=False):
            if not _COORDINATION.fullmatch(self.text[prev.end : nxt.start]):
                break
            if prev.person is not last and prev.person not in out:
                out.append(prev.person)
        return out

    def proposal_roles(
        self, sentence: Sentence, start: int, end: int
    ) -> tuple[ActorCandidate | None, ActorCandidate | None]:
        """Proposer and recipient of the cue at text[start:end]: "X invited Y", "X's
        invitation to Y", "Y was invited by X", "at the invitation of X"; inside a
        quotation the speaker proposes ("We invite Y," X said)."""
        text = self.text
        quote = self.quote_at(start)
        after_end = quote.end if quote else sentence.end
        stop = re.search(r"[;:]", text[end:after_end])
        after_end = end + stop.start() if stop else after_end
        after = self.named(end, after_end)
        if quote is not None:
            proposer = self.speaker(quote)[0]
            inside = [m for m in self.quoted_mentions if end <= m.start < after_end]
            recipient = next((m.person for m in inside if m.person is not proposer), None)
            return proposer, recipient
        before = text[max(sentence.start, start - 40) : start]
        if cues.PASSIVE.search(before):  # "Y was invited by X"
            by = re.match(r"\s*by\b", text[end:after_end])
            proposer = after[0].person if by and after else None
            return proposer, self.subject_before(start, sentence.start)
        if cues.FROM_PROPOSER.match(text[end:after_end]):  # "the invitation of/from X"
            proposer = after[0].person if after else None
            # "an invitation from Vega to visit Madrid": Madrid is where, not who
            to = [m for m in after[1:] if not _TO_GO.search(text[after[0].end : m.start])]
            recipient = to[0].person if to else self.subject_before(start, sentence.start)
            return proposer, recipient
        noun = _NOUN_CUE.fullmatch(text[start:end].lower()) is not None
        owner = [
            m
            for m in self.owners
            if noun  # only a proposal word has an owner: "Mhlanga's arrest and urged" has none
            and (
                (cues.POSSESSIVE.match(text[m.end : m.end + 3]) and _owns(text[m.end : start]))
                or _describes(text[m.end : start])  # "the Russian (ceasefire) proposal"
            )
        ]
        proposer = owner[0].person if owner else self.subject_before(start, sentence.start)
        recipient = next((m.person for m in after if m.person is not proposer), None)
        described = _DESCRIBED.match(text, end, after_end)
        if described and not (after and after[0].start < described.end()):
            # "urged the crown prince to ...", "asked the Secretary to help": someone
            # named before, not whoever the request is about
            found = self.described(start, described.group(1).lower().split())
            if found is not None and found is not proposer:
                recipient = found
        if owner:  # "Hamas rejected Egypt's proposal": who answers is who was asked
            head = text[sentence.start : owner[0].start]
            response = list(cues.RESPONSE.finditer(head))
            if response:
                at = sentence.start + response[-1].start()
                subject = self.subject_before(at, sentence.start)
                if subject is not None and subject is not proposer:
                    recipient = subject  # not what the proposal is about ("to visit Delhi")
        return proposer, recipient


_TO_GO = re.compile(r"\bto\s+(?:visit|travel|come|attend|join|go)\b", re.IGNORECASE)
# A description right after a proposal word: "urged the crown prince to".
_DESCRIBED = re.compile(r"\s+(?:the|his|her|their)\s+((?:[\w-]+\s+){0,2}?[\w-]+)(?=\s+to\b)")
# What joins two actors into one group of recipients: "and", "or", a comma, "as well
# as", and a determiner before the next ("Ethiopia and the Eritrean government").
_COORDINATION = re.compile(
    r"(?:'s)?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as)\s+)(?:the\s+)?"
)


_PRONOUNS = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
_PRONOUN_SEX = {
    **dict.fromkeys(("he", "him", "his", "himself"), "m"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "f"),
}
_HONORIFIC_SEX = {
    **dict.fromkeys(("mr", "sir", "king", "prince", "lord", "sheikh", "emir"), "m"),
    **dict.fromkeys(("mrs", "ms", "miss", "madam", "dame", "queen", "princess", "lady"), "f"),
}


def _has_words(title: str, words: list[str]) -> bool:
    """Whether the words follow each other in a title ("vice president")."""
    have = title.replace("-", " ").split()
    n = len(words)
    return any(have[i : i + n] == words for i in range(len(have) - n + 1))


def _title_word(word: str) -> bool:
    """A title, hyphenated ones too: "secretary-general", "vice-president"."""
    return word in TITLES or ("-" in word and all(p in TITLES for p in word.split("-")))
