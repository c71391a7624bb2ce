"""Local files -> knowledge base: load, parse, content-hash ids, add / replace / skip, with a report.

Ids are content hashes, so ingesting the same file twice changes nothing ("unchanged"); a new text
of a regulation already ingested (same title and region) replaces the old one. One bad file is
recorded in the report with a Chinese reason and never stops the others.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from knowledge.catalog import Catalog
from knowledge.errors import IngestError
from knowledge.models import SOURCE_LOCAL, Article, Law

from .limits import DEFAULT_LIMITS, IngestLimits, too_many_articles
from .loaders import SUPPORTED_EXTENSIONS, load_text_with_info
from .structure import ParsedDocument, parse_document

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


class DocumentStore(Protocol):
    """What the pipeline needs from a knowledge base (KnowledgeBase and the test fake both fit)."""

    catalog: Catalog

    def add_document(self, law: Law, articles: list[Article], replaces: Iterable[str] = ()) -> Any:
        """Store `law` and retire the `replaces` law ids in one catalog transaction."""

    def remove_document(self, law_id: str) -> Any: ...


@dataclass
class IngestReport:
    """Per-file outcome of one ingest run."""

    added: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    replaced: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        return {"added": list(self.added), "unchanged": list(self.unchanged),
                "replaced": list(self.replaced), "failed": list(self.failed)}

    def summary(self) -> str:
        """One Chinese line for the CLI/UI."""
        text = (f"新增 {len(self.added)} 件，未变化 {len(self.unchanged)} 件，"
                f"更新 {len(self.replaced)} 件，失败 {len(self.failed)} 件")
        if self.failed:
            text += "：" + "；".join(f"{Path(f['path']).name}（{f['reason']}）" for f in self.failed)
        return text


def collect_files(paths: Iterable[Path | str], refused: list[dict[str, str]] | None = None) -> list[Path]:
    """Files named directly, plus supported files found under directories (sorted, hidden and ~$ temp files skipped).

    Inside a directory, symbolic links (they may point out of the tree, e.g. to /etc/passwd) and special
    files (pipes, devices, sockets) are never followed or read: they go to `refused` with a reason."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir() and not p.is_symlink():
            out.extend(_walk(p, refused if refused is not None else []))
        elif p.is_symlink() and p.is_dir():
            if refused is not None:
                refused.append({"path": str(p), "reason": _SYMLINK})
        else:
            out.append(p)
    return list(dict.fromkeys(out))


_SYMLINK = "是符号链接（快捷方式），出于安全考虑不跟随链接导入；请直接给出原文件"
_SPECIAL = "不是普通文件（是管道、设备或套接字等特殊文件），未导入"


def _walk(root: Path, refused: list[dict[str, str]]) -> list[Path]:
    import os
    import stat

    found: list[Path] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in list(dirs):
            if (base / d).is_symlink():
                refused.append({"path": str(base / d), "reason": _SYMLINK})
                dirs.remove(d)
        for name in names:
            f = base / name
            if name.startswith((".", "~$")):
                continue
            mode = f.lstat().st_mode
            if stat.S_ISLNK(mode):
                refused.append({"path": str(f), "reason": _SYMLINK})
            elif not stat.S_ISREG(mode):
                refused.append({"path": str(f), "reason": _SPECIAL})
            elif f.suffix.lower() in SUPPORTED_EXTENSIONS:
                found.append(f)
    return sorted(found)


def content_digest(title: str, parsed: ParsedDocument) -> str:
    """sha1 over the title and the normalised article labels and texts: the document's identity."""
    h = hashlib.sha1()
    h.update(title.encode("utf-8"))
    for a in parsed.articles:
        h.update(b"\x1e")
        h.update(f"{a.label}\x1f{a.text}".encode("utf-8"))
    return h.hexdigest()


