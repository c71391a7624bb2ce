"""Optional LLM items (案例/情景单选), kept only when they survive two checks:

1. the citation verifier accepts the item's citation (it names the article the item was written from) and
   its quote occurs verbatim in that article;
2. a second, blind pass of the model, shown only the cited article and the item without its key, picks the
   same key.
Without a configured LLM nothing here runs."""

from __future__ import annotations

import json
import logging
import random
import re
from pathlib import Path
from typing import Any

from knowledge.models import Article, Law

from . import text as T
from .generators import Candidate, Ref, prefix
from .models import LETTERS, SINGLE, JUDGE

log = logging.getLogger(__name__)
PROMPTS = Path(__file__).parent / "prompts"


def _prompt(name: str, **values: str) -> str:
    text = (PROMPTS / name).read_text(encoding="utf-8")
    for k, v in values.items():
        text = text.replace("{" + k + "}", v)
    return text


def _ask(llm: Any, prompt: str) -> str:
    out = llm.invoke(prompt)
    return getattr(out, "content", out) if not isinstance(out, str) else out


def parse_item(raw: str) -> dict[str, Any] | None:
    """The model's JSON object, with options as four plain strings; None if malformed."""
    m = re.search(r"\{.*\}", raw or "", re.S)
    if not m:
        return None
    try:
        d = json.loads(m.group(0))
    except json.JSONDecodeError:
        return None
    opts = d.get("options")
    if isinstance(opts, dict):
        opts = [opts.get(k, "") for k in "ABCD"]
    if not isinstance(opts, list) or len(opts) != 4:
        return None
    opts = [re.sub(r"^\s*[A-DＡ-Ｄ][.．、:：)）]\s*", "", str(o)).strip() for o in opts]
    answer = str(d.get("answer", "")).strip().upper()[:1]
    if answer not in "ABCD" or not answer or not all(opts) or len({T.norm(o) for o in opts}) != 4:
        return None
    stem = str(d.get("stem", "")).strip()
    if len(stem) < 10:
        return None
    return {"stem": stem, "options": opts, "answer": answer, "citation": str(d.get("citation", "")),
            "quote": str(d.get("quote", "")).strip()}


def citations_ok(kb: Any, law: Law, article: Article, citation: str, quote: str) -> bool:
    """Every reference in the citation resolves to the article the item was written from; the quote is in it.

    Uses `knowledge.citations.find_references` to parse and `kb.lookup` to resolve."""
    from knowledge.citations import find_references

    refs = [r for r in find_references(citation, resolve=getattr(kb, "resolve_law", None)) if r.article]
    if not refs:
        return False
    for r in refs:
        found = kb.lookup(r.law_name or "", r.article, r.sub) if r.law_name else None
        if found is None or found[0].law_id != law.law_id or found[1].article_id != article.article_id:
            return False
        if r.paragraph and article.paragraph_text(r.paragraph, r.item) is None:
            return False
    q = T.norm_stmt(quote.strip("“”\"'"))
    return len(q) >= 6 and q in T.norm(article.text)


def blind_answer(llm: Any, law: Law, article: Article, stem: str, options: list[str]) -> str | None:
    prompt = _prompt("blind_answer.txt", law=law.title, label=article.label, text=article.text, stem=stem,
                     options="\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(options)))
    m = re.search(r"[A-D]", _ask(llm, prompt).upper())
    return m.group(0) if m else None


def make_case_item(llm: Any, kb: Any, law: Law, article: Article) -> Candidate | None:
    """One LLM item from one article, or None if it fails either check."""
    raw = _ask(llm, _prompt("case_item.txt", law=law.title, label=article.label, text=article.text))
    d = parse_item(raw)
    if d is None:
        log.info("大模型题目格式不合格：%s", article.article_id)
        return None
    if not citations_ok(kb, law, article, d["citation"], d["quote"]):
        log.info("大模型题目引用未通过校验：%s %s", d["citation"], article.article_id)
        return None
    if blind_answer(llm, law, article, d["stem"], d["options"]) != d["answer"]:
        log.info("大模型盲答与题目答案不一致：%s", article.article_id)
        return None
    k = LETTERS.index(d["answer"])
    stem = d["stem"] if d["stem"].startswith("根据") else f"{prefix(law)}{d['stem']}"
    if not stem.rstrip().endswith(("）", ")")):
        stem = stem.rstrip() + "（　　）"
    ref = Ref(law, article, None, None, d["quote"].strip("“”\"'"))
    return Candidate(SINGLE, "case", law, stem, [ref], [T.norm_stmt(ref.quote)], difficulty=3,
                     key=[d["options"][k]], distractors=[o for i, o in enumerate(d["options"]) if i != k])


def case_items(service: Any, banks: list, n: int, seed: int, state: Any) -> list[Candidate]:
    """Up to n verified LLM items on articles of the scope (tries at most 3n articles)."""
    seen: dict[str, tuple[Law, Article]] = {}
    for law, _, bank in banks:
        for c in bank[SINGLE] + bank[JUDGE]:
            seen.setdefault(c.refs[0].article.article_id, (law, c.refs[0].article))
    arts = sorted(seen.values(), key=lambda la: la[1].article_id)
    random.Random(f"case|{seed}").shuffle(arts)
    out: list[Candidate] = []
    for law, article in arts[: 3 * n]:
        if len(out) >= n:
            break
        try:
            c = make_case_item(service.llm, service.kb, law, article)
        except Exception as exc:  # a flaky endpoint must not break paper generation
            log.warning("大模型出题失败：%s", exc)
            continue
        if c is not None and state.fits(c):
            state.take(c)
            out.append(c)
    return out
