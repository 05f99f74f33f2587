"""Shared fixtures: the real plan, the real law file, one real index built once per test session."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.corpus import load_corpus


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory) -> Settings:
    """Default corpus, but the index and added documents live in temporary folders."""
    root = tmp_path_factory.mktemp("assistant")
    settings = Settings.from_env(index_dir=root / "index", added_dir=root / "added")
    os.environ["ASSISTANT_INDEX_DIR"] = str(settings.index_dir)
    os.environ["ASSISTANT_ADDED_DIR"] = str(settings.added_dir)
    return settings


@pytest.fixture(scope="session")
def corpus(base_settings):
    return load_corpus(base_settings)


@pytest.fixture(scope="session")
def built_settings(base_settings, corpus) -> Settings:
    """Settings whose index_dir holds a complete index of the default corpus (built once, ~2 min)."""
    from assistant.index import build_index

    seed = os.environ.get("ASSISTANT_TEST_INDEX_FROM")  # a built index to start from (then updated incrementally)
    if seed and Path(seed).is_dir() and not base_settings.index_dir.exists():
        shutil.copytree(seed, base_settings.index_dir, symlinks=True, ignore=shutil.ignore_patterns(".lock"))
    build_index(base_settings, corpus)
    return base_settings


@pytest.fixture(scope="session")
def engine(built_settings):
    from assistant.answer import AnswerEngine

    return AnswerEngine.open(built_settings)


@pytest.fixture()
def record_embeddings(monkeypatch):
    """``record(embeddings)`` -> the list of texts the real model embeds from then on, in order."""
    def record(embeddings) -> list[str]:
        calls: list[str] = []
        embed = embeddings.embed_query
        monkeypatch.setattr(embeddings, "embed_query", lambda text: calls.append(text) or embed(text))
        return calls
    return record


@pytest.fixture()
def index_copy(built_settings, tmp_path) -> Settings:
    """A private copy of the built index, for tests that change or break it."""
    target = tmp_path / "index"
    shutil.copytree(built_settings.index_dir, target, ignore=shutil.ignore_patterns(".lock"))
    return replace(built_settings, index_dir=target, added_dir=tmp_path / "added")


REPO = Path(__file__).resolve().parent.parent
