"""The parallel basis of a cadre's misconduct: a party member who is also a public official answers under both
the party rule and the 政务处分 rule. Which instruments pair, and how alike their articles must be, is data
(data/parallel.json); an article is only cited when one was retrieved that states the lead's conduct."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from knowledge.models import Article, Hit

from .offline import bigram_set

# the conduct part of a 款: what comes before its consequence (，予以… / ，给予… / 情节较轻的…)
_CONSEQUENCE = re.compile(r"[，,](?:予以|给予|情节|对直接责任者|依照|依法给予|一般)|[：:；。]")
MIN_GRAMS = 6  # a lead unit shorter than this (有下列行为之一的) says too little to be matched


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = json.loads((Path(__file__).parent / "data" / "parallel.json").read_text(encoding="utf-8"))
    partner: dict[str, tuple[str, str]] = {}
    for a, b in data["pairs"]:
        partner[a["law"]] = (b["law"], b["label"])
        partner[b["law"]] = (a["law"], a["label"])
    return {"partner": partner, "min_overlap": float(data["min_overlap"])}


def conduct(text: str) -> str:
    m = _CONSEQUENCE.search(text)
    return text[:m.start()] if m else text


def units(article: Article) -> list[tuple[int | None, int | None, str]]:
    """(款, 项, text to compare) of every unit: an item with its introducing clause, a 款's conduct part."""
    paras = article.paragraphs
    many = len(paras) > 1
    out = []
    for pi, p in enumerate(paras, 1):
        out.append((pi if many else None, None, "\n".join((p.text, *p.items)) if p.items else conduct(p.text)))
        out += [(pi if many else None, ii, p.text + it) for ii, it in enumerate(p.items, 1)]
    return out


def unit_text(article: Article, paragraph: int | None, item: int | None) -> str:
    for p, i, text in units(article):
        if (p, i) == (paragraph, item) or (paragraph is None and i == item and i is not None):
            return text
    paras = article.paragraphs
    return conduct(paras[0].text) if paras else article.text


def dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def parallel(lead: Hit, paragraph: int | None, item: int | None,
             hits: list[Hit]) -> tuple[Hit, int | None, int | None, str] | None:
    """The other instrument's retrieved article stating the lead unit's conduct, with its best unit and label."""
    rules = _rules()
    pair = rules["partner"].get(lead.law.title)
    if pair is None:
        return None
    other, label = pair
    grams = bigram_set(unit_text(lead.article, paragraph, item))
    if len(grams) < MIN_GRAMS:
        return None
    best: tuple[float, Hit, int | None, int | None] | None = None
    for h in hits:
        if h.law.title != other:
            continue
        for p, i, text in units(h.article):
            s = dice(grams, bigram_set(text))
            if best is None or s > best[0]:
                best = (s, h, p, i)
    if best is None or best[0] < rules["min_overlap"]:
        return None
    return best[1], best[2], best[3], label
