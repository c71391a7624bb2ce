"""The parts of a search, each small and testable on its own.

- `reference_hits`: 宪法第五条 / 《…》第二十八条第二款 resolved exactly, before anything else;
- `analyse`: the question as jieba words, bigrams, lexicon expansions and the article types it asks for;
- `LexicalRanker`: BM25 over words + bigrams, with lexicon expansions as whole words at a lower weight;
- `DenseRanker`: the vector store's nearest articles inside the allowed documents;
- `rrf`: pure weighted reciprocal rank fusion.

`KnowledgeBase.search` joins them (and the learned re-ranker in knowledge/rank/ when it is shipped)."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

import numpy as np

from .articletypes import ArticleTypes
from .citations import find_references
from .lexical import LexicalIndex, bigrams, segment, words
from .lexicon import Expansion, Lexicon
from .models import Hit

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class SearchConfig:
    """Fusion settings. Chosen on the training folds of benchmarks/devset.jsonl and STARD (benchmarks/folds.py)."""

    rrf_k: int = 10
    dense_weight: float = 0.2
    named_law_boost: float = 1.0
    candidates: int = 100
    expansion_weight: float = 0.35  # a lexicon term counts this much of one of the question's own words
    lexicon: bool = True
    type_boost: float = 0.25  # RRF votes (of a first place) for an article of the type the question asks for
    # "哪些X" questions: votes for an article whose opening enumerates X (…下列X…：), so the article that states
    # the list beats siblings that merely repeat the question's words
    opening_boost: float = 1.0
    # a regional document (山东省…, 泰安市…) for a question that names neither its region nor the document:
    # most questions ask about national rules, and hundreds of local regulations repeat the national wording
    local_penalty: float = 0.5
    expansion_bigrams: bool = False  # ablation only: split expansions into bigrams as the old term map did
    rerank: bool = True  # use the learned re-ranker when one is shipped
    rerank_depth: int = 100
    # the question memory (knowledge/rank/memory.py): the gold articles of the nearest training questions as a
    # third ranking in the fusion, and as re-ranker features
    # "哪些X" questions, after ranking: an article of the first hit's law whose opening enumerates X and holds the
    # question's words (list_boost ≥ 0.5, more than the first's) moves up from within this many places (0: off)
    list_promote: int = 5
    # first-place votes for an article of a document the lexicon's fired entries point to (礼金 -> 纪律处分条例)
    law_hint_boost: float = 0.5
    memory: bool = True
    memory_weight: float = 0.5
    memory_depth: int = 20
    memory_exclude_fold: int | None = None  # benchmarks/training only: leave this fold's questions out


def rrf(rankings: Sequence[Sequence[K]], weights: Sequence[float] | None = None, k: int = 60) -> dict[K, float]:
    """Weighted reciprocal rank fusion: sum over rankings of weight / (k + rank), rank 1-based."""
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("rrf: one weight per ranking")
    fused: dict[K, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + w / (k + rank)
    return fused


@dataclass
class QueryTerms:
    """A question cut once, for every ranker and feature."""

    text: str
    words: list[str]
    bigrams: list[str]
    expansion: Expansion
    expansion_words: list[str]  # jieba words of the expansion terms the question does not already contain
    # the same words by the trigger that fired them, to weigh them by whether statutes use the trigger itself
    expansion_groups: list[tuple[str, list[str]]] = field(default_factory=list)
    asked_types: frozenset[str] = frozenset()
    consequence: bool = False
    list_head: str | None = None  # 哪些人员 -> 人员
    # the clause that asks (刘某能否要求国家赔偿？): in a scenario it names the legal point, the story around it
    # mostly does not; its words (2+ characters) are a re-ranker feature
    ask_words: tuple[str, ...] = ()


_ASK_CUE = re.compile(r"吗|么|吧|怎|如何|什么|哪|能否|是否|可否|可以|行不行|多少|多久|几|应当|该|谁")


def ask_clause(text: str) -> str:
    """The question's asking part: the trailing questions (…？…？) of a question told as a story, or the last
    comma clause with a question cue of a one-sentence story; the whole text when it is one short question."""
    sentences = [m.group(0) for m in re.finditer(r"[^。！？?!；;\n]+[。！？?!；;\n]*", text) if m.group(0).strip()]
    if not sentences:
        return ""
    asks: list[str] = []
    for sent in reversed(sentences):
        if sent.rstrip().endswith(("？", "?")) or (not asks and _ASK_CUE.search(sent)):
            asks.insert(0, sent)
        else:
            break
    if len(sentences) > 1:
        return "".join(asks) or sentences[-1]
    clauses = [c for c in re.split(r"[，,]", sentences[0]) if c.strip()]
    if len(clauses) > 2 and _ASK_CUE.search(clauses[-1]):
        return clauses[-1]
    return sentences[0]


def analyse(text: str, lexicon: Lexicon | None, types: ArticleTypes | None,
            expansion_bigrams: bool = False) -> QueryTerms:
    ws = words(text)
    exp = lexicon.expand(segment(text)) if lexicon is not None else Expansion((), ())
    have = set(ws)
    exp_words: list[str] = []
    groups: list[tuple[str, list[str]]] = []
    for trigger, terms in (exp.groups or tuple((t, exp.terms) for t in exp.triggers[:1])):
        mine: list[str] = []
        for term in terms:
            for w in words(term) + (bigrams(term) if expansion_bigrams else []):
                if w not in have and w not in exp_words:
                    exp_words.append(w)
                    mine.append(w)
        groups.append((trigger, mine))
    return QueryTerms(text, ws, bigrams(text), exp, exp_words, groups,
                      types.asked(text) if types is not None else frozenset(),
                      types.consequence(text) if types is not None else False, list_head(text),
                      tuple(w for w in words(ask_clause(text)) if len(w) >= 2))


@dataclass
class LexicalScores:
    """Per-article BM25 parts (aligned with the index ids): the question's words, its bigrams, the expansions."""

    words: np.ndarray
    bigrams: np.ndarray
    expansion: np.ndarray
    expansion_weight: float

    @cached_property
    def total(self) -> np.ndarray:  # once per question: features read it per candidate
        return self.words + self.bigrams + self.expansion_weight * self.expansion


