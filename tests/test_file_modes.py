"""Output files get the mode the umask gives (0o644 under umask 022, 0o640 under 027),
as a plain open() would make them, though written atomically; a file kept private on
purpose (the batch job file) is 0o600 whatever the umask (issue 22, item 6)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, FIXTURES

from summarizer import collect_batch, submit_batch
from summarizer.cli.main import main
from summarizer.io.files import create_new, remove_leftovers, temporary, write_atomic

REPLAY = ["--replay", str(FIXTURES)]
VLLM_RESULTS = FIXTURES / "batch" / "lavrov-shaibani-moscow.vllm-results.jsonl"
VLLM = {"model": "Qwen/Qwen2.5-7B-Instruct", "mode": "json_schema"}

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture(params=[0o022, 0o027], ids=["umask022", "umask027"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    mask: int = request.param
    old = os.umask(mask)
    try:
        yield mask
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def shared(mask: int) -> int:
    """What open() gives a new file under `mask`."""
    return 0o666 & ~mask


def summarize_into(out: Path, *inputs: Path) -> int:
    return main(["summarize", *map(str, inputs), "--output-dir", str(out), *REPLAY])


def test_a_summary_and_an_error_record_follow_the_umask(umask: int, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    assert summarize_into(out, EXAMPLE, empty) == 1  # one input failed
    assert mode(out / "lavrov-shaibani-moscow.json") == shared(umask)
    assert mode(out / "empty.error.json") == shared(umask)
    assert not list(out.glob(".*"))  # no temporary file left behind


def test_the_report_follows_the_umask(umask: int, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert summarize_into(out, EXAMPLE) == 0
    report = tmp_path / "report.html"
    assert main(["report", str(out), "-o", str(report)]) == 0
    assert mode(report) == shared(umask)


def test_write_atomic_follows_the_umask_unless_private(umask: int, tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    write_atomic(target, "one\n")
    assert mode(target) == shared(umask)
    assert target.read_text() == "one\n"
    secret = tmp_path / "secret.json"
    write_atomic(secret, "{}\n", durable=True, private=True)
    assert mode(secret) == 0o600
    # A file an earlier version made 0o600 gets the umask's mode when rewritten.
    write_atomic(secret, "{}\n")
    assert mode(secret) == shared(umask)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "secret.json"]


def test_the_temporary_is_exclusive_and_named_for_remove_leftovers(
    umask: int, tmp_path: Path
) -> None:
    target = tmp_path / "x.json"
    made = [temporary(target) for _ in range(3)]
    names = {Path(path).name for _, path in made}
    assert len(names) == 3  # unpredictable: a new name each time
    for fd, path in made:
        os.close(fd)
        name = Path(path).name
        assert name.startswith(f".x.json.pid{os.getpid()}.") and name.endswith(".partial")
        assert mode(Path(path)) == shared(umask)
    with pytest.raises(FileExistsError):  # never opens a file already there
        create_new(made[0][1])
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere")
    with pytest.raises(FileExistsError):  # nor follows a link planted at the name
        create_new(link)
    assert not (tmp_path / "elsewhere").exists()
    assert remove_leftovers(tmp_path) == 3  # this process's own, from "before an exec"


def test_batch_outputs_follow_the_umask_and_the_job_file_is_private(
    umask: int, tmp_path: Path
) -> None:
    submit_batch([str(EXAMPLE)], tmp_path, dry_run=True, **VLLM)
    state = tmp_path / "batch"
    [requests] = state.glob("requests-r1-*.jsonl")
    assert mode(requests) == shared(umask)
    assert mode(state / "job.json") == 0o600  # its base URL may carry a password
    report = collect_batch(tmp_path, results=[VLLM_RESULTS])
    assert report.summarized == 1
    assert mode(tmp_path / "lavrov-shaibani-moscow.json") == shared(umask)
    assert mode(state / "imported-001.jsonl") == shared(umask)
    assert mode(state / "job.json") == 0o600
