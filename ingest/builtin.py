"""The built-in corpus: packs of documents built by scripts/build_corpus.py into knowledge/corpus/.

Each pack is one gzip'd JSON-lines file (a document a line); `manifest.json` lists the packs with their
counts and a digest. Which packs a knowledge base loads is a setting (`XUEFA_PACKS`); loading is
idempotent, keyed by the manifest digest and the pack list.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from importlib import resources

from knowledge.models import SOURCE_NATIONAL, Article, Law

log = logging.getLogger(__name__)

META_KEY = "builtin_corpus"
PACKAGE = "knowledge.corpus"
# pack id -> what a user sees in settings and the UI
PACK_NAMES = {
    "laws": "法律（含宪法、立法解释）",
    "xzfg": "行政法规",
    "sfjs": "司法解释",
    "bmgz": "部门规章",
    "party": "党内法规",
    "shandong": "山东省地方性法规",
}
ALL_PACKS = tuple(PACK_NAMES)

SEG_SEP = "\x1f"  # between jieba words in the shipped segmentation (never in statute text)
_LAW_FIELDS = [f.name for f in fields(Law)]
_ARTICLE_FIELDS = ("number", "sub", "part", "chapter", "section", "text", "is_paragraph")


def encode_document(law: Law, articles: list[Article]) -> str:
    """One pack line: the law's fields and its articles as compact rows (ordinal = position)."""
    return json.dumps({"law": law.to_dict(),
                       "articles": [[getattr(a, f) for f in _ARTICLE_FIELDS] for a in articles]},
                      ensure_ascii=False, separators=(",", ":"))


def decode_document(line: str) -> tuple[Law, list[Article]]:
    row = json.loads(line)
    law = Law(**{k: v for k, v in row["law"].items() if k in _LAW_FIELDS})
    articles = [Article(law.law_id, i, number, text, sub=sub, part=part, chapter=chapter, section=section,
                        is_paragraph=bool(is_par))
                for i, (number, sub, part, chapter, section, text, is_par) in enumerate(row["articles"], 1)]
    return law, articles


def manifest() -> dict:
    """The built corpus's manifest; a Chinese error if the data file is missing from the package."""
    from knowledge.errors import XuefaError

    ref = resources.files(PACKAGE) / "manifest.json"
    try:
        return json.loads(ref.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise XuefaError("内置法规库数据文件缺失（knowledge/corpus/manifest.json），"
                         "请重新安装 xuefa 或运行 python scripts/build_corpus.py 生成") from exc


def read_pack(pack: str) -> Iterator[tuple[Law, list[Article]]]:
    from knowledge.errors import XuefaError

    if pack not in PACK_NAMES:
        raise XuefaError(f"未知的内置法规包“{pack}”，可选：{'、'.join(PACK_NAMES)}")
    ref = resources.files(PACKAGE) / f"{pack}.jsonl.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield decode_document(line)


def read_segmentation(pack: str) -> Iterator[tuple[str, list[list[str]]]]:
    """(law_id, per-article word lists) as shipped beside the pack."""
    ref = resources.files(PACKAGE) / f"{pack}.seg.jsonl.gz"
    if not ref.is_file():
        return
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                yield row["law_id"], [s.split(SEG_SEP) for s in row["seg"]]


def read_builtin(packs: Iterable[str] = ALL_PACKS) -> Iterator[tuple[Law, list[Article]]]:
    for pack in packs:
        yield from read_pack(pack)


def ensure_builtin(kb, packs: Iterable[str] = ALL_PACKS, progress: Callable[[int, int, str], None] | None = None) -> int:
    """Load the chosen packs into the catalog once; returns how many documents were (re)loaded.

    Indexing is left to `kb.ensure_indexes`. Built-in documents no longer in the chosen packs are removed."""
    packs = [p for p in ALL_PACKS if p in set(packs)]
    info = manifest()
    want = f"{info['digest']}:{','.join(packs)}"
    if kb.catalog.get_meta(META_KEY) == want:
        return 0
    total = sum(info["packs"][p]["documents"] for p in packs)
    existing = {law.law_id: law for law in kb.catalog.laws(source=SOURCE_NATIONAL)}
    keep: set[str] = set()
    docs: list[tuple[Law, list[Article]]] = []
    done = 0
    for law, articles in read_builtin(packs):
        keep.add(law.law_id)
        if existing.get(law.law_id) != law:  # new, or its text, dates or status changed
            docs.append((law, articles))
        done += 1
        if progress and (done % 100 == 0 or done == total):
            progress(done, total, "载入内置法规库")
    # a changed text keeps its article ids: its old vectors must go, so the vector build embeds the new text
    changed = [law.law_id for law, _ in docs
               if law.law_id in existing and existing[law.law_id].content_hash != law.content_hash]
    stale_vectors = [a.article_id for law_id in changed for a in kb.catalog.articles(law_id)]
    kb.catalog.add_many(docs)
    if stale_vectors and getattr(kb, "vectors", None) is not None:
        kb.vectors.delete(stale_vectors)
    _prime_tokens(kb, packs, {law.law_id for law, _ in docs}, info.get("segmenter"))
    stale = [law_id for law_id in existing if law_id not in keep]
    kb.catalog.remove_many(stale)
    kb.catalog.set_meta(META_KEY, want)
    log.info("内置法规库已载入：%s 件（新增或更新 %s 件，删除 %s 件）", total, len(docs), len(stale))
    return len(docs)


def _prime_tokens(kb, packs: list[str], law_ids: set[str], segmenter: str | None) -> None:
    """Hand the shipped segmentation to the lexical index (it checks each text still matches)."""
    from knowledge.lexical import segmenter_version

    prime = getattr(kb, "prime_segmentation", None)
    if not law_ids or prime is None or segmenter != segmenter_version():
        return
    for pack in packs:
        prime({law_id: seg for law_id, seg in read_segmentation(pack) if law_id in law_ids})
