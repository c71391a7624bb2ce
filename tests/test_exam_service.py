"""Word output, grading, the mistakes notebook, the LLM path and the CLI of the exam job."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.exam import PRESETS, Blueprint, ExamService, Paper, key_docx, paper_docx
from tests.exam_support import exam_kb, exam_scope, exam_service  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def paper(exam_service, exam_scope) -> Paper:
    # (round 4: 宪法 + 监察法 + one local regulation no longer fill 10 多选 and 10 判断; with 政务处分法 they do)
    return exam_service.generate(Blueprint.preset("任前法律知识考试", laws={**exam_scope, "公职人员政务处分法": 1.0},
                                                  seed=7))


def key_answers(paper: Paper) -> dict[str, object]:
    out = {}
    for it in paper.items:
        if it.type == "多选":
            out[str(it.number)] = list(it.answer)
        elif it.type == "判断":
            out[str(it.number)] = "正确" if it.answer == "A" else "错误"
        else:
            out[str(it.number)] = it.answer
    return out


def test_preset_is_the_real_paper():
    bp = PRESETS["任前法律知识考试"]
    assert bp.counts == {"单选": 25, "多选": 10, "判断": 10, "填空": 0}
    assert bp.points == {"单选": 2, "多选": 3, "判断": 2, "填空": 2}
    assert (bp.minutes, bp.pass_mark) == (90, 60)


# ---- Word -----------------------------------------------------------------------------------
def _numbered(doc) -> list[str]:
    import re

    return [p.text for p in doc.paragraphs if re.match(r"^\d+\. ", p.text)]


def test_docx_paper_and_key(paper, tmp_path):
    import docx
    from docx.oxml.ns import qn

    p = paper_docx(paper, tmp_path / "paper.docx")
    k = key_docx(paper, tmp_path / "key.docx")
    dp, dk = docx.Document(str(p)), docx.Document(str(k))
    text = "\n".join(x.text for x in dp.paragraphs)
    assert dp.paragraphs[0].text == "任前法律知识考试"
    assert "考试时间：90分钟" in text and "满分：100分" in text and "姓名：" in text and "单位：" in text
    assert "一、单项选择题（共25题，每题2分，共50分。每题只有一个正确答案）" in text
    assert "二、多项选择题（共10题，每题3分，共30分。每题有两个或两个以上正确答案，多选、少选、错选均不得分）" in text
    assert "三、判断题（共10题，每题2分，共20分。正确的选A，错误的选B）" in text
    assert len(_numbered(dp)) == 45
    assert "【答案】" not in text and "解析" not in text and "依据《" not in text
    # the key: a 46-row table and 45 解析
    table = dk.tables[0]
    assert len(table.rows) == 46
    assert sum(float(r.cells[3].text) for r in table.rows[1:]) == 100
    from assistant.exam.word import key_cell

    assert [r.cells[2].text for r in table.rows[1:]] == [key_cell(it) for it in paper.items]
    assert all(r.cells[4].text.startswith("《") and "中华人民共和国" not in r.cells[4].text
               for r in table.rows[1:])  # 依据: short law names, one article per line
    assert table.columns[4].width > table.columns[0].width * 4  # a readable 依据 column
    key_text = "\n".join(x.text for x in dk.paragraphs)
    assert key_text.count("【解析】") == 45 and key_text.count("【答案】") == 45
    # Chinese fonts set on the body style
    rfonts = dp.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")).startswith("仿宋")
    # like a real paper: A4, GB/T 9704 margins, page numbers, black headings, the same paper number on both
    from docx.shared import Mm

    for d in (dp, dk):
        sec = d.sections[0]
        assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
        assert [round(x.mm) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == \
            [37, 35, 28, 26]
        assert 'w:instr="PAGE"' in sec.footer._element.xml or "PAGE" in sec.footer._element.xml
        for para in d.paragraphs:
            if para.style.name.startswith("Heading"):
                assert all(r.font.color.rgb in (None, docx.shared.RGBColor(0, 0, 0)) for r in para.runs)
    assert paper.number in text and paper.number in "\n".join(x.text for x in dk.paragraphs[:3])
    assert "考试须知" in text
    judge_lines = [x.text for x in dp.paragraphs if "A. 正确" in x.text]
    assert judge_lines and all("B. 错误" in x for x in judge_lines)  # short options share one line
    assert Mm(1)


# ---- grading --------------------------------------------------------------------------------
def test_grade_all_right_all_wrong_and_formats(exam_service, paper):
    right = exam_service.grade(paper, key_answers(paper))
    assert right.score == 100 and right.passed and right.total == 100
    assert sum(d["score"] for d in right.per_law.values()) == 100
    assert {d["count"] for d in right.per_type.values()} == {25, 10}
    # a list in item order is accepted too, and letters work for 判断
    as_list = [it.answer for it in paper.items]
    assert exam_service.grade(paper, as_list).score == 100
    nothing = exam_service.grade(paper, {})
    assert nothing.score == 0 and not nothing.passed and all(r.your_answer is None for r in nothing.items)


def test_multi_partial_credit_rules(paper):
    from assistant.exam.grading import grade

    multi = next(it for it in paper.items if it.type == "多选" and len(it.answer) == 3)
    subset = list(multi.answer[:2])
    wrong_letter = next(x for x in "ABCD" if x not in multi.answer)
    ans = {str(multi.number): subset}
    r = {x.number: x for x in grade(paper, ans).items}[multi.number]
    assert r.score == 0 and not r.correct  # all-or-nothing by default
    r = {x.number: x for x in grade(paper, ans, partial="proportional").items}[multi.number]
    assert r.score == pytest.approx(3 * 2 / len(multi.answer), abs=0.01)
    r = {x.number: x for x in grade(paper, ans, partial=0.5).items}[multi.number]
    assert r.score == 1.5 and not r.correct
    r = {x.number: x for x in grade(paper, {str(multi.number): subset + [wrong_letter]}, partial=0.5).items}
    assert r[multi.number].score == 0  # a wrong option scores nothing


def test_fill_answers_accept_numerals_and_spacing(exam_service, exam_scope):
    from assistant.exam.grading import grade

    bp = Blueprint(counts={"单选": 0, "多选": 0, "判断": 0, "填空": 8}, laws=exam_scope, seed=4)
    p = exam_service.generate(bp)
    assert len(p.items) == 8
    from knowledge.numerals import cn_to_int as _cn

    numeric = [it for it in p.items if it.answer[:1] in "一二三四五六七八九十两" and _cn(it.answer) is not None]
    ans = {str(it.number): f" {it.answer} " for it in p.items}
    assert grade(p, ans).score == p.total
    if numeric:
        from knowledge.numerals import cn_to_int

        it = numeric[0]
        assert grade(p, {str(it.number): str(cn_to_int(it.answer))}).items[it.number - 1].correct


def test_mistakes_notebook_and_practice(exam_kb, paper, tmp_path):
    svc = ExamService(exam_kb, data_dir=tmp_path)
    answers = key_answers(paper)
    wrong = [it for it in paper.items if it.type in ("单选", "判断")][:4]
    for it in wrong:
        answers[str(it.number)] = "B" if it.answer == "A" else "A"
    result = svc.grade(paper, answers, user="张三")
    assert result.score == 100 - 8 and result.passed
    book = svc.mistakes("张三")
    wrong_articles = {a for it in wrong for a in it.article_ids}
    assert {e["article_id"] for e in book} == wrong_articles
    # each wrong item counts once per article it cites (several items may cite one article)
    per_article = {a: sum(a in set(it.article_ids) for it in wrong) for a in wrong_articles}
    assert all(e["wrong"] == per_article[e["article_id"]] and e["right"] == 0 and e["items"] for e in book)
    assert (tmp_path / "张三" / "mistakes.json").exists()
    practice = svc.practice_from_mistakes("张三", n=6, seed=1)
    assert 1 <= len(practice.items) <= 6
    assert all(set(it.article_ids) & wrong_articles for it in practice.items)
    assert practice.to_json() == svc.practice_from_mistakes("张三", n=6, seed=1).to_json()
    # answering those articles right later takes them out of the notebook
    svc.grade(paper, key_answers(paper), user="张三")
    svc.grade(paper, key_answers(paper), user="张三")
    assert svc.mistakes("张三") == []
    assert svc.mistakes("李四") == []


# ---- LLM 情景题 -------------------------------------------------------------------------------
def _case_json(law: str, number_cn: str, quote: str, answer: str = "B") -> str:
    return json.dumps({"stem": "某县监察委员会在调查中冻结了某公职人员的存款，后查明该存款与案件无关。监察机关应当如何处理？",
                       "options": ["继续冻结至案件办结", "在查明后三日内解除冻结，予以退还", "移交人民法院处理",
                                   "上缴国库"],
                       "answer": answer, "citation": f"《{law}》第{number_cn}条", "quote": quote},
                      ensure_ascii=False)


@pytest.fixture
def freeze_article(exam_kb):
    law, art = exam_kb.lookup("监察法", 26)
    assert "三日内解除冻结" in art.text
    return law, art


def test_llm_item_kept_only_when_citation_and_blind_pass_agree(exam_kb, freeze_article):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.exam.llm_items import make_case_item

    law, art = freeze_article
    quote = "冻结的财产经查明与案件无关的，应当在查明后三日内解除冻结，予以退还。"
    good = _case_json(law.title, "二十六", quote)
    kept = make_case_item(FakeListChatModel(responses=[good, "B"]), exam_kb, law, art)
    assert kept is not None and kept.key == ["在查明后三日内解除冻结，予以退还"] and kept.form == "case"
    # the blind pass disagrees
    assert make_case_item(FakeListChatModel(responses=[good, "A"]), exam_kb, law, art) is None
    # the citation names another article
    assert make_case_item(FakeListChatModel(responses=[_case_json(law.title, "二十七", quote), "B"]),
                          exam_kb, law, art) is None
    # the quote is not in the article
    assert make_case_item(FakeListChatModel(responses=[_case_json(law.title, "二十六", "应当在查明后五日内解除冻结"),
                                                       "B"]), exam_kb, law, art) is None
    # not JSON at all
    assert make_case_item(FakeListChatModel(responses=["好的，题目如下……", "B"]), exam_kb, law, art) is None


def test_generate_with_llm_items(exam_kb, tmp_path):
    """A model that quotes the article it is shown gets its items into the paper as 单选 (case items)."""
    import re

    from langchain_core.language_models.fake_chat_models import FakeListChatModel
    from langchain_core.messages import AIMessage

    class QuotingLLM(FakeListChatModel):
        """Writes an item whose key is the shown article's first sentence; answers blind passes with B."""

        def invoke(self, prompt, *a, **k):
            text = prompt if isinstance(prompt, str) else str(prompt)
            if "题目：" in text:
                return AIMessage(content="B")
            law = re.search(r"法律：《([^》]+)》", text).group(1)
            label = re.search(r"条文：(第\S+条)", text).group(1)
            body = text.split(label + "\n", 1)[1]
            first = re.match(r"[^。]+。", body).group(0)
            return AIMessage(content=json.dumps({
                "stem": f"某单位在工作中遇到下列情形，依照{label}的规定，正确的做法是", "answer": "B",
                "options": ["由单位自行决定", first.rstrip("。"), "报请上级机关批准后另行处理", "不予处理"],
                "citation": f"《{law}》{label}", "quote": first}, ensure_ascii=False))

    svc = ExamService(exam_kb, llm=QuotingLLM(responses=["x"]), data_dir=tmp_path)
    bp = Blueprint(counts={"单选": 4, "多选": 0, "判断": 0}, laws={"监察法": 1}, seed=2, case=2)
    p = svc.generate(bp)
    singles = [it for it in p.items if it.type == "单选"]
    llm_items = [it for it in singles if it.source == "llm"]
    assert len(singles) == 4 and len(llm_items) == 2
    for it in llm_items:
        key = it.options["ABCD".index(it.answer)]
        law, art = exam_kb.lookup(it.citations[0].law, it.citations[0].article)
        assert key in art.text and f"“{key}。”" in it.explanation


