"""Grading and the mistakes notebook (错题本).

Answers are keyed by item number (1-based) as strings, or given as a list in item order:
    {"1": "A", "2": ["A", "C"], "3": "正确", "4": "三"}     or     ["A", ["A", "C"], "错误", "三"]
单选: a letter. 多选: letters as a list or a string ("AC", "A,C"). 判断: "正确"/"错误", "对"/"错", "√"/"×",
"A"/"B", true/false. 填空: the words; spaces and punctuation are ignored, 3 and 三 are the same.
Unanswered items score 0."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from knowledge.numerals import cn_to_int

from . import text as T
from .models import FILL, JUDGE, LETTERS, MULTI, Item, Paper

_TRUE = {"正确", "对", "对的", "√", "✓", "✔", "☑", "是", "T", "TRUE", "Y", "YES", "A", "O", "○", "1"}
_FALSE = {"错误", "错", "错的", "不对", "×", "✗", "✘", "╳", "X", "☒", "否", "F", "FALSE", "N", "NO", "B", "0"}
_UNITS = ("个工作日", "个月", "日", "天", "年", "小时", "周岁", "届", "倍", "万元", "元")
_ARABIC_FRACTION = re.compile(r"^(\d+)/(\d+)$")
_FULL = str.maketrans("ＡＢＣＤＥＦＧＨａｂｃｄｅｆｇｈ", "ABCDEFGHabcdefgh")


def normalise_answer(item: Item, raw: Any) -> str | None:
    """An answer in the key's form ("A", "ACD", "A"/"B" for 判断, words for 填空); None if unanswered."""
    return understand(item, raw)[0]


def understand(item: Item, raw: Any) -> tuple[str | None, str | None]:
    """(answer in the key's form or None, why it could not be read or None)."""
    if raw is None or raw == "" or raw == [] or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if item.type == FILL:
        text = str(raw).strip()
        if item.form == "blanks":
            n = len(item.answer.split(BLANK_SEP))
            got = blank_answers(text)
            if len(got) != n:
                return text, f"本题有{n}个空，收到{len(got)}个答案（各空请依次填写，用“；”隔开）"
        return text, None
    if item.type == JUDGE:
        if isinstance(raw, bool):
            return ("A" if raw else "B"), None
        s = re.sub(r"\s+|[。.！!]$", "", str(raw)).translate(_FULL).upper()
        s = re.sub(r"^[AB][.、．]\s*", lambda m: m.group(0)[0], s) if len(s) > 1 else s
        if s in _TRUE or s.startswith("A") and s[1:] in ("正确", ""):
            return "A", None
        if s in _FALSE or s.startswith("B") and s[1:] in ("错误", ""):
            return "B", None
        return None, f"判断题答案“{raw}”无法识别（可写：正确/错误、对/错、√/×、A/B）"
    if isinstance(raw, (list, tuple)):
        raw = "".join(str(x)[:1] if re.match(r"^[A-HＡ-Ｈa-h][.．、]", str(x)) else str(x) for x in raw)
    text = str(raw).translate(_FULL).upper()
    letters = re.sub(r"[^A-H]", "", text)
    n_opt = len(item.options) or 4
    bad = [ch for ch in letters if LETTERS.index(ch) >= n_opt]
    if not letters or bad or re.search(r"[^A-H\s,，、;；.．]", text):
        return None, f"答案“{raw}”无法识别（应为选项字母，如 A 或 ACD）"
    ans = "".join(sorted(set(letters)))
    if item.type != MULTI and len(ans) > 1:
        return None, f"单选题只能选一个答案，收到“{raw}”"
    return ans, None


BLANK_SEP = "；"  # between the keys of a multi-blank 填空 (generators.SEP)
_BLANK_SPLIT = re.compile(r"[；;，,、/|\s]+")


def blank_answers(text: str) -> list[str]:
    """The answers of a multi-blank 填空, in order: "三；六个月", "3, 6", "三 六"."""
    return [p for p in _BLANK_SPLIT.split(text or "") if p]


