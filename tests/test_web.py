"""Web pages as input (the `web` extra): HTML files and http(s) URLs become article text.

The pages in `tests/web_pages/` were written for these tests (invented people and places),
each with a news article surrounded by what real pages put around one: menus, a cookie
banner, advertisements, related links, reader comments, a footer. URLs are served by a
real HTTP server on loopback.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, FIXTURES, assert_grounded, error_lines
from openai_server import OpenAIServer, answer

from summarizer import Summary, __version__, summarize_file
from summarizer.article import Article
from summarizer.batch import DirectorySink, Outcome
from summarizer.cli.main import main
from summarizer.errors import InputError
from summarizer.io.inputs import InputRef, expand_paths, read_article
from summarizer.io.web import WebArticle, fetch_page, user_agent
from summarizer.testing import FunctionBackend

PAGES = Path(__file__).resolve().parent / "web_pages"
HARBOUR = PAGES / "harbour-talks.html"  # UTF-8, <article>, og:title, article:published_time
RIVER = PAGES / "river-accord.htm"  # windows-1252, <div>s only, JSON-LD datePublished
WALL = PAGES / "cookie-wall.html"  # a consent wall and nothing else

EXTRA = "pip install 'summarizer[web]'"

ARTICLES = {
    HARBOUR: [
        "Norland's Foreign Minister Ilse Marten and her Ostravian counterpart Tomas Velkov met "
        "in the harbour town of Selvik on Wednesday",
        '"We have spent too long talking about each other instead of to each other," Marten '
        "told reporters after the talks.",
        '"Today we chose the second way."',
        '"Nobody wins when the lorries stand still for months," he said.',
        "Marten invited Velkov to continue the talks in the Norland capital, Oster, in May.",
        "north of the Selvik lighthouse.",
    ],
    RIVER: [
        "Environment Minister Renée Duné of Velaria and Water Commissioner Chidi Okafor",
        "Duné called the accord “a promise to the farmers downstream that the river will not "
        "run dry before it reaches them.”",
        "“If the numbers are public, nobody has to take anybody’s word for it,” he said.",
        "Duné proposed that farmers’ groups be invited to that review.",
    ],
}
FURNITURE = {
    HARBOUR: [
        *("World Desk", "Markets Today", "Sport Roundup", "Subscribe for 1 krona"),  # menu
        *("We use cookies", "Accept all", "Manage preferences"),  # cookie banner
        *("Aurora Air", "Brennick Insurance", "Grand Hotel Kessing", "ADVERTISEMENT"),  # ads
        *("Related stories", "Quota dispute leaves Selvik fleet idle", "A short history"),
        *("Comments (3)", "Gunnar", "Henrik Dahl", "Sigrun Alvik", "was always ours"),
        *("fishermen of Brekke", "Post comment"),  # comments
        *("All rights reserved", "Privacy policy", "Morning Ledger newsletter"),  # footer
    ],
    RIVER: [
        *("Log in", "E-paper edition", "Weather & Tides", "Obituaries", "Classifieds"),
        *("Courier Plus", "Lisk Garden Centre", "Advertisement"),  # ads
        *("Share on Chirper", "Print this story"),
        *("More from the Valley Courier", "Flood barriers tested", "ferry timetable"),
        *("Reader comments", "Marek from Lisk", "in 2019", "see my fields in August"),
        *("Most read", "fog in the valley", "Imprint", "Terms of use"),
    ],
}


@pytest.fixture
def extractor() -> str:
    """The extractor's name and version, as provenance records it."""
    trafilatura = pytest.importorskip("trafilatura")
    return f"trafilatura {trafilatura.__version__}"


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if `summarizer[web]` were not installed: importing trafilatura fails."""
    monkeypatch.setitem(sys.modules, "trafilatura", None)


def harbour_answer(text: str) -> dict[str, Any]:
    """A hand-written answer for the harbour page's article (sentences cited by number)."""
    sentences = Article(text).sentences

    def n(words: str) -> int:
        return next(s.number for s in sentences if words in s.text)

    return {
        "abstract": "The foreign ministers Ilse Marten and Tomas Velkov met in Selvik and "
        "agreed to reopen the border crossing. Marten invited Velkov to more talks in May.",
        "actors": [
            {"id": "a1", "kind": "person", "name": "Ilse Marten", "aliases": ["Marten"]},
            {"id": "a2", "kind": "person", "name": "Tomas Velkov", "aliases": ["Velkov"]},
        ],
        "meetings": [
            {
                "participants": ["a1", "a2"],
                "mode": "in_person",
                "place": "Selvik",
                "date_text": "Wednesday",
                "status": "happened",
                "evidence": [n("met in the harbour town")],
            }
        ],
        "statements": [
            {
                "speaker": "a1",
                "cue": "told reporters",
                "content": "The two sides had talked about each other instead of to each other.",
                "verbatim": True,
                "quote": "We have spent too long talking about each other instead of to each other",
                "evidence": [n("We have spent too long")],
            },
            {
                "speaker": "a2",
                "cue": "said",
                "content": "Nobody wins when the lorries stand still.",
                "verbatim": True,
                "quote": "Nobody wins when the lorries stand still for months",
                "evidence": [n("Nobody wins")],
            },
        ],
        "proposals": [
            {
                "kind": "invitation",
                "proposer": "a1",
                "recipients": ["a2"],
                "content": "To continue the talks in Oster in May.",
                "proposed_date_text": "May",
                "status": "accepted",
                "evidence": [n("Marten invited Velkov"), n("Velkov accepted")],
            }
        ],
    }


