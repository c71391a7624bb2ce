"""Rule-based item generators (no LLM): 判断, 单选, 填空 and 多选 built from article text.

Generators produce *candidates*: everything an item needs, with more distractors than it will use.
`validate.py` checks each candidate against the knowledge base and picks the distractors; `assemble.py`
orders options and writes the final `Item`. Every choice is driven by a `random.Random` seeded from the
article id, so a bank is the same on every run for the same catalog."""

from __future__ import annotations

import hashlib
import itertools
import random
import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from dataclasses import dataclass, field

from knowledge.models import Article, Law

from . import text as T
from .lexicon import lexicon, quality
from .people import cast, name_of
from .models import FILL, JUDGE, MULTI, SINGLE, Citation


@dataclass(frozen=True)
class Ref:
    """Where an item's key comes from: an article (款/项) and the verbatim words quoted in 解析."""

    law: Law
    article: Article
    paragraph: int | None
    item: int | None
    quote: str

    def citation(self) -> Citation:
        para = self.paragraph if len(self.article.paragraphs) > 1 else None
        return Citation(law=self.law.title, article=self.article.number, paragraph=para, item=self.item,
                        sub=self.article.sub, law_id=self.law.law_id, article_id=self.article.article_id)


@dataclass
class Statement:
    """A true sentence of an article, or the same sentence with exactly one element changed."""

    text: str  # without trailing 。
    truth: bool
    ref: Ref
    change: tuple[str, str, str] | None = None  # (kind, original, replacement)


@dataclass
class Candidate:
    type: str
    form: str  # true | false | blank | enumeration | statements | case
    law: Law
    stem: str
    refs: list[Ref]
    sentences: list[str]  # keys (normalised) of the article sentences this item tests
    difficulty: int = 2
    key: list[str] = field(default_factory=list)  # correct option texts (填空: the term)
    distractors: list[str] = field(default_factory=list)  # more than needed, best first
    statements: list[Statement] = field(default_factory=list)  # 判断 (one) and 下列说法正确的有
    blank: tuple[str, str] | None = None  # (before, after) around the blank in the verbatim sentence
    kind: str = ""  # term kind for blanks, change kind for false statements
    sources: dict[str, Ref] = field(default_factory=dict)  # distractor -> where it comes from (for 解析)

    @property
    def uid(self) -> str:
        basis = "|".join([self.type, self.form, self.stem, *self.key, *(s.text for s in self.statements)])
        return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]

    @property
    def article_ids(self) -> list[str]:
        return list(dict.fromkeys(r.article.article_id for r in self.refs))


def _rng(*parts: object) -> random.Random:
    return random.Random(hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest())


def prefix(law: Law) -> str:
    return f"根据《{law.title}》，"


@dataclass
class Pools:
    """Terms of each kind found in a law, the source of same-kind distractors."""

    by_kind: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lists: list[tuple[str, ...]] = field(default_factory=list)  # 顿号 lists, for element swaps
    enum_items: list[tuple[str, str]] = field(default_factory=list)  # (article_id, item text)
    enum_lists: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)  # aid -> (lead, items)
    enum_leads: dict[str, list[str]] = field(default_factory=dict)  # article_id -> its enumeration lead lines
    sources: dict[str, "Ref"] = field(default_factory=dict)  # "article_id|item" -> its 项, to name it in 解析

    law_title: str = ""
    article_texts: list[str] = field(default_factory=list)  # normalised, every article of the law

    def add_terms(self, s: str) -> None:
        for t in T.terms(s, self.law_title):
            if t.kind not in ("modal", "scope") and t.text not in self.by_kind[t.kind]:
                self.by_kind[t.kind].append(t.text)
        for lst in T.dunhao_lists(s):
            if lst not in self.lists:
                self.lists.append(lst)

    def sibling_elements(self, s: str, element: str) -> list[str]:
        """Elements of lists that share an element with the list `element` sits in (政治、经济、文化 …)."""
        mine = next((lst for lst in T.dunhao_lists(s) if element in lst), ())
        out = []
        for lst in self.lists:
            if lst != mine and set(lst) & set(mine):
                out += [e for e in lst if e not in mine and e not in s and e not in out]
        return out


def same_kind(term: T.Term, pools: Pools, rng: random.Random, limit: int = 8) -> list[str]:
    """Distractors of the term's kind, never from another class or another law's list:
    numbers from the law's other articles first, then a fixed menu; sanctions and measures from the list
    scoped to the law; organs from the key's own class, never related to it (see `lexicon`)."""
    kind = term.kind
    lex = lexicon()
    if kind.startswith("number:"):
        unit = kind.split(":", 1)[1]
        value = T.number_value(term.text)[0]
        seen = {value}
        own = [T.number_value(x)[0] for x in pools.by_kind.get(kind, [])]
        menu = list(T.UNIT_MENU.get(unit, ()))
        rng.shuffle(own)
        rng.shuffle(menu)
        out = []
        for v in own + menu:
            if v not in seen:
                seen.add(v)
                out.append(T.format_number(v, unit, term.text))
        return out[:limit]
    if kind == "modal":
        return [T.MODALS[term.text]]
    if kind == "scope":
        return [T.SCOPES[term.text]]
    if kind == "fraction":
        base = [f for f in T.FRACTIONS if f != term.text]
    elif kind in ("sanction", "measure"):
        base = lex.siblings(kind, pools.law_title, term.text)
    elif kind == "organ":
        base = lex.organ_distractors(term.text)
    else:
        return []
    own = [x for x in pools.by_kind.get(kind, []) if x in base]
    rest = [x for x in base if x not in own]
    rng.shuffle(own)
    rng.shuffle(rest)
    return (own + rest)[:limit]


