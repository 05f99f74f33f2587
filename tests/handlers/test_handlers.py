"""Handlers on a small in-memory engine (no index on disk): each mechanism, not each question."""

from __future__ import annotations

import re

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


def test_that_is_read_as_which_only_in_a_question_with_no_other_ask():
    normalise = Normaliser(TypoCorrector(["参与单位", "州生态环境局牵头,州农业农村局等参与"]))
    result = normalise("参与单为有那些？")  # 单为 / 那些: the same pinyin as 单位 / 哪些
    assert "参与单位有哪些" in result.text and ("那些", "哪些") in result.changes
    for question in ("那个指标呢？", "那这个是约束性的吗？", "那就这样吧。"):  # 那 points back; the ask is elsewhere
        assert "哪" not in normalise(question).text, question


def test_the_dictionary_bridge_reads_english_words_as_the_corpus_uses_them(tmp_path):
    from assistant.bilingual import WordBridge

    dictionary = tmp_path / "cedict.txt"
    dictionary.write_text("# a few CC-CEDICT lines\n"
                          "企業 企业 [qi3 ye4] /company; firm; enterprise/\n"
                          "公司 公司 [gong1 si1] /company; firm/\n"
                          "打擊 打击 [da3 ji1] /to hit/to strike/\n"
                          "生效 生效 [sheng1 xiao4] /to take effect; to go into effect/\n"
                          "噪聲 噪声 [zao4 sheng1] /noise/\n", encoding="utf-8")
    bridge = WordBridge.build("将36家企业纳入监管,自公布之日起生效,打击违法行为", path=dictionary)
    assert bridge.chinese_for("How many companies?") == ["企业"]  # 公司 is not a word of this corpus
    assert bridge.chinese_for("When does it take effect?") == ["生效"]  # a verb phrase is specific enough
    assert bridge.chinese_for("hit the target") == []  # a one-word verb gloss (to hit) names no subject
    assert bridge.chinese_for("noise") == []  # the corpus does not use 噪声
    assert bridge.chinese_for("hitting") == ["打击"]  # an -ing noun names the act its verb gloss names
    assert WordBridge.build("企业", path=tmp_path / "missing.txt").chinese_for("company") == []


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


def test_list_role_is_read_from_the_question():
    from assistant.answer.handlers.lists import asked_role

    assert asked_role("水利局牵头的事有几件") == "lead"
    assert asked_role("Which tasks is the water bureau in charge of?") == "lead"
    assert asked_role("tasks headed by the water bureau") == "lead"
    assert asked_role("水利局挂名配合的有哪些") == "participant"
    assert asked_role("Which tasks is the water bureau involved in, not as the lead?") == "participant"
    assert asked_role("水利局不是牵头的那些任务") == "participant"
    assert asked_role("注释里写明水利局负责的有哪些") == "responsible"
    assert asked_role("水利局负责、而非牵头的任务") == "responsible"
    assert asked_role("水利局负责哪些任务") == "any"  # a bare 负责 is how people say "has a part in"
    assert asked_role("Which tasks list the water bureau among the responsible units?") == "any"


def test_list_topic_names_a_heading_or_the_paragraphs():
    from assistant.answer.handlers.lists import best_heading, covers, heading_score

    sections = ["三、主要任务 > （二）地下水污染防治 > 4.地下水型饮用水水源保护",
                "三、主要任务 > （三）农业农村生态环境保护 > 4.农村生活垃圾治理"]
    assert heading_score("地下水饮用水水源的保护", sections[0]) >= 0.6
    assert best_heading("饮用水水源保护", sections) == sections[0]
    assert best_heading("生活垃圾治理", sections, within="三、主要任务 > （三）农业农村生态环境保护") == sections[1]
    assert best_heading("生活垃圾治理", sections, within="三、主要任务 > （二）地下水污染防治") is None
    assert best_heading("清洁取暖", sections) is None
    assert covers("垃圾", "健全生活垃圾收运处置体系") and not covers("秸秆", "健全生活垃圾收运处置体系")


