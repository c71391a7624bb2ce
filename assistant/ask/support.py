"""Answer or decline: judged on whether the retrieved articles cover the question's key terms.

Vector similarity alone tracks topic, not relevance (unrelated hits scored 0.40, a gold first hit was refused),
so the decision counts the question's own content words found in the top articles (a colloquial word counts
when a statutory term the lexicon maps it to is there). A decline names what is missing: the terms no article
covers, a named law the knowledge base does not hold, or a kind of rule (党内法规, 信访 …) it has none of."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.models import Hit

from .query import Query, content_words

COVERAGE_FILE = Path(__file__).parent / "data" / "coverage.json"
LONE_TRIGGERS_FILE = Path(__file__).parent / "data" / "lone_triggers.json"
TOP = 3  # articles whose text counts as the answer's evidence
STORY_WORDS = 6  # more content words than this: a question told as a story


@dataclass(frozen=True)
class Thresholds:
    """Chosen on the training folds of benchmarks/devset.jsonl and benchmarks/offtopic.txt (benchmarks/answers.py)."""

    min_covered: int = 2  # key terms found in the top articles ...
    min_share: float = 0.0  # ... and this share of them (0: two found terms suffice; tune_support.py)
    # or every key term found (a one- or two-term question); a law title alone never counts
    min_weighted: float = 0.0  # share of the question's IDF weight the found terms carry
    # the learned re-ranker's raw score of the first hit: below it nothing retrieved is a plausible answer
    # (only when the first hit was re-ranked; a named law or an article reference answers regardless)
    min_rank_score: float | None = 0.25  # tune_support.py with the round-6 re-ranker (its score scale; kept)
    # ... unless at least `rank_veto_covered` of the question's terms, carrying at least `rank_veto_below` of its
    # weight, are in the articles: a low score with most of a long question's words found is a colloquial
    # question the re-ranker finds hard, not an unrelated one (short off-topic questions find 2-3 words)
    rank_veto_below: float | None = 0.35  # tune_support.py: training folds of dev, STARD and fresh-1..4 (round 6)
    rank_veto_covered: int = 4
    rank_veto_floor: float | None = -1.0  # below this score the veto holds however many words are found
    # a first hit the re-ranker scores at least this high answers when one of the question's terms is in its
    # text: colloquial questions (越罚越多, 拖多少天) share few words with the rule the ranker puts first
    # asked within one level or law (--level 党内法规): the question's rarest word that articles use (赌博) must be
    # in the answer's articles; elsewhere in the knowledge base but not in scope means the scope has no such rule.
    # Not applied unscoped: there it declined a third of the training questions (tune_support.py)
    scoped_key_idf: float = 5.0
    # a question whose only found word came through one lexicon trigger is declined unless another of its words is
    # this common in the statutes (IDF): 孩子发烧吃什么药 (孩子 -> 未成年人) is not a legal question
    legal_word_idf: float = 6.5
    # a decline with fewer of the question's words in the articles than this is judged off-topic: the nearest
    # articles are not listed (手机老是自动重启 found only 自动, and listed 刑法第十六条 and 自首)
    nearest_min_covered: int = 2
    rank_accept: float | None = 1.5  # tune_support.py: training folds and fresh-1..4 (round-6 re-ranker; 1.0 answered
    # one more fresh off-topic question for 0.6% fewer on-topic declines)


@dataclass
class Support:
    supported: bool
    reason: str = ""
    ref: bool = False
    words: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    weighted: float = 0.0  # share of the question's term weight (IDF) that the found terms carry
    offtopic: bool = False  # declined with (almost) none of its words in the articles: no "nearest" list

    @property
    def share(self) -> float:
        return len(self.covered) / len(self.words) if self.words else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"supported": self.supported, "reason": self.reason, "ref": self.ref, "words": self.words,
                "covered": self.covered, "missing": self.missing, "weighted": round(self.weighted, 3),
                "offtopic": self.offtopic}


class SupportJudge:
    def __init__(self, kb: Any, thresholds: Thresholds | None = None, coverage_file: Path = COVERAGE_FILE):
        self.kb = kb
        self.t = thresholds or Thresholds()
        self.rules = json.loads(coverage_file.read_text(encoding="utf-8"))["rules"]
        lone = json.loads(LONE_TRIGGERS_FILE.read_text(encoding="utf-8"))
        self.persons = frozenset(lone["persons"]) | frozenset(lone.get("things", ()))
        self._held: tuple[int, list[bool]] | None = None  # (catalog version, per rule: a stored document is of it)

    def judge(self, q: Query, hits: list[Hit], scoped: bool = False) -> Support:
        if q.unknown_laws and not any(h.via == ("ref",) for h in hits):
            names = "、".join("《" + u.strip("《》") + "》" for u in q.unknown_laws[:3])
            return Support(False, f"知识库中没有{names}。", missing=list(q.unknown_laws))
        if q.stale_laws and not q.named and not (q.law or q.context_law):
            lw = q.stale_laws[0]
            return Support(False, f"《{lw.title}》在知识库中为{lw.status}，不再作为现行依据。")
        if not hits:
            return Support(False, "没有检索到相关条文。")
        if "ref" in hits[0].via or q.liability_of:
            return Support(True, ref=True)
        absent = self.absent_rule(q.question)
        if absent:
            return Support(False, absent)
        words = content_words(q.question)
        top = hits[:TOP]
        text_hay = "".join(f"{h.article.chapter or ''}{h.article.text}" for h in top)
        hay = text_hay + "".join(h.law.title for h in top)
        covered = [w for w in words if w in hay or _partial(w, hay)]
        # a law's title alone (泰安 in 泰安市…条例) is no evidence: some word must occur in an article's text
        in_text = [w for w in covered if w in text_hay or _partial(w, text_hay)]
        # a colloquial word counts when the statutory terms the lexicon gives it are in the articles
        lex_in_text = False  # a trigger's statutory term in an article's text (嫁到 -> 妇女: no word of its own)
        matches = self.kb.lexicon.expand_text(q.question).matches
        by_trigger: dict[str, str] = {}  # words found only through a trigger's terms -> that trigger
        for trigger, terms in matches:
            lex_in_text = lex_in_text or any(t in text_hay for t in terms)
            if any(t in hay for t in terms):
                for w in words:
                    if w not in covered and (trigger in w or w in trigger):
                        covered.append(w)
                        in_text.append(w)
                        by_trigger[w] = trigger
        missing = [w for w in words if w not in covered]
        weights = {w: self.kb.term_weight(w) for w in words}
        total = sum(weights.values()) or 1.0
        s = Support(False, words=words, covered=covered, missing=missing,
                    weighted=sum(weights[w] for w in covered) / total)
        named_hit = bool(q.named) and any(h.law.law_id in {lw.law_id for lw in q.named} for h in top)
        m = len(covered)
        enough = (m >= self.t.min_covered and s.share >= self.t.min_share) or s.share >= 1.0
        if self.t.min_rank_score is not None and "rerank" in hits[0].via and hits[0].score < self.t.min_rank_score \
                and (self.t.rank_veto_below is None or s.weighted < self.t.rank_veto_below
                     or len(covered) < self.t.rank_veto_covered
                     or (self.t.rank_veto_floor is not None and hits[0].score < self.t.rank_veto_floor)):
            enough = False
        if self.t.rank_accept is not None and "rerank" in hits[0].via and hits[0].score >= self.t.rank_accept \
                and (in_text or lex_in_text):
            enough = True
        # one trigger is the question's only legal word (孩子 -> 未成年人 in 孩子发烧吃什么药): the rest of the question
        # is not about law, and the trigger alone does not make it so
        # ("legal" = a word the statutes use often: 擅自 3.8, 通道 6.0 in 邻居擅自封锁小区通道; 计算机 7.2, 高考 9.6 are not)
        # a person (孩子, 老公: data/lone_triggers.json) is never the legal matter, whatever the other words
        # persons and things (孩子, 红酒) do not count as triggers here: however many fired, when every found word is
        # one (党员…开单位的车送孩子 found only 孩子 -> 未成年人) the articles are about the person, not the matter asked,
        # and beside one other trigger (红酒…几天 -> 期限) that trigger is the question's only legal word
        only_triggers = bool(covered) and set(covered) <= set(by_trigger) and len(words) > len(covered)
        legal = [w for w in covered if by_trigger.get(w) not in self.persons]
        fired = [t for t, _ in matches if t not in self.persons]
        lone_trigger = only_triggers and (not legal or (
            len(fired) == 1 and not any(self.kb.term_weight(w) <= self.t.legal_word_idf for w in missing)))
        if lone_trigger:
            enough = False
        key = self._key_term(words) if scoped else None
        if key is not None and key not in covered:
            s.missing = [key] + [w for w in missing if w != key]
            s.reason = f"在所选范围内未找到与“{key}”直接相关的规定。"
            return s
        if named_hit or ((in_text or lex_in_text) and enough and s.weighted >= self.t.min_weighted):
            s.supported = True
            return s
        s.offtopic = bool(words) and len(covered) < self.t.nearest_min_covered
        # a short question's missing words are its subject (赌博); a story's are mostly the story's (俺家, 十来, 外地)
        named_missing = missing if len(words) <= STORY_WORDS else []
        if named_missing:
            s.reason = "知识库中未找到与" + "、".join(f"“{w}”" for w in named_missing[:4]) + "直接相关的规定。"
        elif len(words) > STORY_WORDS:
            s.reason = "问题所述情形在知识库中没有找到直接对应的条文。"
        else:
            s.reason = "问题与知识库中的条文关联不明显。"
        return s

    def _key_term(self, words: list[str]) -> str | None:
        """The rarest of the question's words that some article uses, if rare enough."""
        best, best_w = None, self.t.scoped_key_idf
        for w in words:
            weight = self.kb.term_weight(w)
            if weight >= best_w and self.kb.knows_word(w):
                best, best_w = w, weight
        return best

    def held_rules(self) -> list[bool]:
        """Per coverage rule: does a current stored document belong to it? Once per catalog version (listing
        every document per question cost ~8 ms of each answer)."""
        version = self.kb.catalog.version
        if self._held is None or self._held[0] != version:
            laws = [lw for lw in self.kb.catalog.laws() if lw.is_current]
            held = [any(lw.level in r["levels"] or any(t in lw.title for t in r["titles"]) for lw in laws)
                    for r in self.rules]
            self._held = (version, held)
        return self._held[1]

    def absent_rule(self, question: str) -> str | None:
        """'知识库中没有党内法规（如…）' when the question needs a kind of rule no stored document is."""
        # `unless`: wordings a held document answers although the cue is there (隐瞒个人有关事项 -> 纪律处分条例)
        cued = [i for i, rule in enumerate(self.rules) if any(_cue_in(c, question) for c in rule["cues"])
                and not any(u in question for u in rule.get("unless", ()))]
        if not cued:
            return None
        held = self.held_rules()
        for i in cued:
            if not held[i]:
                rule = self.rules[i]
                return f"知识库中没有{rule['name']}（如{rule['example']}），无法据此作答。"
        return None


CUE_GAP = 12  # "问责…方式": the two parts in this order, at most this many characters apart


def _cue_in(cue: str, question: str) -> bool:
    """A cue is a phrase, or two phrases joined by … that occur in order close together: 问责可以采取哪些方式 asks
    what 问责方式 asks, in words no fixed phrase lists."""
    if "…" not in cue:
        return cue in question
    head, tail = cue.split("…", 1)
    return re.search(re.escape(head) + f".{{0,{CUE_GAP}}}" + re.escape(tail), question) is not None


def _partial(word: str, hay: str) -> bool:
    """A 3+ character word counts when one of its 2-character halves occurs (jieba joins freely)."""
    return len(word) >= 3 and (word[:2] in hay or word[-2:] in hay)


