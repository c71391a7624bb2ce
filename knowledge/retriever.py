"""LangChain retriever over the knowledge base, so chains stay idiomatic LCEL."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from .models import Hit


def hit_to_document(hit: Hit) -> Document:
    """A hit as a LangChain Document: the verbatim article text, citation data in metadata."""
    meta = hit.to_json()
    meta.pop("text")
    meta["article_id"] = hit.article.article_id
    meta["cite"] = hit.cite
    return Document(page_content=hit.article.text, metadata=meta, id=hit.article.article_id)


class LawRetriever(BaseRetriever):
    """Article-reference lookup first, then lexical + dense fused; filters as in `KnowledgeBase.search`."""

    kb: Any
    top_k: int = 8
    filters: dict = {}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        opts = {**self.filters, **kwargs}
        top_k = opts.pop("top_k", self.top_k)
        return [hit_to_document(h) for h in self.kb.search(query, top_k=top_k, **opts)]
