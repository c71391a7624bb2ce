"""Points per item that make a paper total a round figure (100) when the bank fell short of the blueprint.

A setter's paper is on a 100 scale with a 60 pass mark; 38 items at 2/3/2 points (84 points, pass 51) reads as a
broken paper. Given the items each form could fill, `fit` finds whole points per form, in the blueprint's order of
weight (a 多选 never worth less than a 单选) and as close to its ratios as possible, and how many items of each form
to keep, so the paper totals exactly `total` with as many of the items as possible."""

from __future__ import annotations

from itertools import product

SCALES = (1, 1.25, 1.5, 2, 2.5, 3, 4, 5)  # how far points may grow over the blueprint's


def _most_items(have: dict[str, int], points: dict[str, int], total: int) -> dict[str, int] | None:
    """Counts ≤ have with Σ count × points == total and the most items; ties keep the blueprint's mix (more of
    the forms listed first)."""
    best: dict[int, tuple[int, tuple[int, ...]]] = {0: (0, ())}
    kinds = [k for k in have if have[k] > 0 and points.get(k, 0) > 0]
    for k in kinds:
        nxt: dict[int, tuple[int, tuple[int, ...]]] = {}
        for sofar, (items, counts) in best.items():
            for n in range(have[k], -1, -1):
                t = sofar + n * points[k]
                if t > total:
                    continue
                cand = (items + n, counts + (n,))
                if t not in nxt or cand > nxt[t]:
                    nxt[t] = cand
        best = nxt
    if total not in best:
        return None
    counts = dict(zip(kinds, best[total][1]))
    return {k: counts.get(k, 0) for k in have}


def fit(have: dict[str, int], points: dict[str, float], total: float) -> tuple[dict[str, int], dict[str, float]] | None:
    """(items to keep per form, points per form) totalling `total`, or None when no whole-number split exists."""
    target = int(round(total))
    if abs(target - total) > 1e-9 or target <= 0:
        return None
    base = {k: float(points.get(k, 0)) for k in have}
    plans = []
    for scale in SCALES:
        pts = {k: max(1, int(round(v * scale))) for k, v in base.items()}
        plans.append((scale, pts))
    # also each form on its own step: 单选 2 → 3 while 多选 stays 3 keeps the order of weight
    for bumps in product((0, 1), repeat=len(base)):
        pts = {k: max(1, int(round(v)) + b) for (k, v), b in zip(base.items(), bumps)}
        plans.append((1 + sum(bumps) / 10, pts))
    best = None
    for scale, pts in plans:
        order = list(base)
        if any(pts[a] > pts[b] and (base[a] < base[b] or (base[a] == base[b] and order.index(a) > order.index(b)))
               for a in base for b in base):
            continue  # the blueprint's order of weight is kept (判断 never above 单选 of the same weight)
        counts = _most_items(have, pts, target)
        if counts is None:
            continue
        kept = sum(counts.values())
        drift = sum(abs(pts[k] - base[k]) for k in base)
        key = (kept, -drift, -scale)
        if best is None or key > best[0]:
            best = (key, counts, {k: float(v) for k, v in pts.items()})
    if best is None:
        return None
    return best[1], best[2]
