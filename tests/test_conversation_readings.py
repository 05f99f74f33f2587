"""Follow-ups whose reading combines the follow-up's own words with the previous turn's task, indicator, bureau or
law article (written for these mechanisms, not taken from a benchmark set)."""

from __future__ import annotations

import re

from tests.test_conversation import converse


def test_a_topic_change_opener_is_not_joined_with_the_turn_before(engine):
    _, [_, (answer, reading)] = converse(engine, "秸秆综合利用率的目标是多少？", "换个问题：农田残膜回收率到2025年要达到多少？")
    assert reading.kind == "new" and "秸秆" not in reading.standalone
    assert "85%" in answer.text


def test_a_bureau_the_task_does_not_list_is_refused(engine):
    _, [_, (answer, reading)] = converse(engine, "“提升秸秆农膜回收利用水平”由哪个部门牵头？", "州水利局在这项任务里管什么？")
    assert reading.kind == "bureau" and answer.abstained
    assert "州水利局" in answer.text


def test_a_listed_bureau_is_asked_its_part_not_refused(engine):
    _, [_, (answer, reading)] = converse(engine, "“提升秸秆农膜回收利用水平”由哪个部门牵头？", "州工信局在这项任务里管什么？")
    assert reading.kind == "bureau" and not answer.abstained


def test_the_other_indicator_of_the_task_named_in_english(engine):
    _, [_, (answer, reading)] = converse(engine, "秸秆综合利用率2025年要达到多少？", "What about the plastic film recovery rate?")
    assert "90%" not in answer.text.split("\n")[1] or "85%" in answer.text


def test_the_plan_task_implementing_a_law_article(engine):
    _, [_, (answer, reading)] = converse(engine, "生态环境法典第四百四十五条规定了什么？", "规划中落实这一规定的任务由谁牵头？")
    assert reading.kind == "plan_task"
    assert "州自然资源局" in answer.text and "州农业农村局" in answer.text


def test_this_law_in_a_short_form_asked_whether_it_still_applies(engine):
    _, [_, (answer, reading)] = converse(engine, "土壤污染防治法第八十条讲的是什么？", "这法现在还管用吗？")
    assert "土壤污染防治法" in reading.standalone
    assert "废止" in answer.text and any(c.clause.clause_id == "生态环境法典#1242" for c in answer.citations)


def test_the_plans_task_for_the_article_just_discussed_asked_with_this(engine):
    # "规划里这项": the plan's task that carries the article, found by the article's wording
    _, [_, (answer, reading)] = converse(engine, "土壤污染防治法第十八条规定了什么？", "那咱们规划里这项谁来负责？")
    assert reading.kind == "plan_task" and "环境影响评价" in reading.standalone
    assert "州生态环境局" in answer.text and answer.citations[0].clause.source != "中华人民共和国土壤污染防治法"


def test_a_what_about_follow_up_replaces_only_the_parallel_word(engine):
    _, [_, (answer, reading)] = converse(engine, "十三五期间完成了多少个农用地土壤环境质量监测？", "那建设用地的呢？")
    assert reading.standalone.startswith("十三五期间完成了多少个建设用地土壤环境质量监测")
    assert "37个建设用地" in answer.text


def test_a_complete_question_after_lingwai_is_a_new_question(engine):
    _, [_, (answer, reading)] = converse(engine, "农村生活污水治理由哪个部门牵头？", "另外，基本原则一共有哪几条？")
    assert reading.kind == "new" and "污水" not in reading.standalone
    assert "保护优先" in answer.text


def test_an_item_of_a_list_under_a_numbered_heading(engine):
    _, [(listed, _), (answer, reading)] = converse(engine, "建设用地准入管理那部分，州自然资源局牵头的有哪几项？",
                                                  "第二项具体要求是什么？")
    second = listed.citations[1].clause
    assert reading.kind == "item" and second.title.rstrip("。") in reading.standalone
    assert answer.citations[0].clause.clause_id == second.clause_id and answer.citations[0].quote == second.text.strip()