# --- extraction ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", [HARBOUR, RIVER], ids=lambda p: p.name)
def test_the_extracted_text_holds_the_article_and_none_of_the_furniture(
    page: Path, extractor: str
) -> None:
    article = read_article(InputRef(str(page)))
    assert isinstance(article, WebArticle)
    for words in ARTICLES[page]:
        assert " ".join(words.split()) in article.text, words
    for furniture in FURNITURE[page]:
        assert furniture not in article.text, furniture
    assert article.extractor == extractor and article.path == str(page) and article.url is None
    # One paragraph per block, a blank line between them: paragraphs end sentences.
    assert "\n\n" in article.text and "\n\n\n" not in article.text
    assert all(line.strip() == line for line in article.text.split("\n\n"))


def test_title_and_date_come_from_the_page_metadata(extractor: str) -> None:
    harbour = read_article(InputRef(str(HARBOUR)))
    assert isinstance(harbour, WebArticle)
    assert harbour.title == "Marten and Velkov agree to reopen the Selvik crossing"  # og:title
    assert str(harbour.published) == "2024-03-14"  # published, not modified (03-15)
    river = read_article(InputRef(str(RIVER)))
    assert isinstance(river, WebArticle)
    assert river.title == "Duné and Okafor sign the Amsel river accord"  # windows-1252 read
    assert str(river.published) == "2023-11-08"  # from JSON-LD


