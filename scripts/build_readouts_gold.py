"""Build the readouts gold sets from per-document annotations.

    python scripts/build_readouts_gold.py --check eval/readouts/dev/*.json
    python scripts/build_readouts_gold.py   # writes eval/readouts-dev.jsonl, readouts-test.jsonl

Each file in `eval/readouts/dev/` or `eval/readouts/test/` holds one document: its text
(a readout, statement or media note in the style of U.S. government releases, written for
this project about invented events; see `eval/readouts/README.md`), its publication date
and its annotation by `eval/GUIDELINES.md`. The folder is the split: test documents were
written by another hand than the rules' author and are scored once, for reporting.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "eval" / "readouts"
_ITEM_FIELDS = ("people", "meetings", "statements", "proposals")
_FIELDS = {"id", "published", "text", "note", "relevant", *_ITEM_FIELDS}


def _problems(annotation: dict[str, Any]) -> list[str]:
    from build_voa_gold import problems  # the same string checks as the VOA set

    found = [f"unknown field {k!r}" for k in sorted(set(annotation) - _FIELDS)]
    for key in ("id", "published", "text"):
        if not isinstance(annotation.get(key), str) or not annotation[key]:
            found.append(f"{key!r} missing or not a string")
    if found:
        return found
    found += problems(annotation, annotation["text"])
    try:
        _document(annotation, "dev")
    except ValueError as exc:
        found.append(" ".join(str(exc).splitlines()[:3]))
    return found


def _document(annotation: dict[str, Any], split: str) -> dict[str, Any]:
    from summarizer.evaluation.gold import GoldDocument

    note = annotation.get("note") or ""
    doc = {
        "id": f"readout-{annotation['id']}",
        "text": annotation["text"],
        "origin": f"readouts-{split} (written for this project, annotated by eval/GUIDELINES.md)",
        "note": ("invented events of invented officials; " + note).rstrip("; "),
        "published": annotation["published"],
        "annotated": ["meetings", "statements", "proposals"],
        **{k: annotation.get(k, []) for k in _ITEM_FIELDS},
    }
    return GoldDocument.model_validate(doc).model_dump(mode="json")


def check(paths: list[Path]) -> int:
    bad = 0
    for path in paths:
        found = _problems(json.loads(path.read_text(encoding="utf-8")))
        for p in found:
            print(f"{path}: {p}")
        if not found:
            print(f"{path}: ok")
        bad += bool(found)
    return 1 if bad else 0


def build() -> int:
    for split in ("dev", "test"):
        docs = []
        for path in sorted((FOLDER / split).glob("*.json")):
            annotation = json.loads(path.read_text(encoding="utf-8"))
            if _problems(annotation):
                print(f"{path}: does not check; run --check")
                return 1
            docs.append(_document(annotation, split))
        out = ROOT / "eval" / f"readouts-{split}.jsonl"
        out.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
        print(f"{out.relative_to(ROOT)}: {len(docs)} documents")
    return 0


def main() -> int:
    from build_voa_gold import command

    return command(__doc__, check, build)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    sys.exit(main())
