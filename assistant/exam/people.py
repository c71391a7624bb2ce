"""Who a scenario is about: a person of the right kind for the rule, and the behaviour without its own subject.

"某镇党委委员张某党员领导干部不重视家风建设…" reads as garbled and, for a rule that binds only 党员领导干部, casts the
wrong person. A behaviour opening with its subject (data/scenarios.json `subjects`) loses it and takes a person of
that subject's list; a behaviour naming a subject that is not listed makes no scenario."""

from __future__ import annotations

import random
import re
from functools import lru_cache

# subjects no listed person can stand for (an organ, a unit, "国家工作人员" of another law)
_OTHER_SUBJECT = re.compile(r"^(?:[\u4e00-\u9fff]{0,4}(?:党组织|党组|机关|单位|企业)|国家工作人员|工作人员|公务员)")


def cast(spec: dict, behaviour: str, rng: random.Random) -> tuple[str, str] | None:
    """(person, behaviour without its subject), or None when no listed person fits the rule's subject."""
    subjects = spec.get("subjects", {})
    pool = "people"
    own = next((s for s in sorted(subjects, key=len, reverse=True) if behaviour.startswith(s)), None)
    if own is not None:
        pool = subjects[own]
        behaviour = behaviour[len(own):].lstrip("，")
        if len(behaviour) < 4:
            return None
    elif _OTHER_SUBJECT.match(behaviour):
        return None
    people = spec.get(pool) or []
    if not people:
        return None
    return rng.choice(people), one_behaviour(behaviour)


def name_of(person: str) -> str:
    """The short name a stem asks about: 王某 of "某县财政局科长王某", 张某 of "原任某镇党委书记张某退休后"
    (not its last two characters, which gave "对休后可以给予…")."""
    names = re.findall(r"[\u4e00-\u9fff]某(?![县镇市区乡村局省])", person)
    return names[-1] if names else person[-2:]


@lru_cache(maxsize=1)
def _bare_verbs() -> tuple[str, ...]:
    from .lexicon import _read

    return tuple(_read("scenarios.json").get("bare_verbs", ()))


def one_behaviour(behaviour: str) -> str:
    """A case states one act: the article's first alternative ("搞权色交易或者给予财物搞钱色交易" -> 搞权色交易;
    "…各种消费卡，或者违反有关规定出入私人会所" -> the first clause). A bare verb before 或者 ("从事或者参与营利性活动")
    shares the object after it: the second alternative is taken whole."""
    first = behaviour.split("，或者")[0]
    parts = first.split("或者")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2 and len(parts[0]) >= 4:
        second = parts[1]
        verb = parts[0][-2:]
        if verb in _bare_verbs():  # "违反规定从事或者参与营利性活动": the object is the second's (9501 A3/B8)
            at = second.find(verb)
            obj = second[at + 2:] if at >= 0 else second[2:]
            if len(obj) >= 2:
                return parts[0] + obj
        if "，" in second:  # "利用原职权或者职务上的影响，为配偶…谋取利益": the purpose after the pair is kept
            return parts[0] + second[second.index("，"):]
        return parts[0]
    if len(parts[0]) >= 4:
        return parts[0]
    return parts[1] if len(parts[1]) >= 4 else first
