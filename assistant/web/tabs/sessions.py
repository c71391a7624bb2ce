"""The 我的考试 tab (learners: 待参加的考试, timed attempts, results, certificates) and the 组织考试 tab
(管理员/单位管理员: create, close, report with charts, .xlsx, printable score sheet)."""

from __future__ import annotations

import gradio as gr

from assistant.db import COUNT_BEST, COUNT_FIRST, COUNT_LAST, PAPER_PER_PERSON, PAPER_SHARED

from .. import handlers as h
from .. import render
from .. import sessions as s
from .common import HEAVY_LIMIT, READ_LIMIT, App, countdown_js, stop_js, wrap

BOX, SUBMIT = "xf-s-countdown", "xf-s-submit"


def question_inputs(items: list[dict]) -> list:
    """One input per item, all on one page (radio, checkboxes or a text box)."""
    comps = []
    for it in items:
        label = f"{it['number']}. [{it['type']}] {it['stem']}（{it['points']:g} 分）"
        if it["type"] == "多选":
            c = gr.CheckboxGroup(it["choices"], label=label, elem_classes=["xf-q"])
        elif it["type"] == "填空":
            c = gr.Textbox(label=label, max_length=200, elem_classes=["xf-q"])
        else:
            c = gr.Radio(it["choices"], label=label, elem_classes=["xf-q"])
        comps.append(c)
    return comps


def build(app: App) -> None:
    _build_learner(app)
    _build_manager(app)


