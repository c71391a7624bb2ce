"""The implementing rules of the quoted instruments that the knowledge base lacks, named one by one (round-5
review: a 消防 brief said only that 部门规章 "may" be missing, never that 《高层民用建筑消防安全管理规定》 is).
Parents and rules are data (data/implementing.yaml); a rule counts as held when the knowledge base's own title
resolution finds a current document of that title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.errors import XuefaError
from knowledge.lawnames import strip_title

DATA = Path(__file__).resolve().parent / "data" / "implementing.yaml"

YEARS = (1949, 2100)


class RegistryError(XuefaError):
    """A malformed entry of the implementing-rules registry."""


@dataclass(frozen=True)
class Rule:
    title: str
    issuer: str
    number: str | None
    year: int

    @property
    def cite(self) -> str:
        """《高层民用建筑消防安全管理规定》（应急管理部令第5号，2021年）; a document number stands apart from the
        organ (国务院办公厅 国办函〔2020〕109号)."""
        if not self.number:
            organ = self.issuer
        elif self.number.startswith("令"):
            organ = self.issuer + self.number
        else:
            organ = f"{self.issuer} {self.number}"
        return f"《{self.title}》（{organ}，{self.year}年）"


@lru_cache(maxsize=4)
def load(path: Path | str = DATA) -> dict[str, tuple[Rule, ...]]:
    """parent title -> its implementing rules; a malformed entry is an error naming the file and the entry."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RegistryError(f"实施规定登记表 {path} 不是有效的 YAML：{exc}") from exc
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RegistryError(f"实施规定登记表 {path} 缺少 entries 列表")
    out: dict[str, tuple[Rule, ...]] = {}
    for i, entry in enumerate(entries, 1):
        parent = entry.get("parent") if isinstance(entry, dict) else None
        where = f"实施规定登记表 {path} 第{i}条（上位法：{parent or '未填写'}）"
        if not isinstance(parent, str) or not parent.strip():
            raise RegistryError(f"{where}：缺少上位法名称 parent")
        rules = entry.get("rules")
        if not isinstance(rules, list) or not rules:
            raise RegistryError(f"{where}：缺少实施规定列表 rules")
        out[parent.strip()] = tuple(_rule(r, f"{where}第{j}项实施规定") for j, r in enumerate(rules, 1))
    return out


def _rule(raw, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}：应为含 title、issuer、year 的条目")
    for key, name in (("title", "标题"), ("issuer", "发布机关")):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RegistryError(f"{where}：缺少{name} {key}")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not YEARS[0] <= year <= YEARS[1]:
        raise RegistryError(f"{where}（《{raw['title']}》）：发布年份 year 应为四位数字年份，现为“{year}”")
    number = raw.get("number")
    if number is not None and (not isinstance(number, str) or not number.strip()):
        raise RegistryError(f"{where}（《{raw['title']}》）：令号或文号 number 应为文字")
    return Rule(raw["title"].strip(), raw["issuer"].strip(), number.strip() if number else None, year)


def held(kb, title: str) -> bool:
    """Does the knowledge base hold a current document of this title? Its own resolution finds it; a suffix
    match on another title (山东省取水许可管理办法 for 取水许可管理办法) is not the national rule."""
    law = kb.resolve_law(title)
    return law is not None and strip_title(law.title) == strip_title(title)


def missing_notes(kb, laws, path: Path | str = DATA) -> list[str]:
    """One line per quoted instrument with registered rules the knowledge base lacks; a rule already named for
    an earlier instrument of the brief is not named again."""
    registry = load(path)
    by_title = {strip_title(p): rules for p, rules in registry.items()}
    named: set[str] = set()
    out = []
    for e in laws:
        rules = registry.get(e.title) or by_title.get(strip_title(e.title))
        if not rules:
            continue
        lacking = [r for r in rules if r.title not in named and not held(kb, r.title)]
        named.update(r.title for r in lacking)
        if lacking:
            out.append(f"实施《{e.title}》的规定，知识库未收录：{'；'.join(r.cite for r in lacking)}，相关内容需人工核对")
    return out


