"""Plain text of a regulation -> title, metadata and articles (编/章/节/条/款/项).

The article text produced here is what every citation quotes, so the rules are conservative:
- a new 条 starts only at the start of a line, never at a cross-reference such as
  "依照本法第十五条的规定" (also not when a PDF line wrap puts that reference at a line start);
- hard line breaks inside a 款 are joined; a new 款 starts only where the previous line ends a
  sentence (。；：！？) and the layout says a paragraph ended (blank line, indentation, short line);
- page numbers, running headers/footers and tables of contents are dropped before parsing.
Whitespace is normalised the same way for every format (md, docx, pdf, html), so the same
regulation gives the same article texts whichever file it came from.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from knowledge.models import STATUS_CURRENT, STATUS_PENDING, STATUS_REPEALED
from knowledge.numerals import NUM_RE, article_label, cn_to_int

log = logging.getLogger(__name__)


@dataclass
class ParsedArticle:
    """A 条 (or a numbered paragraph of an unstructured document); 款 are "\\n"-separated lines."""

    number: int
    sub: int
    text: str
    part: str | None = None
    chapter: str | None = None
    section: str | None = None
    is_paragraph: bool = False

    @property
    def label(self) -> str:
        return f"第{self.number}段" if self.is_paragraph else article_label(self.number, self.sub)


@dataclass
class ParsedDocument:
    """What the parser found; the pipeline turns it into a `Law` and `Article`s."""

    title: str
    level: str = "其他"
    issuer: str | None = None
    region: str | None = None
    publish_date: str | None = None
    effective_date: str | None = None
    status: str = STATUS_CURRENT
    structured: bool = True
    articles: list[ParsedArticle] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    doc_type: str | None = None  # 条例, 办法, 通知 …


# ---- character classes and line patterns -------------------------------------------------------
_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
_SPACE_NEAR_CJK_RE = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")
_WS_RE = re.compile(r"[^\S\n]+")
_ZERO_WIDTH_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_TERMINAL_RE = re.compile(r"[。；：！？;:!?][”’」』》）)\]\"']*$")
_ITEM_START_RE = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
_ARTICLE_RE = re.compile(rf"^第\s*({NUM_RE})\s*条(?:\s*之\s*({NUM_RE}))?(?P<rest>.*)$")
_HEADING_RE = re.compile(rf"^第\s*({NUM_RE})\s*(分编|编|章|节)(?P<rest>.*)$")
_TOC_TAIL_RE = re.compile(r"[\s.…·．\-—_⋯]{2,}\s*\d*\s*$|\s+\d{1,4}\s*$")
_NOT_AN_ARTICLE_START_RE = re.compile(r"^(?:[的、，,及和与或至到之中所])")
_NOT_AN_ARTICLE_START_NOSPACE_RE = re.compile(r"^(?:规定|条|款|项|以|至|中|所|的|第)")
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_APPENDIX_RE = re.compile(r"^附(件|表)?\s*[0-9一二三四五六七八九十]*\s*[：:]")
_PAGE_NUMBER_RES = [re.compile(p, re.I) for p in (
    r"^[-－—–~～]*\s*\d{1,4}\s*[-－—–~～]*$",
    r"^[-－—–]\s*[〇一二三四五六七八九十百]+\s*[-－—–]$",
    r"^(共\s*\d{1,4}\s*页\s*[,，]?\s*)?第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$",
    r"^\d{1,4}\s*/\s*\d{1,4}$",
    r"^(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$",
)]
_TITLE_SUFFIX_RE = re.compile(
    r"(宪法|法|法典|条例|规定|办法|细则|规则|决定|准则|意见|通知|通告|公告|方案|纲要|章程|规划|批复|"
    r"报告|解释|决议|规范|制度|清单|守则|公约|要点|措施|指引|指南)$")
_DATE_RE = re.compile(
    r"([0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_ACT_RE = re.compile(r"(通过|公布|发布|印发|修订|修正|批准|施行)")


def _clean(text: str) -> str:
    """Whitespace normalisation applied to every stored text: one space between non-CJK words,
    none next to CJK characters (there it is layout, e.g. 第一条　为了 or PDF glyph gaps)."""
    text = _ZERO_WIDTH_RE.sub("", text)
    text = _WS_RE.sub(" ", text).strip()
    return _SPACE_NEAR_CJK_RE.sub("", text)


def _join(a: str, b: str) -> str:
    """Join a hard line break: no space in Chinese text, one space between two Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return f"{a} {b}"
    return a + b