# Changes that make a statement plainly false. Organ swaps are left out: reviewed papers found none usable
# (the new organ is too often also competent, or the sentence turns absurd).
FALSE_KINDS = ("number", "fraction", "sanction", "measure", "modal", "scope")


def perturbations(sent: T.Sentence, law: Law, pools: Pools, rng: random.Random) -> list[Statement]:
    """False versions of a sentence, each changing exactly one element the article fixes."""
    s = sent.text.rstrip("。")
    ref = Ref(law, sent.article, sent.cited_paragraph, None, sent.full)
    out: list[Statement] = []
    by_kind: dict[str, list[T.Term]] = defaultdict(list)
    for t in T.terms(s, law.title):
        kind = t.kind.split(":")[0]
        if kind not in FALSE_KINDS or s.count(t.text) != 1:
            continue
        if kind == "modal" and not T.flip_plausible(s, t):  # "应当尊重事实，可以捏造事实" is nonsense, not a rule
            continue
        if kind == "modal" and re.search(r"但(?:是)?[，,]?$", s[:t.start]):
            continue  # "…调取证据。但是，可以为…": a 但书 that grants reads as self-contradiction (review 9301 A1)
        if kind in ("sanction", "measure") and T.in_series(s, t):  # "记过、记大过、开除、撤职" reads as an odd list
            continue
        by_kind[kind].append(t)
    for kind in sorted(by_kind):
        term = rng.choice(by_kind[kind])
        options = [o for o in same_kind(term, pools, rng, limit=8) if o not in sent.full  # antecedent too
                   and (kind != "sanction" or T.scale_plausible(s, term, o, law.title))
                   and (kind not in SWAP_KINDS or swap_ok(sent, term, o, law.title, pools.article_texts, kind))][:4]
        for new in options[:2]:
            out.append(Statement(sent.context + T.replace(s, term, new), False, ref, (kind, term.text, new)))
    return out


SWAP_KINDS = ("sanction", "measure", "organ")  # one named thing swapped for another of its list


def _one_char_apart(a: str, b: str) -> bool:
    """询问/讯问: a near-homophone trap tests the eye, not the law."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _head(term: str) -> str:
    """The word that names a measure ("冻结存款、汇款" -> 冻结, "查封场所、设施或者财物" -> 查封)."""
    return term[:2]


def distinctive_facts(text: str, law_title: str, skip: str = "") -> list[str]:
    """What pins a rule down besides the term it is about: its numbers and deadlines, else its organs."""
    ts = [t for t in T.terms(text, law_title) if t.text != skip]
    facts = [t.text for t in ts if t.kind.startswith("number:") or t.kind == "fraction"]
    return facts or [t.text for t in ts if t.kind == "organ"]


def swap_ok(sent: T.Sentence, term: T.Term, new: str, law_title: str, article_texts: list[str] = (),
            kind: str = "measure") -> bool:
    """May `term` of this sentence be swapped for `new` to make a false statement?

    No when the two differ by one character (询问/讯问); when the statement would contradict itself, because
    the old term is still named around it (扣押财物…"解除冻结"; "通缉范围" after "决定…通缉") or the sentence
    says what the old term is for ("专门知识的人进行调取"); and no when another article of the same law that
    names the new term also carries the statement's distinctive facts (强制法第二十五条: 扣押 "不得超过三十日…
    延长不得超过三十日", like 冻结 in 第三十二条) — that article makes the "false" statement arguably true."""
    if _one_char_apart(term.text, new):
        return False
    s = sent.text.rstrip("。")
    rest = sent.context + s[:term.start] + s[term.end:]
    old = _head(term.text) if kind == "measure" else term.text  # 严重警告's "严重" is in every 情节严重
    if old in rest or quality().gives_away(_head(term.text), rest) or quality().gives_away(term.text, rest):
        return False
    facts = distinctive_facts(s, law_title, skip=term.text)
    if not facts:
        return True
    n_new = T.norm(_head(new) if kind == "measure" else new)  # 第二十五条 says "扣押", not "扣押财物"
    return not any(n_new in a and all(T.norm(f) in a for f in facts) for a in article_texts)


# ---- generators ------------------------------------------------------------------------------
JUDGE_DIFF = {"modal": 2, "scope": 2, "number": 2, "fraction": 3, "organ": 3, "sanction": 2, "measure": 3, "element": 3}
BLANK_DIFF = {"number": 2, "fraction": 3, "organ": 2, "sanction": 1, "measure": 2}
BLANK_KINDS = tuple(BLANK_DIFF)


