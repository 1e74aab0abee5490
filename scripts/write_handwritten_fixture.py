"""Turn a hand-written answer into a replay fixture for the current prompt and schema.

    python scripts/write_handwritten_fixture.py ARTICLE ANSWER.json OUT_DIR [--model M] [--mode M]

The request side is produced by the real pipeline, so the fixture's key matches what
`summarizer summarize ARTICLE --replay OUT_DIR` sends. The metadata says plainly that the
answer was written by a person, not returned by a model. Rerun after changing a prompt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from summarizer import Summarizer, resolve_settings
from summarizer.backends.recording import FixtureStore, RecordingTransport
from summarizer.io.inputs import InputRef, read_article
from summarizer.testing import answer_transport

NOTE = (
    "Answer written by hand as an example of what a capable model returns for this "
    "article; it is not the output of any model."
)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article")
    parser.add_argument("answer", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--model")
    parser.add_argument("--mode")
    args = parser.parse_args()
    answer = json.loads(args.answer.read_text(encoding="utf-8"))
    settings = resolve_settings(
        model=args.model, mode=args.mode, base_url="http://127.0.0.1:9/v1", env={}
    )
    transport = RecordingTransport(
        FixtureStore(args.out), answer_transport(answer), origin="hand-written", note=NOTE
    )
    article = read_article(InputRef(args.article))
    async with Summarizer(settings, transport=transport) as client:
        summary = await client.summarize(article)
    print(f"wrote a fixture for {args.article}: {len(summary.statements)} statements")


if __name__ == "__main__":
    asyncio.run(main())
