"""Follow-up questions read against the conversation, through the real engine and corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.conversation import Conversation, Turn, read_followup, restore_answer
from assistant.conversation_eval import evaluate_conversations, load_conversations

DEV = Path(__file__).parent / "regression" / "conversations_dev.jsonl"
# was blind, declared a tuning set once its first look was taken (benchmarks/README.md)
TUNING = Path(__file__).parent.parent / "benchmarks" / "questions" / "conversations.jsonl"


def converse(engine, *questions):
    conversation = Conversation(engine)
    return conversation, [conversation.ask(q) for q in questions]


def test_a_question_that_stands_on_its_own_is_left_alone(engine):
    _, [(_, first), (answer, second)] = converse(engine, "州工信局牵头哪些任务？", "土壤污染防治法第二十一条规定了什么？")
    assert not first.rewritten and not second.rewritten and second.understood == ""
    assert not answer.text.startswith("理解为") and answer.citations[0].clause.clause_id == "土壤污染防治法#21"


def test_without_history_nothing_is_rewritten(corpus):
    assert read_followup("那它的目标是多少？", [], corpus).standalone == "那它的目标是多少？"


def test_target_of_the_task_asked_before(engine):
    # the first report: refused before, found when asked on its own
    _, [_, (answer, reading)] = converse(engine, "畜禽粪污资源化利用谁负责？", "那它的目标是多少？")
    assert reading.kind == "target" and "畜禽粪污综合利用率" in reading.standalone
    assert answer.text.startswith(f"理解为：{reading.standalone}\n")
    assert not answer.abstained and "≥80%" in answer.text
    assert answer.notes[0] == reading.understood


def test_participants_and_another_bureau_of_the_same_task(engine):
    _, turns = converse(engine, "农村黑臭水体整治由哪个部门牵头？", "参与单位呢？", "州农业农村局呢？")
    (_, _), (participants, r2), (bureau, r3) = turns
    assert r2.kind == "participants" and "持续开展排查整治农村黑臭水体污染" in r2.standalone
    assert participants.citations[0].clause.clause_id == "plan-101" and "州农业农村局参与" in participants.text
    assert r3.kind == "bureau" and r3.standalone.startswith("州农业农村局")
    assert bureau.citations[0].clause.clause_id == "plan-101"


def test_same_list_question_for_another_bureau_then_an_item(engine):
    _, turns = converse(engine, "州工信局牵头哪些任务？", "州自然资源局呢？", "第二项呢")
    assert turns[1][1].standalone == "州自然资源局牵头哪些任务？"
    second_item_title = next(line for line in turns[1][0].text.split("\n") if line.startswith("2. "))
    assert "合理规划污染地块用途" in second_item_title
    answer, reading = turns[2]
    assert reading.kind == "item" and "合理规划污染地块用途" in reading.standalone
    assert answer.citations[0].clause.clause_id == "plan-071"


def test_indicator_kind_and_year(engine):
    _, turns = converse(engine, "农村生活污水治理由哪个部门牵头？", "它的目标是多少？", "这个指标是约束性的吗？")
    assert "30%左右" in turns[1][0].text
    assert turns[2][1].kind == "kind" and "约束性" in turns[2][0].text
    assert turns[2][0].citations[0].clause.clause_id == "plan-049"
    _, turns = converse(engine, "到2025年地下水水质的目标是什么？", "2035年呢？")
    assert turns[1][1].kind == "year" and "2035" in turns[1][1].standalone
    assert turns[1][0].citations[0].clause.clause_id == "plan-043"


def test_law_validity_and_code_article(engine):
    _, turns = converse(engine, "土壤污染防治法第二十一条规定了什么？", "这部法现在还有效吗？", "法典里对应哪条？")
    valid, reading = turns[1]
    assert reading.kind == "valid" and reading.law == "中华人民共和国土壤污染防治法" and reading.article == "第二十一条"
    # the currency answer rests on the repealing article; the article under discussion stays cited
    assert "已废止" in valid.text and "2026年8月15日" in valid.text
    assert valid.citations[0].clause.clause_id == "生态环境法典#1242"
    assert any(c.clause.clause_id == "土壤污染防治法#21" for c in valid.citations)
    code, reading = turns[2]
    assert reading.kind == "code" and any(c.clause.clause_id == "生态环境法典#414" for c in code.citations)
    _, turns = converse(engine, "水法第十条规定了什么？", "这部法现在还有效吗？")
    assert "水法》现行有效" in turns[1][0].text


def test_english_follow_ups(engine):
    _, turns = converse(engine, "Which bureau leads rural domestic sewage treatment?", "What is its target?",
                        "Is this indicator binding?")
    assert turns[1][1].kind == "target" and "30%左右" in turns[1][0].text
    assert turns[2][1].kind == "kind" and "约束性" in turns[2][0].text


def test_restored_answer_renders_like_the_original(engine):
    original = engine.ask("土壤污染防治法第二十一条规定了什么？")
    again = restore_answer(json.loads(json.dumps(original.to_json())), engine.corpus)
    assert again.to_json() == original.to_json()
    assert again.citations[0].clause is engine.corpus.by_id["土壤污染防治法#21"]


@pytest.mark.parametrize("path", [DEV, TUNING], ids=["dev", "tuning"])
def test_dev_conversations_follow_ups_are_answered(engine, path):
    groups = load_conversations(path)
    assert len(groups) >= 40
    report = evaluate_conversations(groups, engine)
    figures = report.followup.figures()
    assert figures["questions"] >= 60
    assert figures["fully_correct"] >= 0.9, report.render()
    assert report.opening.figures()["fully_correct"] >= 0.9, report.render()


def test_malformed_conversation_file_names_the_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "type": "fact", "question": "q", "conversation": "c1", "turn": 2}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="expected 1..1"):
        load_conversations(bad)
    bad.write_text('{"id": "a", "type": "fact", "question": "q"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_conversations(bad)


def test_batch_conversations_keep_ids_and_order(built_settings, tmp_path, capsys):
    from assistant.cli import main

    src = tmp_path / "in.jsonl"
    lines = [{"id": "a1", "question": "农村黑臭水体整治由哪个部门牵头？", "conversation": "A"},
             {"id": "s1", "question": "参与单位呢？"},  # stands alone: no conversation
             {"id": "b1", "question": "州工信局牵头哪些任务？", "conversation": "B"},
             {"id": "a2", "question": "参与单位呢？", "conversation": "A"},
             {"id": "b2", "question": "州自然资源局呢？", "conversation": "B"}]
    src.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["ask", "--batch", str(src), "--out", str(out)]) == 0
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a1", "s1", "b1", "a2", "b2"]
    by_id = {r["id"]: r for r in records}
    assert by_id["a2"]["conversation"] == "A" and by_id["a2"]["turn"] == 2
    assert by_id["a2"]["understood"].startswith("理解为：") and by_id["a2"]["citations"][0]["clause_id"] == "plan-101"
    assert by_id["b2"]["standalone"] == "州自然资源局牵头哪些任务？"
    assert "conversation" not in by_id["s1"] and not by_id["s1"]["answer"].startswith("理解为")


# ------------------------------------------------------------------ mechanisms added for the tuning conversations


def test_code_counterpart_asked_is_quoted_whole(engine):
    # "法典里对应哪条？": the Code article is the answer, so all of it is quoted, not the sentences nearest the old one
    _, turns = converse(engine, "土壤污染防治法第二十一条规定了什么？", "法典里对应哪条？")
    answer, reading = turns[1]
    code = next(c for c in answer.citations if c.role == "法典对应条款")
    assert reading.kind == "code" and code.quote == code.clause.text
    # beside an article asked on its own, the counterpart stays a short note
    note = next(c for c in turns[0][0].citations if c.role == "法典对应条款")
    assert len(note.quote) <= len(note.clause.text)


def test_what_a_law_repeals_and_whether_it_repeals_one(engine, corpus):
    _, turns = converse(engine, "生态环境法典第一条规定了什么？", "它同时废止了哪些法律？")
    answer, reading = turns[1]
    assert reading.kind == "repeals" and "生态环境法典" in reading.standalone
    repealed = [law for law in corpus.laws if law.repealed_by == "中华人民共和国生态环境法典"]
    assert answer.citations[0].clause.clause_id == repealed[0].repeal_clause_id
    assert all(law.name in answer.text for law in repealed)
    # English, naming the law: that law's status, which rests on the repealing article
    _, turns = converse(engine, "Is the Ecological Environment Code in force?",
                        "Does it repeal the Water Pollution Prevention and Control Law?")
    answer, reading = turns[1]
    assert reading.kind == "valid" and reading.law == "中华人民共和国水污染防治法"
    assert answer.citations[0].clause.clause_id == repealed[0].repeal_clause_id and "已废止" in answer.text


def test_passive_repeal_is_the_status_of_the_law_discussed(engine):
    _, turns = converse(engine, "土壤污染防治法第二十一条规定了什么？", "它被废止了吗？")
    assert turns[1][1].kind == "valid" and turns[1][1].law == "中华人民共和国土壤污染防治法"


def test_a_follow_up_asking_for_a_person_keeps_its_ask_and_abstains(engine):
    _, turns = converse(engine, "农村黑臭水体整治由哪个部门牵头？", "那负责人是谁？", "联系电话呢？")
    for answer, reading in turns[1:]:
        assert reading.kind == "context" and "持续开展排查整治农村黑臭水体污染" in reading.standalone
        assert answer.abstained and answer.text.startswith("理解为：")


def test_bureau_membership_of_the_task_discussed(engine):
    # the task is named by its exact title, so the answer rests on it, not on another task naming the bureau
    _, turns = converse(engine, "农村黑臭水体整治由哪个部门牵头？", "州水利局在这项里吗？", "州农业农村局呢？")
    (absent, r2), (present, r3) = turns[1], turns[2]
    assert r2.kind == "bureau" and absent.citations[0].clause.clause_id == "plan-101"
    assert "州水利局不在这项任务的责任单位之列" in absent.text
    assert present.citations[0].clause.clause_id == "plan-101" and "州农业农村局在参与单位之列" in present.text


def test_quoted_task_title_is_that_task(engine, corpus):
    resp = next(r for r in corpus.facts.responsibilities if r.clause_id == "plan-085")
    answer = engine.ask(f"州住建局在“{resp.title.rstrip('。')}”中负责什么？")
    assert answer.citations[0].clause.clause_id == "plan-085" and "州住建局不在" in answer.text


def test_an_item_follow_up_asks_its_own_question_and_the_list_is_remembered(engine):
    _, turns = converse(engine, "州农业农村局牵头哪些任务？", "第二项具体要求什么？", "第一项呢？")
    items = [line for line in turns[0][0].text.split("\n") if re.match(r"\d+\. ", line)]
    first, second = (re.sub(r"^\d+\.\s*|\[\d+\].*$", "", items[i]).strip() for i in (0, 1))
    (answer2, r2), (answer3, r3) = turns[1], turns[2]
    assert r2.kind == "item" and second in r2.standalone and r2.standalone.endswith("具体要求什么？")
    assert not answer2.abstained and "由哪个部门" not in r2.standalone
    # 第一项呢？ two turns after the list: the same question of the first item
    assert r3.kind == "item" and first in r3.standalone and r3.standalone.endswith("具体要求什么？")


def test_a_number_asked_after_a_definition_is_asked_of_the_indicator(engine):
    _, turns = converse(engine, "农村生活污水治理率是怎么定义的？", "2025年的目标是多少？")
    answer, reading = turns[1]
    assert reading.kind == "year" and "定义" not in reading.standalone and "多少" in reading.standalone
    assert "30%左右" in answer.text


def test_another_detail_of_the_clause_just_cited_without_a_pronoun(engine, corpus):
    # no 它/呢, but every word it has is in the paragraph just cited and none re-names the previous subject
    # long enough to stand alone, it is asked as typed first, and kept because it rests on the same paragraph
    _, turns = converse(engine, "十三五纳入土壤重点监管范围的企业有多少家？", "完成了哪两个减排项目？")
    answer, reading = turns[1]
    assert reading.kind == "context" and reading.standalone == "完成了哪两个减排项目？"
    cited = turns[0][0].citations[0].clause
    assert answer.citations[0].clause.clause_id == cited.clause_id
    assert "自行关停减排" in answer.text and "减排工程" in answer.text


def test_a_question_that_names_its_subject_again_is_not_carried(engine):
    _, turns = converse(engine, "农村生活污水治理由哪个部门牵头？", "农村生活污水治理率的目标是多少？")
    assert turns[1][1].kind == "standalone" and "30%左右" in turns[1][0].text


def test_continues_evidence_needs_every_word_in_the_evidence(corpus):
    from assistant.conversation import Subject, continues_evidence

    subject = Subject(question="十三五重点监管企业有多少家？", phrase="十三五重点监管企业", evidence=["plan-011"])
    assert continues_evidence("完成两个减排项目", subject, corpus)
    assert not continues_evidence("农膜回收率", subject, corpus)  # words the paragraph lacks: a new question
    assert not continues_evidence("重点监管企业名录", subject, corpus)  # re-names the subject: stands alone


def test_the_old_article_a_code_article_carries(engine):
    from assistant import currency

    _, turns = converse(engine, "生态环境法典第四百一十四条规定了什么？", "原来土壤法是哪一条？")
    answer, reading = turns[1]
    carried = next(c for c in currency.replaced_articles("第四百一十四条", engine.correspondences)
                   if c.law == "中华人民共和国土壤污染防治法")
    assert reading.kind == "article" and carried.article in reading.standalone
    assert answer.citations[0].clause.clause_id == carried.clause_id
    # a question about another topic of that law is its own question
    _, turns = converse(engine, "生态环境法典第四百一十四条规定了什么？", "土壤法哪一条规定了农用地分类管理？")
    assert turns[1][1].kind == "standalone"


def test_the_indicator_the_follow_up_names_wins_over_the_carried_one(engine, corpus):
    _, turns = converse(engine, "畜禽粪污资源化利用谁负责？", "农膜回收那个指标是约束性的吗？")
    answer, reading = turns[1]
    row = next(t for t in corpus.facts.targets if t.origin == "table" and "农膜" in t.indicator)
    assert reading.kind == "kind" and row.indicator in reading.standalone
    assert answer.citations[0].clause.clause_id == row.clause_id and row.kind in answer.text


def test_row_named_needs_a_clear_winner(corpus):
    from assistant.conversation import _row_named

    assert _row_named("这个指标是约束性的吗？", corpus) is None  # names nothing: the carried indicator is used
    assert _row_named("畜禽粪污那个指标的基期呢？", corpus).indicator == "畜禽粪污综合利用率"


def test_a_year_without_a_figure_gives_the_counterpart_goal_in_words_or_abstains(engine, corpus):
    # the indicator has a 2025 figure; the 2035 goals say in words what becomes of the same thing
    _, turns = converse(engine, "受污染耕地安全利用率2025年目标是多少？", "2035年呢？")
    answer, reading = turns[1]
    assert reading.kind == "year" and "2035" in reading.standalone
    assert not answer.abstained and "没有给出" in answer.text
    cited = answer.citations[0]
    goals = {t.sentence for t in corpus.facts.targets if t.year == 2035 and t.origin == "text"}
    assert any(g in cited.quote for g in goals) and "耕地" not in cited.quote  # the counterpart, not the row again
    # a task's figure with no counterpart among the 2035 goals: no answer is made up
    _, turns = converse(engine, "农村生活垃圾分类由哪个部门牵头？", "它的目标是多少？", "2035年呢？")
    assert turns[2][0].abstained


def test_a_qualitative_goal_is_quoted_with_its_sentence(engine, corpus):
    answer = engine.ask("到2035年，农业面源污染要治到什么程度？")
    clause = corpus.by_id[answer.citations[0].clause.clause_id]
    assert "得到有效遏制" in answer.text and answer.citations[0].quote in clause.text
    assert len(answer.citations[0].quote) > len("农业面源污染得到有效遏制")


def test_the_same_question_of_another_chapter(engine):
    _, turns = converse(engine, "土壤那一章里州农业农村局牵头哪些任务？", "What about the rural chapter?")
    answer, reading = turns[1]
    assert reading.kind == "scope" and "州农业农村局" in reading.standalone and "农业农村" in reading.standalone
    first = {c.clause.clause_id for c in turns[0][0].citations}
    assert answer.citations and not first & {c.clause.clause_id for c in answer.citations}


def test_the_same_question_of_another_subject(engine, corpus):
    _, turns = converse(engine, "畜禽粪污综合利用率的目标是多少？", "那秸秆呢？")
    answer, reading = turns[1]
    assert reading.kind == "topic" and "秸秆" in reading.standalone and "畜禽" not in reading.standalone
    stated = next(t for t in corpus.facts.targets if "秸秆" in t.indicator)
    assert answer.citations[0].clause.clause_id == stated.clause_id and stated.target in answer.text


def test_a_short_question_naming_its_own_subject_is_not_carried(engine):
    # two characters of content, but a subject the corpus knows and the conversation had not asked about
    _, turns = converse(engine, "农村黑臭水体整治由哪个部门牵头？", "秸秆的目标是多少？")
    assert turns[1][1].kind == "standalone" and not turns[1][0].text.startswith("理解为")
    # an asking noun (单位, 要求) is no subject: 参与单位呢？ still carries the task
    _, turns = converse(engine, "农村黑臭水体整治由哪个部门牵头？", "参与单位呢？")
    assert turns[1][1].kind == "participants"


def test_new_topics_are_nouns_the_corpus_has(corpus):
    from assistant.conversation import Subject, new_topics

    subject = Subject(question="农村黑臭水体整治由哪个部门牵头？", phrase="农村黑臭水体整治")
    assert new_topics("秸秆", subject, corpus) == ["秸秆"]
    assert new_topics("完成", subject, corpus) == []  # a verb names no subject
    assert new_topics("参与单位", subject, corpus) == []  # an asking noun
    assert new_topics("黑臭水体", subject, corpus) == []  # the subject already asked about


def test_how_is_it_punished_after_a_law_article(engine):
    # the duty the article sets is asked of the penalties; a repealed law's penalty is the Code's today
    _, turns = converse(engine, "水污染防治法第六十六条规定了什么？", "怎么罚？")
    answer, reading = turns[1]
    assert reading.kind == "penalty" and "饮用水水源二级保护区" in reading.standalone
    assert not answer.abstained and "罚款" in answer.citations[0].quote


def test_english_what_about_asks_the_previous_question_of_the_new_subject(engine):
    _, turns = converse(engine, "Who leads rural domestic sewage treatment?", "What about agricultural film?")
    answer, reading = turns[1]
    assert reading.kind == "topic" and "农膜" in reading.standalone and "牵头" in reading.standalone
    assert not answer.abstained and "牵头" in answer.text


def test_a_tasks_indicator_is_matched_to_its_own_table_row_or_none(engine, corpus):
    from assistant.conversation import _table_row

    bare = next(t for t in corpus.facts.targets if t.origin == "text" and t.indicator == "利用率")
    assert _table_row(bare, corpus) is None  # a bare 利用率 is no row's name
    _, turns = converse(engine, "化肥农药减量增效谁牵头？", "它的基期呢？")
    answer, reading = turns[1]
    row = answer.citations[0].clause.clause_id
    assert reading.kind == "baseline" and "化肥" in reading.standalone
    assert any(t.clause_id == row and t.origin == "table" and "化肥" in t.indicator for t in corpus.facts.targets)


def test_which_of_them_are_repealed_is_about_the_set_listed_not_one_law(engine):
    _, turns = converse(engine, "规划引用了哪些法律？", "其中哪些已经废止了？")
    answer, reading = turns[1]
    assert reading.kind == "context" and reading.standalone.startswith("规划引用了哪些法律")
    assert "legal_bases" in answer.intents and "已废止" in answer.text


# -- a reading checked against the other ways to read the follow-up (answer_followup) ---------------------


def test_a_follow_up_typed_with_a_slip_is_read_against_the_conversation(engine):
    # 参于 for 参与: spelled right before it is read, or the conversation's task is lost
    _, [_, (answer, reading)] = converse(engine, "农村黑臭水体治理由哪个部门牵头？", "参于单位呢？")
    assert reading.kind == "participants" and "黑臭水体" in reading.standalone
    assert not answer.abstained and "州农业农村局" in answer.text
    assert "黑臭水体" in answer.citations[0].clause.text


def test_a_common_word_is_not_taken_for_a_slip(engine):
    assert engine.normalise("这一行的来源是哪份文件？").changes == []  # 一行 is a word, not 施行 mistyped
    assert engine.normalise("农村污水治理谁签头？").changes == [("签头", "牵头")]


def test_subject_words_are_what_the_follow_up_names(corpus):
    from assistant.conversation import subject_words

    assert subject_words("新污染物那项谁牵头？", corpus) == ["新污染物"]  # the whole phrase, not 污染物 alone
    assert subject_words("法典里对应哪条？", corpus) == []  # asking words and law names name no subject
    assert subject_words("参与单位呢？", corpus) == []


def test_a_follow_up_naming_its_own_task_is_not_read_as_the_one_before(engine):
    # after a list, "X那项" names the item by its words: the reading that carried the list's first task
    # has evidence without them, the question as typed finds the task
    _, [(first, _), (answer, reading)] = converse(engine, "州工信局参与了哪些任务？", "新污染物那项谁牵头？")
    assert "新污染物" not in first.citations[0].clause.text
    assert not answer.abstained and "新污染物" in answer.citations[0].clause.text
    assert "州生态环境局牵头" in answer.text


def test_a_follow_up_without_a_subject_stays_with_the_article_discussed(engine):
    # 不报告会怎么处罚？ names nothing: taken as typed it finds an unrelated penalty, so the joined question,
    # whose answer rests on the duty just cited, is chosen, and the reading says so
    _, [(first, _), (answer, reading)] = converse(engine, "生态环境法典哪一条规定了污染土壤转运要提前报送？",
                                                  "不报告会怎么处罚？")
    assert first.citations[0].clause.clause_id == "生态环境法典#436"
    assert reading.kind == "context" and answer.text.startswith("理解为：")
    assert answer.citations[0].clause.clause_id == "生态环境法典#1162"
    assert "转运污染土壤" in answer.citations[0].clause.text


def test_that_regulation_is_the_one_the_previous_answer_quoted_and_its_articles_are_not_held(engine):
    # the plan names 《地下水管理条例》, the law file has none of its articles: refuse, never cite another law's
    _, [(first, _), (answer, reading)] = converse(engine, "地下水污染防治重点区划定，规划依据的是哪部法规？",
                                                  "那个条例里哪一条规定了分区划定？")
    assert "《地下水管理条例》" in first.citations[0].quote
    assert "《地下水管理条例》" in reading.standalone
    assert answer.abstained and "没有《地下水管理条例》的条文" in answer.text


def test_a_reading_that_leaves_out_what_the_official_named_is_not_used(engine):
    # the rules read "这项…哪个部门" as the task's lead bureau and dropped 尾矿库运营单位 and 法典; the question
    # as typed, whose evidence has those words, is answered instead
    _, [_, (answer, reading)] = converse(engine, "涉重金属历史遗留固体废物整治谁牵头？",
                                         "这项里说的尾矿库运营单位，法典里由哪个部门监督？哪一条？")
    assert not reading.rewritten
    assert answer.citations[0].clause.clause_id == "生态环境法典#417" and "应急管理部门" in answer.text


def test_several_cells_of_the_row_asked_in_one_follow_up(engine):
    # 目标值和属性呢？ asks two cells; a word target (减少) is a cell like any other, not a missing figure
    row = next(t for t in engine.corpus.facts.targets if t.origin == "table" and t.baseline not in (None, "", "--")
               and t.target not in ("", "--") and not re.search(r"\d", t.target))
    _, [_, (answer, reading)] = converse(engine, f"指标表里{row.indicator}这一行，基数是多少？", "目标值和属性呢？")
    assert "属性" in reading.standalone and "目标" in reading.standalone
    assert not answer.abstained and row.target in answer.text and row.kind in answer.text


def test_a_term_jieba_cuts_across_is_still_a_subject_word(corpus):
    from assistant.conversation import subject_words

    assert "限养区" in subject_words("那限养区划了多少平方公里？", corpus)  # jieba: 限养 | 区划


def test_a_figure_of_something_the_plan_never_measures_is_refused_in_a_follow_up(engine):
    # 适养区 is named in the plan (三区), but no area is given for it: the 禁养区's figure is not the answer
    _, [(first, _), (answer, _)] = converse(engine, "畜禽养殖禁养区划了多大面积？", "那适养区划了多少平方公里？")
    assert not first.abstained and "1111.76" in first.text
    assert answer.abstained and "1111.76" not in answer.text


def test_an_english_follow_up_in_words_the_glossary_lacks_stays_with_the_paragraph(engine):
    question = "What about the gunk?"  # ("left over" would be read as 残留 through the dictionary)
    assert engine.ask(question).abstained  # alone it names nothing the corpus has
    _, [(first, _), (answer, reading)] = converse(engine, "十三五末，全州城镇生活污水集中收集处理率达到多少？", question)
    assert reading.kind == "context" and answer.text.startswith("理解为：")
    assert not answer.abstained and answer.citations[0].clause.clause_id == first.citations[0].clause.clause_id


def test_which_article_of_a_named_law_the_paragraph_just_quoted_rests_on(engine):
    # 这是依据…法哪一条？ has no topic of its own: it is the plan paragraph's sentence, searched in that law
    _, [(first, _), (answer, reading)] = converse(engine, "土壤污染重点监管单位生产经营用地的调查报告要交到哪里？",
                                                  "这是依据土壤污染防治法哪一条？")
    assert first.citations[0].clause.clause_id.startswith("plan-")
    assert reading.kind == "pronoun" and "不动产登记资料" in reading.standalone
    assert answer.citations[0].clause.clause_id == "土壤污染防治法#67"


def test_a_bureau_asked_about_in_this_task_with_zhe_li_tou(engine):
    # 这里头 points at the task just discussed as 这项 does
    _, [(first, _), (answer, reading)] = converse(engine, "农村生活垃圾分类减量谁牵头？", "州生态环境局在这里头是牵头还是参与？")
    assert reading.rewritten
    assert answer.citations[0].clause.clause_id == first.citations[0].clause.clause_id and "州生态环境局" in answer.text


def test_a_penalty_follow_up_without_a_subject_is_asked_of_the_duty_discussed(engine):
    # 不建的话罚多少？ alone is refused (no act named); with the article about monitoring wells it finds the penalty
    _, [(first, _), (answer, reading)] = converse(engine, "垃圾填埋场要建地下水水质监测井，现行法律哪条规定？", "不建的话罚多少？")
    assert first.citations[0].clause.source.endswith("生态环境法典")
    assert reading.kind == "context" and not answer.abstained
    penalty = answer.citations[0].clause
    assert penalty.kind == "law" and "罚款" in penalty.text and "地下水水质监测井" in penalty.text
    assert engine.ask("不建的话罚多少？").abstained  # alone it names no act


def test_only_the_follow_ups_own_part_refused_refuses_the_turn(engine):
    # "What about its deadline?" is read with the question before; that part is answered again, this one has none
    _, [(first, _), (answer, reading)] = converse(engine, "农村黑臭水体排查整治有哪些参与单位？", "What about its deadline?")
    assert not first.abstained and reading.rewritten
    assert answer.abstained and "时限" in answer.text


def test_these_laws_after_an_answer_naming_them_are_each_given_a_status(engine):
    _, [(first, _), (answer, reading)] = converse(engine, "重金属排放企业纳入重点排污单位名录是根据哪些法律？",
                                                  "这几部法律现在还有效吗？")
    assert "水污染防治法" in first.text
    assert reading.standalone.count("《") == 3 and answer.text.count("已废止") == 3


def test_the_code_named_bare_is_the_environment_code(engine):
    _, [_, (answer, reading)] = converse(engine, "规划指导思想要全面贯彻哪两部法律？", "那法典是哪天起施行的？")
    assert answer.citations[0].clause.clause_id == "生态环境法典#1242" and "2026年8月15日" in answer.text


def test_the_next_item_of_a_list_of_principles_is_its_content_not_a_lead(engine):
    _, turns = converse(engine, "规划的基本原则有哪些？", "第二项呢？", "第三項呢？")
    (_, _), (second, r2), (third, r3) = turns
    assert "问题导向" in r2.standalone and "牵头" not in r2.standalone and "部门" not in r2.standalone
    assert second.citations[0].clause.title.startswith("问题导向")
    assert third.citations[0].clause.title.startswith("因地制宜")


def test_the_nth_principle_after_another_question_is_read_on_its_own_and_the_next_follows(engine):
    _, [_, (second, r2), (third, _)] = converse(engine, "规划基本原则里的“保护优先，源头减量”要推动什么转变？",
                                                "第二条原则呢？", "第四条呢？")
    assert r2.kind == "new" and second.citations[0].clause.title.startswith("问题导向")
    assert third.citations[0].clause.title.startswith("强化监管")


def test_an_english_when_of_a_task_without_a_date_is_refused(engine):
    _, [(first, _), _, (answer, _)] = converse(engine, "开展耕地土壤重金属污染成因排查重点是哪些区域？", "那谁牵头？",
                                               "When must it be done?")
    assert not first.abstained and answer.abstained


def test_a_chain_of_details_of_one_task_keeps_the_task_not_the_detail(engine):
    _, [_, (second, _), (third, r3)] = converse(engine, "强化部门信息共享和联动监管由哪些部门牵头？",
                                                "疑似污染地块的空间信息要叠加到哪里？", "用什么技术手段做非现场检查？")
    assert "一张图" in second.text
    assert "叠加" not in r3.standalone and "卫星遥感" in third.text


def test_a_follow_up_with_its_own_ask_keeps_only_the_turns_year(engine):
    _, [_, (answer, reading)] = converse(engine, "到2020年农村卫生厕所普及率是多少？", "那畜禽粪污综合利用率占几成？")
    assert reading.standalone == "到2020年畜禽粪污综合利用率占几成？"  # not 占几成…率是多少


def test_the_nth_principle_asked_for_its_meaning_quotes_its_paragraph(engine):
    _, [_, (second, _), (third, _)] = converse(engine, "规划的基本原则有哪几条？", "第一条具体是什么意思？", "And the third one?")
    assert not second.abstained and second.citations[0].clause.clause_id == "plan-036"
    assert not third.abstained and third.citations[0].clause.clause_id == "plan-038"


def test_an_ordinal_after_a_sentence_that_lists_things_is_that_item(engine):
    _, turns = converse(engine, "畜禽养殖大县散养密集区是哪几个县？", "第二个呢？")
    answer, reading = turns[1]
    assert reading.kind == "enumerated" and not answer.abstained
    assert "“奇台”" in answer.text and answer.citations[0].clause.clause_id == "plan-095"
    assert answer.citations[0].quote in answer.citations[0].clause.text


def test_enumeration_cuts_the_words_around_the_first_and_last_item():
    from assistant.conversation import enumeration

    run, items = enumeration("加强协同防治。以甲河、乙河、丙河等流域为重点,防范侧渗。")
    assert run == "以甲河、乙河、丙河等流域为重点" and items == ["甲河", "乙河", "丙河"]
    assert enumeration("只有甲和乙两项。") is None


def test_a_follow_up_naming_nothing_is_asked_of_the_task_by_its_title(engine):
    # 根据哪份文件？ after a bureau's part in a task: asked of the task, it finds the regulation the task cites
    _, turns = converse(engine, "研究推动地下水污染防治分区划定谁牵头？", "州水利局呢？", "根据哪份文件？")
    answer, reading = turns[2]
    assert not answer.abstained and answer.citations[0].clause.clause_id == "plan-080"
    assert "地下水管理条例" in answer.text


def test_a_year_in_the_plan_period_asked_whether_done_is_progress():
    from assistant.zh import PROGRESS

    assert PROGRESS.search("2024年这一批最后做完了没有")
    assert not PROGRESS.search("2024年要完成哪些工作")


def test_an_english_follow_up_pointing_back_is_asked_with_the_turn_before(engine):
    # "for them" points at the farms just discussed; taken alone, it finds the sewage plants' facilities
    _, turns = converse(engine, "十三五期间规模养殖场粪污处理设施装备配套率是多少？",
                        "And how many treatment facilities were completed for them?")
    answer, reading = turns[1]
    assert reading.kind == "context" and answer.citations[0].clause.clause_id == "plan-022"
    assert "230个" in answer.text


def test_a_rate_asked_after_a_tasks_bureaux_is_asked_for_its_target(engine):
    # a rate has a value, not a lead: 畜禽粪污综合利用率呢？ is not spliced into the task's title
    _, turns = converse(engine, "加强畜禽养殖污染防治谁负责？", "哪些单位参与？", "畜禽粪污综合利用率呢？")
    answer, reading = turns[2]
    assert reading.kind == "topic" and reading.standalone == "畜禽粪污综合利用率的目标是多少？"
    assert "≥80%" in answer.text and answer.citations[0].clause.clause_id == "plan-051"


def test_the_period_a_follow_up_asks_replaces_the_one_carried(engine):
    _, turns = converse(engine, "十三五期间昌吉州农药使用量是多少？", "这个指标十四五的目标是什么？")
    answer, reading = turns[1]
    assert "十四五" in reading.standalone and "十三五" not in reading.standalone
    assert reading.standalone.endswith("是什么？") and not answer.abstained and "减少" in answer.text


def test_turning_to_the_plan_after_a_law_carries_the_topic_not_the_article(engine):
    _, turns = converse(engine, "法律上对饮用水源补给区的调查评估是怎么规定的？", "法典里对应的是哪条？",
                        "规划里补给区保护归谁管？")
    answer, reading = turns[2]
    assert "第三百二十三条" not in reading.standalone and "补给区" in reading.standalone
    assert answer.citations[0].clause.clause_id == "plan-090" and "州生态环境局牵头" in answer.text


def test_an_english_ordinal_follow_up_is_the_item_of_the_list_before(engine):
    _, turns = converse(engine, "规划的基本原则有哪些？", "What does the fourth one mean?")
    answer, reading = turns[1]
    assert reading.kind == "item" and "强化监管,依法治污" in reading.standalone
    assert answer.citations[0].clause.clause_id == "plan-039"


def test_the_target_of_a_task_stating_two_indicators_gives_both(engine):
    _, turns = converse(engine, "秸秆农膜回收利用那项谁牵头？", "那它的目标是多少？")
    answer, reading = turns[1]
    assert "秸秆综合利用率" in reading.standalone and "农田残膜回收率" in reading.standalone
    assert "90%以上" in answer.text and "85%以上" in answer.text


def test_another_question_after_a_soft_opener_stands_alone():
    from assistant.conversation_zh import SOFT_OPENER

    assert SOFT_OPENER.match("另外再问一下，规划期是哪几年？").end() == len("另外再问一下，")
    assert SOFT_OPENER.match("另外，秸秆呢？").end() == len("另外，")


def test_the_target_of_a_task_whose_goal_is_in_words_is_that_goal(engine):
    _, turns = converse(engine, "巩固提升区域地下水环境质量由哪个部门牵头？", "那它的目标呢？")
    answer, reading = turns[1]
    assert reading.standalone.endswith("的目标是什么？") and not answer.abstained
    assert answer.citations[0].clause.clause_id == "plan-079" and "考核目标" in answer.text
    assert "目标目标" not in answer.text
