"""The organisation flow in Debian Chromium: a 单位管理员 imports users from Excel and creates an exam for the
unit with a window and 2 attempts; two learners take it; the unit admin sees the pass rate and downloads the
.xlsx report; the learner who passed downloads a certificate."""

from __future__ import annotations

import re

import pytest

from .conftest import make_services
from .test_browser import CHROMIUM, TIMEOUT, browser, only_local, open_as  # noqa: F401 - browser: fixture
from .test_web_api import PASSWORD, running_app

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)")]


@pytest.fixture(scope="module")
def org_web(tmp_path_factory, embeddings):
    services = make_services(tmp_path_factory.mktemp("org-kb"), embeddings, national=("中华人民共和国监察法",),
                             local=False)
    with running_app(services, tmp_path_factory.mktemp("org-users"), users=(("admin", "管理员"),)) as (url, ctx):
        ctx.accounts.units.ensure_path("某县/教育局")
        ctx.accounts.add("edu_admin", PASSWORD, "单位管理员", unit="某县/教育局")
        yield url, ctx


def pick(page, dropdown: str, option: str):
    """Choose an option of a gradio dropdown by its visible text."""
    page.locator(f"{dropdown} input").first.click()
    page.get_by_role("option", name=option, exact=True).first.click()


def download(page, button_id: str, folder):
    """Click a download button once it shows; the saved file."""
    button = page.locator(button_id)
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def keys_for(ctx, user: str) -> dict[int, str]:
    """The key of the paper the user is taking (read from the database, as a cheating-free test oracle)."""
    from assistant.db import PaperRepo
    from assistant.exam import Paper

    uid = ctx.accounts.get(user).id
    attempt = ctx.services.sessions.attempts.for_user(uid)[0]
    return {it.number: it.answer for it in Paper.from_json(PaperRepo(ctx.db).get(attempt.paper_id).data).items}


def take(page, ctx, user: str, correct: bool):
    page.get_by_role("tab", name="我的考试", exact=True).click()
    page.locator("#xf-pending").get_by_text("2026年度学法考试").wait_for()
    pick(page, "#xf-pick-session", "2026年度学法考试（剩余 2 次）")
    page.locator("#xf-start-session").click()
    page.locator("#xf-s-countdown").get_by_text("剩余时间").wait_for()
    questions = page.locator("#tab-my-exams .xf-q")
    questions.nth(2).wait_for()
    key = keys_for(ctx, user)
    assert questions.count() == len(key) == 3
    for i in range(3):
        letter = key[i + 1] if correct else ("B" if key[i + 1] == "A" else "A")
        questions.nth(i).locator("label").filter(has_text=re.compile(rf"^\s*{letter}\. ")).click()
    page.locator("#xf-s-submit").click()
    score = page.locator("#xf-s-result #xf-score-value")
    score.wait_for()
    return float(score.inner_text())


def test_unit_admin_organises_an_exam_end_to_end(org_web, browser, tmp_path):
    from openpyxl import load_workbook

    from assistant.accounts.importer import COLUMNS
    from assistant.export.xlsx import write_workbook

    url, ctx = org_web
    requests: list[str] = []
    boss = open_as(browser, url, "edu_admin", requests)
    boss.get_by_role("tab", name="单位与用户", exact=True).click()
    sheet = write_workbook(tmp_path / "名单.xlsx", [("用户", COLUMNS, [
        ("lisi", "李四", "某县/教育局/办公室", "科员", "学员", PASSWORD),
        ("wangwu", "王五", "某县/教育局/办公室", "副科级", "学员", PASSWORD)])])
    boss.locator("#xf-import-file input[type=file]").set_input_files(str(sheet))
    boss.locator("#xf-import").click()
    boss.locator("#xf-import-summary").get_by_text("新增 2 个用户").wait_for()
    assert "lisi" in boss.locator("#xf-users").inner_text()

    boss.get_by_role("tab", name="组织考试", exact=True).click()
    boss.locator("#xf-s-title textarea, #xf-s-title input").first.fill("2026年度学法考试")
    boss.locator("#xf-s-laws textarea, #xf-s-laws input").first.fill("监察法")
    for sel, value in (("#xf-s-single", "0"), ("#xf-s-multi", "0"), ("#xf-s-judge", "3"), ("#xf-s-fill", "0"),
                       ("#xf-s-days", "1"), ("#xf-s-minutes", "5"), ("#xf-s-attempts", "2")):
        boss.locator(f"{sel} input").fill(value)
    pick(boss, "#xf-s-units", "某县/教育局")
    boss.keyboard.press("Escape")
    boss.locator("#xf-s-create").click()
    boss.locator("#xf-s-status").get_by_text("已创建考试").wait_for()
    assert "应考 3 人" in boss.locator("#xf-s-status").inner_text()  # the unit admin sits it too

    scores = {}
    for user, correct in (("lisi", True), ("wangwu", False)):
        page = open_as(browser, url, user, requests)
        scores[user] = take(page, ctx, user, correct)
        page.context.close()
    assert scores["lisi"] == 6 and scores["wangwu"] == 0  # 3 判断 × 2 points, all right / all wrong

    boss.reload(wait_until="load")
    boss.locator("#xf-user").get_by_text("当前用户").wait_for()
    boss.get_by_role("tab", name="组织考试", exact=True).click()
    pick(boss, "#xf-s-pick", next(label for label in [f"{s.id}. {s.title}" for s in ctx.services.sessions.sessions.list()]))
    boss.locator("#xf-s-report").click()
    rate = boss.locator("#xf-report #xf-pass-rate")
    rate.wait_for()
    assert rate.inner_text() == "33.3%"  # 1 of 3 invited passed
    assert "成绩分布" in boss.locator("#xf-report").inner_text()
    boss.locator("#xf-s-xlsx").click()
    rows = list(load_workbook(download(boss, "#xf-dl-xlsx", tmp_path))["成绩单"].iter_rows(values_only=True))
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["lisi"][7] == "合格" and by_name["wangwu"][7] == "否" and by_name["edu_admin"][8] == "未参加"
    boss.context.close()

    page = open_as(browser, url, "lisi", requests)
    page.get_by_role("tab", name="我的考试", exact=True).click()
    from playwright.sync_api import expect

    expect(page.locator("#xf-my-results")).to_contain_text("可下载", timeout=TIMEOUT)
    sid = ctx.services.sessions.sessions.list()[0].id
    page.locator("#xf-cert-session input").fill(str(sid))
    page.locator("#xf-cert").click()
    doc = download(page, "#xf-dl-cert", tmp_path)
    from docx import Document

    assert doc.suffix == ".docx" and "合格证书" in "\n".join(p.text for p in Document(doc).paragraphs)
    assert re.search(r"李四", "\n".join(p.text for p in Document(doc).paragraphs))
    assert not only_local(requests, url), only_local(requests, url)
    page.context.close()
