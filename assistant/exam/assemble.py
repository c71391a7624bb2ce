"""Paper assembly by blueprint: quotas per law and difficulty, one item per sentence, balanced key letters."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Callable

from knowledge.models import Law

from . import repeats as R
from . import text as T
from .generators import Candidate, Ref
from .models import FILL, JUDGE, JUDGE_OPTIONS, LETTERS, MULTI, SINGLE, TYPES, Blueprint, Item

Validate = Callable[[Candidate], Candidate | None]
MAX_PER_ARTICLE = 1  # one item per article and paper: coverage, and no article asked twice in two forms
NARROW_PER_ARTICLE = 2  # a narrow scope (fewer than ARTICLES_PER_ITEM articles per item) allows two
ARTICLES_PER_ITEM = 8
LAST_RESORT_PER_ARTICLE = 3  # only when a small scope cannot fill the paper otherwise


def per_article_cap(n_articles: int, n_items: int) -> int:
    return MAX_PER_ARTICLE if n_articles >= ARTICLES_PER_ITEM * n_items else NARROW_PER_ARTICLE


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
    """What a stem asks about: without the 根据《…》 opening, and for a scenario without the person and the
    closing question they all share ("某县…王某…。根据《…》，对王某可以给予的政务处分是（　　）。")."""
    s = T.norm(stem)
    s = re.sub(r"(?<=。)根据《[^》]+》，[^。]*（　　）。?$", "", s)
    s = re.sub(r"^某[\u4e00-\u9fff]{1,16}?[王李张赵刘陈]某", "", s)
    return re.sub(r"^根据《[^》]+》，", "", s)[:80]


def _similar(a: str, b: str) -> bool:
    if min(len(a), len(b)) < 12 or "下列" in a[:20] or "下列" in b[:20]:  # statement-list stems are alike by form
        return False
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= 0.6 and sm.quick_ratio() >= 0.6 and sm.ratio() >= 0.6


def _stem_key(c: Candidate) -> str:
    """A stem printed twice in one paper reads as the same question (statement forms vary their wording)."""
    return T.norm(c.stem)


MAX_SAME_ANSWER = 2  # a paper's 单选 (填空) keyed with the same answer at most this often (but in the last pass)


def _modal_false(c: Candidate) -> bool:
    return c.type == JUDGE and bool(c.statements) and not c.statements[0].truth and c.kind == "modal"


def modal_cap(n_judge: int) -> int:
    """About a third of a section's false 判断 (half its items, rounded up) may be 不得→可以 swaps: 2 of 5."""
    return max(1, round((n_judge / 2) / 3))


def _quotes(c: Candidate) -> set[str]:
    """The article sentences an item quotes (as Item.sentences holds them, normalised)."""
    return {T.norm_stmt(r.quote) for r in c.refs if r.item is None and r.quote}


def _answer_key(c: Candidate) -> tuple:
    return (c.type, "|".join(c.key))


