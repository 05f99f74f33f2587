"""Feedback → golden lines → the suite's scorer, through the real engine and a real SQLite store."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.evaluate import evaluate, load_gold
from assistant.feedback import CITE_MAX, CITE_MIN, export_feedback, golden_cite
from assistant.history import HistoryStore
from tests.conftest import REPO


@pytest.fixture
def store(tmp_path):
    store = HistoryStore(f"sqlite:///{tmp_path / 'fb.sqlite3'}")
    yield store
    store.close()


def test_golden_cite_is_a_short_unique_verbatim_span(corpus):
    plan = corpus.plan()
    for clause in plan[40:60]:
        cite = golden_cite(clause, "", plan)
        assert CITE_MIN <= len(cite) <= CITE_MAX and cite in clause.text
        assert [c.clause_id for c in plan if cite in c.text] == [clause.clause_id]  # it identifies the clause
    law = corpus.by_id["土壤污染防治法#21"]
    assert golden_cite(law, "", plan) == {"law": "中华人民共和国土壤污染防治法", "article": "第二十一条"}


def test_correction_round_trips_into_a_golden_file_the_suite_scores(engine, store, corpus, tmp_path):
    # an official asks; the answer cites plan-101. They mark it wrong and pick plan-100 instead.
    question = "农村黑臭水体整治由哪个部门牵头？"
    answer = engine.ask(question).to_json()
    assert answer["citations"][0]["clause_id"] == "plan-101"
    store.add_feedback(question=question, answer=answer, verdict="down", reason="wrong_clause", clause_id="plan-100",
                       quote="健全设施运行管护机制", expected="州农业农村局牵头", comment="测试用更正")
    # a correct answer approved, and a correction that the question has no answer
    good = "农村生活污水治理率2025年的目标是多少？"
    store.add_feedback(question=good, answer=engine.ask(good).to_json(), verdict="up")
    none = "州里给土壤防治的2030年预算是多少？"
    store.add_feedback(question=none, answer=engine.ask(none).to_json(), verdict="down", reason="should_abstain")
    store.add_feedback(question="没有选条款的反馈", answer=answer, verdict="down", reason="other")

    out = tmp_path / "feedback_gold.jsonl"
    report = export_feedback(store, corpus, out, include_approved=True)
    assert len(report.lines) == 3 and [why for _, why in report.skipped] == ["没有选出正确条款"]
    golds = load_gold(out)  # the suite's own loader accepts the file
    by_question = {g.question: g for g in golds}
    corrected = by_question[question]
    assert corrected.type == "lead_bureau" and corrected.answer_contains == ["州农业农村局牵头"]
    assert corrected.cite[0] in corpus.by_id["plan-100"].text and CITE_MIN <= len(corrected.cite[0]) <= CITE_MAX
    assert by_question[none].type == "unanswerable"

    figures = {o.gold.question: o.correct for o in evaluate(golds, engine).outcomes}
    # the corrected question now fails: the engine still cites plan-101, the official says plan-100
    assert figures == {question: False, good: True, none: True}


def test_export_command_writes_the_file(built_settings, tmp_path, engine):
    from dataclasses import replace

    settings = replace(built_settings, data_dir=tmp_path / "data")
    store = HistoryStore.open(settings)
    q = "州工信局牵头哪些任务？"
    store.add_feedback(question=q, answer=engine.ask(q).to_json(), verdict="down", reason="incomplete",
                       clause_id="plan-061", quote="推动实施绿色化改造")
    store.close()
    out = tmp_path / "out.jsonl"
    env = {"ASSISTANT_DATA_DIR": str(settings.data_dir), "ASSISTANT_INDEX_DIR": str(settings.index_dir),
           "ASSISTANT_ADDED_DIR": str(settings.added_dir)}
    import os

    run = subprocess.run([sys.executable, "-m", "assistant", "feedback", "export", "--out", str(out)], cwd=REPO,
                         env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    [line] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["question"] == q and line["type"] == "list_by_bureau" and "推动实施绿色化改造" in line["cite"][0]
    missing = subprocess.run([sys.executable, "-m", "assistant", "feedback", "export"], cwd=REPO,
                             env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "--out" in missing.stderr
