"""The report page in a real headless Chromium (Debian's package, driven by Playwright):
no console errors, the counts the summaries give, filters, a click on a line, the
article view, nothing fetched from the network, and article text kept as text."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from corpus_data import summary, write, write_sample

from summarizer.cli.main import main
from summarizer.corpus import load_corpus
from summarizer.report import build_report
from summarizer.report.data import payload

SCREENSHOTS = ROOT / ".pytest-artifacts"


def _browser_or_skip() -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        reason = "no Chromium on this machine (apt-get install chromium): browser tests skipped"
        print(reason)
        pytest.skip(reason)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright is not installed (pip install playwright): browser tests skipped"
        print(reason)
        pytest.skip(reason)
    return chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # The proxy leads nowhere: a page that fetched anything from the network fails.
        launched = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--proxy-server=http://127.0.0.1:9"],
        )
        yield launched
        launched.close()


class Page:
    """An opened report, with what went wrong in it and every request it made."""

    def __init__(self, browser: Any, path: Path):
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready='1']")

    def counts(self) -> tuple[int, int]:
        nodes, edges = self.page.eval_on_selector(
            "#network", "c => [Number(c.dataset.nodes), Number(c.dataset.edges)]"
        )
        return nodes, edges

    def click_between(self, a: str, b: str) -> None:
        """Click the middle of the line between two actors (by name)."""
        point = self.page.evaluate(
            """([a, b]) => {
                const r = window.summarizerReport, d = r.data;
                const id = (name) => Object.keys(d.names).find((k) => d.names[k] === name);
                const p = r.position(id(a)), q = r.position(id(b));
                const c = document.getElementById('network'), box = c.getBoundingClientRect();
                const sx = box.width / c.width, sy = box.height / c.height;
                return [box.left + ((p.x + q.x) / 2) * sx, box.top + ((p.y + q.y) / 2) * sy];
            }""",
            [a, b],
        )
        self.page.mouse.click(point[0], point[1])


@pytest.fixture
def sample_report(tmp_path: Path) -> Path:
    write_sample(tmp_path / "out")
    build_report(tmp_path / "out", tmp_path / "report.html", title="Sample")
    return tmp_path / "report.html"


def test_the_page_shows_the_counts_the_summaries_give(browser: Any, sample_report: Path) -> None:
    data = payload(load_corpus(sample_report.parent / "out"))
    view = Page(browser, sample_report)
    assert view.errors == []
    in_meetings = {n for m in data["meetings"] for n in m["p"]}
    assert view.counts() == (len(in_meetings), len(data["edges"])) == (5, 3)
    line = view.page.inner_text("#summary-line")
    assert "4 articles" in line and "4 meetings" in line and "3 proposals" in line
    assert view.page.get_attribute("#timeline", "data-rows") == "7"  # 4 meetings, 3 proposals
    SCREENSHOTS.mkdir(exist_ok=True)
    view.page.screenshot(path=str(SCREENSHOTS / "report-sample.png"), full_page=True)
    assert (SCREENSHOTS / "report-sample.png").stat().st_size > 10_000
    assert all(url.startswith("file:") for url in view.requests), view.requests


def test_filters_change_the_visible_lines(browser: Any, sample_report: Path) -> None:
    view = Page(browser, sample_report)
    view.page.uncheck("#status-happened")
    assert view.counts() == (2, 1), "only the planned meeting is left"
    view.page.check("#status-happened")
    view.page.fill("#from", "2025-01-01")
    view.page.dispatch_event("#from", "change")
    assert view.counts() == (2, 1), "2024 and undated meetings drop out"
    assert view.page.get_attribute("#timeline", "data-rows") == "4"
    view.page.click("#reset")
    assert view.counts() == (5, 3)
    assert view.errors == []


def test_a_click_on_a_line_lists_its_meetings_with_links(browser: Any, sample_report: Path) -> None:
    view = Page(browser, sample_report)
    view.click_between("Sergey Lavrov", "Asaad al-Shaibani")
    assert view.page.is_visible("#edge-panel")
    assert "2 meetings" in view.page.inner_text("#edge-title")
    items = view.page.locator("#edge-meetings li")
    assert items.count() == 2
    assert "phone" in items.nth(0).inner_text() and "2025-06-09" in items.nth(0).inner_text()
    view.page.locator("#edge-meetings a").first.click()
    view.page.wait_for_selector("#article-view h3")
    assert view.page.inner_text("#article-view h3") == "phone-call"
    assert view.errors == []


def test_an_article_shows_its_text_with_quotes_and_evidence_marked(
    browser: Any, sample_report: Path
) -> None:
    view = Page(browser, sample_report)
    index = next(
        i
        for i, d in enumerate(payload(load_corpus(sample_report.parent / "out"))["docs"])
        if d["name"] == "moscow-talks"
    )
    view.page.goto(f"{sample_report.as_uri()}#doc={index}")
    view.page.wait_for_selector("#article-view mark.quote")
    assert view.page.inner_text("#article-view mark.quote") == "We are ready to help,"
    assert view.page.get_attribute("#article-view mark.quote", "title") == "Sergey Lavrov"
    assert view.page.locator("#article-view mark.meeting").count() == 1
    assert view.page.locator("#article-view mark.proposal").count() == 1
    summary_beside = view.page.inner_text("#article-view")
    assert (
        "Sergey Lavrov, Asaad al-Shaibani: in person, Moscow, 2025-10-02 happened" in summary_beside
    )
    assert (
        "Sergey Lavrov invitation to Ahmad al-Sharaa: attend the summit in October made"
        in summary_beside
    )
    # An article whose text is not beside its summary lists its evidence instead.
    planned = next(
        i
        for i, d in enumerate(payload(load_corpus(sample_report.parent / "out"))["docs"])
        if d["name"] == "planned"
    )
    view.page.goto(f"{sample_report.as_uri()}#doc={planned}")
    view.page.wait_for_function(
        "document.querySelector('#article-view h3').textContent === 'planned'"
    )
    assert "text was not found" in view.page.inner_text("#article-view")
    assert view.errors == []


def test_article_text_that_looks_like_markup_stays_text(browser: Any, tmp_path: Path) -> None:
    text = 'Eve Mallory met Bob Stone. "</script><script>alert(1)</script><img src=x onerror=alert(2)>," Eve Mallory said.'
    made = summary(
        text,
        actors=[{"id": "a1", "name": "Eve Mallory"}, {"id": "a2", "name": "Bob Stone"}],
        meetings=[{"participants": ["a1", "a2"], "evidence": "Eve Mallory met Bob Stone."}],
        statements=[
            {
                "speaker": "a1",
                "cue": "said",
                "content": "</script><script>alert(1)</script>",
                "verbatim": True,
                "quote": "</script><script>alert(1)</script><img src=x onerror=alert(2)>,",
                "evidence": text[text.index('"') :],
            }
        ],
    )
    write(tmp_path / "out", "markup", text, made)
    build_report(tmp_path / "out", tmp_path / "report.html")
    view = Page(browser, tmp_path / "report.html")
    view.page.goto((tmp_path / "report.html").as_uri() + "#doc=0")
    view.page.wait_for_selector("#article-view mark.quote")
    assert "<script>alert(1)</script>" in view.page.inner_text("#article-view mark.quote")
    assert view.dialogs == [] and view.errors == []
    assert view.page.locator("#article-view img").count() == 0


def test_the_cli_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_sample(tmp_path / "out")
    assert main(["report", str(tmp_path / "out"), "-o", str(tmp_path / "r.html")]) == 0
    err = capsys.readouterr().err
    assert "report of 4 summaries, 10 actors, 4 meetings" in err
    html = (tmp_path / "r.html").read_text()
    assert "http://" not in html.replace("http://127", "") and "https://" not in html
    start = html.index('id="report-data">') + len('id="report-data">')
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["counts"]["documents"] == 4
    assert main(["report", str(tmp_path / "missing"), "-o", str(tmp_path / "x.html")]) == 2
    assert "not a folder of summaries" in capsys.readouterr().err


def test_marks_land_on_their_text_after_emoji_and_a_quote_inside_a_meeting_keeps_its_speaker(
    browser: Any, tmp_path: Path
) -> None:
    text = '🇺🇸🇷🇺 Talks 😀. Ann Lee met Bo Chan and said "we will talk" in Geneva.'
    sentence = text[text.index("Ann") :]
    made = summary(
        text,
        actors=[{"id": "a1", "name": "Ann Lee"}, {"id": "a2", "name": "Bo Chan"}],
        meetings=[{"participants": ["a1", "a2"], "evidence": sentence}],
        statements=[
            {
                "speaker": "a1",
                "cue": "said",
                "content": "we will talk",
                "verbatim": True,
                "quote": "we will talk",
                "evidence": sentence,
            }
        ],
    )
    write(tmp_path / "out", "emoji", text, made)
    build_report(tmp_path / "out", tmp_path / "report.html")
    view = Page(browser, tmp_path / "report.html")
    view.page.goto((tmp_path / "report.html").as_uri() + "#doc=0")
    view.page.wait_for_selector("#article-view mark.quote")
    assert view.page.inner_text("#article-view mark.quote") == "we will talk"
    assert view.page.get_attribute("#article-view mark.quote", "title") == "Ann Lee"
    meeting = "".join(view.page.locator("#article-view mark.meeting").all_inner_texts())
    assert meeting == sentence
    assert view.errors == []
