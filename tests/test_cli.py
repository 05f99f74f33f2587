"""The command line through the real pipeline: inspection commands, ask (plain, JSON, batch), add/remove."""

import json

import pytest

from assistant.cli import main


def test_corpus_json_lists_every_clause(capsys, built_settings):
    assert main(["corpus", "--json"]) == 0
    clauses = json.loads(capsys.readouterr().out)
    ids = {c["clause_id"] for c in clauses}
    assert "plan-055" in ids and "土壤污染防治法#21" in ids and "生态环境法典#1242" in ids
    soil = next(c for c in clauses if c["clause_id"] == "土壤污染防治法#21")
    assert soil["source"] == "中华人民共和国土壤污染防治法" and soil["article"] == "第二十一条"
    assert set(clauses[0]) == {"clause_id", "source", "article", "section", "title", "text"}


def test_facts_json_and_summary(capsys, built_settings):
    assert main(["facts", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert len(facts["responsibilities"]) == 54 and len([t for t in facts["targets"] if t["kind"]]) == 8
    assert {"clause_id", "title", "leads", "participants", "relation", "note", "inherited_from", "flags"} == set(
        facts["responsibilities"][0])
    assert main(["facts"]) == 0
    out = capsys.readouterr().out
    assert "Responsibilities: 54" in out and "地下水管理条例" in out


def test_ask_plain_json_and_batch(capsys, built_settings, tmp_path):
    assert main(["ask", "农村黑臭水体整治由哪个部门牵头？"]) == 0
    assert "州生态环境局牵头" in capsys.readouterr().out
    assert main(["ask", "--json", "秸秆综合利用率十四五末要到多少？"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"question", "answer", "abstained", "citations"} and "90%以上" in data["answer"]
    assert data["citations"][0]["clause_id"] == "plan-094" and data["citations"][0]["quote"] in data["citations"][0]["text"]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"id": "a", "question": "州工信局牵头哪些任务？"}\nnot json\n{"id": "b", "question": ""}\n',
                   encoding="utf-8")
    assert main(["ask", "--batch", str(src), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"] and rows[1]["abstained"]
    assert [c["clause_id"] for c in rows[0]["citations"]] == ["plan-061", "plan-062"]
    assert main(["ask"]) == 2


REGULATION = """测试地下水管理条例

第一章 总则
第一条 为了加强地下水管理，防治地下水超采和污染，制定本条例。
第二条 地下水调查、规划、节约、保护和污染防治，适用本条例。
第二章 污染防治
第十二条 禁止利用渗井、渗坑、裂隙、溶洞以及私设暗管等逃避监管的方式排放水污染物。
"""


@pytest.mark.slow
def test_add_regulation_then_answer_cites_its_article_then_remove(index_copy, monkeypatch, capsys, tmp_path):
    from assistant.corpus import reset_cache

    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index_copy.index_dir))
    monkeypatch.setenv("ASSISTANT_ADDED_DIR", str(index_copy.added_dir))
    reset_cache()
    path = tmp_path / "条例.txt"
    path.write_bytes(REGULATION.encode("gbk"))
    assert main(["add", str(path), "--title", "《测试地下水管理条例》"]) == 0
    assert "clauses" in capsys.readouterr().out
    reset_cache()
    assert main(["ask", "--json", "测试地下水管理条例第十二条规定了什么？"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["citations"][0]["clause_id"] == "测试地下水管理条例#12"
    assert "渗井、渗坑" in data["answer"]
    assert main(["ask", "--json", "测试地下水管理条例第12条"]) == 0
    assert json.loads(capsys.readouterr().out)["citations"][0]["article"] == "第十二条"
    assert main(["add", str(tmp_path / "missing.docx")]) == 2
    assert main(["remove", "测试地下水管理条例"]) == 0
    assert "Removed" in capsys.readouterr().out
    reset_cache()
    assert main(["corpus", "--json"]) == 0
    assert not any(c["source"] == "测试地下水管理条例" for c in json.loads(capsys.readouterr().out))
    reset_cache()


def test_batch_keeps_going_when_one_question_fails(built_settings, tmp_path, monkeypatch, capsys):
    from assistant.answer import AnswerEngine

    real_ask = AnswerEngine.ask

    def flaky(self, question):
        if question == "boom":
            raise RuntimeError("simulated failure")
        return real_ask(self, question)

    monkeypatch.setattr(AnswerEngine, "ask", flaky)
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"id": 1, "question": "boom"}\n{"id": 2, "question": "农村黑臭水体整治由哪个部门牵头？"}\n',
                   encoding="utf-8")
    assert main(["ask", "--batch", str(src), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["error"] == "simulated failure" and rows[0]["abstained"]
    assert rows[1]["citations"][0]["clause_id"] == "plan-101"
    assert "simulated failure" in capsys.readouterr().err
