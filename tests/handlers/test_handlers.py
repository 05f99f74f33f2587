"""Handlers on a small in-memory engine (no index on disk): each mechanism, not each question."""

from __future__ import annotations

import pytest

from assistant.normalise import Normaliser, TypoCorrector, to_simplified


def cited(answer) -> list[str]:
    return [c.clause.clause_id for c in answer.citations]


def test_every_quote_is_verbatim_and_every_mark_resolves(small_engine):
    for q in ("谁牵头管农村污水设施的运维？", "基本原则有哪几条", "2023年前要完成的有哪些", "plan-055",
              "农村生活污水治理率是怎么算的", "土壤污染防治法现在还有效吗"):
        a = small_engine.ask(q)
        numbers = {c.n for c in a.citations}
        assert all(c.quote in c.clause.text for c in a.citations), q
        assert {int(n) for n in __import__("re").findall(r"\[(\d+)\]", a.text)} <= numbers, q


# -- normalise -------------------------------------------------------------------------------
def test_traditional_characters_are_read_as_simplified():
    assert to_simplified("農村生活污水治理由哪個部門牽頭") == "农村生活污水治理由哪个部门牵头"


def test_typo_is_corrected_only_where_the_corpus_supports_it():
    corrector = TypoCorrector(["加强土壤环境监测网络建设", "秸秆综合利用率达到90%以上", "州生态环境局牵头"])
    fixed, changes = corrector.correct("土壤环境监侧网络谁牵头")
    assert fixed == "土壤环境监测网络谁牵头" and changes
    fixed, _ = corrector.correct("秸秆综合利用律是多少")
    assert "利用率" in fixed
    # a name the corpus lacks is not "corrected" into one it has
    assert corrector.correct("州林草局牵头哪些")[0] == "州林草局牵头哪些"


def test_normaliser_reports_what_it_changed():
    normalise = Normaliser(TypoCorrector(["土壤环境监测网络"]))
    result = normalise("土壤環境監侧网络<b>谁</b>管")
    assert "监测" in result.text and result.changes and any("繁体" in n for n in result.notes)
    assert any("标记" in n for n in result.notes)


# -- structured handlers ---------------------------------------------------------------------
def test_lead_question_in_traditional_characters(small_engine):
    a = small_engine.ask("農村生活污水治理由哪個部門牽頭？")
    assert not a.abstained and "牵头" in a.text
    assert set(cited(a)) & {"plan-099", "plan-100"}


def test_list_scoped_to_a_chapter_keeps_only_that_chapter(small_engine):
    whole = small_engine.ask("州工信局参与的任务有哪些")
    scoped = small_engine.ask("土壤那一章里工信局参与的有哪几项")
    sections = [c.clause.section for c in scoped.citations]
    assert sections and all(s.startswith("三、主要任务 > （一）土壤污染防治") for s in sections)
    assert set(cited(scoped)) < set(cited(whole))


def test_table_column_filters(small_engine):
    empty = small_engine.ask("哪几项指标2020年基数是空着的")
    rows = small_engine.corpus.facts.targets
    expected = {t.clause_id for t in rows if t.origin == "table" and t.baseline in (None, "", "--")}
    assert set(cited(empty)) == expected
    source = small_engine.ask("来源写自治区指标的是哪几项")
    assert set(cited(source)) == {t.clause_id for t in rows if t.origin == "table" and "自治区指标" in (t.source_doc or "")}


def test_an_empty_cell_refuses_only_when_it_is_all_that_was_asked(small_engine):
    row = next(t for t in small_engine.corpus.facts.targets
               if t.origin == "table" and t.baseline in (None, "", "--") and t.source_doc)
    alone = small_engine.ask(f"{row.indicator}的基数是多少")
    assert alone.abstained and "--" in alone.text
    both = small_engine.ask(f"指标表中{row.indicator}这一行的基期值、来源各是什么")
    assert not both.abstained and row.source_doc in both.text and "基期未给出" in both.text
    assert cited(both)[0] == row.clause_id


def test_footnote_answers_how_an_indicator_is_calculated(small_engine):
    a = small_engine.ask("农村生活污水治理率是怎么算的")
    footnote = next(f for f in small_engine.corpus.facts.footnotes if f.term == "农村生活污水治理率")
    assert cited(a)[0] == footnote.clause_id and "行政村总数" in a.text


