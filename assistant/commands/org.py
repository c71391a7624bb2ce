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


def _done(as_json: bool, data: dict, text: str) -> None:
    if as_json:
        _echo_json(data)
    else:
        click.echo(text)


@user.command("passwd", help="重设用户密码。")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def user_passwd(name, password_stdin, as_json):
    try:
        _accounts().reset_password(name, _read_password(password_stdin))
    except XuefaError as exc:
        _fail(exc)
    _done(as_json, {"name": name, "password_reset": True}, f"已重设 {name} 的密码。")


@user.command("disable", help="停用用户（不能登录，记录保留）。")
@click.argument("name")
@click.option("--enable", is_flag=True, help="重新启用")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def user_disable(name, enable, as_json):
    try:
        _accounts().set_disabled(name, not enable)
    except XuefaError as exc:
        _fail(exc)
    _done(as_json, {"name": name, "disabled": not enable}, f"已{'启用' if enable else '停用'}用户 {name}。")


@user.command("remove", help="删除用户（连同其考试记录和错题本）。")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def user_remove(name, as_json):
    if not _accounts().remove(name):
        raise click.ClickException(f"没有用户 {name}。")
    _done(as_json, {"name": name, "removed": True}, f"已删除用户 {name}。")



# ---- organised exams ---------------------------------------------------------------------------------
def _sessions():
    """Organised exams over the full services (the knowledge base checks the exam's scope)."""
    from assistant.commands.kb import open_services

    return open_services().sessions


def _session_json(sessions, s) -> dict:
    paths = sessions.accounts.units.paths()
    return {"id": s.id, "title": s.title, "opens_at": s.opens_at.isoformat(), "closes_at": s.closes_at.isoformat(),
            "minutes": s.minutes, "attempts": s.max_attempts, "counts": s.counts, "pass_mark": s.pass_mark,
            "units": [paths.get(u, "") for u in s.unit_ids], "position_levels": s.position_levels,
            "paper_mode": s.paper_mode, "closed": s.closed, "invited": len(sessions.invited(s))}


@click.group("exam-session", help="组织考试：按单位、时间窗口、次数安排考试。")
def exam_session():
    pass


@exam_session.command("create", help="创建考试：xuefa exam-session create --title 2026年度学法考试 --preset 任前法律知识考试 "
                                     "--units 某县/教育局,某县/财政局 --days 5 --attempts 3")
@click.option("--title", required=True, help="考试名称")
@click.option("--preset", default="任前法律知识考试", show_default=True, help="组卷预设")
@click.option("--laws", help="考试范围（逗号分隔的法规名；默认按预设）")
@click.option("--units", required=True, help="参考单位，逗号分隔（含下级单位）")
@click.option("--days", type=float, required=True, help="开放天数（从现在起）")
@click.option("--minutes", type=int, help="每次限时（分钟；默认按预设）")
@click.option("--attempts", type=int, default=1, show_default=True, help="每人可考次数")
@click.option("--counts", type=click.Choice(["best", "last", "first"]), default="best", show_default=True,
              help="计分：取最高分 / 最后一次 / 第一次")
@click.option("--pass-mark", type=float, help="合格线（默认按预设）")
@click.option("--levels", help="只限这些职务级别（逗号分隔，如 副科级,正科级）")
@click.option("--shared-paper", is_flag=True, help="所有人同一份试卷（默认每人一卷）")
@click.option("--results-after-close", is_flag=True, help="考试结束后才公布成绩")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（含考试编号 id）")
def session_create(title, preset, laws, units, days, minutes, attempts, counts, pass_mark, levels, shared_paper,
                   results_after_close, as_json):
    from assistant.db import PAPER_PER_PERSON, PAPER_SHARED
    from assistant.web.handlers import make_blueprint, split_laws

    sessions = _sessions()
    try:
        bp = make_blueprint(preset, laws, minutes=minutes)
        s = sessions.create(None, title=title, blueprint=bp, units=split_laws(units), days=days, minutes=minutes,
                            max_attempts=attempts, counts=counts, pass_mark=pass_mark,
                            position_levels=split_laws(levels), results_after_close=results_after_close,
                            paper_mode=PAPER_SHARED if shared_paper else PAPER_PER_PERSON)
    except XuefaError as exc:
        _fail(exc)
    data = _session_json(sessions, s)
    if as_json:
        _echo_json(data)
    else:
        click.echo(f"已创建考试“{s.title}”（编号 {s.id}），{'、'.join(data['units'])} 应考 {data['invited']} 人，"
                   f"截止 {s.closes_at.astimezone():%Y-%m-%d %H:%M}。")


