"""Login throttling: failed sign-ins counted per account and per client address in a sliding window.

Without it 60 wrong passwords took 4 s and the right one still worked. Refused attempts never run scrypt,
so a flood costs the server almost nothing. In memory (one process); a restart clears the counts."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottlePolicy:
    per_account: int = 5  # failures of one account name (from any address) within `window`
    per_address: int = 30  # failures from one client address (any account names) within `window`
    window: float = 15 * 60.0  # seconds
    max_keys: int = 10_000  # tracked names/addresses; the oldest are forgotten first (bounded memory)


class LoginThrottle:
    """`refusal(account, address)` is None when an attempt may proceed, else a Chinese message saying when
    to retry; report each outcome with `failed` / `succeeded`. Thread-safe."""

    def __init__(self, policy: ThrottlePolicy | None = None, clock: Callable[[], float] = time.monotonic):
        self.policy = policy or ThrottlePolicy()
        self._clock = clock
        self._lock = threading.Lock()
        self._fails: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()

    @staticmethod
    def _account(name: str | None) -> tuple[str, str]:
        return ("account", (name or "").strip().casefold())

    @staticmethod
    def _address(address: str | None) -> tuple[str, str]:
        return ("address", address or "unknown")

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._fails.get(key)
        if q is None:
            return deque()
        while q and q[0] <= now - self.policy.window:
            q.popleft()
        if not q:
            del self._fails[key]
        return q

    def refusal(self, account: str | None, address: str | None) -> str | None:
        now = self._clock()
        with self._lock:
            for key, limit, who in ((self._account(account), self.policy.per_account, "该账号"),
                                    (self._address(address), self.policy.per_address, "您所在网络地址的")):
                q = self._recent(key, now)
                if len(q) >= limit:
                    wait = q[len(q) - limit] + self.policy.window - now
                    minutes = max(1, math.ceil(wait / 60))
                    return (f"{who}登录失败次数过多，已暂时停止登录，请 {minutes} 分钟后再试；"
                            "如忘记密码，请联系管理员重设。")
        return None

    def failed(self, account: str | None, address: str | None) -> None:
        now = self._clock()
        with self._lock:
            for key in (self._account(account), self._address(address)):
                q = self._fails.setdefault(key, deque())
                q.append(now)
                self._fails.move_to_end(key)
                while len(q) > max(self.policy.per_account, self.policy.per_address):
                    q.popleft()  # only the newest `limit` failures matter
            while len(self._fails) > self.policy.max_keys:
                self._fails.popitem(last=False)

    def succeeded(self, account: str | None, address: str | None) -> None:
        """A correct password clears the account's failures (not the address's: a flood stays throttled)."""
        with self._lock:
            self._fails.pop(self._account(account), None)
