"""Test support for the exam tests: a small real catalog and a documented fake knowledge base.

`FakeExamKB` is a stand-in for `knowledge.base.KnowledgeBase` that exposes only what `ExamService` uses:
`catalog` (a real `knowledge.catalog.Catalog`), `resolve_law` (the real `LawNames`), `lookup` and
`contains_text` (a plain normalised substring search). It does not simulate search, vectors, retrieval or
indexes. The tests prefer the lead's `kb_small` fixture when tests/conftest.py provides it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from knowledge.catalog import Catalog
from knowledge.lawnames import LawNames
from knowledge.models import DEFAULT_STATUSES, SOURCE_LOCAL, Article, Law

SHARED_LOCAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "local"
NATIONAL = ("中华人民共和国宪法", "中华人民共和国监察法", "中华人民共和国公职人员政务处分法", "中华人民共和国安全生产法")
LOCAL_FILES = ("山东省东平湖保护条例(2021-09-30).md", "山东省安全生产条例(2021-12-03).md")


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return re.sub(r"\s+", "", s).replace("“", '"').replace("”", '"')


class FakeExamKB:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._names = None
        self._text = None
        self._version = None

    def _refresh(self) -> None:
        if self._version != self.catalog.version:
            self._names = LawNames(self.catalog.laws())
            self._text = "\x00".join(_norm(a.text) for a in self.catalog.iter_articles())
            self._version = self.catalog.version

    def resolve_law(self, name: str, status: str = "current") -> Law | None:
        self._refresh()
        return self._names.resolve(name, current_only=status != "all")

    def lookup(self, law_name: str, number: int, sub: int = 0, status: str = "current"):
        law = self.resolve_law(law_name, status)
        if law is None:
            return None
        art = self.catalog.article(law.law_id, number, sub)
        return (law, art) if art else None

    def contains_text(self, s: str) -> bool:
        self._refresh()
        n = _norm(s)
        return bool(n) and n in self._text


def local_document(path: Path) -> tuple[Law, list[Article]]:
    from ingest.structure import parse_document

    doc = parse_document(path.read_text(encoding="utf-8"), filename=path.name)
    digest = hashlib.sha1("\n".join(a.text for a in doc.articles).encode()).hexdigest()[:16]
    law_id = f"loc-{digest}"
    law = Law(law_id=law_id, title=doc.title, level=doc.level, issuer=doc.issuer, region=doc.region,
              status=doc.status, source=SOURCE_LOCAL, effective_date=doc.effective_date, content_hash=digest,
              origin=path.name)
    arts = [Article(law_id, i, a.number, a.text, sub=a.sub, part=a.part, chapter=a.chapter, section=a.section,
                    is_paragraph=a.is_paragraph) for i, a in enumerate(doc.articles, 1)]
    return law, arts


def build_catalog(path: Path, local: bool = True) -> Catalog:
    """A real catalog with four national laws (plus the 1982 宪法, a historical version) and local regulations."""
    from ingest.national import read_national

    cat = Catalog(path)
    for law, arts in read_national():
        if law.title in NATIONAL:
            cat.add(law, arts)
    if local and SHARED_LOCAL.is_dir():
        for name in LOCAL_FILES:
            f = SHARED_LOCAL / name
            if f.exists():
                law, arts = local_document(f)
                cat.add(law, arts)
    return cat


def all_article_text(catalog: Catalog) -> str:
    return "\x00".join(_norm(a.text) for a in catalog.iter_articles())


def current_titles(catalog: Catalog) -> list[str]:
    return [law.title for law in catalog.laws(statuses=DEFAULT_STATUSES)]


# ---- fixtures (imported by tests/test_exam_*.py) ----------------------------------------------------
import pytest  # noqa: E402

SCOPE = {"宪法": 1.0, "监察法": 1.0, "东平湖保护条例": 1.0}


@pytest.fixture(scope="session")
def exam_kb(request, tmp_path_factory):
    """The real `kb_small`; XUEFA_EXAM_FAKE_KB=1 uses a real Catalog behind `FakeExamKB` instead (fast local runs).

    A broken `kb_small` fails the exam tests: it is never silently replaced by the fake."""
    import os

    if os.environ.get("XUEFA_EXAM_FAKE_KB") == "1":
        return FakeExamKB(build_catalog(tmp_path_factory.mktemp("exam-kb") / "catalog.sqlite3"))
    return request.getfixturevalue("kb_small")


@pytest.fixture(scope="session")
def exam_scope(exam_kb):
    """宪法 + 监察法 + 东平湖保护条例 (just 宪法 + 监察法 when ../shared is absent)."""
    if exam_kb.resolve_law("东平湖保护条例") is None:
        return {"宪法": 1.0, "监察法": 1.0}
    return dict(SCOPE)


@pytest.fixture(scope="session")
def exam_service(exam_kb, tmp_path_factory):
    from assistant.exam import ExamService

    return ExamService(exam_kb, data_dir=tmp_path_factory.mktemp("exam-users"))


def fake_kb_of(path: Path, titles) -> FakeExamKB:
    """A real catalog at `path` (real national corpus parsing) holding the current versions of `titles`."""
    from ingest.national import read_national

    cat = Catalog(path / "catalog.sqlite3")
    wanted = set(titles)
    for law, arts in read_national():
        if law.title in wanted and law.is_current:
            cat.add(law, arts)
    return FakeExamKB(cat)
