"""Ask and verify: `xuefa ask QUESTION [--law L] [--json]`, `xuefa verify FILE [--json]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import kb as kb_commands


def _services():
    # looked up at call time so tests can monkeypatch assistant.commands.kb.open_services
    return kb_commands.open_services()


def _read_queries(path: Path) -> list[str]:
    """One question per line (blank lines and lines starting with # skipped); a clear error for a bad file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"无法读取问题文件 {path}：{exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise click.ClickException(f"问题文件 {path} 不是 UTF-8 编码（第 {line} 行）。请另存为 UTF-8 后重试。") from exc
    questions = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not questions:
        raise click.ClickException(f"问题文件 {path} 中没有问题（每行一个问题）。")
    return questions


@click.command(help="用中文提问，依据知识库中的法条作答，如：xuefa ask \"监察机关对哪些人员进行监察？\"；"
                    "批量：xuefa ask --queries 问题.txt --json（每行一个问题，每行输出一个 JSON）")
@click.argument("question", required=False)
@click.option("--law", help="只依据这部法规作答（全称或简称）")
@click.option("--level", help="只依据某一效力级别的文件作答，如 党内法规、行政法规、司法解释")
@click.option("--queries", "queries", type=click.Path(dir_okay=False, path_type=Path),
              help="问题文件：每行一个问题，在同一进程中逐个作答")
@click.option("--json", "as_json", is_flag=True, help="输出结构化答案（JSON；批量时每行一个）")
def ask(question, law, level, queries, as_json):
    if queries is not None and question:
        raise click.UsageError("请只给出一个问题，或用 --queries 给出问题文件，二者不能同时使用。")
    if queries is None and not question:
        raise click.UsageError("请给出问题，如：xuefa ask \"监察机关对哪些人员进行监察？\"，或用 --queries 给出问题文件。")
    batch = _read_queries(queries) if queries is not None else None
    services = _services()
    answerer = services.answerer
    if batch is not None:
        _ask_batch(answerer, batch, law, as_json, level)
        return
    if as_json:
        kb_commands.echo_json(answerer.answer(question, law=law, level=level).to_json())
        return
    final = None
    for part in answerer.stream(question, law=law, level=level):
        if isinstance(part, str):
            if answerer.llm is not None:
                click.echo(part, nl=False)
        else:
            final = part
    if final is None:
        return
    if answerer.llm is not None:
        click.echo()
        if final.mode == "llm":  # show the verified text (flags, fallbacks) after the stream
            click.echo("\n—— 核验后的回答 ——")
    click.echo(final.text)
    if final.warnings:
        click.echo("\n" + "\n".join(f"⚠ {w}" for w in final.warnings))


def _ask_batch(answerer, questions: list[str], law: str | None, as_json: bool, level: str | None = None) -> None:
    import json

    from tqdm import tqdm

    bar = tqdm(questions, desc="作答", unit="题", file=sys.stderr, disable=not sys.stderr.isatty())
    for n, question in enumerate(bar, start=1):
        ans = answerer.answer(question, law=law, level=level)
        if as_json:
            click.echo(json.dumps({"n": n, **ans.to_json()}, ensure_ascii=False))
        else:
            click.echo(f"【{n}】{question}\n{ans.text}\n")


@click.command(help="核验任意文本（如规范性文件草稿）中的法条引用：是否存在、引文是否与原文一致、是否现行有效。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--law", "context", help="文中“本法”“本条例”所指的法规")
@click.option("--json", "as_json", is_flag=True)
def verify(file, context, as_json):
    from knowledge.verify import STATUS_LABELS, summarize, verify_text

    try:
        from ingest.loaders import load_text

        text = load_text(file, 50 * 1024 * 1024)
    except Exception as exc:  # noqa: BLE001 - any loader failure is a user-facing message
        raise click.ClickException(f"无法读取 {file}：{exc}") from exc
    services = _services()
    checks = verify_text(services.kb, text, context=context)
    counts = summarize(checks)
    if as_json:
        kb_commands.echo_json({"file": str(file), "summary": counts, "checks": [c.to_json() for c in checks]})
    else:
        if not checks:
            click.echo("文中未发现法条引用。")
        for c in checks:
            mark = "✓" if c.ok else "✗"
            line = f"{mark} {c.raw.strip() or c.cite} → {STATUS_LABELS[c.status]}：{c.message}"
            click.echo(line)
            if c.quote and not c.ok and c.text:
                click.echo(f"    原文：{c.text[:200]}")
        click.echo("共 {} 处引用：".format(len(checks)) +
                   "，".join(f"{STATUS_LABELS[k]} {v}" for k, v in counts.items() if v))
    if any(not c.ok for c in checks):
        sys.exit(1)


commands = [ask, verify]
