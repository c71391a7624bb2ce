"""HTML for the web app, built from plain data: every piece of text that comes from a document, an answer or
a user is escaped here. Handlers fetch data and call these; they never build HTML themselves."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.textsafe import md_text


# ---- safe text ------------------------------------------------------------------------------------
def esc(text: Any) -> str:
    """HTML-escape untrusted text (documents, answers, user input)."""
    return html.escape("" if text is None else str(text), quote=True)


def esc_lines(text: Any) -> str:
    return "<br>".join(esc(line) for line in str(text or "").split("\n"))


def md_safe(text: Any) -> str:
    """Markdown that cannot contain HTML: '<' and '&' escaped, markdown itself kept (blockquotes, lists)."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;")


def empty(text: str) -> str:
    return f'<div class="xf-empty">{esc(text)}</div>'


# ---- 问答 ------------------------------------------------------------------------------------------
def marked_lines(text: str, unit: str | None) -> str:
    """Article text as HTML lines, the cited 款/项 (`unit`) inside <mark>; everything escaped."""
    marks = {ln.strip() for ln in (unit or "").split("\n") if ln.strip()} if unit and unit != text else set()
    out = []
    for line in str(text or "").split("\n"):
        e = esc(line)
        out.append(f'<mark class="xf-mark">{e}</mark>' if line.strip() in marks else e)
    return "<br>".join(out)


def citation_card(c: Any, index: int | None = None) -> str:
    """One cited article: the whole article text with the cited 款/项 marked (never the unit twice)."""
    note = getattr(c, "status_note", None)
    badge = "status-ok" if c.status == "现行有效" else "status-warn"
    head = f"{index}. " if index is not None else ""
    role = {"related": "相关规定", "liability": "法律责任", "nearest": "最接近的条文"}.get(getattr(c, "role", ""), "")
    whole = getattr(c, "article_text", "") or c.text
    return (
        '<div class="xf-cite">'
        f'<div class="xf-cite-head">{esc(head)}{esc(c.cite)}'
        f'{f" <span class=xf-role>{esc(role)}</span>" if role else ""}</div>'
        f'<div class="xf-cite-meta"><span class="{badge}">{esc(c.status)}</span> '
        f'施行日期：{esc(c.effective_date or "不详")}'
        f'{" · " + esc(c.level) if getattr(c, "level", None) else ""}'
        f'{" · " + esc(c.region) if getattr(c, "region", None) else ""}</div>'
        f'<blockquote class="xf-cite-text">{marked_lines(whole, c.text)}</blockquote>'
        f'{f"<div class=xf-cite-note>{esc(note)}</div>" if note else ""}'
        "</div>")


def citations_html(answer: Any) -> str:
    """The side panel: the cited articles (the lead's 款/项 highlighted), related ones folded away."""
    if answer is None:
        return empty("提问后，答案所依据的法条原文显示在这里。")
    parts = []
    if answer.citations:
        main = [c for c in answer.citations if getattr(c, "role", "primary") != "related"]
        related = [c for c in answer.citations if getattr(c, "role", "primary") == "related"]
        parts.append('<div class="xf-sub">依据法条（所引款项已标出）</div>')
        parts += [citation_card(c, i) for i, c in enumerate(main, 1)]
        if related:
            parts.append(f'<details class="xf-related"><summary>相关条文（{len(related)}）</summary>')
            parts += [citation_card(c, i) for i, c in enumerate(related, len(main) + 1)]
            parts.append("</details>")
    elif getattr(answer, "nearest", None):
        parts.append('<div class="xf-sub">知识库中未找到直接依据，以下为最接近的条文（仅供参考）</div>')
        parts += [citation_card(c, i) for i, c in enumerate(answer.nearest, 1)]
    else:
        parts.append(empty("本次回答没有可引用的法条。"))
    return "\n".join(parts)