def _terminal(text: str) -> bool:
    return bool(_TERMINAL_RE.search(text))


def _width(text: str) -> int:
    """Display width in half-width units (CJK = 2), used to tell full (wrapped) lines from short ones."""
    return sum(2 if (ord(c) > 0x2e7f or c in "“”‘’—…") else 1 for c in text)


@dataclass
class _Line:
    text: str  # whitespace-collapsed, stripped
    indent: bool = False  # started with whitespace (a paragraph indent in PDFs)
    width: int = 0
    md_level: int = 0  # markdown heading level (# = 1)
    blank_before: bool = False


# ---- page furniture ---------------------------------------------------------------------------
def _is_page_number(text: str) -> bool:
    return any(r.match(text) for r in _PAGE_NUMBER_RES)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _content_like(text: str) -> bool:
    """Lines that are never running headers: articles, headings, items, sentences."""
    return bool(_ARTICLE_RE.match(text) or _HEADING_RE.match(text) or _ITEM_START_RE.match(text)
                or _terminal(text) or re.search(r"[，,]", text))


def _strip_furniture(pages: list[list[str]]) -> tuple[list[str], list[str]]:
    """Drop page numbers and running headers/footers; return (lines, header texts removed)."""
    pages = [[ln for ln in page if not _is_page_number(ln.strip())] for page in pages]
    headers: set[str] = set()
    if len(pages) >= 2:
        counts: Counter[str] = Counter()
        for page in pages:
            edge = [ln.strip() for ln in page if ln.strip()]
            counts.update({_furniture_key(t) for t in edge[:2] + edge[-2:] if len(t) <= 60})
        need = max(2, (len(pages) + 1) // 2)
        headers = {k for k, n in counts.items() if n >= need}
        out: list[str] = []
        removed: list[str] = []
        for page in pages:
            idx = [i for i, ln in enumerate(page) if ln.strip()]
            edges = set(idx[:2] + idx[-2:])
            for i, ln in enumerate(page):
                t = ln.strip()
                if i in edges and _furniture_key(t) in headers and not _content_like(t):
                    removed.append(t)
                    continue
                out.append(ln)
        return out, list(dict.fromkeys(removed))
    lines = pages[0] if pages else []
    # One page (txt copied from a PDF): short non-sentence lines repeated three or more times.
    counts = Counter(_furniture_key(ln) for ln in lines if ln.strip() and len(ln.strip()) <= 40
                     and not _content_like(ln.strip()) and not ln.lstrip().startswith("#"))
    repeated = {k for k, n in counts.items() if n >= 3}
    if not repeated:
        return lines, []
    removed = [ln.strip() for ln in lines if ln.strip() and _furniture_key(ln) in repeated]
    return [ln for ln in lines if not (ln.strip() and _furniture_key(ln) in repeated)], list(dict.fromkeys(removed))


def _prepare(text: str) -> tuple[list[_Line], list[str]]:
    text = _HTML_COMMENT_RE.sub("\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.replace("\x0b", "\n")
    pages = [page.split("\n") for page in text.split("\f")]
    raw_lines, headers = _strip_furniture(pages)
    lines: list[_Line] = []
    blank = False
    for raw in raw_lines:
        raw = _ZERO_WIDTH_RE.sub("", raw)
        stripped = _WS_RE.sub(" ", raw).strip()
        if not stripped:
            blank = True
            continue
        md_level = 0
        m = _MD_HEADING_RE.match(stripped)
        if m:
            md_level, stripped = len(m.group(1)), m.group(2).strip()
        stripped = re.sub(r"^\*\*(.+)\*\*$", r"\1", stripped)
        lines.append(_Line(stripped, indent=raw[:1].isspace(), width=_width(raw.rstrip()),
                           md_level=md_level, blank_before=blank))
        blank = False
    return lines, headers


# ---- headings and article starts --------------------------------------------------------------
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff\s]{1,15}$")
_ANNEX_HEAD = re.compile(r"^附\s*则$")


def drop_leaked_heading(text: str) -> str:
    """An article's last paragraph that is the next part's heading, not a 款: laws.db appends 编 headings
    (民法典第九百八十八条 ending "第四编 人格权"), and a heading without 第N章 (廉洁自律准则's "党员领导干部廉洁自律
    规范") is read as a paragraph. Heading-like: a 编/章/节 or 附则 heading, or a short run of Chinese characters
    with no punctuation after a complete sentence. Call it for every article but a document's last."""
    paras = text.split("\n")
    if len(paras) < 2:
        return text
    last, before = paras[-1].strip(), paras[-2].strip()
    if _HEADING_RE.match(last) or _ANNEX_HEAD.match(last) or (_CJK_ONLY.match(last) and _terminal(before)):
        return "\n".join(paras[:-1]).rstrip()
    return text


def _heading(line: _Line) -> tuple[str, str] | None:
    """('章', '第一章 总则') for a 编/章/节 heading line (also a TOC line with leaders), else None."""
    m = _HEADING_RE.match(line.text)
    if not m:
        return None
    rest = _TOC_TAIL_RE.sub("", m.group("rest")).strip()
    if len(rest) > 40 or re.search(r"[。；，,;：:、（(]", rest) or (rest and rest[0] in "的规中所之和及或"):
        return None
    if m.group("rest") and not m.group("rest")[0].isspace() and not line.md_level and len(rest) > 20:
        return None
    num = re.sub(r"\s+", "", m.group(1))
    label = f"第{num}{m.group(2)}"
    return m.group(2), f"{label} {_clean(rest)}".strip()


@dataclass
class _Builder:
    number: int
    sub: int
    part: str | None
    chapter: str | None
    section: str | None
    paras: list[str] = field(default_factory=list)
    last: _Line | None = None  # last line added, for the 款 decision


class _Layout:
    """Document-wide layout facts that decide whether a line break ends a 款."""

    def __init__(self, lines: list[_Line]):
        body = [ln for ln in lines if not ln.md_level and not _heading(ln)]
        n = max(1, len(body))
        widths = sorted(ln.width for ln in body) or [0]
        widest = widths[int(0.95 * (len(widths) - 1))] if len(widths) >= 20 else widths[-1]
        # Hard-wrapped text (PDF, txt from PDF): many lines end mid-sentence at about the full width.
        # Short open lines (titles, headings, signatures) and docx paragraphs split mid-sentence are
        # not evidence of wrapping.
        open_full = [ln for ln in body[:-1] if not _terminal(ln.text) and ln.width >= 0.75 * widest]
        self.wrapped = len(open_full) >= 3 and len(open_full) / n >= 0.15
        indented = sum(1 for ln in body if ln.indent)
        # Indented paragraphs: then an unindented line after 。 is a wrap, not a new 款.
        self.indent_mode = self.wrapped and indented >= 3 and indented / n >= 0.1
        self.full_width = statistics.median(ln.width for ln in open_full) if open_full else widest

    def new_paragraph(self, prev: _Line | None, cur: _Line) -> bool:
        if prev is None:
            return True
        if not _terminal(prev.text):
            # Mid-sentence break (docx paragraph split, PDF wrap). A blank line in plain text still ends a 款.
            return cur.blank_before and not self.wrapped
        if _ITEM_START_RE.match(cur.text) or not self.wrapped or cur.indent:
            return True
        if self.indent_mode:
            return False
        return prev.width < self.full_width - 2  # a short line ended the paragraph


def _article_start(line: _Line, last: _Builder | None, prev: _Line | None,
                   inside: bool) -> tuple[int, int, str] | None:
    """(number, sub, rest) if this line starts a new 条; cross-references at a line start do not.

    A paragraph that starts with 第N条 and a space is a heading whatever word follows (第四条　规定本市…);
    without a space, the numbering decides: the next expected number is a heading, a number that breaks
    the sequence is a reference (第十五条规定的…). `last` is the previous article, `inside` says whether
    the line would otherwise continue that article's text (False right after a heading).
    """
    m = _ARTICLE_RE.match(line.text)
    if not m:
        return None
    number = cn_to_int(re.sub(r"\s+", "", m.group(1)))
    sub = cn_to_int(re.sub(r"\s+", "", m.group(2))) if m.group(2) else 0
    if number is None or sub is None or number == 0:
        return None
    rest = m.group("rest")
    ws_after = not rest or rest[0].isspace()
    body = rest.strip()
    if not ws_after and _NOT_AN_ARTICLE_START_RE.match(body):
        return None  # 第五条的规定, 第五条、第六条
    if last is None:
        return (number, sub, body) if (ws_after or number == 1 or line.md_level) else None
    if not inside:
        return number, sub, body
    seq_ok = (number == last.number + 1 and sub == 0) or (number == last.number and sub == last.sub + 1)
    if prev is None or _terminal(prev.text):
        ok = ws_after or seq_ok or (number > last.number and not _NOT_AN_ARTICLE_START_NOSPACE_RE.match(body))
    else:  # mid-sentence (a line wrap): only a well-formed next article, e.g. a 款 that lost its final 。
        ok = (ws_after or line.indent) and seq_ok
    return (number, sub, body) if ok else None


# ---- metadata ---------------------------------------------------------------------------------
def _to_int(s: str) -> int | None:
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in "〇○零一二三四五六七八九" for c in s):  # 二〇二一
        return int("".join(str(cn_to_int(c) or 0) for c in s))
    return cn_to_int(s)


