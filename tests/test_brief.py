"""会前学法 briefs: the governing laws are found, every quotation is stored text, outputs render.

Uses the session-wide `services_small` (real Chroma, real embeddings, a few national laws and the six
../shared local regulations); skips where ../shared is absent. Briefs are cached per topic: writing is
deterministic (checked once), so tests share them to stay light."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest

from tests.conftest import shared_corpus

DONGPING = "东平湖生态保护和高质量发展"
SAFETY = "安全生产专项整治"
DECISION = "重大行政决策"


@pytest.fixture(scope="module")
def writer(services_small):
    shared_corpus()
    return services_small.briefs


@pytest.fixture(scope="module")
def make(writer):
    @lru_cache(maxsize=None)
    def make(topic: str, length: str = "standard"):
        return writer.write(topic, length=length)

    return make


def _titles(brief) -> set[str]:
    return {q.law_title for q in brief.quotes()}


def _stored(kb, q):
    art = kb.catalog.article(q.law_id, q.number, q.sub)
    assert art is not None, q.cite
    return art.text


def _quoted_pieces(text: str) -> list[str]:
    return re.findall(r"“([^”]+)”", text)


# ---- the three topics of the issue ------------------------------------------------------------------------
def test_dongping_cites_local_regulation_and_national_code(make):
    brief = make(DONGPING)
    laws = {e.title for e in brief.laws}
    assert "山东省东平湖保护条例" in laws
    assert "中华人民共和国生态环境法典" in laws
    assert {"山东省东平湖保护条例", "中华人民共和国生态环境法典"} <= _titles(brief)
    md = brief.to_markdown()
    assert "《山东省东平湖保护条例》第一条" in md
    assert "《中华人民共和国生态环境法典》" in md
    # 立法目的 and 适用范围 come from the opening articles
    purposes = {q.law_title: q for q in brief.purposes}
    assert purposes["山东省东平湖保护条例"].number == 1
    assert any(q.law_title == "山东省东平湖保护条例" and q.number == 2 for q in brief.scopes)
    # the 禁止 list of the regulation and its officials' liability are there
    assert any(q.law_title == "山东省东平湖保护条例" and "禁止" in q.text for q in brief.prohibitions)
    assert any("滥用职权" in q.text for q in brief.liabilities)


def test_safety_cites_both_laws_with_their_liability_articles(make):
    brief = make(SAFETY)
    for title in ("中华人民共和国安全生产法", "山东省安全生产条例"):
        assert title in {e.title for e in brief.laws}
        liab = [q for q in brief.liabilities if q.law_title == title]
        assert liab, f"no 法律责任 article of {title}"
        assert all(q.chapter and "法律责任" in q.chapter for q in liab)
    assert "## 八、法律责任" in brief.to_markdown() or "、法律责任" in brief.to_markdown()


def test_decision_cites_the_procedure_regulation(make):
    brief = make(DECISION)
    assert brief.laws[0].title == "重大行政决策程序暂行条例" or "重大行政决策程序暂行条例" in {
        e.title for e in brief.laws}
    assert "重大行政决策程序暂行条例" in _titles(brief)
    assert any(q.law_title == "重大行政决策程序暂行条例" for q in brief.liabilities)


# ---- verbatim quotations ----------------------------------------------------------------------------------
@pytest.mark.parametrize("topic", [DONGPING, SAFETY, DECISION])
def test_every_quotation_is_stored_text(make, kb_small, topic):
    brief = make(topic)
    quotes = brief.quotes()
    assert quotes
    for q in quotes:
        assert q.text == _stored(kb_small, q), q.cite
    # every Markdown block quote is one article's stored text, verbatim
    md = brief.to_markdown()
    blocks = re.findall(r"(?:^> .*\n(?:>\n> .*\n)*)", md, flags=re.M)
    assert len(blocks) == len(quotes)
    texts = {q.text for q in quotes}
    for block in blocks:
        text = "\n".join(line[2:] for line in block.rstrip("\n").split("\n") if line != ">")
        assert text in texts, text[:40]
    # every “…” in points and answers occurs verbatim in an article it cites
    for item in [*brief.points, *brief.questions]:
        prose = item.text if hasattr(item, "text") else item.answer
        cited = [_stored(kb_small, q) for q in item.citations]
        for piece in _quoted_pieces(prose):
            assert any(piece in t for t in cited), (piece, [q.cite for q in item.citations])


@pytest.mark.parametrize("topic", [DONGPING, SAFETY])
def test_sections_and_questions(make, topic):
    brief = make(topic)
    md = brief.to_markdown()
    for heading in ("学习主题", "相关法律法规", "出台背景与立法目的", "适用范围", "重点条款", "部门职责",
                    "禁止性规定", "法律责任", "需要重点注意的问题", "思考题", "参考依据"):
        assert re.search(rf"^## [一二三四五六七八九十]+、{heading}$", md, flags=re.M), heading
    assert 3 <= len(brief.questions) <= 5
    for x in brief.questions:
        assert x.citations and re.search(r"《[^》]+》第[一二三四五六七八九十百零千]+条", x.answer)
    assert 1 <= len(brief.points) <= 6
    # organs, not companies, carry the 部门职责
    assert all(re.search(r"人民政府|部门|机关|机构|委员会", q.text) for q in brief.duties)
    # the laws table
    assert "| 序号 | 名称 | 效力级别 | 制定机关 | 施行日期 | 时效性 |" in md
    data = brief.to_json()
    json.dumps(data, ensure_ascii=False)
    assert data["laws"] and data["sections"]["法律责任"]


def test_deterministic_and_short(writer, make):
    assert writer.write(SAFETY).to_markdown() == make(SAFETY).to_markdown()
    short = make(SAFETY, "short")
    assert len(short.questions) <= 3
    assert len(short.quotes()) < len(make(SAFETY).quotes())


def test_forced_law_and_errors(writer):
    from knowledge.errors import NotFoundError, XuefaError

    brief = writer.write(DECISION, laws=["行政许可法"], length="short")
    assert "中华人民共和国行政许可法" in {e.title for e in brief.laws}
    with pytest.raises(NotFoundError):
        writer.write(DECISION, laws=["不存在的条例"])
    with pytest.raises(XuefaError):
        writer.write("   ")


# ---- Word -------------------------------------------------------------------------------------------------
def test_docx_has_headings_fonts_and_table(make, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    from assistant.brief import brief_docx

    brief = make(DONGPING)
    path = brief_docx(brief, tmp_path / "brief.docx")
    doc = Document(str(path))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.endswith("相关法律法规") for h in heads)
    assert any(h.endswith("法律责任") for h in heads)
    assert "《山东省东平湖保护条例》" in heads
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "名称", "效力级别", "制定机关", "施行日期", "时效性"]
    assert len(table.rows) == len(brief.laws) + 1
    body = "\n".join(p.text for p in doc.paragraphs)
    for q in brief.quotes():
        assert q.text.split("\n")[0] in body
    fonts = {r.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs
             if r.element.rPr is not None and r.element.rPr.find(qn("w:rFonts")) is not None}
    assert {"仿宋", "楷体"} <= fonts


# ---- CLI --------------------------------------------------------------------------------------------------
def test_cli_writes_markdown_docx_and_json(services_small, tmp_path, monkeypatch):
    shared_corpus()
    from click.testing import CliRunner

    import assistant.commands.kb as kb_commands
    from assistant.commands.brief import brief as brief_command

    monkeypatch.setattr(kb_commands, "open_services", lambda *a, **k: services_small)
    runner = CliRunner()
    md, docx = tmp_path / "b.md", tmp_path / "b.docx"
    res = runner.invoke(brief_command, [DECISION, "--length", "short", "--md", str(md), "--docx", str(docx)])
    assert res.exit_code == 0, res.output
    assert md.read_text(encoding="utf-8").startswith(f"# 会前学法材料：{DECISION}")
    assert docx.stat().st_size > 5000
    res = runner.invoke(brief_command, [DECISION, "--length", "short", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["topic"] == DECISION and data["laws"][0]["title"]
    res = runner.invoke(brief_command, [DECISION, "--law", "没有这部法"])
    assert res.exit_code != 0 and "没有这部法" in res.output


# ---- optional LLM 导语 --------------------------------------------------------------------------------------
def test_llm_intro_keeps_only_verified_sentences(kb_small):
    shared_corpus()
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.brief import BriefWriter

    good = ("《重大行政决策程序暂行条例》第一条规定，“为了健全科学、民主、依法决策机制，规范重大行政决策程序”，"
            "会议应当依照法定程序决策。")
    bad_number = "《重大行政决策程序暂行条例》第九十九条要求一切决策都要听证。"
    bad_quote = "《重大行政决策程序暂行条例》第一条规定，“重大行政决策必须一律举行听证”。"
    plain = "会前学法有助于依法决策。"
    llm = FakeListChatModel(responses=[good + bad_number + bad_quote + plain])
    brief = BriefWriter(kb_small, llm=llm).write(DECISION, length="short")
    assert brief.llm_used
    assert brief.intro == [good, plain]
    md = brief.to_markdown()
    assert "学习导语" in md and good in md and "第九十九条" not in md and "一律举行听证" not in md
    assert any("未通过核验" in n for n in brief.notes)
