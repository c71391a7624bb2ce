"""Question sets, their fixed folds, and which golds a knowledge base can hold.

Folds: fold = sha1(question text) mod 5, fixed forever (no seed, no shuffling), so a question never changes
sides. Fold 0 is held out: nothing is tuned on it (lexicon, weights, thresholds, the re-ranker); folds 1-4
are the training folds. Benchmarks print misses of training folds only, so looking at failures cannot leak
the held-out fold into the next change.

Sets:
  dev    benchmarks/devset.jsonl: {"id", "question", "kind", "gold": [{"law", "article"}]}, kinds exam,
         colloquial, scenario, lookup. Caveat: the whole file informed the old substring term map (before
         issue #10), so even its held-out fold is optimistic; STARD is the cleaner measure.
  stard  ../shared/benchmarks/stard_dev.jsonl: {"id", "question", "golds": [[title, article(, "之一")]]},
         STARD's even half (real layperson questions). Gold titles follow STARD's spelling and are resolved
         here by title without 中华人民共和国 and book-title marks. A gold is *held* when the knowledge base has
         a current document of that title and the article number; questions with no held gold are reported
         and not scored. Golds on laws renumbered after STARD was labelled (its README names 治安管理处罚法)
         are not held.

  fresh  benchmarks/data/fresh_questions.jsonl, fresh2_ … fresh6_: the questions independent legal
         officers wrote in rounds 3 to 6 (the cadres' own words), each a held-out measure once and now seen; their
         answerable questions train here like dev (fixed folds, fold 0 held out). Later fresh sets, never seen,
         are the held-out measure of benchmarks/fresh.py and are not loaded here. Since round 7 fresh-5 and
         fresh-6 train the question memory; the shipped re-ranker is still round 6's: retrained with them it lost
         on the held-out folds (benchmarks/README.md, round 7) and was not adopted.

(benchmarks/heldout.jsonl, used before, was contaminated: its golds were edited while the term map was being
written. It is no longer used; the fixed folds replace it.)
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE / "devset.jsonl"
FRESH = tuple(HERE / "data" / f"{name}_questions.jsonl" for name in ("fresh", "fresh2", "fresh3", "fresh4",
                                                                            "fresh5", "fresh6"))
STARD = HERE.parent.parent / "shared" / "benchmarks" / "stard_dev.jsonl"
LOCAL_CORPUS = HERE.parent.parent / "shared" / "corpus" / "local"  # ingested by every benchmark and script
FOLDS = 5
HELDOUT = 0
# STARD's README: labels that predate a renumbering amendment. Decided from the README, not from results.
RENUMBERED = ("治安管理处罚法",)


def fold_of(question: str) -> int:
    return int(hashlib.sha1(question.strip().encode("utf-8")).hexdigest(), 16) % FOLDS


def norm_title(title: str) -> str:
    return re.sub(r"中华人民共和国|[《》\s]", "", title)


@dataclass
class Question:
    set: str
    id: str
    question: str
    kind: str
    gold: list[tuple[str, int, int]]  # (title as labelled, article, sub)
    fold: int = 0
    held: list[tuple[str, int, int]] = field(default_factory=list)  # golds the knowledge base can hold

    @property
    def heldout(self) -> bool:
        return self.fold == HELDOUT

    @property
    def scorable(self) -> bool:
        return bool(self.held)


def load_dev(path: Path = DEV) -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(Question("dev", str(d["id"]), d["question"], d.get("kind", "?"),
                                [(g["law"], int(g["article"]), 0) for g in d["gold"]], fold_of(d["question"])))
    return out


def load_fresh(paths=FRESH) -> list[Question]:
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line) if line.strip() else None
            if d and d.get("gold") and d.get("kind") != "offtopic":
                out.append(Question("fresh", f"{path.stem}-{d['id']}", d["question"], d.get("kind", "?"),
                                    [(g["law"], int(g["article"]), 0) for g in d["gold"]], fold_of(d["question"])))
    return out


def load_stard(path: Path = STARD) -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            gold = [(g[0], int(g[1]), 1 if len(g) > 2 and g[2] == "之一" else 0) for g in d["golds"]]
            out.append(Question("stard", f"stard-{d['id']}", d["question"], "stard", gold, fold_of(d["question"])))
    return out


def load_sets(names: list[str]) -> list[Question]:
    qs: list[Question] = []
    for name in names:
        if name == "dev":
            qs += load_dev()
        elif name == "stard":
            if not STARD.exists():
                raise SystemExit(f"找不到 {STARD}（../shared/benchmarks/stard_dev.jsonl）")
            qs += load_stard()
        elif name == "fresh":
            qs += load_fresh()
        else:
            raise SystemExit(f"unknown set {name!r}: dev, stard or fresh")
    return qs


def mark_held(kb, questions: list[Question]) -> None:
    """Fill `held`: golds whose current document and article the knowledge base has."""
    by_title: dict[str, list] = {}
    for law in kb.catalog.laws():
        if law.is_current:
            by_title.setdefault(norm_title(law.title), []).append(law)
    for q in questions:
        q.held = []
        for title, number, sub in q.gold:
            t = norm_title(title)
            if any(t == norm_title(r) for r in RENUMBERED):
                continue
            for law in by_title.get(t, []):
                if kb.catalog.article(law.law_id, number, sub) is not None:
                    q.held.append((title, number, sub))
                    break


def gold_keys(q: Question) -> set[tuple[str, int, int]]:
    return {(norm_title(t), n, s) for t, n, s in q.held}


def hit_key(hit) -> tuple[str, int, int]:
    return norm_title(hit.law.title), hit.article.number, hit.article.sub


def first_gold_rank(hits, q: Question) -> int | None:
    want = gold_keys(q)
    for i, h in enumerate(hits, start=1):
        if hit_key(h) in want:
            return i
    return None


def open_services(home: Path, corpus: Path | None = None, need_vectors: bool = True):
    """Services over an already built knowledge base (e.g. a copy of /work/homes/full), without embedding
    anything: benchmarks must not start a full vector build; incomplete vectors are an error, not a silently
    weaker dense mode (unless only lexical modes run: `need_vectors=False`)."""
    from assistant.config import Settings
    from assistant.services import build_services

    if need_vectors and not (Path(home) / "catalog.sqlite3").exists():
        raise SystemExit(f"{home} 中没有知识库：请先复制已建好的知识库（如 cp -a /work/homes/full {home}）。")
    services = build_services(Settings(home=home), llm=None, vectors="skip")
    if corpus is not None and Path(corpus).is_dir():
        services.ingest([corpus])  # a few local documents: embedded as they are added
    status = services.kb.vector_status()
    if need_vectors and status.get("done", 0) < status.get("total", 0):
        raise SystemExit(f"{home} 的向量不完整（{status['done']}/{status['total']}）：请先运行 xuefa index。")
    return services
