"""The LLM path (optional endpoint): reword the question into statutory terms before retrieval, re-rank the top
candidates, and compose an answer whose every citation is verified against the stored articles.

Each step degrades to the offline behaviour when the model fails or answers nonsense: a rewrite that is empty or
long is ignored, a re-ranking that names no valid candidate keeps the retriever's order, and an answer without one
verifiable citation becomes the no-support reply."""

from __future__ import annotations

import logging
import re
from typing import Any

from knowledge.models import SOURCE_LOCAL, Hit
from knowledge.verify import STATUS_LABELS, verify_text

from .models import Answer, Citation, Lead
from .offline import OfflineComposer, finish, lead_in
from .prompts import prompt
from .query import Query

log = logging.getLogger(__name__)
RERANK_TOP = 8
MAX_REWRITE = 120


class LLMComposer:
    def __init__(self, kb: Any, llm: Any, offline: OfflineComposer, rewrite: bool = True, rerank: bool = True):
        self.kb = kb
        self.llm = llm
        self.offline = offline
        self.use_rewrite = rewrite
        self.use_rerank = rerank
        self._chain = None

    # -- before retrieval --
    def rewrite(self, q: Query) -> Query:
        """Add the question in statutory words to the search text (the question's own words stay)."""
        if not self.use_rewrite or q.refs:
            return q
        try:
            out = self.llm.invoke(prompt("rewrite.txt").replace("{question}", q.question))
            text = str(getattr(out, "content", out)).strip().splitlines()[0].strip() if out else ""
        except Exception as exc:  # noqa: BLE001 - retrieval goes on with the question as asked
            log.warning("大模型改写问题失败：%s", exc)
            return q
        if text and len(text) <= MAX_REWRITE and text != q.question:
            q.rewritten = text
            q.search = f"{q.search} {text}"
        return q

    # -- after retrieval --
    def rerank(self, q: Query, hits: list[Hit]) -> list[Hit]:
        """The model's order for the top candidates; the rest keep their places after them."""
        if not self.use_rerank or len(hits) < 2 or "ref" in hits[0].via:
            return hits
        top = hits[:RERANK_TOP]
        blocks = "\n\n".join(f"[{n}] 《{h.law.title}》{h.article.label}\n{h.article.text[:300]}"
                             for n, h in enumerate(top, start=1))
        try:
            out = self.llm.invoke(prompt("rerank.txt").replace("{question}", q.question)
                                  .replace("{candidates}", blocks))
            text = str(getattr(out, "content", out))
        except Exception as exc:  # noqa: BLE001
            log.warning("大模型重排序失败：%s", exc)
            return hits
        order: list[int] = []
        for m in re.finditer(r"\d+", text):
            n = int(m.group(0))
            if 1 <= n <= len(top) and n - 1 not in order:
                order.append(n - 1)
        if not order:
            return hits
        rest = [i for i in range(len(top)) if i not in order]
        out_hits = [top[i] for i in order + rest] + hits[RERANK_TOP:]
        for rank, h in enumerate(out_hits, start=1):
            h.rank = rank
            if "llm" not in h.via:
                h.via = (*h.via, "llm")
        return out_hits

    # -- composing --
    @property
    def chain(self):
        """LCEL: {history, context, question} -> prompt -> llm -> str."""
        if self._chain is None:
            from langchain_core.output_parsers import StrOutputParser
            from langchain_core.prompts import ChatPromptTemplate

            tpl = ChatPromptTemplate.from_messages([("system", prompt("qa_system.txt")),
                                                    ("human", prompt("qa_user.txt"))])
            self._chain = tpl | self.llm | StrOutputParser()
        return self._chain

    def inputs(self, q: Query, hits: list[Hit], history: list) -> dict[str, str]:
        blocks = []
        for n, h in enumerate(hits, start=1):
            tags = [h.law.level or "", h.law.status]
            if h.law.source == SOURCE_LOCAL:
                tags.append(f"地方性文件，适用于{h.law.region or '本地'}")
            if h.law.effective_date:
                tags.append(f"{h.law.effective_date}施行")
            blocks.append(f"[{n}] 《{h.law.title}》{h.article.label}（{'，'.join(t for t in tags if t)}）\n"
                          f"{h.article.text}")
        prev_text = ""
        if history:
            last = history[-1]
            prev = last.text if isinstance(last, Answer) else (last.get("content") if isinstance(last, dict) else "")
            if prev:
                prev_text = f"上一轮对话（供理解追问）：\n{prev[:400]}\n\n"
        return {"history": prev_text, "context": "\n\n".join(blocks), "question": q.question}

    def finish(self, q: Query, hits: list[Hit], text: str) -> Answer:
        """Verify every citation in the model's text; flag failures; cite only what verified."""
        context = q.context_law or (hits[0].law.title if hits else None)
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
            ans = self.offline.decline(q, hits, None, reason="大模型的回答没有可核验的法条依据。")
            ans.mode = "llm"
            ans.checks = checks
            ans.warnings = warnings + ans.warnings
            return ans
        if warnings:
            flagged += "\n\n【引用核验】以下引用未通过核验，请勿采信：\n" + "\n".join("- " + w for w in warnings)
        first = cites[0]
        ans = Answer(question=q.question, text=flagged, citations=cites, supported=True, warnings=warnings,
                     checks=checks, mode="llm", resolved_question=q.search if q.search != q.question else None,
                     lead=Lead(first.cite, first.text, first.law_id, first.article, first.sub, first.paragraph,
                               first.item, lead_in(first)))
        finish(ans, q)
        return ans
