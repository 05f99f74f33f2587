"""Issue 12 on the command line: null questions in a batch, clause ids as questions, refusals by limit."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from assistant import cli
from assistant.cli import main
from assistant.config import Settings
from assistant.corpus import find_clause_by_id, load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(Settings())


def test_null_question_in_a_batch_is_an_error_for_that_line(tmp_path, monkeypatch, capsys):
    asked: list = []

    class RecordingEngine:  # isolates the batch reader; the real engine is covered in test_cli.py
        def ask(self, question):
            asked.append(question)
            return SimpleNamespace(to_json=lambda: {"question": question, "answer": "ok", "abstained": False,
                                                   "citations": []})

    monkeypatch.setattr(cli, "_answer_engine", lambda settings: RecordingEngine())
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"id": 1, "question": null}\n{"id": 2, "question": 7}\n{"id": 3, "question": "真的问题"}\n',
                   encoding="utf-8")
    assert main(["ask", "--batch", str(src), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert asked == ["真的问题"]  # never "None" or "7"
    assert [r["id"] for r in rows] == [1, 2, 3]
    assert "non-empty string" in rows[0]["error"] and rows[0]["question"] is None and rows[0]["citations"] == []
    assert "error" in rows[1] and "error" not in rows[2]
    err = capsys.readouterr().err
    assert "in.jsonl:1" in err and "in.jsonl:2" in err


@pytest.mark.parametrize("typed, expected", [
    ("plan-055", "plan-055"), (" plan-55 ", "plan-055"), ("PLAN-055", "plan-055"),
    ("土壤污染防治法#59", "土壤污染防治法#59"), ("《中华人民共和国土壤污染防治法》#59", "土壤污染防治法#59"),
    ("土壤污染防治法＃５９", "土壤污染防治法#59"),
])
def test_clause_ids_typed_as_questions(corpus, typed, expected):
    assert find_clause_by_id(typed, corpus).clause_id == expected


@pytest.mark.parametrize("typed", ["plan-999", "plan-055是什么意思", "土壤污染防治法第59条", "", "   "])
def test_not_a_clause_id(corpus, typed):
    assert find_clause_by_id(typed, corpus) is None


def test_show_command(capsys):
    assert main(["show", "plan-55"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("plan-055") and load_corpus(Settings()).by_id["plan-055"].text in out
    assert main(["show", "--json", "土壤污染防治法#59"]) == 0
    assert json.loads(capsys.readouterr().out)["article"] == "第五十九条"
    assert main(["show", "plan-999"]) == 2


def test_cli_add_refuses_by_limit_and_changes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_ADDED_DIR", str(tmp_path / "added"))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    path = tmp_path / "long.txt"
    path.write_text("\n".join(f"第{i}段。" for i in range(30_000)), encoding="utf-8")
    assert main(["add", str(path)]) == 2
    assert "max_paragraphs" in capsys.readouterr().err
    assert main(["add", str(path), "--title", "题" * 101]) == 2
    assert "max_title_chars" in capsys.readouterr().err
    assert not (tmp_path / "added").exists() and not (tmp_path / "index").exists()
