"""The shipped re-ranker: a LightGBM LambdaRank model over `features.FEATURES`, read from a text model file.

No model file -> no re-ranking (fusion order stands). The file's hash goes into the index fingerprint."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from ..search import Candidates
from .features import FEATURES, candidate_features

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "ranker.lgb.txt"
META_FILE = MODEL_FILE.with_suffix(".json")


def model_fingerprint(path: Path = MODEL_FILE) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:12] if path.exists() else "none"


class LearnedRanker:
    """Re-orders the top `depth` fused candidates by the model's score; the rest keep their fused order."""

    def __init__(self, booster: Any, features: list[str], blend: float = 0.0):
        if list(features) != list(FEATURES):
            raise ValueError("re-ranker model was trained on other features; retrain with scripts/train_ranker.py")
        self.booster = booster
        self.blend = blend

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "LearnedRanker":
        import lightgbm as lgb

        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        return cls(lgb.Booster(model_str=path.read_text(encoding="utf-8")), meta["features"])

    def score(self, kb: Any, snap: Any, cands: Candidates, positions: list[int]) -> np.ndarray:
        x = candidate_features(kb, snap, cands, positions)
        return np.asarray(self.booster.predict(x, num_threads=1), dtype=np.float64)

    def rerank(self, kb: Any, snap: Any, cands: Candidates, depth: int) -> tuple[list[int], dict[int, float]]:
        head = cands.positions[:depth]
        if len(head) < 2:
            return cands.positions, cands.fused
        s = self.score(kb, snap, cands, head)
        order = [head[i] for i in np.argsort(-s, kind="stable")]
        # the head keeps the model's raw scores (comparable across questions: the answerer's support judgement
        # reads the first one); the tail follows below them in fused order
        tail = cands.positions[depth:]
        scores = {k: float(s[i]) for i, k in enumerate(head)}
        lo = float(s.min())
        for r, k in enumerate(tail, start=1):
            scores[k] = lo - 1e-3 * r
        return order + tail, scores


def load_default_ranker() -> LearnedRanker | None:
    if not MODEL_FILE.exists() or not META_FILE.exists():
        return None
    try:
        return LearnedRanker.load(MODEL_FILE)
    except Exception:  # noqa: BLE001 - a broken model must not break search: fusion order stands
        log.warning("重排序模型无法读取，检索改用融合排序", exc_info=True)
        return None
