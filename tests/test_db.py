"""Contract tests of assistant.db on SQLite and PostgreSQL (the same tests on both backends)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from assistant.db import (BRIEF_APPROVED, BRIEF_DRAFT, BRIEF_PENDING, ITEM_APPROVED, ITEM_GENERATED,
                          ITEM_HANDWRITTEN, ITEM_PENDING, ITEM_RETIRED, ROLE_LEARNER, ROLE_UNIT_ADMIN, STUDY_ASK,
                          STUDY_EXAM, AttemptRepo, AuditRepo, BankRepo, BriefRepo, Database, ExamSessionRepo,
                          MetaRepo, MistakeMark, MistakeRepo, PaperRepo, StudyRepo, UnitRepo, UserRepo, utcnow)
from assistant.db.migrate import head
from assistant.db.repos.users import UserExists
from knowledge.errors import NotFoundError, XuefaError


# ---- schema --------------------------------------------------------------------------------------
def test_opening_applies_migrations_once(db):
    assert db.revision() == head() == "0001"
    again = Database(db.url)  # a second process/instance opening the same database
    assert again.revision() == head()
    again.close()


def test_models_match_migrations(db):
    """A model change without a numbered migration fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from assistant.db.models import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_two_instances_migrate_at_once(database_url):
    """Two app instances starting together on an empty database: both end on head, neither fails."""
    errors, dbs = [], []

    def start():
        try:
            dbs.append(Database(database_url))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert {d.revision() for d in dbs} == {head()}
    for d in dbs:
        d.close()


