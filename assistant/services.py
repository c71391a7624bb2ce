"""The one place that wires xuefa's components together.

Nothing here runs at import time; `build_services` builds what a command or the web app needs,
and the jobs (answerer, exams, briefs) are built lazily on first use."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable

from .config import Settings, offline_environment

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, what)


@dataclass
class Services:
    settings: Settings
    kb: Any  # knowledge.base.KnowledgeBase
    llm: Any = None  # a LangChain BaseChatModel, or None for offline mode

    @property
    def catalog(self):
        return self.kb.catalog

    @property
    def retriever(self):
        return self.kb.retriever

    def ingest(self, paths, **kwargs):
        from ingest.pipeline import ingest_paths

        return ingest_paths(self.kb, paths, limits=self.settings.ingest_limits(), **kwargs)

    @cached_property
    def db(self):
        """The user and organisation database (assistant.db.Database), migrated on first use."""
        return open_db(self.settings)

    @cached_property
    def accounts(self):
        from .accounts.service import Accounts

        return Accounts(self.db)

    @cached_property
    def answerer(self):
        from .ask import Answerer

        return Answerer(self.kb, llm=self.llm)

    @cached_property
    def exams(self):
        from .exam import ExamService
        from .exam.records import DbExamRecords

        records = DbExamRecords(self.db, self.accounts.ensure_record_holder)
        return ExamService(self.kb, llm=self.llm, data_dir=self.settings.users_dir, records=records)

    @cached_property
    def sessions(self):
        """Organised exams (assistant.sessions.ExamSessions)."""
        from .sessions.service import ExamSessions

        return ExamSessions(self.db, self.accounts, self.exams)

    @cached_property
    def study(self):
        """Study records and points (assistant.sessions.study.StudyLog)."""
        from .sessions.study import StudyLog

        return StudyLog(self.db, self.accounts.ensure_record_holder)

    @cached_property
    def desk(self):
        """Papers and attempts held on the server (assistant.exam.desk.ExamDesk)."""
        from .exam.desk import ExamDesk

        return ExamDesk(self.exams, self.db, user_id=self.accounts.ensure_record_holder, bank=self.bank)

    @cached_property
    def bank(self):
        """The reviewed question bank (assistant.exam.bank.QuestionBank)."""
        from .exam.bank import QuestionBank

        return QuestionBank(self.db, self.exams)

    @cached_property
    def briefs(self):
        from .brief import BriefWriter

        return BriefWriter(self.kb, llm=self.llm)


def open_db(settings: Settings):
    """The database alone, for commands that need no knowledge base (`xuefa user`, `xuefa unit`)."""
    from .db import Database, sqlite_url
    from .db.legacy import import_legacy_json

    db = Database(settings.database_url or sqlite_url(settings.database_path))
    import_legacy_json(db, settings.home, settings.users_dir)  # users.json etc. of earlier versions, once
    return db


def build_services(settings: Settings | None = None, *, embeddings=None, llm: Any = "auto",
                   load_national: bool | None = None, progress: Progress | None = None,
                   rebuild: bool = False, vectors: str = "now") -> Services:
    """Open (and on first run build) the knowledge base and the optional LLM.

    vectors: "now" embeds what is missing before returning; "background" returns as soon as the catalog
    and lexical index are ready and embeds in a background thread (the web app); "skip" leaves vectors as
    they are (CLI look-ups: dense search uses what is indexed)."""
    offline_environment()
    settings = settings or Settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    from knowledge.base import open_knowledge_base

    if embeddings is None:
        from knowledge.embeddings import make_embeddings

        embeddings = make_embeddings(settings.embedding_model)
    kb = open_knowledge_base(settings.catalog_path, settings.index_dir, embeddings,
                             chroma_url=settings.chroma_url, allow_model_change=rebuild)
    if load_national if load_national is not None else settings.national:
        from ingest.builtin import ensure_builtin

        ensure_builtin(kb, settings.pack_list, progress=progress)
    kb.ensure_indexes(progress=progress, rebuild=rebuild, vectors=vectors == "now")
    if vectors == "background":
        kb.start_vector_build(progress=progress)
    if llm == "auto":
        from .llm import make_llm

        llm = make_llm(settings)
    return Services(settings=settings, kb=kb, llm=llm)
