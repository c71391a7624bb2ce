"""Text helpers for exam items: normalisation, sentences, and the key terms items are built from.

Everything here is pure string work on verbatim article text, so items stay derivable from the article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from knowledge.models import Article
from knowledge.numerals import cn_to_int

from .lexicon import lexicon

_TRANS = str.maketrans({
    ",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！",
    "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"',
})
_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Compare form: no whitespace, half-width punctuation made full-width, quotes unified."""
    return _SPACE.sub("", text or "").replace("\u3000", "").translate(_TRANS)


def norm_stmt(text: str) -> str:
    """Compare form of a statement: `norm` without trailing punctuation (so a clause matches inside a sentence)."""
    return norm(text).rstrip("。；，：？！ ")


# ---- poor material -------------------------------------------------------------------------------
_PURPOSE = re.compile(r"制定本(?:法|条例|规定|办法|准则|规则|细则)")
_IN_FORCE = re.compile(r"(?:自.{2,20}起施行|施行。$|同时废止)")
# sentences that cannot stand alone: they point at other provisions
_DEPENDENT = re.compile(r"前款|前两款|前三款|前项|前两项|上款|本条第|本法第|本条例第|本规定第|第[一二三四五六七八九十百]+[条款项]|"
                        r"上述|依照前|前述|下列|以下简称|以下称|该|本节|本章|本编|本款|从其规定|另有规定的")

MIN_ARTICLE, MAX_ARTICLE = 20, 700
MIN_SENTENCE, MAX_SENTENCE = 14, 110


def good_article(article: Article) -> bool:
    """Skip purpose clauses, entry-into-force clauses, very short and very long articles."""
    text = article.text
    if not (MIN_ARTICLE <= len(text) <= MAX_ARTICLE):
        return False
    if _PURPOSE.search(text) or _IN_FORCE.search(text.strip()):
        return False
    if (article.chapter or "").endswith("附则"):
        return False
    return True


# a sentence opening like this continues the one before it ("但是，解除降级、撤职的，…")
_CONTINUES = re.compile(r"^(?:但是|但|并且|并|同时|其中|其|此外|否则|对此|为此|因此|据此|上述|前述|该|此|这|除此|情节|逾期|期满|"
                        r"拒不|经|必要时|不|也|又|或者|以及)")
