"""Law names as people write them: full titles, without 中华人民共和国, without the region, short names.

`LawNames` is built from the catalog's documents and answers "which document does this name mean?"."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .models import DEFAULT_STATUSES, Law

# A name said without a region means the national document (优化营商环境条例 is the 国务院's, not 济南市's).
_LOCAL_LEVELS = ("地方性法规", "地方政府规章")
# The text in force before an amended one, before one not yet in force (农业法 2027 is 尚未生效 today).
_STATUS_RANK = {s: i for i, s in enumerate(DEFAULT_STATUSES)}

_NATION = "中华人民共和国"
_REGION_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|自治州|州|县|区|盟))+")
_PAREN = re.compile(r"[（(][^（）()]*[）)]")
_SUFFIXES = ("法典", "法", "条例", "规定", "办法", "准则", "规则", "决定", "细则", "守则", "纲要", "规划")

# Common abbreviations that are not plain suffixes of the title.
ABBREVIATIONS = {
    "环保法": "环境保护法",
    "行诉法": "行政诉讼法",
    "刑诉法": "刑事诉讼法",
    "民诉法": "民事诉讼法",
    "处罚法": "行政处罚法",
    "许可法": "行政许可法",
    "复议法": "行政复议法",
    "强制法": "行政强制法",
    "安全法": "安全生产法",
    "安法": "安全生产法",
    "信息公开条例": "政府信息公开条例",
    "政府信息公开条例": "政府信息公开条例",
    "纪律处分条例": "中国共产党纪律处分条例",
    "党纪处分条例": "中国共产党纪律处分条例",
    "问责条例": "中国共产党问责条例",
    "廉洁自律准则": "中国共产党廉洁自律准则",
    "环境法典": "生态环境法典",
    "国家赔偿法": "国家赔偿法",
    "公务员法": "公务员法",
}


def strip_title(title: str) -> str:
    """The title as people usually say it: no 中华人民共和国, no （2018年修正）."""
    t = _PAREN.sub("", title).strip()
    if t.startswith(_NATION):
        t = t[len(_NATION):]
    return t


def aliases(law: Law) -> set[str]:
    """Names that unambiguously point to this document (checked for ambiguity by `LawNames`)."""
    out = {law.title, strip_title(law.title)}
    stripped = strip_title(law.title)
    no_region = _REGION_PREFIX.sub("", stripped)
    if no_region and no_region != stripped and len(no_region) >= 4:
        out.add(no_region)
    if stripped.startswith("中国共产党"):
        out.add(stripped[len("中国共产党"):])
    return {a for a in out if len(a) >= 2}


class LawNames:
    """Resolve names to documents; detect names mentioned in free text."""

    def __init__(self, laws: Iterable[Law]):
        self._laws = list(laws)
        by_alias: dict[str, list[Law]] = defaultdict(list)
        for law in self._laws:
            for a in aliases(law):
                by_alias[a].append(law)
        self._by_alias = dict(by_alias)
        self._stripped = [(strip_title(law.title), law) for law in self._laws]
        self._cache: dict[tuple[str, bool], list[Law]] = {}
        # alias list for detection in free text, longest first
        self._detect = sorted((a for a in self._by_alias if len(a) >= 3 and a.endswith(_SUFFIXES)),
                              key=len, reverse=True)

    @staticmethod
    def _best(cands: list[Law], current_only: bool, name: str = "") -> list[Law]:
        if current_only:
            cands = [c for c in cands if c.status in DEFAULT_STATUSES]
        # in force first, 尚未生效 after; the exact title; national before local, province before city; newest first
        exact = {name, strip_title(name)} - {""}
        cands = sorted(cands, key=lambda c: c.effective_date or "", reverse=True)
        cands.sort(key=lambda c: (_STATUS_RANK.get(c.status, len(_STATUS_RANK)),
                                  not ({c.title, strip_title(c.title)} & exact),
                                  c.level in _LOCAL_LEVELS, c.source != "national",
                                  not (c.region or "").endswith(("省", "自治区", "全国"))))
        return cands

    def candidates(self, name: str, current_only: bool = True) -> list[Law]:
        """Documents a name may mean, best first (empty if none)."""
        name = (name or "").strip().strip("《》<>〈〉\"'“”")
        if not name:
            return []
        key = (name, current_only)
        if key in self._cache:
            return self._cache[key]
        found = self._lookup(name, current_only)
        self._cache[key] = found
        return found

    def _lookup(self, name: str, current_only: bool) -> list[Law]:
        for variant in (name, strip_title(name)):
            if variant in self._by_alias:
                best = self._best(self._by_alias[variant], current_only, name)
                if best:
                    return best
        target = ABBREVIATIONS.get(strip_title(name))
        if target:
            found = self._lookup(target, current_only) if target != strip_title(name) else []
            if found:
                return found
        # a suffix of a title: 政务处分法 -> 公职人员政务处分法, 东平湖保护条例 -> 山东省东平湖保护条例
        short = strip_title(name)
        if len(short) >= 3 and short.endswith(_SUFFIXES):
            hits = [law for s, law in self._stripped if s.endswith(short)]
            best = self._best(hits, current_only)
            titles = {law.title for law in best}
            if len(titles) == 1:
                return best
            if best:  # ambiguous: the shortest title is the closest reading
                shortest = min(titles, key=len)
                return [law for law in best if law.title == shortest]
        return []

    def resolve(self, name: str, current_only: bool = True) -> Law | None:
        found = self.candidates(name, current_only)
        return found[0] if found else None

    def detect(self, text: str) -> list[tuple[Law, str]]:
        """Documents named in free text, with the name as written; longest names win overlaps."""
        found: list[tuple[Law, str]] = []
        taken: list[tuple[int, int]] = []
        for alias in self._detect:
            start = text.find(alias)
            while start != -1:
                end = start + len(alias)
                if not any(s < end and start < e for s, e in taken):
                    law = self.resolve(alias)
                    if law is not None:
                        found.append((law, alias))
                        taken.append((start, end))
                start = text.find(alias, end)
        # short forms and abbreviations (宪法, 监察法, 政务处分法 …): the longest resolving suffix of a run
        for m in re.finditer(r"[\u4e00-\u9fff]{1,16}?(?:法典|法|条例)", text):
            s, e = m.span()
            if any(ts < e and s < te for ts, te in taken):
                continue
            span = m.group(0)
            for i in range(len(span) - 1):
                law = self.resolve(span[i:])
                if law is not None:
                    found.append((law, span[i:]))
                    taken.append((s + i, e))
                    break
        return found
