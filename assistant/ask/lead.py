"""Which retrieved article leads: the one of the kind the question asks for, within the first hit's law.

The ranking's first is often a premise or a neighbour: 劳动合同法第十条 (订立书面合同) for 能主张什么 (第八十二条 二倍工资),
行政复议法第十一条 (受案范围) for 最晚什么时候提出 (第二十条 六十日内), 宪法第七十九条 (主席 四十五周岁) for the voting age
(第三十四条 十八周岁). Intents, their cues and the kinds of article that answer them are data (data/lead.json); an
article moves up only from the first hit's own law and only when it shares the question's topic words, so nothing
is cited that retrieval did not find for the question."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from knowledge.models import Hit

from .query import content_words

LEAD_FILE = Path(__file__).parent / "data" / "lead.json"
_SENTENCE = re.compile(r"[^。；;\n]+")
_CLAUSE_END = "，,。？?！!；;"
CUE_REACH = 8  # characters either side of a cue that say what it asks about (行政机关应当在|多长时间|内答复)
_NEGATION = re.compile(r"(?:不(?!服|满|得不)|未|没有|没|非)")


@dataclass(frozen=True)
class Intent:
    name: str
    cues: tuple[re.Pattern, ...]
    types: frozenset[str]
    chapter: tuple[re.Pattern, ...]
    not_chapter: tuple[re.Pattern, ...]
    text: tuple[re.Pattern, ...]
    number: re.Pattern | None
    clause: bool
    search: bool
    after: bool  # the words after the figure say whose it is (an age)


@dataclass(frozen=True)
class LeadRules:
    intents: tuple[Intent, ...]
    parties: dict[str, str]
    window: int
    min_shared: int
    search_top: int
    topic_words: int
    bypass: tuple[str, ...]

    def intent(self, question: str) -> Intent | None:
        return next((i for i in self.intents if any(c.search(question) for c in i.cues)), None)


@lru_cache(maxsize=1)
def rules(path: Path = LEAD_FILE) -> LeadRules:
    data = json.loads(path.read_text(encoding="utf-8"))
    intents = tuple(Intent(d["name"], tuple(re.compile(c) for c in d["cues"]), frozenset(d.get("types", ())),
                           tuple(re.compile(c) for c in d.get("chapter", ())),
                           tuple(re.compile(c) for c in d.get("not_chapter", ())),
                           tuple(re.compile(t) for t in d.get("text", ())),
                           re.compile(d["number"]) if d.get("number") else None, bool(d.get("clause")),
                           bool(d.get("search")), bool(d.get("after"))) for d in data["intents"])
    return LeadRules(intents, dict(data.get("parties", {})), int(data["window"]), int(data["min_shared"]),
                     int(data.get("search_top", 12)), int(data.get("topic_words", 2)),
                     tuple(data.get("bypass", ("直接",))))


def negated(question: str, words: list[str], bypass: tuple[str, ...] = ("直接",)) -> set[str]:
    """Steps the question says were skipped (不申请复议直接起诉: 复议): an article conditioned on them (不服复议决定的) is not
    the one asked about. Only a skipped step (不…直接…): 老板不给报工伤 does not make 工伤 beside the point."""
    alt = "|".join(re.escape(b) for b in bypass)
    return {w for w in words if re.search(_NEGATION.pattern + r"[\u4e00-\u9fff]{0,2}" + re.escape(w)
                                          + r"[\u4e00-\u9fff]{0,2}?(?:" + alt + ")", question)}


def _asserts(sentence: str, word: str) -> bool:
    """`word` occurs in the sentence without a negation just before it."""
    for m in re.finditer(re.escape(word), sentence):
        if not _NEGATION.search(sentence[max(0, m.start() - 3):m.start()]):
            return True
    return False


def _words_in(question: str, words: list[str], a: int, b: int, cue: re.Match) -> set[str]:
    """The words with an occurrence overlapping question[a:b], the cue's own (多长时间) not."""
    out = set()
    for w in words:
        for m in re.finditer(re.escape(w), question):
            if m.start() < b and m.end() > a and not (m.start() >= cue.start() and m.end() <= cue.end()):
                out.add(w)
    return out


def _opening(text: str) -> str:
    """A list's opening clause: the line before its first item."""
    head = re.split(r"[（(][一二三四五六七八九十]+[）)]", text, maxsplit=1)[0].strip()
    return head.split("\n")[-1] if head else ""