@dataclass
class _State:
    sentences: set[str]
    stems: set[str]
    per_article: dict[str, int]
    bodies: list[str] = field(default_factory=list)
    avoid: set[str] = field(default_factory=set)  # articles other papers of the same batch already ask
    avoid_sentences: set[str] = field(default_factory=set)  # their sentences (left alone while strict)
    said: set[str] = field(default_factory=set)  # statements other papers of the batch print: never again
    cap: int = MAX_PER_ARTICLE  # items per article while strict (see `per_article_cap`)
    strict: bool = True  # False in the last passes: articles and sentences of other papers of the batch allowed
    last: bool = False  # the very last pass: more items per article (a small scope that cannot fill otherwise)
    level: int = 2  # while strict: 2 avoids the batch's articles and sentences, 1 only its sentences
    principle_of: Callable[[Candidate], frozenset[str]] | None = None  # rare phrases the item's rules share
    principles: set[str] = field(default_factory=set)  # of this paper's items
    avoid_principles: set[str] = field(default_factory=set)  # of the batch's other papers
    one_law: bool = False  # the paper's scope is one law
    option_articles: set[str] = field(default_factory=set)  # articles a 多选 distractor came from: the batch's
    # later papers avoid them as they avoid the articles asked (in the paper, the printed 项 is what must not recur)
    avoid_options: set[str] = field(default_factory=set)  # distractor texts other papers of the batch print
    options: set[str] = field(default_factory=set)  # distractor texts this paper prints
    answers: Counter = field(default_factory=Counter)  # keys of this paper's 单选/填空, by type
    judged: list = field(default_factory=list)  # this paper's 判断
    modal_cap: int = 1  # false 判断 made by a 不得→可以 swap (set by `select` from the section size)
    # in-paper repeats (review 9501, see `repeats`): option marks, blank frames, template phrases, and the paper's
    # false statements with how many of them are 不得/应当→可以 swaps
    marks: set = field(default_factory=set)
    frames: set[str] = field(default_factory=set)
    templates: set[str] = field(default_factory=set)
    falses: int = 0
    modals: int = 0
    loose: bool = False  # the caller's final fill: repeats allowed rather than a paper short of a form
    # …but for the same key over the same options, an article twice and 不得→可以 swaps past their share (keep_keys)
    # or a key a third time (keep_answers): a fill that keeps each law near its share of the paper relaxes the rest before a law goes
    # past it (service.LAW_CAP), not what lets an item be guessed
    keep_keys: bool = False
    keep_answers: bool = False

    def fits(self, c: Candidate) -> bool:
        if _stem_key(c) in self.stems or any(s in self.sentences for s in c.sentences):
            return False
        if self.strict and self.level >= 2 and any(a in self.avoid for a in c.article_ids):
            return False
        # a sentence another paper of the batch asks never again, not even in the last pass, true or flipped (C26/C28/
        # C30/C33 reprinted A卷's; C29A stated B45's answer): a law short of its weight is the lesser harm
        shared = max(sum(x in self.avoid_sentences for x in c.sentences),  # a scenario's key is its clause: its
                     sum(q in self.avoid_sentences for q in _quotes(c)))  # quoted sentence is what a paper printed
        # …but for one statement of a 多选 in the passes past strict (C29/C31 were accepted so; three were not)
        if shared and not (c.type == MULTI and not self.strict and shared == 1):
            return False
        if ((not self.last or self.keep_keys) and c.type == JUDGE and _modal_false(c)
                and sum(map(_modal_false, self.judged)) >= self.modal_cap):
            return False  # 10 of 12 false 判断 were 不得→可以: "见'可以'就判错" (review 9301)
        same = MAX_SAME_ANSWER if (not self.last or self.keep_answers) else 0
        if same and c.type in (SINGLE, FILL) and c.key and self.answers[_answer_key(c)] >= same:
            return False  # 开除党籍 ×5, 公安机关 ×3 in one paper: the answer is guessed from the pattern
        if any(T.norm_stmt(st.text) in self.said for st in c.statements):
            return False
        if not self.loose and not self.repeat_free(c):
            return False
        if self.loose and self.keep_keys and not R.modal_ok(self.falses, self.modals, c):
            return False  # a fill within the law caps keeps 不得→可以 within its share (checker: modal_swap_over_share)
        cap = LAST_RESORT_PER_ARTICLE if self.last and not self.keep_keys else self.cap  # an article twice in a
        # paper only past the law caps (the batch checker's article_twice_in_paper)
        if not all(self.per_article.get(a, 0) < cap for a in c.article_ids):
            return False
        # two laws saying nearly the same thing ("公务员受（开除）以外的处分…" / "公职人员受到（开除）以外的政务处分…")
        # make one paper ask the same question twice
        if c.type == MULTI and c.form == "enumeration" and any(
                (not self.last and T.norm_stmt(k) in self.avoid_options) or T.norm_stmt(k) in self.options
                for k in c.key):
            return False  # a 项 printed as an option by another item of the batch
        # "不得兼任" asked by 宪法第六十五条 and again by 第一百零三条; "连续任职不得超过两届" by 监察法 and 宪法
        if self.principle_of is not None:
            mine = self.principle_of(c)
            # a 多选 of four statements shares some rule with the batch's earlier papers too often to be held to
            # that: only to its own paper's
            # a one-law paper (a 宪法 practice paper: its few false statements are all "连续任职不得超过两届") or the
            # very last pass lets a paper's own principle recur rather than leave the paper short
            own = not self.one_law and not self.last
            if (own and mine & self.principles) or (c.type != MULTI and mine & self.avoid_principles):
                return False
        body = _body(c.stem)
        return not any(_similar(body, other) for other in self.bodies)

    def repeat_free(self, c: Candidate) -> bool:
        """Before validation: no frame or template the paper already prints, modal swaps within their share."""
        f = R.frame(c)
        if f is not None and f in self.frames:
            return False  # "全国人民代表大会和（　　）" twice: the second is answered from the first (B19/B25)
        if R.templates(c) & self.templates:
            return False  # "策划者、组织者和骨干分子，给予开除党籍" in four items of one paper
        return R.modal_ok(self.falses, self.modals, c)

    def options_fit(self, c: Candidate) -> bool:
        """After validation: the distractors chosen are printed by no other item of the paper or the batch, and come
        from no article this paper asks (C26 reused the wrong options of B31 and A32); a 单选 repeats no other's key
        over the same options, an organ blank no other's option set (B18/B23 公安机关, B14/B22 省级政府)."""
        if c.type == SINGLE and not self.loose and R.option_marks(c) & self.marks:
            return False
        if c.type == SINGLE and self.keep_keys and R.key_marks(c) & self.marks:
            return False
        return c.type != MULTI or all(self.option_ok(c, d) for d in c.distractors)

    def option_ok(self, c: Candidate, d: str) -> bool:
        # another paper's wrong option again: only in the last passes (a worse paper than one short of 多选)
        if (not self.last and T.norm_stmt(d) in self.avoid_options) or T.norm_stmt(d) in self.options:
            return False
        src = c.sources.get(d)
        if src is None:
            return True
        aid = src.article.article_id  # in the paper: no article both a key and another item's wrong option
        return not self.per_article.get(aid, 0) and aid not in c.article_ids

    def take(self, c: Candidate) -> None:
        self.marks |= R.option_marks(c)
        f = R.frame(c)
        if f is not None:
            self.frames.add(f)
        self.templates |= R.templates(c)
        f_n, m_n = R.modal_count(c)
        self.falses += f_n
        self.modals += m_n
        if self.principle_of is not None:
            self.principles |= self.principle_of(c)
        if c.type == MULTI:
            self.options.update(T.norm_stmt(d) for d in c.distractors + (c.key if c.form == "enumeration" else []))
            self.option_articles.update(c.sources[d].article.article_id for d in c.distractors if d in c.sources)
        self.said.update(T.norm_stmt(st.text) for st in c.statements)
        if c.type in (SINGLE, FILL) and c.key:
            self.answers[_answer_key(c)] += 1
        if c.type == JUDGE:
            self.judged.append(c)
        self.stems.add(_stem_key(c))
        self.bodies.append(_body(c.stem))
        self.sentences.update(c.sentences)
        for a in c.article_ids:
            self.per_article[a] = self.per_article.get(a, 0) + 1


