"""`ExamService`: item banks per law, paper generation, grading and the mistakes notebook."""

from __future__ import annotations

import logging
import math
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.errors import NotFoundError, XuefaError
from knowledge.models import DEFAULT_STATUSES, SOURCE_LOCAL, Law

from . import text as T
from collections import Counter

from .assemble import _State, capped_quotas, largest_remainder, per_article_cap, render_all, select
from .generators import Candidate, build_law_bank
from .grading import GradeResult, MistakeBook, grade
from .points import fit
from .models import DEFAULT_SYLLABUS, PRESETS, FILL, JUDGE, MULTI, SINGLE, TYPES, Blueprint, Paper
from .truth import Principles, TruthIndex
from .validate import validate

log = logging.getLogger(__name__)
SELECTION_ORDER = (MULTI, SINGLE, JUDGE, FILL)  # well-formed 多选 are the scarcest material
BATCH_ROUNDS = 3  # a batch's papers take turns in this many shares of each form
LAW_SLACK = 2  # in the late fill a law goes at most this many items of a form past its quota
LAW_CAP = 1.5  # a law at most this many times its share of the whole paper (rounded up) unless the paper is short
LAW_CEILING = 2.0  # short even so: twice its share and LAW_SLACK before a key thrice or an article a third time
FALLBACK = {MULTI: (SINGLE, JUDGE), SINGLE: (JUDGE, FILL), JUDGE: (SINGLE, FILL), FILL: (SINGLE, JUDGE)}


class CatalogText:
    """Fallback for `kb.contains_text`: normalised substring search over every article in the catalog."""

    def __init__(self, catalog):
        self._text = "\x00".join(T.norm(a.text) for a in catalog.iter_articles())

    def __contains__(self, s: str) -> bool:
        return T.norm(s) in self._text


def batch_title(title: str, i: int) -> str:
    """The title of the i-th paper (0-based) of a batch: 任前法律知识考试（A卷）, or …（模拟卷）B卷."""
    label = f"{chr(ord('A') + i)}卷" if i < 26 else f"第{i + 1}卷"
    return f"{title}{label}" if title.endswith("）") else f"{title}（{label}）"


@dataclass
class BatchMemory:
    """What the papers of one batch already ask: articles and sentences (avoided while the bank allows), and stems
    and printed statements (never repeated)."""

    articles: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)  # normalised article sentences (Candidate.sentences)
    stems: set[str] = field(default_factory=set)
    said: set[str] = field(default_factory=set)  # normalised statements (判断 stems, statement options)
    options: set[str] = field(default_factory=set)  # 多选 distractor texts
    principles: set[str] = field(default_factory=set)  # rare phrases of the rules asked (see `Principles`)

    def remember(self, paper: Paper) -> None:
        for it in paper.items:
            self.articles |= set(it.article_ids)
            if it.form not in ("statements", "negative", "combination"):  # their stems are a shared wording
                self.stems.add(T.norm(it.stem))
            self.sentences |= {T.norm_stmt(q) for q in it.sentences}
            for text in _printed_statements(it):
                self.said.add(T.norm_stmt(text))


def owed_quotas(base: list[int], owed: list[int], n: int) -> list[int]:
    """This form's quotas per law, shifted by what each law is owed (or has had in excess) from the forms chosen
    before: 宪法 with few 单选 gets more 判断, 纪律处分条例 that filled the 单选 gets fewer, so each paper keeps the
    --laws weights over its whole length."""
    want = [max(0, b + o) for b, o in zip(base, owed)]
    return largest_remainder(n, want) if sum(want) > 0 else base


def _trim(cands: list[Candidate], n: int) -> list[Candidate]:
    """The first n, dropping the latest picks; 判断 drop from the larger of true/false so the two stay even."""
    out = list(cands)
    while len(out) > n:
        if out[-1].type == JUDGE:
            trues = [c for c in out if c.statements[0].truth]
            more = len(trues) * 2 > len(out)
            drop = max(i for i, c in enumerate(out) if c.statements[0].truth == more)
            out.pop(drop)
        else:
            out.pop()
    return out


