"""The exam desk on a real database (SQLite and PostgreSQL) and a real knowledge base: official papers drawn on
the server, keys only after the attempt is recorded, the replay attack of issue #11 closed, timing and limits."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from assistant.db import AttemptRepo, PaperRepo
from assistant.exam import Blueprint, Paper
from assistant.exam.desk import ExamDesk
from knowledge.errors import XuefaError
from tests.exam_support import exam_kb, exam_scope, exam_service  # noqa: F401  (fixtures)


class Clock:
    def __init__(self):
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def desk(db, exam_service, clock):
    return ExamDesk(exam_service, db, clock=clock)


def key_of(db, paper_id: str) -> dict[str, str]:
    """The right answers, read from the server's own record (what an attacker cannot see)."""
    paper = Paper.from_json(PaperRepo(db).get(paper_id).data)
    return {str(it.number): it.answer for it in paper.items}


def test_official_paper_comes_without_seed_or_key(desk, db):
    view = desk.start("zhang", "任前法律知识考试")
    assert view["official"] and view["items"] and view["seconds_left"] == 90 * 60
    text = json.dumps(view, ensure_ascii=False)
    assert "seed" not in text and "explanation" not in text and "answer" not in text
    stored = PaperRepo(db).get(view["paper_id"])
    assert stored.kind == "official" and stored.seed  # the seed is the server's, drawn at random
    assert desk.view("zhang", view["paper_id"])["items"] == view["items"]  # resume shows no key either
    with pytest.raises(XuefaError):
        desk.paper_for_export("zhang", view["paper_id"], with_key=True)
    with pytest.raises(XuefaError):  # another user cannot open it
        desk.view("li", view["paper_id"])


def test_replay_attack_is_closed(desk, db):
    """Issue #11: a blank submit returned the key and the same seed regenerated the same paper, recorded as an
    official pass. Now the blank submission is recorded first, the key cannot be replayed into that attempt,
    and the next official paper is a new draw."""
    first = desk.start("zhang", "任前法律知识考试")
    blank = desk.submit("zhang", first["paper_id"], {})
    assert blank["official"] and blank["score"] == 0 and not blank["passed"]
    assert all(r["key"] for r in blank["items"])  # the key is shown — after the attempt is recorded
    replay = {str(r["number"]): r["key"] for r in blank["items"]}
    again = desk.submit("zhang", first["paper_id"], replay)
    assert again["already"] and again["score"] == 0 and not again["passed"]
    att = AttemptRepo(db).for_paper(first["paper_id"], desk.user_id("zhang"))
    assert att.submitted_at is not None and att.score == 0 and not att.passed
    second = desk.start("zhang", "任前法律知识考试")
    assert second["paper_id"] != first["paper_id"]
    stems = lambda v: {it["stem"] for it in v["items"]}  # noqa: E731
    shown = lambda v: [(it["stem"], it["choices"]) for it in v["items"]]  # noqa: E731
    assert shown(second) != shown(first)  # the same seed regenerated the same paper: now a new draw
    # the small test bank (3 laws) makes overlap likely; the replayed key must still not fit (below)
    assert len(stems(first) & stems(second)) <= 0.75 * len(first["items"])
    result = desk.submit("zhang", second["paper_id"], replay)  # the old key does not fit the new paper
    assert not result["passed"]


def test_open_official_attempt_is_resumed_not_redrawn(desk, clock):
    a = desk.start("zhang", "任前法律知识考试")
    clock.now += timedelta(minutes=10)
    b = desk.start("zhang", "任前法律知识考试")
    assert b["paper_id"] == a["paper_id"] and b["seconds_left"] == 80 * 60


def test_official_attempts_are_limited_per_day(desk, clock):
    for _ in range(3):
        v = desk.start("zhang", "任前法律知识考试")
        desk.submit("zhang", v["paper_id"], {})
    with pytest.raises(XuefaError, match="次数已用完"):
        desk.start("zhang", "任前法律知识考试")
    practice = desk.start("zhang", blueprint=Blueprint(counts={"单选": 2, "多选": 0, "判断": 2, "填空": 0},
                                                       laws={"监察法": 1}))
    assert not practice["official"]  # practice is never limited
    clock.now += timedelta(days=1)
    assert desk.start("zhang", "任前法律知识考试")["official"]


def test_late_submission_is_recorded_and_does_not_pass(desk, db, clock):
    v = desk.start("zhang", "任前法律知识考试")
    clock.now += timedelta(minutes=95)
    res = desk.submit("zhang", v["paper_id"], key_of(db, v["paper_id"]))
    assert res["late"] and res["score"] == res["total"] and not res["passed"]


def test_an_expired_attempt_is_recorded_before_the_next_one(desk, clock):
    v = desk.start("zhang", "任前法律知识考试")
    clock.now += timedelta(hours=2)
    w = desk.start("zhang", "任前法律知识考试")
    assert w["paper_id"] != v["paper_id"]
    hist = desk.history("zhang")
    assert len(hist) == 1 and hist[0]["official"] and hist[0]["late"] and hist[0]["score"] == 0


def test_practice_is_marked_apart_from_official(desk, db):
    p = desk.start("zhang", blueprint=Blueprint(counts={"单选": 2, "多选": 1, "判断": 2, "填空": 1},
                                                laws={"监察法": 1}, official=True))
    assert not p["official"] and PaperRepo(db).get(p["paper_id"]).kind == "practice"
    res = desk.submit("zhang", p["paper_id"], key_of(db, p["paper_id"]))
    assert res["passed"] and res["score"] == res["total"]
    o = desk.start("zhang", "任前法律知识考试")
    desk.submit("zhang", o["paper_id"], {"1": "Z", "2": "好像对"})
    hist = desk.history("zhang")
    assert [h["official"] for h in hist] == [True, False]
    assert hist[0]["wrong"] == len(o["items"])


def test_answers_the_grader_cannot_read_are_reported(desk, db):
    p = desk.start("zhang", blueprint=Blueprint(counts={"单选": 1, "多选": 0, "判断": 1, "填空": 0},
                                                laws={"监察法": 1}))
    numbers = {it["type"]: it["number"] for it in p["items"]}
    res = desk.submit("zhang", p["paper_id"], {str(numbers["单选"]): "AB", str(numbers["判断"]): "也许"})
    reasons = {x["number"]: x["reason"] for x in res["not_understood"]}
    assert set(reasons) == set(numbers.values())
    assert "只能选一个" in reasons[numbers["单选"]] and "无法识别" in reasons[numbers["判断"]]
