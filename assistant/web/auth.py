"""Users and roles for the web app: users.json under the users dir, scrypt hashes with a per-user salt.

No password is ever stored or written in code; the operator adds users with `xuefa user add`.
With no users configured the app runs as one local user (admin) and may only listen on loopback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from knowledge.errors import ConfigError, XuefaError

ADMIN = "管理员"
LEARNER = "学员"
ROLES = (ADMIN, LEARNER)
LOCAL_USER_NAME = "本机用户"
MIN_PASSWORD = 8
_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{1,32}$")
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


class PermissionDenied(XuefaError):
    """The signed-in user may not do this (checked server-side in every handler)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str = LEARNER

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


LOCAL_USER = User(LOCAL_USER_NAME, ADMIN)


def _hash(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


class UserStore:
    """users.json: {"users": {name: {role, salt, hash, n, r, p, created}}}; written atomically, mode 0600."""

    _lock = threading.Lock()

    def __init__(self, users_dir: Path | str):
        self.dir = Path(users_dir)
        self.path = self.dir / "users.json"
        self._cache: tuple[float, dict] | None = None

    def _load(self) -> dict:
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return {}
        if self._cache and self._cache[0] == mtime:
            return self._cache[1]
        try:
            users = json.loads(self.path.read_text(encoding="utf-8")).get("users", {})
        except (OSError, ValueError) as exc:
            raise ConfigError(f"用户文件 {self.path} 无法读取（{exc}），请检查或删除后用 `xuefa user add` 重新添加用户。")
        self._cache = (mtime, users)
        return users

    def _save(self, users: dict) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"users": users}, fh, ensure_ascii=False, indent=2)
        tmp.replace(self.path)
        self._cache = None

    @property
    def empty(self) -> bool:
        return not self._load()

    def add(self, name: str, password: str, role: str = LEARNER, replace: bool = False) -> User:
        name = (name or "").strip()
        if not _NAME_RE.match(name) or name == LOCAL_USER_NAME:
            raise XuefaError("用户名只能由 1～32 个汉字、字母、数字、点、下划线或连字符组成。")
        if role not in ROLES:
            raise XuefaError(f"角色只能是 {'、'.join(ROLES)}，而不是 {role}。")
        if len(password or "") < MIN_PASSWORD:
            raise XuefaError(f"密码至少 {MIN_PASSWORD} 位。")
        with self._lock:
            users = dict(self._load())
            if name in users and not replace:
                raise XuefaError(f"用户 {name} 已存在；要重设密码或角色，请加 --replace。")
            salt = secrets.token_bytes(16)
            users[name] = {"role": role, "salt": _b64(salt), "hash": _b64(_hash(password, salt, **_SCRYPT)),
                           **_SCRYPT, "created": datetime.now().isoformat(timespec="seconds")}
            self._save(users)
        return User(name, role)

    def remove(self, name: str) -> bool:
        with self._lock:
            users = dict(self._load())
            if users.pop(name, None) is None:
                return False
            self._save(users)
            return True

    def get(self, name: str | None) -> User | None:
        rec = self._load().get(name or "")
        return User(name, rec["role"]) if rec else None

    def list(self) -> list[User]:
        return [User(n, r["role"]) for n, r in sorted(self._load().items())]

    def verify(self, name: str, password: str) -> bool:
        """Constant-time check; unknown users cost the same as wrong passwords."""
        rec = self._load().get((name or "").strip())
        if rec is None:
            _hash(password or "", b"x" * 16, **_SCRYPT)
            return False
        digest = _hash(password or "", base64.b64decode(rec["salt"]), rec["n"], rec["r"], rec["p"])
        return hmac.compare_digest(digest, base64.b64decode(rec["hash"]))


def is_loopback(host: str) -> bool:
    host = (host or "").strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, store: UserStore) -> None:
    """Refuse to serve a user-less app beyond this machine."""
    if store.empty and not is_loopback(host):
        raise ConfigError(
            f"尚未配置任何用户，只能在本机（127.0.0.1）上运行，拒绝监听 {host}。"
            "请先用 `xuefa user add 用户名 --role 管理员` 添加用户，再在内网地址上启动。")


def resolve_user(store: UserStore, username: str | None) -> User:
    """The user behind a request: the local admin when no users are configured."""
    if store.empty:
        return LOCAL_USER
    user = store.get(username)
    if user is None:
        raise PermissionDenied("请先登录。")
    return user


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied("只有管理员可以管理知识库。")
