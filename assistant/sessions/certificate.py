"""A certificate (.docx) for a passed organised exam, through the python-docx adapter."""

from __future__ import annotations

from pathlib import Path

from knowledge.errors import XuefaError

from assistant.accounts.service import Account

from .service import ExamSessions, counted_attempt


def certificate_docx(sessions: ExamSessions, user: Account, session_id: int, path: Path | str) -> Path:
    """Only for the candidate's own counted, passed attempt once results are visible."""
    from assistant.export.word import OfficialDocument

    session = sessions.require(session_id)
    if not sessions.results_visible(session):
        raise XuefaError("成绩将在考试结束后公布，届时可下载合格证书。")
    counted = counted_attempt(sessions.attempts.for_user(user.id, session_id=session.id), session.counts)
    if counted is None or counted.score is None or counted.score < session.pass_mark:
        raise XuefaError(f"您在“{session.title}”中没有合格成绩，不能下载证书。")
    unit = sessions.accounts.units.path(user.unit_id) or "—"
    when = counted.submitted_at.astimezone()
    doc = OfficialDocument()
    doc.title("合格证书")
    doc.paragraph("")
    doc.paragraph(f"{user.display_name or user.name}（{unit}）：", bold=True)
    doc.paragraph(f"于 {when.year} 年 {when.month} 月 {when.day} 日参加“{session.title}”，成绩 {counted.score:g} 分"
                  f"（合格线 {session.pass_mark:g} 分），考试合格，特发此证。")
    doc.paragraph("")
    doc.paragraph(f"证书编号：XF-{session.id:04d}-{counted.id:06d}", right=True)
    doc.paragraph(f"{when.year} 年 {when.month} 月 {when.day} 日", right=True)
    return doc.save(path)