def answer_markdown(answer: Any) -> str:
    """The chat message: the lead sentence with its citation first; article texts live in the side panel.
    Every text is escaped: it quotes statutes verbatim, and an LLM may echo a document's Markdown."""
    lead = getattr(answer, "lead", None)
    if lead is not None and getattr(answer, "mode", "offline") == "offline" and answer.citations:
        from assistant.ask.offline import lead_sentence

        lines = [f"**依据{md_text(lead.cite)}**：{md_text(lead.sentence)}"]
        others = list(answer.citations[1:])
        for c in others:  # the other instrument's rule on the same conduct (政务处分方面) reads like the lead
            if getattr(c, "role", "") == "parallel":
                lines.append(f"**{md_text(c.aspect)}：依据{md_text(c.cite)}**：{md_text(lead_sentence(c))}")
        if others:
            roles = {"liability": "（法律责任）", "related": "（相关）", "parallel": "（并行依据）"}
            lines.append("其他依据：" + "；".join(md_text(c.cite) + roles.get(getattr(c, "role", ""), "")
                                             for c in others))
        lines.append("条文原文见右侧，点击下方引用可查看全文及前后条。")
        text = "\n\n".join(lines)
    elif not getattr(answer, "supported", True) and getattr(answer, "nearest", None):
        text = md_text(answer.text.split("\n")[0]) + "\n\n最接近的条文见右侧，仅供参考，不构成对该问题的回答。"
    else:
        text = md_text(answer.text)
    warnings = [w for w in (answer.warnings or []) if md_text(w) not in text]
    if warnings:
        text += "\n\n" + "\n".join(f"> ⚠ {md_text(w)}" for w in warnings)
    return text


def article_context(law: Any, articles: Iterable[Any], focus_ordinal: int, unit: str | None = None) -> str:
    """An article with its neighbours, the focused one highlighted (and in it the cited 款/项, when given)."""
    parts = [f'<div class="xf-law-title">《{esc(law.title)}》</div>',
             f'<div class="xf-cite-meta">{esc(law.level)} · {esc(law.status)} · 施行日期：'
             f'{esc(law.effective_date or "不详")}</div>']
    if law.status_note:
        parts.append(f'<div class="xf-cite-note">{esc(law.status_note)}</div>')
    for a in articles:
        cls = "xf-article xf-focus" if a.ordinal == focus_ordinal else "xf-article"
        path = " ".join(x for x in (a.chapter, a.section) if x)
        body = marked_lines(a.text, unit) if unit and a.ordinal == focus_ordinal else esc_lines(a.text)
        parts.append(f'<div class="{cls}"><div class="xf-article-label">{esc(a.label)}'
                     f'{f" <span class=xf-path>{esc(path)}</span>" if path else ""}</div>'
                     f'<div>{body}</div></div>')
    return "\n".join(parts)


# ---- 考试 ------------------------------------------------------------------------------------------
def bars(rows: Iterable[tuple[str, float, str]], title: str) -> str:
    """A bar chart in plain HTML/CSS (no chart library, nothing fetched): (label, percent, value text)."""
    out = []
    for label, pct, value in rows:
        pct = max(0.0, min(100.0, float(pct)))
        out.append(f'<div class="xf-bar-row"><div class="xf-bar-label">{esc(label)}</div>'
                   f'<div class="xf-bar"><div class="xf-bar-fill" style="width:{pct:.0f}%"></div></div>'
                   f'<div class="xf-bar-value">{esc(value)}</div></div>')
    return f'<div class="xf-chart"><div class="xf-sub">{esc(title)}</div>' + "".join(out) + "</div>"


def chart_html(per_law: dict[str, dict]) -> str:
    rows = []
    for law, d in per_law.items():
        pct = 100.0 * d["score"] / d["total"] if d["total"] else 0.0
        rows.append((f"《{law}》", pct, f'{d["score"]:g}/{d["total"]:g}（{pct:.0f}%）'))
    return bars(rows, "各法规得分率")