def _round_robin(order: list[int], n: int) -> list[int]:
    return [i for _ in range(n) for i in order]


def select(kind: str, n: int, pools: list[tuple[Law, float, list[Candidate]]], blueprint: Blueprint,
           state: _State, validate: Validate, rng: random.Random, quotas: list[int] | None = None,
           most: list[int] | None = None, fresh_only: bool = False,
           prior: list[Candidate] = (), last_resort: bool = True) -> list[Candidate]:
    """Pick n valid candidates of one type, by law weight (or the given quotas per law), difficulty mix and (判断)
    true/false balance. `most`: per law, never more than this many (a shortfall is left to the caller).
    `fresh_only`: only articles no other paper of the batch asks (the caller fills the rest). `prior`: items of this
    type the caller already has (判断: the true/false balance is over them and these together). `last_resort`: False
    skips the very last pass (more items per article, the same key again)."""
    if n <= 0:
        return []
    if quotas is None:
        quotas = capped_quotas(n, [w for _, w, _ in pools], [len(cands) for _, _, cands in pools])
    orders = [preferred(rotation(cands, q, blueprint.seed, f"{kind}|{law.law_id}"))
              for (law, _, cands), q in zip(pools, quotas)]
    diff_target = None
    if blueprint.difficulty:
        keys = sorted(blueprint.difficulty)
        diff_target = dict(zip(keys, largest_remainder(n, [blueprint.difficulty[k] for k in keys])))
    truth_target = None
    if kind == JUDGE:
        state.modal_cap = modal_cap(n + len(prior))
        total = n + len(prior)
        t = total // 2 + (rng.random() < 0.5 if total % 2 else 0)
        had = sum(c.statements[0].truth for c in prior)
        truth_target = {True: max(0, t - had), False: max(0, total - t - (len(prior) - had))}
    false_share = [sum(not c.statements[0].truth for c in cands) / max(1, len(cands)) if kind == JUDGE else 0
                   for _, _, cands in pools]
    chosen: list[Candidate] = []
    diff_count: dict[int, int] = {}
    truth_count = {True: 0, False: 0}

    def room(c: Candidate, strict_diff: bool, strict_truth: bool) -> bool:
        if strict_diff and diff_target is not None and diff_count.get(c.difficulty, 0) >= diff_target.get(c.difficulty, 0):
            return False
        if truth_target is not None:
            # relaxed, one more of a kind at most: a section of 5 错误 and 1 正确 is guessed, not answered; what the
            # bank lacks is made up by another form (service.FALLBACK)
            truth = c.statements[0].truth
            if truth_count[truth] >= truth_target[truth] + (0 if strict_truth else 1):
                return False
        return True

    def even(picked: list[Candidate]) -> list[Candidate]:
        """判断 with at most two more of one kind than of the other: the surplus goes (a shortfall made up by
        another form)."""
        out = list(picked)
        while True:
            t = sum(c.statements[0].truth for c in list(prior) + out)
            size = len(prior) + len(out)
            if abs(2 * t - size) <= (2 if size >= 8 else 3):  # a 5-item section: 4 and 1 at worst
                return out
            more = 2 * t > size
            mine = [i for i, c in enumerate(out) if c.statements[0].truth == more]
            if not mine:
                return out
            out.pop(max(mine))

    def take(c: Candidate) -> None:
        chosen.append(c)
        state.take(c)
        diff_count[c.difficulty] = diff_count.get(c.difficulty, 0) + 1
        if kind == JUDGE:
            truth_count[c.statements[0].truth] += 1

    # avoid: 2 = neither an article nor a sentence other papers of the batch ask; 1 = another sentence of such an
    # article; 0 = anything (last resort)
    # quotas first at each level of batch avoidance; beyond them a law goes at most `most` (the caller's cap: else the
    # one law with a big bank, 纪律处分条例's graded scenarios, took 13 of 25 单选); an article of another paper of the
    # batch only after every law's unasked articles are spent
    for strict_diff, strict_truth, by_quota, avoid in ((True, True, True, 2), (False, True, True, 2),
                                                       (False, False, True, 2), (False, True, False, 2),
                                                       (False, False, False, 2),
                                                       (False, True, True, 1), (False, False, True, 1),
                                                       (False, True, False, 1), (False, False, False, 1),
                                                       (False, True, True, 0), (False, True, False, 0),
                                                       (False, False, True, 0), (False, False, False, 0)):
        if fresh_only and avoid < 2:
            continue
        if not last_resort and not (strict_diff or strict_truth or by_quota or avoid):
            continue  # the caller has a later step: no article three times, no key three times here
        state.strict, state.level = avoid > 0, avoid
        unfit: set[int] = set()  # within a pass the state only grows: what did not fit will not (fits is costly)
        state.last = not (strict_diff or strict_truth or by_quota or avoid)
        # small banks choose first while quotas hold (so a local regulation is not crowded out), then any order
        if by_quota:
            order_of = sorted(range(len(orders)), key=lambda i: len(pools[i][2]))
        else:  # beyond quotas, the laws furthest below their share first (not the first law listed)
            have_of = Counter(c.law.law_id for c in chosen)
            order_of = sorted(range(len(orders)), key=lambda i: have_of[pools[i][0].law_id] - quotas[i])
        if by_quota and kind == JUDGE:  # laws with few false statements (宪法) choose first: small laws taking
            # every 正确 slot first left 宪法, whose few false statements the batch's first paper had used, 1 of its 4
            order_of = sorted(order_of, key=lambda i: false_share[i])
        for li in (order_of if by_quota else _round_robin(order_of, n)):
            order = orders[li]
            if len(chosen) >= n:
                break
            # beyond its quota a law takes one more at a time, so a shortfall is spread over the laws
            have = sum(1 for c in chosen if c.law.law_id == pools[li][0].law_id)
            limit = quotas[li] if by_quota else have + 1
            if most is not None:
                limit = min(limit, most[li])
            rest = []
            for c in order:
                if len(chosen) >= n or have >= limit:
                    rest.append(c)
                    continue
                if id(c) in unfit or not room(c, strict_diff, strict_truth):
                    rest.append(c)
                    continue
                if not state.fits(c):
                    unfit.add(id(c))
                    rest.append(c)
                    continue
                v = validate(c)
                if v is None:
                    continue  # invalid for good: drop it from the order
                if not state.options_fit(v):  # distractors the batch already has: choose among the others
                    # a 单选 whose options another item prints: leaving out one chosen distractor makes another set
                    tries = ([[d for d in c.distractors if d != x] for x in reversed(v.distractors)]
                             if c.type == SINGLE else [[d for d in c.distractors if state.option_ok(c, d)]])
                    for keep in tries:
                        v = validate(replace(c, distractors=keep))
                        if v is not None and state.options_fit(v):
                            break
                    else:
                        rest.append(c)
                        continue
                take(v)
                have += 1
            orders[li] = rest
    state.strict, state.last, state.level = True, False, 2
    return even(chosen) if kind == JUDGE else chosen


