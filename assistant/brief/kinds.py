"""What an article (or 款) is, for a brief: boilerplate, whose duty it lays down, and which theme it speaks to.

Themes: 是什么 (definitions, principles, 制度), 谁负责 (organs' duties), 怎么办 (procedure), 红线 (prohibitions),
追责 (liability). Rules are on the text as stored; they err towards 是什么 when nothing fits."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from knowledge.models import Article

_SELF = r"本(?:法典|法|条例|规定|办法|细则|决定|规则|准则|意见)"
_EFFECTIVE = re.compile(rf"^\s*{_SELF}(?:自|于)[^。]{{0,40}}(?:起)?施行")
_INTERPRET = re.compile(rf"^\s*{_SELF}由[^。]{{0,30}}负责解释")
_DEFINITION = re.compile(rf"^\s*(?:{_SELF}(?:中)?(?:所称|下列用语)|下列用语的含义)")
_PURPOSE = re.compile(rf"^\s*为[了]?[^。]{{4,}}?(?:制定|特制定){_SELF}")
_SCOPE = re.compile(rf"^[^。]{{0,150}}适用{_SELF}。?$")
_BASIS = re.compile(rf"^\s*根据[^。]{{0,80}}(?:制定|特制定){_SELF}。?\s*$")
_REFER = re.compile(rf"^\s*(?:参照{_SELF}|{_SELF}[^。]{{0,20}}参照)|^[^。]{{0,40}}参照{_SELF}(?:的规定)?执行。?\s*$")
_ORGAN = re.compile(r"起草单位|行业主管部门|主管部门|人民政府|政府|部门|机关|机构|委员会|办公室|党委|党组|信访部门|法院|检察院|国家工作人员|公职人员|"
                    r"领导干部|工作人员|负责人|乡镇|街道办事处|决策机关|决策承办单位|复议机构|监察|被申请人|被告")
_PRIVATE = re.compile(r"生产经营单位|企业|经营者|公民|个人|从业人员|当事人|(?<!被)申请人|信访人|用人单位|法人|业主|"
                      r"消费者|承包|投资者|市场主体|行业协会|中介|举报人|原告|第三人|其他组织|"
                      r"(?:施工|使用|生产|建设|经营|运营|设计|监理|供应|排污|充装)单位|"
                      r"(?:检验|检测|代理|服务|培训|养老|医疗|金融|支付)机构|招标人|投标人|中标人|供应商|驾驶人|所有人|管理人|监护人|扶养人|父母|"
                      r"驾驶(?:机动车|非机动车|自行车|电动自行车)|在道路上驾驶")
_DUTY = re.compile(r"负责(?!人)|职责|领导(?!干部)|(?<!投资|行政|业务)主管(?!部门|机关|人员)|监督管理|统筹|牵头|组织实施|负总责|协调|督促|考核")
_PROCEDURE = re.compile(r"程序|期限|日内|之日起|之前|前，|审查|审核|公示|公开|听证|记录|备案|报告|登记|告知|送达|评估|"
                        r"论证|征求|讨论|决定|答复|办理|受理|归档")
_LIABILITY = re.compile(r"给予[^。；]{0,12}处分|追究[^。；]{0,8}责任|依法给予处分|予以处分|处分；|问责(?!的)|司法建议|严肃处理|"
                        r"处[^。；]{0,30}罚款|没收违法所得|吊销|责令[^。；]{0,6}改正|通报批评|予以警告|记过|撤职|开除|"
                        r"处[^。；]{0,12}(?:有期徒刑|拘役|管制)")
_BAN = re.compile(r"不得|禁止|严禁")
_FIRST = re.compile(r"^[^。：；]*[。：；]?")


def boilerplate(article: Article) -> str | None:
    """Why an article is no 重点条款 (施行日期, 解释权, 附则, 定义, 参照), or None."""
    text = article.text
    if article.chapter and "附则" in article.chapter:
        return "附则"
    if _EFFECTIVE.search(text):
        return "施行日期"
    if _INTERPRET.search(text):
        return "解释权"
    if _DEFINITION.search(text):
        return "定义"
    if _REFER.search(text):
        return "参照"
    if _SCOPE.search(text.strip()):
        return "适用范围"
    if _BASIS.search(text):
        return "制定依据"
    return None


@lru_cache(maxsize=1)
def _mismatch() -> tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]:
    rules = article_data().get("subject_mismatch") or ()
    return tuple((tuple(r.get("topic") or ()), tuple(r.get("unless") or ()), tuple(r.get("subjects") or ()))
                 for r in rules)


def foreign_subject(topic: str, text: str) -> bool:
    """Does the rule address a subject other than the one the topic is about (地方党委 in a brief for 县政府党组)?
    Rules are data (articles.yaml subject_mismatch); a subject naming the topic's own too (党委（党组）) is its."""
    who = subject(text)
    topic = re.sub(r"《[^》]*》", "", topic)  # （学习《党委（党组）……规定》）names a title, not the subject
    for words, unless, subjects in _mismatch():
        if not any(w in topic for w in words) or any(w in topic for w in unless):
            continue
        if any(s in who for s in subjects) and not any(w in who for w in words):
            return True
    return False


