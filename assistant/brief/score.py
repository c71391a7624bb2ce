"""How much an article (or one 款 of it) is worth to a brief on a topic.

An article's score is the weight of the topic's statutory terms its best 款 carries, lifted a little by the
search rank and by whom it addresses (the county government and its departments first; 国务院 and the province,
companies and citizens down). Boilerplate (施行日期, 附则) is left out, and so are definitions, except the one that
says what the topic itself is (本条例所称非法集资，是指……)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.models import Article, Law

from . import kinds, titles
from .scope import Scope
from .topics import GENERIC_WEIGHT, _parts, term_score

CHAPTER_BONUS = 2.0  # an article in a chapter named for the topic (第四章 耕地保护)
KEY_BONUS = 8.0
DECISIVE_BONUS = 3.0  # what the meeting must know to decide (kinds.decisive), over definitions and principles
SEARCH_WEIGHT = 6.0  # a first place in search is worth about one core term
MIN_TERMS = 1.0  # an article must carry at least this much topic weight to be quoted
PURPOSE_BONUS = 3.0  # the purpose clause of a law made for the topic itself opens 是什么
DEFINITION_BONUS = 4.0  # … and so does its definition of the topic's own term
ON_TOPIC_SHARE = 0.5  # an article of a law made for the topic counts as carrying this share of its heaviest word
LOCAL_PARAGRAPH = 2.0
PART_SHARE = 0.7  # a part of a compound topic word (选举 of 换届选举) counts for this share of it
POWERS_FACTOR = 0.3
DOMAIN_FACTOR = 0.4
REGULATED_COVERAGE = 0.85  # an article carrying this share of the topic's words speaks of it, whoever it binds


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
    audience: float = 1.0  # whom it addresses: < 1 for organs above a county, companies or citizens
    side: bool = False  # of a law read whole, without the topic's own words: only to fill a thin brief
    theme: str = "是什么"

    @property
    def target(self) -> str | None:
        """The label a quotation carries when the rule binds 监管对象 (companies, citizens)."""
        return "监管对象" if self.audience < 1 and not self.key and not kinds.above_county(self.text) else None


class Scorer:
    """Scores articles for one topic within one scope."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.u = scope.u
        self.registry = scope.registry
        # in a small knowledge base the topic's own words are common and weigh little: the bar follows them
        self.min_terms = min(MIN_TERMS, 0.5 * max(self.u.words.values(), default=MIN_TERMS * 2))

    def defines_topic(self, law: Law, art: Article) -> bool:
        """A law made for the topic defining the topic's own term (本条例所称非法集资，是指……)."""
        if kinds.boilerplate(art) != "定义" or not self.scope.specific(law):
            return False
        head = art.text[:40]
        return any(w >= self.scope.subject_min and t in head for t, w in self.u.words.items()) or \
            any(t in head for t in self.u.phrases)

    def candidate(self, law: Law, art: Article, rank_value: float, key: bool = False,
                  paragraph: int | None = None, user: bool = False) -> Candidate | None:
        u, scope = self.u, self.scope
        if not user and scope.elsewhere(law):
            return None
        if not scope.admissible(law) or scope.superseded_by_pending(law):
            return None
        definition = self.defines_topic(law, art)
        if not key:
            for region in self.registry.regions:
                if region in art.text and not scope.named(region):
                    return None
            if kinds.boilerplate(art) and not definition:
                return None
        purpose = kinds.is_purpose(art.text)
        made_for = scope.specific(law)
        if purpose and not key:  # 立法目的 tells a meeting nothing it must do (round-6 review: 第一条 took room)
            return None
        paragraph, text = (paragraph, art.paragraph_text(paragraph) or art.text) if paragraph else \
            self.best_paragraph(art)
        if kinds.foreign_subject(u.topic, text):
            if not key:  # 地方党委's duties in a brief for 县政府党组: another subject's
                return None
            own = self.own_paragraph(art)
            if own is not None:  # a registry key's 款 for the topic's own subject (第十九条第二款)
                paragraph, text = own, art.paragraph_text(own) or art.text
        terms = term_score(text, u.weights)
        whole = made_for or law.law_id in scope.read_whole
        # every article of a law whose title names the topic is on it, whether or not it repeats the words
        # (粮食安全保障法 第三十四条 speaks of 粮食储备, not of 粮食安全); its chapters all carry the topic's name
        on_topic = whole and scope.title_carries_subject(law)
        if on_topic:
            terms = max(terms, ON_TOPIC_SHARE * max(u.words.values(), default=0.0))
        elif art.chapter and term_score(art.chapter, u.words) >= 2:
            terms += CHAPTER_BONUS
        if not key and not user and terms < self.min_terms:
            return None
        side = False
        if whole and not key and not user and not purpose and not definition and not kinds.county_core(art, text) \
                and not kinds.decisive(art, text):
            # a law read whole: beyond its core, an article should carry a topic word its title does not (采砂 in
            # 河道管理条例 for 河道采砂管理); one about 堤防 or 航道 only fills a brief that would be thin
            others = [t for t, w in u.words.items() if w > GENERIC_WEIGHT and t not in u.absent
                      and not u.has(t, law.title)]
            # a compound topic word is in an article that holds one of its parts (选举 of 换届选举)
            side = bool(others) and not any(u.has(t, text) or any(p in text for p in _parts(t)) for t in others) and \
                not scope.title_carries_subject(law)
        if side and scope.title_fit(law) == titles.FULL and \
                any(w in text for w in titles.core_words(law.title, law.region)):
            side = False  # it speaks of the subject its title and the topic share (供热 in 山东省供热条例)
        county = kinds.county_weight(art, text) if whole else 0.0
        if scope.made_by_title(law) and not key:
            # every article of a law whose title core is the topic's is on it; when the topic says more than the
            # title (换届选举 beside 村民委员会组织法), the articles that carry that (or its part: 选举) come
            # first, then the county's duties and the bans, not those repeating the title's words most often
            extra = {t: w for t, w in u.words.items() if w > GENERIC_WEIGHT and t not in u.absent
                     and not u.has(t, law.title)}
            county += kinds.titled_weight(text)
            if extra:
                county += sum(
                    w if u.has(t, text) else PART_SHARE * w if any(p in text for p in _parts(t)) else 0.0
                    for t, w in extra.items())
        audience = kinds.audience(text)
        regulated = 0.0
        theme = "是什么" if (purpose or definition or (made_for and kinds.is_principle(text))) else \
            kinds.theme(art, text)
        if law.level == "司法解释" and theme in ("谁负责", "怎么办"):
            theme = "是什么"  # 人民法院按照下列顺序确定…… is how a court decides, no duty of the county's organs
        if theme == "红线" and kinds.above_county(text):
            audience = 1.0  # a ban the State declares (国家严格控制……；禁止……) binds the county as well
        elif kinds.above_county(text) and not key and not user:
            return None  # 国务院建立……协调机制 is no duty of the county's (round-6 review: county vs State Council)
        if audience < 1 and not key and not user and theme != "红线" and not kinds.above_county(text):
            # a company's or citizen's duty is no government duty; but in the law made for the topic (山东省供热条例
            # 第二十一条: 供热企业……不低于18℃) it is what the county must see done: quoted in its own labelled part;
            # an article carrying all the topic's words (房屋租赁……登记备案) is that law's core as well
            if not (scope.made_by_title(law) or u.coverage(text) >= REGULATED_COVERAGE) or \
                    not kinds.regulated_duty(text):
                return None
            if theme != "追责":
                theme = "监管"
            regulated = kinds.regulated_weight(text)
        score = (terms + SEARCH_WEIGHT * rank_value + county + regulated) * audience
        if purpose:
            score += PURPOSE_BONUS
        if definition:
            score += DEFINITION_BONUS
        elif made_for and kinds.is_principle(text) and (not art.chapter or "总则" in art.chapter):
            score += PURPOSE_BONUS  # the principles of a law made for the topic say what the topic is
        if not made_for and any(d in text and d not in u.topic for d in self.registry.domains):
            score *= DOMAIN_FACTOR
        if any(p in kinds.subject(text) for p in self.registry.powers) and \
                not any(scope.named(p[:2]) for p in self.registry.powers):
            score *= POWERS_FACTOR
        if theme not in ("是什么", "追责") and kinds.decisive(art, text):  # officials' liability is lifted already
            score += DECISIVE_BONUS  # duties with deadlines, bans, officials' liability before declarations
        if key:
            score += KEY_BONUS
        return Candidate(law, art, paragraph, text, round(score, 4), terms, key, user, county, audience, side, theme)

    def own_paragraph(self, art: Article) -> int | None:
        """The one 款 addressing the topic's own subject when the article's others address another's (第十九条:
        地方党委每年年初…… / 党组（党委）每年年初……), else None."""
        paras = art.paragraphs
        if len(paras) < 2 or not any(kinds.foreign_subject(self.u.topic, p.text) for p in paras):
            return None
        own = [i for i, p in enumerate(paras, 1) if not kinds.foreign_subject(self.u.topic, p.text)
               and not re.search(r"前[两三]?款", p.text)]
        return own[0] if len(own) == 1 else None

    def best_paragraph(self, art: Article) -> tuple[int | None, str]:
        """The one 款 that speaks to the topic, when an article has several and only one does; never a 款 that
        leans on the one before it (前款规定以外)."""
        paras = art.paragraphs
        own = self.own_paragraph(art)
        if own is not None:
            return own, art.paragraph_text(own) or art.text
        if len(paras) < 2 or len(art.text) < 120:
            return None, art.text
        # the 款 that binds the county (建设殡仪馆……报本级人民政府审批) before one for the State Council's approval
        scored = [(term_score("\n".join((p.text, *p.items)), self.u.weights) + LOCAL_PARAGRAPH * kinds.local_duty(p.text)
                   - LOCAL_PARAGRAPH * kinds.above_county(p.text), i) for i, p in enumerate(paras, 1)]
        scored.sort(key=lambda s: (-s[0], s[1]))
        best, second = scored[0], scored[1]
        if best[0] >= MIN_TERMS and best[0] >= 2 * second[0]:
            text = art.paragraph_text(best[1]) or art.text
            if "前款" in text or "前两款" in text or "前三款" in text:  # 前款 without its 款 points at nothing
                return None, art.text
            # a ban in another 款 that speaks to the topic is the article's red line: keep the whole
            if any(i != best[1] and sc >= MIN_TERMS and kinds.theme(art, paras[i - 1].text) == "红线"
                   for sc, i in scored) and kinds.theme(art, text) != "红线":
                return None, art.text
            return best[1], text
        return None, art.text
