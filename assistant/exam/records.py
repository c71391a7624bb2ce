"""Where graded papers go: the attempt (history, once only), and the 错题本 per stable article key.

`DbExamRecords` keeps them in `assistant.db`; `ExamService(records=…)` calls it from `grade`, so the web app,
the CLI and organised exams all record the same way. Mistakes are keyed by the law's title and the article
number, so re-ingesting a regulation keeps everyone's mistakes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from assistant.db import AttemptRepo, Database, MistakeMark, MistakeRepo, PaperRepo, utcnow

from .grading import GradeResult
from .models import Paper

LATE_GRACE_SECONDS = 30  # network and auto-submit slack after the server-side deadline


class ExamRecords(Protocol):
    def record(self, user: str, paper: Paper, result: GradeResult, *, attempt_id: int | None = None) -> Any: ...

    def mistakes(self, user: str) -> list[dict[str, Any]]: ...


def mistake_marks(paper: Paper, result: GradeResult) -> list[MistakeMark]:
    """One mark per (item, cited article): an item citing an article and two of its 项 counts once."""
    by_number = {it.number: it for it in paper.items}
    marks = []
    for r in result.items:
        item = by_number.get(r.number)
        if item is None:
            continue
        seen: set[tuple[str, int, int]] = set()
        for c in item.citations:
            key = (c.law, int(c.article), int(c.sub or 0))
            if key in seen:
                continue
            seen.add(key)
            marks.append(MistakeMark(doc_key=c.law, article=int(c.article), sub=int(c.sub or 0), law_id=c.law_id,
                                     label=c.label.split("》")[-1], correct=r.correct,
                                     item={"uid": item.uid, "type": item.type, "stem": item.stem,
                                           "answer": item.answer, "your_answer": r.your_answer}))
    return marks


def answer_rows(paper: Paper, result: GradeResult) -> list[dict[str, Any]]:
    by_number = {it.number: it for it in paper.items}
    rows = []
    for r in result.items:
        item = by_number.get(r.number)
        cites = [{"doc_key": c.law, "article": c.article, "sub": c.sub or 0} for c in (item.citations if item else [])]
        rows.append({"number": r.number, "item_uid": item.uid if item else "", "given": r.your_answer or "",
                     "correct": r.correct, "score": r.score, "citations": cites})
    return rows


class DbExamRecords:
    """ExamRecords on the database; users are account names (a no-login record holder is made for CLI names)."""

    def __init__(self, db: Database, user_id):
        self.db = db
        self._user_id = user_id  # name -> id (Accounts.ensure_record_holder)
        self.papers = PaperRepo(db)
        self.attempts = AttemptRepo(db)
        self.book = MistakeRepo(db)

    def record(self, user: str, paper: Paper, result: GradeResult, *, attempt_id: int | None = None,
               now: datetime | None = None):
        """Submit the attempt (once) and then count mistakes. Without an attempt (CLI `xuefa grade`), the
        paper and an attempt are stored first. Returns the submitted attempt row."""
        uid = self._user_id(user)
        now = now or utcnow()
        if attempt_id is None:
            row = self.papers.save(paper.to_json(), user_id=uid, kind="practice")
            attempt_id = self.attempts.start(row.id, uid, title=paper.title, started_at=now).id
        attempt = self.attempts.get(attempt_id)
        late = bool(attempt and attempt.deadline_at is not None
                    and (now - attempt.deadline_at).total_seconds() > LATE_GRACE_SECONDS)
        payload = result.to_json()
        payload["elapsed_seconds"] = round((now - attempt.started_at).total_seconds()) if attempt else 0
        done = self.attempts.submit(attempt_id, score=result.score, total=result.total, pass_mark=result.pass_mark,
                                    passed=result.passed, result=payload, answers=answer_rows(paper, result),
                                    late=late, submitted_at=now)
        self.book.record(uid, mistake_marks(paper, result), time=now)
        return done

    def record_mistakes(self, user: str, paper: Paper, result: GradeResult, now: datetime | None = None) -> Any:
        """Only the 错题本, for callers that submit the attempt themselves (`ExamDesk`)."""
        return self.book.record(self._user_id(user), mistake_marks(paper, result), time=now or utcnow())

    def mistakes(self, user: str) -> list[dict[str, Any]]:
        """The 错题本 in the shape `ExamService.practice_from_mistakes` reads: worst first."""
        return [{"law": m.doc_key, "law_id": m.law_id, "article": m.article, "sub": m.sub, "label": m.label,
                 "wrong": m.wrong, "right": m.right, "items": list(m.items),
                 "last_wrong": m.last_wrong.isoformat(timespec="seconds") if m.last_wrong else ""}
                for m in self.book.entries(self._user_id(user))]

    def history(self, user: str, limit: int | None = 200) -> list[dict[str, Any]]:
        """Graded papers, newest first."""
        out = []
        for a in self.attempts.for_user(self._user_id(user), submitted=True, limit=limit):
            res = a.result or {}
            out.append({"time": a.submitted_at, "title": a.title, "score": a.score, "total": a.total,
                        "pass_mark": a.pass_mark, "passed": a.passed, "late": a.late, "session_id": a.session_id,
                        "wrong": sum(1 for x in a.answers if not x.correct), "items": len(a.answers),
                        "elapsed_seconds": res.get("elapsed_seconds", 0), "attempt_id": a.id})
        return out
