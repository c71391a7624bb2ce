"""Organised-exam benchmark: N learners submit the same exam at the same moment through the running web app
(gradio_client over HTTP). Reports how many submissions were recorded (must be all N, each once) and the
submit latency p50/p95/max. Run on SQLite (default) and on PostgreSQL:

    python benchmarks/sessions.py --learners 50
    python benchmarks/sessions.py --learners 50 --database-url postgresql+psycopg://postgres@127.0.0.1:55432/bench
    python benchmarks/sessions.py --json out.json

The knowledge base is 监察法 from the built-in national corpus (no model download); each paper has 10 判断 items."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.common import percentile  # noqa: E402
from benchmarks.web import free_port  # noqa: E402

PASSWORD = "bench-password-1"


def build(home: Path, database_url: str | None, learners: int):
    from assistant.config import Settings, offline_environment
    from assistant.exam import Blueprint
    from assistant.services import build_services
    from ingest.national import read_national

    offline_environment()
    settings = Settings(home=home, national=False, database_url=database_url)
    services = build_services(settings, llm=None, load_national=False)
    for law, articles in read_national():
        if law.title == "中华人民共和国监察法" and law.is_current:
            services.kb.catalog.add(law, articles)
    services.kb.ensure_indexes()
    acc = services.accounts
    unit = acc.units.ensure_path("某县/教育局")
    acc.add("bench_admin", PASSWORD, "管理员")
    for i in range(learners):
        acc.add(f"learner{i:03d}", PASSWORD, "学员", unit=unit.id)
    bp = Blueprint.preset("学法练习", counts={"单选": 0, "多选": 0, "判断": 10, "填空": 0}, laws={"监察法": 1.0},
                          pass_mark=None)
    session = services.sessions.create(None, title="并发交卷测试", blueprint=bp, units=[unit.id], days=1, minutes=30)
    return services, session


def run(learners: int, database_url: str | None) -> dict:
    from gradio_client import Client

    from assistant.db import AttemptRepo
    from assistant.web.context import WebContext
    from assistant.web.ui import build_app, launch

    home = Path(tempfile.mkdtemp(prefix="xuefa-bench-sessions-"))
    services, session = build(home, database_url, learners)
    ctx = WebContext.from_services(services)
    demo = build_app(services, ctx)
    port = free_port()
    launch(demo, services.settings, server_port=port, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    names = [f"learner{i:03d}" for i in range(learners)]
    papers: dict[str, dict] = {}
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    clients: dict[str, object] = {}

    def prepare(name: str) -> None:
        """Log in and start the paper (not measured: logins are throttled and hash one at a time)."""
        try:
            client = Client(url, auth=(name, PASSWORD), verbose=False, download_files=False)
            papers[name] = client.predict(session.id, api_name="/session_start")
            clients[name] = client
        except Exception as exc:  # noqa: BLE001 - counted and reported
            with lock:
                errors.append(f"{name} start: {exc}")

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(prepare, names))
    ready = [n for n in names if n in clients]
    barrier = threading.Barrier(len(ready)) if ready else None

    def learner(name: str) -> None:
        view = papers[name]
        answers = {str(it["number"]): "A" for it in view["items"]}
        try:
            barrier.wait(timeout=600)
        except threading.BrokenBarrierError:
            return
        t0 = time.perf_counter()
        try:
            clients[name].predict(view["paper_id"], answers, api_name="/session_submit")
            with lock:
                latencies.append(time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(f"{name} submit: {exc}")

    threads = [threading.Thread(target=learner, args=(n,)) for n in ready]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    demo.close()
    attempts = AttemptRepo(services.db).for_session(session.id)
    submitted = [a for a in attempts if a.submitted_at is not None]
    per_user = {}
    for a in submitted:
        per_user[a.user_id] = per_user.get(a.user_id, 0) + 1
    return {"backend": services.db.dialect, "learners": learners, "recorded": len(submitted),
            "recorded_once_each": len(per_user) == learners and set(per_user.values()) == {1},
            "answers_rows": sum(len(a.answers) for a in submitted), "errors": errors[:5], "error_count": len(errors),
            "submit_p50_s": round(percentile(latencies, 50), 3), "submit_p95_s": round(percentile(latencies, 95), 3),
            "submit_max_s": round(max(latencies), 3) if latencies else None, "wall_s": round(wall, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learners", type=int, default=50)
    ap.add_argument("--database-url", help="PostgreSQL URL (an empty database); default SQLite in a temp dir")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    out = run(args.learners, args.database_url)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    if out["recorded"] != args.learners or not out["recorded_once_each"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
