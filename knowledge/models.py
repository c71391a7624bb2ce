"""Plain data shared by every part of xuefa: laws (documents), articles, hits.

Article text is stored verbatim; 款 are its lines, 项 are lines that start with （一）/(一).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, asdict
from typing import Any

from .numerals import article_label, cite_label, int_to_cn

# 效力级别, in the order a cadre expects to see them.
LEVELS = ("宪法", "法律", "行政法规", "监察法规", "司法解释", "部门规章", "地方性法规", "地方政府规章", "党内法规",
          "规范性文件", "其他")

# 时效性. Which statuses the default search sees: 已被修改 (e.g. 刑法) is searchable but flagged on every citation.
STATUS_CURRENT = "现行有效"
STATUS_AMENDED = "已被修改"
STATUS_REPEALED = "已废止"
STATUS_HISTORICAL = "历史版本"
STATUS_PENDING = "尚未生效"
DEFAULT_STATUSES = (STATUS_CURRENT, STATUS_AMENDED, STATUS_PENDING)

SOURCE_NATIONAL = "national"
SOURCE_LOCAL = "local"

_ITEM_RE = re.compile(r"^\s*[（(]([一二三四五六七八九十百]+)[）)]")


@dataclass(frozen=True)
class Law:
    """One document: a law, regulation, 党内法规 or any ingested text."""

    law_id: str
    title: str
    level: str = "其他"
    issuer: str | None = None
    region: str | None = None  # 全国, 山东省, 泰安市 …
    status: str = STATUS_CURRENT
    source: str = SOURCE_LOCAL
    publish_date: str | None = None  # ISO yyyy-mm-dd
    effective_date: str | None = None
    doc_type: str | None = None
    category: str | None = None  # 法律部门, e.g. 行政法
    content_hash: str | None = None
    origin: str | None = None  # file name it came from (local) or package data (national)
    structured: bool = True  # False: a 通知/报告 stored as numbered paragraphs
    note: str | None = None  # why a built-in text is not current (被《…》废止, 已有新版本)

    @property
    def is_current(self) -> bool:
        return self.status in DEFAULT_STATUSES

    @property
    def status_note(self) -> str | None:
        """A warning to show on every citation of this document, or None."""
        if self.status == STATUS_AMENDED:
            return "注意：本库所存文本早于其后的修正，引用前请核对现行文本"
        if self.status == STATUS_REPEALED:
            return "注意：该文件已废止，不再作为现行依据" + (f"（{self.note}）" if self.note else "")
        if self.status == STATUS_HISTORICAL:
            return "注意：此为历史版本，不是现行文本" + (f"（{self.note}）" if self.note else "")
        if self.status == STATUS_PENDING:
            return "注意：该文件尚未生效" + (f"（{self.note}）" if self.note else "")
        return None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Paragraph:
    """A 款 with the 项 that belong to it."""

    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A 条 (or, for unstructured documents, a numbered paragraph)."""

    law_id: str
    ordinal: int  # position in the document, 1-based; unique within a law
    number: int  # 第N条
    text: str
    sub: int = 0  # 之一 -> 1
    part: str | None = None  # 编
    chapter: str | None = None  # 章
    section: str | None = None  # 节
    is_paragraph: bool = False  # True for a numbered paragraph of an unstructured document

    @property
    def article_id(self) -> str:
        return f"{self.law_id}:{self.ordinal}"

    @property
    def label(self) -> str:
        if self.is_paragraph:
            return f"第{int_to_cn(self.number)}段"
        return article_label(self.number, self.sub)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return split_paragraphs(self.text)

    def paragraph_text(self, paragraph: int | None = None, item: int | None = None) -> str | None:
        """Verbatim text of 第paragraph款 (1-based), or of its 第item项; None if absent.

        An article's items may also be addressed without a paragraph (第N条第K项): they are then
        looked up in the first paragraph that has items.
        """
        paras = self.paragraphs
        if paragraph is None and item is None:
            return self.text
        if paragraph is None:
            with_items = [p for p in paras if p.items]
            if not with_items:
                return None
            para = with_items[0]
        else:
            if not 1 <= paragraph <= len(paras):
                return None
            para = paras[paragraph - 1]
        if item is None:
            return "\n".join((para.text, *para.items))
        if not 1 <= item <= len(para.items):
            return None
        return para.items[item - 1]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["article_id"] = self.article_id
        d["label"] = self.label
        return d


def split_paragraphs(text: str) -> list[Paragraph]:
    """Split verbatim article text into 款, each with its 项."""
    paras: list[Paragraph] = []
    for line in (ln.strip() for ln in text.split("\n")):
        if not line:
            continue
        if _ITEM_RE.match(line) and paras:
            last = paras[-1]
            paras[-1] = Paragraph(last.text, (*last.items, line))
        else:
            paras.append(Paragraph(line))
    return paras


@dataclass
class Hit:
    """A retrieved article with its law and how it was found."""

    article: Article
    law: Law
    score: float
    rank: int = 0
    via: tuple[str, ...] = ()  # "ref", "lexical", "dense", "neighbour"
    paragraph: int | None = None  # set when the query named a 款
    item: int | None = None  # set when the query named a 项
    debug: dict[str, Any] = field(default_factory=dict)

    @property
    def cite(self) -> str:
        """《中华人民共和国监察法》第十五条(第二款)(第三项)."""
        if self.article.is_paragraph:
            return f"《{self.law.title}》{self.article.label}"
        return cite_label(self.law.title, self.article.number, self.article.sub, self.paragraph, self.item)

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by `xuefa search --json` and the web API."""
        return {
            "law": self.law.title,
            "law_id": self.law.law_id,
            "article": self.article.number,
            "sub": self.article.sub,
            "label": self.article.label,
            "paragraph": self.paragraph,
            "item": self.item,
            "text": self.article.text,
            "status": self.law.status,
            "status_note": self.law.status_note,
            "level": self.law.level,
            "region": self.law.region,
            "source": self.law.source,
            "effective_date": self.law.effective_date,
            "chapter": self.article.chapter,
            "score": round(float(self.score), 6),
            "via": list(self.via),
        }
