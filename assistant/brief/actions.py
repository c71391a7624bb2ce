"""五、本次会议需研究落实的事项: the county government's and its departments' duties in the quoted articles, as
action items for the 县长 — each one sentence of the article (who must do what), its subject put as the county's
organ (县级以上地方人民政府燃气管理部门 -> 县燃气管理部门), with its citation. Nothing is added to what the
article says; the regulated parties' duties are not the meeting's to carry out."""

from __future__ import annotations

import re
from functools import lru_cache

from . import kinds
_SENTENCE = re.compile(r"[^。；]+[。；]?")
# the sentence's own subject is the county's government or an organ of it (not 燃气用户有权向……部门投诉)
_GOVT = re.compile(r"^\s*(?:各级|有关)?(?:县级以上|县级|地方各级)[^，。；应]{0,20}(?:人民政府|部门|机构|机关)")
_ORGAN = re.compile(r"(?:县级以上地方各级|县级以上地方|县级以上各级|县级以上|县级)人民政府(?=[^，。；、应]{0,12}(?:部门|机构))")
_MANNER = re.compile(r"^(?:根据|结合|按照|依照|依据|坚持|围绕|突出|立足|遵循|本着)")
MAX_CLAUSE = 70
ACT_WEIGHT = 3  # the meeting's own procedure (……不得提交讨论) comes first  # a longer sentence is cut at its last comma before this many characters


@lru_cache(maxsize=1)
def _data() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...], int]:
    data = kinds.article_data()
    subjects = tuple((str(a), str(b)) for a, b in data.get("action_subjects") or ())
    return subjects, tuple(data.get("action_words") or ()), int(data.get("action_max") or 6)


@lru_cache(maxsize=1)
def _filters() -> tuple[re.Pattern | None, re.Pattern | None]:
    """(organs no county has, as an alternative in a subject; what is no decision for the meeting)."""
    data = kinds.article_data()
    organs = [re.escape(str(x)) for x in data.get("action_not_county") or ()]
    skips = [str(x) for x in data.get("action_skip") or ()]
    return (re.compile(rf"(?:、|和|或者|及其?)(?:{'|'.join(organs)})") if organs else None,
            re.compile("|".join(skips)) if skips else None)


def county_subject(sentence: str) -> str | None:
    """The sentence with organs the county has not (流域管理机构) left out of its subject, None when its subject is
    only such organs or its deed is a case-handling deadline or a routine return."""
    organs, skip = _filters()
    head, sep, deed = sentence.partition("应当")
    if skip is not None and skip.search(sentence):
        return None
    if organs is not None:
        head = organs.sub("", head)
        names = [x for x in (kinds.article_data().get("action_not_county") or ()) if str(x) in head]
        if names and not _GOVT.search(head):
            return None
    return head + sep + deed


def _county(text: str, topic: str = "") -> str:
    subjects, _words, _n = _data()
    text = _ORGAN.sub("县", text, count=1)  # 县级以上地方人民政府燃气管理部门 -> 县燃气管理部门
    for old, new in subjects:
        text = text.replace(old, new)
    for rule in kinds.article_data().get("action_topic_subjects") or ():
        # 党委（党组） -> 县政府党组 in a brief for the county government's party group, not for the county committee
        if str(rule[0]) in topic and str(rule[1]) in text:
            text = text.replace(str(rule[1]), str(rule[2]), 1)
    if _BARE.match(text) and not text.startswith(("县", "乡", "镇", "街道")):  # 市场监督管理部门应当…… in a county's brief is the county's own department
        text = "县" + text
    return text


_BARE = re.compile(r"^[\u4e00-\u9fff、]{2,16}(?:主管部门|管理部门|行政部门|部门|机构)(?:应当|不得|和|、|会同)")


def _organ_subject(head: str) -> bool:
    """The sentence's subject is one of the county's organs (县级以上地方人民政府; 乡镇人民政府; 市场监督管理部门;
    党组（党委）; 书记), not a company or citizen and not an organ above the county."""
    if _GOVT.search(head):
        return True
    if kinds.above_county(head) or re.match(r"^\s*(?:国务院|国家|中央|省|设区的市|上级)", head):
        return False
    if "，" in head:  # a condition or a list of deeds before 应当 (……组织开展抽查，经核查发现……的，应当): no subject
        return False
    organ, private = kinds._addressees(head)
    return organ and not private


_ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")  # an enumerated 项's number is no part of its duty
_ASIDE = re.compile(r"（[^）]{0,30}）")  # （以下简称……）: no part of the duty


def _clause(text: str) -> str | None:
    """The sentence, or its first clauses within MAX_CLAUSE; None when what is left says no deed (县政府应当组织
    地方金融监管机构和发展改革、财政……等部门 cut before its verb)."""
    text = _ASIDE.sub("", _ITEM.sub("", text.strip()).rstrip("。；"))
    if len(text) <= MAX_CLAUSE or (kinds.own_act_ban(text) and len(text) <= 2 * MAX_CLAUSE):
        return text  # a procedure's condition is part of it (未经审查……的，不得出台)
    head, sep, deed = text.partition("应当")
    parts = deed.split("，")
    # the manner (根据……，结合……，坚持……) gives way before the deed (研究制定年度任务安排)
    kept = [p for i, p in enumerate(parts) if i == len(parts) - 1 or not _MANNER.match(p)]
    if sep and len(kept) < len(parts) and len(head + sep + "，".join(kept)) <= MAX_CLAUSE:
        return head + sep + "，".join(kept)
    cut = text.rfind("，", 0, MAX_CLAUSE)
    if cut < 0 or "应当" not in text[:cut]:
        return None
    deed = text[:cut].split("应当", 1)[1]
    return text[:cut] if len(deed) >= 8 and not deed.endswith(("部门", "机构", "单位")) else None


def action_items(brief) -> list[str]:
    """'县燃气管理部门应当会同……划定燃气设施保护范围，并向社会公布（《城镇燃气管理条例》第三十三条）', best first."""
    _subjects, words, most = _data()
    idle = tuple(kinds.article_data().get("action_idle") or ())
    firm = tuple(kinds.article_data().get("action_firm") or ())
    found = []
    seen: set[str] = set()
    overtaken = getattr(brief, "overtaken", None) or {}
    # the newer law's duties, not those of the older regulation it has overtaken, are what the meeting decides
    lawful = {law.law_id for _old, law in overtaken.values()
              if any(q.law_id == law.law_id and q.theme in ("谁负责", "怎么办", "红线") for q in brief.quotes)}
    for order, q in enumerate(brief.quotes):
        if q.target or q.theme not in ("谁负责", "怎么办", "红线"):
            continue
        if q.law_id in overtaken and overtaken[q.law_id][1].law_id in lawful:
            continue
        pending = any(e.law_id == q.law_id and not e.current for e in brief.laws)
        if pending:  # a law not yet in force gives the meeting nothing to decide today
            continue
        for s in (x.strip() for x in _SENTENCE.findall(q.text)):  # a 款 after the first starts with its newline
            own_act = kinds.own_act_ban(s)  # 未经合法性审查……不得提交决策机关讨论: the meeting's own procedure
            if not own_act and ("应当" not in s or not _organ_subject(s.split("应当")[0])
                                or kinds.above_county(s.split("应当")[0])):
                continue
            if re.search(r"具体办法由|由[^。]{0,12}制定$", s):
                continue
            if kinds.foreign_subject(brief.topic, s):  # 地方党委's duty is no task of 县政府党组
                continue
            kept = s if own_act else county_subject(s)
            clause = _clause(_county(kept, brief.topic)) if kept else None
            if clause is None or clause in seen:
                continue
            seen.add(clause)
            weight = sum(w in s for w in words) + ACT_WEIGHT * own_act
            if not any(w in clause for w in words) and any(w in clause for w in idle):
                continue  # 各级人民政府应当加强……宣传教育: nothing for the meeting to decide or check
            weight += sum(w in s for w in firm)  # a deadline or frequency is what the meeting can hold someone to
            found.append((-weight, order, f"{clause}（{q.cite}）"))
            break  # one item per article: the meeting decides by article
    found.sort()
    return [x for _w, _o, x in found[:most]]
