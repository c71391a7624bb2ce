"""Ingest limits benchmark: the largest documents ingest accepts within the default limits, how long each takes
(reading + parsing, then embedding and storing), and how fast the bombs of issue #14 are refused.

    python benchmarks/ingest_limits.py                       # real USE embeddings, a temp data dir
    python benchmarks/ingest_limits.py --json out.json

Documents (all synthetic regulations, written here, not tuned on anything):
- md/docx with `max_articles` (3,000) articles of ~120 characters, ~4 lines each (within `max_paragraphs`);
- a txt 通知 with `max_articles` numbered paragraphs (unstructured: every paragraph becomes an article);
- the bombs: a ~100 KB docx holding 20 MB of XML (200,000 "articles"), a ~1 MB docx inflating to 300 MB, a 3.8 MB
  md with 60,000 articles. Each must be refused, with the time to refuse it.
Times on a shared machine are contended; the lead re-runs this on a quiet one."""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ARTICLE = ("第{n}条 县级以上人民政府应当加强对河道管理工作的领导，将河道管理纳入国民经济和社会发展规划，"
           "所需经费列入本级财政预算。\n有关部门按照各自职责，做好河道保护、治理和监督管理工作。\n"
           "（一）组织编制河道保护规划；\n（二）开展河道巡查和执法检查。")


def regulation_md(n: int) -> str:
    return "# 某市河道管理条例（基准）\n\n" + "\n\n".join(ARTICLE.format(n=i) for i in range(1, n + 1)) + "\n"


def to_docx(text: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            d.add_paragraph(line.lstrip("# "))
    d.save(str(path))
    return path


def bomb_docx(path: Path, xml_bytes: int, paragraphs: bool) -> Path:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml" and paragraphs:
                para = "<w:p><w:r><w:t>第{}条 内容。</w:t></w:r></w:p>"
                body, i = [], 0
                size = 0
                while size < xml_bytes:
                    i += 1
                    piece = para.format(i)
                    body.append(piece)
                    size += len(piece)
                data = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
                        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                        + "".join(body) + "</w:body></w:document>").encode()
            z.writestr(info.filename, data)
        if not paragraphs:
            z.writestr("word/media/pad.xml", b" " * xml_bytes)
    return path


def timed_ingest(kb, path: Path, limits) -> dict:
    from ingest.loaders import load_text
    from ingest.pipeline import build_document, ingest_paths
    from ingest.structure import parse_document

    t = time.perf_counter()
    try:
        text = load_text(path, limits=limits)
        parsed = parse_document(text, filename=path.name)
        build_document(parsed, path.name)
    except Exception as exc:  # noqa: BLE001 - a refusal is a result here
        return {"file": path.name, "bytes": path.stat().st_size, "accepted": False,
                "refused_in_s": round(time.perf_counter() - t, 3), "reason": str(exc)}
    read_parse = time.perf_counter() - t
    t = time.perf_counter()
    report = ingest_paths(kb, [path], limits=limits)  # reads and parses again, then embeds and stores
    total = time.perf_counter() - t
    entry = (report.added or report.replaced or report.unchanged or [{}])[0]
    return {"file": path.name, "bytes": path.stat().st_size, "accepted": report.ok, "articles": entry.get("articles"),
            "read_parse_s": round(read_parse, 2), "ingest_total_s": round(total, 2),
            "embed_store_s": round(max(0.0, total - read_parse), 2), "failed": report.failed}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--skip-accepted", action="store_true", help="only time the refusals (no embedding)")
    args = ap.parse_args()

    from assistant.config import Settings, offline_environment

    offline_environment()
    from ingest.limits import DEFAULT_LIMITS
    from knowledge.base import open_knowledge_base
    from knowledge.embeddings import make_embeddings

    limits = Settings().ingest_limits()
    out: dict = {"limits": limits.__dict__, "defaults": limits == DEFAULT_LIMITS, "accepted": [], "bombs": [],
                 "note": "contended unless run on a quiet machine"}
    with tempfile.TemporaryDirectory(prefix="xf-ingest-bench-") as tmp:
        d = Path(tmp)
        kb = open_knowledge_base(d / "catalog.sqlite3", d / "index", make_embeddings(None))
        n = limits.max_articles
        md = d / "最大条文数.md"
        md.write_text(regulation_md(n), encoding="utf-8")
        notice = d / "最大段落通知.txt"
        notice.write_text("关于加强河道管理工作的通知\n\n" + "\n\n".join(
            f"请各单位认真落实河道管理责任，做好第{i}批巡查和整改工作，并按时报送情况。" for i in range(1, n)),
            encoding="utf-8")
        docs = [md, to_docx(regulation_md(n).replace("条例（基准）", "条例（基准Word）"), d / "最大条文数.docx"), notice]
        if not args.skip_accepted:
            for path in docs:
                out["accepted"].append(timed_ingest(kb, path, limits))
                print(json.dumps(out["accepted"][-1], ensure_ascii=False), file=sys.stderr)
        bombs = [bomb_docx(d / "二十万条.docx", 20 * 1024 * 1024, paragraphs=True),
                 bomb_docx(d / "三百兆.docx", 300 * 1024 * 1024, paragraphs=False)]
        big = d / "六万条.md"
        big.write_text("# 某条例\n\n" + "".join(f"第{i}条 {'内容' * 25}。\n" for i in range(1, 60_001)), encoding="utf-8")
        bombs.append(big)
        for path in bombs:
            out["bombs"].append(timed_ingest(kb, path, limits))
            print(json.dumps(out["bombs"][-1], ensure_ascii=False), file=sys.stderr)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    if any(b["accepted"] for b in out["bombs"]) or not all(a["accepted"] for a in out["accepted"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
