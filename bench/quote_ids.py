"""Output tokens saved by citing quotations by id instead of copying them.

    python bench/quote_ids.py

Takes the hand-written answer for the reference article (which cites quotations by id,
as the prompt asks), builds the same answer with every quotation copied out instead, and
counts the tokens of both with a real tokenizer (the bundled SmolLM2's, loaded
vocabulary only). Also counts the evidence: sentence numbers versus copied sentences.
"""

from __future__ import annotations

import json
from pathlib import Path

from llama_cpp import Llama

from summarizer.article import Article
from summarizer.backends.local import default_model_path
from summarizer.extraction.candidates import find_quotations

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "examples/lavrov-shaibani-moscow.txt"
ANSWER = ROOT / "fixtures/hand-written/lavrov-shaibani-moscow.answer.json"


def main() -> None:
    article = Article(ARTICLE.read_text(encoding="utf-8"))
    quotations = find_quotations(article)
    by_id = json.loads(ANSWER.read_text(encoding="utf-8"))
    copied = json.loads(json.dumps(by_id))
    for statement in copied["statements"]:
        if statement.get("quote_id"):
            q = quotations[int(statement.pop("quote_id")[1:]) - 1]
            statement["quote"] = q.text(article)
        else:
            statement.pop("quote_id", None)
    evidence_copied = json.loads(json.dumps(copied))
    for kind in ("meetings", "statements", "proposals"):
        for item in evidence_copied[kind]:
            item["evidence"] = [article.sentences[n - 1].text for n in item["evidence"]]

    llama = Llama(model_path=str(default_model_path()), vocab_only=True, verbose=False)

    def tokens(obj: object) -> int:
        return len(llama.tokenize(json.dumps(obj, ensure_ascii=False).encode(), add_bos=False))

    ours, with_quotes, with_both = tokens(by_id), tokens(copied), tokens(evidence_copied)
    print(f"answer citing quotations by id and sentences by number: {ours} tokens")
    print(
        f"same answer copying the quotations: {with_quotes} tokens "
        f"({with_quotes - ours} more, {ours / with_quotes:.0%} of it)"
    )
    print(
        f"copying quotations and evidence sentences: {with_both} tokens "
        f"({with_both - ours} more, {ours / with_both:.0%} of it)"
    )


if __name__ == "__main__":
    main()
