"""Grid over the answer/decline thresholds (assistant.ask.support.Thresholds) on the training folds only.

    python scripts/tune_support.py --home DIR

On-topic questions: dev set + STARD questions with a held gold; off-topic: benchmarks/offtopic.txt. Each side is
split into the fixed folds (benchmarks/datasets.py); only folds != HELDOUT are read. Prints, per setting, the
share of on-topic questions wrongly declined and of off-topic ones rightly declined."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from datasets import FRESH, HELDOUT, LOCAL_CORPUS, fold_of, load_sets, mark_held, open_services  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--grid", help="JSON object replacing the grid")
    args = ap.parse_args(argv)
    from assistant.ask.support import SupportJudge, Thresholds

    services = open_services(args.home, LOCAL_CORPUS)
    answerer = services.answerer
    qs = load_sets(["dev", "stard"])
    mark_held(services.kb, qs)
    on = [q.question for q in qs if q.scorable and q.fold != HELDOUT]
    off = [ln.strip() for ln in (REPO / "benchmarks" / "offtopic.txt").read_text(encoding="utf-8").splitlines()
           if ln.strip() and fold_of(ln.strip()) != HELDOUT]
    # the fresh sets already measured once (benchmarks.datasets.FRESH) are development sets
    # (their training folds only: fold HELDOUT of the fresh sets is held out like the others')
    fresh = [d for path in FRESH for ln in path.open(encoding="utf-8") if ln.strip()
             and fold_of((d := json.loads(ln))["question"]) != HELDOUT]
    fresh_on = [q["question"] for q in fresh if q["kind"] != "offtopic"]
    fresh_off = [q["question"] for q in fresh if q["kind"] == "offtopic"]
    states = {}
    kb = services.kb
    base = kb.config
    for text in on + off + fresh_on + fresh_off:
        # a training question must not find itself in the question memory: its own fold is left out
        kb.config = replace(base, memory_exclude_fold=fold_of(text))
        try:
            states[text] = answerer.prepare.invoke({"question": text, "history": [], "law": None})
        finally:
            kb.config = base

    def top_score(t):
        hits = states[t]["hits"]
        return hits[0].score if hits and "rerank" in hits[0].via else None

    for name, side in (("on-topic", on), ("off-topic", off)):
        xs = sorted(x for x in map(top_score, side) if x is not None)
        if xs:
            qs_ = [xs[int(p * (len(xs) - 1))] for p in (0.05, 0.1, 0.25, 0.5, 0.75)]
            print(f"{name}: first re-ranked score quantiles 5/10/25/50/75%: " + " ".join(f"{v:.2f}" for v in qs_))
    # note: the re-ranker was trained on these on-topic questions, so their scores are in-sample (optimistic)
    grid = {"min_covered": (1, 2), "min_share": (0.0, 0.25), "min_weighted": (0.0, 0.2, 0.3),
            "min_rank_score": (None, -1.5, -1.0, -0.5, 0.0), "rank_veto_below": (None, 0.3, 0.4, 0.5)}
    if args.grid:
        grid = json.loads(args.grid)

    def declined(judge, side):
        return sum(not judge.judge(states[t]["query"], states[t]["hits"]).supported for t in side) / len(side)

    for values in itertools.product(*grid.values()):
        judge = SupportJudge(services.kb, Thresholds(**dict(zip(grid, values))))
        print(dict(zip(grid, values)), f"on-topic declined {declined(judge, on):.3f}  off-topic declined "
              f"{declined(judge, off):.3f} | fresh sets on-topic declined {declined(judge, fresh_on):.3f}  "
              f"off-topic declined {declined(judge, fresh_off):.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
