"""Answer data: citations (always a stored article's verbatim text) and the answer with its lead sentence."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from knowledge.models import Article, Law
from knowledge.numerals import part_label
from knowledge.verify import VERIFIED, CitationCheck

NO_SUPPORT = "知识库中未找到明确依据"


@dataclass
class Citation:
    """One cited article (or 款/项) with its verbatim stored text. Citations are data, never free text."""

    law: str
    law_id: str
    article: int
    sub: int
    label: str
    paragraph: int | None
    item: int | None
    status: str
    effective_date: str | None
    text: str  # verbatim stored text of exactly what is cited
    source: str  # national / local
    level: str | None = None
    region: str | None = None
    status_note: str | None = None
    chapter: str | None = None
    verification: str = VERIFIED
    role: str = "primary"  # primary / parallel / related / liability / nearest
    aspect: str = ""  # for a parallel basis: whose side it answers (政务处分方面)
    article_text: str = ""  # the whole article, for the viewer that highlights `text` inside it

    @property
    def cite(self) -> str:
        return f"《{self.law}》{self.label}{part_label(self.paragraph, self.item)}"

    @property
    def key(self) -> str:
        return f"{self.law_id}:{self.article}:{self.sub}"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["cite"] = self.cite
        return d

    @classmethod
    def of(cls, law: Law, article: Article, paragraph: int | None = None, item: int | None = None,
           role: str = "primary", verification: str = VERIFIED) -> "Citation":
        text = article.paragraph_text(paragraph, item)
        if text is None:  # never cite what does not exist: fall back to the whole article
            paragraph, item, text = None, None, article.text
        return cls(law=law.title, law_id=law.law_id, article=article.number, sub=article.sub, label=article.label,
                   paragraph=paragraph, item=item, status=law.status, effective_date=law.effective_date,
                   text=text, source=law.source, level=law.level, region=law.region,
                   status_note=law.status_note, chapter=article.chapter, verification=verification, role=role,
                   article_text=article.text)


@dataclass
class Lead:
    """The one verbatim sentence that answers, with its citation: shown first in the CLI and the web."""

    cite: str
    text: str
    law_id: str
    article: int
    sub: int
    paragraph: int | None
    item: int | None
    intro: str = ""  # for a cited 项: the verbatim clause introducing the list (…下列情形之一的：)

    @property
    def sentence(self) -> str:
        """What the answer opens with: the introducing clause, then the cited unit (both verbatim)."""
        return with_intro(self.intro, self.text)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def with_intro(intro: str, text: str) -> str:
    return f"{intro}……{text}" if intro else text


@dataclass
class Answer:
    """A structured answer. `laws`/`focus` keep this turn's laws and articles so follow-ups resolve."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    supported: bool = False
    warnings: list[str] = field(default_factory=list)
    nearest: list[Citation] = field(default_factory=list)
    checks: list[CitationCheck] = field(default_factory=list)
    mode: str = "offline"
    resolved_question: str | None = None
    laws: list[str] = field(default_factory=list)
    focus: list[dict] = field(default_factory=list)  # [{law, law_id, article, sub, paragraph}]
    lead: Lead | None = None
    missing: list[str] = field(default_factory=list)  # key terms of the question no retrieved article covers

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "resolved_question": self.resolved_question,
            "text": self.text,
            "supported": self.supported,
            "mode": self.mode,
            "lead": self.lead.to_json() if self.lead else None,
            "citations": [c.to_json() for c in self.citations],
            "warnings": list(self.warnings),
            "missing": list(self.missing),
            "nearest": [c.to_json() for c in self.nearest],
            "checks": [c.to_json() for c in self.checks],
            "laws": list(self.laws),
            "focus": list(self.focus),
        }
