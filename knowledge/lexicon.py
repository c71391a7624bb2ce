"""The colloquial -> statutory lexicon (knowledge/data/lexicon.tsv) and how a question fires it.

A trigger fires only when its own jieba words occur as consecutive whole words of the question: 厂里 fires
in 在厂里上班 but 企业 does not fire inside 企业家, 处分 does not fire inside 政务处分. A trigger joined by + (月饼+送)
fires only when every part occurs as whole words somewhere in the question: a word that names a matter only in a
context (月饼 is a gift only when given or received, not when bought moldy). Expansions are returned
as whole jieba words (never bigram-split) so the retriever can give them less weight than the question's words."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
LEXICON_FILE = DATA / "lexicon.tsv"


@dataclass(frozen=True)
class Entry:
    triggers: tuple[str, ...]
    terms: tuple[str, ...]
    laws: tuple[str, ...] = ()  # documents the words point to (礼金 -> 纪律处分条例, 政务处分法): a ranking prior


@dataclass(frozen=True)
class Expansion:
    """What a question fired: the triggers as written and the statutory terms they stand for."""

    triggers: tuple[str, ...]
    terms: tuple[str, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (first trigger fired, that entry's terms)
    # every trigger that fired with its entry's terms (喝喜酒 and 办喜事 of one entry): the support judge credits
    # each such question word when the terms are in the articles
    matches: tuple[tuple[str, tuple[str, ...]], ...] = ()
    laws: tuple[str, ...] = ()  # the fired entries' law hints (titles without 中华人民共和国), file order

    def __bool__(self) -> bool:
        return bool(self.terms)


class LexiconError(ValueError):
    pass


def parse_lexicon(text: str, source: str = "lexicon.tsv") -> list[Entry]:
    entries: list[Entry] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or len(cols) > 3 or not cols[0].strip() or not cols[1].strip():
            raise LexiconError(f"{source} 第 {n} 行格式错误：应为“口语词（用|分隔）<TAB>法定术语（用空格分隔）"
                               f"[<TAB>所指法规（用|分隔）]”。")
        triggers = tuple(t.strip() for t in cols[0].split("|") if t.strip())
        terms = tuple(t for t in cols[1].split() if t)
        laws = tuple(t.strip().removeprefix("中华人民共和国") for t in cols[2].split("|") if t.strip()) \
            if len(cols) == 3 else ()
        entries.append(Entry(triggers, terms, laws))
    return entries


class Lexicon:
    """Whole-word trigger matching over jieba tokens."""

    def __init__(self, entries: list[Entry], fingerprint: str):
        from .lexical import segment

        self.entries = entries
        self.fingerprint = fingerprint
        # each trigger as its jieba words, so that matching is on word boundaries
        self._patterns: list[tuple[tuple[str, ...], int, str]] = []
        # conjunctions (月饼+送): file order, every part's jieba words, entry
        self._conj: list[tuple[int, tuple[tuple[str, ...], ...], int, str]] = []
        for k, e in enumerate(entries):
            for t in e.triggers:
                if "+" in t:
                    parts = tuple(tuple(w for w in segment(p) if w.strip()) for p in t.split("+") if p.strip())
                    self._conj.append((len(self._patterns), parts, k, t.split("+")[0].strip()))
                    self._patterns.append(((), k, t))  # keeps the file order; matched through _conj
                    continue
                self._patterns.append((tuple(w for w in segment(t) if w.strip()), k, t))
        # by first word, so a question is matched in one pass over its words (file order kept for ties)
        self._by_first: dict[str, list[tuple[int, tuple[str, ...], int, str]]] = {}
        for order, (pat, k, t) in enumerate(self._patterns):
            if pat:
                self._by_first.setdefault(pat[0], []).append((order, pat, k, t))

    @classmethod
    def load(cls, path: Path = LEXICON_FILE) -> "Lexicon":
        raw = path.read_bytes()
        return cls(parse_lexicon(raw.decode("utf-8"), path.name), hashlib.sha1(raw).hexdigest()[:12])

    def expand(self, words: list[str]) -> Expansion:
        """The expansion fired by a question already cut into jieba words."""
        words = [w for w in words if w.strip()]
        fired: list[str] = []
        terms: list[str] = []
        groups: list[tuple[str, tuple[str, ...]]] = []
        matches: list[tuple[str, tuple[str, ...]]] = []
        found: dict[int, tuple[tuple[str, ...], int, str]] = {}
        for i, w in enumerate(words):
            for order, pat, k, trigger in self._by_first.get(w, ()):
                if order not in found and tuple(words[i:i + len(pat)]) == pat:
                    found[order] = (pat, k, trigger)
        for order, parts, k, first in self._conj:
            if all(_occurs(words, pat) for pat in parts):
                found[order] = (parts[0], k, first)  # the question's own word (月饼) stands for the entry
        seen: set[int] = set()
        laws: list[str] = []
        for order in sorted(found):  # the lexicon file's order, as before
            _, k, trigger = found[order]
            matches.append((trigger, self.entries[k].terms))
            if k in seen:
                continue
            seen.add(k)
            fired.append(trigger)
            terms.extend(t for t in self.entries[k].terms if t not in terms)
            groups.append((trigger, self.entries[k].terms))
            laws.extend(t for t in self.entries[k].laws if t not in laws)
        return Expansion(tuple(fired), tuple(terms), tuple(groups), tuple(matches), tuple(laws))

    def expand_text(self, text: str) -> Expansion:
        from .lexical import segment

        return self.expand(segment(text))


def _occurs(words: list[str], pat: tuple[str, ...]) -> bool:
    return bool(pat) and any(tuple(words[i:i + len(pat)]) == pat for i in range(len(words) - len(pat) + 1))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()
