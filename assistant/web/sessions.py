"""Handlers of organised exams: 待参加的考试 for learners; creating, closing and reporting for admins;
certificates; study records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from knowledge.errors import XuefaError

from assistant.db import COUNT_BEST, PAPER_PER_PERSON, utcnow
from assistant.sessions.certificate import certificate_docx
from assistant.sessions.report import build_report, write_xlsx

from . import render
from .auth import PermissionDenied, User, require_manager
from .context import WebContext
from .handlers import grade_paper, make_blueprint, safe_filename

SESSION_HEADERS = ["编号", "考试", "开放时间", "截止时间", "时长", "次数", "计分", "单位", "状态"]
STUDY_HEADERS = ["单位", "用户名", "姓名", "积分", "提问", "阅读法条", "阅读学习材料", "练习", "考试"]


# ---- organising -------------------------------------------------------------------------------------
def create_session(ctx: WebContext, user: User, title: str, preset: str, laws: str, units: list[str],
                   days: float, minutes: int, attempts: int, counts: str = COUNT_BEST,
                   pass_mark: float | None = None, levels: str = "", paper_mode: str = PAPER_PER_PERSON,
                   results_after_close: bool = False, single: int | None = None, multi: int | None = None,
                   judge: int | None = None, fill: int | None = None) -> str:
    require_manager(user)
    bp = make_blueprint(preset, laws or None, single, multi, judge, fill, minutes=minutes or None)
    levels_list = [x.strip() for x in (levels or "").replace("，", ",").split(",") if x.strip()]
    s = ctx.services.sessions.create(user, title=title, blueprint=bp, units=list(units or []), days=days,
                                     minutes=minutes, max_attempts=int(attempts or 1), counts=counts or COUNT_BEST,
                                     pass_mark=float(pass_mark) if pass_mark not in (None, "") and float(pass_mark) > 0
                                     else None,  # an empty number field arrives as 0: the preset's mark
                                     position_levels=levels_list, paper_mode=paper_mode or PAPER_PER_PERSON,
                                     results_after_close=bool(results_after_close))
    invited = len(ctx.services.sessions.invited(s))
    ctx.audit.record(user.name, "组织考试", s.title, session_id=s.id, invited=invited)
    return f"已创建考试“{s.title}”（编号 {s.id}），应考 {invited} 人。"


def session_rows(ctx: WebContext, user: User) -> list[list[Any]]:
    require_manager(user)
    paths = ctx.accounts.units.paths()
    now = utcnow()
    rows = []
    for s in ctx.services.sessions.visible_to(user):
        status = "已结束" if s.closed or now >= s.closes_at else ("进行中" if now >= s.opens_at else "未开始")
        rows.append([s.id, s.title, render.local_time(s.opens_at), render.local_time(s.closes_at), f"{s.minutes} 分钟",
                     s.max_attempts, {"best": "最高分", "last": "最后一次", "first": "第一次"}.get(s.counts, s.counts),
                     "、".join(paths.get(u, "") for u in s.unit_ids), status])
    return rows


def session_choices(ctx: WebContext, user: User) -> list[tuple[str, int]]:
    if not user.manages_units:
        return []
    return [(f"{s.id}. {s.title}", s.id) for s in ctx.services.sessions.visible_to(user)]


def close_session(ctx: WebContext, user: User, session_id: int) -> str:
    require_manager(user)
    if not session_id:
        raise XuefaError("请先选择一场考试。")
    s = ctx.services.sessions.close(int(session_id), actor=user)
    ctx.audit.record(user.name, "结束考试", s.title, session_id=s.id)
    return f"已结束考试“{s.title}”，成绩已公布。"


# ---- taking ------------------------------------------------------------------------------------------
def pending_html(ctx: WebContext, user: User) -> str:
    if user.id is None:
        return render.empty("本机模式下没有组织考试。")
    return render.pending_sessions(ctx.services.sessions.pending(user))


def pending_choices(ctx: WebContext, user: User) -> list[tuple[str, int]]:
    if user.id is None:
        return []
    return [(f"{p.session.title}（剩余 {p.left} 次）", p.session.id) for p in ctx.services.sessions.pending(user)
            if p.left or p.in_progress]


def start_session(ctx: WebContext, user: User, session_id: int | None) -> dict[str, Any]:
    if not session_id:
        raise XuefaError("请先选择一场待参加的考试。")
    paper_id, _, _ = ctx.services.sessions.start(user, int(session_id))
    view = ctx.services.desk.view(user.name, paper_id)  # no key; seconds left from the server's deadline
    view["session_id"] = int(session_id)
    return view


def submit_session(ctx: WebContext, user: User, paper_id: str, answers: dict) -> dict[str, Any]:
    """Grade the attempt; withhold the score when the session shows results only after it closes."""
    session = ctx.services.sessions.session_of_paper(paper_id)
    if session is None:
        raise XuefaError("这份试卷不属于组织考试。")
    out = grade_paper(ctx, user, paper_id, answers)
    if not ctx.services.sessions.results_visible(session):
        return {"withheld": True, "paper_id": paper_id,
                "message": f"已交卷。“{session.title}”的成绩将在 {render.local_time(session.closes_at)} 考试结束后公布。"}
    return out


def my_results(ctx: WebContext, user: User) -> list[list[Any]]:
    """One row per organised exam the user sat: title, counted score, result, certificate available."""
    from assistant.sessions.service import counted_attempt

    out = []
    sessions = ctx.services.sessions
    if user.id is None:
        return out
    seen = {}
    for a in sessions.attempts.for_user(user.id):
        if a.session_id:
            seen.setdefault(a.session_id, []).append(a)
    for sid, attempts in seen.items():
        s = sessions.sessions.get(sid)
        if s is None:
            continue
        if not sessions.results_visible(s):
            out.append([sid, s.title, "考试结束后公布", "", ""])
            continue
        c = counted_attempt(attempts, s.counts)
        passed = bool(c and c.score is not None and c.score >= s.pass_mark)
        out.append([sid, s.title, "" if c is None else f"{c.score:g}", "合格" if passed else "不合格",
                    "可下载" if passed else ""])
    return out


def certificate(ctx: WebContext, user: User, session_id: int | None) -> str:
    if not session_id:
        raise XuefaError("请先选择一场已合格的考试。")
    s = ctx.services.sessions.require(int(session_id))
    path = ctx.exports_dir(user) / f"{safe_filename(s.title, '考试')}（合格证书）.docx"
    return str(certificate_docx(ctx.services.sessions, user, s.id, path))


# ---- reports ------------------------------------------------------------------------------------------
def _report(ctx: WebContext, user: User, session_id: int | None):
    require_manager(user)
    if not session_id:
        raise XuefaError("请先选择一场考试。")
    s = ctx.services.sessions.require_visible(user, int(session_id))
    scope = None if user.is_admin else ctx.accounts.scope(user)
    return build_report(ctx.services.sessions, s, scope)


def report_html(ctx: WebContext, user: User, session_id: int | None) -> str:
    return render.session_report(_report(ctx, user, session_id))


def report_xlsx(ctx: WebContext, user: User, session_id: int | None) -> str:
    report = _report(ctx, user, session_id)
    return str(write_xlsx(report, ctx.exports_dir(user) / f"{safe_filename(report.title, '考试')}（成绩表）.xlsx"))


def score_sheet(ctx: WebContext, user: User, session_id: int | None) -> str:
    """A printable HTML score sheet (open and print from the browser)."""
    report = _report(ctx, user, session_id)
    path = ctx.exports_dir(user) / f"{safe_filename(report.title, '考试')}（成绩单）.html"
    path.write_text(render.score_sheet(report), encoding="utf-8")
    return str(path)


# ---- study records --------------------------------------------------------------------------------------
def study_html(ctx: WebContext, user: User, days: int = 365) -> str:
    if user.id is None:
        return render.empty("本机模式下不记录学习档案。")
    since = utcnow() - timedelta(days=int(days or 365))
    log = ctx.services.study
    return render.study_record(log.user_summary(user.id, since), log.records(user.id, since)[:50], int(days or 365))


def unit_study_rows(ctx: WebContext, user: User, days: int = 365) -> list[list[Any]]:
    if not user.manages_units:
        raise PermissionDenied("只有管理员或单位管理员可以查看单位的学习档案。")
    since = utcnow() - timedelta(days=int(days or 365))
    scope = None if user.is_admin else ctx.accounts.scope(user)
    return [[r["unit"], r["name"], r["display_name"], r["points"], r["提问"], r["阅读法条"], r["阅读学习材料"],
             r["练习"], r["考试"]] for r in ctx.services.study.unit_summary(scope, since)]


__all__ = ["create_session", "session_rows", "close_session", "pending_html", "start_session", "submit_session",
           "my_results", "certificate", "report_html", "report_xlsx", "score_sheet", "study_html",
           "unit_study_rows"]
