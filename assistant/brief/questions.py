"""思考题 tied to the topic and the articles the brief quotes: the registry's questions where the topic has them,
else one question per theme built around the quoted article's most topical sentence (verbatim)."""

from __future__ import annotations

import re

from . import kinds
from .model import THEME_HEADINGS, THEMES, Brief, Question, Quote
from .topics import Understanding, term_score

_SENT = re.compile(r"(?<=[。；！？：])|\n")
MAX_CLAUSE = 70
LOCAL_LIFT = 2.0
POINT_CLAUSE = 120  # page one's lines: one sentence each, at most this long (with its 项, three times this)
DEFINITION_LIFT = 3.0
_DEFINES = re.compile(r"所称[^，。]{1,20}，是指|是指[^。]{4,}的(?:行为|活动)")
_PURPOSE = re.compile(r"^\s*为了?")
_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]|^第[一二三四五六七八九十百]+条")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if s and s.strip()]


_THEME_WORDS = {"红线": re.compile(r"不得|禁止|严禁"), "追责": re.compile(r"处分|责任|罚款|责令|处理|问责|司法建议"),
                "谁负责": re.compile(r"负责(?!人)|职责|领导|监督管理|主管"), "监管": re.compile(r"应当|不得|必须")}


def _units(text: str) -> list[tuple[str, list[str]]]:
    """Sentences, each with the 项 that follow it when it ends in a colon (有下列行为之一的，依法给予处分：)."""
    out: list[tuple[str, list[str]]] = []
    for s in _sentences(text):
        if _ITEM.match(s) and out and out[-1][0].endswith("："):
            out[-1][1].append(s)
        elif _ITEM.match(s):
            continue
        elif s.endswith("：") and out and out[-1][0].endswith("；") and not out[-1][1]:
            # "…有下列情形之一的，责令改正；……构成犯罪的，依法追究刑事责任：" is one sentence: its last clause alone
            # would read as if every listed case were a crime (round-5 review, 政府信息公开条例第五十三条)
            while out and out[-1][0].endswith("；") and not out[-1][1]:
                s = out.pop()[0] + s
            out.append((s, []))
        else:
            out.append((s, []))
    return out


def _with_items(lead: str, items: list[str], max_len: int) -> str | None:
    """A sentence ending in a colon with all its 项, or None when they do not fit: a lead cut from some of its
    items changes what it says (round-5 review: "构成犯罪的，依法追究刑事责任：（一）……" read as if every case
    listed were a crime), so it is quoted whole or not at all."""
    text = lead
    for i, item in enumerate(items):
        item = item.rstrip("。；")
        text += item + ("；" if i < len(items) - 1 else "")
    return text if items and len(text) <= max_len else None


# whose red line or liability page one states: the county's organs and officials first (round-5 review: 申请人,
# 大型企业 and 民营经济组织 were quoted as 红线 and 责任)
_OFFICIAL = re.compile(r"人民政府|被申请人|部门|国家机关|行政机关|机关|工作人员|主管人员|直接责任人员|公职人员|领导干部|处分")
_PRIVATE = re.compile(r"(?<!被)申请人|大型企业|民营经济组织|经营者|用户|单位和个人|个人")
OFFICIAL_LIFT = 2.0


def _official(q: Quote) -> bool:
    """A red line or liability of the government or its officials (not of a 监管对象, an applicant, a company)."""
    # one of its sentences opens with an organ or official (国家机关、事业单位……; 行政复议机关不依照……)
    return not q.target and any(_OFFICIAL.search(s[:12]) and not _PRIVATE.search(s[:6])
                                for s in re.split(r"[。；\n]", q.text) if s.strip())