def test_a_page_without_an_article_is_refused(extractor: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as wall:
        read_article(InputRef(str(WALL)))
    assert str(wall.value) == (
        f"{WALL}: an HTML page, not article text: {extractor} found no article in it"
    )
    tiny = tmp_path / "tiny.html"
    tiny.write_text("<!DOCTYPE html><html><body><p>Lavrov met al-Shaibani.</p></body></html>")
    with pytest.raises(InputError, match=r"found no article in it \(only 23 characters"):
        read_article(InputRef(str(tiny)))
    empty = tmp_path / "empty.htm"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty$"):
        read_article(InputRef(str(empty)))


def test_a_page_is_found_by_its_content_whatever_its_name(extractor: str, tmp_path: Path) -> None:
    """A page saved as .txt, even behind a UTF-16 byte-order mark, is read as a page."""
    from_html = read_article(InputRef(str(HARBOUR)))
    saved = tmp_path / "saved.txt"
    saved.write_bytes(HARBOUR.read_text(encoding="utf-8").encode("utf-16"))
    article = read_article(InputRef(str(saved)))
    assert isinstance(article, WebArticle) and article.text == from_html.text
    assert read_article(InputRef(str(EXAMPLE))).__class__ is Article  # text stays text


# --- the command, end to end --------------------------------------------------------------


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["summarize", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_page_end_to_end_with_its_text_saved_beside_the_summary(
    tmp_path: Path, extractor: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = read_article(InputRef(str(HARBOUR))).text
    out = tmp_path / "out"
    with OpenAIServer(default=answer(harbour_answer(text))) as server:
        args = [str(HARBOUR), "--base-url", server.url, "--api-key", "sk-test"]
        args += ["--model", "test-model", "--output-dir", str(out)]
        code, _, err = _run(args, capsys)
        assert code == 0, err
        assert error_lines(err) == [] and "summarizer: trafilatura" not in err  # no log noise
        sent = server.received[0].raw.decode()
        assert "Nobody wins when the lorries stand still" in sent  # the article was sent
        assert "Brennick Insurance" not in sent and "Henrik Dahl" not in sent  # not the rest

        summary = Summary.model_validate_json((out / "harbour-talks.json").read_text("utf-8"))
        source = summary.provenance.source
        assert source.extractor == extractor and extractor.startswith("trafilatura ")
        assert source.title == "Marten and Velkov agree to reopen the Selvik crossing"
        assert str(source.published) == "2024-03-14"
        assert source.path == str(HARBOUR) and source.url is None
        assert source.text_file == "harbour-talks.source.txt"
        saved = (out / source.text_file).read_bytes()
        assert hashlib.sha256(saved).hexdigest() == source.sha256  # byte for byte
        assert saved.decode("utf-8") == text and source.chars == len(text)
        # Every span points into the saved text; the page's date resolved "Wednesday".
        assert assert_grounded(summary, saved.decode("utf-8")) >= 5
        assert [s.quote.text for s in summary.statements if s.quote] == [
            "We have spent too long talking about each other instead of to each other",
            "Nobody wins when the lorries stand still for months",
        ]
        assert str(summary.meetings[0].date) == "2024-03-13"
        assert sorted(p.name for p in out.iterdir()) == [
            "harbour-talks.json",
            "harbour-talks.source.txt",
        ]

        # The same command resumes: the summary of this very text is there.
        code, _, err = _run(args, capsys)
        assert code == 0 and "1 skipped" in err.splitlines()[-1] and len(server.received) == 1
        # Without its text file a summary is not done: it is redone (from the cache).
        (out / "harbour-talks.source.txt").unlink()
        code, _, err = _run(args, capsys)
        assert code == 0 and "1 summarized (1 from cache)" in err.splitlines()[-1], err
        assert len(server.received) == 1
    assert (out / "harbour-talks.source.txt").read_bytes() == saved
    again = json.loads((out / "harbour-talks.json").read_text("utf-8"))["provenance"]
    assert again["cached"] and again["source"]["title"] == source.title  # cache hits too
    assert again["source"]["text_file"] == "harbour-talks.source.txt"


def test_on_stdout_nothing_is_saved_and_date_wins_over_the_page(
    tmp_path: Path, extractor: str, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    text = read_article(InputRef(str(HARBOUR))).text
    with OpenAIServer(default=answer(harbour_answer(text))) as server:
        args = [str(HARBOUR), "--base-url", server.url, "--api-key", "sk-test", "-q"]
        code, out, err = _run([*args, "--date", "2024-03-20"], capsys)
    assert code == 0, err
    source = json.loads(out)["provenance"]["source"]
    assert source["text_file"] is None and source["extractor"] == extractor
    assert source["published"] == "2024-03-20"  # --date, not the page's 2024-03-14
    assert list(here.iterdir()) == []


def test_a_failed_page_takes_its_saved_text_with_its_summary(
    tmp_path: Path, extractor: str
) -> None:
    article = read_article(InputRef(str(HARBOUR)))
    summary = summarize_file(HARBOUR, transport=FunctionBackend.minimal())
    sink, ref = DirectorySink(tmp_path, "json"), InputRef(str(HARBOUR))
    sink.write(Outcome(ref, summary=summary, text=article.text))
    assert (tmp_path / "harbour-talks.source.txt").read_text("utf-8") == article.text
    sink.write(Outcome(ref, error=InputError("later it failed")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["harbour-talks.error.json"]


def test_python_api_reads_pages_and_names_them_in_provenance(extractor: str) -> None:
    summary = summarize_file(RIVER, transport=FunctionBackend.minimal())
    source = summary.provenance.source
    assert (source.extractor, source.title) == (
        extractor,
        "Duné and Okafor sign the Amsel river accord",
    )
    assert str(source.published) == "2023-11-08" and source.text_file is None
    later = summarize_file(RIVER, transport=FunctionBackend.minimal(), published="2023-11-10")
    assert str(later.provenance.source.published) == "2023-11-10"


# --- inputs: folders and URLs -------------------------------------------------------------


def test_folders_pick_up_pages_and_leave_out_saved_texts(tmp_path: Path, extractor: str) -> None:
    for name in ("a.txt", "b.md", "c.html", "d.HTM", "e.pdf", "c.json", "c.source.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "notes.source.txt").write_text("x")  # no summary beside it: an article
    names = [Path(ref.name).name for ref in expand_paths([str(tmp_path)])]
    assert names == ["a.txt", "b.md", "c.html", "d.HTM", "notes.source.txt"]


def test_urls_are_inputs_with_names_of_their_own() -> None:
    urls = [
        "https://news.example/2024/03/talks.html?id=1",
        "https://other.example/world/talks/",
        "http://news.example",
        "HTTPS://news.example/a%20b/Lisk%20accord#top",
    ]
    refs = expand_paths([*urls, urls[0]])
    assert [ref.name for ref in refs] == urls  # passed through, the repeat merged
    assert all(ref.is_url and ref.is_page for ref in refs)
    stems = [ref.stem for ref in refs]
    assert stems[0].startswith("talks-") and stems[1].startswith("talks-")  # told apart
    assert stems[0] != stems[1] and len(stems[0]) == len("talks-") + 8
    assert stems[2:] == ["news.example", "Lisk-20accord"]
    with pytest.raises(InputError, match="a URL, not a file"):
        read_article(refs[0])


# --- URLs from a loopback server ----------------------------------------------------------


@dataclass
class Page:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # before the headers
    drip: float = 0.0  # between chunks of 64 bytes of the body


class PageServer:
    """Web pages on loopback; every request's path and headers are kept."""

    def __init__(self, pages: dict[str, Page]):
        self.pages = pages
        self.received: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                page = server.pages.get(self.path) or Page(404, HTML, b"<html>gone</html>")
                time.sleep(page.delay)
                try:
                    self.send_response(page.status)
                    for key, value in page.headers.items():
                        self.send_header(key, value)
                    self.send_header("content-length", str(len(page.body)))
                    self.end_headers()
                    for at in range(0, len(page.body), 64 if page.drip else len(page.body) or 1):
                        self.wfile.write(page.body[at : at + (64 if page.drip else len(page.body))])
                        self.wfile.flush()
                        time.sleep(page.drip)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


HTML = {"content-type": "text/html; charset=utf-8"}


@pytest.fixture
def site() -> Iterator[PageServer]:
    harbour = HARBOUR.read_bytes()
    pages = {
        "/news/harbour-talks": Page(200, HTML, harbour),
        "/old/harbour": Page(301, {"location": "/news/harbour-talks"}, b""),
        "/river": Page(200, {"content-type": "text/html"}, RIVER.read_bytes()),  # <meta> charset
        "/untyped": Page(200, {}, harbour),
        "/report.pdf": Page(200, {"content-type": "application/pdf"}, b"%PDF-1.7\n%\xe2\xe3\n"),
        "/photo": Page(200, {"content-type": "image/jpeg"}, b"\xff\xd8\xff\xe0"),
        "/slow": Page(200, HTML, harbour, delay=3.0),
        "/drip": Page(200, HTML, harbour, drip=0.1),
        "/loop": Page(302, {"location": "/loop"}, b""),
        "/broken": Page(500, HTML, b"<html>oops</html>"),
    }
    with PageServer(pages) as server:
        yield server


def test_urls_end_to_end(
    tmp_path: Path, site: PageServer, extractor: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pages served on loopback: one fetched, one through a redirect; a PDF, a missing
    page and a page slower than --timeout each fail with one line; the rest go on."""
    text = read_article(InputRef(str(HARBOUR))).text
    out = tmp_path / "out"
    good, moved = site.url("/news/harbour-talks"), site.url("/old/harbour")
    pdf, missing, slow = site.url("/report.pdf"), site.url("/gone"), site.url("/slow")
    with OpenAIServer(default=answer(harbour_answer(text))) as model:
        args = [good, moved, pdf, missing, slow, "--base-url", model.url, "--api-key", "k"]
        args += ["--output-dir", str(out), "--timeout", "1"]
        started = time.monotonic()
        code, _, err = _run(args, capsys)
    assert code == 1, err
    assert time.monotonic() - started < 2.9  # the slow page was not waited for
    assert sorted(error_lines(err)) == sorted(
        [
            f"summarizer: error: {pdf}: not a web page (content type application/pdf); "
            "only HTML is read",
            f"summarizer: error: {missing}: HTTP 404 Not Found",
            f"summarizer: error: {slow}: no answer within 1 s (--timeout to change it)",
        ]
    )
    assert err.splitlines()[-1].startswith("summarizer: 5 inputs: 2 summarized, 3 failed")

    for stem, asked in (("harbour-talks", good), ("harbour", moved)):
        summary = Summary.model_validate_json((out / f"{stem}.json").read_text("utf-8"))
        source = summary.provenance.source
        assert source.path == asked and source.url == good  # after the redirect
        assert source.extractor == extractor and str(source.published) == "2024-03-14"
        assert source.title == "Marten and Velkov agree to reopen the Selvik crossing"
        assert source.text_file == f"{stem}.source.txt"
        saved = (out / source.text_file).read_text("utf-8")
        assert saved == text and assert_grounded(summary, saved) >= 5
    for stem in ("report", "gone", "slow"):
        record = json.loads((out / f"{stem}.error.json").read_text("utf-8"))
        assert record["error"]["kind"] == "input" and record["source"].startswith("http://")

    agents = {headers["user-agent"] for _, headers in site.received}
    assert (
        agents == {user_agent()} == {f"summarizer/{__version__} (news summarizer; python-httpx2)"}
    )
    assert all("text/html" in headers["accept"] for _, headers in site.received)


def test_fetching_refuses_what_is_not_a_page(site: PageServer, extractor: str) -> None:
    def fetch(path: str, timeout: float = 5, max_bytes: int = 5_000_000) -> WebArticle:
        return asyncio.run(fetch_page(site.url(path), timeout=timeout, max_bytes=max_bytes))

    river = fetch("/river")  # no charset in the header: the page's <meta> says cp1252
    assert "Renée Duné" in river.text and river.url == site.url("/river")
    untyped = fetch("/untyped")  # no content type at all: it opens like a page
    assert untyped.title == "Marten and Velkov agree to reopen the Selvik crossing"
    refused = {
        "/photo": "not a web page (content type image/jpeg); only HTML is read",
        "/loop": "more than 5 redirects",
        "/broken": "HTTP 500 Internal Server Error",
    }
    for path, message in refused.items():
        with pytest.raises(InputError) as caught:
            fetch(path)
        assert str(caught.value) == f"{site.url(path)}: {message}"
    with pytest.raises(InputError, match=r"too large for one article \(\d[\d,]* bytes; the limit"):
        fetch("/news/harbour-talks", max_bytes=1000)
    started = time.monotonic()  # every chunk arrives in time, the whole page does not
    with pytest.raises(InputError, match=r"no answer within 0.5 s"):
        fetch("/drip", timeout=0.5)
    assert time.monotonic() - started < 2
    with pytest.raises(InputError, match=r"cannot connect \("):
        asyncio.run(fetch_page("http://127.0.0.1:9/", timeout=2, max_bytes=1000))


def test_python_api_fetches_urls(site: PageServer, extractor: str) -> None:
    url = site.url("/old/harbour")
    summary = summarize_file(url, transport=FunctionBackend.minimal(), timeout=5)
    source = summary.provenance.source
    assert (source.path, source.url) == (url, site.url("/news/harbour-talks"))
    assert source.extractor == extractor and source.text_file is None


# --- without the extra ----------------------------------------------------------------------


def test_without_the_extra_pages_are_refused_naming_it(
    tmp_path: Path, without_extra: None, site: PageServer, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(InputError) as page:
        read_article(InputRef(str(HARBOUR)))
    assert str(page.value).startswith(
        f"{HARBOUR}: an HTML page, not article text; to read web pages, {EXTRA}"
    )
    # A folder's pages are left alone (as before the extra existed); its articles run.
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "article.txt").write_bytes(EXAMPLE.read_bytes())
    (folder / "page.html").write_bytes(HARBOUR.read_bytes())
    assert [Path(r.name).name for r in expand_paths([str(folder)])] == ["article.txt"]
    pages_only = tmp_path / "pages"
    pages_only.mkdir()
    (pages_only / "page.htm").write_bytes(RIVER.read_bytes())
    url = site.url("/news/harbour-talks")
    args = [str(folder), str(pages_only), str(HARBOUR), url, "--replay", str(FIXTURES)]
    code, out, err = _run(args, capsys)
    assert code == 1
    assert sorted(error_lines(err)) == sorted(
        [
            f"summarizer: error: {pages_only}: folder holds no .txt or .md files "
            f"(to read its web pages, {EXTRA})",
            f"summarizer: error: {page.value}",
            f"summarizer: error: {url}: an HTML page, not article text; to read web pages, "
            f"{EXTRA} (or save the article's text: the browser's reader view, "
            "`pandoc -t plain PAGE.html`)",
        ]
    )
    assert not site.received  # nothing fetched that could not be read
    assert len(out.splitlines()) == 4  # one JSON line per input, the article summarized
