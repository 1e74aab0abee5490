"""Reading a folder of summaries (as `summarize --output-dir` or `batch collect` write
them) into documents, with their source texts where they can still be read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from summarizer.corpus.linking import Node, link_actors
from summarizer.errors import ConfigurationError, InputError
from summarizer.io.inputs import decode
from summarizer.schema import Meeting, Proposal, Summary

__all__ = ["Corpus", "Document", "load_corpus"]


@dataclass
class Document:
    """One summary; `text` is its article's text when found and unchanged (its hash is
    the summary's), so evidence spans can be shown in place."""

    name: str  # the summary file's stem
    summary: Summary
    text: str | None = None

    @property
    def title(self) -> str:
        source = self.summary.provenance.source
        return getattr(source, "title", None) or self.name


@dataclass
class Corpus:
    documents: list[Document]
    nodes: list[Node]
    node_of: dict[tuple[int, str], str]  # (document index, actor id) -> node id
    skipped: list[str] = field(default_factory=list)  # files that are not summaries

    def participants(self, doc: int, meeting: Meeting) -> list[str]:
        """The linked nodes of a meeting's participants, each once, in order."""
        out: list[str] = []
        for actor in meeting.participants:
            node = self.node_of.get((doc, actor))
            if node is not None and node not in out:
                out.append(node)
        return out

    def meetings(self) -> Iterator[tuple[int, Meeting, list[str]]]:
        for i, document in enumerate(self.documents):
            for meeting in document.summary.meetings:
                yield i, meeting, self.participants(i, meeting)

    def proposals(self) -> Iterator[tuple[int, Proposal]]:
        for i, document in enumerate(self.documents):
            for proposal in document.summary.proposals:
                yield i, proposal


def load_corpus(folder: str | Path, *, texts: bool = True) -> Corpus:
    """Every `*.json` summary in `folder` (error records and other JSON are skipped and
    listed), sorted by name, with actors linked across documents (`linking.py`).
    `texts`: look for each article's text, at the summary's source path or as
    `NAME.source.txt` beside it, and keep it when its hash is the summary's."""
    root = Path(folder)
    if not root.is_dir():
        raise ConfigurationError(f"{str(root)!r} is not a folder of summaries")
    documents: list[Document] = []
    skipped: list[str] = []
    for path in sorted(root.glob("*.json")):
        if path.name.endswith(".error.json"):
            continue
        try:
            summary = Summary.model_validate_json(path.read_bytes())
        except (OSError, ValidationError):
            skipped.append(path.name)
            continue
        text = _source_text(path, summary) if texts else None
        documents.append(Document(path.stem, summary, text))
    nodes, node_of = link_actors([d.summary for d in documents])
    return Corpus(documents, nodes, node_of, skipped)


def _source_text(summary_path: Path, summary: Summary) -> str | None:
    source = summary.provenance.source
    candidates = [summary_path.with_name(f"{summary_path.stem}.source.txt")]
    if source.path:
        candidates.append(Path(source.path))
    for candidate in candidates:
        try:
            text = decode(candidate.read_bytes(), str(candidate))  # as the run read it
        except (OSError, InputError):
            continue
        if hashlib.sha256(text.encode("utf-8")).hexdigest() == source.sha256:
            return text
    return None
