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
