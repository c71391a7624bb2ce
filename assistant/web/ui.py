"""The Gradio app: the only module importing gradio. Tabs are thin wrappers over `handlers`; each wrapper
resolves the signed-in user from `gr.Request` and turns xuefa errors into `gr.Error` in plain Chinese."""

from __future__ import annotations

import functools
import logging
from typing import Any

import gradio as gr  # this module is imported only when the web app is built

from knowledge.models import LEVELS

from . import handlers as h
from .auth import ADMIN, check_bind

log = logging.getLogger(__name__)

FONTS = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
         "SimHei", "sans-serif"]
MONO = ["Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "monospace"]

# Concurrency: retrieval/answers are CPU-bound on a small server, so a few at a time; knowledge-base writes
# one at a time; quick reads many at a time. Every event has its own queue group, so a long upload or exam
# never holds up chat.
CHAT_LIMIT = 4
HEAVY_LIMIT = 2
READ_LIMIT = 8

CSS = """
.xf-cite{border:1px solid var(--border-color-primary);border-left:4px solid #b91c1c;border-radius:6px;
  padding:8px 10px;margin:8px 0;background:var(--background-fill-secondary)}
.xf-cite-head,.xf-law-title{font-weight:600}
.xf-law-title{font-size:1.1em;margin:4px 0}
.xf-cite-meta{color:var(--body-text-color-subdued);font-size:.9em;margin:2px 0}
.xf-cite-text{margin:6px 0;padding-left:8px;border-left:2px solid var(--border-color-primary);white-space:normal}
.xf-cite-note{color:#b45309;font-size:.9em}
.status-ok{color:#15803d;font-weight:600;margin:0 4px}
.status-warn{color:#b91c1c;font-weight:600;margin:0 4px}
.xf-sub{font-weight:600;margin:12px 0 4px}
.xf-empty{color:var(--body-text-color-subdued);padding:8px}
.xf-article{margin:6px 0;padding:4px 6px}
.xf-focus{background:#fef3c7;border-radius:4px}
.xf-article-label{font-weight:600;margin-right:4px}
.xf-path{font-weight:400;color:var(--body-text-color-subdued);font-size:.85em}
.xf-score{font-size:1.4em;margin:8px 0}
.xf-chart{margin:8px 0 12px}
.xf-bar-row{display:flex;align-items:center;gap:8px;margin:4px 0}
.xf-bar-label{width:34%;text-align:right;font-size:.9em}
.xf-bar{flex:1;background:var(--background-fill-secondary);border-radius:4px;height:16px;overflow:hidden}
.xf-bar-fill{background:#b91c1c;height:100%}
.xf-bar-value{width:120px;font-size:.9em}
.xf-item{border-bottom:1px dashed var(--border-color-primary);padding:6px 0}
.xf-wrong b:first-child{color:#b91c1c}
.xf-right b:first-child{color:#15803d}
.xf-expl{color:var(--body-text-color-subdued);font-size:.92em;margin-top:2px}
#xf-countdown{font-size:1.3em;font-weight:600;color:#b91c1c}
#xf-header h2{margin-bottom:0}
"""

COUNTDOWN_JS = """
() => {
  if (window.__xfTimer) { clearInterval(window.__xfTimer); window.__xfTimer = null; }
  const start = Date.now();
  const tick = () => {
    const el = document.querySelector('#xf-countdown [data-seconds]');
    if (!el) return;
    const total = parseInt(el.dataset.seconds || '0', 10);
    const left = Math.max(0, total - Math.floor((Date.now() - start) / 1000));
    const m = Math.floor(left / 60), s = left % 60;
    el.textContent = '剩余时间 ' + m + ' 分 ' + String(s).padStart(2, '0') + ' 秒';
    if (left <= 0) {
      clearInterval(window.__xfTimer); window.__xfTimer = null;
      el.textContent = '时间到，已自动交卷';
      const btn = document.querySelector('#xf-submit');
      if (btn) btn.click();
    }
  };
  setTimeout(tick, 300);
  window.__xfTimer = setInterval(tick, 1000);
  window.__xfStop = () => { if (window.__xfTimer) { clearInterval(window.__xfTimer); window.__xfTimer = null; } };
}
"""

STOP_JS = "(...args) => { if (window.__xfStop) window.__xfStop(); return args; }"

EXAMPLES = ["监察机关可以采取哪些调查措施？", "公职人员受到记过处分的期间是多久？",
            "生产经营单位的主要负责人有哪些安全生产职责？", "东平湖保护条例对渔业养殖有什么规定？"]


def _wrap(fn):
    """Turn xuefa errors into gr.Error with a plain-Chinese message."""

    @functools.wraps(fn)
    def inner(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:  # noqa: BLE001 - shown to the user as a message, logged when internal
            raise gr.Error(h.user_message(exc), print_exception=False) from exc

    return inner


def _wrap_gen(fn):

    @functools.wraps(fn)
    def inner(*args, **kwargs):
        try:
            yield from fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as exc:  # noqa: BLE001
            raise gr.Error(h.user_message(exc), print_exception=False) from exc

    return inner


def theme():
    return gr.themes.Default(primary_hue="red", secondary_hue="slate", neutral_hue="slate", font=FONTS,
                             font_mono=MONO)


def build_app(services, ctx: h.WebContext | None = None):
    """The Blocks app over `services` (nothing is launched)."""
    ctx = ctx or h.WebContext.from_services(services)
    mb = services.settings.max_upload_mb

    def who(request: gr.Request | None):
        return ctx.user(getattr(request, "username", None) if request is not None else None)

    with gr.Blocks(title="学法助手", analytics_enabled=False) as demo:
        demo.xuefa_context = ctx  # for tests and the benchmark
        with gr.Row(elem_id="xf-header"):
            gr.Markdown("## 学法助手\n法律法规问答 · 任前法律知识考试 · 会前学法", elem_id="xf-title")
            who_md = gr.Markdown("", elem_id="xf-user")
            if not ctx.local_mode:
                gr.Button("退出登录", link="/logout", size="sm", scale=0, min_width=100)

        with gr.Tabs(elem_id="xf-tabs"):
            # ---------------------------------------------------------------- 问答
            with gr.Tab("问答", id="ask", elem_id="tab-ask"):
                turns = gr.State([])
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="问答", height=520, elem_id="xf-chat", feedback_options=None,
                                             buttons=["copy"], sanitize_html=True,
                                             placeholder="请输入关于法律法规的问题；答案只依据知识库中的法条原文。")
                        with gr.Row():
                            msg = gr.Textbox(show_label=False, placeholder="输入问题后按回车，例如：监察机关可以采取哪些调查措施？",
                                             scale=5, max_length=2000, elem_id="xf-question")
                            send = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="xf-send")
                        with gr.Row():
                            law_pick = gr.Dropdown(label="限定法规（可选）", choices=[], value=None,
                                                   allow_custom_value=True, scale=3)
                            new_chat = gr.Button("新对话", scale=1, min_width=80)
                        gr.Examples(EXAMPLES, inputs=[msg], label="示例问题")
                    with gr.Column(scale=2):
                        cites = gr.HTML(h.citations_html(None), label="依据法条", elem_id="xf-cites")
                        with gr.Row():
                            pick = gr.Dropdown(label="查看法条全文及前后条", choices=[], value=None, scale=3)
                            show = gr.Button("查看", scale=1, min_width=60)
                        article_view = gr.HTML("", elem_id="xf-article")

            # ---------------------------------------------------------------- 考试
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
                    minutes = gr.Number(pv["minutes"], label="时间（分钟）", precision=0, minimum=1,
                                        elem_id="xf-minutes")
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
                    notes = "；".join(view["notes"])
                    gr.Markdown(h.md_safe(
                        f"### {view['title']}\n共 {len(view['items'])} 题，满分 {view['total']:g} 分，"
                        f"合格线 {view['pass_mark']:g} 分，限时 {view['minutes']} 分钟。"
                        f"范围：{'、'.join(view['scope'])}" + (f"\n\n注意：{notes}" if notes else "")))
                    comps = []
                    for it in view["items"]:
                        label = f"{it['number']}. [{it['type']}] {it['stem']}（{it['points']:g} 分）"
                        if it["type"] == "多选":
                            c = gr.CheckboxGroup(it["choices"], label=label, elem_classes=["xf-q"])
                        elif it["type"] == "填空":
                            c = gr.Textbox(label=label, max_length=200, elem_classes=["xf-q"])
                        else:
                            c = gr.Radio(it["choices"], label=label, elem_classes=["xf-q"])
                        comps.append(c)
                    submit = gr.Button("交卷", variant="primary", elem_id="xf-submit")
                    submit.click(on_submit, [paper_state, *comps], [result, dl_key, mistakes_view, history_table],
                                 js=STOP_JS, concurrency_limit=HEAVY_LIMIT, api_visibility="private")

                result = gr.HTML("", elem_id="xf-result")
                dl_key = gr.DownloadButton("下载答案与解析（Word）", visible=False, elem_id="xf-dl-key")
                with gr.Accordion("错题本与考试记录", open=False):
                    mistakes_view = gr.HTML("", elem_id="xf-mistakes")
                    history_table = gr.Dataframe(headers=["时间", "试卷", "得分", "结果", "错题数"], interactive=False,
                                                 wrap=True)

            # ---------------------------------------------------------------- 会前学法
            with gr.Tab("会前学法", id="brief", elem_id="tab-brief"):
                with gr.Row():
                    topic = gr.Textbox(label="学习主题", placeholder="例如：安全生产、政府信息公开、东平湖保护",
                                       scale=3, max_length=200, elem_id="xf-topic")
                    brief_laws = gr.Textbox(label="指定法规（可选，逗号分隔）", scale=2)
                    length = gr.Radio([("标准", "standard"), ("简短", "short")], value="standard", label="篇幅",
                                      scale=1)
                with gr.Row():
                    brief_btn = gr.Button("生成学习材料", variant="primary", elem_id="xf-brief")
                    dl_brief = gr.DownloadButton("下载 Word", visible=False, elem_id="xf-dl-brief")
                brief_md = gr.Markdown("", sanitize_html=True, elem_id="xf-brief-preview", container=True)

            # ---------------------------------------------------------------- 知识库 (admins only)
            with gr.Tab("知识库", id="kb", elem_id="tab-kb", visible=ctx.local_mode) as kb_tab:
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
                    doc_query = gr.Textbox(label="按标题筛选", scale=3)
                    doc_source = gr.Radio([("全部", ""), ("本地导入", "local"), ("国家法律库", "national")], value="",
                                          label="来源", scale=2)
                    refresh = gr.Button("刷新", scale=1, min_width=60)
                docs = gr.Dataframe(headers=h.DOC_HEADERS, interactive=False, wrap=True, max_height=420,
                                    elem_id="xf-docs")
                with gr.Row():
                    selected = gr.Textbox(label="选中的文档编号（点表格中的一行）", scale=3, elem_id="xf-selected")
                    view_btn = gr.Button("查看条文", scale=1)
                    del_btn = gr.Button("删除文档", variant="stop", scale=1)
                kb_status = gr.Markdown("")
                doc_view = gr.HTML("", elem_id="xf-doc-view")
                with gr.Accordion("知识库变更记录（审计日志）", open=False):
                    audit = gr.Dataframe(headers=h.AUDIT_HEADERS, interactive=False)

        # ================================================================ handlers
        @_wrap
        def on_load(request: gr.Request):
            user = who(request)
            laws = sorted(law.title for law in ctx.services.catalog.laws(statuses=("现行有效", "已被修改", "尚未生效")))
            tag = "（本机模式）" if ctx.local_mode else ""
            return (f"当前用户：**{h.md_safe(user.name)}**（{user.role}）{tag}", gr.update(visible=user.is_admin),
                    gr.update(choices=laws))

        demo.load(on_load, None, [who_md, kb_tab, law_pick], api_visibility="private")

        @_wrap_gen
        def on_chat(message, history, past, law, request: gr.Request):
            user = who(request)
            past = list(past or [])
            for hist, answer in h.chat_stream(ctx, user, message, history, turns=past, law=law):
                if answer is None:
                    yield hist, gr.skip(), gr.skip(), "", past
                else:
                    yield (hist, h.citations_html(answer), gr.update(choices=h.citation_choices(answer),
                                                                     value=None), "", past)

        chat_io = dict(inputs=[msg, chatbot, turns, law_pick], outputs=[chatbot, cites, pick, msg, turns],
                       concurrency_limit=CHAT_LIMIT, concurrency_id="chat")
        msg.submit(on_chat, api_name="chat", **chat_io)
        send.click(on_chat, api_visibility="private", **chat_io)
        new_chat.click(lambda: ([], [], h.citations_html(None), gr.update(choices=[], value=None), ""), None,
                       [chatbot, turns, cites, pick, article_view], api_visibility="private", queue=False)

        @_wrap
        def on_article(key, request: gr.Request):
            return h.article_html(ctx, who(request), key)

        show.click(on_article, [pick], [article_view], api_name="article", concurrency_limit=READ_LIMIT)
        pick.change(on_article, [pick], [article_view], api_visibility="private", concurrency_limit=READ_LIMIT)

        # ---- exam
        def on_preset(name):
            v = h.preset_values(name)
            return (v["single"], v["multi"], v["judge"], v["fill"], v["minutes"], v["p_single"], v["p_multi"],
                    v["p_judge"], v["p_fill"])

        preset.change(on_preset, [preset], [n_single, n_multi, n_judge, n_fill, minutes, p_single, p_multi,
                                            p_judge, p_fill], api_visibility="private", queue=False)

        def _paper_outputs(user, view):
            p, _ = h.export_paper(ctx, user, view["paper_id"], key=False)
            timer = f'<span data-seconds="{int(view["minutes"]) * 60}">剩余时间 {int(view["minutes"])} 分 00 秒</span>'
            return (view, timer, gr.update(value=p, visible=True), "", gr.update(value=None, visible=False))

        @_wrap
        def on_generate(preset_name, scope_text, ns, nm, nj, nf, mins, ps, pm, pj, pf, local, request: gr.Request):
            user = who(request)
            bp = h.make_blueprint(preset_name, scope_text, ns, nm, nj, nf, ps, pm, pj, pf, mins,
                                  include_local=local)
            return _paper_outputs(user, h.generate_paper(ctx, user, bp))

        exam_outputs = [paper_state, countdown, dl_paper, result, dl_key]
        gen.click(on_generate, [preset, scope, n_single, n_multi, n_judge, n_fill, minutes, p_single, p_multi,
                                p_judge, p_fill, include_local], exam_outputs, api_visibility="private",
                  concurrency_limit=HEAVY_LIMIT, concurrency_id="exam").then(None, js=COUNTDOWN_JS)

        @_wrap
        def on_practice(n, request: gr.Request):
            user = who(request)
            return _paper_outputs(user, h.practice_paper(ctx, user, n))

        practice.click(on_practice, [practice_n], exam_outputs, api_visibility="private",
                       concurrency_limit=HEAVY_LIMIT, concurrency_id="exam").then(None, js=COUNTDOWN_JS)

        @_wrap
        def on_submit(request: gr.Request, view, *values):
            user = who(request)
            if not view:
                raise gr.Error("请先生成试卷。")
            answers = {it["number"]: v for it, v in zip(view["items"], values)}
            res = h.grade_paper(ctx, user, view["paper_id"], answers)
            _, key = h.export_paper(ctx, user, view["paper_id"], paper=False)
            return (h.result_html(res), gr.update(value=key, visible=True), h.mistakes_html(ctx, user),
                    h.history_rows(ctx, user))

        @_wrap
        def on_exam_tab(request: gr.Request):
            user = who(request)
            return h.mistakes_html(ctx, user), h.history_rows(ctx, user)

        demo.load(on_exam_tab, None, [mistakes_view, history_table], api_visibility="private")

        # ---- brief
        @_wrap
        def on_brief(topic_text, laws_text, length_value, request: gr.Request):
            user = who(request)
            md, path, _ = h.write_brief(ctx, user, topic_text, laws_text, length_value)
            return md, gr.update(value=path, visible=True)

        brief_btn.click(on_brief, [topic, brief_laws, length], [brief_md, dl_brief], api_name="brief",
                        concurrency_limit=HEAVY_LIMIT, concurrency_id="brief")
        topic.submit(on_brief, [topic, brief_laws, length], [brief_md, dl_brief], api_visibility="private",
                     concurrency_limit=HEAVY_LIMIT, concurrency_id="brief")

        # ---- knowledge base
        @_wrap
        def on_upload(paths, level_value, region_value, request: gr.Request, progress=gr.Progress()):
            user = who(request)

            def report(done, total, what):
                progress((done, total), desc=f"正在导入：{what}", unit="件")

            progress(0, desc="正在保存上传的文件")
            out = h.upload_documents(ctx, user, paths or [], None if level_value == "自动判断" else level_value,
                                     region_value, progress=report)
            return (out["summary"], out["rows"], h.list_documents(ctx, user), h.audit_rows(ctx, user),
                    gr.update(value=None))

        upload_btn.click(on_upload, [files, level, region], [upload_summary, upload_table, docs, audit, files],
                         api_name="upload", concurrency_limit=1, concurrency_id="kb-write")

        @_wrap
        def on_docs(query, source, request: gr.Request):
            user = who(request)
            return h.list_documents(ctx, user, query, source), h.audit_rows(ctx, user)

        @_wrap
        def on_docs_load(query, source, request: gr.Request):
            if not who(request).is_admin:  # the tab is hidden for learners: nothing to load
                return gr.skip(), gr.skip()
            return on_docs(query, source, request)

        refresh.click(on_docs, [doc_query, doc_source], [docs, audit], api_name="documents",
                      concurrency_limit=READ_LIMIT)
        doc_query.submit(on_docs, [doc_query, doc_source], [docs, audit], api_visibility="private")
        doc_source.change(on_docs, [doc_query, doc_source], [docs, audit], api_visibility="private")
        demo.load(on_docs_load, [doc_query, doc_source], [docs, audit], api_visibility="private")

        def on_select(evt: gr.SelectData, table):
            try:
                row = evt.index[0]
                return table.iloc[row, 0] if hasattr(table, "iloc") else table[row][0]
            except Exception:  # noqa: BLE001 - a click outside the rows
                return gr.skip()

        docs.select(on_select, [docs], [selected], api_visibility="private", queue=False)

        @_wrap
        def on_view(law_id, request: gr.Request):
            return h.document_html(ctx, who(request), law_id)

        view_btn.click(on_view, [selected], [doc_view], api_name="document", concurrency_limit=READ_LIMIT)
        selected.submit(on_view, [selected], [doc_view], api_visibility="private")

        @_wrap
        def on_delete(law_id, query, source, request: gr.Request):
            user = who(request)
            msg_text = h.delete_document(ctx, user, law_id)
            return msg_text, h.list_documents(ctx, user, query, source), h.audit_rows(ctx, user), "", ""

        del_btn.click(on_delete, [selected, doc_query, doc_source], [kb_status, docs, audit, selected, doc_view],
                      api_name="delete", concurrency_limit=1, concurrency_id="kb-write")

        # ---- API-only endpoints (JSON in, JSON out) for scripts and the benchmark
        @_wrap
        def ask(question: str, law: str = "", request: gr.Request = None) -> dict:
            """问答：返回答案、引用（含原文、时效性、施行日期）和提示。"""
            return h.ask(ctx, who(request), question, law)

        gr.api(ask, api_name="ask", concurrency_limit=CHAT_LIMIT, concurrency_id="chat")

        @_wrap
        def exam_generate(preset: str = "任前法律知识考试", laws: str = "", single: int = -1, multi: int = -1,
                          judge: int = -1, fill: int = -1, minutes: int = 0, seed: int = -1,
                          request: gr.Request = None) -> dict:
            """按预设（可改题量）出卷；返回不含答案的试卷和 paper_id。"""
            user = who(request)
            opt = lambda v: None if v is None or v < 0 else v  # noqa: E731
            bp = h.make_blueprint(preset, laws, opt(single), opt(multi), opt(judge), opt(fill), minutes=minutes or None,
                                  seed=opt(seed))
            return h.generate_paper(ctx, user, bp)

        gr.api(exam_generate, api_name="exam_generate", concurrency_limit=HEAVY_LIMIT, concurrency_id="exam")

        @_wrap
        def exam_submit(paper_id: str, answers: dict, request: gr.Request = None) -> dict:
            """交卷：answers 为 {题号: 答案}；返回得分、各法规得分、逐题答案与解析。"""
            return h.grade_paper(ctx, who(request), paper_id, answers)

        gr.api(exam_submit, api_name="exam_submit", concurrency_limit=HEAVY_LIMIT)

    return demo


def launch(demo, settings, **kwargs) -> Any:
    """Launch with xuefa's settings: loopback-only without users, login with users, nothing from the internet."""
    ctx: h.WebContext = demo.xuefa_context
    check_bind(settings.host, ctx.users)
    if not ctx.local_mode and ctx.users.empty:
        raise h.XuefaError("用户文件已被清空，请重新添加用户后再启动。")
    exports = settings.home / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    demo.queue(default_concurrency_limit=HEAVY_LIMIT, max_size=256)
    options = dict(
        server_name=settings.host, server_port=settings.port,
        auth=None if ctx.local_mode else ctx.users.verify,
        auth_message="请使用管理员为您分配的账号登录。",
        footer_links=[], ssr_mode=False, show_error=False, quiet=False,
        max_file_size=f"{int(settings.max_upload_mb)}mb", allowed_paths=[str(exports)],
        theme=theme(), css=CSS, max_threads=40, pwa=False, mcp_server=False,
    )
    options.update(kwargs)
    return demo.launch(**options)


__all__ = ["build_app", "launch", "theme", "ADMIN"]
