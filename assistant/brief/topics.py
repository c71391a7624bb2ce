"""Topic understanding as data: the registry of agenda topics (data/topics.yaml) and the weighted terms of a topic.

An agenda item speaks policy ("三项制度", "放管服"); statutes speak their own words ("全过程记录", "法制审核").
The registry maps one to the other and names the governing instruments; words of a topic outside the registry
are weighted by how rare they are in the knowledge base, generic words (负责人, 执法, 管理) barely count."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from knowledge.errors import XuefaError
from knowledge.lexical import _jieba

DATA = Path(__file__).resolve().parent / "data" / "topics.yaml"
GENERIC_WEIGHT = 0.3
RARE = 12  # a topic word used this seldom may be the colloquial form of the statutes' wording
MAX_WEIGHT = 4.0
_CJK = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Instrument:
    """A governing instrument of a topic: its title and (where known) the key articles (number, 款 or None)."""

    title: str
    level: str | None = None
    articles: tuple[tuple[int, int | None], ...] = ()


@dataclass(frozen=True)
class TopicEntry:
    name: str
    match: tuple[str, ...]
    terms: dict[str, float]
    instruments: tuple[Instrument, ...] = ()
    summary: str = ""
    questions: tuple[tuple[str, str, int], ...] = ()  # (question, law title, article)
    # the subject's core instruments a 司法局 brings in when the entry's own instruments, or the one the agenda
    # names, are missing (法治政府建设: 地方组织法, 重大行政决策程序暂行条例), before laws matched by words only
    fallback: tuple[Instrument, ...] = ()


@dataclass(frozen=True)
class Registry:
    topics: tuple[TopicEntry, ...]
    generic: frozenset[str]
    regions: tuple[str, ...]
    powers: tuple[str, ...]
    domains: tuple[str, ...] = ()
    agenda: tuple[str, ...] = ()  # agenda boilerplate (专项整治, 全链条): no part of what a topic is about
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 涉企 -> 企业: policy short forms
    # general laws for a part of a topic that no law is made for (安全隐患 -> 安全生产法 第三条、第九条)
    frameworks: tuple[TopicEntry, ...] = ()

    def match(self, topic: str) -> list[TopicEntry]:
        """Entries whose match words occur in the topic, the longest match first."""
        found = [(max(len(m) for m in e.match if m in topic), e) for e in self.topics
                 if any(m in topic for m in e.match)]
        return [e for _, e in sorted(found, key=lambda x: -x[0])]

    def frameworks_for(self, topic: str) -> list[TopicEntry]:
        """General laws for the parts of a topic (安全隐患, 消防) that no registered topic covers."""
        return [e for e in self.frameworks if any(m in topic for m in e.match)]


def _fail(path: Path, where: str, problem: str) -> XuefaError:
    return XuefaError(f"议题登记表 {path.name} 的 {where} {problem}")


def _article_ref(path: Path, where: str, value) -> tuple[int, int | None]:
    text = str(value)
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?", text)
    if not m or int(m.group(1)) < 1 or (m.group(2) and int(m.group(2)) < 1):
        raise _fail(path, where, f"条号“{text}”无法识别，应写作 27 或 27.3（第二十七条第三款）")
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


TOP_KEYS = {"generic_terms", "regions", "domains", "powers", "agenda_words", "expansions", "topics", "frameworks"}
TOPIC_KEYS = {"name", "match", "terms", "instruments", "summary", "questions", "fallback"}
INSTRUMENT_KEYS = {"title", "level", "articles"}
LEVELS = {"宪法", "法律", "行政法规", "监察法规", "司法解释", "部门规章", "地方性法规", "地方政府规章", "党内法规",
          "规范性文件"}


def _check_keys(path: Path, where: str, raw: dict, allowed: set[str]) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _fail(path, where, f"有无法识别的字段 {'、'.join(map(str, unknown))}（可用字段：{'、'.join(sorted(allowed))}）")


def _instrument(path: Path, where: str, j: int, ins) -> Instrument:
    if not isinstance(ins, dict) or not ins.get("title"):
        raise _fail(path, f"{where}的第{j}个依据", "缺少 title")
    _check_keys(path, f"{where}《{ins['title']}》", ins, INSTRUMENT_KEYS)
    title = str(ins["title"])
    if "《" in title or "》" in title:
        raise _fail(path, f"{where}的第{j}个依据", f"title “{title}”不要带书名号")
    level = ins.get("level")
    if level is not None and level not in LEVELS:
        raise _fail(path, f"{where}《{title}》", f"的 level “{level}”不是效力级别（{'、'.join(sorted(LEVELS))}）")
    articles = ins.get("articles") or []
    if not isinstance(articles, list):
        raise _fail(path, f"{where}《{title}》", "的 articles 应为条号列表，例如 [27, \"27.3\"]")
    refs = tuple(_article_ref(path, f"{where}《{title}》", a) for a in articles)
    if len(set(refs)) != len(refs):
        raise _fail(path, f"{where}《{title}》", "的 articles 有重复的条号")
    return Instrument(title, level, refs)


def load_registry(path: Path | str = DATA) -> Registry:
    """Read and check the registry; a clear Chinese error names the field that is wrong."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise XuefaError(f"无法读取议题登记表 {path}：{exc}") from exc
    if not isinstance(data, dict):
        raise XuefaError(f"议题登记表 {path.name} 应为一个映射（generic_terms、regions、topics 等）")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise XuefaError(f"议题登记表 {path.name} 有无法识别的字段 {'、'.join(map(str, unknown))}"
                         f"（可用字段：{'、'.join(sorted(TOP_KEYS))}）")
    topics = _entries(path, data.get("topics") or [], "议题", unique_match=True)
    frameworks = _entries(path, data.get("frameworks") or [], "通用依据", unique_match=False)
    return Registry(tuple(topics), frozenset(data.get("generic_terms") or ()), tuple(data.get("regions") or ()),
                    tuple(data.get("powers") or ()), tuple(data.get("domains") or ()),
                    _words(path, data, "agenda_words"), _expansions(path, data), frameworks)


