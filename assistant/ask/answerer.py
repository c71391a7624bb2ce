"""Questions in plain Chinese -> answers grounded in stored articles (the wiring of the ask package).

LCEL: resolve (query.py) -> [LLM: reword into statutory terms] -> retrieve (kb.retriever) -> [LLM: re-rank]
-> judge support (support.py) -> compose (offline.py, or llm.py with every citation verified).
Nothing is ever cited that is not a stored article."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from knowledge.models import Hit

from .lead import LeadChooser
from .llm import LLMComposer
from .models import Answer
from .offline import OfflineComposer
from .query import Query, QueryResolver
from .support import Support, SupportJudge

log = logging.getLogger(__name__)
TOP_K = 8


class Answerer:
    """Answer questions from the knowledge base; `llm` is a LangChain chat model or None (offline)."""

    def __init__(self, kb: Any, llm: Any = None, top_k: int = TOP_K, llm_rewrite: bool = True,
                 llm_rerank: bool = True):
        self.kb = kb
        self.llm = llm
        self.top_k = top_k
        self.resolver = QueryResolver(kb)
        self.judge = SupportJudge(kb)
        self.offline = OfflineComposer(kb)
        self.leads = LeadChooser(kb)
        self.composer = LLMComposer(kb, llm, self.offline, llm_rewrite, llm_rerank) if llm is not None else None
        self._prepare = None

    @property
    def prepare(self):
        """LCEL: {question, history, law} -> + query -> + hits -> + support.

        Each step adds its key to the state in the calling thread: RunnablePassthrough.assign runs its mapping on
        a fresh thread pool per call (a thread started and joined three times per answer)."""
        if self._prepare is None:
            from langchain_core.runnables import RunnableLambda

            def step(key, fn):
                return RunnableLambda(lambda state: {**state, key: fn(state)}, name=key)

            self._prepare = (step("query", self._resolve) | step("hits", self._retrieve)
                             | step("support", self._support))
        return self._prepare

    # -- public API --
    def answer(self, question: str, history: list | None = None, law: str | None = None,
               level: str | None = None) -> Answer:
        final = None
        for part in self.stream(question, history=history, law=law, level=level):
            if isinstance(part, Answer):
                final = part
        assert final is not None
        return final

    def stream(self, question: str, history: list | None = None, law: str | None = None,
               level: str | None = None) -> Iterator[str | Answer]:
        """Text chunks, then the final `Answer` (whose text may differ: flags added by the verifier).

        level: answer only from documents of this 效力级别 (党内法规, 行政法规 …)."""
        question = (question or "").strip()
        history = history or []
        state = self.prepare.invoke({"question": question, "history": history, "law": law, "level": level})
        q: Query = state["query"]
        hits: list[Hit] = state["hits"]
        support: Support = state["support"]
        if not support.supported:
            ans = self.offline.decline(q, hits, support)
            yield ans.text
            yield ans
            return
        hits = self.leads.choose(q.question, hits)  # after the judge: it reads the ranking's own first score
        if self.composer is None:
            ans = self.offline.compose(q, hits, support)
            yield ans.text
            yield ans
            return
        chunks: list[str] = []
        try:
            for chunk in self.composer.chain.stream(self.composer.inputs(q, hits, history)):
                if chunk:
                    chunks.append(chunk)
                    yield chunk
        except Exception as exc:  # noqa: BLE001 - endpoint down: the offline composer answers, and says so
            log.warning("大模型调用失败，改用离线作答：%s", exc)
            ans = self.offline.compose(q, hits, support)
            ans.warnings.insert(0, f"大模型调用失败（{exc.__class__.__name__}），以下为离线作答。")
            yield "\n" + ans.text
            yield ans
            return
        yield self.composer.finish(q, hits, "".join(chunks))

    # -- steps --
    def _resolve(self, state: dict) -> Query:
        q = self.resolver.resolve(state["question"], state.get("history") or [], state.get("law"))
        if self.composer is not None:
            q = self.composer.rewrite(q)
        return q

    def _retrieve(self, state: dict) -> list[Hit]:
        q: Query = state["query"]
        opts: dict[str, Any] = {"top_k": self.top_k}
        if q.law:
            opts["law"] = q.law
        if q.context_law:
            opts["context_law"] = q.context_law
        if state.get("level"):
            opts["level"] = state["level"]
        docs = self.kb.retriever.invoke(q.search, **opts)
        hits = [h for h in (self._hit(d) for d in docs) if h is not None]
        hits = named_first(hits, {lw.law_id for lw in q.named})
        if self.composer is not None:
            hits = self.composer.rerank(q, hits)
        return hits

    def _hit(self, doc) -> Hit | None:
        meta = doc.metadata
        law = self.kb.catalog.law(meta["law_id"])
        art = self.kb.catalog.article_by_id(meta["article_id"])
        if law is None or art is None:
            return None
        return Hit(art, law, score=float(meta.get("score", 0.0)), via=tuple(meta.get("via") or ()),
                   paragraph=meta.get("paragraph"), item=meta.get("item"))

    def _support(self, state: dict) -> Support:
        return self.judge.judge(state["query"], state["hits"], scoped=bool(state.get("level") or state.get("law")))


def named_first(hits: list[Hit], named: set[str], window: int = 5) -> list[Hit]:
    """A question that names its law (国家赔偿法中关于刑事赔偿…) is answered from that law: when the first hit is
    another document (a judicial interpretation of it) and an article of the named law is within `window`, that
    article leads."""
    if not named or not hits or hits[0].law.law_id in named:
        return hits
    for i, h in enumerate(hits[:window]):
        if h.law.law_id in named:
            return [h] + hits[:i] + hits[i + 1:]
    return hits
