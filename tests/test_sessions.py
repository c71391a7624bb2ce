"""Organised exams end to end through the web handlers: invitations by unit, timed attempts on the server,
attempt limits, the counting rule, late submissions, withheld results, reports, .xlsx, certificates, study
records — on a real knowledge base and database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from knowledge.errors import XuefaError

from .test_web_handlers import PASSWORD, web_context


def _items(ctx, paper_id):
    from assistant.db import PaperRepo
    from assistant.exam import Paper

    return Paper.from_json(PaperRepo(ctx.db).get(paper_id).data).items


def _key(ctx, user, paper_id):
    return {it.number: it.answer for it in _items(ctx, paper_id)}


def _wrong(ctx, user, paper_id):
    """A wrong answer for every item (judge: the other letter; choices: a letter not in the key)."""
    out = {}
    for it in _items(ctx, paper_id):
        if it.type == "填空":
            out[it.number] = "不是这个词"
        elif it.type == "判断":
            out[it.number] = "B" if it.answer == "A" else "A"
        else:
            out[it.number] = next(x for x in "ABCD" if x not in it.answer)
    return out


@pytest.fixture
def org(services_small, tmp_path):
    ctx = web_context(services_small, tmp_path, users=[("admin", "管理员")])
    acc = ctx.accounts
    acc.units.ensure_path("某县/教育局")
    acc.units.ensure_path("某县/财政局")
    acc.add("edu_admin", PASSWORD, "单位管理员", unit="某县/教育局")
    for name, unit, level in (("a", "某县/教育局", "副科级"), ("b", "某县/教育局", "科员"), ("c", "某县/财政局", "副科级")):
        acc.add(name, PASSWORD, "学员", unit=unit, position_level=level)
    return ctx


def test_organised_exam_rules_report_and_certificate(org, tmp_path):
    from assistant.web import sessions as s
    from assistant.web.auth import PermissionDenied

    ctx = org
    boss, a, b, c = (ctx.user(n) for n in ("edu_admin", "a", "b", "c"))
    with pytest.raises(PermissionDenied, match="本单位"):
        s.create_session(ctx, boss, "财政局考试", "学法练习", "监察法", ["某县/财政局"], 1, 5, 2)
    with pytest.raises(XuefaError, match="没有现行有效的“不存在的法”"):
        s.create_session(ctx, boss, "x", "学法练习", "不存在的法", ["某县/教育局"], 1, 5, 2)
    msg = s.create_session(ctx, boss, "2026年度学法考试", "学法练习", "监察法", ["某县/教育局"], 1, 5, 2,
                           single=2, multi=0, judge=2, fill=0)
    assert "应考 3 人" in msg  # a, b and the unit admin (a cadre too); 财政局's c is not invited
    sid = ctx.services.sessions.sessions.list()[0].id
    assert "2026年度学法考试" in s.pending_html(ctx, a) and s.pending_html(ctx, c).count("xf-session") == 0
    with pytest.raises(PermissionDenied, match="参考范围"):
        s.start_session(ctx, c, sid)

    first = s.start_session(ctx, a, sid)
    assert len(first["items"]) == 4 and 0 < first["seconds_left"] <= 300 and "answer" not in str(first["items"][0])
    assert s.start_session(ctx, a, sid)["paper_id"] == first["paper_id"]  # reload resumes the same attempt
    res = s.submit_session(ctx, a, first["paper_id"], _key(ctx, a, first["paper_id"]))
    total = sum(it["points"] for it in first["items"])  # 学法练习: 单选 3 points, 判断 2 (syllabi.json)
    assert total == 2 * 3 + 2 * 2
    assert res["passed"] and res["score"] == res["total"] == total
    second = s.start_session(ctx, a, sid)
    assert second["paper_id"] != first["paper_id"]  # a fresh paper for the second attempt
    s.submit_session(ctx, a, second["paper_id"], _wrong(ctx, a, second["paper_id"]))
    with pytest.raises(XuefaError, match="最多可参加 2 次"):
        s.start_session(ctx, a, sid)
    pb = s.start_session(ctx, b, sid)
    assert not s.submit_session(ctx, b, pb["paper_id"], _wrong(ctx, b, pb["paper_id"]))["passed"]

    html = s.report_html(ctx, boss, sid)
    assert "应考 <b>3</b> 人，参考 <b>2</b> 人，合格 <b>1</b> 人" in html
    assert "合格率 <b id=\"xf-pass-rate\">33.3%</b>" in html
    assert "成绩分布" in html and "各单位合格率" in html
    with pytest.raises(PermissionDenied):
        s.report_html(ctx, a, sid)

    from openpyxl import load_workbook

    wb = load_workbook(s.report_xlsx(ctx, boss, sid))
    rows = [list(r) for r in wb["成绩单"].iter_rows(values_only=True)]
    assert rows[0][:9] == ["单位", "用户名", "姓名", "职务级别", "作答次数", "计分成绩", "最高分", "是否合格", "状态"]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["a"][0] == "某县/教育局" and by_name["a"][4] == 2 and by_name["a"][5] == total and by_name["a"][7] == "合格"
    assert by_name["b"][7] == "否" and by_name["edu_admin"][8] == "未参加" and set(by_name) == {"a", "b", "edu_admin"}
    sheet = open(s.score_sheet(ctx, boss, sid), encoding="utf-8").read()
    assert "成绩单" in sheet and "<td>a</td>" in sheet and "@page" in sheet

    cert = s.certificate(ctx, a, sid)
    from docx import Document

    text = "\n".join(p.text for p in Document(cert).paragraphs)
    assert "合格证书" in text and "2026年度学法考试" in text and f"成绩 {total:g} 分" in text
    with pytest.raises(XuefaError, match="没有合格成绩"):
        s.certificate(ctx, b, sid)
    assert [r[3] for r in s.my_results(ctx, a)] == ["合格"]

    study = ctx.services.study.user_summary(a.id)
    assert study["counts"]["考试"] == 2 and study["points"] == 5.0  # points for the passed exam only


def test_late_submissions_do_not_count_and_results_can_wait_for_close(org):
    from assistant.db import utcnow
    from assistant.sessions.report import build_report
    from assistant.web import sessions as s

    ctx = org
    a = ctx.user("a")
    sessions = ctx.services.sessions
    from assistant.exam import Blueprint

    bp = Blueprint.preset("学法练习", counts={"单选": 1, "多选": 0, "判断": 1, "填空": 0}, laws={"监察法": 1.0},
                            pass_mark=None)
    now = utcnow()
    late = sessions.create(None, title="迟交测试", blueprint=bp, units=["某县/教育局"], opens_at=now - timedelta(hours=2),
                           closes_at=now + timedelta(hours=1), minutes=5, max_attempts=1)
    paper_id, _, _ = sessions.start(a, late.id, now=now - timedelta(minutes=30))  # its deadline passed 25 min ago
    res = s.submit_session(ctx, a, paper_id, _key(ctx, a, paper_id))
    assert res["score"] == res["total"]  # graded and shown, but
    row = next(r for r in build_report(sessions, late).rows if r.name == "a")
    assert row.score is None and not row.passed and row.status == "超时交卷（不计分）"

    wait = sessions.create(None, title="结束后公布", blueprint=bp, units=["某县/教育局"], days=1, minutes=5,
                           results_after_close=True)
    view = s.start_session(ctx, a, wait.id)
    out = s.submit_session(ctx, a, view["paper_id"], _key(ctx, a, view["paper_id"]))
    assert out["withheld"] and "score" not in out and "考试结束后公布" in out["message"]
    assert ["考试结束后公布"] == [r[2] for r in s.my_results(ctx, a) if r[1] == "结束后公布"]
    with pytest.raises(XuefaError, match="考试结束后"):
        s.certificate(ctx, a, wait.id)
    s.close_session(ctx, ctx.user("admin"), wait.id)
    assert [r[3] for r in s.my_results(ctx, a) if r[1] == "结束后公布"] == ["合格"]
    assert s.certificate(ctx, a, wait.id).endswith(".docx")


def test_paper_in_progress_survives_a_restart(org, services_small, tmp_path):
    """A second WebContext over the same database (a restarted or second app instance) serves the same paper."""
    from assistant.web import handlers as h
    from assistant.web import sessions as s

    ctx = org
    a = ctx.user("a")
    from assistant.exam import Blueprint

    bp = Blueprint.preset("学法练习", counts={"单选": 1, "多选": 0, "判断": 1, "填空": 0}, laws={"监察法": 1.0},
                            pass_mark=None)
    sid = ctx.services.sessions.create(None, title="重启测试", blueprint=bp, units=["某县/教育局"], days=1, minutes=5).id
    view = s.start_session(ctx, a, sid)
    key = _key(ctx, a, view["paper_id"])
    again = web_context(services_small, tmp_path)  # same home, same xuefa.sqlite3: a restart
    assert s.start_session(again, again.user("a"), sid)["paper_id"] == view["paper_id"]
    res = h.grade_paper(again, again.user("a"), view["paper_id"], key)
    assert res["passed"]
    assert h.grade_paper(ctx, a, view["paper_id"], {})["score"] == res["score"]  # once only, seen by both


def test_report_names_the_weakest_articles(org):
    from assistant.sessions.report import build_report
    from assistant.web import sessions as s

    ctx = org
    s.create_session(ctx, ctx.user("admin"), "薄弱条文", "学法练习", "监察法", ["某县/教育局"], 1, 5, 1,
                     paper_mode="shared", single=0, multi=0, judge=3, fill=0)  # one paper: same articles
    sid = ctx.services.sessions.sessions.list()[0].id
    for name in ("a", "b", "edu_admin"):
        user = ctx.user(name)
        view = s.start_session(ctx, user, sid)
        s.submit_session(ctx, user, view["paper_id"], _wrong(ctx, user, view["paper_id"]))
    papers = {ctx.services.sessions.attempts.for_user(ctx.user(n).id)[0].paper_id for n in ("a", "b")}
    assert len(papers) == 2  # each candidate holds their own copy of the one paper
    report = build_report(ctx.services.sessions, ctx.services.sessions.require(sid))
    assert report.took == 3 and report.passed == 0 and report.weakest
    top = report.weakest[0]
    assert top["law"] == "中华人民共和国监察法" and top["error_rate"] == 1.0 and top["answered"] >= 3
