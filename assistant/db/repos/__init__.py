"""One small repository per aggregate; each method is one transaction and returns detached rows."""

from .audit import AuditRepo
from .bank import BankRepo
from .briefs import BriefRepo
from .exams import AttemptRepo, ExamSessionRepo, PaperRepo
from .meta import MetaRepo
from .mistakes import MistakeMark, MistakeRepo
from .study import StudyRepo
from .units import UnitRepo
from .users import UserRepo

__all__ = ["AuditRepo", "BankRepo", "BriefRepo", "AttemptRepo", "ExamSessionRepo", "PaperRepo", "MetaRepo",
           "MistakeMark", "MistakeRepo", "StudyRepo", "UnitRepo", "UserRepo"]
