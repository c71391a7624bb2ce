"""Start the web app: check the bind address before anything heavy loads, then services -> app -> launch."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def serve(settings=None, services=None) -> None:
    from assistant.config import Settings, offline_environment

    from .auth import UserStore, check_bind

    offline_environment()
    settings = settings or Settings()
    check_bind(settings.host, UserStore(settings.users_dir))  # fail fast, before models and gradio load
    if services is None:
        from assistant.services import build_services

        services = build_services(settings)
    from .ui import build_app, launch

    launch(build_app(services), settings)
