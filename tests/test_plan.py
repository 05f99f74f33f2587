"""The plan as clauses: real plan text, editorial outline, spam header never a clause."""


import pytest

from assistant.clauses import CorpusError
from assistant.config import Settings
from assistant.plan import Outline, paragraph_role, parse_plan

S = Settings()


@pytest.fixture(scope="module")
def plan():
    return parse_plan(S.plan_path, S.outline_path)


def test_every_paragraph_is_one_clause_with_a_stable_id(plan):
    assert len(plan) == 108  # non-empty lines 3..110; lines 0-2 are the mirror's header
    assert plan[0].clause_id == "plan-003" and plan[-1].clause_id == "plan-110"
    assert len({c.clause_id for c in plan}) == len(plan)
    raw = [line.strip() for line in S.plan_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for c in plan:
        assert c.text == raw[int(c.clause_id[5:])]  # verbatim


def test_spam_header_never_becomes_a_clause(plan):
    for c in plan:
        assert "千亿国际" not in c.text
        assert not c.text.startswith("时间:")
        assert c.text != "昌吉回族自治州人民政府"


def test_titles_are_the_task_title_sentence(plan):
    by_id = {c.clause_id: c for c in plan}
    assert by_id["plan-055"].title == "严格控制涉重金属行业污染物排放"
    assert by_id["plan-081"].title == "建立地下水污染重点监管单位名录"
    assert by_id["plan-105"].title.startswith("因地制宜以乡镇为单元")  # no title sentence: first clause


def test_sections_come_from_the_editorial_outline(plan):
    by_id = {c.clause_id: c for c in plan}
    assert by_id["plan-003"].section == "前言"
    assert by_id["plan-044"].section.startswith("二、总体要求 > （四）规划目标与指标")
    assert by_id["plan-083"].section.startswith("三、主要任务 > （二）地下水污染防治")
    assert "truncated" not in by_id["plan-110"].section
    assert by_id["plan-110"].notes  # the scraped text is cut off here, and the clause says so
    outline = Outline.load(S.outline_path)
    roles = {c.clause_id: paragraph_role(c, outline) for c in plan}
    assert roles["plan-054"] == roles["plan-078"] == roles["plan-092"] == "intro"
    assert [cid for cid, r in roles.items() if r == "table_row"] == [f"plan-0{i}" for i in range(44, 52)]
    assert roles["plan-058"] == "task" and roles["plan-010"] == "text"


def test_missing_or_unreadable_plan_names_the_file(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(CorpusError, match="nope.txt"):
        parse_plan(missing, S.outline_path)
    binary = tmp_path / "plan.txt"
    binary.write_bytes(b"\xff\xfe\x00\xd8 not utf8 \x81")
    with pytest.raises(CorpusError, match="UTF-8"):
        parse_plan(binary, S.outline_path)
    bad_outline = tmp_path / "outline.json"
    bad_outline.write_text("{", encoding="utf-8")
    with pytest.raises(CorpusError, match="outline.json"):
        parse_plan(S.plan_path, bad_outline)


def test_outline_that_no_longer_matches_the_text_is_reported(tmp_path):
    other = tmp_path / "plan.txt"
    other.write_text("完全不同的文本。\n第二段。\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="disagree"):
        parse_plan(other, S.outline_path)


def test_cli_reports_a_missing_plan_cleanly(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_PLAN", str(tmp_path / "gone.txt"))
    assert main(["corpus"]) == 2
    err = capsys.readouterr().err
    assert "gone.txt" in err and "Traceback" not in err
