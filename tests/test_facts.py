"""Facts extracted from the real plan: responsibilities, table rows, text targets, deadlines, cited documents."""

import pytest

from assistant.config import Settings
from assistant.corpus import load_corpus
from assistant.facts import BureauDirectory, parse_note, trailing_note

S = Settings()


@pytest.fixture(scope="module")
def facts():
    return load_corpus(S).facts


@pytest.fixture(scope="module")
def resp(facts):
    return {r.clause_id: r for r in facts.responsibilities}


def test_every_task_paragraph_has_a_record(resp):
    assert len(resp) == 54  # plan-055..077, 079..091, 093..110 (section introductions excluded)
    assert "plan-054" not in resp and "plan-078" not in resp and "plan-092" not in resp


def test_regular_notes(resp):
    r = resp["plan-057"]
    assert (r.leads, r.participants, r.relation) == (["州生态环境局"], ["州农业农村局"], "牵头")
    assert r.note == "(州生态环境局牵头,州农业农村局等参与)"
    r = resp["plan-063"]  # participants written without 州 get it back
    assert r.participants == ["州工信局", "州应急管理局", "州科技局"]
    assert resp["plan-058"].relation == "负责" and resp["plan-058"].participants == []


def test_aliases_resolve_to_one_bureau(resp):
    assert resp["plan-102"].leads == ["州住建局", "州农业农村局"]  # written 州住房城乡建设局
    assert "州住房城乡建设局" in resp["plan-102"].note  # the note stays verbatim
    assert resp["plan-102"].relation == "联合牵头"


def test_standing_rule_is_recorded_and_applied(facts, resp):
    rule = facts.standing_rules[0]
    assert rule.clause_id == "plan-055"
    assert rule.implementers == ("各县(市)人民政府", "园区管委会")
    assert "不再列出" in rule.text
    assert resp["plan-090"].implementers == ["各县(市)人民政府", "园区管委会"]


@pytest.mark.parametrize("earlier, note_at", [
    ("plan-059", "plan-060"), ("plan-061", "plan-062"),
    ("plan-067", "plan-070"), ("plan-068", "plan-070"), ("plan-069", "plan-070"),
])
def test_multi_paragraph_tasks_inherit_the_last_paragraphs_note(resp, earlier, note_at):
    assert resp[earlier].inherited_from == note_at
    assert resp[earlier].note == resp[note_at].note and resp[earlier].leads == resp[note_at].leads
    assert resp[note_at].inherited_from is None


def test_inherited_records_carry_the_tasks_title(resp):
    assert resp["plan-060"].title.startswith("强化重点监管单位监管")
    assert resp["plan-062"].title == "推动实施绿色化改造"
    assert resp["plan-069"].title == "开展土壤污染状况调查评估"


def test_irregular_notes_are_kept_verbatim_and_flagged(resp):
    r = resp["plan-095"]
    assert r.note == "(自治区农业农村局,州生态环境局参与)"
    assert r.leads == ["自治区农业农村局"] and r.relation == "未写明牵头"
    assert any("牵头" in f for f in r.flags) and any("自治区" in f for f in r.flags)
    r = resp["plan-084"]
    assert r.participants == ["州工信局", "州住建局", "州自然资源局"]
    assert any("按职责分工负责" in f for f in r.flags)
    r = resp["plan-096"]
    assert r.relation == "共同负责" and r.leads == ["州生态环境局", "州农业农村局"]
    assert resp["plan-110"].relation == "无注释" and resp["plan-110"].flags


def test_nested_parentheses_in_notes():
    body, note = trailing_note("任务正文。(州生态环境局牵头,各县(市)人民政府负责落实)")
    assert note == "(州生态环境局牵头,各县(市)人民政府负责落实)" and body == "任务正文。"
    roles, _ = parse_note(note, BureauDirectory.load(S.bureaux_path))
    assert roles["implement"] == ["各县(市)人民政府"]


def test_bureau_directory_lists_tasks(facts):
    led = [r.clause_id for r in facts.tasks_of("工信局", roles=("lead",))]
    assert led == ["plan-061", "plan-062"]
    assert facts.directory.canonical("州住房城乡建设局") == "州住建局"


def test_indicator_table_rows(facts):
    rows = {t.clause_id: t for t in facts.targets if t.origin == "table"}
    assert len(rows) == 8
    r = rows["plan-044"]
    assert (r.category, r.indicator, r.baseline, r.target, r.kind, r.source_doc) == (
        "生态环境", "受污染耕地安全利用率", "--", "≥98%", "约束性", "新疆维吾尔自治区指标")
    r = rows["plan-046"]
    assert (r.baseline, r.target, r.kind, r.source_doc) == ("水质级别保持稳定", "水质类别不降低", "预期性", None)
    assert rows["plan-045"].category == "生态环境"  # category only written on its group's first row
    assert rows["plan-048"].category == "农业农村生态环境" and rows["plan-048"].target == "达到264个"
    assert rows["plan-050"].source_doc.startswith("昌吉回族自治州国民经济和社会发展")
    assert (rows["plan-051"].baseline, rows["plan-051"].target) == ("75%", "≥80%")
    assert [t.clause_id for t in rows.values() if t.kind == "约束性"] == ["plan-044", "plan-049"]


def test_footnotes(facts):
    notes = {f.number: f for f in facts.footnotes}
    assert notes[2].term == "地下水国控点位V类水比例" and not notes[2].in_table
    assert notes[3].term == "农村生活污水治理率" and notes[3].in_table


def test_text_targets_keep_values_as_written(facts):
    text = {(t.clause_id, t.indicator): t for t in facts.targets if t.origin == "text"}
    assert text[("plan-094", "秸秆综合利用率")].target == "90%以上"
    assert text[("plan-094", "农田残膜回收率")].target == "85%以上"
    assert text[("plan-099", "农村生活污水治理率")].target == "30%左右"
    assert text[("plan-103", "对生活垃圾进行分类减量行政村占比")].target == "50%以上"
    assert any(t.year == 2035 and t.clause_id == "plan-043" for t in text.values())
    assert all(t.year >= 2021 for t in facts.targets)


def test_deadlines(facts):
    found = {(d.clause_id, d.when) for d in facts.deadlines}
    assert {("plan-059", "2025年底前"), ("plan-055", "2023年底前"), ("plan-055", "2023年起"),
            ("plan-082", "到2023年"), ("plan-082", "到2025年")} <= found
    d = next(d for d in facts.deadlines if d.clause_id == "plan-059")
    assert d.what == "至少完成一轮土壤和地下水污染隐患排查整改"
    assert any(d.year is None and "限期实现关停或搬迁" in d.what for d in facts.deadlines)
    assert not any(d.clause_id == "plan-021" for d in facts.deadlines)  # 13th-FYP history is not a deadline


def test_cited_documents_registry(facts):
    docs = {d.title: d for d in facts.cited_docs}
    soil = docs["中华人民共和国土壤污染防治法"]
    assert soil.in_corpus and set(soil.cited_in) >= {"plan-003", "plan-035", "plan-107"}
    assert "废止" in soil.note
    assert docs["土壤法"].corpus_source == "中华人民共和国土壤污染防治法"
    assert not docs["地下水管理条例"].in_corpus and docs["地下水管理条例"].cited_in == ["plan-080"]
    assert docs["土壤环境质量 建设用地土壤污染风险管控标准"].code == "GB36600-2018"
    assert not docs["土壤污染防治行动计划"].in_corpus
    assert sum(d.in_corpus for d in docs.values()) == 5  # the four cited laws + 《土壤法》
