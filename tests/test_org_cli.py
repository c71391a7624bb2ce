"""`xuefa unit` and `xuefa user` on both database backends, through the real CLI entry point."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from .test_web_handlers import PASSWORD


@pytest.fixture
def run(tmp_path, database_url, monkeypatch):
    from assistant.cli import cli

    monkeypatch.setenv("XUEFA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XUEFA_DATABASE_URL", database_url)

    def invoke(*args, input=None, ok=True):
        result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


def test_units_and_users(run):
    county = json.loads(run("unit", "add", "某县", "--json").output)
    edu = json.loads(run("unit", "add", "教育局", "--parent", "某县", "--json").output)
    assert edu["path"] == "某县/教育局" and edu["parent_id"] == county["id"]
    assert "已存在" in run("unit", "add", "教育局", "--parent", "某县", ok=False).output
    listed = json.loads(run("unit", "list", "--json").output)
    assert [u["path"] for u in listed] == ["某县", "某县/教育局"]

    out = json.loads(run("user", "add", "zhangsan", "--role", "学员", "--unit", "教育局", "--level", "副科级",
                         "--password-stdin", "--json", input="河道-管理-2026-春\n").output)
    assert out["unit"] == "某县/教育局" and out["position_level"] == "副科级" and out["role"] == "学员"
    bad = run("user", "add", "lisi", "--unit", "公安局", "--password-stdin", input="河道-管理-2026-春\n", ok=False)
    assert bad.exit_code != 0 and "没有单位“公安局”" in bad.output
    assert [u["name"] for u in json.loads(run("user", "list", "--unit", "某县", "--json").output)] == ["zhangsan"]
    run("user", "disable", "zhangsan")
    assert json.loads(run("user", "list", "--json").output)[0]["disabled"] is True
    run("user", "passwd", "zhangsan", "--password-stdin", input="another-pass\n")
    from assistant.accounts.service import Accounts
    from assistant.config import Settings
    from assistant.services import open_db

    accounts = Accounts(open_db(Settings()))
    assert not accounts.verify("zhangsan", "another-pass")  # still disabled
    run("user", "disable", "zhangsan", "--enable")
    assert accounts.verify("zhangsan", "another-pass") and not accounts.verify("zhangsan", "河道-管理-2026-春")


def test_excel_import_with_per_row_report(run, tmp_path):
    from assistant.accounts.importer import COLUMNS
    from assistant.export.xlsx import read_rows, write_workbook

    template = tmp_path / "模板.xlsx"
    assert json.loads(run("user", "import", "--template", str(template), "--json").output)["columns"] == list(COLUMNS)
    assert read_rows(template)[0] == list(COLUMNS)

    sheet = tmp_path / "名单.xlsx"
    rows = [("wang", "王五", "某县/财政局/办公室", "科员", "学员", "河道-管理-2026-春"),
            ("zhao", "赵六", "某县/财政局", "副科级", "校长", "河道-管理-2026-春"),
            ("wang", "王五二", "某县/财政局", "", "", "河道-管理-2026-春"),
            ("qian", "钱七", "", "", "", "short"),
            ("sun", "孙八", "某县/财政局", "", "", "password123")]
    write_workbook(sheet, [("用户", COLUMNS, rows)])
    bad = run("user", "import", str(sheet), "--json", ok=False)
    assert bad.exit_code == 1
    report = json.loads(bad.output)
    assert not report["imported"] and report["failed"] == 4
    reasons = {r["row"]: r["reason"] for r in report["rows"]}
    assert "角色" in reasons[3] and "重复" in reasons[4] and "单位" in reasons[5] and "密码" in reasons[5]
    assert "太常见" in reasons[6]
    assert json.loads(run("user", "list", "--json").output) == []  # nothing changed
    assert json.loads(run("unit", "list", "--json").output) == []

    write_workbook(sheet, [("用户", COLUMNS, [rows[0], ("zhao", "赵六", "某县/财政局", "副科级", "", "河道-管理-2026-春")])])
    report = json.loads(run("user", "import", str(sheet), "--json").output)
    assert report["imported"] and report["added"] == 2
    users = {u["name"]: u for u in json.loads(run("user", "list", "--json").output)}
    assert users["wang"]["unit"] == "某县/财政局/办公室" and users["zhao"]["position_level"] == "副科级"
    again = json.loads(run("user", "import", str(sheet), "--json").output)
    assert again["added"] == 0 and {r["result"] for r in again["rows"]} == {"跳过（已存在）"}


def test_import_rejects_files_that_are_not_sheets(run, tmp_path):
    fake = tmp_path / "名单.xlsx"
    fake.write_text("不是 Excel", encoding="utf-8")
    out = run("user", "import", str(fake), ok=False)
    assert out.exit_code != 0 and "名单.xlsx" in out.output and "不是可读取的 Excel" in out.output
    from assistant.export.xlsx import write_workbook

    write_workbook(fake, [("用户", ["姓名", "部门"], [("张三", "x")])])
    out = run("user", "import", str(fake), ok=False)
    assert "缺少列 用户名、单位、初始密码" in out.output


def test_exam_session_create_list_report_close(run, services_small, tmp_path, monkeypatch):
    import assistant.commands.kb as kb_commands
    from assistant.config import Settings
    from assistant.services import Services

    svc = Services(settings=Settings(), kb=services_small.kb, llm=None)  # XUEFA_HOME/DATABASE_URL from `run`
    monkeypatch.setattr(kb_commands, "open_services", lambda *a, **k: svc)
    run("unit", "add", "某县")
    run("unit", "add", "教育局", "--parent", "某县")
    for name in ("a", "b"):
        run("user", "add", name, "--unit", "某县/教育局", "--password-stdin", input=PASSWORD + "\n")
    bad = run("exam-session", "create", "--title", "T", "--units", "公安局", "--days", "5", ok=False)
    assert bad.exit_code != 0 and "没有单位“公安局”" in bad.output
    made = json.loads(run("exam-session", "create", "--title", "2026年度学法考试", "--preset", "学法练习",
                          "--laws", "监察法", "--units", "某县/教育局", "--days", "5", "--attempts", "3",
                          "--json").output)
    assert made["id"] and made["attempts"] == 3 and made["invited"] == 2 and made["units"] == ["某县/教育局"]
    assert [s["id"] for s in json.loads(run("exam-session", "list", "--json").output)] == [made["id"]]

    a = svc.accounts.get("a")
    paper_id, paper, _ = svc.sessions.start(a, made["id"])
    attempt = svc.sessions.attempts.for_paper(paper_id, a.id)
    svc.exams.grade(paper, {it.number: it.answer for it in paper.items}, user="a", attempt_id=attempt.id)

    out = tmp_path / "成绩表.xlsx"
    report = json.loads(run("report", str(made["id"]), "--xlsx", str(out), "--json").output)
    assert (report["invited"], report["took"], report["passed"]) == (2, 1, 1)
    from openpyxl import load_workbook

    rows = list(load_workbook(out)["成绩单"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["a", "b"] and rows[1][7] == "合格" and rows[2][8] == "未参加"
    assert json.loads(run("exam-session", "close", str(made["id"]), "--json").output)["closed"] is True
    assert "没有编号为 999 的考试" in run("report", "999", ok=False).output


def test_db_copy_from_sqlite_to_another_database(tmp_path, database_url, monkeypatch):
    """The move from the default SQLite file to PostgreSQL: every row, passwords still valid, ids continue."""
    from assistant.accounts.service import Accounts
    from assistant.cli import cli
    from assistant.db import BriefRepo, Database, MistakeMark, MistakeRepo, UnitRepo, sqlite_url

    home = tmp_path / "home"
    monkeypatch.setenv("XUEFA_HOME", str(home))
    monkeypatch.delenv("XUEFA_DATABASE_URL", raising=False)
    src = Database(sqlite_url(home / "xuefa.sqlite3"))
    acc = Accounts(src)
    UnitRepo(src).ensure_path("某县/教育局")
    acc.add("zhangsan", PASSWORD, unit="某县/教育局")
    MistakeRepo(src).record(acc.get("zhangsan").id, [MistakeMark("中华人民共和国监察法", 22, False)])
    BriefRepo(src).create("安全生产", {"x": 1}, "# 安全生产")
    if database_url.startswith("sqlite"):
        database_url = sqlite_url(tmp_path / "target.sqlite3")
    out = CliRunner().invoke(cli, ["db", "copy", "--to", database_url, "--json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    counts = json.loads(out.output)
    assert counts["users"] == 1 and counts["units"] == 2 and counts["mistakes"] == 1 and counts["brief_revisions"] == 1
    dst = Database(database_url)
    copied = Accounts(dst)
    assert copied.verify("zhangsan", PASSWORD) and copied.units.path(copied.get("zhangsan").unit_id) == "某县/教育局"
    assert copied.add("lisi", PASSWORD).id == 2  # new ids continue after the copied ones
    again = CliRunner().invoke(cli, ["db", "copy", "--to", database_url])
    assert again.exit_code != 0 and "不是空的" in again.output
