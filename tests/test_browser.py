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
    page.get_by_role("tab", name="知识库", exact=True).click()
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
    page.get_by_role("tab", name="问答", exact=True).wait_for()
    page.get_by_role("tab", name="考试", exact=True).wait_for()
    page.wait_for_timeout(500)
    assert page.get_by_role("tab", name="知识库", exact=True).count() == 0
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


def answer_current(page) -> None:
    """Answer the question on screen with its first option (or a word for 填空)."""
    for sel in ("#xf-choice", "#xf-multi"):
        box = page.locator(sel)
        if box.is_visible():
            box.locator("label").first.click()
            return
    page.locator("#xf-fill textarea, #xf-fill input").first.fill("三")


def appear(page, locator) -> None:
    """Wait for `locator`; on a timeout fail with what the page showed instead: every toast seen while waiting
    (they fade), and the header and stem at the end."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    toasts: list[str] = []
    for _ in range(TIMEOUT // 1000):
        try:
            locator.wait_for(timeout=1000)
            return
        except PlaywrightTimeout:
            toasts += [t for t in page.locator(".toast-wrap").all_inner_texts() if t.strip() and t not in toasts]
    shown = {sel: page.locator(sel).all_inner_texts() for sel in ("#xf-paper-head", "#xf-stem")}
    raise AssertionError(f"never shown: {locator}; toasts {toasts}; the page showed {shown}")


def stem_text(page) -> str:
    return page.locator("#xf-stem").inner_text()


def test_learner_takes_an_official_paper_end_to_end(web, browser):
    """One question per screen, answer sheet, pinned countdown, 还有 N 题未作答, the result and the record."""
    url, _ = web
    requests: list[str] = []
    page = open_as(browser, url, "learner", requests)
    page.get_by_role("tab", name="考试", exact=True).click()
    page.locator("#xf-official").click()
    page.locator("#xf-countdown").get_by_text("剩余时间").wait_for()
    page.locator("#xf-stem").get_by_text("第 1 题").wait_for()
    m = re.search(r"共 (\d+) 题", stem_text(page))
    total = int(m.group(1))
    assert total >= 10
    assert page.locator("#xf-countdown").evaluate("e => getComputedStyle(e).position") == "sticky"
    assert page.locator("#xf-choice label, #xf-multi label, #xf-fill textarea").count() >= 1
    size = page.locator(".xf-stem").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 16  # a readable stem, not a small grey label

    def remaining() -> int:
        m = re.search(r"剩余时间 (\d+) 分 (\d+) 秒", page.locator("#xf-countdown").inner_text())
        assert m, page.locator("#xf-countdown").inner_text()
        return int(m.group(1)) * 60 + int(m.group(2))

    before = remaining()
    for n in range(1, 4):  # answer three, moving on with 下一题
        answer_current(page)
        page.locator("#xf-nav").get_by_text(f"{n} ✓").wait_for()
        page.locator("#xf-next").click()
        page.locator("#xf-stem").get_by_text(f"第 {n + 1} 题").wait_for()
    page.locator("#xf-nav label").nth(total - 1).click()  # jump by the answer sheet
    page.locator("#xf-stem").get_by_text(f"第 {total} 题").wait_for()
    page.locator("#xf-nav label").nth(0).click()
    page.locator("#xf-stem").get_by_text("第 1 题").wait_for()
    assert page.locator("#xf-choice input:checked, #xf-multi input:checked").count() + \
        (1 if page.locator("#xf-fill").is_visible() else 0) >= 1  # the answer is still there
    after = remaining()
    assert 0 < after <= before <= 90 * 60
    shot(page, "考试")
    page.locator("#xf-submit").click()
    page.locator("#xf-confirm-text").get_by_text(f"还有 {total - 3} 题未作答").wait_for()
    page.locator("#xf-cancel").click()
    page.locator("#xf-confirm-row").wait_for(state="hidden")
    page.locator("#xf-submit").click()
    page.locator("#xf-confirm").click()
    score = page.locator("#xf-score-value")
    score.wait_for()
    assert re.fullmatch(r"\d+(\.\d+)?", score.inner_text())
    result = page.locator("#xf-result").inner_text()
    assert "正式考试得分" in result and "解析" in result and "各法规得分率" in result
    page.locator("#xf-dl-key").wait_for()
    page.get_by_text("错题本与考试记录").click()
    page.wait_for_function("() => (document.querySelector('#xf-history') || {}).innerText?.includes('正式考试')")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "考试结果")
    assert not only_local(requests, url), only_local(requests, url)
    page.context.close()


def test_a_second_paper_starts_clean_and_submits(web, browser):
    """Issue #11: answers carried over to the next paper, and a 单选 answer made 交卷 fail with an English
    "Value: 'A. 监察机关' …" error until the page was reloaded."""
    url, _ = web
    page = open_as(browser, url, "admin", [])
    page.get_by_role("tab", name="考试", exact=True).click()
    page.get_by_text("练习卷题量与分值").click()
    page.locator("#xf-scope textarea, #xf-scope input").first.fill("监察法")
    for sel, value in (("#xf-n-single", "3"), ("#xf-n-multi", "0"), ("#xf-n-judge", "0"), ("#xf-n-fill", "0"),
                       ("#xf-minutes", "5")):
        box = page.locator(f"{sel} input")
        box.fill(value)
        box.press("Tab")  # committed as a user leaving the field would
        assert box.input_value() == value, sel
    page.locator("#xf-generate").click()
    appear(page, page.locator("#xf-stem").get_by_text("第 1 题 / 共 3 题"))
    page.locator("#xf-choice label").first.click()
    page.locator("#xf-nav").get_by_text("1 ✓").wait_for()
    appear(page, page.locator("#xf-stem").get_by_text("已答 1 题"))
    page.locator("#xf-generate").click()  # a second paper (its first question may be the same one)
    appear(page, page.locator("#xf-stem").get_by_text("已答 0 题"))
    appear(page, page.locator("#xf-stem").get_by_text("第 1 题 / 共 3 题"))
    assert page.locator("#xf-choice input:checked").count() == 0
    assert page.locator("#xf-nav label", has_text="✓").count() == 0
    page.locator("#xf-choice label").first.click()
    page.locator("#xf-submit").click()
    page.locator("#xf-confirm-text").get_by_text("还有 2 题未作答").wait_for()
    page.locator("#xf-confirm").click()
    page.locator("#xf-score-value").wait_for()
    body = page.locator("body").inner_text()
    assert "Value:" not in body and "not in the list" not in body
    page.context.close()


def test_learner_generates_a_brief_and_downloads_docx(web, browser, tmp_path):
    url, _ = web
    requests: list[str] = []
    page = open_as(browser, url, "learner", requests)
    page.get_by_role("tab", name="会前学法", exact=True).click()
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
