"""The question bank people can trust: generated and hand-written items in the database (`assistant.db.BankRepo`)
with a status — 待审核 → 已审核, or 停用 — reviewed, edited, approved or retired by a 管理员 or 出题人; official
papers are drawn from 已审核 items when the bank holds enough for the blueprint; Excel import/export.

    bank = QuestionBank(db, exams)
    bank.harvest(["宪法", "监察法"], per_type=30, created_by=uid)   # generated items, 待审核
    bank.approve(item_id, reviewer_id) / bank.retire(...) / bank.edit(item_id, stem=…, …)
    paper = bank.draw(blueprint, rng)                              # None when too few items are approved
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Any

from knowledge.errors import XuefaError

from .assemble import largest_remainder
from .models import FILL, JUDGE, LETTERS, MULTI, SINGLE, TYPES, Blueprint, Citation, Item, Paper

EXCEL_HEADER = ["编号", "状态", "题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "答案", "解析", "法规", "条",
                "来源"]


def _row_item(row: Any) -> Item:
    """A bank row as an exam Item (its JSON when generated, or built from its columns when hand-written)."""
    if row.data:
        it = Item.from_json(row.data)
        it.stem, it.options, it.answer, it.explanation = row.stem, list(row.options), row.answer, row.explanation
        return it
    cites = [Citation.from_json(c) for c in row.citations] or [Citation(row.doc_key, row.article, sub=row.sub)]
    return Item(type=row.type, stem=row.stem, options=list(row.options), answer=row.answer,
                explanation=row.explanation, citations=cites, difficulty=row.difficulty, uid=row.uid,
                source="bank")


def check_item(type_: str, stem: str, options: list[str], answer: str, law: str, article: Any) -> str:
    """A clear Chinese error for an item that cannot be stored, or "" when it is fine."""
    if type_ not in TYPES:
        return f"题型应为 {'、'.join(TYPES)} 之一"
    if not stem.strip():
        return "题干不能为空"
    if not law.strip() or not str(article).strip().isdigit():
        return "请写明依据的法规名称和条号（数字）"
    answer = answer.strip().upper() if type_ != FILL else answer.strip()
    if type_ in (SINGLE, MULTI):
        if len(options) < 2:
            return "选择题至少要有两个选项"
        letters = LETTERS[:len(options)]
        if not answer or any(ch not in letters for ch in answer):
            return f"答案应为选项字母（{letters[0]}～{letters[-1]}）"
        if type_ == SINGLE and len(answer) != 1:
            return "单选题只能有一个答案"
        if type_ == MULTI and len(answer) < 2:
            return "多选题至少要有两个答案"
    if type_ == JUDGE and answer not in ("A", "B", "正确", "错误"):
        return "判断题答案应为 正确/错误（或 A/B）"
    if type_ == FILL and not answer:
        return "填空题答案不能为空"
    return ""


class QuestionBank:
    def __init__(self, db: Any, exams: Any):
        from assistant.db import BankRepo

        self.repo = BankRepo(db)
        self.exams = exams

    # ---- filling the bank ------------------------------------------------------------------------
    def add_item(self, item: Item, source: str = "generated", created_by: int | None = None) -> tuple[Any, bool]:
        c = item.citations[0]
        return self.repo.add(uid=item.uid or hashlib.sha1(item.stem.encode()).hexdigest()[:16], type=item.type,
                             stem=item.stem, options=item.options, answer=item.answer, explanation=item.explanation,
                             doc_key=c.law, article=c.article, sub=c.sub, paragraph=c.paragraph, item_no=c.item,
                             citations=[x.to_json() for x in item.citations], difficulty=item.difficulty,
                             source=source, data=item.to_json(), created_by=created_by)

    def harvest(self, laws: list[str], per_type: int = 20, created_by: int | None = None, seed: int = 0) -> int:
        """Generated items of the laws, validated like paper items, stored as 待审核; returns how many are new."""
        added = 0
        for name in laws:
            counts = {t: per_type for t in TYPES}
            paper = self.exams.generate(Blueprint(counts=counts, laws={name: 1.0}, seed=seed, title="题库"))
            for it in paper.items:
                _, new = self.add_item(it, created_by=created_by)
                added += int(new)
        return added

    def add_handwritten(self, type_: str, stem: str, options: list[str], answer: str, explanation: str, law: str,
                        article: int, created_by: int | None = None) -> Any:
        """A hand-written item; its law must be in the knowledge base and its article must exist."""
        err = check_item(type_, stem, options, answer, law, article)
        if err:
            raise XuefaError(f"题目不能保存：{err}。")
        found = self.exams.kb.lookup(law, int(article))
        if found is None:
            raise XuefaError(f"知识库中没有《{law}》第{article}条，请核对依据。")
        lawrow, art = found
        if type_ == JUDGE:
            answer = {"正确": "A", "错误": "B"}.get(answer.strip(), answer.strip().upper())
        cite = Citation(lawrow.title, art.number, sub=art.sub, law_id=lawrow.law_id, article_id=art.article_id)
        item = Item(type=type_, stem=stem.strip(), options=[] if type_ in (JUDGE, FILL) else options,
                    answer=answer.strip() if type_ == FILL else answer.strip().upper(), explanation=explanation,
                    citations=[cite], article_ids=[art.article_id], source="hand-written",
                    uid="h" + hashlib.sha1(f"{type_}|{stem}|{answer}".encode()).hexdigest()[:15])
        if type_ == JUDGE:
            item.options = ["正确", "错误"]
        row, _ = self.add_item(item, source="hand-written", created_by=created_by)
        return row

    # ---- review ---------------------------------------------------------------------------------
    def approve(self, item_id: int, reviewer_id: int | None, note: str = "") -> Any:
        from assistant.db import ITEM_APPROVED

        return self.repo.review(int(item_id), ITEM_APPROVED, reviewer_id, note)

    def retire(self, item_id: int, reviewer_id: int | None, note: str = "") -> Any:
        from assistant.db import ITEM_RETIRED

        return self.repo.review(int(item_id), ITEM_RETIRED, reviewer_id, note)

    def reopen(self, item_id: int, reviewer_id: int | None, note: str = "") -> Any:
        from assistant.db import ITEM_PENDING

        return self.repo.review(int(item_id), ITEM_PENDING, reviewer_id, note)

    def edit(self, item_id: int, *, stem: str, options: list[str], answer: str, explanation: str) -> Any:
        """Change an item's wording or key; it goes back to 待审核 until someone approves it again."""
        row = self.repo.get(int(item_id))
        if row is None:
            raise XuefaError(f"题库中没有编号为 {item_id} 的题目。")
        err = check_item(row.type, stem, options if row.type in (SINGLE, MULTI) else ["正确", "错误"], answer,
                         row.doc_key, row.article)
        if err:
            raise XuefaError(f"修改不能保存：{err}。")
        if row.type == JUDGE:
            answer = {"正确": "A", "错误": "B"}.get(answer.strip(), answer.strip().upper())
        elif row.type != FILL:
            answer = "".join(sorted(set(answer.strip().upper())))
        data = dict(row.data or {})
        data.update(stem=stem, options=options if row.type in (SINGLE, MULTI) else data.get("options", []),
                    answer=answer, explanation=explanation)
        return self.repo.edit(int(item_id), stem=stem, options=data["options"], answer=answer,
                              explanation=explanation, data=data)

    # ---- papers from approved items ----------------------------------------------------------------
    def draw(self, blueprint: Blueprint, rng: random.Random, laws: list[str]) -> Paper | None:
        """A paper of 已审核 items of the given law titles, or None when the bank is short of any type."""
        from assistant.db import ITEM_APPROVED

        rows = self.repo.list(status=ITEM_APPROVED, doc_keys=laws)
        by_type: dict[str, list[Any]] = {t: [r for r in rows if r.type == t] for t in TYPES}
        chosen: dict[str, list[Item]] = {}
        for t in TYPES:
            n = int(blueprint.counts.get(t, 0) or 0)
            if len(by_type[t]) < n:
                return None
            pool = list(by_type[t])
            rng.shuffle(pool)
            by_law: dict[str, list[Any]] = {}
            for r in pool:
                by_law.setdefault(r.doc_key, []).append(r)
            quotas = largest_remainder(n, [len(v) for v in by_law.values()])
            picked = [r for (law, v), q in zip(by_law.items(), quotas) for r in v[:q]]
            chosen[t] = [_row_item(r) for r in picked]
        items: list[Item] = []
        for t in TYPES:
            for it in chosen[t]:
                it.points = float(blueprint.points.get(t, it.points))
                items.append(it)
        for i, it in enumerate(items, 1):
            it.number = i
        total = sum(it.points for it in items)
        return Paper(title=blueprint.title, minutes=blueprint.minutes, items=items,
                     pass_mark=blueprint.whole_pass_mark(total), seed=blueprint.seed, blueprint=blueprint.to_json(),
                     scope=sorted({it.citations[0].law for it in items}), notes=["本卷题目均取自已审核题库"])

    # ---- listing and Excel -------------------------------------------------------------------------
    def rows(self, status: str | None = None, law: str | None = None, limit: int = 500) -> list[list[Any]]:
        items = self.repo.list(status=status or None, limit=limit)
        if law:
            items = [r for r in items if law in r.doc_key]
        return [[r.id, r.status, r.type, r.doc_key.replace("中华人民共和国", ""), f"第{r.article}条",
                 r.stem[:60], r.answer] for r in items]

    def export_excel(self, path: Path | str, status: str | None = None) -> Path:
        from assistant.export.xlsx import write_workbook

        rows = []
        for r in self.repo.list(status=status or None):
            opts = list(r.options) + [""] * (5 - len(r.options))
            rows.append([r.id, r.status, r.type, r.stem, *opts[:5], r.answer, r.explanation, r.doc_key, r.article,
                         "手工" if r.source == "hand-written" else "生成"])
        write_workbook(path, [("题库", EXCEL_HEADER, rows)])
        return Path(path)

    def import_excel(self, path: Path | str, created_by: int | None = None) -> dict[str, Any]:
        """Hand-written items from a sheet with EXCEL_HEADER's columns (编号/状态 ignored): all or nothing —
        any bad row stops the import with its row number and nothing is stored."""
        from assistant.export.xlsx import read_rows

        header, rows = read_rows(path)
        need = ["题型", "题干", "答案", "法规", "条"]
        missing = [h for h in need if h not in header]
        if missing:
            raise XuefaError(f"{Path(path).name}：缺少列 {'、'.join(missing)}（表头应为：{'、'.join(EXCEL_HEADER)}）")
        col = {h: header.index(h) for h in header}
        parsed, errors = [], []
        for number, cells in rows:
            get = lambda h: cells[col[h]].strip() if h in col and col[h] < len(cells) else ""  # noqa: E731
            options = [get(f"选项{x}") for x in "ABCDE" if get(f"选项{x}")]
            err = check_item(get("题型"), get("题干"), options, get("答案"), get("法规"), get("条"))
            if not err and self.exams.kb.lookup(get("法规"), int(get("条"))) is None:
                err = f"知识库中没有《{get('法规')}》第{get('条')}条"
            if err:
                errors.append(f"第{number}行：{err}")
                continue
            parsed.append((get("题型"), get("题干"), options, get("答案"), get("解析"), get("法规"), int(get("条"))))
        if errors:
            raise XuefaError(f"{Path(path).name} 未导入（共 {len(errors)} 处错误）：" + "；".join(errors[:10]))
        added = sum(1 for p in parsed if self.add_handwritten(*p, created_by=created_by) is not None)
        return {"added": added}
