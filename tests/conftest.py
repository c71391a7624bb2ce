"""Shared fixtures: real parts everywhere (Chroma in a temp dir, the bundled USE model, real documents);
only the LLM is faked, and any network connection beyond loopback fails the test."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
for _var in ("XUEFA_LLM_BASE_URL", "XUEFA_LLM_MODEL", "XUEFA_LLM_API_KEY", "XUEFA_CHROMA_URL",
             "XUEFA_EMBEDDING_MODEL", "XUEFA_HOME"):
    os.environ.pop(_var, None)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
LOCAL_CORPUS = SHARED / "corpus" / "local"

# The national laws the small knowledge base carries: enough for Ask, Exams and Briefs tests.
SMALL_NATIONAL = (
    "中华人民共和国宪法",
    "中华人民共和国监察法",
    "中华人民共和国公职人员政务处分法",
    "中华人民共和国安全生产法",
    "中华人民共和国行政处罚法",
    "中华人民共和国行政许可法",
    "中华人民共和国生态环境法典",
)


class NetworkBlocked(RuntimeError):
    pass


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # unix socket
        return True
    host = address[0] if isinstance(address, tuple) else address
    return host in ("localhost", "::1", "0.0.0.0") or str(host).startswith("127.")


def _guarded_connect(self, address):
    if not _is_local(address):
        raise NetworkBlocked(f"tests may not reach the network: {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    if not _is_local(address):
        raise NetworkBlocked(f"tests may not reach the network: {address!r}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def block_network():
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    yield
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex


def shared_corpus() -> Path:
    """../shared/corpus/local, or skip the test where it is absent."""
    if not LOCAL_CORPUS.is_dir():
        from tests.docgen import missing_shared

        missing_shared(LOCAL_CORPUS)
    return LOCAL_CORPUS


@pytest.fixture(scope="session")
def embeddings():
    """The real default embedding model, loaded once per test session."""
    from knowledge.embeddings import make_embeddings

    return make_embeddings(None)


def add_national(kb, titles=SMALL_NATIONAL) -> None:
    """Put the current versions of some national laws into a knowledge base, indexed."""
    from ingest.national import read_national

    wanted = set(titles)
    for law, articles in read_national():
        if law.title in wanted and law.is_current:
            kb.catalog.add(law, articles)
    kb.ensure_indexes()


def make_services(home: Path, embeddings, national=SMALL_NATIONAL, local: bool = True, llm=None):
    """Real services over a temp data dir with a subset of the national corpus (+ ../shared local regulations)."""
    from assistant.config import Settings
    from assistant.services import build_services

    settings = Settings(home=home, national=False)
    services = build_services(settings, embeddings=embeddings, llm=llm, load_national=False)
    add_national(services.kb, national)
    if local:
        report = services.ingest([shared_corpus()])
        assert not report.to_json()["failed"], report.to_json()["failed"]
    return services


@pytest.fixture(scope="session")
def services_small(tmp_path_factory, embeddings):
    """Session-wide real services: 宪法, 监察法, 政务处分法, 安全生产法, 行政处罚法, 行政许可法, 生态环境法典 and
    (when ../shared is there) the six local regulations. Treat as read-only; use `kb_factory` to change things."""
    return make_services(tmp_path_factory.mktemp("xuefa-small"), embeddings)


@pytest.fixture(scope="session")
def kb_small(services_small):
    return services_small.kb


@pytest.fixture
def services_factory(tmp_path, embeddings):
    """Build fresh, writable services: services_factory(national=(titles...), local=False, llm=None)."""
    counter = {"n": 0}

    def make(national=("中华人民共和国监察法",), local: bool = False, llm=None):
        counter["n"] += 1
        return make_services(tmp_path / f"kb{counter['n']}", embeddings, national=national, local=local, llm=llm)

    return make


@pytest.fixture
def kb_factory(services_factory):
    """Build a fresh, writable knowledge base: kb_factory(national=(titles...), local=False)."""

    def make(national=("中华人民共和国监察法",), local: bool = False):
        return services_factory(national=national, local=local).kb

    return make


# ---- databases: every db test runs on SQLite and on PostgreSQL ------------------------------------------
POSTGRES_URL_VAR = "XUEFA_TEST_POSTGRES_URL"  # set by .ci/run (bash .ci/postgres.sh start)


def postgres_admin_url() -> str:
    """The test PostgreSQL server's URL; skip without one, but fail loudly under CI=true."""
    url = os.environ.get(POSTGRES_URL_VAR)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {POSTGRES_URL_VAR} is not set: .ci/run must start PostgreSQL")
        pytest.skip(f"no PostgreSQL test server ({POSTGRES_URL_VAR} not set; see .ci/postgres.sh)")
    return url


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh, empty database URL: SQLite in a temp dir, or a new database on the PostgreSQL test server."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite:///{tmp_path / 'xuefa.sqlite3'}"
        return
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = postgres_admin_url()
    name = f"xf_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        pytest.fail(f"PostgreSQL test server at {admin_url} is not reachable: {exc}")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def pytest_generate_tests(metafunc):
    """Tests taking `database_url` or `db` run once per backend."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db(database_url):
    """A migrated `assistant.db.Database` on each backend."""
    from assistant.db import Database

    database = Database(database_url)
    yield database
    database.close()