def clause(quote: Quote, u: Understanding, max_len: int = MAX_CLAUSE, lists: bool = True) -> str | None:
    """The quote's most topical sentence (one that speaks to its theme), verbatim without end punctuation; a
    sentence that ends in a colon comes with its 项 (it says nothing without them), unless lists is False (a
    question's stem holds one sentence, never a whole article)."""
    best = None
    need = _THEME_WORDS.get(quote.theme)
    for lead, items in _units(quote.text):
        if lead.endswith("：") and not lists:
            continue
        if lead.endswith("："):
            s = _with_items(lead, items, max_len * 3)
            if s is None:
                continue
        else:
            s = lead.rstrip("。；")
            if len(s) > max_len:
                continue
        if "“" in s or len(s) < 6 or (need is not None and not need.search(lead)) or _DELEGATE.search(s):
            continue  # 具体办法由……制定 says nothing the meeting can hold anyone to
        # what binds the county reads better on page one than what the State Council does; of a regulated party's
        # duty, what it must do (供热企业应当保证……), not what the county fixes for it
        lift = -LOCAL_LIFT if quote.theme == "监管" else LOCAL_LIFT
        score = term_score(s, u.weights) + lift * kinds.local_duty(s) - LOCAL_LIFT * kinds.above_county(s)
        if quote.theme in ("红线", "追责") and not quote.target:
            # the government's and officials' red lines and liability, not an applicant's or a company's
            score += OFFICIAL_LIFT * (bool(_OFFICIAL.search(s[:12])) - bool(_PRIVATE.search(s[:6])))
        if quote.theme == "是什么" and _DEFINES.search(s):
            score += DEFINITION_LIFT  # what the topic is: its definition before the law's scope
        if best is None or score > best[0]:
            best = (score, s)
    return best[1] if best else None


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def answer(quote: Quote, u: Understanding, question: str = "") -> str:
    """The quoted article's sentence that answers the question best (most shared wording), verbatim."""
    c = None
    if question:
        want = _bigrams(question)
        pool = [x for x in ((_with_items(lead, items, 200) if lead.endswith("：") else lead.rstrip("。；"))
                            for lead, items in _units(quote.text)) if x and len(x) <= 200]
        scored = sorted(((len(want & _bigrams(s)), -i, s) for i, s in enumerate(pool)), reverse=True)
        if scored and scored[0][0] >= 3:
            c = scored[0][2]
    c = c or clause(quote, u, 160) or clause(quote, u, 200) or _first(quote.text)
    return f"{quote.cite}规定：“{c}”。"


def _first(text: str) -> str:
    lead, items = _units(text)[0]
    return (_with_items(lead, items, 200) if lead.endswith("：") else None) or lead.rstrip("。；：")


_DEADLINE, _STANDARD = kinds.DEADLINE, kinds.STANDARD
_DELEGATE = re.compile(r"具体办法由|由[^。]{0,20}另行制定|参照执行")


_ABOVE_COUNTY = re.compile(r"^(?:县级以上地方各级人民政府|县级以上地方人民政府|县级以上人民政府|地方各级人民政府|各级人民政府|"
                           r"设区的市、县（市）人民政府|县（市、区）人民政府|县级人民政府)")


def _topic_actor(who: str, topic: str) -> str | None:
    """党委（党组） as 县政府党组 when the agenda is the county government's party group (articles.yaml
    action_topic_subjects): its duty is no 部门's to lead."""
    for rule in kinds.article_data().get("action_topic_subjects") or ():
        if str(rule[0]) in topic and str(rule[1]) in who:
            return who.strip("，、 ").replace(str(rule[1]), str(rule[2]), 1)
    return None


def _county_actor(who: str) -> str | None:
    """The rule's addressee as the county says it (县级以上人民政府教育行政部门 -> 县政府教育行政部门), or None when
    it names no organ of the county (村民选举委员会 is no county organ; a long or clause-like subject is no actor)."""
    who = who.strip("，、 ")
    if not who or len(who) > 24 or "，" in who:
        return None
    m = _ABOVE_COUNTY.match(who)
    if m:
        rest = who[m.end():].lstrip("及其和")
        return "县政府" + (f"{rest}" if rest else "")
    return None