def judge_items(law: Law, sents: list[T.Sentence], pools: Pools) -> list[Candidate]:
    """True and false 判断. A true statement without a point a candidate could get wrong (no deadline, number,
    sanction, 不得 … to alter) must at least state a rule, not a slogan: "…应当实施有效监督", "…发挥引领示范作用"
    are copied text everyone marks 正确."""
    out = []
    for sent in sents:
        rng = _rng("judge", sent.article.article_id, sent.text)
        ref = Ref(law, sent.article, sent.cited_paragraph, None, sent.full)
        stmt = sent.full.rstrip("。")
        false = perturbations(sent, law, pools, rng)
        if not false and quality().slogan(sent.full):
            continue
        out.append(Candidate(JUDGE, "true", law, f"{prefix(law)}{stmt}。（　　）", [ref], [sent.key],
                             difficulty=1 if len(stmt) < 50 else 2, statements=[Statement(stmt, True, ref)]))
        for st in false:
            out.append(Candidate(JUDGE, "false", law, f"{prefix(law)}{st.text}。（　　）", [ref], [sent.key],
                                 difficulty=JUDGE_DIFF.get(st.change[0], 2), statements=[st], kind=st.change[0]))
    return out


def blank_items(law: Law, sents: list[T.Sentence], pools: Pools) -> list[Candidate]:
    """单选 and 填空: one key term of a sentence blanked; 单选 distractors of the same kind and class that
    also fit the words around the blank. A sentence's antecedent stays in the stem."""
    out = []
    lex = lexicon()
    for sent in sents:
        rng = _rng("blank", sent.article.article_id, sent.text)
        ref = Ref(law, sent.article, sent.cited_paragraph, None, sent.full)
        cands = [t for t in T.terms(sent.text, law.title) if t.kind.split(":")[0] in BLANK_KINDS]
        seen_kinds = set()
        rng.shuffle(cands)
        fit = [t for t in cands if _blankable(sent, t, law)]
        for term in fit:
            kind = term.kind.split(":")[0]
            if kind in seen_kinds:
                continue
            before, after = sent.context + sent.text[:term.start], sent.text[term.end:]
            seen_kinds.add(kind)
            dis = [d for d in same_kind(term, pools, rng, limit=16)
                   if d not in sent.full and (kind != "organ" or lex.compound_ok(before, d, after))
                   and (kind != "sanction" or _grade_hidden(d, before, after, law))
                   # the option put in the blank must make a false sentence: 查封/扣押 for 冻结 (强制法第25条 has the
                   # same 三十日, B19); 设区的市人民政府 for 省级 in a "不得设定" rule (许可法第17条, B13)
                   and (kind not in SWAP_KINDS or swap_ok(sent, term, d, law.title, pools.article_texts, kind))][:8]
            if len(dis) >= 3:
                out.append(Candidate(SINGLE, "blank", law, f"{prefix(law)}{before}（　　）{after}", [ref], [sent.key],
                                     difficulty=BLANK_DIFF[kind], key=[term.text], distractors=dis,
                                     blank=(before, after), kind=kind))
            if kind == "organ":  # a written organ name has too many acceptable forms to grade fairly
                continue
            # 填空: a number keeps its unit in the sentence ("应当在____日内"), the key is the numeral
            key, fb, fa = term.text, before, after
            if kind == "number":
                unit = term.kind.split(":", 1)[1]
                key, fa = term.text[: -len(unit)], unit + after
            out.append(Candidate(FILL, "blank", law, f"{prefix(law)}{fb}________{fa}", [ref], [sent.key],
                                 difficulty=min(3, BLANK_DIFF[kind] + 1), key=[key], blank=(fb, fa), kind=kind))
    return out


def _grade_hidden(option: str, before: str, after: str, law: Law) -> bool:
    """Does a sanction option fit between the grades the stem names? "予以撤职；情节严重的，予以（　　）" with 降级 or 记过
    among the options leaves only one option heavier than 撤职: the stem gives the key away (A17)."""
    lex = lexicon()
    r = lex.rank(law.title, option)
    if not r:
        return True
    scale = lex.scoped_terms("sanction", law.title)
    lower = [lex.rank(law.title, t) for t in T.sanctions_named(before.split("。")[-1], scale)]
    upper = [lex.rank(law.title, t) for t in T.sanctions_named(after.split("。")[0], scale)]
    lo = max((x for x in lower if x), default=0)
    hi = min((x for x in upper if x), default=99)
    return lo < r < hi


def _blankable(sent: T.Sentence, term: T.Term, law: Law) -> bool:
    """May this term of the sentence be blanked? It must be the one occurrence, a specific organ that is a whole
    noun, not open the stem, not be one of a series, not be named by the stem's own words, and (a sanction) follow
    a verb imposing it and not bound a range."""
    lex = lexicon()
    kind = term.kind.split(":")[0]
    if sent.full.count(term.text) > 1:  # the stem would give the key away
        return False
    if kind == "organ" and (lex.organ(term.text) is None or lex.organ(term.text).generic):
        return False
    before, after = sent.context + sent.text[:term.start], sent.text[term.end:]
    if kind == "organ" and not lex.blankable(sent.text[:term.start], after):
        return False
    if kind == "organ" and _BANNED_AFTER.match(after):
        return False  # "（　　）规章，不得设定…": a ban on the key organ holds for the other organs too (B13)
    if kind == "measure" and _head(term.text) in before + after:
        return False  # "…作出解除冻结决定": the stem names the key's measure (B19)
    if not before:  # "（　　）女性身体，应当由…": a stem opening with its blank reads as a fragment
        return False
    if kind in ("sanction", "measure", "organ") and T.in_series(sent.text, term):
        return False  # "调取、查封、（　　）…": other members of the series fit the blank as well
    if quality().gives_away(term.text, sent.full.replace(term.text, "", 1)):
        return False  # "就案件中的专门性问题…（鉴定）": the stem names what the key is for
    if kind == "sanction" and (not _imposed(before, term.text, law) or T.bounds_a_range(sent.text, term)):
        return False
    return True


