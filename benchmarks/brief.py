"""Brief benchmark: time to write a 会前学法 brief offline once the knowledge base is warm, and whether the
briefs cite the laws the issue names.

    python benchmarks/brief.py [--home DIR] [--no-national] [--repeat 3] [--json out.json] [--show TOPIC]

Opens the services in a persistent home (default $XUEFA_BENCH_HOME or ~/.cache/xuefa-bench, shared with
benchmarks/retrieval.py, so the national index is built only once), ingests ../shared/corpus/local
(idempotent), warms the knowledge base with one search and one brief (not timed), then writes each
topic `--repeat` times with `services.briefs.write(topic)` and reports p50 / max seconds per topic and
whether the expected laws (and, for 安全生产, their 法律责任 articles) are cited. Target: max ≤ 3 s.
`--show TOPIC` prints that topic's Markdown at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "local"
DEFAULT_HOME = Path(os.environ.get("XUEFA_BENCH_HOME", Path.home() / ".cache" / "xuefa-bench"))
TARGET_S = 3.0

# topic -> laws the brief must cite; "+法律责任" also requires a 法律责任-chapter article of that law
CASES: dict[str, list[str]] = {
    "东平湖生态保护和高质量发展": ["山东省东平湖保护条例", "中华人民共和国生态环境法典"],
    "安全生产专项整治": ["中华人民共和国安全生产法+法律责任", "山东省安全生产条例+法律责任"],
    "重大行政决策": ["重大行政决策程序暂行条例"],
    "政府信息公开工作": ["中华人民共和国政府信息公开条例"],
    "创建全国文明城市": ["泰安市文明行为促进条例"],
}


def build(home: Path, corpus: Path | None, national: bool = True):
    from assistant.config import Settings
    from assistant.services import build_services

    t0 = time.perf_counter()
    services = build_services(Settings(home=home, national=national), llm=None)
    info = {"home": str(home), "open_s": round(time.perf_counter() - t0, 2)}
    if corpus is not None and corpus.is_dir():
        rep = services.ingest([corpus]).to_json()
        info["ingest"] = {k: len(rep.get(k, [])) for k in ("added", "unchanged", "replaced", "failed")}
    info["stats"] = services.kb.stats()
    return services, info


def check(brief, expected: list[str]) -> list[str]:
    """Missing expectations, as readable strings (empty when all are met)."""
    cited = {q.law_title for q in brief.quotes()}
    missing = []
    for want in expected:
        title, _, need = want.partition("+")
        if title not in cited:
            missing.append(f"未引用《{title}》")
        elif need == "法律责任" and not any(q.law_title == title and q.chapter and "法律责任" in q.chapter
                                          for q in brief.liabilities):
            missing.append(f"未引用《{title}》的法律责任条款")
    return missing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=DEFAULT_HOME)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-national", action="store_true",
                    help="do not load the national corpus (for a home built with only some laws, as in tests)")
    ap.add_argument("--length", default="standard", choices=["short", "standard"])
    ap.add_argument("--json", type=Path, help="write the results as JSON")
    ap.add_argument("--show", help="print this topic's Markdown at the end")
    args = ap.parse_args(argv)

    services, info = build(args.home, args.corpus, national=not args.no_national)
    print(f"knowledge base: {info['stats']}  (open {info['open_s']} s, ingest {info.get('ingest')})")
    writer = services.briefs
    t0 = time.perf_counter()
    services.kb.search("公职人员收受礼金应当如何处理", top_k=10)
    writer.write("安全生产", length=args.length)
    print(f"warm-up (search + one brief, not timed): {time.perf_counter() - t0:.2f} s")

    rows = []
    print(f"\n{'topic':<22} {'p50 s':>7} {'max s':>7} {'laws':>5} {'quotes':>6}  check")
    for topic, expected in CASES.items():
        times = []
        brief = None
        for _ in range(args.repeat):
            t = time.perf_counter()
            brief = writer.write(topic, length=args.length)
            times.append(time.perf_counter() - t)
        missing = check(brief, expected)
        row = {"topic": topic, "p50_s": round(statistics.median(times), 3), "max_s": round(max(times), 3),
               "laws": [e.title for e in brief.laws], "quotes": len(brief.quotes()), "missing": missing}
        rows.append(row)
        print(f"{topic:<22} {row['p50_s']:>7.2f} {row['max_s']:>7.2f} {len(brief.laws):>5} {row['quotes']:>6}  "
              f"{'OK' if not missing else '; '.join(missing)}")
        print("    laws: " + "、".join(row["laws"]))
    worst = max(r["max_s"] for r in rows)
    ok_time = worst <= TARGET_S
    ok_laws = all(not r["missing"] for r in rows)
    print(f"\nslowest brief {worst:.2f} s (target ≤ {TARGET_S:g} s): {'PASS' if ok_time else 'FAIL'}; "
          f"expected laws cited: {'PASS' if ok_laws else 'FAIL'}")
    if args.json:
        args.json.write_text(json.dumps({"info": info, "rows": rows, "slowest_s": worst}, ensure_ascii=False,
                                        indent=2), encoding="utf-8")
    if args.show:
        print()
        print(writer.write(args.show, length=args.length).to_markdown())
    return 0 if ok_time and ok_laws else 1


if __name__ == "__main__":
    sys.exit(main())
