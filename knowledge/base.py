"""The knowledge base: catalog (system of record) + lexical index + vectors, and hybrid search over them.

Article references (宪法第五条, 《…》第二十八条第二款) are resolved first and exactly; then lexical and dense
results are fused with reciprocal rank fusion; documents the question names get a boost."""

from __future__ import annotations

import logging
import marshal
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .catalog import Catalog
from .embeddings import embeddings_name
from .lawnames import LawNames, strip_title
from .lexical import LexicalIndex, tokenize
from .models import DEFAULT_STATUSES, Article, Hit, Law
from .articletypes import ArticleTypes, default_types
from .lexicon import Lexicon, default_lexicon
from .search import (Candidates, DenseRanker, LexicalRanker, SearchConfig, analyse, boost, fuse, promote_list,
                     reference_hits)
from .text import normalize_text

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
TOKENIZER_VERSION = "jieba+bigram-v1"
TOKENS_FILE = "tokens.marshal"
TOKEN_SEP = "\x1f"


def embed_text(law: Law, article: Article) -> str:
    """What the dense model sees: the short title and the article's opening."""
    return f"{strip_title(law.title)} {article.text}"


def lexical_text(law: Law, article: Article) -> str:
    return f"{strip_title(law.title)} {article.chapter or ''} {article.text}"


_HAN = re.compile(r"[\u4e00-\u9fff]+")  # a plain Chinese word


@dataclass
class _Snapshot:
    """In-memory view of the catalog used for search; rebuilt when the catalog version changes."""

    version: int
    ids: list[str]
    articles: list[Article]
    law_index: np.ndarray  # per article: index into laws
    laws: list[Law]
    law_pos: dict[str, int]
    pos: dict[str, int]  # article_id -> position
    by_key: dict[tuple[str, int, int], Article]
    names: LawNames
    law_sizes: dict[str, int]  # law_id -> number of articles
    normalized: str | None = None  # every article's normalised text, joined, for contains_text (made on first use)
    joined: str | None = None  # every article's stored text, joined, for counting plain Chinese words
    titles: dict[str, list[str]] | None = None  # normalised title -> current law ids (question memory golds)


