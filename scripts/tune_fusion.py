"""Grid over the fusion settings (knowledge.search.SearchConfig) on the training folds only.

    python scripts/tune_fusion.py --home DIR [--sets dev,stard]

Prints R@1/R@5/MRR per setting on training folds (fold != benchmarks.datasets.HELDOUT); the held-out fold is
never scored here. The chosen values are written into SearchConfig's defaults by hand, with this output quoted
in the commit message."""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from datasets import HELDOUT, LOCAL_CORPUS, first_gold_rank, load_sets, mark_held, open_services  # noqa: E402

GRID = {"dense_weight": (0.2, 0.3, 0.5), "type_boost": (0.0, 0.25, 0.5), "expansion_weight": (0.25, 0.35, 0.5),
        "rrf_k": (10, 30), "opening_boost": (0.0,)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--sets", default="dev,stard")
    ap.add_argument("--grid", help='JSON object replacing the grid, e.g. {"opening_boost": [0, 0.5, 1]}')
    ap.add_argument("--rerank", action="store_true", help="with the shipped re-ranker (trained on these folds: "
                    "its figures here are in-sample)")
    args = ap.parse_args(argv)
    global GRID
    if args.grid:
        import json

        GRID = json.loads(args.grid)

    kb = open_services(args.home, LOCAL_CORPUS).kb
    qs = load_sets(args.sets.split(","))
    mark_held(kb, qs)
    qs = [q for q in qs if q.scorable and q.fold != HELDOUT]
    keys = list(GRID)
    rows = []
    for values in itertools.product(*(GRID[k] for k in keys)):
        cfg = replace(kb.config, rerank=args.rerank, **dict(zip(keys, values)))
        per_set: dict[str, list] = {}
        for q in qs:
            # the question memory leaves the question's own fold out: it must not find itself
            own = replace(cfg, memory_exclude_fold=q.fold)
            per_set.setdefault(q.set, []).append(first_gold_rank(kb.search(q.question, top_k=10, config=own), q))
        cells = []
        total = 0.0
        for s, ranks in sorted(per_set.items()):
            n = len(ranks)
            r1 = sum(1 for r in ranks if r == 1) / n
            r5 = sum(1 for r in ranks if r and r <= 5) / n
            total += r1 + r5
            cells.append(f"{s} R@1 {r1:.3f} R@5 {r5:.3f}")
        rows.append((total, dict(zip(keys, values)), cells))
        print(dict(zip(keys, values)), " | ".join(cells), flush=True)
    best = max(rows, key=lambda r: r[0])
    print("best on training folds:", best[1], " | ".join(best[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
