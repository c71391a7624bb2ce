"""Which held instruments are made for a topic, judged by their titles' core (政府投资条例 -> 政府投资): the
instrument whose core words all occur in the topic (促进就业 covers 就业促进: word order does not matter) is the
dedicated one; a title only half covered (科学技术普及 by 普及, 住房公积金 by 住房) is a literal word match, no basis
for picking the law. Generic words (管理, 保障, 工作 …) and the known instruments a knowledge base may lack are data
(data/titles.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.lawnames import strip_title
from knowledge.lexical import segment

DATA = Path(__file__).resolve().parent / "data" / "titles.yaml"

_QUOTED = re.compile(r"《([^》]+)》")
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|自治州|州|县|区|盟))")
_JUDICIAL = re.compile(r"^(?:最高人民法院|最高人民检察院|、)+关于(?:审理|办理|适用|处理)?")
_TAIL = re.compile(r"(?:的)?(?:(?:案件)?(?:具体)?(?:应用|适用)?法律若干问题的(?:解释|规定)|若干问题的(?:解释|规定)|"
                   r"实施细则|实施办法|实施条例|暂行条例|暂行办法|暂行规定|若干规定|法典|条例|办法|规定|细则|规则|"
                   r"解释|决定|意见|法)$")
_CJK = re.compile(r"[\u4e00-\u9fff]+")

FULL, TOPIC, HALF = "full", "topic", "half"


@dataclass(frozen=True)
class TitleData:
    generic: frozenset[str]
    known: tuple[tuple[str, str | None], ...]  # (title, level)
    when: dict[str, tuple[tuple[str, ...], ...]] = None  # title -> word groups; a topic with all of one needs it


@lru_cache(maxsize=2)
def load(path: Path | str = DATA) -> TitleData:
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    known = tuple((str(k["title"]), k.get("level")) for k in data.get("known_instruments") or ())
    when = {str(k["title"]): tuple(tuple(str(g).split()) for g in k.get("when") or ())
            for k in data.get("known_instruments") or ()}
    return TitleData(frozenset(data.get("generic_words") or ()), known, when)


def title_core(title: str, region: str | None = None) -> str:
    """政府投资条例 -> 政府投资; 山东省供热条例 -> 供热; 山东省实施《中华人民共和国村民委员会组织法》办法 -> 村民委员会组织."""
    quoted = _QUOTED.search(title)
    if quoted and "实施" in title:  # an implementing regulation is about the law it implements
        title = quoted.group(1)
    t = strip_title(title)
    if region and t.startswith(region):
        t = t[len(region):]
    elif region is None:  # a title known by name only (山东省村民委员会选举办法)
        t = _REGION.sub("", t, count=1)
    if t.startswith("中国共产党"):
        t = t[len("中国共产党"):]
    t = _JUDICIAL.sub("", t)
    for _ in range(2):
        t = _TAIL.sub("", t)
    return t


def core_words(title: str, region: str | None = None, generic: frozenset[str] | None = None) -> list[str]:
    """The content words of a title's core (jieba words of two characters or more, generic ones left out)."""
    generic = load().generic if generic is None else generic
    out: list[str] = []
    for run in _CJK.findall(title_core(title, region)):
        for w in segment(run):
            if len(w) >= 2 and w not in generic and w not in out:
                out.append(w)
    return out


def fit(title: str, region: str | None, tokens: set[str], topic_content: dict[str, tuple[str, ...]]) -> str | None:
    """How a title's core meets the topic. tokens: the topic's words (and the statutes' forms of them);
    topic_content: its content words, each with those forms.

    FULL: each core word is a topic word, or part of one (选举 of 换届选举), and one at least is a whole topic word
    (so 安全 inside 安全隐患 makes no 国家安全法 a law for it); TOPIC: the title carries each of the topic's content
    words instead (控制对企业进行经济检查的规定 for 规范涉企行政检查); HALF: only some core words are the topic's
    (科学技术普及 for 学前教育普及); None: none is."""
    words = core_words(title, region)
    if not words:
        return None
    whole = [w for w in words if w in tokens]
    part = [w for w in words if w not in tokens and any(w in t for t in tokens)]
    if whole and len(whole) + len(part) == len(words):
        return FULL
    if len(topic_content) >= 2 and all(any(x in title for x in (t, *fs)) for t, fs in topic_content.items()):
        return TOPIC
    # a core word holding a topic word (劳动就业 holds 就业) is a narrower subject: half, not none
    return HALF if whole or part or any(t in w for w in words for t in tokens if len(t) >= 2) else None
