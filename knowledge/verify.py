"""Citation verifier: every 《…》第N条第M款第K项 in a text, checked against the knowledge base. No LLM.

For each reference: does the law exist (and is it current), does the article (款, 项) exist, and does the
text presented as a quotation (“…” or 「…」 right after or right before the reference) occur in it?
Statuses: verified / not_found / beyond_end / misquoted / repealed. Usable on any text — an LLM answer,
a draft 规范性文件, an exam explanation."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from .citations import Reference, find_references
from .models import DEFAULT_STATUSES, STATUS_HISTORICAL, Article, Law
from .numerals import article_label, cite_label, int_to_cn, part_label
from .text import normalize_text

VERIFIED = "verified"
NOT_FOUND = "not_found"
BEYOND_END = "beyond_end"
MISQUOTED = "misquoted"
REPEALED = "repealed"
STATUSES = (VERIFIED, NOT_FOUND, BEYOND_END, MISQUOTED, REPEALED)

STATUS_LABELS = {VERIFIED: "已核验", NOT_FOUND: "知识库中未找到", BEYOND_END: "条号超出该法条文范围",
                 MISQUOTED: "引文与原文不符", REPEALED: "已废止或历史版本"}

_QUOTE = re.compile(r"“([^“”]{2,2000})”|「([^「」]{2,2000})」|『([^『』]{2,2000})』")
# What may stand between a reference and the quotation that follows it: 规定：/ 明确规定，/ 指出 …
_GAP_AFTER = re.compile(r"^[\s（）()]*(?:中|里)?(?:也|还|即|亦)?(?:明确|明文|专门)?(?:规定|指出|写道|载明|要求|明确|强调)?"
                        r"(?:了)?[\s，,：:]*$")
_GAP_BEFORE = re.compile(r"^[\s，,。．.；;]*[（(]?\s*(?:见|参见|详见|依据|根据|出自)?\s*$")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.|⋯)+")
_EDGE_PUNCT = ".,;:!?、!?\"'()[]"


@dataclass
class CitationCheck:
    """The verdict on one reference found in a text."""

    status: str
    law: str | None  # the stored full title when resolved, else the name as written
    article: int | None
    sub: int = 0
    paragraph: int | None = None
    item: int | None = None
    quote: str | None = None
    message: str = ""
    raw: str = ""
    start: int = 0
    end: int = 0
    law_id: str | None = None
    law_status: str | None = None
    effective_date: str | None = None
    source: str | None = None
    text: str | None = None  # verbatim stored text of the cited article / 款 / 项 (when it exists)

    @property
    def ok(self) -> bool:
        return self.status == VERIFIED

    @property
    def cite(self) -> str:
        return cite_label(self.law, self.article, self.sub, self.paragraph, self.item)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["cite"] = self.cite
        d["status_label"] = STATUS_LABELS.get(self.status, self.status)
        return d


def quote_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of every “…” / 「…」 quotation."""
    out = []
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        out.append((m.start(), m.end(), inner))
    return out


def attach_quotes(text: str, refs: list[Reference]) -> dict[int, list[str]]:
    """Index of reference -> the quotations presented as its text.

    A quotation belongs to the reference just before it (only 规定：/ 指出，… in between), or else to the
    reference just after it (“…”（《监察法》第十五条）)."""
    out: dict[int, list[str]] = {}
    ordered = sorted(range(len(refs)), key=lambda i: refs[i].start)
    for qs, qe, inner in quote_spans(text):
        owner = None
        before = [i for i in ordered if refs[i].end <= qs]
        if before:
            i = before[-1]
            if _GAP_AFTER.match(text[refs[i].end:qs]):
                owner = i
        if owner is None:
            after = [i for i in ordered if refs[i].start >= qe]
            if after and _GAP_BEFORE.match(text[qe:refs[after[0]].start]):
                owner = after[0]
        if owner is not None:
            out.setdefault(owner, []).append(inner)
    return out


def quote_in(quote: str, source: str) -> bool:
    """Does every fragment of `quote` (split at ……) occur, normalised, in `source`?"""
    src = normalize_text(source)
    frags = [f.strip(_EDGE_PUNCT) for f in _ELLIPSIS.split(normalize_text(quote))]
    frags = [f for f in frags if f]
    return bool(frags) and all(f in src for f in frags)


def _article(kb, law: Law, number: int, sub: int) -> Article | None:
    return kb.catalog.article(law.law_id, number, sub)


