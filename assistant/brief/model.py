"""Plain data of a 会前学法 brief: quotations (verbatim 条/款), the laws table, themed sections, questions.

Nothing here renders or searches; `outline.py` turns a `Brief` into blocks both renderers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.models import STATUS_CURRENT, Article, Law
from knowledge.numerals import article_label, int_to_cn, part_label

LENGTHS = ("short", "standard", "long")

# themes, in the order a brief presents them (是什么 / 谁负责 / 怎么办 / 监管 / 红线 / 追责); 监管 holds the duties
# of the regulated parties (供热企业应当……) that the county must see carried out, from the law made for the topic
THEMES = ("是什么", "谁负责", "怎么办", "监管", "红线", "追责")
THEME_HEADINGS = {
    "是什么": "是什么：制度要义",
    "谁负责": "谁负责：职责分工",
    "怎么办": "怎么办：程序要求",
    "监管": "监管对象的义务（县政府及部门监督落实）",
    "红线": "红线：禁止性规定",
    "追责": "追责：法律责任",
}


@dataclass(frozen=True)
class Quote:
    """One 条 (or one 款 of it) quoted verbatim: `text` is stored text, never edited."""

    law_id: str
    law_title: str
    number: int
    sub: int
    text: str
    paragraph: int | None = None  # the 款 quoted, when only one 款 of the article speaks to the topic
    chapter: str | None = None
    theme: str = "是什么"
    score: float = 0.0
    target: str | None = None  # "监管对象" when the rule binds companies or citizens, not the government
    core: bool = False  # a key article of the topic registry
    is_paragraph: bool = False  # a numbered 段 of a document without 条 (a 决议): never cited as 第N条

    @property
    def label(self) -> str:
        """第三条第三款 (no law title); 第三段 for a paragraph of a document without articles."""
        if self.is_paragraph:
            return f"第{int_to_cn(self.number)}段"
        return article_label(self.number, self.sub) + part_label(self.paragraph, None)

    @property
    def cite(self) -> str:
        return f"《{self.law_title}》{self.label}"

    @property
    def heading(self) -> str:
        """The citation above the quotation, saying when the rule binds 监管对象 rather than the government."""
        if not self.target or self.theme == "监管":  # the section's heading already says whose duties these are
            return self.cite
        return self.cite + f"（{self.target}{'责任' if self.theme == '追责' else '义务'}）"

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.law_id, self.number, self.sub)

    def to_json(self) -> dict[str, Any]:
        return {"law": self.law_title, "law_id": self.law_id, "article": self.number, "sub": self.sub,
                "paragraph": self.paragraph, "label": self.label, "cite": self.cite, "text": self.text,
                "chapter": self.chapter, "theme": self.theme, "target": self.target}

    @classmethod
    def of(cls, law: Law, article: Article, paragraph: int | None = None, theme: str = "是什么",
           score: float = 0.0, target: str | None = None, core: bool = False) -> "Quote":
        text = article.text if paragraph is None else (article.paragraph_text(paragraph) or article.text)
        return cls(law.law_id, law.title, article.number, article.sub, text,
                   paragraph if text != article.text else None, article.chapter, theme, score, target, core,
                   article.is_paragraph)


def version_text(law: Law, kind: str = "公布", first: str | None = None) -> str:
    """'2021年6月10日修正，2021年9月1日施行' from the current version's dates; kind: 公布 / 修正 / 修订. first: the
    date (ISO) the law's own 施行 article names, when older than this version: '2014年9月1日起施行，2021年12月3日修正'
    (an amended text keeps its first 施行 date; the amendment's date alone reads as if the law were new)."""
    pub, eff = _cn_date(law.publish_date), _cn_date(law.effective_date)
    parts = []
    amended = bool(first and law.publish_date and first < law.publish_date[:10] and _cn_date(first))
    if amended:
        parts.append(f"{_cn_date(first)}起施行")
    if pub:
        parts.append(f"{pub}{kind}")
    # an amendment in force the day it is made needs no second date (2014年9月1日起施行，2021年12月3日修正)
    if eff and (not law.publish_date or (law.effective_date or "") >= (law.publish_date or "")) and \
            not (amended and eff == pub):
        parts.append(f"{eff}施行")
    return "，".join(parts) or "日期不详"


def _cn_date(iso: str | None) -> str | None:
    if not iso or len(iso) < 10:
        return None
    y, m, d = iso[:4], iso[5:7], iso[8:10]
    if not (y.isdigit() and m.isdigit() and d.isdigit()):
        return None
    return f"{int(y)}年{int(m)}月{int(d)}日"


@dataclass(frozen=True)
class LawEntry:
    """A law as listed in the brief's table."""

    law_id: str
    title: str
    level: str
    issuer: str | None
    version: str  # 2021年6月10日修正，2021年9月1日施行
    status: str
    reason: str  # 主管依据 / 检索相关 / 用户指定 / 主题点名
    status_note: str | None = None
    score: float = 0.0
    effective: str | None = None  # the current version's 施行 date (ISO): 时效提示 flags an old one

    @classmethod
    def of(cls, law: Law, reason: str, score: float = 0.0, kind: str = "公布",
           first: str | None = None) -> "LawEntry":
        return cls(law.law_id, law.title, law.level, law.issuer, version_text(law, kind, first), law.status, reason,
                   law.status_note, round(score, 3), law.effective_date or law.publish_date)

    @property
    def current(self) -> bool:
        return self.status == STATUS_CURRENT

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Missing:
    """A governing instrument the registry names and the knowledge base lacks."""

    title: str
    level: str | None

    @property
    def notice(self) -> str:
        kind = f"（{self.level}）" if self.level else ""
        return f"本材料未收录《{self.title}》{kind}，会前请对照原文"


@dataclass(frozen=True)
class Question:
    question: str
    answer: str  # the quoted article, cited
    citations: tuple[Quote, ...]

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.answer, "citations": [q.cite for q in self.citations]}


