"""The 考试 tab: official papers (drawn, timed and limited on the server) and practice papers, one question
per screen with an answer sheet, a pinned countdown and a confirmation before submitting. Only components and
wiring here: what they show comes from `exam_page` and `render`, papers and attempts from `ExamDesk`."""

from __future__ import annotations

import gradio as gr

from .. import exam_page as ep
from .. import render
from .common import HEAVY_LIMIT, App, countdown_js, stop_js, wrap

CSS = """
#xf-countdown{position:sticky;top:0;z-index:50;background:var(--background-fill-primary);padding:6px 8px;
  border-bottom:2px solid #b91c1c;font-size:1.3em;font-weight:700;color:#b91c1c}
.xf-section{font-weight:600;margin-bottom:4px}
.xf-qhead{color:var(--body-text-color);font-size:.95em;margin-bottom:6px}
.xf-stem{color:var(--body-text-color);font-size:1.2em;line-height:1.8;font-weight:500;white-space:normal}
#xf-nav .wrap{display:grid;grid-template-columns:repeat(auto-fill,minmax(64px,1fr));gap:4px}
#xf-choice label,#xf-multi label{font-size:1.08em;color:var(--body-text-color)}
.xf-hidden{display:none !important}
#xf-confirm-row{border:2px solid #b45309;border-radius:6px;padding:8px;background:#fffbeb}
"""

COUNTDOWN_JS = countdown_js("xf-countdown", "xf-force-submit")
STOP_JS = stop_js("xf-countdown")


def build(app: App) -> None:
    with gr.Tab("考试", id="exam", elem_id="tab-exam"):
        _build(app)