MAX_CONTEXT = 110  # a sentence with its antecedent must still read as one statement (two, at most three)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a 款 (items excluded), with where it sits in the article.

    `context` holds the sentences of the same 款 before it when it cannot stand alone; items quote
    `context + text` so the antecedent is never cut off."""

    article: Article
    paragraph: int  # 1-based 款
    text: str  # verbatim, ending with 。
    context: str = ""

    @property
    def key(self) -> str:
        return norm_stmt(self.text)

    @property
    def full(self) -> str:
        return self.context + self.text

    @property
    def cited_paragraph(self) -> int | None:
        """The 款 an item cites: none (the whole article) when the first 款 is quoted as context of a later one."""
        lead = self.article.paragraphs[0].text.strip() if self.paragraph > 1 else ""
        return None if lead and self.context.startswith(lead) else self.paragraph


def sentences(article: Article) -> list[Sentence]:
    """Sentences of an article suitable for 判断/单选/填空 material, each with the antecedent it needs.

    A later sentence of a 款 always carries the sentences before it. Skipped: sentences pointing at other
    provisions (前款, 本法第…条, 上述), or leaning on one that does; the first sentence of a later 款 that
    continues the 款 before ("但是…"); sentences whose antecedent makes them too long."""
    out = []
    for p, para in enumerate(article.paragraphs, 1):
        if para.items:  # a lead line with (一)(二)…: its sentences introduce a list
            continue
        parts = [m.group(0).strip() for m in re.finditer(r"[^。]+。", para.text)]
        for i, s in enumerate(parts):
            if not (MIN_SENTENCE <= len(s) <= MAX_SENTENCE):
                continue
            if _DEPENDENT.search(s) or s.endswith("：。") or "：" in s[-3:]:
                continue
            nxt = parts[i + 1] if i + 1 < len(parts) else _next_lead(article, p)
            if _PROVISO.search(nxt):  # "…不得…。但是，情况紧急的除外。": without its 但书 the rule reads false (A32)
                continue
            context = ""
            if i > 0:  # later sentences of a 款 lean on the earlier ones ("处分的程序…适用…")
                context = "".join(parts[:i])
                if _DEPENDENT.search(context) or len(context) + len(s) > MAX_CONTEXT:
                    continue
            elif i == 0 and p > 1 and _CONTINUES.match(s):
                continue
            elif i == 0 and p > 1 and _SUBJECT_BEFORE.match(s):
                # "对其他参加人员，给予…": whose other participants only the 款 before says (A35, 条例第66/68条)
                prev = article.paragraphs[p - 2]
                if p != 2 or prev.items or _DEPENDENT.search(prev.text) or len(prev.text) + len(s) > MAX_PARA_CONTEXT:
                    continue
                context = prev.text.strip()
            elif i == 0 and p > 1:
                lead = _leans_on(article.paragraphs[0].text, s, adjacent=p == 2)
                if lead is None:
                    continue
                context = lead
            out.append(Sentence(article, p, s, context))
    return out


MAX_PARA_CONTEXT = 170  # a later 款 with the first 款 before it

# what follows a sentence and limits it: a 但书 sentence or 款 ("但是，…", "法律另有规定的除外。")
_PROVISO = re.compile(r"^(?:但是|但)|除外。$")
# a 款 whose subject is defined by the 款 before ("对其他参加人员，…", "对其余…")
_SUBJECT_BEFORE = re.compile(r"^对(?:其他|其余|其他的)[^，；。]{0,12}人员")


def _next_lead(article: Article, p: int) -> str:
    """The first sentence of the 款 after 款 p (1-based), "" if none."""
    if p >= len(article.paragraphs):
        return ""
    m = re.match(r"[^。]+。", article.paragraphs[p].text.strip())
    return m.group(0) if m else ""


# "行政机关收到行政复议申请后": an opening clause acting on something named before it
_TAKES_UP = re.compile(r"(?:收到|接到|受理|作出|提交|提出|接受)[^，；]{2,16}后$")


def _leans_on(first: str, s: str, adjacent: bool = True) -> str | None:
    """The context a later 款's first sentence needs: "" when it stands alone, the first 款 when its opening clause
    takes up words the first 款 introduced ("行政机关收到行政复议申请后…" after "…可以通过作出行政处罚决定的行政机关
    提交行政复议申请"), None when it needs the first 款 but the two are too long to print as one stem."""
    first = first.strip()
    opening = re.split(r"[，；]", s, maxsplit=1)[0]
    if not _TAKES_UP.search(opening):
        return ""
    shared = SequenceMatcher(None, opening, first, autojunk=False).find_longest_match(0, len(opening), 0, len(first))
    if shared.size < 4:
        return ""
    if (not first.endswith("。") or "：" in first or _DEPENDENT.search(first)
            or len(first) + len(s) > MAX_PARA_CONTEXT or not adjacent):
        return None
    return first


@dataclass(frozen=True)
class Enumeration:
    """A 款 whose lead line introduces 项 (一)(二)…: material for 多选."""

    article: Article
    paragraph: int
    lead: str
    items: tuple[str, ...]  # usable item texts, without the (一) marker and trailing ；/。
    numbers: tuple[int, ...] = ()  # their 项 numbers (1-based)
    all_items: tuple[str, ...] = ()  # every item of the list, usable or not (distractors must not echo any)


# "其他…情形" items close a list; as a key or distractor they are no test of knowledge
_CATCH_ALL = re.compile(r"^其他|的其他|规定的其他|其他应当|其他(?:情形|事项|情况|行为|职权|职责|措施|方式)$")
_LEAD_DEPENDENT = re.compile(r"前款|前两款|前三款|前项|上款|上述|前述|依照前|本条第")
_ITEM_MARK = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]\s*")