def is_purpose(text: str) -> bool:
    return bool(_PURPOSE.search(text))


_PRINCIPLE = re.compile(r"^[^。]{0,40}(?:坚持|遵循|实行)[^。]{0,60}(?:原则|方针|相结合|为主)")


def is_principle(text: str) -> bool:
    """The law's principles (……工作坚持监督管理与教育帮扶相结合): what a topic is, after its definition."""
    return bool(_PRINCIPLE.search(text.strip()))


_MODAL = re.compile(r"应当|必须|不得|可以|有权|负责|禁止|严禁|实行|依法|按照|依照")


def subject(text: str) -> str:
    """What precedes the first modal verb of the first sentence: who the rule addresses."""
    first = _FIRST.match(text.strip()).group(0)
    m = _MODAL.search(first)
    return first[: m.start()] if m else first[:30]


_SANCTION_PRIVATE = re.compile(r"罚款|没收违法所得|吊销|责令停产停业|拘留")
_SANCTION_OFFICIAL = re.compile(r"处分|国家工作人员|公职人员|约谈|问责|司法建议")


# organs above a county: the State Council, central departments, the province (省级), a national joint meeting, and
# whoever is 上级 to the county's organs (上级党组织应当加强对党委（党组）……的监督检查)
_ABOVE = re.compile(r"^\s*(?:上级(?:党组织|党委|人民政府|行政机关|机关|主管部门)|国务院|国家(?!工作人员|机关工作人员)|中央|全国|联席会议|省、自治区、直辖市|省级|省人民政府|"
                    r"省(?:、市)?(?:人民政府)?[^，。；]{0,12}(?:主管)?部门|设区的市(?:级)?人民政府)")


def above_county(text: str) -> bool:
    """Does the rule address the State Council, a central department or the province, and not a county or
    township as well (国务院建立……联席会议; 省、自治区、直辖市人民政府可以……)?"""
    return bool(_ABOVE.search(subject(text))) and not local_duty(text)


def audience(text: str) -> float:
    """Weight by whom the rule addresses: the county government and its departments first, organs above a
    county (国务院, 省级) and companies or citizens down.

    A liability article is weighed by whom it punishes: officials (处分) stay, fines on companies go down."""
    if _SANCTION_PRIVATE.search(text) and not _SANCTION_OFFICIAL.search(text):
        return 0.5
    if above_county(text):
        return ABOVE_FACTOR
    if binds_all(text):
        return UNIVERSAL_FACTOR
    who = subject(text)
    organ, private = _addressees(who)
    if local_duty(text) and not (private and not organ):
        return LOCAL_FACTOR
    if organ != private:
        return 1.25 if organ else 0.55
    return 1.0


