"""ingest.structure: articles, 款/项, headings and metadata, the same from md, docx, pdf, txt and html."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_text
from ingest.structure import parse_document
from tests import docgen

MAX = 50 * 1024 * 1024


# ---- the shared regulations in every format ------------------------------------------------------
@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """{md stem: {format: file}} for every shared regulation (generated once per module)."""
    out = tmp_path_factory.mktemp("formats")
    font = docgen.find_cjk_font()
    if font is not None:
        font = docgen.subset_font(font, out)
    result: dict[str, dict[str, Path]] = {}
    for i, md in enumerate(docgen.corpus_files()):
        files = {"md": md,
                 "docx": docgen.to_docx(md, out / f"{md.stem}.docx"),
                 "txt": docgen.to_gbk_txt(md, out / f"{md.stem}.txt"),
                 "html": docgen.to_html(md, out / f"{md.stem}.html", encoding="gbk" if i % 2 else "utf-8")}
        if font is not None:
            files["pdf"] = docgen.to_pdf(md, out / f"{md.stem}.pdf", font)
            if i % 3 == 0:  # Word-style first-line indents, another running header, 第 N 页
                files["pdf-offset"] = docgen.to_pdf(md, out / f"{md.stem}.offset.pdf", font, indent="offset",
                                                    header="山东省人民代表大会常务委员会公报", page_label="第 {n} 页")
        result[md.stem] = files
    return result


def _parse(path: Path):
    return parse_document(load_text(path, MAX), filename=path.name)


def test_markdown_sources_parse_to_their_article_counts_and_texts():
    for md in docgen.corpus_files():
        doc = _parse(md)
        src = docgen.read_source(md)
        assert doc.structured and not doc.warnings, (md.name, doc.warnings)
        assert doc.title == src.title
        assert len(doc.articles) == docgen.EXPECTED_COUNTS[doc.title], md.name
        assert len(doc.articles) == sum(1 for ln in md.read_text(encoding="utf-8").splitlines() if ln.startswith("第")
                                        and "条" in ln[:10])
        assert [a.label for a in doc.articles] == [a.label for a in src.articles]
        assert [a.text for a in doc.articles] == [docgen.expected_text(a) for a in src.articles]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "pdf-offset", "txt", "html"])
def test_every_format_gives_the_markdown_articles(generated, fmt):
    seen = 0
    for stem, files in generated.items():
        if fmt not in files:
            continue
        seen += 1
        want = _parse(files["md"])
        got = _parse(files[fmt])
        assert got.title == want.title, (fmt, stem)
        assert len(got.articles) == len(want.articles), (fmt, stem, got.warnings)
        for a, b in zip(got.articles, want.articles):
            assert (a.number, a.sub, a.text) == (b.number, b.sub, b.text), (fmt, stem, a.label)
            assert (a.part, a.chapter, a.section) == (b.part, b.chapter, b.section), (fmt, stem, a.label)
        assert (got.publish_date, got.effective_date, got.level, got.region) == \
               (want.publish_date, want.effective_date, want.level, want.region), (fmt, stem)
    if not seen:
        pytest.skip(f"no {fmt} files (no Chinese font for PDFs?)")


def _article(doc, label: str):
    return next(a for a in doc.articles if a.label == label)


def test_specific_articles_verbatim():
    dph = _parse(docgen.corpus_file("东平湖"))
    assert _article(dph, "第一条").text == (
        "为了加强东平湖生态保护和修复，提高蓄水防洪能力，保障黄河防洪安全和南水北调供水调水安全，推动经济社会高质量发展，"
        "根据有关法律、行政法规，结合本省实际，制定本条例。")
    assert _article(dph, "第二十八条").text == (
        "省人民政府和泰安市人民政府应当建立健全财政保障机制，加大对东平湖生态保护和高质量发展规划范围内的生态修复、"
        "环境污染防治、防洪排涝等资金支持力度。\n"
        "东平县人民政府应当建立健全社会资本参与的多元化投融资机制。鼓励金融机构增加对生态保护和环境治理项目的信贷支持。")
    assert _article(dph, "第三十二条").text == "本条例自2021年12月1日起施行。"

    ta = _parse(docgen.corpus_file("泰安市文明行为"))
    art4 = _article(ta, "第四条").text.split("\n")
    assert art4[1] == ("市、县（市、区）精神文明建设工作机构负责本行政区域内文明行为促进工作的指导、协调、组织和监督，"
                       "履行下列职责：")
    assert art4[2:] == ["（一）拟定文明行为促进工作规划、计划；", "（二）指导、协调相关单位开展文明行为促进工作；",
                        "（三）督促、检查文明行为促进工作落实情况，并进行评估和通报；",
                        "（四）督导相关部门受理并按照规定办理有关举报、投诉；", "（五）总结推广文明行为先进典型和经验；",
                        "（六）其他有关文明行为促进工作。"]

    gov = _parse(docgen.corpus_file("政府信息公开"))
    art53 = _article(gov, "第五十三条")
    assert art53.chapter == "第五章 监督和保障"
    assert art53.text.split("\n")[1:] == ["(一)不依法履行政府信息公开职能；",
                                          "(二)不及时更新公开的政府信息内容、政府信息公开指南和政府信息公开目录；",
                                          "(三)违反本条例规定的其他情形。"]

    zd = _parse(docgen.corpus_file("重大行政决策"))
    art14 = _article(zd, "第十四条")
    assert (art14.chapter, art14.section) == ("第二章 决策草案的形成", "第二节 公众参与")
    assert art14.text.startswith("决策承办单位应当采取便于社会公众参与的方式充分听取意见，依法不予公开的决策事项除外。")


@pytest.mark.parametrize("stem,meta", [
    ("东平湖", ("山东省东平湖保护条例", "地方性法规", "山东省", "山东省人民代表大会常务委员会", "2021-09-30", "2021-12-01")),
    ("安全生产", ("山东省安全生产条例", "地方性法规", "山东省", "山东省人民代表大会常务委员会", "2021-12-03", "2022-03-01")),
    ("法治宣传", ("山东省法治宣传教育条例", "地方性法规", "山东省", "山东省人民代表大会常务委员会", "2017-09-30", "2017-12-01")),
    ("政府信息公开", ("中华人民共和国政府信息公开条例", "行政法规", "全国", "国务院", "2019-04-03", "2019-05-15")),
    ("泰安市", ("泰安市文明行为促进条例", "地方性法规", "泰安市", "泰安市人民代表大会常务委员会", "2019-11-29", "2020-03-01")),
    ("重大行政决策", ("重大行政决策程序暂行条例", "行政法规", "全国", "国务院", "2019-04-20", "2019-09-01")),
])
def test_corpus_metadata(stem, meta):
    doc = _parse(docgen.corpus_file(stem))
    assert (doc.title, doc.level, doc.region, doc.issuer, doc.publish_date, doc.effective_date) == meta
    assert doc.status == "现行有效" and doc.doc_type == "条例"


# ---- hard cases, one at a time -------------------------------------------------------------------
def test_full_width_and_ideographic_spaces_after_the_label():
    text = "某条例\n第一条\u3000\u3000为了测试，制定本条例。\n第二条　 本条例适用于全省。\n第三条\xa0\u3000附则。"
    doc = parse_document(text)
    assert [a.text for a in doc.articles] == ["为了测试，制定本条例。", "本条例适用于全省。", "附则。"]


def test_hard_line_breaks_inside_an_article_and_a_paragraph():
    text = ("某省某某条例\n第一条　县级以上人民政府应当加强领导，\n将有关工作纳入国民经济和社会\n发展规划。\n"
            "有关部门应当按照职责做好工作。\n第二条　本条例自2022年1\n月1日起施行。")
    doc = parse_document(text)
    assert [a.text for a in doc.articles] == [
        "县级以上人民政府应当加强领导，将有关工作纳入国民经济和社会发展规划。\n有关部门应当按照职责做好工作。",
        "本条例自2022年1月1日起施行。"]
    assert doc.effective_date == "2022-01-01"


def test_cross_references_do_not_start_articles():
    text = ("某某条例\n第十四条　违反本条例规定的，依照本条例\n第十五条的规定处理。\n"
            "第二十条规定的情形，从重处罚。\n依照本法第十五条的规定执行。\n"
            "第十五条　有下列情形之一的，依照\n第二十条 规定处罚：\n（一）甲；\n（二）乙。\n"
            "第十五条之一　新增的条文。\n第十六条　最后一条。")
    doc = parse_document(text)
    assert [a.label for a in doc.articles] == ["第十四条", "第十五条", "第十五条之一", "第十六条"]
    assert doc.articles[0].text == ("违反本条例规定的，依照本条例第十五条的规定处理。\n第二十条规定的情形，从重处罚。\n"
                                    "依照本法第十五条的规定执行。")
    assert doc.articles[1].text == "有下列情形之一的，依照第二十条规定处罚：\n（一）甲；\n（二）乙。"
    assert (doc.articles[2].number, doc.articles[2].sub) == (15, 1)


def test_large_chinese_numerals():
    text = "某法典\n第一千二百五十九条　前一条。\n第一千二百六十条　本法自2021年1月1日起施行。"
    doc = parse_document(text)
    assert [(a.number, a.label) for a in doc.articles] == [(1259, "第一千二百五十九条"), (1260, "第一千二百六十条")]


def test_page_numbers_and_running_headers_are_dropped():
    pages = []
    for n in range(1, 5):
        body = f"第{'一二三四'[n - 1]}条　第{n}页的条文内容，\n跨行继续。"
        footer = ["- 3 -", f"第 {n} 页", f"{n}/4", str(n)][n - 1]
        pages.append(f"某市公报 2021年第{n}期\n某市养犬管理条例\n{body}\n{footer}")
    doc = parse_document("\f".join(pages))
    assert doc.title == "某市养犬管理条例"
    assert [a.text for a in doc.articles] == [f"第{n}页的条文内容，跨行继续。" for n in range(1, 5)]


def test_running_header_without_page_breaks():
    header = "泰安市人民代表大会常务委员会公报"
    text = "\n".join(["泰安市某某条例"] + [f"{header}\n第{c}条　内容{c}，\n继续{c}。\n- {i} -"
                                            for i, c in enumerate("一二三四", 1)])
    doc = parse_document(text)
    assert [a.text for a in doc.articles] == [f"内容{c}，继续{c}。" for c in "一二三四"]
    assert doc.region == "泰安市"


def test_table_of_contents_is_not_chapters_or_articles():
    text = ("某省某某条例\n目　　录\n第一章　总　则 ………… 1\n第二章　管理 ………… 3\n第三章　附则 ………… 5\n"
            "第一章　总则\n第一条　总则条文。\n第二章　管理\n第二条　管理条文。\n第三章　附则\n第三条　附则条文。")
    doc = parse_document(text)
    assert [(a.label, a.chapter) for a in doc.articles] == [
        ("第一条", "第一章 总则"), ("第二条", "第二章 管理"), ("第三条", "第三章 附则")]
    assert not doc.warnings


def test_markdown_headings_and_parts():
    text = ("# 某某法\n\n## 第一编 总则\n\n### 第一章 一般规定\n\n#### 第一节 目的\n\n第一条 目的。\n\n"
            "### 第二章 其他\n\n第二条 其他。")
    doc = parse_document(text)
    a1, a2 = doc.articles
    assert (a1.part, a1.chapter, a1.section) == ("第一编 总则", "第一章 一般规定", "第一节 目的")
    assert (a2.part, a2.chapter, a2.section) == ("第一编 总则", "第二章 其他", None)


def test_wrapped_text_without_indents_uses_line_lengths():
    full = "一二三四五六七八九十" * 4  # a full line is 40 characters
    text = ("某某条例\n"
            f"第一条　{full[:37]}\n{full[:39]}\n{full[:20]}。\n第二款很短。\n"  # short line after 。 ends a 款
            f"第二条　{full[:34]}，\n{full[:37]}。\n{full[:39]}\n{full[:10]}。\n"  # a full line after 。 is a wrap
            f"第三条　{full[:37]}\n{full[:38]}\n{full[:39]}；\n{full[:5]}。")
    doc = parse_document(text)
    assert doc.articles[0].text == f"{full[:37]}{full[:39]}{full[:20]}。\n第二款很短。"
    assert doc.articles[1].text == f"{full[:34]}，{full[:37]}。{full[:39]}{full[:10]}。"
    assert doc.articles[2].text == f"{full[:37]}{full[:38]}{full[:39]}；{full[:5]}。"


def test_title_falls_back_to_the_file_name():
    doc = parse_document("第一条　为了测试。\n第二条　本规定自发布之日起施行。", filename="山东省东平湖保护条例(2021-09-30).md")
    assert doc.title == "山东省东平湖保护条例"
    assert doc.publish_date == "2021-09-30" and doc.effective_date == "2021-09-30"


def test_dates_in_chinese_numerals_and_status():
    text = ("某省某某条例\n（二〇二一年九月三十日某省第十三届人民代表大会常务委员会第三十次会议通过）\n"
            "第一条　目的。\n第二条　本条例自二〇九九年一月一日起施行。")
    doc = parse_document(text)
    assert doc.publish_date == "2021-09-30" and doc.effective_date == "2099-01-01"
    assert doc.status == "尚未生效"


def test_unstructured_document_becomes_numbered_paragraphs():
    text = ("关于做好安全生产工作的通知\n各市人民政府，省政府各部门：\n为做好今年安全生产工作，\n"
            "现就有关事项通知如下。\n一、压实责任\n各级各部门要落实安全生产责任，主要负责人是第一责任人。\n"
            "二、加强检查\n要开展安全生产大检查，依照本法\n第十五条的规定处理发现的问题。\n"
            "山东省人民政府办公厅\n2021年9月30日")
    doc = parse_document(text)
    assert not doc.structured and doc.level == "规范性文件" and doc.doc_type == "通知"
    assert all(a.is_paragraph for a in doc.articles)
    assert [a.number for a in doc.articles] == list(range(1, len(doc.articles) + 1))
    assert [a.text for a in doc.articles] == [
        "各市人民政府，省政府各部门：", "为做好今年安全生产工作，现就有关事项通知如下。",
        "一、压实责任\n各级各部门要落实安全生产责任，主要负责人是第一责任人。",
        "二、加强检查\n要开展安全生产大检查，依照本法第十五条的规定处理发现的问题。",
        "山东省人民政府办公厅\n2021年9月30日"]
    assert doc.articles[0].label == "第1段"


@pytest.mark.parametrize("title,issuer_line,level,region", [
    ("中华人民共和国监察法", "2018年3月20日第十三届全国人民代表大会第一次会议通过", "法律", "全国"),
    ("中华人民共和国宪法", "", "宪法", "全国"),
    ("中华人民共和国政府信息公开条例", "中华人民共和国国务院令第711号公布", "行政法规", "全国"),
    ("重大行政决策程序暂行条例", "2019年4月20日中华人民共和国国务院令第713号公布", "行政法规", "全国"),
    ("山东省安全生产条例", "", "地方性法规", "山东省"),
    ("泰安市文明行为促进条例", "", "地方性法规", "泰安市"),
    ("山东省生产安全事故应急办法", "2021年1月1日山东省人民政府令第341号公布", "地方政府规章", "山东省"),
    ("泰安市城市绿化管理办法", "", "地方政府规章", "泰安市"),
    ("中国共产党纪律处分条例", "2023年12月19日中共中央发布", "党内法规", "全国"),
    ("中国共产党廉洁自律准则", "", "党内法规", "全国"),
    ("关于进一步加强法治宣传教育工作的意见", "", "规范性文件", None),
    ("山东省人民政府办公厅关于加强安全生产工作的通知", "", "规范性文件", "山东省"),
])
def test_level_and_region_inference(title, issuer_line, level, region):
    doc = parse_document(f"{title}\n{issuer_line}\n第一条　目的。\n第二条　附则。")
    assert (doc.title, doc.level, doc.region) == (title, level, region)