def test_list_filtered_by_role_and_topic(small_engine):
    lead = small_engine.ask("州住建局牵头的活有哪几件？")
    every = small_engine.ask("州住建局涉及的任务都有哪些？")
    assert set(cited(lead)) == {"plan-102", "plan-103", "plan-105"} and set(cited(lead)) < set(cited(every))
    english = small_engine.ask("Which tasks are headed by the housing bureau (州住建局)?")
    assert set(cited(english)) == set(cited(lead))
    topic = small_engine.ask("州住建局牵头的跟垃圾有关的任务有哪几件？")
    assert set(cited(topic)) == {"plan-102", "plan-103"}
    section = small_engine.ask("州生态环境局牵头的地下水污染协同防治方面的任务，逐条列出来")
    assert cited(section) and all("3.地下水污染协同防治" in c.clause.section for c in section.citations)
    written = small_engine.ask("注释里写明州农业农村局“负责”的任务有哪几条？")
    assert cited(written) == ["plan-096"] and "负责" in written.text


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


# -- issue 9: law articles asked for their penalty, their list, their level of government ------------
def test_penalty_asked_of_the_law_named_cites_that_laws_article_then_the_codes(small_engine):
    a = small_engine.ask("向农用地排污造成耕地破坏的，土壤法本身怎么罚？哪一条？")
    assert cited(a)[0] == "土壤污染防治法#87" and "十万元以上五十万元以下的罚款" in a.text
    assert any(c.startswith("生态环境法典#") for c in cited(a)) and "废止" in a.text
    now = small_engine.ask("向农用地排污造成耕地破坏的，按现在的法典怎么罚？")
    assert cited(now)[0].startswith("生态环境法典#")


def test_a_list_question_quotes_the_articles_items(small_engine):
    a = small_engine.ask("土壤法对安全利用方案要包括哪些内容有规定吗？第几条？")
    assert cited(a)[0] == "土壤污染防治法#53"
    assert "农艺调控、替代种植" in a.text and "定期开展土壤和农产品协同监测与评价" in a.text
    b = small_engine.ask("土壤法里给这些重点监管单位定了哪几项义务？是哪一条？")
    assert not b.abstained and cited(b)[0] == "土壤污染防治法#21"
    assert "建立土壤污染隐患排查制度" in b.text and "制定、实施自行监测方案" in b.text


def test_list_span_is_the_introducing_line_and_its_items():
    from assistant.answer.handlers.law import list_span
    from assistant.clauses import Clause

    text = "甲应当制定方案。\n方案应当包括下列内容：\n（一）农艺调控；\n（二）定期监测；\n（三）其他措施。\n前款规定的方案应当公开。"
    clause = Clause("x#1", "x", "law", text, "", "", "第一条")
    assert list_span(clause, "方案包括哪些内容") == "方案应当包括下列内容：\n（一）农艺调控；\n（二）定期监测；\n（三）其他措施。"
    assert list_span(Clause("x#2", "x", "law", "甲应当制定方案。", "", "", "第二条"), "方案") is None


def test_a_level_of_government_or_a_rule_is_asked_of_the_law(small_engine):
    a = small_engine.ask("地下水污染防治重点区按规定由谁来划定？")
    assert a.intents == ["law_article"] and "省级人民政府生态环境主管部门" in a.text
    plan = small_engine.ask("地下水污染重点监管单位名录由谁来建？")
    assert plan.intents == ["lead_bureau"]


def test_three_items_joined_by_he_are_three(small_engine):
    from assistant.zh import items_in

    assert items_in("优先保护类、安全利用类和严格管控类") == 3 and items_in("地表水、地下水") == 2
    a = small_engine.ask("現行法律裡農用地按污染程度分成哪三類？依據是哪一條？")
    assert not a.abstained and "优先保护类、安全利用类和严格管控类" in a.text
    assert cited(a)[0].startswith("生态环境法典#")


