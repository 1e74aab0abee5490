"""Who met whom as a GraphML file, for Gephi, networkx, igraph or yEd.

An undirected graph: a node per actor of the corpus (its `actors` id), with `label` and
`name`, `kind`, `country` and `title` when known, `aliases` joined with "; ", and the
numbers of `articles` and `meetings` it is in; an edge per pair of actors who met, with
`weight` (the number of their meetings), the numbers of those meetings per mode
(`mode_in_person`, `mode_phone`, `mode_video`, `mode_unknown`) and per status
(`status_happened`, `status_ongoing`, `status_planned`, `status_cancelled`),
`first_date` and `last_date` (ISO, when a meeting has a date) and `article_ids` (the
articles' ids joined with "; "). A meeting of three actors is an edge for each pair.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, get_args

from summarizer.corpus.exports.files import atomic_file, require
from summarizer.corpus.load import Corpus
from summarizer.schema import MeetingMode, TemporalStatus

__all__ = ["meeting_graph", "write_graphml"]

_MODES: tuple[str, ...] = get_args(MeetingMode)
_STATUSES: tuple[str, ...] = get_args(TemporalStatus)


@dataclass
class _Edge:
    weight: int = 0
    modes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    dates: list[str] = field(default_factory=list)
    articles: dict[str, None] = field(default_factory=dict)  # ordered set


def meeting_graph(corpus: Corpus) -> Any:
    """The corpus's meetings as a `networkx.Graph` (see the module's docstring);
    ConfigurationError when networkx is missing."""
    require("networkx", "GraphML")
    import networkx as nx  # type: ignore[import-untyped]

    meetings: Counter[str] = Counter()
    edges: dict[tuple[str, str], _Edge] = {}
    for doc, meeting, nodes in corpus.meetings():
        meetings.update(nodes)
        for a, b in combinations(nodes, 2):
            edge = edges.setdefault((a, b) if a < b else (b, a), _Edge())
            edge.weight += 1
            edge.modes[meeting.mode] += 1
            edge.statuses[meeting.status] += 1
            if meeting.date is not None:
                edge.dates.append(meeting.date.isoformat())
            edge.articles[corpus.documents[doc].name] = None

    graph = nx.Graph()
    for node in corpus.nodes:
        known = {"country": node.country, "title": node.title}
        graph.add_node(
            node.id,
            label=node.name,
            name=node.name,
            kind=node.kind,
            aliases="; ".join(node.aliases),
            articles=len({doc for doc, _ in node.mentions}),
            meetings=meetings[node.id],
            **{k: v for k, v in known.items() if v is not None},
        )
    for (a, b), edge in edges.items():
        attributes: dict[str, Any] = {"weight": edge.weight}
        attributes.update({f"mode_{m}": edge.modes[m] for m in _MODES})
        attributes.update({f"status_{s}": edge.statuses[s] for s in _STATUSES})
        if edge.dates:
            attributes.update(first_date=min(edge.dates), last_date=max(edge.dates))
        attributes["article_ids"] = "; ".join(edge.articles)
        graph.add_edge(a, b, **attributes)
    return graph


def write_graphml(corpus: Corpus, path: Path, *, force: bool = False) -> tuple[int, int]:
    """Write the meeting graph to `path`, atomically; its numbers of nodes and edges."""
    graph = meeting_graph(corpus)
    import networkx as nx

    with atomic_file(path, force=force) as temporary:
        nx.write_graphml(graph, str(temporary))
    return graph.number_of_nodes(), graph.number_of_edges()
