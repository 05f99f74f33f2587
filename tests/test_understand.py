"""Decomposing two-part questions and the text each part is searched with (real plan, real bureaux)."""

import pytest

from assistant.answer.understand import Glossary, understand
from assistant.config import Settings


@pytest.fixture(scope="module")
def glossary():
    return Glossary.load(Settings().corpus_dir / "glossary_en.json")


def parts(question, corpus, glossary):
    return [intent.text for intent in understand(question, corpus, glossary)]


@pytest.mark.parametrize("question, first_words", [
    ("农药包装废弃物回收体系由谁牵头建？市监局有没有份？", "农药包装废弃物"),  # a bureau and fillers only
    ("耕地重金属污染成因排查由谁牵头？还有谁一起干？", "耕地重金属"),
    ("畜禽粪污综合利用率十三五干到多少了？十四五指标表定的目标又是多少？", "畜禽粪污"),  # column words only
])
def test_a_part_without_a_subject_of_its_own_is_searched_with_the_first(corpus, glossary, question, first_words):
    found = parts(question, corpus, glossary)
    assert len(found) == 2 and first_words in found[1], found


@pytest.mark.parametrize("question, first_words", [
    ("到2020年卫生厕所普及率是多少？十四五对农村改厕提了什么要求？", "卫生厕所普及率"),
    ("全州有几座城镇生活垃圾填埋场？其中具备水质监测井的有几家？", "几座"),  # points back, names its own subject
])
def test_a_part_with_its_own_subject_is_not_mixed_with_the_first(corpus, glossary, question, first_words):
    found = parts(question, corpus, glossary)
    assert len(found) == 2 and first_words not in found[1], found


def test_the_plans_own_period_is_not_a_search_term(corpus, glossary):
    intent = understand("“十四五”时期农村改厕有什么要求", corpus, glossary)[0]
    assert "十四五" in intent.text and "十四五" not in intent.search_text and "改厕" in intent.search_text
    assert understand("十四五", corpus, glossary)[0].search_text == "十四五"  # nothing else to search with


def test_two_part_answer_cites_the_paragraph_of_each_part(engine):
    answer = engine.ask("到2020年卫生厕所普及率是多少？十四五对农村改厕提了什么要求？")
    texts = [c.clause.text for c in answer.citations[:5]]
    assert any("卫生厕所普及率达到90.3%" in t for t in texts), texts
    assert any("改厕" in t and "卫生厕所普及率达到90.3%" not in t for t in texts), texts


def test_a_unit_counts_only_where_a_number_carries_it():
    from assistant.zh import states_figure_in

    assert states_figure_in("建成填埋场7座", "座") and states_figure_in("组建六个专项组", "个")
    assert states_figure_in("年处理14.53万吨", "吨")
    assert not states_figure_in("从多方面推进，一方面制定方案", "方")  # 方 of 方面/方案 is no figure
    assert states_figure_in("日供水2万立方米", "方")  # 多少方 is answered in 立方米


def test_the_plans_shorthand_is_searched_in_the_laws_words(corpus, glossary):
    """“一住两公”(住宅、公共管理与公共服务用地): the laws never say 一住两公."""
    intent = understand("法典对一住两公地块有什么要求", corpus, glossary)[0]
    assert "公共管理与公共服务用地" in intent.implied and "公共管理与公共服务用地" in intent.search_text
    assert understand("农村生活污水治理由谁牵头", corpus, glossary)[0].implied == ""


def test_a_plan_ask_and_a_law_ask_in_one_question_are_two_parts(engine):
    from assistant.answer.understand import understand

    both = understand("规划里整治涉重金属历史遗留固体废物这项谁牵头？法典里由哪个部门监督尾矿库运营单位？",
                      engine.corpus, engine.glossary)
    assert [i.kind for i in both] == ["lead_bureau", "law_article"]
    # the parts of a law question that share its law stay one question
    law = understand("土壤污染防治法第八十七条怎么罚？当时写的是哪个部门？", engine.corpus, engine.glossary)
    assert len(law) == 1 and law[0].kind == "law_article"


@pytest.mark.parametrize("question", ["Who is in charge of rural black and odorous water?",
                                      "Who oversees safe utilization of contaminated farmland?"])
def test_english_ways_of_asking_who_leads(engine, question):
    from assistant.answer.understand import understand

    assert understand(engine.normalise(question).text, engine.corpus, engine.glossary)[0].kind == "lead_bureau"


def test_a_glossary_term_is_matched_at_the_start_of_a_word():
    glossary = Glossary({"rate": "率", "farmland": "耕地"})
    assert "率" not in glossary.expand("a concentrated farmland area")  # "rate" inside "concentrated"
    assert "率" in glossary.expand("treatment rates") and "耕地" in glossary.expand("farmland")


@pytest.mark.parametrize("question", ["规划里提到受污染耕地安全利用，土壤法是咋规定的？",
                                      "规划要求划定畜禽养殖禁养区，畜牧法又如何规定？"])
def test_a_law_named_beside_its_own_ask_is_the_law_asked(corpus, glossary, question):
    # the plan is mentioned first, but the clause naming the law carries the ask (土壤法是咋规定的)
    assert understand(question, corpus, glossary)[-1].kind == "law_article"


def test_a_method_is_no_law_ask(corpus, glossary):
    # 方法怎么 is not a law's 法 followed by an ask
    assert all(i.kind != "law_article" for i in understand("规划里修复地块的方法怎么选？", corpus, glossary))


@pytest.mark.parametrize("name", ["Eco-Environment Code", "eco-environmental code", "Ecological Environmental Code"])
def test_the_code_is_recognised_however_its_english_name_is_varied(glossary, name):
    assert "生态环境法典" in glossary.expand(f"What does the {name} say about soil monitoring?")


@pytest.mark.parametrize("english, chinese", [("Who handles manure pollution prevention?", ["污染防治"]),
                                              ("How many administrative villages sort their waste?", ["行政村"]),
                                              ("What does the EIA Law require of builders?", ["环境影响评价法"]),
                                              ("How are projects classified?", ["分类管理"])])
def test_english_terms_officials_use_are_in_the_glossary(glossary, english, chinese):
    expanded = glossary.expand(english)
    assert all(word in expanded for word in chinese)
