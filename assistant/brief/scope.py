"""Which laws a topic admits, and which are made for it: other cities' regulations, laws for a region or a domain
the topic does not name, versions not yet in force, and the catalog search by title that finds the law made for
a topic (控制对企业进行经济检查的规定 for 规范涉企行政检查) before a brief says there is none."""

from __future__ import annotations

import re
from datetime import date as _date
from functools import cached_property

from knowledge.lawnames import strip_title
from knowledge.lexical import segment
from knowledge.models import SOURCE_LOCAL, Law

from . import titles
from .topics import GENERIC_WEIGHT, Registry, Understanding, topic_words

TITLED_LEVELS = ("宪法", "法律", "行政法规")
LOCAL_LEVELS = ("地方性法规", "地方政府规章")
LEVEL_ORDER = {lv: i for i, lv in enumerate(("宪法", "法律", "党内法规", "行政法规", "监察法规", "司法解释", "部门规章",
                                            "地方性法规", "地方政府规章"))}
PROVINCIAL = ("省", "自治区", "北京市", "天津市", "上海市", "重庆市")
CITY_SUFFIX = re.compile(r"(?:市|自治州|州|盟|地区|县|区)$")
TITLE_TAIL = re.compile(r"(?:法典|法|条例|暂行条例|规定)$")
AMENDING = re.compile(r"修改|修正案|废止|决定$")  # a 修改决定 is no law of its own for a brief
SUBJECT_WEIGHT = 2.0  # a topic word this heavy in a law's title makes the law one made for the topic
TITLE_COUNT_MAX = 6  # … when no more current titles than this carry the word
PENDING = "尚未生效"
SUBJECT_SHARE_OF_TOP = 0.75  # a word this close to the topic's heaviest names its subject on its own
SUBJECT_SHARE = 0.5  # … else the words in a title must carry this share of the topic's content weight