def build_document(parsed: ParsedDocument, origin: str, *, level: str | None = None, region: str | None = None,
                   status: str | None = None) -> tuple[Law, list[Article]]:
    """A `Law` and its `Article`s (ordinal 1..n) from a parsed document; flags override inference."""
    digest = content_digest(parsed.title, parsed)
    law = Law(
        law_id="loc-" + digest[:12], title=parsed.title, level=level or parsed.level, issuer=parsed.issuer,
        region=region or parsed.region, status=status or parsed.status, source=SOURCE_LOCAL,
        publish_date=parsed.publish_date, effective_date=parsed.effective_date, doc_type=parsed.doc_type,
        content_hash=digest, origin=origin, structured=parsed.structured)
    articles = [Article(law_id=law.law_id, ordinal=i, number=a.number, text=a.text, sub=a.sub, part=a.part,
                        chapter=a.chapter, section=a.section, is_paragraph=a.is_paragraph)
                for i, a in enumerate(parsed.articles, 1)]
    return law, articles


def ingest_paths(kb: DocumentStore, paths: Iterable[Path | str], *, level: str | None = None,
                 region: str | None = None, status: str | None = None, max_bytes: int | None = None,
                 limits: IngestLimits | None = None, progress: Progress | None = None) -> IngestReport:
    """Ingest files and directories into `kb`; never raises for a bad file (see `report.failed`)."""
    from dataclasses import replace

    limits = limits or DEFAULT_LIMITS
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    report = IngestReport()
    files = collect_files(paths, refused=report.failed)
    for done, path in enumerate(files, 1):
        try:
            _ingest_one(kb, path, report, level=level, region=region, status=status, limits=limits)
        except IngestError as exc:
            log.info("ingest failed: %s", exc)
            report.failed.append({"path": str(path), "reason": exc.reason})
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
            log.exception("unexpected error ingesting %s", path)
            report.failed.append({"path": str(path), "reason": f"导入时发生内部错误（{type(exc).__name__}：{exc}），"
                                                               "请把该文件反馈给维护人员"})
        if progress is not None:
            progress(done, len(files), path.name)
    log.info("ingest: %d added, %d unchanged, %d replaced, %d failed", len(report.added),
             len(report.unchanged), len(report.replaced), len(report.failed))
    return report


def _ingest_one(kb: DocumentStore, path: Path, report: IngestReport, *, level: str | None, region: str | None,
                status: str | None, limits: IngestLimits) -> None:
    text, info = load_text_with_info(path, limits=limits)
    parsed = parse_document(text, filename=path.name)
    if not parsed.articles:
        raise IngestError(path.name, "没有识别出任何正文内容，请确认文件内容是法规或文件正文")
    if len(parsed.articles) > limits.max_articles:
        raise too_many_articles(path.name, len(parsed.articles), limits.max_articles)
    law, articles = build_document(parsed, path.name, level=level, region=region, status=status)
    entry: dict[str, Any] = {"path": str(path), "title": law.title, "articles": len(articles),
                             "law_id": law.law_id, "level": law.level, "region": law.region,
                             "warnings": list(parsed.warnings)}
    if info["ocr_pages"]:
        entry["ocr_pages"] = info["ocr_pages"]
        entry["warnings"].insert(0, f"扫描件：第{'、'.join(map(str, info['ocr_pages']))}页经文字识别（OCR）导入，请核对条文")
    catalog = kb.catalog
    previous = [old for old in catalog.laws_by_title(law.title)
                if old.source == SOURCE_LOCAL and old.region == law.region]
    existing = catalog.law_by_hash(law.content_hash or "")
    if existing is not None:
        entry.update(law_id=existing.law_id, level=existing.level, region=existing.region)
        stale = [old.law_id for old in previous if old.law_id != existing.law_id]
        if stale and existing.source == SOURCE_LOCAL:
            # two versions left by an interrupted replacement of an older xuefa: finish it now
            for law_id in stale:
                kb.remove_document(law_id)
            entry["previous_law_id"] = stale[0]
            report.replaced.append(entry)
        else:
            report.unchanged.append(entry)
        return
    # One catalog transaction inserts the new version and retires the old ones.
    kb.add_document(law, articles, replaces=[old.law_id for old in previous])
    if previous:
        entry["previous_law_id"] = previous[0].law_id
        report.replaced.append(entry)
    else:
        report.added.append(entry)
