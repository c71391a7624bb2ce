"""What the web app does, as plain functions over `WebContext` and a `User`: no gradio here, so tests call
them without a browser. Every knowledge-base handler re-checks the role server-side; HTML comes from
`render` (which escapes every piece of text from a document, an answer or a user)."""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from knowledge.errors import XuefaError

from . import render
from .auth import PermissionDenied, User, require_admin
from .context import WebContext
from .render import answer_markdown, chart_html, citations_html, esc, esc_lines, md_safe, result_html  # noqa: F401

log = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
LETTERS = "ABCDEFGH"
Progress = Callable[[int, int, str], None]


def user_message(exc: BaseException) -> str:
    """A plain-Chinese message for the UI; internal errors are logged, not shown."""
    if isinstance(exc, (XuefaError, ValueError)):
        return str(exc)
    log.exception("internal error", exc_info=exc)
    return f"处理时发生内部错误（{type(exc).__name__}），请稍后重试或联系管理员。"


# ---- 问答 ------------------------------------------------------------------------------------------
def citation_key(c: Any) -> str:
    return f"{c.law_id}|{c.article}|{getattr(c, 'sub', 0) or 0}"








def citation_choices(answer: Any) -> list[tuple[str, str]]:
    if answer is None:
        return []
    cites = list(answer.citations) or list(getattr(answer, "nearest", []) or [])
    seen, out = set(), []
    for c in cites:
        key = citation_key(c)
        if key not in seen:
            seen.add(key)
            out.append((f"《{c.law}》{c.label}", key))
    return out


def chat_stream(ctx: WebContext, user: User, message: str, history: list[dict] | None,
                turns: list | None = None, law: str | None = None) -> Iterator[tuple[list[dict], Any]]:
    """Yields (chat messages, None) while streaming, then (chat messages, Answer).

    `turns` is the session's previous [question, Answer, ...] so follow-ups ("那违反了怎么处理？") resolve."""
    message = (message or "").strip()
    history = list(history or [])
    if not message:
        yield history, None
        return
    if len(message) > 2000:
        raise XuefaError("问题太长（超过 2000 字），请精简后再问。")
    history = history + [{"role": "user", "content": md_safe(message)}, {"role": "assistant", "content": "…"}]
    yield history, None
    past = []
    for t in turns or []:
        past.append({"role": "user", "content": t} if isinstance(t, str) else t)
    text = ""
    final = None
    for part in ctx.services.answerer.stream(message, history=past, law=law or None):
        if isinstance(part, str):
            text += part
            history[-1] = {"role": "assistant", "content": md_safe(text)}
            yield history, None
        else:
            final = part
    if final is None:
        raise XuefaError("没有得到回答，请重试。")
    history[-1] = {"role": "assistant", "content": answer_markdown(final)}
    if turns is not None:
        turns.extend([message, final])
    yield history, final


def ask(ctx: WebContext, user: User, question: str, law: str | None = None) -> dict:
    """One question, no streaming: the Answer's JSON (the API endpoint)."""
    question = (question or "").strip()
    if not question:
        raise XuefaError("请输入问题。")
    return ctx.services.answerer.answer(question, law=law or None).to_json()


def article_html(ctx: WebContext, user: User, key: str, around: int = 2) -> str:
    """The whole article with `around` articles either side (key: law_id|number|sub)."""
    try:
        law_id, number, sub = (key or "").split("|")
        number, sub = int(number), int(sub or 0)
    except ValueError:
        return render.empty("请先在上方选择一条引用。")
    cat = ctx.services.catalog
    law = cat.law(law_id)
    art = cat.article(law_id, number, sub) if law else None
    if art is None:
        return render.empty("知识库中已没有这一条。")
    return render.article_context(law, cat.neighbours(art, before=around, after=around), art.ordinal)


# ---- 考试 ------------------------------------------------------------------------------------------
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
            "title": bp.title}


def split_laws(text: str | Iterable[str] | None) -> list[str]:
    if text is None:
        return []
    if not isinstance(text, str):
        return [t.strip() for t in text if t and t.strip()]
    return [p.strip() for p in re.split(r"[,，、;；\n]+", text) if p.strip()]


