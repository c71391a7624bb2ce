"""Units as a tree (县 → 部门/乡镇 → 科室); paths like 某县/教育局/办公室 name a unit unambiguously."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from knowledge.errors import NotFoundError, XuefaError

from ..database import Database
from ..models import Unit, User

SEP = "/"
_NAME_RE = re.compile(r"^[^/\\\x00-\x1f]{1,64}$")


def _checked(name: str) -> str:
    name = (name or "").strip()
    if not _NAME_RE.match(name):
        raise XuefaError("单位名称应为 1～64 个字符，且不能含“/”或控制字符。")
    return name


class UnitRepo:
    def __init__(self, db: Database):
        self.db = db

    # ---- reading ------------------------------------------------------------------------------
    def all(self) -> list[Unit]:
        with self.db.read() as s:
            return list(s.scalars(select(Unit).order_by(Unit.parent_id.is_not(None), Unit.parent_id, Unit.name)))

    def get(self, unit_id: int) -> Unit | None:
        with self.db.read() as s:
            return s.get(Unit, unit_id)

    def paths(self) -> dict[int, str]:
        """Every unit's full path, by id."""
        units = {u.id: u for u in self.all()}
        out: dict[int, str] = {}

        def path(uid: int, depth: int = 0) -> str:
            if uid in out:
                return out[uid]
            u = units[uid]
            p = u.name if u.parent_id is None or depth > 32 else path(u.parent_id, depth + 1) + SEP + u.name
            out[uid] = p
            return p

        for uid in units:
            path(uid)
        return out

    def path(self, unit_id: int | None) -> str:
        return self.paths().get(unit_id, "") if unit_id is not None else ""

    def find(self, ref: str | int | None) -> Unit | None:
        """A unit by id, full path (某县/教育局) or a name that is unique in the tree."""
        if ref is None or ref == "":
            return None
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            found = self.get(int(ref))
            if found is not None:
                return found
        ref = str(ref).strip().strip(SEP)
        paths = self.paths()
        for uid, p in paths.items():
            if p == ref:
                return self.get(uid)
        named = [uid for uid, p in paths.items() if p.rsplit(SEP, 1)[-1] == ref]
        if len(named) > 1:
            raise XuefaError(f"有 {len(named)} 个名为“{ref}”的单位，请写完整路径，如："
                             f"{'、'.join(sorted(paths[u] for u in named)[:3])}")
        return self.get(named[0]) if named else None

    def require(self, ref: str | int) -> Unit:
        unit = self.find(ref)
        if unit is None:
            raise NotFoundError(f"没有单位“{ref}”，请先用 `xuefa unit add` 添加，或检查名称。")
        return unit

    def descendants(self, unit_id: int) -> set[int]:
        """The unit and every unit below it."""
        children: dict[int | None, list[int]] = {}
        for u in self.all():
            children.setdefault(u.parent_id, []).append(u.id)
        out, todo = set(), [unit_id]
        while todo:
            uid = todo.pop()
            if uid not in out:
                out.add(uid)
                todo.extend(children.get(uid, []))
        return out

    def member_counts(self) -> dict[int, int]:
        with self.db.read() as s:
            rows = s.execute(select(User.unit_id, func.count()).where(User.unit_id.is_not(None))
                             .group_by(User.unit_id))
            return {uid: n for uid, n in rows}

    # ---- writing ------------------------------------------------------------------------------
    def add(self, name: str, parent: str | int | None = None) -> Unit:
        name = _checked(name)
        parent_unit = self.require(parent) if parent not in (None, "") else None
        parent_id = parent_unit.id if parent_unit else None
        with self.db.session() as s:
            clash = s.scalar(select(Unit).where(Unit.name == name, Unit.parent_id.is_(None) if parent_id is None
                                                else Unit.parent_id == parent_id))
            if clash is not None:
                raise XuefaError(f"单位“{self.path(clash.id)}”已存在。")
            unit = Unit(name=name, parent_id=parent_id)
            s.add(unit)
            try:
                s.flush()
            except IntegrityError as exc:
                raise XuefaError(f"单位“{name}”已存在。") from exc
        return unit

    def ensure_path(self, path: str) -> Unit:
        """The unit at 某县/教育局/办公室, creating missing levels (used by the Excel import)."""
        parts = [p.strip() for p in (path or "").split(SEP) if p.strip()]
        if not parts:
            raise XuefaError("单位不能为空。")
        parent: Unit | None = None
        for i, part in enumerate(parts):
            existing = self.find(SEP.join(parts[: i + 1])) if i else self._root(part)
            parent = existing or self.add(part, parent.id if parent else None)
        assert parent is not None
        return parent

    def _root(self, name: str) -> Unit | None:
        with self.db.read() as s:
            return s.scalar(select(Unit).where(Unit.name == name, Unit.parent_id.is_(None)))

    def rename(self, unit_id: int, name: str) -> Unit:
        name = _checked(name)
        with self.db.session() as s:
            unit = s.get(Unit, unit_id)
            if unit is None:
                raise NotFoundError(f"没有编号为 {unit_id} 的单位。")
            unit.name = name
            try:
                s.flush()
            except IntegrityError as exc:
                raise XuefaError(f"同一上级下已有单位“{name}”。") from exc
        return unit

    def remove(self, unit_id: int) -> None:
        """Only an empty unit (no sub-units, no members) can be removed."""
        with self.db.session() as s:
            unit = s.get(Unit, unit_id)
            if unit is None:
                raise NotFoundError(f"没有编号为 {unit_id} 的单位。")
            if s.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit_id)):
                raise XuefaError(f"单位“{unit.name}”下还有下级单位，不能删除。")
            if s.scalar(select(func.count()).select_from(User).where(User.unit_id == unit_id)):
                raise XuefaError(f"单位“{unit.name}”下还有用户，请先调整这些用户的单位。")
            s.delete(unit)
