"""会前学法 briefs: from an agenda item in plain words to a study brief on the laws that govern it.

Offline and deterministic by default: the governing laws are chosen by where search hits for the topic
fall, and every section is extracted from those laws' own articles (立法目的, 适用范围, 职责, 禁止性规定,
法律责任). Every quotation is an article's stored text, cited as 《法》第N条. With an LLM, one short
导语 may be added; each of its sentences must pass the citation check or it is dropped.

    writer = BriefWriter(kb, llm=None)
    brief = writer.write("安全生产专项整治", length="standard")
    brief.to_markdown(); brief.to_json(); brief_docx(brief, "out.docx")
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from knowledge.citations import find_references
from knowledge.errors import NotFoundError, XuefaError
from knowledge.models import STATUS_CURRENT, Article, Law
from knowledge.numerals import int_to_cn

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates" / "brief"
LENGTHS = ("short", "standard")
RELATIVE_MASS = 0.15  # a law needs this share of the best law's hit mass to be chosen
MATCH_MIN = 0.3  # share of a duty's (idf-weighted) words a liability must repeat to be matched to it

NATIONAL_LEVELS = ("宪法", "法律", "行政法规", "监察法规")
LOCAL_LEVELS = ("地方性法规", "地方政府规章")


@dataclass(frozen=True)
class Limits:
    """How much a brief of one length carries."""

    national: int  # governing national laws
    local: int  # governing local regulations
    key: int  # 重点条款 per law
    duties: int  # per law
    prohibitions: int  # per law
    liabilities: int  # per law
    points: int
    questions: int


LIMITS = {
    "short": Limits(national=2, local=1, key=2, duties=2, prohibitions=1, liabilities=2, points=4, questions=3),
    "standard": Limits(national=3, local=2, key=3, duties=3, prohibitions=2, liabilities=3, points=6, questions=5),
}

# ---- patterns ----------------------------------------------------------------------------------------
_SELF = r"本(?:法典|法|条例|规定|办法|细则|决定|规则)"
_PURPOSE_RE = re.compile(rf"^\s*为[了]?[^。]{{4,}}?制定{_SELF}")
_SCOPE_RE = re.compile(rf"适用{_SELF}|{_SELF}适用于|应当遵守{_SELF}|遵守{_SELF}")
_ORGAN = (r"(?:人民政府|政府|部门|机关|机构|委员会|办公室|管理局|办事处|监察委员会|人民检察院|人民法院|"
          r"管理委员会|管理机构)")
_DUTY_VERB_RE = re.compile(r"应当|负责(?![、，。；])|履行|承担|组织|实施(?:综合)?监督管理|依法对")
_ORGAN_RE = re.compile(_ORGAN)
_NON_ORGAN_RE = re.compile(r"单位|企业|经营者|个人|公民|从业人员|当事人|承包|业主|建设者")
_PROHIBIT_RE = re.compile(r"不得|禁止|严禁")
_LIABILITY_RE = re.compile(rf"违反{_SELF}|给予[^。；]{{0,8}}处分|追究[^。；]{{0,4}}刑事责任|处[^。；]{{0,30}}罚款|"
                           r"责令(?:改正|限期|停产|停止)|没收违法所得|吊销|依法予以处理|予以处理")
_ACCOUNTABILITY_RE = re.compile(r"滥用职权|玩忽职守|徇私舞弊")
_VIOLATES_RE = re.compile(rf"违反{_SELF}(?:规定，?)?((?:第[一二三四五六七八九十百零〇]+条(?:第[一二三四五六七八九十]+款)?[、，和及或至]*)+)")
_NUM_IN_REF = re.compile(r"第([一二三四五六七八九十百零〇]+)条")
_SENT_SPLIT = re.compile(r"(?<=[。；！？])|\n")

# 重点注意: what kind of point a clause makes
_POINT_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("时限要求", re.compile(r"(?:[0-9一二三四五六七八九十百]+(?:个)?(?:工作日|日|天|个月|年)(?:内|以内|前|之前))|"
                        r"(?:之日起[^。；]{0,10}(?:日|月|年))|定期|每年")),
    ("程序要求", re.compile(r"应当[^。；]{0,40}(?:听证|公示|备案|征求[^。；]{0,6}意见|专家论证|风险评估|合法性审查|"
                        r"集体讨论|向社会公开|报告|通报|评估|论证|审查)")),
    ("数额与标准", re.compile(r"[0-9一二三四五六七八九十百千万]+(?:元|万元|倍|人|米|公顷|亩|吨)(?:以上|以下)")),
)
_PROCEDURE_WORDS = ("听证", "公示", "备案", "审批", "批准", "征求", "专家论证", "风险评估", "合法性审查", "集体讨论",
                    "公开", "报告", "通报", "登记", "评价", "验收", "审查")

# words of a topic that say nothing about which law governs it
_TOPIC_STOP = frozenset("""工作 专项 整治 推进 加强 开展 实施 项目 方案 问题 会议 研究 决定 部署 落实 有关 相关 情况
关于 进一步 全面 行动 活动 高质量 高质量发展 发展 保护 管理 治理 服务 改革 创新 提高 促进 完善 健全 建设 推动 提升 重点 任务 措施 意见 讨论 审议 学习 专题 我市 我县 我省 本市 全市 全县 全省""".split())


# agenda phrases that would pull in any article using the same policy words (氢能产业高质量发展 …)
_GENERIC_PHRASES = re.compile(r"高质量发展|专项整治|专项行动|集中整治|三年行动|工作方案|实施方案|有关工作|工作|"
                              r"推进|加强|开展|落实|全面|深入|进一步|[和及与的]$")


def focus_query(topic: str) -> str:
    """The topic without agenda boilerplate, for ranking a law's articles ('东平湖生态保护和高质量发展' ->
    '东平湖生态保护'); the topic itself if nothing is left."""
    q = topic
    for _ in range(3):
        q = _GENERIC_PHRASES.sub("", q).strip()
    return q if len(q) >= 2 else topic


# ---- data ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quote:
    """One article quoted verbatim: `text` is the stored article text, never edited."""

    law_id: str
    law_title: str
    number: int
    sub: int
    label: str
    text: str
    chapter: str | None = None
    note: str | None = None  # e.g. "对应第十条" for a liability matched to a duty

    @property
    def cite(self) -> str:
        return f"《{self.law_title}》{self.label}"

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.law_id, self.number, self.sub)

    def to_json(self) -> dict[str, Any]:
        return {"law": self.law_title, "law_id": self.law_id, "article": self.number, "sub": self.sub,
                "label": self.label, "cite": self.cite, "text": self.text, "chapter": self.chapter,
                "note": self.note}

    @classmethod
    def of(cls, law: Law, article: Article, note: str | None = None) -> "Quote":
        return cls(law.law_id, law.title, article.number, article.sub, article.label, article.text,
                   article.chapter, note)


@dataclass(frozen=True)
class LawEntry:
    """A governing law as listed in the brief's table."""

    law_id: str
    title: str
    level: str
    issuer: str | None
    region: str | None
    effective_date: str | None
    publish_date: str | None
    status: str
    source: str
    scope: str  # 国家 / 地方
    score: float
    reason: str  # why it was chosen: 检索相关 / 主题点名 / 用户指定
    status_note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Point:
    """A derived point or an answer: prose around verbatim quotations (in “”) with the articles cited."""

    text: str
    citations: tuple[Quote, ...]
    kind: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "citations": [q.cite for q in self.citations]}


