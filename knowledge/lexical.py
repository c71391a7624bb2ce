"""Lexical index: bm25s over jieba words plus CJK character bigrams.

Bigrams make recall robust to jieba's segmentation choices ("政务处分" vs "政务/处分"); words keep precision.
The index is derived from the catalog and saved beside it; it is rebuilt when the catalog changes."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+")
STOPWORDS = frozenset(
    "的 了 和 与 及 或 或者 是 在 对 由 为 以 等 其 之 中 有 被 将 把 从 向 于 并 并且 而 也 就 都 这 那 哪 哪些 什么 怎么 怎样 "
    "如何 吗 呢 吧 啊 我 你 他 她 它 我们 你们 他们 一个 一些 可 会 能 要 该 应 还 没有 不 没 个 条 第 款 项 规定 "
    "请问 问 请 一下 多少 几 是否 可以吗".split())

# Milder length normalisation than the usual 0.75: long articles with enumerations (a list of 项) are
# often the answer (dev set: R@1 69.5 -> 72.9, held-out 56.7 -> 63.3).
BM25_K1 = 1.2
BM25_B = 0.5

_jieba_lock = threading.Lock()
_jieba_ready = False

# Terms jieba splits badly; adding them keeps them whole.
LEGAL_TERMS = (
    "政务处分 公职人员 监察机关 监察委员会 监察对象 职务违法 职务犯罪 留置 行政处罚 行政许可 行政复议 行政诉讼 行政强制 "
    "安全生产 生产经营单位 生态环境 重大行政决策 政府信息公开 依申请公开 主动公开 法治宣传教育 文明行为 东平湖 "
    "人民代表大会 常务委员会 国务院 人民法院 人民检察院 警告 记过 记大过 降级 撤职 开除 罚款 没收违法所得 "
    "吊销许可证 责令停产停业 听证 陈述 申辩 复议机关 蓄滞洪区 专家论证 风险评估 合法性审查 集体讨论决定"
).split()


def _jieba():
    global _jieba_ready
    import jieba

    with _jieba_lock:
        if not _jieba_ready:
            jieba.setLogLevel(logging.WARNING)
            for term in LEGAL_TERMS:
                jieba.add_word(term, freq=200000)
            jieba.initialize()
            _jieba_ready = True
    return jieba


@lru_cache(maxsize=None)
def _keep(word: str) -> bool:
    """A word worth indexing (cached: the corpus has ~10⁵ distinct words and ~10⁷ occurrences)."""
    return bool(_WORD.fullmatch(word)) and word not in STOPWORDS


def segmenter_version() -> str:
    """Identifies jieba's segmentation (its version and our added terms): pre-segmented text built with
    another segmenter is not reused."""
    import hashlib
    from importlib.metadata import version

    return hashlib.sha1(f"{version('jieba')}|{'|'.join(LEGAL_TERMS)}".encode("utf-8")).hexdigest()[:12]


def segment(text: str) -> list[str]:
    """jieba's words for `text`; "".join(segment(t)) == t."""
    return _jieba().lcut(text)


def tokenize(text: str, words: list[str] | None = None) -> list[str]:
    """jieba words (minus stopwords) + CJK character bigrams, for documents and queries alike.

    `words` is the text's segmentation when it is already known (the built-in corpus ships it)."""
    if words is None:
        words = segment(text)
    tokens = [w for w in words if _keep(w)]
    for run in _CJK_RUN.findall(text):
        tokens.extend("#" + run[i:i + 2] for i in range(len(run) - 1))
    return tokens


def words(text: str) -> list[str]:
    """The indexed jieba words of a text (stopwords and punctuation dropped)."""
    return [w for w in segment(text) if _keep(w)]