def enumerations(article: Article) -> list[Enumeration]:
    """Lists of 3+ 项 under a lead line ending with ：; items that cannot stand alone as options are dropped."""
    out = []
    for p, para in enumerate(article.paragraphs, 1):
        if len(para.items) < 3 or not para.text.rstrip().endswith(("：", ":")):
            continue
        if _LEAD_DEPENDENT.search(para.text) or (p > 1 and _CONTINUES.match(para.text.strip())):
            continue  # "前款规定的…有下列情形之一的：" needs the 款 before it
        items = [_ITEM_MARK.sub("", it).rstrip("；;。，, ") for it in para.items]
        if len(set(items)) != len(items):
            continue
        usable = [(i, it) for i, it in enumerate(items, 1) if 2 <= len(it) <= 70 and not _DEPENDENT.search(it)
                  and not _CATCH_ALL.search(it)]
        if len(usable) < 3:
            continue
        out.append(Enumeration(article, p, para.text.strip(), tuple(it for _, it in usable),
                               tuple(i for i, _ in usable), tuple(items)))
    return out


# ---- key terms ---------------------------------------------------------------------------------
_CN = "零〇一二三四五六七八九十百千两"
NUMBER_RE = re.compile(rf"(?<![第{_CN}\d.])([{_CN}]+|\d+)(个工作日|个月|日|天|年|小时|周岁|届|倍|万元|元)")
FRACTION_RE = re.compile(r"(?<![第零一二三四五六七八九十])([二三四五六七八九十])分之([一二三四五六七八九])")
# Only a prohibition turned into a permission is plainly false: 应当 -> 可以 reads as arguable ("if one must,
# one may"), and 应当 -> 不得 mostly reads as absurd ("应当真实、清晰" -> "可以真实、清晰").
MODALS = {"不得": "可以"}
SCOPES = {"以上": "以下", "以下": "以上"}

UNIT_MENU = {  # plausible values where the law's own pool is thin
    "日": (3, 5, 7, 10, 15, 20, 30, 60, 90), "个工作日": (3, 5, 7, 10, 15, 20), "天": (3, 5, 7, 10, 15, 30),
    "个月": (1, 2, 3, 6, 9), "年": (1, 2, 3, 5, 10), "小时": (12, 24, 48, 72), "周岁": (14, 16, 18, 45, 60),
    "届": (1, 2, 3), "倍": (1, 2, 3, 5, 10), "万元": (1, 5, 10, 20, 50, 100), "元": (50, 100, 200, 500, 1000),
}
FRACTIONS = ("二分之一", "三分之一", "三分之二", "四分之一", "四分之三", "五分之一", "五分之四", "十分之一")
# A deadline or a sanction is what a setter blanks first; organs last (their options rarely exclude each other).
# (Only organs are held back: sorting numbers ahead of measures too would make every paper alike.)
KIND_PRIORITY = {"number": 0, "fraction": 0, "sanction": 0, "measure": 0, "modal": 0, "scope": 0, "organ": 1}


@dataclass(frozen=True)
class Term:
    """A key term inside a sentence that a blank or a perturbation can target."""

    kind: str  # organ, sanction, measure, number:<unit>, fraction, modal, scope
    text: str
    start: int
    end: int


@lru_cache(maxsize=None)
def _word_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _scan_words(s: str, words, kind: str, not_after=(), not_before="") -> list[Term]:
    """Non-overlapping occurrences, longest word first at each position."""
    out: list[Term] = []
    if not words:
        return out
    for m in _word_re(tuple(words)).finditer(s):
        a, b = m.span()
        if s.startswith(tuple(not_after), b) or (a > 0 and s[a - 1] in not_before):
            continue
        out.append(Term(kind, m.group(0), a, b))
    return out


def number_value(text: str) -> tuple[int, str] | None:
    m = NUMBER_RE.fullmatch(text)
    if not m:
        return None
    v = cn_to_int(m.group(1))
    return (v, m.group(2)) if v is not None else None


