"""ingest.pipeline: added / unchanged / replaced / failed, content-hash ids, bad files change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from knowledge.catalog import Catalog
from knowledge.models import Article, Law
from tests import docgen


class FakeKB:
    """A test double of KnowledgeBase for the pipeline: a real Catalog, no lexical or vector index.

    It does not index or search anything; it only records add/remove calls so tests can see them.
    """

    def __init__(self, path: Path):
        self.catalog = Catalog(path)
        self.calls: list[tuple[str, str]] = []

    def add_document(self, law: Law, articles: list[Article], replaces=()) -> bool:
        self.calls.append(("add", law.law_id, *replaces))
        if self.catalog.law(law.law_id) is not None and not replaces:
            return False
        self.catalog.replace(list(replaces), law, articles)
        return True

    def remove_document(self, law_id: str) -> bool:
        self.calls.append(("remove", law_id))
        return self.catalog.remove(law_id)


@pytest.fixture
def kb(tmp_path) -> FakeKB:
    return FakeKB(tmp_path / "catalog.sqlite")


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """A writable copy of the shared regulations (skips when ../shared is absent)."""
    d = tmp_path / "法规"
    d.mkdir()
    for f in docgen.corpus_files():
        shutil.copy(f, d / f.name)
    return d


def test_directory_ingest_then_reingest_is_unchanged(kb, corpus_dir):
    seen: list[tuple[int, int, str]] = []
    report = ingest_paths(kb, [corpus_dir], progress=lambda done, total, name: seen.append((done, total, name)))
    assert report.ok and len(report.added) == 6 and not report.unchanged and not report.replaced
    assert [s[:2] for s in seen] == [(i, 6) for i in range(1, 7)]
    counts = {e["title"]: e["articles"] for e in report.added}
    assert counts == docgen.EXPECTED_COUNTS
    for entry in report.added:
        law = kb.catalog.law(entry["law_id"])
        assert law.source == "local" and law.law_id.startswith("loc-") and len(law.law_id) == 16
        assert law.content_hash.startswith(law.law_id[4:]) and law.origin == Path(entry["path"]).name
        assert kb.catalog.article_count(law.law_id) == entry["articles"]
        assert set(entry) >= {"path", "title", "articles", "law_id", "level", "region"}
    arts = kb.catalog.articles(next(e["law_id"] for e in report.added if e["title"] == "山东省东平湖保护条例"))
    assert [a.ordinal for a in arts] == list(range(1, 33)) and arts[-1].text == "本条例自2021年12月1日起施行。"

    version = kb.catalog.data_version()
    again = ingest_paths(kb, [corpus_dir])
    assert again.ok and not again.added and not again.replaced and len(again.unchanged) == 6
    assert kb.catalog.data_version() == version
    assert again.to_json()["unchanged"][0]["law_id"] == report.to_json()["added"][0]["law_id"]


def test_changed_file_replaces_the_old_version(kb, corpus_dir):
    md = next(corpus_dir.glob("*东平湖*"))
    first = ingest_paths(kb, [md])
    old_id = first.added[0]["law_id"]
    md.write_text(md.read_text(encoding="utf-8").replace("本条例自2021年12月1日起施行。", "本条例自2022年1月1日起施行。"),
                  encoding="utf-8")
    second = ingest_paths(kb, [md])
    assert second.ok and not second.added and len(second.replaced) == 1
    new_id = second.replaced[0]["law_id"]
    assert new_id != old_id and kb.catalog.law(old_id) is None
    assert [law.law_id for law in kb.catalog.laws_by_title("山东省东平湖保护条例")] == [new_id]
    assert kb.catalog.law(new_id).effective_date == "2022-01-01"
    assert kb.calls[-1] == ("add", new_id, old_id)  # one call: insert new and retire old together


def test_same_regulation_from_another_format_is_unchanged(kb, corpus_dir, tmp_path):
    md = next(corpus_dir.glob("*法治宣传*"))
    docx = docgen.to_docx(md, tmp_path / "法治宣传教育条例.docx")
    report = ingest_paths(kb, [md, docx])
    assert len(report.added) == 1 and len(report.unchanged) == 1
    assert report.unchanged[0]["path"] == str(docx)


def test_bad_file_is_reported_and_changes_nothing(kb, corpus_dir, tmp_path):
    bad = tmp_path / "坏文件.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    before = kb.catalog.data_version()
    only_bad = ingest_paths(kb, [bad])
    assert not only_bad.ok and only_bad.failed[0]["path"] == str(bad) and "PDF" in only_bad.failed[0]["reason"]
    assert kb.catalog.data_version() == before and not kb.calls

    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    good = next(corpus_dir.glob("*泰安*"))
    mixed = ingest_paths(kb, [bad, good, empty, tmp_path / "没有.docx"])
    assert not mixed.ok and len(mixed.added) == 1 and mixed.added[0]["title"] == "泰安市文明行为促进条例"
    assert [Path(f["path"]).name for f in mixed.failed] == ["坏文件.pdf", "空.txt", "没有.docx"]
    assert all(f["reason"] for f in mixed.failed)
    assert set(mixed.to_json()) == {"added", "unchanged", "replaced", "failed"}
    assert "失败 3 件" in mixed.summary()


def test_directory_walk_skips_unsupported_and_hidden_files(kb, tmp_path):
    d = tmp_path / "docs"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "通知.txt").write_text("关于开展法治宣传的通知\n各单位：\n请认真组织学习。\n", encoding="gbk")
    (d / "图片.png").write_bytes(b"\x89PNG")
    (d / ".hidden.txt").write_text("第一条 隐藏。", encoding="utf-8")
    (d / "~$临时.docx").write_bytes(b"x")
    report = ingest_paths(kb, [d])
    assert report.ok and [e["title"] for e in report.added] == ["关于开展法治宣传的通知"]
    law = kb.catalog.law(report.added[0]["law_id"])
    assert not law.structured and law.level == "规范性文件"
    assert all(a.is_paragraph for a in kb.catalog.articles(law.law_id))


def test_flags_override_inferred_metadata(kb, corpus_dir):
    md = next(corpus_dir.glob("*东平湖*"))
    report = ingest_paths(kb, [md], level="其他", region="泰安市", status="尚未生效")
    law = kb.catalog.law(report.added[0]["law_id"])
    assert (law.level, law.region, law.status) == ("其他", "泰安市", "尚未生效")
    assert (report.added[0]["level"], report.added[0]["region"]) == ("其他", "泰安市")


def test_pipeline_on_a_real_knowledge_base(kb_factory, tmp_path):
    """The same flow on the real KnowledgeBase (catalog + lexical + vectors) from tests/conftest.py."""
    md = docgen.corpus_file("东平湖")
    real = kb_factory()
    report = ingest_paths(real, [md])
    assert report.ok and len(report.added) == 1
    law_id = report.added[0]["law_id"]
    found = real.lookup("山东省东平湖保护条例", 32)
    assert found is not None and found[1].text == "本条例自2021年12月1日起施行。"
    hits = real.search("东平湖 蓄滞洪 防洪安全", top_k=5, source="local")
    assert hits and hits[0].law.law_id == law_id
    assert ingest_paths(real, [md]).unchanged[0]["law_id"] == law_id

    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    version = real.catalog.data_version()
    assert not ingest_paths(real, [bad]).ok and real.catalog.data_version() == version
