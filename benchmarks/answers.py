"""Answer benchmark: grounding, refusal and latency of `Answerer.answer` in offline mode (no LLM).

    python benchmarks/answers.py [--home DIR] [--set benchmarks/devset.jsonl] [--offtopic benchmarks/offtopic.txt]
                                 [--no-ingest] [--limit N] [--json out.json] [--verbose]

In one run it prints:
  gold-cited    share of dev questions whose answer cites a gold article (goal >= 0.85)
  refusal       share of "知识库中未找到明确依据" replies on off-topic questions (goal >= 0.90)
                and on dev questions (goal <= 0.05)
  p50/p95       warm answer latency in ms (goal p95 <= 300); one warm-up question is not counted
  verbatim      every returned citation's text occurs verbatim in the stored article (must be 100%)

Builds services in a persistent home (default $XUEFA_BENCH_HOME or ~/.cache/xuefa-bench, shared with
benchmarks/retrieval.py) and ingests ../shared/corpus/local unless --no-ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
DEFAULT_SET = HERE / "devset.jsonl"
DEFAULT_OFFTOPIC = HERE / "offtopic.txt"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "local"
DEFAULT_HOME = Path(os.environ.get("XUEFA_BENCH_HOME", Path.home() / ".cache" / "xuefa-bench"))
WARMUP = "公职人员收受礼金应当如何处理"
GOALS = {"gold_cited": 0.85, "refusal_offtopic": 0.90, "refusal_dev": 0.05, "p95_ms": 300}


def build(home: Path, corpus: Path | None, national: bool = True):
    from assistant.config import Settings
    from assistant.services import build_services

    services = build_services(Settings(home=home, national=national), llm=None)
    if corpus is not None and corpus.is_dir():
        report = services.ingest([corpus]).to_json()
        if report["failed"]:
            print(f"WARNING: failed to ingest: {report['failed']}")
    return services


def verbatim(kb, answer) -> bool:
    """Every citation resolves to a stored article and its text is exactly that article's (款/项) text."""
    for c in [*answer.citations, *answer.nearest]:
        art = kb.catalog.article(c.law_id, c.article, c.sub)
        law = kb.catalog.law(c.law_id)
        if art is None or law is None or law.title != c.law or art.paragraph_text(c.paragraph, c.item) != c.text:
            return False
    return True


def timed(answerer, question: str):
    t = time.perf_counter()
    ans = answerer.answer(question)
    return ans, (time.perf_counter() - t) * 1000


def run(services, dev: list[dict], offtopic: list[str], verbose: bool = False) -> dict:
    kb = services.kb
    answerer = services.answerer
    timed(answerer, WARMUP)
    lat: list[float] = []
    rows = []
    by_kind: dict[str, list[bool]] = defaultdict(list)
    bad_verbatim = 0
    for q in dev:
        ans, ms = timed(answerer, q["question"])
        lat.append(ms)
        gold = {(g["law"], int(g["article"])) for g in q["gold"]}
        cited = {(c.law, c.article) for c in ans.citations if c.sub == 0}
        hit = bool(gold & cited)
        by_kind[q.get("kind", "?")].append(hit)
        ok = verbatim(kb, ans)
        bad_verbatim += not ok
        rows.append({"id": q.get("id"), "question": q["question"], "kind": q.get("kind"), "gold_cited": hit,
                     "refused": not ans.supported, "ms": round(ms, 1), "verbatim": ok,
                     "cited": [c.cite for c in ans.citations], "gold": sorted(f"{law}:{a}" for law, a in gold)})
        if verbose and (not hit or not ans.supported):
            print(f"  miss {q.get('id')} [{q.get('kind')}] {q['question']}\n"
                  f"       gold {rows[-1]['gold']} cited {rows[-1]['cited'][:4]} refused={not ans.supported}")
    off_rows = []
    for question in offtopic:
        ans, ms = timed(answerer, question)
        lat.append(ms)
        ok = verbatim(kb, ans)
        bad_verbatim += not ok
        off_rows.append({"question": question, "refused": not ans.supported, "ms": round(ms, 1),
                         "cited": [c.cite for c in ans.citations]})
        if verbose and ans.supported:
            print(f"  answered off-topic: {question} -> {[c.cite for c in ans.citations][:3]}")
    n = len(rows) or 1
    titles = {law.title for law in kb.catalog.laws()}
    answerable = [r for r, q in zip(rows, dev) if all(g["law"] in titles for g in q["gold"])]
    return {
        "gold_laws_missing": len(rows) - len(answerable),
        "gold_cited_answerable": sum(r["gold_cited"] for r in answerable) / (len(answerable) or 1),
        "dev_questions": len(rows),
        "offtopic_questions": len(off_rows),
        "gold_cited": sum(r["gold_cited"] for r in rows) / n,
        "gold_cited_by_kind": {k: sum(v) / len(v) for k, v in by_kind.items()},
        "refusal_offtopic": sum(r["refused"] for r in off_rows) / (len(off_rows) or 1),
        "refusal_dev": sum(r["refused"] for r in rows) / n,
        "p50_ms": statistics.median(lat) if lat else float("nan"),
        "p95_ms": percentile(lat, 95),
        "verbatim_failures": bad_verbatim,
        "rows": rows,
        "offtopic": off_rows,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME)
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--offtopic", type=Path, default=DEFAULT_OFFTOPIC)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--no-ingest", action="store_true")
    ap.add_argument("--no-national", action="store_true", help="do not load the national corpus (small test homes)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path, help="write per-question results here")
    ap.add_argument("--verbose", "-v", action="store_true", help="print misses")
    args = ap.parse_args(argv)

    dev = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    off = [line.strip() for line in args.offtopic.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        dev, off = dev[:args.limit], off[:args.limit]
    t0 = time.perf_counter()
    services = build(args.home, None if args.no_ingest else args.corpus, national=not args.no_national)
    print(f"home {args.home}: {services.kb.stats()} (ready in {time.perf_counter() - t0:.1f} s)")
    res = run(services, dev, off, verbose=args.verbose)

    def mark(ok: bool) -> str:
        return "ok" if ok else "BELOW GOAL"

    print(f"dev questions {res['dev_questions']}, off-topic {res['offtopic_questions']} (offline mode)")
    print(f"gold-cited        {res['gold_cited']:.3f}   goal >= {GOALS['gold_cited']}  "
          f"{mark(res['gold_cited'] >= GOALS['gold_cited'])}")
    if res["gold_laws_missing"]:
        print(f"  WARNING: {res['gold_laws_missing']} dev questions cite laws missing from this knowledge base; "
              f"gold-cited on the rest {res['gold_cited_answerable']:.3f}")
    print("  by kind         " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(res["gold_cited_by_kind"].items())))
    print(f"refusal off-topic {res['refusal_offtopic']:.3f}   goal >= {GOALS['refusal_offtopic']}  "
          f"{mark(res['refusal_offtopic'] >= GOALS['refusal_offtopic'])}")
    print(f"refusal dev       {res['refusal_dev']:.3f}   goal <= {GOALS['refusal_dev']}  "
          f"{mark(res['refusal_dev'] <= GOALS['refusal_dev'])}")
    print(f"latency p50 {res['p50_ms']:.0f} ms, p95 {res['p95_ms']:.0f} ms   goal p95 <= {GOALS['p95_ms']}  "
          f"{mark(res['p95_ms'] <= GOALS['p95_ms'])}")
    print(f"verbatim failures {res['verbatim_failures']} (must be 0)")
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