def _build(app: App) -> None:
    ctx, who = app.ctx, app.who
    view_state = gr.State(None)  # the paper as the candidate sees it: no key
    answers_state = gr.State({})
    index_state = gr.State(0)

    with gr.Row():
        preset = gr.Dropdown(ep.exam_presets(), value=ep.OFFICIAL_PRESET, label="预设", scale=1)
        scope = gr.Textbox(label="练习范围（可选，逗号分隔，如：宪法，监察法，东平湖保护条例）",
                           placeholder="留空：按预设的考试大纲", scale=3, elem_id="xf-scope")
        party = gr.Checkbox(False, label="中共党员（加考党内法规）", elem_id="xf-party")
    pv = ep.preset_values(ep.OFFICIAL_PRESET)
    with gr.Accordion("练习卷题量与分值", open=False):
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
        official = gr.Button("开始正式考试", variant="primary", elem_id="xf-official")
        gen = gr.Button("生成练习卷", elem_id="xf-generate")
        practice_n = gr.Number(10, label="错题练习题数", precision=0, minimum=1, maximum=50, scale=0, min_width=120)
        practice = gr.Button("错题练习", elem_id="xf-practice")
        dl_paper = gr.DownloadButton("下载试卷（Word）", visible=False, elem_id="xf-dl-paper")

    countdown = gr.HTML("", elem_id="xf-countdown", visible=False)
    with gr.Column(visible=False, elem_id="xf-exam-panel") as panel:
        header = gr.Markdown("", elem_id="xf-paper-head")
        with gr.Row():
            with gr.Column(scale=3):
                stem = gr.HTML(render.stem_html(None), elem_id="xf-stem")
                choice = gr.Radio([], label="请选择", elem_id="xf-choice", visible=False)
                multi = gr.CheckboxGroup([], label="请选择（可多选）", elem_id="xf-multi", visible=False)
                fill = gr.Textbox(label="请填写答案", max_length=200, elem_id="xf-fill", visible=False)
                with gr.Row():
                    prev = gr.Button("上一题", elem_id="xf-prev")
                    nxt = gr.Button("下一题", elem_id="xf-next")
                    submit = gr.Button("交卷", variant="primary", elem_id="xf-submit")
                with gr.Row(visible=False, elem_id="xf-confirm-row") as confirm_row:
                    confirm_md = gr.Markdown("", elem_id="xf-confirm-text")
                    confirm = gr.Button("确认交卷", variant="stop", elem_id="xf-confirm")
                    cancel = gr.Button("继续作答", elem_id="xf-cancel")
            with gr.Column(scale=1, min_width=220):
                nav = gr.Radio([], label="答题卡（点题号跳转，✓ 为已答）", elem_id="xf-nav")
    force = gr.Button("时间到交卷", elem_id="xf-force-submit", elem_classes=["xf-hidden"])
    result = gr.HTML("", elem_id="xf-result")
    dl_key = gr.DownloadButton("下载答案与解析（Word）", visible=False, elem_id="xf-dl-key")
    with gr.Accordion("错题本与考试记录", open=False):
        mistakes_view = gr.HTML("", elem_id="xf-mistakes")
        history_table = gr.Dataframe(headers=ep.HISTORY_HEADERS, interactive=False, wrap=True,
                                     elem_id="xf-history")

    question_outputs = [stem, choice, multi, fill, nav, index_state]

    def show(view, answers, index):
        """Component updates for one screen: choices and value always together, from this paper only."""
        sc = ep.screen(view, answers, index)
        if sc is None:
            return (render.stem_html(None), gr.update(visible=False, choices=[], value=None),
                    gr.update(visible=False, choices=[], value=[]), gr.update(visible=False, value=""),
                    gr.update(choices=[], value=None), 0)
        t = sc["type"]
        return (render.stem_html(sc),
                gr.update(visible=t in ("单选", "判断"), choices=sc["choices"] if t in ("单选", "判断") else [],
                          value=sc["value"] if t in ("单选", "判断") else None),
                gr.update(visible=t == "多选", choices=sc["choices"] if t == "多选" else [],
                          value=sc["value"] if t == "多选" else []),
                gr.update(visible=t == "填空", value=sc["value"] if t == "填空" else ""),
                gr.update(choices=sc["nav"], value=sc["index"]), sc["index"])

    def opened(user, view):
        """A new paper: every answer cleared, first question shown, countdown from the server's deadline."""
        p, _ = ep.export_paper(ctx, user, view["paper_id"], key=False)
        return (view, {}, *show(view, {}, 0), render.paper_header(view), gr.update(value=render.countdown(left(view)), visible=True),
                gr.update(visible=True), gr.update(value=p, visible=True), "", gr.update(value=None, visible=False),
                gr.update(visible=False))

    open_outputs = [view_state, answers_state, *question_outputs, header, countdown, panel, dl_paper, result, dl_key,
                    confirm_row]

    @wrap
    def on_official(party_member, request: gr.Request):
        user = who(request)
        return opened(user, ep.start_official(ctx, user, party_member=party_member))

    @wrap
    def on_generate(preset_name, scope_text, ns, nm, nj, nf, mins, ps, pm, pj, pf, local, party_member,
                    request: gr.Request):
        user = who(request)
        bp = ep.make_blueprint(preset_name, scope_text, ns, nm, nj, nf, ps, pm, pj, pf, mins, include_local=local,
                               party_member=party_member)
        return opened(user, ep.generate_paper(ctx, user, bp))

    @wrap
    def on_practice(n, request: gr.Request):
        user = who(request)
        return opened(user, ep.practice_paper(ctx, user, n))

    heavy = dict(concurrency_limit=HEAVY_LIMIT, concurrency_id="exam", api_visibility="private")
    official.click(on_official, [party], open_outputs, **heavy).then(None, js=COUNTDOWN_JS)
    gen.click(on_generate, [preset, scope, n_single, n_multi, n_judge, n_fill, minutes, p_single, p_multi, p_judge,
                            p_fill, include_local, party], open_outputs, **heavy).then(None, js=COUNTDOWN_JS)
    practice.click(on_practice, [practice_n], open_outputs, **heavy).then(None, js=COUNTDOWN_JS)

    def on_preset(name):
        v = ep.preset_values(name)
        return (v["single"], v["multi"], v["judge"], v["fill"], v["minutes"], v["p_single"], v["p_multi"],
                v["p_judge"], v["p_fill"])

    preset.change(on_preset, [preset], [n_single, n_multi, n_judge, n_fill, minutes, p_single, p_multi, p_judge,
                                        p_fill], api_visibility="private", queue=False)

    # ---- answering: the page's state only; nothing goes to the server until 交卷
    def on_answer(view, answers, index, value):
        answers = ep.record_answer(view, answers, index, value)
        sc = ep.screen(view, answers, index)
        if sc is None:
            return answers, gr.skip(), gr.skip()
        return answers, gr.update(choices=sc["nav"], value=sc["index"]), render.stem_html(sc)

    for comp in (choice, multi, fill):
        comp.input(on_answer, [view_state, answers_state, index_state, comp], [answers_state, nav, stem],
                   api_visibility="private", queue=False)

    def go(view, answers, index, step):
        return show(view, answers, int(index or 0) + step)

    prev.click(lambda v, a, i: go(v, a, i, -1), [view_state, answers_state, index_state], question_outputs,
               api_visibility="private", queue=False)
    nxt.click(lambda v, a, i: go(v, a, i, 1), [view_state, answers_state, index_state], question_outputs,
              api_visibility="private", queue=False)
    nav.input(lambda v, a, target: show(v, a, target), [view_state, answers_state, nav], question_outputs,
              api_visibility="private", queue=False)

    # ---- submitting: ask first when items are unanswered; the timer submits without asking
    def on_submit_ask(view, answers):
        if not view:
            raise gr.Error("请先开始考试或生成练习卷。", title="提示")
        return gr.update(visible=True), ep.confirm_text(view, answers)

    submit.click(on_submit_ask, [view_state, answers_state], [confirm_row, confirm_md], api_visibility="private",
                 queue=False)
    cancel.click(lambda: gr.update(visible=False), None, [confirm_row], api_visibility="private", queue=False)

    @wrap
    def on_submit(view, answers, request: gr.Request):
        user = who(request)
        if not view:
            raise gr.Error("请先开始考试或生成练习卷。", title="提示")
        res = ep.grade_paper(ctx, user, view["paper_id"], answers)
        _, key = ep.export_paper(ctx, user, view["paper_id"], paper=False)
        return (render.result_html(res), gr.update(value=key, visible=True), ep.mistakes_html(ctx, user),
                ep.history_rows(ctx, user), None, {}, gr.update(visible=False), gr.update(visible=False),
                gr.update(visible=False))

    submit_outputs = [result, dl_key, mistakes_view, history_table, view_state, answers_state, panel, countdown,
                      confirm_row]
    confirm.click(on_submit, [view_state, answers_state], submit_outputs, js=STOP_JS, **heavy)
    force.click(on_submit, [view_state, answers_state], submit_outputs, js=STOP_JS, **heavy)

    @wrap
    def on_exam_tab(request: gr.Request):
        user = who(request)
        return ep.mistakes_html(ctx, user), ep.history_rows(ctx, user)

    app.demo.load(on_exam_tab, None, [mistakes_view, history_table], api_visibility="private")


