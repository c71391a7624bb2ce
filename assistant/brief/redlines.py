"""红线 always: when the articles chosen for a brief hold no prohibition, the selected instruments' own 禁止/不得/严禁
款 that carry the topic's words are added (round-5 review: a 消防 brief with no 红线 part missed 堵塞疏散通道).
Only a whole 款 is quoted, never a bare ban sentence cut from its conditions."""

from __future__ import annotations

import re

from . import kinds
from .model import Quote
from .topics import term_score

_BAN = re.compile(r"不得|禁止|严禁")
RED_LINES = 2  # bans added at most
RED_CHARS = 260  # a longer 款 is left to the brief's own sections
RED_SHARE = 0.3  # a ban needs this share of the best ban's topic weight
PUBLIC_LINES = 1  # bans binding public bodies added beside 红线 that bind only private parties


def red_lines(kb, picks, quotes: list[Quote], u, n: int = RED_LINES) -> list[Quote]:
    """Up to n 红线 quotations from the picked laws, none already quoted, best topic match first; [] when the brief
    already has a 红线 quotation binding public bodies. When its 红线 bind only 企业、经营者、业主, one ban binding
    the government as well (任何单位和个人不得……, 禁止……, 行政机关不得……) is added (round-6 review: three bans on
    物业服务企业, none of 山东省物业管理条例第五十三条第二款 不得违规强制物业服务人代收有关费用)."""
    reds = [q for q in quotes if q.theme == "红线"]
    if any(kinds.binds_public(q.text) for q in reds):
        return []
    public = bool(reds)
    if public:
        n = PUBLIC_LINES
    quoted = {(q.law_id, q.number, q.sub) for q in quotes}
    pool = []
    for p in picks:
        if not any(q.law_id == p.law.law_id for q in quotes) or getattr(p, "reason", "") == "配套依据":
            continue  # only instruments the brief relies on as a whole, not one quoted for its key articles
        for art in kb.catalog.articles(p.law.law_id):
            if (p.law.law_id, art.number, art.sub) in quoted or kinds.boilerplate(art):
                continue
            paras = art.paragraphs
            for i, para in enumerate(paras):
                text = "\n".join((para.text, *para.items))
                if not _BAN.search(para.text) or len(text) > RED_CHARS or kinds.above_county(para.text):
                    continue
                if kinds.is_purpose(text) or _LIABILITY.search(para.text):
                    continue  # 不得 in a sanction (不得少于……罚款) is no red line of its own
                if public and not kinds.binds_public(text):
                    continue
                # a ban binding public bodies (任何单位和个人不得, 禁止……) before one on 企业 or 业主 alone
                score = term_score(text, u.weights) * kinds.ban_audience(text)
                if score > 0 and u.coverage(text) > 0:
                    pool.append((score, p.law, art, i + 1 if len(paras) > 1 else None, text))
    if not pool:
        return []
    best = max(s for s, *_ in pool)
    pool.sort(key=lambda x: (not kinds.binds_public(x[4]), -x[0]))  # the government's own red lines first
    out: list[Quote] = []
    for score, law, art, para, text in pool:
        if score < RED_SHARE * best or any(q.law_id == law.law_id and q.number == art.number for q in out):
            continue
        target = "监管对象" if kinds.audience(text) < 1 else None
        out.append(Quote.of(law, art, para, "红线", score, target, core=True))
        if len(out) >= n:
            break
    return out


_LIABILITY = re.compile(r"罚款|处分|追究[^。；]{0,8}责任|责令[^。；]{0,6}改正|没收")
