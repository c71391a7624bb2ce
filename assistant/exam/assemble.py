"""Paper assembly by blueprint: quotas per law and difficulty, one item per sentence, balanced key letters."""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Callable

from knowledge.models import Law

from . import text as T
from .generators import Candidate, Ref
from .models import FILL, JUDGE, JUDGE_OPTIONS, LETTERS, MULTI, SINGLE, TYPES, Blueprint, Item

Validate = Callable[[Candidate], Candidate | None]
MAX_PER_ARTICLE = 2


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to weights, in whole numbers that add up."""
    if total <= 0 or not weights or sum(weights) <= 0:
        return [0] * len(weights)
    raw = [total * w / sum(weights) for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - out[i], -i), reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


BANK_SHARE = 0.3  # a paper takes at most this share of a law's bank of one type, so papers differ


def capped_quotas(total: int, weights: list[float], sizes: list[int], share: float = BANK_SHARE) -> list[int]:
    """Quotas by weight, each capped at `share` of that law's bank (at least 1 where the bank has items);
    what a small bank cannot take goes to the others by weight. A 2-item bank no longer appears in every paper
    with a fixed share of the paper."""
    caps = [max(1 if sz else 0, int(sz * share)) for sz in sizes]
    quotas = [0] * len(weights)
    left = total
    open_ = [i for i in range(len(weights)) if caps[i] > 0 and weights[i] > 0]
    while left > 0 and open_:
        share_out = largest_remainder(left, [weights[i] for i in open_])
        progressed = False
        for i, q in zip(open_, share_out):
            take = min(q, caps[i] - quotas[i])
            if take > 0:
                quotas[i] += take
                left -= take
                progressed = True
        open_ = [i for i in open_ if quotas[i] < caps[i]]
        if not progressed:
            break
    if left > 0:  # every bank is at its cap: fill by weight beyond it rather than leave the paper short
        extra = largest_remainder(left, [w if sz else 0 for w, sz in zip(weights, sizes)])
        quotas = [q + e for q, e in zip(quotas, extra)]
    return quotas


def rotation(cands: list[Candidate], quota: int, seed: int, key: str) -> list[Candidate]:
    """The order a law's candidates are tried in for one seed.

    Seeds come in rounds of m = len // (2 × quota): within a round every seed starts at its own window of
    one fixed shuffle, so neighbouring seeds (one paper per candidate: seeds 1…N) share almost nothing;
    across rounds the shuffles are independent."""
    m = max(1, len(cands) // max(1, 2 * quota))
    rnd, slot = divmod(seed, m)
    order = list(cands)
    random.Random(f"{rnd}|{key}").shuffle(order)
    start = slot * (len(order) // m)
    return order[start:] + order[:start]


def preferred(order: list[Candidate]) -> list[Candidate]:
    """Numbers, deadlines and sanctions before measures, measures before organs (stable: the rotation stays)."""
    return sorted(order, key=lambda c: T.KIND_PRIORITY.get(c.kind, 0))


def _body(stem: str) -> str:
    return re.sub(r"^根据《[^》]+》，", "", T.norm(stem))[:80]


def _similar(a: str, b: str) -> bool:
    if min(len(a), len(b)) < 12 or "下列" in a[:20] or "下列" in b[:20]:  # statement-list stems are alike by form
        return False
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= 0.6 and sm.quick_ratio() >= 0.6 and sm.ratio() >= 0.6


@dataclass
class _State:
    sentences: set[str]
    stems: set[str]
    per_article: dict[str, int]
    bodies: list[str] = field(default_factory=list)

    def fits(self, c: Candidate) -> bool:
        if T.norm(c.stem) in self.stems or any(s in self.sentences for s in c.sentences):
            return False
        if not all(self.per_article.get(a, 0) < MAX_PER_ARTICLE for a in c.article_ids):
            return False
        # two laws saying nearly the same thing ("公务员受（开除）以外的处分…" / "公职人员受到（开除）以外的政务处分…")
        # make one paper ask the same question twice
        body = _body(c.stem)
        return not any(_similar(body, other) for other in self.bodies)

    def take(self, c: Candidate) -> None:
        self.stems.add(T.norm(c.stem))
        self.bodies.append(_body(c.stem))
        self.sentences.update(c.sentences)
        for a in c.article_ids:
            self.per_article[a] = self.per_article.get(a, 0) + 1


def select(kind: str, n: int, pools: list[tuple[Law, float, list[Candidate]]], blueprint: Blueprint,
           state: _State, validate: Validate, rng: random.Random) -> list[Candidate]:
    """Pick n valid candidates of one type, by law weight, difficulty mix and (判断) true/false balance."""
    if n <= 0:
        return []
    quotas = capped_quotas(n, [w for _, w, _ in pools], [len(cands) for _, _, cands in pools])
    orders = [preferred(rotation(cands, q, blueprint.seed, f"{kind}|{law.law_id}"))
              for (law, _, cands), q in zip(pools, quotas)]
    diff_target = None
    if blueprint.difficulty:
        keys = sorted(blueprint.difficulty)
        diff_target = dict(zip(keys, largest_remainder(n, [blueprint.difficulty[k] for k in keys])))
    truth_target = None
    if kind == JUDGE:
        t = n // 2 + (rng.random() < 0.5 if n % 2 else 0)
        truth_target = {True: t, False: n - t}
    chosen: list[Candidate] = []
    diff_count: dict[int, int] = {}
    truth_count = {True: 0, False: 0}

    def room(c: Candidate, strict_diff: bool, strict_truth: bool) -> bool:
        if strict_diff and diff_target is not None and diff_count.get(c.difficulty, 0) >= diff_target.get(c.difficulty, 0):
            return False
        if strict_truth and truth_target is not None:
            truth = c.statements[0].truth
            if truth_count[truth] >= truth_target[truth]:
                return False
        return True

    def take(c: Candidate) -> None:
        chosen.append(c)
        state.take(c)
        diff_count[c.difficulty] = diff_count.get(c.difficulty, 0) + 1
        if kind == JUDGE:
            truth_count[c.statements[0].truth] += 1

    for strict_diff, strict_truth, by_quota in ((True, True, True), (True, True, False), (False, True, True),
                                                (False, True, False), (False, False, False)):
        # small banks choose first while quotas hold (so a local regulation is not crowded out), then any order
        order_of = sorted(range(len(orders)), key=lambda i: len(pools[i][2])) if by_quota else range(len(orders))
        for li in order_of:
            order = orders[li]
            if len(chosen) >= n:
                break
            limit = quotas[li] if by_quota else n
            have = sum(1 for c in chosen if c.law.law_id == pools[li][0].law_id)
            rest = []
            for c in order:
                if len(chosen) >= n or have >= limit:
                    rest.append(c)
                    continue
                if not state.fits(c) or not room(c, strict_diff, strict_truth):
                    rest.append(c)
                    continue
                v = validate(c)
                if v is None:
                    continue  # invalid for good: drop it from the order
                take(v)
                have += 1
            orders[li] = rest
    return chosen


# ---- rendering ------------------------------------------------------------------------------
def _quote(ref: Ref) -> str:
    return f"{ref.citation().label}：“{ref.quote}”"


def _balanced_multi(k: int, n_opt: int, counts: dict[int, int], rng: random.Random) -> list[int]:
    combos = list(itertools.combinations(range(n_opt), k))
    rng.shuffle(combos)
    return list(min(combos, key=lambda cb: sum(counts[i] for i in cb)))


def _statement_notes(stmts, form: str) -> str:
    """Why each statement is right or wrong, quoting its article."""
    from .generators import CIRCLED

    parts = []
    for i, s in enumerate(stmts):
        mark = CIRCLED[i] if form == "combination" else f"“{s.text[:12]}…”"
        if s.truth:
            parts.append(f"{mark}正确，依据{_quote(s.ref)}")
        else:
            parts.append(f"{mark}错误，{_quote(s.ref)}，该说法将“{s.change[1]}”改为“{s.change[2]}”")
    return "；".join(parts)


def render(c: Candidate, points: float, rng: random.Random, key_pos: list[int] | None = None) -> Item:
    """Options in their final order and a 解析 that quotes the article."""
    if c.type == JUDGE:
        st = c.statements[0]
        if st.truth:
            expl = f"本题正确。依据{_quote(st.ref)}"
        else:
            kind, old, new = st.change
            expl = f"本题错误。依据{_quote(st.ref)}题干将“{old}”改为“{new}”，与原文不符。"
        options, answer = list(JUDGE_OPTIONS), "A" if st.truth else "B"
    elif c.type == SINGLE and c.form in ("negative", "combination"):
        options = list(c.distractors)
        rng.shuffle(options)
        pos = key_pos[0] if key_pos else rng.randrange(len(options) + 1)
        options.insert(pos, c.key[0])
        answer = LETTERS[pos]
        expl = f"正确答案为{answer}。" + _statement_notes(c.statements, c.form) + "。"
    elif c.type == SINGLE:
        options = list(c.distractors)
        rng.shuffle(options)
        pos = key_pos[0] if key_pos else rng.randrange(len(options) + 1)
        options.insert(pos, c.key[0])
        answer = LETTERS[pos]
        basis = "，".join(_quote(r) for r in c.refs)
        expl = f"正确答案为{answer}（{c.key[0]}）。依据{basis}"
    elif c.type == FILL:
        options, answer = [], c.key[0]
        expl = f"答案：{answer}。依据{_quote(c.refs[0])}"
    elif c.form == "statements":
        trues = [s for s in c.statements if s.truth]
        falses = [s for s in c.statements if not s.truth]
        rng.shuffle(trues)
        rng.shuffle(falses)
        pos = key_pos or list(range(len(trues)))
        order = []
        for i in range(len(c.statements)):
            order.append(trues.pop() if i in pos else falses.pop())
        options = [s.text for s in order]
        answer = "".join(LETTERS[i] for i in sorted(pos))
        parts = []
        for i, s in enumerate(order):
            if s.truth:
                parts.append(f"{LETTERS[i]}项正确，依据{_quote(s.ref)}")
            else:
                parts.append(f"{LETTERS[i]}项错误，{_quote(s.ref)}，选项将“{s.change[1]}”改为“{s.change[2]}”")
        expl = f"正确答案为{answer}。" + "；".join(parts) + "。"
    else:  # 多选 from an enumeration, or an LLM item with several keys
        keys, dis = list(c.key), list(c.distractors)
        rng.shuffle(keys)
        rng.shuffle(dis)
        n_opt = len(keys) + len(dis)
        pos = key_pos or list(range(len(keys)))
        options = [keys.pop() if i in pos else dis.pop() for i in range(n_opt)]
        answer = "".join(LETTERS[i] for i in sorted(pos))
        expl = (f"正确答案为{answer}。依据{_quote(c.refs[0])}"
                f"其余选项不属于该款所列内容。")
    return Item(type=c.type, stem=c.stem, options=options, answer=answer, explanation=expl,
                citations=list(dict.fromkeys(r.citation() for r in c.refs)), difficulty=c.difficulty,
                points=points, article_ids=c.article_ids, form=c.form,
                sentences=list(dict.fromkeys(r.quote for r in c.refs if r.item is None)), uid=c.uid,
                source="llm" if c.form == "case" else "rule")


def render_all(chosen: dict[str, list[Candidate]], blueprint: Blueprint, rng: random.Random) -> list[Item]:
    items: list[Item] = []
    for kind in TYPES:
        cands = list(chosen.get(kind, []))
        rng.shuffle(cands)  # laws mixed within a section
        points = float(blueprint.points.get(kind, 2))
        if kind == SINGLE:
            slots = [i % 4 for i in range(len(cands))]
            rng.shuffle(slots)
            items += [render(c, points, rng, [slots[i]]) for i, c in enumerate(cands)]
        elif kind == MULTI:
            counts = {i: 0 for i in range(4)}
            for c in cands:
                n_opt = len(c.statements) if c.form == "statements" else len(c.key) + len(c.distractors)
                k = sum(s.truth for s in c.statements) if c.form == "statements" else len(c.key)
                pos = _balanced_multi(k, n_opt, counts, rng)
                for p in pos:
                    counts[p] = counts.get(p, 0) + 1
                items.append(render(c, points, rng, pos))
        else:
            items += [render(c, points, rng) for c in cands]
    for i, it in enumerate(items, 1):
        it.number = i
    return items
