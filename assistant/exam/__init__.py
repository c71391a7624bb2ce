"""任前法律知识考试 and practice papers: rule-based item generators whose keys are derivable from the cited
article, validity checks, blueprint assembly, grading, the mistakes notebook and Word output.

Public API (used by the CLI and the web app):
    ExamService(kb, llm=None, data_dir=Path)  .generate(blueprint) -> Paper, .grade(paper, answers, user=None)
        -> GradeResult, .mistakes(user), .practice_from_mistakes(user, n, seed)
    Blueprint, PRESETS["任前法律知识考试"], Paper.to_json()/from_json(), paper_docx(paper, path), key_docx(paper, path)
"""

from .grading import GradeResult, ItemResult, MistakeBook
from .models import DEFAULT_SYLLABUS, FILL, JUDGE, MULTI, PRESETS, SINGLE, TYPES, Blueprint, Citation, Item, Paper
from .service import ExamService
from .word import key_docx, paper_docx

__all__ = ["ExamService", "Blueprint", "Paper", "Item", "Citation", "GradeResult", "ItemResult", "MistakeBook",
           "PRESETS", "DEFAULT_SYLLABUS", "SINGLE", "MULTI", "JUDGE", "FILL", "TYPES", "paper_docx", "key_docx"]
