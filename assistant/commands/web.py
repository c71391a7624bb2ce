"""Web commands: `xuefa serve` and `xuefa user add|list|remove` (operator-managed accounts)."""

from __future__ import annotations

import sys

import click

from knowledge.errors import XuefaError


@click.command(help="启动网页版学法助手（默认 http://127.0.0.1:7860；无用户时只允许本机访问）。")
@click.option("--host", help="监听地址（默认 XUEFA_HOST 或 127.0.0.1）")
@click.option("--port", type=int, help="端口（默认 XUEFA_PORT 或 7860）")
def serve(host, port):
    from assistant.config import Settings
    from assistant.web.server import serve as serve_app

    overrides = {k: v for k, v in (("host", host), ("port", port)) if v}
    try:
        serve_app(Settings(**overrides))
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc


def _store():
    from assistant.config import Settings
    from assistant.web.auth import UserStore

    return UserStore(Settings().users_dir)


@click.group(help="管理网页版的用户（管理员、学员）。")
def user():
    pass


@user.command("add", help="添加用户：xuefa user add 张三 --role 学员（随后输入密码）")
@click.argument("name")
@click.option("--role", type=click.Choice(["管理员", "学员"]), default="学员", show_default=True)
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（用于脚本）")
@click.option("--replace", is_flag=True, help="用户已存在时重设密码和角色")
def add(name, role, password_stdin, replace):
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    try:
        u = _store().add(name, password, role=role, replace=replace)
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已{'更新' if replace else '添加'}用户 {u.name}（{u.role}）。")


@user.command("list", help="列出用户。")
def list_users():
    users = _store().list()
    for u in users:
        click.echo(f"{u.name}\t{u.role}")
    click.echo(f"共 {len(users)} 个用户。" if users else "尚未配置用户：网页版以本机单用户模式运行，只能在本机访问。")


@user.command("remove", help="删除用户。")
@click.argument("name")
def remove(name):
    if not _store().remove(name):
        raise click.ClickException(f"没有用户 {name}。")
    click.echo(f"已删除用户 {name}。")


commands = [serve, user]
