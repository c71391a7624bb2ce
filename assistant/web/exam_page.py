"""The exam tab's logic as plain functions (no gradio): papers come from `ExamDesk`, so seeds and keys stay on
the server; one question per screen; answers live in the page's own state and a new paper starts empty.

A screen is a dict the tab turns into component updates:
    {"number", "index", "count", "type", "stem", "points", "choices", "value", "nav", "answered"}
`value` is always one of `choices` (or None/[]/""), which is what keeps gradio's "Value: 'A. 监察机关' is not in
the list of choices" error from coming back when a new paper has other options."""

from __future__ import annotations

import re
import time
from typing import Any

from knowledge.errors import XuefaError

from . import render

OFFICIAL_PRESET = "任前法律知识考试"


# ---- presets and blueprints ------------------------------------------------------------------------
def exam_presets() -> list[str]:
    from assistant.exam import PRESETS

    return list(PRESETS)


def preset_values(name: str) -> dict[str, Any]:
    """The form values of a preset: counts, points, minutes."""
    from assistant.exam import FILL, JUDGE, MULTI, PRESETS, SINGLE

    bp = PRESETS[name]
    return {"single": bp.counts.get(SINGLE, 0), "multi": bp.counts.get(MULTI, 0), "judge": bp.counts.get(JUDGE, 0),
            "fill": bp.counts.get(FILL, 0), "p_single": bp.points.get(SINGLE, 2), "p_multi": bp.points.get(MULTI, 3),
            "p_judge": bp.points.get(JUDGE, 2), "p_fill": bp.points.get(FILL, 2), "minutes": bp.minutes,
            "title": bp.title, "official": bp.official}


def split_laws(text: str | list[str] | None) -> list[str]:
    if text is None:
        return []
    if not isinstance(text, str):
        return [t.strip() for t in text if t and t.strip()]
    return [p.strip() for p in re.split(r"[,，、;；\n]+", text) if p.strip()]


def make_blueprint(preset: str, laws: str | list[str] | None = None, single: int | None = None,
                   multi: int | None = None, judge: int | None = None, fill: int | None = None,
                   p_single: float | None = None, p_multi: float | None = None, p_judge: float | None = None,
                   p_fill: float | None = None, minutes: int | None = None, include_local: bool = False,
                   party_member: bool = False):
    """A practice blueprint from the form. There is no seed here: the desk draws one on the server."""
    from assistant.exam import FILL, JUDGE, MULTI, PRESETS, SINGLE, Blueprint

    if preset not in PRESETS:
        raise XuefaError(f"没有这个预设：{preset}（可选：{'、'.join(PRESETS)}）")
    bp = Blueprint.preset(preset, party_member=bool(party_member))
    changed = False
    for kind, n in ((SINGLE, single), (MULTI, multi), (JUDGE, judge), (FILL, fill)):
        if n is not None and int(n) != bp.counts.get(kind, 0):
            if not 0 <= int(n) <= 100:
                raise XuefaError("每种题型的题数应在 0～100 之间。")
            bp.counts[kind] = int(n)
            changed = True
    for kind, p in ((SINGLE, p_single), (MULTI, p_multi), (JUDGE, p_judge), (FILL, p_fill)):
        if p is not None and float(p) != bp.points.get(kind):
            if not 0 < float(p) <= 100:
                raise XuefaError("每题分值应大于 0。")
            bp.points[kind] = float(p)
            changed = True
    if sum(bp.counts.values()) <= 0:
        raise XuefaError("试卷至少要有一道题。")
    if changed:
        bp.pass_mark = None  # a whole 60% of the new total
        bp.total = None  # the user's counts and points, not a 100-point paper
    if minutes:
        bp.minutes = max(1, min(int(minutes), 600))
    names = split_laws(laws)
    if names:
        bp.laws = {name: 1.0 for name in names}
    bp.include_local = bool(include_local)
    bp.official = False
    bp.title = f"{bp.title}（练习）" if not bp.title.endswith("练习") else bp.title
    return bp


# ---- papers ----------------------------------------------------------------------------------------
def start_official(ctx: Any, user: Any, party_member: bool = False, local: str | list[str] | None = None) -> dict:
    """The official paper: drawn on the server per attempt (or the open attempt resumed)."""
    return ctx.services.desk.start(user.name, OFFICIAL_PRESET, party_member=party_member, local=split_laws(local))


def generate_paper(ctx: Any, user: Any, blueprint: Any) -> dict:
    """A practice paper from the user's blueprint."""
    return ctx.services.desk.start(user.name, blueprint=blueprint)


def practice_paper(ctx: Any, user: Any, n: int = 10) -> dict:
    exams = ctx.services.exams
    if not exams.mistakes(user.name):
        raise XuefaError("错题本是空的：先做一份试卷，答错的题会自动记入错题本。")
    paper = exams.practice_from_mistakes(user.name, n=int(n or 10), seed=int(time.time()) % 100000)
    if not paper.items:
        raise XuefaError("错题涉及的法条暂时出不了新题，请稍后再试。")
    return ctx.services.desk.start_paper(user.name, paper, kind="mistakes")


