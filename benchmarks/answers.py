"""Answer benchmark: what `Answerer.answer` leads with, cites and declines, offline (no LLM), on the dev set and
STARD (golds as in benchmarks/datasets.py) and the off-topic list, each split into the same fixed folds.

    python benchmarks/answers.py [--home DIR] [--sets dev,stard,fresh] [--offtopic benchmarks/offtopic.txt]
                                 [--misses] [--json out.json] [--limit N]

Per question:
  lead-correct  the answer's first citation (the lead 款/项) is in a gold article
  gold-cited    some citation is in a gold article
  declined      the "知识库中未找到明确依据" reply (wrong on dev/STARD, right on off-topic)
  liability     法律责任 citations the answer added (they should come only with a real consequence cue)
  unit          the lead names a 款 or 项 (on a multi-paragraph article)
  verbatim      every citation's text is exactly the stored article's (款/项) text (must be 100%)
Held-out fold and training folds are reported apart; --misses prints training-fold misses only.
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
from datasets import HELDOUT, fold_of, gold_keys, load_sets, mark_held, norm_title, open_services  # noqa: E402

DEFAULT_HOME = Path(os.environ.get("XUEFA_BENCH_HOME", Path.home() / ".cache" / "xuefa-bench"))
DEFAULT_OFFTOPIC = HERE / "offtopic.txt"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "local"
KINDS = ("exam", "colloquial", "scenario", "lookup", "stard")


def verbatim(kb, answer) -> bool:
    for c in [*answer.citations, *answer.nearest]:
        art = kb.catalog.article(c.law_id, c.article, c.sub)
        law = kb.catalog.law(c.law_id)
        if art is None or law is None or law.title != c.law or art.paragraph_text(c.paragraph, c.item) != c.text:
            return False
    return True


def time_retrieval(answerer) -> list[float]:
    """The retrieval step's milliseconds per answer (patched in before the chain is first built)."""
    spent: list[float] = []
    inner = answerer._retrieve

    def timed(state):
        t0 = time.perf_counter()
        try:
            return inner(state)
        finally:
            spent.append((time.perf_counter() - t0) * 1000)

    answerer._retrieve = timed
    return spent


def run(services, questions, offtopic: list[str]) -> tuple[list[dict], list[dict]]:
    kb, answerer = services.kb, services.answerer
    spent = time_retrieval(answerer)
    answerer.answer("公职人员收受礼金应当如何处理")  # warm-up, not counted
    spent.clear()
    rows = []
    base = kb.config
    for q in questions:
        # a training-fold question must not find itself in the question memory: its fold is left out
        kb.config = base if q.fold == HELDOUT else replace(base, memory_exclude_fold=q.fold)
        t0 = time.perf_counter()
        try:
            ans = answerer.answer(q.question)
        finally:
            kb.config = base
        ms = (time.perf_counter() - t0) * 1000
        search_ms = spent[-1] if spent else float("nan")
        want = gold_keys(q)
        keys = [(norm_title(c.law), c.article, c.sub) for c in ans.citations]
        first = ans.citations[0] if ans.citations else None
        art = kb.catalog.article(first.law_id, first.article, first.sub) if first else None
        rows.append({"set": q.set, "id": q.id, "fold": q.fold, "kind": q.kind, "question": q.question, "ms": ms,
                     "search_ms": search_ms,
                     "declined": not ans.supported, "lead_correct": bool(keys) and keys[0] in want,
                     "gold_cited": any(k in want for k in keys), "verbatim": verbatim(kb, ans),
                     "liability": sum(c.role == "liability" for c in ans.citations),
                     "multi": bool(art and len(art.paragraphs) > 1),
                     "unit": bool(first and (first.paragraph or first.item)),
                     "cited": [c.cite for c in ans.citations][:4], "gold": sorted(map(str, q.held)),
                     "reason": ans.warnings[0] if ans.warnings and not ans.supported else ""})
    off = []
    for text in offtopic:
        t0 = time.perf_counter()
        ans = answerer.answer(text)
        off.append({"question": text, "fold": fold_of(text), "declined": not ans.supported,
                    "ms": (time.perf_counter() - t0) * 1000, "search_ms": spent[-1] if spent else float("nan"),
                    "verbatim": verbatim(kb, ans),
                    "cited": [c.cite for c in ans.citations][:3]})
    return rows, off


def share(rows, key) -> float | None:
    return sum(bool(r[key]) for r in rows) / len(rows) if rows else None


def pct(v) -> str:
    return "    -" if v is None else f"{v * 100:5.1f}"


