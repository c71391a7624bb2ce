"""Which laws and which of their articles a brief quotes: laws ranked by their best-matching articles, not by
the sum of their hits.

An article's score is the weight of the topic's statutory terms its best 款 carries, lifted a little by the
search rank and by whom it addresses (government and officials first). Boilerplate (施行日期, 附则, 定义),
other regions' chapters and special powers (人大常委会, 民族自治) are left out unless the topic names them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import re

from knowledge.lawnames import strip_title
from knowledge.models import SOURCE_LOCAL, Article, Law

from . import kinds
from .topics import GENERIC_WEIGHT, Registry, Understanding, term_score

log = logging.getLogger(__name__)

TITLED_LEVELS = ("宪法", "法律", "行政法规")
LOCAL_LEVELS = ("地方性法规", "地方政府规章")
LEVEL_ORDER = {lv: i for i, lv in enumerate(("宪法", "法律", "党内法规", "行政法规", "监察法规", "司法解释", "部门规章",
                                            "地方性法规", "地方政府规章"))}
PROVINCIAL = ("省", "自治区", "北京市", "天津市", "上海市", "重庆市")
CITY_SUFFIX = re.compile(r"(?:市|自治州|州|盟|地区|县|区)$")
TITLE_TAIL = re.compile(r"(?:法典|法|条例|暂行条例|规定)$")
CHAPTER_BONUS = 2.0  # an article in a chapter named for the topic (第四章 耕地保护)
KEY_BONUS = 8.0
WHOLE_LAW_MAX = 600  # a registry key article outranks any searched one
SEARCH_WEIGHT = 6.0  # a first place in search is worth about one core term
MIN_TERMS = 1.0  # an article must carry at least this much topic weight to be quoted
SUBJECT_WEIGHT = 2.0  # a topic word this heavy in a law's title makes the law one made for the topic
TITLE_COUNT_MAX = 6  # … when no more current titles than this carry the word
ANCHOR_WEIGHT = 3.0  # without a law made for the topic, its heaviest word (this heavy) must be in what is quoted
RELATIVE_TERMS = 0.35  # a searched article needs this share of the best article's topic weight
RELATIVE_LAW = 0.45
SUPPLEMENT_TERMS = 0.5  # a searched law needs this share of the best law's score
SPECIFIC_READ = 2  # searched laws made for the topic (粮食安全保障法 for 粮食安全…) read whole, at most this many
COUNTY_KEEP = 3.0  # an article of such a law laying down the county's duty stays even with few topic words
FULL_COVERAGE = 0.85  # an article carrying (nearly) all the topic's own words stays, however strong others are
DECLINE_COVERAGE = 0.6  # below this share of the topic's words, the knowledge base does not cover the topic
ABSENT_SHARE = 0.3  # words the statutes never use carrying this share of the topic mean no legal basis
PURPOSE_BONUS = 3.0  # the purpose clause of a law made for the topic itself opens 是什么
POWERS_FACTOR = 0.3
DOMAIN_FACTOR = 0.4


@dataclass
class Candidate:
    law: Law
    article: Article
    paragraph: int | None  # the 款 quoted, or None for the whole article
    text: str  # the quoted unit's verbatim text
    score: float
    terms: float  # topic weight the unit carries
    key: bool = False
    user: bool = False  # of a law the user asked for: quoted even when it carries few topic terms
    county: float = 0.0  # what a county government must know of it (its duties, officials' liability)
    audience: float = 1.0  # whom it addresses: < 1 for companies or citizens (监管对象)
    side: bool = False  # of a law read whole, without the topic's own words: only to fill a thin brief


@dataclass
class LawPick:
    law: Law
    reason: str  # 用户指定 / 主管依据 / 主题点名 / 检索相关
    score: float
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Selection:
    picks: list[LawPick]
    missing: list[tuple[str, str | None]]  # registry instruments the knowledge base lacks
    declined: str | None = None
    caution: str | None = None  # no law made for the topic: what is quoted only touches it


class Selector:
    """Finds the governing laws of a topic and their best articles in a knowledge base."""

    def __init__(self, kb, registry: Registry, top_k: int = 40, region: str | None = None):
        self.kb = kb
        self.region = region  # the brief's own city or county (泰安市): its regulations count as local
        self.registry = registry
        self.top_k = top_k
        self._titled_ids: set[str] = set()
        self._min_terms = MIN_TERMS
        self._subject_min = SUBJECT_WEIGHT
        self._titles: list[str] = []
        self._title_counts: dict[tuple[str, ...], int] = {}

    # ---- public ------------------------------------------------------------------------------------
    def select(self, u: Understanding, *, lead: list[Law], only: list[Law], exclude: set[str],
               max_laws: int, per_law: int) -> Selection:
        restrict = {law.law_id for law in only} or None
        # in a small knowledge base the topic's own words are common and weigh little: the bar follows them
        self._min_terms = min(MIN_TERMS, 0.5 * max(u.words.values(), default=MIN_TERMS * 2))
        self._subject_min = max(GENERIC_WEIGHT + 0.01, min(SUBJECT_WEIGHT, 0.4 * max(u.words.values(), default=0.0)))
        self._titles = [law.title for law in self.kb.catalog.laws() if law.is_current]
        self._title_counts = {}
        forced: dict[str, tuple[Law, str]] = {}
        for law in [*only, *lead]:
            forced.setdefault(law.law_id, (law, "用户指定"))
        keys: dict[str, dict[int, int | None]] = {}
        missing: list[tuple[str, str | None]] = []
        for entry in u.entries:
            for ins in entry.instruments:
                law = self.resolve(ins.title)
                if law is None:
                    if (ins.title, ins.level) not in missing:
                        missing.append((ins.title, ins.level))
                    continue
                if law.law_id in exclude or (restrict and law.law_id not in restrict):
                    continue
                forced.setdefault(law.law_id, (law, "主管依据"))
                keys.setdefault(law.law_id, {}).update({n: p for n, p in ins.articles})
        for law in [*(law for law, _alias in self.kb.names.detect(u.topic)), *self._titled(u)]:
            if law.is_current and law.law_id not in exclude and (not restrict or law.law_id in restrict):
                forced.setdefault(law.law_id, (law, "主题点名"))

        self._titled_ids = {law_id for law_id, (_law, reason) in forced.items() if reason == "主题点名"}
        found = self._search(u, restrict, exclude, forced, {law.law_id for law in [*only, *lead]})
        for law_id, nums in keys.items():
            law = forced[law_id][0]
            for number, paragraph in nums.items():
                art = self.kb.catalog.article(law_id, number, 0)
                if art is not None:
                    cand = self._candidate(u, law, art, 0.0, key=True, paragraph=paragraph)
                    if cand is not None:
                        found.setdefault(law_id, {})[art.article_id] = cand

        strongest = max((c.terms for cs in found.values() for c in cs.values()), default=0.0)
        by_law = {lid: sorted((c for c in cs.values() if c.key or c.user or c.terms >= RELATIVE_TERMS * strongest
                               or c.county >= COUNTY_KEEP or u.coverage(c.text) >= FULL_COVERAGE),
                              key=lambda c: (not c.key, c.side, -c.score)) for lid, cs in found.items()}
        by_law = {lid: cs[:max(per_law, sum(c.key for c in cs))] for lid, cs in by_law.items() if cs}
        if not forced and not u.entries:
            reason = self._decline_reason(u, by_law)
            if reason:
                return Selection([], missing, reason)
        scores = {lid: _law_score(cs) for lid, cs in by_law.items()}
        anchors = self._anchors(u, [by_law[lid][0].law for lid in sorted(scores, key=lambda x: -scores[x])])
        picks: list[LawPick] = []
        # the user's laws lead; then laws made for the topic itself (东平湖保护条例), then the registry's
        forced = dict(sorted(forced.items(), key=lambda kv: (kv[1][1] != "用户指定",
                                                             not self._specific(u, kv[1][0]))))
        for law_id, (law, reason) in forced.items():
            picks.append(LawPick(law, reason, scores.get(law_id, 0.0), by_law.get(law_id, [])))
        searched = sorted((lid for lid in scores if lid not in forced), key=lambda lid: (-scores[lid], lid))
        top = max([scores[lid] for lid in searched[:1]] + [p.score for p in picks if p.reason != "用户指定"],
                  default=0.0)
        for law_id in searched:
            if len(picks) >= max_laws or (only and restrict):
                break
            if scores[law_id] < RELATIVE_LAW * top:
                break
            cands = by_law[law_id]
            if kinds.audience(cands[0].text) < 1:  # a law that speaks to companies or citizens, not to government
                continue
            if u.entries and (max(c.terms for c in cands) < SUPPLEMENT_TERMS * strongest or
                              not (self._named_by_registry(u, cands[0].law) or self._own_subject(u, cands[0].law))):
                continue  # beside the registry's instruments only a law made for the topic (山东省信访条例)
            if not u.entries and anchors and not self._specific(u, cands[0].law) and \
                    not any(all(a in c.text for a in anchors) for c in cands[:3]):
                continue  # without the topic's anchor words (粮食) an article hit only its side words (党政同责)
            picks.append(LawPick(cands[0].law, "检索相关", scores[law_id], cands))
        for p in picks:  # a law made for the topic opens with what it is for (为了……制定本条例)
            if self._specific(u, p.law) and not any(kinds.is_purpose(c.article.text) for c in p.candidates):
                first = next((a for a in self.kb.catalog.articles(p.law.law_id)[:3] if kinds.is_purpose(a.text)),
                             None)
                if first is not None:
                    p.candidates.insert(0, Candidate(p.law, first, None, first.text, p.score, 0.0, key=True))
        head = [p for p in picks if p.reason == "用户指定"]
        # then laws made for the topic, then by rank of level (上位法 before local regulations), then score
        rest = sorted((p for p in picks if p.reason != "用户指定"),
                      key=lambda p: (not self._specific(u, p.law), LEVEL_ORDER.get(p.law.level, len(LEVEL_ORDER))))
        caution = None
        if not u.entries and not head and not any(self._specific(u, p.law) for p in rest):
            caution = (f"知识库中没有专门规定“{u.topic}”的法律法规，以下是相关法律法规中涉及本议题的条文，"
                       "主管部门的专门规定、政策文件请另行补充。")
        return Selection(head + rest, missing, caution=caution)

    def resolve(self, title: str) -> Law | None:
        """The current law with exactly this title, else what the name resolves to (优化营商环境条例 is not
        济南市优化营商环境条例)."""
        exact = [law for law in self.kb.catalog.laws_by_title(title) if law.is_current]
        return exact[0] if exact else self.kb.resolve_law(title)

    # ---- internals ---------------------------------------------------------------------------------
    def _search(self, u: Understanding, restrict, exclude: set[str], forced,
                user: set[str]) -> dict[str, dict[str, Candidate]]:
        core = sorted(u.weights.items(), key=lambda kv: -kv[1])
        strong = [t for t, w in core if w >= 3][:4]
        queries = [u.topic]
        if strong:
            queries.append(" ".join(strong))
            queries.extend(strong[:3])
        law_filter = sorted(restrict) if restrict else None
        best_rank: dict[str, tuple[float, Article, Law]] = {}
        for q in dict.fromkeys(queries):
            # the topic itself through the full (hybrid, re-ranked) search; its term queries lexically: they only
            # gather candidates that the brief's own scoring orders, and a brief stays within a few seconds
            mode = "hybrid" if q == u.topic else "lexical"
            for h in self.kb.search(q, top_k=self.top_k, law=law_filter, mode=mode):
                value = 1.0 / (h.rank + 4)
                old = best_rank.get(h.article.article_id)
                if old is None or old[0] < value:
                    best_rank[h.article.article_id] = (value, h.article, h.law)
        for law_id, (law, reason) in forced.items():  # each governing law's own best articles
            if reason == "主题点名" or self._specific(u, law):
                # a law made for the topic: every article is a candidate (all carry the topic's words)
                for art in self.kb.catalog.articles(law_id)[:WHOLE_LAW_MAX]:
                    best_rank.setdefault(art.article_id, (0.0, art, law))
            for q in queries[:2]:
                for h in self.kb.search(q, top_k=20, law=law_id, mode="lexical"):
                    value = 0.5 / (h.rank + 4)
                    old = best_rank.get(h.article.article_id)
                    if old is None or old[0] < value:
                        best_rank[h.article.article_id] = (value, h.article, h.law)
        if not u.entries:  # no registry entry: the laws made for the topic that search found are read whole
            specific = [law for law in dict.fromkeys(law for _v, _a, law in sorted(best_rank.values(),
                                                                                  key=lambda x: -x[0]))
                        if law.law_id not in forced and law.is_current and self._specific(u, law)
                        and not self._elsewhere(u, law) and self._admissible(u, law)]
            for law in specific[:SPECIFIC_READ]:
                self._titled_ids.add(law.law_id)
                for art in self.kb.catalog.articles(law.law_id)[:WHOLE_LAW_MAX]:
                    best_rank.setdefault(art.article_id, (0.0, art, law))
        # a chapter named for the topic (第四章 耕地保护) is read whole: its articles need not repeat the words
        chapters = {(law.law_id, art.chapter) for _v, art, law in best_rank.values()
                    if art.chapter and term_score(art.chapter, u.words) >= 2}
        for law_id, chapter in chapters:
            law = self.kb.catalog.law(law_id)
            for art in self.kb.catalog.articles(law_id):
                if art.chapter == chapter:
                    best_rank.setdefault(art.article_id, (0.0, art, law))
        out: dict[str, dict[str, Candidate]] = {}
        for aid, (value, art, law) in best_rank.items():
            if law.law_id in exclude or not law.is_current:
                continue
            cand = self._candidate(u, law, art, value, user=law.law_id in user)
            if cand is not None:
                out.setdefault(law.law_id, {})[aid] = cand
        return out

    def _named(self, u: Understanding, word: str) -> bool:
        return word in u.topic

    def _elsewhere(self, u: Understanding, law: Law) -> bool:
        """A built-in regulation of another city (济南市…条例 in a brief for 泰安): left out unless the topic or
        the brief's region names that city. Provincial ones and the user's own uploads stay."""
        if law.source == SOURCE_LOCAL or law.level not in LOCAL_LEVELS:
            return False
        region = law.region or ""
        if not region or region.endswith(PROVINCIAL) or region in ("全国", "中华人民共和国"):
            return False
        short = CITY_SUFFIX.sub("", region)
        return not (self.region and (region in self.region or self.region in region)) and short not in u.topic

    def _candidate(self, u: Understanding, law: Law, art: Article, rank_value: float, key: bool = False,
                   paragraph: int | None = None, user: bool = False) -> Candidate | None:
        if not user and self._elsewhere(u, law):
            return None
        if not self._admissible(u, law):
            return None
        if not key:
            for region in self.registry.regions:
                if region in art.text and not self._named(u, region):
                    return None
            if kinds.boilerplate(art):
                return None
        purpose = kinds.is_purpose(art.text)
        if purpose and not key and not self._specific(u, law):
            return None
        paragraph, text = (paragraph, art.paragraph_text(paragraph) or art.text) if paragraph else \
            self._best_paragraph(u, art)
        terms = term_score(text, u.weights)
        if art.chapter and term_score(art.chapter, u.words) >= 2:
            terms += CHAPTER_BONUS
        if not key and not user and terms < self._min_terms:
            return None
        made_for = self._specific(u, law)
        whole = made_for or law.law_id in self._titled_ids
        side = False
        if whole and not key and not user and not purpose and not kinds.county_core(art, text):
            # a law read whole: beyond its core, an article should carry a topic word its title does not (采砂 in
            # 河道管理条例 for 河道采砂管理); one about 堤防 or 航道 only fills a brief that would be thin
            others = [t for t, w in u.words.items() if w > GENERIC_WEIGHT and t not in u.absent and t not in law.title]
            side = bool(others) and not any(t in text for t in others)
        county = kinds.county_weight(art, text) if whole else 0.0
        audience = kinds.audience(text)
        if audience < 1 and not key and not user and kinds.theme(art, text) != "红线":
            return None  # a company's or citizen's duty is no government duty; only its bans, labelled, stay
        score = (terms + SEARCH_WEIGHT * rank_value + county) * audience
        if purpose:
            score += PURPOSE_BONUS
        if not made_for and any(d in text and d not in u.topic for d in self.registry.domains):
            score *= DOMAIN_FACTOR
        if any(p in kinds.subject(text) for p in self.registry.powers) and \
                not any(self._named(u, p[:2]) for p in self.registry.powers):
            score *= POWERS_FACTOR
        if key:
            score += KEY_BONUS
        return Candidate(law, art, paragraph, text, round(score, 4), terms, key, user, county, audience, side)

    def _admissible(self, u: Understanding, law: Law) -> bool:
        """Not a law for a region (长江河道采砂管理条例) or a domain (长岛海洋生态保护条例) the topic does not name."""
        return not any(r in law.title and not self._named(u, r) for r in self.registry.regions) and \
            not any(d in law.title and d not in u.topic for d in self.registry.domains)

    def _titled(self, u: Understanding) -> list[Law]:
        """National laws whose name is inside the topic ('食品安全监管' -> 食品安全法, '行政复议工作' -> 行政复议法)."""
        out = []
        for law in self.kb.catalog.laws():
            if not law.is_current or law.level not in TITLED_LEVELS:
                continue
            core = TITLE_TAIL.sub("", strip_title(law.title))
            if len(core) >= 4 and core in u.topic and not any(o.title == law.title for o in out):
                out.append(law)
        return out

    def _anchors(self, u: Understanding, laws: list[Law]) -> list[str]:
        """The topic's words that name its subject: those in the title of the best-ranked law made for it
        (粮食安全 in 粮食安全党政同责, from 粮食安全保障法); without such a law, its heaviest word (电动自行车)."""
        best = next((law for law in laws if self._specific(u, law)), None)
        if best is not None:
            return [t for t, w in u.words.items() if w >= self._subject_min and t in best.title]
        if u.phrases:  # the topic's own phrase (人居环境) says what it is about better than any one word
            return [max(u.phrases, key=lambda t: (u.phrases[t], t))]
        heavy = sorted(((w, t) for t, w in u.words.items() if t not in u.absent), reverse=True)
        return [heavy[0][1]] if heavy and heavy[0][0] >= ANCHOR_WEIGHT else []

    def _named_by_registry(self, u: Understanding, law: Law) -> bool:
        """Does the law's title carry one of the registry's core terms, one that few titles carry (信访 in
        山东省信访条例; not 污染防治, which names a dozen laws)?"""
        return any(w >= 4 and t in law.title and self._title_count((t,)) <= TITLE_COUNT_MAX
                   for e in u.entries for t, w in e.terms.items())

    def _specific(self, u: Understanding, law: Law) -> bool:
        """Is the law about the topic itself (东平湖保护条例 for 东平湖, 信访工作条例 for 信访)? The topic's words in
        its title count only when few titles carry them: 农村 names many laws, so 农村集体经济组织法 is not made
        for 农村人居环境整治; 残疾人 and 保障 together name few (残疾人保障法), 权益 and 保障 many."""
        if self._own_subject(u, law):
            return True
        return any(w >= 4 and t in law.title and self._title_count((t,)) <= TITLE_COUNT_MAX
                   for t, w in u.weights.items())

    def _own_subject(self, u: Understanding, law: Law) -> bool:
        """The topic's own words in the law's title, carried by few titles (alone or together)."""
        hits = tuple(t for t, w in u.words.items() if w >= self._subject_min and t in law.title)
        return bool(hits) and self._title_count(hits) <= TITLE_COUNT_MAX

    def _title_count(self, words: tuple[str, ...]) -> int:
        """How many current titles carry all these words."""
        if words not in self._title_counts:
            self._title_counts[words] = sum(all(w in t for w in words) for t in self._titles)
        return self._title_counts[words]

    @staticmethod
    def _best_paragraph(u: Understanding, art: Article) -> tuple[int | None, str]:
        """The one 款 that speaks to the topic, when an article has several and only one does."""
        paras = art.paragraphs
        if len(paras) < 2 or len(art.text) < 120:
            return None, art.text
        scored = [(term_score("\n".join((p.text, *p.items)), u.weights), i) for i, p in enumerate(paras, 1)]
        scored.sort(key=lambda s: (-s[0], s[1]))
        best, second = scored[0], scored[1]
        if best[0] >= MIN_TERMS and best[0] >= 2 * second[0]:
            return best[1], art.paragraph_text(best[1]) or art.text
        return None, art.text

    def _decline_reason(self, u: Understanding, by_law: dict[str, list[Candidate]]) -> str | None:
        total = sum(u.words.values())
        absent = sum(u.words[w] for w in u.absent)
        best = max((u.coverage(c.law.title + c.text) for cs in by_law.values() for c in cs), default=0.0)
        if total and absent / total >= ABSENT_SHARE:
            words = "、".join(f"“{w}”" for w in u.absent)
            return (f"知识库所存法规中没有出现{words}等用语，找不到“{u.topic}”的直接法律依据。"
                    "如有主管的法规、规章或政策文件，请先导入，或用 --law 指定法规。")
        if best < DECLINE_COVERAGE:
            return (f"知识库中没有与“{u.topic}”直接对应的条文（最相关的条文只涉及议题的一部分）。"
                    "如有主管的法规、规章或政策文件，请先导入，或用 --law 指定法规。")
        return None


def _law_score(cands: list[Candidate]) -> float:
    """A law counts by its best article, a little by its second and third: not by how many weak hits it has."""
    s = sorted((c.score for c in cands), reverse=True)[:3]
    return round(s[0] + 0.3 * (s[1] if len(s) > 1 else 0) + 0.1 * (s[2] if len(s) > 2 else 0), 4) if s else 0.0
