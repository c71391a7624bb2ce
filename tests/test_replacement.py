"""Version replacement is one catalog transaction: whatever step fails or is killed, exactly one current
version of the regulation remains, re-ingest then installs the new text, and the indexes follow the catalog."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from knowledge.base import KnowledgeBase, open_knowledge_base
from knowledge.catalog import Catalog
from knowledge.vectors import VectorStore

from .conftest import REPO

TITLE = "某市河道管理条例"
OLD = "河道管理范围内禁止倾倒垃圾。"
NEW = "河道管理范围内禁止倾倒垃圾、渣土和其他废弃物。"


def regulation(path: Path, second: str) -> Path:
    path.write_text(f"{TITLE}\n\n第一条 为了加强河道管理，制定本条例。\n\n第二条 {second}\n\n"
                    "第三条 本条例自2024年1月1日起施行。\n", encoding="utf-8")
    return path


def current_versions(catalog: Catalog):
    return [law for law in catalog.laws_by_title(TITLE) if law.is_current]


def assert_consistent(kb: KnowledgeBase, expected_text: str) -> None:
    """One current version with `expected_text` as 第二条, and the vectors are exactly the catalog's articles."""
    versions = current_versions(kb.catalog)
    assert len(versions) == 1, [v.law_id for v in versions]
    found = kb.lookup(TITLE, 2)
    assert found is not None and found[1].text == expected_text
    assert kb.vectors.ids() == {a.article_id for a in kb.catalog.iter_articles()}


def reopen(kb: KnowledgeBase, embeddings) -> KnowledgeBase:
    """What a restart does: open the catalog afresh (startup check) and reconcile the indexes."""
    again = open_knowledge_base(kb.catalog.path, kb.index_dir, embeddings)
    again.ensure_indexes()
    return again


class Boom(RuntimeError):
    pass


def _raise(*_a, **_k):
    raise Boom("injected")


# Each step of a replacement, and how to make it fail.
STEPS = {
    "embed": lambda mp, old_id: mp.setattr("knowledge.base.embed_text", _raise),
    "add_vectors": lambda mp, old_id: mp.setattr(VectorStore, "add_vectors", _raise),
    "insert_new": lambda mp, old_id: mp.setattr(Catalog, "_insert_rows", staticmethod(_raise)),
    "retire_old": lambda mp, old_id: mp.setattr(
        Catalog, "_delete_rows", staticmethod(_fail_for(old_id, Catalog._delete_rows))),
    "delete_old_vectors": lambda mp, old_id: mp.setattr(VectorStore, "delete", _raise),
}


def _fail_for(law_id, real):
    def delete_rows(cur, lid):
        if lid == law_id:
            raise Boom("injected while retiring the old version")
        return real(cur, lid)

    return delete_rows


@pytest.mark.parametrize("step", list(STEPS))
def test_a_failure_at_any_step_leaves_one_current_version(step, kb_factory, embeddings, tmp_path, monkeypatch):
    kb = kb_factory(national=())
    src = regulation(tmp_path / "河道管理条例.txt", OLD)
    first = ingest_paths(kb, [src])
    assert first.ok and len(first.added) == 1
    old_id = first.added[0]["law_id"]
    regulation(src, NEW)

    with monkeypatch.context() as mp:
        STEPS[step](mp, old_id)
        report = ingest_paths(kb, [src])
    committed = step == "delete_old_vectors"  # the only step after the commit point
    assert report.ok == committed, report.to_json()
    assert len(current_versions(kb.catalog)) == 1
    after = reopen(kb, embeddings)
    assert_consistent(after, NEW if committed else OLD)

    again = ingest_paths(after, [src])
    assert again.ok and (again.unchanged if committed else again.replaced), again.to_json()
    after.ensure_indexes()
    assert_consistent(after, NEW)
    assert after.catalog.law(old_id) is None