class LeadChooser:
    def __init__(self, kb: Any, lead_rules: LeadRules | None = None):
        self.kb = kb
        self.rules = lead_rules or rules()

    def types(self, hit: Hit) -> frozenset[str]:
        if self.kb is not None and hasattr(self.kb, "article_types"):
            return self.kb.article_types(hit.article)
        from knowledge.articletypes import default_types

        return default_types().of(hit.article)

    def weight(self, word: str) -> float:
        return float(self.kb.term_weight(word)) if self.kb is not None and hasattr(self.kb, "term_weight") else 1.0

    def of_kind(self, intent: Intent, hit: Hit) -> bool:
        text = hit.article.text
        if intent.number is not None:  # a 法律责任 article's figures are penalties (拘留十五日), not the period asked
            return bool(intent.number.search(text)) and not any(p.search(hit.article.chapter or "")
                                                                 for p in intent.not_chapter)
        chapter = hit.article.chapter or ""
        return bool(intent.types & self.types(hit)) or any(p.search(chapter) for p in intent.chapter) \
            or any(p.search(text) for p in intent.text)

    @staticmethod
    def states(intent: Intent, text: str, neg: set[str], asked: set[str]) -> bool:
        """A sentence of `text` states the figure asked for (a period, an age) about what is asked: it has a word next
        to the question's cue (时效期间是多长时间, 多长时间内答复, 最晚什么时候要提出), for an age after the figure (十八周岁的
        公民…都有选举权, not 四十五周岁的公民可以被选为主席), and asserts nothing the question negates (不申请复议 against
        不服复议决定的)."""
        for m in _SENTENCE.finditer(text):
            s = m.group(0)
            fig = intent.number.search(s) if intent.number is not None else None
            if fig is None or any(_asserts(s, w) for w in neg):
                continue
            part = s[fig.end():] if intent.after else s
            if not asked or any(w in part for w in asked):
                return True
        return False

    def stated_at(self, intent: Intent, hit: Hit, neg: set[str], asked: set[str]) -> int | None:
        """The index of the first 款 of `hit` that states the figure asked for, or None."""
        paras = hit.article.paragraphs or []
        texts = ["\n".join((p.text, *p.items)) for p in paras] or [hit.article.text]
        return next((i for i, t in enumerate(texts) if self.states(intent, t, neg, asked)), None)

    @staticmethod
    def clause_score(text: str, words: list[str]) -> float:
        """How much of the question a list's opening clause (符合下列情形之一的，个人信息处理者方可处理个人信息) is about, a
        short one about the question over a long one about more (应当事前进行个人信息保护影响评估)."""
        s = _opening(text)
        if not s:
            return float("-inf")
        own = [w for w in words if w in s]
        return len(own) + len(own) / max(1.0, len(s) / 10)

    def asked_words(self, intent: Intent, question: str, words: list[str]) -> set[str]:
        """The question's words within `CUE_REACH` characters of the cue, in its clause, or in the clause before when
        the cue's own has none (俺自己能去申请不？得在多长时间里去？: 申请)."""
        m = next((c.search(question) for c in intent.cues if c.search(question)), None)
        if m is None:
            return set()
        start = max([0] + [k + 1 for k in range(m.start()) if question[k] in _CLAUSE_END])
        ends = [k for k in range(m.end(), len(question)) if question[k] in _CLAUSE_END]
        end = ends[0] if ends else len(question)
        out = _words_in(question, words, max(start, m.start() - CUE_REACH), min(end, m.end() + CUE_REACH), m)
        if not out and start > 0:
            out = _words_in(question, words, max(0, start - 1 - CUE_REACH), start - 1, m)
        return out

    def candidates(self, intent: Intent | None, question: str, hits: list[Hit]) -> list[Hit]:
        law = hits[0].law.law_id
        pool = [h for h in hits[1:self.rules.window] if h.law.law_id == law]
        if intent is not None and intent.search and self.kb is not None and hasattr(self.kb, "search"):
            seen = {h.article.article_id for h in hits}
            # the ranking within the law: its order breaks ties between articles that share as much of the question
            for h in self.kb.search(question, top_k=self.rules.search_top, law=law):
                if h.article.article_id not in seen:
                    pool.append(h)
                    seen.add(h.article.article_id)
        return pool

    def choose(self, question: str, hits: list[Hit]) -> list[Hit]:
        """`hits` with the article that answers what is asked first (unchanged when none is found)."""
        if not hits or "ref" in hits[0].via:
            return hits
        words = content_words(question)
        moved = self._by_intent(question, hits, words)
        if moved is None:
            moved = self._by_party(question, hits, words)
        if moved is None:
            return hits
        rest = [h for h in hits if h.article.article_id != moved.article.article_id]
        return [self._at_paragraph(question, moved, words)] + rest

    def _at_paragraph(self, question: str, hit: Hit, words: list[str]) -> Hit:
        """A moved article of several 款 is cited at the 款 whose sentence answers (行政复议法第二十条第一款 六十日内,
        not 第三款 on a period not told)."""
        intent = self.rules.intent(question)
        paras = hit.article.paragraphs
        if intent is None or (intent.number is None and not intent.clause) or len(paras) < 2 or hit.paragraph:
            return hit
        neg = negated(question, words, self.rules.bypass)
        asked = self.asked_words(intent, question, words)
        if intent.clause:
            best = max(range(len(paras)), key=lambda i: (self.clause_score(paras[i].text, words), -i))
            return replace(hit, paragraph=best + 1)
        at = self.stated_at(intent, hit, neg, asked)
        return hit if at is None else replace(hit, paragraph=at + 1)

    def _shares(self, hit: Hit, words: list[str], first: Hit) -> bool:
        """`hit` is on the first hit's topic: it shares as many of the question's words (up to `min_shared`) and one
        of the rarest the first hit has (试用期: 劳动合同法第八十二条 二倍工资 is no answer on a 试用期)."""
        text = hit.article.text
        lead_has = sorted((w for w in words if w in first.article.text), key=self.weight, reverse=True)
        need = min(self.rules.min_shared, len(lead_has))  # a first hit sharing none sets no bar it does not meet
        topic = lead_has[:self.rules.topic_words]
        return sum(1 for w in words if w in text) >= need and (not topic or any(w in text for w in topic))

    def _by_intent(self, question: str, hits: list[Hit], words: list[str]) -> Hit | None:
        intent = self.rules.intent(question)
        if intent is None:
            return None
        first = hits[0]
        kind_only = intent.number is None and not intent.clause  # a kind of article (法律责任): the first of that kind
        neg = negated(question, words, self.rules.bypass)
        asked = self.asked_words(intent, question, words) if intent.number is not None else set()
        if (kind_only and self.of_kind(intent, first)) or (intent.number is not None and (
                not asked or (self.of_kind(intent, first) and self.states(intent, first.article.text, neg, asked)))):
            return None  # the first answers already, or nothing says what the figure is of (any could be wrong)
        pool = [h for h in self.candidates(intent, question, hits)
                if self.of_kind(intent, h) and self._shares(h, words, first)]
        if not pool:
            return None
        if kind_only:  # the rarer the shared words, the more it is about the question (试用期 over 用人单位、劳动合同)
            return max(pool, key=lambda h: sum(self.weight(w) for w in words if w in h.article.text))
        if intent.clause:  # a list: the one whose opening clause is most about the question
            # its clause is about what the cue asks: 下列事项可以设定行政许可 shares only 行政许可 with 在什么情况下可以申请
            # 不公开行政许可
            asked = self.asked_words(intent, question, words)
            need = min(self.rules.min_shared, len(asked))
            pool = [h for h in pool if sum(1 for w in asked if w in _opening(h.article.text)) >= need]
            if not pool:
                return None
            best = max(pool, key=lambda h: self.clause_score(h.article.text, words))  # ties: the ranking's order
            return best if self.clause_score(best.article.text, words) > self.clause_score(first.article.text, words) \
                else None
        # the ranking's order among those stating it (the main ranking's, then the ranking within the law), a figure
        # in the first 款 (the rule) before one in a later 款 (an exception: 耽误起诉期限的…十日内申请延长)
        stating = [(self.stated_at(intent, h, neg, asked), i, h) for i, h in enumerate(pool)]
        stating = [(at > 0, i, h) for at, i, h in stating if at is not None]
        return min(stating, key=lambda t: t[:2])[2] if stating else None

    def _by_party(self, question: str, hits: list[Hit], words: list[str]) -> Hit | None:
        """包工头卷钱跑了: the article on work 分包给个人 leads over the one on a 分包单位."""
        named = {term for word, term in self.rules.parties.items() if word in question}
        if not named:
            return None

        def parties(h: Hit) -> int:
            return sum(1 for t in named if t in h.article.text)

        first = hits[0]
        pool = [h for h in hits[1:self.rules.window] if h.law.law_id == first.law.law_id
                and parties(h) > parties(first) and self._shares(h, words, first)]
        return max(pool, key=parties) if pool else None