def test_bad_url_is_a_clear_error(tmp_path):
    with pytest.raises(XuefaError, match="只支持 SQLite 和 PostgreSQL"):
        Database("mysql://x@localhost/y")
    with pytest.raises(XuefaError, match="无法连接"):
        Database("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_times_are_aware_utc(db):
    AuditRepo(db).record("甲", "测试")
    entry = AuditRepo(db).entries()[0]
    assert entry.time.tzinfo is not None and entry.time.utcoffset() == timedelta(0)
    assert abs((utcnow() - entry.time).total_seconds()) < 60


# ---- units and users -----------------------------------------------------------------------------
def test_unit_tree(db):
    units = UnitRepo(db)
    county = units.add("某县")
    edu = units.add("教育局", "某县")
    office = units.ensure_path("某县/教育局/办公室")
    units.ensure_path("某县/财政局/办公室")
    assert units.path(office.id) == "某县/教育局/办公室"
    assert units.ensure_path("某县/教育局/办公室").id == office.id  # idempotent
    assert units.descendants(county.id) >= {county.id, edu.id, office.id}
    assert units.descendants(edu.id) == {edu.id, office.id}
    assert units.find("教育局").id == edu.id
    with pytest.raises(XuefaError, match="2 个名为“办公室”"):
        units.find("办公室")
    with pytest.raises(XuefaError, match="已存在"):
        units.add("教育局", county.id)
    with pytest.raises(NotFoundError, match="没有单位“公安局”"):
        units.add("刑警队", "公安局")
    with pytest.raises(XuefaError, match="下级单位"):
        units.remove(edu.id)
    with pytest.raises(XuefaError, match="不能含"):
        units.add("a/b")


def test_users(db):
    units, users = UnitRepo(db), UserRepo(db)
    edu = units.ensure_path("某县/教育局")
    u = users.add("zhangsan", "scrypt$1$1$1$a$b", ROLE_LEARNER, unit_id=edu.id, position_level="副科级",
                  display_name="张三")
    assert u.id and u.unit.name == "教育局" and not u.disabled
    with pytest.raises(UserExists, match="已存在"):
        users.add("zhangsan", "x", ROLE_LEARNER)
    with pytest.raises(XuefaError, match="角色只能是"):
        users.add("lisi", "x", "校长")
    users.add("lisi", "x", ROLE_UNIT_ADMIN, unit_id=edu.id)
    users.add("wangwu", "x", ROLE_LEARNER)
    assert [x.name for x in users.list(unit_ids=[edu.id])] == ["lisi", "zhangsan"]
    assert [x.name for x in users.list(position_levels=["副科级"])] == ["zhangsan"]
    assert users.set_disabled("zhangsan").disabled
    assert [x.name for x in users.list(include_disabled=False)] == ["lisi", "wangwu"]
    assert users.set_password("zhangsan", "new").password_hash == "new"
    with pytest.raises(NotFoundError):
        users.update("nobody", role=ROLE_LEARNER)
    assert users.remove("wangwu") and not users.remove("wangwu")
    assert users.count() == 2
    with pytest.raises(XuefaError, match="下还有用户"):
        units.remove(edu.id)


def test_two_writers_adding_users_lose_nothing(db):
    users = UserRepo(db)

    def writer(prefix):
        for i in range(25):
            users.add(f"{prefix}{i:02d}", "x", ROLE_LEARNER)

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert users.count() == 50


# ---- question bank -------------------------------------------------------------------------------
def _item(uid="u1", **kw):
    d = dict(uid=uid, type="单选", stem="监察机关对……可以采取（ ）措施。", options=["留置", "拘留", "逮捕", "罚款"],
             answer="A", explanation="依据《中华人民共和国监察法》第二十二条。", doc_key="中华人民共和国监察法",
             article=22, citations=[{"law": "中华人民共和国监察法", "article": 22}], source=ITEM_GENERATED)
    d.update(kw)
    return d


def test_bank_review_flow(db):
    bank, users = BankRepo(db), UserRepo(db)
    setter = users.add("setter", "x", "出题人")
    item, added = bank.add(**_item(), created_by=setter.id)
    assert added and item.status == ITEM_PENDING and item.options[0] == "留置"
    again, added = bank.add(**_item(stem="changed"))
    assert not added and again.id == item.id and again.stem.startswith("监察机关")
    bank.add(**_item("u2", source=ITEM_HANDWRITTEN, type="判断", answer="B", options=[]))
    reviewed = bank.review(item.id, ITEM_APPROVED, setter.id, note="核对无误")
    assert reviewed.reviewer_id == setter.id and reviewed.reviewed_at is not None
    assert [i.uid for i in bank.list(status=ITEM_APPROVED)] == ["u1"]
    assert bank.counts() == {ITEM_PENDING: 1, ITEM_APPROVED: 1, ITEM_RETIRED: 0}
    edited = bank.edit(item.id, stem="监察机关可以采取（ ）措施。")
    assert edited.status == ITEM_PENDING and edited.reviewer_id is None
    bank.review(item.id, ITEM_RETIRED, setter.id)
    assert [i.uid for i in bank.list(status=[ITEM_RETIRED], doc_keys=["中华人民共和国监察法"])] == ["u1"]
    with pytest.raises(XuefaError, match="题目状态只能是"):
        bank.review(item.id, "作废", setter.id)
    with pytest.raises(XuefaError, match="题目来源只能是"):
        bank.add(**_item("u3", source="llm"))


# ---- briefs ---------------------------------------------------------------------------------------
def test_brief_drafts_review_and_history(db):
    briefs, users = BriefRepo(db), UserRepo(db)
    author, reviewer = users.add("author", "x", ROLE_LEARNER), users.add("boss", "x", "管理员")
    b = briefs.create("安全生产", {"sections": [1]}, "# 安全生产", author_id=author.id)
    assert (b.status, b.version) == (BRIEF_DRAFT, 1)
    b = briefs.save(b.id, {"sections": [1, 2]}, "# 安全生产\n\n第二节", editor_id=author.id)
    assert b.version == 2 and b.content == {"sections": [1, 2]}
    with pytest.raises(XuefaError, match="不能改为“已批准”"):
        briefs.transition(b.id, BRIEF_APPROVED, user_id=reviewer.id)
    briefs.transition(b.id, BRIEF_PENDING, user_id=author.id)
    briefs.transition(b.id, BRIEF_DRAFT, user_id=reviewer.id, note="补充案例")
    briefs.transition(b.id, BRIEF_PENDING, user_id=author.id)
    b = briefs.transition(b.id, BRIEF_APPROVED, user_id=reviewer.id)
    assert b.reviewer_id == reviewer.id and b.approved_at is not None
    assert [x.id for x in briefs.list(status=BRIEF_APPROVED)] == [b.id]
    b = briefs.save(b.id, {"sections": [1, 2, 3]}, "改了", editor_id=author.id)  # editing reopens the draft
    assert b.status == BRIEF_DRAFT and b.approved_at is None
    history = briefs.revisions(b.id)
    assert [(r.version, r.action) for r in history] == [(1, "创建"), (2, "保存"), (3, "送审"), (4, "退回"),
                                                        (5, "送审"), (6, "批准"), (7, "保存")]
    assert history[3].note == "补充案例" and history[1].markdown.endswith("第二节")
    assert briefs.remove(b.id) and briefs.revisions(b.id) == []


# ---- exams -----------------------------------------------------------------------------------------
PAPER = {"title": "任前法律知识考试", "minutes": 90, "total": 4, "pass_mark": 2, "seed": 7,
         "items": [{"number": 1, "type": "判断", "stem": "宪法是根本法。", "answer": "A"},
                   {"number": 2, "type": "判断", "stem": "监察法第一条。", "answer": "B"}]}


def test_sessions_papers_attempts(db):
    units, users = UnitRepo(db), UserRepo(db)
    edu = units.ensure_path("某县/教育局")
    learner = users.add("learner", "x", ROLE_LEARNER, unit_id=edu.id)
    sessions, papers, attempts = ExamSessionRepo(db), PaperRepo(db), AttemptRepo(db)
    now = utcnow()
    with pytest.raises(XuefaError, match="截止时间必须晚于"):
        sessions.create(title="x", opens_at=now, closes_at=now, unit_ids=[edu.id])
    with pytest.raises(XuefaError, match="至少选择一个"):
        sessions.create(title="x", opens_at=now, closes_at=now + timedelta(days=1), unit_ids=[])
    s = sessions.create(title="2026年度学法考试", opens_at=now, closes_at=now + timedelta(days=5),
                        unit_ids=[edu.id], max_attempts=2, position_levels=["副科级"], blueprint={"seed": 1})
    assert s.unit_ids == [edu.id] and s.position_levels == ["副科级"] and s.closes_at > s.opens_at
    assert [x.id for x in sessions.list(unit_ids=[edu.id])] == [s.id]
    paper = papers.save(PAPER, user_id=learner.id, session_id=s.id, kind="session")
    assert len(paper.id) == 32 and papers.get(paper.id).data["items"][0]["stem"] == "宪法是根本法。"
    a = attempts.start(paper.id, learner.id, session_id=s.id, number=1, deadline_at=now + timedelta(minutes=90))
    with pytest.raises(XuefaError, match="已经开始"):
        attempts.start(paper.id, learner.id, session_id=s.id, number=1)
    done = attempts.submit(a.id, score=2, total=4, pass_mark=2, passed=True, result={"score": 2},
                           answers=[{"number": 1, "given": "A", "correct": True, "score": 2,
                                     "citations": [{"doc_key": "中华人民共和国宪法", "article": 1, "sub": 0}]},
                                    {"number": 2, "given": "A", "correct": False, "score": 0}])
    assert done.passed and done.submitted_at is not None and [x.number for x in done.answers] == [1, 2]
    with pytest.raises(XuefaError, match="已经交过"):
        attempts.submit(a.id, score=4, total=4, pass_mark=2, passed=True, result={}, answers=[])
    assert attempts.count(learner.id, s.id) == 1
    assert [x.id for x in attempts.for_user(learner.id, submitted=True)] == [a.id]
    assert attempts.for_paper(paper.id, learner.id).id == a.id
    assert sessions.close(s.id).closed and sessions.list(include_closed=False) == []


def test_concurrent_submissions_of_one_attempt_record_one(db):
    user = UserRepo(db).add("learner", "x", ROLE_LEARNER)
    paper = PaperRepo(db).save(PAPER, user_id=user.id)
    attempt = AttemptRepo(db).start(paper.id, user.id)
    ok, refused = [], []

    def submit(score):
        try:
            AttemptRepo(db).submit(attempt.id, score=score, total=4, pass_mark=2, passed=True, result={},
                                   answers=[{"number": 1, "given": "A", "correct": True, "score": score}])
            ok.append(score)
        except XuefaError:
            refused.append(score)

    threads = [threading.Thread(target=submit, args=(s,)) for s in (1, 2, 3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ok) == 1 and len(refused) == 3
    final = AttemptRepo(db).get(attempt.id)
    assert final.score == ok[0] and len(final.answers) == 1


# ---- mistakes ---------------------------------------------------------------------------------------
LAW = "中华人民共和国监察法"


def test_mistakes_count_per_stable_article(db):
    user = UserRepo(db).add("learner", "x", ROLE_LEARNER)
    book = MistakeRepo(db)
    assert book.record(user.id, [MistakeMark(LAW, 22, False, law_id="nat-1", label="第二十二条",
                                             item={"uid": "i1", "stem": "题一"}),
                                 MistakeMark(LAW, 45, True)]) == 1  # a right answer with no mistake: nothing
    book.record(user.id, [MistakeMark(LAW, 22, False, law_id="loc-new", item={"uid": "i2", "stem": "题二"}),
                          MistakeMark(LAW, 45, False, item={"uid": "i3"})])
    book.record(user.id, [MistakeMark(LAW, 45, True)])
    rows = {(r.doc_key, r.article): r for r in book.all(user.id)}
    assert (rows[(LAW, 22)].wrong, rows[(LAW, 22)].right) == (2, 0)
    assert rows[(LAW, 22)].law_id == "loc-new"  # a re-ingested version: same row, newest id
    assert [x["uid"] for x in rows[(LAW, 22)].items] == ["i1", "i2"]
    assert (rows[(LAW, 45)].wrong, rows[(LAW, 45)].right) == (1, 1)
    assert [(r.article) for r in book.entries(user.id)] == [22]  # 45 is no longer worse than right
    for i in range(15):
        book.record(user.id, [MistakeMark(LAW, 22, False, item={"uid": f"x{i}"})])
    assert len(book.all(user.id)[0].items) == 10


def test_two_writers_recording_mistakes_lose_nothing(db):
    user = UserRepo(db).add("learner", "x", ROLE_LEARNER)

    def writer(offset):
        book = MistakeRepo(db)
        for i in range(100):
            book.record(user.id, [MistakeMark(LAW, 1 + (i % 20), False, item={"uid": f"{offset}-{i}"})])

    threads = [threading.Thread(target=writer, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = MistakeRepo(db).all(user.id)
    assert len(rows) == 20 and sum(r.wrong for r in rows) == 200


# ---- study records, audit, meta ----------------------------------------------------------------------
def test_study_records_and_points(db):
    units, users, study = UnitRepo(db), UserRepo(db), StudyRepo(db)
    edu = units.ensure_path("某县/教育局")
    a = users.add("a", "x", ROLE_LEARNER, unit_id=edu.id)
    b = users.add("b", "x", ROLE_LEARNER)
    study.record(a.id, STUDY_ASK, "监察机关可以采取哪些措施？", 1)
    study.record(a.id, STUDY_EXAM, "任前法律知识考试", 5, score=80)
    study.record(b.id, STUDY_ASK, "问题", 1, time=utcnow() - timedelta(days=40))
    assert study.records(a.id)[0].kind == STUDY_EXAM and study.records(a.id)[0].detail == {"score": 80}
    summary = study.summary()
    assert summary[a.id] == {"points": 6.0, "counts": {STUDY_ASK: 1, STUDY_EXAM: 1}}
    assert b.id not in study.summary(since=utcnow() - timedelta(days=30))
    assert study.unit_points() == {edu.id: 6.0, None: 1.0}
    with pytest.raises(ValueError):
        study.record(a.id, "打游戏")


def test_audit_and_meta(db):
    audit, meta = AuditRepo(db), MetaRepo(db)
    audit.record("admin", "上传", "东平湖保护条例", law_id="loc-1", articles=40)
    audit.record("admin", "删除", "东平湖保护条例")
    assert [e.action for e in audit.entries()] == ["删除", "上传"]
    assert audit.entries(action="上传")[0].detail == {"law_id": "loc-1", "articles": 40}
    assert meta.get("json_migrated") is None
    meta.set("json_migrated", "2026-12-01")
    meta.set("json_migrated", "again")
    assert meta.get("json_migrated") == "again"


def test_services_default_is_sqlite_wal_in_home(tmp_path, monkeypatch):
    from assistant.config import Settings
    from assistant.services import open_db

    monkeypatch.delenv("XUEFA_DATABASE_URL", raising=False)
    db = open_db(Settings(home=tmp_path))
    assert db.is_sqlite and (tmp_path / "xuefa.sqlite3").exists()
    with db.read() as s:
        assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.close()
    monkeypatch.setenv("XUEFA_DATABASE_URL", "postgresql+psycopg://u:secret@127.0.0.1:1/x")
    with pytest.raises(XuefaError) as err:
        open_db(Settings(home=tmp_path))
    assert "secret" not in str(err.value) and "***" in str(err.value)  # the password is never shown
