"""Questions in plain Chinese -> answers grounded in stored articles, each citation carrying its verbatim text.

The chain (LCEL): resolve follow-ups against the previous turn -> retrieve (`kb.retriever`) -> judge support
-> compose (offline: the articles' own words; LLM: numbered articles as data, streamed) -> verify.
Nothing is ever cited that is not a stored article; an LLM citation that fails verification is flagged, and an
answer left without verified support becomes the "知识库中未找到明确依据" reply with the nearest articles."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from knowledge.citations import find_references
from knowledge.models import DEFAULT_STATUSES, SOURCE_LOCAL, Article, Hit, Law
from knowledge.numerals import CN_NUM_CHARS, article_label, part_label
from knowledge.verify import STATUS_LABELS, VERIFIED, CitationCheck, verify_text

log = logging.getLogger(__name__)

PROMPTS = Path(__file__).parent / "prompts"
NO_SUPPORT = "知识库中未找到明确依据"
TOP_K = 8

# Question asks what happens when a duty is breached.
_CONSEQUENCE = re.compile(r"违反|违背|不遵守|不履行|后果|会怎样|会怎么样|怎么处理|如何处理|怎么处罚|如何处罚|怎么罚|罚多少|"
                          r"受到什么|给予什么|法律责任|承担什么|追究|处分|处罚")
_BOILERPLATE = re.compile(r"^本(?:法|条例|规定|办法|决定|准则|细则)自.{0,40}施行。?$")
_LIABILITY_CHAPTER = re.compile(r"法律责任|罚则|责任追究|违法行为及其适用")
_FOLLOWUP = re.compile(r"^(?:那|那么|那如果|如果|这|该|它|此|上述|这个|这条|那条|这种|还有|另外|再)|呢\s*[？?]?\s*$")
_PARA_ONLY = re.compile(r"第\s*([一二三四五六七八九十\d]+)\s*(款|项)")
_COUNTRIES = ("美国|英国|法国|德国|日本|韩国|朝鲜|俄罗斯|欧盟|欧洲|新加坡|澳大利亚|加拿大|印度|意大利|西班牙|瑞士|瑞典|荷兰|"
              "泰国|越南|马来西亚|新西兰|巴西|墨西哥|南非|埃及|以色列|伊朗|土耳其|香港|澳门|台湾")
# The knowledge base holds mainland Chinese law: a question about another jurisdiction's law is not supported.
_FOREIGN = re.compile(rf"(?:{_COUNTRIES})|(?:外国|国外|西方|联合国|国际)[^，。？?！!]{{0,8}}?(?:宪法|基本法|法典|法|条例|公约|修正案)")
_NAMECH = r"(?:(?![的了吗呢么能否是对在和与及或将把被给向从就都也还要会可应该该这那其])[\u4e00-\u9fff])"
_NAME_RUN = re.compile(r"[\u4e00-\u9fff]{2,30}?(?:法典|法|条例|规定|办法|细则|准则)")
_REGION_NAME = re.compile(rf"(?:某某|某|{_NAMECH}{{2,6}}?)(?:省|市|县|自治区|经济特区|特别行政区)"
                          rf"{_NAMECH}{{2,24}}?(?:条例|规定|办法|细则)")
_NAMED_ARTICLE = re.compile(rf"(?P<name>{_NAMECH}{{2,20}}?(?:法典|法|条例|规定|办法|细则|准则))\s*第\s*[{CN_NUM_CHARS}\d]+\s*条")
_LEAD = re.compile(r"^(?:根据|依据|依照|按照|违反|参照|适用|对照|关于|按|依|据|照|由|在|对|了|和|与|及|或|我国|国家|现行|新|咱们|我们)+")
_STOP_Q = frozenset("怎么 怎样 如何 什么 哪些 哪个 哪里 哪儿 是否 能否 能不能 可不可以 可以 应当 应该 需要 规定 法律 法规 条文 "
                    "问题 情况 时候 东西 这样 那样 这个 那个 一下 一般 有关 相关 关于 根据 按照 依据 我们 你们 他们 自己 现在 "
                    "今天 明天 知道 告诉 介绍 讲讲 说说 具体 内容 要求 多少 多久 几个 还是 或者 以及 为什么 对于 一个 会不会 "
                    "有没有 是不是 要不要 谁 吗 呢 吧 啊 的 了 是 有 在 和 与 及 就 都 也 还 我 你 他 她 它 请问 帮 帮我".split())


def _prompt(name: str) -> str:
    return (PROMPTS / name).read_text(encoding="utf-8")


# ---- data ---------------------------------------------------------------------------------------
@dataclass
class Citation:
    """One cited article (or 款/项) with its verbatim stored text. Citations are data, never free text."""

    law: str
    law_id: str
    article: int
    sub: int
    label: str
    paragraph: int | None
    item: int | None
    status: str
    effective_date: str | None
    text: str  # verbatim stored text of exactly what is cited
    source: str  # national / local
    level: str | None = None
    region: str | None = None
    status_note: str | None = None
    chapter: str | None = None
    verification: str = VERIFIED
    role: str = "primary"  # primary / related / liability / nearest

    @property
    def cite(self) -> str:
        return f"《{self.law}》{self.label}{part_label(self.paragraph, self.item)}"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["cite"] = self.cite
        return d

    @classmethod
    def of(cls, law: Law, article: Article, paragraph: int | None = None, item: int | None = None,
           role: str = "primary", verification: str = VERIFIED) -> "Citation":
        text = article.paragraph_text(paragraph, item)
        if text is None:  # never cite what does not exist: fall back to the whole article
            paragraph, item, text = None, None, article.text
        return cls(law=law.title, law_id=law.law_id, article=article.number, sub=article.sub, label=article.label,
                   paragraph=paragraph, item=item, status=law.status, effective_date=law.effective_date,
                   text=text, source=law.source, level=law.level, region=law.region,
                   status_note=law.status_note, chapter=article.chapter, verification=verification, role=role)


@dataclass
class Answer:
    """A structured answer. `laws`/`focus` keep this turn's laws and articles so follow-ups resolve."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    supported: bool = False
    warnings: list[str] = field(default_factory=list)
    nearest: list[Citation] = field(default_factory=list)
    checks: list[CitationCheck] = field(default_factory=list)
    mode: str = "offline"
    resolved_question: str | None = None
    laws: list[str] = field(default_factory=list)
    focus: list[dict] = field(default_factory=list)  # [{law, law_id, article, sub, paragraph}]

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "resolved_question": self.resolved_question,
            "text": self.text,
            "supported": self.supported,
            "mode": self.mode,
            "citations": [c.to_json() for c in self.citations],
            "warnings": list(self.warnings),
            "nearest": [c.to_json() for c in self.nearest],
            "checks": [c.to_json() for c in self.checks],
            "laws": list(self.laws),
            "focus": list(self.focus),
        }


