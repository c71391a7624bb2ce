"""`xuefa ask` and `xuefa verify`, run in-process against the small services (never the national index)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import cli


@pytest.fixture
def runner(services_small, monkeypatch):
    import assistant.commands.kb as kb_commands

    monkeypatch.setattr(kb_commands, "open_services", lambda *a, **k: services_small)
    return CliRunner()


def test_ask_json_is_the_answer_with_verbatim_citations(runner, kb_small):
    result = runner.invoke(cli, ["ask", "宪法第三十三条第三款讲的是什么", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["supported"] is True
    for c in data["citations"]:
        art = kb_small.catalog.article(c["law_id"], c["article"], c["sub"])
        assert art.paragraph_text(c["paragraph"], c["item"]) == c["text"]
    assert data["citations"][0]["text"] == "国家尊重和保障人权。"


def test_ask_text_and_refusal(runner):
    result = runner.invoke(cli, ["ask", "宪法第五条"])
    assert result.exit_code == 0 and result.output.startswith("依据《中华人民共和国宪法》第五条")
    result = runner.invoke(cli, ["ask", "红烧肉怎么做才好吃？", "--json"])
    assert json.loads(result.output)["supported"] is False


def test_ask_with_law_option(runner):
    result = runner.invoke(cli, ["ask", "第一条", "--law", "监察法", "--json"])
    data = json.loads(result.output)
    assert data["citations"] and data["citations"][0]["law"] == "中华人民共和国监察法"


def test_verify_file(runner, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("根据《中华人民共和国宪法》第三十三条第三款“国家尊重和保障人权。”，"
                     "以及《中华人民共和国监察法》第二百条、《某某市养犬管理条例》第三条，制定本办法。", encoding="utf-8")
    result = runner.invoke(cli, ["verify", str(draft), "--json"])
    assert result.exit_code == 1  # some citations fail
    data = json.loads(result.output)
    assert [c["status"] for c in data["checks"]] == ["verified", "beyond_end", "not_found"]
    result = runner.invoke(cli, ["verify", str(draft)])
    assert "已核验" in result.output and "条号超出" in result.output
    ok = tmp_path / "ok.txt"
    ok.write_text("依照《宪法》第五条制定。", encoding="utf-8")
    assert runner.invoke(cli, ["verify", str(ok)]).exit_code == 0


def test_ask_queries_file_gives_one_json_line_per_question(runner, kb_small, tmp_path):
    qfile = tmp_path / "q.txt"
    qfile.write_text("监察机关对哪些人员进行监察？\n\n# 注释行不算问题\n红烧肉怎么做才好吃？\n宪法第三十三条第三款\n",
                     encoding="utf-8")
    result = runner.invoke(cli, ["ask", "--queries", str(qfile), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(ln) for ln in result.output.splitlines() if ln.strip()]
    assert [d["n"] for d in lines] == [1, 2, 3]
    assert [d["question"] for d in lines] == ["监察机关对哪些人员进行监察？", "红烧肉怎么做才好吃？", "宪法第三十三条第三款"]
    first, off, lookup = lines
    assert first["supported"] and first["lead"]["cite"].startswith("《中华人民共和国监察法》第十五条")
    assert not off["supported"] and off["lead"] is None
    assert lookup["lead"]["text"] == "国家尊重和保障人权。"


@pytest.mark.parametrize("content, message", [(b"", "没有问题"), ("问题".encode("gbk") + b"\xff\xfe", "UTF-8")])
def test_ask_queries_bad_file_is_a_clear_chinese_error(runner, tmp_path, content, message):
    qfile = tmp_path / "bad.txt"
    qfile.write_bytes(content)
    result = runner.invoke(cli, ["ask", "--queries", str(qfile), "--json"])
    assert result.exit_code != 0 and message in result.output and str(qfile) in result.output


def test_ask_needs_a_question_or_a_file(runner, tmp_path):
    result = runner.invoke(cli, ["ask"])
    assert result.exit_code != 0 and "请给出问题" in result.output
    missing = tmp_path / "none.txt"
    result = runner.invoke(cli, ["ask", "--queries", str(missing)])
    assert result.exit_code != 0 and "无法读取问题文件" in result.output