# ---- rendering ------------------------------------------------------------------------------
def _quote(ref: Ref) -> str:
    return f"{ref.citation().label}：“{ref.quote}”"


def _balanced_multi(k: int, n_opt: int, counts: dict[int, int], rng: random.Random) -> list[int]:
    combos = list(itertools.combinations(range(n_opt), k))
    rng.shuffle(combos)
    return list(min(combos, key=lambda cb: sum(counts[i] for i in cb)))


def _false_note(s) -> str:
    return f"{_quote(s.ref)}，该说法将“{s.change[1]}”改为“{s.change[2]}”"


def _statement_notes(stmts, form: str, options: list[str] | None = None) -> str:
    """Why each statement is right or wrong, quoting its article: by ①②③④ for a combination item, by option
    letter for a negative one ("A项说法错误，当选…")."""
    from .generators import CIRCLED

    parts = []
    if form == "negative":
        by_text = {s.text: s for s in stmts}
        for i, o in enumerate(options or []):
            s = by_text[o]
            if s.truth:
                parts.append(f"{LETTERS[i]}项说法正确，依据{_quote(s.ref)}")
            else:
                parts.append(f"{LETTERS[i]}项说法错误，当选：{_false_note(s)}")
        return "；".join(parts)
    for i, s in enumerate(stmts):
        mark = CIRCLED[i]
        if s.truth:
            parts.append(f"{mark}正确，依据{_quote(s.ref)}")
        else:
            parts.append(f"{mark}错误，{_false_note(s)}")
    return "；".join(parts)