def make_blueprint(preset: str, laws: str | list[str] | None = None, single: int | None = None,
                   multi: int | None = None, judge: int | None = None, fill: int | None = None,
                   p_single: float | None = None, p_multi: float | None = None, p_judge: float | None = None,
                   p_fill: float | None = None, minutes: int | None = None, seed: int | None = None,
                   include_local: bool = False):
    from assistant.exam import FILL, JUDGE, MULTI, PRESETS, SINGLE, Blueprint

    if preset not in PRESETS:
        raise XuefaError(f"没有这个预设：{preset}（可选：{'、'.join(PRESETS)}）")
    bp = Blueprint.preset(preset)
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
        bp.pass_mark = None  # 60% of the new total
        bp.title = f"{preset}（自定义）" if preset == "任前法律知识考试" else bp.title
    if minutes:
        bp.minutes = max(1, min(int(minutes), 600))
    bp.laws = {name: 1.0 for name in split_laws(laws)}
    bp.include_local = bool(include_local)
    bp.seed = int(seed) if seed not in (None, "") else int(time.time() * 1000) % 1_000_000
    return bp


def item_view(item: Any) -> dict[str, Any]:
    """An item as the candidate sees it: no key, no 解析."""
    from assistant.exam.models import JUDGE_OPTIONS

    options = JUDGE_OPTIONS if item.type == "判断" else list(item.options)
    return {"number": item.number, "type": item.type, "stem": item.stem, "points": item.points,
            "choices": [f"{LETTERS[i]}. {o}" for i, o in enumerate(options)] if item.type != "填空" else []}


def paper_view(paper: Any, paper_id: str) -> dict[str, Any]:
    return {"paper_id": paper_id, "title": paper.title, "minutes": paper.minutes, "total": paper.total,
            "pass_mark": paper.pass_mark, "notes": list(paper.notes), "scope": list(paper.scope),
            "items": [item_view(it) for it in paper.items]}


def generate_paper(ctx: WebContext, user: User, blueprint) -> dict[str, Any]:
    paper = ctx.services.exams.generate(blueprint)
    if not paper.items:
        raise XuefaError("按当前范围没有出出题目，请换一个考试范围（如：宪法、监察法）。")
    return paper_view(paper, ctx.keep_paper(user, paper))


def practice_paper(ctx: WebContext, user: User, n: int = 10) -> dict[str, Any]:
    if not ctx.services.exams.mistakes(user.name):
        raise XuefaError("错题本是空的：先做一份试卷，答错的题会自动记入错题本。")
    paper = ctx.services.exams.practice_from_mistakes(user.name, n=int(n or 10),
                                                       seed=int(time.time()) % 100000)
    if not paper.items:
        raise XuefaError("错题涉及的法条暂时出不了新题，请稍后再试。")
    return paper_view(paper, ctx.keep_paper(user, paper))


