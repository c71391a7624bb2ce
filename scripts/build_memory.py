"""Write the question memory (knowledge/data/question_memory.json) from the training folds only.

    python scripts/build_memory.py [--sets dev,stard,fresh] [--out knowledge/data/question_memory.json]

Entries: every question of benchmarks/devset.jsonl and ../shared/benchmarks/stard_dev.jsonl whose fold
(benchmarks.datasets.fold_of) is not the held-out fold, with its gold articles as labelled (golds on laws
renumbered since labelling, benchmarks.datasets.RENUMBERED, are left out: their numbers point at other
articles now) and its fold, so benchmarks and scripts/train_ranker.py can leave a question's own fold out.
Needs no knowledge base; deterministic (same inputs -> byte-identical file).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from datasets import HELDOUT, RENUMBERED, load_sets, norm_title  # noqa: E402

OUT = REPO / "knowledge" / "data" / "question_memory.json"
NEIGHBOURS = 20


def entries(sets: list[str]) -> list[dict]:
    out = []
    renumbered = {norm_title(r) for r in RENUMBERED}
    for q in load_sets(sets):
        if q.fold == HELDOUT:
            continue
        golds = [[norm_title(t), n, s] for t, n, s in q.gold if norm_title(t) not in renumbered]
        if golds:
            out.append({"set": q.set, "fold": q.fold, "question": q.question.strip(), "golds": golds})
    out.sort(key=lambda e: (e["set"], e["fold"], e["question"]))
    return out


def render(sets: list[str]) -> str:
    head = {"about": "训练折（fold != 0）的问题及其标准条文；由 scripts/build_memory.py 生成，勿手改",
            "heldout_fold": HELDOUT, "sets": sets, "neighbours": NEIGHBOURS}
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in entries(sets)]
    # one entry a line: diffs of a rebuilt memory stay readable
    return (json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "entries": [\n'
            + ",\n".join(lines) + "\n]}\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="dev,stard,fresh")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    text = render(sets)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    n = text.count('"question"')
    print(f"wrote {args.out}: {n} training-fold questions (fold {HELDOUT} left out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
