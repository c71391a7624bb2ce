"""User and organisation data on one database (SQLAlchemy 2 + Alembic); nothing else opens it.

    db = services.db            # built once in assistant/services.py (open_db) from XUEFA_DATABASE_URL
    UserRepo(db).add(...), UnitRepo(db).ensure_path("某县/教育局"), BankRepo(db).review(...), …

Every repository method is one transaction and returns detached rows (read their attributes freely; change
data only through a repository). Vocabularies (roles, item and brief statuses) are in `models`."""

from .database import Database, sqlite_url
from .models import (BRIEF_APPROVED, BRIEF_DRAFT, BRIEF_PENDING, BRIEF_STATUSES, COUNT_BEST, COUNT_FIRST,
                     COUNT_LAST, ITEM_APPROVED, ITEM_GENERATED, ITEM_HANDWRITTEN, ITEM_PENDING, ITEM_RETIRED,
                     ITEM_STATUSES, PAPER_PER_PERSON, PAPER_SHARED, ROLE_ADMIN, ROLE_LEARNER, ROLE_SETTER,
                     ROLE_UNIT_ADMIN, ROLES, STUDY_ARTICLE, STUDY_ASK, STUDY_BRIEF, STUDY_EXAM, STUDY_KINDS,
                     STUDY_PRACTICE, utcnow)
from .repos import (AttemptRepo, AuditRepo, BankRepo, BriefRepo, ExamSessionRepo, MetaRepo, MistakeMark,
                    MistakeRepo, PaperRepo, StudyRepo, UnitRepo, UserRepo)

__all__ = [name for name in dir() if not name.startswith("_")]