def test_these_two_asks_the_question_of_each_thing_just_discussed(engine):
    _, [(first, _), (second, _), (answer, reading)] = converse(
        engine, "农村生活污水治理率2025年目标是多少？", "农村生活垃圾收运处置体系覆盖率呢？", "这两项分别由谁牵头？")
    assert reading.kind == "both" and reading.standalone.count("？") == 2
    cited = {c.clause.clause_id for c in answer.citations}
    # each part answered with its own task's note: sewage (州生态环境局牵头), waste (州住建局、州农业农村局联合牵头)
    assert "州生态环境局牵头" in answer.text and "州住建局" in answer.text and len(cited) >= 2
    assert any("生活污水" in c.clause.text for c in answer.citations)
    assert any("垃圾" in c.clause.text for c in answer.citations)


def test_a_penalty_follow_up_after_a_plan_requirement_is_asked_of_the_laws(engine):
    _, [_, (answer, reading)] = converse(engine, "规划对建设用地土壤污染风险管控和修复名录内地块有什么要求？", "违反了怎么罚？")
    assert reading.kind == "penalty" and answer.citations[0].clause.kind == "law"
    assert "罚款" in answer.citations[0].quote


def test_a_later_year_actual_asked_of_an_indicator_is_progress_the_plan_does_not_record(engine):
    _, [_, (answer, _)] = converse(engine, "受污染耕地安全利用率的目标是多少？", "2024年这个指标实际到多少了？")
    assert answer.abstained and "进度" in answer.text


def test_an_english_follow_up_naming_another_task_is_its_own_question(engine):
    _, [_, (answer, reading)] = converse(engine, "秸秆综合利用谁牵头？", "And which bureau leads the aquaculture tail-water work?")
    assert reading.kind == "new" and "水产" in answer.citations[0].clause.text


def test_a_bureau_list_asked_over_the_whole_plan_is_its_own_question(engine):
    _, [_, (answer, reading)] = converse(engine, "秸秆综合利用谁牵头？", "那州住建局在整个规划里牵头的有哪几项？")
    assert reading.kind == "new" and answer.intents == ["list_by_bureau"] and len(answer.citations) >= 2


def test_later_results_asked_of_what_was_just_discussed_are_refused(engine):
    _, [_, (answer, _)] = converse(engine, "地下水国考点位有几个？", "这几个点位2024年的监测结果咋样？")
    assert answer.abstained and "进度" in answer.text


def test_an_english_follow_up_asking_about_its_own_things_stands_alone(engine):
    _, [_, (answer, reading)] = converse(engine, "到2020年昌吉州农村卫生厕所普及率是多少？",
                                         "And what share of villages had sewage treatment facilities?")
    assert reading.kind == "new" and "卫生厕所" not in reading.standalone
    assert any("有处理设施的村占比" in c.clause.text for c in answer.citations)


def test_a_named_law_asked_about_the_plan_task_just_discussed(engine):
    _, [_, (answer, reading)] = converse(engine, "“严格建设项目土壤环境影响评价制度”由谁牵头？", "土壤法里对这个是哪一条规定的？")
    assert reading.kind == "law" and "严格建设项目土壤环境影响评价制度" in reading.standalone
    assert answer.citations[0].clause.source == "中华人民共和国土壤污染防治法" and "环境影响评价" in answer.citations[0].quote


def test_the_codes_article_for_a_plan_paragraph_is_the_law_shown_beside_it(engine):
    # the plan answer showed the Code's closest article as 法律依据; 法典里对应哪条 asks for it
    _, [(first, _), (answer, reading)] = converse(engine, "受污染耕地安全利用的要求是什么？", "法典里对应哪条？")
    shown = [c.clause.clause_id for c in first.citations if c.role == "法律依据"]
    assert shown and reading.kind == "law" and engine.corpus.by_id[shown[0]].article in reading.standalone
    assert not answer.abstained and answer.citations[0].clause.clause_id == shown[0]


def test_the_legal_basis_of_a_plan_sentence_is_searched_with_that_sentence(engine):
    _, [_, (answer, reading)] = converse(engine, "严格建设用地准入由哪个部门牵头？", "法律依据是哪条？")
    assert reading.kind == "law" and "准入管理" in reading.standalone
    assert not answer.abstained and answer.citations[0].clause.kind == "law" and "名录" in answer.citations[0].quote


def test_the_code_named_in_a_correspondence_ask_is_the_other_side_of_the_law_discussed(engine):
    _, [_, (answer, reading)] = converse(engine, "土壤污染防治法第二十一条规定了什么？", "生态环境法典里对应哪条？")
    assert reading.kind == "code" and "第二十一条" in reading.standalone
    assert any(c.clause.clause_id == "生态环境法典#414" for c in answer.citations)