class Scope:
    """A per-brief view of the catalog for one topic (it caches title counts; one per brief)."""

    def __init__(self, kb, registry: Registry, u: Understanding, region: str | None = None,
                 today: str | None = None):
        self.kb = kb
        self.registry = registry
        self.u = u
        self.region = region  # the brief's own city or county (泰安市): its regulations count as local
        self.today = today or _date.today().isoformat()
        self.read_whole: set[str] = set()  # laws every article of which is a candidate
        self.made_for: set[str] = set()  # laws the catalog's titles show are made for the topic
        self.subject_min = max(GENERIC_WEIGHT + 0.01, min(SUBJECT_WEIGHT, 0.4 * max(u.words.values(), default=0.0)))
        self._title_counts: dict[tuple[str, ...], int] = {}
        self._fits: dict[str, str | None] = {}

    @cached_property
    def _laws(self) -> list[Law]:
        return [law for law in self.kb.catalog.laws() if law.is_current]

    @cached_property
    def _titles(self) -> list[str]:
        return [law.title for law in self._laws]

    # ---- laws the topic admits ------------------------------------------------------------------
    def named(self, word: str) -> bool:
        return word in self.u.topic

    def elsewhere(self, law: Law) -> bool:
        """A built-in regulation of another city (济南市…条例 in a brief for 泰安): left out unless the topic or
        the brief's region names that city. Provincial ones and the user's own uploads stay."""
        if law.source == SOURCE_LOCAL or law.level not in LOCAL_LEVELS:
            return False
        region = law.region or ""
        if not region or region.endswith(PROVINCIAL) or region in ("全国", "中华人民共和国"):
            return False
        short = CITY_SUFFIX.sub("", region)
        return not (self.region and (region in self.region or self.region in region)) and short not in self.u.topic

    def admissible(self, law: Law) -> bool:
        """Not a law for a region (长江河道采砂管理条例) or a domain (长岛海洋生态保护条例) the topic does not name."""
        return not any(r in law.title and not self.named(r) for r in self.registry.regions) and \
            not any(d in law.title and d not in self.u.topic for d in self.registry.domains)

    def pending(self, law: Law) -> bool:
        """Stored as current but not yet in force (2027年1月1日起施行)."""
        return law.status == PENDING or bool(law.effective_date and law.effective_date[:10] > self.today)

    def superseded_by_pending(self, law: Law) -> bool:
        """A version not yet in force while the version in force is also stored (农业法 2026 beside 2012): the
        brief quotes the law in force."""
        return self.pending(law) and any(o.title == law.title and o.law_id != law.law_id and not self.pending(o)
                                         for o in self.kb.catalog.laws_by_title(law.title) if o.is_current)

    def usable(self, law: Law) -> bool:
        return law.is_current and not self.elsewhere(law) and self.admissible(law) and \
            not self.superseded_by_pending(law)

    # ---- laws made for the topic ----------------------------------------------------------------
    @cached_property
    def _tokens(self) -> set[str]:
        """The topic's words as jieba cuts them, their parts the statutes use, and the statutes' forms of them."""
        u = self.u
        out = set(topic_words(u.topic, self.registry.agenda)) | {t for t in u.words if t not in u.absent}
        for forms in u.aliases.values():
            out.update(forms)
        return out

    @cached_property
    def _content(self) -> dict[str, tuple[str, ...]]:
        u, generic = self.u, titles.load().generic
        return {t: u.aliases.get(t, ()) for t, w in u.words.items()
                if w > GENERIC_WEIGHT and t not in u.absent and t not in generic}

    def title_fit(self, law_or_title, region: str | None = None) -> str | None:
        """titles.fit of a law's (or a bare title's) core against this topic: FULL, TOPIC, HALF or None."""
        title, region = (law_or_title, region) if isinstance(law_or_title, str) else \
            (law_or_title.title, law_or_title.region)
        key = f"{title}|{region}"
        if key not in self._fits:
            self._fits[key] = titles.fit(title, region, self._tokens, self._content)
        return self._fits[key]

    def made_by_title(self, law: Law) -> bool:
        """Made for the topic by its title core, and no held law's core is a narrower one containing it (气象法
        beside 气象灾害防御条例)."""
        return law.law_id in self._by_core

    @cached_property
    def _by_core(self) -> set[str]:
        return {law.law_id for law in self._dedicated_by_core(len(self._laws), admit=False)}

    def core_phrases(self, law: Law) -> set[str]:
        """What an article must say to speak of the law's subject: its title core's one content word with the
        generic words around it, in either order (政府投资: 投资 alone is in 慈善条例; 就业促进, 促进就业), else
        its content word that weighs most in the topic (集资 of 防范和处置非法集资)."""
        from itertools import permutations

        core = titles.title_core(law.title, law.region)
        content = titles.core_words(law.title, law.region)
        if len(content) != 1 or core == content[0]:
            return {max(content, key=lambda w: (self.u.words.get(w, 0.0), len(w)))} if content else set()
        words = [w for w in segment(core) if w.strip()]
        out = {core}
        if 1 < len(words) <= 3:
            out.update("".join(p) for p in permutations(words))
        return {p for p in out if len(p) >= 2}

    def half_titled(self, law: Law) -> bool:
        """Only part of the law's title core is the topic's (科学技术普及法 for 学前教育普及): for a topic outside
        the registry, no sign that the law is made for it."""
        return not self.u.entries and self.title_fit(law) == titles.HALF

    def titled(self) -> list[Law]:
        """National laws whose name is inside the topic ('食品安全监管' -> 食品安全法, '行政复议工作' -> 行政复议法)."""
        out: list[Law] = []
        for law in self._laws:
            if law.level not in TITLED_LEVELS:
                continue
            core = TITLE_TAIL.sub("", strip_title(law.title))
            if len(core) >= 4 and core in self.u.topic and not any(o.title == law.title for o in out) \
                    and not self.superseded_by_pending(law):
                out.append(law)
        return out

    def dedicated(self, limit: int = 3) -> list[Law]:
        """Laws whose title carries the topic's subject, found in the catalog itself: the topic's heavy word, or
        two of its words (or their statutory forms: 涉企 -> 企业) that few titles carry together."""
        u = self.u
        titled = self._dedicated_by_core(limit)
        if titled:
            self.made_for.update(law.law_id for law in titled)
            return titled
        words = [t for t, w in u.words.items() if w > GENERIC_WEIGHT and t not in u.absent]
        found: list[tuple[int, int, Law]] = []
        for law in self._laws:
            if law.level not in LEVEL_ORDER or AMENDING.search(law.title) or not self.usable(law):
                continue
            title = strip_title(law.title)
            hits = tuple(t for t in words if u.has(t, title))
            if not hits:
                continue
            if self.carries_subject(hits) and self.title_count(hits) <= TITLE_COUNT_MAX and \
                    self.title_fit(law) != titles.HALF:
                found.append((-len(hits), LEVEL_ORDER.get(law.level, 99), law))
        found.sort(key=lambda f: (f[0], f[1], f[2].title))
        # a judicial interpretation made for the topic (…刑事案件…的解释) follows the laws, never replaces them
        laws = [law for *_k, law in found if law.level != "司法解释"] or [law for *_k, law in found]
        out: list[Law] = []
        for law in laws:
            if not any(o.title == law.title for o in out):
                out.append(law)
        self.made_for.update(law.law_id for law in out[:limit])
        return out[:limit]

    def _dedicated_by_core(self, limit: int, admit: bool = True) -> list[Law]:
        """Laws whose title core the topic covers (政府投资条例 for 政府投资项目管理, 山东省供热条例 for 冬季城镇供热
        保障), the most specific first: a core inside another's (教育 in 学前教育) gives way; national laws, then
        the province's; judicial interpretations after them."""
        found = [law for law in self._laws if law.level in LEVEL_ORDER and not AMENDING.search(law.title)
                 and (self.usable(law) or not admit) and self.title_fit(law) in (titles.FULL, titles.TOPIC)
                 and not self.elsewhere(law)]
        cores = {law.law_id: titles.title_core(law.title, law.region) for law in found}
        found = [law for law in found if not any(cores[law.law_id] != cores[o.law_id]
                                                 and cores[law.law_id] in cores[o.law_id] for o in found)]
        found.sort(key=lambda law: (law.level == "司法解释", self.title_fit(law) != titles.FULL,
                                    law.level in LOCAL_LEVELS, LEVEL_ORDER.get(law.level, 99),
                                    -len(cores[law.law_id]), law.title))
        out: list[Law] = []
        for law in found:
            if not any(o.title == law.title for o in out):
                out.append(law)
        return out[:limit]

    def specific(self, law: Law) -> bool:
        """Is the law about the topic itself (东平湖保护条例 for 东平湖, 信访工作条例 for 信访)? The topic's words in
        its title count only when few titles carry them: 农村 names many laws, so 农村集体经济组织法 is not made
        for 农村人居环境整治; 残疾人 and 保障 together name few (残疾人保障法), 权益 and 保障 many."""
        if law.law_id in self.made_for or self.made_by_title(law):
            return True
        if self.half_titled(law):
            return False
        if self.own_subject(law):
            return True
        return any(w >= 4 and t in law.title and self.title_count((t,)) <= TITLE_COUNT_MAX
                   for t, w in self.u.weights.items())

    def own_subject(self, law: Law) -> bool:
        """The topic's own words in the law's title, carried by few titles (alone or together)."""
        if self.half_titled(law):
            return False
        hits = tuple(t for t, w in self.u.words.items() if w >= self.subject_min and self.u.has(t, law.title))
        return bool(hits) and self.title_count(hits) <= TITLE_COUNT_MAX

    def title_carries_subject(self, law: Law) -> bool:
        """Does the law's title name the topic's subject (企业 and 检查 in 控制对企业进行经济检查的规定)?"""
        u = self.u
        return self.carries_subject(tuple(t for t in u.words if u.has(t, strip_title(law.title))))

    def carries_subject(self, hits: tuple[str, ...]) -> bool:
        """Do these topic words say what the topic is about: its heaviest word, or half its content weight
        (处置 alone is no subject of 防范和处置非法集资; 企业 and 检查 are that of 规范涉企行政检查)?"""
        content = {t: w for t, w in self.u.words.items() if w > GENERIC_WEIGHT and t not in self.u.absent}
        if not content or not hits:
            return False
        top = max(content.values())
        if any(content.get(t, 0.0) >= SUBJECT_SHARE_OF_TOP * top and content[t] >= self.subject_min for t in hits):
            return True
        return sum(content.get(t, 0.0) for t in set(hits)) >= SUBJECT_SHARE * sum(content.values())

    def named_by_registry(self, law: Law) -> bool:
        """Does the law's title carry one of the registry's core terms, one that few titles carry (信访 in
        山东省信访条例; not 污染防治, which names a dozen laws)?"""
        return any(w >= 4 and t in law.title and self.title_count((t,)) <= TITLE_COUNT_MAX
                   for e in self.u.entries for t, w in e.terms.items())

    def title_count(self, words: tuple[str, ...]) -> int:
        """How many current titles carry all these words (or their statutory forms)."""
        if words not in self._title_counts:
            self._title_counts[words] = sum(all(self.u.has(w, t) for w in words) for t in self._titles)
        return self._title_counts[words]

    def provincial(self, law: Law) -> bool:
        """A regulation of a province (山东省…条例), which binds every county in it."""
        return law.level in LOCAL_LEVELS and (law.region or "").endswith(PROVINCIAL)
