"""Report build time, file size and page responsiveness for large corpora.

    python bench/report_scale.py [--sizes 1000 10000]

For each size, writes that many generated summaries (`tests/corpus_data.py`:
`write_synthetic`, --people invented people (400), each article one meeting, one quote, one
offer), times `build_report` (load, link, render, write) in this process, and opens the
page in headless Chromium (Debian's package through Playwright): time until the page is
ready (data parsed, layout, network, timeline drawn), time for a status filter to
redraw, time to open one article. Baseline in the same command: loading the corpus
alone (reading and validating the summaries), the floor of any report.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus_data import write_synthetic  # noqa: E402

from summarizer.corpus import load_corpus  # noqa: E402
from summarizer.report import build_report  # noqa: E402


def browse(page_path: Path) -> tuple[float, float, float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        started = time.monotonic()
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=120_000)
        ready = time.monotonic() - started
        started = time.monotonic()
        page.uncheck("#status-happened")
        page.wait_for_function("document.getElementById('network').dataset.edges !== undefined")
        filtered = time.monotonic() - started
        started = time.monotonic()
        page.evaluate("location.hash = '#doc=5'")
        page.wait_for_selector("#article-view mark.quote")
        article = time.monotonic() - started
        browser.close()
    return ready, filtered, article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--people", type=int, default=400, help="invented people to draw from")
    args = parser.parse_args()
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="report-scale-") as tmp:
            folder = Path(tmp) / "out"
            write_synthetic(folder, n, people=args.people)
            started = time.monotonic()
            corpus = load_corpus(folder)
            load = time.monotonic() - started
            started = time.monotonic()
            build_report(folder, Path(tmp) / "report.html")
            build = time.monotonic() - started
            size = (Path(tmp) / "report.html").stat().st_size
            ready, filtered, article = browse(Path(tmp) / "report.html")
            print(
                f"{n:>6,} summaries, {len(corpus.nodes)} actors: load alone {load:.1f} s; "
                f"build {build:.1f} s ({build / load:.2f}x the load); {size / 1e6:.1f} MB; "
                f"page ready {ready:.1f} s, status filter {filtered * 1000:.0f} ms, "
                f"article {article * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
