"""Rule-based item generators (no LLM): 判断, 单选, 填空 and 多选 built from article text.

Generators produce *candidates*: everything an item needs, with more distractors than it will use.
`validate.py` checks each candidate against the knowledge base and picks the distractors; `assemble.py`
orders options and writes the final `Item`. Every choice is driven by a `random.Random` seeded from the
article id, so a bank is the same on every run for the same catalog."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field

from knowledge.models import Article, Law

from . import text as T
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

    def add_terms(self, s: str) -> None:
        for t in T.terms(s):
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
    """Distractors of the term's kind: from the law's other articles first, then a fixed menu."""
    kind = term.kind
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
    if kind == "fraction":
        base = [f for f in T.FRACTIONS if f != term.text]
    elif kind == "sanction":
        base = [f for f in T.SANCTIONS if f != term.text]
    elif kind == "modal":
        return [T.MODALS[term.text]]
    elif kind == "scope":
        return [T.SCOPES[term.text]]
    else:
        own = [x for x in pools.by_kind.get(kind, []) if x != term.text]
        rng.shuffle(own)
        menu = [x for x in (T.ORGANS if kind == "organ" else T.MEASURES) if x != term.text and x not in own]
        rng.shuffle(menu)
        return (own + menu)[:limit]
    rng.shuffle(base)
    return base[:limit]


def perturbations(sent: T.Sentence, law: Law, pools: Pools, rng: random.Random) -> list[Statement]:
    """False versions of a sentence, each changing exactly one element the article fixes."""
    s = sent.text.rstrip("。")
    ref = Ref(law, sent.article, sent.paragraph, None, sent.text)
    out: list[Statement] = []
    by_kind: dict[str, list[T.Term]] = defaultdict(list)
    for t in T.terms(s):
        by_kind[t.kind.split(":")[0]].append(t)
    for e in T.list_elements(s):
        by_kind["element"].append(e)
    for kind in sorted(by_kind):
        term = rng.choice(by_kind[kind])
        if kind == "element":
            options = [e for e in pools.sibling_elements(s, term.text) if abs(len(e) - len(term.text)) <= 2]
            rng.shuffle(options)
        else:
            options = same_kind(term, pools, rng, limit=3)
        for new in options[:2]:
            out.append(Statement(T.replace(s, term, new), False, ref, (kind, term.text, new)))
    return out


# ---- generators ------------------------------------------------------------------------------
JUDGE_DIFF = {"modal": 2, "scope": 2, "number": 2, "fraction": 3, "organ": 3, "sanction": 2, "measure": 3, "element": 3}
BLANK_DIFF = {"number": 2, "fraction": 3, "organ": 2, "sanction": 1, "measure": 2}
BLANK_KINDS = tuple(BLANK_DIFF)


def judge_items(law: Law, sents: list[T.Sentence], pools: Pools) -> list[Candidate]:
    out = []
    for sent in sents:
        rng = _rng("judge", sent.article.article_id, sent.text)
        ref = Ref(law, sent.article, sent.paragraph, None, sent.text)
        stmt = sent.text.rstrip("。")
        out.append(Candidate(JUDGE, "true", law, f"{prefix(law)}{stmt}。（　　）", [ref], [sent.key],
                             difficulty=1 if len(stmt) < 50 else 2, statements=[Statement(stmt, True, ref)]))
        for st in perturbations(sent, law, pools, rng):
            out.append(Candidate(JUDGE, "false", law, f"{prefix(law)}{st.text}。（　　）", [ref], [sent.key],
                                 difficulty=JUDGE_DIFF.get(st.change[0], 2), statements=[st], kind=st.change[0]))
    return out


def blank_items(law: Law, sents: list[T.Sentence], pools: Pools) -> list[Candidate]:
    """单选 and 填空: one key term of a sentence blanked; 单选 distractors of the same kind."""
    out = []
    for sent in sents:
        rng = _rng("blank", sent.article.article_id, sent.text)
        ref = Ref(law, sent.article, sent.paragraph, None, sent.text)
        cands = [t for t in T.terms(sent.text) if t.kind.split(":")[0] in BLANK_KINDS]
        seen_kinds = set()
        rng.shuffle(cands)
        for term in cands:
            kind = term.kind.split(":")[0]
            if kind in seen_kinds or sent.text.count(term.text) > 1:
                continue
            seen_kinds.add(kind)
            before, after = sent.text[:term.start], sent.text[term.end:]
            dis = [d for d in same_kind(term, pools, rng, limit=12) if d not in sent.text][:8]
            if len(dis) >= 3:
                out.append(Candidate(SINGLE, "blank", law, f"{prefix(law)}{before}（　　）{after}", [ref], [sent.key],
                                     difficulty=BLANK_DIFF[kind], key=[term.text], distractors=dis,
                                     blank=(before, after), kind=kind))
            # 填空: a number keeps its unit in the sentence ("应当在____日内"), the key is the numeral
            key, fb, fa = term.text, before, after
            if kind == "number":
                unit = term.kind.split(":", 1)[1]
                key, fa = term.text[: -len(unit)], unit + after
            out.append(Candidate(FILL, "blank", law, f"{prefix(law)}{fb}________{fa}", [ref], [sent.key],
                                 difficulty=min(3, BLANK_DIFF[kind] + 1), key=[key], blank=(fb, fa), kind=kind))
    return out


def _enum_stem(law: Law, lead: str) -> str:
    import re

    s = lead.rstrip("：: ")
    m = re.search(r"下列([\u4e00-\u9fff]{1,6}?)之一", s)
    if m:
        return f"{prefix(law)}{s[:m.start()]}下列哪些{m.group(1)}{s[m.end():]}？（　　）"
    if "下列" in s and "下列哪些" not in s:
        return f"{prefix(law)}{s.replace('下列', '下列哪些', 1)}？（　　）"
    return f"{prefix(law)}{s}。下列选项中属于该规定内容的有（　　）。"


def enumeration_items(law: Law, enums: list[T.Enumeration], pools: Pools) -> list[Candidate]:
    """多选 from an article's list of 项: some items are the key, distractors come from sibling lists."""
    out = []
    for en, variant in ((en, v) for en in enums for v in range(2)):  # two option sets per list
        rng = _rng("enum", en.article.article_id, en.paragraph, variant)
        own_text = T.norm(en.article.text)
        k = min(len(en.items), rng.choice((2, 3, 3, 4)))
        picks = sorted(rng.sample(range(len(en.items)), k))
        avg = sum(len(en.items[i]) for i in picks) / k
        sib = [t for aid, t in pools.enum_items if aid != en.article.article_id and T.norm(t) not in own_text]
        sib = list(dict.fromkeys(sib))
        sib.sort(key=lambda t: (abs(len(t) - avg), t))
        near = sib[:12]
        rng.shuffle(near)
        refs = [Ref(law, en.article, en.paragraph, en.numbers[i], en.items[i]) for i in picks]
        quote = "\n".join(p for p in [en.lead] + list(en.article.paragraphs[en.paragraph - 1].items))
        refs.insert(0, Ref(law, en.article, en.paragraph, None, quote))
        c = Candidate(MULTI, "enumeration", law, _enum_stem(law, en.lead), refs,
                      [T.norm_stmt(en.lead)], difficulty=3 if k >= 4 or len(en.items) >= 6 else 2,
                      key=[en.items[i] for i in picks], distractors=near)
        if not out or out[-1].uid != c.uid:
            out.append(c)
    return out


