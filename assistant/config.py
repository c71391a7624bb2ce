"""Settings, read from the environment (prefix XUEFA_) and an optional .env file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_home() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("xuefa", appauthor=False))


class Settings(BaseSettings):
    """Everything an operator can set. Paths default to a data dir outside the repo."""

    model_config = SettingsConfigDict(env_prefix="XUEFA_", env_file=".env", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="数据目录：目录库、索引、用户数据")
    database_url: str | None = Field(
        None, description="用户与组织数据的数据库地址（如 postgresql+psycopg://用户:密码@主机/库名）；为空则用数据目录中的 SQLite")
    chroma_url: str | None = Field(None, description="Chroma 服务器地址（如 http://127.0.0.1:8000）；为空则用本地持久化目录")
    embedding_model: str | None = Field(
        None, description="sentence-transformers 模型的本地目录；为空则用内置的多语言 USE 模型")
    llm_base_url: str | None = Field(None, description="OpenAI 兼容接口地址（vLLM、Ollama、DeepSeek、Qwen）")
    llm_model: str | None = Field(None, description="大模型名称")
    llm_api_key: str | None = Field(None, description="大模型 API key")
    llm_temperature: float = 0.1
    host: str = "127.0.0.1"
    port: int = 7860
    max_upload_mb: int = Field(20, ge=1, description="单个导入文件大小上限（MB）")
    max_unpacked_mb: int = Field(50, ge=1, description="Word 文件解压后的总大小上限（MB），防压缩炸弹")
    max_zip_entries: int = Field(1000, ge=10, description="Word 文件内压缩成员个数上限")
    max_pdf_pages: int = Field(2000, ge=1, description="单个 PDF 页数上限")
    max_paragraphs: int = Field(20000, ge=100, description="单个文件段落（非空行）数上限")
    max_articles: int = Field(3000, ge=10, description="单个文件条文数上限（民法典 1260 条）")
    login_failures_per_account: int = Field(5, ge=1, description="同一账号在时间窗内允许的登录失败次数")
    login_failures_per_address: int = Field(
        30, ge=1, description="同一客户端地址在时间窗内允许的登录失败次数（整个单位共用一个出口地址时可调高）")
    login_window_minutes: int = Field(15, ge=1, description="登录失败计数的时间窗（分钟），超过次数后需等待")
    national: bool = Field(True, description="是否载入内置法规库")
    packs: str = Field("laws,xzfg,sfjs,bmgz,party,shandong",
                       description="载入哪些内置法规包（逗号分隔）：laws 法律、xzfg 行政法规、sfjs 司法解释、"
                                   "bmgz 部门规章、party 党内法规、shandong 山东省地方性法规")

    @property
    def pack_list(self) -> list[str]:
        from ingest.builtin import PACK_NAMES

        from knowledge.errors import ConfigError

        wanted = [p.strip() for p in self.packs.split(",") if p.strip()]
        unknown = [p for p in wanted if p not in PACK_NAMES]
        if unknown:
            raise ConfigError(f"XUEFA_PACKS 中有未知的法规包：{'、'.join(unknown)}；可选：{'、'.join(PACK_NAMES)}")
        return wanted

    @property
    def catalog_path(self) -> Path:
        return self.home / "catalog.sqlite3"

    @property
    def database_path(self) -> Path:
        """The default SQLite database (when database_url is not set)."""
        return self.home / "xuefa.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def users_dir(self) -> Path:
        return self.home / "users"

    @property
    def uploads_dir(self) -> Path:
        return self.home / "uploads"

    def ingest_limits(self):
        """The per-document limits ingest checks while reading (ingest.limits)."""
        from ingest.limits import MIB, IngestLimits

        return IngestLimits(max_bytes=self.max_upload_mb * MIB, max_unpacked_bytes=self.max_unpacked_mb * MIB,
                            max_zip_entries=self.max_zip_entries, max_pdf_pages=self.max_pdf_pages,
                            max_paragraphs=self.max_paragraphs, max_articles=self.max_articles)

    def login_policy(self):
        """Login throttling (assistant.accounts.throttle)."""
        from assistant.accounts.throttle import ThrottlePolicy

        return ThrottlePolicy(per_account=self.login_failures_per_account,
                              per_address=self.login_failures_per_address, window=self.login_window_minutes * 60.0)

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def offline_environment() -> None:
    """Make sure no library phones home: called by every entry point before heavy imports."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
