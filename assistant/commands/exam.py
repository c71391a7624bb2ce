"""Exam commands: exam (generate a paper), grade, mistakes (错题本), practice (from mistakes)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from knowledge.errors import XuefaError


def _services():
    from .kb import open_services

    return open_services()


def _laws(spec: str | None) -> dict[str, float]:
    """'宪法,监察法:2,东平湖保护条例' -> {name: weight}."""
    out: dict[str, float] = {}
    for part in (spec or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        name, _, weight = part.partition(":")
        try:
            out[name.strip()] = float(weight) if weight else 1.0
        except ValueError as exc:
            raise click.BadParameter(f"权重应为数字：{part}", param_hint="--laws") from exc
    return out


def _points(spec: str | None, base: dict[str, float]) -> dict[str, float]:
    from assistant.exam import FILL, JUDGE, MULTI, SINGLE

    points = dict(base)
    if spec:
        try:
            values = [float(x) for x in spec.replace("，", ",").split(",") if x.strip()]
        except ValueError as exc:
            raise click.BadParameter("分值写法如 2,3,2（单选,多选,判断[,填空]）", param_hint="--points") from exc
        for kind, v in zip((SINGLE, MULTI, JUDGE, FILL), values):
            points[kind] = v
    return points


def _difficulty(spec: str | None) -> dict[int, float] | None:
    if not spec:
        return None
    out = {}
    for part in spec.split(","):
        k, _, v = part.partition(":")
        out[int(k)] = float(v)
    return out


def _partial(value: str | None):
    if value in (None, "", "none", "proportional"):
        return value or None
    try:
        return float(value)
    except ValueError as exc:
        raise click.BadParameter("none、proportional 或 0~1 之间的小数", param_hint="--partial") from exc


def _print_paper(paper, show_key: bool) -> None:
    from assistant.exam.models import LETTERS, TYPE_NAMES

    click.echo(f"{paper.title}（{paper.minutes}分钟，满分{paper.total:g}分，合格{paper.pass_mark:g}分）")
    for kind, items, heading in paper.section_headings():
        click.echo(f"\n{heading}")
        for it in items:
            click.echo(f"{it.number}. {it.stem}")
            if it.type == "多选" or it.type == "单选":
                for j, opt in enumerate(it.options):
                    click.echo(f"   {LETTERS[j]}. {opt}")
            if show_key:
                click.echo(f"   【答案】{it.answer_text}  【解析】{it.explanation}")
    for note in paper.notes:
        click.echo(f"注意：{note}", err=True)


@click.command("exam", help="按蓝图生成试卷（默认：任前法律知识考试 25单选×2、10多选×3、10判断×2，90分钟，60分合格）。")
@click.option("--preset", default="任前法律知识考试", show_default=True, help="预设蓝图")
@click.option("--laws", help="考试范围，逗号分隔，可带权重：宪法,监察法:2,东平湖保护条例（默认：宪法、监察法、政务处分法和已导入的地方文件）")
@click.option("--local/--no-local", "include_local", default=False, help="另加知识库中全部现行地方性法规、党内法规等本地文件")
@click.option("--single", type=int, help="单选题数")
@click.option("--multi", type=int, help="多选题数")
@click.option("--judge", type=int, help="判断题数")
@click.option("--fill", type=int, help="填空题数")
@click.option("--points", help="每题分值：单选,多选,判断[,填空]，如 2,3,2")
@click.option("--minutes", type=int, help="考试时间（分钟）")
@click.option("--pass-mark", type=float, help="合格分数（默认预设值，或总分的60%）")
@click.option("--difficulty", help="难度配比，如 1:0.3,2:0.5,3:0.2（1易 2中 3难）")
@click.option("--case", type=int, default=0, help="大模型情景单选题数（需配置大模型；计入单选）")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子：同一种子得同一试卷")
@click.option("--title", help="试卷标题")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="试卷 JSON 输出路径（含答案，供 grade 使用）")
@click.option("--docx", "docx_path", type=click.Path(path_type=Path), help="试卷 Word 输出路径（不含答案）")
@click.option("--key-docx", type=click.Path(path_type=Path), help="答案与解析 Word 输出路径")
@click.option("--show-key", is_flag=True, help="在屏幕上同时显示答案与解析")
@click.option("--papers", "n_papers", type=click.IntRange(1, 20), default=1, show_default=True,
              help="一次生成几套试卷（种子依次加一，各套尽量不考同一条文）；输出文件名后加 -1、-2 …")
@click.option("--after", "after", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="已生成试卷的 JSON（可多次给出）：新卷不重复其中的题目和条文句子，尽量不考同一条文")
def exam_cmd(preset, laws, include_local, single, multi, judge, fill, points, minutes, pass_mark, difficulty, case,
             seed, title, json_path, docx_path, key_docx, show_key, n_papers, after):
    from assistant.exam import FILL, JUDGE, MULTI, PRESETS, SINGLE, Blueprint

    if preset not in PRESETS:
        raise click.BadParameter(f"可选：{'、'.join(PRESETS)}", param_hint="--preset")
    bp = Blueprint.preset(preset)
    for kind, n in ((SINGLE, single), (MULTI, multi), (JUDGE, judge), (FILL, fill)):
        if n is not None:
            bp.counts[kind] = n
    bp.points = _points(points, bp.points)
    bp.laws = _laws(laws)
    bp.include_local = include_local
    bp.minutes = minutes or bp.minutes
    if pass_mark is not None:
        bp.pass_mark = pass_mark
    if any(v is not None for v in (single, multi, judge, fill, points)):
        bp.total = None  # the user's counts and points, not a 100-point paper
        if pass_mark is None:
            bp.pass_mark = None  # 60% of whatever the new total is
    bp.difficulty = _difficulty(difficulty)
    bp.case, bp.seed = case, seed
    bp.title = title or bp.title
    earlier = [_read_paper(p) for p in after]
    services = _services()
    try:
        papers = (services.exams.generate_batch(bp, n_papers, after=earlier) if n_papers > 1 or earlier
                  else [services.exams.generate(bp)])
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc
    if case and services.llm is None:
        click.echo("未配置大模型，已跳过情景题（设置 XUEFA_LLM_BASE_URL 和 XUEFA_LLM_MODEL 后可用）。", err=True)
    for i, paper in enumerate(papers, 1):
        suffix = f"-{i}" if n_papers > 1 else ""
        _write_paper(paper, *(_numbered(p, suffix) for p in (json_path, docx_path, key_docx)), show_key)


def _read_paper(path: Path):
    from assistant.exam import Paper

    try:
        return Paper.from_json(path)
    except (ValueError, KeyError, TypeError) as exc:
        raise click.BadParameter(f"{path} 不是 xuefa exam 生成的试卷 JSON：{exc}", param_hint="--after") from exc


def _numbered(path: Path | None, suffix: str) -> Path | None:
    return path.with_name(f"{path.stem}{suffix}{path.suffix}") if path is not None and suffix else path


def _write_paper(paper, json_path, docx_path, key_docx, show_key) -> None:
    from assistant.exam import key_docx as write_key
    from assistant.exam import paper_docx

    if json_path:
        paper.save_json(json_path)
        click.echo(f"试卷 JSON：{json_path}", err=True)
    if docx_path:
        paper_docx(paper, docx_path)
        click.echo(f"试卷 Word：{docx_path}", err=True)
    if key_docx:
        write_key(paper, key_docx)
        click.echo(f"答案 Word：{key_docx}", err=True)
    if not (json_path or docx_path or key_docx) or show_key:
        _print_paper(paper, show_key)
    else:
        click.echo(f"{paper.title}：{len(paper.items)} 题，满分 {paper.total:g} 分，{paper.minutes} 分钟。")
        for note in paper.notes:
            click.echo(f"注意：{note}", err=True)


@click.command("grade", help="""评分：xuefa grade paper.json answers.json

