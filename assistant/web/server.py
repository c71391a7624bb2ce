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

        # Serve as soon as the catalog and lexical index are ready; vectors are embedded in the background.
        services = build_services(settings, progress=_terminal_progress(tqdm_progress()), vectors="background")
        services.db = db  # the database opened above (cached_property: one per process)
    preload.join()
    from .ui import build_app, launch

    launch(build_app(services), settings)


def _terminal_progress(foreground):
    """tqdm bars for start-up phases; a percent line every 5% for the background vector build."""
    import sys

    last = {"pct": -5}

    def progress(done: int, total: int, what: str) -> None:
        if what != "向量索引建立中":
            foreground(done, total, what)
            return
        pct = int(100 * done / total) if total else 100
        if pct >= last["pct"] + 5 or done >= total:
            last["pct"] = pct
            print(f"向量索引建立中 {pct}%（{done}/{total} 条）" + ("，已完成" if done >= total else ""),
                  file=sys.stderr, flush=True)

    return progress
