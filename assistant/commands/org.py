"""Organisation commands for operators and scripts: units, users (with Excel import), organised exams, reports.
Every command takes --json for machine-readable output."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from knowledge.errors import XuefaError

ROLE_CHOICES = ["管理员", "单位管理员", "出题人", "学员"]


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=str))


def _db():
    from assistant.config import Settings
    from assistant.services import open_db

    try:
        return open_db(Settings())
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc


def _accounts():
    from assistant.accounts.service import Accounts

    return Accounts(_db())


def _fail(exc: XuefaError):
    raise click.ClickException(str(exc)) from exc


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")


# ---- units ------------------------------------------------------------------------------------------
@click.group(help="管理单位（县 → 部门/乡镇 → 科室）。")
def unit():
    pass


@unit.command("add", help="添加单位：xuefa unit add 教育局 --parent 某县")
@click.argument("name")
@click.option("--parent", help="上级单位（名称或完整路径，如 某县/教育局）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def unit_add(name, parent, as_json):
    from assistant.db import UnitRepo

    units = UnitRepo(_db())
    try:
        u = units.add(name, parent)
    except XuefaError as exc:
        _fail(exc)
    path = units.path(u.id)
    if as_json:
        _echo_json({"id": u.id, "name": u.name, "parent_id": u.parent_id, "path": path})
    else:
        click.echo(f"已添加单位 {path}（编号 {u.id}）。")


@unit.command("list", help="列出单位（树形）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def unit_list(as_json):
    from assistant.db import UnitRepo

    units = UnitRepo(_db())
    paths = units.paths()
    counts = units.member_counts()
    rows = sorted(({"id": uid, "path": p, "members": counts.get(uid, 0)} for uid, p in paths.items()),
                  key=lambda r: r["path"])
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        depth = r["path"].count("/")
        click.echo(f"{'  ' * depth}{r['path'].rsplit('/', 1)[-1]}\t编号 {r['id']}\t{r['members']} 人")
    click.echo(f"共 {len(rows)} 个单位。" if rows else "尚未添加单位：xuefa unit add 某县")


# ---- users ------------------------------------------------------------------------------------------
@click.group(help="管理用户（管理员、单位管理员、出题人、学员）。")
def user():
    pass


def _user_json(accounts, row) -> dict:
    return {"id": row.id, "name": row.name, "display_name": row.display_name, "role": row.role,
            "unit": accounts.units.path(row.unit_id), "position_level": row.position_level,
            "disabled": row.disabled}


@user.command("add", help="添加用户：xuefa user add 张三 --role 学员 --unit 某县/教育局（随后输入密码）")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default="学员", show_default=True)
@click.option("--unit", "unit_ref", help="所在单位（名称或完整路径）")
@click.option("--level", "position_level", help="职务级别，如 副科级")
@click.option("--display-name", help="姓名（登录名不是姓名时）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（用于脚本）")
@click.option("--replace", is_flag=True, help="用户已存在时重设密码、角色和单位")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def user_add(name, role, unit_ref, position_level, display_name, password_stdin, replace, as_json):
    accounts = _accounts()
    password = _read_password(password_stdin)
    try:
        accounts.add(name, password, role=role, unit=unit_ref, position_level=position_level,
                     display_name=display_name, replace=replace)
    except XuefaError as exc:
        _fail(exc)
    row = accounts.row(name.strip())
    if as_json:
        _echo_json(_user_json(accounts, row))
    else:
        where = accounts.units.path(row.unit_id)
        click.echo(f"已{'更新' if replace else '添加'}用户 {row.name}（{row.role}{'，' + where if where else ''}）。")


@user.command("list", help="列出用户。")
@click.option("--unit", "unit_ref", help="只列出某单位（含下级单位）的用户")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def user_list(unit_ref, as_json):
    accounts = _accounts()
    try:
        rows = accounts.list(unit=unit_ref)
    except XuefaError as exc:
        _fail(exc)
    if as_json:
        _echo_json([_user_json(accounts, r) for r in rows])
        return
    paths = accounts.units.paths()
    for r in rows:
        click.echo("\t".join([r.name, r.display_name or "", r.role, paths.get(r.unit_id, ""),
                              r.position_level or "", "已停用" if r.disabled else ""]).rstrip())
    click.echo(f"共 {len(rows)} 个用户。" if rows else "尚未配置用户：网页版以本机单用户模式运行，只能在本机访问。")


@user.command("import", help="从 Excel 批量导入用户：xuefa user import 名单.xlsx；--template 模板.xlsx 生成模板。")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--template", type=click.Path(path_type=Path), help="写出导入模板（列名与示例行）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def user_import(file, template, as_json):
    from assistant.accounts.importer import COLUMNS, import_users, write_template

    if template:
        path = write_template(template)
        if as_json:
            _echo_json({"template": str(path), "columns": list(COLUMNS)})
        else:
            click.echo(f"已写出导入模板 {path}（列：{'、'.join(COLUMNS)}）。")
        return
    if file is None:
        raise click.UsageError("请给出要导入的 .xlsx 文件，或用 --template 生成模板。")
    if not file.is_file():
        raise click.ClickException(f"找不到文件 {file}。")
    try:
        report = import_users(_accounts(), file)
    except XuefaError as exc:
        _fail(exc)
    if as_json:
        _echo_json(report.to_json())
    else:
        for r in report.rows:
            click.echo(f"第 {r.row} 行\t{r.name}\t{r.result}{'：' + r.reason if r.reason else ''}")
        click.echo(report.summary)
    if not report.imported and report.failed:
        sys.exit(1)


@user.command("passwd", help="重设用户密码。")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码")
def user_passwd(name, password_stdin):
    try:
        _accounts().reset_password(name, _read_password(password_stdin))
    except XuefaError as exc:
        _fail(exc)
    click.echo(f"已重设 {name} 的密码。")


@user.command("disable", help="停用用户（不能登录，记录保留）。")
@click.argument("name")
@click.option("--enable", is_flag=True, help="重新启用")
def user_disable(name, enable):
    try:
        _accounts().set_disabled(name, not enable)
    except XuefaError as exc:
        _fail(exc)
    click.echo(f"已{'启用' if enable else '停用'}用户 {name}。")


@user.command("remove", help="删除用户（连同其考试记录和错题本）。")
@click.argument("name")
def user_remove(name):
    if not _accounts().remove(name):
        raise click.ClickException(f"没有用户 {name}。")
    click.echo(f"已删除用户 {name}。")


commands = [unit, user]
