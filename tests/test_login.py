"""Signing in: throttled per account and per address with a Chinese message, scrypt off the event loop,
weaker hashes redone on the next login, common passwords refused, a login page with the product name."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from assistant.accounts import passwords
from assistant.accounts.throttle import LoginThrottle, ThrottlePolicy
from knowledge.errors import XuefaError

from .test_web_api import PASSWORD, running_app


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_throttle_per_account_and_per_address():
    clock = Clock()
    t = LoginThrottle(ThrottlePolicy(per_account=5, per_address=20, window=900), clock=clock)
    for _ in range(5):
        assert t.refusal("张三", "10.0.0.1") is None
        t.failed("张三", "10.0.0.1")
    msg = t.refusal("张三", "10.0.0.9")  # the account, from any address
    assert msg and "该账号登录失败次数过多" in msg and "15 分钟后再试" in msg
    assert t.refusal("李四", "10.0.0.9") is None
    clock.now += 901
    assert t.refusal("张三", "10.0.0.1") is None  # the window has passed

    for i in range(20):  # many names from one address
        t.failed(f"user{i}", "10.0.0.2")
    assert "您所在网络地址的登录失败次数过多" in t.refusal("someone-else", "10.0.0.2")
    assert t.refusal("someone-else", "10.0.0.3") is None

    t.failed("王五", "10.0.0.4")
    t.succeeded("王五", "10.0.0.4")
    for _ in range(4):
        t.failed("王五", "10.0.0.4")
    assert t.refusal("王五", "10.0.0.4") is None  # the success cleared the earlier failure


def test_throttle_limits_come_from_settings(tmp_path, monkeypatch):
    from assistant.config import Settings

    assert Settings(home=tmp_path).login_policy() == ThrottlePolicy()
    monkeypatch.setenv("XUEFA_LOGIN_FAILURES_PER_ADDRESS", "200")  # a whole office behind one NAT address
    policy = Settings(home=tmp_path).login_policy()
    assert policy.per_address == 200 and policy.per_account == 5 and policy.window == 900


def post_login(url, user, password):
    data = urllib.parse.urlencode({"username": user, "password": password}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url + "login", data=data), timeout=60) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


@pytest.fixture
def app(services_small, tmp_path):
    with running_app(services_small, tmp_path / "users") as (url, ctx):
        yield url, ctx


def test_sixty_wrong_passwords_then_the_right_one_is_refused(app):
    url, _ = app
    status, body = post_login(url, "learner", "wrong-1")
    assert status == 400 and body["detail"] == "用户名或密码错误"
    started = time.perf_counter()
    statuses = [post_login(url, "learner", f"wrong-{i}")[0] for i in range(2, 61)]
    assert statuses[:4] == [400] * 4 and set(statuses[4:]) == {429}
    assert time.perf_counter() - started < 30  # refused attempts run no scrypt
    status, body = post_login(url, "learner", PASSWORD)
    assert status == 429 and "登录失败次数过多" in body["detail"]
    assert post_login(url, "admin", PASSWORD)[0] == 200  # other accounts are not locked out


def test_login_page_has_the_product_name_and_chinese_labels(app):
    url, _ = app
    with urllib.request.urlopen(url, timeout=30) as r:
        page = r.read().decode("utf-8")
        csp = r.headers["Content-Security-Policy"]
    assert "学法助手" in page and "用户名" in page and "密码" in page and "登录" in page
    assert "凭据不正确" not in page and "Incorrect" not in page
    assert "img-src 'self' data: blob:" in csp


def test_scrypt_runs_off_the_event_loop(app, monkeypatch):
    """A slow password check must not hold up other requests (before: p95 of others rose from 9 ms to 2 s)."""
    url, ctx = app
    real = ctx.accounts.verify

    def slow_verify(name, password):
        time.sleep(1.5)  # blocking, like scrypt under load
        return real(name, password)

    monkeypatch.setattr(ctx.accounts, "verify", slow_verify)
    worker = threading.Thread(target=post_login, args=(url, "admin", PASSWORD))
    worker.start()
    time.sleep(0.3)
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as r:
        assert r.status == 200
    elapsed = time.perf_counter() - started
    worker.join()
    assert elapsed < 0.8, elapsed


def test_weaker_hashes_are_redone_on_the_next_login(db):
    import asyncio
    import secrets

    from assistant.accounts.service import Accounts
    from assistant.web.login import LoginGate

    accounts = Accounts(db)
    accounts.add("learner", PASSWORD)
    salt = secrets.token_bytes(16)
    weak = passwords.encode(salt, passwords._scrypt(PASSWORD, salt, 2 ** 10, 8, 1), 2 ** 10, 8, 1)
    accounts.users.set_password("learner", weak)  # as stored by an older xuefa
    gate = LoginGate(accounts)
    assert not asyncio.run(gate.authenticate("learner", "wrong password"))
    assert accounts.row("learner").password_hash == weak
    assert asyncio.run(gate.authenticate("learner", PASSWORD))
    stored = accounts.row("learner").password_hash
    assert stored != weak and stored.startswith(f"scrypt${passwords.SCRYPT['n']}$8$1$")
    assert not passwords.needs_rehash(stored) and accounts.verify("learner", PASSWORD)


def test_common_passwords_are_refused_when_adding_users(db, tmp_path):
    from click.testing import CliRunner

    from assistant.accounts.service import Accounts
    from assistant.cli import cli

    accounts = Accounts(db)
    for bad in ("password123", "12345678", "Woaini1314"):
        with pytest.raises(XuefaError, match="太常见"):
            accounts.add("zhangsan", bad)
    with pytest.raises(XuefaError, match="太常见"):
        accounts.add("zhangsan2026", "ZhangSan2026")
    result = CliRunner().invoke(cli, ["user", "add", "lisi", "--password-stdin"], input="88888888\n",
                                env={"XUEFA_HOME": str(tmp_path / "home")})
    assert result.exit_code != 0 and "太常见" in result.output, result.output
    assert accounts.empty
