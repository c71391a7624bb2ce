"""What the web app does, as plain functions over `WebContext` and a `User`: no gradio here, so tests call
them without a browser. Every knowledge-base handler re-checks the role server-side; HTML comes from
`render` (which escapes every piece of text from a document, an answer or a user)."""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from knowledge.errors import XuefaError

from assistant.textsafe import md_text
from assistant.db import STUDY_ARTICLE, STUDY_ASK, STUDY_BRIEF

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
    """law_id|number|sub|paragraph|item: what the article viewer opens and highlights."""
    return (f"{c.law_id}|{c.article}|{getattr(c, 'sub', 0) or 0}|{getattr(c, 'paragraph', None) or ''}"
            f"|{getattr(c, 'item', None) or ''}")








def citation_choices(answer: Any) -> list[tuple[str, str]]:
    """Citation chips: one per cited unit, opening the article with that 款/项 highlighted."""
    if answer is None:
        return []
    cites = list(answer.citations) or list(getattr(answer, "nearest", []) or [])
    seen, out = set(), []
    for c in cites:
        key = citation_key(c)
        if key not in seen:
            seen.add(key)
            out.append((c.cite.replace("中华人民共和国", ""), key))
    return out


def chat_stream(ctx: WebContext, user: User, message: str, history: list[dict] | None,
                turns: list | None = None, law: str | None = None,
                level: str | None = None) -> Iterator[tuple[list[dict], Any]]:
    """Yields (chat messages, None) while streaming, then (chat messages, Answer).

    `turns` is the session's previous [question, Answer, ...] so follow-ups ("那违反了怎么处理？") resolve."""
    message = (message or "").strip()
    history = list(history or [])
    if not message:
        yield history, None
        return
    if len(message) > 2000:
        raise XuefaError("问题太长（超过 2000 字），请精简后再问。")
    history = history + [{"role": "user", "content": md_text(message)}, {"role": "assistant", "content": "…"}]
    yield history, None
    past = []
    for t in turns or []:
        past.append({"role": "user", "content": t} if isinstance(t, str) else t)
    text = ""
    final = None
    for part in ctx.services.answerer.stream(message, history=past, law=law or None, level=level or None):
        if isinstance(part, str):
            text += part
            history[-1] = {"role": "assistant", "content": md_text(text)}
            yield history, None
        else:
            final = part
    if final is None:
        raise XuefaError("没有得到回答，请重试。")
    history[-1] = {"role": "assistant", "content": answer_markdown(final)}
    ctx.study(user, STUDY_ASK, message)
    if turns is not None:
        turns.extend([message, final])
    yield history, final


def ask(ctx: WebContext, user: User, question: str, law: str | None = None, level: str | None = None) -> dict:
    """One question, no streaming: the Answer's JSON (the API endpoint)."""
    question = (question or "").strip()
    if not question:
        raise XuefaError("请输入问题。")
    out = ctx.services.answerer.answer(question, law=law or None, level=level or None).to_json()
    ctx.study(user, STUDY_ASK, question)
    return out


def article_html(ctx: WebContext, user: User, key: str, around: int = 2) -> str:
    """The whole article with `around` articles either side (key: law_id|number|sub[|paragraph|item])."""
    try:
        law_id, number, sub, *rest = (key or "").split("|")
        number, sub = int(number), int(sub or 0)
        paragraph, item = (int(x) if x else None for x in (rest + ["", ""])[:2])
    except ValueError:
        return render.empty("请先在上方选择一条引用。")
    cat = ctx.services.catalog
    law = cat.law(law_id)
    art = cat.article(law_id, number, sub) if law else None
    if art is None:
        return render.empty("知识库中已没有这一条。")
    unit = art.paragraph_text(paragraph, item) if (paragraph or item) else None
    ctx.study(user, STUDY_ARTICLE, f"《{law.title}》{art.label}", law_id=law.law_id)
    return render.article_context(law, cat.neighbours(art, before=around, after=around), art.ordinal, unit)


# ---- 考试 ------------------------------------------------------------------------------------------
# The exam tab's logic is in exam_page: papers and attempts through `services.desk` (ExamDesk), so seeds and
# keys never leave the server before an attempt is recorded.
from .exam_page import (answer_letters, exam_presets, export_paper, generate_paper, grade_paper,  # noqa: E402,F401
                        history_rows, make_blueprint, mistakes_html, practice_paper, preset_values, split_laws,
                        start_official)


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
    ctx.study(user, STUDY_BRIEF, topic)
    path = ctx.exports_dir(user) / f"{safe_filename(brief.title, default='会前学法')}.docx"
    brief.to_docx(path)
    return brief.to_markdown(), str(path), brief.to_json()  # its document text is escaped as it is rendered


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


