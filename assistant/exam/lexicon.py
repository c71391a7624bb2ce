"""The closed term lists items are built on, read from `data/organs.json` and `data/terms.json`.

Why closed lists: a blank is only fair when its options are of one kind and exactly one of them is right.
Organs are grouped in classes (人民政府, 工作部门, 人大, 监察, 司法, 党的组织 …); each member names the bodies
it covers, so "上一级监察委员会" and "监察机关" are seen as related (one contains the other) and never offered
side by side. Sanctions and measures are scoped to the laws they belong to."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Organ:
    name: str
    klass: str
    atoms: frozenset[str]
    generic: bool  # covers every body of its class: never a key, never a distractor


@dataclass(frozen=True)
class TermList:
    kind: str  # sanction | measure
    name: str
    laws: tuple[str, ...]
    terms: tuple[str, ...]
    scale: bool = False  # ranks, lightest first
    groups: tuple[tuple[str, ...], ...] = ()  # a term is swapped only within its own groups

    def kin(self, term: str) -> list[str]:
        """The terms a term may be swapped with: its groups' members where groups are given, else the list."""
        if not self.groups:
            return [x for x in self.terms if x != term]
        out: list[str] = []
        for g in self.groups:
            if term in g:
                out += [x for x in g if x != term and x not in out]
        return out

    def applies(self, law_title: str) -> bool:
        return any(k in (law_title or "") for k in self.laws)


class Lexicon:
    """Organ classes and law-scoped term lists; pure lookups, loaded once from the data files."""

    def __init__(self, organs: dict, terms: dict):
        self.organs: dict[str, Organ] = {}
        self.local_suffix: dict[str, tuple[str, frozenset[str]]] = {}
        for klass, spec in organs["classes"].items():
            every = frozenset(spec["atoms"])
            for name, atoms in spec["members"].items():
                a = frozenset(atoms)
                unknown = a - every
                if unknown:
                    raise ValueError(f"organs.json：{klass} 的成员“{name}”含未声明的机构代码 {sorted(unknown)}")
                self.organs[name] = Organ(name, klass, a, a == every)
            for suffix, atoms in spec.get("local_suffix", {}).items():
                self.local_suffix[suffix] = (klass, frozenset(atoms))
        self.organ_not_after = tuple(organs.get("not_after", ()))
        self.organ_end = tuple(organs.get("organ_end", ()))
        self.level_start = tuple(organs.get("level_start", ()))
        self.blank_before = tuple(organs.get("blank_before", ()))
        self.blank_not_followed_by = tuple(organs.get("blank_not_followed_by", ()))
        self.lists: list[TermList] = []
        for kind in ("sanction", "measure"):
            for spec in terms.get(kind, []):
                groups = tuple(tuple(g) for g in spec.get("groups", ()))
                stray = {x for g in groups for x in g} - set(spec["terms"])
                if stray:
                    raise ValueError(f"terms.json：{spec['name']} 的分组含未列出的词 {sorted(stray)}")
                self.lists.append(TermList(kind, spec["name"], tuple(spec["laws"]), tuple(spec["terms"]),
                                           bool(spec.get("scale")), groups))
        self.not_after = {k: tuple(v) for k, v in terms.get("not_after", {}).items()}
        self.not_before = {k: "".join(v) for k, v in terms.get("not_before", {}).items()}

    # ---- organs ------------------------------------------------------------------------------
    _LOCAL = re.compile(r"([\u4e00-\u9fff]{2})([省市县区]人民政府)")

    def organ(self, name: str) -> Organ | None:
        """A listed organ, or a named local government (泰安市人民政府 -> class government, tier 市)."""
        o = self.organs.get(name)
        if o is not None:
            return o
        m = self._LOCAL.fullmatch(name)
        if m and m.group(2) in self.local_suffix:
            klass, atoms = self.local_suffix[m.group(2)]
            # a named government is one body: give it its own atom inside its tier, so two named
            # 市 governments are distinct, and each is related to "设区的市人民政府"
            return Organ(name, klass, atoms | {f"@{name}"}, False)
        return None

    def related(self, a: str, b: str) -> bool:
        """The same body, or one covering the other (hypernym/hyponym)."""
        oa, ob = self.organ(a), self.organ(b)
        if oa is None or ob is None:
            return a in b or b in a
        if a in b or b in a:
            return True
        shared = oa.atoms & ob.atoms
        return bool({x for x in shared if not x.startswith("@")})

    # "省人民政府水行政主管部门": the organ is only the first half of a department's name
    _NAME_GOES_ON = re.compile(r"^(?!应当|负责|组织|会同|可以|依法|按照|根据|对|在|和|或者|及其|指导|协调|统筹|监督|领导|设立|建立)"
                               r"[\u4e00-\u9fff]{1,6}?(?:主管部门|行政部门|部门|机构)")
    RELATIVE = ("本级", "上一级", "上级", "下一级", "下级", "同级")

    def organ_distractors(self, key: str) -> list[str]:
        """Members of the key's class that are neither the key, nor generic, nor related to it; relative
        names (本级人民代表大会) only against a relative key."""
        o = self.organ(key)
        if o is None or o.generic:
            return []
        relative = key.startswith(self.RELATIVE)
        return [m.name for m in self.organs.values()
                if m.klass == o.klass and not m.generic and m.name != key and not self.related(key, m.name)
                and m.name.startswith(self.RELATIVE) == relative]

    def blankable(self, before: str, after: str) -> bool:
        """Is the organ between `before` and `after` a whole noun, not part of a longer name?"""
        if after.startswith(self.blank_not_followed_by) or self._NAME_GOES_ON.match(after):
            return False
        return not before or before.endswith(self.blank_before)

    def compound_ok(self, before: str, option: str, after: str) -> bool:
        """Could `option` stand in the blank? Rejects impossible compounds such as "县级以上人民政府国务院"."""
        if before.endswith(self.organ_end) and option.startswith(self.level_start):
            return False
        if before and option and before[-1] == option[0] and option[0] in "的级":
            return False
        tail = option[-4:]
        if tail and after.startswith(tail):  # "人民政府人民政府"
            return False
        return True

    # ---- sanctions and measures -------------------------------------------------------------
    def term_lists(self, kind: str, law_title: str) -> list[TermList]:
        return [t for t in self.lists if t.kind == kind and t.applies(law_title)]

    def scoped_terms(self, kind: str, law_title: str) -> tuple[str, ...]:
        out: list[str] = []
        for t in self.term_lists(kind, law_title):
            out += [x for x in t.terms if x not in out]
        return tuple(out)

    def siblings(self, kind: str, law_title: str, term: str) -> list[str]:
        """Other terms of the list `term` belongs to, within the law's scope."""
        out: list[str] = []
        for t in self.term_lists(kind, law_title):
            if term in t.terms:
                out += [x for x in t.kin(term) if x not in out]
        return out

    def rank(self, law_title: str, term: str) -> int | None:
        """The rank of a sanction on its law's scale (0 lightest), None when the law's list is no scale."""
        for t in self.term_lists("sanction", law_title):
            if t.scale and term in t.terms:
                return t.terms.index(term)
        return None