def _entries(path: Path, items, kind: str, unique_match: bool) -> tuple[TopicEntry, ...]:
    topics: list[TopicEntry] = []
    owner: dict[str, str] = {}  # match word -> topic: one word, one topic
    if not isinstance(items, list):
        raise XuefaError(f"议题登记表 {path.name} 的{kind}应为列表")
    for i, raw in enumerate(items, start=1):
        where = f"第{i}个{kind}"
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("match"):
            raise _fail(path, where, "缺少 name 或 match")
        where = f"{kind}“{raw['name']}”"
        _check_keys(path, where, raw, TOPIC_KEYS)
        if any(t.name == raw["name"] for t in topics):
            raise _fail(path, where, "重复出现（议题名称应唯一）")
        if not isinstance(raw["match"], list) or not all(isinstance(m, str) and m.strip() for m in raw["match"]):
            raise _fail(path, where, "的 match 应为非空的用语列表")
        for m in raw["match"]:
            if unique_match and m in owner:
                raise _fail(path, where, f"的 match 用语“{m}”已用于议题“{owner[m]}”")
            owner[m] = raw["name"]
        terms = raw.get("terms") or {}
        if not isinstance(terms, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                  and 0 < v <= 10 for v in terms.values()):
            raise _fail(path, where, "的 terms 应为“用语: 权重”，权重为 0 到 10 之间的数")
        instruments = [_instrument(path, where, j, ins) for j, ins in enumerate(raw.get("instruments") or [], 1)]
        fallback = [_instrument(path, f"{where}的 fallback", j, ins)
                    for j, ins in enumerate(raw.get("fallback") or [], 1)]
        questions = []
        for q in raw.get("questions") or []:
            cite = q.get("cite") if isinstance(q, dict) else None
            if not q.get("q") or not isinstance(cite, list) or len(cite) != 2:
                raise _fail(path, f"{where}的思考题", "应写作 {q: 问题, cite: [法规名称, 条号]}")
            questions.append((q["q"], str(cite[0]), _article_ref(path, where, cite[1])[0]))
        topics.append(TopicEntry(raw["name"], tuple(raw["match"]), {str(k): float(v) for k, v in terms.items()},
                                 tuple(instruments), " ".join(str(raw.get("summary") or "").split()),
                                 tuple(questions), tuple(fallback)))
    return tuple(topics)