def report(rows, off) -> dict:
    out: dict = {}
    print(f"{'set / kind':<16}{'fold':>9}{'n':>5}{'lead':>7}{'cited':>7}{'declin':>7}{'liab/q':>7}{'unit':>7}")
    groups = [("dev", None), *[("dev", k) for k in KINDS[:4]], ("stard", None), ("fresh", None)]
    for s, kind in groups:
        for label, pick in (("held-out", lambda r: r["fold"] == HELDOUT), ("train", lambda r: r["fold"] != HELDOUT)):
            sub = [r for r in rows if r["set"] == s and (kind is None or r["kind"] == kind) and pick(r)]
            if not sub:
                continue
            multi = [r for r in sub if r["multi"] and not r["declined"]]
            cell = {"n": len(sub), "lead_correct": share(sub, "lead_correct"), "gold_cited": share(sub, "gold_cited"),
                    "declined": share(sub, "declined"), "liability_per_q": sum(r["liability"] for r in sub) / len(sub),
                    "unit_on_multi": share(multi, "unit")}
            out[f"{s}/{kind or 'all'}/{label}"] = cell
            print(f"{s + ('/' + kind if kind else ''):<16}{label:>9}{len(sub):>5}{pct(cell['lead_correct'])}  "
                  f"{pct(cell['gold_cited'])}  {pct(cell['declined'])}  {cell['liability_per_q']:5.2f}  "
                  f"{pct(cell['unit_on_multi'])}")
    for label, pick in (("held-out", lambda r: r["fold"] == HELDOUT), ("train", lambda r: r["fold"] != HELDOUT)):
        sub = [r for r in off if pick(r)]
        out[f"offtopic/{label}"] = {"n": len(sub), "declined": share(sub, "declined")}
        print(f"{'offtopic':<16}{label:>9}{len(sub):>5}{'':>14}{pct(share(sub, 'declined'))}")
    bad = sum(not r["verbatim"] for r in rows + off)
    print(f"verbatim failures {bad} (must be 0)")
    out["verbatim_failures"] = bad
    out["latency_ms"] = latency(rows + off)
    return out


def latency(rows) -> dict:
    """Answer time per question and how it splits: retrieval (search) and the rest (resolve, support, compose)."""
    parts = {"answer": [r["ms"] for r in rows], "retrieval": [r["search_ms"] for r in rows],
             "rest": [r["ms"] - r["search_ms"] for r in rows]}
    out = {}
    print("latency ms (a contended machine's figures are not to be quoted):")
    for name, xs in parts.items():
        cell = {f"p{p}": round(percentile(xs, p), 1) for p in (50, 95, 99)} | {"max": round(max(xs), 1)}
        out[name] = cell
        print(f"  {name:<10}" + "  ".join(f"{k} {v:7.1f}" for k, v in cell.items()))
    out["p95_ms"] = out["answer"]["p95"]
    return out


# The consequence cue before issue #10 (assistant/qa.py): any 处分/处罚 switched consequence mode on.
LEGACY_CONSEQUENCE = (r"违反|违背|不遵守|不履行|后果|会怎样|会怎么样|怎么处理|如何处理|怎么处罚|如何处罚|怎么罚|罚多少|"
                      r"受到什么|给予什么|法律责任|承担什么|追究|处分|处罚")


def cue_ablation(kb, questions) -> dict:
    """How often consequence mode turns on: the old substring cue vs the new one (knowledge/data/article_types.json)."""
    import re

    old = re.compile(LEGACY_CONSEQUENCE)
    n = len(questions)
    fired_old = sum(bool(old.search(q.question)) for q in questions)
    fired_new = sum(kb.types.consequence(q.question) for q in questions)
    print(f"consequence mode fires on {fired_old}/{n} questions with the pre-#10 cue, {fired_new}/{n} with the new one")
    return {"n": n, "old": fired_old, "new": fired_new}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME)
    ap.add_argument("--sets", default="dev,stard,fresh")
    ap.add_argument("--offtopic", type=Path, default=DEFAULT_OFFTOPIC)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--no-ingest", action="store_true")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    services = open_services(args.home, None if args.no_ingest else args.corpus)
    questions = load_sets([s.strip() for s in args.sets.split(",") if s.strip()])
    mark_held(services.kb, questions)
    questions = [q for q in questions if q.scorable][:args.limit or None]
    off = [ln.strip() for ln in args.offtopic.read_text(encoding="utf-8").splitlines() if ln.strip()]
    print(f"{len(questions)} questions with a held gold, {len(off)} off-topic; {services.kb.stats()}")
    rows, off_rows = run(services, questions, off[:args.limit or None])
    out = report(rows, off_rows)
    out["consequence_cue"] = cue_ablation(services.kb, questions)
    if args.misses:
        print("\ntraining-fold misses (lead not a gold):")
        for r in rows:
            if r["fold"] != HELDOUT and not r["lead_correct"]:
                print(f"  {r['id']} [{r['kind']}] {r['question']}\n     gold {r['gold']} cited {r['cited']} "
                      f"declined={r['declined']} {r['reason']}")
        for r in off_rows:
            if r["fold"] != HELDOUT and not r["declined"]:
                print(f"  answered off-topic: {r['question']} -> {r['cited']}")
    if args.json:
        args.json.write_text(json.dumps({"summary": out, "rows": rows, "offtopic": off_rows}, ensure_ascii=False,
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
