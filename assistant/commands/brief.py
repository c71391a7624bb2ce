"""The brief command: a 会前学法 brief on an agenda item, as Markdown (stdout or file), Word or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from knowledge.errors import XuefaError


@click.command(help="会前学法：根据议题生成学法材料，如：xuefa brief \"安全生产专项整治\" --docx 学法.docx")
@click.argument("topic", nargs=-1, required=True)
@click.option("--law", "laws", multiple=True, help="必须纳入的法规（全称或简称，可多次给出）")
@click.option("--length", type=click.Choice(["short", "standard"]), default="standard", show_default=True,
              help="篇幅：short 精简，standard 标准")
@click.option("--docx", "docx_path", type=click.Path(dir_okay=False, path_type=Path), help="写出 Word 文件")
@click.option("--md", "md_path", type=click.Path(dir_okay=False, path_type=Path), help="写出 Markdown 文件")
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON")
def brief(topic, laws, length, docx_path, md_path, as_json):
    from assistant.brief import brief_docx

    from .kb import open_services

    text = " ".join(topic).strip()
    services = open_services()
    try:
        result = services.briefs.write(text, laws=list(laws) or None, length=length)
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc
    if not result.laws:
        raise click.ClickException("；".join(result.notes) or "知识库中没有找到与该议题相关的法规。")
    markdown = result.to_markdown()
    if md_path:
        md_path.parent.mkdir(parents=True, exist_ok=True)
        md_path.write_text(markdown, encoding="utf-8")
    if docx_path:
        brief_docx(result, docx_path)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=None))
    elif not (md_path or docx_path):
        click.echo(markdown, nl=False)
    for path in (p for p in (md_path, docx_path) if p):
        click.echo(f"已写出：{path}", err=True)


commands = [brief]