_CITED = re.compile(r"《([^《》]{2,40}?(?:法典|法|条例|规定|办法|细则|决定|规则|准则|章程|纲要))》")
_REPEALED = re.compile(r"废止|停止执行|不再执行|失效")
CITED_MAX = 6  # instruments named at most: the ones a quoted instrument's own text relies on


def cited_missing(kb, laws, skip=(), max_named: int = CITED_MAX) -> list[str]:
    """The instruments the quoted ones cite (根据《中国共产党章程》……制定; 按照《中国共产党党组工作条例》设立的党组)
    that the knowledge base lacks, named with where they are cited (round-6 review: 党章、党组工作条例 unnamed)."""
    out: list[str] = []
    seen: set[str] = {strip_title(t) for t in skip}
    named = 0
    for e in laws:
        where: dict[str, list[int]] = {}
        for art in kb.catalog.articles(e.law_id):
            # an instrument a 附则 repeals (……同时废止) is no basis to look for
            cited = [t for sentence in re.split(r"[。；]", art.text) if not _REPEALED.search(sentence)
                     for t in _CITED.findall(sentence)]
            for title in cited:
                if title == e.title or title.startswith("修改") or "实施《" in title:
                    continue
                if title not in where:
                    where[title] = []
                if art.number not in where[title]:
                    where[title].append(art.number)
        lacking = []
        for title, numbers in where.items():
            if strip_title(title) in seen:
                continue
            seen.add(strip_title(title))
            if not held(kb, title):
                lacking.append((title, numbers))
        lacking = lacking[:max(0, max_named - named)]
        named += len(lacking)
        if lacking:
            names = "".join(f"《{t}》" for t, _n in lacking)
            cites = "、".join(_article_name(n) for n in sorted({n for _t, ns in lacking for n in ns})[:4])
            out.append(f"知识库未收录{names}（《{e.title}》{cites}援引），相关内容需人工核对")
    return out


def _article_name(number: int) -> str:
    from knowledge.numerals import int_to_cn

    return f"第{int_to_cn(number)}条"


# 国务院市场监督管理部门根据本条例制定公平竞争审查的具体实施办法 / 具体办法由省、自治区、直辖市人民政府制定
_DELEGATED = re.compile(r"^(?:(?P<organ>[^，。；]{2,30}?)(?:根据|依照|依据)本(?:条例|法|规定|办法)[^，。；]{0,6}制定"
                        r"|具体(?:实施)?办法由(?P<organ2>[^，。；]{2,30}?)(?:另行)?制定)"
                        r"(?P<what>[^，。；]{0,30}?(?:办法|细则|规定|标准))?[。；]?$")
_ISSUERS = re.compile(r"国务院|省|自治区|部门|委员会|总局|部$")


def delegated_missing(kb, laws) -> list[str]:
    """The rules a quoted instrument delegates by name (第二十六条: 国务院市场监督管理部门……制定……具体实施办法) that the
    knowledge base holds no rule for: said by the article and the organ, not as 部门规章（如有） (round-6 review)."""
    from .currency import held_rules
    from .titles import title_core

    rules = [t for _lv, t in held_rules(kb.catalog)]
    out = []
    for e in laws:
        core = title_core(e.title)
        if core and any(core in t for t in rules):
            continue
        for art in kb.catalog.articles(e.law_id):
            for sentence in re.split(r"(?<=[。；])", art.text.strip()):
                m = _DELEGATED.match(sentence.strip())
                organ = m and (m.group("organ") or m.group("organ2"))
                if not organ or not _ISSUERS.search(organ):
                    continue
                what = (m.group("what") or "具体办法").lstrip("的")
                if "由" in organ:  # 保健食品的具体管理办法由国务院……部门依照本法制定
                    what, organ = organ.split("由", 1)
                if held(kb, e.title + what) or held(kb, f"{core}{what}"):  # 税收征收管理法实施细则 is held
                    continue
                out.append(f"《{e.title}》{_article_name(art.number)}规定由{organ}制定的{what}，知识库未收录，"
                           "是否已出台、现行文本需人工核对")
                break
    return out
