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
    import threading

    # Importing gradio takes seconds: do it while the knowledge base and embedding model load (cold start).
    preload = threading.Thread(target=lambda: __import__("assistant.web.ui"), name="preload-gradio", daemon=True)
    preload.start()
    if services is None:
        from assistant.commands.kb import tqdm_progress
        from assistant.services import build_services

        # the first run builds the national index (minutes): show progress in the terminal
        services = build_services(settings, progress=tqdm_progress())
    preload.join()
    from .ui import build_app, launch

    launch(build_app(services), settings)
