"""LawRefBook-style Markdown trees (../shared/corpus/lawref, ../shared/corpus/party) -> (Law, articles).

Used only by `scripts/build_corpus.py`. Each file is parsed by the same parser as user uploads; the folder
gives the 效力级别, the collection's SQLite index gives dates and the `expired` flag, and statuses are
derived across the whole collection:
- several versions of one title: the newest is current, the others are 历史版本;
- a text named in another, later text's "《…》同时废止" clause, or flagged expired, is 已废止.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from knowledge.models import (SOURCE_NATIONAL, STATUS_CURRENT, STATUS_HISTORICAL, STATUS_PENDING, STATUS_REPEALED,
                              Article, Law)

from .pipeline import content_digest  # the same identity as an upload: re-ingesting a built-in text adds nothing
from .structure import ParsedDocument, parse_document

_FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
_REPEAL_SENTENCE = re.compile(r"[^。]*同时废止")
_TITLE_IN = re.compile(r"《([^《》]{2,60})》")
_JOINT = re.compile(r"(中共中央办公厅、国务院办公厅|中共中央、国务院|中共中央办公厅|中共中央)(?:联合)?(?:发布|印发)")


@dataclass
class SourceDoc:
    """One parsed source file with what the collection says about it."""

    path: Path
    pack: str
    level: str
    parsed: ParsedDocument
    file_date: str | None
    valid_from: str | None = None
    expired: bool = False
    status: str = STATUS_CURRENT
    note: str | None = None
    warnings: list[str] = field(default_factory=list)
    head: str = ""  # the header lines before <!-- INFO END -->


def read_index(db: Path) -> dict[tuple[str, str | None], tuple[str | None, bool]]:
    """(name, publish) -> (valid_from, expired) from a LawRefBook SQLite index."""
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, publish, valid_from, expired FROM law").fetchall()
    finally:
        conn.close()
    return {(name, pub): (vf, bool(exp)) for name, pub, vf, exp in rows}


def read_tree(root: Path, pack: str, level: str, index: dict, region: str | None = "全国") -> list[SourceDoc]:
    """Every Markdown file under `root` (sorted), parsed."""
    docs = []
    for path in sorted(root.rglob("*.md")):
        if path.name.upper() == "README.MD":
            continue
        text = path.read_text(encoding="utf-8")
        parsed = parse_document(text, filename=path.name)
        if parsed.issuer is None:
            parsed = replace(parsed, issuer=default_issuer(pack, path, parsed.title, text.split("<!-- INFO END -->")[0]))
        m = _FILE_DATE.search(path.stem)
        file_date = m.group(1) if m else None
        short = parsed.title.removeprefix("中华人民共和国")
        valid_from, expired = index.get((parsed.title, file_date)) or index.get((short, file_date)) or (None, False)
        if region is not None:
            parsed = replace(parsed, region=region)
        docs.append(SourceDoc(path, pack, level, parsed, file_date, valid_from, expired,
                              warnings=list(parsed.warnings), head=text.split("<!-- INFO END -->")[0]))
    return docs


def default_issuer(pack: str, path: Path, title: str, head: str) -> str | None:
    """The issuing body where the header lines name none the parser knows: a 司法解释's court or
    procuratorate, a 部门规章's ministry (its folder), a 行政法规's 国务院 (with 中央军委 where it co-issued)."""
    if pack == "sfjs":
        both = "最高人民法院" in head + title and "最高人民检察院" in head + title
        if both:
            return "最高人民法院、最高人民检察院"
        if "最高人民检察院" in head + title or title.startswith("人民检察院"):
            return "最高人民检察院"
        return "最高人民法院"
    if pack == "bmgz":
        return path.parent.name
    if pack == "xzfg":
        return "国务院、中央军事委员会" if "中央军事委员会" in head or "中央军委" in head else "国务院"
    if pack == "party":
        for body in ("中共中央办公厅、国务院办公厅", "中共中央办公厅", "中共中央", "中国共产党第十八届中央委员会"):
            if body in head:
                return body
        return "中共中央"
    return None


def assign_statuses(docs: list[SourceDoc], today: str) -> None:
    """Versions, repeal clauses and expired flags -> each document's 时效性 (in place)."""
    by_title: dict[str, list[SourceDoc]] = defaultdict(list)
    versions_of: dict[str, list[SourceDoc]] = defaultdict(list)
    for d in docs:
        by_title[d.parsed.title].append(d)
        versions_of[_version_key(d.parsed.title)].append(d)
    for versions in versions_of.values():
        versions.sort(key=lambda d: _version_date(d) or "", reverse=True)
        for older in versions[1:]:
            older.status, older.note = STATUS_HISTORICAL, f"已有{versions[0].file_date or '更新'}版本"
    for title in list(by_title):  # 《中华人民共和国X条例》 in a repeal clause names the same text as "X条例"
        by_title.setdefault(title.removeprefix("中华人民共和国"), by_title[title])
    for d in docs:
        tail = "\n".join(a.text for a in d.parsed.articles[-4:])
        names = {n for sentence in _REPEAL_SENTENCE.findall(tail) for n in _TITLE_IN.findall(sentence)}
        for name in names:
            for old in by_title.get(name, by_title.get(name.removeprefix("中华人民共和国"), [])):
                when = old.file_date or ""
                if old is not d and when < (d.file_date or "9999") and old.status == STATUS_CURRENT:
                    old.status, old.note = STATUS_REPEALED, f"被《{d.parsed.title}》（{d.file_date}）废止"
    for d in docs:
        if d.expired and d.status == STATUS_CURRENT:
            d.status, d.note = STATUS_REPEALED, "LawRefBook 索引标注为失效"
        eff = effective_date(d)
        if d.status == STATUS_CURRENT and eff and eff > today:
            d.status = STATUS_PENDING