def _fill_forms(text: str) -> set[str]:
    """A 填空 answer and the forms it may be written in: with or without its unit, 2/3 for 三分之二."""
    t = T.norm_stmt(text).strip("\"'")
    out = {t}
    for unit in _UNITS:
        if t.endswith(unit) and len(t) > len(unit):
            out.add(t[: -len(unit)])
            break
    m = _ARABIC_FRACTION.match(t)
    if m:
        from knowledge.numerals import int_to_cn

        out.add(f"{int_to_cn(int(m.group(2)))}分之{int_to_cn(int(m.group(1)))}")
    for x in list(out):
        v = cn_to_int(x)
        if v is not None:
            out.add(str(v))
    return out


def _fill_equal(given: str, key: str, aliases: tuple[str, ...] = ()) -> bool:
    keys = set()
    for k in (key, *aliases):
        keys |= _fill_forms(k)
    return bool(_fill_forms(given) & keys)


def score_item(item: Item, answer: str | None, partial: str | float = "none") -> float:
    """Points earned. 多选: all-or-nothing by default; partial="proportional" gives points × chosen/key when
    no wrong option is chosen; a number f gives points × f for any correct but incomplete choice."""
    if answer is None:
        return 0.0
    if item.type == FILL and item.form == "blanks":  # each blank its share of the points
        keys = item.answer.split(BLANK_SEP)
        got = blank_answers(answer)
        right = sum(1 for i, k in enumerate(keys) if i < len(got) and _fill_equal(got[i], k))
        return round(item.points * right / len(keys), 2)
    if item.type == FILL:
        return item.points if _fill_equal(answer, item.answer, tuple(item.aliases)) else 0.0
    if item.type != MULTI:
        return item.points if answer == item.answer else 0.0
    if answer == item.answer:
        return item.points
    chosen, key = set(answer), set(item.answer)
    if partial in (None, "none", 0, "0") or not chosen or not chosen < key:
        return 0.0
    if partial == "proportional":
        return round(item.points * len(chosen) / len(key), 2)
    return round(item.points * float(partial), 2)


@dataclass
class ItemResult:
    number: int
    type: str
    correct: bool
    score: float
    points: float
    your_answer: str | None
    key: str
    law: str
    citations: list[str]
    article_ids: list[str]


@dataclass
class GradeResult:
    score: float
    total: float
    pass_mark: float
    passed: bool
    per_law: dict[str, dict[str, float]]  # law -> score, total, correct, count
    per_type: dict[str, dict[str, float]]
    items: list[ItemResult] = field(default_factory=list)
    not_understood: list[dict[str, Any]] = field(default_factory=list)  # {"number", "given", "reason"}

    @property
    def wrong(self) -> list[ItemResult]:
        return [r for r in self.items if not r.correct]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        verdict = "合格" if self.passed else "不合格"
        lines = [f"得分 {self.score:g} / {self.total:g}（合格线 {self.pass_mark:g}）：{verdict}"]
        for law, d in self.per_law.items():
            lines.append(f"  《{law}》 {d['score']:g}/{d['total']:g}，答对 {d['correct']:g}/{d['count']:g} 题")
        return "\n".join(lines)


def parse_answers(answers: Any, n: int) -> dict[int, Any]:
    if isinstance(answers, (str, Path)) and Path(answers).exists():
        answers = json.loads(Path(answers).read_text(encoding="utf-8"))
    if isinstance(answers, (list, tuple)):
        return {i: a for i, a in enumerate(answers, 1) if i <= n}
    if isinstance(answers, dict):
        out = {}
        for k, v in answers.items():
            try:
                out[int(str(k).strip().rstrip("."))] = v
            except ValueError:
                continue
        return out
    raise ValueError("答案应为以题号为键的对象（如 {\"1\": \"A\"}）或按题序排列的列表")


