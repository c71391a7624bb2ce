"""Tried as a new administrator would: deleting asks first, a deleted built-in document can be restored (web
and `xuefa restore`), a busy port and every toast speak Chinese, the terminal prints reachable addresses."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from knowledge.errors import ConfigError, XuefaError

CONSTITUTION = "中华人民共和国宪法"


@pytest.fixture
def web(services_factory, tmp_path):
    from .test_web_handlers import web_context

    services = services_factory(national=(CONSTITUTION, "中华人民共和国监察法"))
    ctx = web_context(services, tmp_path / "web", users=(("admin", "管理员"),))
    return ctx, ctx.accounts.get("admin")


def test_delete_is_confirmed_and_a_builtin_can_be_restored_on_the_web(web):
    from assistant.web import handlers as h

    ctx, admin = web
    law = next(l for l in ctx.services.catalog.laws(source="national") if l.title == CONSTITUTION)
    n = ctx.services.catalog.article_count(law.law_id)
    text_5 = ctx.services.kb.lookup("宪法", 5)[1].text
    preview = h.delete_preview(ctx, admin, law.law_id)
    assert "确定要删除" in preview and f"{n} 条" in preview and "内置国家法律库" in preview
    assert ctx.services.catalog.law(law.law_id) is not None  # asking changes nothing
    assert CONSTITUTION not in h.restorable_documents(ctx, admin)  # (this test KB loads only two built-ins)

    h.delete_document(ctx, admin, law.law_id)
    assert ctx.services.kb.lookup("宪法", 5) is None
    assert CONSTITUTION in h.restorable_documents(ctx, admin)
    msg = h.restore_document(ctx, admin, CONSTITUTION)
    assert "已恢复" in msg and CONSTITUTION in msg
    assert ctx.services.catalog.article_count(law.law_id) == n and ctx.services.kb.lookup("宪法", 5)[1].text == text_5
    assert ctx.services.kb.search("国家尊重和保障人权", top_k=3)[0].law.title == CONSTITUTION
    actions = [e["action"] for e in ctx.audit.entries()]  # newest first; one 恢复 per restored version
    assert actions[-1] == "删除" and set(actions[:-1]) == {"恢复"}
    with pytest.raises(XuefaError, match="不需要恢复"):
        h.restore_document(ctx, admin, "宪法")


def test_xuefa_restore_command(services_factory, monkeypatch):
    import assistant.commands.kb as kb_commands

    services = services_factory(national=(CONSTITUTION,))
    monkeypatch.setattr(kb_commands, "open_services", lambda *a, **k: services)
    runner = CliRunner()
    assert runner.invoke(cli, ["remove", "宪法"]).exit_code == 0
    assert services.kb.lookup("宪法", 1) is None
    result = runner.invoke(cli, ["restore", "宪法"])
    assert result.exit_code == 0 and f"已恢复：{CONSTITUTION}" in result.output, result.output
    assert services.kb.lookup("宪法", 1) is not None
    result = runner.invoke(cli, ["restore", "某某不存在的条例"])
    assert result.exit_code != 0 and "内置法律库中没有" in result.output
    from assistant.web.audit import AuditLog

    actions = [(e["action"], e["via"]) for e in AuditLog(services.db).entries()]
    assert actions[0] == ("恢复", "命令行") and ("删除", "命令行") in actions


@pytest.fixture
def busy_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield s.getsockname()[1]


def test_busy_port_is_a_chinese_error(busy_port, tmp_path, monkeypatch):
    from assistant.config import Settings
    from assistant.web.server import serve

    with pytest.raises(ConfigError) as err:
        serve(Settings(home=tmp_path, port=busy_port))
    assert f"端口 {busy_port} 已被占用" in str(err.value) and "GRADIO_SERVER_PORT" not in str(err.value)

    monkeypatch.setenv("XUEFA_HOME", str(tmp_path))
    result = CliRunner().invoke(cli, ["serve", "--port", str(busy_port)])
    assert result.exit_code != 0 and "已被占用" in result.output and "Traceback" not in result.output


def test_launch_on_a_busy_port_is_a_chinese_error(services_small, busy_port):
    from assistant.web.ui import build_app, launch

    demo = build_app(services_small)
    with pytest.raises(ConfigError, match="已被占用"):
        launch(demo, services_small.settings, server_port=busy_port, prevent_thread_lock=True, quiet=True)


def test_start_prints_reachable_addresses_not_0000(services_small, tmp_path, capsys):
    from assistant.web.server import reachable_urls, serve

    from .test_web_api import free_port
    from .test_web_handlers import web_context

    urls = reachable_urls("0.0.0.0", 7932)
    assert urls[0] == "http://127.0.0.1:7932" and not any("0.0.0.0" in u for u in urls)
    for u in urls[1:]:  # each one an address of this machine: something can listen on it
        host = u.split("//")[1].rsplit(":", 1)[0]
        with socket.socket() as s:
            s.bind((host, 0))

    services = web_context(services_small, tmp_path, users=(("admin", "管理员"),)).services
    services.settings = settings = services.settings.model_copy(update={"host": "0.0.0.0", "port": free_port()})
    demo = serve(settings, services=services, block=False)
    try:
        out = capsys.readouterr().out
        assert f"本机：http://127.0.0.1:{settings.port}" in out and "0.0.0.0" not in out
    finally:
        demo.close()


def test_toasts_have_chinese_titles_and_escaped_messages():
    import gradio as gr

    from assistant.web.tabs.common import wrap as _wrap

    @_wrap
    def bad_user_input():
        raise XuefaError("文件 <b>坏.docx</b> 无法导入")

    @_wrap
    def internal_bug():
        raise KeyError("x")

    with pytest.raises(gr.Error) as err:
        bad_user_input()
    assert err.value.title == "提示" and err.value.message == "文件 &lt;b&gt;坏.docx&lt;/b&gt; 无法导入"
    with pytest.raises(gr.Error) as err:
        internal_bug()
    assert err.value.title == "出错了" and "内部错误" in err.value.message
