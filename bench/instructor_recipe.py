"""instructor's documented batch recipe: asyncio.gather over a Semaphore.

python bench/instructor_recipe.py URL FOLDER CONCURRENCY
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import instructor
import openai

from summarizer.article import Article
from summarizer.extraction.prompts import build_messages
from summarizer.grounding.draft import ArticleSummary


async def main() -> None:
    url, folder, concurrency = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    client = instructor.from_openai(openai.AsyncOpenAI(base_url=url, api_key="x", max_retries=0))
    limit = asyncio.Semaphore(concurrency)

    async def one(path: Path) -> ArticleSummary:
        async with limit:
            article = Article(path.read_text(encoding="utf-8"))
            return await client.create(
                model="gpt-4o-mini",
                response_model=ArticleSummary,
                messages=build_messages(article),  # type: ignore[arg-type]
                temperature=0.0,
                max_tokens=4096,
            )

    results = await asyncio.gather(*(one(p) for p in sorted(folder.glob("*.txt"))))
    assert all(r.actors for r in results)


if __name__ == "__main__":
    asyncio.run(main())
