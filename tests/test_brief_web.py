"""The brief review in the web app: handlers without a browser (roles, bad input), then the whole path in Debian
Chromium — a learner saves and edits a draft and sends it for review, an admin approves it, the approved Word
carries the reviewer and the edit."""

from __future__ import annotations

import pytest

from knowledge.errors import XuefaError

from .conftest import make_services
from .test_browser import CHROMIUM, browser, open_as, only_local  # noqa: F401 - fixture
from .test_web_api import running_app

TOPIC = "行政执法三项制度"


@pytest.fixture(scope="module")
def review_services(tmp_path_factory, embeddings):
    return make_services(tmp_path_factory.mktemp("brief-review-kb"), embeddings,
                         national=("中华人民共和国行政处罚法",), local=False)


def test_review_handlers_and_roles(review_services, tmp_path):
    from docx import Document

    from assistant.web import briefs as hb

    from .test_web_handlers import web_context

    ctx = web_context(review_services, tmp_path, users=(("法制股", "学员"), ("局长", "管理员")))
    ctx.local_mode = False
    clerk, chief = ctx.user("法制股"), ctx.user("局长")
    with pytest.raises(XuefaError, match="学习主题"):
        hb.save_draft(ctx, clerk, "  ")
    bid = hb.save_draft(ctx, clerk, TOPIC, unit="某县司法局")
    text, status, rows = hb.view(ctx, clerk, bid)
    assert "编制单位：某县司法局" in text and "草稿" in status and rows[0][2] == "创建"
    assert hb.choices(ctx, clerk)[0].startswith(f"{bid} · 会前学法材料：{TOPIC}")
    hb.edit(ctx, clerk, hb.choices(ctx, clerk)[0], text + "\n本县情况：已全面推行。\n", "补充本县情况")
    hb.submit(ctx, clerk, bid)
    with pytest.raises(XuefaError, match="只有管理员"):
        hb.approve(ctx, clerk, bid)
    with pytest.raises(XuefaError, match="尚未批准"):
        hb.final_docx(ctx, clerk, bid)
    with pytest.raises(XuefaError, match="请先选择"):
        hb.submit(ctx, clerk, "")
    hb.approve(ctx, chief, bid, "同意")
    _, status, rows = hb.view(ctx, chief, bid)
    assert "已批准" in status and "局长" in status
    assert [r[2] for r in rows] == ["创建", "保存", "送审", "批准"]
    assert rows[1][3] == "法制股" and rows[1][5] == "补充本县情况" and rows[3][3] == "局长"
    body = "\n".join(p.text for p in Document(hb.final_docx(ctx, chief, bid)).paragraphs)
    assert "本县情况：已全面推行。" in body and "审核：局长" in body


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)")
def test_draft_review_and_approval_in_the_browser(review_services, browser, tmp_path_factory, tmp_path):  # noqa: F811
    from docx import Document

    with running_app(review_services, tmp_path_factory.mktemp("brief-review-users")) as (url, ctx):
        requests: list[str] = []
        page = open_as(browser, url, "learner", requests)
        page.get_by_role("tab", name="会前学法").click()
        page.locator("#xf-topic textarea, #xf-topic input").first.fill(TOPIC)
        page.locator("#xf-brief-review").get_by_text("保存、修改与审核").first.click()
        page.locator("#xf-brief-unit textarea, #xf-brief-unit input").first.fill("某县司法局")
        page.locator("#xf-brief-save").click()
        page.locator("#xf-brief-status").get_by_text("草稿").first.wait_for()
        box = page.locator("#xf-brief-text textarea").first
        assert "编制单位：某县司法局" in box.input_value()
        box.fill(box.input_value() + "\n本县2025年办理行政处罚案件1200件。\n")
        page.locator("#xf-brief-note textarea, #xf-brief-note input").first.fill("补充本县数据")
        page.locator("#xf-brief-edit").click()
        page.locator("#xf-brief-status").get_by_text("第2版").first.wait_for()
        page.locator("#xf-brief-submit").click()
        page.locator("#xf-brief-status").get_by_text("待审核").first.wait_for()
        page.context.close()

        admin = open_as(browser, url, "admin", requests)
        admin.get_by_role("tab", name="会前学法").click()
        admin.locator("#xf-brief-review").get_by_text("保存、修改与审核").first.click()
        pick = admin.locator("#xf-brief-pick input").first
        pick.click()
        admin.get_by_role("option").filter(has_text="待审核").first.click()
        admin.locator("#xf-brief-status").get_by_text("待审核").first.wait_for()
        admin.locator("#xf-brief-approve").click()
        admin.locator("#xf-brief-status").get_by_text("已批准").first.wait_for()
        admin.locator("#xf-brief-history").get_by_text("批准").first.wait_for()
        admin.locator("#xf-brief-final").click()
        button = admin.locator("#xf-dl-final")
        button.wait_for()
        with admin.expect_download() as info:
            button.click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        body = "\n".join(p.text for p in Document(str(target)).paragraphs)
        assert "本县2025年办理行政处罚案件1200件。" in body and "审核：admin" in body
        assert not only_local(requests, url), only_local(requests, url)
        admin.context.close()
