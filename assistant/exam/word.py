"""Word output: the paper (no answers) and the answer key with 解析, through `assistant.export.word.WordWriter`."""

from __future__ import annotations

from pathlib import Path

from knowledge.numerals import int_to_cn

from .models import FILL, JUDGE, LETTERS, TYPE_NAMES, Paper


def _section_heading(index: int, kind: str, items) -> str:
    pts = {it.points for it in items}
    each = f"每题{next(iter(pts)):g}分，" if len(pts) == 1 else ""
    total = sum(it.points for it in items)
    return f"{int_to_cn(index)}、{TYPE_NAMES[kind]}（共{len(items)}题，{each}共{total:g}分）"


def _writer(title: str):
    from assistant.export.word import WordWriter

    return WordWriter(title)


def paper_docx(paper: Paper, path: Path | str) -> Path:
    """The paper as candidates see it: title, time, total points, fields for name and unit, no answers."""
    w = _writer(paper.title)
    w.paragraph(f"考试时间：{paper.minutes}分钟　　满分：{paper.total:g}分　　合格分数：{paper.pass_mark:g}分", center=True)
    w.paragraph("姓名：____________　　单位：____________________　　职务：____________　　得分：________")
    hints = {"单选": "（每题只有一个正确答案）", "多选": "（每题有两个或两个以上正确答案，多选、少选、错选均不得分）",
             "判断": "（正确的选A，错误的选B）", "填空": "（将正确内容填在横线上）"}
    for i, (kind, items) in enumerate(paper.sections(), 1):
        w.heading(_section_heading(i, kind, items) + hints.get(kind, ""), level=2)
        for it in items:
            w.paragraph(f"{it.number}. {it.stem}")
            if it.type == JUDGE:
                w.paragraph("　　A. 正确　　B. 错误")
            elif it.type != FILL:
                for j, opt in enumerate(it.options):
                    w.paragraph(f"　　{LETTERS[j]}. {opt}")
    return w.save(path)


def key_docx(paper: Paper, path: Path | str) -> Path:
    """The answer key: a table of keys, then every item's 解析 with the cited article quoted."""
    w = _writer(f"{paper.title}·参考答案与解析")
    w.paragraph(f"满分：{paper.total:g}分　　合格分数：{paper.pass_mark:g}分　　试卷编号（随机种子）：{paper.seed}",
                center=True)
    rows = [[str(it.number), it.type, it.answer_text, f"{it.points:g}", "；".join(c.label for c in it.citations)]
            for it in paper.items]
    w.table(["题号", "题型", "答案", "分值", "依据"], rows)
    for i, (kind, items) in enumerate(paper.sections(), 1):
        w.heading(_section_heading(i, kind, items), level=2)
        for it in items:
            w.paragraph(f"{it.number}. {it.stem}")
            if it.type not in (JUDGE, FILL):
                for j, opt in enumerate(it.options):
                    w.paragraph(f"　　{LETTERS[j]}. {opt}")
            w.paragraph(f"【答案】{it.answer_text}", bold=True)
            w.paragraph(f"【解析】{it.explanation}")
    return w.save(path)