def answer_letters(value: Any) -> str:
    """'B. 三日' -> 'B'; ['A. …', 'C. …'] -> 'AC'; text (填空) as is."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "".join(sorted({answer_letters(v) for v in value if v}))
    s = str(value).strip()
    m = re.match(r"^([A-H])\.\s", s)
    return m.group(1) if m else s


def grade_paper(ctx: Any, user: Any, paper_id: str, answers: dict | list | None) -> dict:
    """Submit once; the result carries keys and 解析 only because the attempt is now recorded."""
    if isinstance(answers, (list, tuple)):
        answers = {i: a for i, a in enumerate(answers, 1)}
    elif answers and answers.get(PAPER_KEY) not in (None, paper_id):
        answers = {}  # recorded on another paper: nothing of it is this paper's answer
    given = {int(k): answer_letters(v) for k, v in (answers or {}).items() if str(k).strip().isdigit()}
    return ctx.services.desk.submit(user.name, paper_id, given)


def export_paper(ctx: Any, user: Any, paper_id: str, paper: bool = True, key: bool = True,
                 ) -> tuple[str | None, str | None]:
    """Word files of the paper (no key) and of the key with 解析 — the key only after submission."""
    from assistant.exam import key_docx, paper_docx

    from .handlers import safe_filename  # noqa: PLC0415 - handlers imports this module

    p = ctx.services.desk.paper_for_export(user.name, paper_id, with_key=key)
    out = ctx.exports_dir(user)
    name = safe_filename(p.title, default="试卷")
    paper_path = str(paper_docx(p, out / f"{name}.docx")) if paper else None
    key_path = str(key_docx(p, out / f"{name}（答案与解析）.docx")) if key else None
    return paper_path, key_path


# ---- one question per screen -------------------------------------------------------------------------
def is_answered(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return bool(value)
    return value is not None and str(value).strip() != ""


PAPER_KEY = "paper"  # which paper an answers dict belongs to; answers of another paper are never shown or graded


def own_answers(view: dict | None, answers: dict | None) -> dict:
    """The answers that belong to this view's paper: a dict recorded on another paper counts as empty."""
    answers = answers or {}
    owner = answers.get(PAPER_KEY)
    if owner is not None and view and owner != view.get("paper_id"):
        return {}
    return answers


def unanswered(view: dict | None, answers: dict | None) -> list[int]:
    answers = own_answers(view, answers)
    return [it["number"] for it in (view or {}).get("items", []) if not is_answered(answers.get(str(it["number"])))]


def nav_choices(view: dict, answers: dict) -> list[tuple[str, int]]:
    """The answer sheet: one entry per item, ✓ once answered."""
    answers = own_answers(view, answers)
    return [(f"{it['number']}{' ✓' if is_answered(answers.get(str(it['number']))) else ''}", i)
            for i, it in enumerate(view.get("items", []))]


def screen(view: dict | None, answers: dict | None, index: int) -> dict[str, Any] | None:
    """What one question's screen shows; the stored answer is kept only if it is one of this item's choices."""
    if not view or not view.get("items"):
        return None
    answers = own_answers(view, answers)
    items = view["items"]
    index = max(0, min(int(index or 0), len(items) - 1))
    it = items[index]
    stored = answers.get(str(it["number"]))
    choices = list(it["choices"])
    if it["type"] == "多选":
        value = [v for v in (stored or []) if v in choices]
    elif it["type"] == "填空":
        value = str(stored or "")
    else:
        value = stored if stored in choices else None
    return {"number": it["number"], "index": index, "count": len(items), "type": it["type"], "stem": it["stem"],
            "heading": it.get("heading", ""),
            "points": it["points"], "choices": choices, "value": value, "nav": nav_choices(view, answers),
            "answered": len(items) - len(unanswered(view, answers))}


def record_answer(view: dict | None, answers: dict | None, index: int, value: Any) -> dict:
    """A new answers dict with this screen's answer set (the old one is never changed in place)."""
    out = dict(own_answers(view, answers))
    if view and view.get("items"):
        out[PAPER_KEY] = view.get("paper_id")
        it = view["items"][max(0, min(int(index or 0), len(view["items"]) - 1))]
        if it["type"] == "多选":
            value = sorted(v for v in (value or []) if v in it["choices"])
        elif it["type"] != "填空" and value not in it["choices"]:
            value = None
        out[str(it["number"])] = value
    return out


def confirm_text(view: dict | None, answers: dict | None) -> str:
    missing = unanswered(view, answers)
    if not missing:
        return "全部题目已作答，确定交卷吗？"
    shown = "、".join(str(n) for n in missing[:15]) + ("…" if len(missing) > 15 else "")
    return f"还有 {len(missing)} 题未作答（第 {shown} 题），确定交卷吗？交卷后不能再修改。"


# ---- history, 错题本 ---------------------------------------------------------------------------------
HISTORY_HEADERS = ["时间", "类型", "试卷", "得分", "结果", "错题数"]


def history_rows(ctx: Any, user: Any) -> list[list[Any]]:
    rows = []
    for h in ctx.services.desk.history(user.name):
        verdict = "合格" if h["passed"] else ("超时" if h["late"] else "不合格")
        rows.append([h["time"], "正式考试" if h["official"] else "练习", h["title"],
                     f'{h["score"]:g}/{h["total"]:g}', verdict, h["wrong"]])
    return rows


def mistakes_html(ctx: Any, user: Any) -> str:
    return render.mistakes_html(ctx.services.exams.mistakes(user.name))
