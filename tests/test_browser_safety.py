"""In Chromium: Markdown and HTML in a document render as text in the chat, citation, article, brief and
knowledge-base panes; the Content-Security-Policy stops any image from another origin being fetched, and
Gradio itself runs under it without a single violation."""

from __future__ import annotations

import http.server
import re
import threading

import pytest

from .conftest import make_services
from .test_browser import CHROMIUM, TIMEOUT, browser  # noqa: F401 - the shared Chromium fixture
from .test_web_api import PASSWORD, running_app

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)")]

RECORD_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push({uri: e.blockedURI, directive: e.violatedDirective}));
"""


class _Pixel(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Pixel.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def pixel():
    """An "external" image host: another origin (127.0.0.2) that records every request it gets."""
    server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), _Pixel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def web(tmp_path_factory, embeddings, pixel):
    services = make_services(tmp_path_factory.mktemp("safety-kb"), embeddings,
                             national=("中华人民共和国监察法",), local=False)
    doc = tmp_path_factory.mktemp("safety-doc") / "某市河道管理条例.md"
    doc.write_text("# 某市河道管理条例\n\n第一条 为了加强河道管理，制定本条例。\n\n"
                   f"第二条 河道管理范围内**禁止**倾倒垃圾![x]({pixel}/pixel.png)<img src=\"{pixel}/tag.png\">。\n\n"
                   "第三条 本条例自2024年1月1日起施行。\n", encoding="utf-8")
    assert services.ingest([doc]).ok
    with running_app(services, tmp_path_factory.mktemp("safety-users")) as (url, ctx):
        yield url, ctx


def signed_in(browser, url, user):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(TIMEOUT)
    ctx.add_init_script(RECORD_CSP)
    assert ctx.request.post(url + "login", form={"username": user, "password": PASSWORD}).ok
    page = ctx.new_page()
    page.goto(url, wait_until="load")
    page.locator("#xf-user").get_by_text("当前用户").wait_for()
    return page


def external_imgs(page, pixel):
    return page.evaluate(f"Array.from(document.images).map(i => i.src).filter(s => s.startsWith('{pixel}'))")


def test_document_markdown_shows_as_text_and_nothing_is_fetched(web, browser, pixel):
    url, _ = web
    _Pixel.hits.clear()
    page = signed_in(browser, url, "learner")
    page.locator("#xf-question textarea").first.fill("某市河道管理条例第二条")
    page.locator("#xf-send").click()
    page.locator("#xf-cites .xf-cite").first.wait_for()
    chat = page.locator("#xf-chat")
    chat.get_by_text("**禁止**", exact=False).first.wait_for()
    assert f"![x]({pixel}/pixel.png)" in chat.inner_text()
    assert chat.locator("strong").filter(has_text="禁止").count() == 0
    assert f'<img src="{pixel}/tag.png">' in page.locator("#xf-cites").inner_text()

    page.get_by_role("tab", name="会前学法").click()
    page.locator("#xf-topic textarea").first.fill("河道管理")
    page.get_by_label("指定法规（可选，逗号分隔）").fill("某市河道管理条例")
    page.locator("#xf-brief").click()
    preview = page.locator("#xf-brief-preview")
    preview.get_by_text("**禁止**", exact=False).first.wait_for()
    assert f"{pixel}/pixel.png" in preview.inner_text()

    page.wait_for_timeout(500)
    assert external_imgs(page, pixel) == []
    assert _Pixel.hits == []
    assert page.evaluate("window.__csp") == []  # Gradio itself needs nothing the policy forbids
    page.context.close()


def test_csp_blocks_an_image_from_another_origin(web, browser, pixel):
    url, _ = web
    _Pixel.hits.clear()
    page = signed_in(browser, url, "admin")
    page.evaluate(f"() => {{ const i = new Image(); i.src = '{pixel}/injected.png'; document.body.appendChild(i); }}")
    page.wait_for_function("window.__csp.length > 0")
    violations = page.evaluate("window.__csp")
    assert violations and all(v["uri"].startswith(pixel) and v["directive"].startswith("img-src") for v in violations)
    assert _Pixel.hits == []

    # the knowledge-base viewer (admin) shows the same article as text too
    page.get_by_role("tab", name="知识库").click()
    law_id = next(l.law_id for l in web[1].services.catalog.laws(source="local"))
    page.locator("#xf-selected textarea").first.fill(law_id)
    page.get_by_role("button", name="查看条文").click()
    view = page.locator("#xf-doc-view")
    view.get_by_text("**禁止**", exact=False).first.wait_for()
    assert re.search(r"<img src=", view.inner_text())
    assert view.locator("img").count() == 0 and _Pixel.hits == []
    page.context.close()


def test_login_page_has_the_product_name_and_says_wrong_credentials_in_chinese(web, browser):
    url, _ = web
    ctx = browser.new_context(locale="zh-CN")
    ctx.set_default_timeout(TIMEOUT)
    page = ctx.new_page()
    page.goto(url, wait_until="load")
    page.get_by_role("heading", name="学法助手").wait_for()
    page.locator("#xf-username").fill("learner")
    page.locator("#xf-password").fill("wrong password")
    page.locator("#xf-login-button").click()
    page.locator("#xf-login-error").get_by_text("用户名或密码错误").wait_for()
    assert "凭据不正确" not in page.content()
    page.locator("#xf-password").fill(PASSWORD)
    page.locator("#xf-login-button").click()
    page.locator("#xf-user").get_by_text("当前用户").wait_for()
    ctx.close()


def test_delete_asks_first_toasts_are_chinese_and_a_builtin_is_restored(web, browser):
    """Runs last in this module: it deletes (and restores) the built-in 监察法."""
    url, ctx = web
    page = signed_in(browser, url, "admin")
    page.get_by_role("tab", name="知识库").click()
    page.locator("#xf-delete").click()  # nothing selected: a Chinese toast, no "Error" title
    toast = page.get_by_text("请先在文档列表中选择要删除的文档。").first
    toast.wait_for()
    title = page.locator(".toast-title").first
    title.get_by_text("提示").wait_for()  # Gradio would say "Error"
    assert "Error" not in page.locator(".toast-body").first.inner_text()

    law = next(l for l in ctx.services.catalog.laws(source="national") if l.title == "中华人民共和国监察法")
    page.locator("#xf-selected textarea").first.fill(law.law_id)
    page.locator("#xf-delete").click()
    confirm = page.locator("#xf-confirm")
    confirm.get_by_text("确定要删除", exact=False).wait_for()
    assert "内置国家法律库" in confirm.inner_text() and ctx.services.catalog.law(law.law_id) is not None
    page.locator("#xf-cancel-delete").click()
    page.locator("#xf-confirm-delete").wait_for(state="hidden")
    assert ctx.services.catalog.law(law.law_id) is not None

    page.locator("#xf-delete").click()
    page.locator("#xf-confirm-delete").click()
    page.locator("#xf-kb-status").get_by_text("已删除", exact=False).wait_for()
    assert ctx.services.catalog.law(law.law_id) is None

    pick = page.locator("#xf-restore-pick input")
    pick.fill("中华人民共和国监察法")
    pick.press("Enter")
    page.locator("#xf-restore").click()
    page.locator("#xf-kb-status").get_by_text("已恢复", exact=False).wait_for()
    assert ctx.services.catalog.law(law.law_id) is not None
    assert ctx.services.kb.lookup("监察法", 15) is not None
    page.context.close()
