"""Signing in: throttled per account and per client address, scrypt run in a worker thread (never on the
event loop, where one check blocked every other user's request), at most a few checks at a time."""

from __future__ import annotations

import asyncio
import contextvars
import logging

from knowledge.errors import XuefaError

from assistant.accounts.throttle import LoginThrottle

log = logging.getLogger(__name__)

# Set by `guard.WebGuard` for the /login request: Gradio passes only (username, password) to the check.
CLIENT_ADDRESS: contextvars.ContextVar[str | None] = contextvars.ContextVar("xuefa_client_address", default=None)
WRONG_CREDENTIALS = "用户名或密码错误"


class LoginRefused(XuefaError):
    """Too many failed attempts: the guard answers 429 with this Chinese message."""


class LoginGate:
    """`authenticate` is the async check given to Gradio's `launch(auth=…)`; `users` is
    `assistant.accounts.Accounts` (verify, rehash)."""

    def __init__(self, users, throttle: LoginThrottle | None = None, parallel: int = 2):
        self.users = users
        self.throttle = throttle or LoginThrottle()
        self.parallel = parallel
        self._slots: asyncio.Semaphore | None = None

    async def authenticate(self, username: str, password: str) -> bool:
        address = CLIENT_ADDRESS.get()
        refusal = self.throttle.refusal(username, address)
        if refusal:
            log.warning("login refused (throttled): %s from %s", username, address)
            raise LoginRefused(refusal)
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.parallel)
        async with self._slots:  # bounded CPU and memory (32 MiB per check) under a flood
            refusal = self.throttle.refusal(username, address)  # again: others may have failed while we waited
            if refusal:
                raise LoginRefused(refusal)
            ok = await asyncio.to_thread(self.users.verify, username, password)
        if ok:
            self.throttle.succeeded(username, address)
            rehash = getattr(self.users, "rehash", None)
            if rehash is not None:  # a hash made with weaker scrypt parameters is redone now
                await asyncio.to_thread(rehash, username, password)
        else:
            self.throttle.failed(username, address)
            log.info("login failed: %s from %s", username, address)
        return ok
