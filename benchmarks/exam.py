"""Benchmark: twenty 任前法律知识考试 papers with new (random) seeds, every item run through an independent checker
(benchmarks/exam_checker.py, which does not use the generators' own validation); reports the share of items each
rule rejects, the share of items passing every rule, and the bank size of every item form.

    python benchmarks/exam.py                      # a catalog of the 任前 laws (read from the built-in national
                                                   # corpus) + ../shared local regulations, in a temp dir
    python benchmarks/exam.py --home ~/.xuefa      # a real knowledge base (xuefa data dir)
    python benchmarks/exam.py --papers-json a.json # check papers made elsewhere (e.g. an older generator), a JSON
                                                   # list of Paper.to_json()
    python benchmarks/exam.py --dump out.json      # also write the generated papers

Timings are printed but not to be quoted from a shared machine."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RENQIAN = ("中华人民共和国宪法", "中华人民共和国监察法", "中华人民共和国公职人员政务处分法", "中华人民共和国公务员法",
           "中华人民共和国行政处罚法", "中华人民共和国行政许可法", "中华人民共和国行政强制法", "中华人民共和国行政复议法",
           "中华人民共和国行政诉讼法", "中国共产党纪律处分条例")


def open_kb(home: str | None):
    if home:
        from assistant.config import Settings
        from assistant.services import build_services

        return build_services(Settings(home=Path(home)), llm=None).kb
    from ingest.national import read_national
    from knowledge.catalog import Catalog
    from tests.exam_support import SHARED_LOCAL, FakeExamKB, local_document

    cat = Catalog(Path(tempfile.mkdtemp()) / "catalog.sqlite3")
    for law, arts in read_national():
        if law.title in RENQIAN and law.is_current:
            cat.add(law, arts)
    if SHARED_LOCAL.is_dir():
        for f in sorted(SHARED_LOCAL.glob("*.md")):
            law, arts = local_document(f)
            cat.add(law, arts)
    return FakeExamKB(cat)


def bank_sizes(svc, blueprint) -> dict[str, int]:
    """Valid candidates of every form over the blueprint's scope."""
    sizes: Counter = Counter()
    for law, _ in svc.scope(blueprint):
        for kind, cands in svc.bank(law).items():
            for c in cands:
                if svc._validate(c) is not None:
                    sizes[f"{kind}/{c.form}" + (f"/{c.kind}" if c.form == "blank" else "")] += 1
    return dict(sorted(sizes.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", help="xuefa data dir of a real knowledge base")
    ap.add_argument("--papers", type=int, default=20)
    ap.add_argument("--preset", default="任前法律知识考试")
    ap.add_argument("--papers-json", help="check these papers instead of generating")
    ap.add_argument("--dump", help="write the generated papers here (JSON list)")
    ap.add_argument("--party", action="store_true", help="party-member cadres (adds 中国共产党纪律处分条例)")
    ap.add_argument("--batch", type=int, default=1,
                    help="generate papers in batches of this size (ExamService.generate_batch), as a setter is given")
    args = ap.parse_args()

    from assistant.exam import Blueprint, ExamService

    from benchmarks.exam_checker import Checker

    kb = open_kb(args.home)
    checker = Checker(kb)
    svc = ExamService(kb)
    bp0 = Blueprint.preset(args.preset, party_member=args.party)
    if args.papers_json:
        papers = json.loads(Path(args.papers_json).read_text(encoding="utf-8"))
        seeds = ["given"] * len(papers)
    else:
        seeds = [secrets.randbelow(2 ** 31) for _ in range(args.papers)]
        papers, took = [], []
        for seed in seeds[::args.batch]:
            t = time.perf_counter()
            bp = Blueprint.preset(args.preset, party_member=args.party, seed=seed)
            want = min(args.batch, args.papers - len(papers))
            batch = svc.generate_batch(bp, want) if args.batch > 1 else [svc.generate(bp)]
            papers += [p.to_json() for p in batch]
            took.append(time.perf_counter() - t)
        print(f"generated {len(papers)} papers, seeds {seeds[:3]}…, {sum(took):.1f} s (contended, do not quote)")
        if args.dump:
            Path(args.dump).write_text(json.dumps(papers, ensure_ascii=False), encoding="utf-8")
    rejected: Counter = Counter()
    by_form: Counter = Counter()
    bad_by_form: Counter = Counter()
    examples: dict[str, str] = {}
    total = 0
    for p in papers:
        for it, paper_bad in zip(p["items"], checker.check_paper(p["items"])):
            total += 1
            form = f'{it["type"]}/{it.get("form", "")}'
            by_form[form] += 1
            broken = {**checker.check(it), **paper_bad}
            if broken:
                bad_by_form[form] += 1
            for rule, why in broken.items():
                rejected[rule] += 1
                examples.setdefault(rule, f'{it["stem"][:60]} → {why}')
    ok = total - sum(bad_by_form.values())
    print(f"\nitems checked: {total} in {len(papers)} papers; passing every rule: {ok} ({100 * ok / max(1, total):.1f}%)")
    print("share of items each rule rejects:")
    for rule in Checker.RULES:
        print(f"  {rule:40s} {rejected[rule]:4d}  {100 * rejected[rule] / max(1, total):5.1f}%"
              + (f"   e.g. {examples[rule]}" if rule in examples else ""))
    print("items by form (rejected by any rule):")
    for form, count in sorted(by_form.items()):
        print(f"  {form:20s} {count:4d}  rejected {bad_by_form[form]}")
    keys = [{(it["stem"], tuple(sorted(it["options"]))) for it in p["items"]} for p in papers]
    shares = [len(keys[i] & keys[j]) / max(1, len(keys[i])) for i in range(len(keys)) for j in range(i + 1, len(keys))]
    if shares:
        print(f"items two papers share: mean {100 * sum(shares) / len(shares):.1f}%, max {100 * max(shares):.1f}%")
    # what a setter given three papers side by side notices: the same article asked in the same form again
    size = max(args.batch, 3)
    repeats = counted = 0
    for b in range(0, len(papers) - size + 1, size):
        group = papers[b:b + size]
        marks = [{(c["law"], c["article"], it["type"], it.get("form")) for it in p["items"] for c in it["citations"][:1]}
                 for p in group]
        for i, p in enumerate(group):
            others = set().union(*(m for j, m in enumerate(marks) if j != i))
            for it in p["items"]:
                counted += 1
                c = it["citations"][0]
                repeats += (c["law"], c["article"], it["type"], it.get("form")) in others
    if counted:
        print(f"items whose article+form another paper of its group of {size} also asks: "
              f"{repeats}/{counted} ({100 * repeats / counted:.1f}%)")
    if args.batch > 1:  # review 9501: C卷 29 + 6 + 9 beside A/B 25 + 10 + 10, and 16 of 44 items from one law
        groups = [papers[b:b + args.batch] for b in range(0, len(papers), args.batch)]
        shape = lambda p: tuple(sorted(Counter(it["type"] for it in p["items"]).items()))  # noqa: E731
        uneven = sum(len({shape(p) for p in g}) > 1 for g in groups)
        print(f"batches whose papers differ in structure: {uneven}/{len(groups)}")
        weights = {law.title: w for law, w in svc.scope(bp0)}
        over = total_p = 0
        for p in papers:
            have = Counter(it["citations"][0]["law"] for it in p["items"] if it["citations"])
            want = {t: len(p["items"]) * w / sum(weights.values()) for t, w in weights.items()}
            total_p += 1
            over += any(have[t] > 2 * want[t] + 2 for t in want)
        print(f"papers with a law over twice its weight (+2): {over}/{total_p}")
    if not args.papers_json:
        print("bank sizes (valid candidates) over the scope:", ", ".join(law.title for law, _ in svc.scope(bp0)))
        for form, size in bank_sizes(svc, bp0).items():
            print(f"  {form:28s} {size}")


if __name__ == "__main__":
    main()
