"""Is an altered statement true somewhere else? The check behind every false 判断 and every blank distractor.

A statement made false by one change ("监察委员会的组织和职权由法律规定" -> "地方各级人民代表大会的组织和职权由法律规定")
is rejected when any stored sentence carries the new term in nearly the same words ("地方各级人民代表大会和地方各级
人民政府的组织由法律规定"): that article would make the "false" key arguable. The test is deliberately generous —
a good item lost is cheaper than a wrong key."""

from __future__ import annotations

import bisect
import re
from difflib import SequenceMatcher
from typing import Iterable

from . import text as T

_SPLIT = re.compile(r"[。\n]+")
_NUMERALS = set("零〇一二三四五六七八九十百千两0123456789")
SUPPORT = 0.7  # share of the statement's other words a stored sentence must repeat, in order


class TruthIndex:
    """Normalised sentences of every current article, searchable by the term a change introduced."""

    def __init__(self, article_texts: Iterable[str]):
        sents: list[str] = []
        for text in article_texts:
            sents += [s for s in (T.norm(x) for x in _SPLIT.split(text or "")) if len(s) >= 4]
        self._sents = sents
        self._joined = "\x00".join(sents)
        self._starts: list[int] = []
        pos = 0
        for s in sents:
            self._starts.append(pos)
            pos += len(s) + 1
        self._by_term: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._sents)

    def sentences_with(self, term: str) -> list[int]:
        """Ids of the sentences containing `term` (cached per term)."""
        hit = self._by_term.get(term)
        if hit is None:
            hit, at = [], self._joined.find(term)
            numeral = term[:1] in _NUMERALS
            while at >= 0:
                if numeral and at > 0 and self._joined[at - 1] in _NUMERALS:  # "五日" inside "十五日"
                    at = self._joined.find(term, at + 1)
                    continue
                sid = bisect.bisect_right(self._starts, at) - 1
                if not hit or hit[-1] != sid:
                    hit.append(sid)
                at = self._joined.find(term, at + 1)
            if len(self._by_term) > 20000:
                self._by_term.clear()
            self._by_term[term] = hit
        return hit

    def supports(self, statement: str, new: str) -> str | None:
        """A stored sentence that makes `statement` (which contains the changed-in term `new`) true, or None."""
        new = T.norm(new)
        # only the sentence carrying the change: an antecedent kept for readability must not dilute the match
        parts = [p for p in T.norm_stmt(statement).split("。") if new and new in p]
        if not parts:
            return None
        stmt = parts[-1]
        rest = stmt.replace(new, "\x01", 1)
        need = SUPPORT * (len(rest) - 1)
        for sid in self.sentences_with(new):
            sent = self._sents[sid]
            other = sent.replace(new, "\x01", 1)
            sm = SequenceMatcher(None, rest, other, autojunk=False)
            if sm.real_quick_ratio() * (len(rest) + len(other)) / 2 < need:
                continue
            if sm.quick_ratio() * (len(rest) + len(other)) / 2 < need:
                continue
            matched = sum(b.size for b in sm.get_matching_blocks()) - (1 if "\x01" in other else 0)
            if matched >= need:
                return sent
        return None


PHRASE = 10  # characters: "连续任职不得超过两届", "不得担任国家行政机关" are the rule, not the subject
RARE = 8  # a phrase in more articles than this is boilerplate ("依法追究刑事责任"), not one rule
_HAN = re.compile(r"[^\u4e00-\u9fff]+")


def _rule_markers() -> tuple[str, ...]:
    """Words that make a phrase a rule (data/quality.json): "连续任职不得超过两届", not "国家监察委员会主任"."""
    from .lexicon import quality

    return quality().rule_markers


class Principles:
    """What rule a sentence states, beyond its article: its phrases of PHRASE characters that a few other articles
    also carry (2..RARE of them). Two items sharing one ask the same principle — 宪法第六十五条 and 第一百零三条 "…的组成
    人员不得担任国家行政机关…的职务", 监察法第八条 and 宪法第一百二十四条 "连续任职不得超过两届" — and one paper (or one
    batch, which goes to the same candidates) asks it once."""

    def __init__(self, article_texts: Iterable[str]):
        from collections import Counter

        df: Counter[str] = Counter()
        for text in article_texts:
            df.update(self._phrases(text))
        self._df = df

    @staticmethod
    def _phrases(text: str) -> set[str]:
        out: set[str] = set()
        for run in _HAN.split(text or ""):
            out.update(run[i:i + PHRASE] for i in range(len(run) - PHRASE + 1))
        return out

    def of_text(self, text: str) -> frozenset[str]:
        markers = _rule_markers()
        return frozenset(p for p in self._phrases(text) if 2 <= self._df.get(p, 0) <= RARE
                         and any(m in p for m in markers))

    def of(self, c) -> frozenset[str]:
        """Sentence items only (判断, blanks, statement options): a 多选 list or a graded scenario shares its lead's
        wording with its siblings by design."""
        if c.form in ("enumeration", "scenario", "case"):
            return frozenset()
        out: set[str] = set()
        for r in c.refs:
            if r.item is None:
                out |= self.of_text(r.quote)
        return frozenset(out)
