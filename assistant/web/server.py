"""Start the web app: check the bind address and the port before anything heavy loads, then services -> app
-> launch, then print the addresses a browser can really reach (never http://0.0.0.0:port)."""

from __future__ import annotations

import errno
import ipaddress
import logging
import socket
import sys

from knowledge.errors import ConfigError

log = logging.getLogger(__name__)


def port_busy_error(host: str, port: int) -> ConfigError:
    return ConfigError(f"端口 {port} 已被占用（可能已有一个学法助手或其他程序在使用它），无法在 {host}:{port} 上启动。"
                       f"请关闭占用该端口的程序，或换一个端口：xuefa serve --port {port + 1}（或设置 XUEFA_PORT）。")


def check_port(host: str, port: int) -> None:
    """Fail fast, in Chinese, when the port is taken (Gradio's own message is an English traceback)."""
    family = socket.AF_INET6 if ":" in (host or "") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is not "busy"
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise port_busy_error(host, port) from exc
            raise ConfigError(f"无法监听 {host}:{port}（{exc.strerror or exc}），请检查 XUEFA_HOST 和端口设置。") from exc


def _local_ipv4() -> list[str]:
    """This machine's own non-loopback IPv4 addresses (no packet is sent)."""
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    try:  # the address of the default route's interface: a UDP "connect" sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.254.254.254", 1))
            found.append(s.getsockname()[0])
    except Exception:  # noqa: BLE001 - no route, or a sandbox that forbids it
        pass
    out = []
    for a in found:
        ip = ipaddress.ip_address(a)
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local) and a not in out:
            out.append(a)
    return out


def reachable_urls(host: str, port: int) -> list[str]:
    """URLs to open in a browser: 127.0.0.1 for loopback, the machine's addresses for 0.0.0.0 / ::."""
    host = (host or "127.0.0.1").strip().strip("[]")
    if host in ("0.0.0.0", "::", ""):
        return [f"http://127.0.0.1:{port}"] + [f"http://{a}:{port}" for a in _local_ipv4()]
    if ":" in host:
        return [f"http://[{host}]:{port}"]
    return [f"http://{host}:{port}"]


def announce(urls: list[str], out=None) -> None:
    out = out or sys.stdout
    out.write("学法助手已启动，请用浏览器打开：\n")
    for u in urls:
        kind = "本机" if "127.0.0.1" in u or "localhost" in u or "[::1]" in u else "内网"
        out.write(f"  {kind}：{u}\n")
    out.write("按 Ctrl+C 停止服务。\n")
    out.flush()


def serve(settings=None, services=None, block: bool = True):
    from assistant.accounts.service import Accounts
    from assistant.config import Settings, offline_environment
    from assistant.services import open_db

    from .auth import check_bind

    offline_environment()
    settings = settings or Settings()
    db = services.db if services is not None else open_db(settings)
    check_bind(settings.host, Accounts(db))  # fail fast, before models and gradio load
    check_port(settings.host, settings.port)
    import threading

    # Importing gradio takes seconds: do it while the knowledge base and embedding model load (cold start).
    preload = threading.Thread(target=lambda: __import__("assistant.web.ui"), name="preload-gradio", daemon=True)
    preload.start()
    if services is None:
        from assistant.progress import tqdm_progress
        from assistant.services import build_services

        # Serve as soon as the catalog and lexical index are ready; vectors are embedded in the background.
        services = build_services(settings, progress=_terminal_progress(tqdm_progress()), vectors="background")
        services.db = db  # the database opened above (cached_property: one per process)
    preload.join()
    from .ui import build_app, launch

    demo = build_app(services)
    launch(demo, settings, quiet=True, prevent_thread_lock=True)
    announce(reachable_urls(settings.host, settings.port))
    if block:
        demo.block_thread()
    return demo


def _terminal_progress(foreground):
    """tqdm bars for start-up phases; a percent line every 5% for the background vector build."""
    import sys

    last = {"pct": -5}

    def progress(done: int, total: int, what: str) -> None:
        if what != "向量索引建立中":
            foreground(done, total, what)
            return
        pct = int(100 * done / total) if total else 100
        if pct >= last["pct"] + 5 or done >= total:
            last["pct"] = pct
            print(f"向量索引建立中 {pct}%（{done}/{total} 条）" + ("，已完成" if done >= total else ""),
                  file=sys.stderr, flush=True)

    return progress