def _words(path: Path, data: dict, key: str) -> tuple[str, ...]:
    raw = data.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise XuefaError(f"议题登记表 {path.name} 的 {key} 应为非空用语的列表")
    return tuple(sorted(dict.fromkeys(w.strip() for w in raw), key=len, reverse=True))


def _expansions(path: Path, data: dict) -> dict[str, tuple[str, ...]]:
    raw = data.get("expansions") or {}
    if not isinstance(raw, dict):
        raise XuefaError(f"议题登记表 {path.name} 的 expansions 应为“简称: [法条用语, …]”的映射")
    out = {}
    for short, full in raw.items():
        full = [full] if isinstance(full, str) else full
        if not isinstance(full, list) or not full or not all(isinstance(f, str) and f.strip() for f in full):
            raise XuefaError(f"议题登记表 {path.name} 的 expansions “{short}” 应给出法条用语（字符串或列表）")
        out[str(short)] = tuple(f.strip() for f in full)
    return out


@lru_cache(maxsize=4)
def default_registry() -> Registry:
    return load_registry(DATA)


# ---- a topic's weighted terms --------------------------------------------------------------------------
# agenda boilerplate always removed, whatever the registry adds (it is how agenda items are worded)
_STUDY = re.compile(r"^(?:学习贯彻|学习宣传|学习|贯彻)(?:修订后的|新修订的)?")
_NAMED = re.compile(r"《([^》]{2,60})》")
_TITLE_TAIL = re.compile(r"(?:实施条例|实施细则|实施办法|暂行条例|条例|法|规定|办法)$")


def _title_subject(title: str) -> str:
    """中华人民共和国政府信息公开条例 -> 政府信息公开; 山东省养老服务条例 -> 养老服务."""
    t = re.sub(r"^(?:中华人民共和国|[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,3}市)", "", title)
    return _TITLE_TAIL.sub("", t)


_AGENDA_CORE = ("工作", "推进", "加强", "开展", "落实", "我县", "我市", "我省", "本县", "本市", "全县", "全市")


@dataclass
class Understanding:
    """What a topic is about, as weighted statutory terms."""

    topic: str
    entries: list[TopicEntry]
    weights: dict[str, float]  # term -> weight (registry terms and the topic's own words)
    words: dict[str, float] = field(default_factory=dict)  # the topic's own words -> weight
    absent: list[str] = field(default_factory=list)  # topic words the knowledge base never uses
    phrases: dict[str, float] = field(default_factory=dict)  # adjacent topic words the statutes also use (人居环境)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 涉企 -> (企业,): statutes' words for it
    frameworks: list[TopicEntry] = field(default_factory=list)  # general laws for parts of an unregistered topic

    def has(self, word: str, text: str) -> bool:
        """Does `text` carry the topic word or a statutory word for it (涉企: 企业)?"""
        return word in text or any(a in text for a in self.aliases.get(word, ()))

    def coverage(self, text: str) -> float:
        """Share of the topic's own word weight that `text` carries (absent words count against it)."""
        total = sum(self.words.values())
        if not total:
            return 0.0
        return sum(w for t, w in self.words.items() if self.has(t, text)) / total


