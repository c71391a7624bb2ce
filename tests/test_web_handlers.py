"""Web handlers without a browser: users and roles, safe uploads, chat, exam, brief and knowledge-base handlers."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from knowledge.errors import ConfigError, XuefaError

from .conftest import LOCAL_CORPUS, shared_corpus


PASSWORD = "河道-管理-2026-春"  # not on the refused common-password list

# ---- accounts --------------------------------------------------------------------------------------
def test_users_are_hashed_salted_and_private(db):
    from assistant.accounts.service import Accounts
    from assistant.db import UserRepo
    from assistant.web.auth import ADMIN, LEARNER

    store = Accounts(db)
    assert store.empty
    store.add("张三", "correct horse", role=ADMIN)
    store.add("lisi", "correct horse", role=LEARNER)
    rows = {u.name: u.password_hash for u in UserRepo(db).list()}
    assert all("correct horse" not in h for h in rows.values())
    salt = lambda h: h.split("$")[4]  # noqa: E731
    assert salt(rows["张三"]) != salt(rows["lisi"]) and rows["张三"] != rows["lisi"]
    assert store.verify("张三", "correct horse") and not store.verify("张三", "wrong password")
    assert not store.verify("nobody", "correct horse")
    assert store.get("张三").is_admin and not store.get("lisi").is_admin
    assert [u.name for u in store.list()] == sorted(["张三", "lisi"])
    with pytest.raises(XuefaError, match="已存在"):
        store.add("lisi", "another one", role=LEARNER)
    with pytest.raises(XuefaError, match="至少"):
        store.add("wangwu", "short")
    with pytest.raises(XuefaError, match="角色"):
        store.add("wangwu", "long enough", role="root")
    with pytest.raises(XuefaError, match="用户名"):
        store.add("../etc", "long enough")
    store.add("lisi", "new password", role=ADMIN, replace=True)
    assert store.verify("lisi", "new password") and store.get("lisi").is_admin
    store.set_disabled("lisi")
    assert not store.verify("lisi", "new password") and store.get("lisi") is None  # disabled: no login
    assert store.remove("lisi") and store.get("lisi") is None


def test_no_users_means_loopback_only(db):
    from assistant.accounts.service import Accounts
    from assistant.web.auth import check_bind, is_loopback

    store = Accounts(db)
    store.ensure_record_holder("cli-user")  # an account only for records cannot log in: still no users
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert is_loopback(host)
        check_bind(host, store)
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        with pytest.raises(ConfigError, match="尚未配置任何用户"):
            check_bind(host, store)
    store.add("admin", "a good password", role="管理员")
    check_bind("0.0.0.0", store)


def test_app_py_refuses_other_interfaces_without_users(tmp_path):
    import subprocess
    import sys

    from .conftest import REPO

    env = dict(os.environ, XUEFA_HOME=str(tmp_path), XUEFA_HOST="0.0.0.0", XUEFA_PORT="7999")
    proc = subprocess.run([sys.executable, "app.py"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "尚未配置任何用户" in proc.stderr and "Traceback" not in proc.stderr


def web_context(services, tmp_path, users=()):
    """A WebContext over shared read-only services (knowledge base, answerer, briefs) but its own data dir and
    database (accounts, papers, records, sessions), wired as assistant.services wires them."""
    from assistant.db import Database, sqlite_url
    from assistant.services import Services
    from assistant.web.audit import AuditLog
    from assistant.web.context import WebContext

    tmp_path.mkdir(parents=True, exist_ok=True)
    settings = services.settings.model_copy(update={"home": tmp_path})
    svc = Services(settings=settings, kb=services.kb, llm=services.llm)
    svc.db = Database(sqlite_url(tmp_path / "xuefa.sqlite3"))
    svc.answerer, svc.briefs = services.answerer, services.briefs
    for name, role in users:
        svc.accounts.add(name, PASSWORD, role=role)
    return WebContext(services=svc, accounts=svc.accounts, audit=AuditLog(svc.db))


_ctx = web_context


def test_roles_are_checked_server_side(services_small, tmp_path):
    from assistant.web import handlers as h
    from assistant.web.auth import LOCAL_USER, PermissionDenied

    local = _ctx(services_small, tmp_path / "a")
    assert local.local_mode and local.user(None) == LOCAL_USER and LOCAL_USER.is_admin

    ctx = _ctx(services_small, tmp_path / "b", users=[("admin", "管理员"), ("learner", "学员")])
    assert not ctx.local_mode
    with pytest.raises(PermissionDenied):
        ctx.user(None)
    with pytest.raises(PermissionDenied):
        ctx.user("intruder")
    learner, admin = ctx.user("learner"), ctx.user("admin")
    law_id = h.list_documents(ctx, admin)[0][0]
    for call in (lambda: h.list_documents(ctx, learner), lambda: h.document_html(ctx, learner, law_id),
                 lambda: h.delete_document(ctx, learner, law_id), lambda: h.audit_rows(ctx, learner),
                 lambda: h.upload_documents(ctx, learner, ["x.md"])):
        with pytest.raises(PermissionDenied, match="管理员"):
            call()
    assert services_small.catalog.law(law_id) is not None


# ---- uploads ---------------------------------------------------------------------------------------
def test_safe_filenames():
    from assistant.web.handlers import safe_filename

    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..\\..\\boot.ini") == "boot.ini"
    assert "<" not in safe_filename("<script>alert(1)</script>.md")
    assert safe_filename("山东省安全生产条例(2021-12-03).md") == "山东省安全生产条例(2021-12-03).md"
    assert safe_filename("a b;rm -rf $HOME.txt").endswith(".txt") and " " not in safe_filename("a b.txt")
    assert safe_filename("") == "文件" and len(safe_filename("长" * 500 + ".md")) <= 100


def test_uploads_limited_in_type_and_size(services_small, tmp_path):
    from assistant.web.handlers import save_uploads

    ctx = _ctx(services_small, tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (ctx.max_bytes + 1))
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    (tmp_path / "sub").mkdir()
    good = tmp_path / "sub" / "evil name.md"
    good.write_text("第一条 测试。", encoding="utf-8")
    saved, rejected = save_uploads(ctx, [big, exe, empty, good])
    reasons = {Path(r["path"]).name: r["reason"] for r in rejected}
    assert "过大" in reasons["big.txt"] and "不支持的文件类型" in reasons["tool.exe"] and "空" in reasons["empty.md"]
    assert len(saved) == 1 and saved[0].name == "evil_name.md"
    assert saved[0].resolve().is_relative_to(ctx.settings.uploads_dir.resolve())


def test_upload_list_read_delete_with_audit(services_factory, tmp_path):
    from assistant.web import handlers as h

    corpus = shared_corpus()
    services = services_factory(national=("中华人民共和国监察法",), local=False)
    ctx = _ctx(services, tmp_path, users=[("admin", "管理员")])
    admin = ctx.user("admin")
    reg = corpus / "山东省安全生产条例(2021-12-03).md"
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"this is not a pdf at all")
    calls = []
    out = h.upload_documents(ctx, admin, [reg, bad], progress=lambda d, t, w: calls.append((d, t)))
    rows = {r[0]: r for r in out["rows"]}
    added = rows[reg.name]
    assert added[1] == "新增" and "安全生产条例" in added[2] and added[3] > 50
    assert rows["notes.pdf"][1] == "失败" and rows["notes.pdf"][4]  # a reason in plain Chinese
    assert calls and calls[-1][0] == calls[-1][1]
    assert "新增 1 件" in out["summary"] and "失败 1 件" in out["summary"]
    docs = {r[1]: r for r in h.list_documents(ctx, admin)}
    row = docs[added[2]]
    assert row[5] == "本地导入" and row[6] == added[3] and row[2] == "地方性法规" and row[4] == "现行有效"
    assert "本地导入" == h.list_documents(ctx, admin, query="安全生产")[0][5]
    by_level = h.list_documents(ctx, admin, query="地方性法规")
    assert by_level and all(r[2] == "地方性法规" for r in by_level)
    page = h.document_html(ctx, admin, row[0])
    assert "第一条" in page and f"共 {added[3]} 条" in page
    again = h.upload_documents(ctx, admin, [reg])
    assert again["rows"][0][1].startswith("未变化")
    assert "已删除" in h.delete_document(ctx, admin, row[0])
    assert services.catalog.law(row[0]) is None
    log = h.audit_rows(ctx, admin)
    assert [e[2] for e in log] == ["删除", "上传"] and all(e[1] == "admin" for e in log)
    with pytest.raises(XuefaError):
        h.delete_document(ctx, admin, "no-such-id")


# ---- 问答 ------------------------------------------------------------------------------------------
def test_chat_streams_then_cites_verbatim(services_small, tmp_path):
    from assistant.web import handlers as h

    ctx = _ctx(services_small, tmp_path)
    user = ctx.user(None)
    turns: list = []
    steps = list(h.chat_stream(ctx, user, "监察机关可以采取哪些调查措施？", [], turns=turns))
    assert steps[0][1] is None and steps[0][0][-1]["role"] == "assistant"
    history, answer = steps[-1]
    assert answer is not None and answer.citations
    assert [m["role"] for m in history] == ["user", "assistant"]
    panel = h.citations_html(answer)
    c = answer.citations[0]
    assert h.esc(c.text.split("\n")[0]) in panel and c.status in panel and (c.effective_date or "不详") in panel
    choices = h.citation_choices(answer)
    page = h.article_html(ctx, user, choices[0][1])
    assert "xf-focus" in page and page.count('class="xf-article') >= 2  # the article and its neighbours
    # a follow-up uses the previous turn
    steps = list(h.chat_stream(ctx, user, "违反了会怎样？", history, turns=turns))
    assert len(steps[-1][0]) == 4 and steps[-1][1] is not None and len(turns) == 4


def test_untrusted_text_is_escaped():
    from assistant.web import handlers as h

    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    cite = SimpleNamespace(cite=f"《{evil}》第一条", status="现行有效", effective_date=evil, level=evil, region=None,
                           text=evil + "\n第二行", status_note=evil, law="x", label="第一条", law_id="l", article=1)
    answer = SimpleNamespace(citations=[cite], nearest=[], text=evil, warnings=[evil])
    for out in (h.citations_html(answer), h.chart_html({evil: {"score": 1, "total": 2}})):
        assert "<script" not in out and "<img" not in out
    md = h.answer_markdown(answer)
    assert "<script" not in md and "<img" not in md
    assert "<" not in h.md_safe("a<b")


# ---- 考试 ------------------------------------------------------------------------------------------
def test_exam_generate_take_grade_and_mistakes(services_small, tmp_path):
    from assistant.web import handlers as h

    ctx = _ctx(services_small, tmp_path, users=[("learner", "学员"), ("other", "学员")])
    user = ctx.user("learner")
    assert "任前法律知识考试" in h.exam_presets() and h.preset_values("任前法律知识考试")["minutes"] == 90
    bp = h.make_blueprint("任前法律知识考试", "监察法", single=2, multi=1, judge=2, fill=0, minutes=10)
    view = h.generate_paper(ctx, user, bp)
    assert len(view["items"]) == 5 and view["minutes"] == 10
    assert all("answer" not in it and "explanation" not in it for it in view["items"])  # no key in the view
    with pytest.raises(XuefaError, match="交卷后"):
        h.export_paper(ctx, user, view["paper_id"], paper=False)
    paper_doc, _ = h.export_paper(ctx, user, view["paper_id"], key=False)
    assert Path(paper_doc).stat().st_size > 0
    with pytest.raises(XuefaError):
        h.grade_paper(ctx, ctx.user("other"), view["paper_id"], {})  # not their paper
    wrong = {it["number"]: (["A. x"] if it["type"] == "多选" else "Z") for it in view["items"]}
    res = h.grade_paper(ctx, user, view["paper_id"], wrong)
    assert res["score"] == 0 and res["total"] == view["total"] and res["per_law"]
    assert all(r["explanation"] and r["answer_text"] for r in res["items"])
    assert h.grade_paper(ctx, user, view["paper_id"], {})["score"] == 0  # graded once, not re-graded
    page = h.result_html(res)
    assert "不合格" in page and "解析" in page and "xf-bar" in page
    _, key_doc = h.export_paper(ctx, user, view["paper_id"], paper=False)
    assert Path(key_doc).suffix == ".docx"
    assert h.history_rows(ctx, user)[0][1:4] == ["练习", view["title"], f"0/{view['total']:g}"]
    assert "错题本" in h.mistakes_html(ctx, user) and h.history_rows(ctx, ctx.user("other")) == []
    practice = h.practice_paper(ctx, user, 3)
    assert 0 < len(practice["items"]) <= 3
    with pytest.raises(XuefaError, match="错题本是空的"):
        h.practice_paper(ctx, ctx.user("other"), 3)


def test_a_new_paper_starts_with_no_answers_and_only_its_own_choices(services_small, tmp_path):
    """Issue #11: after a second 生成试卷 the first paper's answers stayed filled in, and a 单选 answer made 交卷 fail
    with "Value: 'A. 监察机关' is not in the list of choices". The page state is per paper now: a screen shows a
    stored answer only if it is one of that item's choices, and a new paper's answers start empty."""
    from assistant.web import exam_page as ep
    from assistant.web import handlers as h

    ctx = _ctx(services_small, tmp_path, users=[("carry", "学员")])
    user = ctx.user("carry")
    bp = h.make_blueprint("任前法律知识考试", "监察法", single=3, multi=1, judge=1, fill=0, minutes=10)
    first = h.generate_paper(ctx, user, bp)
    i = next(k for k, it in enumerate(first["items"]) if it["type"] == "单选")
    answers = ep.record_answer(first, {}, i, first["items"][i]["choices"][0])
    second = h.generate_paper(ctx, user, bp)
    assert second["paper_id"] != first["paper_id"]
    assert ep.screen(first, answers, i)["value"] == first["items"][i]["choices"][0]
    for k, it in enumerate(second["items"]):
        sc = ep.screen(second, answers, k)  # the first paper's answers leaked in: none is shown on the second
        assert sc["value"] in ([], "", None), (k, sc["value"])
    assert ep.unanswered(second, answers) == [it["number"] for it in second["items"]]
    # a screen never shows a value that is not one of its item's choices, even on its own paper
    j = i
    forged = dict(answers, **{str(first["items"][j]["number"]): "Z. 不存在的选项"})
    assert ep.screen(first, forged, j)["value"] is None
    assert ep.unanswered(second, {}) == [it["number"] for it in second["items"]]
    assert "还有 5 题未作答" in ep.confirm_text(second, {})
    res = h.grade_paper(ctx, user, second["paper_id"], {})
    assert res["score"] == 0 and len(res["unanswered"]) == 5


def test_answer_letters():
    from assistant.web.handlers import answer_letters

    assert answer_letters("B. 三日") == "B"
    assert answer_letters(["C. 乙", "A. 甲"]) == "AC"
    assert answer_letters(" 监察委员会 ") == "监察委员会"
    assert answer_letters(None) == ""


def test_blueprint_validation():
    from assistant.web.handlers import make_blueprint

    bp = make_blueprint("任前法律知识考试")
    assert sum(bp.counts.values()) == 45 and bp.minutes == 90 and bp.pass_mark == 60
    bp = make_blueprint("任前法律知识考试", "宪法，监察法", single=5, multi=0, judge=0, fill=0, p_single=4)
    assert bp.laws == {"宪法": 1.0, "监察法": 1.0} and bp.pass_mark is None and bp.points["单选"] == 4
    with pytest.raises(XuefaError):
        make_blueprint("任前法律知识考试", single=0, multi=0, judge=0, fill=0)
    with pytest.raises(XuefaError):
        make_blueprint("不存在的预设")


# ---- 会前学法 --------------------------------------------------------------------------------------
def test_brief_preview_and_docx(services_small, tmp_path):
    from assistant.web import handlers as h

    ctx = _ctx(services_small, tmp_path)
    md, path, data = h.write_brief(ctx, ctx.user(None), "安全生产", length="short")
    assert md.startswith("# ") and "安全生产" in md and "<script" not in md
    assert Path(path).suffix == ".docx" and Path(path).stat().st_size > 0
    assert Path(path).resolve().is_relative_to((tmp_path / "exports").resolve())
    with pytest.raises(XuefaError, match="主题"):
        h.write_brief(ctx, ctx.user(None), "  ")
