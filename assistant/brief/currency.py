"""时效提示: quoted articles that use a name or system changed since by a reform (公安机关消防机构 -> 消防救援机构,
水资源费 -> 水资源税), and governing instruments whose current version in the knowledge base is old enough that a
newer one may exist. Terms and years are data (data/currency.yaml); the article text is never edited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "currency.yaml"


@dataclass(frozen=True)
class Term:
    old: str
    new: str
    year: int
    source: str
    system: bool = False  # a system replaced (水资源费), not only an organ renamed


@lru_cache(maxsize=1)
def load(path: Path | str = DATA) -> tuple[tuple[Term, ...], int]:
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    terms = tuple(Term(str(t["old"]), str(t["new"]), int(t["year"]), str(t["source"]), bool(t.get("system"))) for t in data.get("terms") or ())
    # the longest name first: 环境保护行政主管部门 is one old name, not 环境保护 + 行政主管部门
    return tuple(sorted(terms, key=lambda t: -len(t.old))), int(data.get("old_years") or 10)


SUPERSEDED_USES = 4  # an article naming a superseded system this often is about that system (水资源费缴纳通知单)


def superseded(text: str) -> bool:
    """Is the article about a system since replaced (水资源费 -> 水资源税), not merely using an old name?"""
    terms, _years = load()
    return any(t.system and text.count(t.old) >= SUPERSEDED_USES for t in terms)


def old_terms(text: str) -> list[Term]:
    """The reformed names and systems an article uses, each once, the longest match winning over its part."""
    terms, _years = load()
    found: list[Term] = []
    for t in terms:
        if t.old in text and not any(t.old in f.old for f in found):
            found.append(t)
    return found


def term_notes(quotes) -> list[str]:
    """One line per old name, listing every quoted article that uses it: '“公安机关消防机构”（《X》第三十九条、
    第五十八条）：2018年改革后为消防救援机构……（依据：……），适用时请核对'."""
    uses: dict[Term, list[str]] = {}
    for q in sorted(quotes, key=lambda q: (q.law_title, q.number, q.sub, q.paragraph or 0)):
        for t in old_terms(q.text):
            uses.setdefault(t, []).append(q.cite)
    out = []
    for t, cites in uses.items():
        where = "、".join(_shorten(cites))
        out.append(f"本材料所引{where}所称“{t.old}”，自{t.year}年起改为{t.new}（依据：{t.source}），适用时请核对")
    return out


def _shorten(cites: list[str]) -> list[str]:
    """《X》第三条、《X》第五条 -> 《X》第三条、第五条."""
    out, last = [], None
    for c in dict.fromkeys(cites):
        law, _sep, label = c.partition("》")
        out.append(label if law == last else c)
        last = law
    return out


@lru_cache(maxsize=1)
def _age_levels() -> tuple[str, ...]:
    import yaml

    data = yaml.safe_load(Path(DATA).read_text(encoding="utf-8")) or {}
    return tuple(str(x) for x in data.get("age_levels") or ())


def age_notes(laws, today: str | None) -> list[str]:
    """Governing instruments whose current version took effect more than `old_years` before the brief's date."""
    _terms, years = load()
    if not today or len(today) < 4 or not today[:4].isdigit():
        return []
    out = []
    levels = _age_levels()
    for e in laws:
        if levels and getattr(e, "level", None) not in levels:
            continue
        date = (getattr(e, "effective", None) or "")[:10]
        if len(date) == 10 and date[:4].isdigit() and f"{int(date[:4]) + years}{date[4:]}" < today[:10]:
            out.append(f"《{e.title}》库中现行版本{date[:4]}年施行，已逾{years}年，请核对是否已修订")
    return out


def overtaken_notes(pairs) -> list[str]:
    """(older regulation, newer law) -> '《旧》（2013年）早于《新法》（2026年5月1日施行），二者不一致的，以《新法》为准；
    《旧》是否修改或废止，请核对' (still 现行有效 in the knowledge base: no text repeals it)."""
    out = []
    for e, law in pairs:
        old = (e.effective_date or "")[:4]
        y, m, d = ((law.effective_date or "")[:10].split("-") + ["", "", ""])[:3]
        when = f"{int(y)}年{int(m)}月{int(d)}日施行" if (y + m + d).isdigit() else "施行在后"
        out.append(f"《{e.title}》{f'（{old}年）' if old.isdigit() else ''}早于《{law.title}》（{when}），二者不一致的，"
                   f"以《{law.title}》为准；《{e.title}》是否修改或废止，请核对")
    return out


def unheld_notes(catalog, laws, province: str = "省") -> list[str]:
    """What the knowledge base lacks beside the quoted instruments: the 部门规章 and the province's 政府规章 that
    implement them (none held is said, not implied complete by a closing line), each to be checked by hand."""
    from .titles import title_core

    held = held_rules(catalog)
    groups: dict[tuple[str, ...], list[str]] = {}
    for e in laws:
        if e.level not in ("法律", "行政法规", "地方性法规"):
            continue
        core = title_core(e.title)
        if not core:
            continue
        lacking = tuple(kind for kind, level in (("部门规章", "部门规章"), (f"{province}政府规章", "地方政府规章"))
                        if not any(lv == level and core in t for lv, t in held))
        if lacking:
            groups.setdefault(lacking, []).append(f"《{e.title}》")
    return [f"知识库未收录实施{''.join(titles)}的{'、'.join(kinds)}（如有），需人工核对"
            for kinds, titles in groups.items()]


def held_rules(catalog) -> list[tuple[str, str]]:
    """(level, title) of the current 部门规章 and 政府规章 held, read once per catalog state."""
    laws = catalog.laws()
    key = (id(catalog), len(laws))
    if _HELD.get("key") != key:
        _HELD.update(key=key, rules=[(x.level, x.title) for x in laws
                                     if x.level in ("部门规章", "地方政府规章") and x.is_current])
    return _HELD["rules"]


_HELD: dict = {}


_REVISED = re.compile(r"(?:修订后的|新修订的|修改后的|修正后的|新)《([^》]{2,60})》")


def revised_notes(topic: str, laws) -> list[str]:
    """The topic asks for a revised text (学习修订后的《殡葬管理条例》): the stored version may be the old one, and the
    brief says so on page one instead of passing it off as the revision (round-5 review: the 2012 text quoted as
    the 2026 revision)."""
    out = []
    for title in _REVISED.findall(topic or ""):
        e = next((x for x in laws if x.title == title or x.title.endswith(title)), None)
        if e is None:
            continue
        year = (e.effective or "")[:4]
        held = f"{year}年施行的版本" if year.isdigit() else "的版本"
        out.append(f"议题学习的是修订后的《{e.title}》，知识库所存为{held}，未必是修订后的文本；本材料所引条号和内容"
                   "须以修订后的正式文本逐条人工核对")
    return out
