"""Versions not yet in force (build time): a version whose 施行日期 is after the build date is 尚未生效, and the
version it will replace stays 现行有效 until then (农业法 2026年修订 takes effect 2027-01-01; the 2012 text applies)."""

from __future__ import annotations

from dataclasses import replace

from knowledge.models import STATUS_CURRENT, STATUS_HISTORICAL, STATUS_PENDING, Article, Law

Doc = tuple[Law, list[Article]]


def apply_pending(docs: list[Doc], today: str) -> list[Doc]:
    """Same documents, statuses decided against `today` (ISO date); order kept."""
    by_title: dict[str, list[int]] = {}
    for i, (law, _) in enumerate(docs):
        by_title.setdefault(law.title, []).append(i)
    out = list(docs)
    for idx in by_title.values():
        pending = [i for i in idx if out[i][0].status in (STATUS_CURRENT, STATUS_PENDING) and (out[i][0].effective_date or "") > today]
        for i in pending:
            law, arts = out[i]
            out[i] = (replace(law, status=STATUS_PENDING, note=f"{law.effective_date}起施行"), arts)
        if not pending:
            continue
        next_in_force = min(out[i][0].effective_date for i in pending)
        older = [i for i in idx if out[i][0].status == STATUS_HISTORICAL
                 and (out[i][0].publish_date or "") <= today and (out[i][0].effective_date or "") <= today]
        if older and not any(out[i][0].status == STATUS_CURRENT for i in idx):
            i = max(older, key=lambda j: (out[j][0].publish_date or "", out[j][0].effective_date or ""))
            law, arts = out[i]
            out[i] = (replace(law, status=STATUS_CURRENT, note=f"新版本{next_in_force}起施行，此前仍适用本文本"), arts)
    return out
