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

    def stats(self, reset: bool = False) -> dict[str, float]:
        url = f"http://127.0.0.1:{self.port}/stats" + ("?reset" if reset else "")
        with urllib.request.urlopen(url, timeout=2) as r:
            return dict(json.load(r))

    def requests(self) -> int:
        return int(self.stats()["requests"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user+sys) and peak RSS in MB of one child process."""
    wall, cpu, rss, _ = timed_on(args, env)
    return wall, cpu, rss


def timed_on(
    args: list[str], env: dict[str, str], server: Server | None = None
) -> tuple[float, float, int, str]:
    """`timed`, plus where the wall time went as the server saw it: before the first
    request (start-up), between it and the last answer, and after (shut-down)."""
    if server is not None:
        server.stats(reset=True)
    started = time.time()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    ended = time.time()
    if os.waitstatus_to_exitcode(status) not in (0,):
        raise RuntimeError(f"{' '.join(args[:4])} … exited {os.waitstatus_to_exitcode(status)}")
    split = ""
    if server is not None:
        seen = server.stats()
        if seen["first"] and seen["last_done"]:
            split = (
                f"start-up {seen['first'] - started:.2f} s, "
                f"requests {seen['last_done'] - seen['first']:.2f} s, "
                f"shut-down {ended - seen['last_done']:.2f} s"
            )
    return ended - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=800)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--replay-docs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of CLI, bare, recipe")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="summarizer-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    c = str(args.concurrency)
    try:
        folder = articles(work / "in", args.docs)
        bodies = work / "bodies.jsonl"
        # The request bodies the bare client will send: the CLI's own, captured first.
        recorder = Server(0.0, bodies)
        subprocess.run(
            [*CLI, "summarize", str(folder), "--base-url", recorder.url, "--no-cache", "-q"],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        recorder.stop()
        server = Server(args.latency)
        common = ["--base-url", server.url, "--concurrency", c, "-q"]
        runs: dict[str, list[tuple[float, str]]] = {"cli": [], "bare": [], "recipe": []}
        bare_args = [sys.executable, str(ROOT / "bench/bare_client.py"), server.url]
        recipe_args = [sys.executable, str(ROOT / "bench/instructor_recipe.py"), server.url]
        sent = 0
        for round_ in range(args.repeat):
            # Interleaved rounds, so a slow spell of a shared machine hits all three.
            cache_round = ["--cache-dir", str(work / f"cache{round_}")]
            before = server.requests()
            wall, _, _, split = timed_on(
                [*CLI, "summarize", str(folder), *common, *cache_round], env, server
            )
            runs["cli"].append((wall, split))
            sent = server.requests() - before
            wall, _, _, split = timed_on([*bare_args, str(bodies), c], env, server)
            runs["bare"].append((wall, split))
            wall, _, _, split = timed_on([*recipe_args, str(folder), c], env, server)
            runs["recipe"].append((wall, split))
        cli = statistics.median(w for w, _ in runs["cli"])
        bare = statistics.median(w for w, _ in runs["bare"])
        recipe = statistics.median(w for w, _ in runs["recipe"])
        cache = ["--cache-dir", str(work / "cache0")]
        before = server.requests()
        rerun, _, _ = timed([*CLI, "summarize", str(folder), *common, *cache], env)
        rerun_sent = server.requests() - before
        server.stop()
        ideal = args.docs * args.latency / args.concurrency
        ideal = args.docs * args.latency / args.concurrency
        print(f"{args.docs} documents, {args.latency} s latency, concurrency {c}")
        print(f"  ideal (latency x documents / concurrency): {ideal:.2f} s")
        print(f"  medians over {args.repeat} interleaved rounds; each run's wall time, then")
        print("  what the server saw: before the first request, requests, after the last answer")
        names = {
            "bare": f"bare async HTTP client, same {sent} request bodies",
            "recipe": "instructor gather + Semaphore recipe",
            "cli": "summarizer CLI",
        }
        for key, name in names.items():
            print(f"  {name}: {statistics.median(w for w, _ in runs[key]):.2f} s")
            for wall, split in runs[key]:
                print(f"      {wall:.2f} s  ({split})")
        pairs = zip(runs["bare"], runs["cli"], strict=True)
        ratios = ", ".join(f"{b / c_:.3f}" for (b, _), (c_, _) in pairs)
        print(
            f"  bare/CLI = {bare / cli:.3f} (per round: {ratios}), recipe/CLI = {recipe / cli:.3f}"
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