def answer_letters(value: Any) -> str:
    """'B. 三日' -> 'B'; ['A. …', 'C. …'] -> 'AC'; text (填空) as is."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "".join(sorted({answer_letters(v) for v in value if v}))
    s = str(value).strip()
    m = re.match(r"^([A-H])\.\s", s)
    return m.group(1) if m else s


def graded_view(paper: Any, result: dict[str, Any], paper_id: str, started: float | None = None) -> dict[str, Any]:
    """The graded result as the candidate sees it: keys, 解析 and stems beside each answer."""
    out = dict(result)
    elapsed = out.get("elapsed_seconds", 0)
    out.update(title=paper.title, elapsed_seconds=round(elapsed), overtime=elapsed > paper.minutes * 60 + 30,
               paper_id=paper_id)
    by_number = {it.number: it for it in paper.items}
    items = []
    for r in out["items"]:
        it = by_number.get(r["number"])
        items.append(dict(r, stem=it.stem if it else "", answer_text=it.answer_text if it else r["key"],
                          explanation=it.explanation if it else ""))
    out["items"] = items
    return out


def grade_paper(ctx: WebContext, user: User, paper_id: str, answers: dict | list) -> dict[str, Any]:
    """Grade the server-held paper once; the exam service records the attempt and the 错题本.
    Returns the result with keys and 解析 (a second submission returns the first result)."""
    rec = ctx.paper(user, paper_id)
    if rec.graded is not None:
        return graded_view(rec.paper, rec.graded, paper_id)
    if isinstance(answers, (list, tuple)):
        answers = {i: a for i, a in enumerate(answers, 1)}
    given = {int(k): answer_letters(v) for k, v in (answers or {}).items()}
    try:
        ctx.services.exams.grade(rec.paper, given, user=user.name, attempt_id=rec.attempt_id)
    except XuefaError:
        rec = ctx.paper(user, paper_id)  # submitted meanwhile (another tab or instance): show that result
        if rec.graded is None:
            raise
    rec = ctx.paper(user, paper_id)
    return graded_view(rec.paper, rec.graded, paper_id)






def export_paper(ctx: WebContext, user: User, paper_id: str, paper: bool = True,
                 key: bool = True) -> tuple[str | None, str | None]:
    """Word files of the paper (no key) and of the key with 解析. The key only once the paper is graded."""
    from assistant.exam import key_docx, paper_docx

    rec = ctx.paper(user, paper_id)
    p = rec.paper
    if key and rec.graded is None:
        raise XuefaError("交卷后才能下载答案与解析。")
    out = ctx.exports_dir(user)
    name = safe_filename(p.title, default="试卷")
    paper_path = str(paper_docx(p, out / f"{name}.docx")) if paper else None
    key_path = str(key_docx(p, out / f"{name}（答案与解析）.docx")) if key else None
    return paper_path, key_path


def mistakes_html(ctx: WebContext, user: User) -> str:
    return render.mistakes_html(ctx.services.exams.mistakes(user.name))


def history_rows(ctx: WebContext, user: User) -> list[list[Any]]:
    return [[h["time"].astimezone().strftime("%Y-%m-%d %H:%M:%S"), h["title"], f'{h["score"]:g}/{h["total"]:g}',
             "合格" if h["passed"] else "不合格", h.get("wrong", 0)]
            for h in ctx.services.exams.records.history(user.name)]


# ---- 会前学法 ---------------------------------------------------------------------------------------
def write_brief(ctx: WebContext, user: User, topic: str, laws: str | list[str] | None = None,
                length: str = "standard") -> tuple[str, str, dict]:
    """(markdown preview, .docx path, json)."""
    topic = (topic or "").strip()
    if not topic:
        raise XuefaError("请输入学习主题，例如：安全生产、政府信息公开。")
    if len(topic) > 200:
        raise XuefaError("主题太长，请控制在 200 字以内。")
    brief = ctx.services.briefs.write(topic, laws=split_laws(laws) or None, length=length or "standard")
    path = ctx.exports_dir(user) / f"{safe_filename(brief.title, default='会前学法')}.docx"
    brief.to_docx(path)
    return md_safe(brief.to_markdown()), str(path), brief.to_json()


# ---- 知识库 ----------------------------------------------------------------------------------------
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff()（）《》\-.]+")


def safe_filename(name: str, default: str = "文件") -> str:
    """A file name with no path parts, no control or shell characters, at most 100 characters."""
    base = Path(str(name or "").replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip("._ ")
    return base[:100] or default


def save_uploads(ctx: WebContext, files: Iterable[str | Path]) -> tuple[list[Path], list[dict]]:
    """Copy uploaded temp files under <home>/uploads/<date>/<hash>/<safe name>; refuse wrong types and sizes."""
    saved: list[Path] = []
    rejected: list[dict] = []
    for f in files or []:
        if isinstance(f, (str, Path)):
            src = Path(f)
        else:  # a gradio FileData-like object
            src = Path(getattr(f, "path", None) or getattr(f, "name"))
        orig = getattr(f, "orig_name", None) or src.name
        name = safe_filename(orig)
        ext = Path(name).suffix.lower()
        if ext not in ALLOWED_EXTENSIONS:
            rejected.append({"path": orig, "reason": f"不支持的文件类型（{ext or '无扩展名'}），"
                                                     f"只能上传 {'、'.join(ALLOWED_EXTENSIONS)}"})
            continue
        try:
            size = src.stat().st_size
        except OSError:
            rejected.append({"path": orig, "reason": "文件没有上传成功，请重新上传"})
            continue
        if size > ctx.max_bytes:
            rejected.append({"path": orig, "reason": f"文件过大（{size / 1048576:.1f} MB），"
                                                     f"上限 {ctx.settings.max_upload_mb} MB"})
            continue
        if size == 0:
            rejected.append({"path": orig, "reason": "文件是空的"})
            continue
        digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
        dest_dir = ctx.settings.uploads_dir / datetime.now().strftime("%Y%m%d") / digest
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / name
        shutil.copyfile(src, dest)
        saved.append(dest)
    return saved, rejected


def upload_documents(ctx: WebContext, user: User, files: Iterable, level: str | None = None,
                     region: str | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """Save and ingest uploads. Returns {rows: [[文件, 结果, 标题, 条数, 说明]], summary, report}."""
    require_admin(user)
    files = list(files or [])
    if not files:
        raise XuefaError("请先选择要上传的文件。")
    saved, rejected = save_uploads(ctx, files)
    report = ctx.services.ingest(saved, level=level or None, region=region or None,
                                 progress=progress).to_json() if saved else \
        {"added": [], "unchanged": [], "replaced": [], "failed": []}
    report["failed"] = list(report["failed"]) + rejected
    rows = []
    for kind, label in (("added", "新增"), ("replaced", "更新"), ("unchanged", "未变化（已在库中）")):
        for d in report[kind]:
            rows.append([Path(d["path"]).name, label, d["title"], d["articles"], "；".join(d.get("warnings") or [])])
    ctx.audit.record_ingest(user.name, report)
    for d in report["failed"]:
        rows.append([Path(d["path"]).name, "失败", "", 0, d["reason"]])
    summary = (f"新增 {len(report['added'])} 件，更新 {len(report['replaced'])} 件，"
               f"未变化 {len(report['unchanged'])} 件，失败 {len(report['failed'])} 件。")
    return {"rows": rows, "summary": summary, "report": report}


DOC_HEADERS = ["编号", "标题", "效力级别", "地区", "时效性", "来源", "条数"]


def list_documents(ctx: WebContext, user: User, query: str = "", source: str | None = None) -> list[list[Any]]:
    require_admin(user)
    cat = ctx.services.catalog
    counts = cat.article_counts()
    q = (query or "").strip()
    rows = []
    for law in cat.laws(source=source or None):
        if q and q not in law.title:
            continue
        rows.append([law.law_id, law.title, law.level, law.region or "", law.status,
                     "国家法律库" if law.source == "national" else "本地导入", counts.get(law.law_id, 0)])
    rows.sort(key=lambda r: (r[5] != "本地导入", r[1]))
    return rows


def document_html(ctx: WebContext, user: User, law_id: str) -> str:
    require_admin(user)
    cat = ctx.services.catalog
    law = cat.law((law_id or "").strip())
    if law is None:
        return render.empty("请在上表中点选一个文档。")
    return render.document_html(law, cat.articles(law.law_id))


def delete_document(ctx: WebContext, user: User, law_id: str) -> str:
    require_admin(user)
    law = ctx.services.catalog.law((law_id or "").strip())
    if law is None:
        raise XuefaError("请先在文档列表中选择要删除的文档。")
    n = ctx.services.catalog.article_count(law.law_id)
    ctx.services.kb.remove_document(law.law_id)
    ctx.audit.record(user.name, "删除", law.title, law_id=law.law_id, articles=n)
    return f"已删除《{law.title}》（{n} 条）。"


AUDIT_HEADERS = ["时间", "用户", "操作", "文档", "条数"]


def audit_rows(ctx: WebContext, user: User, limit: int = 200) -> list[list[Any]]:
    require_admin(user)
    return [[e["time"].replace("T", " "), e["user"], e["action"], e["target"], e.get("articles", "")]
            for e in ctx.audit.entries(limit)]


__all__ = ["WebContext", "PermissionDenied", "chat_stream", "ask", "article_html", "make_blueprint",
           "generate_paper", "grade_paper", "practice_paper", "export_paper", "write_brief", "upload_documents",
           "list_documents", "document_html", "delete_document", "audit_rows"]