class KnowledgeBase:
    """One knowledge base. Thread-safe for concurrent searches; writes are serialised."""

    def __init__(self, catalog: Catalog, index_dir: Path, embeddings: Embeddings, chroma_url: str | None = None,
                 config: SearchConfig | None = None, lexicon: Lexicon | None = None,
                 types: ArticleTypes | None = None):
        from .vectors import VectorStore

        self.config = config or SearchConfig()
        self.lexicon = lexicon or default_lexicon()
        self.types = types or default_types()
        self._types_cache: dict[str, frozenset[str]] = {}
        self._ranker = False  # loaded on first use
        self._memory = False
        self.catalog = catalog
        self.index_dir = Path(index_dir)
        self.embeddings = embeddings
        self.model_name = embeddings_name(embeddings)
        self.vectors = VectorStore(embeddings, path=self.index_dir / "chroma", url=chroma_url)
        self._write_lock = threading.RLock()
        self._snap: _Snapshot | None = None
        self._lexical: LexicalIndex | None = None
        self._lexical_version = -1
        self._tokens: dict[str, list[str]] | None = None
        self._tokens_dirty = False
        self._vector_state: dict = {"running": False, "done": 0, "total": 0, "error": None}
        self._retriever = None
        self._query_cache = None

    # ---- snapshot -----------------------------------------------------------------------------
    def _snapshot(self) -> _Snapshot:
        snap = self._snap
        if snap is not None and snap.version == self.catalog.version:
            return snap
        with self._write_lock:
            if self._snap is not None and self._snap.version == self.catalog.version:
                return self._snap
            version = self.catalog.version
            laws = self.catalog.laws()
            law_pos = {law.law_id: i for i, law in enumerate(laws)}
            articles = list(self.catalog.iter_articles())
            ids = [a.article_id for a in articles]
            law_index = np.fromiter((law_pos[a.law_id] for a in articles), dtype=np.int32, count=len(articles))
            by_key = {}
            for a in articles:
                by_key.setdefault((a.law_id, a.number, a.sub), a)
            sizes: dict[str, int] = {}
            for a in articles:
                sizes[a.law_id] = sizes.get(a.law_id, 0) + 1
            self._snap = _Snapshot(version, ids, articles, law_index, laws, law_pos,
                                   {aid: k for k, aid in enumerate(ids)}, by_key, LawNames(laws), sizes)
            return self._snap

    # ---- indexes ------------------------------------------------------------------------------
    def _fingerprint(self) -> str:
        from .lexical import BM25_B, BM25_K1

        return (f"{TOKENIZER_VERSION}:k1={BM25_K1}:b={BM25_B}:{self.catalog.data_version()}"
                f":{self.ranking_fingerprint()}")

    def ranking_fingerprint(self) -> str:
        """What shapes rankings besides the catalog: the lexicon, the article-type rules, the re-ranker model."""
        from .rank.memory import memory_fingerprint
        from .rank.model import model_fingerprint

        return (f"lex={self.lexicon.fingerprint}:types={self.types.fingerprint}:rank={model_fingerprint()}"
                f":mem={memory_fingerprint()}")

    def _load_tokens(self) -> dict[str, str]:
        """article id -> its tokens joined by TOKEN_SEP (one string per article: small and fast to save)."""
        if self._tokens is None:
            path = self.index_dir / TOKENS_FILE
            self._tokens = {}
            if path.exists():
                try:
                    data = marshal.loads(path.read_bytes())
                    if data.get("version") == TOKENIZER_VERSION:
                        self._tokens = data["tokens"]
                except Exception:  # rebuilt below
                    log.warning("分词缓存损坏，将重新分词")
        return self._tokens

    def prime_segmentation(self, segmentation: dict[str, list[list[str]]]) -> int:
        """Pre-computed jieba words per law (one list per article, in order) -> lexical tokens, so the
        first start does not segment the built-in corpus. Texts that no longer match are skipped."""
        tokens = self._load_tokens()
        n = 0
        for law_id, per_article in segmentation.items():
            law = self.catalog.law(law_id)
            articles = self.catalog.articles(law_id) if law else []
            if law is None or len(articles) != len(per_article):
                continue
            for article, words in zip(articles, per_article):
                text = lexical_text(law, article)
                if "".join(words) == text:
                    tokens[article.article_id] = TOKEN_SEP.join(tokenize(text, words))
                    n += 1
        self._tokens_dirty = self._tokens_dirty or n > 0
        return n

    def _ensure_lexical(self, progress: Progress | None = None) -> LexicalIndex:
        snap = self._snapshot()
        if self._lexical is not None and self._lexical_version == snap.version:
            return self._lexical
        with self._write_lock:
            if self._lexical is not None and self._lexical_version == snap.version:
                return self._lexical
            fp = self._fingerprint()
            lex_dir = self.index_dir / "lexical"
            index = LexicalIndex.load(lex_dir, fp)
            if index is None or index.ids != snap.ids:
                tokens = self._load_tokens()
                missing = [a for a in snap.articles if a.article_id not in tokens]
                laws = {law.law_id: law for law in snap.laws}
                for i, a in enumerate(missing, start=1):
                    tokens[a.article_id] = TOKEN_SEP.join(tokenize(lexical_text(laws[a.law_id], a)))
                    if progress and (i % 500 == 0 or i == len(missing)):
                        progress(i, len(missing), "分词")
                live = set(snap.ids)
                for stale in [k for k in tokens if k not in live]:
                    del tokens[stale]
                if missing or self._tokens_dirty:
                    self._tokens_dirty = False
                    self.index_dir.mkdir(parents=True, exist_ok=True)
                    tmp = self.index_dir / (TOKENS_FILE + ".tmp")
                    tmp.write_bytes(marshal.dumps({"version": TOKENIZER_VERSION, "tokens": tokens}))
                    tmp.replace(self.index_dir / TOKENS_FILE)
                index = LexicalIndex.build_joined(snap.ids, [tokens[i] for i in snap.ids], TOKEN_SEP)
                index.save(lex_dir, fp)
            self._lexical, self._lexical_version = index, snap.version
            return index

    def _ensure_vectors(self, progress: Progress | None = None, background: bool = False) -> int:
        """Embed articles that have no vector yet and drop vectors of removed articles."""
        snap = self._snapshot()
        have = self.vectors.ids()
        live = set(snap.ids)
        stale = [i for i in have if i not in live]
        if stale:
            self.vectors.delete(stale)
        todo = [k for k, aid in enumerate(snap.ids) if aid not in have]
        already = len(snap.ids) - len(todo)
        self._vector_state.update(done=already, total=len(snap.ids))
        if not todo:
            return 0
        done = 0
        total = len(todo)
        started = time.perf_counter()

        def tick(n: int) -> None:
            nonlocal done
            done += n
            self._vector_state["done"] = already + done
            if progress:
                progress(already + done, already + total, "向量索引建立中" if background else "向量化")

        ids = [snap.ids[k] for k in todo]
        texts = [embed_text(snap.laws[snap.law_index[k]], snap.articles[k]) for k in todo]
        metas = [{"law_id": snap.articles[k].law_id} for k in todo]
        self.vectors.add(ids, texts, metas, progress=tick, background=background)
        log.info("向量化 %s 条，用时 %.1f 秒", total, time.perf_counter() - started)
        return total

    def ensure_indexes(self, progress: Progress | None = None, rebuild: bool = False, vectors: bool = True) -> None:
        """Make the indexes match the catalog (first run: builds them; later runs: reuses them).

        vectors=False leaves embedding to `start_vector_build` (or a later call)."""
        with self._write_lock:
            if rebuild:
                self.vectors.reset()
                self._lexical = None
                self._tokens = {}
                for p in (self.index_dir / TOKENS_FILE, self.index_dir / "lexical" / "ids.json"):
                    p.unlink(missing_ok=True)
            self._ensure_lexical(progress)
            self.catalog.set_meta("embedding_model", self.model_name)
        if vectors:
            self._ensure_vectors(progress)

    def start_vector_build(self, progress: Progress | None = None) -> threading.Thread:
        """Embed missing articles in a background thread; resumable, since each chunk is stored as made
        and a restart embeds only what has no vector yet. `vector_status()` reports progress."""
        def run() -> None:
            try:
                self._ensure_vectors(progress, background=True)
            except Exception:  # the app keeps serving on lexical search
                log.exception("后台向量化失败")
                self._vector_state["error"] = "向量索引建立失败，已改用词法检索；请查看日志后运行 xuefa index"
            finally:
                self._vector_state["running"] = False

        self._vector_state.update(running=True, error=None)
        thread = threading.Thread(target=run, name="xuefa-vectors", daemon=True)
        thread.start()
        return thread

    def vector_status(self) -> dict:
        """{"done", "total", "running", "error", "percent"}: how much of the catalog has vectors."""
        state = dict(self._vector_state)
        if not state.get("running"):  # idle: ask the store (a count is cheap), it may have changed since
            total = len(self._snapshot().ids)
            state.update(done=min(self.vectors.count(), total), total=total)
        total = state.get("total") or 0
        state["percent"] = 100 if not total else int(100 * (state.get("done") or 0) / total)
        return state

    # ---- changes ------------------------------------------------------------------------------
    def add_document(self, law: Law, articles: list[Article], replaces: Iterable[str] = ()) -> bool:
        """Store and index one document, retiring the versions it `replaces`; False if already there.

        Order matters for crashes: vectors of the new version first (extra vectors are harmless),
        then one catalog transaction (the commit point), then the old vectors go. Whatever is
        interrupted, the catalog holds either the old or the new version, never both, and
        `ensure_indexes` on the next open reconciles the indexes with it."""
        with self._write_lock:
            old_ids = [i for i in replaces if i != law.law_id]
            existing = self.catalog.law(law.law_id)
            if existing is not None and existing.content_hash == law.content_hash and not old_ids:
                return False
            stale = [a.article_id for old in ([law.law_id] if existing else []) + old_ids
                     for a in self.catalog.articles(old)]
            texts = [embed_text(law, a) for a in articles]
            vectors = self.embeddings.embed_documents(texts) if articles else []
            new_ids = [a.article_id for a in articles]
            if articles:
                self.vectors.add_vectors(new_ids, vectors, [{"law_id": law.law_id} for _ in articles])
            self.catalog.replace(old_ids, law, articles)
            keep = set(new_ids)
            gone = [i for i in stale if i not in keep]
            if gone:
                try:
                    self.vectors.delete(gone)
                except Exception:  # noqa: BLE001 - the catalog is right; reconciled on next open
                    log.warning("旧版本向量删除失败，将在下次启动时清理", exc_info=True)
            return True  # the lexical index catches up lazily (one rebuild per batch, not per file)

    def remove_document(self, law_id: str) -> bool:
        with self._write_lock:
            ids = [a.article_id for a in self.catalog.articles(law_id)]
            if not self.catalog.remove(law_id):
                return False
            if ids:
                self.vectors.delete(ids)
            return True

    def embed_query(self, text: str) -> list[float]:
        """The query vector, cached: search and the answerer's support check embed the same question."""
        if self._query_cache is None:
            from functools import lru_cache

            self._query_cache = lru_cache(maxsize=512)(lambda t: tuple(self.embeddings.embed_query(t)))
        return list(self._query_cache(text))

    def clear_query_cache(self) -> None:
        self._query_cache = None

    # ---- lookups ------------------------------------------------------------------------------
    @property
    def names(self) -> LawNames:
        return self._snapshot().names

    def resolve_law(self, name: str, status: str = "current") -> Law | None:
        if name.startswith(("nat-", "loc-")):
            by_id = self.catalog.law(name)
            if by_id is not None:  # a document id: the same status rule as a name
                return by_id if status == "all" or by_id.is_current else None
        return self.names.resolve(name, current_only=status != "all")

    def lookup(self, law_name: str, number: int, sub: int = 0, status: str = "current") -> tuple[Law, Article] | None:
        law = self.resolve_law(law_name, status=status)
        if law is None:
            return None
        article = self._snapshot().by_key.get((law.law_id, number, sub))
        return (law, article) if article else None

    def _normalized(self) -> str:
        """Every article's normalised text, joined; made on first use (it costs seconds on the full corpus)."""
        snap = self._snapshot()
        if snap.normalized is None:
            snap.normalized = "\u0001".join(normalize_text(a.text) for a in snap.articles)
        return snap.normalized

    def contains_text(self, s: str) -> bool:
        """Does `s` (normalised) occur inside any stored article?"""
        n = normalize_text(s)
        return bool(n) and n in self._normalized()

    def count_text(self, s: str) -> int:
        """How often `s` (normalised) occurs in stored articles: a cheap rarity measure for topic words.

        A plain Chinese word needs no normalising: it is counted in the stored text (normalising the whole
        corpus costs seconds on first use)."""
        n = normalize_text(s)
        if n and n == s and _HAN.fullmatch(n):
            return self._joined().count(n)
        return self._normalized().count(n) if n else 0

    def articles_with(self, words: list[str], least: int = 2) -> dict[str, list[Article]]:
        """Stored articles carrying at least `least` of `words`, by law id (instruments that speak of a topic
        again and again, found by its words rather than by title)."""
        out: dict[str, list[Article]] = {}
        for a in self._snapshot().articles:
            if sum(w in a.text for w in words) >= least:
                out.setdefault(a.law_id, []).append(a)
        return out

    def _joined(self) -> str:
        snap = self._snapshot()
        if snap.joined is None:
            snap.joined = "\u0001".join(a.text for a in snap.articles)
        return snap.joined

    def text_forms(self, pattern: str, limit: int = 3) -> list[tuple[str, int]]:
        """The commonest matches of a regular expression in the stored articles, with their counts (the
        statutes' wording of a colloquial word: 抛.{1,2}物 -> 抛掷物)."""
        from collections import Counter

        return Counter(re.findall(pattern, self._joined())).most_common(limit)

    def term_weight(self, word: str) -> float:
        """IDF of a word over the articles: rare words carry a question, common ones (规定, 人员) do not."""
        import math

        index = self._ensure_lexical()
        return math.log((len(index.ids) + 1) / (index.df(word) + 1))

    def knows_word(self, word: str) -> bool:
        """Is this one of the indexed articles' words?"""
        return self._ensure_lexical().df(word) > 0

    def law_size(self, law_id: str) -> int:
        return self._snapshot().law_sizes.get(law_id, 0)

    def law_of(self, article: Article) -> Law:
        snap = self._snapshot()
        return snap.laws[snap.law_pos[article.law_id]]

    # ---- search -------------------------------------------------------------------------------
    def _law_mask(self, snap: _Snapshot, law: str | Iterable[str] | None, level, region, source,
                  status: str | Iterable[str]) -> np.ndarray:
        if status == "current":
            statuses = set(DEFAULT_STATUSES)
        elif status == "all":
            statuses = None
        else:
            statuses = {status} if isinstance(status, str) else set(status)
        law_ids = None
        if law:
            names = [law] if isinstance(law, str) else list(law)
            law_ids = set()
            for name in names:
                for cand in snap.names.candidates(name, current_only=statuses is not None
                                                  and statuses <= set(DEFAULT_STATUSES)):
                    law_ids.add(cand.law_id)
                if name in snap.law_pos:
                    law_ids.add(name)
        levels = {level} if isinstance(level, str) else (set(level) if level else None)
        mask = np.ones(len(snap.laws), dtype=bool)
        for i, lw in enumerate(snap.laws):
            if statuses is not None and lw.status not in statuses:
                mask[i] = False
            elif law_ids is not None and lw.law_id not in law_ids:
                mask[i] = False
            elif levels and lw.level not in levels:
                mask[i] = False
            elif region and (lw.region or "") != region and region not in (lw.title or ""):
                mask[i] = False
            elif source and lw.source != source:
                mask[i] = False
        return mask

    def candidates(self, query: str, *, law=None, level=None, region=None, source=None, status="current",
                   mode: str = "hybrid", context_law: str | None = None,
                   config: SearchConfig | None = None, lexicon: Lexicon | None = None
                   ) -> tuple[list[Hit], Candidates | None]:
        """Reference hits and the fused candidates (before the re-ranker) for a question."""
        cfg = config or self.config
        query = (query or "").strip()
        snap = self._snapshot()
        if not query or not snap.ids:
            return [], None
        law_mask = self._law_mask(snap, law, level, region, source, status)
        art_mask = law_mask[snap.law_index]
        refs = reference_hits(query, snap, law_mask, status == "current", context_law)
        terms = analyse(query, (lexicon or self.lexicon) if cfg.lexicon else None, self.types, cfg.expansion_bigrams)
        lex_scores = None
        lex_order: list[int] = []
        if mode in ("hybrid", "lexical"):
            lex_scores = LexicalRanker(self._ensure_lexical()).scores(terms, cfg.expansion_weight)
            lex_order = LexicalRanker.rank(lex_scores.total, art_mask, cfg.candidates)
        dense: list[tuple[int, float]] = []
        if mode in ("hybrid", "dense") and art_mask.any():
            allowed = [snap.laws[i].law_id for i in np.flatnonzero(law_mask)]
            dense = DenseRanker(self.vectors, snap.pos).rank(self.embed_query(query), allowed, art_mask,
                                                             cfg.candidates)
        memory_sim, memory_law, memory_best = self._memory_votes(snap, query, art_mask, cfg, mode)
        fused = fuse(lex_order, [k for k, _ in dense], cfg, mode, list(memory_sim)[:cfg.memory_depth])
        cands = Candidates(terms, [], fused, lex_scores, {k: r for r, k in enumerate(lex_order, 1)},
                           {k: s for k, s in dense}, {k: r for r, (k, _) in enumerate(dense, 1)},
                           memory_sim=memory_sim, memory_law=memory_law, memory_best=memory_best)
        if fused and mode == "hybrid":
            cands.named_laws = {lw.law_id for lw, _ in snap.names.detect(query)}
            boost(fused, snap.articles, terms, cands.named_laws, cfg, self.article_types,
                  lambda k: snap.laws[snap.law_index[k]])
        cands.positions = sorted(fused, key=lambda k: -fused[k])
        return refs, cands

    def _memory_votes(self, snap: _Snapshot, query: str, art_mask: np.ndarray, cfg: SearchConfig, mode: str
                      ) -> tuple[dict[int, float], dict[str, float], float]:
        """The question memory's votes as article positions (best first, allowed ones only) and law ids."""
        memory = self.memory if (cfg.memory and mode == "hybrid") else None
        if memory is None:
            return {}, {}, 0.0
        from .rank.memory import norm_title

        if snap.titles is None:
            titles: dict[str, list[str]] = {}
            for lw in snap.laws:
                if lw.is_current:
                    titles.setdefault(norm_title(lw.title), []).append(lw.law_id)
            snap.titles = titles
        votes = memory.votes(query, cfg.memory_exclude_fold)
        arts: dict[int, float] = {}
        for title, number, sub in votes.ranked:
            for law_id in snap.titles.get(title, ()):
                art = snap.by_key.get((law_id, number, sub))
                k = snap.pos.get(art.article_id) if art is not None else None
                if k is not None and art_mask[k]:
                    arts[k] = votes.articles[(title, number, sub)]
        laws = {law_id: share for title, share in votes.laws.items() for law_id in snap.titles.get(title, ())}
        return arts, laws, votes.best

    def search(self, query: str, top_k: int = 10, *, law=None, level=None, region=None, source=None,
               status="current", mode: str = "hybrid", context_law: str | None = None,
               config: SearchConfig | None = None, lexicon: Lexicon | None = None) -> list[Hit]:
        """Articles for a question, best first. mode: hybrid | lexical | dense.

        `config` and `lexicon` override the defaults (benchmarks use them for ablations)."""
        cfg = config or self.config
        refs, cands = self.candidates(query, law=law, level=level, region=region, source=source, status=status,
                                      mode=mode, context_law=context_law, config=cfg, lexicon=lexicon)
        snap = self._snapshot()
        hits: dict[str, Hit] = {h.article.article_id: h for h in refs}
        order = [h.article.article_id for h in refs]
        if cands is not None and cands.positions:
            positions = cands.positions
            scores = cands.fused
            ranker = self.ranker if (cfg.rerank and mode == "hybrid") else None
            if ranker is not None:
                positions, scores = ranker.rerank(self, snap, cands, cfg.rerank_depth)
            if mode == "hybrid" and cfg.list_promote:
                moved = promote_list(positions, cands.terms, snap.articles, cfg.list_promote)
                if moved is not positions:  # keep scores descending along the new order
                    scores = dict(scores)
                    scores[moved[0]] = scores[positions[0]] + 1e-6
                    positions = moved
            for k in positions:
                art = snap.articles[k]
                if art.article_id in hits:
                    continue
                hits[art.article_id] = Hit(art, snap.laws[snap.law_index[k]], score=float(scores[k]),
                                           via=(mode,) if ranker is None else (mode, "rerank"))
                order.append(art.article_id)
                if len(order) >= top_k:
                    break
        out = [hits[a] for a in order[:top_k]]
        for rank, h in enumerate(out, start=1):
            h.rank = rank
        return out

    # ---- ranking data -------------------------------------------------------------------------
    def article_types(self, article: Article) -> frozenset[str]:
        """Types derived from the text (cached per article)."""
        got = self._types_cache.get(article.article_id)
        if got is None:
            got = self._types_cache[article.article_id] = self.types.of(article)
        return got

    @property
    def ranker(self):
        """The shipped learned re-ranker, or None when no model file is present."""
        if self._ranker is False:
            from .rank.model import load_default_ranker

            self._ranker = load_default_ranker()
        return self._ranker

    @property
    def memory(self):
        """The shipped question memory (knowledge/data/question_memory.json), or None."""
        if self._memory is False:
            from .rank.memory import load_default_memory

            self._memory = load_default_memory()
        return self._memory

    @property
    def retriever(self):
        """A LangChain BaseRetriever over this knowledge base."""
        if self._retriever is None:
            from .retriever import LawRetriever

            self._retriever = LawRetriever(kb=self)
        return self._retriever

    def stats(self) -> dict:
        snap = self._snapshot()
        return {"documents": len(snap.laws), "articles": len(snap.ids), "vectors": self.vectors.count(),
                "embedding_model": self.model_name}