class LexicalRanker:
    def __init__(self, index: LexicalIndex):
        self.index = index

    def scores(self, terms: QueryTerms, expansion_weight: float) -> LexicalScores:
        n = len(self.index.ids)
        zero = np.zeros(n, dtype=np.float32)
        w = self.index.scores(terms.words) if terms.words else zero
        b = self.index.scores(terms.bigrams) if terms.bigrams else zero
        e = zero
        if terms.expansion_words and expansion_weight:
            # a trigger statutes never use (红包) contributes nothing itself: its terms stand in at full weight;
            # a trigger statutes do use keeps the lead and its terms only help (weight `expansion_weight`)
            strong = [w for trig, ws in terms.expansion_groups if not self.index.knows(trig) for w in ws]
            weak = [w for trig, ws in terms.expansion_groups if self.index.knows(trig) for w in ws]
            e = (self.index.scores(weak) if weak else zero)
            if strong:
                e = e + self.index.scores(strong) / expansion_weight
        return LexicalScores(w, b, e, expansion_weight)

    @staticmethod
    def rank(total: np.ndarray, mask: np.ndarray, n: int) -> list[int]:
        """Positions of the n best-scoring allowed articles, best first."""
        if not total.size:
            return []
        s = np.where(mask, total, 0.0)
        n = min(n, int((s > 0).sum()))
        if not n:
            return []
        top = np.argpartition(-s, n - 1)[:n]
        return [int(k) for k in top[np.argsort(-s[top], kind="stable")]]


class DenseRanker:
    """Nearest articles by the embedding model; filtered to the allowed documents."""

    def __init__(self, vectors: Any, pos: dict[str, int]):
        self.vectors = vectors
        self.pos = pos

    def rank(self, vector: Sequence[float], allowed_laws: list[str], art_mask: np.ndarray,
             n: int) -> list[tuple[int, float]]:
        if not allowed_laws:
            return []
        share = float(art_mask.mean()) if art_mask.size else 0.0
        if share > 0.5:  # Chroma's $in filter over hundreds of ids is slow: over-fetch, filter here
            where, k_fetch = None, int(n / max(share, 1e-6)) + 20
        else:
            where = {"law_id": allowed_laws[0]} if len(allowed_laws) == 1 else {"law_id": {"$in": allowed_laws}}
            k_fetch = n
        out: list[tuple[int, float]] = []
        for aid, sim in self.vectors.query(vector, k_fetch, where):
            k = self.pos.get(aid)
            if k is not None and art_mask[k]:
                out.append((k, float(sim)))
                if len(out) >= n:
                    break
        return out