def test_a_bureaus_part_after_a_law_turn_is_asked_of_the_task_before_it(engine):
    _, turns = converse(engine, "严格建设用地准入由哪个部门牵头？", "法典里对应哪条？", "州住建局参与这项工作吗？")
    answer, reading = turns[2]
    assert reading.kind == "bureau" and "准入" in reading.standalone
    assert "州住建局在参与单位之列" in answer.text


def test_an_indicators_source_asked_as_which_file(engine):
    _, [_, (answer, reading)] = converse(engine, "废弃农膜回收利用率的目标是多少？", "这个指标出自哪个文件？")
    assert "来源" in reading.standalone and "国民经济和社会发展" in answer.text


def test_a_frequency_the_texts_do_not_state_is_refused_in_a_follow_up(engine):
    _, [_, (answer, _)] = converse(engine, "重点监管单位周边土壤监测由谁负责？", "一年测几次？")
    assert answer.abstained and "频次" in answer.text and not answer.citations


def test_shuo_dian_bie_de_opens_a_new_question(engine):
    _, [_, (answer, reading)] = converse(engine, "地下水污染修复试点由哪个部门牵头？",
                                         "说点别的，耕地土壤环境质量类别划分完成了几个县市？")
    assert reading.kind == "new" and "说点别的" not in reading.standalone and "7县" in answer.text


def test_who_provided_an_indicators_figure_is_its_source_column(engine):
    _, [_, (answer, reading)] = converse(engine, "农村生活污水治理率的目标是多少？", "这个指标数据是谁提供的？")
    assert reading.kind == "source" and "来源" in reading.standalone and "自治区生态环境保护" in answer.text


def test_can_a_law_still_be_cited_is_its_status(engine):
    _, [_, (answer, reading)] = converse(engine, "农村黑臭水体整治由哪个部门牵头？", "水污染防治法现在还能引用吗？")
    assert reading.kind == "valid" and "废止" in answer.text
    assert any(c.clause.clause_id == "生态环境法典#1242" for c in answer.citations)


def test_the_last_item_of_a_list_just_given(engine):
    _, [(listed, _), (answer, reading)] = converse(engine, "州自然资源局牵头哪些土壤方面的任务？", "最后一项具体什么要求？")
    last = re.findall(r"^\d+\.\s*(.+?)\[\d+\]", listed.text, flags=re.M)[-1]
    assert reading.kind == "item" and last in reading.standalone
    assert not answer.abstained and last in answer.text


def test_na_before_a_whole_question_of_its_own_is_no_link(engine):
    _, [_, (answer, reading)] = converse(engine, "地下水污染防治重点区划定由谁牵头？",
                                         "那全州有几座城镇生活垃圾填埋场达到二级无害化标准")
    assert reading.kind == "new" and "重点区" not in reading.standalone and "7座" in answer.text


def test_na_before_a_short_or_pointing_question_still_leans_on_the_turn_before(engine):
    _, [_, (_, reading)] = converse(engine, "详查查明了几个高风险地块？", "那3个地块修复完了没有？")
    assert reading.kind != "new"


def test_lingwai_before_a_new_subject_opens_a_new_question(engine):
    _, [_, (answer, reading)] = converse(engine, "“十三五”期间关停搬迁禁养区畜禽养殖场多少个？",
                                         "另外，到2035年农业面源污染要达到什么目标？")
    assert reading.kind == "new" and "禁养区" not in reading.standalone and "有效遏制" in answer.text


def test_when_a_target_is_due_is_a_deadline_not_the_target(engine):
    _, [_, (answer, reading)] = converse(engine, "农村生活垃圾分类减量由谁牵头？", "全覆盖的目标啥时候要做到？")
    assert reading.kind != "target" and "2025年" in answer.text


def test_an_english_pronoun_follow_up_is_asked_of_the_tasks_paragraphs(engine):
    _, [_, (answer, reading)] = converse(engine, "Who leads the prevention of livestock and poultry farming pollution?",
                                         "What does it require new large-scale farms to build?")
    assert reading.kind == "pronoun" and answer.citations[0].clause.clause_id == "plan-095"
    assert "配套建设" in answer.text


def test_which_document_a_text_target_rests_on_is_its_table_rows_source(engine):
    _, [_, (answer, reading)] = converse(engine, "农田残膜回收率要达到多少？", "按照哪个文件定的？")
    assert reading.kind == "source" and "废弃农膜回收利用率" in reading.standalone
    assert "远景目标纲要" in answer.text


