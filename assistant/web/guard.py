"""An ASGI middleware in front of the Gradio app (plain ASGI, no gradio import):

- security headers on every response, with a Content-Security-Policy that lets the page load images, fonts,
  scripts and connections only from the app itself (so even text that slipped through as an <img> to another
  host is never fetched: no tracking pixel, no broken no-network promise);
- the login page (product name, Chinese labels) instead of Gradio's, and Gradio's English "Incorrect
  credentials." answer turned into "用户名或密码错误";
- the client address of a /login request handed to `login.LoginGate`, and its throttling refusals turned
  into 429 answers with the Chinese message;
- Gradio's file and upload routes checked against `access.FileAccess` (exports only for their owner and
  administrators; uploads only by administrators).
"""

from __future__ import annotations

import json
from functools import lru_cache
from http.cookies import SimpleCookie
from importlib import resources

from .login import CLIENT_ADDRESS, WRONG_CREDENTIALS, LoginRefused

# What Gradio 6 needs (checked in Chromium, tests/test_browser_safety.py): its inline config script and the
# `js=` snippets it runs with new Function ('unsafe-inline', 'unsafe-eval'), inline styles, data:/blob: images
# (icons, uploaded previews), same-origin fetch/SSE. Nothing from another origin.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' data: blob:; "
       "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'self'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"SAMEORIGIN")]
LOGIN_PATHS = ("/login", "/login/")
FILE_PREFIX = "/gradio_api/file="
UPLOAD_PATHS = ("/gradio_api/upload", "/gradio_api/upload/")


@lru_cache(maxsize=1)
def login_page() -> bytes:
    return resources.files("assistant.web").joinpath("templates/login.html").read_bytes()


def _with_headers(headers: list) -> list:
    names = {h[0].lower() for h in HEADERS}
    return [h for h in headers if h[0].lower() not in names] + HEADERS


class WebGuard:
    """`FastAPI(middleware=[Middleware(WebGuard, login=True)])`; `login=False` in local (user-less) mode."""

    def __init__(self, app, login: bool = True, access=None):
        self.app = app
        self.login = login
        self.access = access  # assistant.web.access.FileAccess, or None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if self.login and method == "GET" and path in ("/", *LOGIN_PATHS) and not _signed_in(scope):
            await _respond(send, 200, login_page(), b"text/html; charset=utf-8")
            return
        if method == "POST" and path in LOGIN_PATHS:
            await self._login(scope, receive, send)
            return
        if self.access is not None:
            if method in ("GET", "HEAD") and path.startswith(FILE_PREFIX):
                if not self.access.may_read(_username(scope), path[len(FILE_PREFIX):]):
                    await _refuse(send, "无权下载该文件：导出的试卷、答案和学习材料只有本人和管理员可以下载。")
                    return
            elif method == "POST" and path in UPLOAD_PATHS and not self.access.may_upload(_username(scope)):
                await _refuse(send, "只有管理员可以上传文件。")
                return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": _with_headers(list(message.get("headers", [])))}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _login(self, scope, receive, send):
        client = scope.get("client")
        token = CLIENT_ADDRESS.set(client[0] if client else None)
        held: dict = {}

        async def rewrite(message):
            # Gradio answers a wrong password with 400 {"detail": "Incorrect credentials."}: say it in Chinese.
            if message["type"] == "http.response.start" and message["status"] == 400:
                held["start"] = message
                return
            if message["type"] == "http.response.body" and "start" in held:
                if message.get("more_body"):
                    return
                await _respond(send, 400, json.dumps({"detail": WRONG_CREDENTIALS}, ensure_ascii=False).encode(),
                               b"application/json")
                return
            if message["type"] == "http.response.start":
                message = {**message, "headers": _with_headers(list(message.get("headers", [])))}
            await send(message)

        try:
            await self.app(scope, receive, rewrite)
        except LoginRefused as exc:
            await _respond(send, 429, json.dumps({"detail": str(exc)}, ensure_ascii=False).encode(),
                           b"application/json")
        finally:
            CLIENT_ADDRESS.reset(token)


def _username(scope) -> str | None:
    """The signed-in user of a request: Gradio keeps session tokens (cookie value -> name) in `app.tokens`."""
    app = scope.get("app")
    tokens = getattr(app, "tokens", None) or {}
    cookie_id = getattr(app, "cookie_id", None)
    raw = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie").decode("latin-1")
    jar = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # noqa: BLE001 - a malformed cookie header is "not signed in"
        return None
    for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
        if name in jar and jar[name].value in tokens:
            return tokens[jar[name].value]
    return None


def _signed_in(scope) -> bool:
    app = scope.get("app")
    if getattr(app, "tokens", None) is None or getattr(app, "cookie_id", None) is None:
        return True  # not the Gradio app: let it decide
    return _username(scope) is not None


async def _refuse(send, message: str) -> None:
    await _respond(send, 403, json.dumps({"detail": message}, ensure_ascii=False).encode(), b"application/json")


async def _respond(send, status: int, body: bytes, content_type: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store"), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