LOCAL_FACTOR = 1.4  # the county's (县级以上地方人民政府, 乡镇) own duty
# a ban on everyone (任何单位和个人不得……) or on no one named (禁止……) binds the county's organs too: above a ban
# on 企业/业主 alone (0.55), below a ban naming the organs (1.25) (round-6 review: 山东省物业管理条例第五十三条第二款
# 任何单位和个人不得违反规定强制物业服务人代收费用 left out for three bans on 物业服务企业)
UNIVERSAL_FACTOR = 1.1
_EVERYONE = re.compile(r"任何(?:单位|组织|机关|部门|人)")
_PRIVATE_ONLY = re.compile(r"企业|经营者|业主|从业人员|当事人|消费者|投资者|市场主体")


def binds_public(text: str) -> bool:
    """Does a ban of the rule bind public bodies: everyone, no one named, or an organ (行政机关不得……)?"""
    return binds_all(text) or any(organ and not private for organ, private in map(_addressees, _ban_subjects(text)))


def ban_audience(text: str) -> float:
    """audience() of a ban by whom its banning sentences address: a ban on 企业 or 业主 alone stays low though the
    article opens with a declaration (物业管理用房的所有权依法属于业主。……物业服务企业不得……)."""
    if binds_public(text):
        return max(audience(text), UNIVERSAL_FACTOR)
    subjects = _ban_subjects(text)
    if subjects and all(private and not organ for organ, private in map(_addressees, subjects)):
        return min(audience(text), 0.55)
    return audience(text)


def _ban_subjects(text: str) -> list[str]:
    """Who each banning sentence addresses (what precedes its first modal verb, when that is 不得/禁止/严禁)."""
    out = []
    for sentence in re.findall(r"[^。；]+", text):
        m = _MODAL.search(sentence)
        if m is not None and _BAN.match(sentence, m.start()):
            out.append(re.sub(r"^除[^，]*外，|[\s，、]", "", sentence[: m.start()]))
    return out


def binds_all(text: str) -> bool:
    """Does a sentence of the rule ban everyone (任何单位和个人不得, 任何组织或者个人不得) or no one named (禁止……,
    严禁……), so that public bodies are bound by it as well as companies and citizens? The ban may follow a
    declaration (物业服务人的合法权益受法律保护。任何单位和个人不得……)."""
    return any(not who or (_EVERYONE.search(who) and not _PRIVATE_ONLY.search(who)) for who in _ban_subjects(text))


def _addressees(who: str) -> tuple[bool, bool]:
    """(an organ, a company or citizen) among those a rule addresses; a name inside the other kind's name does
    not count (金融机构 is no organ though 机构 names organs; 行业主管部门 holds no 业主)."""
    organs = [m.span() for m in _ORGAN.finditer(who)]
    privates = [m.span() for m in _PRIVATE.finditer(who)]

    def inside(span, spans) -> bool:
        return any(a <= span[0] and span[1] <= b and (a, b) != span for a, b in spans)

    return (any(not inside(o, privates) for o in organs), any(not inside(p, organs) for p in privates))


ABOVE_FACTOR = 0.7  # above 0.55 (a company's duty): what the State Council does frames the county's own


_REGULATED = re.compile(r"应当|必须|不得|禁止|严禁|罚款|没收|吊销|责令")


DEADLINE = re.compile(r"(?:[0-9０-９]+|[一二三四五六七八九十百]+)(?:个)?(?:工作日|日|天|小时|个月|年)(?:内|以内|前|之前)")
STANDARD = re.compile(r"(?:不低于|不少于|不超过|不得低于|不得超过|不高于|最长不超过)[^，。；、]{1,16}")
_DELEGATION = re.compile(r"具体办法由|由[^。]{0,20}另行制定")
_FINE = re.compile(r"处(?:[0-9]+|[一二三四五六七八九十百千]+)(?:万)?元以上([0-9]+|[一二三四五六七八九十百千]+)(万)?元以下(?:的)?罚款")
_REVOKE = re.compile(r"吊销[^。；，]{0,10}(?:许可证|执照|资质|证书)|责令停产停业")
STANDARD_WEIGHT = 2.0  # a regulated party's duty with a checkable standard or deadline (不低于18℃, 二十四小时内)
DELEGATION_WEIGHT = 2.0  # … one whose content is left to others (具体办法由……制定) says little
FINE_WEIGHT = 0.5  # a sanction weighs by its highest fine: the gravest breaches are those a county must prevent


