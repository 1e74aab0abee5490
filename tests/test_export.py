"""`summarizer export`: a folder of summaries as SQLite, CSV and GraphML, row for row
what the summaries hold, written whole or not at all."""

from __future__ import annotations

import argparse
import csv
import re
import sqlite3
import sys
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest
from corpus_data import write_sample, write_synthetic

from summarizer.cli.export import add_export_command, run_export
from summarizer.corpus import Corpus, load_corpus
from summarizer.corpus.exports import (
    TABLE_NAMES,
    corpus_tables,
    export_corpus,
    format_of,
    meeting_graph,
)
from summarizer.errors import ConfigurationError

LAVROV_2025 = """
    SELECT DISTINCT m.id, m.date, m.mode
    FROM meetings m
    JOIN meeting_participants p ON p.meeting_id = m.id
    JOIN actors a ON a.id = p.actor_id
    WHERE a.name = ? AND m.date >= ? AND m.date < ?
    ORDER BY m.date
"""


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    folder = tmp_path / "summaries"
    return folder, write_sample(folder)


def connect(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(path)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def db(sample: tuple[Path, dict[str, int]], tmp_path: Path) -> Iterator[sqlite3.Connection]:
    out = tmp_path / "corpus.sqlite"
    export_corpus(sample[0], out, "sqlite", texts=True)
    yield from connect(out)


def rows(db: sqlite3.Connection, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])


def expected_counts(corpus: Corpus) -> dict[str, int]:
    summaries = [d.summary for d in corpus.documents]
    spans = [len(i.evidence) for s in summaries for i in (*s.meetings, *s.statements, *s.proposals)]
    return {
        "articles": len(summaries),
        "actors": len(corpus.nodes),
        "article_actors": sum(len(s.actors) for s in summaries),
        "meetings": sum(len(s.meetings) for s in summaries),
        "meeting_participants": sum(
            len(set(m.participants)) for s in summaries for m in s.meetings
        ),
        "statements": sum(len(s.statements) for s in summaries),
        "proposals": sum(len(s.proposals) for s in summaries),
        "proposal_recipients": sum(len(set(p.recipients)) for s in summaries for p in s.proposals),
        "evidence": sum(spans),
    }


def cli(argv: list[str]) -> int:
    """The export command as `summarizer` parses it."""
    parser = argparse.ArgumentParser(prog="summarizer")
    add_export_command(parser.add_subparsers(dest="command", required=True))
    return run_export(parser.parse_args(["export", *argv]))


# --- SQLite ---------------------------------------------------------------------------


def test_sqlite_row_counts_equal_the_summaries_item_counts(
    sample: tuple[Path, dict[str, int]], db: sqlite3.Connection
) -> None:
    folder, counts = sample
    expected = expected_counts(load_corpus(folder))
    assert {t: rows(db, t) for t in TABLE_NAMES} == expected
    assert rows(db, "articles") == counts["documents"]
    assert rows(db, "article_actors") == counts["actors"]
    for item in ("meetings", "statements", "proposals"):
        assert rows(db, item) == counts[item]
    # Lavrov (three articles) and al-Shaibani (two) are one actor each.
    assert rows(db, "actors") == counts["actors"] - 2 - 1


def test_synthetic_row_counts(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "s", 40)
    out = tmp_path / "s.db"
    exported = export_corpus(tmp_path / "s", out, "sqlite")
    expected = expected_counts(load_corpus(tmp_path / "s"))
    assert exported.counts == expected
    for db in connect(out):
        assert {t: rows(db, t) for t in TABLE_NAMES} == expected
        assert rows(db, "meetings") == rows(db, "statements") == rows(db, "proposals") == 40


