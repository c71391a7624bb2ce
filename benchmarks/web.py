"""Web benchmark: cold start of `python app.py` on an existing index, then N concurrent chat sessions through
gradio_client (p50/p95 latency, errors).

    python benchmarks/web.py --home ~/.local/share/xuefa            # an index built before (xuefa index)
    python benchmarks/web.py --home /tmp/xf-dev --no-national --sessions 30 --turns 3 --json out.json

Cold start is measured from process start until the page answers HTTP 200 (target: 15 s or less)."""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "监察机关可以采取哪些调查措施？", "公职人员受到记过处分的期间是多久？", "生产经营单位的主要负责人有哪些安全生产职责？",
    "行政处罚的种类有哪些？", "政府信息公开的方式有哪些？", "留置时间最长是多久？", "宪法规定公民有哪些基本权利？",
    "行政许可的设定原则是什么？", "东平湖保护条例对渔业养殖有什么规定？", "重大行政决策应当经过哪些程序？",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(home: Path, port: int, national: bool, timeout: float = 300) -> tuple[subprocess.Popen, float]:
    env = dict(os.environ, XUEFA_HOME=str(home), XUEFA_PORT=str(port), XUEFA_HOST="127.0.0.1",
               XUEFA_NATIONAL="true" if national else "false")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"app.py exited: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, time.perf_counter() - started
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("app.py did not start in time")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def chat_sessions(url: str, sessions: int, turns: int) -> dict:
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(sessions)

    def run(i: int) -> None:
        try:
            client = Client(url, verbose=False, download_files=False)
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(f"connect: {exc}")
            barrier.abort()
            return
        try:
            barrier.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        history: list = []
        for t in range(turns):
            q = QUESTIONS[(i + t) % len(QUESTIONS)]
            start = time.perf_counter()
            try:
                history, cites, _pick, _box = client.submit(q, history, None, api_name="/chat").result(timeout=300)
                ok = "xf-cite" in cites or "xf-empty" in cites
                if not ok:
                    raise RuntimeError("no citation panel in the answer")
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(f"{q}: {exc}")
                continue
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(sessions)]
    wall = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - wall
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else lat * 100
    return {"sessions": sessions, "turns": turns, "requests": len(lat), "errors": len(errors),
            "error_samples": errors[:5], "p50_s": round(statistics.median(lat), 3) if lat else None,
            "p95_s": round(q[94], 3) if lat else None, "max_s": round(lat[-1], 3) if lat else None,
            "wall_s": round(wall, 2), "throughput_rps": round(len(lat) / wall, 2) if wall else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, help="data dir with an existing index (default: XUEFA_HOME or the user data dir)")
    ap.add_argument("--national", action=argparse.BooleanOptionalAction, default=True,
                    help="load the built-in national corpus (as `python app.py` does)")
    ap.add_argument("--sessions", type=int, default=30, help="concurrent chat sessions (issue #14: 30)")
    ap.add_argument("--turns", type=int, default=3, help="questions per session (follow-ups in one chat)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    if args.home is None:
        sys.path.insert(0, str(REPO))
        from assistant.config import Settings

        args.home = Settings().home
    if not (args.home / "catalog.sqlite3").exists():
        raise SystemExit(f"{args.home} has no index yet: run `xuefa index` (or the tests' dev home) first")
    port = free_port()
    proc, cold = start_app(args.home, port, args.national)
    try:
        url = f"http://127.0.0.1:{port}/"
        from gradio_client import Client

        warm = time.perf_counter()
        Client(url, verbose=False).submit(QUESTIONS[0], [], None, api_name="/chat").result(timeout=300)
        first = time.perf_counter() - warm
        result = {"cold_start_s": round(cold, 2), "cold_start_ok": cold <= 15.0, "first_answer_s": round(first, 2),
                  "chat": chat_sessions(url, args.sessions, args.turns)}
    finally:
        stop_app(proc)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    if result["chat"]["errors"] or not result["cold_start_ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