def test_startup_repairs_two_current_versions(kb_factory, embeddings, tmp_path):
    """Two current versions (what the old add-then-remove left after a crash) are repaired on open."""
    kb = kb_factory(national=())
    src = regulation(tmp_path / "河道管理条例.txt", OLD)
    old_id = ingest_paths(kb, [src]).added[0]["law_id"]
    old_law, old_articles = kb.catalog.law(old_id), kb.catalog.articles(old_id)
    regulation(src, NEW)
    new_id = ingest_paths(kb, [src]).replaced[0]["law_id"]
    time.sleep(1.1)  # added_at has one-second resolution; the new version must stay the newest
    kb.catalog.remove(new_id)
    kb.catalog.add(old_law, old_articles)
    from ingest.pipeline import build_document
    from ingest.structure import parse_document
    from ingest.loaders import load_text

    law, articles = build_document(parse_document(load_text(src), filename=src.name), src.name)
    time.sleep(1.1)
    kb.catalog.add(law, articles)  # the state the old code left: both versions current
    assert len(current_versions(kb.catalog)) == 2

    after = reopen(kb, embeddings)
    assert_consistent(after, NEW)
    assert after.catalog.law(old_id) is None and after.catalog.law(law.law_id) is not None


def test_reingest_finishes_an_interrupted_replacement(tmp_path):
    """Before: re-ingest said "unchanged" and the old text stayed current for good."""
    from .test_pipeline import FakeKB
    from ingest.pipeline import build_document
    from ingest.structure import parse_document
    from ingest.loaders import load_text

    kb = FakeKB(tmp_path / "catalog.sqlite")
    src = regulation(tmp_path / "河道管理条例.txt", OLD)
    old_id = ingest_paths(kb, [src]).added[0]["law_id"]
    regulation(src, NEW)
    law, articles = build_document(parse_document(load_text(src), filename=src.name), src.name)
    kb.catalog.add(law, articles)  # half-done replacement
    report = ingest_paths(kb, [src])
    assert report.ok and len(report.replaced) == 1 and not report.unchanged
    assert [v.law_id for v in current_versions(kb.catalog)] == [law.law_id]
    assert kb.catalog.law(old_id) is None


# ---- a real process killed with SIGKILL ---------------------------------------------------------------------
CHILD = textwrap.dedent('''
    import sys, time
    from pathlib import Path
    from assistant.config import Settings
    from assistant.services import build_services
    from knowledge.vectors import VectorStore

    home, src, marker, point, new_text = sys.argv[1:6]
    services = build_services(Settings(home=Path(home), national=False), llm=None, load_national=False)
    first = services.ingest([src])
    assert first.ok, first.to_json()
    old_id = first.added[0]["law_id"]
    Path(src).write_text(Path(src).read_text(encoding="utf-8").replace(sys.argv[6], new_text), encoding="utf-8")

    def hang():
        Path(marker).write_text("ready")
        time.sleep(120)  # the parent kills us here

    if point == "retiring_old":  # the statement that deletes the old version, whichever transaction it is in
        def trace(sql):
            if "DELETE FROM laws" in sql and old_id in sql:
                hang()
        services.kb.catalog._conn.set_trace_callback(trace)
    else:  # after COMMIT, before the old vectors are deleted
        VectorStore.delete = lambda self, ids: hang()
    services.ingest([src])
    print("not killed")
''')


@pytest.mark.parametrize("point", ["retiring_old", "after_commit"])
def test_sigkill_during_replacement(point, tmp_path, embeddings):
    home = tmp_path / "home"
    src = regulation(tmp_path / "河道管理条例.txt", OLD)
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(home), str(src), str(marker), point, NEW, OLD],
                             cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while not marker.exists():
            if child.poll() is not None:
                raise AssertionError(child.stderr.read().decode())
            assert time.monotonic() < deadline, "child never reached the kill point"
            time.sleep(0.2)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    from assistant.config import Settings

    settings = Settings(home=home, national=False)
    kb = open_knowledge_base(settings.catalog_path, settings.index_dir, embeddings)
    kb.ensure_indexes()
    assert_consistent(kb, NEW if point == "after_commit" else OLD)
    report = ingest_paths(kb, [src])
    assert report.ok
    kb.ensure_indexes()
    assert_consistent(kb, NEW)
