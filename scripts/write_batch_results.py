"""Answer a batch request file by hand, in the results format of `vllm run-batch`.

    python scripts/write_batch_results.py REQUESTS.jsonl ANSWER.json OUT.jsonl

Every request line gets one result line, `{"id": "vllm-<hex>", "custom_id": ...,
"response": {"status_code": 200, "request_id": "vllm-batch-<hex>", "body": <chat
completion>}, "error": null}`, as vLLM's `BatchRequestOutput` is written: the answer is
ANSWER.json, wrapped as the request's mode asks (tool call or content). Each completion
carries `"summarizer_origin": "hand-written"`, so summaries made from it say so in their
provenance: it was written by a person, not returned by a model. Rerun after changing a
prompt (the request ids change with it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from pathlib import Path

from summarizer.backends.recording import ORIGIN_FIELD
from summarizer.testing import completion_for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requests", type=Path)
    parser.add_argument("answer", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    answer = json.loads(args.answer.read_text(encoding="utf-8"))
    lines = []
    for raw in args.requests.read_text(encoding="utf-8").splitlines():
        request = json.loads(raw)
        tag = hashlib.sha256(request["custom_id"].encode()).hexdigest()
        body = completion_for(request["body"], answer)
        prompt = math.ceil(len(raw.encode()) / 4)
        written = math.ceil(len(json.dumps(answer).encode()) / 4)
        body["id"] = f"chatcmpl-{tag[:16]}"
        body["usage"] = {
            "prompt_tokens": prompt,
            "completion_tokens": written,
            "total_tokens": prompt + written,
        }
        body[ORIGIN_FIELD] = "hand-written"
        line = {
            "id": f"vllm-{tag[:32]}",
            "custom_id": request["custom_id"],
            "response": {"status_code": 200, "request_id": f"vllm-batch-{tag[32:]}", "body": body},
            "error": None,
        }
        lines.append(json.dumps(line, ensure_ascii=False))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} hand-written result line(s) to {args.out}")


if __name__ == "__main__":
    main()