# -- issue 9: unanswerables that look answerable -------------------------------------------------
@pytest.mark.parametrize("question", ["兵团各团场的农村生活污水治理率目标是多少？", "木垒县正阳化工那个疑似污染地块，企业法人代表是谁？",
                                      "昌吉州全州耕地总面积是多少亩？"])
def test_out_of_scope_persons_and_unstated_totals_are_refused(small_engine, question):
    a = small_engine.ask(question)
    assert a.abstained and not a.citations


def test_the_plans_scope_itself_is_still_answered(small_engine):
    a = small_engine.ask("规划范围里包不包括兵团？")
    assert not a.abstained and "不包括兵团" in a.text
    assert small_engine.excluded == ["兵团"]


def test_what_a_quantity_question_measures():
    from assistant.zh import measured

    assert measured("昌吉州全州耕地总面积是多少亩？") == "耕地总面积"
    assert measured("2020年全州地膜一共回收了多少吨？") == ""  # a verb, not what is measured
    assert measured("十三五期间一共发现多少个问题") == ""


def test_english_subject_beyond_the_glossary_is_not_called_subjectless(small_engine):
    a = small_engine.ask("And the sludge — what safe-disposal rate did municipal sludge reach?")
    assert "请说明是哪项任务" not in a.text
    if a.abstained:
        assert "sludge" in a.text


# -- issue 9: enumerations in the plan, plan questions naming a law, two periods ----------------------
def test_enumeration_of_the_kind_asked(small_engine):
    a = small_engine.ask("地表水和地下水污染协同防治，以哪几条河的流域为重点？")
    assert all(river in a.text for river in ("头屯河", "三屯河", "呼图壁河", "玛纳斯河", "塔西河"))
    b = small_engine.ask("十四五要进一步调查和风险评估的3个高风险地块是哪几个？")
    assert all(s in b.text for s in ("新疆五鑫铜业有限责任公司地块", "新疆新鑫矿业股份有限公司阜康冶炼厂地块", "新疆宜化化工有限公司地块"))
    c = small_engine.ask("规范地下水型饮用水水源保护区管理那项里，提到的发展思路是哪“四定”？")
    assert "以水定城、以水定地、以水定人、以水定产" in c.text


def test_a_plan_question_naming_a_law_is_answered_from_the_plan(small_engine):
    from assistant.answer.understand import asks_plan_about_law

    assert asks_plan_about_law("重点单位落实土壤法义务的情况，规划要纳入什么检查范围？")
    assert asks_plan_about_law("“十四五”土壤法普法宣传谁牵头")
    assert not asks_plan_about_law("规划说的这个要求在生态环境法典哪一条？")
    a = small_engine.ask("重点单位落实土壤法义务的情况，规划要纳入什么检查范围？")
    assert not a.abstained and "双随机一公开" in a.text and cited(a)[0].startswith("plan-")


def test_a_later_part_about_the_other_period_keeps_its_own_subject(small_engine):
    a = small_engine.ask("十三五末卫生厕所普及率是多少?十四五对改厕有什么要求?")
    assert "90.3%" in a.text and "示范引领县完成农村改厕任务" in a.text


def test_penalty_span_reaches_the_fine_that_applies_to_the_act():
    from assistant.answer.handlers.law import penalty_span
    from assistant.clauses import Clause

    listed = Clause("x#3", "x", "law", "违反本法规定，有下列情形之一的，责令改正，处以罚款：\n（一）未建设监测井；\n（二）未采取防渗措施。\n"
                    "有前款第一项情形的，处二万元以上二十万元以下的罚款；有前款第二项情形的，处十万元以上一百万元以下的罚款。",
                    "", "", "第三条")
    quote = penalty_span(listed, "没建监测井罚多少")
    assert "未建设监测井" in quote and "二万元以上二十万元以下" in quote
    first = Clause("x#4", "x", "law", "违反本法规定，有下列情形之一的，处二万元以上二十万元以下的罚款：\n（一）未调查；\n（二）未评估。\n"
                   "有前款第二项情形，情节严重的，处五日以上十五日以下拘留。", "", "", "第四条")
    quote = penalty_span(first, "未调查罚多少")
    assert "二万元以上二十万元以下" in quote and "拘留" not in quote
    individual = Clause("x#5", "x", "law", "未回收农膜的，处一万元以上十万元以下的罚款；使用者为个人的，可以处二百元以上二千元以下的罚款。",
                        "", "", "第五条")
    assert "二百元以上二千元以下" in penalty_span(individual, "个人不回收农膜罚多少")


