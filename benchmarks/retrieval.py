"""Retrieval benchmark: R@1/R@5/R@10/MRR@10 of `kb.search`, every mode side by side, on the dev set and STARD,
held-out fold apart from the training folds (see benchmarks/datasets.py for the folds and held golds).

    python benchmarks/retrieval.py [--home DIR] [--sets dev,stard,fresh] [--modes lexical,dense,hybrid,rerank]
                                   [--ablation] [--misses] [--json out.json] [--limit N]

Modes: lexical (BM25 words + bigrams + lexicon), dense (vectors only), hybrid (fusion, no learned re-ranker),
rerank (fusion + the shipped LightGBM re-ranker). --ablation adds the fusion as it was before issue #10
(substring term map, expansions bigram-split at full weight, no article types) and each change on its own.
--misses prints misses of the training folds only (never of the held-out fold).
Latencies are printed for information; on a shared machine they are contended and not to be quoted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
from common import percentile  # noqa: E402
from datasets import FOLDS, HELDOUT, first_gold_rank, load_sets, mark_held, open_services  # noqa: E402

DEFAULT_HOME = Path(os.environ.get("XUEFA_BENCH_HOME", Path.home() / ".cache" / "xuefa-bench"))
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "local"
KINDS = ("exam", "colloquial", "scenario", "lookup")
WARMUP = "公职人员收受礼金应当如何处理"


def configs(kb, ablation: bool, modes: list[str]):
    """(name, mode, SearchConfig, lexicon override) in report order."""
    from knowledge.search import SearchConfig

    base = kb.config
    out = []
    if ablation:
        from legacy_synonyms import LegacyLexicon

        legacy = LegacyLexicon()
        out += [
            ("before#10", "hybrid", replace(base, expansion_bigrams=True, expansion_weight=1.0, type_boost=0.0,
                                            rerank=False), legacy),
            ("no-lexicon", "hybrid", replace(base, lexicon=False, type_boost=0.0, rerank=False), None),
            ("lexicon", "hybrid", replace(base, type_boost=0.0, rerank=False), None),
            ("lex-bigram", "hybrid", replace(base, expansion_bigrams=True, expansion_weight=1.0, type_boost=0.0,
                                             rerank=False), None),
            ("no-memory", "hybrid", replace(base, memory=False, rerank=False), None),
        ]
    for m in modes:
        if m == "rerank":
            if kb.ranker is None:
                print("no re-ranker model shipped (knowledge/data/ranker.lgb.txt): skipping mode rerank")
                continue
            out.append(("rerank", "hybrid", replace(base, rerank=True), None))
        elif m == "hybrid":
            out.append(("hybrid", "hybrid", replace(base, rerank=False), None))
        else:
            out.append((m, m, replace(base, rerank=False), None))
    return out


def own_fold_out(cfg, q):
    """A training-fold question must not find itself in the question memory: its fold is left out."""
    return cfg if q.fold == HELDOUT else replace(cfg, memory_exclude_fold=q.fold)


def run(kb, questions, mode, cfg, lexicon, top_k: int) -> list[dict]:
    kb.search(WARMUP, top_k=top_k, mode=mode, config=cfg, lexicon=lexicon)
    rows = []
    for q in questions:
        t0 = time.perf_counter()
        hits = kb.search(q.question, top_k=top_k, mode=mode, config=own_fold_out(cfg, q), lexicon=lexicon)
        ms = (time.perf_counter() - t0) * 1000
        rows.append({"set": q.set, "id": q.id, "fold": q.fold, "kind": q.kind, "rank": first_gold_rank(hits, q),
                     "ms": ms, "top": [f"{h.law.title.removeprefix('中华人民共和国')} {h.article.label}"
                                       for h in hits[:3]]})
    return rows


def metrics(rows: list[dict]) -> dict:
    n = len(rows)
    if not n:
        return {"n": 0}

    def r(k: int) -> float:
        return sum(1 for x in rows if x["rank"] is not None and x["rank"] <= k) / n

    return {"n": n, "R@1": r(1), "R@5": r(5), "R@10": r(10),
            "MRR@10": sum(1 / x["rank"] for x in rows if x["rank"] and x["rank"] <= 10) / n}


def pct(v) -> str:
    return "    -" if v is None else f"{v * 100:5.1f}"


def report(results: dict[str, list[dict]], sets: list[str]) -> dict:
    out: dict = {}
    for s in sets:
        print(f"\n== {s}: held-out fold {HELDOUT} | training folds ==")
        print(f"{'mode':<12}{'n':>5}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'MRR':>7}   |{'n':>5}{'R@1':>7}{'R@5':>7}"
              f"{'R@10':>7}{'MRR':>7}")
        for name, rows in results.items():
            sub = [r for r in rows if r["set"] == s]
            ho = metrics([r for r in sub if r["fold"] == HELDOUT])
            tr = metrics([r for r in sub if r["fold"] != HELDOUT])
            out.setdefault(s, {})[name] = {"heldout": ho, "train": tr}
            if not ho["n"] and not tr["n"]:
                continue
            print(f"{name:<12}{ho['n']:>5}{pct(ho.get('R@1'))}  {pct(ho.get('R@5'))}  {pct(ho.get('R@10'))}"
                  f"  {ho.get('MRR@10', 0):5.3f}   |{tr['n']:>5}{pct(tr.get('R@1'))}  {pct(tr.get('R@5'))}"
                  f"  {pct(tr.get('R@10'))}  {tr.get('MRR@10', 0):5.3f}")
        print(f"R@5 per fold ({s}; fold {HELDOUT} held out)")
        print(f"{'mode':<12}" + "".join(f"{'f' + str(f):>7}" for f in range(FOLDS)))
        for name, rows in results.items():
            sub = [r for r in rows if r["set"] == s]
            cells = [metrics([r for r in sub if r["fold"] == f]).get("R@5") for f in range(FOLDS)]
            out[s][name]["per_fold_R@5"] = cells
            print(f"{name:<12}" + "".join(f"  {pct(c)}" for c in cells))
        if s == "dev":
            print("R@5 by kind (dev): held-out / all folds")
            print(f"{'mode':<12}" + "".join(f"{k:>18}" for k in KINDS))
            for name, rows in results.items():
                sub = [r for r in rows if r["set"] == s]
                cells = []
                for k in KINDS:
                    ho = metrics([r for r in sub if r["kind"] == k and r["fold"] == HELDOUT])
                    al = metrics([r for r in sub if r["kind"] == k])
                    out[s][name].setdefault("by_kind", {})[k] = {"heldout": ho, "all": al}
                    cells.append(f"{pct(ho.get('R@5'))}({ho['n']:>2}) {pct(al.get('R@5'))}({al['n']:>3})")
                print(f"{name:<12}" + "".join(f"{c:>18}" for c in cells))
    lat = {name: percentile([r["ms"] for r in rows], 95) for name, rows in results.items()}
    print("\nwarm p95 ms (contended machine, not to be quoted): " +
          ", ".join(f"{k} {v:.0f}" for k, v in lat.items()))
    out["p95_ms"] = lat
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME)
    ap.add_argument("--sets", default="dev,stard,fresh")
    ap.add_argument("--modes", default="lexical,dense,hybrid,rerank")
    ap.add_argument("--ablation", action="store_true")
    ap.add_argument("--misses", action="store_true", help="print training-fold misses of the last mode")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--no-ingest", action="store_true")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--ranker", action="append", default=[], metavar="NAME=MODEL",
                    help="also run the re-ranker MODEL (a ranker.lgb.txt with its .json) as mode NAME; "
                         "a NAME ending in -nomem runs without the question memory")
    args = ap.parse_args(argv)

    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    questions = load_sets(sets)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    lexical_only = set(modes) <= {"lexical"} and not args.ablation
    services = open_services(args.home, None if args.no_ingest else args.corpus, need_vectors=not lexical_only)
    kb = services.kb
    mark_held(kb, questions)
    for s in sets:
        sub = [q for q in questions if q.set == s]
        ok = [q for q in sub if q.scorable]
        golds = sum(len(q.gold) for q in sub)
        held = sum(len(q.held) for q in sub)
        print(f"{s}: {len(sub)} questions, {golds} golds, {held} held by this knowledge base "
              f"({kb.stats()['documents']} documents); scored on {len(ok)} questions with a held gold "
              f"({sum(q.heldout for q in ok)} in the held-out fold)")
    questions = [q for q in questions if q.scorable][:args.limit] if args.limit else \
        [q for q in questions if q.scorable]
    results: dict[str, list[dict]] = {}
    for name, mode, cfg, lexicon in configs(kb, args.ablation, modes):
        t0 = time.perf_counter()
        results[name] = run(kb, questions, mode, cfg, lexicon, args.top_k)
        print(f"ran {name}: {len(questions)} queries in {time.perf_counter() - t0:.0f} s", flush=True)
    for spec in args.ranker:  # other re-ranker models (ablations: trained without some feature group)
        from knowledge.rank.model import LearnedRanker

        name, _, path = spec.partition("=")
        memory = not name.endswith("-nomem")
        shipped, kb._ranker = kb._ranker, LearnedRanker.load(Path(path))
        t0 = time.perf_counter()
        results[name] = run(kb, questions, "hybrid", replace(kb.config, rerank=True, memory=memory), None,
                            args.top_k)
        kb._ranker = shipped
        print(f"ran {name}: {len(questions)} queries in {time.perf_counter() - t0:.0f} s", flush=True)
    out = report(results, sets)
    if args.misses and results:
        name = list(results)[-1]
        print(f"\nmisses at R@5 on training folds ({name}):")
        for r in results[name]:
            if r["fold"] != HELDOUT and (r["rank"] is None or r["rank"] > 5):
                q = next(q for q in questions if q.id == r["id"])
                print(f"  {r['id']} [{r['kind']}] {q.question}\n     gold {q.held}  rank {r['rank']}  top {r['top']}")
    if args.json:
        args.json.write_text(json.dumps({"summary": out, "rows": results}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
