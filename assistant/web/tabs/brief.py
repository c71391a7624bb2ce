"""The 会前学法 tab: a study brief on a topic, previewed and downloadable as Word; saved as a draft, edited,
sent for review, approved by an admin, and downloaded as the approved version."""

from __future__ import annotations

import gradio as gr

from .. import briefs as hb
from .. import handlers as h
from .common import HEAVY_LIMIT, App, wrap


def build(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("会前学法", id="brief", elem_id="tab-brief"):
        with gr.Row():
            topic = gr.Textbox(label="学习主题", placeholder="例如：安全生产、政府信息公开、东平湖保护",
                               scale=3, max_length=200, elem_id="xf-topic")
            brief_laws = gr.Textbox(label="指定法规（可选，逗号分隔）", scale=2)
            length = gr.Radio([("标准", "standard"), ("简短", "short"), ("详细", "long")], value="standard",
                              label="篇幅", scale=1)
        with gr.Row():
            brief_btn = gr.Button("生成学习材料", variant="primary", elem_id="xf-brief")
            dl_brief = gr.DownloadButton("下载 Word", visible=False, elem_id="xf-dl-brief")
        brief_md = gr.Markdown("", sanitize_html=True, latex_delimiters=[], elem_id="xf-brief-preview",
                               container=True)
        with gr.Accordion("保存、修改与审核（会前由司法局审核、领导批准）", open=False, elem_id="xf-brief-review"):
            with gr.Row():
                unit = gr.Textbox(label="编制单位", placeholder="如：县司法局", scale=2, elem_id="xf-brief-unit")
                save = gr.Button("保存为草稿", scale=1, elem_id="xf-brief-save")
            with gr.Row():
                pick = gr.Dropdown(label="已保存的学习材料", choices=[], scale=3, elem_id="xf-brief-pick")
                refresh = gr.Button("刷新", scale=0, min_width=80)
            status = gr.Markdown("", elem_id="xf-brief-status")
            text = gr.Textbox(label="正文（Markdown，可直接修改）", lines=16, max_length=60000, elem_id="xf-brief-text")
            note = gr.Textbox(label="修改说明 / 审核意见", elem_id="xf-brief-note")
            with gr.Row():
                edit = gr.Button("保存修改", elem_id="xf-brief-edit")
                submit = gr.Button("送审", elem_id="xf-brief-submit")
                approve = gr.Button("批准（管理员）", variant="primary", elem_id="xf-brief-approve")
                back = gr.Button("退回（管理员）", elem_id="xf-brief-back")
                final = gr.Button("生成定稿 Word", elem_id="xf-brief-final")
                dl_final = gr.DownloadButton("下载定稿", visible=False, elem_id="xf-dl-final")
            history = gr.Dataframe(headers=hb.HISTORY_HEADERS, interactive=False, wrap=True,
                                   elem_id="xf-brief-history")

    @wrap
    def on_brief(topic_text, laws_text, length_value, request: gr.Request):
        user = app.who(request)
        md, path, _ = h.write_brief(ctx, user, topic_text, laws_text, length_value)
        return md, gr.update(value=path, visible=True)

    brief_btn.click(on_brief, [topic, brief_laws, length], [brief_md, dl_brief], api_name="brief",
                    concurrency_limit=HEAVY_LIMIT, concurrency_id="brief")
    topic.submit(on_brief, [topic, brief_laws, length], [brief_md, dl_brief], api_visibility="private",
                 concurrency_limit=HEAVY_LIMIT, concurrency_id="brief")

    # ---- review: every step shows the stored text, its status and history again
    def shown(user, brief_id):
        body, line, rows = hb.view(ctx, user, brief_id)
        options = hb.choices(ctx, user)
        current = next((c for c in options if c.startswith(f"{brief_id} ·")), None)
        return gr.update(choices=options, value=current), body, line, rows

    out = [pick, text, status, history]

    @wrap
    def on_save(topic_text, laws_text, length_value, unit_text, request: gr.Request):
        user = app.who(request)
        return shown(user, hb.save_draft(ctx, user, topic_text, laws_text, length_value, unit_text))

    @wrap
    def on_pick(choice, request: gr.Request):
        return shown(app.who(request), hb.parse_id(choice))

    @wrap
    def on_refresh(request: gr.Request):
        return gr.update(choices=hb.choices(ctx, app.who(request)))

    @wrap
    def on_edit(choice, body, why, request: gr.Request):
        user = app.who(request)
        return shown(user, hb.edit(ctx, user, choice, body, why))

    @wrap
    def on_submit(choice, request: gr.Request):
        user = app.who(request)
        return shown(user, hb.submit(ctx, user, choice))

    @wrap
    def on_approve(choice, why, request: gr.Request):
        user = app.who(request)
        return shown(user, hb.approve(ctx, user, choice, why))

    @wrap
    def on_back(choice, why, request: gr.Request):
        user = app.who(request)
        return shown(user, hb.send_back(ctx, user, choice, why))

    @wrap
    def on_final(choice, request: gr.Request):
        return gr.update(value=hb.final_docx(ctx, app.who(request), choice), visible=True)

    private = {"api_visibility": "private"}
    save.click(on_save, [topic, brief_laws, length, unit], out, concurrency_limit=HEAVY_LIMIT,
               concurrency_id="brief", **private)
    pick.input(on_pick, [pick], out, **private)
    refresh.click(on_refresh, None, [pick], **private)
    app.demo.load(on_refresh, None, [pick], **private)
    edit.click(on_edit, [pick, text, note], out, **private)
    submit.click(on_submit, [pick], out, **private)
    approve.click(on_approve, [pick, note], out, **private)
    back.click(on_back, [pick, note], out, **private)
    final.click(on_final, [pick], [dl_final], **private)
