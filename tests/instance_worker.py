"""One app instance for tests/test_multi_instance.py: real services from the environment (XUEFA_HOME,
XUEFA_DATABASE_URL, XUEFA_CHROMA_URL), driven by JSON commands on stdin, one JSON answer per line on stdout."""

from __future__ import annotations

import json
import sys


def main() -> None:
    from assistant.config import Settings
    from assistant.db import MistakeRepo
    from assistant.services import build_services

    services = build_services(Settings(national=False), llm=None, load_national=False)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        try:
            if op == "add_user":
                services.accounts.add(cmd["name"], "河道-管理-2026-春", unit=cmd.get("unit"))
                out = {"ok": True}
            elif op == "users":
                out = {"users": [u.name for u in services.accounts.list()]}
            elif op == "ingest":
                out = services.ingest([cmd["path"]]).to_json()
            elif op == "laws":
                out = {"laws": [law.title for law in services.catalog.laws()]}
            elif op == "search":
                out = {"hits": [h.law.title if hasattr(h, "law") and hasattr(h.law, "title") else str(h.law)
                                for h in services.kb.search(cmd["q"], top_k=5)]}
            elif op == "exam":
                from assistant.exam import Blueprint

                bp = Blueprint.preset("学法练习", counts={"单选": 0, "多选": 0, "判断": 3, "填空": 0},
                                      laws={cmd["law"]: 1.0}, seed=cmd.get("seed", 1))
                paper = services.exams.generate(bp)
                wrong = {it.number: ("B" if it.answer == "A" else "A") for it in paper.items}
                res = services.exams.grade(paper, wrong, user=cmd["user"])
                out = {"score": res.score, "items": len(paper.items)}
            elif op == "mistakes":
                uid = services.accounts.ensure_record_holder(cmd["user"])
                out = {"wrong": sum(m.wrong for m in MistakeRepo(services.db).all(uid)),
                       "history": len(services.exams.records.history(cmd["user"]))}
            else:
                out = {"error": f"unknown op {op}"}
        except Exception as exc:  # noqa: BLE001 - reported to the test
            out = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