def _iso(m: re.Match) -> str | None:
    y, mo, d = (_to_int(g) for g in m.groups())
    try:
        return date(y, mo, d).isoformat() if y and mo and d else None
    except ValueError:
        return None


def _dated_acts(text: str) -> list[tuple[str, str, str]]:
    """[(iso date, act, text between)] for '2021年9月30日 山东省…会议通过' style statements."""
    out = []
    dates = list(_DATE_RE.finditer(text))
    for i, m in enumerate(dates):
        end = dates[i + 1].start() if i + 1 < len(dates) else len(text)
        seg = text[m.end():end]
        act = _ACT_RE.search(seg[:80])
        iso = _iso(m)
        if act and iso:
            out.append((iso, act.group(1), seg[:act.start()]))
    return out


_PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区")
_CITY_RE = re.compile(r"^((?:[\u4e00-\u9fff]{2,3}省)?[\u4e00-\u9fff]{2,4}?(?:市|自治州|地区|盟|县))(?!场|民|区域|政)")
_NATIONAL_ISSUER_RE = re.compile(r"国务院|全国人民代表大会|中共中央|中国共产党中央|中央委员会|最高人民|^国家|部$|总局$|委员会$")


def _issuer(acts: list[tuple[str, str, str]], preamble: str) -> str | None:
    """The body that made the text: who 通过/公布 it (not who 批准 it)."""
    ordered = sorted(acts, key=lambda a: {"通过": 0, "公布": 1, "发布": 1, "印发": 1, "修订": 2, "修正": 2}.get(a[1], 3))
    for _, _, who in ordered + [("", "", preamble)]:
        who = _clean(who)
        m = re.search(r"([\u4e00-\u9fff]{2,12}?)第[一二三四五六七八九十百]+届(人民代表大会常务委员会|人民代表大会)", who)
        if m:
            prefix = re.sub(r"^.*?(中华人民共和国)?$", r"\g<0>", m.group(1))
            return ("全国" if prefix in ("中华人民共和国", "全国") else prefix) + m.group(2)
        if "国务院令" in who or re.search(r"^国务院|中华人民共和国国务院", who):
            return "国务院"
        m = re.search(r"([\u4e00-\u9fff]{2,12}?人民政府)令", who)
        if m:
            return m.group(1)
        if re.search(r"中共中央|中国共产党中央委员会", who):
            return "中共中央"
    return None


