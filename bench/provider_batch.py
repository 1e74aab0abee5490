"""Provider batches at scale: submit and collect many inputs against a loopback
Files + Batches server, with a share of answers that fail grounding and are re-asked.

    python bench/provider_batch.py [--inputs 10000] [--per-file 2000] [--reask-share 0.1]

The server (`tests/batch_server.py`) runs as its own process; `summarizer batch submit`
and `summarizer batch collect --wait` each run as a whole CLI process, timed from
outside, with their peak RSS. Articles are Voice of America stories (public domain,
`data/voa`), each copy made distinct by a last line. Printed: wall time and peak RSS of
each step, the request files and their sizes (split at --per-file requests, a smaller
limit than OpenAI's 50,000 so the split is exercised), the share of inputs re-asked in
round 2, and as a baseline the same CLI summarizing --baseline inputs live through an
in-process transport (per-input cost of the pipeline without any batch machinery).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT / "data" / "voa" / "voa_stories.jsonl"
# The CLI, in a process of its own, reporting its peak RSS when done.
MEASURED = (
    "import resource, sys\n"
    "from summarizer.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    "print(f'PEAK_RSS_MB {peak:.0f}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)
# The same pipeline, live, answered in process (no server, no batch machinery).
BASELINE = (
    "import asyncio, resource, sys, time\n"
    "from summarizer import expand_paths, resolve_settings, summarize_inputs\n"
    "from summarizer.testing import FunctionBackend\n"
    "async def go():\n"
    "    s = resolve_settings(base_url='http://127.0.0.1:9/v1', cache=False, injected=True)\n"
    "    n = 0\n"
    "    async for o in summarize_inputs(expand_paths([sys.argv[1]]), s,\n"
    "                                    transport=FunctionBackend.minimal()):\n"
    "        n += o.summary is not None\n"
    "    return n\n"
    "t = time.monotonic(); n = asyncio.run(go())\n"
    "print(f'BASELINE {n} {time.monotonic() - t:.3f}')\n"
)


def articles(folder: Path, n: int) -> None:
    texts = [json.loads(line)["text"] for line in STORIES.read_text(encoding="utf-8").splitlines()]
    folder.mkdir(parents=True)
    for i in range(n):
        text = texts[i % len(texts)]
        (folder / f"story-{i:05d}.txt").write_text(f"{text}\n\n(Copy {i}.)\n", encoding="utf-8")


def run(args: list[str], env_note: str) -> tuple[float, float, str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, *args], capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.monotonic() - started
    peak = next(
        (
            float(line.split()[1])
            for line in done.stderr.splitlines()
            if line.startswith("PEAK_RSS_MB")
        ),
        math.nan,
    )
    final = [line for line in done.stderr.splitlines() if line.startswith("summarizer: batch")]
    if done.returncode != 0:
        sys.exit(f"{env_note} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, peak, final[-1] if final else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=2_000)
    parser.add_argument("--reask-share", type=float, default=0.1)
    parser.add_argument("--baseline", type=int, default=1_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="provider-batch-") as tmp:
        work = Path(tmp)
        started = time.monotonic()
        articles(work / "in", args.inputs)
        print(f"{args.inputs:,} articles written in {time.monotonic() - started:.1f} s")
        server = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "batch_server.py"),
                "--port",
                "0",
                "--reask-share",
                str(args.reask_share),
            ],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            common = ["--api-key", "sk-bench", "--no-cache"]
            submit = [
                "batch",
                "submit",
                str(work / "in"),
                "--output-dir",
                str(work / "out"),
                "--base-url",
                url,
                "--max-requests-per-file",
                str(args.per_file),
                *common,
            ]
            seconds, peak, line = run(submit, "submit")
            print(f"submit:  {seconds:7.1f} s, peak RSS {peak:.0f} MB\n  {line}")

            state = work / "out" / "batch"
            job = json.loads((state / "job.json").read_text())
            files = [f for f in job["files"] if f["round"] == 1]
            ids: set[str] = set()
            for f in files:
                lines = (state / f["name"]).read_text().splitlines()
                ids.update(json.loads(x)["custom_id"] for x in lines)
                assert len(lines) == f["lines"] <= args.per_file, f
            expected = math.ceil(args.inputs / args.per_file)
            sizes = ", ".join(f"{f['lines']:,} lines/{f['bytes'] / 1e6:.0f} MB" for f in files)
            print(
                f"  round 1: {len(files)} files (expected {expected}), {len(ids):,} distinct "
                f"ids for {args.inputs:,} inputs: {sizes}"
            )

            collect = ["batch", "collect", str(work / "out"), "--wait", "--poll", "0.05", *common]
            seconds, peak, line = run(collect, "collect")
            print(f"collect: {seconds:7.1f} s, peak RSS {peak:.0f} MB\n  {line}")
            job = json.loads((state / "job.json").read_text())
            round2 = sum(f["lines"] for f in job["files"] if f["round"] == 2)
            written = len(list((work / "out").glob("story-*.json")))
            errors = len(list((work / "out").glob("*.error.json")))
            print(
                f"  round 2: {round2:,} re-asks = {round2 / args.inputs:.1%} of inputs; "
                f"{written:,} outputs ({errors} errors); batches: {len(job['files'])}"
            )
        finally:
            server.terminate()
            server.wait()

        subset = work / "baseline"
        subset.mkdir()
        for path in sorted((work / "in").iterdir())[: args.baseline]:
            (subset / path.name).write_bytes(path.read_bytes())
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", BASELINE, str(subset)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        wall = time.monotonic() - started
        n, inner = done.stdout.split()[1:3]
        per_live = float(inner) / int(n) * 1000
        print(
            f"baseline: live pipeline over {n} inputs in process: {inner} s "
            f"({per_live:.1f} ms per input; {wall:.1f} s with start-up)"
        )
        print(
            f"collect per input: {seconds / (args.inputs + round2) * 1000:.1f} ms per answer "
            f"handled, {seconds / args.inputs * 1000:.1f} ms per input"
        )


if __name__ == "__main__":
    main()
