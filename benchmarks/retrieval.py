"""Retrieval benchmark: recall / MRR / latency of `kb.search` per mode on the dev question set.

    python benchmarks/retrieval.py [--home DIR] [--set benchmarks/devset.jsonl] [--top-k 10]
                                   [--modes lexical,dense,hybrid] [--json out.json] [--limit N]

Builds the services once in a persistent home (default ~/.cache/xuefa-bench, so the national
index is built only on the first run), ingests ../shared/corpus/local, then runs every question
through `services.kb.search(question, top_k, mode=mode)`.

A hit matches a gold article when (hit.law.title, hit.article.number) equals (gold.law, gold.article)
(and the hit is not a 之一 article). Metrics, per question = rank of the first matching hit:
  R@k     share of questions with any gold article in the top k
  MRR@10  mean of 1/rank (0 when no gold in the top 10)
  p50/p95 warm query latency in ms (one warm-up query per mode is run first and not counted)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_SET = HERE / "devset.jsonl"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "local"
DEFAULT_HOME = Path(os.environ.get("XUEFA_BENCH_HOME", Path.home() / ".cache" / "xuefa-bench"))
MODES = ("lexical", "dense", "hybrid")
KINDS = ("exam", "colloquial", "scenario", "lookup")
WARMUP_QUERY = "公职人员收受礼金应当如何处理"


def peak_mb() -> float:
    """Peak resident memory of this process (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def load_set(paths: list[Path], limit: int | None = None) -> list[dict]:
    qs: list[dict] = []
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                qs.append(json.loads(line))
    return qs[:limit] if limit else qs


def first_gold_rank(hits, gold: list[dict]) -> int | None:
    want = {(g["law"], int(g["article"])) for g in gold}
    for i, h in enumerate(hits, start=1):
        if getattr(h.article, "sub", 0) == 0 and (h.law.title, h.article.number) in want:
            return i
    return None


def hit_brief(h, chars: int = 40) -> dict:
    text = " ".join(h.article.text.split())
    return {"law": h.law.title, "article": h.article.number, "label": h.article.label,
            "score": round(float(h.score), 5), "via": list(h.via), "text": text[:chars]}


def summarize(rows: list[dict], top_k: int) -> dict:
    n = len(rows)
    if not n:
        return {"n": 0}
    ranks = [r["rank"] for r in rows]

    def recall(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / n

    lat = [r["ms"] for r in rows]
    return {"n": n, "R@1": recall(1), "R@5": recall(5), "R@10": recall(min(10, top_k)),
            "MRR@10": sum(1.0 / r for r in ranks if r is not None and r <= 10) / n,
            "p50_ms": percentile(lat, 50), "p95_ms": percentile(lat, 95)}


def build(home: Path, corpus: Path | None):
    """Services with the national corpus and the local regulations; returns (services, info)."""
    from assistant.config import Settings
    from assistant.services import build_services

    info: dict = {"home": str(home)}
    settings = Settings(home=home)
    fresh = not settings.catalog_path.exists()
    t0 = time.perf_counter()
    last = {"t": 0.0}

    def progress(done: int, total: int, what: str) -> None:
        now = time.perf_counter()
        if done >= total or now - last["t"] > 15:
            last["t"] = now
            print(f"  {what} {done}/{total}", flush=True)

    services = build_services(settings, llm=None, progress=progress)
    info["open_s"] = time.perf_counter() - t0
    info["fresh_index"] = fresh
    if corpus is not None:
        t0 = time.perf_counter()
        try:
            report = services.ingest([corpus])
        except Exception as e:  # noqa: BLE001 - the benchmark should still run on the national corpus
            info["ingest_error"] = f"{type(e).__name__}: {e}"
        else:
            info["ingest_s"] = time.perf_counter() - t0
            try:
                rep = report.to_json()
                info["ingest"] = {k: (len(v) if isinstance(v, list) else v)
                                  for k, v in rep.items() if k in ("added", "unchanged", "replaced", "failed")}
                if rep.get("failed"):
                    info["ingest_failed"] = rep["failed"]
            except Exception:  # noqa: BLE001
                info["ingest"] = repr(report)
    try:
        info["stats"] = services.kb.stats()
    except Exception:  # noqa: BLE001
        pass
    return services, info


def missing_gold_laws(kb, questions: list[dict]) -> list[str]:
    titles = sorted({g["law"] for q in questions for g in q["gold"]})
    missing = []
    for t in titles:
        try:
            found = kb.catalog.laws_by_title(t)
        except Exception:  # noqa: BLE001
            found = None
        if not found:
            missing.append(t)
    return missing


def run_mode(kb, questions: list[dict], mode: str, top_k: int) -> list[dict]:
    kb.search(WARMUP_QUERY, top_k=top_k, mode=mode)  # loads models / indexes; not timed
    kb.clear_query_cache()  # each mode pays for its own query embeddings
    rows = []
    for q in questions:
        t0 = time.perf_counter()
        hits = kb.search(q["question"], top_k=top_k, mode=mode)
        ms = (time.perf_counter() - t0) * 1000
        rows.append({"id": q["id"], "kind": q.get("kind"), "question": q["question"], "gold": q["gold"],
                     "rank": first_gold_rank(hits, q["gold"]), "ms": ms,
                     "hits": [hit_brief(h) for h in hits]})
    return rows


def fmt(v: float, pct: bool = True) -> str:
    return f"{v * 100:5.1f}" if pct else f"{v:7.1f}"


def gold_str(gold: list[dict]) -> str:
    return "; ".join(f"{g['law'].removeprefix('中华人民共和国')} 第{g['article']}条" for g in gold)


def hits_str(hits: list[dict], n: int = 3) -> str:
    return " | ".join(f"{h['law'].removeprefix('中华人民共和国')} {h['label']}" for h in hits[:n]) or "(no hits)"


def report(results: dict[str, list[dict]], top_k: int, info: dict, focus: str = "hybrid") -> dict:
    summary = {m: summarize(rows, top_k) for m, rows in results.items()}
    print()
    print(f"{'mode':<8} {'n':>4} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MRR@10':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for m, s in summary.items():
        if not s["n"]:
            continue
        print(f"{m:<8} {s['n']:>4} {fmt(s['R@1']):>6} {fmt(s['R@5']):>6} {fmt(s['R@10']):>6} "
              f"{s['MRR@10']:7.3f} {s['p50_ms']:8.1f} {s['p95_ms']:8.1f}")

    # per-kind R@5, every mode
    print()
    print("R@5 by kind" + " " * 3 + "".join(f"{m:>9}" for m in results) + "      n")
    by_kind: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        cells, n = [], 0
        for m, rows in results.items():
            sub = [r for r in rows if r["kind"] == kind]
            n = len(sub)
            s = summarize(sub, top_k)
            by_kind.setdefault(kind, {})[m] = s.get("R@5", float("nan"))
            cells.append(f"{fmt(s['R@5']) if n else '   -':>9}")
        print(f"  {kind:<12}" + "".join(cells) + f"  {n:>5}")

    rows = results.get(focus) or next(iter(results.values()))
    # per-law R@5 for the focus mode (by the first, best gold)
    print()
    print(f"R@5 by law of the best gold ({focus})")
    by_law_rows: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_law_rows[r["gold"][0]["law"]].append(r)
    by_law = {}
    for law, sub in sorted(by_law_rows.items(), key=lambda kv: -len(kv[1])):
        s = summarize(sub, top_k)
        by_law[law] = {"n": s["n"], "R@5": s["R@5"], "R@10": s["R@10"]}
        print(f"  {law:<24} n={s['n']:>3}  R@5 {fmt(s['R@5'])}  R@10 {fmt(s['R@10'])}")

    lookups = [r for r in rows if r["kind"] == "lookup" and r["rank"] != 1]
    print()
    print(f"Lookup questions not at rank 1 ({focus}): {len(lookups)}")
    for r in lookups:
        print(f"  {r['id']} [{r['rank'] or '-'}] {r['question']}  → gold {gold_str(r['gold'])}")
        print(f"       top3: {hits_str(r['hits'])}")

    misses = [r for r in rows if r["rank"] is None]
    print()
    print(f"Misses at R@{top_k} ({focus}): {len(misses)}")
    for r in misses:
        print(f"  {r['id']} ({r['kind']}) {r['question']}")
        print(f"       gold: {gold_str(r['gold'])}")
        print(f"       top3: {hits_str(r['hits'])}")

    print()
    parts = [f"peak RSS {peak_mb():.0f} MB"]
    if info.get("fresh_index"):
        parts.insert(0, f"index built in {info['open_s']:.1f} s")
    else:
        parts.insert(0, f"services opened in {info['open_s']:.1f} s (index already built)")
    if "ingest_s" in info:
        parts.append(f"local ingest {info['ingest_s']:.1f} s {info.get('ingest', '')}")
    print("; ".join(parts))
    return {"summary": summary, "by_kind_R@5": by_kind, "by_law": by_law}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME, help=f"xuefa data dir (default {DEFAULT_HOME})")
    ap.add_argument("--set", dest="sets", type=Path, action="append",
                    help="question set(s) in JSONL (default benchmarks/devset.jsonl); may repeat")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--modes", default=",".join(MODES), help="comma-separated: lexical,dense,hybrid")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="local regulations to ingest")
    ap.add_argument("--no-ingest", action="store_true", help="do not ingest the local corpus")
    ap.add_argument("--limit", type=int, default=None, help="only the first N questions")
    ap.add_argument("--json", dest="json_out", type=Path, default=None, help="save all results here")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(REPO))
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    bad = [m for m in modes if m not in MODES]
    if bad:
        ap.error(f"unknown mode(s) {bad}")
    sets = args.sets or [DEFAULT_SET]
    questions = load_set(sets, args.limit)
    print(f"{len(questions)} questions from {', '.join(str(s) for s in sets)}; home {args.home}")

    # Two processes writing one Chroma directory corrupt it (seen: segfaults in chromadb_rust_bindings),
    # so only one benchmark may use a home at a time.
    import fcntl

    args.home.mkdir(parents=True, exist_ok=True)
    lock = open(args.home / ".bench.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print(f"another benchmark is using {args.home}; wait for it or pass another --home", file=sys.stderr)
        return 2

    services, info = build(args.home, None if args.no_ingest else args.corpus)
    if info.get("fresh_index"):
        print(f"built services and index in {info['open_s']:.1f} s (peak RSS so far {peak_mb():.0f} MB)")
    if "ingest_error" in info:
        print(f"WARNING: ingest of {args.corpus} failed: {info['ingest_error']}")
    if info.get("ingest_failed"):
        print(f"WARNING: files that failed to ingest: {info['ingest_failed']}")
    if "stats" in info:
        print(f"knowledge base: {info['stats']}")
    kb = services.kb
    missing = missing_gold_laws(kb, questions)
    if missing:
        print(f"WARNING: gold laws not in the catalog under these exact titles (their questions cannot score): {missing}")

    results: dict[str, list[dict]] = {}
    for mode in modes:
        t0 = time.perf_counter()
        results[mode] = run_mode(kb, questions, mode, args.top_k)
        print(f"ran {mode}: {len(questions)} queries in {time.perf_counter() - t0:.1f} s")

    out = report(results, args.top_k, info, focus="hybrid" if "hybrid" in results else modes[0])
    if args.json_out:
        payload = {"sets": [str(s) for s in sets], "top_k": args.top_k, "info": info,
                   "missing_gold_laws": missing, "peak_rss_mb": peak_mb(), **out, "questions": results}
        args.json_out.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        print(f"saved {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
