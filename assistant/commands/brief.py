"""The brief command: a 会前学法 brief on an agenda item, as Markdown (stdout or file), Word or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from knowledge.errors import XuefaError


@click.command(help="会前学法：根据议题生成学法材料，如：xuefa brief \"行政执法三项制度\" --docx 学法.docx")
@click.argument("topic", nargs=-1, required=True)
@click.option("--law", "laws", multiple=True, help="作为主要依据、排在最前的法规（全称或简称，可多次给出）")
@click.option("--only-law", "only_laws", multiple=True, help="只从这些法规中摘编（可多次给出）")
@click.option("--exclude-law", "exclude_laws", multiple=True, help="不引用这些法规（可多次给出）")
@click.option("--length", type=click.Choice(["short", "standard", "long"]), default="standard", show_default=True,
              help="篇幅：short 精简（约3千字），standard 标准（不超过6千字），long 详细")
@click.option("--unit", help="编制单位，印在材料标题下，如：县司法局")
@click.option("--region", help="本地所在的市（如 泰安市）：其他市的地方性法规不引用")
@click.option("--docx", "docx_path", type=click.Path(dir_okay=False, path_type=Path), help="写出 Word 文件")
@click.option("--md", "md_path", type=click.Path(dir_okay=False, path_type=Path), help="写出 Markdown 文件")
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印 JSON")
def brief(topic, laws, only_laws, exclude_laws, length, unit, region, docx_path, md_path, as_json):
    from assistant.brief import brief_docx

    from .kb import open_services

    text = " ".join(topic).strip()
    services = open_services()
    try:
        result = services.briefs.write(text, laws=list(laws) or None, length=length, only_laws=list(only_laws),
                                       exclude_laws=list(exclude_laws), unit=unit, region=region)
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc
    if result.declined:
        notices = "".join(f"\n{m.notice}。" for m in result.missing)
        raise click.ClickException(result.declined + notices)
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
    for m in result.missing:
        click.echo(f"提示：{m.notice}。", err=True)
    for path in (p for p in (md_path, docx_path) if p):
        click.echo(f"已写出：{path}", err=True)


commands = [brief]