def reference_hits(query: str, snap: Any, law_mask: np.ndarray, current_only: bool,
                   context_law: str | None) -> list[Hit]:
    """Articles the question cites by number, in the order written (score 1e6 - position)."""
    out: list[Hit] = []
    seen: set[str] = set()
    resolve: Callable[[str], Any] = lambda n: snap.names.resolve(n, current_only)  # noqa: E731
    for ref in find_references(query, resolve=resolve, context_law=context_law, include_bare=context_law is not None):
        if ref.law_name is None or ref.article is None:
            continue
        lw = resolve(ref.law_name)
        if lw is None or not law_mask[snap.law_pos[lw.law_id]]:
            continue
        art = snap.by_key.get((lw.law_id, ref.article, ref.sub))
        if art is None or art.article_id in seen:
            continue
        seen.add(art.article_id)
        out.append(Hit(art, lw, score=1e6 - len(out), via=("ref",), paragraph=ref.paragraph, item=ref.item))
    return out


@dataclass
class Candidates:
    """Everything the fusion saw for one question: enough for the re-ranker's features and for debugging."""

    terms: QueryTerms
    positions: list[int]  # article positions, in fused order
    fused: dict[int, float]
    lexical: LexicalScores | None
    lexical_rank: dict[int, int] = field(default_factory=dict)
    dense_sim: dict[int, float] = field(default_factory=dict)
    dense_rank: dict[int, int] = field(default_factory=dict)
    named_laws: set[str] = field(default_factory=set)
    memory_sim: dict[int, float] = field(default_factory=dict)  # position -> best similarity of a neighbour citing it
    memory_law: dict[str, float] = field(default_factory=dict)  # law_id -> neighbours' similarity share
    memory_best: float = 0.0


_LIST_ASK = re.compile(r"(?:哪些|哪几(?:种|类|个|项)?|什么样的)([\u4e00-\u9fff]{1,6})")
_LIST_HEAD = re.compile(r"下列([^，。；：:\n]{1,16})")
_HEAD_STOP = ("是", "有", "可以", "属于", "能", "会", "要", "需要", "应当", "包括")


def list_head(question: str) -> str | None:
    """The noun a "哪些X" question asks a list of (哪些人员 -> 人员, 哪些情形 -> 情形); None without one."""
    from .lexical import segment

    m = _LIST_ASK.search(question)
    if not m:
        return None
    ws = [w for w in segment(m.group(1)) if w.strip()]
    if not ws or ws[0] in _HEAD_STOP or not re.fullmatch(r"[\u4e00-\u9fff]+", ws[0]):
        return None
    return ws[0]


# other openings that state a list: a heading line (行政强制措施的种类：) or a division (密级分为绝密、机密、秘密三级)
_COLON_HEAD = re.compile(r"^([^。；;\n]{2,30}?)[：:]$")
_DIVIDES = re.compile(r"^([^。；;：:\n]{2,30}?)分为[^。\n]*、")


def list_match(head: str | None, text: str) -> bool:
    """Does the article enumerate what was asked: 下列<…head…> in its opening clause (监察机关对下列公职人员…：),
    an opening heading naming it (行政强制措施的种类：), or a division of it (国家秘密的密级分为…)?"""
    if not head:
        return False
    first = text.split("\n", 1)[0]
    m = _LIST_HEAD.search(first)
    # jieba may glue the noun to what follows (哪些人归…): its first character then stands for it
    if m and (head in m.group(1) or (len(head) <= 2 and head[0] in m.group(1))):
        return True
    m = _COLON_HEAD.match(first) or _DIVIDES.match(first)
    return bool(m) and len(head) >= 2 and head in m.group(1)