def test_a_period_and_a_rise_name_no_new_subject(engine):
    _, [_, (answer, reading)] = converse(engine, "2020年畜禽粪污综合利用率是多少？", "十四五末要提高到多少？")
    assert reading.kind == "target" and "80%" in answer.text


def test_the_2035_vision_after_a_2025_target_is_the_plans_vision(engine):
    _, [_, (answer, reading)] = converse(engine, "到2025年受污染耕地安全利用率目标是多少？", "那2035年的远景呢？")
    assert reading.standalone == "到2035年的远景目标是什么？"
    assert answer.citations[0].clause.clause_id == "plan-043"


def test_which_units_assist_asked_in_english(engine):
    _, [_, (answer, reading)] = converse(engine, "Who leads the protection of rural centralized drinking water sources?",
                                         "Which units assist with it?")
    assert reading.kind == "participants" and "州水利局" in answer.text
    assert answer.citations[0].clause.clause_id == "plan-104"


def test_a_task_in_the_plan_asked_with_zheyixiang_after_a_law_turn(engine):
    _, [_, (answer, reading)] = converse(engine, "土壤污染防治法第六十七条规定了什么？", "规划里这一项由哪个部门牵头？")
    assert reading.kind == "plan_task" and "州生态环境局" in answer.text
    assert answer.citations[0].clause.clause_id == "plan-067"  # 开展土壤污染状况调查评估, the task article 67 is about


def test_how_long_the_facilities_just_named_will_last_is_refused(engine):
    _, [_, (answer, _)] = converse(engine, "全州有几座城镇生活垃圾填埋场达到二级无害化标准？", "它们还能用多久？")
    assert answer.abstained and "使用年限" in answer.text and not answer.citations


def test_whether_the_plan_says_what_the_law_says_is_the_tasks_content(engine):
    _, [_, (answer, reading)] = converse(engine, "土壤污染防治法第六十七条规定了什么？", "规划里也这么要求吗？")
    assert reading.kind == "plan_task" and "要求" in reading.standalone
    assert answer.citations[0].clause.kind == "plan" and "不动产登记" in answer.text


def test_an_item_of_a_chapters_list_counted_in_tiao(engine):
    _, [_, (answer, reading)] = converse(engine, "规划的基本原则有哪几条？", "第二条讲的是什么？")
    assert reading.kind == "item" and "问题导向" in reading.standalone
    assert answer.citations[0].clause.clause_id == "plan-037"


def test_a_bureau_named_by_its_short_form_and_nabian(engine):
    _, [_, (answer, reading)] = converse(engine, "提升秸秆农膜回收利用水平由谁牵头？", "工信那边干啥的？")
    assert reading.kind == "bureau" and "州工信局" in reading.standalone and "州工信局在参与单位之列" in answer.text
    assert answer.citations[0].clause.clause_id == "plan-094"


def test_what_a_task_is_supposed_to_achieve_asked_in_english(engine):
    _, [_, (answer, reading)] = converse(engine, "Who leads rural domestic sewage treatment?",
                                         "What is it supposed to achieve by 2025?")
    assert reading.kind == "target" and "30%左右" in answer.text
    assert answer.citations[0].clause.clause_id == "plan-049"


def test_zhe_kuai_gong_zuo_points_back_at_the_indicator(engine):
    _, [_, (answer, reading)] = converse(engine, "农村生活污水治理率怎么算？", "这块工作归谁牵头？")
    assert reading.kind == "pronoun" and "州生态环境局牵头" in answer.text
    assert answer.citations[0].clause.clause_id == "plan-099"


def test_the_plan_task_of_a_law_article_when_one_task_alone_says_it(engine):
    _, [_, (answer, reading)] = converse(engine, "土壤污染防治法第五十条规定了什么？", "规划里是哪个部门负责落实这个？")
    assert reading.kind == "plan_task" and answer.citations[0].clause.clause_id == "plan-064"
    assert "州自然资源局" in answer.text


def test_a_quoted_term_asked_to_be_explained_is_a_new_question(engine):
    _, [_, (answer, reading)] = converse(engine, "到2023年要完成哪些地下水调查？", "“一企一库”是啥意思？")
    assert reading.kind == "new" and "尾矿库" in answer.text and answer.citations[0].clause.clause_id == "plan-082"
