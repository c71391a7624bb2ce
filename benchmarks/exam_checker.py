"""An independent checker for generated exam items (item JSON + the catalog), written apart from the generators:
it never calls `assistant.exam.validate` or the generators' own filters, so a rule the generator forgets shows up
here. Each rule returns a reason when an item breaks it. Used by benchmarks/exam.py."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "assistant" / "exam" / "data"
LETTERS = "ABCDEFGH"
CONNECTIVES = ("但是", "但", "前款", "依照前款", "前两款", "该", "其", "上述", "并且", "同时")
SANCTION_WORDS = ("警告", "记过", "记大过", "降级", "撤职", "开除", "严重警告", "留党察看", "开除党籍")


def n(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"\s+", "", s).replace("“", '"').replace("”", '"').rstrip("。.；;，,")


def body(stem: str) -> str:
    s = re.sub(r"^根据《[^》]+》(?:的规定)?，", "", stem).strip()
    return s[: -len("（　　）")] if s.endswith("。（　　）") else s  # a 判断 stem: the statement itself


def diff_span(source: str, statement: str) -> tuple[str, str]:
    """(old, new): the one span where a statement differs from its source sentence."""
    p = 0
    while p < min(len(source), len(statement)) and source[p] == statement[p]:
        p += 1
    q = 0
    while q < min(len(source), len(statement)) - p and source[-1 - q] == statement[-1 - q]:
        q += 1
    return source[p:len(source) - q], statement[p:len(statement) - q]


class Checker:
    RULES = ("cited_article_exists", "key_restores_article", "false_statement_stored_verbatim",
             "false_statement_true_elsewhere", "organ_option_from_another_class", "options_contain_each_other",
             "dependent_sentence_without_antecedent", "measure_word_outside_its_law",
             "sibling_item_with_same_consequence", "key_given_away_in_stem", "options_not_distinct",
             # round 3 (setter review of round 2)
             "self_contradictory_flip", "series_element_swapped", "distractor_from_another_list",
             "incomplete_stem", "explanation_without_reason", "article_twice_in_paper",
             # round 4 (setter review of round 3)
             "explanation_repeats_itself", "explanation_denies_a_listed_sanction", "explanation_not_by_letter",
             "scenario_stem_garbled", "scenario_person_outside_rule", "sanction_swap_out_of_order",
             "measure_of_another_kind", "key_cued_by_stem", "low_value_point", "true_statement_without_point",
             "later_paragraph_without_context", "distractor_list_of_another_topic", "multi_blank_key_wrong",
             # round 5 (setter review of the batch of seed 7101)
             "swap_true_in_sibling_article", "one_character_swap", "swap_contradicts_sentence",
             "scenario_alternatives", "grade_given_away", "condition_called_law",
             # round 6 (setter review of the batch of seed 9501)
             "same_key_same_options_in_paper", "option_set_twice_in_paper", "blank_frame_twice_in_paper",
             "template_twice_in_paper", "modal_swap_over_share", "range_distractor_without_range")
    PAPER_RULES = ("article_twice_in_paper", "same_key_same_options_in_paper", "option_set_twice_in_paper",
                   "blank_frame_twice_in_paper", "template_twice_in_paper", "modal_swap_over_share")

    def __init__(self, kb):
        self.kb = kb
        self._law_texts: dict[str, list[str]] = {}
        cat = kb.catalog
        self.laws = {law.title: law for law in cat.laws(statuses=("现行有效", "已被修改", "尚未生效"))}
        self.sentences: list[str] = []
        self.enum_leads: dict[str, list[tuple[str, list[str]]]] = {}  # law -> [(lead, items)]
        for law in self.laws.values():
            for a in cat.articles(law.law_id):
                self.sentences += [n(x) for x in re.split(r"[。\n]", a.text) if len(x.strip()) >= 4]
                lines = [x.strip() for x in a.text.split("\n") if x.strip()]
                for i, line in enumerate(lines):
                    if line.endswith("："):
                        items = []
                        for x in lines[i + 1:]:
                            if not re.match(r"^[（(][一二三四五六七八九十]+[）)]", x):
                                break
                            items.append(n(re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", x)))
                        self.enum_leads.setdefault(law.title, []).append((line, items))
        self.everything = "\x00".join(self.sentences)
        organs = json.loads((DATA / "organs.json").read_text(encoding="utf-8"))["classes"]
        self.organ_class = {name: k for k, spec in organs.items() for name in spec["members"]}
        terms = json.loads((DATA / "terms.json").read_text(encoding="utf-8"))
        self.jiancha = set(next(t for t in terms["measure"] if t["name"] == "监察措施")["terms"])
        own = json.loads((Path(__file__).parent / "data" / "exam_checker.json").read_text(encoding="utf-8"))
        self.data = own
        self.wrongful, self.bound_verbs = tuple(own["wrongful"]), tuple(own["bound_verbs"])
        self.duty_words, self.fragments = tuple(own["duty_words"]), tuple(own["fragment_stems"])
        self.list_nouns = {noun: k for k, nouns in own["list_nouns"].items() for noun in nouns}
        self.polarity = own["polarity"]
        self.sanction_words = {w for t in terms["sanction"] for w in t["terms"]}
        self.scales = [tuple(x) for x in own["scales"]]
        self.measure_kinds = {k: set(v) for k, v in own["measure_kinds"].items()}
        self.cues = {k: tuple(v) for k, v in own["cues"].items()}
        self.low_value = [re.compile(x) for x in own["low_value"]]
        self.list_topics = tuple(own["list_topics"])
        self.own_subjects = tuple(own["own_subjects"])
        self.leader_titles = tuple(own["leader_titles"])
        self.slogans = tuple(own["slogans"])

    # ---- helpers -------------------------------------------------------------------------------
    def texts(self, item: dict) -> list[str]:
        out = []
        for c in item["citations"]:
            law = self.laws.get(c["law"])
            art = self.kb.catalog.article(law.law_id, c["article"], c.get("sub") or 0) if law else None
            if art is not None:
                out.append(n(art.text))
        return out

    def source_of(self, statement: str, texts: list[str]) -> str:
        best, score = "", -1
        for t in texts:
            for para in t.split("\n"):
                sents = [s for s in re.split("。", para) if s]
                for i in range(len(sents)):
                    for j in range(i + 1, min(i + 3, len(sents)) + 1):
                        s = "。".join(sents[i:j])
                        old, new = diff_span(s, statement)
                        sc = len(s) - len(old)
                        if sc > score:
                            best, score = s, sc
        return best

    def true_elsewhere(self, statement: str, new: str, exclude: str = "") -> str | None:
        """A stored sentence repeating the statement nearly word for word with the changed-in words."""
        if len(new) < 1:
            return None
        rest = statement.replace(new, "", 1)
        for s in self.sentences:
            if new in s and s not in exclude:
                other = s.replace(new, "", 1)
                m = sum(b.size for b in SequenceMatcher(None, rest, other, autojunk=False).get_matching_blocks())
                if m >= 0.7 * len(rest):
                    return s
        return None

    def statements(self, item: dict) -> list[tuple[str, bool]]:
        """(statement, is true) for 判断 and the statement forms."""
        form, opts, ans = item.get("form"), item["options"], item["answer"]
        if item["type"] == "判断":
            return [(n(body(item["stem"])), ans == "A")]
        if form == "statements":
            return [(n(o), LETTERS[i] in ans) for i, o in enumerate(opts)]
        if form == "negative":
            return [(n(o), LETTERS[i] != ans) for i, o in enumerate(opts)]
        if form == "combination":
            key = opts[LETTERS.index(ans)]
            return [(n(t.rstrip("；。")), m in key) for m, t in re.findall(r"([①②③④⑤⑥])([^\n]+)", item["stem"])]
        return []

    def list_kind(self, lead: str) -> tuple[str | None, frozenset[str]]:
        """(what a list enumerates, the kinds of consequence its lead attaches)."""
        at = lead.find("下列")
        noun = None
        if at >= 0:
            for w in sorted(self.list_nouns, key=len, reverse=True):
                if lead.startswith(w, at + 2):
                    noun = self.list_nouns[w]
                    break
        else:
            for w in sorted(self.list_nouns, key=len, reverse=True):
                if re.search(rf"{w}(?:包括|有|是|为)?[：:]$", lead):
                    noun = self.list_nouns[w]
                    break
        pol = frozenset(k for k, words in self.polarity.items() if any(w in lead for w in words))
        return noun, pol

    def flip_nonsense(self, st: str, src: str) -> str | None:
        """A 不得 turned into 可以 that makes nonsense: a wrongful object, a bound a number sets, a duty's other half."""
        old, new = diff_span(src, st)
        if old != "不得" or new != "可以":
            return None
        at = len(os.path.commonprefix([src, st]))
        clause_end = min([i for i in (st.find(p, at) for p in "，；。") if i >= 0] or [len(st)])
        obj = st[at:clause_end]
        if any(w in obj for w in self.wrongful) or obj.lstrip("可以").startswith(self.bound_verbs):
            return f"“可以{obj.lstrip('可以')[:12]}”"
        start = max(st.rfind(p, 0, at) for p in "。；") + 1
        clause_start = max(st.rfind(p, 0, at) for p in "，；。") + 1
        if any(w in st[start:clause_start] for w in self.duty_words):
            return f"与同句的义务矛盾：{st[start:clause_end][:30]}"
        return None

    def check_paper(self, items: list[dict]) -> list[dict[str, str]]:
        """Rules over a whole paper, per item: an article asked by an earlier item of the same paper."""
        seen: dict[tuple, int] = {}
        out = []
        for it in items:
            bad = {}
            arts = {(c["law"], c["article"], c.get("sub") or 0) for c in it["citations"]}
            hit = next((a for a in arts if a in seen), None)
            if hit:
                bad["article_twice_in_paper"] = f"第{hit[1]}条已在第{seen[hit]}题考过"
            for a in arts:
                seen.setdefault(a, it.get("number", 0))
            out.append(bad)
        self.paper_repeats(items, out)
        return out

    def paper_repeats(self, items: list[dict], out: list[dict[str, str]]) -> None:
        """Round 6: two 单选 with the same key over the same options, the same options that are not a sanction scale
        (organs), the same words before a blank, one template sentence twice, and 不得/应当→可以 swaps beyond their
        share of the paper's false statements."""
        data = self.data
        scale_words = {w for sc in data["scales"] for w in sc}
        keyed: dict[tuple, int] = {}
        sets: dict[frozenset, int] = {}
        frames: dict[str, int] = {}
        used: dict[str, int] = {}
        swaps = re.compile(r"将“([^”]{1,12})”改为“([^”]{1,12})”")
        every = [x for it in items for x in swaps.findall(it.get("explanation", ""))]
        allowed = max(1, int(float(data.get("modal_share", 0.25)) * len(every)))
        falses = modals = 0
        for it, bad in zip(items, out):
            num = it.get("number", 0)
            opts = frozenset(n(o) for o in it["options"])
            if it["type"] == "单选" and len(it["answer"]) == 1:
                key = n(it["options"][ord(it["answer"]) - 65])
                if (key, opts) in keyed:
                    bad["same_key_same_options_in_paper"] = f"与第{keyed[(key, opts)]}题答案、选项相同"
                keyed.setdefault((key, opts), num)
                if not opts <= scale_words and "下列" not in it["stem"]:
                    if opts in sets:
                        bad["option_set_twice_in_paper"] = f"选项组与第{sets[opts]}题相同"
                    sets.setdefault(opts, num)
                at = n(it["stem"]).find(n("（　　）"))
                k = int(data.get("frame_chars", 8))
                if at >= k and "下列" not in it["stem"] and it["stem"].startswith("根据《"):  # not a scenario's question
                    fr = n(it["stem"])[at - k:at]
                    if fr in frames:
                        bad["blank_frame_twice_in_paper"] = f"“{fr}（　　）”与第{frames[fr]}题相同"
                    frames.setdefault(fr, num)
            text = it["stem"] + "".join(it["options"])
            for t in data.get("templates", ()):
                if t in text:
                    if t in used:
                        bad["template_twice_in_paper"] = f"“{t}”已在第{used[t]}题出现"
                    used.setdefault(t, num)
            for old, new in swaps.findall(it.get("explanation", "")):
                falses += 1
                if old in ("不得", "应当", "必须") and new == "可以":
                    modals += 1
                    if modals > allowed:
                        bad["modal_swap_over_share"] = f"第{modals}处“{old}→{new}”（错误说法共{falses}处）"

    def stem_fragment(self, item: dict) -> str | None:
        stem = item["stem"]
        b = body(stem)
        if any(f in stem for f in self.fragments):
            return "题干不成问句"
        if item["type"] in ("单选", "多选") and "（　　）" not in stem:
            return "题干没有作答括号"
        if item["type"] == "填空" and "____" not in stem:
            return "填空题没有空"
        if b.startswith(("（　　）", "____")):
            return "题干以空开头"
        if item["type"] == "判断" and not stem.endswith("。（　　）"):
            return "判断题不是完整的一句话"
        return None

    def explanation_gap(self, item: dict) -> str | None:
        """The 解析 must cite an article and, where options are wrong, say why each one is."""
        ex = item.get("explanation", "")
        if not re.search(r"《[^》]+》第[零一二三四五六七八九十百千]+条", ex):
            return "解析未引条文"
        if item["type"] == "判断" or item["type"] == "填空":
            if item["type"] == "判断" and item["answer"] == "B" and "改为" not in ex and "不符" not in ex:
                return "错误判断题未说明错在哪里"
            return None
        missing = []
        for i, o in enumerate(item["options"]):
            if LETTERS[i] in item["answer"] and item.get("form") != "negative":
                continue
            if item.get("form") == "combination":
                continue  # the options are sets of ①②…; each statement is explained by its number below
            if f"{LETTERS[i]}项" not in ex and o[:10] not in ex:
                missing.append(LETTERS[i])
        if item.get("form") == "combination":
            marks = re.findall(r"[①②③④⑤⑥]", item["stem"])
            missing = [m for m in marks if f"{m}正确" not in ex and f"{m}错误" not in ex]
        return f"解析未说明选项 {'、'.join(missing)}" if missing else None

    # ---- round 4 helpers ---------------------------------------------------------------------------
    def sanctions_in(self, text: str) -> list[str]:
        """Sanctions a text names, in order, each occurrence once (严重警告 is not also 警告)."""
        words = sorted(self.sanction_words, key=len, reverse=True)
        out, i = [], 0
        while i < len(text):
            w = next((w for w in words if text.startswith(w, i)), None)
            if w:
                out.append(w)
                i += len(w)
            else:
                i += 1
        return out

    def rank(self, word: str) -> tuple[int, int] | None:
        for k, scale in enumerate(self.scales):
            if word in scale:
                return k, scale.index(word)
        return None

    def order_broken(self, text: str) -> str | None:
        """Sanctions of one scale named out of order in a sentence ("降级或者警告", "警告或者开除党籍；…撤销党内职务")."""
        words = [w for w in self.sanctions_in(text) if self.rank(w)]
        # the scale of the sentence: the one naming all its sanctions (警告 is on both)
        scale = next((sc for sc in self.scales if all(w in sc for w in words)), None)
        if scale is None:
            return None
        for a, b in zip(words, words[1:]):
            if scale.index(b) <= scale.index(a):
                return f"{a}之后是{b}"
        return None

    def kind_of_measure(self, word: str) -> set[str]:
        return {k for k, words in self.measure_kinds.items() if word in words}

    def is_low(self, text: str) -> str | None:
        m = next((p.search(text) for p in self.low_value if p.search(text)), None)
        return m.group(0) if m else None

    def topics(self, lead: str) -> frozenset[str]:
        return frozenset(w for w in self.list_topics if w in lead)

    def round4(self, item: dict, texts: list[str], bad: dict[str, str]) -> None:
        ex, stem, opts = item.get("explanation", ""), item["stem"], item["options"]
        m = re.search(r"([\u4e00-\u9fff，]{5,}?)\1", ex)
        if m and "，" in m.group(1):
            bad["explanation_repeats_itself"] = m.group(1)[:16]
        rule = (re.findall(r"：“([^”]+)”", ex) or [""])[0]  # the provision the 解析 quotes first
        for w in re.findall(r"“([^”]{1,8})”(?:不在该条规定的处分之列|错误，该条没有规定|错误，所引规定对这一行为没有设)", ex):
            if w in self.sanctions_in(rule if len(rule) > 4 else "\n".join(texts)):
                bad["explanation_denies_a_listed_sanction"] = w
        if item["type"] in ("单选", "多选") and opts:
            if item.get("form") == "combination":
                marks = re.findall(r"[①②③④⑤⑥]", stem)
                if not all(m in ex for m in marks):
                    bad["explanation_not_by_letter"] = "组合题未逐项说明"
            else:
                missing = [LETTERS[i] for i in range(len(opts)) if f"{LETTERS[i]}项" not in ex]
                if missing:
                    bad["explanation_not_by_letter"] = "、".join(missing)
        if item.get("form") == "scenario":
            m = re.match(r"^某[\u4e00-\u9fff、，]{1,24}?[王李张赵刘陈]某", stem)
            rest = stem[m.end():] if m else ""
            if rest.startswith(self.own_subjects):
                bad["scenario_stem_garbled"] = stem[:m.end() + 6]
            rule = "\n".join(texts)
            person = stem[:m.end()] if m else ""
            if "党员领导干部" in rule and person and not any(t in person for t in self.leader_titles):
                lead_rule = any(x.startswith("党员领导干部") or "，党员领导干部" in x for x in texts)
                if lead_rule:
                    bad["scenario_person_outside_rule"] = person
        for st, true in self.statements(item):
            if true:
                continue
            src = self.source_of(st, texts)
            old, new = diff_span(src, st)
            why = self.order_broken(st) if not self.order_broken(src) else None
            scale = next((sc for sc in self.scales if old in sc and new in sc), None)  # 警告 is on both scales
            if why is None and scale and abs(scale.index(old) - scale.index(new)) > 2:
                why = f"{old}→{new}跨档"
            if why:
                bad["sanction_swap_out_of_order"] = why
            if old in self.jiancha and new in self.jiancha and not (self.kind_of_measure(old) & self.kind_of_measure(new)):
                bad["measure_of_another_kind"] = f"{old}→{new}"
        b = body(stem)
        if item["type"] == "单选" and item.get("form") == "blank":
            key = opts[LETTERS.index(item["answer"])]
            cue = next((w for w in self.cues.get(key, ()) if w in b), None)
            if cue:
                bad["key_cued_by_stem"] = f"{cue}→{key}"
            if key in self.jiancha:
                other = [o for o in opts if o != key and not (self.kind_of_measure(o) & self.kind_of_measure(key))]
                if other:
                    bad["measure_of_another_kind"] = "、".join(other)
        if item["type"] == "填空" and item.get("form") == "blank":
            cue = next((w for w in self.cues.get(item["answer"], ()) if w in b), None)
            if cue:
                bad["key_cued_by_stem"] = f"{cue}→{item['answer']}"
        quoted = "".join(re.findall(r"：“([^”]+)”", ex)) or b
        low = self.is_low(quoted) if item.get("form") not in ("enumeration", "scenario") else None
        if low:
            bad["low_value_point"] = low
        if item["type"] == "判断" and item["answer"] == "A":
            st = n(body(stem))
            testable = (re.search(r"[零〇一二三四五六七八九十百千两\d]+(?:个工作日|个月|日|天|年|小时|周岁|届|倍|元)|分之", st)
                        or "不得" in st or self.sanctions_in(st) or any(w in st for w in self.jiancha))
            if not testable and any(w in st for w in self.slogans):
                bad["true_statement_without_point"] = st[:24]
        if re.search(r"第[一二三四五六七八九十]+款", " ".join([b] + list(opts))):
            bad["later_paragraph_without_context"] = "选项或题干指向“第X款”"
        for c in item["citations"]:
            para = c.get("paragraph")
            if para and para > 1 and re.match(r"^[^，；]{2,12}(?:收到|接到|受理)[^，；]{2,16}后", b):
                bad["later_paragraph_without_context"] = b[:20]
        if item["type"] == "多选" and item.get("form") == "enumeration":
            law = item["citations"][0]["law"] if item["citations"] else ""
            keys = [n(o) for i, o in enumerate(opts) if LETTERS[i] in item["answer"]]
            lead = next((lead for lead, its in self.enum_leads.get(law, []) if keys and set(keys) <= set(its)), "")
            for i, o in enumerate(opts):
                if LETTERS[i] in item["answer"]:
                    continue
                homes = [h for h, its in self.enum_leads.get(law, []) if n(o) in its]
                if homes and lead and all(self.topics(h) != self.topics(lead) for h in homes):
                    bad["distractor_list_of_another_topic"] = f"{o[:14]}（{homes[0][:16]}）"
        if item["type"] == "填空" and item.get("form") == "blanks":
            keys = item["answer"].split("；")
            filled = re.sub(r"（本题[^）]*）$", "", b)
            for k in keys:
                filled = filled.replace("________", k, 1)
            if "________" in filled or not any(n(filled) in t for t in texts):
                bad["multi_blank_key_wrong"] = n(filled)[:30]

    # ---- the rules -----------------------------------------------------------------------------
    def law_texts(self, item: dict) -> list[str]:
        law = self.laws.get(item["citations"][0]["law"]) if item["citations"] else None
        if law is None:
            return []
        if law.law_id not in self._law_texts:
            self._law_texts[law.law_id] = [n(a.text) for a in self.kb.catalog.articles(law.law_id)]
        return self._law_texts[law.law_id]

    def round5(self, item: dict, texts: list[str], bad: dict[str, str]) -> None:
        stem = item["stem"]
        for st, true in self.statements(item):
            if true:
                continue
            src = self.source_of(st, texts)
            old, new = diff_span(src, st)
            if not old or not new or any(ch.isdigit() or ch in "零一二三四五六七八九十百两" for ch in old + new):
                continue  # numbers changed: not a term swap
            if len(old) == len(new) and sum(a != b for a, b in zip(old, new)) == 1:
                bad["one_character_swap"] = f"{old}→{new}"
            rest = st.replace(new, "", 1)
            if len(old) >= 2 and old[:2] in rest and old[:2] not in new:
                bad["swap_contradicts_sentence"] = f"{old}→{new}，句中仍有“{old[:2]}”"
            facts = re.findall(r"[零一二三四五六七八九十百两\d]+(?:个工作日|个月|日|年|小时|倍|届)|[二三四五六七八九十]分之[一二三四五六七八九]", st)
            if facts and len(new) >= 2:
                head = new[:2]
                for t in self.law_texts(item):
                    if head in t and all(f in t for f in facts) and t not in texts:
                        bad["swap_true_in_sibling_article"] = f"{old}→{new}（{t[:24]}）"
                        break
        if item.get("form") == "scenario" and "或者" in stem.split("。")[0]:
            bad["scenario_alternatives"] = stem.split("。")[0][-24:]
        m = re.search(r"予以([一-鿿]{2,6})；情节[一-鿿]{2,4}的，予以（　　）", stem)
        if m and item["type"] == "单选":
            r0 = self.rank(m.group(1))
            if r0:
                heavier = [o for o in item["options"] if (self.rank(o) or (0, 0))[0] == r0[0]
                           and (self.rank(o) or (0, -1))[1] > r0[1]]
                if len(heavier) == 1:
                    bad["grade_given_away"] = f"题干已写“予以{m.group(1)}”，只有{heavier[0]}更重"
        law = item["citations"][0]["law"] if item["citations"] else ""
        if law.endswith("条例") and "该法" in stem:
            bad["condition_called_law"] = "条例称为“该法”"

    def check(self, item: dict) -> dict[str, str]:
        """rule -> reason, for every rule the item breaks."""
        bad: dict[str, str] = {}
        texts = self.texts(item)
        if len(texts) != len(item["citations"]):
            bad["cited_article_exists"] = "引用的条文不在知识库中"
            return bad
        opts = item["options"]
        if len({n(o) for o in opts}) != len(opts):
            bad["options_not_distinct"] = "选项重复"
        b = body(item["stem"])
        if b.startswith(CONNECTIVES) or re.search(r"前款|前项|前两款", b):
            bad["dependent_sentence_without_antecedent"] = b[:20]
        for st, true in self.statements(item):
            if true:
                if not any(st in t for t in texts):
                    bad["key_restores_article"] = f"正确说法不在所引条文中：{st[:30]}"
                continue
            if st in self.everything:
                bad["false_statement_stored_verbatim"] = st[:30]
                continue
            src = self.source_of(st, texts)
            old, new = diff_span(src, st)
            if new and len(new) <= 2:  # "二" of 五年 -> 二年, "可以" of 不得 -> 可以: take the words it binds to
                at = st.find(new, len(os.path.commonprefix([src, st])) - 1 if src else 0)
                new = st[max(0, at - 1): at + len(new) + 2] if at >= 0 else new
            hit = self.true_elsewhere(st, new, exclude=src) if new else None
            if hit:
                bad["false_statement_true_elsewhere"] = f"{st[:24]}… 见“{hit[:30]}”"
            why = self.flip_nonsense(st, src)
            if why:
                bad["self_contradictory_flip"] = why
            o2, n2 = diff_span(src, st)
            at = len(os.path.commonprefix([src, st]))
            if n2 in self.sanction_words | self.jiancha and ("、" in st[at - 1:at] or st[at + len(n2):at + len(n2) + 1] == "、"):
                bad["series_element_swapped"] = f"{o2}→{n2}"
        if item.get("form") == "scenario":
            key = opts[LETTERS.index(item["answer"])]
            if not any(n(key) in t for t in texts):
                bad["key_restores_article"] = f"情景题答案不在所引条文中：{key}"
        if item["type"] in ("单选", "填空") and item.get("form") == "blank":
            blank = "（　　）" if item["type"] == "单选" else "________"
            key = opts[LETTERS.index(item["answer"])] if item["type"] == "单选" else item["answer"]
            filled = n(b.replace(blank, key))
            if not any(filled in t for t in texts):
                bad["key_restores_article"] = filled[:30]
            if key in b.replace(blank, "", 1):
                bad["key_given_away_in_stem"] = key
            if item["type"] == "单选":
                classes = {self.organ_class.get(o) for o in opts}
                if key in self.organ_class and (None in classes or len(classes) > 1):
                    bad["organ_option_from_another_class"] = "、".join(opts)
                named = [o for o in opts if not re.match(r"^[零〇一二三四五六七八九十百千两\d]", o)]  # 五日/十五日 differ
                for x in named:
                    for y in named:
                        if x != y and x in y:
                            bad["options_contain_each_other"] = f"{x} / {y}"
                for o in opts:
                    if o != key and n(b.replace(blank, o)) in self.everything:
                        bad["false_statement_stored_verbatim"] = f"干扰项填入后是原文：{o}"
        law = item["citations"][0]["law"] if item["citations"] else ""
        if "监察法" not in law:
            words = [o for o in opts if o in self.jiancha] if item.get("form") == "blank" else []
            if words:
                bad["measure_word_outside_its_law"] = "、".join(words)
        self.round4(item, texts, bad)
        self.round5(item, texts, bad)
        why = self.stem_fragment(item)
        if why:
            bad["incomplete_stem"] = why
        why = self.explanation_gap(item)
        if why:
            bad["explanation_without_reason"] = why
        if item["type"] == "多选" and item.get("form") == "enumeration":
            own = texts[0] if texts else ""
            keys = [n(o) for i, o in enumerate(opts) if LETTERS[i] in item["answer"]]
            lead_here = next((lead for lead, items in self.enum_leads.get(law, []) if keys and set(keys) <= set(items)),
                             None) or next((lead for lead, items in self.enum_leads.get(law, []) if n(lead) in own), "")
            kind_here = self.list_kind(lead_here)
            for i, o in enumerate(opts):
                if LETTERS[i] in item["answer"]:
                    continue
                homes = [lead for lead, items in self.enum_leads.get(law, []) if n(o) in items]
                if not homes or all(self.list_kind(h) != kind_here or kind_here[0] is None for h in homes):
                    bad["distractor_from_another_list"] = f"{o[:16]}（{(homes or ['无出处'])[0][:18]}）"
            mine = {w for w in SANCTION_WORDS if w in lead_here}
            for i, o in enumerate(opts):
                if LETTERS[i] in item["answer"]:
                    continue
                for lead, items in self.enum_leads.get(law, []):
                    if n(o) in items and mine and {w for w in SANCTION_WORDS if w in lead} == mine:
                        bad["sibling_item_with_same_consequence"] = f"{o[:20]}（{lead[:20]}）"
            # round 6: under a graded range, a wrong option must be a behaviour with a range of its own, not a 项
            # of a list that only says "依法给予处理" or lists no behaviour (复审 grounds: 9501 A32/B26/C33); nor
            # may the stem's own list close with a catch-all "其他…行为" that takes the option in
            if mine or "处理" in lead_here or "处分" in lead_here:
                own_items = next((items for lead, items in self.enum_leads.get(law, []) if n(lead) == n(lead_here)),
                                 [])
                if any(x.startswith("其他") for x in own_items):
                    bad["range_distractor_without_range"] = "所考条文以“其他……”兜底，错误项可归入"
                for i, o in enumerate(opts if mine else ()):
                    if LETTERS[i] in item["answer"]:
                        continue
                    homes = [lead for lead, items in self.enum_leads.get(law, []) if n(o) in items]
                    if homes and not any(w in h for h in homes for w in SANCTION_WORDS):
                        bad["range_distractor_without_range"] = f"{o[:16]}（{homes[0][:20]}）未设处分幅度"
        return bad
