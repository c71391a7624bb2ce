"""Knowledge-base commands: ingest, remove, laws, article, index, search."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from knowledge.errors import XuefaError

from assistant.progress import tqdm_progress  # noqa: F401 - used by other commands too


def open_services(load_national: bool | None = None, **kwargs):
    """Services for a CLI command, with progress bars for a first-run index build."""
    from assistant.services import build_services

    kwargs.setdefault("vectors", "skip")  # look-ups use what is indexed; `xuefa index` completes it
    try:
        services = build_services(progress=tqdm_progress(), load_national=load_national, **kwargs)
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc
    state = services.kb.vector_status()
    if state["percent"] < 100:
        click.echo(f"提示：向量索引已完成 {state['percent']}%，本次检索以词法检索为主；运行 `xuefa index` 可完成向量索引。",
                   err=True)
    return services


def cli_audit(services):
    """The knowledge-base audit log, written by CLI changes as by the web app's (user: 命令行:<login>)."""
    import getpass

    from assistant.web.audit import AuditLog

    try:
        login = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        login = "未知"
    return AuditLog(services.db), f"命令行:{login}"


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None))


@click.command(help="导入本地文档（txt、md、docx、pdf、html；可给目录）。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--level", help="效力级别，如 地方性法规、党内法规（默认自动判断）")
@click.option("--region", help="地区，如 山东省（默认自动判断）")
@click.option("--status", help="时效性，如 现行有效、已废止（默认 现行有效）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 报告")
def ingest(paths, level, region, status, as_json):
    services = open_services()
    report = services.ingest(list(paths), level=level, region=region, status=status,
                             progress=None if as_json else tqdm_progress())
    data = report.to_json()
    audit, who = cli_audit(services)
    audit.record_ingest(who, data, via="命令行")
    if as_json:
        echo_json(data)
    else:
        for doc in data["added"]:
            click.echo(f"新增  {doc['title']}（{doc['articles']} 条）")
        for doc in data.get("replaced", []):
            click.echo(f"更新  {doc['title']}（{doc['articles']} 条）")
        for doc in data["unchanged"]:
            click.echo(f"未变  {doc['title']}（已在知识库中）")
        for bad in data["failed"]:
            click.echo(f"失败  {bad['path']}：{bad['reason']}", err=True)
        click.echo(f"共新增 {len(data['added'])} 个，更新 {len(data.get('replaced', []))} 个，"
                   f"未变 {len(data['unchanged'])} 个，失败 {len(data['failed'])} 个。")
    if data["failed"]:
        sys.exit(1)


@click.command(help="从知识库删除一个文档（给标题、简称或文档编号）。")
@click.argument("doc")
def remove(doc):
    services = open_services()
    kb = services.kb
    law = kb.catalog.law(doc) or kb.resolve_law(doc, status="all")
    if law is None:
        raise click.ClickException(f"知识库中没有文档：{doc}。用 `xuefa laws` 查看已有文档。")
    n = kb.catalog.article_count(law.law_id)
    kb.remove_document(law.law_id)
    audit, who = cli_audit(services)
    audit.record(who, "删除", law.title, law_id=law.law_id, articles=n, via="命令行")
    click.echo(f"已删除：{law.title}（{law.law_id}）")


@click.command(help="恢复被删除的内置法律文件（给标题或简称），如：xuefa restore 宪法")
@click.argument("title")
def restore(title):
    from ingest.restore import restore_builtin

    services = open_services()
    try:
        restored = restore_builtin(services.kb, title)
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc
    services.kb.ensure_indexes()
    audit, who = cli_audit(services)
    for law in restored:
        n = services.catalog.article_count(law.law_id)
        audit.record(who, "恢复", law.title, law_id=law.law_id, articles=n, via="命令行")
        click.echo(f"已恢复：{law.title}（{law.status}，{n} 条）")


@click.command(help="列出知识库中的文档。")
@click.option("--source", type=click.Choice(["national", "local"]), help="只列内置法规库（national）或本地导入（local）")
@click.option("--status", "status", default="all", help="current：只列现行；all：全部（默认）")
@click.option("--level", help="只列某一效力级别，如 党内法规、司法解释")
@click.option("--by-level", is_flag=True, help="按效力级别汇总文件数和条文数")
@click.option("--json", "as_json", is_flag=True)
def laws(source, status, level, by_level, as_json):
    services = open_services()
    cat = services.catalog
    counts = cat.article_counts()
    from knowledge.models import DEFAULT_STATUSES

    rows = []
    for law in cat.laws(source=source, statuses=DEFAULT_STATUSES if status == "current" else None):
        if level and law.level != level:
            continue
        rows.append({"law_id": law.law_id, "title": law.title, "level": law.level, "region": law.region,
                     "status": law.status, "source": law.source, "effective_date": law.effective_date,
                     "articles": counts.get(law.law_id, 0)})
    if by_level:
        from knowledge.models import LEVELS

        summary: dict[str, dict[str, int]] = {}
        for r in rows:
            s = summary.setdefault(r["level"], {"documents": 0, "current": 0, "articles": 0})
            s["documents"] += 1
            s["current"] += r["status"] in DEFAULT_STATUSES
            s["articles"] += r["articles"]
        summary = dict(sorted(summary.items(), key=lambda kv: LEVELS.index(kv[0]) if kv[0] in LEVELS else 99))
        if as_json:
            echo_json(summary)
        else:
            for name, s in summary.items():
                click.echo(f"{name}\t{s['documents']} 件（现行 {s['current']} 件）\t{s['articles']} 条")
        return
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['title']}\t{r['level']}\t{r['region'] or ''}\t{r['status']}\t"
                   f"{'内置' if r['source'] == 'national' else '本地'}\t{r['articles']} 条")
    click.echo(f"共 {len(rows)} 个文档。")


