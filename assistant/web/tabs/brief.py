"""The 会前学法 tab: a study brief on a topic, previewed and downloadable as Word."""

from __future__ import annotations

import gradio as gr

from .. import handlers as h
from .common import HEAVY_LIMIT, App, wrap


def build(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("会前学法", id="brief", elem_id="tab-brief"):
        with gr.Row():
            topic = gr.Textbox(label="学习主题", placeholder="例如：安全生产、政府信息公开、东平湖保护",
                               scale=3, max_length=200, elem_id="xf-topic")
            brief_laws = gr.Textbox(label="指定法规（可选，逗号分隔）", scale=2)
            length = gr.Radio([("标准", "standard"), ("简短", "short")], value="standard", label="篇幅", scale=1)
        with gr.Row():
            brief_btn = gr.Button("生成学习材料", variant="primary", elem_id="xf-brief")
            dl_brief = gr.DownloadButton("下载 Word", visible=False, elem_id="xf-dl-brief")
        brief_md = gr.Markdown("", sanitize_html=True, elem_id="xf-brief-preview", container=True)

    @wrap
    def on_brief(topic_text, laws_text, length_value, request: gr.Request):
        user = app.who(request)
        md, path, _ = h.write_brief(ctx, user, topic_text, laws_text, length_value)
        return md, gr.update(value=path, visible=True)

    brief_btn.click(on_brief, [topic, brief_laws, length], [brief_md, dl_brief], api_name="brief",
                    concurrency_limit=HEAVY_LIMIT, concurrency_id="brief")
    topic.submit(on_brief, [topic, brief_laws, length], [brief_md, dl_brief], api_visibility="private",
                 concurrency_limit=HEAVY_LIMIT, concurrency_id="brief")
