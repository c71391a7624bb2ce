"""Web command: `xuefa serve` (accounts are managed with `xuefa user`, see commands/org.py)."""

from __future__ import annotations

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


commands = [serve]
