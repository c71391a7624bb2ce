"""Exam data: items, papers, blueprints, presets. Plain dataclasses with a stable JSON form."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from collections.abc import Mapping
from math import ceil
from typing import Any

from knowledge.numerals import cite_label

SINGLE, MULTI, JUDGE, FILL = "单选", "多选", "判断", "填空"
TYPES = (SINGLE, MULTI, JUDGE, FILL)  # order of sections in a paper
TYPE_NAMES = {SINGLE: "单项选择题", MULTI: "多项选择题", JUDGE: "判断题", FILL: "填空题"}


def section_rule(kind: str, multi_partial: Any = "none") -> str:
    """What a section heading tells the candidate about answering and scoring it."""
    if kind == SINGLE:
        return "每题只有一个正确答案"
    if kind == JUDGE:
        return "正确的选A，错误的选B"
    if kind == FILL:
        return "将正确内容填在横线上"
    if kind == MULTI:
        if multi_partial in (None, "", "none", 0, 0.0):
            return "每题有两个或两个以上正确答案，多选、少选、错选均不得分"
        return "每题有两个或两个以上正确答案，错选不得分，少选按所选正确项得部分分"
    return ""
JUDGE_OPTIONS = ["正确", "错误"]  # 判断 answers are letters like every other choice: "A" = 正确, "B" = 错误
LETTERS = "ABCDEFGH"
DIFFICULTY_NAMES = {1: "易", 2: "中", 3: "难"}


@dataclass(frozen=True)
class Citation:
    law: str  # full title, e.g. 中华人民共和国监察法
    article: int
    paragraph: int | None = None
    item: int | None = None
    sub: int = 0
    law_id: str = ""
    article_id: str = ""

    @property
    def label(self) -> str:
        return cite_label(self.law, self.article, self.sub, self.paragraph, self.item)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Citation:
        return cls(**{k: d.get(k) for k in ("law", "article", "paragraph", "item")},
                   sub=d.get("sub") or 0, law_id=d.get("law_id") or "", article_id=d.get("article_id") or "")


@dataclass
class Item:
    """One exam item as shown to a candidate (options already in their final order)."""

    type: str
    stem: str
    options: list[str]
    answer: str  # "B"; 多选 sorted letters "ACD"; 判断 "A"(正确)/"B"(错误); 填空 the term itself
    explanation: str
    citations: list[Citation]
    difficulty: int = 2
    points: float = 2
    article_ids: list[str] = field(default_factory=list)
    form: str = ""  # true / false / blank / enumeration / statements / case
    sentences: list[str] = field(default_factory=list)  # verbatim article sentences the item tests
    uid: str = ""
    source: str = "rule"  # rule | llm
    number: int = 0
    aliases: list[str] = field(default_factory=list)  # 填空: other accepted answers

    @property
    def answer_text(self) -> str:
        """The key as a reader sees it: 'B（三日）', 'A（正确）', 'ACD'."""
        if self.type == FILL:
            return self.answer
        if self.type == JUDGE:
            return JUDGE_OPTIONS[LETTERS.index(self.answer)]
        if self.type == SINGLE:
            return f"{self.answer}（{self.options[LETTERS.index(self.answer)]}）"
        return self.answer

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["citations"] = [c.to_json() for c in self.citations]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Item:
        d = dict(d)
        d["citations"] = [Citation.from_json(c) for c in d.get("citations", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass
class Blueprint:
    """What a paper should contain. `laws` maps scope names (宪法, 监察法, 东平湖保护条例 …) to weights."""

    counts: dict[str, int] = field(default_factory=lambda: {SINGLE: 25, MULTI: 10, JUDGE: 10, FILL: 0})
    points: dict[str, float] = field(default_factory=lambda: {SINGLE: 2, MULTI: 3, JUDGE: 2, FILL: 2})
    minutes: int = 90
    pass_mark: float | None = None  # None: 60% of the total
    laws: dict[str, float] = field(default_factory=dict)  # empty: DEFAULT_SYLLABUS + every local document
    include_local: bool = False  # add every current local regulation / 党内法规 in the knowledge base
    difficulty: dict[int, float] | None = None  # e.g. {1: .3, 2: .5, 3: .2}; None: whatever the pool gives
    seed: int = 0
    title: str = "任前法律知识考试（模拟卷）"
    case: int = 0  # LLM 案例/情景单选, taken out of counts[单选]; ignored without an LLM
    multi_partial: str | float = "none"  # grading rule kept with the paper
    syllabus_name: str = ""  # the preset this blueprint came from
    syllabus: dict[str, float] = field(default_factory=dict)  # the preset's laws: missing ones are left out
    party: dict[str, float] = field(default_factory=dict)  # the preset's party rules, for party-member cadres
    party_member: bool = False
    local: list[str] = field(default_factory=list)  # chosen local regulations
    local_weight: float = 1.0
    pass_ratio: float = 0.6
    official: bool = False  # drawn on the server per attempt, timed and limited
    max_attempts_per_day: int = 0  # official papers; 0 = no limit
    organ_blanks: bool = False  # 单选 that blank an organ: only to fill a shortfall (reviews found them arguable)
    total: float | None = None  # a paper of this many points (presets: 100), whatever the bank can fill; None: as counted

    @classmethod
    def from_syllabus(cls, name: str, spec: dict[str, Any]) -> Blueprint:
        try:
            return cls(counts=dict(spec["counts"]), points={k: float(v) for k, v in spec["points"].items()},
                       minutes=int(spec["minutes"]), pass_mark=spec.get("pass_mark"),
                       pass_ratio=float(spec.get("pass_ratio", 0.6)), title=spec.get("title", name), syllabus_name=name,
                       syllabus={k: float(v) for k, v in spec.get("laws", {}).items()},
                       party={k: float(v) for k, v in spec.get("party_member", {}).items()},
                       local_weight=float(spec.get("local_weight", 1)), official=bool(spec.get("official")),
                       max_attempts_per_day=int(spec.get("max_attempts_per_day", 0)),
                       organ_blanks=bool(spec.get("organ_blanks", False)),
                       total=float(spec["total"]) if spec.get("total") else None)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"考试大纲“{name}”格式有误：{exc}") from exc

    def whole_pass_mark(self, total: float) -> float:
        """The pass mark as a whole number of points: the preset's (for a paper of the total it was set for), or
        pass_ratio of the total rounded up."""
        if self.pass_mark is not None and (self.total is None or abs(total - self.total) < 1e-9):
            return float(ceil(float(self.pass_mark) - 1e-9))
        return float(ceil(total * self.pass_ratio - 1e-9))

    @classmethod
    def preset(cls, name: str, **overrides: Any) -> Blueprint:
        base = json.loads(json.dumps(PRESETS[name].to_json()))
        base.update(overrides)
        return cls.from_json(base)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        if self.difficulty:
            d["difficulty"] = {str(k): v for k, v in self.difficulty.items()}
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Blueprint:
        d = dict(d)
        if d.get("difficulty"):
            d["difficulty"] = {int(k): float(v) for k, v in d["difficulty"].items()}
        if isinstance(d.get("laws"), (list, tuple)):
            d["laws"] = {name: 1.0 for name in d["laws"]}
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


class _Presets(Mapping):
    """The presets of `data/syllabi.json`, read on first use (not at import)."""

    def __init__(self) -> None:
        self._data: dict[str, Blueprint] | None = None
        self.specs: dict[str, dict[str, Any]] = {}

    def _load(self) -> dict[str, Blueprint]:
        if self._data is None:
            path = Path(__file__).parent / "data" / "syllabi.json"
            try:
                specs = json.loads(path.read_text(encoding="utf-8"))["presets"]
            except (OSError, ValueError, KeyError) as exc:
                raise ValueError(f"考试大纲文件 {path} 无法读取：{exc}") from exc
            self.specs = specs
            self._data = {name: Blueprint.from_syllabus(name, spec) for name, spec in specs.items()}
        return self._data

    def __getitem__(self, name: str) -> Blueprint:
        return self._load()[name]

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


PRESETS = _Presets()
DEFAULT_SYLLABUS = ("宪法", "监察法", "公职人员政务处分法")


@dataclass
class Paper:
    title: str
    minutes: int
    items: list[Item]
    pass_mark: float
    seed: int = 0
    blueprint: dict[str, Any] = field(default_factory=dict)
    scope: list[str] = field(default_factory=list)  # law titles
    multi_partial: str | float = "none"
    notes: list[str] = field(default_factory=list)  # e.g. "题库不足：多选 8/10"

    @property
    def total(self) -> float:
        return sum(it.points for it in self.items)

    @property
    def number(self) -> str:
        """The paper number printed on the paper and on its key: a hash of the items, so the two always match."""
        import hashlib

        basis = "|".join([str(self.seed), self.title, *(it.uid or it.stem for it in self.items)])
        return "SJ-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8].upper()

    def sections(self) -> list[tuple[str, list[Item]]]:
        return [(t, [it for it in self.items if it.type == t]) for t in TYPES if any(it.type == t for it in self.items)]

    def section_headings(self) -> list[tuple[str, list[Item], str]]:
        """(kind, items, heading) per section, as printed: "一、单项选择题（共25题，每题2分，共50分。每题只有一个正确答案）";
        the 多选 heading states the scoring rule ("多选、少选、错选均不得分" when there is no partial credit)."""
        from knowledge.numerals import int_to_cn

        out = []
        for i, (kind, items) in enumerate(self.sections(), 1):
            pts = {it.points for it in items}
            each = f"每题{next(iter(pts)):g}分，" if len(pts) == 1 else ""
            rule = section_rule(kind, self.multi_partial)
            out.append((kind, items, f"{int_to_cn(i)}、{TYPE_NAMES[kind]}（共{len(items)}题，{each}"
                                     f"共{sum(it.points for it in items):g}分" + (f"。{rule}）" if rule else "）")))
        return out

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "number": self.number, "minutes": self.minutes, "total": self.total,
                "sections": [{"type": k, "heading": h, "numbers": [it.number for it in its]}
                             for k, its, h in self.section_headings()],
                "pass_mark": self.pass_mark,
                "seed": self.seed, "scope": self.scope, "multi_partial": self.multi_partial,
                "blueprint": self.blueprint, "notes": self.notes, "items": [it.to_json() for it in self.items]}

    @classmethod
    def from_json(cls, data: dict[str, Any] | str | Path) -> Paper:
        if isinstance(data, Path):
            data = data.read_text(encoding="utf-8")
        if isinstance(data, str):
            data = json.loads(data)
        items = [Item.from_json(d) for d in data["items"]]
        for i, it in enumerate(items, 1):
            it.number = it.number or i
        return cls(title=data.get("title", ""), minutes=int(data.get("minutes", 0)), items=items,
                   pass_mark=float(data.get("pass_mark", 0)), seed=data.get("seed", 0),
                   blueprint=data.get("blueprint", {}), scope=data.get("scope", []),
                   multi_partial=data.get("multi_partial", "none"), notes=data.get("notes", []))

    def save_json(self, path: Path | str) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
        return path
