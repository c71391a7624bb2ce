"""The only module that imports chromadb: article vectors in an embedded PersistentClient or a Chroma server.

We pass our own embedding function explicitly (Chroma's default would download a model) and compute
vectors ourselves in batches so progress can be shown."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from .embeddings import embeddings_name
from .errors import IndexMismatchError

log = logging.getLogger(__name__)

_CLIENTS: dict[str, Any] = {}  # one client per path per process (a Chroma rule)
_CLIENTS_LOCK = threading.Lock()


def _chroma_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def _client(path: Path | None, url: str | None):
    import chromadb

    key = url or str(Path(path).resolve())
    with _CLIENTS_LOCK:
        if key not in _CLIENTS:
            if url:
                u = urlparse(url)
                _CLIENTS[key] = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                                    ssl=u.scheme == "https", settings=_chroma_settings())
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                _CLIENTS[key] = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        return _CLIENTS[key]


def _embedding_function(embeddings: Embeddings):
    """Wrap a LangChain Embeddings as a Chroma EmbeddingFunction with a stable name."""
    from chromadb.api.types import EmbeddingFunction

    class XuefaEmbeddingFunction(EmbeddingFunction):
        def __init__(self, inner: Embeddings):
            self._inner = inner

        def __call__(self, input):  # noqa: A002 - Chroma's signature
            return [list(v) for v in self._inner.embed_documents(list(input))]

        def embed_query(self, input):  # noqa: A002
            return [self._inner.embed_query(t) for t in input]

        @staticmethod
        def name() -> str:
            return "xuefa"

        def get_config(self) -> dict[str, Any]:
            return {"model": embeddings_name(self._inner)}

        @staticmethod
        def build_from_config(config: dict[str, Any]):
            raise IndexMismatchError("向量库需由 xuefa 打开（请通过 xuefa 命令访问）。")

        def default_space(self):
            return "cosine"

        def supported_spaces(self):
            return ["cosine"]

    return XuefaEmbeddingFunction(embeddings)


def collection_name(model_name: str) -> str:
    """Chroma collection names are ASCII, 3–63 chars: derive one per embedding model."""
    slug = re.sub(r"[^a-zA-Z0-9]+", "_", model_name).strip("_").lower()[:50] or "model"
    return f"xuefa_{slug}"


class VectorStore:
    """Article vectors in one Chroma collection per embedding model."""

    def __init__(self, embeddings: Embeddings, path: Path | None = None, url: str | None = None,
                 search_ef: int = 200):
        self.embeddings = embeddings
        self.model_name = embeddings_name(embeddings)
        self._client = _client(path, url)
        self._collection = self._client.get_or_create_collection(
            name=collection_name(self.model_name),
            embedding_function=_embedding_function(embeddings),
            metadata={"hnsw:space": "cosine", "hnsw:search_ef": search_ef, "hnsw:construction_ef": 200,
                      "hnsw:M": 32, "embedding_model": self.model_name},
        )
        stored = (self._collection.metadata or {}).get("embedding_model")
        if stored and stored != self.model_name:
            raise IndexMismatchError(f"向量索引由模型 {stored} 建立，当前模型为 {self.model_name}；请运行 `xuefa index --rebuild`。")

    def count(self) -> int:
        return self._collection.count()

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self._collection.get(include=[], limit=page, offset=offset)
            out.update(got["ids"])
            if len(got["ids"]) < page:
                return out
            offset += page

    def add(self, ids: Sequence[str], texts: Sequence[str], metadatas: Sequence[dict],
            progress: Callable[[int], None] | None = None, batch_size: int = 256,
            background: bool = False) -> None:
        bulk = getattr(self.embeddings, "embed_parallel", None)
        if bulk is not None and len(ids) > 4 * batch_size:
            for i in range(0, len(ids), 2048):  # bounded memory; vectors land as they are made (resumable)
                chunk = slice(i, i + 2048)
                vecs = bulk(list(texts[chunk]), progress=progress, background=background)
                self.add_vectors(ids[chunk], vecs, metadatas[chunk])
            return
        for i in range(0, len(ids), batch_size):
            chunk = slice(i, i + batch_size)
            vecs = self.embeddings.embed_documents(list(texts[chunk]))
            self._collection.upsert(ids=list(ids[chunk]), embeddings=vecs, metadatas=list(metadatas[chunk]))
            if progress:
                progress(len(ids[chunk]))

    def add_vectors(self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[dict]) -> None:
        for i in range(0, len(ids), 1000):
            chunk = slice(i, i + 1000)
            self._collection.upsert(ids=list(ids[chunk]), embeddings=[list(v) for v in vectors[chunk]],
                                    metadatas=list(metadatas[chunk]))

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors by article id (a lookup, not a search); missing ids are left out."""
        got = self._collection.get(ids=list(ids), include=["embeddings"])
        return {i: list(v) for i, v in zip(got["ids"], got["embeddings"])}

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), 5000):
            self._collection.delete(ids=ids[i:i + 5000])

    def query(self, vector: Sequence[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(article_id, cosine similarity) best first."""
        res = self._collection.query(query_embeddings=[list(vector)], n_results=k, where=where or None,
                                     include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0])]

    def reset(self) -> None:
        name = self._collection.name
        meta = self._collection.metadata
        self._client.delete_collection(name)
        self._collection = self._client.get_or_create_collection(
            name=name, embedding_function=_embedding_function(self.embeddings), metadata=meta)
