"""The 学习档案 tab: a learner's own study record and points; a unit admin's unit summary."""

from __future__ import annotations

import gradio as gr

from .. import sessions as s
from .common import READ_LIMIT, App, wrap


def build(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("学习档案", id="study", elem_id="tab-study", visible=False) as tab:
        with gr.Row():
            days = gr.Dropdown([("近 30 天", 30), ("近 90 天", 90), ("近一年", 365)], value=365, label="时间范围",
                               scale=1)
            refresh = gr.Button("刷新", scale=0, min_width=60)
        mine = gr.HTML("", elem_id="xf-study")
        with gr.Column(visible=False) as unit_box:
            gr.Markdown("### 本单位学习情况")
            unit_table = gr.Dataframe(headers=s.STUDY_HEADERS, interactive=False, wrap=True, elem_id="xf-unit-study")

    def _fill(user, d):
        rows = s.unit_study_rows(ctx, user, d) if user.manages_units else []
        return s.study_html(ctx, user, d), gr.update(visible=user.manages_units), rows

    @wrap
    def on_load(d, request: gr.Request):
        user = app.who(request)
        if app.local_mode:
            return (gr.update(visible=False), gr.skip(), gr.skip(), gr.skip())
        return (gr.update(visible=True), *_fill(user, d))

    app.demo.load(on_load, [days], [tab, mine, unit_box, unit_table], api_visibility="private")

    @wrap
    def on_refresh(d, request: gr.Request):
        return _fill(app.who(request), d)

    refresh.click(on_refresh, [days], [mine, unit_box, unit_table], api_visibility="private",
                  concurrency_limit=READ_LIMIT)
    days.change(on_refresh, [days], [mine, unit_box, unit_table], api_visibility="private",
                concurrency_limit=READ_LIMIT)
