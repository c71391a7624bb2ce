"""First start after the move to the database: import the JSON files earlier versions wrote.

    <home>/users/users.json                    accounts (scrypt records keep working: same salt and hash)
    <home>/users/<user>/exams.jsonl            graded papers -> attempts (with a placeholder paper: no items kept)
    <home>/users/<user>/mistakes.json          错题本 -> mistakes keyed by law title + article number
    <home>/audit.jsonl (or users/audit.jsonl)  knowledge-base audit log

Each file is imported in one transaction together with a marker in `meta`, so a second process starting at the
same moment waits and then skips it; afterwards the file is renamed to `*.migrated` (kept as a backup). A torn
file is imported as far as it can be read: unreadable lines are counted and named in the report; an unreadable
users.json is left in place (nothing imported from it) and reported, so the operator can repair it and restart."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from ..accounts.passwords import from_users_json
from .database import Database
from .models import (ROLE_LEARNER, ROLES, Attempt, AuditEntry, MetaEntry, Mistake, Paper, User, utcnow)

log = logging.getLogger(__name__)

_LOCK = 0x78756567  # PostgreSQL advisory lock: one importer at a time


@dataclass
class LegacyReport:
    users: int = 0
    attempts: int = 0
    mistakes: int = 0
    audit: int = 0
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.files and not self.problems

    def summary(self) -> str:
        text = (f"已从旧版 JSON 文件迁移：用户 {self.users} 个，考试记录 {self.attempts} 条，错题 {self.mistakes} 条，"
                f"审计记录 {self.audit} 条（{len(self.files)} 个文件）。")
        return text + ("问题：" + "；".join(self.problems) if self.problems else "")


def _time(value: Any) -> datetime:
    """Local naive ISO times of the JSON files -> aware UTC."""
    try:
        dt = datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return utcnow()
    return (dt if dt.tzinfo else dt.astimezone()).astimezone(timezone.utc)


def _lines(path: Path, report: LegacyReport) -> list[dict]:
    out, bad = [], 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            if isinstance(entry, dict):
                out.append(entry)
                continue
        except ValueError:
            pass
        bad += 1
    if bad:
        report.problems.append(f"{path}：{bad} 行无法读取（文件可能在写入时中断），已跳过")
    return out


def _user_dirname(name: str) -> str:
    from assistant.exam.grading import user_dirname

    return user_dirname(name)


class LegacyImport:
    def __init__(self, db: Database, home: Path | str, users_dir: Path | str | None = None):
        self.db = db
        self.home = Path(home)
        self.users_dir = Path(users_dir) if users_dir is not None else self.home / "users"

    def candidates(self) -> list[Path]:
        found = [self.users_dir / "users.json", self.home / "audit.jsonl", self.users_dir / "audit.jsonl"]
        if self.users_dir.is_dir():
            for d in sorted(p for p in self.users_dir.iterdir() if p.is_dir()):
                found += [d / "exams.jsonl", d / "mistakes.json"]
        return [p for p in found if p.is_file()]

    def run(self) -> LegacyReport:
        report = LegacyReport()
        files = self.candidates()
        if not files:
            return report
        users_json = self.users_dir / "users.json"
        if users_json in files:  # accounts first: the other files refer to them by name
            files.remove(users_json)
            files.insert(0, users_json)
        for path in files:
            try:
                self._one(path, report)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the app from starting
                log.exception("legacy import of %s failed", path)
                report.problems.append(f"{path}：导入失败（{exc}），文件保留未动")
        if not report.empty:
            log.warning("%s", report.summary())
            with self.db.session() as s:
                s.add(AuditEntry(user="系统", action="数据迁移", target="旧版 JSON 文件", time=utcnow(),
                                 detail={"users": report.users, "attempts": report.attempts,
                                         "mistakes": report.mistakes, "audit": report.audit,
                                         "files": report.files, "problems": report.problems}))
        return report

    def _one(self, path: Path, report: LegacyReport) -> None:
        key = f"legacy:{path.relative_to(self.home) if path.is_relative_to(self.home) else path}"
        with self.db.session() as s:
            if not self.db.is_sqlite:
                s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
            if s.get(MetaEntry, key) is None:  # else another process imported it meanwhile
                counts = self._import(s, path, report)
                if counts is None:
                    return  # unreadable: nothing imported, not marked, file left in place
                s.add(MetaEntry(key=key, value=json.dumps({"time": utcnow().isoformat(), **counts})))
                report.files.append(str(path))
        if path.exists():
            try:
                path.rename(path.with_name(path.name + ".migrated"))
            except OSError:
                log.warning("could not rename %s after migrating it", path)

    # ---- per file -------------------------------------------------------------------------------
    def _import(self, s, path: Path, report: LegacyReport) -> dict | None:
        if path.name == "users.json":
            return self._users(s, path, report)
        if path.name == "audit.jsonl":
            n = 0
            for e in _lines(path, report):
                detail = {k: v for k, v in e.items() if k not in ("time", "user", "action", "target")}
                s.add(AuditEntry(time=_time(e.get("time")), user=str(e.get("user", ""))[:64],
                                 action=str(e.get("action", ""))[:32], target=str(e.get("target", ""))[:300],
                                 detail=detail))
                n += 1
            report.audit += n
            return {"audit": n}
        user = self._owner(s, path.parent)
        if user is None:
            report.problems.append(f"{path.parent}：找不到对应的用户，未导入")
            return None
        if path.name == "exams.jsonl":
            return self._exams(s, path, user, report)
        return self._mistakes(s, path, user, report)

    def _users(self, s, path: Path, report: LegacyReport) -> dict | None:
        try:
            users = json.loads(path.read_text(encoding="utf-8")).get("users", {})
        except (OSError, ValueError, AttributeError) as exc:
            report.problems.append(f"{path}：无法读取（{exc}），未导入任何用户；请修复该文件后重启，"
                                   "或用 `xuefa user add` 重新添加用户")
            return None
        n = 0
        for name, rec in users.items():
            if s.scalar(select(User.id).where(User.name == name)) is not None:
                continue
            try:
                stored = from_users_json(rec)
            except (KeyError, TypeError, ValueError):
                report.problems.append(f"{path}：用户 {name} 的记录不完整，未导入")
                continue
            role = rec.get("role") if rec.get("role") in ROLES else ROLE_LEARNER
            s.add(User(name=name, password_hash=stored, role=role, disabled=False,
                       created_at=_time(rec.get("created")), updated_at=utcnow()))
            n += 1
        s.flush()
        report.users += n
        return {"users": n}

    def _owner(self, s, directory: Path) -> User | None:
        """The account a per-user directory belongs to (directory names are `user_dirname(name)`)."""
        for u in s.scalars(select(User)):
            if _user_dirname(u.name) == directory.name:
                return u
        name = directory.name
        if _user_dirname(name) != name:  # a mangled name whose account is gone: cannot tell whose it was
            return None
        user = User(name=name, password_hash="!", role=ROLE_LEARNER, disabled=False, created_at=utcnow(),
                    updated_at=utcnow())
        s.add(user)
        s.flush()
        return user

    def _exams(self, s, path: Path, user: User, report: LegacyReport) -> dict:
        import secrets

        n = 0
        for e in _lines(path, report):
            done = _time(e.get("time"))
            elapsed = float(e.get("elapsed_seconds") or 0)
            paper = Paper(id=secrets.token_hex(16), user_id=user.id, title=str(e.get("title", ""))[:200], seed=0,
                          minutes=0, total=float(e.get("total") or 0), pass_mark=float(e.get("pass_mark") or 0),
                          kind="legacy", data={"title": e.get("title", ""), "items": [], "legacy": True},
                          created_at=done)
            s.add(paper)
            s.flush()
            s.add(Attempt(paper_id=paper.id, user_id=user.id, number=1, title=paper.title,
                          started_at=done - timedelta(seconds=elapsed), submitted_at=done, late=False,
                          score=float(e.get("score") or 0), total=paper.total, pass_mark=paper.pass_mark,
                          passed=bool(e.get("passed")),
                          result={"legacy": True, "elapsed_seconds": elapsed, "per_law": e.get("per_law", {}),
                                  "items": [], "wrong": e.get("wrong", 0)}))
            n += 1
        report.attempts += n
        return {"attempts": n}

    def _mistakes(self, s, path: Path, user: User, report: LegacyReport) -> dict | None:
        try:
            articles = json.loads(path.read_text(encoding="utf-8")).get("articles", {})
        except (OSError, ValueError, AttributeError) as exc:
            report.problems.append(f"{path}：无法读取（{exc}），该用户的错题本未导入")
            return None
        rows: dict[tuple[str, int, int], Mistake] = {
            (m.doc_key, m.article, m.sub): m for m in s.scalars(select(Mistake).where(Mistake.user_id == user.id))}
        n = 0
        for e in articles.values():
            try:
                k = (str(e["law"]), int(e["article"]), int(e.get("sub") or 0))
            except (KeyError, TypeError, ValueError):
                continue
            row = rows.get(k)
            if row is None:  # two versions of a law (two article ids) become one stable key
                row = rows[k] = Mistake(user_id=user.id, doc_key=k[0], article=k[1], sub=k[2], wrong=0, right=0,
                                        law_id=str(e.get("law_id") or ""), label=str(e.get("label") or ""), items=[])
                s.add(row)
            row.wrong += int(e.get("wrong") or 0)
            row.right += int(e.get("right") or 0)
            if e.get("last_wrong"):
                t = _time(e["last_wrong"])
                row.last_wrong = max(row.last_wrong, t) if row.last_wrong else t
            row.items = (list(row.items) + list(e.get("items") or []))[-10:]
            n += 1
        report.mistakes += n
        return {"mistakes": n}


def import_legacy_json(db: Database, home: Path | str, users_dir: Path | str | None = None) -> LegacyReport:
    return LegacyImport(db, home, users_dir).run()