def test_chapter_items_are_listed(small_engine):
    a = small_engine.ask("规划定了哪几条基本原则")
    expected = [c.clause_id for c in small_engine.corpus.plan() if "基本原则" in c.section]
    assert cited(a) == expected and len(expected) > 1


def test_deadlines_by_year(small_engine):
    a = small_engine.ask("卡在2023年的时间节点有哪些")
    expected = {d.clause_id for d in small_engine.corpus.facts.deadlines if d.year == 2023}
    assert set(cited(a)) == expected and "2023" in a.text


def test_clause_id_typed_as_a_question(small_engine):
    assert cited(small_engine.ask("plan-055")) == ["plan-055"]
    assert cited(small_engine.ask("土壤污染防治法#59")) == ["土壤污染防治法#59"]
    assert small_engine.ask("plan-999").abstained


def test_law_status_cites_the_repealing_article(small_engine):
    law = small_engine.corpus.law("土壤污染防治法")
    a = small_engine.ask("土壤污染防治法现在还有效吗？")
    assert not a.abstained and cited(a)[0] == law.repeal_clause_id and "废止" in a.text
    current = small_engine.ask("乡村振兴促进法还有效吗")
    assert not current.abstained and "现行有效" in current.text and cited(current)[0].startswith("乡村振兴促进法#")


# -- evidence of absence ---------------------------------------------------------------------
@pytest.mark.parametrize("question", ["州林草局牵头哪些任务？", "州生态环境局局长是谁？", "哪个部门牵头？",
                                      "规划2030年的目标是多少？", "州生态环境局的电话是多少"])
def test_absent_subjects_are_refused(small_engine, question):
    a = small_engine.ask(question)
    assert a.abstained and not a.citations


def test_a_county_the_plan_names_is_not_refused(small_engine):
    county = next(name for name in ("吉木萨尔县", "奇台县", "玛纳斯县", "呼图壁县") if name[:-1] in small_engine.plan_text)
    a = small_engine.ask(f"{county}有哪些污染治理任务")
    assert "只覆盖昌吉州" not in a.text


# -- the laws as they stand today (issue 10's table, read by the law handlers) -------------------
def test_old_article_names_its_code_counterpart_from_the_table(small_engine):
    from assistant.currency import code_article_for

    sure = next(c for c in small_engine.correspondences if c.law.endswith("土壤污染防治法") and c.certain)
    a = small_engine.ask(f"土壤污染防治法{sure.article}在法典里对应哪一条？")
    assert cited(a)[0] == sure.clause_id
    assert sure.code_clause_id in cited(a) and "现为" in a.text
    assert code_article_for("中华人民共和国土壤污染防治法", sure.article, small_engine.correspondences)[0] == sure


def test_plan_legal_bases_question(small_engine):
    a = small_engine.ask("规划引用的法律哪些已经废止了？")
    law = small_engine.corpus.law("土壤污染防治法")
    assert not a.abstained and law.repeal_clause_id in cited(a) and "废止" in a.text
    assert any(c.startswith("plan-") for c in cited(a))


def test_penalty_under_a_repealed_law_is_today_a_code_liability_article(small_engine):
    a = small_engine.ask("土壤污染防治法规定，土壤污染重点监管单位未按年度报告有毒有害物质排放情况的，罚多少？")
    liability = {c.clause_id for c in small_engine.corpus.clauses
                 if c.source.endswith("法典") and "法律责任" in c.section}
    assert set(cited(a)) & liability and "罚款" in a.text


def test_names_typed_with_a_same_sound_slip_or_as_a_short_form_are_not_unknown(small_engine):
    a = small_engine.ask("农村集中式饮用水水原地保护措施谁牵头?卫键委参与没有?")
    assert not a.abstained and "卫健委" in a.text
    b = small_engine.ask("污染地块用途怎么规划这块,是不是自规局牵头?")
    assert not b.abstained and "牵头" in b.text


def test_a_figure_the_plan_never_states_is_a_false_premise(small_engine):
    a = small_engine.ask("规划说要把地下水国考点位从4个增加到10个,新增的在哪些县?")
    assert a.abstained and "前提" in a.text
