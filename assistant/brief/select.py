"""Which laws and which of their articles a brief quotes: laws ranked by their best-matching articles, not by
the sum of their hits.

The governing laws come first: the user's, the registry's instruments, laws named in the topic and laws made for
it (found by title in the catalog); then searched laws that speak to the topic's subject, the province's own
regulation among them. Scoring is in `score`, what a topic admits in `scope`, gathering in `gather`, coverage
(decline, caution) in `coverage`."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from knowledge.lawnames import strip_title
from knowledge.models import Law

from . import coverage, kinds, titles
from .gather import Gatherer
from .related import related
from .score import Candidate, Scorer
from .scope import LEVEL_ORDER, LOCAL_LEVELS, Scope
from .topics import GENERIC_WEIGHT, Registry, Understanding

log = logging.getLogger(__name__)

RELATIVE_TERMS = 0.35  # a searched article needs this share of the best article's topic weight
FALLBACK = "配套依据"  # the subject's core instruments brought in when the governing or named one is missing
RELATIVE_LAW = 0.45
PROVINCIAL_LAW = 0.25  # the province's regulation on the subject needs less: a county brief should cite it
PROVINCIAL_ANCHORED = 3  # … when that many of its articles carry the topic's subject
SUPPLEMENT_TERMS = 0.5  # a searched law needs this share of the best law's score
ASSEMBLED_COVERAGE = 0.5  # an article of a topic no law is made for, carrying this share of its words, speaks to it
COUNTY_KEEP = 3.0  # an article of such a law laying down the county's duty stays even with few topic words
BESIDE_TITLED = 2  # articles naming the dedicated law's subject a searched law needs beside it
ASSEMBLED_ANCHORED = 3  # … and a law searched for such a topic names its subject (房屋 and 租赁) in so many articles,
# or a third as many as the law naming it most
FULL_COVERAGE = 0.85  # an article carrying (nearly) all the topic's own words stays, however strong others are


@dataclass
class LawPick:
    law: Law
    reason: str  # 用户指定 / 主管依据 / 主题点名 / 通用依据 / 配套依据 / 检索相关
    score: float
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Selection:
    picks: list[LawPick]
    missing: list[tuple[str, str | None]]  # registry instruments the knowledge base lacks
    declined: str | None = None
    caution: str | None = None  # no law made for the topic: what is quoted only touches it
    pending: list[Law] = field(default_factory=list)  # quoted laws whose stored text is not yet in force
    older: dict[str, Law] = field(default_factory=dict)  # older regulation id -> the newer law on its subject
    overtaken: dict[str, Law] = field(default_factory=dict)  # … of those, the national ones the law has overtaken


class Selector:
    """Finds the governing laws of a topic and their best articles in a knowledge base."""

    def __init__(self, kb, registry: Registry, top_k: int = 40, region: str | None = None,
                 today: str | None = None):
        self.kb = kb
        self.region = region  # the brief's own city or county (泰安市): its regulations count as local
        self.registry = registry
        self.top_k = top_k
        self.today = today

    def resolve(self, title: str) -> Law | None:
        """The current law with exactly this title, else what the name resolves to (优化营商环境条例 is not
        济南市优化营商环境条例); of two current versions, the one in force."""
        exact = [law for law in self.kb.catalog.laws_by_title(title) if law.is_current]
        if len(exact) > 1:
            scope = Scope(self.kb, self.registry, Understanding(title, [], {}), today=self.today)
            exact.sort(key=scope.pending)
        return exact[0] if exact else self.kb.resolve_law(title)

    def scope(self, u: Understanding) -> Scope:
        return Scope(self.kb, self.registry, u, self.region, self.today)

    def select(self, u: Understanding, *, lead: list[Law], only: list[Law], exclude: set[str],
               max_laws: int, per_law: int) -> Selection:
        scope = self.scope(u)
        scorer = Scorer(scope)
        restrict = {law.law_id for law in only} or None
        forced: dict[str, tuple[Law, str]] = {}
        for law in [*only, *lead]:
            forced.setdefault(law.law_id, (law, "用户指定"))
        keys, missing = self._registry(u, forced, restrict, exclude)
        self._drop_sibling_keys(u, keys)
        missing += [m for m in self._known_missing(scope) if m not in missing]
        named = [*(law for law, _alias in self.kb.names.detect(u.topic)), *scope.titled()]
        if not u.entries:  # the catalog's own titles: the law made for the topic, before saying there is none
            named += scope.dedicated()
        for law in named:
            if scope.usable(law) and law.law_id not in exclude and (not restrict or law.law_id in restrict):
                forced.setdefault(law.law_id, (law, "主题点名"))

        user = {law.law_id for law in [*only, *lead]}
        found = Gatherer(self.kb, scope, scorer, self.top_k).gather(forced, restrict, exclude, user)
        for law_id, nums in keys.items():
            law = forced[law_id][0]
            for number, paragraph in nums.items():
                art = self.kb.catalog.article(law_id, number, 0)
                cand = scorer.candidate(law, art, 0.0, key=True, paragraph=paragraph) if art is not None else None
                if cand is not None:
                    found.setdefault(law_id, {})[art.article_id] = cand

        strongest = max((c.terms for cs in found.values() for c in cs.values()), default=0.0)
        by_law = {lid: sorted((c for c in cs.values() if c.key or c.user or c.terms >= RELATIVE_TERMS * strongest
                               or c.county >= COUNTY_KEEP or u.coverage(c.text) >= FULL_COVERAGE
                               or (lid in scope.read_whole and forced.get(lid, (0, ""))[1] == "主题点名"
                                   and not c.side)),
                              key=lambda c: (not c.key, c.side, -c.score)) for lid, cs in found.items()}
        # an instrument brought in for the subject is quoted for its key articles only: 地方组织法 on the
        # government's duties, not its 人大常委会 articles
        by_law = {lid: [c for c in cs if c.key] if forced.get(lid, (0, ""))[1] == FALLBACK else cs
                  for lid, cs in by_law.items()}
        by_law = {lid: _keep(cs, max(per_law, sum(c.key for c in cs))) for lid, cs in by_law.items() if cs}
        if not u.entries and all(r == "通用依据" for _law, r in forced.values()):
            reason = coverage.decline_reason(scope, by_law, self.kb)
            if reason:
                return Selection([], missing, reason)
        picks = self._picks(scope, u, forced, by_law, strongest, max_laws, bool(only and restrict))
        if not restrict:  # the instruments the topic's words name again and again beside those it names
            room = max_laws - sum(p.reason != "通用依据" for p in picks)
            for law, cands in related(self.kb, scope, scorer, u, {p.law.law_id for p in picks}, exclude,
                                      strongest, room):
                picks.append(LawPick(law, "检索相关", law_score(cands), _keep(cands, per_law)))
        older = superseded_pairs(picks)
        for p in picks:  # an older regulation under a newer law on the same subject gives way to the law
            if p.law.law_id in older and p.law.level not in LOCAL_LEVELS:  # the province's still binds a county
                for c in p.candidates:
                    c.score = round(c.score * OLDER_FACTOR, 4)
        head = [p for p in picks if p.reason == "用户指定"]
        # then laws made for the topic, then by rank of level (上位法 before local regulations), then score
        rest = sorted((p for p in picks if p.reason != "用户指定"),
                      key=lambda p: (not scope.specific(p.law), LEVEL_ORDER.get(p.law.level, len(LEVEL_ORDER))))
        caution = None
        # a judicial interpretation on its disputes (城镇房屋租赁合同纠纷) is no law governing the topic
        if not u.entries and not head and not any(scope.specific(p.law) and p.law.level != "司法解释" for p in rest):
            caution = coverage.caution(scope, [p.law.title for p in rest if p.candidates])
        if getattr(self, "named_missing", None) and not head:
            caution = coverage.named_caution(self.named_missing, [p.law.title for p in rest if p.candidates])
            missing = [m for m in missing if m[0] not in self.named_missing]  # the caution says it first
        pending = [p.law for p in head + rest if scope.pending(p.law) and p.candidates]
        return Selection(head + rest, missing, caution=caution, pending=pending,
                         older={lid: law for lid, law in older.items()},
                         overtaken={lid: law for lid, law in overtaken_pairs(picks).items()
                                    if not scope.pending(law)})

    # ---- internals ---------------------------------------------------------------------------------
    def _registry(self, u: Understanding, forced, restrict, exclude):
        """The registry's instruments: forced in when held (with their key articles), else listed as missing;
        for an unregistered topic, the general laws of its parts (安全隐患: 安全生产法), when held."""
        keys: dict[str, dict[int, int | None]] = {}
        missing: list[tuple[str, str | None]] = []
        for entry, reason in [*((e, "主管依据") for e in u.entries), *((e, "通用依据") for e in u.frameworks)]:
            for ins in entry.instruments:
                law = self.resolve(ins.title)
                if law is None:
                    if reason == "主管依据" and (ins.title, ins.level) not in missing:
                        missing.append((ins.title, ins.level))
                    continue
                if law.law_id in exclude or (restrict and law.law_id not in restrict):
                    continue
                forced.setdefault(law.law_id, (law, reason))
                keys.setdefault(law.law_id, {}).update({n: p for n, p in ins.articles})
        # the entry's own instruments, or the one the agenda names, missing: the subject's core instruments the
        # 司法局 would bring in come before laws matched by the words alone (round-6 review: 法治宣传教育法 quoted
        # for 党政主要负责人履行推进法治建设第一责任人职责规定)
        named_missing = any(self.resolve(t) is None for t in re.findall(r"《([^》]+)》", u.topic))
        for entry in u.entries:
            if not entry.fallback or (not named_missing and any(self.resolve(i.title) for i in entry.instruments)):
                continue
            for ins in entry.fallback:
                law = self.resolve(ins.title)
                if law is None or law.law_id in exclude or (restrict and law.law_id not in restrict):
                    continue
                forced.setdefault(law.law_id, (law, FALLBACK))
                keys.setdefault(law.law_id, {}).update({n: p for n, p in ins.articles})
        return keys, missing

    def _drop_sibling_keys(self, u: Understanding, keys: dict[str, dict[int, int | None]]) -> None:
        """A registry key article on the neighbouring sub-topic the topic does not name (第二十条 主动公开 for a
        topic on 依申请公开) is no key of this brief: it is scored like any other article."""
        siblings = {t for e in u.entries for t, w in e.terms.items()
                    if w > GENERIC_WEIGHT and u.weights.get(t, 0.0) <= GENERIC_WEIGHT}
        if not siblings:
            return
        top = max(u.words.values(), default=0.0)
        # the topic's weighty words (依申请公开), not its light ones (办理), say which sub-topic it is on
        own = [w for w, x in u.words.items() if x > GENERIC_WEIGHT and x >= 0.5 * top and w not in u.absent]
        if not own:
            return
        for law_id, nums in keys.items():
            law = self.kb.catalog.law(law_id)
            for number in list(nums):
                art = self.kb.catalog.article(law_id, number, 0)
                if art is None or not any(t in art.text for t in siblings):
                    continue
                mine = [w for w in own if law is None or not u.has(w, law.title)]
                if mine and not any(u.has(w, art.text) for w in mine):
                    del nums[number]

    def _known_missing(self, scope: Scope) -> list[tuple[str, str | None]]:
        """Instruments known to govern a kind of topic (data/titles.yaml) whose title core the topic covers and
        the knowledge base lacks (住房租赁条例 for 住房租赁市场规范管理): page one says so."""
        data = titles.load()
        topic = scope.u.topic
        # an instrument the agenda itself names (学习《…规定》) and the knowledge base lacks comes first
        named = [(t, None) for t in dict.fromkeys(re.findall(r"《([^》]+)》", topic)) if self.resolve(t) is None]
        self.named_missing = [t for t, _lv in named]
        # or the topic has the words of a kind of agenda the instrument governs (校园 + 食品 -> 学校食品安全与营养
        # 健康管理规定; 八项规定 -> 党政机关厉行节约反对浪费条例), which its own title does not spell
        needed = [(title, level) for title, level in data.known
                  if (scope.title_fit(title, None) == titles.FULL
                      or any(all(w in topic for w in g) for g in (data.when or {}).get(title, ())))]
        out = (named + [(t, lv) for t, lv in needed if self.resolve(t) is None and t not in self.named_missing])
        out = out[:MISSING_MAX]
        # named by the agenda's words only: not the instrument made for the topic, so no reason to keep it short
        self.agenda_missing = {t for t, _lv in out if scope.title_fit(t, None) != titles.FULL}
        return out

    def _picks(self, scope: Scope, u: Understanding, forced, by_law, strongest: float, max_laws: int,
               only: bool) -> list[LawPick]:
        scores = {lid: law_score(cs) for lid, cs in by_law.items()}
        anchors = coverage.anchors(scope, [by_law[lid][0].law for lid in sorted(scores, key=lambda x: -scores[x])])
        picks: list[LawPick] = []
        # the user's laws lead; then laws made for the topic itself (东平湖保护条例), then the registry's
        for law_id, (law, reason) in sorted(forced.items(), key=lambda kv: (kv[1][1] != "用户指定",
                                                                             not scope.specific(kv[1][0]))):
            picks.append(LawPick(law, reason, scores.get(law_id, 0.0), by_law.get(law_id, [])))
        if only:
            return picks
        # the topic's own phrase made of its anchor words (非法集资 of 防范/处置/非法/集资) speaks for all of them
        phrase = max((p for p in u.phrases if any(a in p for a in anchors)), key=lambda p: u.phrases[p],
                     default=None)

        parts = [w for w in u.words if phrase and w in phrase]
        assembled = not u.entries and not any(scope.specific(p.law) for p in picks) and \
            not any(scope.specific(cs[0].law) for cs in by_law.values())

        # no law made for the topic (a judicial interpretation on its disputes is none): what is searched must
        # speak of its subject again and again
        ungoverned = not u.entries and not any(scope.specific(p.law) and p.law.level != "司法解释" for p in picks) \
            and not any(scope.specific(cs[0].law) and cs[0].law.level != "司法解释" for cs in by_law.values())

        def anchored_text(text: str) -> bool:
            if all(u.has(a, text) for a in anchors) or (phrase is not None and (
                    phrase in text or (parts and all(u.has(w, text) for w in parts)))):
                return True
            # with no law made for the topic, an article carrying most of its words speaks to it (抛掷物品 and
            # 坠落的物品 in 民法典 第一千二百五十四条 for 高空抛物坠物)
            return assembled and u.coverage(text) >= ASSEMBLED_COVERAGE

        def anchored(c: Candidate) -> bool:
            return anchored_text(c.text)

        # laws whose articles carry the topic's subject first (电动自行车 in 道路交通安全法), then the others
        searched = sorted((lid for lid in scores if lid not in forced),
                          key=lambda lid: (not any(anchored(c) for c in by_law[lid][:3]), -scores[lid], lid))
        top = max([scores[lid] for lid in searched[:1]] + [p.score for p in picks if p.reason != "用户指定"],
                  default=0.0)
        province = any(scope.provincial(p.law) for p in picks)
        # beside a law whose title core is the topic's (政府投资条例), a searched law must speak of that subject in
        # so many words (政府投资) in several articles: 投资 alone brings in 慈善条例
        titled = [p.law for p in picks if not u.entries and scope.title_fit(p.law) == titles.FULL]
        subject = set().union(*(scope.core_phrases(law) for law in titled)) if titled else set()
        # how many articles of each searched law name the subject; a law naming it far less often than the one
        # naming it most (老年人权益保障法's 公共租赁住房 beside the 城镇房屋租赁 interpretation) only touches it
        naming = {lid: sum(anchored_text(a.text) for a in self.kb.catalog.articles(lid))
                  for lid in [*searched, *(p.law.law_id for p in picks)]} if ungoverned else {}
        naming_min = min(ASSEMBLED_ANCHORED, max(naming.values(), default=0) // ASSEMBLED_ANCHORED)
        for law_id in searched:
            cands = by_law[law_id]
            law = cands[0].law
            provincial = scope.provincial(law) and not province
            # the province's regulation on the subject may take one place beyond the national laws
            if sum(p.reason != "通用依据" for p in picks) >= max_laws + (1 if provincial else 0):
                if province or not any(scope.provincial(by_law[x][0].law) for x in searched):
                    break
                continue
            if scores[law_id] < (PROVINCIAL_LAW if provincial or assembled else RELATIVE_LAW) * top:
                continue
            if all(c.audience < 1 and c.theme != "红线" for c in cands[:3]):
                continue  # a law that speaks to companies or citizens, not to government, and sets no ban
            if provincial and not scope.specific(law) and not assembled and (
                    sum(anchored(c) for c in cands) < PROVINCIAL_ANCHORED or scores[law_id] < RELATIVE_LAW * top):
                continue  # beside a law made for the topic, the province's must speak to it in several articles
            speaks = any(anchored(c) for c in cands[:3])
            if u.entries and (max(c.terms for c in cands) < SUPPLEMENT_TERMS * strongest or not (
                    (provincial and speaks) or scope.named_by_registry(law) or scope.own_subject(law))):
                continue  # beside the registry's instruments only a law made for the topic (山东省信访条例)
            if (not u.entries or provincial) and not scope.specific(law) and not speaks:
                continue  # without the topic's anchor words (粮食) an article hit only its side words (党政同责)
            if ungoverned and not scope.specific(law) and naming.get(law_id, 0) < naming_min:
                continue  # with no law made for the topic, a law that names its subject once or twice is padding
            if subject and not scope.specific(law):
                cands = [c for c in cands if any(x in c.text for x in subject)]
                if len(cands) < BESIDE_TITLED:
                    continue
            if anchors and not scope.specific(law):  # of a searched law, only what speaks to the subject
                cands = [c for c in cands if anchored(c)] or cands[:1]
            picks.append(LawPick(law, "检索相关", scores[law_id], cands))
            province = province or scope.provincial(law)
        return picks


OLDER_FACTOR = 0.6
MISSING_MAX = 4  # lacking instruments page one names at most, the most important first (data order)
_TAIL = re.compile(r"(?:实施条例|实施细则|暂行条例|条例|法|规定|办法)$")


_IMPL = re.compile(r"(?:实施条例|实施细则)$")


def _same_subject(la: Law, lb: Law) -> bool:
    """Same title core, or the same content words once 发展/促进 and the like are left out (民营经济促进法 and
    山东省民营经济发展促进条例)."""
    if titles.title_core(la.title, la.region) == titles.title_core(lb.title, lb.region):
        return True
    a, b = titles.core_words(la.title, la.region), titles.core_words(lb.title, lb.region)
    return bool(a) and set(a) == set(b)


def _overtakes(la: Law, lb: Law) -> bool:
    """Is lb a national regulation or rule on la's subject older than the law la, not made under it
    (危险化学品安全管理条例 2013 and 社会救助暂行办法 2014 under the 2026 laws; an 实施条例 is la's own)?"""
    return la.level == "法律" and lb.level in ("行政法规", "部门规章") and "实施" not in lb.title and \
        (_TAIL.sub("", strip_title(la.title)) == _TAIL.sub("", strip_title(lb.title)) or _same_subject(la, lb)) and \
        (lb.effective_date or "") < (la.effective_date or "")


def overtaken_pairs(picks: list[LawPick]) -> dict[str, Law]:
    """Older national regulations the newer law on their subject has overtaken, though no text repeals them: the
    brief's 红线, 追责 and 落实事项 come from the law, and the old one is quoted at most where the law is silent."""
    return {b.law.law_id: a.law for a in picks for b in picks if _overtakes(a.law, b.law)}


def superseded_pairs(picks: list[LawPick]) -> dict[str, Law]:
    """Lower-level instruments older than a law on the same subject (无障碍环境建设条例 2012 under 无障碍环境建设法
    2023): where they differ, the law governs; the brief quotes them after it and says so."""
    out: dict[str, Law] = {}
    for a in picks:
        for b in picks:
            la, lb = a.law, b.law
            if lb.law_id not in out and _overtakes(la, lb):
                out[lb.law_id] = la
            # a law's implementing regulation older than the law's current version (行政复议法实施条例 2007 under
            # 行政复议法 2023): its article numbers and rules may be the old law's, so the law governs
            elif la.level == "法律" and lb.level == "行政法规" and lb.law_id not in out and \
                    _IMPL.sub("", strip_title(lb.title)) == strip_title(la.title) and _IMPL.search(lb.title) and \
                    (lb.effective_date or "") < (la.effective_date or ""):
                out[lb.law_id] = la
            # a province's regulation (or its 实施办法) older than the national law on the same subject
            # (山东省学前教育条例 2021 under 学前教育法 2025): the 上位法 and newer law governs where they differ
            elif la.level in ("法律", "行政法规") and lb.level in LOCAL_LEVELS and lb.law_id not in out and \
                    _same_subject(la, lb) and \
                    (lb.effective_date or "") < (la.effective_date or ""):
                out[lb.law_id] = la
    return out


def _keep(cands: list[Candidate], n: int, per_theme: int = 3) -> list[Candidate]:
    """A law's best n candidates, with each theme's best few among them (处置 articles score below the
    county's duties in 总则, but a brief needs its 怎么办)."""
    kept = cands[:n]
    seen = {id(c) for c in kept}
    themes: dict[str, int] = {}
    for c in kept:
        themes[c.theme] = themes.get(c.theme, 0) + 1
    for c in cands[n:]:
        # a regulated party's duty is admitted only in the law made for the topic: its few keep their part even
        # when the county's duties (lifted as decisive) fill the law's n
        if themes.get(c.theme, 0) < per_theme and (not c.side or c.theme == "监管"):
            kept.append(c)
            seen.add(id(c))
            themes[c.theme] = themes.get(c.theme, 0) + 1
    return kept


def law_score(cands: list[Candidate]) -> float:
    """A law counts by its best article, a little by its second and third: not by how many weak hits it has."""
    s = sorted((c.score for c in cands), reverse=True)[:3]
    return round(s[0] + 0.3 * (s[1] if len(s) > 1 else 0) + 0.1 * (s[2] if len(s) > 2 else 0), 4) if s else 0.0
