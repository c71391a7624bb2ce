"""Round-7 县司法局 review: a brief on a new law built from the older, lower-level regulation on its subject that the
law has overtaken (危险化学品安全管理条例 2013 beside the 2026 危险化学品安全法; 社会救助暂行办法 beside 社会救助法),
both still 现行有效 in the knowledge base. The old one gives no 红线, 追责 or 落实事项 the law has, is quoted at most
twice and only where the law is silent, and a 时效提示 says the law governs."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.brief import currency
from assistant.brief.actions import action_items
from assistant.brief.model import Brief, Quote
from assistant.brief.score import Candidate
from assistant.brief.select import LawPick, overtaken_pairs, superseded_pairs
from assistant.brief.writer import LIMITS, OVERTAKEN_MAX, BriefWriter
from knowledge.models import Article, Law

LAW = Law("n", "中华人民共和国社会救助法", level="法律", effective_date="2026-07-01")
OLD = Law("o", "社会救助暂行办法", level="行政法规", effective_date="2019-03-02")
CHEM = Law("c", "中华人民共和国危险化学品安全法", level="法律", effective_date="2026-05-01")
CHEM_OLD = Law("r", "危险化学品安全管理条例", level="行政法规", effective_date="2013-12-07")
IMPL = Law("i", "中华人民共和国社会救助法实施条例", level="行政法规", effective_date="2027-01-01")


def test_an_older_regulation_on_the_new_laws_subject_is_overtaken_but_not_its_implementing_rules():
    picks = [LawPick(x, "主管依据", 1.0) for x in (LAW, OLD, CHEM, CHEM_OLD, IMPL)]
    assert overtaken_pairs(picks) == {"o": LAW, "r": CHEM}  # 暂行办法, 管理条例 stems match; 实施条例 is the law's own
    assert {"o", "r"} <= set(superseded_pairs(picks))
    newer = Law("o2", "社会救助暂行办法", level="行政法规", effective_date="2027-03-01")
    assert overtaken_pairs([LawPick(LAW, "主管依据", 1.0), LawPick(newer, "主管依据", 1.0)]) == {}


def _cand(law, n, theme, score):
    art = Article(law.law_id, n, n, f"{law.title}第{n}条，县级以上地方人民政府应当做好社会救助工作。")
    return Candidate(law, art, None, art.text, score, 1.0, key=True, theme=theme)


def test_the_overtaken_regulation_supplies_no_theme_the_law_has_and_at_most_two_quotes():
    law = [_cand(LAW, i, t, 1.0) for i, t in enumerate(("谁负责", "红线", "追责", "谁负责"), 1)]
    # the old regulation scores higher on every theme (round-7 review: 12 of 21 quotes, its 追责 and 落实事项)
    old = [_cand(OLD, i, t, 5.0) for i, t in enumerate(("谁负责", "红线", "追责", "怎么办", "是什么", "怎么办"), 1)]
    picks = [LawPick(LAW, "主管依据", 1.0, law), LawPick(OLD, "主管依据", 1.0, old)]
    quotes = BriefWriter._budget(picks, LIMITS["standard"], set(), {"o": LAW})
    olds = [q for q in quotes if q.law_id == "o"]
    assert len(olds) <= OVERTAKEN_MAX and olds
    assert {q.theme for q in olds} <= {"怎么办", "是什么"}  # only where the law has nothing
    assert sum(q.law_id == "n" for q in quotes) == 4
    # without the rule the old regulation fills every theme
    assert len([q for q in BriefWriter._budget(picks, LIMITS["standard"], set()) if q.law_id == "o"]) == 6


def test_the_meeting_decides_on_the_laws_duties_not_the_overtaken_ones():
    duty = "县级以上地方人民政府民政部门应当建立社会救助信息共享机制。"
    brief = Brief("做好社会救助法施行工作", "standard")
    brief.quotes = [Quote.of(LAW, Article("n", 9, 9, "县级以上地方人民政府应当将社会救助纳入国民经济和社会发展规划。"),
                             theme="谁负责"),
                    Quote.of(OLD, Article("o", 6, 6, duty), theme="谁负责")]
    assert any("社会救助信息共享" in a for a in action_items(brief))  # before: the old one's duty is a task
    brief.overtaken = {"o": (OLD, LAW)}
    acts = action_items(brief)
    assert acts and not any("社会救助信息共享" in a for a in acts)


def test_a_currency_notice_says_the_new_law_governs():
    assert currency.overtaken_notes([(CHEM_OLD, CHEM)]) == [
        "《危险化学品安全管理条例》（2013年）早于《中华人民共和国危险化学品安全法》（2026年5月1日施行），二者不一致的，"
        "以《中华人民共和国危险化学品安全法》为准；《危险化学品安全管理条例》是否修改或废止，请核对"]