def check_reference(kb, ref: Reference, quotes: list[str] | None = None) -> CitationCheck:
    """Verdict on one parsed reference and the quotations attached to it."""
    quotes = quotes or []
    quote = " …… ".join(quotes) if quotes else None
    base = dict(article=ref.article, sub=ref.sub, paragraph=ref.paragraph, item=ref.item, quote=quote,
                raw=ref.raw, start=ref.start, end=ref.end)
    name = ref.law_name or ""
    law = kb.names.resolve(name, current_only=True) if name else None
    stale = None
    if law is None and name:
        stale = kb.names.resolve(name, current_only=False)
    if law is None and stale is None:
        return CitationCheck(NOT_FOUND, law=name or None, message=f"知识库中没有《{name}》，无法核验该引用。", **base)

    def meta(lw: Law) -> dict:
        return dict(law=lw.title, law_id=lw.law_id, law_status=lw.status, effective_date=lw.effective_date,
                    source=lw.source)

    label = article_label(ref.article or 0, ref.sub)
    if stale is not None:  # only a repealed / historical document carries this name
        art = _article(kb, stale, ref.article or 0, ref.sub)
        what = "历史版本" if stale.status == STATUS_HISTORICAL else stale.status
        return CitationCheck(REPEALED, text=art.paragraph_text(ref.paragraph, ref.item) if art else None,
                             message=f"《{stale.title}》在知识库中为{what}，不是现行有效的依据。",
                             **meta(stale), **base)

    art = _article(kb, law, ref.article or 0, ref.sub)
    if art is None:
        last = kb.catalog.max_number(law.law_id)
        if ref.article and last and ref.article > last:
            return CitationCheck(BEYOND_END, message=f"《{law.title}》共{int_to_cn(last)}条，没有{label}。",
                                 **meta(law), **base)
        return CitationCheck(NOT_FOUND, message=f"《{law.title}》中没有{label}。", **meta(law), **base)
    unit = art.paragraph_text(ref.paragraph, ref.item)
    if unit is None:
        part = part_label(ref.paragraph, ref.item)
        return CitationCheck(NOT_FOUND, message=f"《{law.title}》{label}没有{part}。", text=art.text,
                             **meta(law), **base)
    for q in quotes:
        if quote_in(q, unit):
            continue
        # quoting an older version of the same law?
        for old in kb.catalog.laws_by_title(law.title):
            if old.status in DEFAULT_STATUSES:
                continue
            old_art = _article(kb, old, ref.article or 0, ref.sub)
            if old_art is not None and quote_in(q, old_art.text):
                what = "历史版本" if old.status == STATUS_HISTORICAL else old.status
                return CitationCheck(REPEALED, text=unit,
                                     message=f"引文出自《{old.title}》的{what}（{old.effective_date or '日期不详'}），"
                                             f"与现行文本不同。", **meta(law), **base)
        where = "该条其他款项" if quote_in(q, art.text) else None
        msg = f"引文“{q[:40]}{'……' if len(q) > 40 else ''}”不见于《{law.title}》{label}" + \
              (f"所引款项，而见于{where}。" if where else "原文。")
        return CitationCheck(MISQUOTED, message=msg, text=unit, **meta(law), **base)
    msg = "引用与知识库原文一致。" if quotes else "条文存在（未附引文）。"
    if law.status_note:
        msg += law.status_note
    return CitationCheck(VERIFIED, message=msg, text=unit, **meta(law), **base)


def verify_text(kb, text: str, context: str | None = None) -> list[CitationCheck]:
    """Check every article reference in `text`. context: the law that 本法 / a bare 第N条 refers to."""
    text = text or ""
    names = kb.names
    refs = find_references(text, resolve=lambda n: names.resolve(n, current_only=False), context_law=context,
                           include_bare=False)
    refs = [r for r in refs if r.article is not None and r.law_name]
    quotes = attach_quotes(text, refs)
    return [check_reference(kb, r, quotes.get(i)) for i, r in enumerate(refs)]


def summarize(checks: list[CitationCheck]) -> dict[str, int]:
    out = {s: 0 for s in STATUSES}
    for c in checks:
        out[c.status] = out.get(c.status, 0) + 1
    return out


# ---- generated prose against a fixed set of quoted articles (brief 导语, 制度要义) ---------------------------
_QUOTED = re.compile(r"“([^”]{2,})”")
_SENTENCE_END = re.compile(r"(?<=[。！？])")


def check_sentence(kb, sentence: str, allowed) -> bool:
    """True if every citation in `sentence` names an article among `allowed` (objects with law_id, number,
    sub, text), every named law is one of theirs, and every “quotation” occurs verbatim in a cited article
    (or, with no citation, in one of the allowed ones); then the general verifier must pass too."""
    allowed = list(allowed)
    by_key = {(q.law_id, q.number, q.sub): q for q in allowed}
    law_ids = {q.law_id for q in allowed}
    cited = []
    for ref in find_references(sentence, resolve=lambda n: kb.resolve_law(n), include_bare=True):
        if ref.law_name is None or ref.article is None:
            return False
        law = kb.resolve_law(ref.law_name)
        if law is None or law.law_id not in law_ids:
            return False
        q = by_key.get((law.law_id, ref.article, ref.sub))
        if q is None:
            return False
        if ref.paragraph or ref.item:
            art = kb.catalog.article(law.law_id, ref.article, ref.sub)
            if art is None or art.paragraph_text(ref.paragraph, ref.item) is None:
                return False
        cited.append(q)
    for m in re.finditer(r"《([^《》]{2,80})》", sentence):
        law = kb.resolve_law(m.group(1))
        if law is None or law.law_id not in law_ids:
            return False
    for m in _QUOTED.finditer(sentence):
        frag = normalize_text(m.group(1).rstrip("。；"))
        if not any(frag in normalize_text(q.text) for q in (cited or allowed)):
            return False
    return all(c.ok for c in verify_text(kb, sentence))


def verified_sentences(kb, text: str, allowed) -> tuple[list[str], list[str]]:
    """Split prose into sentences; (kept, dropped) by `check_sentence`."""
    allowed = list(allowed)
    kept, dropped = [], []
    for s in _SENTENCE_END.split(" ".join((text or "").split())):
        s = s.strip()
        if s:
            (kept if check_sentence(kb, s, allowed) else dropped).append(s)
    return kept, dropped