# the organ blanked is the one a ban binds: "（　　）…规章，不得设定…" (another organ's act is banned as well)
_BANNED_AFTER = re.compile(r"^[^。；]{0,12}?(?:，)?(?:均|都|也|一律)?不得")


MULTI_BLANK_KINDS = ("number", "fraction", "sanction", "measure")  # a written organ name is not graded fairly
BLANK_MARK = "________"
SEP = "；"  # between the answers of a multi-blank 填空


def _fill_piece(term: T.Term) -> tuple[str, str]:
    """(key, unit left in the stem): a number's unit stays printed ("____日内"), the key is the numeral."""
    if term.kind.startswith("number:"):
        unit = term.kind.split(":", 1)[1]
        return term.text[: -len(unit)], unit
    return term.text, ""


def multi_blank_items(law: Law, sents: list[T.Sentence]) -> list[Candidate]:
    """填空 with two blanks in one sentence ("…应当在____日内作出决定；…延长____个月"), each a deadline, number,
    sanction or measure the article fixes, graded blank by blank. Both blanks pass the one-blank rules, sit apart
    (at least four characters between them) and differ."""
    out = []
    for sent in sents:
        rng = _rng("blanks", sent.article.article_id, sent.text)
        fit = [t for t in T.terms(sent.text, law.title)
               if t.kind.split(":")[0] in MULTI_BLANK_KINDS and _blankable(sent, t, law)]
        pairs = [(a, b) for a, b in itertools.combinations(fit, 2)
                 if b.start - a.end >= 4 and a.text != b.text]
        if not pairs:
            continue
        a, b = rng.choice(pairs)
        ref = Ref(law, sent.article, sent.cited_paragraph, None, sent.full)
        (ka, ua), (kb, ub) = _fill_piece(a), _fill_piece(b)
        before = sent.context + sent.text[:a.start]
        mid = ua + sent.text[a.end:b.start]
        after = ub + sent.text[b.end:]
        stem = f"{prefix(law)}{before}{BLANK_MARK}{mid}{BLANK_MARK}{after}（本题两空，依次作答，用“{SEP}”隔开）"
        out.append(Candidate(FILL, "blanks", law, stem, [ref], [sent.key], difficulty=3, key=[ka, kb],
                             blank=(before, mid, after), kind=a.kind.split(":")[0]))
    return out


def _imposed(before: str, key: str, law: Law) -> bool:
    """May a sanction be blanked after these words? It must follow a verb imposing it ("拍卖（没收非法财物）" is
    no test), and not sit right after the rank below it ("警告或者（　　）" can only be 严重警告)."""
    if not before.endswith(quality().impose_before):
        return False
    lex = lexicon()
    r = lex.rank(law.title, key)
    if r:
        lower = next((t for t in lex.scoped_terms("sanction", law.title) if lex.rank(law.title, t) == r - 1), "")
        if lower and before.endswith(f"{lower}或者"):
            return False
    return True


# "行政强制措施的种类：" / "行政强制执行的方式：" -> "下列属于行政强制措施的有"
_KIND_LEAD = re.compile(r"^(?P<x>[\u4e00-\u9fff、]{2,24}?)的(?P<k>种类|方式|形式|范围)(?:包括|有|是|为)?[：:]$")


def _enum_stem(law: Law, lead: str) -> str | None:
    """The lead line turned into a question, or None when it does not make one ("…划分如下：",
    "分别作出如下决定："): a stem must read as a complete question, so such lists give no 多选."""
    s = lead.rstrip("：: ")
    m = re.search(r"下列([\u4e00-\u9fff]{1,6}?)之一", s)
    if m:
        return f"{prefix(law)}{s[:m.start()]}下列哪些{m.group(1)}{s[m.end():]}？（　　）"
    if "下列" in s and "下列哪些" not in s:
        return f"{prefix(law)}{s.replace('下列', '下列哪些', 1)}？（　　）"
    m = _KIND_LEAD.match(lead.strip())
    if m:
        what = m.group("x") + ("" if m.group("k") == "种类" else m.group("k"))
        return f"{prefix(law)}下列属于{what}的有（　　）。"
    if s.endswith(("包括", "是", "有")) and "如下" not in s and len(s) <= 40:
        return f"{prefix(law)}{s}（　　）。"
    return None