def left(view: dict) -> int:
    """Seconds left by the server's deadline (a resumed official paper keeps its clock)."""
    return int(view["minutes"]) * 60 if view.get("seconds_left") is None else int(view["seconds_left"])


def api(app: App) -> None:
    """API-only endpoints (JSON in, JSON out) for scripts, the benchmark and organised sessions. No seed is
    accepted anywhere: papers are drawn on the server."""
    ctx = app.ctx

    @wrap
    def exam_start(party_member: bool = False, local: str = "", request: gr.Request = None) -> dict:
        """正式考试（任前法律知识考试）：服务器按大纲随机组卷、计时并限制次数；返回不含答案的试卷和 paper_id。
        已有未交卷的正式考试时返回该试卷。"""
        return ep.start_official(ctx, app.who(request), party_member=party_member, local=local)

    gr.api(exam_start, api_name="exam_start", concurrency_limit=HEAVY_LIMIT, concurrency_id="exam")

    @wrap
    def exam_generate(preset: str = "任前法律知识考试", laws: str = "", single: int = -1, multi: int = -1,
                      judge: int = -1, fill: int = -1, minutes: int = 0, request: gr.Request = None) -> dict:
        """练习卷：按预设（可改题量、范围）出卷，种子由服务器决定；返回不含答案的试卷和 paper_id。"""
        opt = lambda v: None if v is None or v < 0 else v  # noqa: E731
        bp = ep.make_blueprint(preset, laws, opt(single), opt(multi), opt(judge), opt(fill), minutes=minutes or None)
        return ep.generate_paper(ctx, app.who(request), bp)

    gr.api(exam_generate, api_name="exam_generate", concurrency_limit=HEAVY_LIMIT, concurrency_id="exam")

    @wrap
    def exam_submit(paper_id: str, answers: dict, request: gr.Request = None) -> dict:
        """交卷：answers 为 {题号: 答案}；只能交一次，记录后返回得分、各法规得分、逐题答案与解析。"""
        return ep.grade_paper(ctx, app.who(request), paper_id, answers)

    gr.api(exam_submit, api_name="exam_submit", concurrency_limit=HEAVY_LIMIT)
