"""The optional LLM: any OpenAI-compatible endpoint through langchain-openai, or None (offline mode)."""

from __future__ import annotations

import logging

from .config import Settings

log = logging.getLogger(__name__)


def make_llm(settings: Settings, streaming: bool = True):
    """A chat model when XUEFA_LLM_BASE_URL and XUEFA_LLM_MODEL are set; None otherwise (the default)."""
    if not settings.llm_configured:
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model,
                      api_key=settings.llm_api_key or "not-needed", temperature=settings.llm_temperature,
                      streaming=streaming, timeout=120, max_retries=1)
