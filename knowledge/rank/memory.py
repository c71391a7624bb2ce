"""Question memory: training-fold questions with their gold articles, as a learned component of ranking.

A new question's nearest remembered questions (TF-IDF cosine over jieba words and CJK bigrams) vote for their
gold articles and for the laws those articles belong to. Real layperson questions repeat topics (divorce
property, unpaid wages, trademark squatting …) in words statutes never use; the memory carries that link.

The data file (knowledge/data/question_memory.json) is written by scripts/build_memory.py from the training
folds only (fold 0 is never in it). Every entry keeps its fold so benchmarks and the re-ranker's training can
leave a question's own fold out (cross-fitting): a question never votes for itself.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..lexical import bigrams, words

MEMORY_FILE = Path(__file__).resolve().parent.parent / "data" / "question_memory.json"
_TITLE_NOISE = re.compile(r"中华人民共和国|[《》\s]")
BIGRAM_WEIGHT = 0.5  # a bigram counts half a word: words carry the meaning, bigrams survive segmentation
MIN_SIM = 0.05  # below this a neighbour shares only filler (怎么, 可以): no vote


def norm_title(title: str) -> str:
    """Titles as golds are labelled: without 中华人民共和国 and book-title marks."""
    return _TITLE_NOISE.sub("", title)


Key = tuple[str, int, int]  # (normalised law title, article number, sub)


@dataclass(frozen=True)
class Entry:
    question: str
    golds: tuple[Key, ...]
    fold: int


def question_tokens(text: str) -> dict[str, float]:
    """Term weights of a question before IDF: words 1, bigrams BIGRAM_WEIGHT."""
    tf: dict[str, float] = {}
    for w in words(text):
        tf[w] = tf.get(w, 0.0) + 1.0
    for b in bigrams(text):
        tf[b] = tf.get(b, 0.0) + BIGRAM_WEIGHT
    return tf


@dataclass
class Votes:
    """What the nearest remembered questions say about a new one."""

    articles: dict[Key, float]  # best similarity of a neighbour citing the article
    laws: dict[str, float]  # share of the neighbours' similarity whose golds are in the law
    best: float  # similarity of the nearest neighbour

    @property
    def ranked(self) -> list[Key]:
        return sorted(self.articles, key=lambda k: (-self.articles[k], k))


EMPTY = Votes({}, {}, 0.0)


class QuestionMemory:
    def __init__(self, entries: Iterable[Entry], neighbours: int = 20, fingerprint: str = "none"):
        self.entries = list(entries)
        self.neighbours = neighbours
        self.fingerprint = fingerprint
        self._index: dict[str, list[tuple[int, float]]] | None = None
        self._idf: dict[str, float] = {}

    @classmethod
    def load(cls, path: Path = MEMORY_FILE) -> "QuestionMemory":
        raw = path.read_bytes()
        data = json.loads(raw.decode("utf-8"))
        entries = [Entry(e["question"], tuple((norm_title(t), int(n), int(s)) for t, n, s in e["golds"]),
                         int(e["fold"])) for e in data["entries"]]
        return cls(entries, int(data.get("neighbours", 20)), hashlib.sha1(raw).hexdigest()[:12])

    def _ensure(self) -> dict[str, list[tuple[int, float]]]:
        """Inverted index of L2-normalised TF-IDF vectors (built on first use: ~600 questions, well under 1 s)."""
        if self._index is None:
            tfs = [question_tokens(e.question) for e in self.entries]
            n = len(tfs)
            df: dict[str, int] = {}
            for tf in tfs:
                for t in tf:
                    df[t] = df.get(t, 0) + 1
            self._idf = {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}
            index: dict[str, list[tuple[int, float]]] = {}
            for i, tf in enumerate(tfs):
                vec = {t: v * self._idf[t] for t, v in tf.items()}
                norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
                for t, v in vec.items():
                    index.setdefault(t, []).append((i, v / norm))
            self._index = index
        return self._index

    def nearest(self, text: str, exclude_fold: int | None = None) -> list[tuple[int, float]]:
        """(entry index, cosine) of the nearest remembered questions, best first; entries of `exclude_fold`
        are left out (cross-fitting)."""
        index = self._ensure()
        tf = question_tokens(text)
        # a term no remembered question has carries the IDF of a one-off term: a question full of unknown words
        # stays far from everything instead of matching on its one common word
        unseen = math.log((len(self.entries) + 1) / 0.5)
        vec = {t: v * self._idf.get(t, unseen) for t, v in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        sims: dict[int, float] = {}
        for t, v in vec.items():
            for i, w in index.get(t, ()):
                sims[i] = sims.get(i, 0.0) + v * w / norm
        sims = {i: s for i, s in sims.items() if s >= MIN_SIM and self.entries[i].fold != exclude_fold}
        return sorted(sims.items(), key=lambda t: (-t[1], t[0]))[:self.neighbours]

    def votes(self, text: str, exclude_fold: int | None = None) -> Votes:
        near = self.nearest(text, exclude_fold)
        if not near:
            return EMPTY
        arts: dict[Key, float] = {}
        laws: dict[str, float] = {}
        total = sum(s for _, s in near) or 1.0
        for i, s in near:
            golds = self.entries[i].golds
            for key in golds:
                arts[key] = max(arts.get(key, 0.0), s)
            for title in dict.fromkeys(k[0] for k in golds):
                laws[title] = laws.get(title, 0.0) + s / total
        return Votes(arts, laws, near[0][1])


def load_default_memory() -> QuestionMemory | None:
    return QuestionMemory.load(MEMORY_FILE) if MEMORY_FILE.exists() else None


def memory_fingerprint(path: Path = MEMORY_FILE) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:12] if path.exists() else "none"