def _fact(c: str) -> str | None:
    """The one checkable thing a quoted sentence sets: a deadline (十日内) or a standard (不低于18℃)."""
    m = _DEADLINE.search(c) or _STANDARD.search(c)
    return m.group(0) if m else None


def _duty_clause(q: Quote, u: Understanding) -> str | None:
    """A sentence of the quote that lays down a duty (应当 …), when none speaks to the theme in its own words."""
    for lead, _items in _units(q.text):
        s = lead.rstrip("。；")
        if "应当" in s and 6 <= len(s) <= MAX_CLAUSE and "“" not in s and not _DELEGATE.search(s):
            return s
    return None


def _derived(theme: str, q: Quote, u: Understanding) -> str:
    """A question on what the quoted article itself requires: its deadline or standard where it sets one, the
    actor it names, its ban, its first liability case."""
    topic, c = topic_phrase(u.topic), clause(q, u, lists=False)
    if c and (_DELEGATE.search(c) or _idle(c) or c.rstrip().endswith(("：", ":"))):
        # 具体办法由……制定, 国务院领导全国的…… is no requirement for the county to discuss; a list's lead
        # (应当报送下列材料：) quoted without its items says nothing
        c = None
    if c is None and theme in ("谁负责", "怎么办", "是什么"):
        c = _duty_clause(q, u)
    if c and c.rstrip().endswith(("：", ":")):
        c = None
    fact = _fact(c) if c else None
    who = (_county_actor(kinds.subject(c)) or _topic_actor(kinds.subject(c), u.topic)) if c else None
    if fact:
        return f"{q.cite}规定“{c}”。“{fact}”这一要求在我县由谁把关、目前能否做到？"
    if theme == "谁负责":
        if c and who:
            return f"{q.cite}规定“{c}”。{who}落实这项职责的具体措施是什么、进展如何？"
        return (f"{q.cite}规定“{c}”。这项职责在我县由哪个部门牵头、如何落实？" if c
                else f"{q.cite}对{topic}中政府和部门的职责作了哪些规定？我县是否已分解落实？")
    if theme == "怎么办":
        return (f"{q.cite}规定“{c}”。我县在{topic}中按这一程序办理了吗，哪些环节容易遗漏？" if c
                else f"按照{q.cite}，{topic}要履行哪些程序？")
    if theme == "监管":
        return (f"{q.cite}规定“{c}”。我县主管部门如何督促监管对象落实、有无检查记录？" if c
                else f"{q.cite}为监管对象设定了哪些义务？我县主管部门如何监督落实？")
    if theme == "红线":
        return (f"{q.cite}规定“{c}”。{topic}中哪些做法可能触碰这条红线，如何防范？" if c
                else f"{q.cite}在{topic}中划定了哪些红线？")
    if theme == "追责":  # a listed case never stands alone: it comes with who is liable and for what
        case = _liability_case(q.text)
        if case:
            return f"按照{q.cite}，{case}我县有没有这类风险，如何防范？"
        if c and not any(items for _lead, items in _units(q.text)):
            return f"{q.cite}规定“{c}”。我县在{topic}中有没有这类风险，如何防范？"
        return f"{q.cite}规定了哪些追责情形、由谁承担什么责任？我县在{topic}中如何防范？"
    ours = topic if topic.startswith("县") else f"我县{topic}"  # 我县县政府党组 says 县 twice
    return (f"如何理解{q.cite}“{c}”的要求？它对{ours}有什么要求？" if c
            else f"{q.cite}对{topic}提出了什么要求？")


_CASES = re.compile(r"([^，。；：]{2,40}?)，?有下列(?:行为|情形)之一的，([^：]{2,160})：")
_ITEM_NO = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")


