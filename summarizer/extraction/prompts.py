"""Prompt templates, rendered here with the article as a variable.

The rendered text goes to instructor with no `context`, so instructor never runs it
through Jinja a second time: an article containing `{{ 7*7 }}` reaches the model as is.
"""

from __future__ import annotations

import hashlib
import itertools
from functools import cache
from pathlib import Path

import jinja2

from summarizer.article import Article

__all__ = ["TEMPLATES", "build_messages", "prompt_version", "render"]


# The templates each extraction strategy sends; its prompt version hashes exactly these.
TEMPLATES = {
    "single": ("system.j2", "article.j2"),
    "focused": (
        "focused_abstract.j2",
        "focused_meeting.j2",
        "focused_proposal.j2",
        "focused_speaker.j2",
    ),
}


def _template_dir() -> Path:
    """Inside a wheel the templates live in the package; in a checkout, beside it."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "prompts", package.parent / "prompts"):
        if (candidate / "system.j2").is_file():
            return candidate
    raise FileNotFoundError(f"prompt templates not found beside {package}")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_template_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
    )


@cache
def prompt_version(strategy: str = "single") -> str:
    """A short hash of a strategy's templates: changes whenever one of them changes."""
    digest = hashlib.sha256()
    for name in TEMPLATES[strategy]:
        digest.update(name.encode())
        digest.update((_template_dir() / name).read_bytes())
    return digest.hexdigest()[:12]


def render(name: str, **variables: object) -> str:
    """One template, with its variables inserted as data (never re-parsed as Jinja)."""
    return _environment().get_template(name).render(**variables).strip()


def build_messages(article: Article) -> list[dict[str, str]]:
    """The chat messages for one article: the rules, then the numbered sentences."""
    env = _environment()
    paragraphs = [list(g) for _, g in itertools.groupby(article.sentences, lambda s: s.paragraph)]
    quotations = [
        {"id": f"q{i}", "sentences": q.sentences, "preview": _preview(q.text(article))}
        for i, q in enumerate(article.quotations, start=1)
    ]
    return [
        {"role": "system", "content": env.get_template("system.j2").render().strip()},
        {
            "role": "user",
            "content": env.get_template("article.j2")
            .render(paragraphs=paragraphs, quotations=quotations)
            .strip(),
        },
    ]


def _preview(text: str, head: int = 6, tail: int = 3) -> str:
    """Enough of a quotation to tell it apart; the model cites it by id, not by copy."""
    words = text.split()
    if len(words) <= head + tail + 2:
        return " ".join(words)
    return " ".join(words[:head]) + " … " + " ".join(words[-tail:])
