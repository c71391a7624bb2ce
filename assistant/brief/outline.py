"""One outline of a brief, as a flat list of blocks, that the Markdown and Word renderers both draw.

Order: title, 编制单位/日期, coverage notices (first page), 一、学习提要, 二、主要依据 (table), the theme sections
(是什么 / 谁负责 / 怎么办 / 红线 / 追责) with each law quoted where it speaks, 思考题, 审核 and the closing note."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.numerals import int_to_cn

from .model import THEME_HEADINGS, THEMES, Brief

# no claim of completeness: the knowledge base holds few 部门规章 and no 政府规章 (round-5 review: "引文均为原文"
# read as if the brief's bases were complete and current)
CLOSING = ("本材料由 xuefa 学法助手从知识库所存法规文本中摘编，引文与库中文本一致；知识库未必收录全部现行依据，是否齐全、"
           "现行需人工核对，正式引用请以官方公布文本为准。")
READ_RATE = 250  # characters a minute for careful reading of statute text
DISCUSS_MINUTES = 2  # each 思考题's discussion
LAW_TABLE = ("序号", "名称", "效力级别", "版本", "本材料引用")
LAW_TABLE_WIDTHS_CM = (1.2, 5.4, 1.9, 3.6, 3.5)  # sums to the 15.6 cm type area of GB/T 9704


@dataclass(frozen=True)
class Block:
    kind: str  # title | meta | notice | heading | para | point | quote | table | question | answer | sign | closing
    text: str = ""
    label: str = ""  # quote: the citation; question: its number
    rows: tuple[tuple[str, ...], ...] = ()
    header: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()


def _meta(brief: Brief) -> str:
    parts = []
    if brief.unit:
        parts.append(f"编制单位：{brief.unit}")
    if brief.date:
        y, m, d = brief.date[:4], brief.date[5:7], brief.date[8:10]
        parts.append(f"{int(y)}年{int(m)}月{int(d)}日" if (y + m + d).isdigit() else brief.date)
    return "　　".join(parts)


OVERVIEW_THEMES = {"是什么": "是什么", "谁负责": "谁负责", "怎么办": "怎么办", "监管": "监管对象义务", "红线": "红线",
                   "追责": "追责"}


def _kind(brief: Brief) -> str:
    """党内法规 are no 法律法规 (round-6 review: “2部法律法规” for two party regulations)."""
    party = sum(e.level == "党内法规" for e in brief.laws)
    return "党内法规" if party == len(brief.laws) else "法律法规" if not party else "法律法规和党内法规"


def _overview(brief: Brief) -> str:
    n_laws, n_quotes = len(brief.laws), len(brief.quotes)
    minutes = study_minutes(brief)
    names = "、".join(f"《{e.title}》" for e in brief.laws[:4]) + ("等" if n_laws > 4 else "")
    return (f"本材料围绕“{brief.topic}”，摘编{names}{n_laws}部{_kind(brief)}中与议题直接相关的{n_quotes}处规定，"
            f"按“{'、'.join(OVERVIEW_THEMES[t] for t in THEMES if brief.themed(t))}”编排，学习约需{minutes}分钟。")


def study_minutes(brief: Brief) -> int:
    """An honest estimate: the whole brief read at READ_RATE, and a short discussion of each question."""
    text = sum(len(q.text) for q in brief.quotes) + sum(len(t) for _th, t in brief.points) + \
        sum(len(x.question) + len(x.answer) for x in brief.questions) + sum(len(a) for a in brief.actions) + \
        sum(len(c) for c in brief.currency)
    return max(1, round(text / READ_RATE + DISCUSS_MINUTES * len(brief.questions)))


def build_outline(brief: Brief) -> list[Block]:
    out: list[Block] = [Block("title", brief.title)]
    meta = _meta(brief)
    if meta:
        out.append(Block("meta", meta))
    for m in brief.missing:
        out.append(Block("notice", m.notice + "。"))
    if brief.caution and not brief.declined:
        out.append(Block("notice", brief.caution))
    out.extend(Block("notice", p + "。") for p in brief.pending)
    out.extend(Block("notice", x + "。") for x in brief.unheld)
    if brief.currency and not brief.declined:
        out.append(Block("notice", f"本材料有{len(brief.currency)}处时效提示，见“时效提示”部分，适用前请核对。"))
    if brief.declined:
        out.append(Block("heading", "说明"))
        out.append(Block("para", brief.declined))
        out.extend(Block("para", f"注：{n}") for n in brief.notes)
        out.append(Block("closing", CLOSING))
        return out
    n = 0

    def head(text: str) -> None:
        nonlocal n
        n += 1
        out.append(Block("heading", f"{int_to_cn(n)}、{text}"))

    head("学习提要")
    out.append(Block("para", _overview(brief)))
    if brief.summary:
        out.append(Block("para", "".join(brief.summary)))
    if brief.points:
        out.append(Block("para", "学习要点："))
        out.extend(Block("point", text, label=str(i)) for i, (_theme, text) in enumerate(brief.points, 1))
    if brief.intro:
        out.append(Block("para", "学习导语（由大模型生成，所引条文已逐条核验）：" + "".join(brief.intro)))
    head("主要依据")
    rows = []
    for i, e in enumerate(brief.laws, 1):
        labels = "、".join(dict.fromkeys(q.label for q in brief.cited(e.law_id)))
        rows.append((str(i), f"《{e.title}》", e.level, e.version, labels))
    out.append(Block("table", header=LAW_TABLE, rows=tuple(rows), widths=LAW_TABLE_WIDTHS_CM))
    for e in brief.laws:
        if e.status_note:
            out.append(Block("para", f"《{e.title}》：{e.status_note}。"))
    if brief.currency:
        head("时效提示")
        out.append(Block("para", "以下条文用语或依据版本可能已不是现行表述，条文原文未作改动，适用时请核对："))
        out.extend(Block("point", text + "。", label=str(i)) for i, text in enumerate(brief.currency, 1))
    for theme in THEMES:
        quotes = brief.themed(theme)
        if not quotes:
            continue
        head(THEME_HEADINGS[theme])
        for q in quotes:
            out.append(Block("quote", q.text, label=q.heading))
    if brief.actions:
        head("本次会议需研究落实的事项")
        out.append(Block("para", "以下为所引条文中县政府及部门的职责，请逐项明确牵头单位和完成时限："))
        out.extend(Block("point", text, label=str(i)) for i, text in enumerate(brief.actions, 1))
    if brief.questions:
        head("思考题")
        for i, x in enumerate(brief.questions, 1):
            out.append(Block("question", x.question, label=str(i)))
            out.append(Block("answer", f"参考：{x.answer}"))
    out.extend(Block("para", f"注：{note}") for note in brief.notes)
    if brief.review:
        out.append(Block("sign", f"审核：{brief.review.get('reviewer', '')}　　审核日期：{brief.review.get('date', '')}"))
    out.append(Block("closing", CLOSING))
    return out
