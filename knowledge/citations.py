"""Find article references in text: 《法名》第N条第M款第K项, 宪法第五条, 监察法第15条, 本法第N条.

`find_references` only parses; resolving names to stored documents is `LawNames`' job, passed in as
`resolve` so that "根据监察法第十五条" is read as 监察法 and not as 根据监察法."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .numerals import NUM_RE, cn_to_int

_ART = rf"第\s*(?P<art>{NUM_RE})\s*条(?:\s*之\s*(?P<sub>{NUM_RE}))?"
_PARA = rf"(?:\s*第\s*(?P<para>{NUM_RE})\s*款)?"
_ITEM = rf"(?:\s*第\s*[（(]?(?P<item>{NUM_RE})[）)]?\s*项)?"
_REF_TAIL = _ART + _PARA + _ITEM

_BOOKED = re.compile(r"《(?P<law>[^《》\n]{2,80})》\s*(?:的\s*)?(?:规定\s*)?" + r"(?:" + _REF_TAIL + r")?")
# right after a law's name 第 may be left out, as people type it ("监察法11条", "宪法三十三条")
_BARE_TAIL = rf"第?\s*(?P<art>{NUM_RE})\s*条(?:\s*之\s*(?P<sub>{NUM_RE}))?" + _PARA + _ITEM
_BARE = re.compile(r"(?P<law>(?:(?!第)[\u4e00-\u9fff（）()]){1,40}?(?:法典|法|条例|规定|办法|准则|规则|细则))\s*" + _BARE_TAIL)
_SELF = re.compile(r"(?P<law>本法|本条例|本规定|本办法|本准则|本规则|该法|该条例|同法)\s*" + _REF_TAIL)
_CONT = re.compile(r"\s*(?:、|，|,|和|及|以及|或者|至|到)\s*" + _REF_TAIL)
_LONE = re.compile(_REF_TAIL)
_SELF_NAMES = ("本法", "本条例", "本规定", "本办法", "本准则", "本规则", "该法", "该条例", "同法")
_BOUNDARY_END = re.compile(r"(?:根据|依据|依照|按照|违反|参照|适用|对照|关于|符合|执行|落实|学习|[和与及或、，,的对在了款项条据照按于由向将把是为即])$")
_PRONOUN_START = ("这", "那", "该", "本", "此", "我", "你", "他", "她", "其", "各", "有关", "相关", "上述", "前述")


def _boundary(prefix: str) -> bool:
    """May a law name start right after `prefix` (the text before it in the same run)?"""
    return not prefix or bool(_BOUNDARY_END.search(prefix))


def _looks_like_law_name(name: str) -> bool:
    return len(name) >= 3 and not name.startswith(_PRONOUN_START)


_LEADING = re.compile(r"^(?:根据|依据|依照|按照|违反|参照|适用|对照|关于|按|依|据|照|由|在|对|了|和|与|及|或)+")


@dataclass(frozen=True)
class Reference:
    """One article reference as written. `law_name` is None for a bare 第N条 with no law in reach."""

    law_name: str | None
    article: int | None
    sub: int = 0
    paragraph: int | None = None
    item: int | None = None
    start: int = 0
    end: int = 0
    raw: str = ""
    self_ref: bool = False  # 本法/本条例: law_name is the law in context


def _num(m: re.Match, group: str) -> int | None:
    v = m.group(group)
    return cn_to_int(v) if v else None


def _make(m: re.Match, law: str | None, offset: int = 0, self_ref: bool = False) -> Reference:
    return Reference(law_name=law, article=_num(m, "art"), sub=_num(m, "sub") or 0,
                     paragraph=_num(m, "para"), item=_num(m, "item"), start=m.start() + offset,
                     end=m.end() + offset, raw=m.group(0), self_ref=self_ref)


def find_references(text: str, resolve: Callable[[str], object | None] | None = None,
                    context_law: str | None = None, include_bare: bool = False) -> list[Reference]:
    """Every article reference in `text`, in order.

    resolve: name -> document or None; used to pick the right suffix of an unbracketed name.
    context_law: the law that 本法 / a bare 第N条 refers to (e.g. the previous turn's law).
    include_bare: also return 第N条 with no law named (law_name = context_law).
    """
    refs: list[Reference] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(ts < e and s < te for ts, te in taken)

    def add(ref: Reference) -> None:
        refs.append(ref)
        taken.append((ref.start, ref.end))

    def follow(ref: Reference) -> None:
        """第十五条、第十六条 / 第十五条至第十七条 after a reference belong to the same law."""
        pos = ref.end
        while True:
            m = _CONT.match(text, pos)
            if not m:
                return
            nxt = _make(m, ref.law_name, self_ref=ref.self_ref)
            if "至" in m.group(0)[:3] or "到" in m.group(0)[:3]:
                prev = refs[-1].article or 0
                for n in range(prev + 1, min((nxt.article or 0), prev + 30)):
                    refs.append(Reference(ref.law_name, n, start=nxt.start, end=nxt.end, raw=nxt.raw,
                                          self_ref=ref.self_ref))
            add(nxt)
            pos = m.end()

    last_law = context_law
    events: list[tuple[int, str, re.Match]] = []
    for kind, rx in (("booked", _BOOKED), ("self", _SELF), ("bare", _BARE)):
        events.extend((m.start(), kind, m) for m in rx.finditer(text))
    events.sort(key=lambda e: (e[0], {"booked": 0, "self": 1, "bare": 2}[e[1]]))
    for _, kind, m in events:
        if kind != "bare" and not free(m.start(), m.end()):
            continue
        if kind == "booked":
            name = m.group("law").strip()
            last_law = name
            if m.group("art"):
                ref = _make(m, name)
                add(ref)
                follow(ref)
        elif kind == "self":
            ref = _make(m, last_law, self_ref=True)
            add(ref)
            follow(ref)
        else:
            name = m.group("law")
            if name.endswith(_SELF_NAMES):
                if not free(m.start(), m.end()):
                    continue
                ref = _make(m, last_law, self_ref=True)
                add(ref)
                follow(ref)
                continue
            offset = 0
            lead = _LEADING.match(name)
            if lead and lead.end() < len(name) - 1:
                offset = lead.end()
            if resolve is not None:
                # a shorter known name counts only after a word boundary: "根据监察法" is 监察法,
                # but "行政监察法" is another law (unknown here), not 监察法
                for i in range(offset, len(name)):
                    if resolve(name[i:]) is not None and _boundary(name[offset:i]):
                        offset = i
                        break
                else:
                    if not _looks_like_law_name(name[offset:]):
                        continue  # e.g. "这个办法第三条": not a reference to a document
            if not free(m.start() + offset, m.end()):
                continue
            name = name[offset:]
            if "第" not in m.group(0) and (resolve is None or resolve(name) is None):
                continue  # "管理办法3条意见": without 第 only a known law's name makes it a reference
            last_law = name
            ref = _make(m, name)
            ref = Reference(ref.law_name, ref.article, ref.sub, ref.paragraph, ref.item,
                            ref.start + offset, ref.end, ref.raw[offset:])
            add(ref)
            follow(ref)
    if include_bare:
        for m in _LONE.finditer(text):
            if free(m.start(), m.end()):
                ref = _make(m, context_law, self_ref=True)
                add(ref)
    refs.sort(key=lambda r: r.start)
    return refs