@dataclass(frozen=True)
class Question:
    question: str
    answer: str
    citations: tuple[Quote, ...]

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.answer, "citations": [q.cite for q in self.citations]}


@dataclass
class Brief:
    """A 会前学法 brief. Sections hold `Quote`s (verbatim) grouped by law, in the laws' order."""

    topic: str
    length: str
    laws: list[LawEntry] = field(default_factory=list)
    purposes: list[Quote] = field(default_factory=list)  # 立法目的
    scopes: list[Quote] = field(default_factory=list)  # 适用范围
    key_articles: list[Quote] = field(default_factory=list)  # 重点条款
    duties: list[Quote] = field(default_factory=list)  # 部门职责
    prohibitions: list[Quote] = field(default_factory=list)  # 禁止性规定
    liabilities: list[Quote] = field(default_factory=list)  # 法律责任
    points: list[Point] = field(default_factory=list)  # 需要重点注意的问题
    questions: list[Question] = field(default_factory=list)  # 思考题
    intro: list[str] = field(default_factory=list)  # LLM 导语 sentences that passed the citation check
    notes: list[str] = field(default_factory=list)
    llm_used: bool = False

    @property
    def title(self) -> str:
        return f"会前学法材料：{self.topic}"

    def quotes(self) -> list[Quote]:
        """Every quoted article, in the order it appears."""
        return [*self.purposes, *self.scopes, *self.key_articles, *self.duties, *self.prohibitions,
                *self.liabilities]

    def sources(self) -> list[tuple[LawEntry, list[Quote]]]:
        """Cited articles per law (quoted ones and those cited in points and answers), in article order."""
        cited: dict[str, dict[tuple, Quote]] = defaultdict(dict)
        extra = [q for p in self.points for q in p.citations] + [q for x in self.questions for q in x.citations]
        for q in [*self.quotes(), *extra]:
            cited[q.law_id].setdefault(q.key, q)
        out = []
        for entry in self.laws:
            qs = sorted(cited.get(entry.law_id, {}).values(), key=lambda q: (q.number, q.sub))
            if qs:
                out.append((entry, qs))
        return out

    def by_law(self, quotes: Iterable[Quote]) -> list[tuple[LawEntry, list[Quote]]]:
        groups: dict[str, list[Quote]] = defaultdict(list)
        for q in quotes:
            groups[q.law_id].append(q)
        return [(e, groups[e.law_id]) for e in self.laws if groups.get(e.law_id)]

    # ---- outputs ------------------------------------------------------------------------------------
    def sections(self) -> list[tuple[str, str, list[Quote]]]:
        """(heading, lead sentence, quotes) for the quoted sections, in order."""
        return [
            ("出台背景与立法目的", "各法规开篇条款规定的立法目的如下。", self.purposes),
            ("适用范围", "以下条款规定了各法规的适用范围。", self.scopes),
            ("重点条款", "与本次议题关系最密切的条款原文如下。", self.key_articles),
            ("部门职责", "有关人民政府及其部门的法定职责如下，会议决策和分工落实时应当对照。", self.duties),
            ("禁止性规定", "以下禁止性规定划出了决策和执行的底线。", self.prohibitions),
            ("法律责任", "违反上述职责和禁止性规定的法律责任如下。", self.liabilities),
        ]

    def to_markdown(self) -> str:
        out: list[str] = [f"# {self.title}", ""]
        n = 0

        def head(text: str) -> None:
            nonlocal n
            n += 1
            out.extend([f"## {int_to_cn(n)}、{text}", ""])

        head("学习主题")
        out.extend([self.topic, ""])
        out.extend([self._summary(), ""])
        if self.intro:
            out.extend(["**学习导语**（由大模型生成，所引条文已逐条核验）", "", "".join(self.intro), ""])
        head("相关法律法规")
        out.extend(["| 序号 | 名称 | 效力级别 | 制定机关 | 施行日期 | 时效性 |",
                    "| --- | --- | --- | --- | --- | --- |"])
        for i, e in enumerate(self.laws, 1):
            out.append(f"| {i} | 《{e.title}》 | {e.level} | {e.issuer or '—'} | {e.effective_date or '—'} "
                       f"| {e.status} |")
        out.append("")
        for e in self.laws:
            if e.status_note:
                out.extend([f"《{e.title}》：{e.status_note}。", ""])
        for heading, lead, quotes in self.sections():
            if not quotes:
                continue
            head(heading)
            out.extend([lead, ""])
            for entry, qs in self.by_law(quotes):
                out.extend([f"### 《{entry.title}》", ""])
                for q in qs:
                    out.extend([f"**{q.label}**" + (f"（{q.note}）" if q.note else ""), ""])
                    out.append("\n>\n".join("> " + line for line in q.text.split("\n")))
                    out.append("")
        if self.points:
            head("需要重点注意的问题")
            for i, p in enumerate(self.points, 1):
                out.append(f"{i}. {p.text}")
            out.append("")
        if self.questions:
            head("思考题")
            for i, x in enumerate(self.questions, 1):
                out.extend([f"{i}. {x.question}", "", f"   答：{x.answer}", ""])
        head("参考依据")
        for entry, qs in self.sources():
            labels = "、".join(q.label for q in qs)
            dates = f"，{entry.effective_date}施行" if entry.effective_date else ""
            out.append(f"- 《{entry.title}》（{entry.level}，{entry.status}{dates}）：{labels}")
        out.append("")
        for note in self.notes:
            out.extend([f"注：{note}", ""])
        out.append("本材料由 xuefa 学法助手从知识库所存法规原文中摘编，引文均为原文；正式引用请以官方公布文本为准。")
        return "\n".join(out).rstrip() + "\n"

    def _summary(self) -> str:
        if not self.laws:
            return "知识库中没有找到与本主题相关的现行法规。"
        nat = [e for e in self.laws if e.scope == "国家"]
        loc = [e for e in self.laws if e.scope == "地方"]
        parts = []
        if nat:
            parts.append(f"国家法律法规{len(nat)}部（" + "、".join(f"《{e.title}》" for e in nat) + "）")
        if loc:
            parts.append(f"地方性法规{len(loc)}部（" + "、".join(f"《{e.title}》" for e in loc) + "）")
        return (f"本材料围绕上述议题，摘编{'和'.join(parts)}的有关条款，供会前学习。"
                f"所引条文均为现行文本原文，按法规分组排列。")

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic, "title": self.title, "length": self.length, "llm_used": self.llm_used,
            "laws": [e.to_json() for e in self.laws],
            "intro": "".join(self.intro),
            "sections": {
                "立法目的": [q.to_json() for q in self.purposes],
                "适用范围": [q.to_json() for q in self.scopes],
                "重点条款": [q.to_json() for q in self.key_articles],
                "部门职责": [q.to_json() for q in self.duties],
                "禁止性规定": [q.to_json() for q in self.prohibitions],
                "法律责任": [q.to_json() for q in self.liabilities],
            },
            "points": [p.to_json() for p in self.points],
            "questions": [x.to_json() for x in self.questions],
            "sources": [{"law": e.title, "articles": [q.label for q in qs]} for e, qs in self.sources()],
            "notes": list(self.notes),
        }

    def to_docx(self, path: Path | str) -> Path:
        return brief_docx(self, path)