def _liability_case(text: str) -> str | None:
    """'供热主管部门和其他有关部门有“未按照规定编制……的”等行为的，依法给予处分。': the first listed case with whom
    it makes liable and how, so no case reads as if it carried another consequence (round-5 review: "构成犯罪的，
    依法追究刑事责任：（一）……"). A graded consequence (责令改正；情节严重的……；构成犯罪的……) is said as 依照本条追究责任."""
    for lead, items in _units(text):
        m = _CASES.search(lead)
        if not m or not items:
            continue
        item = _ITEM_NO.sub("", items[0]).rstrip("。；")
        item = item[:-1] if item.endswith("的") else item
        if not 4 <= len(item) <= 60:
            return None
        cons = m.group(2)
        cons = "依照本条追究责任" if "；" in cons or "，" in cons else cons
        return f"{m.group(1)}有“{item}”等行为的，{cons}。"
    return None


def _see(theme: str, q: Quote, u: Understanding, asked: str) -> str:
    """A derived question already quotes its clause: the answer quotes what else the article says that binds the
    county (its other sentences, or a liability article whole), never a sentence about the State Council or a
    basin authority (round-5 review: "还规定：国务院领导全国的消防工作" answers nothing)."""
    units = [x for x in ((_with_items(lead, items, ANSWER_MAX) if lead.endswith("：") else lead.rstrip("。；"))
                         for lead, items in _units(q.text)) if x]
    rest = [x for x in units if x not in asked and len(x) >= 10 and not _idle(x)]
    c = clause(q, u, 160)
    if c and c not in asked and not _idle(c):
        return f"{q.cite}规定：“{c}”。"
    if rest:
        return f"{q.cite}还规定：“{rest[0]}”。" if c and c in asked else f"{q.cite}规定：“{rest[0]}”。"
    # a list the stem could not hold (a liability article's lead with its 项) is answered whole
    lists = [_with_items(lead, items, ANSWER_MAX) for lead, items in _units(q.text) if items]
    whole = next((x for x in lists if x and x not in asked), None)
    if whole:
        return f"{q.cite}规定：“{whole}”。"
    return _pointer(q, theme)


def _pointer(q: Quote, theme: str | None = None) -> str:
    """An answer the article itself gives, in the brief's prose (round-6 review: 【谁负责：职责分工】 read as a template
    left in the Word file)."""
    heading = THEME_HEADINGS.get(theme or q.theme, THEME_HEADINGS[THEMES[0]]).split("：")[-1]
    return f"见本材料“{heading}”部分所引{q.cite}全文。"


def compact(questions: list[Question], max_len: int) -> list[Question]:
    """A brief over its length: an answer restating more than max_len characters of an article the brief quotes
    whole points to it instead (the length cut had dropped core articles while the answers repeated whole lists)."""
    out = []
    for x in questions:
        q = x.citations[0] if x.citations else None
        if q is not None and len(x.answer) > max_len:
            x = Question(x.question, _pointer(q),
                         x.citations)
        out.append(x)
    return out


ANSWER_MAX = 400  # a liability article answered whole (its lead with every 项) up to this many characters


def _idle(sentence: str) -> bool:
    """A sentence that gives the county nothing to answer with: the State Council's or a basin authority's part,
    a purpose clause, a delegation."""
    return kinds.above_county(sentence) or bool(_PURPOSE.match(sentence)) or bool(_DELEGATE.search(sentence)) or \
        bool(_NOT_COUNTY.search(kinds.subject(sentence)))


_NOT_COUNTY = re.compile(r"流域管理机构|国务院|省、自治区、直辖市")


