"""Batch throughput, rerun cost, replay overhead and memory, against a loopback server.

    python bench/batch_speed.py [--docs 800] [--latency 0.5] [--concurrency 32] [--big 10000]

Every figure is a whole process timed from outside: the CLI, a bare async HTTP client
posting the very same request bodies (the practical limit here), and instructor's
asyncio.gather + Semaphore recipe; then a rerun from the summary cache, CPU per document
replaying recorded fixtures, and peak RSS from the cache for 1,000 and --big documents.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWER = ROOT / "fixtures/hand-written/lavrov-shaibani-moscow.answer.json"
ARTICLE = ROOT / "examples/lavrov-shaibani-moscow.txt"
CLI = [sys.executable, "-m", "summarizer"]


def articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = ARTICLE.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"a{i:05}.txt").write_text(text + f"\n\n(Copy {i}.)\n", encoding="utf-8")
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, latency: float, bodies: Path | None = None):
        self.port = free_port()
        args = [sys.executable, str(ROOT / "bench/fake_openai.py"), str(self.port), str(latency)]
        args.append(str(ANSWER))
        if bodies is not None:
            args.append(str(bodies))
        self.proc = subprocess.Popen(args)
        self.url = f"http://127.0.0.1:{self.port}/v1"
        for _ in range(100):
            try:
                self.requests()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the benchmark server did not start")

    def requests(self) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/stats", timeout=2) as r:
            return int(json.load(r)["requests"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user+sys) and peak RSS in MB of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0,):
        raise RuntimeError(f"{' '.join(args[:4])} … exited {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=800)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--replay-docs", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="summarizer-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    c = str(args.concurrency)
    try:
        folder = articles(work / "in", args.docs)
        bodies = work / "bodies.jsonl"
        server = Server(args.latency, bodies)
        common = ["--base-url", server.url, "--concurrency", c, "-q"]
        cache = ["--cache-dir", str(work / "cache")]
        cli, _, _ = timed([*CLI, "summarize", str(folder), *common, *cache], env)
        sent = server.requests()
        bare, _, _ = timed(
            [sys.executable, str(ROOT / "bench/bare_client.py"), server.url, str(bodies), c], env
        )
        recipe, _, _ = timed(
            [sys.executable, str(ROOT / "bench/instructor_recipe.py"), server.url, str(folder), c],
            env,
        )
        before = server.requests()
        rerun, _, _ = timed([*CLI, "summarize", str(folder), *common, *cache], env)
        rerun_sent = server.requests() - before
        server.stop()
        ideal = args.docs * args.latency / args.concurrency
        print(f"{args.docs} documents, {args.latency} s latency, concurrency {c}")
        print(f"  ideal (latency x documents / concurrency): {ideal:.2f} s")
        print(f"  bare async HTTP client, same {sent} request bodies: {bare:.2f} s")
        print(f"  instructor gather + Semaphore recipe: {recipe:.2f} s")
        print(
            f"  summarizer CLI: {cli:.2f} s  "
            f"(bare/CLI = {bare / cli:.3f}, recipe/CLI = {recipe / cli:.3f})"
        )
        print(
            f"  rerun from the summary cache: {rerun:.2f} s, {rerun_sent} requests "
            f"({cli / rerun:.1f}x faster)"
        )

        fast = Server(0.0)
        small = articles(work / "small", args.replay_docs)
        fixtures = work / "fixtures"
        timed(
            [
                *CLI,
                "summarize",
                str(small),
                "--base-url",
                fast.url,
                "--record",
                str(fixtures),
                "-q",
            ],
            env,
        )
        replay_args = [
            *CLI,
            "summarize",
            str(small),
            "--replay",
            str(fixtures),
            "--concurrency",
            c,
            "-q",
        ]
        _, cpu, _ = timed(replay_args, env)
        _, base_cpu, _ = timed(
            [*CLI, "summarize", str(small / "a00000.txt"), "--replay", str(fixtures), "-q"], env
        )
        per_doc = (cpu - base_cpu) / (args.replay_docs - 1) * 1000
        print(
            f"replay of {args.replay_docs} recorded documents: {cpu:.2f} s CPU, "
            f"{per_doc:.1f} ms CPU per document beyond start-up"
        )

        big = articles(work / "big", args.big)
        one_k = work / "big1k"
        one_k.mkdir()
        for p in sorted(big.iterdir())[:1000]:
            shutil.copy(p, one_k / p.name)
        cache_big = ["--cache-dir", str(work / "cache-big")]
        fill, _, fill_rss = timed(
            [
                *CLI,
                "summarize",
                str(big),
                "--base-url",
                fast.url,
                "--concurrency",
                c,
                "-q",
                *cache_big,
            ],
            env,
        )
        fast.stop()
        _, _, rss_1k = timed(
            [*CLI, "summarize", str(one_k), "--base-url", fast.url, "-q", *cache_big], env
        )
        wall_big, _, rss_big = timed(
            [*CLI, "summarize", str(big), "--base-url", fast.url, "-q", *cache_big], env
        )
        print(
            f"filling the cache with {args.big} documents (0 s latency): {fill:.1f} s, "
            f"peak RSS {fill_rss} MB"
        )
        print(
            f"from the cache: 1,000 documents peak RSS {rss_1k} MB; "
            f"{args.big:,} documents peak RSS {rss_big} MB ({wall_big:.1f} s)"
        )

        helps = []
        for _ in range(5):
            helps.append(timed([*CLI, "--help"], env)[0])
        print(f"summarizer --help: median {statistics.median(helps):.3f} s over 5 runs")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