def _fill_docx(brief: Brief):
    from assistant.export.word import WordWriter

    w = WordWriter(brief.title)
    n = 0

    def head(text: str) -> None:
        nonlocal n
        n += 1
        w.heading(f"{int_to_cn(n)}、{text}", level=1)

    head("学习主题")
    w.paragraph(brief.topic, bold=True)
    w.paragraph(brief._summary())
    if brief.intro:
        w.paragraph("学习导语（由大模型生成，所引条文已逐条核验）", bold=True)
        w.paragraph("".join(brief.intro))
    head("相关法律法规")
    w.table(["序号", "名称", "效力级别", "制定机关", "施行日期", "时效性"],
            [[str(i), f"《{e.title}》", e.level, e.issuer or "—", e.effective_date or "—", e.status]
             for i, e in enumerate(brief.laws, 1)])
    for e in brief.laws:
        if e.status_note:
            w.paragraph(f"《{e.title}》：{e.status_note}。")
    for heading, lead, quotes in brief.sections():
        if not quotes:
            continue
        head(heading)
        w.paragraph(lead)
        for entry, qs in brief.by_law(quotes):
            w.heading(f"《{entry.title}》", level=2)
            for q in qs:
                w.paragraph(q.label + (f"（{q.note}）" if q.note else ""), bold=True)
                w.quote(q.text)
    if brief.points:
        head("需要重点注意的问题")
        for i, p in enumerate(brief.points, 1):
            w.paragraph(f"{i}. {p.text}")
    if brief.questions:
        head("思考题")
        for i, x in enumerate(brief.questions, 1):
            w.paragraph(f"{i}. {x.question}", bold=True)
            w.paragraph(f"答：{x.answer}")
    head("参考依据")
    for entry, qs in brief.sources():
        dates = f"，{entry.effective_date}施行" if entry.effective_date else ""
        w.paragraph(f"《{entry.title}》（{entry.level}，{entry.status}{dates}）：" + "、".join(q.label for q in qs))
    for note in brief.notes:
        w.paragraph(f"注：{note}")
    w.paragraph("本材料由 xuefa 学法助手从知识库所存法规原文中摘编，引文均为原文；正式引用请以官方公布文本为准。")
    return w


