"""Replay the hand-written capable answers for voa-dev through the whole pipeline, and
print what grounding kept, what it cost, and the scores.

    python scripts/replay_capable.py [--answers DIR] [--code CHECKOUT] [--keep DIR]

Each answer becomes a replay fixture marked hand-written for the current prompt
(`write_handwritten_fixture.py`); then `summarizer eval run voa-dev --replay` summarizes
every story with the single strategy, as a capable model behind an endpoint would be
used. `--code` runs another checkout's code instead (to measure before a change); its
answers must then be the ones written for its prompt. A re-ask is answered with the
same answer again: a hand-written answer cannot learn from the correction.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=Path, default=ROOT / "fixtures/hand-written/voa-dev")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose code runs")
    parser.add_argument("--keep", type=Path, help="write fixtures and predictions here")
    args = parser.parse_args()
    code = args.code.resolve()
    env = {**os.environ, "PYTHONPATH": str(code)}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        fixtures, texts = work / "fixtures", work / "texts"
        texts.mkdir(parents=True, exist_ok=True)
        stories = {
            d["id"]: d
            for line in (code / "eval/voa-dev.jsonl").read_text(encoding="utf-8").splitlines()
            if (d := json.loads(line))
        }
        answers = sorted(args.answers.glob("*.answer.json"))
        for answer in answers:
            story = answer.name.removesuffix(".answer.json")
            text = texts / f"{story}.txt"
            text.write_text(stories[story]["text"], encoding="utf-8")
            subprocess.run(
                [sys.executable, str(code / "scripts/write_handwritten_fixture.py"),
                 str(text), str(answer), str(fixtures)],
                env=env, cwd=code, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        predictions = work / "predictions.jsonl"
        report = subprocess.run(
            [sys.executable, "-m", "summarizer", "eval", "run", "voa-dev", "--replay",
             str(fixtures), "--strategy", "single", "--no-cache", "-q",
             "--predictions", str(predictions)],
            env=env, cwd=code, check=True, capture_output=True, text=True,
        )  # fmt: skip
        print(f"{len(answers)} hand-written answers replayed with the code of {code}")
        print(_effort(predictions))
        print(report.stdout)
    return 0


def _effort(predictions: Path) -> str:
    """Drops and re-asks from the summaries themselves, so that a checkout whose report
    does not print them can be measured the same way."""
    reasks, actions = 0, collections.Counter[str]()
    lines = []
    for line in predictions.read_text(encoding="utf-8").splitlines():
        summary = json.loads(line).get("summary")
        if not summary:
            continue
        reasks += summary["provenance"]["attempts"] - 1
        for d in summary["diagnostics"]:
            actions[d["action"]] += 1
            lines.append(f"  {json.loads(line)['id']}: {d['action']}: {d['item']}: {d['problem']}")
    counts = ", ".join(f"{n} {action}" for action, n in sorted(actions.items())) or "none"
    return f"re-asks: {reasks}; diagnostics: {counts}\n" + "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
