"""First start after the move: users.json, exams.jsonl, mistakes.json and audit.jsonl of earlier versions are
imported once (passwords keep working, mistakes of two versions of a law merge), torn files are reported."""

from __future__ import annotations

import base64
import json
import secrets
import threading

from assistant.accounts import passwords as pw
from assistant.accounts.service import Accounts
from assistant.db import AttemptRepo, AuditRepo, Database, MistakeRepo
from assistant.db.legacy import import_legacy_json
from assistant.exam.grading import user_dirname


def _old_user(password: str, role: str) -> dict:
    """A users.json record exactly as the old UserStore wrote it."""
    salt = secrets.token_bytes(16)
    digest = pw._scrypt(password, salt, 2 ** 14, 8, 1)
    return {"role": role, "salt": base64.b64encode(salt).decode(), "hash": base64.b64encode(digest).decode(),
            "n": 2 ** 14, "r": 8, "p": 1, "created": "2026-03-01T09:00:00"}


def write_old_home(home):
    users = home / "users"
    users.mkdir(parents=True)
    (users / "users.json").write_text(json.dumps({"users": {
        "admin": _old_user("admin-secret", "管理员"), "zhang.san": _old_user("learner-secret", "学员")}},
        ensure_ascii=False), encoding="utf-8")
    d = users / user_dirname("zhang.san")  # a name with a dot: hashed directory name
    d.mkdir()
    entry = {"time": "2026-03-02T10:00:00", "title": "任前法律知识考试", "score": 72, "total": 100, "pass_mark": 60,
             "passed": True, "items": 45, "wrong": 9, "elapsed_seconds": 1800, "per_law": {}}
    (d / "exams.jsonl").write_text(json.dumps(entry, ensure_ascii=False) + "\n"
                                   + json.dumps(dict(entry, score=50, passed=False), ensure_ascii=False) + "\n"
                                   + '{"time": "2026-03-04T10:00:00", "title": "断', encoding="utf-8")  # torn
    law = "中华人民共和国监察法"
    (d / "mistakes.json").write_text(json.dumps({"articles": {
        "nat-1:22": {"law": law, "law_id": "nat-1", "article": 22, "sub": 0, "label": "第二十二条", "wrong": 2,
                     "right": 0, "items": [{"uid": "u1"}], "last_wrong": "2026-03-02T10:00:00"},
        "nat-2:22": {"law": law, "law_id": "nat-2", "article": 22, "sub": 0, "label": "第二十二条", "wrong": 1,
                     "right": 1, "items": [{"uid": "u2"}], "last_wrong": "2026-03-03T10:00:00"},
        "nat-2:45": {"law": law, "law_id": "nat-2", "article": 45, "sub": 0, "label": "第四十五条", "wrong": 1,
                     "right": 0, "items": []}}}, ensure_ascii=False), encoding="utf-8")
    (home / "audit.jsonl").write_text(
        json.dumps({"time": "2026-03-01T08:00:00", "user": "admin", "action": "上传", "target": "东平湖保护条例",
                    "articles": 32}, ensure_ascii=False) + "\n", encoding="utf-8")


def test_json_data_is_migrated_once(db, tmp_path):
    home = tmp_path / "home"
    write_old_home(home)
    report = import_legacy_json(db, home)
    assert (report.users, report.attempts, report.mistakes, report.audit) == (2, 2, 3, 1)
    assert any("1 行无法读取" in p for p in report.problems)
    accounts = Accounts(db)
    assert accounts.verify("admin", "admin-secret") and accounts.get("admin").is_admin
    assert accounts.verify("zhang.san", "learner-secret") and not accounts.verify("zhang.san", "admin-secret")
    uid = accounts.get("zhang.san").id
    history = AttemptRepo(db).for_user(uid, submitted=True)
    assert sorted(a.score for a in history) == [50, 72] and history[0].submitted_at.tzinfo is not None
    book = {(m.article): m for m in MistakeRepo(db).all(uid)}
    assert (book[22].wrong, book[22].right, len(book[22].items)) == (3, 1, 2)  # two versions, one stable key
    assert [e.action for e in AuditRepo(db).entries()] == ["数据迁移", "上传"]
    assert not (home / "users" / "users.json").exists() and (home / "users" / "users.json.migrated").exists()

    again = import_legacy_json(db, home)  # a restart: nothing left to import
    assert again.empty and len(AttemptRepo(db).for_user(uid)) == 2


def test_two_processes_starting_together_import_once(database_url, tmp_path):
    home = tmp_path / "home"
    write_old_home(home)
    dbs = [Database(database_url) for _ in range(2)]
    threads = [threading.Thread(target=import_legacy_json, args=(d, home)) for d in dbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    uid = Accounts(dbs[0]).get("zhang.san").id
    assert len(AttemptRepo(dbs[0]).for_user(uid)) == 2 and len(MistakeRepo(dbs[0]).all(uid)) == 2
    assert Accounts(dbs[0]).users.count() == 2


def test_a_torn_users_file_is_reported_and_left_alone(db, tmp_path):
    home = tmp_path / "home"
    (home / "users").mkdir(parents=True)
    torn = home / "users" / "users.json"
    torn.write_text('{"users": {"admin": {"role": "管理', encoding="utf-8")
    report = import_legacy_json(db, home)
    assert report.users == 0 and any("users.json" in p and "无法读取" in p for p in report.problems)
    assert torn.exists() and Accounts(db).users.count() == 0
    torn.write_text(json.dumps({"users": {"admin": _old_user("admin-secret", "管理员")}}), encoding="utf-8")
    assert import_legacy_json(db, home).users == 1  # repaired: imported on the next start


def test_services_migrate_on_first_start(tmp_path, monkeypatch):
    from assistant.config import Settings
    from assistant.services import open_db

    monkeypatch.delenv("XUEFA_DATABASE_URL", raising=False)
    write_old_home(tmp_path)
    db = open_db(Settings(home=tmp_path))
    assert Accounts(db).verify("admin", "admin-secret")