def brief_docx(brief: Brief, path: Path | str) -> Path:
    """Write the brief as Word (公文 fonts, headings, the laws table) through `WordWriter`."""
    return _fill_docx(brief).save(path)


def brief_docx_bytes(brief: Brief) -> bytes:
    """The same document as bytes (for web downloads)."""
    return _fill_docx(brief).to_bytes()


def cite_group(quotes: Iterable[Quote]) -> str:
    """《甲法》第一条、第三条，《乙条例》第五条 — one title per law, articles in the given order."""
    groups: dict[str, list[Quote]] = {}
    for q in quotes:
        groups.setdefault(q.law_title, []).append(q)
    return "，".join(f"《{t}》" + "、".join(q.label for q in qs) for t, qs in groups.items())


# ---- helpers -------------------------------------------------------------------------------------------
def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_SPLIT.split(text) if s and s.strip()]


def _topic_terms(topic: str) -> list[str]:
    """Content words of the topic (jieba, as the lexical index sees them), without generic agenda words."""
    from knowledge.lexical import tokenize

    words = [t for t in tokenize(topic) if not t.startswith("#") and len(t) >= 2 and t not in _TOPIC_STOP]
    out: list[str] = []
    for w in words:
        if w not in out:
            out.append(w)
    return out


# national laws made for one region; chosen for a brief only when the region is named
_REGIONAL_LAW = re.compile(r"青藏高原|长江|黄河|黑土地|香港|澳门|海南自由贸易港|横琴|湿地|南海|台湾")
RELATIVE_UPPER = 0.25


def _scope_of(law: Law) -> str:
    if law.level in LOCAL_LEVELS:
        return "地方"
    if law.region and law.region not in ("全国", "中华人民共和国") and law.level not in NATIONAL_LEVELS:
        return "地方"
    return "国家"


def _is_liability(a: Article) -> bool:
    return bool(a.chapter and "法律责任" in a.chapter)


def _duty_sentence(text: str) -> str | None:
    """The first sentence (verbatim, end punctuation dropped) that lays a duty on an organ (人民政府, 部门,
    机关 …) rather than on a company or citizen; None if there is none.

    The subject is what precedes the first duty verb of a sentence (应当, 负责, 履行 …)."""
    for s in _sentences(text):
        m = _DUTY_VERB_RE.search(s)
        if not m:
            continue
        subject = s[:m.start()]
        if len(subject) <= 40 and _ORGAN_RE.search(subject) and not _NON_ORGAN_RE.search(subject):
            return s.rstrip("。；")
    return None


def _organ_duty(text: str) -> bool:
    return _duty_sentence(text) is not None


def _clause(text: str, pattern: re.Pattern, max_len: int = 120) -> str | None:
    """The first sentence of `text` (verbatim) that matches `pattern`, ending at its punctuation."""
    for s in _sentences(text):
        if pattern.search(s) and len(s) <= max_len:
            return s.rstrip("。；")
    return None


_ITEM_LINE = re.compile(r"^\s*[（(][一二三四五六七八九十百]+[）)]")