\b
answers.json 以题号为键，或按题序给出列表：
  {"1": "A", "2": ["A","C"], "3": "正确", "4": "三"}
  单选填字母；多选填字母列表或 "AC"；判断填 正确/错误（或 对/错、√/×、A/B）；填空填文字（3 与 三 视为相同）。
多选默认全对才得分；--partial proportional 按选对比例给分，--partial 0.5 少选给一半分（错选不得分）。""")
@click.argument("paper_path", type=click.Path(exists=True, path_type=Path))
@click.argument("answers_path", type=click.Path(exists=True, path_type=Path))
@click.option("--user", help="用户名：错题记入其错题本")
@click.option("--partial", help="多选给分规则：none（默认）、proportional 或 0~1 小数")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def grade_cmd(paper_path, answers_path, user, partial, as_json):
    from assistant.exam import Paper
    from assistant.exam.grading import grade

    paper = Paper.from_json(paper_path)
    try:
        answers = json.loads(answers_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{answers_path} 不是合法的 JSON：{exc}") from exc
    try:
        if user:
            result = _services().exams.grade(paper, answers, user=user, partial=_partial(partial))
        else:
            result = grade(paper, answers, _partial(partial))
    except (ValueError, XuefaError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(result.summary())
    for r in result.wrong:
        click.echo(f"  第{r.number}题（{r.type}）你的答案 {r.your_answer or '未答'}，正确答案 {r.key}；"
                   f"依据 {'；'.join(r.citations)}")


@click.command("mistakes", help="查看错题本（按条文汇总）。")
@click.option("--user", required=True, help="用户名")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def mistakes_cmd(user, as_json):
    entries = _services().exams.mistakes(user)
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("错题本为空。")
    for e in entries:
        click.echo(f"《{e['law']}》{e['label']}：错 {e['wrong']} 次，对 {e['right']} 次")


@click.command("practice", help="根据错题本出一套强化练习（同一条文换题）。")
@click.option("--user", required=True, help="用户名")
@click.option("-n", "count", type=int, default=10, show_default=True, help="题数")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="试卷 JSON 输出路径")
@click.option("--docx", "docx_path", type=click.Path(path_type=Path), help="试卷 Word 输出路径")
@click.option("--key-docx", type=click.Path(path_type=Path), help="答案与解析 Word 输出路径")
def practice_cmd(user, count, seed, json_path, docx_path, key_docx):
    from assistant.exam import key_docx as write_key
    from assistant.exam import paper_docx

    paper = _services().exams.practice_from_mistakes(user, count, seed)
    if not paper.items:
        raise click.ClickException("错题本为空，或错题所涉条文无法出题。先用 xuefa grade --user 评一次卷。")
    if json_path:
        paper.save_json(json_path)
    if docx_path:
        paper_docx(paper, docx_path)
    if key_docx:
        write_key(paper, key_docx)
    _print_paper(paper, show_key=False)


commands = [exam_cmd, grade_cmd, mistakes_cmd, practice_cmd]