def discard_temp_files(files: Iterable, temp_root: str | Path) -> int:
    """Delete uploaded temp files (and their emptied folders) under `temp_root`; other paths are left alone."""
    root = Path(temp_root).resolve()
    n = 0
    for f in files or []:
        src = Path(f if isinstance(f, (str, Path)) else (getattr(f, "path", None) or getattr(f, "name")))
        try:
            src = src.resolve()
            if not src.is_relative_to(root) or src == root or not src.is_file():
                continue
            src.unlink()
            n += 1
            if src.parent != root and not any(src.parent.iterdir()):
                src.parent.rmdir()
        except OSError:
            log.warning("临时上传文件删除失败：%s", src, exc_info=True)
    return n


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
        if q and q not in law.title and q != law.level:  # a level name (党内法规, 司法解释…) filters by level
            continue
        rows.append([law.law_id, law.title, law.level, law.region or "", law.status,
                     "内置法规库" if law.source == "national" else "本地导入", counts.get(law.law_id, 0)])
    rows.sort(key=lambda r: (r[5] != "本地导入", r[1]))
    return rows


def document_html(ctx: WebContext, user: User, law_id: str) -> str:
    require_admin(user)
    cat = ctx.services.catalog
    law = cat.law((law_id or "").strip())
    if law is None:
        return render.empty("请在上表中点选一个文档。")
    return render.document_html(law, cat.articles(law.law_id))


def _to_delete(ctx: WebContext, user: User, law_id: str):
    """The selected document and its article count (admins only)."""
    require_admin(user)
    law = ctx.services.catalog.law((law_id or "").strip())
    if law is None:
        raise XuefaError("请先在文档列表中选择要删除的文档。")
    return law, ctx.services.catalog.article_count(law.law_id)


def delete_preview(ctx: WebContext, user: User, law_id: str) -> str:
    """What deleting would remove, for the confirmation step (Markdown, document text escaped)."""
    law, n = _to_delete(ctx, user, law_id)
    text = f"确定要删除《{md_text(law.title)}》（{n} 条）吗？删除后问答、考试和学习材料都不再使用它。"
    if law.source == "national":
        text += ("\n\n这是内置国家法律库中的文件，删除会影响所有用户（例如任前法律知识考试的默认范围）；"
                 "删除后可在下方“恢复内置文档”中恢复。")
    else:
        text += "\n\n本地导入的文件删除后，需要重新上传才能恢复。"
    return text


def delete_document(ctx: WebContext, user: User, law_id: str) -> str:
    law, n = _to_delete(ctx, user, law_id)
    ctx.services.kb.remove_document(law.law_id)
    ctx.audit.record(user.name, "删除", law.title, law_id=law.law_id, articles=n)
    return f"已删除《{md_text(law.title)}》（{n} 条）。"


def restorable_documents(ctx: WebContext, user: User) -> list[str]:
    """Titles of built-in documents that were deleted and can be restored."""
    from ingest.restore import missing_builtins

    require_admin(user)
    return missing_builtins(ctx.services.catalog)


def restore_document(ctx: WebContext, user: User, title: str) -> str:
    from ingest.restore import restore_builtin

    require_admin(user)
    if not (title or "").strip():
        raise XuefaError("请先选择要恢复的内置文档。")
    restored = restore_builtin(ctx.services.kb, title)
    for law in restored:
        ctx.audit.record(user.name, "恢复", law.title, law_id=law.law_id,
                         articles=ctx.services.catalog.article_count(law.law_id))
    return "已恢复：" + "、".join(f"《{md_text(law.title)}》" for law in restored) + "。"


AUDIT_HEADERS = ["时间", "用户", "操作", "文档", "条数"]


def audit_rows(ctx: WebContext, user: User, limit: int = 200) -> list[list[Any]]:
    require_admin(user)
    return [[e["time"].replace("T", " "), e["user"], e["action"], e["target"], e.get("articles", "")]
            for e in ctx.audit.entries(limit)]


__all__ = ["WebContext", "PermissionDenied", "chat_stream", "ask", "article_html", "make_blueprint",
           "generate_paper", "grade_paper", "practice_paper", "export_paper", "write_brief", "upload_documents",
           "list_documents", "document_html", "delete_preview", "delete_document", "restorable_documents",
           "restore_document", "discard_temp_files", "audit_rows"]
