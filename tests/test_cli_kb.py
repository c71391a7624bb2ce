"""`xuefa ingest/laws/article/search/remove`, run in-process over real services in a temp data dir."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from tests.conftest import shared_corpus


@pytest.fixture
def services(services_factory, monkeypatch):
    import assistant.commands.kb as kb_commands

    services = services_factory(national=("中华人民共和国监察法", "中华人民共和国宪法"))
    monkeypatch.setattr(kb_commands, "open_services", lambda *a, **k: services)
    return services


def test_search_json_hits_have_the_contract_fields(services):
    result = CliRunner().invoke(cli, ["search", "监察机关对哪些人员进行监察", "--json", "--top-k", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["hits"]) == 5
    for hit in data["hits"]:
        assert {"law", "article", "label", "text", "status", "level", "source", "score"} <= set(hit)
        assert isinstance(hit["article"], int) and hit["label"].startswith("第")
    assert data["hits"][0]["law"] == "中华人民共和国监察法"


def test_batch_search_writes_one_json_line_per_question(services, tmp_path):
    questions = tmp_path / "q.txt"
    questions.write_text("宪法第五条\n\n监察法第十五条\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "--queries", str(questions), "--top-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [(l["hits"][0]["law"], l["hits"][0]["article"]) for l in lines] == [
        ("中华人民共和国宪法", 5), ("中华人民共和国监察法", 15)]


def test_article_command_and_errors(services):
    runner = CliRunner()
    result = runner.invoke(cli, ["article", "监察法", "15"])
    assert result.exit_code == 0 and "《中华人民共和国监察法》第十五条" in result.output
    assert "（三）国有企业管理人员；" in result.output
    result = runner.invoke(cli, ["article", "监察法", "第九百条"])
    assert result.exit_code != 0 and "没有第九百条" in result.output
    result = runner.invoke(cli, ["article", "某某市养犬管理条例", "3"])
    assert result.exit_code != 0 and "知识库中没有" in result.output


def test_ingest_laws_remove_round_trip(services, tmp_path):
    corpus = shared_corpus()
    src = next(corpus.glob("山东省东平湖保护条例*.md"))
    good = tmp_path / src.name
    shutil.copy(src, good)
    bad = tmp_path / "坏文件.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(good), str(bad), "--json"])
    assert result.exit_code == 1, (result.output, result.exception)  # something failed
    report = json.loads(result.stdout)
    assert [d["title"] for d in report["added"]] == ["山东省东平湖保护条例"]
    assert report["added"][0]["articles"] == 32
    assert report["failed"][0]["path"].endswith("坏文件.pdf") and report["failed"][0]["reason"]

    again = json.loads(runner.invoke(cli, ["ingest", str(good), "--json"]).stdout)
    assert again["added"] == [] and len(again["unchanged"]) == 1

    rows = json.loads(runner.invoke(cli, ["laws", "--json"]).stdout)
    row = next(r for r in rows if r["title"] == "山东省东平湖保护条例")
    assert row["source"] == "local" and row["articles"] == 32 and row["level"] == "地方性法规"
    assert row["region"] == "山东省" and row["status"] == "现行有效"

    hits = json.loads(runner.invoke(cli, ["search", "东平湖保护条例第十条", "--json"]).stdout)["hits"]
    assert hits[0]["law"] == "山东省东平湖保护条例" and hits[0]["article"] == 10 and hits[0]["source"] == "local"

    result = runner.invoke(cli, ["remove", "东平湖保护条例"])
    assert result.exit_code == 0 and "已删除" in result.output
    rows = json.loads(runner.invoke(cli, ["laws", "--json"]).stdout)
    assert all(r["title"] != "山东省东平湖保护条例" for r in rows)
    hits = json.loads(runner.invoke(cli, ["search", "东平湖", "--json", "--top-k", "10"]).stdout)["hits"]
    assert all(h["law"] != "山东省东平湖保护条例" for h in hits)


def test_cli_ingest_and_remove_write_audit_entries(services, tmp_path):
    from assistant.web.audit import AuditLog

    doc = tmp_path / "某市河道管理条例.txt"
    doc.write_text("某市河道管理条例\n\n第一条 为了加强河道管理，制定本条例。\n\n第二条 本条例自2024年1月1日起施行。\n",
                   encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(doc), "--json"]).exit_code == 0
    assert runner.invoke(cli, ["remove", "某市河道管理条例"]).exit_code == 0
    entries = AuditLog(services.db).entries()
    assert [(e["action"], e["target"], e["via"]) for e in entries] == [
        ("删除", "某市河道管理条例", "命令行"), ("上传", "某市河道管理条例", "命令行")]
    assert all(e["user"].startswith("命令行:") and e["articles"] == 2 for e in entries)
