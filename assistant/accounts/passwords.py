"""Password hashing: the one place. scrypt with a per-user salt, stored as one string
`scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>` so parameters can be raised later (see `needs_rehash`)."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from importlib import resources

# 2**15 x 8 = 32 MiB per check (was 2**14): hashes made with weaker parameters are redone on the next
# successful login (`needs_rehash`). The check runs off the event loop (see assistant/web/login.py).
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}
_PREFIX = "scrypt"
_DUMMY_SALT = b"x" * 16


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt((password or "").encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024,
                          dklen=32)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def encode(salt: bytes, digest: bytes, n: int, r: int, p: int) -> str:
    return "$".join((_PREFIX, str(n), str(r), str(p), _b64(salt), _b64(digest)))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    return encode(salt, _scrypt(password, salt, **SCRYPT), **SCRYPT)


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    try:
        prefix, n, r, p, salt, digest = (stored or "").split("$")
        if prefix != _PREFIX:
            return None
        return int(n), int(r), int(p), base64.b64decode(salt), base64.b64decode(digest)
    except (ValueError, TypeError):
        return None


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check; an unknown user (stored None) costs the same as a wrong password."""
    parsed = _parse(stored) if stored else None
    if parsed is None:
        _scrypt(password, _DUMMY_SALT, **SCRYPT)
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), digest)


def needs_rehash(stored: str) -> bool:
    """Stored with weaker parameters than today's (rehash after a successful login)."""
    parsed = _parse(stored)
    return parsed is None or (parsed[0], parsed[1], parsed[2]) != (SCRYPT["n"], SCRYPT["r"], SCRYPT["p"])


@functools.lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    text = resources.files("assistant.accounts").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_common_password(password: str, username: str | None = None) -> bool:
    """One of the refused common passwords (data/common_passwords.txt), or the user name itself."""
    pw = (password or "").strip().casefold()
    return pw in _common() or bool(username) and pw == username.strip().casefold()


def from_users_json(rec: dict) -> str:
    """The stored form of a users.json record ({salt, hash, n, r, p}) — passwords survive the migration."""
    return "$".join((_PREFIX, str(int(rec["n"])), str(int(rec["r"])), str(int(rec["p"])), rec["salt"], rec["hash"]))
