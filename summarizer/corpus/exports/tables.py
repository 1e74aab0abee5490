"""A corpus as rows of the export tables; `sqlite.py` and `csv.py` write the same rows."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from summarizer.corpus.load import Corpus
from summarizer.schema import Span

__all__ = ["TABLE_NAMES", "Column", "Table", "Value", "corpus_tables"]

Value = str | int | None


@dataclass(frozen=True)
class Column:
    name: str
    type: type[str] | type[int] = str
    not_null: bool = False
    references: str | None = None  # a table whose `id` this column holds


@dataclass
class Table:
    name: str
    columns: tuple[Column, ...]
    pk: tuple[str, ...] = ("id",)
    rows: list[tuple[Value, ...]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, kind: type[str] | type[int] = str, *, need: bool = False) -> Column:
    return Column(name, kind, need)


def _ref(name: str, table: str, *, need: bool = True) -> Column:
    return Column(name, str, need, table)


_ID = _c("id", need=True)
_ARTICLE = _ref("article_id", "articles")


def _schema() -> list[Table]:
    return [
        Table(
            "articles",
            (
                _ID,
                _c("path"),
                _c("url"),
                _c("sha256", need=True),
                _c("chars", int, need=True),
                _c("published"),
                _c("title"),
                _c("backend", need=True),
                _c("model", need=True),
                _c("mode", need=True),
                _c("created_at", need=True),
                _c("abstract", need=True),
                _c("text"),
            ),
        ),
        Table(
            "actors",
            (
                _ID,
                _c("kind", need=True),
                _c("name", need=True),
                _c("aliases", need=True),
                _c("country"),
                _c("title"),
                _c("articles", int, need=True),
                _c("meetings", int, need=True),
            ),
        ),
        Table(
            "article_actors",
            (
                _ID,
                _ARTICLE,
                _c("local_id", need=True),
                _ref("actor_id", "actors"),
                _c("kind", need=True),
                _c("name", need=True),
                _c("aliases", need=True),
                _c("title"),
                _c("country"),
                _c("sector"),
                _ref("represents_id", "actors", need=False),
            ),
        ),
        Table(
            "meetings",
            (
                _ID,
                _ARTICLE,
                _c("mode", need=True),
                _c("place"),
                _c("date"),
                _c("date_text"),
                _c("status", need=True),
                _ref("visitor_id", "actors", need=False),
                _ref("host_id", "actors", need=False),
            ),
        ),
        Table(
            "meeting_participants",
            (
                _ref("meeting_id", "meetings"),
                _ref("article_actor_id", "article_actors"),
                _ref("actor_id", "actors"),
            ),
            pk=("meeting_id", "article_actor_id"),
        ),
        Table(
            "statements",
            (
                _ID,
                _ARTICLE,
                _ref("speaker_id", "actors"),
                _ref("addressee_id", "actors", need=False),
                _c("cue", need=True),
                _c("content", need=True),
                _c("verbatim", int, need=True),
                _c("topic"),
                _c("quote_start", int),
                _c("quote_end", int),
                _c("quote_text"),
            ),
        ),
        Table(
            "proposals",
            (
                _ID,
                _ARTICLE,
                _c("kind", need=True),
                _ref("proposer_id", "actors"),
                _c("content", need=True),
                _c("proposed_date"),
                _c("proposed_date_text"),
                _c("status", need=True),
            ),
        ),
        Table(
            "proposal_recipients",
            (
                _ref("proposal_id", "proposals"),
                _ref("article_actor_id", "article_actors"),
                _ref("actor_id", "actors"),
            ),
            pk=("proposal_id", "article_actor_id"),
        ),
        Table(
            "evidence",
            (
                _ID,
                _ARTICLE,
                _c("item_type", need=True),
                _c("item_id", need=True),
                _c("start", int, need=True),
                _c("end", int, need=True),
                _c("text", need=True),
            ),
        ),
    ]


TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in _schema())


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _once(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def corpus_tables(corpus: Corpus, *, texts: bool = False) -> dict[str, Table]:
    """Every table of the export, by name, in an order where a table comes after the
    tables it refers to. `texts`: fill `articles.text` with the article texts the corpus
    found (else it is NULL)."""
    tables = {t.name: t for t in _schema()}
    node_of = corpus.node_of
    articles: Counter[str] = Counter()
    meetings: Counter[str] = Counter()
    for node in corpus.nodes:
        articles[node.id] = len({doc for doc, _ in node.mentions})
    for _, _, nodes in corpus.meetings():
        meetings.update(nodes)
    tables["actors"].rows = [
        (
            n.id,
            n.kind,
            n.name,
            json.dumps(n.aliases, ensure_ascii=False),
            n.country,
            n.title,
            articles[n.id],
            meetings[n.id],
        )
        for n in corpus.nodes
    ]

    def evidence(article: str, kind: str, item: str, spans: list[Span]) -> None:
        tables["evidence"].rows.extend(
            (f"{item}/e{k}", article, kind, item, s.start, s.end, s.text)
            for k, s in enumerate(spans, start=1)
        )

    for i, document in enumerate(corpus.documents):
        name, summary = document.name, document.summary
        provenance, source = summary.provenance, summary.provenance.source

        def linked(local: str | None, i: int = i) -> str | None:
            return None if local is None else node_of[(i, local)]

        tables["articles"].rows.append(
            (
                name,
                source.path,
                source.url,
                source.sha256,
                source.chars,
                _iso(source.published),
                source.title,
                provenance.backend,
                provenance.model,
                provenance.mode,
                _iso(provenance.created_at),
                summary.abstract,
                document.text if texts else None,
            )
        )
        tables["article_actors"].rows.extend(
            (
                f"{name}/{a.id}",
                name,
                a.id,
                linked(a.id),
                a.kind,
                a.name,
                json.dumps(a.aliases, ensure_ascii=False),
                a.title,
                a.country,
                a.sector,
                linked(a.represents),
            )
            for a in summary.actors
        )
        for k, m in enumerate(summary.meetings, start=1):
            item = f"{name}/m{k}"
            tables["meetings"].rows.append(
                (
                    item,
                    name,
                    m.mode,
                    m.place,
                    _iso(m.date),
                    m.date_text,
                    m.status,
                    linked(m.visitor),
                    linked(m.host),
                )
            )
            tables["meeting_participants"].rows.extend(
                (item, f"{name}/{a}", linked(a)) for a in _once(m.participants)
            )
            evidence(name, "meeting", item, m.evidence)
        for k, s in enumerate(summary.statements, start=1):
            item = f"{name}/s{k}"
            quote = s.quote
            tables["statements"].rows.append(
                (
                    item,
                    name,
                    linked(s.speaker),
                    linked(s.addressee),
                    s.cue,
                    s.content,
                    int(s.verbatim),
                    s.topic,
                    quote.start if quote else None,
                    quote.end if quote else None,
                    quote.text if quote else None,
                )
            )
            evidence(name, "statement", item, s.evidence)
        for k, p in enumerate(summary.proposals, start=1):
            item = f"{name}/p{k}"
            tables["proposals"].rows.append(
                (
                    item,
                    name,
                    p.kind,
                    linked(p.proposer),
                    p.content,
                    _iso(p.proposed_date),
                    p.proposed_date_text,
                    p.status,
                )
            )
            tables["proposal_recipients"].rows.extend(
                (item, f"{name}/{a}", linked(a)) for a in _once(p.recipients)
            )
            evidence(name, "proposal", item, p.evidence)
    return tables
