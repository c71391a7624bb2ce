"""Query resolution: a question (and the conversation so far) -> a typed `Query`, references parsed once.

Follow-ups inherit the previous turn's law only from a supported answer, and only when the question reads as a
follow-up (第三款呢 / 那… / 违反了会怎样) or shares words with the previous question. Laws the question names are
sorted into known, unknown (not in the knowledge base) and only-repealed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.citations import Reference, find_references
from knowledge.lawnames import strip_title
from knowledge.models import Article, Law
from knowledge.numerals import CN_NUM_CHARS, article_label

from .models import Answer

_FOLLOWUP = re.compile(r"^(?:那|那么|那如果|如果|这|该|它|此|上述|这个|这条|那条|这种|还有|另外|再)|呢\s*[？?]?\s*$")
_PARA_ONLY = re.compile(r"第\s*([一二三四五六七八九十\d]+)\s*(款|项)")
_COUNTRIES = ("美国|英国|法国|德国|日本|韩国|朝鲜|俄罗斯|欧盟|欧洲|新加坡|澳大利亚|加拿大|印度|意大利|西班牙|瑞士|瑞典|荷兰|"
              "泰国|越南|马来西亚|新西兰|巴西|墨西哥|南非|埃及|以色列|伊朗|土耳其|香港|澳门|台湾")
# The knowledge base holds mainland Chinese law: a question about another jurisdiction's law is not supported.
_FOREIGN = re.compile(rf"(?:{_COUNTRIES})|(?:外国|国外|西方|联合国|国际)[^，。？?！!]{{0,8}}?(?:宪法|基本法|法典|法|条例|公约|修正案)")
_NAMECH = r"(?:(?![的了吗呢么能否是对在和与及或将把被给向从就都也还要会可应该该这那其])[\u4e00-\u9fff])"
_NAME_RUN = re.compile(r"[\u4e00-\u9fff]{2,30}?(?:法典|法|条例|规定|办法|细则|准则)")
_REGION_NAME = re.compile(rf"(?:某某|某|{_NAMECH}{{2,6}}?)(?:省|市|县|自治区|经济特区|特别行政区)"
                          rf"{_NAMECH}{{2,24}}?(?:条例|规定|办法|细则)")
# a work document a unit issued (关于…的通知, …中心发的…通知里): the knowledge base holds laws and regulations, and a
# question about such a notice's contents is unsupported unless a stored document bears that title
_WORK_DOC = re.compile(r"关于[^，。？?！!、]{2,30}?的?(?:通知|通报|纪要)|(?<=局|委|办|厅|心|府|位)[^，。？?！!]{0,24}?(?:通知|通报|纪要)(?=里|中|上)")
_NAMED_ARTICLE = re.compile(rf"(?P<name>{_NAMECH}{{2,20}}?(?:法典|法|条例|规定|办法|细则|准则))\s*第\s*[{CN_NUM_CHARS}\d]+\s*条")
_LEAD = re.compile(r"^(?:根据|依据|依照|按照|违反|参照|适用|对照|关于|按|依|据|照|由|在|对|了|和|与|及|或|我国|国家|现行|新|咱们|我们)+")
STOP_WORDS = frozenset("怎么 怎样 如何 什么 哪些 哪个 哪里 哪儿 是否 能否 能不能 可不可以 可以 应当 应该 需要 规定 法律 法规 条文 "
                    "问题 情况 时候 东西 这样 那样 这个 那个 一下 一般 有关 相关 关于 根据 按照 依据 我们 你们 他们 自己 现在 "
                    "今天 明天 知道 告诉 介绍 讲讲 说说 具体 内容 要求 多少 多久 几个 还是 或者 以及 为什么 对于 一个 会不会 "
                    "有没有 是不是 要不要 不会 不能 能够 不要 需不需要 行不行 算不算 好不好 昨天 最近 以后 之前 之后 时候 怎么办 咋办 谁 吗 呢 吧 啊 的 了 是 有 在 和 与 及 就 都 也 还 我 你 他 她 它 请问 帮 帮我".split())

_ARTICLE = re.compile(r"第\s*[一二三四五六七八九十百千\d]+\s*条")


@dataclass
class Query:
    """A question after follow-up resolution."""

    question: str
    search: str  # what is sent to the retriever
    law: str | None = None  # restrict to this law (the --law option)
    context_law: str | None = None  # 本法 / bare 第N条 / 第二款 refer to this law
    consequence: bool = False  # a real "what happens if" cue (not any 处分/处罚)
    asked_types: frozenset[str] = frozenset()  # article types the wording asks for (列举, 期限, …)
    liability_of: list[tuple[Law, Article]] = field(default_factory=list)  # "违反了会怎样" after a duty
    unknown_laws: list[str] = field(default_factory=list)
    stale_laws: list[Law] = field(default_factory=list)
    named: list[Law] = field(default_factory=list)
    refs: list[Reference] = field(default_factory=list)  # article references in the question, parsed once
    rewritten: str | None = None  # the LLM's statutory rewording, when an LLM is configured


def content_words(text: str) -> list[str]:
    """The question's own words worth finding in an article (jieba, 2+ characters, no question words).

    No word with 某 either: 李某, 某县, 某镇开 are a case's placeholders, never in an article, and in a long scenario
    they were a fifth of the weight the judge found missing (fresh-5 s02 declined with its gold first)."""
    from knowledge.lexical import segment

    out: list[str] = []
    for w in segment(text):
        if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+|[A-Za-z][A-Za-z+#]+", w) and w not in STOP_WORDS \
                and "某" not in w and w not in out:
            out.append(w)
    return out


_REGION_TOKEN = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:省|市|县|自治区|经济特区|特别行政区)")


def _same_region(law: Law | None, name: str, cut: int) -> bool:
    """A regional name's tail name[cut:] resolving is a match only when the law is of the region the name gives
    before the tail: 浙江省数字经济促进条例 is not answered by another province's 数字经济促进条例, nor
    杭州市城市市容…条例 by the national one, nor 某市养犬管理条例 by any city's. Junk before a region (我们泰安市…)
    and a province before a city (山东省济南市…) are tolerated."""
    if law is None:
        return False
    if name.lstrip("我们咱们本").startswith("某"):
        return False
    regions = [m.group(1) for m in _REGION_TOKEN.finditer(name) if m.start() < cut]
    if not regions:
        return True
    if not law.region or law.region == "全国":  # a region was named and cut off: a national law is not its document
        return False
    return any(r[j:] in law.title or r[j:] in law.region for r in regions for j in range(len(r) - 1))


class QueryResolver:
    def __init__(self, kb: Any):
        self.kb = kb

    def _history_context(self, history: list) -> tuple[list[dict], list[str]]:
        """The previous turn's focus articles and laws."""
        for turn in reversed(history or []):
            if isinstance(turn, Answer):
                if turn.supported and (turn.focus or turn.laws):
                    return turn.focus, turn.laws
                if turn.supported or turn.laws:
                    return [], list(turn.laws)
                continue
            content = turn.get("content") if isinstance(turn, dict) else getattr(turn, "content", None)
            if not isinstance(content, str) or not content:
                continue
            focus, laws = [], []
            names = self.kb.names
            for ref in find_references(content, resolve=lambda n: names.resolve(n)):
                lw = names.resolve(ref.law_name) if ref.law_name else None
                if lw is not None and ref.article:
                    focus.append({"law": lw.title, "law_id": lw.law_id, "article": ref.article, "sub": ref.sub,
                                  "paragraph": ref.paragraph})
                    if lw.title not in laws:
                        laws.append(lw.title)
            for lw, _ in names.detect(content):
                if lw.title not in laws:
                    laws.append(lw.title)
            if focus or laws:
                return focus, laws
        return [], []

    def _named_laws(self, question: str) -> tuple[list[Law], list[str], list[Law]]:
        """Laws the question names: known, unknown (not in the knowledge base), only repealed/historical."""
        names = self.kb.names
        known: list[Law] = []
        unknown: list[str] = []
        stale: list[Law] = []

        def judge(name: str) -> None:
            lw = names.resolve(name)
            if lw is not None:
                known.append(lw)
                return
            old = names.resolve(name, current_only=False)
            if old is not None:
                stale.append(old)
            else:
                unknown.append(name)

        for m in re.finditer(r"《([^《》]{2,60})》", question):
            judge(m.group(1))
        bare = re.sub(r"《[^《》]*》", "，", question)
        for m in _FOREIGN.finditer(bare):
            unknown.append(m.group(0))
        bare = _FOREIGN.sub("，", bare)
        for m in _REGION_NAME.finditer(bare):
            name = _LEAD.sub("", m.group(0))
            if names.resolve(name, current_only=False) is None and not any(
                    _is_title(lw := names.resolve(name[i:], current_only=False), name[i:]) and _same_region(lw, name, i)
                    for i in range(len(name)) if len(name) - i >= 6):
                unknown.append(name)
        for m in _NAME_RUN.finditer(bare):
            run = m.group(0)
            if not run.endswith(("条例", "办法", "细则", "准则")):
                continue
            name = _LEAD.sub("", run)
            if len(name) < 4 or any(name in u or u in name for u in unknown):
                continue
            ok = any(_same_region(names.resolve(name[i:], current_only=False), name, i)
                     for i in range(0, len(name) - 3))
            if not ok:
                unknown.append(name)
        for m in _WORK_DOC.finditer(bare):
            name = re.sub(r"^(?:发的|下发的|印发的|出台的|今年|去年|最近)+", "", m.group(0))
            if len(name) >= 4 and names.resolve(name, current_only=False) is None \
                    and not any(name in u or u in name for u in unknown):
                unknown.append(name)
        # 某某法第N条 whose law no stored document answers to
        covered = [(r.start, r.end) for r in find_references(bare, resolve=lambda n: names.resolve(n, False))]
        for m in _NAMED_ARTICLE.finditer(bare):
            if not any(a < m.end() and m.start() < b for a, b in covered):
                name = _LEAD.sub("", m.group("name"))
                if len(name) >= 2 and not any(name in u or u in name for u in unknown):
                    unknown.append(name)
        stale_runs: list[str] = []
        for m in _NAME_RUN.finditer(bare):  # 行政监察法: the longest name that resolves is only a repealed one
            name = _LEAD.sub("", m.group(0))
            for i in range(0, max(0, len(name) - 2)):
                if names.resolve(name[i:]) is not None:
                    break
                old = names.resolve(name[i:], current_only=False)
                if old is not None:
                    if old not in stale:
                        stale.append(old)
                    stale_runs.append(name[i:])
                    break
        for lw, alias in names.detect(bare):
            if lw not in known and not any(alias in run for run in stale_runs):
                known.append(lw)
        return known, unknown, stale

    def resolve(self, question: str, history: list | None = None, law: str | None = None) -> Query:
        focus, prev_laws = self._history_context(history or [])
        known, unknown, stale = self._named_laws(question)
        prev_law = prev_laws[0] if prev_laws else None
        if law:
            lw = self.kb.resolve_law(law)
            if lw is None:
                unknown.append(law)
            prev_law = lw.title if lw else prev_law
        types = self.kb.types
        q = Query(question=question, search=question, law=law, context_law=prev_law,
                  consequence=types.consequence(question), asked_types=types.asked(question),
                  unknown_laws=unknown, stale_laws=stale, named=known)
        names = self.kb.names
        refs = find_references(question, resolve=lambda n: names.resolve(n))
        q.refs = refs
        has_article = bool(_ARTICLE.search(question))
        if not (focus or prev_laws) or known or refs:
            return q
        # a follow-up: only 第二款 / 第三项 named -> same article
        m = _PARA_ONLY.search(question)
        if m and not has_article and focus:
            f = focus[0]
            lab = article_label(f["article"], f.get("sub") or 0)
            q.search = f"《{f['law']}》{lab}{question[m.start():m.end()]}"
            q.context_law = f["law"]
            return q
        if has_article:  # 第十六条呢 -> same law
            q.context_law = prev_law
            return q
        if q.consequence and focus and len(question) <= 20:  # 违反了会怎样 -> liability of the same duty
            for f in focus[:2]:
                lw = self.kb.catalog.law(f["law_id"])
                art = self.kb.catalog.article(f["law_id"], f["article"], f.get("sub") or 0)
                if lw and art:
                    q.liability_of.append((lw, art))
            q.search = f"{question} {q.liability_of[0][1].text[:60]}" if q.liability_of else question
            q.law = q.law or prev_law
            return q
        if (_FOLLOWUP.search(question) or len(question) <= 12 or self._shares_words(question, history or [])) \
                and not law:  # 那需要什么程序？ -> the same law in view
            from knowledge.lawnames import strip_title

            q.search = f"{strip_title(prev_law)} {question}" if prev_law else question
        return q

    @staticmethod
    def _shares_words(question: str, history: list) -> bool:
        for turn in reversed(history):
            prev = turn.question if isinstance(turn, Answer) else (
                turn.get("content") if isinstance(turn, dict) and turn.get("role") == "user" else None)
            if prev:
                return bool(set(content_words(question)) & set(content_words(prev)))
        return False


def _is_title(law: Law | None, name: str) -> bool:
    """`name` is the document's own title (山东省泰安市… → 泰安市…条例), not a longer title's tail: 山东省安全生产条例
    is not 煤矿安全生产条例, whose title merely ends the same way."""
    if law is None:
        return False
    return name in (law.title, strip_title(law.title)) or strip_title(law.title).endswith(name) and len(name) >= 8