def topic_words(topic: str, agenda: tuple[str, ...] = ()) -> list[str]:
    """Content words of the topic as jieba cuts them, without agenda boilerplate (专项整治, 全链条 …)."""
    jieba = _jieba()
    out: list[str] = []
    # "学习《中华人民共和国水法》《……条例》，强化……": the study verb and the titles' 中华人民共和国/条例 say nothing
    # of the subject (学习 weighed as a rare topic word); a named law's subject (政府信息公开) stays a topic word
    topic = _STUDY.sub("", topic.strip())
    topic = _NAMED.sub(lambda m: " " + _title_subject(m.group(1)) + " ", topic)
    for word in (*agenda, *_AGENDA_CORE):
        topic = topic.replace(word, " ")
    for run in _CJK.findall(topic):
        for w in jieba.lcut(run):
            if len(w) >= 2 and w not in out:
                out.append(w)
    return out


def _parts(word: str) -> list[str]:
    """The shorter words inside a compound (安全监管 -> 安全, 监管)."""
    return [w for w in _jieba().lcut_for_search(word) if len(w) >= 2 and w != word]


def understand(topic: str, registry: Registry, count, total: int, variants=None) -> Understanding:
    """Weighted terms for a topic. count(term) -> occurrences in the knowledge base; total: articles in it;
    variants(word) -> the statutes' wordings of a word they never use as such (抛物 -> 抛掷物), or []."""
    entries = registry.match(topic)
    weights: dict[str, float] = {}
    for e in entries:
        for t, w in e.terms.items():
            weights[t] = max(weights.get(t, 0.0), w)
    words: dict[str, float] = {}
    absent: list[str] = []
    raw = topic_words(topic, registry.agenda)
    aliases: dict[str, tuple[str, ...]] = {}
    for short, full in registry.expansions.items():
        if short in topic:
            hit = next((w for w in raw if short in w), None)
            if hit is not None:
                aliases[hit] = tuple(dict.fromkeys((*aliases.get(hit, ()), *full)))
    queue = list(raw)
    while queue:
        w = queue.pop(0)
        if w in words:
            continue
        if w in registry.generic:
            words[w] = GENERIC_WEIGHT
            continue
        n = count(w)
        if n == 0:
            # a compound the statutes never use (安全监管): its parts speak for it when they are words
            parts = [p for p in _parts(w) if count(p)]
            if parts:
                queue.extend(parts)
                continue
            forms = list(variants(w)) if variants else []
            if forms:  # a colloquial word the statutes spell out (坠物: 坠落的物品)
                aliases[w] = tuple(dict.fromkeys((*aliases.get(w, ()), *forms)))
                words[w] = _rarity(sum(count(f) for f in forms), total)
                for f in forms:
                    weights[f] = max(weights.get(f, 0.0), words[w])
                continue
            absent.append(w)
            words[w] = MAX_WEIGHT
            continue
        words[w] = _rarity(n, total)
        if variants and n <= RARE:  # a word the statutes hardly use: their usual wording counts as it (抛物)
            forms = [f for f in variants(w) if count(f) > n]
            if forms:
                aliases[w] = tuple(dict.fromkeys((*aliases.get(w, ()), *forms)))
                for f in forms:
                    weights[f] = max(weights.get(f, 0.0), words[w])
    for t, w in words.items():
        if t not in absent:
            weights[t] = max(weights.get(t, 0.0), w)
    _reorder_forms(words, absent, aliases, weights, count)
    _sibling_terms(topic, words, weights, " ".join(
        [*(ins.title for e in entries for ins in e.instruments), *_NAMED.findall(topic)]))
    # two adjacent topic words the statutes use together (人居+环境) weigh more as one phrase than apart, and
    # a chance join across a word boundary (被告人居住地 holds 人居) then counts little; a generic word joins a
    # phrase when the phrase itself is rare (行政+检查)
    phrases: dict[str, float] = {}
    for a, b in zip(raw, raw[1:]):
        if a + b not in topic or a not in words or b not in words or a in absent or b in absent:
            continue
        if words[a] > GENERIC_WEIGHT and words[b] > GENERIC_WEIGHT:
            if count(a + b):
                phrases[a + b] = round(words[a] + words[b] + 1.0, 3)
        elif max(words[a], words[b]) > GENERIC_WEIGHT:
            n = count(a + b)
            rare = _rarity(n, total)
            if n and rare > max(words[a], words[b]) + 1.0:
                phrases[a + b] = rare
        if a + b in phrases:
            weights[a + b] = max(weights.get(a + b, 0.0), phrases[a + b])
    for word, alts in aliases.items():  # a statutory word for a short form counts as much as it is rare
        for alt in alts:
            if alt not in weights:
                weights[alt] = _rarity(count(alt), total)
    frameworks = [] if entries else registry.frameworks_for(topic)
    return Understanding(topic, entries, weights, words, absent, phrases, aliases, frameworks)


