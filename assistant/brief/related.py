"""Closely related instruments beside the ones a topic names (地下水管理条例 and 节约用水条例 for 取用水管理): found by
the topic's own strong words in the stored articles, kept only when several articles of the instrument carry two
of them and score well for the topic; never a law for another region or domain (Scope decides)."""

from __future__ import annotations

from . import titles
from .scope import LOCAL_LEVELS
from .topics import GENERIC_WEIGHT

STRONG = 1.5  # a topic word weighing this much says what the topic is about (取水, 公墓), not how (管理, 规范)
SUBJECT_USES = 3  # … and the instruments already picked use it in so many articles (not 刚性, 约束, 强化)
RELATED_MIN = 3  # articles of an instrument that must carry two such words
RELATED_SHARE = 0.5  # … each scoring this share of the best article's topic weight
RELATED_MAX = 1  # instruments added at most
LEVELS = ("法律", "行政法规", *LOCAL_LEVELS)


def strong_words(u, picked_texts: list[str]) -> list[str]:
    """The topic's subject words: weighty, and used again and again by the instruments already picked."""
    return [w for w, x in u.words.items() if x >= STRONG and x > GENERIC_WEIGHT and w not in u.absent
            and sum(w in t for t in picked_texts) >= SUBJECT_USES]


def related(kb, scope, scorer, u, taken: set[str], exclude: set[str], strongest: float, room: int):
    """[(law, candidates)] of up to `room` related instruments, most matching articles first."""
    if room <= 0 or "《" not in u.topic:
        return []  # a topic naming the laws to study expects their companions; a registry topic has its own
    words = strong_words(u, [a.text for lid in taken for a in kb.catalog.articles(lid)])
    if room <= 0 or len(words) < 2 or not hasattr(kb, "articles_with"):
        return []
    found = []
    for law_id, arts in kb.articles_with(words, least=2).items():
        if law_id in taken or law_id in exclude or len(arts) < RELATED_MIN:
            continue
        law = kb.catalog.law(law_id)
        if law is None or law.level not in LEVELS or not scope.usable(law):
            continue
        if law.level in LOCAL_LEVELS and not scope.provincial(law):
            continue  # a city's regulation binds only that city
        if not any(w in titles.title_core(law.title) for w in words):
            continue  # its title names the subject (节约用水 of 用水): 反恐怖主义法 only mentions 集资
        cands = [c for c in (scorer.candidate(law, a, 0.0) for a in arts) if c is not None]
        strong = [c for c in cands if c.terms >= RELATED_SHARE * strongest]
        if len(strong) >= RELATED_MIN:
            found.append((len(strong), law, sorted(strong, key=lambda c: -c.score)))
    found.sort(key=lambda x: (-x[0], x[1].law_id))
    return [(law, cands) for _n, law, cands in found[:min(room, RELATED_MAX)]]
