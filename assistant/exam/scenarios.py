"""Rule-built scenario items from graded sanction rules ("…的，予以警告、记过或者记大过；情节较重的，予以降级或者
撤职；情节严重的，予以开除").

A setter's scenario: "某县生态环境局科长王某违反规定出境，情节严重。根据《…》，对王某可以给予的政务处分是（　　）。"
The stem names the behaviour (one 项 or one rule of the article) and one *explicitly stated* 情节 tier; the key is a
sanction of that tier, the distractors are sanctions of the same scale that the tier does not allow (so exactly one
option is right, by the one cited article). Tiers without a stated condition (the first, "一般" tier) are not
asked: the stem could not say which tier applies without inventing a fact."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.models import Law

from . import text as T
from .generators import Candidate, Ref, _rng
from .lexicon import lexicon, scenario_spec
from .people import cast, name_of
from .models import SINGLE

# one tier: "[情节较重的，]给予/予以<sanctions>[处分]"
_TIER = re.compile(r"^(?:(?P<cond>情节(?:较轻|较重|严重|特别严重))的，)?(?:应当|可以)?(?:予以|给予)(?P<s>[^。；，：]{2,30}?)(?:处分)?$")
# a list lead: "[context，]有下列行为之一[的|，<cond>的]，<tiers>："
_LEAD = re.compile(r"^(?P<ctx>[^。：]{0,40}?，)?有下列(?:行为|情形)之一(?:的，|，(?P<c0>情节(?:较轻|较重|严重))的，)"
                   r"(?P<tiers>(?:予以|给予)[^。：]{2,120})[：:]$")
# a rule sentence: "<behaviour>的，<tiers>。" or "<behaviour>，<cond>的，<tiers>。"
_SENT = re.compile(r"^(?P<b>[^。；：]{8,70}?)(?:的，|，(?P<c0>情节(?:较轻|较重|严重))的，)"
                   r"(?P<tiers>(?:予以|给予)[^。：]{2,120})。$")
_SKIP = re.compile(r"责任者|策划者|组织者|骨干分子|情节|下列|本条|前款|其他")
# a behaviour that names its own subject ("驻外机构…中的党员，触犯…") cannot follow "某县干部王某"
_OWN_SUBJECT = re.compile(r"^[^，]{0,40}(?:党员|公职人员|人员|干部|领导|机关|组织|单位)，")


@dataclass(frozen=True)
class Tier:
    cond: str  # 情节较重 …; "" for the first, unconditioned tier
    text: str  # the tier's own words, e.g. "予以降级或者撤职"
    sanctions: frozenset[str]


def _sanctions(text: str, law: Law) -> frozenset[str]:
    return T.sanctions_named(text, lexicon().scoped_terms("sanction", law.title))


def tiers(consequence: str, law: Law, first_cond: str = "") -> list[Tier] | None:
    """The tiers of a consequence, or None if any part is not a plain sanction tier."""
    out = []
    for i, part in enumerate(consequence.split("；")):
        m = _TIER.match(part.strip())
        if not m:
            return None
        cond = m.group("cond") or (first_cond if i == 0 else "")
        s = _sanctions(m.group("s"), law)
        if not s or (i > 0 and not cond):
            return None
        out.append(Tier(cond, part.strip(), s))
    return out


@dataclass(frozen=True)
class GradedRule:
    ref: Ref
    behaviour: str  # without the closing 的
    tiers: tuple[Tier, ...]
    quote: str  # the article words the key follows from (lead + 项, or the sentence)


def graded_rules(law: Law, sents: list[T.Sentence], enums: list[T.Enumeration]) -> list[GradedRule]:
    out = []
    for sent in sents:
        if sent.context:
            continue
        m = _SENT.match(sent.text)
        if not m or _SKIP.search(m.group("b")) or _OWN_SUBJECT.match(m.group("b")):
            continue
        ts = tiers(m.group("tiers"), law, m.group("c0") or "")
        if ts:
            out.append(GradedRule(Ref(law, sent.article, sent.paragraph, None, sent.text), m.group("b"),
                                  tuple(ts), sent.text))
    for en in enums:
        m = _LEAD.match(en.lead.strip())
        if not m:
            continue
        ts = tiers(m.group("tiers"), law, m.group("c0") or "")
        ctx = (m.group("ctx") or "").rstrip("，")
        if not ts or _SKIP.search(ctx) or (ctx and not ctx[:2].isalpha()):
            continue
        for number, it in zip(en.numbers, en.items):
            b = it[:-1] if it.endswith("的") else it
            if not 4 <= len(b) <= 60 or _SKIP.search(b) or len(ctx) + len(b) > 90 or _OWN_SUBJECT.match(b):
                continue
            behaviour = f"{ctx}，{b}" if ctx else b
            out.append(GradedRule(Ref(law, en.article, en.paragraph, number, f"{en.lead}\n{it}"), behaviour,
                                  tuple(ts), f"{en.lead}{it}"))
    return out


def tier_items(law: Law, sents: list[T.Sentence], enums: list[T.Enumeration]) -> list[Candidate]:
    """单选 scenarios: one item per rule and stated 情节 tier; options are single sanctions of the law's scale."""
    spec = scenario_spec(law.title)
    if spec is None or "ask_tier" not in spec:
        return []
    scale = [t for t in lexicon().scoped_terms("sanction", law.title)]
    out = []
    for rule in graded_rules(law, sents, enums):
        for tier in rule.tiers:
            if not tier.cond:
                continue
            rng = _rng("tier", rule.ref.article.article_id, rule.behaviour, tier.cond)
            allowed = sorted(tier.sanctions)
            wrong = [s for s in scale if not any(s in a or a in s for a in tier.sanctions)]
            if len(wrong) < 3:
                continue
            key = rng.choice(allowed)
            rng.shuffle(wrong)
            cast_ = cast(spec, rule.behaviour, rng)
            if cast_ is None:
                continue
            who, behaviour = cast_
            stem = (f"{who}{behaviour}，{tier.cond}。"
                    + spec["ask_tier"].format(law=law.title, who=name_of(who)))
            sources = {}
            for w in wrong:  # where the article puts each wrong sanction, for the 解析
                home = next((t for t in rule.tiers if w in t.sanctions), None)
                sources[w] = Ref(law, rule.ref.article, rule.ref.paragraph, rule.ref.item,
                                 (home.cond or "一般情形") + "：" + home.text if home else "")
            named = T.sanctions_named(rule.quote, scale)
            if any(w in named and sources[w].quote == "" for w in wrong):
                continue  # a sanction the article names but no tier was read for: the 解析 could not place it
            out.append(Candidate(SINGLE, "scenario", law, stem, [rule.ref], [T.norm_stmt(rule.behaviour)],
                                 difficulty=2, key=[key], distractors=wrong[:6], kind="tier",
                                 sources=sources, blank=(tier.cond, tier.text)))
    return out