def _build_learner(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("我的考试", id="my-exams", elem_id="tab-my-exams", visible=False) as tab:
        view_state = gr.State(None)
        pending = gr.HTML("", elem_id="xf-pending")
        with gr.Row():
            pick = gr.Dropdown(label="选择考试", choices=[], value=None, scale=3, elem_id="xf-pick-session")
            start = gr.Button("开始 / 继续作答", variant="primary", scale=1, elem_id="xf-start-session")
            refresh = gr.Button("刷新", scale=0, min_width=60)
        countdown = gr.HTML("", elem_id=BOX)

        @gr.render(inputs=[view_state])
        def render_paper(view):
            if not view:
                return
            gr.Markdown(render.paper_header(view))
            comps = question_inputs(view["items"])
            submit = gr.Button("交卷", variant="primary", elem_id=SUBMIT)
            submit.click(on_submit, [view_state, *comps], [result, pending, pick, results, view_state, countdown],
                         js=stop_js(BOX), concurrency_limit=HEAVY_LIMIT, api_visibility="private")

        result = gr.HTML("", elem_id="xf-s-result")
        gr.Markdown("### 我的考试成绩")
        results = gr.Dataframe(headers=["编号", "考试", "成绩", "结果", "证书"], interactive=False, elem_id="xf-my-results")
        with gr.Row():
            cert_pick = gr.Number(label="考试编号", precision=0, scale=1, elem_id="xf-cert-session")
            cert_btn = gr.Button("生成合格证书", scale=1, elem_id="xf-cert")
            cert_file = gr.DownloadButton("下载证书（Word）", visible=False, elem_id="xf-dl-cert")

    def _lists(user):
        return s.pending_html(ctx, user), gr.update(choices=s.pending_choices(ctx, user), value=None), \
            s.my_results(ctx, user)

    @wrap
    def on_load(request: gr.Request):
        user = app.who(request)
        if app.local_mode:
            return (gr.update(visible=False), gr.skip(), gr.skip(), gr.skip())
        return (gr.update(visible=True), *_lists(user))

    app.demo.load(on_load, None, [tab, pending, pick, results], api_visibility="private")

    @wrap
    def on_refresh(request: gr.Request):
        return _lists(app.who(request))

    refresh.click(on_refresh, None, [pending, pick, results], api_visibility="private", concurrency_limit=READ_LIMIT)

    @wrap
    def on_start(session_id, request: gr.Request):
        view = s.start_session(ctx, app.who(request), session_id)
        return view, render.countdown(view["seconds_left"]), ""

    start.click(on_start, [pick], [view_state, countdown, result], api_visibility="private",
                concurrency_limit=HEAVY_LIMIT, concurrency_id="exam").then(None, js=countdown_js(BOX, SUBMIT))

    @wrap
    def on_submit(request: gr.Request, view, *values):
        user = app.who(request)
        if not view:
            raise gr.Error("请先开始作答。")
        answers = {it["number"]: v for it, v in zip(view["items"], values)}
        res = s.submit_session(ctx, user, view["paper_id"], answers)
        return (render.result_html(res), *_lists(user), None, "")

    @wrap
    def on_cert(session_id, request: gr.Request):
        return gr.update(value=s.certificate(ctx, app.who(request), session_id), visible=True)

    cert_btn.click(on_cert, [cert_pick], [cert_file], api_visibility="private")


def _build_manager(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("组织考试", id="sessions", elem_id="tab-sessions", visible=False) as tab:
        gr.Markdown("### 创建考试")
        with gr.Row():
            title = gr.Textbox(label="考试名称", scale=3, elem_id="xf-s-title")
            preset = gr.Dropdown(h.exam_presets(), value="任前法律知识考试", label="组卷预设", scale=1,
                                 elem_id="xf-s-preset")
            laws = gr.Textbox(label="考试范围（可选，逗号分隔）", scale=2, elem_id="xf-s-laws")
        pv = h.preset_values("任前法律知识考试")
        with gr.Row():
            n_single = gr.Number(pv["single"], label="单选题数", precision=0, minimum=0, elem_id="xf-s-single")
            n_multi = gr.Number(pv["multi"], label="多选题数", precision=0, minimum=0, elem_id="xf-s-multi")
            n_judge = gr.Number(pv["judge"], label="判断题数", precision=0, minimum=0, elem_id="xf-s-judge")
            n_fill = gr.Number(pv["fill"], label="填空题数", precision=0, minimum=0, elem_id="xf-s-fill")
        with gr.Row():
            units = gr.Dropdown(label="参考单位（含下级单位）", choices=[], value=[], multiselect=True, scale=3,
                                elem_id="xf-s-units")
            levels = gr.Textbox(label="职务级别（可选，逗号分隔，如 副科级,正科级）", scale=2)
        with gr.Row():
            days = gr.Number(5, label="开放天数", minimum=0.01, elem_id="xf-s-days")
            minutes = gr.Number(90, label="限时（分钟）", precision=0, minimum=1, elem_id="xf-s-minutes")
            attempts = gr.Number(1, label="可考次数", precision=0, minimum=1, maximum=20, elem_id="xf-s-attempts")
            counts = gr.Dropdown([("取最高分", COUNT_BEST), ("取最后一次", COUNT_LAST), ("取第一次", COUNT_FIRST)],
                                 value=COUNT_BEST, label="计分")
            pass_mark = gr.Number(None, label="合格线（留空按预设）", elem_id="xf-s-pass")
            mode = gr.Radio([("每人一卷", PAPER_PER_PERSON), ("统一试卷", PAPER_SHARED)], value=PAPER_PER_PERSON,
                            label="组卷方式")
            after = gr.Checkbox(False, label="考试结束后才公布成绩")
        create = gr.Button("创建考试", variant="primary", elem_id="xf-s-create")
        status = gr.Markdown("", elem_id="xf-s-status")
        gr.Markdown("### 考试列表与报表")
        table = gr.Dataframe(headers=s.SESSION_HEADERS, interactive=False, wrap=True, elem_id="xf-sessions")
        with gr.Row():
            which = gr.Dropdown(label="选择考试", choices=[], value=None, scale=3, elem_id="xf-s-pick")
            show = gr.Button("查看报表", variant="primary", scale=1, elem_id="xf-s-report")
            close = gr.Button("结束考试", variant="stop", scale=1)
        with gr.Row():
            xlsx = gr.Button("导出成绩表（.xlsx）", elem_id="xf-s-xlsx")
            xlsx_file = gr.DownloadButton("下载成绩表", visible=False, elem_id="xf-dl-xlsx")
            sheet = gr.Button("打印成绩单", elem_id="xf-s-sheet")
            sheet_file = gr.DownloadButton("下载成绩单（可打印）", visible=False, elem_id="xf-dl-sheet")
        report = gr.HTML("", elem_id="xf-report")

    def _lists(user):
        return s.session_rows(ctx, user), gr.update(choices=s.session_choices(ctx, user))

    @wrap
    def on_load(request: gr.Request):
        user = app.who(request)
        if not user.manages_units or app.local_mode:
            return (gr.update(visible=False), gr.skip(), gr.skip(), gr.skip())
        from .. import org as o

        return (gr.update(visible=True), gr.update(choices=o.unit_choices(ctx, user)), *_lists(user))

    app.demo.load(on_load, None, [tab, units, table, which], api_visibility="private")

    def on_preset(name):
        v = h.preset_values(name)
        return v["single"], v["multi"], v["judge"], v["fill"], v["minutes"]

    preset.change(on_preset, [preset], [n_single, n_multi, n_judge, n_fill, minutes], api_visibility="private",
                  queue=False)

    @wrap
    def on_create(t, p, lw, us, lv, d, m, a, c, pm, md, af, ns, nm, nj, nf, request: gr.Request):
        user = app.who(request)
        msg = s.create_session(ctx, user, t, p, lw, us or [], d, m, a, c, pm, lv, md, af, ns, nm, nj, nf)
        return (msg, *_lists(user))

    create.click(on_create, [title, preset, laws, units, levels, days, minutes, attempts, counts, pass_mark, mode,
                             after, n_single, n_multi, n_judge, n_fill], [status, table, which], api_visibility="private", concurrency_limit=HEAVY_LIMIT,
                 concurrency_id="exam")

    @wrap
    def on_report(sid, request: gr.Request):
        return s.report_html(ctx, app.who(request), sid)

    show.click(on_report, [which], [report], api_visibility="private", concurrency_limit=READ_LIMIT)

    @wrap
    def on_close(sid, request: gr.Request):
        user = app.who(request)
        return (s.close_session(ctx, user, sid), *_lists(user))

    close.click(on_close, [which], [status, table, which], api_visibility="private")

    @wrap
    def on_xlsx(sid, request: gr.Request):
        return gr.update(value=s.report_xlsx(ctx, app.who(request), sid), visible=True)

    xlsx.click(on_xlsx, [which], [xlsx_file], api_visibility="private")

    @wrap
    def on_sheet(sid, request: gr.Request):
        return gr.update(value=s.score_sheet(ctx, app.who(request), sid), visible=True)

    sheet.click(on_sheet, [which], [sheet_file], api_visibility="private")


def api(app: App) -> None:
    """JSON endpoints for scripts and the benchmark: start (or resume) and submit an organised exam."""
    ctx = app.ctx

    @wrap
    def session_start(session_id: int, request: gr.Request = None) -> dict:
        """开始或继续一场组织考试：返回不含答案的试卷、paper_id 和剩余秒数。"""
        return s.start_session(ctx, app.who(request), session_id)

    gr.api(session_start, api_name="session_start", concurrency_limit=HEAVY_LIMIT, concurrency_id="exam")

    @wrap
    def session_submit(paper_id: str, answers: dict, request: gr.Request = None) -> dict:
        """交卷：answers 为 {题号: 答案}；考试设置为结束后公布时只返回“已交卷”。"""
        return s.submit_session(ctx, app.who(request), paper_id, answers)

    gr.api(session_submit, api_name="session_submit", concurrency_limit=8, concurrency_id="session-submit")
