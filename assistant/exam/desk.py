"""`ExamDesk`: papers and attempts held on the server — the one API the exam page and organised sessions use.

    desk = ExamDesk(exams, db)                       # exams: ExamService, db: assistant.db.Database
    view = desk.start("zhang", "任前法律知识考试")       # official preset: drawn here, timed, limited per day
    view = desk.start("zhang", blueprint=bp)          # a practice paper from the user's own blueprint
    view = desk.view("zhang", view["paper_id"])       # the paper again (resume), never with its key
    result = desk.submit("zhang", paper_id, {"1": "A", "2": "AC"})   # graded once, recorded, key and 解析

Why here and not in the page: the client never sees a seed or a key before the attempt is recorded, so no
reload, replayed seed or blank submission can reveal an official paper's key in time to use it. An official
attempt that is still open is resumed, never redrawn; one that ran out is recorded as it stands (no answers:
0 points) before another starts; each user has `max_attempts_per_day` official attempts. Submissions after the
deadline (plus a short grace for the network) are recorded as late and do not pass. Organised sessions pass
`session_id`/`number` and their own blueprint; their windows and attempt limits are the session's business."""

from __future__ import annotations

import logging
import random
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from knowledge.errors import NotFoundError, XuefaError

from .grading import grade
from .models import JUDGE_OPTIONS, LETTERS, Blueprint, Paper, PRESETS

log = logging.getLogger(__name__)

GRACE_SECONDS = 60  # network and a slow click; a submission later than this is late
KIND_OFFICIAL, KIND_PRACTICE, KIND_MISTAKES, KIND_SESSION = "official", "practice", "mistakes", "session"


def _aware(t: datetime | None) -> datetime | None:
    if t is not None and t.tzinfo is None:
        return t.replace(tzinfo=timezone.utc)
    return t


def item_view(item: Any) -> dict[str, Any]:
    """An item as the candidate sees it: no key, no 解析."""
    options = JUDGE_OPTIONS if item.type == "判断" else list(item.options)
    return {"number": item.number, "type": item.type, "stem": item.stem, "points": item.points,
            "choices": [f"{LETTERS[i]}. {o}" for i, o in enumerate(options)] if item.type != "填空" else []}