def _region(title: str, issuer: str | None) -> str | None:
    for text in (title, issuer or ""):
        for prov in _PROVINCES:
            if text.startswith(prov) or (len(prov) > 3 and text.startswith(prov[:2]) and prov.endswith("省")
                                         and text.startswith(prov[:-1])):
                m = _CITY_RE.match(text[len(prov):])
                return prov + m.group(1) if m and m.group(1).endswith("县") else prov
        m = _CITY_RE.match(text)
        if m and not text.startswith(("中华人民共和国", "中国共产党", "全国")):
            return m.group(1)
    return None


def _level(title: str, issuer: str | None, region: str | None) -> str:
    """效力级别 from the title's kind, its region prefix and who made it."""
    bare = title.removeprefix("中华人民共和国")
    is_party = title.startswith(("中国共产党", "中共")) or (issuer or "").startswith(("中共", "中国共产党"))
    if bare in ("宪法",) or title == "中华人民共和国宪法":
        return "宪法"
    if is_party:
        return "党内法规" if re.search(r"(条例|规定|准则|规则|细则|办法|章程)$", title) else "规范性文件"
    if re.search(r"(通知|意见|方案|通告|公告|批复|纲要|规划|要点|措施|指引|指南|清单)$", title):
        return "规范性文件"
    if region is None:
        if re.search(r"法$", title) and "办法" not in title[-2:]:
            return "法律"
        if re.search(r"(条例|规定|办法|细则)$", title):
            if (issuer or "国务院") == "国务院" or title.startswith("中华人民共和国"):
                return "行政法规" if "国家监察委员会" not in (issuer or "") else "监察法规"
            return "规范性文件"
        if re.search(r"(决定|决议)$", title) and issuer and "人民代表大会" in issuer:
            return "法律"
        return "其他"
    people_congress = bool(issuer and "人民代表大会" in issuer)
    if title.endswith("条例") or (people_congress and re.search(r"(规定|办法|细则|决定|决议)$", title)):
        return "地方性法规"
    if re.search(r"(办法|规定|细则|规则)$", title):
        if issuer and ("办公厅" in issuer or "局" in issuer or "厅" in issuer):
            return "规范性文件"
        return "地方政府规章"
    return "其他"


