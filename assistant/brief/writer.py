"""BriefWriter: topic -> understanding -> governing laws and their best articles -> a themed brief.

Offline and deterministic; every quotation is stored text. With an LLM, one short 导语 may be added, each of
its sentences checked against the quoted articles (`knowledge.verify.check_sentence`) or dropped."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Iterable

from knowledge.errors import NotFoundError, XuefaError
from knowledge.numerals import cn_to_int
from knowledge.verify import verified_sentences

from . import currency, implementing, kinds
from .actions import action_items
from .model import LENGTHS, THEMES, Brief, LawEntry, Missing, Quote, version_text
from .questions import compact, key_points, write_questions
from .coverage import named_caution
from .redlines import red_lines
from .select import Selector
from .topics import Registry, default_registry, understand

log = logging.getLogger(__name__)

DIMINISH = 0.85
VARIANT_MIN = 3  # a spelled-out wording used this often is the statutes' word for a colloquial one
COUNTY_CORE = 4.0  # county weight of an article laying down the county's own duty in the law made for the topic
REGULATED_CAP = {"监管": 3, "追责": 1}  # the regulated parties' duties, and the one sanction, a brief quotes at most
REGULATED_CHARS = 220  # room a regulated party's duty has beyond the quoted text's length
THEME_PLACES = 3  # each theme's best few articles have their places in the brief
THEME_CAP = {"是什么": 2, "谁负责": 6, "怎么办": 5, "红线": 4, "追责": 3}  # … and none takes the whole of it
THEME_STRETCH = {"是什么": 1, "谁负责": 3}  # how far a theme may go past its share when others have no more
RED_KEEP = 1  # 红线 quotations the length cut never takes
ACTIONS_KEPT = 4  # action items a brief keeps when over its length: what the meeting decides outweighs a 15th quotation
SHORT_ANSWER = 160  # over its length, an answer longer than this points to the quoted article instead
PENDING_MAX = 2  # articles of a law not yet in force a brief quotes at most, as 即将施行
OVERTAKEN_MAX = 2  # articles of an older regulation the newer law on its subject has overtaken a brief quotes at most
FILL_TO = 6  # side articles (a law's articles without the topic's own words) only fill a brief up to this many
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "brief"


@dataclass(frozen=True)
class Limits:
    laws: int  # governing laws at most
    chars: int  # quoted text, in characters
    quotes: int
    questions: int
    total: int  # the whole brief, in characters


# standard stays ≤ 6,000 characters in all (about 15 minutes of study); short about half; long about 10,000
LIMITS = {
    "short": Limits(laws=2, chars=1500, quotes=6, questions=3, total=3500),
    "standard": Limits(laws=4, chars=3300, quotes=20, questions=5, total=6000),
    "long": Limits(laws=6, chars=7000, quotes=28, questions=7, total=11000),
}


def _regulated(c) -> bool:
    """A regulated party's duty or sanction (供热企业应当……; 对供热企业处……罚款), not a ban (labelled as 红线)."""
    return bool(c.target) and c.theme in ("监管", "追责")


def _filler(q) -> bool:
    """What the length cut takes first: 是什么 beyond the registry's keys, and a duty with no deadline, procedure,
    standard or ban (县级以上人民政府应当给予支持) — before the red lines and liability a meeting acts on."""
    return q.theme == "是什么" or (q.theme == "谁负责" and not kinds.operational(q.text))


_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,3}省")
_STARTS = re.compile(r"自[^。]{6,16}起施行")
_DATE = re.compile(r"自([0-9〇○零一二三四五六七八九]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})日起施行")
_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")


def _iso_date(text: str) -> str | None:
    """'2014-09-01' from 本条例自2014年9月1日起施行 (or 二〇一四年九月一日)."""
    m = _DATE.search(text)
    if not m:
        return None
    year = m.group(1).translate(_DIGITS)
    month, day = (int(x) if x.isdigit() else cn_to_int(x) for x in m.group(2, 3))
    if not year.isdigit() or not month or not day:
        return None
    return f"{year}-{month:02d}-{day:02d}"