def same_consequence(a: str, b: str, law_title: str) -> bool:
    """Do two enumeration leads attach the same consequence ("有下列行为之一的，予以记过或者记大过…")?

    Then an item of one list is as right under the other's stem, so it cannot be a distractor."""
    lex = lexicon()
    words = lex.scoped_terms("sanction", law_title)
    sa, sb = T.sanctions_named(a, words), T.sanctions_named(b, words)
    if sa & sb:  # any shared sanction: "情节较重的，给予警告或者严重警告处分" fits both lists (a wrong key in review 5)
        # …unless both are graded ranges whose heaviest grade differs: a behaviour punished at most by 撤职 is
        # no answer to "予以警告…情节严重的，予以开除" (the review's own suggested distractor, 9501 A32)
        ta, tb = sanction_tiers(a, words), sanction_tiers(b, words)
        return not (len(ta) >= 2 and len(tb) >= 2 and ta[-1] != tb[-1])
    if contrasted(a, b):  # 撤销 beside 变更, 中止 beside 终止: alike in words, apart in what they decide
        return False
    na, nb = T.norm_stmt(a), T.norm_stmt(b)
    return SequenceMatcher(None, na, nb, autojunk=False).ratio() >= 0.6


def sanction_tiers(lead: str, words) -> list[frozenset[str]]:
    """The sanctions of each grade a lead names, lightest grade first ("予以警告…；情节较重的，予以降级或者撤职；…")."""
    return [x for x in (T.sanctions_named(part, words) for part in re.split(r"[；;]", lead)) if x]


def punishes(lead: str, law_title: str) -> bool:
    """Does a lead attach a sanction or 处理 to the behaviours it lists?"""
    return bool(T.sanctions_named(lead, lexicon().scoped_terms("sanction", law_title))) or \
        any(w in lead for w in ("处分", "处理"))


def range_distractor_ok(lead: str, lead_items, other: str, law_title: str) -> bool:
    """Under "哪些行为适用某一处分幅度", may a 项 of the list under `other` be a wrong option (review 9501 A32/B32/
    C33)? Only a behaviour with its own named range: not one of a list that only says "依法给予处理" or is no
    behaviour at all (复审 grounds), and never when the stem's list closes with a catch-all "其他…的行为" that
    takes any misconduct in."""
    if not punishes(lead, law_title):
        return True
    if any(T._CATCH_ALL.search(it) for it in lead_items):
        return False
    words = lexicon().scoped_terms("sanction", law_title)
    if not T.sanctions_named(lead, words):
        return True
    return bool(T.sanctions_named(other, words))


def contrasted(a: str, b: str) -> bool:
    """Do two leads each name a different side of a contrast pair (data/quality.json `contrasts`)?"""
    for x, y in _contrasts():
        if (x in a and y not in a and y in b and x not in b) or (y in a and x not in a and x in b and y not in b):
            return True
    return False


def _contrasts() -> tuple[tuple[str, str], ...]:
    return quality().contrasts


def other_measure(lead: str, item: str, law_title: str) -> bool:
    """Does a distractor name a measure the lead does not, where the lead names its own ("查封、扣押场所…" under
    "冻结决定书应当载明下列事项"): the option gives itself away (A34)."""
    heads = {m[:2] for m in lexicon().scoped_terms("measure", law_title)}
    mine = {h for h in heads if h in lead}
    return bool(mine) and any(h in item and h not in lead for h in heads)


def _shape(text: str) -> tuple[bool, str]:
    """What a reader notices first when options differ in form: a clause (with ，) or not, and how it ends
    (…的, …事项, …权)."""
    end = text[-1:]
    return ("，" in text, end if end in _TYPE_ENDS else "")


_TYPE_ENDS = set("的项权书人员形况件料据")  # endings that name what an item is (…事项, …的, …证件)


def category(lead: str) -> str | None:
    """The class of what a list enumerates, from its lead: 下列情形之一的 -> 情形, 下列人员可以… -> 人员,
    行政强制措施的种类： -> 措施, 证据包括： -> 文件 (classes in data/quality.json)."""
    from .lexicon import quality

    q = quality()
    at = lead.find("下列")
    if at >= 0:
        return q.category(lead[at + 2:])
    m = _KIND_LEAD.match(lead.strip())
    if m:
        return q.category(m.group("k"))
    m = re.search(r"([\u4e00-\u9fff]{2,8})(?:包括|有|是)[：:]$", lead.strip())
    if m:
        for noun in q.category_nouns():
            if m.group(1).endswith(noun):
                return q.category(noun)
    return None


def lead_classes(lead: str) -> frozenset[str]:
    """The kinds of consequence a lead attaches (奖励, 不得, 处分, 职权 …; data/quality.json)."""
    from .lexicon import quality

    return quality().classes_of(lead)


def list_category(lead: str, items) -> str | None:
    """`category`, read with the items: "下列人员不得录用" listing "被开除中国共产党党籍的" enumerates cases (情形),
    like "有下列情形之一的，不得辞退", not people."""
    kind = category(lead)
    if kind == "人员" and items and sum(it.endswith("的") for it in items) * 2 > len(items):
        return "情形"
    return kind


def same_list_kind(lead: str, other: str, items=(), other_items=()) -> bool:
    """May an item of the list under `other` stand as a distractor under `lead`? Only when both enumerate the
    same class of thing and attach the same kinds of consequence: reward cases (给予奖励) are never offered among
    the cases of 不得录用, nor 事项 among 人员."""
    kind = list_category(lead, items)
    from .lexicon import quality

    q = quality()
    return (kind is not None and list_category(other, other_items) == kind
            and lead_classes(lead) == lead_classes(other) and q.topics(lead) == q.topics(other))


