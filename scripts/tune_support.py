"""Grid over the answer/decline thresholds (assistant.ask.support.Thresholds) on the training folds only.

    python scripts/tune_support.py --home DIR

On-topic questions: dev set + STARD questions with a held gold; off-topic: benchmarks/offtopic.txt. Each side is
split into the fixed folds (benchmarks/datasets.py); only folds != HELDOUT are read. Prints, per setting, the
share of on-topic questions wrongly declined and of off-topic ones rightly declined."""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from datasets import HELDOUT, LOCAL_CORPUS, fold_of, load_sets, mark_held, open_services  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, required=True)
    args = ap.parse_args(argv)
    from assistant.ask.support import SupportJudge, Thresholds

    services = open_services(args.home, LOCAL_CORPUS)
    answerer = services.answerer
    qs = load_sets(["dev", "stard"])
    mark_held(services.kb, qs)
    on = [q.question for q in qs if q.scorable and q.fold != HELDOUT]
    off = [ln.strip() for ln in (REPO / "benchmarks" / "offtopic.txt").read_text(encoding="utf-8").splitlines()
           if ln.strip() and fold_of(ln.strip()) != HELDOUT]
    states = {}
    for text in on + off:
        states[text] = answerer.prepare.invoke({"question": text, "history": [], "law": None})
    grid = {"min_covered": (1, 2), "min_share": (0.0, 0.25, 0.34), "min_weighted": (0.0, 0.2, 0.3, 0.4, 0.5)}
    for values in itertools.product(*grid.values()):
        judge = SupportJudge(services.kb, Thresholds(**dict(zip(grid, values))))
        wrong = sum(not judge.judge(states[t]["query"], states[t]["hits"]).supported for t in on) / len(on)
        right = sum(not judge.judge(states[t]["query"], states[t]["hits"]).supported for t in off) / len(off)
        print(dict(zip(grid, values)), f"on-topic declined {wrong:.3f}  off-topic declined {right:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
