"""Who is signed in, and what they may do: accounts live in the database (`assistant.accounts.Accounts`),
passwords are hashed in `assistant.accounts.passwords` only.

No password is ever stored or written in code; the operator adds users with `xuefa user add` (or imports them
in the 单位与用户 tab). With no users configured the app runs as one local user (admin) and may only listen on
loopback."""

from __future__ import annotations

import ipaddress

from knowledge.errors import ConfigError

from assistant.accounts.service import (LOCAL_USER_NAME, MIN_PASSWORD, Account, Accounts,  # noqa: F401
                                        PermissionDenied)
from assistant.db import ROLE_ADMIN, ROLE_LEARNER, ROLE_SETTER, ROLE_UNIT_ADMIN, ROLES  # noqa: F401

ADMIN = ROLE_ADMIN
LEARNER = ROLE_LEARNER
User = Account  # the signed-in user handed to every handler

LOCAL_USER = User(LOCAL_USER_NAME, ADMIN)


def is_loopback(host: str) -> bool:
    host = (host or "").strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, accounts: Accounts) -> None:
    """Refuse to serve a user-less app beyond this machine."""
    if accounts.empty and not is_loopback(host):
        raise ConfigError(
            f"尚未配置任何用户，只能在本机（127.0.0.1）上运行，拒绝监听 {host}。"
            "请先用 `xuefa user add 用户名 --role 管理员` 添加用户，再在内网地址上启动。")


def resolve_user(accounts: Accounts, username: str | None) -> User:
    """The user behind a request: the local admin when no users are configured."""
    if accounts.empty:
        return LOCAL_USER
    user = accounts.get(username)
    if user is None:
        raise PermissionDenied("请先登录。")
    return user


def require_admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied("只有管理员可以管理知识库。")


def require_manager(user: User) -> None:
    if not user.manages_units:
        raise PermissionDenied("只有管理员或单位管理员可以进行此操作。")