def open_knowledge_base(catalog_path: Path, index_dir: Path, embeddings: Embeddings,
                        chroma_url: str | None = None, allow_model_change: bool = False) -> KnowledgeBase:
    """Open the catalog and stores; refuses an index built with another embedding model."""
    from .errors import IndexMismatchError

    if not chroma_url:
        _lock_index_dir(Path(index_dir))
    catalog = Catalog(catalog_path)
    stored = catalog.get_meta("embedding_model")
    name = embeddings_name(embeddings)
    if stored and stored != name and not allow_model_change:
        raise IndexMismatchError(
            f"知识库索引由嵌入模型 {stored} 建立，当前配置为 {name}。请改回原模型，或运行 `xuefa index --rebuild` 重建索引。")
    for law in catalog.repair_duplicates():
        log.warning("启动检查：《%s》有两个现行版本，已删除较早的版本 %s", law.title, law.law_id)
    return KnowledgeBase(catalog, index_dir, embeddings, chroma_url=chroma_url)


_LOCKS: dict[str, object] = {}
LOCK_WAIT_SECONDS = 20  # XUEFA_LOCK_WAIT overrides; a web server holds the lock for good, so this is only a wait


def _lock_index_dir(index_dir: Path) -> None:
    """Embedded Chroma must have one writer process per directory; a second one corrupts it.

    The lock is held for the life of the process; opening the same directory again in-process is fine."""
    import fcntl

    from .errors import XuefaError

    index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    if key in _LOCKS:
        return
    handle = open(index_dir / ".lock", "a+")  # noqa: SIM115 - held until the process exits
    # a short command (xuefa article, ask) run beside another short one waits its turn instead of failing
    deadline = time.monotonic() + float(os.environ.get("XUEFA_LOCK_WAIT", LOCK_WAIT_SECONDS))
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            handle.close()
            raise XuefaError(
                f"知识库索引目录 {index_dir} 正被另一个 xuefa 进程使用（例如正在运行的网页服务），等待后仍未释放。"
                "请先停止该进程，或通过网页的“知识库”页面导入；多进程部署请设置 XUEFA_CHROMA_URL 使用 Chroma 服务器。")
    _LOCKS[key] = handle