@dataclass
class Brief:
    """A 会前学法 brief: laws, quotations grouped by theme, questions, coverage notices."""

    topic: str
    length: str
    laws: list[LawEntry] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)  # in reading order within each theme
    summary: list[str] = field(default_factory=list)  # 制度要义 sentences that passed the citation check
    points: list[tuple[str, str]] = field(default_factory=list)  # (theme, one verbatim clause, cited) for page one
    intro: list[str] = field(default_factory=list)  # LLM 导语 sentences that passed the citation check
    questions: list[Question] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # 本次会议需研究落实的事项: the county's quoted duties, cited
    missing: list[Missing] = field(default_factory=list)
    declined: str | None = None  # why no brief is given (no legal basis found)
    caution: str | None = None  # page one: no law in the knowledge base is made for this topic
    pending: list[str] = field(default_factory=list)  # page one: laws not yet in force, or below a newer law
    currency: list[str] = field(default_factory=list)  # 时效提示: reformed names in quoted articles, old versions
    unheld: list[str] = field(default_factory=list)  # 需人工核对: kinds of instrument the knowledge base lacks
    notes: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # registry entries the topic matched
    llm_used: bool = False
    unit: str | None = None  # 编制单位
    date: str | None = None  # 编制日期, ISO
    review: dict[str, Any] | None = None  # reviewer, date once approved
    overtaken: dict[str, Any] = field(default_factory=dict)  # older regulation id -> (it, the newer law quoted)

    @property
    def title(self) -> str:
        return f"会前学法材料：{self.topic}"

    def themed(self, theme: str) -> list[Quote]:
        return [q for q in self.quotes if q.theme == theme]

    def cited(self, law_id: str) -> list[Quote]:
        return sorted((q for q in self.quotes if q.law_id == law_id), key=lambda q: (q.number, q.sub))

    def law(self, law_id: str) -> LawEntry | None:
        return next((e for e in self.laws if e.law_id == law_id), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic, "title": self.title, "length": self.length, "llm_used": self.llm_used,
            "laws": [e.to_json() for e in self.laws],
            "sections": {t: [q.to_json() for q in self.themed(t)] for t in THEMES},
            "summary": "".join(self.summary), "intro": "".join(self.intro),
            "points": [{"theme": t, "text": x} for t, x in self.points],
            "questions": [x.to_json() for x in self.questions],
            "actions": list(self.actions),
            "missing": [m.notice for m in self.missing],
            "currency": list(self.currency), "unheld": list(self.unheld),
            "declined": self.declined, "caution": self.caution, "pending": list(self.pending),
            "notes": list(self.notes), "topics": list(self.topics),
            "unit": self.unit, "date": self.date, "review": self.review,
        }

    def to_markdown(self) -> str:
        from .markdown import render_markdown
        from .outline import build_outline

        return render_markdown(build_outline(self))

    def to_docx(self, path):
        from .word import brief_docx

        return brief_docx(self, path)
