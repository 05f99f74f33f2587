"""Issue 12: an index that checks itself. Each kind of damage, on a private copy of a real index
(real BM25, real Chroma, the real embedding model) over the plan's first paragraphs, must give
a clear message and a rebuild, never a crash, a segfault or a silent "up to date".
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.corpus import Corpus, load_corpus
from assistant.embeddings import make_embeddings
from assistant.index import (IndexUnavailable, Manifest, build_index, check_index, checksums, live_generation)
from assistant.retrieve import open_index

REPO = Path(__file__).resolve().parent.parent
SIZE = 24  # plan paragraphs: enough for real searches, small enough to re-embed in seconds
TINY = f"full = load_corpus(Settings()); corpus = Corpus(full.plan()[:{SIZE}], [], full.facts)"


@pytest.fixture(scope="module")
def tiny_corpus() -> Corpus:
    full = load_corpus(Settings())
    return Corpus(full.plan()[:SIZE], [], full.facts)


@pytest.fixture(scope="module")
def model_id() -> str:
    return make_embeddings(Settings()).model_id


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory, tiny_corpus) -> Path:
    settings = Settings.from_env(index_dir=tmp_path_factory.mktemp("tiny") / "index", chroma_host=None)
    build_index(settings, tiny_corpus)
    return settings.index_dir


@pytest.fixture()
def copy(tiny_index, tmp_path) -> Settings:
    """A private copy of the tiny index, for one test to break."""
    target = tmp_path / "index"
    shutil.copytree(tiny_index, target, ignore=shutil.ignore_patterns(".lock"))
    return Settings.from_env(index_dir=target, added_dir=tmp_path / "added", chroma_host=None)


def chroma_file(settings: Settings, name: str) -> Path:
    return next(live_generation(settings.index_dir).rglob(name))


def scribble(path: Path, seed: int = 1) -> None:
    """Random bytes over the middle of the file, size unchanged."""
    data = bytearray(path.read_bytes())
    noise = random.Random(seed).randbytes(min(4096, len(data) // 2))
    start = len(data) // 4
    data[start:start + len(noise)] = noise
    path.write_bytes(bytes(data))


def run_child(settings: Settings, code: str) -> subprocess.CompletedProcess:
    """Python in a fresh process: a segfault shows as a negative return code instead of killing pytest."""
    script = textwrap.dedent(f"""
        from pathlib import Path
        from assistant.config import Settings
        from assistant.corpus import Corpus, load_corpus
        from assistant.retrieve import open_index
        {TINY}
        settings = Settings.from_env(index_dir=Path({str(settings.index_dir)!r}), chroma_host=None)
    """) + textwrap.dedent(code)
    env = os.environ | {"PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


def test_fresh_index_verifies(copy, tiny_corpus, model_id):
    health = check_index(copy, tiny_corpus, model_id)
    assert health.fresh, health
    manifest = Manifest.read(live_generation(copy.index_dir))
    assert set(manifest.checksums) == set(checksums(live_generation(copy.index_dir)))
    assert any(name.endswith("data_level0.bin") for name in manifest.checksums)
    killed_build = copy.index_dir / ".building-20200101-000000-1-1"  # what a kill -9 mid-build leaves
    (killed_build / "bm25").mkdir(parents=True)
    index = open_index(copy, tiny_corpus, build_if_missing=False)
    assert index.dense.count() == SIZE and len(index.lexical.ids) == SIZE
    assert not killed_build.exists()  # removed on open when no build holds the lock
    assert check_index(copy, tiny_corpus, model_id).fresh  # reading never changes the generation


def test_random_bytes_in_chroma_vectors_rebuild_without_a_crash(copy, tiny_corpus, model_id):
    scribble(chroma_file(copy, "data_level0.bin"))
    health = check_index(copy, tiny_corpus, model_id)
    assert health.state == "damaged" and "data_level0.bin" in health.reason
    child = run_child(copy, """
        notices = []
        index = open_index(settings, corpus, notice=notices.append)
        print("NOTICE", notices)
        print("TOP", index.search("规划范围", k=1)[0].clause.clause_id)
    """)
    assert child.returncode == 0, (child.returncode, child.stderr[-2000:])  # -11 would be a segfault
    assert "damaged" in child.stdout and "data_level0.bin" in child.stdout and "TOP plan-" in child.stdout
    assert check_index(copy, tiny_corpus, model_id).fresh


def test_build_does_not_call_a_damaged_index_up_to_date(copy, tiny_corpus, model_id):
    scribble(chroma_file(copy, "chroma.sqlite3"))
    stale_build = copy.index_dir / ".building-20200101-000000-1-1"
    (stale_build / "chroma").mkdir(parents=True)
    report = build_index(copy, tiny_corpus)
    assert not report.skipped and "damaged" in report.note and "chroma.sqlite3" in report.summary()
    assert report.embedded == SIZE  # the vectors could not be trusted: re-embedded from scratch
    assert not stale_build.exists() and len(list(copy.index_dir.glob("gen-*"))) == 1
    assert build_index(copy, tiny_corpus).skipped  # and now it really is up to date
    assert open_index(copy, tiny_corpus, build_if_missing=False).dense.count() == SIZE


def test_reordered_bm25_ids_are_detected(copy, tiny_corpus, model_id):
    path = live_generation(copy.index_dir) / "bm25" / "ids.json"
    ids = json.loads(path.read_text(encoding="utf-8"))
    ids[0], ids[1] = ids[1], ids[0]  # still valid JSON, same ids: citations would silently be wrong
    path.write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
    health = check_index(copy, tiny_corpus, model_id)
    assert health.state == "damaged" and "bm25/ids.json" in health.reason and health.chroma_intact
    # even with matching checksums (say, the manifest was rewritten too), the id check catches it
    folder = live_generation(copy.index_dir)
    manifest = Manifest.read(folder)
    manifest.checksums = checksums(folder)
    manifest.write(folder)
    with pytest.raises(IndexUnavailable, match="another order"):
        open_index(copy, tiny_corpus, build_if_missing=False)
    notices: list[str] = []
    index = open_index(copy, tiny_corpus, notice=notices.append)
    assert any("could not be read" in n for n in notices)
    assert index.lexical.ids == [c.clause_id for c in tiny_corpus.clauses]


def test_damaged_ids_json_rebuilds_bm25_and_keeps_the_vectors(copy, tiny_corpus, model_id):
    (live_generation(copy.index_dir) / "bm25" / "ids.json").write_bytes(b"\x00garbage{")
    progress: list[tuple] = []
    notices: list[str] = []
    index = open_index(copy, tiny_corpus, notice=notices.append, progress=lambda *a: progress.append(a))
    assert any("damaged" in n and "ids.json" in n for n in notices)
    assert ("bm25", SIZE, SIZE) in progress  # the rebuild reports progress
    assert not any(stage == "embed" for stage, *_ in progress)  # intact vectors were verified and reused
    assert len(index.lexical.ids) == SIZE


def test_missing_generation_is_reported_and_rebuilt(copy, tiny_corpus, model_id):
    gone = live_generation(copy.index_dir)
    shutil.rmtree(gone)
    health = check_index(copy, tiny_corpus, model_id)
    assert health.state == "damaged" and gone.name in health.reason and "missing" in health.reason
    with pytest.raises(IndexUnavailable, match="missing"):
        open_index(copy, tiny_corpus, build_if_missing=False)
    index = open_index(copy, tiny_corpus)
    assert index.dense.count() == SIZE and check_index(copy, tiny_corpus, model_id).fresh


@pytest.mark.parametrize("content", [b"\x96\xff\x00garbage", b"../../etc", b""])
def test_garbage_in_current_is_damage_not_a_crash(copy, tiny_corpus, model_id, content):
    (copy.index_dir / "CURRENT").write_bytes(content)
    health = check_index(copy, tiny_corpus, model_id)
    assert health.state == "damaged" and "CURRENT" in health.reason
    notices: list[str] = []
    index = open_index(copy, tiny_corpus, notice=notices.append)
    assert any("CURRENT" in n for n in notices) and len(index.lexical.ids) == SIZE
    assert check_index(copy, tiny_corpus, model_id).fresh
