"""The tables of xuefa's user and organisation data, as SQLAlchemy 2 typed models.

Every schema change is a numbered Alembic migration under `migrations/versions/` (applied on start); a change
here without a migration fails `tests/test_db.py::test_models_match_migrations`.

Knowledge-base rows (laws, articles) stay in the catalog; user data refers to them by *stable* keys — the
document's title (`doc_key`) and article number/sub — never by article row ids, so re-ingesting a regulation
does not orphan anyone's mistakes or bank items."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text,
                        TypeDecorator, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# ---- vocabularies (values stored in the database; Chinese because users see them) -----------------
ROLE_ADMIN = "管理员"
ROLE_UNIT_ADMIN = "单位管理员"  # manages only their own unit (and its sub-units)
ROLE_SETTER = "出题人"
ROLE_LEARNER = "学员"
ROLES = (ROLE_ADMIN, ROLE_UNIT_ADMIN, ROLE_SETTER, ROLE_LEARNER)

ITEM_PENDING = "待审核"
ITEM_APPROVED = "已审核"
ITEM_RETIRED = "停用"
ITEM_STATUSES = (ITEM_PENDING, ITEM_APPROVED, ITEM_RETIRED)
ITEM_GENERATED = "generated"
ITEM_HANDWRITTEN = "hand-written"
ITEM_SOURCES = (ITEM_GENERATED, ITEM_HANDWRITTEN)

BRIEF_DRAFT = "草稿"
BRIEF_PENDING = "待审核"
BRIEF_APPROVED = "已批准"
BRIEF_STATUSES = (BRIEF_DRAFT, BRIEF_PENDING, BRIEF_APPROVED)

PAPER_PER_PERSON = "per_person"  # every candidate gets their own paper from the blueprint
PAPER_SHARED = "shared"  # one paper for all
PAPER_MODES = (PAPER_PER_PERSON, PAPER_SHARED)
COUNT_BEST = "best"
COUNT_LAST = "last"
COUNT_FIRST = "first"
COUNT_RULES = (COUNT_BEST, COUNT_LAST, COUNT_FIRST)

STUDY_ASK = "提问"
STUDY_ARTICLE = "阅读法条"
STUDY_BRIEF = "阅读学习材料"
STUDY_PRACTICE = "练习"
STUDY_EXAM = "考试"
STUDY_KINDS = (STUDY_ASK, STUDY_ARTICLE, STUDY_BRIEF, STUDY_PRACTICE, STUDY_EXAM)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no zone; PostgreSQL would convert to the server's)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use assistant.db.utcnow()")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s",
          "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


def _created() -> Any:
    return mapped_column(UTCDateTime, default=utcnow, nullable=False)


# ---- organisation ------------------------------------------------------------------------------
class Unit(Base):
    """县 → 部门/乡镇 → 科室: a tree by parent_id."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_units_parent_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = _created()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)  # the login name
    display_name: Mapped[str | None] = mapped_column(String(64))  # 姓名 when the login is e.g. a staff number
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    position_level: Mapped[str | None] = mapped_column(String(32))  # 职务级别: 科员, 副科级, 正科级 …
    role: Mapped[str] = mapped_column(String(16), default=ROLE_LEARNER)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str] = mapped_column(String(255))  # assistant.accounts.passwords format
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit | None] = relationship(lazy="joined")


# ---- exams -------------------------------------------------------------------------------------
class ExamSession(Base):
    """An organised exam: who takes it, when, how often and which attempt counts."""

    __tablename__ = "exam_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    blueprint: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # assistant.exam.Blueprint.to_json()
    paper_mode: Mapped[str] = mapped_column(String(16), default=PAPER_PER_PERSON)
    fixed_paper_id: Mapped[str | None] = mapped_column(String(32))  # papers.id; no FK: papers point back here
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer, default=90)
    max_attempts: Mapped[int] = mapped_column(Integer, default=1)
    counts: Mapped[str] = mapped_column(String(8), default=COUNT_BEST)
    pass_mark: Mapped[float] = mapped_column(Float, default=60)
    results_after_close: Mapped[bool] = mapped_column(Boolean, default=False)
    position_levels: Mapped[list[Any]] = mapped_column(JSON, default=list)  # empty: every level
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = _created()

    units: Mapped[list[ExamSessionUnit]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def unit_ids(self) -> list[int]:
        return [u.unit_id for u in self.units]


class ExamSessionUnit(Base):
    """A unit invited to a session (its sub-units too)."""

    __tablename__ = "exam_session_units"

    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)


