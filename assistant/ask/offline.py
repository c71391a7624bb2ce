"""The offline composer: an answer in the articles' own words, led by the one 款/项 that answers.

Which articles: the first hit (primary), up to two runners-up (related, folded away in the UI), and 法律责任
articles only when the question has a real consequence cue. Which 款/项: on every multi-paragraph article the
paragraph that carries most of the question's words (and the lexicon's statutory terms for them); a single item
when one clearly stands out. Nothing is shown twice: the lead is the cited unit, the article block below
holds only the article's other paragraphs."""

from __future__ import annotations

import re
from typing import Any

from knowledge.models import DEFAULT_STATUSES, SOURCE_LOCAL, Article, Hit, Law, split_paragraphs
from knowledge.numerals import part_label

from .models import Answer, Citation, Lead, with_intro
from .query import Query
from .support import Support

_BOILERPLATE = re.compile(r"^本(?:法|条例|规定|办法|决定|准则|细则)自.{0,40}施行。?$")
LIABILITY_CHAPTER = re.compile(r"法律责任|罚则|责任追究|违法行为及其适用")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
# a clause that opens a list ends in a colon (full- or half-width; "；" and a stray "、" or private-use mark occur)
_INTRO_END = re.compile(r"[：:；][、\ue000-\uf8ff\s]*$")
_STOP_BIGRAMS = frozenset({"什么", "怎么", "如何", "规定", "可以", "应当", "哪些", "是否", "需要", "的规", "定的", "有关",
                           "相关"})
RELATED_MAX = 2
NEAREST = 3


def bigram_set(s: str) -> set[str]:
    return {r[i:i + 2] for r in _CJK.findall(s) for i in range(len(r) - 1)} - _STOP_BIGRAMS


def choose_unit(question_grams: set[str], terms: tuple[str, ...], article: Article,
                enumerate_asked: bool) -> tuple[int | None, int | None]:
    """The 款 (and maybe 项) of `article` that answers; (None, None) for a one-paragraph article."""
    paras = article.paragraphs
    if not paras:
        return None, None

    def score(text: str) -> int:
        return len(question_grams & bigram_set(text)) + 2 * sum(1 for t in terms if t in text)

    paragraph: int | None = None
    if len(paras) >= 2:
        scored = [score("\n".join((p.text, *p.items))) for p in paras]
        best = max(range(len(paras)), key=lambda i: (scored[i], -i))
        paragraph = best + 1
    para = paras[(paragraph or 1) - 1]
    if para.items and not enumerate_asked:
        s = sorted(((score(it), i + 1) for i, it in enumerate(para.items)), reverse=True)
        if s[0][0] >= 3 and (len(s) == 1 or s[0][0] >= 2 * s[1][0]):
            return paragraph or (1 if len(paras) >= 2 else None), s[0][1]
    return paragraph, None


def lead_text(c: Citation) -> str:
    """The cited unit verbatim; a paragraph that introduces items keeps its items (the list is the answer)."""
    return c.text.strip()


def lead_in(c: Citation) -> str:
    """For a cited 项: the clause that introduces the list (…下列政府信息：), verbatim, or ""; an item alone
    ("（一）涉及重大公共利益的；") does not say what it is a case of. Read from the article's 款 structure, so half-width
    "(二)" items, a half-width ":" or a mistyped "；" after the clause still find it."""
    if not c.item or not c.article_text:
        return ""
    paras = split_paragraphs(c.article_text)
    if c.paragraph:
        para = paras[c.paragraph - 1] if 1 <= c.paragraph <= len(paras) else None
    else:
        para = next((p for p in paras if p.items), None)
    if para is None or not para.items:
        return ""
    intro = para.text.strip()
    return intro if _INTRO_END.search(intro) or "下列" in intro else ""


def lead_sentence(c: Citation) -> str:
    """What the answer opens with: the introducing clause, then the item (both verbatim)."""
    return with_intro(lead_in(c), lead_text(c))