class BriefWriter:
    """Writes 会前学法 briefs from the knowledge base."""

    def __init__(self, kb, llm=None, registry: Registry | None = None, region: str | None = None):
        self.kb = kb
        self.llm = llm
        self.registry = registry or default_registry()
        self.region = region
        self.selector = Selector(kb, self.registry)

    def _resolve(self, names: Iterable[str] | None) -> list:
        out = []
        for name in names or ():
            name = name.strip().strip("《》")
            if not name:
                continue
            law = self.selector.resolve(name)
            if law is None:
                raise NotFoundError(f"知识库中没有现行的《{name}》。用 `xuefa laws` 查看已有文档，或先导入该法规。")
            if law not in out:
                out.append(law)
        return out

    def _count(self, term: str) -> int:
        return self.kb.count_text(term)

    def _variants(self, word: str) -> list[str]:
        """The statutes' wordings of a two-character word they never use as such: its characters with one or two
        between (抛物 -> 抛掷物, 坠物 -> 坠落的物), when the knowledge base uses that wording often enough."""
        if len(word) != 2 or not hasattr(self.kb, "text_forms"):
            return []
        forms = self.kb.text_forms(f"{word[0]}[\u4e00-\u9fff]{{1,2}}{word[1]}", limit=2)
        return [f for f, n in forms if n >= VARIANT_MIN]

    def write(self, topic: str, laws: Iterable[str] | None = None, length: str = "standard", *,
              only_laws: Iterable[str] | None = None, exclude_laws: Iterable[str] | None = None,
              unit: str | None = None, date: str | None = None, region: str | None = None) -> Brief:
        """laws: lead the brief with these; only_laws: quote nothing else; exclude_laws: never quote these;
        region: the brief's own city (泰安市) — other cities' built-in regulations are left out."""
        topic = " ".join((topic or "").split())
        if not topic:
            raise XuefaError("请给出学习主题，例如：xuefa brief \"安全生产专项整治\"")
        if length not in LIMITS:
            raise XuefaError(f"篇幅只能是 short、standard 或 long，而不是 {length}")
        limits = LIMITS[length]
        lead, only = self._resolve(laws), self._resolve(only_laws)
        exclude = {law.law_id for law in self._resolve(exclude_laws)}
        brief = Brief(topic=topic, length=length, unit=(unit or "").strip() or None,
                      date=date or _date.today().isoformat())
        total = sum(self.kb.catalog.article_counts().values())
        u = understand(topic, self.registry, self._count, total, self._variants)
        brief.topics = [e.name for e in u.entries]
        # a selector per brief: it keeps per-topic state, and the web app may write two briefs at once
        selector = Selector(self.kb, self.registry, region=(region or self.region or "").strip() or None,
                            today=brief.date)
        sel = selector.select(u, lead=[x for x in lead if x.law_id not in exclude], only=only,
                              exclude=exclude, max_laws=limits.laws, per_law=limits.quotes)
        brief.missing = [Missing(t, lv) for t, lv in sel.missing]
        brief.caution = sel.caution
        if sel.declined:
            brief.declined = sel.declined
            return brief
        agenda = getattr(selector, "agenda_missing", set())
        if sel.caution and any(m.title not in agenda for m in brief.missing) and length != "short":
            # the instrument made for the topic is missing: what is held only touches it, so the brief stays short
            limits = LIMITS["short"]
        overtaken = getattr(sel, "overtaken", {}) or {}
        quotes = self._budget(sel.picks, limits, {law.law_id for law in sel.pending}, overtaken)
        if not quotes:
            brief.declined = ("知识库中没有找到与本议题直接相关的现行条文；可用 --law 指定法规，或先导入有关法规。"
                              if not brief.missing else "知识库缺少本议题的主管依据，暂不能生成学法材料。")
            return brief
        # the 红线 come from the new law, not from the older regulation it has overtaken
        quotes += red_lines(self.kb, [p for p in sel.picks if p.law.law_id not in overtaken], quotes, u)
        order = {p.law.law_id: i for i, p in enumerate(sel.picks)}
        # the bans binding the government lead its 红线 part, before those on 企业、业主 alone (round-6 review)
        quotes.sort(key=lambda q: (THEMES.index(q.theme), q.theme == "红线" and not kinds.binds_public(q.text),
                                   order[q.law_id], q.number, q.sub, q.paragraph or 0))
        brief.quotes = quotes
        brief.laws = [LawEntry.of(p.law, p.reason, p.score, self._revision(p.law), self._first_effective(p.law))
                      for p in sel.picks
                      if any(q.law_id == p.law.law_id for q in quotes)]
        quoted = {q.law_id for q in quotes}
        olds = {p.law.law_id: p.law for p in sel.picks}
        brief.overtaken = {old: (olds[old], law) for old, law in overtaken.items() if old in olds and law.law_id in quoted}
        brief.pending = [f"《{law.title}》{version_text(law, self._revision(law))}，尚未生效（即将施行）；本材料只在“是什么”中"
                         "摘引该法条文供提前学习，职责、程序、红线和追责均以现行有效的规定为准" for law in sel.pending if law.law_id in quoted]
        for old_id, law in sel.older.items():
            entry = brief.law(old_id)
            if entry is not None and law.law_id in quoted and old_id not in brief.overtaken:  # 时效提示 says it
                above = "上位法、新法" if entry.level in ("地方性法规", "地方政府规章") else ""
                brief.pending.append(f"《{entry.title}》早于《{law.title}》施行，二者规定不一致的，以{above}《{law.title}》为准")
        for p in sel.picks:
            if not any(q.law_id == p.law.law_id for q in quotes):
                brief.notes.append(f"《{p.law.title}》中未找到与本议题直接相关的条款，未予摘编。")
        for entry in u.entries:
            if entry.summary:
                kept, dropped = verified_sentences(self.kb, entry.summary, quotes)
                brief.summary.extend(kept)
                if dropped:
                    log.info("制度要义中 %s 句未通过核验（所引条文未摘编），已略去", len(dropped))
        self._currency(brief)
        brief.points = key_points(brief, u)
        named_missing = getattr(selector, "named_missing", None) if sel.caution else None
        # the instrument the agenda names is missing: what the meeting must decide comes from it, not from the laws
        # quoted in its stead (round-6 review: 普法 tasks for 审议年度法治政府建设情况报告)
        brief.actions = [] if named_missing else action_items(brief)  # before the questions: they ask what to do
        if named_missing:
            brief.notes.append(f"议题点名的{''.join(f'《{t}》' for t in named_missing)}不在知识库中，本次会议需研究落实的"
                               "事项应对照其原文确定，本材料不以其他法规的条文代拟。")
        brief.questions = write_questions(brief, u, self.selector.resolve, limits.questions)
        self._fit(brief, u, limits)
        if named_missing:  # page one names only the laws the brief still quotes, not those gathered and cut
            brief.caution = named_caution(named_missing, [e.title for e in brief.laws])
        self._currency(brief)  # the laws left after the cut
        if self.llm is not None:
            self._add_intro(brief)
        return brief

    def _fit(self, brief: Brief, u, limits: Limits) -> None:
        """Keep the whole brief within its length (standard ≤ 6,000 characters): the weakest quotations that are
        no registry key go first, and page one and the questions are made again from what is left."""
        # the meeting's action items give way to two before any quotation does: they restate quoted duties
        while len(brief.to_markdown()) > limits.total and len(brief.actions) > ACTIONS_KEPT:
            brief.actions.pop()
        # page one and the answers restate the quoted articles: they give way before any article does
        short = len(brief.to_markdown()) > limits.total
        if short:
            brief.points = key_points(brief, u, lists=False)
            brief.questions = compact(brief.questions, SHORT_ANSWER)
        while len(brief.to_markdown()) > limits.total and len(brief.quotes) > 3:
            # the regulated parties' part is room on top: it gives way before any of the government's articles
            reds = sum(q.theme == "红线" for q in brief.quotes)
            # the last red lines stay: a brief always has its 红线 part (round-5 review); so does the last article
            # of a law the topic names (学习《水法》…: a brief without 水法 is none); an article about a superseded
            # system (水资源费) goes first
            weakest = min((q for q in brief.quotes if not q.core and not (q.theme == "红线" and reds <= RED_KEEP)
                           and not self._last_named(brief, q)),
                          key=lambda q: (not currency.superseded(q.text),
                                         not (q.target and q.theme in ("监管", "追责")), not _filler(q), q.score),
                          default=None)
            if weakest is None:
                return
            brief.quotes.remove(weakest)
            brief.laws = [e for e in brief.laws if any(q.law_id == e.law_id for q in brief.quotes)]
            self._currency(brief, unheld=False)
            brief.points = key_points(brief, u, lists=not short)
            brief.actions = action_items(brief)[:len(brief.actions)]  # never more than were let go
            brief.questions = write_questions(brief, u, self.selector.resolve, limits.questions)
            if short:
                brief.questions = compact(brief.questions, SHORT_ANSWER)

    @staticmethod
    def _last_named(brief: Brief, q: Quote) -> bool:
        return f"《{q.law_title}》" in brief.topic and sum(x.law_id == q.law_id for x in brief.quotes) <= 1

    def _currency(self, brief: Brief, unheld: bool = True) -> None:
        """时效提示 (reformed names in the quoted articles, old versions) and what the knowledge base lacks."""
        brief.currency = [*currency.overtaken_notes(brief.overtaken.values()),
                          *currency.age_notes(brief.laws, brief.date), *currency.term_notes(brief.quotes)]
        if not unheld:
            return
        province = next((m.group(0) for e in brief.laws for m in [_PROVINCE.match(e.title)] if m), "省")
        delegated = implementing.delegated_missing(self.kb, brief.laws)
        # a law whose delegated rule is named (第二十六条……具体实施办法) needs no general 部门规章（如有） line besides
        named = [e for e in brief.laws if not any(n.startswith(f"《{e.title}》") for n in delegated)]
        brief.unheld = [*currency.revised_notes(brief.topic, brief.laws),
                        *currency.unheld_notes(self.kb.catalog, named, province), *delegated,
                        *implementing.missing_notes(self.kb, brief.laws),
                        *implementing.cited_missing(self.kb, brief.laws, [m.title for m in brief.missing])]

    def _revision(self, law) -> str:
        """修正 when a 修改决定 of the same date is stored, 修订 when only older versions are, else 公布."""
        titles = self.kb.catalog.laws()
        if any(f"修改《{law.title}》" in x.title and x.publish_date == law.publish_date for x in titles):
            return "修正"
        if any(x.title == law.title and x.law_id != law.law_id and (x.publish_date or "") < (law.publish_date or "")
               for x in titles):
            return "修订"
        first = self._first_effective(law)
        if first and law.publish_date and first < law.publish_date[:10]:
            return "修正"  # its own 施行 article is older than the text: amended since (山东省供热条例 2014 -> 2021)
        return "公布"

    def _first_effective(self, law) -> str | None:
        """The date (ISO) the law's own 施行 article names (本条例自2014年9月1日起施行), if any."""
        articles = getattr(self.kb.catalog, "articles", None)
        if articles is None:
            return None
        for art in reversed(articles(law.law_id)[-6:]):
            if kinds.boilerplate(art) == "施行日期" or _STARTS.search(art.text):
                found = _iso_date(art.text)
                if found:
                    return found
        return None

    @staticmethod
    def _budget(picks, limits: Limits, pending: frozenset | set = frozenset(), overtaken: dict | None = None
                ) -> list[Quote]:
        """The best articles within the length: the registry's keys first, each law's best, then each theme's
        best few (怎么办, 红线 and 追责 have their places, not only 谁负责), then by score.

        overtaken: older regulations (id -> the newer law on their subject): quoted at most OVERTAKEN_MAX times, and
        only on a theme the law has no article for (round-7 review: 危险化学品安全管理条例 2013 supplied the 红线 and
        职责 of a brief on the 2026 危险化学品安全法)."""
        overtaken = overtaken or {}
        law_themes: dict[str, set[str]] = {}
        for p in picks:
            law_themes.setdefault(p.law.law_id, set()).update(c.theme for c in p.candidates)
        ranked = []
        by_theme: dict[str, list] = {}
        for p in picks:
            for c in p.candidates:
                if not c.side:
                    by_theme.setdefault(c.theme, []).append(c)
        firsts = {id(c) for cs in by_theme.values()
                  for c in sorted((c for c in cs if not _regulated(c)), key=lambda c: -c.score)[:THEME_PLACES]}
        for p in picks:
            for i, c in enumerate(p.candidates):  # a law's later articles count a little less: laws share room
                # the registry's key articles and the user's law come first; then each law's best, each theme's
                rank = 0 if c.key or (i == 0 and p.reason == "用户指定") else 4 if c.side else \
                    1 if i == 0 else 2 if id(c) in firsts else 3
                if c.law.law_id in pending:  # a law not yet in force comes after every current article
                    rank = 5
                ranked.append((rank, not c.key, -c.score * DIMINISH ** i, c))
        ranked.sort(key=lambda r: r[:3])
        out: list[Quote] = []
        used = 0
        seen: set[tuple] = set()
        purposes = 0
        per_theme: dict[str, int] = {}
        # first with each theme kept to its share (a brief of nine 谁负责 articles has no 怎么办), then to fill;
        # last, a few of the regulated parties' duties and sanctions, in room of their own: they never displace
        # what the government itself must do
        extra = max(1, limits.quotes // 5)  # standard: three duties and one sanction
        for capped in (True, False, None):
            room = limits.quotes if capped is not None else len(out) + extra
            chars = limits.chars if capped is not None else limits.chars + extra * REGULATED_CHARS
            for _first, _nokey, _s, c in ranked:
                k = (c.law.law_id, c.article.number, c.article.sub)
                if (capped is None) != _regulated(c) or len(out) >= room:
                    continue
                if k in seen or (c.side and len(out) >= min(FILL_TO, limits.quotes)):
                    continue
                new = overtaken.get(c.law.law_id)
                if new is not None and new.law_id in law_themes and (
                        c.theme in law_themes[new.law_id] or sum(q.law_id == c.law.law_id for q in out) >= OVERTAKEN_MAX):
                    continue
                slot = c.theme if capped is not None else "监管对象" + c.theme
                # the county's own duty in the law made for the topic (县级以上人民政府……目标责任制) may go past its
                # theme's share at once: the cap is for keeping weak articles of one theme from crowding the others
                own = capped and c.county >= COUNTY_CORE and c.audience > 1
                cap = REGULATED_CAP.get(c.theme, 0) if capped is None else THEME_CAP.get(c.theme, limits.quotes) + (
                    0 if capped and not own else THEME_STRETCH.get(c.theme, limits.quotes))
                if not c.key and per_theme.get(slot, 0) >= cap:
                    continue
                if c.law.law_id in pending and (capped is None or sum(
                        q.law_id == c.law.law_id for q in out) >= PENDING_MAX):
                    continue
                if kinds.is_purpose(c.text):  # one 立法目的 opens the brief; more would repeat each other
                    if purposes:
                        continue
                    purposes += 1
                if used + len(c.text) > chars and out:
                    continue
                seen.add(k)
                used += len(c.text)
                per_theme[slot] = per_theme.get(slot, 0) + 1
                # a law not yet in force is quoted only for what is coming (是什么, under the page-one notice),
                # never as the basis of who is responsible, what to do, the red lines or liability
                theme = "是什么" if c.law.law_id in pending else c.theme
                out.append(Quote.of(c.law, c.article, c.paragraph, theme, c.score, c.target, c.key))
        return out

    # ---- optional LLM 导语 --------------------------------------------------------------------------
    def _add_intro(self, brief: Brief) -> None:
        listing = "\n".join(f"{q.cite}：{q.text}" for q in brief.quotes[:20])
        prompt = (TEMPLATES / "intro.txt").read_text(encoding="utf-8").format(
            topic=brief.topic, articles=listing, max_chars=200 if brief.length == "short" else 300)
        try:
            reply = self.llm.invoke(prompt)
        except Exception as exc:  # noqa: BLE001 - the offline brief stands on its own
            log.warning("大模型导语生成失败，使用离线材料：%s", exc)
            brief.notes.append("大模型不可用，本材料为离线摘编。")
            return
        text = getattr(reply, "content", reply)
        kept, dropped = verified_sentences(self.kb, text if isinstance(text, str) else str(text), brief.quotes)
        brief.intro = kept
        brief.llm_used = True
        if dropped:
            log.info("导语中 %s 句引用未通过核验，已删去", len(dropped))
            brief.notes.append(f"大模型导语中有{len(dropped)}句引用未通过核验，已删去。")