def format_number(value: int, unit: str, like: str) -> str:
    """Write value+unit in the same numeral style as `like` (Chinese or Arabic)."""
    from knowledge.numerals import int_to_cn

    if like[:1].isdigit():
        return f"{value}{unit}"
    text = int_to_cn(value)
    if unit == "届" and value == 2:
        text = "两"
    return text + unit


_LOCAL_GOV = re.compile(r"([\u4e00-\u9fff]{2})[省市县区]人民政府(?![\u4e00-\u9fff]{0,6}(?:部门|机构))")
_BAD_PLACE = re.compile(r"[的级各本该上下同有关和与及或、在由向对]")


@lru_cache(maxsize=50000)
def terms(s: str, law_title: str = "") -> tuple[Term, ...]:
    """Key terms of a sentence of `law_title`, non-overlapping within a kind.

    Organs come from the organ classes; sanctions and measures only from the lists scoped to this law."""
    lex = lexicon()
    out = _scan_words(s, tuple(lex.organs), "organ", not_after=lex.organ_not_after)
    taken = [(t.start, t.end) for t in out]
    for m in _LOCAL_GOV.finditer(s):  # 泰安市人民政府, 东平县人民政府 …
        a, b = m.span()
        if not any(x < b and a < y for x, y in taken) and not _BAD_PLACE.search(m.group(1)):
            out.append(Term("organ", m.group(0), a, b))
    for kind in ("sanction", "measure"):
        out += _scan_words(s, lex.scoped_terms(kind, law_title), kind, not_after=lex.not_after.get(kind, ()),
                           not_before=lex.not_before.get(kind, ""))
    numbers = []
    for m in NUMBER_RE.finditer(s):
        a, b = m.span()
        if a > 0 and s[a - 1] in "月年":
            continue
        v = cn_to_int(m.group(1))
        if v is None or v == 0 or (m.group(2) == "年" and v > 100) or re.search(rf"[{_CN[:12]}]{{2}}", m.group(1)):
            continue
        numbers.append(Term(f"number:{m.group(2)}", m.group(0), a, b))
    out += numbers
    for m in FRACTION_RE.finditer(s):
        out.append(Term("fraction", m.group(0), *m.span()))
    for w in MODALS:
        for m in re.finditer(w, s):
            if w == "不得" and s[m.end(): m.end() + 1] == "不":
                continue
            clause = re.split(r"[，；。]", s[:m.start()])[-1] + re.split(r"[，；。]", s[m.end():])[0]
            if w == "不得" and "任何" in clause:  # "任何人可以利用宗教进行破坏…" is absurd, not a test
                continue
            if w == "可以" and s[m.start() - 1: m.start()] in ("不", "也", "则", "均", "都"):
                continue
            out.append(Term("modal", w, *m.span()))
    ends = {t.end for t in numbers}
    for w in SCOPES:  # only 以上/以下 bound to a number ("三年以下"), never "县级以上"
        for m in re.finditer(w, s):
            if m.start() in ends:
                out.append(Term("scope", w, *m.span()))
    return tuple(sorted(out, key=lambda t: t.start))


def sanctions_named(text: str, words) -> frozenset[str]:
    """The sanctions a text names, each occurrence read once, longest first: "警告或者严重警告" names both 警告 and
    严重警告, "严重警告" alone names only 严重警告."""
    found = set()
    for t in sorted(words, key=len, reverse=True):
        if t in text:
            found.add(t)
            text = text.replace(t, "\x00")
    return frozenset(found)


def bounds_a_range(s: str, term: Term) -> bool:
    """Is the sanction the bound of a range ("受开除以外的处分", "警告直至开除党籍")? Another rank there still reads
    true of part of the range ("受撤职以外的处分…期满后自动解除" holds for 警告 … 降级): never swapped or blanked."""
    return s.startswith(("以外", "以上", "以下", "直至"), term.end) or s[:term.start].endswith("直至")