def regulated_weight(text: str) -> float:
    """What lifts a regulated party's duty or sanction, in the law made for the topic, among its many others:
    a checkable standard or deadline, a ban, the size of its fine; a delegation weighs it down."""
    from math import log10

    from knowledge.numerals import cn_to_int

    w = STANDARD_WEIGHT * bool(DEADLINE.search(text) or STANDARD.search(text)) + BAN_WEIGHT * bool(_BAN.search(text))
    fines = [((int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))) or 0) * (10000 if m.group(2) else 1)
             for m in _FINE.finditer(text)]
    if fines and max(fines) > 0:
        w += FINE_WEIGHT * max(0.0, log10(max(fines)) - 3)  # 十万元 -> 1.0, 五十万元 -> 1.35
    if _REVOKE.search(text):
        w += FINE_WEIGHT
    if _DELEGATION.search(text) and w <= 0:
        w -= DELEGATION_WEIGHT
    return w


_CITIZEN = re.compile(r"公民|申请人|当事人|个人|用户|消费者|信访人|监护人|父母|受援人|居民|村民|驾驶人")
_ORGANISATION = re.compile(r"企业|单位|经营者|机构|公司|律师事务所|组织")


def regulated_duty(text: str) -> bool:
    """Does the rule lay down something a regulated party (an enterprise, a unit, an agency) must or must not do,
    or its sanction — not a right or an option (可以……), and not what a citizen must do to apply for something
    (申请人应当如实说明经济困难状况): the county supervises the former?"""
    who = subject(text)
    if _CITIZEN.search(who) and not _ORGANISATION.search(who):
        return False
    return bool(_REGULATED.search(text)) and not peripheral(text)


def is_liability(article: Article, text: str) -> bool:
    if article.chapter and ("法律责任" in article.chapter or "罚则" in article.chapter):
        return True
    return bool(_LIABILITY.search(_FIRST.match(text.strip()).group(0)))


def theme(article: Article, text: str) -> str:
    """是什么 / 谁负责 / 怎么办 / 红线 / 追责 for the quoted text of an article."""
    if is_purpose(text):
        return "是什么"
    if is_liability(article, text):
        return "追责"
    first = _FIRST.match(text.strip()).group(0)
    ban = _BAN.search(first)
    if ban and "应当" not in first[: ban.start()]:
        return "红线"
    who = subject(text)
    if _ORGAN.search(who) and not _PRIVATE.search(who):
        if _PROCEDURE.search(first) and not _DUTY.search(first):
            return "怎么办"
        return "谁负责"
    if ("应当" in text or "必须" in text) and _PROCEDURE.search(text):
        return "怎么办"
    if _BAN.search(text):
        return "红线"
    return "是什么"


_LOCAL_GOV = re.compile(r"县级以上地方(?:各级)?人民政府|地方各级人民政府|县级以上人民政府|县级人民政府|乡镇人民政府|"
                        r"乡、镇人民政府|乡级人民政府|(?<![国省])各级人民政府|地方人民政府|设区的市|县（市、区）|"
                        r"街道办事处|县级以上地方人民政府[^，。；]{0,12}部门")
_OFFICIALS = re.compile(r"滥用职权|玩忽职守|徇私舞弊|国家工作人员|负有[^。]{0,12}职责的部门|主管人员|直接责任人员")


def local_duty(text: str) -> bool:
    """Does the rule bind a local government (县级以上地方人民政府, 乡镇人民政府 …)?"""
    return bool(_LOCAL_GOV.search(subject(text)) or _LOCAL_GOV.search(text[:60]))


def county_core(article: Article, text: str) -> bool:
    """The articles of a law a county government must know whatever the agenda item: its own duty among the
    general provisions (or in a law without chapters), and officials' liability."""
    local = bool(_LOCAL_GOV.search(subject(text)) or _LOCAL_GOV.search(text[:60]))
    general = not article.chapter or "总则" in article.chapter
    return (local and general) or (is_liability(article, text) and bool(_OFFICIALS.search(text)))