def paper_header(view: dict) -> str:
    """Markdown above the paper being taken: official or practice, points, time, scope (titles escaped)."""
    kind = "正式考试" if view.get("official") else "练习"
    notes = "；".join(view.get("notes") or [])
    title = view["title"] if view["title"].endswith(f"（{kind}）") else f"{view['title']}（{kind}）"
    return (f"### {md_text(title)}\n共 {len(view['items'])} 题，满分 {view['total']:g} 分，"
            f"合格线 {view['pass_mark']:g} 分，限时 {view['minutes']} 分钟。范围：{md_text('、'.join(view['scope']))}"
            + (f"\n\n说明：{md_text(notes)}" if notes else ""))


def countdown(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f'<span data-seconds="{seconds}">剩余时间 {seconds // 60} 分 {seconds % 60:02d} 秒</span>'


TYPE_HINT = {"单选": "单项选择题（只有一个正确答案）", "多选": "多项选择题（有两个或两个以上正确答案）",
             "判断": "判断题", "填空": "填空题（将答案填在横线处）"}


def stem_html(sc: dict | None) -> str:
    """One question's screen: where it is in the paper, then the stem in a readable size."""
    if not sc:
        return empty("点“开始正式考试”或“生成练习卷”。")
    heading = f'<div class="xf-section">{esc(sc["heading"])}</div>' if sc.get("heading") else ""
    return (heading + f'<div class="xf-qhead">第 {sc["number"]} 题 / 共 {sc["count"]} 题　·　'
            f'{esc(TYPE_HINT.get(sc["type"], sc["type"]))}　·　{sc["points"]:g} 分　·　已答 {sc["answered"]} 题</div>'
            f'<div class="xf-stem">{esc_lines(sc["stem"])}</div>')


def result_html(result: dict) -> str:
    if result.get("withheld"):
        return ('<div class="xf-score">已交卷</div><div class="xf-cite-meta">'
                f'{esc(result.get("message", "成绩将在考试结束后公布。"))}</div>')
    verdict = "合格" if result["passed"] else "不合格"
    cls = "status-ok" if result["passed"] else "status-warn"
    mins, secs = divmod(int(result.get("elapsed_seconds", 0)), 60)
    kind = "正式考试" if result.get("official") else "练习"
    late = result.get("late") or result.get("overtime")
    late_note = "（超时交卷，成绩不计为合格）" if late and result.get("official") else ("（已超时）" if late else "")
    parts = [f'<div class="xf-score">{kind}得分 <b id="xf-score-value">{result["score"]:g}</b> / {result["total"]:g}'
             f'（合格线 {result["pass_mark"]:g}）<span class="{cls}">{verdict}</span></div>',
             f'<div class="xf-cite-meta">用时 {mins} 分 {secs} 秒{late_note}；'
             f'答错 {sum(1 for r in result["items"] if not r["correct"])} 题，已记入错题本。</div>']
    unread = result.get("not_understood") or []
    if unread:
        parts.append('<div class="xf-cite-note">以下答案无法识别，按未作答计分：'
                     + "；".join(f'第 {x["number"]} 题：{esc(x["reason"])}' for x in unread) + "</div>")
    parts += [chart_html(result["per_law"]), '<div class="xf-sub">逐题答案与解析</div>']
    for r in result["items"]:
        mark = "✔" if r["correct"] else "✘"
        parts.append(
            f'<div class="xf-item {"xf-right" if r["correct"] else "xf-wrong"}">'
            f'<div><b>{mark} {r["number"]}.</b> [{esc(r["type"])}] {esc_lines(r["stem"])}</div>'
            f'<div>你的答案：{esc(r["your_answer"] or "未作答")}　正确答案：<b>{esc(r["answer_text"])}</b>'
            f'　得分 {r["score"]:g}/{r["points"]:g}</div>'
            f'<div class="xf-expl">解析：{esc_lines(r["explanation"])}</div>'
            f'<div class="xf-cite-meta">依据：{esc("；".join(r["citations"]))}</div></div>')
    return "\n".join(parts)


def mistakes_html(entries: Sequence[dict]) -> str:
    if not entries:
        return empty("错题本是空的。做完试卷后，答错的题会记在这里。")
    parts = [f'<div class="xf-sub">错题本：{len(entries)} 条法条需要巩固</div>']
    for e in entries:
        parts.append(f'<div class="xf-item xf-wrong"><b>《{esc(e["law"])}》{esc(e.get("label", ""))}</b>'
                     f'　答错 {e["wrong"]} 次，答对 {e["right"]} 次'
                     + "".join(f'<div class="xf-cite-meta">{esc(x.get("stem", ""))}</div>'
                               for x in e.get("items", [])[-2:]) + "</div>")
    return "\n".join(parts)


# ---- 知识库 ----------------------------------------------------------------------------------------
def document_html(law: Any, articles: Sequence[Any]) -> str:
    parts = [f'<div class="xf-law-title">《{esc(law.title)}》</div>',
             f'<div class="xf-cite-meta">{esc(law.level)} · {esc(law.region or "全国")} · {esc(law.status)} · '
             f'公布 {esc(law.publish_date or "不详")} · 施行 {esc(law.effective_date or "不详")} · 共 {len(articles)} 条'
             f'{" · 来源文件 " + esc(law.origin) if law.origin and law.source == "local" else ""}</div>']
    chapter = None
    for a in articles:
        if a.chapter and a.chapter != chapter:
            chapter = a.chapter
            parts.append(f'<div class="xf-sub">{esc(a.chapter)}</div>')
        parts.append(f'<div class="xf-article"><span class="xf-article-label">{esc(a.label)}</span> '
                     f'{esc_lines(a.text)}</div>')
    return "\n".join(parts)


# ---- 单位、组织考试、报表、学习档案 -------------------------------------------------------------------------
def local_time(dt: Any) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M") if dt is not None else ""


def _duration(seconds: int) -> str:
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} 天 {hours} 小时"
    if hours:
        return f"{hours} 小时 {minutes} 分"
    return f"{minutes} 分"