def list_boost(terms: QueryTerms, text: str) -> float:
    """0..1 for an article that enumerates what a "哪些X" question asks: its opening lists X (下列X…：) and holds
    the question's other words (or their lexicon terms) as whole words — 监察机关对下列公职人员…进行监察 for
    "监察机关监察哪些人", not 监察官包括下列人员 (监察官 is not the word 监察)."""
    if not list_match(terms.list_head, text):
        return 0.0
    first = set(words(text.split("\n", 1)[0]))
    own = [w for w in terms.words if w != terms.list_head and len(w) >= 2 and w not in _HEAD_STOP  # 可以, 应当
           and not (len(w) >= 3 and w.endswith(("法", "条例")))]  # a law's name is the named-law boost's job
    if not own:
        return 0.5
    have = sum(1 for w in own if w in first)
    have += sum(1 for w in terms.expansion_words if w in first) * 0.5
    return min(1.0, have / len(own))


LIST_PROMOTE_MIN = 0.5  # the opening enumerates X and holds at least half of the question's other words


def promote_list(positions: list[int], terms: QueryTerms, articles: Sequence[Any], window: int) -> list[int]:
    """The article that states the asked list (监察机关对下列公职人员…进行监察：) before a sibling of the same law
    that merely repeats the question's words (第十七条 on 管辖 for "监察机关监察哪些人")."""
    if window < 2 or not terms.list_head or len(positions) < 2:
        return positions
    top = articles[positions[0]]
    have = list_boost(terms, top.text)
    for i in range(1, min(window, len(positions))):
        art = articles[positions[i]]
        if art.law_id == top.law_id:
            b = list_boost(terms, art.text)
            if b >= LIST_PROMOTE_MIN and b > have:
                return [positions[i]] + positions[:i] + positions[i + 1:]
    return positions


def fuse(lexical_order: Iterable[int], dense_order: Iterable[int], cfg: SearchConfig, mode: str,
         memory_order: Iterable[int] = ()) -> dict[int, float]:
    rankings: list[list[int]] = []
    weights: list[float] = []
    if mode in ("hybrid", "lexical"):
        rankings.append(list(lexical_order))
        weights.append(1.0)
    if mode in ("hybrid", "dense"):
        rankings.append(list(dense_order))
        weights.append(1.0 if mode == "dense" else cfg.dense_weight)
    memory_order = list(memory_order)
    if mode == "hybrid" and memory_order and cfg.memory_weight:
        rankings.append(memory_order)
        weights.append(cfg.memory_weight)
    return rrf(rankings, weights, k=cfg.rrf_k)


_REGION_SUFFIX = re.compile(r"(?:省|市|县|区|自治州|自治县)$")


def region_named(region: str | None, text: str) -> bool:
    """Is the document's region (泰安市 -> 泰安) named in the question? National documents always are."""
    if not region or region == "全国":
        return True
    short = _REGION_SUFFIX.sub("", region)
    return bool(short) and short in text


def law_hinted(hinted: set[str] | frozenset[str], title: str) -> bool:
    """Is a document (by title) one the lexicon's fired entries point to? Titles compared without 中华人民共和国."""
    return title.removeprefix("中华人民共和国") in hinted


def boost(fused: dict[int, float], articles: Sequence[Any], terms: QueryTerms, named_laws: set[str],
          cfg: SearchConfig, types_of: Callable[[Any], frozenset[str]],
          law_of: Callable[[int], Any] | None = None) -> None:
    """Extra first-place votes (in place): for documents the question names, articles of the type it asks for,
    and articles whose opening enumerates what a "哪些X" question asks; fewer for regional documents whose
    region the question does not name."""
    first = 1.0 / (cfg.rrf_k + 1)
    hinted = set(terms.expansion.laws) if cfg.law_hint_boost and law_of is not None else set()
    for k in fused:
        art = articles[k]
        if art.law_id in named_laws:
            fused[k] += cfg.named_law_boost * first
        elif cfg.local_penalty and law_of is not None and not region_named(law_of(k).region, terms.text):
            fused[k] -= cfg.local_penalty * first
        if hinted and law_hinted(hinted, law_of(k).title):
            fused[k] += cfg.law_hint_boost * first
        if cfg.type_boost and terms.asked_types and terms.asked_types & types_of(art):
            fused[k] += cfg.type_boost * first
        if cfg.opening_boost and terms.list_head:
            b = list_boost(terms, art.text)
            if b:
                fused[k] += cfg.opening_boost * b * first
