"""The web app in Debian Chromium through Playwright: upload, roles, chat, exam, brief, offline page.

Set XUEFA_SCREENSHOTS=1 to also write docs/screenshots/*.png."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .conftest import REPO, make_services, shared_corpus
from .test_web_api import PASSWORD, running_app

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
SHOTS = REPO / "docs" / "screenshots"
TIMEOUT = 90_000

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)")]


@pytest.fixture(scope="module")
def web(tmp_path_factory, embeddings):
    """A small writable knowledge base (监察法, 政务处分法; the local regulations get uploaded in the test)."""
    services = make_services(tmp_path_factory.mktemp("browser-kb"), embeddings,
                             national=("中华人民共和国监察法", "中华人民共和国公职人员政务处分法"), local=False)
    with running_app(services, tmp_path_factory.mktemp("browser-users")) as (url, ctx):
        yield url, ctx


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def open_as(browser, url, user, requests):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(TIMEOUT)
    r = ctx.request.post(url + "login", form={"username": user, "password": PASSWORD})
    assert r.ok, r.status
    page = ctx.new_page()
    page.on("request", lambda req: requests.append(req.url))
    page.goto(url, wait_until="load")
    page.locator("#xf-user").get_by_text("当前用户").wait_for()
    return page


def shot(page, name):
    if os.environ.get("XUEFA_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def only_local(requests, url):
    base = url.rstrip("/")
    return [u for u in requests if not (u.startswith(base) or u.startswith(("data:", "blob:")))]


def test_admin_uploads_a_regulation_and_sees_its_article_count(web, browser):
    url, ctx = web
    reg = shared_corpus() / "山东省安全生产条例(2021-12-03).md"
    requests: list[str] = []
    page = open_as(browser, url, "admin", requests)
    page.get_by_role("tab", name="知识库").click()
    page.locator("#xf-files input[type=file]").set_input_files(str(reg))
    page.locator("#xf-upload").click()
    table = page.locator("#xf-upload-table")
    page.locator("#xf-upload-summary").get_by_text("新增 1 件").first.wait_for()
    law = next(l for l in ctx.services.catalog.laws(source="local") if "安全生产条例" in l.title)
    count = ctx.services.catalog.article_count(law.law_id)
    assert count > 50
    text = table.inner_text()
    assert law.title in text and re.search(rf"\b{count}\b", text)
    assert law.title in page.locator("#xf-docs").inner_text()
    shot(page, "知识库")
    assert ctx.audit.entries()[0]["user"] == "admin"
    assert not only_local(requests, url), only_local(requests, url)
    page.context.close()


def test_learner_cannot_see_the_knowledge_base(web, browser):
    url, _ = web
    requests: list[str] = []
    page = open_as(browser, url, "learner", requests)
    page.get_by_role("tab", name="问答").wait_for()
    page.get_by_role("tab", name="考试").wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_role("tab", name="知识库").count() == 0
    assert page.locator("#xf-upload").count() == 0 or not page.locator("#xf-upload").is_visible()
    page.context.close()


def test_learner_asks_and_sees_a_citation_with_article_text(web, browser):
    url, ctx = web
    requests: list[str] = []
    page = open_as(browser, url, "learner", requests)
    page.locator("#xf-question textarea, #xf-question input").first.fill("监察机关可以采取哪些调查措施？")
    page.locator("#xf-send").click()
    card = page.locator("#xf-cites .xf-cite").first
    card.wait_for()
    text = card.locator(".xf-cite-text").inner_text()
    head = card.locator(".xf-cite-head").inner_text()
    m = re.search(r"《(.+?)》第(.+?)条", head)
    assert m and "监察法" in m.group(1)
    assert len(text) > 20 and ctx.services.kb.contains_text(text.split("\n")[0][:30])
    assert "现行有效" in card.inner_text() and "施行日期" in card.inner_text()
    page.locator("#xf-chat").get_by_text("监察机关可以采取哪些调查措施？").first.wait_for()
    shot(page, "问答")
    assert not only_local(requests, url), only_local(requests, url)
    page.context.close()


def test_learner_takes_a_five_item_paper(web, browser):
    url, _ = web
    requests: list[str] = []
    page = open_as(browser, url, "learner", requests)
    page.get_by_role("tab", name="考试").click()
    page.locator("#xf-scope textarea, #xf-scope input").first.fill("监察法")
    for sel, value in (("#xf-n-single", "2"), ("#xf-n-multi", "1"), ("#xf-n-judge", "2"), ("#xf-n-fill", "0"),
                       ("#xf-minutes", "5")):
        page.locator(f"{sel} input").fill(value)
    page.locator("#xf-generate").click()
    page.locator("#xf-countdown").get_by_text("剩余时间").wait_for()
    questions = page.locator(".xf-q")
    questions.nth(4).wait_for()
    assert questions.count() == 5
    for i in range(5):
        q = questions.nth(i)
        q.locator("label").nth(1 if i % 2 else 0).click()
    def remaining() -> int:
        m = re.search(r"剩余时间 (\d+) 分 (\d+) 秒", page.locator("#xf-countdown").inner_text())
        assert m, page.locator("#xf-countdown").inner_text()
        return int(m.group(1)) * 60 + int(m.group(2))

    before = remaining()
    page.wait_for_timeout(2500)  # the countdown ticks
    after = remaining()
    assert 0 < after < before <= 5 * 60
    shot(page, "考试")
    page.locator("#xf-submit").click()
    score = page.locator("#xf-score-value")
    score.wait_for()
    assert re.fullmatch(r"\d+(\.\d+)?", score.inner_text())
    result = page.locator("#xf-result").inner_text()
    assert "解析" in result and "各法规得分率" in result
    page.locator("#xf-dl-key").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "考试结果")
    assert not only_local(requests, url), only_local(requests, url)
    page.context.close()


def test_learner_generates_a_brief_and_downloads_docx(web, browser, tmp_path):
    url, _ = web
    requests: list[str] = []
    page = open_as(browser, url, "learner", requests)
    page.get_by_role("tab", name="会前学法").click()
    page.locator("#xf-topic textarea, #xf-topic input").first.fill("监察工作")
    page.locator("#xf-brief").click()
    page.locator("#xf-brief-preview").get_by_text("会前学法材料").first.wait_for()
    button = page.locator("#xf-dl-brief")
    button.wait_for()
    shot(page, "会前学法")
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes()[:2] == b"PK"
    assert not only_local(requests, url), only_local(requests, url)
    page.context.close()