def unit_tree(rows: Sequence[tuple[str, int]]) -> str:
    """Units as an indented tree: [(path, members)] sorted by path."""
    if not rows:
        return empty("还没有单位：在下方添加，或导入用户名单时按“单位”列自动创建。")
    out = ['<div class="xf-tree">']
    for path, members in rows:
        depth = path.count("/")
        out.append(f'<div class="xf-tree-row" style="padding-left:{depth * 1.5}em">'
                   f'{"└ " if depth else ""}<b>{esc(path.rsplit("/", 1)[-1])}</b>'
                   f' <span class="xf-cite-meta">{members} 人</span></div>')
    return "".join(out) + "</div>"


def pending_sessions(pending: Sequence[Any]) -> str:
    """待参加的考试: title, window left, attempts left, an attempt in progress."""
    if not pending:
        return empty("目前没有待参加的考试。")
    parts = ['<div class="xf-sub">待参加的考试</div>']
    for p in pending:
        s = p.session
        running = p.attempt_seconds_left
        state = (f'<span class="status-warn">作答中，剩余 {_duration(running)}</span>' if running is not None else
                 f"剩余 {p.left} 次机会" if p.left else "次数已用完")
        done = f"；当前计分成绩 {p.counted.score:g}" if p.counted is not None and p.counted.score is not None \
            and not s.results_after_close else ""
        parts.append(f'<div class="xf-item xf-session" data-session="{s.id}"><b>{esc(s.title)}</b>'
                     f'<div class="xf-cite-meta">截止 {esc(local_time(s.closes_at))}（还剩 '
                     f'{esc(_duration(p.window_seconds_left))}）· 限时 {s.minutes} 分钟 · 共 {s.max_attempts} 次 · '
                     f'合格线 {s.pass_mark:g} 分</div><div>{state}{esc(done)}</div></div>')
    return "\n".join(parts)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def session_report(report: Any) -> str:
    """Totals, the score distribution and per-unit pass rates as charts, the weakest articles."""
    from knowledge.numerals import article_label

    mean = "—" if report.mean is None else f"{report.mean:g}"
    parts = [f'<div class="xf-law-title">{esc(report.title)}</div>',
             f'<div class="xf-cite-meta">{esc(report.window)} · {esc(report.rule)} · 合格线 {report.pass_mark:g}</div>',
             f'<div class="xf-score" id="xf-report-summary">应考 <b>{report.invited}</b> 人，参考 <b>{report.took}</b> 人，'
             f'合格 <b>{report.passed}</b> 人，合格率 <b id="xf-pass-rate">{_pct(report.pass_rate)}</b>，'
             f'平均分 <b>{mean}</b></div>']
    top = max([n for _, n in report.distribution] or [0]) or 1
    parts.append(bars([(label, 100.0 * n / top, f"{n} 人") for label, n in report.distribution], "成绩分布"))
    parts.append(bars([(d["unit"] or "（未分配单位）", 100.0 * d["pass_rate"],
                        f'{d["passed"]}/{d["invited"]}（{_pct(d["pass_rate"])}）') for d in report.units],
                      "各单位合格率"))
    if report.weakest:
        parts.append('<div class="xf-sub">错误率最高的条文</div>')
        for w in report.weakest:
            parts.append(f'<div class="xf-item">《{esc(w["law"])}》{esc(article_label(w["article"], w["sub"]))}'
                         f'　错误率 {_pct(w["error_rate"])}（{w["wrong"]}/{w["answered"]}）</div>')
    return "\n".join(parts)


