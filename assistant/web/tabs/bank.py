"""The 题库 tab (管理员 and 出题人): review, edit, approve or retire items; generate pending items from laws;
import and export the bank as Excel. Official papers draw from approved items once there are enough."""

from __future__ import annotations

import gradio as gr

from .. import bank_page as bp
from .common import App, wrap

STATUSES = [("全部", ""), ("待审核", "待审核"), ("已审核", "已审核"), ("停用", "停用")]


def build(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("题库", id="bank", elem_id="tab-bank", visible=bool(ctx.local_mode)) as tab:
        summary = gr.Markdown("", elem_id="xf-bank-summary")
        with gr.Row():
            status = gr.Radio(STATUSES, value="待审核", label="状态", scale=2)
            law = gr.Textbox(label="按法规筛选", scale=2)
            refresh = gr.Button("刷新", scale=1, min_width=60)
        table = gr.Dataframe(headers=bp.BANK_HEADERS, interactive=False, wrap=True, max_height=360,
                             elem_id="xf-bank-table")
        with gr.Row():
            item_id = gr.Textbox(label="题目编号（点表格中的一行）", scale=1, elem_id="xf-bank-id")
            basis = gr.Textbox(label="依据", interactive=False, scale=2)
            state = gr.Textbox(label="当前状态", interactive=False, scale=1)
        stem = gr.Textbox(label="题干", lines=3, elem_id="xf-bank-stem")
        options = gr.Textbox(label="选项（每行一个，按 A、B、C、D 顺序）", lines=4)
        with gr.Row():
            answer = gr.Textbox(label="答案（字母；判断题写 正确/错误）", scale=1)
            note = gr.Textbox(label="审核意见（可选）", scale=2)
        explanation = gr.Textbox(label="解析", lines=3)
        with gr.Row():
            approve = gr.Button("通过", variant="primary", elem_id="xf-bank-approve")
            retire = gr.Button("停用", variant="stop")
            reopen = gr.Button("退回待审核")
            save = gr.Button("保存修改", elem_id="xf-bank-save")
        message = gr.Markdown("", elem_id="xf-bank-message")
        with gr.Accordion("生成待审题目 · Excel 导入导出", open=False):
            with gr.Row():
                harvest_laws = gr.Textbox(label="从这些法规生成（逗号分隔）", scale=3)
                per_type = gr.Number(20, label="每种题型题数", precision=0, minimum=1, maximum=100, scale=1)
                harvest = gr.Button("生成", scale=1)
            with gr.Row():
                upload = gr.File(label="导入手写题目（.xlsx）", file_types=[".xlsx"], type="filepath", scale=2)
                do_import = gr.Button("导入", scale=1)
                export = gr.Button("导出题库（Excel）", scale=1, elem_id="xf-bank-export")
            exported = gr.File(label="导出的文件", interactive=False, elem_id="xf-bank-file")

    def rows(user, st, lw):
        return bp.bank_rows(ctx, user, st, lw), bp.bank_summary(ctx, user)

    @wrap
    def on_refresh(st, lw, request: gr.Request):
        return rows(app.who(request), st, lw)

    @wrap
    def on_load(st, lw, request: gr.Request):
        user = app.who(request)
        if not getattr(user, "sets_items", False):  # hidden for everyone else: nothing to load
            return gr.update(visible=False), gr.skip(), gr.skip()
        return (gr.update(visible=True), *rows(user, st, lw))

    private = dict(api_visibility="private")
    for ev in (refresh.click, status.change, law.submit):
        ev(on_refresh, [status, law], [table, summary], **private)
    app.demo.load(on_load, [status, law], [tab, table, summary], **private)

    def on_select(evt: gr.SelectData, tbl):
        try:
            row = evt.index[0]
            return tbl.iloc[row, 0] if hasattr(tbl, "iloc") else tbl[row][0]
        except Exception:  # noqa: BLE001 - a click outside the rows
            return gr.skip()

    table.select(on_select, [table], [item_id], queue=False, **private)

    @wrap
    def on_pick(iid, request: gr.Request):
        if not str(iid or "").strip():
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        d = bp.bank_item(ctx, app.who(request), iid)
        return d["basis"], d["status"], d["stem"], d["options"], d["answer"], d["explanation"], d["note"]

    item_id.change(on_pick, [item_id], [basis, state, stem, options, answer, explanation, note], **private)

    def action(name):
        @wrap
        def run(iid, nt, st, lw, request: gr.Request):
            user = app.who(request)
            msg = bp.bank_review(ctx, user, iid, name, nt)
            return (msg, *rows(user, st, lw), bp.bank_item(ctx, user, iid)["status"])

        return run

    for button, name in ((approve, "通过"), (retire, "停用"), (reopen, "退回待审核")):
        button.click(action(name), [item_id, note, status, law], [message, table, summary, state], **private)

    @wrap
    def on_save(iid, st_, opts, ans, expl, st, lw, request: gr.Request):
        user = app.who(request)
        msg = bp.bank_edit(ctx, user, iid, st_, opts, ans, expl)
        return (msg, *rows(user, st, lw), bp.bank_item(ctx, user, iid)["status"])

    save.click(on_save, [item_id, stem, options, answer, explanation, status, law],
               [message, table, summary, state], **private)

    @wrap
    def on_harvest(laws_text, n, st, lw, request: gr.Request, progress=gr.Progress()):
        user = app.who(request)
        progress(0, desc="正在按法规生成题目并校验")
        msg = bp.bank_harvest(ctx, user, laws_text, n)
        return (msg, *rows(user, st, lw))

    harvest.click(on_harvest, [harvest_laws, per_type, status, law], [message, table, summary],
                  concurrency_limit=1, concurrency_id="bank", **private)

    @wrap
    def on_import(f, st, lw, request: gr.Request):
        user = app.who(request)
        msg = bp.bank_import(ctx, user, f)
        return (msg, *rows(user, st, lw), gr.update(value=None))

    do_import.click(on_import, [upload, status, law], [message, table, summary, upload], **private)

    @wrap
    def on_export(st, request: gr.Request):
        return bp.bank_export(ctx, app.who(request), st)

    export.click(on_export, [status], [exported], **private)