def test_no_llm_means_no_llm_items(exam_service, exam_scope):
    p = exam_service.generate(Blueprint(counts={"单选": 5, "多选": 0, "判断": 0}, laws=exam_scope, case=3, seed=1))
    assert len(p.items) == 5 and all(it.source == "rule" for it in p.items)


# ---- CLI ------------------------------------------------------------------------------------
class _Services:
    def __init__(self, exams):
        self.exams = exams
        self.llm = None


def test_cli_exam_and_grade(monkeypatch, exam_kb, tmp_path):
    import docx

    from assistant.commands import exam as cmd

    services = _Services(ExamService(exam_kb, data_dir=tmp_path / "users"))
    monkeypatch.setattr(cmd, "_services", lambda: services)
    runner = CliRunner()
    out = runner.invoke(cmd.exam_cmd, ["--laws", "宪法,监察法,公职人员政务处分法", "--single", "25", "--multi", "10", "--judge", "10",
                                       "--points", "2,3,2", "--minutes", "90", "--seed", "7",
                                       "--json", str(tmp_path / "paper.json"), "--docx", str(tmp_path / "paper.docx"),
                                       "--key-docx", str(tmp_path / "key.docx"), "--title", "测试卷"])
    assert out.exit_code == 0, out.output
    data = json.loads((tmp_path / "paper.json").read_text(encoding="utf-8"))
    assert data["title"] == "测试卷" and len(data["items"]) == 45 and data["total"] == 100
    assert data["pass_mark"] == 60
    assert docx.Document(str(tmp_path / "paper.docx")).paragraphs[0].text == "测试卷"
    paper = Paper.from_json(data)
    answers = key_answers(paper)
    answers["1"] = "D" if paper.items[0].answer != "D" else "A"
    (tmp_path / "answers.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    out = runner.invoke(cmd.grade_cmd, [str(tmp_path / "paper.json"), str(tmp_path / "answers.json"), "--json"])
    assert out.exit_code == 0, out.output
    res = json.loads(out.output)
    assert res["score"] == 98 and res["passed"] and res["items"][0]["correct"] is False
    out = runner.invoke(cmd.grade_cmd, [str(tmp_path / "paper.json"), str(tmp_path / "answers.json"),
                                        "--user", "王五"])
    assert out.exit_code == 0 and "得分 98" in out.output and "第1题" in out.output
    out = runner.invoke(cmd.mistakes_cmd, ["--user", "王五"])
    assert "错 1 次" in out.output
    out = runner.invoke(cmd.exam_cmd, ["--laws", "不存在的法"])
    assert out.exit_code != 0 and "知识库中没有" in out.output


def test_unknown_law_is_a_clear_error(exam_service):
    from knowledge.errors import NotFoundError

    with pytest.raises(NotFoundError):
        exam_service.generate(Blueprint(laws={"没有这部法": 1}))