def _reorder_forms(words, absent, aliases, weights, count) -> None:
    """A topic word of two parts that the statutes also write the other way round (依申请公开 -> 公开申请, as in
    政府信息公开申请): that wording carries the word (round-5 review: 第三十三条 答复期限 was missed)."""
    for w, weight in list(words.items()):
        if w in absent or weight <= GENERIC_WEIGHT or len(w) < 4:
            continue
        parts = [p for p in _parts(w) if len(p) >= 2]
        if len(parts) != 2:
            continue
        for form in (parts[1] + parts[0],):
            if form != w and form not in w and count(form):
                aliases[w] = tuple(dict.fromkeys((*aliases.get(w, ()), form)))
                weights[form] = max(weights.get(form, 0.0), weight)


SIBLING_SUFFIX = 2


def _sibling_terms(topic: str, words, weights, titles: str = "") -> None:
    """A registry term for the neighbouring sub-topic of one the topic names (主动公开 beside 依申请公开: same
    head word 公开, another qualifier the topic does not use) weighs no more than a generic word: the brief is on
    the sub-topic the meeting named (round-5 review: an 依申请公开 brief quoted mostly 主动公开 articles)."""
    # a word whose qualifier is the instruments' own subject (政府信息 of 政府信息公开) is the whole topic, no sub-topic
    own = [w for w, x in words.items() if x > GENERIC_WEIGHT and len(w) >= 3 and not _qualified_by(w, titles)]
    for t in list(weights):
        if t in topic or len(t) < 3:
            continue
        for w in own:
            n = 0
            while n < min(len(t), len(w)) and t[-1 - n] == w[-1 - n]:
                n += 1
            head_t, head_w = t[:-n] if n else t, w[:-n] if n else w
            if n >= SIBLING_SUFFIX and head_t and head_w and head_t not in topic and not any(
                    c in topic for c in _parts(head_t) if len(c) >= 2) and head_t not in w:
                weights[t] = min(weights[t], GENERIC_WEIGHT)
                break


def _qualified_by(word: str, titles: str) -> bool:
    """Is the word the instruments' own subject (政府信息公开 in 政府信息公开条例), not a part of it?"""
    return bool(titles) and word in titles


def _rarity(n: int, total: int) -> float:
    """A word's weight from how many times the knowledge base uses it: rare words carry a topic."""
    rarity = math.log((total + 1) / (n + 1)) / math.log(total + 1) if total else 1.0
    return round(min(MAX_WEIGHT, max(0.5, MAX_WEIGHT * rarity * 1.3)), 3)


def term_score(text: str, weights: dict[str, float]) -> float:
    """Sum of the weights of terms in `text`; a term inside a longer matched term is not counted again."""
    score = 0.0
    matched: list[str] = []
    for t in sorted(weights, key=len, reverse=True):
        if t in text:
            text = text.replace(t, "|")
            if not any(t in m for m in matched):  # 气象 elsewhere in an article quoting 气象灾害 adds nothing
                score += weights[t]
            matched.append(t)
    return score