def test_items_of_the_kind_asked():
    from assistant.answer.handlers.definition import item_noun, of_kind

    assert item_noun("以哪几条河的流域为重点") == "河" and item_noun("3个高风险地块是哪几个") == "地块"
    assert item_noun("发展思路是哪“四定”") == "定" and item_noun("哪几种农村垃圾收运处置形式") == "形式"
    assert of_kind("河", ["以头屯河", "三屯河", "开垦河等流域为重点"], "以头屯河、三屯河、开垦河等流域为重点")
    assert of_kind("地块", ["确定甲公司", "乙公司2个疑似污染地块"], "确定甲公司、乙公司2个疑似污染地块")
    assert not of_kind("地块", ["以及涉及疑似污染地块", "污染地块国土空间规划等相关信息"],
                       "以及涉及疑似污染地块、污染地块国土空间规划等相关信息")
    assert of_kind("定", ["坚持“以水定城", "以水定地", "以水定人", "以水定产”的发展思路"], "", shorthand=True)


def test_penalty_span_for_an_item_starts_at_the_sentence_opening_the_list():
    from assistant.answer.handlers.law import penalty_span
    from assistant.clauses import Clause

    opening = Clause("x#6", "x", "law", "违反本法规定，有下列情形之一的，责令改正，处二万元以上二十万元以下的罚款；"
                     "对直接负责的主管人员处五千元以上二万元以下的罚款：\n（一）未进行调查；\n（二）未实施修复。",
                     "", "", "第六条")
    quote = penalty_span(opening, "未实施修复罚多少")
    assert quote.startswith("违反本法规定") and "二万元以上二十万元以下" in quote and quote.endswith("未实施修复。")


def test_a_question_framed_only_by_when_or_politeness_has_no_subject():
    from assistant.answer.handlers.common import has_subject

    for bare in ("截止时间是哪年？", "麻烦问下，这个最晚哪天完成", "期限是什么时候"):
        assert not has_subject(bare), bare
    for named in ("农膜回收什么时候完成", "地下水污染防治重点区划定的截止时间", "数字乡村谁牵头"):
        assert has_subject(named), named


def test_a_figure_offered_as_a_guess_is_not_a_premise():
    from assistant.answer.engine import _guessed

    assert _guessed("门槛是多少？是不是10吨？", "10吨") and _guessed("目标是95%吗？", "95%")
    assert not _guessed("规划把目标定成95%，这个是约束性指标吗？", "95%")
    assert not _guessed("规划说要从4个增加到10个，新增的在哪些县？", "10个")


def test_quoted_figures_and_contractors_are_recognised():
    from assistant.answer.engine import _DISTINCT_FIGURE, ASKS_WHAT_FIGURE
    from assistant.zh import CONTRACTOR, PROGRESS, RECORDED_PAST

    assert _DISTINCT_FIGURE.findall("1207.16千克和5个和2025年") == ["1207.16", "2025"]
    assert ASKS_WHAT_FIGURE.search("这个数字指的是啥") and ASKS_WHAT_FIGURE.search("what does 80.36% refer to")
    assert CONTRACTOR.search("是哪家公司承建的") and CONTRACTOR.search("who won the tender")
    assert not CONTRACTOR.search("尾矿库运营、管理单位")
    assert PROGRESS.search("现在修复到什么程度了") and PROGRESS.search("去年全州化肥实际用了多少万吨")
    assert RECORDED_PAST.search("十三五期间已经完成多少个村")