def scale_plausible(s: str, term: Term, new: str, law_title: str) -> bool:
    """Does swapping a sanction of a graded scale for `new` still read like a rule? Only a move of at most two ranks
    that keeps every sanction of the sentence heavier than the one before: "情节较重的，予以降级或者撤职" -> "…予以
    记大过或者撤职" is a plausible trap, "情节严重的，予以降级或者警告" or "警告或者开除党籍" is dismissed at a glance."""
    if bounds_a_range(s, term):
        return False
    lex = lexicon()
    old_rank, new_rank = lex.rank(law_title, term.text), lex.rank(law_title, new)
    if old_rank is None or new_rank is None:
        return True  # not a scale (行政处罚 kinds): nothing to keep in order
    if abs(old_rank - new_rank) > 2:  # "开除党籍" -> "警告" for 丧失党员条件 is dismissed at a glance
        return False
    return scale_order_ok(s, term, new, law_title)


def scale_order_ok(s: str, term: Term, new: str, law_title: str) -> bool:
    """With `new` in place of the term, is every sanction of the sentence still heavier than the one before?
    ("予以撤职；情节严重的，予以（警告）" is no option a candidate weighs.)"""
    lex = lexicon()
    changed = replace(s, term, new)
    ranks = [lex.rank(law_title, t.text) for t in terms(changed, law_title) if t.kind == "sanction"]
    ranks = [r for r in ranks if r is not None]
    return all(a < b for a, b in zip(ranks, ranks[1:]))


def list_elements(s: str) -> list[Term]:
    """Middle elements of 顿号 lists (text strictly between two 、), for enumeration perturbations."""
    out = []
    for m in re.finditer(r"(?<=、)([\u4e00-\u9fff]{2,8})(?=、)", s):
        out.append(Term("element", m.group(1), *m.span()))
    return out


def dunhao_lists(s: str) -> list[tuple[str, ...]]:
    """Runs of three or more short terms joined by 、 (the first and last elements trimmed to their clause)."""
    out = []
    for m in re.finditer(r"[\u4e00-\u9fff]{1,8}(?:、[\u4e00-\u9fff]{1,8}){2,}", s):
        parts = m.group(0).split("、")
        middle = tuple(parts[1:-1])
        if middle:
            out.append(middle)
    return out


def replace(s: str, term: Term, new: str) -> str:
    return s[:term.start] + new + s[term.end:]


# ---- what a setter reads as nonsense ------------------------------------------------------------------
def _clause_bounds(s: str, at: int) -> tuple[int, int]:
    a = max(s.rfind(p, 0, at) for p in "，；。：") + 1
    ends = [i for i in (s.find(p, at) for p in "，；。") if i >= 0]
    return a, (min(ends) if ends else len(s))


def flip_plausible(s: str, term: Term) -> bool:
    """Would turning this 不得 into 可以 read as a plausible (false) rule rather than nonsense?

    No when the forbidden thing is wrongful in itself ("可以捏造事实", "可以提出…不正当要求"), when a number
    already bounds it ("不得超过十二小时": change the number instead), or when the 不得 clause is the other half
    of a duty in the same sentence ("应当尊重事实，不得捏造…", "有维护…的义务，不得有危害…的行为")."""
    from .lexicon import quality

    q = quality()
    a, b = _clause_bounds(s, term.start)
    obj = s[term.end:b]
    if obj.startswith(q.flip_bad_after) or any(w in obj for w in q.flip_bad_objects):
        return False
    sentence_start = max(s.rfind(p, 0, term.start) for p in "。；") + 1
    before = s[sentence_start:a]
    return not any(w in before for w in q.flip_duty_before)


def in_series(s: str, term: Term) -> bool:
    """Is the term one element of a 顿号 series ("记过、记大过、降级、撤职", "调取、查封、扣押")?

    Such a series is graded or closed: another element swapped in reads as an odd list, a blanked one
    often has several fitting answers."""
    return s[term.end:term.end + 1] == "、" or s[term.start - 1:term.start] == "、"
