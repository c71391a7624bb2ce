"""Review before the meeting: a brief is saved as a 草稿, edited, sent for review (待审核), approved by an admin
(已批准) or returned; every step is a revision. The approved version prints the reviewer and the date.

`BriefReviews` holds the rules (who may approve, what is printed); storage is a `BriefStore`:
`DbBriefStore` over `assistant.db` (BriefRepo + UserRepo), `MemoryBriefStore` as the fake for tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from knowledge.errors import NotFoundError, XuefaError

DRAFT, PENDING, APPROVED = "草稿", "待审核", "已批准"
TRANSITIONS = {(DRAFT, PENDING): "送审", (PENDING, APPROVED): "批准", (PENDING, DRAFT): "退回",
               (APPROVED, DRAFT): "撤回"}
MAX_MARKDOWN = 60_000


@dataclass(frozen=True)
class Revision:
    version: int
    status: str
    action: str  # 创建 保存 送审 批准 退回 撤回
    editor: str | None
    at: datetime
    note: str = ""


@dataclass(frozen=True)
class Record:
    """One stored brief: its generated JSON, its (possibly edited) Markdown, where it stands."""

    id: int
    topic: str
    title: str
    content: dict[str, Any]
    markdown: str
    status: str
    version: int
    author: str | None = None
    reviewer: str | None = None
    approved_at: datetime | None = None
    note: str = ""


class BriefStore(Protocol):
    def create(self, topic: str, title: str, content: dict, markdown: str, author: str | None) -> Record: ...
    def get(self, brief_id: int) -> Record: ...
    def save(self, brief_id: int, content: dict, markdown: str, editor: str | None, note: str) -> Record: ...
    def transition(self, brief_id: int, status: str, user: str | None, note: str) -> Record: ...
    def list(self, status: str | None = None) -> list[Record]: ...
    def revisions(self, brief_id: int) -> list[Revision]: ...


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class MemoryBriefStore:
    """The fake: the same transitions and revisions in a dict. Does not simulate concurrent writers or
    persistence across processes."""

    records: dict[int, Record] = field(default_factory=dict)
    history: dict[int, list[Revision]] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def create(self, topic, title, content, markdown, author):
        rid = next(self._ids)
        self.records[rid] = Record(rid, topic, title, content, markdown, DRAFT, 1, author)
        self.history[rid] = [Revision(1, DRAFT, "创建", author, _now())]
        return self.records[rid]

    def get(self, brief_id):
        if brief_id not in self.records:
            raise NotFoundError(f"没有编号为 {brief_id} 的学习材料。")
        return self.records[brief_id]

    def save(self, brief_id, content, markdown, editor, note):
        r = self.get(brief_id)
        r = replace(r, content=content, markdown=markdown, version=r.version + 1, status=DRAFT,
                    approved_at=None if r.status != DRAFT else r.approved_at)
        self.records[brief_id] = r
        self.history[brief_id].append(Revision(r.version, r.status, "保存", editor, _now(), note))
        return r

    def transition(self, brief_id, status, user, note):
        r = self.get(brief_id)
        action = TRANSITIONS.get((r.status, status))
        if action is None:
            raise XuefaError(f"学习材料当前为“{r.status}”，不能改为“{status}”。")
        changes: dict[str, Any] = {"status": status, "version": r.version + 1}
        if status == APPROVED:
            changes.update(reviewer=user, approved_at=_now(), note=note)
        elif action == "退回":
            changes.update(reviewer=user, note=note)
        else:
            changes.update(approved_at=None)
        r = replace(r, **changes)
        self.records[brief_id] = r
        self.history[brief_id].append(Revision(r.version, status, action, user, _now(), note))
        return r

    def list(self, status=None):
        return [r for r in sorted(self.records.values(), key=lambda r: -r.id) if status in (None, r.status)]

    def revisions(self, brief_id):
        self.get(brief_id)
        return list(self.history[brief_id])


class DbBriefStore:
    """Briefs in the application database (assistant.db): users are named, the database keeps their ids."""

    def __init__(self, db):
        from assistant.db import BriefRepo, UserRepo

        self.briefs, self.users = BriefRepo(db), UserRepo(db)

    def _uid(self, name: str | None) -> int | None:
        user = self.users.get(name) if name else None
        return user.id if user is not None else None

    def _name(self, uid: int | None) -> str | None:
        user = self.users.by_id(uid) if uid else None
        return (getattr(user, "display_name", None) or user.name) if user is not None else None

    def _record(self, row) -> Record:
        meta = (row.content or {}).get("_review", {})
        return Record(row.id, row.topic, row.title, {k: v for k, v in (row.content or {}).items() if k != "_review"},
                      row.markdown, row.status, row.version, self._name(row.author_id) or meta.get("author"),
                      self._name(row.reviewer_id) or meta.get("reviewer"), row.approved_at, row.review_note or "")

    @staticmethod
    def _with(content: dict, **names) -> dict:
        # names are kept in the JSON too: a user outside the database (the local admin) still gets printed
        meta = dict(content.get("_review", {}))
        meta.update({k: v for k, v in names.items() if v})
        return {**content, "_review": meta}

    def create(self, topic, title, content, markdown, author):
        row = self.briefs.create(topic, self._with(content, author=author), markdown, title=title,
                                 author_id=self._uid(author))
        return self._record(row)

    def get(self, brief_id):
        return self._record(self.briefs.require(brief_id))

    def save(self, brief_id, content, markdown, editor, note):
        old = self.briefs.require(brief_id)
        content = self._with({**content, "_review": (old.content or {}).get("_review", {})})
        return self._record(self.briefs.save(brief_id, content, markdown, editor_id=self._uid(editor), note=note))

    def transition(self, brief_id, status, user, note):
        row = self.briefs.transition(brief_id, status, user_id=self._uid(user), note=note)
        if row.status == APPROVED or (row.status == DRAFT and note):
            self._remember(brief_id, reviewer=user)
        return self._record(self.briefs.require(brief_id))

    def _remember(self, brief_id: int, **names) -> None:
        """Keep the reviewer's name in the brief's JSON (one small write; the revision already holds the id)."""
        from assistant.db.models import Brief

        with self.briefs.db.session() as s:
            row = s.get(Brief, brief_id)
            row.content = self._with(dict(row.content or {}), **names)

    def list(self, status=None):
        return [self._record(r) for r in self.briefs.list(status=status)]

    def revisions(self, brief_id):
        return [Revision(r.version, r.status, r.action, self._name(r.editor_id), r.created_at, r.note)
                for r in self.briefs.revisions(brief_id)]


def _cn_date(at: datetime | None) -> str:
    return f"{at.year}年{at.month}月{at.day}日" if at else ""


class BriefReviews:
    """The review rules: anyone signed in drafts, edits and sends for review; only an admin approves or returns."""

    def __init__(self, store: BriefStore):
        self.store = store

    def save_draft(self, brief, author: str | None) -> Record:
        if brief.declined:
            raise XuefaError("该议题没有可摘编的法律依据，不能保存为学习材料。")
        return self.store.create(brief.topic, brief.title, brief.to_json(), brief.to_markdown(), author)

    def edit(self, brief_id: int, markdown: str, editor: str | None, note: str = "") -> Record:
        text = (markdown or "").replace("\r\n", "\n").strip()
        if not text:
            raise XuefaError("学习材料正文不能为空。")
        if len(text) > MAX_MARKDOWN:
            raise XuefaError(f"学习材料正文过长（{len(text)} 字），请控制在 {MAX_MARKDOWN} 字以内。")
        current = self.store.get(brief_id)
        return self.store.save(brief_id, current.content, text + "\n", editor, note)

    def submit(self, brief_id: int, user: str | None) -> Record:
        return self.store.transition(brief_id, PENDING, user, "")

    def approve(self, brief_id: int, reviewer, note: str = "") -> Record:
        self._admin(reviewer, "批准")
        return self.store.transition(brief_id, APPROVED, reviewer.name, note)

    def send_back(self, brief_id: int, reviewer, note: str) -> Record:
        self._admin(reviewer, "退回")
        if not (note or "").strip():
            raise XuefaError("退回时请写明修改意见。")
        return self.store.transition(brief_id, DRAFT, reviewer.name, note.strip())

    @staticmethod
    def _admin(user, what: str) -> None:
        if not getattr(user, "is_admin", False):
            raise XuefaError(f"只有管理员可以{what}学习材料。")

    def final_markdown(self, brief_id: int) -> str:
        """The approved text with 审核 and date printed; refuses a brief that is not approved."""
        r = self.store.get(brief_id)
        if r.status != APPROVED:
            raise XuefaError(f"学习材料尚未批准（当前为“{r.status}”），不能导出定稿。")
        sign = f"**审核：{r.reviewer or '—'}　　审核日期：{_cn_date(r.approved_at)}**"
        return r.markdown.rstrip() + "\n\n" + sign + "\n"

    def final_docx(self, brief_id: int, path: Path | str) -> Path:
        from .markdown import parse_markdown
        from .word import blocks_docx

        return blocks_docx(parse_markdown(self.final_markdown(brief_id)), path)
