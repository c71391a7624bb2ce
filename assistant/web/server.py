"""Start the web app: check the bind address before anything heavy loads, then services -> app -> launch."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def serve(settings=None, services=None) -> None:
    from assistant.accounts.service import Accounts
    from assistant.config import Settings, offline_environment
    from assistant.services import open_db

    from .auth import check_bind

    offline_environment()
    settings = settings or Settings()
    db = services.db if services is not None else open_db(settings)
    check_bind(settings.host, Accounts(db))  # fail fast, before models and gradio load
    import threading

    # Importing gradio takes seconds: do it while the knowledge base and embedding model load (cold start).
    preload = threading.Thread(target=lambda: __import__("assistant.web.ui"), name="preload-gradio", daemon=True)
    preload.start()
    if services is None:
        from assistant.progress import tqdm_progress
        from assistant.services import build_services

        # the first run builds the national index (minutes): show progress in the terminal
        services = build_services(settings, progress=tqdm_progress())
        services.db = db  # the database opened above (cached_property: one per process)
    preload.join()
    from .ui import build_app, launch

    launch(build_app(services), settings)