def apply_supersessions(docs: list[SourceDoc], superseded: list[dict]) -> None:
    """Known replacements not stated in the texts here (data file): old title (≤ date) -> new title."""
    titles = {d.parsed.title for d in docs}
    for row in superseded:
        if row["by"] not in titles:
            continue
        for d in docs:
            if d.parsed.title == row["title"] and d.status == STATUS_CURRENT and \
                    (d.file_date or "") <= row.get("until", "9999"):
                d.status, d.note = STATUS_REPEALED, f"已被《{row['by']}》取代：{row['evidence']}"


def apply_document_dates(docs: list[SourceDoc], rows: list[dict]) -> None:
    """Dates (and issuer) for source files that carry none (data file, each row with its evidence)."""
    by_title = {row["title"]: row for row in rows}
    for d in docs:
        row = by_title.get(d.parsed.title)
        if row and not d.file_date and not d.parsed.publish_date:
            d.parsed = replace(d.parsed, publish_date=row["publish_date"], effective_date=row["effective_date"],
                               issuer=d.parsed.issuer or row.get("issuer"))


def _version_key(title: str) -> str:
    """One key for the versions of a title: 青岛市实施《中华人民共和国水法》的若干规定 = 青岛市实施《水法》若干规定."""
    return re.sub(r"中华人民共和国|的", "", title)


def _version_date(d: SourceDoc) -> str | None:
    return d.file_date or d.parsed.publish_date


def effective_date(d: SourceDoc) -> str | None:
    """The current text's commencement: stated dates older than the text itself belong to an earlier version
    (an amended regulation keeps its original 施行 clause); amendments then take effect on publication."""
    stated = d.valid_from or d.parsed.effective_date
    version = _version_date(d)
    if stated and version and stated < version:
        return version
    return stated or version


def apply_issuers(docs: list[SourceDoc], formal_names: dict[str, str]) -> None:
    """Who issued a text, from its 发布/印发 line (中共中央办公厅 is not 中共中央); texts issued jointly by
    the Party centre and the State Council are 党内法规; folder and short names get their formal form."""
    for d in docs:
        head = d.head
        m = _JOINT.search(head)
        issuer = m.group(1) if m else d.parsed.issuer
        level = d.level
        if m and d.pack in ("xzfg", "party") and m.group(1).startswith("中共中央"):
            level = "党内法规"
        d.level = level
        d.parsed = replace(d.parsed, issuer=formal_names.get(issuer or "", issuer))


def to_law(d: SourceDoc) -> tuple[Law, list[Article]]:
    p = d.parsed
    law_id = "ref-" + hashlib.sha1(f"{d.level}|{p.title}|{d.file_date}".encode("utf-8")).hexdigest()[:12]
    law = Law(law_id=law_id, title=p.title, level=d.level, issuer=p.issuer, region=p.region or "全国",
              status=d.status, source=SOURCE_NATIONAL, publish_date=d.file_date or p.publish_date,
              effective_date=effective_date(d), doc_type=p.doc_type, note=d.note,
              content_hash=content_digest(p.title, p), origin=f"{d.pack}:{d.path.name}", structured=p.structured)
    articles = [Article(law_id=law_id, ordinal=i, number=a.number, text=a.text, sub=a.sub, part=a.part,
                        chapter=a.chapter, section=a.section, is_paragraph=a.is_paragraph)
                for i, a in enumerate(p.articles, 1)]
    return law, articles
