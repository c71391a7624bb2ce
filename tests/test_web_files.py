"""Exports are served only to their owner and administrators; only administrators upload, and uploaded temp
files do not pile up (the launched app over HTTP)."""

from __future__ import annotations

import http.cookiejar
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from .test_web_api import PASSWORD, running_app

USERS = (("admin", "管理员"), ("learner", "学员"), ("learner2", "学员"))


@pytest.fixture(scope="module")
def app(services_small, tmp_path_factory):
    with running_app(services_small, tmp_path_factory.mktemp("files-users"), users=USERS) as (url, ctx):
        yield url, ctx


def session(url, user):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = urllib.parse.urlencode({"username": user, "password": PASSWORD}).encode()
    assert opener.open(url + "login", data=form, timeout=60).status == 200
    return opener


def fetch(opener, url, data=None, headers=None):
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def file_url(url, path) -> str:
    return url + "gradio_api/file=" + urllib.parse.quote(str(path))


def test_exports_only_for_their_owner_and_admins(app):
    from gradio_client import Client

    url, ctx = app
    client = Client(url, auth=("learner", PASSWORD), verbose=False, download_files=False)
    _, doc = client.predict("政府信息公开", "", "short", api_name="/brief")
    filedata = doc.get("value", doc)  # gr.update(value=<file>, visible=True)
    cached = filedata["path"]  # Gradio's cached copy the download button points at
    assert not Path(cached).is_relative_to(ctx.settings.home), cached
    exported = next((ctx.settings.home / "exports").glob("learner/*/*.docx"))
    owner, other, admin = session(url, "learner"), session(url, "learner2"), session(url, "admin")
    for target in (cached, exported):
        status, body = fetch(owner, file_url(url, target))
        assert status == 200 and body[:2] == b"PK", (target, status)
        status, body = fetch(other, file_url(url, target))
        assert status == 403 and "只有本人和管理员" in json.loads(body)["detail"], (target, status, body)
        assert fetch(admin, file_url(url, target))[0] == 200


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_learners_cannot_upload_and_admin_uploads_are_cleaned(app):
    import gradio as gr
    from gradio_client import Client, handle_file

    url, ctx = app
    body, ctype = multipart("垃圾.txt", b"x" * 1000)
    status, answer = fetch(session(url, "learner2"), url + "gradio_api/upload", data=body,
                           headers={"Content-Type": ctype})
    assert status == 403 and "只有管理员可以上传" in json.loads(answer)["detail"]

    name = f"河道管理条例{uuid.uuid4().hex[:8]}.txt"
    src = Path(gr.utils.get_upload_folder()).parent / name
    src.write_text("某县河道管理规定\n\n第一条 为了加强河道管理，制定本规定。\n\n第二条 本规定自2024年1月1日起施行。\n",
                   encoding="utf-8")
    try:
        admin = Client(url, auth=("admin", PASSWORD), verbose=False, download_files=False)
        summary, rows, *_ = admin.predict([handle_file(str(src))], "自动判断", "", api_name="/upload")
        assert "新增 1 件" in summary, summary
        left = list(Path(gr.utils.get_upload_folder()).rglob(name))
        assert left == [], left  # the temp copy Gradio made is gone; the kept copy is under <home>/uploads
        assert list((ctx.settings.uploads_dir).rglob(name))
    finally:
        src.unlink(missing_ok=True)
        law = next((l for l in ctx.services.catalog.laws(source="local") if l.title == "某县河道管理规定"), None)
        if law is not None:  # services_small is shared: leave it as it was
            ctx.services.kb.remove_document(law.law_id)