def test_a_compound_or_short_list_topic_names_the_headings_it_joins():
    from assistant.answer.handlers.lists import topic_sections

    soil = "三、主要任务 > （一）土壤污染防治"
    sections = [f"{soil} > 1.加强土壤污染源头防控", f"{soil} > 3.农用地分类管理和安全利用",
                f"{soil} > 4.建设用地土壤污染状况调查", f"{soil} > 5.建设用地准入管理",
                "三、主要任务 > （二）地下水污染防治 > 4.地下水型饮用水水源保护",
                "四、保障措施 > （三）落实土壤污染防治工作方案"]
    # every word of a part must hold: 农用地 and 土壤 meet in heading 3 only
    assert topic_sections("农用地土壤", sections) == [sections[1]]
    # a word that starts headings names those (建设用地 -> 4. and 5.), not every heading it occurs in
    assert topic_sections("建设用地", sections) == [sections[2], sections[3]]
    # each part of a compound topic on its own; a heading inside another part's chapter is not repeated
    assert topic_sections("土壤和建设用地", sections) == [soil]
    assert topic_sections("建设用地和饮用水水源保护", sections) == [sections[2], sections[3], sections[4]]
    # a part naming no heading leaves the list unnarrowed, rather than narrowed by half the topic
    assert topic_sections("建设用地和秸秆", sections) == []


def test_responsible_set_against_lead_is_read_through_quotation_marks():
    from assistant.answer.handlers.lists import asked_role

    assert asked_role("哪些任务括号里写的是“州水利局负责”而不是“牵头”") == "responsible"


def test_an_english_unit_is_a_whole_word():
    from assistant.zh import unit_asked

    assert unit_asked("How many tonnes of plastic mulch film were recovered?") == "吨"
    assert unit_asked("How many mulch film recycling sites are there?") == "个"  # mulch is not mu: sites are counted
    assert unit_asked("How many mu of farmland are safely used?") == "亩"
    assert unit_asked("How many kilometres of pipeline?") == "公里"


def test_progress_after_the_plan_in_english_and_by_year():
    from assistant.zh import PROGRESS

    assert PROGRESS.search("What rate did Changji actually reach in 2024?")
    assert PROGRESS.search("这几个点位2024年的监测结果咋样")
    assert not PROGRESS.search("2025年要达到多少")  # a target, not progress


def test_a_counted_figure_may_use_another_counter_or_the_noun_counted():
    from assistant.zh import unit_pattern

    assert re.search(unit_pattern("家", "关停了多少家？"), "关停搬迁畜禽养殖场61个")  # 家 and 个 count the same things
    assert re.search(unit_pattern("个", "完成了几个县市？"), "完成全州7县(市)")  # the noun counted right after 几个
    assert not re.search(unit_pattern("吨", "回收了多少吨？"), "回收率为80.36%")
    assert re.search(unit_pattern("方", "多少方？"), "处理能力200立方米")


def test_what_is_measured_may_follow_the_unit():
    from assistant.zh import measured

    assert measured("昌吉州划了多少亩永久基本农田？") == "永久基本农田"
    assert measured("全州耕地总面积是多少亩") == "耕地总面积"


@pytest.mark.parametrize("question, pattern", [
    ("一年要测几次？", "ASKS_FREQUENCY"),
    ("How often must the wells be sampled?", "ASKS_FREQUENCY"),
    ("哪条河污染最严重？", "ASKS_RANKING"),
    ("修复工厂建在哪个县？", "ASKS_COUNTY"),
    ("去年哪个县没达标？", "PROGRESS"),
    ("What is the current share of Class V water?", "PROGRESS"),
    ("这俩水源地日供水量多少？", "MEASURE_ASKED"),
    ("调整结果是几月份报上去的？", "ASKS_MONTH"),
    ("这份规划是哪个单位编制的？", "PLAN_MAKING"),
    ("When was the plan issued?", "PLAN_MAKING"),
    ("Give the names and locations of the points.", "SPATIAL_DATA"),
    ("Which firms were fined last year under the Code?", "PROGRESS"),
    ("这几座填埋场还能用多少年？", "ASKS_LIFETIME"),
    ("What is the remaining capacity of the landfills?", "ASKS_LIFETIME"),
    ("How many units have already finished it?", "PROGRESS"),
    ("Where exactly will the new treatment plant be built?", "ASKS_COUNTY"),
    ("How much did each household pay per month?", "BUDGET"),
])
def test_asks_the_plan_cannot_answer_are_recognised(question, pattern):
    import assistant.zh as zh

    assert getattr(zh, pattern).search(question)