def sibling_distractors(en: T.Enumeration, keys: list[str], pools: Pools, with_rank: bool = False) -> list[tuple]:
    """(item, its article id) of other lists of the law of the same kind (same class of thing, same kind of
    consequence, same form), never from a list with the same consequence; lists whose lead reads most like
    this one's first (中止 beside 终止)."""
    own_text = T.norm(en.article.text)
    avg = sum(len(k) for k in keys) / len(keys)
    shape = Counter(_shape(k) for k in keys).most_common(1)[0][0]
    out: list[tuple[str, str, float]] = []
    seen: set[str] = set()
    for aid, t in pools.enum_items:
        if aid == en.article.article_id or T.norm(t) in own_text or t in seen:
            continue
        leads = pools.enum_leads.get(aid, ())
        if any(same_consequence(en.lead, lead, pools.law_title) for lead in leads):
            continue
        if not all(range_distractor_ok(en.lead, en.all_items, lead, pools.law_title) for lead in leads):
            continue
        kin = [lead for lead, items in pools.enum_lists.get(aid, ())
               if t in items and same_list_kind(en.lead, lead, en.all_items, items)]
        if not kin:
            continue
        if _shape(t) != shape or not 0.5 <= len(t) / avg <= 2.0:
            continue
        if other_measure(en.lead, t, pools.law_title):
            continue
        if any(SequenceMatcher(None, t, own, autojunk=False).ratio() >= 0.6 for own in en.all_items):
            continue  # "适用法律、法规错误的" reads as this list's "原判决、裁定适用法律、法规确有错误的"
        # the contrasting list (变更 for 撤销, 中止 for 终止) first: the options a setter would pick
        near = max(SequenceMatcher(None, en.lead, lead, autojunk=False).ratio() + contrasted(en.lead, lead)
                   for lead in kin)
        seen.add(t)
        out.append((t, aid, near))
    out.sort(key=lambda x: (-round(x[2], 1), abs(len(x[0]) - avg), x[0]))
    if with_rank:
        return [(t, aid, round(near, 1)) for t, aid, near in out]
    return [(t, aid) for t, aid, _ in out]


def enumeration_items(law: Law, enums: list[T.Enumeration], pools: Pools) -> list[Candidate]:
    """多选 from an article's list of 项: some items (or, for a short list, all of them) are the key;
    distractors come from sibling lists of the same kind. A lead that makes no question gives no item."""
    out = []
    for en in enums:
        stem = _enum_stem(law, en.lead)
        if stem is None:
            continue
        whole = len(en.items) == len(en.all_items) == 3  # the full list is the key, one distractor
        variants = [3] if whole else []
        variants += [None, None, None]
        for variant, fixed in enumerate(variants):
            rng = _rng("enum", en.article.article_id, en.paragraph, variant)
            k = fixed or min(len(en.items) - 1, rng.choice((2, 3, 3)))  # never all-correct: one wrong option
            picks = sorted(rng.sample(range(len(en.items)), k))
            keys = [en.items[i] for i in picks]
            ranked = sibling_distractors(en, keys, pools, with_rank=True)[:12]
            if ranked and ranked[0][2] >= 1.0:  # a contrasting list (变更 for 撤销): its 项 only, or no item
                ranked = [x for x in ranked if x[2] >= 1.0]
            near = [(t, aid) for t, aid, _ in ranked]
            # the closest lists first, in a seed-stable shuffle: at most 4, and only those as close as the closest
            # (the two 项 of 第五十七条 for 第五十八条, not a 违法行为 of 第二十八条 shuffled in beside them)
            top = sum(1 for _, _, r in ranked[:4] if r >= ranked[0][2] - 0.1) if ranked else 0
            head, tail = near[:top], near[top:]
            rng.shuffle(head)
            rng.shuffle(tail)
            near = head + tail
            refs = [Ref(law, en.article, en.paragraph, en.numbers[i], en.items[i]) for i in picks]
            quote = "\n".join(p for p in [en.lead] + list(en.article.paragraphs[en.paragraph - 1].items))
            refs.insert(0, Ref(law, en.article, en.paragraph, None, quote))
            c = Candidate(MULTI, "enumeration", law, stem, refs,
                          [T.norm_stmt(en.lead)], difficulty=3 if k >= 4 or len(en.items) >= 6 else 2,
                          key=keys, distractors=[t for t, _ in near],
                          sources={t: pools.sources[f"{aid}|{t}"] for t, aid in near if f"{aid}|{t}" in pools.sources})
            if all(c.uid != o.uid for o in out[-4:]):
                out.append(c)
    return out


def _chapter_topic(chapter: str | None) -> str | None:

    if not chapter:
        return None
    topic = re.sub(r"^第[一二三四五六七八九十百]+[章节编]\s*", "", chapter).strip()
    return topic if topic and topic not in ("总则", "附则") else None