def bigrams(text: str) -> list[str]:
    """CJK character bigrams, marked with '#' so they never collide with words."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend("#" + run[i:i + 2] for i in range(len(run) - 1))
    return out


def _bm25_arrays(flat: list[str], lengths: np.ndarray, k1: float, b: float) -> tuple[dict, dict[str, int]]:
    """bm25s's index (its default Lucene variant: idf = ln(1 + (N - df + .5)/(df + .5)), tf part
    tf / (tf + k1(1 - b + b·len/avglen))) computed with numpy in seconds instead of bm25s's Python
    loops (a minute for the built-in corpus); the result is bm25s's own CSC layout, so its scoring,
    saving and loading are unchanged."""
    vocab = {tok: i for i, tok in enumerate(dict.fromkeys(flat))}
    vocab.setdefault("", len(vocab))  # bm25s's empty token
    n_docs, n_vocab = len(lengths), len(vocab)
    tok = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    keys, tf = np.unique(tok * n_docs + doc, return_counts=True)  # sorted by token, then document
    cols, rows = keys // n_docs, keys % n_docs
    df = np.bincount(cols, minlength=n_vocab)
    idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
    norm = k1 * ((1 - b) + b * lengths / lengths.mean())
    data = (idf[cols] * tf / (norm[rows] + tf)).astype(np.float32)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {"data": data, "indices": rows.astype(np.int32), "indptr": indptr, "num_docs": n_docs}, vocab


class LexicalIndex:
    """BM25 over a fixed list of document ids; `scores` returns one score per id, aligned with `ids`."""

    def __init__(self, ids: list[str], model):
        self.ids = ids
        self._model = model
        self._vocab = model.vocab_dict if model is not None else {}

    @classmethod
    def build(cls, ids: Sequence[str], token_lists: Sequence[list[str]]) -> "LexicalIndex":
        if not ids:
            return cls([], None)
        import bm25s

        from itertools import chain

        model = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        token_lists = [t or ["#∅"] for t in token_lists]
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        scores, vocab = _bm25_arrays(list(chain.from_iterable(token_lists)), lengths, BM25_K1, BM25_B)
        return cls._from_arrays(list(ids), model, scores, vocab)

    @classmethod
    def build_joined(cls, ids: Sequence[str], joined: Sequence[str], sep: str) -> "LexicalIndex":
        """Like `build`, from one `sep`-joined token string per document (how the token cache keeps them)."""
        if not ids:
            return cls([], None)
        import bm25s

        model = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        joined = [j or "#∅" for j in joined]
        flat = sep.join(joined).split(sep)
        lengths = np.fromiter((j.count(sep) + 1 for j in joined), dtype=np.int64, count=len(joined))
        scores, vocab = _bm25_arrays(flat, lengths, BM25_K1, BM25_B)
        return cls._from_arrays(list(ids), model, scores, vocab)

    @classmethod
    def _from_arrays(cls, ids: list[str], model, scores: dict, vocab: dict[str, int]) -> "LexicalIndex":
        model.scores, model.vocab_dict = scores, vocab
        model.unique_token_ids_set = set(vocab.values())
        model.nonoccurrence_array = None  # only BM25L/BM25+ use it
        return cls(ids, model)

    def df(self, token: str) -> int:
        """How many indexed documents contain the token (0 if none)."""
        tid = self._vocab.get(token)
        if tid is None or self._model is None:
            return 0
        ptr = self._model.scores["indptr"]
        return int(ptr[tid + 1] - ptr[tid])

    def knows(self, text: str) -> bool:
        """Does any indexed document contain this text as one of its words?"""
        return text in self._vocab or any(w in self._vocab for w in words(text)) and len(words(text)) == 1

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self._vocab]
        if not known or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self._model.get_scores(known)

    def save(self, directory: Path, fingerprint: str) -> None:
        if self._model is None:
            return
        directory.mkdir(parents=True, exist_ok=True)
        self._model.save(str(directory / "bm25"))
        (directory / "ids.json").write_text(json.dumps({"fingerprint": fingerprint, "ids": self.ids}),
                                            encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, fingerprint: str) -> "LexicalIndex | None":
        """The saved index, or None if absent or built from other catalog content."""
        meta = directory / "ids.json"
        if not meta.exists():
            return None
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            if data.get("fingerprint") != fingerprint:
                return None
            import bm25s

            model = bm25s.BM25.load(str(directory / "bm25"))
            return cls(data["ids"], model)
        except Exception:  # a half-written or old index is simply rebuilt
            log.warning("词法索引无法读取，将重建", exc_info=True)
            return None
