"""The 问答 tab: chat with cited articles, the whole article with its neighbours."""

from __future__ import annotations

import gradio as gr

from .. import handlers as h
from .. import render
from .common import CHAT_LIMIT, READ_LIMIT, App, wrap, wrap_gen

ASK_LEVELS = ("宪法", "法律", "行政法规", "司法解释", "部门规章", "党内法规", "地方性法规")
EXAMPLES = ["监察机关可以采取哪些调查措施？", "公职人员受到记过处分的期间是多久？",
            "生产经营单位的主要负责人有哪些安全生产职责？", "东平湖保护条例对渔业养殖有什么规定？"]


def build(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("问答", id="ask", elem_id="tab-ask"):
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="问答", height=520, elem_id="xf-chat", feedback_options=None,
                                     buttons=["copy"], sanitize_html=True, latex_delimiters=[],
                                     placeholder="请输入关于法律法规的问题；答案只依据知识库中的法条原文。")
                with gr.Row():
                    msg = gr.Textbox(show_label=False, placeholder="输入问题后按回车，例如：监察机关可以采取哪些调查措施？",
                                     scale=5, max_length=2000, elem_id="xf-question")
                    send = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="xf-send")
                with gr.Row():
                    law_pick = gr.Dropdown(label="限定法规（可选）", choices=[], value=None,
                                           allow_custom_value=True, scale=3)
                    level_pick = gr.Dropdown(label="限定效力级别（可选）", choices=["全部", *ASK_LEVELS], value="全部",
                                             scale=2, elem_id="xf-level")
                    new_chat = gr.Button("新对话", scale=1, min_width=80)
                gr.Examples(EXAMPLES, inputs=[msg], label="示例问题")
            with gr.Column(scale=2):
                cites = gr.HTML(render.citations_html(None), label="依据法条", elem_id="xf-cites")
                with gr.Row():
                    pick = gr.Radio(label="引用（点击查看条文全文及前后条，所引款项高亮）", choices=[], value=None, scale=3,
                                    elem_id="xf-chips")
                    show = gr.Button("查看", scale=1, min_width=60)
                article_view = gr.HTML("", elem_id="xf-article")

    @wrap
    def on_load(request: gr.Request):
        app.who(request)
        laws = sorted(law.title for law in ctx.services.catalog.laws(statuses=("现行有效", "已被修改", "尚未生效")))
        return gr.update(choices=laws)

    app.demo.load(on_load, None, [law_pick], api_visibility="private")

    @wrap_gen
    def on_chat(message, history, past, law, level, request: gr.Request):
        user = app.who(request)
        past = list(past or [])
        level = None if level in (None, "", "全部") else level
        for hist, answer in h.chat_stream(ctx, user, message, history, turns=past, law=law, level=level):
            if answer is None:
                yield hist, gr.skip(), gr.skip(), "", past
            else:
                yield (hist, render.citations_html(answer), gr.update(choices=h.citation_choices(answer),
                                                                      value=None), "", past)

    chat_io = dict(inputs=[msg, chatbot, turns, law_pick, level_pick], outputs=[chatbot, cites, pick, msg, turns],
                   concurrency_limit=CHAT_LIMIT, concurrency_id="chat")
    msg.submit(on_chat, api_name="chat", **chat_io)
    send.click(on_chat, api_visibility="private", **chat_io)
    new_chat.click(lambda: ([], [], render.citations_html(None), gr.update(choices=[], value=None), ""), None,
                   [chatbot, turns, cites, pick, article_view], api_visibility="private", queue=False)

    @wrap
    def on_article(key, request: gr.Request):
        return h.article_html(ctx, app.who(request), key)

    show.click(on_article, [pick], [article_view], api_name="article", concurrency_limit=READ_LIMIT)
    pick.change(on_article, [pick], [article_view], api_visibility="private", concurrency_limit=READ_LIMIT)


def api(app: App) -> None:
    """API-only endpoints (JSON in, JSON out), registered outside the tabs."""
    ctx = app.ctx

    @wrap
    def ask(question: str, law: str = "", level: str = "", request: gr.Request = None) -> dict:
        """问答：返回答案、引用（含原文、时效性、施行日期）和提示；level 限定效力级别（如 党内法规）。"""
        return h.ask(ctx, app.who(request), question, law, level)

    gr.api(ask, api_name="ask", concurrency_limit=CHAT_LIMIT, concurrency_id="chat")