def _printed_statements(it) -> list[str]:
    """The statements an item prints (as Candidate.statements holds them), read back from a paper."""
    import re

    if it.type == JUDGE:
        return [re.sub(r"^根据《[^》]+》，", "", it.stem).removesuffix("（　　）").rstrip("。")]
    if it.form in ("statements", "negative"):
        return list(it.options)
    if it.form == "combination":
        return [m.rstrip("；。") for m in re.findall(r"[①②③④⑤⑥]([^\n]+)", it.stem)]
    return []



@dataclass
class _Draft:
    """One paper while its forms are chosen (a batch chooses form by form across its papers)."""

    blueprint: Blueprint
    laws: list
    notes: list[str]
    banks: list
    rng: random.Random
    state: _State
    owed: list[int]  # per law: items its weight asked for in earlier forms that its bank lacked
    case: list[Candidate] = field(default_factory=list)
    chosen: dict[str, list[Candidate]] = field(default_factory=dict)
    short: dict[str, int] = field(default_factory=dict)
    quotas: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)  # per form: base, owed-shifted
    cut: set[str] = field(default_factory=set)  # forms cut to the batch's common number
    last_of_batch: bool = True  # no later paper of the batch to leave items to


_STATEMENT_FORMS = ("statements", "negative", "combination")  # their stems are a shared wording


def _share(src: _Draft, dst: _Draft) -> None:
    """What `src` has chosen so far, for `dst` to avoid as it would avoid an earlier paper of the batch."""
    s, t = src.state, dst.state
    t.avoid |= set(s.per_article) | s.option_articles
    t.avoid_sentences |= s.sentences
    for cands in src.chosen.values():
        for c in cands:
            t.avoid_sentences |= {T.norm_stmt(r.quote) for r in c.refs if r.item is None and r.quote}
            if c.form not in _STATEMENT_FORMS:
                t.stems.add(T.norm(c.stem))
    t.said |= s.said
    t.avoid_options |= s.options
    t.avoid_principles |= s.principles


def _same_structure(drafts: list[_Draft]) -> None:
    """Every paper of a batch with the same number of items of each form: a form the bank could not fill for
    one paper is cut to that number in all (the latest picks dropped), and each paper says so."""
    for kind in SELECTION_ORDER:
        lens = [len(d.chosen.get(kind, [])) for d in drafts]
        lo = min(lens)
        if lo == max(lens):
            continue
        for d in drafts:
            want = len(d.chosen.get(kind, [])) + d.short.get(kind, 0)
            d.chosen[kind] = _trim(d.chosen[kind], lo)
            d.short[kind] = want - lo
            d.cut.add(kind)
            d.notes.append(f"题库中的{kind}题不足以让本批各卷都出{want}道，各卷按同一题量结构出题")


