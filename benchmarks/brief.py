"""Brief benchmark: do 会前学法 briefs quote the articles that govern each topic, stay clear of laws that do not,
say what the knowledge base lacks, decline topics with no legal basis, and keep to length?

    python benchmarks/brief.py --home DIR [--split train|heldout|all] [--length standard] [--json out.json]
                               [--show TOPIC] [--out DIR] [--repeat 1]

Golds: benchmarks/data/brief_topics.json, written from the statutes before any brief was generated; `train`
topics may be tuned on, `heldout` topics are not (and the topic registry has no entry for them), so the two are
reported apart. For each topic:
  - must_quote  [law, article]: the brief quotes that article — or, when the knowledge base lacks the law, the
                brief's first page says "知识库未收录《law》" (counted separately: told-missing);
  - must_not    laws the brief must not cite; must_not_chapters: words (黑土地, 长江 …) no quoted article may carry;
  - decline     the topic has no legal basis: the brief must decline, quoting nothing.
  - not_yet_in_force  laws whose stored text is not yet in force: quoted only under a page-one notice;
  - no_caution  a law made for the topic is held: the brief must not say there is none.
Reports per split (train, heldout, heldout-r3 …): governing-article recall (of those the knowledge base holds),
missing-instrument notices, forbidden citations, region leaks, decline accuracy, characters (standard ≤ 6,000),
and warm per-brief latency percentiles (p50/p90/max; the first, cold brief is reported apart). `--out DIR`
writes each brief's Markdown there (for review). Latency measured on a shared machine is no claim.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
GOLDS = HERE / "data" / "brief_topics.json"
LOCAL_CORPUS = REPO.parent / "shared" / "corpus" / "local"
MAX_CHARS = {"short": 3500, "standard": 6000, "long": 11000}


def open_services(home: Path, vectors: str = "now"):
    from assistant.config import Settings
    from assistant.services import build_services

    return build_services(Settings(home=home, national=False), llm=None, load_national=False, vectors=vectors)


def resolve(kb, title: str):
    """The current law with exactly this title, else what the name resolves to."""
    exact = [law for law in kb.catalog.laws_by_title(title) if law.is_current]
    return exact[0] if exact else kb.resolve_law(title)


def score_topic(kb, brief, gold: dict) -> dict:
    """Per-topic figures (no judgement beyond the gold)."""
    quoted = {(q.law_id, q.number) for q in brief.quotes}
    missing_titles = [m.title for m in brief.missing]
    hits, absent_told, absent_untold, misses = [], [], [], []
    for title, number in gold.get("must_quote", []):
        law = resolve(kb, title)
        if law is None:
            (absent_told if any(title in t or t in title for t in missing_titles) else absent_untold).append(title)
        elif (law.law_id, number) in quoted:
            hits.append(f"{title}第{number}条")
        else:
            misses.append(f"{title}第{number}条")
    cited = {e.law_id for e in brief.laws}
    forbidden = []
    for title in gold.get("must_not", []):
        law = resolve(kb, title)
        if law is not None and law.law_id in cited:
            forbidden.append(title)
    wanted = {(t, n) for t, n in gold.get("must_quote", [])}  # a required article may name a region itself
    leaks = [q.cite for q in brief.quotes for w in gold.get("must_not_chapters", [])
             if w in q.text and (q.law_title, q.number) not in wanted]
    md = brief.to_markdown()
    want_decline = bool(gold.get("decline"))
    # a law whose stored text is not yet in force may be quoted only under the page-one notice saying so
    pending = [t for t in gold.get("not_yet_in_force", [])
               if any(e.title == t and "尚未生效" in (e.status or "") for e in brief.laws)
               and not any(t in p for p in brief.pending)]
    false_caution = bool(gold.get("no_caution")) and bool(brief.caution)
    return {"topic": gold["topic"], "split": gold["split"], "hits": hits, "misses": misses,
            "absent_told": sorted(set(absent_told)), "absent_untold": sorted(set(absent_untold)),
            "forbidden": forbidden, "region_leaks": leaks, "decline_wanted": want_decline,
            "pending_untold": pending, "false_caution": false_caution,
            "declined": bool(brief.declined), "decline_ok": want_decline == bool(brief.declined),
            "chars": len(md), "laws": [e.title for e in brief.laws], "quotes": len(brief.quotes)}


def summarize(rows: list[dict], length: str) -> dict:
    n_hit = sum(len(r["hits"]) for r in rows)
    n_present = n_hit + sum(len(r["misses"]) for r in rows)
    n_absent = sum(len(r["absent_told"]) + len(r["absent_untold"]) for r in rows)
    return {
        "topics": len(rows),
        "recall": round(n_hit / n_present, 3) if n_present else None,
        "articles": f"{n_hit}/{n_present}",
        "missing_told": f"{sum(len(r['absent_told']) for r in rows)}/{n_absent}",
        "forbidden": sum(len(r["forbidden"]) for r in rows),
        "region_leaks": sum(len(r["region_leaks"]) for r in rows),
        "decline_ok": f"{sum(r['decline_ok'] for r in rows)}/{len(rows)}",
        "over_length": sum(r["chars"] > MAX_CHARS[length] for r in rows),
        "max_chars": max((r["chars"] for r in rows), default=0),
        "pending_untold": sum(len(r["pending_untold"]) for r in rows),
        "false_caution": sum(r["false_caution"] for r in rows),
        **latency([r["seconds"] for r in rows if "seconds" in r]),
    }


def latency(seconds: list[float]) -> dict:
    """Warm per-brief latency percentiles (nearest rank), in seconds."""
    if not seconds:
        return {}
    s = sorted(seconds)

    def pct(q: float) -> float:
        return s[min(len(s) - 1, max(0, round(q * len(s) + 0.5) - 1))]

    return {"p50_s": round(pct(0.5), 2), "p90_s": round(pct(0.9), 2), "max_s": round(s[-1], 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=Path(os.environ.get("XUEFA_HOME", "")) or None,
                    help="a built knowledge base (copy of /work/homes/full); default $XUEFA_HOME")
    ap.add_argument("--golds", type=Path, default=GOLDS)
    ap.add_argument("--split", default="all", help="train, heldout, heldout-r3 or all")
    ap.add_argument("--topic", action="append", help="only this topic (may be repeated)")
    ap.add_argument("--length", default="standard", choices=list(MAX_CHARS))
    ap.add_argument("--json", type=Path, help="write the results as JSON")
    ap.add_argument("--out", type=Path, help="write each brief's Markdown into this directory")
    ap.add_argument("--show", help="print this topic's Markdown at the end")
    ap.add_argument("--corpus", type=Path, default=LOCAL_CORPUS,
                    help="local regulations to ingest first (idempotent; the golds assume ../shared/corpus/local)")
    ap.add_argument("--no-vectors", action="store_true",
                    help="use the home as it is, without embedding missing vectors (lexical-only where none exist)")
    args = ap.parse_args(argv)
    if not args.home or not Path(args.home).is_dir():
        ap.error("需要 --home 指向已建好的知识库目录（或设置 XUEFA_HOME）")

    golds = json.loads(args.golds.read_text(encoding="utf-8"))["topics"]
    if args.split != "all":
        golds = [g for g in golds if g["split"] == args.split]
    if args.topic:
        golds = [g for g in golds if g["topic"] in args.topic]
    services = open_services(args.home, vectors="skip" if args.no_vectors else "now")
    kb, writer = services.kb, services.briefs
    if args.corpus and args.corpus.is_dir():
        rep = services.ingest([args.corpus]).to_json()
        print("ingest:", {k: len(v) for k, v in rep.items() if isinstance(v, list)})
    print(f"knowledge base: {kb.stats()}")
    t0 = time.perf_counter()
    writer.write("安全生产", length=args.length)  # warm-up: loads models and indexes; reported apart
    cold = time.perf_counter() - t0
    print(f"first brief (cold: models and indexes load): {cold:.2f}s")
    rows = []
    for gold in golds:
        t0 = time.perf_counter()
        brief = writer.write(gold["topic"], length=args.length)
        seconds = time.perf_counter() - t0
        row = score_topic(kb, brief, gold)
        row["seconds"] = round(seconds, 2)
        rows.append(row)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{gold['split']}-{gold['topic']}.md").write_text(brief.to_markdown(), encoding="utf-8")
        flags = []
        if row["misses"]:
            flags.append("漏引 " + "、".join(row["misses"]))
        if row["absent_untold"]:
            flags.append("未提示缺失 " + "、".join(row["absent_untold"]))
        if row["forbidden"]:
            flags.append("误引 " + "、".join(row["forbidden"]))
        if row["region_leaks"]:
            flags.append("地域章节 " + "、".join(row["region_leaks"]))
        if not row["decline_ok"]:
            flags.append("应拒绝而未拒绝" if row["decline_wanted"] else "不应拒绝")
        if row["pending_untold"]:
            flags.append("未提示尚未生效 " + "、".join(row["pending_untold"]))
        if row["false_caution"]:
            flags.append("误称无专门规定")
        print(f"[{gold['split']:<7}] {gold['topic']:<16} {row['chars']:>5} 字 {row['quotes']:>2} 条 "
              f"{seconds:5.2f}s  {'OK' if not flags else '; '.join(flags)}")
        print("          laws: " + "、".join(row["laws"]) + (f"  (told missing: {'、'.join(row['absent_told'])})"
                                                          if row["absent_told"] else ""))
    report = {"cold_first_brief_s": round(cold, 2)}
    for split in dict.fromkeys(r["split"] for r in rows):  # train, heldout, heldout-r3 … each apart
        part = [r for r in rows if r["split"] == split]
        report[split] = summarize(part, args.length)
        print(f"\n{split}: {report[split]}")
    report["all"] = {"topics": len(rows), **latency([r["seconds"] for r in rows])}
    print(f"\nwarm latency, all topics: {report['all']} (contended unless the machine is quiet)")
    if args.json:
        args.json.write_text(json.dumps({"summary": report, "rows": rows}, ensure_ascii=False, indent=2),
                             encoding="utf-8")
    if args.show:
        print()
        print(writer.write(args.show, length=args.length).to_markdown())
    ok = all(r["decline_ok"] and not r["forbidden"] and not r["region_leaks"] and not r["misses"]
             and not r["pending_untold"] and not r["false_caution"] for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