def _single_note(c: Candidate, options: list[str], answer: str) -> str:
    """Why the key is right (the article's words) and why each other option is wrong, option by option."""
    parts: list[str] = []
    if c.kind == "tier":  # graded rule: the stated 情节 picks one tier of the one cited article
        ref, (cond, tier) = c.refs[0], c.blank
        said = tier if tier.startswith(cond) else f"{cond}的，{tier}"  # "有下列行为之一，情节较重的，予以…"
        parts.append(f"依据{_quote(ref)}。题述行为属于该条规定的行为，且{cond}，该条规定“{said}”。")
        for i, o in enumerate(options):
            letter = LETTERS[i]
            if letter in answer:
                parts.append(f"{letter}项“{o}”正确，属于该条对{cond}规定的处分。")
                continue
            home = c.sources.get(o)
            if home is not None and home.quote:
                parts.append(f"{letter}项“{o}”错误，是该条对{home.quote.split('：')[0]}规定的处分，不适用于{cond}。")
            else:
                parts.append(f"{letter}项“{o}”错误，所引规定对这一行为没有设{o}处分。")
        return "".join(parts)
    if c.form == "scenario":
        ref = c.refs[0]
        parts.append(f"依据{_quote(ref)}。")
        for i, o in enumerate(options):
            letter = LETTERS[i]
            if letter in answer:
                parts.append(f"{letter}项正确：题述行为属于该条规定的情形，应当{o}。")
                continue
            src = c.sources.get(o)
            where = f"是{src.citation().label}对另一种行为规定的处理" if src else "不是该条规定的处理"
            parts.append(f"{letter}项错误：“{o}”{where}，不适用于本题情形。")
        return "".join(parts)
    parts.append("依据" + "，".join(_quote(r) for r in c.refs) + "。")
    for i, o in enumerate(options):
        letter = LETTERS[i]
        if letter in answer:
            parts.append(f"{letter}项“{o}”正确，与条文规定一致。")
        else:
            parts.append(f"{letter}项“{o}”错误，条文规定的是“{c.key[0]}”。")
    return "".join(parts)


