"""The 题库 tab's logic (no gradio): list, review, edit, generate, import and export bank items. Every function
re-checks server-side that the user is a 管理员 or 出题人."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge.errors import XuefaError

from .auth import PermissionDenied

BANK_HEADERS = ["编号", "状态", "题型", "法规", "条", "题干", "答案"]
ACTIONS = {"通过": "approve", "停用": "retire", "退回待审核": "reopen"}


def require_setter(user: Any) -> None:
    if not getattr(user, "sets_items", False):
        raise PermissionDenied("只有管理员或出题人可以管理题库。")


def _id(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise XuefaError("请先在题目列表中点选一道题（编号为数字）。") from exc


def bank_rows(ctx: Any, user: Any, status: str = "", law: str = "") -> list[list[Any]]:
    require_setter(user)
    return ctx.services.bank.rows(status=status or None, law=(law or "").strip() or None)


def bank_summary(ctx: Any, user: Any) -> str:
    require_setter(user)
    counts = ctx.services.bank.repo.counts()
    return "题库：" + "，".join(f"{k} {v} 道" for k, v in counts.items())


def bank_item(ctx: Any, user: Any, item_id: Any) -> dict[str, Any]:
    """One item's editable fields: stem, options (one a line), answer, explanation, and its basis."""
    require_setter(user)
    row = ctx.services.bank.repo.get(_id(item_id))
    if row is None:
        raise XuefaError(f"题库中没有编号为 {item_id} 的题目。")
    return {"id": row.id, "status": row.status, "type": row.type, "stem": row.stem,
            "options": "\n".join(row.options), "answer": row.answer, "explanation": row.explanation,
            "basis": f"《{row.doc_key}》第{row.article}条", "note": row.review_note or ""}


def bank_review(ctx: Any, user: Any, item_id: Any, action: str, note: str = "") -> str:
    require_setter(user)
    if action not in ACTIONS:
        raise XuefaError(f"操作只能是 {'、'.join(ACTIONS)}。")
    uid = ctx.user_id(user)
    row = getattr(ctx.services.bank, ACTIONS[action])(_id(item_id), uid, note or "")
    return f"第 {row.id} 题：{row.status}。"


def bank_edit(ctx: Any, user: Any, item_id: Any, stem: str, options: str, answer: str, explanation: str) -> str:
    require_setter(user)
    opts = [o.strip() for o in (options or "").split("\n") if o.strip()]
    row = ctx.services.bank.edit(_id(item_id), stem=stem or "", options=opts, answer=answer or "",
                                 explanation=explanation or "")
    return f"第 {row.id} 题已修改，状态回到“{row.status}”，需重新审核。"


def bank_harvest(ctx: Any, user: Any, laws: str, per_type: int = 20) -> str:
    from .exam_page import split_laws

    require_setter(user)
    names = split_laws(laws)
    if not names:
        raise XuefaError("请填写要出题的法规，例如：宪法，监察法。")
    n = ctx.services.bank.harvest(names, per_type=max(1, min(int(per_type or 20), 100)),
                                  created_by=ctx.user_id(user))
    return f"新增 {n} 道待审核题目（已在题库中的不重复加入）。"


def bank_export(ctx: Any, user: Any, status: str = "") -> str:
    require_setter(user)
    path = ctx.exports_dir(user) / "题库.xlsx"
    return str(ctx.services.bank.export_excel(path, status=status or None))


def bank_import(ctx: Any, user: Any, file: Any) -> str:
    require_setter(user)
    if not file:
        raise XuefaError("请先选择要导入的 Excel 文件（.xlsx）。")
    path = Path(getattr(file, "path", None) or getattr(file, "name", None) or file)
    if path.suffix.lower() != ".xlsx":
        raise XuefaError(f"{path.name}：只能导入 .xlsx 文件。")
    out = ctx.services.bank.import_excel(path, created_by=ctx.user_id(user))
    return f"已导入 {out['added']} 道手写题目，状态为待审核。"
