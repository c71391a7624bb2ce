"""The built-in corpus (knowledge/corpus): what it holds, the repairs of laws.db, statuses, and that the
committed packs are exactly what scripts/build_corpus.py makes from ../shared."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.builtin import ALL_PACKS, manifest, read_builtin
from ingest.structure import audit_numbering

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@lru_cache(maxsize=1)
def corpus() -> dict[str, list]:
    """title -> [(Law, articles)] over every pack, all versions."""
    out: dict[str, list] = {}
    for law, articles in read_builtin(ALL_PACKS):
        out.setdefault(law.title, []).append((law, articles))
    return out


def current(title: str):
    found = [(law, arts) for law, arts in corpus()[title] if law.is_current]
    assert len(found) == 1, (title, [(lw.status, lw.publish_date) for lw, _ in corpus()[title]])
    return found[0]


def article(title: str, number: int, sub: int = 0):
    law, arts = current(title)
    return next(a for a in arts if a.number == number and a.sub == sub and not a.is_paragraph)


def test_every_level_a_cadre_meets_is_built_in():
    levels = Counter(law.level for docs in corpus().values() for law, _ in docs if law.is_current)
    assert levels["宪法"] >= 1 and levels["法律"] >= 300
    assert levels["行政法规"] >= 600 and levels["司法解释"] >= 390 and levels["部门规章"] == 29
    assert levels["党内法规"] == 10 and levels["地方性法规"] >= 460  # the party pack's 8 + two 中共中央、国务院 texts
    assert current("信访工作条例")[0].level == "党内法规" and current("信访工作条例")[0].issuer == "中共中央、国务院"
    info = manifest()
    assert sum(p["documents"] for p in info["packs"].values()) == sum(len(d) for d in corpus().values())
    for title in ("信访工作条例", "中华人民共和国政府信息公开条例", "重大行政决策程序暂行条例", "优化营商环境条例",
                  "最高人民法院关于行政机关负责人出庭应诉若干问题的规定", "中国共产党纪律处分条例",
                  "中国共产党廉洁自律准则", "东营市养犬管理条例"):
        law, arts = current(title)
        assert arts, title


def test_issuers_are_known_for_every_level():
    assert current("最高人民法院关于行政机关负责人出庭应诉若干问题的规定")[0].issuer == "最高人民法院"
    assert current("机动车登记规定")[0].issuer == "公安部"
    assert current("纪检监察机关处理检举控告工作规则")[0].issuer == "中共中央办公厅"
    assert current("市场监督管理投诉举报处理暂行办法")[0].issuer == "国家市场监督管理总局"
    assert current("中华人民共和国刑法")[0].issuer == "全国人民代表大会"
    assert current("重大行政决策程序暂行条例")[0].issuer == "国务院"
    missing = [law.title for docs in corpus().values() for law, _ in docs
               if law.issuer is None and law.level in ("行政法规", "司法解释", "部门规章", "党内法规")]
    assert missing == []


def test_party_regulations_are_first_class():
    law, arts = current("中国共产党纪律处分条例")
    assert (law.level, law.region, len(arts)) == ("党内法规", "全国", 158)
    assert law.effective_date == "2024-01-01"
    assert article("中国共产党纪律处分条例", 8).text.split("\n")[1:] == ["（一）警告；", "（二）严重警告；",
                                                                  "（三）撤销党内职务；", "（四）留党察看；",
                                                                  "（五）开除党籍。"]
    guidelines, paras = current("关于新形势下党内政治生活的若干准则")
    assert not guidelines.structured and all(p.is_paragraph for p in paras) and len(paras) > 20


def test_effective_dates_are_those_of_the_current_version():
    expected = {"中华人民共和国安全生产法": "2021-09-01", "中华人民共和国行政诉讼法": "2017-07-01",
                "中华人民共和国土地管理法": "2020-01-01", "中华人民共和国监察法": "2025-06-01",
                "中华人民共和国网络安全法": "2026-01-01", "中华人民共和国食品安全法": "2025-12-01",
                # laws.db gives the 修正 date as the commencement date; its 修改决定 says 2026-01-01
                "中华人民共和国村民委员会组织法": "2026-01-01"}
    for title, when in expected.items():
        law, _ = current(title)
        assert law.effective_date == when, (title, law.effective_date)
        assert law.publish_date >= "2017-06-27", title  # the date of the current text, not of 1990
    stale = [law.title for docs in corpus().values() for law, _ in docs
             if law.is_current and law.level == "法律" and law.effective_date and law.publish_date
             and law.effective_date < law.publish_date]
    assert stale == []  # no current law takes effect before the text it quotes was adopted


def test_a_list_typeset_over_lines_is_one_paragraph():
    law, _ = current("中华人民共和国宪法")
    a124 = article("中华人民共和国宪法", 124)
    assert a124.paragraph_text(2) == "监察委员会由下列人员组成：主任，副主任若干人，委员若干人。"
    assert a124.paragraph_text(3).startswith("监察委员会主任每届任期同本级人民代表大会每届任期相同")
    assert len(a124.paragraphs) == 4
    assert article("中华人民共和国宪法", 65).paragraph_text(4).startswith("全国人民代表大会常务委员会的组成人员不得担任")


def test_penal_code_is_consolidated_through_amendment_twelve():
    law, arts = current("中华人民共和国刑法")
    assert law.effective_date == "2024-03-01"
    assert article("中华人民共和国刑法", 390).text.startswith("对犯行贿罪的，处三年以下有期徒刑或者拘役，并处罚金")
    assert article("中华人民共和国刑法", 390, 1).text.startswith("为谋取不正当利益，向国家工作人员的近亲属")
    assert len(corpus()["中华人民共和国刑法"]) == 1  # the stale laws.db text is gone, not kept beside it


def test_ecological_code_lines_rejoined_and_merged_articles_split():
    law, arts = current("中华人民共和国生态环境法典")
    numbers = [(a.number, a.sub) for a in arts]
    assert audit_numbering(numbers) == [] and len(arts) == 1242
    broken = []
    for a in arts:
        lines = a.text.split("\n")
        for line, nxt in zip(lines, lines[1:]):
            if not re.search(r"[。；：！？][”’）)]*$", line):
                broken.append((a.number, line[-12:], nxt[:12]))
    assert broken == []
    assert not any(re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", a.text) for a in arts)
    a1120 = article("中华人民共和国生态环境法典", 1120)
    assert a1120.text.startswith("……境主管部门责令改正，处二万元以上二十万元以下的罚款")  # opening lost at source
    assert "工业涂装企业" not in article("中华人民共和国生态环境法典", 1119).text
    assert article("中华人民共和国生态环境法典", 1201).text.startswith("……境主管部门责令停止违法行为")
    assert "（五）将放射性废物" not in article("中华人民共和国生态环境法典", 1200).text


def test_versions_and_superseded_texts_are_never_current():
    # an amended regulation's text takes effect no earlier than its own promulgation, not on the original date
    assert current("证券公司监督管理条例")[0].effective_date == "2014-07-29"
    assert current("城市市容和环境卫生管理条例")[0].effective_date == "2017-03-01"
    stale = [law.title for docs in corpus().values() for law, _ in docs
             if law.is_current and law.effective_date and law.publish_date and law.effective_date < law.publish_date]
    assert stale == []
    (old, _), = [d for d in corpus()["中华人民共和国企业法人登记管理条例"]]
    assert old.status == "已废止" and "市场主体登记管理条例" in old.note  # the repealing text, not an index flag
    petition = corpus()["信访条例"]
    assert all(not law.is_current for law, _ in petition)
    assert current("信访工作条例")[0].effective_date == "2022-05-01"
    versions = [law for law, _ in corpus()["中华人民共和国专利法实施细则"]]
    assert sorted(lw.status for lw in versions) == ["历史版本", "现行有效"]
    assert next(lw for lw in versions if lw.is_current).publish_date == "2023-12-11"
    # a regulation repealed by a later text's "《…》同时废止" clause
    (old, _), = corpus()["人体器官移植条例"]
    assert old.status == "已废止" and "人体器官捐献和移植条例" in old.status_note
    assert current("人体器官捐献和移植条例")[0].publish_date == "2023-12-04"


def test_every_document_keeps_structure_and_metadata():
    undated = []
    for docs in corpus().values():
        for law, arts in docs:
            assert law.level and law.region and law.status, law.title
            if not law.publish_date:
                undated.append(law.title)
            assert [a.ordinal for a in arts] == list(range(1, len(arts) + 1))
            assert all(a.text.strip() for a in arts), law.title
    assert undated == ["农村基层干部廉洁履行职责若干规定（试行）"]  # the source gives no date (see the build report)
    assert current("中国共产党廉洁自律准则")[0].effective_date == "2016-01-01"


def test_build_report_lists_every_numbering_gap():
    report = (REPO / "knowledge" / "corpus" / "BUILD_REPORT.md").read_text(encoding="utf-8")
    failing = set()
    for docs in corpus().values():
        for law, arts in docs:
            if audit_numbering([(a.number, a.sub) for a in arts if not a.is_paragraph]):
                failing.add(f"- {law.title}（{law.publish_date}）")
    audit = report.split("## 条文序号审计")[1]
    listed = {line.split("：")[0] for line in audit.splitlines() if line.startswith("- ")}
    assert failing == listed and len(failing) < 20


@pytest.mark.slow
def test_committed_packs_are_what_the_build_script_makes(tmp_path):
    """Reproducibility: the shipped data is built from ../shared by the committed script, byte for byte."""
    if not (SHARED / "corpus" / "lawref").is_dir():
        from tests.docgen import missing_shared

        missing_shared(SHARED / "corpus" / "lawref")
    today = manifest()["today"]
    subprocess.run([sys.executable, str(REPO / "scripts" / "build_corpus.py"), "--shared", str(SHARED),
                    "--out", str(tmp_path), "--today", today], check=True, capture_output=True, timeout=900)
    shipped = REPO / "knowledge" / "corpus"
    for name in sorted(p.name for p in shipped.glob("*.gz")) + ["manifest.json"]:
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["digest"] == manifest()["digest"]


def test_a_status_laws_db_got_wrong_is_repaired_only_on_evidence():
    # laws.db marks 农村土地承包法 已废止, yet no text repeals it and LawRefBook lists the 2018 修正本 in force
    law, arts = current("中华人民共和国农村土地承包法")
    assert (law.publish_date, law.effective_date) == ("2018-12-29", "2019-01-01")
    assert any("承包" in a.text for a in arts)
    # the ten laws the 生态环境法典 repeals by name stay repealed
    assert not any(lw.is_current for lw, _ in corpus()["中华人民共和国环境保护法"])
    from ingest.lawsdb import _check_status_fix

    name = "中华人民共和国农村土地承包法"
    in_force = {("农村土地承包法", "2018-12-29")}
    _check_status_fix(name, "2018-12-29", [("x", None, None, "第一条", 1, "无关条文")], in_force)
    repeal = [("x", None, None, "第九条", 9, f"《{name}》同时废止。")]
    with pytest.raises(ValueError, match="废止"):
        _check_status_fix(name, "2018-12-29", repeal, in_force)
    with pytest.raises(ValueError, match="LawRefBook"):
        _check_status_fix(name, "2018-12-29", [], set())


def test_a_heading_that_leaked_into_an_article_is_not_a_paragraph():
    # laws.db appends 编 headings to the article before them; a heading without 第N章 was read as a 款
    assert "党员领导干部廉洁自律规范" not in article("中国共产党廉洁自律准则", 4).text
    assert "人格权" not in article("中华人民共和国民法典", 988).text
    leaked = [(t, a.number) for t, docs in corpus().items() for law, arts in docs if law.is_current
              for a in arts[:-1] if re.match(r"^第\S{1,6}(编|分编|章|节)", a.text.split("\n")[-1].strip())]
    assert len(leaked) <= 2, leaked[:5]
    from ingest.structure import drop_leaked_heading

    assert drop_leaked_heading("甲。\n附 则") == "甲。"
    assert drop_leaked_heading("有下列情形之一的：\n（一）某某") == "有下列情形之一的：\n（一）某某"  # an item stays
    assert drop_leaked_heading("应纳税额。\n应纳税额＝组成计税价格×税率") == "应纳税额。\n应纳税额＝组成计税价格×税率"