@dataclass
class Query:
    """A question after follow-up resolution."""

    question: str
    search: str  # what is sent to the retriever
    law: str | None = None  # restrict to this law (the --law option)
    context_law: str | None = None  # 本法 / bare 第N条 / 第二款 refer to this law
    consequence: bool = False
    liability_of: list[tuple[Law, Article]] = field(default_factory=list)  # "违反了会怎样" after a duty
    unknown_laws: list[str] = field(default_factory=list)
    stale_laws: list[Law] = field(default_factory=list)
    named: list[Law] = field(default_factory=list)


# ---- the answerer -------------------------------------------------------------------------------
class Answerer:
    """Answer questions from the knowledge base; `llm` is a LangChain chat model or None (offline)."""

    def __init__(self, kb, llm=None, top_k: int = TOP_K):
        self.kb = kb
        self.llm = llm
        self.top_k = top_k
        self._prepare = None
        self._llm_chain = None

    # -- chains --
    @property
    def prepare(self):
        """LCEL: {question, history, law} -> + query -> + hits -> + support."""
        if self._prepare is None:
            from langchain_core.runnables import RunnableLambda, RunnablePassthrough

            self._prepare = (RunnablePassthrough.assign(query=RunnableLambda(self._resolve))
                             | RunnablePassthrough.assign(hits=RunnableLambda(self._retrieve))
                             | RunnablePassthrough.assign(support=RunnableLambda(self._support)))
        return self._prepare

    @property
    def llm_chain(self):
        """LCEL: {history, context, question} -> prompt -> llm -> str."""
        if self._llm_chain is None:
            from langchain_core.output_parsers import StrOutputParser
            from langchain_core.prompts import ChatPromptTemplate

            prompt = ChatPromptTemplate.from_messages([("system", _prompt("qa_system.txt")),
                                                       ("human", _prompt("qa_user.txt"))])
            self._llm_chain = prompt | self.llm | StrOutputParser()
        return self._llm_chain

    # -- public API --
    def answer(self, question: str, history: list | None = None, law: str | None = None) -> Answer:
        final = None
        for part in self.stream(question, history=history, law=law):
            if isinstance(part, Answer):
                final = part
        assert final is not None
        return final

    def stream(self, question: str, history: list | None = None, law: str | None = None) -> Iterator[str | Answer]:
        """Text chunks, then the final `Answer` (whose text may differ: flags added by the verifier)."""
        question = (question or "").strip()
        state = self.prepare.invoke({"question": question, "history": history or [], "law": law})
        if not state["support"]["supported"] or self.llm is None:
            ans = self._compose_offline(state) if state["support"]["supported"] else self._no_support(state)
            yield ans.text
            yield ans
            return
        chunks: list[str] = []
        try:
            for chunk in self.llm_chain.stream(self._llm_inputs(state)):
                if chunk:
                    chunks.append(chunk)
                    yield chunk
        except Exception as exc:  # endpoint down: fall back to the offline composer, say so
            log.warning("大模型调用失败，改用离线作答：%s", exc)
            ans = self._compose_offline(state)
            ans.warnings.insert(0, f"大模型调用失败（{exc.__class__.__name__}），以下为离线作答。")
            yield "\n" + ans.text
            yield ans
            return
        yield self._finish_llm(state, "".join(chunks))

    # -- 1. follow-ups --
    def _history_context(self, history: list) -> tuple[list[dict], list[str]]:
        """The previous turn's focus articles and laws."""
        for turn in reversed(history or []):
            if isinstance(turn, Answer):
                if turn.focus or turn.laws:
                    return turn.focus, turn.laws
                continue
            content = turn.get("content") if isinstance(turn, dict) else getattr(turn, "content", None)
            if not isinstance(content, str) or not content:
                continue
            focus, laws = [], []
            names = self.kb.names
            for ref in find_references(content, resolve=lambda n: names.resolve(n)):
                lw = names.resolve(ref.law_name) if ref.law_name else None
                if lw is not None and ref.article:
                    focus.append({"law": lw.title, "law_id": lw.law_id, "article": ref.article, "sub": ref.sub,
                                  "paragraph": ref.paragraph})
                    if lw.title not in laws:
                        laws.append(lw.title)
            for lw, _ in names.detect(content):
                if lw.title not in laws:
                    laws.append(lw.title)
            if focus or laws:
                return focus, laws
        return [], []

    def _named_laws(self, question: str) -> tuple[list[Law], list[str], list[Law]]:
        """Laws the question names: known, unknown (not in the knowledge base), only repealed/historical."""
        names = self.kb.names
        known: list[Law] = []
        unknown: list[str] = []
        stale: list[Law] = []

        def judge(name: str) -> None:
            lw = names.resolve(name)
            if lw is not None:
                known.append(lw)
                return
            old = names.resolve(name, current_only=False)
            if old is not None:
                stale.append(old)
            else:
                unknown.append(name)

        for m in re.finditer(r"《([^《》]{2,60})》", question):
            judge(m.group(1))
        bare = re.sub(r"《[^《》]*》", "，", question)
        for m in _FOREIGN.finditer(bare):
            unknown.append(m.group(0))
        bare = _FOREIGN.sub("，", bare)
        for m in _REGION_NAME.finditer(bare):
            name = _LEAD.sub("", m.group(0))
            if names.resolve(name, current_only=False) is None and not any(
                    names.resolve(name[i:], current_only=False) is not None and len(name) - i >= 6
                    for i in range(len(name))):
                unknown.append(name)
        for m in _NAME_RUN.finditer(bare):
            run = m.group(0)
            if not run.endswith(("条例", "办法", "细则", "准则")):
                continue
            name = _LEAD.sub("", run)
            if len(name) < 4 or any(name in u or u in name for u in unknown):
                continue
            ok = any(names.resolve(name[i:], current_only=False) is not None for i in range(0, len(name) - 3))
            if not ok:
                unknown.append(name)
        # 某某法第N条 whose law no stored document answers to
        covered = [(r.start, r.end) for r in find_references(bare, resolve=lambda n: names.resolve(n, False))]
        for m in _NAMED_ARTICLE.finditer(bare):
            if not any(a < m.end() and m.start() < b for a, b in covered):
                name = _LEAD.sub("", m.group("name"))
                if len(name) >= 2 and not any(name in u or u in name for u in unknown):
                    unknown.append(name)
        stale_runs: list[str] = []
        for m in _NAME_RUN.finditer(bare):  # 行政监察法: the longest name that resolves is only a repealed one
            name = _LEAD.sub("", m.group(0))
            for i in range(0, max(0, len(name) - 2)):
                if names.resolve(name[i:]) is not None:
                    break
                old = names.resolve(name[i:], current_only=False)
                if old is not None:
                    if old not in stale:
                        stale.append(old)
                    stale_runs.append(name[i:])
                    break
        for lw, alias in names.detect(bare):
            if lw not in known and not any(alias in run for run in stale_runs):
                known.append(lw)
        return known, unknown, stale

    def _resolve(self, state: dict) -> Query:
        question: str = state["question"]
        law = state.get("law")
        focus, prev_laws = self._history_context(state.get("history") or [])
        known, unknown, stale = self._named_laws(question)
        prev_law = prev_laws[0] if prev_laws else None
        if law:
            lw = self.kb.resolve_law(law)
            if lw is None:
                unknown.append(law)
            prev_law = lw.title if lw else prev_law
        q = Query(question=question, search=question, law=law, context_law=prev_law,
                  consequence=bool(_CONSEQUENCE.search(question)), unknown_laws=unknown, stale_laws=stale,
                  named=known)
        names = self.kb.names
        refs = find_references(question, resolve=lambda n: names.resolve(n))
        has_article = bool(re.search(r"第\s*[一二三四五六七八九十百千\d]+\s*条", question))
        if not (focus or prev_laws) or known or refs:
            return q
        # a follow-up: only 第二款 / 第三项 named -> same article
        m = _PARA_ONLY.search(question)
        if m and not has_article and focus:
            f = focus[0]
            lab = article_label(f["article"], f.get("sub") or 0)
            q.search = f"《{f['law']}》{lab}{question[m.start():m.end()]}"
            q.context_law = f["law"]
            return q
        if has_article:  # 第十六条呢 -> same law
            q.context_law = prev_law
            return q
        if q.consequence and focus and len(question) <= 20:  # 违反了会怎样 -> liability of the same duty
            for f in focus[:2]:
                lw = self.kb.catalog.law(f["law_id"])
                art = self.kb.catalog.article(f["law_id"], f["article"], f.get("sub") or 0)
                if lw and art:
                    q.liability_of.append((lw, art))
            q.search = f"{question} {q.liability_of[0][1].text[:60]}" if q.liability_of else question
            q.law = q.law or prev_law
            return q
        if _FOLLOWUP.search(question) or len(question) <= 12:  # 那需要什么程序？ -> the same law in view
            from knowledge.lawnames import strip_title

            q.search = f"{strip_title(prev_law)} {question}" if prev_law else question
        return q

    # -- 2. retrieval --
    def _retrieve(self, state: dict) -> list[Hit]:
        q: Query = state["query"]
        opts: dict[str, Any] = {"top_k": self.top_k}
        if q.law:
            opts["law"] = q.law
        if q.context_law:
            opts["context_law"] = q.context_law
        docs = self.kb.retriever.invoke(q.search, **opts)
        return [h for h in (self._hit(d) for d in docs) if h is not None]

    def _hit(self, doc) -> Hit | None:
        meta = doc.metadata
        law = self.kb.catalog.law(meta["law_id"])
        art = self.kb.catalog.article_by_id(meta["article_id"])
        if law is None or art is None:
            return None
        return Hit(art, law, score=float(meta.get("score", 0.0)), via=tuple(meta.get("via") or ()),
                   paragraph=meta.get("paragraph"), item=meta.get("item"))

    # -- 3. support --
    @staticmethod
    def content_words(text: str) -> list[str]:
        from knowledge.lexical import _jieba

        words = []
        for w in _jieba().lcut(text):
            if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+|[A-Za-z][A-Za-z+#]+", w) and w not in _STOP_Q \
                    and w not in words:
                words.append(w)
        return words

    def _support(self, state: dict) -> dict:
        """Decide from retrieval evidence whether the knowledge base can answer."""
        q: Query = state["query"]
        hits: list[Hit] = state["hits"]
        out = {"supported": False, "reason": "", "overlap": 0.0, "score": 0.0, "ref": False}
        if q.unknown_laws and not any(h.via == ("ref",) for h in hits):
            out["reason"] = f"知识库中没有{'、'.join('《' + u.strip('《》') + '》' for u in q.unknown_laws[:3])}。"
            return out
        if q.stale_laws and not q.named and not (q.law or q.context_law):
            lw = q.stale_laws[0]
            out["reason"] = f"《{lw.title}》在知识库中为{lw.status}，不再作为现行依据。"
            return out
        if not hits:
            out["reason"] = "没有检索到相关条文。"
            return out
        if "ref" in hits[0].via or q.liability_of:
            out.update(supported=True, ref=True)
            return out
        words = self.content_words(q.question)
        top = hits[:3]
        hay = "".join(f"{h.law.title}{h.article.chapter or ''}{h.article.text}" for h in top)
        matched = [w for w in words if w in hay or _partial(w, hay)]
        # colloquial words count when the legal terms they stand for (knowledge.synonyms) are in the hits
        from knowledge.synonyms import EXPANSIONS

        for triggers, terms in EXPANSIONS:
            hit_t = [t for t in triggers if t in q.question]
            if hit_t and any(t in hay for t in terms.split()):
                for w in words:
                    if w not in matched and any(t in w or w in t for t in hit_t):
                        matched.append(w)
        overlap = len(matched) / len(words) if words else 0.0
        sim = self._dense_similarity(q.question, hits[:SIM_HITS])
        out.update(overlap=round(overlap, 3), score=round(hits[0].score, 5), dense=round(sim, 3), words=words,
                   matched=matched)
        named_hit = bool(q.named) and any(h.law.law_id in {lw.law_id for lw in q.named} for h in top)
        m = len(matched)
        if named_hit or sim >= SUPPORT_DENSE or (sim >= SUPPORT_DENSE_MID and m >= 2) or (
                sim >= SUPPORT_DENSE_LOW and m >= SUPPORT_MATCHED and overlap >= SUPPORT_OVERLAP):
            out["supported"] = True
        else:
            out["reason"] = "问题与知识库中的条文关联不明显。"
        return out

    def _dense_similarity(self, question: str, hits: list[Hit]) -> float:
        """Best cosine similarity of the question to the top hits, with the vectors the index stores."""
        import numpy as np

        if not hits:
            return 0.0
        try:
            qv = np.asarray(self.kb.embed_query(question), dtype=np.float32)
            stored = self.kb.vectors.vectors([h.article.article_id for h in hits])
            if not stored:
                return 0.0
            dv = np.asarray(list(stored.values()), dtype=np.float32)
        except Exception:  # noqa: BLE001 - the refusal check falls back to lexical signals
            log.warning("向量计算失败，拒答判断只用词法信号", exc_info=True)
            return 0.0
        qv /= np.linalg.norm(qv) or 1.0
        dv /= np.linalg.norm(dv, axis=1, keepdims=True).clip(1e-9)
        return float((dv @ qv).max())

    # -- 4a. offline composer --
    def _pick(self, q: Query, hits: list[Hit]) -> list[tuple[Hit, str]]:
        """Which hits to cite, with their role."""
        refs = [h for h in hits if "ref" in h.via]
        if refs:
            return [(h, "primary") for h in refs[:5]]
        if q.liability_of:
            return []
        useful = [h for h in hits if not _BOILERPLATE.match(h.article.text)] or hits
        picked = [(useful[0], "primary")]
        top = useful[0].score
        for h in useful[1:RELATED_MAX + 1]:
            if h.score >= RELATED_RATIO * top:
                picked.append((h, "related"))
        return picked

    def _unit(self, q: Query, hit: Hit) -> tuple[int | None, int | None]:
        """The 款/项 to cite: the one asked for, or the one that carries the question's words in a long article."""
        if hit.paragraph or hit.item:
            return hit.paragraph, hit.item
        paras = hit.article.paragraphs
        if len(paras) < 2 or len(hit.article.text) < LONG_ARTICLE:
            return None, None
        grams = _bigrams(q.question)
        scored = sorted(((len(grams & _bigrams("\n".join((p.text, *p.items)))), i + 1) for i, p in enumerate(paras)),
                        reverse=True)
        if scored[0][0] >= 3 and scored[0][0] >= 2 * scored[1][0]:
            return scored[0][1], None
        return None, None

    def _liability(self, q: Query, seeds: list[tuple[Law, Article]], exclude: set[str]) -> list[tuple[Law, Article]]:
        """法律责任 articles of the seeds' laws that match the duty's subject."""
        out: list[tuple[Law, Article]] = []
        for law, art in seeds[:2]:
            query = f"违反 {art.text[:80]} {q.question}"
            for h in self.kb.search(query, top_k=12, law=law.law_id, mode="lexical"):
                if h.article.article_id in exclude or not _LIABILITY_CHAPTER.search(h.article.chapter or ""):
                    continue
                out.append((h.law, h.article))
                exclude.add(h.article.article_id)
                if len([1 for lw, _ in out if lw.law_id == law.law_id]) >= 2:
                    break
        return out

    def _compose_offline(self, state: dict) -> Answer:
        q: Query = state["query"]
        hits: list[Hit] = state["hits"]
        cites: list[Citation] = []
        missing: list[str] = []
        for hit, role in self._pick(q, hits):
            p, i = self._unit(q, hit)
            if (p or i) and hit.article.paragraph_text(p, i) is None:
                part = part_label(p, i)
                missing.append(f"《{hit.law.title}》{hit.article.label}没有{part}，以下为该条全文。")
            if role == "related" and q.consequence and _LIABILITY_CHAPTER.search(hit.article.chapter or ""):
                role = "liability"
            cites.append(Citation.of(hit.law, hit.article, p, i, role=role))
        seen = {f"{c.law_id}:{c.article}:{c.sub}" for c in cites}
        if q.consequence:
            seeds = q.liability_of or [(h.law, h.article) for h, _ in self._pick(q, hits)
                                       if not _LIABILITY_CHAPTER.search(h.article.chapter or "")]
            exclude = {h.article.article_id for h in hits[:1]} | {
                f"{a.law_id}:{a.ordinal}" for _, a in q.liability_of}
            exclude |= {a.article_id for h, _ in self._pick(q, hits) for a in [h.article]}
            for law, art in self._liability(q, seeds, exclude):
                if f"{law.law_id}:{art.number}:{art.sub}" not in seen:
                    cites.append(Citation.of(law, art, role="liability"))
                    seen.add(f"{law.law_id}:{art.number}:{art.sub}")
        if not cites:
            return self._no_support(state)
        text = render(cites, q)
        if missing:
            text = "\n".join(missing) + "\n\n" + text
        ans = Answer(question=q.question, text=text, citations=cites, supported=True, warnings=missing,
                     resolved_question=q.search if q.search != q.question else None)
        self._finish(ans, q)
        return ans

    # -- 4b. LLM composer --
    def _llm_inputs(self, state: dict) -> dict[str, str]:
        q: Query = state["query"]
        blocks = []
        for n, h in enumerate(state["hits"], start=1):
            tags = [h.law.level or "", h.law.status]
            if h.law.source == SOURCE_LOCAL:
                tags.append(f"地方性文件，适用于{h.law.region or '本地'}")
            if h.law.effective_date:
                tags.append(f"{h.law.effective_date}施行")
            blocks.append(f"[{n}] 《{h.law.title}》{h.article.label}（{'，'.join(t for t in tags if t)}）\n"
                          f"{h.article.text}")
        history = ""
        hist = state.get("history") or []
        if hist:
            last = hist[-1]
            prev = last.text if isinstance(last, Answer) else (last.get("content") if isinstance(last, dict) else "")
            if prev:
                history = f"上一轮对话（供理解追问）：\n{prev[:400]}\n\n"
        return {"history": history, "context": "\n\n".join(blocks), "question": q.search}

    def _finish_llm(self, state: dict, text: str) -> Answer:
        q: Query = state["query"]
        context = q.context_law or (state["hits"][0].law.title if state["hits"] else None)
        checks = verify_text(self.kb, text, context=context)
        flagged = text
        for c in sorted((c for c in checks if not c.ok), key=lambda c: -c.end):
            flagged = flagged[:c.end] + f"〔核验：{STATUS_LABELS[c.status]}〕" + flagged[c.end:]
        cites: list[Citation] = []
        seen: set[tuple] = set()
        for c in checks:
            if not c.ok:
                continue
            key = (c.law_id, c.article, c.sub, c.paragraph, c.item)
            if key in seen:
                continue
            seen.add(key)
            law = self.kb.catalog.law(c.law_id)
            art = self.kb.catalog.article(c.law_id, c.article, c.sub)
            if law and art:
                cites.append(Citation.of(law, art, c.paragraph, c.item))
        warnings = [f"{c.raw or c.cite}：{c.message}" for c in checks if not c.ok]
        if not cites:
            ans = self._no_support(state, reason="大模型的回答没有可核验的法条依据。")
            ans.mode = "llm"
            ans.checks = checks
            ans.warnings = warnings + ans.warnings
            return ans
        if warnings:
            flagged += "\n\n【引用核验】以下引用未通过核验，请勿采信：\n" + "\n".join("- " + w for w in warnings)
        ans = Answer(question=q.question, text=flagged, citations=cites, supported=True, warnings=warnings,
                     checks=checks, mode="llm", resolved_question=q.search if q.search != q.question else None)
        self._finish(ans, q)
        return ans

    # -- shared --
    def _finish(self, ans: Answer, q: Query) -> None:
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

    def _no_support(self, state: dict, reason: str | None = None) -> Answer:
        q: Query = state["query"]
        reason = reason or state.get("support", {}).get("reason") or ""
        nearest = [Citation.of(h.law, h.article, role="nearest") for h in state["hits"][:NEAREST]
                   if h.law.status in DEFAULT_STATUSES]
        lines = [_prompt("no_support.txt").strip().replace("{reason}", reason)]
        if nearest:
            lines.append("以下是知识库中最接近的条文，仅供参考，不构成对该问题的回答：")
            for c in nearest:
                lines.append(f"· {c.cite}（{_tags(c)}）：{_clip(c.text, 120)}")
        ans = Answer(question=q.question, text="\n".join(lines), supported=False, nearest=nearest,
                     warnings=[reason] if reason else [],
                     resolved_question=q.search if q.search != q.question else None)
        for lw in q.stale_laws:
            ans.warnings.append(f"《{lw.title}》在知识库中为{lw.status}，不作为现行依据。")
        # keep the conversation's laws so that a follow-up still resolves
        ans.laws = [q.context_law] if q.context_law else []
        return ans


# ---- tuning (benchmarks/answers.py on devset vs offtopic) ----------------------------------------
# Tuned on benchmarks/devset.jsonl vs offtopic.txt over the full national index + ../shared local regulations.
SIM_HITS = 5
SUPPORT_DENSE = 0.38  # similarity to the top hits that alone shows the question is on topic
SUPPORT_DENSE_MID = 0.30  # ... or this much with two of the question's content words found in the top hits
SUPPORT_DENSE_LOW = 0.20  # ... or this much with three words, covering this share of the question's words:
SUPPORT_MATCHED = 3
SUPPORT_OVERLAP = 0.4
RELATED_RATIO = 0.75  # with RRF k=10 this keeps runners-up within about three places of the top hit
RELATED_MAX = 3
LONG_ARTICLE = 240
NEAREST = 3


def _partial(word: str, hay: str) -> bool:
    """A 3+ character word counts when one of its 2-character halves occurs (jieba joins freely)."""
    return len(word) >= 3 and (word[:2] in hay or word[-2:] in hay)


def _bigrams(s: str) -> set[str]:
    runs = re.findall(r"[\u4e00-\u9fff]+", s)
    return {r[i:i + 2] for r in runs for i in range(len(r) - 1)} - _STOP_BIGRAMS


_STOP_BIGRAMS = {"什么", "怎么", "如何", "规定", "可以", "应当", "哪些", "是否", "需要", "的规", "定的", "有关", "相关"}


def _clip(s: str, n: int) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[:n] + "……"


def _tags(c: Citation) -> str:
    tags = []
    if c.source == SOURCE_LOCAL:
        tags.append(f"{c.level or '地方性文件'}，{c.region or '本地'}")
    tags.append(c.status)
    if c.effective_date:
        tags.append(f"{c.effective_date}施行")
    return "，".join(tags)


def _lead(c: Citation) -> str:
    """The rule in the article's own words: the cited unit's first line (the rest follows below)."""
    lines = [ln.strip() for ln in c.text.split("\n") if ln.strip()]
    first = lines[0] if lines else ""
    if len(first) > 160 and "。" in first[:160]:
        first = first[:first.index("。") + 1]
    if first.endswith(("：", ":")) and len(lines) > 1:
        first += "……"
    return first


def render(cites: list[Citation], q: Query | None = None) -> str:
    """The offline answer: a first sentence in the article's own words, then the articles grouped by law."""
    first = cites[0]
    intro = f"依据{first.cite}，{_lead(first)}"
    if first.item:
        intro = f"依据{first.cite}：{_lead(first)}"
    parts = [intro]
    if first.source == SOURCE_LOCAL:
        parts[0] += f"（{first.law}为{first.level or '地方性文件'}，适用于{first.region or '本地'}）"
    groups: dict[str, list[Citation]] = {}
    for c in cites:
        groups.setdefault(c.law_id, []).append(c)
    for law_id, items in groups.items():
        c0 = items[0]
        head = f"【{c0.law}】（{_tags(c0)}）"
        if c0.source == SOURCE_LOCAL:
            head += "〔地方性规定〕"
        body = [head]
        for c in items:
            role = {"related": "相关规定", "liability": "法律责任"}.get(c.role)
            label = c.label + part_label(c.paragraph, c.item)
            body.append(f"{label}{'（' + role + '）' if role else ''}　{c.text}")
        if c0.status_note:
            body.append(c0.status_note)
        parts.append("\n".join(body))
    if q is not None and q.consequence and not any(c.role == "liability" for c in cites) and \
            not any(_LIABILITY_CHAPTER.search(c.chapter or "") for c in cites):
        parts.append("（知识库中未检索到与此直接对应的法律责任条文。）")
    return "\n\n".join(parts)
