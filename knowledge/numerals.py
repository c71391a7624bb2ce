"""Chinese numerals <-> int, for article labels such as 第一千二百六十条 and 第十七条之一."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

CN_NUM_CHARS = "零〇○一二三四五六七八九十百千万两"
NUM_RE = rf"[{CN_NUM_CHARS}]+|[0-9０-９]+"


def cn_to_int(text: str) -> int | None:
    """Parse '一千二百六十', '十五', '一百零三', '15' or '１５'; None if not a number."""
    text = text.strip().translate(_FULLWIDTH)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def int_to_cn(n: int) -> str:
    """1260 -> 一千二百六十, 15 -> 十五, 103 -> 一百零三 (the style statutes use)."""
    if n < 0:
        raise ValueError(n)
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = int_to_cn(low) if low else ""
        if low and low < 1000:
            rest = "零" + rest
        return int_to_cn(high) + "万" + rest
    parts = []
    zero_pending = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero_pending:
                parts.append("零")
                zero_pending = False
            parts.append(digits[d] + unit)
        elif parts:
            zero_pending = True
    text = "".join(parts)
    if text.startswith("一十"):
        text = text[1:]
    return text


def article_label(number: int, sub: int = 0) -> str:
    """(17, 1) -> 第十七条之一."""
    label = f"第{int_to_cn(number)}条"
    if sub:
        label += f"之{int_to_cn(sub)}"
    return label


_LABEL_RE = re.compile(rf"第\s*({NUM_RE})\s*条(?:\s*之\s*({NUM_RE}))?")


def parse_article_label(label: str) -> tuple[int, int] | None:
    """'第十七条之一' -> (17, 1); None if not an article label."""
    m = _LABEL_RE.fullmatch(label.strip())
    if not m:
        return None
    number = cn_to_int(m.group(1))
    sub = cn_to_int(m.group(2)) if m.group(2) else 0
    if number is None or sub is None:
        return None
    return number, sub


def part_label(paragraph: int | None = None, item: int | None = None) -> str:
    """(2, 3) -> 第二款第三项; (None, 3) -> 第三项; (None, None) -> ''."""
    return (f"第{int_to_cn(paragraph)}款" if paragraph else "") + (f"第{int_to_cn(item)}项" if item else "")


def cite_label(law: str | None, number: int | None, sub: int = 0, paragraph: int | None = None,
               item: int | None = None) -> str:
    """The one way xuefa writes a citation: 《中华人民共和国监察法》第十五条第一款第三项."""
    head = f"《{law or '?'}》"
    if number:
        head += article_label(number, sub)
    return head + part_label(paragraph, item)