def score_sheet(report: Any) -> str:
    """A standalone printable page (A4): header, totals, one row per invited person, signature lines."""
    from assistant.sessions.report import ROW_HEADER, person_cells

    head = "".join(f"<th>{esc(h)}</th>" for h in ROW_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in person_cells(r)) + "</tr>" for r in report.rows)
    mean = "—" if report.mean is None else f"{report.mean:g}"
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(report.title)} 成绩单</title>
<style>@page{{size:A4;margin:18mm}}body{{font-family:"仿宋","FangSong","WenQuanYi Micro Hei",serif;font-size:12pt}}
h1{{text-align:center;font-size:18pt}}table{{border-collapse:collapse;width:100%}}
th,td{{border:1px solid #000;padding:3px 5px;font-size:10.5pt}}th{{background:#eee}}
.meta{{margin:6px 0}}.sign{{margin-top:28px;display:flex;justify-content:space-between}}</style></head><body>
<h1>{esc(report.title)} 成绩单</h1>
<div class="meta">考试时间：{esc(report.window)}　计分规则：{esc(report.rule)}　合格线：{report.pass_mark:g}</div>
<div class="meta">应考 {report.invited} 人，参考 {report.took} 人，合格 {report.passed} 人，合格率 {_pct(report.pass_rate)}，平均分 {mean}</div>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
<div class="sign"><span>制表人：＿＿＿＿＿＿</span><span>审核人：＿＿＿＿＿＿</span><span>日期：＿＿＿＿年＿＿月＿＿日</span></div>
</body></html>"""


def study_record(summary: dict, records: Sequence[Any], days: int) -> str:
    counts = summary["counts"]
    parts = [f'<div class="xf-score">近 {days} 天学习积分 <b id="xf-study-points">{summary["points"]:g}</b></div>',
             '<div class="xf-cite-meta">' + " · ".join(f"{esc(k)} {v} 次" for k, v in counts.items()) + "</div>"]
    if not records:
        parts.append(empty("还没有学习记录：提问、查看法条、阅读学习材料和做练习都会记在这里。"))
    for r in records:
        parts.append(f'<div class="xf-item">{esc(local_time(r["created_at"]))}　[{esc(r["kind"])}] {esc(r["target"])}'
                     f'　<span class="xf-cite-meta">+{r["points"]:g}</span></div>')
    return "\n".join(parts)
