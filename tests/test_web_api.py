"""The launched web app through gradio_client: login, roles, chat, exam, brief, knowledge base, offline page."""

from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest

PASSWORD = "河道-管理-2026-春"  # not on the refused common-password list


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(services, users_dir, users=(("admin", "管理员"), ("learner", "学员"))):
    """Launch the app in-process on a free port with users created in `users_dir`; yields (url, ctx)."""
    from assistant.web.ui import build_app, launch

    from .test_web_handlers import web_context

    ctx = web_context(services, users_dir)
    for name, role in users:
        if ctx.accounts.get(name) is None:
            ctx.accounts.add(name, PASSWORD, role=role)
    ctx.local_mode = False
    demo = build_app(ctx.services, ctx)
    port = free_port()
    launch(demo, ctx.settings, server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/", ctx
    finally:
        demo.close()


@pytest.fixture(scope="module")
def app(services_small, tmp_path_factory):
    with running_app(services_small, tmp_path_factory.mktemp("web-users")) as (url, ctx):
        yield url, ctx


def client(url, user="learner"):
    from gradio_client import Client

    return Client(url, auth=(user, PASSWORD), verbose=False, download_files=False)


def test_login_required(app):
    from gradio_client import Client

    url, _ = app
    with pytest.raises(Exception):
        Client(url, verbose=False)
    with pytest.raises(Exception):
        Client(url, auth=("learner", "wrong password"), verbose=False)
    assert "/ask" in client(url).view_api(return_format="dict", print_info=False)["named_endpoints"]


def test_ask_returns_citations_with_text_status_date(app):
    url, _ = app
    r = client(url).predict("公职人员受到记过处分的期间是多久？", "", api_name="/ask")
    assert r["supported"] and r["citations"]
    c = r["citations"][0]
    assert c["text"] and c["status"] and "effective_date" in c and "政务处分法" in c["law"]


def test_chat_streams_and_shows_citations(app):
    url, _ = app
    job = client(url).submit("监察机关可以采取哪些调查措施？", [], None, api_name="/chat")
    history, cites, pick, box = job.result(timeout=120)
    assert history[-1]["role"] == "assistant" and box == ""
    assert "xf-cite" in cites and "监察法" in cites and "现行有效" in cites
    assert len(job.outputs()) >= 2  # streamed: at least the placeholder and the final answer


def test_roles_enforced_over_the_api(app):
    url, _ = app
    learner = client(url)
    for args, api in ((("", ""), "/documents"), (("nat-x",), "/document"), (("nat-x", "", ""), "/delete")):
        try:
            out = learner.predict(*args, api_name=api)
        except Exception as exc:  # noqa: BLE001 - refused with gr.Error
            assert "管理员" in str(exc), exc  # PermissionDenied, not some other failure
        else:
            raise AssertionError(f"{api} answered a learner: {out!r}")
    rows = client(url, "admin").predict("监察法", "", api_name="/documents")[0]
    assert any("监察法" in str(r) for r in rows["data"])


def _key(ctx, paper_id):
    from assistant.db import PaperRepo
    from assistant.exam import Paper

    paper = Paper.from_json(PaperRepo(ctx.services.db).get(paper_id).data)
    return {str(it.number): it.answer for it in paper.items}


def test_exam_over_the_api(app):
    url, ctx = app
    c = client(url)
    paper = c.predict("任前法律知识考试", "监察法", 3, 0, 2, 0, 10, api_name="/exam_generate")
    assert len(paper["items"]) == 5 and all("answer" not in it for it in paper["items"])
    assert not paper["official"] and "seed" not in str(paper)
    res = c.predict(paper["paper_id"], _key(ctx, paper["paper_id"]), api_name="/exam_submit")
    assert res["score"] == res["total"] and res["passed"]
    with pytest.raises(Exception):
        client(url, "admin").predict(paper["paper_id"], {}, api_name="/exam_submit")  # another user's paper


def test_official_paper_over_the_api_cannot_be_replayed(app):
    """Issue #11's attack: a client seed, a blank submit returning the key, the same seed regenerating the paper.
    The API takes no seed; a blank submit is recorded before the key comes back; the next paper is a new draw."""
    url, ctx = app
    c = client(url)
    api = c.view_api(print_info=False, return_format="dict")["named_endpoints"]
    for name in ("/exam_generate", "/exam_start", "/exam_submit"):
        params = [p.get("parameter_name") for p in api[name]["parameters"]]
        assert "seed" not in params, (name, params)  # no seed reaches the server from a client
    first = c.predict(False, "", api_name="/exam_start")
    assert first["official"] and first["seconds_left"] > 0
    assert c.predict(False, "", api_name="/exam_start")["paper_id"] == first["paper_id"]  # resumed, not redrawn
    blank = c.predict(first["paper_id"], {}, api_name="/exam_submit")
    assert blank["score"] == 0 and not blank["passed"]
    keys = {str(r["number"]): r["key"] for r in blank["items"]}
    again = c.predict(first["paper_id"], keys, api_name="/exam_submit")
    assert again["score"] == 0 and not again["passed"]  # the recorded attempt stands
    second = c.predict(False, "", api_name="/exam_start")
    assert second["paper_id"] != first["paper_id"]
    assert not c.predict(second["paper_id"], keys, api_name="/exam_submit")["passed"]


def test_brief_over_the_api(app):
    url, _ = app
    md, doc = client(url).predict("政府信息公开", "", "short", api_name="/brief")
    assert md.startswith("# 会前学法材料") and "政府信息公开" in md  # the .docx download: see test_browser


def test_page_loads_nothing_from_the_internet(app):
    url, _ = app
    import json
    import re

    import http.cookiejar
    import urllib.parse

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = urllib.parse.urlencode({"username": "learner", "password": PASSWORD}).encode()
    opener.open(url + "login", data=form, timeout=30)
    page = opener.open(url, timeout=30).read().decode("utf-8")
    external = [u for u in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page)
                if not u.startswith(url.rstrip("/"))]
    assert not external, external
    cfg = json.loads(opener.open(url + "config", timeout=30).read().decode("utf-8"))
    blob = json.dumps(cfg)
    assert "fonts.googleapis" not in blob and cfg.get("footer_links") == []
    css = opener.open(url + "theme.css", timeout=30).read().decode("utf-8")
    assert "googleapis" not in css and "WenQuanYi Micro Hei" in css