def quoted(text: str, pattern: re.Pattern | None = None, max_len: int = 200) -> str:
    """Verbatim pieces of an article in “”, for prose: the first sentence matching `pattern` (or the first
    sentence); a 项 comes with the sentence that introduces it, a '下列…：' sentence with its first 项."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for i, line in enumerate(lines):
        for sent in _sentences(line):
            if pattern is not None and not pattern.search(sent):
                continue
            if len(sent) > max_len:
                continue
            if _ITEM_LINE.match(line):  # a 项: quote the sentence that introduces the list first
                lead = next((lines[j] for j in range(i - 1, -1, -1) if not _ITEM_LINE.match(lines[j])), None)
                intro = [x for x in _sentences(lead) if "下列" in x] if lead else []
                head = f"“{(intro[-1] if intro else _sentences(lead)[0]).rstrip('：:。；')}”" if lead else ""
                return f"{head}……“{sent.rstrip('。；')}”" if head else f"“{sent.rstrip('。；')}”"
            if sent.endswith(("：", ":")) and i + 1 < len(lines) and _ITEM_LINE.match(lines[i + 1]):
                n = sum(1 for ln in lines[i + 1:] if _ITEM_LINE.match(ln))
                return f"“{sent.rstrip('：:')}”，包括“{lines[i + 1].rstrip('。；')}”等{int_to_cn(n)}项"
            return f"“{sent.rstrip('。；')}”"
    return quoted(text, None, max_len) if pattern is not None else f"“{_first_sentence(text, max_len)}”"


def _first_sentence(text: str, max_len: int = 150) -> str:
    s = _sentences(text)[0] if text.strip() else ""
    return s.rstrip("。；") if len(s) <= max_len else s[:max_len].rstrip("，、；")


@lru_cache(maxsize=50_000)
def _content_tokens(text: str) -> frozenset[str]:
    """CJK character bigrams: cheap (no segmenter) and, weighted by idf, good enough to match articles."""
    return frozenset(run[i:i + 2] for run in re.findall(r"[\u4e00-\u9fff]+", text) for i in range(len(run) - 1))


def _idf(texts: list[str]) -> dict[str, float]:
    """Inverse document frequency of content words over `texts` (common legal words weigh little)."""
    import math

    df: dict[str, int] = defaultdict(int)
    for t in texts:
        for tok in _content_tokens(t):
            df[tok] += 1
    n = len(texts) + 1
    return {tok: math.log(n / c) for tok, c in df.items()}


def _violated_numbers(text: str) -> set[int]:
    from knowledge.numerals import cn_to_int

    nums: set[int] = set()
    for m in _VIOLATES_RE.finditer(text):
        for n in _NUM_IN_REF.findall(m.group(1)):
            v = cn_to_int(n)
            if v:
                nums.add(v)
    return nums


# ---- the writer ----------------------------------------------------------------------------------------
@dataclass
class _LawWork:
    """Per-law state while a brief is assembled."""

    law: Law
    entry: LawEntry
    articles: list[Article]
    relevance: dict[str, float]  # article_id -> relevance to the topic
    used: set[tuple[int, int]] = field(default_factory=set)


class BriefWriter:
    """Writes 会前学法 briefs from the knowledge base; an LLM, if given, only adds a verified 导语."""

    def __init__(self, kb, llm=None, top_k: int = 30):
        self.kb = kb
        self.llm = llm
        self.top_k = top_k

    # ---- choosing the governing laws --------------------------------------------------------------
    def choose_laws(self, topic: str, laws: Iterable[str] | None = None,
                    length: str = "standard") -> list[tuple[Law, float, str]]:
        """(law, score, reason) for the laws that govern the topic, best first."""
        limits = LIMITS[length]
        chosen: list[tuple[Law, float, str]] = []
        seen: set[str] = set()
        for name in laws or ():
            law = self.kb.resolve_law(name)
            if law is None:
                raise NotFoundError(f"知识库中没有现行的《{name}》。用 `xuefa laws` 查看已有文档，或先导入该法规。")
            if law.law_id not in seen:
                chosen.append((law, 0.0, "用户指定"))
                seen.add(law.law_id)
        for law, _alias in self.kb.names.detect(topic):
            if law.law_id not in seen and law.is_current:
                chosen.append((law, 0.0, "主题点名"))
                seen.add(law.law_id)
        mass: dict[str, float] = defaultdict(float)
        by_id: dict[str, Law] = {}
        terms = _topic_terms(topic)
        core = focus_query(topic)
        for query in (topic, f"{core} 职责", f"{core} 法律责任"):
            for h in self.kb.search(query, top_k=self.top_k):
                w = 1.0 / (5 + h.rank)
                # an article that names the topic's own words counts double (东平湖, 安全生产 …)
                if terms and any(t in h.article.text or t in h.law.title for t in terms):
                    w *= 2
                mass[h.law.law_id] += w
                by_id[h.law.law_id] = h.law
        if not mass:
            return chosen
        ranked = sorted(mass.items(), key=lambda kv: (-kv[1], kv[0]))
        top = ranked[0][1]
        n_nat = sum(1 for law, _, _ in chosen if _scope_of(law) == "国家")
        n_loc = len(chosen) - n_nat
        for law_id, m in ranked:
            if law_id in seen or m < RELATIVE_MASS * top:
                continue
            law = by_id[law_id]
            if _scope_of(law) == "国家":
                if n_nat >= limits.national:
                    continue
                n_nat += 1
            else:
                if n_loc >= limits.local:
                    continue
                n_loc += 1
            chosen.append((law, m, "检索相关"))
            seen.add(law_id)
        if limits.national and n_loc and n_nat < min(2, limits.national):
            # a local regulation is studied together with the national laws above it (上位法)
            local = next(law for law, _, _ in chosen if _scope_of(law) == "地方")
            for upper in self._upper_laws(topic, local, limit=min(2, limits.national) - n_nat):
                if upper.law_id not in seen:
                    chosen.append((upper, 0.0, "上位法"))
                    seen.add(upper.law_id)
        return chosen

    def _upper_laws(self, topic: str, local: Law, limit: int) -> list[Law]:
        """National laws that best match the topic and a local regulation's purpose clause.

        A national law made for one region (青藏高原, 长江 …) only counts when that region is named."""
        purpose = self._purpose_clause(local) or local.title
        context = f"{topic} {purpose}"
        mass: dict[str, float] = defaultdict(float)
        laws: dict[str, Law] = {}
        for query in (purpose, topic, focus_query(topic)):
            for h in self.kb.search(query, top_k=self.top_k, source="national"):
                region = _REGIONAL_LAW.search(h.law.title)
                if _scope_of(h.law) != "国家" or (region and region.group(0) not in context):
                    continue
                mass[h.law.law_id] += 1.0 / (5 + h.rank)
                laws[h.law.law_id] = h.law
        ranked = sorted(mass, key=lambda k: (-mass[k], k))
        return [laws[k] for k in ranked[:limit] if mass[k] >= RELATIVE_UPPER * mass[ranked[0]]]

    # ---- the brief --------------------------------------------------------------------------------
    def write(self, topic: str, laws: Iterable[str] | None = None, length: str = "standard") -> Brief:
        topic = " ".join((topic or "").split())
        if not topic:
            raise XuefaError("请给出学习主题，例如：xuefa brief \"安全生产专项整治\"")
        if length not in LIMITS:
            raise XuefaError(f"篇幅只能是 short 或 standard，而不是 {length}")
        limits = LIMITS[length]
        brief = Brief(topic=topic, length=length)
        chosen = self.choose_laws(topic, laws, length)
        if not chosen:
            brief.notes.append("知识库中没有找到与本主题相关的现行法规；可用 --law 指定法规，或先导入有关地方性法规。")
            return brief
        # national laws first (by rank), then local ones: the order readers expect
        chosen.sort(key=lambda c: _scope_of(c[0]) != "国家")
        terms = _topic_terms(topic)
        # a local regulation named after the topic's own subject (东平湖 …) says what the topic is about:
        # its purpose clause sharpens which articles of the broad national laws are relevant
        focus = next((law for law, _, _ in chosen if _scope_of(law) == "地方"
                      and any(t in law.title for t in terms)), None)
        context = self._purpose_clause(focus) if focus else None
        works = [self._work(law, score, reason, topic, terms,
                            context if _scope_of(law) == "国家" else None) for law, score, reason in chosen]
        brief_focus = focus.law_id if focus else None
        brief.laws = [w.entry for w in works]

        for w in works:
            q = self._purpose(w)
            if q:
                brief.purposes.append(q)
            q = self._scope(w)
            if q:
                brief.scopes.append(q)
        for w in works:
            brief.duties.extend(self._duties(w, limits.duties))
            brief.prohibitions.extend(self._prohibitions(w, limits.prohibitions))
        idf = _idf([a.text for w in works for a in w.articles])
        for w in works:
            brief.liabilities.extend(self._liabilities(w, brief, limits.liabilities, idf))
        for w in works:
            brief.key_articles.extend(self._key(w, limits.key))
        brief.points = self._points(works, brief, limits.points, brief_focus)
        brief.questions = self._questions(topic, works, brief, limits.questions, brief_focus)
        for w in works:
            if not any(q.law_id == w.law.law_id for q in brief.quotes()):
                brief.notes.append(f"《{w.law.title}》中未找到可摘编的条款。")
        if self.llm is not None:
            self._add_intro(brief)
        return brief

    def _purpose_clause(self, law: Law) -> str | None:
        """'加强东平湖生态保护和修复，提高蓄水防洪能力…' from the 为了…制定本条例 article."""
        for a in self.kb.catalog.articles(law.law_id)[:5]:
            m = re.search(r"为了?(.{4,}?)(?:，根据|，依据|，结合|，制定)", a.text)
            if m and _PURPOSE_RE.search(a.text):
                return m.group(1)
        return None

    def _work(self, law: Law, score: float, reason: str, topic: str, terms: list[str],
              context: str | None = None) -> _LawWork:
        articles = self.kb.catalog.articles(law.law_id)
        relevance: dict[str, float] = defaultdict(float)
        for query, weight in ((focus_query(topic), 1.0), (context, 1.5)):
            if not query:
                continue
            for h in self.kb.search(query, top_k=60, law=law.law_id):
                relevance[h.article.article_id] += weight / (5 + h.rank)
        # topic words the law rarely uses say more than its everyday words (发展, 保护 …)
        import math

        n = len(articles) + 1
        for t in terms:
            df = sum(1 for a in articles if t in a.text)
            if not df:
                continue
            weight = 0.08 * math.log(n / df) / math.log(n)
            for a in articles:
                if t in a.text:
                    relevance[a.article_id] += weight
        entry = LawEntry(law.law_id, law.title, law.level, law.issuer, law.region, law.effective_date,
                         law.publish_date, law.status, law.source, _scope_of(law), round(score, 4), reason,
                         law.status_note)
        return _LawWork(law, entry, articles, dict(relevance))

    @staticmethod
    def _take(w: _LawWork, article: Article, note: str | None = None) -> Quote:
        w.used.add((article.number, article.sub))
        return Quote.of(w.law, article, note)

    def _ranked(self, w: _LawWork, pred) -> list[Article]:
        cands = [a for a in w.articles if (a.number, a.sub) not in w.used and pred(a)]
        return sorted(cands, key=lambda a: (-w.relevance.get(a.article_id, 0.0), a.ordinal))

    def _purpose(self, w: _LawWork) -> Quote | None:
        for a in w.articles[:5]:
            if _PURPOSE_RE.search(a.text):
                return self._take(w, a)
        return None

    def _scope(self, w: _LawWork) -> Quote | None:
        for a in w.articles[:8]:
            if (a.number, a.sub) not in w.used and _SCOPE_RE.search(a.text) and not _is_liability(a):
                return self._take(w, a)
        return None

    def _duties(self, w: _LawWork, n: int) -> list[Quote]:
        ranked = self._ranked(w, lambda a: not _is_liability(a) and _organ_duty(a.text)
                              and w.relevance.get(a.article_id, 0) > 0)
        return [self._take(w, a) for a in ranked[:n]]

    def _prohibitions(self, w: _LawWork, n: int) -> list[Quote]:
        def weight(a: Article) -> float:  # a prohibition that opens the article is its point
            opens = bool(re.match(r"\s*(?:禁止|严禁)", a.text))
            return w.relevance.get(a.article_id, 0.0) + 0.1 * opens + 0.02 * len(_PROHIBIT_RE.findall(a.text))

        cands = [a for a in w.articles if (a.number, a.sub) not in w.used and not _is_liability(a)
                 and _PROHIBIT_RE.search(a.text) and w.relevance.get(a.article_id, 0) > 0]
        cands.sort(key=lambda a: (-weight(a), a.ordinal))
        return [self._take(w, a) for a in cands[:n]]

    def _liability_articles(self, w: _LawWork) -> list[Article]:
        marked = [a for a in w.articles if _is_liability(a)]
        if marked:
            return marked
        # no 法律责任 chapter (short regulations): liability articles in the last part of the text
        cut = int(len(w.articles) * 0.6)
        return [a for a in w.articles[cut:] if _LIABILITY_RE.search(a.text)]

    def _liabilities(self, w: _LawWork, brief: Brief, n: int, idf: dict[str, float]) -> list[Quote]:
        """Liability articles of one law, matched to the duties and prohibitions the brief quotes (of any
        law: a local regulation's prohibition is often punished under the national law)."""
        targets = [*brief.duties, *brief.prohibitions]
        # match against each 款/项 of a duty or prohibition: "（七）在东平湖设置排污口" is a unit of its own
        target_units = {q.key: [_content_tokens(line) for line in q.text.split("\n") if len(line) >= 6]
                        for q in targets}
        scored: list[tuple[float, int, Article, str | None]] = []
        for a in self._liability_articles(w):
            if (a.number, a.sub) in w.used:
                continue
            score = w.relevance.get(a.article_id, 0.0) * 4
            refs = _violated_numbers(a.text)
            matched = [q for q in targets if q.law_id == w.law.law_id and q.number in refs]
            score += 1.0 * len(matched)
            if not matched and targets and not _ACCOUNTABILITY_RE.search(a.text):
                toks = _content_tokens(a.text)
                best_q, best = None, 0.0
                for q in targets:
                    for ts in target_units[q.key]:
                        total = sum(idf.get(t, 0.0) for t in ts)
                        val = sum(idf.get(t, 0.0) for t in toks & ts) / total if total else 0.0
                        if val > best:
                            best_q, best = q, val
                score += best
                if best_q is not None and best >= MATCH_MIN:
                    matched = [best_q]
            if _ACCOUNTABILITY_RE.search(a.text):
                score += 0.3  # the officials' own liability: always worth reading before a decision
            note = None
            if matched:
                note = "对应" + "、".join(q.label if q.law_id == w.law.law_id else q.cite for q in matched)
            scored.append((score, a.ordinal, a, note))
        scored.sort(key=lambda s: (-s[0], s[1]))
        picked = scored[:n]
        if n > 0 and not any(_ACCOUNTABILITY_RE.search(s[2].text) for s in picked):
            acc = [s for s in scored if _ACCOUNTABILITY_RE.search(s[2].text)]
            if acc:
                picked = [*picked[: n - 1], acc[0]]
        picked.sort(key=lambda s: s[1])
        return [self._take(w, a, note) for _, _, a, note in picked]

    def _key(self, w: _LawWork, n: int) -> list[Quote]:
        ranked = self._ranked(w, lambda a: not _is_liability(a) and w.relevance.get(a.article_id, 0) > 0)
        picked = sorted(ranked[:n], key=lambda a: a.ordinal)
        return [self._take(w, a) for a in picked]

    # ---- derived points and questions -------------------------------------------------------------
    def _points(self, works: list[_LawWork], brief: Brief, n: int, focus: str | None = None) -> list[Point]:
        """需要重点注意的问题: each point quotes (in “”) a sentence of a cited article verbatim."""
        points: list[Point] = []

        def first(quotes: list[Quote]) -> list[Quote]:
            return sorted(quotes, key=lambda q: q.law_id != focus)

        nat = [w for w in works if w.entry.scope == "国家"]
        loc = sorted((w for w in works if w.entry.scope == "地方"), key=lambda w: w.law.law_id != focus)
        if nat and loc:
            pq = next((q for q in brief.purposes if q.law_id == loc[0].law.law_id), None)
            text = (f"上位法与地方性法规一并适用：《{loc[0].law.title}》是结合本地实际制定的地方性法规，"
                    f"会议决策既要执行{'、'.join('《' + w.law.title + '》' for w in nat)}等国家法律法规，"
                    f"也要落实地方性法规的具体要求")
            text += f"（见{pq.cite}）。" if pq else "。"
            points.append(Point(text, (pq,) if pq else (), "法规适用"))
        duty = next(iter(first(brief.duties)), None)
        if duty:
            clause = _duty_sentence(duty.text)
            if clause:
                points.append(Point(f"职责分工：{duty.cite}规定，“{clause}”。决策时应明确牵头单位和配合单位。",
                                    (duty,), "职责"))
        ban = next(iter(first(brief.prohibitions)), None)
        if ban:
            points.append(Point(f"底线要求：{ban.cite}规定，{quoted(ban.text, _PROHIBIT_RE)}。"
                                "项目安排不得触碰禁止性规定。", (ban,), "禁止"))
        pool = first([*brief.duties, *brief.key_articles, *brief.prohibitions])
        for kind, rx in _POINT_KINDS:
            for q in pool:
                clause = _clause(q.text, rx, 160)
                if clause and not any(clause in p.text for p in points):
                    points.append(Point(f"{kind}：{q.cite}规定，“{clause}”。", (q,), kind))
                    break
        acc = next((q for q in first(brief.liabilities) if _ACCOUNTABILITY_RE.search(q.text)), None)
        if acc:
            points.append(Point(f"履职尽责：{acc.cite}规定，{quoted(acc.text, _ACCOUNTABILITY_RE)}。"
                                "决策和执行中失职失责的，要承担个人责任。", (acc,), "责任"))
        for e in brief.laws:
            if e.status != STATUS_CURRENT and e.status_note:
                points.append(Point(f"版本提示：《{e.title}》{e.status_note}。", (), "版本"))
        return points[:n]

    def _questions(self, topic: str, works: list[_LawWork], brief: Brief, n: int,
                   focus: str | None = None) -> list[Question]:
        qs: list[Question] = []
        for q in sorted(brief.purposes, key=lambda q: q.law_id != focus)[:1]:
            qs.append(Question(f"《{q.law_title}》的立法目的是什么？它与“{topic}”有什么关系？",
                               f"{q.cite}规定：{quoted(q.text, _PURPOSE_RE, 400)}。会议研究{topic}，应当以此为出发点。", (q,)))
        duties = sorted(brief.duties, key=lambda q: q.law_id != focus)
        duty = duties[0] if duties else None
        if duty:
            clause = _duty_sentence(duty.text)
            clause = f"“{clause}”" if clause else quoted(duty.text)
            qs.append(Question(f"在{topic}工作中，有关人民政府和部门负有哪些法定职责？",
                               f"例如{duty.cite}规定：{clause}。"
                               + self._also(duties[1:3]), (duty, *duties[1:3])))
        bans = sorted(brief.prohibitions, key=lambda q: q.law_id != focus)
        if bans:
            p = bans[0]
            qs.append(Question(f"{topic}中有哪些行为是法律明令禁止的？",
                               f"{p.cite}规定：{quoted(p.text, _PROHIBIT_RE, 300)}。" + self._also(bans[1:3]), (p, *bans[1:3])))
        liabilities = sorted(brief.liabilities, key=lambda q: q.law_id != focus)
        acc = next((q for q in liabilities if _ACCOUNTABILITY_RE.search(q.text)), None)
        if acc:
            qs.append(Question("国家工作人员在相关工作中滥用职权、玩忽职守的，要承担什么法律责任？",
                               f"{acc.cite}规定：{quoted(acc.text, _ACCOUNTABILITY_RE, 300)}。", (acc,)))
        other = [q for q in liabilities if q is not acc and q.note] or [q for q in liabilities if q is not acc]
        if other:
            lq = other[0]
            qs.append(Question(f"违反《{lq.law_title}》有关规定的，如何追究法律责任？",
                               f"{lq.cite}规定：{quoted(lq.text, _LIABILITY_RE, 300)}。", (lq,)))
        if brief.scopes and len(qs) < n:
            s = brief.scopes[0]
            qs.append(Question(f"《{s.law_title}》适用于哪些活动？", f"{s.cite}规定：{quoted(s.text, _SCOPE_RE, 300)}。", (s,)))
        procedure = next((q for q in (*brief.duties, *brief.key_articles)
                          if any(wd in q.text for wd in _PROCEDURE_WORDS)), None)
        if procedure and len(qs) < n:
            clause = quoted(procedure.text, _POINT_KINDS[1][1], 300)
            qs.append(Question(f"推进{topic}要履行哪些程序？", f"{procedure.cite}规定：{clause}。", (procedure,)))
        return qs[:n]

    @staticmethod
    def _also(quotes: Iterable[Quote]) -> str:
        return f"另见{cite_group(quotes)}。" if quotes else ""

    # ---- optional LLM 导语 --------------------------------------------------------------------------
    def _add_intro(self, brief: Brief) -> None:
        quotes = brief.quotes()
        if not quotes:
            return
        listing = "\n".join(f"{q.cite}：{q.text}" for q in quotes[:20])
        prompt = (TEMPLATES / "intro.txt").read_text(encoding="utf-8").format(
            topic=brief.topic, articles=listing, max_chars=200 if brief.length == "short" else 300)
        try:
            reply = self.llm.invoke(prompt)
        except Exception as exc:  # noqa: BLE001 - the offline brief stands on its own
            log.warning("大模型导语生成失败，使用离线材料：%s", exc)
            brief.notes.append("大模型不可用，本材料为离线摘编。")
            return
        text = getattr(reply, "content", reply)
        text = text if isinstance(text, str) else str(text)
        kept, dropped = verified_sentences(self.kb, text, quotes)
        brief.intro = kept
        brief.llm_used = True
        if dropped:
            log.info("导语中 %s 句引用未通过核验，已删去", len(dropped))
            brief.notes.append(f"大模型导语中有{len(dropped)}句引用未通过核验，已删去。")


# ---- citation check for generated prose --------------------------------------------------------------
_QUOTED = re.compile(r"“([^”]{2,})”")


def _external_verify(kb, sentence: str) -> bool:
    """The Ask helper's verifier: every reference in the sentence must verify against the knowledge base."""
    from knowledge.verify import verify_text

    try:
        checks = verify_text(kb, sentence)
    except Exception:  # noqa: BLE001 - a verifier failure must not let an unverified sentence through
        log.warning("引用核验器出错", exc_info=True)
        return False
    return all(c.ok for c in checks)


def check_sentence(kb, sentence: str, allowed: Iterable[Quote]) -> bool:
    """True if every citation in `sentence` names an article the brief quotes and every “quotation”
    occurs verbatim in a cited article (or, without a citation, in one of the brief's articles)."""
    allowed = list(allowed)
    by_key = {q.key: q for q in allowed}
    titles = {q.law_id for q in allowed}
    cited: list[Quote] = []
    resolve = lambda n: kb.resolve_law(n)  # noqa: E731
    for ref in find_references(sentence, resolve=resolve, include_bare=True):
        if ref.law_name is None or ref.article is None:
            return False
        law = kb.resolve_law(ref.law_name)
        if law is None or law.law_id not in titles:
            return False
        q = by_key.get((law.law_id, ref.article, ref.sub))
        if q is None:
            return False
        if ref.paragraph or ref.item:
            found = kb.lookup(law.law_id, ref.article, ref.sub)
            if found is None or found[1].paragraph_text(ref.paragraph, ref.item) is None:
                return False
        cited.append(q)
    for m in re.finditer(r"《([^《》]{2,80})》", sentence):
        law = kb.resolve_law(m.group(1))
        if law is None or law.law_id not in titles:
            return False
    from knowledge.text import normalize_text

    for m in _QUOTED.finditer(sentence):
        frag = normalize_text(m.group(1).rstrip("。；"))
        pool = cited or allowed
        if not any(frag in normalize_text(q.text) for q in pool):
            return False
    return _external_verify(kb, sentence)


def verified_sentences(kb, text: str, allowed: Iterable[Quote]) -> tuple[list[str], list[str]]:
    """Split generated prose into sentences; keep those that pass `check_sentence`."""
    allowed = list(allowed)
    kept, dropped = [], []
    for s in re.split(r"(?<=[。！？])", " ".join(text.split())):
        s = s.strip()
        if not s:
            continue
        (kept if check_sentence(kb, s, allowed) else dropped).append(s)
    return kept, dropped
