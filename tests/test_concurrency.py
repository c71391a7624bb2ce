"""The concurrency probes that lost data with the JSON files, now against the database in separate processes:
two writers adding users (25 + 25 kept), two writers recording mistakes (200 of 200 kept), a writer killed
in the middle of a transaction (nothing torn, later writes work); and N learners submitting one exam at once
through the running web app."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time

import pytest

from assistant.db import Database, MistakeMark, MistakeRepo, UserRepo


def _add_users(url: str, prefix: str, n: int) -> None:
    users = UserRepo(Database(url))
    for i in range(n):
        users.add(f"{prefix}{i:02d}", "x", "学员")


def _record_mistakes(url: str, user_id: int, tag: str, n: int) -> None:
    book = MistakeRepo(Database(url))
    for i in range(n):
        book.record(user_id, [MistakeMark("中华人民共和国监察法", 1 + i % 20, False, item={"uid": f"{tag}{i}"})])


def _write_forever(url: str, user_id: int) -> None:
    """Big transactions in a loop until killed."""
    book = MistakeRepo(Database(url))
    i = 0
    while True:
        book.record(user_id, [MistakeMark(f"某法{k}", i % 50 + 1, False, item={"uid": f"{i}-{k}"}) for k in range(40)])
        i += 1


def _run(target, *argsets):
    ctx = mp.get_context("spawn")  # a fresh interpreter each: really two processes, two connections
    procs = [ctx.Process(target=target, args=a) for a in argsets]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0, f"writer exited with {p.exitcode}"


def test_two_processes_adding_users_keep_all(db):
    _run(_add_users, (db.url, "a", 25), (db.url, "b", 25))
    assert UserRepo(db).count() == 50


def test_two_processes_recording_mistakes_keep_all(db):
    uid = UserRepo(db).add("learner", "x", "学员").id
    _run(_record_mistakes, (db.url, uid, "p", 100), (db.url, uid, "q", 100))
    rows = MistakeRepo(db).all(uid)
    assert len(rows) == 20 and sum(r.wrong for r in rows) == 200


def test_a_writer_killed_mid_transaction_tears_nothing(db):
    uid = UserRepo(db).add("learner", "x", "学员").id
    ctx = mp.get_context("spawn")
    p = ctx.Process(target=_write_forever, args=(db.url, uid))
    p.start()
    deadline = time.time() + 120
    while not MistakeRepo(db).all(uid) and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    os.kill(p.pid, signal.SIGKILL)  # no chance to roll back or close anything
    p.join()
    rows = MistakeRepo(db).all(uid)
    assert rows and len(rows) % 40 == 0  # 40 rows per transaction: no transaction half-written
    per_article = {}
    for r in rows:
        per_article.setdefault(r.article, set()).add(r.wrong)
    assert all(len(w) == 1 for w in per_article.values())  # every transaction landed whole or not at all
    if db.is_sqlite:
        with db.read() as s:
            assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # the user's next submission is recorded as usual
    assert MistakeRepo(db).record(uid, [MistakeMark("中华人民共和国监察法", 5, False)]) == 1
    assert UserRepo(db).add("after", "x", "学员").id


@pytest.mark.slow
def test_learners_submitting_at_once_are_all_recorded(database_url):
    """benchmarks/sessions.py with a few learners (the full 50 is the benchmark's job)."""
    from benchmarks.sessions import run

    out = run(10, database_url)
    assert out["error_count"] == 0, out["errors"]
    assert out["recorded"] == 10 and out["recorded_once_each"] and out["answers_rows"] == 100
