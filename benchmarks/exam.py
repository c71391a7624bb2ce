"""Benchmark: assembling a 45-item 任前法律知识考试 paper (25 单选, 10 多选, 10 判断).

    python benchmarks/exam.py                 # real catalog (宪法, 监察法, 政务处分法, 安全生产法 + ../shared local
                                              # regulations) behind the test adapter FakeExamKB
    python benchmarks/exam.py --home ~/.xuefa  # a real knowledge base (xuefa data dir), warmed first

Reports the cold time (item banks built, validations cached) and warm times over many seeds."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def open_kb(home: str | None):
    if home:
        from assistant.config import Settings
        from assistant.services import build_services

        return build_services(Settings(home=Path(home)), llm=None).kb
    from tests.exam_support import FakeExamKB, build_catalog

    return FakeExamKB(build_catalog(Path(tempfile.mkdtemp()) / "catalog.sqlite3"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", help="xuefa data dir of a real knowledge base")
    ap.add_argument("--laws", default="宪法,监察法,东平湖保护条例")
    ap.add_argument("--papers", type=int, default=20)
    args = ap.parse_args()

    from assistant.exam import Blueprint, ExamService

    t0 = time.perf_counter()
    kb = open_kb(args.home)
    laws = {name: 1.0 for name in args.laws.split(",") if kb.resolve_law(name) is not None}
    kb.contains_text("预热")  # warm the knowledge base's own caches
    t_kb = time.perf_counter() - t0
    svc = ExamService(kb)

    def paper(seed: int) -> float:
        t = time.perf_counter()
        p = svc.generate(Blueprint.preset("任前法律知识考试", laws=laws, seed=seed))
        assert len(p.items) == 45, p.notes
        return time.perf_counter() - t

    cold = paper(0)
    warm = [paper(seed) for seed in range(1, args.papers + 1)]
    banks = {law.title: {k: len(v) for k, v in svc.bank(law).items()} for law, _ in svc.scope(
        Blueprint(laws=laws))}
    print(f"scope: {', '.join(laws)}")
    print(f"knowledge base open + warm: {t_kb:.2f} s")
    for title, sizes in banks.items():
        print(f"  bank {title}: {sizes}")
    print(f"first paper (cold banks):   {cold:.3f} s")
    print(f"45-item paper, warm, n={len(warm)}: mean {statistics.mean(warm):.3f} s, "
          f"median {statistics.median(warm):.3f} s, max {max(warm):.3f} s")


if __name__ == "__main__":
    main()
