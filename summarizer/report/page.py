"""The report as one HTML file: the data, the script and the styles inline, nothing
fetched when it is opened (its Content-Security-Policy forbids it), so it can be
mailed, archived or opened offline.

The page is drawn by its own ~300 lines of script on a canvas rather than a graph
library: a self-contained file would have to carry the library, and a network of at
most `MAX_DRAWN` actors (the best connected; filters and counts cover all) needs only a
small force layout. Every piece of article text is put in the page as text, never as
markup.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from summarizer.corpus import Corpus, load_corpus
from summarizer.io.files import write_atomic
from summarizer.report.data import MAX_DRAWN, payload

__all__ = ["build_report", "render_report"]


def render_report(corpus: Corpus, *, title: str = "Summaries", max_drawn: int = MAX_DRAWN) -> str:
    """The page's HTML."""
    from jinja2 import Environment

    env = Environment(autoescape=True)
    template = env.from_string(_asset("page.html.j2"))
    data = _script_json(payload(corpus, max_drawn=max_drawn))
    from markupsafe import Markup

    return template.render(
        title=title, css=Markup(_asset("page.css")), js=Markup(_asset("page.js")), data=Markup(data)
    )


def build_report(
    folder: str | Path, output: str | Path, *, title: str | None = None, max_drawn: int = MAX_DRAWN
) -> Corpus:
    """Read the summaries in `folder` and write the page to `output` (atomically);
    returns the corpus it was made of."""
    corpus = load_corpus(folder)
    page = render_report(
        corpus, title=title or f"Summaries in {Path(folder).name}", max_drawn=max_drawn
    )
    write_atomic(Path(output), page)
    return corpus


def _script_json(data: dict[str, Any]) -> str:
    """JSON that cannot end its <script> element early, whatever the articles say."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def _asset(name: str) -> str:
    return resources.files("summarizer.report").joinpath("assets", name).read_text("utf-8")
