"""Bringing back a built-in (national) document someone deleted: deleting 宪法 broke the default 任前 paper
for everyone, and nothing but a rebuilt data directory could undo it.

The built-in corpus is read-only package data (`ingest.national.read_national`), so a deleted document can
always be re-added from it; `xuefa restore TITLE` and the knowledge-base tab both use `restore_builtin`."""

from __future__ import annotations

from knowledge.errors import NotFoundError, XuefaError
from knowledge.lawnames import strip_title
from knowledge.models import Law

from .national import read_national


def builtin_index() -> list[tuple[str, str]]:
    """(law_id, title) of every built-in document (`read_national` is cached per process)."""
    return [(law.law_id, law.title) for law, _ in read_national()]


def missing_builtins(catalog) -> list[str]:
    """Titles of built-in documents whose current text is gone (deleted): some version of the title is missing
    and no current document of that title is left. Sorted, each once."""
    current = {law.title for law in catalog.laws() if law.is_current}
    return sorted({title for law_id, title in builtin_index()
                   if title not in current and catalog.law(law_id) is None})


def _matches(name: str, title: str) -> bool:
    name = (name or "").strip().strip("《》")
    return bool(name) and (name == title or name == strip_title(title))


def restore_builtin(kb, name: str) -> list[Law]:
    """Re-add every deleted version of the built-in document called `name` (full or short title)."""
    wanted = [(law_id, title) for law_id, title in builtin_index() if _matches(name, title)]
    if not wanted:
        raise NotFoundError(f"内置法律库中没有《{name}》，请检查标题（例如：中华人民共和国宪法 或 宪法）。")
    missing = {law_id for law_id, _ in wanted if kb.catalog.law(law_id) is None}
    if not missing:
        raise XuefaError(f"《{wanted[0][1]}》仍在知识库中，不需要恢复。")
    restored = []
    for law, articles in read_national():
        if law.law_id in missing:
            kb.add_document(law, articles)
            restored.append(law)
    return restored