def _doc_type(title: str) -> str | None:
    m = _TITLE_SUFFIX_RE.search(re.sub(r"[（(][^）)]*[）)]$", "", title))
    return m.group(1) if m else None


def _title_from_filename(filename: str | None) -> str | None:
    if not filename:
        return None
    stem = Path(filename).stem
    stem = re.sub(r"\s*[（(][^）)]*\d{4}[^）)]*[）)]\s*$", "", stem)  # …(2021-09-30)
    stem = re.sub(r"[_\-\s]*\d{4}[-_.]?\d{2}[-_.]?\d{2}$", "", stem)
    return _clean(stem) or None


def _tidy_title(title: str) -> str:
    title = _clean(title).strip("《》")
    return re.sub(r"[（(][^）)]*\d{4}[^）)]*(修订|修正|修改)[^）)]*[）)]$", "", title).strip()


def _is_title_candidate(text: str) -> bool:
    return (len(text) <= 60 and not _DATE_RE.search(text) and not _terminal(text)
            and not text.startswith(("（", "(", "目录", "目 录")) and text.replace(" ", "") != "目录"
            and not re.search(r"[，,。]", text))


def _find_title(preamble: list[_Line], headers: list[str], filename: str | None) -> tuple[str, int, str]:
    """(title, index of the last title line in preamble (-1 if none), how it was found)."""
    for i, ln in enumerate(preamble):
        if ln.md_level == 1:
            return _tidy_title(ln.text), i, "markdown"
    cands = [(i, ln) for i, ln in enumerate(preamble[:12]) if _is_title_candidate(ln.text)]
    for i, ln in cands:
        if _TITLE_SUFFIX_RE.search(_tidy_title(ln.text)):
            return _tidy_title(ln.text), i, "line"
        nxt = preamble[i + 1] if i + 1 < len(preamble) else None
        if nxt is not None and _is_title_candidate(nxt.text):
            joined = _tidy_title(ln.text + nxt.text)
            if len(joined) <= 60 and _TITLE_SUFFIX_RE.search(joined):
                return joined, i + 1, "two lines"
    for h in headers:
        if _TITLE_SUFFIX_RE.search(_tidy_title(h)) and len(h) <= 60:
            return _tidy_title(h), -1, "running header"
    from_name = _title_from_filename(filename)
    if from_name:
        return from_name, -1, "filename"
    if cands:
        return _tidy_title(cands[0][1].text), cands[0][0], "first line"
    return "未命名文档", -1, "none"