def _enumeration_note(c: Candidate, options: list[str], answer: str) -> str:
    """The list quoted, then option by option: a key names its 项, a wrong option the list it belongs to."""
    parts = [f"依据{_quote(c.refs[0])}。"]
    item_of = {r.quote: r for r in c.refs[1:]}
    for i, o in enumerate(options):
        letter = LETTERS[i]
        if letter in answer:
            r = item_of.get(o)
            parts.append(f"{letter}项正确，属本条所列" + (f"第{_cn(r.item)}项。" if r is not None and r.item else "内容。"))
            continue
        src = c.sources.get(o)
        if src is not None:
            parts.append(f"{letter}项“{o}”错误，出自{src.citation().label}（{src.quote.rstrip('：:')}），"
                         "不属于本条所列内容。")
        else:
            parts.append(f"{letter}项“{o}”错误，不属于本条所列内容。")
    return "".join(parts)


def _cn(n: int) -> str:
    from knowledge.numerals import int_to_cn

    return int_to_cn(n)


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
        expl = f"正确答案为{answer}。" + _statement_notes(c.statements, c.form, options) + "。"
    elif c.type == SINGLE:
        options = list(c.distractors)
        rng.shuffle(options)
        pos = key_pos[0] if key_pos else rng.randrange(len(options) + 1)
        options.insert(pos, c.key[0])
        answer = LETTERS[pos]
        expl = f"正确答案为{answer}（{c.key[0]}）。" + _single_note(c, options, answer)
    elif c.type == FILL and c.form == "blanks":
        options, answer = [], "；".join(c.key)
        expl = (f"答案：第一空“{c.key[0]}”，第二空“{c.key[1]}”（每空得一半分）。依据{_quote(c.refs[0])}")
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
        expl = f"正确答案为{answer}。" + _enumeration_note(c, options, answer)
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
