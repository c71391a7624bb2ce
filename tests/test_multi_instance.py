"""Two app instances (separate processes) sharing one data dir, one PostgreSQL database and one Chroma server:
each sees the other's accounts, ingested documents (catalog, lexical and vector search) and exam records.
Under CI=true the PostgreSQL server and the `chroma` server binary must be there."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from .conftest import REPO, postgres_admin_url

DOC = """某县河道管理办法

第一条 为了加强河道管理，保障防洪安全，发挥江河湖泊的综合效益，制定本办法。

第二条 县人民政府水行政主管部门是本县的河道主管机关，负责本行政区域内河道的统一管理。

第三条 在河道管理范围内，禁止倾倒垃圾、渣土，禁止设置拦河渔具。

第四条 在河道管理范围内采砂的，应当向河道主管机关提出申请，河道主管机关应当自受理申请之日起二十日内作出决定。

第五条 违反本办法第三条规定的，由河道主管机关责令停止违法行为，限期清除障碍，可以处五千元以上五万元以下的罚款。

第六条 河道主管机关工作人员玩忽职守、滥用职权的，由其所在单位或者上级主管机关给予处分。

第七条 本办法自2026年1月1日起施行。
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(path):
    exe = shutil.which("chroma")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the `chroma` server binary (from the chromadb package) is missing")
        pytest.skip("no `chroma` server binary")
    port = _port()
    proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Instance:
    def __init__(self, env):
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.instance_worker"], cwd=REPO, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline()
        if not first:
            raise AssertionError(self.proc.stderr.read()[-3000:])
        assert json.loads(first)["ready"]

    def __call__(self, **cmd):
        self.proc.stdin.write(json.dumps(cmd, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        out = json.loads(self.proc.stdout.readline())
        assert "error" not in out, out
        return out

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


@pytest.mark.slow
def test_two_instances_share_postgres_and_chroma(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("the shared-database deployment is PostgreSQL (the SQLite run is the single-host default)")
    postgres_admin_url()
    with chroma_server(tmp_path / "chroma") as chroma_url:
        env = dict(os.environ, XUEFA_HOME=str(tmp_path / "home"), XUEFA_DATABASE_URL=database_url,
                   XUEFA_CHROMA_URL=chroma_url, XUEFA_NATIONAL="false", HF_HUB_OFFLINE="1",
                   PYTHONPATH=str(REPO))
        a, b = Instance(env), Instance(env)
        try:
            a(op="add_user", name="zhangsan")
            assert "zhangsan" in b(op="users")["users"]
            doc = tmp_path / "某县河道管理办法.txt"
            doc.write_text(DOC, encoding="utf-8")
            assert len(a(op="ingest", path=str(doc))["added"]) == 1
            assert "某县河道管理办法" in b(op="laws")["laws"]  # B's catalog noticed A's write
            assert "某县河道管理办法" in b(op="search", q="河道管理范围内禁止倾倒垃圾")["hits"]
            graded = b(op="exam", law="某县河道管理办法", user="zhangsan")
            assert graded["items"] >= 1 and graded["score"] == 0
            seen = a(op="mistakes", user="zhangsan")
            assert seen["history"] == 1 and seen["wrong"] >= 1  # A sees B's exam record and mistakes
        finally:
            a.close()
            b.close()
