"""`Accounts`: adding, checking and managing users and who may manage whom.

A 管理员 manages everyone; a 单位管理员 manages the learners of their unit and its sub-units. The web app and
the CLI both go through this class; passwords are hashed only in `passwords`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.errors import NotFoundError, XuefaError

from ..db import ROLE_ADMIN, ROLE_LEARNER, ROLE_SETTER, ROLE_UNIT_ADMIN, ROLES, Database, UnitRepo, UserRepo
from ..db.models import User as UserRow
from . import passwords

MIN_PASSWORD = 8
NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,32}$")
LOCAL_USER_NAME = "本机用户"  # the single user of an app with no accounts (loopback only)
PLACEHOLDER_HASH = "!"  # an account that exists for records (CLI grading) but cannot log in


class PermissionDenied(XuefaError):
    """The signed-in user may not do this (checked server-side in every handler)."""


@dataclass(frozen=True)
class Account:
    """A signed-in user as the rest of the app sees it."""

    name: str
    role: str = ROLE_LEARNER
    id: int | None = None
    unit_id: int | None = None
    display_name: str | None = None
    position_level: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN

    @property
    def manages_units(self) -> bool:
        return self.role in (ROLE_ADMIN, ROLE_UNIT_ADMIN)

    @property
    def sets_items(self) -> bool:
        return self.role in (ROLE_ADMIN, ROLE_SETTER)

    @property
    def label(self) -> str:
        return f"{self.display_name}（{self.name}）" if self.display_name and self.display_name != self.name \
            else self.name

    @classmethod
    def of(cls, row: UserRow) -> Account:
        return cls(row.name, row.role, row.id, row.unit_id, row.display_name, row.position_level)


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME_RE.match(name) or name == LOCAL_USER_NAME:
        raise XuefaError("用户名只能由 1～32 个汉字、字母、数字、点、下划线或连字符组成。")
    return name


def check_password(password: str, name: str | None = None) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise XuefaError(f"密码至少 {MIN_PASSWORD} 位。")
    if passwords.is_common_password(password, username=name):
        raise XuefaError("这个密码太常见（或与用户名相同），容易被猜中，请换一个。")
    return password


class Accounts:
    def __init__(self, db: Database):
        self.db = db
        self.users = UserRepo(db)
        self.units = UnitRepo(db)

    # ---- reading ------------------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        """No account can log in: the app runs as one local user, loopback only."""
        return self.users.count(can_login=True) == 0

    def get(self, name: str | None) -> Account | None:
        row = self.users.get(name)
        return Account.of(row) if row is not None and not row.disabled else None

    def row(self, name: str) -> UserRow:
        return self.users.require(name)

    def list(self, actor: Account | None = None, unit: str | int | None = None,
             include_disabled: bool = True) -> list[UserRow]:
        """Users the actor may see: everyone for an admin, their unit's tree for a unit admin."""
        unit_ids = None
        if unit not in (None, ""):
            unit_ids = self.units.descendants(self.units.require(unit).id)
        if actor is not None and not actor.is_admin:
            own = self.scope(actor)
            unit_ids = own if unit_ids is None else unit_ids & own
        return self.users.list(unit_ids=unit_ids, include_disabled=include_disabled)

    def scope(self, actor: Account) -> set[int]:
        """Unit ids the actor manages (admins: all)."""
        if actor.is_admin:
            return {u.id for u in self.units.all()}
        if actor.role == ROLE_UNIT_ADMIN and actor.unit_id is not None:
            return self.units.descendants(actor.unit_id)
        return set()

    def verify(self, name: str, password: str) -> bool:
        """Constant-time: unknown, disabled and placeholder users cost the same as a wrong password."""
        row = self.users.get((name or "").strip())
        stored = row.password_hash if row is not None and not row.disabled else None
        return passwords.verify_password(password or "", stored)

    # ---- permissions --------------------------------------------------------------------------
    def require_manager(self, actor: Account, unit_id: int | None = None) -> None:
        if actor.is_admin:
            return
        if actor.role != ROLE_UNIT_ADMIN:
            raise PermissionDenied("只有管理员或单位管理员可以管理单位和用户。")
        if unit_id is not None and unit_id not in self.scope(actor):
            raise PermissionDenied("单位管理员只能管理本单位（含下级单位）的用户。")

    def _check_manage(self, actor: Account | None, row: UserRow | None, unit_id: int | None, role: str) -> None:
        if actor is None:  # the operator on the command line
            return
        self.require_manager(actor, unit_id)
        if not actor.is_admin:
            if role not in (ROLE_LEARNER, ROLE_SETTER):
                raise PermissionDenied("单位管理员只能添加学员或出题人。")
            if row is not None and (row.role in (ROLE_ADMIN, ROLE_UNIT_ADMIN) or row.unit_id not in self.scope(actor)):
                raise PermissionDenied("单位管理员只能管理本单位的学员和出题人。")

    # ---- writing ------------------------------------------------------------------------------
    def add(self, name: str, password: str, role: str = ROLE_LEARNER, *, unit: str | int | None = None,
            position_level: str | None = None, display_name: str | None = None, replace: bool = False,
            actor: Account | None = None) -> Account:
        name = check_name(name)
        if role not in ROLES:
            raise XuefaError(f"角色只能是 {'、'.join(ROLES)}，而不是 {role}。")
        check_password(password, name)
        unit_row = self.units.require(unit) if unit not in (None, "") else None
        unit_id = unit_row.id if unit_row else None
        if role == ROLE_UNIT_ADMIN and unit_id is None:
            raise XuefaError("单位管理员必须属于一个单位（--unit）。")
        existing = self.users.get(name)
        self._check_manage(actor, existing, unit_id if unit_id is not None else (actor.unit_id if actor else None),
                           role)
        if actor is not None and not actor.is_admin and unit_id is None:
            unit_id = actor.unit_id
        fields = dict(role=role, unit_id=unit_id, position_level=(position_level or "").strip() or None,
                      display_name=(display_name or "").strip() or None)
        if existing is not None and (replace or existing.password_hash == PLACEHOLDER_HASH):
            row = self.users.update(name, password_hash=passwords.hash_password(password), disabled=False,
                                    **fields)
        elif existing is not None:
            raise XuefaError(f"用户 {name} 已存在；要重设密码或角色，请加 --replace。")
        else:
            row = self.users.add(name, passwords.hash_password(password), **fields)
        return Account.of(row)

    def ensure_record_holder(self, name: str) -> int:
        """The id of `name`, creating a no-login account for records (CLI grading, the local user)."""
        row = self.users.get(name)
        if row is not None:
            return row.id
        try:
            return self.users.add(name, PLACEHOLDER_HASH, ROLE_LEARNER).id
        except XuefaError:  # another process created it meanwhile
            return self.users.require(name).id

    def reset_password(self, name: str, password: str, actor: Account | None = None) -> None:
        row = self.users.require(name)
        self._check_manage(actor, row, row.unit_id, row.role)
        self.users.set_password(name, passwords.hash_password(check_password(password, name)))

    def set_disabled(self, name: str, disabled: bool = True, actor: Account | None = None) -> None:
        row = self.users.require(name)
        self._check_manage(actor, row, row.unit_id, row.role)
        if actor is not None and actor.name == name:
            raise XuefaError("不能停用自己的账号。")
        self.users.set_disabled(name, disabled)

    def update(self, name: str, *, unit: str | int | None = None, position_level: str | None = None,
               role: str | None = None, display_name: str | None = None, actor: Account | None = None) -> Account:
        row = self.users.require(name)
        fields: dict = {}
        if unit not in (None, ""):
            fields["unit_id"] = self.units.require(unit).id
        if position_level is not None:
            fields["position_level"] = position_level.strip() or None
        if display_name is not None:
            fields["display_name"] = display_name.strip() or None
        if role is not None:
            fields["role"] = role
        self._check_manage(actor, row, fields.get("unit_id", row.unit_id), fields.get("role", row.role))
        return Account.of(self.users.update(name, **fields))

    def remove(self, name: str, actor: Account | None = None) -> bool:
        row = self.users.get(name)
        if row is None:
            return False
        self._check_manage(actor, row, row.unit_id, row.role)
        return self.users.remove(name)

    def rehash(self, name: str, password: str) -> None:
        """After a successful login with old parameters, store today's hash."""
        row = self.users.get(name)
        if row is not None and passwords.needs_rehash(row.password_hash) and row.password_hash != PLACEHOLDER_HASH:
            self.users.set_password(name, passwords.hash_password(password))


__all__ = ["Accounts", "Account", "PermissionDenied", "LOCAL_USER_NAME", "MIN_PASSWORD", "check_name",
           "check_password", "NotFoundError"]