def _chapter_topic(chapter: str | None) -> str | None:
    import re

    if not chapter:
        return None
    topic = re.sub(r"^第[一二三四五六七八九十百]+[章节编]\s*", "", chapter).strip()
    return topic if topic and topic not in ("总则", "附则") else None


def statement_items(law: Law, sents: list[T.Sentence], pools: Pools, per: int = 4, rounds: int = 3) -> list[Candidate]:
    """多选 "下列说法正确的有": true sentences and perturbed ones from different articles of a law.

    Sentences are grouped by chapter where a chapter has enough of them (the stem then names the
    chapter's subject), otherwise across the law; several groupings give the bank more variety."""
    usable = []
    for sent in sents:
        false = perturbations(sent, law, pools, _rng("judge", sent.article.article_id, sent.text))
        if false and len(sent.text) <= 70:
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
                k = rng.choice((2, 3, 3))
                truth = [True] * k + [False] * (per - k)
                rng.shuffle(truth)
                stmts = []
                for (sent, false), ok in zip(group, truth):
                    if ok:
                        stmts.append(Statement(sent.text.rstrip("。"), True,
                                               Ref(law, sent.article, sent.paragraph, None, sent.text)))
                    else:
                        stmts.append(rng.choice(false))
                about = f"关于{topic}，" if topic else ""
                stem = f"{prefix(law)}{about}下列说法正确的有（　　）。"
                c = Candidate(MULTI, "statements", law, stem, [s.ref for s in stmts],
                              [sent.key for sent, _ in group], difficulty=3, statements=stmts)
                if c.uid not in seen:
                    seen.add(c.uid)
                    out.append(c)
    return out


def build_law_bank(law: Law, articles: list[Article]) -> dict[str, list[Candidate]]:
    """Every candidate item of one law, by type, in a deterministic order."""
    good = [a for a in articles if T.good_article(a)]
    pools = Pools()
    for a in articles:  # pools see every article, even poor material
        for para in a.paragraphs:
            pools.add_terms(para.text)
        for en in T.enumerations(a):
            pools.enum_items.extend((a.article_id, it) for it in en.items)
    sents = [s for a in good for s in T.sentences(a)]
    # long articles are fine for 多选: the options are single 项
    good_ids = {a.article_id for a in good}
    enums = [e for a in articles if a.article_id in good_ids or (T.MIN_ARTICLE <= len(a.text) <= 3000 and
             not T._PURPOSE.search(a.text)) for e in T.enumerations(a)]
    bank = {JUDGE: judge_items(law, sents, pools), SINGLE: [], FILL: [], MULTI: []}
    for c in blank_items(law, sents, pools):
        bank[c.type].append(c)
    bank[MULTI] = enumeration_items(law, enums, pools) + statement_items(law, sents, pools)
    return bank