def decisive(article: Article, text: str) -> bool:
    """What a meeting must know to decide, whatever words the agenda uses: an organ's duty with a deadline, a
    frequency or a procedure (党委（党组）每半年应当至少召开1次……专题研究), an organ's ban, or the liability of
    officials and organs (round-6 review: such articles of the governing instrument were left out for lacking
    the agenda's words)."""
    organ, private = _addressees(subject(text))
    if is_liability(article, text):
        return bool(_OFFICIALS.search(text) or _SANCTION_OFFICIAL.search(text) or (organ and not private))
    first = _FIRST.match(text.strip()).group(0)
    if _own_act_ban().search(first):  # 政策措施未经公平竞争审查……的，不得出台: the meeting's own procedure
        return True
    if not organ or private:
        return False
    duty = "应当" in text or "必须" in text
    leader = any(w in subject(text) for w in article_data().get("leader_words") or ())
    return bool(_BAN.search(first) or (duty and (operational(text) or leader)))


_ARTICLES = Path(__file__).resolve().parent / "data" / "articles.yaml"


def own_act_ban(text: str) -> bool:
    """A ban on the government's own act until a procedure is done (……未经合法性审查的，不得提交决策机关讨论)."""
    return bool(_own_act_ban().search(text))


@lru_cache(maxsize=1)
def _own_act_ban() -> re.Pattern:
    verbs = article_data().get("own_act_bans") or ()
    return re.compile(rf"(?:不得|禁止)(?:{'|'.join(map(re.escape, verbs))})") if verbs else re.compile(r"(?!x)x")


@lru_cache(maxsize=1)
def _peripheral_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = article_data()
    return tuple(data.get("peripheral_words") or ()), tuple(data.get("duty_words") or ())


@lru_cache(maxsize=1)
def article_data() -> dict:
    import yaml

    return yaml.safe_load(_ARTICLES.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=1)
def _operational() -> re.Pattern:
    words = article_data().get("operational_words") or ()
    return re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!x)x")


def operational(text: str) -> bool:
    """A rule a meeting can act on and check: a deadline, a procedure, a standard, a ban or a consequence
    (自新一届村民委员会产生之日起十日内完成工作移交), not a declaration (县级以上人民政府应当给予支持)."""
    return bool(_operational().search(text) or DEADLINE.search(text) or STANDARD.search(text))


def peripheral(text: str) -> bool:
    """表彰奖励, 倡导鼓励, 宣传 articles that lay down no duty (对……作出显著成绩的单位和个人，给予表彰和奖励):
    a county government has nothing to do under them."""
    words, duties = _peripheral_words()
    first = _FIRST.match(text)
    head = first.group(0) if first else text[:60]
    return any(w in head for w in words) and not any(d in text for d in duties)


PERIPHERAL_WEIGHT = 3.0
OPERATIONAL_WEIGHT = 2.0  # a deadline, procedure, standard, ban or consequence before a declaration of support
BAN_WEIGHT = 2.5  # a ban in the law made for the topic (幼儿园不得采用小学化的教育方式) is its red line
COUNTY_WEIGHT = 1.0  # … and the county named as the one who acts (以县级行政区划为单位, 县（市、区）人民政府)
_COUNTY = re.compile(r"县级人民政府|县（市、区）|县（市）|以县级行政区划为单位|县级以上地方人民政府|县级以上人民政府")


def titled_weight(text: str) -> float:
    """What lifts an article of a law made for the topic (its title core is the topic's) beyond its words."""
    return BAN_WEIGHT * bool(_BAN.search(text)) + COUNTY_WEIGHT * bool(_COUNTY.search(text))


def county_weight(article: Article, text: str) -> float:
    """For a law made for the topic, what a county government must know: its own duties, the general
    provisions, officials' liability (every article of such a law carries the topic's words)."""
    w = 0.0
    if _LOCAL_GOV.search(subject(text)) or _LOCAL_GOV.search(text[:60]):
        w += 3.0
    if article.chapter and "总则" in article.chapter:
        w += 1.5
    if is_liability(article, text) and _OFFICIALS.search(text):
        w += 2.0
    if peripheral(text):
        w -= PERIPHERAL_WEIGHT
    if operational(text):
        w += OPERATIONAL_WEIGHT
    return w
