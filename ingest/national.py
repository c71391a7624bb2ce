"""The built-in corpus as the rest of xuefa sees it (kept for callers of the first version's API).

The data now comes from the packs in knowledge/corpus (see ingest/builtin.py), built from official texts by
scripts/build_corpus.py; laws.db is read only at build time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from knowledge.models import Article, Law

from .builtin import ALL_PACKS, ensure_builtin, read_builtin


@lru_cache(maxsize=4)
def _read(packs: tuple[str, ...]) -> tuple[tuple[Law, tuple[Article, ...]], ...]:
    return tuple((law, tuple(articles)) for law, articles in read_builtin(packs))


def read_national(packs: Iterable[str] = ALL_PACKS) -> list[tuple[Law, list[Article]]]:
    """Every built-in document as (Law, articles), articles in their stored order (cached per process)."""
    return [(law, list(articles)) for law, articles in _read(tuple(packs))]


def ensure_national(kb, packs: Iterable[str] = ALL_PACKS,
                    progress: Callable[[int, int, str], None] | None = None) -> int:
    return ensure_builtin(kb, packs, progress=progress)
