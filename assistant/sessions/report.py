"""Reports of an organised exam: one row per invited person, totals, a score distribution, per-unit figures and
the articles most often answered wrong; exported as .xlsx and as a printable score sheet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.db.models import ExamSession

from .service import COUNT_NAMES, ExamSessions, counted_attempt

BINS = ((0, 60, "60 分以下"), (60, 70, "60–69"), (70, 80, "70–79"), (80, 90, "80–89"), (90, 1e9, "90 分及以上"))
WEAK_MIN_ANSWERS = 3  # an article needs a few answers before its error rate means anything
STATUS_ABSENT, STATUS_PASSED, STATUS_FAILED, STATUS_RUNNING = "未参加", "合格", "不合格", "作答中"
STATUS_LATE = "超时交卷（不计分）"


@dataclass
class PersonRow:
    unit: str
    name: str
    display_name: str
    position_level: str
    attempts: int
    score: float | None  # the counted score (by the session's rule)
    best: float | None
    passed: bool
    status: str


@dataclass
class SessionReport:
    session_id: int
    title: str
    window: str
    rule: str
    pass_mark: float
    total: float
    rows: list[PersonRow] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)
    weakest: list[dict[str, Any]] = field(default_factory=list)
    distribution: list[tuple[str, int]] = field(default_factory=list)

    @property
    def invited(self) -> int:
        return len(self.rows)

    @property
    def took(self) -> int:
        return sum(1 for r in self.rows if r.score is not None)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.rows if r.passed)

    @property
    def pass_rate(self) -> float:
        return self.passed / self.invited if self.invited else 0.0

    @property
    def mean(self) -> float | None:
        scores = [r.score for r in self.rows if r.score is not None]
        return round(sum(scores) / len(scores), 1) if scores else None

    def to_json(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "title": self.title, "window": self.window, "rule": self.rule,
                "pass_mark": self.pass_mark, "total": self.total, "invited": self.invited, "took": self.took,
                "passed": self.passed, "pass_rate": round(self.pass_rate, 4), "mean": self.mean,
                "distribution": [{"range": k, "count": n} for k, n in self.distribution],
                "units": self.units, "weakest": self.weakest, "rows": [asdict(r) for r in self.rows]}


def _local(dt) -> str:
    return dt.astimezone().strftime("%Y-%m-%d %H:%M")


def _item_citations(sessions: ExamSessions, paper_id: str) -> dict[int, set[tuple[str, int, int]]]:
    """Item number -> the (law title, article, sub) it cites, from the stored paper (stable keys)."""
    row = sessions.papers.get(paper_id)
    out: dict[int, set[tuple[str, int, int]]] = {}
    for it in (row.data.get("items", []) if row is not None else []):
        out[int(it.get("number", 0))] = {(c.get("law", ""), int(c.get("article", 0)), int(c.get("sub") or 0))
                                         for c in it.get("citations", [])}
    return out


def build_report(sessions: ExamSessions, session: ExamSession, unit_ids: set[int] | None = None) -> SessionReport:
    """The report of a session; with `unit_ids`, only people of those units (a unit admin's view)."""
    paths = sessions.accounts.units.paths()
    invited = [u for u in sessions.invited(session) if unit_ids is None or u.unit_id in unit_ids]
    by_user: dict[int, list] = defaultdict(list)
    for a in sessions.attempts.for_session(session.id):
        by_user[a.user_id].append(a)
    total = float((session.blueprint or {}).get("_total") or 0)
    report = SessionReport(session.id, session.title, f"{_local(session.opens_at)} 至 {_local(session.closes_at)}",
                           COUNT_NAMES.get(session.counts, session.counts), session.pass_mark, total)
    article_stats: dict[tuple[str, int, int], list[int]] = defaultdict(lambda: [0, 0])  # wrong, answered
    unit_rows: dict[str, dict[str, Any]] = {}
    for u in invited:
        attempts = by_user.get(u.id, [])
        counted = counted_attempt(attempts, session.counts)
        done = [a for a in attempts if a.submitted_at is not None]
        if done and not report.total:
            report.total = float(done[0].total or 0)
        best = max((a.score for a in done if not a.late and a.score is not None), default=None)
        passed = bool(counted and counted.score is not None and counted.score >= session.pass_mark)
        if counted:
            status = STATUS_PASSED if passed else STATUS_FAILED
        elif done:
            status = STATUS_LATE
        else:
            status = STATUS_RUNNING if attempts else STATUS_ABSENT
        unit = paths.get(u.unit_id, "")
        report.rows.append(PersonRow(unit, u.name, u.display_name or u.name, u.position_level or "", len(attempts),
                                     counted.score if counted else None, best, passed, status))
        d = unit_rows.setdefault(unit, {"unit": unit, "invited": 0, "took": 0, "passed": 0, "scores": []})
        d["invited"] += 1
        if counted:
            d["took"] += 1
            d["passed"] += int(passed)
            d["scores"].append(counted.score or 0)
            cites = _item_citations(sessions, counted.paper_id)
            for ans in counted.answers:
                for key in cites.get(ans.number, ()):
                    st = article_stats[key]
                    st[0] += int(not ans.correct)
                    st[1] += 1
    report.rows.sort(key=lambda r: (r.unit, r.name))
    for d in sorted(unit_rows.values(), key=lambda d: d["unit"]):
        scores = d.pop("scores")
        d["pass_rate"] = round(d["passed"] / d["invited"], 4) if d["invited"] else 0.0
        d["mean"] = round(sum(scores) / len(scores), 1) if scores else None
        report.units.append(d)
    scores = [r.score for r in report.rows if r.score is not None]
    scale = 100.0 / report.total if report.total else 1.0  # bins are on a 100-point scale
    report.distribution = [(label, sum(1 for s in scores if lo <= s * scale < hi)) for lo, hi, label in BINS]
    weak = [{"law": k[0], "article": k[1], "sub": k[2], "wrong": w, "answered": n, "error_rate": round(w / n, 4)}
            for k, (w, n) in article_stats.items() if n >= WEAK_MIN_ANSWERS and w]
    weak.sort(key=lambda d: (-d["error_rate"], -d["answered"], d["law"], d["article"]))
    report.weakest = weak[:10]
    return report


ROW_HEADER = ("单位", "用户名", "姓名", "职务级别", "作答次数", "计分成绩", "最高分", "是否合格", "状态")


def person_cells(r: PersonRow) -> list[Any]:
    return [r.unit, r.name, r.display_name, r.position_level, r.attempts,
            "" if r.score is None else r.score, "" if r.best is None else r.best, "合格" if r.passed else "否", r.status]


def write_xlsx(report: SessionReport, path: Path | str) -> Path:
    from assistant.export.xlsx import write_workbook

    from knowledge.numerals import article_label

    summary = [("考试", report.title), ("考试时间", report.window), ("计分规则", report.rule),
               ("合格线", report.pass_mark), ("应考人数", report.invited), ("参考人数", report.took),
               ("合格人数", report.passed), ("合格率", f"{report.pass_rate:.1%}"),
               ("平均分", "" if report.mean is None else report.mean)]
    units = [[d["unit"], d["invited"], d["took"], d["passed"], f"{d['pass_rate']:.1%}",
              "" if d["mean"] is None else d["mean"]] for d in report.units]
    weak = [[f"《{w['law']}》{article_label(w['article'], w['sub'])}", w["answered"], w["wrong"],
             f"{w['error_rate']:.0%}"] for w in report.weakest]
    return write_workbook(path, [
        ("成绩单", ROW_HEADER, [person_cells(r) for r in report.rows]),
        ("单位汇总", ("单位", "应考", "参考", "合格", "合格率", "平均分"), units),
        ("概况", ("项目", "数值"), summary),
        ("薄弱条文", ("条文", "作答次数", "答错次数", "错误率"), weak),
    ])