@pytest.mark.parametrize("question, pattern", [
    ("第二次全国污染源普查是哪年？", "ASKS_FREQUENCY"),  # 第二次 counts an event, it asks no frequency
    ("土壤污染重点监管单位最晚什么时候完成一轮排查？", "ASKS_RANKING"),  # 最晚 with no 哪 ranks nothing
    ("What is the current target for straw use?", "PROGRESS"),  # the plan's target, not a later record
    ("各县(市)在编制国土空间规划时要考虑什么？", "PLAN_MAKING"),  # planning done under the plan, not the plan's own
])
def test_questions_the_plan_answers_are_not_taken_for_those(question, pattern):
    import assistant.zh as zh

    assert not getattr(zh, pattern).search(question)


def test_frequency_is_said_with_a_number_not_with_regularly():
    from assistant.zh import FREQUENCY

    assert FREQUENCY.search("每十年至少组织开展一次") and FREQUENCY.search("至少每季度向社会公开")
    assert not FREQUENCY.search("定期组织开展周边土壤环境监测")
    assert not FREQUENCY.search("衔接第二次全国污染源普查成果，一次性补助")


def test_glossary_terms_match_however_their_words_are_joined():
    from assistant.answer.understand import Glossary

    glossary = Glossary({"black and odorous water": "黑臭水体", "soil-related": "土壤相关"})
    for typed in ("black, odorous water", "black-and-odorous water", "black & odorous water", "Black and odorous water"):
        assert "黑臭水体" in glossary.expand(f"Who handles {typed}?"), typed
    assert "土壤相关" in glossary.expand("soil related duties")
    assert "黑臭水体" not in glossary.expand("black water")
    # a law's 防治 may be rendered by one of its two words; elsewhere the full phrase is needed
    laws = Glossary({"water pollution prevention and control law": "水污染防治法", "pollution prevention and control": "污染防治"})
    assert "水污染防治法" in laws.expand("Is the Water Pollution Prevention Law still in force?")
    assert "污染防治" not in laws.expand("groundwater pollution prevention zones")
    short = Glossary({"water pollution prevention and control law": "水污染防治法", "water law": "水法",
                      "solid waste pollution prevention and control law": "固体废物污染环境防治法"})
    assert "水污染防治法" in short.expand("Is the Water Pollution Law repealed?")
    assert "固体废物污染环境防治法" in short.expand("Under the Solid Waste Law, what is the fine?")
    assert short.expand("Under the Water Law, who owns water?").endswith("水法")  # not the water pollution law


@pytest.mark.parametrize("question, action", [
    ("土壤污染重点监管单位周边的监测多久做一次？", ["监测"]),  # 做 says nothing: the word before 多久 does
    ("重点监管单位要向环保局报告什么？多久报一次？", ["报"]),  # the act between 多久 and 一次
    ("一年要测几次？", ["测"]),
    ("土壤法规定多久开展一次全国土壤污染状况普查？", []),  # 规定 / 开展 name no act: the subject decides
])
def test_the_act_a_how_often_question_asks_about(question, action):
    from assistant.zh import asked_action

    assert asked_action(question) == action


def test_a_word_is_mentioned_whole_or_by_most_of_its_bigrams():
    from assistant.conversation import _mentions

    assert _mentions("以头屯河、三屯河等流域为重点", "重点流域")
    assert not _mentions("以头屯河等流域为重点", "限养区")
    assert not _mentions("限制养殖的区域", "限养区")  # a short word must be there whole