@click.command(help="显示一条法条原文，如：xuefa article 监察法 15")
@click.argument("law")
@click.argument("number")
@click.option("--status", default="current", help="current 或 all（含历史版本、已废止）")
@click.option("--json", "as_json", is_flag=True)
def article(law, number, status, as_json):
    from knowledge.numerals import cn_to_int, parse_article_label

    services = open_services()
    parsed = parse_article_label(number) or ((cn_to_int(number), 0) if cn_to_int(number) else None)
    if parsed is None:
        raise click.ClickException(f"条号无法识别：{number}（示例：15、第十五条、第十七条之一）")
    found = services.kb.lookup(law, parsed[0], parsed[1], status=status)
    if found is None:
        lw = services.kb.resolve_law(law, status=status)
        if lw is None:
            raise click.ClickException(f"知识库中没有《{law}》。用 `xuefa laws` 查看已有文档。")
        raise click.ClickException(f"《{lw.title}》没有{number}（共 {services.catalog.max_number(lw.law_id)} 条）。")
    lw, art = found
    if as_json:
        echo_json({"law": lw.title, "article": art.number, "label": art.label, "text": art.text,
                   "status": lw.status, "effective_date": lw.effective_date, "chapter": art.chapter})
        return
    click.echo(f"《{lw.title}》{art.label}（{lw.status}，{lw.effective_date or '日期不详'}施行）")
    if art.chapter:
        click.echo(art.chapter + (f" {art.section}" if art.section else ""))
    click.echo(art.text)
    if lw.status_note:
        click.echo(lw.status_note)


@click.command(help="建立或重建检索索引（首次运行会自动建立）。")
@click.option("--rebuild", is_flag=True, help="丢弃现有索引后重建（更换嵌入模型后使用）")
def index(rebuild):
    import time

    from assistant.services import build_services

    start = time.perf_counter()
    try:
        services = build_services(progress=tqdm_progress(), rebuild=rebuild)
    except XuefaError as exc:
        raise click.ClickException(str(exc)) from exc
    stats = services.kb.stats()
    click.echo(f"索引就绪：{stats['documents']} 个文档，{stats['articles']} 条，向量 {stats['vectors']} 个，"
               f"模型 {stats['embedding_model']}，用时 {time.perf_counter() - start:.1f} 秒。")


@click.command(help="检索法条。")
@click.argument("query", required=False)
@click.option("--queries", type=click.Path(exists=True, path_type=Path), help="批量：每行一个问题，逐行输出 JSON")
@click.option("--top-k", default=5, show_default=True)
@click.option("--law", multiple=True, help="只在这些法规中检索（可多次给出）")
@click.option("--level", help="效力级别")
@click.option("--region", help="地区")
@click.option("--source", type=click.Choice(["national", "local"]))
@click.option("--status", default="current", help="current（默认，只查现行）或 all")
@click.option("--mode", default="hybrid", type=click.Choice(["hybrid", "lexical", "dense"]))
@click.option("--json", "as_json", is_flag=True)
def search(query, queries, top_k, law, level, region, source, status, mode, as_json):
    if not query and not queries:
        raise click.UsageError("请给出检索问题，或用 --queries 指定问题文件。")
    services = open_services()
    opts = dict(top_k=top_k, law=list(law) or None, level=level, region=region, source=source,
                status=status, mode=mode)
    if queries:
        for line in queries.read_text(encoding="utf-8").splitlines():
            q = line.strip()
            if q:
                hits = services.kb.search(q, **opts)
                echo_json({"query": q, "hits": [h.to_json() for h in hits]})
        return
    hits = services.kb.search(query, **opts)
    if as_json:
        echo_json({"query": query, "hits": [h.to_json() for h in hits]})
        return
    if not hits:
        click.echo("知识库中未找到相关法条。")
    for h in hits:
        click.echo(f"{h.rank}. {h.cite}（{h.law.status}，{h.law.effective_date or '日期不详'}）")
        click.echo("   " + h.article.text.replace("\n", "\n   "))
        if h.law.status_note:
            click.echo("   " + h.law.status_note)


commands = [ingest, remove, restore, laws, article, index, search]