# ---- the parser -------------------------------------------------------------------------------
def parse_document(text: str, filename: str | None = None) -> ParsedDocument:
    """Find title, dates, issuer, level, region and the articles of one document's text."""
    lines, headers = _prepare(text)
    layout = _Layout(lines)
    warnings: list[str] = []
    preamble: list[_Line] = []
    articles: list[_Builder] = []
    cur: _Builder | None = None
    prev: _Line | None = None
    part = chapter = section = None
    tail_skipped = 0

    stray: list[str] = []
    pre_headings: list[tuple[str, str]] = []  # headings before the first article (may be a 目录)
    for ln in lines:
        if tail_skipped:
            tail_skipped += 1
            continue
        last = articles[-1] if articles else None
        start = _article_start(ln, last, prev, cur is not None) if not ln.md_level else None
        if start:
            number, sub, rest = start
            if not articles and pre_headings:
                part, chapter, section = _context_after_toc(pre_headings)
            cur = _Builder(number, sub, part, chapter, section)
            articles.append(cur)
            if rest:
                cur.paras.append(_clean(rest))
                cur.last = ln
            prev = ln
            continue
        head = _heading(ln) if (cur is None or prev is None or _terminal(prev.text) or ln.md_level) else None
        if head is None and ln.md_level >= 2 and articles:
            head = ("章", _clean(ln.text))
        if head and not articles:
            pre_headings.append(head)
            prev = ln
            continue
        if head:
            part, chapter, section = _apply_heading((part, chapter, section), *head)
            cur = None
            prev = ln
            continue
        if articles and _APPENDIX_RE.match(ln.text) and (prev is None or _terminal(prev.text) or cur is None):
            tail_skipped = 1
            continue
        if cur is None and articles:
            stray.append(ln.text)  # between a heading and the next article: belongs to no article
        elif cur is None:
            preamble.append(ln)
        else:
            piece = _clean(ln.text)
            if not cur.paras or layout.new_paragraph(cur.last, ln):
                cur.paras.append(piece)
            else:
                cur.paras[-1] = _join(cur.paras[-1], piece)
            cur.last = ln
        prev = ln
    if stray:
        warnings.append(f"有 {len(stray)} 行文字不属于任何条文，未导入：{stray[0][:30]}…")
    if tail_skipped:
        warnings.append(f"最后一条之后的附件等内容（{tail_skipped} 行）未作为条文导入")

    title, title_idx, how = _find_title(preamble, headers, filename)
    if how in ("filename", "none"):
        warnings.append("未在正文中找到标题，已使用文件名作为标题")
    meta_text = " ".join(ln.text for ln in preamble[title_idx + 1:] if ln.text)
    acts = _dated_acts(meta_text)

    structured = len(articles) >= 2 or (len(articles) == 1 and articles[0].number == 1)
    if structured:
        parsed = [ParsedArticle(a.number, a.sub, "\n".join(p for p in a.paras if p), a.part, a.chapter, a.section)
                  for a in articles]
        parsed = [replace(a, text=drop_leaked_heading(a.text)) for a in parsed[:-1]] + parsed[-1:]
        _check_sequence(parsed, warnings)
    else:
        body = [ln for ln in lines if ln not in preamble[:title_idx + 1] and not ln.md_level == 1]
        body = [ln for ln in body if not (_DATE_RE.search(ln.text) and _ACT_RE.search(ln.text)
                                          and len(ln.text) <= 80 and ln in preamble[:title_idx + 6])]
        parsed = _paragraphs(body, layout)
        if not parsed:
            warnings.append("文件中没有找到正文内容")

    publish = max((d for d, act, _ in acts if act != "施行"), default=None)
    effective = max((d for d, act, _ in acts if act == "施行"), default=None)  # the latest version's
    if publish is None and filename:
        m = re.search(r"(\d{4})-(\d{2})-(\d{2})", Path(filename).stem)
        if m:
            publish = m.group(0)
    if effective is None and parsed:
        for a in reversed(parsed[-5:]):
            m = re.search(r"本(?:法|条例|规定|办法|细则|规则|决定|准则|意见|通知)[^。]{0,10}?自(.{2,16}?)起(?:施行|实施|执行)",
                          a.text)
            if m:
                dm = _DATE_RE.search(m.group(1))
                effective = _iso(dm) if dm else (publish if "公布之日" in m.group(1) or "发布之日" in m.group(1) else None)
                break
    issuer = _issuer(acts, meta_text)
    region = _region(title, issuer)
    level = _level(title, issuer, region)
    if region is None and (level in ("宪法", "法律", "行政法规", "监察法规", "党内法规")
                           or (issuer and _NATIONAL_ISSUER_RE.search(issuer))):
        region = "全国"
    status = STATUS_CURRENT
    if re.search(r"[（(]已废止[）)]", title):
        status, title = STATUS_REPEALED, re.sub(r"[（(]已废止[）)]", "", title)
    elif effective and effective > date.today().isoformat():
        status = STATUS_PENDING
    doc = ParsedDocument(title=title, level=level, issuer=issuer, region=region, publish_date=publish,
                         effective_date=effective, status=status, structured=structured, articles=parsed,
                         warnings=warnings, doc_type=_doc_type(title))
    log.debug("parsed %s: %d articles, structured=%s, wrapped=%s", title, len(parsed), structured, layout.wrapped)
    return doc


