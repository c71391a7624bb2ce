"""The 知识库 tab (admins only): upload documents, list, view and delete them, the audit log."""

from __future__ import annotations

import gradio as gr

from knowledge.models import LEVELS

from .. import handlers as h
from .common import READ_LIMIT, App, wrap


def build(app: App) -> None:
    ctx = app.ctx
    mb = ctx.settings.max_upload_mb
    with gr.Tab("知识库", id="kb", elem_id="tab-kb", visible=app.local_mode) as kb_tab:
        with gr.Row():
            with gr.Column(scale=2):
                files = gr.File(label=f"上传文档（txt、md、docx、pdf、html；单个不超过 {mb} MB）",
                                file_count="multiple", file_types=list(h.ALLOWED_EXTENSIONS),
                                type="filepath", elem_id="xf-files")
            with gr.Column(scale=1):
                level = gr.Dropdown(["自动判断", *LEVELS], value="自动判断", label="效力级别")
                region = gr.Textbox(label="地区（可选，如 山东省）")
                upload_btn = gr.Button("导入知识库", variant="primary", elem_id="xf-upload")
        upload_summary = gr.Markdown("", elem_id="xf-upload-summary")
        upload_table = gr.Dataframe(headers=["文件", "结果", "标题", "条数", "说明"], interactive=False,
                                    wrap=True, elem_id="xf-upload-table")
        gr.Markdown("### 文档列表")
        with gr.Row():
            doc_query = gr.Textbox(label="按标题或效力级别筛选（如：信访、党内法规、司法解释）", scale=3)
            doc_source = gr.Radio([("全部", ""), ("本地导入", "local"), ("内置法规库", "national")], value="",
                                  label="来源", scale=2)
            refresh = gr.Button("刷新", scale=1, min_width=60)
        docs = gr.Dataframe(headers=h.DOC_HEADERS, interactive=False, wrap=True, max_height=420, elem_id="xf-docs")
        with gr.Row():
            selected = gr.Textbox(label="选中的文档编号（点表格中的一行）", scale=3, elem_id="xf-selected")
            view_btn = gr.Button("查看条文", scale=1)
            del_btn = gr.Button("删除文档", variant="stop", scale=1, elem_id="xf-delete")
        with gr.Group(visible=False) as confirm_box:  # deleting takes two clicks
            confirm_text = gr.Markdown("", elem_id="xf-confirm")
            with gr.Row():
                confirm_btn = gr.Button("确认删除", variant="stop", elem_id="xf-confirm-delete")
                cancel_btn = gr.Button("取消", elem_id="xf-cancel-delete")
        kb_status = gr.Markdown("", elem_id="xf-kb-status")
        with gr.Row():
            restore_pick = gr.Dropdown(label="恢复内置文档（已删除的国家法律库文件）", choices=[], value=None,
                                       allow_custom_value=True, scale=3, elem_id="xf-restore-pick")
            restore_btn = gr.Button("恢复", scale=1, elem_id="xf-restore")
        doc_view = gr.HTML("", elem_id="xf-doc-view")
        with gr.Accordion("知识库变更记录（审计日志）", open=False):
            audit = gr.Dataframe(headers=h.AUDIT_HEADERS, interactive=False)

    @wrap
    def on_visible(request: gr.Request):
        return gr.update(visible=app.who(request).is_admin)

    app.demo.load(on_visible, None, [kb_tab], api_visibility="private")

    @wrap
    def on_upload(paths, level_value, region_value, request: gr.Request, progress=gr.Progress()):
        user = app.who(request)

        def report(done, total, what):
            progress((done, total), desc=f"正在导入：{what}", unit="件")

        progress(0, desc="正在保存上传的文件")
        try:
            out = h.upload_documents(ctx, user, paths or [], None if level_value == "自动判断" else level_value,
                                     region_value, progress=report)
        finally:  # the kept copy is under <home>/uploads; Gradio's temp copy goes now
            h.discard_temp_files(paths or [], gr.utils.get_upload_folder())
        return (out["summary"], out["rows"], h.list_documents(ctx, user), h.audit_rows(ctx, user),
                gr.update(value=None))

    upload_btn.click(on_upload, [files, level, region], [upload_summary, upload_table, docs, audit, files],
                     api_name="upload", concurrency_limit=1, concurrency_id="kb-write")

    @wrap
    def on_docs(query, source, request: gr.Request):
        user = app.who(request)
        return h.list_documents(ctx, user, query, source), h.audit_rows(ctx, user)

    @wrap
    def on_docs_load(query, source, request: gr.Request):
        if not app.who(request).is_admin:  # the tab is hidden for others: nothing to load
            return gr.skip(), gr.skip()
        return on_docs(query, source, request)

    refresh.click(on_docs, [doc_query, doc_source], [docs, audit], api_name="documents", concurrency_limit=READ_LIMIT)
    doc_query.submit(on_docs, [doc_query, doc_source], [docs, audit], api_visibility="private")
    doc_source.change(on_docs, [doc_query, doc_source], [docs, audit], api_visibility="private")
    app.demo.load(on_docs_load, [doc_query, doc_source], [docs, audit], api_visibility="private")

    def on_select(evt: gr.SelectData, table):
        try:
            row = evt.index[0]
            return table.iloc[row, 0] if hasattr(table, "iloc") else table[row][0]
        except Exception:  # noqa: BLE001 - a click outside the rows
            return gr.skip()

    docs.select(on_select, [docs], [selected], api_visibility="private", queue=False)

    @wrap
    def on_view(law_id, request: gr.Request):
        return h.document_html(ctx, app.who(request), law_id)

    view_btn.click(on_view, [selected], [doc_view], api_name="document", concurrency_limit=READ_LIMIT)
    selected.submit(on_view, [selected], [doc_view], api_visibility="private")

    @wrap
    def on_ask_delete(law_id, request: gr.Request):
        return h.delete_preview(ctx, app.who(request), law_id), gr.update(visible=True)

    del_btn.click(on_ask_delete, [selected], [confirm_text, confirm_box], api_visibility="private",
                  concurrency_limit=READ_LIMIT)
    cancel_btn.click(lambda: ("", gr.update(visible=False)), None, [confirm_text, confirm_box],
                     api_visibility="private", queue=False)

    @wrap
    def on_delete(law_id, query, source, request: gr.Request):
        user = app.who(request)
        msg_text = h.delete_document(ctx, user, law_id)
        return (msg_text, h.list_documents(ctx, user, query, source), h.audit_rows(ctx, user), "", "",
                gr.update(visible=False), gr.update(choices=h.restorable_documents(ctx, user), value=None))

    confirm_btn.click(on_delete, [selected, doc_query, doc_source],
                      [kb_status, docs, audit, selected, doc_view, confirm_box, restore_pick],
                      api_name="delete", concurrency_limit=1, concurrency_id="kb-write")

    @wrap
    def on_restore(title, query, source, request: gr.Request, progress=gr.Progress()):
        user = app.who(request)
        progress(0, desc="正在从内置法律库恢复")
        msg_text = h.restore_document(ctx, user, title)
        return (msg_text, h.list_documents(ctx, user, query, source), h.audit_rows(ctx, user),
                gr.update(choices=h.restorable_documents(ctx, user), value=None))

    restore_btn.click(on_restore, [restore_pick, doc_query, doc_source], [kb_status, docs, audit, restore_pick],
                      api_name="restore", concurrency_limit=1, concurrency_id="kb-write")

    @wrap
    def on_restorable(request: gr.Request):
        user = app.who(request)
        return gr.update(choices=h.restorable_documents(ctx, user)) if user.is_admin else gr.skip()

    app.demo.load(on_restorable, None, [restore_pick], api_visibility="private")