@exam_session.command("list", help="列出考试。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def session_list(as_json):
    from assistant.accounts.service import Accounts
    from assistant.sessions.service import ExamSessions

    db = _db()
    sessions = ExamSessions(db, Accounts(db), exams=None)
    rows = [_session_json(sessions, s) for s in sessions.sessions.list()]
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['id']}\t{r['title']}\t{r['opens_at'][:16]} 至 {r['closes_at'][:16]}\t{'、'.join(r['units'])}"
                   f"\t{'已结束' if r['closed'] else ''}".rstrip())
    click.echo(f"共 {len(rows)} 场考试。")


@exam_session.command("close", help="结束考试（公布成绩、不再接受作答）。")
@click.argument("session_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def session_close(session_id, as_json):
    from assistant.accounts.service import Accounts
    from assistant.sessions.service import ExamSessions

    db = _db()
    sessions = ExamSessions(db, Accounts(db), exams=None)
    try:
        s = sessions.close(session_id)
    except XuefaError as exc:
        _fail(exc)
    if as_json:
        _echo_json(_session_json(sessions, s))
    else:
        click.echo(f"已结束考试“{s.title}”。")


@click.command("report", help="考试报表：xuefa report 考试编号 --xlsx 成绩表.xlsx（每位应考人员一行）。")
@click.argument("session_id", type=int)
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path), help="写出 Excel 成绩表")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def report_cmd(session_id, xlsx_path, as_json):
    from assistant.accounts.service import Accounts
    from assistant.sessions.report import build_report, write_xlsx
    from assistant.sessions.service import ExamSessions

    db = _db()
    sessions = ExamSessions(db, Accounts(db), exams=None)
    try:
        report = build_report(sessions, sessions.require(session_id))
    except XuefaError as exc:
        _fail(exc)
    if xlsx_path:
        write_xlsx(report, xlsx_path)
    if as_json:
        data = report.to_json()
        data["xlsx"] = str(xlsx_path) if xlsx_path else None
        _echo_json(data)
        return
    mean = "—" if report.mean is None else f"{report.mean:g}"
    click.echo(f"{report.title}（{report.window}）：应考 {report.invited} 人，参考 {report.took} 人，"
               f"合格 {report.passed} 人，合格率 {report.pass_rate:.1%}，平均分 {mean}。")
    for d in report.units:
        click.echo(f"  {d['unit']}\t应考 {d['invited']}\t参考 {d['took']}\t合格 {d['passed']}\t合格率 {d['pass_rate']:.1%}")
    if xlsx_path:
        click.echo(f"已写出成绩表 {xlsx_path}。")



@click.group("db", help="数据库：查看、复制到 PostgreSQL。")
def db_group():
    pass


@db_group.command("info", help="显示当前数据库地址（不含密码）与版本。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def db_info(as_json):
    db = _db()
    data = {"url": db.describe(), "dialect": db.dialect, "revision": db.revision()}
    if as_json:
        _echo_json(data)
    else:
        click.echo(f"{data['url']}（{data['dialect']}，版本 {data['revision']}）")


@db_group.command("copy", help="把当前数据库的全部数据复制到一个新建的空库：xuefa db copy --to postgresql+psycopg://…")
@click.option("--to", "target_url", required=True, help="目标数据库地址（空库；会自动建表）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def db_copy(target_url, as_json):
    from assistant.db import Database
    from assistant.db.copy import copy_database

    source = _db()
    try:
        counts = copy_database(source, Database(target_url))
    except XuefaError as exc:
        _fail(exc)
    if as_json:
        _echo_json(counts)
    else:
        click.echo("已复制：" + "，".join(f"{k} {v} 行" for k, v in counts.items() if v) +
                   "。请把 XUEFA_DATABASE_URL 设为目标地址后重启各实例。")


commands = [unit, user, exam_session, report_cmd, db_group]
