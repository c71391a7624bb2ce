"""Login flood benchmark: how a bounded flood of wrong passwords on loopback affects other users.

Starts `python app.py` on a fresh data dir with a few accounts (no national corpus: this measures the login
path, not search), then, while F flood threads post a bounded number of wrong passwords for made-up and real
account names, a victim signs in again and again and fetches the page config. Reports p50/p95 of the
victim's login and of its page request before and during the flood, and how the flood was answered
(400 = checked, 429 = throttled).

    python benchmarks/login_flood.py                         # throttling on (the defaults)
    python benchmarks/login_flood.py --no-throttle           # every flood attempt runs scrypt (worst case)
    python benchmarks/login_flood.py --attempts 400 --flooders 8 --json out.json

Before the fix the check ran on the event loop: the issue measured another user's p95 rising from 9 ms to 2 s.
Numbers from a shared machine are contended; the lead re-runs this on a quiet one."""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile  # noqa: E402
from web import REPO, free_port, stop_app  # noqa: E402

PASSWORD = "河道-管理-2026-春"


def add_user(home: Path, name: str, role: str) -> None:
    env = dict(os.environ, XUEFA_HOME=str(home))
    subprocess.run([sys.executable, "-c", "from assistant.cli import main; main()", "user", "add", name, "--role", role,
                    "--password-stdin"],
                   input=PASSWORD + "\n", text=True, env=env, cwd=REPO, check=True, capture_output=True)


def start(home: Path, port: int, throttle: bool) -> subprocess.Popen:
    env = dict(os.environ, XUEFA_HOME=str(home), XUEFA_PORT=str(port), XUEFA_HOST="127.0.0.1",
               XUEFA_NATIONAL="false")
    if not throttle:
        env.update(XUEFA_LOGIN_FAILURES_PER_ACCOUNT="1000000", XUEFA_LOGIN_FAILURES_PER_ADDRESS="1000000")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"app.py exited: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("app.py did not start in time")


def post_login(url: str, user: str, password: str, opener=None) -> int:
    data = urllib.parse.urlencode({"username": user, "password": password}).encode()
    try:
        with (opener or urllib.request.build_opener()).open(url + "login", data=data, timeout=120) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def victim(url: str, keep_going, pause: float = 0.2) -> dict:
    """Sign in as `learner` again and again while `keep_going()`; each time also fetch /config."""
    logins, pages, refused = [], [], 0
    while True:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        t = time.perf_counter()
        status = post_login(url, "learner", PASSWORD, opener)
        logins.append(time.perf_counter() - t)
        if status == 200:
            t = time.perf_counter()
            opener.open(url + "config", timeout=120).read()
            pages.append(time.perf_counter() - t)
        else:
            refused += 1
        if not keep_going():
            break
        time.sleep(pause)
    return {"logins": len(logins), "refused": refused,
            "login_p50_ms": round(1000 * percentile(logins, 50), 1),
            "login_p95_ms": round(1000 * percentile(logins, 95), 1),
            "page_p50_ms": round(1000 * percentile(pages, 50), 1), "page_p95_ms": round(1000 * percentile(pages, 95), 1)}


def flood(url: str, attempts: int, flooders: int) -> dict:
    counts: dict[int, int] = {}
    lock = threading.Lock()
    left = iter(range(attempts))

    def run() -> None:
        for i in left:  # the shared iterator bounds the flood to `attempts` in total
            status = post_login(url, ("admin", "learner2", f"nobody{i % 50}")[i % 3], f"wrong-{i}")
            with lock:
                counts[status] = counts.get(status, 0) + 1

    threads = [threading.Thread(target=run) for _ in range(flooders)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return {"attempts": attempts, "flooders": flooders, "seconds": round(time.perf_counter() - started, 2),
            "answers": {str(k): v for k, v in sorted(counts.items())}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--attempts", type=int, default=300, help="wrong passwords in the whole flood (bounded)")
    ap.add_argument("--flooders", type=int, default=6, help="concurrent flood connections")
    ap.add_argument("--baseline-seconds", type=float, default=10.0)
    ap.add_argument("--throttle", action=argparse.BooleanOptionalAction, default=True,
                    help="keep login throttling on (default); --no-throttle makes every attempt run scrypt")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="xf-login-bench-") as tmp:
        home = Path(tmp)
        for name, role in (("admin", "管理员"), ("learner", "学员"), ("learner2", "学员")):
            add_user(home, name, role)
        port = free_port()
        proc = start(home, port, args.throttle)
        url = f"http://127.0.0.1:{port}/"
        if post_login(url, "learner", "wrong password") != 400 or post_login(url, "learner", PASSWORD) != 200:
            stop_app(proc)
            raise SystemExit("the app does not check passwords (no accounts?): nothing to measure")
        try:
            until = time.monotonic() + args.baseline_seconds
            baseline = victim(url, lambda: time.monotonic() < until)
            box: dict = {}
            t = threading.Thread(target=lambda: box.update(flood(url, args.attempts, args.flooders)))
            t.start()
            time.sleep(0.3)
            during = victim(url, t.is_alive)
            t.join()
        finally:
            stop_app(proc)
    result = {"throttle": args.throttle, "baseline": baseline, "during_flood": during, "flood": box,
              "note": "contended unless run on a quiet machine"}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