def _read(name: str) -> dict:
    path = DATA / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"题库词表 {path} 无法读取：{exc}") from exc


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon from the data files (read on first use, not at import)."""
    return Lexicon(_read("organs.json"), _read("terms.json"))


@lru_cache(maxsize=1)
def _scenarios() -> dict:
    return _read("scenarios.json")["laws"]


def scenario_spec(law_title: str) -> dict | None:
    """Who scenario items of this law are about, and how they ask (data/scenarios.json); None: no scenarios."""
    for key, spec in _scenarios().items():
        if key in (law_title or ""):
            return spec
    return None


@dataclass(frozen=True)
class Quality:
    """What a setter rejects (data/quality.json): nonsense flips and distractors of another kind of list."""

    flip_bad_objects: tuple[str, ...]
    flip_bad_after: tuple[str, ...]
    flip_duty_before: tuple[str, ...]
    categories: dict[str, tuple[str, ...]]  # class -> the nouns that name it after 下列
    lead_classes: dict[str, tuple[str, ...]]  # class -> words of a lead that attach that kind of consequence
    cues: dict[str, tuple[str, ...]] | None = None  # blanked term -> stem words that give it away
    impose_before: tuple[str, ...] = ()
    low_value: tuple[re.Pattern, ...] = ()
    lead_topics: tuple[str, ...] = ()
    slogans: tuple[str, ...] = ()
    rule_markers: tuple[str, ...] = ()  # words that make a shared phrase one rule (不得, 届 …; truth.Principles)
    contrasts: tuple[tuple[str, str], ...] = ()  # list pairs of the same kind (撤销/变更): 多选 distractors

    def slogan(self, sentence: str) -> bool:
        """A declaratory sentence ("…应当实施有效监督"): no rule a candidate could get wrong."""
        return any(w in sentence for w in self.slogans)

    def gives_away(self, key: str, stem: str) -> str | None:
        """A word of the stem that names what the blanked key is for ("专门性问题" for 鉴定), or None."""
        return next((w for w in (self.cues or {}).get(key, ()) if w in stem), None)

    def low(self, sentence: str) -> bool:
        """Of little use to a county cadre: court-internal deadlines, scope/definition clauses, lawyers' rights."""
        return any(p.search(sentence) for p in self.low_value)

    def topics(self, lead: str) -> frozenset[str]:
        return frozenset(w for w in self.lead_topics if w in lead)

    def category(self, noun: str) -> str | None:
        """The class of a list's noun (情况 -> 情形, 方式 -> 措施); the longest listed noun wins."""
        best = None
        for klass, nouns in self.categories.items():
            for x in nouns:
                if noun.startswith(x) and (best is None or len(x) > best[1]):
                    best = (klass, len(x))
        return best[0] if best else None

    def category_nouns(self) -> tuple[str, ...]:
        return tuple(sorted({x for v in self.categories.values() for x in v}, key=len, reverse=True))

    _NEGATED = re.compile(r"(不得|不予|禁止|免予)[\u4e00-\u9fff]{1,4}")

    def classes_of(self, lead: str) -> frozenset[str]:
        """Kinds of consequence; a negated one ("不得辞退", "不予处罚") counts only as the negation."""
        plain = self._NEGATED.sub(lambda m: m.group(1), lead)
        return frozenset(k for k, words in self.lead_classes.items() if any(w in plain for w in words))


@lru_cache(maxsize=1)
def quality() -> Quality:
    d = _read("quality.json")
    try:
        return Quality(tuple(d["flip_bad_objects"]), tuple(d["flip_bad_after"]), tuple(d["flip_duty_before"]),
                       {k: tuple(v) for k, v in d["categories"].items()},
                       {k: tuple(v) for k, v in d["lead_classes"].items()},
                       {k: tuple(v) for k, v in d["cues"].items()}, tuple(d["impose_before"]),
                       tuple(re.compile(p) for p in d["low_value"]), tuple(d["lead_topics"]), tuple(d["slogans"]),
                       tuple(d.get("rule_markers", ())), tuple(tuple(p) for p in d.get("contrasts", ())))
    except (KeyError, TypeError, re.error) as exc:
        raise ValueError(f"题库词表 {DATA / 'quality.json'} 缺少字段：{exc}") from exc