class ExamService:
    """Generates papers from the knowledge base, grades answers, keeps each user's 错题本."""

    def __init__(self, kb: Any, llm: Any = None, data_dir: Path | str | None = None, records: Any = None):
        self.kb = kb
        self.llm = llm
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.records = records  # records.ExamRecords (the database); None: the JSON MistakeBook in data_dir
        self._lock = threading.RLock()
        self._version: Any = object()
        self._banks: dict[str, dict[str, list[Candidate]]] = {}
        self._valid: dict[str, Candidate | None] = {}
        self._contains: dict[str, bool] = {}
        self._text: CatalogText | None = None
        self._truth: TruthIndex | None = None
        self._principles: dict[tuple[str, ...], Principles] = {}
        self._principle_cache: dict[tuple, frozenset[str]] = {}

    # ---- knowledge base access ------------------------------------------------------------
    def _fresh(self) -> None:
        version = getattr(self.kb.catalog, "version", None)
        if version != self._version:
            self._version = version
            self._banks.clear()
            self._valid.clear()
            self._contains.clear()
            self._text = None
            self._truth = None
            self._principles.clear()
            self._principle_cache.clear()

    def contains(self, s: str) -> bool:
        """Does normalised `s` occur in any stored article (any status)?"""
        with self._lock:
            hit = self._contains.get(s)
            if hit is None:
                fn = getattr(self.kb, "contains_text", None)
                if fn is not None:
                    hit = bool(fn(s))
                else:
                    if self._text is None:
                        self._text = CatalogText(self.kb.catalog)
                    hit = s in self._text
                self._contains[s] = hit
            return hit

    def supports(self, statement: str, new: str) -> str | None:
        """A stored sentence of a current document that makes `statement` true, or None (see `truth`)."""
        with self._lock:
            if self._truth is None:
                cat = self.kb.catalog
                self._truth = TruthIndex(a.text for law in cat.laws(statuses=DEFAULT_STATUSES)
                                         for a in cat.articles(law.law_id))
            return self._truth.supports(statement, new)

    def principles_of(self, c: Candidate, scope: tuple[str, ...] = ()) -> frozenset[str]:
        """The rare phrases of the rules an item asks (see `Principles`), rare among the laws of `scope` (all current
        laws when empty: a whole knowledge base is slow to scan), cached per item."""
        with self._lock:
            index = self._principles.get(scope)
            if index is None:
                cat = self.kb.catalog
                laws = [cat.law(x) for x in scope] if scope else cat.laws(statuses=DEFAULT_STATUSES)
                index = self._principles[scope] = Principles(a.text for law in laws if law is not None
                                                             for a in cat.articles(law.law_id))
            key = (scope, c.uid)
            hit = self._principle_cache.get(key)
            if hit is None:
                hit = self._principle_cache[key] = index.of(c)
            return hit

    def _validate(self, c: Candidate) -> Candidate | None:
        key = (c.uid, tuple(c.distractors))  # the same item offered fewer distractors (a batch took some)
        if key not in self._valid:
            self._valid[key] = validate(c, self.contains, supports=self.supports)
        return self._valid[key]

    def resolve(self, name: str) -> Law:
        law = self.kb.resolve_law(name)
        if law is None or law.status not in DEFAULT_STATUSES:
            raise NotFoundError(f"知识库中没有现行有效的“{name}”，请先用 `xuefa ingest 文件` 导入，或检查名称")
        return law

    def scope(self, blueprint: Blueprint) -> list[tuple[Law, float]]:
        """Laws of a blueprint with their weights; only current versions."""
        return self.scope_with_notes(blueprint)[0]

    def scope_with_notes(self, blueprint: Blueprint) -> tuple[list[tuple[Law, float]], list[str]]:
        """Laws with weights, and notes on syllabus laws the knowledge base lacks.

        Laws named by the user must exist (a clear error otherwise); a syllabus law that is missing is left
        out with a note, so a preset still works on a knowledge base without, say, 公务员法."""
        with self._lock:
            self._fresh()
            out: dict[str, tuple[Law, float]] = {}
            notes: list[str] = []

            def add(name: str, weight: float, strict: bool) -> None:
                if strict:
                    law = self.resolve(name)
                else:
                    law = self.kb.resolve_law(name)
                    if law is None or law.status not in DEFAULT_STATUSES:
                        notes.append(f"知识库中没有现行有效的《{name}》，已从考试范围中略去")
                        return
                if weight > 0:
                    out.setdefault(law.law_id, (law, float(weight)))

            if blueprint.laws:
                for name, weight in blueprint.laws.items():
                    add(name, weight, True)
            else:
                syllabus = blueprint.syllabus or PRESETS["任前法律知识考试"].syllabus or \
                    {name: 1.0 for name in DEFAULT_SYLLABUS}
                for name, weight in syllabus.items():
                    add(name, weight, False)
                if blueprint.party_member:
                    for name, weight in (blueprint.party or PRESETS["任前法律知识考试"].party).items():
                        add(name, weight, False)
            for name in blueprint.local:
                add(name, blueprint.local_weight, True)
            if blueprint.include_local:
                for law in self.kb.catalog.laws(source=SOURCE_LOCAL, statuses=DEFAULT_STATUSES):
                    out.setdefault(law.law_id, (law, blueprint.local_weight))
            return list(out.values()), notes

    def bank(self, law: Law) -> dict[str, list[Candidate]]:
        """Every candidate item of a law, built once per catalog version."""
        with self._lock:
            self._fresh()
            bank = self._banks.get(law.law_id)
            if bank is None:
                bank = build_law_bank(law, self.kb.catalog.articles(law.law_id))
                self._banks[law.law_id] = bank
                log.info("题库：《%s》 %s", law.title, {k: len(v) for k, v in bank.items()})
            return bank

    # ---- papers ---------------------------------------------------------------------------
    def generate_batch(self, blueprint: Blueprint, n: int, after: list[Paper] = ()) -> list[Paper]:
        """n papers (seeds seed, seed+1, …) set side by side: no paper repeats a sentence or a stem of an earlier
        one, and each avoids the articles the earlier ones ask as far as the bank allows. `after`: papers made
        before (another scope, say) that the new ones must not repeat either.

        The papers choose form by form in turn (all papers' 多选, then all 单选 …), so a scarce form is shared out
        evenly instead of spent by the first papers (review 9501: C卷 got 6 多选 of 10, 16 纪律处分条例 items of
        44); a form the bank cannot fill for every paper is cut to the same number in every paper."""
        memory = BatchMemory()
        for p in after:
            memory.remember(p)
        with self._lock:
            drafts = [self._draft(Blueprint.from_json({**blueprint.to_json(), "seed": blueprint.seed + i}),
                                  None, memory) for i in range(n)]
            for d in drafts[:-1]:
                d.last_of_batch = False
            for kind in SELECTION_ORDER:
                for r in range(BATCH_ROUNDS):
                    for d in drafts:
                        self._pick_kind(d, kind, (r, BATCH_ROUNDS))
                        for o in drafts:
                            if o is not d:
                                _share(d, o)
            if n > 1:
                _same_structure(drafts)
            for d in drafts:
                self._fill_short(d)
                for o in drafts:
                    if o is not d:
                        _share(d, o)
            papers = []
            for i, d in enumerate(drafts):
                paper = self._finish(d, memory)
                if n > 1:  # a setter must tell the papers of a batch apart (review 9301): A卷, B卷, C卷 …
                    paper.title = batch_title(paper.title, i)
                papers.append(paper)
            return papers

    def generate(self, blueprint: Blueprint, avoid: set[str] | None = None,
                 memory: "BatchMemory | None" = None) -> Paper:
        """A paper by blueprint; the same seed, catalog and `avoid` (article ids to leave to other papers of a
        batch while the bank allows) give the same paper. With `memory` (a batch), the paper repeats no sentence or
        stem the memory holds, avoids its articles, and is remembered in it."""
        with self._lock:
            d = self._draft(blueprint, avoid, memory)
            for kind in SELECTION_ORDER:  # scarcest first; sections still print in TYPES order
                self._pick_kind(d, kind)
            self._fill_short(d)
            return self._finish(d, memory)

    def _draft(self, blueprint: Blueprint, avoid: set[str] | None, memory: "BatchMemory | None") -> "_Draft":
        if memory is not None:
            avoid = set(avoid or ()) | memory.articles
        laws, notes = self.scope_with_notes(blueprint)
        banks = [(law, w, self.bank(law)) for law, w in laws]
        rng = random.Random(f"paper|{blueprint.seed}")
        n_items = sum(int(v or 0) for v in blueprint.counts.values())
        scope_ids = tuple(sorted(law.law_id for law, _ in laws))
        n_articles = sum(len(self.kb.catalog.articles(law.law_id)) for law, _ in laws)
        state = _State(set(), set(memory.stems if memory else ()), {}, avoid=set(avoid or ()),
                       avoid_sentences=set(memory.sentences if memory else ()),
                       said=set(memory.said if memory else ()), cap=per_article_cap(n_articles, n_items),
                       principle_of=lambda c: self.principles_of(c, scope_ids),
                       avoid_principles=set(memory.principles if memory else ()), one_law=len(laws) == 1,
                       avoid_options=set(memory.options if memory else ()))
        d = _Draft(blueprint, laws, notes, banks, rng, state, owed=[0] * len(banks))
        if blueprint.case and self.llm is not None and blueprint.counts.get(SINGLE, 0):
            from .llm_items import case_items

            d.case = case_items(self, banks, min(blueprint.case, blueprint.counts[SINGLE]), blueprint.seed, state)
            if len(d.case) < blueprint.case:
                notes.append(f"大模型情景题：通过校验 {len(d.case)}/{blueprint.case} 道，其余以规则题补足")
        return d

    def _pick(self, d: "_Draft", kind: str, n: int, quotas: list[int] | None = None,
              had: list[Candidate] = (), final: bool = True) -> list[Candidate]:
        """`final`: False for a batch's earlier turns, which take only what fits every rule within the quotas (a
        turn left short is made up by the next; repeats and a law past its weight only in the last turn)."""
        blueprint, banks, state, rng = d.blueprint, d.banks, d.state, d.rng
        pools = [(law, w, [c for c in bank[kind] if blueprint.organ_blanks or c.kind != "organ"])
                 for law, w, bank in banks]
        got: list[Candidate] = []
        if quotas is None or blueprint.organ_blanks:
            got = select(kind, n, pools, blueprint, state, self._validate, rng, quotas, prior=list(had),
                         most=self._paper_room(d, kind, had, got))
        else:  # first each law up to its quota from articles no other paper of the batch asks, then (below) up to
            # its quota from another sentence of an article another paper asks (parallel items across A/B/C卷 are
            # accepted; one law past its weight is not: C卷 had 16 of 45 纪律处分条例 items, 0 行政诉讼法), and only
            # then past its quota
            got = select(kind, n, pools, blueprint, state, self._validate, rng, quotas, list(quotas),
                         fresh_only=True, prior=list(had))
            have = Counter(c.law.law_id for c in got)
            lack = [max(0, q - have[law.law_id]) for q, (law, _, _) in zip(quotas, banks)]
            if len(got) < n and any(lack) and state.avoid:
                # a later paper of a batch, a law's unasked non-organ items spent: its own organ blanks keep
                # the weights (else 纪律处分条例's graded scenarios took 13-16 of 25 单选)
                organs = [(law, w, [c for c in bank[kind] if c.kind == "organ"]) for law, w, bank in banks]
                got += select(kind, min(n - len(got), sum(lack)), organs, blueprint, state, self._validate,
                              rng, lack, lack, fresh_only=True, prior=list(had) + got)
            # then each law up to its quota from articles the batch's other papers ask too, its organ blanks
            # included, before any law goes past its quota (C卷 got 9 纪律处分条例 blanks beyond its weight)
            for group in (pools, [(law, w, [c for c in bank[kind] if c.kind == "organ"]) for law, w, bank in banks]):
                have = Counter(c.law.law_id for c in got)
                lack = [max(0, q - have[law.law_id]) for q, (law, _, _) in zip(quotas, banks)]
                if len(got) < n and any(lack):
                    got += select(kind, min(n - len(got), sum(lack)), group, blueprint, state, self._validate,
                                  rng, lack, lack, prior=list(had) + got, last_resort=False)
            if not final:
                return got
        # past its quota a law takes at most LAW_SLACK more of a form while another law's organ blanks can fill
        # (纪律处分条例's scenarios never run out)
        cap = None
        if kind in d.quotas:
            mine = Counter(c.law.law_id for c in list(had) + got)
            cap = [q + LAW_SLACK - mine[law.law_id] for q, (law, _, _) in zip(d.quotas[kind][1], banks)]

        def more(group: list, capped: bool = False, loose: bool = False, last: bool = False,
                 whole: float | None = LAW_CAP, answers: bool = True) -> list[Candidate]:
            """`whole`: no law past this many times its share of the paper (None only for a paper short otherwise)."""
            if len(got) >= n:
                return []
            most = self._paper_room(d, kind, had, got, whole) if whole else None
            if capped and cap is not None:
                now = Counter(c.law.law_id for c in got)
                form = [max(0, x + start[law.law_id] - now[law.law_id]) for x, (law, _, _) in zip(cap, banks)]
                most = form if most is None else [min(a, b) for a, b in zip(most, form)]
            state.loose, state.keep_keys = loose, bool(whole) and (loose or last)
            state.keep_answers = state.keep_keys and answers
            try:
                return select(kind, n - len(got), group, blueprint, state, self._validate, rng, most=most,
                              prior=list(had) + got, last_resort=last)
            finally:
                state.loose = state.keep_keys = state.keep_answers = False

        start = Counter(c.law.law_id for c in got)
        organs = [(law, w, [c for c in bank[kind] if c.kind == "organ"]) for law, w, bank in banks]
        every = [(law, w, list(bank[kind])) for law, w, bank in banks]
        if quotas is not None and not blueprint.organ_blanks:
            got += more(pools, capped=True)
        if not blueprint.organ_blanks:  # organ blanks only to fill a shortfall
            got += more(organs, capped=True)
        # then a law past its per-form cap, a repeated option set or frame (loose), the very last pass (an article
        # a third time, a principle twice) — all first within LAW_CAP × the law's share of the paper and never the
        # same key over the same options (C卷 of seed 123: 16 of 45 纪律处分条例 items); past it up to LAW_CEILING,
        # and past that only rather than a paper short
        got += more(every)
        got += more(every, loose=True)
        got += more(every, loose=True, last=True)
        # a key a third time: the batch's last paper before a law past its share; an earlier one only past it, leaving
        # the small laws' last items (人民法院 blanks of 行政诉讼法) to the papers after it
        late = LAW_CAP if d.last_of_batch else LAW_CEILING
        if late == LAW_CAP:
            got += more(every, loose=True, last=True, answers=False)
        got += more(every, whole=LAW_CEILING)
        got += more(every, loose=True, whole=LAW_CEILING)
        got += more(every, loose=True, last=True, whole=LAW_CEILING, answers=late == LAW_CAP)
        got += more(every, loose=True, last=True, whole=None)
        return got

    def _paper_room(self, d: "_Draft", kind: str, had: list[Candidate], got: list[Candidate],
                    factor: float = LAW_CAP) -> list[int] | None:
        """Per law, how many more items the paper may take before the law passes `factor` × its share of the whole
        paper (rounded up; LAW_CEILING adds LAW_SLACK, rounded down); None for a one-law scope."""
        banks = d.banks
        weights = [w for _, w, _ in banks]
        if len(banks) < 2 or sum(weights) <= 0:
            return None
        size = sum(int(v or 0) for v in d.blueprint.counts.values())
        now = Counter(c.law.law_id for k, cands in d.chosen.items() if k != kind for c in cands)
        now.update(c.law.law_id for c in list(had) + list(got))
        def top(share: float) -> int:  # LAW_CAP rounded up; LAW_CEILING (twice and two) never past it
            return math.ceil(factor * share - 1e-9) if factor <= LAW_CAP else math.floor(factor * share + LAW_SLACK)

        return [max(0, top(size * w / sum(weights)) - now[law.law_id]) for w, (law, _, _) in zip(weights, banks)]

    def _pick_kind(self, d: "_Draft", kind: str, part: tuple[int, int] = (0, 1)) -> None:
        """Choose a form's items, or (part r of R, a batch taking turns) the r-th share of them: each share keeps
        the law quotas in proportion, so a paper that chooses later is not left the one law with items to spare."""
        r, rounds = part
        banks = d.banks
        n = int(d.blueprint.counts.get(kind, 0) or 0)
        if kind == SINGLE:
            n -= len(d.case)
        if r == 0:
            base = capped_quotas(n, [w for _, w, _ in banks], [len(bank[kind]) for _, _, bank in banks])
            d.quotas[kind] = (base, owed_quotas(base, d.owed, n))
            d.chosen[kind] = []
        base, full = d.quotas[kind]
        had = d.chosen[kind]
        upto = n if r == rounds - 1 else round(n * (r + 1) / rounds)
        have = Counter(c.law.law_id for c in had)
        quotas = [max(0, q - have[law.law_id]) for q, (law, _, _) in zip(largest_remainder(upto, full), banks)]
        m = max(0, upto - len(had))
        if m and sum(quotas) != m:
            quotas = largest_remainder(m, quotas if sum(quotas) else full)
        got = had + (self._pick(d, kind, m, quotas, had=had, final=r == rounds - 1) if m else [])
        d.chosen[kind] = got
        if r < rounds - 1:
            return
        have = Counter(c.law.law_id for c in got)
        d.owed = [o + b - have[law.law_id] for o, b, (law, _, _) in zip(d.owed, base, banks)]
        if kind == SINGLE:
            d.chosen[kind] = got = d.case + got
            n += len(d.case)
        if len(got) < n:
            d.short[kind] = n - len(got)

    def _fill_short(self, d: "_Draft") -> None:
        """Notes on forms the bank could not fill; for a 100-point paper another form makes them up."""
        for kind, missing in d.short.items():
            if missing > 0 and kind not in d.cut:
                d.notes.append(f"题库不足：{kind} {len(d.chosen[kind])}/{len(d.chosen[kind]) + missing}")
        if d.blueprint.total:  # a 100-point paper: what one form lacks, another makes up
            for kind, missing in d.short.items():
                for other in FALLBACK.get(kind, ()):
                    if missing <= 0 or not d.blueprint.counts.get(other):
                        continue
                    extra = self._pick(d, other, missing, had=d.chosen.get(other, []))  # 判断 even over both
                    d.chosen[other] = d.chosen.get(other, []) + extra
                    missing -= len(extra)
                    if extra:
                        d.notes.append(f"以{len(extra)}道{other}补足{kind}")
            d.blueprint = self._fit_points(d.blueprint, d.chosen, d.notes)

    def _finish(self, d: "_Draft", memory: "BatchMemory | None") -> Paper:
        blueprint, state = d.blueprint, d.state
        items = render_all(d.chosen, blueprint, d.rng)
        total = sum(it.points for it in items)
        pass_mark = blueprint.whole_pass_mark(total)
        paper = Paper(title=blueprint.title, minutes=blueprint.minutes, items=items, pass_mark=pass_mark,
                      seed=blueprint.seed, blueprint=blueprint.to_json(), scope=[law.title for law, _ in d.laws],
                      multi_partial=blueprint.multi_partial, notes=d.notes)
        if memory is not None:
            memory.sentences |= state.sentences
            memory.said |= state.said
            memory.articles |= state.option_articles
            memory.options |= state.options
            memory.principles |= state.principles
            memory.remember(paper)
        return paper

    @staticmethod
    def _fit_points(blueprint: Blueprint, chosen: dict[str, list[Candidate]], notes: list[str]) -> Blueprint:
        """The blueprint with whole points per form that make the chosen items total `blueprint.total` (items kept
        per form trimmed in `chosen` if need be); unchanged when the items already add up or no split exists."""
        have = {k: len(chosen.get(k, [])) for k in TYPES}
        points = {k: float(blueprint.points.get(k, 2)) for k in TYPES}
        if abs(sum(have[k] * points[k] for k in TYPES) - blueprint.total) < 1e-9:
            return blueprint
        plan = fit(have, points, blueprint.total)
        if plan is None:
            notes.append(f"题量不足，无法凑成{blueprint.total:g}分，按实有题量计分")
            return blueprint
        counts, new_points = plan
        for k in TYPES:
            chosen[k] = _trim(chosen.get(k, []), counts[k])
        notes.append("为满分" + f"{blueprint.total:g}分，每题分值调整为：" +
                     "、".join(f"{k}{new_points[k]:g}分" for k in TYPES if counts[k]))
        return Blueprint.from_json({**blueprint.to_json(), "points": new_points})

    # ---- grading and review ---------------------------------------------------------------
    def grade(self, paper: Paper, answers: Any, user: str | None = None,
              partial: str | float | None = None, attempt_id: int | None = None) -> GradeResult:
        """Score answers; with a user, the attempt is recorded (once) and wrong answers go into the 错题本."""
        result = grade(paper, answers, partial)
        if user:
            if self.records is not None:
                self.records.record(user, paper, result, attempt_id=attempt_id)
            else:
                self._book(user).record(paper, result)
        return result

    def record_mistakes(self, user: str, paper: Paper, result: GradeResult) -> Any:
        """Only the 错题本 (the attempt is recorded by the caller, e.g. `ExamDesk`): each item once per article."""
        if self.records is not None:
            return self.records.record_mistakes(user, paper, result)
        return self._book(user).record(paper, result)

    def _book(self, user: str) -> MistakeBook:
        if self.data_dir is None:
            raise XuefaError("未设置用户数据目录，无法使用错题本")
        return MistakeBook(self.data_dir, user)

    def mistakes(self, user: str) -> list[dict[str, Any]]:
        """The user's 错题本: one entry per article still answered wrong more often than right."""
        if self.records is not None:
            return self.records.mistakes(user)
        return self._book(user).entries()

    def practice_from_mistakes(self, user: str, n: int = 10, seed: int = 0,
                               points: dict[str, float] | None = None) -> Paper:
        """A practice paper of fresh items on the articles the user got wrong."""
        entries = self.mistakes(user)
        points = points or {SINGLE: 2, MULTI: 3, JUDGE: 2, FILL: 2}
        with self._lock:
            self._fresh()
            seen = {x["uid"] for e in entries for x in e.get("items", [])}
            per_article: list[list[Candidate]] = []
            for e in entries:
                law = self.kb.catalog.law(e.get("law_id") or "")
                if law is None or law.status not in DEFAULT_STATUSES:
                    law = self.kb.resolve_law(e["law"])
                    if law is None:
                        continue
                    art = self.kb.catalog.article(law.law_id, e["article"], e.get("sub", 0))
                    aid = art.article_id if art else None
                else:
                    aid = e.get("article_id")
                if not aid:  # stable keys (title + article number): find the article in today's version
                    art = self.kb.catalog.article(law.law_id, e["article"], e.get("sub", 0))
                    if art is None:
                        continue
                    aid = art.article_id
                bank = self.bank(law)
                cands = [c for kind in (JUDGE, SINGLE, MULTI, FILL) for c in bank[kind] if aid in c.article_ids]
                rng = random.Random(f"practice|{seed}|{aid}")
                rng.shuffle(cands)
                cands.sort(key=lambda c: c.uid in seen)  # fresh items first
                if cands:
                    per_article.append(cands)
            state = _State(set(), set(), {})
            chosen: dict[str, list[Candidate]] = {t: [] for t in TYPES}
            taken = 0
            while taken < n and any(per_article):  # round-robin over articles, worst first
                for cands in per_article:
                    while cands and taken < n:
                        c = cands.pop(0)
                        if not state.fits(c):
                            continue
                        v = self._validate(c)
                        if v is None:
                            continue
                        state.take(v)
                        chosen[v.type].append(v)
                        taken += 1
                        break
                per_article = [c for c in per_article if c]
            bp = Blueprint(counts={t: len(chosen[t]) for t in TYPES}, points=points, minutes=max(10, 2 * taken),
                           seed=seed, title="错题强化练习", laws={})
            items = render_all(chosen, bp, random.Random(f"practice|{seed}"))
            total = sum(it.points for it in items)
            notes = [] if taken >= n else [f"错题涉及的条文可出题 {taken}/{n} 道"]
            return Paper(title=f"错题强化练习（{user}）", minutes=bp.minutes, items=items,
                         pass_mark=bp.whole_pass_mark(total), seed=seed, blueprint=bp.to_json(),
                         scope=sorted({c.law for it in items for c in it.citations}), notes=notes)