def grade(paper: Paper, answers: Any, partial: str | float | None = None) -> GradeResult:
    partial = paper.multi_partial if partial is None else partial
    given = parse_answers(answers, len(paper.items))
    results, per_law, per_type, unread = [], {}, {}, []
    for i, item in enumerate(paper.items, 1):
        raw = given.get(item.number or i)
        ans, why = understand(item, raw)
        if why:
            unread.append({"number": item.number or i, "given": str(raw)[:100], "reason": why})
        s = score_item(item, ans, partial)
        law = item.citations[0].law if item.citations else "（未注明）"
        r = ItemResult(number=item.number or i, type=item.type, correct=s >= item.points, score=s, points=item.points,
                       your_answer=ans, key=item.answer, law=law, citations=[c.label for c in item.citations],
                       article_ids=item.article_ids)
        results.append(r)
        for table, name in ((per_law, law), (per_type, item.type)):
            d = table.setdefault(name, {"score": 0.0, "total": 0.0, "correct": 0, "count": 0})
            d["score"] += s
            d["total"] += item.points
            d["correct"] += int(r.correct)
            d["count"] += 1
    score = round(sum(r.score for r in results), 2)
    total = paper.total
    return GradeResult(score=score, total=total, pass_mark=paper.pass_mark, passed=score >= paper.pass_mark,
                       per_law=per_law, per_type=per_type, items=results, not_understood=unread)


# ---- 错题本 ---------------------------------------------------------------------------------
_SAFE = re.compile(r"[^\w\u4e00-\u9fff-]")


def user_dirname(user: str) -> str:
    """A user's directory name (错题本, exam history, exports): no path parts, and distinct for distinct users —
    a name that had to be changed (zhang.san -> zhang_san) gets a short hash so it cannot meet another's."""
    raw = (user or "").strip()
    if not raw:
        raise ValueError("用户名不能为空")
    name = _SAFE.sub("_", raw)[:64]
    if name != raw:
        name += "-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:8]
    return name


class MistakeBook:
    """One user's mistakes, keyed by article id, in <data_dir>/<user>/mistakes.json."""

    _lock = threading.Lock()

    def __init__(self, data_dir: Path, user: str):
        self.path = Path(data_dir) / user_dirname(user) / "mistakes.json"

    def load(self) -> dict[str, dict[str, Any]]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8")).get("articles", {})

    def record(self, paper: Paper, result: GradeResult) -> int:
        """Add wrong answers (and count right ones) per cited article; returns how many articles were touched."""
        with self._lock:
            book = self.load()
            before = set(book)  # a right answer only counts against mistakes made in earlier papers
            now = datetime.now().isoformat(timespec="seconds")
            touched = 0
            by_number = {it.number: it for it in paper.items}
            for r in result.items:
                item = by_number.get(r.number)
                if item is None:
                    continue
                counted: set[str] = set()
                for c in item.citations:  # an item citing an article and its 项 counts once for the article
                    aid = c.article_id or f"{c.law}#{c.article}-{c.sub}"
                    if aid in counted:
                        continue
                    counted.add(aid)
                    e = book.get(aid)
                    if r.correct and aid not in before:
                        continue
                    if e is None:
                        e = book[aid] = {"law": c.law, "law_id": c.law_id, "article": c.article, "sub": c.sub,
                                         "label": c.label.split("》")[-1], "wrong": 0, "right": 0, "items": []}
                    if r.correct:
                        e["right"] += 1
                    else:
                        e["wrong"] += 1
                        e["last_wrong"] = now
                        if item.uid not in [x.get("uid") for x in e["items"]]:
                            e["items"].append({"uid": item.uid, "type": item.type, "stem": item.stem,
                                               "answer": item.answer, "your_answer": r.your_answer})
                            e["items"] = e["items"][-10:]
                    touched += 1
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"articles": book}, ensure_ascii=False, indent=2), encoding="utf-8")
            tmp.replace(self.path)
            return touched

    def entries(self) -> list[dict[str, Any]]:
        """Articles still worth practising (more wrong than right), worst first."""
        out = [dict(v, article_id=k) for k, v in self.load().items() if v["wrong"] > v["right"]]
        out.sort(key=lambda e: (-(e["wrong"] - e["right"]), e.get("last_wrong", "")), reverse=False)
        return out


__all__ = ["GradeResult", "ItemResult", "MistakeBook", "grade", "normalise_answer", "score_item", "LETTERS"]
