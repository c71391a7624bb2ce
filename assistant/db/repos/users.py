"""Accounts: login name, unit, 职务级别, role, disabled flag and an opaque password hash.

Hashing lives in `assistant.accounts.passwords` (the one place); this repository only stores the string."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from knowledge.errors import NotFoundError, XuefaError

from ..database import Database
from ..models import ROLES, User, utcnow

_FIELDS = ("display_name", "unit_id", "position_level", "role", "disabled", "password_hash")


class UserExists(XuefaError):
    """A second account with the same login name."""


class UserRepo:
    def __init__(self, db: Database):
        self.db = db

    def add(self, name: str, password_hash: str, role: str, *, unit_id: int | None = None,
            position_level: str | None = None, display_name: str | None = None) -> User:
        if role not in ROLES:
            raise XuefaError(f"角色只能是 {'、'.join(ROLES)}，而不是 {role}。")
        user = User(name=name, password_hash=password_hash, role=role, unit_id=unit_id,
                    position_level=position_level or None, display_name=display_name or None, disabled=False)
        try:
            with self.db.session() as s:
                s.add(user)
        except IntegrityError as exc:
            if self.get(name) is not None:
                raise UserExists(f"用户 {name} 已存在。") from exc
            raise XuefaError(f"无法添加用户 {name}：单位不存在或数据不完整。") from exc
        return self.get(name) or user

    def get(self, name: str | None) -> User | None:
        if not name:
            return None
        with self.db.read() as s:
            return s.scalar(select(User).where(User.name == name))

    def by_id(self, user_id: int) -> User | None:
        with self.db.read() as s:
            return s.get(User, user_id)

    def require(self, name: str) -> User:
        user = self.get(name)
        if user is None:
            raise NotFoundError(f"没有用户 {name}。")
        return user

    def list(self, unit_ids: Iterable[int] | None = None, *, include_disabled: bool = True,
             roles: Iterable[str] | None = None, position_levels: Iterable[str] | None = None) -> list[User]:
        q = select(User).order_by(User.name)
        if unit_ids is not None:
            q = q.where(User.unit_id.in_(list(unit_ids)))
        if not include_disabled:
            q = q.where(User.disabled.is_(False))
        if roles is not None:
            q = q.where(User.role.in_(list(roles)))
        levels = [lv for lv in position_levels or [] if lv]
        if levels:
            q = q.where(User.position_level.in_(levels))
        with self.db.read() as s:
            return list(s.scalars(q))

    def count(self, *, can_login: bool = False) -> int:
        """All accounts, or only those that can log in (enabled, with a real password hash)."""
        q = select(func.count()).select_from(User)
        if can_login:
            q = q.where(User.disabled.is_(False), User.password_hash.like("%$%"))
        with self.db.read() as s:
            return s.scalar(q) or 0

    def update(self, name: str, **fields) -> User:
        """Change some of: display_name, unit_id, position_level, role, disabled, password_hash."""
        unknown = set(fields) - set(_FIELDS)
        if unknown:
            raise ValueError(f"unknown user fields: {sorted(unknown)}")
        if "role" in fields and fields["role"] not in ROLES:
            raise XuefaError(f"角色只能是 {'、'.join(ROLES)}，而不是 {fields['role']}。")
        with self.db.session() as s:
            n = s.execute(update(User).where(User.name == name).values(**fields, updated_at=utcnow())).rowcount
        if not n:
            raise NotFoundError(f"没有用户 {name}。")
        return self.require(name)

    def set_password(self, name: str, password_hash: str) -> User:
        return self.update(name, password_hash=password_hash)

    def set_disabled(self, name: str, disabled: bool = True) -> User:
        return self.update(name, disabled=bool(disabled))

    def remove(self, name: str) -> bool:
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.name == name))
            if user is None:
                return False
            s.delete(user)
            return True