class Paper(Base):
    """A generated paper with its key, held on the server so it survives a restart and is never sent whole."""

    __tablename__ = "papers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex, handed to the client
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("exam_sessions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    seed: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=90)
    total: Mapped[float] = mapped_column(Float, default=0)
    pass_mark: Mapped[float] = mapped_column(Float, default=0)
    kind: Mapped[str] = mapped_column(String(16), default="practice")  # practice | mistakes | session | fixed
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # assistant.exam.Paper.to_json(), keys included
    created_at: Mapped[datetime] = _created()


class Attempt(Base):
    """One sitting of a paper: started and deadline set by the server, submitted once."""

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("session_id", "user_id", "number", name="uq_attempts_session_user_number"),
                      Index("ix_attempts_user_started", "user_id", "started_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[str] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("exam_sessions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)  # 1st, 2nd … attempt in the session
    title: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = _created()
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float | None] = mapped_column(Float)
    total: Mapped[float | None] = mapped_column(Float)
    pass_mark: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the graded result shown to the candidate

    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                 order_by="Answer.number")


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "number", name="uq_answers_attempt_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    item_uid: Mapped[str] = mapped_column(String(64), default="")
    given: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float] = mapped_column(Float, default=0)
    citations: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{doc_key, article, sub}], for reports


class Mistake(Base):
    """错题本: per user and article, keyed by the document's stable key and the article number."""

    __tablename__ = "mistakes"
    __table_args__ = (UniqueConstraint("user_id", "doc_key", "article", "sub", name="uq_mistakes_user_article"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    doc_key: Mapped[str] = mapped_column(String(200))  # the law's title: stable across versions and re-ingests
    article: Mapped[int] = mapped_column(Integer)
    sub: Mapped[int] = mapped_column(Integer, default=0)  # 第N条之一
    law_id: Mapped[str] = mapped_column(String(64), default="")  # last seen catalog id (informational)
    label: Mapped[str] = mapped_column(String(64), default="")
    wrong: Mapped[int] = mapped_column(Integer, default=0)
    right: Mapped[int] = mapped_column(Integer, default=0)
    last_wrong: Mapped[datetime | None]
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)  # the last few wrong items (uid, stem, answers)


# ---- question bank -----------------------------------------------------------------------------
class BankItem(Base):
    """A reviewed (or waiting) exam item; its key is derived from the cited article."""

    __tablename__ = "bank_items"
    __table_args__ = (Index("ix_bank_items_status_type", "status", "type"),
                      Index("ix_bank_items_article", "doc_key", "article", "sub"))

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)  # content hash of the item
    type: Mapped[str] = mapped_column(String(8))  # 单选 多选 判断 填空
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[Any]] = mapped_column(JSON, default=list)
    answer: Mapped[str] = mapped_column(Text)  # the key
    explanation: Mapped[str] = mapped_column(Text, default="")
    doc_key: Mapped[str] = mapped_column(String(200))  # law title
    article: Mapped[int] = mapped_column(Integer)
    sub: Mapped[int] = mapped_column(Integer, default=0)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    item_no: Mapped[int | None] = mapped_column(Integer)  # 项
    citations: Mapped[list[Any]] = mapped_column(JSON, default=list)  # every Citation.to_json()
    difficulty: Mapped[int] = mapped_column(Integer, default=2)
    source: Mapped[str] = mapped_column(String(16), default=ITEM_GENERATED)
    status: Mapped[str] = mapped_column(String(8), default=ITEM_PENDING)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the full assistant.exam.Item JSON
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = _created()
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str] = mapped_column(Text, default="")


# ---- briefs ------------------------------------------------------------------------------------
class Brief(Base):
    """A 会前学法 brief: 草稿 → 待审核 → 已批准; every save is a revision."""

    __tablename__ = "briefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the brief's JSON
    markdown: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default=BRIEF_DRAFT)
    version: Mapped[int] = mapped_column(Integer, default=1)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    review_note: Mapped[str] = mapped_column(Text, default="")
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BriefRevision(Base):
    __tablename__ = "brief_revisions"
    __table_args__ = (UniqueConstraint("brief_id", "version", name="uq_brief_revisions_brief_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8))
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    markdown: Mapped[str] = mapped_column(Text, default="")
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16), default="保存")  # 创建 保存 送审 批准 退回
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = _created()


# ---- study records and audit -------------------------------------------------------------------
class StudyRecord(Base):
    __tablename__ = "study_records"
    __table_args__ = (Index("ix_study_records_user_time", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # STUDY_KINDS
    target: Mapped[str] = mapped_column(String(300), default="")  # question, 《法》第N条, brief title, paper title
    points: Mapped[float] = mapped_column(Float, default=0)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = _created()


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    time: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(64))  # a name, kept when the account is removed
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MetaEntry(Base):
    """Small facts about the database itself (e.g. which JSON files were migrated)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
