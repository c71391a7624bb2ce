"""Checks every candidate must pass before it becomes an item.

- a true statement occurs (normalised) in its cited article;
- a false statement occurs nowhere in the knowledge base, and no stored sentence repeats it nearly word for
  word with the changed-in term (`truth.TruthIndex.supports`): that article would make it true;
- a blank's key is exactly the article's term, and no distractor put in the blank yields a sentence that
  exists in the knowledge base or is supported by one;
- options are distinct.
Paper-level rules (unique stems, one item per sentence, balanced key letters) are enforced in `assemble.py`."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from . import text as T
from .lexicon import lexicon
from .generators import Candidate
from .models import FILL, JUDGE, MULTI, SINGLE

Contains = Callable[[str], bool]  # normalised substring search over every stored article
Supports = Callable[[str, str], "str | None"]  # (statement, changed-in term) -> a stored sentence making it true


def _never(statement: str, new: str) -> None:
    return None


def _in_article(c_text: str, article_text: str) -> bool:
    return T.norm_stmt(c_text) in T.norm(article_text)


def _distinct(options: list[str]) -> bool:
    keys = [T.norm_stmt(o) for o in options]
    return len(set(keys)) == len(keys) and all(keys)


def false_ok(st, contains: Contains, supports: Supports) -> bool:
    """A false statement is false everywhere: not stored verbatim, not supported by any stored sentence."""
    if contains(T.norm_stmt(st.text)):
        return False
    return st.change is None or supports(st.text, st.change[2]) is None


def _statements_ok(c: Candidate, contains: Contains, supports: Supports) -> Candidate | None:
    """Options that are statements: the true ones in their articles, the false ones false everywhere."""
    for st in c.statements:
        if st.truth and not _in_article(st.text, st.ref.article.text):
            return None
        if not st.truth and not false_ok(st, contains, supports):
            return None
    if not _distinct([s.text for s in c.statements]) or not any(s.truth for s in c.statements):
        return None
    if c.form == "negative" and sum(not s.truth for s in c.statements) != 1:
        return None
    return c


def validate(c: Candidate, contains: Contains, n_options: int = 4,
             supports: Supports = _never) -> Candidate | None:
    """The candidate with its final distractors chosen, or None if it breaks a rule."""
    if c.type == JUDGE:
        st = c.statements[0]
        if st.truth:
            return c if _in_article(st.text, st.ref.article.text) else None
        return c if false_ok(st, contains, supports) else None
    if c.form == "scenario":  # the key is the article's own consequence; distractors share no sanction with it
        quote = c.refs[0].quote.split("\n")
        if not all(_in_article(q, c.refs[0].article.text) for q in quote) or c.key[0] not in quote[0]:
            return None
        if c.kind == "tier" and (c.key[0] not in c.blank[1] or c.blank[1] not in c.refs[0].quote):
            return None  # the key must be a sanction of the stated tier, in the cited words
        chosen = [d for d in c.distractors if T.norm(d) != T.norm(c.key[0])
                  and (c.kind != "tier" or d not in c.blank[1])][:n_options - 1]
        if len(chosen) < n_options - 1 or not _distinct(c.key + chosen):
            return None
        return replace(c, distractors=chosen)
    if c.form in ("statements", "negative", "combination"):
        return _statements_ok(c, contains, supports)
    if c.form == "blanks":  # two blanks: the sentence restored from both keys is the article's
        before, mid, after = c.blank
        filled = before + c.key[0] + mid + c.key[1] + after
        return c if len(c.key) == 2 and _in_article(filled, c.refs[0].article.text) else None
    if c.type in (SINGLE, FILL):
        before, after = c.blank
        ref = c.refs[0]
        if not _in_article(before + c.key[0] + after, ref.article.text):
            return None
        if c.type == FILL:
            return c
        chosen = []
        for d in c.distractors:
            if T.norm(d) == T.norm(c.key[0]) or T.norm(d) in {T.norm(x) for x in chosen}:
                continue
            filled = before + d + after
            if contains(T.norm_stmt(filled)) or supports(filled, d) is not None:
                continue
            if c.kind == "organ" and any(lexicon().related(d, x) for x in chosen):
                continue  # two distractors naming overlapping bodies read as a trick
            chosen.append(d)
            if len(chosen) == n_options - 1:
                break
        if len(chosen) < n_options - 1 or not _distinct(c.key + chosen):
            return None
        return replace(c, distractors=chosen)
    if c.type == MULTI and c.form == "enumeration":
        head = c.refs[0]
        para = head.article.paragraphs[head.paragraph - 1]
        items = {T.norm_stmt(T._ITEM_MARK.sub("", it)) for it in para.items}
        if any(T.norm_stmt(k) not in items for k in c.key):
            return None
        art = T.norm(head.article.text)
        need = n_options - len(c.key)
        if need < 1:
            return None
        chosen = [d for d in c.distractors if T.norm_stmt(d) not in art][:need]
        if len(chosen) < need or not _distinct(c.key + chosen):
            return None
        return replace(c, distractors=chosen)
    if c.form == "case":  # LLM items are checked when they are made (citations + blind second pass)
        return c if _distinct(c.key + c.distractors) else None
    return None
