"""会前学法 briefs: from an agenda item to a themed study brief on the instruments that govern it.

    writer = BriefWriter(kb)                      # services.briefs
    brief = writer.write("行政执法三项制度", length="standard")
    brief.to_markdown(); brief.to_json(); brief_docx(brief, "学法.docx")

model (data) · topics (registry, weighted terms) · kinds (article types) · select (laws by best articles) ·
questions · writer · outline (shared by) markdown and word · review (draft -> review -> approved)."""

from .model import LENGTHS, THEMES, Brief, LawEntry, Missing, Question, Quote
from .word import brief_docx, brief_docx_bytes
from .writer import LIMITS, BriefWriter

__all__ = ["LENGTHS", "LIMITS", "THEMES", "Brief", "BriefWriter", "LawEntry", "Missing", "Question", "Quote",
           "brief_docx", "brief_docx_bytes"]
