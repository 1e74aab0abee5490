"""Build the Voice of America gold sets from per-story annotations.

    python scripts/build_voa_gold.py --check eval/voa/annotator-a/8010842.json ...
    python scripts/build_voa_gold.py            # writes eval/voa-dev.jsonl, eval/voa-test.jsonl,
                                                # eval/voa/double-a.jsonl, eval/voa/double-b.jsonl

Annotations (`eval/voa/annotator-a/ID.json`, `annotator-b/ID.json`) follow
`eval/GUIDELINES.md`; the story texts come from `data/voa/voa_stories.jsonl` (public
domain, see its NOTICE.md). Every name, alias, quote and evidence string must occur in the
story, and every actor an item names must be listed in `people`: a check that fails names
the file and the string.

The dev/test split is fixed by a hash of the story id alone, chosen before any story was
annotated and before any rule was changed, so no result can move a story between splits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT / "data" / "voa" / "voa_stories.jsonl"
ANNOTATIONS = ROOT / "eval" / "voa"
_ITEM_FIELDS = {"people", "meetings", "statements", "proposals"}


def split_of(story_id: str) -> str:
    """'dev' or 'test', from the story id alone."""
    return "dev" if int(hashlib.sha256(story_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def stories() -> dict[str, dict[str, Any]]:
    lines = STORIES.read_text(encoding="utf-8").splitlines()
    return {str(d["id"]): d for d in (json.loads(line) for line in lines if line.strip())}


def problems(annotation: dict[str, Any], text: str) -> list[str]:
    """What is wrong with one annotation: strings not in the text, unknown actors."""
    out: list[str] = []
    names: set[str] = set()
    for person in annotation.get("people", []):
        for n in [person["name"], *person.get("aliases", [])]:
            names.add(n)
            if n not in text:
                out.append(f"actor name not in the text: {n!r}")

    def known(n: str | None, where: str) -> None:
        if n is not None and n not in names:
            out.append(f"{where}: {n!r} is not a listed actor name or alias")

    for i, m in enumerate(annotation.get("meetings", [])):
        for n in m["participants"]:
            known(n, f"meetings[{i}].participants")
        known(m.get("visitor"), f"meetings[{i}].visitor")
        known(m.get("host"), f"meetings[{i}].host")
        if m.get("place") and m["place"] not in text:
            out.append(f"meetings[{i}].place not in the text: {m['place']!r}")
        out += [
            f"meetings[{i}].evidence not in the text: {e!r}"
            for e in m.get("evidence", [])
            if e not in text
        ]
    for i, s in enumerate(annotation.get("statements", [])):
        known(s["speaker"], f"statements[{i}].speaker")
        if s.get("quote") is not None and s["quote"] not in text:
            out.append(f"statements[{i}].quote not in the text: {s['quote']!r}")
    for i, p in enumerate(annotation.get("proposals", [])):
        known(p.get("proposer"), f"proposals[{i}].proposer")
        for n in p.get("recipients", []):
            known(n, f"proposals[{i}].recipients")
        out += [
            f"proposals[{i}].evidence not in the text: {e!r}"
            for e in p.get("evidence", [])
            if e not in text
        ]
    return out


def gold_document(annotation: dict[str, Any], story: dict[str, Any]) -> dict[str, Any]:
    from summarizer.evaluation.gold import GoldDocument

    doc = {
        "id": f"voa-{story['id']}",
        "text": story["text"],
        "origin": f"voa (annotator {annotation.get('annotator', '?')}, by eval/GUIDELINES.md)",
        "note": f"Voice of America, {story['url']} (public domain); {story['title']}",
        "published": str(story["published"])[:10],
        "annotated": ["meetings", "statements", "proposals"],
        **{k: annotation.get(k, []) for k in sorted(_ITEM_FIELDS)},
    }
    return GoldDocument.model_validate(doc).model_dump(mode="json")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def check(paths: list[Path]) -> int:
    texts = stories()
    bad = 0
    for path in paths:
        annotation = _load(path)
        story = texts.get(str(annotation.get("id")))
        if story is None:
            print(f"{path}: unknown story id {annotation.get('id')!r}")
            bad += 1
            continue
        found = problems(annotation, story["text"])
        try:
            gold_document(annotation, story)
        except ImportError:
            pass  # outside the project's environment: the string checks still ran
        except ValueError as exc:
            found.append(" ".join(str(exc).splitlines()[:3]))
        for p in found:
            print(f"{path}: {p}")
        bad += bool(found)
        if not found:
            print(f"{path}: ok")
    return 1 if bad else 0


def _write(path: Path, docs: list[dict[str, Any]]) -> None:
    path.write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8"
    )
    print(f"{path.relative_to(ROOT)}: {len(docs)} documents")


def build() -> int:
    texts = stories()
    sets: dict[str, list[dict[str, Any]]] = {"dev": [], "test": []}
    a_docs: dict[str, dict[str, Any]] = {}
    for path in sorted((ANNOTATIONS / "annotator-a").glob("*.json")):
        annotation = _load(path)
        story = texts[str(annotation["id"])]
        if problems(annotation, story["text"]):
            print(f"{path}: does not check; run --check")
            return 1
        if not annotation.get("relevant", True):
            continue
        doc = gold_document(annotation, story)
        a_docs[str(annotation["id"])] = doc
        sets[split_of(str(annotation["id"]))].append(doc)
    for name, docs in sets.items():
        _write(ROOT / "eval" / f"voa-{name}.jsonl", sorted(docs, key=lambda d: d["id"]))
    double_a, double_b = [], []
    for path in sorted((ANNOTATIONS / "annotator-b").glob("*.json")):
        annotation = _load(path)
        story_id = str(annotation["id"])
        if story_id in a_docs and annotation.get("relevant", True):
            double_a.append(a_docs[story_id])
            double_b.append(gold_document(annotation, texts[story_id]))
    if double_b:
        _write(ANNOTATIONS / "double-a.jsonl", double_a)
        _write(ANNOTATIONS / "double-b.jsonl", double_b)
    return 0


def command(doc: str, check: Callable[[list[Path]], int], build: Callable[[], int]) -> int:
    """The command line both gold builders share: build, or --check some files."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--check", nargs="+", type=Path, metavar="FILE", help="check annotations")
    args = parser.parse_args()
    return check(args.check) if args.check else build()


def main() -> int:
    return command(__doc__, check, build)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
