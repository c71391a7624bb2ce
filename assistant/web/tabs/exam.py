"""The 考试 tab: practice papers by preset or custom counts, timed, graded with keys and 解析; 错题本 and history."""

from __future__ import annotations

import gradio as gr

from .. import handlers as h
from .. import render
from .common import HEAVY_LIMIT, App, countdown_js, question_inputs, stop_js, wrap

COUNTDOWN_JS = countdown_js("xf-countdown", "xf-submit")


def build(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("考试", id="exam", elem_id="tab-exam"):
        paper_state = gr.State(None)
        with gr.Row():
            preset = gr.Dropdown(h.exam_presets(), value="任前法律知识考试", label="预设", scale=1)
            scope = gr.Textbox(label="考试范围（可选，逗号分隔，如：宪法，监察法，东平湖保护条例）",
                               placeholder="留空：宪法、监察法、政务处分法", scale=3, elem_id="xf-scope")
        pv = h.preset_values("任前法律知识考试")
        with gr.Row():
            n_single = gr.Number(pv["single"], label="单选题数", precision=0, minimum=0, elem_id="xf-n-single")
            n_multi = gr.Number(pv["multi"], label="多选题数", precision=0, minimum=0, elem_id="xf-n-multi")
            n_judge = gr.Number(pv["judge"], label="判断题数", precision=0, minimum=0, elem_id="xf-n-judge")
            n_fill = gr.Number(pv["fill"], label="填空题数", precision=0, minimum=0, elem_id="xf-n-fill")
            minutes = gr.Number(pv["minutes"], label="时间（分钟）", precision=0, minimum=1, elem_id="xf-minutes")
        with gr.Row():
            p_single = gr.Number(pv["p_single"], label="单选每题分", minimum=0)
            p_multi = gr.Number(pv["p_multi"], label="多选每题分", minimum=0)
            p_judge = gr.Number(pv["p_judge"], label="判断每题分", minimum=0)
            p_fill = gr.Number(pv["p_fill"], label="填空每题分", minimum=0)
            include_local = gr.Checkbox(False, label="加入全部本地法规")
        with gr.Row():
            gen = gr.Button("生成试卷", variant="primary", elem_id="xf-generate")
            practice_n = gr.Number(10, label="错题练习题数", precision=0, minimum=1, maximum=50, scale=0,
                                   min_width=120)
            practice = gr.Button("错题练习", elem_id="xf-practice")
            dl_paper = gr.DownloadButton("下载试卷（Word）", visible=False, elem_id="xf-dl-paper")
        countdown = gr.HTML("", elem_id="xf-countdown")

        @gr.render(inputs=[paper_state])
        def render_paper(view):
            if not view:
                gr.Markdown("选择预设或设置题量、分值和时间后，点“生成试卷”。")
                return
            gr.Markdown(render.paper_header(view))
            comps = question_inputs(view["items"])
            submit = gr.Button("交卷", variant="primary", elem_id="xf-submit")
            submit.click(on_submit, [paper_state, *comps], [result, dl_key, mistakes_view, history_table],
                         js=stop_js("xf-countdown"), concurrency_limit=HEAVY_LIMIT, api_visibility="private")

        result = gr.HTML("", elem_id="xf-result")
        dl_key = gr.DownloadButton("下载答案与解析（Word）", visible=False, elem_id="xf-dl-key")
        with gr.Accordion("错题本与考试记录", open=False):
            mistakes_view = gr.HTML("", elem_id="xf-mistakes")
            history_table = gr.Dataframe(headers=["时间", "试卷", "得分", "结果", "错题数"], interactive=False,
                                         wrap=True)

    def on_preset(name):
        v = h.preset_values(name)
        return (v["single"], v["multi"], v["judge"], v["fill"], v["minutes"], v["p_single"], v["p_multi"],
                v["p_judge"], v["p_fill"])

    preset.change(on_preset, [preset], [n_single, n_multi, n_judge, n_fill, minutes, p_single, p_multi,
                                        p_judge, p_fill], api_visibility="private", queue=False)

    def _paper_outputs(user, view):
        p, _ = h.export_paper(ctx, user, view["paper_id"], key=False)
        return (view, render.countdown(int(view["minutes"]) * 60), gr.update(value=p, visible=True), "",
                gr.update(value=None, visible=False))

    @wrap
    def on_generate(preset_name, scope_text, ns, nm, nj, nf, mins, ps, pm, pj, pf, local, request: gr.Request):
        user = app.who(request)
        bp = h.make_blueprint(preset_name, scope_text, ns, nm, nj, nf, ps, pm, pj, pf, mins, include_local=local)
        return _paper_outputs(user, h.generate_paper(ctx, user, bp))

    exam_outputs = [paper_state, countdown, dl_paper, result, dl_key]
    gen.click(on_generate, [preset, scope, n_single, n_multi, n_judge, n_fill, minutes, p_single, p_multi,
                            p_judge, p_fill, include_local], exam_outputs, api_visibility="private",
              concurrency_limit=HEAVY_LIMIT, concurrency_id="exam").then(None, js=COUNTDOWN_JS)

    @wrap
    def on_practice(n, request: gr.Request):
        user = app.who(request)
        return _paper_outputs(user, h.practice_paper(ctx, user, n))

    practice.click(on_practice, [practice_n], exam_outputs, api_visibility="private",
                   concurrency_limit=HEAVY_LIMIT, concurrency_id="exam").then(None, js=COUNTDOWN_JS)

    @wrap
    def on_submit(request: gr.Request, view, *values):
        user = app.who(request)
        if not view:
            raise gr.Error("请先生成试卷。")
        answers = {it["number"]: v for it, v in zip(view["items"], values)}
        res = h.grade_paper(ctx, user, view["paper_id"], answers)
        _, key = h.export_paper(ctx, user, view["paper_id"], paper=False)
        return (render.result_html(res), gr.update(value=key, visible=True), h.mistakes_html(ctx, user),
                h.history_rows(ctx, user))

    @wrap
    def on_exam_tab(request: gr.Request):
        user = app.who(request)
        return h.mistakes_html(ctx, user), h.history_rows(ctx, user)

    app.demo.load(on_exam_tab, None, [mistakes_view, history_table], api_visibility="private")


def api(app: App) -> None:
    """API-only endpoints (JSON in, JSON out) for scripts and the benchmark, registered outside the tabs."""
    ctx = app.ctx

    @wrap
    def exam_generate(preset: str = "任前法律知识考试", laws: str = "", single: int = -1, multi: int = -1,
                      judge: int = -1, fill: int = -1, minutes: int = 0, seed: int = -1,
                      request: gr.Request = None) -> dict:
        """按预设（可改题量）出卷；返回不含答案的试卷和 paper_id。"""
        user = app.who(request)
        opt = lambda v: None if v is None or v < 0 else v  # noqa: E731
        bp = h.make_blueprint(preset, laws, opt(single), opt(multi), opt(judge), opt(fill), minutes=minutes or None,
                              seed=opt(seed))
        return h.generate_paper(ctx, user, bp)

    gr.api(exam_generate, api_name="exam_generate", concurrency_limit=HEAVY_LIMIT, concurrency_id="exam")

    @wrap
    def exam_submit(paper_id: str, answers: dict, request: gr.Request = None) -> dict:
        """交卷：answers 为 {题号: 答案}；返回得分、各法规得分、逐题答案与解析。"""
        return h.grade_paper(ctx, app.who(request), paper_id, answers)

    gr.api(exam_submit, api_name="exam_submit", concurrency_limit=HEAVY_LIMIT)
