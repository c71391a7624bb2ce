"""The Gradio app: `build_app` composes one builder per tab (assistant/web/tabs/); this package is the only
place importing gradio. Tabs are thin wrappers over `handlers`; HTML comes from `render`."""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr  # this module is imported only when the web app is built

from assistant.textsafe import md_text

from . import handlers as h
from .auth import ADMIN, check_bind
from .context import WebContext
from .tabs import ask, bank, brief, exam, kb, org, sessions, study
from .tabs.common import HEAVY_LIMIT, App, wrap

log = logging.getLogger(__name__)

FONTS = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
         "SimHei", "sans-serif"]
MONO = ["Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "monospace"]

# The tabs in order; each module has build(app) and may have api(app) for JSON endpoints.
TABS = (ask, exam, brief, sessions, study, bank, org, kb)

CSS = """
.xf-cite{border:1px solid var(--border-color-primary);border-left:4px solid #b91c1c;border-radius:6px;
  padding:8px 10px;margin:8px 0;background:var(--background-fill-secondary)}
.xf-cite-head,.xf-law-title{font-weight:600}
.xf-law-title{font-size:1.1em;margin:4px 0}
.xf-cite-meta{color:var(--body-text-color-subdued);font-size:.9em;margin:2px 0}
.xf-cite-text{margin:6px 0;padding-left:8px;border-left:2px solid var(--border-color-primary);white-space:normal}
.xf-cite-note{color:#b45309;font-size:.9em}
.xf-mark{background:#fef08a;padding:0 2px}
.xf-role{font-weight:400;font-size:.85em;color:var(--body-text-color-subdued)}
.xf-related summary{cursor:pointer;color:var(--body-text-color-subdued);margin:6px 0}
#xf-chips .wrap{gap:6px}
#xf-chips label{border-radius:999px;padding:2px 10px}
.status-ok{color:#15803d;font-weight:600;margin:0 4px}
.status-warn{color:#b91c1c;font-weight:600;margin:0 4px}
.xf-sub{font-weight:600;margin:12px 0 4px}
.xf-empty{color:var(--body-text-color-subdued);padding:8px}
.xf-article{margin:6px 0;padding:4px 6px}
.xf-focus{background:#fef3c7;border-radius:4px}
.xf-article-label{font-weight:600;margin-right:4px}
.xf-path{font-weight:400;color:var(--body-text-color-subdued);font-size:.85em}
.xf-score{font-size:1.4em;margin:8px 0}
.xf-chart{margin:8px 0 12px}
.xf-bar-row{display:flex;align-items:center;gap:8px;margin:4px 0}
.xf-bar-label{width:34%;text-align:right;font-size:.9em}
.xf-bar{flex:1;background:var(--background-fill-secondary);border-radius:4px;height:16px;overflow:hidden}
.xf-bar-fill{background:#b91c1c;height:100%}
.xf-bar-value{width:120px;font-size:.9em}
.xf-tree-row{margin:2px 0}
.xf-item{border-bottom:1px dashed var(--border-color-primary);padding:6px 0}
.xf-wrong b:first-child{color:#b91c1c}
.xf-right b:first-child{color:#15803d}
.xf-expl{color:var(--body-text-color-subdued);font-size:.92em;margin-top:2px}
#xf-header h2{margin-bottom:0}
"""


def theme():
    return gr.themes.Default(primary_hue="red", secondary_hue="slate", neutral_hue="slate", font=FONTS,
                             font_mono=MONO)


def index_status(kb) -> str:
    """The header's index line: empty once vectors are complete (search is hybrid then)."""
    state = kb.vector_status()
    if state.get("error"):
        return state["error"]
    if state.get("running") or state["percent"] < 100:
        return f"向量索引建立中 {state['percent']}%（词法检索和条文查询已可用）"
    return ""


def build_app(services, ctx: WebContext | None = None):
    """The Blocks app over `services` (nothing is launched)."""
    ctx = ctx or WebContext.from_services(services)
    # Gradio's temp copies (uploads, exports handed out) are deleted after 4 hours, checked every 30 minutes.
    with gr.Blocks(title="学法助手", analytics_enabled=False, delete_cache=(1800, 4 * 3600)) as demo:
        demo.xuefa_context = ctx  # for tests and the benchmark
        app = App(ctx=ctx, demo=demo)
        with gr.Row(elem_id="xf-header"):
            gr.Markdown("## 学法助手\n法律法规问答 · 任前法律知识考试 · 会前学法", elem_id="xf-title")
            who_md = gr.Markdown("", elem_id="xf-user")
            index_md = gr.Markdown(index_status(services.kb), elem_id="xf-index-status")
            if not ctx.local_mode:
                gr.Button("退出登录", link="/logout", size="sm", scale=0, min_width=100)
        with gr.Tabs(elem_id="xf-tabs"):
            for tab in TABS:
                tab.build(app)
        for tab in TABS:
            if hasattr(tab, "api"):
                tab.api(app)

        @wrap
        def on_load(request: gr.Request):
            user = app.who(request)
            tag = "（本机模式）" if ctx.local_mode else ""
            return f"当前用户：**{md_text(user.label)}**（{user.role}）{tag}"

        demo.load(on_load, None, [who_md], api_visibility="private")
        index_timer = gr.Timer(5, active=True)
        index_timer.tick(lambda: index_status(services.kb), None, index_md, api_visibility="private",
                         queue=False, show_progress="hidden")
    return demo


def launch(demo, settings, **kwargs) -> Any:
    """Launch with xuefa's settings: loopback-only without users, login with users, nothing from the internet."""
    ctx: h.WebContext = demo.xuefa_context
    check_bind(settings.host, ctx.accounts)
    if not ctx.local_mode and ctx.accounts.empty:
        raise h.XuefaError("用户文件已被清空，请重新添加用户后再启动。")
    exports = settings.home / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    demo.queue(default_concurrency_limit=HEAVY_LIMIT, max_size=256)
    from starlette.middleware import Middleware

    from .access import FileAccess
    from .guard import WebGuard
    from .login import LoginGate

    from assistant.accounts.throttle import LoginThrottle

    gate = demo.xuefa_login = getattr(demo, "xuefa_login", None) or \
        LoginGate(ctx.accounts, LoginThrottle(settings.login_policy()))
    guard = Middleware(WebGuard, login=not ctx.local_mode,
                       access=FileAccess(exports, ctx.accounts, local_mode=ctx.local_mode))
    options = dict(
        server_name=settings.host, server_port=settings.port,
        auth=None if ctx.local_mode else gate.authenticate,  # async: throttled, scrypt off the event loop
        auth_message="请使用管理员为您分配的账号登录。", app_kwargs={"middleware": [guard]},
        footer_links=[], ssr_mode=False, show_error=False, quiet=False,
        max_file_size=f"{int(settings.max_upload_mb)}mb", allowed_paths=[str(exports)],
        theme=theme(), css=CSS + "".join(getattr(t, "CSS", "") for t in TABS), max_threads=40, pwa=False, mcp_server=False,
        head=_head(),
    )
    options.update(kwargs)
    try:
        return demo.launch(**options)
    except OSError as exc:  # "Cannot find empty port … GRADIO_SERVER_PORT": say it in Chinese
        if "port" not in str(exc).lower():
            raise
        from .server import port_busy_error

        raise port_busy_error(options["server_name"], options["server_port"]) from exc


def _head() -> str:
    """Extra <head>: Chinese toast titles (templates/head.html)."""
    from importlib import resources

    return resources.files("assistant.web").joinpath("templates/head.html").read_text(encoding="utf-8")


__all__ = ["build_app", "launch", "theme", "ADMIN"]
