"""Bulk import of users from an Excel sheet, with a report per row.

Columns (first row): 用户名, 姓名, 单位, 职务级别, 角色, 初始密码 (用户名, 单位 and 初始密码 required; 角色
defaults to 学员; 单位 is a path like 某县/教育局/办公室 and missing levels are created). Every row is checked
first: if any row is wrong, nothing is imported and the report says which rows and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from knowledge.errors import XuefaError

from ..db import ROLE_LEARNER, ROLES
from ..export.xlsx import read_rows, write_workbook
from .service import Account, Accounts, PermissionDenied, check_name, check_password

COLUMNS = ("用户名", "姓名", "单位", "职务级别", "角色", "初始密码")
REQUIRED = ("用户名", "单位", "初始密码")
EXAMPLE = ("zhangsan", "张三", "某县/县教育局/办公室", "副科级", ROLE_LEARNER, "请改为初始密码")
ADDED, SKIPPED, FAILED = "新增", "跳过（已存在）", "失败"


@dataclass
class RowResult:
    row: int
    name: str
    result: str
    reason: str = ""


@dataclass
class ImportReport:
    file: str
    rows: list[RowResult] = field(default_factory=list)
    imported: bool = False

    @property
    def added(self) -> int:
        return sum(1 for r in self.rows if r.result == ADDED)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if r.result == FAILED)

    @property
    def summary(self) -> str:
        if not self.imported:
            return (f"{self.file}：{self.failed} 行有错误，未导入任何用户；请按下表修改后重新导入。"
                    if self.failed else f"{self.file}：没有可导入的行。")
        skipped = sum(1 for r in self.rows if r.result == SKIPPED)
        return f"{self.file}：新增 {self.added} 个用户，跳过 {skipped} 个已存在的用户。"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "imported": self.imported, "added": self.added, "failed": self.failed,
                "summary": self.summary, "rows": [asdict(r) for r in self.rows]}


def write_template(path: Path | str) -> Path:
    return write_workbook(path, [("用户", COLUMNS, [EXAMPLE])])


def import_users(accounts: Accounts, path: Path | str, actor: Account | None = None,
                 display_name: str | None = None) -> ImportReport:
    path = Path(path)
    label = display_name or path.name
    header, rows = read_rows(path)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise XuefaError(f"{label}：缺少列 {'、'.join(missing)}（第一行应为：{'、'.join(COLUMNS)}）。"
                         "可用 `xuefa user import --template 文件.xlsx` 生成模板。")
    col = {name: header.index(name) for name in COLUMNS if name in header}
    report = ImportReport(label)
    seen: dict[str, int] = {}
    planned = []
    for number, cells in rows:
        get = lambda c: cells[col[c]] if c in col else ""  # noqa: E731
        name, role = get("用户名"), get("角色") or ROLE_LEARNER
        problems = []
        try:
            check_name(name)
        except XuefaError as exc:
            problems.append(f"用户名：{exc}")
        if name in seen:
            problems.append(f"用户名与第 {seen[name]} 行重复")
        seen.setdefault(name, number)
        if role not in ROLES:
            problems.append(f"角色：只能是 {'、'.join(ROLES)}")
        if not get("单位"):
            problems.append("单位：不能为空")
        existing = accounts.users.get(name) if name else None
        if existing is None:
            try:
                check_password(get("初始密码"), name)
            except XuefaError as exc:
                problems.append(f"初始密码：{exc}")
        if actor is not None and not actor.is_admin and not problems:
            problems += _scope_problems(accounts, actor, get("单位"), role)
        if problems:
            report.rows.append(RowResult(number, name, FAILED, "；".join(problems)))
        elif existing is not None and existing.password_hash != "!":
            report.rows.append(RowResult(number, name, SKIPPED))
        else:
            planned.append((number, name, get("姓名"), get("单位"), get("职务级别"), role, get("初始密码")))
            report.rows.append(RowResult(number, name, ADDED))
    if report.failed or not planned:
        for r in report.rows:
            if r.result == ADDED:
                r.result, r.reason = "未导入", "其他行有错误，本次未导入"
        return report
    for number, name, display, unit_path, level, role, password in planned:
        unit = accounts.units.ensure_path(unit_path)
        accounts.add(name, password, role, unit=unit.id, position_level=level, display_name=display, actor=actor,
                     replace=True)
    report.imported = True
    return report


def _scope_problems(accounts: Accounts, actor: Account, unit_path: str, role: str) -> list[str]:
    """A unit admin may import only into their own unit's tree, and only learners and setters."""
    problems = []
    own = accounts.units.path(actor.unit_id)
    if not own or not (unit_path == own or unit_path.startswith(own + "/")):
        problems.append(f"单位：单位管理员只能导入本单位（{own or '未设置'}）及其下级单位的用户")
    try:
        accounts._check_manage(actor, None, actor.unit_id, role)
    except PermissionDenied as exc:
        problems.append(f"角色：{exc}")
    return problems
