"""The 单位与用户 tab (管理员 and 单位管理员): unit tree, users, Excel import, password reset, disabling."""

from __future__ import annotations

import gradio as gr

from assistant.db import ROLES

from .. import org as o
from .common import READ_LIMIT, App, wrap


def build(app: App) -> None:
    ctx = app.ctx
    with gr.Tab("单位与用户", id="org", elem_id="tab-org", visible=False) as tab:
        with gr.Row():
            with gr.Column(scale=1):
                gr.Markdown("### 单位")
                tree = gr.HTML("", elem_id="xf-unit-tree")
                unit_name = gr.Textbox(label="新单位名称", elem_id="xf-unit-name")
                unit_parent = gr.Dropdown(label="上级单位（不选为顶级）", choices=[], value=None, elem_id="xf-unit-parent")
                add_unit_btn = gr.Button("添加单位", elem_id="xf-unit-add")
            with gr.Column(scale=2):
                gr.Markdown("### 批量导入用户（Excel）")
                with gr.Row():
                    sheet = gr.File(label="用户名单（.xlsx；列：用户名、姓名、单位、职务级别、角色、初始密码）",
                                    file_types=[".xlsx"], type="filepath", elem_id="xf-import-file")
                    with gr.Column(scale=0, min_width=160):
                        import_btn = gr.Button("导入", variant="primary", elem_id="xf-import")
                        template_btn = gr.Button("生成导入模板", elem_id="xf-template")
                        template_file = gr.DownloadButton("下载模板", visible=False, elem_id="xf-dl-template")
                import_summary = gr.Markdown("", elem_id="xf-import-summary")
                import_table = gr.Dataframe(headers=o.IMPORT_HEADERS, interactive=False, wrap=True,
                                            elem_id="xf-import-table")
        gr.Markdown("### 用户")
        with gr.Row():
            filter_unit = gr.Dropdown(label="按单位筛选", choices=[], value=None, scale=3)
            refresh = gr.Button("刷新", scale=1, min_width=60)
        users = gr.Dataframe(headers=o.USER_HEADERS, interactive=False, wrap=True, max_height=380,
                             elem_id="xf-users")
        with gr.Accordion("添加用户", open=False):
            with gr.Row():
                new_name = gr.Textbox(label="用户名")
                new_display = gr.Textbox(label="姓名")
                new_unit = gr.Dropdown(label="单位", choices=[], value=None)
                new_level = gr.Textbox(label="职务级别（如 副科级）")
                new_role = gr.Dropdown(list(ROLES), value="学员", label="角色")
                new_password = gr.Textbox(label="初始密码（至少 8 位）", type="password")
            add_user_btn = gr.Button("添加用户")
        with gr.Accordion("重设密码 / 停用", open=False):
            with gr.Row():
                target = gr.Textbox(label="用户名", elem_id="xf-target-user")
                password = gr.Textbox(label="新密码（至少 8 位）", type="password")
                reset_btn = gr.Button("重设密码")
                disable_btn = gr.Button("停用", variant="stop")
                enable_btn = gr.Button("启用")
        status = gr.Markdown("", elem_id="xf-org-status")

    def _refresh(user, unit=None):
        choices = o.unit_choices(ctx, user)
        return (o.units_html(ctx, user), gr.update(choices=choices), gr.update(choices=choices),
                gr.update(choices=choices), o.user_rows(ctx, user, unit))

    lists = [tree, unit_parent, filter_unit, new_unit, users]

    @wrap
    def on_load(request: gr.Request):
        user = app.who(request)
        if not user.manages_units or app.local_mode:
            return (gr.update(visible=False), *[gr.skip()] * len(lists))
        return (gr.update(visible=True), *_refresh(user))

    app.demo.load(on_load, None, [tab, *lists], api_visibility="private")

    @wrap
    def on_add_unit(name, parent, request: gr.Request):
        user = app.who(request)
        return (o.add_unit(ctx, user, name, parent), "", *_refresh(user))

    add_unit_btn.click(on_add_unit, [unit_name, unit_parent], [status, unit_name, *lists], api_visibility="private",
                       concurrency_limit=1, concurrency_id="org-write")

    @wrap
    def on_import(file, request: gr.Request):
        user = app.who(request)
        summary, rows = o.import_users(ctx, user, file)
        return (summary, rows, *_refresh(user))

    import_btn.click(on_import, [sheet], [import_summary, import_table, *lists], api_visibility="private",
                     concurrency_limit=1, concurrency_id="org-write")

    @wrap
    def on_template(request: gr.Request):
        return gr.update(value=o.template(ctx, app.who(request)), visible=True)

    template_btn.click(on_template, None, [template_file], api_visibility="private")

    @wrap
    def on_users(unit, request: gr.Request):
        return o.user_rows(ctx, app.who(request), unit)

    refresh.click(on_users, [filter_unit], [users], api_visibility="private", concurrency_limit=READ_LIMIT)
    filter_unit.change(on_users, [filter_unit], [users], api_visibility="private", concurrency_limit=READ_LIMIT)

    @wrap
    def on_add_user(name, display, unit, level, role, pw, request: gr.Request):
        user = app.who(request)
        return (o.add_user(ctx, user, name, display, unit, level, role, pw), "", "", *_refresh(user))

    add_user_btn.click(on_add_user, [new_name, new_display, new_unit, new_level, new_role, new_password],
                       [status, new_name, new_password, *lists], api_visibility="private",
                       concurrency_limit=1, concurrency_id="org-write")

    @wrap
    def on_reset(name, pw, request: gr.Request):
        return o.reset_password(ctx, app.who(request), name, pw), ""

    reset_btn.click(on_reset, [target, password], [status, password], api_visibility="private")

    def _disable(flag):
        @wrap
        def handler(name, request: gr.Request):
            user = app.who(request)
            return o.set_disabled(ctx, user, name, flag), o.user_rows(ctx, user)

        return handler

    disable_btn.click(_disable(True), [target], [status, users], api_visibility="private")
    enable_btn.click(_disable(False), [target], [status, users], api_visibility="private")
