"""Features of one candidate article for one question, computed from what the fusion already has.

Every feature is cheap: BM25 parts (question words, bigrams, lexicon expansions), dense similarity and ranks,
whether the question names the article's law, law-title and chapter overlap, article types against the types the
question asks for, the article's position and shape, and how much of the question its text covers."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

import numpy as np

from ..search import Candidates, law_hinted, list_boost, region_named

_CJK = re.compile(r"[\u4e00-\u9fff]+")
TYPE_NAMES = ("定义", "职责", "禁止", "程序", "期限", "法律责任", "附则", "列举")
LEVEL_CODE = {"宪法": 0, "法律": 1, "行政法规": 2, "监察法规": 2, "司法解释": 3, "部门规章": 4, "地方性法规": 5,
              "地方政府规章": 6, "党内法规": 7}

FEATURES = (
    ["lex_total", "lex_words", "lex_bigrams", "lex_expansion", "lex_total_rel", "lex_rank_log",
     "dense_sim", "dense_sim_rel", "dense_rank_log", "fused", "fused_rank_log",
     "named_law", "title_overlap", "chapter_overlap", "type_match", "consequence_q",
     "number_log", "position_rel", "length_log", "items", "paragraphs",
     "expansion_hits", "word_cover", "opening_cover", "best_para_cover", "law_share", "law_level",
     "liability_chapter", "boilerplate", "sub_article", "opening_gram_cover", "opening_enumerates",
     "opening_len_log", "type_match_list", "type_match_term", "type_match_liability", "list_boost",
     "mem_sim", "mem_sim_rel", "mem_rank_log", "mem_law", "mem_best", "is_local", "region_named", "law_hint",
     "law_hint_q", "ask_cover", "ask_opening_cover", "ask_share", "idf_cover"]
    + [f"is_{t}" for t in TYPE_NAMES] + [f"asks_{t}" for t in TYPE_NAMES])

_OPENING = re.compile(r"^[^。：:；;\n]*[。：:；;]?")
_BOILERPLATE = re.compile(r"^本(?:法|条例|规定|办法|决定|准则|细则)自.{0,40}施行。?$")
_LIABILITY = re.compile(r"法律责任|罚则|责任追究")


@lru_cache(maxsize=65536)
def _bigram_set(s: str) -> frozenset[str]:
    """Cached: the same article openings and paragraphs come back question after question."""
    return frozenset(r[i:i + 2] for r in _CJK.findall(s) for i in range(len(r) - 1))


def _log_rank(r: int | None, missing: int = 200) -> float:
    return math.log1p(r if r is not None else missing)


def candidate_features(kb: Any, snap: Any, cands: Candidates, positions: list[int]) -> np.ndarray:
    """One row per candidate position (in `positions` order), columns as in FEATURES."""
    terms = cands.terms
    q = terms.text
    qgrams = _bigram_set(q)
    qwords = [w for w in terms.words if len(w) >= 2]
    lex = cands.lexical
    lex_best = float(max((lex.total[k] for k in positions), default=0.0)) if lex is not None else 0.0
    dense_best = max(cands.dense_sim.values(), default=0.0)
    fused_rank = {k: r for r, k in enumerate(cands.positions, start=1)}
    law_count: dict[str, int] = {}
    for k in cands.positions[:20]:
        lid = snap.articles[k].law_id
        law_count[lid] = law_count.get(lid, 0) + 1
    sims = cands.dense_sim  # a candidate the dense ranker did not return: 0 and a missing rank
    mem_rank = {k: r for r, k in enumerate(cands.memory_sim, start=1)}
    mem_best = cands.memory_best
    hinted = set(terms.expansion.laws)  # the documents the lexicon's fired entries point to
    own = set(qwords)
    ask = [w for w in terms.ask_words if w in own] or list(terms.ask_words)
    ask_share = len(ask) / (len(qwords) or 1)  # 1.0: the question is its own ask clause
    # a rare word of the question in the article (蜂鸟 in a county's own rules) outweighs the common ones
    idf = {w: kb.term_weight(w) for w in qwords}
    idf_total = sum(idf.values()) or 1.0
    rows = []
    for k in positions:
        art = snap.articles[k]
        law = snap.laws[snap.law_index[k]]
        text = art.text
        types = kb.article_types(art)
        paras = art.paragraphs
        lt = float(lex.total[k]) if lex is not None else 0.0
        title = law.title.replace("中华人民共和国", "")
        tgrams = _bigram_set(title)
        cgrams = _bigram_set(art.chapter or "")
        opening = paras[0].text if paras else text
        best_para = max((len(qgrams & _bigram_set("\n".join((p.text, *p.items)))) for p in paras), default=0)
        row = [
            lt, float(lex.words[k]) if lex is not None else 0.0, float(lex.bigrams[k]) if lex is not None else 0.0,
            float(lex.expansion[k]) if lex is not None else 0.0, lt / lex_best if lex_best > 0 else 0.0,
            _log_rank(cands.lexical_rank.get(k)),
            sims.get(k, 0.0), sims.get(k, 0.0) - dense_best, _log_rank(cands.dense_rank.get(k)),
            float(cands.fused.get(k, 0.0)), _log_rank(fused_rank.get(k)),
            float(art.law_id in cands.named_laws), len(qgrams & tgrams) / (len(tgrams) or 1),
            float(len(qgrams & cgrams)), float(bool(terms.asked_types & types)), float(terms.consequence),
            math.log1p(art.number), art.ordinal / max(1, snap.law_sizes.get(art.law_id, 0)), math.log1p(len(text)),
            float(sum(len(p.items) for p in paras)), float(len(paras)),
            float(sum(1 for t in terms.expansion.terms if t in text)),
            sum(1 for w in qwords if w in text) / (len(qwords) or 1),
            sum(1 for w in qwords if w in opening) / (len(qwords) or 1),
            best_para / (len(qgrams) or 1), law_count.get(art.law_id, 0) / 20.0,
            float(LEVEL_CODE.get(law.level, 8)), float(bool(_LIABILITY.search(art.chapter or ""))),
            float(bool(_BOILERPLATE.match(text))), float(art.sub > 0),
        ]
        # the opening clause states the rule: 监察机关对下列公职人员和有关人员进行监察：
        first = _OPENING.match(text).group(0)
        fgrams = _bigram_set(first)
        row += [len(qgrams & fgrams) / (len(qgrams) or 1), float(first.endswith(("：", ":")) or "下列" in first),
                math.log1p(len(first)), float("列举" in terms.asked_types and "列举" in types),
                float("期限" in terms.asked_types and "期限" in types),
                float("法律责任" in terms.asked_types and "法律责任" in types), list_boost(terms, text)]
        # the question memory: nearest training questions citing this article / this law
        ms = cands.memory_sim.get(k, 0.0)
        row += [ms, ms / mem_best if mem_best > 0 else 0.0, _log_rank(mem_rank.get(k)),
                cands.memory_law.get(art.law_id, 0.0), mem_best,
                float(bool(law.region) and law.region != "全国"), float(region_named(law.region, q)),
                float(law_hinted(hinted, law.title)), float(bool(hinted))]
        row += [sum(1 for w in ask if w in text) / (len(ask) or 1),
                sum(1 for w in ask if w in opening) / (len(ask) or 1), ask_share,
                sum(v for w, v in idf.items() if w in text) / idf_total]
        row += [float(t in types) for t in TYPE_NAMES]
        row += [float(t in terms.asked_types) for t in TYPE_NAMES]
        rows.append(row)
    return np.asarray(rows, dtype=np.float32).reshape(len(positions), len(FEATURES))
