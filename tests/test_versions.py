"""Versions not yet in force: the new one is 尚未生效, the one it replaces stays current until then."""

from ingest.versions import apply_pending
from knowledge.models import STATUS_CURRENT, STATUS_HISTORICAL, STATUS_PENDING, Law


def _law(law_id, title, status, pub, eff):
    return Law(law_id=law_id, title=title, status=status, publish_date=pub, effective_date=eff)


def test_revision_not_yet_in_force_leaves_the_old_text_current():
    docs = [(_law("a1", "农业法", STATUS_HISTORICAL, "2002-12-28", "2003-03-01"), []),
            (_law("a2", "农业法", STATUS_HISTORICAL, "2012-12-28", "2013-01-01"), []),
            (_law("a3", "农业法", STATUS_CURRENT, "2026-08-28", "2027-01-01"), []),
            (_law("b1", "监察法", STATUS_CURRENT, "2024-12-25", "2025-06-01"), [])]
    out = {law.law_id: law for law, _ in apply_pending(docs, "2026-12-01")}
    assert out["a3"].status == STATUS_PENDING and out["a3"].note == "2027-01-01起施行"
    assert out["a2"].status == STATUS_CURRENT and "2027-01-01" in out["a2"].note
    assert out["a1"].status == STATUS_HISTORICAL
    assert out["b1"] == docs[3][0]
    assert "尚未生效（2027-01-01起施行）" in out["a3"].status_note


def test_once_in_force_nothing_changes_and_a_new_law_is_only_pending():
    docs = [(_law("a2", "农业法", STATUS_HISTORICAL, "2012-12-28", "2013-01-01"), []),
            (_law("a3", "农业法", STATUS_CURRENT, "2026-08-28", "2027-01-01"), []),
            (_law("c1", "医疗保障法", STATUS_CURRENT, "2026-08-28", "2027-01-01"), [])]
    assert apply_pending(docs, "2027-01-01") == docs
    out = {law.law_id: law for law, _ in apply_pending(docs, "2026-12-01")}
    assert out["c1"].status == STATUS_PENDING
    assert [law.status for law, _ in apply_pending(docs, "2026-12-01")][:2] == [STATUS_CURRENT, STATUS_PENDING]


def test_built_in_packs_hold_the_2012_agriculture_law_as_current():
    from ingest.builtin import read_pack

    versions = {law.publish_date: law for law, _ in read_pack("laws") if law.title == "中华人民共和国农业法"}
    assert versions["2026-08-28"].status == STATUS_PENDING
    assert versions["2012-12-28"].status == STATUS_CURRENT and versions["2012-12-28"].effective_date == "2013-01-01"
