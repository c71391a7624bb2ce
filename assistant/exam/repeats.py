"""What makes two items of one paper read as the same question or hint each other (review 9501): the same key
over the same option set, the same option set of organs, the same frame around a blank, one template sentence
twice, and too many 不得→可以 swaps among the false statements. Rules in data/paper_rules.json."""

from __future__ import annotations

from functools import lru_cache

from . import text as T
from .lexicon import _read
from .models import FILL, SINGLE

BLANK = "（　　）"


@lru_cache(maxsize=1)
def rules() -> dict:
    return _read("paper_rules.json")  # the package's one data reader: a clear Chinese error on a bad file


def option_set(c) -> frozenset[str] | None:
    """A 单选's printed options (key and chosen distractors), None for other items."""
    if c.type != SINGLE or not c.key or not c.distractors:
        return None
    return frozenset(T.norm(x) for x in c.key + c.distractors)


def option_marks(c) -> set[tuple]:
    """Marks no two 单选 of a paper may share: (key, option set) always; for a blank (not a sanction scale, whose
    grades are the options of every graded item) the option set alone (a fixed class of organs offered twice: the
    second item is answered by elimination from the first)."""
    opts = option_set(c)
    if opts is None:
        return set()
    marks = {("key", T.norm(c.key[0]), opts)}
    if c.form == "blank" and c.kind != "sanction":
        marks.add(("set", opts))  # numbers and measures too: "五日、七日、十日、十五日" twice reads as a drill
    return marks


def key_marks(c) -> set[tuple]:
    """The marks of `option_marks` no paper repeats even in its final fill: the same key over the same options."""
    return {m for m in option_marks(c) if m[0] == "key"}


def frame(c) -> str | None:
    """The words just before a blank ("全国人民代表大会和"), None when the item has no (single) blank."""
    if c.type not in (SINGLE, FILL) or c.form != "blank":
        return None
    s = T.norm(c.stem)
    at = s.find(T.norm(BLANK))
    if at < 0:
        return None
    n = int(rules().get("frame_chars", 8))
    head = s[max(0, at - n):at]
    return head if len(head) >= n // 2 else None


def templates(c) -> set[str]:
    """The data file's template phrases the item prints or quotes."""
    texts = [c.stem, *c.key, *c.distractors, *(s.text for s in c.statements), *(r.quote or "" for r in c.refs)]
    return {t for t in rules().get("templates", ()) if any(t in x for x in texts)}


def modal_count(c) -> tuple[int, int]:
    """(false statements, of them 不得/应当→可以 swaps) an item prints."""
    falses = [s for s in c.statements if not s.truth]
    return len(falses), sum(1 for s in falses if s.change and s.change[0] == "modal")


def modal_ok(false_so_far: int, modal_so_far: int, c) -> bool:
    """May the paper take c without its modal swaps exceeding `modal_share` of its false statements?"""
    f, m = modal_count(c)
    if not m:
        return True
    share = float(rules().get("modal_share", 0.25))
    return modal_so_far + m <= max(1, int(share * (false_so_far + f)))
