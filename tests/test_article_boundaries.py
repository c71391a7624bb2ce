"""Issue 15: an article whose text begins with 规定 (第四条　规定本市…) is its own article in every format, and a
genuine cross-reference at a line start (…依照\\n第十五条规定的…) never becomes one."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_text
from ingest.pipeline import ingest_paths
from ingest.structure import audit_numbering, parse_document
from tests import docgen

TITLE = "某市制定地方性法规条例"
ARTICLES = [
    ("第一条", ["为了规范本市地方性法规制定活动，提高立法质量，根据有关法律规定，结合本市实际，制定本条例。"]),
    ("第二条", ["本市地方性法规的制定、修改和废止，适用本条例。"]),
    ("第三条", ["制定地方性法规应当遵循立法法确定的基本原则，坚持科学立法、民主立法、依法立法。"]),
    ("第四条", ["规定本市行政区域内特别重大事项的地方性法规，由市人民代表大会通过。",
               "市人民代表大会常务委员会在市人民代表大会闭会期间，可以对市人民代表大会制定的地方性法规进行部分补充和修改，"
               "但不得同该法规的基本原则相抵触。",
               "本条第一款所称特别重大事项，由市人民代表大会主席团提出意见。"]),
    ("第五条", ["规定本市行政区域内一般事项的地方性法规，由市人民代表大会常务委员会通过。"]),
    ("第六条", ["列入常务委员会会议议程的法规案，除本条例第十五条规定的情形外，一般应当经三次常务委员会会议审议后再交付表决。"]),
    ("第七条", ["法规案经常务委员会会议审议后仍有重大问题需要进一步研究的，由主任会议提出，可以暂不付表决。"]),
]
XREF = ("第八条", ["法规草案修改稿经常务委员会会议审议，由法制委员会根据常务委员会组成人员的审议意见进行修改，提出法规草案表决稿。"
                   "有关表决程序依照", "第十五条规定的程序办理。"])


def _markdown(tmp_path: Path, articles=ARTICLES) -> Path:
    lines = [f"# {TITLE}", "", "2021年3月1日某市第十六届人民代表大会常务委员会第三十次会议通过", "",
             "<!-- INFO END -->", "", "## 第一章 总则", ""]
    for label, paras in articles:
        lines += [f"{label} {paras[0]}", ""]
        for para in paras[1:]:
            lines += [para, ""]
    path = tmp_path / f"{TITLE}(2021-03-01).md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _check(doc, n=len(ARTICLES)):
    assert [a.number for a in doc.articles] == list(range(1, n + 1))
    fourth = doc.articles[3]
    assert fourth.text.split("\n")[0] == ARTICLES[3][1][0]
    assert len(fourth.text.split("\n")) == 3  # its own three 款, not 第三条's
    assert doc.articles[2].text == ARTICLES[2][1][0]
    assert audit_numbering([(a.number, a.sub) for a in doc.articles]) == []


def test_space_after_the_label_makes_a_heading_whatever_word_follows(tmp_path):
    _check(parse_document(_markdown(tmp_path).read_text(encoding="utf-8"), filename="x.md"))
    ideographic = "\n".join([TITLE, *("\n".join([f"{lb}\u3000{p[0]}", *p[1:]]) for lb, p in ARTICLES)])
    _check(parse_document(ideographic, filename="x.txt"))


def test_without_a_space_the_numbering_decides():
    text = "\n".join([TITLE, *("\n".join([f"{lb}{p[0]}", *p[1:]]) for lb, p in ARTICLES),
                      "第十五条规定的情形，是指法规案涉及的问题各方面意见比较一致的情形。"])
    doc = parse_document(text, filename="x.txt")
    _check(doc)  # 第四条规定本市… is the next number: a heading
    assert doc.articles[-1].text.endswith("第十五条规定的情形，是指法规案涉及的问题各方面意见比较一致的情形。")  # not a heading


def test_docx(tmp_path):
    md = _markdown(tmp_path)
    path = docgen.to_docx(md, tmp_path / "regulation.docx")
    _check(parse_document(load_text(path), filename=path.name))


@pytest.fixture(scope="module")
def font(tmp_path_factory):
    found = docgen.find_cjk_font()
    if found is None:
        pytest.fail("no Chinese font for PDF tests: apt-get install fonts-wqy-microhei")
    text = TITLE + "".join("".join(p) for _, p in [*ARTICLES, XREF]) + "（2021年3月1日某市第十六届人民代表大会常务委员会第三十次会议通过）"
    return docgen.subset_font(found, tmp_path_factory.mktemp("font"), extra=text)


def test_pdf_with_wrapped_heading_and_a_cross_reference_at_a_line_start(tmp_path, font):
    """Lines placed by hand: 第四条's heading line wraps, and a reference to 第十五条 starts a line mid-sentence."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=str(font))
    pdf.set_font("cjk", size=12)
    pdf.add_page()
    lines = [TITLE, "（2021年3月1日某市第十六届人民代表大会常务委员会第三十次会议通过）"]
    for label, paras in [*ARTICLES, XREF]:
        text = f"{label}\u3000{paras[0]}"
        if label == "第八条":  # the reference to 第十五条 wraps to the start of a line
            first = "\u3000\u3000" + text
            lines += [first[:36], first[36:], paras[1]]
            continue
        first = "\u3000\u3000" + text
        lines += [first[:36], first[36:]] if len(first) > 36 else [first]
        lines += ["\u3000\u3000" + p for p in paras[1:]]
    for line in lines:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "regulation.pdf"
    pdf.output(str(path))
    doc = parse_document(load_text(path), filename=path.name)
    _check(doc, n=8)
    assert doc.articles[-1].text.endswith("有关表决程序依照第十五条规定的程序办理。")


def test_ingest_keeps_the_count_and_reports_numbering_gaps(kb_factory, tmp_path):
    kb = kb_factory(national=())
    report = ingest_paths(kb, [_markdown(tmp_path)])
    (entry,) = report.added
    assert entry["articles"] == len(ARTICLES) and entry["warnings"] == []
    gap = tmp_path / "gap"
    gap.mkdir()
    report = ingest_paths(kb, [_markdown(gap, [a for a in ARTICLES if a[0] != "第五条"])])
    (entry,) = report.added or report.replaced
    assert any("第四条之后是第六条" in w for w in entry["warnings"]), entry["warnings"]