def topic_phrase(topic: str) -> str:
    """What the meeting is about, as a question can say it: 学习《水法》《……条例》，强化水资源刚性约束和取用水管理
    -> 强化水资源刚性约束和取用水管理 (the whole agenda line inside a question reads as a broken sentence)."""
    # 县政府党组落实……（学习《……规定》）: the parenthesis says what is studied, not what the meeting is about
    topic = re.sub(r"[（(]\s*(?:学习|学习贯彻|贯彻)?(?:修订后的)?(?:《[^》]+》[、和及]?)+[^）)]*[）)]\s*$", "", topic).strip() or topic
    parts = [p for p in re.split(r"[，,；;]", topic) if p.strip()]
    tail = [p for p in parts if not re.match(r"^\s*(?:学习|学习贯彻|贯彻)?(?:修订后的)?(?:《[^》]+》[、和及]?)+\s*$", p)]
    return (tail[-1] if tail else re.sub(r"^(?:学习贯彻|学习|贯彻)", "", topic)).strip() or topic


def _pending(brief: Brief, q) -> bool:
    e = brief.law(q.law_id)
    return e is not None and not e.current


def write_questions(brief: Brief, u: Understanding, resolve, n: int) -> list[Question]:
    """Up to n questions; resolve(title) -> Law or None (to find the registry's cited articles)."""
    out: list[Question] = []
    used: set[tuple[str, int, int]] = set()
    for entry in u.entries:
        for text, title, number in entry.questions:
            law = resolve(title)
            q = next((x for x in brief.quotes if law is not None and x.law_id == law.law_id and x.number == number),
                     None)
            if q is not None and q.key not in used:
                out.append(Question(text, answer(q, u, text), (q,)))
                used.add(q.key)
    for _round in range(2):  # one question per theme, then a second round while room is left
        for theme in (*THEMES[1:], THEMES[0]):
            if len(out) >= n:
                break
            pool = sorted((q for q in brief.themed(theme) if q.key not in used and not _PURPOSE.match(q.text)
                           and not _pending(brief, q)), key=lambda q: -q.score)
            if pool:
                q = pool[0]
                # the county's own duty: ask what the county must do, and answer with the meeting's action item
                # (not with another sentence of the same article)
                act = next((a for a in brief.actions if a.endswith(f"（{q.cite}）")), None)
                if act and theme in ("谁负责", "怎么办"):
                    out.append(Question(f"按照{q.cite}，我县必须做什么、由谁牵头、何时完成？",
                                        f"{q.cite}要求：{act[:-len(q.cite) - 2]}。", (q,)))
                else:
                    asked = _derived(theme, q, u)
                    out.append(Question(asked, _see(theme, q, u, asked), (q,)))
                used.add(q.key)
    return out[:n]


POINT_LEADS = {"是什么": "要义", "谁负责": "职责", "怎么办": "程序", "监管": "监管", "红线": "红线", "追责": "责任"}


def key_points(brief: Brief, u: Understanding, lists: bool = True) -> list[tuple[str, str]]:
    """One line per theme for page one: the theme's best quote, its most topical sentence verbatim; lists False
    (a brief over its length): one sentence, never a lead with all its 项 (the article is quoted whole below)."""
    out = []
    for theme in THEMES:
        # page one leads with the registry's key articles, then what binds the county; a purpose clause last
        rank = {e.law_id: i for i, e in enumerate(brief.laws)}  # the governing law before laws that touch it
        # 要义 comes from the governing law, its purpose clause if nothing else of it is about what the topic is
        pool = sorted(brief.themed(theme), key=lambda q: (theme == "是什么" and rank.get(q.law_id, 99) > 0,
                                                          theme in ("红线", "追责") and not _official(q),
                                                          _PURPOSE.match(q.text) is not None, not q.core,
                                                          rank.get(q.law_id, 99) > 0, not kinds.local_duty(q.text),
                                                          -q.score))
        for q in pool:
            if _pending(brief, q):  # a law not yet in force is no point the county acts on today
                continue
            if theme == "是什么" and not u.coverage(q.text) and (brief.caution or rank.get(q.law_id, 99) > 0):
                continue  # a general law's principle (安全生产工作坚持……) says nothing of this topic
            c = clause(q, u, POINT_CLAUSE, lists=lists)
            if c:
                out.append((theme, f"{POINT_LEADS[theme]}：{q.cite}规定，“{c}”。"))
                break
    return out
