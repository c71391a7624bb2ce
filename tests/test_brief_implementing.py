"""Round-5 second review (县司法局): a brief never said WHICH implementing rules of a quoted law the knowledge base
lacks (消防 -> 《高层民用建筑消防安全管理规定》), only that 部门规章 "may" be missing. The registry
(assistant/brief/data/implementing.yaml) names them; the brief lists the ones not held, by name, 令号 and year."""

from __future__ import annotations

import io

import pytest

from assistant.brief import implementing
from assistant.brief.model import LawEntry
from knowledge.models import STATUS_CURRENT

SAFETY = "中华人民共和国安全生产法"
ROAD = "中华人民共和国道路交通安全法"
HELD_RULE = "道路交通事故处理程序规定"


def _entry(title: str, level: str = "法律") -> LawEntry:
    return LawEntry(title, title, level, None, "", STATUS_CURRENT, "主管依据")


def test_a_brief_on_a_registered_law_names_each_missing_rule_in_markdown_and_word(services_small):
    from docx import Document

    from assistant.brief import brief_docx_bytes

    brief = services_small.briefs.write("安全生产专项整治", length="standard", date="2026-12-01")
    assert any(e.title == SAFETY for e in brief.laws)
    rules = implementing.load()[SAFETY]
    assert rules
    line = next(x for x in brief.unheld if "知识库未收录：" in x and f"《{SAFETY}》" in x)
    assert line.endswith("相关内容需人工核对")
    for r in rules:  # the small knowledge base holds none of them
        assert r.cite in line
    assert "《生产安全事故应急预案管理办法》（原国家安全生产监督管理总局令第88号，2016年）" in brief.to_markdown()
    word = "\n".join(p.text for p in Document(io.BytesIO(brief_docx_bytes(brief))).paragraphs)
    assert "《生产安全事故应急预案管理办法》" in word and "相关内容需人工核对" in word


def test_a_held_rule_is_not_listed_and_a_title_found_only_as_a_suffix_is_no_hold(kb_factory, tmp_path):
    kb = kb_factory(national=(ROAD, HELD_RULE))
    notes = implementing.missing_notes(kb, [_entry(ROAD)])
    assert len(notes) == 1 and "《机动车登记规定》（公安部令第164号，2021年）" in notes[0]
    assert HELD_RULE not in notes[0]
    # 交通事故处理程序规定 resolves, by suffix, to 道路交通事故处理程序规定: another title, not the rule
    path = tmp_path / "implementing.yaml"
    path.write_text(f"entries:\n  - parent: {ROAD}\n    rules:\n"
                    "      - {title: 交通事故处理程序规定, issuer: 某部, number: 令第1号, year: 2020}\n",
                    encoding="utf-8")
    assert kb.resolve_law("交通事故处理程序规定") is not None
    assert "《交通事故处理程序规定》（某部令第1号，2020年）" in implementing.missing_notes(kb, [_entry(ROAD)], path)[0]
    # an instrument with no registered rules gets no line
    assert implementing.missing_notes(kb, [_entry("中华人民共和国宪法")]) == []


def test_a_rule_named_for_two_quoted_instruments_is_listed_once():
    kb = type("KB", (), {"resolve_law": lambda self, t: None})()
    notes = implementing.missing_notes(kb, [_entry("中华人民共和国政府采购法"),
                                            _entry("中华人民共和国政府采购法实施条例", "行政法规")])
    assert sum(n.count("《政府采购货物和服务招标投标管理办法》") for n in notes) == 1


@pytest.mark.parametrize("rule, words", [
    ("{title: 某规定, number: 令第1号, year: 2020}", ("发布机关", "issuer")),
    ("{title: 某规定, issuer: 某部, year: 二〇二〇}", ("发布年份", "《某规定》")),
    ("某规定", ("title、issuer、year",)),
])
def test_a_malformed_registry_entry_is_a_chinese_error_naming_the_file_and_entry(tmp_path, rule, words):
    path = tmp_path / "implementing.yaml"
    path.write_text("entries:\n  - parent: 甲法\n    rules:\n      - {title: 好规定, issuer: 某部, year: 2020}\n"
                    f"  - parent: 乙法\n    rules:\n      - {rule}\n", encoding="utf-8")
    with pytest.raises(implementing.RegistryError) as err:
        implementing.load(path)
    msg = str(err.value)
    assert str(path) in msg and "第2条" in msg and "乙法" in msg and "第1项" in msg
    assert all(w in msg for w in words)


def test_a_registry_entry_without_rules_or_parent_is_an_error(tmp_path):
    path = tmp_path / "implementing.yaml"
    path.write_text("entries:\n  - parent: 甲法\n", encoding="utf-8")
    with pytest.raises(implementing.RegistryError, match="第1条.*甲法.*rules"):
        implementing.load(path)
    path.write_text("entries:\n  - rules: [{title: 某规定, issuer: 某部, year: 2020}]\n", encoding="utf-8")
    with pytest.raises(implementing.RegistryError, match="第1条.*parent"):
        implementing.load(path)


def test_the_shipped_registry_is_well_formed_and_covers_the_county_laws():
    registry = implementing.load()
    assert len(registry) >= 60
    for parent in ("中华人民共和国消防法", "中华人民共和国政府信息公开条例", "中华人民共和国水法"):
        assert registry[parent]


def test_an_instrument_the_agenda_names_and_the_knowledge_base_lacks_is_said_first(services_small):
    """学习《党政主要负责人履行推进法治建设第一责任人职责规定》: the brief said nothing of the missing rule and was built
    on another law as if it were the basis (round-6 review, topic 5)."""
    topic = "落实安全生产责任（学习《某某安全生产责任示例规定》）"
    brief = services_small.briefs.write(topic, length="standard", date="2026-12-01")
    assert brief.caution and "《某某安全生产责任示例规定》不在知识库中" in brief.caution, brief.caution
    assert not any("某某安全生产责任示例规定" in m.title for m in brief.missing)  # said once, in the caution
    held = services_small.briefs.write("落实安全生产责任（学习《中华人民共和国安全生产法》）", date="2026-12-01")
    assert not (held.caution or "").startswith("议题点名学习的")


def test_no_action_item_is_drafted_from_the_laws_quoted_in_place_of_a_missing_named_instrument(services_small):
    """Round-6 review, topic 5: 普法 tasks were listed for 审议年度法治政府建设情况报告 when the named rule was missing."""
    brief = services_small.briefs.write("落实安全生产责任（学习《某某安全生产责任示例规定》）", date="2026-12-01")
    assert brief.caution and brief.actions == []
    assert any("本次会议需研究落实的事项应对照其原文确定" in n for n in brief.notes)
    held = services_small.briefs.write("落实安全生产责任（学习《中华人民共和国安全生产法》）", date="2026-12-01")
    assert held.actions