def render(cites: list[Citation], q: Query | None = None) -> str:
    """The offline answer: the lead (cited unit, verbatim, with citation), then each law's articles once."""
    first = cites[0]
    lead = lead_sentence(first)
    sep = "：" if "\n" in lead or first.item else "，"
    parts = [f"依据{first.cite}{sep}{lead}"]
    if first.source == SOURCE_LOCAL:
        parts[0] += f"（{first.law}为{first.level or '地方性文件'}，适用于{first.region or '本地'}）"
    for c in cites[1:]:
        if c.role == "parallel":  # the other instrument's rule on the same conduct, right under the lead
            parts[0] += f"\n{c.aspect}：依据{c.cite}：{lead_sentence(c)}"
    groups: dict[str, list[Citation]] = {}
    for c in cites:
        groups.setdefault(c.law_id, []).append(c)
    for items in groups.values():
        c0 = items[0]
        head = f"【{c0.law}】（{tags(c0)}）"
        if c0.source == SOURCE_LOCAL:
            head += "〔地方性规定〕"
        body = [head]
        for c in items:
            role = {"related": "相关规定", "liability": "法律责任"}.get(c.role)
            if c is first or c.role == "parallel":
                rest = remainder(c)
                if rest:
                    body.append(f"{c.label}（其余各款）　{rest}")
                continue
            label = c.label + part_label(c.paragraph, c.item)
            body.append(f"{label}{'（' + role + '）' if role else ''}　{c.text}")
        if c0.status_note:
            body.append(c0.status_note)
        parts.append("\n".join(body))
    if q is not None and q.consequence and not any(c.role == "liability" for c in cites) and \
            not any(LIABILITY_CHAPTER.search(c.chapter or "") for c in cites):
        parts.append("（知识库中未检索到与此直接对应的法律责任条文。）")
    return "\n\n".join(parts)


def remainder(c: Citation) -> str:
    """The article's text without the cited unit (empty when the whole article is cited)."""
    if not c.article_text or c.text.strip() == c.article_text.strip():
        return ""
    return "\n".join(ln for ln in c.article_text.split("\n") if ln.strip() and ln.strip() not in c.text)


def tags(c: Citation) -> str:
    out = []
    if c.source == SOURCE_LOCAL:
        out.append(f"{c.level or '地方性文件'}，{c.region or '本地'}")
    out.append(c.status)
    if c.effective_date:
        out.append(f"{c.effective_date}施行")
    return "，".join(out)


def clip(s: str, n: int) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[:n] + "……"


# a related article the re-ranker scores this far below the lead, or below the floor, is not shown
RELATED_MARGIN = 2.0
RELATED_FLOOR = -0.5


