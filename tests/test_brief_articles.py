"""Round-6 县司法局 reviews: briefs quoted declarations (县级以上地方人民政府应当……给予支持) and missed the rules a
meeting acts on (村民委员会组织法第二十四条: 自新一届村民委员会产生之日起十日内完成工作移交)."""

from __future__ import annotations

from assistant.brief import kinds
from knowledge.models import Article

CHAPTER = "第三章 村民委员会的选举"
HANDOVER = ("村民委员会应当自新一届村民委员会产生之日起十日内完成工作移交。工作移交由村民选举委员会主持，"
            "由乡、民族乡、镇的人民政府监督。")
SUPPORT = "县级以上地方人民政府应当对村级综合服务设施建设给予支持。"


def test_deadlines_and_standards_are_operational():
    assert kinds.operational(HANDOVER)
    assert kinds.operational("政府信息公开申请人应当在15个工作日内答复。")
    assert kinds.operational("公办幼儿园在园儿童比例不低于百分之五十。")
    assert not kinds.operational(SUPPORT)
    assert not kinds.operational("各级人民政府应当采取措施，扩大普惠性学前教育资源供给，提高学前教育质量。")


def test_a_deadline_weighs_more_for_the_county_than_a_declaration_of_support():
    # in the law made for the topic, a duty with a deadline is what the meeting must see done; a county's
    # declared support is not, though it names the county
    handover = Article("v", 24, 24, HANDOVER, chapter=CHAPTER)
    support = Article("v", 44, 44, SUPPORT, chapter=CHAPTER)
    lead = kinds.county_weight(handover, HANDOVER) - kinds.county_weight(support, SUPPORT)
    local = kinds.county_weight(Article("v", 45, 45, "县级人民政府应当自收到申请之日起十日内作出决定。", chapter=CHAPTER),
                                "县级人民政府应当自收到申请之日起十日内作出决定。")
    assert local > kinds.county_weight(support, SUPPORT)
    assert lead > -3.0  # the local subject alone (3.0) no longer decides it