def _apply_heading(context: tuple[str | None, str | None, str | None], kind: str,
                   name: str) -> tuple[str | None, str | None, str | None]:
    part, chapter, section = context
    if kind == "编":
        return name, None, None
    if kind == "分编":
        return (f"{part.split(' / ')[0]} / {name}" if part else name), None, None
    if kind == "章":
        return part, name, None
    return part, chapter, name


def _context_after_toc(headings: list[tuple[str, str]]) -> tuple[str | None, str | None, str | None]:
    """编/章/节 context for the first article from the headings before it, skipping a 目录.

    A table of contents shows up as a run of headings with no articles between them: the real
    headings start where a heading repeats (第一章 总则 listed, then 第一章 总则 again); if none
    repeats but two headings of one kind are adjacent, it was all 目录 (the first chapter has no heading).
    """
    start = 0
    seen: set[str] = set()
    for j, (_, name) in enumerate(headings):
        if name in seen:
            start = j
            break
        seen.add(name)
    else:
        labels = [name.split(" ")[0] for kind, name in headings if kind in ("编", "章")]
        dup = next((j for j, (kind, name) in enumerate(headings)
                    if kind in ("编", "章") and labels.count(name.split(" ")[0]) > 1
                    and any(name.split(" ")[0] == n.split(" ")[0] for _, n in headings[:j])), None)
        if dup is not None:
            start = dup
        elif any(a[0] == b[0] for a, b in zip(headings, headings[1:])):
            return None, None, None
    context: tuple[str | None, str | None, str | None] = (None, None, None)
    for kind, name in headings[start:]:
        context = _apply_heading(context, kind, name)
    return context


def audit_numbering(keys: list[tuple[int, int]]) -> list[str]:
    """Article numbers must run 1..N (之一 after its base number allowed): the gaps and repeats found."""
    problems: list[str] = []
    prev: tuple[int, int] | None = None
    for key in keys:
        if prev is None:
            if key != (1, 0):
                problems.append(f"首条为{article_label(*key)}")
        elif not (key == (prev[0] + 1, 0) or key == (prev[0], prev[1] + 1)):
            problems.append(f"{article_label(*prev)}之后是{article_label(*key)}")
        prev = key
    return problems


def _check_sequence(articles: list[ParsedArticle], warnings: list[str]) -> None:
    for problem in audit_numbering([(a.number, a.sub) for a in articles]):
        warnings.append(f"条文序号不连续：{problem}")
    for a in articles:
        if not a.text:
            warnings.append(f"{a.label} 没有正文")


def _paragraphs(lines: list[_Line], layout: _Layout) -> list[ParsedArticle]:
    """An unstructured document as numbered paragraphs; a short heading line joins the next paragraph."""
    paras: list[list[str]] = []
    prev: _Line | None = None
    heading_pending = False
    for ln in lines:
        piece = _clean(ln.text)
        is_heading = ln.md_level > 0 or (len(piece) <= 30 and not re.search(r"[，。；,;]", piece)
                                         and (re.match(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．]|第.{1,3}部分)", piece)
                                              or not layout.wrapped or ln.width < layout.full_width - 4))
        if heading_pending:
            paras[-1].append(piece)
        elif not paras or layout.new_paragraph(prev, ln) or is_heading:
            paras.append([piece])
        else:
            paras[-1][-1] = _join(paras[-1][-1], piece)
        heading_pending = is_heading and not _terminal(piece)
        prev = ln
    return [ParsedArticle(i, 0, "\n".join(p), is_paragraph=True) for i, p in enumerate(paras, 1)]