def test_an_article_naming_kinds_is_told_from_one_listing_other_things():
    from assistant.answer.handlers.law import _names_kinds

    assert _names_kinds("将农用地划分为优先保护类、安全利用类和严格管控类。", "类")
    assert not _names_kinds("依照《土地管理法》、《森林法》、《草原法》的规定办理。", "类")
    assert not _names_kinds("对安全利用类农用地地块，应当采取措施。", "类")  # one kind named is no division


def test_a_year_and_asking_words_only_is_a_scan_of_that_year():
    from assistant.answer.understand import asks_year_only

    assert asks_year_only("2023年底前必须完成什么？") and asks_year_only("到2023年底要干完啥")
    assert asks_year_only("What must be done by the end of 2023?")
    assert not asks_year_only("到2025年呢")  # no asking word: a follow-up about a year, not a scan
    assert not asks_year_only("2025年秸秆综合利用率要达到多少？")  # a subject is named


def test_a_premise_said_of_the_plan_ends_at_the_first_stop_and_may_itself_ask():
    from assistant.answer.engine import PLAN_PREMISE
    from assistant.zh import ASKS_IN_PREMISE

    said = PLAN_PREMISE.search("规划说准东要建成危险废物焚烧中心，具体建在哪？")
    assert said and said.group(1) == "准东要建成危险废物焚烧中心" and not ASKS_IN_PREMISE.search(said.group(1))
    asked = PLAN_PREMISE.search("调查报告规划要求送到哪个部门？")
    assert asked and ASKS_IN_PREMISE.search(asked.group(1))


def test_a_one_character_topic_is_matched_as_a_character():
    from assistant.answer.handlers.lists import covers

    assert covers("水", "推进水产健康养殖") and not covers("水", "巩固提升耕地安全利用")


def test_shi_fou_is_never_corrected():
    corrector = TypoCorrector(["地下水是不受污染的", "调查报告应当包括地下水是否受到污染"])
    assert corrector.correct("地下水是否受污染")[0] == "地下水是否受污染"


def test_a_common_word_of_the_language_is_no_typo():
    texts = ["污染地块治少要隔离"]  # a corpus whose only near match would turn 至少 into 治少
    plain = TypoCorrector(texts)
    assert plain.correct("地块至少要隔多远")[0] == "地块治少要隔多远"
    knowing = TypoCorrector(texts, is_word=lambda pair: pair == "至少")
    assert knowing.correct("地块至少要隔多远")[0] == "地块至少要隔多远"


def test_the_clauses_that_give_a_figure_in_a_unit():
    from assistant.zh import figure_clauses

    text = "2020年农药使用商品量同比减少了4.55%,化肥施用量14.53万吨同比减少了200吨。规划范围:昌吉州5县2市"
    assert figure_clauses(text, "吨") == ["化肥施用量14.53万吨同比减少了200吨"]
    assert figure_clauses(text, "个", "包括几个县") == ["规划范围:昌吉州5县2市"]


def test_a_slip_in_a_quoted_catchword_is_corrected_wherever_it_is_typed():
    corrector = TypoCorrector(["以扭住“双源”(集中式地下水型饮用水源和地下水污染源)为重点", "用途变更为“一住两公”的地块"])
    text, changes = corrector.correct("“一住两工”的地块，一住两工指什么？")
    assert text == "“一住两公”的地块，一住两公指什么？" and changes == [("一住两工", "一住两公")]
    assert corrector.correct("“双源”指什么")[1] == []  # written as the corpus quotes it: nothing to correct
    assert corrector.correct("“双赢”指什么")[1] == []  # not the same sound: another word, not a slip


def test_a_particle_after_a_word_is_not_taken_for_a_key_terms_slip():
    corrector = TypoCorrector(["重点管控新污染物清单", "排污单位", "依法应当开展调查"], is_word=lambda w: w in {"清单", "还有"})
    assert corrector.correct("新污染物清单里有多少种？")[1] == []  # 清单 + 里, not 清单位
    assert corrector.correct("报告交给哪个单为？")[1] == [("单为", "单位")]  # a slip in the term itself still is