class OfflineComposer:
    def __init__(self, kb: Any):
        self.kb = kb

    def pick(self, q: Query, hits: list[Hit]) -> list[tuple[Hit, str]]:
        refs = [h for h in hits if "ref" in h.via]
        if refs:
            return [(h, "primary") for h in refs[:5]]
        if q.liability_of:
            return []
        useful = [h for h in hits if not _BOILERPLATE.match(h.article.text)] or hits
        picked = [(useful[0], "primary")]
        for h in useful[1:]:
            if len(picked) > RELATED_MAX:
                break
            if LIABILITY_CHAPTER.search(h.article.chapter or "") and not q.consequence:
                continue  # 法律责任 articles only answer "what happens if"
            if "rerank" in h.via and "rerank" in useful[0].via \
                    and h.score < max(useful[0].score - RELATED_MARGIN, RELATED_FLOOR):
                continue  # the re-ranker thinks little of it: padding (民法典 建设工程合同 under a gift question)
            picked.append((h, "related"))
        return picked

    def unit(self, q: Query, hit: Hit) -> tuple[int | None, int | None]:
        if hit.paragraph or hit.item:
            return hit.paragraph, hit.item
        if "ref" in hit.via:  # 宪法第五条: the whole article was asked for
            return None, None
        terms = self.kb.lexicon.expand_text(q.question).terms
        return choose_unit(bigram_set(q.question), terms, hit.article, "列举" in q.asked_types)

    def liability(self, q: Query, seeds: list[tuple[Law, Article]], exclude: set[str]) -> list[tuple[Law, Article]]:
        """法律责任 articles of the seeds' laws that match the duty's subject."""
        out: list[tuple[Law, Article]] = []
        for law, art in seeds[:2]:
            query = f"违反 {art.text[:80]} {q.question}"
            for h in self.kb.search(query, top_k=12, law=law.law_id, mode="lexical"):
                if h.article.article_id in exclude or not LIABILITY_CHAPTER.search(h.article.chapter or ""):
                    continue
                out.append((h.law, h.article))
                exclude.add(h.article.article_id)
                if len([1 for lw, _ in out if lw.law_id == law.law_id]) >= 2:
                    break
        return out

    def compose(self, q: Query, hits: list[Hit], support: Support) -> Answer:
        cites: list[Citation] = []
        notes: list[str] = []
        picked = self.pick(q, hits)
        for hit, role in picked:
            p, i = self.unit(q, hit) if role == "primary" and not cites else (hit.paragraph, hit.item)
            if (p or i) and hit.article.paragraph_text(p, i) is None:
                notes.append(f"《{hit.law.title}》{hit.article.label}没有{part_label(p, i)}，以下为该条全文。")
            if role == "related" and q.consequence and LIABILITY_CHAPTER.search(hit.article.chapter or ""):
                role = "liability"
            cites.append(Citation.of(hit.law, hit.article, p, i, role=role))
        if cites and picked and "ref" not in picked[0][0].via:  # an article asked for by number is all that is asked
            add_parallel(cites, picked[0][0], hits)
        seen = {c.key for c in cites}
        if q.consequence:
            seeds = q.liability_of or [(h.law, h.article) for h, _ in picked
                                       if not LIABILITY_CHAPTER.search(h.article.chapter or "")]
            exclude = {h.article.article_id for h in hits[:1]} | {a.article_id for _, a in q.liability_of}
            exclude |= {h.article.article_id for h, _ in picked}
            for law, art in self.liability(q, seeds, exclude):
                key = f"{law.law_id}:{art.number}:{art.sub}"
                if key not in seen:
                    cites.append(Citation.of(law, art, role="liability"))
                    seen.add(key)
        if not cites:
            return self.decline(q, hits, support)
        text = render(cites, q)
        if notes:
            text = "\n".join(notes) + "\n\n" + text
        first = cites[0]
        lead = Lead(first.cite, lead_text(first), first.law_id, first.article, first.sub, first.paragraph,
                    first.item, lead_in(first))
        ans = Answer(question=q.question, text=text, citations=cites, supported=True, warnings=notes,
                     resolved_question=q.search if q.search != q.question else None, lead=lead)
        finish(ans, q)
        return ans

    def decline(self, q: Query, hits: list[Hit], support: Support | None, reason: str | None = None) -> Answer:
        from .prompts import prompt

        reason = reason or (support.reason if support else "") or ""
        nearest = [] if support is not None and support.offtopic else \
            [Citation.of(h.law, h.article, role="nearest") for h in hits[:NEAREST] if h.law.status in DEFAULT_STATUSES]
        lines = [prompt("no_support.txt").strip().replace("{reason}", reason)]
        if nearest:
            lines.append("以下是知识库中最接近的条文，仅供参考，不构成对该问题的回答：")
            for c in nearest:
                lines.append(f"· {c.cite}（{tags(c)}）：{clip(c.text, 120)}")
        ans = Answer(question=q.question, text="\n".join(lines), supported=False, nearest=nearest,
                     warnings=[reason] if reason else [], missing=list(support.missing) if support else [],
                     resolved_question=q.search if q.search != q.question else None)
        for lw in q.stale_laws:
            ans.warnings.append(f"《{lw.title}》在知识库中为{lw.status}，不作为现行依据。")
        ans.laws = [q.context_law] if q.context_law else []  # a follow-up still resolves
        return ans


def add_parallel(cites: list[Citation], lead: Hit, hits: list[Hit]) -> None:
    """A cadre's misconduct led by the party rule also cites the 政务处分 rule on the same conduct (and back)."""
    from .parallel import parallel

    found = parallel(lead, cites[0].paragraph, cites[0].item, hits)
    if found is None:
        return
    hit, p, i, label = found
    c = Citation.of(hit.law, hit.article, p, i, role="parallel")
    c.aspect = label
    cites[:] = [cites[0], c] + [x for x in cites[1:] if x.key != c.key]


def finish(ans: Answer, q: Query) -> None:
    """Status warnings, the laws and focus articles a follow-up resolves against."""
    for c in ans.citations:
        if c.status_note and c.status_note not in ans.warnings:
            ans.warnings.append(f"《{c.law}》：{c.status_note}")
    for lw in q.stale_laws:
        ans.warnings.append(f"《{lw.title}》在知识库中为{lw.status}，不作为现行依据。")
    for c in ans.citations:
        if c.law not in ans.laws:
            ans.laws.append(c.law)
    prim = [c for c in ans.citations if c.role != "liability"] or ans.citations
    ans.focus = [{"law": c.law, "law_id": c.law_id, "article": c.article, "sub": c.sub,
                  "paragraph": c.paragraph} for c in prim[:3]]
