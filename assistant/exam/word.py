"""Word output like a real paper: the paper (no answers) and the answer key with 解析, through
`assistant.export.word.OfficialDocument` (A4, GB/T 9704 margins, black headings, page numbers). The paper number
(`Paper.number`) is printed on both, so a key is never matched to the wrong paper."""

from __future__ import annotations

from pathlib import Path


from .models import FILL, JUDGE, LETTERS, MULTI, SINGLE, TYPE_NAMES, Paper, section_rule

ITEM_PT = 14  # 四号: stems and options
SMALL_PT = 12  # 小四: notes, the key table
TEXT_CM = 15.6  # A4 minus GB/T 9704 left/right margins (28 mm + 26 mm)


def option_lines(options: list[str]) -> list[str]:
    """Short options on one line, middling ones two to a line, long ones one per line (as printed papers do)."""
    labelled = [f"{LETTERS[i]}. {o}" for i, o in enumerate(options)]
    longest = max((len(o) for o in options), default=0)
    if longest <= 8 and sum(len(x) for x in labelled) <= 36:
        return ["　　".join(labelled)]
    if longest <= 16:
        return ["　　".join(labelled[i:i + 2]) for i in range(0, len(labelled), 2)]
    return labelled


def notice_lines(paper: Paper) -> list[str]:
    kinds = "、".join(f"{TYPE_NAMES[k]}{len(v)}题" for k, v in paper.sections())
    return [f"（1）本试卷共{len(paper.items)}题（{kinds}），满分{paper.total:g}分，合格分数{paper.pass_mark:g}分，"
            f"考试时间{paper.minutes}分钟。",
            "（2）答题前请在指定位置填写姓名、单位和职务；请独立作答，不得翻阅资料或相互交流。",
            f"（3）单项选择题只有一个正确答案；多项选择题{section_rule(MULTI, paper.multi_partial).removeprefix('每题')}。",
            "（4）考试结束时间到，请立即停止作答，将试卷交监考人员。"]


def key_cell(item) -> str:
    """The key as the table shows it: 'B（三日）' when the option is short, else the letter."""
    if item.type == SINGLE and len(item.options[LETTERS.index(item.answer)]) > 8:
        return item.answer
    return item.answer_text


def basis_cell(item) -> str:
    """依据 for the key table: short law names, one article per line (an article and its 项 once)."""
    seen: list[str] = []
    for c in item.citations:
        label = c.label.replace("《中华人民共和国", "《")
        if c.item and any(label.startswith(x) for x in seen):
            continue
        if label not in seen:
            seen.append(label)
    return "\n".join(seen[:4]) + ("\n等" if len(seen) > 4 else "")


def _document():
    from assistant.export.word import OfficialDocument

    return OfficialDocument()


def _items(doc, paper: Paper, with_key: bool) -> None:
    for kind, items, heading in paper.section_headings():  # points and the scoring rule on paper and key alike
        doc.heading(heading, level=2)
        for it in items:
            for k, line in enumerate(it.stem.split("\n")):  # combination items list ①②③④ on their own lines
                doc.paragraph(f"{it.number}. {line}" if k == 0 else f"　　{line}", size_pt=ITEM_PT, indent=False)
            if it.type == JUDGE:
                doc.paragraph("　　A. 正确　　B. 错误", size_pt=ITEM_PT, indent=False)
            elif it.type != FILL:
                for line in option_lines(it.options):
                    doc.paragraph(f"　　{line}", size_pt=ITEM_PT, indent=False)
            if with_key:
                doc.paragraph(f"【答案】{it.answer_text}", bold=True, size_pt=ITEM_PT, indent=False)
                doc.paragraph(f"【解析】{it.explanation}", size_pt=SMALL_PT, indent=False)


def paper_docx(paper: Paper, path: Path | str) -> Path:
    """The paper as candidates see it: title, paper number, 考试须知, fields for name and unit, no answers."""
    doc = _document()
    doc.title(paper.title)
    doc.paragraph(f"试卷编号：{paper.number}", center=True, size_pt=SMALL_PT)
    doc.paragraph(f"考试时间：{paper.minutes}分钟　　满分：{paper.total:g}分　　合格分数：{paper.pass_mark:g}分",
                  center=True, size_pt=SMALL_PT)
    doc.paragraph("姓名：__________　单位：________________　职务：__________　得分：______",
                  size_pt=SMALL_PT, indent=False)
    doc.heading("考试须知", level=2)
    for line in notice_lines(paper):
        doc.paragraph(line, size_pt=SMALL_PT, indent=False)
    _items(doc, paper, with_key=False)
    return doc.save(path)


def key_docx(paper: Paper, path: Path | str) -> Path:
    """The answer key: the same paper number, a table of keys with a readable 依据 column, then every 解析."""
    doc = _document()
    doc.title(f"{paper.title}参考答案与解析")
    doc.paragraph(f"试卷编号：{paper.number}　　满分：{paper.total:g}分　　合格分数：{paper.pass_mark:g}分",
                  center=True, size_pt=SMALL_PT)
    rows = [[str(it.number), it.type, key_cell(it), f"{it.points:g}",
             basis_cell(it)]
            for it in paper.items]
    doc.table(["题号", "题型", "答案", "分值", "依据"], rows, widths_cm=[1.3, 1.5, 2.6, 1.3, TEXT_CM - 6.7])
    _items(doc, paper, with_key=True)
    return doc.save(path)
