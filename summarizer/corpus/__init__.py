"""A folder of summaries seen as one corpus: its documents and the actors linked
across them, for the report and the exports."""

from summarizer.corpus.linking import Node, link_actors
from summarizer.corpus.load import Corpus, Document, load_corpus

__all__ = ["Corpus", "Document", "Node", "link_actors", "load_corpus"]