def statement_items(law: Law, sents: list[T.Sentence], pools: Pools, per: int = 4, rounds: int = 30) -> list[Candidate]:
    """多选 "下列说法正确的有": true sentences and perturbed ones from different articles of a law.

    Sentences are grouped by chapter where a chapter has enough of them (the stem then names the
    chapter's subject), otherwise across the law; several groupings give the bank more variety."""
    usable = []
    for sent in sents:
        false = perturbations(sent, law, pools, _rng("judge", sent.article.article_id, sent.text))
        if false and len(sent.full) <= 70:
            usable.append((sent, false))
    by_chapter: dict[str | None, list] = defaultdict(list)
    for u in usable:
        by_chapter[_chapter_topic(u[0].article.chapter)].append(u)
    out: list[Candidate] = []
    seen: set[str] = set()
    for r in range(rounds):
        rng = _rng("statements", law.law_id, r)
        groups = []
        leftovers = []
        for topic in sorted(by_chapter, key=lambda t: t or ""):
            members = list(by_chapter[topic])
            rng.shuffle(members)
            if topic is None or len({m[0].article.article_id for m in members}) < per:
                leftovers += members
                continue
            groups.append((topic, members))
        rng.shuffle(leftovers)
        groups.append((None, leftovers))
        for topic, members in groups:
            # greedy: take sentences from distinct articles, `per` at a time
            while len(members) >= per:
                group, rest, arts = [], [], set()
                for m in members:
                    if len(group) < per and m[0].article.article_id not in arts:
                        group.append(m)
                        arts.add(m[0].article.article_id)
                    else:
                        rest.append(m)
                members = rest
                if len(group) < per:
                    break
                about = f"关于{topic}，" if topic else ""
                keys = [sent.key for sent, _ in group]
                for c in _statement_forms(law, group, about, keys, rng, wording=len(out) // 3):
                    if c.uid not in seen:
                        seen.add(c.uid)
                        out.append(c)
    return out


def _truth_pattern(law: Law, group, k: int, rng: random.Random) -> list[Statement]:
    """k true statements and len(group) - k false ones, in random places."""
    truth = [True] * k + [False] * (len(group) - k)
    rng.shuffle(truth)
    out = []
    for (sent, false), ok in zip(group, truth):
        if ok:
            out.append(Statement(sent.full.rstrip("。"), True, Ref(law, sent.article, sent.cited_paragraph, None, sent.full)))
        else:
            out.append(rng.choice(false))
    return out


CIRCLED = "①②③④⑤⑥"


def _WORD(form: str, i: int) -> str:  # noqa: N802
    return WORDINGS[form][i % len(WORDINGS[form])]


def _this(law: Law) -> str:
    """How a stem refers back to the document: 纪律处分条例 is "该条例", not "该法" (B27)."""
    for kind in ("条例", "规定", "办法", "准则", "规则"):
        if law.title.endswith(kind):
            return "该" + kind
    return "该法"


# How setters word the three statement forms; groups take them in turn, so two items of one paper never
# share a stem ("下列说法正确的有" twice reads as the same question).
WORDINGS = {
    "statements": ("下列说法正确的有", "下列表述符合该法规定的有", "下列说法中，符合规定的有", "下列表述正确的有",
                   "下列说法中正确的有", "下列选项中，说法正确的有"),
    "negative": ("下列说法不正确的是", "下列表述不符合该法规定的是", "下列说法中，错误的是", "下列表述错误的是",
                 "下列说法中不正确的是", "下列选项中，说法错误的是"),
    "combination": ("下列说法中，正确的是", "下列表述中，符合该法规定的是", "下列说法中，符合规定的是", "下列表述中，正确的是",
                    "下列说法正确的是", "下列选项中，说法正确的是"),
}


def _statement_forms(law: Law, group, about: str, keys: list[str], rng: random.Random,
                     wording: int = 0) -> list[Candidate]:
    """From one group of sentences of different articles: a 多选 "说法正确的有", a negative 单选 "说法不正确的是"
    (exactly one false), and a combination 单选 (①②③④, options are sets of numbers)."""
    out = []
    this = _this(law)
    _word = lambda form, i: _WORD(form, i).replace("该法", this)  # noqa: E731
    stmts = _truth_pattern(law, group, rng.choice((2, 3, 3)), rng)
    out.append(Candidate(MULTI, "statements", law, f"{prefix(law)}{about}{_word('statements', wording)}（　　）。",
                         [s.ref for s in stmts], keys, difficulty=3, statements=stmts))
    neg = _truth_pattern(law, group, len(group) - 1, rng)
    false = next(s for s in neg if not s.truth)
    out.append(Candidate(SINGLE, "negative", law, f"{prefix(law)}{about}{_word('negative', wording)}（　　）。",
                         [s.ref for s in neg], keys, difficulty=2, statements=neg, key=[false.text],
                         distractors=[s.text for s in neg if s.truth], kind="negative"))
    combo = _truth_pattern(law, group, rng.choice((2, 3)), rng)
    right = "".join(CIRCLED[i] for i, s in enumerate(combo) if s.truth)
    sets = ["".join(CIRCLED[i] for i in cb) for k in (2, 3) for cb in itertools.combinations(range(len(combo)), k)]
    others = [x for x in sets if x != right]
    rng.shuffle(others)
    lines = "\n".join(f"{CIRCLED[i]}{s.text}；" for i, s in enumerate(combo)).rstrip("；") + "。"
    out.append(Candidate(SINGLE, "combination", law,
                         f"{prefix(law)}{about}{_word('combination', wording)}（　　）。\n{lines}",
                         [s.ref for s in combo], keys, difficulty=3, statements=combo, key=[right],
                         distractors=others[:3], kind="combination"))
    return out


_RULE = re.compile(r"^(?P<b>[^。；：]{8,70}?)的，(?P<c>(?:予以|给予)[^。；，]{2,24}(?:；情节[^。；]{1,4}的，(?:予以|给予)[^。；，]{2,24})*)。$")


def _sanctions_in(consequence: str, law: Law) -> frozenset[str]:
    return T.sanctions_named(consequence, lexicon().scoped_terms("sanction", law.title))


_LIST_RULE = re.compile(r"^有下列(?:行为|情形)之一的，(?P<c>(?:予以|给予)[^。：]{2,80})[：:]$")


def scenario_items(law: Law, sents: list[T.Sentence], enums: list[T.Enumeration] = ()) -> list[Candidate]:
    """单选 scenarios from rules attaching a consequence to a behaviour ("…的，予以撤职或者开除。", or a 项 under
    "有下列行为之一的，予以…："): the options are that consequence and other rules' consequences of the law whose
    sanctions neither contain nor are contained in the key's (so "予以开除" is never set against "予以撤职或者开除"),
    and the key is the cited article's own words."""
    from .lexicon import scenario_spec

    spec = scenario_spec(law.title)
    if spec is None:
        return []
    rules = []  # (ref, behaviour, consequence, sanctions)
    for sent in sents:
        m = _RULE.match(sent.text) if not sent.context else None
        if not m or "下列" in sent.text or "情节" in m.group("b"):
            continue
        sanctions = _sanctions_in(m.group("c"), law)
        if sanctions:
            rules.append((Ref(law, sent.article, sent.paragraph, None, sent.text), m.group("b"), m.group("c"),
                          sanctions))
    for en in enums:
        m = _LIST_RULE.match(en.lead.strip())
        sanctions = _sanctions_in(m.group("c"), law) if m else frozenset()
        if not sanctions:
            continue
        for number, it in zip(en.numbers, en.items):
            if it.endswith("的") and 6 <= len(it) <= 60 and "，" not in it[:-1][-3:]:
                ref = Ref(law, en.article, en.paragraph, number, f"{en.lead}\n{it}")
                rules.append((ref, it[:-1], m.group("c"), sanctions))
    out = []
    for ref, behaviour, consequence, sanctions in rules:
        rng = _rng("scenario", ref.article.article_id, behaviour)
        where = {c: r2 for r2, _, c, sa in reversed(rules)}
        others = list(dict.fromkeys(c for r2, _, c, sa in rules if r2.article.article_id != ref.article.article_id
                                    and not (sa & sanctions) and c != consequence))  # no shared sanction
        if len(others) < 3:
            continue
        rng.shuffle(others)
        cast_ = cast(spec, behaviour, rng)
        if cast_ is None:
            continue
        who, act = cast_
        stem = f"{who}{act}。" + spec["ask"].format(law=law.title, who=name_of(who))
        out.append(Candidate(SINGLE, "scenario", law, stem, [ref], [T.norm_stmt(behaviour)], difficulty=2,
                             key=[consequence], distractors=others[:6], kind="scenario",
                             sources={c: where[c] for c in others[:6]}))
    return out


def build_law_bank(law: Law, articles: list[Article]) -> dict[str, list[Candidate]]:
    """Every candidate item of one law, by type, in a deterministic order."""
    good = [a for a in articles if T.good_article(a)]
    pools = Pools(law_title=law.title, article_texts=[T.norm(a.text) for a in articles])
    for a in articles:  # pools see every article, even poor material
        for para in a.paragraphs:
            pools.add_terms(para.text)
        for en in T.enumerations(a):
            pools.enum_items.extend((a.article_id, it) for it in en.items)
            pools.enum_lists.setdefault(a.article_id, []).append((en.lead, en.items))
            pools.enum_leads.setdefault(a.article_id, []).append(en.lead)
            for number, it in zip(en.numbers, en.items):
                pools.sources[f"{a.article_id}|{it}"] = Ref(law, a, en.paragraph, number, en.lead)
    low = quality().low
    sents = [s for a in good for s in T.sentences(a) if not low(s.full)]
    # long articles are fine for 多选: the options are single 项
    good_ids = {a.article_id for a in good}
    enums = [e for a in articles if a.article_id in good_ids or (T.MIN_ARTICLE <= len(a.text) <= 3000 and
             not T._PURPOSE.search(a.text)) for e in T.enumerations(a) if not low(e.lead)]
    bank = {JUDGE: judge_items(law, sents, pools), SINGLE: [], FILL: [], MULTI: []}
    for c in blank_items(law, sents, pools):
        bank[c.type].append(c)
    bank[FILL] += multi_blank_items(law, sents)
    bank[MULTI] = enumeration_items(law, enums, pools)
    bank[SINGLE] += scenario_items(law, sents, enums)
    from .scenarios import tier_items  # noqa: PLC0415  (scenarios imports this module)

    bank[SINGLE] += tier_items(law, sents, enums)
    for c in statement_items(law, sents, pools):
        bank[c.type].append(c)
    return bank
