"""Honesty about coverage: when a topic has no legal basis in the knowledge base (decline), and when it has no
law made for it (a brief assembled from the laws that speak to its parts, with a first-page caution).

A topic is declined only when its own words are not law at all (元宇宙, 脑机接口): words the statutes never use,
or a subject phrase no article carries. A topic without one dedicated law (电动自行车安全隐患全链条整治) is not
declined: the articles that speak to it are assembled from the laws that hold them."""

from __future__ import annotations

from .score import Candidate
from .scope import Scope
from .topics import GENERIC_WEIGHT

ANCHOR_WEIGHT = 3.0  # without a law made for the topic, its heaviest word (this heavy) must be in what is quoted
DECLINE_COVERAGE = 0.6  # below this share of the topic's words across the best articles: no basis
ABSENT_SHARE = 0.3  # words the statutes never use carrying this share of the topic mean no legal basis
BROKEN_PHRASE = 3.5  # two adjacent topic words this rare that no article joins (脑机+接口) are no statutory term
UNION_OF = 8  # the best articles whose words together must cover the topic

ASK_IMPORT = "如有主管的法规、规章或政策文件，请先导入，或用 --law 指定法规。"


def anchors(scope: Scope, laws) -> list[str]:
    """The topic's words that name its subject: those in the title of the best-ranked law made for it
    (粮食安全 in 粮食安全党政同责, from 粮食安全保障法); without such a law, its own phrase (电动自行车) or its
    heaviest word."""
    u = scope.u
    best = next((law for law in laws if scope.specific(law)), None)
    if best is not None:  # its title's topic words (企业 and 检查 in 控制对企业进行经济检查的规定), heavy ones first
        heavy = [t for t, w in u.words.items() if w >= scope.subject_min and u.has(t, best.title)]
        named = [t for t, w in u.words.items() if w > GENERIC_WEIGHT and u.has(t, best.title)]
        return named if heavy and scope.carries_subject(tuple(named)) else heavy
    if u.phrases:  # the topic's own phrase (人居环境) says what it is about better than any one word
        return [max(u.phrases, key=lambda t: (u.phrases[t], t))]
    heavy = sorted(((w, t) for t, w in u.words.items() if t not in u.absent), reverse=True)
    return [heavy[0][1]] if heavy and heavy[0][0] >= ANCHOR_WEIGHT else []


def broken_phrases(scope: Scope, kb, cands=()) -> list[str]:
    """Adjacent rare topic words that no article uses together (脑机 + 接口): the topic's subject is no term of
    law even though each half occurs somewhere. Statutory wordings count (抛物, 坠物: 抛掷物品、坠落的物品)."""
    u = scope.u
    words = [t for t in u.words if t not in u.absent]
    known = {m for f in u.frameworks for m in f.match}  # a part the registry knows the law of (安全隐患)
    out = []
    for a, b in zip(words, words[1:]):
        if any(k in a or a in k or k in b or b in k for k in known):
            continue
        if a + b in u.topic and u.words[a] >= BROKEN_PHRASE and u.words[b] >= BROKEN_PHRASE and \
                not kb.count_text(a + b) and not _together(kb, a, b) and \
                not any(u.has(a, c.text) and u.has(b, c.text) for c in cands):
            out.append(a + b)
    return out


def _together(kb, a: str, b: str) -> bool:
    """Does any one article hold both words?"""
    if not hasattr(kb, "text_forms"):
        return True
    return bool(kb.text_forms(f"{a}[^\u0001]*{b}|{b}[^\u0001]*{a}", limit=1))


def decline_reason(scope: Scope, by_law: dict[str, list[Candidate]], kb) -> str | None:
    u = scope.u
    total = sum(u.words.values())
    broken = broken_phrases(scope, kb, [c for cs in by_law.values() for c in cs])
    absent = list(u.absent) + broken
    absent_weight = sum(u.words.get(w, 0.0) for w in u.absent) + \
        sum(u.words[p[:k]] + u.words[p[k:]] for p in broken for k in range(1, len(p)) if p[:k] in u.words
            and p[k:] in u.words)
    if total and absent_weight / total >= ABSENT_SHARE:
        words = "、".join(f"“{w}”" for w in absent)
        return f"知识库所存法规中没有出现{words}等用语，找不到“{u.topic}”的直接法律依据。" + ASK_IMPORT
    cands = sorted((c for cs in by_law.values() for c in cs), key=lambda c: -c.score)
    if not cands:
        return f"知识库中没有找到与“{u.topic}”相关的现行条文。" + ASK_IMPORT
    # the topic's words across its best articles (a multi-part topic is covered by several laws together)
    top = "\n".join(c.law.title + c.text for c in cands[:UNION_OF])
    content = {t: w for t, w in u.words.items() if w > GENERIC_WEIGHT}
    share = sum(w for t, w in content.items() if u.has(t, top)) / sum(content.values()) if content else 0.0
    if share < DECLINE_COVERAGE:
        return (f"知识库中没有与“{u.topic}”直接对应的条文（最相关的条文只涉及议题的一部分）。" + ASK_IMPORT)
    return None


def caution(scope: Scope, laws_cited: list[str]) -> str:
    """Page one of a brief with no law made for its topic: say so, and say which laws it is assembled from."""
    names = "、".join(f"《{t}》" for t in laws_cited[:6])
    return (f"知识库中没有专门规定“{scope.u.topic}”的法律法规。本材料从{names}等法律法规中摘编涉及本议题各环节的条文；"
            "主管部门的专门规定、政策文件（如有）请另行补充。")


def named_caution(missing: list[str], laws_cited: list[str]) -> str:
    """Page one of a brief whose agenda names an instrument the knowledge base lacks: that instrument is the
    basis the meeting studies, so say plainly that the brief is not built on it."""
    lacking = "、".join(f"《{t}》" for t in missing)
    held = "、".join(f"《{t}》" for t in laws_cited[:4])
    return (f"议题点名学习的{lacking}不在知识库中，本材料没有摘编其条文，会前须对照原文学习；"
            + (f"以下仅从{held}中摘编与议题相关的规定，供参考。" if held else "知识库中也没有可替代的相关规定。"))