def test_one_query_answers_all_meetings_of_lavrov_in_2025(db: sqlite3.Connection) -> None:
    found = db.execute(LAVROV_2025, ("Sergey Lavrov", "2025-01-01", "2026-01-01")).fetchall()
    # In the phone call the article says only "Lavrov": linked to the same actor.
    assert found == [
        ("phone-call/m1", "2025-06-09", "phone"),
        ("moscow-talks/m1", "2025-10-02", "in_person"),
    ]
    every = db.execute(LAVROV_2025, ("Sergey Lavrov", "0000", "9999")).fetchall()
    assert [m[0] for m in every] == ["geneva/m1", "phone-call/m1", "moscow-talks/m1"]
    written = db.execute(
        "SELECT aa.name FROM meeting_participants p JOIN article_actors aa "
        "ON aa.id = p.article_actor_id WHERE p.meeting_id = 'phone-call/m1' AND aa.local_id = 'a1'"
    ).fetchone()
    assert written == ("Lavrov",)


def test_keys_hold_and_join_columns_are_indexed(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = {
        (table, fk[3], fk[2])
        for table in TABLE_NAMES
        for fk in db.execute(f"PRAGMA foreign_key_list([{table}])")
    }
    assert ("meeting_participants", "actor_id", "actors") in declared
    assert ("meetings", "article_id", "articles") in declared
    assert ("statements", "speaker_id", "actors") in declared
    assert ("proposal_recipients", "proposal_id", "proposals") in declared
    indexed = {
        (table, column)
        for table in TABLE_NAMES
        for index in db.execute(f"PRAGMA index_list([{table}])")
        for *_, column in db.execute(f"PRAGMA index_info([{index[1]}])")
    }
    for table, column, _ in declared:
        assert (table, column) in indexed
    assert ("meetings", "date") in indexed
    pks = {t: [c[1] for c in db.execute(f"PRAGMA table_info([{t}])") if c[5]] for t in TABLE_NAMES}
    assert pks["meetings"] == ["id"]
    assert pks["meeting_participants"] == ["meeting_id", "article_actor_id"]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO articles (id) VALUES ('moscow-talks')")


def test_evidence_is_the_article_text_at_its_offsets(
    sample: tuple[Path, dict[str, int]], db: sqlite3.Connection
) -> None:
    corpus = load_corpus(sample[0])
    texts = {d.name: d.text for d in corpus.documents}
    checked = 0
    spans = db.execute("SELECT article_id, start, end, text FROM evidence").fetchall()
    quotes = db.execute(
        "SELECT article_id, quote_start, quote_end, quote_text FROM statements "
        "WHERE quote_text IS NOT NULL"
    ).fetchall()
    for article, start, end, text in spans + quotes:
        article_text = texts[article]
        if article_text is not None:
            assert article_text[start:end] == text
            checked += 1
    assert checked == len(spans) + len(quotes) - 1  # "planned" has no source text
    # The same check in SQL, with the texts exported (--texts).
    mismatched = db.execute(
        "SELECT e.id FROM evidence e JOIN articles a ON a.id = e.article_id "
        "WHERE a.text IS NOT NULL AND substr(a.text, e.start + 1, e.end - e.start) != e.text"
    ).fetchall()
    assert mismatched == []
    assert db.execute("SELECT id FROM articles WHERE text IS NULL").fetchall() == [("planned",)]


def test_rows_hold_the_summaries_values(db: sqlite3.Connection) -> None:
    db.row_factory = sqlite3.Row
    m = db.execute("SELECT * FROM meetings WHERE id = 'moscow-talks/m1'").fetchone()
    assert dict(m) == {
        "id": "moscow-talks/m1",
        "article_id": "moscow-talks",
        "mode": "in_person",
        "place": "Moscow",
        "date": "2025-10-02",
        "date_text": None,
        "status": "happened",
        "visitor_id": None,
        "host_id": None,
    }
    s = db.execute("SELECT * FROM statements").fetchone()
    assert (s["verbatim"], s["quote_text"], s["cue"]) == (1, "We are ready to help,", "said")
    lavrov = db.execute("SELECT * FROM actors WHERE id = ?", (s["speaker_id"],)).fetchone()
    assert (lavrov["name"], lavrov["aliases"], lavrov["articles"], lavrov["meetings"]) == (
        "Sergey Lavrov",
        '["Lavrov"]',
        3,
        3,
    )
    a = db.execute("SELECT * FROM articles WHERE id = 'geneva'").fetchone()
    assert (a["published"], a["chars"], a["created_at"]) == (
        "2024-06-17",
        len(
            "Joe Biden met Sergey Lavrov in Geneva in 2024. Hunter Biden was not there. "
            "Russia proposed new talks, which Washington rejected."
        ),
        "2026-11-28T00:00:00+00:00",
    )
    p = db.execute("SELECT * FROM proposals WHERE id = 'geneva/p1'").fetchone()
    assert (p["kind"], p["status"]) == ("proposal", "rejected")
    recipient = db.execute(
        "SELECT a.name FROM proposal_recipients r JOIN actors a ON a.id = r.actor_id "
        "WHERE r.proposal_id = 'geneva/p1'"
    ).fetchall()
    assert [tuple(r) for r in recipient] == [("Washington",)]


def test_export_is_deterministic(sample: tuple[Path, dict[str, int]]) -> None:
    first = corpus_tables(load_corpus(sample[0]))
    second = corpus_tables(load_corpus(sample[0]))
    assert {n: t.rows for n, t in first.items()} == {n: t.rows for n, t in second.items()}


# --- CSV ------------------------------------------------------------------------------


def test_csv_files_have_the_same_tables_headers_and_rows(
    sample: tuple[Path, dict[str, int]], db: sqlite3.Connection, tmp_path: Path
) -> None:
    out = tmp_path / "tables"
    export_corpus(sample[0], out, "csv", texts=True)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLE_NAMES)
    for table in TABLE_NAMES:
        with (out / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            header, *lines = list(csv.reader(f))
        cursor = db.execute(f"SELECT * FROM [{table}]")
        assert header == [c[0] for c in cursor.description]
        stored = [["" if v is None else str(v) for v in row] for row in cursor]
        assert lines == stored, table
    assert "al-Shaibani" in (out / "actors.csv").read_text(encoding="utf-8")


def test_csv_needs_no_extra(
    sample: tuple[Path, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sqlite_utils", None)
    monkeypatch.setitem(sys.modules, "networkx", None)
    exported = export_corpus(sample[0], tmp_path / "t", "csv")
    assert exported.counts["meetings"] == 4


# --- GraphML --------------------------------------------------------------------------


def test_graphml_round_trip(sample: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    import networkx as nx

    corpus = load_corpus(sample[0])
    out = tmp_path / "meetings.graphml"
    exported = export_corpus(corpus, out, "graphml")
    graph = nx.read_graphml(out)
    pairs = {frozenset(p) for _, _, nodes in corpus.meetings() for p in combinations(nodes, 2)}
    assert graph.number_of_nodes() == len(corpus.nodes) == exported.counts["actors"]
    assert graph.number_of_edges() == len(pairs) == exported.counts["edges"] == 3
    made = meeting_graph(corpus)
    assert dict(graph.nodes(data=True)) == dict(made.nodes(data=True))
    assert {frozenset((a, b)): d for a, b, d in graph.edges(data=True)} == {
        frozenset((a, b)): d for a, b, d in made.edges(data=True)
    }
    names = {node: data["name"] for node, data in graph.nodes(data=True)}
    by_name = {name: node for node, name in names.items()}
    lavrov, shaibani = by_name["Sergey Lavrov"], by_name["Asaad al-Shaibani"]
    assert graph.nodes[lavrov]["meetings"] == 3
    assert graph.nodes[lavrov]["country"] == "RUS"
    assert "title" not in graph.nodes[by_name["Kremlin"]]  # GraphML has no null
    edge = graph.edges[lavrov, shaibani]
    assert edge["weight"] == 2
    assert (edge["mode_in_person"], edge["mode_phone"], edge["mode_video"]) == (1, 1, 0)
    assert (edge["status_happened"], edge["status_planned"]) == (2, 0)
    assert (edge["first_date"], edge["last_date"]) == ("2025-06-09", "2025-10-02")
    assert edge["article_ids"] == "moscow-talks; phone-call"
    planned = graph.edges[by_name["Biden"], by_name["Russian officials"]]
    assert planned["status_planned"] == 1 and "first_date" not in planned
    assert sum(w for *_, w in graph.edges(data="weight")) == 4


def test_graphml_of_a_larger_corpus(tmp_path: Path) -> None:
    import networkx as nx

    write_synthetic(tmp_path / "s", 60, people=30)
    corpus = load_corpus(tmp_path / "s")
    export_corpus(corpus, tmp_path / "g.graphml", "graphml")
    graph = nx.read_graphml(tmp_path / "g.graphml")
    pairs = {frozenset(p) for _, _, nodes in corpus.meetings() for p in combinations(nodes, 2)}
    assert graph.number_of_nodes() == len(corpus.nodes)
    assert graph.number_of_edges() == len(pairs)
    assert sum(w for *_, w in graph.edges(data="weight")) == 60


# --- extras, overwriting, atomicity ---------------------------------------------------


@pytest.mark.parametrize(
    ("module", "format"), [("sqlite_utils", "sqlite"), ("networkx", "graphml")]
)
def test_without_the_extra_one_clear_line(
    module: str,
    format: str,
    sample: tuple[Path, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    out = tmp_path / f"out.{format}"
    with pytest.raises(ConfigurationError, match=re.escape("pip install 'summarizer[export]'")):
        export_corpus(sample[0], out, format)  # type: ignore[arg-type]
    assert cli([str(sample[0]), "--format", format, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("summarizer: error: ") and "pip install 'summarizer[export]'" in err
    assert list(tmp_path.iterdir()) == [sample[0]]


def test_existing_output_is_refused_unless_forced(
    sample: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    out = tmp_path / "corpus.sqlite"
    out.write_text("precious")
    with pytest.raises(ConfigurationError, match="exists; --force replaces it"):
        export_corpus(sample[0], out)
    assert out.read_text() == "precious"
    export_corpus(sample[0], out, force=True)
    for db in connect(out):
        assert rows(db, "meetings") == 4
    with pytest.raises(ConfigurationError, match="is a folder"):
        export_corpus(sample[0], tmp_path, force=True)


def test_csv_folder_is_replaced_only_when_it_holds_an_export(
    sample: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    out = tmp_path / "tables"
    out.mkdir()  # an empty folder is fine
    export_corpus(sample[0], out, "csv")
    with pytest.raises(ConfigurationError, match="holds an export; --force replaces it"):
        export_corpus(sample[0], out, "csv")
    (out / "meetings.csv").write_text("stale")
    export_corpus(sample[0], out, "csv", force=True)
    assert (out / "meetings.csv").read_text(encoding="utf-8").startswith("id,article_id,")
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ConfigurationError, match="holds files that are not this export's"):
        export_corpus(sample[0], out, "csv", force=True)
    assert (out / "notes.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("format", ["sqlite", "csv", "graphml"])
def test_a_failed_export_leaves_no_half_output(
    format: str,
    sample: tuple[Path, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A failure halfway (the rows written but not the indexes, one CSV file of nine,
    the graph written but not renamed) leaves no output, no temporary, and an earlier
    output as it was."""
    import csv as csv_module

    import networkx as nx
    import sqlite_utils

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    calls = {"n": 0}

    real_writer = csv_module.writer

    def writer_then_fail(f: object, *args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] > 1:
            fail()
        return real_writer(f, *args, **kwargs)  # type: ignore[arg-type]

    def graph_then_fail(graph: object, path: str, **kwargs: object) -> None:
        Path(path).write_text("<graphml>")
        fail()

    monkeypatch.setattr(sqlite_utils.Database, "index_foreign_keys", fail)  # rows written
    monkeypatch.setattr(csv_module, "writer", writer_then_fail)
    monkeypatch.setattr(nx, "write_graphml", graph_then_fail)
    out = tmp_path / "out" / "x"
    with pytest.raises(OSError, match="No space"):
        export_corpus(sample[0], out, format)  # type: ignore[arg-type]
    assert list((tmp_path / "out").iterdir()) == []
    calls["n"] = 0
    if format == "csv":  # an earlier export
        out.mkdir()
        (out / "meetings.csv").write_text("before")
    else:
        out.write_text("before")
    with pytest.raises(OSError, match="No space"):
        export_corpus(sample[0], out, format, force=True)  # type: ignore[arg-type]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["x"]
    assert (out / "meetings.csv" if format == "csv" else out).read_text() == "before"
    calls["n"] = 0
    assert cli([str(sample[0]), "--format", format, "-o", str(out), "--force"]) == 1
    err = capsys.readouterr().err
    assert (
        err == f"summarizer: error: cannot write {str(out)!r}: [Errno 28] No space left on device\n"
    )
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["x"]


# --- the command ----------------------------------------------------------------------

FINAL = re.compile(
    r"^summarizer: exported 4 articles, 10 actors, 4 meetings, 1 statement, 3 proposals, "
    r"8 evidence spans to (?P<path>.+) in \d+\.\d s$"
)


def test_cli_exports_and_ends_with_one_line(
    sample: tuple[Path, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli([str(sample[0])]) == 0  # default: ./corpus.sqlite
    captured = capsys.readouterr()
    assert captured.out == ""
    match = FINAL.match(captured.err.strip())
    assert match and match["path"] == "corpus.sqlite", captured.err
    assert (tmp_path / "corpus.sqlite").is_file()

    assert cli([str(sample[0]), "-o", "news.db", "--texts"]) == 0
    assert FINAL.match(capsys.readouterr().err.splitlines()[-1])
    for db in connect(tmp_path / "news.db"):
        assert rows(db, "evidence") == 8

    assert cli([str(sample[0]), "--format", "csv", "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert (tmp_path / "corpus-csv" / "evidence.csv").is_file()
    assert cli([str(sample[0]), "-o", "tables/", "-q"]) == 0  # CSV, from the slash
    assert (tmp_path / "tables" / "evidence.csv").is_file()

    assert cli([str(sample[0]), "-o", "g.graphml"]) == 0  # GraphML from the suffix
    assert (
        capsys.readouterr()
        .err.strip()
        .startswith(
            "summarizer: exported 4 articles, 10 actors, 4 meetings (3 edges) to g.graphml in "
        )
    )


def test_cli_usage_errors_exit_2_with_one_line(
    sample: tuple[Path, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus.sqlite").write_text("precious")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.json").write_text("{}")
    cases = {
        "exists; --force replaces it": [str(sample[0])],
        "is not a folder of summaries": [str(tmp_path / "missing"), "-o", "x.db"],
        "no summaries in": [str(empty), "-o", "x.db"],
    }
    for message, argv in cases.items():
        assert cli(argv) == 2
        errors = capsys.readouterr().err.splitlines()
        assert len(errors) == 1 and errors[0].startswith("summarizer: error: "), errors
        assert message in errors[0]
    assert (tmp_path / "corpus.sqlite").read_text() == "precious"
    assert not (tmp_path / "x.db").exists()
    assert cli([str(sample[0]), "--force"]) == 0
    assert "exported 4 articles" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        cli([str(sample[0]), "--format", "xml"])
    assert exit_.value.code == 2


def test_cli_notes_files_that_are_not_summaries(
    sample: tuple[Path, dict[str, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sample[0] / "notes.json").write_text("{}")
    (sample[0] / "broken.error.json").write_text("{}")  # error records are not counted
    assert cli([str(sample[0]), "-o", str(tmp_path / "c.db")]) == 0
    err = capsys.readouterr().err
    assert "note: 1 file(s) of" in err and "(first: notes.json)" in err


def test_output_format_from_its_name(tmp_path: Path) -> None:
    assert format_of("a.sqlite") == format_of("a.DB") == format_of("x/a.sqlite3") == "sqlite"
    assert format_of("a.graphml") == "graphml"
    assert format_of("tables/") == format_of(tmp_path) == "csv"
    assert format_of(tmp_path / "tables") is None and format_of("a.csv") is None


def test_an_output_name_that_says_no_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarizer.cli.main import main

    write_sample(tmp_path / "out")
    assert main(["export", str(tmp_path / "out"), "-o", str(tmp_path / "x.csv")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
