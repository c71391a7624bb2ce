"""Handlers of the 单位与用户 tab: the unit tree, users, Excel import, password reset, disabling.
A 管理员 sees everything; a 单位管理员 only their unit's tree (checked again in `Accounts`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from knowledge.errors import XuefaError

from assistant.accounts.importer import import_users as _import, write_template

from . import render
from .auth import User, require_manager
from .context import WebContext

USER_HEADERS = ["用户名", "姓名", "单位", "职务级别", "角色", "状态"]
IMPORT_HEADERS = ["行", "用户名", "结果", "说明"]


def unit_choices(ctx: WebContext, user: User) -> list[str]:
    """Unit paths the user manages (all for an admin)."""
    if not user.manages_units:
        return []
    paths = ctx.accounts.units.paths()
    scope = None if user.is_admin else ctx.accounts.scope(user)
    return sorted(p for uid, p in paths.items() if scope is None or uid in scope)


def units_html(ctx: WebContext, user: User) -> str:
    require_manager(user)
    units = ctx.accounts.units
    scope = None if user.is_admin else ctx.accounts.scope(user)
    paths = units.paths()
    counts = units.member_counts()
    rows = [(p, counts.get(uid, 0)) for uid, p in paths.items() if scope is None or uid in scope]
    return render.unit_tree(sorted(rows))


def add_unit(ctx: WebContext, user: User, name: str, parent: str | None) -> str:
    require_manager(user)
    if not user.is_admin:
        if not parent:
            raise XuefaError("单位管理员只能在本单位下添加下级单位，请选择上级单位。")
        ctx.accounts.require_manager(user, ctx.accounts.units.require(parent).id)
    unit = ctx.accounts.units.add(name, parent or None)
    path = ctx.accounts.units.path(unit.id)
    ctx.audit.record(user.name, "添加单位", path)
    return f"已添加单位 {path}。"


def user_rows(ctx: WebContext, user: User, unit: str | None = None) -> list[list[Any]]:
    require_manager(user)
    paths = ctx.accounts.units.paths()
    return [[u.name, u.display_name or "", paths.get(u.unit_id, ""), u.position_level or "", u.role,
             "已停用" if u.disabled else "正常"]
            for u in ctx.accounts.list(actor=user, unit=unit or None) if u.password_hash != "!"]


def add_user(ctx: WebContext, user: User, name: str, display_name: str, unit: str, level: str, role: str,
             password: str) -> str:
    require_manager(user)
    if not unit:
        raise XuefaError("请选择用户所在单位。")
    acct = ctx.accounts.add(name, password, role=role or "学员", unit=unit, position_level=level,
                            display_name=display_name, actor=user)
    ctx.audit.record(user.name, "添加用户", acct.name, role=acct.role, unit=unit)
    return f"已添加用户 {acct.label}（{acct.role}，{unit}）。"


def import_users(ctx: WebContext, user: User, file: Any) -> tuple[str, list[list[Any]]]:
    require_manager(user)
    if not file:
        raise XuefaError("请先选择要导入的 Excel（.xlsx）文件。")
    path = Path(getattr(file, "path", None) or getattr(file, "name", None) or file)
    name = getattr(file, "orig_name", None) or path.name
    if Path(name).suffix.lower() != ".xlsx":
        raise XuefaError(f"{name}：只能导入 .xlsx 文件（可先下载导入模板）。")
    report = _import(ctx.accounts, path, actor=user, display_name=name)
    if report.imported:
        ctx.audit.record(user.name, "导入用户", name, added=report.added)
    return report.summary, [[r.row, r.name, r.result, r.reason] for r in report.rows]


def template(ctx: WebContext, user: User) -> str:
    require_manager(user)
    return str(write_template(ctx.exports_dir(user) / "用户导入模板.xlsx"))


def reset_password(ctx: WebContext, user: User, name: str, password: str) -> str:
    require_manager(user)
    ctx.accounts.reset_password((name or "").strip(), password, actor=user)
    ctx.audit.record(user.name, "重设密码", name)
    return f"已重设 {name} 的密码。"


def set_disabled(ctx: WebContext, user: User, name: str, disabled: bool) -> str:
    require_manager(user)
    ctx.accounts.set_disabled((name or "").strip(), disabled, actor=user)
    ctx.audit.record(user.name, "停用用户" if disabled else "启用用户", name)
    return f"已{'停用' if disabled else '启用'}用户 {name}。"
