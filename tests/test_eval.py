"""The evaluation harness: gold data, name matching, metrics that move when, and only
when, they should, and `summarizer eval score|run` end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from summarizer.cli.main import main
from summarizer.evaluation.gold import load_gold
from summarizer.evaluation.metrics import INFORMATIONAL, score_set
from summarizer.evaluation.names import entity
from summarizer.evaluation.predictions import gold_as_summary
from summarizer.schema import Proposal, Span, Summary

EVAL = ROOT / "eval"
HAND, DEV, TEST = (
    EVAL / "hand-annotated.jsonl",
    EVAL / "plover-dev.jsonl",
    EVAL / "plover-test.jsonl",
)
PLOVER_SOURCE = ROOT / "data/plover-gsr/PLOVER_GSR_CAMEO.json"


def metrics_of(predictions: dict[str, Summary]) -> dict[str, float | None]:
    docs = load_gold(HAND)
    return score_set((d, predictions[d.id]) for d in docs).metrics()


def perfect() -> dict[str, Summary]:
    return {d.id: gold_as_summary(d) for d in load_gold(HAND)}


VOA = [EVAL / "voa-dev.jsonl", EVAL / "voa-test.jsonl"]


@pytest.mark.parametrize(
    "gold",
    [
        HAND,
        DEV,
        TEST,
        *(
            pytest.param(v, marks=pytest.mark.skipif(not v.exists(), reason="not built"))
            for v in VOA
        ),
    ],
    ids=lambda p: p.name,
)
def test_gold_scored_against_itself_is_perfect(
    gold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "score", str(gold), str(gold), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    totals = report["totals"]
    scored = {k: v for k, v in totals.items() if v is not None and k not in INFORMATIONAL}
    assert scored and set(scored.values()) == {1.0}
    assert len(totals) == 17 and totals["evidence_width"] is not None
    if gold == HAND:  # annotated for everything, but with no evidence strings
        assert set(totals) - set(scored) == {
            "evidence_precision",
            "evidence_width",
            "meeting_date_accuracy",  # no dates annotated in it
            "proposal_date_accuracy",
        }
    else:  # PLOVER's labelled spans, VOA's evidence strings
        assert scored["evidence_precision"] == 1.0
    assert report["failed"] == []


def changed(before: dict[str, float | None], after: dict[str, float | None]) -> set[str]:
    lowered = {k for k in before if k not in INFORMATIONAL and after[k] != before[k]}
    assert all(after[k] is None or (before[k] or 0) > after[k] for k in lowered)  # type: ignore[operator]
    return lowered


def test_a_dropped_participant_lowers_pair_recall_only() -> None:
    predictions = perfect()
    summary = predictions["lavrov-shaibani-moscow"]
    turkiye = next(m for m in summary.meetings if m.place == "Türkiye")
    turkiye.participants = turkiye.participants[:1]
    assert changed(metrics_of(perfect()), metrics_of(predictions)) == {"pairs_recall", "pairs_f1"}


def test_a_swapped_speaker_lowers_speaker_accuracy_only() -> None:
    predictions = perfect()
    summary = predictions["ruell-halvorsen-call"]
    ids = {p.name: p.id for p in summary.actors}
    quoted = next(s for s in summary.statements if s.speaker == ids["Tomas Ruell"])
    quoted.speaker = ids["Ines Halvorsen"]
    assert changed(metrics_of(perfect()), metrics_of(predictions)) == {"quote_speaker_accuracy"}


def test_an_invented_proposal_lowers_proposal_precision_only() -> None:
    predictions = perfect()
    summary = predictions["port-avel-fisheries"]
    ids = {p.name: p.id for p in summary.actors}
    evidence = summary.proposals[0].evidence
    summary.proposals.append(
        Proposal(
            kind="invitation",
            proposer=ids["Pieter Lund"],
            recipients=[ids["Elena Varga"]],
            content="Visit Marenne.",
            evidence=evidence,
        )
    )
    assert changed(metrics_of(perfect()), metrics_of(predictions)) == {
        "proposals_precision",
        "proposals_f1",
    }


def test_evidence_off_the_gold_evidence_lowers_evidence_precision_only() -> None:
    doc = load_gold(DEV)[0]  # PLOVER: its labelled spans are the gold evidence
    perfect = gold_as_summary(doc)
    wrong = perfect.model_copy(deep=True)
    words = "officials said Thursday"  # in the sentence, on no labelled span
    start = doc.text.index(words)
    wrong.proposals[0].evidence = [Span(text=words, start=start, end=start + len(words))]
    before = score_set([(doc, perfect)]).metrics()
    assert changed(before, score_set([(doc, wrong)]).metrics()) == {"evidence_precision"}


def test_the_order_of_predicted_items_does_not_matter() -> None:
    predictions = perfect()
    for summary in predictions.values():
        summary.meetings.reverse()
        summary.statements.reverse()
        summary.proposals.reverse()
    assert metrics_of(predictions) == metrics_of(perfect())


def test_one_long_quote_does_not_find_every_quotation() -> None:
    predictions = perfect()
    summary = predictions["port-avel-fisheries"]
    text = load_gold(HAND)[2].text
    everything = Span(text=text, start=0, end=len(text))
    first = summary.statements[0].model_copy(update={"quote": everything})
    summary.statements = [first]
    metrics = metrics_of(predictions)
    assert metrics["quote_recall"] == 12 / 15  # the other two articles' 12 quotes only


def test_a_missing_prediction_scores_as_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = HAND.read_text(encoding="utf-8").splitlines()
    partial = tmp_path / "partial.jsonl"
    partial.write_text(lines[0] + "\n", encoding="utf-8")
    assert main(["eval", "score", str(HAND), str(partial), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["failed"] == ["ruell-halvorsen-call", "port-avel-fisheries"]
    assert report["totals"]["pairs_recall"] == 3 / 12 and report["totals"]["pairs_precision"] == 1.0


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (["President Obama"], ["Barack Obama"], True),
        (["Asaad al-Shaibani"], ["Shaibani"], True),
        (["al-Shaibani"], ["Asaad Al Shaibani"], True),
        (["Türkiye"], ["Turkiye"], True),
        (["U.S."], ["US"], True),
        (["Great Britain"], ["Britain"], True),
        (["Russian Foreign Minister Sergey Lavrov"], ["Lavrov"], True),
        (["Sergei Lavrov", "Russian Foreign Minister"], ["Wang Yi", "the Foreign Minister"], False),
        (["South Korea"], ["North Korea"], False),
        (["US forces"], ["British forces"], False),
        (["Sudanese government"], ["Iraqi government"], False),
        (["the minister"], ["Sergey Lavrov", "the minister"], False),  # describes, not names
        (["the minister"], ["the president"], False),
        (["his Syrian counterpart"], ["his Russian counterpart"], False),
        (["Moscow"], ["Russia"], False),
        (["Ahmad al-Sharaa"], ["Asaad al-Shaibani"], False),
    ],
)
def test_names_match_by_form_alias_or_surname(a: list[str], b: list[str], same: bool) -> None:
    assert entity(a).matches(entity(b)) is same


def test_plover_split_is_fixed_and_covers_every_event_type() -> None:
    dev, test = load_gold(DEV), load_gold(TEST)
    assert not {d.id for d in dev} & {d.id for d in test}
    assert len(dev) + len(test) == 322  # every record but the DOCUMENT one
    types = lambda docs: {d.id.split("-")[2] for d in docs}  # noqa: E731
    assert types(dev) == types(test) and len(types(dev)) == 18
    scored_on = {"CONSULT": ["meetings"], "AGREE": ["proposals"], "DEMAND": ["proposals"]}
    scored_on["REJECT"] = ["proposals"]  # PLOVER codes one event per sentence
    for doc in dev + test:
        event = doc.id.split("-")[2]
        assert doc.origin == "plover-gsr"
        assert doc.annotated == scored_on.get(event, ["meetings", "proposals"])
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text
    assert (EVAL / "NOTICE.md").read_text().count("CC BY-SA 4.0") >= 2


def test_conversion_reproduces_the_committed_split(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/convert_plover.py"),
            str(PLOVER_SOURCE),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    for name in ("plover-dev.jsonl", "plover-test.jsonl"):
        assert (tmp_path / name).read_bytes() == (EVAL / name).read_bytes()


def test_hand_set_is_marked_and_quotes_are_verbatim() -> None:
    docs = load_gold(HAND)
    assert docs[0].id == "lavrov-shaibani-moscow"
    assert (ROOT / "examples/lavrov-shaibani-moscow.txt").read_text(encoding="utf-8") == docs[
        0
    ].text
    for doc in docs:
        assert doc.origin == "hand-annotated" and "by hand" in (doc.note or "")
        assert doc.text.count("\n\n") >= 3  # several paragraphs
        for statement in doc.statements:
            assert statement.quote is not None and statement.quote in doc.text


def test_bad_gold_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(HAND.read_text(encoding="utf-8").splitlines()[0] + '\n{"id": "x"}\n')
    assert main(["eval", "score", str(bad), str(HAND)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"summarizer: error: {bad}:2: not a gold document")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]\n", "2:1: not a prediction (expected an object with an id)"),
        (b'{"id": "x", "summary": {"abstract": 3}}\n', "2:1: not a prediction"),
        (b"\xff\xfe{}\n", "2: not UTF-8"),
    ],
)
def test_bad_predictions_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    assert main(["eval", "score", str(HAND), str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"summarizer: error: {bad}")
    assert message.split(" ", 1)[1] in err[0]


def test_unwritable_predictions_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", "run", "hand-annotated", "--predictions", "/nonexistent/p.jsonl"])
    assert code == 2
    assert "cannot write predictions to '/nonexistent/p.jsonl'" in capsys.readouterr().err


def test_eval_run_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import time

    from openai_server import OpenAIServer, hang

    with OpenAIServer(default=hang(30)) as server:
        command = [sys.executable, "-m", "summarizer", "eval", "run", "hand-annotated"]
        command += ["--base-url", server.url, "--predictions", str(tmp_path / "p.jsonl")]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while not server.received and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("summarizer: interrupted after 0 of 3 documents")


def test_eval_run_with_the_local_model_writes_report_and_predictions(tmp_path: Path) -> None:
    predictions = tmp_path / "dev.jsonl"
    command = [sys.executable, "-m", "summarizer", "eval", "run", str(DEV), "--limit", "3"]
    result = subprocess.run(
        [*command, "--predictions", str(predictions), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "plover-dev.jsonl: 3 documents, SmolLM2" in result.stdout
    assert "participant pairs: F1" in result.stdout and "evidence: precision" in result.stdout
    assert "quotes tp/fp/fn" in result.stdout
    lines = predictions.read_text().splitlines()
    records: list[dict[str, Any]] = [json.loads(line) for line in lines]
    assert len(records) == 3 and all("summary" in r or "error" in r for r in records)
    assert {r["id"] for r in records} == {d.id for d in load_gold(DEV)[:3]}
    rescored = subprocess.run(
        [sys.executable, "-m", "summarizer", "eval", "score", str(DEV), str(predictions), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(rescored.stdout)
    assert report["documents"] == len(load_gold(DEV))  # the other documents: no prediction
    assert len(report["failed"]) == len(load_gold(DEV)) - 3


def test_voa_gold_is_built_from_the_annotations(tmp_path: Path) -> None:
    """The committed VOA sets are what the build script makes of the per-story
    annotations, every string in them is the story's, and the split is by id alone."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_voa_gold as build
    finally:
        sys.path.pop(0)
    stories = build.stories()
    expected: dict[str, list[str]] = {"dev": [], "test": []}
    for path in sorted((EVAL / "voa" / "annotator-a").glob("*.json")):
        annotation = json.loads(path.read_text(encoding="utf-8"))
        assert build.problems(annotation, stories[annotation["id"]]["text"]) == []
        doc = build.gold_document(annotation, stories[annotation["id"]])
        expected[build.split_of(annotation["id"])].append(json.dumps(doc, ensure_ascii=False))
    for split, lines in expected.items():
        committed = (EVAL / f"voa-{split}.jsonl").read_text(encoding="utf-8").splitlines()
        assert committed == sorted(lines, key=lambda line: json.loads(line)["id"])
    assert len(expected["dev"]) + len(expected["test"]) >= 30
