"""会前学法 review handlers: save a generated brief as a draft, edit it, send it for review, approve or return it
(admins), download the approved version. Plain functions over `WebContext` and a `User`, like handlers.py."""

from __future__ import annotations

from typing import Any

from knowledge.errors import XuefaError

from .context import WebContext
from .handlers import safe_filename, split_laws
from assistant.textsafe import md_text

HISTORY_HEADERS = ["版本", "状态", "操作", "操作人", "时间", "说明"]
LIST_HEADERS = ["编号", "标题", "状态", "版本", "编制人"]


def _reviews(ctx: WebContext):
    from assistant.brief.review import BriefReviews, DbBriefStore

    return BriefReviews(DbBriefStore(ctx.db))


def parse_id(brief_id: Any) -> int:
    text = str(brief_id or "").split("·")[0].strip()
    if not text.isdigit():
        raise XuefaError("请先选择一份学习材料。")
    return int(text)


def choices(ctx: WebContext, user) -> list[str]:
    """'12 · 会前学法材料：… （待审核）', newest first."""
    return [f"{r.id} · {r.title}（{r.status}）" for r in _reviews(ctx).store.list()]


def view(ctx: WebContext, user, brief_id: Any) -> tuple[str, str, list[list[str]]]:
    """(editable Markdown, status line, history rows) of one stored brief."""
    r = _reviews(ctx).store.get(parse_id(brief_id))
    status = f"**{md_text(r.title)}** · 第{r.version}版 · {md_text(r.status)}"
    if r.reviewer:
        status += f" · 审核人：{md_text(r.reviewer)}"
    if r.note:
        status += f" · 意见：{md_text(r.note)}"
    rows = [[str(v.version), v.status, v.action, v.editor or "—", v.at.strftime("%Y-%m-%d %H:%M"), v.note]
            for v in _reviews(ctx).store.revisions(r.id)]
    return r.markdown, status, rows


def save_draft(ctx: WebContext, user, topic: str, laws: str | None = None, length: str = "standard",
               unit: str | None = None) -> int:
    topic = (topic or "").strip()
    if not topic:
        raise XuefaError("请输入学习主题，例如：安全生产、政府信息公开。")
    brief = ctx.services.briefs.write(topic, laws=split_laws(laws) or None, length=length or "standard",
                                      unit=unit)
    return _reviews(ctx).save_draft(brief, user.name).id


def edit(ctx: WebContext, user, brief_id: Any, markdown: str, note: str = "") -> int:
    return _reviews(ctx).edit(parse_id(brief_id), markdown, user.name, (note or "").strip()).id


def submit(ctx: WebContext, user, brief_id: Any) -> int:
    return _reviews(ctx).submit(parse_id(brief_id), user.name).id


def approve(ctx: WebContext, user, brief_id: Any, note: str = "") -> int:
    return _reviews(ctx).approve(parse_id(brief_id), user, (note or "").strip()).id


def send_back(ctx: WebContext, user, brief_id: Any, note: str) -> int:
    return _reviews(ctx).send_back(parse_id(brief_id), user, note or "").id


def final_docx(ctx: WebContext, user, brief_id: Any) -> str:
    reviews = _reviews(ctx)
    r = reviews.store.get(parse_id(brief_id))
    path = ctx.exports_dir(user) / f"{safe_filename(r.title, default='会前学法')}（定稿）.docx"
    return str(reviews.final_docx(r.id, path))
