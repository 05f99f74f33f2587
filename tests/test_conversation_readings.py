"""Follow-ups whose reading combines the follow-up's own words with the previous turn's task, indicator, bureau or
law article (written for these mechanisms, not taken from a benchmark set)."""

from __future__ import annotations

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


def test_a_what_about_follow_up_replaces_only_the_parallel_word(engine):
    _, [_, (answer, reading)] = converse(engine, "十三五期间完成了多少个农用地土壤环境质量监测？", "那建设用地的呢？")
    assert reading.standalone.startswith("十三五期间完成了多少个建设用地土壤环境质量监测")
    assert "37个建设用地" in answer.text


def test_a_complete_question_after_lingwai_is_a_new_question(engine):
    _, [_, (answer, reading)] = converse(engine, "农村生活污水治理由哪个部门牵头？", "另外，基本原则一共有哪几条？")
    assert reading.kind == "new" and "污水" not in reading.standalone
    assert "保护优先" in answer.text
