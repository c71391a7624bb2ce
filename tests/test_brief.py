"""会前学法 briefs on the small real knowledge base: governing articles chosen, coverage told, off-topic declined,
themed shape and length, --law / --only-law / --exclude-law, Word like an official document, CLI, LLM 导语.

Uses the session-wide `services_small` (real Chroma, real embeddings, 宪法, 监察法, 政务处分法, 安全生产法, 行政处罚法,
行政许可法, 生态环境法典 and the six ../shared local regulations). Briefs are cached per topic: writing is
deterministic (checked once), so tests share them to stay light."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest

from tests.conftest import shared_corpus

THREE = "行政执法三项制度"
SAFETY = "安全生产专项整治"
DECISION = "重大行政决策"
OATH = "宪法宣誓"
DONGPING = "东平湖生态保护和高质量发展"


@pytest.fixture(scope="module")
def writer(services_small):
    shared_corpus()
    return services_small.briefs


@pytest.fixture(scope="module")
def make(writer):
    @lru_cache(maxsize=None)
    def make(topic: str, length: str = "standard"):
        return writer.write(topic, length=length, unit="某县司法局", date="2026-12-01")

    return make


def _verbatim(piece: str, texts: list[str]) -> bool:
    """A quoted clause occurs in an article, its 项 joined without line breaks and …… for 项 left out."""
    flat = [re.sub(r"\s", "", t) for t in texts]
    return all(any(re.sub(r"\s", "", part) in t for t in flat) for part in piece.split("……") if part)


def _cited(brief) -> set[tuple[str, int]]:
    return {(q.law_title, q.number) for q in brief.quotes}


# ---- topic understanding and the governing articles ---------------------------------------------------------
def test_three_systems_quotes_the_three_core_articles_and_names_the_missing_guideline(make):
    brief = make(THREE)
    for n in (39, 47, 58):
        assert ("中华人民共和国行政处罚法", n) in _cited(brief), n
    assert brief.laws[0].title == "中华人民共和国行政处罚法"
    assert any("全面推行行政执法公示制度" in m.title for m in brief.missing)
    md = brief.to_markdown()
    first_page = md[: md.index("## 一、")]
    assert "本材料未收录《国务院办公厅关于全面推行行政执法公示制度" in first_page and "会前请对照原文" in first_page


def test_oath_quotes_the_matching_paragraph_and_lists_what_is_missing(make, kb_small):
    brief = make(OATH)
    q = next(q for q in brief.quotes if q.law_title == "中华人民共和国宪法" and q.number == 27)
    assert q.paragraph == 3 and q.label == "第二十七条第三款"
    assert q.text == kb_small.catalog.article(q.law_id, 27).paragraph_text(3)
    missing = {m.title for m in brief.missing}
    assert "中华人民共和国法治宣传教育法" in missing  # not in the small knowledge base
    assert "中华人民共和国宪法" not in missing


def test_off_topic_is_declined_not_padded(writer):
    brief = writer.write("元宇宙数字藏品")
    assert brief.declined and not brief.quotes and not brief.laws
    assert "元宇宙数字藏品" in brief.declined
    md = brief.to_markdown()
    assert "## 说明" in md and "> " not in md


def test_safety_duties_address_government_and_liability_is_officials(make):
    brief = make(SAFETY)
    assert ("中华人民共和国安全生产法", 3) in _cited(brief) and ("中华人民共和国安全生产法", 9) in _cited(brief)
    duties = brief.themed("谁负责")
    assert duties and all(re.search(r"人民政府|部门|机关|机构|委员会", q.text.split("。")[0]) for q in duties)
    assert brief.themed("追责")


def test_no_boilerplate_and_no_other_regions(make):
    for topic in (DONGPING, SAFETY, THREE):
        for q in make(topic).quotes:
            assert not re.match(r"本(?:法|条例|规定)(?:自|于).{0,30}施行", q.text), q.cite
            assert not (q.chapter and "附则" in q.chapter), q.cite
            if q.law_title.startswith("中华人民共和国"):  # a national code's chapters for other regions stay out
                for region in ("黑土地", "长江", "青藏高原", "黄河"):
                    assert region not in q.text, (topic, q.cite)


def test_every_quotation_is_stored_text(make, kb_small):
    for topic in (THREE, SAFETY, DECISION, OATH):
        brief = make(topic)
        assert brief.quotes
        for q in brief.quotes:
            art = kb_small.catalog.article(q.law_id, q.number, q.sub)
            assert q.text == (art.paragraph_text(q.paragraph) if q.paragraph else art.text), q.cite
        md = brief.to_markdown()
        blocks = re.findall(r"(?:^> .*\n(?:>\n> .*\n)*)", md, flags=re.M)
        assert len(blocks) == len(brief.quotes)
        # every “…” in questions and answers occurs verbatim in an article the brief quotes
        texts = [q.text for q in brief.quotes]
        for x in brief.questions:
            for piece in re.findall(r"“([^”]+)”", x.question + x.answer):
                assert _verbatim(piece, texts) or piece in x.question, piece


# ---- the shape of a brief ------------------------------------------------------------------------------------
def test_themed_sections_lengths_and_dates(make):
    brief = make(SAFETY)
    md = brief.to_markdown()
    assert len(md) <= 6000
    headings = re.findall(r"^## [一二三四五六七八九十]+、(.+)$", md, flags=re.M)
    assert headings[:2] == ["学习提要", "主要依据"] and headings[-1] == "思考题"
    assert set(headings[2:-1]) <= {"是什么：制度要义", "谁负责：职责分工", "怎么办：程序要求",
                                   "监管对象的义务（县政府及部门监督落实）", "红线：禁止性规定", "追责：法律责任",
                                   "本次会议需研究落实的事项", "时效提示"}
    assert len(headings[2:-1]) >= 3
    # each law is dated by its current version in the table
    entry = next(e for e in brief.laws if e.title == "中华人民共和国安全生产法")
    assert re.match(r"\d{4}年\d{1,2}月\d{1,2}日", entry.version)
    assert "| 序号 | 名称 | 效力级别 | 版本 | 本材料引用 |" in md
    assert "编制单位：某县司法局" in md
    short, long = make(SAFETY, "short"), make(SAFETY, "long")
    assert len(short.to_markdown()) < len(md) <= len(long.to_markdown())
    assert len(short.questions) <= 3
    data = brief.to_json()
    json.dumps(data, ensure_ascii=False)
    assert data["laws"] and data["sections"]["谁负责"]


def test_questions_are_tied_to_the_topic_and_its_articles(make):
    brief = make(THREE)
    assert 3 <= len(brief.questions) <= 5
    for x in brief.questions:
        assert x.citations and all(q in brief.quotes for q in x.citations)
        assert re.search(r"《[^》]+》第[一二三四五六七八九十百零千]+条", x.answer)
    assert any("法制审核" in x.question for x in brief.questions)


def test_deterministic(writer, make):
    assert writer.write(SAFETY, unit="某县司法局", date="2026-12-01").to_markdown() == make(SAFETY).to_markdown()


def test_law_leads_only_law_restricts_exclude_law_removes(writer):
    from knowledge.errors import NotFoundError, XuefaError

    led = writer.write(DECISION, laws=["行政许可法"], length="short")
    assert led.laws[0].title == "中华人民共和国行政许可法"
    only = writer.write(SAFETY, only_laws=["安全生产法"])
    assert {e.title for e in only.laws} == {"中华人民共和国安全生产法"}
    without = writer.write(SAFETY, exclude_laws=["山东省安全生产条例"])
    assert without.quotes and "山东省安全生产条例" not in {e.title for e in without.laws}
    with pytest.raises(NotFoundError):
        writer.write(DECISION, laws=["不存在的条例"])
    with pytest.raises(XuefaError):
        writer.write("   ")
    with pytest.raises(XuefaError):
        writer.write(DECISION, length="huge")


# ---- Word ----------------------------------------------------------------------------------------------------
def test_docx_is_an_official_a4_document(make, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    from assistant.brief import brief_docx

    brief = make(THREE)
    doc = Document(str(brief_docx(brief, tmp_path / "brief.docx")))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
    assert abs(sec.top_margin - Mm(37)) < Mm(1) and abs(sec.left_margin - Mm(28)) < Mm(1)
    footer_xml = sec.footer._element.xml
    assert "PAGE" in footer_xml
    heads = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any(p.text.endswith("主要依据") for p in heads)
    for p in heads:
        for r in p.runs:
            assert r.font.color.rgb is None or str(r.font.color.rgb) == "000000"
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "名称", "效力级别", "版本", "本材料引用"]
    widths = [c.width for c in table.rows[0].cells]
    assert len(set(widths)) > 2 and widths[1] > widths[0]
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "编制单位：某县司法局" in body and "本材料未收录" in body
    for q in brief.quotes:
        assert q.text.split("\n")[0] in body
    fonts = {r.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs
             if r.element.rPr is not None and r.element.rPr.find(qn("w:rFonts")) is not None}
    assert {"方正小标宋简体", "黑体", "仿宋_GB2312"} <= fonts
    font_table = next(p for p in doc.part.package.iter_parts() if p.partname.endswith("fontTable.xml")).blob
    assert "方正小标宋简体".encode() in font_table and "altName" in font_table.decode("utf-8")


# ---- CLI -----------------------------------------------------------------------------------------------------
def test_cli_writes_markdown_docx_and_json_and_declines(services_small, tmp_path, monkeypatch):
    shared_corpus()
    from click.testing import CliRunner

    import assistant.commands.kb as kb_commands
    from assistant.commands.brief import brief as brief_command

    monkeypatch.setattr(kb_commands, "open_services", lambda *a, **k: services_small)
    runner = CliRunner()
    md, docx = tmp_path / "b.md", tmp_path / "b.docx"
    res = runner.invoke(brief_command, [DECISION, "--length", "short", "--unit", "县司法局", "--md", str(md),
                                        "--docx", str(docx)])
    assert res.exit_code == 0, res.output
    assert md.read_text(encoding="utf-8").startswith(f"# 会前学法材料：{DECISION}")
    assert docx.stat().st_size > 5000
    res = runner.invoke(brief_command, [THREE, "--json", "--only-law", "行政处罚法"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["topic"] == THREE and [e["title"] for e in data["laws"]] == ["中华人民共和国行政处罚法"]
    assert "会前请对照原文" in res.stderr
    res = runner.invoke(brief_command, [DECISION, "--law", "没有这部法"])
    assert res.exit_code != 0 and "没有这部法" in res.output
    res = runner.invoke(brief_command, ["元宇宙数字藏品"])
    assert res.exit_code != 0 and "法律依据" in res.output


# ---- optional LLM 导语 ----------------------------------------------------------------------------------------
def test_llm_intro_keeps_only_verified_sentences(kb_small):
    shared_corpus()
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.brief import BriefWriter

    good = "《重大行政决策程序暂行条例》第二十五条规定，决策草案提交决策机关讨论前应当进行合法性审查。"
    bad_number = "《重大行政决策程序暂行条例》第九十九条要求一切决策都要听证。"
    bad_quote = "《重大行政决策程序暂行条例》第三十条规定，“重大行政决策必须一律举行听证”。"
    plain = "会前学法有助于依法决策。"
    llm = FakeListChatModel(responses=[good + bad_number + bad_quote + plain])
    brief = BriefWriter(kb_small, llm=llm).write(DECISION, length="short")
    assert brief.llm_used
    assert brief.intro == [good, plain]
    md = brief.to_markdown()
    assert "学习导语" in md and good in md and "第九十九条" not in md and "一律举行听证" not in md
    assert any("未通过核验" in n for n in brief.notes)