class ExamDesk:
    def __init__(self, exams: Any, db: Any, user_id: Callable[[str], int] | None = None,
                 clock: Callable[[], datetime] | None = None, bank: Any = None):
        from assistant.db import AttemptRepo, PaperRepo

        self.exams = exams
        self.papers = PaperRepo(db)
        self.attempts = AttemptRepo(db)
        if user_id is None:
            from assistant.accounts.service import Accounts

            user_id = Accounts(db).ensure_record_holder  # account name -> id (a no-login holder if needed)
        self.user_id = user_id
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.bank = bank  # QuestionBank: official papers come from approved items when there are enough

    # ---- papers ------------------------------------------------------------------------------
    def start(self, user: str, preset: str | None = None, *, blueprint: Blueprint | None = None,
              party_member: bool = False, local: tuple[str, ...] | list[str] = (), kind: str | None = None,
              session_id: int | None = None, number: int = 1) -> dict[str, Any]:
        """A new attempt on a paper drawn here (random seed), or the open official attempt resumed."""
        if blueprint is None:
            name = preset or "任前法律知识考试"
            if name not in PRESETS:
                raise XuefaError(f"没有这个考试大纲：{name}（可选：{'、'.join(PRESETS)}）")
            blueprint = Blueprint.preset(name, party_member=bool(party_member), local=list(local))
        else:
            blueprint = Blueprint.from_json(blueprint.to_json())
            blueprint.official = False  # a user's own blueprint is practice, whatever it says
        kind = kind or (KIND_OFFICIAL if blueprint.official else KIND_PRACTICE)
        uid = self.user_id(user)
        if kind == KIND_OFFICIAL and session_id is None:
            resumed = self._settle_official(user, uid, blueprint)
            if resumed is not None:
                return resumed
        blueprint.seed = secrets.randbelow(2 ** 31)
        paper = None
        if kind == KIND_OFFICIAL and self.bank is not None:
            laws = [law.title for law, _ in self.exams.scope(blueprint)]
            paper = self.bank.draw(blueprint, random.Random(blueprint.seed), laws)
        if paper is None:
            paper = self.exams.generate(blueprint)
        if not paper.items:
            raise XuefaError("按当前范围没有出出题目，请换一个考试范围（如：宪法、监察法）。")
        return self._open(paper, uid, kind, session_id, number)

    def start_paper(self, user: str, paper: Paper, kind: str = KIND_MISTAKES, session_id: int | None = None,
                    number: int = 1) -> dict[str, Any]:
        """An attempt on a paper made elsewhere (错题练习, a session's shared paper)."""
        if not paper.items:
            raise XuefaError("这份试卷没有题目。")
        return self._open(paper, self.user_id(user), kind, session_id, number)

    def _open(self, paper: Paper, uid: int, kind: str, session_id: int | None, number: int) -> dict[str, Any]:
        row = self.papers.save(paper.to_json(), user_id=uid, session_id=session_id, kind=kind)
        now = self.clock()
        attempt = self.attempts.start(row.id, uid, session_id=session_id, number=number,
                                      deadline_at=now + timedelta(minutes=paper.minutes), title=paper.title,
                                      started_at=now)
        return self._view(row, paper, attempt)

    def _settle_official(self, user: str, uid: int, blueprint: Blueprint) -> dict[str, Any] | None:
        """Resume the open official attempt; record expired ones; refuse past the daily limit."""
        now = self.clock()
        today = 0
        for att in self.attempts.for_user(uid):
            row = self.papers.get(att.paper_id)
            if row is None or row.kind != KIND_OFFICIAL or att.session_id is not None:
                continue
            if att.submitted_at is None:
                if now <= _aware(att.deadline_at) + timedelta(seconds=GRACE_SECONDS):
                    return self._view(row, Paper.from_json(row.data), att)
                self._record(user, row, att, {}, late=True)  # ran out: recorded as it stands
            if _aware(att.started_at).date() == now.date():
                today += 1
        limit = blueprint.max_attempts_per_day
        if limit and today >= limit:
            raise XuefaError(f"今天的正式考试次数已用完（每天 {limit} 次），请明天再来；可以先做练习卷。")
        return None

    def _view(self, row: Any, paper: Paper, attempt: Any) -> dict[str, Any]:
        deadline = _aware(attempt.deadline_at)
        left = max(0, int((deadline - self.clock()).total_seconds())) if deadline else None
        heading_of = {it.number: h for _, its, h in paper.section_headings() for it in its}
        return {"paper_id": row.id, "title": paper.title, "minutes": paper.minutes, "total": paper.total,
                "pass_mark": paper.pass_mark, "notes": list(paper.notes), "scope": list(paper.scope),
                "official": row.kind == KIND_OFFICIAL, "kind": row.kind, "seconds_left": left,
                "deadline": deadline.isoformat() if deadline else None,
                "sections": [{"type": k, "heading": h, "numbers": [it.number for it in its]}
                             for k, its, h in paper.section_headings()],
                "items": [dict(item_view(it), heading=heading_of.get(it.number, "")) for it in paper.items]}

    def _owned(self, user: str, paper_id: str) -> tuple[Any, Any, Paper, int]:
        uid = self.user_id(user)
        row = self.papers.get(paper_id or "")
        if row is None or row.user_id != uid:
            raise NotFoundError("找不到这份试卷（可能已过期），请重新生成。")
        att = self.attempts.for_paper(row.id, uid)
        if att is None:
            raise NotFoundError("这份试卷没有作答记录，请重新生成。")
        return row, att, Paper.from_json(row.data), uid

    def view(self, user: str, paper_id: str) -> dict[str, Any]:
        """The paper without its key while open; the recorded result once submitted."""
        row, att, paper, _ = self._owned(user, paper_id)
        if att.submitted_at is not None:
            return dict(att.result or {}, submitted=True)
        return self._view(row, paper, att)

    def submit(self, user: str, paper_id: str, answers: dict | list | None) -> dict[str, Any]:
        """Grade and record the attempt once; the result (with keys and 解析) only after it is recorded."""
        row, att, paper, _ = self._owned(user, paper_id)
        if att.submitted_at is not None:
            return dict(att.result or {}, already=True)
        late = self.clock() > _aware(att.deadline_at) + timedelta(seconds=GRACE_SECONDS)
        return self._record(user, row, att, answers or {}, late=late)

    def _record(self, user: str, row: Any, att: Any, answers: Any, late: bool) -> dict[str, Any]:
        paper = Paper.from_json(row.data)
        result = grade(paper, answers)
        official = row.kind == KIND_OFFICIAL
        passed = result.passed and not (late and official)
        now = self.clock()
        elapsed = (now - _aware(att.started_at)).total_seconds()
        out = result.to_json()
        out.update(title=paper.title, paper_id=row.id, official=official, kind=row.kind, late=late, passed=passed,
                   overtime=late, elapsed_seconds=round(elapsed), submitted=True,
                   unanswered=[r.number for r in result.items if r.your_answer is None],
                   not_understood=list(result.not_understood))
        by_number = {it.number: it for it in paper.items}
        for r in out["items"]:
            it = by_number.get(r["number"])
            r["stem"] = it.stem if it else ""
            r["answer_text"] = it.answer_text if it else r["key"]
            r["explanation"] = it.explanation if it else ""
        self.attempts.submit(att.id, score=result.score, total=result.total, pass_mark=result.pass_mark,
                             passed=passed, result=out, late=late, submitted_at=now,
                             answers=[{"number": r.number, "item_uid": by_number[r.number].uid if r.number in
                                       by_number else "", "given": r.your_answer or "", "correct": r.correct,
                                       "score": r.score, "citations": r.citations} for r in result.items])
        try:
            self.exams.record_mistakes(user, paper, result)
        except XuefaError as exc:  # no 错题本 configured: the attempt is recorded all the same
            log.info("错题本未记录：%s", exc)
        return out

    # ---- records -----------------------------------------------------------------------------
    def history(self, user: str, limit: int = 50) -> list[dict[str, Any]]:
        """Submitted attempts, newest first, official ones marked apart from practice."""
        uid = self.user_id(user)
        out = []
        for att in self.attempts.for_user(uid, submitted=True, limit=limit):
            row = self.papers.get(att.paper_id)
            kind = row.kind if row is not None else ""
            out.append({"time": _aware(att.submitted_at).astimezone().strftime("%Y-%m-%d %H:%M"),
                        "title": att.title, "kind": kind, "official": kind == KIND_OFFICIAL,
                        "score": att.score, "total": att.total, "passed": bool(att.passed), "late": bool(att.late),
                        "wrong": sum(1 for a in att.answers if not a.correct)})
        return out

    def paper_for_export(self, user: str, paper_id: str, with_key: bool) -> Paper:
        """The paper for Word output; its key only once the attempt is recorded."""
        _, att, paper, _ = self._owned(user, paper_id)
        if with_key and att.submitted_at is None:
            raise XuefaError("交卷后才能下载答案与解析。")
        return paper
